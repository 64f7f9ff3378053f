//! `createOrder` and `createOrders` through HTTP: references in every form,
//! totals checked against an independent exact computation, every refusal a
//! user error on its field that writes nothing, idempotency (also under real
//! concurrency) and the batch error policies.

use std::collections::HashSet;
use std::sync::Arc;

use entity::{currency, order_event};
use ordergraph::graphql::ids::{encode, Kind};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{
    create_channel, create_customer, data, error_code, graphql_status, spawn_app, written, Backend,
    TestApp, Written,
};

/// The order fields every test reads.
macro_rules! order_fields {
    () => {
        "id number reference idempotencyKey status paymentStatus fulfillmentStatus version
         channel { id code } currency { id code exponent }
         customer { id email firstName lastName phone }
         subtotal discountTotal shippingTotal taxTotal total itemsCount
         items { sku name quantity unitPrice subtotal discountTotal taxTotal total }
         events { type actor }"
    };
}

/// The fields of `BulkOrderPayload` the batch tests read.
macro_rules! batch_fields {
    () => {
        "count results { order { id number reference } userErrors { field message code } }"
    };
}

const CREATE: &str = concat!(
    "mutation($input: CreateOrderInput!, $key: String) {
       createOrder(input: $input, idempotencyKey: $key) {
         order { ",
    order_fields!(),
    " }
         userErrors { field message code }
         idempotentReplay
       }
     }"
);

const READ: &str = concat!(
    "query($id: ID!) { order(id: $id) { ",
    order_fields!(),
    " } }"
);

/// `createOrders` with the policy left to its default.
const CREATE_MANY: &str = concat!(
    "mutation($inputs: [CreateOrderInput!]!) { createOrders(inputs: $inputs) { ",
    batch_fields!(),
    " } }"
);

/// `createOrders` with a policy.
const CREATE_MANY_WITH_POLICY: &str = concat!(
    "mutation($inputs: [CreateOrderInput!]!, $policy: BulkErrorPolicy!) {
       createOrders(inputs: $inputs, errorPolicy: $policy) { ",
    batch_fields!(),
    " } }"
);

/// `createOrders` as a client written against API.md declares it: the
/// argument is `errorPolicy: BulkErrorPolicy = REJECT_EVERYTHING` there, so
/// its variable is the nullable `BulkErrorPolicy`, sent only when wanted.
const CREATE_MANY_AS_DOCUMENTED: &str = concat!(
    "mutation($inputs: [CreateOrderInput!]!, $policy: BulkErrorPolicy) {
       createOrders(inputs: $inputs, errorPolicy: $policy) { ",
    batch_fields!(),
    " } }"
);

const CREATE_CUSTOMER: &str = "mutation($input: CustomerInput!) {
  createCustomer(input: $input) { customer { id } userErrors { field code message } }
}";

const CUSTOMER: &str =
    "query($id: ID!) { customer(id: $id) { id email firstName lastName phone } }";

// ---------------------------------------------------------------- builders

/// A line item with a name derived from the SKU.
fn item(sku: &str, quantity: i64, unit_price: impl Into<Value>) -> Value {
    json!({
        "sku": sku,
        "name": format!("Product {sku}"),
        "quantity": quantity,
        "unitPrice": unit_price.into(),
    })
}

/// A USD order on channel `web` for the existing customer `ann@example.com`.
fn input(items: Vec<Value>) -> Value {
    json!({
        "channel": "web",
        "currency": "USD",
        "customer": { "email": "ann@example.com" },
        "items": items,
    })
}

/// The smallest valid order: one item of 10.00.
fn basic() -> Value {
    input(vec![item("SKU-1", 1, "10.00")])
}

/// A JSON path such as `["input", "items", "0", "quantity"]`.
fn path(parts: &[&str]) -> Value {
    json!(parts)
}

/// The app with channel `web` and customer `ann@example.com` in the demo
/// tenant; returns their global IDs too.
async fn arranged(backend: Backend) -> (TestApp, String, String) {
    let app = spawn_app(backend).await;
    let channel = create_channel(&app, &app.key, "web").await;
    let customer = create_customer(&app, &app.key, "ann@example.com").await;
    (app, channel, customer)
}

/// A tenant of its own with channel `web` and customer `ann@example.com`; returns its key.
async fn other_tenant(app: &TestApp) -> String {
    let other = app.key_for("other").await;
    create_channel(app, &other, "web").await;
    create_customer(app, &other, "ann@example.com").await;
    other
}

/// The global ID of a currency, from its row.
async fn currency_id(app: &TestApp, code: &str) -> String {
    let row = currency::Entity::find()
        .filter(currency::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("currency {code}"));
    encode(Kind::Currency, row.id).0
}

// ---------------------------------------------------------------- requests

async fn create_order_as(
    app: &TestApp,
    key: &str,
    input: Value,
    idempotency: Option<&str>,
) -> Value {
    app.graphql_as(key, CREATE, json!({ "input": input, "key": idempotency }))
        .await
}

async fn create_order(app: &TestApp, input: Value, idempotency: Option<&str>) -> Value {
    create_order_as(app, &app.key, input, idempotency).await
}

/// The `createOrder` payload of a response without top-level errors.
fn payload(response: &Value) -> &Value {
    &data(response)["createOrder"]
}

/// The order of a successful `createOrder` response.
fn created(response: &Value) -> &Value {
    let payload = payload(response);
    assert_eq!(payload["userErrors"], json!([]), "{response:#}");
    assert!(payload["order"].is_object(), "{response:#}");
    &payload["order"]
}

async fn create_orders(app: &TestApp, inputs: Vec<Value>, policy: Option<&str>) -> Value {
    match policy {
        Some(policy) => {
            app.graphql(
                CREATE_MANY_WITH_POLICY,
                json!({ "inputs": inputs, "policy": policy }),
            )
            .await
        }
        None => app.graphql(CREATE_MANY, json!({ "inputs": inputs })).await,
    }
}

/// POSTs a request body written by hand (to control key order and whitespace).
async fn post_text(app: &TestApp, body: String) -> Value {
    app.client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&app.key)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// `(field, code)` of each user error; every message must say something.
fn user_errors(payload: &Value) -> Vec<(Value, String)> {
    payload["userErrors"]
        .as_array()
        .unwrap_or_else(|| panic!("no userErrors in {payload:#}"))
        .iter()
        .map(|e| {
            assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{e}");
            (e["field"].clone(), e["code"].as_str().unwrap().to_owned())
        })
        .collect()
}

fn expected_errors(expected: &[(Value, &str)]) -> Vec<(Value, String)> {
    expected
        .iter()
        .map(|(field, code)| (field.clone(), (*code).to_owned()))
        .collect()
}

/// Sends `input` to `createOrder`, expects exactly `expected` user errors (in
/// any order) and no order, and proves by reading back that nothing was written.
async fn assert_refused(app: &TestApp, input: Value, expected: &[(Value, &str)]) -> Value {
    let before = written(app).await;
    let response = create_order(app, input.clone(), None).await;
    let payload = payload(&response).clone();
    assert_eq!(
        payload["order"],
        Value::Null,
        "refused: {input}\n{response:#}"
    );
    assert_eq!(payload["idempotentReplay"], json!(false));
    let mut got = user_errors(&payload);
    let mut want = expected_errors(expected);
    got.sort_by_key(|(f, c)| format!("{f}{c}"));
    want.sort_by_key(|(f, c)| format!("{f}{c}"));
    assert_eq!(got, want, "user errors for {input}\n{response:#}");
    assert_eq!(written(app).await, before, "nothing written for {input}");
    payload
}

/// Asserts a top-level error and no `field` data, that nothing was written
/// since `before`, and (API.md: every top-level error has one) that each
/// error carries an `extensions.code`.
async fn assert_top_level_error(app: &TestApp, response: &Value, field: &str, before: Written) {
    let errors = response["errors"]
        .as_array()
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| panic!("a top-level error expected: {response:#}"));
    assert!(
        response["data"].is_null() || response["data"][field].is_null(),
        "no {field} data expected: {response:#}"
    );
    assert_eq!(written(app).await, before, "nothing written");
    for error in errors {
        assert!(
            error["extensions"]["code"].is_string(),
            "a top-level error without extensions.code: {error:#}"
        );
    }
}

fn number_seq(number: &Value) -> i64 {
    number
        .as_str()
        .and_then(|n| n.strip_prefix("ORD-"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("not an order number: {number}"))
}

// ------------------------------------------------------- 1. references

async fn create_order_finds_channel_currency_and_customer_by_every_kind_of_reference(
    backend: Backend,
) {
    let (app, channel_id, ann_id) = arranged(backend).await;
    let bob = app
        .graphql(
            CREATE_CUSTOMER,
            json!({ "input": { "email": "bob@example.com", "firstName": "Bob", "lastName": "Builder" } }),
        )
        .await;
    let bob_id = data(&bob)["createCustomer"]["customer"]["id"].clone();
    let eur_id = currency_id(&app, "EUR").await;
    let before = written(&app).await;

    let new_customer = create_order(
        &app,
        json!({
            "channel": "web",
            "currency": "USD",
            "customer": { "create": { "email": "Nina@Example.com", "firstName": "Nina" } },
            "items": [item("B-2", 2, "3.50"), item("A-1", 1, "10"), item("C-3", 5, "0.20")],
        }),
        None,
    )
    .await;
    let by_ids = create_order(
        &app,
        json!({
            "channel": channel_id,
            "currency": eur_id,
            "customer": { "email": "ANN@example.COM" },
            "items": [item("X", 1, "1.00")],
        }),
        None,
    )
    .await;
    let by_customer_id = create_order(
        &app,
        json!({
            "channel": "web",
            "currency": "JPY",
            "customer": { "id": ann_id },
            "items": [item("X", 1, "100")],
        }),
        None,
    )
    .await;
    let existing_email = create_order(
        &app,
        json!({
            "channel": "web",
            "currency": "USD",
            "customer": { "create": {
                "email": "BOB@EXAMPLE.com", "firstName": "Robert", "lastName": "Other", "phone": "+1 555 0100",
            } },
            "items": [item("X", 1, "1.00")],
        }),
        None,
    )
    .await;

    let first = created(&new_customer);
    assert_eq!(payload(&new_customer)["idempotentReplay"], json!(false));
    assert_eq!(first["number"], "ORD-000001");
    assert_eq!(first["status"], "PENDING");
    assert_eq!(first["paymentStatus"], "PENDING");
    assert_eq!(first["fulfillmentStatus"], "PENDING");
    assert_eq!(first["version"], 1);
    assert_eq!(first["idempotencyKey"], Value::Null);
    assert_eq!(
        first["events"],
        json!([{ "type": "CREATED", "actor": "demo" }])
    );
    assert_eq!(first["channel"], json!({ "id": channel_id, "code": "web" }));
    assert_eq!(first["currency"]["code"], "USD");
    assert_eq!(first["customer"]["email"], "Nina@Example.com");
    assert_eq!(first["customer"]["firstName"], "Nina");
    let skus: Vec<&Value> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["sku"])
        .collect();
    assert_eq!(skus, ["B-2", "A-1", "C-3"], "items in input order");
    assert_eq!(first["items"][1]["unitPrice"], "10.00");
    assert_eq!(first["itemsCount"], 8);
    assert_eq!(first["total"], "18.00");

    let second = created(&by_ids);
    assert_eq!(second["number"], "ORD-000002");
    assert_eq!(second["channel"]["id"], channel_id.as_str());
    assert_eq!(
        second["currency"],
        json!({ "id": eur_id, "code": "EUR", "exponent": 2 })
    );
    assert_eq!(
        second["customer"]["id"],
        ann_id.as_str(),
        "email matched regardless of case"
    );

    let third = created(&by_customer_id);
    assert_eq!(third["number"], "ORD-000003");
    assert_eq!(third["customer"]["id"], ann_id.as_str());
    assert_eq!(third["currency"]["code"], "JPY");
    assert_eq!(third["total"], "100");

    let fourth = created(&existing_email);
    assert_eq!(fourth["number"], "ORD-000004");
    let unchanged = json!({
        "id": bob_id, "email": "bob@example.com", "firstName": "Bob", "lastName": "Builder", "phone": null,
    });
    assert_eq!(
        fourth["customer"], unchanged,
        "the existing customer is used as it is"
    );
    let bob_now = app.graphql(CUSTOMER, json!({ "id": bob_id })).await;
    assert_eq!(data(&bob_now)["customer"], unchanged);

    assert_eq!(
        written(&app).await,
        Written {
            listed: before.listed + 4,
            orders: before.orders + 4,
            items: before.items + 6,
            events: before.events + 4,
            customers: before.customers + 1,
        },
        "one new customer (Nina), none for Bob's email"
    );
}

// ---------------------------------------------------------------- 2. totals

struct Line {
    sku: &'static str,
    quantity: i64,
    unit_price: &'static str,
    discount: &'static str,
    tax: &'static str,
}

struct TotalsCase {
    currency: &'static str,
    exponent: u32,
    lines: Vec<Line>,
    shipping: &'static str,
    discount: &'static str,
    tax: &'static str,
    /// Worked out by hand, to check the computation below as well.
    total: &'static str,
}

fn line(
    sku: &'static str,
    quantity: i64,
    unit_price: &'static str,
    discount: &'static str,
    tax: &'static str,
) -> Line {
    Line {
        sku,
        quantity,
        unit_price,
        discount,
        tax,
    }
}

fn totals_cases() -> Vec<TotalsCase> {
    vec![
        TotalsCase {
            currency: "USD",
            exponent: 2,
            lines: vec![
                line("B-2", 3, "19.99", "5.00", "1.60"),
                line("A-1", 1, "0.01", "0", "0"),
                line("C-3", 12, "7.5", "0.5", "0.74"),
            ],
            shipping: "4.95",
            discount: "2.10",
            tax: "0.33",
            total: "150.00",
        },
        TotalsCase {
            currency: "JPY",
            exponent: 0,
            lines: vec![
                line("TEA", 2, "1500", "300", "120"),
                line("CANDY", 1, "5", "0", "0"),
                line("BOWL", 7, "980", "0", "686"),
            ],
            shipping: "500",
            discount: "5",
            tax: "0",
            total: "10866",
        },
        TotalsCase {
            currency: "KWD",
            exponent: 3,
            lines: vec![
                line("DATES", 1, "5", "0", "0"),
                line("OIL", 4, "1.250", "0.125", "0.005"),
                line("SALT", 3, "0.333", "0.001", "0.999"),
            ],
            shipping: "2.5",
            discount: "0.005",
            tax: "0.010",
            total: "14.382",
        },
    ]
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// An exact amount written with exactly `exponent` decimals (never rounded).
fn money(amount: Decimal, exponent: u32) -> String {
    assert!(
        amount.normalize().scale() <= exponent,
        "{amount} has more than {exponent} decimals"
    );
    let mut amount = amount;
    amount.rescale(exponent);
    amount.to_string()
}

/// The amounts of an order (and of each item) as the contract defines them,
/// computed with `rust_decimal`.
fn expected_amounts(case: &TotalsCase) -> Value {
    let e = case.exponent;
    let mut subtotal = Decimal::ZERO;
    let mut discount_total = dec(case.discount);
    let mut tax_total = dec(case.tax);
    let mut items = Vec::new();
    for l in &case.lines {
        let item_subtotal = Decimal::from(l.quantity) * dec(l.unit_price);
        let item_total = item_subtotal - dec(l.discount) + dec(l.tax);
        subtotal += item_subtotal;
        discount_total += dec(l.discount);
        tax_total += dec(l.tax);
        items.push(json!({
            "sku": l.sku,
            "quantity": l.quantity,
            "unitPrice": money(dec(l.unit_price), e),
            "subtotal": money(item_subtotal, e),
            "discountTotal": money(dec(l.discount), e),
            "taxTotal": money(dec(l.tax), e),
            "total": money(item_total, e),
        }));
    }
    let shipping = dec(case.shipping);
    let total = subtotal - discount_total + shipping + tax_total;
    json!({
        "subtotal": money(subtotal, e),
        "discountTotal": money(discount_total, e),
        "shippingTotal": money(shipping, e),
        "taxTotal": money(tax_total, e),
        "total": money(total, e),
        "items": items,
    })
}

/// The same fields, picked from an order of a response.
fn amounts_of(order: &Value) -> Value {
    let items: Vec<Value> = order["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            json!({
                "sku": i["sku"],
                "quantity": i["quantity"],
                "unitPrice": i["unitPrice"],
                "subtotal": i["subtotal"],
                "discountTotal": i["discountTotal"],
                "taxTotal": i["taxTotal"],
                "total": i["total"],
            })
        })
        .collect();
    json!({
        "subtotal": order["subtotal"],
        "discountTotal": order["discountTotal"],
        "shippingTotal": order["shippingTotal"],
        "taxTotal": order["taxTotal"],
        "total": order["total"],
        "items": items,
    })
}

fn totals_input(case: &TotalsCase, expected_total: &str) -> Value {
    let items: Vec<Value> = case
        .lines
        .iter()
        .map(|l| {
            let mut item = item(l.sku, l.quantity, l.unit_price);
            item["discount"] = json!(l.discount);
            item["tax"] = json!(l.tax);
            item
        })
        .collect();
    let mut input = input(items);
    input["currency"] = json!(case.currency);
    input["shippingTotal"] = json!(case.shipping);
    input["discount"] = json!(case.discount);
    input["tax"] = json!(case.tax);
    input["expectedTotal"] = json!(expected_total);
    input
}

async fn totals_are_exact_and_written_with_the_currency_exponent(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    for case in totals_cases() {
        let expected = expected_amounts(&case);
        assert_eq!(
            expected["total"], case.total,
            "the computation agrees with the hand"
        );

        let response = create_order(&app, totals_input(&case, case.total), None).await;

        let order = created(&response);
        assert_eq!(amounts_of(order), expected, "{} as created", case.currency);
        let read = app.graphql(READ, json!({ "id": order["id"] })).await;
        assert_eq!(
            amounts_of(&data(&read)["order"]),
            expected,
            "{} read back",
            case.currency
        );
    }
    // The formatting, spelled out: 5 is "5" in JPY and "5.000" in KWD.
    let jpy = app
        .graphql(
            "{ orders(first: 10, filter: { currencyCode: { eq: \"JPY\" } }) { nodes { items { unitPrice total } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data(&jpy)["orders"]["nodes"][0]["items"][1],
        json!({ "unitPrice": "5", "total": "5" })
    );
    let kwd = app
        .graphql(
            "{ orders(first: 10, filter: { currencyCode: { eq: \"KWD\" } }) { nodes { shippingTotal items { unitPrice total } } } }",
            json!({}),
        )
        .await;
    let kwd = &data(&kwd)["orders"]["nodes"][0];
    assert_eq!(
        kwd["items"][0],
        json!({ "unitPrice": "5.000", "total": "5.000" })
    );
    assert_eq!(kwd["shippingTotal"], "2.500");
}

async fn a_different_expected_total_is_a_total_mismatch_and_writes_nothing(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let case = totals_cases().remove(0);

    let payload = assert_refused(
        &app,
        totals_input(&case, "149.99"),
        &[(path(&["input", "expectedTotal"]), "TOTAL_MISMATCH")],
    )
    .await;

    let message = payload["userErrors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("150.00") && message.contains("149.99"),
        "both amounts in {message:?}"
    );
}

// ---------------------------------------------------------- 3. money input

async fn malformed_or_impossible_amounts_are_user_errors_on_their_field(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let unit_price = path(&["input", "items", "0", "unitPrice"]);
    let with_currency = |currency: &str, unit_price: Value| {
        let mut input = input(vec![item("SKU-1", 1, unit_price)]);
        input["currency"] = json!(currency);
        input
    };
    let cases = [
        (with_currency("USD", json!("1.005")), "TOO_MANY_DECIMALS"),
        (with_currency("JPY", json!("1.5")), "TOO_MANY_DECIMALS"),
        (with_currency("KWD", json!("1.0005")), "TOO_MANY_DECIMALS"),
        (with_currency("USD", json!("1e3")), "INVALID_DECIMAL"),
        (with_currency("USD", json!("+1")), "INVALID_DECIMAL"),
        (with_currency("USD", json!("")), "INVALID_DECIMAL"),
        (with_currency("USD", json!("abc")), "INVALID_DECIMAL"),
        (with_currency("USD", json!(" 1")), "INVALID_DECIMAL"),
        (with_currency("USD", json!("1,5")), "INVALID_DECIMAL"),
        (
            with_currency("USD", json!("99999999999999999999")),
            "INVALID_DECIMAL",
        ),
        (with_currency("USD", json!("-1")), "NEGATIVE_AMOUNT"),
        (with_currency("USD", json!(-1)), "NEGATIVE_AMOUNT"),
    ];
    for (input, code) in cases {
        assert_refused(&app, input, &[(unit_price.clone(), code)]).await;
    }

    // A discount above its item's subtotal makes the item negative.
    let mut discounted = basic();
    discounted["items"][0]["discount"] = json!("10.01");
    assert_refused(
        &app,
        discounted,
        &[(
            path(&["input", "items", "0", "discount"]),
            "NEGATIVE_AMOUNT",
        )],
    )
    .await;
    // An order discount above the subtotal makes the order negative.
    let mut order_discount = basic();
    order_discount["discount"] = json!("10.01");
    order_discount["tax"] = json!("5.00");
    assert_refused(
        &app,
        order_discount,
        &[(path(&["input", "discount"]), "NEGATIVE_AMOUNT")],
    )
    .await;
    // Order-level amounts are checked like item amounts.
    let mut shipping = basic();
    shipping["shippingTotal"] = json!("-5");
    assert_refused(
        &app,
        shipping,
        &[(path(&["input", "shippingTotal"]), "NEGATIVE_AMOUNT")],
    )
    .await;
    let mut tax = basic();
    tax["tax"] = json!("0.001");
    assert_refused(&app, tax, &[(path(&["input", "tax"]), "TOO_MANY_DECIMALS")]).await;
}

async fn amounts_too_large_to_compute_are_user_errors_not_internal_errors(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let cases = [
        // 900000000000000 × 1000000 does not fit.
        input(vec![item("BIG", 1_000_000, "900000000000000")]),
        // Each item fits; their sum does not.
        input(vec![
            item("BIG-1", 1, "900000000000000"),
            item("BIG-2", 1, "900000000000000"),
        ]),
        // The items fit; shipping on top does not.
        {
            let mut input = input(vec![item("BIG", 1, "900000000000000")]);
            input["shippingTotal"] = json!("900000000000000");
            input
        },
    ];
    for input in cases {
        let before = written(&app).await;

        let (status, response) = graphql_status(
            &app,
            &app.key,
            CREATE,
            json!({ "input": input, "key": null }),
        )
        .await;

        assert_eq!(status, 200, "{response:#}");
        let payload = payload(&response);
        assert_eq!(payload["order"], Value::Null);
        let errors = user_errors(payload);
        assert!(!errors.is_empty(), "a user error for {input}");
        for (field, _) in &errors {
            assert_eq!(field[0], "input", "{response:#}");
        }
        assert_eq!(written(&app).await, before, "nothing written for {input}");
    }
}

/// The value at `path` (`["input", "items", "0", "unitPrice"]`) in the variables.
fn sent_at<'a>(variables: &'a Value, path: &Value) -> Option<&'a Value> {
    path.as_array()?.iter().try_fold(variables, |value, part| {
        let part = part.as_str()?;
        match part.parse::<usize>() {
            Ok(index) => value.get(index),
            Err(_) => value.get(part),
        }
    })
}

async fn an_overflow_error_points_at_a_field_the_client_sent(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let cases = [
        input(vec![item("BIG", 1_000_000, "900000000000000")]),
        input(vec![
            item("BIG-1", 1, "900000000000000"),
            item("BIG-2", 1, "900000000000000"),
        ]),
    ];
    for input in cases {
        let variables = json!({ "input": input });

        let response = create_order(&app, input, None).await;

        let errors = user_errors(payload(&response));
        assert!(!errors.is_empty(), "{response:#}");
        for (field, _) in errors {
            assert!(
                sent_at(&variables, &field).is_some(),
                "the error is on {field}, which was not sent: {response:#}"
            );
        }
    }
}

async fn a_float_amount_is_a_top_level_error_and_writes_nothing(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let before = written(&app).await;

    let float = create_order(&app, input(vec![item("SKU-1", 1, json!(1.5))]), None).await;
    let mut whole_float = basic();
    whole_float["shippingTotal"] = json!(2.0);
    let whole_float = create_order(&app, whole_float, None).await;

    assert_top_level_error(&app, &float, "createOrder", before).await;
    assert_top_level_error(&app, &whole_float, "createOrder", before).await;
}

async fn integers_and_trailing_zeros_are_accepted_as_exact_amounts(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let before = written(&app).await;

    let integer = create_order(&app, input(vec![item("SKU-1", 1, json!(12))]), None).await;
    let zeros = create_order(&app, input(vec![item("SKU-1", 1, "1.000")]), None).await;
    let mut jpy = input(vec![item("SKU-1", 2, "5.00")]);
    jpy["currency"] = json!("JPY");
    let jpy_zeros = create_order(&app, jpy, None).await;

    let integer = created(&integer);
    assert_eq!(integer["items"][0]["unitPrice"], "12.00");
    assert_eq!(integer["total"], "12.00");
    let zeros = created(&zeros);
    assert_eq!(zeros["items"][0]["unitPrice"], "1.00");
    let jpy_zeros = created(&jpy_zeros);
    assert_eq!(jpy_zeros["items"][0]["unitPrice"], "5");
    assert_eq!(jpy_zeros["total"], "10");
    let after = written(&app).await;
    assert_eq!(after.orders, before.orders + 3);
    assert_eq!(after.items, before.items + 3);
    assert_eq!(after.events, before.events + 3);
}

// ----------------------------------------------------- 4. other rejections

async fn invalid_items_are_user_errors_on_their_path(backend: Backend) {
    let (app, _, _) = arranged(backend).await;

    assert_refused(
        &app,
        input(vec![item("OK", 1, "1.00"), item("ZERO", 0, "1.00")]),
        &[(
            path(&["input", "items", "1", "quantity"]),
            "INVALID_QUANTITY",
        )],
    )
    .await;
    assert_refused(
        &app,
        input(vec![item("OK", 1, "1.00"), item("NEG", -3, "1.00")]),
        &[(
            path(&["input", "items", "1", "quantity"]),
            "INVALID_QUANTITY",
        )],
    )
    .await;
    assert_refused(
        &app,
        input(vec![]),
        &[(path(&["input", "items"]), "REQUIRED")],
    )
    .await;
    let many: Vec<Value> = (0..251)
        .map(|i| item(&format!("S-{i}"), 1, "1.00"))
        .collect();
    assert_refused(
        &app,
        input(many),
        &[(path(&["input", "items"]), "TOO_MANY_ITEMS")],
    )
    .await;
    // 250 is still fine.
    let most: Vec<Value> = (0..250)
        .map(|i| item(&format!("S-{i}"), 1, "1.00"))
        .collect();
    let response = create_order(&app, input(most), None).await;
    assert_eq!(created(&response)["itemsCount"], 250);
}

async fn unknown_or_foreign_references_are_not_found(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let other = app.key_for("other").await;
    let their_channel = create_channel(&app, &other, "theirs").await;
    let their_customer = create_customer(&app, &other, "theirs@example.com").await;
    let with = |field: &str, value: Value| {
        let mut input = basic();
        input[field] = value;
        input
    };
    let channel = path(&["input", "channel"]);
    let currency = path(&["input", "currency"]);
    let usd_id = currency_id(&app, "USD").await;
    let cases = [
        (with("channel", json!("nope")), channel.clone()),
        (with("channel", json!("theirs")), channel.clone()),
        (with("channel", json!(their_channel)), channel.clone()),
        (with("channel", json!(usd_id)), channel.clone()),
        (with("currency", json!("NOPE")), currency.clone()),
        (with("currency", json!("")), currency.clone()),
        (
            with("customer", json!({ "email": "nobody@example.com" })),
            path(&["input", "customer", "email"]),
        ),
        (
            with("customer", json!({ "email": "theirs@example.com" })),
            path(&["input", "customer", "email"]),
        ),
        (
            with("customer", json!({ "id": their_customer })),
            path(&["input", "customer", "id"]),
        ),
        (
            with("customer", json!({ "id": "garbled" })),
            path(&["input", "customer", "id"]),
        ),
    ];
    for (input, field) in cases {
        assert_refused(&app, input, &[(field, "NOT_FOUND")]).await;
    }
}

async fn invalid_order_fields_are_user_errors_and_all_are_reported_at_once(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let mut long = basic();
    long["reference"] = json!("R".repeat(36));
    assert_refused(&app, long, &[(path(&["input", "reference"]), "TOO_LONG")]).await;
    for metadata in [json!("text"), json!([1, 2]), json!(42)] {
        let mut input = basic();
        input["metadata"] = metadata;
        assert_refused(&app, input, &[(path(&["input", "metadata"]), "INVALID")]).await;
    }
    let mut just_right = basic();
    just_right["reference"] = json!("R".repeat(35));
    created(&create_order(&app, just_right, None).await);

    let mut many = input(vec![item("ZERO", 0, "1.00"), item("BAD", 1, "abc")]);
    many["channel"] = json!("nope");
    many["reference"] = json!("R".repeat(40));
    many["metadata"] = json!([]);
    assert_refused(
        &app,
        many,
        &[
            (path(&["input", "channel"]), "NOT_FOUND"),
            (
                path(&["input", "items", "0", "quantity"]),
                "INVALID_QUANTITY",
            ),
            (
                path(&["input", "items", "1", "unitPrice"]),
                "INVALID_DECIMAL",
            ),
            (path(&["input", "reference"]), "TOO_LONG"),
            (path(&["input", "metadata"]), "INVALID"),
        ],
    )
    .await;
}

async fn a_reference_already_used_is_a_duplicate_and_writes_nothing(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let mut first = basic();
    first["reference"] = json!("PO-1");
    created(&create_order(&app, first.clone(), None).await);

    let mut again = input(vec![item("OTHER", 2, "3.00")]);
    again["reference"] = json!("PO-1");
    assert_refused(&app, again, &[(path(&["input", "reference"]), "DUPLICATE")]).await;

    // Another tenant may use it.
    let other = other_tenant(&app).await;
    let theirs = create_order_as(&app, &other, first, None).await;
    assert_eq!(created(&theirs)["reference"], "PO-1");
}

async fn a_customer_reference_with_two_members_is_a_top_level_error(backend: Backend) {
    let (app, _, ann_id) = arranged(backend).await;
    let before = written(&app).await;
    for customer in [
        json!({ "id": ann_id, "email": "ann@example.com" }),
        json!({ "email": "ann@example.com", "create": { "email": "ann@example.com" } }),
        json!({}),
    ] {
        let mut input = basic();
        input["customer"] = customer;

        let response = create_order(&app, input, None).await;

        assert_top_level_error(&app, &response, "createOrder", before).await;
    }
}

// ---------------------------------------------------------- 5. idempotency

async fn the_same_key_and_input_replay_the_first_order_whatever_the_key_order(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let first = create_order(&app, basic(), Some("key-1")).await;
    let order = created(&first).clone();
    assert_eq!(payload(&first)["idempotentReplay"], json!(false));
    assert_eq!(order["idempotencyKey"], "key-1");
    let before = written(&app).await;

    let again = create_order(&app, basic(), Some("key-1")).await;
    let query = serde_json::to_string(CREATE).unwrap();
    // The same variables with the keys of every object in another order.
    let reordered = format!(
        r#"{{ "variables" : {{ "key": "key-1", "input": {{
              "items": [ {{ "unitPrice": "10.00", "quantity": 1, "name": "Product SKU-1", "sku": "SKU-1" }} ],
              "customer": {{ "email": "ann@example.com" }}, "currency": "USD", "channel": "web" }} }},
            "query": {query} }}"#
    );
    let sent: Value = serde_json::from_str(&reordered).unwrap();
    assert_eq!(
        sent["variables"],
        json!({ "input": basic(), "key": "key-1" }),
        "the same input"
    );
    assert!(reordered.find("\"items\"") < reordered.find("\"channel\""));
    let shuffled = post_text(&app, reordered).await;

    for response in [&again, &shuffled] {
        assert_eq!(
            payload(response)["idempotentReplay"],
            json!(true),
            "{response:#}"
        );
        let replayed = created(response);
        assert_eq!(replayed["id"], order["id"]);
        assert_eq!(replayed["number"], order["number"]);
        assert_eq!(replayed["version"], 1);
        assert_eq!(
            replayed["events"],
            json!([{ "type": "CREATED", "actor": "demo" }])
        );
    }
    assert_eq!(written(&app).await, before, "a replay writes nothing");
    assert_eq!(before.orders, 1);
}

async fn the_same_key_with_another_input_is_refused_and_writes_nothing(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    created(&create_order(&app, basic(), Some("key-1")).await);
    let before = written(&app).await;

    let other_input = input(vec![item("SKU-1", 1, "10.01")]);
    let response = create_order(&app, other_input, Some("key-1")).await;

    let payload = payload(&response);
    assert_eq!(payload["order"], Value::Null);
    assert_eq!(payload["idempotentReplay"], json!(false));
    assert_eq!(
        user_errors(payload),
        expected_errors(&[(path(&["idempotencyKey"]), "IDEMPOTENCY_KEY_REUSED")])
    );
    assert_eq!(written(&app).await, before);
}

async fn a_key_whose_first_attempt_failed_can_be_used_for_the_corrected_input(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let before = written(&app).await;
    let refused = create_order(&app, input(vec![item("SKU-1", 0, "10.00")]), Some("key-1")).await;
    assert_eq!(payload(&refused)["order"], Value::Null);
    assert_eq!(written(&app).await, before);

    let response = create_order(&app, basic(), Some("key-1")).await;

    assert_eq!(created(&response)["idempotencyKey"], "key-1");
    assert_eq!(payload(&response)["idempotentReplay"], json!(false));
    assert_eq!(written(&app).await.orders, before.orders + 1);
}

async fn the_same_key_in_another_tenant_creates_a_separate_order(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let other = other_tenant(&app).await;
    let mine = create_order(&app, basic(), Some("key-1")).await;
    let mine = created(&mine).clone();

    let theirs = create_order_as(&app, &other, basic(), Some("key-1")).await;

    assert_eq!(payload(&theirs)["idempotentReplay"], json!(false));
    let theirs = created(&theirs);
    assert_ne!(theirs["id"], mine["id"]);
    assert_eq!(theirs["number"], "ORD-000001", "numbers are per tenant");
    assert!(theirs["customer"]["id"].is_string());
    assert_ne!(theirs["customer"]["id"], mine["customer"]["id"]);
    let after = written(&app).await;
    assert_eq!(after.orders, 2);
    assert_eq!(after.listed, 1, "the demo tenant still sees its one order");
}

async fn twenty_concurrent_requests_with_one_key_create_exactly_one_order(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let before = written(&app).await;
    let app = Arc::new(app);
    let barrier = Arc::new(tokio::sync::Barrier::new(20));
    let mut order_input = input(vec![item("A", 2, "4.50"), item("B", 1, "1.00")]);
    order_input["customer"] = json!({ "create": { "email": "rush@example.com" } });
    let variables = json!({ "input": order_input, "key": "rush-1" });

    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let app = Arc::clone(&app);
            let barrier = Arc::clone(&barrier);
            let variables = variables.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                graphql_status(&app, &app.key, CREATE, variables).await
            })
        })
        .collect();
    let mut responses = Vec::new();
    for task in tasks {
        responses.push(task.await.unwrap());
    }

    let mut ids = HashSet::new();
    let mut first_creates = 0;
    for (status, body) in &responses {
        let text = body.to_string();
        let lower = text.to_lowercase();
        assert!(
            !lower.contains("unique") && !lower.contains("constraint") && !text.contains("SQL"),
            "no database detail leaks: {body:#}"
        );
        assert_eq!(*status, 200, "{body:#}");
        assert!(body.get("errors").is_none(), "{body:#}");
        ids.insert(created(body)["id"].clone());
        if payload(body)["idempotentReplay"] == json!(false) {
            first_creates += 1;
        }
    }
    assert_eq!(ids.len(), 1, "every answer is the same order");
    assert_eq!(first_creates, 1, "one creates, the others replay");
    let after = written(&app).await;
    assert_eq!(after.orders, before.orders + 1);
    assert_eq!(after.items, before.items + 2);
    assert_eq!(after.events, before.events + 1);
    assert_eq!(after.customers, before.customers + 1);
    let created_events = order_event::Entity::find()
        .filter(order_event::Column::EventType.eq(order_event::OrderEventType::Created))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(created_events, 1);
}

// ---------------------------------------------------------- 6. createOrders

/// Four inputs with references `BATCH-0` … `BATCH-3`; input 2 has quantity 0 in its first item.
fn batch_with_a_bad_third_input() -> Vec<Value> {
    (0..4)
        .map(|i| {
            let quantity = if i == 2 { 0 } else { 1 };
            let mut input = input(vec![item("A", quantity, "1.00"), item("B", 1, "2.00")]);
            input["reference"] = json!(format!("BATCH-{i}"));
            input
        })
        .collect()
}

async fn create_orders_writes_every_valid_input_in_input_order(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    created(&create_order(&app, basic(), None).await);
    let before = written(&app).await;
    let currencies = ["USD", "JPY", "KWD"];
    let inputs: Vec<Value> = currencies
        .iter()
        .map(|code| {
            let mut input = input(vec![item("A", 1, "7")]);
            input["currency"] = json!(code);
            input["reference"] = json!(format!("REF-{code}"));
            input
        })
        .collect();

    let response = create_orders(&app, inputs, None).await;

    let payload = &data(&response)["createOrders"];
    assert_eq!(payload["count"], 3);
    let results = payload["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    let first = number_seq(&results[0]["order"]["number"]);
    assert_eq!(first, 2, "after the one order created before");
    for (i, (result, code)) in results.iter().zip(currencies).enumerate() {
        assert_eq!(result["userErrors"], json!([]));
        assert_eq!(result["order"]["reference"], format!("REF-{code}"));
        assert_eq!(number_seq(&result["order"]["number"]), first + i as i64);
    }
    let after = written(&app).await;
    assert_eq!(after.listed, before.listed + 3);
    assert_eq!(after.orders, before.orders + 3);
    assert_eq!(after.items, before.items + 3);
    assert_eq!(after.events, before.events + 3);
}

async fn reject_everything_writes_nothing_when_one_input_fails(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let before = written(&app).await;

    for policy in [Some("REJECT_EVERYTHING"), None] {
        let response = create_orders(&app, batch_with_a_bad_third_input(), policy).await;

        let payload = &data(&response)["createOrders"];
        assert_eq!(payload["count"], 0, "{policy:?}");
        let results = payload["results"].as_array().unwrap();
        assert_eq!(results.len(), 4);
        for result in results {
            assert_eq!(result["order"], Value::Null, "no result carries an order");
        }
        assert_eq!(
            user_errors(&results[2]),
            expected_errors(&[(
                path(&["inputs", "2", "items", "0", "quantity"]),
                "INVALID_QUANTITY"
            )])
        );
        assert_eq!(written(&app).await, before, "nothing written ({policy:?})");
    }
}

async fn a_policy_variable_left_out_means_reject_everything(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let before = written(&app).await;

    let response = app
        .graphql(
            CREATE_MANY_AS_DOCUMENTED,
            json!({ "inputs": batch_with_a_bad_third_input() }),
        )
        .await;

    let payload = &data(&response)["createOrders"];
    assert_eq!(payload["count"], 0);
    assert_eq!(payload["results"][0]["order"], Value::Null);
    assert_eq!(
        user_errors(&payload["results"][2]),
        expected_errors(&[(
            path(&["inputs", "2", "items", "0", "quantity"]),
            "INVALID_QUANTITY"
        )])
    );
    assert_eq!(written(&app).await, before);
}

async fn reject_failed_rows_writes_the_valid_inputs(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let before = written(&app).await;

    let response = create_orders(
        &app,
        batch_with_a_bad_third_input(),
        Some("REJECT_FAILED_ROWS"),
    )
    .await;

    let payload = &data(&response)["createOrders"];
    assert_eq!(payload["count"], 3);
    let results = payload["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    for (i, expected_number) in [(0, "ORD-000001"), (1, "ORD-000002"), (3, "ORD-000003")] {
        assert_eq!(results[i]["userErrors"], json!([]));
        assert_eq!(results[i]["order"]["reference"], format!("BATCH-{i}"));
        assert_eq!(results[i]["order"]["number"], expected_number);
    }
    assert_eq!(results[2]["order"], Value::Null);
    assert_eq!(
        user_errors(&results[2]),
        expected_errors(&[(
            path(&["inputs", "2", "items", "0", "quantity"]),
            "INVALID_QUANTITY"
        )])
    );
    let after = written(&app).await;
    assert_eq!(after.listed, before.listed + 3);
    assert_eq!(after.orders, before.orders + 3);
    assert_eq!(after.items, before.items + 6);
    assert_eq!(after.events, before.events + 3);
    let refused = app
        .graphql(
            "{ orderByReference(reference: \"BATCH-2\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(data(&refused)["orderByReference"], Value::Null);
}

async fn duplicate_references_in_a_batch_are_refused_on_the_later_input(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let mut taken = basic();
    taken["reference"] = json!("TAKEN");
    created(&create_order(&app, taken, None).await);
    let before = written(&app).await;
    let inputs: Vec<Value> = ["TWICE", "TWICE", "TAKEN", "FRESH"]
        .iter()
        .map(|reference| {
            let mut input = basic();
            input["reference"] = json!(reference);
            input
        })
        .collect();

    let everything = create_orders(&app, inputs.clone(), None).await;
    assert_eq!(written(&app).await, before, "nothing written");
    let failed_rows = create_orders(&app, inputs, Some("REJECT_FAILED_ROWS")).await;

    for (response, count) in [(&everything, 0), (&failed_rows, 2)] {
        let payload = &data(response)["createOrders"];
        assert_eq!(payload["count"], count);
        let results = payload["results"].as_array().unwrap();
        assert_eq!(results[0]["userErrors"], json!([]));
        assert_eq!(
            user_errors(&results[1]),
            expected_errors(&[(path(&["inputs", "1", "reference"]), "DUPLICATE")])
        );
        assert_eq!(
            user_errors(&results[2]),
            expected_errors(&[(path(&["inputs", "2", "reference"]), "DUPLICATE")])
        );
        assert_eq!(results[3]["userErrors"], json!([]));
    }
    let results = &data(&failed_rows)["createOrders"]["results"];
    assert_eq!(results[0]["order"]["reference"], "TWICE");
    assert_eq!(results[3]["order"]["reference"], "FRESH");
    assert_eq!(written(&app).await.orders, before.orders + 2);
}

async fn more_than_100_inputs_are_a_top_level_bad_user_input(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let before = written(&app).await;
    let inputs: Vec<Value> = (0..101).map(|_| basic()).collect();

    let response = create_orders(&app, inputs, Some("REJECT_FAILED_ROWS")).await;

    assert_eq!(error_code(&response), "BAD_USER_INPUT");
    assert_top_level_error(&app, &response, "createOrders", before).await;
}

// ------------------------------------------------------ 7. order numbers

async fn concurrent_creates_get_distinct_consecutive_numbers(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let app = Arc::new(app);
    let barrier = Arc::new(tokio::sync::Barrier::new(10));

    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let app = Arc::clone(&app);
            let barrier = Arc::clone(&barrier);
            tokio::spawn(async move {
                barrier.wait().await;
                create_order(&app, input(vec![item(&format!("S-{i}"), 1, "1.00")]), None).await
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for task in tasks {
        let response = task.await.unwrap();
        numbers.push(created(&response)["number"].as_str().unwrap().to_owned());
    }

    numbers.sort();
    let expected: Vec<String> = (1..=10).map(|n| format!("ORD-{n:06}")).collect();
    assert_eq!(
        numbers, expected,
        "distinct, and without gaps in one process"
    );
    assert_eq!(written(&app).await.orders, 10);
}

async fn a_refused_duplicate_reference_uses_up_no_order_number(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let mut first = basic();
    first["reference"] = json!("PO-1");
    created(&create_order(&app, first, None).await);
    let mut duplicate = input(vec![item("OTHER", 1, "2.00")]);
    duplicate["reference"] = json!("PO-1");
    let refused = create_order(&app, duplicate, None).await;
    assert_eq!(
        user_errors(payload(&refused)),
        expected_errors(&[(path(&["input", "reference"]), "DUPLICATE")])
    );

    let next = create_order(&app, basic(), None).await;

    assert_eq!(
        created(&next)["number"],
        "ORD-000002",
        "a refused write takes no number (API.md allows gaps only across processes)"
    );
}

async fn concurrent_replays_use_up_no_order_number(backend: Backend) {
    let (app, _, _) = arranged(backend).await;
    let app = Arc::new(app);
    let barrier = Arc::new(tokio::sync::Barrier::new(10));
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let app = Arc::clone(&app);
            let barrier = Arc::clone(&barrier);
            tokio::spawn(async move {
                barrier.wait().await;
                create_order(&app, basic(), Some("key-1")).await
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(created(&task.await.unwrap())["number"], "ORD-000001");
    }

    let next = create_order(&app, basic(), None).await;

    assert_eq!(
        created(&next)["number"],
        "ORD-000002",
        "a replay takes no number (API.md allows gaps only across processes)"
    );
}

both_backends!(
    create_order_finds_channel_currency_and_customer_by_every_kind_of_reference,
    totals_are_exact_and_written_with_the_currency_exponent,
    a_different_expected_total_is_a_total_mismatch_and_writes_nothing,
    malformed_or_impossible_amounts_are_user_errors_on_their_field,
    amounts_too_large_to_compute_are_user_errors_not_internal_errors,
    a_float_amount_is_a_top_level_error_and_writes_nothing,
    integers_and_trailing_zeros_are_accepted_as_exact_amounts,
    an_overflow_error_points_at_a_field_the_client_sent,
    invalid_items_are_user_errors_on_their_path,
    unknown_or_foreign_references_are_not_found,
    invalid_order_fields_are_user_errors_and_all_are_reported_at_once,
    a_reference_already_used_is_a_duplicate_and_writes_nothing,
    a_customer_reference_with_two_members_is_a_top_level_error,
    the_same_key_and_input_replay_the_first_order_whatever_the_key_order,
    the_same_key_with_another_input_is_refused_and_writes_nothing,
    a_key_whose_first_attempt_failed_can_be_used_for_the_corrected_input,
    the_same_key_in_another_tenant_creates_a_separate_order,
    twenty_concurrent_requests_with_one_key_create_exactly_one_order,
    create_orders_writes_every_valid_input_in_input_order,
    reject_everything_writes_nothing_when_one_input_fails,
    a_policy_variable_left_out_means_reject_everything,
    reject_failed_rows_writes_the_valid_inputs,
    duplicate_references_in_a_batch_are_refused_on_the_later_input,
    more_than_100_inputs_are_a_top_level_bad_user_input,
    concurrent_creates_get_distinct_consecutive_numbers,
    a_refused_duplicate_reference_uses_up_no_order_number,
    concurrent_replays_use_up_no_order_number,
    numbers_past_six_digits_and_created_events_read_the_same_on_every_path,
);

/// Numbers are written in SQL on PostgreSQL's one-statement create and in
/// Rust elsewhere: both give at least six digits, and the `CREATED` event
/// holds the number and total, for one order and for a batch that crosses
/// ORD-999999.
async fn numbers_past_six_digits_and_created_events_read_the_same_on_every_path(backend: Backend) {
    use entity::tenant;
    use sea_orm::sea_query::Expr;

    let (app, channel, customer) = arranged(backend).await;
    tenant::Entity::update_many()
        .col_expr(tenant::Column::OrderSeq, Expr::value(999_998_i64))
        .exec(&app.db)
        .await
        .unwrap();
    let input = json!({ "channel": channel, "currency": "JPY", "customer": { "id": customer },
                        "items": [{ "sku": "A", "name": "A", "quantity": 3, "unitPrice": "7" }] });
    let select = "number total events { type changes }";
    let one = app
        .graphql(
            &format!("mutation($input: CreateOrderInput!) {{ createOrder(input: $input) {{ order {{ {select} }} userErrors {{ code }} }} }}"),
            json!({ "input": input }),
        )
        .await;
    let batch = app
        .graphql(
            &format!("mutation($inputs: [CreateOrderInput!]!) {{ createOrders(inputs: $inputs) {{ results {{ order {{ {select} }} userErrors {{ code }} }} }} }}"),
            json!({ "inputs": [input, input] }),
        )
        .await;
    let mut orders = vec![data(&one)["createOrder"]["order"].clone()];
    orders.extend(
        data(&batch)["createOrders"]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["order"].clone()),
    );
    let numbers: Vec<&Value> = orders.iter().map(|o| &o["number"]).collect();
    assert_eq!(numbers, ["ORD-999999", "ORD-1000000", "ORD-1000001"]);
    for order in &orders {
        assert_eq!(
            order["events"],
            json!([{ "type": "CREATED", "changes": { "number": [null, order["number"]], "total": [null, "21"] } }]),
            "{one} {batch}"
        );
    }
}
