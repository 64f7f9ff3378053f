//! `Order` and `OrderItem`.

use async_graphql::{Context, Json, Object, Result, ID};
use chrono::{DateTime, Utc};
use entity::{order, order_item};

use super::items::Items;
use super::{
    currencies, load, Address, Channel, Currency, Customer, DeliveryMethod, FulfillmentStatus,
    OrderSource, OrderStatus, PaymentStatus, ShippingMethod,
};
use crate::domain::status::Transitions;
use crate::graphql::errors::AppError;
use crate::graphql::ids::{encode, Kind};
use crate::graphql::loaders::{ChannelId, CustomerId, EventsOf, ItemsOf, OrderId};
use crate::graphql::scalars::Decimal;

/// An order: items bought by a customer through a channel, in one currency.
#[derive(Clone, Debug)]
pub struct Order(pub order::Model);

impl From<order::Model> for Order {
    fn from(model: order::Model) -> Self {
        Order(model)
    }
}

fn address(value: &Option<serde_json::Value>) -> Option<Address> {
    value
        .as_ref()
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

impl Order {
    fn exponent(&self, ctx: &Context<'_>) -> Result<i16> {
        Ok(currencies(ctx)?
            .get(self.0.currency_id)
            .map(|c| c.exponent)
            .ok_or_else(|| AppError::Internal("unknown currency".to_owned()))?)
    }

    fn money(&self, ctx: &Context<'_>, amount: i64) -> Result<Decimal> {
        Ok(Decimal::from_amount(amount, self.exponent(ctx)?))
    }

    /// The items, with the columns the field being resolved (`items` or
    /// `itemsCount`) reads.
    async fn load_items(&self, ctx: &Context<'_>) -> Result<Vec<order_item::Model>> {
        let columns = crate::graphql::columns::of_items(&ctx.field());
        Ok(load(ctx, ItemsOf(self.0.id, columns))
            .await?
            .unwrap_or_default())
    }
}

/// An order: items bought by a customer through a channel, in one currency.
/// Amounts are `Decimal` strings with exactly the currency's exponent digits.
#[Object(serial)]
impl Order {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Order, self.0.id)
    }

    /// Server-assigned number, unique per tenant and increasing: `ORD-000001`.
    async fn number(&self) -> &str {
        &self.0.number
    }

    /// The client's own reference (at most 35 characters), unique per tenant when given.
    async fn reference(&self) -> Option<&str> {
        self.0.reference.as_deref()
    }

    /// An identifier of the order in another system.
    async fn external_id(&self) -> Option<&str> {
        self.0.external_id.as_deref()
    }

    /// Free text.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Where the order came from.
    async fn source(&self) -> OrderSource {
        self.0.source.into()
    }

    /// Locale of the customer, such as `de-DE`.
    async fn locale(&self) -> Option<&str> {
        self.0.locale.as_deref()
    }

    /// Reference of the payment at the payment provider.
    async fn payment_reference(&self) -> Option<&str> {
        self.0.payment_reference.as_deref()
    }

    /// The idempotency key the order was created with.
    async fn idempotency_key(&self) -> Option<&str> {
        self.0.idempotency_key.as_deref()
    }

    /// Lifecycle status.
    async fn status(&self) -> OrderStatus {
        self.0.status.into()
    }

    /// Payment status.
    async fn payment_status(&self) -> PaymentStatus {
        self.0.payment_status.into()
    }

    /// Fulfillment status.
    async fn fulfillment_status(&self) -> FulfillmentStatus {
        self.0.fulfillment_status.into()
    }

    /// Delivery speed.
    async fn delivery_method(&self) -> Option<DeliveryMethod> {
        self.0.delivery_method.map(Into::into)
    }

    /// How the order reaches the customer.
    async fn shipping_method(&self) -> Option<ShippingMethod> {
        self.0.shipping_method.map(Into::into)
    }

    /// The sales channel.
    async fn channel(&self, ctx: &Context<'_>) -> Result<Channel> {
        load(ctx, ChannelId(self.0.channel_id))
            .await?
            .map(Channel::from)
            .ok_or_else(|| AppError::Internal("order without channel".to_owned()).into())
    }

    /// The currency of every amount of the order.
    async fn currency(&self, ctx: &Context<'_>) -> Result<Currency> {
        currencies(ctx)?
            .get(self.0.currency_id)
            .cloned()
            .map(Currency::from)
            .ok_or_else(|| AppError::Internal("unknown currency".to_owned()).into())
    }

    /// The customer who placed the order.
    async fn customer(&self, ctx: &Context<'_>) -> Result<Customer> {
        load(ctx, CustomerId(self.0.customer_id))
            .await?
            .map(Customer::from)
            .ok_or_else(|| AppError::Internal("order without customer".to_owned()).into())
    }

    /// The line items, in the order they were added.
    #[graphql(complexity = "10 * child_complexity")]
    async fn items(&self, ctx: &Context<'_>) -> Result<Items> {
        let exponent = self.exponent(ctx)?;
        Ok(Items(
            self.load_items(ctx)
                .await?
                .into_iter()
                .map(|model| OrderItem { model, exponent })
                .collect(),
        ))
    }

    /// Sum of the items' quantities.
    async fn items_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(self
            .load_items(ctx)
            .await?
            .iter()
            .map(|i| i64::from(i.quantity))
            .sum())
    }

    /// Σ item subtotal.
    async fn subtotal(&self, ctx: &Context<'_>) -> Result<Decimal> {
        self.money(ctx, self.0.subtotal)
    }

    /// Σ item discount + the order-level discount.
    async fn discount_total(&self, ctx: &Context<'_>) -> Result<Decimal> {
        self.money(ctx, self.0.discount_total)
    }

    /// Shipping charged.
    async fn shipping_total(&self, ctx: &Context<'_>) -> Result<Decimal> {
        self.money(ctx, self.0.shipping_total)
    }

    /// Σ item tax + the order-level tax.
    async fn tax_total(&self, ctx: &Context<'_>) -> Result<Decimal> {
        self.money(ctx, self.0.tax_total)
    }

    /// subtotal − discountTotal + shippingTotal + taxTotal, computed by the server.
    async fn total(&self, ctx: &Context<'_>) -> Result<Decimal> {
        self.money(ctx, self.0.total)
    }

    /// Billing address.
    async fn billing_address(&self) -> Option<Address> {
        address(&self.0.billing_address)
    }

    /// Shipping address.
    async fn shipping_address(&self) -> Option<Address> {
        address(&self.0.shipping_address)
    }

    /// True when both addresses are present and equal.
    async fn shipping_address_same_as_billing(&self) -> bool {
        match (
            address(&self.0.billing_address),
            address(&self.0.shipping_address),
        ) {
            (Some(billing), Some(shipping)) => billing == shipping,
            _ => false,
        }
    }

    /// Free-form metadata (a JSON object).
    async fn metadata(&self) -> Option<Json<serde_json::Value>> {
        self.0.metadata.clone().map(Json)
    }

    /// When the order was created (UTC).
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the order last changed (UTC).
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// When the order was archived; archived orders are hidden from lists by default.
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }

    /// 1 at creation, +1 on every change; send it as `expectedVersion` to update safely.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The history of the order, oldest first.
    #[graphql(complexity = "10 * child_complexity")]
    async fn events(&self, ctx: &Context<'_>) -> Result<Vec<OrderEvent>> {
        Ok(load(ctx, EventsOf(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(OrderEvent)
            .collect())
    }

    /// The values each status may move to next (a status may always be set to its current value).
    async fn allowed_transitions(&self) -> AllowedTransitions {
        AllowedTransitions {
            status: self.0.status.next().iter().map(|s| (*s).into()).collect(),
            payment_status: self
                .0
                .payment_status
                .next()
                .iter()
                .map(|s| (*s).into())
                .collect(),
            fulfillment_status: self
                .0
                .fulfillment_status
                .next()
                .iter()
                .map(|s| (*s).into())
                .collect(),
        }
    }
}

/// The statuses an order may move to next.
#[derive(async_graphql::SimpleObject, Clone, Debug)]
pub struct AllowedTransitions {
    /// Next values of `status`.
    pub status: Vec<OrderStatus>,
    /// Next values of `paymentStatus`.
    pub payment_status: Vec<PaymentStatus>,
    /// Next values of `fulfillmentStatus`.
    pub fulfillment_status: Vec<FulfillmentStatus>,
}

/// What happened to an order.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::order_event::OrderEventType")]
pub enum OrderEventType {
    /// The order was created.
    Created,
    /// Fields other than the statuses changed.
    Updated,
    /// One status field changed.
    StatusChanged,
    /// An item was added.
    ItemAdded,
    /// An item changed.
    ItemUpdated,
    /// An item was removed.
    ItemRemoved,
    /// The order was archived.
    Archived,
    /// The order was unarchived.
    Unarchived,
}

/// One change in an order's history, written in the change's transaction.
#[derive(Clone, Debug)]
pub struct OrderEvent(pub entity::order_event::Model);

/// One change in an order's history, written in the change's transaction.
#[Object(serial)]
impl OrderEvent {
    /// What happened.
    #[graphql(name = "type")]
    async fn event_type(&self) -> OrderEventType {
        self.0.event_type.into()
    }

    /// When (UTC).
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// The name of the API key that made the change.
    async fn actor(&self) -> &str {
        &self.0.actor
    }

    /// `{ field: [before, after] }`.
    async fn changes(&self) -> Json<serde_json::Value> {
        Json(self.0.changes.clone())
    }
}

/// A line item of an order.
#[derive(Clone, Debug)]
pub struct OrderItem {
    pub model: order_item::Model,
    /// Decimal places of the order's currency.
    pub exponent: i16,
}

/// A line item of an order; its amounts are in the order's currency.
#[Object(serial)]
impl OrderItem {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::OrderItem, self.model.id)
    }

    /// Stock keeping unit.
    async fn sku(&self) -> &str {
        &self.model.sku
    }

    /// Product name.
    async fn name(&self) -> &str {
        &self.model.name
    }

    /// Barcode (EAN, UPC…).
    async fn barcode(&self) -> Option<&str> {
        self.model.barcode.as_deref()
    }

    /// Quantity, at least 1.
    async fn quantity(&self) -> i32 {
        self.model.quantity
    }

    /// Price of one unit.
    async fn unit_price(&self) -> Decimal {
        Decimal::from_amount(self.model.unit_price, self.exponent)
    }

    /// quantity × unitPrice.
    async fn subtotal(&self) -> Decimal {
        Decimal::from_amount(self.model.subtotal, self.exponent)
    }

    /// Discount on this item.
    async fn discount_total(&self) -> Decimal {
        Decimal::from_amount(self.model.discount_total, self.exponent)
    }

    /// Tax on this item.
    async fn tax_total(&self) -> Decimal {
        Decimal::from_amount(self.model.tax_total, self.exponent)
    }

    /// subtotal − discountTotal + taxTotal.
    async fn total(&self) -> Decimal {
        Decimal::from_amount(self.model.total, self.exponent)
    }

    /// Free-form metadata (a JSON object).
    async fn metadata(&self) -> Option<Json<serde_json::Value>> {
        self.model.metadata.clone().map(Json)
    }

    /// The order this item belongs to.
    async fn order(&self, ctx: &Context<'_>) -> Result<Order> {
        load(ctx, OrderId(self.model.order_id))
            .await?
            .map(Order::from)
            .ok_or_else(|| AppError::Internal("item without order".to_owned()).into())
    }
}
