//! Query root: lookups, lists and Relay `node`/`nodes`.

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Object, Result, ID};

use super::errors::AppError;
use super::filter::{list_orders, OrderFilter, OrderSort};
use super::ids::{decode, decode_as, Kind};
use super::inputs::CustomerFilter;
use super::loaders::{ChannelId, CustomerId, OrderId};
use super::pagination::{
    ChannelConnection, ChannelEdge, Counter, CurrencyConnection, CurrencyEdge, Cursor,
    CustomerConnection, CustomerEdge, OrderConnection, PageArgs,
};
use super::types::{currencies, cursors, loaders, request, Customer, Node, Order, OrderItem};
use crate::service;

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
        let req = request(ctx)?;
        let order = service::orders::by_number(&req.db, req.principal.tenant_id, &number)
            .await
            .map_err(AppError::from)?;
        with_nested(ctx, order).await
    }

    /// An order of the tenant by the client's reference.
    async fn order_by_reference(
        &self,
        ctx: &Context<'_>,
        reference: String,
    ) -> Result<Option<Order>> {
        let req = request(ctx)?;
        let order = service::orders::by_reference(&req.db, req.principal.tenant_id, &reference)
            .await
            .map_err(AppError::from)?;
        with_nested(ctx, order).await
    }

    /// An order of the tenant by global ID, with its items.
    async fn order(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Order>> {
        let Some(id) = decode_as(&id, Kind::Order) else {
            return Ok(None);
        };
        let nested = crate::graphql::loaders::Nested::of(&ctx.field());
        if nested.customers || nested.channels {
            // The order with its customer and channel in one statement; the
            // loaders get the parties, so their fields read no more rows.
            let req = request(ctx)?;
            let found =
                service::orders::with_parties_by_ids(&req.db, req.principal.tenant_id, &[id])
                    .await
                    .map_err(AppError::from)?;
            let Some(service::rows::OrderWithParties(order, customer, channel)) =
                found.into_iter().next()
            else {
                return Ok(None);
            };
            let loaders = loaders(ctx)?;
            loaders.feed_one(CustomerId(customer.id), customer).await;
            loaders.feed_one(ChannelId(channel.id), channel).await;
            let items_only = crate::graphql::loaders::Nested {
                items: nested.items,
                ..Default::default()
            };
            crate::graphql::loaders::prefetch(loaders, std::slice::from_ref(&order), items_only)
                .await
                .map_err(AppError::from)?;
            return Ok(Some(Order::from(order)));
        }
        // Straight from the loader: one key gains nothing from the batching delay.
        let order = Loader::<OrderId>::load(loaders(ctx)?.loader(), &[OrderId(id)])
            .await
            .map_err(AppError::from)?
            .remove(&OrderId(id));
        with_nested(ctx, order).await
    }
}

/// One order, with the nested rows its selection asks for read before the
/// order's fields resolve (no loader delay; see [`loaders::prefetch`]).
async fn with_nested(
    ctx: &Context<'_>,
    order: Option<entity::order::Model>,
) -> Result<Option<Order>> {
    let Some(order) = order else {
        return Ok(None);
    };
    let nested = crate::graphql::loaders::Nested::of(&ctx.field());
    crate::graphql::loaders::prefetch(loaders(ctx)?, std::slice::from_ref(&order), nested)
        .await
        .map_err(AppError::from)?;
    Ok(Some(Order::from(order)))
}
