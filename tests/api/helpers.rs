//! Spawns the app on a fresh database and talks to it like a client.
//!
//! SQLite: a file in a temporary directory. PostgreSQL: a database cloned
//! from a template migrated once per migration set, dropped when the test
//! ends (`ORDERGRAPH_TEST_PG` overrides the admin URL, default
//! `postgres://postgres@127.0.0.1:5432/postgres`).

#![allow(dead_code)]

use std::future::pending;
use std::sync::atomic::{AtomicU64, Ordering};

use ordergraph::config::Settings;
use ordergraph::startup::App;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// Where a test's data lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Declares `mod $name { sqlite, postgres }`: one test per backend, each
/// calling `$name(Backend::…)`.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::Backend::Sqlite).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::helpers::Backend::Postgres).await
                }
            }
        )*
    };
}

fn admin_url() -> String {
    std::env::var("ORDERGRAPH_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn pg_url(database: &str) -> String {
    let admin = admin_url();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    format!("{base}/{database}")
}

/// A hash of the migration sources: a new template whenever they change.
fn migrations_hash() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migration/src");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("migration sources")
        .map(|e| e.expect("dir entry").path())
        .collect();
    files.sort();
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(file.file_name().expect("name").as_encoded_bytes());
        hasher.update(std::fs::read(&file).expect("migration file"));
    }
    hex::encode(&hasher.finalize()[..6])
}

/// Creates (once, under an advisory lock) the migrated template database.
async fn template(admin: &DatabaseConnection) -> String {
    let name = format!("ordergraph_tmpl_{}", migrations_hash());
    admin
        .execute_unprepared("SELECT pg_advisory_lock(727274)")
        .await
        .expect("advisory lock");
    let exists = admin
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            format!("SELECT 1 AS one FROM pg_database WHERE datname = '{name}'"),
        ))
        .await
        .expect("pg_database")
        .is_some();
    if !exists {
        let building = format!("{name}_building");
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
            .await
            .expect("drop stale template");
        admin
            .execute_unprepared(&format!("CREATE DATABASE {building}"))
            .await
            .expect("create template");
        let db = Database::connect(pg_url(&building))
            .await
            .expect("connect template");
        ordergraph::db::migrate(&db)
            .await
            .expect("migrate template");
        db.close().await.expect("close template");
        admin
            .execute_unprepared(&format!("ALTER DATABASE {building} RENAME TO {name}"))
            .await
            .expect("rename template");
    }
    admin
        .execute_unprepared("SELECT pg_advisory_unlock(727274)")
        .await
        .expect("advisory unlock");
    name
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh, migrated database; removed when dropped.
pub struct TestDatabase {
    pub url: String,
    backend: Backend,
    pg_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDatabase {
    pub async fn new(backend: Backend) -> TestDatabase {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
                TestDatabase {
                    url,
                    backend,
                    pg_name: None,
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => {
                let admin = Database::connect(admin_url()).await.unwrap_or_else(|err| {
                    panic!(
                        "PostgreSQL is needed for the tests ({}): {err}",
                        admin_url()
                    )
                });
                let template = template(&admin).await;
                let name = format!(
                    "ordergraph_test_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst),
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .expect("clock")
                        .subsec_nanos()
                );
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                    .await
                    .expect("create test database");
                admin.close().await.expect("close admin");
                TestDatabase {
                    url: pg_url(&name),
                    backend,
                    pg_name: Some(name),
                    _dir: None,
                }
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            // Async work cannot run in Drop: a thread with its own runtime does it.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                runtime.block_on(async move {
                    if let Ok(admin) = Database::connect(admin_url()).await {
                        let _ = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// A running app on its own database.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// The `demo` tenant's key, created by the app's first start.
    pub key: String,
    /// A connection of the test's own, to arrange and to read back.
    pub db: DatabaseConnection,
    pub backend: Backend,
    server: tokio::task::JoinHandle<()>,
    // Dropped last: the database outlives the server.
    database: TestDatabase,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Starts the app on a fresh database of the given backend.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// Starts the app with adjusted settings.
pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let database = TestDatabase::new(backend).await;
    let mut settings = Settings::for_database(&database.url);
    settings.listen = "127.0.0.1:0".to_owned();
    adjust(&mut settings);
    let app = App::build(settings).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let key = app
        .demo_key()
        .expect("a fresh database gets a demo key")
        .to_owned();
    let db = app.db().clone();
    let server = tokio::spawn(async move {
        let _ = app.run_until(pending()).await;
    });
    TestApp {
        address,
        client: reqwest::Client::new(),
        key,
        db,
        backend,
        server,
        database,
    }
}

impl TestApp {
    /// POSTs a GraphQL request with the demo key and returns the JSON body.
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        self.graphql_as(&self.key, query, variables).await
    }

    /// POSTs a GraphQL request with the given key and returns the JSON body.
    pub async fn graphql_as(&self, key: &str, query: &str, variables: Value) -> Value {
        self.client
            .post(format!("{}/graphql", self.address))
            .bearer_auth(key)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("request sent")
            .json()
            .await
            .expect("JSON body")
    }

    /// A new API key for another tenant (created if needed).
    pub async fn key_for(&self, tenant: &str) -> String {
        ordergraph::service::auth::create_api_key(&self.db, tenant, "test")
            .await
            .expect("key created")
            .key
    }

    /// The database URL of this app.
    pub fn database_url(&self) -> &str {
        &self.database.url
    }
}

/// The `data` of a response that must have no errors.
pub fn data(response: &Value) -> &Value {
    assert!(
        response.get("errors").is_none(),
        "unexpected errors: {response:#}"
    );
    &response["data"]
}

/// The `extensions.code` of the first top-level error.
pub fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {response:#}"))
}

/// POSTs a GraphQL request with the given key; returns the HTTP status and the JSON body.
pub async fn graphql_status(
    app: &TestApp,
    key: &str,
    query: &str,
    variables: Value,
) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(key)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON body"))
}

/// Creates a channel through the API (name derived from the code); returns its global ID.
pub async fn create_channel(app: &TestApp, key: &str, code: &str) -> String {
    let response = app
        .graphql_as(
            key,
            include_str!("../operations/create-channel.graphql"),
            json!({ "input": { "code": code, "name": format!("Channel {code}") } }),
        )
        .await;
    let payload = &data(&response)["createChannel"];
    assert_eq!(payload["userErrors"], json!([]), "creating channel {code}");
    payload["channel"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no channel id in {response:#}"))
        .to_owned()
}

/// Creates a customer through the API; returns its global ID.
pub async fn create_customer(app: &TestApp, key: &str, email: &str) -> String {
    let response = app
        .graphql_as(
            key,
            include_str!("../operations/create-customer.graphql"),
            json!({ "input": { "email": email } }),
        )
        .await;
    let payload = &data(&response)["createCustomer"];
    assert_eq!(
        payload["userErrors"],
        json!([]),
        "creating customer {email}"
    );
    payload["customer"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no customer id in {response:#}"))
        .to_owned()
}

/// Runs the `ordergraph` binary with the given arguments (no `DATABASE_URL` from outside).
pub async fn run_ordergraph(args: &[&str]) -> std::process::Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_ordergraph"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .await
        .expect("ordergraph runs")
}

/// What the order writes leave behind: orders as the API lists them (for the
/// demo tenant) and rows of the order tables (all tenants), read on the test's
/// own connection. Equal before and after a refused write: nothing was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Written {
    pub listed: i64,
    pub orders: u64,
    pub items: u64,
    pub events: u64,
    pub customers: u64,
}

/// Reads back [`Written`] through the API and through `app.db`.
pub async fn written(app: &TestApp) -> Written {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let response = app
        .graphql("{ orders(first: 1) { totalCount } }", json!({}))
        .await;
    Written {
        listed: data(&response)["orders"]["totalCount"]
            .as_i64()
            .unwrap_or_else(|| panic!("no totalCount in {response:#}")),
        orders: entity::order::Entity::find()
            .count(&app.db)
            .await
            .expect("orders counted"),
        items: entity::order_item::Entity::find()
            .count(&app.db)
            .await
            .expect("items counted"),
        events: entity::order_event::Entity::find()
            .count(&app.db)
            .await
            .expect("events counted"),
        customers: entity::customer::Entity::find()
            .count(&app.db)
            .await
            .expect("customers counted"),
    }
}
