//! Postcodes: check and format postcodes by the row's country, and give a plain key to match on.
//!
//! Postcodes feed blocking and address comparison in dedup, so two spellings of the same code
//! (`11122`, `SE-111 22`, `111 22`) must come out the same. Each supported country has one
//! official written form:
//!
//! | country | form      | repairs                                                           |
//! |---------|-----------|-------------------------------------------------------------------|
//! | NO      | `NNNN`    | `NO-`/`N-` prefix dropped; three digits get their leading zero back |
//! | DK      | `NNNN`    | `DK-` prefix dropped                                              |
//! | SE      | `NNN NN`  | `SE-`/`S-` prefix dropped, space put in; never starts with 0       |
//! | NL      | `NNNN AA` | `NL-` prefix dropped, letters upper-cased; never starts with 0     |
//! | PL      | `NN-NNN`  | `PL-` prefix dropped, dash put in                                  |
//! | DE      | `NNNNN`   | `D-`/`DE-` prefix dropped; four digits get their leading zero back  |
//! | FI      | `NNNNN`   | `FI-` prefix dropped                                              |
//! | GB      | `AN NAA`… | space put before the inward code (`SW1A1AA` → `SW1A 1AA`)          |
//!
//! Dutch codes with the letters SA, SD or SS are invalid: they are never issued. A dash between
//! the parts (`114-53`, `1012-AB`) is read as the space.
//!
//! The leading-zero repairs exist because spreadsheets store postcodes as numbers: Oslo's `0150`
//! comes back as `150`, Dresden's `01067` as `1067`. Only Norway and Germany get them, because
//! only there do real codes start with 0 and have a fixed length that makes the repair certain.
//!
//! A value of the wrong shape for a supported country is `Invalid`. For any other country the
//! value is only tidied: trimmed, inner whitespace collapsed, upper-cased. When the row has no
//! country (none given, none inferred) the value is tidied the same way but is `Unverified`:
//! `456` may be a fine postcode somewhere, but nothing says where, so it is not called valid.

use super::country::country_alpha2;
use super::{Cleaned, is_blank};

/// Cleans a postcode for `country` (an ISO alpha-2 code such as `"NO"`, or a country name, which is
/// resolved with [`country_alpha2`]).
///
/// `Valid` when the raw value (trimmed) already was in the cleaned form; `Unverified` (tidied)
/// when there is no country to check it against.
pub fn clean_postcode(raw: &str, country: Option<&str>) -> Cleaned {
    if is_blank(raw) {
        return Cleaned::missing();
    }
    let upper = raw.trim().to_uppercase();
    let Some(country) = country.and_then(country_alpha2) else {
        return Cleaned::unverified(upper.split_whitespace().collect::<Vec<_>>().join(" "));
    };
    let cleaned = match Some(country) {
        Some("NO") => four_digits(without_prefix(&upper, &["NO", "N"]), true),
        Some("DK") => four_digits(without_prefix(&upper, &["DK"]), false),
        Some("SE") => swedish(without_prefix(&upper, &["SE", "S"])),
        Some("NL") => dutch(without_prefix(&upper, &["NL"])),
        Some("PL") => polish(without_prefix(&upper, &["PL"])),
        Some("DE") => german(without_prefix(&upper, &["DE", "D"])),
        Some("FI") => five_digits(without_prefix(&upper, &["FI", "FIN", "SF"])),
        Some("GB") => british(&upper),
        _ => Some(upper.split_whitespace().collect::<Vec<_>>().join(" ")),
    };
    match cleaned {
        Some(value) => Cleaned::from_raw(raw, value),
        None => Cleaned::invalid(),
    }
}

/// The country a postcode names by its prefix (`DK-2100`, `S-111 22`, `D-10115`, `NL-1234 AB`),
/// for rows without a country: the letters must be followed by a separator and then digits, so
/// a British `DN1 2AB` is not read as Denmark.
pub fn country_from_prefix(raw: &str) -> Option<&'static str> {
    let upper = raw.trim().to_ascii_uppercase();
    let (prefix, rest) = upper.split_once(['-', ' '])?;
    if !rest.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    match prefix {
        "DK" => Some("DK"),
        "N" | "NO" => Some("NO"),
        "S" | "SE" => Some("SE"),
        "D" | "DE" => Some("DE"),
        "PL" => Some("PL"),
        "NL" => Some("NL"),
        _ => None,
    }
}

/// The one country whose postcode format a postcode fits, among those whose format regclean
/// checks (`3511 AB` is Dutch, `61-772` Polish, `EC1A 1BB` British); `None` when it fits none
/// or several (`0150` could be Norwegian or Danish).
pub fn country_from_format(raw: &str) -> Option<&'static str> {
    let mut fits = CHECKED.iter().copied().filter(|&c| fits(raw, c));
    match (fits.next(), fits.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// Whether a postcode fits the format of `country` (any postcode fits a country whose format is
/// not checked).
pub fn fits(raw: &str, country: &str) -> bool {
    match country {
        // Britain's cleaner keeps any shape (BFPO, overseas codes); only the British shape fits.
        "GB" => british_form(&raw.trim().to_uppercase()).is_some(),
        _ => clean_postcode(raw, Some(country)).status != super::Status::Invalid,
    }
}

/// The countries whose postcode format `clean_postcode` checks.
const CHECKED: [&str; 8] = ["NO", "DK", "SE", "NL", "PL", "DE", "FI", "GB"];

/// The key postcodes are matched on: letters and digits only, upper-cased, so `111 22`, `11122`
/// and `1234 ab` / `1234AB` compare equal whatever their cleaning status.
pub fn postcode_key(clean: &str) -> String {
    clean.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect()
}

/// The value without a country prefix such as `NO-`, `N-`, `N 0150` or `NO0150`, longest prefix
/// first so that `NO-` is not read as `N` followed by `O-`.
fn without_prefix<'a>(upper: &'a str, prefixes: &[&str]) -> &'a str {
    for prefix in prefixes {
        if let Some(rest) = upper.strip_prefix(prefix) {
            let rest = rest.trim_start();
            let rest = rest.strip_prefix('-').unwrap_or(rest).trim_start();
            if rest.starts_with(|c: char| c.is_ascii_digit()) {
                return rest;
            }
        }
    }
    upper
}

/// The value with all whitespace removed.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// Four digits (Norway, Denmark); with `pad`, three digits get back the leading zero a spreadsheet
/// dropped.
fn four_digits(s: &str, pad: bool) -> Option<String> {
    let digits = squeeze(s);
    if !all_digits(&digits) {
        return None;
    }
    match digits.len() {
        4 => Some(digits),
        3 if pad => Some(format!("0{digits}")),
        _ => None,
    }
}

/// `NNN NN`; Swedish codes run from 100 00 to 984 99. A dash for the space (`114-53`) is read.
fn swedish(s: &str) -> Option<String> {
    let digits: String = s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if digits.len() != 5 || !all_digits(&digits) || digits.starts_with('0') {
        return None;
    }
    // Five ASCII digits, so byte offsets are char boundaries.
    Some(format!("{} {}", &digits[..3], &digits[3..]))
}

/// `NNNN AA`; Dutch codes run from 1000 to 9999, and the letter pairs SA, SD and SS are never
/// issued (PostNL avoids them for their history). A dash for the space (`1012-AB`) is read.
fn dutch(s: &str) -> Option<String> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    let b = compact.as_bytes();
    let ok = b.len() == 6
        && b[0] != b'0'
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4..].iter().all(u8::is_ascii_uppercase)
        && !matches!(&b[4..], b"SA" | b"SD" | b"SS");
    // Checked all ASCII above, so byte offsets are char boundaries.
    ok.then(|| format!("{} {}", &compact[..4], &compact[4..]))
}

/// `NN-NNN`, from five digits with or without the dash.
fn polish(s: &str) -> Option<String> {
    let digits: String = s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if digits.len() != 5 || !all_digits(&digits) {
        return None;
    }
    Some(format!("{}-{}", &digits[..2], &digits[2..]))
}

/// Five digits (Finland).
fn five_digits(s: &str) -> Option<String> {
    let digits = squeeze(s);
    (digits.len() == 5 && all_digits(&digits)).then_some(digits)
}

/// A British postcode in its written form, outward and inward code split by one space
/// (`SW1A1AA` → `SW1A 1AA`): the inward code is always a digit and two letters, the outward
/// code one or two letters, a digit, and an optional letter or digit. Anything else is only
/// tidied, as for countries without a rule: British registers hold BFPO and overseas codes.
fn british(upper: &str) -> Option<String> {
    british_form(upper).or_else(|| Some(upper.split_whitespace().collect::<Vec<_>>().join(" ")))
}

/// The written form of a postcode that has the British shape (see [`british`]), else `None`.
fn british_form(upper: &str) -> Option<String> {
    let compact = squeeze(upper);
    let b = compact.as_bytes();
    let n = b.len();
    let inward_ok = n >= 5 && b[n - 3].is_ascii_digit() && b[n - 2..].iter().all(u8::is_ascii_uppercase);
    let out = &b[..n.saturating_sub(3)];
    let outward_ok = (2..=4).contains(&out.len())
        && out[0].is_ascii_uppercase()
        && out.iter().all(u8::is_ascii_alphanumeric)
        && out.iter().any(u8::is_ascii_digit);
    if inward_ok && outward_ok {
        // All ASCII, so byte offsets are char boundaries.
        Some(format!("{} {}", &compact[..n - 3], &compact[n - 3..]))
    } else {
        None
    }
}

/// Five digits; four digits get back the leading zero a spreadsheet dropped.
fn german(s: &str) -> Option<String> {
    let digits = squeeze(s);
    if !all_digits(&digits) {
        return None;
    }
    match digits.len() {
        5 => Some(digits),
        4 => Some(format!("0{digits}")),
        _ => None,
    }
}

#[cfg(test)]
mod prefix_tests {
    use super::*;

    #[test]
    fn country_prefixes() {
        let cases = [
            ("DK-2100", Some("DK")),
            ("S-111 22", Some("SE")),
            ("D-10115", Some("DE")),
            ("N-0150", Some("NO")),
            ("DN1 2AB", None),
            ("2100", None),
            ("NL 1234 AB", Some("NL")),
        ];
        for (raw, want) in cases {
            assert_eq!(country_from_prefix(raw), want, "{raw}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::Status;

    #[test]
    fn clean_postcode_table() {
        let cases = [
            ("0150", Some("NO"), Some("0150"), Status::Valid),
            ("150", Some("NO"), Some("0150"), Status::Fixed),
            ("NO-0150", Some("NO"), Some("0150"), Status::Fixed),
            ("N-0150", Some("NO"), Some("0150"), Status::Fixed),
            ("no 0150", Some("NO"), Some("0150"), Status::Fixed),
            ("5003", Some("Norge"), Some("5003"), Status::Valid),
            ("01500", Some("NO"), None, Status::Invalid),
            ("15", Some("NO"), None, Status::Invalid),
            ("O150", Some("NO"), None, Status::Invalid),
            ("2100", Some("DK"), Some("2100"), Status::Valid),
            ("DK-2100", Some("DK"), Some("2100"), Status::Fixed),
            ("210", Some("DK"), None, Status::Invalid),
            ("111 22", Some("SE"), Some("111 22"), Status::Valid),
            ("11122", Some("SE"), Some("111 22"), Status::Fixed),
            ("SE-111 22", Some("SE"), Some("111 22"), Status::Fixed),
            ("S-111 22", Some("SE"), Some("111 22"), Status::Fixed),
            ("1112", Some("SE"), None, Status::Invalid),
            ("011 22", Some("SE"), None, Status::Invalid),
            ("1234 AB", Some("NL"), Some("1234 AB"), Status::Valid),
            ("1234ab", Some("NL"), Some("1234 AB"), Status::Fixed),
            ("NL-1234 AB", Some("NL"), Some("1234 AB"), Status::Fixed),
            ("1234", Some("NL"), None, Status::Invalid),
            ("0234 AB", Some("NL"), None, Status::Invalid),
            ("1234 ÅB", Some("NL"), None, Status::Invalid),
            ("1012-AB", Some("NL"), Some("1012 AB"), Status::Fixed),
            ("1012 SA", Some("NL"), None, Status::Invalid),
            ("1012sd", Some("NL"), None, Status::Invalid),
            ("1012 SS", Some("NL"), None, Status::Invalid),
            ("114-53", Some("SE"), Some("114 53"), Status::Fixed),
            ("FI-00100", Some("FI"), Some("00100"), Status::Fixed),
            ("0010", Some("FI"), None, Status::Invalid),
            ("SW1A1AA", Some("GB"), Some("SW1A 1AA"), Status::Fixed),
            ("m1 1ae", Some("GB"), Some("M1 1AE"), Status::Fixed),
            ("BFPO 105", Some("GB"), Some("BFPO 105"), Status::Valid),
            ("00-950", Some("PL"), Some("00-950"), Status::Valid),
            ("00950", Some("PL"), Some("00-950"), Status::Fixed),
            ("PL-00-950", Some("PL"), Some("00-950"), Status::Fixed),
            ("00 950", Some("PL"), Some("00-950"), Status::Fixed),
            ("0950", Some("PL"), None, Status::Invalid),
            ("10115", Some("DE"), Some("10115"), Status::Valid),
            ("1067", Some("DE"), Some("01067"), Status::Fixed),
            ("D-01067", Some("DE"), Some("01067"), Status::Fixed),
            ("DE-10115", Some("DE"), Some("10115"), Status::Fixed),
            ("101150", Some("DE"), None, Status::Invalid),
            ("SW1A 1AA", Some("GB"), Some("SW1A 1AA"), Status::Valid),
            ("sw1a   1aa", Some("GB"), Some("SW1A 1AA"), Status::Fixed),
            // Issue 25: with no country there is nothing to check a postcode against.
            ("ec1a 1bb", None, Some("EC1A 1BB"), Status::Unverified),
            ("456", None, Some("456"), Status::Unverified),
            ("12345", Some("Atlantis"), Some("12345"), Status::Unverified),
            // A known country whose format is not checked keeps the tidied value as valid.
            ("90210", Some("US"), Some("90210"), Status::Valid),
            ("k1a 0b1", Some("CA"), Some("K1A 0B1"), Status::Fixed),
            ("", Some("NO"), None, Status::Missing),
            ("n/a", None, None, Status::Missing),
        ];
        for (raw, country, value, status) in cases {
            let got = clean_postcode(raw, country);
            assert_eq!(got.value.as_deref(), value, "value for {raw:?} in {country:?}");
            assert_eq!(got.status, status, "status for {raw:?} in {country:?}");
        }
    }

    #[test]
    fn postcode_key_table() {
        let cases = [
            ("111 22", "11122"),
            ("1234 ab", "1234AB"),
            ("00-950", "00950"),
            ("SW1A 1AA", "SW1A1AA"),
            ("  ", ""),
            ("straße 1", "STRASSE1"),
        ];
        for (clean, key) in cases {
            assert_eq!(postcode_key(clean), key, "{clean:?}");
        }
    }

    #[test]
    fn never_panics() {
        let long = "9".repeat(100_000);
        for raw in [long.as_str(), "N-", "NO", "é", "ÅÅÅÅÅÅ", "1234 ÉÉ", "ß", "\u{0}", "١٥٠"] {
            for country in [None, Some("NO"), Some("SE"), Some("NL"), Some("PL"), Some("DE")] {
                let got = clean_postcode(raw, country);
                assert_eq!(
                    got.value.is_some(),
                    matches!(got.status, Status::Valid | Status::Fixed | Status::Unverified)
                );
            }
        }
    }
}
