//! Line items of an order; amounts in 10⁻⁴ units (see `MONEY_SCALE`).
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub order_id: i64,
    /// Position of the item in its order, from 0.
    pub position: i32,
    pub sku: String,
    pub name: String,
    pub barcode: Option<String>,
    pub quantity: i32,
    pub unit_price: i64,
    pub subtotal: i64,
    pub discount_total: i64,
    pub tax_total: i64,
    pub total: i64,
    pub metadata: Option<Json>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
