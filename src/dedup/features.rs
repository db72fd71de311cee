//! Features: the match keys of one record, computed once so that blocking and comparison never
//! recompute them per pair.
//!
//! Everything here is derived from the cleaned values (never the raw ones): folded names,
//! phonetic keys, the e-mail key that ignores Gmail dots and `+tags`, E.164 phones, a postcode
//! key, a folded street. Features live only in memory; the comparison levels in pairs.csv say
//! which of them agreed.

use crate::field::Field;
use crate::normalise::date::Date;
use crate::normalise::{CleanRow, email, name, postcode, text};

/// The match keys of one record as owned strings, before packing. Empty strings mean
/// "missing". Tests build records this way; [`FeatureStrings::pack`] makes the [`Features`]
/// that blocking and comparison read.
#[derive(Debug, Clone, Default)]
pub struct FeatureStrings {
    pub first: String,
    pub first_phonetic: String,
    /// The nickname groups of the first name (see `nicknames::groups`), looked up once.
    pub first_groups: &'static [u32],
    /// The middle name(s), or their initial, as written in their own column.
    pub middle: String,
    pub last: String,
    pub last_phonetic: String,
    /// `kowalsk` for both Kowalski and Kowalska; empty for other names.
    pub last_polish_stem: String,
    pub birth: Option<Date>,
    /// See [`Features::birth_year_only`].
    pub birth_year_only: bool,
    pub email_key: String,
    pub email_local: String,
    pub phones: Vec<String>,
    /// The number in the mobile field: personal, unlike a landline a household shares.
    pub mobile: String,
    /// The street name without the house number.
    pub street: String,
    /// Street name and house number together: the blocking key of an address line.
    pub street_key: String,
    pub street_number: String,
    /// The flat, apartment or suite (`4b` of `Apt 4B`), empty if none.
    pub unit: String,
    pub address_2: String,
    pub postcode: String,
    pub city: String,
    pub region: String,
    pub national_id: String,
    pub gender: String,
    pub org_number: String,
    /// The generational suffix (`jr`, `sr`, `ii`, `iii`, `iv`), empty if none.
    pub suffix: String,
    /// First and last name keys sorted and joined; empty unless both are present.
    pub name_set: String,
    /// The row is an organisation (`normalise::entity`): compared on its company name, website
    /// and org number, never with a person.
    pub is_org: bool,
    /// An organisation's company name as a match key (`normalise::company::company_key`); empty
    /// for persons, whose company says who employs them, not who they are.
    pub org_name: String,
    /// An organisation's domain (see [`org_domain`]); empty for persons.
    pub website: String,
}

fn clean(row: &CleanRow, f: Field) -> &str {
    row.value(f).unwrap_or("")
}

impl Features {
    /// Bytes this record's match keys hold, itself and its heap, for the memory model.
    pub fn bytes(&self) -> usize {
        std::mem::size_of::<Features>() + self.text.len() + self.org_weights.len()
    }
}

impl Features {
    /// Features of a cleaned row. `birth` is the birth date as a match key: the calendar date
    /// read from the raw value even when the plausibility rule (over 120 years before
    /// `--as-of`) made the cleaned value invalid, because two records agreeing on an
    /// implausible date still agree. `email_key` is the row's e-mail match key
    /// (`Register::email_key`), computed once in normalise. The row has no phone keys of its own
    /// (see [`Features::from_clean_with_phones`]).
    pub fn from_clean(row: &CleanRow, birth: Option<Date>, email_key: &str) -> Features {
        Features::from_clean_with_phones(row, birth, email_key, ["", ""])
    }

    /// [`Features::from_clean`] with the row's phone and mobile match keys
    /// (`Register::phone_keys`): the E.164 form of a number that is invalid but possible, which
    /// stands in for a field with no cleaned value; empty where there is none.
    pub fn from_clean_with_phones(
        row: &CleanRow,
        birth: Option<Date>,
        email_key: &str,
        phone_keys: [&str; 2],
    ) -> Features {
        FeatureStrings::from_clean(row, birth, email_key, phone_keys).pack()
    }
}

/// Declares the packed string keys of [`Features`] and an accessor for each.
macro_rules! packed_keys {
    ($($name:ident),* $(,)?) => {
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy)]
        enum Key { $($name),* }
        const KEYS: usize = [$(Key::$name),*].len();
        impl Features {
            $(
                #[inline]
                pub fn $name(&self) -> &str {
                    self.key(Key::$name)
                }
            )*
        }
        impl FeatureStrings {
            fn packed_values(&self) -> [&str; KEYS] {
                [$(self.$name.as_str()),*]
            }

            fn set_packed_values(&mut self, f: &Features) {
                $(self.$name = f.$name().to_string();)*
            }
        }
    };
}

packed_keys!(
    first,
    first_phonetic,
    middle,
    last,
    last_phonetic,
    last_polish_stem,
    email_key,
    email_local,
    mobile,
    street,
    street_key,
    street_number,
    unit,
    address_2,
    postcode,
    city,
    region,
    national_id,
    gender,
    org_number,
    name_set,
    suffix,
    org_name,
    website,
);

/// The match keys of one record, packed into one buffer (a million records hold twenty keys
/// each). Empty strings mean "missing".
#[derive(Debug, Clone)]
pub struct Features {
    text: Box<str>,
    /// The end of each key in `text`: two bytes each, as a record's keys never reach 64 KiB
    /// (names, an address, contacts; a key that would pass it is left empty, see
    /// [`FeatureStrings::pack`]). 50 bytes a record less than four-byte offsets.
    ends: [u16; KEYS],
    /// The e-mail-free phone numbers (phone and mobile fields), sorted, without repeats.
    phone_count: u8,
    phone_ends: [u16; 2],
    /// The nickname groups of the first name (see `nicknames::groups`), looked up once.
    pub first_groups: &'static [u32],
    pub birth: Option<Date>,
    /// The birth date is a placeholder for its year (`1980-01-01` where only the year was
    /// known; see `placeholders`): only the year is compared.
    pub birth_year_only: bool,
    /// How many years apart two approximate birth years may be and still count as near
    /// (`compare::birth_date`'s `year_near`): [`compare::YEAR_NEAR`], or wider where this
    /// register's snapshots lie further apart (set by `birth::learn_year_near`).
    pub year_near: u8,
    /// The first name is an established given name: in the nickname tables or the list of
    /// `given_names`, or carried in this
    /// register by people of at least [`KNOWN_NAME_SURNAMES`] surnames (set by [`mark_known_first_names`]).
    /// Two established names one letter apart (Lina and Line) are two names, not a typo.
    pub first_known: bool,
    /// The established name the first name stands for, as a hash ([`name_hash`]): its own for
    /// an established name, the one established name of this register it is one edit from for
    /// a typo (`wilmz` -> `wilma`), else 0. Wilmz is Wilma, not her twin Willem. Set once per
    /// record so that comparing pairs hashes nothing.
    pub first_stands_for: u64,
    /// The row is a copy of an earlier row (every cleaned value equal but the record id): it
    /// joins that row, and nothing that counts records counts it again (term frequencies, the
    /// random pairs that u is learned on, blocking).
    pub copy: bool,
    /// See [`FeatureStrings::is_org`].
    pub is_org: bool,
    /// What each word of [`Features::org_name`] says, in tenths of a bit: log2 of the register's
    /// organisations over those whose name holds the word (set by [`mark_org_word_weights`]). A
    /// word every third company has (`consulting`, `barnehage`) says little; a rare one names.
    pub org_weights: Box<[u8]>,
}

/// Sets [`Features::org_weights`] on every organisation: each word's weight from the share of
/// the register's distinct organisations (copies counted once) whose name holds it.
pub fn mark_org_word_weights(features: &mut [Features]) {
    use rayon::prelude::*;
    use std::collections::HashMap;
    let mut words: Vec<&str> = features
        .par_iter()
        .filter(|f| f.is_org && !f.copy)
        .flat_map_iter(|f| {
            let mut w: Vec<&str> = f.org_name().split(' ').filter(|w| !w.is_empty()).collect();
            w.sort_unstable();
            w.dedup();
            w
        })
        .collect();
    if words.is_empty() {
        return;
    }
    let orgs = features.iter().filter(|f| f.is_org && !f.copy).count().max(1) as f64;
    words.par_sort_unstable();
    let df: HashMap<String, usize> = words.chunk_by(|a, b| a == b).map(|g| (g[0].to_string(), g.len())).collect();
    features.par_iter_mut().filter(|f| f.is_org).for_each(|f| {
        let weights: Box<[u8]> = f
            .org_name()
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| {
                let n = df.get(w).copied().unwrap_or(1).max(1) as f64;
                ((orgs / n).log2() * 10.0).round().clamp(1.0, 255.0) as u8
            })
            .collect();
        f.org_weights = weights;
    });
}

/// Distinct surnames with which a first name must occur in a register to count as an
/// established given name there: a typo is rare and sticks to its person, a name recurs across
/// families.
pub const KNOWN_NAME_SURNAMES: usize = 3;

/// Sets [`Features::first_known`] on every record.
pub fn mark_known_first_names(features: &mut [Features]) {
    use rayon::prelude::*;
    use std::hash::BuildHasher;
    let state = super::keyhash::state();
    let mut pairs: Vec<(u64, u64)> = features
        .par_iter()
        .filter(|f| !f.first().is_empty() && !f.last().is_empty())
        .map(|f| (state.hash_one(f.first()), state.hash_one(f.last())))
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    let known: std::collections::HashSet<u64> =
        pairs.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() >= KNOWN_NAME_SURNAMES).map(|g| g[0].0).collect();
    features.par_iter_mut().for_each(|f| {
        f.first_known = !f.first().is_empty()
            && (!f.first_groups.is_empty()
                || super::given_names::is_given_name(f.first())
                || known.contains(&state.hash_one(f.first())));
    });
    mark_first_name_typos(features);
}

/// A first name's hash, as [`Features::first_stands_for`] holds it.
pub fn name_hash(name: &str) -> u64 {
    super::keyhash::hash_one(name)
}

/// Sets [`Features::first_stands_for`]: an established first name stands for itself; one that is
/// not and is one edit (a letter added, dropped or changed) from exactly one established first
/// name of the register points to it. Deletion neighbourhoods: two strings are one edit apart only if one equals the
/// other with a letter deleted, or both do with one letter deleted.
fn mark_first_name_typos(features: &mut [Features]) {
    use rayon::prelude::*;
    use std::collections::{BTreeSet, HashMap};
    // Distinct names by a parallel sort: a register of ten million rows has few distinct names.
    let distinct = |known: bool| -> Vec<&str> {
        let mut names: Vec<&str> = features
            .par_iter()
            .filter(|f| f.first_known == known && (known || f.first().chars().count() >= 3))
            .map(|f| f.first())
            .collect();
        names.par_sort_unstable();
        names.dedup();
        names
    };
    let known = distinct(true);
    let deletions = |name: &str| -> Vec<String> {
        let chars: Vec<char> = name.chars().collect();
        (0..chars.len()).map(|i| chars.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, c)| *c).collect()).collect()
    };
    let mut index: HashMap<String, Vec<&str>> = HashMap::new();
    for &name in &known {
        index.entry(name.to_string()).or_default().push(name);
        for d in deletions(name) {
            index.entry(d).or_default().push(name);
        }
    }
    let typo_of: HashMap<&str, u64> = distinct(false)
        .into_par_iter()
        .filter_map(|name| {
            let mut found: BTreeSet<&str> = BTreeSet::new();
            for key in std::iter::once(name.to_string()).chain(deletions(name)) {
                for &k in index.get(&key).map(Vec::as_slice).unwrap_or(&[]) {
                    if super::similarity::one_edit(name.as_bytes(), k.as_bytes()) {
                        found.insert(k);
                    }
                }
            }
            (found.len() == 1).then(|| (name, name_hash(found.first().expect("one"))))
        })
        .collect();
    let typo_of: HashMap<String, u64> = typo_of.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    features.par_iter_mut().for_each(|f| {
        f.first_stands_for =
            if f.first_known { name_hash(f.first()) } else { typo_of.get(f.first()).copied().unwrap_or(0) };
    });
}

/// Starts loading record `i`'s features into the cache ahead of its comparison: the struct
/// itself, or (`text`) the buffer of its keys, which can only be located once the struct is in
/// cache. Candidate pairs are sorted by their first record, so the second is a random read
/// from a million records, and without this, comparing pairs waits on memory most of its time
/// (scoring and training spent three quarters of `compare` on the first loads of the two
/// records). A hint only: nothing is read, and nothing changes but when the loads happen.
#[inline]
pub fn prefetch(features: &[Features], i: usize, text: bool) {
    let Some(f) = features.get(i) else { return };
    if text {
        let p = f.text.as_ptr();
        prefetch_line(p);
        prefetch_line(p.wrapping_add(64));
    } else {
        let p = (f as *const Features).cast::<u8>();
        for line in 0..std::mem::size_of::<Features>().div_ceil(64) {
            prefetch_line(p.wrapping_add(64 * line));
        }
    }
}

/// Asks the CPU to load the cache line at `p` (see [`prefetch`]).
#[inline]
pub fn prefetch_line(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint that never faults and reads nothing the program sees, for
    // any address; SSE, which it needs, is part of every x86-64 CPU.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

impl Features {
    fn key(&self, k: Key) -> &str {
        let i = k as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// The record's phone numbers (E.164), sorted, without repeats.
    pub fn phones(&self) -> impl Iterator<Item = &str> + Clone {
        let base = self.ends[KEYS - 1] as usize;
        (0..self.phone_count as usize).map(move |i| {
            let start = if i == 0 { base } else { self.phone_ends[i - 1] as usize };
            &self.text[start..self.phone_ends[i] as usize]
        })
    }

    pub fn has_phone(&self) -> bool {
        self.phone_count > 0
    }
}

impl FeatureStrings {
    /// Packs the keys into one buffer. A key that would end past 64 KiB is left empty: no
    /// customer's names and contacts come near it (a row is at most 1 MiB, and only a row of
    /// garbage in its name or address fields could), and an empty key matches nothing.
    pub fn pack(&self) -> Features {
        let values = self.packed_values();
        let phones = &self.phones[..self.phones.len().min(2)];
        let len = values.iter().map(|v| v.len()).sum::<usize>() + phones.iter().map(String::len).sum::<usize>();
        let mut text = String::with_capacity(len.min(u16::MAX as usize));
        let push = |text: &mut String, v: &str| {
            if text.len() + v.len() <= u16::MAX as usize {
                text.push_str(v);
            }
            text.len() as u16
        };
        let mut ends = [0u16; KEYS];
        for (end, v) in ends.iter_mut().zip(values) {
            *end = push(&mut text, v);
        }
        let mut phone_ends = [0u16; 2];
        for (end, p) in phone_ends.iter_mut().zip(phones) {
            *end = push(&mut text, p);
        }
        Features {
            text: text.into_boxed_str(),
            ends,
            phone_count: phones.len() as u8,
            phone_ends,
            first_groups: self.first_groups,
            birth: self.birth,
            birth_year_only: self.birth_year_only,
            year_near: super::compare::YEAR_NEAR as u8,
            first_known: false,
            first_stands_for: 0,
            copy: false,
            is_org: self.is_org,
            org_weights: Box::default(),
        }
    }

    /// Whether [`FeatureStrings::pack`] keeps every key: they come to 64 KiB or less.
    pub fn packs_whole(&self) -> bool {
        let phones = &self.phones[..self.phones.len().min(2)];
        let len =
            self.packed_values().iter().map(|v| v.len()).sum::<usize>() + phones.iter().map(String::len).sum::<usize>();
        len <= u16::MAX as usize
    }

    /// The keys `f` was packed from, when it was packed whole ([`FeatureStrings::packs_whole`]),
    /// so that dedup can change a few records' keys (`placeholders`) without their cleaned rows.
    pub fn unpack(f: &Features) -> FeatureStrings {
        let mut s = FeatureStrings {
            first_groups: f.first_groups,
            birth: f.birth,
            birth_year_only: f.birth_year_only,
            phones: f.phones().map(str::to_string).collect(),
            is_org: f.is_org,
            ..FeatureStrings::default()
        };
        s.set_packed_values(f);
        s
    }

    /// See [`Features::from_clean_with_phones`].
    pub fn from_clean(row: &CleanRow, birth: Option<Date>, email_key: &str, phone_keys: [&str; 2]) -> FeatureStrings {
        let mut first = name::name_key(&name::match_words(clean(row, Field::FirstName), false));
        let mut last = name::name_key(&name::match_words(clean(row, Field::LastName), true));
        // A name field that held only a title (`sir`, `baronet`) is filled from the full name
        // before its first comma (`sir nigel douglas, 5th baronet` → `nigel`, `douglas`).
        if first.is_empty() || last.is_empty() {
            let full = clean(row, Field::FullName);
            let head = full.split(',').next().unwrap_or("");
            let words = name::match_words(head, false);
            let words: Vec<&str> = words.split(' ').filter(|w| !w.is_empty()).collect();
            if words.len() >= 2 {
                if first.is_empty() {
                    first = name::name_key(words[0]);
                }
                if last.is_empty() {
                    last = name::name_key(&name::match_words(words[words.len() - 1], true));
                }
            } else if let [only] = words[..]
                && first.is_empty()
                && last.is_empty()
            {
                // One name left once the titles are gone (`sir 2nd frank baronet`): a record
                // with one name only, compared as such (see `compare::sole_name_in_other_slot`).
                first = name::name_key(only);
            }
        }
        // A generational suffix from its column, or typed at the end of the surname (`King Jr`).
        let mut suffix = generational_suffix(&name::name_key(clean(row, Field::NameSuffix))).unwrap_or_default();
        if let Some((stem, tail)) = last.rsplit_once(' ')
            && let Some(s) = generational_suffix(tail)
        {
            if suffix.is_empty() {
                suffix = s;
            }
            last = stem.to_string();
        }
        let email_clean = clean(row, Field::Email);
        // A number with no cleaned value (invalid) may still have a key: see `Register::phone_keys`.
        let phone_or_key = |f: Field, key: &str| row.value(f).unwrap_or(key).to_string();
        let mobile = phone_or_key(Field::Mobile, phone_keys[1]);
        let mut phones: Vec<String> =
            [phone_or_key(Field::Phone, phone_keys[0]), mobile.clone()].into_iter().filter(|p| !p.is_empty()).collect();
        phones.sort();
        phones.dedup();
        let name_set = if first.is_empty() || last.is_empty() {
            String::new()
        } else if first <= last {
            format!("{first} {last}")
        } else {
            format!("{last} {first}")
        };
        // The street name, house number and unit apart, so `Nørregade 39` and `Nørrebrogade 38`
        // are not one street, and `154 Hinton Crest Ln` is the same street as `Hinton Crest
        // Lane 154` (see `address`). The number comes from its own column when there is one; a
        // unit from the street line or else from the second address line. A PO box is an
        // address of its own kind: the street `po box` with the box as its number.
        let parts = super::address::parse_street(&text::fold(clean(row, Field::Street)));
        let address_2 = text::fold(clean(row, Field::Address2));
        let (street, house) = if parts.name.is_empty() && !parts.po_box.is_empty() {
            ("po box".to_string(), parts.po_box)
        } else {
            (parts.name, parts.number)
        };
        let unit = if parts.unit.is_empty() && !address_2.is_empty() {
            super::address::parse_street(&address_2).unit
        } else {
            parts.unit
        };
        let number_field = text::fold(clean(row, Field::StreetNumber));
        let street_number = if number_field.is_empty() { house } else { number_field };
        let street_key = if street.is_empty() { String::new() } else { format!("{street} {street_number}") };
        let is_org = crate::normalise::entity::entity_kind(row).is_organisation();
        FeatureStrings {
            is_org,
            org_name: if is_org {
                crate::normalise::company::company_key(clean(row, Field::Company))
            } else {
                String::new()
            },
            website: if is_org { org_domain(row) } else { String::new() },
            street_key,
            first_groups: super::nicknames::groups(&first),
            mobile,
            name_set,
            middle: name::name_key(&name::match_words(clean(row, Field::MiddleName), false)),
            first_phonetic: if first.is_empty() { String::new() } else { name::phonetic_key(&first) },
            last_phonetic: if last.is_empty() { String::new() } else { name::phonetic_key(&last) },
            last_polish_stem: name::polish_surname_stem(&last).unwrap_or_default(),
            first,
            last,
            // A key with month 0 is a birth year alone (`pipeline::birth_year_key`).
            birth: birth
                .or_else(|| Date::parse_iso(clean(row, Field::BirthDate)))
                .map(|d| if d.month == 0 { Date { year: d.year, month: 1, day: 1 } } else { d }),
            birth_year_only: birth.is_some_and(|d| d.month == 0),
            suffix,
            email_key: email_key.to_string(),
            email_local: if email_clean.is_empty() {
                String::new()
            } else {
                email::email_local(email_clean).to_string()
            },
            phones,
            street,
            street_number,
            address_2,
            unit,
            postcode: postcode::postcode_key(clean(row, Field::Postcode)),
            city: text::fold(clean(row, Field::City)),
            region: text::fold(clean(row, Field::Region)),
            national_id: clean(row, Field::NationalId).to_string(),
            gender: clean(row, Field::Gender).to_string(),
            org_number: clean(row, Field::OrgNumber).to_string(),
        }
    }
}

/// An organisation's domain: the registrable domain of its website (`shop.acme.co.uk` ->
/// `acme.co.uk`). Its e-mail domain is not used in its place: a chain's shops write from the
/// brand's domain as they link to its site (org_branches: 17 -> 26 false pairs within chains
/// when they did), and account linking (`merge::accounts`) reads e-mail domains on its own.
fn org_domain(row: &CleanRow) -> String {
    row.value(Field::Website)
        .map(|site| crate::normalise::website::registrable_domain(site).to_string())
        .unwrap_or_default()
}

/// The canonical generational suffix of a name token: `jr` (Jr., Junior, Jnr), `sr`, `ii`, `iii`,
/// `iv`; `None` for anything else.
pub fn generational_suffix(token: &str) -> Option<String> {
    let t: String = token.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
    let canonical = match t.as_str() {
        "jr" | "junior" | "jnr" => "jr",
        "sr" | "senior" | "snr" => "sr",
        "ii" | "2nd" => "ii",
        "iii" | "3rd" => "iii",
        "iv" | "4th" => "iv",
        _ => return None,
    };
    Some(canonical.to_string())
}

#[cfg(test)]
mod tests {

    #[test]
    fn keys_are_read_back_as_packed_and_one_past_64_kib_is_left_empty() {
        let f = FeatureStrings {
            first: "kari".into(),
            last: "nordmann".into(),
            street: "storgata".into(),
            city: "oslo".into(),
            phones: vec!["+4791234567".into(), "+4722334455".into()],
            ..FeatureStrings::default()
        }
        .pack();
        assert_eq!(
            (f.first(), f.last(), f.street(), f.city(), f.middle()),
            ("kari", "nordmann", "storgata", "oslo", "")
        );
        assert_eq!(f.phones().collect::<Vec<_>>(), ["+4791234567", "+4722334455"]);
        // A street of garbage 70 KB long: its key is left empty, the keys around it are kept.
        let huge = FeatureStrings {
            first: "kari".into(),
            street: "x".repeat(70_000),
            city: "oslo".into(),
            ..FeatureStrings::default()
        }
        .pack();
        assert_eq!((huge.first(), huge.street(), huge.city()), ("kari", "", "oslo"));
    }
    use super::*;

    #[test]
    fn a_name_field_of_titles_takes_what_the_full_name_leaves() {
        use crate::field::Field;
        use crate::normalise::{CleanRow, Cleaned};
        let features = |first: &str, last: &str, full: &str| {
            let mut cells = vec![Cleaned::missing(); Field::COUNT];
            for (f, v) in [(Field::FirstName, first), (Field::LastName, last), (Field::FullName, full)] {
                cells[f.index()] = Cleaned::valid(v.to_string());
            }
            Features::from_clean(&CleanRow::pack(&cells), None, "")
        };
        let f = features("Sir", "Baronet", "Sir Nigel Douglas, 5th Baronet");
        assert_eq!((f.first(), f.last()), ("nigel", "douglas"));
        // One name left once the titles are gone: a record with one name only.
        let f = features("Sir", "Baronet", "Sir 2nd Frank Baronet");
        assert_eq!((f.first(), f.last()), ("frank", ""));
    }

    #[test]
    fn an_organisation_is_known_by_its_registrable_domain() {
        use crate::field::Field;
        use crate::normalise::{CleanRow, Cleaned};
        let features = |values: &[(Field, &str)]| {
            let mut cells = vec![Cleaned::missing(); Field::COUNT];
            for (f, v) in values {
                cells[f.index()] = Cleaned::valid(v.to_string());
            }
            Features::from_clean(&CleanRow::pack(&cells), None, "")
        };
        let f = features(&[(Field::Company, "Acme Ltd"), (Field::Website, "shop.acme.co.uk")]);
        assert_eq!((f.is_org, f.website(), f.org_name()), (true, "acme.co.uk", "acme"));
        let f = features(&[(Field::Company, "Acme AS"), (Field::Email, "post@acme.no")]);
        assert_eq!(f.website(), "", "an e-mail domain is no website");
        // A person's company and website are not theirs: no organisation keys.
        let f = features(&[(Field::FirstName, "Ola"), (Field::Company, "Acme AS"), (Field::Website, "acme.no")]);
        assert_eq!((f.is_org, f.website(), f.org_name()), (false, "", ""));
    }

    #[test]
    fn generational_suffixes_are_read_one_way() {
        for (token, want) in [
            ("Jr.", Some("jr")),
            ("JUNIOR", Some("jr")),
            ("sr", Some("sr")),
            ("III", Some("iii")),
            ("2nd", Some("ii")),
            ("smith", None),
            ("", None),
        ] {
            assert_eq!(generational_suffix(token).as_deref(), want, "{token}");
        }
    }

    #[test]
    fn a_first_name_one_edit_from_one_established_name_points_to_it() {
        let person = |first: &str, known: bool| {
            let mut f =
                FeatureStrings { first: first.into(), last: "brouwer".into(), ..FeatureStrings::default() }.pack();
            f.first_known = known;
            f
        };
        let mut features = vec![
            person("wilma", true),
            person("willem", true),
            person("wilmz", false),
            person("wiljem", false),
            person("xyz", false),
        ];
        mark_first_name_typos(&mut features);
        assert_eq!(features[2].first_stands_for, name_hash("wilma"));
        assert_eq!(features[3].first_stands_for, name_hash("willem"));
        assert_eq!(features[4].first_stands_for, 0, "nothing one edit away");
        assert_eq!(features[0].first_stands_for, name_hash("wilma"), "an established name stands for itself");
    }
}
