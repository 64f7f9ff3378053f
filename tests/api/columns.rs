//! Lists and lookups read only the order and item columns their fields show
//! (`graphql::columns`). Every field of `Order` and `OrderItem`, found by
//! introspection (so a field added later is covered too), read alone
//! through a list and a lookup, equals the same field of the same row read
//! whole through `nodes`.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{data, spawn_app, Backend, TestApp};

const TYPES: &str = r#"{ __schema { types { name kind fields {
  name
  args { type { kind } }
  type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
} } } }"#;

/// Every type's fields without required arguments: (name, named type, whether that type is an object).
type Fields = Vec<(String, String, bool)>;

async fn schema_fields(app: &TestApp) -> HashMap<String, Fields> {
    let r = app.graphql(TYPES, json!({})).await;
    let types = data(&r)["__schema"]["types"].as_array().unwrap().clone();
    let objects: Vec<String> = types
        .iter()
        .filter(|t| t["kind"] == "OBJECT")
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    let mut out = HashMap::new();
    for t in &types {
        let Some(fields) = t["fields"].as_array() else {
            continue;
        };
        let mut list = Vec::new();
        for f in fields {
            let required_args = f["args"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["type"]["kind"] == "NON_NULL");
            if required_args {
                continue;
            }
            let mut ty = &f["type"];
            while ty["name"].is_null() {
                ty = &ty["ofType"];
            }
            let named = ty["name"].as_str().unwrap().to_owned();
            let is_object = objects.contains(&named);
            list.push((f["name"].as_str().unwrap().to_owned(), named, is_object));
        }
        out.insert(t["name"].as_str().unwrap().to_owned(), list);
    }
    out
}

/// A field with, for an object, its leaf fields one level down.
fn selection(
    types: &HashMap<String, Fields>,
    (name, named, is_object): &(String, String, bool),
) -> String {
    if !is_object {
        return name.clone();
    }
    let leaves: Vec<&str> = types[named]
        .iter()
        .filter(|(_, _, object)| !object)
        .map(|(n, _, _)| n.as_str())
        .collect();
    format!("{name} {{ {} }}", leaves.join(" "))
}

const EVERY_ORDER: &str = "{ or: [{ archived: true }, { archived: false }] }";

/// 12 seeded orders and one with every optional field filled, in a currency
/// without decimals, archived; returns the app and that order's ID.
async fn app_with_orders(backend: Backend) -> (TestApp, Value) {
    let app = spawn_app(backend).await;
    ordergraph::seed::seed(&app.db, "demo", 12, 12, false)
        .await
        .unwrap();
    // One order with every optional field filled, in a currency without
    // decimals, and archived.
    let made = app
        .graphql(
            r#"mutation($input: CreateOrderInput!) {
              createOrder(input: $input) { order { id } userErrors { field message } }
            }"#,
            json!({ "input": {
                "channel": "web-eu", "currency": "JPY",
                "customer": { "create": { "email": "ada@example.com", "firstName": "Ada", "lastName": "L", "phone": "+49 30 1" } },
                "reference": "R-1", "externalId": "X-1", "description": "gift", "source": "PORTAL",
                "locale": "de-DE", "paymentReference": "pay_1", "shippingTotal": "490",
                "discount": "100", "tax": "50",
                "billingAddress": { "firstName": "Ada", "line1": "1 Main St", "city": "Berlin", "countryCode": "DE" },
                "shippingAddress": { "firstName": "Ada", "line1": "1 Main St", "city": "Berlin", "countryCode": "DE" },
                "deliveryMethod": "EXPRESS", "shippingMethod": "DELIVERY",
                "metadata": { "gift": true },
                "items": [
                    { "sku": "A", "name": "A", "quantity": 2, "unitPrice": "999", "discount": "50",
                      "tax": "100", "barcode": "4006381333931", "metadata": { "size": "M" } },
                    { "sku": "B", "name": "B", "quantity": 1, "unitPrice": "1" }
                ]
            }}),
        )
        .await;
    assert_eq!(
        data(&made)["createOrder"]["userErrors"],
        json!([]),
        "{made}"
    );
    let id = data(&made)["createOrder"]["order"]["id"].clone();
    let archived = app
        .graphql(
            "mutation($id: ID!) { archiveOrder(id: $id) { userErrors { code } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(data(&archived)["archiveOrder"]["userErrors"], json!([]));
    (app, id)
}

async fn every_field_reads_what_it_shows(backend: Backend) {
    let (app, id) = app_with_orders(backend).await;
    let types = schema_fields(&app).await;
    let order_fields = &types["Order"];
    let item_fields = &types["OrderItem"];
    assert!(order_fields.len() > 30 && item_fields.len() > 10);
    let every = |fields: &Fields| {
        fields
            .iter()
            .map(|f| selection(&types, f))
            .collect::<Vec<_>>()
            .join(" ")
    };

    // The whole rows, through `nodes` (orders by id read every column).
    let listed = app
        .graphql(
            &format!("{{ orders(first: 13, filter: {EVERY_ORDER}) {{ nodes {{ id items {{ id }} }} }} }}"),
            json!({}),
        )
        .await;
    let nodes = data(&listed)["orders"]["nodes"].as_array().unwrap().clone();
    assert_eq!(nodes.len(), 13);
    let order_ids: Vec<Value> = nodes.iter().map(|n| n["id"].clone()).collect();
    let item_ids: Vec<Value> = nodes
        .iter()
        .flat_map(|n| {
            n["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].clone())
        })
        .collect();
    let whole = |ids: &[Value], on: &str, fields: &Fields| {
        let query = format!(
            "query($ids: [ID!]!) {{ nodes(ids: $ids) {{ ... on {on} {{ {} }} }} }}",
            every(fields)
        );
        let ids = ids.to_vec();
        let app = &app;
        async move {
            let mut by_id = HashMap::new();
            for chunk in ids.chunks(4) {
                let r = app.graphql(&query, json!({ "ids": chunk })).await;
                for node in data(&r)["nodes"].as_array().unwrap() {
                    by_id.insert(node["id"].as_str().unwrap().to_owned(), node.clone());
                }
            }
            by_id
        }
    };
    let whole_orders = whole(&order_ids, "Order", order_fields).await;
    let whole_items = whole(&item_ids, "OrderItem", item_fields).await;
    assert_eq!(
        (whole_orders.len(), whole_items.len()),
        (order_ids.len(), item_ids.len())
    );

    for field in order_fields {
        let name = &field.0;
        let sel = selection(&types, field);
        // Through the list …
        let r = app
            .graphql(
                &format!(
                    "{{ orders(first: 13, filter: {EVERY_ORDER}) {{ nodes {{ id {sel} }} }} }}"
                ),
                json!({}),
            )
            .await;
        for node in data(&r)["orders"]["nodes"].as_array().unwrap() {
            let expected = &whole_orders[node["id"].as_str().unwrap()];
            assert_eq!(node[name], expected[name], "Order.{name} through the list");
        }
        // … and through a lookup, alone (without the id).
        for id in order_ids.iter().take(3).chain(std::iter::once(&id)) {
            let r = app
                .graphql(
                    &format!("query($id: ID!) {{ order(id: $id) {{ {sel} }} }}"),
                    json!({ "id": id }),
                )
                .await;
            let expected = &whole_orders[id.as_str().unwrap()];
            assert_eq!(
                data(&r)["order"][name],
                expected[name],
                "Order.{name} by id"
            );
        }
    }
    for field in item_fields {
        let name = &field.0;
        let sel = selection(&types, field);
        let r = app
            .graphql(
                &format!(
                    "{{ orders(first: 13, filter: {EVERY_ORDER}) {{ nodes {{ items {{ id {sel} }} }} }} }}"
                ),
                json!({}),
            )
            .await;
        let mut seen = 0;
        for node in data(&r)["orders"]["nodes"].as_array().unwrap() {
            for item in node["items"].as_array().unwrap() {
                let expected = &whole_items[item["id"].as_str().unwrap()];
                assert_eq!(
                    item[name], expected[name],
                    "OrderItem.{name} through the list"
                );
                seen += 1;
            }
        }
        assert_eq!(seen, item_ids.len());
        let r = app
            .graphql(
                &format!("query($id: ID!) {{ order(id: $id) {{ items {{ {sel} }} }} }}"),
                json!({ "id": id }),
            )
            .await;
        let items = data(&r)["order"]["items"].as_array().unwrap().clone();
        let expected: Vec<&Value> = whole_orders[id.as_str().unwrap()]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| &whole_items[i["id"].as_str().unwrap()][name])
            .collect();
        let got: Vec<&Value> = items.iter().map(|i| &i[name]).collect();
        assert_eq!(got, expected, "OrderItem.{name} by id");
    }
}

both_backends!(every_field_reads_what_it_shows);

/// The raw `data` of a response, as the server wrote it (key order included).
async fn raw_data(app: &TestApp, query: &str) -> String {
    let body = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&app.key)
        .json(&json!({ "query": query }))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        body.starts_with(r#"{"data":"#) && !body.contains(r#""errors""#),
        "{body}"
    );
    body.split(r#","extensions""#).next().unwrap().to_owned()
}

async fn items_read_the_same_through_the_fast_path(backend: Backend) {
    let (app, _) = app_with_orders(backend).await;
    let fields = "__typename id sku name barcode quantity unitPrice subtotal discountTotal \
                  taxTotal total again: sku price: unitPrice";
    let list = |items: &str| {
        format!(
            "{{ orders(first: 13, filter: {EVERY_ORDER}) {{ nodes {{ number items {items} }} }} }}"
        )
    };
    // Plain fields: the fast path.
    let fast = raw_data(&app, &list(&format!("{{ {fields} }}"))).await;
    // The same fields in an inline fragment: async-graphql's own resolvers.
    let slow = raw_data(
        &app,
        &list(&format!("{{ ... on OrderItem {{ {fields} }} }}")),
    )
    .await;
    assert_eq!(fast, slow);
    assert!(fast.contains(r#""barcode":null"#) && fast.contains(r#""barcode":"4006381333931""#));
    assert!(fast.contains(r#""__typename":"OrderItem""#) && fast.contains(r#""price":"999""#));
    // One field at a time, and fields that leave the fast path (a directive,
    // a nested object) beside plain ones.
    for field in fields.split_whitespace().filter(|f| !f.ends_with(':')) {
        let fast = raw_data(&app, &list(&format!("{{ {field} }}"))).await;
        let slow = raw_data(
            &app,
            &list(&format!("{{ ... on OrderItem {{ {field} }} }}")),
        )
        .await;
        assert_eq!(fast, slow, "{field}");
    }
    let mixed = raw_data(
        &app,
        &list("{ sku total @include(if: true) order { number } metadata }"),
    )
    .await;
    let mixed_slow = raw_data(
        &app,
        &list("{ ... on OrderItem { sku total order { number } metadata } }"),
    )
    .await;
    assert_eq!(mixed, mixed_slow);
}

both_backends!(items_read_the_same_through_the_fast_path);
