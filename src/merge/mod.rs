//! Merge: turn each cluster of duplicate rows into one golden record, and say why.
//!
//! Each golden field is chosen by a survivorship rule (`rules`), and every choice is recorded:
//! the value, the rule, and the member (or members, for sums and flags) it came from. Fields in
//! a group (name, address, company) come from one member together, so a golden record never
//! mixes one row's street with another row's postcode. Only valid or fixed values take part;
//! ties go to the member with the smallest identity (source and record id), never to the one
//! first in the file. Values that lose but are valid are kept in
//! `other_emails` and `other_phones`. A golden record only ever holds values of its own members:
//! never one customer's values in another's record.

pub mod accounts;
pub mod rules;

use crate::field::{CustomKind, CustomRule};
use crate::field::{Field, Kind};
use crate::normalise::CleanRow;
use crate::normalise::custom::CustomValues;
use crate::normalise::entity::{self, EntityKind};
use rules::{Rule, Survivorship};
use std::collections::{BTreeMap, HashMap};

/// Where a golden value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// No member has a valid value.
    Nobody,
    /// One member's value.
    One(usize),
    /// An aggregate over these members (sum, any/all true, a bounce).
    Many(Vec<usize>),
}

/// One golden field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldenField {
    pub value: Option<String>,
    pub rule: &'static str,
    pub from: Origin,
}

/// A golden record: the merged view of one cluster. Its fields are stored packed (a million
/// golden records hold 32 fields each), and read with [`Golden::value`] and [`Golden::origin`];
/// the rule of a field is the same for every record (`Survivorship::rule_name`).
#[derive(Debug, Clone)]
pub struct Golden {
    pub golden_id: String,
    /// Row indices of the members, in the order of their identities (`Rows::identity`).
    pub members: Vec<usize>,
    /// The values of the fields `present` has a bit for, in field order (a record fills a third
    /// of the fields: an offset for each of the other two thirds would cost 100 bytes a record).
    values: crate::packed::Strings,
    present: u64,
    /// Per field: the member row it came from, or [`NOBODY`] or [`MANY`]. Empty for a golden
    /// record of one member (most of a large register), whose present fields all came from
    /// that member: `many_fields` then says which of them are aggregates.
    from: Box<[u32]>,
    many_fields: u64,
    /// The members of every `Many` origin, as runs of `field, count, rows...`.
    many: Box<[u32]>,
    /// The member whose pass-through columns the golden record carries.
    pub passthrough_member: usize,
    /// Other e-mails and phones and custom fields, for the records that have any: most have
    /// none, and a pointer costs 64 bytes a record less than three empty vectors.
    extra: Option<Box<Extra>>,
}

/// What few golden records carry (see [`Golden::extra`]).
#[derive(Debug, Clone, Default)]
struct Extra {
    other_emails: Vec<String>,
    other_phones: Vec<String>,
    /// The config's custom fields (`Register::custom`), in declaration order, each merged by
    /// its own rule (`merge_custom`). Empty when none are declared.
    custom: Vec<GoldenField>,
}

const NOBODY: u32 = u32::MAX;
const MANY: u32 = u32::MAX - 1;
const _: () = assert!(Field::COUNT <= 64, "a golden record's presence mask is one u64");

impl Golden {
    /// Bytes this golden record holds, itself and its heap, for the memory model.
    pub fn bytes(&self) -> usize {
        std::mem::size_of::<Golden>()
            + self.golden_id.len()
            + 8 * self.members.len()
            + self.values.heap_bytes()
            + 4 * (self.from.len() + self.many.len())
            + self.extra.as_ref().map_or(0, |e| {
                std::mem::size_of::<Extra>()
                    + e.other_emails.iter().chain(&e.other_phones).map(|s| 24 + s.len()).sum::<usize>()
                    + e.custom.len() * std::mem::size_of::<GoldenField>()
            })
    }

    /// The members' valid e-mails that did not survive, by member identity.
    pub fn other_emails(&self) -> &[String] {
        self.extra.as_ref().map_or(&[], |e| &e.other_emails)
    }

    /// The members' valid phones that did not survive.
    pub fn other_phones(&self) -> &[String] {
        self.extra.as_ref().map_or(&[], |e| &e.other_phones)
    }

    /// The custom fields, in declaration order (empty when the config declares none).
    pub fn custom(&self) -> &[GoldenField] {
        self.extra.as_ref().map_or(&[], |e| &e.custom)
    }

    fn extra_mut(&mut self) -> &mut Extra {
        self.extra.get_or_insert_with(Default::default)
    }

    pub fn set_other_emails(&mut self, emails: Vec<String>) {
        if !emails.is_empty() || self.extra.is_some() {
            self.extra_mut().other_emails = emails;
        }
    }

    pub fn set_custom(&mut self, custom: Vec<GoldenField>) {
        if !custom.is_empty() || self.extra.is_some() {
            self.extra_mut().custom = custom;
        }
    }

    /// Packs a golden record; `fields` has one entry per canonical field, in field order.
    pub fn new(
        golden_id: String,
        members: Vec<usize>,
        fields: &[GoldenField],
        other_emails: Vec<String>,
        other_phones: Vec<String>,
        passthrough_member: usize,
    ) -> Golden {
        assert_eq!(fields.len(), Field::COUNT);
        let row = |m: usize| u32::try_from(m).expect("fewer than 4 billion rows");
        let mut present = 0u64;
        let mut from = [NOBODY; Field::COUNT];
        let mut many = Vec::new();
        for (i, gf) in fields.iter().enumerate() {
            if gf.value.is_some() {
                present |= 1 << i;
            }
            from[i] = match &gf.from {
                Origin::Nobody => NOBODY,
                Origin::One(m) => row(*m),
                Origin::Many(ms) => {
                    many.push(i as u32);
                    many.push(row(ms.len()));
                    many.extend(ms.iter().map(|&m| row(m)));
                    MANY
                }
            };
        }
        // One member: every origin is that member (or nobody), so only which fields are
        // aggregates needs keeping (132 bytes less a record).
        let mut many_fields = 0u64;
        let from: Box<[u32]> = if members.len() == 1 {
            for (i, gf) in fields.iter().enumerate() {
                if matches!(gf.from, Origin::Many(_)) {
                    many_fields |= 1 << i;
                }
            }
            many.clear();
            Box::new([])
        } else {
            Box::new(from)
        };
        Golden {
            golden_id,
            members,
            values: crate::packed::Strings::new_exact(fields.iter().filter_map(|gf| gf.value.as_deref())),
            present,
            from,
            many_fields,
            many: many.into_boxed_slice(),
            passthrough_member,
            extra: (!other_emails.is_empty() || !other_phones.is_empty())
                .then(|| Box::new(Extra { other_emails, other_phones, custom: Vec::new() })),
        }
    }

    pub fn value(&self, f: Field) -> Option<&str> {
        // The values of present fields only, in field order: a field's is the one after those
        // of the present fields before it.
        let bit = 1u64 << f.index();
        (self.present & bit != 0).then(|| self.values.get((self.present & (bit - 1)).count_ones() as usize))
    }

    /// What the golden record is by its chosen fields: a golden account is an organisation (a
    /// company name or org number and no person name), a contact a person, at an organisation
    /// or not.
    pub fn kind(&self) -> EntityKind {
        entity::kind_of(|f| self.has(f))
    }

    /// Whether the golden record has a value of `f` (`value(f).is_some()`, without finding it).
    pub fn has(&self, f: Field) -> bool {
        self.present & (1 << f.index()) != 0
    }

    /// Where the value of a field came from.
    pub fn origin(&self, f: Field) -> Origin {
        if self.from.is_empty() {
            let m = self.members[0];
            return match (self.present & (1 << f.index()) != 0, self.many_fields & (1 << f.index()) != 0) {
                (false, _) => Origin::Nobody,
                (true, false) => Origin::One(m),
                (true, true) => Origin::Many(vec![m]),
            };
        }
        match self.from[f.index()] {
            NOBODY => Origin::Nobody,
            MANY => {
                let mut i = 0;
                while i < self.many.len() {
                    let (field, n) = (self.many[i] as usize, self.many[i + 1] as usize);
                    if field == f.index() {
                        return Origin::Many(self.many[i + 2..i + 2 + n].iter().map(|&m| m as usize).collect());
                    }
                    i += 2 + n;
                }
                Origin::Nobody
            }
            m => Origin::One(m as usize),
        }
    }
}

/// Context a merge needs about the rows: cleaned values and source names.
pub struct Rows<'a> {
    pub clean: &'a [CleanRow],
    /// Source file name of each row.
    pub source: Box<dyn Fn(usize) -> &'a str + Sync + 'a>,
    /// A key of each row's identity (source and record id, or its original values); ties
    /// between members go to the smaller key, so no choice depends on row order. Empty: ties go
    /// to the first in input order.
    pub identity: &'a [u64],
    /// Each row's e-mail match key (`Register::email_key`): one mailbox, one key.
    pub email_key: Box<dyn Fn(usize) -> &'a str + Sync + 'a>,
    /// The rows' custom fields (`Register::custom`).
    pub custom: &'a CustomValues,
}

impl Rows<'_> {
    fn val(&self, i: usize, f: Field) -> Option<&str> {
        self.clean[i].value(f)
    }

    /// Recency of a member: last activity, then creation (ISO dates compare as strings).
    fn recency(&self, i: usize) -> (Option<&str>, Option<&str>) {
        (self.val(i, Field::LastActivityAt), self.val(i, Field::CreatedAt))
    }
}

/// Merges every cluster. `golden_ids[i]` is row i's golden id; the result is sorted by id.
pub fn merge(rows: &Rows<'_>, golden_ids: &[String], rules: &Survivorship) -> Vec<Golden> {
    let mut clusters: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, g) in golden_ids.iter().enumerate() {
        clusters.entry(g.as_str()).or_default().push(i);
    }
    merge_clusters(rows, clusters.into_iter().map(|(id, members)| (id.to_string(), members)).collect(), rules)
}

/// Merges clusters given as (golden id, members in input order); the result keeps their order.
pub fn merge_clusters(rows: &Rows<'_>, clusters: Vec<(String, Vec<usize>)>, rules: &Survivorship) -> Vec<Golden> {
    use rayon::prelude::*;
    clusters.into_par_iter().map(|(id, members)| merge_one(rows, id, members, rules)).collect()
}

/// One golden record by the rules of its kind: a golden account (an organisation) by the
/// account rules (`[accounts]`). Its kind is known before merging: the fields that decide it are
/// chosen among the members that have them, so the golden record has a name (or a company)
/// exactly when a member has one.
fn merge_one(rows: &Rows<'_>, golden_id: String, members: Vec<usize>, rules: &Survivorship) -> Golden {
    let kind = entity::kind_of(|f| members.iter().any(|&m| rows.clean[m].status(f).has_value()));
    let golden = merge_by(rows, golden_id, members, rules.for_kind(kind));
    debug_assert_eq!(golden.kind(), kind, "a golden record's kind follows its members'");
    golden
}

fn merge_by(rows: &Rows<'_>, golden_id: String, mut members: Vec<usize>, rules: &Survivorship) -> Golden {
    // Members in the order of their identities: every "first member wins" tie below, and the
    // order of other_emails and of the audit's members, then follows content, not position.
    members.sort_by_key(|&m| (rows.identity.get(m).copied().unwrap_or(0), m));
    let mut fields: Vec<GoldenField> =
        vec![GoldenField { value: None, rule: rules.default.name(), from: Origin::Nobody }; Field::COUNT];
    // Groups: one member for all their fields, chosen among those with the group's first field
    // (or, when no member has it, its first field any member has). A part the chosen member
    // lacks comes from a member whose values in the group do not conflict with the chosen
    // member's (same postcode or city), else from any member that has it: nothing a member had
    // is lost, and each field says which member it came from.
    let mut group_member: HashMap<&str, usize> = HashMap::new();
    for g in &rules.groups {
        let chosen = if g.fields.contains(&Field::FirstName) && g.fields.contains(&Field::LastName) {
            choose_name(rows, &members, &g.fields, &g.rule)
        } else {
            g.fields.iter().find_map(|&f| choose(rows, &members, f, &g.rule))
        };
        // The members that agree with the chosen one depend on the group only: found once, for
        // the first part the chosen member lacks (most golden records have one member, who
        // agrees with itself and has nothing more to give).
        let mut agree: Option<Vec<usize>> = None;
        for &f in &g.fields {
            let from = match chosen {
                Some(m) if rows.val(m, f).is_some() => Some(m),
                Some(_) if members.len() == 1 => None,
                Some(m) => {
                    let agree = agree.get_or_insert_with(|| {
                        members.iter().copied().filter(|&x| !conflicts(rows, &g.fields, m, x)).collect()
                    });
                    choose(rows, agree, f, &g.rule).or_else(|| choose(rows, &members, f, &g.rule))
                }
                None => None,
            };
            fields[f.index()] = match from {
                Some(m) => {
                    GoldenField { value: rows.val(m, f).map(str::to_string), rule: g.rule.name(), from: Origin::One(m) }
                }
                None => GoldenField { value: None, rule: g.rule.name(), from: Origin::Nobody },
            };
        }
        if let Some(m) = chosen {
            group_member.insert(g.name.as_str(), m);
        }
    }
    // Single fields; consent, opt-out and bounce depend on the chosen address, so they come last.
    for &f in Field::ALL {
        if rules.group_of(f).is_some() || channel_of(f).is_some() {
            continue;
        }
        fields[f.index()] = apply(rows, &members, f, rules.rule_for(f), &fields);
    }
    // Consent travels with the address or number it was given for: only the members holding the
    // golden e-mail (or SMS number) say anything about it, whatever the field's rule, so that a
    // golden record never gives one person's consent to another person's address.
    for &f in Field::ALL {
        let Some(channel) = channel_of(f) else { continue };
        let rule = rules.group_of(f).map(|g| &g.rule).unwrap_or_else(|| rules.rule_for(f));
        let holders = channel_members(rows, &members, channel, f, &fields);
        fields[f.index()] = apply(rows, &holders, f, rule, &fields);
    }
    let other_emails = others(rows, &members, &[Field::Email], &fields, |m, _| (rows.email_key)(m));
    let other_phones =
        others(rows, &members, &[Field::Phone, Field::Mobile], &fields, |m, f| rows.val(m, f).unwrap_or(""));
    let passthrough_member = group_member
        .get(rules.passthrough.as_str())
        .copied()
        .or_else(|| {
            Field::from_name(&rules.passthrough).and_then(|f| match fields[f.index()].from {
                Origin::One(m) => Some(m),
                _ => None,
            })
        })
        .unwrap_or_else(|| most_recent(rows, &members));
    let mut golden = Golden::new(golden_id, members, &fields, other_emails, other_phones, passthrough_member);
    let custom = (0..rows.custom.fields.len()).map(|k| merge_custom(rows, &golden.members, k)).collect();
    golden.set_custom(custom);
    golden
}

/// The member whose name the golden record keeps: the orientation and spelling most members
/// agree on. Each member's name (first, last) counts the members who write it the same way or as
/// a variant of it (first and last swapped, or one edit apart in one part): "Tone Nilsen" twice
/// and "Nilsen Tone" once all count for both forms, and the form more members write exactly
/// wins. Only a tie leaves the choice to the group's rule (recency by default), so a swapped or
/// misspelt name in the newest row no longer wins the golden record. Without first or last names,
/// the group's rule decides as for any group.
fn choose_name(rows: &Rows<'_>, members: &[usize], group: &[Field], rule: &Rule) -> Option<usize> {
    // One member has no one to agree with (most clusters of a large register): no keys to make.
    if members.len() < 2 {
        return group.iter().find_map(|&f| choose(rows, members, f, rule));
    }
    // Letters and digits, lower case, with the usual transliterations folded (Müller is
    // Mueller, Ødegård is Oedegaard), so that one spelling written two ways counts once.
    let key = |v: Option<&str>| -> Vec<u8> {
        let mut k = String::new();
        for c in v.unwrap_or("").chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase) {
            match c {
                'ä' | 'æ' => k.push_str("ae"),
                'ö' | 'ø' => k.push_str("oe"),
                'ü' => k.push_str("ue"),
                'å' => k.push_str("aa"),
                'ß' => k.push_str("ss"),
                c => k.push(c),
            }
        }
        k.into_bytes()
    };
    let named: Vec<(usize, [Vec<u8>; 2])> = members
        .iter()
        .map(|&m| (m, [key(rows.val(m, Field::FirstName)), key(rows.val(m, Field::LastName))]))
        .filter(|(_, [f, l])| !f.is_empty() || !l.is_empty())
        .collect();
    if named.len() < 2 {
        return group.iter().find_map(|&f| choose(rows, members, f, rule));
    }
    let variant = |[f1, l1]: &[Vec<u8>; 2], [f2, l2]: &[Vec<u8>; 2]| {
        let one = |a: &[u8], b: &[u8]| crate::dedup::similarity::one_edit(a, b);
        (f1 == l2 && l1 == f2) || (f1 == f2 && one(l1, l2)) || (l1 == l2 && one(f1, f2))
    };
    let votes = |name: &[Vec<u8>; 2]| {
        let exact = named.iter().filter(|(_, n)| n == name).count();
        let agree = named.iter().filter(|(_, n)| n == name || variant(n, name)).count();
        (agree, exact)
    };
    let best = named.iter().map(|(_, n)| votes(n)).max()?;
    let tied: Vec<usize> = named.iter().filter(|(_, n)| votes(n) == best).map(|&(m, _)| m).collect();
    group.iter().find_map(|&f| choose(rows, &tied, f, rule))
}

/// The contact channel a consent, opt-out or bounce field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Channel {
    Email,
    Sms,
}

fn channel_of(f: Field) -> Option<Channel> {
    match f {
        Field::EmailConsent | Field::EmailBounced | Field::Unsubscribed => Some(Channel::Email),
        Field::SmsConsent => Some(Channel::Sms),
        _ => None,
    }
}

/// The members whose value of channel field `f` speaks for the golden record's address on that
/// channel: those holding the golden e-mail (by its match key) or the golden SMS number (mobile,
/// else phone). A member with no address on the channel at all counts only when its value is
/// the restrictive one (no consent, unsubscribed): an opt-out recorded without an address is
/// kept, a consent is not given to an address it was never recorded for. A bounce belongs to an
/// address only. Without a golden address every member takes part (nothing can be sent then).
fn channel_members(
    rows: &Rows<'_>,
    members: &[usize],
    channel: Channel,
    f: Field,
    chosen: &[GoldenField],
) -> Vec<usize> {
    let restrictive = match f {
        Field::Unsubscribed => Some("true"),
        Field::EmailBounced => None,
        _ => Some("false"),
    };
    let holds: Box<dyn Fn(usize) -> Option<bool> + '_> = match channel {
        Channel::Email => {
            let golden = &chosen[Field::Email.index()];
            let key = match (&golden.value, &golden.from) {
                (None, _) => return members.to_vec(),
                (Some(_), Origin::One(m)) => (rows.email_key)(*m),
                (Some(v), _) => v.as_str(),
            };
            Box::new(move |m| rows.val(m, Field::Email).map(|_| (rows.email_key)(m) == key))
        }
        Channel::Sms => {
            let number =
                chosen[Field::Mobile.index()].value.as_deref().or(chosen[Field::Phone.index()].value.as_deref());
            let Some(number) = number else { return members.to_vec() };
            Box::new(move |m| {
                let (mobile, phone) = (rows.val(m, Field::Mobile), rows.val(m, Field::Phone));
                (mobile.is_some() || phone.is_some()).then(|| mobile == Some(number) || phone == Some(number))
            })
        }
    };
    members
        .iter()
        .copied()
        .filter(|&m| match holds(m) {
            Some(same) => same,
            None => restrictive.is_some() && rows.val(m, f) == restrictive,
        })
        .collect()
}

/// Merges custom field `k` by its declared rule. Only members with a valid value take part;
/// ties go to the first member (identity order), as for canonical fields.
fn merge_custom(rows: &Rows<'_>, members: &[usize], k: usize) -> GoldenField {
    let spec = &rows.custom.fields[k];
    let rule = spec.rule.name();
    let val = |m: usize| rows.custom.value(m, k);
    let with_value: Vec<usize> = members.iter().copied().filter(|&m| val(m).is_some()).collect();
    let Some(&first) = with_value.first() else {
        return GoldenField { value: None, rule, from: Origin::Nobody };
    };
    let one = |m: usize| GoldenField { value: val(m).map(str::to_string), rule, from: Origin::One(m) };
    // The best member by `better` (strictly better replaces, so ties keep the first).
    let best = |better: &dyn Fn(usize, usize) -> bool| {
        with_value.iter().copied().fold(first, |best, m| if better(m, best) { m } else { best })
    };
    let number = |m: usize| val(m).and_then(|v| v.parse::<f64>().ok()).unwrap_or(f64::NAN);
    let order = |a: usize, b: usize| -> std::cmp::Ordering {
        match spec.kind {
            CustomKind::Number => number(a).partial_cmp(&number(b)).unwrap_or(std::cmp::Ordering::Equal),
            _ => val(a).cmp(&val(b)),
        }
    };
    match spec.rule {
        CustomRule::MostRecent => one(best(&|a, b| rows.recency(a) > rows.recency(b))),
        CustomRule::Oldest => {
            let created = |m: usize| rows.val(m, Field::CreatedAt).unwrap_or("9999");
            one(best(&|a, b| created(a) < created(b)))
        }
        CustomRule::Max => one(best(&|a, b| order(a, b).is_gt())),
        CustomRule::Min => one(best(&|a, b| order(a, b).is_lt())),
        CustomRule::MostFrequent => {
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for &m in &with_value {
                *counts.entry(val(m).unwrap_or("")).or_insert(0) += 1;
            }
            let count = |m: usize| counts[val(m).unwrap_or("")];
            one(best(&|a, b| count(a) > count(b)))
        }
        CustomRule::Union => {
            let mut all: Vec<&str> =
                with_value.iter().flat_map(|&m| crate::normalise::custom::tags(val(m).unwrap_or(""))).collect();
            all.sort_unstable();
            all.dedup();
            GoldenField { value: Some(all.join(";")), rule, from: Origin::Many(with_value) }
        }
    }
}

/// True when two members both have a value in some field of a group and the values differ (in
/// letters and digits, ignoring case): `Storgata 1, 0150 Oslo` and `0150` agree, and so do
/// `Storgata 1` and a member with only `Oslo`, but `Storgata 1` and `Kirkeveien 9` do not.
fn conflicts(rows: &Rows<'_>, group: &[Field], a: usize, b: usize) -> bool {
    // Compared as they are read, without a string made for either key; a member agrees with
    // itself.
    fn key(v: &str) -> impl Iterator<Item = char> + '_ {
        v.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase)
    }
    a != b
        && group.iter().any(|&f| match (rows.val(a, f), rows.val(b, f)) {
            (Some(x), Some(y)) => !key(x).eq(key(y)),
            _ => false,
        })
}

/// One row of merge_map.csv: in `source`, merge `duplicate` into `master` (record keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeInstruction {
    pub source: String,
    pub golden_id: String,
    pub master: String,
    pub duplicate: String,
}

/// What a CRM's merge call needs: for every golden record with two or more members from one
/// source, the master among them (by `rule`; ties go to the first by identity) and each other
/// member as a duplicate of it. `source_of` and `key_of` give a row's source and record key.
pub fn merge_map<'s>(
    goldens: &[Golden],
    rows: &Rows<'_>,
    source_of: &(dyn Fn(usize) -> &'s str + Sync),
    key_of: &(dyn Fn(usize) -> String + Sync),
    rule: rules::MasterRule,
) -> Vec<MergeInstruction> {
    use rayon::prelude::*;
    use std::cmp::Reverse;
    // A field's status says whether it has a value (`Rows::val` is `Some`), without its text.
    let completeness = |m: usize| {
        let row = &rows.clean[m];
        Field::ALL.iter().filter(|&&f| row.status(f).has_value()).count()
    };
    let created = |m: usize| rows.val(m, Field::CreatedAt).unwrap_or("9999");
    goldens
        .par_iter()
        .filter(|g| g.members.len() > 1)
        .flat_map_iter(|g| {
            let mut by_source: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for &m in &g.members {
                by_source.entry(source_of(m)).or_default().push(m);
            }
            let mut out = Vec::new();
            for (source, members) in by_source.into_iter().filter(|(_, m)| m.len() > 1) {
                // The first member with the best key: each member's key is read once.
                let master = match rule {
                    rules::MasterRule::MostComplete => first_best(&members, completeness),
                    rules::MasterRule::Oldest => first_best(&members, |m| Reverse(created(m))),
                    rules::MasterRule::MostRecent => first_best(&members, |m| rows.recency(m)),
                };
                let master_key = key_of(master);
                for &m in members.iter().filter(|&&m| m != master) {
                    out.push(MergeInstruction {
                        source: source.to_string(),
                        golden_id: g.golden_id.clone(),
                        master: master_key.clone(),
                        duplicate: key_of(m),
                    });
                }
            }
            out
        })
        .collect()
}

/// The first of `members` whose key is the greatest (a later member replaces it only when
/// strictly greater).
fn first_best<K: Ord>(members: &[usize], key: impl Fn(usize) -> K) -> usize {
    let mut best = (members[0], key(members[0]));
    for &m in &members[1..] {
        let k = key(m);
        if k > best.1 {
            best = (m, k);
        }
    }
    best.0
}

/// The most recent member overall (ties: the first member, by identity).
fn most_recent(rows: &Rows<'_>, members: &[usize]) -> usize {
    let mut best = members[0];
    for &m in &members[1..] {
        if rows.recency(m) > rows.recency(best) {
            best = m;
        }
    }
    best
}

/// Picks the member whose value of `f` a chooser rule keeps. Only members with a valid value
/// take part; ties go to the first member (members are in identity order and only a strictly
/// better member replaces the current one).
fn choose(rows: &Rows<'_>, members: &[usize], f: Field, rule: &Rule) -> Option<usize> {
    let mut candidates = members.iter().copied().filter(|&m| rows.val(m, f).is_some());
    let first = candidates.next()?;
    let better = |a: usize, b: usize| -> bool {
        let (va, vb) = (rows.val(a, f).unwrap_or(""), rows.val(b, f).unwrap_or(""));
        match rule {
            Rule::MostRecent => rows.recency(a) > rows.recency(b),
            Rule::OldestMember => {
                let c = |m: usize| rows.val(m, Field::CreatedAt).unwrap_or("9999");
                c(a) < c(b)
            }
            Rule::MostComplete => va.chars().count() > vb.chars().count(),
            Rule::SourcePriority(order) => {
                let rank = |m: usize| order.iter().position(|s| s == (rows.source)(m)).unwrap_or(order.len());
                rank(a) < rank(b)
            }
            Rule::Earliest => va < vb,
            Rule::Latest => va > vb,
            Rule::Max => compare_values(f, va, vb) == std::cmp::Ordering::Greater,
            Rule::Min => compare_values(f, va, vb) == std::cmp::Ordering::Less,
            // Frequency is handled below; aggregates never choose.
            _ => false,
        }
    };
    if *rule == Rule::MostFrequent {
        if members.len() == 1 {
            return Some(first);
        }
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for m in candidates.clone() {
            *counts.entry(rows.val(m, f).unwrap_or("")).or_insert(0) += 1;
        }
        *counts.entry(rows.val(first, f).unwrap_or("")).or_insert(0) += 1;
        let mut best = first;
        for m in candidates {
            if counts[rows.val(m, f).unwrap_or("")] > counts[rows.val(best, f).unwrap_or("")] {
                best = m;
            }
        }
        return Some(best);
    }
    let mut best = first;
    for m in candidates {
        if better(m, best) {
            best = m;
        }
    }
    Some(best)
}

/// Applies a rule to a field outside groups.
fn apply(rows: &Rows<'_>, members: &[usize], f: Field, rule: &Rule, chosen: &[GoldenField]) -> GoldenField {
    let with_value = || -> Vec<usize> { members.iter().copied().filter(|&m| rows.val(m, f).is_some()).collect() };
    let aggregate = |value: Option<String>, from: Vec<usize>| GoldenField {
        from: if value.is_none() || from.is_empty() { Origin::Nobody } else { Origin::Many(from) },
        value,
        rule: rule.name(),
    };
    match rule {
        Rule::Sum => {
            let with_value = with_value();
            let total = with_value.iter().filter_map(|&m| Number::parse(rows.val(m, f)?)).fold(
                None,
                |acc: Option<Number>, n| {
                    Some(match acc {
                        Some(a) => a.add(n),
                        None => n,
                    })
                },
            );
            aggregate(total.map(|n| n.format(f.kind())), with_value)
        }
        Rule::AnyTrue | Rule::AllTrue => {
            let with_value = with_value();
            let values: Vec<bool> = with_value.iter().map(|&m| rows.val(m, f) == Some("true")).collect();
            let v = if values.is_empty() {
                None
            } else if *rule == Rule::AnyTrue {
                Some(values.iter().any(|&b| b))
            } else {
                Some(values.iter().all(|&b| b))
            };
            aggregate(v.map(|b| b.to_string()), with_value)
        }
        Rule::BounceOfChosenEmail => {
            // A bounce belongs to the address that bounced: `members` are those holding the
            // golden e-mail (`channel_members`), and without a golden e-mail there is no bounce.
            if chosen[Field::Email.index()].value.is_none() {
                return aggregate(None, vec![]);
            }
            let same = with_value();
            let v = if same.is_empty() { None } else { Some(same.iter().any(|&m| rows.val(m, f) == Some("true"))) };
            aggregate(v.map(|b| b.to_string()), same)
        }
        _ => match choose(rows, members, f, rule) {
            Some(m) => {
                GoldenField { value: rows.val(m, f).map(str::to_string), rule: rule.name(), from: Origin::One(m) }
            }
            None => GoldenField { value: None, rule: rule.name(), from: Origin::Nobody },
        },
    }
}

/// Valid values of `fields` among members that are not the golden value(s), deduplicated by
/// `key(member, field)` (the stored match key), in input order.
fn others<'k>(
    rows: &Rows<'_>,
    members: &[usize],
    fields: &[Field],
    chosen: &[GoldenField],
    key: impl Fn(usize, Field) -> &'k str,
) -> Vec<String> {
    let mut seen: Vec<&str> = fields
        .iter()
        .filter_map(|&f| match chosen[f.index()].from {
            Origin::One(m) if chosen[f.index()].value.is_some() => Some(key(m, f)),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for &m in members {
        for &f in fields {
            if let Some(v) = rows.val(m, f) {
                let k = key(m, f);
                if !seen.contains(&k) {
                    seen.push(k);
                    out.push(v.to_string());
                }
            }
        }
    }
    out
}

/// Orders two cleaned values of a field: numerically for counts and money, as text otherwise
/// (ISO dates order correctly as text).
fn compare_values(f: Field, a: &str, b: &str) -> std::cmp::Ordering {
    if matches!(f.kind(), Kind::Count | Kind::Money)
        && let (Some(x), Some(y)) = (Number::parse(a), Number::parse(b))
    {
        return x.hundredths.cmp(&y.hundredths);
    }
    a.cmp(b)
}

/// A cleaned count or amount in hundredths, so sums are exact (no floating point).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Number {
    hundredths: i128,
    has_decimals: bool,
}

impl Number {
    fn parse(s: &str) -> Option<Number> {
        let (neg, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        // The one parser of cleaned amounts (`normalise::money::cents`); the sign is read here so
        // that `-0.5` keeps its decimals flag.
        let v = crate::normalise::money::cents(s)?;
        Some(Number {
            hundredths: if neg { -v } else { v },
            has_decimals: s.split_once('.').is_some_and(|(_, f)| !f.is_empty()),
        })
    }

    fn add(self, o: Number) -> Number {
        Number {
            hundredths: self.hundredths.saturating_add(o.hundredths),
            has_decimals: self.has_decimals || o.has_decimals,
        }
    }

    fn format(self, kind: Kind) -> String {
        let (sign, v) = if self.hundredths < 0 { ("-", -self.hundredths) } else { ("", self.hundredths) };
        if kind == Kind::Money && self.has_decimals {
            format!("{sign}{}.{:02}", v / 100, v % 100)
        } else {
            format!("{sign}{}", v / 100)
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_golden_record_keeps_only_its_present_values_and_reads_each_back() {
        // Every third field filled (one of them with an empty value), the rest missing.
        let fields: Vec<GoldenField> = Field::ALL
            .iter()
            .enumerate()
            .map(|(i, f)| GoldenField {
                value: match i % 3 {
                    0 if i == 3 => Some(String::new()),
                    0 => Some(format!("v{}", f.name())),
                    _ => None,
                },
                rule: "test",
                from: Origin::One(0),
            })
            .collect();
        let g = Golden::new("G1".into(), vec![0], &fields, vec![], vec![], 0);
        for (i, f) in Field::ALL.iter().enumerate() {
            assert_eq!(g.value(*f), fields[i].value.as_deref(), "{}", f.name());
        }
        assert_eq!(g.values.len(), Field::COUNT.div_ceil(3), "an offset for each present field only");
        // Nothing rare to carry: no extras allocated; once given, they read back.
        assert!(g.extra.is_none());
        assert!(g.other_emails().is_empty() && g.other_phones().is_empty() && g.custom().is_empty());
        let mut g = Golden::new("G2".into(), vec![0, 1], &fields, vec!["a@x.no".into()], vec![], 0);
        g.set_custom(vec![GoldenField { value: Some("c".into()), rule: "test", from: Origin::One(1) }]);
        assert_eq!((g.other_emails(), g.custom()[0].value.as_deref()), (&["a@x.no".to_string()][..], Some("c")));
        let mut bare = Golden::new("G3".into(), vec![0], &fields, vec![], vec![], 0);
        bare.set_custom(Vec::new());
        assert!(bare.extra.is_none(), "empty custom fields allocate nothing");
    }
    use super::*;
    use crate::normalise::Cleaned;

    /// Builds a member row from (field, value) pairs.
    fn row(values: &[(Field, &str)]) -> CleanRow {
        let mut r = vec![Cleaned::missing(); Field::COUNT];
        for &(f, v) in values {
            r[f.index()] = Cleaned::valid(v.to_string());
        }
        CleanRow::pack(&r)
    }

    fn golden(clean: &[CleanRow], sources: &[&'static str]) -> Golden {
        let srcs: Vec<&str> = sources.to_vec();
        let source = move |i: usize| srcs[i];
        let register = crate::normalise::Register::new(Default::default(), clean.to_vec(), vec![]);
        let email_key = |i: usize| register.email_key(i);
        let custom = CustomValues::default();
        let rows =
            Rows { clean, source: Box::new(source), identity: &[], email_key: Box::new(email_key), custom: &custom };
        let ids = vec!["G1".to_string(); clean.len()];
        merge(&rows, &ids, &Survivorship::default()).remove(0)
    }

    #[test]
    fn default_rules_on_a_merged_customer() {
        use Field::*;
        let clean = vec![
            row(&[
                (FirstName, "Kari"),
                (LastName, "Hansen"),
                (Email, "kari@old.no"),
                (Street, "Storgata 1"),
                (Postcode, "0150"),
                (CreatedAt, "2015-01-01"),
                (LastActivityAt, "2019-05-01"),
                (OrderCount, "3"),
                (Revenue, "100.50"),
                (EmailConsent, "true"),
                (EmailBounced, "true"),
                (Unsubscribed, "false"),
                (Source, "store"),
            ]),
            row(&[
                (FirstName, "Kari"),
                (LastName, "Nordmann"),
                (Email, "kari@new.no"),
                (Street, "Kirkeveien 2"),
                (CreatedAt, "2018-03-01"),
                (LastActivityAt, "2024-02-02"),
                (OrderCount, "2"),
                (Revenue, "20"),
                (EmailConsent, "false"),
                (EmailBounced, "false"),
                (Source, "web"),
            ]),
        ];
        let g = golden(&clean, &["a.csv", "b.csv"]);
        let v = |f: Field| g.value(f).map(str::to_string);
        // (field, value, rule, from)
        let cases: [(Field, Option<&str>, &str, Origin); 12] = [
            (LastName, Some("Nordmann"), "most_recent", Origin::One(1)),
            (Street, Some("Kirkeveien 2"), "most_recent", Origin::One(1)),
            // The chosen member has no postcode and no member's address agrees with its street,
            // so the postcode falls back field by field: nothing a member had is lost, and the
            // audit names the member it came from.
            (Postcode, Some("0150"), "most_recent", Origin::One(0)),
            (Email, Some("kari@new.no"), "most_recent", Origin::One(1)),
            (OrderCount, Some("5"), "sum", Origin::Many(vec![0, 1])),
            (Revenue, Some("120.50"), "sum", Origin::Many(vec![0, 1])),
            (CreatedAt, Some("2015-01-01"), "earliest", Origin::One(0)),
            (LastActivityAt, Some("2024-02-02"), "latest", Origin::One(1)),
            // Consent, bounce and opt-out belong to the chosen address (member 1's): the old
            // address bounced, the chosen one did not, and only member 0 said anything about
            // unsubscribing, for its own address.
            (EmailConsent, Some("false"), "all_true", Origin::Many(vec![1])),
            (EmailBounced, Some("false"), "bounce_of_chosen_email", Origin::Many(vec![1])),
            (Unsubscribed, None, "any_true", Origin::Nobody),
            (Source, Some("store"), "oldest_member", Origin::One(0)),
        ];
        for (f, value, rule, from) in cases {
            assert_eq!(
                (v(f).as_deref(), Survivorship::default().rule_name(f), g.origin(f)),
                (value, rule, from),
                "{f}"
            );
        }
        assert_eq!(g.other_emails(), ["kari@old.no"]);
        assert_eq!(g.passthrough_member, 1);
    }

    /// Issue 25: twins merged, Sondre's address kept, Sindre's consent must not come with it.
    #[test]
    fn consent_travels_with_its_address() {
        use Field::*;
        let a = |consent: Option<&'static str>| {
            let mut v = vec![(Email, "a@x.no"), (Mobile, "+4791234567"), (LastActivityAt, "2024-01-01")];
            v.extend(consent.map(|c| (EmailConsent, c)));
            v.extend(consent.map(|c| (SmsConsent, c)));
            v
        };
        let b = vec![
            (Email, "b@x.no"),
            (Mobile, "+4798765432"),
            (LastActivityAt, "2020-01-01"),
            (EmailConsent, "true"),
            (SmsConsent, "true"),
            (Unsubscribed, "false"),
        ];
        // (row A's consent, golden consent on both channels)
        for (consent, expected) in [(Some("false"), Some("false")), (None, None), (Some("true"), Some("true"))] {
            let g = golden(&[row(&a(consent)), row(&b)], &["a.csv", "a.csv"]);
            assert_eq!(g.value(Email), Some("a@x.no"));
            assert_eq!(g.value(Mobile), Some("+4791234567"));
            for f in [EmailConsent, SmsConsent] {
                assert_eq!(g.value(f), expected, "{f} with A's consent {consent:?}");
                let from = if consent.is_some() { Origin::Many(vec![0]) } else { Origin::Nobody };
                assert_eq!(g.origin(f), from, "{f}: the audit names row A only");
            }
        }
        // B's opt-out for its own address stays with B; an opt-out recorded without any address
        // is kept (the restrictive value), a consent without an address is not.
        let with = |extra: &[(Field, &'static str)]| {
            let mut v = b.clone();
            v.retain(|(f, _)| !extra.iter().any(|(e, _)| e == f));
            v.extend_from_slice(extra);
            golden(&[row(&a(Some("true"))), row(&v)], &["a.csv", "a.csv"])
        };
        assert_eq!(with(&[(Unsubscribed, "true")]).value(Unsubscribed), None);
        let no_address = |extra: &[(Field, &'static str)]| {
            let mut c = vec![(LastActivityAt, "2019-01-01")];
            c.extend_from_slice(extra);
            golden(&[row(&a(Some("true"))), row(&c)], &["a.csv", "a.csv"])
        };
        assert_eq!(no_address(&[(Unsubscribed, "true")]).value(Unsubscribed), Some("true"));
        assert_eq!(no_address(&[(EmailConsent, "false")]).value(EmailConsent), Some("false"));
        assert_eq!(no_address(&[(EmailConsent, "true")]).origin(EmailConsent), Origin::Many(vec![0]));
        // The bounce of the other address does not follow either.
        assert_eq!(with(&[(EmailBounced, "true")]).value(EmailBounced), None);
    }

    /// Issue 25: the newest row's swapped or misspelt name won the golden record.
    #[test]
    fn names_survive_by_agreement() {
        use Field::*;
        let g = |names: &[(&'static str, &'static str, &'static str)]| {
            let clean: Vec<CleanRow> =
                names.iter().map(|&(f, l, at)| row(&[(FirstName, f), (LastName, l), (LastActivityAt, at)])).collect();
            let g = golden(&clean, &vec!["a.csv"; names.len()]);
            (g.value(FirstName).unwrap().to_string(), g.value(LastName).unwrap().to_string())
        };
        let both = |f: &str, l: &str| (f.to_string(), l.to_string());
        // (members as first, last, last activity; golden first and last)
        let cases = [
            (
                vec![
                    ("Tone", "Nilsen", "2020-01-01"),
                    ("Tone", "Nilsen", "2021-01-01"),
                    ("Nilsen", "Tone", "2024-01-01"),
                ],
                both("Tone", "Nilsen"),
            ),
            (
                vec![
                    ("Jonas", "Larsen", "2020-01-01"),
                    ("Jnas", "Larsen", "2024-01-01"),
                    ("Jonas", "Larsen", "2019-01-01"),
                ],
                both("Jonas", "Larsen"),
            ),
            (vec![("Kari", "Hansen", "2020-01-01"), ("Kari", "Hanssen", "2024-01-01")], both("Kari", "Hanssen")),
            (vec![("Tone", "Nilsen", "2020-01-01"), ("Nilsen", "Tone", "2024-01-01")], both("Nilsen", "Tone")),
            (vec![("Kari", "Hansen", "2020-01-01"), ("Kari", "Berg", "2024-01-01")], both("Kari", "Berg")),
            // One spelling written with and without umlauts counts twice against a typo.
            (
                vec![
                    ("Jürgen", "Müller", "2020-01-01"),
                    ("Juergen", "Mueller", "2019-01-01"),
                    ("Jürgen", "Müler", "2024-01-01"),
                ],
                both("Jürgen", "Müller"),
            ),
        ];
        for (members, expected) in cases {
            assert_eq!(g(&members), expected, "{members:?}");
        }
    }

    #[test]
    fn ties_go_to_the_first_member_in_input_order() {
        use Field::*;
        let clean = vec![
            row(&[(FirstName, "Ola"), (Email, "a@x.no"), (Gender, "male")]),
            row(&[(FirstName, "Ole"), (Email, "b@x.no"), (Gender, "female")]),
        ];
        let g = golden(&clean, &["a.csv", "a.csv"]);
        assert_eq!(g.value(FirstName), Some("Ola"));
        assert_eq!(g.value(Email), Some("a@x.no"));
        assert_eq!(g.value(Gender), Some("male"), "most_frequent tie");
    }

    #[test]
    fn each_rule_alone() {
        let s = |rule: &str, field: Field, values: &[&str]| -> Option<String> {
            let text = format!("default = \"most_recent\"\n[fields]\n{} = {}\n", field.name(), rule);
            let rules = Survivorship::parse(&text, std::path::Path::new("t.toml")).unwrap();
            let clean: Vec<CleanRow> =
                values.iter().map(|v| if v.is_empty() { row(&[]) } else { row(&[(field, v)]) }).collect();
            let src = |i: usize| ["crm.csv", "shop.csv", "sheet.csv"][i % 3];
            let register = crate::normalise::Register::new(Default::default(), clean.clone(), vec![]);
            let email_key = |i: usize| register.email_key(i);
            let custom = CustomValues::default();
            let rows = Rows {
                clean: &clean,
                source: Box::new(src),
                identity: &[],
                email_key: Box::new(email_key),
                custom: &custom,
            };
            let ids = vec!["G".to_string(); clean.len()];
            merge(&rows, &ids, &rules).remove(0).value(field).map(str::to_string)
        };
        use Field::*;
        let cases: [(&str, Field, &[&str], Option<&str>); 13] = [
            ("\"most_frequent\"", City, &["Oslo", "Bergen", "Bergen"], Some("Bergen")),
            ("\"most_complete\"", Street, &["Storg. 1", "Storgata 1", ""], Some("Storgata 1")),
            (
                "{ rule = \"source_priority\", priority = [\"shop.csv\", \"crm.csv\"] }",
                City,
                &["Oslo", "Bergen"],
                Some("Bergen"),
            ),
            ("{ rule = \"source_priority\", priority = [\"shop.csv\"] }", City, &["Oslo", "", "Molde"], Some("Oslo")),
            ("\"earliest\"", CreatedAt, &["2020-01-01", "2019-12-31"], Some("2019-12-31")),
            ("\"latest\"", LastOrderAt, &["2020-01-01", "2019-12-31"], Some("2020-01-01")),
            ("\"sum\"", Revenue, &["10", "2.5", "-1"], Some("11.50")),
            ("\"sum\"", OrderCount, &["", ""], None),
            ("\"max\"", Employees, &["9", "10", "2"], Some("10")),
            ("\"min\"", Revenue, &["9.50", "10", "-2"], Some("-2")),
            ("\"any_true\"", SmsConsent, &["false", "true"], Some("true")),
            ("\"all_true\"", SmsConsent, &["true", "", "false"], Some("false")),
            ("\"all_true\"", SmsConsent, &["true", "", "true"], Some("true")),
        ];
        for (rule, field, values, expected) in cases {
            assert_eq!(s(rule, field, values).as_deref(), expected, "{rule} on {values:?}");
        }
    }

    #[test]
    fn custom_fields_merge_by_their_declared_rule() {
        use crate::field::CustomField;
        use crate::normalise::Cleaned;
        // Member 0 is older and less recently active than member 1; member 2 has no dates.
        let clean = vec![
            row(&[(Field::CreatedAt, "2015-01-01"), (Field::LastActivityAt, "2020-01-01")]),
            row(&[(Field::CreatedAt, "2019-01-01"), (Field::LastActivityAt, "2024-01-01")]),
            row(&[]),
        ];
        // (kind, rule, each member's cleaned value, golden value, origin)
        type Case = (CustomKind, CustomRule, [&'static str; 3], Option<&'static str>, Origin);
        let cases: [Case; 9] = [
            (CustomKind::Text, CustomRule::MostRecent, ["lead", "customer", ""], Some("customer"), Origin::One(1)),
            (CustomKind::Text, CustomRule::Oldest, ["lead", "customer", ""], Some("lead"), Origin::One(0)),
            (CustomKind::Text, CustomRule::MostFrequent, ["gold", "silver", "silver"], Some("silver"), Origin::One(1)),
            (CustomKind::Number, CustomRule::Max, ["9", "10", "2.50"], Some("10"), Origin::One(1)),
            (CustomKind::Number, CustomRule::Min, ["9", "10", "2.50"], Some("2.50"), Origin::One(2)),
            (CustomKind::Date, CustomRule::Max, ["2024-01-31", "2023-12-01", ""], Some("2024-01-31"), Origin::One(0)),
            (
                CustomKind::Tags,
                CustomRule::Union,
                ["hiking;yoga", "", "cooking;hiking"],
                Some("cooking;hiking;yoga"),
                Origin::Many(vec![0, 2]),
            ),
            (
                CustomKind::Tags,
                CustomRule::MostRecent,
                ["hiking;yoga", "", "cooking"],
                Some("hiking;yoga"),
                Origin::One(0),
            ),
            (CustomKind::Text, CustomRule::MostRecent, ["", "", ""], None, Origin::Nobody),
        ];
        for (kind, rule, values, value, from) in cases {
            let spec = CustomField { name: "x".into(), column: "X".into(), kind, rule };
            let cells: Vec<Vec<Cleaned>> = values
                .iter()
                .map(|v| vec![if v.is_empty() { Cleaned::missing() } else { Cleaned::valid(v.to_string()) }])
                .collect();
            let custom = CustomValues::from_cells(&[spec], vec![true], &cells);
            let source = |_: usize| "a.csv";
            let email_key = |_: usize| "";
            let rows = Rows {
                clean: &clean,
                source: Box::new(source),
                identity: &[],
                email_key: Box::new(email_key),
                custom: &custom,
            };
            let g = merge(&rows, &vec!["G".to_string(); 3], &Survivorship::default()).remove(0);
            let got = &g.custom()[0];
            assert_eq!((got.value.as_deref(), &got.from, got.rule), (value, &from, rule.name()), "{kind:?} {rule:?}");
        }
    }

    /// Issue 26: two rows of one company each carry its revenue; summing them doubled it. A
    /// golden account keeps the most recent figure, with that row's currency, while a person's
    /// revenue is still the sum of their rows' orders.
    #[test]
    fn a_golden_account_keeps_its_figures_a_person_sums_them() {
        use Field::*;
        let company = |revenue: &'static str, currency: &'static str, employees: &'static str, at: &'static str| {
            vec![
                (Company, "Nordlys AS"),
                (Website, "nordlys.no"),
                (Revenue, revenue),
                (Currency, currency),
                (Employees, employees),
                (OrderCount, "2"),
                (LastActivityAt, at),
            ]
        };
        let clean = [
            row(&company("12000000", "NOK", "80", "2024-01-01")),
            row(&company("11000000", "EUR", "95", "2020-01-01")),
        ];
        let g = golden(&clean, &["crm.csv", "erp.csv"]);
        assert_eq!(g.kind(), EntityKind::Organisation);
        let rules = Survivorship::default();
        let cases = [
            (Revenue, "12000000", "most_recent", Origin::One(0)),
            (Currency, "NOK", "most_recent", Origin::One(0)),
            (Employees, "80", "most_recent", Origin::One(0)),
            (OrderCount, "4", "sum", Origin::Many(vec![0, 1])),
            (Website, "nordlys.no", "most_recent", Origin::One(0)),
        ];
        for (f, value, rule, from) in cases {
            assert_eq!(
                (g.value(f), rules.for_kind(g.kind()).rule_name(f), g.origin(f)),
                (Some(value), rule, from),
                "{f}"
            );
        }
        // The same rows with a person's name: a customer, whose revenue adds up.
        let person = |mut v: Vec<(Field, &'static str)>| {
            v.push((FirstName, "Kari"));
            row(&v)
        };
        let clean =
            [person(company("100", "NOK", "80", "2024-01-01")), person(company("20.50", "NOK", "95", "2020-01-01"))];
        let g = golden(&clean, &["crm.csv", "erp.csv"]);
        assert_eq!(g.kind(), EntityKind::PersonAtOrganisation);
        assert_eq!((g.value(Revenue), g.value(Employees)), (Some("120.50"), Some("95")));
    }

    /// For random registers: every field of every golden record is filled exactly when some
    /// member has a value for it, and a filled field names a member that has that value.
    #[test]
    fn nothing_a_member_had_is_lost() {
        use Field::*;
        let mut state = 0x1234_5678_9ABC_DEF0u64;
        let mut next = move |n: u64| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        let pool: [(Field, &[&str]); 12] = [
            (FirstName, &["Kari", "Ola"]),
            (LastName, &["Nordmann", "Hansen"]),
            (NameSuffix, &["Jr"]),
            (Email, &["kari@x.no", "ola@y.no"]),
            (Street, &["Storgata 1", "Kirkeveien 9"]),
            (Postcode, &["0150", "5003"]),
            (City, &["Oslo", "Bergen"]),
            (Region, &["Oslo", "Vestland"]),
            (Country, &["NO"]),
            (Company, &["Nordlys AS"]),
            (OrgNumber, &["923609016"]),
            (Industry, &["Retail"]),
        ];
        for _ in 0..300 {
            let members = 1 + next(4) as usize;
            let clean: Vec<CleanRow> = (0..members)
                .map(|_| {
                    let mut values: Vec<(Field, &str)> = Vec::new();
                    for (f, vs) in &pool {
                        if next(3) > 0 {
                            values.push((*f, vs[next(vs.len() as u64) as usize]));
                        }
                    }
                    row(&values)
                })
                .collect();
            let sources = vec!["a.csv"; members];
            let g = golden(&clean, &sources);
            for &f in Field::ALL {
                let anyone = clean.iter().any(|r| r.value(f).is_some());
                if matches!(Survivorship::default().rule_for(f), Rule::Sum | Rule::AnyTrue | Rule::AllTrue) {
                    continue;
                }
                assert_eq!(g.value(f).is_some(), anyone, "{}: {:?}", f.name(), g.value(f));
                if let (Some(v), Origin::One(m)) = (g.value(f), g.origin(f)) {
                    assert_eq!(clean[m].value(f), Some(v), "{} came from a member that has it", f.name());
                }
            }
        }
    }
}
