//! Date: a small calendar type and the normaliser that turns the many ways CRMs and spreadsheets
//! write a date into ISO `YYYY-MM-DD`.
//!
//! The pipeline needs dates for three things: birth dates (checked against `--as-of`), activity
//! dates (staleness) and created dates (survivorship). None of them needs a time zone or a time of
//! day, so [`Date`] is a plain proleptic Gregorian calendar date and a date-time is cut to its date
//! part. Keeping the arithmetic here (days since the epoch, adding months, completed years) rather
//! than pulling in a date crate keeps the stage dependency-free and every rule visible.
//!
//! Formats accepted by [`clean_date`], and the rules that settle ambiguity:
//! - ISO `yyyy-mm-dd`, also with `/` or `.` between the parts; the year first is never ambiguous.
//! - `dd.mm.yyyy`, `dd-mm-yyyy`, `dd/mm/yyyy` (one or two digits for day and month). Day first is
//!   the default because every language regclean serves writes the day first; `month_first` in
//!   [`DateOptions`] switches `/` and `-` dates to the American order. Dotted dates are always day
//!   first: no locale writes month.day.year. When the preferred reading is impossible but the
//!   other one is a real date (`12/31/2023` read day first), the only possible reading is taken.
//! - Two-digit years only in the last position (`05.04.23`), with a fixed pivot: `30`-`99` are
//!   19xx and `00`-`29` are 20xx. The pivot is fixed rather than relative to today so that output
//!   never depends on the clock; people born before 1930 need a four-digit year.
//! - `yyyymmdd` (eight digits, as in FEBRL and many mainframe exports).
//! - Date-times (`2023-04-05T10:22:00Z`, `05.04.2023 10:22`, `4/5/2023 10:22:33 AM`): the date
//!   part is kept and the time is only checked to look like a time.
//! - English month names (`05-Apr-2023`, `5 April 2023`, `Apr 5, 2023`) and a time zone after a
//!   time (`CET`, `CEST`, `UTC`, `GMT`, `Z`).
//! - Excel serial numbers between 20000 and 80000 (1954-10-03 to 2119-01-11), counted in days from
//!   1899-12-30, with any fraction (the time of day) dropped. The range is a guard: smaller
//!   numbers are far more likely to be a year, a postcode or an id than a date serial, and larger
//!   ones are not dates at all. Starting the count at 1899-12-30 absorbs Excel's fictional
//!   1900-02-29, which only matters for serials below 61.
//!
//! Years before 1000 are rejected: they never occur in a customer register, and `0001-01-01` is
//! the "no date" placeholder of several platforms.

use std::error::Error;
use std::fmt;
use std::str::FromStr;

use super::{Cleaned, is_blank};

/// A calendar date in the proleptic Gregorian calendar.
///
/// Field order makes the derived `Ord` chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// Days from 1970-01-01 to the first and last dates a [`Date`] can hold; [`Date::from_days`]
/// saturates to them so that no input can overflow the year.
const MIN_DAYS: i64 = days_from_civil(i32::MIN as i64, 1, 1);
const MAX_DAYS: i64 = days_from_civil(i32::MAX as i64, 12, 31);

/// Days from 1970-01-01 back to 1899-12-30, the day before Excel's serial 1 if 1900 had been a
/// leap year (which Excel pretends it was).
const EXCEL_EPOCH_DAYS: i64 = days_from_civil(1899, 12, 30);

/// Serial numbers accepted as Excel dates; see the module documentation for why.
const EXCEL_SERIALS: std::ops::RangeInclusive<i64> = 20_000..=80_000;

/// Serial numbers accepted in a birth-date column: 3000 (1908-03-18) to 60000 (2064-04-08).
/// People born before 1954 have serials below 20000, and a birth-date column holds no years,
/// postcodes or ids; the lower bound keeps four-digit years (`1985`, serial 1905) out, and the
/// birth-date check rejects what is too old or in the future.
const BIRTH_EXCEL_SERIALS: std::ops::RangeInclusive<i64> = 3_000..=60_000;

/// Oldest plausible age, in years, for a birth date.
const MAX_AGE_YEARS: i32 = 120;

/// Two-digit years at or above this are 19xx, below it 20xx.
const TWO_DIGIT_YEAR_PIVOT: i32 = 30;

impl Date {
    /// A date, or `None` when the month or day does not exist (including 29 February outside leap
    /// years).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (which is 0); negative before it.
    pub fn days_since_epoch(self) -> i64 {
        days_from_civil(i64::from(self.year), i64::from(self.month), i64::from(self.day))
    }

    /// The date `days` days after 1970-01-01, saturating at the first and last representable
    /// dates.
    ///
    /// This is Howard Hinnant's `civil_from_days`: it counts in 400-year eras (146 097 days each)
    /// with years starting on 1 March, so that the leap day is the last day of the year and the
    /// month lengths follow a fixed pattern.
    pub fn from_days(days: i64) -> Date {
        let z = days.clamp(MIN_DAYS, MAX_DAYS) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097; // day of era, 0..=146_096
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365; // year of era
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of year from 1 March
        let mp = (5 * doy + 2) / 153; // month from March, 0..=11
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            // The clamp above keeps the year inside i32; the fallbacks are never taken.
            year: i32::try_from(year).unwrap_or(if year < 0 { i32::MIN } else { i32::MAX }),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// The date `days` days later (earlier when negative), saturating like [`Date::from_days`].
    pub fn add_days(self, days: i64) -> Date {
        Date::from_days(self.days_since_epoch().saturating_add(days))
    }

    /// The same day `months` months later (earlier when negative). The day is clamped to the end
    /// of the target month (31 January plus one month is 28 or 29 February), as calendars and
    /// contract terms do.
    pub fn add_months(self, months: i32) -> Date {
        let total = i64::from(self.year) * 12 + i64::from(self.month) - 1 + i64::from(months);
        let Ok(year) = i32::try_from(total.div_euclid(12)) else {
            // Past the representable years: saturate like `from_days`.
            return Date::from_days(if total < 0 { MIN_DAYS } else { MAX_DAYS });
        };
        let month = u8::try_from(total.rem_euclid(12) + 1).unwrap_or(1);
        let day = self.day.min(days_in_month(year, month));
        Date { year, month, day }
    }

    /// Completed years from `birth` to `on`: a person's age on that day. Negative when `on` is
    /// before `birth`. Someone born on 29 February completes a year on 1 March in common years.
    pub fn years_between(birth: Date, on: Date) -> i32 {
        let mut years = i64::from(on.year) - i64::from(birth.year);
        if (on.month, on.day) < (birth.month, birth.day) {
            years -= 1;
        }
        i32::try_from(years).unwrap_or(if years < 0 { i32::MIN } else { i32::MAX })
    }

    /// Parses exactly `YYYY-MM-DD` (four-digit year, two-digit month and day) into a real date.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = ascii_number(&b[0..4])?;
        let month = ascii_number(&b[5..7])?;
        let day = ascii_number(&b[8..10])?;
        Date::new(i32::try_from(year).ok()?, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`, the cleaned form of every date.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The error of parsing a [`Date`] from a string that is not strict ISO `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDateError;

impl fmt::Display for ParseDateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a real date written as YYYY-MM-DD")
    }
}

impl Error for ParseDateError {}

impl FromStr for Date {
    type Err = ParseDateError;

    /// Strict ISO, like [`Date::parse_iso`]: used for `--as-of` and config values, where a
    /// lenient reading would hide a typo. Use [`clean_date`] for data.
    fn from_str(s: &str) -> Result<Date, ParseDateError> {
        Date::parse_iso(s).ok_or(ParseDateError)
    }
}

/// How to read dates whose order is ambiguous.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateOptions {
    /// Read `a/b/yyyy` and `a-b-yyyy` as month/day (American). Default false: day first.
    pub month_first: bool,
}

/// Cleans a date or date-time into ISO `YYYY-MM-DD`.
///
/// `Valid` only when the raw value (trimmed) already was ISO; every other accepted format is
/// `Fixed`; impossible dates (`31.02.2020`, `2020-13-01`) and unknown formats are `Invalid`.
pub fn clean_date(raw: &str, opts: &DateOptions) -> Cleaned {
    if is_blank(raw) {
        return Cleaned::missing();
    }
    match parse_date(raw.trim(), opts, &EXCEL_SERIALS) {
        Some(date) => Cleaned::from_raw(raw, date.to_string()),
        None => Cleaned::invalid(),
    }
}

/// Cleans a birth date: [`clean_date`] with the Excel serials of people born before 1954
/// accepted (see `BIRTH_EXCEL_SERIALS`), then [`check_birth_date`].
pub fn clean_birth_date(raw: &str, opts: &DateOptions, as_of: Date) -> Cleaned {
    if is_blank(raw) {
        return Cleaned::missing();
    }
    let cleaned = match parse_date(raw.trim(), opts, &BIRTH_EXCEL_SERIALS) {
        Some(date) => Cleaned::from_raw(raw, date.to_string()),
        None => Cleaned::invalid(),
    };
    check_birth_date(cleaned, as_of)
}

/// Marks a cleaned birth date `Invalid` when it is after `as_of` or more than 120 years before
/// it; both are typing errors (a wrong century, a created date in the wrong column) rather than
/// real people. Missing and invalid values pass through unchanged.
pub fn check_birth_date(c: Cleaned, as_of: Date) -> Cleaned {
    let Some(value) = c.value.as_deref() else {
        return c;
    };
    let oldest = as_of.add_months(-MAX_AGE_YEARS * 12);
    match Date::parse_iso(value) {
        Some(birth) if birth <= as_of && birth >= oldest => c,
        _ => Cleaned::invalid(),
    }
}

/// Reads a trimmed, non-blank value in any accepted format.
fn parse_date(s: &str, opts: &DateOptions, serials: &std::ops::RangeInclusive<i64>) -> Option<Date> {
    // `5 April 2023`, `05-Apr-2023`, `Apr 5, 2023`: only values with a letter can be.
    if s.bytes().any(|b| b.is_ascii_alphabetic())
        && let Some(date) = parse_month_name(s)
    {
        return (date.year >= 1000).then_some(date);
    }
    let (date_part, time_part) = split_time(s);
    if !time_part.is_empty() && !looks_like_time(time_part) {
        return None;
    }
    // "05.04.2023, 10:22" leaves a comma on the date.
    let date_part = date_part.strip_suffix(',').unwrap_or(date_part);
    let date = if let Some(serial) = excel_serial(date_part, serials) {
        if !time_part.is_empty() {
            return None;
        }
        Date::from_days(EXCEL_EPOCH_DAYS + serial)
    } else if date_part.len() == 8 && date_part.bytes().all(|b| b.is_ascii_digit()) {
        // All ASCII, so these byte ranges are on char boundaries.
        let b = date_part.as_bytes();
        let year = i32::try_from(ascii_number(&b[0..4])?).ok()?;
        let month = u8::try_from(ascii_number(&b[4..6])?).ok()?;
        let day = u8::try_from(ascii_number(&b[6..8])?).ok()?;
        Date::new(year, month, day)?
    } else {
        parse_separated(date_part, opts)?
    };
    (date.year >= 1000).then_some(date)
}

/// Splits `date time` or `dateTtime` at the first whitespace or `T`; dates themselves contain
/// only digits and separators, so the first letter or space always ends them.
fn split_time(s: &str) -> (&str, &str) {
    match s.char_indices().find(|&(_, c)| c.is_whitespace() || c == 'T' || c == 't') {
        Some((i, c)) => (&s[..i], s[i + c.len_utf8()..].trim()),
        None => (s, ""),
    }
}

/// A loose check that the rest of a date-time is a time (`10:22`, `10:22:33 AM`,
/// `10:22:00.000+02:00`, `102200Z`), so that `05.04.2023 or later` is not silently cut.
fn looks_like_time(t: &str) -> bool {
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    t.split_whitespace().all(|token| {
        let upper = token.to_ascii_uppercase();
        // A time zone after the time (`10:22 CET`): the date is the same in every zone a
        // register is kept in, so the zone is read past.
        matches!(
            upper.as_str(),
            "AM" | "PM"
                | "A.M."
                | "P.M."
                | "Z"
                | "UTC"
                | "GMT"
                | "CET"
                | "CEST"
                | "EET"
                | "EEST"
                | "WET"
                | "WEST"
                | "BST"
                | "MEZ"
                | "MESZ"
        ) || upper
            .strip_suffix('Z')
            .unwrap_or(&upper)
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | ',' | '+' | '-'))
            || ["AM", "PM", "UTC", "GMT"].iter().any(|suffix| {
                upper
                    .strip_suffix(suffix)
                    .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == ':'))
            })
    })
}

/// English month names and their abbreviations (`Sept` too), lower case, by month number - 1.
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month an English name or abbreviation of at least three letters names (`Apr`, `april`,
/// `Sept`).
fn month_number(word: &str) -> Option<u8> {
    let w = word.to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let i = MONTHS.iter().position(|m| m.starts_with(w.as_str()) || (w == "sept" && *m == "september"))?;
    u8::try_from(i + 1).ok()
}

/// A date with an English month name: day-month-year (`05-Apr-2023`, `5 April 2023`,
/// `5. Apr. 2023`) or month-day-year (`Apr 5, 2023`, `April 5th 2023`), four-digit year, and
/// nothing else (a time after it makes the value a date-time this reader does not take).
fn parse_month_name(s: &str) -> Option<Date> {
    let mut tokens = s.split([' ', '-', ',', '.', '/']).filter(|t| !t.is_empty());
    let (a, b, c) = (tokens.next()?, tokens.next()?, tokens.next()?);
    if tokens.next().is_some() {
        return None;
    }
    let day = |t: &str| -> Option<u8> {
        let digits = ["st", "nd", "rd", "th"].iter().find_map(|x| t.strip_suffix(x)).unwrap_or(t);
        if digits.is_empty() || digits.len() > 2 {
            return None;
        }
        small(digits)
    };
    let (d, m) = match (month_number(a), month_number(b)) {
        (None, Some(m)) => (day(a)?, m),
        (Some(m), None) => (day(b)?, m),
        _ => return None,
    };
    if c.len() != 4 {
        return None;
    }
    let year = i32::try_from(ascii_number(c.as_bytes())?).ok()?;
    Date::new(year, m, d)
}

/// An Excel serial: four or five digits in `serials`, optionally followed by a fraction (the
/// time of day) after `.` or `,`.
fn excel_serial(s: &str, serials: &std::ops::RangeInclusive<i64>) -> Option<i64> {
    let (whole, fraction) = match s.find(['.', ',']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    if !(4..=5).contains(&whole.len()) || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) || (s.len() > whole.len() && fraction.is_empty()) {
        return None;
    }
    let serial = i64::from(ascii_number(whole.as_bytes())?);
    serials.contains(&serial).then_some(serial)
}

/// `y-m-d`, `d-m-y` or `m-d-y` with one kind of separator (`-`, `/` or `.`) used twice.
fn parse_separated(s: &str, opts: &DateOptions) -> Option<Date> {
    let sep = s.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(sep, '-' | '/' | '.') {
        return None;
    }
    let mut parts = s.split(sep);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    for part in [a, b, c] {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let short = |p: &str| (1..=2).contains(&p.len());
    if a.len() == 4 && short(b) && short(c) {
        let year = i32::try_from(ascii_number(a.as_bytes())?).ok()?;
        return Date::new(year, small(b)?, small(c)?);
    }
    if !(short(a) && short(b)) {
        return None;
    }
    let year = match c.len() {
        4 => i32::try_from(ascii_number(c.as_bytes())?).ok()?,
        2 => {
            let yy = i32::try_from(ascii_number(c.as_bytes())?).ok()?;
            if yy >= TWO_DIGIT_YEAR_PIVOT { 1900 + yy } else { 2000 + yy }
        }
        _ => return None,
    };
    let (a, b) = (small(a)?, small(b)?);
    let day_first = Date::new(year, b, a);
    let month_first = Date::new(year, a, b);
    if opts.month_first && sep != '.' { month_first.or(day_first) } else { day_first.or(month_first) }
}

/// A one- or two-digit ASCII number as a day or month.
fn small(s: &str) -> Option<u8> {
    u8::try_from(ascii_number(s.as_bytes())?).ok()
}

/// The value of 1 to 9 ASCII digits (nine digits always fit in a u32).
fn ascii_number(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0')))
}

fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Howard Hinnant's `days_from_civil`, the inverse of [`Date::from_days`]; `const` so that the
/// range limits and the Excel epoch are computed at compile time.
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // 0..=399
    let mp = (month + 9) % 12; // March is 0
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::Status;

    fn d(year: i32, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    #[test]
    fn new_validates() {
        let cases = [
            ((2024, 2, 29), true),
            ((2023, 2, 29), false),
            ((1900, 2, 29), false),
            ((2000, 2, 29), true),
            ((2023, 4, 30), true),
            ((2023, 4, 31), false),
            ((2023, 12, 31), true),
            ((2023, 13, 1), false),
            ((2023, 0, 1), false),
            ((2023, 1, 0), false),
            ((-4, 2, 29), true),
        ];
        for ((y, m, day), ok) in cases {
            assert_eq!(Date::new(y, m, day).is_some(), ok, "{y}-{m}-{day}");
        }
    }

    #[test]
    fn days_since_epoch_known_values() {
        let cases = [
            (d(1970, 1, 1), 0),
            (d(1970, 1, 2), 1),
            (d(1969, 12, 31), -1),
            (d(2000, 3, 1), 11_017),
            (d(2023, 4, 5), 19_452),
            (d(1899, 12, 30), -25_569),
            (d(1, 1, 1), -719_162),
        ];
        for (date, days) in cases {
            assert_eq!(date.days_since_epoch(), days, "{date}");
            assert_eq!(Date::from_days(days), date, "{days}");
        }
    }

    #[test]
    fn from_days_round_trips_and_saturates() {
        let mut days = -1_000_000;
        while days < 1_000_000 {
            let date = Date::from_days(days);
            assert!(Date::new(date.year, date.month, date.day).is_some(), "{date:?}");
            assert_eq!(date.days_since_epoch(), days);
            days += 97;
        }
        let cases = [(i64::MIN, d(i32::MIN, 1, 1)), (i64::MAX, d(i32::MAX, 12, 31))];
        for (days, date) in cases {
            assert_eq!(Date::from_days(days), date);
        }
        assert_eq!(d(i32::MAX, 12, 31).add_days(i64::MAX), d(i32::MAX, 12, 31));
    }

    #[test]
    fn add_days_and_months() {
        let cases = [
            (d(2023, 12, 31).add_days(1), d(2024, 1, 1)),
            (d(2024, 3, 1).add_days(-1), d(2024, 2, 29)),
            (d(2023, 1, 31).add_months(1), d(2023, 2, 28)),
            (d(2024, 1, 31).add_months(1), d(2024, 2, 29)),
            (d(2024, 1, 15).add_months(-1), d(2023, 12, 15)),
            (d(2024, 2, 29).add_months(-12), d(2023, 2, 28)),
            (d(2024, 5, 31).add_months(-1440), d(1904, 5, 31)),
            (d(2024, 5, 31).add_months(0), d(2024, 5, 31)),
            (d(i32::MAX, 6, 1).add_months(i32::MAX), d(i32::MAX, 12, 31)),
            (d(i32::MIN, 6, 1).add_months(i32::MIN), d(i32::MIN, 1, 1)),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn years_between_counts_completed_years() {
        let cases = [
            ((d(1990, 6, 15), d(2024, 6, 14)), 33),
            ((d(1990, 6, 15), d(2024, 6, 15)), 34),
            ((d(2000, 2, 29), d(2023, 2, 28)), 22),
            ((d(2000, 2, 29), d(2023, 3, 1)), 23),
            ((d(2024, 1, 1), d(2023, 12, 31)), -1),
            ((d(2024, 1, 1), d(2024, 1, 1)), 0),
        ];
        for ((birth, on), years) in cases {
            assert_eq!(Date::years_between(birth, on), years, "{birth} .. {on}");
        }
    }

    #[test]
    fn parse_iso_is_strict_and_display_round_trips() {
        let cases = [
            ("2023-04-05", Some(d(2023, 4, 5))),
            ("2024-02-29", Some(d(2024, 2, 29))),
            ("2023-02-29", None),
            ("2023-4-5", None),
            ("2023/04/05", None),
            (" 2023-04-05", None),
            ("2023-04-05T10:00", None),
            ("20é3-04-05", None),
            ("+023-04-05", None),
            ("", None),
        ];
        for (s, want) in cases {
            assert_eq!(Date::parse_iso(s), want, "{s:?}");
            assert_eq!(s.parse::<Date>().ok(), want, "{s:?}");
            if let Some(date) = want {
                assert_eq!(date.to_string(), s);
            }
        }
        assert_eq!(d(987, 1, 2).to_string(), "0987-01-02");
    }

    #[test]
    fn clean_date_day_first() {
        let opts = DateOptions::default();
        let cases = [
            ("2023-04-05", Some("2023-04-05"), Status::Valid),
            (" 2023-04-05 ", Some("2023-04-05"), Status::Valid),
            ("2023-4-5", Some("2023-04-05"), Status::Fixed),
            ("2023/04/05", Some("2023-04-05"), Status::Fixed),
            ("2023.04.05", Some("2023-04-05"), Status::Fixed),
            ("05.04.2023", Some("2023-04-05"), Status::Fixed),
            ("5.4.2023", Some("2023-04-05"), Status::Fixed),
            ("05-04-2023", Some("2023-04-05"), Status::Fixed),
            ("05/04/2023", Some("2023-04-05"), Status::Fixed),
            ("12/31/2023", Some("2023-12-31"), Status::Fixed),
            ("05.04.23", Some("2023-04-05"), Status::Fixed),
            ("05.04.29", Some("2029-04-05"), Status::Fixed),
            ("05.04.30", Some("1930-04-05"), Status::Fixed),
            ("1/2/99", Some("1999-02-01"), Status::Fixed),
            ("19081209", Some("1908-12-09"), Status::Fixed),
            ("20240229", Some("2024-02-29"), Status::Fixed),
            ("2023-04-05T10:22:00Z", Some("2023-04-05"), Status::Fixed),
            ("2023-04-05T10:22:00.123+02:00", Some("2023-04-05"), Status::Fixed),
            ("2023-04-05 10:22", Some("2023-04-05"), Status::Fixed),
            ("05.04.2023 10:22", Some("2023-04-05"), Status::Fixed),
            ("05.04.2023, 10:22", Some("2023-04-05"), Status::Fixed),
            ("4/5/2023 10:22:33 AM", Some("2023-05-04"), Status::Fixed),
            ("4/5/2023 10:22PM", Some("2023-05-04"), Status::Fixed),
            ("20230405T102200Z", Some("2023-04-05"), Status::Fixed),
            ("45021", Some("2023-04-05"), Status::Fixed),
            ("45021.4375", Some("2023-04-05"), Status::Fixed),
            ("45021,5", Some("2023-04-05"), Status::Fixed),
            ("20000", Some("1954-10-03"), Status::Fixed),
            ("80000", Some("2119-01-11"), Status::Fixed),
            ("19999", None, Status::Invalid),
            ("80001", None, Status::Invalid),
            ("45021.", None, Status::Invalid),
            ("45021 10:00", None, Status::Invalid),
            ("2023", None, Status::Invalid),
            ("31.02.2020", None, Status::Invalid),
            ("2020-13-01", None, Status::Invalid),
            ("2023-02-29", None, Status::Invalid),
            ("13/13/2023", None, Status::Invalid),
            ("20231301", None, Status::Invalid),
            ("0001-01-01", None, Status::Invalid),
            ("05.04.2023 or later", None, Status::Invalid),
            ("05.04-2023", None, Status::Invalid),
            ("05.04.2023.", None, Status::Invalid),
            ("5 April 2023", Some("2023-04-05"), Status::Fixed),
            ("05-Apr-2023", Some("2023-04-05"), Status::Fixed),
            ("05-APR-2023", Some("2023-04-05"), Status::Fixed),
            ("Apr 5, 2023", Some("2023-04-05"), Status::Fixed),
            ("April 5th, 2023", Some("2023-04-05"), Status::Fixed),
            ("5 Sept 2023", Some("2023-09-05"), Status::Fixed),
            ("31 Feb 2023", None, Status::Invalid),
            ("5 Apr 23", None, Status::Invalid),
            ("Apr 2023", None, Status::Invalid),
            ("5 Ap 2023", None, Status::Invalid),
            ("2023-04-05 10:22 CET", Some("2023-04-05"), Status::Fixed),
            ("2023-04-05 10:22:00 CEST", Some("2023-04-05"), Status::Fixed),
            ("05.04.2023 10:22 UTC", Some("2023-04-05"), Status::Fixed),
            ("2023-04-05 10:22 GMT", Some("2023-04-05"), Status::Fixed),
            ("2023-04-05 CET", None, Status::Invalid),
            ("9654", None, Status::Invalid),
            ("1.2.3", None, Status::Invalid),
            ("05.04.023", None, Status::Invalid),
            ("2023-04-05-01", None, Status::Invalid),
            ("١٢.٠٤.٢٠٢٣", None, Status::Invalid),
            ("", None, Status::Missing),
            ("  ", None, Status::Missing),
            ("N/A", None, Status::Missing),
        ];
        for (raw, value, status) in cases {
            let got = clean_date(raw, &opts);
            assert_eq!(got.value.as_deref(), value, "value for {raw:?}");
            assert_eq!(got.status, status, "status for {raw:?}");
        }
    }

    #[test]
    fn clean_date_month_first() {
        let opts = DateOptions { month_first: true };
        let cases = [
            ("4/5/2023", Some("2023-04-05")),
            ("04-05-2023", Some("2023-04-05")),
            ("4/5/2023 10:22:33 AM", Some("2023-04-05")),
            // Only the day-first reading exists.
            ("31/12/2023", Some("2023-12-31")),
            // Dots are always day first.
            ("04.05.2023", Some("2023-05-04")),
            ("2023-04-05", Some("2023-04-05")),
            ("13/13/2023", None),
        ];
        for (raw, value) in cases {
            assert_eq!(clean_date(raw, &opts).value.as_deref(), value, "{raw:?}");
        }
    }

    #[test]
    fn check_birth_date_window() {
        let as_of = d(2024, 6, 15);
        let opts = DateOptions::default();
        let cases = [
            ("1980-01-01", Status::Valid),
            ("2024-06-15", Status::Valid),
            ("2024-06-16", Status::Invalid),
            ("1904-06-15", Status::Valid),
            ("1904-06-14", Status::Invalid),
            ("01.01.1980", Status::Fixed),
            ("31.02.1980", Status::Invalid),
            ("", Status::Missing),
        ];
        for (raw, status) in cases {
            let got = check_birth_date(clean_date(raw, &opts), as_of);
            assert_eq!(got.status, status, "{raw:?}");
            assert_eq!(got.value.is_some(), matches!(status, Status::Valid | Status::Fixed));
        }
        let odd = Cleaned::valid("not a date".to_string());
        assert_eq!(check_birth_date(odd, as_of), Cleaned::invalid());
    }

    #[test]
    fn clean_birth_date_takes_old_serials() {
        let opts = DateOptions::default();
        let as_of = d(2026, 11, 23);
        let cases = [
            ("9654", Some("1926-06-06")),
            ("11440", Some("1931-04-27")),
            ("20000", Some("1954-10-03")),
            ("45021", Some("2023-04-05")),
            // A year is not a serial; serials past --as-of are future births.
            ("1985", None),
            ("2999", None),
            ("50000", None),
            ("60001", None),
            ("5 April 1980", Some("1980-04-05")),
        ];
        for (raw, want) in cases {
            assert_eq!(clean_birth_date(raw, &opts, as_of).value.as_deref(), want, "{raw}");
        }
        // Other date columns keep the narrow range.
        assert_eq!(clean_date("9654", &opts).value, None);
    }

    #[test]
    fn clean_date_never_panics() {
        let long = "9".repeat(100_000);
        let inputs = [
            long.as_str(),
            "T",
            "2023-04-05T",
            "ééé.ééé.éééé",
            "1.1.é",
            "٠٥.٠٤.٢٠٢٣",
            "12345.６",
            "\u{0}",
            "99999999999999999999-01-01",
            "01/01/99999999999999999999",
            "2023-04-05\u{2028}10:00",
        ];
        for raw in inputs {
            let got = clean_date(raw, &DateOptions::default());
            assert_eq!(got.value.is_some(), matches!(got.status, Status::Valid | Status::Fixed));
        }
    }
}
