//! ISO 4217 currencies: reference data shared by every tenant.
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "currencies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    /// Decimal places of the minor unit (2 for USD, 0 for JPY, 3 for KWD).
    pub exponent: i16,
    pub symbol: String,
}

impl ActiveModelBehavior for ActiveModel {}
