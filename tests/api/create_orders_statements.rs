//! `createOrders` reads the channels and customers of a whole batch at once:
//! 100 inputs cost the statements of 10, and each input still gets its own
//! channel, customer and user errors.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{create_channel, create_customer, data, spawn_app, written, Backend, TestApp};
use crate::statements::statements;

/// Most statements one `createOrders` call may run, whatever its size: the
/// API key (when it is not trusted already), channels, customers,
/// references, numbers, orders (insert and read back), items and events.
const MOST_STATEMENTS: u64 = 10;

const CHANNELS: [&str; 4] = ["web-eu", "web-us", "marketplace", "pos-berlin"];

/// Only fields read from the batch's own rows: nested objects would add loader statements.
const CREATE_MANY: &str = "mutation($inputs: [CreateOrderInput!]!, $policy: BulkErrorPolicy!) {
  createOrders(inputs: $inputs, errorPolicy: $policy) {
    count
    results { order { number reference } userErrors { field code message } }
  }
}";

const BY_REFERENCE: &str = "{ orders(first: 100) {
  nodes { reference channel { code } customer { email } items { sku } }
} }";

/// Input `i` of a batch: channel by code, an existing customer by email in
/// another case, two items.
fn input(batch: &str, i: usize) -> Value {
    json!({
        "channel": CHANNELS[i % CHANNELS.len()],
        "currency": "USD",
        "customer": { "email": format!("Customer{i:03}@Example.com") },
        "reference": format!("{batch}-{i:03}"),
        "items": [
            { "sku": "A", "name": "Product A", "quantity": 1, "unitPrice": "10.00" },
            { "sku": "B", "name": "Product B", "quantity": 2, "unitPrice": "2.50" },
        ],
    })
}

/// Sends a batch; returns its payload and the statements it ran.
async fn create_orders(app: &TestApp, inputs: Vec<Value>, policy: &str) -> (Value, u64) {
    let before = statements(app).await;
    let response = app
        .graphql(CREATE_MANY, json!({ "inputs": inputs, "policy": policy }))
        .await;
    let spent = statements(app).await - before;
    (data(&response)["createOrders"].clone(), spent)
}

/// The demo tenant's orders by reference: (channel code, customer email, SKUs).
async fn orders_by_reference(app: &TestApp) -> HashMap<String, (String, String, Vec<String>)> {
    let response = app.graphql(BY_REFERENCE, json!({})).await;
    data(&response)["orders"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let skus = o["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["sku"].as_str().unwrap().to_owned())
                .collect();
            (
                o["reference"].as_str().unwrap().to_owned(),
                (
                    o["channel"]["code"].as_str().unwrap().to_owned(),
                    o["customer"]["email"].as_str().unwrap().to_owned(),
                    skus,
                ),
            )
        })
        .collect()
}

async fn create_orders_with_100_inputs_runs_the_statements_of_10(backend: Backend) {
    let app = spawn_app(backend).await;
    for code in CHANNELS {
        create_channel(&app, &app.key, code).await;
    }
    for i in 0..100 {
        create_customer(&app, &app.key, &format!("customer{i:03}@example.com")).await;
    }

    let (ten, ten_spent) = create_orders(
        &app,
        (0..10).map(|i| input("TEN", i)).collect(),
        "REJECT_EVERYTHING",
    )
    .await;
    let (hundred, hundred_spent) = create_orders(
        &app,
        (0..100).map(|i| input("HUNDRED", i)).collect(),
        "REJECT_EVERYTHING",
    )
    .await;

    assert_eq!(ten["count"], 10, "{ten:#}");
    assert_eq!(hundred["count"], 100, "{hundred:#}");
    let results = hundred["results"].as_array().unwrap();
    for (i, result) in results.iter().enumerate() {
        assert_eq!(result["userErrors"], json!([]), "input {i}");
        assert_eq!(result["order"]["reference"], format!("HUNDRED-{i:03}"));
        assert_eq!(
            result["order"]["number"],
            format!("ORD-{:06}", 11 + i),
            "numbers in input order"
        );
    }
    // One more at most: the API key read again when its trust has run out.
    assert!(
        hundred_spent <= ten_spent + 1,
        "statements grow with the batch size: {ten_spent} for 10 inputs, {hundred_spent} for 100"
    );
    assert!(
        hundred_spent <= MOST_STATEMENTS,
        "{hundred_spent} statements for createOrders with 100 inputs"
    );
    let orders = orders_by_reference(&app).await;
    for i in 0..100 {
        let (channel, email, skus) = &orders[&format!("HUNDRED-{i:03}")];
        assert_eq!(channel, CHANNELS[i % CHANNELS.len()], "input {i}");
        assert_eq!(email, &format!("customer{i:03}@example.com"), "input {i}");
        assert_eq!(skus, &["A", "B"], "input {i}");
    }
}

async fn each_input_of_a_batch_resolves_its_own_references_or_fails_on_its_own_path(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let web = create_channel(&app, &app.key, "web").await;
    create_channel(&app, &app.key, "pos").await;
    let ann = create_customer(&app, &app.key, "ann@example.com").await;
    create_customer(&app, &app.key, "bob@example.com").await;
    let other = app.key_for("other").await;
    let their_channel = create_channel(&app, &other, "theirs").await;
    let their_customer = create_customer(&app, &other, "theirs@example.com").await;
    let order = |reference: &str, channel: &str, customer: Value| {
        json!({
            "channel": channel,
            "currency": "USD",
            "customer": customer,
            "reference": reference,
            "items": [{ "sku": "A", "name": "Product A", "quantity": 1, "unitPrice": "1.00" }],
        })
    };
    let inputs = vec![
        order("R0", &web, json!({ "email": " BOB@example.com " })),
        order("R1", " pos ", json!({ "id": ann })),
        order("R2", "nope", json!({ "email": "ann@example.com" })),
        order("R3", &their_channel, json!({ "id": their_customer })),
        order("R4", "theirs", json!({ "email": "theirs@example.com" })),
        order("R5", "web", json!({ "id": "garbled" })),
        order("R6", &ann, json!({ "email": "nobody@example.com" })),
        order(
            "R7",
            "pos",
            json!({ "create": { "email": "Ann@Example.com", "firstName": "Other" } }),
        ),
        order(
            "R8",
            "web",
            json!({ "create": { "email": "new@example.com", "firstName": "New" } }),
        ),
    ];
    let channel = |i: &str| (json!(["inputs", i, "channel"]), "NOT_FOUND");
    let customer = |i: &str, how: &str| (json!(["inputs", i, "customer", how]), "NOT_FOUND");
    let expected = [
        vec![],
        vec![],
        vec![channel("2")],
        vec![channel("3"), customer("3", "id")],
        vec![channel("4"), customer("4", "email")],
        vec![customer("5", "id")],
        vec![channel("6"), customer("6", "email")],
        vec![],
        vec![],
    ];

    let before = written(&app).await;
    let (everything, _) = create_orders(&app, inputs.clone(), "REJECT_EVERYTHING").await;
    assert_eq!(written(&app).await, before, "nothing written");
    let (failed_rows, _) = create_orders(&app, inputs, "REJECT_FAILED_ROWS").await;

    for (payload, count) in [(&everything, 0), (&failed_rows, 4)] {
        assert_eq!(payload["count"], count, "{payload:#}");
        let results = payload["results"].as_array().unwrap();
        assert_eq!(results.len(), expected.len());
        for (i, (result, expected)) in results.iter().zip(&expected).enumerate() {
            let mut errors: Vec<(Value, String)> = result["userErrors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| (e["field"].clone(), e["code"].as_str().unwrap().to_owned()))
                .collect();
            errors.sort_by_key(|(field, _)| field.to_string());
            let expected: Vec<(Value, String)> = expected
                .iter()
                .map(|(field, code)| (field.clone(), (*code).to_owned()))
                .collect();
            assert_eq!(errors, expected, "input {i}: {result:#}");
        }
    }
    let orders = orders_by_reference(&app).await;
    let resolved = |reference: &str| {
        let (channel, email, _) = &orders[reference];
        (channel.as_str(), email.as_str())
    };
    assert_eq!(orders.len(), 4);
    assert_eq!(resolved("R0"), ("web", "bob@example.com"));
    assert_eq!(resolved("R1"), ("pos", "ann@example.com"));
    assert_eq!(
        resolved("R7"),
        ("pos", "ann@example.com"),
        "existing email used"
    );
    assert_eq!(resolved("R8"), ("web", "new@example.com"));
}

both_backends!(
    create_orders_with_100_inputs_runs_the_statements_of_10,
    each_input_of_a_batch_resolves_its_own_references_or_fails_on_its_own_path,
);
