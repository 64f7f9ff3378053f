//! Reading the rows of the hot paths (orders, their items, customers,
//! channels) by column position.
//!
//! SeaORM's derived `FromQueryResult` finds every column by name (a hash of
//! the name per column and row) and, for every NULL in an `Option` field,
//! formats an error message it then drops. On a page of 50 orders with their
//! items and customers that was 23% of the server's CPU time (`perf`, see
//! bench/RESULTS.md). These readers decode the same columns, in the order
//! `Entity::find()` selects them (the model's field order), straight from the
//! sqlx row. The test `rows_read_by_position_equal_seaorm_s` reads the same
//! rows both ways on both backends.

use chrono::{DateTime, Utc};
use entity::{channel, customer, order, order_item};
use sea_orm::sea_query::SelectStatement;
use sea_orm::sqlx::error::BoxDynError;
use sea_orm::sqlx::postgres::{PgRow, PgValueFormat, PgValueRef};
use sea_orm::sqlx::sqlite::{SqliteRow, SqliteValueRef};
use sea_orm::sqlx::{self, Decode, Postgres, Row, Sqlite};
use sea_orm::{
    ActiveEnum, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, Iterable, QueryResult, Select,
};

/// A model read by position (see the module documentation).
pub struct Fast<M>(pub M);

enum Backend<'a> {
    Postgres(&'a PgRow),
    Sqlite(&'a SqliteRow),
}

/// The columns of a model a statement reads: bit `i` is the model's `i`-th
/// column, in the order of its `Column` enum (the order `Entity::find()`
/// selects them). A column left out is given a fallback by the reader (0,
/// "", NULL, the enum's first value, 1970-01-01): only the fields whose
/// columns were read may be shown. Every set holds the id (column 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Columns(u64);

impl Columns {
    /// Every column.
    pub const ALL: Columns = Columns(u64::MAX);
    /// The id alone.
    pub const ID: Columns = Columns(1);

    /// These columns and the one at `index` (a `Column` enum cast to `usize`).
    pub const fn with(self, index: usize) -> Columns {
        Columns(self.0 | 1 << index)
    }

    /// The columns of both.
    pub const fn union(self, other: Columns) -> Columns {
        Columns(self.0 | other.0)
    }

    /// Whether the column at `index` is read.
    pub const fn contains(self, index: usize) -> bool {
        self.0 & (1 << index) != 0
    }

    /// How many of a model's `of` columns are read.
    fn count(self, of: usize) -> usize {
        (self.0 & (u64::MAX >> (64 - of))).count_ones() as usize
    }
}

/// What an unread column holds.
trait Fallback {
    fn fallback() -> Self;
}

impl Fallback for i64 {
    fn fallback() -> Self {
        0
    }
}

impl Fallback for i32 {
    fn fallback() -> Self {
        0
    }
}

impl Fallback for String {
    fn fallback() -> Self {
        String::new()
    }
}

impl<T> Fallback for Option<T> {
    fn fallback() -> Self {
        None
    }
}

/// Reads the columns of one row in order, the columns of each model as its
/// [`Columns`] say.
struct Reader<'a> {
    row: Backend<'a>,
    /// The next column of the row.
    next: usize,
    /// The columns of the model being read, and its next column.
    columns: Columns,
    column: usize,
}

impl<'a> Reader<'a> {
    fn new(res: &'a QueryResult) -> Result<Self, DbErr> {
        let row = if let Some(row) = res.try_as_pg_row() {
            Backend::Postgres(row)
        } else if let Some(row) = res.try_as_sqlite_row() {
            Backend::Sqlite(row)
        } else {
            return Err(DbErr::Type("a row of an unsupported backend".to_owned()));
        };
        Ok(Reader {
            row,
            next: 0,
            columns: Columns::ALL,
            column: 0,
        })
    }

    /// Starts reading a model whose `columns` come next in the row.
    fn model(&mut self, columns: Columns) -> &mut Self {
        self.columns = columns;
        self.column = 0;
        self
    }

    /// The row's column at `index`. The type was checked once, by the test
    /// that reads the same rows through SeaORM: the decoder itself still
    /// refuses bytes of the wrong size or a NULL where none may be.
    fn at<T>(&self, index: usize) -> Result<T, DbErr>
    where
        T: for<'r> sqlx::Decode<'r, Postgres> + for<'r> sqlx::Decode<'r, Sqlite>,
    {
        match self.row {
            Backend::Postgres(row) => row.try_get_unchecked::<T, usize>(index),
            Backend::Sqlite(row) => row.try_get_unchecked::<T, usize>(index),
        }
        .map_err(|e| DbErr::Type(format!("column {index}: {e}")))
    }

    /// Moves to the model's next column: the row's index of it, or `None`
    /// when the statement did not read it.
    fn step(&mut self) -> Option<usize> {
        let column = self.column;
        self.column += 1;
        self.columns.contains(column).then(|| {
            self.next += 1;
            self.next - 1
        })
    }

    /// The model's next column.
    fn get<T>(&mut self) -> Result<T, DbErr>
    where
        T: Fallback + for<'r> sqlx::Decode<'r, Postgres> + for<'r> sqlx::Decode<'r, Sqlite>,
    {
        match self.step() {
            Some(index) => self.at(index),
            None => Ok(T::fallback()),
        }
    }

    /// The model's next column, a timestamp.
    fn time(&mut self) -> Result<DateTime<Utc>, DbErr> {
        match self.step() {
            Some(index) => self.at::<Timestamp>(index).map(|t| t.0),
            None => Ok(DateTime::UNIX_EPOCH),
        }
    }

    /// The model's next column, a nullable timestamp.
    fn maybe_time(&mut self) -> Result<Option<DateTime<Utc>>, DbErr> {
        match self.step() {
            Some(index) => self.at::<Option<Timestamp>>(index).map(|t| t.map(|t| t.0)),
            None => Ok(None),
        }
    }

    /// The model's next column, a string-valued enum.
    fn choice<E: ActiveEnum<Value = String>>(&mut self) -> Result<E, DbErr> {
        match self.step() {
            Some(index) => E::try_from_value(&self.at::<String>(index)?),
            None => E::iter()
                .next()
                .ok_or_else(|| DbErr::Type("an enum without values".to_owned())),
        }
    }

    /// The model's next column, a nullable string-valued enum.
    fn maybe_choice<E: ActiveEnum<Value = String>>(&mut self) -> Result<Option<E>, DbErr> {
        match self.step() {
            Some(index) => self
                .at::<Option<String>>(index)?
                .map(|v| E::try_from_value(&v))
                .transpose(),
            None => Ok(None),
        }
    }
}

/// A `timestamptz` column. PostgreSQL's binary form, microseconds since
/// 2000-01-01, is read straight into a `DateTime<Utc>`: sqlx's decoder goes
/// through three chrono conversions, about 1,300 instructions a value, which
/// was 12% of a page of 50 orders (`bench/callgrind.sh`). The text form and
/// SQLite's RFC 3339 text go through sqlx's decoders.
struct Timestamp(DateTime<Utc>);

/// 2000-01-01T00:00:00Z, PostgreSQL's epoch, in microseconds since 1970.
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

impl<'r> Decode<'r, Postgres> for Timestamp {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        match value.format() {
            PgValueFormat::Binary => {
                let micros = <i64 as Decode<Postgres>>::decode(value)?;
                micros
                    .checked_add(PG_EPOCH_MICROS)
                    .and_then(DateTime::from_timestamp_micros)
                    .map(Timestamp)
                    .ok_or_else(|| "timestamp out of range".into())
            }
            PgValueFormat::Text => {
                <DateTime<Utc> as Decode<Postgres>>::decode(value).map(Timestamp)
            }
        }
    }
}

impl<'r> Decode<'r, Sqlite> for Timestamp {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        <DateTime<Utc> as Decode<Sqlite>>::decode(value).map(Timestamp)
    }
}

/// A model read column by column, from where the reader stands.
trait Positional: Sized {
    fn read(r: &mut Reader<'_>) -> Result<Self, DbErr>;
}

impl<M: Positional> FromQueryResult for Fast<M> {
    fn from_query_result(res: &QueryResult, _pre: &str) -> Result<Self, DbErr> {
        M::read(&mut Reader::new(res)?).map(Fast)
    }
}

impl Positional for order::Model {
    fn read(r: &mut Reader<'_>) -> Result<Self, DbErr> {
        // Fields are evaluated in the order written: the column order.
        Ok(order::Model {
            id: r.get()?,
            tenant_id: r.get()?,
            number: r.get()?,
            number_seq: r.get()?,
            reference: r.get()?,
            external_id: r.get()?,
            description: r.get()?,
            source: r.choice()?,
            locale: r.get()?,
            payment_reference: r.get()?,
            idempotency_key: r.get()?,
            idempotency_hash: r.get()?,
            status: r.choice()?,
            payment_status: r.choice()?,
            fulfillment_status: r.choice()?,
            delivery_method: r.maybe_choice()?,
            shipping_method: r.maybe_choice()?,
            channel_id: r.get()?,
            currency_id: r.get()?,
            customer_id: r.get()?,
            subtotal: r.get()?,
            order_discount: r.get()?,
            order_tax: r.get()?,
            discount_total: r.get()?,
            shipping_total: r.get()?,
            tax_total: r.get()?,
            total: r.get()?,
            billing_address: r.get()?,
            shipping_address: r.get()?,
            metadata: r.get()?,
            created_at: r.time()?,
            updated_at: r.time()?,
            archived_at: r.maybe_time()?,
            version: r.get()?,
        })
    }
}

impl Positional for order_item::Model {
    fn read(r: &mut Reader<'_>) -> Result<Self, DbErr> {
        Ok(order_item::Model {
            id: r.get()?,
            tenant_id: r.get()?,
            order_id: r.get()?,
            position: r.get()?,
            sku: r.get()?,
            name: r.get()?,
            barcode: r.get()?,
            quantity: r.get()?,
            unit_price: r.get()?,
            subtotal: r.get()?,
            discount_total: r.get()?,
            tax_total: r.get()?,
            total: r.get()?,
            metadata: r.get()?,
            created_at: r.time()?,
            updated_at: r.time()?,
        })
    }
}

impl Positional for customer::Model {
    fn read(r: &mut Reader<'_>) -> Result<Self, DbErr> {
        Ok(customer::Model {
            id: r.get()?,
            tenant_id: r.get()?,
            email: r.get()?,
            email_lower: r.get()?,
            first_name: r.get()?,
            last_name: r.get()?,
            phone: r.get()?,
            created_at: r.time()?,
            updated_at: r.time()?,
        })
    }
}

impl Positional for channel::Model {
    fn read(r: &mut Reader<'_>) -> Result<Self, DbErr> {
        Ok(channel::Model {
            id: r.get()?,
            tenant_id: r.get()?,
            code: r.get()?,
            name: r.get()?,
            url: r.get()?,
            connector_type: r.get()?,
            connector_code: r.get()?,
            created_at: r.time()?,
            updated_at: r.time()?,
        })
    }
}

/// What a statement reads of its orders and joins to them, in this column
/// order: the order's columns, the customer's, the channel's, an item's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Joins {
    pub order: Columns,
    pub customer: Option<Columns>,
    pub channel: Option<Columns>,
    /// One row per item (a `LEFT JOIN`: an order without items is one row
    /// whose item columns are NULL).
    pub items: Option<Columns>,
}

impl Default for Joins {
    /// Every column of the orders, nothing joined.
    fn default() -> Self {
        Joins {
            order: Columns::ALL,
            customer: None,
            channel: None,
            items: None,
        }
    }
}

/// An order with what a joined statement read with it.
#[derive(Clone, Debug)]
pub struct Joined {
    pub order: order::Model,
    pub customer: Option<customer::Model>,
    pub channel: Option<channel::Model>,
    /// By position, when items were joined.
    pub items: Vec<order_item::Model>,
}

/// Adds the columns of entity `E` that `columns` holds to a select, in the
/// order [`read_joined`] reads them.
pub fn select_columns<E: EntityTrait>(query: &mut SelectStatement, columns: Columns) {
    for (index, column) in E::Column::iter().enumerate() {
        if columns.contains(index) {
            query.column((E::default(), column));
        }
    }
}

/// Reads the rows of a statement that read and joined `joins`. The rows of
/// one order follow each other (items joined: one row per item, in item
/// order); an order's own columns, and its parties', are read from its first
/// row only.
pub fn read_joined(rows: &[QueryResult], joins: Joins) -> Result<Vec<Joined>, DbErr> {
    let width = |columns: Option<Columns>, of: usize| columns.map_or(0, |c| c.count(of));
    let item_at = width(Some(joins.order), order::Column::iter().count())
        + width(joins.customer, customer::Column::iter().count())
        + width(joins.channel, channel::Column::iter().count());
    let mut out: Vec<Joined> = Vec::new();
    for res in rows {
        let mut r = Reader::new(res)?;
        let id: i64 = r.at(0)?;
        if out.last().is_none_or(|last| last.order.id != id) {
            let order = order::Model::read(r.model(joins.order))?;
            let customer = joins
                .customer
                .map(|c| customer::Model::read(r.model(c)))
                .transpose()?;
            let channel = joins
                .channel
                .map(|c| channel::Model::read(r.model(c)))
                .transpose()?;
            out.push(Joined {
                order,
                customer,
                channel,
                items: Vec::new(),
            });
        }
        if let Some(columns) = joins.items {
            if r.at::<Option<i64>>(item_at)?.is_some() {
                r.next = item_at;
                let item = order_item::Model::read(r.model(columns))?;
                if let Some(last) = out.last_mut() {
                    last.items.push(item);
                }
            }
        }
    }
    Ok(out)
}

/// Items read with these columns (see [`Columns`]).
pub fn read_items(rows: &[QueryResult], columns: Columns) -> Result<Vec<order_item::Model>, DbErr> {
    rows.iter()
        .map(|row| order_item::Model::read(Reader::new(row)?.model(columns)))
        .collect()
}

/// Every row of `select`, read by position.
pub async fn all<E, C>(db: &C, select: Select<E>) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    Fast<E::Model>: FromQueryResult + Send + Sync,
    C: ConnectionTrait,
{
    Ok(select
        .into_model::<Fast<E::Model>>()
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.0)
        .collect())
}

/// The first row of `select`, read by position.
pub async fn one<E, C>(db: &C, select: Select<E>) -> Result<Option<E::Model>, DbErr>
where
    E: EntityTrait,
    Fast<E::Model>: FromQueryResult + Send + Sync,
    C: ConnectionTrait,
{
    Ok(select
        .into_model::<Fast<E::Model>>()
        .one(db)
        .await?
        .map(|f| f.0))
}
