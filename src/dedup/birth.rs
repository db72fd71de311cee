//! Birth keys: the birth date of every row as dedup matches on it.
//!
//! The cleaned birth date, or a date that failed only the plausibility check (two records
//! agreeing on an implausible date still agree), or a birth year alone from a `birth_year` or
//! `age_at_export` column (marked with month and day 0; see `features`).

use crate::field::Field;
use crate::normalise::Register;
use crate::normalise::date::{Date, DateOptions};
use rayon::prelude::*;

/// Birth dates as match keys: the cleaned date, or for a date that is a real calendar date but
/// failed the plausibility check, that date all the same.
pub fn birth_match_keys(register: &Register, as_of: Date) -> Vec<Option<Date>> {
    let columns: Vec<Option<usize>> =
        register.ingested.sources.iter().map(|s| s.mapping.iter().position(|f| *f == Some(Field::BirthDate))).collect();
    register
        .ingested
        .rows
        .par_iter()
        .zip(&register.clean)
        .map(|(row, clean)| {
            let date = match (clean.value(Field::BirthDate), clean.status(Field::BirthDate)) {
                (Some(v), _) => Date::parse_iso(v),
                (None, crate::normalise::Status::Invalid) => columns[row.source as usize]
                    .and_then(|c| {
                        let month_first =
                            register.month_first.get(row.source as usize).is_some_and(|m| m[Field::BirthDate.index()]);
                        crate::normalise::date::clean_date(&row.values[c], &DateOptions { month_first }).value
                    })
                    .and_then(|v| Date::parse_iso(&v)),
                _ => None,
            };
            date.or_else(|| birth_year_key(clean, as_of))
        })
        .collect()
}

/// A birth year as a match key when there is no birth date: the `birth_year` column, or the year
/// `--as-of` less `age_at_export` (a year off when the export is older or the birthday still to
/// come; dedup allows that). Marked with month and day 0 (`dedup::features`).
fn birth_year_key(clean: &crate::normalise::CleanRow, as_of: Date) -> Option<Date> {
    let number = |f: Field| clean.value(f).and_then(|v| v.parse::<i64>().ok());
    let year = match (number(Field::BirthYear), number(Field::AgeAtExport)) {
        (Some(y), _) if (1800..=i64::from(as_of.year)).contains(&y) => y,
        (_, Some(age)) if (0..=130).contains(&age) => i64::from(as_of.year) - age,
        _ => return None,
    };
    Some(Date { year: year as i32, month: 0, day: 0 })
}
