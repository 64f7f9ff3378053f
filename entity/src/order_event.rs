//! The history of an order: one row per change, written in the change's transaction.
use sea_orm::entity::prelude::*;

/// What happened to an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum OrderEventType {
    #[sea_orm(string_value = "CREATED")]
    Created,
    #[sea_orm(string_value = "UPDATED")]
    Updated,
    #[sea_orm(string_value = "STATUS_CHANGED")]
    StatusChanged,
    #[sea_orm(string_value = "ITEM_ADDED")]
    ItemAdded,
    #[sea_orm(string_value = "ITEM_UPDATED")]
    ItemUpdated,
    #[sea_orm(string_value = "ITEM_REMOVED")]
    ItemRemoved,
    #[sea_orm(string_value = "ARCHIVED")]
    Archived,
    #[sea_orm(string_value = "UNARCHIVED")]
    Unarchived,
}

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub order_id: i64,
    pub event_type: OrderEventType,
    pub at: DateTimeUtc,
    /// Name of the API key that made the change.
    pub actor: String,
    /// `{ field: [before, after] }`.
    pub changes: Json,
}

impl ActiveModelBehavior for ActiveModel {}
