//! `Customer`: a buyer of the tenant.

use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, Utc};
use entity::customer;

use crate::graphql::filter::{list_orders, OrderFilter, OrderSort};
use crate::graphql::ids::{encode, Kind};
use crate::graphql::pagination::{OrderConnection, PageArgs};

/// A customer. The email is unique per tenant, compared case-insensitively.
#[derive(Clone, Debug)]
pub struct Customer(pub customer::Model);

impl From<customer::Model> for Customer {
    fn from(model: customer::Model) -> Self {
        Customer(model)
    }
}

/// A customer of the tenant; the email is unique per tenant, compared case-insensitively.
#[Object(serial)]
impl Customer {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Customer, self.0.id)
    }

    /// Email address, as first written (case kept).
    async fn email(&self) -> &str {
        &self.0.email
    }

    /// Given name.
    async fn first_name(&self) -> Option<&str> {
        self.0.first_name.as_deref()
    }

    /// Family name.
    async fn last_name(&self) -> Option<&str> {
        self.0.last_name.as_deref()
    }

    /// Phone number.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    /// When the customer was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the customer last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// This customer's orders: the same arguments and rules as `Query.orders`.
    /// (Resolved with one query per customer: fetch it for one customer at a time.)
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
        let id = self.0.id;
        let scope = crate::service::order_list::OrderFilter {
            customer_ids: Some(vec![id]),
            ..Default::default()
        };
        // Boxed: see `types::load`.
        Box::pin(list_orders(ctx, args, filter, sort, Some(scope))).await
    }
}
