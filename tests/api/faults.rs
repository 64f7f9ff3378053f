//! Faults in the middle of writes: connections killed during creates leave
//! no half-written order, and every acknowledged create is there.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use entity::{order, order_event, order_item};
use sea_orm::{ColumnTrait, ConnectionTrait, Database, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

use crate::helpers::{data, spawn_app, Backend};

const CREATE: &str = r#"mutation($input: CreateOrderInput!, $key: String) {
  createOrder(input: $input, idempotencyKey: $key) { order { id number } userErrors { code } }
}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killing_connections_during_creates_leaves_no_half_written_order() {
    let app = Arc::new(spawn_app(Backend::Postgres).await);
    let made = app
        .graphql(r#"mutation { createChannel(input: { code: "web", name: "Web" }) { userErrors { code } } }"#, json!({}))
        .await;
    assert_eq!(data(&made)["createChannel"]["userErrors"], json!([]));
    let database = app.database_url().rsplit('/').next().unwrap().to_owned();

    // A killer: terminates the app's connections to its database again and again.
    let stop = Arc::new(AtomicBool::new(false));
    let killer = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let admin = Database::connect("postgres://postgres@127.0.0.1:5432/postgres")
                .await
                .unwrap();
            let sql = format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid()"
            );
            while !stop.load(Ordering::SeqCst) {
                let _ = admin.execute_unprepared(&sql).await;
                tokio::time::sleep(std::time::Duration::from_millis(70)).await;
            }
            admin.close().await.unwrap();
        })
    };
    let writers: Vec<_> = (0..40)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                let input = json!({
                    "channel": "web", "currency": "USD",
                    "customer": { "create": { "email": format!("c{i}@example.com") } },
                    "items": [
                        { "sku": "A", "name": "A", "quantity": 1, "unitPrice": "1.00" },
                        { "sku": "B", "name": "B", "quantity": 2, "unitPrice": "2.00" },
                        { "sku": "C", "name": "C", "quantity": 3, "unitPrice": "3.00" }
                    ]
                });
                let response = app
                    .graphql(CREATE, json!({ "input": input, "key": format!("k{i}") }))
                    .await;
                let acknowledged = response["data"]["createOrder"]["order"]["id"]
                    .as_str()
                    .map(str::to_owned);
                if acknowledged.is_none() {
                    let code = response["errors"][0]["extensions"]["code"]
                        .as_str()
                        .unwrap_or("");
                    assert!(
                        matches!(code, "DATABASE_UNAVAILABLE" | "INTERNAL"),
                        "a fault is reported with a code, got {response}"
                    );
                    let text = response.to_string();
                    assert!(
                        !text.contains("SELECT") && !text.contains("terminat"),
                        "leak: {text}"
                    );
                }
                (i, acknowledged)
            })
        })
        .collect();
    let mut acknowledged = Vec::new();
    for writer in writers {
        acknowledged.push(writer.await.unwrap());
    }
    stop.store(true, Ordering::SeqCst);
    killer.await.unwrap();

    // Checked on a connection of its own: the app's pool may still hold
    // connections the killer closed (the server drops each at its next use).
    let db = Database::connect(app.database_url()).await.unwrap();
    // Every order in the database is whole: 3 items, the right total, one CREATED event.
    let orders = order::Entity::find().all(&db).await.unwrap();
    for o in &orders {
        let items = order_item::Entity::find()
            .filter(order_item::Column::OrderId.eq(o.id))
            .count(&db)
            .await
            .unwrap();
        let events = order_event::Entity::find()
            .filter(order_event::Column::OrderId.eq(o.id))
            .count(&db)
            .await
            .unwrap();
        assert_eq!(
            (items, events, o.total),
            (3, 1, 14 * 10_000),
            "order {} is half-written",
            o.number
        );
    }
    // Every acknowledged create is there; a retry with its key finds the others or creates them once.
    let refused = acknowledged.iter().filter(|(_, a)| a.is_none()).count();
    assert!(
        refused > 0,
        "the faults hit no create: the test proves nothing"
    );
    let mut ids: Vec<String> = Vec::new();
    for (i, ack) in acknowledged {
        let input = json!({
            "channel": "web", "currency": "USD",
            "customer": { "create": { "email": format!("c{i}@example.com") } },
            "items": [
                { "sku": "A", "name": "A", "quantity": 1, "unitPrice": "1.00" },
                { "sku": "B", "name": "B", "quantity": 2, "unitPrice": "2.00" },
                { "sku": "C", "name": "C", "quantity": 3, "unitPrice": "3.00" }
            ]
        });
        // As a client does on 503: a pooled connection the killer closed
        // within the server's no-ping window fails once and is dropped.
        let mut retry = Value::Null;
        for _ in 0..20 {
            retry = app
                .graphql(
                    CREATE,
                    json!({ "input": input.clone(), "key": format!("k{i}") }),
                )
                .await;
            if retry["errors"][0]["extensions"]["code"] != "DATABASE_UNAVAILABLE" {
                break;
            }
        }
        let id = data(&retry)["createOrder"]["order"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        if let Some(ack) = ack {
            assert_eq!(ack, id, "an acknowledged create is found by its key");
        }
        ids.push(id);
    }
    let total = order::Entity::find().count(&db).await.unwrap();
    assert_eq!(total, 40, "exactly one order per key");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 40);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_sqlite_disk_is_a_clean_error_and_the_server_goes_on() {
    let app = crate::helpers::spawn_app_with(Backend::Sqlite, |s| {
        s.database.sqlite_max_pages = Some(300);
    })
    .await;
    let made = app
        .graphql(r#"mutation { createChannel(input: { code: "web", name: "Web" }) { userErrors { code } } }"#, json!({}))
        .await;
    assert_eq!(data(&made)["createChannel"]["userErrors"], json!([]));
    let items: Vec<_> = (0..200)
        .map(|i| json!({ "sku": format!("SKU-{i}"), "name": "x".repeat(200), "quantity": 1, "unitPrice": "1.00" }))
        .collect();
    let mut acknowledged = 0;
    let mut full = None;
    for i in 0..200 {
        let input = json!({
            "channel": "web", "currency": "USD",
            "customer": { "create": { "email": "full@example.com" } },
            "items": items,
        });
        let response = app
            .graphql(CREATE, json!({ "input": input, "key": format!("k{i}") }))
            .await;
        if response["data"]["createOrder"]["order"]["id"].is_string() {
            acknowledged += 1;
        } else {
            full = Some(response);
            break;
        }
    }
    assert!(acknowledged > 0, "the cap left no room for any order");
    let response = full.expect("the capped database fills up");
    assert_eq!(
        response["errors"][0]["extensions"]["code"], "DATABASE_UNAVAILABLE",
        "{response}"
    );
    let text = response.to_string();
    assert!(
        !text.contains("disk") && !text.contains("SQLITE") && !text.contains("INSERT"),
        "leak: {text}"
    );
    // The server goes on: reads work, and what it acknowledged is whole.
    let read = app.graphql("{ orders { totalCount } }", json!({})).await;
    assert_eq!(data(&read)["orders"]["totalCount"], acknowledged);
    let healthz = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(healthz.status(), 200);
    for o in order::Entity::find().all(&app.db).await.unwrap() {
        let n = order_item::Entity::find()
            .filter(order_item::Column::OrderId.eq(o.id))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(n, 200, "order {} is half-written", o.number);
    }
}
