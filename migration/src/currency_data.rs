//! ISO 4217 reference data inserted by a migration (source: ISO 4217 List One dated 2026-01-01).
//!
//! List One ("current currency & funds") is published by the ISO 4217 maintenance agency (SIX);
//! the 2026-01-01 list includes all amendments through 2025 (XCG, XAD, ZWG; ANG and BGN gone).
//!
//! Contents: every code that is active in that list and has a numeric minor unit, sorted by
//! code. Codes whose minor unit is "N.A." are left out (XAG, XAU, XBA, XBB, XBC, XBD, XDR,
//! XPD, XPT, XSU, XTS, XUA, XXX), as are withdrawn codes (e.g. ANG, BGN, CUC, HRK, MRO, SLL,
//! STD, ZWL).
//!
//! - `name`: the ISO English currency name, as in List One.
//! - `exponent`: the ISO minor unit, exactly as ISO publishes it (not as banks or CLDR use it:
//!   CLDR, for instance, shows IQD and IRR with 0 digits; ISO says 3 and 2).
//! - `symbol`: the standard symbol from Unicode CLDR 47 (read through Babel 2.18) in the
//!   currency's home locale: the territory named by the code's first two letters, in its most
//!   likely language (de_DE for EUR, fr_CM for XAF, fr_SN for XOF, fr_PF for XPF, en_AG for
//!   XCD, nl_CW for XCG, the issuing country's locale for fund codes), falling back to
//!   `en_<territory>`. Bidi marks and zero-width spaces are removed, fullwidth forms made
//!   ordinary (JPY "¥"), and the trailing abbreviation dot of Arabic-script symbols dropped
//!   ("د.إ." -> "د.إ"). When CLDR has nothing but the code itself, the symbol is the code.

/// (code, name, exponent, symbol)
pub const CURRENCIES: &[(&str, &str, i16, &str)] = &[
    ("AED", "UAE Dirham", 2, "د.إ"),
    ("AFN", "Afghani", 2, "؋"),
    ("ALL", "Lek", 2, "Lekë"),
    ("AMD", "Armenian Dram", 2, "֏"),
    ("AOA", "Kwanza", 2, "Kz"),
    ("ARS", "Argentine Peso", 2, "$"),
    ("AUD", "Australian Dollar", 2, "$"),
    ("AWG", "Aruban Florin", 2, "Afl."),
    ("AZN", "Azerbaijan Manat", 2, "₼"),
    ("BAM", "Convertible Mark", 2, "KM"),
    ("BBD", "Barbados Dollar", 2, "$"),
    ("BDT", "Taka", 2, "৳"),
    ("BHD", "Bahraini Dinar", 3, "د.ب"),
    ("BIF", "Burundi Franc", 0, "FBu"),
    ("BMD", "Bermudian Dollar", 2, "$"),
    ("BND", "Brunei Dollar", 2, "$"),
    ("BOB", "Boliviano", 2, "Bs"),
    ("BOV", "Mvdol", 2, "BOV"),
    ("BRL", "Brazilian Real", 2, "R$"),
    ("BSD", "Bahamian Dollar", 2, "$"),
    ("BTN", "Ngultrum", 2, "Nu."),
    ("BWP", "Pula", 2, "P"),
    ("BYN", "Belarusian Ruble", 2, "Br"),
    ("BZD", "Belize Dollar", 2, "$"),
    ("CAD", "Canadian Dollar", 2, "$"),
    ("CDF", "Congolese Franc", 2, "FC"),
    ("CHE", "WIR Euro", 2, "CHE"),
    ("CHF", "Swiss Franc", 2, "CHF"),
    ("CHW", "WIR Franc", 2, "CHW"),
    ("CLF", "Unidad de Fomento", 4, "CLF"),
    ("CLP", "Chilean Peso", 0, "$"),
    ("CNY", "Yuan Renminbi", 2, "¥"),
    ("COP", "Colombian Peso", 2, "$"),
    ("COU", "Unidad de Valor Real", 2, "COU"),
    ("CRC", "Costa Rican Colon", 2, "₡"),
    ("CUP", "Cuban Peso", 2, "$"),
    ("CVE", "Cabo Verde Escudo", 2, "CVE"),
    ("CZK", "Czech Koruna", 2, "Kč"),
    ("DJF", "Djibouti Franc", 0, "Fdj"),
    ("DKK", "Danish Krone", 2, "kr."),
    ("DOP", "Dominican Peso", 2, "RD$"),
    ("DZD", "Algerian Dinar", 2, "د.ج"),
    ("EGP", "Egyptian Pound", 2, "ج.م"),
    ("ERN", "Nakfa", 2, "Nfk"),
    ("ETB", "Ethiopian Birr", 2, "ብር"),
    ("EUR", "Euro", 2, "€"),
    ("FJD", "Fiji Dollar", 2, "$"),
    ("FKP", "Falkland Islands Pound", 2, "£"),
    ("GBP", "Pound Sterling", 2, "£"),
    ("GEL", "Lari", 2, "₾"),
    ("GHS", "Ghana Cedi", 2, "GH₵"),
    ("GIP", "Gibraltar Pound", 2, "£"),
    ("GMD", "Dalasi", 2, "D"),
    ("GNF", "Guinean Franc", 0, "FG"),
    ("GTQ", "Quetzal", 2, "Q"),
    ("GYD", "Guyana Dollar", 2, "$"),
    ("HKD", "Hong Kong Dollar", 2, "HK$"),
    ("HNL", "Lempira", 2, "L"),
    ("HTG", "Gourde", 2, "G"),
    ("HUF", "Forint", 2, "Ft"),
    ("IDR", "Rupiah", 2, "Rp"),
    ("ILS", "New Israeli Sheqel", 2, "₪"),
    ("INR", "Indian Rupee", 2, "₹"),
    ("IQD", "Iraqi Dinar", 3, "د.ع"),
    ("IRR", "Iranian Rial", 2, "ریال"),
    ("ISK", "Iceland Krona", 0, "kr."),
    ("JMD", "Jamaican Dollar", 2, "$"),
    ("JOD", "Jordanian Dinar", 3, "د.أ"),
    ("JPY", "Yen", 0, "¥"),
    ("KES", "Kenyan Shilling", 2, "Ksh"),
    ("KGS", "Som", 2, "сом"),
    ("KHR", "Riel", 2, "៛"),
    ("KMF", "Comorian Franc", 0, "CF"),
    ("KPW", "North Korean Won", 2, "KPW"),
    ("KRW", "Won", 0, "₩"),
    ("KWD", "Kuwaiti Dinar", 3, "د.ك"),
    ("KYD", "Cayman Islands Dollar", 2, "$"),
    ("KZT", "Tenge", 2, "₸"),
    ("LAK", "Lao Kip", 2, "₭"),
    ("LBP", "Lebanese Pound", 2, "ل.ل"),
    ("LKR", "Sri Lanka Rupee", 2, "රු."),
    ("LRD", "Liberian Dollar", 2, "$"),
    ("LSL", "Loti", 2, "M"),
    ("LYD", "Libyan Dinar", 3, "د.ل"),
    ("MAD", "Moroccan Dirham", 2, "د.م"),
    ("MDL", "Moldovan Leu", 2, "L"),
    ("MGA", "Malagasy Ariary", 2, "Ar"),
    ("MKD", "Denar", 2, "ден."),
    ("MMK", "Kyat", 2, "K"),
    ("MNT", "Tugrik", 2, "₮"),
    ("MOP", "Pataca", 2, "MOP$"),
    ("MRU", "Ouguiya", 2, "أ.م"),
    ("MUR", "Mauritius Rupee", 2, "Rs"),
    ("MVR", "Rufiyaa", 2, "ރ."),
    ("MWK", "Malawi Kwacha", 2, "MK"),
    ("MXN", "Mexican Peso", 2, "$"),
    ("MXV", "Mexican Unidad de Inversion (UDI)", 2, "MXV"),
    ("MYR", "Malaysian Ringgit", 2, "RM"),
    ("MZN", "Mozambique Metical", 2, "MTn"),
    ("NAD", "Namibia Dollar", 2, "$"),
    ("NGN", "Naira", 2, "₦"),
    ("NIO", "Cordoba Oro", 2, "C$"),
    ("NOK", "Norwegian Krone", 2, "kr"),
    ("NPR", "Nepalese Rupee", 2, "नेरू"),
    ("NZD", "New Zealand Dollar", 2, "$"),
    ("OMR", "Rial Omani", 3, "ر.ع"),
    ("PAB", "Balboa", 2, "B/."),
    ("PEN", "Sol", 2, "S/"),
    ("PGK", "Kina", 2, "K"),
    ("PHP", "Philippine Peso", 2, "₱"),
    ("PKR", "Pakistan Rupee", 2, "Rs"),
    ("PLN", "Zloty", 2, "zł"),
    ("PYG", "Guarani", 0, "₲"),
    ("QAR", "Qatari Rial", 2, "ر.ق"),
    ("RON", "Romanian Leu", 2, "RON"),
    ("RSD", "Serbian Dinar", 2, "RSD"),
    ("RUB", "Russian Ruble", 2, "₽"),
    ("RWF", "Rwanda Franc", 0, "RF"),
    ("SAR", "Saudi Riyal", 2, "ر.س"),
    ("SBD", "Solomon Islands Dollar", 2, "$"),
    ("SCR", "Seychelles Rupee", 2, "SR"),
    ("SDG", "Sudanese Pound", 2, "ج.س"),
    ("SEK", "Swedish Krona", 2, "kr"),
    ("SGD", "Singapore Dollar", 2, "$"),
    ("SHP", "Saint Helena Pound", 2, "£"),
    ("SLE", "Leone", 2, "Le"),
    ("SOS", "Somali Shilling", 2, "S"),
    ("SRD", "Surinam Dollar", 2, "$"),
    ("SSP", "South Sudanese Pound", 2, "£"),
    ("STN", "Dobra", 2, "Db"),
    ("SVC", "El Salvador Colon", 2, "SVC"),
    ("SYP", "Syrian Pound", 2, "ل.س"),
    ("SZL", "Lilangeni", 2, "E"),
    ("THB", "Baht", 2, "฿"),
    ("TJS", "Somoni", 2, "TJS"),
    ("TMT", "Turkmenistan New Manat", 2, "TMT"),
    ("TND", "Tunisian Dinar", 3, "د.ت"),
    ("TOP", "Pa’anga", 2, "T$"),
    ("TRY", "Turkish Lira", 2, "₺"),
    ("TTD", "Trinidad and Tobago Dollar", 2, "$"),
    ("TWD", "New Taiwan Dollar", 2, "$"),
    ("TZS", "Tanzanian Shilling", 2, "TSh"),
    ("UAH", "Hryvnia", 2, "₴"),
    ("UGX", "Uganda Shilling", 0, "USh"),
    ("USD", "US Dollar", 2, "$"),
    ("USN", "US Dollar (Next day)", 2, "USN"),
    ("UYI", "Uruguay Peso en Unidades Indexadas (UI)", 0, "UYI"),
    ("UYU", "Peso Uruguayo", 2, "$"),
    ("UYW", "Unidad Previsional", 4, "UP"),
    ("UZS", "Uzbekistan Sum", 2, "soʻm"),
    ("VED", "Bolívar Soberano", 2, "VED"),
    ("VES", "Bolívar Soberano", 2, "Bs.S"),
    ("VND", "Dong", 0, "₫"),
    ("VUV", "Vatu", 0, "VT"),
    ("WST", "Tala", 2, "WS$"),
    ("XAD", "Arab Accounting Dinar", 2, "XAD"),
    ("XAF", "CFA Franc BEAC", 0, "FCFA"),
    ("XCD", "East Caribbean Dollar", 2, "$"),
    ("XCG", "Caribbean Guilder", 2, "Cg."),
    // U+202F (narrow no-break space) as in CLDR, escaped to stay visible.
    ("XOF", "CFA Franc BCEAO", 0, "F\u{202F}CFA"),
    ("XPF", "CFP Franc", 0, "FCFP"),
    ("YER", "Yemeni Rial", 2, "ر.ي"),
    ("ZAR", "Rand", 2, "R"),
    ("ZMW", "Zambian Kwacha", 2, "K"),
    ("ZWG", "Zimbabwe Gold", 2, "ZWG"),
];

#[cfg(test)]
mod tests {
    use super::CURRENCIES;

    fn exponent(code: &str) -> Option<i16> {
        CURRENCIES.iter().find(|c| c.0 == code).map(|c| c.2)
    }

    #[test]
    fn codes_are_three_uppercase_ascii_letters() {
        for (code, _, _, _) in CURRENCIES {
            assert_eq!(code.len(), 3, "{code}");
            assert!(code.bytes().all(|b| b.is_ascii_uppercase()), "{code}");
        }
    }

    #[test]
    fn codes_are_sorted_and_unique() {
        for pair in CURRENCIES.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} !< {}", pair[0].0, pair[1].0);
        }
    }

    #[test]
    fn exponents_are_in_range() {
        for (code, _, exp, _) in CURRENCIES {
            assert!((0..=4).contains(exp), "{code}: {exp}");
        }
    }

    #[test]
    fn names_and_symbols_are_non_empty() {
        for (code, name, _, symbol) in CURRENCIES {
            assert!(!name.trim().is_empty(), "{code}");
            assert!(!symbol.trim().is_empty(), "{code}");
        }
    }

    #[test]
    fn known_exponents() {
        assert_eq!(exponent("USD"), Some(2));
        assert_eq!(exponent("JPY"), Some(0));
        assert_eq!(exponent("KWD"), Some(3));
        assert_eq!(exponent("CLF"), Some(4));
    }

    #[test]
    fn no_minor_unit_or_withdrawn_codes() {
        for code in [
            "XAU", "XAG", "XPD", "XPT", "XTS", "XXX", "ANG", "HRK", "ZWL", "SLL",
        ] {
            assert_eq!(exponent(code), None, "{code}");
        }
    }
}
