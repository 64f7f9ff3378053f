//! Money near the top of the range survives storage, the API and filters
//! exactly (no binary floating point anywhere between them).

use chrono::Utc;
use entity::{channel, currency, customer, order, order_item, tenant};
use ordergraph::domain::money::Amount;
use ordergraph::domain::totals::{item_totals, order_totals, ItemAmounts};
use ordergraph::graphql::ids::{encode, Kind};
use ordergraph::service::orders::{allocate_numbers, format_number};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::both_backends;
use crate::helpers::{data, spawn_app, Backend, TestApp};

/// Writes, with SeaORM, a USD order of the demo tenant with one item of
/// `quantity` × `unit_price`; returns its row id and total.
async fn insert_order(app: &TestApp, unit_price: Amount, quantity: i32) -> (i64, Amount) {
    let db = &app.db;
    let tenant_id = tenant::Entity::find()
        .filter(tenant::Column::Name.eq(ordergraph::service::auth::DEMO_TENANT))
        .one(db)
        .await
        .expect("tenants read")
        .expect("the demo tenant")
        .id;
    let usd = currency::Entity::find()
        .filter(currency::Column::Code.eq("USD"))
        .one(db)
        .await
        .expect("currencies read")
        .expect("USD");
    let now = Utc::now();
    let channel = channel::ActiveModel {
        tenant_id: Set(tenant_id),
        code: Set("web".to_owned()),
        name: Set("Web".to_owned()),
        url: Set(None),
        connector_type: Set(None),
        connector_code: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("channel inserted");
    let customer = customer::ActiveModel {
        tenant_id: Set(tenant_id),
        email: Set("rich@example.com".to_owned()),
        email_lower: Set("rich@example.com".to_owned()),
        first_name: Set(None),
        last_name: Set(None),
        phone: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("customer inserted");
    let item = item_totals(ItemAmounts {
        quantity: i64::from(quantity),
        unit_price,
        discount: Amount::ZERO,
        tax: Amount::ZERO,
    })
    .expect("item totals");
    let totals =
        order_totals(&[item], Amount::ZERO, Amount::ZERO, Amount::ZERO).expect("order totals");
    let seq = allocate_numbers(db, tenant_id, 1)
        .await
        .expect("number allocated");
    let order = order::ActiveModel {
        tenant_id: Set(tenant_id),
        number: Set(format_number(seq)),
        number_seq: Set(seq),
        reference: Set(None),
        external_id: Set(None),
        description: Set(None),
        source: Set(order::OrderSource::Manual),
        locale: Set(None),
        payment_reference: Set(None),
        idempotency_key: Set(None),
        idempotency_hash: Set(None),
        status: Set(order::OrderStatus::Pending),
        payment_status: Set(order::PaymentStatus::Pending),
        fulfillment_status: Set(order::FulfillmentStatus::Pending),
        delivery_method: Set(None),
        shipping_method: Set(None),
        channel_id: Set(channel.id),
        currency_id: Set(usd.id),
        customer_id: Set(customer.id),
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
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("order inserted");
    order_item::ActiveModel {
        tenant_id: Set(tenant_id),
        order_id: Set(order.id),
        position: Set(0),
        sku: Set("YACHT".to_owned()),
        name: Set("Yacht".to_owned()),
        barcode: Set(None),
        quantity: Set(quantity),
        unit_price: Set(unit_price.0),
        subtotal: Set(item.subtotal.0),
        discount_total: Set(item.discount_total.0),
        tax_total: Set(item.tax_total.0),
        total: Set(item.total.0),
        metadata: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("item inserted");
    (order.id, totals.total)
}

async fn the_largest_amounts_are_read_back_exactly_through_the_api(backend: Backend) {
    let app = spawn_app(backend).await;
    let unit_price = Amount::parse("99999999999.99", 2).expect("an amount");
    let (id, _) = insert_order(&app, unit_price, 1000).await;

    let response = app
        .graphql(
            "query($id: ID!) { order(id: $id) {
               subtotal total currency { code }
               items { quantity unitPrice subtotal total }
             } }",
            json!({ "id": encode(Kind::Order, id).0 }),
        )
        .await;

    assert_eq!(
        data(&response)["order"],
        json!({
            "subtotal": "99999999999990.00",
            "total": "99999999999990.00",
            "currency": { "code": "USD" },
            "items": [{
                "quantity": 1000,
                "unitPrice": "99999999999.99",
                "subtotal": "99999999999990.00",
                "total": "99999999999990.00",
            }],
        })
    );
}

async fn the_largest_total_is_stored_exactly_and_compares_exactly(backend: Backend) {
    let app = spawn_app(backend).await;
    let unit_price = Amount::parse("99999999999.99", 2).expect("an amount");
    let (id, total) = insert_order(&app, unit_price, 1000).await;
    // 999_999_999_999_900_000 units of 10⁻⁴: far beyond 2^53, so an f64 on the way would show.
    assert_eq!(total, Amount(999_999_999_999_900_000));

    let stored = order::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("read")
        .expect("the order");
    let just_below = order::Entity::find()
        .filter(order::Column::Total.gt(total.0 - 1))
        .all(&app.db)
        .await
        .expect("filtered");
    let at = order::Entity::find()
        .filter(order::Column::Total.gt(total.0))
        .all(&app.db)
        .await
        .expect("filtered");
    let equal = order::Entity::find()
        .filter(order::Column::Total.eq(total.0))
        .all(&app.db)
        .await
        .expect("filtered");
    let equal_below = order::Entity::find()
        .filter(order::Column::Total.eq(total.0 - 1))
        .all(&app.db)
        .await
        .expect("filtered");

    assert_eq!(stored.total, total.0);
    assert_eq!(
        just_below.iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![id]
    );
    assert!(at.is_empty(), "total > total found {at:?}");
    assert_eq!(equal.len(), 1);
    assert!(equal_below.is_empty());
}

both_backends!(
    the_largest_amounts_are_read_back_exactly_through_the_api,
    the_largest_total_is_stored_exactly_and_compares_exactly,
);
