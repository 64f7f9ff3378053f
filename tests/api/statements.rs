//! Nested fields load through per-request DataLoaders: a page of 100 orders
//! with items, customer, channel and currency costs what a page of 10 costs.

use serde_json::json;

use crate::both_backends;
use crate::helpers::{data, spawn_app, Backend, TestApp};

const LIST: &str = r#"
query($first: Int!) {
  orders(first: $first) {
    pageInfo { hasNextPage endCursor }
    nodes {
      number total
      currency { code exponent }
      customer { email }
      channel { code }
      items { sku quantity total }
    }
  }
}"#;

/// `ordergraph_db_statements_total` summed over outcomes, read from `/metrics`.
pub(crate) async fn statements(app: &TestApp) -> u64 {
    let text = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .filter(|l| l.starts_with("ordergraph_db_statements_total{"))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<u64>().unwrap())
        .sum()
}

async fn statements_of(app: &TestApp, first: i64) -> u64 {
    let before = statements(app).await;
    let response = app.graphql(LIST, json!({ "first": first })).await;
    let nodes = data(&response)["orders"]["nodes"].as_array().unwrap().len();
    assert_eq!(nodes as i64, first);
    statements(app).await - before
}

async fn a_page_of_100_orders_costs_the_statements_of_a_page_of_10(backend: Backend) {
    let app = spawn_app(backend).await;
    ordergraph::seed::seed(&app.db, "demo", 120, 60, false)
        .await
        .unwrap();
    // The first request also reads the API key (then trusted for a few seconds).
    let first = statements_of(&app, 10).await;
    assert!(first <= 5, "{first} statements for the first page");
    let ten = statements_of(&app, 10).await;
    let hundred = statements_of(&app, 100).await;
    // The page with its customers and channels, then one batch of items.
    assert_eq!(ten, hundred, "statements grow with the page size");
    assert_eq!(ten, 2, "{ten} statements for one page");
}

both_backends!(a_page_of_100_orders_costs_the_statements_of_a_page_of_10);

const ONE: &str = r#"
query($id: ID!, $number: String!) {
  byId: order(id: $id) {
    number total
    customer { email }
    channel { code }
    items { sku quantity total }
  }
  byNumber: orderByNumber(number: $number) {
    number
    customer { email }
    channel { code }
    items { sku }
  }
}"#;

async fn one_order_with_its_customer_channel_and_items_is_one_statement(backend: Backend) {
    let app = spawn_app(backend).await;
    ordergraph::seed::seed(&app.db, "demo", 20, 10, false)
        .await
        .unwrap();
    let page = app
        .graphql("{ orders(first: 1) { nodes { id number } } }", json!({}))
        .await;
    let node = &data(&page)["orders"]["nodes"][0];
    let vars = json!({ "id": node["id"], "number": node["number"] });
    let before = statements(&app).await;
    let response = app.graphql(ONE, vars).await;
    let spent = statements(&app).await - before;
    let by_id = &data(&response)["byId"];
    assert_eq!(by_id["number"], node["number"]);
    assert!(by_id["customer"]["email"].is_string() && by_id["channel"]["code"].is_string());
    assert!(!by_id["items"].as_array().unwrap().is_empty());
    assert_eq!(
        data(&response)["byNumber"]["items"]
            .as_array()
            .unwrap()
            .len(),
        by_id["items"].as_array().unwrap().len()
    );
    // One statement per lookup, each with its order's customer, channel and items.
    assert_eq!(spent, 2, "{spent} statements for two lookups");
}

both_backends!(one_order_with_its_customer_channel_and_items_is_one_statement);

/// The server's own connections carry the settings `db::connect` gives them:
/// on PostgreSQL prepared statements keep one generic plan (the order page
/// was planned afresh on every execution otherwise); on SQLite WAL and
/// foreign keys.
async fn server_connections_carry_their_settings(backend: Backend) {
    use sea_orm::{ConnectionTrait, Statement};

    let app = spawn_app(backend).await;
    let db = &app.db;
    let show = |sql: &str| Statement::from_string(db.get_database_backend(), sql.to_owned());
    match backend {
        Backend::Postgres => {
            let row = db
                .query_one_raw(show("SHOW plan_cache_mode"))
                .await
                .unwrap()
                .unwrap();
            let mode: String = row.try_get_by_index(0).unwrap();
            assert_eq!(mode, "force_generic_plan");
        }
        Backend::Sqlite => {
            let row = db
                .query_one_raw(show("PRAGMA journal_mode"))
                .await
                .unwrap()
                .unwrap();
            let mode: String = row.try_get_by_index(0).unwrap();
            assert_eq!(mode, "wal");
            let row = db
                .query_one_raw(show("PRAGMA foreign_keys"))
                .await
                .unwrap()
                .unwrap();
            let on: i32 = row.try_get_by_index(0).unwrap();
            assert_eq!(on, 1);
        }
    }
}

both_backends!(server_connections_carry_their_settings);
