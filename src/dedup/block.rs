//! Blocking: make candidate pairs, and nothing else.
//!
//! Comparing every record with every other is O(n²); instead each blocking rule groups records
//! that share a key (e-mail key, phone, folded last name + birth date, ...), and only records in
//! the same group become candidate pairs. Rules are OR-ed: a pair is a candidate if any rule
//! puts both records in one group. A pair is produced only by the first rule that finds it: when
//! rule k finds a pair, it is dropped if an earlier rule shares a key for it, so pairs are
//! deduplicated across rules without holding a set of all pairs in memory. A group larger than
//! the cap (a key that is far too common, such as an empty-looking placeholder) is skipped and
//! reported instead of exploding into millions of pairs.

use super::features::Features;
use rayon::prelude::*;
use std::hash::{Hash, Hasher};

/// One part of a blocking key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPart {
    EmailKey,
    /// The e-mail's local part (`kari.nordmann` of `kari.nordmann@gmail.com`), so an address with
    /// a typo in its domain still meets the right one.
    EmailLocal,
    /// Any of the record's phones (a record with two phones has two keys).
    Phone,
    First,
    FirstPhonetic,
    FirstInitial,
    Last,
    LastPhonetic,
    BirthDate,
    BirthYear,
    Postcode,
    City,
    Street,
    NationalId,
    OrgNumber,
    /// First and last name in alphabetical order, so `Ola Hansen` and `Hansen Ola` share it.
    NameSet,
    /// An organisation's company name key (`normalise::company::company_key`).
    OrgName,
    /// The rarest word of an organisation's name.
    OrgWord,
    /// An organisation's website host.
    Website,
}

impl KeyPart {
    pub const ALL: &'static [(&'static str, KeyPart)] = &[
        ("email", KeyPart::EmailKey),
        ("email_local", KeyPart::EmailLocal),
        ("phone", KeyPart::Phone),
        ("first_name", KeyPart::First),
        ("first_name_phonetic", KeyPart::FirstPhonetic),
        ("first_initial", KeyPart::FirstInitial),
        ("last_name", KeyPart::Last),
        ("last_name_phonetic", KeyPart::LastPhonetic),
        ("birth_date", KeyPart::BirthDate),
        ("birth_year", KeyPart::BirthYear),
        ("postcode", KeyPart::Postcode),
        ("city", KeyPart::City),
        ("street", KeyPart::Street),
        ("national_id", KeyPart::NationalId),
        ("org_number", KeyPart::OrgNumber),
        ("name_set", KeyPart::NameSet),
        ("org_name", KeyPart::OrgName),
        ("org_word", KeyPart::OrgWord),
        ("website", KeyPart::Website),
    ];

    pub fn from_name(name: &str) -> Option<KeyPart> {
        KeyPart::ALL.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }

    pub fn name(self) -> &'static str {
        KeyPart::ALL.iter().find(|(_, k)| *k == self).map(|(n, _)| *n).unwrap_or("?")
    }
}

/// A blocking rule: records whose key parts are all present and equal become candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockingRule {
    pub name: String,
    pub keys: Vec<KeyPart>,
}

impl BlockingRule {
    pub fn new(keys: &[KeyPart]) -> BlockingRule {
        BlockingRule { name: keys.iter().map(|k| k.name()).collect::<Vec<_>>().join("+"), keys: keys.to_vec() }
    }
}

/// The rules used when the config names none. Each catches duplicates the others miss: a
/// shared contact, a typo in the name with the same birth date, a moved person with the same
/// name sound, a changed surname with the same first name and birth date.
pub fn default_rules() -> Vec<BlockingRule> {
    use KeyPart::*;
    [
        &[EmailKey][..],
        &[Phone],
        &[NationalId],
        &[Last, BirthDate],
        &[FirstInitial, BirthDate],
        &[FirstPhonetic, Postcode],
        &[LastPhonetic, Postcode, FirstInitial],
        &[FirstPhonetic, LastPhonetic, BirthYear],
        &[NameSet, BirthYear],
        &[BirthDate, Postcode],
        &[Last, Street],
        // Keys that need neither a birth date nor a place, for registers without contact data
        // or with a birth year missing or mistyped (RLdata10000, Splink's fake_1000, historical
        // registers). Small registers keep them whole; in a large one the budget narrows them
        // (a common full name alone would otherwise make millions of pairs).
        &[NameSet],
        &[FirstPhonetic, LastPhonetic],
        &[LastPhonetic, FirstInitial],
        &[BirthDate],
        &[EmailLocal],
        &[FirstPhonetic, City],
        // A surname in one town or postcode: archives whose given names are cut, abbreviated
        // or replaced by a title (historical_50k: 23,500 of its 103,000 true pairs no other
        // rule compared), and people whose first name a register garbles.
        &[Last, City],
        &[Last, Postcode],
        &[First, BirthDate],
        // Each name free while the other and the birth year hold: training learns how often
        // duplicates spell a surname or a given name differently only from rules that leave
        // it free, and in a register of names and birth years alone every other rule keys on
        // both (name_year_relatives: m stayed at its starting guess, 0.582 -> 0.684).
        &[FirstInitial, BirthYear],
        &[LastPhonetic, BirthYear],
        // A postcode alone: where postcodes are fine-grained (a UK postcode is a street),
        // people whose names a register garbles beyond any name key (historical_50k: blocking
        // recall 0.747 -> 0.781). Where a postcode is a whole town the budget narrows it.
        &[Postcode],
        // Organisations (their keys are empty for persons): the name, the website, the org
        // number, and a distinctive word of the name in one town or alone, for the names that
        // gain or lose a word (`Philips Electronics`, `Koninklijke Philips`).
        &[OrgName],
        &[Website],
        &[OrgNumber],
        &[OrgWord, City],
        &[OrgWord],
    ]
    .iter()
    .map(|k| BlockingRule::new(k))
    .collect()
}

/// Default largest group a rule may expand into pairs.
pub const DEFAULT_MAX_BLOCK: usize = 500;

/// Default budget of one rule's pairs per record: a rule whose groups would make more pairs than
/// this many times the number of records is narrowed (see [`narrowed`]).
pub const DEFAULT_MAX_PAIRS_PER_RECORD: f64 = 3.0;

/// The pairs a rule's groups make before deduplication across rules (groups over `max_block`
/// are skipped, as in [`rule_pairs`]).
pub fn pair_count(keys: &[Keys], max_block: usize) -> u64 {
    pair_count_sorted(&sorted_hashes(keys), max_block)
}

/// Every key hash of a rule's records, sorted, zeros (no key) left out: what [`pair_count`] and
/// [`capped_keys`] read, sorted once for both.
pub fn sorted_hashes(keys: &[Keys]) -> Vec<u64> {
    let mut hashes = nonzero_hashes(keys);
    hashes.par_sort_unstable();
    hashes
}

/// The keys' hashes but 0, in a vector sized once: grown by doubling, a rule's hashes (8 MB a
/// million records) would leave their smaller copies behind in memory while blocking peaks.
fn nonzero_hashes(keys: &[Keys]) -> Vec<u64> {
    let count = keys.par_iter().map(|k| k.iter().filter(|&&h| h != 0).count()).sum();
    let mut hashes = Vec::with_capacity(count);
    hashes.extend(keys.iter().flat_map(|k| k.iter().copied()).filter(|&h| h != 0));
    hashes
}

/// [`pair_count`] of [`sorted_hashes`].
pub fn pair_count_sorted(hashes: &[u64], max_block: usize) -> u64 {
    hashes
        .chunk_by(|a, b| a == b)
        .map(|g| g.len() as u64)
        .filter(|&n| n as usize <= max_block)
        .map(|n| n * (n - 1) / 2)
        .sum()
}

/// A narrower version of a rule that makes too many pairs: the rule with one more key part, the
/// first of birth year, postcode, first initial and last name sound that it does not already
/// imply. A key common to ever more records in a growing register (the same initial and birth
/// date, the same first name sound and postcode) stays usable at ten million records, at the
/// price of missing pairs that differ in the added part. `None` when nothing is left to add.
pub fn narrowed(rule: &BlockingRule) -> Option<BlockingRule> {
    use KeyPart::*;
    let has = |k: KeyPart| rule.keys.contains(&k);
    // An organisation's rule narrows by place: organisations have no birth date or first name.
    if [OrgName, OrgWord, Website, OrgNumber].iter().any(|&k| has(k)) {
        let extra = [Postcode, City].into_iter().find(|&k| !has(k))?;
        let mut keys = rule.keys.clone();
        keys.push(extra);
        return Some(BlockingRule::new(&keys));
    }
    let implied = |k: KeyPart| match k {
        BirthYear => has(BirthYear) || has(BirthDate),
        FirstInitial => has(FirstInitial) || has(First) || has(NameSet),
        LastPhonetic => has(LastPhonetic) || has(Last) || has(NameSet),
        other => has(other),
    };
    let extra = [BirthYear, Postcode, FirstInitial, LastPhonetic].into_iter().find(|&k| !implied(k))?;
    let mut keys = rule.keys.clone();
    keys.push(extra);
    Some(BlockingRule::new(&keys))
}

/// The keys shared by more than `max_block` records.
pub fn capped_keys(keys: &[Keys], max_block: usize) -> std::collections::HashSet<u64> {
    capped_sorted(&sorted_hashes(keys), max_block)
}

/// [`capped_keys`] of [`sorted_hashes`].
pub fn capped_sorted(hashes: &[u64], max_block: usize) -> std::collections::HashSet<u64> {
    hashes.chunk_by(|a, b| a == b).filter(|g| g.len() > max_block).map(|g| g[0]).collect()
}

/// Splits the groups of a rule that are larger than the cap by the next key part (the key of
/// [`narrowed`]), again and again until they fit or no part is left: a too-common e-mail or
/// phone is compared within its birth year, then postcode, instead of not at all. Only the
/// records of an over-cap group get the longer key, so the rest of the rule is unchanged.
/// Returns how many groups were split.
pub fn split_capped(keys: &mut [Keys], rule: &BlockingRule, features: &[Features], max_block: usize) -> u64 {
    let mut split = 0u64;
    let mut narrower = narrowed(rule);
    while let Some(next) = narrower {
        let capped = capped_keys(keys, max_block);
        if capped.is_empty() {
            break;
        }
        split += capped.len() as u64;
        keys.par_iter_mut().zip(features).for_each(|(ks, f)| {
            if !ks.iter().any(|h| *h != 0 && capped.contains(h)) {
                return;
            }
            let sub = rule_keys(&next, f);
            for (slot, h) in ks.iter_mut().enumerate() {
                if *h != 0 && capped.contains(h) {
                    let s = if sub[slot] != 0 { sub[slot] } else { sub[0] };
                    // A record without the next part cannot be placed in a smaller group.
                    *h = if s == 0 { 0 } else { (h.rotate_left(17) ^ s.wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1 };
                }
            }
        });
        narrower = narrowed(&next);
    }
    split
}

/// Up to two key hashes of one record under one rule (two only for a record with two phones);
/// 0 means no key.
pub type Keys = [u64; 2];

/// One rule's key hashes for every record, stored as 8 bytes a record: the second key of a
/// record (a second phone) is kept only for rules where some record has one. Seventeen rules at
/// ten million records are 1.4 GB this way rather than 2.7 GB.
#[derive(Debug, Clone, Default)]
pub struct RuleKeys {
    first: Vec<u64>,
    /// Empty when no record has a second key.
    second: Vec<u64>,
    /// Groups larger than the cap, whose keys were removed, and the size of the largest.
    capped_blocks: u64,
    largest_capped_block: u64,
}

impl RuleKeys {
    /// Frees the keys, keeping what [`rule_stats`] reports: once training has made every
    /// rule's pairs, scoring needs no key.
    pub fn release(&mut self) {
        self.first = Vec::new();
        self.second = Vec::new();
    }

    /// Bytes the keys hold, for the memory model.
    pub fn bytes(&self) -> usize {
        8 * (self.first.len() + self.second.len())
    }

    /// Keeps a rule's keys, less those shared by more than `max_block` records: such a group is
    /// not compared, so its key must not count as "found by this rule" for later rules either
    /// (a shared info@ address would otherwise keep everyone who has it from being compared by
    /// name and birth date).
    pub fn new(mut keys: Vec<Keys>, max_block: usize) -> RuleKeys {
        let mut all = nonzero_hashes(&keys);
        all.par_sort_unstable();
        let mut capped = std::collections::HashSet::new();
        let (mut capped_blocks, mut largest_capped_block) = (0u64, 0u64);
        for g in all.chunk_by(|a, b| a == b).filter(|g| g.len() > max_block) {
            capped.insert(g[0]);
            capped_blocks += 1;
            largest_capped_block = largest_capped_block.max(g.len() as u64);
        }
        if !capped.is_empty() {
            for k in &mut keys {
                for h in k.iter_mut() {
                    if capped.contains(h) {
                        *h = 0;
                    }
                }
            }
        }
        let second = if keys.iter().any(|k| k[1] != 0) { keys.iter().map(|k| k[1]).collect() } else { Vec::new() };
        RuleKeys { first: keys.iter().map(|k| k[0]).collect(), second, capped_blocks, largest_capped_block }
    }

    /// [`RuleKeys::new`] for keys of which no group is over the cap ([`capped_sorted`] found
    /// none): nothing to remove, so no second sort.
    pub fn uncapped(keys: Vec<Keys>) -> RuleKeys {
        let second = if keys.iter().any(|k| k[1] != 0) { keys.iter().map(|k| k[1]).collect() } else { Vec::new() };
        RuleKeys { first: keys.iter().map(|k| k[0]).collect(), second, capped_blocks: 0, largest_capped_block: 0 }
    }

    /// No record has a key: a rule that cannot apply to this register ([`applies`]).
    pub fn none() -> RuleKeys {
        RuleKeys { first: Vec::new(), second: Vec::new(), capped_blocks: 0, largest_capped_block: 0 }
    }

    /// Record `i`'s keys (0 for none).
    #[inline]
    pub fn get(&self, i: usize) -> Keys {
        [self.first.get(i).copied().unwrap_or(0), self.second.get(i).copied().unwrap_or(0)]
    }

    pub fn len(&self) -> usize {
        self.first.len()
    }

    /// Starts loading record `i`'s keys into the cache (a hint; see `features::prefetch`).
    #[inline]
    pub fn prefetch(&self, i: usize) {
        if let Some(k) = self.first.get(i) {
            super::features::prefetch_line((k as *const u64).cast::<u8>());
        }
        if let Some(k) = self.second.get(i) {
            super::features::prefetch_line((k as *const u64).cast::<u8>());
        }
    }

    pub fn is_empty(&self) -> bool {
        self.first.is_empty()
    }
}

fn part_values(f: &Features, part: KeyPart) -> [&str; 2] {
    match part {
        KeyPart::EmailKey => [f.email_key(), ""],
        KeyPart::EmailLocal => [f.email_local(), ""],
        KeyPart::Phone => {
            let mut phones = f.phones();
            [phones.next().unwrap_or(""), phones.next().unwrap_or("")]
        }
        // A record with one name only is keyed by it in both slots: `Vansittart` in the
        // first-name field meets `Harriet Vansittart` by surname and town (see
        // `compare::sole_name_in_other_slot`).
        KeyPart::First => [or(f.first(), f.last()), ""],
        KeyPart::FirstPhonetic => [or(f.first_phonetic(), f.last_phonetic()), ""],
        KeyPart::FirstInitial => {
            let name = or(f.first(), f.last());
            [name.get(..name.ceil_char_boundary(1)).unwrap_or(""), ""]
        }
        KeyPart::Last => [or(f.last(), f.first()), ""],
        KeyPart::LastPhonetic => [or(f.last_phonetic(), f.first_phonetic()), ""],
        KeyPart::BirthDate | KeyPart::BirthYear => ["", ""],
        KeyPart::Postcode => [f.postcode(), ""],
        KeyPart::City => [f.city(), ""],
        KeyPart::Street => [f.street_key(), ""],
        KeyPart::NationalId => [f.national_id(), ""],
        KeyPart::OrgNumber => [f.org_number(), ""],
        KeyPart::NameSet => [f.name_set(), ""],
        KeyPart::OrgName => [f.org_name(), ""],
        KeyPart::OrgWord => [org_word(f), ""],
        KeyPart::Website => [f.website(), ""],
    }
}

/// The rarest word of an organisation's name (by `Features::org_weights`, the first of equals):
/// `Philips` of `Koninklijke Philips Electronics` meets `Philips Electronics` and `US Philips`.
/// One key only: a name's second rarest word is most often a trade's (`bakeri`, `holding`),
/// whose blocks in a large register hold thousands.
fn org_word(f: &Features) -> &str {
    let words = f.org_name().split(' ').filter(|w| !w.is_empty());
    let mut best: Option<(u8, &str)> = None;
    for (i, w) in words.enumerate() {
        let weight = f.org_weights.get(i).copied().unwrap_or(0);
        if best.is_none_or(|(b, _)| weight > b) {
            best = Some((weight, w));
        }
    }
    best.map_or("", |(_, w)| w)
}

/// `x`, or `y` when `x` is empty.
fn or<'a>(x: &'a str, y: &'a str) -> &'a str {
    if x.is_empty() { y } else { x }
}

/// Whether a rule can give any record of a register a key: a rule on a person's name, birth
/// date or national id finds nothing among organisations, one on a company's name or website
/// nothing among persons. Keying a million records under a rule that cannot apply costs as much
/// as under one that does.
pub fn applies(rule: &BlockingRule, any_person: bool, any_org: bool) -> bool {
    use KeyPart::*;
    let person_only = |k: &KeyPart| {
        matches!(
            k,
            First | FirstPhonetic | FirstInitial | Last | LastPhonetic | BirthDate | BirthYear | NameSet | NationalId
        )
    };
    let org_only = |k: &KeyPart| matches!(k, OrgName | OrgWord | Website);
    (any_person || !rule.keys.iter().any(person_only)) && (any_org || !rule.keys.iter().any(org_only))
}

/// The key hashes of a record under a rule. A key's hash is only ever compared for equality
/// (records that share it form a group; pairs are sorted by record, never by key), so the hash
/// is an equality hash ([`super::keyhash`]): every rule keys every record.
pub fn rule_keys(rule: &BlockingRule, f: &Features) -> Keys {
    use std::hash::BuildHasher;
    let state = super::keyhash::state();
    let mut out = [0u64; 2];
    // Only a phone gives a record a second key: under any other rule the second slot would
    // hash the first's values again to find none.
    let slots = if rule.keys.contains(&KeyPart::Phone) { 2 } else { 1 };
    for (slot, out_slot) in out.iter_mut().enumerate().take(slots) {
        let mut h = state.build_hasher();
        let mut ok = true;
        let mut used_second = false;
        for &part in &rule.keys {
            match part {
                KeyPart::BirthDate => match f.birth {
                    Some(d) if !f.birth_year_only => d.hash(&mut h),
                    _ => ok = false,
                },
                KeyPart::BirthYear => match f.birth {
                    Some(d) => d.year.hash(&mut h),
                    None => ok = false,
                },
                _ => {
                    let vals = part_values(f, part);
                    let v = if slot == 1 && !vals[1].is_empty() {
                        used_second = true;
                        vals[1]
                    } else {
                        vals[0]
                    };
                    if v.is_empty() {
                        ok = false;
                    }
                    v.hash(&mut h);
                }
            }
            (part as u8).hash(&mut h);
        }
        // Organisations and persons never share a key: a company and a person at its address or
        // phone are not one customer.
        if f.is_org {
            0xA5u8.hash(&mut h);
        }
        if ok && (slot == 0 || used_second) {
            *out_slot = h.finish() | 1;
        }
    }
    out
}

/// What blocking did under one rule, for the report.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RuleStats {
    pub rule: String,
    /// The configured rule when it made too many pairs for this register and was narrowed
    /// into `rule`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narrowed_from: Option<String>,
    /// Pairs this rule found that no earlier rule had found.
    pub candidate_pairs: u64,
    /// Groups larger than the cap that were split by the next key part of the rule (the one
    /// [`narrowed`] adds) until they fit; only the records of such a group get the longer key.
    pub split_blocks: u64,
    /// Groups larger than the cap even after splitting, skipped.
    pub capped_blocks: u64,
    /// Records in the largest skipped group.
    pub largest_capped_block: u64,
}

/// The candidate pairs of one rule (`i < j`, sorted), skipping those an earlier rule found.
/// `keys[r][i]` holds record i's keys under rule r.
pub fn rule_pairs(rule_index: usize, keys: &[RuleKeys], max_block: usize, stats: &mut RuleStats) -> Vec<(u32, u32)> {
    let pairs = group_pairs_new(rule_index, keys, max_block, stats);
    stats.candidate_pairs = pairs.len() as u64;
    pairs
}

/// The groups of one rule that were skipped for being over the cap, for a rule whose pairs were
/// made by [`rule_pairs_all`] (which leaves `stats` as it found it).
pub fn rule_stats(rule_index: usize, keys: &[RuleKeys], stats: &mut RuleStats) {
    stats.capped_blocks = keys[rule_index].capped_blocks;
    stats.largest_capped_block = keys[rule_index].largest_capped_block;
}

/// The vector one rule's pairs are made in, kept from rule to rule: each rule's would otherwise
/// be freed as the next, of another size, is allocated, and memory would hold both while
/// training peaks (ARCHITECTURE.md, "Memory model").
#[derive(Debug, Default)]
pub struct PairBuffers {
    pairs: Vec<u64>,
}

/// A pair `i < j` and whether it is new, in 8 bytes ([`rule_pairs_all`]): ordered as the
/// triple (i, j, new). Rows are fewer than 2^31.
#[inline]
fn pack_pair(i: u32, j: u32, new: bool) -> u64 {
    (u64::from(i) << 32) | (u64::from(j) << 1) | u64::from(new)
}

/// The pair, and whether it is new, that [`rule_pairs_all`] packed.
#[inline]
pub fn unpack_pair(p: u64) -> (u32, u32, bool) {
    ((p >> 32) as u32, ((p & 0xffff_ffff) >> 1) as u32, p & 1 == 1)
}

/// Every pair of one rule (`i < j`, sorted), each with whether it is new (no earlier rule found
/// it), packed ([`unpack_pair`]). Training learns m per rule from all of a rule's pairs:
/// dropping the ones an earlier rule found would bias the rule's sample (the name-only rule
/// would lose exactly the duplicates whose birth dates agree).
pub fn rule_pairs_all<'b>(
    rule_index: usize,
    keys: &[RuleKeys],
    max_block: usize,
    buffers: &'b mut PairBuffers,
) -> &'b [u64] {
    assert!(keys[rule_index].len() < 1 << 31, "a register of fewer than 2^31 rows");
    let (members, ends) = groups(&keys[rule_index], max_block, &mut RuleStats::default());
    let group = |g: usize| &members[if g == 0 { 0 } else { ends[g - 1] }..ends[g]];
    let earlier = &keys[..rule_index];
    // Every pair of every group, whose number is known (a group's records are distinct, as
    // `groups` takes each (key, record) once): written in place into one vector of that size,
    // where collecting each task's pairs first would hold them twice.
    const GROUPS: usize = 256;
    let pairs = &mut buffers.pairs;
    let counts: Vec<usize> = (0..ends.len())
        .step_by(GROUPS)
        .map(|c| (c..(c + GROUPS).min(ends.len())).map(|g| group(g).len() * (group(g).len() - 1) / 2).sum())
        .collect();
    pairs.clear();
    pairs.resize(counts.iter().sum(), 0);
    let mut parts = Vec::with_capacity(counts.len());
    let mut rest = &mut pairs[..];
    for (c, &count) in counts.iter().enumerate() {
        let (part, tail) = rest.split_at_mut(count);
        parts.push((c * GROUPS..((c + 1) * GROUPS).min(ends.len()), part));
        rest = tail;
    }
    parts.into_par_iter().for_each(|(range, out)| {
        let mut k = 0;
        for g in range.clone() {
            prefetch_ahead(earlier, (g + 2 < range.end).then(|| group(g + 2)));
            let g = group(g);
            for a in 0..g.len() {
                for b in a + 1..g.len() {
                    let (i, j) = (g[a].min(g[b]), g[a].max(g[b]));
                    out[k] = pack_pair(i, j, is_new(earlier, i, j));
                    k += 1;
                }
            }
        }
    });
    drop((members, ends));
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

/// The groups of a rule's records that make pairs (sharing a key, at most `max_block` of them):
/// their records one group after another, and where each group ends. Only the records are kept:
/// the keys sorted (`entries`, 16 bytes a keyed record) are done with before the pairs are made.
fn groups(mine: &RuleKeys, max_block: usize, stats: &mut RuleStats) -> (Vec<u32>, Vec<usize>) {
    let mut entries: Vec<(u64, u32)> = Vec::with_capacity(mine.len());
    for i in 0..mine.len() {
        for k in mine.get(i) {
            if k != 0 {
                entries.push((k, i as u32));
            }
        }
    }
    entries.par_sort_unstable();
    entries.dedup();
    stats.capped_blocks = mine.capped_blocks;
    stats.largest_capped_block = mine.largest_capped_block;
    let (mut members, mut ends) = (Vec::new(), Vec::new());
    for g in entries.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1 && g.len() <= max_block) {
        members.extend(g.iter().map(|&(_, i)| i));
        ends.push(members.len());
    }
    (members, ends)
}

/// The groups [`groups`] found, as slices of their records.
fn slices<'a>(members: &'a [u32], ends: &[usize]) -> Vec<&'a [u32]> {
    let mut start = 0;
    ends.iter()
        .map(|&end| {
            let g = &members[start..end];
            start = end;
            g
        })
        .collect()
}

/// Whether no earlier rule found the pair.
#[inline]
fn is_new(earlier: &[RuleKeys], i: u32, j: u32) -> bool {
    !earlier.iter().any(|r| shares_key(&r.get(i as usize), &r.get(j as usize)))
}

/// Whether an earlier rule found a pair reads every earlier rule's keys of both records: random
/// reads from a million records per rule. The keys of the group two ahead are fetched while
/// this one is paired, so those reads find them in cache.
#[inline]
fn prefetch_ahead(earlier: &[RuleKeys], ahead: Option<&[u32]>) {
    if let Some(ahead) = ahead {
        for &m in ahead.iter() {
            for r in earlier {
                r.prefetch(m as usize);
            }
        }
    }
}

/// The pairs of one rule that no earlier rule found (`i < j`, sorted).
fn group_pairs_new(rule_index: usize, keys: &[RuleKeys], max_block: usize, stats: &mut RuleStats) -> Vec<(u32, u32)> {
    let (members, ends) = groups(&keys[rule_index], max_block, stats);
    let groups = slices(&members, &ends);
    let earlier = &keys[..rule_index];
    let mut pairs: Vec<(u32, u32)> = groups
        .par_chunks(256)
        .flat_map_iter(|chunk| chunk.iter().enumerate().map(|(x, g)| (chunk.get(x + 2), g)))
        .flat_map_iter(|(ahead, g)| {
            prefetch_ahead(earlier, ahead.copied());
            let mut out = Vec::new();
            for a in 0..g.len() {
                for b in a + 1..g.len() {
                    let (i, j) = (g[a].min(g[b]), g[a].max(g[b]));
                    if i != j && is_new(earlier, i, j) {
                        out.push((i, j));
                    }
                }
            }
            out
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

/// The comparisons a rule's keys agree on by construction: within the rule's pairs they carry
/// no information about who is a match, so training leaves them out of the rule's session.
pub fn comparisons_used(rule: &BlockingRule) -> [bool; super::compare::N] {
    use super::compare::*;
    let mut used = [false; N];
    for &k in &rule.keys {
        let cs: &[usize] = match k {
            KeyPart::EmailKey | KeyPart::EmailLocal => &[EMAIL],
            KeyPart::Phone => &[PHONE],
            KeyPart::First | KeyPart::FirstPhonetic | KeyPart::FirstInitial => &[FIRST_NAME],
            KeyPart::Last | KeyPart::LastPhonetic => &[LAST_NAME],
            KeyPart::NameSet => &[FIRST_NAME, LAST_NAME],
            KeyPart::BirthDate | KeyPart::BirthYear => &[BIRTH_DATE],
            KeyPart::Postcode | KeyPart::City | KeyPart::Street => &[ADDRESS],
            KeyPart::NationalId => &[NATIONAL_ID],
            KeyPart::OrgNumber => &[ORG_NUMBER],
            KeyPart::OrgName | KeyPart::OrgWord => &[ORG_NAME],
            KeyPart::Website => &[WEBSITE],
        };
        for &c in cs {
            used[c] = true;
        }
    }
    used
}

fn shares_key(a: &Keys, b: &Keys) -> bool {
    a.iter().any(|&x| x != 0 && b.contains(&x))
}

#[cfg(test)]
mod tests {
    use super::*;
    use KeyPart::*;

    #[test]
    fn a_rule_applies_only_where_its_keys_can_exist() {
        let name = BlockingRule::new(&[Last, BirthDate]);
        let company = BlockingRule::new(&[OrgWord, City]);
        let shared = BlockingRule::new(&[Phone]);
        // (any person, any organisation) -> (name rule, company rule, shared rule)
        for (person, org, want) in
            [(true, false, (true, false, true)), (false, true, (false, true, true)), (true, true, (true, true, true))]
        {
            let got = (applies(&name, person, org), applies(&company, person, org), applies(&shared, person, org));
            assert_eq!(got, want, "persons {person}, organisations {org}");
        }
        let none = RuleKeys::none();
        assert_eq!((none.len(), none.get(7)), (0, [0, 0]));
    }

    #[test]
    fn pair_count_sums_groups_and_skips_those_over_the_cap() {
        // Keys: a group of 3 (3 pairs), a group of 2 (1 pair), one alone, one record with two
        // phones in two groups, no key (0). With a cap of 2 the group of 3 is skipped.
        let keys: Vec<Keys> = vec![[7, 0], [7, 0], [7, 9], [9, 0], [5, 0], [0, 0]];
        assert_eq!(pair_count(&keys, 500), 3 + 1);
        assert_eq!(pair_count(&keys, 2), 1);
    }

    #[test]
    fn narrowing_adds_the_first_part_the_rule_does_not_imply() {
        let names = |r: Option<BlockingRule>| r.map(|r| r.name);
        let narrow = |keys: &[KeyPart]| names(narrowed(&BlockingRule::new(keys)));
        // A birth date implies the year, so postcode comes next.
        assert_eq!(narrow(&[FirstInitial, BirthDate]).as_deref(), Some("first_initial+birth_date+postcode"));
        assert_eq!(narrow(&[FirstPhonetic, Postcode]).as_deref(), Some("first_name_phonetic+postcode+birth_year"));
        // The full last name implies its sound; a name set implies both initials.
        assert_eq!(
            narrow(&[Last, BirthYear, Postcode]).as_deref(),
            Some("last_name+birth_year+postcode+first_initial")
        );
        assert_eq!(narrow(&[NameSet, BirthDate, Postcode]), None);
    }

    #[test]
    fn only_a_phone_gives_a_second_key() {
        // `rule_keys` hashes the second slot under phone rules alone: a key part that gave a
        // second value elsewhere would lose it there.
        use crate::dedup::features::FeatureStrings;
        let s = |v: &str| v.to_string();
        let f = FeatureStrings {
            first: s("ola"),
            first_phonetic: s("OL"),
            last: s("hansen"),
            last_phonetic: s("HNSN"),
            email_key: s("ola@x.no"),
            email_local: s("ola"),
            phones: vec![s("+4791111111"), s("+4792222222")],
            street_key: s("storgata 1"),
            postcode: s("0150"),
            city: s("oslo"),
            national_id: s("01018012345"),
            org_number: s("923609016"),
            name_set: s("hansen ola"),
            org_name: s("acme"),
            website: s("acme.no"),
            ..FeatureStrings::default()
        }
        .pack();
        for &(name, part) in KeyPart::ALL {
            let second = part_values(&f, part)[1];
            assert_eq!(second.is_empty(), part != Phone, "{name}: {second:?}");
        }
        let phone = rule_keys(&BlockingRule::new(&[Phone]), &f);
        assert!(phone[0] != 0 && phone[1] != 0 && phone[0] != phone[1]);
        assert_eq!(rule_keys(&BlockingRule::new(&[Last, City]), &f)[1], 0);
    }

    #[test]
    fn a_sole_name_is_keyed_in_both_name_slots() {
        use crate::dedup::features::FeatureStrings;
        let rec = |first: &str, last: &str| {
            FeatureStrings { first: first.into(), last: last.into(), city: "ewell".into(), ..FeatureStrings::default() }
                .pack()
        };
        let (harriet, sole, other) = (rec("harriet", "vansittart"), rec("vansittart", ""), rec("vansittart", "smith"));
        let by_surname = BlockingRule::new(&[Last, City]);
        assert_eq!(rule_keys(&by_surname, &sole), rule_keys(&by_surname, &harriet));
        assert_ne!(rule_keys(&by_surname, &other), rule_keys(&by_surname, &harriet));
        let by_given = BlockingRule::new(&[First, City]);
        assert_eq!(rule_keys(&by_given, &rec("", "harriet")), rule_keys(&by_given, &harriet));
    }

    #[test]
    fn an_over_cap_group_is_split_by_the_next_key_part() {
        use crate::dedup::features::FeatureStrings;
        use crate::normalise::date::Date;
        // 600 records share one phone (a switchboard), born in 60 different years; one has no
        // birth date. Two other records share another phone.
        let rec = |phone: &str, year: Option<i32>| {
            FeatureStrings {
                phones: vec![phone.to_string()],
                birth: year.and_then(|y| Date::new(y, 1, 1)),
                ..FeatureStrings::default()
            }
            .pack()
        };
        let mut features: Vec<Features> = (0..600).map(|i| rec("+4722000000", Some(1940 + i % 60))).collect();
        features.push(rec("+4722000000", None));
        features.push(rec("+4791111111", Some(1980)));
        features.push(rec("+4791111111", Some(1990)));
        let rule = BlockingRule::new(&[Phone]);
        let mut keys: Vec<Keys> = features.iter().map(|f| rule_keys(&rule, f)).collect();
        let small_before = keys[601];
        let split = split_capped(&mut keys, &rule, &features, 500);
        assert_eq!(split, 1);
        assert!(capped_keys(&keys, 500).is_empty());
        assert_eq!(keys[0], keys[60], "the same birth year stays together");
        assert_ne!(keys[0], keys[1]);
        assert_eq!(keys[600], [0, 0], "no birth year: no smaller group to go to");
        assert_eq!(keys[601], small_before, "groups under the cap keep their keys");
        assert_eq!(pair_count(&keys, 500), 60 * (10 * 9 / 2) + 1);
    }
}
