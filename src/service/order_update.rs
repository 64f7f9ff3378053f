//! Changing orders: partial updates with status transitions, item changes,
//! archiving. Every change bumps `version` with a conditional UPDATE
//! (`WHERE version = ?`, so it holds across server processes) and appends its
//! events in the same transaction.

use entity::order::{
    DeliveryMethod, FulfillmentStatus, OrderSource, OrderStatus, PaymentStatus, ShippingMethod,
};
use entity::order_event::OrderEventType;
use entity::{order, order_item};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::ActiveEnum;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, QueryFilter, TransactionTrait,
};
use serde_json::{json, Map, Value};

use super::currencies::CurrencyTable;
use super::order_write::{
    check_address, check_metadata, item_lines, parse_amount, record_event, Actor, NewItem, Path,
    MAX_ITEMS,
};
use super::{unique_violation, ErrorCode, FieldError, Patch, ServiceError, UniqueKey};
use crate::domain::money::Amount;
use crate::domain::status::{items_editable, Transitions};
use crate::domain::totals::{order_totals, ItemTotals, TotalsError};

/// How often an update without `expectedVersion` is retried after losing a race.
const RETRIES: usize = 5;

/// Changes to an order: left out = unchanged, `Clear` = set to null.
#[derive(Clone, Debug, Default)]
pub struct OrderPatch {
    pub reference: Patch<String>,
    pub external_id: Patch<String>,
    pub description: Patch<String>,
    pub source: Patch<OrderSource>,
    pub locale: Patch<String>,
    pub payment_reference: Patch<String>,
    pub shipping_total: Patch<String>,
    pub discount: Patch<String>,
    pub tax: Patch<String>,
    pub expected_total: Option<String>,
    pub billing_address: Patch<Value>,
    pub shipping_address: Patch<Value>,
    pub delivery_method: Patch<DeliveryMethod>,
    pub shipping_method: Patch<ShippingMethod>,
    pub metadata: Patch<Value>,
    pub status: Patch<OrderStatus>,
    pub payment_status: Patch<PaymentStatus>,
    pub fulfillment_status: Patch<FulfillmentStatus>,
}

/// Changes to an item.
#[derive(Clone, Debug, Default)]
pub struct ItemPatch {
    pub sku: Patch<String>,
    pub name: Patch<String>,
    pub barcode: Patch<String>,
    pub quantity: Patch<i32>,
    pub unit_price: Patch<String>,
    pub discount: Patch<String>,
    pub tax: Patch<String>,
    pub metadata: Patch<Value>,
}

fn error(field: &[&str], code: ErrorCode, message: &str) -> ServiceError {
    FieldError::new(field, code, message).into()
}

async fn load(
    db: &DatabaseConnection,
    tenant_id: i64,
    id: Option<i64>,
    field: &str,
) -> Result<order::Model, ServiceError> {
    let found = match id {
        Some(id) => super::orders::by_id(db, tenant_id, id).await?,
        None => None,
    };
    found.ok_or_else(|| error(&[field], ErrorCode::NotFound, "no such order"))
}

fn check_version(order: &order::Model, expected: Option<i32>) -> Result<(), ServiceError> {
    match expected {
        Some(v) if v != order.version => Err(error(
            &["expectedVersion"],
            ErrorCode::VersionConflict,
            &format!("the order is at version {}, not {v}", order.version),
        )),
        _ => Ok(()),
    }
}

fn version_conflict() -> ServiceError {
    error(
        &["expectedVersion"],
        ErrorCode::VersionConflict,
        "the order was changed by someone else meanwhile",
    )
}

/// Writes `changes` to the order if it is still at `version`, bumping it; `false` when it is not.
async fn bump(
    txn: &DatabaseTransaction,
    order: &order::Model,
    mut changes: order::ActiveModel,
) -> Result<bool, DbErr> {
    changes.updated_at = Set(super::now());
    let result = order::Entity::update_many()
        .set(changes)
        .col_expr(
            order::Column::Version,
            Expr::col(order::Column::Version).add(1),
        )
        .filter(order::Column::Id.eq(order.id))
        .filter(order::Column::TenantId.eq(order.tenant_id))
        .filter(order::Column::Version.eq(order.version))
        .exec(txn)
        .await?;
    Ok(result.rows_affected == 1)
}

async fn reread(db: &impl ConnectionTrait, id: i64) -> Result<order::Model, ServiceError> {
    order::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::Db(DbErr::RecordNotFound("order".to_owned())))
}

fn exponent(currencies: &CurrencyTable, order: &order::Model) -> u32 {
    currencies
        .get(order.currency_id)
        .map(|c| u32::try_from(c.exponent).unwrap_or(0))
        .unwrap_or(2)
}

fn stored_totals(items: &[order_item::Model]) -> Vec<ItemTotals> {
    items
        .iter()
        .map(|i| ItemTotals {
            subtotal: Amount(i.subtotal),
            discount_total: Amount(i.discount_total),
            tax_total: Amount(i.tax_total),
            total: Amount(i.total),
        })
        .collect()
}

fn totals_error(err: TotalsError, field: &[&str]) -> ServiceError {
    match err {
        TotalsError::Negative => error(
            field,
            ErrorCode::NegativeAmount,
            "the discount is larger than the amount it applies to",
        ),
        TotalsError::Overflow => error(
            field,
            ErrorCode::InvalidDecimal,
            "the amounts are too large",
        ),
    }
}

/// Sets the recomputed order totals on `changes`.
fn set_totals(
    changes: &mut order::ActiveModel,
    items: &[ItemTotals],
    discount: Amount,
    shipping: Amount,
    tax: Amount,
    field: &[&str],
) -> Result<Amount, ServiceError> {
    let totals =
        order_totals(items, discount, shipping, tax).map_err(|e| totals_error(e, field))?;
    changes.subtotal = Set(totals.subtotal.0);
    changes.discount_total = Set(totals.discount_total.0);
    changes.tax_total = Set(totals.tax_total.0);
    changes.shipping_total = Set(totals.shipping_total.0);
    changes.total = Set(totals.total.0);
    Ok(totals.total)
}

fn jtext(v: &Option<String>) -> Value {
    v.as_ref().map_or(Value::Null, |s| Value::String(s.clone()))
}

fn enum_json<T: sea_orm::ActiveEnum<Value = String>>(v: Option<T>) -> Value {
    v.map_or(Value::Null, |e| Value::String(e.to_value()))
}

/// Applies a partial update (see API.md): statuses move only as the
/// transition tables allow, amounts are re-totalled, one `STATUS_CHANGED`
/// event per status changed and one `UPDATED` event for the other fields;
/// a change to the same values writes nothing.
#[tracing::instrument(skip(db, currencies, patch))]
pub async fn update(
    db: &DatabaseConnection,
    currencies: &CurrencyTable,
    actor: &Actor,
    id: Option<i64>,
    patch: OrderPatch,
    expected_version: Option<i32>,
) -> Result<order::Model, ServiceError> {
    for _ in 0..RETRIES {
        let order = load(db, actor.tenant_id, id, "id").await?;
        match try_update(db, currencies, actor, &order, &patch, expected_version).await? {
            Some(updated) => return Ok(updated),
            None if expected_version.is_some() => return Err(version_conflict()),
            None => continue,
        }
    }
    Err(version_conflict())
}

/// `None` when the order changed between reading and writing.
async fn try_update(
    db: &DatabaseConnection,
    currencies: &CurrencyTable,
    actor: &Actor,
    order: &order::Model,
    patch: &OrderPatch,
    expected_version: Option<i32>,
) -> Result<Option<order::Model>, ServiceError> {
    if order.archived_at.is_some() {
        return Err(error(
            &["id"],
            ErrorCode::OrderArchived,
            "the order is archived; unarchive it first",
        ));
    }
    check_version(order, expected_version)?;
    let path = Path(vec!["input".to_owned()]);
    let exp = exponent(currencies, order);
    let mut errors = Vec::new();
    let mut changes = order::ActiveModel::default();
    let mut updated = Map::new();
    let mut status_events: Vec<Value> = Vec::new();

    macro_rules! text_field {
        ($patch:expr, $col:ident, $name:literal, $max:expr) => {
            let value = match &$patch {
                Patch::Unchanged => None,
                Patch::Clear => Some(None),
                Patch::Set(v) => {
                    let v = v.trim();
                    if v.chars().count() > $max {
                        errors.push(FieldError::new(
                            &["input", $name],
                            ErrorCode::TooLong,
                            format!("must be at most {} characters", $max),
                        ));
                    }
                    Some(if v.is_empty() {
                        None
                    } else {
                        Some(v.to_owned())
                    })
                }
            };
            if let Some(value) = value {
                if value != order.$col {
                    updated.insert($name.to_owned(), json!([jtext(&order.$col), jtext(&value)]));
                    changes.$col = Set(value);
                }
            }
        };
    }
    text_field!(patch.reference, reference, "reference", 35);
    text_field!(patch.external_id, external_id, "externalId", 255);
    text_field!(patch.description, description, "description", 4096);
    text_field!(patch.locale, locale, "locale", 35);
    text_field!(
        patch.payment_reference,
        payment_reference,
        "paymentReference",
        255
    );

    macro_rules! optional_field {
        ($patch:expr, $col:ident, $name:literal, $to_json:expr) => {
            let value = match &$patch {
                Patch::Unchanged => None,
                Patch::Clear => Some(None),
                Patch::Set(v) => Some(Some(v.clone())),
            };
            if let Some(value) = value {
                if value != order.$col {
                    updated.insert(
                        $name.to_owned(),
                        json!([$to_json(order.$col.clone()), $to_json(value.clone())]),
                    );
                    changes.$col = Set(value);
                }
            }
        };
    }
    let json_or_null = |v: Option<Value>| v.unwrap_or(Value::Null);
    if let Patch::Set(v) = &patch.billing_address {
        check_address(&mut errors, &path, "billingAddress", &Some(v.clone()));
    }
    if let Patch::Set(v) = &patch.shipping_address {
        check_address(&mut errors, &path, "shippingAddress", &Some(v.clone()));
    }
    if let Patch::Set(v) = &patch.metadata {
        check_metadata(&mut errors, &path, &["metadata"], &Some(v.clone()));
    }
    optional_field!(
        patch.billing_address,
        billing_address,
        "billingAddress",
        json_or_null
    );
    optional_field!(
        patch.shipping_address,
        shipping_address,
        "shippingAddress",
        json_or_null
    );
    optional_field!(patch.metadata, metadata, "metadata", json_or_null);
    optional_field!(
        patch.delivery_method,
        delivery_method,
        "deliveryMethod",
        enum_json
    );
    optional_field!(
        patch.shipping_method,
        shipping_method,
        "shippingMethod",
        enum_json
    );

    match &patch.source {
        Patch::Unchanged => {}
        Patch::Clear => errors.push(FieldError::new(
            &["input", "source"],
            ErrorCode::Required,
            "cannot be cleared",
        )),
        Patch::Set(v) => {
            if *v != order.source {
                updated.insert(
                    "source".to_owned(),
                    json!([enum_json(Some(order.source)), enum_json(Some(*v))]),
                );
                changes.source = Set(*v);
            }
        }
    }

    macro_rules! status_field {
        ($patch:expr, $col:ident, $name:literal) => {
            match &$patch {
                Patch::Unchanged => {}
                Patch::Clear => errors.push(FieldError::new(&["input", $name], ErrorCode::Required, "cannot be cleared")),
                Patch::Set(to) => {
                    let from = order.$col;
                    if !from.can_move_to(*to) {
                        errors.push(FieldError::new(
                            &["input", $name],
                            ErrorCode::InvalidTransition,
                            format!("cannot move from {} to {}", from.to_value(), to.to_value()),
                        ));
                    } else if from != *to {
                        status_events.push(json!({ $name: [from.to_value(), to.to_value()] }));
                        changes.$col = Set(*to);
                    }
                }
            }
        };
    }
    status_field!(patch.status, status, "status");
    status_field!(patch.payment_status, payment_status, "paymentStatus");
    status_field!(
        patch.fulfillment_status,
        fulfillment_status,
        "fulfillmentStatus"
    );

    // Amounts: null is REQUIRED (they are never null); a change re-totals the order.
    let mut amount = |p: &Patch<String>, name: &'static str, current: i64| -> i64 {
        match p {
            Patch::Unchanged => current,
            Patch::Clear => {
                errors.push(FieldError::new(
                    &["input", name],
                    ErrorCode::Required,
                    "cannot be cleared (send \"0\")",
                ));
                current
            }
            Patch::Set(text) => parse_amount(&mut errors, &path, &[name], Some(text), exp).0,
        }
    };
    let shipping = amount(&patch.shipping_total, "shippingTotal", order.shipping_total);
    let discount = amount(&patch.discount, "discount", order.order_discount);
    let tax = amount(&patch.tax, "tax", order.order_tax);
    let expected = patch
        .expected_total
        .as_deref()
        .map(|t| parse_amount(&mut errors, &path, &["expectedTotal"], Some(t), exp));
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut total = Amount(order.total);
    if shipping != order.shipping_total
        || discount != order.order_discount
        || tax != order.order_tax
    {
        let items =
            super::orders::items_of(db, order.tenant_id, &[order.id], super::rows::Columns::ALL)
                .await?;
        total = set_totals(
            &mut changes,
            &stored_totals(&items),
            Amount(discount),
            Amount(shipping),
            Amount(tax),
            &["input", "discount"],
        )?;
        changes.order_discount = Set(discount);
        changes.order_tax = Set(tax);
        for (name, before, after) in [
            ("shippingTotal", order.shipping_total, shipping),
            ("discount", order.order_discount, discount),
            ("tax", order.order_tax, tax),
        ] {
            if before != after {
                updated.insert(
                    name.to_owned(),
                    json!([Amount(before).format(exp), Amount(after).format(exp)]),
                );
            }
        }
    }
    if let Some(expected) = expected {
        if expected != total {
            return Err(error(
                &["input", "expectedTotal"],
                ErrorCode::TotalMismatch,
                &format!(
                    "the computed total is {} but {} was expected",
                    total.format(exp),
                    expected.format(exp)
                ),
            ));
        }
    }
    if updated.is_empty() && status_events.is_empty() {
        return Ok(Some(order.clone()));
    }

    let txn = db.begin().await?;
    let written = async {
        if !bump(&txn, order, changes).await? {
            return Ok(false);
        }
        for changes in &status_events {
            record_event(
                &txn,
                actor,
                order.id,
                OrderEventType::StatusChanged,
                changes.clone(),
            )
            .await?;
        }
        if !updated.is_empty() {
            record_event(
                &txn,
                actor,
                order.id,
                OrderEventType::Updated,
                Value::Object(updated.clone()),
            )
            .await?;
        }
        Ok::<bool, DbErr>(true)
    }
    .await;
    match written {
        Ok(true) => {
            txn.commit().await?;
            Ok(Some(reread(db, order.id).await?))
        }
        Ok(false) => {
            txn.rollback().await?;
            Ok(None)
        }
        Err(err) => {
            let _ = txn.rollback().await;
            match unique_violation(&err) {
                Some(UniqueKey::OrderReference) => Err(error(
                    &["input", "reference"],
                    ErrorCode::Duplicate,
                    "an order with this reference exists",
                )),
                _ => Err(err.into()),
            }
        }
    }
}

fn check_editable(order: &order::Model, field: &str) -> Result<(), ServiceError> {
    if order.archived_at.is_some() {
        return Err(error(
            &[field],
            ErrorCode::OrderArchived,
            "the order is archived; unarchive it first",
        ));
    }
    if !items_editable(order.status) {
        return Err(error(
            &[field],
            ErrorCode::OrderNotEditable,
            &format!(
                "items can change only while the order is PENDING or PROCESSING, not {}",
                order.status.to_value()
            ),
        ));
    }
    Ok(())
}

/// Re-totals the order from `items` (its items after the change) into `changes`.
fn retotal(
    order: &order::Model,
    items: &[ItemTotals],
    field: &[&str],
) -> Result<order::ActiveModel, ServiceError> {
    let mut changes = order::ActiveModel::default();
    set_totals(
        &mut changes,
        items,
        Amount(order.order_discount),
        Amount(order.shipping_total),
        Amount(order.order_tax),
        field,
    )?;
    Ok(changes)
}

/// Runs `write` in a transaction after bumping the version; `VERSION_CONFLICT` when the order moved on.
async fn with_bump<F>(
    db: &DatabaseConnection,
    order: &order::Model,
    changes: order::ActiveModel,
    write: F,
) -> Result<order::Model, ServiceError>
where
    F: for<'t> FnOnce(
        &'t DatabaseTransaction,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<(), DbErr>> + Send + 't>,
    >,
{
    let txn = db.begin().await?;
    let result = async {
        if !bump(&txn, order, changes).await? {
            return Ok(false);
        }
        write(&txn).await?;
        Ok::<bool, DbErr>(true)
    }
    .await;
    match result {
        Ok(true) => {
            txn.commit().await?;
            reread(db, order.id).await
        }
        Ok(false) => {
            txn.rollback().await?;
            Err(version_conflict())
        }
        Err(err) => {
            let _ = txn.rollback().await;
            Err(err.into())
        }
    }
}

fn item_json(item: &order_item::Model, exp: u32) -> Value {
    json!({
        "sku": item.sku,
        "name": item.name,
        "quantity": item.quantity,
        "unitPrice": Amount(item.unit_price).format(exp),
        "discount": Amount(item.discount_total).format(exp),
        "tax": Amount(item.tax_total).format(exp),
        "total": Amount(item.total).format(exp),
    })
}

/// Adds items (while PENDING or PROCESSING), re-totalling the order.
#[tracing::instrument(skip(db, currencies, items))]
pub async fn add_items(
    db: &DatabaseConnection,
    currencies: &CurrencyTable,
    actor: &Actor,
    order_id: Option<i64>,
    items: Vec<NewItem>,
    expected_version: Option<i32>,
) -> Result<order::Model, ServiceError> {
    let order = load(db, actor.tenant_id, order_id, "orderId").await?;
    check_version(&order, expected_version)?;
    check_editable(&order, "orderId")?;
    let existing =
        super::orders::items_of(db, order.tenant_id, &[order.id], super::rows::Columns::ALL)
            .await?;
    if items.is_empty() {
        return Err(error(
            &["items"],
            ErrorCode::Required,
            "give at least one item",
        ));
    }
    if existing.len() + items.len() > MAX_ITEMS {
        return Err(error(
            &["items"],
            ErrorCode::TooManyItems,
            &format!("an order has at most {MAX_ITEMS} items"),
        ));
    }
    let exp = exponent(currencies, &order);
    let mut errors = Vec::new();
    let lines = item_lines(&mut errors, &Path(Vec::new()), &items, exp);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut all = stored_totals(&existing);
    all.extend(lines.iter().map(|(_, t)| *t));
    let changes = retotal(&order, &all, &["items"])?;
    let next_position = existing
        .iter()
        .map(|i| i.position)
        .max()
        .map_or(0, |p| p + 1);
    let now = super::now();
    let rows: Vec<order_item::ActiveModel> = items
        .iter()
        .zip(&lines)
        .enumerate()
        .map(|(i, (item, (unit_price, t)))| order_item::ActiveModel {
            tenant_id: Set(order.tenant_id),
            order_id: Set(order.id),
            position: Set(next_position + i32::try_from(i).unwrap_or(0)),
            sku: Set(item.sku.trim().to_owned()),
            name: Set(item.name.trim().to_owned()),
            barcode: Set(item.barcode.clone().filter(|b| !b.trim().is_empty())),
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
        })
        .collect();
    let events: Vec<Value> = items
        .iter()
        .zip(&lines)
        .map(|(item, (unit_price, t))| {
            json!({
                "sku": [null, item.sku.trim()],
                "quantity": [null, item.quantity],
                "unitPrice": [null, unit_price.format(exp)],
                "total": [null, t.total.format(exp)],
            })
        })
        .collect();
    let actor = actor.clone();
    let id = order.id;
    with_bump(db, &order, changes, move |txn| {
        Box::pin(async move {
            order_item::Entity::insert_many(rows)
                .exec_without_returning(txn)
                .await?;
            for changes in events {
                record_event(txn, &actor, id, OrderEventType::ItemAdded, changes).await?;
            }
            Ok(())
        })
    })
    .await
}

async fn load_item(
    db: &DatabaseConnection,
    tenant_id: i64,
    id: Option<i64>,
) -> Result<order_item::Model, ServiceError> {
    let found = match id {
        Some(id) => super::orders::items_by_ids(db, tenant_id, &[id])
            .await?
            .pop(),
        None => None,
    };
    found.ok_or_else(|| error(&["id"], ErrorCode::NotFound, "no such order item"))
}

/// Changes one item (while PENDING or PROCESSING), re-totalling the order.
#[tracing::instrument(skip(db, currencies, patch))]
pub async fn update_item(
    db: &DatabaseConnection,
    currencies: &CurrencyTable,
    actor: &Actor,
    item_id: Option<i64>,
    patch: ItemPatch,
    expected_version: Option<i32>,
) -> Result<order::Model, ServiceError> {
    let item = load_item(db, actor.tenant_id, item_id).await?;
    let order = load(db, actor.tenant_id, Some(item.order_id), "id").await?;
    check_version(&order, expected_version)?;
    check_editable(&order, "id")?;
    let exp = exponent(currencies, &order);
    let path = Path(vec!["input".to_owned()]);
    let mut errors = Vec::new();
    let required =
        |p: &Patch<String>, name: &str, current: &str, errors: &mut Vec<FieldError>| match p {
            Patch::Unchanged => current.to_owned(),
            Patch::Clear => {
                errors.push(FieldError::new(
                    &["input", name],
                    ErrorCode::Required,
                    "cannot be cleared",
                ));
                current.to_owned()
            }
            Patch::Set(v) => v.clone(),
        };
    let sku = required(&patch.sku, "sku", &item.sku, &mut errors);
    let name = required(&patch.name, "name", &item.name, &mut errors);
    let money =
        |p: &Patch<String>, name: &'static str, current: i64, errors: &mut Vec<FieldError>| match p
        {
            Patch::Unchanged => Amount(current).format(4),
            Patch::Clear if name != "unitPrice" => "0".to_owned(),
            Patch::Clear => {
                errors.push(FieldError::new(
                    &["input", name],
                    ErrorCode::Required,
                    "cannot be cleared",
                ));
                Amount(current).format(4)
            }
            Patch::Set(v) => v.clone(),
        };
    let candidate = NewItem {
        sku,
        name,
        quantity: match patch.quantity {
            Patch::Unchanged => item.quantity,
            Patch::Clear => {
                errors.push(FieldError::new(
                    &["input", "quantity"],
                    ErrorCode::Required,
                    "cannot be cleared",
                ));
                item.quantity
            }
            Patch::Set(q) => q,
        },
        unit_price: money(&patch.unit_price, "unitPrice", item.unit_price, &mut errors),
        discount: Some(money(
            &patch.discount,
            "discount",
            item.discount_total,
            &mut errors,
        )),
        tax: Some(money(&patch.tax, "tax", item.tax_total, &mut errors)),
        barcode: match &patch.barcode {
            Patch::Unchanged => item.barcode.clone(),
            Patch::Clear => None,
            Patch::Set(b) => Some(b.clone()),
        },
        metadata: match &patch.metadata {
            Patch::Unchanged => item.metadata.clone(),
            Patch::Clear => None,
            Patch::Set(m) => Some(m.clone()),
        },
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    // Stored amounts have 4 places: only re-check the exponent of amounts the caller sent.
    let check = |p: &Patch<String>, name: &'static str, errors: &mut Vec<FieldError>| {
        if let Patch::Set(text) = p {
            parse_amount(errors, &path, &[name], Some(text), exp);
        }
    };
    check(&patch.unit_price, "unitPrice", &mut errors);
    check(&patch.discount, "discount", &mut errors);
    check(&patch.tax, "tax", &mut errors);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let lines = item_lines(&mut errors, &path, std::slice::from_ref(&candidate), 4);
    if !errors.is_empty() {
        // item_lines reports ["input","items","0",field]: the item is the input here.
        return Err(ServiceError::Invalid(
            errors
                .into_iter()
                .map(|mut e| {
                    e.field = std::iter::once("input".to_owned())
                        .chain(e.field.into_iter().skip(3))
                        .collect();
                    e
                })
                .collect(),
        ));
    }
    let Some((unit_price, totals)) = lines.first().copied() else {
        return Err(error(&["input"], ErrorCode::Invalid, "invalid item"));
    };
    let siblings =
        super::orders::items_of(db, order.tenant_id, &[order.id], super::rows::Columns::ALL)
            .await?;
    let all: Vec<ItemTotals> = siblings
        .iter()
        .map(|s| {
            if s.id == item.id {
                totals
            } else {
                stored_totals(std::slice::from_ref(s))[0]
            }
        })
        .collect();
    let changes = retotal(&order, &all, &["input", "discount"])?;
    let mut row: order_item::ActiveModel = item.clone().into();
    row.sku = Set(candidate.sku.trim().to_owned());
    row.name = Set(candidate.name.trim().to_owned());
    row.barcode = Set(candidate.barcode.clone());
    row.quantity = Set(candidate.quantity);
    row.unit_price = Set(unit_price.0);
    row.subtotal = Set(totals.subtotal.0);
    row.discount_total = Set(totals.discount_total.0);
    row.tax_total = Set(totals.tax_total.0);
    row.total = Set(totals.total.0);
    row.metadata = Set(candidate.metadata.clone());
    row.updated_at = Set(super::now());
    let mut after = item.clone();
    after.sku = candidate.sku.trim().to_owned();
    after.name = candidate.name.trim().to_owned();
    after.quantity = candidate.quantity;
    after.unit_price = unit_price.0;
    after.discount_total = totals.discount_total.0;
    after.tax_total = totals.tax_total.0;
    after.total = totals.total.0;
    let (before_json, after_json) = (item_json(&item, exp), item_json(&after, exp));
    if before_json == after_json
        && candidate.barcode == item.barcode
        && candidate.metadata == item.metadata
    {
        return Ok(order);
    }
    let mut diff = Map::new();
    if let (Value::Object(b), Value::Object(a)) = (&before_json, &after_json) {
        for (k, v) in a {
            if b.get(k) != Some(v) {
                diff.insert(
                    k.clone(),
                    json!([b.get(k).cloned().unwrap_or(Value::Null), v]),
                );
            }
        }
    }
    diff.insert("itemId".to_owned(), json!(item.id));
    let actor = actor.clone();
    let id = order.id;
    with_bump(db, &order, changes, move |txn| {
        Box::pin(async move {
            order_item::Entity::update(row).exec(txn).await?;
            record_event(
                txn,
                &actor,
                id,
                OrderEventType::ItemUpdated,
                Value::Object(diff),
            )
            .await?;
            Ok(())
        })
    })
    .await
}

/// Removes one item (while PENDING or PROCESSING); the last item cannot go.
#[tracing::instrument(skip(db, currencies))]
pub async fn remove_item(
    db: &DatabaseConnection,
    currencies: &CurrencyTable,
    actor: &Actor,
    item_id: Option<i64>,
    expected_version: Option<i32>,
) -> Result<order::Model, ServiceError> {
    let item = load_item(db, actor.tenant_id, item_id).await?;
    let order = load(db, actor.tenant_id, Some(item.order_id), "id").await?;
    check_version(&order, expected_version)?;
    check_editable(&order, "id")?;
    let siblings =
        super::orders::items_of(db, order.tenant_id, &[order.id], super::rows::Columns::ALL)
            .await?;
    if siblings.len() <= 1 {
        return Err(error(
            &["id"],
            ErrorCode::Invalid,
            "an order keeps at least one item",
        ));
    }
    let rest: Vec<order_item::Model> = siblings.into_iter().filter(|s| s.id != item.id).collect();
    let changes = retotal(&order, &stored_totals(&rest), &["id"])?;
    let exp = exponent(currencies, &order);
    let mut removed = Map::new();
    if let Value::Object(fields) = item_json(&item, exp) {
        for (k, v) in fields {
            removed.insert(k, json!([v, null]));
        }
    }
    removed.insert("itemId".to_owned(), json!(item.id));
    let actor = actor.clone();
    let (id, item_id) = (order.id, item.id);
    with_bump(db, &order, changes, move |txn| {
        Box::pin(async move {
            order_item::Entity::delete_by_id(item_id).exec(txn).await?;
            record_event(
                txn,
                &actor,
                id,
                OrderEventType::ItemRemoved,
                Value::Object(removed),
            )
            .await?;
            Ok(())
        })
    })
    .await
}

/// Archives (or unarchives) an order; doing it twice is a no-op.
#[tracing::instrument(skip(db))]
pub async fn set_archived(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Option<i64>,
    archived: bool,
) -> Result<order::Model, ServiceError> {
    for _ in 0..RETRIES {
        let order = load(db, actor.tenant_id, id, "id").await?;
        if order.archived_at.is_some() == archived {
            return Ok(order);
        }
        let now = super::now();
        let changes = order::ActiveModel {
            archived_at: Set(archived.then_some(now)),
            ..Default::default()
        };
        let (event, changes_json) = if archived {
            (
                OrderEventType::Archived,
                json!({ "archivedAt": [null, now.to_rfc3339()] }),
            )
        } else {
            (
                OrderEventType::Unarchived,
                json!({ "archivedAt": [order.archived_at.map(|a| a.to_rfc3339()), null] }),
            )
        };
        let actor = actor.clone();
        let order_id = order.id;
        match with_bump(db, &order, changes, move |txn| {
            Box::pin(async move { record_event(txn, &actor, order_id, event, changes_json).await })
        })
        .await
        {
            Err(ServiceError::Invalid(e))
                if e.iter().any(|e| e.code == ErrorCode::VersionConflict) =>
            {
                continue
            }
            other => return other,
        }
    }
    Err(version_conflict())
}
