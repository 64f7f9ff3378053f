//! Customers of a tenant: create, update, read, filter.

use entity::customer;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryTrait,
};

use super::page::{fetch_by_id, Page, Window};
use super::{
    optional_text, patch_optional_text, patch_required_text, required_text, unique_violation,
    ErrorCode, FieldError, Patch, ServiceError, UniqueKey,
};

const EMAIL_MAX: usize = 254;
const NAME_MAX: usize = 100;
const PHONE_MAX: usize = 32;
/// Most values an `in` list may hold.
pub const IN_LIST_MAX: usize = 100;

/// A customer to create.
#[derive(Clone, Debug, Default)]
pub struct NewCustomer {
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
}

/// Changes to a customer.
#[derive(Clone, Debug, Default)]
pub struct CustomerPatch {
    pub email: Patch<String>,
    pub first_name: Patch<String>,
    pub last_name: Patch<String>,
    pub phone: Patch<String>,
}

/// A condition on a text column.
#[derive(Clone, Debug, Default)]
pub struct TextFilter {
    pub eq: Option<String>,
    pub in_list: Option<Vec<String>>,
    pub starts_with: Option<String>,
    pub contains: Option<String>,
}

/// Which customers to list.
#[derive(Clone, Debug, Default)]
pub struct CustomerFilter {
    /// Compared case-insensitively.
    pub email: Option<TextFilter>,
    /// Case-insensitive substring of the email or the names.
    pub search: Option<String>,
}

/// `%` and `_` in user text are literal: escaped for `LIKE … ESCAPE '\'`.
pub fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn check_email(errors: &mut Vec<FieldError>, email: &str) {
    let valid = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !domain.contains('@')
    }) && !email.chars().any(char::is_whitespace);
    if !email.is_empty() && !valid {
        errors.push(FieldError::new(
            &["input", "email"],
            ErrorCode::Invalid,
            "is not an email address",
        ));
    }
}

fn duplicate_email(err: DbErr) -> ServiceError {
    match unique_violation(&err) {
        Some(UniqueKey::CustomerEmail) => FieldError::new(
            &["input", "email"],
            ErrorCode::Duplicate,
            "a customer with this email exists",
        )
        .into(),
        _ => ServiceError::Db(err),
    }
}

/// Checks a new customer; `path` is where its fields sit in the input.
pub fn validate_new(input: &NewCustomer) -> Result<NewCustomer, Vec<FieldError>> {
    let mut errors = Vec::new();
    let email = required_text(&mut errors, &["input", "email"], &input.email, EMAIL_MAX);
    check_email(&mut errors, &email);
    let first_name = optional_text(
        &mut errors,
        &["input", "firstName"],
        input.first_name.as_deref(),
        NAME_MAX,
    );
    let last_name = optional_text(
        &mut errors,
        &["input", "lastName"],
        input.last_name.as_deref(),
        NAME_MAX,
    );
    let phone = optional_text(
        &mut errors,
        &["input", "phone"],
        input.phone.as_deref(),
        PHONE_MAX,
    );
    if errors.is_empty() {
        Ok(NewCustomer {
            email,
            first_name,
            last_name,
            phone,
        })
    } else {
        Err(errors)
    }
}

/// Creates a customer; an email already used by the tenant (in any case) is `DUPLICATE`.
#[tracing::instrument(skip(db))]
pub async fn create(
    db: &DatabaseConnection,
    tenant_id: i64,
    input: NewCustomer,
) -> Result<customer::Model, ServiceError> {
    let input = validate_new(&input).map_err(ServiceError::Invalid)?;
    let now = super::now();
    customer::ActiveModel {
        tenant_id: Set(tenant_id),
        email_lower: Set(input.email.to_lowercase()),
        email: Set(input.email),
        first_name: Set(input.first_name),
        last_name: Set(input.last_name),
        phone: Set(input.phone),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(duplicate_email)
}

/// Applies a partial update; an unknown id is `NOT_FOUND`.
#[tracing::instrument(skip(db))]
pub async fn update(
    db: &DatabaseConnection,
    tenant_id: i64,
    id: Option<i64>,
    patch: CustomerPatch,
) -> Result<customer::Model, ServiceError> {
    let not_found = || FieldError::new(&["id"], ErrorCode::NotFound, "no such customer");
    let Some(id) = id else {
        return Err(not_found().into());
    };
    let mut errors = Vec::new();
    let email = patch_required_text(&mut errors, &["input", "email"], patch.email, EMAIL_MAX);
    if let Some(email) = &email {
        check_email(&mut errors, email);
    }
    let first_name = patch_optional_text(
        &mut errors,
        &["input", "firstName"],
        patch.first_name,
        NAME_MAX,
    );
    let last_name = patch_optional_text(
        &mut errors,
        &["input", "lastName"],
        patch.last_name,
        NAME_MAX,
    );
    let phone = patch_optional_text(&mut errors, &["input", "phone"], patch.phone, PHONE_MAX);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let current = by_id(db, tenant_id, id).await?.ok_or_else(not_found)?;
    let mut active: customer::ActiveModel = current.clone().into();
    if let Some(email) = email {
        active.email_lower = Set(email.to_lowercase());
        active.email = Set(email);
    }
    if let Some(v) = first_name {
        active.first_name = Set(v);
    }
    if let Some(v) = last_name {
        active.last_name = Set(v);
    }
    if let Some(v) = phone {
        active.phone = Set(v);
    }
    if !active.is_changed() {
        return Ok(current);
    }
    active.updated_at = Set(super::now());
    active.update(db).await.map_err(duplicate_email)
}

/// One customer of the tenant.
pub async fn by_id(
    db: &DatabaseConnection,
    tenant_id: i64,
    id: i64,
) -> Result<Option<customer::Model>, DbErr> {
    customer::Entity::find_by_id(id)
        .filter(customer::Column::TenantId.eq(tenant_id))
        .one(db)
        .await
}

/// Customers of the tenant by id, in no particular order.
pub async fn by_ids(
    db: &DatabaseConnection,
    tenant_id: i64,
    ids: &[i64],
) -> Result<Vec<customer::Model>, DbErr> {
    super::rows::all(
        db,
        customer::Entity::find()
            .filter(customer::Column::TenantId.eq(tenant_id))
            .filter(customer::Column::Id.is_in(ids.iter().copied())),
    )
    .await
}

/// Customers of the tenant with one of these ids or one of these lower-cased
/// emails, in no particular order: one statement for the customers a batch of
/// orders names.
pub async fn by_ids_or_emails(
    db: &DatabaseConnection,
    tenant_id: i64,
    ids: &[i64],
    emails_lower: &[String],
) -> Result<Vec<customer::Model>, DbErr> {
    let mut any = Condition::any();
    if !ids.is_empty() {
        any = any.add(customer::Column::Id.is_in(ids.iter().copied()));
    }
    if !emails_lower.is_empty() {
        any = any.add(customer::Column::EmailLower.is_in(emails_lower.iter().cloned()));
    }
    if any.is_empty() {
        return Ok(Vec::new());
    }
    customer::Entity::find()
        .filter(customer::Column::TenantId.eq(tenant_id))
        .filter(any)
        .all(db)
        .await
}

fn lowered_like(column: customer::Column, pattern: String) -> sea_orm::sea_query::SimpleExpr {
    Expr::expr(Func::lower(Expr::col(column))).like(LikeExpr::new(pattern).escape('\\'))
}

fn condition(filter: &CustomerFilter) -> Result<Condition, FieldError> {
    let mut cond = Condition::all();
    if let Some(email) = &filter.email {
        if let Some(eq) = &email.eq {
            cond = cond.add(customer::Column::EmailLower.eq(eq.to_lowercase()));
        }
        if let Some(list) = &email.in_list {
            if list.len() > IN_LIST_MAX {
                return Err(FieldError::new(
                    &["filter", "email", "in"],
                    ErrorCode::Invalid,
                    format!("at most {IN_LIST_MAX} values"),
                ));
            }
            cond =
                cond.add(customer::Column::EmailLower.is_in(list.iter().map(|e| e.to_lowercase())));
        }
        if let Some(prefix) = &email.starts_with {
            let pattern = format!("{}%", escape_like(&prefix.to_lowercase()));
            cond = cond.add(
                Expr::col(customer::Column::EmailLower).like(LikeExpr::new(pattern).escape('\\')),
            );
        }
        if let Some(part) = &email.contains {
            let pattern = format!("%{}%", escape_like(&part.to_lowercase()));
            cond = cond.add(
                Expr::col(customer::Column::EmailLower).like(LikeExpr::new(pattern).escape('\\')),
            );
        }
    }
    if let Some(search) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let pattern = format!("%{}%", escape_like(&search.to_lowercase()));
        cond = cond.add(
            Condition::any()
                .add(
                    Expr::col(customer::Column::EmailLower)
                        .like(LikeExpr::new(pattern.clone()).escape('\\')),
                )
                .add(lowered_like(customer::Column::FirstName, pattern.clone()))
                .add(lowered_like(customer::Column::LastName, pattern)),
        );
    }
    Ok(cond)
}

/// A window of the tenant's customers matching the filter, by id, with the statement to count them all.
pub async fn list(
    db: &DatabaseConnection,
    tenant_id: i64,
    filter: &CustomerFilter,
    window: &Window<i64>,
) -> Result<(Page<customer::Model>, SelectStatement), ServiceError> {
    let select = customer::Entity::find()
        .filter(customer::Column::TenantId.eq(tenant_id))
        .filter(condition(filter)?);
    let count = select.clone().into_query();
    let page = fetch_by_id(db, select, customer::Column::Id, window).await?;
    Ok((page, count))
}
