//! Order filter and sort inputs, turned into service filters (decoding IDs
//! and parsing amounts at the edge).

use async_graphql::{Enum, InputObject, ID};
use chrono::{DateTime, Utc};
use entity::MONEY_SCALE;

use super::errors::AppError;
use super::ids::{decode_as, Kind};
use super::inputs::StringFilter;
use super::scalars::Decimal;
use super::types::{FulfillmentStatus, OrderSource, OrderStatus, PaymentStatus};
use crate::service::order_list::{
    AmountFilter, ChoiceFilter, OrderFilter as ServiceFilter, Sort, SortField, TimeFilter,
};

/// Keys orders can be sorted by; the ID always breaks ties.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderSortField {
    /// Creation time.
    CreatedAt,
    /// Time of the last change.
    UpdatedAt,
    /// The order total (compared exactly, whatever the currency).
    Total,
    /// The order number (in allocation order).
    Number,
}

/// Sort direction.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortDirection {
    /// Smallest first.
    Asc,
    /// Largest first.
    Desc,
}

/// One sort key of an order list.
#[derive(InputObject, Clone, Copy, Debug)]
pub struct OrderSort {
    /// The key.
    pub field: OrderSortField,
    /// The direction (default DESC).
    #[graphql(default_with = "SortDirection::Desc")]
    pub direction: SortDirection,
}

impl From<OrderSort> for Sort {
    fn from(s: OrderSort) -> Self {
        Sort {
            field: match s.field {
                OrderSortField::CreatedAt => SortField::CreatedAt,
                OrderSortField::UpdatedAt => SortField::UpdatedAt,
                OrderSortField::Total => SortField::Total,
                OrderSortField::Number => SortField::Number,
            },
            descending: s.direction == SortDirection::Desc,
        }
    }
}

/// IDs to match.
#[derive(InputObject, Clone, Debug, Default)]
pub struct IdFilter {
    /// One of these IDs (at most 100); IDs of another type or tenant match nothing.
    #[graphql(name = "in")]
    pub in_list: Option<Vec<ID>>,
}

macro_rules! choice_filter {
    ($name:ident, $ty:ty, $what:literal) => {
        #[doc = concat!("Conditions on the ", $what, "; all given conditions must hold.")]
        #[derive(InputObject, Clone, Debug, Default)]
        pub struct $name {
            /// Equal to.
            pub eq: Option<$ty>,
            /// One of (at most 100 values).
            #[graphql(name = "in")]
            pub in_list: Option<Vec<$ty>>,
            /// None of (at most 100 values).
            pub not_in: Option<Vec<$ty>>,
        }

        impl<T> From<$name> for ChoiceFilter<T>
        where
            $ty: Into<T>,
        {
            fn from(f: $name) -> Self {
                ChoiceFilter {
                    eq: f.eq.map(Into::into),
                    in_list: f.in_list.map(|l| l.into_iter().map(Into::into).collect()),
                    not_in: f.not_in.map(|l| l.into_iter().map(Into::into).collect()),
                }
            }
        }
    };
}

choice_filter!(OrderStatusFilter, OrderStatus, "order status");
choice_filter!(PaymentStatusFilter, PaymentStatus, "payment status");
choice_filter!(
    FulfillmentStatusFilter,
    FulfillmentStatus,
    "fulfillment status"
);

/// Conditions on an amount, compared exactly (at most 4 decimal places).
#[derive(InputObject, Clone, Debug, Default)]
pub struct DecimalFilter {
    /// Equal to.
    pub eq: Option<Decimal>,
    /// Greater than.
    pub gt: Option<Decimal>,
    /// Greater than or equal to.
    pub gte: Option<Decimal>,
    /// Less than.
    pub lt: Option<Decimal>,
    /// Less than or equal to.
    pub lte: Option<Decimal>,
}

/// A time range (RFC 3339); all given bounds must hold.
#[derive(InputObject, Clone, Debug, Default)]
pub struct DateTimeFilter {
    /// After.
    pub gt: Option<DateTime<Utc>>,
    /// At or after.
    pub gte: Option<DateTime<Utc>>,
    /// Before.
    pub lt: Option<DateTime<Utc>>,
    /// At or before.
    pub lte: Option<DateTime<Utc>>,
}

impl From<DateTimeFilter> for TimeFilter {
    fn from(f: DateTimeFilter) -> Self {
        TimeFilter {
            gt: f.gt,
            gte: f.gte,
            lt: f.lt,
            lte: f.lte,
        }
    }
}

/// Which orders to list. All given conditions must hold; `and`, `or` and
/// `not` nest. Archived orders are hidden unless `archived` says otherwise.
#[derive(InputObject, Clone, Debug, Default)]
pub struct OrderFilter {
    /// Order IDs.
    pub id: Option<IdFilter>,
    /// Lifecycle status.
    pub status: Option<OrderStatusFilter>,
    /// Payment status.
    pub payment_status: Option<PaymentStatusFilter>,
    /// Fulfillment status.
    pub fulfillment_status: Option<FulfillmentStatusFilter>,
    /// The order total.
    pub total: Option<DecimalFilter>,
    /// Creation time range.
    pub created_at: Option<DateTimeFilter>,
    /// Last-change time range.
    pub updated_at: Option<DateTimeFilter>,
    /// The channel's code (case-sensitive).
    pub channel_code: Option<StringFilter>,
    /// The currency's ISO code (ISO codes are upper case: the values are compared upper-cased).
    pub currency_code: Option<StringFilter>,
    /// The customer's ID.
    pub customer_id: Option<IdFilter>,
    /// The customer's email, compared case-insensitively.
    pub customer_email: Option<StringFilter>,
    /// The client's reference (case-sensitive).
    pub reference: Option<StringFilter>,
    /// The order number (case-sensitive).
    pub number: Option<StringFilter>,
    /// The idempotency key (case-sensitive).
    pub idempotency_key: Option<StringFilter>,
    /// One of these sources.
    pub source: Option<Vec<OrderSource>>,
    /// Case-insensitive substring of the number, reference, description or customer email.
    pub search: Option<String>,
    /// `true`: only archived orders; `false`: only active ones. When no
    /// `archived` appears anywhere in the filter, archived orders are hidden.
    pub archived: Option<bool>,
    /// Every one of these holds.
    pub and: Option<Vec<OrderFilter>>,
    /// At least one of these holds.
    pub or: Option<Vec<OrderFilter>>,
    /// This does not hold.
    pub not: Option<Box<OrderFilter>>,
}

fn amount(
    value: &Option<Decimal>,
    name: &str,
) -> Result<Option<crate::domain::money::Amount>, AppError> {
    value
        .as_ref()
        .map(|d| {
            d.amount(MONEY_SCALE)
                .map_err(|e| AppError::BadUserInput(format!("filter.total.{name} {e}")))
        })
        .transpose()
}

fn ids(filter: Option<IdFilter>, kind: Kind) -> Option<Vec<i64>> {
    filter.and_then(|f| f.in_list).map(|list| {
        list.iter()
            // An ID that cannot match keeps the list non-empty with an impossible id.
            .map(|id| decode_as(id, kind).unwrap_or(0))
            .collect()
    })
}

impl OrderFilter {
    /// Decodes IDs and parses amounts; a malformed amount is `BAD_USER_INPUT`.
    pub fn into_service(self) -> Result<ServiceFilter, AppError> {
        let total = match self.total {
            Some(t) => Some(AmountFilter {
                eq: amount(&t.eq, "eq")?,
                gt: amount(&t.gt, "gt")?,
                gte: amount(&t.gte, "gte")?,
                lt: amount(&t.lt, "lt")?,
                lte: amount(&t.lte, "lte")?,
            }),
            None => None,
        };
        let nested = |list: Option<Vec<OrderFilter>>| -> Result<Vec<ServiceFilter>, AppError> {
            list.unwrap_or_default()
                .into_iter()
                .map(OrderFilter::into_service)
                .collect()
        };
        Ok(ServiceFilter {
            ids: ids(self.id, Kind::Order),
            status: self.status.map(Into::into),
            payment_status: self.payment_status.map(Into::into),
            fulfillment_status: self.fulfillment_status.map(Into::into),
            total,
            created_at: self.created_at.map(Into::into),
            updated_at: self.updated_at.map(Into::into),
            channel_code: self.channel_code.map(Into::into),
            channel_ids: None,
            currency_code: self.currency_code.map(Into::into),
            customer_ids: ids(self.customer_id, Kind::Customer),
            customer_email: self.customer_email.map(Into::into),
            reference: self.reference.map(Into::into),
            number: self.number.map(Into::into),
            idempotency_key: self.idempotency_key.map(Into::into),
            source: self.source.map(|l| l.into_iter().map(Into::into).collect()),
            search: self.search,
            archived: self.archived,
            and: nested(self.and)?,
            or: nested(self.or)?,
            not: self
                .not
                .map(|f| f.into_service().map(Box::new))
                .transpose()?,
        })
    }
}

/// Lists the tenant's orders: the shared resolver of `orders`, `Channel.orders`
/// and `Customer.orders` (`scope` restricts the latter two to their owner).
pub async fn list_orders(
    ctx: &async_graphql::Context<'_>,
    args: super::pagination::PageArgs,
    filter: Option<OrderFilter>,
    sort: Option<Vec<OrderSort>>,
    scope: Option<ServiceFilter>,
) -> async_graphql::Result<super::pagination::OrderConnection> {
    use super::pagination::{Counter, Cursor, OrderConnection, OrderEdge};
    use super::types::{cursors, request};
    use crate::service::order_list::{key_value, list, DEFAULT_SORT};

    let req = request(ctx)?;
    let codec = cursors(ctx)?;
    let tenant = req.principal.tenant_id;
    let filter = filter.unwrap_or_default().into_service()?;
    // A nested list (`Channel.orders`) holds the caller's filter *and* its
    // scope: the scope is ANDed, never overwritten by the caller's own fields.
    let filter = match scope {
        Some(scope) => ServiceFilter {
            and: vec![filter],
            ..scope
        },
        None => filter,
    };
    let sorts: Vec<Sort> = match sort {
        Some(list) if !list.is_empty() => list.into_iter().map(Into::into).collect(),
        _ => vec![DEFAULT_SORT],
    };
    if sorts.len() > 4 {
        return Err(AppError::BadUserInput("at most 4 sort keys".to_owned()).into());
    }
    let scope = format!("orders:{sorts:?}:{filter:?}");
    let window = args.window(|c| {
        let values = codec.decode(tenant, &scope, c)?;
        let key: Vec<i64> = values
            .as_array()
            .ok_or(AppError::BadCursor)?
            .iter()
            .map(|v| v.as_i64().ok_or(AppError::BadCursor))
            .collect::<Result<_, _>>()?;
        if key.len() == sorts.len() + 1 {
            Ok(key)
        } else {
            Err(AppError::BadCursor)
        }
    })?;
    // The page reads the order columns its nodes show (and its cursors'
    // sort keys), with the customers and channels they ask for in the same
    // statement; the items come in a second one (a row limit counts orders).
    let mut nested = super::loaders::nested_in_connection(ctx);
    nested.order = nested.order.union(super::columns::of_sorts(&sorts));
    let (page, statement) = list(
        &req.db,
        tenant,
        &filter,
        &sorts,
        &window,
        nested.joins(false),
    )
    .await
    .map_err(AppError::from)?;
    let loaders = super::types::loaders(ctx)?;
    let page = super::loaders::feed_parties(loaders, page).await;
    super::loaders::prefetch_items(loaders, &page.rows, &nested)
        .await
        .map_err(AppError::from)?;
    let counter = Counter {
        db: req.db.clone(),
        statement,
    };
    let scope = std::sync::Arc::<str>::from(scope);
    Ok(OrderConnection::build(page, &window, counter, |m| {
        let mut key: Vec<i64> = sorts.iter().map(|s| key_value(&m, s.field)).collect();
        key.push(m.id);
        OrderEdge {
            cursor: Cursor::new(codec, tenant, scope.clone(), key),
            node: m.into(),
        }
    }))
}
