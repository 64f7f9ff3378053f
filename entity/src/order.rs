//! Orders; amounts in 10⁻⁴ units (see `MONEY_SCALE`), statuses as strings.
use sea_orm::entity::prelude::*;

/// Lifecycle of an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum OrderStatus {
    #[sea_orm(string_value = "PENDING")]
    Pending,
    #[sea_orm(string_value = "PROCESSING")]
    Processing,
    #[sea_orm(string_value = "PARTIALLY_FULFILLED")]
    PartiallyFulfilled,
    #[sea_orm(string_value = "PARTIALLY_CANCELLED")]
    PartiallyCancelled,
    #[sea_orm(string_value = "FULFILLED")]
    Fulfilled,
    #[sea_orm(string_value = "DELIVERED")]
    Delivered,
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
}

/// Payment state of an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum PaymentStatus {
    #[sea_orm(string_value = "PENDING")]
    Pending,
    #[sea_orm(string_value = "AUTHORIZED")]
    Authorized,
    #[sea_orm(string_value = "PARTIALLY_PAID")]
    PartiallyPaid,
    #[sea_orm(string_value = "PAID")]
    Paid,
    #[sea_orm(string_value = "FAILED")]
    Failed,
    #[sea_orm(string_value = "REFUNDED")]
    Refunded,
    #[sea_orm(string_value = "PARTIALLY_REFUNDED")]
    PartiallyRefunded,
    #[sea_orm(string_value = "DISPUTED")]
    Disputed,
    #[sea_orm(string_value = "EXPIRED")]
    Expired,
}

/// Fulfillment state of an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum FulfillmentStatus {
    #[sea_orm(string_value = "PENDING")]
    Pending,
    #[sea_orm(string_value = "UNFULFILLED")]
    Unfulfilled,
    #[sea_orm(string_value = "IN_PROGRESS")]
    InProgress,
    #[sea_orm(string_value = "PARTIALLY_FULFILLED")]
    PartiallyFulfilled,
    #[sea_orm(string_value = "FULFILLED")]
    Fulfilled,
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
}

/// Where the order came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum OrderSource {
    #[sea_orm(string_value = "MANUAL")]
    Manual,
    #[sea_orm(string_value = "PORTAL")]
    Portal,
    #[sea_orm(string_value = "ECOMMERCE")]
    Ecommerce,
    #[sea_orm(string_value = "WORKFLOW")]
    Workflow,
}

/// How fast the order travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum DeliveryMethod {
    #[sea_orm(string_value = "STANDARD")]
    Standard,
    #[sea_orm(string_value = "EXPRESS")]
    Express,
}

/// How the order reaches the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum ShippingMethod {
    #[sea_orm(string_value = "DELIVERY")]
    Delivery,
    #[sea_orm(string_value = "STORE")]
    Store,
    #[sea_orm(string_value = "DIGITAL")]
    Digital,
    #[sea_orm(string_value = "PICKUP")]
    Pickup,
}

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    /// `ORD-000001`: `number_seq` formatted.
    pub number: String,
    /// Allocated from `tenants.order_seq`; sorts orders by number.
    pub number_seq: i64,
    pub reference: Option<String>,
    pub external_id: Option<String>,
    pub description: Option<String>,
    pub source: OrderSource,
    pub locale: Option<String>,
    pub payment_reference: Option<String>,
    pub idempotency_key: Option<String>,
    /// Hex SHA-256 of the canonical JSON of the create input.
    pub idempotency_hash: Option<String>,
    pub status: OrderStatus,
    pub payment_status: PaymentStatus,
    pub fulfillment_status: FulfillmentStatus,
    pub delivery_method: Option<DeliveryMethod>,
    pub shipping_method: Option<ShippingMethod>,
    pub channel_id: i64,
    pub currency_id: i64,
    pub customer_id: i64,
    pub subtotal: i64,
    /// Order-level discount (items' discounts are in `discount_total` too).
    pub order_discount: i64,
    /// Order-level tax (items' taxes are in `tax_total` too).
    pub order_tax: i64,
    pub discount_total: i64,
    pub shipping_total: i64,
    pub tax_total: i64,
    pub total: i64,
    pub billing_address: Option<Json>,
    pub shipping_address: Option<Json>,
    pub metadata: Option<Json>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
    pub version: i32,
}

impl ActiveModelBehavior for ActiveModel {}
