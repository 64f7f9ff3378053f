//! Database connections: pool settings per backend, and migrations.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::postgres::PgSslMode;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr,
    TransactionTrait,
};

use crate::config::DatabaseArgs;

/// PostgreSQL statement timeout of the commands other than `serve`.
const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a request waits for a connection before the database counts as unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);

/// A pooled connection idle for longer than this is pinged before use.
const PING_IF_IDLE_FOR: Duration = Duration::from_millis(500);

/// `true` when a PostgreSQL URL names a loopback host (or a Unix socket) and
/// does not choose an `sslmode`: TLS to the same machine protects nothing and
/// costs CPU on both ends (and, with small TLS records, extra round trips), so
/// such connections are plain. Any `sslmode` in the URL is obeyed as given.
fn plain_on_loopback(url: &str) -> bool {
    let Ok(parsed) = url::Url::parse(url) else {
        return false;
    };
    if parsed
        .query_pairs()
        .any(|(k, _)| k == "sslmode" || k == "host")
    {
        return false;
    }
    match parsed.host() {
        None => true,
        // `postgres:` is not a special scheme: an IPv4 host comes back as a domain.
        Some(url::Host::Domain(name)) => {
            name.is_empty()
                || name == "localhost"
                || name
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
    }
}

/// Opens a pool: SQLite in WAL mode with foreign keys and a busy timeout,
/// PostgreSQL with short connect/acquire timeouts so an outage is reported, not waited on.
pub async fn connect(args: &DatabaseArgs) -> Result<DatabaseConnection, DbErr> {
    connect_with_timeout(args, DEFAULT_STATEMENT_TIMEOUT).await
}

/// Like [`connect`], with PostgreSQL statements cancelled after `statement_timeout`
/// (the server passes its request timeout, so a timed-out request's statement stops too).
pub async fn connect_with_timeout(
    args: &DatabaseArgs,
    statement_timeout: Duration,
) -> Result<DatabaseConnection, DbErr> {
    let url = args.database_url.as_str();
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(ACQUIRE_TIMEOUT)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        // sqlx pings a connection when it goes back to the pool, always, and
        // by default again on every checkout: three round trips per
        // statement. The checkout ping only runs for a connection idle for
        // longer than PING_IF_IDLE_FOR (as HikariCP's 500 ms bypass window):
        // one that the server closed while idle (a restart, a failover,
        // `pg_terminate_backend`) is then found dead and replaced before use,
        // and one closed within the window fails its next statement, which
        // answers DATABASE_UNAVAILABLE (503, Retry-After) and drops it.
        .test_before_acquire_if_idle_for(PING_IF_IDLE_FOR)
        .idle_timeout(Duration::from_secs(300));
    let max_pages = args.sqlite_max_pages;
    if url.starts_with("sqlite:") {
        options
            .max_connections(args.db_max_connections.unwrap_or(8))
            .map_sqlx_sqlite_opts(move |opts| {
                let opts = opts
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5))
                    // ANALYZE samples at most this many rows per index: 0.07 s
                    // instead of ~10 s on 100,000 orders, with the same plans.
                    .pragma("analysis_limit", "2000");
                match max_pages {
                    Some(pages) => opts.pragma("max_page_count", pages.to_string()),
                    None => opts,
                }
            });
    } else {
        options
            .max_connections(
                args.db_max_connections
                    .unwrap_or_else(default_pg_connections),
            )
            .min_connections(1)
            .statement_timeout(statement_timeout);
        let plain = plain_on_loopback(url);
        options.map_sqlx_postgres_opts(move |opts| {
            // Prepared statements keep one generic plan. With the default
            // (`auto`), PostgreSQL planned the order page afresh on every
            // execution (its generic plan's estimate, blind to the filter
            // values, looked dearer than a custom plan): planning took as
            // long as running it. Lists are keyset windows whose plan follows
            // the sort index, which the values do not change; bench/RESULTS.md.
            let opts = opts.options([("plan_cache_mode", "force_generic_plan")]);
            if plain {
                opts.ssl_mode(PgSslMode::Disable)
            } else {
                opts
            }
        });
    }
    Database::connect(options).await
}

/// The PostgreSQL pool's default size: twice the CPUs, at least 4 and at
/// most 16 (HikariCP's rule of thumb). Measured on 2 cores with PostgreSQL on
/// the same machine (bench/RESULTS.md), 4 connections against 16: creates
/// 1.32× (c=8) and 1.45× (c=32), batches 1.2×, reads 1.03–1.18×: a
/// connection past what the CPUs can run only adds switching and lock
/// queues.
fn default_pg_connections() -> u32 {
    let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
    u32::try_from((2 * cpus).clamp(4, 16)).unwrap_or(16)
}

/// Applies every pending migration. On PostgreSQL they run in one
/// transaction under an advisory lock, so server processes starting together
/// on a new database do not race (the later ones find nothing to do).
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    if !is_postgres(db) {
        return Migrator::up(db, None).await;
    }
    let txn = db.begin().await?;
    txn.execute_unprepared("SELECT pg_advisory_xact_lock(7279001)")
        .await?;
    Migrator::up(&txn, None).await?;
    txn.commit().await
}

/// Refreshes the planner's statistics (`ANALYZE`; on SQLite every
/// connection samples at most 2,000 rows per index, see [`connect`]).
pub async fn analyze(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("ANALYZE").await?;
    Ok(())
}

/// On SQLite, gathers planner statistics when the database has none
/// (`sqlite_stat1` missing: the server never ran ANALYZE on it), then lets
/// SQLite refresh stale ones (`PRAGMA optimize`). Without statistics SQLite
/// picks an index by guesswork: a filtered list on 100,000 orders took 184 ms
/// instead of 0.2 ms. PostgreSQL's autovacuum keeps its own statistics.
pub async fn ensure_statistics(db: &DatabaseConnection) -> Result<(), DbErr> {
    if is_postgres(db) {
        return Ok(());
    }
    let has_stats = db
        .query_one_raw(sea_orm::Statement::from_string(
            DbBackend::Sqlite,
            "SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'",
        ))
        .await?
        .map(|row| row.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0)
        > 0;
    if !has_stats {
        analyze(db).await?;
    }
    db.execute_unprepared("PRAGMA optimize").await?;
    Ok(())
}

/// `true` for PostgreSQL, where some statements differ.
pub fn is_postgres(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}

/// Connections open and idle, for `/metrics`.
pub fn pool_usage(db: &DatabaseConnection) -> (u32, u32) {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (
                pool.size(),
                u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
            )
        }
        DbBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (
                pool.size(),
                u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
            )
        }
        _ => (0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::plain_on_loopback;

    #[test]
    fn loopback_without_sslmode_is_plain() {
        assert!(plain_on_loopback("postgres://postgres@127.0.0.1:5432/db"));
        assert!(plain_on_loopback("postgres://postgres@localhost/db"));
        assert!(plain_on_loopback("postgres://postgres@[::1]:5432/db"));
        assert!(!plain_on_loopback(
            "postgres://postgres@127.0.0.1/db?sslmode=require"
        ));
        assert!(!plain_on_loopback("postgres://postgres@db.example.com/db"));
        assert!(!plain_on_loopback("postgres://postgres@10.0.0.5/db"));
    }
}
