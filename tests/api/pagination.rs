//! Relay pagination of `channels` and `customers`: keyset walks in both
//! directions, page-size limits, and tamper-evident cursors (`BAD_CURSOR`).

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{
    create_channel, create_customer, data, error_code, graphql_status, spawn_app, Backend, TestApp,
};

/// A tenant-scoped list under test.
#[derive(Clone, Copy, Debug)]
enum List {
    Channels,
    Customers,
}

impl List {
    fn field(self) -> &'static str {
        match self {
            List::Channels => "channels",
            List::Customers => "customers",
        }
    }

    /// Creates the `n`th row of the list and returns its ID.
    async fn create(self, app: &TestApp, n: usize) -> String {
        match self {
            List::Channels => create_channel(app, &app.key, &format!("channel-{n}")).await,
            List::Customers => {
                create_customer(app, &app.key, &format!("customer{n}@example.com")).await
            }
        }
    }

    /// Creates `n` rows; returns their IDs in creation order.
    async fn seed(self, app: &TestApp, n: usize) -> Vec<String> {
        let mut ids = Vec::new();
        for i in 1..=n {
            ids.push(self.create(app, i).await);
        }
        ids
    }

    /// One page; `args` is the argument list, such as `first: 2, after: $cursor`.
    async fn page(self, app: &TestApp, args: &str, cursor: &Value) -> Value {
        let declaration = if args.contains("$cursor") {
            "($cursor: String)"
        } else {
            ""
        };
        let query = format!(
            "query{declaration} {{ {}({args}) {{
               totalCount
               edges {{ cursor node {{ id }} }}
               nodes {{ id }}
               pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
             }} }}",
            self.field()
        );
        let response = app.graphql(&query, json!({ "cursor": cursor })).await;
        data(&response)[self.field()].clone()
    }
}

fn ids(page: &Value) -> Vec<String> {
    page["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["id"].as_str().expect("id").to_owned())
        .collect()
}

/// `(ids, hasPreviousPage, hasNextPage)` of a page, after checking that edges,
/// nodes and the start and end cursors agree.
fn summary(page: &Value) -> (Vec<String>, bool, bool) {
    let edges = page["edges"].as_array().expect("edges");
    let edge_ids: Vec<String> = edges
        .iter()
        .map(|e| e["node"]["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(edge_ids, ids(page));
    assert_eq!(
        page["pageInfo"]["startCursor"],
        edges.first().map_or(Value::Null, |e| e["cursor"].clone())
    );
    assert_eq!(
        page["pageInfo"]["endCursor"],
        edges.last().map_or(Value::Null, |e| e["cursor"].clone())
    );
    (
        ids(page),
        page["pageInfo"]["hasPreviousPage"]
            .as_bool()
            .expect("hasPreviousPage"),
        page["pageInfo"]["hasNextPage"]
            .as_bool()
            .expect("hasNextPage"),
    )
}

async fn walk_forward(list: List, backend: Backend) {
    let app = spawn_app(backend).await;
    let created = list.seed(&app, 7).await;

    let mut pages = Vec::new();
    let mut cursor = Value::Null;
    loop {
        let page = list.page(&app, "first: 2, after: $cursor", &cursor).await;
        assert_eq!(page["totalCount"], 7);
        let (ids, previous, next) = summary(&page);
        pages.push((ids, previous, next));
        if !next {
            break;
        }
        cursor = page["pageInfo"]["endCursor"].clone();
        assert!(pages.len() < 10, "the walk does not end");
    }

    let expected = vec![
        (created[0..2].to_vec(), false, true),
        (created[2..4].to_vec(), true, true),
        (created[4..6].to_vec(), true, true),
        (created[6..7].to_vec(), true, false),
    ];
    assert_eq!(pages, expected);
}

async fn walk_backward(list: List, backend: Backend) {
    let app = spawn_app(backend).await;
    let created = list.seed(&app, 7).await;

    let mut pages = Vec::new();
    let mut cursor = Value::Null;
    loop {
        let page = list.page(&app, "last: 2, before: $cursor", &cursor).await;
        assert_eq!(page["totalCount"], 7);
        let (ids, previous, next) = summary(&page);
        pages.push((ids, previous, next));
        if !previous {
            break;
        }
        cursor = page["pageInfo"]["startCursor"].clone();
        assert!(pages.len() < 10, "the walk does not end");
    }

    let expected = vec![
        (created[5..7].to_vec(), true, false),
        (created[3..5].to_vec(), true, true),
        (created[1..3].to_vec(), true, true),
        (created[0..1].to_vec(), false, true),
    ];
    assert_eq!(pages, expected);
}

async fn a_forward_walk_with_first_2_visits_each_channel_once_in_order(backend: Backend) {
    walk_forward(List::Channels, backend).await;
}

async fn a_forward_walk_with_first_2_visits_each_customer_once_in_order(backend: Backend) {
    walk_forward(List::Customers, backend).await;
}

async fn a_backward_walk_with_last_2_visits_each_channel_once_in_order(backend: Backend) {
    walk_backward(List::Channels, backend).await;
}

async fn a_backward_walk_with_last_2_visits_each_customer_once_in_order(backend: Backend) {
    walk_backward(List::Customers, backend).await;
}

async fn after_and_before_together_give_the_rows_between(backend: Backend) {
    let app = spawn_app(backend).await;
    let created = List::Customers.seed(&app, 7).await;
    let all = List::Customers.page(&app, "first: 7", &Value::Null).await;
    let cursors: Vec<Value> = all["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["cursor"].clone())
        .collect();

    let response = app
        .graphql(
            "query($after: String, $before: String) {
               forward: customers(first: 10, after: $after, before: $before) { nodes { id } }
               backward: customers(last: 10, after: $after, before: $before) { nodes { id } }
             }",
            json!({ "after": cursors[1], "before": cursors[5] }),
        )
        .await;

    let between = json!(created[2..5]
        .iter()
        .map(|id| json!({ "id": id }))
        .collect::<Vec<_>>());
    assert_eq!(data(&response)["forward"]["nodes"], between);
    assert_eq!(data(&response)["backward"]["nodes"], between);
}

async fn rows_created_during_a_walk_are_neither_repeated_nor_skipped(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut created = List::Channels.seed(&app, 3).await;

    let first = List::Channels.page(&app, "first: 2", &Value::Null).await;
    created.push(List::Channels.create(&app, 4).await);
    created.push(List::Channels.create(&app, 5).await);
    let rest = List::Channels
        .page(
            &app,
            "first: 10, after: $cursor",
            &first["pageInfo"]["endCursor"],
        )
        .await;

    let walked: Vec<String> = ids(&first).into_iter().chain(ids(&rest)).collect();
    assert_eq!(walked, created);
    assert_eq!(rest["pageInfo"]["hasNextPage"], false);
}

async fn a_page_size_outside_1_to_100_is_bad_user_input_with_http_200(backend: Backend) {
    let app = spawn_app(backend).await;
    List::Channels.seed(&app, 1).await;
    let mut cases = Vec::new();
    for field in ["channels", "customers", "currencies"] {
        for args in [
            "first: 1, last: 1",
            "first: 0",
            "first: 101",
            "last: 0",
            "last: 101",
            "first: -1",
        ] {
            cases.push(format!("{{ {field}({args}) {{ nodes {{ id }} }} }}"));
        }
    }

    for query in cases {
        let (status, body) = graphql_status(&app, &app.key, &query, json!({})).await;

        assert_eq!(status, 200, "{query}");
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{query}");
        assert!(body.get("data").is_some(), "{query}: {body}");
    }
}

async fn the_largest_page_size_is_accepted(backend: Backend) {
    let app = spawn_app(backend).await;

    let response = app
        .graphql("{ currencies(first: 100) { nodes { id } } c2: currencies(last: 100) { nodes { id } } }", json!({}))
        .await;

    assert_eq!(
        data(&response)["currencies"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(100)
    );
    assert_eq!(
        data(&response)["c2"]["nodes"].as_array().map(Vec::len),
        Some(100)
    );
}

/// `query` run with `$cursor` set to `cursor` is `BAD_CURSOR` with HTTP 200.
async fn assert_bad_cursor(app: &TestApp, query: &str, cursor: &str) {
    let (status, body) = graphql_status(app, &app.key, query, json!({ "cursor": cursor })).await;
    assert_eq!(status, 200, "{cursor:?}: {body}");
    assert_eq!(error_code(&body), "BAD_CURSOR", "{cursor:?}: {body}");
    assert!(body.get("data").is_some(), "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        !message.contains("base64") && !message.contains("HMAC"),
        "{message}"
    );
}

async fn garbled_cursors_are_bad_cursors(backend: Backend) {
    let app = spawn_app(backend).await;
    List::Customers.seed(&app, 3).await;
    let query = "query($cursor: String) { customers(first: 2, after: $cursor) { nodes { id } } }";

    for cursor in ["", "garbage", ".", "a.b", "W10.", "bm90IGEgY3Vyc29y", "😀"] {
        assert_bad_cursor(&app, query, cursor).await;
    }
    let before = "query($cursor: String) { customers(last: 2, before: $cursor) { nodes { id } } }";
    assert_bad_cursor(&app, before, "garbage").await;
}

async fn a_cursor_with_any_one_character_changed_is_a_bad_cursor(backend: Backend) {
    let app = spawn_app(backend).await;
    List::Channels.seed(&app, 3).await;
    let page = List::Channels.page(&app, "first: 1", &Value::Null).await;
    let cursor = page["pageInfo"]["endCursor"]
        .as_str()
        .expect("cursor")
        .to_owned();
    let query = "query($cursor: String) { channels(first: 2, after: $cursor) { nodes { id } } }";

    for (i, c) in cursor.char_indices() {
        let replacement = if c == 'A' { 'B' } else { 'A' };
        let mut tampered = cursor.clone();
        tampered.replace_range(i..i + c.len_utf8(), &replacement.to_string());

        assert_bad_cursor(&app, query, &tampered).await;
    }
}

async fn a_customers_cursor_used_under_another_filter_is_a_bad_cursor(backend: Backend) {
    let app = spawn_app(backend).await;
    List::Customers.seed(&app, 4).await;
    let response = app
        .graphql(
            "{ filtered: customers(first: 1, filter: { search: \"example\" }) { pageInfo { endCursor } }
               plain: customers(first: 1) { pageInfo { endCursor } } }",
            json!({}),
        )
        .await;
    let filtered = data(&response)["filtered"]["pageInfo"]["endCursor"]
        .as_str()
        .expect("cursor")
        .to_owned();
    let plain = data(&response)["plain"]["pageInfo"]["endCursor"]
        .as_str()
        .expect("cursor")
        .to_owned();

    let same = "query($cursor: String) { customers(first: 1, after: $cursor, filter: { search: \"example\" }) { nodes { id } } }";
    let accepted = app.graphql(same, json!({ "cursor": filtered })).await;
    assert_eq!(ids(&data(&accepted)["customers"]).len(), 1);

    for (query, cursor) in [
        ("query($cursor: String) { customers(first: 1, after: $cursor) { nodes { id } } }", &filtered),
        ("query($cursor: String) { customers(first: 1, after: $cursor, filter: { search: \"customer\" }) { nodes { id } } }", &filtered),
        ("query($cursor: String) { customers(first: 1, after: $cursor, filter: { email: { contains: \"example\" } }) { nodes { id } } }", &filtered),
        (same, &plain),
    ] {
        assert_bad_cursor(&app, query, cursor).await;
    }
}

async fn a_cursor_of_one_list_is_a_bad_cursor_on_another(backend: Backend) {
    let app = spawn_app(backend).await;
    List::Channels.seed(&app, 3).await;
    List::Customers.seed(&app, 3).await;
    let response = app
        .graphql(
            "{ channels(first: 1) { pageInfo { endCursor } }
               customers(first: 1) { pageInfo { endCursor } }
               currencies(first: 1) { pageInfo { endCursor } } }",
            json!({}),
        )
        .await;
    let cursor = |list: &str| {
        data(&response)[list]["pageInfo"]["endCursor"]
            .as_str()
            .expect("cursor")
            .to_owned()
    };
    let on = |list: &str| {
        format!(
            "query($cursor: String) {{ {list}(first: 1, after: $cursor) {{ nodes {{ id }} }} }}"
        )
    };

    assert_bad_cursor(&app, &on("customers"), &cursor("channels")).await;
    assert_bad_cursor(&app, &on("channels"), &cursor("customers")).await;
    assert_bad_cursor(&app, &on("channels"), &cursor("currencies")).await;
    assert_bad_cursor(&app, &on("currencies"), &cursor("channels")).await;
}

both_backends!(
    a_forward_walk_with_first_2_visits_each_channel_once_in_order,
    a_forward_walk_with_first_2_visits_each_customer_once_in_order,
    a_backward_walk_with_last_2_visits_each_channel_once_in_order,
    a_backward_walk_with_last_2_visits_each_customer_once_in_order,
    after_and_before_together_give_the_rows_between,
    rows_created_during_a_walk_are_neither_repeated_nor_skipped,
    a_page_size_outside_1_to_100_is_bad_user_input_with_http_200,
    the_largest_page_size_is_accepted,
    garbled_cursors_are_bad_cursors,
    a_cursor_with_any_one_character_changed_is_a_bad_cursor,
    a_customers_cursor_used_under_another_filter_is_a_bad_cursor,
    a_cursor_of_one_list_is_a_bad_cursor_on_another,
);
