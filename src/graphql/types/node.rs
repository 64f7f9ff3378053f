//! The Relay `Node` interface: anything with a global ID.

use async_graphql::{Interface, ID};

use super::{Channel, Currency, Customer, Order, OrderItem};

/// An object with a global ID, resolvable with `node(id:)`.
#[derive(Interface, Clone, Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "short-lived values of one response; boxing would not pay"
)]
#[graphql(field(name = "id", ty = "ID", desc = "Global ID."))]
pub enum Node {
    Currency(Currency),
    Channel(Channel),
    Customer(Customer),
    Order(Order),
    OrderItem(OrderItem),
}
