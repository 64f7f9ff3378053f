//! DataLoaders, created per request because their keys are scoped by the
//! caller's tenant: one `IN (…)` query per batch of nested fields.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entity::{channel, currency, customer, order, order_item};
use sea_orm::{DatabaseConnection, DbErr, EntityTrait};

use crate::service;

/// Keys per batch: far below the bind-parameter limits of both backends.
const MAX_BATCH: usize = 500;
/// How long a loader waits to gather keys from sibling fields.
const BATCH_DELAY: Duration = Duration::from_millis(1);

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

/// Loads rows of one tenant by key.
pub struct TenantLoader {
    db: DatabaseConnection,
    tenant_id: i64,
}

impl Loader<ChannelId> for TenantLoader {
    type Value = channel::Model;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[ChannelId],
    ) -> Result<HashMap<ChannelId, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = service::channels::by_ids(&self.db, self.tenant_id, &ids).await?;
        Ok(rows.into_iter().map(|r| (ChannelId(r.id), r)).collect())
    }
}

impl Loader<CustomerId> for TenantLoader {
    type Value = customer::Model;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[CustomerId],
    ) -> Result<HashMap<CustomerId, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = service::customers::by_ids(&self.db, self.tenant_id, &ids).await?;
        Ok(rows.into_iter().map(|r| (CustomerId(r.id), r)).collect())
    }
}

impl Loader<OrderId> for TenantLoader {
    type Value = order::Model;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[OrderId]) -> Result<HashMap<OrderId, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = service::orders::by_ids(&self.db, self.tenant_id, &ids).await?;
        Ok(rows.into_iter().map(|r| (OrderId(r.id), r)).collect())
    }
}

impl Loader<ItemsOf> for TenantLoader {
    type Value = Vec<order_item::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[ItemsOf]) -> Result<HashMap<ItemsOf, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = service::orders::items_of(&self.db, self.tenant_id, &ids).await?;
        let mut out: HashMap<ItemsOf, Vec<order_item::Model>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            out.entry(ItemsOf(row.order_id)).or_default().push(row);
        }
        Ok(out)
    }
}

/// A channel's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ChannelId(pub i64);
/// A customer's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CustomerId(pub i64);
/// An order's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OrderId(pub i64);
/// The items of the order with this id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ItemsOf(pub i64);

/// The loaders of one request; their cache lives as long as the request.
pub type Loaders = DataLoader<TenantLoader, HashMapCache>;

/// Fresh loaders for one request of one tenant.
pub fn for_request(db: DatabaseConnection, tenant_id: i64) -> Loaders {
    DataLoader::with_cache(
        TenantLoader { db, tenant_id },
        tokio::spawn,
        HashMapCache::default(),
    )
    .max_batch_size(MAX_BATCH)
    .delay(BATCH_DELAY)
}
