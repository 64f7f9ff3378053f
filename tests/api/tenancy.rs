//! Nothing of another tenant is ever visible: not in lists, counts, lookups
//! by ID, filters, nor through its cursors.

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{
    create_channel, create_customer, data, error_code, spawn_app, Backend, TestApp,
};

/// Tenant A (the demo key) with two channels and two customers; returns their IDs.
async fn tenant_a_with_data(app: &TestApp) -> (Vec<String>, Vec<String>) {
    let channels = vec![
        create_channel(app, &app.key, "web-eu").await,
        create_channel(app, &app.key, "web-us").await,
    ];
    let customers = vec![
        create_customer(app, &app.key, "alice@example.com").await,
        create_customer(app, &app.key, "bob@example.com").await,
    ];
    (channels, customers)
}

async fn another_tenant_lists_and_counts_none_of_the_first_tenants_records(backend: Backend) {
    let app = spawn_app(backend).await;
    tenant_a_with_data(&app).await;
    let b = app.key_for("b").await;
    create_channel(&app, &b, "b-only").await;

    let response = app
        .graphql_as(
            &b,
            "{
               channels(first: 100) { totalCount nodes { code } }
               customers(first: 100) { totalCount nodes { email } }
               alice: customers(filter: { email: { eq: \"alice@example.com\" } }) { totalCount nodes { id } }
               searched: customers(filter: { search: \"example\" }) { totalCount nodes { id } }
             }",
            json!({}),
        )
        .await;

    let seen = data(&response);
    assert_eq!(
        seen["channels"],
        json!({ "totalCount": 1, "nodes": [{ "code": "b-only" }] })
    );
    assert_eq!(seen["customers"], json!({ "totalCount": 0, "nodes": [] }));
    assert_eq!(seen["alice"], json!({ "totalCount": 0, "nodes": [] }));
    assert_eq!(seen["searched"], json!({ "totalCount": 0, "nodes": [] }));
}

async fn the_first_tenant_still_sees_its_own_records(backend: Backend) {
    let app = spawn_app(backend).await;
    let (channels, customers) = tenant_a_with_data(&app).await;
    let b = app.key_for("b").await;
    create_channel(&app, &b, "web-eu").await;
    create_customer(&app, &b, "alice@example.com").await;

    let response = app
        .graphql(
            "{ channels { totalCount nodes { id } } customers { totalCount nodes { id } } }",
            json!({}),
        )
        .await;

    let seen = data(&response);
    assert_eq!(seen["channels"]["totalCount"], 2);
    assert_eq!(
        seen["channels"]["nodes"],
        json!([{ "id": channels[0] }, { "id": channels[1] }])
    );
    assert_eq!(seen["customers"]["totalCount"], 2);
    assert_eq!(
        seen["customers"]["nodes"],
        json!([{ "id": customers[0] }, { "id": customers[1] }])
    );
}

async fn another_tenants_ids_resolve_to_null(backend: Backend) {
    let app = spawn_app(backend).await;
    let (channels, customers) = tenant_a_with_data(&app).await;
    let b = app.key_for("b").await;

    let response = app
        .graphql_as(
            &b,
            "query($customer: ID!, $channel: ID!, $ids: [ID!]!) {
               customer(id: $customer) { id email }
               customerNode: node(id: $customer) { id }
               channelNode: node(id: $channel) { id }
               nodes(ids: $ids) { id }
             }",
            json!({
                "customer": customers[0],
                "channel": channels[0],
                "ids": [customers[0], channels[0], customers[1], channels[1]],
            }),
        )
        .await;

    assert_eq!(
        data(&response),
        &json!({
            "customer": null,
            "customerNode": null,
            "channelNode": null,
            "nodes": [null, null, null, null],
        })
    );
}

async fn another_tenants_cursors_are_bad_cursors(backend: Backend) {
    let app = spawn_app(backend).await;
    tenant_a_with_data(&app).await;
    let b = app.key_for("b").await;
    create_channel(&app, &b, "web-eu").await;
    create_channel(&app, &b, "web-us").await;
    create_customer(&app, &b, "alice@example.com").await;
    create_customer(&app, &b, "bob@example.com").await;
    let a_page = app
        .graphql(
            "{ channels(first: 1) { pageInfo { endCursor } }
               customers(first: 1) { pageInfo { endCursor } }
               currencies(first: 1) { pageInfo { endCursor } } }",
            json!({}),
        )
        .await;
    let cursor = |list: &str| data(&a_page)[list]["pageInfo"]["endCursor"].clone();
    let cases = [
        (
            "query($c: String) { channels(after: $c) { nodes { id } } }",
            cursor("channels"),
        ),
        (
            "query($c: String) { channels(last: 1, before: $c) { nodes { id } } }",
            cursor("channels"),
        ),
        (
            "query($c: String) { customers(after: $c) { nodes { id } } }",
            cursor("customers"),
        ),
        (
            "query($c: String) { customers(last: 1, before: $c) { nodes { id } } }",
            cursor("customers"),
        ),
        (
            "query($c: String) { currencies(after: $c) { nodes { id } } }",
            cursor("currencies"),
        ),
    ];

    for (query, cursor) in cases {
        assert!(cursor.is_string());

        let response = app.graphql_as(&b, query, json!({ "c": cursor })).await;

        assert_eq!(error_code(&response), "BAD_CURSOR", "{query}");
        assert_eq!(response["data"], Value::Null, "{query}");
    }
}

both_backends!(
    another_tenant_lists_and_counts_none_of_the_first_tenants_records,
    the_first_tenant_still_sees_its_own_records,
    another_tenants_ids_resolve_to_null,
    another_tenants_cursors_are_bad_cursors,
);
