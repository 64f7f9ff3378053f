//! The `Decimal` scalar: money as text, never binary floating point.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};

use crate::domain::money::{Amount, MoneyError};

/// Money: a JSON string such as `"1200.00"`, written with exactly the
/// currency's exponent digits. Inputs accept a string (`-?digits(.digits)?`)
/// or an integer; a JSON float is rejected. Nothing is ever rounded: more
/// decimal places than the currency has is a user error (`TOO_MANY_DECIMALS`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decimal(pub String);

/// Money: a JSON string such as `"1200.00"`, written with exactly the
/// currency's exponent digits. Inputs accept a string (`-?digits(.digits)?`)
/// or an integer; a JSON float is rejected. Nothing is ever rounded.
#[Scalar(name = "Decimal")]
impl ScalarType for Decimal {
    fn parse(value: Value) -> InputValueResult<Self> {
        match value {
            Value::String(text) => Ok(Decimal(text)),
            Value::Number(n) if n.is_i64() || n.is_u64() => Ok(Decimal(n.to_string())),
            Value::Number(_) => Err(InputValueError::custom(
                "a float is not accepted for money: send the amount as a string such as \"12.50\"",
            )),
            other => Err(InputValueError::expected_type(other)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

impl Decimal {
    /// Formats a stored amount with the currency's exponent.
    pub fn from_amount(amount: i64, exponent: i16) -> Self {
        Decimal(Amount(amount).format(u32::try_from(exponent).unwrap_or(0)))
    }

    /// Parses the text against the currency's exponent.
    pub fn amount(&self, exponent: u32) -> Result<Amount, MoneyError> {
        Amount::parse(&self.0, exponent)
    }
}
