//! Input objects of the mutations and filters, turned into service inputs.

use async_graphql::{InputObject, MaybeUndefined};

use crate::service::channels::{ChannelPatch, NewChannel};
use crate::service::customers::{
    CustomerFilter as ServiceCustomerFilter, CustomerPatch, NewCustomer, TextFilter,
};
use crate::service::Patch;

/// `MaybeUndefined` → `Patch`: left out, `null`, or a value.
pub fn patch<T>(value: MaybeUndefined<T>) -> Patch<T> {
    match value {
        MaybeUndefined::Undefined => Patch::Unchanged,
        MaybeUndefined::Null => Patch::Clear,
        MaybeUndefined::Value(v) => Patch::Set(v),
    }
}

/// A new sales channel.
#[derive(InputObject, Clone, Debug)]
pub struct ChannelInput {
    /// Unique per tenant, no spaces, at most 64 characters.
    pub code: String,
    /// Display name, at most 255 characters.
    pub name: String,
    /// An http(s) URL.
    pub url: Option<String>,
    /// Kind of connector, such as "Online Store".
    pub connector_type: Option<String>,
    /// Connector in use, such as "shopify".
    pub connector_code: Option<String>,
}

impl From<ChannelInput> for NewChannel {
    fn from(input: ChannelInput) -> Self {
        NewChannel {
            code: input.code,
            name: input.name,
            url: input.url,
            connector_type: input.connector_type,
            connector_code: input.connector_code,
        }
    }
}

/// Changes to a channel: a field left out is unchanged, `null` clears it
/// where it is nullable (and is a `REQUIRED` user error where it is not).
#[derive(InputObject, Clone, Debug, Default)]
pub struct UpdateChannelInput {
    /// New code.
    pub code: MaybeUndefined<String>,
    /// New name.
    pub name: MaybeUndefined<String>,
    /// New URL, or `null` to clear.
    pub url: MaybeUndefined<String>,
    /// New connector type, or `null` to clear.
    pub connector_type: MaybeUndefined<String>,
    /// New connector code, or `null` to clear.
    pub connector_code: MaybeUndefined<String>,
}

impl From<UpdateChannelInput> for ChannelPatch {
    fn from(input: UpdateChannelInput) -> Self {
        ChannelPatch {
            code: patch(input.code),
            name: patch(input.name),
            url: patch(input.url),
            connector_type: patch(input.connector_type),
            connector_code: patch(input.connector_code),
        }
    }
}

/// A new customer.
#[derive(InputObject, Clone, Debug)]
pub struct CustomerInput {
    /// Email address, unique per tenant (compared case-insensitively).
    pub email: String,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
}

impl From<CustomerInput> for NewCustomer {
    fn from(input: CustomerInput) -> Self {
        NewCustomer {
            email: input.email,
            first_name: input.first_name,
            last_name: input.last_name,
            phone: input.phone,
        }
    }
}

/// Changes to a customer: a field left out is unchanged, `null` clears it
/// where it is nullable (and is a `REQUIRED` user error for `email`).
#[derive(InputObject, Clone, Debug, Default)]
pub struct UpdateCustomerInput {
    /// New email address.
    pub email: MaybeUndefined<String>,
    /// New given name, or `null` to clear.
    pub first_name: MaybeUndefined<String>,
    /// New family name, or `null` to clear.
    pub last_name: MaybeUndefined<String>,
    /// New phone number, or `null` to clear.
    pub phone: MaybeUndefined<String>,
}

impl From<UpdateCustomerInput> for CustomerPatch {
    fn from(input: UpdateCustomerInput) -> Self {
        CustomerPatch {
            email: patch(input.email),
            first_name: patch(input.first_name),
            last_name: patch(input.last_name),
            phone: patch(input.phone),
        }
    }
}

/// Conditions on a text field; all given conditions must hold.
#[derive(InputObject, Clone, Debug, Default)]
pub struct StringFilter {
    /// Equal to.
    pub eq: Option<String>,
    /// One of (at most 100 values).
    #[graphql(name = "in")]
    pub in_list: Option<Vec<String>>,
    /// Starts with (`%` and `_` are literal).
    pub starts_with: Option<String>,
    /// Contains (`%` and `_` are literal).
    pub contains: Option<String>,
}

impl From<StringFilter> for TextFilter {
    fn from(f: StringFilter) -> Self {
        TextFilter {
            eq: f.eq,
            in_list: f.in_list,
            starts_with: f.starts_with,
            contains: f.contains,
        }
    }
}

/// Which customers to list.
#[derive(InputObject, Clone, Debug, Default)]
pub struct CustomerFilter {
    /// Conditions on the email, compared case-insensitively.
    pub email: Option<StringFilter>,
    /// Case-insensitive substring of the email, first name or last name.
    pub search: Option<String>,
}

impl From<CustomerFilter> for ServiceCustomerFilter {
    fn from(f: CustomerFilter) -> Self {
        ServiceCustomerFilter {
            email: f.email.map(Into::into),
            search: f.search,
        }
    }
}
