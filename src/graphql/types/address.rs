//! Postal addresses, stored as JSON on the order.

use async_graphql::SimpleObject;
use serde::{Deserialize, Serialize};

/// A postal address.
#[derive(SimpleObject, Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct Address {
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Company name.
    pub company: Option<String>,
    /// Street and number.
    pub line1: Option<String>,
    /// Second address line.
    pub line2: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State, province or region.
    pub state: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 country code, such as `DE`.
    pub country_code: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Email address.
    pub email: Option<String>,
}
