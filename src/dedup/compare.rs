//! Comparisons: for each piece of evidence, the ordered levels a pair can agree at.
//!
//! As in Splink, each comparison is an ordered list of levels: `null` first (either side
//! missing: no evidence either way, weight 0), then from the strongest agreement down to `else`
//! (clear disagreement). The first level that holds is the pair's gamma for that comparison.
//! The parts of an address (street, number, postcode, city) are correlated, so they form ONE
//! comparison: counting them as three independent pieces of evidence is what makes naive
//! models merge every household.

use super::features::Features;
use super::similarity::{jaro_winkler_above, one_edit};

/// The index of a level of a comparison, looked up at compile time: `lv!(FIRST_NAME, "exact")`.
/// A misnamed level does not compile (the lookup panics in a constant).
macro_rules! lv {
    ($c:expr, $name:literal) => {{
        const L: u8 = $crate::dedup::compare::level($c, $name);
        L
    }};
}

/// The indices of several levels of one comparison, looked up at compile time:
/// `lvs!(BIRTH_DATE, ["exact", "one_edit"]).contains(&g[BIRTH_DATE])`.
macro_rules! lvs {
    ($c:expr, [$($name:literal),* $(,)?]) => {{
        const L: &[u8] = &[$($crate::dedup::compare::level($c, $name)),*];
        L
    }};
}

/// A comparison and its level names; level 0 is always `null`, the last always `else`.
#[derive(Debug, Clone, Copy)]
pub struct Comparison {
    pub name: &'static str,
    pub levels: &'static [&'static str],
}

pub const FIRST_NAME: usize = 0;
pub const LAST_NAME: usize = 1;
pub const BIRTH_DATE: usize = 2;
pub const EMAIL: usize = 3;
pub const PHONE: usize = 4;
pub const ADDRESS: usize = 5;
pub const NATIONAL_ID: usize = 6;
pub const GENDER: usize = 7;
pub const ORG_NAME: usize = 8;
pub const WEBSITE: usize = 9;
pub const ORG_NUMBER: usize = 10;
pub const MIDDLE_NAME: usize = 11;

pub const COMPARISONS: [Comparison; 12] = [
    Comparison {
        name: "first_name",
        levels: &[
            "null",
            "exact",
            "swapped",
            "nickname",
            "jw_0.92",
            "initial",
            "prefix",
            "jw_0.80",
            "names_alike",
            "else",
        ],
    },
    Comparison {
        name: "last_name",
        levels: &["null", "exact", "swapped", "polish_gender", "jw_0.92", "phonetic", "jw_0.80", "else"],
    },
    Comparison {
        name: "birth_date",
        levels: &[
            "null",
            "exact",
            "day_month_swapped",
            "one_edit",
            "two_parts",
            "year",
            "year_near",
            "year_far",
            "else",
        ],
    },
    Comparison { name: "email", levels: &["null", "exact", "typo", "local_part", "else"] },
    Comparison { name: "phone", levels: &["null", "mobile", "landline", "one_edit", "else"] },
    Comparison { name: "address", levels: &["null", "exact", "street_fuzzy", "postcode_city", "area", "else"] },
    Comparison { name: "national_id", levels: &["null", "exact", "one_edit", "else"] },
    Comparison { name: "gender", levels: &["null", "exact", "else"] },
    // Organisations only (`Features::is_org`); `null` for every pair with a person in it.
    Comparison {
        name: "org_name",
        levels: &["null", "exact", "same_words", "typo", "family", "contained", "most_words", "some_words", "else"],
    },
    Comparison { name: "website", levels: &["null", "exact", "else"] },
    Comparison { name: "org_number", levels: &["null", "exact", "else"] },
    // Last, so that the columns of pairs.csv written before it keep their places.
    Comparison { name: "middle_name", levels: &["null", "exact", "initial", "jw_0.92", "else"] },
];

pub const N: usize = COMPARISONS.len();

/// The level of each comparison for a pair.
pub type Gammas = [u8; N];

/// Index of a level by name within a comparison (panics only on a typo in this file).
pub const fn level(c: usize, name: &str) -> u8 {
    let levels = COMPARISONS[c].levels;
    let mut i = 0;
    while i < levels.len() {
        if const_eq(levels[i], name) {
            return i as u8;
        }
        i += 1;
    }
    panic!("unknown level");
}

const fn const_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Largest distance, in years, of two approximate birth years at the `year_near` level unless
/// the register shows its exports further apart (`birth::learn_year_near`): an age given as of
/// another date, two voter snapshots 3 to 4 years apart. Beyond it, a generation apart.
pub const YEAR_NEAR: i32 = 5;

/// The birth-date levels that compare approximate years (a year alone, or from an age): evidence
/// either way, never a veto.
pub const APPROXIMATE_YEAR: &[u8] = lvs!(BIRTH_DATE, ["year", "year_near", "year_far"]);

/// Compares two records on every comparison.
pub fn compare(a: &Features, b: &Features) -> Gammas {
    let swapped = swapped_names(a, b);
    let (first, last) = match sole_name_in_other_slot(a, b).or_else(|| sole_name_in_other_slot(b, a)) {
        Some(names) => names,
        None => (first_name(a, b, swapped), last_name(a, b, swapped != Swap::No)),
    };
    let orgs = a.is_org && b.is_org;
    [
        first,
        last,
        birth_date(a, b),
        email(a, b),
        phone(a, b),
        address(a, b),
        national_id(a, b),
        gender(a, b),
        if orgs { org_name(a, b) } else { 0 },
        if orgs { exact_or_else(a.website(), b.website()) } else { 0 },
        if orgs { exact_or_else(a.org_number(), b.org_number()) } else { 0 },
        middle_name(a, b),
    ]
}

/// Middle names, where both records have one (a US voter roll writes them for most people,
/// in full or as an initial): `exact`, `initial` (one or both written as the initial they
/// share: `R` and `Rose`), `jw_0.92` (a slip), `else`. Namesakes of one town differ here
/// (John Robert and John Edward Smith), and a duplicate that moved house agrees.
fn middle_name(a: &Features, b: &Features) -> u8 {
    let (x, y) = (a.middle(), b.middle());
    if x.is_empty() || y.is_empty() {
        return 0;
    }
    let initial = |s: &str| s.chars().count() == 1;
    if x == y && !initial(x) {
        lv!(MIDDLE_NAME, "exact")
    } else if (initial(x) || initial(y)) && x.chars().next() == y.chars().next() {
        lv!(MIDDLE_NAME, "initial")
    } else if jaro_winkler_above(x, y, 0.92) >= 0.92 {
        lv!(MIDDLE_NAME, "jw_0.92")
    } else {
        lv!(MIDDLE_NAME, "else")
    }
}

/// `null` when either is missing, `exact` (1) when equal, else `else` (2).
fn exact_or_else(x: &str, y: &str) -> u8 {
    if x.is_empty() || y.is_empty() {
        0
    } else if x == y {
        1
    } else {
        2
    }
}

/// Words that name a company's role in a corporate family rather than the company: a holding,
/// a managing or property company, an investment arm (folded, in the languages we read).
const FAMILY_WORDS: &[&str] = &[
    "holding",
    "holdings",
    "beteiligung",
    "beteiligungs",
    "beteiligungsgesellschaft",
    "verwaltung",
    "verwaltungs",
    "verwaltungsgesellschaft",
    "eiendom",
    "eiendommer",
    "eiendomsselskap",
    "fastighet",
    "fastigheter",
    "fastighets",
    "ejendom",
    "ejendomme",
    "ejendomsselskab",
    "vastgoed",
    "beheer",
    "beheermaatschappij",
    "participaties",
    "deelnemingen",
    "nieruchomosci",
    "immobilien",
    "properties",
    "property",
    "invest",
    "investment",
    "investments",
    "investering",
    "capital",
    "kapital",
    "finans",
    "finance",
    "ventures",
    "trust",
];

/// Two organisations' names (`company_key`s): equal; the same words in another order or spacing
/// (`Mc Donalds`, `McDonalds`); a `typo`: word for word alike (each pair equal, or one edit
/// apart, or Jaro-Winkler ≥ 0.92 for words of five letters or more; numbers equal), so `De
/// Broodzaak Oost` and `De Broodzaak West`, or a chain's `Store 963` and `Store 500`, are no
/// typo however alike the whole strings are; every word of one name held by the other
/// (`contained`: `Lulu` and `Lulu Restaurant-Bis-Cafe`, but also `Eagle Rock` and its `Eagle
/// Rock Holdings`: a level of its own, whose weight the register teaches); or by the share of
/// what their words say (`Features::org_weights`) that both names hold, a word counting as held
/// when the other name has it, a typo of it, or it cut short (`deli`, `delicatessen`): most
/// (≥ 0.8) or some (≥ 0.5) of it. Rare words weigh: `Oslo Consulting` and `Bergen Consulting`
/// share a word every tenth company has, which is nothing.
fn org_name<'a>(a: &'a Features, b: &'a Features) -> u8 {
    let (x, y) = (a.org_name(), b.org_name());
    if x.is_empty() || y.is_empty() {
        return 0;
    }
    if x == y {
        return lv!(ORG_NAME, "exact");
    }
    // Most pairs share no first letter once spaces are gone and differ in length: no
    // allocation for the word lists until they are needed (scoring a million accounts compares
    // millions of pairs).
    let letters = |s: &'a str| s.bytes().filter(|&b| b != b' ');
    if letters(x).eq(letters(y)) {
        return lv!(ORG_NAME, "same_words");
    }
    let (wx, wy): (Vec<&str>, Vec<&str>) = (x.split(' ').collect(), y.split(' ').collect());
    if wx.len() == wy.len() && wx.len() > 1 {
        let (mut sx, mut sy) = (wx.clone(), wy.clone());
        sx.sort_unstable();
        sy.sort_unstable();
        if sx == sy {
            return lv!(ORG_NAME, "same_words");
        }
    }
    let number = |w: &str| w.bytes().any(|c| c.is_ascii_digit());
    let typo = |v: &str, w: &str| {
        v == w
            || (!number(v)
                && !number(w)
                && ((v.len() >= 4 && w.len() >= 4 && one_edit(v.as_bytes(), w.as_bytes()))
                    || (v.len() >= 5 && w.len() >= 5 && jaro_winkler_above(v, w, 0.92) >= 0.92)))
    };
    if wx.len() == wy.len() && wx.iter().zip(&wy).all(|(v, w)| typo(v, w)) {
        return lv!(ORG_NAME, "typo");
    }
    let held = |w: &str, other: &[&str]| {
        other.iter().any(|o| {
            *o == w
                || (!number(w) && w.len() >= 3 && o.len() > w.len() && o.starts_with(w))
                || (!number(o) && o.len() >= 3 && w.len() > o.len() && w.starts_with(o))
                || (w.len() >= 5 && o.len() >= 5 && !number(w) && one_edit(w.as_bytes(), o.as_bytes()))
        })
    };
    // One name carries a word that makes a company a relative of another (`Holding`,
    // `Beteiligungs`, `Eiendom`), the other does not: a parent and its subsidiary, or the
    // managing partner of a `GmbH & Co. KG` and the KG. A level of its own, which never counts
    // for a match in training (`cluster::person_level_agreement`), so its weight says how often
    // this register's relatives look alike, not its duplicates.
    let family = |ws: &[&str]| ws.iter().any(|w| FAMILY_WORDS.contains(w));
    if family(&wx) != family(&wy) {
        let (with, without) = if family(&wx) { (&wx, &wy) } else { (&wy, &wx) };
        let rest: Vec<&str> = with.iter().copied().filter(|w| !FAMILY_WORDS.contains(w)).collect();
        if !rest.is_empty() && rest.iter().any(|w| held(w, without)) {
            return lv!(ORG_NAME, "family");
        }
    }
    if wx.iter().all(|w| held(w, &wy)) || wy.iter().all(|w| held(w, &wx)) {
        return lv!(ORG_NAME, "contained");
    }
    let weight = |f: &Features, i: usize| f64::from(f.org_weights.get(i).copied().unwrap_or(10));
    let (mut shared, mut total) = (0.0, 0.0);
    for (i, w) in wx.iter().enumerate() {
        total += weight(a, i);
        if held(w, &wy) {
            shared += weight(a, i);
        }
    }
    for (i, w) in wy.iter().enumerate() {
        total += weight(b, i);
        if held(w, &wx) {
            shared += weight(b, i);
        }
    }
    let share = if total > 0.0 { shared / total } else { 0.0 };
    if share >= 0.8 {
        lv!(ORG_NAME, "most_words")
    } else if share >= 0.5 {
        lv!(ORG_NAME, "some_words")
    } else {
        lv!(ORG_NAME, "else")
    }
}

/// A record with one name only (`Vansittart`, or `Parker` in the first-name field; a CRM
/// that requires a surname holds `Ola` as one) is read as the part of the other's full name it
/// spells, when that is not the slot it sits in: `Vansittart` beside `Harriet Vansittart` is
/// the surname, with no given name to compare. Returns the (first, last) levels then, `None`
/// when `sole` has both names or none, `full` lacks one, or the name agrees in its own slot or
/// in neither (spelled alike: exact or Jaro-Winkler ≥ 0.92). Historical archives cut a name to
/// one word often (historical_50k: 4,500 records, some 40,000 true pairs).
fn sole_name_in_other_slot(sole: &Features, full: &Features) -> Option<(u8, u8)> {
    let (sf, sl, ff, fl) = (sole.first(), sole.last(), full.first(), full.last());
    if ff.is_empty() || fl.is_empty() || sf.is_empty() == sl.is_empty() {
        return None;
    }
    let alike = |x: &str, y: &str| x == y || jaro_winkler_above(x, y, 0.92) >= 0.92;
    let (name, own, other) = if sl.is_empty() { (sf, ff, fl) } else { (sl, fl, ff) };
    if alike(name, own) || !alike(name, other) {
        return None;
    }
    let level = |exact: u8, typo: u8| if name == other { exact } else { typo };
    Some(if sl.is_empty() {
        (0, level(lv!(LAST_NAME, "exact"), lv!(LAST_NAME, "jw_0.92")))
    } else {
        (level(lv!(FIRST_NAME, "exact"), lv!(FIRST_NAME, "jw_0.92")), 0)
    })
}

/// How a name is written surname first in one record (see [`swapped_names`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Swap {
    No,
    /// Each part equals the other record's other part.
    Exact,
    /// One part equals its counterpart and the other is a typo of it, or both are near typos.
    Typo,
}

/// The name written surname first in one record: each part equals the other record's other
/// part, or one does and the other is a typo of it, or both are near typos (`whitbe alexa-rose`
/// and `alexa-rose white`, `campblel joshua` and `josha campbell`: FEBRL 3 keeps such pairs,
/// and a form filled in twice swaps and mistypes at once). A swap with a typo is a swap of its
/// own kind, scored at the swap's level.
fn swapped_names(a: &Features, b: &Features) -> Swap {
    let (af, al, bf, bl) = (a.first(), a.last(), b.first(), b.last());
    if af.is_empty() || al.is_empty() || bf.is_empty() || bl.is_empty() || af == bf || al == bl {
        return Swap::No;
    }
    if af == bl && al == bf {
        return Swap::Exact;
    }
    // Most pairs share neither part crosswise nor its first letter: no string distance then.
    let first_letters_cross = af.as_bytes()[0] == bl.as_bytes()[0] && al.as_bytes()[0] == bf.as_bytes()[0];
    if af != bl && al != bf && !first_letters_cross {
        return Swap::No;
    }
    // Below 0.88 either similarity makes this no swap, whatever its value.
    let (x, y) = (jaro_winkler_above(af, bl, 0.88), jaro_winkler_above(al, bf, 0.88));
    let (low, high) = (x.min(y), x.max(y));
    // A part that is only near its counterpart must not sit in a first-name slot as an
    // established given name: Frank Peters and Peter Frank are two men, Alexa-Rose White and
    // Whitbe Alexa-Rose one woman.
    let mistyped_in_first_slot = (x < 1.0 && a.first_known) || (y < 1.0 && b.first_known);
    if ((high >= 1.0 && low >= 0.88) || low >= 0.92) && !mistyped_in_first_slot { Swap::Typo } else { Swap::No }
}

fn first_name(a: &Features, b: &Features, swapped: Swap) -> u8 {
    let (x, y) = (a.first(), b.first());
    if x.is_empty() || y.is_empty() {
        return 0;
    }
    // George Kim Sr and George Kim Jr are two people of one name: two different generational
    // suffixes make the given names different, however alike they are spelled.
    if !a.suffix().is_empty() && !b.suffix().is_empty() && a.suffix() != b.suffix() {
        return lv!(FIRST_NAME, "else");
    }
    if x == y {
        return lv!(FIRST_NAME, "exact");
    }
    match swapped {
        Swap::Exact => return lv!(FIRST_NAME, "swapped"),
        // One slip more than a swap, at the swap's level: a level of its own taught the
        // swap-and-typo pairs of FEBRL 3 nothing RLdata10000 did not contradict, and shifted
        // the name_year_relatives class (0.575 -> 0.538) through the EM's starting point.
        Swap::Typo => return lv!(FIRST_NAME, "swapped"),
        Swap::No => {}
    }
    if a.first_groups.iter().any(|g| b.first_groups.contains(g)) {
        return lv!(FIRST_NAME, "nickname");
    }
    if is_initial_of(x, y) || is_initial_of(y, x) {
        return lv!(FIRST_NAME, "initial");
    }
    // `stan` and `stanley`, `mat` and `matilda`: a name cut short (archives, forms with short
    // fields). Its own level, so a register learns how often its duplicates are cut.
    if is_prefix_of(x, y) || is_prefix_of(y, x) {
        return lv!(FIRST_NAME, "prefix");
    }
    // Levels below 0.80 do not depend on the similarity's value.
    let jw = jaro_winkler_above(x, y, 0.80);
    // The established names the two first names stand for (Wilmz for Wilma, beside her twin
    // Willem): two different ones are two names, however alike they are spelled.
    let (p, q) = (a.first_stands_for, b.first_stands_for);
    if !(a.first_known && b.first_known) && p != 0 && q != 0 && p != q {
        return if jw >= 0.80 { lv!(FIRST_NAME, "names_alike") } else { lv!(FIRST_NAME, "else") };
    }
    // Two established given names (Lina and Line, Mats and Mads, John and Joan) spelled alike:
    // twins and siblings are given such pairs, a transcribing clerk makes them. A level of its
    // own, learned: a CRM register's duplicates rarely show one (twins fixture), a historical
    // archive's often do (historical_50k: 15k true pairs against 200 false ones in its blocks).
    if a.first_known && b.first_known {
        return if jw >= 0.80 { lv!(FIRST_NAME, "names_alike") } else { lv!(FIRST_NAME, "else") };
    }
    if jw >= 0.92 {
        return lv!(FIRST_NAME, "jw_0.92");
    }
    if jw >= 0.80 {
        return lv!(FIRST_NAME, "jw_0.80");
    }
    lv!(FIRST_NAME, "else")
}

/// `stan` vs `stanley`: a first name of three letters or more that starts the other.
fn is_prefix_of(short: &str, long: &str) -> bool {
    short.chars().count() >= 3 && long.len() > short.len() && long.starts_with(short)
}

/// `j` vs `jan`: a one-letter first name that starts the other.
fn is_initial_of(short: &str, long: &str) -> bool {
    short.chars().count() == 1 && long.starts_with(short)
}

fn last_name(a: &Features, b: &Features, swapped: bool) -> u8 {
    let (x, y) = (a.last(), b.last());
    if x.is_empty() || y.is_empty() {
        return 0;
    }
    if x == y {
        return 1;
    }
    if swapped {
        return 2;
    }
    if !a.last_polish_stem().is_empty() && a.last_polish_stem() == b.last_polish_stem() {
        return 3;
    }
    // Levels below 0.80 do not depend on the similarity's value.
    let jw = jaro_winkler_above(x, y, 0.80);
    if jw >= 0.92 {
        return 4;
    }
    if a.last_phonetic() == b.last_phonetic() {
        return 5;
    }
    if jw >= 0.80 {
        return 6;
    }
    7
}

fn birth_date(a: &Features, b: &Features) -> u8 {
    let (Some(x), Some(y)) = (a.birth, b.birth) else {
        return 0;
    };
    // A birth year alone (its own column, an age, or a placeholder date that stands for its
    // year) is approximate: an age read a year later is a year off, and two exports taken years
    // apart shift every age by their distance (two North Carolina voter snapshots: 3 to 4
    // years). So it is compared by distance, give or take one (`year`), within five or the
    // wider shift of this register's exports (`year_near`; see `birth::learn_year_near`) or
    // further (`year_far`: a generation apart);
    // each level's weight is learned, and none is a veto (`cluster::contrary_evidence`).
    if a.birth_year_only || b.birth_year_only {
        let near = i32::from(a.year_near.max(b.year_near));
        return match (x.year - y.year).abs() {
            0..=1 => lv!(BIRTH_DATE, "year"),
            d if d <= near => lv!(BIRTH_DATE, "year_near"),
            _ => lv!(BIRTH_DATE, "year_far"),
        };
    }
    if x == y {
        return 1;
    }
    if x.year == y.year && x.month == y.day && x.day == y.month {
        return 2;
    }
    let (sx, sy) = (digits(x), digits(y));
    if one_edit(&sx, &sy) {
        return 3;
    }
    // Two of year, month and day equal: a register that lost or replaced one part (a year
    // written 2008 for 1981, a day 20 for 09) learns this as evidence; one whose duplicates keep
    // their dates learns it as evidence against.
    if u8::from(x.year == y.year) + u8::from(x.month == y.month) + u8::from(x.day == y.day) == 2 {
        return 4;
    }
    lv!(BIRTH_DATE, "else")
}

/// The date as its eight digits `YYYYMMDD`, for "one digit off" comparisons.
fn digits(d: crate::normalise::date::Date) -> [u8; 8] {
    let y = d.year.rem_euclid(10000) as u32;
    let v = [
        y / 1000,
        y / 100 % 10,
        y / 10 % 10,
        y % 10,
        d.month as u32 / 10,
        d.month as u32 % 10,
        d.day as u32 / 10,
        d.day as u32 % 10,
    ];
    v.map(|x| b'0' + x as u8)
}

/// E-mail levels. `typo`: one edit apart on the same domain, or the same local part at a domain
/// that is nearly the same (Jaro-Winkler 0.88). `local_part`: the same local part
/// at another domain, counted only when the local part is not made of the person's name:
/// namesakes have `anna.nowak@` addresses at every provider, so a name-made local part says
/// nothing the name comparison has not said already.
fn email(a: &Features, b: &Features) -> u8 {
    if a.email_key().is_empty() || b.email_key().is_empty() {
        return 0;
    }
    if a.email_key() == b.email_key() {
        return 1;
    }
    let (la, da) = a.email_key().split_once('@').unwrap_or((a.email_key(), ""));
    let (lb, db) = b.email_key().split_once('@').unwrap_or((b.email_key(), ""));
    // A typo in the local part at the same domain, or in the domain under the same local part
    // (`nichols.info` for `nnichls.info`, `kestrelanalyitcs.io`): domains of small firms and
    // families are outside any provider table, so nearness is measured, not looked up.
    if (da == db && one_edit(la.as_bytes(), lb.as_bytes()))
        || (la == lb && !la.is_empty() && da.len() >= 4 && db.len() >= 4 && jaro_winkler_above(da, db, 0.88) >= 0.88)
    {
        // `sondre.bakke@` and `sindre.bakke@` for Sondre and Sindre are one keystroke apart, and
        // two people's addresses: a local part that differs where it spells each record's own,
        // different first name is not a typo.
        return if own_first_names(la, a, lb, b) || numbered_apart(la, lb) { 4 } else { 2 };
    }
    if la == lb && la.len() >= 3 && !name_made(la, a) {
        return 3;
    }
    4
}

/// True when two records have different first names and their e-mail local parts differ exactly
/// where each spells its own record's first name or starts with its initial (`sondre.bakke` and
/// `sindre.bakke`, `jonas.berg` and `jona.berg`, colleagues' `tnichols` and `anichols`): twins',
/// siblings' or colleagues' addresses, not a typo.
fn own_first_names(la: &str, a: &Features, lb: &str, b: &Features) -> bool {
    let (fa, fb) = (a.first(), b.first());
    if fa.len() < 2 || fb.len() < 2 || fa == fb {
        return false;
    }
    let without = |local: &str, first: &str| {
        local.find(first).map(|at| format!("{}{}", &local[..at], &local[at + first.len()..]))
    };
    let spelled = matches!((without(la, fa), without(lb, fb)), (Some(x), Some(y)) if x == y);
    let (ia, ib) = (&fa[..1], &fb[..1]);
    let initialled = ia != ib && la.starts_with(ia) && lb.starts_with(ib) && la[1..] == lb[1..];
    spelled || initialled
}

/// True when two local parts are one stem numbered differently (`aflores3` and `aflores6`,
/// `terry.debra7` and `terry.debra72`): mail providers number the addresses of people who
/// share a name, so the number tells two accounts apart rather than carrying a typo
/// (generated 1M register of `gen_scale.py`: most false pairs were namesakes linked this way).
fn numbered_apart(la: &str, lb: &str) -> bool {
    fn split(l: &str) -> (&str, &str) {
        let stem = l.trim_end_matches(|c: char| c.is_ascii_digit());
        (stem, &l[stem.len()..])
    }
    let ((sa, na), (sb, nb)) = (split(la), split(lb));
    sa == sb && !sa.is_empty() && !na.is_empty() && !nb.is_empty() && na != nb
}

/// True when an e-mail local part is built from the person's name (`kari.nordmann`,
/// `knordmann85`, `kari_n`).
fn name_made(local: &str, f: &Features) -> bool {
    let letters: String = local.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    let key = |name: &str| name.chars().filter(|c| c.is_ascii_alphabetic()).collect::<String>();
    let (first, last) = (key(f.first()), key(f.last()));
    (last.len() >= 3 && letters.contains(&last)) || (first.len() >= 3 && letters.contains(&first))
}

/// Phone levels. `mobile`: a shared number that is someone's mobile, which is personal.
/// `landline`: a shared number from the phone field only, which a household shares.
fn phone(a: &Features, b: &Features) -> u8 {
    if !a.has_phone() || !b.has_phone() {
        return 0;
    }
    let mut shared = a.phones().filter(|p| b.phones().any(|q| q == *p)).peekable();
    if shared.peek().is_some() {
        if shared.any(|p| p == a.mobile() || p == b.mobile()) {
            return 1;
        }
        // A shared landline is the household's; when each has a mobile of their own and the
        // two differ, the personal numbers speak: twins share the landline, not the mobile.
        let own = !a.mobile().is_empty() && !b.mobile().is_empty();
        return if own && !one_edit(a.mobile().as_bytes(), b.mobile().as_bytes()) { 4 } else { 2 };
    }
    if a.phones().any(|p| b.phones().any(|q| one_edit(p.as_bytes(), q.as_bytes()))) {
        return 3;
    }
    4
}

pub(super) fn address(a: &Features, b: &Features) -> u8 {
    let has = |f: &Features| !(f.street().is_empty() && f.postcode().is_empty() && f.city().is_empty());
    if !has(a) || !has(b) {
        return 0;
    }
    let both = |x: &str, y: &str| !x.is_empty() && !y.is_empty();
    // Two different house numbers are two addresses, and so are two different flats in one
    // building; a missing number or unit says nothing.
    let number = if both(a.street_number(), b.street_number()) {
        Some(same_house(a.street_number(), b.street_number()) && (!both(a.unit(), b.unit()) || a.unit() == b.unit()))
    } else {
        None
    };
    let street_eq = both(a.street(), b.street()) && a.street() == b.street() && number != Some(false);
    let postcode_eq = both(a.postcode(), b.postcode()) && a.postcode() == b.postcode();
    // The Jaro-Winkler tests are the costly part: each is computed only when a level needs it.
    let city_eq =
        both(a.city(), b.city()) && (a.city() == b.city() || jaro_winkler_above(a.city(), b.city(), 0.92) >= 0.92);
    let name_fuzzy = || {
        both(a.street(), b.street())
            && (a.street() == b.street() || jaro_winkler_above(a.street(), b.street(), 0.88) >= 0.88)
    };
    let place_eq = postcode_eq || city_eq;
    if street_eq
        && (postcode_eq || a.postcode().is_empty() || b.postcode().is_empty())
        && (city_eq || a.city().is_empty() || b.city().is_empty())
    {
        return 1;
    }
    if place_eq && number != Some(false) && name_fuzzy() {
        return 2;
    }
    if postcode_eq && city_eq {
        return 3;
    }
    if place_eq || (number == Some(true) && name_fuzzy()) {
        return 4;
    }
    5
}

/// Two house numbers of one house: equal, or the same number where one lacks the other's
/// letter (`33` and `33B`: a letter left out, as a flat often is; `33A` and `33B` are two houses).
fn same_house(x: &str, y: &str) -> bool {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let (dx, dy) = (digits(x), digits(y));
    x == y || (dx > 0 && x[..dx] == y[..dy] && (dx == x.len() || dy == y.len()))
}

fn national_id(a: &Features, b: &Features) -> u8 {
    if a.national_id().is_empty() || b.national_id().is_empty() {
        return 0;
    }
    if a.national_id() == b.national_id() {
        return 1;
    }
    if one_edit(a.national_id().as_bytes(), b.national_id().as_bytes()) {
        return 2;
    }
    3
}

fn gender(a: &Features, b: &Features) -> u8 {
    if a.gender().is_empty() || b.gender().is_empty() {
        return 0;
    }
    if a.gender() == b.gender() { 1 } else { 2 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::features::FeatureStrings;
    use crate::normalise::date::Date;

    fn person(first: &str, last: &str, birth: Option<(i32, u8, u8)>) -> Features {
        FeatureStrings {
            first: first.into(),
            last: last.into(),
            first_phonetic: crate::normalise::name::phonetic_key(first),
            first_groups: super::super::nicknames::groups(first),
            last_phonetic: crate::normalise::name::phonetic_key(last),
            last_polish_stem: crate::normalise::name::polish_surname_stem(last).unwrap_or_default(),
            birth: birth.and_then(|(y, m, d)| Date::new(y, m, d)),
            ..FeatureStrings::default()
        }
        .pack()
    }

    #[test]
    fn middle_names_compare_in_full_by_initial_or_not_at_all() {
        let with = |middle: &str| {
            FeatureStrings { first: "john".into(), last: "smith".into(), middle: middle.into(), ..Default::default() }
                .pack()
        };
        let level =
            |a: &str, b: &str| COMPARISONS[MIDDLE_NAME].levels[compare(&with(a), &with(b))[MIDDLE_NAME] as usize];
        assert_eq!(level("robert", "robert"), "exact");
        assert_eq!(level("r", "robert"), "initial");
        assert_eq!(level("r", "r"), "initial");
        assert_eq!(level("roberta", "robert"), "jw_0.92");
        assert_eq!(level("e", "robert"), "else");
        assert_eq!(level("edward", "robert"), "else");
        assert_eq!(level("", "robert"), "null");
    }

    /// Organisations in a register of 1,024 companies, each word's weight given in bits
    /// (`Features::org_weights` holds tenths).
    fn org(name: &str, weights: &[u8]) -> Features {
        let mut f = FeatureStrings {
            is_org: true,
            org_name: crate::normalise::company::company_key(name),
            ..FeatureStrings::default()
        }
        .pack();
        f.org_weights = weights.iter().map(|w| w * 10).collect();
        f
    }

    #[test]
    fn organisation_names_are_compared_word_for_word() {
        let level = |a: (&str, &[u8]), b: (&str, &[u8])| {
            let g = compare(&org(a.0, a.1), &org(b.0, b.1));
            COMPARISONS[ORG_NAME].levels[g[ORG_NAME] as usize]
        };
        let cases: [((&str, &[u8]), (&str, &[u8]), &str); 10] = [
            (("Akzo Nobel N.V.", &[9, 9]), ("AKZO NOBEL NV", &[9, 9]), "exact"),
            (("Mc Donalds", &[6, 9]), ("McDonalds Ltd", &[9]), "same_words"),
            (("Nordlys Bakeri", &[9, 4]), ("Bakeri Nordlys AS", &[4, 9]), "same_words"),
            (("Broodzaak Oost", &[9, 5]), ("Broodzaak West", &[9, 5]), "some_words"),
            (("Kettle Crumb Store 963", &[9, 9, 3, 10]), ("Kettle Crumb Store 500", &[9, 9, 3, 10]), "some_words"),
            (("Wickham Consulting", &[9, 3]), ("Wickhma Consulting", &[9, 3]), "typo"),
            (("Eagle Rock Inc.", &[8, 8]), ("Eagle Rock Holdings Inc.", &[8, 8, 3]), "family"),
            (("Lulu", &[9]), ("Lulu Restaurant-Bis-Cafe", &[9, 3, 10, 4]), "contained"),
            (("Oslo Consulting", &[5, 3]), ("Bergen Consulting", &[5, 3]), "else"),
            (("Art's Deli", &[9, 5]), ("Arts Delicatessen", &[9, 6]), "contained"),
        ];
        for (a, b, want) in cases {
            assert_eq!(level(a, b), want, "{} / {}", a.0, b.0);
        }
        // A person and an organisation are never compared on company names.
        let g = compare(&person("ola", "nordmann", None), &org("Nordmann AS", &[9]));
        assert_eq!((g[ORG_NAME], g[WEBSITE], g[ORG_NUMBER]), (0, 0, 0));
    }

    #[test]
    fn addresses_numbered_apart_are_two_accounts_not_a_typo() {
        let with_email = |first: &str, email: &str| {
            FeatureStrings {
                first: first.into(),
                last: "flores".into(),
                email_key: email.into(),
                ..FeatureStrings::default()
            }
            .pack()
        };
        let level = |a: &str, b: &str| {
            COMPARISONS[EMAIL].levels[compare(&with_email("amanda", a), &with_email("amanda", b))[EMAIL] as usize]
        };
        assert_eq!(level("aflores3@hotmail.com", "aflores6@hotmail.com"), "else");
        assert_eq!(level("terry.debra7@hotmail.com", "terry.debra72@hotmail.com"), "else");
        // A letter mistyped, or a number added to an address that had none, is still a typo.
        assert_eq!(level("aflores3@hotmail.com", "afloras3@hotmail.com"), "typo");
        assert_eq!(level("aflores@hotmail.com", "aflores1@hotmail.com"), "typo");
    }

    #[test]
    fn a_sole_name_is_the_part_of_the_full_name_it_spells() {
        let level = |c: usize, g: Gammas| COMPARISONS[c].levels[g[c] as usize];
        let harriet = person("harriet", "vansittart", None);
        // The surname alone in the first-name field, exact or mistyped: a surname, no given name.
        for sole in [person("vansittart", "", None), person("vansitart", "", None)] {
            for g in [compare(&sole, &harriet), compare(&harriet, &sole)] {
                assert_eq!(level(FIRST_NAME, g), "null");
                assert!(["exact", "jw_0.92"].contains(&level(LAST_NAME, g)), "{g:?}");
            }
        }
        // A given name alone in the surname field (a CRM that requires one).
        let g = compare(&person("", "harriet", None), &harriet);
        assert_eq!((level(FIRST_NAME, g), level(LAST_NAME, g)), ("exact", "null"));
        // A sole name in its own slot, or spelling neither part, is compared as it stands.
        let g = compare(&person("harriet", "", None), &harriet);
        assert_eq!((level(FIRST_NAME, g), level(LAST_NAME, g)), ("exact", "null"));
        let g = compare(&person("parker", "", None), &harriet);
        assert_eq!((level(FIRST_NAME, g), level(LAST_NAME, g)), ("else", "null"));
        // Two full names are never read this way.
        let g = compare(&person("vansittart", "smith", None), &harriet);
        assert_eq!(level(LAST_NAME, g), "else");
    }

    #[test]
    fn a_swap_with_a_typo_is_a_swap_unless_the_typo_is_a_given_name() {
        let d = Some((1990, 7, 1));
        let mut peter = person("peter", "frank", d);
        let frank = person("frank", "peters", d);
        assert_eq!(compare(&frank, &peter)[FIRST_NAME], lv!(FIRST_NAME, "swapped"));
        peter.first_known = true;
        assert_ne!(compare(&frank, &peter)[FIRST_NAME], lv!(FIRST_NAME, "swapped"));
        assert_ne!(compare(&peter, &frank)[FIRST_NAME], lv!(FIRST_NAME, "swapped"));
    }

    #[test]
    fn a_typo_stands_for_the_name_it_misspells() {
        let known = |first: &str| {
            let mut f = person(first, "brouwer", Some((1959, 2, 10)));
            f.first_known = true;
            f.first_stands_for = super::super::features::name_hash(first);
            f
        };
        let mut wilmz = person("wilmz", "brouwer", Some((1959, 2, 10)));
        wilmz.first_stands_for = super::super::features::name_hash("wilma");
        let level = |a: &Features, b: &Features| COMPARISONS[FIRST_NAME].levels[compare(a, b)[FIRST_NAME] as usize];
        // Wilmz is Wilma misspelt, not her twin Willem ...
        assert_eq!(level(&known("willem"), &wilmz), "names_alike");
        // ... and a typo of Wilma all the same.
        assert_eq!(level(&known("wilma"), &wilmz), "jw_0.92");
        // Without an established name to stand for, a typo is a typo of either.
        wilmz.first_stands_for = 0;
        assert_eq!(level(&known("willem"), &wilmz), "jw_0.80");
    }

    #[test]
    fn established_names_spelled_alike_have_their_own_level() {
        let known = |first: &str| {
            let mut f = person(first, "flamsteed", None);
            f.first_known = true;
            f
        };
        let level = |a: &Features, b: &Features| COMPARISONS[FIRST_NAME].levels[compare(a, b)[FIRST_NAME] as usize];
        assert_eq!(level(&known("john"), &known("joan")), "names_alike");
        assert_eq!(level(&known("john"), &known("mary")), "else");
        // Not both established: a misspelling, not another name.
        assert_eq!(level(&known("william"), &person("williaj", "flamsteed", None)), "jw_0.92");
    }

    #[test]
    fn levels_follow_the_order() {
        let d = Some((1980, 3, 4));
        let cases = [
            (person("kari", "nordmann", d), person("kari", "nordmann", d), [1, 1, 1]),
            (person("kari", "nordmann", d), person("nordmann", "kari", d), [2, 2, 1]),
            (person("alexa-rose", "white", d), person("whitbe", "alexa-rose", d), [2, 2, 1]),
            (person("josha", "campbell", d), person("campblel", "joshua", d), [2, 2, 1]),
            (person("laura", "webb", d), person("webf", "laura", d), [2, 2, 1]),
            (person("laura", "webb", d), person("laura", "webf", d), [1, 6, 1]),
            (person("william", "smith", d), person("bill", "smith", Some((1980, 4, 3))), [3, 1, 2]),
            (person("jan", "kowalski", d), person("jan", "kowalska", Some((1980, 3, 5))), [1, 3, 3]),
            (person("j", "hansen", None), person("jan", "hansen", d), [5, 1, 0]),
            (person("ola", "hansen", d), person("per", "hansen", Some((1975, 1, 1))), [9, 1, 8]),
            (person("stan", "hansen", d), person("stanley", "hansen", d), [6, 1, 1]),
            (person("jo", "hansen", d), person("john", "hansen", d), [7, 1, 1]),
            (person("ola", "hansen", d), person("ola", "hansen", Some((2008, 3, 4))), [1, 1, 4]),
            (person("ola", "hansen", d), person("ola", "hansen", Some((1980, 3, 20))), [1, 1, 4]),
        ];
        for (a, b, expected) in cases {
            let g = compare(&a, &b);
            assert_eq!(
                [g[FIRST_NAME], g[LAST_NAME], g[BIRTH_DATE]],
                expected,
                "{} {} vs {} {}",
                a.first(),
                a.last(),
                b.first(),
                b.last()
            );
        }
    }

    #[test]
    fn approximate_years_are_compared_by_distance() {
        let year = |y: i32| {
            let mut f = person("ola", "hansen", Some((y, 1, 1)));
            f.birth_year_only = true;
            f
        };
        let full = person("ola", "hansen", Some((1980, 6, 15)));
        for (other, name) in
            [(1980, "year"), (1981, "year"), (1984, "year_near"), (1985, "year_near"), (1986, "year_far")]
        {
            assert_eq!(COMPARISONS[BIRTH_DATE].levels[birth_date(&year(1980), &year(other)) as usize], name, "{other}");
        }
        // A full date against an approximate year is compared as a year too.
        assert_eq!(COMPARISONS[BIRTH_DATE].levels[birth_date(&full, &year(1983)) as usize], "year_near");
        assert!(APPROXIMATE_YEAR.contains(&birth_date(&full, &year(1950))));
    }

    #[test]
    fn twins_own_addresses_and_mobiles_are_not_typos_or_household_numbers() {
        let with = |first: &str, email: &str, mobile: &str, phone: &str| {
            let mut phones: Vec<String> =
                [mobile, phone].iter().filter(|p| !p.is_empty()).map(|p| p.to_string()).collect();
            phones.sort();
            FeatureStrings {
                first: first.into(),
                last: "bakke".into(),
                email_key: email.into(),
                mobile: mobile.into(),
                phones,
                ..FeatureStrings::default()
            }
            .pack()
        };
        let level = |a: &Features, b: &Features, c: usize, f: fn(&Features, &Features) -> u8| {
            COMPARISONS[c].levels[f(a, b) as usize]
        };
        let sondre = with("sondre", "sondre.bakke@gmail.com", "+4791111111", "+4722222222");
        let sindre = with("sindre", "sindre.bakke@gmail.com", "+4793333333", "+4722222222");
        assert_eq!(level(&sondre, &sindre, EMAIL, email), "else");
        assert_eq!(level(&sondre, &sindre, PHONE, phone), "else");
        // The same person with a typo in the local part, and the household's landline alone.
        let typo = with("sondre", "sondre.bakek@gmail.com", "", "+4722222222");
        assert_eq!(level(&sondre, &typo, EMAIL, email), "typo");
        assert_eq!(level(&sondre, &typo, PHONE, phone), "landline");
        let jonas = with("jonas", "jonas.vonberg@gmx.de", "", "");
        let jona = with("jona", "jona.vonberg@gmx.de", "", "");
        assert_eq!(level(&jonas, &jona, EMAIL, email), "else");
        // Colleagues whose addresses are their initial and surname.
        let tim = with("timothy", "tnichols@northwind.com", "", "");
        let ashley = with("ashley", "anichols@northwind.com", "", "");
        assert_eq!(level(&tim, &ashley, EMAIL, email), "else");
        // One person whose given name is written two ways keeps the typo level.
        let tom = with("tom", "tnicols@northwind.com", "", "");
        assert_eq!(level(&tim, &tom, EMAIL, email), "typo");
    }

    #[test]
    fn address_is_one_piece_of_evidence() {
        let at = |street: &str, no: &str, pc: &str, city: &str| {
            FeatureStrings {
                street: street.into(),
                street_number: no.into(),
                postcode: pc.into(),
                city: city.into(),
                ..FeatureStrings::default()
            }
            .pack()
        };
        let cases = [
            (at("storgata", "1", "0150", "oslo"), at("storgata", "1", "0150", "oslo"), "exact"),
            (at("storgata", "1", "0150", "oslo"), at("storgatan", "1", "0150", "oslo"), "street_fuzzy"),
            (at("storgata", "33", "0150", "oslo"), at("storgata", "33b", "0150", "oslo"), "exact"),
            (at("storgata", "33a", "0150", "oslo"), at("storgata", "33b", "0150", "oslo"), "postcode_city"),
            (at("storgata", "1", "0150", "oslo"), at("kirkeveien", "9", "0150", "oslo"), "postcode_city"),
            (at("storgata", "1", "0150", "oslo"), at("kirkeveien", "9", "0151", "oslo"), "area"),
            (at("storgata", "1", "0150", "oslo"), at("kirkeveien", "9", "5003", "bergen"), "else"),
            (at("", "", "", ""), at("kirkeveien", "9", "5003", "bergen"), "null"),
        ];
        for (a, b, name) in cases {
            assert_eq!(COMPARISONS[ADDRESS].levels[address(&a, &b) as usize], name);
        }
    }
}
