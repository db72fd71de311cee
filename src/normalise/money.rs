//! Money and counts: read amounts (`revenue`) and whole numbers (`employees`, `order_count`)
//! written with the separators, currency marks and sign conventions of the exporting locale.
//!
//! The cleaned form is what every later stage and every spreadsheet can read back without a locale:
//! ASCII digits, `.` as the decimal point, no thousands separator, a leading `-` for negatives. The
//! currency is dropped; a register holds one currency per column, and the column mapping says
//! which.
//!
//! Decimals: when the raw value gave any decimals the cleaned amount has exactly two (`12,5` →
//! `12.50`), rounded half away from zero when more were given (`0,125` → `0.13`); when it gave
//! none it stays an integer (`kr 99` → `99`). Two decimals is what every currency the tool serves
//! uses, and keeping integers as integers avoids inventing precision.
//!
//! Separators, from most to least certain:
//! - spaces (also U+00A0 and U+202F, which Nordic and Polish locales use) and apostrophes (Swiss)
//!   only ever group thousands;
//! - when both `.` and `,` occur, the last one is the decimal point;
//! - a `.` or `,` that occurs more than once groups thousands;
//! - a single `.` or `,` is the decimal point, unless exactly three digits follow it and the
//!   digits before it do not start with `0` (`1,234` and `1.234` are 1234, `1,23` and `0,125` are
//!   decimals). That is how Nordic, Dutch, Polish and German exports write thousands, and amounts
//!   with three decimals are rare in a customer register.
//!
//! Groups of thousands are checked (one to three digits first, then exactly three), so `1 23` or
//! `1.2.3` are `Invalid` rather than guessed.
//!
//! Signs: a leading `-` (or U+2212), accounting brackets `(12.50)`, and a trailing `-` as SAP and
//! other ERPs write it (`12.50-`). A trailing `,-` or `.-` is the Scandinavian and Swiss way of
//! writing "no cents" (`NOK 1 499,-`), not a sign; so is the Swedish shelf price's `:-` (`99:-`,
//! `1 234 kr:-`).

use super::{Cleaned, is_blank};

/// Currency symbols and codes peeled from either end, longest first so that `kr.` wins over `kr`.
/// Compared case-insensitively.
const CURRENCIES: &[&str] = &[
    "euros", "euro", "nok", "sek", "dkk", "eur", "pln", "usd", "gbp", "chf", "kr.", "us$", "kr", "zł", "zl", "€", "$",
    "£",
];

/// Cleans an amount into a plain decimal (see the module documentation for the rules).
///
/// `Valid` when the raw value (trimmed) already was in that form.
pub fn clean_money(raw: &str) -> Cleaned {
    if is_blank(raw) {
        return Cleaned::missing();
    }
    match parse_money(raw.trim()) {
        Some(amount) => Cleaned::from_raw(raw, amount),
        None => Cleaned::invalid(),
    }
}

/// Cleans a count (employees, orders) into a non-negative integer without separators.
///
/// Accepts thousands separators by the same rules as [`clean_money`] and a fraction of zeros
/// (`12.0`, which spreadsheets write for integers); negative numbers, real fractions and currency
/// marks are `Invalid`.
pub fn clean_count(raw: &str) -> Cleaned {
    if is_blank(raw) {
        return Cleaned::missing();
    }
    let body = raw.trim();
    let body = body.strip_prefix('+').unwrap_or(body);
    let Some(number) = parse_number(body) else {
        return Cleaned::invalid();
    };
    if number.fraction.is_some_and(|f| f.bytes().any(|b| b != b'0')) {
        return Cleaned::invalid();
    }
    Cleaned::from_raw(raw, number.whole)
}

/// A number read from text: the whole part as digits without leading zeros (`"0"` at least), and
/// the digits after the decimal point when there was one.
#[derive(Debug, PartialEq, Eq)]
struct Number {
    whole: String,
    fraction: Option<String>,
}

/// Peels currency marks and signs from both ends, then reads the number that is left.
fn parse_money(s: &str) -> Option<String> {
    let mut body = s;
    let mut negative = false;
    let mut no_cents = false;
    loop {
        body = body.trim();
        if let Some(rest) = strip_currency(body) {
            body = rest;
        } else if let Some(inner) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
            if negative {
                return None;
            }
            negative = true;
            body = inner;
        } else if let Some(rest) = body.strip_prefix(['-', '\u{2212}']) {
            if negative {
                return None;
            }
            negative = true;
            body = rest;
        } else if let Some(rest) = body.strip_prefix('+') {
            body = rest;
        } else if let Some(rest) =
            [",--", ",-", ".-", ":-", ",\u{2013}", ".\u{2013}"].iter().find_map(|mark| body.strip_suffix(mark))
        {
            if no_cents {
                return None;
            }
            no_cents = true;
            body = rest;
        } else if let Some(rest) = body.strip_suffix(['-', '\u{2212}']) {
            if negative {
                return None;
            }
            negative = true;
            body = rest;
        } else {
            break;
        }
    }
    let number = parse_number(body)?;
    let (whole, cents) = match number.fraction {
        Some(_) if no_cents => return None,
        Some(fraction) => {
            let (whole, cents) = round_to_cents(&number.whole, &fraction);
            (whole, Some(cents))
        }
        None => (number.whole, None),
    };
    let is_zero = whole == "0" && cents.as_deref().is_none_or(|c| c == "00");
    let sign = if negative && !is_zero { "-" } else { "" };
    Some(match cents {
        Some(cents) => format!("{sign}{whole}.{cents}"),
        None => format!("{sign}{whole}"),
    })
}

/// The value without one currency mark at its start or end, if it has one.
fn strip_currency(body: &str) -> Option<&str> {
    for code in CURRENCIES {
        let n = code.len();
        // `get` returns None instead of panicking when `n` is not on a char boundary.
        if let Some(head) = body.get(..n)
            && head.to_lowercase() == *code
        {
            return body.get(n..);
        }
        if let Some(start) = body.len().checked_sub(n)
            && let Some(tail) = body.get(start..)
            && tail.to_lowercase() == *code
        {
            return body.get(..start);
        }
    }
    None
}

/// A thousands or decimal separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sep {
    Dot,
    Comma,
    /// A space of any width or an apostrophe: thousands only.
    Group,
}

/// Reads digits and separators into a [`Number`] by the rules in the module documentation.
fn parse_number(body: &str) -> Option<Number> {
    // Digit runs and the separator after each run but the last.
    let mut runs: Vec<&str> = Vec::new();
    let mut seps: Vec<Sep> = Vec::new();
    let mut run_start = 0;
    for (i, c) in body.char_indices() {
        let sep = match c {
            '0'..='9' => continue,
            '.' => Sep::Dot,
            ',' => Sep::Comma,
            ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '\u{2019}' => Sep::Group,
            _ => return None,
        };
        runs.push(&body[run_start..i]);
        seps.push(sep);
        run_start = i + c.len_utf8();
    }
    runs.push(&body[run_start..]);

    // Every run must have digits, except a bare leading decimal point as in `.5`.
    let leading_point = runs.len() == 2 && runs[0].is_empty() && seps[0] != Sep::Group;
    if runs.iter().enumerate().any(|(i, r)| r.is_empty() && !(i == 0 && leading_point)) {
        return None;
    }

    let last = runs.len() - 1;
    let decimal_at = decimal_separator(&runs, &seps);
    // Everything before the decimal point (or all of it) must be well-formed thousand groups.
    let whole_runs = &runs[..decimal_at.map_or(runs.len(), |i| i + 1)];
    let grouped = whole_runs.len() > 1;
    if grouped {
        let first_ok = (1..=3).contains(&whole_runs[0].len());
        if !first_ok || whole_runs[1..].iter().any(|r| r.len() != 3) {
            return None;
        }
        // One kind of thousands separator per number (spaces and apostrophes mix freely).
        let kinds = &seps[..whole_runs.len() - 1];
        if kinds.iter().any(|&k| k != kinds[0] && k != Sep::Group && kinds[0] != Sep::Group) {
            return None;
        }
    }
    let digits: String = whole_runs.concat();
    let trimmed = digits.trim_start_matches('0');
    let whole = if trimmed.is_empty() { "0".to_string() } else { trimmed.to_string() };
    let fraction = decimal_at.map(|_| runs[last].to_string());
    Some(Number { whole, fraction })
}

/// The index of the separator that is the decimal point, if any (it is always the last one).
fn decimal_separator(runs: &[&str], seps: &[Sep]) -> Option<usize> {
    let last = seps.len().checked_sub(1)?;
    let kind = seps[last];
    if kind == Sep::Group {
        return None;
    }
    let other = if kind == Sep::Dot { Sep::Comma } else { Sep::Dot };
    let same = seps.iter().filter(|&&s| s == kind).count();
    if seps.contains(&other) {
        // Both marks: the last is the decimal point and must occur once.
        return (same == 1).then_some(last);
    }
    if same > 1 {
        return None;
    }
    if seps.contains(&Sep::Group) {
        // `1 234,50`: spaces group thousands, so the mark is the decimal point.
        return Some(last);
    }
    // A single mark and nothing else: `1,234` groups thousands, `1,23` and `0,125` do not.
    let looks_grouped = runs[last + 1].len() == 3 && !runs[last].is_empty() && !runs[last].starts_with('0');
    (!looks_grouped).then_some(last)
}

/// Rounds `whole.fraction` to two decimals, half away from zero, returning the new whole part and
/// the two cent digits. Works on the digit strings so no amount is too large.
fn round_to_cents(whole: &str, fraction: &str) -> (String, String) {
    let mut cents: Vec<u8> = fraction.bytes().take(2).collect();
    cents.resize(2, b'0');
    let round_up = fraction.as_bytes().get(2).is_some_and(|&d| d >= b'5');
    let mut digits: Vec<u8> = whole.bytes().chain(cents).collect();
    if round_up {
        // Add one at the last place, carrying leftwards; a carry out of the top adds a digit.
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, b'1');
                break;
            }
            i -= 1;
            if digits[i] == b'9' {
                digits[i] = b'0';
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let split = digits.len() - 2;
    let cents = String::from_utf8_lossy(&digits[split..]).into_owned();
    let whole = String::from_utf8_lossy(&digits[..split]).trim_start_matches('0').to_string();
    let whole = if whole.is_empty() { "0".to_string() } else { whole };
    (whole, cents)
}

/// Cents of a cleaned money value (`1234.5` → 123450).
pub fn cents(s: &str) -> Option<i128> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let v = int.parse::<i128>().ok()?.checked_mul(100)? + hundredths(frac);
    Some(if neg { -v } else { v })
}

/// Hundredths from up to two checked decimal digits (`"5"` is 50, `"05"` is 5).
pub fn hundredths(frac: &str) -> i128 {
    frac.bytes().chain(std::iter::repeat(b'0')).take(2).fold(0, |acc, b| acc * 10 + i128::from(b - b'0'))
}

pub fn format_cents(c: i128) -> String {
    let (sign, v) = if c < 0 { ("-", -c) } else { ("", c) };
    format!("{sign}{}.{:02}", v / 100, v % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::Status;

    #[test]
    fn clean_money_table() {
        let cases = [
            ("1234.50", Some("1234.50"), Status::Valid),
            ("99", Some("99"), Status::Valid),
            ("-12.50", Some("-12.50"), Status::Valid),
            ("0", Some("0"), Status::Valid),
            ("1 234,50", Some("1234.50"), Status::Fixed),
            ("1.234,50", Some("1234.50"), Status::Fixed),
            ("1,234.50", Some("1234.50"), Status::Fixed),
            ("1'234.50", Some("1234.50"), Status::Fixed),
            ("1\u{a0}234,50", Some("1234.50"), Status::Fixed),
            ("1\u{202f}234\u{202f}567,5", Some("1234567.50"), Status::Fixed),
            ("1.234.567", Some("1234567"), Status::Fixed),
            ("1,234,567.891", Some("1234567.89"), Status::Fixed),
            ("kr 99", Some("99"), Status::Fixed),
            ("99:-", Some("99"), Status::Fixed),
            ("1 234 kr:-", Some("1234"), Status::Fixed),
            ("kr 1 234:-", Some("1234"), Status::Fixed),
            ("12,50:-", None, Status::Invalid),
            ("99 kr", Some("99"), Status::Fixed),
            ("99kr", Some("99"), Status::Fixed),
            ("Kr. 99,90", Some("99.90"), Status::Fixed),
            ("€ 12", Some("12"), Status::Fixed),
            ("12 €", Some("12"), Status::Fixed),
            ("$12.5", Some("12.50"), Status::Fixed),
            ("US$ 12", Some("12"), Status::Fixed),
            ("£1,000", Some("1000"), Status::Fixed),
            ("12,99 zł", Some("12.99"), Status::Fixed),
            ("12,99 ZŁ", Some("12.99"), Status::Fixed),
            ("PLN 12,99", Some("12.99"), Status::Fixed),
            ("SEK 1 000", Some("1000"), Status::Fixed),
            ("DKK 5", Some("5"), Status::Fixed),
            ("EUR 5,00", Some("5.00"), Status::Fixed),
            ("5 GBP", Some("5"), Status::Fixed),
            ("USD 7", Some("7"), Status::Fixed),
            ("NOK 1 499,-", Some("1499"), Status::Fixed),
            ("1499,--", Some("1499"), Status::Fixed),
            ("CHF 12.–", Some("12"), Status::Fixed),
            ("12,5", Some("12.50"), Status::Fixed),
            ("1.5", Some("1.50"), Status::Fixed),
            ("1,23", Some("1.23"), Status::Fixed),
            ("1,234", Some("1234"), Status::Fixed),
            ("1.234", Some("1234"), Status::Fixed),
            ("0,125", Some("0.13"), Status::Fixed),
            ("0.124", Some("0.12"), Status::Fixed),
            ("1 234,567", Some("1234.57"), Status::Fixed),
            ("9.999", Some("9999"), Status::Fixed),
            ("9,995 5", None, Status::Invalid),
            ("99.995", Some("99995"), Status::Fixed),
            ("99,9951", Some("100.00"), Status::Fixed),
            ("-99,995", Some("-99995"), Status::Fixed),
            ("-0,995", Some("-1.00"), Status::Fixed),
            (".5", Some("0.50"), Status::Fixed),
            ("007", Some("7"), Status::Fixed),
            ("(12.50)", Some("-12.50"), Status::Fixed),
            ("kr (12,50)", Some("-12.50"), Status::Fixed),
            ("12.50-", Some("-12.50"), Status::Fixed),
            ("- kr 12", Some("-12"), Status::Fixed),
            ("−12", Some("-12"), Status::Fixed),
            ("+12", Some("12"), Status::Fixed),
            ("-0", Some("0"), Status::Fixed),
            ("-0.00", Some("0.00"), Status::Fixed),
            ("", None, Status::Missing),
            ("-", None, Status::Missing),
            ("N/A", None, Status::Missing),
            ("kr", None, Status::Invalid),
            ("abc", None, Status::Invalid),
            ("12abc", None, Status::Invalid),
            ("--12", None, Status::Invalid),
            ("(-12)", None, Status::Invalid),
            ("1 23", None, Status::Invalid),
            ("1.2.3", None, Status::Invalid),
            ("1.234,5,6", None, Status::Invalid),
            ("1,234.567.8", None, Status::Invalid),
            ("12,50,-", None, Status::Invalid),
            ("12.", None, Status::Invalid),
            ("1..2", None, Status::Invalid),
            ("1 000 000 000 000 000 000 000,01", Some("1000000000000000000000.01"), Status::Fixed),
            ("١٢", None, Status::Invalid),
        ];
        for (raw, value, status) in cases {
            let got = clean_money(raw);
            assert_eq!(got.value.as_deref(), value, "value for {raw:?}");
            assert_eq!(got.status, status, "status for {raw:?}");
        }
    }

    #[test]
    fn clean_count_table() {
        let cases = [
            ("12", Some("12"), Status::Valid),
            (" 12 ", Some("12"), Status::Valid),
            ("0", Some("0"), Status::Valid),
            ("12.0", Some("12"), Status::Fixed),
            ("12,00", Some("12"), Status::Fixed),
            ("1 200", Some("1200"), Status::Fixed),
            ("1.200", Some("1200"), Status::Fixed),
            ("1,200", Some("1200"), Status::Fixed),
            ("+5", Some("5"), Status::Fixed),
            ("007", Some("7"), Status::Fixed),
            ("-3", None, Status::Invalid),
            ("abc", None, Status::Invalid),
            ("1.5", None, Status::Invalid),
            ("11-50", None, Status::Invalid),
            ("kr 12", None, Status::Invalid),
            ("1 23", None, Status::Invalid),
            ("", None, Status::Missing),
            ("n/a", None, Status::Missing),
        ];
        for (raw, value, status) in cases {
            let got = clean_count(raw);
            assert_eq!(got.value.as_deref(), value, "value for {raw:?}");
            assert_eq!(got.status, status, "status for {raw:?}");
        }
    }

    #[test]
    fn round_to_cents_carries() {
        let cases = [
            (("0", "5"), ("0", "50")),
            (("1", "005"), ("1", "01")),
            (("1", "004"), ("1", "00")),
            (("9", "995"), ("10", "00")),
            (("99", "999"), ("100", "00")),
            (("0", "994999"), ("0", "99")),
        ];
        for ((whole, fraction), (want_whole, want_cents)) in cases {
            let got = round_to_cents(whole, fraction);
            assert_eq!(got, (want_whole.to_string(), want_cents.to_string()), "{whole}.{fraction}");
        }
    }

    #[test]
    fn never_panics() {
        let long_digits = "9".repeat(100_000);
        let long_groups = "1 234".repeat(20_000);
        let inputs = [
            long_digits.as_str(),
            long_groups.as_str(),
            "€",
            "zł",
            "ł",
            "(",
            "()",
            "—",
            "1,-,-",
            "\u{0}",
            "kr€$",
            "€€12",
        ];
        for raw in inputs {
            for got in [clean_money(raw), clean_count(raw)] {
                assert_eq!(got.value.is_some(), matches!(got.status, Status::Valid | Status::Fixed));
            }
        }
    }
}
