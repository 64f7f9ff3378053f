//! API keys: generation, hashing, lookup, and the demo key of a new database.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use entity::{api_key, tenant};
use rand::RngCore;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, TransactionTrait,
};
use sha2::{Digest, Sha256};

use super::Principal;

/// Every key starts with this, so that a leaked one is easy to recognise.
const KEY_PREFIX: &str = "og_";

/// Tenant and key name created for a newcomer's first `serve`.
pub const DEMO_TENANT: &str = "demo";

/// A key just created: the secret is only ever shown here.
#[derive(Clone, Debug)]
pub struct CreatedKey {
    pub key: String,
    pub tenant_id: i64,
}

/// Hex SHA-256 of a key. Keys are 256 random bits, so a fast hash is enough.
pub fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

fn generate_key() -> String {
    let mut bytes = [0_u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "{KEY_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// Finds the tenant by name, creating it when it does not exist yet.
pub async fn find_or_create_tenant<C: ConnectionTrait>(db: &C, name: &str) -> Result<i64, DbErr> {
    tenant::Entity::insert(tenant::ActiveModel {
        name: Set(name.to_owned()),
        order_seq: Set(0),
        created_at: Set(super::now()),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([tenant::Column::Name])
    .exec(db)
    .await?;
    tenant::Entity::find()
        .filter(tenant::Column::Name.eq(name))
        .one(db)
        .await?
        .map(|t| t.id)
        .ok_or_else(|| DbErr::RecordNotFound(format!("tenant {name}")))
}

/// Creates the tenant if needed and a new key for it.
#[tracing::instrument(skip(db))]
pub async fn create_api_key(
    db: &DatabaseConnection,
    tenant_name: &str,
    key_name: &str,
) -> Result<CreatedKey, DbErr> {
    let txn = db.begin().await?;
    let tenant_id = find_or_create_tenant(&txn, tenant_name).await?;
    let key = insert_key(&txn, tenant_id, key_name).await?;
    txn.commit().await?;
    Ok(CreatedKey { key, tenant_id })
}

async fn insert_key<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    key_name: &str,
) -> Result<String, DbErr> {
    let key = generate_key();
    api_key::Entity::insert(api_key::ActiveModel {
        tenant_id: Set(tenant_id),
        name: Set(key_name.to_owned()),
        key_hash: Set(hash_key(&key)),
        prefix: Set(key.chars().take(KEY_PREFIX.len() + 6).collect()),
        created_at: Set(super::now()),
        revoked_at: Set(None),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(key)
}

/// On a database without any key, creates the `demo` tenant and key and returns the key.
#[tracing::instrument(skip(db))]
pub async fn ensure_demo_key(db: &DatabaseConnection) -> Result<Option<String>, DbErr> {
    let txn = db.begin().await?;
    if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
        // Processes starting together on a new database make one demo key.
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(7279002)")
            .await?;
    }
    if api_key::Entity::find().count(&txn).await? > 0 {
        return Ok(None);
    }
    let tenant_id = find_or_create_tenant(&txn, DEMO_TENANT).await?;
    let key = insert_key(&txn, tenant_id, DEMO_TENANT).await?;
    txn.commit().await?;
    Ok(Some(key))
}

/// How long a process trusts a key it found valid without reading it again.
/// A key revoked by this process is refused at once; one revoked elsewhere
/// (another server process, or the database directly) within this time.
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(5);

/// Keys at most in the cache; it is emptied when full.
const KEY_CACHE_MAX: usize = 10_000;

/// Valid keys (by hash) seen recently by this process, with when they were read.
static KEY_CACHE: LazyLock<Mutex<HashMap<String, (Principal, Instant)>>> =
    LazyLock::new(Default::default);

fn cached(hash: &str) -> Option<Principal> {
    let cache = KEY_CACHE.lock().ok()?;
    let (principal, read_at) = cache.get(hash)?;
    (read_at.elapsed() < KEY_CACHE_TTL).then(|| principal.clone())
}

fn remember(hash: String, principal: &Principal) {
    if let Ok(mut cache) = KEY_CACHE.lock() {
        if cache.len() >= KEY_CACHE_MAX {
            cache.clear();
        }
        cache.insert(hash, (principal.clone(), Instant::now()));
    }
}

fn forget(hash: &str) {
    if let Ok(mut cache) = KEY_CACHE.lock() {
        cache.remove(hash);
    }
}

/// The principal of a key that exists and is not revoked. A valid key is
/// read from the database at most once per [`KEY_CACHE_TTL`] per process;
/// unknown and revoked keys are read every time.
pub async fn authenticate(db: &DatabaseConnection, key: &str) -> Result<Option<Principal>, DbErr> {
    if !key.starts_with(KEY_PREFIX) {
        return Ok(None);
    }
    let hash = hash_key(key);
    if let Some(principal) = cached(&hash) {
        return Ok(Some(principal));
    }
    let found = api_key::Entity::find()
        .filter(api_key::Column::KeyHash.eq(hash.as_str()))
        .filter(api_key::Column::RevokedAt.is_null())
        .one(db)
        .await?;
    let principal = found.map(|k| Principal {
        tenant_id: k.tenant_id,
        key_id: k.id,
        key_name: k.name,
    });
    if let Some(principal) = &principal {
        remember(hash, principal);
    }
    Ok(principal)
}

/// Revokes a key by its secret; `false` when there was no such active key.
pub async fn revoke_api_key(db: &DatabaseConnection, key: &str) -> Result<bool, DbErr> {
    let result = api_key::Entity::update_many()
        .col_expr(
            api_key::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(super::now()),
        )
        .filter(api_key::Column::KeyHash.eq(hash_key(key)))
        .filter(api_key::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    // After the update: a request that read the key before it cannot put it back.
    forget(&hash_key(key));
    Ok(result.rows_affected > 0)
}
