//! `createChannel` and `updateChannel`: validation as user errors, codes
//! unique per tenant, partial updates; a refused write writes nothing.

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{create_channel, data, spawn_app, Backend, TestApp};

const CREATE: &str = "mutation($input: ChannelInput!) {
  createChannel(input: $input) {
    channel { id code name url connectorType connectorCode createdAt updatedAt }
    userErrors { field message code }
  }
}";

const UPDATE: &str = "mutation($id: ID!, $input: UpdateChannelInput!) {
  updateChannel(id: $id, input: $input) {
    channel { id code name url connectorType connectorCode }
    userErrors { field message code }
  }
}";

const LIST: &str = "{ channels(first: 100) { totalCount nodes { id code name url connectorType connectorCode } } }";

async fn channels(app: &TestApp, key: &str) -> Value {
    let response = app.graphql_as(key, LIST, json!({})).await;
    data(&response)["channels"].clone()
}

/// `(field, code)` of each user error of a payload.
fn user_errors(payload: &Value) -> Vec<(Value, String)> {
    payload["userErrors"]
        .as_array()
        .expect("userErrors")
        .iter()
        .map(|e| {
            assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{e}");
            (
                e["field"].clone(),
                e["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect()
}

async fn create_channel_returns_the_channel_as_written(backend: Backend) {
    let app = spawn_app(backend).await;

    let response = app
        .graphql(
            CREATE,
            json!({ "input": {
                "code": "web-eu",
                "name": "Web shop EU",
                "url": "https://shop.example.com",
                "connectorType": "Online Store",
                "connectorCode": "shopify",
            }}),
        )
        .await;

    let payload = &data(&response)["createChannel"];
    assert_eq!(payload["userErrors"], json!([]));
    let channel = &payload["channel"];
    assert_eq!(channel["code"], "web-eu");
    assert_eq!(channel["name"], "Web shop EU");
    assert_eq!(channel["url"], "https://shop.example.com");
    assert_eq!(channel["connectorType"], "Online Store");
    assert_eq!(channel["connectorCode"], "shopify");
    assert!(channel["createdAt"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z') || t.ends_with("+00:00")));
    let listed = channels(&app, &app.key).await;
    assert_eq!(listed["totalCount"], 1);
    assert_eq!(listed["nodes"][0]["id"], channel["id"]);
}

async fn a_duplicate_code_in_the_same_tenant_is_refused_and_writes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    create_channel(&app, &app.key, "web-eu").await;

    let response = app
        .graphql(
            CREATE,
            json!({ "input": { "code": "web-eu", "name": "Another" } }),
        )
        .await;

    let payload = &data(&response)["createChannel"];
    assert_eq!(payload["channel"], Value::Null);
    assert_eq!(
        user_errors(payload),
        vec![(json!(["input", "code"]), "DUPLICATE".to_owned())]
    );
    let listed = channels(&app, &app.key).await;
    assert_eq!(listed["totalCount"], 1);
    assert_eq!(listed["nodes"][0]["name"], "Channel web-eu");
}

async fn the_same_code_in_another_tenant_is_accepted(backend: Backend) {
    let app = spawn_app(backend).await;
    let other = app.key_for("other").await;
    let mine = create_channel(&app, &app.key, "web-eu").await;

    let response = app
        .graphql_as(
            &other,
            CREATE,
            json!({ "input": { "code": "web-eu", "name": "Theirs" } }),
        )
        .await;

    let payload = &data(&response)["createChannel"];
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(payload["channel"]["code"], "web-eu");
    assert_ne!(payload["channel"]["id"], mine.as_str());
    assert_eq!(channels(&app, &app.key).await["totalCount"], 1);
    assert_eq!(channels(&app, &other).await["totalCount"], 1);
}

async fn invalid_channel_input_is_a_user_error_on_its_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let cases = [
        (
            json!({ "code": "", "name": "Web" }),
            json!(["input", "code"]),
            "REQUIRED",
        ),
        (
            json!({ "code": "   ", "name": "Web" }),
            json!(["input", "code"]),
            "REQUIRED",
        ),
        (
            json!({ "code": "web eu", "name": "Web" }),
            json!(["input", "code"]),
            "INVALID",
        ),
        (
            json!({ "code": "web", "name": "" }),
            json!(["input", "name"]),
            "REQUIRED",
        ),
        (
            json!({ "code": "web", "name": "Web", "url": "not a url" }),
            json!(["input", "url"]),
            "INVALID",
        ),
        (
            json!({ "code": "web", "name": "Web", "url": "ftp://example.com" }),
            json!(["input", "url"]),
            "INVALID",
        ),
        (
            json!({ "code": "x".repeat(65), "name": "Web" }),
            json!(["input", "code"]),
            "TOO_LONG",
        ),
    ];

    for (input, field, code) in cases {
        let response = app.graphql(CREATE, json!({ "input": input })).await;

        let payload = &data(&response)["createChannel"];
        assert_eq!(payload["channel"], Value::Null, "{input}");
        assert_eq!(
            user_errors(payload),
            vec![(field, code.to_owned())],
            "{input}"
        );
    }
    assert_eq!(channels(&app, &app.key).await["totalCount"], 0);
}

async fn every_invalid_field_is_reported_at_once(backend: Backend) {
    let app = spawn_app(backend).await;

    let response = app
        .graphql(
            CREATE,
            json!({ "input": { "code": "", "name": "", "url": "nope" } }),
        )
        .await;

    let mut errors = user_errors(&data(&response)["createChannel"]);
    errors.sort_by_key(|(field, _)| field.to_string());
    assert_eq!(
        errors,
        vec![
            (json!(["input", "code"]), "REQUIRED".to_owned()),
            (json!(["input", "name"]), "REQUIRED".to_owned()),
            (json!(["input", "url"]), "INVALID".to_owned()),
        ]
    );
}

async fn an_update_keeps_fields_left_out_and_null_clears_the_url(backend: Backend) {
    let app = spawn_app(backend).await;
    let created = app
        .graphql(
            CREATE,
            json!({ "input": {
                "code": "web-eu",
                "name": "Web shop EU",
                "url": "https://shop.example.com",
                "connectorType": "Online Store",
                "connectorCode": "shopify",
            }}),
        )
        .await;
    let id = data(&created)["createChannel"]["channel"]["id"].clone();

    let response = app
        .graphql(
            UPDATE,
            json!({ "id": id, "input": { "name": "Web shop Europe", "url": null } }),
        )
        .await;

    let payload = &data(&response)["updateChannel"];
    assert_eq!(payload["userErrors"], json!([]));
    let expected = json!({
        "id": id,
        "code": "web-eu",
        "name": "Web shop Europe",
        "url": null,
        "connectorType": "Online Store",
        "connectorCode": "shopify",
    });
    assert_eq!(payload["channel"], expected);
    assert_eq!(channels(&app, &app.key).await["nodes"][0], expected);
}

async fn null_on_the_name_is_required_and_writes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = create_channel(&app, &app.key, "web-eu").await;

    let response = app
        .graphql(
            UPDATE,
            json!({ "id": id, "input": { "name": null, "code": "changed", "url": "https://x.example.com" } }),
        )
        .await;

    let payload = &data(&response)["updateChannel"];
    assert_eq!(payload["channel"], Value::Null);
    assert_eq!(
        user_errors(payload),
        vec![(json!(["input", "name"]), "REQUIRED".to_owned())]
    );
    let stored = &channels(&app, &app.key).await["nodes"][0];
    assert_eq!(stored["code"], "web-eu");
    assert_eq!(stored["name"], "Channel web-eu");
    assert_eq!(stored["url"], Value::Null);
}

async fn an_update_to_a_code_already_used_is_a_duplicate(backend: Backend) {
    let app = spawn_app(backend).await;
    create_channel(&app, &app.key, "web-eu").await;
    let id = create_channel(&app, &app.key, "web-us").await;

    let response = app
        .graphql(UPDATE, json!({ "id": id, "input": { "code": "web-eu" } }))
        .await;

    assert_eq!(
        user_errors(&data(&response)["updateChannel"]),
        vec![(json!(["input", "code"]), "DUPLICATE".to_owned())]
    );
    let listed = channels(&app, &app.key).await;
    assert_eq!(listed["nodes"][1]["code"], "web-us");
}

async fn updating_another_tenants_channel_is_not_found_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let other = app.key_for("other").await;
    let theirs = create_channel(&app, &other, "web-eu").await;

    let response = app
        .graphql(
            UPDATE,
            json!({ "id": theirs, "input": { "name": "Hijacked" } }),
        )
        .await;

    let payload = &data(&response)["updateChannel"];
    assert_eq!(payload["channel"], Value::Null);
    assert_eq!(
        user_errors(payload),
        vec![(json!(["id"]), "NOT_FOUND".to_owned())]
    );
    let stored = channels(&app, &other).await;
    assert_eq!(stored["nodes"][0]["name"], "Channel web-eu");
}

async fn updating_with_a_garbled_or_foreign_type_id_is_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    let customer = crate::helpers::create_customer(&app, &app.key, "ada@example.com").await;

    for id in ["garbage", customer.as_str()] {
        let response = app
            .graphql(UPDATE, json!({ "id": id, "input": { "name": "X" } }))
            .await;

        assert_eq!(
            user_errors(&data(&response)["updateChannel"]),
            vec![(json!(["id"]), "NOT_FOUND".to_owned())],
            "{id}"
        );
    }
}

both_backends!(
    create_channel_returns_the_channel_as_written,
    a_duplicate_code_in_the_same_tenant_is_refused_and_writes_nothing,
    the_same_code_in_another_tenant_is_accepted,
    invalid_channel_input_is_a_user_error_on_its_field,
    every_invalid_field_is_reported_at_once,
    an_update_keeps_fields_left_out_and_null_clears_the_url,
    null_on_the_name_is_required_and_writes_nothing,
    an_update_to_a_code_already_used_is_a_duplicate,
    updating_another_tenants_channel_is_not_found_and_changes_nothing,
    updating_with_a_garbled_or_foreign_type_id_is_not_found,
);
