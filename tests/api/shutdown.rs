//! SIGTERM under load: requests in flight finish, the process exits 0, and
//! every acknowledged write is in the database, whole.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use entity::{order, order_item};
use sea_orm::{ColumnTrait, Database, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_under_load_finishes_requests_in_flight_and_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/shutdown.db?mode=rwc", dir.path().display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_ordergraph"))
        .args(["serve", "--database-url", &url, "--listen", "127.0.0.1:0"])
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut address, mut key) = (None, None);
    for line in lines.by_ref().map_while(Result::ok) {
        if let Some(rest) = line.strip_prefix("ordergraph is listening on ") {
            address = Some(rest.trim().to_owned());
        }
        if let Some(rest) = line.trim().strip_prefix("og_") {
            key = Some(format!("og_{rest}"));
        }
        if line.starts_with("GraphiQL opens") {
            break;
        }
    }
    std::thread::spawn(move || lines.for_each(drop));
    let endpoint = format!("http://{}/graphql", address.unwrap());
    let key = key.unwrap();
    let client = reqwest::Client::new();
    let post =
        |body: serde_json::Value| client.post(&endpoint).bearer_auth(&key).json(&body).send();
    let made: serde_json::Value = post(json!({ "query": r#"mutation { createChannel(input: { code: "web", name: "Web" }) { userErrors { code } } }"# }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(made["data"]["createChannel"]["userErrors"], json!([]));

    let create = r#"mutation($input: CreateOrderInput!, $key: String) { createOrder(input: $input, idempotencyKey: $key) { order { id number } } }"#;
    let tasks: Vec<_> = (0..30)
        .map(|i| {
            let request = post(json!({
                "query": create,
                "variables": {
                    "key": format!("k{i}"),
                    "input": {
                        "channel": "web", "currency": "USD",
                        "customer": { "create": { "email": format!("c{i}@example.com") } },
                        "items": [
                            { "sku": "A", "name": "A", "quantity": 1, "unitPrice": "1.00" },
                            { "sku": "B", "name": "B", "quantity": 2, "unitPrice": "2.00" }
                        ]
                    }
                }
            }));
            tokio::spawn(async move {
                match request.await {
                    Ok(response) if response.status() == 200 => {
                        let body: serde_json::Value = response.json().await.ok()?;
                        body["data"]["createOrder"]["order"]["number"]
                            .as_str()
                            .map(str::to_owned)
                    }
                    _ => None,
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(30)).await;
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());

    let mut acknowledged = Vec::new();
    for task in tasks {
        if let Some(number) = task.await.unwrap() {
            acknowledged.push(number);
        }
    }
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "exit status {status:?}");

    let db = Database::connect(&url).await.unwrap();
    let orders = order::Entity::find().all(&db).await.unwrap();
    for number in &acknowledged {
        assert!(
            orders.iter().any(|o| &o.number == number),
            "acknowledged {number} is lost"
        );
    }
    for o in &orders {
        let items = order_item::Entity::find()
            .filter(order_item::Column::OrderId.eq(o.id))
            .count(&db)
            .await
            .unwrap();
        assert_eq!(items, 2, "order {} is half-written", o.number);
    }
    assert!(
        !acknowledged.is_empty(),
        "no request finished: nothing was in flight"
    );
}
