//! The columns a selection shows: a page of orders, or an order looked up,
//! reads only the order and item columns its fields need (a page of 50
//! orders with their items sends a quarter of the bytes, bench/RESULTS.md).
//!
//! Every field of `Order` and `OrderItem` is listed with the columns its
//! resolver reads; a field not listed here (a new one) makes the whole row
//! read, so forgetting to list it costs speed, never correctness. The test
//! `every_field_reads_what_it_shows` compares each field read alone with
//! the same field read from the whole row.

use async_graphql::SelectionField;
use entity::{order, order_item};

use crate::service::rows::Columns;

fn order_set(columns: &[order::Column]) -> Columns {
    columns
        .iter()
        .fold(Columns::ID, |set, c| set.with(*c as usize))
}

fn item_set(columns: &[order_item::Column]) -> Columns {
    // The order id groups items by order.
    columns.iter().fold(
        Columns::ID.with(order_item::Column::OrderId as usize),
        |set, c| set.with(*c as usize),
    )
}

/// The order columns a field of `Order` reads; `None` when not listed.
fn order_field(name: &str) -> Option<Columns> {
    use order::Column as C;
    let money = |column: C| order_set(&[column, C::CurrencyId]);
    Some(match name {
        "__typename" | "id" | "itemsCount" | "events" => Columns::ID,
        // Item amounts are shown with the order currency's exponent.
        "items" => order_set(&[C::CurrencyId]),
        "number" => order_set(&[C::Number]),
        "reference" => order_set(&[C::Reference]),
        "externalId" => order_set(&[C::ExternalId]),
        "description" => order_set(&[C::Description]),
        "source" => order_set(&[C::Source]),
        "locale" => order_set(&[C::Locale]),
        "paymentReference" => order_set(&[C::PaymentReference]),
        "idempotencyKey" => order_set(&[C::IdempotencyKey]),
        "status" => order_set(&[C::Status]),
        "paymentStatus" => order_set(&[C::PaymentStatus]),
        "fulfillmentStatus" => order_set(&[C::FulfillmentStatus]),
        "deliveryMethod" => order_set(&[C::DeliveryMethod]),
        "shippingMethod" => order_set(&[C::ShippingMethod]),
        "channel" => order_set(&[C::ChannelId]),
        "currency" => order_set(&[C::CurrencyId]),
        "customer" => order_set(&[C::CustomerId]),
        "subtotal" => money(C::Subtotal),
        "discountTotal" => money(C::DiscountTotal),
        "shippingTotal" => money(C::ShippingTotal),
        "taxTotal" => money(C::TaxTotal),
        "total" => money(C::Total),
        "billingAddress" => order_set(&[C::BillingAddress]),
        "shippingAddress" => order_set(&[C::ShippingAddress]),
        "shippingAddressSameAsBilling" => order_set(&[C::BillingAddress, C::ShippingAddress]),
        "metadata" => order_set(&[C::Metadata]),
        "createdAt" => order_set(&[C::CreatedAt]),
        "updatedAt" => order_set(&[C::UpdatedAt]),
        "archivedAt" => order_set(&[C::ArchivedAt]),
        "version" => order_set(&[C::Version]),
        "allowedTransitions" => order_set(&[C::Status, C::PaymentStatus, C::FulfillmentStatus]),
        _ => return None,
    })
}

/// The item columns a field of `OrderItem` reads; `None` when not listed.
fn item_field(name: &str) -> Option<Columns> {
    use order_item::Column as C;
    Some(match name {
        "__typename" | "id" | "order" => item_set(&[]),
        "sku" => item_set(&[C::Sku]),
        "name" => item_set(&[C::Name]),
        "barcode" => item_set(&[C::Barcode]),
        "quantity" => item_set(&[C::Quantity]),
        "unitPrice" => item_set(&[C::UnitPrice]),
        "subtotal" => item_set(&[C::Subtotal]),
        "discountTotal" => item_set(&[C::DiscountTotal]),
        "taxTotal" => item_set(&[C::TaxTotal]),
        "total" => item_set(&[C::Total]),
        "metadata" => item_set(&[C::Metadata]),
        _ => return None,
    })
}

fn union_of<'a>(
    fields: impl Iterator<Item = SelectionField<'a>>,
    of: fn(&str) -> Option<Columns>,
    start: Columns,
) -> Columns {
    let mut set = start;
    for field in fields {
        match of(field.name()) {
            Some(columns) => set = set.union(columns),
            None => return Columns::ALL,
        }
    }
    set
}

/// The order columns the fields under an `Order` selection read.
pub fn of_order(order: &SelectionField<'_>) -> Columns {
    union_of(order.selection_set(), order_field, Columns::ID)
}

/// The item columns an `items` or `itemsCount` field of `Order` reads.
pub fn of_items(field: &SelectionField<'_>) -> Columns {
    match field.name() {
        "itemsCount" => item_set(&[order_item::Column::Quantity]),
        _ => union_of(field.selection_set(), item_field, item_set(&[])),
    }
}

/// The order columns that hold the sort keys of `sorts` (a cursor holds them).
pub fn of_sorts(sorts: &[crate::service::order_list::Sort]) -> Columns {
    use crate::service::order_list::column;
    order_set(&sorts.iter().map(|s| column(s.field)).collect::<Vec<_>>())
}
