//! Organisation numbers: check and format the national company identifiers of Norway, Sweden,
//! Denmark, the Netherlands and Poland.
//!
//! An organisation number is the strongest evidence that two company rows are the same company,
//! so it is only trusted when its shape and check digit are right: a failed checksum is a typing
//! error and makes the value `Invalid`, never "close enough".
//!
//! | country | register         | digits | check                             | cleaned form  |
//! |---------|------------------|--------|-----------------------------------|---------------|
//! | NO      | Enhetsregisteret | 9      | mod 11, weights 3 2 7 6 5 4 3 2   | `923609016`   |
//! | SE      | Bolagsverket     | 10     | Luhn over the 10 digits           | `556036-0793` |
//! | NL      | KvK              | 8      | none published for new numbers    | `12345678`    |
//! | PL      | NIP (tax number) | 10     | mod 11, weights 6 5 7 2 3 4 5 6 7 | `5261040828`  |
//! | DK      | CVR              | 8      | mod 11, weights 2 7 6 5 4 3 2 1   | `24256790`    |
//!
//! A label before the number is dropped (`Org.nr.`, `orgnr`, `KvK`, `CVR-nr.`), and one that
//! belongs to one register names the country like a prefix does (`KvK` Dutch, `CVR` Danish).
//!
//! Spaces, dots, dashes, slashes and colons are ignored, as are the prefixes and suffixes of the
//! VAT forms (`NO923609016MVA`, `SE556036079301`, `PL5261040828`, `NIP 526-104-08-28`). A
//! prefix names the country on its own and wins over the row's country: a Swedish company can
//! have a Norwegian address, but `SE556036079301` is Swedish whatever the row says. Swedish
//! numbers written with a century (`16` + ten digits, or `19`/`20` for sole traders) lose it.
//!
//! Without a country, the number's shape decides when only one country's rule accepts it (nine
//! digits can only be Norwegian, eight only Dutch); when two rules accept it (a ten-digit number
//! valid both as Swedish and Polish) or none does, it is `Invalid`. For countries without a rule
//! here, the number is kept with spacing tidied, because it cannot be checked.

use super::country::country_alpha2;
use super::{Cleaned, is_blank};

/// Countries whose numbers this module checks, in the order tried when inferring.
const SUPPORTED: &[&str] = &["NO", "SE", "NL", "PL", "DK"];

/// Cleans an organisation number for `country` (an ISO alpha-2 code such as `"NO"`, or a country
/// name, which is resolved with [`country_alpha2`]), or infers the country from the number.
pub fn clean_org_number(raw: &str, country: Option<&str>) -> Cleaned {
    if is_blank(raw) {
        return Cleaned::missing();
    }
    let compact = compact(raw);
    let parsed = compact.as_deref().and_then(parse_compact);
    let implied = parsed.and_then(|(implied, _)| implied);
    let cleaned = match implied.or(country.and_then(country_alpha2)) {
        Some(code) if !SUPPORTED.contains(&code) => tidy(raw),
        Some(code) => parsed.and_then(|(_, digits)| clean_for(code, digits, implied.is_some())),
        None => parsed.and_then(|(_, digits)| {
            let mut found = SUPPORTED.iter().filter_map(|code| clean_for(code, digits, false));
            match (found.next(), found.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            }
        }),
    };
    match cleaned {
        Some(value) => Cleaned::from_raw(raw, value),
        None => Cleaned::invalid(),
    }
}

/// A number for a country without a rule here: trimmed, inner whitespace collapsed, and only if
/// it holds a digit at all.
fn tidy(raw: &str) -> Option<String> {
    raw.chars().any(|c| c.is_ascii_digit()).then(|| raw.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Labels written before the number, compacted (upper case, no spaces or punctuation), longest
/// first, with the country a label names (`KvK` is Dutch, `CVR` Danish, `NIP` Polish).
const LABELS: &[(&str, Option<&str>)] = &[
    ("ORGANISASJONSNUMMER", None),
    ("ORGANISATIONSNUMMER", None),
    ("ORGANISATIONSNR", None),
    ("ORGNUMMER", None),
    ("FORETAKSNR", None),
    ("ORGNR", None),
    ("KVKNUMMER", Some("NL")),
    ("KVKNR", Some("NL")),
    ("KVK", Some("NL")),
    ("CVRNUMMER", Some("DK")),
    ("CVRNR", Some("DK")),
    ("CVR", Some("DK")),
    ("NIP", Some("PL")),
];

/// Splits a compacted number into the country its label, prefix or `MVA` suffix implies and its
/// digits; `None` when letters other than those are left.
fn parse_compact(compact: &str) -> Option<(Option<&'static str>, &str)> {
    let (labelled, compact) = LABELS
        .iter()
        .find_map(|&(label, country)| compact.strip_prefix(label).map(|rest| (country, rest)))
        .unwrap_or((None, compact));
    let (prefix, body) = split_prefix(compact);
    if let (Some(l), Some(p)) = (labelled, prefix)
        && l != p
    {
        return None;
    }
    let prefix = prefix.or(labelled);
    let (implied, digits) = match body.strip_suffix("MVA") {
        // The MVA suffix marks the Norwegian VAT form, so it names the country too.
        Some(rest) if prefix.is_none_or(|p| p == "NO") => (Some("NO"), rest),
        Some(_) => return None,
        None => (prefix, body),
    };
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some((implied, digits))
}

/// Upper-cases and drops the punctuation people put in numbers; `None` when anything else but
/// ASCII letters and digits is left.
fn compact(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_uppercase()),
            c if c.is_whitespace() => {}
            '.' | '-' | '\u{2013}' | '/' | ':' => {}
            _ => return None,
        }
    }
    Some(out)
}

/// Splits off a leading country code or `NIP`, returning the country it implies.
fn split_prefix(compact: &str) -> (Option<&'static str>, &str) {
    const PREFIXES: &[(&str, &str)] =
        &[("NIP", "PL"), ("NO", "NO"), ("SE", "SE"), ("NL", "NL"), ("PL", "PL"), ("DK", "DK")];
    for &(prefix, country) in PREFIXES {
        if let Some(rest) = compact.strip_prefix(prefix) {
            // `PLNIP...` and `NIPPL...` are not written; one prefix is enough.
            return (Some(country), rest);
        }
    }
    (None, compact)
}

/// The cleaned number when `digits` pass `country`'s rule; `vat_form` allows Sweden's
/// `NNNNNNNNNN01` VAT suffix.
fn clean_for(country: &str, digits: &str, vat_form: bool) -> Option<String> {
    match country {
        "NO" => no_valid(digits).then(|| digits.to_string()),
        "SE" => {
            let ten = match digits.len() {
                10 => digits,
                12 if vat_form && digits.ends_with("01") => &digits[..10],
                12 if ["16", "19", "20"].iter().any(|c| digits.starts_with(c)) => &digits[2..],
                _ => return None,
            };
            // All ASCII digits, so byte offsets are char boundaries.
            luhn_valid(ten).then(|| format!("{}-{}", &ten[..6], &ten[6..]))
        }
        "NL" => (digits.len() == 8).then(|| digits.to_string()),
        "PL" => pl_valid(digits).then(|| digits.to_string()),
        "DK" => dk_valid(digits).then(|| digits.to_string()),
        _ => None,
    }
}

/// The digit values of an ASCII digit string.
fn values(digits: &str) -> Vec<u32> {
    digits.bytes().map(|b| u32::from(b.wrapping_sub(b'0'))).collect()
}

/// Norwegian organisation number: nine digits, the last a mod-11 check over the first eight with
/// weights 3 2 7 6 5 4 3 2. A remainder of 0 gives check digit 0; a computed check of 10 means no
/// number with those first eight digits is ever issued.
fn no_valid(digits: &str) -> bool {
    let d = values(digits);
    if d.len() != 9 {
        return false;
    }
    let sum: u32 = d.iter().zip([3, 2, 7, 6, 5, 4, 3, 2]).map(|(a, w)| a * w).sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == d[8]
}

/// Luhn (mod 10) over all ten digits of a Swedish number: from the left, odd positions are
/// doubled (and their digits summed), and the total must be a multiple of ten.
fn luhn_valid(digits: &str) -> bool {
    let d = values(digits);
    if d.len() != 10 {
        return false;
    }
    let sum: u32 = d.iter().enumerate().map(|(i, &v)| if i % 2 == 0 { v * 2 / 10 + v * 2 % 10 } else { v }).sum();
    sum.is_multiple_of(10)
}

/// Polish NIP: ten digits, the weighted sum of the first nine (6 5 7 2 3 4 5 6 7) mod 11 is the
/// last digit; a remainder of 10 is never issued.
fn pl_valid(digits: &str) -> bool {
    let d = values(digits);
    if d.len() != 10 {
        return false;
    }
    let sum: u32 = d.iter().zip([6, 5, 7, 2, 3, 4, 5, 6, 7]).map(|(a, w)| a * w).sum();
    let check = sum % 11;
    check != 10 && check == d[9]
}

/// Danish CVR number: eight digits, the first not 0, whose weighted sum (2 7 6 5 4 3 2 1) is a
/// multiple of 11.
fn dk_valid(digits: &str) -> bool {
    let d = values(digits);
    if d.len() != 8 || d[0] == 0 {
        return false;
    }
    let sum: u32 = d.iter().zip([2, 7, 6, 5, 4, 3, 2, 1]).map(|(a, w)| a * w).sum();
    sum.is_multiple_of(11)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::Status;

    #[test]
    fn clean_org_number_with_country() {
        let cases = [
            // Norway: Equinor ASA.
            ("923609016", Some("NO"), Some("923609016"), Status::Valid),
            ("923 609 016", Some("NO"), Some("923609016"), Status::Fixed),
            ("923.609.016", Some("NO"), Some("923609016"), Status::Fixed),
            ("NO 923 609 016 MVA", Some("NO"), Some("923609016"), Status::Fixed),
            ("NO923609016MVA", None, Some("923609016"), Status::Fixed),
            ("923609016MVA", None, Some("923609016"), Status::Fixed),
            ("923609016", Some("Norway"), Some("923609016"), Status::Valid),
            ("923609016", Some("no"), Some("923609016"), Status::Valid),
            ("923609017", Some("NO"), None, Status::Invalid),
            ("923609006", Some("NO"), None, Status::Invalid),
            ("92360901", Some("NO"), None, Status::Invalid),
            ("9236090166", Some("NO"), None, Status::Invalid),
            // Remainder 0 gives check digit 0; a computed check of 10 is never issued, so no
            // last digit after 92360913 is valid.
            ("923609040", Some("NO"), Some("923609040"), Status::Valid),
            ("923609130", Some("NO"), None, Status::Invalid),
            ("923609131", Some("NO"), None, Status::Invalid),
            // Sweden: AB Volvo.
            ("556012-5790", Some("SE"), Some("556012-5790"), Status::Valid),
            ("556036-0793", Some("SE"), Some("556036-0793"), Status::Valid),
            ("5560360793", Some("SE"), Some("556036-0793"), Status::Fixed),
            ("SE556036079301", None, Some("556036-0793"), Status::Fixed),
            ("16556036-0793", Some("SE"), Some("556036-0793"), Status::Fixed),
            ("556036-0794", Some("SE"), None, Status::Invalid),
            ("556036-079", Some("SE"), None, Status::Invalid),
            // Netherlands: eight digits, no checksum.
            ("12345678", Some("NL"), Some("12345678"), Status::Valid),
            ("1234 5678", Some("NL"), Some("12345678"), Status::Fixed),
            ("1234567", Some("NL"), None, Status::Invalid),
            ("NL123456789B01", None, None, Status::Invalid),
            // Poland.
            ("5261040828", Some("PL"), Some("5261040828"), Status::Valid),
            ("526-104-08-28", Some("PL"), Some("5261040828"), Status::Fixed),
            ("PL 526 104 08 28", None, Some("5261040828"), Status::Fixed),
            ("NIP: 526-104-08-28", None, Some("5261040828"), Status::Fixed),
            ("5261040829", Some("PL"), None, Status::Invalid),
            ("5261040818", Some("PL"), None, Status::Invalid),
            // A prefix wins over the row's country.
            ("SE556036079301", Some("NO"), Some("556036-0793"), Status::Fixed),
            ("SE923609016MVA", None, None, Status::Invalid),
            // Labels, with the country they name.
            ("Org.nr. 923 609 016", Some("NO"), Some("923609016"), Status::Fixed),
            ("orgnr 923609016", None, Some("923609016"), Status::Fixed),
            ("Org nr: 923609016", Some("NO"), Some("923609016"), Status::Fixed),
            ("Org.nr. 556036-0793", Some("SE"), Some("556036-0793"), Status::Fixed),
            ("KvK 12345678", None, Some("12345678"), Status::Fixed),
            ("KvK-nummer: 1234 5678", Some("NO"), Some("12345678"), Status::Fixed),
            ("CVR 13585628", None, Some("13585628"), Status::Fixed),
            ("CVR-nr. DK13585628", None, Some("13585628"), Status::Fixed),
            ("KvK DK13585628", None, None, Status::Invalid),
            ("NIP PL5261040828", None, Some("5261040828"), Status::Fixed),
            // Denmark: CVR, mod 11 with weights 2 7 6 5 4 3 2 1 (Novo Nordisk's 24256790).
            ("24256790", Some("DK"), Some("24256790"), Status::Valid),
            ("24 25 67 90", Some("DK"), Some("24256790"), Status::Fixed),
            ("DK24256790", None, Some("24256790"), Status::Fixed),
            ("24256791", Some("DK"), None, Status::Invalid),
            ("12345678", Some("DK"), None, Status::Invalid),
            ("04256790", Some("DK"), None, Status::Invalid),
            // Unsupported countries keep the number, spacing tidied.
            ("DE 123  456", Some("DE"), Some("DE 123 456"), Status::Fixed),
            ("", Some("NO"), None, Status::Missing),
            ("n/a", None, None, Status::Missing),
            ("abc", Some("NO"), None, Status::Invalid),
            ("MVA", Some("NO"), None, Status::Invalid),
            ("923609016é", Some("NO"), None, Status::Invalid),
        ];
        for (raw, country, value, status) in cases {
            let got = clean_org_number(raw, country);
            assert_eq!(got.value.as_deref(), value, "value for {raw:?} in {country:?}");
            assert_eq!(got.status, status, "status for {raw:?} in {country:?}");
        }
    }

    #[test]
    fn clean_org_number_infers_country() {
        let cases = [
            ("923609016", Some("923609016")),
            ("923609017", None),
            ("556036-0793", Some("556036-0793")),
            ("5261040828", Some("5261040828")),
            ("12345678", Some("12345678")),
            ("165560360793", Some("556036-0793")),
            ("1234567890123", None),
            ("1", None),
        ];
        for (raw, value) in cases {
            assert_eq!(clean_org_number(raw, None).value.as_deref(), value, "{raw:?}");
        }
        // Ten digits passing both the Swedish and the Polish check are ambiguous.
        let both =
            (1_000_000_000u64..).map(|n| n.to_string()).find(|d| luhn_valid(d) && pl_valid(d)).unwrap_or_default();
        assert_eq!(clean_org_number(&both, None), Cleaned::invalid(), "{both}");
        assert!(clean_org_number(&both, Some("PL")).value.is_some());
    }

    #[test]
    fn checksums() {
        let cases = [
            ("923609016", true, false, false),
            ("923609040", true, false, false),
            ("923609139", false, false, false),
            ("5560360793", false, true, false),
            ("5560125790", false, true, false),
            ("5261040828", false, false, true),
            ("", false, false, false),
        ];
        for (digits, no, se, pl) in cases {
            assert_eq!(no_valid(digits), no, "NO {digits}");
            assert_eq!(luhn_valid(digits), se, "SE {digits}");
            assert_eq!(pl_valid(digits), pl, "PL {digits}");
        }
    }

    #[test]
    fn never_panics() {
        let long = "9".repeat(100_000);
        for raw in [long.as_str(), "NO", "SE01", "ß", "NIP", "SEMVA", "\u{0}"] {
            for country in [None, Some("NO"), Some("SE"), Some("XX")] {
                let got = clean_org_number(raw, country);
                assert_eq!(got.value.is_some(), matches!(got.status, Status::Valid | Status::Fixed));
            }
        }
    }
}
