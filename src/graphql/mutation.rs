//! Mutation root: each returns a payload with the changed object and `userErrors`.

use async_graphql::{Context, Object, Result, SimpleObject, ID};

use super::errors::{user_result, UserError};
use super::ids::{decode_as, Kind};
use super::inputs::{ChannelInput, CustomerInput, UpdateChannelInput, UpdateCustomerInput};
use super::types::{request, Channel, Customer};
use crate::service;

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
