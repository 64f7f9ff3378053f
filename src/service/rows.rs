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
use sea_orm::sqlx::error::BoxDynError;
use sea_orm::sqlx::postgres::{PgRow, PgValueFormat, PgValueRef};
use sea_orm::sqlx::sqlite::{SqliteRow, SqliteValueRef};
use sea_orm::sqlx::{self, Decode, Postgres, Row, Sqlite};
use sea_orm::{
    ActiveEnum, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryResult, Select,
};

/// A model read by position (see the module documentation).
pub struct Fast<M>(pub M);

enum Backend<'a> {
    Postgres(&'a PgRow),
    Sqlite(&'a SqliteRow),
}

/// Reads the columns of one row in order.
struct Reader<'a> {
    row: Backend<'a>,
    next: usize,
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
        Ok(Reader { row, next: 0 })
    }

    /// The next column. The type was checked once, by the test that reads the
    /// same rows through SeaORM: the decoder itself still refuses bytes of the
    /// wrong size or a NULL where none may be.
    fn get<T>(&mut self) -> Result<T, DbErr>
    where
        T: for<'r> sqlx::Decode<'r, Postgres> + for<'r> sqlx::Decode<'r, Sqlite>,
    {
        let index = self.next;
        self.next += 1;
        match self.row {
            Backend::Postgres(row) => row.try_get_unchecked::<T, usize>(index),
            Backend::Sqlite(row) => row.try_get_unchecked::<T, usize>(index),
        }
        .map_err(|e| DbErr::Type(format!("column {index}: {e}")))
    }

    /// The next column, a timestamp.
    fn time(&mut self) -> Result<DateTime<Utc>, DbErr> {
        self.get::<Timestamp>().map(|t| t.0)
    }

    /// The next column, a nullable timestamp.
    fn maybe_time(&mut self) -> Result<Option<DateTime<Utc>>, DbErr> {
        self.get::<Option<Timestamp>>().map(|t| t.map(|t| t.0))
    }

    /// The next column, a string-valued enum.
    fn choice<E: ActiveEnum<Value = String>>(&mut self) -> Result<E, DbErr> {
        E::try_from_value(&self.get::<String>()?)
    }

    /// The next column, a nullable string-valued enum.
    fn maybe_choice<E: ActiveEnum<Value = String>>(&mut self) -> Result<Option<E>, DbErr> {
        self.get::<Option<String>>()?
            .map(|v| E::try_from_value(&v))
            .transpose()
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
            PgValueFormat::Text => <DateTime<Utc> as Decode<Postgres>>::decode(value).map(Timestamp),
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

fn read_order(r: &mut Reader<'_>) -> Result<order::Model, DbErr> {
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

impl Positional for order::Model {
    fn read(r: &mut Reader<'_>) -> Result<Self, DbErr> {
        read_order(r)
    }
}

fn read_item(r: &mut Reader<'_>) -> Result<order_item::Model, DbErr> {
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

impl Positional for order_item::Model {
    fn read(r: &mut Reader<'_>) -> Result<Self, DbErr> {
        read_item(r)
    }
}

fn read_customer(r: &mut Reader<'_>) -> Result<customer::Model, DbErr> {
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

impl Positional for customer::Model {
    fn read(r: &mut Reader<'_>) -> Result<Self, DbErr> {
        read_customer(r)
    }
}

fn read_channel(r: &mut Reader<'_>) -> Result<channel::Model, DbErr> {
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

impl Positional for channel::Model {
    fn read(r: &mut Reader<'_>) -> Result<Self, DbErr> {
        read_channel(r)
    }
}

/// What a statement joins to its orders, in this column order after the
/// order's own: the customer's columns, the channel's, an item's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Joins {
    pub customer: bool,
    pub channel: bool,
    /// One row per item (a `LEFT JOIN`: an order without items is one row
    /// whose item columns are NULL).
    pub items: bool,
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

/// Reads the rows of a statement that joined `joins` to orders. The rows of
/// one order follow each other (items joined: one row per item, in item
/// order); an order's own columns, and its parties', are read from its first
/// row only.
pub fn read_joined(rows: &[QueryResult], joins: Joins) -> Result<Vec<Joined>, DbErr> {
    use sea_orm::Iterable;
    let order_columns = order::Column::iter().count();
    let item_at = order_columns
        + if joins.customer {
            customer::Column::iter().count()
        } else {
            0
        }
        + if joins.channel {
            channel::Column::iter().count()
        } else {
            0
        };
    let mut out: Vec<Joined> = Vec::new();
    for res in rows {
        let mut r = Reader::new(res)?;
        let id: i64 = r.get()?;
        if out.last().is_none_or(|last| last.order.id != id) {
            r.next = 0;
            let order = order::Model::read(&mut r)?;
            let customer = joins
                .customer
                .then(|| customer::Model::read(&mut r))
                .transpose()?;
            let channel = joins
                .channel
                .then(|| channel::Model::read(&mut r))
                .transpose()?;
            out.push(Joined {
                order,
                customer,
                channel,
                items: Vec::new(),
            });
        }
        if joins.items {
            r.next = item_at;
            if r.get::<Option<i64>>()?.is_some() {
                r.next = item_at;
                let item = order_item::Model::read(&mut r)?;
                if let Some(last) = out.last_mut() {
                    last.items.push(item);
                }
            }
        }
    }
    Ok(out)
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
