//! Relay connections over keyset windows, with opaque, tamper-evident cursors.
//!
//! A cursor is `base64url(payload) "." base64url(mac)`: the payload holds the
//! sort key values of its row; the MAC (HMAC-SHA256, truncated to 128 bits,
//! keyed by the server's cursor key) binds it to the tenant and to the list's
//! scope (which list, sort and filter). Anything else is `BAD_CURSOR`.

use std::sync::Arc;

use async_graphql::SimpleObject;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sea_orm::sea_query::SelectStatement;
use sea_orm::DatabaseConnection;
use sha2::Sha256;

use super::errors::AppError;
use super::types::{Channel, Currency, Customer, Order};
use crate::service::page::{count, Window};

/// Page size when neither `first` nor `last` is given.
pub const DEFAULT_PAGE_SIZE: i32 = 20;
/// Largest `first` or `last`.
pub const MAX_PAGE_SIZE: i32 = 100;
/// Bytes of the MAC kept in a cursor.
const MAC_LEN: usize = 16;

/// Signs and checks cursors with the server's key.
#[derive(Clone)]
pub struct CursorCodec {
    /// HMAC-SHA256 with the key already absorbed, cloned for each signature
    /// (shared by the cursors of a page, which clone the codec).
    keyed: Arc<Hmac<Sha256>>,
}

impl std::fmt::Debug for CursorCodec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CursorCodec(..)")
    }
}

impl CursorCodec {
    pub fn new(key: [u8; 32]) -> Self {
        // A key of any length is accepted by HMAC; this cannot fail.
        let keyed = <Hmac<Sha256> as Mac>::new_from_slice(&key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        CursorCodec {
            keyed: Arc::new(keyed),
        }
    }

    fn mac(&self, tenant_id: i64, scope: &str, payload: &[u8]) -> Hmac<Sha256> {
        let mut mac = Hmac::clone(&self.keyed);
        mac.update(&tenant_id.to_be_bytes());
        mac.update(&(scope.len() as u64).to_be_bytes());
        mac.update(scope.as_bytes());
        mac.update(payload);
        mac
    }

    /// A cursor for the given sort values (a JSON array of them).
    pub fn encode(&self, tenant_id: i64, scope: &str, values: &[i64]) -> String {
        let payload = serde_json::to_string(values).unwrap_or_default();
        let tag = self
            .mac(tenant_id, scope, payload.as_bytes())
            .finalize()
            .into_bytes();
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(payload.as_bytes()),
            URL_SAFE_NO_PAD.encode(&tag[..MAC_LEN])
        )
    }

    /// The sort values of a cursor made by this server for this tenant and scope.
    pub fn decode(
        &self,
        tenant_id: i64,
        scope: &str,
        cursor: &str,
    ) -> Result<serde_json::Value, AppError> {
        let (payload, tag) = cursor.split_once('.').ok_or(AppError::BadCursor)?;
        let payload = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| AppError::BadCursor)?;
        let tag = URL_SAFE_NO_PAD
            .decode(tag)
            .map_err(|_| AppError::BadCursor)?;
        if tag.len() != MAC_LEN {
            return Err(AppError::BadCursor);
        }
        self.mac(tenant_id, scope, &payload)
            .verify_truncated_left(&tag)
            .map_err(|_| AppError::BadCursor)?;
        serde_json::from_slice(&payload).map_err(|_| AppError::BadCursor)
    }

    /// A cursor holding one id.
    pub fn encode_id(&self, tenant_id: i64, scope: &str, id: i64) -> String {
        self.encode(tenant_id, scope, &[id])
    }

    /// The id of a cursor made by `encode_id`.
    pub fn decode_id(&self, tenant_id: i64, scope: &str, cursor: &str) -> Result<i64, AppError> {
        match self.decode(tenant_id, scope, cursor)? {
            serde_json::Value::Array(values) if values.len() == 1 => {
                values[0].as_i64().ok_or(AppError::BadCursor)
            }
            _ => Err(AppError::BadCursor),
        }
    }
}

/// The Relay arguments of a connection field.
#[derive(Clone, Debug, Default)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

impl PageArgs {
    /// Checks the sizes and decodes the cursors into a window.
    pub fn window<K>(
        &self,
        decode: impl Fn(&str) -> Result<K, AppError>,
    ) -> Result<Window<K>, AppError> {
        let check = |name: &str, n: i32| {
            if (1..=MAX_PAGE_SIZE).contains(&n) {
                Ok(u64::try_from(n).unwrap_or(0))
            } else {
                Err(AppError::BadUserInput(format!(
                    "`{name}` must be between 1 and {MAX_PAGE_SIZE}"
                )))
            }
        };
        let (limit, backward) = match (self.first, self.last) {
            (Some(_), Some(_)) => {
                return Err(AppError::BadUserInput(
                    "give either `first` or `last`, not both".to_owned(),
                ));
            }
            (Some(first), None) => (check("first", first)?, false),
            (None, Some(last)) => (check("last", last)?, true),
            (None, None) => (check("first", DEFAULT_PAGE_SIZE)?, false),
        };
        Ok(Window {
            after: self.after.as_deref().map(&decode).transpose()?,
            before: self.before.as_deref().map(&decode).transpose()?,
            limit,
            backward,
        })
    }
}

/// A row's cursor, signed only when a client reads it: a page of 50 edges
/// shown as `nodes` with `pageInfo { endCursor }` signs one, not 50.
#[derive(Clone)]
pub struct Cursor {
    codec: CursorCodec,
    tenant_id: i64,
    scope: Arc<str>,
    values: Vec<i64>,
}

impl Cursor {
    /// The cursor of the row with these sort values, in this tenant's list `scope`.
    pub fn new(codec: &CursorCodec, tenant_id: i64, scope: Arc<str>, values: Vec<i64>) -> Self {
        Cursor {
            codec: codec.clone(),
            tenant_id,
            scope,
            values,
        }
    }

    /// The cursor of the row with this id (lists sorted by id).
    pub fn of_id(codec: &CursorCodec, tenant_id: i64, scope: Arc<str>, id: i64) -> Self {
        Cursor::new(codec, tenant_id, scope, vec![id])
    }

    /// The signed text clients pass back as `after` or `before`.
    pub fn signed(&self) -> String {
        self.codec.encode(self.tenant_id, &self.scope, &self.values)
    }
}

/// Relay page information.
#[derive(SimpleObject, Clone, Debug, Default)]
pub struct PageInfo {
    /// More rows follow the last edge.
    pub has_next_page: bool,
    /// More rows precede the first edge.
    pub has_previous_page: bool,
    /// Cursor of the first edge.
    pub start_cursor: Option<String>,
    /// Cursor of the last edge.
    pub end_cursor: Option<String>,
}

/// A query that counts every row of a connection, run only when asked for.
#[derive(Clone)]
pub struct Counter {
    pub db: DatabaseConnection,
    pub statement: SelectStatement,
}

impl Counter {
    /// Rows in the whole list.
    pub async fn count(&self) -> async_graphql::Result<i64> {
        let n = count(&self.db, self.statement.clone())
            .await
            .map_err(AppError::from)?;
        Ok(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// Relay page information of a window's rows.
pub fn page_info<K>(
    has_more: bool,
    window: &Window<K>,
    first: Option<&Cursor>,
    last: Option<&Cursor>,
) -> PageInfo {
    let (has_next_page, has_previous_page) = if window.backward {
        (window.before.is_some(), has_more)
    } else {
        (has_more, window.after.is_some())
    };
    PageInfo {
        has_next_page,
        has_previous_page,
        start_cursor: first.map(Cursor::signed),
        end_cursor: last.map(Cursor::signed),
    }
}

/// Declares a Relay connection type and its edge type for a node type.
macro_rules! connection {
    ($connection:ident, $edge:ident, $node:ty, $what:literal) => {
        #[doc = concat!("An edge: a ", $what, " and the cursor that points at it.")]
        #[derive(Clone)]
        pub struct $edge {
            pub cursor: $crate::graphql::pagination::Cursor,
            pub node: $node,
        }

        #[doc = concat!("An edge: a ", $what, " and the cursor that points at it.")]
        #[async_graphql::Object]
        impl $edge {
            /// Pass as `after` or `before` to page from this node.
            async fn cursor(&self) -> String {
                self.cursor.signed()
            }

            /// The node.
            async fn node(&self) -> &$node {
                &self.node
            }
        }

        #[doc = concat!("A page of ", $what, "s: Relay edges, plain nodes, page information and a count.")]
        pub struct $connection {
            pub edges: Vec<$edge>,
            pub page_info: $crate::graphql::pagination::PageInfo,
            pub counter: $crate::graphql::pagination::Counter,
        }

        impl $connection {
            /// Builds the connection from a window's rows.
            pub fn build<M, K>(
                page: $crate::service::page::Page<M>,
                window: &$crate::service::page::Window<K>,
                counter: $crate::graphql::pagination::Counter,
                edge: impl FnMut(M) -> $edge,
            ) -> Self {
                let edges: Vec<$edge> = page.rows.into_iter().map(edge).collect();
                let page_info = $crate::graphql::pagination::page_info(
                    page.has_more,
                    window,
                    edges.first().map(|e| &e.cursor),
                    edges.last().map(|e| &e.cursor),
                );
                $connection { edges, page_info, counter }
            }
        }

        #[doc = concat!("A page of ", $what, "s: Relay edges, plain nodes, page information and a count.")]
        #[async_graphql::Object]
        impl $connection {
            /// The nodes with their cursors.
            async fn edges(&self) -> &Vec<$edge> {
                &self.edges
            }

            /// The nodes alone.
            async fn nodes(&self) -> Vec<$node> {
                self.edges.iter().map(|e| e.node.clone()).collect()
            }

            /// Where this page sits in the list.
            async fn page_info(&self) -> &$crate::graphql::pagination::PageInfo {
                &self.page_info
            }

            /// Rows in the whole list (all pages), counted only when asked for.
            async fn total_count(&self) -> async_graphql::Result<i64> {
                // Boxed: see `types::load`.
                Box::pin(self.counter.count()).await
            }
        }
    };
}

connection!(CurrencyConnection, CurrencyEdge, Currency, "currency");
connection!(ChannelConnection, ChannelEdge, Channel, "channel");
connection!(CustomerConnection, CustomerEdge, Customer, "customer");
connection!(OrderConnection, OrderEdge, Order, "order");
