//! Top-level errors with `extensions.code`, and the one mapping of service
//! errors to `UserError`s. Internal errors never show their source.

use async_graphql::{ErrorExtensions, SimpleObject};
use sea_orm::DbErr;

use crate::service::{is_unavailable, ErrorCode, FieldError, ServiceError};

/// Errors that end a request or a field with a top-level error.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadUserInput(String),
    #[error("the cursor is invalid for this query")]
    BadCursor,
    #[error("the database is unavailable; retry later")]
    DatabaseUnavailable,
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadUserInput(_) => "BAD_USER_INPUT",
            AppError::BadCursor => "BAD_CURSOR",
            AppError::DatabaseUnavailable => "DATABASE_UNAVAILABLE",
            AppError::Internal(_) => "INTERNAL",
        }
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        if is_unavailable(&err) {
            tracing::warn!(error = %err, "database unavailable");
            AppError::DatabaseUnavailable
        } else {
            tracing::error!(error = %err, "database error");
            AppError::Internal(err.to_string())
        }
    }
}

impl From<std::sync::Arc<DbErr>> for AppError {
    fn from(err: std::sync::Arc<DbErr>) -> Self {
        if is_unavailable(&err) {
            AppError::DatabaseUnavailable
        } else {
            tracing::error!(error = %err, "database error in a loader");
            AppError::Internal(err.to_string())
        }
    }
}

impl From<ServiceError> for AppError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Db(err) => err.into(),
            ServiceError::Invalid(errors) => AppError::BadUserInput(
                errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field.join("."), e.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        }
    }
}

impl ErrorExtensions for AppError {
    fn extend(&self) -> async_graphql::Error {
        async_graphql::Error::new(self.to_string())
            .extend_with(|_, ext| ext.set("code", self.code()))
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        err.extend()
    }
}

/// A request-level error (no path) with `extensions.code`.
pub fn coded(message: impl Into<String>, code: &str) -> async_graphql::ServerError {
    let mut error = async_graphql::ServerError::new(message, None);
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
    error
}

/// Codes of user errors.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::service::ErrorCode")]
pub enum UserErrorCode {
    /// A required value is missing or empty.
    Required,
    /// The value is not acceptable.
    Invalid,
    /// The text is longer than allowed.
    TooLong,
    /// The referenced record does not exist (for this tenant).
    NotFound,
    /// The value must be unique and is already used.
    Duplicate,
    /// The text is not a decimal number.
    InvalidDecimal,
    /// The amount has more decimal places than its currency.
    TooManyDecimals,
    /// An amount is, or would become, negative.
    NegativeAmount,
    /// A quantity is below 1 or too large.
    InvalidQuantity,
    /// `expectedTotal` differs from the computed total.
    TotalMismatch,
    /// The status cannot move to that value from its current one.
    InvalidTransition,
    /// Items can change only while the order is PENDING or PROCESSING.
    OrderNotEditable,
    /// The order is archived.
    OrderArchived,
    /// `expectedVersion` differs from the order's version.
    VersionConflict,
    /// The idempotency key was used with a different input.
    IdempotencyKeyReused,
    /// Too many items.
    TooManyItems,
}

/// Something the caller can fix. A user error means nothing was written.
#[derive(SimpleObject, Clone, Debug)]
pub struct UserError {
    /// Path to the input field at fault, such as `["input", "items", "2", "quantity"]`.
    pub field: Option<Vec<String>>,
    /// What is wrong, for humans.
    pub message: String,
    /// What is wrong, for programs.
    pub code: UserErrorCode,
}

impl From<FieldError> for UserError {
    fn from(err: FieldError) -> Self {
        UserError {
            field: if err.field.is_empty() {
                None
            } else {
                Some(err.field)
            },
            message: err.message,
            code: err.code.into(),
        }
    }
}

/// Splits a service result into a value or user errors; database faults become top-level errors.
pub fn user_result<T>(
    result: Result<T, ServiceError>,
) -> Result<(Option<T>, Vec<UserError>), AppError> {
    match result {
        Ok(value) => Ok((Some(value), Vec::new())),
        Err(ServiceError::Invalid(errors)) => {
            Ok((None, errors.into_iter().map(UserError::from).collect()))
        }
        Err(ServiceError::Db(err)) => Err(err.into()),
    }
}

/// A user error for a field, used by resolvers that check an argument themselves.
pub fn user_error(field: &[&str], code: ErrorCode, message: &str) -> UserError {
    FieldError::new(field, code, message).into()
}
