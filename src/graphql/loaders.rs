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
use crate::service::rows::{Columns, Joined, Joins};

use super::columns;

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

    /// One statement for the batch, reading the columns every key of it asks for.
    async fn load(&self, keys: &[ItemsOf]) -> Result<HashMap<ItemsOf, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let columns = keys.iter().fold(Columns::ID, |set, k| set.union(k.1));
        let rows = service::orders::items_of(&self.db, self.tenant_id, &ids, columns).await?;
        let mut by_order: HashMap<i64, Vec<order_item::Model>> = HashMap::new();
        for row in rows {
            by_order.entry(row.order_id).or_default().push(row);
        }
        Ok(keys
            .iter()
            .map(|k| (*k, by_order.get(&k.0).cloned().unwrap_or_default()))
            .collect())
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
/// The items of the order with this id, with these columns read (see
/// [`crate::graphql::columns`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ItemsOf(pub i64, pub Columns);

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

/// What a selection of orders reads: their columns and the nested rows.
#[derive(Clone, Debug)]
pub struct Nested {
    /// The order columns the fields show.
    pub order: Columns,
    /// The item columns of each `items` or `itemsCount` field (each set once).
    pub items: Vec<Columns>,
    pub customers: bool,
    pub channels: bool,
}

impl Default for Nested {
    /// Nothing: the order ids alone.
    fn default() -> Self {
        Nested {
            order: Columns::ID,
            items: Vec::new(),
            customers: false,
            channels: false,
        }
    }
}

impl Nested {
    /// What the selection of an `Order` (the fields under it) asks for.
    pub fn of(order: &async_graphql::SelectionField<'_>) -> Nested {
        let mut nested = Nested {
            order: columns::of_order(order),
            ..Nested::default()
        };
        for field in order.selection_set() {
            match field.name() {
                "items" | "itemsCount" => {
                    let set = columns::of_items(&field);
                    if !nested.items.contains(&set) {
                        nested.items.push(set);
                    }
                }
                "customer" => nested.customers = true,
                "channel" => nested.channels = true,
                _ => {}
            }
        }
        nested
    }

    fn or(mut self, other: Nested) -> Nested {
        self.order = self.order.union(other.order);
        for set in other.items {
            if !self.items.contains(&set) {
                self.items.push(set);
            }
        }
        self.customers |= other.customers;
        self.channels |= other.channels;
        self
    }

    /// The item columns every `items` field together reads, if any asks.
    pub fn item_columns(&self) -> Option<Columns> {
        self.items.iter().copied().reduce(Columns::union)
    }

    /// What a statement reading these orders reads and joins; items joined
    /// only when `with_items` (a row limit counts orders, not items).
    pub fn joins(&self, with_items: bool) -> Joins {
        Joins {
            order: self.order,
            customer: self.customers.then_some(Columns::ALL),
            channel: self.channels.then_some(Columns::ALL),
            items: if with_items {
                self.item_columns()
            } else {
                None
            },
        }
    }

    /// Cache entries for items read with all the columns of
    /// [`Nested::item_columns`]: one under the key of every `items` field,
    /// so each finds them.
    pub fn item_entries(
        &self,
        order_id: i64,
        items: Vec<order_item::Model>,
    ) -> Vec<(ItemsOf, Vec<order_item::Model>)> {
        let mut entries: Vec<_> = self
            .items
            .iter()
            .skip(1)
            .map(|set| (ItemsOf(order_id, *set), items.clone()))
            .collect();
        if let Some(first) = self.items.first() {
            entries.push((ItemsOf(order_id, *first), items));
        }
        entries
    }
}

/// Reads the items `nested` asks for of these orders in one statement,
/// straight from the loader (no batching delay), and puts them in the
/// request's cache: the `items` fields' `load_one` calls then hit the
/// cache, so the statement count depends neither on timing nor on the page
/// size. The customers and channels come with the orders (see
/// [`feed_parties`]).
pub async fn prefetch_items(
    loaders: &Loaders,
    rows: &[order::Model],
    nested: &Nested,
) -> Result<(), Arc<DbErr>> {
    let Some(columns) = nested.item_columns() else {
        return Ok(());
    };
    if rows.is_empty() {
        return Ok(());
    }
    let mut seen = std::collections::HashSet::new();
    let keys: Vec<ItemsOf> = rows
        .iter()
        .filter(|r| seen.insert(r.id))
        .map(|r| ItemsOf(r.id, columns))
        .collect();
    let found = Loader::<ItemsOf>::load(loaders.loader(), &keys).await?;
    let entries: Vec<_> = found
        .into_iter()
        .flat_map(|(key, items)| nested.item_entries(key.0, items))
        .collect();
    loaders.feed_many(entries).await;
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
