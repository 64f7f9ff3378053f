//! Two `ordergraph serve` processes on one PostgreSQL database: idempotency,
//! versions and order numbers hold across them.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

use crate::helpers::{data, Backend, TestDatabase};

/// A server process, killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `ordergraph serve` and reads its address, and the demo key when
/// `first` (a process on a database without keys prints one).
fn serve(database_url: &str, first: bool) -> (Server, Option<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ordergraph"))
        .args([
            "serve",
            "--database-url",
            database_url,
            "--listen",
            "127.0.0.1:0",
        ])
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("ordergraph starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut address = None;
    let mut key = None;
    // "listening on ADDR", "GraphiQL playground: URL", then from a process
    // that created the demo key: a sentence, "  og_…", and a last sentence.
    for line in lines.by_ref().map_while(Result::ok) {
        if let Some(rest) = line.strip_prefix("ordergraph is listening on ") {
            address = Some(rest.trim().to_owned());
        }
        if let Some(rest) = line.trim().strip_prefix("og_") {
            key = Some(format!("og_{rest}"));
        }
        let done = if first {
            line.starts_with("GraphiQL opens")
        } else {
            line.starts_with("GraphiQL playground")
        };
        if done {
            break;
        }
    }
    // Keep draining stdout so the process never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    let url = format!(
        "http://{}/graphql",
        address.expect("the listening address is printed")
    );
    (Server { child, url }, key)
}

async fn post(
    client: &reqwest::Client,
    url: &str,
    key: &str,
    query: &str,
    variables: Value,
) -> Value {
    client
        .post(url)
        .bearer_auth(key)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON")
}

const CREATE: &str = r#"mutation($input: CreateOrderInput!, $key: String) {
  createOrder(input: $input, idempotencyKey: $key) { order { id number } userErrors { code } idempotentReplay }
}"#;

fn input(reference: Option<String>) -> Value {
    json!({
        "channel": "web", "currency": "EUR",
        "customer": { "create": { "email": "two@example.com" } },
        "reference": reference,
        "items": [{ "sku": "S", "name": "Socks", "quantity": 1, "unitPrice": "9.90" }]
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_on_one_database_keep_idempotency_versions_and_numbers() {
    let database = TestDatabase::new(Backend::Postgres).await;
    let (first, key) = serve(&database.url, true);
    let key = key.expect("the first process creates the demo key");
    let (second, no_key) = serve(&database.url, false);
    assert!(
        no_key.is_none(),
        "the second process finds a key and makes none"
    );
    let urls = [first.url.clone(), second.url.clone()];
    let client = reqwest::Client::new();
    let made = post(&client, &urls[0], &key, r#"mutation { createChannel(input: { code: "web", name: "Web" }) { userErrors { code } } }"#, json!({})).await;
    assert_eq!(data(&made)["createChannel"]["userErrors"], json!([]));

    // The same idempotency key to both processes at once: one order.
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let (client, url, key) = (client.clone(), urls[i % 2].clone(), key.clone());
            tokio::spawn(async move {
                post(
                    &client,
                    &url,
                    &key,
                    CREATE,
                    json!({ "input": input(None), "key": "same-key" }),
                )
                .await
            })
        })
        .collect();
    let mut ids = std::collections::HashSet::new();
    let mut replays = 0;
    for task in tasks {
        let response = task.await.unwrap();
        let payload = &data(&response)["createOrder"];
        assert_eq!(payload["userErrors"], json!([]), "{response}");
        ids.insert(payload["order"]["id"].as_str().unwrap().to_owned());
        replays += usize::from(payload["idempotentReplay"] == json!(true));
    }
    assert_eq!(ids.len(), 1, "one order for one key");
    assert_eq!(replays, 11);
    let order_id = ids.into_iter().next().unwrap();

    // Conflicting updates at one version through both: one wins.
    let update = r#"mutation($id: ID!, $d: String) { updateOrder(id: $id, input: { description: $d }, expectedVersion: 1) { order { version } userErrors { code } } }"#;
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let (client, url, key, id) = (
                client.clone(),
                urls[i % 2].clone(),
                key.clone(),
                order_id.clone(),
            );
            tokio::spawn(async move {
                post(
                    &client,
                    &url,
                    &key,
                    update,
                    json!({ "id": id, "d": format!("writer {i}") }),
                )
                .await
            })
        })
        .collect();
    let mut wins = 0;
    for task in tasks {
        let response = task.await.unwrap();
        let errors = &data(&response)["updateOrder"]["userErrors"];
        if errors == &json!([]) {
            wins += 1;
        } else {
            assert_eq!(errors, &json!([{ "code": "VERSION_CONFLICT" }]));
        }
    }
    assert_eq!(wins, 1);

    // Creates through both: every number distinct.
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let (client, url, key) = (client.clone(), urls[i % 2].clone(), key.clone());
            tokio::spawn(async move {
                post(
                    &client,
                    &url,
                    &key,
                    CREATE,
                    json!({ "input": input(Some(format!("R-{i}"))) }),
                )
                .await
            })
        })
        .collect();
    let mut numbers = std::collections::HashSet::new();
    for task in tasks {
        let response = task.await.unwrap();
        let number = data(&response)["createOrder"]["order"]["number"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(numbers.insert(number.clone()), "{number} twice");
    }
    assert_eq!(numbers.len(), 20);
    let count = post(
        &client,
        &urls[1],
        &key,
        "{ orders { totalCount } }",
        json!({}),
    )
    .await;
    assert_eq!(data(&count)["orders"]["totalCount"], 21);
    drop((first, second));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_starting_together_on_an_empty_database_migrate_once_and_make_one_key() {
    use sea_orm::{ConnectionTrait, Database};
    let name = format!("ordergraph_test_empty_{}", std::process::id());
    let admin = Database::connect("postgres://postgres@127.0.0.1:5432/postgres")
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
    let starts: Vec<_> = (0..3)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut child = Command::new(env!("CARGO_BIN_EXE_ordergraph"))
                    .args(["serve", "--database-url", &url, "--listen", "127.0.0.1:0"])
                    .env_remove("DATABASE_URL")
                    .env("RUST_LOG", "warn")
                    .stdout(Stdio::piped())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap();
                let stdout = child.stdout.take().unwrap();
                let (tx, rx) = std::sync::mpsc::channel();
                std::thread::spawn(move || {
                    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                        if tx.send(line).is_err() {
                            break;
                        }
                    }
                });
                let mut listening = false;
                let mut keys = 0;
                // Lines until a quiet second after the playground line.
                let mut wait = std::time::Duration::from_secs(30);
                while let Ok(line) = rx.recv_timeout(wait) {
                    listening |= line.starts_with("ordergraph is listening on");
                    keys += usize::from(line.trim().starts_with("og_"));
                    if line.starts_with("GraphiQL playground") {
                        wait = std::time::Duration::from_secs(1);
                    }
                }
                let _ = child.kill();
                let _ = child.wait();
                (listening, keys)
            })
        })
        .collect();
    let results: Vec<(bool, usize)> = starts.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(
        results.iter().all(|(listening, _)| *listening),
        "every process came up: {results:?}"
    );
    assert_eq!(
        results.iter().map(|(_, k)| k).sum::<usize>(),
        1,
        "one demo key: {results:?}"
    );
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
    admin.close().await.unwrap();
}
