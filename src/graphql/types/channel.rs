//! `Channel`: a sales channel of the tenant.

use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, Utc};
use entity::channel;

use crate::graphql::filter::{list_orders, OrderFilter, OrderSort};
use crate::graphql::ids::{encode, Kind};
use crate::graphql::pagination::{OrderConnection, PageArgs};

/// A sales channel: a web shop, a marketplace, a point of sale.
#[derive(Clone, Debug)]
pub struct Channel(pub channel::Model);

impl From<channel::Model> for Channel {
    fn from(model: channel::Model) -> Self {
        Channel(model)
    }
}

/// A sales channel of the tenant: a web shop, a marketplace, a point of sale.
#[Object(serial)]
impl Channel {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Channel, self.0.id)
    }

    /// Code, unique per tenant (case-sensitive), such as `web-eu`.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Address of the shop, if it has one.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }

    /// Kind of connector, such as "Online Store".
    async fn connector_type(&self) -> Option<&str> {
        self.0.connector_type.as_deref()
    }

    /// Connector in use, such as "shopify".
    async fn connector_code(&self) -> Option<&str> {
        self.0.connector_code.as_deref()
    }

    /// When the channel was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the channel last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// This channel's orders: the same arguments and rules as `Query.orders`.
    /// (Resolved with one query per channel: fetch it for one channel at a time.)
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
            channel_ids: Some(vec![id]),
            ..Default::default()
        };
        // Boxed: see `types::load`.
        Box::pin(list_orders(ctx, args, filter, sort, Some(scope))).await
    }
}
