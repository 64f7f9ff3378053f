//! ordergraph as client tooling sees it: every operation document under
//! `tests/operations/` runs against the app, graphql-js validates them and
//! the examples against `schema.graphql`, graphql-codegen turns them into
//! TypeScript types that the example client type-checks against, the example
//! client runs, and GraphiQL works in a real (headless) Chromium.
//!
//! The Node tooling is pinned in `clients/` (`npm ci` there; `.ci/run` does
//! it) and Chromium is Debian's `/usr/bin/chromium` (`.ci/run` installs it).
//! A test whose tool is missing fails and says what to install: none of them
//! is skipped.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::{data, spawn_app, spawn_app_with, Backend, TestApp};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const CHROMIUM: &str = "/usr/bin/chromium";

fn clients_dir() -> PathBuf {
    Path::new(ROOT).join("clients")
}

/// `clients/node_modules/PATH`, or a failure that says how to get it.
fn node_module(path: &str) -> PathBuf {
    let found = clients_dir().join("node_modules").join(path);
    assert!(
        found.exists(),
        "{} is missing: install the pinned Node tooling with `cd clients && npm ci` \
         (.ci/run does it)",
        found.display()
    );
    found
}

/// `clients/node_modules/.bin/NAME`, or a failure that says how to get it.
fn node_tool(name: &str) -> PathBuf {
    node_module(&format!(".bin/{name}"))
}

/// Runs a command to its end (at most `limit`), with its output captured.
async fn run(mut command: tokio::process::Command, limit: Duration) -> Output {
    let shown = format!("{:?}", command.as_std());
    command.kill_on_drop(true);
    let output = tokio::time::timeout(limit, command.output())
        .await
        .unwrap_or_else(|_| panic!("{shown} did not finish within {limit:?}"))
        .unwrap_or_else(|err| panic!("{shown} could not start (is Node.js installed?): {err}"));
    output
}

/// Fails with the command's output unless it exited 0.
fn assert_success(what: &str, output: &Output) {
    assert!(
        output.status.success(),
        "{what} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn node(script: &str) -> tokio::process::Command {
    let mut command = tokio::process::Command::new("node");
    command.arg(script).current_dir(ROOT);
    command
}

// ------------------------------------------------------ the operation files

/// The operation documents in `tests/operations/`, by name (file stem).
fn operation_files() -> BTreeSet<String> {
    std::fs::read_dir(Path::new(ROOT).join("tests/operations"))
        .expect("tests/operations/")
        .map(|entry| entry.expect("dir entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "graphql"))
        .map(|path| {
            path.file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// Sends the operation files by name and keeps track of which ran.
struct Operations<'a> {
    app: &'a TestApp,
    ran: BTreeSet<String>,
}

impl Operations<'_> {
    /// Runs `tests/operations/NAME.graphql`; it must answer without errors
    /// and without user errors anywhere in its data.
    async fn run(&mut self, name: &str, variables: Value) -> Value {
        let path = Path::new(ROOT).join(format!("tests/operations/{name}.graphql"));
        let document = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        let response = self.app.graphql(&document, variables).await;
        assert!(
            response.get("errors").is_none(),
            "{name}.graphql answered errors: {response:#}"
        );
        let data = data(&response).clone();
        assert_no_user_errors(name, &data);
        self.ran.insert(name.to_owned());
        data
    }
}

fn assert_no_user_errors(name: &str, value: &Value) {
    match value {
        Value::Object(map) => {
            if let Some(errors) = map.get("userErrors") {
                assert_eq!(errors, &json!([]), "user errors from {name}.graphql");
            }
            map.values().for_each(|v| assert_no_user_errors(name, v));
        }
        Value::Array(items) => items.iter().for_each(|v| assert_no_user_errors(name, v)),
        _ => {}
    }
}

fn id(value: &Value) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not an ID: {value}"))
        .to_owned()
}

fn order_input(reference: &str, customer: Value) -> Value {
    json!({
        "channel": "web",
        "currency": "USD",
        "customer": customer,
        "reference": reference,
        "shippingTotal": "4.90",
        "items": [
            { "sku": "TSHIRT-M", "name": "T-shirt M", "quantity": 2, "unitPrice": "15.00" },
            { "sku": "MUG", "name": "Mug", "quantity": 1, "unitPrice": "10.00" }
        ]
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_file_runs_against_the_app() {
    let app = spawn_app(Backend::Sqlite).await;
    let mut ops = Operations {
        app: &app,
        ran: BTreeSet::new(),
    };

    let currencies = ops.run("currencies", json!({ "first": 5 })).await;
    let currency = id(&currencies["currencies"]["nodes"][0]["id"]);
    let after = &currencies["currencies"]["pageInfo"]["endCursor"];
    let next = ops
        .run("currencies", json!({ "first": 5, "after": after }))
        .await;
    assert_eq!(next["currencies"]["nodes"].as_array().unwrap().len(), 5);
    ops.run("currencies-backward", json!({ "last": 5 })).await;

    let channel = ops
        .run(
            "create-channel",
            json!({ "input": { "code": "web", "name": "Web" } }),
        )
        .await;
    let channel = id(&channel["createChannel"]["channel"]["id"]);
    ops.run(
        "update-channel",
        json!({ "id": channel, "input": { "name": "Web shop", "url": "https://shop.example.com" } }),
    )
    .await;
    let channels = ops.run("channels", json!({ "first": 10 })).await;
    assert_eq!(channels["channels"]["nodes"][0]["name"], "Web shop");

    let customer = ops
        .run(
            "create-customer",
            json!({ "input": { "email": "ada@example.com", "firstName": "Ada" } }),
        )
        .await;
    let customer = id(&customer["createCustomer"]["customer"]["id"]);
    ops.run(
        "update-customer",
        json!({ "id": customer, "input": { "lastName": "Lovelace" } }),
    )
    .await;
    let customers = ops
        .run("customers", json!({ "filter": { "search": "ada" } }))
        .await;
    assert_eq!(customers["customers"]["totalCount"], 1);

    let created = ops
        .run(
            "create-order",
            json!({ "input": order_input("OPS-1", json!({ "id": customer })), "key": "ops-1" }),
        )
        .await;
    let order = &created["createOrder"]["order"];
    assert_eq!(order["total"], "44.90");
    let (order_id, number) = (id(&order["id"]), order["number"].clone());
    let many = ops
        .run(
            "create-orders",
            json!({ "inputs": [
                order_input("OPS-2", json!({ "email": "ada@example.com" })),
                order_input("OPS-3", json!({ "create": { "email": "grace@example.com" } }))
            ], "policy": "REJECT_EVERYTHING" }),
        )
        .await;
    assert_eq!(many["createOrders"]["count"], 2);

    let updated = ops
        .run(
            "update-order",
            json!({ "id": order_id, "input": { "description": "gift", "status": "PROCESSING" }, "expectedVersion": 1 }),
        )
        .await;
    assert_eq!(updated["updateOrder"]["order"]["version"], 2);
    let added = ops
        .run(
            "add-order-items",
            json!({ "orderId": order_id, "expectedVersion": 2, "items": [
                { "sku": "SOCKS", "name": "Socks", "quantity": 1, "unitPrice": "5.00" }
            ] }),
        )
        .await;
    let item = id(&added["addOrderItems"]["order"]["items"][2]["id"]);
    ops.run(
        "update-order-item",
        json!({ "id": item, "input": { "quantity": 3 }, "expectedVersion": 3 }),
    )
    .await;
    let node = ops.run("node", json!({ "id": item })).await;
    assert_eq!(node["node"]["__typename"], "OrderItem");
    assert_eq!(node["node"]["quantity"], 3);
    let removed = ops.run("remove-order-item", json!({ "id": item })).await;
    assert_eq!(removed["removeOrderItem"]["order"]["total"], "44.90");

    let detail = ops.run("order-detail", json!({ "id": order_id })).await;
    assert_eq!(detail["order"]["description"], "gift");
    let by_number = ops
        .run("order-by-number", json!({ "number": number }))
        .await;
    assert_eq!(by_number["orderByNumber"]["id"], json!(order_id));
    let by_reference = ops
        .run("order-by-reference", json!({ "ref": "OPS-1" }))
        .await;
    assert_eq!(by_reference["orderByReference"]["id"], json!(order_id));

    // Walk the list two at a time, filtered and sorted.
    let (filter, sort) = (
        json!({ "channelCode": { "eq": "web" }, "total": { "gte": "44.90" } }),
        json!([{ "field": "NUMBER", "direction": "ASC" }]),
    );
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = ops
            .run(
                "orders-page",
                json!({ "first": 2, "after": after, "filter": filter, "sort": sort }),
            )
            .await;
        let orders = &page["orders"];
        assert_eq!(orders["totalCount"], 3);
        for edge in orders["edges"].as_array().unwrap() {
            seen.push(edge["node"]["reference"].as_str().unwrap().to_owned());
        }
        if orders["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = orders["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, ["OPS-1", "OPS-2", "OPS-3"]);

    let nodes = ops
        .run(
            "nodes",
            json!({ "ids": [channel, customer, order_id, currency] }),
        )
        .await;
    let types: Vec<&Value> = nodes["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| &n["__typename"])
        .collect();
    assert_eq!(types, ["Channel", "Customer", "Order", "Currency"]);
    let customer_detail = ops.run("customer", json!({ "id": customer })).await;
    assert_eq!(customer_detail["customer"]["orders"]["totalCount"], 2);

    let archived = ops.run("archive-order", json!({ "id": order_id })).await;
    assert!(archived["archiveOrder"]["order"]["archivedAt"].is_string());
    let unarchived = ops.run("unarchive-order", json!({ "id": order_id })).await;
    assert!(unarchived["unarchiveOrder"]["order"]["archivedAt"].is_null());

    // Every file ran here, except graphql-js's introspection query, which
    // tests/api/http.rs sends (in two versions).
    let files: BTreeSet<String> = operation_files()
        .into_iter()
        .filter(|name| !name.starts_with("introspection"))
        .collect();
    let not_run: Vec<_> = files.difference(&ops.ran).collect();
    assert!(
        not_run.is_empty(),
        "operation files this test does not run: {not_run:?}"
    );
}

// ------------------------------------------------------------- graphql-js

#[tokio::test]
async fn graphql_js_validates_every_operation_document_against_the_schema() {
    node_module("graphql");
    let output = run(node("clients/validate.mjs"), Duration::from_secs(60)).await;

    assert_success("node clients/validate.mjs", &output);
    let out = stdout(&output);
    let summary = out
        .lines()
        .find(|l| l.starts_with("validate: "))
        .unwrap_or_else(|| panic!("no summary line in:\n{out}"));
    let files: usize = summary
        .trim_start_matches("validate: ")
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{summary}"));
    let expected = operation_files().len();
    assert!(
        files > expected,
        "validate.mjs saw {files} files; tests/operations/ alone has {expected} (and examples/ more)"
    );
    assert!(summary.ends_with(" 0 failed"), "{summary}");
}

// ---------------------------------------------------------------- codegen

#[tokio::test]
async fn graphql_codegen_generates_types_that_the_example_client_type_checks_against() {
    let codegen = node_tool("graphql-codegen");
    let tsc = node_tool("tsc");
    let generated = clients_dir().join("generated");

    let mut command = tokio::process::Command::new(&codegen);
    command
        .args(["--config", "codegen.ts"])
        .current_dir(clients_dir());
    let output = run(command, Duration::from_secs(180)).await;
    assert_success("graphql-codegen --config codegen.ts", &output);

    let schema = std::fs::read_to_string(generated.join("schema.ts")).expect("generated/schema.ts");
    let operations =
        std::fs::read_to_string(generated.join("graphql.ts")).expect("generated/graphql.ts");
    for name in [
        "Scalars",
        "CreateOrderInput",
        "OrderFilter",
        "OrderStatus",
        "Order",
    ] {
        assert!(
            schema.contains(&format!("export type {name} ")),
            "generated/schema.ts lacks {name}"
        );
    }
    for name in [
        "ListOrdersQuery",
        "PlaceOrderMutationVariables",
        "OrdersPageQuery",
        "CreateOrdersMutation",
        "NodeQuery",
    ] {
        assert!(
            operations.contains(&format!("export type {name} ")),
            "generated/graphql.ts lacks {name}"
        );
    }

    let mut command = tokio::process::Command::new(&tsc);
    command
        .args(["-p", "tsconfig.json"])
        .current_dir(clients_dir());
    let output = run(command, Duration::from_secs(180)).await;
    assert_success(
        "tsc -p clients/tsconfig.json (examples/client.ts against the generated types)",
        &output,
    );
}

// ------------------------------------------------------- the example client

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_client_creates_and_lists_two_orders() {
    let tsx = node_tool("tsx");
    let app = spawn_app(Backend::Sqlite).await;

    let mut command = tokio::process::Command::new(&tsx);
    command
        .arg("../examples/client.ts")
        .current_dir(clients_dir())
        .env("ORDERGRAPH_URL", format!("{}/graphql", app.address))
        .env("ORDERGRAPH_KEY", &app.key);
    let output = run(command, Duration::from_secs(120)).await;

    assert_success("tsx examples/client.ts", &output);
    let out = stdout(&output);
    assert!(out.contains("created channel web"), "{out}");
    assert!(
        out.contains("summary: created 2 orders, listed 2 orders"),
        "{out}"
    );
    let listed = app
        .graphql(
            "{ orders(first: 10) { totalCount nodes { reference status } } }",
            json!({}),
        )
        .await;
    assert_eq!(data(&listed)["orders"]["totalCount"], 2, "{listed:#}");

    // A second run finds the channel and adds two more orders.
    let mut again = tokio::process::Command::new(&tsx);
    again
        .arg("../examples/client.ts")
        .current_dir(clients_dir())
        .env("ORDERGRAPH_URL", format!("{}/graphql", app.address))
        .env("ORDERGRAPH_KEY", &app.key);
    let output = run(again, Duration::from_secs(120)).await;
    assert_success("tsx examples/client.ts (second run)", &output);
    assert!(!stdout(&output).contains("created channel"));

    // A wrong key is an error, and the exit status says so.
    let mut refused = tokio::process::Command::new(&tsx);
    refused
        .arg("../examples/client.ts")
        .current_dir(clients_dir())
        .env("ORDERGRAPH_URL", format!("{}/graphql", app.address))
        .env("ORDERGRAPH_KEY", "og_not-a-key");
    let output = run(refused, Duration::from_secs(120)).await;
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("UNAUTHENTICATED"));
}

// ------------------------------------------------------------- GraphiQL

/// The JSON config the server writes into the GraphiQL page.
async fn graphiql_config(app: &TestApp) -> Value {
    let page = app
        .client
        .get(format!("{}/", app.address))
        .send()
        .await
        .expect("GET /")
        .text()
        .await
        .expect("page");
    let start = page
        .find(r#"<script id="ordergraph-config" type="application/json">"#)
        .expect("config script");
    let rest = &page[start..];
    let json = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    serde_json::from_str(json).unwrap_or_else(|err| panic!("config {json}: {err}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_query_lists_orders_with_items_and_pages_on() {
    let app = spawn_app(Backend::Sqlite).await;
    ordergraph::seed::seed(&app.db, "demo", 30, 30, false)
        .await
        .unwrap();
    let config = graphiql_config(&app).await;
    let query = config["defaultQuery"].as_str().expect("defaultQuery");
    assert!(
        query.contains("filter:") && query.contains("$after") && query.contains("items"),
        "{query}"
    );

    let first = app.graphql(query, json!({})).await;
    let orders = &data(&first)["orders"];
    let nodes = orders["nodes"].as_array().expect("nodes");
    assert!(!nodes.is_empty(), "{first:#}");
    for order in nodes {
        assert!(["PENDING", "PROCESSING"].contains(&order["status"].as_str().unwrap()));
        assert!(!order["items"].as_array().unwrap().is_empty(), "{order:#}");
    }
    assert_eq!(orders["pageInfo"]["hasNextPage"], true, "{first:#}");

    // As the query's comment says: the end cursor as `after` gives the next page.
    let after = &orders["pageInfo"]["endCursor"];
    let second = app.graphql(query, json!({ "after": after })).await;
    let next = data(&second)["orders"]["nodes"][0]["number"].clone();
    assert!(next.is_string(), "{second:#}");
    assert!(nodes.iter().all(|o| o["number"] != next));
}

/// Runs `clients/browser.mjs` against a seeded app; returns its stdout.
async fn drive_graphiql(app: &TestApp, screenshot: &str) -> String {
    node_module("playwright-core");
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: `apt-get install chromium chromium-driver` (.ci/run does it)"
    );
    ordergraph::seed::seed(&app.db, "demo", 30, 30, false)
        .await
        .unwrap();
    let path = clients_dir().join("artifacts").join(screenshot);
    let _ = std::fs::remove_file(&path);

    let mut command = node("clients/browser.mjs");
    command.arg(&app.address).arg(screenshot);
    let output = run(command, Duration::from_secs(180)).await;

    assert_success("node clients/browser.mjs", &output);
    let out = stdout(&output);
    assert!(out.contains("browser: all checks passed"), "{out}");
    assert!(out.contains(", 0 not on this machine"), "{out}");
    let png = std::fs::read(&path).expect("the screenshot is kept");
    assert!(png.starts_with(b"\x89PNG"), "{} is no PNG", path.display());
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_runs_the_default_query_in_headless_chromium_without_leaving_the_machine() {
    let app = spawn_app(Backend::Sqlite).await;

    let out = drive_graphiql(&app, "graphiql.png").await;

    assert!(out.contains(" /graphql"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_follows_the_configured_endpoint_path() {
    let app = spawn_app_with(Backend::Sqlite, |settings| {
        settings.graphql_path = "/api/v1/graphql".to_owned();
    })
    .await;

    let out = drive_graphiql(&app, "graphiql-api-v1.png").await;

    let requested = out
        .lines()
        .find(|l| l.starts_with("requested: "))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(requested.contains(" /api/v1/graphql"), "{requested}");
    assert!(!requested.contains(" /graphql"), "{requested}");
}

// ------------------------------------------------- README examples beyond GraphQL

/// The body of the first fenced block in `lang` under README's `## section`.
fn readme_block(section: &str, lang: &str) -> String {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README.md");
    let heading = format!("\n## {section}\n");
    let start = readme
        .find(&heading)
        .unwrap_or_else(|| panic!("README.md has no section {section:?}"));
    let rest = &readme[start + heading.len()..];
    let rest = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
    let fence = format!("\n```{lang}\n");
    let open = rest
        .find(&fence)
        .unwrap_or_else(|| panic!("README.md's {section:?} has no ```{lang} block"));
    let body = &rest[open + fence.len()..];
    body[..body.find("\n```").expect("closing fence") + 1].to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_playground_query_is_the_one_graphiql_opens_with() {
    let app = spawn_app(Backend::Sqlite).await;
    let config = graphiql_config(&app).await;
    let served: String = config["defaultQuery"]
        .as_str()
        .expect("defaultQuery")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();

    assert_eq!(readme_block("Playground", "graphql"), served);
    assert_eq!(config["endpoint"], "/graphql");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_auth_example_runs_with_curl() {
    let app = spawn_app(Backend::Sqlite).await;
    crate::helpers::create_channel(&app, &app.key, "web").await;
    let script = readme_block("Auth", "sh")
        .replace("http://127.0.0.1:8080", &app.address)
        .replace("og_…", &app.key);

    let mut command = tokio::process::Command::new("sh");
    command.arg("-c").arg(&script);
    let output = run(command, Duration::from_secs(60)).await;

    assert_success("README's Auth example (sh, curl)", &output);
    let out = stdout(&output);
    assert!(
        out.contains(r#"{"data":{"channels":{"nodes":[{"code":"web","name":"Channel web"}]}}"#),
        "{out}"
    );
    assert!(out.contains(r#""code":"UNAUTHENTICATED""#), "{out}");
    assert!(out.trim_end().ends_with("HTTP 401"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_pagination_walk_sees_every_order_once() {
    let app = spawn_app(Backend::Sqlite).await;
    ordergraph::seed::seed(&app.db, "demo", 250, 250, false)
        .await
        .unwrap();
    let dir = tempfile::tempdir().expect("temp dir");
    let script = dir.path().join("walk.mjs");
    std::fs::write(&script, readme_block("Pagination", "js")).expect("walk.mjs");

    let mut command = tokio::process::Command::new("node");
    command
        .arg(&script)
        .env("ORDERGRAPH_URL", format!("{}/graphql", app.address))
        .env("ORDERGRAPH_KEY", &app.key);
    let output = run(command, Duration::from_secs(60)).await;

    assert_success("README's Pagination walk (node walk.mjs)", &output);
    assert_eq!(stdout(&output).trim(), "250 orders");
}
