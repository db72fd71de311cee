//! Every normaliser on arbitrary strings, alone and through `normalise_row`.
//!
//! Normalisers turn a raw value into a cleaned value or an issue; no string may make one panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use regclean::Field;
use regclean::normalise::date::{Date, DateOptions};
use regclean::normalise::{
    Context, boolean, country, date, email, gender, money, name, normalise_row, orgnr, phone, postcode, text,
};

/// Countries with their own rules, a name that resolves to one, one without rules, and junk.
const COUNTRIES: [Option<&str>; 12] = [
    None,
    Some("NO"),
    Some("SE"),
    Some("DK"),
    Some("DE"),
    Some("GB"),
    Some("NL"),
    Some("PL"),
    Some("FR"),
    Some("Norway"),
    Some(""),
    Some("ZZ"),
];

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let s: &str = &s;

    let _ = name::clean_name(s);
    let _ = name::split_full_name(s);
    let _ = name::name_key(s);
    let _ = name::phonetic_key(s);
    let _ = name::polish_surname_stem(s);
    let _ = name::polish_surname_stem(&text::fold(s));

    if let Some(clean) = email::clean_email(s).value {
        let _ = email::email_key(&clean);
        let _ = email::email_local(&clean);
        let _ = email::email_domain(&clean);
    }

    for c in COUNTRIES {
        let _ = phone::clean_phone(s, c);
        let _ = postcode::clean_postcode(s, c);
        let _ = orgnr::clean_org_number(s, c);
    }
    let _ = postcode::country_from_prefix(s);
    if let Some(clean) = postcode::clean_postcode(s, None).value {
        let _ = postcode::postcode_key(&clean);
    }

    let _ = country::clean_country(s);
    let _ = country::country_alpha2(s);
    let as_of = Date::new(2026, 11, 23).unwrap();
    for month_first in [false, true] {
        let c = date::clean_date(s, &DateOptions { month_first });
        let _ = date::check_birth_date(c, as_of);
    }
    let _ = s.parse::<Date>();
    let _ = boolean::clean_bool(s);
    let _ = money::clean_money(s);
    let _ = money::clean_count(s);
    let _ = gender::clean_gender(s);
    let _ = text::clean_text(s);
    let _ = text::clean_place(s);
    let _ = text::fold(s);
    let _ = text::tidy(s);

    let ctx = Context { default_country: Some("NO".into()), dates: Default::default(), as_of };
    let raw: Vec<Option<&str>> = vec![Some(s); Field::COUNT];
    let _ = normalise_row(&raw, &ctx);
    // Full name alone, so the split-full-name path runs too.
    let mut only_full: Vec<Option<&str>> = vec![None; Field::COUNT];
    only_full[Field::FullName.index()] = Some(s);
    let _ = normalise_row(&only_full, &ctx);
});
