//! `currencies`: every active ISO 4217 currency, reachable page by page in both directions.

use std::collections::HashSet;

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{data, spawn_app, Backend, TestApp};

/// Active ISO 4217 currencies with a numeric minor unit (List One, 2026-01-01).
const CURRENCY_COUNT: usize = 165;

const FORWARD: &str = "query($after: String) {
  currencies(first: 100, after: $after) {
    totalCount
    nodes { id code name exponent symbol }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}";

const BACKWARD: &str = "query($before: String) {
  currencies(last: 100, before: $before) {
    totalCount
    nodes { id code name exponent symbol }
    pageInfo { hasNextPage hasPreviousPage startCursor }
  }
}";

/// Every currency, walking forward with `first: 100`; checks the page info on the way.
async fn walk_forward(app: &TestApp) -> Vec<Value> {
    let mut seen = Vec::new();
    let mut after = Value::Null;
    for page in 0.. {
        assert!(page < 10, "the walk does not end");
        let response = app.graphql(FORWARD, json!({ "after": after })).await;
        let connection = &data(&response)["currencies"];
        assert_eq!(connection["totalCount"], CURRENCY_COUNT);
        assert_eq!(connection["pageInfo"]["hasPreviousPage"], page > 0);
        seen.extend(
            connection["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .cloned(),
        );
        if connection["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
    seen
}

fn codes(currencies: &[Value]) -> Vec<&str> {
    currencies
        .iter()
        .map(|c| c["code"].as_str().expect("code"))
        .collect()
}

async fn walking_forward_visits_every_currency_exactly_once(backend: Backend) {
    let app = spawn_app(backend).await;

    let seen = walk_forward(&app).await;

    let codes = codes(&seen);
    let distinct: HashSet<&str> = codes.iter().copied().collect();
    assert_eq!(codes.len(), CURRENCY_COUNT);
    assert_eq!(distinct.len(), CURRENCY_COUNT, "a currency was repeated");
    let ids: HashSet<&str> = seen.iter().map(|c| c["id"].as_str().expect("id")).collect();
    assert_eq!(ids.len(), CURRENCY_COUNT);
}

async fn well_known_currencies_have_their_iso_exponents_and_symbols(backend: Backend) {
    let app = spawn_app(backend).await;

    let seen = walk_forward(&app).await;

    let find = |code: &str| {
        seen.iter()
            .find(|c| c["code"] == code)
            .unwrap_or_else(|| panic!("{code} is missing"))
    };
    assert_eq!(find("USD")["exponent"], 2);
    assert_eq!(find("USD")["name"], "US Dollar");
    assert_eq!(find("JPY")["exponent"], 0);
    assert_eq!(find("KWD")["exponent"], 3);
    assert_eq!(find("EUR")["exponent"], 2);
    assert_eq!(find("EUR")["symbol"], "€");
}

async fn walking_backward_yields_the_same_currencies_in_the_same_order(backend: Backend) {
    let app = spawn_app(backend).await;
    let forward = walk_forward(&app).await;

    let mut pages: Vec<Vec<Value>> = Vec::new();
    let mut before = Value::Null;
    for page in 0.. {
        assert!(page < 10, "the walk does not end");
        let response = app.graphql(BACKWARD, json!({ "before": before })).await;
        let connection = &data(&response)["currencies"];
        assert_eq!(connection["totalCount"], CURRENCY_COUNT);
        assert_eq!(connection["pageInfo"]["hasNextPage"], page > 0);
        pages.push(connection["nodes"].as_array().expect("nodes").clone());
        if connection["pageInfo"]["hasPreviousPage"] == false {
            break;
        }
        before = connection["pageInfo"]["startCursor"].clone();
    }

    assert_eq!(pages[0].len(), 100, "the last page is full");
    let backward: Vec<Value> = pages.into_iter().rev().flatten().collect();
    assert_eq!(codes(&backward), codes(&forward));
}

both_backends!(
    walking_forward_visits_every_currency_exactly_once,
    well_known_currencies_have_their_iso_exponents_and_symbols,
    walking_backward_yields_the_same_currencies_in_the_same_order,
);
