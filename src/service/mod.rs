//! I/O and transactions. Services take a connection and a tenant, never the
//! GraphQL context, and report what the caller can fix as `FieldError`s.

pub mod auth;
pub mod channels;
pub mod currencies;
pub mod customers;
pub mod order_list;
pub mod order_update;
pub mod order_write;
pub mod orders;
pub mod page;
pub mod rows;

use sea_orm::sqlx;
use sea_orm::{DbErr, RuntimeErr};

/// The caller of a request: the tenant of its API key, and the key's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub tenant_id: i64,
    pub key_id: i64,
    pub key_name: String,
}

/// Codes of user errors (API.md `UserErrorCode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    Required,
    Invalid,
    TooLong,
    NotFound,
    Duplicate,
    InvalidDecimal,
    TooManyDecimals,
    NegativeAmount,
    InvalidQuantity,
    TotalMismatch,
    InvalidTransition,
    OrderNotEditable,
    OrderArchived,
    VersionConflict,
    IdempotencyKeyReused,
    TooManyItems,
}

/// Something the caller can fix: where (`["input", "email"]`), what, and a code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: Vec<String>,
    pub message: String,
    pub code: ErrorCode,
}

impl FieldError {
    pub fn new(field: &[&str], code: ErrorCode, message: impl Into<String>) -> Self {
        FieldError {
            field: field.iter().map(|s| (*s).to_owned()).collect(),
            message: message.into(),
            code,
        }
    }
}

/// What a service call can end with besides success.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input was refused; nothing was written.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<FieldError> for ServiceError {
    fn from(err: FieldError) -> Self {
        ServiceError::Invalid(vec![err])
    }
}

/// Unique constraints that callers can run into, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UniqueKey {
    ChannelCode,
    CustomerEmail,
    OrderNumber,
    OrderReference,
    OrderIdempotencyKey,
    TenantName,
}

/// (constraint name on PostgreSQL, column list in SQLite's message, key).
const UNIQUE_KEYS: &[(&str, &str, UniqueKey)] = &[
    (
        "uq_channels_tenant_code",
        "channels.tenant_id, channels.code",
        UniqueKey::ChannelCode,
    ),
    (
        "uq_customers_tenant_email",
        "customers.tenant_id, customers.email_lower",
        UniqueKey::CustomerEmail,
    ),
    (
        "uq_orders_tenant_number",
        "orders.tenant_id, orders.number",
        UniqueKey::OrderNumber,
    ),
    (
        "uq_orders_tenant_reference",
        "orders.tenant_id, orders.reference",
        UniqueKey::OrderReference,
    ),
    (
        "uq_orders_tenant_idempotency_key",
        "orders.tenant_id, orders.idempotency_key",
        UniqueKey::OrderIdempotencyKey,
    ),
    ("tenants_name_key", "tenants.name", UniqueKey::TenantName),
];

/// Which unique constraint a database error violated, if it is such a violation.
pub fn unique_violation(err: &DbErr) -> Option<UniqueKey> {
    let (DbErr::Exec(RuntimeErr::SqlxError(inner)) | DbErr::Query(RuntimeErr::SqlxError(inner))) =
        err
    else {
        return None;
    };
    let sqlx::Error::Database(db_err) = &**inner else {
        return None;
    };
    if !matches!(db_err.kind(), sqlx::error::ErrorKind::UniqueViolation) {
        return None;
    }
    let constraint = db_err.constraint().unwrap_or_default();
    let message = db_err.message();
    UNIQUE_KEYS
        .iter()
        .find(|(name, columns, _)| constraint == *name || message.ends_with(columns))
        .map(|(_, _, key)| *key)
}

/// `true` when the error means the database cannot be reached or cannot take
/// writes (a full SQLite disk), as opposed to a bad statement.
pub fn is_unavailable(err: &DbErr) -> bool {
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(inner)) | DbErr::Query(RuntimeErr::SqlxError(inner)) => {
            if let sqlx::Error::Database(db_err) = &**inner {
                let code = db_err.code();
                let code = code.as_deref().unwrap_or_default();
                // SQLITE_FULL (13): the disk (or max_page_count) is full.
                // PostgreSQL: connection exceptions (08…), the server shutting
                // down or terminating the connection (57P01–57P03; not 57014,
                // a cancelled statement), the database gone (3D000).
                // SQLITE_BUSY and SQLITE_LOCKED (and their extended codes):
                // another writer held the database past the busy timeout.
                return matches!(code, "13" | "5" | "6" | "261" | "262" | "517")
                    || code.starts_with("08")
                    || code.starts_with("57P")
                    || code == "3D000";
            }
            matches!(
                &**inner,
                sqlx::Error::Io(_)
                    | sqlx::Error::PoolTimedOut
                    | sqlx::Error::PoolClosed
                    | sqlx::Error::Tls(_)
                    | sqlx::Error::Protocol(_)
                    | sqlx::Error::WorkerCrashed
            )
        }
        _ => false,
    }
}

/// Checks a required text field: trimmed non-empty, at most `max` characters.
pub fn required_text(
    errors: &mut Vec<FieldError>,
    field: &[&str],
    value: &str,
    max: usize,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.push(FieldError::new(
            field,
            ErrorCode::Required,
            "must not be empty",
        ));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(
            field,
            ErrorCode::TooLong,
            format!("must be at most {max} characters"),
        ));
    }
    value.to_owned()
}

/// Checks an optional text field; empty text counts as absent.
pub fn optional_text(
    errors: &mut Vec<FieldError>,
    field: &[&str],
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    if value.chars().count() > max {
        errors.push(FieldError::new(
            field,
            ErrorCode::TooLong,
            format!("must be at most {max} characters"),
        ));
    }
    Some(value.to_owned())
}

/// A field of a partial update: left out, sent as `null`, or sent with a value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Patch<T> {
    #[default]
    Unchanged,
    Clear,
    Set(T),
}

impl<T> Patch<T> {
    pub fn is_unchanged(&self) -> bool {
        matches!(self, Patch::Unchanged)
    }
}

/// Checks a patched required text: `null` is `REQUIRED`.
pub fn patch_required_text(
    errors: &mut Vec<FieldError>,
    field: &[&str],
    value: Patch<String>,
    max: usize,
) -> Option<String> {
    match value {
        Patch::Unchanged => None,
        Patch::Clear => {
            errors.push(FieldError::new(
                field,
                ErrorCode::Required,
                "cannot be cleared",
            ));
            None
        }
        Patch::Set(v) => Some(required_text(errors, field, &v, max)),
    }
}

/// Checks a patched optional text: `Some(None)` clears it.
pub fn patch_optional_text(
    errors: &mut Vec<FieldError>,
    field: &[&str],
    value: Patch<String>,
    max: usize,
) -> Option<Option<String>> {
    match value {
        Patch::Unchanged => None,
        Patch::Clear => Some(None),
        Patch::Set(v) => Some(optional_text(errors, field, Some(&v), max)),
    }
}

/// The current time at the precision both backends store (microseconds), so
/// that cursors made from a row's timestamp compare exactly with the row.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    let now = chrono::Utc::now();
    chrono::DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
}
