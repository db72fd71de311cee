//! Placeholders: values that stand for "unknown" and must not count as agreement.
//!
//! Exports fill gaps with stand-ins: a birth date `1980-01-01` when only the year was known, a
//! street `REMOVED` or `unknown`, an e-mail `noemail@example.com`, a phone `0000000000`. Two
//! strangers who both carry one agree on it, and dedup would chain them together. No list of
//! such values can be complete, so they are found in the register itself, by how much more often
//! a value occurs than its neighbours:
//! - a birth date is a placeholder when far more different people carry it than the days around
//!   it: more than the mean of the three days either side plus six standard deviations of a
//!   Poisson count, and three times that mean (and at least five people), which no real
//!   birthday reaches by chance; it then stands for its year (`Features::birth_year_only`);
//! - an e-mail, a phone or a street line without a house number is a placeholder when people of
//!   at least [`MIN_PEOPLE`] different names carry it: a personal contact belongs to one person
//!   or a household (whose members share a surname), and a real street line carries a number;
//! - a street address where people of at least [`MIN_PEOPLE`] different surnames live is shared
//!   (a PO box, an office, a care home): its street is left out, its postcode and town kept.
//!
//! Such values are removed from the match keys (never from the records or outputs), so they
//! give no evidence either way; the report counts them per field.

use super::features::{FeatureStrings, Features};
use super::keyhash;
use crate::normalise::date::Date;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// Distinct names (first initial and surname sound) that make a shared contact or number-less
/// street a placeholder. A household shares a surname, so it counts once per member initial;
/// five people of different names do not share one personal e-mail or mobile.
pub const MIN_PEOPLE: usize = 5;

/// One placeholder field, for the report: the field and how many records carried one.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct PlaceholderField {
    pub field: &'static str,
    /// Distinct placeholder values found.
    pub values: u64,
    /// Records whose value was a placeholder.
    pub records: u64,
}

const BIRTH: u8 = 1;
const EMAIL: u8 = 2;
const PHONE: u8 = 4;
const STREET: u8 = 8;

/// Finds the placeholders and rebuilds the features of the records that carry one without them.
/// Removes the placeholders from `features`. A record whose keys change is packed again from
/// its keys ([`FeatureStrings::unpack`]), or from `unpacked` for the rare record whose keys were
/// not packed whole (see [`FeatureStrings::packs_whole`]): the cleaned rows need not be in
/// memory.
pub fn remove(features: &mut [Features], unpacked: &HashMap<u32, FeatureStrings>) -> Vec<PlaceholderField> {
    // Birth dates: distinct people per date against the dates three days either side. Records
    // are grouped by sorting (date, person) pairs: one allocation, however large the register.
    let bad_dates = || -> HashSet<Date> {
        let mut dated: Vec<(i64, Person)> = features
            .par_iter()
            .filter(|f| !f.birth_year_only)
            .filter_map(|f| f.birth.map(|d| (d.days_since_epoch(), person(f))))
            .collect();
        dated.par_sort_unstable();
        let people: HashMap<Date, usize> = dated
            .chunk_by(|a, b| a.0 == b.0)
            .map(|g| (Date::from_days(g[0].0), distinct_people(g.iter().map(|x| x.1))))
            .collect();
        drop(dated);
        let bad_dates: HashSet<Date> = people
            .iter()
            .filter(|&(d, &c)| {
                let days = d.days_since_epoch();
                let around: Vec<usize> = (1..=3)
                    .flat_map(|k| [days - k, days + k])
                    .map(|x| people.get(&Date::from_days(x)).copied().unwrap_or(0))
                    .collect();
                let mean = around.iter().sum::<usize>() as f64 / around.len() as f64;
                far_above(c, mean)
            })
            .map(|(d, _)| *d)
            .collect();
        // The same day of every year pooled (`YYYY-01-01` spread over sixty years is a handful a
        // year but stands out against the 29th to 31st of December and 2nd to 4th of January).
        // (A person has one birthday, so the people of a day are the sum over its years.)
        let mut pooled: HashMap<(u8, u8), usize> = HashMap::new();
        for (d, c) in &people {
            *pooled.entry((d.month, d.day)).or_insert(0) += c;
        }
        let bad_days: HashSet<(u8, u8)> = pooled
            .iter()
            .filter(|&(&(m, d), &c)| {
                // Neighbours in a leap year, so that the 29th of February has its own.
                let days = Date { year: 2000, month: m, day: d }.days_since_epoch();
                let around: Vec<usize> = (1..=3)
                    .flat_map(|k| [days - k, days + k])
                    .map(Date::from_days)
                    .map(|x| pooled.get(&(x.month, x.day)).copied().unwrap_or(0))
                    .collect();
                let mean = around.iter().sum::<usize>() as f64 / around.len() as f64;
                far_above(c, mean)
            })
            .map(|(k, _)| *k)
            .collect();
        people.keys().filter(|d| bad_dates.contains(d) || bad_days.contains(&(d.month, d.day))).copied().collect()
    };
    // Contacts and number-less street lines carried by many different people.
    // Values are grouped by sorting (value hash, record) pairs (an equality hash: comparing the
    // strings themselves cost more than the rest), and only groups of at least MIN_PEOPLE
    // records are looked at further.
    let shared = |values: &(dyn Fn(&Features) -> Vec<&str> + Sync)| -> HashSet<String> {
        let mut carried: Vec<(u64, u32)> = features
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, f)| values(f).into_iter().map(move |v| (keyhash::hash_one(v), i as u32)))
            .collect();
        carried.par_sort_unstable();
        carried
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|g| g.len() >= MIN_PEOPLE)
            .filter(|g| distinct_people(g.iter().map(|&(_, i)| person(&features[i as usize]))) >= MIN_PEOPLE)
            .filter_map(|g| {
                let (hash, first) = g[0];
                values(&features[first as usize]).into_iter().find(|v| keyhash::hash_one(v) == hash).map(str::to_string)
            })
            .collect()
    };
    let emails = || shared(&|f| if f.email_key().is_empty() { vec![] } else { vec![f.email_key()] });
    let phones = || shared(&|f| f.phones().collect());
    let streets =
        || shared(&|f| if f.street().is_empty() || !f.street_number().is_empty() { vec![] } else { vec![f.street()] });
    // Street addresses (with their house number) where people of at least MIN_PEOPLE different
    // surnames live: not a household (a household shares a surname) but a PO box, an office or a
    // care home, which says little about who is who. The street is left out; the postcode and
    // town still count as the area. An address is its equality hash.
    let address_key = |f: &Features| -> Option<u64> {
        if f.street().is_empty() || f.street_number().is_empty() {
            return None;
        }
        let place = if f.postcode().is_empty() { f.city() } else { f.postcode() };
        Some(keyhash::hash_one((f.street(), f.street_number(), f.unit(), place)))
    };
    let shared_addresses = || -> HashSet<u64> {
        let mut at_address: Vec<(u64, u64)> = features
            .par_iter()
            .filter(|f| !f.last_phonetic().is_empty())
            .filter_map(|f| address_key(f).map(|k| (k, keyhash::hash_one(f.last_phonetic()))))
            .collect();
        at_address.par_sort_unstable();
        at_address.dedup();
        at_address.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() >= MIN_PEOPLE).map(|g| g[0].0).collect()
    };
    // Each kind of placeholder is found on its own, so all are looked for side by side.
    let (bad_dates, ((emails, phones), (streets, shared_addresses))) = rayon::join(bad_dates, || {
        rayon::join(|| rayon::join(emails, phones), || rayon::join(streets, shared_addresses))
    });
    let mut report = Vec::new();
    let mut mask = vec![0u8; features.len()];
    mark(
        &mut report,
        &mut mask,
        "birth_date",
        BIRTH,
        bad_dates.len(),
        |f| f.birth.is_some_and(|d| bad_dates.contains(&d)),
        features,
    );
    mark(&mut report, &mut mask, "email", EMAIL, emails.len(), |f| emails.contains(f.email_key()), features);
    mark(&mut report, &mut mask, "phone", PHONE, phones.len(), |f| f.phones().any(|p| phones.contains(p)), features);
    mark(
        &mut report,
        &mut mask,
        "street",
        STREET,
        streets.len(),
        |f| f.street_number().is_empty() && streets.contains(f.street()),
        features,
    );
    mark(
        &mut report,
        &mut mask,
        "shared_address",
        STREET,
        shared_addresses.len(),
        |f| address_key(f).is_some_and(|k| shared_addresses.contains(&k)),
        features,
    );
    if mask.iter().any(|&m| m != 0) {
        let rebuilt: Vec<(usize, Features)> = mask
            .par_iter()
            .enumerate()
            .filter(|(_, m)| **m != 0)
            .map(|(i, &m)| {
                let mut s = match unpacked.get(&(i as u32)) {
                    Some(s) => s.clone(),
                    None => FeatureStrings::unpack(&features[i]),
                };
                if m & BIRTH != 0 {
                    s.birth_year_only = true;
                }
                if m & EMAIL != 0 {
                    s.email_key.clear();
                    s.email_local.clear();
                }
                if m & PHONE != 0 {
                    s.phones.retain(|p| !phones.contains(p));
                    if phones.contains(&s.mobile) {
                        s.mobile.clear();
                    }
                }
                if m & STREET != 0 {
                    s.street.clear();
                    s.street_key.clear();
                    s.street_number.clear();
                    s.unit.clear();
                }
                (i, s.pack())
            })
            .collect();
        for (i, f) in rebuilt {
            features[i] = f;
        }
    }
    report
}

/// True when `c` people on one day is far above the `mean` of the days around it: more than six
/// Poisson standard deviations and three times as many (seasons and weekdays move real
/// birthdays by tens of percent, not threefold), and at least [`MIN_PEOPLE`].
fn far_above(c: usize, mean: f64) -> bool {
    let c = c as f64;
    c >= MIN_PEOPLE as f64 && c > mean + 6.0 * mean.sqrt().max(1.0) && c > 3.0 * mean
}

/// A person as far as counting goes: the initials of the first name and surname, `\0` when
/// missing. Duplicates keep their initials through typos, swapped names and nicknames.
type Person = (char, char);

fn person(f: &Features) -> Person {
    let initial = |s: &str| s.chars().next().unwrap_or('\0');
    if f.is_org {
        // An organisation by the initials of its name's first two words.
        let mut words = f.org_name().split(' ');
        return (initial(words.next().unwrap_or("")), initial(words.next().unwrap_or("")));
    }
    (initial(f.first()), initial(f.last()))
}

/// How many different people a list of carriers holds at least: distinct initial pairs (in
/// either order, so `Moore Oscar` is `Oscar Moore`), and a record with one name part only when
/// no one counted has that initial.
fn distinct_people(people: impl Iterator<Item = Person> + Clone) -> usize {
    let mut full: HashSet<(char, char)> = HashSet::new();
    for (a, b) in people.clone() {
        if a != '\0' && b != '\0' {
            full.insert((a.min(b), a.max(b)));
        }
    }
    let mut partial: HashSet<char> = HashSet::new();
    for (a, b) in people {
        let one = match (a, b) {
            ('\0', '\0') => continue,
            (x, '\0') | ('\0', x) => x,
            _ => continue,
        };
        if !full.iter().any(|&(p, q)| p == one || q == one) {
            partial.insert(one);
        }
    }
    full.len() + partial.len()
}

fn mark(
    report: &mut Vec<PlaceholderField>,
    mask: &mut [u8],
    field: &'static str,
    bit: u8,
    values: usize,
    is: impl Fn(&Features) -> bool + Sync,
    features: &[Features],
) {
    if values == 0 {
        return;
    }
    let records: u64 = mask
        .par_iter_mut()
        .zip(features)
        .map(|(m, f)| {
            let hit = is(f);
            if hit {
                *m |= bit;
            }
            u64::from(hit)
        })
        .sum();
    report.push(PlaceholderField { field, values: values as u64, records });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Field;

    /// The rows' features after `remove`, and its report (no birth dates from elsewhere).
    fn remove_from(rows: Vec<crate::normalise::CleanRow>) -> (Vec<Features>, Vec<PlaceholderField>) {
        let register = crate::normalise::Register::new(Default::default(), rows, vec![]);
        let mut features: Vec<Features> = (0..register.clean.len())
            .map(|i| Features::from_clean(&register.clean[i], None, register.email_key(i)))
            .collect();
        let report = remove(&mut features, &HashMap::new());
        (features, report)
    }

    fn row(values: &[(Field, &str)]) -> crate::normalise::CleanRow {
        let mut cells = vec![crate::normalise::Cleaned::missing(); Field::COUNT];
        for &(f, v) in values {
            cells[f.index()] = crate::normalise::Cleaned::valid(v.to_string());
        }
        crate::normalise::CleanRow::pack(&cells)
    }

    #[test]
    fn a_value_far_above_its_neighbours_is_a_placeholder_and_others_are_not() {
        // 40 people born in 1980 on different days, 12 more stored as 1980-01-01 (year only);
        // eight strangers with noemail@example.com, and a household of four sharing one e-mail.
        let mut rows = Vec::new();
        let first = ["ola", "kari", "per", "anne", "nils", "liv", "tor", "eva", "jon", "ida", "kim", "siv"];
        for i in 0..40u32 {
            let date = format!("1980-{:02}-{:02}", 1 + i % 12, 2 + i % 27);
            rows.push(row(&[
                (Field::FirstName, first[(i % 12) as usize]),
                (Field::LastName, "berg"),
                (Field::BirthDate, &date),
            ]));
        }
        let last =
            ["hansen", "olsen", "dahl", "lie", "moen", "berg", "strand", "vik", "haugen", "lund", "bakke", "eide"];
        for i in 0..12 {
            rows.push(row(&[
                (Field::FirstName, first[i]),
                (Field::LastName, last[i]),
                (Field::BirthDate, "1980-01-01"),
            ]));
        }
        for i in 0..8 {
            rows.push(row(&[
                (Field::FirstName, first[i]),
                (Field::LastName, last[i]),
                (Field::Email, "noemail@example.com"),
            ]));
        }
        for name in ["ola", "kari", "per", "anne"] {
            rows.push(row(&[
                (Field::FirstName, name),
                (Field::LastName, "nordmann"),
                (Field::Email, "familien@nordmann.no"),
            ]));
        }
        let (features, report) = remove_from(rows);
        let by_field: HashMap<&str, u64> = report.iter().map(|p| (p.field, p.records)).collect();
        assert_eq!(by_field.get("birth_date"), Some(&12), "{report:?}");
        assert_eq!(by_field.get("email"), Some(&8), "{report:?}");
        assert!(features[40..52].iter().all(|f| f.birth_year_only));
        assert!(features[..40].iter().all(|f| !f.birth_year_only));
        assert!(features[52..60].iter().all(|f| f.email_key().is_empty()));
        assert!(features[60..].iter().all(|f| f.email_key() == "familien@nordmann.no"));
    }

    #[test]
    fn an_address_of_many_surnames_is_shared_and_a_household_is_not() {
        // Six people of six surnames at one PO box; a household of four Hansens at one street.
        let mut rows = Vec::new();
        for last in ["olsen", "dahl", "lie", "moen", "vik", "berg"] {
            rows.push(row(&[
                (Field::FirstName, "kari"),
                (Field::LastName, last),
                (Field::Street, "Postboks 123"),
                (Field::Postcode, "0101"),
            ]));
        }
        for first in ["ola", "kari", "per", "anne"] {
            rows.push(row(&[
                (Field::FirstName, first),
                (Field::LastName, "hansen"),
                (Field::Street, "Storgata 12"),
                (Field::Postcode, "0150"),
            ]));
        }
        let (features, report) = remove_from(rows);
        assert!(report.iter().any(|p| p.field == "shared_address" && p.records == 6), "{report:?}");
        assert!(features[..6].iter().all(|f| f.street().is_empty() && f.postcode() == "0101"));
        assert!(features[6..].iter().all(|f| !f.street().is_empty()));
    }
}
