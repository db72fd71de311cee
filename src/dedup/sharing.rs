//! How many different people carry a value: the graded side of term frequency.
//!
//! Agreeing on an e-mail address, a phone number or a street address is strong evidence when
//! the value is one person's, and little when a switchboard, a family inbox or a PO box is
//! shared by many. `placeholders` drops a value shared by five or more people from matching
//! altogether; below that, and for the values it keeps, the evidence of agreeing on a value
//! shrinks by log2(k) bits when k different people carry it (as Splink's term-frequency
//! adjustment does, but counting people, so that a person's own duplicates do not make their
//! address look common). Records of one value are told apart into people by name: similar
//! first and last names are one person (typos and swaps included), a family's members count
//! apart.

use super::features::Features;
use super::similarity::jaro_winkler_above;
use rayon::prelude::*;

/// Per record, how many distinct people carry its e-mail, its address and each of its phones
/// (0 where the record has no such value). Saturates at `u16::MAX`.
#[derive(Default)]
pub struct Sharing {
    email: Vec<u16>,
    address: Vec<u16>,
    phones: Vec<[u16; 2]>,
    /// Per organisation record, how many locations carry its org number and its website (see
    /// [`count_locations`]).
    org_number: Vec<u16>,
    website: Vec<u16>,
    /// See [`Sharing::household_surname_share`] and [`Sharing::household_birth_share`].
    household: Household,
}

/// Fewest pairs of different people at one address from which the share of them that carry
/// one surname is estimated.
const MIN_HOUSEHOLD_PAIRS: u64 = 20;

fn hash(parts: &[&str]) -> u64 {
    super::keyhash::hash_one(parts)
}

/// The address key a record's exact address agreement rests on: street, number, flat and
/// postcode (the `exact` level of `compare::address`). Empty without a street.
fn address_key(f: &Features) -> Option<u64> {
    (!f.street().is_empty()).then(|| hash(&[f.street(), f.street_number(), f.unit(), f.postcode()]))
}

/// Most people one value's records are told apart into by name; a value carried by more
/// records than this (a PO box, a switchboard) counts each further record with a new name as
/// a new person.
const MAX_PEOPLE_COMPARED: usize = 64;

/// Whether two records could be one person's: similar first and last names (either way round),
/// or one side without a name (organisations: similar company names), and birth years (where both have one) within
/// the register's window (`birth::learn_year_near`) of each other.
fn same_person(a: &Features, b: &Features) -> bool {
    // Organisations are told apart by their names: shops of one mall share its address.
    if a.is_org || b.is_org {
        let (x, y) = (a.org_name(), b.org_name());
        return a.is_org == b.is_org
            && (x.is_empty() || y.is_empty() || x == y || jaro_winkler_above(x, y, 0.8) >= 0.8);
    }
    // Father and son of one name at one address are two people: born a generation apart.
    if let (Some(x), Some(y)) = (a.birth, b.birth)
        && (x.year - y.year).abs() > i32::from(a.year_near.max(b.year_near))
    {
        return false;
    }
    let similar = |x: &str, y: &str| x.is_empty() || y.is_empty() || x == y || jaro_winkler_above(x, y, 0.8) >= 0.8;
    (similar(a.first(), b.first()) && similar(a.last(), b.last()))
        || (similar(a.first(), b.last()) && similar(a.last(), b.first()))
}

/// Counts distinct people per value: `items` are (value hash, record, slot). Returns
/// (record, slot, people) for every item.
fn count_people(features: &[Features], mut items: Vec<(u64, u32, u8)>) -> Vec<(u32, u8, u16)> {
    items.par_sort_unstable();
    let mut groups = Vec::new();
    let mut start = 0;
    while start < items.len() {
        let end = start + items[start..].iter().take_while(|x| x.0 == items[start].0).count();
        groups.push(start..end);
        start = end;
    }
    groups
        .into_par_iter()
        .flat_map_iter(|range| {
            let group = &items[range];
            let mut people: Vec<u32> = Vec::new();
            let mut extra = 0usize;
            for &(_, r, _) in group {
                let f = &features[r as usize];
                if !people.iter().any(|&p| same_person(&features[p as usize], f)) {
                    if people.len() < MAX_PEOPLE_COMPARED {
                        people.push(r);
                    } else {
                        extra += 1;
                    }
                }
            }
            let k = (people.len() + extra).min(u16::MAX as usize) as u16;
            group.iter().map(move |&(_, r, s)| (r, s, k))
        })
        .collect()
}

impl Sharing {
    pub fn build(features: &[Features]) -> Sharing {
        let n = features.len();
        let by_value = |value: &(dyn Fn(&Features) -> Vec<u64> + Sync)| {
            let items: Vec<(u64, u32, u8)> = features
                .par_iter()
                .enumerate()
                .flat_map_iter(|(i, f)| value(f).into_iter().enumerate().map(move |(s, v)| (v, i as u32, s as u8)))
                .collect();
            count_people(features, items)
        };
        let mut email = vec![0u16; n];
        for (r, _, k) in by_value(&|f| if f.email_key().is_empty() { vec![] } else { vec![hash(&[f.email_key()])] }) {
            email[r as usize] = k;
        }
        let mut address = vec![0u16; n];
        for (r, _, k) in by_value(&|f| address_key(f).into_iter().collect()) {
            address[r as usize] = k;
        }
        let mut phones = vec![[0u16; 2]; n];
        for (r, s, k) in by_value(&|f| f.phones().take(2).map(|p| hash(&[p])).collect()) {
            phones[r as usize][s as usize] = k;
        }
        let org_number = count_locations(features, |f| f.org_number());
        let website = count_locations(features, |f| f.website());
        let household = household_shares(features);
        Sharing { email, address, phones, org_number, website, household }
    }

    /// Among pairs of different people who live at one address (told apart by name, as
    /// [`count_people`] does), the share that carry one surname: the chance, by coincidence of
    /// household rather than identity, that two records at one address agree on the surname.
    /// `None` when the register has too few such pairs to tell.
    pub fn household_surname_share(&self) -> Option<f64> {
        self.household.surname
    }

    /// Among pairs of different people who live at one address, the share born on one day:
    /// twins, in the register's own proportion. `None` when there are too few such pairs.
    pub fn household_birth_share(&self) -> Option<f64> {
        self.household.birth
    }

    /// People carrying the e-mail address two records agree on.
    pub fn email(&self, i: u32, j: u32) -> u16 {
        self.email[i as usize].min(self.email[j as usize])
    }

    /// People carrying the address two records agree on exactly.
    pub fn address(&self, i: u32, j: u32) -> u16 {
        self.address[i as usize].min(self.address[j as usize])
    }

    /// Locations carrying the org number two records agree on.
    pub fn org_number(&self, i: u32, j: u32) -> u16 {
        self.org_number[i as usize].min(self.org_number[j as usize])
    }

    /// Locations carrying the website two records agree on.
    pub fn website(&self, i: u32, j: u32) -> u16 {
        self.website[i as usize].min(self.website[j as usize])
    }

    /// People carrying the first phone number two records share (0 when they share none).
    pub fn phone(&self, a: &Features, b: &Features, i: u32) -> u16 {
        a.phones().take(2).position(|p| b.phones().any(|q| q == p)).map_or(0, |s| self.phones[i as usize][s])
    }
}

/// Per record, how many locations carry its value of a company-wide field (org number,
/// website): a chain registers its shops under one number and one website, so agreeing on them
/// says "one chain" and not "one account" when the chain has many addresses. Locations are told
/// apart by address (records at one street address, typos included, are one location; records
/// without a street add none), as people at one phone are told apart by name. A company that
/// moved has two locations and loses one bit; a chain of eight shops, three. 0 for records
/// without the value, and for persons.
fn count_locations(features: &[Features], value: impl Fn(&Features) -> &str + Sync) -> Vec<u16> {
    let mut items: Vec<(u64, u32)> = features
        .par_iter()
        .enumerate()
        .filter(|(_, f)| f.is_org && !value(f).is_empty())
        .map(|(i, f)| (hash(&[value(f)]), i as u32))
        .collect();
    items.par_sort_unstable();
    let groups: Vec<&[(u64, u32)]> = items.chunk_by(|a, b| a.0 == b.0).collect();
    let counted: Vec<(u16, &[(u64, u32)])> = groups
        .into_par_iter()
        .map(|group| {
            // Addresses in the order of their content, never of their rows, so the count is the
            // same whatever the order of the rows.
            let mut rows: Vec<u32> =
                group.iter().map(|x| x.1).filter(|&r| !features[r as usize].street().is_empty()).collect();
            let content = |r: &u32| {
                let f = &features[*r as usize];
                (f.street(), f.street_number(), f.postcode(), f.city())
            };
            rows.sort_by(|a, b| content(a).cmp(&content(b)));
            let mut locations: Vec<u32> = Vec::new();
            let mut extra = 0usize;
            for &r in &rows {
                let f = &features[r as usize];
                let known = locations.iter().any(|&p| {
                    lvs!(super::compare::ADDRESS, ["exact", "street_fuzzy"])
                        .contains(&super::compare::address(&features[p as usize], f))
                });
                if !known {
                    if locations.len() < MAX_PEOPLE_COMPARED {
                        locations.push(r);
                    } else {
                        extra += 1;
                    }
                }
            }
            (((locations.len() + extra).max(1)).min(u16::MAX as usize) as u16, group)
        })
        .collect();
    let mut out = vec![0u16; features.len()];
    for (k, group) in counted {
        for &(_, r) in group {
            out[r as usize] = k;
        }
    }
    out
}

/// What different people at one address share: see [`Sharing::household_surname_share`].
#[derive(Debug, Default, Clone, Copy)]
struct Household {
    surname: Option<f64>,
    birth: Option<f64>,
}

/// Whether two records at one address are one person, for household counts: as
/// [`same_person`], except that two established given names (Lina and Line) are two people.
fn same_resident(a: &Features, b: &Features) -> bool {
    !named_apart(a, b) && same_person(a, b)
}

/// Two established, different given names that are not variants of one name.
fn named_apart(a: &Features, b: &Features) -> bool {
    a.first_known
        && b.first_known
        && a.first() != b.first()
        && !a.first_groups.iter().any(|g| b.first_groups.contains(g))
}

fn household_shares(features: &[Features]) -> Household {
    let mut items: Vec<(u64, u32)> =
        features.par_iter().enumerate().filter_map(|(i, f)| address_key(f).map(|k| (k, i as u32))).collect();
    items.par_sort_unstable();
    let groups: Vec<&[(u64, u32)]> = items.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1).collect();
    let counts = groups
        .par_iter()
        .map(|group| {
            // Residents in the order of their names and contacts, never of their rows, so the
            // people told apart are the same whatever the order of the rows.
            let mut rows: Vec<u32> = group.iter().map(|x| x.1).collect();
            let content = |r: &u32| {
                let f = &features[*r as usize];
                (f.first(), f.last(), f.birth.map(|d| d.days_since_epoch()), f.email_key(), f.mobile())
            };
            rows.sort_by(|a, b| content(a).cmp(&content(b)));
            let mut people: Vec<u32> = Vec::new();
            for &r in &rows {
                let f = &features[r as usize];
                if people.len() < MAX_PEOPLE_COMPARED
                    && !people.iter().any(|&p| same_resident(&features[p as usize], f))
                {
                    people.push(r);
                }
            }
            let mut c = [0u64; 4];
            for (x, &p) in people.iter().enumerate() {
                for &q in &people[x + 1..] {
                    let (a, b) = (&features[p as usize], &features[q as usize]);
                    // Counted only for residents told apart by two established given names: a
                    // first name garbled beyond recognition (FEBRL's duplicates) is not a sibling.
                    if !named_apart(a, b) {
                        continue;
                    }
                    if !a.last().is_empty() && !b.last().is_empty() {
                        c[0] += u64::from(a.last() == b.last());
                        c[1] += 1;
                    }
                    // Birthdays only between residents whose own contacts differ too (both have
                    // an e-mail, or both a mobile, and they differ): a register whose duplicates
                    // swap in another given name (FEBRL) has no such pairs, and learns nothing.
                    let own_contacts =
                        (!a.email_key().is_empty() && !b.email_key().is_empty() && a.email_key() != b.email_key())
                            || (!a.mobile().is_empty() && !b.mobile().is_empty() && a.mobile() != b.mobile());
                    if let (Some(x), Some(y)) = (a.birth, b.birth)
                        && own_contacts
                        && !a.birth_year_only
                        && !b.birth_year_only
                    {
                        c[2] += u64::from(x == y);
                        c[3] += 1;
                    }
                }
            }
            c
        })
        .reduce(|| [0; 4], |a, b| std::array::from_fn(|i| a[i] + b[i]));
    let share = |same: u64, pairs: u64| (pairs >= MIN_HOUSEHOLD_PAIRS).then(|| same as f64 / pairs as f64);
    Household { surname: share(counts[0], counts[1]), birth: share(counts[2], counts[3]) }
}

/// The evidence left of an agreement worth `weight` bits on a value `people` carry: log2 of
/// the number of people less, never below nothing (agreeing is never evidence against).
pub fn shrink(weight: f64, people: u16) -> f64 {
    if people < 2 || weight <= 0.0 { weight } else { (weight - (people as f64).log2()).max(0.0) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Field;
    use crate::normalise::{CleanRow, Cleaned};

    #[test]
    fn a_chains_org_number_counts_its_shops_and_a_moved_company_two_places() {
        let company = |name: &str, orgnr: &str, street: &str, number: &str, city: &str| {
            let mut cells = vec![Cleaned::missing(); Field::COUNT];
            for (f, v) in [
                (Field::Company, name),
                (Field::OrgNumber, orgnr),
                (Field::Website, "matpunktet.no"),
                (Field::Street, street),
                (Field::StreetNumber, number),
                (Field::City, city),
            ] {
                if !v.is_empty() {
                    cells[f.index()] = Cleaned::valid(v.to_string());
                }
            }
            Features::from_clean(&CleanRow::pack(&cells), None, "")
        };
        let f = vec![
            // One chain number at four shops, one of them written twice (a street typo) and once
            // without an address.
            company("Matpunktet", "987654325", "storgata", "1", "oslo"),
            company("Matpunktet", "987654325", "storgaten", "1", "oslo"),
            company("Matpunktet", "987654325", "", "", ""),
            company("Matpunktet Bislett", "987654325", "pilestredet", "40", "oslo"),
            company("Matpunktet Lade", "987654325", "haakon vii gate", "2", "trondheim"),
            company("Matpunktet Madla", "987654325", "madlaveien", "7", "stavanger"),
            // A company that moved: its number at its old and its new address.
            company("Kodeverket", "998877660", "kongens gate", "30", "trondheim"),
            company("Kodeverket", "998877660", "fjordgata", "9", "trondheim"),
        ];
        let s = Sharing::build(&f);
        assert_eq!(s.org_number(0, 1), 4, "four shops, not five records");
        assert_eq!(s.org_number(0, 2), 4, "a record without an address adds no shop");
        assert_eq!(s.org_number(6, 7), 2);
        // Persons carry no org number, and an org number's evidence shrinks by log2 of its shops.
        assert_eq!((shrink(8.0, s.org_number(0, 5)), shrink(8.0, s.org_number(6, 7))), (6.0, 7.0));
    }

    fn row(first: &str, last: &str, email: &str, phone: &str) -> Features {
        let mut cells = vec![Cleaned::missing(); Field::COUNT];
        for (f, v) in [(Field::FirstName, first), (Field::LastName, last), (Field::Email, email), (Field::Phone, phone)]
        {
            if !v.is_empty() {
                cells[f.index()] = Cleaned::valid(v.to_string());
            }
        }
        Features::from_clean(&CleanRow::pack(&cells), None, email)
    }

    #[test]
    fn organisations_are_told_apart_by_their_names() {
        let company = |name: &str, phone: &str| {
            let mut cells = vec![Cleaned::missing(); Field::COUNT];
            cells[Field::Company.index()] = Cleaned::valid(name.to_string());
            cells[Field::Phone.index()] = Cleaned::valid(phone.to_string());
            Features::from_clean(&CleanRow::pack(&cells), None, "")
        };
        let f = vec![
            // A hotel's switchboard: three restaurants, one of them entered twice.
            company("Bistro AS", "+4722000000"),
            company("Mikado AS", "+4722000000"),
            company("Palace Court", "+4722000000"),
            company("BISTRO", "+4722000000"),
        ];
        let s = Sharing::build(&f);
        assert_eq!(s.phone(&f[0], &f[3], 0), 3, "three companies, not one nameless person or four");
    }

    #[test]
    fn counts_people_not_records() {
        let f = vec![
            // One person's address on three records: one person.
            row("ola", "hansen", "ola@x.no", "+4791111111"),
            row("ola", "hansen", "ola@x.no", "+4791111111"),
            row("ola", "hansen", "ola@x.no", ""),
            // A family inbox and landline: three people.
            row("kari", "berg", "familien@berg.no", "+4722222222"),
            row("per", "berg", "familien@berg.no", "+4722222222"),
            row("liv", "berg", "familien@berg.no", "+4722222222"),
            row("ida", "lie", "", "+4722222222"),
        ];
        let s = Sharing::build(&f);
        assert_eq!(s.email(0, 1), 1);
        assert_eq!(s.email(3, 4), 3);
        assert_eq!(s.phone(&f[0], &f[1], 0), 1);
        assert_eq!(s.phone(&f[3], &f[6], 3), 4);
        assert_eq!(s.phone(&f[0], &f[3], 0), 0);
        assert_eq!(s.email(0, 6), 0);
    }

    #[test]
    fn evidence_shrinks_with_people_and_never_turns_negative() {
        assert_eq!(shrink(10.0, 1), 10.0);
        assert_eq!(shrink(10.0, 2), 9.0);
        assert_eq!(shrink(10.0, 4), 8.0);
        assert_eq!(shrink(6.0, 400), 0.0);
        assert_eq!(shrink(-3.0, 8), -3.0);
    }
}
