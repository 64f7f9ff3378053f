//! Tenant isolation audit: tenant B (`key_for("other")`) can neither see nor
//! change anything of tenant A (the demo key) through any entry point:
//! lookups, `node`/`nodes`, lists, filters and counts, nested connections of
//! B's own objects, A's cursors, and every mutation. After each refused
//! write, A reads back its data unchanged. Keys, emails, references and
//! codes are scoped per tenant.

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{
    create_channel, create_customer, data, error_code, spawn_app, written, Backend, TestApp,
};

/// What a tenant's test data is made of: global IDs and the values it was made with.
struct Tenant {
    key: String,
    channel: String,
    customer: String,
    /// An active order with two items (`ORD-000001`).
    order: String,
    item: String,
    /// An archived order (`ORD-000002`, A only).
    archived: Option<String>,
}

impl Tenant {
    /// Every global ID of this tenant's objects.
    fn ids(&self) -> Vec<String> {
        let mut ids = vec![
            self.order.clone(),
            self.item.clone(),
            self.customer.clone(),
            self.channel.clone(),
        ];
        ids.extend(self.archived.clone());
        ids
    }
}

/// Tenant A's values that must never reach B's answers (besides its IDs).
const A_SECRETS: [&str; 6] = [
    "ada@a.example",
    "PO-A1",
    "PO-A2",
    "a-key-1",
    "a-web",
    "A secret",
];

const CREATE: &str = "mutation($input: CreateOrderInput!, $key: String) {
    createOrder(input: $input, idempotencyKey: $key) {
      order { id number customer { id } channel { id } items { id } }
      userErrors { field code }
      idempotentReplay
    }
  }";

fn order_input(channel: &str, email: &str, reference: &str) -> Value {
    json!({
        "channel": channel, "currency": "USD",
        "customer": { "create": { "email": email } },
        "reference": reference, "description": "A secret",
        "items": [
            { "sku": "A", "name": "Apple", "quantity": 2, "unitPrice": "10.00" },
            { "sku": "B", "name": "Banana", "quantity": 1, "unitPrice": "3.50" }
        ]
    })
}

/// Creates an order as `key`; returns the `createOrder` payload, which must have no user errors.
async fn create_order(app: &TestApp, key: &str, input: Value, idempotency_key: &str) -> Value {
    let response = app
        .graphql_as(
            key,
            CREATE,
            json!({ "input": input, "key": idempotency_key }),
        )
        .await;
    let payload = data(&response)["createOrder"].clone();
    assert_eq!(payload["userErrors"], json!([]), "{payload:#}");
    payload
}

fn id(value: &Value) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not an ID: {value}"))
        .to_owned()
}

/// Tenant A: channel `a-web`, customer `ada@a.example`, order `PO-A1` with
/// two items, archived order `PO-A2`.
async fn tenant_a(app: &TestApp) -> Tenant {
    let channel = create_channel(app, &app.key, "a-web").await;
    let first = create_order(
        app,
        &app.key,
        order_input("a-web", "ada@a.example", "PO-A1"),
        "a-key-1",
    )
    .await;
    let second = create_order(
        app,
        &app.key,
        order_input("a-web", "ada@a.example", "PO-A2"),
        "a-key-2",
    )
    .await;
    let archived = id(&second["order"]["id"]);
    let response = app
        .graphql(
            "mutation($id: ID!) { archiveOrder(id: $id) { userErrors { code } } }",
            json!({ "id": archived }),
        )
        .await;
    assert_eq!(data(&response)["archiveOrder"]["userErrors"], json!([]));
    Tenant {
        key: app.key.clone(),
        channel,
        customer: id(&first["order"]["customer"]["id"]),
        order: id(&first["order"]["id"]),
        item: id(&first["order"]["items"][0]["id"]),
        archived: Some(archived),
    }
}

/// Tenant B: channel `b-web`, customer `bob@b.example`, order `PO-B1` (also `ORD-000001`).
async fn tenant_b(app: &TestApp) -> Tenant {
    let key = app.key_for("other").await;
    let channel = create_channel(app, &key, "b-web").await;
    let order = create_order(
        app,
        &key,
        order_input("b-web", "bob@b.example", "PO-B1"),
        "b-key-1",
    )
    .await;
    assert_eq!(order["order"]["number"], "ORD-000001");
    Tenant {
        key,
        channel,
        customer: id(&order["order"]["customer"]["id"]),
        order: id(&order["order"]["id"]),
        item: id(&order["order"]["items"][0]["id"]),
        archived: None,
    }
}

const ORDER_STATE: &str = "id number reference description version status archivedAt
    subtotal total itemsCount items { id sku quantity unitPrice total } events { type }";

/// Everything of A as A reads it: both orders whole, its customer and channel, its counts.
async fn a_state(app: &TestApp, a: &Tenant) -> Value {
    let query = format!(
        "query($order: ID!, $archived: ID!, $customer: ID!) {{
           active: order(id: $order) {{ {ORDER_STATE} }}
           archived: order(id: $archived) {{ {ORDER_STATE} }}
           customer(id: $customer) {{ id email firstName lastName phone updatedAt }}
           channels {{ totalCount nodes {{ id code name url connectorType updatedAt }} }}
           customers {{ totalCount }}
           orders {{ totalCount }}
           archivedOrders: orders(filter: {{ archived: true }}) {{ totalCount }}
         }}"
    );
    let response = app
        .graphql_as(
            &a.key,
            &query,
            json!({ "order": a.order, "archived": a.archived, "customer": a.customer }),
        )
        .await;
    let state = data(&response).clone();
    assert_eq!(state["active"]["version"], 1, "{state:#}");
    state
}

/// Sends `query` as B, checks that the answer names nothing of A, and returns it.
async fn as_b(app: &TestApp, a: &Tenant, b: &Tenant, query: &str, variables: Value) -> Value {
    let response = app.graphql_as(&b.key, query, variables).await;
    let text = response.to_string();
    for secret in a.ids().iter().map(String::as_str).chain(A_SECRETS) {
        assert!(
            !text.contains(secret),
            "B's answer names A's {secret:?}: {query} -> {response:#}"
        );
    }
    response
}

async fn another_tenant_reads_nothing_through_any_query(backend: Backend) {
    let app = spawn_app(backend).await;
    let a = tenant_a(&app).await;
    let b = tenant_b(&app).await;
    let only_b = json!({ "totalCount": 1, "nodes": [{ "id": b.order }] });
    let none = json!({ "totalCount": 0, "nodes": [] });

    // Lookups of every A ID, one at a time.
    let lookups = [
        "query($id: ID!) { found: order(id: $id) { id } }",
        "query($id: ID!) { found: customer(id: $id) { id } }",
        "query($id: ID!) { found: node(id: $id) { id } }",
        "query($id: ID!) { found: node(id: $id) { ... on Order { items { id } } } }",
    ];
    for query in lookups {
        for a_id in a.ids() {
            let response = as_b(&app, &a, &b, query, json!({ "id": a_id })).await;
            assert_eq!(data(&response)["found"], Value::Null, "{query} {a_id}");
        }
    }

    // Every other query, with what B must see.
    let cases: Vec<(&str, Value, Value)> = vec![
        (
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": a.ids() }),
            json!({ "nodes": vec![Value::Null; a.ids().len()] }),
        ),
        (
            "{ orderByNumber(number: \"ORD-000002\") { id } }",
            json!({}),
            json!({ "orderByNumber": null }),
        ),
        (
            "{ orderByNumber(number: \"ORD-000001\") { id } }",
            json!({}),
            json!({ "orderByNumber": { "id": b.order } }),
        ),
        (
            "{ orderByReference(reference: \"PO-A1\") { id } }",
            json!({}),
            json!({ "orderByReference": null }),
        ),
        (
            "{ orderByReference(reference: \"PO-A2\") { id } }",
            json!({}),
            json!({ "orderByReference": null }),
        ),
        (
            "{ orders { totalCount nodes { id } } }",
            json!({}),
            json!({ "orders": only_b }),
        ),
        (
            "{ orders(last: 100) { totalCount nodes { id } } }",
            json!({}),
            json!({ "orders": only_b }),
        ),
        (
            "{ orders(sort: [{ field: TOTAL, direction: DESC }]) { totalCount nodes { id } } }",
            json!({}),
            json!({ "orders": only_b }),
        ),
        (
            "{ orders(filter: { archived: true }) { totalCount nodes { id } } }",
            json!({}),
            json!({ "orders": none }),
        ),
        (
            "query($ids: [ID!]) { orders(filter: { id: { in: $ids } }) { totalCount nodes { id } } }",
            json!({ "ids": a.ids() }),
            json!({ "orders": none }),
        ),
        (
            "query($c: ID!) { orders(filter: { customerId: { in: [$c] } }) { totalCount nodes { id } } }",
            json!({ "c": a.customer }),
            json!({ "orders": none }),
        ),
        (
            "{ orders(filter: { or: [
                 { customerEmail: { eq: \"ADA@a.example\" } },
                 { reference: { in: [\"PO-A1\", \"PO-A2\"] } },
                 { reference: { startsWith: \"PO-A\" } },
                 { number: { eq: \"ORD-000002\" } },
                 { idempotencyKey: { in: [\"a-key-1\", \"a-key-2\"] } },
                 { channelCode: { eq: \"a-web\" } },
                 { search: \"ada@a\" }
               ] }) { totalCount nodes { id } } }",
            json!({}),
            json!({ "orders": none }),
        ),
        (
            "{ orders(filter: { archived: true, or: [{ search: \"PO-A\" }, { channelCode: { eq: \"a-web\" } }] }) { totalCount nodes { id } } }",
            json!({}),
            json!({ "orders": none }),
        ),
        (
            "{ customers { totalCount nodes { id } } }",
            json!({}),
            json!({ "customers": { "totalCount": 1, "nodes": [{ "id": b.customer }] } }),
        ),
        (
            "{ customers(filter: { email: { eq: \"ada@a.example\" } }) { totalCount nodes { id } } }",
            json!({}),
            json!({ "customers": none }),
        ),
        (
            "{ customers(filter: { search: \"ada\" }) { totalCount nodes { id } } }",
            json!({}),
            json!({ "customers": none }),
        ),
        (
            "{ channels(last: 100) { totalCount nodes { id } } }",
            json!({}),
            json!({ "channels": { "totalCount": 1, "nodes": [{ "id": b.channel }] } }),
        ),
        // The nested connections, reached through B's own objects.
        (
            "{ channels { nodes { orders { totalCount nodes { id } } } } }",
            json!({}),
            json!({ "channels": { "nodes": [{ "orders": only_b }] } }),
        ),
        (
            "query($id: ID!) { node(id: $id) { ... on Channel { orders(filter: { archived: true }) { totalCount nodes { id } } } } }",
            json!({ "id": b.channel }),
            json!({ "node": { "orders": none } }),
        ),
        (
            "query($id: ID!) { customer(id: $id) { orders { totalCount nodes { id } } } }",
            json!({ "id": b.customer }),
            json!({ "customer": { "orders": only_b } }),
        ),
        (
            "{ customers { nodes { orders(filter: { archived: true }) { totalCount } } } }",
            json!({}),
            json!({ "customers": { "nodes": [{ "orders": { "totalCount": 0 } }] } }),
        ),
        // B's own order leads only to B's objects.
        (
            "query($id: ID!) { order(id: $id) { customer { id } channel { id } items { order { id } } } }",
            json!({ "id": b.order }),
            json!({ "order": {
                "customer": { "id": b.customer },
                "channel": { "id": b.channel },
                "items": [{ "order": { "id": b.order } }, { "order": { "id": b.order } }],
            } }),
        ),
    ];
    for (query, variables, expected) in cases {
        let response = as_b(&app, &a, &b, query, variables).await;
        assert_eq!(data(&response), &expected, "{query}");
    }
}

/// `Customer.orders` takes "the same arguments and rules as `Query.orders`":
/// its own customer AND the filter's `customerId`. Asking B's customer for
/// the orders of A's customer (or of another B customer) finds none.
async fn a_customers_orders_filtered_on_another_customer_are_none(backend: Backend) {
    let app = spawn_app(backend).await;
    let a = tenant_a(&app).await;
    let b = tenant_b(&app).await;
    let b_other = create_customer(&app, &b.key, "carol@b.example").await;

    for other in [&a.customer, &b_other] {
        let response = as_b(
            &app,
            &a,
            &b,
            "query($id: ID!, $other: ID!) { customer(id: $id) { orders(filter: { customerId: { in: [$other] } }) { totalCount nodes { id } } } }",
            json!({ "id": b.customer, "other": other }),
        )
        .await;

        assert_eq!(
            data(&response),
            &json!({ "customer": { "orders": { "totalCount": 0, "nodes": [] } } }),
            "B's customer's orders filtered on {other}"
        );
    }
}

async fn another_tenants_cursors_are_bad_cursors(backend: Backend) {
    let app = spawn_app(backend).await;
    let a = tenant_a(&app).await;
    // A second of each, so A's first pages have an end cursor with more after it.
    create_channel(&app, &a.key, "a-shop").await;
    create_customer(&app, &a.key, "eve@a.example").await;
    create_order(
        &app,
        &a.key,
        order_input("a-web", "ada@a.example", "PO-A3"),
        "a-key-3",
    )
    .await;
    let b = tenant_b(&app).await;
    create_channel(&app, &b.key, "b-shop").await;
    create_customer(&app, &b.key, "dan@b.example").await;
    create_order(
        &app,
        &b.key,
        order_input("b-web", "bob@b.example", "PO-B2"),
        "b-key-2",
    )
    .await;

    // (how A gets a cursor, how B uses it), with the same arguments on both sides.
    let cases = [
        ("orders(first: 1)", "orders(after: $c)"),
        ("orders(first: 1)", "orders(last: 1, before: $c)"),
        (
            "orders(first: 1, sort: [{ field: TOTAL, direction: ASC }])",
            "orders(after: $c, sort: [{ field: TOTAL, direction: ASC }])",
        ),
        (
            "orders(first: 1, filter: { status: { in: [PENDING] } })",
            "orders(after: $c, filter: { status: { in: [PENDING] } })",
        ),
        ("customers(first: 1)", "customers(after: $c)"),
        ("channels(first: 1)", "channels(after: $c)"),
        ("channels(last: 1)", "channels(last: 1, before: $c)"),
    ];
    for (made, used) in cases {
        let page = app
            .graphql(
                &format!(
                    "{{ list: {made} {{ pageInfo {{ endCursor hasNextPage hasPreviousPage }} }} }}"
                ),
                json!({}),
            )
            .await;
        let page_info = &data(&page)["list"]["pageInfo"];
        assert!(
            page_info["hasNextPage"] == true || page_info["hasPreviousPage"] == true,
            "{made}: {page_info}"
        );
        let cursor = &page_info["endCursor"];

        let query = format!("query($c: String) {{ list: {used} {{ nodes {{ id }} }} }}");
        let response = as_b(&app, &a, &b, &query, json!({ "c": cursor })).await;

        assert_eq!(error_code(&response), "BAD_CURSOR", "{used}");
        assert_eq!(response["data"], Value::Null, "{used}");
    }

    // A cursor of A's nested connections, used on B's own channel and customer.
    for (made_on, owner, used_on) in [
        ("Channel", &a.channel, &b.channel),
        ("Customer", &a.customer, &b.customer),
    ] {
        let page = app
            .graphql(
                &format!("query($id: ID!) {{ node(id: $id) {{ ... on {made_on} {{ orders(first: 1) {{ pageInfo {{ endCursor hasNextPage }} }} }} }} }}"),
                json!({ "id": owner }),
            )
            .await;
        let page_info = &data(&page)["node"]["orders"]["pageInfo"];
        assert_eq!(page_info["hasNextPage"], true, "{made_on}: {page_info}");

        let query = format!("query($id: ID!, $c: String) {{ node(id: $id) {{ ... on {made_on} {{ orders(after: $c) {{ nodes {{ id }} }} }} }} }}");
        let response = as_b(
            &app,
            &a,
            &b,
            &query,
            json!({ "id": used_on, "c": page_info["endCursor"] }),
        )
        .await;

        assert_eq!(error_code(&response), "BAD_CURSOR", "{made_on}.orders");
    }
}

/// `createOrder` by B: A's things referred to by ID, by code, by email.
fn create_referring_to(field: &str, value: Value) -> Value {
    let mut input = order_input("b-web", "bob@b.example", "PO-B9");
    input[field] = value;
    input
}

async fn another_tenant_changes_nothing_through_any_mutation(backend: Backend) {
    let app = spawn_app(backend).await;
    let a = tenant_a(&app).await;
    let b = tenant_b(&app).await;
    let archived = a.archived.clone().unwrap();
    let not_found = |field: &[&str]| json!([{ "field": field, "code": "NOT_FOUND" }]);
    let order_refused = |name: &str, field: &[&str]| json!({ name: { "order": null, "userErrors": not_found(field), "idempotentReplay": false } });
    const ORDER_PAYLOAD: &str = "order { id version } userErrors { field code }";
    let item = json!([{ "sku": "X", "name": "Stolen", "quantity": 1, "unitPrice": "1.00" }]);
    let create_cases = [
        ("channel", json!(a.channel), vec!["input", "channel"]),
        ("channel", json!("a-web"), vec!["input", "channel"]),
        (
            "customer",
            json!({ "id": a.customer }),
            vec!["input", "customer", "id"],
        ),
        (
            "customer",
            json!({ "email": "ada@a.example" }),
            vec!["input", "customer", "email"],
        ),
        (
            "customer",
            json!({ "email": "ADA@A.EXAMPLE" }),
            vec!["input", "customer", "email"],
        ),
    ];

    let mut cases: Vec<(String, Value, Value)> = vec![
        (
            format!("mutation($id: ID!) {{ updateOrder(id: $id, input: {{ description: \"mine\" }}) {{ {ORDER_PAYLOAD} idempotentReplay }} }}"),
            json!({ "id": a.order }),
            order_refused("updateOrder", &["id"]),
        ),
        (
            format!("mutation($id: ID!) {{ updateOrder(id: $id, input: {{ status: CANCELLED, reference: \"PO-B1\" }}, expectedVersion: 1) {{ {ORDER_PAYLOAD} idempotentReplay }} }}"),
            json!({ "id": a.order }),
            order_refused("updateOrder", &["id"]),
        ),
        (
            format!("mutation($id: ID!) {{ updateOrder(id: $id, input: {{ description: \"mine\" }}) {{ {ORDER_PAYLOAD} idempotentReplay }} }}"),
            json!({ "id": archived }),
            order_refused("updateOrder", &["id"]),
        ),
        (
            format!("mutation($id: ID!, $items: [OrderItemInput!]!) {{ addOrderItems(orderId: $id, items: $items) {{ {ORDER_PAYLOAD} idempotentReplay }} }}"),
            json!({ "id": a.order, "items": item }),
            order_refused("addOrderItems", &["orderId"]),
        ),
        (
            format!("mutation($id: ID!, $items: [OrderItemInput!]!) {{ addOrderItems(orderId: $id, items: $items, expectedVersion: 1) {{ {ORDER_PAYLOAD} idempotentReplay }} }}"),
            json!({ "id": a.order, "items": item }),
            order_refused("addOrderItems", &["orderId"]),
        ),
        (
            format!("mutation($id: ID!) {{ updateOrderItem(id: $id, input: {{ quantity: 9, unitPrice: \"0.01\" }}) {{ {ORDER_PAYLOAD} idempotentReplay }} }}"),
            json!({ "id": a.item }),
            order_refused("updateOrderItem", &["id"]),
        ),
        (
            format!("mutation($id: ID!) {{ removeOrderItem(id: $id) {{ {ORDER_PAYLOAD} idempotentReplay }} }}"),
            json!({ "id": a.item }),
            order_refused("removeOrderItem", &["id"]),
        ),
        (
            format!("mutation($id: ID!) {{ archiveOrder(id: $id) {{ {ORDER_PAYLOAD} idempotentReplay }} }}"),
            json!({ "id": a.order }),
            order_refused("archiveOrder", &["id"]),
        ),
        (
            format!("mutation($id: ID!) {{ unarchiveOrder(id: $id) {{ {ORDER_PAYLOAD} idempotentReplay }} }}"),
            json!({ "id": archived }),
            order_refused("unarchiveOrder", &["id"]),
        ),
        (
            "mutation($id: ID!) { updateCustomer(id: $id, input: { firstName: \"Mallory\", email: \"m@b.example\" }) { customer { id } userErrors { field code } } }".to_owned(),
            json!({ "id": a.customer }),
            json!({ "updateCustomer": { "customer": null, "userErrors": not_found(&["id"]) } }),
        ),
        (
            "mutation($id: ID!) { updateChannel(id: $id, input: { name: \"Mine\", code: \"b-mine\" }) { channel { id } userErrors { field code } } }".to_owned(),
            json!({ "id": a.channel }),
            json!({ "updateChannel": { "channel": null, "userErrors": not_found(&["id"]) } }),
        ),
    ];
    for (field, value, path) in &create_cases {
        let input = create_referring_to(field, value.clone());
        cases.push((
            format!("mutation($input: CreateOrderInput!) {{ createOrder(input: $input) {{ {ORDER_PAYLOAD} idempotentReplay }} }}"),
            json!({ "input": input }),
            order_refused("createOrder", path),
        ));
        let mut bulk_path = vec!["inputs", "0"];
        bulk_path.extend(&path[1..]);
        cases.push((
            "mutation($inputs: [CreateOrderInput!]!) { createOrders(inputs: $inputs, errorPolicy: REJECT_FAILED_ROWS) { count results { order { id } userErrors { field code } } } }".to_owned(),
            json!({ "inputs": [input] }),
            json!({ "createOrders": { "count": 0, "results": [{ "order": null, "userErrors": not_found(&bulk_path) }] } }),
        ));
    }

    let a_before = a_state(&app, &a).await;
    let rows_before = written(&app).await;
    for (query, variables, expected) in cases {
        let response = app.graphql_as(&b.key, &query, variables.clone()).await;

        assert_eq!(data(&response), &expected, "{query} {variables}");
        assert_eq!(a_state(&app, &a).await, a_before, "A changed by {query}");
        assert_eq!(written(&app).await, rows_before, "rows written by {query}");
    }
}

async fn keys_emails_references_and_codes_are_scoped_per_tenant(backend: Backend) {
    let app = spawn_app(backend).await;
    let a_key = app.key.clone();
    let b_key = app.key_for("other").await;
    for key in [&a_key, &b_key] {
        create_channel(&app, key, "web").await;
    }
    let input = order_input("web", "shared@example.com", "PO-1");

    // The same idempotency key and input in both tenants: two orders.
    let a1 = create_order(&app, &a_key, input.clone(), "k-1").await;
    let b1 = create_order(&app, &b_key, input.clone(), "k-1").await;
    assert_eq!(a1["idempotentReplay"], false);
    assert_eq!(b1["idempotentReplay"], false);
    assert_ne!(a1["order"]["id"], b1["order"]["id"]);
    assert_ne!(a1["order"]["customer"]["id"], b1["order"]["customer"]["id"]);
    assert_ne!(a1["order"]["channel"]["id"], b1["order"]["channel"]["id"]);
    assert_eq!(a1["order"]["number"], "ORD-000001");
    assert_eq!(b1["order"]["number"], "ORD-000001");
    // Each tenant's retry replays its own order.
    for (key, first) in [(&a_key, &a1), (&b_key, &b1)] {
        let again = create_order(&app, key, input.clone(), "k-1").await;
        assert_eq!(again["idempotentReplay"], true);
        assert_eq!(again["order"]["id"], first["order"]["id"]);
    }

    // The same customer email in both tenants is fine; within one it is a duplicate.
    let create_customer = "mutation($email: String!) { createCustomer(input: { email: $email }) { customer { id } userErrors { field code } } }";
    for key in [&a_key, &b_key] {
        let fresh = app
            .graphql_as(key, create_customer, json!({ "email": "solo@example.com" }))
            .await;
        assert_eq!(
            data(&fresh)["createCustomer"]["userErrors"],
            json!([]),
            "{fresh}"
        );
        let again = app
            .graphql_as(key, create_customer, json!({ "email": "SOLO@example.com" }))
            .await;
        assert_eq!(
            data(&again)["createCustomer"]["userErrors"][0]["code"],
            "DUPLICATE",
            "{again}"
        );
    }

    // References: each tenant finds its own; a second `PO-1` in one tenant is a duplicate.
    for (key, first) in [(&a_key, &a1), (&b_key, &b1)] {
        let found = app
            .graphql_as(
                key,
                "{ orderByReference(reference: \"PO-1\") { id }
                   orders(filter: { idempotencyKey: { eq: \"k-1\" } }) { totalCount }
                   customers(filter: { email: { eq: \"shared@example.com\" } }) { totalCount nodes { id } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            data(&found),
            &json!({
                "orderByReference": { "id": first["order"]["id"] },
                "orders": { "totalCount": 1 },
                "customers": { "totalCount": 1, "nodes": [{ "id": first["order"]["customer"]["id"] }] },
            })
        );
        let duplicate = app
            .graphql_as(key, CREATE, json!({ "input": input, "key": null }))
            .await;
        assert_eq!(
            data(&duplicate)["createOrder"]["userErrors"],
            json!([{ "field": ["input", "reference"], "code": "DUPLICATE" }])
        );
    }

    // Channel codes: B renames a channel to a code A uses; A's is untouched.
    create_channel(&app, &a_key, "a-only").await;
    let b_shop = create_channel(&app, &b_key, "b-shop").await;
    let renamed = app
        .graphql_as(
            &b_key,
            "mutation($id: ID!) { updateChannel(id: $id, input: { code: \"a-only\" }) { channel { code } userErrors { code } } }",
            json!({ "id": b_shop }),
        )
        .await;
    assert_eq!(
        data(&renamed)["updateChannel"],
        json!({ "channel": { "code": "a-only" }, "userErrors": [] })
    );
    let a_channels = app
        .graphql_as(&a_key, "{ channels { nodes { code } } }", json!({}))
        .await;
    assert_eq!(
        data(&a_channels)["channels"]["nodes"],
        json!([{ "code": "web" }, { "code": "a-only" }])
    );
}

both_backends!(
    another_tenant_reads_nothing_through_any_query,
    another_tenants_cursors_are_bad_cursors,
    a_customers_orders_filtered_on_another_customer_are_none,
    another_tenant_changes_nothing_through_any_mutation,
    keys_emails_references_and_codes_are_scoped_per_tenant,
);
