//! Cleaning agreement with reference libraries: every value of `bench/corpus/values.csv` (made by
//! `bench/corpus/make_corpus.py` from libphonenumber, python-stdnum, email-validator, pycountry,
//! CLDR and Faker) goes through `normalise_cells`, the entry point the pipeline uses, with the
//! row's country in the country column, and the cleaned value must agree with the reference's in
//! at least 98% of the values of every field.
//!
//! Prints the per-field agreement and the first disagreements of each field:
//!
//!     cargo test --release --test corpus -- --nocapture
//!
//! `bench/corpus.sh` prints the same table as Markdown.

use std::collections::BTreeMap;
use std::path::PathBuf;

use regclean::Field;
use regclean::normalise::{self, Context, date::Date, date::DateOptions};

/// The least agreement accepted for any field.
const TARGET: f64 = 0.98;

/// How many disagreements to print per field.
const SHOWN: usize = 12;

struct Tally {
    total: usize,
    agree: usize,
    misses: Vec<String>,
}

/// The cleaned value of `raw` in `field` for a row whose country column holds `country`, as the
/// corpus writes it: the value, `invalid` or `missing`.
fn clean(field: Field, country: &str, raw: &str, ctx: &Context) -> String {
    let mut row: Vec<Option<&str>> = vec![None; Field::COUNT];
    if field == Field::Country {
        row[Field::Country.index()] = Some(raw);
    } else {
        if !country.is_empty() {
            row[Field::Country.index()] = Some(country);
        }
        row[field.index()] = Some(raw);
    }
    let cell = normalise::normalise_cells(&row, ctx).swap_remove(field.index());
    match cell.status {
        normalise::Status::Valid | normalise::Status::Fixed | normalise::Status::Unverified => {
            cell.value.unwrap_or_default()
        }
        normalise::Status::Invalid => "invalid".to_string(),
        normalise::Status::Missing => "missing".to_string(),
    }
}

/// Runs the corpus and returns the tally per field, in the corpus's field order.
fn run() -> Vec<(String, Tally)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench/corpus/values.csv");
    let mut reader = csv::Reader::from_path(&path).expect("bench/corpus/values.csv is readable");
    // The reference date of the test suite; the corpus's birth dates are drawn before it.
    let ctx = Context::new(None, DateOptions::default(), Date::new(2026, 11, 23).expect("a real date"));
    let mut order: Vec<String> = Vec::new();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for record in reader.records() {
        let record = record.expect("a well-formed corpus row");
        let (name, country, raw, expected, case) = (&record[0], &record[1], &record[2], &record[3], &record[4]);
        let field = Field::from_name(name).unwrap_or_else(|| panic!("unknown field {name}"));
        let got = clean(field, country, raw, &ctx);
        if !tallies.contains_key(name) {
            order.push(name.to_string());
        }
        let tally = tallies.entry(name.to_string()).or_insert(Tally { total: 0, agree: 0, misses: Vec::new() });
        tally.total += 1;
        if got == expected {
            tally.agree += 1;
        } else if tally.misses.len() < SHOWN {
            tally.misses.push(format!("  {country:2} {raw:?} → {got:?}, reference {expected:?} ({case})"));
        }
    }
    order.into_iter().map(|name| (name.clone(), tallies.remove(&name).expect("tallied"))).collect()
}

#[test]
fn agreement_with_reference_libraries() {
    let results = run();
    let mut failing = Vec::new();
    println!("| field | values | agreement |");
    println!("|---|---:|---:|");
    for (name, t) in &results {
        let share = t.agree as f64 / t.total as f64;
        println!("| {name} | {} | {:.1}% |", t.total, share * 100.0);
        if share < TARGET {
            failing.push(name.clone());
        }
    }
    for (name, t) in &results {
        if !t.misses.is_empty() {
            println!("\n{name}: first disagreements");
            for m in &t.misses {
                println!("{m}");
            }
        }
    }
    assert!(failing.is_empty(), "agreement below {:.0}% for {failing:?}", TARGET * 100.0);
}
