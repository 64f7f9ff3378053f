//! DataLoaders, created per request because their keys are scoped by the
//! caller's tenant: one `IN (…)` query per batch of nested fields.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entity::{channel, customer, order, order_event, order_item};

pub use crate::service::currencies::CurrencyTable;
use sea_orm::{DatabaseConnection, DbErr};

use crate::service;
use crate::service::page::Page;
use crate::service::rows::Joined;

/// Keys per batch: far below the bind-parameter limits of both backends.
const MAX_BATCH: usize = 500;
/// How long a loader waits to gather keys from sibling fields.
const BATCH_DELAY: Duration = Duration::from_millis(1);

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

impl Loader<EventsOf> for TenantLoader {
    type Value = Vec<order_event::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[EventsOf]) -> Result<HashMap<EventsOf, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = service::orders::events_of(&self.db, self.tenant_id, &ids).await?;
        let mut out: HashMap<EventsOf, Vec<order_event::Model>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            out.entry(EventsOf(row.order_id)).or_default().push(row);
        }
        Ok(out)
    }
}

/// The history of the order with this id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EventsOf(pub i64);

/// Forgets what this request's loaders read: after a write, nested fields read afresh.
pub fn clear(loaders: &Loaders) {
    loaders.clear::<ChannelId>();
    loaders.clear::<CustomerId>();
    loaders.clear::<OrderId>();
    loaders.clear::<ItemsOf>();
    loaders.clear::<EventsOf>();
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

/// Which nested rows of some orders a selection asks for.
#[derive(Clone, Copy, Debug, Default)]
pub struct Nested {
    pub items: bool,
    pub customers: bool,
    pub channels: bool,
}

impl Nested {
    /// What the selection of an `Order` (the fields under it) asks for.
    pub fn of(order: &async_graphql::SelectionField<'_>) -> Nested {
        let has = |name: &str| order.selection_set().any(|f| f.name() == name);
        Nested {
            items: has("items") || has("itemsCount"),
            customers: has("customer"),
            channels: has("channel"),
        }
    }

    fn or(self, other: Nested) -> Nested {
        Nested {
            items: self.items || other.items,
            customers: self.customers || other.customers,
            channels: self.channels || other.channels,
        }
    }
}

/// Reads the nested rows `nested` asks for, one statement per kind, straight
/// from the loader (no batching delay), and puts them in the request's cache:
/// the nested fields' `load_one` calls then hit the cache, so the statement
/// count depends neither on timing nor on the page size.
pub async fn prefetch(
    loaders: &Loaders,
    rows: &[order::Model],
    nested: Nested,
) -> Result<(), Arc<DbErr>> {
    fn unique<K: Copy + Eq + std::hash::Hash>(keys: impl Iterator<Item = K>) -> Vec<K> {
        let mut seen = std::collections::HashSet::new();
        keys.filter(|k| seen.insert(*k)).collect()
    }
    if rows.is_empty() {
        return Ok(());
    }
    let loader = loaders.loader();
    let items = async {
        if nested.items {
            let keys = unique(rows.iter().map(|r| ItemsOf(r.id)));
            let found = Loader::<ItemsOf>::load(loader, &keys).await?;
            loaders.feed_many(found).await;
        }
        Ok::<_, Arc<DbErr>>(())
    };
    let customers = async {
        if nested.customers {
            let keys = unique(rows.iter().map(|r| CustomerId(r.customer_id)));
            let found = Loader::<CustomerId>::load(loader, &keys).await?;
            loaders.feed_many(found).await;
        }
        Ok(())
    };
    let channels = async {
        if nested.channels {
            let keys = unique(rows.iter().map(|r| ChannelId(r.channel_id)));
            let found = Loader::<ChannelId>::load(loader, &keys).await?;
            loaders.feed_many(found).await;
        }
        Ok(())
    };
    futures_util::try_join!(items, customers, channels)?;
    Ok(())
}

/// Puts the customers and channels read with a page of orders in the
/// request's cache (their fields then read no rows) and returns the orders.
pub async fn feed_parties(loaders: &Loaders, page: Page<Joined>) -> Page<order::Model> {
    let mut customers = Vec::new();
    let mut channels = Vec::new();
    let rows = page
        .rows
        .into_iter()
        .map(|joined| {
            customers.extend(joined.customer.map(|c| (CustomerId(c.id), c)));
            channels.extend(joined.channel.map(|c| (ChannelId(c.id), c)));
            joined.order
        })
        .collect();
    if !customers.is_empty() {
        loaders.feed_many(customers).await;
    }
    if !channels.is_empty() {
        loaders.feed_many(channels).await;
    }
    Page {
        rows,
        has_more: page.has_more,
    }
}

/// What the orders under a connection field (`nodes` or `edges { node }`) ask for.
pub fn nested_in_connection(ctx: &async_graphql::Context<'_>) -> Nested {
    let field = ctx.field();
    let mut nested = Nested::default();
    for child in field.selection_set() {
        match child.name() {
            "nodes" => nested = nested.or(Nested::of(&child)),
            "edges" => {
                for edge in child.selection_set().filter(|f| f.name() == "node") {
                    nested = nested.or(Nested::of(&edge));
                }
            }
            _ => {}
        }
    }
    nested
}
