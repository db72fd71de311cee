//! Date order per column: is `4/5/1990` the 4th of May or April 5th?
//!
//! A register mixes exports from systems that write day first (Europe) and month first (the
//! US), but one column of one export is written one way. Reading value by value turns
//! `3/14/1980` into March 14th and `4/5/1990` in the same column into May 4th, silently. So the
//! order is decided once per column from its values: a value whose first part is above 12 proves
//! day first, one whose second part is above 12 proves month first. A column with no such value
//! keeps the configured order (`date_order`, day first by default) and is reported as ambiguous
//! when some of its values read differently either way; a config that sets `date_order` fixes
//! every column.

use crate::field::{Field, Kind};
use crate::ingest::Ingested;
use serde::Serialize;

/// What one value says about its column's order: `Some(true)` month first, `Some(false)` day
/// first, `None` nothing (ISO, a day equal to the month, or not a `d/m/y` shape).
fn evidence(raw: &str) -> Evidence {
    let s = raw.trim();
    let date = s.split(|c: char| c.is_whitespace() || c == 'T').next().unwrap_or("");
    let Some(sep) = date.chars().find(|c| !c.is_ascii_digit()) else { return Evidence::None };
    if !matches!(sep, '/' | '-' | '.') {
        return Evidence::None;
    }
    // Three parts of digits, `d/m/yy(yy)` in shape; read without allocating (every date
    // value of a register passes here).
    let mut parts = date.split(sep);
    let (Some(p0), Some(p1), Some(p2), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Evidence::None;
    };
    let digits = |p: &str, lens: &[usize]| lens.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(p0, &[1, 2]) || !digits(p1, &[1, 2]) || !digits(p2, &[2, 4]) {
        return Evidence::None;
    }
    let (a, b): (u32, u32) = (p0.parse().unwrap_or(0), p1.parse().unwrap_or(0));
    match (a, b) {
        (13..=31, 1..=12) => Evidence::DayFirst,
        (1..=12, 13..=31) => Evidence::MonthFirst,
        (1..=12, 1..=12) if a != b => Evidence::Either,
        _ => Evidence::None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    DayFirst,
    MonthFirst,
    /// Reads as a different date either way (`4/5/1990`).
    Either,
    None,
}

/// The order decided for one date column of one input (report.json `inputs[].date_columns`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DateColumn {
    pub column: usize,
    pub header: String,
    pub field: &'static str,
    /// `day_first` or `month_first`.
    pub order: &'static str,
    /// `values` (a value proved it), `config` (`date_order` in the config) or `default` (no
    /// value decides: the configured default is used).
    pub decided_by: &'static str,
    pub day_first_values: u64,
    pub month_first_values: u64,
    /// Values that read as two different dates, one per order.
    pub ambiguous_values: u64,
}

impl DateColumn {
    /// The column's order is a guess that changes dates: nothing decided it and some values
    /// read differently either way, or values prove both orders.
    pub fn ambiguous(&self) -> bool {
        (self.decided_by == "default" && self.ambiguous_values > 0)
            || (self.day_first_values > 0 && self.month_first_values > 0)
    }
}

/// Counts what a column's values say: (day first, month first, either way). Counts of parts of
/// a column add up to the column's (the engine-free core counts a batch at a time).
pub fn tally<'a>(values: impl Iterator<Item = &'a str>) -> (u64, u64, u64) {
    let (mut day, mut month, mut either) = (0u64, 0u64, 0u64);
    for v in values {
        match evidence(v) {
            Evidence::DayFirst => day += 1,
            Evidence::MonthFirst => month += 1,
            Evidence::Either => either += 1,
            Evidence::None => {}
        }
    }
    (day, month, either)
}

/// Whether one column is read month first: the config's order when it fixed one, else what
/// the values prove (the majority when they prove both), else the default.
pub fn column_month_first<'a>(values: impl Iterator<Item = &'a str>, month_first: bool, fixed: bool) -> bool {
    if fixed {
        return month_first;
    }
    match tally(values) {
        (0, 0, _) => month_first,
        (day, month, _) => month > day,
    }
}

/// A date column's order from its [`tally`]: (month first, what decided it: `config`, `default`
/// or `values`). `month_first` is the configured default; `fixed` says the config set it.
pub fn order_of(day: u64, month: u64, month_first: bool, fixed: bool) -> (bool, &'static str) {
    if fixed {
        (month_first, "config")
    } else if day == 0 && month == 0 {
        (month_first, "default")
    } else {
        // Both proved: a mixed column; the majority decides, and it is reported.
        (month > day, "values")
    }
}

/// Decides the order of every date column of every input. Returns, per source, whether each
/// field is read month first, and the decisions to report (per source, in column order).
/// `month_first` is the configured default; `fixed` says the config set it explicitly.
pub fn decide(
    ingested: &Ingested,
    month_first: bool,
    fixed: bool,
) -> (Vec<[bool; Field::COUNT]>, Vec<Vec<DateColumn>>) {
    let mut orders = Vec::with_capacity(ingested.sources.len());
    let mut reports = Vec::with_capacity(ingested.sources.len());
    for (s, source) in ingested.sources.iter().enumerate() {
        let mut order = [month_first; Field::COUNT];
        let mut report = Vec::new();
        for (col, field) in source.mapping.iter().enumerate() {
            let Some(field) = *field else { continue };
            if field.kind() != Kind::Date {
                continue;
            }
            let (day, month, either) =
                tally(ingested.rows.iter().filter(|r| r.source as usize == s).map(|r| &r.values[col][..]));
            let (is_month_first, decided_by) = order_of(day, month, month_first, fixed);
            order[field.index()] = is_month_first;
            report.push(DateColumn {
                column: col + 1,
                header: source.headers.get(col).cloned().unwrap_or_default(),
                field: field.name(),
                order: if is_month_first { "month_first" } else { "day_first" },
                decided_by,
                day_first_values: day,
                month_first_values: month,
                ambiguous_values: either,
            });
        }
        orders.push(order);
        reports.push(report);
    }
    (orders, reports)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_one_value_says() {
        let cases = [
            ("3/14/1980", Evidence::MonthFirst),
            ("14/3/1980", Evidence::DayFirst),
            ("14.03.1980", Evidence::DayFirst),
            ("4/5/1990", Evidence::Either),
            ("5/5/1990", Evidence::None),
            ("1990-05-04", Evidence::None),
            ("12/31/99 10:22", Evidence::MonthFirst),
            ("33023", Evidence::None),
            ("", Evidence::None),
        ];
        for (raw, want) in cases {
            assert_eq!(evidence(raw), want, "{raw:?}");
        }
    }
}
