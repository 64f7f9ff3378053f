//! Inputs of the order mutations, turned into service inputs at the edge.

use async_graphql::{Enum, InputObject, InputType, Json, MaybeUndefined, OneofObject, ID};
use serde_json::Value;

use super::ids::{decode_as, Kind};
use super::inputs::{patch, CustomerInput};
use super::scalars::Decimal;
use super::types::{
    DeliveryMethod, FulfillmentStatus, OrderSource, OrderStatus, PaymentStatus, ShippingMethod,
};
use crate::service::order_update::{ItemPatch, OrderPatch};
use crate::service::order_write::{BatchPolicy, CustomerRef, NewItem, NewOrder, Reference};
use crate::service::Patch;

/// A postal address.
#[derive(InputObject, Clone, Debug, Default)]
pub struct AddressInput {
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Company name.
    pub company: Option<String>,
    /// Street and number.
    pub line1: Option<String>,
    /// Second address line.
    pub line2: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State, province or region.
    pub state: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 country code, such as `DE` (uppercase).
    pub country_code: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Email address.
    pub email: Option<String>,
}

impl AddressInput {
    /// The stored form: a JSON object with the fields that were given.
    pub fn to_json(&self) -> Value {
        let mut map = serde_json::Map::new();
        for (key, value) in [
            ("firstName", &self.first_name),
            ("lastName", &self.last_name),
            ("company", &self.company),
            ("line1", &self.line1),
            ("line2", &self.line2),
            ("city", &self.city),
            ("state", &self.state),
            ("postalCode", &self.postal_code),
            ("countryCode", &self.country_code),
            ("phone", &self.phone),
            ("email", &self.email),
        ] {
            if let Some(v) = value {
                map.insert(key.to_owned(), Value::String(v.clone()));
            }
        }
        Value::Object(map)
    }
}

/// The customer of a new order: exactly one of `id`, `email` or `create`.
#[derive(OneofObject, Clone, Debug)]
pub enum CustomerReference {
    /// An existing customer's ID.
    Id(ID),
    /// An existing customer's email (case-insensitive); `NOT_FOUND` when there is none.
    Email(String),
    /// A new customer; when one with this email exists, that one is used unchanged.
    Create(CustomerInput),
}

/// A line item.
#[derive(InputObject, Clone, Debug)]
pub struct OrderItemInput {
    /// Stock keeping unit (at most 64 characters).
    pub sku: String,
    /// Product name (at most 255 characters).
    pub name: String,
    /// At least 1.
    pub quantity: i32,
    /// Price of one unit, with at most the currency's decimal places.
    pub unit_price: Decimal,
    /// Discount on the item (default 0).
    pub discount: Option<Decimal>,
    /// Tax on the item (default 0).
    pub tax: Option<Decimal>,
    /// Barcode (EAN, UPC…).
    pub barcode: Option<String>,
    /// Free-form JSON object (at most 16 KiB).
    pub metadata: Option<Json<Value>>,
}

impl From<OrderItemInput> for NewItem {
    fn from(i: OrderItemInput) -> Self {
        NewItem {
            sku: i.sku,
            name: i.name,
            quantity: i.quantity,
            unit_price: i.unit_price.0,
            discount: i.discount.map(|d| d.0),
            tax: i.tax.map(|d| d.0),
            barcode: i.barcode,
            metadata: i.metadata.map(|j| j.0),
        }
    }
}

/// A new order. Totals are computed by the server; send `expectedTotal` to
/// have the order refused (`TOTAL_MISMATCH`) when they differ from yours.
#[derive(InputObject, Clone, Debug)]
pub struct CreateOrderInput {
    /// The channel's ID or code (tried as an ID first).
    pub channel: String,
    /// The currency's ID or ISO code (tried as an ID first).
    pub currency: String,
    /// Who the order is for.
    pub customer: CustomerReference,
    /// 1 to 250 items.
    pub items: Vec<OrderItemInput>,
    /// Your own reference: at most 35 characters, unique per tenant.
    pub reference: Option<String>,
    /// An identifier in another system.
    pub external_id: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// Where the order came from (default MANUAL).
    pub source: Option<OrderSource>,
    /// Locale of the customer, such as `de-DE`.
    pub locale: Option<String>,
    /// Reference of the payment at the payment provider.
    pub payment_reference: Option<String>,
    /// Shipping charged (default 0).
    pub shipping_total: Option<Decimal>,
    /// Order-level discount (default 0).
    pub discount: Option<Decimal>,
    /// Order-level tax (default 0).
    pub tax: Option<Decimal>,
    /// The total you computed; a different server total is `TOTAL_MISMATCH`.
    pub expected_total: Option<Decimal>,
    /// Billing address.
    pub billing_address: Option<AddressInput>,
    /// Shipping address.
    pub shipping_address: Option<AddressInput>,
    /// Delivery speed.
    pub delivery_method: Option<DeliveryMethod>,
    /// How the order reaches the customer.
    pub shipping_method: Option<ShippingMethod>,
    /// Free-form JSON object (at most 16 KiB).
    pub metadata: Option<Json<Value>>,
}

fn reference(text: String, kind: Kind) -> Reference {
    Reference {
        id: decode_as(&text, kind),
        text,
    }
}

impl CreateOrderInput {
    /// Hex SHA-256 of the input's canonical JSON (sorted keys, no whitespace).
    pub fn canonical_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let json = self.to_value().into_json().unwrap_or(Value::Null);
        let mut text = String::new();
        canonical(&json, &mut text);
        hex::encode(Sha256::digest(text.as_bytes()))
    }
}

/// Writes JSON with object keys sorted, whatever order they arrived in.
fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                canonical(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

impl From<CreateOrderInput> for NewOrder {
    fn from(i: CreateOrderInput) -> Self {
        NewOrder {
            channel: reference(i.channel, Kind::Channel),
            currency: reference(i.currency, Kind::Currency),
            customer: match i.customer {
                CustomerReference::Id(id) => CustomerRef::Id(decode_as(&id, Kind::Customer)),
                CustomerReference::Email(email) => CustomerRef::Email(email),
                CustomerReference::Create(new) => CustomerRef::Create(new.into()),
            },
            items: i.items.into_iter().map(Into::into).collect(),
            reference: i.reference,
            external_id: i.external_id,
            description: i.description,
            source: i.source.map(Into::into),
            locale: i.locale,
            payment_reference: i.payment_reference,
            shipping_total: i.shipping_total.map(|d| d.0),
            discount: i.discount.map(|d| d.0),
            tax: i.tax.map(|d| d.0),
            expected_total: i.expected_total.map(|d| d.0),
            billing_address: i.billing_address.map(|a| a.to_json()),
            shipping_address: i.shipping_address.map(|a| a.to_json()),
            delivery_method: i.delivery_method.map(Into::into),
            shipping_method: i.shipping_method.map(Into::into),
            metadata: i.metadata.map(|j| j.0),
        }
    }
}

/// What `createOrders` does when some inputs fail.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum BulkErrorPolicy {
    /// Write nothing when any input fails (the default).
    #[default]
    RejectEverything,
    /// Write the inputs that pass; report the others.
    RejectFailedRows,
}

impl From<BulkErrorPolicy> for BatchPolicy {
    fn from(p: BulkErrorPolicy) -> Self {
        match p {
            BulkErrorPolicy::RejectEverything => BatchPolicy::RejectEverything,
            BulkErrorPolicy::RejectFailedRows => BatchPolicy::RejectFailedRows,
        }
    }
}

/// Changes to an order. A field left out is unchanged; `null` clears it
/// where it is nullable and is a `REQUIRED` user error where it is not
/// (`source`, the amounts, the statuses). Statuses move only as
/// `allowedTransitions` says; setting the current value is a no-op. The
/// channel, currency and customer cannot change.
#[derive(InputObject, Clone, Debug, Default)]
pub struct UpdateOrderInput {
    /// Your own reference (at most 35 characters, unique per tenant), or `null` to clear.
    pub reference: MaybeUndefined<String>,
    /// Identifier in another system, or `null` to clear.
    pub external_id: MaybeUndefined<String>,
    /// Free text, or `null` to clear.
    pub description: MaybeUndefined<String>,
    /// Where the order came from.
    pub source: MaybeUndefined<OrderSource>,
    /// Locale, or `null` to clear.
    pub locale: MaybeUndefined<String>,
    /// Payment reference, or `null` to clear.
    pub payment_reference: MaybeUndefined<String>,
    /// Shipping charged; the totals are recomputed.
    pub shipping_total: MaybeUndefined<Decimal>,
    /// Order-level discount; the totals are recomputed.
    pub discount: MaybeUndefined<Decimal>,
    /// Order-level tax; the totals are recomputed.
    pub tax: MaybeUndefined<Decimal>,
    /// The total you expect after the change (`TOTAL_MISMATCH` otherwise).
    pub expected_total: Option<Decimal>,
    /// Billing address (replaced whole), or `null` to clear.
    pub billing_address: MaybeUndefined<AddressInput>,
    /// Shipping address (replaced whole), or `null` to clear.
    pub shipping_address: MaybeUndefined<AddressInput>,
    /// Delivery speed, or `null` to clear.
    pub delivery_method: MaybeUndefined<DeliveryMethod>,
    /// Shipping method, or `null` to clear.
    pub shipping_method: MaybeUndefined<ShippingMethod>,
    /// Metadata object (replaced whole), or `null` to clear.
    pub metadata: MaybeUndefined<Json<Value>>,
    /// New lifecycle status.
    pub status: MaybeUndefined<OrderStatus>,
    /// New payment status.
    pub payment_status: MaybeUndefined<PaymentStatus>,
    /// New fulfillment status.
    pub fulfillment_status: MaybeUndefined<FulfillmentStatus>,
}

fn map<T, U>(value: MaybeUndefined<T>, f: impl FnOnce(T) -> U) -> Patch<U> {
    match value {
        MaybeUndefined::Undefined => Patch::Unchanged,
        MaybeUndefined::Null => Patch::Clear,
        MaybeUndefined::Value(v) => Patch::Set(f(v)),
    }
}

impl From<UpdateOrderInput> for OrderPatch {
    fn from(i: UpdateOrderInput) -> Self {
        OrderPatch {
            reference: patch(i.reference),
            external_id: patch(i.external_id),
            description: patch(i.description),
            source: map(i.source, Into::into),
            locale: patch(i.locale),
            payment_reference: patch(i.payment_reference),
            shipping_total: map(i.shipping_total, |d| d.0),
            discount: map(i.discount, |d| d.0),
            tax: map(i.tax, |d| d.0),
            expected_total: i.expected_total.map(|d| d.0),
            billing_address: map(i.billing_address, |a| a.to_json()),
            shipping_address: map(i.shipping_address, |a| a.to_json()),
            delivery_method: map(i.delivery_method, Into::into),
            shipping_method: map(i.shipping_method, Into::into),
            metadata: map(i.metadata, |j| j.0),
            status: map(i.status, Into::into),
            payment_status: map(i.payment_status, Into::into),
            fulfillment_status: map(i.fulfillment_status, Into::into),
        }
    }
}

/// Changes to an item: left out = unchanged; `null` clears `barcode`,
/// `metadata`, `discount` and `tax` (to 0) and is `REQUIRED` for the others.
#[derive(InputObject, Clone, Debug, Default)]
pub struct UpdateOrderItemInput {
    /// Stock keeping unit.
    pub sku: MaybeUndefined<String>,
    /// Product name.
    pub name: MaybeUndefined<String>,
    /// Barcode, or `null` to clear.
    pub barcode: MaybeUndefined<String>,
    /// At least 1.
    pub quantity: MaybeUndefined<i32>,
    /// Price of one unit.
    pub unit_price: MaybeUndefined<Decimal>,
    /// Discount on the item, or `null` for 0.
    pub discount: MaybeUndefined<Decimal>,
    /// Tax on the item, or `null` for 0.
    pub tax: MaybeUndefined<Decimal>,
    /// Metadata object (replaced whole), or `null` to clear.
    pub metadata: MaybeUndefined<Json<Value>>,
}

impl From<UpdateOrderItemInput> for ItemPatch {
    fn from(i: UpdateOrderItemInput) -> Self {
        ItemPatch {
            sku: patch(i.sku),
            name: patch(i.name),
            barcode: patch(i.barcode),
            quantity: patch(i.quantity),
            unit_price: map(i.unit_price, |d| d.0),
            discount: map(i.discount, |d| d.0),
            tax: map(i.tax, |d| d.0),
            metadata: map(i.metadata, |j| j.0),
        }
    }
}
