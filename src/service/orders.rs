//! Orders: reading them with their items, and allocating order numbers.

use entity::{channel, customer, order, order_event, order_item, tenant};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement, UpdateStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder,
};

use super::rows::{Columns, Joined, Joins};

/// `ORD-000001`: at least six digits, more when needed.
pub fn format_number(seq: i64) -> String {
    format!("ORD-{seq:06}")
}

/// Reserves `count` consecutive order numbers of a tenant and returns the first.
///
/// One atomic `UPDATE … RETURNING`: concurrent callers (in any process) get
/// disjoint ranges. Run it outside the order's transaction so the tenant row
/// is not held locked while the order is written; a failed create leaves a gap.
pub async fn allocate_numbers<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    count: i64,
) -> Result<i64, DbErr> {
    let stmt = take_numbers(tenant_id, count);
    let row = db
        .query_one(&stmt)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("tenant {tenant_id}")))?;
    let last: i64 = row.try_get("", "order_seq")?;
    Ok(last - count + 1)
}

/// `UPDATE tenants SET order_seq = order_seq + count … RETURNING order_seq`:
/// the tenant's last number after taking `count` more. It locks the
/// tenant's row until the transaction ends.
pub fn take_numbers(tenant_id: i64, count: i64) -> UpdateStatement {
    Query::update()
        .table(tenant::Entity)
        .value(
            tenant::Column::OrderSeq,
            Expr::col(tenant::Column::OrderSeq).add(count),
        )
        .and_where(Expr::col(tenant::Column::Id).eq(tenant_id))
        .returning_col(tenant::Column::OrderSeq)
        .to_owned()
}

/// One order of the tenant.
pub async fn by_id(
    db: &DatabaseConnection,
    tenant_id: i64,
    id: i64,
) -> Result<Option<order::Model>, DbErr> {
    super::rows::one(
        db,
        order::Entity::find_by_id(id).filter(order::Column::TenantId.eq(tenant_id)),
    )
    .await
}

/// An order of the tenant by number.
pub async fn by_number(
    db: &DatabaseConnection,
    tenant_id: i64,
    number: &str,
) -> Result<Option<order::Model>, DbErr> {
    super::rows::one(
        db,
        order::Entity::find()
            .filter(order::Column::TenantId.eq(tenant_id))
            .filter(order::Column::Number.eq(number)),
    )
    .await
}

/// An order of the tenant by the client's reference.
pub async fn by_reference(
    db: &DatabaseConnection,
    tenant_id: i64,
    reference: &str,
) -> Result<Option<order::Model>, DbErr> {
    super::rows::one(
        db,
        order::Entity::find()
            .filter(order::Column::TenantId.eq(tenant_id))
            .filter(order::Column::Reference.eq(reference)),
    )
    .await
}

/// Orders of the tenant by id, in no particular order.
pub async fn by_ids(
    db: &DatabaseConnection,
    tenant_id: i64,
    ids: &[i64],
) -> Result<Vec<order::Model>, DbErr> {
    super::rows::all(
        db,
        order::Entity::find()
            .filter(order::Column::TenantId.eq(tenant_id))
            .filter(order::Column::Id.is_in(ids.iter().copied())),
    )
    .await
}

/// Items of the tenant's orders, by order then position.
pub async fn items_of(
    db: &DatabaseConnection,
    tenant_id: i64,
    order_ids: &[i64],
    columns: Columns,
) -> Result<Vec<order_item::Model>, DbErr> {
    use sea_orm::QueryTrait;

    let mut query = order_item::Entity::find()
        .filter(order_item::Column::TenantId.eq(tenant_id))
        .filter(order_item::Column::OrderId.is_in(order_ids.iter().copied()))
        .order_by_asc(order_item::Column::OrderId)
        .order_by_asc(order_item::Column::Position)
        .into_query();
    if columns != Columns::ALL {
        query.clear_selects();
        super::rows::select_columns::<order_item::Entity>(&mut query, columns);
    }
    let rows = db.query_all(&query).await?;
    super::rows::read_items(&rows, columns)
}

/// Order items of the tenant by id.
pub async fn items_by_ids(
    db: &DatabaseConnection,
    tenant_id: i64,
    ids: &[i64],
) -> Result<Vec<order_item::Model>, DbErr> {
    super::rows::all(
        db,
        order_item::Entity::find()
            .filter(order_item::Column::TenantId.eq(tenant_id))
            .filter(order_item::Column::Id.is_in(ids.iter().copied())),
    )
    .await
}

/// Events of the tenant's orders, oldest first.
pub async fn events_of(
    db: &DatabaseConnection,
    tenant_id: i64,
    order_ids: &[i64],
) -> Result<Vec<order_event::Model>, DbErr> {
    order_event::Entity::find()
        .filter(order_event::Column::TenantId.eq(tenant_id))
        .filter(order_event::Column::OrderId.is_in(order_ids.iter().copied()))
        .order_by_asc(order_event::Column::OrderId)
        .order_by_asc(order_event::Column::Id)
        .all(db)
        .await
}

/// Makes a select of orders read the columns and joins of `joins`, in the
/// order [`super::rows::read_joined`] reads them. Items come by order, then
/// position.
pub fn join(query: &mut SelectStatement, joins: Joins) {
    use super::rows::select_columns;

    if joins.order != Columns::ALL {
        query.clear_selects();
        select_columns::<order::Entity>(query, joins.order);
    }
    if let Some(columns) = joins.customer {
        query.inner_join(
            customer::Entity,
            Expr::col((customer::Entity, customer::Column::Id))
                .equals((order::Entity, order::Column::CustomerId)),
        );
        select_columns::<customer::Entity>(query, columns);
    }
    if let Some(columns) = joins.channel {
        query.inner_join(
            channel::Entity,
            Expr::col((channel::Entity, channel::Column::Id))
                .equals((order::Entity, order::Column::ChannelId)),
        );
        select_columns::<channel::Entity>(query, columns);
    }
    if let Some(columns) = joins.items {
        query.left_join(
            order_item::Entity,
            Condition::all()
                .add(
                    Expr::col((order_item::Entity, order_item::Column::OrderId))
                        .equals((order::Entity, order::Column::Id)),
                )
                .add(
                    Expr::col((order_item::Entity, order_item::Column::TenantId))
                        .equals((order::Entity, order::Column::TenantId)),
                ),
        );
        select_columns::<order_item::Entity>(query, columns);
        query
            .order_by((order::Entity, order::Column::Id), sea_orm::Order::Asc)
            .order_by(
                (order_item::Entity, order_item::Column::Position),
                sea_orm::Order::Asc,
            );
    }
}

/// How [`joined`] finds orders.
#[derive(Clone, Copy, Debug)]
pub enum Key<'a> {
    Ids(&'a [i64]),
    Number(&'a str),
    Reference(&'a str),
}

/// Orders of the tenant with what `joins` asks for, in one statement (joined
/// rows read by position): a single order with its customer, channel and
/// items costs one statement instead of four.
pub async fn joined(
    db: &DatabaseConnection,
    tenant_id: i64,
    key: Key<'_>,
    joins: Joins,
) -> Result<Vec<Joined>, DbErr> {
    use sea_orm::QueryTrait;

    let select = order::Entity::find().filter(order::Column::TenantId.eq(tenant_id));
    let mut select = match key {
        Key::Ids(ids) => select.filter(order::Column::Id.is_in(ids.iter().copied())),
        Key::Number(number) => select.filter(order::Column::Number.eq(number)),
        Key::Reference(reference) => select.filter(order::Column::Reference.eq(reference)),
    };
    let query = QueryTrait::query(&mut select);
    join(query, joins);
    let rows = db.query_all(&*query).await?;
    super::rows::read_joined(&rows, joins)
}
