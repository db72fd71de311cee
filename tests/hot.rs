//! Timings of the hot functions, so that a change that slows them shows. Ignored by default
//! (timings are not tests); run with:
//!
//!     cargo test --release --test hot -- --ignored --nocapture
//!
//! Each line prints nanoseconds per call on a fixed, generated input. Compare with the figures
//! in BENCHMARKS.md ("Hot functions") before and after a change.

use regclean::normalise::{self, Context, date::Date, date::DateOptions};
use std::time::Instant;

fn time<T>(name: &str, n: usize, mut f: impl FnMut(usize) -> T) {
    let start = Instant::now();
    for i in 0..n {
        std::hint::black_box(f(i));
    }
    let ns = start.elapsed().as_nanos() as f64 / n as f64;
    println!("{name:32} {ns:10.1} ns/call");
}

#[test]
#[ignore = "timings, not a test: cargo test --release --test hot -- --ignored --nocapture"]
fn hot_functions() {
    let phones = [
        "912 34 567",
        "+46 70 123 45 67",
        "06-12345678",
        "(030) 1234567",
        "0151 23456789",
        "512 345 678",
        "07911 123456",
    ];
    let countries = [Some("NO"), Some("SE"), Some("NL"), Some("DE"), Some("DE"), Some("PL"), Some("GB")];
    time("clean_phone", 200_000, |i| normalise::phone::clean_phone(phones[i % 7], countries[i % 7]));
    let names = ["KARI NORDMANN", "jan van der berg", "Øyvind Ødegård", "Łukasz Wiśniewski", "anne-marie o'brien"];
    time("clean_name", 200_000, |i| normalise::name::clean_name(names[i % 5]));
    time("phonetic_key", 200_000, |i| {
        normalise::name::phonetic_key(["pettersen", "christiansen", "schmidt", "nowak", "hansen"][i % 5])
    });
    let emails = ["Kari.Nordmann@GMIAL.com", "ola+news@gmail.com", "a.b@online.no", "bad@@x"];
    time("clean_email", 200_000, |i| normalise::email::clean_email(emails[i % 4]));
    let dates = ["12.03.1980", "1980-03-12", "12/03/1980", "19800312", "29221"];
    let opts = DateOptions::default();
    time("clean_date", 200_000, |i| normalise::date::clean_date(dates[i % 5], &opts));
    let ctx = Context::new(Some("NO".into()), opts, Date::new(2026, 11, 23).unwrap());
    let mut raw: Vec<Option<&str>> = vec![None; regclean::Field::COUNT];
    for (f, v) in [
        (regclean::Field::FirstName, "KARI"),
        (regclean::Field::LastName, "nordmann"),
        (regclean::Field::Email, "Kari.Nordmann@gmial.com"),
        (regclean::Field::Mobile, "912 34 567"),
        (regclean::Field::Postcode, "150"),
        (regclean::Field::BirthDate, "12.03.1980"),
        (regclean::Field::Revenue, "1 234,50"),
        (regclean::Field::EmailConsent, "ja"),
    ] {
        raw[f.index()] = Some(v);
    }
    time("normalise_row (8 fields)", 100_000, |_| normalise::normalise_row(&raw, &ctx));
    time("jaro_winkler", 1_000_000, |i| {
        regclean::dedup::similarity::jaro_winkler(
            ["kristiansen", "pettersen"][i % 2],
            ["christiansen", "petersen"][i % 2],
        )
    });
}
