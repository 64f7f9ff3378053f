//! GraphQL output types, built from entity models (`From<model>`), so the
//! database schema and the API can change independently.

mod address;
mod channel;
mod currency;
mod customer;
mod enums;
mod items;
mod node;
mod order;

pub use address::Address;
pub use channel::Channel;
pub use currency::Currency;
pub use customer::Customer;
pub use enums::*;
pub use node::Node;
pub use order::{Order, OrderItem};

use async_graphql::Context;

use super::errors::AppError;
use super::loaders::{CurrencyTable, Loaders};
use super::pagination::CursorCodec;
use super::RequestContext;

/// The caller's request context.
pub fn request<'a>(ctx: &Context<'a>) -> Result<&'a RequestContext, AppError> {
    ctx.data::<RequestContext>()
        .map_err(|_| AppError::Internal("request context missing".to_owned()))
}

/// The loaders of this request.
pub fn loaders<'a>(ctx: &Context<'a>) -> Result<&'a Loaders, AppError> {
    ctx.data::<Loaders>()
        .map_err(|_| AppError::Internal("loaders missing".to_owned()))
}

/// The currencies, read at start.
pub fn currencies<'a>(ctx: &Context<'a>) -> Result<&'a CurrencyTable, AppError> {
    ctx.data::<std::sync::Arc<CurrencyTable>>()
        .map(|t| t.as_ref())
        .map_err(|_| AppError::Internal("currency table missing".to_owned()))
}

/// The cursor signer.
pub fn cursors<'a>(ctx: &Context<'a>) -> Result<&'a CursorCodec, AppError> {
    ctx.data::<CursorCodec>()
        .map_err(|_| AppError::Internal("cursor codec missing".to_owned()))
}

/// One value through this request's loaders.
///
/// The load is boxed on purpose. async-graphql resolves each selected field
/// in a freshly allocated future as large as the type's largest field
/// resolver, copied there from the stack; a resolver that awaited a load (or
/// a list query) inline made every field of its type pay for that state: on
/// a page of 50 orders, a third of the instructions went to those copies and
/// allocations (callgrind, bench/RESULTS.md). Boxed, only the field that
/// loads pays, and only for its own future.
pub async fn load<K>(
    ctx: &Context<'_>,
    key: K,
) -> Result<
    Option<<super::loaders::TenantLoader as async_graphql::dataloader::Loader<K>>::Value>,
    AppError,
>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    super::loaders::TenantLoader:
        async_graphql::dataloader::Loader<K, Error = std::sync::Arc<sea_orm::DbErr>>,
{
    let loaders = loaders(ctx)?;
    Ok(Box::pin(loaders.load_one(key)).await?)
}
