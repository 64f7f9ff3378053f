//! `Customer`: a buyer of the tenant.

use async_graphql::{Object, ID};
use chrono::{DateTime, Utc};
use entity::customer;

use crate::graphql::ids::{encode, Kind};

/// A customer. The email is unique per tenant, compared case-insensitively.
#[derive(Clone, Debug)]
pub struct Customer(pub customer::Model);

impl From<customer::Model> for Customer {
    fn from(model: customer::Model) -> Self {
        Customer(model)
    }
}

/// A customer of the tenant; the email is unique per tenant, compared case-insensitively.
#[Object]
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
}
