//! Changing orders: partial updates, status transitions, versions (also under
//! real concurrency), items, archiving, and the events each change appends.

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{data, spawn_app, Backend, TestApp};

const ORDER_FIELDS: &str = "id version status paymentStatus fulfillmentStatus reference description
    subtotal discountTotal shippingTotal taxTotal total archivedAt
    items { id sku quantity unitPrice total }
    events { type actor changes }
    allowedTransitions { status paymentStatus fulfillmentStatus }";

async fn create_order(app: &TestApp) -> Value {
    app.graphql(
        r#"mutation { createChannel(input: { code: "web", name: "Web" }) { userErrors { code } } }"#,
        json!({}),
    )
    .await;
    let query = format!(
        r#"mutation($input: CreateOrderInput!) {{ createOrder(input: $input) {{ order {{ {ORDER_FIELDS} }} userErrors {{ field code message }} }} }}"#
    );
    let response = app
        .graphql(
            &query,
            json!({ "input": {
                "channel": "web", "currency": "USD",
                "customer": { "create": { "email": "ada@example.com" } },
                "reference": "R-1", "description": "first",
                "shippingTotal": "5.00",
                "items": [
                    { "sku": "A", "name": "Apple", "quantity": 2, "unitPrice": "10.00" },
                    { "sku": "B", "name": "Banana", "quantity": 1, "unitPrice": "3.50", "tax": "0.50" }
                ]
            }}),
        )
        .await;
    let payload = &data(&response)["createOrder"];
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    payload["order"].clone()
}

async fn update(app: &TestApp, id: &Value, input: Value, expected_version: Option<i64>) -> Value {
    let query = format!(
        r#"mutation($id: ID!, $input: UpdateOrderInput!, $v: Int) {{ updateOrder(id: $id, input: $input, expectedVersion: $v) {{ order {{ {ORDER_FIELDS} }} userErrors {{ field code message }} }} }}"#
    );
    let response = app
        .graphql(
            &query,
            json!({ "id": id, "input": input, "v": expected_version }),
        )
        .await;
    data(&response)["updateOrder"].clone()
}

async fn read(app: &TestApp, id: &Value) -> Value {
    let query = format!("query($id: ID!) {{ order(id: $id) {{ {ORDER_FIELDS} }} }}");
    data(&app.graphql(&query, json!({ "id": id })).await)["order"].clone()
}

fn codes(payload: &Value) -> Vec<(Value, String)> {
    payload["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].clone(), e["code"].as_str().unwrap().to_owned()))
        .collect()
}

async fn a_partial_update_changes_only_what_is_sent(backend: Backend) {
    let app = spawn_app(backend).await;
    let order = create_order(&app).await;
    let id = &order["id"];
    assert_eq!(order["total"], "29.00");

    let changed = update(
        &app,
        id,
        json!({ "description": "second", "discount": "4" }),
        Some(1),
    )
    .await;
    assert_eq!(codes(&changed), vec![]);
    let after = &changed["order"];
    assert_eq!(after["version"], 2);
    assert_eq!(after["reference"], "R-1", "left out, unchanged");
    assert_eq!(after["description"], "second");
    assert_eq!(after["discountTotal"], "4.00");
    assert_eq!(after["total"], "25.00");
    let last = after["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["type"], "UPDATED");
    assert_eq!(last["actor"], "demo");
    assert_eq!(last["changes"]["description"], json!(["first", "second"]));

    let cleared = update(&app, id, json!({ "reference": null }), None).await;
    assert_eq!(cleared["order"]["reference"], Value::Null);
    assert_eq!(cleared["order"]["version"], 3);

    let refused = update(&app, id, json!({ "status": null, "discount": null }), None).await;
    assert_eq!(
        codes(&refused),
        vec![
            (json!(["input", "status"]), "REQUIRED".to_owned()),
            (json!(["input", "discount"]), "REQUIRED".to_owned())
        ]
    );
    assert_eq!(read(&app, id).await["version"], 3, "nothing written");

    let same = update(
        &app,
        id,
        json!({ "description": "second", "status": "PENDING" }),
        None,
    )
    .await;
    assert_eq!(codes(&same), vec![]);
    assert_eq!(same["order"]["version"], 3, "same values write nothing");
    assert_eq!(same["order"]["events"].as_array().unwrap().len(), 3);
}

async fn statuses_move_only_along_the_transition_tables(backend: Backend) {
    let app = spawn_app(backend).await;
    let order = create_order(&app).await;
    let id = &order["id"];
    assert_eq!(
        order["allowedTransitions"]["status"],
        json!(["PROCESSING", "CANCELLED"])
    );

    let refused = update(
        &app,
        id,
        json!({ "status": "DELIVERED", "paymentStatus": "PAID" }),
        None,
    )
    .await;
    assert_eq!(
        codes(&refused),
        vec![(json!(["input", "status"]), "INVALID_TRANSITION".to_owned())]
    );
    let unchanged = read(&app, id).await;
    assert_eq!(
        (
            unchanged["status"].clone(),
            unchanged["paymentStatus"].clone(),
            unchanged["version"].clone()
        ),
        (json!("PENDING"), json!("PENDING"), json!(1))
    );

    let moved = update(
        &app,
        id,
        json!({ "status": "PROCESSING", "paymentStatus": "PAID", "description": "x" }),
        Some(1),
    )
    .await;
    assert_eq!(codes(&moved), vec![]);
    assert_eq!(
        moved["order"]["version"], 2,
        "one mutation bumps the version once"
    );
    let events: Vec<String> = moved["order"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        events,
        ["CREATED", "STATUS_CHANGED", "STATUS_CHANGED", "UPDATED"]
    );
    assert_eq!(
        moved["order"]["events"][1]["changes"],
        json!({ "status": ["PENDING", "PROCESSING"] })
    );
}

async fn a_stale_expected_version_is_a_conflict_and_writes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let order = create_order(&app).await;
    let id = &order["id"];
    update(&app, id, json!({ "description": "v2" }), Some(1)).await;
    let stale = update(&app, id, json!({ "description": "lost" }), Some(1)).await;
    assert_eq!(
        codes(&stale),
        vec![(json!(["expectedVersion"]), "VERSION_CONFLICT".to_owned())]
    );
    assert_eq!(stale["order"], Value::Null);
    assert_eq!(read(&app, id).await["description"], "v2");
}

async fn of_ten_concurrent_updates_at_one_version_exactly_one_wins(backend: Backend) {
    let app = std::sync::Arc::new(spawn_app(backend).await);
    let order = create_order(&app).await;
    let id = order["id"].clone();
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let app = app.clone();
            let id = id.clone();
            tokio::spawn(async move {
                update(
                    &app,
                    &id,
                    json!({ "description": format!("writer {i}") }),
                    Some(1),
                )
                .await
            })
        })
        .collect();
    let mut wins = 0;
    let mut conflicts = 0;
    for task in tasks {
        let payload = task.await.unwrap();
        match codes(&payload).as_slice() {
            [] => wins += 1,
            [(_, code)] if code == "VERSION_CONFLICT" => conflicts += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((wins, conflicts), (1, 9));
    let after = read(&app, &id).await;
    assert_eq!(after["version"], 2);
    assert_eq!(after["events"].as_array().unwrap().len(), 2);
}

async fn items_change_only_while_editable_and_totals_follow(backend: Backend) {
    let app = spawn_app(backend).await;
    let order = create_order(&app).await;
    let id = &order["id"];
    let add = format!(
        r#"mutation($id: ID!, $items: [OrderItemInput!]!, $v: Int) {{ addOrderItems(orderId: $id, items: $items, expectedVersion: $v) {{ order {{ {ORDER_FIELDS} }} userErrors {{ field code }} }} }}"#
    );
    let added = app
        .graphql(&add, json!({ "id": id, "v": 1, "items": [{ "sku": "C", "name": "Cherry", "quantity": 3, "unitPrice": "1.25" }] }))
        .await;
    let added = &data(&added)["addOrderItems"];
    assert_eq!(added["userErrors"], json!([]));
    assert_eq!(added["order"]["total"], "32.75");
    assert_eq!(added["order"]["version"], 2);
    let item_c = added["order"]["items"][2]["id"].clone();

    let change = format!(
        r#"mutation($id: ID!, $input: UpdateOrderItemInput!) {{ updateOrderItem(id: $id, input: $input) {{ order {{ {ORDER_FIELDS} }} userErrors {{ field code }} }} }}"#
    );
    let changed = app
        .graphql(&change, json!({ "id": item_c, "input": { "quantity": 1 } }))
        .await;
    let changed = &data(&changed)["updateOrderItem"];
    assert_eq!(changed["userErrors"], json!([]));
    assert_eq!(changed["order"]["total"], "30.25");
    let bad = app
        .graphql(
            &change,
            json!({ "id": item_c, "input": { "quantity": 0, "unitPrice": "1.001" } }),
        )
        .await;
    assert_eq!(
        codes(&data(&bad)["updateOrderItem"]),
        vec![(
            json!(["input", "unitPrice"]),
            "TOO_MANY_DECIMALS".to_owned()
        )]
    );

    let remove = format!(
        r#"mutation($id: ID!) {{ removeOrderItem(id: $id) {{ order {{ {ORDER_FIELDS} }} userErrors {{ field code }} }} }}"#
    );
    let removed = app.graphql(&remove, json!({ "id": item_c })).await;
    let removed = &data(&removed)["removeOrderItem"];
    assert_eq!(removed["order"]["total"], "29.00");
    let types: Vec<&str> = removed["order"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["CREATED", "ITEM_ADDED", "ITEM_UPDATED", "ITEM_REMOVED"]
    );

    let items: Vec<Value> = removed["order"]["items"].as_array().unwrap().clone();
    app.graphql(&remove, json!({ "id": items[0]["id"] })).await;
    let last = app.graphql(&remove, json!({ "id": items[1]["id"] })).await;
    assert_eq!(
        codes(&data(&last)["removeOrderItem"]),
        vec![(json!(["id"]), "INVALID".to_owned())]
    );

    update(&app, id, json!({ "status": "CANCELLED" }), None).await;
    let locked = app
        .graphql(&add, json!({ "id": id, "items": [{ "sku": "D", "name": "Date", "quantity": 1, "unitPrice": "1" }] }))
        .await;
    assert_eq!(
        codes(&data(&locked)["addOrderItems"]),
        vec![(json!(["orderId"]), "ORDER_NOT_EDITABLE".to_owned())]
    );
    assert_eq!(read(&app, id).await["items"].as_array().unwrap().len(), 1);
}

async fn archived_orders_are_hidden_and_frozen_until_unarchived(backend: Backend) {
    let app = spawn_app(backend).await;
    let order = create_order(&app).await;
    let id = &order["id"];
    let archive = format!(
        r#"mutation($id: ID!) {{ archiveOrder(id: $id) {{ order {{ {ORDER_FIELDS} }} userErrors {{ code }} }} }}"#
    );
    let unarchive = format!(
        r#"mutation($id: ID!) {{ unarchiveOrder(id: $id) {{ order {{ {ORDER_FIELDS} }} userErrors {{ code }} }} }}"#
    );
    let archived = app.graphql(&archive, json!({ "id": id })).await;
    assert_eq!(data(&archived)["archiveOrder"]["order"]["version"], 2);
    let again = app.graphql(&archive, json!({ "id": id })).await;
    assert_eq!(
        data(&again)["archiveOrder"]["order"]["version"],
        2,
        "archiving twice is a no-op"
    );

    let list = app.graphql("{ active: orders { totalCount } archived: orders(filter: { archived: true }) { totalCount } }", json!({})).await;
    assert_eq!(
        data(&list),
        &json!({ "active": { "totalCount": 0 }, "archived": { "totalCount": 1 } })
    );

    let frozen = update(&app, id, json!({ "description": "nope" }), None).await;
    assert_eq!(
        codes(&frozen),
        vec![(json!(["id"]), "ORDER_ARCHIVED".to_owned())]
    );

    let back = app.graphql(&unarchive, json!({ "id": id })).await;
    let back = &data(&back)["unarchiveOrder"]["order"];
    assert_eq!(back["version"], 3);
    assert_eq!(back["archivedAt"], Value::Null);
    let types: Vec<&str> = back["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["CREATED", "ARCHIVED", "UNARCHIVED"]);
}

async fn another_tenant_cannot_change_the_order(backend: Backend) {
    let app = spawn_app(backend).await;
    let order = create_order(&app).await;
    let other = app.key_for("other").await;
    let query = r#"mutation($id: ID!) { updateOrder(id: $id, input: { description: "mine" }) { order { id } userErrors { field code } } }"#;
    let response = app
        .graphql_as(&other, query, json!({ "id": order["id"] }))
        .await;
    assert_eq!(
        data(&response)["updateOrder"]["userErrors"],
        json!([{ "field": ["id"], "code": "NOT_FOUND" }])
    );
    assert_eq!(read(&app, &order["id"]).await["description"], "first");
}

both_backends!(
    a_partial_update_changes_only_what_is_sent,
    statuses_move_only_along_the_transition_tables,
    a_stale_expected_version_is_a_conflict_and_writes_nothing,
    of_ten_concurrent_updates_at_one_version_exactly_one_wins,
    items_change_only_while_editable_and_totals_follow,
    archived_orders_are_hidden_and_frozen_until_unarchived,
    another_tenant_cannot_change_the_order,
);
