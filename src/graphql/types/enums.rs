//! GraphQL enums mirroring the string-backed enums of the entities.

use async_graphql::Enum;

/// Lifecycle of an order. PENDING → PROCESSING | CANCELLED; PROCESSING →
/// PARTIALLY_FULFILLED | FULFILLED | PARTIALLY_CANCELLED | CANCELLED;
/// PARTIALLY_FULFILLED → FULFILLED | PARTIALLY_CANCELLED; PARTIALLY_CANCELLED →
/// PARTIALLY_FULFILLED | FULFILLED | CANCELLED; FULFILLED → DELIVERED.
/// DELIVERED and CANCELLED are final.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::order::OrderStatus")]
pub enum OrderStatus {
    /// Received, not yet worked on (the default).
    Pending,
    /// Being prepared.
    Processing,
    /// Some items have been shipped.
    PartiallyFulfilled,
    /// Some items have been cancelled.
    PartiallyCancelled,
    /// Every item has been shipped.
    Fulfilled,
    /// Received by the customer (final).
    Delivered,
    /// Cancelled (final).
    Cancelled,
}

/// Payment state of an order.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::order::PaymentStatus")]
pub enum PaymentStatus {
    /// No payment yet (the default).
    Pending,
    /// The amount is authorised, not captured.
    Authorized,
    /// Part of the amount is paid.
    PartiallyPaid,
    /// Paid in full.
    Paid,
    /// The payment failed.
    Failed,
    /// Refunded in full.
    Refunded,
    /// Part of the amount was refunded.
    PartiallyRefunded,
    /// The customer disputes the payment.
    Disputed,
    /// The authorisation expired.
    Expired,
}

/// Fulfillment state of an order.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::order::FulfillmentStatus")]
pub enum FulfillmentStatus {
    /// Not looked at yet (the default).
    Pending,
    /// Accepted, nothing shipped.
    Unfulfilled,
    /// Being picked and packed.
    InProgress,
    /// Some items shipped.
    PartiallyFulfilled,
    /// Everything shipped.
    Fulfilled,
    /// Fulfillment cancelled.
    Cancelled,
}

/// Where an order came from.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::order::OrderSource")]
pub enum OrderSource {
    /// Entered by hand (the default).
    Manual,
    /// From a customer portal.
    Portal,
    /// From an online store.
    Ecommerce,
    /// From an automated workflow.
    Workflow,
}

/// How fast an order travels.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::order::DeliveryMethod")]
pub enum DeliveryMethod {
    /// Standard delivery.
    Standard,
    /// Express delivery.
    Express,
}

/// How an order reaches the customer.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::order::ShippingMethod")]
pub enum ShippingMethod {
    /// Shipped to an address.
    Delivery,
    /// Handed over in a store.
    Store,
    /// Delivered electronically.
    Digital,
    /// Collected at a pick-up point.
    Pickup,
}
