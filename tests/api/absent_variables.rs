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

async fn an_update_order_with_absent_variables_clears_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    app.graphql(
        r#"mutation { createChannel(input: { code: "web", name: "Web" }) { userErrors { code } } }"#,
        json!({}),
    )
    .await;
    let created = app
        .graphql(
            r#"mutation { createOrder(input: {
                channel: "web", currency: "USD", customer: { create: { email: "a@example.com" } },
                reference: "R-1", description: "keep me", locale: "de-DE", metadata: { gift: true },
                shippingAddress: { city: "Berlin", countryCode: "DE" },
                items: [{ sku: "A", name: "A", quantity: 1, unitPrice: "5" }]
            }) { order { id } userErrors { code } } }"#,
            json!({}),
        )
        .await;
    let id = data(&created)["createOrder"]["order"]["id"].clone();
    let update = r#"
    mutation($id: ID!, $description: String, $reference: String, $locale: String, $metadata: JSON,
             $address: AddressInput, $status: OrderStatus, $shipping: Decimal) {
      updateOrder(id: $id, input: { description: $description, reference: $reference, locale: $locale,
                                    metadata: $metadata, shippingAddress: $address, status: $status,
                                    shippingTotal: $shipping }) {
        order { version description reference locale metadata shippingAddress { city } status total }
        userErrors { field code }
      }
    }"#;
    let changed = app
        .graphql(update, json!({ "id": id, "status": "PROCESSING" }))
        .await;
    let payload = &data(&changed)["updateOrder"];
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(
        payload["order"],
        json!({
            "version": 2, "description": "keep me", "reference": "R-1", "locale": "de-DE",
            "metadata": { "gift": true }, "shippingAddress": { "city": "Berlin" },
            "status": "PROCESSING", "total": "5.00"
        })
    );
    let cleared = app
        .graphql(
            update,
            json!({ "id": id, "description": null, "metadata": null }),
        )
        .await;
    let order = &data(&cleared)["updateOrder"]["order"];
    assert_eq!(
        (
            order["description"].clone(),
            order["metadata"].clone(),
            order["reference"].clone()
        ),
        (json!(null), json!(null), json!("R-1"))
    );
}

both_backends!(an_update_order_with_absent_variables_clears_nothing);
