//! Phone and mobile numbers to E.164, with the `phonenumber` port of libphonenumber.
//!
//! The hard part of CRM phone data is not the format but the missing country: `98765432` is
//! Norwegian only because the row (or the config) says so. The caller passes the row's country,
//! falling back to the configured default; a number written with `+` or `00` carries its own.
//! Before parsing we strip what people type around numbers (spaces, dashes, dots, brackets,
//! `tel:`) and turn `00` into `+`, because the parser's handling of these varies by region.

use super::{Cleaned, is_blank};
use phonenumber::country::Id;

/// Loads libphonenumber's metadata and compiles the patterns the general path uses most (Swedish
/// and German landlines, British numbers), so a caller can do it on a spare thread while the
/// input is being read instead of on the first row that needs it.
pub fn warm_up() {
    for (number, country) in [("08-123 456 78", "SE"), ("030 1234567", "DE"), ("020 7946 0018", "GB")] {
        let _ = clean_phone(number, Some(country));
    }
}

/// Cleans a phone number into E.164 (`+4791234567`). `country` is an ISO alpha-2 code used for
/// numbers written in national form.
pub fn clean_phone(raw: &str, country: Option<&str>) -> Cleaned {
    if is_blank(raw) {
        return Cleaned::missing();
    }
    let Some(candidate) = prepare(raw) else {
        return Cleaned::invalid();
    };
    if let Some(fast) = fast_path(&candidate, country) {
        return Cleaned::from_raw(raw, fast);
    }
    let id = country.and_then(|c| c.parse::<Id>().ok());
    // `4791234567` in a Norwegian row: the calling code written without `+` or `00`. Only taken
    // when the rest is a valid number of that country, so a national number that happens to
    // start with the same digits is never misread.
    if let (Some(id), false) = (id, candidate.starts_with('+'))
        && let Some(code) = phonenumber::metadata::DATABASE.by_id(id.as_ref()).map(|m| m.country_code().to_string())
        && let Some(rest) = candidate.strip_prefix(code.as_str())
    {
        let national_ok = phonenumber::parse(Some(id), &candidate).is_ok_and(|n| n.is_valid());
        if !national_ok
            && rest.len() >= 6
            && let Ok(n) = phonenumber::parse(None, format!("+{candidate}"))
            && n.is_valid()
            && !placeholder(&n)
        {
            return Cleaned::fixed(n.format().mode(phonenumber::Mode::E164).to_string());
        }
    }
    if !candidate.starts_with('+') && id.is_none() {
        // A national number without a country cannot be placed; guessing would invent data.
        return Cleaned::invalid();
    }
    match phonenumber::parse(id, &candidate) {
        Ok(n) if !placeholder(&n) && (n.is_valid() || plausible(&n)) => {
            Cleaned::from_raw(raw, n.format().mode(phonenumber::Mode::E164).to_string())
        }
        _ => Cleaned::invalid(),
    }
}

/// A number libphonenumber does not know as allocated but that has a possible length for its
/// country and is not a placeholder (all one digit, 1234...). Registers hold such numbers
/// (new ranges, reserved test ranges) and a careful person would still write them in E.164;
/// dropping them would lose a contact.
fn plausible(n: &phonenumber::PhoneNumber) -> bool {
    let national = n.national().to_string();
    let Some(metas) = phonenumber::metadata::DATABASE.by_code(&n.code().value()) else {
        return false;
    };
    let Some(meta) = metas.into_iter().next() else { return false };
    let d = meta.descriptors();
    let len = national.len() as u16;
    let possible = [Some(d.general()), d.fixed_line(), d.mobile()]
        .into_iter()
        .flatten()
        .any(|desc| desc.possible_length().contains(&len));
    possible && !national.starts_with('0')
}

/// `11111111`, `12345678`: typed to get past a required field, not a number.
fn placeholder(n: &phonenumber::PhoneNumber) -> bool {
    let national = n.national().to_string();
    let first = national.as_bytes().first().copied().unwrap_or(b'0');
    national.bytes().all(|b| b == first) || "1234567890123456789".starts_with(national.as_str())
}

/// Strips decoration and returns `+digits` or `digits`, or None when the value holds letters or
/// other signs that no phone number has (an e-mail in the phone column, a note).
fn prepare(raw: &str) -> Option<String> {
    let mut s = raw.trim();
    for prefix in ["tel:", "Tel:", "TEL:", "tlf:", "Tlf:", "tlf.", "Tlf."] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.trim_start();
        }
    }
    // Extensions are not part of E.164; keep the main number.
    let s = s.split([';', ',']).next().unwrap_or("");
    let s = match s.find(['x', 'X']) {
        Some(i) if s[..i].chars().filter(char::is_ascii_digit).count() >= 6 => &s[..i],
        _ => s,
    };
    // `+44 (0)20 ...` writes the trunk zero that is dropped after a country code.
    let s = s.trim();
    let owned;
    let s = if s.starts_with(['+', '0']) && s.contains("(0)") {
        owned = s.replacen("(0)", "", 1);
        owned.as_str()
    } else {
        s
    };
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        match c {
            '0'..='9' => out.push(c),
            '+' if i == 0 => out.push('+'),
            ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}' => {}
            _ => return None,
        }
    }
    if let Some(rest) = out.strip_prefix("00") {
        out = format!("+{rest}");
    }
    let digits = out.trim_start_matches('+').len();
    if !(4..=17).contains(&digits) {
        return None;
    }
    Some(out)
}

/// A numbering plan simple enough to format without the general parser.
struct Plan {
    iso: &'static str,
    code: &'static str,
    /// National numbers are dialled with a leading trunk `0`.
    trunk: bool,
    /// Does a national significant number (no trunk, no country code) fit this rule?
    fits: fn(&[u8]) -> bool,
}

/// Exact rules for the plans most of our users' numbers follow: closed plans of fixed length
/// (NO, DK, NL, PL) and the mobile (and British geographic) ranges of the open ones (SE, DE,
/// GB). They are far cheaper than the general parser, whose regex cache is also a point of
/// contention between threads. Anything that does not fit exactly falls through to it.
const PLANS: [Plan; 7] = [
    Plan { iso: "NO", code: "47", trunk: false, fits: |n| n.len() == 8 && matches!(n[0], b'2'..=b'7' | b'9') },
    Plan { iso: "DK", code: "45", trunk: false, fits: |n| n.len() == 8 && (b'2'..=b'9').contains(&n[0]) },
    Plan { iso: "NL", code: "31", trunk: true, fits: |n| n.len() == 9 && (b'1'..=b'7').contains(&n[0]) },
    Plan { iso: "PL", code: "48", trunk: false, fits: |n| n.len() == 9 && (b'1'..=b'9').contains(&n[0]) },
    Plan {
        iso: "SE",
        code: "46",
        trunk: true,
        fits: |n| n.len() == 9 && n[0] == b'7' && matches!(n[1], b'0' | b'2' | b'3' | b'6' | b'9'),
    },
    Plan {
        iso: "DE",
        code: "49",
        trunk: true,
        fits: |n| (n.len() == 10 || n.len() == 11) && n[0] == b'1' && matches!(n[1], b'5' | b'6' | b'7'),
    },
    Plan {
        iso: "GB",
        code: "44",
        trunk: true,
        fits: |n| {
            n.len() == 10
                && ((n[0] == b'7' && matches!(n[1], b'1'..=b'5' | b'7'..=b'9')) || matches!(n[0], b'1' | b'2'))
        },
    },
];

fn fast_path(candidate: &str, country: Option<&str>) -> Option<String> {
    let (plan, nsn) = if let Some(rest) = candidate.strip_prefix('+') {
        let plan = PLANS.iter().find(|p| rest.starts_with(p.code))?;
        (plan, &rest[plan.code.len()..])
    } else {
        let plan = PLANS.iter().find(|p| Some(p.iso) == country)?;
        // A trunk country's national number starts with 0; without it, a spreadsheet dropped it.
        let nsn = if plan.trunk { candidate.strip_prefix('0').unwrap_or(candidate) } else { candidate };
        (plan, nsn)
    };
    let digits = nsn.as_bytes();
    if digits.is_empty() || digits[0] == b'0' || !(plan.fits)(digits) {
        return None;
    }
    let first = digits[0];
    if digits.iter().all(|&b| b == first) {
        return None;
    }
    Some(format!("+{}{}", plan.code, nsn))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::Status;

    #[test]
    fn cleans_phones_to_e164() {
        let cases = [
            ("+4791234567", Some("NO"), Some("+4791234567"), Status::Valid),
            ("912 34 567", Some("NO"), Some("+4791234567"), Status::Fixed),
            ("0047 912 34 567", None, Some("+4791234567"), Status::Fixed),
            ("+47 (0)22 33 44 55", None, Some("+4722334455"), Status::Fixed),
            ("22334455", Some("NO"), Some("+4722334455"), Status::Fixed),
            ("070-123 45 67", Some("SE"), Some("+46701234567"), Status::Fixed),
            ("+46 70 123 45 67", Some("NO"), Some("+46701234567"), Status::Fixed),
            ("20 12 34 56", Some("DK"), Some("+4520123456"), Status::Fixed),
            ("06-12345678", Some("NL"), Some("+31612345678"), Status::Fixed),
            ("(030) 1234567", Some("DE"), Some("+49301234567"), Status::Fixed),
            ("0151 23456789", Some("DE"), Some("+4915123456789"), Status::Fixed),
            ("512 345 678", Some("PL"), Some("+48512345678"), Status::Fixed),
            ("+48 22 123 45 67", None, Some("+48221234567"), Status::Fixed),
            ("07911 123456", Some("GB"), Some("+447911123456"), Status::Fixed),
            ("tel:+4791234567", None, Some("+4791234567"), Status::Fixed),
            ("91234567", None, None, Status::Invalid),
            ("4536281762", Some("DK"), Some("+4536281762"), Status::Fixed),
            ("4791234567", Some("NO"), Some("+4791234567"), Status::Fixed),
            ("4512345678", Some("NO"), None, Status::Invalid),
            ("07700 900123", Some("GB"), Some("+447700900123"), Status::Fixed),
            ("06 00991784", Some("NL"), Some("+31600991784"), Status::Fixed),
            ("11111111", Some("SE"), None, Status::Invalid),
            ("0612", Some("NL"), None, Status::Invalid),
            ("1234", Some("NO"), None, Status::Invalid),
            ("ola@example.com", Some("NO"), None, Status::Invalid),
            ("n/a", Some("NO"), None, Status::Missing),
            ("", Some("NO"), None, Status::Missing),
        ];
        for (raw, country, value, status) in cases {
            let c = clean_phone(raw, country);
            assert_eq!((c.value.as_deref(), c.status), (value, status), "{raw}");
        }
    }
}
