//! Status transition tables (API.md "Status transitions"), one per enum.
//!
//! Setting a status to its current value is a no-op, not a transition.

use entity::order::{FulfillmentStatus, OrderStatus, PaymentStatus};

/// A status enum with a transition table.
pub trait Transitions: Copy + PartialEq + Sized + 'static {
    /// The values this one may move to next.
    fn next(self) -> &'static [Self];

    /// `true` when `to` is the same value or an allowed next value.
    fn can_move_to(self, to: Self) -> bool {
        self == to || self.next().contains(&to)
    }
}

impl Transitions for OrderStatus {
    fn next(self) -> &'static [Self] {
        use OrderStatus::*;
        match self {
            Pending => &[Processing, Cancelled],
            Processing => &[PartiallyFulfilled, Fulfilled, PartiallyCancelled, Cancelled],
            PartiallyFulfilled => &[Fulfilled, PartiallyCancelled],
            PartiallyCancelled => &[PartiallyFulfilled, Fulfilled, Cancelled],
            Fulfilled => &[Delivered],
            Delivered | Cancelled => &[],
        }
    }
}

impl Transitions for PaymentStatus {
    fn next(self) -> &'static [Self] {
        use PaymentStatus::*;
        match self {
            Pending => &[Authorized, PartiallyPaid, Paid, Failed, Expired],
            Authorized => &[PartiallyPaid, Paid, Failed, Expired],
            PartiallyPaid => &[Paid, PartiallyRefunded, Refunded, Disputed],
            Paid => &[PartiallyRefunded, Refunded, Disputed],
            PartiallyRefunded => &[Refunded, Disputed],
            Disputed => &[Paid, Refunded],
            Failed => &[Pending],
            Refunded | Expired => &[],
        }
    }
}

impl Transitions for FulfillmentStatus {
    fn next(self) -> &'static [Self] {
        use FulfillmentStatus::*;
        match self {
            Pending => &[
                Unfulfilled,
                InProgress,
                PartiallyFulfilled,
                Fulfilled,
                Cancelled,
            ],
            Unfulfilled => &[InProgress, PartiallyFulfilled, Fulfilled, Cancelled],
            InProgress => &[PartiallyFulfilled, Fulfilled, Cancelled],
            PartiallyFulfilled => &[Fulfilled, Cancelled],
            Fulfilled | Cancelled => &[],
        }
    }
}

/// Items can be added, changed or removed only in these statuses.
pub fn items_editable(status: OrderStatus) -> bool {
    matches!(status, OrderStatus::Pending | OrderStatus::Processing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    /// Every (from, to) pair, checked against the table as API.md writes it.
    fn check_all<T: Transitions + Iterable + std::fmt::Debug>(allowed: &[(&str, &[&str])]) {
        let name = |v: T| format!("{v:?}");
        for from in T::iter() {
            let listed: Vec<&str> = allowed
                .iter()
                .find(|(f, _)| *f == name(from))
                .map(|(_, to)| to.to_vec())
                .unwrap_or_default();
            for to in T::iter() {
                let expected = from == to || listed.contains(&name(to).as_str());
                assert_eq!(from.can_move_to(to), expected, "{from:?} → {to:?}");
            }
        }
    }

    #[test]
    fn order_status_moves_only_as_the_contract_says() {
        check_all::<OrderStatus>(&[
            ("Pending", &["Processing", "Cancelled"]),
            (
                "Processing",
                &[
                    "PartiallyFulfilled",
                    "Fulfilled",
                    "PartiallyCancelled",
                    "Cancelled",
                ],
            ),
            ("PartiallyFulfilled", &["Fulfilled", "PartiallyCancelled"]),
            (
                "PartiallyCancelled",
                &["PartiallyFulfilled", "Fulfilled", "Cancelled"],
            ),
            ("Fulfilled", &["Delivered"]),
        ]);
    }

    #[test]
    fn payment_status_moves_only_as_the_contract_says() {
        check_all::<PaymentStatus>(&[
            (
                "Pending",
                &["Authorized", "PartiallyPaid", "Paid", "Failed", "Expired"],
            ),
            (
                "Authorized",
                &["PartiallyPaid", "Paid", "Failed", "Expired"],
            ),
            (
                "PartiallyPaid",
                &["Paid", "PartiallyRefunded", "Refunded", "Disputed"],
            ),
            ("Paid", &["PartiallyRefunded", "Refunded", "Disputed"]),
            ("PartiallyRefunded", &["Refunded", "Disputed"]),
            ("Disputed", &["Paid", "Refunded"]),
            ("Failed", &["Pending"]),
        ]);
    }

    #[test]
    fn fulfillment_status_moves_only_as_the_contract_says() {
        check_all::<FulfillmentStatus>(&[
            (
                "Pending",
                &[
                    "Unfulfilled",
                    "InProgress",
                    "PartiallyFulfilled",
                    "Fulfilled",
                    "Cancelled",
                ],
            ),
            (
                "Unfulfilled",
                &["InProgress", "PartiallyFulfilled", "Fulfilled", "Cancelled"],
            ),
            (
                "InProgress",
                &["PartiallyFulfilled", "Fulfilled", "Cancelled"],
            ),
            ("PartiallyFulfilled", &["Fulfilled", "Cancelled"]),
        ]);
    }

    #[test]
    fn items_are_editable_only_while_pending_or_processing() {
        for status in OrderStatus::iter() {
            assert_eq!(
                items_editable(status),
                matches!(status, OrderStatus::Pending | OrderStatus::Processing)
            );
        }
    }
}
