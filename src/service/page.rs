//! Keyset windows: `WHERE key > after … ORDER BY key LIMIT n + 1`, so the
//! next page is known without a second query and depth costs nothing.

use sea_orm::sea_query::{Alias, Expr, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, Order, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select,
};

/// Which rows of an ordered list to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window<K> {
    /// Rows strictly after this key.
    pub after: Option<K>,
    /// Rows strictly before this key.
    pub before: Option<K>,
    /// How many rows at most.
    pub limit: u64,
    /// `true` for `last`: the rows closest to `before` (or the end).
    pub backward: bool,
}

/// Rows of a window, in list order, and whether more lie beyond it in the
/// reading direction.
#[derive(Clone, Debug)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub has_more: bool,
}

/// Reads a window of `select` ordered by the id column ascending.
pub async fn fetch_by_id<E, C>(
    db: &C,
    select: Select<E>,
    id: E::Column,
    window: &Window<i64>,
) -> Result<Page<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Send + Sync,
    C: ConnectionTrait,
{
    let mut select = select;
    if let Some(after) = window.after {
        select = select.filter(id.gt(after));
    }
    if let Some(before) = window.before {
        select = select.filter(id.lt(before));
    }
    let order = if window.backward {
        Order::Desc
    } else {
        Order::Asc
    };
    let mut rows = select
        .order_by(id, order)
        .limit(window.limit + 1)
        .all(db)
        .await?;
    Ok(finish(&mut rows, window))
}

/// Trims the probe row and puts backward pages back in list order.
pub fn finish<T>(rows: &mut Vec<T>, window: &Window<impl Sized>) -> Page<T> {
    let has_more = rows.len() as u64 > window.limit;
    rows.truncate(usize::try_from(window.limit).unwrap_or(usize::MAX));
    if window.backward {
        rows.reverse();
    }
    Page {
        rows: std::mem::take(rows),
        has_more,
    }
}

/// `SELECT COUNT(*)` over a filtered query (without its window).
pub async fn count<C: ConnectionTrait>(db: &C, query: SelectStatement) -> Result<u64, DbErr> {
    let stmt = Query::select()
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from_subquery(query, Alias::new("counted"))
        .to_owned();
    let row = db.query_one(&stmt).await?;
    let n: i64 = match row {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The statement a `Select` would run, for counting later.
pub fn statement<E: EntityTrait>(select: Select<E>) -> SelectStatement {
    select.into_query()
}
