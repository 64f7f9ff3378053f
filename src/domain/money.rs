//! Exact money: amounts are `i64` counts of 10⁻⁴ of a currency's major unit.
//!
//! Text is parsed once, at the edge, against the currency's exponent; nothing
//! is ever rounded. `-?digits(.digits)?` is the only accepted form.

use std::fmt;

use entity::MONEY_SCALE;

/// 10^MONEY_SCALE.
const SCALE_FACTOR: i64 = 10_i64.pow(MONEY_SCALE);

/// An exact amount in 10⁻⁴ units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(pub i64);

/// Why a money text was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error(
        "is not a decimal number (expected digits with an optional fraction, such as \"12.50\")"
    )]
    Invalid,
    #[error("has more decimal places than the currency allows ({exponent})")]
    TooManyDecimals { exponent: u32 },
    #[error("must not be negative")]
    Negative,
    #[error("is too large")]
    Overflow,
}

impl Amount {
    pub const ZERO: Amount = Amount(0);

    /// Parses `-?digits(.digits)?` for a currency with `exponent` decimal places.
    ///
    /// Trailing zeros are fine (`"1.000"` is 1.00 in USD); exponents, a `+`
    /// sign, spaces and the empty string are `Invalid`; negatives are `Negative`.
    pub fn parse(text: &str, exponent: u32) -> Result<Amount, MoneyError> {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (int_part, frac_part) = match digits.split_once('.') {
            Some((int_part, frac_part)) => (int_part, Some(frac_part)),
            None => (digits, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(int_part) || frac_part.is_some_and(|f| !all_digits(f)) {
            return Err(MoneyError::Invalid);
        }
        let frac = frac_part.unwrap_or("").trim_end_matches('0');
        if frac.len() > exponent as usize || frac.len() > MONEY_SCALE as usize {
            return Err(MoneyError::TooManyDecimals { exponent });
        }
        let int_value = int_part
            .trim_start_matches('0')
            .parse::<i64>()
            .or_else(|_| {
                if int_part.trim_start_matches('0').is_empty() {
                    Ok(0)
                } else {
                    Err(MoneyError::Overflow)
                }
            })?;
        let mut frac_value: i64 = 0;
        for (i, b) in frac.bytes().enumerate() {
            frac_value += i64::from(b - b'0') * 10_i64.pow(MONEY_SCALE - 1 - i as u32);
        }
        let units = int_value
            .checked_mul(SCALE_FACTOR)
            .and_then(|v| v.checked_add(frac_value))
            .ok_or(MoneyError::Overflow)?;
        if negative && units != 0 {
            return Err(MoneyError::Negative);
        }
        Ok(Amount(units))
    }

    /// Whole major units (for integers sent as JSON numbers).
    pub fn from_major(value: i64) -> Result<Amount, MoneyError> {
        if value < 0 {
            return Err(MoneyError::Negative);
        }
        value
            .checked_mul(SCALE_FACTOR)
            .map(Amount)
            .ok_or(MoneyError::Overflow)
    }

    /// Writes the amount with exactly `exponent` decimal places; digits beyond
    /// the exponent (never stored through the API) are kept rather than rounded.
    pub fn format(self, exponent: u32) -> String {
        // Written digit by digit: amounts are formatted for every money field
        // of every row shown, and `format!` cost 5% of a page of 50 orders.
        let exponent = exponent.min(MONEY_SCALE) as usize;
        let abs = self.0.unsigned_abs();
        let factor = SCALE_FACTOR.unsigned_abs();
        // The MONEY_SCALE digits of the fraction, most significant first.
        let mut fraction = [b'0'; MONEY_SCALE as usize];
        let mut rest = abs % factor;
        for digit in fraction.iter_mut().rev() {
            *digit = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        // `exponent` digits, or every digit up to the last non-zero one when
        // digits beyond the exponent are not zero.
        let shown = if fraction[exponent..].iter().any(|&b| b != b'0') {
            fraction
                .iter()
                .rposition(|&b| b != b'0')
                .map_or(0, |i| i + 1)
        } else {
            exponent
        };
        let mut integer = [0u8; 20];
        let mut start = integer.len();
        let mut int_part = abs / factor;
        loop {
            start -= 1;
            integer[start] = b'0' + (int_part % 10) as u8;
            int_part /= 10;
            if int_part == 0 {
                break;
            }
        }
        let mut out = String::with_capacity(2 + integer.len() - start + shown);
        if self.0 < 0 {
            out.push('-');
        }
        out.extend(integer[start..].iter().map(|&b| char::from(b)));
        if shown > 0 {
            out.push('.');
            out.extend(fraction[..shown].iter().map(|&b| char::from(b)));
        }
        out
    }

    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        self.0.checked_add(other.0).map(Amount)
    }

    pub fn checked_sub(self, other: Amount) -> Option<Amount> {
        self.0.checked_sub(other.0).map(Amount)
    }

    pub fn checked_mul_int(self, factor: i64) -> Option<Amount> {
        self.0.checked_mul(factor).map(Amount)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format(MONEY_SCALE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_fractional_amounts() {
        assert_eq!(Amount::parse("12", 2), Ok(Amount(120_000)));
        assert_eq!(Amount::parse("12.5", 2), Ok(Amount(125_000)));
        assert_eq!(Amount::parse("0.01", 2), Ok(Amount(100)));
        assert_eq!(Amount::parse("1.000", 2), Ok(Amount(10_000)));
        assert_eq!(Amount::parse("0.125", 3), Ok(Amount(1_250)));
        assert_eq!(Amount::parse("007", 0), Ok(Amount(70_000)));
        assert_eq!(Amount::parse("-0", 2), Ok(Amount(0)));
    }

    #[test]
    fn refuses_what_is_not_plain_decimal_text() {
        for text in [
            "", "+1", "1e3", "1.", ".5", " 1", "1,5", "--1", "0x10", "1.2.3",
        ] {
            assert_eq!(Amount::parse(text, 2), Err(MoneyError::Invalid), "{text:?}");
        }
    }

    #[test]
    fn refuses_more_decimals_than_the_currency_has() {
        assert_eq!(
            Amount::parse("1.5", 0),
            Err(MoneyError::TooManyDecimals { exponent: 0 })
        );
        assert_eq!(
            Amount::parse("1.001", 2),
            Err(MoneyError::TooManyDecimals { exponent: 2 })
        );
        assert!(Amount::parse("1.0001", 3).is_err());
    }

    #[test]
    fn refuses_negatives_and_overflow() {
        assert_eq!(Amount::parse("-1", 2), Err(MoneyError::Negative));
        assert_eq!(
            Amount::parse("99999999999999999999", 2),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn formats_with_the_currency_exponent() {
        assert_eq!(Amount(50_000).format(2), "5.00");
        assert_eq!(Amount(50_000).format(0), "5");
        assert_eq!(Amount(51_230).format(3), "5.123");
        assert_eq!(Amount(1).format(2), "0.0001");
        assert_eq!(Amount(-1_000).format(2), "-0.10");
    }

    #[test]
    fn the_largest_test_amount_survives_a_round_trip() {
        let unit = Amount::parse("99999999999.99", 2).unwrap();
        let total = unit.checked_mul_int(1000).unwrap();
        assert_eq!(total.format(2), "99999999999990.00");
        assert_eq!(Amount::parse(&total.format(2), 2), Ok(total));
    }
}

#[cfg(test)]
mod properties {
    use std::str::FromStr;

    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::*;

    proptest! {
        /// Any plain decimal text with at most `exponent` places parses to
        /// exactly the value rust_decimal reads from it.
        #[test]
        fn parsing_agrees_with_rust_decimal(
            int_part in 0_u64..1_000_000_000_000,
            frac in proptest::collection::vec(0_u8..10, 0..=4),
            exponent in 0_u32..=4,
            leading_zeros in 0_usize..3,
            trailing_zeros in 0_usize..3,
        ) {
            let frac_text: String = frac.iter().map(|d| char::from(b'0' + d)).collect();
            let text = if frac.is_empty() && trailing_zeros == 0 {
                format!("{}{int_part}", "0".repeat(leading_zeros))
            } else {
                format!("{}{int_part}.{frac_text}{}", "0".repeat(leading_zeros), "0".repeat(trailing_zeros))
            };
            let significant = frac_text.trim_end_matches('0').len();
            let parsed = Amount::parse(&text, exponent);
            if significant > exponent as usize {
                prop_assert_eq!(parsed, Err(MoneyError::TooManyDecimals { exponent }));
            } else {
                let expected = Decimal::from_str(&text).unwrap() * Decimal::from(10_000);
                prop_assert_eq!(Decimal::from(parsed.unwrap().0), expected);
            }
        }

        /// Formatting with the currency's exponent and parsing back is the identity.
        #[test]
        fn formatting_round_trips(units in 0_i64..i64::MAX / 2, exponent in 0_u32..=4) {
            let step = 10_i64.pow(MONEY_SCALE - exponent);
            let amount = Amount(units - units % step);
            let text = amount.format(exponent);
            let decimals = text.split_once('.').map_or(0, |(_, f)| f.len());
            prop_assert_eq!(decimals, exponent as usize);
            prop_assert_eq!(Amount::parse(&text, exponent), Ok(amount));
        }

        /// Any amount, with any exponent, is written as rust_decimal writes
        /// it rounded to no fewer than `exponent` places and not rounded at all.
        #[test]
        fn formatting_agrees_with_rust_decimal(units in any::<i64>(), exponent in 0_u32..=4) {
            let exact = Decimal::new(units, MONEY_SCALE).normalize();
            let places = exact.scale().max(exponent);
            let mut expected = exact;
            expected.rescale(places);
            prop_assert_eq!(Amount(units).format(exponent), expected.to_string());
        }

        /// Arbitrary text never panics: it parses or is refused.
        #[test]
        fn any_text_is_parsed_or_refused(text in "\\PC{0,40}", exponent in 0_u32..=4) {
            let _ = Amount::parse(&text, exponent);
        }
    }
}
