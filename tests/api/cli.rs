//! The command line: `migrate` and `api-key create` against a database URL.

use entity::{currency, tenant};
use sea_orm::{ColumnTrait, Database, EntityTrait, PaginatorTrait, QueryFilter};

use crate::both_backends;
use crate::helpers::{run_ordergraph, Backend, TestDatabase};

fn describe(output: &std::process::Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The last line of stdout, which `api-key create` reserves for the key.
fn last_line(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

async fn migrate_exits_0_and_leaves_a_migrated_database(backend: Backend) {
    let database = TestDatabase::new(backend).await;

    let first = run_ordergraph(&["migrate", "--database-url", &database.url]).await;
    let again = run_ordergraph(&["migrate", "--database-url", &database.url]).await;

    assert!(first.status.success(), "{}", describe(&first));
    assert!(
        again.status.success(),
        "a second run is a no-op: {}",
        describe(&again)
    );
    let db = Database::connect(&database.url).await.expect("connect");
    let currencies = currency::Entity::find()
        .count(&db)
        .await
        .expect("currencies counted");
    assert_eq!(currencies, 165);
    db.close().await.expect("closed");
}

async fn api_key_create_prints_a_key_of_the_tenant_as_its_last_line(backend: Backend) {
    let database = TestDatabase::new(backend).await;

    let output = run_ordergraph(&[
        "api-key",
        "create",
        "--tenant",
        "acme",
        "--database-url",
        &database.url,
    ])
    .await;
    let second = run_ordergraph(&[
        "api-key",
        "create",
        "--tenant",
        "acme",
        "--name",
        "ci",
        "--database-url",
        &database.url,
    ])
    .await;

    assert!(output.status.success(), "{}", describe(&output));
    assert!(second.status.success(), "{}", describe(&second));
    let key = last_line(&output);
    let other_key = last_line(&second);
    assert!(
        !key.is_empty() && !key.contains(' '),
        "{}",
        describe(&output)
    );
    assert_ne!(key, other_key);
    let db = Database::connect(&database.url).await.expect("connect");
    let acme = tenant::Entity::find()
        .filter(tenant::Column::Name.eq("acme"))
        .one(&db)
        .await
        .expect("tenants read")
        .expect("tenant acme created");
    let principal = ordergraph::service::auth::authenticate(&db, &key)
        .await
        .expect("key looked up")
        .expect("the printed key authenticates");
    let second_principal = ordergraph::service::auth::authenticate(&db, &other_key)
        .await
        .expect("key looked up")
        .expect("the second key authenticates");
    assert_eq!(principal.tenant_id, acme.id);
    assert_eq!(second_principal.tenant_id, acme.id, "one tenant, two keys");
    assert_eq!(second_principal.key_name, "ci");
    let tenants = tenant::Entity::find()
        .filter(tenant::Column::Name.eq("acme"))
        .count(&db)
        .await
        .expect("tenants counted");
    assert_eq!(tenants, 1);
    db.close().await.expect("closed");
}

async fn a_key_printed_by_the_cli_authenticates_against_a_running_server(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let output = run_ordergraph(&[
        "api-key",
        "create",
        "--tenant",
        "acme",
        "--database-url",
        &database.url,
    ])
    .await;
    assert!(output.status.success(), "{}", describe(&output));
    let key = last_line(&output);
    let mut settings = ordergraph::config::Settings::for_database(&database.url);
    settings.listen = "127.0.0.1:0".to_owned();
    settings.no_demo_key = true;
    let app = ordergraph::startup::App::build(settings)
        .await
        .expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let server = tokio::spawn(async move {
        let _ = app.run_until(std::future::pending()).await;
    });

    let response = reqwest::Client::new()
        .post(format!("{address}/graphql"))
        .bearer_auth(&key)
        .json(&serde_json::json!({ "query": "{ channels { totalCount } }" }))
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.expect("JSON body");
    server.abort();

    assert_eq!(status, 200, "{body}");
    assert_eq!(crate::helpers::data(&body)["channels"]["totalCount"], 0);
}

async fn api_key_create_without_a_tenant_fails(backend: Backend) {
    let database = TestDatabase::new(backend).await;

    let output = run_ordergraph(&["api-key", "create", "--database-url", &database.url]).await;

    assert!(!output.status.success(), "{}", describe(&output));
}

both_backends!(
    migrate_exits_0_and_leaves_a_migrated_database,
    api_key_create_prints_a_key_of_the_tenant_as_its_last_line,
    a_key_printed_by_the_cli_authenticates_against_a_running_server,
    api_key_create_without_a_tenant_fails,
);
