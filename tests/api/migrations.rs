//! Every migration's `down` works, and the order numbers never collide.

use std::collections::HashSet;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database};

use crate::both_backends;
use crate::helpers::{Backend, TestDatabase};

async fn every_migration_goes_down_and_up_again(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let db = Database::connect(&database.url).await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    let tables = |db: sea_orm::DatabaseConnection| async move {
        let sql = match db.get_database_backend() {
            sea_orm::DbBackend::Postgres => {
                "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'seaql_migrations'"
            }
            _ => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations'"
            }
        };
        let rows = db
            .query_all_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                sql,
            ))
            .await
            .unwrap();
        rows.iter()
            .map(|r| r.try_get::<String>("", "name").unwrap())
            .collect::<HashSet<_>>()
    };
    assert!(tables(db.clone()).await.contains("orders"));

    Migrator::down(&db, None).await.unwrap();
    assert_eq!(tables(db.clone()).await, HashSet::new());

    Migrator::up(&db, None).await.unwrap();
    let currencies = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM currencies",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert!(currencies > 150, "{currencies} currencies after re-running");
    db.close().await.unwrap();
}

async fn concurrent_number_allocations_never_overlap(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let mut args = ordergraph::config::Settings::for_database(&database.url).database;
    args.db_max_connections = Some(8);
    let db = ordergraph::db::connect(&args).await.unwrap();
    ordergraph::db::migrate(&db).await.unwrap();
    let tenant = ordergraph::service::auth::find_or_create_tenant(&db, "numbers")
        .await
        .unwrap();
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                let count = 1 + i % 3;
                let first = ordergraph::service::orders::allocate_numbers(&db, tenant, count)
                    .await
                    .unwrap();
                (first..first + count).collect::<Vec<i64>>()
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    let distinct: HashSet<_> = all.iter().copied().collect();
    assert_eq!(distinct.len(), all.len(), "a number was handed out twice");
    let expected: HashSet<i64> = (1..=all.len() as i64).collect();
    assert_eq!(distinct, expected, "numbers are consecutive from 1");
    assert_eq!(ordergraph::service::orders::format_number(7), "ORD-000007");
    db.close().await.unwrap();
}

both_backends!(
    every_migration_goes_down_and_up_again,
    concurrent_number_allocations_never_overlap,
);
