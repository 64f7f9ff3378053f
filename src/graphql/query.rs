//! Query root: lookups, lists and Relay `node`/`nodes`.

use async_graphql::{Context, Object, Result, ID};

use super::errors::AppError;
use super::filter::{list_orders, OrderFilter, OrderSort};
use super::ids::{decode, decode_as, Kind};
use super::inputs::CustomerFilter;
use super::loaders::{ChannelId, CustomerId, Nested, OrderId};
use super::pagination::{
    ChannelConnection, ChannelEdge, Counter, CurrencyConnection, CurrencyEdge, Cursor,
    CustomerConnection, CustomerEdge, OrderConnection, PageArgs,
};
use super::types::{currencies, cursors, loaders, request, Customer, Node, Order, OrderItem};
use crate::service;
use crate::service::orders::Key;

/// Most IDs one `nodes` call takes.
const MAX_NODES: usize = 100;

/// Read operations.
#[derive(Default)]
pub struct QueryRoot;

async fn resolve_node(ctx: &Context<'_>, id: &ID) -> Result<Option<Node>> {
    let Some((kind, id)) = decode(id) else {
        return Ok(None);
    };
    let loaders = loaders(ctx)?;
    let node = match kind {
        Kind::Currency => currencies(ctx)?
            .get(id)
            .cloned()
            .map(|c| Node::Currency(c.into())),
        Kind::Channel => loaders
            .load_one(ChannelId(id))
            .await
            .map_err(AppError::from)?
            .map(|c| Node::Channel(c.into())),
        Kind::Customer => loaders
            .load_one(CustomerId(id))
            .await
            .map_err(AppError::from)?
            .map(|c| Node::Customer(c.into())),
        Kind::Order => loaders
            .load_one(OrderId(id))
            .await
            .map_err(AppError::from)?
            .map(|o| Node::Order(o.into())),
        Kind::OrderItem => {
            let req = request(ctx)?;
            let item = service::orders::items_by_ids(&req.db, req.principal.tenant_id, &[id])
                .await
                .map_err(AppError::from)?
                .pop();
            match item {
                Some(model) => {
                    let order = loaders
                        .load_one(OrderId(model.order_id))
                        .await
                        .map_err(AppError::from)?;
                    let exponent = order
                        .and_then(|o| currencies(ctx).ok()?.get(o.currency_id).map(|c| c.exponent))
                        .unwrap_or(2);
                    Some(Node::OrderItem(OrderItem { model, exponent }))
                }
                None => None,
            }
        }
    };
    Ok(node)
}

/// Read operations. Everything is scoped to the tenant of the API key.
#[Object(name = "Query")]
impl QueryRoot {
    /// Any object by its global ID; `null` when it does not exist, belongs to
    /// another tenant, or the ID is garbled.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        resolve_node(ctx, &id).await
    }

    /// Several objects by global ID (at most 100), in the order asked; `null` for those not found.
    #[graphql(complexity = "ids.len().max(1) * child_complexity")]
    async fn nodes(&self, ctx: &Context<'_>, ids: Vec<ID>) -> Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(AppError::BadUserInput(format!("at most {MAX_NODES} ids")).into());
        }
        let lookups = ids.iter().map(|id| resolve_node(ctx, id));
        futures_util::future::try_join_all(lookups).await
    }

    /// ISO 4217 currencies, by code order of insertion.
    #[graphql(
        complexity = "first.or(last).unwrap_or(20).clamp(1, 100) as usize * child_complexity"
    )]
    async fn currencies(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CurrencyConnection> {
        let req = request(ctx)?;
        let codec = cursors(ctx)?;
        let tenant = req.principal.tenant_id;
        let scope = "currencies";
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let window = args.window(|c| codec.decode_id(tenant, scope, c))?;
        let (page, statement) = service::currencies::list(&req.db, &window)
            .await
            .map_err(AppError::from)?;
        let counter = Counter {
            db: req.db.clone(),
            statement,
        };
        let scope = std::sync::Arc::<str>::from(scope);
        Ok(CurrencyConnection::build(page, &window, counter, |m| {
            CurrencyEdge {
                cursor: Cursor::of_id(codec, tenant, scope.clone(), m.id),
                node: m.into(),
            }
        }))
    }

    /// The tenant's sales channels, oldest first.
    #[graphql(
        complexity = "first.or(last).unwrap_or(20).clamp(1, 100) as usize * child_complexity"
    )]
    async fn channels(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<ChannelConnection> {
        let req = request(ctx)?;
        let codec = cursors(ctx)?;
        let tenant = req.principal.tenant_id;
        let scope = "channels";
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let window = args.window(|c| codec.decode_id(tenant, scope, c))?;
        let (page, statement) = service::channels::list(&req.db, tenant, &window)
            .await
            .map_err(AppError::from)?;
        let counter = Counter {
            db: req.db.clone(),
            statement,
        };
        let scope = std::sync::Arc::<str>::from(scope);
        Ok(ChannelConnection::build(page, &window, counter, |m| {
            ChannelEdge {
                cursor: Cursor::of_id(codec, tenant, scope.clone(), m.id),
                node: m.into(),
            }
        }))
    }

    /// A customer of the tenant by global ID.
    async fn customer(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Customer>> {
        let Some(id) = decode_as(&id, Kind::Customer) else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .load_one(CustomerId(id))
            .await
            .map_err(AppError::from)?
            .map(Customer::from))
    }

    /// The tenant's customers, oldest first, optionally filtered.
    #[graphql(
        complexity = "first.or(last).unwrap_or(20).clamp(1, 100) as usize * child_complexity"
    )]
    async fn customers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<CustomerFilter>,
    ) -> Result<CustomerConnection> {
        let req = request(ctx)?;
        let codec = cursors(ctx)?;
        let tenant = req.principal.tenant_id;
        let filter: service::customers::CustomerFilter = filter.unwrap_or_default().into();
        let scope = format!("customers:{filter:?}");
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let window = args.window(|c| codec.decode_id(tenant, &scope, c))?;
        let (page, statement) = service::customers::list(&req.db, tenant, &filter, &window)
            .await
            .map_err(AppError::from)?;
        let counter = Counter {
            db: req.db.clone(),
            statement,
        };
        let scope = std::sync::Arc::<str>::from(scope);
        Ok(CustomerConnection::build(page, &window, counter, |m| {
            CustomerEdge {
                cursor: Cursor::of_id(codec, tenant, scope.clone(), m.id),
                node: m.into(),
            }
        }))
    }

    /// The tenant's orders: keyset-paginated (page 10,000 costs what page 1
    /// costs), filtered in SQL, sorted by `sort` (default `CREATED_AT DESC`)
    /// with the ID breaking ties. Archived orders are hidden unless
    /// `filter.archived` asks for them. A cursor is only valid with the sort
    /// and filter it was made under (`BAD_CURSOR` otherwise).
    #[allow(clippy::too_many_arguments)]
    #[graphql(
        complexity = "first.or(last).unwrap_or(20).clamp(1, 100) as usize * child_complexity"
    )]
    async fn orders(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<OrderFilter>,
        sort: Option<Vec<OrderSort>>,
    ) -> Result<OrderConnection> {
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        list_orders(ctx, args, filter, sort, None).await
    }

    /// An order of the tenant by its number (`ORD-000001`).
    async fn order_by_number(&self, ctx: &Context<'_>, number: String) -> Result<Option<Order>> {
        lookup(ctx, Key::Number(&number)).await
    }

    /// An order of the tenant by the client's reference.
    async fn order_by_reference(
        &self,
        ctx: &Context<'_>,
        reference: String,
    ) -> Result<Option<Order>> {
        lookup(ctx, Key::Reference(&reference)).await
    }

    /// An order of the tenant by global ID, with its items.
    async fn order(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Order>> {
        let Some(id) = decode_as(&id, Kind::Order) else {
            return Ok(None);
        };
        lookup(ctx, Key::Ids(&[id])).await
    }
}

/// One order, read in one statement with the customer, channel and items its
/// selection asks for; these go to the request's loaders, so the order's
/// nested fields read no more rows.
async fn lookup(ctx: &Context<'_>, key: Key<'_>) -> Result<Option<Order>> {
    let nested = Nested::of(&ctx.field());
    let req = request(ctx)?;
    let found = service::orders::joined(&req.db, req.principal.tenant_id, key, nested.joins(true))
        .await
        .map_err(AppError::from)?;
    let Some(joined) = found.into_iter().next() else {
        return Ok(None);
    };
    let loaders = loaders(ctx)?;
    if let Some(customer) = joined.customer {
        loaders.feed_one(CustomerId(customer.id), customer).await;
    }
    if let Some(channel) = joined.channel {
        loaders.feed_one(ChannelId(channel.id), channel).await;
    }
    loaders
        .feed_many(nested.item_entries(joined.order.id, joined.items))
        .await;
    Ok(Some(Order::from(joined.order)))
}
