//! Currencies: ISO 4217 reference data, the same for every tenant.

use entity::currency;
use sea_orm::{
    sea_query::SelectStatement, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryTrait,
};

use super::page::{fetch_by_id, Page, Window};

/// A window of the currencies, by id, with the statement to count them all.
pub async fn list(
    db: &DatabaseConnection,
    window: &Window<i64>,
) -> Result<(Page<currency::Model>, SelectStatement), DbErr> {
    let select = currency::Entity::find();
    let count = select.clone().into_query();
    let page = fetch_by_id(db, select, currency::Column::Id, window).await?;
    Ok((page, count))
}

/// Currencies by id, in no particular order.
pub async fn by_ids(db: &DatabaseConnection, ids: &[i64]) -> Result<Vec<currency::Model>, DbErr> {
    currency::Entity::find()
        .filter(currency::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// A currency by ISO code (`USD`).
pub async fn by_code(
    db: &DatabaseConnection,
    code: &str,
) -> Result<Option<currency::Model>, DbErr> {
    currency::Entity::find()
        .filter(currency::Column::Code.eq(code.to_ascii_uppercase()))
        .one(db)
        .await
}
