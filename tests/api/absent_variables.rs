//! A field bound to a variable the request did not send is left out: it never
//! clears data (async-graphql 7.2 alone would read it as `null`).

use serde_json::json;

use crate::both_backends;
use crate::helpers::{data, spawn_app, Backend};

const UPDATE: &str = r#"
mutation($id: ID!, $name: String, $url: String) {
  updateChannel(id: $id, input: { name: $name, url: $url }) {
    channel { name url }
    userErrors { field code }
  }
}"#;

async fn an_absent_variable_leaves_the_field_unchanged(backend: Backend) {
    let app = spawn_app(backend).await;
    let created = app
        .graphql(
            r#"mutation { createChannel(input: { code: "web", name: "Web", url: "https://shop.example.com" }) { channel { id } } }"#,
            json!({}),
        )
        .await;
    let id = data(&created)["createChannel"]["channel"]["id"].clone();

    let renamed = app
        .graphql(UPDATE, json!({ "id": id, "name": "Web shop" }))
        .await;
    assert_eq!(
        data(&renamed)["updateChannel"]["channel"],
        json!({ "name": "Web shop", "url": "https://shop.example.com" })
    );

    let cleared = app.graphql(UPDATE, json!({ "id": id, "url": null })).await;
    assert_eq!(
        data(&cleared)["updateChannel"]["channel"],
        json!({ "name": "Web shop", "url": null })
    );
}

async fn an_absent_variable_for_a_required_field_is_not_a_null(backend: Backend) {
    let app = spawn_app(backend).await;
    let created = app
        .graphql(
            r#"mutation { createChannel(input: { code: "web", name: "Web" }) { channel { id } } }"#,
            json!({}),
        )
        .await;
    let id = data(&created)["createChannel"]["channel"]["id"].clone();
    // `name` is required: sent as null it is REQUIRED, left out it is unchanged.
    let absent = app
        .graphql(UPDATE, json!({ "id": id, "url": "https://a.example" }))
        .await;
    assert_eq!(data(&absent)["updateChannel"]["userErrors"], json!([]));
    assert_eq!(data(&absent)["updateChannel"]["channel"]["name"], "Web");
    let null = app.graphql(UPDATE, json!({ "id": id, "name": null })).await;
    assert_eq!(
        data(&null)["updateChannel"]["userErrors"],
        json!([{ "field": ["input", "name"], "code": "REQUIRED" }])
    );
}

both_backends!(
    an_absent_variable_leaves_the_field_unchanged,
    an_absent_variable_for_a_required_field_is_not_a_null,
);
