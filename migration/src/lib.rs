//! Database migrations of ordergraph, the same for SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod currency_data;
mod m20261124_000001_create_tables;
mod m20261124_000002_insert_currencies;

/// Every migration, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_tables::Migration),
            Box::new(m20261124_000002_insert_currencies::Migration),
        ]
    }
}
