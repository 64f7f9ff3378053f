//! GraphQL over HTTP as a client meets it: content types, `GET`, malformed
//! bodies, status codes by `Accept`, the request limits, `extensions.cost`
//! and the request id, CORS, and graphql-http's conformance audit. Every
//! error answer seen here is checked for leaked internals.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::RequestBuilder;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{spawn_app, Backend, TestApp};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// A query that reads the database and needs nothing arranged.
const CURRENCY: &str = "{ currencies(first: 1) { nodes { code } } }";

/// Text that an error answer must never contain: SQL, driver and crate
/// names, source paths, panic messages, home directories.
const LEAKS: [&str; 7] = [
    "SELECT", "sqlx", "sea_orm", ".rs", "panicked", "/root/", "src/",
];

/// One answer as the client saw it.
struct Reply {
    status: u16,
    headers: HeaderMap,
    text: String,
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("an ASCII header"))
            .unwrap_or("")
    }

    fn content_type(&self) -> &str {
        self.header("content-type")
    }

    /// The body as JSON; the test fails on anything else (plain text included).
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|err| {
            panic!(
                "HTTP {} with a body that is not JSON ({err}): {}",
                self.status, self.text
            )
        })
    }

    /// `extensions.code` of the first error.
    fn code(&self) -> String {
        self.json()["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("HTTP {} with no error code: {}", self.status, self.text))
            .to_owned()
    }

    /// An HTTP error, or a GraphQL answer (or batch) with top-level errors.
    fn is_error(&self) -> bool {
        let has_errors = |v: &Value| v.get("errors").is_some();
        self.status >= 400
            || match serde_json::from_str::<Value>(&self.text) {
                Ok(Value::Array(results)) => results.iter().any(has_errors),
                Ok(result) => has_errors(&result),
                Err(_) => false,
            }
    }
}

/// Sends a request and checks what every answer of this module must hold:
/// an error answer leaks nothing; a successful GraphQL answer carries its
/// cost and the request id.
async fn send(request: RequestBuilder) -> Reply {
    let response = request
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .expect("request sent");
    let reply = Reply {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        text: response.text().await.expect("body read"),
    };
    if reply.is_error() {
        assert_leaks_nothing(&reply);
    } else if reply.status == 200 && reply.content_type().contains("json") {
        match reply.json() {
            Value::Array(results) => {
                for result in &results {
                    assert_cost_and_request_id(result, &reply);
                }
            }
            result => assert_cost_and_request_id(&result, &reply),
        }
    }
    reply
}

fn assert_leaks_nothing(reply: &Reply) {
    for leak in LEAKS {
        assert!(
            !reply.text.contains(leak),
            "an error answer (HTTP {}) contains {leak:?}: {}",
            reply.status,
            reply.text
        );
    }
}

/// `extensions.cost { requested limit }` and `extensions.requestId` (the
/// `x-request-id` response header) on a successful result.
fn assert_cost_and_request_id(result: &Value, reply: &Reply) {
    let extensions = &result["extensions"];
    assert!(
        extensions["cost"]["requested"].is_u64(),
        "no numeric extensions.cost.requested: {result:#}"
    );
    assert_eq!(extensions["cost"]["limit"], 5000, "{result:#}");
    let header = reply.header("x-request-id");
    assert!(!header.is_empty(), "no x-request-id header");
    assert_eq!(extensions["requestId"], header, "{result:#}");
}

fn url(app: &TestApp) -> String {
    format!("{}/graphql", app.address)
}

/// `POST /graphql` with the key and a JSON body.
fn post(app: &TestApp, body: &Value) -> RequestBuilder {
    app.client
        .post(url(app))
        .bearer_auth(&app.key)
        .header("content-type", JSON)
        .body(body.to_string())
}

/// `POST /graphql` of one query with the given `Accept`.
async fn post_query(app: &TestApp, accept: &str, query: &str) -> Reply {
    send(post(app, &json!({ "query": query })).header("accept", accept)).await
}

/// `GET /graphql` with the key and the given query-string pairs.
async fn get(app: &TestApp, pairs: &[(&str, &str)]) -> Reply {
    send(app.client.get(url(app)).bearer_auth(&app.key).query(pairs)).await
}

/// The answer is an error of the given status and code, in a JSON body.
fn assert_error(reply: &Reply, status: u16, code: &str, what: &str) {
    assert_eq!(reply.status, status, "{what}: {}", reply.text);
    assert!(
        reply.content_type().starts_with(JSON)
            || reply.content_type().starts_with(GRAPHQL_RESPONSE),
        "{what}: content type {:?}, body {}",
        reply.content_type(),
        reply.text
    );
    assert_eq!(reply.code(), code, "{what}: {}", reply.text);
}

/// A request that cannot be executed: 400 under
/// `application/graphql-response+json`, 200 under `application/json`, each
/// with its own content type and the code.
async fn assert_not_executable(app: &TestApp, query: &str, code: &str) {
    let reply = post_query(app, GRAPHQL_RESPONSE, query).await;
    assert_error(&reply, 400, code, GRAPHQL_RESPONSE);
    assert!(
        reply.content_type().starts_with(GRAPHQL_RESPONSE),
        "content type {:?}",
        reply.content_type()
    );

    let reply = post_query(app, JSON, query).await;
    assert_error(&reply, 200, code, JSON);
    assert!(
        reply.content_type().starts_with(JSON),
        "content type {:?}",
        reply.content_type()
    );
}

/// The `data` of an answer that must be a success.
fn data(reply: &Reply) -> Value {
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
    body["data"].clone()
}

// --- Content types --------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_that_is_not_json_is_an_unsupported_media_type() {
    let app = spawn_app(Backend::Sqlite).await;
    let body = json!({ "query": CURRENCY }).to_string();

    for content_type in [
        None,
        Some("text/plain"),
        Some("text/plain; charset=utf-8"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=ordergraph"),
    ] {
        let mut request = app
            .client
            .post(url(&app))
            .bearer_auth(&app.key)
            .body(body.clone());
        if let Some(value) = content_type {
            request = request.header("content-type", value);
        }

        let reply = send(request).await;

        assert_error(&reply, 415, "BAD_REQUEST", &format!("{content_type:?}"));
    }
}

async fn a_json_post_with_a_charset_is_served(backend: Backend) {
    let app = spawn_app(backend).await;

    let reply = send(
        app.client
            .post(url(&app))
            .bearer_auth(&app.key)
            .header("content-type", "application/json; charset=utf-8")
            .body(json!({ "query": CURRENCY }).to_string()),
    )
    .await;

    assert_eq!(data(&reply)["currencies"]["nodes"][0]["code"], "AED");
}

// --- GET ------------------------------------------------------------------

async fn a_get_runs_a_query(backend: Backend) {
    let app = spawn_app(backend).await;

    let reply = get(&app, &[("query", "{currencies(first:1){nodes{code}}}")]).await;

    assert!(reply.content_type().starts_with(JSON));
    assert_eq!(data(&reply)["currencies"]["nodes"][0]["code"], "AED");
}

async fn a_mutation_over_get_is_refused_and_runs_nothing(backend: Backend) {
    let app = spawn_app(backend).await;

    let reply = get(
        &app,
        &[(
            "query",
            r#"mutation { createChannel(input: { code: "by-get", name: "By GET" }) { channel { id } } }"#,
        )],
    )
    .await;

    assert_error(&reply, 405, "BAD_REQUEST", "mutation over GET");
    assert_eq!(reply.header("allow"), "POST");
    let after = send(post(
        &app,
        &json!({ "query": "{ channels(first: 100) { nodes { code } } }" }),
    ))
    .await;
    let codes = data(&after)["channels"]["nodes"].to_string();
    assert!(!codes.contains("by-get"), "the mutation ran: {codes}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_get_with_malformed_variables_is_a_bad_request() {
    let app = spawn_app(Backend::Sqlite).await;

    for variables in ["{not json", "[1, 2]", "\"a string\""] {
        let reply = get(
            &app,
            &[
                ("query", "query($n: Int) { __typename }"),
                ("variables", variables),
            ],
        )
        .await;

        assert_error(&reply, 400, "BAD_REQUEST", variables);
    }
}

// --- Malformed requests ---------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_request_body_is_a_json_bad_request() {
    let app = spawn_app(Backend::Sqlite).await;

    for body in [
        r#"{"query": "{ __typename }""#.to_owned(),
        "not json at all".to_owned(),
        String::new(),
        json!("{ __typename }").to_string(),
        json!(42).to_string(),
        json!({}).to_string(),
        json!({ "operationName": "Q" }).to_string(),
        json!({ "query": 42 }).to_string(),
        json!({ "query": { "text": "{ __typename }" } }).to_string(),
        json!({ "query": ["{ __typename }"] }).to_string(),
        json!({ "query": "{ __typename }", "variables": [] }).to_string(),
        json!({ "query": "{ __typename }", "variables": [1] }).to_string(),
        json!({ "query": "{ __typename }", "variables": "{}" }).to_string(),
    ] {
        for accept in [JSON, GRAPHQL_RESPONSE] {
            let reply = send(
                app.client
                    .post(url(&app))
                    .bearer_auth(&app.key)
                    .header("content-type", JSON)
                    .header("accept", accept)
                    .body(body.clone()),
            )
            .await;

            assert_error(&reply, 400, "BAD_REQUEST", &format!("{body} ({accept})"));
        }
    }
}

// --- Status codes by Accept -----------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_syntax_error_cannot_be_executed() {
    let app = spawn_app(Backend::Sqlite).await;

    assert_not_executable(
        &app,
        "{ currencies(first: 1) { nodes { code }",
        "GRAPHQL_PARSE_FAILED",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_field_cannot_be_executed() {
    let app = spawn_app(Backend::Sqlite).await;

    assert_not_executable(
        &app,
        "{ currencies(first: 1) { nodes { colour } } }",
        "GRAPHQL_VALIDATION_FAILED",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_directive_cannot_be_executed() {
    let app = spawn_app(Backend::Sqlite).await;

    assert_not_executable(&app, "{ __typename @foo }", "GRAPHQL_VALIDATION_FAILED").await;
    assert_not_executable(
        &app,
        "{ currencies(first: 1) { nodes { code @foo(bar: 1) } } }",
        "GRAPHQL_VALIDATION_FAILED",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_accepts_only_html_is_not_acceptable() {
    let app = spawn_app(Backend::Sqlite).await;

    let reply = post_query(&app, "text/html", CURRENCY).await;

    assert_error(&reply, 406, "BAD_REQUEST", "Accept: text/html");
}

async fn errors_raised_while_executing_come_with_200_and_data(backend: Backend) {
    let app = spawn_app(backend).await;

    for (query, code) in [
        ("{ orders(first: 101) { nodes { id } } }", "BAD_USER_INPUT"),
        (
            r#"{ orders(first: 1, after: "bm90LWEtY3Vyc29y!!") { nodes { id } } }"#,
            "BAD_CURSOR",
        ),
    ] {
        for accept in [GRAPHQL_RESPONSE, JSON] {
            let reply = post_query(&app, accept, query).await;

            assert_error(&reply, 200, code, &format!("{query} ({accept})"));
            assert!(
                reply.content_type().starts_with(accept),
                "content type {:?}",
                reply.content_type()
            );
            let body = reply.json();
            assert!(body.get("data").is_some(), "no data entry: {body:#}");
            assert_eq!(body["errors"][0]["path"], json!(["orders"]), "{body:#}");
        }
    }
}

// --- Limits ---------------------------------------------------------------

/// A query `depth` fields deep: `orders { nodes { customer { orders … } } }`.
fn deep_query(depth: usize) -> String {
    const CHAIN: [&str; 3] = ["orders(first: 1)", "nodes", "customer"];
    let mut query = String::from("{ ");
    for level in 0..depth - 1 {
        query.push_str(CHAIN[level % 3]);
        query.push_str(" { ");
    }
    // The leaf: a connection has `totalCount`, an order and a customer `id`.
    query.push_str(if (depth - 1) % 3 == 1 {
        "totalCount"
    } else {
        "id"
    });
    for _ in 0..depth {
        query.push_str(" }");
    }
    query
}

async fn a_query_deeper_than_12_levels_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;

    let reply = post_query(&app, GRAPHQL_RESPONSE, &deep_query(12)).await;
    assert_eq!(data(&reply)["orders"]["nodes"], json!([]));

    assert_not_executable(&app, &deep_query(13), "QUERY_TOO_DEEP").await;
}

/// Runs an introspection query and checks that it answers with the schema.
async fn assert_introspection_passes(app: &TestApp, query: &str) {
    let reply = send(post(
        app,
        &json!({ "query": query, "operationName": "IntrospectionQuery" }),
    ))
    .await;

    let schema = &data(&reply)["__schema"];
    assert_eq!(schema["queryType"]["name"], "Query");
    assert_eq!(schema["mutationType"]["name"], "Mutation");
    let types = schema["types"].as_array().expect("types");
    assert!(
        types.iter().any(|t| t["name"] == "Order"),
        "no Order type in the introspection result"
    );
}

async fn the_standard_introspection_query_passes_the_limits(backend: Backend) {
    let app = spawn_app(backend).await;

    assert_introspection_passes(&app, include_str!("../operations/introspection.graphql")).await;
}

/// The text current graphql-js 16 writes, and the GraphiQL bundle in
/// `vendor/` sends: `TypeRef` nests `ofType` 9 levels.
async fn the_introspection_query_of_current_graphql_js_passes_the_limits(backend: Backend) {
    let app = spawn_app(backend).await;

    assert_introspection_passes(
        &app,
        include_str!("../operations/introspection-graphql-16.15.graphql"),
    )
    .await;
}

async fn a_query_above_the_complexity_limit_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let one = "orders(first: 100) { nodes { items { sku } } }";

    let reply = post_query(&app, GRAPHQL_RESPONSE, &format!("{{ {one} }}")).await;
    assert_eq!(data(&reply)["orders"]["nodes"], json!([]));

    let many: String = (0..5).map(|i| format!("o{i}: {one} ")).collect();
    let query = format!("{{ {many}}}");
    assert_not_executable(&app, &query, "QUERY_TOO_COMPLEX").await;
    let body = post_query(&app, JSON, &query).await.json();
    let requested = body["extensions"]["cost"]["requested"]
        .as_u64()
        .unwrap_or_else(|| panic!("no cost on a refused query: {body:#}"));
    assert!(requested > 5000, "{body:#}");
}

/// `{ a0: __typename a1: __typename … }` with `n` aliases.
fn aliases(n: usize) -> String {
    let fields: String = (0..n).map(|i| format!("a{i}: __typename ")).collect();
    format!("{{ {fields}}}")
}

async fn thirty_aliases_pass_and_thirty_one_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;

    let reply = post_query(&app, GRAPHQL_RESPONSE, &aliases(30)).await;
    assert_eq!(data(&reply)["a29"], "Query");

    assert_not_executable(&app, &aliases(31), "TOO_MANY_ALIASES").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_text_longer_than_15000_characters_is_refused() {
    let app = spawn_app(Backend::Sqlite).await;
    let query = format!("# {}\n{{ __typename }}", "x".repeat(15_000));

    assert_not_executable(&app, &query, "PAYLOAD_TOO_LARGE").await;
}

/// A valid GraphQL request of more than 1 MiB of JSON.
fn oversized_body() -> String {
    json!({
        "query": "query($pad: String) { __typename }",
        "variables": { "pad": "x".repeat(1024 * 1024 + 64 * 1024) },
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_one_mebibyte_is_too_large() {
    let app = spawn_app(Backend::Sqlite).await;
    let body = oversized_body();

    let reply = send(
        app.client
            .post(url(&app))
            .bearer_auth(&app.key)
            .header("content-type", JSON)
            .body(body),
    )
    .await;

    assert_eq!(reply.header("transfer-encoding"), "");
    assert_error(&reply, 413, "PAYLOAD_TOO_LARGE", "with Content-Length");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chunked_body_over_one_mebibyte_is_too_large() {
    let app = spawn_app(Backend::Sqlite).await;
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = oversized_body()
        .into_bytes()
        .chunks(64 * 1024)
        .map(|chunk| Ok(chunk.to_vec()))
        .collect();
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));

    let reply = send(
        app.client
            .post(url(&app))
            .bearer_auth(&app.key)
            .header("content-type", JSON)
            .body(body),
    )
    .await;

    assert_error(
        &reply,
        413,
        "PAYLOAD_TOO_LARGE",
        "chunked, no Content-Length",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_of_more_than_ten_operations_is_refused() {
    let app = spawn_app(Backend::Sqlite).await;
    let batch: Vec<Value> = (0..11)
        .map(|_| json!({ "query": "{ __typename }" }))
        .collect();

    let reply = send(post(&app, &Value::Array(batch))).await;

    assert_error(&reply, 400, "BATCH_TOO_LARGE", "a batch of 11");
}

async fn a_batch_gets_one_result_per_operation(backend: Backend) {
    let app = spawn_app(backend).await;
    let batch = json!([
        { "query": CURRENCY },
        { "query": "query Named { __typename }", "operationName": "Named" },
    ]);

    let reply = send(post(&app, &batch)).await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    let results = reply.json();
    let results = results.as_array().expect("an array of results");
    assert_eq!(results.len(), 2, "{results:#?}");
    assert_eq!(results[0]["data"]["currencies"]["nodes"][0]["code"], "AED");
    assert_eq!(results[1]["data"]["__typename"], "Query");
    assert!(results.iter().all(|r| r.get("errors").is_none()));
}

async fn successful_answers_carry_their_cost_and_request_id(backend: Backend) {
    let app = spawn_app(backend).await;

    // `send` checks cost and request id on every success; these are the
    // request kinds a client uses, plus a request id chosen by the client.
    let posted = post_query(&app, GRAPHQL_RESPONSE, CURRENCY).await;
    let fetched = get(&app, &[("query", CURRENCY)]).await;
    let chosen = send(
        post(&app, &json!({ "query": CURRENCY })).header("x-request-id", "client-chosen-id-1"),
    )
    .await;

    for reply in [&posted, &fetched, &chosen] {
        data(reply);
        assert!(reply.json()["extensions"]["cost"]["requested"].as_u64() > Some(0));
    }
    assert_eq!(chosen.header("x-request-id"), "client-chosen-id-1");
    assert_eq!(
        chosen.json()["extensions"]["requestId"],
        "client-chosen-id-1"
    );
}

// --- CORS -----------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cors_preflight_allows_any_origin_with_the_key_header() {
    let app = spawn_app(Backend::Sqlite).await;

    let reply = send(
        app.client
            .request(reqwest::Method::OPTIONS, url(&app))
            .header("origin", "https://shop.example")
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type",
            ),
    )
    .await;

    assert_eq!(reply.header("access-control-allow-origin"), "*");
    let allowed = reply
        .header("access-control-allow-headers")
        .to_ascii_lowercase();
    assert!(allowed.contains("authorization"), "{allowed}");
    assert!(allowed.contains("content-type"), "{allowed}");
    assert!(
        reply
            .header("access-control-allow-methods")
            .contains("POST"),
        "{:?}",
        reply.headers
    );
    assert_eq!(reply.header("access-control-max-age"), "3600");
    // API.md: "Preflight `OPTIONS` answers 204".
    assert_eq!(
        reply.status, 204,
        "preflight status, headers {:?}",
        reply.headers
    );
}

// --- graphql-http's audit -------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_graphql_http_audit_reports_no_failure() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(
        root.join("clients/node_modules/graphql-http").is_dir(),
        "clients/node_modules is missing: run `(cd clients && npm ci --no-audit --no-fund)` first"
    );
    let app = spawn_app(Backend::Sqlite).await;

    let output = tokio::process::Command::new("node")
        .arg("clients/audit.mjs")
        .arg(url(&app))
        .arg(&app.key)
        .current_dir(root)
        .output()
        .await
        .unwrap_or_else(|err| panic!("`node` could not be started ({err}): install Node.js"));

    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    for line in stdout.lines().filter(|l| !l.starts_with("ok ")) {
        println!("{line}");
    }
    assert!(
        output.status.success(),
        "the audit failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
}

both_backends!(
    a_json_post_with_a_charset_is_served,
    a_get_runs_a_query,
    a_mutation_over_get_is_refused_and_runs_nothing,
    errors_raised_while_executing_come_with_200_and_data,
    a_query_deeper_than_12_levels_is_refused,
    the_standard_introspection_query_passes_the_limits,
    the_introspection_query_of_current_graphql_js_passes_the_limits,
    a_query_above_the_complexity_limit_is_refused,
    thirty_aliases_pass_and_thirty_one_are_refused,
    a_batch_gets_one_result_per_operation,
    successful_answers_carry_their_cost_and_request_id,
);

async fn response_fields_come_in_query_order(backend: Backend) {
    let app = crate::helpers::spawn_app(backend).await;
    ordergraph::seed::seed(&app.db, "demo", 3, 3, false)
        .await
        .unwrap();
    let query = r#"query Ordered {
        last: orders(first: 1) { totalCount ...Info nodes { total number } }
        currencies(first: 1) { totalCount nodes { code } }
    }
    fragment Info on OrderConnection { pageInfo { hasNextPage endCursor } }"#;
    let body = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&app.key)
        .json(&serde_json::json!({ "query": query }))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = |needle: &str| {
        body.find(needle)
            .unwrap_or_else(|| panic!("{needle} in {body}"))
    };
    assert!(at("\"last\"") < at("\"currencies\""), "{body}");
    assert!(at("\"totalCount\"") < at("\"pageInfo\""), "{body}");
    assert!(at("\"pageInfo\"") < at("\"nodes\""), "{body}");
    assert!(at("\"total\":") < at("\"number\""), "{body}");
}

both_backends!(response_fields_come_in_query_order);
