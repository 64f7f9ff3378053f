//! The hot paths read orders, items, customers and channels by column
//! position (`service::rows`): the same rows read that way and through
//! SeaORM's derived reader are equal, NULLs and every filled column alike.

use entity::{channel, customer, order, order_item};
use ordergraph::service::orders::{self, Key};
use ordergraph::service::rows::{self, Columns};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::both_backends;
use crate::helpers::{data, spawn_app, Backend};

const CREATE: &str = r#"mutation($input: CreateOrderInput!) {
  createOrder(input: $input) { order { id } userErrors { field code message } }
}"#;

both_backends!(rows_read_by_position_equal_seaorm_s);

async fn rows_read_by_position_equal_seaorm_s(backend: Backend) {
    let app = spawn_app(backend).await;
    let made = app
        .graphql(
            r#"mutation {
              a: createChannel(input: { code: "web", name: "Web" }) { userErrors { code } }
              b: createChannel(input: { code: "shop", name: "Shop", url: "https://shop.example",
                                        connectorType: "shopify", connectorCode: "s-1" }) { userErrors { code } }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(data(&made)["a"]["userErrors"], json!([]));
    assert_eq!(data(&made)["b"]["userErrors"], json!([]));
    let address =
        json!({ "firstName": "Ada", "line1": "1 Main St", "city": "Berlin", "countryCode": "DE" });
    // Every optional column filled …
    let full = json!({
        "channel": "shop", "currency": "EUR",
        "customer": { "create": { "email": "Ada@Example.com", "firstName": "Ada", "lastName": "L", "phone": "+49 30 1" } },
        "reference": "R-1", "externalId": "X-1", "description": "gift", "source": "PORTAL",
        "locale": "de-DE", "paymentReference": "pay_1", "shippingTotal": "4.90",
        "discount": "1.00", "tax": "0.50",
        "billingAddress": address, "shippingAddress": address,
        "deliveryMethod": "EXPRESS", "shippingMethod": "DELIVERY",
        "metadata": { "gift": true, "note": "ünïcode" },
        "items": [
            { "sku": "A", "name": "A", "quantity": 2, "unitPrice": "9.99", "discount": "0.50",
              "tax": "1.00", "barcode": "4006381333931", "metadata": { "size": "M" } },
            { "sku": "B", "name": "B", "quantity": 1, "unitPrice": "0.01" }
        ]
    });
    // … and none.
    let bare = json!({
        "channel": "web", "currency": "USD",
        "customer": { "create": { "email": "bob@example.com" } },
        "items": [{ "sku": "C", "name": "C", "quantity": 1, "unitPrice": "1.00" }]
    });
    for input in [full, bare] {
        let r = app.graphql(CREATE, json!({ "input": input })).await;
        assert_eq!(data(&r)["createOrder"]["userErrors"], json!([]), "{r}");
    }
    // An archived order has `archived_at`.
    let first = app
        .graphql(
            "{ orders(first: 1, sort: [{ field: NUMBER, direction: ASC }]) { nodes { id } } }",
            json!({}),
        )
        .await;
    let id = data(&first)["orders"]["nodes"][0]["id"].clone();
    let archived = app
        .graphql(
            "mutation($id: ID!) { archiveOrder(id: $id) { userErrors { code } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(data(&archived)["archiveOrder"]["userErrors"], json!([]));

    let db = &app.db;
    // Timestamps on both sides of both epochs (1970, and PostgreSQL's 2000),
    // to the microsecond.
    for (id, at) in [
        (1, "1969-07-20T20:17:40.123456Z"),
        (2, "1999-12-31T23:59:59.999999Z"),
    ] {
        let at: chrono::DateTime<chrono::Utc> = at.parse().unwrap();
        order::Entity::update_many()
            .col_expr(
                order::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(at),
            )
            .filter(order::Column::Id.eq(id))
            .exec(db)
            .await
            .unwrap();
    }
    let orders = order::Entity::find().order_by_asc(order::Column::Id);
    let by_name = orders.clone().all(db).await.unwrap();
    assert_eq!(by_name.len(), 2);
    assert_eq!(
        by_name
            .iter()
            .map(|o| o.updated_at.timestamp_micros())
            .collect::<Vec<_>>(),
        [-14_182_939_876_544, 946_684_799_999_999]
    );
    assert!(by_name
        .iter()
        .any(|o| o.archived_at.is_some() && o.metadata.is_some()));
    assert!(by_name
        .iter()
        .any(|o| o.reference.is_none() && o.delivery_method.is_none()));
    assert_eq!(rows::all(db, orders.clone()).await.unwrap(), by_name);
    assert_eq!(
        rows::one(db, orders).await.unwrap().as_ref(),
        by_name.first()
    );

    let items = order_item::Entity::find().order_by_asc(order_item::Column::Id);
    let by_name = items.clone().all(db).await.unwrap();
    assert_eq!(by_name.len(), 3);
    assert!(by_name
        .iter()
        .any(|i| i.barcode.is_some() && i.metadata.is_some()));
    assert_eq!(rows::all(db, items).await.unwrap(), by_name);

    let customers = customer::Entity::find().order_by_asc(customer::Column::Id);
    let by_name = customers.clone().all(db).await.unwrap();
    assert!(by_name.iter().any(|c| c.phone.is_some()) && by_name.iter().any(|c| c.phone.is_none()));
    assert_eq!(rows::all(db, customers).await.unwrap(), by_name);

    // Orders with what a statement joins to them, read by position: every
    // combination equals the separate reads.
    let orders = order::Entity::find()
        .order_by_asc(order::Column::Id)
        .all(db)
        .await
        .unwrap();
    let ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
    let tenant = orders[0].tenant_id;
    let items_of = |id: i64| {
        order_item::Entity::find()
            .filter(order_item::Column::OrderId.eq(id))
            .order_by_asc(order_item::Column::Position)
            .all(db)
    };
    for bits in 0..8u8 {
        let all = |on: bool| on.then_some(Columns::ALL);
        let joins = rows::Joins {
            order: Columns::ALL,
            customer: all(bits & 1 != 0),
            channel: all(bits & 2 != 0),
            items: all(bits & 4 != 0),
        };
        let mut joined = orders::joined(db, tenant, Key::Ids(&ids), joins)
            .await
            .unwrap();
        joined.sort_by_key(|j| j.order.id);
        assert_eq!(joined.len(), orders.len(), "{joins:?}");
        for (j, expected) in joined.iter().zip(&orders) {
            assert_eq!(&j.order, expected, "{joins:?}");
            let customer = customer::Entity::find_by_id(expected.customer_id)
                .one(db)
                .await
                .unwrap();
            assert_eq!(
                j.customer,
                customer.filter(|_| joins.customer.is_some()),
                "{joins:?}"
            );
            let channel = channel::Entity::find_by_id(expected.channel_id)
                .one(db)
                .await
                .unwrap();
            assert_eq!(
                j.channel,
                channel.filter(|_| joins.channel.is_some()),
                "{joins:?}"
            );
            let items = items_of(expected.id).await.unwrap();
            assert!(!items.is_empty());
            let items = if joins.items.is_some() { items } else { vec![] };
            assert_eq!(j.items, items, "{joins:?}");
        }
    }
    let all = rows::Joins {
        order: Columns::ALL,
        customer: Some(Columns::ALL),
        channel: Some(Columns::ALL),
        items: Some(Columns::ALL),
    };
    // Some columns: those read equal, the others hold their fallbacks.
    let some = rows::Joins {
        order: Columns::ID
            .with(order::Column::Number as usize)
            .with(order::Column::CreatedAt as usize),
        customer: Some(Columns::ID.with(customer::Column::Email as usize)),
        channel: None,
        items: Some(Columns::ID.with(order_item::Column::Sku as usize)),
    };
    let lean = orders::joined(db, tenant, Key::Ids(&ids), some)
        .await
        .unwrap();
    for (j, expected) in lean.iter().zip(&orders) {
        assert_eq!(
            (j.order.id, &j.order.number),
            (expected.id, &expected.number)
        );
        assert_eq!(j.order.created_at, expected.created_at);
        assert_eq!((j.order.total, j.order.reference.as_deref()), (0, None));
        assert_eq!(j.order.status, order::OrderStatus::Pending);
        assert_eq!(j.order.updated_at, chrono::DateTime::UNIX_EPOCH);
        let customer = j.customer.as_ref().unwrap();
        assert!(customer.email.contains('@') && customer.first_name.is_none());
        let skus: Vec<_> = j
            .items
            .iter()
            .map(|i| (i.sku.as_str(), i.quantity))
            .collect();
        let expected_items = items_of(expected.id).await.unwrap();
        let expected_skus: Vec<_> = expected_items.iter().map(|i| (i.sku.as_str(), 0)).collect();
        assert_eq!(skus, expected_skus);
    }
    let by_number = orders::joined(db, tenant, Key::Number(&orders[1].number), all)
        .await
        .unwrap();
    assert_eq!(by_number.len(), 1);
    assert_eq!(by_number[0].order, orders[1]);
    let with_reference = orders.iter().find(|o| o.reference.is_some()).unwrap();
    let by_reference = orders::joined(
        db,
        tenant,
        Key::Reference(with_reference.reference.as_deref().unwrap()),
        all,
    )
    .await
    .unwrap();
    assert_eq!(by_reference.len(), 1);
    assert_eq!(&by_reference[0].order, with_reference);
    // An order without items (the API never leaves one; the reader must
    // still read it): one row whose item columns are NULL.
    order_item::Entity::delete_many()
        .filter(order_item::Column::OrderId.eq(orders[0].id))
        .exec(db)
        .await
        .unwrap();
    let bare = orders::joined(db, tenant, Key::Ids(&ids), all)
        .await
        .unwrap();
    let bare = bare.iter().find(|j| j.order.id == orders[0].id).unwrap();
    assert_eq!(bare.order, orders[0]);
    assert!(bare.items.is_empty() && bare.customer.is_some() && bare.channel.is_some());

    let channels = channel::Entity::find().order_by_asc(channel::Column::Id);
    let by_name = channels.clone().all(db).await.unwrap();
    assert!(by_name.iter().any(|c| c.url.is_some()) && by_name.iter().any(|c| c.url.is_none()));
    assert_eq!(rows::all(db, channels).await.unwrap(), by_name);
}
