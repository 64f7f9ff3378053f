//! Order and item totals, computed exactly with checked arithmetic (API.md "Totals").

use super::money::Amount;

/// The amounts of one line item as sent by the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemAmounts {
    pub quantity: i64,
    pub unit_price: Amount,
    pub discount: Amount,
    pub tax: Amount,
}

/// Computed amounts of one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemTotals {
    pub subtotal: Amount,
    pub discount_total: Amount,
    pub tax_total: Amount,
    pub total: Amount,
}

/// Computed amounts of an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderTotals {
    pub subtotal: Amount,
    pub discount_total: Amount,
    pub shipping_total: Amount,
    pub tax_total: Amount,
    pub total: Amount,
}

/// Why totals could not be computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TotalsError {
    #[error("amounts are too large")]
    Overflow,
    #[error("the discount is larger than the amount it applies to")]
    Negative,
}

/// `subtotal = quantity × unitPrice`; `total = subtotal − discount + tax`.
pub fn item_totals(item: ItemAmounts) -> Result<ItemTotals, TotalsError> {
    let subtotal = item
        .unit_price
        .checked_mul_int(item.quantity)
        .ok_or(TotalsError::Overflow)?;
    let total = subtotal
        .checked_sub(item.discount)
        .ok_or(TotalsError::Overflow)?
        .checked_add(item.tax)
        .ok_or(TotalsError::Overflow)?;
    if total < Amount::ZERO || subtotal < item.discount {
        return Err(TotalsError::Negative);
    }
    Ok(ItemTotals {
        subtotal,
        discount_total: item.discount,
        tax_total: item.tax,
        total,
    })
}

/// Sums the items and adds the order-level discount, shipping and tax.
pub fn order_totals(
    items: &[ItemTotals],
    order_discount: Amount,
    shipping: Amount,
    order_tax: Amount,
) -> Result<OrderTotals, TotalsError> {
    let sum = |f: fn(&ItemTotals) -> Amount| {
        items
            .iter()
            .try_fold(Amount::ZERO, |acc, item| acc.checked_add(f(item)))
            .ok_or(TotalsError::Overflow)
    };
    let subtotal = sum(|i| i.subtotal)?;
    let discount_total = sum(|i| i.discount_total)?
        .checked_add(order_discount)
        .ok_or(TotalsError::Overflow)?;
    let tax_total = sum(|i| i.tax_total)?
        .checked_add(order_tax)
        .ok_or(TotalsError::Overflow)?;
    let total = subtotal
        .checked_sub(discount_total)
        .and_then(|v| v.checked_add(shipping))
        .and_then(|v| v.checked_add(tax_total))
        .ok_or(TotalsError::Overflow)?;
    if total < Amount::ZERO || subtotal < discount_total {
        return Err(TotalsError::Negative);
    }
    Ok(OrderTotals {
        subtotal,
        discount_total,
        shipping_total: shipping,
        tax_total,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(text: &str) -> Amount {
        Amount::parse(text, 4).unwrap()
    }

    #[test]
    fn item_and_order_totals_follow_the_contract() {
        let a = item_totals(ItemAmounts {
            quantity: 3,
            unit_price: amount("10.50"),
            discount: amount("1.50"),
            tax: amount("2"),
        })
        .unwrap();
        assert_eq!(a.subtotal, amount("31.50"));
        assert_eq!(a.total, amount("32"));
        let order = order_totals(&[a, a], amount("1"), amount("4.99"), amount("0.01")).unwrap();
        assert_eq!(order.subtotal, amount("63"));
        assert_eq!(order.discount_total, amount("4"));
        assert_eq!(order.tax_total, amount("4.01"));
        assert_eq!(order.total, amount("68"));
    }

    #[test]
    fn a_discount_above_the_subtotal_is_refused() {
        let item = ItemAmounts {
            quantity: 1,
            unit_price: amount("1"),
            discount: amount("2"),
            tax: amount("5"),
        };
        assert_eq!(item_totals(item), Err(TotalsError::Negative));
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let item = ItemAmounts {
            quantity: i64::from(i32::MAX),
            unit_price: Amount(i64::MAX / 2),
            discount: Amount::ZERO,
            tax: Amount::ZERO,
        };
        assert_eq!(item_totals(item), Err(TotalsError::Overflow));
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::*;

    fn dec(a: Amount) -> Decimal {
        Decimal::new(a.0, 4)
    }

    prop_compose! {
        fn item()(quantity in 1_i64..10_000, price in 0_i64..100_000_000_000)
            (quantity in Just(quantity), price in Just(price), discount in 0..=quantity * price, tax in 0_i64..1_000_000_000)
            -> ItemAmounts {
            ItemAmounts { quantity, unit_price: Amount(price), discount: Amount(discount), tax: Amount(tax) }
        }
    }

    proptest! {
        /// The totals equal the contract's formulas computed with rust_decimal.
        #[test]
        fn totals_follow_the_formulas(
            items in proptest::collection::vec(item(), 1..20),
            shipping in 0_i64..10_000_000,
            tax in 0_i64..10_000_000,
            discount_share in 0_u32..=100,
        ) {
            let lines: Vec<ItemTotals> = items.iter().map(|i| item_totals(*i).unwrap()).collect();
            for (i, line) in items.iter().zip(&lines) {
                let subtotal = dec(i.unit_price) * Decimal::from(i.quantity);
                prop_assert_eq!(dec(line.subtotal), subtotal);
                prop_assert_eq!(dec(line.total), subtotal - dec(i.discount) + dec(i.tax));
            }
            let subtotal: Decimal = lines.iter().map(|l| dec(l.subtotal)).sum();
            let item_discounts: Decimal = lines.iter().map(|l| dec(l.discount_total)).sum();
            let room = subtotal - item_discounts;
            let order_discount = Amount(((room * Decimal::from(discount_share) / Decimal::from(100)) * Decimal::from(10_000)).trunc().try_into().unwrap());
            let totals = order_totals(&lines, order_discount, Amount(shipping), Amount(tax)).unwrap();
            let discount_total = item_discounts + dec(order_discount);
            let tax_total: Decimal = lines.iter().map(|l| dec(l.tax_total)).sum::<Decimal>() + dec(Amount(tax));
            prop_assert_eq!(dec(totals.subtotal), subtotal);
            prop_assert_eq!(dec(totals.discount_total), discount_total);
            prop_assert_eq!(dec(totals.tax_total), tax_total);
            prop_assert_eq!(dec(totals.total), subtotal - discount_total + dec(Amount(shipping)) + tax_total);
            prop_assert!(totals.total >= Amount::ZERO);
        }

        /// Any amounts give totals or an error, never a panic.
        #[test]
        fn extreme_amounts_never_panic(
            quantity in 0_i64..=i64::from(i32::MAX),
            price in 0_i64..=i64::MAX,
            discount in 0_i64..=i64::MAX,
            tax in 0_i64..=i64::MAX,
        ) {
            if let Ok(line) = item_totals(ItemAmounts { quantity, unit_price: Amount(price), discount: Amount(discount), tax: Amount(tax) }) {
                let _ = order_totals(&[line, line], Amount(discount), Amount(tax), Amount(price));
            }
        }
    }
}
