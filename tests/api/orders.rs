//! The orders connection: keyset walks in every sort, filters against sets
//! computed independently from the rows, cursors bound to sort, filter and tenant.

use std::collections::HashSet;

use entity::order;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{data, error_code, spawn_app, Backend, TestApp};

const PAGE: &str = r#"
query Page($first: Int, $after: String, $last: Int, $before: String, $filter: OrderFilter, $sort: [OrderSort!]) {
  orders(first: $first, after: $after, last: $last, before: $before, filter: $filter, sort: $sort) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id number total status createdAt } }
  }
}"#;

async fn seeded(backend: Backend, orders: u64) -> (TestApp, Vec<order::Model>) {
    let app = spawn_app(backend).await;
    ordergraph::seed::seed(&app.db, "demo", orders, 20, false)
        .await
        .unwrap();
    let rows = order::Entity::find()
        .filter(order::Column::TenantId.eq(1))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len() as u64, orders);
    (app, rows)
}

/// Walks the whole list forward (or backward) and returns the numbers in list order.
async fn walk(app: &TestApp, size: i64, backward: bool, filter: Value, sort: Value) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let vars = if backward {
            json!({ "last": size, "before": cursor, "filter": filter, "sort": sort })
        } else {
            json!({ "first": size, "after": cursor, "filter": filter, "sort": sort })
        };
        let response = app.graphql(PAGE, vars).await;
        let page = &data(&response)["orders"];
        let mut numbers: Vec<String> = page["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["number"].as_str().unwrap().to_owned())
            .collect();
        if backward {
            numbers.reverse();
        }
        seen.extend(numbers);
        let info = &page["pageInfo"];
        let more = if backward {
            &info["hasPreviousPage"]
        } else {
            &info["hasNextPage"]
        };
        if *more != json!(true) {
            break;
        }
        cursor = Some(
            info[if backward { "startCursor" } else { "endCursor" }]
                .as_str()
                .unwrap()
                .to_owned(),
        );
        assert!(seen.len() <= 1000, "the walk does not end");
    }
    if backward {
        seen.reverse();
    }
    seen
}

fn expected_order(
    rows: &[order::Model],
    key: impl Fn(&order::Model) -> i64,
    descending: bool,
) -> Vec<String> {
    let mut rows: Vec<&order::Model> = rows.iter().collect();
    rows.sort_by_key(|r| (key(r), r.id));
    if descending {
        rows.reverse();
    }
    rows.iter().map(|r| r.number.clone()).collect()
}

async fn walks_visit_every_order_once_in_every_sort(backend: Backend) {
    let (app, rows) = seeded(backend, 47).await;
    let sorts: Vec<(Value, Vec<String>)> = vec![
        (
            json!(null),
            expected_order(&rows, |r| r.created_at.timestamp_micros(), true),
        ),
        (
            json!([{ "field": "CREATED_AT", "direction": "ASC" }]),
            expected_order(&rows, |r| r.created_at.timestamp_micros(), false),
        ),
        (
            json!([{ "field": "TOTAL", "direction": "DESC" }]),
            expected_order(&rows, |r| r.total, true),
        ),
        (
            json!([{ "field": "TOTAL", "direction": "ASC" }]),
            expected_order(&rows, |r| r.total, false),
        ),
        (
            json!([{ "field": "NUMBER", "direction": "ASC" }]),
            expected_order(&rows, |r| r.number_seq, false),
        ),
        (
            json!([{ "field": "UPDATED_AT", "direction": "DESC" }]),
            expected_order(&rows, |r| r.updated_at.timestamp_micros(), true),
        ),
    ];
    for (sort, expected) in sorts {
        let forward = walk(&app, 10, false, json!(null), sort.clone()).await;
        assert_eq!(forward, expected, "forward walk, sort {sort}");
        let backward = walk(&app, 7, true, json!(null), sort.clone()).await;
        assert_eq!(backward, expected, "backward walk, sort {sort}");
    }
}

async fn filters_select_exactly_the_expected_orders(backend: Backend) {
    let (app, rows) = seeded(backend, 60).await;
    let threshold = 100 * 10_000; // 100.00 in storage units
    let jpy = entity::currency::Entity::find()
        .filter(entity::currency::Column::Code.eq("JPY"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let cases: Vec<(Value, HashSet<String>)> = vec![
        (
            json!({ "status": { "in": ["PENDING", "PROCESSING"] } }),
            rows.iter()
                .filter(|r| {
                    matches!(
                        r.status,
                        order::OrderStatus::Pending | order::OrderStatus::Processing
                    )
                })
                .map(|r| r.number.clone())
                .collect(),
        ),
        (
            json!({ "status": { "notIn": ["DELIVERED"] }, "total": { "gt": "100.00" } }),
            rows.iter()
                .filter(|r| r.status != order::OrderStatus::Delivered && r.total > threshold)
                .map(|r| r.number.clone())
                .collect(),
        ),
        (
            json!({ "total": { "lte": "100" } }),
            rows.iter()
                .filter(|r| r.total <= threshold)
                .map(|r| r.number.clone())
                .collect(),
        ),
        (
            json!({ "or": [{ "currencyCode": { "eq": "JPY" } }, { "number": { "startsWith": "ORD-00001" } }] }),
            rows.iter()
                .filter(|r| r.number.starts_with("ORD-00001"))
                .map(|r| r.number.clone())
                .chain(
                    rows.iter()
                        .filter(|r| r.currency_id == jpy)
                        .map(|r| r.number.clone()),
                )
                .collect(),
        ),
        (
            json!({ "not": { "channelCode": { "in": ["web-eu", "web-us"] } } }),
            HashSet::new(), // filled below from the channels
        ),
        (json!({ "reference": { "contains": "%" } }), HashSet::new()),
        (json!({ "archived": true }), HashSet::new()),
    ];
    let channels = entity::channel::Entity::find().all(&app.db).await.unwrap();
    let web: HashSet<i64> = channels
        .iter()
        .filter(|c| c.code.starts_with("web-"))
        .map(|c| c.id)
        .collect();
    for (filter, mut expected) in cases {
        if filter.get("not").is_some() {
            expected = rows
                .iter()
                .filter(|r| !web.contains(&r.channel_id))
                .map(|r| r.number.clone())
                .collect();
        }
        let got: Vec<String> = walk(&app, 25, false, filter.clone(), json!(null)).await;
        let got_set: HashSet<String> = got.iter().cloned().collect();
        assert_eq!(got.len(), got_set.len(), "no order twice for {filter}");
        assert_eq!(got_set, expected, "filter {filter}");
        let count = app
            .graphql(PAGE, json!({ "first": 1, "filter": filter }))
            .await;
        assert_eq!(
            data(&count)["orders"]["totalCount"],
            json!(expected.len()),
            "count for {filter}"
        );
    }
}

async fn cursors_only_work_with_their_own_sort_filter_and_tenant(backend: Backend) {
    let (app, _) = seeded(backend, 12).await;
    let first = app.graphql(PAGE, json!({ "first": 3 })).await;
    let cursor = data(&first)["orders"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let other_key = app.key_for("other").await;
    let mut tampered = cursor.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    for (vars, key) in [
        (json!({ "first": 3, "after": "garbage" }), &app.key),
        (json!({ "first": 3, "after": tampered }), &app.key),
        (
            json!({ "first": 3, "after": cursor, "sort": [{ "field": "TOTAL", "direction": "ASC" }] }),
            &app.key,
        ),
        (
            json!({ "first": 3, "after": cursor, "filter": { "status": { "eq": "PENDING" } } }),
            &app.key,
        ),
        (json!({ "first": 3, "after": cursor }), &other_key),
    ] {
        let response = app.graphql_as(key, PAGE, vars.clone()).await;
        assert_eq!(error_code(&response), "BAD_CURSOR", "{vars}");
    }
    let ok = app
        .graphql(PAGE, json!({ "first": 3, "after": cursor }))
        .await;
    assert_eq!(data(&ok)["orders"]["edges"].as_array().unwrap().len(), 3);
}

async fn another_tenant_sees_none_of_the_orders(backend: Backend) {
    let (app, rows) = seeded(backend, 5).await;
    let other = app.key_for("other").await;
    let list = app.graphql_as(&other, PAGE, json!({ "first": 10 })).await;
    assert_eq!(data(&list)["orders"]["totalCount"], 0);
    assert_eq!(data(&list)["orders"]["edges"], json!([]));
    let id = ordergraph::graphql::ids::encode(ordergraph::graphql::ids::Kind::Order, rows[0].id);
    let lookup = app
        .graphql_as(
            &other,
            "query($id: ID!, $n: String!) { order(id: $id) { id } node(id: $id) { id } orderByNumber(number: $n) { id } }",
            json!({ "id": id.0, "n": rows[0].number }),
        )
        .await;
    assert_eq!(
        data(&lookup),
        &json!({ "order": null, "node": null, "orderByNumber": null })
    );
    let own = app
        .graphql(
            "query($n: String!) { orderByNumber(number: $n) { number items { sku } } }",
            json!({ "n": rows[0].number }),
        )
        .await;
    assert_eq!(data(&own)["orderByNumber"]["number"], json!(rows[0].number));
}

both_backends!(
    walks_visit_every_order_once_in_every_sort,
    filters_select_exactly_the_expected_orders,
    cursors_only_work_with_their_own_sort_filter_and_tenant,
    another_tenant_sees_none_of_the_orders,
);
