//! Birth keys: the birth date of every row as dedup matches on it.
//!
//! The cleaned birth date, or a date that failed only the plausibility check (two records
//! agreeing on an implausible date still agree), or a birth year alone from a `birth_year` or
//! `age_at_export` column, or the year of a date whose day or month is mistyped (`1841-01-81`):
//! marked with month and day 0, an approximate year (see `features`).

use super::compare;
use super::features::Features;
use crate::field::Field;
use crate::normalise::Register;
use crate::normalise::date::{Date, DateOptions};
use rayon::prelude::*;

/// Birth dates as match keys: the cleaned date, or for a date that is a real calendar date but
/// failed the plausibility check, that date all the same.
pub fn birth_match_keys(register: &Register, as_of: Date) -> Vec<Option<Date>> {
    let columns: Vec<Option<usize>> =
        register.ingested.sources.iter().map(|s| s.mapping.iter().position(|f| *f == Some(Field::BirthDate))).collect();
    let exported = export_dates(register, as_of);
    register
        .ingested
        .rows
        .par_iter()
        .zip(&register.clean)
        .map(|(row, clean)| {
            let date = match (clean.value(Field::BirthDate), clean.status(Field::BirthDate)) {
                (Some(v), _) => Date::parse_iso(v),
                (None, crate::normalise::Status::Invalid) => columns[row.source as usize].and_then(|c| {
                    let month_first =
                        register.month_first.get(row.source as usize).is_some_and(|m| m[Field::BirthDate.index()]);
                    crate::normalise::date::clean_date(&row.values[c], &DateOptions { month_first })
                        .value
                        .and_then(|v| Date::parse_iso(&v))
                        .or_else(|| year_of_broken_date(&row.values[c], as_of))
                }),
                _ => None,
            };
            date.or_else(|| birth_year_key(clean, as_of, exported[row.source as usize]))
        })
        .collect()
}

/// The date each input was exported, as far as its rows tell: the newest of its activity dates
/// (created, last activity, last order), never after `--as-of`; `--as-of` for an input without
/// them. An age is as old as its export: a voter roll exported in 2019 states ages of 2019,
/// and read against a run in 2026 its people would seem born seven years late.
fn export_dates(register: &Register, as_of: Date) -> Vec<Date> {
    const ACTIVITY: [Field; 3] = [Field::CreatedAt, Field::LastActivityAt, Field::LastOrderAt];
    let sources = register.ingested.sources.len();
    let newest = register
        .ingested
        .rows
        .par_iter()
        .zip(&register.clean)
        .fold(
            || vec![None::<Date>; sources],
            |mut acc, (row, clean)| {
                for f in ACTIVITY {
                    if let Some(d) = clean.value(f).and_then(Date::parse_iso).filter(|d| *d <= as_of) {
                        let slot = &mut acc[row.source as usize];
                        *slot = Some(slot.map_or(d, |x| x.max(d)));
                    }
                }
                acc
            },
        )
        .reduce(|| vec![None; sources], |a, b| a.into_iter().zip(b).map(|(x, y)| x.max(y)).collect());
    newest.into_iter().map(|d| d.unwrap_or(as_of)).collect()
}

/// The year of a date that is no calendar date because its day or month is mistyped
/// (`1841-01-81`, `1563-00-01`, `31.13.1985`): digits and separators only, with exactly one
/// four-digit part, a year no later than `--as-of`. An approximate year, never a date: in
/// historical_50k 2,904 of 50,578 birth dates are so mistyped, and their records otherwise agree
/// with their duplicates on nothing dated.
fn year_of_broken_date(raw: &str, as_of: Date) -> Option<Date> {
    let raw = raw.trim();
    if raw.is_empty() || !raw.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | '.' | '/' | ' ')) {
        return None;
    }
    let parts: Vec<&str> = raw.split(['-', '.', '/', ' ']).filter(|p| !p.is_empty()).collect();
    if parts.len() != 3 {
        return None;
    }
    let mut years = parts.iter().filter(|p| p.len() == 4);
    let year: i32 = years.next()?.parse().ok()?;
    if years.next().is_some() || !(1000..=as_of.year).contains(&year) {
        return None;
    }
    Some(Date { year, month: 0, day: 0 })
}

/// A birth year as a match key when there is no birth date: the `birth_year` column, or the
/// year of the input's export (`export_dates`) less `age_at_export` (a year off when the
/// birthday is still to come; dedup allows that). Marked with month and day 0
/// (`dedup::features`).
fn birth_year_key(clean: &crate::normalise::CleanRow, as_of: Date, exported: Date) -> Option<Date> {
    let number = |f: Field| clean.value(f).and_then(|v| v.parse::<i64>().ok());
    let year = match (number(Field::BirthYear), number(Field::AgeAtExport)) {
        (Some(y), _) if (1800..=i64::from(as_of.year)).contains(&y) => y,
        (_, Some(age)) if (0..=130).contains(&age) => i64::from(exported.year) - age,
        _ => return None,
    };
    Some(Date { year: year as i32, month: 0, day: 0 })
}

/// Records of one name at one street address whose approximate birth years lie further apart
/// than this are a parent and a child named after them, not one person seen in two exports: a
/// parent is rarely under 16 at a child's birth (the voter fixtures' fathers and sons are 25 to
/// 40 years apart).
const GENERATION: i32 = 15;

/// Share of one person's export-to-export shifts that the learned window must hold.
const SHIFTS_HELD: f64 = 0.95;

/// Fewest repeated people (a name at a street address seen with two approximate years) that can
/// widen the window: fewer say nothing about how far apart this register's exports are.
const MIN_SHIFTS: usize = 10;

/// Sets [`Features::year_near`] for the whole register: how far apart two approximate birth
/// years (from ages) may be and still count as near. Two exports taken years apart shift every
/// age by their distance (North Carolina voter snapshots: 3 to 4 years; a roll re-read after 5½
/// years: 5 or 6), and this register says by how much: a person at one street address under
/// one full name, seen with two different approximate years, was seen in exports that far
/// apart. The window is the smallest that holds [`SHIFTS_HELD`] of those shifts (up to a
/// [`GENERATION`]; further apart is a father and son), never below [`compare::YEAR_NEAR`].
/// Counted over distinct years per name and address, so a row imported many times counts once.
pub fn learn_year_near(features: &mut [Features]) {
    use std::hash::BuildHasher;
    let state = super::keyhash::state();
    let mut seen: Vec<(u64, i32)> = features
        .par_iter()
        .filter(|f| f.birth_year_only && !f.first().is_empty() && !f.last().is_empty() && !f.street_key().is_empty())
        .filter_map(|f| f.birth.map(|d| (state.hash_one((f.first(), f.last(), f.street_key())), d.year)))
        .collect();
    seen.par_sort_unstable();
    seen.dedup();
    let mut shifts = [0usize; GENERATION as usize + 1];
    for group in seen.chunk_by(|a, b| a.0 == b.0) {
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                if b.1 - a.1 <= GENERATION {
                    shifts[(b.1 - a.1) as usize] += 1;
                }
            }
        }
    }
    let window = year_window(&shifts);
    features.par_iter_mut().for_each(|f| f.year_near = window as u8);
}

/// The register's window for approximate birth years ([`learn_year_near`]), as every record
/// carries it.
pub fn year_near(features: &[Features]) -> i32 {
    features.first().map_or(compare::YEAR_NEAR, |f| i32::from(f.year_near))
}

/// The smallest window, at least [`compare::YEAR_NEAR`], that holds [`SHIFTS_HELD`] of the
/// `shifts` (counts by distance in years); [`compare::YEAR_NEAR`] when fewer than [`MIN_SHIFTS`]
/// lie beyond it.
fn year_window(shifts: &[usize]) -> i32 {
    let total: usize = shifts.iter().sum();
    let beyond: usize = shifts.iter().skip(compare::YEAR_NEAR as usize + 1).sum();
    if beyond < MIN_SHIFTS {
        return compare::YEAR_NEAR;
    }
    let mut held = 0;
    for (w, &n) in shifts.iter().enumerate() {
        held += n;
        if w as i32 >= compare::YEAR_NEAR && held as f64 >= SHIFTS_HELD * total as f64 {
            return w as i32;
        }
    }
    GENERATION
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_is_read_from_one_name_at_one_street_seen_in_two_exports() {
        use super::super::features::FeatureStrings;
        let aged = |first: &str, street: &str, year: i32| {
            FeatureStrings {
                first: first.into(),
                last: "hansen".into(),
                street_key: street.into(),
                birth: Date::new(year, 1, 1),
                birth_year_only: true,
                ..FeatureStrings::default()
            }
            .pack()
        };
        // Twenty people seen in two exports six years apart, each at their own street; twenty
        // fathers and namesake sons 30 years apart; an import loop of one person's rows.
        let mut register: Vec<Features> = Vec::new();
        for i in 0..20 {
            register.push(aged(&format!("p{i}"), &format!("{i} a st"), 1950 + i));
            register.push(aged(&format!("p{i}"), &format!("{i} a st"), 1956 + i));
            register.push(aged(&format!("f{i}"), &format!("{i} b st"), 1930 + i));
            register.push(aged(&format!("f{i}"), &format!("{i} b st"), 1960 + i));
        }
        for _ in 0..100 {
            register.push(aged("loop", "1 c st", 1980));
        }
        learn_year_near(&mut register);
        assert!(register.iter().all(|f| f.year_near == 6));
        // The same people at different streets say nothing: the window stays.
        let mut moved: Vec<Features> = (0..20)
            .flat_map(|i| [aged(&format!("p{i}"), "x", 1950 + i), aged(&format!("p{i}"), "y", 1956 + i)])
            .collect();
        learn_year_near(&mut moved);
        assert!(moved.iter().all(|f| i32::from(f.year_near) == compare::YEAR_NEAR));
    }

    #[test]
    fn the_year_window_follows_the_registers_export_shifts() {
        let mut shifts = [0usize; GENERATION as usize + 1];
        // Two voter snapshots 3 to 4 years apart: within the default window.
        shifts[3] = 123;
        shifts[4] = 208;
        assert_eq!(year_window(&shifts), compare::YEAR_NEAR);
        // A roll re-read after 5½ years: 5 or 6.
        let mut shifts = [0usize; GENERATION as usize + 1];
        shifts[4] = 5;
        shifts[5] = 190;
        shifts[6] = 160;
        assert_eq!(year_window(&shifts), 6);
        // A few repeated people further apart say nothing.
        let mut shifts = [0usize; GENERATION as usize + 1];
        shifts[1] = 300;
        shifts[9] = 9;
        assert_eq!(year_window(&shifts), compare::YEAR_NEAR);
    }

    #[test]
    fn a_mistyped_day_or_month_leaves_the_year() {
        let as_of = Date { year: 2026, month: 11, day: 23 };
        let year = |raw: &str| year_of_broken_date(raw, as_of).map(|d| (d.year, d.month, d.day));
        assert_eq!(year("1841-01-81"), Some((1841, 0, 0)));
        assert_eq!(year("31.13.1985"), Some((1985, 0, 0)));
        assert_eq!(year("1563-00-01"), Some((1563, 0, 0)));
        // Not a date at all, a year in the future, or no single year: nothing.
        assert_eq!(year("unknown"), None);
        assert_eq!(year("2999-01-81"), None);
        assert_eq!(year("1841"), None);
        assert_eq!(year("1841-1842-01"), None);
        assert_eq!(year("12-13-14"), None);
    }
}
