//! Relay `node`/`nodes`: any global ID resolves to its object; a garbled ID,
//! one of another type or of another tenant resolves to `null`, never an error.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{create_channel, create_customer, data, spawn_app, Backend, TestApp};

const NODE: &str = "query($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on Currency { code exponent }
    ... on Channel { code }
    ... on Customer { email }
  }
}";

async fn usd_id(app: &TestApp) -> String {
    let response = app
        .graphql(
            "{ head: currencies(first: 100) { nodes { id code } }
               tail: currencies(last: 100) { nodes { id code } } }",
            json!({}),
        )
        .await;
    let seen = data(&response);
    ["head", "tail"]
        .iter()
        .flat_map(|part| seen[*part]["nodes"].as_array().expect("nodes"))
        .find(|c| c["code"] == "USD")
        .and_then(|c| c["id"].as_str())
        .expect("USD")
        .to_owned()
}

async fn node(app: &TestApp, id: &str) -> Value {
    let response = app.graphql(NODE, json!({ "id": id })).await;
    data(&response)["node"].clone()
}

async fn node_resolves_currencies_channels_and_customers_with_their_typename(backend: Backend) {
    let app = spawn_app(backend).await;
    let usd = usd_id(&app).await;
    let channel = create_channel(&app, &app.key, "web-eu").await;
    let customer = create_customer(&app, &app.key, "ada@example.com").await;

    let currency_node = node(&app, &usd).await;
    let channel_node = node(&app, &channel).await;
    let customer_node = node(&app, &customer).await;

    assert_eq!(
        currency_node,
        json!({ "__typename": "Currency", "id": usd, "code": "USD", "exponent": 2 })
    );
    assert_eq!(
        channel_node,
        json!({ "__typename": "Channel", "id": channel, "code": "web-eu" })
    );
    assert_eq!(
        customer_node,
        json!({ "__typename": "Customer", "id": customer, "email": "ada@example.com" })
    );
}

async fn garbled_ids_resolve_to_null_without_errors(backend: Backend) {
    let app = spawn_app(backend).await;
    let customer = create_customer(&app, &app.key, "ada@example.com").await;
    let forged = |text: &str| URL_SAFE_NO_PAD.encode(text);
    let garbled = [
        String::new(),
        "garbage".to_owned(),
        "12".to_owned(),
        format!("{customer}x"),
        forged("Customer"),
        forged("Customer:"),
        forged("Customer:abc"),
        forged("Customer:0"),
        forged("Customer:-1"),
        forged("Customer:99999999999999999999"),
        forged("Customer:999999"),
        forged("Nothing:1"),
        forged(":1"),
    ];

    for id in &garbled {
        let response = app
            .graphql(
                "query($id: ID!) { node(id: $id) { id } customer(id: $id) { id } order(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;

        assert_eq!(
            data(&response),
            &json!({ "node": null, "customer": null, "order": null }),
            "{id:?}"
        );
    }
}

async fn an_id_of_another_type_passed_to_customer_resolves_to_null(backend: Backend) {
    let app = spawn_app(backend).await;
    let channel = create_channel(&app, &app.key, "web-eu").await;
    let customer = create_customer(&app, &app.key, "ada@example.com").await;
    let usd = usd_id(&app).await;

    let response = app
        .graphql(
            "query($channel: ID!, $currency: ID!, $customer: ID!) {
               fromChannel: customer(id: $channel) { id }
               fromCurrency: customer(id: $currency) { id }
               orderFromCustomer: order(id: $customer) { id }
             }",
            json!({ "channel": channel, "currency": usd, "customer": customer }),
        )
        .await;

    assert_eq!(
        data(&response),
        &json!({ "fromChannel": null, "fromCurrency": null, "orderFromCustomer": null })
    );
}

async fn another_tenants_id_resolves_to_null(backend: Backend) {
    let app = spawn_app(backend).await;
    let other = app.key_for("other").await;
    let theirs = create_customer(&app, &other, "ada@example.com").await;
    let their_channel = create_channel(&app, &other, "web-eu").await;

    let customer = app
        .graphql(
            "query($id: ID!) { customer(id: $id) { id } }",
            json!({ "id": theirs }),
        )
        .await;

    assert_eq!(node(&app, &theirs).await, Value::Null);
    assert_eq!(node(&app, &their_channel).await, Value::Null);
    assert_eq!(data(&customer)["customer"], Value::Null);
}

async fn nodes_keeps_the_order_asked_and_puts_null_where_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    let other = app.key_for("other").await;
    let usd = usd_id(&app).await;
    let channel = create_channel(&app, &app.key, "web-eu").await;
    let customer = create_customer(&app, &app.key, "ada@example.com").await;
    let theirs = create_customer(&app, &other, "eve@example.com").await;
    let ids = [
        customer.as_str(),
        "garbage",
        channel.as_str(),
        theirs.as_str(),
        usd.as_str(),
        customer.as_str(),
    ];

    let response = app
        .graphql(
            "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
            json!({ "ids": ids }),
        )
        .await;

    assert_eq!(
        data(&response)["nodes"],
        json!([
            { "__typename": "Customer", "id": customer },
            null,
            { "__typename": "Channel", "id": channel },
            null,
            { "__typename": "Currency", "id": usd },
            { "__typename": "Customer", "id": customer },
        ])
    );
}

async fn nodes_of_an_empty_list_is_an_empty_list(backend: Backend) {
    let app = spawn_app(backend).await;

    let response = app.graphql("{ nodes(ids: []) { id } }", json!({})).await;

    assert_eq!(data(&response)["nodes"], json!([]));
}

both_backends!(
    node_resolves_currencies_channels_and_customers_with_their_typename,
    garbled_ids_resolve_to_null_without_errors,
    an_id_of_another_type_passed_to_customer_resolves_to_null,
    another_tenants_id_resolves_to_null,
    nodes_keeps_the_order_asked_and_puts_null_where_not_found,
    nodes_of_an_empty_list_is_an_empty_list,
);
