//! `/graphql` needs a valid API key; the key's tenant scopes everything.

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{data, error_code, spawn_app, Backend};

const QUERY: &str = "{ currencies(first: 1) { nodes { code } } }";

async fn post(app: &crate::helpers::TestApp, authorization: Option<&str>) -> (u16, Value) {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": QUERY }));
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON body"))
}

async fn requests_without_a_valid_key_are_unauthenticated(backend: Backend) {
    let app = spawn_app(backend).await;
    for authorization in [
        None,
        Some(""),
        Some("Bearer"),
        Some("Bearer og_not-a-real-key"),
        Some("Basic dXNlcjpwYXNz"),
        Some(app.key.as_str()),
    ] {
        let (status, body) = post(&app, authorization).await;
        assert_eq!(status, 401, "{authorization:?}");
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{authorization:?}");
        assert!(body.get("data").is_none());
    }
}

async fn both_header_forms_are_accepted(backend: Backend) {
    let app = spawn_app(backend).await;
    for authorization in [format!("Bearer {}", app.key), format!("ApiKey {}", app.key)] {
        let (status, body) = post(&app, Some(&authorization)).await;
        assert_eq!(status, 200);
        assert_eq!(data(&body)["currencies"]["nodes"][0]["code"], "AED");
    }
}

async fn a_revoked_key_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let key = app.key_for("acme").await;
    let (status, _) = post(&app, Some(&format!("Bearer {key}"))).await;
    assert_eq!(status, 200);
    assert!(ordergraph::service::auth::revoke_api_key(&app.db, &key)
        .await
        .expect("revoked"));
    let (status, body) = post(&app, Some(&format!("Bearer {key}"))).await;
    assert_eq!(status, 401);
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
}

both_backends!(
    requests_without_a_valid_key_are_unauthenticated,
    both_header_forms_are_accepted,
    a_revoked_key_is_refused,
);
