//! Currencies: read the codes, signs and names people write for a currency as an ISO 4217 code.
//!
//! Revenue is only comparable within one currency, so the report sums it per currency and
//! segment rules test `currency = 'EUR'`. Exports write the currency every way there is: the
//! code (`NOK`, Salesforce's `CurrencyIsoCode`), a sign (`€`, `£`, `zł`, `$`), or a name in the
//! customer's language (`norske kroner`, `Euro`, `złoty`). All become the code.
//!
//! `kr` (and a bare `krone`, `kroner`, `krona`, `kronor`) is the sign of four currencies: it is
//! read by the row's country (Norway NOK, Sweden SEK, Denmark DKK, Iceland ISK) and is invalid
//! where the row has no such country, since no code can be given for it. `$` and `dollar` are
//! the dollar of the row's country where it has one (Canada CAD...), else USD.

use super::country::fold_key;
use super::{Cleaned, is_blank};

/// The active ISO 4217 codes.
const CODES: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN \
BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD \
GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR \
LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP \
PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP \
TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL";

/// Whether `code` (upper case) is an active ISO 4217 code.
pub fn is_code(code: &str) -> bool {
    code.len() == 3 && CODES.split(' ').any(|c| c == code)
}

/// A currency a sign or name stands for: one code, or the krone or dollar of the row's country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Means {
    Code(&'static str),
    Krone,
    Dollar,
}

/// Signs and names by their folded key ([`fold_key`]), in our seven languages: English,
/// Norwegian, Swedish, Danish, German, Dutch and Polish.
const NAMES: &[(&str, Means)] = &[
    // euro
    ("€", Means::Code("EUR")),
    ("euro", Means::Code("EUR")),
    ("euros", Means::Code("EUR")),
    ("eur", Means::Code("EUR")),
    // pound sterling
    ("£", Means::Code("GBP")),
    ("pound", Means::Code("GBP")),
    ("pounds", Means::Code("GBP")),
    ("poundsterling", Means::Code("GBP")),
    ("sterling", Means::Code("GBP")),
    ("britishpound", Means::Code("GBP")),
    ("britishpounds", Means::Code("GBP")),
    ("pund", Means::Code("GBP")),
    ("britiskepund", Means::Code("GBP")),
    ("brittiskapund", Means::Code("GBP")),
    ("pfund", Means::Code("GBP")),
    ("pfundsterling", Means::Code("GBP")),
    ("britischespfund", Means::Code("GBP")),
    ("pond", Means::Code("GBP")),
    ("britspond", Means::Code("GBP")),
    ("pondsterling", Means::Code("GBP")),
    ("funt", Means::Code("GBP")),
    ("funtszterling", Means::Code("GBP")),
    ("funtbrytyjski", Means::Code("GBP")),
    // złoty
    ("zl", Means::Code("PLN")),
    ("zloty", Means::Code("PLN")),
    ("zlote", Means::Code("PLN")),
    ("zlotych", Means::Code("PLN")),
    ("zlotys", Means::Code("PLN")),
    ("polishzloty", Means::Code("PLN")),
    ("polskizloty", Means::Code("PLN")),
    ("polskezlote", Means::Code("PLN")),
    ("polnischerzloty", Means::Code("PLN")),
    ("poolsezloty", Means::Code("PLN")),
    // Norwegian, Swedish, Danish and Icelandic crowns by name
    ("norskekroner", Means::Code("NOK")),
    ("norskkrone", Means::Code("NOK")),
    ("norwegiankrone", Means::Code("NOK")),
    ("norwegiankroner", Means::Code("NOK")),
    ("norskakronor", Means::Code("NOK")),
    ("norskkrona", Means::Code("NOK")),
    ("norwegischekrone", Means::Code("NOK")),
    ("norwegischekronen", Means::Code("NOK")),
    ("noorsekroon", Means::Code("NOK")),
    ("noorsekronen", Means::Code("NOK")),
    ("koronanorweska", Means::Code("NOK")),
    ("svenskekroner", Means::Code("SEK")),
    ("svenskkrone", Means::Code("SEK")),
    ("svenskakronor", Means::Code("SEK")),
    ("svenskkrona", Means::Code("SEK")),
    ("swedishkrona", Means::Code("SEK")),
    ("swedishkronor", Means::Code("SEK")),
    ("schwedischekrone", Means::Code("SEK")),
    ("schwedischekronen", Means::Code("SEK")),
    ("zweedsekroon", Means::Code("SEK")),
    ("zweedsekronen", Means::Code("SEK")),
    ("koronaszwedzka", Means::Code("SEK")),
    ("danskekroner", Means::Code("DKK")),
    ("danskkrone", Means::Code("DKK")),
    ("danskakronor", Means::Code("DKK")),
    ("danskkrona", Means::Code("DKK")),
    ("danishkrone", Means::Code("DKK")),
    ("danishkroner", Means::Code("DKK")),
    ("danischekrone", Means::Code("DKK")),
    ("danischekronen", Means::Code("DKK")),
    ("deensekroon", Means::Code("DKK")),
    ("deensekronen", Means::Code("DKK")),
    ("koronadunska", Means::Code("DKK")),
    ("islandskekroner", Means::Code("ISK")),
    ("icelandickrona", Means::Code("ISK")),
    // a crown of no named country
    ("kr", Means::Krone),
    ("krone", Means::Krone),
    ("kroner", Means::Krone),
    ("krona", Means::Krone),
    ("kronor", Means::Krone),
    ("kronen", Means::Krone),
    ("kroon", Means::Krone),
    ("korona", Means::Krone),
    ("korony", Means::Krone),
    // dollars
    ("$", Means::Dollar),
    ("dollar", Means::Dollar),
    ("dollars", Means::Dollar),
    ("dolar", Means::Dollar),
    ("dolary", Means::Dollar),
    ("us$", Means::Code("USD")),
    ("usdollar", Means::Code("USD")),
    ("usdollars", Means::Code("USD")),
    ("amerikanskedollar", Means::Code("USD")),
    ("amerikanskadollar", Means::Code("USD")),
    ("dolaramerykanski", Means::Code("USD")),
    ("amerikaansedollar", Means::Code("USD")),
    // Swiss franc, Czech koruna, Hungarian forint
    ("swissfranc", Means::Code("CHF")),
    ("franken", Means::Code("CHF")),
    ("schweizerfranken", Means::Code("CHF")),
    ("zwitsersefrank", Means::Code("CHF")),
    ("frankszwajcarski", Means::Code("CHF")),
    ("sveitsiskefranc", Means::Code("CHF")),
    ("schweiziskafranc", Means::Code("CHF")),
    ("kc", Means::Code("CZK")),
    ("ft", Means::Code("HUF")),
    ("forint", Means::Code("HUF")),
];

/// The key a sign or name is looked up by: [`fold_key`], except for the signs it would drop.
fn key(raw: &str) -> String {
    let t = raw.trim().trim_end_matches('.');
    match t {
        "€" | "£" | "$" => t.to_string(),
        _ if t.eq_ignore_ascii_case("us$") => "us$".to_string(),
        _ => fold_key(t),
    }
}

/// The krone of a country, if it pays in one.
fn krone_of(country: &str) -> Option<&'static str> {
    Some(match country {
        "NO" | "SJ" => "NOK",
        "SE" => "SEK",
        "DK" | "FO" | "GL" => "DKK",
        "IS" => "ISK",
        _ => return None,
    })
}

/// The dollar of a country: its own where it has one, else the US dollar.
fn dollar_of(country: Option<&str>) -> &'static str {
    match country {
        Some("CA") => "CAD",
        Some("AU") => "AUD",
        Some("NZ") => "NZD",
        Some("SG") => "SGD",
        Some("HK") => "HKD",
        _ => "USD",
    }
}

/// The code a code, sign or name stands for in a row of `country` (ISO alpha-2, if known).
pub fn currency_code(raw: &str, country: Option<&str>) -> Option<&'static str> {
    let t = raw.trim();
    let upper = t.to_ascii_uppercase();
    if let Some(code) = CODES.split(' ').find(|&c| c == upper) {
        return Some(code);
    }
    let key = key(t);
    match NAMES.iter().find(|(k, _)| *k == key)?.1 {
        Means::Code(code) => Some(code),
        Means::Krone => country.and_then(krone_of),
        Means::Dollar => Some(dollar_of(country)),
    }
}

/// The currency a country's customers pay in (ISO 3166 alpha-2 to ISO 4217), for the
/// countries the tool serves; `None` for any other.
pub fn currency_of_country(country: &str) -> Option<&'static str> {
    Some(match country {
        "NO" => "NOK",
        "SE" => "SEK",
        "DK" => "DKK",
        "IS" => "ISK",
        "PL" => "PLN",
        "GB" => "GBP",
        "CH" => "CHF",
        "CZ" => "CZK",
        "US" => "USD",
        "FI" | "DE" | "NL" | "AT" | "BE" | "FR" | "ES" | "IT" | "IE" | "PT" | "LU" | "EE" | "LV" | "LT" | "SK"
        | "SI" | "GR" | "CY" | "MT" | "HR" => "EUR",
        _ => return None,
    })
}

/// Cleans a currency for a row of `country`: the ISO 4217 code. `Valid` when the raw value
/// already was the code; invalid when it names no currency or a crown the country does not
/// decide.
pub fn clean_currency(raw: &str, country: Option<&str>) -> Cleaned {
    if is_blank(raw) {
        return Cleaned::missing();
    }
    match currency_code(raw, country) {
        Some(code) => Cleaned::from_raw(raw, code.to_string()),
        None => Cleaned::invalid(),
    }
}

/// Why a word of a segment rule is no currency, with the nearest code or name when there is one.
pub fn unknown_currency(literal: &str) -> String {
    if NAMES.iter().any(|(k, m)| *k == key(literal) && *m == Means::Krone) {
        return format!(
            "'{literal}' is the krone of several countries (currencies are stored as ISO codes); write 'NOK', 'SEK', 'DKK' or 'ISK'"
        );
    }
    let key = key(literal);
    let upper = literal.trim().to_ascii_uppercase();
    let nearest = CODES
        .split(' ')
        .map(|c| (strsim::jaro_winkler(&upper, c), c))
        .chain(NAMES.iter().filter_map(|(k, m)| match m {
            Means::Code(code) if k.chars().count() >= 4 => Some((strsim::jaro_winkler(&key, k), *code)),
            _ => None,
        }))
        .filter(|&(score, _)| score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)));
    match nearest {
        Some((_, code)) => {
            format!("unknown currency '{literal}' (currencies are stored as ISO 4217 codes); did you mean '{code}'?")
        }
        None => format!(
            "unknown currency '{literal}' (currencies are stored as ISO 4217 codes such as 'EUR'; write a code or a currency's name)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::Status;

    #[test]
    fn codes_signs_and_names_become_codes() {
        let cases: &[(&str, Option<&str>, Option<&str>, Status)] = &[
            ("NOK", None, Some("NOK"), Status::Valid),
            ("nok", None, Some("NOK"), Status::Fixed),
            (" EUR ", Some("NO"), Some("EUR"), Status::Valid),
            ("€", None, Some("EUR"), Status::Fixed),
            ("euro", Some("DE"), Some("EUR"), Status::Fixed),
            ("Euros", None, Some("EUR"), Status::Fixed),
            ("£", None, Some("GBP"), Status::Fixed),
            ("GBP", None, Some("GBP"), Status::Valid),
            ("zł", None, Some("PLN"), Status::Fixed),
            ("Złoty", None, Some("PLN"), Status::Fixed),
            ("PLN", None, Some("PLN"), Status::Valid),
            ("$", None, Some("USD"), Status::Fixed),
            ("$", Some("CA"), Some("CAD"), Status::Fixed),
            ("US$", Some("CA"), Some("USD"), Status::Fixed),
            ("norske kroner", None, Some("NOK"), Status::Fixed),
            ("Svenska kronor", None, Some("SEK"), Status::Fixed),
            ("Dänische Kronen", None, Some("DKK"), Status::Fixed),
            ("Noorse kroon", None, Some("NOK"), Status::Fixed),
            ("korona szwedzka", None, Some("SEK"), Status::Fixed),
            // `kr` is the crown of the row's country, and of no country without one.
            ("kr", Some("NO"), Some("NOK"), Status::Fixed),
            ("kr.", Some("DK"), Some("DKK"), Status::Fixed),
            ("Kr", Some("SE"), Some("SEK"), Status::Fixed),
            ("kroner", Some("DK"), Some("DKK"), Status::Fixed),
            ("kr", None, None, Status::Invalid),
            ("kr", Some("DE"), None, Status::Invalid),
            ("XYZ", None, None, Status::Invalid),
            ("money", None, None, Status::Invalid),
            ("", None, None, Status::Missing),
            ("n/a", None, None, Status::Missing),
        ];
        for &(raw, country, value, status) in cases {
            let got = clean_currency(raw, country);
            assert_eq!(got.value.as_deref(), value, "{raw:?} in {country:?}");
            assert_eq!(got.status, status, "{raw:?} in {country:?}");
        }
    }

    #[test]
    fn every_name_is_a_folded_key_and_every_code_is_iso() {
        for (k, m) in NAMES {
            assert!(["€", "£", "$", "us$"].contains(k) || *k == fold_key(k), "{k} is not folded");
            if let Means::Code(code) = m {
                assert!(is_code(code), "{code}");
            }
        }
        assert!(CODES.split(' ').all(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())));
    }

    #[test]
    fn unknown_currencies_get_a_suggestion() {
        assert!(
            unknown_currency("norske kronor").contains("did you mean 'NOK'?"),
            "{}",
            unknown_currency("norske kronor")
        );
        assert!(unknown_currency("eruo").contains("did you mean 'EUR'?"), "{}", unknown_currency("eruo"));
        assert!(unknown_currency("kr").contains("write 'NOK', 'SEK', 'DKK' or 'ISK'"));
        assert!(unknown_currency("sea shells").contains("write a code or a currency's name"));
    }
}
