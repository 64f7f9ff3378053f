//! Soak: N workers send mixed creates, idempotent retries, updates and lists
//! to a running server for T seconds, then every acknowledged write is
//! checked in the database: each create exactly once and whole, each
//! acknowledged update there, no order that was not acknowledged. Any 5xx,
//! `INTERNAL` or other unexpected answer is a fault and fails the run.
//!
//! `cargo run --release --example soak -- --url http://127.0.0.1:8080/graphql
//!  --key og_… --database-url sqlite://ordergraph.db --workers 16 --seconds 60`

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use entity::{order, order_item};
use sea_orm::{ColumnTrait, Database, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};
use tokio::sync::Mutex;

struct Args {
    url: String,
    key: String,
    database_url: String,
    workers: usize,
    seconds: u64,
    /// Prefix of this run's idempotency keys: runs on one database never meet.
    run: String,
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
        run: format!(
            "soak-{}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or_default()
        ),
    })
}

#[derive(Default)]
struct Counts {
    creates: AtomicU64,
    replays: AtomicU64,
    updates: AtomicU64,
    lists: AtomicU64,
    faults: AtomicU64,
}

/// What the server acknowledged: key → (order id, description set last).
type Acknowledged = Arc<Mutex<HashMap<String, (String, Option<String>)>>>;

/// A client whose requests give up after 30 s: a stuck server fails the soak, never hangs it.
fn http_client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| format!("HTTP client: {e}"))
}

/// A fault: counted and printed (the first few only).
fn fault(counts: &Counts, what: &str, detail: &str) {
    if counts.faults.fetch_add(1, Ordering::Relaxed) < 20 {
        eprintln!("{what} fault: {detail}");
    }
}

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

const CREATE: &str = r#"mutation($input: CreateOrderInput!, $key: String) { createOrder(input: $input, idempotencyKey: $key) { order { id version } userErrors { code message } idempotentReplay } }"#;
const UPDATE: &str = r#"mutation($id: ID!, $d: String, $v: Int) { updateOrder(id: $id, input: { description: $d }, expectedVersion: $v) { order { version } userErrors { code } } }"#;
const LIST: &str = r#"{ orders(first: 20, filter: { status: { in: [PENDING] } }) { nodes { number total items { sku } } } }"#;

async fn worker(
    n: usize,
    args: Arc<Args>,
    until: Instant,
    counts: Arc<Counts>,
    acked: Acknowledged,
) -> Result<(), String> {
    let client = http_client()?;
    let mut i = 0_u64;
    while Instant::now() < until {
        i += 1;
        let key = format!("{}-{n}-{i}", args.run);
        let input = json!({
            "channel": "soak", "currency": "USD",
            "customer": { "create": { "email": format!("soak{n}@example.com") } },
            "items": [
                { "sku": "A", "name": "A", "quantity": 1, "unitPrice": "1.00" },
                { "sku": "B", "name": "B", "quantity": 2, "unitPrice": "2.50" }
            ]
        });
        let variables = json!({ "input": input, "key": key });
        let id = match post(&client, &args, CREATE, variables.clone()).await {
            Ok(body) => {
                let payload = &body["data"]["createOrder"];
                let Some(id) = payload["order"]["id"].as_str() else {
                    return Err(format!("create refused: {body}"));
                };
                if payload["idempotentReplay"] != json!(false) {
                    return Err(format!("a first create replayed: {body}"));
                }
                acked
                    .lock()
                    .await
                    .insert(key.clone(), (id.to_owned(), None));
                counts.creates.fetch_add(1, Ordering::Relaxed);
                id.to_owned()
            }
            Err(e) => {
                fault(&counts, "create", &e);
                continue;
            }
        };
        // Every fourth create is retried as a client would after a lost
        // answer: the same key and input give the same order back.
        if i.is_multiple_of(4) {
            match post(&client, &args, CREATE, variables).await {
                Ok(body)
                    if body["data"]["createOrder"]["idempotentReplay"] == json!(true)
                        && body["data"]["createOrder"]["order"]["id"] == json!(id) =>
                {
                    counts.replays.fetch_add(1, Ordering::Relaxed);
                }
                Ok(body) => fault(&counts, "replay", &body.to_string()),
                Err(e) => fault(&counts, "replay", &e),
            }
        }
        let description = format!("updated {i}");
        match post(
            &client,
            &args,
            UPDATE,
            json!({ "id": id, "d": description, "v": 1 }),
        )
        .await
        {
            // Only this worker knows the order: anything but a clean update at version 1 is a fault.
            Ok(body)
                if body["data"]["updateOrder"]["userErrors"] == json!([])
                    && body["data"]["updateOrder"]["order"]["version"] == json!(2) =>
            {
                acked.lock().await.insert(key, (id, Some(description)));
                counts.updates.fetch_add(1, Ordering::Relaxed);
            }
            Ok(body) => fault(&counts, "update", &body.to_string()),
            Err(e) => fault(&counts, "update", &e),
        }
        if i.is_multiple_of(3) {
            match post(&client, &args, LIST, json!({})).await {
                Ok(body)
                    if body.get("errors").is_none()
                        && body["data"]["orders"]["nodes"].is_array() =>
                {
                    counts.lists.fetch_add(1, Ordering::Relaxed);
                }
                Ok(body) => fault(&counts, "list", &body.to_string()),
                Err(e) => fault(&counts, "list", &e),
            }
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
    let client = match http_client() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("soak: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if let Err(e) = post(&client, &args, r#"mutation { createChannel(input: { code: "soak", name: "Soak" }) { userErrors { code } } }"#, json!({})).await {
        eprintln!("soak: the server does not answer: {e}");
        return std::process::ExitCode::FAILURE;
    }
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
        "{:.1} s, {} workers: {} creates ({:.0}/s), {} idempotent replays, {} updates, {} lists ({:.0} requests/s), {} faults",
        elapsed,
        args.workers,
        c(&counts.creates),
        c(&counts.creates) as f64 / elapsed,
        c(&counts.replays),
        c(&counts.updates),
        c(&counts.lists),
        (c(&counts.creates) + c(&counts.replays) + c(&counts.updates) + c(&counts.lists)) as f64
            / elapsed,
        c(&counts.faults)
    );
    if c(&counts.creates) == 0 {
        eprintln!("no order was created");
        failed = true;
    }

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
    let mut items: HashMap<i64, Vec<order_item::Model>> = HashMap::new();
    for chunk in keys.chunks(500) {
        let rows = match order::Entity::find()
            .filter(order::Column::IdempotencyKey.is_in(chunk.iter().cloned()))
            .all(&db)
            .await
        {
            Ok(rows) => rows,
            Err(e) => {
                eprintln!("query failed: {e}");
                return std::process::ExitCode::FAILURE;
            }
        };
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        match order_item::Entity::find()
            .filter(order_item::Column::OrderId.is_in(ids))
            .all(&db)
            .await
        {
            Ok(rows) => {
                for item in rows {
                    items.entry(item.order_id).or_default().push(item);
                }
            }
            Err(e) => {
                eprintln!("query failed: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
        for row in rows {
            if let Some(k) = row.idempotency_key.clone() {
                if found.insert(k.clone(), row).is_some() {
                    eprintln!("key {k} has two orders");
                    failed = true;
                }
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
        let whole = items.get(&row.id).map_or(0, Vec::len) == 2 && row.total == 60_000;
        let updated = description.is_none() || row.description == *description;
        if !whole || !updated {
            wrong += 1;
        }
    }
    // Orders of this run that nobody acknowledged (a replay that wrote a second order).
    let stored = order::Entity::find()
        .filter(order::Column::IdempotencyKey.starts_with(format!("{}-", args.run)))
        .count(&db)
        .await;
    let unacknowledged = match stored {
        Ok(n) => n.saturating_sub(found.len() as u64),
        Err(e) => {
            eprintln!("query failed: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!(
        "verified {} acknowledged creates: {lost} lost, {wrong} wrong, {unacknowledged} unacknowledged orders",
        acked.len()
    );
    if failed || lost > 0 || wrong > 0 || unacknowledged > 0 || c(&counts.faults) > 0 {
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
