//! Customers: emails unique per tenant in any letter case, filters that treat
//! the caller's text literally, partial updates; a refused write writes nothing.

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{create_customer, data, spawn_app, Backend, TestApp};

const CREATE: &str = "mutation($input: CustomerInput!) {
  createCustomer(input: $input) {
    customer { id email firstName lastName phone createdAt updatedAt }
    userErrors { field message code }
  }
}";

const UPDATE: &str = "mutation($id: ID!, $input: UpdateCustomerInput!) {
  updateCustomer(id: $id, input: $input) {
    customer { id email firstName lastName phone }
    userErrors { field message code }
  }
}";

const FILTERED: &str = "query($filter: CustomerFilter) {
  customers(first: 100, filter: $filter) { totalCount nodes { id email firstName lastName phone } }
}";

const ONE: &str = "query($id: ID!) { customer(id: $id) { id email firstName lastName phone } }";

async fn customers(app: &TestApp, filter: Value) -> Value {
    let response = app.graphql(FILTERED, json!({ "filter": filter })).await;
    data(&response)["customers"].clone()
}

/// The emails of a filtered list, in list order; checks that `totalCount` agrees.
async fn emails(app: &TestApp, filter: Value) -> Vec<String> {
    let connection = customers(app, filter.clone()).await;
    let emails: Vec<String> = connection["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|c| c["email"].as_str().expect("email").to_owned())
        .collect();
    assert_eq!(connection["totalCount"], emails.len(), "{filter}");
    emails
}

/// `(field, code)` of each user error of a payload.
fn user_errors(payload: &Value) -> Vec<(Value, String)> {
    payload["userErrors"]
        .as_array()
        .expect("userErrors")
        .iter()
        .map(|e| {
            assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{e}");
            (
                e["field"].clone(),
                e["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect()
}

async fn create(app: &TestApp, input: Value) -> String {
    let response = app.graphql(CREATE, json!({ "input": input })).await;
    let payload = &data(&response)["createCustomer"];
    assert_eq!(payload["userErrors"], json!([]), "{input}");
    payload["customer"]["id"].as_str().expect("id").to_owned()
}

async fn create_customer_returns_the_customer_as_written(backend: Backend) {
    let app = spawn_app(backend).await;

    let response = app
        .graphql(
            CREATE,
            json!({ "input": {
                "email": "Ada.Lovelace@Example.com",
                "firstName": "Ada",
                "lastName": "Lovelace",
                "phone": "+44 20 7946 0000",
            }}),
        )
        .await;

    let payload = &data(&response)["createCustomer"];
    assert_eq!(payload["userErrors"], json!([]));
    let customer = &payload["customer"];
    assert_eq!(
        customer["email"], "Ada.Lovelace@Example.com",
        "the case is kept"
    );
    assert_eq!(customer["firstName"], "Ada");
    assert_eq!(customer["lastName"], "Lovelace");
    assert_eq!(customer["phone"], "+44 20 7946 0000");
    assert!(customer["createdAt"].as_str().is_some());
    let read = app.graphql(ONE, json!({ "id": customer["id"] })).await;
    assert_eq!(data(&read)["customer"]["email"], "Ada.Lovelace@Example.com");
}

async fn an_email_differing_only_in_case_is_a_duplicate_and_writes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    create_customer(&app, &app.key, "alice@example.com").await;

    let response = app
        .graphql(
            CREATE,
            json!({ "input": { "email": "ALICE@Example.COM", "firstName": "Eve" } }),
        )
        .await;

    let payload = &data(&response)["createCustomer"];
    assert_eq!(payload["customer"], Value::Null);
    assert_eq!(
        user_errors(payload),
        vec![(json!(["input", "email"]), "DUPLICATE".to_owned())]
    );
    let listed = customers(&app, Value::Null).await;
    assert_eq!(listed["totalCount"], 1);
    assert_eq!(listed["nodes"][0]["email"], "alice@example.com");
    assert_eq!(listed["nodes"][0]["firstName"], Value::Null);
}

async fn the_same_email_in_another_tenant_is_accepted(backend: Backend) {
    let app = spawn_app(backend).await;
    let other = app.key_for("other").await;
    create_customer(&app, &app.key, "alice@example.com").await;

    create_customer(&app, &other, "alice@example.com").await;

    assert_eq!(customers(&app, Value::Null).await["totalCount"], 1);
}

async fn an_invalid_email_is_a_user_error_and_writes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let cases = [
        ("", "REQUIRED"),
        ("   ", "REQUIRED"),
        ("not-an-email", "INVALID"),
        ("alice@localhost", "INVALID"),
        ("@example.com", "INVALID"),
        ("alice@@example.com", "INVALID"),
        ("alice smith@example.com", "INVALID"),
    ];

    for (email, code) in cases {
        let response = app
            .graphql(CREATE, json!({ "input": { "email": email } }))
            .await;

        let payload = &data(&response)["createCustomer"];
        assert_eq!(payload["customer"], Value::Null, "{email:?}");
        assert_eq!(
            user_errors(payload),
            vec![(json!(["input", "email"]), code.to_owned())],
            "{email:?}"
        );
    }
    assert_eq!(customers(&app, Value::Null).await["totalCount"], 0);
}

async fn the_email_filter_matches_regardless_of_case(backend: Backend) {
    let app = spawn_app(backend).await;
    create_customer(&app, &app.key, "alice@example.com").await;
    create_customer(&app, &app.key, "Bob@Example.com").await;

    let alice = emails(&app, json!({ "email": { "eq": "ALICE@example.com" } })).await;
    let bob = emails(&app, json!({ "email": { "eq": "bob@example.COM" } })).await;
    let both = emails(&app, json!({ "email": { "in": ["BOB@EXAMPLE.COM", "alice@EXAMPLE.com", "nobody@example.com"] } })).await;
    let prefix = emails(&app, json!({ "email": { "startsWith": "BO" } })).await;

    assert_eq!(alice, vec!["alice@example.com"]);
    assert_eq!(bob, vec!["Bob@Example.com"]);
    assert_eq!(both, vec!["alice@example.com", "Bob@Example.com"]);
    assert_eq!(prefix, vec!["Bob@Example.com"]);
}

async fn starts_with_and_contains_treat_percent_and_underscore_literally(backend: Backend) {
    let app = spawn_app(backend).await;
    for email in [
        "under_score@example.com",
        "underxscore@example.com",
        "fifty%off@example.com",
        "fiftyoff@example.com",
        "fifty-percent-off@example.com",
        "back\\slash@example.com",
        "backxslash@example.com",
    ] {
        create_customer(&app, &app.key, email).await;
    }
    let cases = [
        (
            json!({ "startsWith": "under_" }),
            vec!["under_score@example.com"],
        ),
        (json!({ "startsWith": "_" }), vec![]),
        (
            json!({ "startsWith": "fifty%" }),
            vec!["fifty%off@example.com"],
        ),
        (json!({ "startsWith": "%" }), vec![]),
        (
            json!({ "contains": "r_s" }),
            vec!["under_score@example.com"],
        ),
        (json!({ "contains": "_" }), vec!["under_score@example.com"]),
        (json!({ "contains": "y%o" }), vec!["fifty%off@example.com"]),
        (json!({ "contains": "%" }), vec!["fifty%off@example.com"]),
        (
            json!({ "contains": "k\\s" }),
            vec!["back\\slash@example.com"],
        ),
        (
            json!({ "startsWith": "back\\" }),
            vec!["back\\slash@example.com"],
        ),
    ];

    for (condition, expected) in cases {
        let found = emails(&app, json!({ "email": condition })).await;

        assert_eq!(found, expected, "{condition}");
    }
}

async fn search_matches_email_and_names_regardless_of_case(backend: Backend) {
    let app = spawn_app(backend).await;
    create(
        &app,
        json!({ "email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace" }),
    )
    .await;
    create(
        &app,
        json!({ "email": "grace@example.com", "firstName": "Grace", "lastName": "Hopper" }),
    )
    .await;
    create(
        &app,
        json!({ "email": "alan@turing.org", "firstName": "Alan", "lastName": "Turing" }),
    )
    .await;
    create(
        &app,
        json!({ "email": "x@y.org", "firstName": "Ken", "lastName": "Thompson" }),
    )
    .await;
    let cases = [
        ("LOVE", vec!["ada@example.com"]),
        ("hop", vec!["grace@example.com"]),
        ("gRaCe", vec!["grace@example.com"]),
        ("TURING", vec!["alan@turing.org"]),
        ("EXAMPLE.COM", vec!["ada@example.com", "grace@example.com"]),
        ("ken", vec!["x@y.org"]),
        ("%", vec![]),
        ("_", vec![]),
        ("nobody", vec![]),
    ];

    for (search, expected) in cases {
        let found = emails(&app, json!({ "search": search })).await;

        assert_eq!(found, expected, "{search:?}");
    }
}

async fn customer_by_id_returns_the_customer(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = create(
        &app,
        json!({ "email": "ada@example.com", "firstName": "Ada" }),
    )
    .await;
    create_customer(&app, &app.key, "grace@example.com").await;

    let response = app.graphql(ONE, json!({ "id": id })).await;

    assert_eq!(
        data(&response)["customer"],
        json!({ "id": id, "email": "ada@example.com", "firstName": "Ada", "lastName": null, "phone": null })
    );
}

async fn an_update_keeps_fields_left_out_and_null_clears_them(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = create(
        &app,
        json!({ "email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace", "phone": "+44 1" }),
    )
    .await;

    let response = app
        .graphql(
            UPDATE,
            json!({ "id": id, "input": { "lastName": "King", "phone": null } }),
        )
        .await;

    let payload = &data(&response)["updateCustomer"];
    assert_eq!(payload["userErrors"], json!([]));
    let expected = json!({
        "id": id,
        "email": "ada@example.com",
        "firstName": "Ada",
        "lastName": "King",
        "phone": null,
    });
    assert_eq!(payload["customer"], expected);
    let read = app.graphql(ONE, json!({ "id": id })).await;
    assert_eq!(data(&read)["customer"], expected);
}

async fn null_on_the_email_is_required_and_writes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = create(
        &app,
        json!({ "email": "ada@example.com", "firstName": "Ada" }),
    )
    .await;

    let response = app
        .graphql(
            UPDATE,
            json!({ "id": id, "input": { "email": null, "firstName": "Augusta" } }),
        )
        .await;

    let payload = &data(&response)["updateCustomer"];
    assert_eq!(payload["customer"], Value::Null);
    assert_eq!(
        user_errors(payload),
        vec![(json!(["input", "email"]), "REQUIRED".to_owned())]
    );
    let read = app.graphql(ONE, json!({ "id": id })).await;
    assert_eq!(data(&read)["customer"]["email"], "ada@example.com");
    assert_eq!(data(&read)["customer"]["firstName"], "Ada");
}

async fn changing_the_email_to_another_customers_in_other_case_is_a_duplicate(backend: Backend) {
    let app = spawn_app(backend).await;
    create_customer(&app, &app.key, "ada@example.com").await;
    let id = create_customer(&app, &app.key, "grace@example.com").await;

    let response = app
        .graphql(
            UPDATE,
            json!({ "id": id, "input": { "email": "ADA@example.com" } }),
        )
        .await;

    assert_eq!(
        user_errors(&data(&response)["updateCustomer"]),
        vec![(json!(["input", "email"]), "DUPLICATE".to_owned())]
    );
    let read = app.graphql(ONE, json!({ "id": id })).await;
    assert_eq!(data(&read)["customer"]["email"], "grace@example.com");
}

async fn changing_only_the_case_of_the_own_email_is_allowed(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = create_customer(&app, &app.key, "ada@example.com").await;

    let response = app
        .graphql(
            UPDATE,
            json!({ "id": id, "input": { "email": "Ada@Example.com" } }),
        )
        .await;

    let payload = &data(&response)["updateCustomer"];
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(payload["customer"]["email"], "Ada@Example.com");
    assert_eq!(
        emails(&app, json!({ "email": { "eq": "ADA@EXAMPLE.COM" } })).await,
        vec!["Ada@Example.com"]
    );
}

async fn updating_another_tenants_customer_is_not_found_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let other = app.key_for("other").await;
    let theirs = create_customer(&app, &other, "alice@example.com").await;

    let response = app
        .graphql(
            UPDATE,
            json!({ "id": theirs, "input": { "firstName": "Mallory" } }),
        )
        .await;

    let payload = &data(&response)["updateCustomer"];
    assert_eq!(payload["customer"], Value::Null);
    assert_eq!(
        user_errors(payload),
        vec![(json!(["id"]), "NOT_FOUND".to_owned())]
    );
    let read = app.graphql_as(&other, ONE, json!({ "id": theirs })).await;
    assert_eq!(data(&read)["customer"]["firstName"], Value::Null);
}

both_backends!(
    create_customer_returns_the_customer_as_written,
    an_email_differing_only_in_case_is_a_duplicate_and_writes_nothing,
    the_same_email_in_another_tenant_is_accepted,
    an_invalid_email_is_a_user_error_and_writes_nothing,
    the_email_filter_matches_regardless_of_case,
    starts_with_and_contains_treat_percent_and_underscore_literally,
    search_matches_email_and_names_regardless_of_case,
    customer_by_id_returns_the_customer,
    an_update_keeps_fields_left_out_and_null_clears_them,
    null_on_the_email_is_required_and_writes_nothing,
    changing_the_email_to_another_customers_in_other_case_is_a_duplicate,
    changing_only_the_case_of_the_own_email_is_allowed,
    updating_another_tenants_customer_is_not_found_and_changes_nothing,
);
