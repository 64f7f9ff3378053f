//! Sales channels of a tenant: create, update, read.

use entity::channel;
use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryTrait,
};

use super::page::{fetch_by_id, Page, Window};
use super::{
    optional_text, patch_optional_text, patch_required_text, required_text, unique_violation,
    ErrorCode, FieldError, Patch, ServiceError, UniqueKey,
};

const CODE_MAX: usize = 64;
const NAME_MAX: usize = 255;
const URL_MAX: usize = 2048;
const CONNECTOR_MAX: usize = 64;

/// A channel to create.
#[derive(Clone, Debug, Default)]
pub struct NewChannel {
    pub code: String,
    pub name: String,
    pub url: Option<String>,
    pub connector_type: Option<String>,
    pub connector_code: Option<String>,
}

/// Changes to a channel.
#[derive(Clone, Debug, Default)]
pub struct ChannelPatch {
    pub code: Patch<String>,
    pub name: Patch<String>,
    pub url: Patch<String>,
    pub connector_type: Patch<String>,
    pub connector_code: Patch<String>,
}

fn check_code(errors: &mut Vec<FieldError>, code: &str) {
    if code.chars().any(char::is_whitespace) {
        errors.push(FieldError::new(
            &["input", "code"],
            ErrorCode::Invalid,
            "must not contain spaces",
        ));
    }
}

fn check_url(errors: &mut Vec<FieldError>, value: Option<&str>) {
    if let Some(value) = value {
        let ok = url::Url::parse(value)
            .map(|u| matches!(u.scheme(), "http" | "https"))
            .unwrap_or(false);
        if !ok {
            errors.push(FieldError::new(
                &["input", "url"],
                ErrorCode::Invalid,
                "must be an http(s) URL",
            ));
        }
    }
}

fn duplicate_code(err: DbErr) -> ServiceError {
    match unique_violation(&err) {
        Some(UniqueKey::ChannelCode) => FieldError::new(
            &["input", "code"],
            ErrorCode::Duplicate,
            "a channel with this code exists",
        )
        .into(),
        _ => ServiceError::Db(err),
    }
}

/// Creates a channel; a code already used by the tenant is `DUPLICATE`.
#[tracing::instrument(skip(db))]
pub async fn create(
    db: &DatabaseConnection,
    tenant_id: i64,
    input: NewChannel,
) -> Result<channel::Model, ServiceError> {
    let mut errors = Vec::new();
    let code = required_text(&mut errors, &["input", "code"], &input.code, CODE_MAX);
    check_code(&mut errors, &code);
    let name = required_text(&mut errors, &["input", "name"], &input.name, NAME_MAX);
    let url = optional_text(
        &mut errors,
        &["input", "url"],
        input.url.as_deref(),
        URL_MAX,
    );
    check_url(&mut errors, url.as_deref());
    let connector_type = optional_text(
        &mut errors,
        &["input", "connectorType"],
        input.connector_type.as_deref(),
        CONNECTOR_MAX,
    );
    let connector_code = optional_text(
        &mut errors,
        &["input", "connectorCode"],
        input.connector_code.as_deref(),
        CONNECTOR_MAX,
    );
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = super::now();
    channel::ActiveModel {
        tenant_id: Set(tenant_id),
        code: Set(code),
        name: Set(name),
        url: Set(url),
        connector_type: Set(connector_type),
        connector_code: Set(connector_code),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(duplicate_code)
}

/// Applies a partial update; an unknown id is `NOT_FOUND`.
#[tracing::instrument(skip(db))]
pub async fn update(
    db: &DatabaseConnection,
    tenant_id: i64,
    id: Option<i64>,
    patch: ChannelPatch,
) -> Result<channel::Model, ServiceError> {
    let not_found = || FieldError::new(&["id"], ErrorCode::NotFound, "no such channel");
    let Some(id) = id else {
        return Err(not_found().into());
    };
    let mut errors = Vec::new();
    let code = patch_required_text(&mut errors, &["input", "code"], patch.code, CODE_MAX);
    if let Some(code) = &code {
        check_code(&mut errors, code);
    }
    let name = patch_required_text(&mut errors, &["input", "name"], patch.name, NAME_MAX);
    let url = patch_optional_text(&mut errors, &["input", "url"], patch.url, URL_MAX);
    if let Some(url) = &url {
        check_url(&mut errors, url.as_deref());
    }
    let connector_type = patch_optional_text(
        &mut errors,
        &["input", "connectorType"],
        patch.connector_type,
        CONNECTOR_MAX,
    );
    let connector_code = patch_optional_text(
        &mut errors,
        &["input", "connectorCode"],
        patch.connector_code,
        CONNECTOR_MAX,
    );
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let current = by_id(db, tenant_id, id).await?.ok_or_else(not_found)?;
    let mut active: channel::ActiveModel = current.clone().into();
    if let Some(code) = code {
        active.code = Set(code);
    }
    if let Some(name) = name {
        active.name = Set(name);
    }
    if let Some(url) = url {
        active.url = Set(url);
    }
    if let Some(v) = connector_type {
        active.connector_type = Set(v);
    }
    if let Some(v) = connector_code {
        active.connector_code = Set(v);
    }
    if !active.is_changed() {
        return Ok(current);
    }
    active.updated_at = Set(super::now());
    active.update(db).await.map_err(duplicate_code)
}

/// One channel of the tenant.
pub async fn by_id(
    db: &DatabaseConnection,
    tenant_id: i64,
    id: i64,
) -> Result<Option<channel::Model>, DbErr> {
    channel::Entity::find_by_id(id)
        .filter(channel::Column::TenantId.eq(tenant_id))
        .one(db)
        .await
}

/// A channel of the tenant by code.
pub async fn by_code(
    db: &DatabaseConnection,
    tenant_id: i64,
    code: &str,
) -> Result<Option<channel::Model>, DbErr> {
    channel::Entity::find()
        .filter(channel::Column::TenantId.eq(tenant_id))
        .filter(channel::Column::Code.eq(code))
        .one(db)
        .await
}

/// Channels of the tenant with one of these ids or one of these codes, in no
/// particular order: one statement for the channels a batch of orders names.
pub async fn by_ids_or_codes(
    db: &DatabaseConnection,
    tenant_id: i64,
    ids: &[i64],
    codes: &[String],
) -> Result<Vec<channel::Model>, DbErr> {
    let mut any = Condition::any();
    if !ids.is_empty() {
        any = any.add(channel::Column::Id.is_in(ids.iter().copied()));
    }
    if !codes.is_empty() {
        any = any.add(channel::Column::Code.is_in(codes.iter().cloned()));
    }
    if any.is_empty() {
        return Ok(Vec::new());
    }
    channel::Entity::find()
        .filter(channel::Column::TenantId.eq(tenant_id))
        .filter(any)
        .all(db)
        .await
}

/// Channels of the tenant by id, in no particular order.
pub async fn by_ids(
    db: &DatabaseConnection,
    tenant_id: i64,
    ids: &[i64],
) -> Result<Vec<channel::Model>, DbErr> {
    super::rows::all(
        db,
        channel::Entity::find()
            .filter(channel::Column::TenantId.eq(tenant_id))
            .filter(channel::Column::Id.is_in(ids.iter().copied())),
    )
    .await
}

/// A window of the tenant's channels, by id, with the statement to count them all.
pub async fn list(
    db: &DatabaseConnection,
    tenant_id: i64,
    window: &Window<i64>,
) -> Result<(Page<channel::Model>, SelectStatement), DbErr> {
    let select = channel::Entity::find().filter(channel::Column::TenantId.eq(tenant_id));
    let count = select.clone().into_query();
    let page = fetch_by_id(db, select, channel::Column::Id, window).await?;
    Ok((page, count))
}
