//! `ordergraph seed`: deterministic demo data (channels, customers, orders
//! with 1–6 items), written in batches with a progress bar.
//!
//! The same `--orders N` on an empty tenant always produces the same rows
//! (apart from ids and numbers when the tenant already has orders).

use std::collections::HashMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use entity::order::{FulfillmentStatus, OrderSource, OrderStatus, PaymentStatus};
use entity::{channel, customer, order, order_item};
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    TransactionTrait,
};

use crate::config::SeedArgs;
use crate::domain::money::Amount;
use crate::domain::totals::{item_totals, order_totals, ItemAmounts};
use crate::graphql::loaders::CurrencyTable;
use crate::service::orders::{allocate_numbers, format_number};
use crate::{db, service};

/// Rows per INSERT, below SQLite's limit of 32,766 bound parameters.
const ORDERS_PER_INSERT: usize = 400;
const ITEMS_PER_INSERT: usize = 1_500;

/// SplitMix64: a tiny, fixed pseudo-random sequence, so seeds never change with a crate upgrade.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }
}

const CHANNELS: &[(&str, &str, &str, &str)] = &[
    ("web-eu", "Web shop EU", "Online Store", "shopify"),
    ("web-us", "Web shop US", "Online Store", "shopify"),
    ("marketplace", "Marketplace", "Marketplace", "amazon"),
    ("pos-berlin", "Store Berlin", "Point of Sale", "square"),
];
const CURRENCIES: &[&str] = &["USD", "USD", "USD", "EUR", "EUR", "GBP", "JPY", "KWD"];
const PRODUCTS: &[(&str, &str, i64)] = &[
    ("TSHIRT-BLK-M", "T-shirt black M", 19_9900),
    ("TSHIRT-WHT-L", "T-shirt white L", 19_9900),
    ("HOODIE-GRY-M", "Hoodie grey M", 49_5000),
    ("MUG-LOGO", "Mug with logo", 12_0000),
    ("CAP-NAVY", "Cap navy", 24_0000),
    ("SOCKS-3PK", "Socks, 3 pairs", 9_9900),
    ("BAG-TOTE", "Tote bag", 15_0000),
    ("BOTTLE-SS", "Steel bottle", 29_0000),
    ("NOTEBOOK-A5", "Notebook A5", 7_5000),
    ("JACKET-RAIN", "Rain jacket", 129_0000),
];
const STATUSES: &[(OrderStatus, PaymentStatus, FulfillmentStatus)] = &[
    (
        OrderStatus::Pending,
        PaymentStatus::Pending,
        FulfillmentStatus::Pending,
    ),
    (
        OrderStatus::Pending,
        PaymentStatus::Authorized,
        FulfillmentStatus::Pending,
    ),
    (
        OrderStatus::Processing,
        PaymentStatus::Paid,
        FulfillmentStatus::InProgress,
    ),
    (
        OrderStatus::Processing,
        PaymentStatus::Authorized,
        FulfillmentStatus::Unfulfilled,
    ),
    (
        OrderStatus::PartiallyFulfilled,
        PaymentStatus::Paid,
        FulfillmentStatus::PartiallyFulfilled,
    ),
    (
        OrderStatus::Fulfilled,
        PaymentStatus::Paid,
        FulfillmentStatus::Fulfilled,
    ),
    (
        OrderStatus::Delivered,
        PaymentStatus::Paid,
        FulfillmentStatus::Fulfilled,
    ),
    (
        OrderStatus::Delivered,
        PaymentStatus::Paid,
        FulfillmentStatus::Fulfilled,
    ),
    (
        OrderStatus::Cancelled,
        PaymentStatus::Refunded,
        FulfillmentStatus::Cancelled,
    ),
    (
        OrderStatus::PartiallyCancelled,
        PaymentStatus::PartiallyRefunded,
        FulfillmentStatus::PartiallyFulfilled,
    ),
];

/// Scales a price in USD-like units to a currency's exponent (JPY prices are ×100, whole yen).
fn price_in(base: i64, code: &str) -> i64 {
    match code {
        "JPY" => base * 150 / 10_000 * 10_000,
        "KWD" => base * 3 / 10 / 10 * 10,
        _ => base,
    }
}

/// The customers and channels of the tenant, creating them when missing.
async fn reference_rows(
    db: &DatabaseConnection,
    tenant_id: i64,
    customers: u64,
) -> Result<(Vec<i64>, Vec<i64>), DbErr> {
    let now = Utc::now();
    let channel_rows = CHANNELS
        .iter()
        .map(|(code, name, kind, connector)| channel::ActiveModel {
            tenant_id: Set(tenant_id),
            code: Set((*code).to_owned()),
            name: Set((*name).to_owned()),
            url: Set(Some(format!("https://{code}.example.com"))),
            connector_type: Set(Some((*kind).to_owned())),
            connector_code: Set(Some((*connector).to_owned())),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
    channel::Entity::insert_many(channel_rows)
        .on_conflict_do_nothing_on([channel::Column::TenantId, channel::Column::Code])
        .exec(db)
        .await?;
    let codes: Vec<&str> = CHANNELS.iter().map(|c| c.0).collect();
    let mut channel_ids: Vec<(String, i64)> = channel::Entity::find()
        .filter(channel::Column::TenantId.eq(tenant_id))
        .filter(channel::Column::Code.is_in(codes.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.code, c.id))
        .collect();
    channel_ids.sort_by_key(|(code, _)| codes.iter().position(|c| c == code));

    const FIRST: &[&str] = &[
        "Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis",
    ];
    const LAST: &[&str] = &[
        "Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie",
    ];
    let emails: Vec<String> = (1..=customers)
        .map(|i| format!("customer{i:06}@example.com"))
        .collect();
    for chunk in emails.chunks(2_000) {
        let rows = chunk
            .iter()
            .enumerate()
            .map(|(i, email)| customer::ActiveModel {
                tenant_id: Set(tenant_id),
                email: Set(email.clone()),
                email_lower: Set(email.clone()),
                first_name: Set(Some(FIRST[i % FIRST.len()].to_owned())),
                last_name: Set(Some(LAST[(i / FIRST.len()) % LAST.len()].to_owned())),
                phone: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            });
        customer::Entity::insert_many(rows)
            .on_conflict_do_nothing_on([customer::Column::TenantId, customer::Column::EmailLower])
            .exec(db)
            .await?;
    }
    let mut by_email: HashMap<String, i64> = HashMap::new();
    for chunk in emails.chunks(5_000) {
        for c in customer::Entity::find()
            .filter(customer::Column::TenantId.eq(tenant_id))
            .filter(customer::Column::EmailLower.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            by_email.insert(c.email_lower, c.id);
        }
    }
    let customer_ids = emails
        .iter()
        .filter_map(|e| by_email.get(e).copied())
        .collect();
    Ok((
        channel_ids.into_iter().map(|(_, id)| id).collect(),
        customer_ids,
    ))
}

/// Loads the demo data.
pub async fn run(args: &SeedArgs) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let db = db::connect(&args.database).await?;
    db::migrate(&db).await?;
    let summary = seed(
        &db,
        &args.tenant,
        args.orders,
        args.batch_size.max(1),
        !args.no_progress,
    )
    .await?;
    println!(
        "seeded tenant \"{}\": {} orders with {} items, {} customers, {} channels",
        args.tenant, summary.orders, summary.items, summary.customers, summary.channels
    );
    Ok(())
}

/// What `seed` wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub orders: u64,
    pub items: u64,
    pub customers: u64,
    pub channels: u64,
}

/// Writes `orders` orders (and the channels and customers they need) for a tenant.
pub async fn seed(
    db: &DatabaseConnection,
    tenant: &str,
    orders: u64,
    batch_size: u64,
    progress: bool,
) -> Result<Summary, Box<dyn std::error::Error + Send + Sync>> {
    let tenant_id = service::auth::find_or_create_tenant(db, tenant).await?;
    let customer_count = (orders / 5).clamp(10, 20_000);
    let (channels, customers) = reference_rows(db, tenant_id, customer_count).await?;
    let currencies = CurrencyTable::load(db).await?;
    let currency_of: Vec<(i64, i16, &str)> = CURRENCIES
        .iter()
        .filter_map(|code| currencies.by_code(code).map(|c| (c.id, c.exponent, *code)))
        .collect();

    let bar = if progress {
        ProgressBar::new(orders)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} seeding [{bar:40}] {pos}/{len} orders ({per_sec}, {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );

    let mut rng = Rng(0x0DE7_5EED);
    let start: DateTime<Utc> = Utc
        .with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let span_secs: i64 = 2 * 365 * 24 * 3600;
    let mut summary = Summary {
        channels: channels.len() as u64,
        customers: customers.len() as u64,
        ..Summary::default()
    };
    let mut done = 0_u64;
    while done < orders {
        let n = batch_size.min(orders - done);
        let first_seq = allocate_numbers(db, tenant_id, i64::try_from(n)?).await?;
        let mut order_rows = Vec::with_capacity(usize::try_from(n)?);
        let mut item_rows: Vec<(i64, order_item::ActiveModel)> = Vec::new();
        for k in 0..n {
            let index = done + k;
            let seq = first_seq + i64::try_from(k)?;
            let created_at = start
                + Duration::seconds(
                    span_secs * i64::try_from(index)? / i64::try_from(orders.max(1))?,
                )
                + Duration::milliseconds(i64::try_from(rng.below(1000))?);
            let (currency_id, exponent, code) = *rng.pick(&currency_of);
            let item_count = 1 + rng.below(6);
            let mut item_totals_list = Vec::new();
            for position in 0..item_count {
                let (sku, name, base) = *rng.pick(PRODUCTS);
                let quantity = 1 + i64::try_from(rng.below(4))?;
                let unit_price = Amount(price_in(base, code));
                let discount = if rng.below(4) == 0 {
                    Amount(
                        unit_price.0 / 10 / 10_i64.pow(4 - u32::try_from(exponent)?)
                            * 10_i64.pow(4 - u32::try_from(exponent)?),
                    )
                } else {
                    Amount::ZERO
                };
                let totals = item_totals(ItemAmounts {
                    quantity,
                    unit_price,
                    discount,
                    tax: Amount::ZERO,
                })?;
                item_totals_list.push(totals);
                item_rows.push((
                    seq,
                    order_item::ActiveModel {
                        tenant_id: Set(tenant_id),
                        position: Set(i32::try_from(position)?),
                        sku: Set(sku.to_owned()),
                        name: Set(name.to_owned()),
                        barcode: Set(None),
                        quantity: Set(i32::try_from(quantity)?),
                        unit_price: Set(unit_price.0),
                        subtotal: Set(totals.subtotal.0),
                        discount_total: Set(totals.discount_total.0),
                        tax_total: Set(totals.tax_total.0),
                        total: Set(totals.total.0),
                        metadata: Set(None),
                        created_at: Set(created_at),
                        updated_at: Set(created_at),
                        ..Default::default()
                    },
                ));
            }
            let shipping = Amount(price_in(4_9900, code));
            let totals = order_totals(&item_totals_list, Amount::ZERO, shipping, Amount::ZERO)?;
            let (status, payment_status, fulfillment_status) = *rng.pick(STATUSES);
            order_rows.push(order::ActiveModel {
                tenant_id: Set(tenant_id),
                number: Set(format_number(seq)),
                number_seq: Set(seq),
                reference: Set(Some(format!("REF-{index:08}"))),
                external_id: Set(None),
                description: Set(None),
                source: Set(*rng.pick(&[
                    OrderSource::Ecommerce,
                    OrderSource::Ecommerce,
                    OrderSource::Manual,
                    OrderSource::Portal,
                ])),
                locale: Set(Some("en-US".to_owned())),
                payment_reference: Set(None),
                idempotency_key: Set(None),
                idempotency_hash: Set(None),
                status: Set(status),
                payment_status: Set(payment_status),
                fulfillment_status: Set(fulfillment_status),
                delivery_method: Set(None),
                shipping_method: Set(None),
                channel_id: Set(*rng.pick(&channels)),
                currency_id: Set(currency_id),
                customer_id: Set(*rng.pick(&customers)),
                subtotal: Set(totals.subtotal.0),
                order_discount: Set(0),
                order_tax: Set(0),
                discount_total: Set(totals.discount_total.0),
                shipping_total: Set(totals.shipping_total.0),
                tax_total: Set(totals.tax_total.0),
                total: Set(totals.total.0),
                billing_address: Set(None),
                shipping_address: Set(None),
                metadata: Set(None),
                created_at: Set(created_at),
                updated_at: Set(created_at),
                archived_at: Set(None),
                version: Set(1),
                ..Default::default()
            });
        }
        let txn = db.begin().await?;
        for chunk in order_rows.chunks(ORDERS_PER_INSERT) {
            order::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await?;
        }
        let last_seq = first_seq + i64::try_from(n)? - 1;
        let ids: HashMap<i64, i64> = order::Entity::find()
            .filter(order::Column::TenantId.eq(tenant_id))
            .filter(order::Column::NumberSeq.between(first_seq, last_seq))
            .all(&txn)
            .await?
            .into_iter()
            .map(|o| (o.number_seq, o.id))
            .collect();
        let items: Vec<order_item::ActiveModel> = item_rows
            .into_iter()
            .filter_map(|(seq, mut item)| {
                item.order_id = Set(*ids.get(&seq)?);
                Some(item)
            })
            .collect();
        summary.items += items.len() as u64;
        for chunk in items.chunks(ITEMS_PER_INSERT) {
            order_item::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await?;
        done += n;
        summary.orders += n;
        bar.inc(n);
    }
    bar.finish_and_clear();
    Ok(summary)
}
