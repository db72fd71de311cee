//! Record identities and golden ids: how a record is named within its source (source and record
//! key), how a golden record is named, and how names carry from one run to the next. It lives
//! beside `sources` and runs right after normalise: dedup, merge and every output name rows by
//! the identities made here.
//!
//! A CRM administrator pushes golden records back into the CRM under their golden ids and runs
//! regclean again every month on a fresh export. So an id must depend only on who is in the
//! record, never on row order, file names or threads: `G` and 12 hex digits of the SHA-256 of the
//! smallest member identity (source and record key; see [`identity`]). With the previous
//! run's output (`--previous`), each golden record keeps the id of the earlier record whose
//! members it shares most ([`carry`]): a split keeps the old id for the part with most of the old
//! members, a merge keeps the id that brought most members, and everything that happened is
//! listed as [`IdChange`]s (id_changes.csv) and counted ([`IdentityCounts`], report.json
//! `identity`).

use crate::field::Field;
use crate::normalise::Register;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::Path;

/// The golden id of an identity (or of any text that stands for one).
pub fn golden_hash(identity: &str) -> String {
    // 12 hex digits are the digest's first 6 bytes, written straight into the id: one per
    // cluster, so a formatted string per byte of the whole digest cost a tenth of merge.
    let mut id = String::with_capacity(13);
    id.push('G');
    push_hex(&mut id, &Sha256::digest(identity.as_bytes())[..6]);
    id
}

/// The 48 bits a [`golden_hash`] id's 12 hex digits write: two ids are equal exactly when their
/// bits are.
fn id_bits(id: &str) -> u64 {
    u64::from_str_radix(&id[1..], 16).expect("a golden id is G and 12 hex digits")
}

/// Appends `bytes` as lower-case hex digits, two a byte.
fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
}

/// A record's identity in the previous run, hashed: (source, record key).
fn key_hash(source: &str, key: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    (source, key).hash(&mut h);
    h.finish()
}

/// The golden id of every record of an earlier run, read from its records.csv.
#[derive(Debug, Default)]
pub struct PreviousIds {
    /// Identity hash → index into `ids`.
    by_record: HashMap<u64, u32>,
    ids: Vec<String>,
    /// Members per old id (by index into `ids`).
    sizes: Vec<u64>,
}

impl PreviousIds {
    /// Reads `DIR/records.csv` (the columns `source`, `record_key` and `golden_id`), streaming.
    pub fn read(dir: &Path) -> Result<PreviousIds, crate::Error> {
        let path = dir.join("records.csv");
        let mut r = csv::Reader::from_path(&path).map_err(|e| {
            crate::Error::input(&path, None, None, &format!("cannot read the previous run's records: {e}"))
        })?;
        let headers = r.headers().map_err(|e| crate::Error::input(&path, Some(1), None, &e.to_string()))?.clone();
        let col = |name: &str| {
            headers.iter().position(|h| h == name).ok_or_else(|| {
                crate::Error::input(
                    &path,
                    Some(1),
                    None,
                    &format!("no {name} column: the previous run was made by an older regclean; run it again once"),
                )
            })
        };
        let (s, k, g) = (col("source")?, col("record_key")?, col("golden_id")?);
        let mut prev = PreviousIds::default();
        let mut index = HashMap::new();
        let mut rec = csv::StringRecord::new();
        let mut line = 1usize;
        while r.read_record(&mut rec).map_err(|e| crate::Error::input(&path, Some(line + 1), None, &e.to_string()))? {
            line += 1;
            let (Some(source), Some(key), Some(id)) = (rec.get(s), rec.get(k), rec.get(g)) else {
                return Err(crate::Error::input(&path, Some(line), None, "too few fields"));
            };
            prev.add(&mut index, source, key, id);
        }
        Ok(prev)
    }
}

impl PreviousIds {
    /// Records that (source, key) had golden id `id`; `index` maps ids seen so far to theirs.
    fn add(&mut self, index: &mut HashMap<String, u32>, source: &str, key: &str, id: &str) {
        let next = self.ids.len() as u32;
        let i = *index.entry(id.to_string()).or_insert_with(|| {
            self.ids.push(id.to_string());
            self.sizes.push(0);
            next
        });
        self.sizes[i as usize] += 1;
        self.by_record.insert(key_hash(source, key), i);
    }
}

/// One line of id_changes.csv.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct IdChange {
    pub golden_id: String,
    /// `new`, `kept`, `split_from`, `merged_into` or `retired`.
    pub change: &'static str,
    pub other_golden_id: String,
    pub members_before: u64,
    pub members_after: u64,
}

/// What happened to golden ids between two runs (report.json `identity`).
#[derive(Debug, Clone, Default, serde::Serialize, PartialEq)]
pub struct IdentityCounts {
    /// Whether ids were carried from a previous run (`--previous`).
    pub previous_run: bool,
    pub previous_golden_records: u64,
    pub golden_records: u64,
    /// Golden records none of whose members were in the previous run.
    pub new: u64,
    /// Golden records that kept an earlier id (`unchanged` of them with the same members).
    pub kept: u64,
    pub unchanged: u64,
    /// Golden records with a new id made of members of an earlier one that kept its id elsewhere.
    pub split_from: u64,
    /// Earlier ids whose members now belong to a golden record with another id.
    pub merged_into: u64,
    /// Earlier ids none of whose members are in this run.
    pub retired: u64,
}

/// Gives each cluster (fresh id, member rows) its id: the earlier id it shares most members
/// with, or its fresh id (rehashed if it would repeat an earlier id). `identity(row)` is a row's
/// (source, record key). Deterministic: candidates are taken by shared members, then by ids.
pub fn carry(
    clusters: &mut [(String, Vec<usize>)],
    identity: &(dyn Fn(usize) -> (String, String) + Sync),
    previous: &PreviousIds,
) -> (Vec<IdChange>, IdentityCounts) {
    use rayon::prelude::*;
    // Per cluster: old id index → members shared.
    let shared: Vec<BTreeMap<u32, u64>> = clusters
        .par_iter()
        .map(|(_, members)| {
            let mut m = BTreeMap::new();
            for &r in members {
                let (s, k) = identity(r);
                if let Some(&old) = previous.by_record.get(&key_hash(&s, &k)) {
                    *m.entry(old).or_insert(0u64) += 1;
                }
            }
            m
        })
        .collect();
    let mut candidates: Vec<(u64, &str, &str, usize, u32)> = Vec::new();
    for (c, m) in shared.iter().enumerate() {
        for (&old, &n) in m {
            candidates.push((n, previous.ids[old as usize].as_str(), clusters[c].0.as_str(), c, old));
        }
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)).then(a.2.cmp(b.2)));
    let mut kept_by: Vec<Option<u32>> = vec![None; clusters.len()];
    let mut taken: Vec<Option<usize>> = vec![None; previous.ids.len()];
    for &(_, _, _, c, old) in &candidates {
        if kept_by[c].is_none() && taken[old as usize].is_none() {
            kept_by[c] = Some(old);
            taken[old as usize] = Some(c);
        }
    }
    let old_ids: HashSet<&str> = previous.ids.iter().map(String::as_str).collect();
    let mut counts = IdentityCounts {
        previous_run: true,
        previous_golden_records: previous.ids.len() as u64,
        golden_records: clusters.len() as u64,
        ..IdentityCounts::default()
    };
    let mut changes = Vec::new();
    let fresh: Vec<String> = clusters.iter().map(|c| c.0.clone()).collect();
    let mut used: HashSet<String> = HashSet::new();
    for (c, cluster) in clusters.iter_mut().enumerate() {
        let after = cluster.1.len() as u64;
        if let Some(old) = kept_by[c] {
            cluster.0 = previous.ids[old as usize].clone();
            counts.kept += 1;
            let before = previous.sizes[old as usize];
            if shared[c].len() == 1 && shared[c][&old] == before && before == after {
                counts.unchanged += 1;
            } else {
                changes.push(IdChange {
                    golden_id: cluster.0.clone(),
                    change: "kept",
                    other_golden_id: String::new(),
                    members_before: before,
                    members_after: after,
                });
            }
        } else {
            let mut id = fresh[c].clone();
            let mut k = 1;
            while old_ids.contains(id.as_str()) || used.contains(&id) {
                k += 1;
                id = golden_hash(&format!("{}\u{1f}{k}", fresh[c]));
            }
            cluster.0 = id;
            // The earlier record most of its members came from, if any.
            match shared[c]
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(previous.ids[*b.0 as usize].cmp(&previous.ids[*a.0 as usize])))
            {
                Some((&old, _)) => {
                    counts.split_from += 1;
                    changes.push(IdChange {
                        golden_id: cluster.0.clone(),
                        change: "split_from",
                        other_golden_id: previous.ids[old as usize].clone(),
                        members_before: previous.sizes[old as usize],
                        members_after: after,
                    });
                }
                None => {
                    counts.new += 1;
                    changes.push(IdChange {
                        golden_id: cluster.0.clone(),
                        change: "new",
                        other_golden_id: String::new(),
                        members_before: 0,
                        members_after: after,
                    });
                }
            }
        }
        used.insert(cluster.0.clone());
    }
    // Earlier ids that no golden record kept: merged into the record holding most of their
    // members, or retired when none is left.
    let mut home: Vec<Option<(u64, usize)>> = vec![None; previous.ids.len()];
    for (c, m) in shared.iter().enumerate() {
        for (&old, &n) in m {
            let better = match home[old as usize] {
                None => true,
                Some((best, bc)) => n > best || (n == best && clusters[c].0 < clusters[bc].0),
            };
            if better {
                home[old as usize] = Some((n, c));
            }
        }
    }
    for (old, id) in previous.ids.iter().enumerate() {
        if taken[old].is_some() {
            continue;
        }
        let before = previous.sizes[old];
        match home[old] {
            Some((_, c)) => {
                counts.merged_into += 1;
                changes.push(IdChange {
                    golden_id: id.clone(),
                    change: "merged_into",
                    other_golden_id: clusters[c].0.clone(),
                    members_before: before,
                    members_after: clusters[c].1.len() as u64,
                });
            }
            None => {
                counts.retired += 1;
                changes.push(IdChange {
                    golden_id: id.clone(),
                    change: "retired",
                    other_golden_id: String::new(),
                    members_before: before,
                    members_after: 0,
                });
            }
        }
    }
    changes.sort();
    (changes, counts)
}

/// The identity of a row for golden ids and pairs.csv: its source file and record id, or its
/// line when it has no record id.
pub fn identity(register: &Register, i: usize) -> String {
    let row = &register.ingested.rows[i];
    let source = &register.ingested.sources[row.source as usize].source;
    // Built in place (no formatting machinery): merge and its writers name millions of rows.
    let mut out = String::with_capacity(source.len() + 18);
    out.push_str(source);
    out.push('\u{1f}');
    push_record_key(&mut out, row, &register.clean[i]);
    out
}

/// A record's key within its source (records.csv `record_key`): its record id, or `#` and a hash
/// of its original values when it has none.
pub fn record_key(register: &Register, i: usize) -> String {
    record_key_of(&register.ingested.rows[i], &register.clean[i])
}

/// [`record_key`] of a row and its cleaned values.
pub fn record_key_of(row: &crate::ingest::Row, clean: &crate::normalise::CleanRow) -> String {
    let mut out = String::new();
    push_record_key(&mut out, row, clean);
    out
}

/// Appends [`record_key_of`] to `out`: the record id, else `#` and the 16 hex digits of the
/// hash (`{:016x}`, written by hand).
pub fn push_record_key(out: &mut String, row: &crate::ingest::Row, clean: &crate::normalise::CleanRow) {
    match clean.value(Field::RecordId) {
        Some(id) => out.push_str(id),
        None => {
            out.push('#');
            push_hex(out, &row.hash.to_be_bytes());
        }
    }
}

/// A 64-bit key of every row's identity, for breaking ties without regard to row order.
pub fn identity_keys(register: &Register) -> Vec<u64> {
    (0..register.clean.len()).into_par_iter().map(|i| identity_key(&identity(register, i))).collect()
}

/// The 64-bit key of one identity ([`identity`]: `source`, U+001F, record key).
pub fn identity_key(identity: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    identity.hash(&mut h);
    h.finish()
}

/// The golden records' members and ids, decided before any value is merged.
pub struct Assigned {
    /// (golden id, member rows in input order), sorted by golden id.
    pub clusters: Vec<(String, Vec<usize>)>,
    /// Row → index of its golden record in `clusters`.
    pub golden_of_row: Vec<u32>,
    /// What changed against the previous run (empty without one).
    pub changes: Vec<IdChange>,
    pub counts: IdentityCounts,
}

/// Clusters the rows by their dedup labels and gives each cluster its id: carried from the
/// previous run when one is given, else fresh (see [`golden_clusters`] and [`carry`]).
pub fn assign(register: &Register, labels: &[u32], previous: Option<&PreviousIds>) -> Assigned {
    let mut clusters = golden_clusters(register, labels);
    let (changes, counts) = match previous {
        Some(prev) => {
            let key = |r: usize| {
                (
                    register.ingested.sources[register.ingested.rows[r].source as usize].source.clone(),
                    record_key(register, r),
                )
            };
            let carried = carry(&mut clusters, &key, prev);
            clusters.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
            carried
        }
        None => (
            Vec::new(),
            IdentityCounts { golden_records: clusters.len() as u64, new: clusters.len() as u64, ..Default::default() },
        ),
    };
    let mut golden_of_row = vec![0u32; register.clean.len()];
    for (k, (_, members)) in clusters.iter().enumerate() {
        for &m in members {
            golden_of_row[m] = k as u32;
        }
    }
    Assigned { clusters, golden_of_row, changes, counts }
}

/// Clusters from cluster labels, each with its golden id: `G` and 12 hex digits of the SHA-256
/// of the smallest member identity, so an id depends only on who is in the cluster, never on
/// row order or threads. Members are in input order; clusters are sorted by golden id.
pub fn golden_clusters(register: &Register, labels: &[u32]) -> Vec<(String, Vec<usize>)> {
    // Group rows by label in one counting pass (labels are row indices).
    let n = labels.len();
    let mut count = vec![0u32; n];
    for &l in labels {
        count[l as usize] += 1;
    }
    let mut groups: Vec<Vec<usize>> =
        count.iter().filter(|&&c| c > 0).map(|&c| Vec::with_capacity(c as usize)).collect();
    let mut slot = vec![u32::MAX; n];
    let mut next = 0u32;
    for (i, &l) in labels.iter().enumerate() {
        let l = l as usize;
        if slot[l] == u32::MAX {
            slot[l] = next;
            next += 1;
        }
        groups[slot[l] as usize].push(i);
    }
    // Per cluster: its smallest member identity and, to order clusters that share it (a file
    // that repeats a record id, such as guest checkouts all numbered 0), the smallest hash of a
    // member's original values: content, never position.
    let mut clusters: Vec<(String, String, u64, Vec<usize>)> = groups
        .into_par_iter()
        .map(|members| {
            let ident = members.iter().map(|&m| identity(register, m)).min().unwrap_or_default();
            let content = members.iter().map(|&m| register.ingested.rows[m].hash).min().unwrap_or(0);
            (golden_hash(&ident), ident, content, members)
        })
        .collect();
    clusters.par_sort_unstable_by(|a, b| (&a.1, a.2, a.3[0]).cmp(&(&b.1, b.2, b.3[0])));
    // Clusters that share a smallest identity take the hash of the identity and their rank
    // among them (a rank found by counting, so a register repeating one record id 100,000 times
    // costs 100,000 hashes, not 5 billion); a rare hash collision moves on to the next free one.
    // The ids taken, by their 48 bits (`id_bits`: one number per id, where a copy of each id's
    // string cost a million allocations).
    let mut used = std::collections::HashSet::with_capacity(clusters.len());
    let mut rank = 0u64;
    for i in 0..clusters.len() {
        rank = if i > 0 && clusters[i].1 == clusters[i - 1].1 { rank + 1 } else { 1 };
        let (id, ident, _, _) = &mut clusters[i];
        let mut k = rank;
        if k > 1 {
            *id = golden_hash(&format!("{ident}\u{1f}{k}"));
        }
        while !used.insert(id_bits(id)) {
            k += 1;
            *id = golden_hash(&format!("{ident}\u{1f}{k}"));
        }
    }
    // Sorted by id through its bits: ids of one length in lower-case hex order as their numbers
    // do, and a number compares without reading the string.
    let mut out: Vec<(u64, (String, Vec<usize>))> =
        clusters.into_iter().map(|(id, _, _, members)| (id_bits(&id), (id, members))).collect();
    out.par_sort_unstable_by_key(|&(bits, _)| bits);
    out.into_iter().map(|(_, cluster)| cluster).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn previous(records: &[(&str, &str)]) -> PreviousIds {
        let mut p = PreviousIds::default();
        let mut index = HashMap::new();
        for &(key, id) in records {
            p.add(&mut index, "crm", key, id);
        }
        p
    }

    #[test]
    fn ids_carry_through_splits_merges_and_removals() {
        // Before: A = {a1, a2, a3}, B = {b1}, C = {c1, c2}, D = {d1} (d1 is removed).
        let prev = previous(&[
            ("a1", "GA"),
            ("a2", "GA"),
            ("a3", "GA"),
            ("b1", "GB"),
            ("c1", "GC"),
            ("c2", "GC"),
            ("d1", "GD"),
        ]);
        // After: {a1, a2} (the larger part of A), {a3} (split off), {b1, c1, c2} (B merged into
        // C, which brings more members), {e1} (new).
        let keys = ["a1", "a2", "a3", "b1", "c1", "c2", "e1"];
        let identity = |r: usize| ("crm".to_string(), keys[r].to_string());
        let mut clusters = vec![
            ("Gfresh1".to_string(), vec![0, 1]),
            ("Gfresh2".to_string(), vec![2]),
            ("Gfresh3".to_string(), vec![3, 4, 5]),
            ("Gfresh4".to_string(), vec![6]),
        ];
        let (changes, counts) = carry(&mut clusters, &identity, &prev);
        let ids: Vec<&str> = clusters.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(ids, ["GA", "Gfresh2", "GC", "Gfresh4"]);
        let got: Vec<(&str, &str, &str, u64, u64)> = changes
            .iter()
            .map(|c| (c.golden_id.as_str(), c.change, c.other_golden_id.as_str(), c.members_before, c.members_after))
            .collect();
        assert_eq!(
            got,
            [
                ("GA", "kept", "", 3, 2),
                ("GB", "merged_into", "GC", 1, 3),
                ("GC", "kept", "", 2, 3),
                ("GD", "retired", "", 1, 0),
                ("Gfresh2", "split_from", "GA", 3, 1),
                ("Gfresh4", "new", "", 0, 1),
            ]
        );
        assert_eq!((counts.kept, counts.unchanged, counts.new, counts.split_from), (2, 0, 1, 1));
        assert_eq!((counts.merged_into, counts.retired), (1, 1));
    }

    /// The hand-written hex digits of golden ids and record keys are those `format!` writes.
    #[test]
    fn hex_by_hand_matches_formatting() {
        for (text, hash) in [("", 0u64), ("crm\u{1f}42", 0x0123_4567_89ab_cdef), ("Ørsted", u64::MAX), ("x", 0xf)] {
            let digest = Sha256::digest(text.as_bytes());
            let formatted: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(golden_hash(text), format!("G{}", &formatted[..12]));
            assert_eq!(format!("G{:012x}", id_bits(&golden_hash(text))), golden_hash(text));
            let mut key = String::new();
            push_hex(&mut key, &hash.to_be_bytes());
            assert_eq!(key, format!("{hash:016x}"));
        }
    }

    #[test]
    fn an_unchanged_record_keeps_its_id_and_is_not_listed() {
        let prev = previous(&[("a1", "GA"), ("a2", "GA")]);
        let keys = ["a2", "a1"];
        let identity = |r: usize| ("crm".to_string(), keys[r].to_string());
        let mut clusters = vec![("Gx".to_string(), vec![0, 1])];
        let (changes, counts) = carry(&mut clusters, &identity, &prev);
        assert_eq!(clusters[0].0, "GA");
        assert!(changes.is_empty());
        assert_eq!((counts.kept, counts.unchanged), (1, 1));
    }
}
