//! GraphQL output types, built from entity models (`From<model>`), so the
//! database schema and the API can change independently.

mod address;
mod channel;
mod currency;
mod customer;
mod enums;
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
