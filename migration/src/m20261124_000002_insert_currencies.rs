//! Inserts the ISO 4217 currencies: reference data every tenant shares.

use sea_orm_migration::prelude::*;

use crate::currency_data::CURRENCIES;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000002_insert_currencies"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut insert = Query::insert();
        insert.into_table(Alias::new("currencies")).columns([
            Alias::new("code"),
            Alias::new("name"),
            Alias::new("exponent"),
            Alias::new("symbol"),
        ]);
        for (code, name, exponent, symbol) in CURRENCIES {
            insert
                .values([
                    (*code).into(),
                    (*name).into(),
                    (*exponent).into(),
                    (*symbol).into(),
                ])
                .map_err(|err| DbErr::Custom(err.to_string()))?;
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let codes: Vec<&str> = CURRENCIES.iter().map(|(code, ..)| *code).collect();
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(Alias::new("currencies"))
                    .and_where(Expr::col(Alias::new("code")).is_in(codes))
                    .to_owned(),
            )
            .await
    }
}
