//! The request timeout (`--request-timeout`): a request that takes longer is
//! answered HTTP 503 with `Retry-After` and a JSON error whose code is
//! `TIMEOUT` (API.md: limit errors use the code `TIMEOUT`), and the server
//! goes on. A lock held by another connection makes the write wait.

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, TransactionTrait};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{data, spawn_app_with, Backend};

async fn a_request_over_the_timeout_is_a_json_timeout_with_retry_after(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.request_timeout_secs = 1).await;
    // Another connection takes the lock that writing a channel needs, for longer than the timeout.
    let blocker = Database::connect(app.database_url()).await.unwrap();
    let txn = blocker.begin().await.unwrap();
    let lock = match backend {
        Backend::Sqlite => "DELETE FROM channels WHERE code = 'none'",
        Backend::Postgres => "LOCK TABLE channels IN ACCESS EXCLUSIVE MODE",
    };
    txn.execute_unprepared(lock).await.unwrap();

    let started = Instant::now();
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&app.key)
        .json(&json!({ "query": r#"mutation { createChannel(input: { code: "web", name: "Web" }) { userErrors { code } } }"# }))
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .unwrap();
    let took = started.elapsed();
    let status = response.status().as_u16();
    let retry_after = response.headers().get("retry-after").cloned();
    let text = response.text().await.unwrap();
    txn.rollback().await.unwrap();

    assert_eq!(status, 503, "{text}");
    assert!(took < Duration::from_secs(4), "took {took:?}");
    assert!(retry_after.is_some(), "no Retry-After on the 503");
    let body: Value = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("the timeout's body is not JSON: {text:?}"));
    assert_eq!(body["errors"][0]["extensions"]["code"], "TIMEOUT", "{body}");
    // The server goes on.
    let channels = app.graphql("{ channels { totalCount } }", json!({})).await;
    assert!(data(&channels)["channels"]["totalCount"].is_number());
}

both_backends!(a_request_over_the_timeout_is_a_json_timeout_with_retry_after);
