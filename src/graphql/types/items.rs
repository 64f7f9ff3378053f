//! `Order.items` with a fast path: a page of 50 orders shows about 175
//! items, and async-graphql resolves every field of every item as its own
//! boxed future with its own path and result map (a fifth of the server's
//! instructions on such a page, `bench/callgrind.sh`). When the selection
//! under `items` holds only plain fields (no fragment, directive, argument
//! or subselection) among those listed in [`Plain`], the items are written
//! straight into the response; anything else goes through async-graphql as
//! before. The test `items_read_the_same_through_the_fast_path` compares
//! both ways field by field.

use std::borrow::Cow;

use async_graphql::parser::types::{Field, Selection};
use async_graphql::{
    indexmap::IndexMap, registry, ContextSelectionSet, Name, OutputType, Positioned, ServerResult,
    Value,
};

use super::OrderItem;
use crate::domain::money::Amount;
use crate::graphql::ids::{encode, Kind};

/// The items of an order, as `Order.items` returns them.
pub struct Items(pub Vec<OrderItem>);

/// A field of `OrderItem` the fast path writes.
#[derive(Clone, Copy)]
enum Plain {
    Typename,
    Id,
    Sku,
    Name,
    Barcode,
    Quantity,
    UnitPrice,
    Subtotal,
    DiscountTotal,
    TaxTotal,
    Total,
}

impl Plain {
    fn of(name: &str) -> Option<Plain> {
        Some(match name {
            "__typename" => Plain::Typename,
            "id" => Plain::Id,
            "sku" => Plain::Sku,
            "name" => Plain::Name,
            "barcode" => Plain::Barcode,
            "quantity" => Plain::Quantity,
            "unitPrice" => Plain::UnitPrice,
            "subtotal" => Plain::Subtotal,
            "discountTotal" => Plain::DiscountTotal,
            "taxTotal" => Plain::TaxTotal,
            "total" => Plain::Total,
            _ => return None,
        })
    }

    /// The value async-graphql's resolver of the field gives.
    fn value(self, item: &OrderItem) -> Value {
        let m = &item.model;
        let money = |amount: i64| {
            Value::String(Amount(amount).format(u32::try_from(item.exponent).unwrap_or(0)))
        };
        match self {
            Plain::Typename => Value::String("OrderItem".to_owned()),
            Plain::Id => Value::String(encode(Kind::OrderItem, m.id).0),
            Plain::Sku => Value::String(m.sku.clone()),
            Plain::Name => Value::String(m.name.clone()),
            Plain::Barcode => m.barcode.clone().map_or(Value::Null, Value::String),
            Plain::Quantity => Value::from(m.quantity),
            Plain::UnitPrice => money(m.unit_price),
            Plain::Subtotal => money(m.subtotal),
            Plain::DiscountTotal => money(m.discount_total),
            Plain::TaxTotal => money(m.tax_total),
            Plain::Total => money(m.total),
        }
    }
}

/// The response keys and fields of a selection made of plain fields only.
fn plain_fields(ctx: &ContextSelectionSet<'_>) -> Option<Vec<(Name, Plain)>> {
    ctx.item
        .node
        .items
        .iter()
        .map(|selection| match &selection.node {
            Selection::Field(field)
                if field.node.directives.is_empty()
                    && field.node.arguments.is_empty()
                    && field.node.selection_set.node.items.is_empty() =>
            {
                Plain::of(&field.node.name.node)
                    .map(|plain| (field.node.response_key().node.clone(), plain))
            }
            _ => None,
        })
        .collect()
}

impl OutputType for Items {
    fn type_name() -> Cow<'static, str> {
        <Vec<OrderItem> as OutputType>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<OrderItem> as OutputType>::qualified_type_name()
    }

    fn create_type_info(registry: &mut registry::Registry) -> String {
        <Vec<OrderItem> as OutputType>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        match plain_fields(ctx) {
            Some(fields) => Ok(Value::List(
                self.0
                    .iter()
                    .map(|item| {
                        let mut map = IndexMap::with_capacity(fields.len());
                        for (key, plain) in &fields {
                            map.insert(key.clone(), plain.value(item));
                        }
                        Value::Object(map)
                    })
                    .collect(),
            )),
            None => OutputType::resolve(&self.0, ctx, field).await,
        }
    }
}
