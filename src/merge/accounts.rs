//! Accounts: every contact linked to its golden account.
//!
//! A B2B register holds companies (accounts) and the people who work there (contacts), often as
//! two exports. Once merge has made golden records, a golden record whose chosen fields make it
//! an organisation (`Golden::kind`) is a golden account, and every other golden record is a
//! contact. Campaigns select contacts by their company's size or industry, so each contact needs
//! the golden id of its account: golden.csv's `account_id`, and the `account.<field>` values of
//! segment rules.
//!
//! A contact is linked by the first of these that finds an account:
//! 1. the same cleaned org number (`org_number`);
//! 2. the same company name key (`normalise::company::company_key`: legal forms, punctuation
//!    and case removed) and the same place (postcode or city, countries not differing:
//!    `company_and_address`) or the same domain (the contact's website or e-mail domain among the
//!    account's website and its members' e-mail domains: `company_and_domain`);
//! 3. the same company name key when exactly one account carries it (`company_name`);
//! 4. the contact's website or e-mail domain when exactly one account uses it (`email_domain`).
//!
//! Domains are compared by their registrable part (`normalise::website::registrable_domain`:
//! `shop.acme.co.uk` is `acme.co.uk`, so a website and an e-mail address meet). Free-mail
//! domains (`normalise::email::is_free_mail`) are never evidence: a contact at
//! gmail.com works anywhere. When several accounts fit a way that allows several (1 and 2), the
//! one with the smallest golden id wins, so the link does not depend on the order of the input.
//! An account itself has no account; a contact with no company, org number or company domain
//! has none either. Pure: golden records in, links out.

use super::Golden;
use crate::field::Field;
use crate::normalise::company::company_key;
use crate::normalise::email::{email_domain, is_free_mail};
use crate::normalise::entity::EntityKind;
use crate::normalise::website::registrable_domain;
use serde::Serialize;
use std::collections::HashMap;

/// How a contact was linked to its account, in the order the ways are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LinkedBy {
    OrgNumber,
    CompanyAndAddress,
    CompanyAndDomain,
    CompanyName,
    EmailDomain,
}

impl LinkedBy {
    /// The name in report.json's `accounts.linked_by`.
    pub fn name(self) -> &'static str {
        match self {
            LinkedBy::OrgNumber => "org_number",
            LinkedBy::CompanyAndAddress => "company_and_address",
            LinkedBy::CompanyAndDomain => "company_and_domain",
            LinkedBy::CompanyName => "company_name",
            LinkedBy::EmailDomain => "email_domain",
        }
    }
}

/// The golden accounts of a run and each contact's link to one.
#[derive(Debug, Clone, Default)]
pub struct Accounts {
    /// Per golden record (in golden order): whether it is a golden account.
    pub is_account: Vec<bool>,
    /// Per golden record: the index of its golden account and how it was found; `None` for an
    /// account and for a contact no way links.
    pub links: Vec<Option<(u32, LinkedBy)>>,
}

impl Accounts {
    /// The index (in golden order) of golden record `g`'s account.
    pub fn account_of(&self, g: usize) -> Option<usize> {
        self.links.get(g).copied().flatten().map(|(a, _)| a as usize)
    }
}

/// Whether a register can have accounts at all: only a company name or an org number makes a
/// row an organisation (`normalise::entity`). Outputs show accounts only then.
pub fn register_has_accounts(fields_present: &[Field]) -> bool {
    fields_present.iter().any(|&f| f == Field::Company || f == Field::OrgNumber)
}

/// What one account (or contact) is known by, read once.
struct Keys<'a> {
    org_number: Option<&'a str>,
    company: String,
    postcode: Option<&'a str>,
    city: Option<&'a str>,
    country: Option<&'a str>,
    /// Registrable domains of the website and the e-mail addresses, free-mail ones left out,
    /// without repeats.
    domains: Vec<&'a str>,
}

impl<'a> Keys<'a> {
    /// `all_emails`: also the domains of the losing e-mails (an account's members' addresses);
    /// a contact is known by its own chosen address only.
    fn of(g: &'a Golden, all_emails: bool) -> Keys<'a> {
        let mut domains: Vec<&str> = Vec::new();
        let emails = g.value(Field::Email).into_iter();
        let others = g.other_emails().iter().map(String::as_str).filter(|_| all_emails);
        for d in g.value(Field::Website).into_iter().chain(emails.chain(others).map(email_domain)) {
            let d = registrable_domain(d);
            if !d.is_empty() && !is_free_mail(d) && !domains.contains(&d) {
                domains.push(d);
            }
        }
        Keys {
            org_number: g.value(Field::OrgNumber),
            company: g.value(Field::Company).map(company_key).unwrap_or_default(),
            postcode: g.value(Field::Postcode),
            city: g.value(Field::City),
            country: g.value(Field::Country),
            domains,
        }
    }

    /// Same postcode or city, in countries that do not differ.
    fn same_place(&self, o: &Keys<'_>) -> bool {
        let same = |a: Option<&str>, b: Option<&str>| matches!((a, b), (Some(x), Some(y)) if x.to_lowercase() == y.to_lowercase());
        let countries_differ = matches!((self.country, o.country), (Some(x), Some(y)) if x != y);
        !countries_differ && (same(self.postcode, o.postcode) || same(self.city, o.city))
    }

    fn shares_domain(&self, o: &Keys<'_>) -> bool {
        self.domains.iter().any(|d| o.domains.contains(d))
    }
}

/// Links every contact among `goldens` to its golden account (see the module comment).
pub fn link(goldens: &[Golden]) -> Accounts {
    use rayon::prelude::*;
    let is_account: Vec<bool> = goldens.par_iter().map(|g| g.kind() == EntityKind::Organisation).collect();
    // Accounts in golden id order: every list below is in that order, so "the first that fits"
    // is the one with the smallest golden id.
    let mut accounts: Vec<u32> = (0..goldens.len() as u32).filter(|&g| is_account[g as usize]).collect();
    accounts.sort_by(|&a, &b| goldens[a as usize].golden_id.cmp(&goldens[b as usize].golden_id));
    let keys: Vec<Keys<'_>> = accounts.par_iter().map(|&a| Keys::of(&goldens[a as usize], true)).collect();
    // Account positions (in `accounts`) by org number, name key and domain.
    let mut by_org: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_domain: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, key) in keys.iter().enumerate() {
        if let Some(o) = key.org_number {
            by_org.entry(o).or_default().push(k);
        }
        if !key.company.is_empty() {
            by_name.entry(key.company.as_str()).or_default().push(k);
        }
        for d in &key.domains {
            by_domain.entry(d).or_default().push(k);
        }
    }
    let find = |c: &Keys<'_>| -> Option<(usize, LinkedBy)> {
        if let Some(&k) = c.org_number.and_then(|o| by_org.get(o)).and_then(|l| l.first()) {
            return Some((k, LinkedBy::OrgNumber));
        }
        let named = by_name.get(c.company.as_str()).filter(|_| !c.company.is_empty());
        if let Some(named) = named {
            for &k in named {
                if c.same_place(&keys[k]) {
                    return Some((k, LinkedBy::CompanyAndAddress));
                }
                if c.shares_domain(&keys[k]) {
                    return Some((k, LinkedBy::CompanyAndDomain));
                }
            }
            if let [k] = named.as_slice() {
                return Some((*k, LinkedBy::CompanyName));
            }
        }
        c.domains.iter().find_map(|d| match by_domain.get(d).map(Vec::as_slice) {
            Some(&[k]) => Some((k, LinkedBy::EmailDomain)),
            _ => None,
        })
    };
    let links = goldens
        .par_iter()
        .zip(&is_account)
        .map(|(g, &account)| {
            if account || accounts.is_empty() {
                return None;
            }
            find(&Keys::of(g, false)).map(|(k, how)| (accounts[k], how))
        })
        .collect();
    Accounts { is_account, links }
}

/// report.json's `accounts`: counts only.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AccountsReport {
    pub golden_accounts: usize,
    /// Contacts (golden records that are not accounts) linked to an account.
    pub contacts_with_account: usize,
    pub contacts_without_account: usize,
    /// How many accounts have how many linked contacts.
    pub contacts_per_account: ContactsPerAccount,
    /// Linked contacts by the way that found their account, in the order the ways are tried.
    pub linked_by: LinkedByCounts,
}

/// Linked contacts per [`LinkedBy`] (named by `LinkedBy::name`).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct LinkedByCounts {
    pub org_number: usize,
    pub company_and_address: usize,
    pub company_and_domain: usize,
    pub company_name: usize,
    pub email_domain: usize,
}

/// Accounts by their number of linked contacts.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ContactsPerAccount {
    #[serde(rename = "0")]
    pub none: usize,
    #[serde(rename = "1")]
    pub one: usize,
    #[serde(rename = "2-5")]
    pub two_to_five: usize,
    #[serde(rename = "6-20")]
    pub six_to_twenty: usize,
    #[serde(rename = "21+")]
    pub more: usize,
}

impl Accounts {
    /// The counts report.json shows.
    pub fn report(&self) -> AccountsReport {
        let mut contacts = vec![0usize; self.links.len()];
        let mut linked_by = LinkedByCounts::default();
        for &(a, how) in self.links.iter().flatten() {
            contacts[a as usize] += 1;
            *match how {
                LinkedBy::OrgNumber => &mut linked_by.org_number,
                LinkedBy::CompanyAndAddress => &mut linked_by.company_and_address,
                LinkedBy::CompanyAndDomain => &mut linked_by.company_and_domain,
                LinkedBy::CompanyName => &mut linked_by.company_name,
                LinkedBy::EmailDomain => &mut linked_by.email_domain,
            } += 1;
        }
        let mut per = ContactsPerAccount::default();
        for (g, &n) in contacts.iter().enumerate() {
            if !self.is_account[g] {
                continue;
            }
            *match n {
                0 => &mut per.none,
                1 => &mut per.one,
                2..=5 => &mut per.two_to_five,
                6..=20 => &mut per.six_to_twenty,
                _ => &mut per.more,
            } += 1;
        }
        let golden_accounts = self.is_account.iter().filter(|&&a| a).count();
        let with = self.links.iter().filter(|l| l.is_some()).count();
        AccountsReport {
            golden_accounts,
            contacts_with_account: with,
            contacts_without_account: self.links.len() - golden_accounts - with,
            contacts_per_account: per,
            linked_by,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::{GoldenField, Origin};

    fn golden(id: &str, values: &[(Field, &str)]) -> Golden {
        let mut fields = vec![GoldenField { value: None, rule: "most_recent", from: Origin::Nobody }; Field::COUNT];
        for &(f, v) in values {
            fields[f.index()] = GoldenField { value: Some(v.to_string()), rule: "most_recent", from: Origin::One(0) };
        }
        Golden::new(id.into(), vec![0], &fields, vec![], vec![], 0)
    }

    /// The golden id of each golden record's account ("" for none), and how it was found.
    fn links(goldens: &[Golden]) -> Vec<(String, Option<&'static str>)> {
        let a = link(goldens);
        (0..goldens.len())
            .map(|g| {
                let id = a.account_of(g).map(|k| goldens[k].golden_id.clone()).unwrap_or_default();
                (id, a.links[g].map(|(_, how)| how.name()))
            })
            .collect()
    }

    use Field::*;

    #[test]
    fn each_way_links_a_contact() {
        let goldens = vec![
            golden("G1", &[(Company, "Nordlys AS"), (OrgNumber, "923609016"), (Postcode, "0150"), (City, "Oslo")]),
            golden("G2", &[(Company, "Fjord Consulting AS"), (Website, "fjord.no"), (City, "Bergen")]),
            golden("G3", &[(Company, "Berg & Sønn AS"), (City, "Trondheim")]),
            golden("G4", &[(Company, "Kvist Design"), (Website, "kvist.no")]),
            // A contact with the org number, whatever its company is called.
            golden("G5", &[(FirstName, "Kari"), (Company, "NORDLYS"), (OrgNumber, "923609016")]),
            // Name and place: the legal form and case do not matter.
            golden("G6", &[(FirstName, "Ola"), (Company, "nordlys a/s"), (City, "OSLO")]),
            // Name and domain.
            golden("G7", &[(FirstName, "Per"), (Company, "Fjord Consulting"), (Email, "per@fjord.no")]),
            // The name alone: one account carries it.
            golden("G8", &[(FirstName, "Liv"), (Company, "Berg og Sønn"), (City, "Oslo")]),
            // The e-mail domain alone: only Kvist uses it.
            golden("G9", &[(FirstName, "Eva"), (Email, "eva@kvist.no")]),
            // Nothing to go by.
            golden("GA", &[(FirstName, "Tor"), (Email, "tor@gmail.com")]),
        ];
        let got = links(&goldens);
        let want = [
            ("", None),
            ("", None),
            ("", None),
            ("", None),
            ("G1", Some("org_number")),
            ("G1", Some("company_and_address")),
            ("G2", Some("company_and_domain")),
            ("G3", Some("company_name")),
            ("G4", Some("email_domain")),
            ("", None),
        ];
        for (g, (id, how)) in want.iter().enumerate() {
            assert_eq!((got[g].0.as_str(), got[g].1), (*id, *how), "{}", goldens[g].golden_id);
        }
        let r = link(&goldens).report();
        assert_eq!((r.golden_accounts, r.contacts_with_account, r.contacts_without_account), (4, 5, 1));
        assert_eq!(
            r.contacts_per_account,
            ContactsPerAccount { none: 0, one: 3, two_to_five: 1, ..Default::default() }
        );
        let by = LinkedByCounts {
            org_number: 1,
            company_and_address: 1,
            company_and_domain: 1,
            company_name: 1,
            email_domain: 1,
        };
        assert_eq!(r.linked_by, by);
    }

    #[test]
    fn free_mail_domains_link_nobody() {
        // An account whose members wrote gmail addresses, and a contact at gmail.
        let mut account = golden("G1", &[(Company, "Solo Snekker"), (Email, "solo.snekker@gmail.com")]);
        account.set_other_emails(vec!["snekker@hotmail.com".into()]);
        let goldens = vec![
            account,
            golden("G2", &[(FirstName, "Eva"), (Email, "eva@gmail.com")]),
            golden("G3", &[(FirstName, "Ivar"), (Email, "ivar@hotmail.com")]),
            golden("G4", &[(FirstName, "Siv"), (Company, "Bygg"), (Email, "siv@online.no")]),
        ];
        assert!(links(&goldens).iter().all(|(id, _)| id.is_empty()), "{:?}", links(&goldens));
        // A company domain among the members' addresses does link.
        let mut account = golden("G1", &[(Company, "Solo Snekker")]);
        account.set_other_emails(vec!["post@solosnekker.no".into()]);
        let goldens = vec![account, golden("G2", &[(FirstName, "Eva"), (Email, "eva@solosnekker.no")])];
        assert_eq!(links(&goldens)[1], ("G1".to_string(), Some("email_domain")));
    }

    /// The providers anybody can have an address at, which link no contact to any account.
    #[test]
    fn free_mail_providers_are_no_evidence() {
        for domain in [
            "gmail.com",
            "hotmail.com",
            "outlook.com",
            "yahoo.com",
            "online.no",
            "live.no",
            "icloud.com",
            "gmx.de",
            "web.de",
            "wp.pl",
            "o2.pl",
            "onet.pl",
            "poczta.onet.pl",
            "interia.pl",
            "t-online.de",
            "telia.com",
            "hotmail.se",
            "yahoo.co.uk",
        ] {
            assert!(is_free_mail(registrable_domain(domain)), "{domain}");
        }
        for domain in ["acme.no", "nordlysdata.no", "shop.acme.co.uk", "live-events.no"] {
            assert!(!is_free_mail(registrable_domain(domain)), "{domain}");
        }
    }

    #[test]
    fn a_website_and_an_address_meet_at_their_registrable_domain() {
        let goldens = vec![
            golden("G1", &[(Company, "Acme Ltd"), (Website, "shop.acme.co.uk")]),
            golden("G2", &[(FirstName, "Eva"), (Email, "eva@mail.acme.co.uk")]),
        ];
        assert_eq!(links(&goldens)[1], ("G1".to_string(), Some("email_domain")));
    }

    #[test]
    fn an_ambiguous_name_or_domain_links_nobody() {
        // Two branches of one chain, neither in the contact's town.
        let goldens = vec![
            golden("G1", &[(Company, "Kaffebrenneriet AS"), (City, "Oslo"), (Website, "kaffe.no")]),
            golden("G2", &[(Company, "Kaffebrenneriet"), (City, "Bergen"), (Website, "kaffe.no")]),
            golden("G3", &[(FirstName, "Eva"), (Company, "Kaffebrenneriet"), (City, "Tromsø")]),
            golden("G4", &[(FirstName, "Ivar"), (Email, "ivar@kaffe.no")]),
            // In one branch's town: that branch.
            golden("G5", &[(FirstName, "Siv"), (Company, "KAFFEBRENNERIET"), (City, "Bergen")]),
            // By the shared domain and the name: both fit, the smaller golden id wins.
            golden("G6", &[(FirstName, "Jon"), (Company, "Kaffebrenneriet"), (Email, "jon@kaffe.no")]),
        ];
        let got = links(&goldens);
        assert_eq!(got[2].0, "", "a name two accounts carry, no place or domain to choose by");
        assert_eq!(got[3].0, "", "a domain two accounts use");
        assert_eq!(got[4], ("G2".to_string(), Some("company_and_address")));
        assert_eq!(got[5], ("G1".to_string(), Some("company_and_domain")));
    }

    #[test]
    fn ties_go_to_the_smallest_golden_id_whatever_the_order() {
        let goldens = vec![
            golden("G9", &[(Company, "Nordlys AS"), (OrgNumber, "923609016")]),
            golden("G3", &[(Company, "Nordlys Holding AS"), (OrgNumber, "923609016")]),
            golden("G5", &[(FirstName, "Kari"), (OrgNumber, "923609016")]),
        ];
        assert_eq!(links(&goldens)[2].0, "G3");
        let reversed: Vec<Golden> = goldens.iter().rev().cloned().collect();
        assert_eq!(links(&reversed)[0].0, "G3");
    }

    #[test]
    fn countries_apart_are_not_one_place() {
        let goldens = vec![
            golden("G1", &[(Company, "Acme AB"), (Postcode, "11122"), (Country, "SE")]),
            golden("G2", &[(Company, "Acme GmbH"), (Postcode, "11122"), (Country, "DE")]),
            golden("G3", &[(FirstName, "Eva"), (Company, "Acme"), (Postcode, "11122"), (Country, "DE")]),
        ];
        assert_eq!(links(&goldens)[2], ("G2".to_string(), Some("company_and_address")));
    }
}
