//! Creating orders, one or a batch: smart references, exact money checked
//! against the currency, totals computed here, idempotency, and all-or-nothing
//! transactions with a `CREATED` event.

use std::collections::{HashMap, HashSet};

use entity::order::{
    DeliveryMethod, FulfillmentStatus, OrderSource, OrderStatus, PaymentStatus, ShippingMethod,
};
use entity::{currency, customer, order, order_event, order_item};
use sea_orm::sea_query::{Alias, CommonTableExpression, WithClause};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr,
    EntityTrait, FromQueryResult, Iterable, QueryFilter, QueryTrait, Statement, TransactionTrait,
};
use serde_json::{json, Value};

use super::currencies::CurrencyTable;
use super::customers::{validate_new, NewCustomer};
use super::orders::{allocate_numbers, format_number};
use super::{unique_violation, ErrorCode, FieldError, ServiceError, UniqueKey};
use crate::domain::money::{Amount, MoneyError};
use crate::domain::totals::{
    item_totals, order_totals, ItemAmounts, ItemTotals, OrderTotals, TotalsError,
};

/// Most items an order may have.
pub const MAX_ITEMS: usize = 250;
/// Most orders one `createOrders` call may create.
pub const MAX_BATCH: usize = 100;
/// Largest serialized `metadata` object.
pub const METADATA_MAX_BYTES: usize = 16 * 1024;
/// Largest quantity of one item.
pub const MAX_QUANTITY: i32 = 1_000_000;

/// A channel or currency given as an ID or as a code: the ID is tried first.
#[derive(Clone, Debug, Default)]
pub struct Reference {
    /// The row id when the text is a global ID of the right type.
    pub id: Option<i64>,
    /// The text as sent.
    pub text: String,
}

/// Who the order is for.
#[derive(Clone, Debug)]
pub enum CustomerRef {
    /// An existing customer (`None` when the ID was garbled or of another type).
    Id(Option<i64>),
    /// An existing customer by email, case-insensitively.
    Email(String),
    /// A new customer; an existing one with the same email is used unchanged.
    Create(NewCustomer),
}

/// A line item as sent (amounts as decimal text).
#[derive(Clone, Debug, Default)]
pub struct NewItem {
    pub sku: String,
    pub name: String,
    pub quantity: i32,
    pub unit_price: String,
    pub discount: Option<String>,
    pub tax: Option<String>,
    pub barcode: Option<String>,
    pub metadata: Option<Value>,
}

/// An order as sent.
#[derive(Clone, Debug)]
pub struct NewOrder {
    pub channel: Reference,
    pub currency: Reference,
    pub customer: CustomerRef,
    pub items: Vec<NewItem>,
    pub reference: Option<String>,
    pub external_id: Option<String>,
    pub description: Option<String>,
    pub source: Option<OrderSource>,
    pub locale: Option<String>,
    pub payment_reference: Option<String>,
    pub shipping_total: Option<String>,
    pub discount: Option<String>,
    pub tax: Option<String>,
    pub expected_total: Option<String>,
    pub billing_address: Option<Value>,
    pub shipping_address: Option<Value>,
    pub delivery_method: Option<DeliveryMethod>,
    pub shipping_method: Option<ShippingMethod>,
    pub metadata: Option<Value>,
}

/// Who makes a change, and for which tenant.
#[derive(Clone, Debug)]
pub struct Actor {
    pub tenant_id: i64,
    pub name: String,
}

/// A validated order, ready to be written.
#[derive(Clone, Debug)]
pub struct Prepared {
    channel_id: i64,
    currency: currency::Model,
    customer: PreparedCustomer,
    items: Vec<(NewItem, Amount, ItemTotals)>,
    order_discount: Amount,
    order_tax: Amount,
    totals: OrderTotals,
    input: NewOrder,
}

#[derive(Clone, Debug)]
enum PreparedCustomer {
    Existing(i64),
    Create(NewCustomer),
}

/// Paths of errors: `["input", …]` for one order, `["inputs", "2", …]` in a batch.
#[derive(Clone, Debug)]
pub struct Path(pub Vec<String>);

impl Path {
    pub fn at(&self, rest: &[&str]) -> Vec<String> {
        let mut path = self.0.clone();
        path.extend(rest.iter().map(|s| (*s).to_owned()));
        path
    }

    fn error(&self, rest: &[&str], code: ErrorCode, message: impl Into<String>) -> FieldError {
        FieldError {
            field: self.at(rest),
            message: message.into(),
            code,
        }
    }
}

/// Parses an amount of the currency, reporting the code API.md names.
pub fn parse_amount(
    errors: &mut Vec<FieldError>,
    path: &Path,
    field: &[&str],
    text: Option<&str>,
    exponent: u32,
) -> Amount {
    let Some(text) = text else {
        return Amount::ZERO;
    };
    match Amount::parse(text, exponent) {
        Ok(amount) => amount,
        Err(err) => {
            let code = match err {
                MoneyError::Invalid | MoneyError::Overflow => ErrorCode::InvalidDecimal,
                MoneyError::TooManyDecimals { .. } => ErrorCode::TooManyDecimals,
                MoneyError::Negative => ErrorCode::NegativeAmount,
            };
            errors.push(path.error(field, code, format!("\"{text}\" {err}")));
            Amount::ZERO
        }
    }
}

fn text(
    errors: &mut Vec<FieldError>,
    path: &Path,
    field: &str,
    value: &Option<String>,
    max: usize,
) -> Option<String> {
    let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
    if value.chars().count() > max {
        errors.push(path.error(
            &[field],
            ErrorCode::TooLong,
            format!("must be at most {max} characters"),
        ));
    }
    Some(value.to_owned())
}

/// Checks a metadata value: a JSON object of at most 16 KiB.
pub fn check_metadata(
    errors: &mut Vec<FieldError>,
    path: &Path,
    field: &[&str],
    value: &Option<Value>,
) {
    if let Some(value) = value {
        if !value.is_object() {
            errors.push(path.error(field, ErrorCode::Invalid, "must be a JSON object"));
        } else if value.to_string().len() > METADATA_MAX_BYTES {
            errors.push(path.error(field, ErrorCode::TooLong, "must be at most 16 KiB as JSON"));
        }
    }
}

/// Checks an address object (already shaped by the API layer).
pub fn check_address(
    errors: &mut Vec<FieldError>,
    path: &Path,
    field: &str,
    value: &Option<Value>,
) {
    if let Some(country) = value
        .as_ref()
        .and_then(|v| v.get("countryCode"))
        .and_then(Value::as_str)
    {
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            errors.push(path.error(
                &[field, "countryCode"],
                ErrorCode::Invalid,
                "must be an ISO 3166-1 alpha-2 code such as \"DE\"",
            ));
        }
    }
}

/// Where a totals error is reported: a negative amount at the discount that
/// caused it, an overflow at a field the client sent (`overflow_field`).
fn totals_error(
    path: &Path,
    err: TotalsError,
    discount_field: &[&str],
    overflow_field: &[&str],
) -> FieldError {
    match err {
        TotalsError::Negative => path.error(
            discount_field,
            ErrorCode::NegativeAmount,
            "the discount is larger than the amount it applies to",
        ),
        TotalsError::Overflow => path.error(
            overflow_field,
            ErrorCode::InvalidDecimal,
            "the amounts are too large to add up",
        ),
    }
}

/// Computes the item totals of validated item inputs.
pub fn item_lines(
    errors: &mut Vec<FieldError>,
    path: &Path,
    items: &[NewItem],
    exponent: u32,
) -> Vec<(Amount, ItemTotals)> {
    let mut lines = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let index = i.to_string();
        let at = |field: &'static str| vec!["items", index.as_str(), field];
        let before = errors.len();
        if item.sku.trim().is_empty() {
            errors.push(path.error(&at("sku"), ErrorCode::Required, "must not be empty"));
        } else if item.sku.chars().count() > 64 {
            errors.push(path.error(
                &at("sku"),
                ErrorCode::TooLong,
                "must be at most 64 characters",
            ));
        }
        if item.name.trim().is_empty() {
            errors.push(path.error(&at("name"), ErrorCode::Required, "must not be empty"));
        } else if item.name.chars().count() > 255 {
            errors.push(path.error(
                &at("name"),
                ErrorCode::TooLong,
                "must be at most 255 characters",
            ));
        }
        if let Some(barcode) = &item.barcode {
            if barcode.chars().count() > 64 {
                errors.push(path.error(
                    &at("barcode"),
                    ErrorCode::TooLong,
                    "must be at most 64 characters",
                ));
            }
        }
        if !(1..=MAX_QUANTITY).contains(&item.quantity) {
            errors.push(path.error(
                &at("quantity"),
                ErrorCode::InvalidQuantity,
                format!("must be between 1 and {MAX_QUANTITY}"),
            ));
        }
        let unit_price = parse_amount(
            errors,
            path,
            &at("unitPrice"),
            Some(&item.unit_price),
            exponent,
        );
        let discount = parse_amount(
            errors,
            path,
            &at("discount"),
            item.discount.as_deref(),
            exponent,
        );
        let tax = parse_amount(errors, path, &at("tax"), item.tax.as_deref(), exponent);
        check_metadata(errors, path, &at("metadata"), &item.metadata);
        if errors.len() > before {
            continue;
        }
        match item_totals(ItemAmounts {
            quantity: i64::from(item.quantity),
            unit_price,
            discount,
            tax,
        }) {
            Ok(totals) => lines.push((unit_price, totals)),
            Err(err) => errors.push(totals_error(path, err, &at("discount"), &at("unitPrice"))),
        }
    }
    lines
}

/// The channels and customers some orders name, read before they are
/// checked: one statement for the channels and one for the customers,
/// whatever the number of orders.
#[derive(Clone, Debug, Default)]
pub struct Lookups {
    /// Ids of the tenant's channels read.
    channel_ids: HashSet<i64>,
    /// Channel ids by code.
    channels_by_code: HashMap<String, i64>,
    /// Ids of the tenant's customers read.
    customer_ids: HashSet<i64>,
    /// Customer ids by lower-cased email.
    customers_by_email: HashMap<String, i64>,
}

impl Lookups {
    /// Reads the tenant's channels and customers that `inputs` name by ID,
    /// code or email.
    pub async fn load(
        db: &DatabaseConnection,
        tenant_id: i64,
        inputs: &[NewOrder],
    ) -> Result<Self, DbErr> {
        let mut channel_ids = Vec::new();
        let mut codes = Vec::new();
        let mut customer_ids = Vec::new();
        let mut emails = Vec::new();
        for input in inputs {
            channel_ids.extend(input.channel.id);
            codes.push(input.channel.text.trim().to_owned());
            match &input.customer {
                CustomerRef::Id(Some(id)) => customer_ids.push(*id),
                CustomerRef::Email(email) => emails.push(email_key(email)),
                CustomerRef::Id(None) | CustomerRef::Create(_) => {}
            }
        }
        for list in [&mut channel_ids, &mut customer_ids] {
            list.sort_unstable();
            list.dedup();
        }
        for list in [&mut codes, &mut emails] {
            list.sort_unstable();
            list.dedup();
        }
        let mut lookups = Lookups::default();
        // Every row read is the tenant's: found by its id or by its code
        // (email), it answers a lookup by either exactly as a query would.
        for c in super::channels::by_ids_or_codes(db, tenant_id, &channel_ids, &codes).await? {
            lookups.channel_ids.insert(c.id);
            lookups.channels_by_code.insert(c.code, c.id);
        }
        for c in super::customers::by_ids_or_emails(db, tenant_id, &customer_ids, &emails).await? {
            lookups.customer_ids.insert(c.id);
            lookups.customers_by_email.insert(c.email_lower, c.id);
        }
        Ok(lookups)
    }

    /// The channel named by `reference`: the ID first, then the code.
    fn channel(&self, reference: &Reference) -> Option<i64> {
        reference
            .id
            .filter(|id| self.channel_ids.contains(id))
            .or_else(|| self.channels_by_code.get(reference.text.trim()).copied())
    }
}

/// How an email is compared: trimmed and lower-cased, as `email_lower` stores it.
fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Validates an order against the references read in `lookups`; nothing is
/// read or written.
pub fn prepare(
    lookups: &Lookups,
    currencies: &CurrencyTable,
    input: NewOrder,
    path: &Path,
) -> Result<Prepared, Vec<FieldError>> {
    let mut errors = Vec::new();

    // References first: amounts are checked against the currency.
    let channel = lookups.channel(&input.channel);
    if channel.is_none() {
        errors.push(path.error(
            &["channel"],
            ErrorCode::NotFound,
            format!("no channel with ID or code \"{}\"", input.channel.text),
        ));
    }
    let currency = input
        .currency
        .id
        .and_then(|id| currencies.get(id))
        .or_else(|| currencies.by_code(input.currency.text.trim()))
        .cloned();
    if currency.is_none() {
        errors.push(path.error(
            &["currency"],
            ErrorCode::NotFound,
            format!(
                "no currency with ID or ISO code \"{}\"",
                input.currency.text
            ),
        ));
    }
    let customer = match &input.customer {
        CustomerRef::Id(id) => match id.filter(|id| lookups.customer_ids.contains(id)) {
            Some(id) => Some(PreparedCustomer::Existing(id)),
            None => {
                errors.push(path.error(
                    &["customer", "id"],
                    ErrorCode::NotFound,
                    "no such customer",
                ));
                None
            }
        },
        CustomerRef::Email(email) => match lookups.customers_by_email.get(&email_key(email)) {
            Some(id) => Some(PreparedCustomer::Existing(*id)),
            None => {
                errors.push(path.error(
                    &["customer", "email"],
                    ErrorCode::NotFound,
                    "no customer with this email",
                ));
                None
            }
        },
        CustomerRef::Create(new) => match validate_new(new) {
            Ok(valid) => Some(PreparedCustomer::Create(valid)),
            Err(found) => {
                errors.extend(found.into_iter().map(|mut e| {
                    // validate_new reports ["input", field]: re-root under customer.create.
                    let field = e.field.split_off(1);
                    e.field = path.at(&["customer", "create"]);
                    e.field.extend(field);
                    e
                }));
                None
            }
        },
    };

    // Plain fields.
    text(&mut errors, path, "reference", &input.reference, 35);
    text(&mut errors, path, "externalId", &input.external_id, 255);
    text(&mut errors, path, "description", &input.description, 4096);
    text(&mut errors, path, "locale", &input.locale, 35);
    text(
        &mut errors,
        path,
        "paymentReference",
        &input.payment_reference,
        255,
    );
    check_metadata(&mut errors, path, &["metadata"], &input.metadata);
    check_address(&mut errors, path, "billingAddress", &input.billing_address);
    check_address(
        &mut errors,
        path,
        "shippingAddress",
        &input.shipping_address,
    );
    if input.items.is_empty() {
        errors.push(path.error(
            &["items"],
            ErrorCode::Required,
            "an order needs at least one item",
        ));
    } else if input.items.len() > MAX_ITEMS {
        errors.push(path.error(
            &["items"],
            ErrorCode::TooManyItems,
            format!("at most {MAX_ITEMS} items"),
        ));
    }

    let Some(currency) = currency else {
        return Err(errors);
    };
    let exponent = u32::try_from(currency.exponent).unwrap_or(0);
    let lines = if input.items.len() <= MAX_ITEMS {
        item_lines(&mut errors, path, &input.items, exponent)
    } else {
        Vec::new()
    };
    let shipping = parse_amount(
        &mut errors,
        path,
        &["shippingTotal"],
        input.shipping_total.as_deref(),
        exponent,
    );
    let order_discount = parse_amount(
        &mut errors,
        path,
        &["discount"],
        input.discount.as_deref(),
        exponent,
    );
    let order_tax = parse_amount(&mut errors, path, &["tax"], input.tax.as_deref(), exponent);
    let expected = parse_amount(
        &mut errors,
        path,
        &["expectedTotal"],
        input.expected_total.as_deref(),
        exponent,
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    let item_totals_list: Vec<ItemTotals> = lines.iter().map(|(_, t)| *t).collect();
    let totals = order_totals(&item_totals_list, order_discount, shipping, order_tax)
        .map_err(|err| vec![totals_error(path, err, &["discount"], &["items"])])?;
    if input.expected_total.is_some() && expected != totals.total {
        return Err(vec![path.error(
            &["expectedTotal"],
            ErrorCode::TotalMismatch,
            format!(
                "the computed total is {} but {} was expected",
                totals.total.format(exponent),
                expected.format(exponent)
            ),
        )]);
    }
    let (Some(channel_id), Some(customer)) = (channel, customer) else {
        return Err(errors);
    };
    let items = input
        .items
        .iter()
        .cloned()
        .zip(lines)
        .map(|(item, (unit_price, totals))| (item, unit_price, totals))
        .collect();
    Ok(Prepared {
        channel_id,
        currency,
        customer,
        items,
        order_discount,
        order_tax,
        totals,
        input,
    })
}

fn trimmed(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// The ids of the customers the orders need, creating the new ones (an
/// existing email is used unchanged): two statements for any number of orders.
async fn customer_ids<C: ConnectionTrait>(
    txn: &C,
    tenant_id: i64,
    prepared: &[&Prepared],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<HashMap<String, i64>, DbErr> {
    let mut new: HashMap<String, &NewCustomer> = HashMap::new();
    for p in prepared {
        if let PreparedCustomer::Create(c) = &p.customer {
            new.entry(c.email.to_lowercase()).or_insert(c);
        }
    }
    if new.is_empty() {
        return Ok(HashMap::new());
    }
    // In email order: concurrent batches that create the same customers then
    // wait for each other instead of deadlocking on the unique index.
    let mut new: Vec<(String, &NewCustomer)> = new.into_iter().collect();
    new.sort_by(|a, b| a.0.cmp(&b.0));
    let rows = new.iter().map(|(lower, c)| customer::ActiveModel {
        tenant_id: Set(tenant_id),
        email_lower: Set(lower.clone()),
        email: Set(c.email.clone()),
        first_name: Set(c.first_name.clone()),
        last_name: Set(c.last_name.clone()),
        phone: Set(c.phone.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    });
    customer::Entity::insert_many(rows)
        .on_conflict_do_nothing_on([customer::Column::TenantId, customer::Column::EmailLower])
        .exec(txn)
        .await?;
    Ok(customer::Entity::find()
        .filter(customer::Column::TenantId.eq(tenant_id))
        .filter(customer::Column::EmailLower.is_in(new.iter().map(|(lower, _)| lower.clone())))
        .all(txn)
        .await?
        .into_iter()
        .map(|c| (c.email_lower, c.id))
        .collect())
}

fn order_row(
    tenant_id: i64,
    prepared: &Prepared,
    number_seq: i64,
    customer_id: i64,
    idempotency: Option<(&str, &str)>,
    now: chrono::DateTime<chrono::Utc>,
) -> order::ActiveModel {
    let input = &prepared.input;
    let totals = prepared.totals;
    order::ActiveModel {
        tenant_id: Set(tenant_id),
        number: Set(format_number(number_seq)),
        number_seq: Set(number_seq),
        reference: Set(trimmed(&input.reference)),
        external_id: Set(trimmed(&input.external_id)),
        description: Set(trimmed(&input.description)),
        source: Set(input.source.unwrap_or(OrderSource::Manual)),
        locale: Set(trimmed(&input.locale)),
        payment_reference: Set(trimmed(&input.payment_reference)),
        idempotency_key: Set(idempotency.map(|(k, _)| k.to_owned())),
        idempotency_hash: Set(idempotency.map(|(_, h)| h.to_owned())),
        status: Set(OrderStatus::Pending),
        payment_status: Set(PaymentStatus::Pending),
        fulfillment_status: Set(FulfillmentStatus::Pending),
        delivery_method: Set(input.delivery_method),
        shipping_method: Set(input.shipping_method),
        channel_id: Set(prepared.channel_id),
        currency_id: Set(prepared.currency.id),
        customer_id: Set(customer_id),
        subtotal: Set(totals.subtotal.0),
        order_discount: Set(prepared.order_discount.0),
        order_tax: Set(prepared.order_tax.0),
        discount_total: Set(totals.discount_total.0),
        shipping_total: Set(totals.shipping_total.0),
        tax_total: Set(totals.tax_total.0),
        total: Set(totals.total.0),
        billing_address: Set(input.billing_address.clone()),
        shipping_address: Set(input.shipping_address.clone()),
        metadata: Set(input.metadata.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        version: Set(1),
        ..Default::default()
    }
}

fn item_rows(
    tenant_id: i64,
    order_id: i64,
    prepared: &Prepared,
    now: chrono::DateTime<chrono::Utc>,
) -> impl Iterator<Item = order_item::ActiveModel> + '_ {
    prepared
        .items
        .iter()
        .enumerate()
        .map(
            move |(position, (item, unit_price, t))| order_item::ActiveModel {
                tenant_id: Set(tenant_id),
                order_id: Set(order_id),
                position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
                sku: Set(item.sku.trim().to_owned()),
                name: Set(item.name.trim().to_owned()),
                barcode: Set(trimmed(&item.barcode)),
                quantity: Set(item.quantity),
                unit_price: Set(unit_price.0),
                subtotal: Set(t.subtotal.0),
                discount_total: Set(t.discount_total.0),
                tax_total: Set(t.tax_total.0),
                total: Set(t.total.0),
                metadata: Set(item.metadata.clone()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            },
        )
}

fn created_event(
    actor: &Actor,
    order_id: i64,
    number: &str,
    at: chrono::DateTime<chrono::Utc>,
    prepared: &Prepared,
) -> order_event::ActiveModel {
    let exponent = u32::try_from(prepared.currency.exponent).unwrap_or(0);
    order_event::ActiveModel {
        tenant_id: Set(actor.tenant_id),
        order_id: Set(order_id),
        event_type: Set(order_event::OrderEventType::Created),
        at: Set(at),
        actor: Set(actor.name.clone()),
        changes: Set(json!({
            "number": [null, number],
            "total": [null, prepared.totals.total.format(exponent)],
        })),
        ..Default::default()
    }
}

/// Rows per INSERT, below SQLite's limit of 32,766 bound parameters.
const ORDERS_PER_INSERT: usize = 400;
const ITEMS_PER_INSERT: usize = 1_500;
const EVENTS_PER_INSERT: usize = 2_000;

/// Writes prepared orders (new customers, orders, items, `CREATED` events) in
/// `txn`, numbered in input order: a handful of statements for any number of
/// orders. Returns the orders in input order.
///
/// The numbers are taken after the new customers are written: taking them
/// locks the tenant's row until the transaction ends, so every statement
/// before it runs outside the lock that serializes creates (and a refused
/// or replayed create still gives its number back: it is rolled back).
async fn insert_all<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    prepared: &[&Prepared],
    idempotency: Option<(&str, &str)>,
) -> Result<Vec<order::Model>, DbErr> {
    let now = super::now();
    let tenant_id = actor.tenant_id;
    let customers = customer_ids(txn, tenant_id, prepared, now).await?;
    if txn.get_database_backend() == DbBackend::Postgres && fits_one_statement(prepared) {
        return insert_all_at_once(txn, actor, prepared, &customers, idempotency, now).await;
    }
    let count = i64::try_from(prepared.len()).unwrap_or(i64::MAX);
    let first_seq = allocate_numbers(txn, tenant_id, count).await?;
    let mut rows = Vec::with_capacity(prepared.len());
    for (i, p) in prepared.iter().enumerate() {
        let customer_id = customer_of(p, &customers)?;
        let seq = first_seq + i64::try_from(i).unwrap_or(i64::MAX);
        rows.push(order_row(tenant_id, p, seq, customer_id, idempotency, now));
    }
    // PostgreSQL returns the rows it inserted (one round trip less under the
    // tenant lock); SQLite (one writer at a time anyway) reads them back.
    let mut written = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(ORDERS_PER_INSERT) {
        let insert = order::Entity::insert_many(chunk.to_vec());
        if txn.support_returning() {
            written.extend(insert.exec_with_returning(txn).await?);
        } else {
            insert.exec_without_returning(txn).await?;
        }
    }
    if !txn.support_returning() {
        written = order::Entity::find()
            .filter(order::Column::TenantId.eq(tenant_id))
            .filter(order::Column::NumberSeq.between(first_seq, first_seq + count - 1))
            .all(txn)
            .await?;
    }
    let mut by_seq: HashMap<i64, order::Model> =
        written.into_iter().map(|o| (o.number_seq, o)).collect();
    let mut orders = Vec::with_capacity(prepared.len());
    for i in 0..prepared.len() {
        let seq = first_seq + i64::try_from(i).unwrap_or(i64::MAX);
        orders.push(
            by_seq
                .remove(&seq)
                .ok_or_else(|| DbErr::RecordNotFound("order just created".to_owned()))?,
        );
    }
    let items: Vec<order_item::ActiveModel> = orders
        .iter()
        .zip(prepared)
        .flat_map(|(o, p)| item_rows(tenant_id, o.id, p, now))
        .collect();
    for chunk in items.chunks(ITEMS_PER_INSERT) {
        order_item::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    let events: Vec<order_event::ActiveModel> = orders
        .iter()
        .zip(prepared)
        .map(|(o, p)| created_event(actor, o.id, &o.number, o.created_at, p))
        .collect();
    for chunk in events.chunks(EVENTS_PER_INSERT) {
        order_event::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(orders)
}

/// The customer id of a prepared order, once its new customers are written.
fn customer_of(prepared: &Prepared, customers: &HashMap<String, i64>) -> Result<i64, DbErr> {
    match &prepared.customer {
        PreparedCustomer::Existing(id) => Ok(*id),
        PreparedCustomer::Create(c) => customers
            .get(&c.email.to_lowercase())
            .copied()
            .ok_or_else(|| DbErr::RecordNotFound("customer just created".to_owned())),
    }
}

/// Bound parameters of one PostgreSQL statement, with room to spare (the
/// protocol's limit is 65,535).
const PG_PARAMETERS: usize = 30_000;

/// `true` when the orders, items and events of `prepared` fit in one
/// PostgreSQL statement (a batch of 100 orders of 3 items: about 6,000
/// parameters; 100 orders of 250 items would not).
fn fits_one_statement(prepared: &[&Prepared]) -> bool {
    let items: usize = prepared.iter().map(|p| p.items.len()).sum();
    prepared.len() * (order::Column::iter().count() + order_event::Column::iter().count())
        + items * order_item::Column::iter().count()
        <= PG_PARAMETERS
}

/// PostgreSQL: the orders, their items and their `CREATED` events in one
/// statement that also takes their numbers: `WITH taken_numbers AS (UPDATE
/// tenants … RETURNING order_seq), written_items AS (INSERT …),
/// written_events AS (INSERT …) INSERT INTO orders … RETURNING *`, the
/// numbers (and the events' `changes`) computed from `taken_numbers` in SQL.
/// Taking the numbers locks the tenant's row until commit, which
/// serializes creates: in one statement, the lock is held for that
/// statement and the commit, with no round trip between them. Order ids
/// come from the sequence before.
async fn insert_all_at_once<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    prepared: &[&Prepared],
    customers: &HashMap<String, i64>,
    idempotency: Option<(&str, &str)>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<order::Model>, DbErr> {
    use sea_orm::sea_query::{Expr, SimpleExpr};

    let tenant_id = actor.tenant_id;
    let count = i64::try_from(prepared.len()).unwrap_or(i64::MAX);
    let ids = reserve_order_ids(txn, count).await?;
    let mut orders = Vec::with_capacity(prepared.len());
    let mut items = Vec::new();
    let mut events = Vec::with_capacity(prepared.len());
    let mut totals = Vec::with_capacity(prepared.len());
    for (p, id) in prepared.iter().zip(&ids) {
        // The number columns are replaced by SQL below.
        let mut row = order_row(
            tenant_id,
            p,
            0,
            customer_of(p, customers)?,
            idempotency,
            now,
        );
        row.id = Set(*id);
        orders.push(row);
        items.extend(item_rows(tenant_id, *id, p, now));
        events.push(created_event(actor, *id, "", now, p));
        let exponent = u32::try_from(p.currency.exponent).unwrap_or(0);
        totals.push(p.totals.total.format(exponent));
    }
    // The i-th order's number: the tenant's last number before this
    // statement, + 1 + i (`format_number` in SQL: at least six digits).
    let seq = |i: usize| -> SimpleExpr {
        let back = count - 1 - i64::try_from(i).unwrap_or(i64::MAX);
        Expr::cust_with_values("((SELECT order_seq FROM taken_numbers) - $1)", [back])
    };
    let number = |i: usize| -> SimpleExpr {
        Expr::cust_with_exprs(
            "('ORD-' || lpad(($1)::text, greatest(6, length(($1)::text)), '0'))",
            [seq(i)],
        )
    };
    let taken = super::orders::take_numbers(tenant_id, count);
    let cte = |name: &str, query: sea_orm::sea_query::SubQueryStatement| {
        CommonTableExpression::new()
            .query(query)
            .table_name(Alias::new(name))
            .to_owned()
    };
    let mut with = WithClause::new();
    with.cte(cte("taken_numbers", taken.into()));
    if !items.is_empty() {
        with.cte(cte(
            "written_items",
            order_item::Entity::insert_many(items).into_query().into(),
        ));
    }
    let events = insert_rows::<order_event::Entity>(&events, |i, column| {
        matches!(column, order_event::Column::Changes).then(|| {
            Expr::cust_with_exprs(
                "json_build_object('number', json_build_array(NULL, $1), 'total', json_build_array(NULL, $2))",
                [number(i), Expr::val(totals[i].clone())],
            )
        })
    });
    with.cte(cte("written_events", events.into()));
    let mut statement = insert_rows::<order::Entity>(&orders, |i, column| match column {
        order::Column::Number => Some(number(i)),
        order::Column::NumberSeq => Some(seq(i)),
        _ => None,
    });
    statement.returning_all().with_cte(with);
    let rows = txn.query_all(&statement).await?;
    let mut by_id: HashMap<i64, order::Model> = rows
        .iter()
        .map(|row| order::Model::from_query_result(row, "").map(|o| (o.id, o)))
        .collect::<Result<_, _>>()?;
    ids.iter()
        .map(|id| {
            by_id
                .remove(id)
                .ok_or_else(|| DbErr::RecordNotFound("order just created".to_owned()))
        })
        .collect()
}

/// An INSERT of `rows` (each sets the same columns, as SeaORM's
/// `insert_many` writes them) in which `swap` may give a row's column as an
/// SQL expression instead of its value.
fn insert_rows<E: EntityTrait>(
    rows: &[E::ActiveModel],
    swap: impl Fn(usize, E::Column) -> Option<sea_orm::sea_query::SimpleExpr>,
) -> sea_orm::sea_query::InsertStatement {
    use sea_orm::sea_query::{Expr, Query};
    use sea_orm::ActiveModelTrait;

    let columns: Vec<E::Column> = E::Column::iter()
        .filter(|c| rows.first().is_some_and(|row| row.get(*c).is_set()))
        .collect();
    let mut insert = Query::insert();
    insert
        .into_table(E::default())
        .columns(columns.iter().copied());
    for (i, row) in rows.iter().enumerate() {
        let values: Vec<_> = columns
            .iter()
            .map(|c| match swap(i, *c) {
                Some(expr) => expr,
                None => {
                    c.save_as(Expr::val(row.get(*c).into_value().unwrap_or_else(|| {
                        unreachable!("every row sets the same columns")
                    })))
                }
            })
            .collect();
        insert.values_panic(values);
    }
    insert
}

/// PostgreSQL: `count` ids from the orders' sequence, in order.
async fn reserve_order_ids<C: ConnectionTrait>(txn: &C, count: i64) -> Result<Vec<i64>, DbErr> {
    let rows = txn
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT nextval(pg_get_serial_sequence('orders', 'id')) AS id \
             FROM generate_series(1, $1) ORDER BY 1",
            [count.into()],
        ))
        .await?;
    rows.iter()
        .map(|row| row.try_get::<i64>("", "id"))
        .collect()
}

/// Writes one prepared order in `txn`.
async fn insert<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    prepared: &Prepared,
    idempotency: Option<(&str, &str)>,
) -> Result<order::Model, DbErr> {
    insert_all(txn, actor, &[prepared], idempotency)
        .await?
        .pop()
        .ok_or_else(|| DbErr::RecordNotFound("order just created".to_owned()))
}

/// Appends an event to an order's history.
pub async fn record_event<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    order_id: i64,
    event_type: order_event::OrderEventType,
    changes: Value,
) -> Result<(), DbErr> {
    order_event::Entity::insert(order_event::ActiveModel {
        tenant_id: Set(actor.tenant_id),
        order_id: Set(order_id),
        event_type: Set(event_type),
        at: Set(super::now()),
        actor: Set(actor.name.clone()),
        changes: Set(changes),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// An order created, or found again for a repeated idempotency key.
#[derive(Clone, Debug)]
pub struct Created {
    pub order: order::Model,
    pub replay: bool,
}

async fn by_idempotency_key(
    db: &DatabaseConnection,
    tenant_id: i64,
    key: &str,
) -> Result<Option<order::Model>, DbErr> {
    order::Entity::find()
        .filter(order::Column::TenantId.eq(tenant_id))
        .filter(order::Column::IdempotencyKey.eq(key))
        .one(db)
        .await
}

fn replay_or_reused(existing: order::Model, hash: &str) -> Result<Created, ServiceError> {
    if existing.idempotency_hash.as_deref() == Some(hash) {
        Ok(Created {
            order: existing,
            replay: true,
        })
    } else {
        Err(FieldError::new(
            &["idempotencyKey"],
            ErrorCode::IdempotencyKeyReused,
            "this idempotency key was used with a different input",
        )
        .into())
    }
}

fn reference_taken(path: &Path) -> FieldError {
    path.error(
        &["reference"],
        ErrorCode::Duplicate,
        "an order with this reference exists",
    )
}

/// Creates one order. With an idempotency key, a repeat of the same input
/// returns the first order (`replay`), a different input is `IDEMPOTENCY_KEY_REUSED`;
/// a concurrent twin waits for the first to commit (the unique index makes it wait) and replays it.
#[tracing::instrument(skip(db, currencies, input))]
pub async fn create(
    db: &DatabaseConnection,
    currencies: &CurrencyTable,
    actor: &Actor,
    input: NewOrder,
    idempotency: Option<(String, String)>,
) -> Result<Created, ServiceError> {
    let tenant_id = actor.tenant_id;
    if let Some((key, hash)) = &idempotency {
        if key.trim().is_empty() || key.chars().count() > 255 {
            return Err(FieldError::new(
                &["idempotencyKey"],
                ErrorCode::Invalid,
                "must be 1 to 255 characters",
            )
            .into());
        }
        if let Some(existing) = by_idempotency_key(db, tenant_id, key).await? {
            return replay_or_reused(existing, hash);
        }
    }
    let path = Path(vec!["input".to_owned()]);
    let lookups = Lookups::load(db, tenant_id, std::slice::from_ref(&input)).await?;
    let prepared = prepare(&lookups, currencies, input, &path).map_err(ServiceError::Invalid)?;
    // The number is taken inside the transaction (`insert_all`): a refused
    // or replayed create gives it back, and numbers follow commit order.
    let txn = db.begin().await?;
    let written = insert(
        &txn,
        actor,
        &prepared,
        idempotency.as_ref().map(|(k, h)| (k.as_str(), h.as_str())),
    )
    .await;
    let written = match written {
        Ok(order) => txn.commit().await.map(|()| order),
        Err(err) => {
            let _ = txn.rollback().await;
            Err(err)
        }
    };
    match written {
        Ok(order) => Ok(Created {
            order,
            replay: false,
        }),
        Err(err) => match (unique_violation(&err), &idempotency) {
            (Some(UniqueKey::OrderIdempotencyKey), Some((key, hash))) => {
                let existing = by_idempotency_key(db, tenant_id, key)
                    .await?
                    .ok_or(ServiceError::Db(err))?;
                replay_or_reused(existing, hash)
            }
            (Some(UniqueKey::OrderReference), _) => Err(reference_taken(&path).into()),
            _ => Err(ServiceError::Db(err)),
        },
    }
}

/// How a batch treats failing inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchPolicy {
    /// Nothing is written when any input fails.
    RejectEverything,
    /// The valid inputs are written.
    RejectFailedRows,
}

/// One result per input, in input order.
pub type BatchResult = Vec<Result<order::Model, Vec<FieldError>>>;

/// Creates up to 100 orders in one transaction.
#[tracing::instrument(skip(db, currencies, inputs))]
pub async fn create_many(
    db: &DatabaseConnection,
    currencies: &CurrencyTable,
    actor: &Actor,
    inputs: Vec<NewOrder>,
    policy: BatchPolicy,
) -> Result<BatchResult, ServiceError> {
    if inputs.len() > MAX_BATCH {
        return Err(FieldError::new(
            &["inputs"],
            ErrorCode::TooManyItems,
            format!("at most {MAX_BATCH} orders per call"),
        )
        .into());
    }
    let tenant_id = actor.tenant_id;
    let lookups = Lookups::load(db, tenant_id, &inputs).await?;
    let mut prepared: Vec<Result<Prepared, Vec<FieldError>>> = Vec::with_capacity(inputs.len());
    let mut references: Vec<Option<String>> = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.into_iter().enumerate() {
        let path = Path(vec!["inputs".to_owned(), i.to_string()]);
        references.push(trimmed(&input.reference));
        prepared.push(prepare(&lookups, currencies, input, &path));
    }
    // References must be unique: within the batch and against existing orders.
    let wanted: Vec<String> = references.iter().flatten().cloned().collect();
    let taken: std::collections::HashSet<String> = if wanted.is_empty() {
        Default::default()
    } else {
        order::Entity::find()
            .filter(order::Column::TenantId.eq(tenant_id))
            .filter(order::Column::Reference.is_in(wanted))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|o| o.reference)
            .collect()
    };
    let mut seen = std::collections::HashSet::new();
    for (i, reference) in references.iter().enumerate() {
        if let Some(reference) = reference {
            if taken.contains(reference) || !seen.insert(reference.clone()) {
                let error = reference_taken(&Path(vec!["inputs".to_owned(), i.to_string()]));
                match &mut prepared[i] {
                    Ok(_) => prepared[i] = Err(vec![error]),
                    Err(errors) => errors.push(error),
                }
            }
        }
    }
    let any_failed = prepared.iter().any(Result::is_err);
    if any_failed && policy == BatchPolicy::RejectEverything {
        // Valid inputs get no order and no error: they were not written either.
        return Ok(prepared
            .into_iter()
            .map(|p| Err(p.err().unwrap_or_default()))
            .collect());
    }
    let good = prepared.iter().filter(|p| p.is_ok()).count();
    if good == 0 {
        return Ok(prepared
            .into_iter()
            .map(|p| Err(p.err().unwrap_or_default()))
            .collect());
    }
    let txn = db.begin().await?;
    let good: Vec<&Prepared> = prepared.iter().filter_map(|p| p.as_ref().ok()).collect();
    let mut written = match insert_all(&txn, actor, &good, None).await {
        Ok(orders) => orders.into_iter(),
        Err(err) => {
            let _ = txn.rollback().await;
            return Err(err.into());
        }
    };
    let mut results = Vec::with_capacity(prepared.len());
    for p in prepared {
        match p {
            Ok(_) => match written.next() {
                Some(order) => results.push(Ok(order)),
                None => {
                    let _ = txn.rollback().await;
                    return Err(DbErr::RecordNotFound("order just created".to_owned()).into());
                }
            },
            Err(errors) => results.push(Err(errors)),
        }
    }
    txn.commit().await?;
    Ok(results)
}
