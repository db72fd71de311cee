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
//!    personal), where neither has an address or both have the same one (a grown child who
//!    moved out and gave the parents' number is not in their household).
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
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

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

/// One household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Household {
    /// `H` and the smallest member golden id after its `G`.
    pub id: String,
    pub rule: Rule,
    /// Golden record indices, by golden id.
    pub members: Vec<u32>,
}

/// The households of a run's golden records.
#[derive(Debug, Clone, Default)]
pub struct Households {
    /// Per golden record, its household's index in `list`; `None` for an organisation.
    pub of: Vec<Option<u32>>,
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
    /// Addresses where people live that are not taken for a home: "po_box", "company_address",
    /// "office", "many_people", "many_surnames".
    pub addresses_not_households: BTreeMap<&'static str, usize>,
    /// Addresses marked in the config that no golden record lives at.
    pub marked_addresses_unmatched: usize,
}

impl Households {
    /// The household of golden record `g` (`None` for an organisation).
    pub fn of(&self, g: usize) -> Option<&Household> {
        self.of.get(g).copied().flatten().map(|h| &self.list[h as usize])
    }

    /// Counts for the report (see [`find`] for `skipped` and `unmatched`).
    fn report(&self, skipped: BTreeMap<&'static str, usize>, unmatched: usize) -> HouseholdReport {
        let big: Vec<&Household> = self.list.iter().filter(|h| h.members.len() > 1).collect();
        let people: usize = big.iter().map(|h| h.members.len()).sum();
        let mut sizes = BTreeMap::new();
        let mut by_rule = BTreeMap::new();
        for h in &big {
            let n = h.members.len();
            let key = if n >= 10 { "10+".to_string() } else { n.to_string() };
            *sizes.entry(key).or_insert(0) += 1;
            *by_rule.entry(h.rule.name()).or_insert(0) += 1;
        }
        HouseholdReport {
            households: big.len(),
            people_in_households: people,
            single_people: self.list.len() - big.len(),
            organisations: self.of.iter().filter(|h| h.is_none()).count(),
            people_per_household: if big.is_empty() {
                0.0
            } else {
                (people as f64 / big.len() as f64 * 100.0).round() / 100.0
            },
            sizes,
            by_rule,
            addresses_not_households: skipped,
            marked_addresses_unmatched: unmatched,
        }
    }
}

/// Where a golden record lives, as households compare it: folded street name, house number,
/// flat, place (postcode, else city) and country.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Address {
    street: String,
    number: String,
    unit: String,
    place: String,
    country: String,
}

/// A golden record's address, or why it cannot be a home: `Err(true)` for a PO box, `Err(false)`
/// for no address a household can be told by (no street or no house number: a street name
/// alone is many homes).
fn address_of(g: &Golden) -> Result<Address, bool> {
    let get = |f: Field| g.value(f).unwrap_or("");
    let parts = parse_street(&fold(get(Field::Street)));
    if !parts.po_box.is_empty() {
        return Err(true);
    }
    let number_field = fold(get(Field::StreetNumber));
    let number = if number_field.is_empty() { parts.number } else { number_field };
    let unit = if parts.unit.is_empty() { parse_street(&fold(get(Field::Address2))).unit } else { parts.unit };
    let place = match fold(get(Field::Postcode)) {
        p if !p.is_empty() => p.replace(' ', ""),
        _ => fold(get(Field::City)),
    };
    if parts.name.is_empty() || number.is_empty() || place.is_empty() {
        return Err(false);
    }
    Ok(Address { street: parts.name, number, unit, place, country: fold(get(Field::Country)) })
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

/// Union-find over golden record indices, each union remembering the strongest rule that
/// joined the set.
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

/// The households of `goldens`, and what the report says of them.
pub fn find(goldens: &[Golden], settings: &HouseholdSettings) -> (Households, HouseholdReport) {
    let n = goldens.len();
    let is_org: Vec<bool> = goldens.iter().map(|g| g.kind() == EntityKind::Organisation).collect();
    let mut sets = Sets::new(n);
    let mut skipped: BTreeMap<&'static str, usize> = BTreeMap::new();
    // 1. Marked addresses: everyone living there, whatever their names.
    let mut unmatched = 0;
    for text in &settings.addresses {
        let words = marked_words(text);
        let at: Vec<u32> = (0..n).filter(|&g| !is_org[g] && lives_at(&goldens[g], &words)).map(|g| g as u32).collect();
        if at.is_empty() {
            unmatched += 1;
        }
        for w in at.windows(2) {
            sets.union(w[0], w[1], Rule::MarkedAddress);
        }
    }
    // 2. One address and a shared surname.
    let addresses: Vec<Option<Address>> = goldens
        .iter()
        .enumerate()
        .map(|(g, golden)| match address_of(golden) {
            Ok(a) => Some(a),
            Err(po_box) => {
                if po_box && !is_org[g] {
                    *skipped.entry("po_box").or_insert(0) += 1;
                }
                None
            }
        })
        .collect();
    let mut at_address: BTreeMap<&Address, Vec<u32>> = BTreeMap::new();
    let mut company_addresses: HashSet<&Address> = HashSet::new();
    for (g, a) in addresses.iter().enumerate() {
        if let Some(a) = a {
            if is_org[g] {
                company_addresses.insert(a);
            } else {
                at_address.entry(a).or_default().push(g as u32);
            }
        }
    }
    for (address, people) in &at_address {
        if people.len() < 2 {
            continue;
        }
        let with_company = people.iter().filter(|&&g| goldens[g as usize].value(Field::Company).is_some()).count();
        let why = if company_addresses.contains(address) {
            Some("company_address")
        } else if with_company >= 2 {
            Some("office")
        } else if people.len() > MAX_AT_ADDRESS {
            Some("many_people")
        } else {
            None
        };
        if let Some(why) = why {
            *skipped.entry(why).or_insert(0) += 1;
            continue;
        }
        // People of one surname at the address, told apart by surname key.
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
            *skipped.entry("many_surnames").or_insert(0) += 1;
            continue;
        }
        for a in 0..people.len() {
            let root = local.find(a as u32) as usize;
            if root != a && !keys[a].is_empty() && !keys[root].is_empty() {
                sets.union(people[root], people[a], Rule::AddressAndSurname);
            }
        }
    }
    // 3. A shared landline: a number in the phone field that is nobody's mobile and no
    // organisation's.
    let mobiles: HashSet<&str> = goldens.iter().filter_map(|g| g.value(Field::Mobile)).collect();
    let mut on_number: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut org_numbers: HashSet<&str> = HashSet::new();
    for (g, golden) in goldens.iter().enumerate() {
        if let Some(p) = golden.value(Field::Phone).filter(|p| !mobiles.contains(p)) {
            if is_org[g] {
                org_numbers.insert(p);
            } else {
                on_number.entry(p).or_default().push(g as u32);
            }
        }
    }
    for (number, people) in &on_number {
        let with_company = people.iter().filter(|&&g| goldens[g as usize].value(Field::Company).is_some()).count();
        if people.len() < 2 || people.len() > MAX_ON_LANDLINE || org_numbers.contains(number) || with_company >= 2 {
            continue;
        }
        for a in 0..people.len() {
            for b in a + 1..people.len() {
                let (x, y) = (people[a], people[b]);
                let (ax, ay) = (&addresses[x as usize], &addresses[y as usize]);
                let moved = matches!((ax, ay), (Some(p), Some(q)) if p != q);
                if !moved {
                    sets.union(x, y, Rule::SharedLandline);
                }
            }
        }
    }
    // Households in the order of their first member; members by golden id.
    let mut of = vec![None; n];
    let mut list: Vec<Household> = Vec::new();
    let mut index: HashMap<u32, u32> = HashMap::new();
    for g in 0..n {
        if is_org[g] {
            continue;
        }
        let root = sets.find(g as u32);
        let h = *index.entry(root).or_insert_with(|| {
            list.push(Household { id: String::new(), rule: sets.rule[root as usize], members: Vec::new() });
            (list.len() - 1) as u32
        });
        list[h as usize].members.push(g as u32);
        of[g] = Some(h);
    }
    for h in &mut list {
        h.members.sort_by(|&a, &b| goldens[a as usize].golden_id.cmp(&goldens[b as usize].golden_id));
        let first = &goldens[h.members[0] as usize].golden_id;
        h.id = format!("H{}", first.strip_prefix('G').unwrap_or(first));
        if h.members.len() == 1 {
            h.rule = Rule::Single;
        }
    }
    let households = Households { of, list };
    let report = households.report(skipped, unmatched);
    (households, report)
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
