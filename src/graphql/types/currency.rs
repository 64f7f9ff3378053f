//! `Currency`: ISO 4217 reference data.

use async_graphql::{Object, ID};
use entity::currency;

use crate::graphql::ids::{encode, Kind};

/// An ISO 4217 currency. Every active one exists after migration.
#[derive(Clone, Debug)]
pub struct Currency(pub currency::Model);

impl From<currency::Model> for Currency {
    fn from(model: currency::Model) -> Self {
        Currency(model)
    }
}

/// An ISO 4217 currency (reference data shared by every tenant).
#[Object(serial)]
impl Currency {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Currency, self.0.id)
    }

    /// ISO 4217 code, such as `USD`.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// English name, as ISO 4217 gives it.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Decimal places of the minor unit: 2 for USD, 0 for JPY, 3 for KWD.
    /// Amounts in this currency have at most this many decimal places.
    async fn exponent(&self) -> i32 {
        i32::from(self.0.exponent)
    }

    /// Local symbol (from Unicode CLDR), or the code where there is none.
    async fn symbol(&self) -> &str {
        &self.0.symbol
    }
}
