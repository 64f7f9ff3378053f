//! The GraphQL API: schema, resolvers, types, pagination and loaders.

pub mod absent;
pub mod columns;
pub mod errors;
pub mod filter;
pub mod ids;
pub mod inputs;
pub mod limits;
pub mod loaders;
pub mod mutation;
pub mod order_inputs;
pub mod pagination;
pub mod query;
pub mod scalars;
pub mod schema;
pub mod types;

use sea_orm::DatabaseConnection;

use crate::service::Principal;

/// What every resolver of one request may read: the caller and the database.
pub struct RequestContext {
    pub principal: Principal,
    pub db: DatabaseConnection,
}
