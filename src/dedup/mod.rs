//! Dedup: find the rows that describe the same customer.
//!
//! The stage follows the record-linkage theory step by step, one module each: `features`
//! (match keys per record), `block` (candidate pairs), `compare` (levels per comparison),
//! `model` (Fellegi-Sunter m/u and prior, learned by EM), `cluster` (links into clusters that
//! cannot chain different people). It streams candidate pairs one blocking rule at a time and
//! never holds all of them: pass 1 counts gamma patterns for EM, pass 2 keeps only the links
//! above the threshold and spills every pair's levels (16 bytes a pair) to a temporary file,
//! from which pairs.csv is written with the final `linked` flag once clusters are known.

#[macro_use]
pub mod compare;
pub mod address;
pub mod birth;
pub mod block;
pub mod cluster;
pub mod features;
pub mod given_names;
pub mod keyhash;
pub mod model;
pub mod nicknames;
pub mod placeholders;
pub mod sharing;
pub mod similarity;

use crate::normalise::CleanRow;
use block::{BlockingRule, RuleStats};
use cluster::Link;
use compare::{COMPARISONS, Gammas, N};
use features::Features;
use model::{Model, Patterns, TermFrequencies};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;

/// Settings of the dedup stage (from the config, validated).
#[derive(Debug, Clone)]
pub struct DedupSettings {
    pub rules: Vec<BlockingRule>,
    pub max_block: usize,
    /// Pairs whose evidence (match weight without the prior) reaches this are linked, subject to
    /// corroboration and contrary-evidence checks.
    pub threshold: f64,
    /// Pairs below this weight are not written to pairs.csv.
    pub pairs_floor: f64,
    /// A model to use instead of training one (`--model`).
    pub model: Option<Model>,
    pub em_iterations: usize,
    pub u_sample_pairs: usize,
    /// Candidate pairs of one blocking rule that training looks at; a rule with more is
    /// sampled evenly (see `dedup`). Scoring always looks at every pair.
    pub train_pairs_per_rule: usize,
    /// A rule whose groups would make more pairs than this many per record is narrowed.
    pub max_pairs_per_record: f64,
}

impl Default for DedupSettings {
    fn default() -> Self {
        DedupSettings {
            rules: block::default_rules(),
            max_block: block::DEFAULT_MAX_BLOCK,
            threshold: DEFAULT_THRESHOLD,
            pairs_floor: DEFAULT_PAIRS_FLOOR,
            model: None,
            em_iterations: 50,
            u_sample_pairs: 300_000,
            train_pairs_per_rule: 500_000,
            max_pairs_per_record: block::DEFAULT_MAX_PAIRS_PER_RECORD,
        }
    }
}

/// Default link threshold, in bits of evidence: the match weight without the prior. The prior
/// is left out because EM estimates it over the candidate pairs, so it moves with the blocking
/// rules; the evidence does not. A full name agreeing on its own (namesakes) scores well below
/// it, a name plus a shared contact or birth date well above. On FEBRL, the demo and generated
/// registers, 10 to 12 bits give the best F1; 12 keeps look-alikes apart best.
pub const DEFAULT_THRESHOLD: f64 = 12.0;
/// The evidence a link needs, by kind of pair: the configured threshold, or less in a register
/// too small to hold that many pairs. The threshold stands for the odds against a pair being
/// one customer's, a few thousand to one; but in a list of n records there are only
/// n·(n−1)/2 pairs, and evidence of log2 of that singles out one pair among all of them even if
/// it is the list's only duplicate. So a list of twelve accounts (66 pairs) asks for 6 bits,
/// not 12, and a register of 92 records or more for the configured threshold. Companies are
/// counted among companies and people among people, as they are compared; a person and a
/// company (a contact and an account) are held to the configured threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub person: f64,
    pub org: f64,
    pub configured: f64,
    /// Records of each kind compared (exact copies aside).
    pub people: u64,
    pub orgs: u64,
}

impl Thresholds {
    pub fn for_register(configured: f64, features: &[Features]) -> Thresholds {
        let (orgs, people) = features
            .iter()
            .filter(|f| !f.copy)
            .fold((0u64, 0u64), |(o, p), f| if f.is_org { (o + 1, p) } else { (o, p + 1) });
        let at_most = |n: u64| {
            let pairs = (n * n.saturating_sub(1) / 2).max(1) as f64;
            round4(configured.min(pairs.log2()))
        };
        Thresholds { person: at_most(people), org: at_most(orgs), configured, people, orgs }
    }

    /// The threshold the pair of `a` and `b` is held to.
    fn of(&self, a: &Features, b: &Features) -> f64 {
        match (a.is_org, b.is_org) {
            (true, true) => self.org,
            (false, false) => self.person,
            _ => self.configured,
        }
    }
}

/// Pairs more than 20 bits below zero are plain non-matches and are not worth explaining.
pub const DEFAULT_PAIRS_FLOOR: f64 = -10.0;

/// What the dedup stage found.
#[derive(Debug)]
pub struct Dedup {
    pub model: Model,
    pub rule_stats: Vec<RuleStats>,
    /// Cluster label of every row (the smallest row index in its cluster).
    pub labels: Vec<u32>,
    /// Links at or above the threshold that ended inside one cluster.
    pub links: Vec<Link>,
    /// Number of scored pairs per whole match weight (floor).
    pub weight_histogram: BTreeMap<i64, u64>,
    pub pairs_scored: u64,
    /// Pairs of pairs.csv, set when it is written from `pairs`.
    pub pairs_written: u64,
    /// Links refused because they would have joined records with contrary evidence.
    pub links_refused: u64,
    pub namesakes: NamesakeCheck,
    /// The evidence links were held to, by kind of pair (see [`Thresholds`]).
    pub thresholds: Thresholds,
    /// Rows joined to an identical row (every cleaned value equal) before any comparison.
    pub exact_duplicate_rows: u64,
    /// Placeholder values found and left out of the match keys (see `placeholders`).
    pub placeholders: Vec<placeholders::PlaceholderField>,
    /// Pairs of pairs.csv whose evidence reached the threshold but that were not joined, by
    /// [`Refusal`] reason (counted while `pairs` is explained).
    pub refused_by_reason: BTreeMap<&'static str, u64>,
    /// Bytes of the structures dedup holds, by name, for the memory model (`REGCLEAN_TIMINGS`).
    pub memory: Vec<(&'static str, u64)>,
    /// Every scored pair above the pairs.csv floor, to be explained once (see [`ScoredPairs`]).
    pub pairs: Option<ScoredPairs>,
}

/// Every scored pair above the pairs.csv floor, as data: dedup spilled each pair's levels (16
/// bytes a pair) to a scratch file while scoring, and [`ScoredPairs::explain`] turns them back
/// into weights, the final `linked` flag and the reason a strong pair was not joined, a batch at
/// a time, without comparing any pair again. The scratch file goes with it.
pub struct ScoredPairs {
    spill: std::path::PathBuf,
    model: Model,
    features: Vec<Features>,
    identities: Vec<u64>,
    threshold: Thresholds,
    refused_patterns: HashSet<[&'static str; 4]>,
    /// Links refused one by one by the namesake check (see [`NamesakePattern::refused_links`]).
    refused_namesake_links: HashSet<(u32, u32)>,
    refused_coincidences: HashSet<Gammas>,
    forbidden: HashSet<(u32, u32)>,
    /// The scorer's counts, taken once for scoring.
    counts: RegisterCounts,
}

impl std::fmt::Debug for ScoredPairs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScoredPairs").field("spill", &self.spill).finish_non_exhaustive()
    }
}

impl Drop for ScoredPairs {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.spill);
    }
}

/// One row of pairs.csv.
#[derive(Debug, Clone)]
pub struct PairExplanation {
    pub a: u32,
    pub b: u32,
    pub gammas: Gammas,
    /// Per comparison, its match weight (term-frequency adjustments included).
    pub weights: [f64; N],
    pub prior: f64,
    /// The sum of `weights` and `prior`.
    pub total: f64,
    pub linked: bool,
    pub refused: Option<Refusal>,
    /// The evidence (bits, without the prior) at or above which this pair is linked (see
    /// [`Thresholds`]).
    pub threshold: f64,
    /// The model's own decision on this pair alone, before a person's decisions and clustering:
    /// evidence at or above `threshold` and not refused by the namesake or coincidence check.
    /// What the review's precision and recall estimates judge (`review::Tally`).
    pub model_links: bool,
}

impl ScoredPairs {
    /// Explains every pair in the order it was scored, a batch at a time (`each` receives them),
    /// given the final cluster labels; returns how many and the refusals by reason.
    pub fn explain(
        mut self,
        labels: &[u32],
        mut each: impl FnMut(&[PairExplanation]) -> std::io::Result<()>,
    ) -> std::io::Result<(u64, BTreeMap<&'static str, u64>)> {
        let counts = std::mem::take(&mut self.counts);
        let scorer = Scorer::with_counts(&self.model, &self.features, counts)
            .with_identities(&self.identities)
            .with_threshold(self.threshold);
        // The checks on patterns of links (namesakes, coincidences): the model's own refusals of
        // a pair above the threshold, whatever a person decided and wherever clustering put it.
        let rule_refusal = |evidence: f64, g: &Gammas, i: u32, j: u32| -> Option<Refusal> {
            use compare::*;
            if evidence < scorer.threshold_of(i, j) {
                return None;
            }
            if cluster::name_and_birth_date_only(g) {
                let area = lvs!(ADDRESS, ["area", "postcode_city"]).contains(&g[ADDRESS]);
                let key = [
                    COMPARISONS[FIRST_NAME].levels[g[FIRST_NAME] as usize],
                    COMPARISONS[LAST_NAME].levels[g[LAST_NAME] as usize],
                    COMPARISONS[BIRTH_DATE].levels[g[BIRTH_DATE] as usize],
                    if area { "area" } else { "else" },
                ];
                if self.refused_patterns.contains(&key) || self.refused_namesake_links.contains(&(i.min(j), i.max(j))) {
                    return Some(Refusal::NamesakeCheck);
                }
            }
            if self.refused_coincidences.contains(g) {
                return Some(Refusal::Coincidence);
            }
            None
        };
        let refusal = |linked: bool, evidence: f64, g: &Gammas, i: u32, j: u32| -> Option<Refusal> {
            if linked || evidence < scorer.threshold_of(i, j) {
                return None;
            }
            if let Some(r) = rule_refusal(evidence, g, i, j) {
                return Some(r);
            }
            if self.forbidden.contains(&(i.min(j), i.max(j))) {
                return Some(Refusal::DecisionDifferent);
            }
            Some(Refusal::ContraryEvidence)
        };
        let mut refusals: BTreeMap<&'static str, u64> = BTreeMap::new();
        let mut total = 0u64;
        const RECORD: usize = 8 + N;
        let mut spill_in = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(&self.spill)?);
        let mut batch = vec![0u8; RECORD * (1 << 16)];
        loop {
            let mut filled = 0;
            while filled < batch.len() {
                match std::io::Read::read(&mut spill_in, &mut batch[filled..])? {
                    0 => break,
                    k => filled += k,
                }
            }
            let records = filled / RECORD;
            if records == 0 {
                break;
            }
            let explained: Vec<PairExplanation> = batch[..records * RECORD]
                .par_chunks_exact(RECORD)
                .map(|rec| {
                    let i = u32::from_le_bytes([rec[0], rec[1], rec[2], rec[3]]);
                    let j = u32::from_le_bytes([rec[4], rec[5], rec[6], rec[7]]);
                    let mut g: Gammas = [0; N];
                    g.copy_from_slice(&rec[8..]);
                    let (mw, w) = scorer.weights(i, j, &g);
                    let linked = labels[i as usize] == labels[j as usize];
                    let evidence = w - scorer.prior;
                    let refused = refusal(linked, evidence, &g, i, j);
                    let model_links = evidence >= scorer.threshold_of(i, j)
                        && match refused {
                            Some(r) => !matches!(r, Refusal::NamesakeCheck | Refusal::Coincidence),
                            None => rule_refusal(evidence, &g, i, j).is_none(),
                        };
                    PairExplanation {
                        a: i,
                        b: j,
                        gammas: g,
                        weights: mw,
                        prior: scorer.prior,
                        total: w,
                        linked,
                        refused,
                        threshold: scorer.threshold_of(i, j),
                        model_links,
                    }
                })
                .collect();
            for r in explained.iter().filter_map(|p| p.refused) {
                *refusals.entry(r.as_str()).or_insert(0) += 1;
            }
            each(&explained)?;
            total += records as u64;
        }
        Ok((total, refusals))
    }
}

/// The check on links that rest on the name and birth date alone.
///
/// Two different people share a name and a birthday by chance more often the larger the
/// register: the number of such pairs grows with n², true duplicates with n. The register
/// itself says how many to expect: with `p_name` and `p_date` the chances that two records
/// (among the m that have a name and a birth date) share the full name and the birth date,
/// m(m-1)/2 · p_name · p_date coincidental pairs. Links of this kind are split into patterns by
/// how the first name, surname and birth date agree and whether the two live in the same town
/// (`area`); a pattern's expectation scales the exact one by the model's u-probabilities (a
/// surname one typo apart is u(jw)/u(exact) times as likely by chance as an equal one) and by
/// the chance that two people of the same surname share a postcode or city. A second estimate
/// counts the duplicates instead: the reference pattern (full name and birth date equal, other
/// towns) has its links less its coincidences; another pattern has that many times the model's
/// m-ratios (duplicates have a surname typo m(jw)/m(exact) times as often as an equal one).
/// Coincidences of a variant pattern also come through duplicates: a namesake pair's second
/// record written surname first agrees with the other as `swapped`, (duplicates per record) ·
/// m(swapped) times per pair.
/// When both say that most links of a pattern are coincidences (more than half expected by
/// chance, fewer than half expected to be duplicates), all of them are refused: the
/// Fellegi-Sunter decision on the pattern, with its match probability estimated from the
/// register itself.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct NamesakeCheck {
    /// Links whose only agreement beyond the name is the birth date, and at most the town
    /// (`cluster::name_and_birth_date_only`).
    pub name_and_birth_date_only_links: u64,
    /// Pairs of records expected to agree so by chance, over all patterns.
    pub expected_coincidental_pairs: f64,
    /// Whether any pattern was refused.
    pub refused: bool,
    /// Links refused, over all patterns.
    pub refused_links: u64,
    /// Per pattern of agreement, in the order of the comparison levels.
    pub patterns: Vec<NamesakePattern>,
    /// Other links refused as coincidences of their whole pattern ([`coincidence_check`]).
    pub coincidence_refused_links: u64,
    /// Patterns of levels so refused.
    pub coincidence_refused_patterns: u64,
}

/// One pattern of links that rest on name and birth date (see [`NamesakeCheck`]).
#[derive(Debug, Clone, serde::Serialize)]
pub struct NamesakePattern {
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub birth_date: &'static str,
    /// `area` (same postcode or city) or `else`.
    pub address: &'static str,
    /// `null` where either record has no middle name.
    pub middle_name: &'static str,
    pub links: u64,
    pub expected_coincidental_pairs: f64,
    /// Links of this pattern expected to be true duplicates.
    pub expected_duplicates: f64,
    /// Whether the pattern as a whole was refused.
    pub refused: bool,
    /// Links of the pattern refused one by one: undated links whose name the register's dated
    /// records show to belong to several people ([`NamesByPeople`]).
    pub refused_links: u64,
}

/// The Fellegi-Sunter decision on each pattern of levels among the links, with the register's
/// size in it. A pair's weight compares how likely its pattern is among duplicates (m) and by
/// chance (u), but not how many chances there are: a register of N records has N(N-1)/2 pairs,
/// so a pattern with u = 1e-7 (a first name and a birthday shared, all else different) turns
/// up some 500 times by chance among 100,000 records, and a link threshold fixed in bits cannot
/// know that. So per pattern: the pairs expected to show it by chance are N(N-1)/2 · u(p) less
/// the duplicates the random pairs hold (M · m(p), M the links found), with u(p) and m(p) the
/// products of the model's level probabilities (records counted once: copies aside); when more
/// than half of a pattern's links are expected by chance, its links are refused (`coincidence`
/// in pairs.csv). Patterns of duplicates (any shared contact, or names, date and address
/// together) have u(p) far below 1/N² and are never touched. Returns the refused patterns.
fn coincidence_check(
    scorer: &Scorer<'_>,
    links: &mut Vec<Link>,
    namesake_links: usize,
    check: &mut NamesakeCheck,
) -> HashSet<Gammas> {
    use compare::*;
    let model = scorer.model;
    let records = scorer.features.iter().filter(|f| !f.copy).count() as f64;
    let pairs = records * (records - 1.0) / 2.0;
    let matches = (links.len() + namesake_links) as f64;
    let mut by_pattern: BTreeMap<Gammas, u64> = BTreeMap::new();
    let gammas: Vec<Gammas> = links.par_iter().map(|l| scorer.gammas(l.a, l.b)).collect();
    for g in &gammas {
        *by_pattern.entry(*g).or_insert(0) += 1;
    }
    let refused: HashSet<Gammas> = by_pattern
        .iter()
        .filter(|&(g, &count)| {
            let (mut u, mut m) = (1.0f64, 1.0f64);
            for (c, &l) in g.iter().enumerate() {
                // A swap is one slip, counted on the first name (as `Model::weight` does).
                if l == 0 || (c == LAST_NAME && l == lv!(LAST_NAME, "swapped")) {
                    continue;
                }
                let level = &model.comparisons[c].levels[l as usize];
                u *= level.u;
                m *= level.m;
            }
            let chance = (pairs * u - matches * m).max(0.0);
            chance > 0.5 * count as f64
        })
        .map(|(g, _)| *g)
        .collect();
    if !refused.is_empty() {
        let before = links.len();
        let mut k = 0;
        links.retain(|_| {
            let keep = !refused.contains(&gammas[k]);
            k += 1;
            keep
        });
        check.coincidence_refused_links = (before - links.len()) as u64;
        check.coincidence_refused_patterns = refused.len() as u64;
    }
    refused
}

/// Decides the links that rest on name and birth date (see [`NamesakeCheck`]): the ones of a
/// pattern that is mostly coincidence are dropped, the others join `links`.
fn namesake_check(
    scorer: &Scorer<'_>,
    namesake_links: Vec<Link>,
    links: &mut Vec<Link>,
) -> (NamesakeCheck, HashSet<(u32, u32)>) {
    use compare::*;
    let (features, model) = (scorer.features, scorer.model);
    let mut check = NamesakeCheck { name_and_birth_date_only_links: namesake_links.len() as u64, ..Default::default() };
    let mut refused_one_by_one: HashSet<(u32, u32)> = HashSet::new();
    if namesake_links.is_empty() {
        return (check, refused_one_by_one);
    }
    // Register-wide counts, each a pass over every record on its own: taken side by side.
    let ((exact, undated), (p_area, (p_year, p_year_near))) = rayon::join(
        || {
            let p_namesake = namesake_chance(features);
            rayon::join(
                || expected_namesake_pairs(features, p_namesake),
                || expected_undated_namesake_pairs(features, p_namesake),
            )
        },
        || {
            rayon::join(
                || same_area_chance(features),
                || {
                    let p_year = near_year_chance(features, 1);
                    (p_year, near_year_chance(features, birth::year_near(features)) - p_year)
                },
            )
        },
    );
    // Built only when an undated link reaches the per-name decision (a sort of up to three
    // keys per record).
    let names = std::cell::OnceCell::new();
    let mut by_pattern: BTreeMap<[u8; 5], Vec<Link>> = BTreeMap::new();
    for link in namesake_links {
        let g = scorer.gammas(link.a, link.b);
        let area = u8::from(lvs!(ADDRESS, ["area", "postcode_city"]).contains(&g[ADDRESS]));
        by_pattern.entry([g[FIRST_NAME], g[LAST_NAME], g[BIRTH_DATE], area, g[MIDDLE_NAME]]).or_default().push(link);
    }
    // How much likelier level `l` of comparison `c` is than level `base`: by chance (u) or
    // among duplicates (m).
    let level_of = |c: usize, l: u8| &model.comparisons[c].levels[l as usize];
    let quotient = |x: f64, base: f64| if base > 0.0 { x / base } else { 1.0 };
    let u_ratio = |c: usize, l: u8| quotient(level_of(c, l).u, level_of(c, level(c, "exact")).u);
    let m_ratio = |c: usize, l: u8, base: &str| quotient(level_of(c, l).m, level_of(c, level(c, base)).m);
    // The reference pattern: full name and birth date equal, different towns. Its duplicates
    // are its links less the coincidences expected, whatever their middle names.
    let reference = [lv!(FIRST_NAME, "exact"), lv!(LAST_NAME, "exact"), lv!(BIRTH_DATE, "exact"), 0];
    let reference_links: usize = by_pattern.iter().filter(|(k, _)| k[..4] == reference).map(|(_, v)| v.len()).sum();
    let reference_duplicates = (reference_links as f64 - exact * (1.0 - p_area)).max(0.0);
    // Middle names, where the register writes them, are a third name: two namesakes both have
    // one with chance f² (f the share of named records with one) and then agree at a level by
    // its u; duplicates by its m. A register without them leaves every pattern as it was.
    let f2 = {
        let named = features.iter().filter(|f| !f.copy && !f.is_org && !f.first().is_empty() && !f.last().is_empty());
        let (with, all) = named.fold((0usize, 0usize), |(w, a), f| (w + usize::from(!f.middle().is_empty()), a + 1));
        if all == 0 { 0.0 } else { (with as f64 / all as f64).powi(2) }
    };
    let middle = |l: u8, p: f64| if l == 0 { 1.0 - f2 } else { f2 * p };
    // A variant also meets a namesake through a duplicate: when Ola Hansen and another Ola
    // Hansen share a birthday, a second record of the first written "Hansen Ola" agrees with
    // the other as `swapped`. Per coincidental pair, that happens (duplicates per record) ·
    // m(level) times; the links outside this check estimate the duplicates per record.
    let duplicates_per_record = 2.0 * links.len() as f64 / features.len().max(1) as f64;
    let chance = |c: usize, l: u8| {
        if l == level(c, "exact") { 1.0 } else { u_ratio(c, l) + duplicates_per_record * level_of(c, l).m }
    };
    // The coincidences and duplicates a pattern of `count` links is expected to hold.
    let estimate = |[first, last, birth, area, middle_level]: [u8; 5], count: u64| -> (f64, f64) {
        let middle_chance = middle(middle_level, level_of(MIDDLE_NAME, middle_level).u);
        let middle_duplicates = middle(middle_level, level_of(MIDDLE_NAME, middle_level).m);
        let place = if area == 1 { p_area } else { 1.0 - p_area };
        // A name written surname first is one slip, not two.
        let both_swapped = first == lv!(FIRST_NAME, "swapped") && last == lv!(LAST_NAME, "swapped");
        let name = if both_swapped {
            u_ratio(FIRST_NAME, first) * u_ratio(LAST_NAME, last)
                + duplicates_per_record * level_of(FIRST_NAME, first).m
        } else {
            chance(FIRST_NAME, first) * chance(LAST_NAME, last)
        };
        // Without a birth date the pair rests on name and town: the chance pairs are the pairs
        // with a record lacking a birth date that share the full name, in one town; what is not
        // chance is taken for duplicates.
        let undated_pattern = birth == 0 || lvs!(BIRTH_DATE, ["year", "year_near"]).contains(&birth);
        let expected = if undated_pattern {
            undated
                * name
                * if area == 1 { p_area } else { 1.0 }
                * match birth {
                    0 => 1.0,
                    b if b == lv!(BIRTH_DATE, "year") => p_year,
                    _ => p_year_near,
                }
                * middle_chance
        } else {
            exact * name * chance(BIRTH_DATE, birth) * place * middle_chance
        };
        let duplicates = if undated_pattern {
            (count as f64 - expected).max(0.0)
        } else {
            reference_duplicates
                * m_ratio(FIRST_NAME, first, "exact")
                * if both_swapped { 1.0 } else { m_ratio(LAST_NAME, last, "exact") }
                * m_ratio(BIRTH_DATE, birth, "exact")
                * if area == 1 { m_ratio(ADDRESS, lv!(ADDRESS, "area"), "else") } else { 1.0 }
                * middle_duplicates
        };
        (expected, duplicates)
    };
    let mostly_chance = |(expected, duplicates): (f64, f64), count: u64| {
        let half = 0.5 * count as f64;
        expected > half && duplicates < half
    };
    // Undated name patterns whose links within one town are mostly duplicates. A pattern's
    // expected coincidences are counted over every pair of the register, its links only over
    // the pairs blocking compared, which leave out the common names where most coincidences
    // are; where the same agreement within one town is mostly duplicates, this register's
    // records without a birth date are copies of its people (an archive's), and its links
    // between towns are decided by their own names' carriers ([`NamesByPeople`]) rather than
    // refused as a whole. Where records without a birth date are people who never gave one (a
    // CRM export), in-town links are as rare as chance makes them and nothing changes
    // (historical_50k: 0.841 -> 0.856; the README's 20k register and every class identical).
    let copies_in_town: HashSet<[u8; 4]> = by_pattern
        .iter()
        .filter(|(k, _)| k[2] == 0 && k[3] == 1)
        .filter(|(k, v)| !mostly_chance(estimate(**k, v.len() as u64), v.len() as u64))
        .map(|(k, _)| [k[0], k[1], k[2], k[4]])
        .collect();
    for ([first, last, birth, area, middle_level], group) in by_pattern {
        let count = group.len() as u64;
        let (expected, duplicates) = estimate([first, last, birth, area, middle_level], count);
        // Refused when both estimates agree that most are coincidences: the expected
        // coincidences (from how often values are shared) are more than half the links, and the
        // expected duplicates (the reference pattern's, scaled by how often duplicates show
        // this pattern) less than half.
        let by_name = birth == 0 && area == 0 && copies_in_town.contains(&[first, last, birth, middle_level]);
        let (refused, refused_links) = if mostly_chance((expected, duplicates), count) && !by_name {
            (true, count)
        } else if birth == 0 {
            // A link without a birth date rests on the name: one the pattern keeps (or leaves to
            // its name, above) is still
            // refused when its names' dated records show several people carrying them (see
            // [`NamesByPeople`]); the pattern's share of coincidences stands in for what a
            // name's few dated records do not tell.
            let share = if count > 0 { (expected / count as f64).min(1.0) } else { 0.0 };
            let mut refused_links = 0u64;
            for link in group {
                let (a, b) = (&features[link.a as usize], &features[link.b as usize]);
                // Within one town, the people of the name in that town.
                let town = (area == 1)
                    .then(|| if !a.city().is_empty() && a.city() == b.city() { Town::City } else { Town::Postcode });
                let names = names.get_or_init(|| NamesByPeople::new(features));
                let q = match (names.coincidence(a, town, share), names.coincidence(b, town, share)) {
                    (Some(x), Some(y)) => x.max(y),
                    (x, y) => x.or(y).unwrap_or(share),
                };
                if q > 0.5 {
                    refused_links += 1;
                    refused_one_by_one.insert((link.a.min(link.b), link.a.max(link.b)));
                } else {
                    links.push(link);
                }
            }
            (false, refused_links)
        } else {
            links.extend(group);
            (false, 0)
        };
        if refused_links > 0 {
            check.refused = true;
            check.refused_links += refused_links;
        }
        check.expected_coincidental_pairs += expected;
        check.patterns.push(NamesakePattern {
            first_name: COMPARISONS[FIRST_NAME].levels[first as usize],
            last_name: COMPARISONS[LAST_NAME].levels[last as usize],
            birth_date: COMPARISONS[BIRTH_DATE].levels[birth as usize],
            address: if area == 1 { "area" } else { "else" },
            middle_name: COMPARISONS[MIDDLE_NAME].levels[middle_level as usize],
            links: count,
            expected_coincidental_pairs: round1(expected),
            expected_duplicates: round1(duplicates),
            refused,
            refused_links,
        });
    }
    check.expected_coincidental_pairs = round1(check.expected_coincidental_pairs);
    (check, refused_one_by_one)
}

/// The people among the dated records of one name (sorted by date): two records are one person
/// when their years are within a year (within `near`, the register's [`birth::year_near`],
/// where either year is approximate) or their dates are one digit apart, and so is anyone linked to them through
/// such records. Past 64 distinct dates (a name most of the register shares) only neighbours
/// in date order are compared.
fn count_people(dated: &[&(u64, i32, bool, u32)], near: i32, one_digit: impl Fn(u32, u32) -> bool) -> usize {
    let mut dates: Vec<(i32, bool, u32)> = dated.iter().map(|x| (x.1, x.2, x.3)).collect();
    dates.dedup();
    let same = |a: &(i32, bool, u32), b: &(i32, bool, u32)| {
        let gap = if a.1 || b.1 { near } else { 1 };
        (a.0 - b.0).abs() <= gap || one_digit(a.2, b.2)
    };
    if dates.len() > 64 {
        return dates.windows(2).filter(|w| !same(&w[0], &w[1])).count() + usize::from(!dates.is_empty());
    }
    let mut parent: Vec<usize> = (0..dates.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..dates.len() {
        for j in i + 1..dates.len() {
            if same(&dates[i], &dates[j]) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    (0..dates.len()).filter(|&i| root(&mut parent, i) == i).count()
}

/// Who carries each full name, as the register's dated records show it: how many different
/// people (birth years more than a year apart, or more than the register's [`birth::year_near`] where a year
/// is approximate, are two people, unless the dates are one digit apart: [`count_people`]) and
/// how many dated records; per name, and per name in each city and postcode.
///
/// A link from a record without a birth date rests on the name alone. The pattern check weighs
/// it with the register's mean chance of sharing a full name; but whether a name is enough
/// depends on the name: an undated John Smith could be any of the register's dated John Smiths.
/// So a link the pattern check keeps is decided again on its own name: P people among the
/// name's dated records stand for about P·R people in all, R the register's named records per
/// dated one (undated records are as often someone else as dated ones are), and a link to one
/// of them joins two people with chance 1 − 1/(P·R), shrunk towards the pattern's share of
/// coincidences for a name seen on few dated records ([`NamesByPeople::coincidence`]); more
/// than one half refuses the link. Within one town the people of the name in that town count.
/// no_contact.csv: namesakes joined 6 → 4, nothing else changed on any labelled set.
///
/// The name decides only against. Letting it also keep links the pattern check refuses (a name
/// carried by one dated person) lifted historical_50k from 0.834 to 0.853 but joined 12 pairs
/// of namesakes in the README's generated 20k register (an undated person whose namesake has a
/// birth date): one dated carrier cannot tell a name that is rare from one whose other carriers
/// lack dates.
struct NamesByPeople {
    /// By the key of a full name, alone or in a town ([`Self::key`]): (people, dated records).
    by_name: HashMap<u64, (u32, u32)>,
    /// Named records per dated named record, over the register (R): how many people a name's
    /// P dated people stand for once its undated carriers are counted.
    undated_share: f64,
}

/// Which town a name is counted in: a link within one town is decided by the people of that
/// name in that town (two William Turners in a register, one of them in Leeds, leave an undated
/// William Turner of Leeds little doubt).
#[derive(Clone, Copy)]
enum Town {
    City,
    Postcode,
}

impl NamesByPeople {
    /// The key of a record's full name, alone or with one of its town's values.
    fn key(f: &Features, town: Option<(Town, &str)>) -> u64 {
        use std::hash::BuildHasher;
        let state = keyhash::state();
        match town {
            None => state.hash_one((f.first(), f.last())),
            Some((Town::City, v)) => state.hash_one((f.first(), f.last(), 'c', v)),
            Some((Town::Postcode, v)) => state.hash_one((f.first(), f.last(), 'p', v)),
        }
    }

    /// [`Self::key`] with the record's city or postcode; `None` when it has none.
    fn key_in(f: &Features, town: Town) -> Option<u64> {
        let v = match town {
            Town::City => f.city(),
            Town::Postcode => f.postcode(),
        };
        (!v.is_empty()).then(|| Self::key(f, Some((town, v))))
    }

    fn new(features: &[Features]) -> Self {
        // (name, birth year, year only, the date's digits YYYYMMDD)
        // Each record counts under its name, and under its name in its town ([`Self::key`]).
        let mut named: Vec<(u64, i32, bool, u32)> = features
            .par_iter()
            .filter(|f| !f.first().is_empty() && !f.last().is_empty())
            .flat_map_iter(|f| {
                let date = match f.birth {
                    Some(d) => {
                        let digits = d.year.clamp(0, 9999) as u32 * 10_000 + d.month as u32 * 100 + d.day as u32;
                        (d.year, f.birth_year_only, digits)
                    }
                    // Undated records sort last in their name's group.
                    None => (i32::MAX, true, 0),
                };
                [Some(Self::key(f, None)), Self::key_in(f, Town::City), Self::key_in(f, Town::Postcode)]
                    .into_iter()
                    .flatten()
                    .map(move |k| (k, date.0, date.1, date.2))
            })
            .collect();
        let (d, c) = features
            .iter()
            .filter(|f| !f.first().is_empty() && !f.last().is_empty())
            .fold((0u64, 0u64), |(d, c), f| (d + u64::from(f.birth.is_some()), c + 1));
        named.par_sort_unstable();
        // Two dates one digit apart (1840-06-02, 1850-06-02) are one person's date mistyped:
        // in historical_50k, 6,497 of the 7,899 duplicates born "years apart" are so.
        let one_digit = |a: u32, b: u32| {
            let (mut a, mut b, mut differ) = (a, b, 0);
            while a > 0 || b > 0 {
                differ += u32::from(a % 10 != b % 10);
                a /= 10;
                b /= 10;
            }
            differ <= 1
        };
        let near = birth::year_near(features);
        let by_name = named
            .chunk_by(|a, b| a.0 == b.0)
            .map(|group| {
                let dated: Vec<&(u64, i32, bool, u32)> = group.iter().filter(|x| x.1 != i32::MAX).collect();
                let people = count_people(&dated, near, one_digit);
                (group[0].0, (people as u32, dated.len() as u32))
            })
            .collect::<HashMap<u64, (u32, u32)>>();
        let undated_share = if d > 0 { c as f64 / d as f64 } else { 1.0 };
        NamesByPeople { by_name, undated_share }
    }

    /// The chance that a link of this record's full name to another record of it joins two
    /// people: the name's own estimate, 1 − 1/(P·R), weighed by its D dated records against
    /// `prior` (the link's pattern's share of coincidences) weighed as one record, so that a
    /// name with one dated record is decided half by its pattern and a name with eight by its
    /// records. `None` when no dated record carries the name (the pattern decides).
    fn coincidence(&self, f: &Features, town: Option<Town>, prior: f64) -> Option<f64> {
        if f.first().is_empty() || f.last().is_empty() {
            return None;
        }
        let key = match town {
            None => Self::key(f, None),
            Some(t) => Self::key_in(f, t)?,
        };
        let &(people, dated) = self.by_name.get(&key)?;
        if dated == 0 {
            return None;
        }
        let own = 1.0 - 1.0 / (people as f64 * self.undated_share);
        Some((dated as f64 * own + prior) / (dated as f64 + 1.0))
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The chance that two different people who share a surname share a postcode or a city: the
/// chance that two people who share a name, and so mostly a country, live in the same town.
/// Counted, like [`namesake_chance`], over pairs that are surely different people (birth dates
/// far apart, and not one digit of the year apart): counted over all pairs, a register's own duplicates, who mostly keep their town,
/// would make a shared town look common among namesakes (historical_50k: 20% over all
/// same-surname pairs, 6% over those born years apart; 0.3% of its different people who share
/// a full name share a town). A register without birth dates counts all same-surname pairs.
fn same_area_chance(features: &[Features]) -> f64 {
    use std::hash::BuildHasher;
    let state = keyhash::state();
    let dated: Vec<&Features> = features.par_iter().filter(|f| !f.last().is_empty() && f.birth.is_some()).collect();
    let near = birth::year_near(features);
    let pairs_of = |key: &(dyn Fn(&Features) -> Option<u64> + Sync)| {
        let v: Vec<(u64, i32, bool, u32)> = dated
            .par_iter()
            .filter_map(|f| key(f).zip(f.birth).map(|(k, d)| (k, d.year, f.birth_year_only, date_digits(d))))
            .collect();
        different_people_pairs(v, near)
    };
    let last = pairs_of(&|f| Some(state.hash_one(f.last())));
    if last < 1.0 {
        return same_area_chance_all_pairs(features);
    }
    let postcode = pairs_of(&|f| (!f.postcode().is_empty()).then(|| state.hash_one((f.last(), f.postcode()))));
    let city = pairs_of(&|f| (!f.city().is_empty()).then(|| state.hash_one((f.last(), f.city()))));
    let both = pairs_of(&|f| {
        (!f.postcode().is_empty() && !f.city().is_empty()).then(|| state.hash_one((f.last(), f.postcode(), f.city())))
    });
    ((postcode + city - both) / last).clamp(0.0, 1.0)
}

/// [`same_area_chance`] over every pair of records that share a surname, for a register that
/// tells no one apart by birth date.
fn same_area_chance_all_pairs(features: &[Features]) -> f64 {
    use std::hash::BuildHasher;
    let state = keyhash::state();
    let with_last: Vec<&Features> = features.par_iter().filter(|f| !f.last().is_empty()).collect();
    let pairs_of = |key: &(dyn Fn(&Features) -> Option<u64> + Sync)| {
        let mut v: Vec<u64> = with_last.par_iter().filter_map(|f| key(f)).collect();
        same_value_pairs(&mut v)
    };
    let last = pairs_of(&|f| Some(state.hash_one(f.last())));
    if last == 0.0 {
        return 0.0;
    }
    let postcode = pairs_of(&|f| (!f.postcode().is_empty()).then(|| state.hash_one((f.last(), f.postcode()))));
    let city = pairs_of(&|f| (!f.city().is_empty()).then(|| state.hash_one((f.last(), f.city()))));
    let both = pairs_of(&|f| {
        (!f.postcode().is_empty() && !f.city().is_empty()).then(|| state.hash_one((f.last(), f.postcode(), f.city())))
    });
    ((postcode + city - both) / last).clamp(0.0, 1.0)
}

/// The ordered pairs of equal values: the sum over values of c(c-1).
fn same_value_pairs<T: Ord + Send>(v: &mut [T]) -> f64 {
    v.par_sort_unstable();
    v.chunk_by(|a, b| a == b).map(|g| g.len() as f64 * (g.len() as f64 - 1.0)).sum()
}

/// The chance that two records that know only their birth year are born within `within` years
/// of each other: from the histogram of those years.
fn near_year_chance(features: &[Features], within: i32) -> f64 {
    let mut years: BTreeMap<i32, f64> = BTreeMap::new();
    for f in features.iter().filter(|f| f.birth_year_only) {
        if let Some(d) = f.birth {
            *years.entry(d.year).or_insert(0.0) += 1.0;
        }
    }
    let k: f64 = years.values().sum();
    if k < 2.0 {
        return 1.0;
    }
    let count = |y: i32| years.get(&y).copied().unwrap_or(0.0);
    let near: f64 = years.iter().map(|(&y, &c)| c * (-within..=within).map(|k| count(y + k)).sum::<f64>() - c).sum();
    (near / (k * (k - 1.0))).clamp(0.0, 1.0)
}

/// The chance that two records of different people share the full name. Counted over pairs
/// that are surely different people: full birth dates more than a year apart, or, where either
/// year is approximate (from an age or a year column), more than [`birth::year_near`] years
/// apart. So a register where each person has ten records (an archive of corrupted copies) does
/// not take its own duplicates for namesakes, while namesakes born a few years apart (the
/// no_contact register's) still count. Pairs at one street address are left out: the check
/// weighs links that share no street, and a father and the son named after him share their
/// name by descent, not by chance (in the snapshots_years fixture such households put 27
/// coincidences where 18 were expected among links of one name in two towns). `None`
/// without such pairs (no birth years).
fn namesake_chance(features: &[Features]) -> Option<f64> {
    use std::hash::BuildHasher;
    let state = keyhash::state();
    let near = birth::year_near(features);
    let dated = |key: &(dyn Fn(&Features) -> Option<u64> + Sync)| -> Vec<(u64, i32, bool, u32)> {
        features
            .par_iter()
            .filter(|f| !f.first().is_empty() && !f.last().is_empty())
            .filter_map(|f| key(f).zip(f.birth).map(|(k, d)| (k, d.year, f.birth_year_only, date_digits(d))))
            .collect()
    };
    let different = |v| different_people_pairs(v, near);
    let street = |f: &Features| (!f.street_key().is_empty()).then(|| state.hash_one(f.street_key()));
    let same_name = different(dated(&|f| Some(state.hash_one((f.first(), f.last())))))
        - different(dated(&|f| street(f).map(|s| state.hash_one((f.first(), f.last(), s)))));
    let all = different(dated(&|_| Some(0))) - different(dated(&street));
    (all >= 1.0).then(|| same_name.max(0.0) / all)
}

/// A date as its digits, `YYYYMMDD` (an approximate year's month and day are 0).
fn date_digits(d: crate::normalise::date::Date) -> u32 {
    d.year.clamp(0, 9999) as u32 * 10_000 + u32::from(d.month) * 100 + u32::from(d.day)
}

/// The pairs of one group `(key, year, year only, date digits)` that [`different_people`]
/// counts but whose dates differ in one digit of the year alone (1630-08-01 and 1680-08-01):
/// one person's date mistyped, not two people (historical_50k: most of its same-name pairs
/// born "years apart" are so). By each date's one-digit variants, so linear in the group.
fn year_typo_pairs(group: &[(u64, i32, bool, u32)], near: i32) -> f64 {
    let typo = |x: &(u64, i32, bool, u32), y: &(u64, i32, bool, u32)| {
        let gap = if x.2 || y.2 { near } else { 1 };
        let (dx, dy) = (x.3 % 10_000, y.3 % 10_000);
        let (yx, yy) = (x.3 / 10_000, y.3 / 10_000);
        dx == dy && (x.1 - y.1).abs() > gap && {
            let differ = [1, 10, 100, 1000].iter().filter(|&&p| yx / p % 10 != yy / p % 10).count();
            differ == 1
        }
    };
    // A small group pair by pair; a large one (a name most of the register shares) by variants.
    if group.len() < 2 {
        return 0.0;
    }
    if group.len() <= 64 {
        let mut n = 0u64;
        for (i, x) in group.iter().enumerate() {
            n += group[i + 1..].iter().filter(|y| typo(x, y)).count() as u64;
        }
        return n as f64;
    }
    let mut by_date: HashMap<u32, (u64, u64)> = HashMap::new();
    for x in group {
        let e = by_date.entry(x.3).or_insert((0, 0));
        if x.2 { e.1 += 1 } else { e.0 += 1 }
    }
    let mut twice = 0u64;
    for (&d, &(full, approx)) in &by_date {
        let year = d / 10_000;
        for place in [1u32, 10, 100, 1000] {
            let digit = year / place % 10;
            for r in (0..10).filter(|&r| r != digit) {
                let other = d - digit * place * 10_000 + r * place * 10_000;
                let Some(&(full2, approx2)) = by_date.get(&other) else { continue };
                let gap = (other / 10_000).abs_diff(year) as i32;
                if gap > 1 {
                    twice += full * full2;
                }
                if gap > near {
                    twice += full * approx2 + approx * full2 + approx * approx2;
                }
            }
        }
    }
    twice as f64 / 2.0
}

/// Pairs of records of sorted years more than `gap` apart, by two pointers.
fn far_pairs(years: &[i32], gap: i32) -> f64 {
    let mut j = 0usize;
    let mut count = 0u64;
    for &y in years {
        while j < years.len() && years[j] <= y + gap {
            j += 1;
        }
        count += (years.len() - j) as u64;
    }
    count as f64
}

/// The pairs of one group of records `(key, birth year, year only, date digits)`, sorted, that
/// are surely different people: full dates apart by more than a year, plus pairs with an
/// approximate year apart by more than `near` years (all pairs at `near` less the full-date
/// pairs at `near`; `near` is the register's [`birth::year_near`]).
fn different_people(group: &[(u64, i32, bool, u32)], near: i32) -> f64 {
    if group.len() < 2 {
        return 0.0;
    }
    let all: Vec<i32> = group.iter().map(|x| x.1).collect();
    let full: Vec<i32> = group.iter().filter(|x| !x.2).map(|x| x.1).collect();
    far_pairs(&full, 1) + far_pairs(&all, near) - far_pairs(&full, near)
}

/// [`different_people`] summed over the groups of equal keys, less the pairs whose dates differ
/// in one digit of the year ([`year_typo_pairs`]). Counts are whole numbers, so the parallel
/// sum does not depend on the thread count.
fn different_people_pairs(mut v: Vec<(u64, i32, bool, u32)>, near: i32) -> f64 {
    v.par_sort_unstable();
    v.par_chunk_by(|a, b| a.0 == b.0).map(|g| different_people(g, near) - year_typo_pairs(g, near)).sum()
}

/// The chance that two records that share a value by `key` are a coincidence: the share of
/// pairs with equal values, over m(m-1) ordered pairs.
fn value_share(features: &[Features], key: impl Fn(&Features) -> Option<u64> + Sync) -> f64 {
    let mut v: Vec<u64> = features.par_iter().filter_map(&key).collect();
    let m = v.len() as f64;
    if m < 2.0 {
        return 0.0;
    }
    same_value_pairs(&mut v) / (m * (m - 1.0))
}

/// Expected pairs of records, one of them without a birth date, that share the full name by
/// chance: such pairs times the chance that two people share the full name.
fn expected_undated_namesake_pairs(features: &[Features], p_namesake: Option<f64>) -> f64 {
    let named: Vec<&Features> = features.par_iter().filter(|f| !f.first().is_empty() && !f.last().is_empty()).collect();
    let m = named.len() as f64;
    if m < 2.0 {
        return 0.0;
    }
    let k = named.iter().filter(|f| f.birth.is_none() || f.birth_year_only).count() as f64;
    (k * (m - k) + k * (k - 1.0) / 2.0) * full_name_chance(features, p_namesake)
}

/// The chance that two people share the full name: [`namesake_chance`] where the register has
/// birth years to tell people apart, else the share of record pairs that do.
fn full_name_chance(features: &[Features], p_namesake: Option<f64>) -> f64 {
    use std::hash::BuildHasher;
    let state = keyhash::state();
    p_namesake.unwrap_or_else(|| {
        value_share(features, |f| {
            (!f.first().is_empty() && !f.last().is_empty()).then(|| state.hash_one((f.first(), f.last())))
        })
    })
}

/// Expected pairs of records that share full name and birth date by chance (see
/// [`NamesakeCheck`]): pairs of dated records, times the chance that two people share the name
/// ([`namesake_chance`]) and the chance that two records of different names share the date.
fn expected_namesake_pairs(features: &[Features], p_namesake: Option<f64>) -> f64 {
    use std::hash::BuildHasher;
    let state = keyhash::state();
    let (mut names, mut dates): (Vec<u64>, Vec<i64>) = features
        .par_iter()
        .filter(|f| !f.first().is_empty() && !f.last().is_empty() && f.birth.is_some() && !f.birth_year_only)
        .map(|f| (state.hash_one((f.first(), f.last())), f.birth.map(|d| d.days_since_epoch()).unwrap_or(0)))
        .unzip();
    let m = names.len() as f64;
    if m < 2.0 {
        return 0.0;
    }
    let pairs = m * (m - 1.0);
    let mut both: Vec<(u64, i64)> = names.iter().copied().zip(dates.iter().copied()).collect();
    let same_both = same_value_pairs(&mut both);
    let same_name = same_value_pairs(&mut names);
    let same_date = same_value_pairs(&mut dates);
    let p_name = p_namesake.unwrap_or(same_name / pairs);
    // Among pairs of different names (mostly different people), the share born the same day; a
    // register of one name has no such pairs, and then every pair counts.
    let p_date = if pairs - same_name >= 0.5 * pairs {
        ((same_date - same_both) / (pairs - same_name)).max(0.0)
    } else {
        same_date / pairs
    };
    pairs / 2.0 * p_name * p_date
}

/// Runs the dedup stage over cleaned rows. `spill` is a scratch file for every scored pair's
/// levels, kept by the returned [`ScoredPairs`] (the data behind pairs.csv) and removed with it.
/// The same as [`prepare`] then [`link`], which the pipeline calls apart so that the cleaned rows
/// can leave memory between them.
#[allow(clippy::too_many_arguments)] // the stage's inputs and its scratch file
pub fn dedup(
    register: &crate::normalise::Register,
    birth_keys: &[Option<crate::normalise::date::Date>],
    settings: &DedupSettings,
    forced: &[(u32, u32)],
    forbidden: &HashSet<(u32, u32)>,
    source_identities: &[u64],
    spill: &std::path::Path,
    progress: &dyn crate::progress::Progress,
) -> std::io::Result<Dedup> {
    let prepared = prepare(register, birth_keys, forbidden, source_identities, progress);
    link(prepared, settings, forced, forbidden, spill, progress)
}

/// What dedup reads from the cleaned rows, taken once ([`prepare`]): from there on it reads
/// only these, and the cleaned rows can leave memory while [`link`] runs.
pub struct Prepared {
    /// A hash of each row's cleaned values, by which records are sampled.
    content: Vec<u64>,
    /// The rows' identities as dedup orders them (`content`, ties told apart by source identity).
    identities: Vec<u64>,
    features: Vec<Features>,
    placeholders: Vec<placeholders::PlaceholderField>,
    /// Rows whose cleaned values are all equal: (the row that stands for them, a copy).
    exact: Vec<(u32, u32)>,
    /// Per row, the row that stands for it (itself unless it is a copy).
    distinct: Vec<u32>,
}

/// The first part of dedup's blocking: every row's match keys, with placeholders removed, and
/// the rows that are copies of one another. `source_identities` breaks ties between rows of
/// identical content (see the comment inside).
pub fn prepare(
    register: &crate::normalise::Register,
    birth_keys: &[Option<crate::normalise::date::Date>],
    forbidden: &HashSet<(u32, u32)>,
    source_identities: &[u64],
    progress: &dyn crate::progress::Progress,
) -> Prepared {
    let hashes = RowHashes::of(register, birth_keys, source_identities);
    progress.stage("dedup: blocking", register.clean.len() as u64);
    let mut keys = MatchKeys::with_capacity(register.clean.len());
    keys.add(register, birth_keys, &hashes.shared, 0..register.clean.len());
    hashes.finish(keys, birth_keys, forbidden)
}

/// [`prepare`] while the cleaned rows go to the scratch file `spill` (`Register::spill_clean`):
/// the match keys are taken from each batch of rows on its way to disk, so that the rows and
/// the keys, the two largest structures of the run, are never in memory whole at once
/// (ARCHITECTURE.md, "Memory model"). The same result as [`prepare`] then spilling.
pub fn prepare_spilling(
    register: &mut crate::normalise::Register,
    birth_keys: &[Option<crate::normalise::date::Date>],
    forbidden: &HashSet<(u32, u32)>,
    source_identities: &[u64],
    spill: &std::path::Path,
    progress: &dyn crate::progress::Progress,
) -> std::io::Result<(Prepared, crate::normalise::SpilledClean)> {
    let hashes = RowHashes::of(register, birth_keys, source_identities);
    progress.stage("dedup: blocking", register.clean.len() as u64);
    let mut keys = MatchKeys::with_capacity(register.clean.len());
    let spilled =
        register.spill_clean_each(spill, |register, rows| keys.add(register, birth_keys, &hashes.shared, rows))?;
    Ok((hashes.finish(keys, birth_keys, forbidden), spilled))
}

/// What [`prepare`] hashes of every row before it takes the match keys.
struct RowHashes {
    /// A hash of each row's cleaned values, by which records are sampled.
    content: Vec<u64>,
    /// The rows' identities as dedup orders them (`content`, ties told apart by source identity).
    ranked: Vec<u64>,
    /// Each row's hash as [`exact_duplicates`] groups rows, and the rows whose hash another row
    /// shares (the only rows it compares value by value).
    copy: Vec<u64>,
    shared: Vec<bool>,
}

impl RowHashes {
    fn of(
        register: &crate::normalise::Register,
        birth_keys: &[Option<crate::normalise::date::Date>],
        source_identities: &[u64],
    ) -> RowHashes {
        let clean = &register.clean;
        let n = clean.len();
        // The records' identities as dedup orders and samples them: a hash of the record's cleaned
        // values (its record id among them), never of its file's name or position, so that renaming
        // an export or shuffling its rows cannot change what the model learns or who is merged.
        // The identities passed in (source and record key) name records for the rest of the run;
        // dedup does not use them.
        let content: Vec<u64> = clean
            .par_iter()
            .zip(birth_keys)
            .map(|(c, birth)| {
                use std::hash::{Hash, Hasher};
                let mut h = std::hash::DefaultHasher::new();
                // Only the values present, each with its field's name: a canonical field added to
                // the tool (three consent channels, issue 25) leaves every register's model as it was.
                for f in crate::field::Field::ALL {
                    if let Some(v) = c.value(*f) {
                        f.name().hash(&mut h);
                        v.hash(&mut h);
                    }
                }
                raw_birth_key(c, *birth).hash(&mut h);
                h.finish()
            })
            .collect();
        // Rows of identical content are told apart by their source identity, so that every run
        // orders them one way whatever the order of the rows (which stands for its copies, which
        // pair is written first). Sampling, and so the model, reads `content` alone: identical rows
        // compare the same whichever is drawn, so the file's name never reaches what is learned.
        let mut ranked = content.clone();
        {
            let mut order: Vec<u32> = (0..n as u32).collect();
            order.par_sort_unstable_by_key(|&i| content[i as usize]);
            let tied: Vec<u32> = order
                .chunk_by(|&a, &b| content[a as usize] == content[b as usize])
                .filter(|g| g.len() > 1)
                .flatten()
                .copied()
                .collect();
            for i in tied {
                let i = i as usize;
                ranked[i] = pair_hash(content[i], source_identities[i]);
            }
        }
        let copy: Vec<u64> = clean.par_iter().zip(birth_keys).map(|(c, &birth)| copy_hash(c, birth)).collect();
        let mut sorted = copy.clone();
        sorted.par_sort_unstable();
        let repeated: HashSet<u64> = sorted.chunk_by(|a, b| a == b).filter(|g| g.len() > 1).map(|g| g[0]).collect();
        drop(sorted);
        let shared = copy.par_iter().map(|h| repeated.contains(h)).collect();
        RowHashes { content, ranked, copy, shared }
    }

    /// The rest of [`prepare`] once every row's match keys are taken.
    fn finish(
        self,
        keys: MatchKeys,
        birth_keys: &[Option<crate::normalise::date::Date>],
        forbidden: &HashSet<(u32, u32)>,
    ) -> Prepared {
        let RowHashes { content, ranked, copy, shared: _ } = self;
        let MatchKeys { mut features, unpacked, compared } = keys;
        let n = features.len();
        let placeholders = placeholders::remove(&mut features, &unpacked);
        drop(unpacked);
        features::mark_known_first_names(&mut features);
        birth::learn_year_near(&mut features);
        // Rows whose cleaned values are all equal are one customer however many there are: they
        // join first (see `exact_duplicates`), and everything that counts rows counts them once
        // (`distinct[i]` is the row that stands for row i): blocking keys and block caps, training
        // pairs and clustering. A contact imported 600 times would otherwise fill its e-mail's block
        // past the cap and hide that person's other records.
        let exact = exact_duplicates(&copy, &compared, birth_keys, &features, forbidden, &ranked);
        drop((copy, compared));
        let mut distinct: Vec<u32> = (0..n as u32).collect();
        for &(first, other) in &exact {
            distinct[other as usize] = first;
            features[other as usize].copy = true;
        }
        features::mark_org_word_weights(&mut features);
        Prepared { content, identities: ranked, features, placeholders, exact, distinct }
    }
}

/// The match keys [`prepare`] takes from the cleaned rows, a range of rows at a time, and what
/// it keeps of the rows for after they are gone.
struct MatchKeys {
    features: Vec<Features>,
    /// The keys of the rare rows not packed whole ([`features::FeatureStrings::packs_whole`]),
    /// which `placeholders` packs again from these instead of from the packed keys.
    unpacked: HashMap<u32, features::FeatureStrings>,
    /// The rows [`exact_duplicates`] compares value by value (their hash is shared).
    compared: HashMap<u32, crate::normalise::CleanRow>,
}

impl MatchKeys {
    fn with_capacity(n: usize) -> MatchKeys {
        MatchKeys { features: Vec::with_capacity(n), unpacked: HashMap::new(), compared: HashMap::new() }
    }

    /// The match keys of `rows`, which follow the rows taken so far; `shared` marks the rows
    /// [`exact_duplicates`] compares (see [`RowHashes`]).
    fn add(
        &mut self,
        register: &crate::normalise::Register,
        birth_keys: &[Option<crate::normalise::date::Date>],
        shared: &[bool],
        rows: std::ops::Range<usize>,
    ) {
        debug_assert_eq!(rows.start, self.features.len());
        let taken: Vec<(Features, Option<features::FeatureStrings>, Option<crate::normalise::CleanRow>)> = rows
            .into_par_iter()
            .map(|i| {
                let c = &register.clean[i];
                let s = features::FeatureStrings::from_clean(
                    c,
                    birth_keys[i],
                    register.email_key(i),
                    register.phone_keys(i),
                );
                let f = s.pack();
                let unpacked = (!s.packs_whole()).then_some(s);
                (f, unpacked, shared[i].then(|| c.clone()))
            })
            .collect();
        for (f, unpacked, compared) in taken {
            let i = self.features.len() as u32;
            self.features.push(f);
            if let Some(s) = unpacked {
                self.unpacked.insert(i, s);
            }
            if let Some(c) = compared {
                self.compared.insert(i, c);
            }
        }
    }
}

/// The rest of dedup over what [`prepare`] took: blocking keys, training, scoring, clustering.
/// `progress` is inside the blocking stage, which [`prepare`] opened.
pub fn link(
    prepared: Prepared,
    settings: &DedupSettings,
    forced: &[(u32, u32)],
    forbidden: &HashSet<(u32, u32)>,
    spill: &std::path::Path,
    progress: &dyn crate::progress::Progress,
) -> std::io::Result<Dedup> {
    let Prepared { content, identities, features, placeholders, exact, distinct } = prepared;
    let identities = &identities[..];
    let n = features.len();
    let exact_duplicate_rows = exact.len() as u64;
    // A block past the cap is judged on its distinct rows: copies leave it (they join their
    // row anyway), so a contact imported 600 times does not push its e-mail's block past the
    // cap and hide that person's other records. Elsewhere copies keep their keys: they are
    // duplicates like any other, and training learns from them.
    // A rule's keys and their hashes sorted (`block::sorted_hashes`), which the budget, the cap
    // and the split below all read: one sort a rule where nothing is over the cap.
    let keys_of = |rule: &BlockingRule| -> (Vec<block::Keys>, Vec<u64>) {
        let mut k: Vec<block::Keys> = features.par_iter().map(|f| block::rule_keys(rule, f)).collect();
        let mut sorted = block::sorted_hashes(&k);
        let capped = block::capped_sorted(&sorted, settings.max_block);
        if !capped.is_empty() {
            k.par_iter_mut().enumerate().filter(|(i, _)| distinct[*i] != *i as u32).for_each(|(_, ks)| {
                for h in ks.iter_mut() {
                    if capped.contains(h) {
                        *h = 0;
                    }
                }
            });
            sorted = block::sorted_hashes(&k);
        }
        (k, sorted)
    };
    // Keys per rule; a rule that would make more pairs than the budget is narrowed until it fits.
    let budget = (settings.max_pairs_per_record * n as f64).max(1_000_000.0) as u64;
    let mut rule_stats = Vec::new();
    let mut keys: Vec<block::RuleKeys> = Vec::new();
    let mut rules: Vec<BlockingRule> = Vec::new();
    let any_org = features.par_iter().any(|f| f.is_org);
    let any_person = features.par_iter().any(|f| !f.is_org);
    for configured in &settings.rules {
        let mut rule = configured.clone();
        if !block::applies(&rule, any_person, any_org) {
            rule_stats.push(RuleStats { rule: rule.name.clone(), ..RuleStats::default() });
            keys.push(block::RuleKeys::none());
            rules.push(rule);
            continue;
        }
        let (mut k, mut sorted) = keys_of(&rule);
        while block::pair_count_sorted(&sorted, settings.max_block) > budget
            && let Some(narrower) = block::narrowed(&rule)
        {
            rule = narrower;
            (k, sorted) = keys_of(&rule);
        }
        let narrowed_from = (rule != *configured).then(|| configured.name.clone());
        // Nothing over the cap: nothing to split or remove (`split_capped` and `RuleKeys::new`
        // would find the same and leave the keys as they are).
        let over_cap = !block::capped_sorted(&sorted, settings.max_block).is_empty();
        drop(sorted);
        let split_blocks = if over_cap { block::split_capped(&mut k, &rule, &features, settings.max_block) } else { 0 };
        rule_stats.push(RuleStats { rule: rule.name.clone(), narrowed_from, split_blocks, ..RuleStats::default() });
        keys.push(if over_cap { block::RuleKeys::new(k, settings.max_block) } else { block::RuleKeys::uncapped(k) });
        rules.push(rule);
    }
    progress.finish();
    let keys_bytes: u64 = keys.iter().map(|k| k.bytes() as u64).sum();
    progress.stage("dedup: training", settings.rules.len() as u64);
    // Each rule's pairs new to it (see `block::rule_pairs`), when training made them already.
    // Kept on disk (8 bytes a pair) between training and scoring: memory peaks in training.
    let mut new_pairs: Vec<Option<KeptPairs>> = (0..rules.len()).map(|_| None).collect();
    let candidates = |r: usize| spill.with_file_name(format!(".regclean-tmp-candidates-{r}.spill"));
    let model = match &settings.model {
        Some(m) => m.clone(),
        None => {
            let (u_counts, sampled) = random_pair_counts(&features, settings.u_sample_pairs, &content);
            let u = model::u_from_counts(&u_counts);
            // One training session per rule over all its pairs (see `model::train`), and the
            // pairs new to each rule, whose union is the candidate set the prior is fitted on.
            let mut patterns = Patterns::default();
            let mut sessions = Vec::new();
            let mut buffers = block::PairBuffers::default();
            for (r, rule) in rules.iter().enumerate() {
                let pairs = block::rule_pairs_all(r, &keys, settings.max_block, &mut buffers);
                // A rule with more pairs than the training needs is sampled: one pair in k,
                // chosen by a hash of the pair (so the same on every run and thread count), each
                // counting k times, so pattern frequencies stay unbiased.
                let k = pairs.len().div_ceil(settings.train_pairs_per_rule.max(1)).max(1) as u64;
                let sampled_pairs: Vec<u64>;
                let sampled: &[u64] = if k == 1 {
                    pairs
                } else {
                    sampled_pairs = pairs
                        .par_chunks(CHUNK)
                        .flat_map_iter(|chunk| {
                            let content = &content;
                            chunk.iter().enumerate().filter_map(move |(x, &p)| {
                                if let Some(&ahead) = chunk.get(x + PREFETCH_AHEAD) {
                                    prefetch_u64(content, block::unpack_pair(ahead).1 as usize);
                                }
                                let (i, j, _) = block::unpack_pair(p);
                                pair_hash(content[i as usize], content[j as usize]).is_multiple_of(k).then_some(p)
                            })
                        })
                        .collect();
                    &sampled_pairs
                };
                // Per chunk, in order: its patterns, and the levels of its new pairs when every
                // pair is compared (k = 1), which scoring then reads instead of comparing the
                // pair a second time.
                let parts: Vec<(Patterns, Patterns, Vec<compare::Gammas>)> = sampled
                    .par_chunks(CHUNK)
                    .map(|chunk| {
                        let (mut all, mut new, mut levels) = (Patterns::default(), Patterns::default(), Vec::new());
                        for (x, &p) in chunk.iter().enumerate() {
                            prefetch_pairs(&features, identities, chunk, x, |&p| {
                                let (i, j, _) = block::unpack_pair(p);
                                (i, j)
                            });
                            let (i, j, is_new) = block::unpack_pair(p);
                            let (i, j) = canonical(i, j, identities);
                            let g = compare::compare(&features[i as usize], &features[j as usize]);
                            *all.entry(g).or_insert(0) += k;
                            if is_new {
                                *new.entry(g).or_insert(0) += k;
                                if k == 1 {
                                    levels.push(g);
                                }
                            }
                        }
                        (all, new, levels)
                    })
                    .collect();
                // Each chunk's levels stay apart, freed as they are written below.
                let (mut all, mut new, mut levels) = (Patterns::default(), Patterns::default(), Vec::new());
                for (a, b, l) in parts {
                    for (g, v) in a {
                        *all.entry(g).or_insert(0) += v;
                    }
                    for (g, v) in b {
                        *new.entry(g).or_insert(0) += v;
                    }
                    levels.push(l);
                }
                for (k, v) in new {
                    *patterns.entry(k).or_insert(0) += v;
                }
                sessions.push(model::Session { patterns: all, fixed: block::comparisons_used(rule) });
                // The rule's new pairs are the ones scoring scores: kept on disk, so that
                // blocking does not make them a second time, with their levels when every pair
                // was compared (8 bytes a pair, 8 + N with levels).
                // Written as they are picked out, so that no second list of the rule's pairs is
                // made (training's peak is the largest rule's pairs).
                let kept = pairs.iter().map(|&p| block::unpack_pair(p)).filter(|p| p.2).map(|(i, j, _)| (i, j));
                let path = candidates(r);
                let kept = if k == 1 {
                    let with = kept.zip(levels.into_iter().flatten());
                    KeptPairs { levels: true, spilled: crate::spill::write_iter(&path, with, put_pair_levels)? }
                } else {
                    KeptPairs { levels: false, spilled: crate::spill::write_iter(&path, kept, put_pair)? }
                };
                // A rule that found no pair of its own tells no later rule anything: a pair sharing
                // one of its keys is one of its pairs, which an earlier rule found, and whose keys
                // say so. Its keys go now rather than after the last rule.
                if kept.spilled.is_empty() {
                    keys[r].release();
                }
                new_pairs[r] = Some(kept);
            }
            model::train(&sessions, &patterns, &u, settings.em_iterations, sampled)
        }
    };
    progress.finish();
    // What lives through scoring, for the memory model (`REGCLEAN_TIMINGS`).
    let mut memory = vec![
        ("dedup: match keys", features.par_iter().map(|f| f.bytes() as u64).sum::<u64>()),
        ("dedup: block keys, every rule", keys_bytes),
        (
            "dedup: candidate pairs kept from training, on disk (not memory)",
            new_pairs.iter().flatten().map(|p| p.spilled.bytes()).sum(),
        ),
    ];
    // Training made every rule's new pairs (not so with a model given): the keys go before
    // scoring, which is where the run's memory peaks (ARCHITECTURE.md, "Memory model").
    if new_pairs.iter().all(Option::is_some) {
        keys.iter_mut().for_each(block::RuleKeys::release);
    }
    let thresholds = Thresholds::for_register(settings.threshold, &features);
    let scorer = Scorer::new(&model, &features).with_identities(identities).with_threshold(thresholds);
    // Pairs are known rule by rule: each rule adds its pairs to the stage's total.
    progress.stage("dedup: scoring", 0);

    // Pass 2: links at or above the threshold, the weight histogram, and the levels of every
    // pair above the pairs.csv floor spilled to a file in order (16 bytes a pair), so that
    // pass 3 need not compare the pairs again and no pass holds them all in memory.
    // (links, links that rest on name and birth date alone, weight histogram)
    let found = std::sync::Mutex::new((Vec::new(), Vec::new(), BTreeMap::new()));
    let mut pairs_scored = 0u64;
    let mut spill_out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(spill)?);
    for (r, rule_stat) in rule_stats.iter_mut().enumerate() {
        let mut stats = RuleStats::default();
        // A batch of pairs at a time, each with its levels when training kept them.
        let mut score = |pairs: &[PairLevels]| {
            crate::chunks::write_chunks_with(&mut spill_out, pairs.len(), 4096, progress, |buf, range| {
                let (mut l, mut namesake): (Vec<Link>, Vec<Link>) = (Vec::new(), Vec::new());
                let mut h: BTreeMap<i64, u64> = BTreeMap::new();
                let chunk = &pairs[range];
                for (x, &(i, j, levels)) in chunk.iter().enumerate() {
                    prefetch_pairs(scorer.features, scorer.identities, chunk, x, |p| (p.0, p.1));
                    let g = levels.unwrap_or_else(|| scorer.gammas(i, j));
                    let (_, w) = scorer.weights(i, j, &g);
                    *h.entry(w.floor() as i64).or_insert(0) += 1;
                    if w - scorer.prior >= scorer.threshold_of(i, j) {
                        let link = Link { a: i, b: j, weight: w };
                        if cluster::name_and_birth_date_only(&g) { namesake.push(link) } else { l.push(link) }
                    }
                    if w >= settings.pairs_floor {
                        buf.extend_from_slice(&i.to_le_bytes());
                        buf.extend_from_slice(&j.to_le_bytes());
                        buf.extend_from_slice(&g);
                    }
                }
                // Links are sorted before clustering and the histogram is a sum, so the order in
                // which chunks add theirs does not matter.
                let mut f = found.lock().map_err(|_| std::io::Error::other("scoring thread panicked"))?;
                f.0.extend(l);
                f.1.extend(namesake);
                for (k, v) in h {
                    *f.2.entry(k).or_insert(0) += v;
                }
                Ok(())
            })
        };
        match new_pairs[r].take() {
            Some(kept) => {
                block::rule_stats(r, &keys, &mut stats);
                stats.candidate_pairs = kept.spilled.len() as u64;
                progress.stage("dedup: scoring", stats.candidate_pairs);
                let take = if kept.levels { take_pair_levels } else { take_pair };
                crate::spill::read_batches(&kept.spilled, take, |_, batch| score(&batch))?;
            }
            None => {
                let pairs = block::rule_pairs(r, &keys, settings.max_block, &mut stats);
                progress.stage("dedup: scoring", pairs.len() as u64);
                for part in pairs.chunks(1 << 17) {
                    score(&part.iter().map(|&(i, j)| (i, j, None)).collect::<Vec<_>>())?;
                }
            }
        }
        rule_stat.candidate_pairs = stats.candidate_pairs;
        rule_stat.capped_blocks = stats.capped_blocks;
        rule_stat.largest_capped_block = stats.largest_capped_block;
        pairs_scored += stats.candidate_pairs;
    }
    spill_out.flush()?;
    drop(spill_out);
    let (mut links, namesake_links, histogram) =
        found.into_inner().map_err(|_| std::io::Error::other("scoring thread panicked"))?;
    let namesake_count = namesake_links.len();
    let (mut namesakes, refused_namesake_links) = namesake_check(&scorer, namesake_links, &mut links);
    let refused_coincidences = coincidence_check(&scorer, &mut links, namesake_count, &mut namesakes);
    progress.finish();
    progress.stage("dedup: clustering", links.len() as u64);
    // Rows whose cleaned values are all equal are one customer however many there are: they
    // join first and cheaply, where blocking would skip a key that many records share.
    let forced: Vec<(u32, u32)> = forced.iter().copied().chain(exact).collect();
    let forced = &forced[..];
    let forced_set: HashSet<(u32, u32)> = forced.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();
    // Two groups join when the mean match probability (the model's own, prior included) over
    // the pairs of their distinct members is at least one half: average linkage, as `dedupe`
    // clusters. BENCHMARKS.md compares it with four other rules on every labelled set.
    let prior = scorer.prior;
    let accept = |cross: &[f64]| -> bool {
        cross.iter().map(|&e| cluster::probability(e, -prior)).sum::<f64>() >= 0.5 * cross.len() as f64
    };
    let (labels, refused) = cluster::cluster(n, &mut links, forced, identities, &distinct, accept, |a, b| {
        let key = (a.min(b), a.max(b));
        if forbidden.contains(&key) {
            return None;
        }
        if forced_set.contains(&key) {
            return Some(f64::INFINITY);
        }
        let g = scorer.gammas(a, b);
        if cluster::hard_contrary(&g) {
            return None;
        }
        let evidence = scorer.weights(a, b, &g).1 - scorer.prior;
        // Two full birth dates that clearly differ: the pair counts for the join only with a
        // link's worth of evidence of its own (its probability is taken with the threshold as
        // the prior, not the model's prior over candidate pairs).
        if cluster::different_birthdays(&g, &scorer.weights) {
            return Some(evidence + scorer.prior - scorer.threshold_of(a, b));
        }
        Some(evidence)
    });
    links.retain(|l| labels[l.a as usize] == labels[l.b as usize]);

    let refused_patterns: HashSet<[&'static str; 4]> = namesakes
        .patterns
        .iter()
        .filter(|p| p.refused)
        .map(|p| [p.first_name, p.last_name, p.birth_date, p.address])
        .collect();
    let counts = scorer.into_counts();
    memory.push(("dedup: links", (links.len() * std::mem::size_of::<Link>()) as u64));
    memory.push(("dedup: cluster labels", 4 * labels.len() as u64));
    memory.push(("dedup: scored pairs spilled to disk (not memory)", std::fs::metadata(spill).map_or(0, |m| m.len())));
    let pairs = ScoredPairs {
        spill: spill.to_path_buf(),
        model: model.clone(),
        features,
        identities: identities.to_vec(),
        threshold: thresholds,
        refused_patterns,
        refused_namesake_links,
        refused_coincidences,
        forbidden: forbidden.clone(),
        counts,
    };
    progress.finish();
    Ok(Dedup {
        memory,
        thresholds,
        model,
        rule_stats,
        labels,
        links,
        weight_histogram: histogram,
        pairs_scored,
        links_refused: refused,
        namesakes,
        placeholders,
        exact_duplicate_rows,
        pairs: Some(pairs),
        refused_by_reason: BTreeMap::new(),
        pairs_written: 0,
    })
}

/// Why a pair whose evidence reached the threshold did not end in one golden record (the
/// `refused_because` column of pairs.csv and `dedup.refused_by_reason` in the report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Refusal {
    /// Its pattern of name, birth date and town was refused as mostly coincidence
    /// ([`NamesakeCheck`]).
    NamesakeCheck,
    /// Its whole pattern of levels is expected by chance more often than it was linked
    /// ([`coincidence_check`]).
    Coincidence,
    /// A user's `different` decision.
    DecisionDifferent,
    /// Joining the two groups was refused: the mean match probability over the pairs across
    /// them is below one half, or one pair across them is impossible (`cluster::cluster`).
    ContraryEvidence,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::NamesakeCheck => "namesake_check",
            Refusal::Coincidence => "coincidence",
            Refusal::DecisionDifferent => "decision_different",
            Refusal::ContraryEvidence => "contrary_evidence",
        }
    }
}

/// The birth key a row has from outside its cleaned values: the raw date of a birth date that
/// failed cleaning (a day or month mistyped, a date before the plausible range), which dedup
/// reads (`birth::birth_match_keys`). Two rows whose cleaned values agree but whose raw dates
/// differ are not one row's copies, and which of them stands for the other must not depend on
/// the file's name (historical_50k: its dates are all before 1900, so none is a cleaned value).
fn raw_birth_key(
    clean: &CleanRow,
    birth: Option<crate::normalise::date::Date>,
) -> Option<crate::normalise::date::Date> {
    use crate::field::Field;
    (clean.value(Field::BirthDate).is_none() && clean.status(Field::BirthDate) == crate::normalise::Status::Invalid)
        .then_some(birth)
        .flatten()
}

/// Pairs (first row, other row) of rows whose cleaned values are all equal but for the record id
/// (600 copies of one contact under 600 customer numbers are one customer) and that carry a
/// name or a contact to be identified by, except where a user's decision keeps two apart. Found by
/// sorting hashes, so a register of 100,000 copies of one row costs one sort.
fn exact_duplicates(
    copy: &[u64],
    compared: &HashMap<u32, CleanRow>,
    birth_keys: &[Option<crate::normalise::date::Date>],
    features: &[Features],
    forbidden: &HashSet<(u32, u32)>,
    identities: &[u64],
) -> Vec<(u32, u32)> {
    use crate::field::Field;
    let compared_fields = || Field::ALL.iter().copied().filter(|&f| f != Field::RecordId);
    let identified = |f: &Features| !f.last().is_empty() || !f.email_key().is_empty() || f.has_phone();
    let mut keyed: Vec<(u64, u32)> = copy
        .par_iter()
        .zip(features)
        .enumerate()
        .filter(|(_, (_, f))| identified(f))
        .map(|(i, (&h, _))| (h, i as u32))
        .collect();
    // The row that stands for its copies is the one of smallest identity, never of smallest
    // position, so the same row stands for them whatever the order of the rows.
    keyed.par_sort_unstable_by_key(|&(h, i)| (h, identities[i as usize], i));
    let same = |a: u32, b: u32| {
        let (ca, cb) = (&compared[&a], &compared[&b]);
        let (a, b) = (a as usize, b as usize);
        compared_fields().all(|f| ca.value(f) == cb.value(f))
            && raw_birth_key(ca, birth_keys[a]) == raw_birth_key(cb, birth_keys[b])
    };
    let mut out = Vec::new();
    for group in keyed.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
        let first = group[0].1;
        for &(_, other) in &group[1..] {
            if same(first, other) && !forbidden.contains(&(first.min(other), first.max(other))) {
                out.push((first, other));
            }
        }
    }
    out
}

/// A row's hash as [`exact_duplicates`] groups rows: every cleaned value but the record id, and
/// the raw birth key. Hashed field by field: no allocation per row on a ten-million-row register.
fn copy_hash(c: &CleanRow, birth: Option<crate::normalise::date::Date>) -> u64 {
    use std::hash::BuildHasher;
    let mut h = std::hash::BuildHasherDefault::<std::hash::DefaultHasher>::default().build_hasher();
    for f in crate::field::Field::ALL.iter().copied().filter(|&f| f != crate::field::Field::RecordId) {
        std::hash::Hash::hash(&c.value(f), &mut h);
    }
    std::hash::Hash::hash(&raw_birth_key(c, birth), &mut h);
    std::hash::Hasher::finish(&h)
}

/// A pair in the order of its records' identities (then indices): string similarity is not
/// exactly symmetric, so every comparison takes the two records in one order whatever the
/// order of the rows.
fn canonical(i: u32, j: u32, identities: &[u64]) -> (u32, u32) {
    let key = |x: u32| (identities.get(x as usize).copied().unwrap_or(0), x);
    if key(i) <= key(j) { (i, j) } else { (j, i) }
}

/// A well-mixed hash of a pair of records' identities (either order), for sampling pairs the
/// same way whatever the order of the rows.
fn pair_hash(a: u64, b: u64) -> u64 {
    let mut x = (a.min(b) ^ b.max(a).rotate_left(32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^ (x >> 29)
}

/// A rule's pairs kept from training for scoring, on disk, with their levels when training
/// compared every pair of the rule.
struct KeptPairs {
    levels: bool,
    spilled: crate::spill::Spilled,
}

/// A pair to score, with its levels when they are known.
type PairLevels = (u32, u32, Option<compare::Gammas>);

/// A candidate pair's bytes in a spill file (see `spill`).
fn put_pair(&(i, j): &(u32, u32), buf: &mut Vec<u8>) {
    crate::spill::put_u32(buf, i);
    crate::spill::put_u32(buf, j);
}

/// A candidate pair and its levels in a spill file.
fn put_pair_levels(&((i, j), g): &((u32, u32), compare::Gammas), buf: &mut Vec<u8>) {
    put_pair(&(i, j), buf);
    buf.extend_from_slice(&g);
}

/// Takes back a pair [`put_pair`] wrote.
fn take_pair(bytes: &mut &[u8]) -> std::io::Result<PairLevels> {
    Ok((crate::spill::take_u32(bytes)?, crate::spill::take_u32(bytes)?, None))
}

/// Takes back a pair and its levels [`put_pair_levels`] wrote.
fn take_pair_levels(bytes: &mut &[u8]) -> std::io::Result<PairLevels> {
    let (i, j, _) = take_pair(bytes)?;
    let g = crate::spill::take_bytes(bytes, compare::N)?.try_into().map_err(|_| crate::spill::damaged())?;
    Ok((i, j, Some(g)))
}

/// Pairs handed to one rayon task at a time where pairs are compared.
const CHUNK: usize = 4096;

/// How many pairs ahead of the one being compared its records are prefetched: far enough for
/// a load from memory to arrive, near enough that the cache still holds it.
const PREFETCH_AHEAD: usize = 16;

/// Prefetches the records of the pairs ahead of `chunk[x]` (see `features::prefetch`): the
/// structs of the pair [`PREFETCH_AHEAD`] on, and their identities, then the key text of the
/// pair half as far on, whose struct is in cache by then.
#[inline]
fn prefetch_pairs<P>(
    features: &[Features],
    identities: &[u64],
    chunk: &[P],
    x: usize,
    ends: impl Fn(&P) -> (u32, u32),
) {
    if let Some(p) = chunk.get(x + PREFETCH_AHEAD) {
        let (a, b) = ends(p);
        features::prefetch(features, a as usize, false);
        features::prefetch(features, b as usize, false);
        prefetch_u64(identities, b as usize);
    }
    if let Some(p) = chunk.get(x + PREFETCH_AHEAD / 2) {
        let (a, b) = ends(p);
        features::prefetch(features, a as usize, true);
        features::prefetch(features, b as usize, true);
    }
}

/// Prefetches `values[i]` (a hint; see `features::prefetch`).
#[inline]
fn prefetch_u64(values: &[u64], i: usize) {
    if let Some(v) = values.get(i) {
        features::prefetch_line((v as *const u64).cast::<u8>());
    }
}

/// What the scorer counts over the whole register: term frequencies and how many people carry
/// each value. Built once for scoring and kept for pairs.csv's explanations
/// ([`ScoredPairs::explain`]), which weigh the same pairs over the same records.
#[derive(Default)]
struct RegisterCounts {
    tf_first: TermFrequencies,
    tf_last: TermFrequencies,
    tf_city: TermFrequencies,
    /// Company names among organisations.
    tf_org: TermFrequencies,
    /// How many people carry each record's e-mail, phones and address.
    sharing: sharing::Sharing,
}

impl RegisterCounts {
    fn new(features: &[Features]) -> RegisterCounts {
        // Five counts over every record, each on its own, so built side by side.
        let tf = |value: fn(&Features) -> &str, orgs_only: bool| {
            TermFrequencies::build(features.iter().filter(|f| !f.copy && (f.is_org || !orgs_only)).map(value))
        };
        let (((tf_first, tf_last), (tf_city, tf_org)), sharing) = rayon::join(
            || {
                rayon::join(
                    || rayon::join(|| tf(Features::first, false), || tf(Features::last, false)),
                    || rayon::join(|| tf(Features::city, false), || tf(Features::org_name, true)),
                )
            },
            || sharing::Sharing::build(features),
        );
        RegisterCounts { tf_first, tf_last, tf_city, tf_org, sharing }
    }
}

/// Scores pairs: levels, per-comparison weights with term-frequency adjustments, total.
struct Scorer<'a> {
    model: &'a Model,
    features: &'a [Features],
    weights: Vec<Vec<f64>>,
    u_exact: [f64; N],
    prior: f64,
    counts: RegisterCounts,
    /// Record identities, so each pair is compared in one order (see [`canonical`]).
    identities: &'a [u64],
    threshold: Thresholds,
}

impl<'a> Scorer<'a> {
    /// The link thresholds in bits: the prior odds a link must overcome (see [`Scorer::weights`]).
    fn with_threshold(mut self, threshold: Thresholds) -> Scorer<'a> {
        self.threshold = threshold;
        self
    }

    /// The threshold the pair of records `i` and `j` is held to.
    fn threshold_of(&self, i: u32, j: u32) -> f64 {
        self.threshold.of(&self.features[i as usize], &self.features[j as usize])
    }

    fn with_identities(mut self, identities: &'a [u64]) -> Scorer<'a> {
        self.identities = identities;
        self
    }

    fn new(model: &'a Model, features: &'a [Features]) -> Scorer<'a> {
        Scorer::with_counts(model, features, RegisterCounts::new(features))
    }

    /// A scorer over counts already taken of these `features` ([`Scorer::into_counts`]).
    fn with_counts(model: &'a Model, features: &'a [Features], counts: RegisterCounts) -> Scorer<'a> {
        let weights = (0..N)
            .map(|c| (0..COMPARISONS[c].levels.len()).map(|l| round4(model.weight(c, l as u8))).collect())
            .collect();
        let u_exact = std::array::from_fn(|c| model.comparisons[c].levels[1].u);
        Scorer {
            model,
            features,
            weights,
            u_exact,
            prior: round4(model.prior_weight()),
            counts,
            identities: &[],
            threshold: Thresholds {
                person: DEFAULT_THRESHOLD,
                org: DEFAULT_THRESHOLD,
                configured: DEFAULT_THRESHOLD,
                people: 0,
                orgs: 0,
            },
        }
    }

    /// The register's counts, for another scorer over the same records.
    fn into_counts(self) -> RegisterCounts {
        self.counts
    }

    fn gammas(&self, i: u32, j: u32) -> Gammas {
        let (i, j) = canonical(i, j, self.identities);
        compare::compare(&self.features[i as usize], &self.features[j as usize])
    }

    /// Per-comparison match weights (rounded to 4 decimals, so the total adds up exactly as
    /// written) and their sum with the prior.
    fn weights(&self, i: u32, j: u32, g: &Gammas) -> ([f64; N], f64) {
        let (a, b) = (&self.features[i as usize], &self.features[j as usize]);
        // The name two records agree on: equal where both hold one, and the one that is there
        // where a record with one name only agrees from the other slot
        // (`compare::sole_name_in_other_slot`), whichever record comes first.
        let agreed = |x: &'a str, y: &'a str| if x.is_empty() { y } else { x };
        let mut mw = [0.0; N];
        for c in 0..N {
            mw[c] = self.weights[c][g[c] as usize];
        }
        // Term-frequency adjustments on exact agreement of names, and of the city when the
        // address agrees only on the area.
        if g[compare::FIRST_NAME] == 1 {
            mw[compare::FIRST_NAME] = round4(
                mw[compare::FIRST_NAME]
                    + model::tf_adjustment(
                        self.u_exact[compare::FIRST_NAME],
                        self.counts.tf_first.share(agreed(a.first(), b.first())),
                    ),
            );
        }
        if g[compare::LAST_NAME] == 1 {
            mw[compare::LAST_NAME] = round4(
                mw[compare::LAST_NAME]
                    + model::tf_adjustment(
                        self.u_exact[compare::LAST_NAME],
                        self.counts.tf_last.share(agreed(a.last(), b.last())),
                    ),
            );
        }
        // A company name many organisations carry (a chain's, `Starbucks`) says less.
        if g[compare::ORG_NAME] == lv!(compare::ORG_NAME, "exact") {
            mw[compare::ORG_NAME] = round4(
                mw[compare::ORG_NAME]
                    + model::tf_adjustment(self.u_exact[compare::ORG_NAME], self.counts.tf_org.share(a.org_name())),
            );
        }
        // A value many people carry is weak evidence: an e-mail, phone or address shared by k
        // people loses log2(k) bits (see `sharing`).
        if g[compare::EMAIL] == lv!(compare::EMAIL, "exact") {
            mw[compare::EMAIL] = round4(sharing::shrink(mw[compare::EMAIL], self.counts.sharing.email(i, j)));
        }
        // A chain's org number and website are carried by all its shops: agreeing on one
        // carried at k locations loses log2(k) bits (see `sharing::count_locations`).
        if g[compare::ORG_NUMBER] == lv!(compare::ORG_NUMBER, "exact") {
            mw[compare::ORG_NUMBER] =
                round4(sharing::shrink(mw[compare::ORG_NUMBER], self.counts.sharing.org_number(i, j)));
        }
        if g[compare::WEBSITE] == lv!(compare::WEBSITE, "exact") {
            mw[compare::WEBSITE] = round4(sharing::shrink(mw[compare::WEBSITE], self.counts.sharing.website(i, j)));
        }
        if lvs!(compare::PHONE, ["mobile", "landline"]).contains(&g[compare::PHONE]) {
            mw[compare::PHONE] = round4(sharing::shrink(mw[compare::PHONE], self.counts.sharing.phone(a, b, i)));
        }
        if g[compare::ADDRESS] == lv!(compare::ADDRESS, "exact") {
            let people = self.counts.sharing.address(i, j);
            mw[compare::ADDRESS] = round4(sharing::shrink(mw[compare::ADDRESS], people));
            // An address k people share says, on its own, that two of its records are one
            // person at odds of about 1 to k-1, whatever its rarity in the register: so it may
            // bring a pair to those odds against the link threshold (the prior odds a link must
            // overcome), and no further. A household's address no longer outweighs a different
            // first name and different personal contacts (generated 1M register: 0.935
            // precision with the address's full 16 bits).
            if people >= 2 {
                let cap = round4(self.threshold.of(a, b) - f64::from(people - 1).log2());
                mw[compare::ADDRESS] = mw[compare::ADDRESS].min(cap);
            }
        }
        // Household fields count once: people at one address share a surname by being one
        // household, so at the same street address a surname agreement weighs what it says
        // given that address, log2(m / share of the register's households' different people who
        // share a surname), and not what it says between strangers (see `sharing`).
        if lvs!(compare::ADDRESS, ["exact", "street_fuzzy"]).contains(&g[compare::ADDRESS])
            && g[compare::LAST_NAME] != 0
            && mw[compare::LAST_NAME] > 0.0
            && let Some(share) = self.counts.sharing.household_surname_share()
        {
            let m = self.model.comparisons[compare::LAST_NAME].levels[g[compare::LAST_NAME] as usize].m;
            let given_address = round4((m.max(1e-6) / share.max(1e-6)).log2());
            mw[compare::LAST_NAME] = mw[compare::LAST_NAME].min(given_address.max(0.0));
        }
        // Likewise a birth date shared at one address: twins share it, so it weighs what it says
        // given the address (the share of the register's different residents born one day).
        if lvs!(compare::ADDRESS, ["exact", "street_fuzzy"]).contains(&g[compare::ADDRESS])
            && g[compare::BIRTH_DATE] == lv!(compare::BIRTH_DATE, "exact")
            && let Some(share) = self.counts.sharing.household_birth_share()
        {
            let m = self.model.comparisons[compare::BIRTH_DATE].levels[g[compare::BIRTH_DATE] as usize].m;
            let given_address = round4((m.max(1e-6) / share.max(1e-6)).log2());
            mw[compare::BIRTH_DATE] = mw[compare::BIRTH_DATE].min(given_address.max(0.0));
        }
        // A shared landline at the same address is the household's, already counted by the
        // address: correlated evidence counts once.
        if g[compare::PHONE] == lv!(compare::PHONE, "landline") && matches!(g[compare::ADDRESS], 1..=3) {
            mw[compare::PHONE] = 0.0;
        }
        let area = lv!(compare::ADDRESS, "area");
        if g[compare::ADDRESS] == area && !a.city().is_empty() && a.city() == b.city() {
            let u = self.model.comparisons[compare::ADDRESS].levels[area as usize].u;
            mw[compare::ADDRESS] =
                round4(mw[compare::ADDRESS] + model::tf_adjustment(u, self.counts.tf_city.share(a.city())).min(0.0));
        }
        let total = round4(mw.iter().sum::<f64>() + self.prior);
        (mw, total)
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Counts comparison levels over random pairs (all pairs when there are few), for u.
fn random_pair_counts(features: &[Features], sample: usize, identities: &[u64]) -> (model::LevelCounts, usize) {
    let n = features.len() as u64;
    // Positions are drawn in the order of the records' identities, so the sample (and u) is the
    // same whatever the order of the rows.
    let mut order: Vec<u32> = (0..n as u32).filter(|&i| !features[i as usize].copy).collect();
    let n = order.len() as u64;
    order.par_sort_unstable_by_key(|&i| (identities[i as usize], i));
    let all = n * n.saturating_sub(1) / 2;
    let pairs: Vec<(u32, u32)> = if all <= sample as u64 {
        let order = &order;
        (0..n as usize).flat_map(|x| (x + 1..n as usize).map(move |y| (order[x], order[y]))).collect()
    } else {
        // splitmix64 with a fixed seed: the same register always gives the same u.
        let mut state = 0x5EED_1234_ABCD_0001u64;
        let mut next = || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        (0..sample)
            .filter_map(|_| {
                let i = order[(next() % n) as usize];
                let j = order[(next() % n) as usize];
                (i != j).then_some((i.min(j), i.max(j)))
            })
            .collect()
    };
    let counts = pairs
        .par_iter()
        .fold(model::empty_counts, |mut acc, &(i, j)| {
            let (i, j) = canonical(i, j, identities);
            let g = compare::compare(&features[i as usize], &features[j as usize]);
            for c in 0..N {
                acc[c][g[c] as usize] += 1;
            }
            acc
        })
        .reduce(model::empty_counts, |mut a, b| {
            for c in 0..N {
                for (x, y) in a[c].iter_mut().zip(&b[c]) {
                    *x += y;
                }
            }
            a
        });
    (counts, pairs.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scoring reads the levels training found for a rule's new pairs instead of comparing
    /// them again: what is written is read back, pair and levels alike, and a cut file is an
    /// error.
    #[test]
    fn kept_pairs_come_back_with_their_levels() {
        let mut g = [0u8; N];
        g.iter_mut().enumerate().for_each(|(c, l)| *l = (c % 4) as u8);
        let mut buf = Vec::new();
        put_pair_levels(&((7, 70_000), g), &mut buf);
        put_pair(&(1, 2), &mut buf);
        let mut rest = &buf[..];
        assert_eq!(take_pair_levels(&mut rest).unwrap(), (7, 70_000, Some(g)));
        assert_eq!(take_pair(&mut rest).unwrap(), (1, 2, None));
        assert!(rest.is_empty());
        assert!(take_pair_levels(&mut &buf[..8 + N - 1]).is_err());
    }
    use crate::dedup::features::FeatureStrings;
    use crate::normalise::date::Date;

    /// A model in which every level is equally likely among duplicates and by chance.
    fn flat_model() -> Model {
        use model::{ComparisonParams, LevelParams};
        let comparisons = compare::COMPARISONS
            .iter()
            .map(|c| ComparisonParams {
                name: c.name.to_string(),
                levels: c.levels.iter().map(|l| LevelParams { name: l.to_string(), m: 0.1, u: 0.1 }).collect(),
            })
            .collect();
        Model { prior: 0.5, comparisons, origin: "test".into(), em_iterations: 0, u_sample_pairs: 0 }
    }

    #[test]
    fn a_small_list_asks_for_the_evidence_that_singles_out_one_of_its_pairs() {
        let person = |first: &str| {
            FeatureStrings { first: first.into(), last: "hansen".into(), ..FeatureStrings::default() }.pack()
        };
        let company = |name: &str| {
            let mut f = FeatureStrings { org_name: name.into(), ..FeatureStrings::default() }.pack();
            f.is_org = true;
            f
        };
        // Twelve accounts (66 pairs) and three people (3 pairs).
        let mut register: Vec<Features> = (0..12).map(|i| company(&format!("firma {i}"))).collect();
        register.extend(["ola", "kari", "per"].map(person));
        let t = Thresholds::for_register(12.0, &register);
        assert_eq!((t.org, t.person, t.configured), (6.0444, 1.585, 12.0));
        assert_eq!(t.of(&register[0], &register[1]), 6.0444);
        assert_eq!(t.of(&register[12], &register[13]), 1.585);
        assert_eq!(t.of(&register[0], &register[12]), 12.0, "a contact and an account: the configured threshold");
        // From 92 records (4,186 pairs, 12.03 bits) a kind is held to the configured threshold.
        let register: Vec<Features> = (0..92).map(|i| person(&format!("name{i}"))).collect();
        assert_eq!(Thresholds::for_register(12.0, &register).person, 12.0);
        let register: Vec<Features> = (0..91).map(|i| person(&format!("name{i}"))).collect();
        assert!(Thresholds::for_register(12.0, &register).person < 12.0);
    }

    #[test]
    fn a_pattern_chance_explains_is_refused_and_a_rare_one_kept() {
        let rec = |first: &str, last: &str| {
            FeatureStrings {
                first: first.into(),
                last: last.into(),
                birth: Date::new(1980, 1, 1),
                ..FeatureStrings::default()
            }
            .pack()
        };
        // 2,000 records: first name and birth date shared by all, surnames all different but
        // for ten pairs. Every level has u = 0.1 except an equal surname (u = 1e-7).
        let mut model = flat_model();
        model.comparisons[compare::LAST_NAME].levels[lv!(compare::LAST_NAME, "exact") as usize].u = 1e-7;
        let mut register: Vec<Features> = (0..1990).map(|i| rec("ola", &format!("family{i}"))).collect();
        register.extend((0..10).map(|i| rec("ola", &format!("family{i}"))));
        let scorer = Scorer::new(&model, &register);
        let link = |a: u32, b: u32| Link { a, b, weight: 20.0 };
        // Ten links that agree on first name and birth date only: 2,000·1,999/2 pairs · 0.1³ =
        // 1,999 expected by chance. Ten that also share the surname: 0.002 expected.
        let mut links: Vec<Link> = (0..10).map(|i| link(100 + 2 * i, 101 + 2 * i)).collect();
        links.extend((0..10).map(|i| link(i, 1990 + i)));
        let mut check = NamesakeCheck::default();
        let refused = coincidence_check(&scorer, &mut links, 0, &mut check);
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert_eq!(check.coincidence_refused_links, 10);
        assert!(links.iter().all(|l| l.a < 10), "{links:?}");
    }

    #[test]
    fn namesake_links_are_refused_only_where_chance_explains_them() {
        let rec = |first: &str, last: &str, (y, m, d): (i32, u8, u8)| {
            FeatureStrings {
                first: first.into(),
                last: last.into(),
                birth: Date::new(y, m, d),
                ..FeatureStrings::default()
            }
            .pack()
        };
        let model = flat_model();
        let link = |a: u32, b: u32| Link { a, b, weight: 20.0 };
        // Forty Ola Hansens born the same day: 780 pairs share name and date by chance, so ten
        // links among them are coincidences and are refused.
        let crowd: Vec<Features> = (0..40).map(|_| rec("ola", "hansen", (1980, 1, 1))).collect();
        let scorer = Scorer::new(&model, &crowd);
        let mut links = Vec::new();
        let (check, _) = namesake_check(&scorer, (0..10).map(|i| link(2 * i, 2 * i + 1)).collect(), &mut links);
        assert!(check.refused && check.refused_links == 10 && links.is_empty(), "{check:?}");
        assert_eq!(check.patterns.len(), 1);
        assert_eq!((check.patterns[0].first_name, check.patterns[0].address), ("exact", "else"));
        assert!((check.expected_coincidental_pairs - 780.0).abs() < 1e-9, "{check:?}");
        // Two hundred people with their own names and birthdays, ten of them entered twice:
        // the ten links are far more than chance predicts, and are kept.
        let mut register: Vec<Features> = (0..200)
            .map(|i| rec(&format!("given{i}"), &format!("family{i}"), (1950 + i / 10, 1 + (i % 12) as u8, 1)))
            .collect();
        for i in 0..10 {
            register.push(rec(&format!("given{i}"), &format!("family{i}"), (1950, 1 + (i % 12) as u8, 1)));
        }
        let scorer = Scorer::new(&model, &register);
        let mut links = Vec::new();
        let (check, _) = namesake_check(&scorer, (0..10).map(|i| link(i, 200 + i)).collect(), &mut links);
        assert!(!check.refused && check.refused_links == 0 && links.len() == 10, "{check:?}");
        assert!(check.patterns[0].expected_coincidental_pairs < 0.1, "{check:?}");
    }

    #[test]
    fn a_sole_names_weight_is_the_same_whichever_record_comes_first() {
        let rec = |first: &str, last: &str| {
            FeatureStrings { first: first.into(), last: last.into(), ..FeatureStrings::default() }.pack()
        };
        // Vansittart alone beside Harriet Vansittart agrees on the surname from the first-name
        // slot; its term frequency is the surname's, not that of an empty surname.
        let mut register = vec![rec("vansittart", ""), rec("harriet", "vansittart")];
        register.extend((0..20).map(|i| rec(&format!("given{i}"), "hansen")));
        register.extend((0..5).map(|i| rec(&format!("other{i}"), "vansittart")));
        let model = flat_model();
        let scorer = Scorer::new(&model, &register);
        let weight =
            |i: u32, j: u32| scorer.weights(i, j, &compare::compare(&register[i as usize], &register[j as usize])).0;
        assert_eq!(weight(0, 1), weight(1, 0));
    }

    /// A person's record with a name and, perhaps, a birth date.
    fn named(first: &str, last: &str, birth: Option<(i32, u8, u8)>) -> Features {
        FeatureStrings {
            first: first.into(),
            last: last.into(),
            birth: birth.and_then(|(y, m, d)| Date::new(y, m, d)),
            ..FeatureStrings::default()
        }
        .pack()
    }

    #[test]
    fn dates_one_digit_of_the_year_apart_are_one_person_mistyped() {
        let date = |y: i32, m: u8, d: u8| (0u64, y, m == 0, date_digits(Date { year: y, month: m, day: d }));
        // Thomas Chudleigh twice on 1630-08-01 and once on 1680-08-01: two typo pairs. A John
        // born 1700-03-04 is someone else (not one digit), as is 1631-08-01 (a year apart:
        // not counted as different people at all).
        let group = [date(1630, 8, 1), date(1630, 8, 1), date(1680, 8, 1), date(1700, 3, 4), date(1631, 8, 1)];
        assert_eq!(year_typo_pairs(&group, 5), 2.0);
        // Approximate years: 1841 and 1881 are one digit apart; 1841 and 1844 are within the
        // window (the same person anyway), 1844 and 1881 two digits apart.
        let years = [date(1841, 0, 0), date(1844, 0, 0), date(1881, 0, 0)];
        assert_eq!(year_typo_pairs(&years, 5), 1.0);
        // One person's copies with a mistyped year do not make the name look shared.
        let rec = |year: i32| named("thomas", "chudleigh", Some((year, 8, 1)));
        let mut register = vec![rec(1630), rec(1630), rec(1680), rec(1630)];
        for i in 0..50 {
            register.push(named(&format!("given{i}"), &format!("family{i}"), Some((1700 + i, 1, 2))));
        }
        assert_eq!(namesake_chance(&register), Some(0.0));
    }

    #[test]
    fn a_name_shared_at_one_address_is_no_coincidence() {
        // Born on different days of the year: dates one digit of the year apart would be one
        // person's typo.
        let rec = |first: &str, last: &str, year: i32, street: &str| {
            FeatureStrings {
                first: first.into(),
                last: last.into(),
                birth: Date::new(year, 1 + (year % 12) as u8, 4),
                street_key: street.into(),
                ..FeatureStrings::default()
            }
            .pack()
        };
        // Ten fathers and the sons named after them, each pair at its own address, and two
        // strangers of one name in different towns, among a hundred people of their own names.
        let mut register: Vec<Features> = (0..10)
            .flat_map(|i| {
                let street = format!("{i} main st");
                [
                    rec(&format!("father{i}"), "family", 1940, &street),
                    rec(&format!("father{i}"), "family", 1971, &street),
                ]
            })
            .collect();
        register.push(rec("john", "smith", 1950, "1 elm st"));
        register.push(rec("john", "smith", 1983, "2 oak st"));
        for i in 0..100 {
            register.push(rec(&format!("given{i}"), &format!("other{i}"), 1900 + i, &format!("{i} high st")));
        }
        let pairs = (register.len() * (register.len() - 1) / 2) as f64;
        let p = namesake_chance(&register).unwrap();
        // Only the strangers count: one pair of names among the pairs born years apart.
        assert!(p > 0.5 / pairs && p < 2.0 / pairs, "{p} against {}", 1.0 / pairs);
    }

    #[test]
    fn an_undated_link_is_decided_by_the_people_its_name_is_carried_by() {
        let rec = named;
        let model = flat_model();
        let link = |a: u32, b: u32| Link { a, b, weight: 20.0 };
        // Three John Smiths born decades apart and one without a birth date; four records of
        // Thomas Chudleigh, one date mistyped by a digit (1680 for 1630), and one without; a
        // hundred others with their own names and dates.
        let mut register = vec![
            rec("john", "smith", Some((1800, 1, 5))),
            rec("john", "smith", Some((1850, 3, 7))),
            rec("john", "smith", Some((1900, 6, 9))),
            rec("john", "smith", None),
            rec("thomas", "chudleigh", Some((1630, 8, 1))),
            rec("thomas", "chudleigh", Some((1630, 8, 1))),
            rec("thomas", "chudleigh", Some((1680, 8, 1))),
            rec("thomas", "chudleigh", Some((1630, 8, 1))),
            rec("thomas", "chudleigh", None),
        ];
        for i in 0..100 {
            register.push(rec(&format!("given{i}"), &format!("family{i}"), Some((1700 + i, 1 + (i % 12) as u8, 2))));
        }
        let names = NamesByPeople::new(&register);
        let people = |i: usize| names.by_name[&NamesByPeople::key(&register[i], None)];
        assert_eq!((people(0), people(4)), ((3, 3), (1, 4)));
        let scorer = Scorer::new(&model, &register);
        let mut links = Vec::new();
        let (check, refused) = namesake_check(&scorer, vec![link(0, 3), link(4, 8)], &mut links);
        // An undated John Smith could be any of three: refused. Thomas Chudleigh is one man.
        assert_eq!(refused, HashSet::from([(0, 3)]), "{check:?}");
        assert_eq!(links.iter().map(|l| (l.a, l.b)).collect::<Vec<_>>(), vec![(4, 8)]);
        assert!(check.refused && check.refused_links == 1 && !check.patterns[0].refused, "{check:?}");
        assert_eq!(check.patterns[0].refused_links, 1);
    }

    #[test]
    fn links_between_towns_are_left_to_their_names_where_undated_records_are_copies() {
        let rec = |first: &str, last: &str, year: Option<i32>, town: &str| {
            FeatureStrings {
                first: first.into(),
                last: last.into(),
                birth: year.and_then(|y| Date::new(y, 1 + (y % 12) as u8, 9)),
                city: town.into(),
                ..FeatureStrings::default()
            }
            .pack()
        };
        let model = flat_model();
        let link = |a: u32, b: u32| Link { a, b, weight: 20.0 };
        // An archive: 40 people with three dated records and an undated copy in their town;
        // Thomas Chudleigh (rows 0-3) with his undated copy in another town; ten names carried
        // by two people born 53 years apart.
        let mut register = vec![
            rec("thomas", "chudleigh", Some(1630), "devon"),
            rec("thomas", "chudleigh", Some(1630), "devon"),
            rec("thomas", "chudleigh", Some(1630), "devon"),
            rec("thomas", "chudleigh", None, "london"),
        ];
        let mut in_town = Vec::new();
        for i in 0..40 {
            let (first, last, town) = (format!("given{i}"), format!("family{i}"), format!("town{i}"));
            for _ in 0..3 {
                register.push(rec(&first, &last, Some(1700 + i), &town));
            }
            register.push(rec(&first, &last, None, &town));
            in_town.push(link(register.len() as u32 - 2, register.len() as u32 - 1));
        }
        for i in 0..10 {
            register.push(rec(&format!("shared{i}"), "name", Some(1800 + i), &format!("north{i}")));
            register.push(rec(&format!("shared{i}"), "name", Some(1853 + i), &format!("south{i}")));
        }
        let scorer = Scorer::new(&model, &register);
        // Alone, the link between towns is one of a pattern chance explains: refused whole.
        let mut links = Vec::new();
        let (check, _) = namesake_check(&scorer, vec![link(2, 3)], &mut links);
        assert!(links.is_empty() && check.patterns[0].refused, "{check:?}");
        // With the in-town copies beside it, it is decided by its name: one man, kept.
        let mut links = Vec::new();
        let mut all = in_town.clone();
        all.push(link(2, 3));
        let (check, refused) = namesake_check(&scorer, all, &mut links);
        assert!(refused.is_empty() && links.len() == 41, "{check:?}");
        let between = check.patterns.iter().find(|p| p.address == "else").unwrap();
        assert!(!between.refused && between.expected_coincidental_pairs > 0.5, "{check:?}");
    }

    #[test]
    fn a_variant_pattern_is_kept_when_the_exact_one_shows_enough_duplicates() {
        let rec = |first: &str| {
            FeatureStrings {
                first: first.into(),
                last: "hansen".into(),
                birth: Date::new(1980, 1, 1),
                ..FeatureStrings::default()
            }
            .pack()
        };
        let model = flat_model();
        let link = |a: u32, b: u32| Link { a, b, weight: 20.0 };
        // Forty Ola Hansens and a Qwerty and a Qwertz Hansen, all born the same day. The
        // variant pattern (first names one letter apart) is expected by chance as often as the
        // exact one (the flat model's u-ratios are 1): 42·41/2 pairs · 1560/1722 sharing the
        // full name = 780, so by that estimate 600 variant links are mostly chance.
        let mut crowd: Vec<Features> = (0..40).map(|_| rec("ola")).collect();
        crowd.push(rec("qwerty"));
        crowd.push(rec("qwertz"));
        let scorer = Scorer::new(&model, &crowd);
        let exact = expected_namesake_pairs(&crowd, None);
        assert!((exact - 780.0).abs() < 1e-9, "{exact}");
        let variant: Vec<Link> = (0..600).map(|_| link(40, 41)).collect();
        // With few exact links, the exact pattern shows no duplicates beyond chance, so the
        // duplicates estimate agrees and the variant links are refused.
        let few: Vec<Link> = (0..10).map(|_| link(0, 1)).chain(variant.iter().cloned()).collect();
        let (check, _) = namesake_check(&scorer, few, &mut Vec::new());
        let pattern = |check: &NamesakeCheck| {
            check.patterns.iter().find(|p| p.first_name == "jw_0.92").cloned().expect("a jw_0.92 pattern")
        };
        assert!(pattern(&check).refused && pattern(&check).expected_duplicates == 0.0, "{check:?}");
        // With 2,000 exact links, some 1,220 are duplicates beyond chance; the flat model gives
        // duplicates a variant name as often as an exact one, so about 1,220 of the 600 variant
        // links are expected to be duplicates too: the two estimates disagree and they are kept.
        let many: Vec<Link> = (0..2000).map(|_| link(0, 1)).chain(variant.iter().cloned()).collect();
        let mut kept = Vec::new();
        let (check, _) = namesake_check(&scorer, many, &mut kept);
        let p = pattern(&check);
        assert!(!p.refused && p.expected_coincidental_pairs > 300.0 && p.expected_duplicates > 300.0, "{check:?}");
        assert_eq!(kept.len(), 2600);
    }

    #[test]
    fn same_area_chance_is_shared_postcode_or_city_among_same_surnames() {
        let rec = |last: &str, postcode: &str, city: &str| {
            FeatureStrings {
                last: last.into(),
                postcode: postcode.into(),
                city: city.into(),
                ..FeatureStrings::default()
            }
            .pack()
        };
        // Hansens: four, so 4·3 = 12 ordered pairs. Same postcode: the two in 0150 (2 pairs);
        // same city: the three in Oslo (6 pairs), of which the 0150 pair is counted once. The
        // Berg alone makes no pair, and the record without a surname does not count.
        let features = [
            rec("hansen", "0150", "oslo"),
            rec("hansen", "0150", "oslo"),
            rec("hansen", "0151", "oslo"),
            rec("hansen", "5003", "bergen"),
            rec("berg", "0150", "oslo"),
            rec("", "0150", "oslo"),
        ];
        assert!((same_area_chance(&features) - 6.0 / 12.0).abs() < 1e-9, "{}", same_area_chance(&features));
        assert_eq!(same_area_chance(&features[4..]), 0.0);
    }

    #[test]
    fn rows_whose_raw_birth_dates_differ_are_not_copies() {
        use crate::field::Field;
        use crate::normalise::{CleanRow, Cleaned};
        // Two rows alike in every cleaned value, whose birth dates failed cleaning (1630 is
        // before the plausible range) and so reach dedup raw: 1630-08-01 and 1630-08-02.
        let row = || {
            let mut cells = vec![Cleaned::missing(); Field::COUNT];
            cells[Field::FirstName.index()] = Cleaned::valid("Thomas".into());
            cells[Field::LastName.index()] = Cleaned::valid("Clifford".into());
            cells[Field::BirthDate.index()] = Cleaned::invalid();
            CleanRow::pack(&cells)
        };
        let clean = vec![row(), row(), row()];
        let births = [Date::new(1630, 8, 1), Date::new(1630, 8, 2), Date::new(1630, 8, 1)];
        let features: Vec<Features> =
            clean.iter().zip(births).map(|(c, b)| Features::from_clean_with_phones(c, b, "", ["", ""])).collect();
        let copy: Vec<u64> = clean.iter().zip(births).map(|(c, b)| copy_hash(c, b)).collect();
        let compared: HashMap<u32, CleanRow> = clean.iter().cloned().enumerate().map(|(i, c)| (i as u32, c)).collect();
        let copies = exact_duplicates(&copy, &compared, &births, &features, &HashSet::new(), &[3, 2, 1]);
        // Only the two of one date are copies, whichever row stands for them.
        assert_eq!(copies, vec![(2, 0)]);
    }

    #[test]
    fn same_area_chance_counts_only_people_born_years_apart() {
        let rec = |last: &str, city: &str, year: i32| {
            FeatureStrings {
                last: last.into(),
                city: city.into(),
                birth: Date::new(year, 3, 1),
                ..FeatureStrings::default()
            }
            .pack()
        };
        // An archive: three copies of one Hansen (1850, Oslo) and one of another (1790,
        // Bergen), two Bergs born decades apart in one town. Over all same-surname pairs the
        // copies make a shared town look common (8 of 14 ordered pairs); among people born
        // years apart (the 3·1 Hansen pairs and the Berg pair, 8 ordered pairs) only the Bergs
        // share one: 2 of 8.
        let features = [
            rec("hansen", "oslo", 1850),
            rec("hansen", "oslo", 1850),
            rec("hansen", "oslo", 1850),
            rec("hansen", "bergen", 1790),
            rec("berg", "oslo", 1820),
            rec("berg", "oslo", 1875),
        ];
        assert!((same_area_chance(&features) - 2.0 / 8.0).abs() < 1e-9, "{}", same_area_chance(&features));
        // A fourth copy of the Oslo Hansen with its year mistyped (1880 for 1850) is still him:
        // only its pairs with the Bergen Hansen count (different towns), 2 of 10.
        let mut typo = features.to_vec();
        typo.push(rec("hansen", "oslo", 1880));
        assert!((same_area_chance(&typo) - 2.0 / 10.0).abs() < 1e-9, "{}", same_area_chance(&typo));
        assert!((same_area_chance_all_pairs(&features) - 8.0 / 14.0).abs() < 1e-9);
    }

    #[test]
    fn expected_namesake_pairs_from_name_and_date_shares() {
        let rec = named;
        // Four records with a name and a date: two Ola Hansens, two Kari Bergs, and two pairs of
        // birth dates that cut across the names. Pairs: 4·3/2 = 6; P(same name) = 2·(2·1) /
        // (4·3) = 1/3; among the 8 ordered pairs of different names, 4 share a date: 1/2;
        // expected coincidences 6 · 1/3 · 1/2 = 1. The record without a birth date does not count.
        let features = [
            rec("ola", "hansen", Some((1980, 1, 1))),
            rec("ola", "hansen", Some((1990, 2, 2))),
            rec("kari", "berg", Some((1980, 1, 1))),
            rec("kari", "berg", Some((1990, 2, 2))),
            rec("per", "dahl", None),
        ];
        assert!((expected_namesake_pairs(&features, None) - 1.0).abs() < 1e-9);
        assert_eq!(expected_namesake_pairs(&features[..1], None), 0.0);
    }

    #[test]
    fn name_and_birth_date_only_is_that_kind_of_pattern_and_no_other() {
        use compare::*;
        let mut g: Gammas = [0; N];
        g[FIRST_NAME] = lv!(FIRST_NAME, "exact");
        g[LAST_NAME] = lv!(LAST_NAME, "exact");
        g[BIRTH_DATE] = lv!(BIRTH_DATE, "exact");
        g[ADDRESS] = lv!(ADDRESS, "else");
        assert!(cluster::name_and_birth_date_only(&g));
        // One comparison changed from the pattern above, and whether the pair still belongs.
        let cases = [
            (PHONE, "mobile", false),
            (ADDRESS, "postcode_city", false),
            (ADDRESS, "area", true),
            (FIRST_NAME, "nickname", true),
            (LAST_NAME, "phonetic", true),
            (FIRST_NAME, "else", false),
            (BIRTH_DATE, "one_edit", true),
            (BIRTH_DATE, "else", false),
            (EMAIL, "exact", false),
            (NATIONAL_ID, "one_edit", false),
        ];
        for (c, name, belongs) in cases {
            let mut changed = g;
            changed[c] = level(c, name);
            assert_eq!(cluster::name_and_birth_date_only(&changed), belongs, "{} {name}", COMPARISONS[c].name);
        }
    }
}
