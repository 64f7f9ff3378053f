//! Creates every table and the indexes that keyset pagination and filters use.
//!
//! Money columns are `BIGINT` amounts at a scale of 10⁻⁴; timestamps are UTC.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000001_create_tables"
    }
}

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
    Name,
    OrderSeq,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    Id,
    TenantId,
    Name,
    KeyHash,
    Prefix,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Currencies {
    Table,
    Id,
    Code,
    Name,
    Exponent,
    Symbol,
}

#[derive(DeriveIden)]
enum Channels {
    Table,
    Id,
    TenantId,
    Code,
    Name,
    Url,
    ConnectorType,
    ConnectorCode,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
    TenantId,
    Email,
    EmailLower,
    FirstName,
    LastName,
    Phone,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    TenantId,
    Number,
    NumberSeq,
    Reference,
    ExternalId,
    Description,
    Source,
    Locale,
    PaymentReference,
    IdempotencyKey,
    IdempotencyHash,
    Status,
    PaymentStatus,
    FulfillmentStatus,
    DeliveryMethod,
    ShippingMethod,
    ChannelId,
    CurrencyId,
    CustomerId,
    Subtotal,
    OrderDiscount,
    OrderTax,
    DiscountTotal,
    ShippingTotal,
    TaxTotal,
    Total,
    BillingAddress,
    ShippingAddress,
    Metadata,
    CreatedAt,
    UpdatedAt,
    ArchivedAt,
    Version,
}

#[derive(DeriveIden)]
enum OrderItems {
    Table,
    Id,
    TenantId,
    OrderId,
    Position,
    Sku,
    Name,
    Barcode,
    Quantity,
    UnitPrice,
    Subtotal,
    DiscountTotal,
    TaxTotal,
    Total,
    Metadata,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrderEvents {
    Table,
    Id,
    TenantId,
    OrderId,
    EventType,
    At,
    Actor,
    Changes,
}

#[derive(DeriveIden)]
enum ServerSettings {
    Table,
    Key,
    Value,
}

fn tenant_fk(table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Tenants::Table, Tenants::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn index(name: &str, table: impl IntoIden, columns: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for column in columns {
        stmt.col(Alias::new(*column));
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tenants::Table)
                    .col(big_pk_auto(Tenants::Id))
                    .col(string_uniq(Tenants::Name))
                    .col(big_integer(Tenants::OrderSeq).default(0))
                    .col(timestamp_with_time_zone(Tenants::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiKeys::Table)
                    .col(big_pk_auto(ApiKeys::Id))
                    .col(big_integer(ApiKeys::TenantId))
                    .col(string(ApiKeys::Name))
                    .col(string_uniq(ApiKeys::KeyHash))
                    .col(string(ApiKeys::Prefix))
                    .col(timestamp_with_time_zone(ApiKeys::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiKeys::RevokedAt))
                    .foreign_key(&mut tenant_fk(ApiKeys::Table, ApiKeys::TenantId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Currencies::Table)
                    .col(big_pk_auto(Currencies::Id))
                    .col(string_len_uniq(Currencies::Code, 3))
                    .col(string(Currencies::Name))
                    .col(small_integer(Currencies::Exponent))
                    .col(string(Currencies::Symbol))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Channels::Table)
                    .col(big_pk_auto(Channels::Id))
                    .col(big_integer(Channels::TenantId))
                    .col(string(Channels::Code))
                    .col(string(Channels::Name))
                    .col(string_null(Channels::Url))
                    .col(string_null(Channels::ConnectorType))
                    .col(string_null(Channels::ConnectorCode))
                    .col(timestamp_with_time_zone(Channels::CreatedAt))
                    .col(timestamp_with_time_zone(Channels::UpdatedAt))
                    .foreign_key(&mut tenant_fk(Channels::Table, Channels::TenantId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Customers::Table)
                    .col(big_pk_auto(Customers::Id))
                    .col(big_integer(Customers::TenantId))
                    .col(string(Customers::Email))
                    .col(string(Customers::EmailLower))
                    .col(string_null(Customers::FirstName))
                    .col(string_null(Customers::LastName))
                    .col(string_null(Customers::Phone))
                    .col(timestamp_with_time_zone(Customers::CreatedAt))
                    .col(timestamp_with_time_zone(Customers::UpdatedAt))
                    .foreign_key(&mut tenant_fk(Customers::Table, Customers::TenantId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Orders::Table)
                    .col(big_pk_auto(Orders::Id))
                    .col(big_integer(Orders::TenantId))
                    .col(string(Orders::Number))
                    .col(big_integer(Orders::NumberSeq))
                    .col(string_len_null(Orders::Reference, 35))
                    .col(string_null(Orders::ExternalId))
                    .col(text_null(Orders::Description))
                    .col(string_len(Orders::Source, 32))
                    .col(string_null(Orders::Locale))
                    .col(string_null(Orders::PaymentReference))
                    .col(string_null(Orders::IdempotencyKey))
                    .col(string_null(Orders::IdempotencyHash))
                    .col(string_len(Orders::Status, 32))
                    .col(string_len(Orders::PaymentStatus, 32))
                    .col(string_len(Orders::FulfillmentStatus, 32))
                    .col(string_len_null(Orders::DeliveryMethod, 32))
                    .col(string_len_null(Orders::ShippingMethod, 32))
                    .col(big_integer(Orders::ChannelId))
                    .col(big_integer(Orders::CurrencyId))
                    .col(big_integer(Orders::CustomerId))
                    .col(big_integer(Orders::Subtotal))
                    .col(big_integer(Orders::OrderDiscount))
                    .col(big_integer(Orders::OrderTax))
                    .col(big_integer(Orders::DiscountTotal))
                    .col(big_integer(Orders::ShippingTotal))
                    .col(big_integer(Orders::TaxTotal))
                    .col(big_integer(Orders::Total))
                    .col(json_null(Orders::BillingAddress))
                    .col(json_null(Orders::ShippingAddress))
                    .col(json_null(Orders::Metadata))
                    .col(timestamp_with_time_zone(Orders::CreatedAt))
                    .col(timestamp_with_time_zone(Orders::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Orders::ArchivedAt))
                    .col(integer(Orders::Version).default(1))
                    .foreign_key(&mut tenant_fk(Orders::Table, Orders::TenantId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Orders::Table, Orders::ChannelId)
                            .to(Channels::Table, Channels::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Orders::Table, Orders::CurrencyId)
                            .to(Currencies::Table, Currencies::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Orders::Table, Orders::CustomerId)
                            .to(Customers::Table, Customers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OrderItems::Table)
                    .col(big_pk_auto(OrderItems::Id))
                    .col(big_integer(OrderItems::TenantId))
                    .col(big_integer(OrderItems::OrderId))
                    .col(integer(OrderItems::Position))
                    .col(string(OrderItems::Sku))
                    .col(string(OrderItems::Name))
                    .col(string_null(OrderItems::Barcode))
                    .col(integer(OrderItems::Quantity))
                    .col(big_integer(OrderItems::UnitPrice))
                    .col(big_integer(OrderItems::Subtotal))
                    .col(big_integer(OrderItems::DiscountTotal))
                    .col(big_integer(OrderItems::TaxTotal))
                    .col(big_integer(OrderItems::Total))
                    .col(json_null(OrderItems::Metadata))
                    .col(timestamp_with_time_zone(OrderItems::CreatedAt))
                    .col(timestamp_with_time_zone(OrderItems::UpdatedAt))
                    .foreign_key(&mut tenant_fk(OrderItems::Table, OrderItems::TenantId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OrderItems::Table, OrderItems::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OrderEvents::Table)
                    .col(big_pk_auto(OrderEvents::Id))
                    .col(big_integer(OrderEvents::TenantId))
                    .col(big_integer(OrderEvents::OrderId))
                    .col(string_len(OrderEvents::EventType, 32))
                    .col(timestamp_with_time_zone(OrderEvents::At))
                    .col(string(OrderEvents::Actor))
                    .col(json(OrderEvents::Changes))
                    .foreign_key(&mut tenant_fk(OrderEvents::Table, OrderEvents::TenantId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OrderEvents::Table, OrderEvents::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ServerSettings::Table)
                    .col(string(ServerSettings::Key).primary_key())
                    .col(text(ServerSettings::Value))
                    .to_owned(),
            )
            .await?;

        for stmt in indexes() {
            manager.create_index(stmt).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Indexes go with their tables.
        for table in [
            ServerSettings::Table.into_iden(),
            OrderEvents::Table.into_iden(),
            OrderItems::Table.into_iden(),
            Orders::Table.into_iden(),
            Customers::Table.into_iden(),
            Channels::Table.into_iden(),
            Currencies::Table.into_iden(),
            ApiKeys::Table.into_iden(),
            Tenants::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// Unique constraints are named `uq_*` so that a violation maps to a user error.
fn indexes() -> Vec<IndexCreateStatement> {
    let unique = |stmt: IndexCreateStatement| {
        let mut stmt = stmt;
        stmt.unique();
        stmt
    };
    vec![
        index("ix_api_keys_tenant", ApiKeys::Table, &["tenant_id"]),
        unique(index(
            "uq_channels_tenant_code",
            Channels::Table,
            &["tenant_id", "code"],
        )),
        index(
            "ix_channels_tenant_id",
            Channels::Table,
            &["tenant_id", "id"],
        ),
        unique(index(
            "uq_customers_tenant_email",
            Customers::Table,
            &["tenant_id", "email_lower"],
        )),
        index(
            "ix_customers_tenant_id",
            Customers::Table,
            &["tenant_id", "id"],
        ),
        unique(index(
            "uq_orders_tenant_number",
            Orders::Table,
            &["tenant_id", "number"],
        )),
        unique(index(
            "uq_orders_tenant_number_seq",
            Orders::Table,
            &["tenant_id", "number_seq"],
        )),
        unique(index(
            "uq_orders_tenant_reference",
            Orders::Table,
            &["tenant_id", "reference"],
        )),
        unique(index(
            "uq_orders_tenant_idempotency_key",
            Orders::Table,
            &["tenant_id", "idempotency_key"],
        )),
        index(
            "ix_orders_tenant_created",
            Orders::Table,
            &["tenant_id", "created_at", "id"],
        ),
        index(
            "ix_orders_tenant_updated",
            Orders::Table,
            &["tenant_id", "updated_at", "id"],
        ),
        index(
            "ix_orders_tenant_total",
            Orders::Table,
            &["tenant_id", "total", "id"],
        ),
        index(
            "ix_orders_tenant_status",
            Orders::Table,
            &["tenant_id", "status", "created_at"],
        ),
        index(
            "ix_orders_tenant_payment_status",
            Orders::Table,
            &["tenant_id", "payment_status", "created_at"],
        ),
        index(
            "ix_orders_tenant_fulfillment_status",
            Orders::Table,
            &["tenant_id", "fulfillment_status", "created_at"],
        ),
        index(
            "ix_orders_customer",
            Orders::Table,
            &["customer_id", "created_at"],
        ),
        index(
            "ix_orders_channel",
            Orders::Table,
            &["channel_id", "created_at"],
        ),
        index(
            "ix_order_items_order",
            OrderItems::Table,
            &["order_id", "position"],
        ),
        index(
            "ix_order_events_order",
            OrderEvents::Table,
            &["order_id", "id"],
        ),
    ]
}
