//! Model: the Fellegi-Sunter match weights, learned from the data without labels.
//!
//! For each comparison level, m is the probability of that level among true matches and u among
//! non-matches; a level adds log2(m/u) to a pair's match weight, and the prior adds
//! log2(λ/(1-λ)). u is counted on random record pairs (almost all non-matches). m is learned on
//! the blocked pairs that are surely the same person, one comparison left out at a time (see
//! [`train`] for why plain EM with u fixed fails here), and λ by expectation maximisation with m
//! and u fixed. Both run on the distinct gamma patterns with their counts, not on pairs, so they
//! cost the same for ten thousand or ten million pairs. Exact name and city agreement is
//! adjusted by term frequency: two `Hansen`s agreeing says less than two `Zwijsen`s.

use super::compare::{COMPARISONS, Gammas, N};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The trained model, as written to model.json.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Model {
    /// Prior probability that a blocked candidate pair is a match.
    pub prior: f64,
    pub comparisons: Vec<ComparisonParams>,
    /// How the model was obtained: `trained` on this run, or `loaded` from --model.
    #[serde(default)]
    pub origin: String,
    /// EM iterations run (0 when loaded).
    #[serde(default)]
    pub em_iterations: usize,
    /// Random pairs used to count u.
    #[serde(default)]
    pub u_sample_pairs: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ComparisonParams {
    pub name: String,
    pub levels: Vec<LevelParams>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LevelParams {
    pub name: String,
    pub m: f64,
    pub u: f64,
}

/// Smallest probability a level may have, so that no level is infinitely strong evidence.
const MIN_PROB: f64 = 1e-6;

impl Model {
    /// The match weight a level contributes (0 for `null`).
    pub fn weight(&self, comparison: usize, level: u8) -> f64 {
        // A swap of first and last name is one piece of evidence: it is counted on the first
        // name, and the last name's `swapped` level weighs nothing.
        if level == 0
            || (comparison == super::compare::LAST_NAME && level == super::compare::level(comparison, "swapped"))
        {
            return 0.0;
        }
        let l = &self.comparisons[comparison].levels[level as usize];
        let w = (l.m.max(MIN_PROB) / l.u.max(MIN_PROB)).log2();
        // Two different established given names spelled alike (Willem and Wilma) are never
        // evidence for one person: random pairs rarely show them, so u is small and the ratio
        // can come out positive, but the look-alikes a pair is blocked with (twins, siblings in
        // one household) show them all the time (crm_twins: +1.3 bits joined a pair of twins).
        if comparison == super::compare::FIRST_NAME && level == super::compare::level(comparison, "names_alike") {
            return w.min(0.0);
        }
        w
    }

    /// The weight of the prior, log2(λ/(1-λ)).
    pub fn prior_weight(&self) -> f64 {
        let p = self.prior.clamp(MIN_PROB, 1.0 - MIN_PROB);
        (p / (1.0 - p)).log2()
    }

    /// Loads a model.json written by an earlier run and checks that it fits this version.
    pub fn load(path: &std::path::Path) -> Result<Model, crate::Error> {
        let text = std::fs::read_to_string(path).map_err(|e| crate::Error::io(path, e))?;
        let mut model: Model = serde_json::from_str(&text).map_err(|e| {
            crate::Error::input(path, Some(e.line()), Some(e.column()), &format!("not a model.json: {e}"))
        })?;
        model.add_missing_comparisons();
        model.validate().map_err(|m| crate::Error::input(path, None, None, &format!("model {m}")))?;
        model.origin = "loaded".into();
        model.em_iterations = 0;
        Ok(model)
    }

    /// A model written before a comparison was added (they are added at the end) learned
    /// nothing about it: the comparison is added with m equal to u at every level, so it weighs
    /// nothing either way and last month's model still decides as it did.
    fn add_missing_comparisons(&mut self) {
        let known = self.comparisons.len();
        if known >= N || COMPARISONS.iter().zip(&self.comparisons).any(|(c, p)| p.name != c.name) {
            return;
        }
        for c in &COMPARISONS[known..] {
            let even = 1.0 / (c.levels.len() - 1) as f64;
            self.comparisons.push(ComparisonParams {
                name: c.name.to_string(),
                levels: c
                    .levels
                    .iter()
                    .enumerate()
                    .map(|(l, name)| {
                        let p = if l == 0 { 0.0 } else { round(even) };
                        LevelParams { name: name.to_string(), m: p, u: p }
                    })
                    .collect(),
            });
        }
    }

    /// Checks a loaded model against the comparisons this version knows.
    pub fn validate(&self) -> Result<(), String> {
        if self.comparisons.len() != N {
            return Err(format!("has {} comparisons, expected {}", self.comparisons.len(), N));
        }
        for (c, p) in COMPARISONS.iter().zip(&self.comparisons) {
            if p.name != c.name {
                return Err(format!("comparison '{}' where '{}' was expected", p.name, c.name));
            }
            let names: Vec<&str> = p.levels.iter().map(|l| l.name.as_str()).collect();
            if names != c.levels {
                return Err(format!("comparison '{}' has levels {:?}, expected {:?}", c.name, names, c.levels));
            }
            for l in &p.levels {
                if !(0.0..=1.0).contains(&l.m) || !(0.0..=1.0).contains(&l.u) {
                    return Err(format!("comparison '{}' level '{}' has m or u outside 0..1", c.name, l.name));
                }
            }
        }
        if !(0.0..1.0).contains(&self.prior) {
            return Err("prior must be between 0 and 1".into());
        }
        Ok(())
    }
}

/// Counts of each level per comparison over a set of pairs.
pub type LevelCounts = [Vec<u64>; N];

pub fn empty_counts() -> LevelCounts {
    std::array::from_fn(|c| vec![0u64; COMPARISONS[c].levels.len()])
}

/// Distinct gamma patterns of the blocked pairs with their counts. Every pair that training
/// compares adds to one, so the map hashes eight bytes with one multiplication
/// ([`PatternHasher`]) rather than SipHash; nothing depends on its order (patterns are sorted
/// before use).
pub type Patterns = HashMap<Gammas, u64, std::hash::BuildHasherDefault<PatternHasher>>;

/// A hasher for gamma patterns (eight small bytes): not for untrusted keys, which these are not
/// (a pattern is eight levels, at most a few thousand distinct ones).
#[derive(Default)]
pub struct PatternHasher(u64);

impl std::hash::Hasher for PatternHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.write(&(n as u64).to_le_bytes());
    }

    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }
}

/// Initial m: agreement levels likely among matches, decreasing down the list.
fn initial_m(c: usize) -> Vec<f64> {
    let n = COMPARISONS[c].levels.len();
    // Non-null levels get geometric decreasing mass from `exact`, with `else` small.
    let mut m: Vec<f64> = (0..n).map(|l| if l == 0 { 0.0 } else { 0.5f64.powi(l as i32) }).collect();
    m[n - 1] = 0.02;
    let s: f64 = m.iter().sum();
    m.iter_mut().for_each(|x| *x /= s);
    m
}

/// u from level counts on random pairs, with add-one smoothing so unseen levels stay finite.
pub fn u_from_counts(counts: &LevelCounts) -> Vec<Vec<f64>> {
    (0..N)
        .map(|c| {
            let levels = &counts[c];
            let total: u64 = levels[1..].iter().sum();
            let k = (levels.len() - 1) as f64;
            levels
                .iter()
                .enumerate()
                .map(|(l, &n)| if l == 0 { 0.0 } else { (n as f64 + 0.5) / (total as f64 + 0.5 * k) })
                .collect()
        })
        .collect()
}

/// One training session: the gamma patterns of one blocking rule's pairs, and the comparisons the
/// rule's keys fix (they agree by construction within the rule, so they say nothing there).
#[derive(Debug, Default)]
pub struct Session {
    pub patterns: Patterns,
    pub fixed: [bool; N],
}

/// Learns m by expectation maximisation, one session per blocking rule, then the prior.
///
/// EM with u fixed over all blocked pairs at once drifts to "every candidate is a match": the
/// blocking keys make every candidate agree far more often than random pairs do. So, as Splink
/// trains, each rule's pairs form a session in which the comparisons the rule's keys fix are left
/// out; within the session the other comparisons separate matches from non-matches (two records
/// with the same name differ in birth date and contacts unless they are one person). Each session
/// runs EM on m (of its free comparisons) and its own λ; a comparison's m is then the expected
/// match counts of its levels summed over every session that left it free, so the rule that sees
/// most duplicates weighs most. u stays fixed from random pairs. Nothing is set by hand: a
/// register whose duplicates keep their surnames learns a strong weight against a differing
/// surname, one full of misspellings a weak one. Then λ over the candidate pairs (each pair once)
/// by EM with m and u fixed. Deterministic: patterns are visited in sorted order so sums never
/// depend on hash order.
pub fn train(
    sessions: &[Session],
    candidates: &Patterns,
    u: &[Vec<f64>],
    max_iterations: usize,
    u_sample_pairs: usize,
) -> Model {
    // Two rounds: the second leaves out the pairs the first round's weights call contrary
    // evidence (twins, father and son), which would otherwise teach m that duplicates differ in
    // first name or birth date as often as look-alikes do.
    let initial: Vec<Vec<f64>> = (0..N).map(initial_m).collect();
    let first = session_em(sessions, u, &initial, max_iterations, None);
    let weights: Vec<Vec<f64>> = (0..N)
        .map(|c| (0..first[c].len()).map(|l| (first[c][l].max(MIN_PROB) / u[c][l].max(MIN_PROB)).log2()).collect())
        .collect();
    let m = session_em(sessions, u, &first, max_iterations, Some(&weights));
    let mut pats: Vec<(&Gammas, &u64)> = candidates.iter().collect();
    pats.sort();
    // The prior: EM on λ alone.
    let lr: Vec<(f64, f64)> = pats
        .iter()
        .map(|&(g, &count)| {
            let bits: f64 = (0..N)
                .filter(|&c| g[c] != 0)
                .map(|c| (m[c][g[c] as usize].max(MIN_PROB) / u[c][g[c] as usize].max(MIN_PROB)).log2())
                .sum();
            (bits, count as f64)
        })
        .collect();
    let total: f64 = lr.iter().map(|x| x.1).sum();
    let mut prior = 0.1f64;
    let mut iterations = 0;
    for _ in 0..max_iterations {
        iterations += 1;
        let odds = (prior / (1.0 - prior)).log2();
        let mass: f64 = lr.iter().map(|&(bits, n)| n / (1.0 + (-(bits + odds)).exp2())).sum();
        let next = (mass / total.max(1.0)).clamp(MIN_PROB, 1.0 - MIN_PROB);
        let done = (next - prior).abs() < 1e-9;
        prior = next;
        if done {
            break;
        }
    }
    // A small register can drive λ towards 1, and then every candidate pair, however much
    // evidence speaks against it, shows a match probability of 1. No more pairs can be matches
    // than have evidence for them: λ is bounded by the share of candidate pairs whose fields'
    // weights sum to zero or more.
    let supported: f64 = lr.iter().filter(|&&(bits, _)| bits >= 0.0).map(|&(_, n)| n).sum();
    let prior = prior.min((supported / total.max(1.0)).max(MIN_PROB));
    Model {
        prior: round(prior),
        comparisons: (0..N)
            .map(|c| ComparisonParams {
                name: COMPARISONS[c].name.to_string(),
                levels: COMPARISONS[c]
                    .levels
                    .iter()
                    .enumerate()
                    .map(|(l, name)| LevelParams {
                        name: name.to_string(),
                        m: if l == 0 { 0.0 } else { round(m[c][l]) },
                        u: if l == 0 { 0.0 } else { round(u[c][l]) },
                    })
                    .collect(),
            })
            .collect(),
        origin: "trained".into(),
        em_iterations: iterations,
        u_sample_pairs,
    }
}

/// EM over every session from `start` (see [`train`]); pairs that `contrary` weights call
/// contrary evidence are not counted as matches. Names only `jw_0.80` alike count as typos here
/// (patterns do not say whether they are one keystroke apart), so m learns how often duplicates
/// show them. Returns m.
fn session_em(
    sessions: &[Session],
    u: &[Vec<f64>],
    start: &[Vec<f64>],
    max_iterations: usize,
    contrary: Option<&[Vec<f64>]>,
) -> Vec<Vec<f64>> {
    let mut m: Vec<Vec<f64>> = start.to_vec();
    let mut expected: Vec<Vec<f64>> = (0..N).map(|c| vec![0.0; COMPARISONS[c].levels.len()]).collect();
    let log_ratio = |m: &[Vec<f64>], c: usize, l: usize| (m[c][l].max(MIN_PROB) / u[c][l].max(MIN_PROB)).log2();
    use rayon::prelude::*;
    // Sessions are independent: run in parallel, summed in rule order.
    // Per session: its free comparisons and their expected match counts per level.
    type SessionCounts = Option<(Vec<usize>, Vec<Vec<f64>>)>;
    let per_session: Vec<SessionCounts> = sessions
        .par_iter()
        .map(|session| {
            let mut pats: Vec<(&Gammas, &u64)> = session.patterns.iter().collect();
            pats.sort();
            let free: Vec<usize> = (0..N).filter(|&c| !session.fixed[c]).collect();
            if !pats.iter().any(|(g, _)| free.iter().any(|&c| g[c] != 0)) {
                return None;
            }
            let mut ms = start.to_vec();
            let mut lambda = 0.1f64;
            let mut acc: Vec<Vec<f64>> = Vec::new();
            for _ in 0..max_iterations.max(1) {
                acc = (0..N).map(|c| vec![0.0; COMPARISONS[c].levels.len()]).collect();
                let odds = (lambda / (1.0 - lambda)).log2();
                let (mut matches, mut total) = (0.0, 0.0);
                for &(g, &count) in &pats {
                    let bits: f64 =
                        free.iter().filter(|&&c| g[c] != 0).map(|&c| log_ratio(&ms, c, g[c] as usize)).sum();
                    // Households, colleagues and twins agree on an address, a landline or a birth
                    // date as duplicates do, and would teach m that first names and birth dates
                    // differ among duplicates: a pair that agrees on nothing only one person has (the
                    // first name, birth date, a personal contact or a national id) is not counted
                    // as a match.
                    let p = if super::cluster::person_level_agreement(g)
                        && !contrary.is_some_and(|w| super::cluster::contrary_evidence(g, w))
                    {
                        count as f64 / (1.0 + (-(bits + odds)).exp2())
                    } else {
                        0.0
                    };
                    for &c in &free {
                        acc[c][g[c] as usize] += p;
                    }
                    matches += p;
                    total += count as f64;
                }
                let mut change = 0.0f64;
                for &c in &free {
                    let s: f64 = acc[c][1..].iter().sum();
                    if s < 1e-9 {
                        continue;
                    }
                    for l in 1..acc[c].len() {
                        let next = (acc[c][l] / s).max(MIN_PROB);
                        change = change.max((next - ms[c][l]).abs());
                        ms[c][l] = next;
                    }
                }
                let next = (matches / total.max(1.0)).clamp(MIN_PROB, 1.0 - MIN_PROB);
                change = change.max((next - lambda).abs());
                lambda = next;
                if change < 1e-7 {
                    break;
                }
            }
            Some((free, acc))
        })
        .collect();
    for (free, acc) in per_session.into_iter().flatten() {
        for &c in &free {
            for l in 1..acc[c].len() {
                expected[c][l] += acc[c][l];
            }
        }
    }
    for c in 0..N {
        let k = (expected[c].len() - 1) as f64;
        let s: f64 = expected[c][1..].iter().sum();
        if s < 1.0 {
            continue; // no session saw this comparison among matches: keep the initial guess
        }
        for l in 1..expected[c].len() {
            m[c][l] = (expected[c][l] + 0.5) / (s + 0.5 * k);
        }
    }
    m
}

/// Rounds to 10 significant digits so model.json is stable across platforms' last-bit noise.
fn round(x: f64) -> f64 {
    if x == 0.0 {
        return 0.0;
    }
    let digits = 10 - x.abs().log10().ceil() as i32;
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// Term frequencies of values, for the exact-agreement adjustment. Looked up for every scored
/// pair that agrees on a name, so by an equality hash ([`super::keyhash`]), not SipHash.
#[derive(Debug, Default)]
pub struct TermFrequencies {
    counts: HashMap<String, u32, super::keyhash::State>,
    total: u64,
}

impl TermFrequencies {
    pub fn build<'a>(values: impl Iterator<Item = &'a str>) -> TermFrequencies {
        let mut tf = TermFrequencies::default();
        for v in values.filter(|v| !v.is_empty()) {
            // A value seen before is counted without a copy of it: most are (a million
            // records carry a few thousand first names).
            match tf.counts.get_mut(v) {
                Some(c) => *c += 1,
                None => {
                    tf.counts.insert(v.to_string(), 1);
                }
            }
            tf.total += 1;
        }
        tf
    }

    /// Share of non-empty values equal to `v` (at least one in the total).
    pub fn share(&self, v: &str) -> f64 {
        let c = self.counts.get(v).copied().unwrap_or(1).max(1) as f64;
        c / self.total.max(1) as f64
    }
}

/// The term-frequency adjustment of an exact agreement on a value: added to log2(m/u), it
/// gives log2(m / tf(v)). The term frequency is clamped to [u/20, 20u] so a unique typo cannot
/// outweigh everything else and the commonest names still count for something.
pub fn tf_adjustment(u: f64, share: f64) -> f64 {
    let u = u.max(MIN_PROB);
    let tf = share.clamp(u / 20.0, (u * 20.0).min(1.0));
    (u / tf).log2()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_written_before_a_comparison_was_added_still_loads_and_weighs_it_nothing() {
        let dir = std::env::temp_dir().join(format!("regclean-old-model-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("model.json");
        let model_of = || Model {
            prior: 0.01,
            comparisons: COMPARISONS
                .iter()
                .map(|c| ComparisonParams {
                    name: c.name.to_string(),
                    levels: (0..c.levels.len())
                        .map(|l| LevelParams {
                            name: c.levels[l].to_string(),
                            m: if l == 0 { 0.0 } else { 0.5f64.powi(l as i32) },
                            u: if l == 0 { 0.0 } else { 0.1 },
                        })
                        .collect(),
                })
                .collect(),
            origin: "trained".into(),
            em_iterations: 3,
            u_sample_pairs: 10,
        };
        let mut old = model_of();
        old.comparisons.pop();
        std::fs::write(&path, serde_json::to_string(&old).unwrap()).unwrap();
        let model = Model::load(&path).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let middle = &model.comparisons[N - 1];
        assert_eq!(middle.name, COMPARISONS[N - 1].name);
        assert!(middle.levels[1..].iter().all(|l| l.m == l.u && l.m > 0.0), "{middle:?}");
        // The comparisons it knew are as written.
        assert_eq!(model.comparisons[0].levels[1].m, old.comparisons[0].levels[1].m);
        // A model with a comparison this version does not know is still refused.
        let mut wrong = model_of();
        wrong.comparisons[0].name = "shoe_size".into();
        assert!(wrong.validate().is_err());
    }

    #[test]
    fn em_separates_matches_from_non_matches() {
        // 100 patterns of full agreement (matches) and 900 of disagreement (non-matches).
        let mut patterns = Patterns::default();
        let agree: Gammas = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        let differ: Gammas = [9, 7, 4, 4, 3, 5, 3, 2, 7, 2, 2, 4];
        patterns.insert(agree, 100);
        patterns.insert(differ, 900);
        let mut counts = empty_counts();
        for c in 0..N {
            let n = counts[c].len();
            counts[c][1] = 1;
            counts[c][n - 1] = 10_000;
        }
        let u = u_from_counts(&counts);
        let sessions = [Session { patterns: patterns.clone(), fixed: [false; N] }];
        let model = train(&sessions, &patterns, &u, 50, 10_000);
        assert!((model.prior - 0.1).abs() < 0.01, "prior {}", model.prior);
        assert!(model.weight(0, 1) > 5.0);
        assert!(model.weight(0, 9) < -2.0);
        assert!(model.validate().is_ok());
    }

    #[test]
    fn tf_weight_favours_rare_values() {
        let common = tf_adjustment(0.01, 0.05);
        let rare = tf_adjustment(0.01, 0.0001);
        assert!(common < 0.0 && rare > 0.0);
        // Clamped: one in a billion is no stronger than u/20.
        assert_eq!(tf_adjustment(0.01, 1e-9), tf_adjustment(0.01, 0.0005));
    }
}
