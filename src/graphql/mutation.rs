//! Mutation root: each returns a payload with the changed object and `userErrors`.

use async_graphql::{Context, Object, Result, SimpleObject, ID};

use super::errors::{user_result, UserError};
use super::ids::{decode_as, Kind};
use super::inputs::{ChannelInput, CustomerInput, UpdateChannelInput, UpdateCustomerInput};
use super::order_inputs::{
    BulkErrorPolicy, CreateOrderInput, OrderItemInput, UpdateOrderInput, UpdateOrderItemInput,
};
use super::types::{currencies, loaders, request, Channel, Customer, Order};
use crate::service;
use crate::service::order_update;
use crate::service::order_write::{self, Actor};

/// Most inputs of one `createOrders` call.
const MAX_BULK: usize = 100;

/// Result of an order mutation.
#[derive(SimpleObject)]
pub struct OrderPayload {
    /// The order as written (or as first written, on an idempotent replay); `null` when there are user errors.
    pub order: Option<Order>,
    /// What the caller must fix; empty on success. A user error means nothing was written.
    pub user_errors: Vec<UserError>,
    /// `true` when an earlier call with the same idempotency key and input created this order and nothing new was written.
    pub idempotent_replay: bool,
}

/// The outcome of one input of `createOrders`.
#[derive(SimpleObject)]
pub struct BulkOrderResult {
    /// The order written for this input; `null` when it, or (with `REJECT_EVERYTHING`) any input, failed.
    pub order: Option<Order>,
    /// What is wrong with this input, with paths such as `["inputs", "2", "items", "0", "quantity"]`.
    pub user_errors: Vec<UserError>,
}

/// Result of `createOrders`: one result per input, in input order.
#[derive(SimpleObject)]
pub struct BulkOrderPayload {
    /// One result per input, in input order.
    pub results: Vec<BulkOrderResult>,
    /// Number of orders written.
    pub count: i32,
}

/// Maps an order service result to a payload; the loaders forget what they read.
fn order_payload(
    ctx: &Context<'_>,
    result: std::result::Result<entity::order::Model, crate::service::ServiceError>,
) -> Result<OrderPayload> {
    let (order, user_errors) = user_result(result)?;
    super::loaders::clear(loaders(ctx)?);
    Ok(OrderPayload {
        order: order.map(Into::into),
        user_errors,
        idempotent_replay: false,
    })
}

fn actor(ctx: &Context<'_>) -> Result<Actor> {
    let req = request(ctx)?;
    Ok(Actor {
        tenant_id: req.principal.tenant_id,
        name: req.principal.key_name.clone(),
    })
}

/// Write operations.
#[derive(Default)]
pub struct MutationRoot;

/// Result of a channel mutation.
#[derive(SimpleObject)]
pub struct ChannelPayload {
    /// The channel as written; `null` when there are user errors.
    pub channel: Option<Channel>,
    /// What the caller must fix; empty on success. A user error means nothing was written.
    pub user_errors: Vec<UserError>,
}

/// Result of a customer mutation.
#[derive(SimpleObject)]
pub struct CustomerPayload {
    /// The customer as written; `null` when there are user errors.
    pub customer: Option<Customer>,
    /// What the caller must fix; empty on success. A user error means nothing was written.
    pub user_errors: Vec<UserError>,
}

/// Write operations. Each returns a payload with the changed object and
/// `userErrors`; a user error means nothing was written.
#[Object(name = "Mutation")]
impl MutationRoot {
    /// Creates an order with its items in one transaction and assigns its
    /// number. With an `idempotencyKey` (kept at least 30 days, per tenant),
    /// repeating the call with the same input returns the first order with
    /// `idempotentReplay: true` and writes nothing; a different input is
    /// `IDEMPOTENCY_KEY_REUSED`.
    async fn create_order(
        &self,
        ctx: &Context<'_>,
        input: CreateOrderInput,
        idempotency_key: Option<String>,
    ) -> Result<OrderPayload> {
        let req = request(ctx)?;
        let idempotency = idempotency_key.map(|key| (key, input.canonical_hash()));
        let result = order_write::create(
            &req.db,
            currencies(ctx)?,
            &actor(ctx)?,
            input.into(),
            idempotency,
        )
        .await;
        let (created, user_errors) = user_result(result)?;
        super::loaders::clear(loaders(ctx)?);
        Ok(OrderPayload {
            idempotent_replay: created.as_ref().is_some_and(|c| c.replay),
            order: created.map(|c| c.order.into()),
            user_errors,
        })
    }

    /// Creates up to 100 orders in one transaction. `REJECT_EVERYTHING`
    /// writes nothing when any input fails; `REJECT_FAILED_ROWS` writes the
    /// inputs that pass. One result per input, in input order.
    async fn create_orders(
        &self,
        ctx: &Context<'_>,
        inputs: Vec<CreateOrderInput>,
        #[graphql(default_with = "Some(BulkErrorPolicy::RejectEverything)")] error_policy: Option<
            BulkErrorPolicy,
        >,
    ) -> Result<BulkOrderPayload> {
        if inputs.len() > MAX_BULK {
            return Err(super::errors::AppError::BadUserInput(format!(
                "at most {MAX_BULK} inputs per call"
            ))
            .into());
        }
        let req = request(ctx)?;
        let inputs = inputs.into_iter().map(Into::into).collect();
        let results = order_write::create_many(
            &req.db,
            currencies(ctx)?,
            &actor(ctx)?,
            inputs,
            error_policy.unwrap_or_default().into(),
        )
        .await
        .map_err(super::errors::AppError::from)?;
        super::loaders::clear(loaders(ctx)?);
        let count = results.iter().filter(|r| r.is_ok()).count();
        Ok(BulkOrderPayload {
            count: i32::try_from(count).unwrap_or(i32::MAX),
            results: results
                .into_iter()
                .map(|r| match r {
                    Ok(order) => BulkOrderResult {
                        order: Some(order.into()),
                        user_errors: Vec::new(),
                    },
                    Err(errors) => BulkOrderResult {
                        order: None,
                        user_errors: errors.into_iter().map(Into::into).collect(),
                    },
                })
                .collect(),
        })
    }

    /// Changes an order: fields left out stay as they are. With
    /// `expectedVersion`, the change is made only if the order is still at
    /// that version (`VERSION_CONFLICT` otherwise, nothing written).
    async fn update_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateOrderInput,
        expected_version: Option<i32>,
    ) -> Result<OrderPayload> {
        let req = request(ctx)?;
        let result = order_update::update(
            &req.db,
            currencies(ctx)?,
            &actor(ctx)?,
            decode_as(&id, Kind::Order),
            input.into(),
            expected_version,
        )
        .await;
        order_payload(ctx, result)
    }

    /// Adds items to an order that is PENDING or PROCESSING (`ORDER_NOT_EDITABLE` otherwise); totals are recomputed.
    async fn add_order_items(
        &self,
        ctx: &Context<'_>,
        order_id: ID,
        items: Vec<OrderItemInput>,
        expected_version: Option<i32>,
    ) -> Result<OrderPayload> {
        let req = request(ctx)?;
        let result = order_update::add_items(
            &req.db,
            currencies(ctx)?,
            &actor(ctx)?,
            decode_as(&order_id, Kind::Order),
            items.into_iter().map(Into::into).collect(),
            expected_version,
        )
        .await;
        order_payload(ctx, result)
    }

    /// Changes an item of an order that is PENDING or PROCESSING; totals are recomputed.
    async fn update_order_item(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateOrderItemInput,
        expected_version: Option<i32>,
    ) -> Result<OrderPayload> {
        let req = request(ctx)?;
        let result = order_update::update_item(
            &req.db,
            currencies(ctx)?,
            &actor(ctx)?,
            decode_as(&id, Kind::OrderItem),
            input.into(),
            expected_version,
        )
        .await;
        order_payload(ctx, result)
    }

    /// Removes an item of an order that is PENDING or PROCESSING; the last item cannot be removed.
    async fn remove_order_item(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: Option<i32>,
    ) -> Result<OrderPayload> {
        let req = request(ctx)?;
        let result = order_update::remove_item(
            &req.db,
            currencies(ctx)?,
            &actor(ctx)?,
            decode_as(&id, Kind::OrderItem),
            expected_version,
        )
        .await;
        order_payload(ctx, result)
    }

    /// Archives an order: hidden from lists by default, no longer changeable. Archiving twice is a no-op.
    async fn archive_order(&self, ctx: &Context<'_>, id: ID) -> Result<OrderPayload> {
        let req = request(ctx)?;
        let result =
            order_update::set_archived(&req.db, &actor(ctx)?, decode_as(&id, Kind::Order), true)
                .await;
        order_payload(ctx, result)
    }

    /// Unarchives an order. Unarchiving an active order is a no-op.
    async fn unarchive_order(&self, ctx: &Context<'_>, id: ID) -> Result<OrderPayload> {
        let req = request(ctx)?;
        let result =
            order_update::set_archived(&req.db, &actor(ctx)?, decode_as(&id, Kind::Order), false)
                .await;
        order_payload(ctx, result)
    }

    /// Creates a sales channel. A code the tenant already uses is `DUPLICATE`.
    async fn create_channel(
        &self,
        ctx: &Context<'_>,
        input: ChannelInput,
    ) -> Result<ChannelPayload> {
        let req = request(ctx)?;
        let result =
            service::channels::create(&req.db, req.principal.tenant_id, input.into()).await;
        let (channel, user_errors) = user_result(result)?;
        Ok(ChannelPayload {
            channel: channel.map(Into::into),
            user_errors,
        })
    }

    /// Changes a channel: fields left out stay as they are.
    async fn update_channel(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateChannelInput,
    ) -> Result<ChannelPayload> {
        let req = request(ctx)?;
        let id = decode_as(&id, Kind::Channel);
        let result =
            service::channels::update(&req.db, req.principal.tenant_id, id, input.into()).await;
        let (channel, user_errors) = user_result(result)?;
        Ok(ChannelPayload {
            channel: channel.map(Into::into),
            user_errors,
        })
    }

    /// Creates a customer. An email the tenant already uses (in any letter case) is `DUPLICATE`.
    async fn create_customer(
        &self,
        ctx: &Context<'_>,
        input: CustomerInput,
    ) -> Result<CustomerPayload> {
        let req = request(ctx)?;
        let result =
            service::customers::create(&req.db, req.principal.tenant_id, input.into()).await;
        let (customer, user_errors) = user_result(result)?;
        Ok(CustomerPayload {
            customer: customer.map(Into::into),
            user_errors,
        })
    }

    /// Changes a customer: fields left out stay as they are.
    async fn update_customer(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateCustomerInput,
    ) -> Result<CustomerPayload> {
        let req = request(ctx)?;
        let id = decode_as(&id, Kind::Customer);
        let result =
            service::customers::update(&req.db, req.principal.tenant_id, id, input.into()).await;
        let (customer, user_errors) = user_result(result)?;
        Ok(CustomerPayload {
            customer: customer.map(Into::into),
            user_errors,
        })
    }
}
