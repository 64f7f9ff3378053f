//! The GraphQL examples in README.md run as written (documentation never rots).

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{data, spawn_app, Backend};

/// The fenced blocks of README.md with their language, in order.
fn blocks() -> Vec<(String, String)> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in readme.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(lang)) => current = Some((lang.trim().to_owned(), String::new())),
            (Some(_), Some(_)) => blocks.push(current.take().unwrap()),
            (Some((_, body)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

fn assert_no_user_errors(value: &Value) {
    match value {
        Value::Object(map) => {
            if let Some(errors) = map.get("userErrors") {
                assert_eq!(errors, &json!([]), "user errors in {value:#}");
            }
            map.values().for_each(assert_no_user_errors);
        }
        Value::Array(items) => items.iter().for_each(assert_no_user_errors),
        _ => {}
    }
}

async fn every_graphql_example_in_the_readme_runs(backend: Backend) {
    let app = spawn_app(backend).await;
    let blocks = blocks();
    let mut ran = 0;
    for (i, (lang, body)) in blocks.iter().enumerate() {
        if lang != "graphql" {
            continue;
        }
        // A JSON block right after an operation holds its variables.
        let variables = match blocks.get(i + 1) {
            Some((next, json)) if next == "json" => serde_json::from_str(json).unwrap(),
            _ => json!({}),
        };
        let response = app.graphql(body, variables).await;
        let data = data(&response);
        assert_no_user_errors(data);
        ran += 1;
    }
    assert!(ran >= 4, "only {ran} GraphQL examples found");
    let orders = app
        .graphql(
            "{ orders { totalCount nodes { total idempotencyKey } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data(&orders)["orders"],
        json!({ "totalCount": 1, "nodes": [{ "total": "44.90", "idempotencyKey": "checkout-7f3a" }] })
    );
}

both_backends!(every_graphql_example_in_the_readme_runs);
