//! Opaque global IDs (Relay): base64url of `Type:number`. Clients never parse them.

use async_graphql::ID;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// The node types that have global IDs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Currency,
    Channel,
    Customer,
    Order,
    OrderItem,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Currency => "Currency",
            Kind::Channel => "Channel",
            Kind::Customer => "Customer",
            Kind::Order => "Order",
            Kind::OrderItem => "OrderItem",
        }
    }

    fn from_name(name: &str) -> Option<Kind> {
        [
            Kind::Currency,
            Kind::Channel,
            Kind::Customer,
            Kind::Order,
            Kind::OrderItem,
        ]
        .into_iter()
        .find(|k| k.name() == name)
    }
}

/// The global ID of a row.
pub fn encode(kind: Kind, id: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.name())))
}

/// The kind and row id of a global ID; `None` when it is garbled.
pub fn decode(id: &str) -> Option<(Kind, i64)> {
    let bytes = URL_SAFE_NO_PAD.decode(id).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let (name, number) = text.split_once(':')?;
    let number: i64 = number.parse().ok()?;
    if number <= 0 {
        return None;
    }
    Some((Kind::from_name(name)?, number))
}

/// The row id of a global ID of the given kind; `None` for another kind or garbage.
pub fn decode_as(id: &str, kind: Kind) -> Option<i64> {
    decode(id).filter(|(k, _)| *k == kind).map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_garbage_is_none() {
        let id = encode(Kind::Order, 42);
        assert_eq!(decode(&id), Some((Kind::Order, 42)));
        assert_eq!(decode_as(&id, Kind::Customer), None);
        assert_eq!(decode("not an id"), None);
        assert_eq!(decode(&URL_SAFE_NO_PAD.encode("Order:-1")), None);
        assert_eq!(decode(&URL_SAFE_NO_PAD.encode("Nope:1")), None);
    }
}
