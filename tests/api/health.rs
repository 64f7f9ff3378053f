//! `/healthz`, `/readyz` and `/metrics`, and how the server answers when its
//! database is gone: quickly, with 503, never a hang.

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{data, error_code, spawn_app, Backend, TestApp};

/// The longest a request may take while the database is unreachable (API.md says 2 s).
const PROMPT: Duration = Duration::from_secs(3);

async fn get(app: &TestApp, path: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .timeout(Duration::from_secs(15))
        .send()
        .await
        .unwrap_or_else(|err| panic!("GET {path}: {err}"));
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.expect("body"))
}

fn json_body(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|err| panic!("not JSON ({err}): {body}"))
}

async fn healthz_answers_ok_without_a_key(backend: Backend) {
    let app = spawn_app(backend).await;

    let (status, _, body) = get(&app, "/healthz").await;

    assert_eq!(status, 200);
    assert_eq!(json_body(&body), json!({ "status": "ok" }));
}

async fn readyz_answers_ready_while_the_database_answers(backend: Backend) {
    let app = spawn_app(backend).await;

    let (status, _, body) = get(&app, "/readyz").await;

    assert_eq!(status, 200);
    assert_eq!(json_body(&body), json!({ "status": "ready" }));
}

async fn metrics_are_prometheus_text_counting_requests_and_pool_connections(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app
        .graphql("{ currencies(first: 1) { nodes { code } } }", json!({}))
        .await;
    data(&response);

    let (status, headers, body) = get(&app, "/metrics").await;

    assert_eq!(status, 200);
    let content_type = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    assert!(
        body.contains("# TYPE ordergraph_http_requests_total counter"),
        "{body}"
    );
    assert!(
        body.contains("# TYPE ordergraph_db_pool_connections gauge"),
        "{body}"
    );
    let graphql_requests = body
        .lines()
        .find(|l| {
            l.starts_with("ordergraph_http_requests_total{")
                && l.contains("path=\"/graphql\"")
                && l.contains("status=\"200\"")
        })
        .unwrap_or_else(|| panic!("no counter for POST /graphql in {body}"));
    let count: f64 = graphql_requests
        .rsplit(' ')
        .next()
        .and_then(|v| v.parse().ok())
        .expect("a number");
    assert!(count >= 1.0, "{graphql_requests}");
    assert!(
        body.lines()
            .any(|l| l.starts_with("ordergraph_db_pool_connections{")),
        "{body}"
    );
}

/// Drops the app's PostgreSQL database, closing its connections.
async fn drop_database(app: &TestApp) {
    let url = app.database_url();
    let name = url
        .rsplit_once('/')
        .map(|(_, name)| name.split('?').next().unwrap_or(name))
        .expect("a database name in the URL");
    let admin_url = std::env::var("ORDERGRAPH_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let admin = Database::connect(admin_url)
        .await
        .expect("admin connection");
    admin
        .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .expect("database dropped");
    admin.close().await.expect("admin closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_its_database_the_server_answers_503_promptly_on_postgres() {
    let app = spawn_app(Backend::Postgres).await;
    let (status, _, _) = get(&app, "/readyz").await;
    assert_eq!(status, 200);
    drop_database(&app).await;

    let started = Instant::now();
    let (ready_status, _, ready_body) = get(&app, "/readyz").await;
    let ready_elapsed = started.elapsed();

    let started = Instant::now();
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&app.key)
        .json(&json!({ "query": "{ channels { nodes { id } } }" }))
        .timeout(Duration::from_secs(15))
        .send()
        .await
        .expect("an answer, not a hang");
    let graphql_elapsed = started.elapsed();
    let graphql_status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .cloned();
    let graphql_body: Value = response.json().await.expect("a JSON body");

    let (health_status, _, _) = get(&app, "/healthz").await;

    assert_eq!(ready_status, 503, "{ready_body}");
    assert!(ready_elapsed < PROMPT, "/readyz took {ready_elapsed:?}");
    assert!(json_body(&ready_body)["status"].is_string());
    assert_eq!(graphql_status, 503, "{graphql_body}");
    assert_eq!(
        error_code(&graphql_body),
        "DATABASE_UNAVAILABLE",
        "{graphql_body}"
    );
    assert!(
        graphql_elapsed < PROMPT,
        "/graphql took {graphql_elapsed:?}"
    );
    assert!(retry_after.is_some(), "503 without Retry-After");
    let message = graphql_body["errors"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        !message.contains("database \""),
        "leaks the database error: {message}"
    );
    assert_eq!(health_status, 200, "/healthz does not need the database");
}

both_backends!(
    healthz_answers_ok_without_a_key,
    readyz_answers_ready_while_the_database_answers,
    metrics_are_prometheus_text_counting_requests_and_pool_connections,
);
