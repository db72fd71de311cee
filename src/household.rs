//! Households: the different people who live together, found among the golden records.
//!
//! Dedup keeps a family's members apart: spouses, twins, a father and his son are different
//! customers. A postal campaign still wants one letter per home and a family offer wants the
//! family, so once merge has made golden records this stage groups the people (never the
//! organisations) into households by three rules, each an edge between two golden records:
//!
//! 1. `marked_address`: both live at an address the config's `[households] addresses` names
//!    (a home the administrator knows, whatever the surnames: a blended family, a couple who
//!    kept their names).
//! 2. `address_and_surname`: the same address (street, house number, flat, postcode or city,
//!    country) and a shared surname: the same name key, a part of a double name
//!    (`Smith-Jones` and `Smith`), or the two forms of a gendered surname (`Kowalski` and
//!    `Kowalska`, `Novák` and `Nováková`).
//! 3. `shared_landline`: the same number in the phone field (never someone's mobile, which is
//!    personal), unless both have an address and the two differ (a grown child who moved out
//!    and gave the parents' number is not in their household).
//!
//! A household is a connected group of such edges, named by the first rule in that order that
//! formed one of its edges. Places where people live together without being a family are not
//! households: a PO box, an address a company (a golden account) has, an address two or more
//! contacts give with a company name (an office), an address where more than
//! [`MAX_AT_ADDRESS`] people or [`MANY_SURNAMES`] different surnames live (a care home, a
//! student house, a block of flats without flat numbers), and a landline more than
//! [`MAX_ON_LANDLINE`] people give, or an organisation, or two contacts with a company name (a
//! switchboard). Everyone else is a household of one.
//!
//! The household id is the smallest golden id among its members with `H` for `G`, so it lasts
//! as long as that customer does (golden ids survive the next export: `ids`). Pure: golden
//! records in, households out, in the golden records' order; no value reaches the report.

use crate::dedup::address::parse_street;
use crate::field::Field;
use crate::merge::Golden;
use crate::normalise::entity::EntityKind;
use crate::normalise::name::{match_words, name_key, polish_surname_stem};
use crate::normalise::text::fold;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};

/// Most people at one address that can be a household: past this the address is a building
/// of many homes (flats without numbers), an institution or a placeholder.
pub const MAX_AT_ADDRESS: usize = 10;
/// Fewest different surnames at one address that make it a place many families or none live
/// (a student house, a care home), not a household's home.
pub const MANY_SURNAMES: usize = 4;
/// Most people one landline can be the household's number of; more is a switchboard.
pub const MAX_ON_LANDLINE: usize = 6;

/// The config's `[households]`.
#[derive(Debug, Clone, Default)]
pub struct HouseholdSettings {
    /// Addresses the administrator marks as one household each, as written in the register
    /// (`"Storgata 1, 0155 Oslo"`): everyone living there is one household.
    pub addresses: Vec<String>,
}

/// Why a household was formed, in order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    MarkedAddress,
    AddressAndSurname,
    SharedLandline,
    /// A person who lives with nobody else in the register.
    Single,
}

impl Rule {
    pub const ALL: [Rule; 4] = [Rule::MarkedAddress, Rule::AddressAndSurname, Rule::SharedLandline, Rule::Single];

    pub fn name(self) -> &'static str {
        match self {
            Rule::MarkedAddress => "marked_address",
            Rule::AddressAndSurname => "address_and_surname",
            Rule::SharedLandline => "shared_landline",
            Rule::Single => "single",
        }
    }
}

/// One household of two or more people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Household {
    /// `H` and the smallest member golden id after its `G`.
    pub id: String,
    pub rule: Rule,
    /// Golden record indices, by golden id.
    pub members: Vec<u32>,
}

/// Where a golden record stands: an organisation, a person living alone, or a member of a
/// household of two or more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership<'a> {
    Organisation,
    Single,
    In(&'a Household),
}

/// `Households::of` for an organisation, and for a person who lives alone.
const ORGANISATION: u32 = u32::MAX;
const SINGLE: u32 = u32::MAX - 1;

/// The households of a run's golden records: only those of two or more are listed (most
/// people live alone as far as a register can tell, and a million of them need no list).
#[derive(Debug, Clone, Default)]
pub struct Households {
    /// Per golden record, its household's index in `list`, or [`SINGLE`] or [`ORGANISATION`].
    of: Vec<u32>,
    /// In the order of their first member among the golden records.
    pub list: Vec<Household>,
}

/// What the report says of households: counts only.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HouseholdReport {
    /// Households of two or more people.
    pub households: usize,
    /// People in those households.
    pub people_in_households: usize,
    /// People living alone (households of one).
    pub single_people: usize,
    /// Organisations, which belong to no household.
    pub organisations: usize,
    /// People per household, over the households of two or more.
    pub people_per_household: f64,
    /// Households of two or more by size ("2", "3", ... "10+").
    pub sizes: BTreeMap<String, usize>,
    /// Households of two or more by the rule that formed them.
    pub by_rule: BTreeMap<&'static str, usize>,
    /// Addresses shared by two or more people that are not taken for a home, by why:
    /// "po_box", "company_address", "office", "many_people", "many_surnames".
    pub addresses_not_households: BTreeMap<&'static str, usize>,
    /// Addresses marked in the config that no golden record lives at.
    pub marked_addresses_unmatched: usize,
}

impl Households {
    /// Where golden record `g` stands.
    pub fn of(&self, g: usize) -> Membership<'_> {
        match self.of.get(g).copied() {
            None | Some(ORGANISATION) => Membership::Organisation,
            Some(SINGLE) => Membership::Single,
            Some(h) => Membership::In(&self.list[h as usize]),
        }
    }

    /// The index of golden record `g`'s household in `list`, when it lives with others.
    pub fn shared(&self, g: usize) -> Option<u32> {
        self.of.get(g).copied().filter(|&h| h < SINGLE)
    }

    /// Counts for the report (see [`find`] for `skipped` and `unmatched`).
    fn report(&self, skipped: BTreeMap<&'static str, usize>, unmatched: usize) -> HouseholdReport {
        let people: usize = self.list.iter().map(|h| h.members.len()).sum();
        let mut sizes = BTreeMap::new();
        let mut by_rule = BTreeMap::new();
        for h in &self.list {
            let n = h.members.len();
            let key = if n >= 10 { "10+".to_string() } else { n.to_string() };
            *sizes.entry(key).or_insert(0) += 1;
            *by_rule.entry(h.rule.name()).or_insert(0) += 1;
        }
        let households = self.list.len();
        HouseholdReport {
            households,
            people_in_households: people,
            single_people: self.of.iter().filter(|&&h| h == SINGLE).count(),
            organisations: self.of.iter().filter(|&&h| h == ORGANISATION).count(),
            people_per_household: if households == 0 {
                0.0
            } else {
                (people as f64 / households as f64 * 100.0).round() / 100.0
            },
            sizes,
            by_rule,
            addresses_not_households: skipped,
            marked_addresses_unmatched: unmatched,
        }
    }
}

fn hash<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Where a golden record lives, as households compare it: folded street name, house number,
/// flat, place (postcode, else city) and country; or the PO box.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Address {
    street: String,
    number: String,
    unit: String,
    place: String,
    country: String,
    po_box: bool,
}

/// The place of an address: its postcode without spaces, else its city, folded.
fn place_of(g: &Golden) -> String {
    match fold(g.value(Field::Postcode).unwrap_or("")) {
        p if !p.is_empty() => p.replace(' ', ""),
        _ => fold(g.value(Field::City).unwrap_or("")),
    }
}

/// A cheap key every golden record at one address shares (the digits of its street lines,
/// its place and country): only records whose key another record shares are parsed into an
/// [`Address`]. `None` without a number (a street name alone is many homes) or a place. Hashed
/// as it is read, without a string made (it runs on every golden record).
fn rough_key(g: &Golden) -> Option<u64> {
    let mut h = std::hash::DefaultHasher::new();
    let mut digits = false;
    for f in [Field::Street, Field::StreetNumber, Field::Address2] {
        for run in g.value(f).unwrap_or("").split(|c: char| !c.is_ascii_digit()).filter(|r| !r.is_empty()) {
            run.hash(&mut h);
            digits = true;
        }
    }
    let postcode = g.value(Field::Postcode).unwrap_or("");
    if postcode.is_ascii() && postcode.bytes().any(|b| b.is_ascii_alphanumeric()) {
        // What `place_of` keeps of an ASCII postcode: its letters and digits, lower case.
        for b in postcode.bytes().filter(u8::is_ascii_alphanumeric) {
            b.to_ascii_lowercase().hash(&mut h);
        }
    } else {
        let place = place_of(g);
        if place.is_empty() {
            return None;
        }
        place.as_bytes().iter().filter(|b| b.is_ascii_alphanumeric() || !b.is_ascii()).for_each(|b| b.hash(&mut h));
    }
    g.value(Field::Country).unwrap_or("").hash(&mut h);
    digits.then(|| h.finish())
}

/// A golden record's address, when a household can be told by it: a street name and a house
/// number, or a PO box, and a place.
fn address_of(g: &Golden) -> Option<Address> {
    let get = |f: Field| g.value(f).unwrap_or("");
    let parts = parse_street(&fold(get(Field::Street)));
    let place = place_of(g);
    let country = fold(get(Field::Country));
    if !parts.po_box.is_empty() {
        let (street, number, unit) = (String::new(), parts.po_box, String::new());
        return (!place.is_empty()).then_some(Address { street, number, unit, place, country, po_box: true });
    }
    let number_field = fold(get(Field::StreetNumber));
    let number = if number_field.is_empty() { parts.number } else { number_field };
    let unit = if parts.unit.is_empty() { parse_street(&fold(get(Field::Address2))).unit } else { parts.unit };
    if parts.name.is_empty() || number.is_empty() || place.is_empty() {
        return None;
    }
    Some(Address { street: parts.name, number, unit, place, country, po_box: false })
}

/// The keys a surname is known by: its spelling key, each word of a double name, and the
/// shared stem of a gendered form (Polish `-ski`/`-ska`, Czech and Slovak `-ová`).
fn surname_keys(last: &str) -> Vec<String> {
    let words = match_words(last, true);
    let mut keys: Vec<String> = vec![name_key(&words)];
    let parts: Vec<String> = words.split([' ', '-']).map(name_key).filter(|w| w.len() >= 2).collect();
    if parts.len() > 1 {
        keys.extend(parts);
    }
    let stems: Vec<String> = keys
        .iter()
        .filter_map(|k| {
            polish_surname_stem(k).or_else(|| {
                // Novák / Nováková, Dvořák / Dvořáková: the feminine adds -ová to the stem.
                k.strip_suffix("ova").filter(|s| s.len() >= 3).map(str::to_string)
            })
        })
        .collect();
    keys.extend(stems);
    keys.retain(|k| !k.is_empty());
    keys.sort();
    keys.dedup();
    keys
}

/// Union-find over golden record indices, each set remembering the strongest rule that joined
/// it.
struct Sets {
    parent: Vec<u32>,
    rule: Vec<Rule>,
}

impl Sets {
    fn new(n: usize) -> Sets {
        Sets { parent: (0..n as u32).collect(), rule: vec![Rule::Single; n] }
    }

    fn find(&mut self, x: u32) -> u32 {
        let mut r = x;
        while self.parent[r as usize] != r {
            r = self.parent[r as usize];
        }
        let mut x = x;
        while self.parent[x as usize] != r {
            let next = self.parent[x as usize];
            self.parent[x as usize] = r;
            x = next;
        }
        r
    }

    fn union(&mut self, a: u32, b: u32, rule: Rule) {
        let (ra, rb) = (self.find(a), self.find(b));
        let (keep, gone) = if ra < rb { (ra, rb) } else { (rb, ra) };
        if ra != rb {
            self.parent[gone as usize] = keep;
        }
        let r = self.rule[keep as usize].min(self.rule[gone as usize]).min(rule);
        self.rule[keep as usize] = r;
    }
}

/// The words of a marked address, folded: a golden record lives there when its street's words,
/// its house number and its postcode (or its city's words) are all among them.
fn marked_words(text: &str) -> HashSet<String> {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

fn lives_at(g: &Golden, words: &HashSet<String>) -> bool {
    let has_all = |s: &str| {
        let folded = fold(s);
        let mut any = false;
        for w in folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            if !words.contains(w) {
                return false;
            }
            any = true;
        }
        any
    };
    let get = |f: Field| g.value(f).unwrap_or("");
    let number_ok = get(Field::StreetNumber).is_empty() || has_all(get(Field::StreetNumber));
    let place_ok = has_all(get(Field::Postcode)) || has_all(get(Field::City));
    has_all(get(Field::Street)) && number_ok && place_ok
}

/// Joins the people of one address (`at`: address hash, record, PO box) who share a surname,
/// unless the address is not a home; returns why not.
fn join_address(goldens: &[Golden], at: &[(u64, u32, bool)], is_org: &[bool], sets: &mut Sets) -> Option<&'static str> {
    let people: Vec<u32> = at.iter().map(|&(_, g, _)| g).filter(|&g| !is_org[g as usize]).collect();
    if people.len() < 2 {
        return None;
    }
    let with_company = people.iter().filter(|&&g| goldens[g as usize].value(Field::Company).is_some()).count();
    if at[0].2 {
        return Some("po_box");
    } else if people.len() < at.len() {
        return Some("company_address");
    } else if with_company >= 2 {
        return Some("office");
    } else if people.len() > MAX_AT_ADDRESS {
        return Some("many_people");
    }
    let keys: Vec<Vec<String>> =
        people.iter().map(|&g| surname_keys(goldens[g as usize].value(Field::LastName).unwrap_or(""))).collect();
    let mut local = Sets::new(people.len());
    for a in 0..people.len() {
        for b in a + 1..people.len() {
            if keys[a].iter().any(|k| keys[b].contains(k)) {
                local.union(a as u32, b as u32, Rule::AddressAndSurname);
            }
        }
    }
    let families: HashSet<u32> = (0..people.len() as u32).map(|x| local.find(x)).collect();
    if families.len() >= MANY_SURNAMES {
        return Some("many_surnames");
    }
    for a in 0..people.len() {
        let root = local.find(a as u32) as usize;
        if root != a {
            sets.union(people[root], people[a], Rule::AddressAndSurname);
        }
    }
    None
}

/// The households of `goldens`, and what the report says of them.
pub fn find(goldens: &[Golden], settings: &HouseholdSettings) -> (Households, HouseholdReport) {
    let n = goldens.len();
    let is_org: Vec<bool> = goldens.par_iter().map(|g| g.kind() == EntityKind::Organisation).collect();
    let mut sets = Sets::new(n);
    let mut skipped: BTreeMap<&'static str, usize> = BTreeMap::new();
    // 1. Marked addresses: everyone living there, whatever their names.
    let mut unmatched = 0;
    for text in &settings.addresses {
        let words = marked_words(text);
        let at: Vec<u32> =
            (0..n).into_par_iter().filter(|&g| !is_org[g] && lives_at(&goldens[g], &words)).map(|g| g as u32).collect();
        if at.is_empty() {
            unmatched += 1;
        }
        for w in at.windows(2) {
            sets.union(w[0], w[1], Rule::MarkedAddress);
        }
    }
    // 2. One address and a shared surname. Records are grouped by a rough key first; only
    // those that share it are parsed and grouped by their address.
    let mut rough: Vec<(u64, u32)> =
        goldens.par_iter().enumerate().filter_map(|(g, golden)| Some((rough_key(golden)?, g as u32))).collect();
    rough.par_sort_unstable();
    let candidates: Vec<&[(u64, u32)]> = rough.chunk_by(|a, b| a.0 == b.0).filter(|c| c.len() > 1).collect();
    // (address hash, record, PO box), for the records a rough key joins to another.
    let mut parsed: Vec<(u64, u32, bool)> = candidates
        .par_iter()
        .flat_map_iter(|c| {
            c.iter().filter_map(|&(_, g)| address_of(&goldens[g as usize]).map(|a| (hash(&a), g, a.po_box)))
        })
        .collect();
    drop(rough);
    parsed.par_sort_unstable();
    for at in parsed.chunk_by(|a, b| a.0 == b.0) {
        if let Some(why) = join_address(goldens, at, &is_org, &mut sets) {
            *skipped.entry(why).or_insert(0) += 1;
        }
    }
    // Record → address hash, for the landlines below.
    let mut address_of_record: Vec<(u32, u64)> = parsed.iter().map(|&(h, g, _)| (g, h)).collect();
    address_of_record.sort_unstable();
    drop(parsed);
    // 3. A shared landline: a number in the phone field that is nobody's mobile and no
    // organisation's, and no more than a household's.
    let mut mobiles: Vec<u64> = goldens.par_iter().filter_map(|g| g.value(Field::Mobile).map(hash)).collect();
    mobiles.par_sort_unstable();
    mobiles.dedup();
    let mut landlines: Vec<(u64, u32)> = goldens
        .par_iter()
        .enumerate()
        .filter_map(|(g, golden)| {
            let h = hash(golden.value(Field::Phone)?);
            mobiles.binary_search(&h).is_err().then_some((h, g as u32))
        })
        .collect();
    drop(mobiles);
    landlines.par_sort_unstable();
    for on in landlines.chunk_by(|a, b| a.0 == b.0).filter(|on| on.len() > 1) {
        let people: Vec<u32> = on.iter().map(|&(_, g)| g).collect();
        let with_company = people.iter().filter(|&&g| goldens[g as usize].value(Field::Company).is_some()).count();
        if people.len() > MAX_ON_LANDLINE || people.iter().any(|&g| is_org[g as usize]) || with_company >= 2 {
            continue;
        }
        let address = |g: u32| match address_of_record.binary_search_by_key(&g, |&(r, _)| r) {
            Ok(i) => Some(address_of_record[i].1),
            Err(_) => address_of(&goldens[g as usize]).map(|a| hash(&a)),
        };
        for a in 0..people.len() {
            for b in a + 1..people.len() {
                let (x, y) = (people[a], people[b]);
                // A grown child who gives the parents' number but lives elsewhere.
                let moved = matches!((address(x), address(y)), (Some(p), Some(q)) if p != q);
                if !moved {
                    sets.union(x, y, Rule::SharedLandline);
                }
            }
        }
    }
    drop(landlines);
    // Households of two or more in the order of their first member; members by golden id.
    let mut size = vec![0u32; n];
    for g in 0..n {
        if !is_org[g] {
            size[sets.find(g as u32) as usize] += 1;
        }
    }
    let mut of = vec![SINGLE; n];
    let mut list: Vec<Household> = Vec::new();
    let mut index: HashMap<u32, u32> = HashMap::new();
    for g in 0..n {
        if is_org[g] {
            of[g] = ORGANISATION;
            continue;
        }
        let root = sets.find(g as u32);
        if size[root as usize] < 2 {
            continue;
        }
        let h = *index.entry(root).or_insert_with(|| {
            list.push(Household { id: String::new(), rule: sets.rule[root as usize], members: Vec::new() });
            (list.len() - 1) as u32
        });
        list[h as usize].members.push(g as u32);
        of[g] = h;
    }
    for h in &mut list {
        h.members.sort_by(|&a, &b| goldens[a as usize].golden_id.cmp(&goldens[b as usize].golden_id));
        h.id = household_id(&goldens[h.members[0] as usize].golden_id);
    }
    let households = Households { of, list };
    let report = households.report(skipped, unmatched);
    (households, report)
}

/// The household id of a household whose smallest member golden id is `golden_id`.
pub fn household_id(golden_id: &str) -> String {
    format!("H{}", golden_id.strip_prefix('G').unwrap_or(golden_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gendered_and_double_surnames_share_a_key() {
        let shares = |a: &str, b: &str| {
            let (x, y) = (surname_keys(a), surname_keys(b));
            x.iter().any(|k| y.contains(k))
        };
        assert!(shares("Kowalski", "Kowalska"));
        assert!(shares("Novák", "Nováková"));
        assert!(shares("Smith-Jones", "Smith"));
        assert!(shares("van der Berg", "Berg"));
        assert!(shares("Ødegård", "Odegard"));
        assert!(!shares("Hansen", "Olsen"));
        assert!(!shares("Kowalski", "Nowak"));
    }

    #[test]
    fn marked_words_match_the_address_as_written() {
        let words = marked_words("Storgata 1, 0155 Oslo");
        assert!(words.contains("storgata") && words.contains("1") && words.contains("0155"));
        assert!(!words.contains("2"));
    }
}
