//! Currencies: ISO 4217 reference data, the same for every tenant.

use std::collections::HashMap;

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

/// Reference data read once at start: currencies never change at run time.
#[derive(Debug, Default)]
pub struct CurrencyTable {
    by_id: HashMap<i64, currency::Model>,
    by_code: HashMap<String, i64>,
}

impl CurrencyTable {
    pub async fn load(db: &DatabaseConnection) -> Result<Self, DbErr> {
        let all = currency::Entity::find().all(db).await?;
        Ok(CurrencyTable {
            by_code: all.iter().map(|c| (c.code.clone(), c.id)).collect(),
            by_id: all.into_iter().map(|c| (c.id, c)).collect(),
        })
    }

    pub fn get(&self, id: i64) -> Option<&currency::Model> {
        self.by_id.get(&id)
    }

    pub fn by_code(&self, code: &str) -> Option<&currency::Model> {
        self.by_code
            .get(&code.to_ascii_uppercase())
            .and_then(|id| self.by_id.get(id))
    }
}
