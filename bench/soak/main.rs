//! Soak: N workers send mixed creates, updates and lists to a running server
//! for T seconds, then every acknowledged write is checked in the database:
//! each create exactly once and whole, each acknowledged update there.
//!
//! `cargo run --release --example soak -- --url http://127.0.0.1:8080/graphql
//!  --key og_… --database-url sqlite://ordergraph.db --workers 16 --seconds 60`

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use entity::{order, order_item};
use sea_orm::{ColumnTrait, Database, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use tokio::sync::Mutex;

struct Args {
    url: String,
    key: String,
    database_url: String,
    workers: usize,
    seconds: u64,
}

fn args() -> Result<Args, String> {
    let mut map = HashMap::new();
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        map.insert(flag.trim_start_matches('-').to_owned(), value);
    }
    let get = |k: &str| map.get(k).cloned().ok_or(format!("--{k} is required"));
    Ok(Args {
        url: get("url")?,
        key: get("key")?,
        database_url: get("database-url")?,
        workers: map.get("workers").and_then(|v| v.parse().ok()).unwrap_or(8),
        seconds: map
            .get("seconds")
            .and_then(|v| v.parse().ok())
            .unwrap_or(30),
    })
}

#[derive(Default)]
struct Counts {
    creates: AtomicU64,
    updates: AtomicU64,
    conflicts: AtomicU64,
    lists: AtomicU64,
    faults: AtomicU64,
}

/// What the server acknowledged: key → (order id, description set last).
type Acknowledged = Arc<Mutex<HashMap<String, (String, Option<String>)>>>;

async fn post(
    client: &reqwest::Client,
    args: &Args,
    query: &str,
    variables: Value,
) -> Result<Value, String> {
    let response = client
        .post(&args.url)
        .bearer_auth(&args.key)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .map_err(|e| format!("transport: {e}"))?;
    let status = response.status();
    let body: Value = response.json().await.map_err(|e| format!("body: {e}"))?;
    if status.is_server_error() || body.to_string().contains("\"INTERNAL\"") {
        return Err(format!("{status}: {body}"));
    }
    Ok(body)
}

const CREATE: &str = r#"mutation($input: CreateOrderInput!, $key: String) { createOrder(input: $input, idempotencyKey: $key) { order { id version } userErrors { code message } } }"#;
const UPDATE: &str = r#"mutation($id: ID!, $d: String, $v: Int) { updateOrder(id: $id, input: { description: $d }, expectedVersion: $v) { order { version } userErrors { code } } }"#;
const LIST: &str = r#"{ orders(first: 20, filter: { status: { in: [PENDING] } }) { nodes { number total items { sku } } } }"#;

async fn worker(
    n: usize,
    args: Arc<Args>,
    until: Instant,
    counts: Arc<Counts>,
    acked: Acknowledged,
) -> Result<(), String> {
    let client = reqwest::Client::new();
    let mut i = 0_u64;
    while Instant::now() < until {
        i += 1;
        let key = format!("soak-{n}-{i}");
        let input = json!({
            "channel": "soak", "currency": "USD",
            "customer": { "create": { "email": format!("soak{n}@example.com") } },
            "items": [
                { "sku": "A", "name": "A", "quantity": 1, "unitPrice": "1.00" },
                { "sku": "B", "name": "B", "quantity": 2, "unitPrice": "2.50" }
            ]
        });
        match post(
            &client,
            &args,
            CREATE,
            json!({ "input": input, "key": key }),
        )
        .await
        {
            Ok(body) => {
                let Some(id) = body["data"]["createOrder"]["order"]["id"].as_str() else {
                    return Err(format!("create refused: {body}"));
                };
                acked
                    .lock()
                    .await
                    .insert(key.clone(), (id.to_owned(), None));
                counts.creates.fetch_add(1, Ordering::Relaxed);
                let description = format!("updated {i}");
                match post(
                    &client,
                    &args,
                    UPDATE,
                    json!({ "id": id, "d": description, "v": 1 }),
                )
                .await
                {
                    Ok(body) if body["data"]["updateOrder"]["userErrors"] == json!([]) => {
                        acked
                            .lock()
                            .await
                            .insert(key, (id.to_owned(), Some(description)));
                        counts.updates.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(_) => {
                        counts.conflicts.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e) => {
                        counts.faults.fetch_add(1, Ordering::Relaxed);
                        eprintln!("update fault: {e}");
                    }
                }
            }
            Err(e) => {
                counts.faults.fetch_add(1, Ordering::Relaxed);
                eprintln!("create fault: {e}");
            }
        }
        if i.is_multiple_of(3) {
            match post(&client, &args, LIST, json!({})).await {
                Ok(_) => counts.lists.fetch_add(1, Ordering::Relaxed),
                Err(e) => {
                    eprintln!("list fault: {e}");
                    counts.faults.fetch_add(1, Ordering::Relaxed)
                }
            };
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = match args() {
        Ok(a) => Arc::new(a),
        Err(e) => {
            eprintln!("soak: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let client = reqwest::Client::new();
    let _ = post(&client, &args, r#"mutation { createChannel(input: { code: "soak", name: "Soak" }) { userErrors { code } } }"#, json!({})).await;
    let counts = Arc::new(Counts::default());
    let acked: Acknowledged = Arc::default();
    let started = Instant::now();
    let until = started + Duration::from_secs(args.seconds);
    let tasks: Vec<_> = (0..args.workers)
        .map(|n| {
            tokio::spawn(worker(
                n,
                args.clone(),
                until,
                counts.clone(),
                acked.clone(),
            ))
        })
        .collect();
    let mut failed = false;
    for task in tasks {
        match task.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                eprintln!("worker failed: {e}");
                failed = true;
            }
            Err(e) => {
                eprintln!("worker panicked: {e}");
                failed = true;
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let c = |a: &AtomicU64| a.load(Ordering::Relaxed);
    println!(
        "{:.1} s, {} workers: {} creates ({:.0}/s), {} updates, {} version conflicts, {} lists, {} faults",
        elapsed,
        args.workers,
        c(&counts.creates),
        c(&counts.creates) as f64 / elapsed,
        c(&counts.updates),
        c(&counts.conflicts),
        c(&counts.lists),
        c(&counts.faults)
    );

    // Verify in the database.
    let db = match Database::connect(&args.database_url).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("cannot open the database: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let acked = acked.lock().await;
    let keys: Vec<String> = acked.keys().cloned().collect();
    let mut found: HashMap<String, order::Model> = HashMap::new();
    for chunk in keys.chunks(500) {
        match order::Entity::find()
            .filter(order::Column::IdempotencyKey.is_in(chunk.iter().cloned()))
            .all(&db)
            .await
        {
            Ok(rows) => {
                for row in rows {
                    if let Some(k) = row.idempotency_key.clone() {
                        if found.insert(k.clone(), row).is_some() {
                            eprintln!("key {k} has two orders");
                            failed = true;
                        }
                    }
                }
            }
            Err(e) => {
                eprintln!("query failed: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    let mut lost = 0;
    let mut wrong = 0;
    for (key, (_, description)) in acked.iter() {
        let Some(row) = found.get(key) else {
            lost += 1;
            continue;
        };
        let items = order_item::Entity::find()
            .filter(order_item::Column::OrderId.eq(row.id))
            .all(&db)
            .await
            .unwrap_or_default();
        let whole = items.len() == 2 && row.total == 60_000;
        let updated = description.is_none() || row.description == *description;
        if !whole || !updated {
            wrong += 1;
        }
    }
    println!(
        "verified {} acknowledged creates: {lost} lost, {wrong} wrong",
        acked.len()
    );
    if failed || lost > 0 || wrong > 0 || c(&counts.faults) > 0 {
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
