//! SeaORM entities of ordergraph: one module per table, no GraphQL in here.
//!
//! Money columns are `i64` amounts in units of 10⁻⁴ of the currency's major
//! unit (see `MONEY_SCALE`), in every backend, so that sums, filters and sorts
//! are exact integer operations.

pub mod api_key;
pub mod channel;
pub mod currency;
pub mod customer;
pub mod order;
pub mod order_event;
pub mod order_item;
pub mod server_setting;
pub mod tenant;

/// Number of decimal places every stored money amount carries.
pub const MONEY_SCALE: u32 = 4;
