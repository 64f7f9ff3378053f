//! `OrderFilter` on the orders connection, operator by operator and in
//! combination: every answer (the numbers of a full keyset walk and
//! `totalCount`) is compared with a set computed here, in Rust, from rows
//! read back with SeaORM; plus the `in` list limit, walks during concurrent
//! inserts, and `orderByReference`/`node` lookups scoped to the tenant.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use entity::order::{FulfillmentStatus, OrderSource, OrderStatus, PaymentStatus};
use entity::{channel, currency, customer, order, order_item, tenant};
use ordergraph::graphql::ids::{encode, Kind};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{create_channel, data, error_code, spawn_app, Backend, TestApp};

// ---------------------------------------------------------------- requests

const PAGE: &str = r#"
query Page($first: Int, $after: String, $filter: OrderFilter, $sort: [OrderSort!]) {
  orders(first: $first, after: $after, filter: $filter, sort: $sort) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { number } }
  }
}"#;

const CREATE: &str = "mutation($input: CreateOrderInput!, $key: String) {
  createOrder(input: $input, idempotencyKey: $key) {
    order { id number }
    userErrors { field code message }
  }
}";

const ARCHIVE: &str = "mutation($id: ID!) {
  archiveOrder(id: $id) { order { archivedAt } userErrors { field code message } }
}";

/// What a forward walk saw: the numbers in list order and each page's `totalCount`.
struct Walk {
    numbers: Vec<String>,
    counts: Vec<Value>,
}

/// Walks the whole list forward, `size` orders a page.
async fn walk(app: &TestApp, size: i64, filter: &Value, sort: &Value) -> Walk {
    let mut walked = Walk {
        numbers: Vec::new(),
        counts: Vec::new(),
    };
    let mut cursor: Option<String> = None;
    loop {
        let vars = json!({ "first": size, "after": cursor, "filter": filter, "sort": sort });
        let response = app.graphql(PAGE, vars).await;
        let page = &data(&response)["orders"];
        walked.counts.push(page["totalCount"].clone());
        walked.numbers.extend(
            page["edges"]
                .as_array()
                .unwrap_or_else(|| panic!("no edges in {response:#}"))
                .iter()
                .map(|e| e["node"]["number"].as_str().unwrap().to_owned()),
        );
        let info = &page["pageInfo"];
        if info["hasNextPage"] != json!(true) {
            break;
        }
        cursor = Some(info["endCursor"].as_str().unwrap().to_owned());
        assert!(walked.numbers.len() <= 2_000, "the walk does not end");
    }
    walked
}

/// A one-item order input; the customer is created on first use of the email.
fn order_input(channel: &str, currency: &str, email: &str, unit_price: &str) -> Value {
    json!({
        "channel": channel,
        "currency": currency,
        "customer": { "create": { "email": email } },
        "items": [{ "sku": "SKU-F", "name": "Filter item", "quantity": 1, "unitPrice": unit_price }],
    })
}

/// Creates an order through the API; returns its number.
async fn create_order(app: &TestApp, input: Value, key: Option<&str>) -> String {
    let response = app
        .graphql(CREATE, json!({ "input": input, "key": key }))
        .await;
    let payload = &data(&response)["createOrder"];
    assert_eq!(payload["userErrors"], json!([]), "{response:#}");
    payload["order"]["number"]
        .as_str()
        .unwrap_or_else(|| panic!("no order in {response:#}"))
        .to_owned()
}

/// An amount in storage units (10⁻⁴) written as a decimal string with 4 places.
fn decimal4(units: i64) -> String {
    format!("{}.{:04}", units / 10_000, units % 10_000)
}

/// The same amount with trailing zeros (and a bare point) removed.
fn decimal_short(units: i64) -> String {
    let long = decimal4(units);
    long.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// An instant written in RFC 3339 at UTC+02:00 (so its local date and hour differ from UTC).
fn at_plus_two(t: DateTime<Utc>) -> String {
    t.with_timezone(&FixedOffset::east_opt(2 * 3600).unwrap())
        .to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// The same instant at UTC−05:00.
fn at_minus_five(t: DateTime<Utc>) -> String {
    t.with_timezone(&FixedOffset::west_opt(5 * 3600).unwrap())
        .to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

// ---------------------------------------------------------------- the fixture

/// One order of the demo tenant as the test sees it: its row and what it refers to.
#[derive(Clone, Debug)]
struct Row {
    order: order::Model,
    channel: String,
    currency: String,
    /// As stored (the case the client wrote).
    email: String,
}

impl Row {
    fn active(&self) -> bool {
        self.order.archived_at.is_none()
    }

    fn reference(&self) -> &str {
        self.order.reference.as_deref().unwrap_or("")
    }

    fn key(&self) -> &str {
        self.order.idempotency_key.as_deref().unwrap_or("")
    }
}

/// The app with seeded and hand-made orders, and the demo tenant's rows read back.
struct Fixture {
    app: TestApp,
    tenant_id: i64,
    /// Every order of the demo tenant, archived ones included.
    rows: Vec<Row>,
    /// The one archived order.
    archived: Row,
}

async fn tenant_id(app: &TestApp, name: &str) -> i64 {
    tenant::Entity::find()
        .filter(tenant::Column::Name.eq(name))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("tenant {name}"))
        .id
}

/// Reads the tenant's orders with their channel code, currency code and customer email.
async fn read_rows(app: &TestApp, tenant_id: i64) -> Vec<Row> {
    let channels: HashMap<i64, String> = channel::Entity::find()
        .filter(channel::Column::TenantId.eq(tenant_id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    let currencies: HashMap<i64, String> = currency::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    let emails: HashMap<i64, String> = customer::Entity::find()
        .filter(customer::Column::TenantId.eq(tenant_id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.id, c.email))
        .collect();
    order::Entity::find()
        .filter(order::Column::TenantId.eq(tenant_id))
        .order_by_asc(order::Column::NumberSeq)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|o| Row {
            channel: channels[&o.channel_id].clone(),
            currency: currencies[&o.currency_id].clone(),
            email: emails[&o.customer_id].clone(),
            order: o,
        })
        .collect()
}

/// 80 seeded orders in `demo` (and 12 in `other`, with the same references),
/// two channels and a dozen orders made through `createOrder` for the string,
/// amount and key filters, and one seeded order archived through `archiveOrder`.
async fn arranged(backend: Backend) -> Fixture {
    let app = spawn_app(backend).await;
    ordergraph::seed::seed(&app.db, "demo", 80, 40, false)
        .await
        .unwrap();
    ordergraph::seed::seed(&app.db, "other", 12, 40, false)
        .await
        .unwrap();
    create_channel(&app, &app.key, "lit_chan").await;
    create_channel(&app, &app.key, "litXchan").await;

    // Look-alikes: each would match the others' patterns if `%` or `_` were wildcards.
    let with = |mut input: Value, field: &str, value: Value| {
        input[field] = value;
        input
    };
    for (reference, channel, currency, email, price) in [
        ("50%off", "lit_chan", "USD", "a_b@example.com", "12.50"),
        ("50_off", "litXchan", "EUR", "axb@example.com", "12.5"),
        ("50Xoff", "lit_chan", "GBP", "100%real@example.com", "7"),
        ("500off", "litXchan", "USD", "100xreal@example.com", "8"),
        ("a\\b", "web-eu", "USD", "1000real@example.com", "3"),
        (
            "HUNDRED-USD",
            "web-us",
            "USD",
            "customer000001@example.com",
            "100",
        ),
        (
            "HUNDRED-JPY",
            "marketplace",
            "JPY",
            "customer000002@example.com",
            "100",
        ),
    ] {
        let input = order_input(channel, currency, email, price);
        create_order(&app, with(input, "reference", json!(reference)), None).await;
    }
    let gift = with(
        order_input("pos-berlin", "KWD", "Mixed.Case@Example.COM", "1.250"),
        "description",
        json!("Gift wrap, please"),
    );
    create_order(&app, with(gift, "source", json!("WORKFLOW")), None).await;
    for (key, price) in [
        ("idem-alpha-1", "20"),
        ("idem-alpha-2", "21"),
        ("idem_beta", "22"),
        ("idemXbeta", "23"),
    ] {
        let input = order_input("web-eu", "USD", "Mixed.Case@example.com", price);
        create_order(&app, input, Some(key)).await;
    }

    let tenant_id = tenant_id(&app, "demo").await;
    let before = read_rows(&app, tenant_id).await;
    let target = before
        .iter()
        .find(|r| r.reference() == "REF-00000010")
        .unwrap();
    let response = app
        .graphql(
            ARCHIVE,
            json!({ "id": encode(Kind::Order, target.order.id).0 }),
        )
        .await;
    assert_eq!(
        data(&response)["archiveOrder"]["userErrors"],
        json!([]),
        "{response:#}"
    );

    let rows = read_rows(&app, tenant_id).await;
    assert_eq!(rows.len(), 80 + 12);
    let archived: Vec<Row> = rows.iter().filter(|r| !r.active()).cloned().collect();
    assert_eq!(archived.len(), 1, "one archived order");
    Fixture {
        app,
        tenant_id,
        archived: archived[0].clone(),
        rows,
    }
}

impl Fixture {
    /// Walks the list under `filter` and compares the numbers and `totalCount`
    /// with the rows (archived ones included) that `expected` selects.
    async fn matches_rows(&self, filter: Value, expected: impl Fn(&Row) -> bool) -> usize {
        let want: BTreeSet<String> = self
            .rows
            .iter()
            .filter(|r| expected(r))
            .map(|r| r.order.number.clone())
            .collect();
        let walked = walk(&self.app, 10, &filter, &json!(null)).await;
        let got: BTreeSet<String> = walked.numbers.iter().cloned().collect();
        assert_eq!(
            got.len(),
            walked.numbers.len(),
            "an order listed twice for {filter}"
        );
        assert_eq!(got, want, "orders for filter {filter}");
        for count in &walked.counts {
            assert_eq!(*count, json!(want.len()), "totalCount for filter {filter}");
        }
        want.len()
    }

    /// Like [`Fixture::matches_rows`] among active orders (the default hides
    /// archived ones), and the expected set is neither empty nor everything.
    async fn selects(&self, filter: Value, expected: impl Fn(&Row) -> bool) {
        let active = self.rows.iter().filter(|r| r.active()).count();
        let n = self
            .matches_rows(filter.clone(), |r| r.active() && expected(r))
            .await;
        assert!(
            n > 0 && n < active,
            "a weak case: {filter} selects {n} of {active} orders"
        );
    }

    /// The filter selects every active order and no archived one.
    async fn selects_every_active(&self, filter: Value) {
        let n = self.matches_rows(filter, Row::active).await;
        assert!(n < self.rows.len());
    }

    /// The filter selects no order.
    async fn selects_none(&self, filter: Value) {
        self.matches_rows(filter, |_| false).await;
    }

    /// A row by reference.
    fn by_reference(&self, reference: &str) -> &Row {
        self.rows
            .iter()
            .find(|r| r.reference() == reference)
            .unwrap_or_else(|| panic!("no order {reference}"))
    }

    /// Active seeded rows sorted by a key, for picking boundaries in the middle.
    fn seeded_sorted_by<K: Ord>(&self, key: impl Fn(&Row) -> K) -> Vec<&Row> {
        let mut rows: Vec<&Row> = self
            .rows
            .iter()
            .filter(|r| r.active() && r.reference().starts_with("REF-"))
            .collect();
        rows.sort_by_key(|r| key(r));
        rows
    }
}

// ---------------------------------------------------------------- one operator at a time

async fn status_filters_select_exactly_the_orders_with_those_statuses(backend: Backend) {
    let fx = arranged(backend).await;

    fx.selects(json!({ "status": { "eq": "PROCESSING" } }), |r| {
        r.order.status == OrderStatus::Processing
    })
    .await;
    fx.selects(
        json!({ "status": { "in": ["PENDING", "DELIVERED", "PARTIALLY_CANCELLED"] } }),
        |r| {
            matches!(
                r.order.status,
                OrderStatus::Pending | OrderStatus::Delivered | OrderStatus::PartiallyCancelled
            )
        },
    )
    .await;
    fx.selects(
        json!({ "status": { "notIn": ["PENDING", "CANCELLED"] } }),
        |r| {
            !matches!(
                r.order.status,
                OrderStatus::Pending | OrderStatus::Cancelled
            )
        },
    )
    .await;

    fx.selects(json!({ "paymentStatus": { "eq": "PAID" } }), |r| {
        r.order.payment_status == PaymentStatus::Paid
    })
    .await;
    fx.selects(
        json!({ "paymentStatus": { "in": ["AUTHORIZED", "REFUNDED", "DISPUTED"] } }),
        |r| {
            matches!(
                r.order.payment_status,
                PaymentStatus::Authorized | PaymentStatus::Refunded | PaymentStatus::Disputed
            )
        },
    )
    .await;
    fx.selects(
        json!({ "paymentStatus": { "notIn": ["PAID", "PENDING"] } }),
        |r| {
            !matches!(
                r.order.payment_status,
                PaymentStatus::Paid | PaymentStatus::Pending
            )
        },
    )
    .await;

    fx.selects(json!({ "fulfillmentStatus": { "eq": "FULFILLED" } }), |r| {
        r.order.fulfillment_status == FulfillmentStatus::Fulfilled
    })
    .await;
    fx.selects(
        json!({ "fulfillmentStatus": { "in": ["IN_PROGRESS", "UNFULFILLED"] } }),
        |r| {
            matches!(
                r.order.fulfillment_status,
                FulfillmentStatus::InProgress | FulfillmentStatus::Unfulfilled
            )
        },
    )
    .await;
    fx.selects(
        json!({ "fulfillmentStatus": { "notIn": ["FULFILLED", "CANCELLED", "PENDING"] } }),
        |r| {
            !matches!(
                r.order.fulfillment_status,
                FulfillmentStatus::Fulfilled
                    | FulfillmentStatus::Cancelled
                    | FulfillmentStatus::Pending
            )
        },
    )
    .await;
    // A status no order has: nothing, and no error.
    fx.selects_none(json!({ "paymentStatus": { "eq": "EXPIRED" } }))
        .await;
}

async fn total_filters_compare_amounts_exactly_in_any_spelling(backend: Backend) {
    let fx = arranged(backend).await;
    const HUNDRED: i64 = 100 * 10_000;

    // 100 USD and 100 JPY are both stored as 1,000,000 units; every spelling means the same.
    for spelling in [json!("100"), json!("100.00"), json!("100.0000"), json!(100)] {
        fx.selects(json!({ "total": { "eq": spelling } }), |r| {
            r.order.total == HUNDRED
        })
        .await;
    }
    assert!(
        fx.rows.iter().filter(|r| r.order.total == HUNDRED).count() >= 2,
        "the USD and JPY orders of 100"
    );

    // Boundaries at the total of a seeded order in the middle, as 4 places and as short text.
    let by_total = fx.seeded_sorted_by(|r| r.order.total);
    let middle = by_total[by_total.len() / 2].order.total;
    assert_ne!(middle % 10_000, 0, "a boundary with decimals");
    for text in [decimal4(middle), decimal_short(middle)] {
        fx.selects(json!({ "total": { "eq": text } }), |r| {
            r.order.total == middle
        })
        .await;
        fx.selects(json!({ "total": { "gt": text } }), |r| {
            r.order.total > middle
        })
        .await;
        fx.selects(json!({ "total": { "gte": text } }), |r| {
            r.order.total >= middle
        })
        .await;
        fx.selects(json!({ "total": { "lt": text } }), |r| {
            r.order.total < middle
        })
        .await;
        fx.selects(json!({ "total": { "lte": text } }), |r| {
            r.order.total <= middle
        })
        .await;
    }
    // One unit (0.0001) above: strictly between two stored totals unless one is there.
    let above = decimal4(middle + 1);
    fx.selects(json!({ "total": { "gte": above } }), |r| {
        r.order.total > middle
    })
    .await;
    // A range.
    let low = by_total[by_total.len() / 4].order.total;
    fx.selects(
        json!({ "total": { "gte": decimal4(low), "lt": decimal4(middle) } }),
        |r| r.order.total >= low && r.order.total < middle,
    )
    .await;

    // More than 4 decimal places is the caller's mistake, whatever the operator.
    for op in ["eq", "gt", "gte", "lt", "lte"] {
        let response = fx
            .app
            .graphql(
                PAGE,
                json!({ "first": 5, "filter": { "total": { op: "1.00001" } } }),
            )
            .await;
        assert_eq!(
            error_code(&response),
            "BAD_USER_INPUT",
            "{op}: {response:#}"
        );
    }
    // Inside `or`, too.
    let response = fx
        .app
        .graphql(
            PAGE,
            json!({ "first": 5, "filter": { "or": [{ "total": { "lt": "1.00001" } }] } }),
        )
        .await;
    assert_eq!(error_code(&response), "BAD_USER_INPUT", "{response:#}");
    // Money is never a float.
    let response = fx
        .app
        .graphql(
            PAGE,
            json!({ "first": 5, "filter": { "total": { "gt": 100.5 } } }),
        )
        .await;
    assert!(response.get("errors").is_some(), "{response:#}");
}

async fn time_filters_take_rfc3339_with_any_offset(backend: Backend) {
    let fx = arranged(backend).await;
    let by_created = fx.seeded_sorted_by(|r| r.order.created_at);
    let t = by_created[by_created.len() / 2].order.created_at;

    for text in [at_plus_two(t), at_minus_five(t)] {
        fx.selects(json!({ "createdAt": { "gt": text } }), |r| {
            r.order.created_at > t
        })
        .await;
        fx.selects(json!({ "createdAt": { "gte": text } }), |r| {
            r.order.created_at >= t
        })
        .await;
        fx.selects(json!({ "createdAt": { "lt": text } }), |r| {
            r.order.created_at < t
        })
        .await;
        fx.selects(json!({ "createdAt": { "lte": text } }), |r| {
            r.order.created_at <= t
        })
        .await;
    }

    // A round instant written at +02:00: 2025-03-01T00:00:00Z.
    let march: DateTime<Utc> = "2025-03-01T00:00:00Z".parse().unwrap();
    fx.selects(
        json!({ "createdAt": { "gte": "2025-03-01T02:00:00+02:00" } }),
        |r| r.order.created_at >= march,
    )
    .await;
    fx.selects(
        json!({ "createdAt": { "lt": "2025-03-01T02:00:00+02:00" } }),
        |r| r.order.created_at < march,
    )
    .await;
    // A range across the seeded span.
    let early = by_created[by_created.len() / 4].order.created_at;
    fx.selects(
        json!({ "createdAt": { "gt": at_plus_two(early), "lte": at_minus_five(t) } }),
        |r| r.order.created_at > early && r.order.created_at <= t,
    )
    .await;

    // updatedAt: seeded orders were last changed when created, the API-made ones now.
    let by_updated = fx.seeded_sorted_by(|r| r.order.updated_at);
    let u = by_updated[by_updated.len() / 3].order.updated_at;
    let made: Vec<&Row> = fx
        .rows
        .iter()
        .filter(|r| r.active() && !r.reference().starts_with("REF-"))
        .collect();
    let first_made = made.iter().map(|r| r.order.updated_at).min().unwrap();
    for bound in [u, first_made] {
        for text in [at_plus_two(bound), at_minus_five(bound)] {
            fx.selects(json!({ "updatedAt": { "gt": text } }), |r| {
                r.order.updated_at > bound
            })
            .await;
            fx.selects(json!({ "updatedAt": { "gte": text } }), |r| {
                r.order.updated_at >= bound
            })
            .await;
            fx.selects(json!({ "updatedAt": { "lt": text } }), |r| {
                r.order.updated_at < bound
            })
            .await;
            fx.selects(json!({ "updatedAt": { "lte": text } }), |r| {
                r.order.updated_at <= bound
            })
            .await;
        }
    }
}

async fn channel_and_currency_code_filters_match_exactly(backend: Backend) {
    let fx = arranged(backend).await;

    fx.selects(json!({ "channelCode": { "eq": "web-eu" } }), |r| {
        r.channel == "web-eu"
    })
    .await;
    fx.selects(
        json!({ "channelCode": { "in": ["web-us", "marketplace", "no-such-channel"] } }),
        |r| r.channel == "web-us" || r.channel == "marketplace",
    )
    .await;
    fx.selects(json!({ "channelCode": { "startsWith": "web-" } }), |r| {
        r.channel.starts_with("web-")
    })
    .await;
    fx.selects(json!({ "channelCode": { "contains": "-b" } }), |r| {
        r.channel.contains("-b")
    })
    .await;
    fx.selects(json!({ "channelCode": { "contains": "chan" } }), |r| {
        r.channel.contains("chan")
    })
    .await;
    // Case-sensitive.
    fx.selects_none(json!({ "channelCode": { "eq": "WEB-EU" } }))
        .await;
    fx.selects_none(json!({ "channelCode": { "startsWith": "Web" } }))
        .await;
    // Another tenant's channel codes are the same: its orders still never show.
    fx.selects(json!({ "channelCode": { "startsWith": "pos" } }), |r| {
        r.channel.starts_with("pos")
    })
    .await;

    fx.selects(json!({ "currencyCode": { "eq": "JPY" } }), |r| {
        r.currency == "JPY"
    })
    .await;
    fx.selects(
        json!({ "currencyCode": { "in": ["USD", "KWD", "CHF"] } }),
        |r| r.currency == "USD" || r.currency == "KWD",
    )
    .await;
    fx.selects(json!({ "currencyCode": { "startsWith": "G" } }), |r| {
        r.currency.starts_with('G')
    })
    .await;
    fx.selects(json!({ "currencyCode": { "contains": "U" } }), |r| {
        r.currency.contains('U')
    })
    .await;
    fx.selects_none(json!({ "currencyCode": { "eq": "CHF" } }))
        .await;
}

async fn customer_filters_match_by_id_and_by_email_in_any_case(backend: Backend) {
    let fx = arranged(backend).await;
    let customer_of = |reference: &str| fx.by_reference(reference).order.customer_id;

    let a = customer_of("REF-00000003");
    let b = customer_of("50%off");
    let garbled = "not-a-global-id%%";
    let wrong_kind = encode(Kind::Order, a).0;
    fx.selects(
        json!({ "customerId": { "in": [
            encode(Kind::Customer, a).0,
            encode(Kind::Customer, b).0,
            garbled,
            wrong_kind,
        ] } }),
        |r| r.order.customer_id == a || r.order.customer_id == b,
    )
    .await;
    // Only IDs that match nothing: nothing, and no error.
    fx.selects_none(json!({ "customerId": { "in": [garbled] } }))
        .await;
    // A customer of another tenant.
    let other = tenant_id(&fx.app, "other").await;
    let foreign = customer::Entity::find()
        .filter(customer::Column::TenantId.eq(other))
        .one(&fx.app.db)
        .await
        .unwrap()
        .unwrap();
    fx.selects_none(json!({ "customerId": { "in": [encode(Kind::Customer, foreign.id).0] } }))
        .await;

    // Email: case-insensitive for eq, startsWith and contains.
    for spelling in [
        "mixed.case@example.com",
        "MIXED.CASE@EXAMPLE.COM",
        "Mixed.Case@Example.COM",
    ] {
        fx.selects(json!({ "customerEmail": { "eq": spelling } }), |r| {
            r.email.to_lowercase() == "mixed.case@example.com"
        })
        .await;
    }
    fx.selects(
        json!({ "customerEmail": { "eq": "Customer000003@EXAMPLE.com" } }),
        |r| r.email.to_lowercase() == "customer000003@example.com",
    )
    .await;
    fx.selects(
        json!({ "customerEmail": { "startsWith": "CUSTOMER00000" } }),
        |r| r.email.to_lowercase().starts_with("customer00000"),
    )
    .await;
    fx.selects(
        json!({ "customerEmail": { "contains": "CASE@exa" } }),
        |r| r.email.to_lowercase().contains("case@exa"),
    )
    .await;
    fx.selects(
        json!({ "customerEmail": { "in": ["CUSTOMER000004@example.com", "a_b@example.com"] } }),
        |r| {
            let e = r.email.to_lowercase();
            e == "customer000004@example.com" || e == "a_b@example.com"
        },
    )
    .await;
    fx.selects_none(json!({ "customerEmail": { "eq": "nobody@example.com" } }))
        .await;
}

async fn reference_number_and_key_filters_are_case_sensitive(backend: Backend) {
    let fx = arranged(backend).await;

    fx.selects(json!({ "reference": { "eq": "REF-00000007" } }), |r| {
        r.reference() == "REF-00000007"
    })
    .await;
    fx.selects(
        json!({ "reference": { "in": ["REF-00000001", "REF-00000002", "HUNDRED-JPY", "missing"] } }),
        |r| ["REF-00000001", "REF-00000002", "HUNDRED-JPY"].contains(&r.reference()),
    )
    .await;
    fx.selects(
        json!({ "reference": { "startsWith": "REF-0000001" } }),
        |r| r.reference().starts_with("REF-0000001"),
    )
    .await;
    fx.selects(json!({ "reference": { "contains": "0007" } }), |r| {
        r.reference().contains("0007")
    })
    .await;
    fx.selects(json!({ "reference": { "contains": "HUNDRED" } }), |r| {
        r.reference().contains("HUNDRED")
    })
    .await;
    // Case-sensitive: the seeded references start with `REF-`.
    fx.selects_none(json!({ "reference": { "startsWith": "ref-" } }))
        .await;
    fx.selects_none(json!({ "reference": { "contains": "ref-0000" } }))
        .await;
    fx.selects_none(json!({ "reference": { "eq": "ref-00000007" } }))
        .await;
    // The archived order's reference: hidden by default.
    fx.selects_none(json!({ "reference": { "eq": fx.archived.reference() } }))
        .await;

    let some = &fx.by_reference("REF-00000005").order.number;
    fx.selects(json!({ "number": { "eq": some } }), |r| {
        &r.order.number == some
    })
    .await;
    fx.selects(json!({ "number": { "startsWith": "ORD-00001" } }), |r| {
        r.order.number.starts_with("ORD-00001")
    })
    .await;
    fx.selects(json!({ "number": { "startsWith": "ORD-00008" } }), |r| {
        r.order.number.starts_with("ORD-00008")
    })
    .await;
    fx.selects_none(json!({ "number": { "eq": some.to_lowercase() } }))
        .await;
    fx.selects_none(json!({ "number": { "startsWith": "ord-" } }))
        .await;

    fx.selects(json!({ "idempotencyKey": { "eq": "idem-alpha-1" } }), |r| {
        r.key() == "idem-alpha-1"
    })
    .await;
    fx.selects(
        json!({ "idempotencyKey": { "startsWith": "idem-alpha" } }),
        |r| r.key().starts_with("idem-alpha"),
    )
    .await;
    fx.selects(
        json!({ "idempotencyKey": { "in": ["idem-alpha-2", "idemXbeta", "nope"] } }),
        |r| r.key() == "idem-alpha-2" || r.key() == "idemXbeta",
    )
    .await;
    fx.selects_none(json!({ "idempotencyKey": { "eq": "IDEM-ALPHA-1" } }))
        .await;
    assert_eq!(
        fx.rows
            .iter()
            .filter(|r| r.order.idempotency_key.is_some())
            .count(),
        4,
        "only the four orders made with a key have one"
    );
}

async fn source_search_id_and_archived_filters_select_the_expected_orders(backend: Backend) {
    let fx = arranged(backend).await;

    fx.selects(json!({ "source": ["WORKFLOW"] }), |r| {
        r.order.source == OrderSource::Workflow
    })
    .await;
    fx.selects(json!({ "source": ["MANUAL", "PORTAL"] }), |r| {
        matches!(r.order.source, OrderSource::Manual | OrderSource::Portal)
    })
    .await;

    // search: case-insensitive substring of number, reference, description, customer email.
    let search = |needle: &str| {
        let needle = needle.to_lowercase();
        move |r: &Row| {
            [
                r.order.number.as_str(),
                r.reference(),
                r.order.description.as_deref().unwrap_or(""),
                r.email.as_str(),
            ]
            .iter()
            .any(|field| field.to_lowercase().contains(&needle))
        }
    };
    for needle in [
        "gift WRAP",
        "mixed.CASE",
        "ref-0000002",
        "ord-00000",
        "Customer00001",
        "hundred",
        "XREAL",
    ] {
        fx.selects(json!({ "search": needle }), search(needle))
            .await;
    }

    // id: listed orders only; garbled IDs and IDs of another kind match nothing.
    let picked: Vec<i64> = ["REF-00000004", "REF-00000040", "HUNDRED-USD"]
        .iter()
        .map(|reference| fx.by_reference(reference).order.id)
        .collect();
    let mut ids: Vec<String> = picked.iter().map(|id| encode(Kind::Order, *id).0).collect();
    ids.push("garbled".to_owned());
    ids.push(encode(Kind::Customer, picked[0]).0);
    ids.push(encode(Kind::Order, fx.archived.order.id).0);
    fx.selects(json!({ "id": { "in": ids } }), |r| {
        picked.contains(&r.order.id)
    })
    .await;
    fx.selects_none(json!({ "id": { "in": ["garbled"] } }))
        .await;

    // archived
    let n = fx
        .matches_rows(json!({ "archived": true }), |r| !r.active())
        .await;
    assert_eq!(n, 1);
    fx.selects_every_active(json!({ "archived": false })).await;
    fx.selects_every_active(json!({})).await;
    fx.matches_rows(
        json!({ "archived": true, "currencyCode": { "eq": fx.archived.currency } }),
        |r| !r.active(),
    )
    .await;
}

// ---------------------------------------------------------------- `%` and `_`

async fn percent_and_underscore_are_literal_in_starts_with_and_contains(backend: Backend) {
    let fx = arranged(backend).await;
    let refs = |wanted: &'static [&'static str]| move |r: &Row| wanted.contains(&r.reference());

    // references: 50%off, 50_off, 50Xoff, 500off, a\b
    fx.selects(
        json!({ "reference": { "startsWith": "50%" } }),
        refs(&["50%off"]),
    )
    .await;
    fx.selects(
        json!({ "reference": { "startsWith": "50_" } }),
        refs(&["50_off"]),
    )
    .await;
    fx.selects(
        json!({ "reference": { "contains": "%o" } }),
        refs(&["50%off"]),
    )
    .await;
    fx.selects(
        json!({ "reference": { "contains": "0_o" } }),
        refs(&["50_off"]),
    )
    .await;
    fx.selects(
        json!({ "reference": { "contains": "%" } }),
        refs(&["50%off"]),
    )
    .await;
    fx.selects(
        json!({ "reference": { "contains": "_" } }),
        refs(&["50_off"]),
    )
    .await;
    fx.selects(
        json!({ "reference": { "eq": "50_off" } }),
        refs(&["50_off"]),
    )
    .await;
    fx.selects(json!({ "reference": { "startsWith": "50" } }), |r| {
        r.reference().starts_with("50")
    })
    .await;
    fx.selects(
        json!({ "reference": { "contains": "\\" } }),
        refs(&["a\\b"]),
    )
    .await;
    fx.selects(
        json!({ "reference": { "startsWith": "a\\" } }),
        refs(&["a\\b"]),
    )
    .await;
    fx.selects_none(json!({ "reference": { "startsWith": "5_%" } }))
        .await;
    fx.selects_none(json!({ "reference": { "contains": "_%" } }))
        .await;

    // channel codes: lit_chan and litXchan
    fx.selects(json!({ "channelCode": { "startsWith": "lit_" } }), |r| {
        r.channel == "lit_chan"
    })
    .await;
    fx.selects(json!({ "channelCode": { "contains": "t_c" } }), |r| {
        r.channel == "lit_chan"
    })
    .await;
    fx.selects_none(json!({ "channelCode": { "contains": "%" } }))
        .await;

    // emails: a_b / axb, 100%real / 100xreal / 1000real
    fx.selects(json!({ "customerEmail": { "contains": "A_B" } }), |r| {
        r.email == "a_b@example.com"
    })
    .await;
    fx.selects(json!({ "customerEmail": { "startsWith": "100%" } }), |r| {
        r.email == "100%real@example.com"
    })
    .await;
    fx.selects(json!({ "customerEmail": { "contains": "0%R" } }), |r| {
        r.email == "100%real@example.com"
    })
    .await;

    // idempotency keys: idem_beta / idemXbeta
    fx.selects(json!({ "idempotencyKey": { "contains": "_" } }), |r| {
        r.key() == "idem_beta"
    })
    .await;
    fx.selects(
        json!({ "idempotencyKey": { "startsWith": "idem_" } }),
        |r| r.key() == "idem_beta",
    )
    .await;

    // search is a substring match too, with the same literal characters.
    fx.selects(json!({ "search": "50%" }), refs(&["50%off"]))
        .await;
    fx.selects(json!({ "search": "0_O" }), refs(&["50_off"]))
        .await;
    fx.selects(json!({ "search": "0%r" }), |r| {
        r.email == "100%real@example.com"
    })
    .await;
    fx.selects(json!({ "search": "a\\" }), refs(&["a\\b"]))
        .await;
}

// ---------------------------------------------------------------- combinations

async fn combined_filters_follow_and_or_and_not(backend: Backend) {
    let fx = arranged(backend).await;
    let by_total = fx.seeded_sorted_by(|r| r.order.total);
    let m = by_total[by_total.len() / 2].order.total;
    let mid = decimal4(m);

    // Several fields at once: all must hold.
    fx.selects(
        json!({
            "status": { "in": ["PENDING", "PROCESSING", "DELIVERED"] },
            "currencyCode": { "in": ["USD", "EUR"] },
            "total": { "gte": mid },
        }),
        |r| {
            matches!(
                r.order.status,
                OrderStatus::Pending | OrderStatus::Processing | OrderStatus::Delivered
            ) && (r.currency == "USD" || r.currency == "EUR")
                && r.order.total >= m
        },
    )
    .await;
    fx.selects(
        json!({
            "channelCode": { "startsWith": "web-" },
            "customerEmail": { "startsWith": "CUSTOMER" },
            "source": ["ECOMMERCE"],
        }),
        |r| {
            r.channel.starts_with("web-")
                && r.email.starts_with("customer")
                && r.order.source == OrderSource::Ecommerce
        },
    )
    .await;

    // and
    fx.selects(
        json!({ "and": [
            { "channelCode": { "startsWith": "web-" } },
            { "total": { "lt": mid } },
            { "paymentStatus": { "notIn": ["REFUNDED"] } },
        ] }),
        |r| {
            r.channel.starts_with("web-")
                && r.order.total < m
                && r.order.payment_status != PaymentStatus::Refunded
        },
    )
    .await;
    // Two conditions on one field through `and`.
    fx.selects(
        json!({ "and": [
            { "reference": { "startsWith": "REF-00000" } },
            { "reference": { "contains": "3" } },
        ] }),
        |r| r.reference().starts_with("REF-00000") && r.reference().contains('3'),
    )
    .await;

    // or
    fx.selects(
        json!({ "or": [
            { "currencyCode": { "eq": "JPY" } },
            { "status": { "eq": "CANCELLED" } },
            { "reference": { "eq": "50%off" } },
        ] }),
        |r| {
            r.currency == "JPY"
                || r.order.status == OrderStatus::Cancelled
                || r.reference() == "50%off"
        },
    )
    .await;
    // or beside a field: (field) AND (any branch)
    fx.selects(
        json!({
            "channelCode": { "eq": "marketplace" },
            "or": [{ "total": { "gt": mid } }, { "fulfillmentStatus": { "eq": "PENDING" } }],
        }),
        |r| {
            r.channel == "marketplace"
                && (r.order.total > m || r.order.fulfillment_status == FulfillmentStatus::Pending)
        },
    )
    .await;

    // not
    fx.selects(
        json!({ "not": { "channelCode": { "in": ["web-eu", "web-us"] } } }),
        |r| r.channel != "web-eu" && r.channel != "web-us",
    )
    .await;
    // not over two fields: NOT (a AND b)
    fx.selects(
        json!({ "not": { "currencyCode": { "eq": "USD" }, "total": { "gt": mid } } }),
        |r| !(r.currency == "USD" && r.order.total > m),
    )
    .await;
    // or inside not
    fx.selects(
        json!({ "not": { "or": [
            { "currencyCode": { "eq": "USD" } },
            { "source": ["ECOMMERCE"] },
        ] } }),
        |r| !(r.currency == "USD" || r.order.source == OrderSource::Ecommerce),
    )
    .await;
    // not inside or inside and
    fx.selects(
        json!({ "and": [
            { "or": [
                { "not": { "status": { "in": ["DELIVERED", "FULFILLED"] } } },
                { "reference": { "startsWith": "REF-0000002" } },
            ] },
            { "not": { "not": { "currencyCode": { "in": ["USD", "EUR", "GBP"] } } } },
        ] }),
        |r| {
            (!matches!(
                r.order.status,
                OrderStatus::Delivered | OrderStatus::Fulfilled
            ) || r.reference().starts_with("REF-0000002"))
                && ["USD", "EUR", "GBP"].contains(&r.currency.as_str())
        },
    )
    .await;
    // A condition that contradicts itself.
    fx.selects_none(json!({
        "currencyCode": { "eq": "JPY" },
        "not": { "currencyCode": { "eq": "JPY" } },
    }))
    .await;
    // not hides nothing extra: archived orders stay hidden.
    fx.selects_every_active(json!({ "not": { "archived": true } }))
        .await;
}

async fn archived_inside_or_branches_lists_the_archived_order(backend: Backend) {
    let fx = arranged(backend).await;
    let a = &fx.archived;
    let a_id = a.order.id;

    // Top-level `archived: true` with an `or`: only archived ones, when a branch holds.
    fx.matches_rows(
        json!({
            "archived": true,
            "or": [{ "currencyCode": { "eq": a.currency } }, { "status": { "eq": "CANCELLED" } }],
        }),
        |r| r.order.id == a_id,
    )
    .await;
    fx.selects_none(json!({
        "archived": true,
        "not": { "currencyCode": { "eq": a.currency } },
    }))
    .await;

    // `archived: true` in a branch: the archived order, or the other branch's orders.
    let n = fx
        .matches_rows(
            json!({ "or": [{ "archived": true }, { "currencyCode": { "eq": "JPY" } }] }),
            |r| !r.active() || r.currency == "JPY",
        )
        .await;
    assert!(n > 1);
    fx.matches_rows(
        json!({ "or": [
            { "archived": true, "channelCode": { "eq": a.channel } },
            { "status": { "eq": "CANCELLED" } },
        ] }),
        |r| r.order.id == a_id || (r.active() && r.order.status == OrderStatus::Cancelled),
    )
    .await;
    fx.matches_rows(
        json!({ "or": [
            { "archived": false, "currencyCode": { "eq": "KWD" } },
            { "archived": true },
        ] }),
        |r| r.order.id == a_id || (r.active() && r.currency == "KWD"),
    )
    .await;
    // A branch that asks for archived orders of another channel: nothing from it.
    let other_channel = if a.channel == "web-eu" {
        "web-us"
    } else {
        "web-eu"
    };
    fx.matches_rows(
        json!({ "or": [
            { "archived": true, "channelCode": { "eq": other_channel } },
            { "currencyCode": { "eq": "GBP" } },
        ] }),
        |r| r.active() && r.currency == "GBP",
    )
    .await;
}

// ---------------------------------------------------------------- limits

async fn in_lists_take_at_most_100_values(backend: Backend) {
    let fx = arranged(backend).await;
    let refs = |n: usize| -> Vec<String> { (0..n).map(|i| format!("REF-{i:08}")).collect() };
    let order_ids = |n: i64| -> Vec<String> { (1..=n).map(|i| encode(Kind::Order, i).0).collect() };
    let customer_ids =
        |n: i64| -> Vec<String> { (1..=n).map(|i| encode(Kind::Customer, i).0).collect() };
    let many = |n: usize, value: &str| -> Vec<String> { vec![value.to_owned(); n] };

    // 100 values are fine, and select what they name.
    fx.selects(json!({ "reference": { "in": refs(100) } }), |r| {
        r.reference().starts_with("REF-")
    })
    .await;
    let active_ids: Vec<i64> = (1..=100).collect();
    fx.matches_rows(json!({ "id": { "in": order_ids(100) } }), |r| {
        r.active() && active_ids.contains(&r.order.id)
    })
    .await;
    fx.matches_rows(json!({ "status": { "in": many(100, "PENDING") } }), |r| {
        r.active() && r.order.status == OrderStatus::Pending
    })
    .await;
    fx.matches_rows(
        json!({ "customerEmail": { "in": many(100, "A_B@example.com") } }),
        |r| r.active() && r.email == "a_b@example.com",
    )
    .await;

    // 101 values are BAD_USER_INPUT, for every `in` and `notIn` list, at any depth.
    let too_many = vec![
        json!({ "reference": { "in": refs(101) } }),
        json!({ "number": { "in": many(101, "ORD-000001") } }),
        json!({ "idempotencyKey": { "in": many(101, "k") } }),
        json!({ "channelCode": { "in": many(101, "web-eu") } }),
        json!({ "currencyCode": { "in": many(101, "USD") } }),
        json!({ "customerEmail": { "in": many(101, "a@example.com") } }),
        json!({ "id": { "in": order_ids(101) } }),
        json!({ "customerId": { "in": customer_ids(101) } }),
        json!({ "status": { "in": many(101, "PENDING") } }),
        json!({ "status": { "notIn": many(101, "PENDING") } }),
        json!({ "paymentStatus": { "in": many(101, "PAID") } }),
        json!({ "paymentStatus": { "notIn": many(101, "PAID") } }),
        json!({ "fulfillmentStatus": { "in": many(101, "PENDING") } }),
        json!({ "fulfillmentStatus": { "notIn": many(101, "PENDING") } }),
        json!({ "or": [{ "archived": true }, { "reference": { "in": refs(101) } }] }),
        json!({ "and": [{ "id": { "in": order_ids(101) } }] }),
        json!({ "not": { "customerId": { "in": customer_ids(101) } } }),
    ];
    for filter in too_many {
        let response = fx
            .app
            .graphql(PAGE, json!({ "first": 5, "filter": filter }))
            .await;
        assert_eq!(
            error_code(&response),
            "BAD_USER_INPUT",
            "filter {filter}: {response:#}"
        );
    }
}

// ---------------------------------------------------------------- concurrency

async fn a_walk_during_concurrent_inserts_visits_every_existing_order_once(backend: Backend) {
    let app = Arc::new(spawn_app(backend).await);
    ordergraph::seed::seed(&app.db, "demo", 90, 30, false)
        .await
        .unwrap();
    let tenant = tenant_id(&app, "demo").await;
    let existing: Vec<Row> = read_rows(&app, tenant).await;
    assert_eq!(existing.len(), 90);

    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4_u32)
        .map(|w| {
            let app = Arc::clone(&app);
            let stop = Arc::clone(&stop);
            tokio::spawn(async move {
                let mut made = 0_u32;
                while made < 3 || !stop.load(Ordering::SeqCst) {
                    // Totals spread over the seeded range, so new rows land before and after cursors.
                    let price = format!("{}.{:02}", 5 + (w * 97 + made * 61) % 400, made % 100);
                    let currency = if made.is_multiple_of(2) { "USD" } else { "EUR" };
                    let input = order_input(
                        "web-eu",
                        currency,
                        &format!("writer{w}@example.com"),
                        &price,
                    );
                    create_order(&app, input, None).await;
                    made += 1;
                    assert!(made < 2_000, "the walks do not end");
                }
                made
            })
        })
        .collect();

    let cases = [
        (json!(null), json!(null), None),
        (
            json!(null),
            json!([{ "field": "CREATED_AT", "direction": "ASC" }]),
            None,
        ),
        (
            json!(null),
            json!([{ "field": "TOTAL", "direction": "ASC" }]),
            None,
        ),
        (
            json!(null),
            json!([{ "field": "NUMBER", "direction": "DESC" }]),
            None,
        ),
        (
            json!({ "currencyCode": { "in": ["USD", "EUR"] } }),
            json!([{ "field": "TOTAL", "direction": "DESC" }, { "field": "CREATED_AT", "direction": "ASC" }]),
            Some(["USD", "EUR"]),
        ),
    ];
    for (filter, sort, currencies) in cases {
        let walked = walk(&app, 7, &filter, &sort).await;
        let mut times: HashMap<&str, usize> = HashMap::new();
        for number in &walked.numbers {
            *times.entry(number.as_str()).or_default() += 1;
        }
        let twice: Vec<_> = times.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "listed twice under {sort}: {twice:?}");
        for row in &existing {
            if currencies.is_some_and(|c| !c.contains(&row.currency.as_str())) {
                continue;
            }
            assert_eq!(
                times.get(row.order.number.as_str()),
                Some(&1),
                "{} under filter {filter}, sort {sort}",
                row.order.number
            );
        }
    }

    // Inserts really ran during the walks.
    let during = read_rows(&app, tenant).await.len();
    stop.store(true, Ordering::SeqCst);
    assert!(during > 90, "no order was inserted during the walks");
    let mut made = 0;
    for writer in writers {
        made += writer.await.unwrap();
    }
    assert!(made >= 12);
    // The inserts really happened: every order is there at the end.
    let after = walk(&app, 50, &json!(null), &json!(null)).await;
    assert_eq!(after.numbers.len(), 90 + made as usize);
    assert_eq!(after.counts[0], json!(90 + made));
}

// ---------------------------------------------------------------- lookups

const LOOKUP: &str = "query($ref: String!) {
  orderByReference(reference: $ref) { id number reference items { id sku quantity } }
}";

const ITEM_NODE: &str = "query($id: ID!) {
  node(id: $id) {
    __typename id
    ... on OrderItem { sku name quantity unitPrice order { id number } }
  }
}";

async fn order_by_reference_and_item_nodes_resolve_only_in_their_own_tenant(backend: Backend) {
    let fx = arranged(backend).await;
    let app = &fx.app;
    let other_key = app.key_for("other").await;
    let other_tenant = tenant_id(app, "other").await;
    let other_rows = read_rows(app, other_tenant).await;

    for reference in ["REF-00000003", "50_off", "a\\b", "HUNDRED-JPY"] {
        let row = fx.by_reference(reference);
        let items = order_item::Entity::find()
            .filter(order_item::Column::OrderId.eq(row.order.id))
            .order_by_asc(order_item::Column::Position)
            .all(&app.db)
            .await
            .unwrap();
        assert!(!items.is_empty());
        let order_id = encode(Kind::Order, row.order.id).0;

        let found = app.graphql(LOOKUP, json!({ "ref": reference })).await;
        let found = &data(&found)["orderByReference"];
        assert_eq!(found["id"], json!(order_id), "{reference}");
        assert_eq!(found["number"], json!(row.order.number));
        assert_eq!(found["reference"], json!(reference));
        let listed: Vec<Value> = items
            .iter()
            .map(|i| json!({ "id": encode(Kind::OrderItem, i.id).0, "sku": i.sku, "quantity": i.quantity }))
            .collect();
        assert_eq!(found["items"], json!(listed), "{reference}");

        for item in &items {
            let id = encode(Kind::OrderItem, item.id).0;
            let node = app.graphql(ITEM_NODE, json!({ "id": id })).await;
            let node = &data(&node)["node"];
            assert_eq!(node["__typename"], "OrderItem");
            assert_eq!(node["id"], json!(id));
            assert_eq!(node["sku"], json!(item.sku));
            assert_eq!(node["name"], json!(item.name));
            assert_eq!(node["quantity"], json!(item.quantity));
            assert_eq!(node["order"]["id"], json!(order_id));
            assert_eq!(node["order"]["number"], json!(row.order.number));

            // Another tenant: null, without an error.
            let foreign = app
                .graphql_as(&other_key, ITEM_NODE, json!({ "id": id }))
                .await;
            assert_eq!(data(&foreign)["node"], Value::Null, "{foreign:#}");
        }

        // Another tenant with the same reference sees its own order; without it, null.
        let foreign = app
            .graphql_as(&other_key, LOOKUP, json!({ "ref": reference }))
            .await;
        let foreign = &data(&foreign)["orderByReference"];
        match other_rows.iter().find(|r| r.reference() == reference) {
            Some(theirs) => {
                assert_ne!(theirs.order.id, row.order.id);
                assert_eq!(foreign["id"], json!(encode(Kind::Order, theirs.order.id).0));
            }
            None => assert_eq!(*foreign, Value::Null, "{reference}"),
        }
    }

    // Exact: neither a prefix nor another case finds an order.
    for missing in ["REF-0000000", "ref-00000003", "50%", "50_"] {
        let response = app.graphql(LOOKUP, json!({ "ref": missing })).await;
        assert_eq!(
            data(&response)["orderByReference"],
            Value::Null,
            "{missing}"
        );
    }
    // Garbled item IDs and IDs of another tenant's items are null too.
    let foreign_item = order_item::Entity::find()
        .filter(order_item::Column::TenantId.eq(other_tenant))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    for id in [
        "garbled".to_owned(),
        encode(Kind::OrderItem, foreign_item.id).0,
    ] {
        let response = app.graphql(ITEM_NODE, json!({ "id": id })).await;
        assert_eq!(data(&response)["node"], Value::Null, "{id}");
    }
    assert!(fx.tenant_id != other_tenant);
}

both_backends!(
    status_filters_select_exactly_the_orders_with_those_statuses,
    total_filters_compare_amounts_exactly_in_any_spelling,
    time_filters_take_rfc3339_with_any_offset,
    channel_and_currency_code_filters_match_exactly,
    customer_filters_match_by_id_and_by_email_in_any_case,
    reference_number_and_key_filters_are_case_sensitive,
    source_search_id_and_archived_filters_select_the_expected_orders,
    percent_and_underscore_are_literal_in_starts_with_and_contains,
    combined_filters_follow_and_or_and_not,
    archived_inside_or_branches_lists_the_archived_order,
    in_lists_take_at_most_100_values,
    a_walk_during_concurrent_inserts_visits_every_existing_order_once,
    order_by_reference_and_item_nodes_resolve_only_in_their_own_tenant,
);
