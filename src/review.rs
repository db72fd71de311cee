//! Review: the pairs a person should settle, and what the settled ones say of the model.
//!
//! Pairs near the threshold are where the model is least sure, and a person settling a few dozen
//! of them is worth more than any default. Every run picks a review queue from the scored pairs
//! (dedupe's active-learning idea: the least certain first, and not many of one customer), which
//! review.csv lists side by side, masked like the report's pair examples. `regclean review`
//! walks the queue in the terminal or imports a filled `decision` column, and appends the
//! answers to the decisions file that later runs obey (`decisions`). A run given decisions
//! estimates the precision and recall of the model's own linking from the decided pairs
//! ([`Tally`]).

use crate::decisions::{self, Decisions, RowNames};
use crate::dedup::PairExplanation;
use crate::dedup::compare::COMPARISONS;
use crate::error::Error;
use crate::field::Field;
use crate::report::{Estimate, ReviewReport};
use crate::rundir::RunDir;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Pairs in review.csv unless `--review-pairs` says otherwise.
pub const DEFAULT_PAIRS: usize = 50;

/// How many pairs of the queue may touch one customer (a golden record of the run): a cluster
/// whose members are all near the threshold would otherwise fill the queue with one question.
pub const PAIRS_PER_CUSTOMER: usize = 2;

/// The file every run writes the queue to, in the run's output directory.
pub const QUEUE_FILE: &str = "review.csv";

/// The columns before the compared fields; `decision` is the reviewer's.
pub const FIXED_COLUMNS: [&str; 8] = [
    "record_a",
    "record_b",
    "decision",
    "match_probability",
    "evidence_bits",
    "threshold_bits",
    "linked",
    "refused_because",
];

/// A person's answer on a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Same,
    Different,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Same => "same",
            Decision::Different => "different",
        }
    }
}

/// A scored pair that may go into the queue, with what orders it.
#[derive(Debug, Clone)]
struct Candidate {
    /// Bits between the pair's evidence and its threshold: the smaller, the less certain.
    distance: f64,
    /// A hash of the two records' identities: ties broken without depending on row order.
    key: u64,
    pair: PairExplanation,
}

/// A pool of the best candidates by `order` (smallest first), at most `cap` kept; pruned in
/// batches so that choosing from millions of pairs costs a sort of a few hundred now and then.
struct Pool {
    cap: usize,
    items: Vec<Candidate>,
    /// The worst order still kept after the last pruning (once the pool is full).
    bar: Option<(f64, u64)>,
    order: fn(&Candidate) -> (f64, u64),
}

impl Pool {
    fn new(cap: usize, order: fn(&Candidate) -> (f64, u64)) -> Pool {
        Pool { cap, items: Vec::new(), bar: None, order }
    }

    fn offer(&mut self, c: impl FnOnce() -> Candidate, order: (f64, u64)) {
        if self.cap == 0 || self.bar.is_some_and(|bar| cmp(order, bar).is_ge()) {
            return;
        }
        self.items.push(c());
        if self.items.len() >= 2 * self.cap {
            self.prune();
        }
    }

    fn prune(&mut self) {
        let order = self.order;
        self.items.sort_by(|x, y| cmp(order(x), order(y)));
        self.items.truncate(self.cap);
        if self.items.len() == self.cap {
            self.bar = self.items.last().map(order);
        }
    }

    fn sorted(mut self) -> Vec<Candidate> {
        self.prune();
        self.items
    }
}

fn cmp(x: (f64, u64), y: (f64, u64)) -> std::cmp::Ordering {
    x.0.total_cmp(&y.0).then(x.1.cmp(&y.1))
}

/// Chooses the review queue while the scored pairs stream past (`output::pairs::stage_pairs`),
/// and tallies the decided pairs for the estimates.
pub struct Chooser<'a> {
    cap: usize,
    identities: &'a [u64],
    /// Pairs (smaller row first) a person already decided, with the decision.
    decided: HashMap<(u32, u32), Decision>,
    /// The least certain pairs.
    uncertain: Pool,
    /// Pairs above the threshold that a check on patterns of links (or clustering) refused, the
    /// highest evidence first: where the model and its rules disagree.
    refused: Pool,
    tally: Tally,
}

/// The decided pairs that were scored, by the model's decision against the person's.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
    pub true_negatives: usize,
}

impl<'a> Chooser<'a> {
    /// `cap` pairs at most; `identities` are the rows' identity keys (`ids::identity_keys`).
    pub fn new(cap: usize, decisions: &Decisions, identities: &'a [u64]) -> Chooser<'a> {
        let mut decided: HashMap<(u32, u32), Decision> = HashMap::new();
        for &p in &decisions.same {
            decided.insert(p, Decision::Same);
        }
        for &p in &decisions.different {
            decided.insert(p, Decision::Different);
        }
        // Enough to leave out pairs of one customer and still fill the queue.
        let pool = cap.saturating_mul(8);
        Chooser {
            cap,
            identities,
            decided,
            uncertain: Pool::new(pool, |c| (c.distance, c.key)),
            refused: Pool::new(pool, |c| (-c.distance, c.key)),
            tally: Tally::default(),
        }
    }

    /// Looks at one scored pair.
    pub fn consider(&mut self, p: &PairExplanation) {
        let pair = (p.a.min(p.b), p.a.max(p.b));
        if let Some(&human) = self.decided.get(&pair) {
            let t = &mut self.tally;
            match (p.model_links, human) {
                (true, Decision::Same) => t.true_positives += 1,
                (true, Decision::Different) => t.false_positives += 1,
                (false, Decision::Same) => t.false_negatives += 1,
                (false, Decision::Different) => t.true_negatives += 1,
            }
            return;
        }
        let (x, y) = (self.identities[p.a as usize], self.identities[p.b as usize]);
        let key = (x.min(y) ^ x.max(y).rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let evidence = p.total - p.prior;
        let distance = (evidence - p.threshold).abs();
        let candidate = || Candidate { distance, key, pair: p.clone() };
        self.uncertain.offer(candidate, (distance, key));
        if p.refused.is_some() {
            self.refused.offer(candidate, (-distance, key));
        }
    }

    /// The queue, least certain first (ties by the records' identities), given the run's final
    /// clusters (`labels`): at most a quarter of it pairs refused by a rule with the most
    /// evidence, the rest the pairs nearest the threshold, never more than
    /// [`PAIRS_PER_CUSTOMER`] touching one cluster nor two between the same two clusters.
    /// Pairs nearer the threshold go first, so they are the ones kept.
    pub fn finish(self, labels: &[u32]) -> (Vec<PairExplanation>, Tally) {
        let mut touches: HashMap<u32, usize> = HashMap::new();
        let mut between: HashSet<(u32, u32)> = HashSet::new();
        let mut taken: HashSet<(u32, u32)> = HashSet::new();
        let mut chosen: Vec<Candidate> = Vec::new();
        let mut take = |c: Candidate, chosen: &mut Vec<Candidate>| {
            let (la, lb) = (labels[c.pair.a as usize], labels[c.pair.b as usize]);
            let clusters = (la.min(lb), la.max(lb));
            let pair = (c.pair.a.min(c.pair.b), c.pair.a.max(c.pair.b));
            let full = |l: u32| touches.get(&l).copied().unwrap_or(0) >= PAIRS_PER_CUSTOMER;
            if taken.contains(&pair) || (la != lb && between.contains(&clusters)) || full(la) || full(lb) {
                return;
            }
            taken.insert(pair);
            between.insert(clusters);
            *touches.entry(la).or_insert(0) += 1;
            if lb != la {
                *touches.entry(lb).or_insert(0) += 1;
            }
            chosen.push(c);
        };
        let refused_quota = self.cap.div_ceil(4);
        for c in self.refused.sorted() {
            if chosen.len() >= refused_quota {
                break;
            }
            take(c, &mut chosen);
        }
        for c in self.uncertain.sorted() {
            if chosen.len() >= self.cap {
                break;
            }
            take(c, &mut chosen);
        }
        chosen.sort_by(|x, y| cmp((x.distance, x.key), (y.distance, y.key)));
        (chosen.into_iter().map(|c| c.pair).collect(), self.tally)
    }
}

impl Tally {
    /// report.json's `review` section: counts, point estimates and 95 % Wilson intervals.
    pub fn report(&self, decisions: &Decisions) -> ReviewReport {
        let t = self;
        let decided = decisions.same.len() + decisions.different.len();
        let scored = t.true_positives + t.false_positives + t.false_negatives + t.true_negatives;
        ReviewReport {
            decided_pairs: decided,
            decided_same: decisions.same.len(),
            decided_different: decisions.different.len(),
            scored_pairs: scored,
            not_scored_pairs: decided.saturating_sub(scored),
            true_positives: t.true_positives,
            false_positives: t.false_positives,
            false_negatives: t.false_negatives,
            true_negatives: t.true_negatives,
            precision: wilson(t.true_positives, t.true_positives + t.false_positives),
            recall: wilson(t.true_positives, t.true_positives + t.false_negatives),
            confidence: 0.95,
            interval: "wilson",
        }
    }
}

/// The share `k / n` with its 95 % Wilson score interval (good for small n and shares near 0
/// or 1, where the normal approximation leaves [0, 1]); `None` when `n` is 0.
pub fn wilson(k: usize, n: usize) -> Option<Estimate> {
    if n == 0 {
        return None;
    }
    const Z: f64 = 1.959_963_984_540_054;
    let (k, nf) = (k as f64, n as f64);
    let p = k / nf;
    let z2 = Z * Z;
    let centre = (p + z2 / (2.0 * nf)) / (1.0 + z2 / nf);
    let half = Z / (1.0 + z2 / nf) * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    let round = |x: f64| (x.clamp(0.0, 1.0) * 1e4).round() / 1e4;
    Some(Estimate { estimate: round(p), low: round(centre - half), high: round(centre + half), pairs: n })
}

/// The cleaned fields each comparison looks at, shown side by side: the report's pair
/// examples' (`report::comparison_fields`), and those of the middle name and the
/// organisations' comparisons, which the report does not show.
pub fn comparison_fields(comparison: &str) -> &'static [Field] {
    match comparison {
        "middle_name" => &[Field::MiddleName],
        "org_name" => &[Field::Company],
        "website" => &[Field::Website],
        "org_number" => &[Field::OrgNumber],
        other => crate::report::comparison_fields(other),
    }
}

/// review.csv as a table of text: the header and one row per queued pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The queue side by side: for each pair the records' names (as a decisions file takes them),
/// an empty `decision`, the probability, evidence and threshold, and per comparison that any
/// queued pair has a value for, `<comparison>_a`, `<comparison>_b` and `<comparison>_evidence`
/// (the level and its match weight in bits). Values are masked like the report's pair examples
/// (`report::mask_for_judging`) unless `show_samples`; with `formula_guard` a value a
/// spreadsheet would run as a formula gets a leading `'` (`spreadsheet::neutralise`).
pub fn table(
    queue: &[PairExplanation],
    register: &crate::normalise::Register,
    show_samples: bool,
    formula_guard: bool,
) -> Table {
    let value = |i: u32, comparison: &str| {
        let v: Vec<String> = comparison_fields(comparison)
            .iter()
            .filter_map(|&f| {
                let v = register.clean[i as usize].value(f)?;
                Some(if show_samples { v.to_owned() } else { crate::report::mask_for_judging(f, v) })
            })
            .collect();
        let v = v.join(" ");
        if formula_guard { crate::spreadsheet::neutralise(&v).0.into_owned() } else { v }
    };
    let shown: Vec<usize> = (0..COMPARISONS.len())
        .filter(|&c| {
            queue.iter().any(|p| {
                p.gammas[c] != 0
                    || !value(p.a, COMPARISONS[c].name).is_empty()
                    || !value(p.b, COMPARISONS[c].name).is_empty()
            })
        })
        .collect();
    let mut header: Vec<String> = FIXED_COLUMNS.iter().map(|c| c.to_string()).collect();
    for &c in &shown {
        let name = COMPARISONS[c].name;
        header.extend([format!("{name}_a"), format!("{name}_b"), format!("{name}_evidence")]);
    }
    let names = record_names(queue, register);
    let rows = queue
        .iter()
        .map(|p| {
            let evidence = p.total - p.prior;
            let mut row = vec![
                names[&p.a].clone(),
                names[&p.b].clone(),
                String::new(),
                format!("{:.6}", 1.0 / (1.0 + (-p.total).exp2())),
                format!("{evidence:.4}"),
                format!("{:.4}", p.threshold),
                p.linked.to_string(),
                p.refused.map_or("", |r| r.as_str()).to_string(),
            ];
            for &c in &shown {
                let name = COMPARISONS[c].name;
                row.push(value(p.a, name));
                row.push(value(p.b, name));
                row.push(format!("{} {:+.2}", COMPARISONS[c].levels[p.gammas[c] as usize], p.weights[c]));
            }
            row
        })
        .collect();
    Table { header, rows }
}

/// How the queue names each of its rows: by record id when exactly one row of the register has
/// it (and it cannot be read as `file:line`), else as `source_file:source_line`, both of which a
/// decisions file takes.
fn record_names(queue: &[PairExplanation], register: &crate::normalise::Register) -> HashMap<u32, String> {
    let id = |i: usize| register.clean[i].value(Field::RecordId).unwrap_or("");
    let rows: HashSet<u32> = queue.iter().flat_map(|p| [p.a, p.b]).collect();
    let mut count: HashMap<&str, usize> =
        rows.iter().map(|&i| id(i as usize)).filter(|s| !s.is_empty() && !s.contains(':')).map(|s| (s, 0)).collect();
    for i in 0..register.clean.len() {
        if let Some(n) = count.get_mut(id(i)) {
            *n += 1;
        }
    }
    rows.into_iter()
        .map(|i| {
            let r = &register.ingested.rows[i as usize];
            let name = match count.get(id(i as usize)) {
                Some(1) => id(i as usize).to_string(),
                _ => format!("{}:{}", register.ingested.sources[r.source as usize].name, r.line),
            };
            (i, name)
        })
        .collect()
}

/// A decision proposed by a review, with where it came from (for errors).
#[derive(Debug, Clone, PartialEq)]
pub struct Proposed {
    pub a: String,
    pub b: String,
    pub decision: Decision,
    /// The file the answer was read from, its line (or sheet row) and the columns of
    /// record_a, record_b and decision.
    pub origin: (PathBuf, usize, [usize; 3]),
}

/// One pair of the queue as the terminal shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub a: String,
    pub b: String,
    /// Its line in review.csv.
    pub line: usize,
    pub probability: String,
    pub linked: String,
    pub refused: String,
    /// Per comparison: name, the two values and the evidence.
    pub fields: Vec<(String, String, String, String)>,
}

/// Reads a run's review queue. `clear`: the values are read from records.csv's cleaned
/// columns (the run's own record of them) instead of review.csv's masked ones. Pairs already
/// decided in `decided` are left out.
pub fn read_queue(run: &RunDir, clear: bool, decided: &Decisions) -> Result<Vec<Item>, Error> {
    let path = run.dir.join(QUEUE_FILE);
    if !path.is_file() {
        return Err(Error::input(
            &path,
            None,
            None,
            "not found; this run is older than the review queue: run `regclean run` again",
        ));
    }
    let mut reader = csv::Reader::from_path(&path).map_err(|e| Error::input(&path, None, None, &e.to_string()))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Error::input(&path, Some(1), None, &e.to_string()))?
        .iter()
        .map(str::to_string)
        .collect();
    if header.len() < FIXED_COLUMNS.len() || header[..FIXED_COLUMNS.len()] != FIXED_COLUMNS {
        return Err(Error::input(&path, Some(1), None, &format!("expected the columns {}", FIXED_COLUMNS.join(","))));
    }
    let comparisons: Vec<String> =
        header[FIXED_COLUMNS.len()..].iter().filter_map(|h| h.strip_suffix("_evidence")).map(str::to_string).collect();
    let names = row_names(run);
    let mut items = Vec::new();
    for record in reader.records() {
        let record =
            record.map_err(|e| Error::input(&path, e.position().map(|p| p.line() as usize), None, &e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let at = |name: &str| header.iter().position(|h| h == name).and_then(|c| record.get(c)).unwrap_or("");
        let mut ends = [0u32; 2];
        for (k, col) in [0usize, 1].into_iter().enumerate() {
            ends[k] = names.resolve(&record[col]).map_err(|m| Error::input(&path, Some(line), Some(col + 1), &m))?;
        }
        let pair = (ends[0].min(ends[1]), ends[0].max(ends[1]));
        if decided.different.contains(&pair) || decided.same.contains(&pair) {
            continue;
        }
        let clear_value = |row: u32, comparison: &str| {
            let v: Vec<&str> = comparison_fields(comparison)
                .iter()
                .filter_map(|f| run.col(&format!("clean_{}", f.name())).map(|c| &run.rows[row as usize][c]))
                .filter(|v| !v.is_empty())
                .collect();
            v.join(" ")
        };
        let fields = comparisons
            .iter()
            .map(|c| {
                let (a, b) = if clear {
                    (clear_value(ends[0], c), clear_value(ends[1], c))
                } else {
                    (at(&format!("{c}_a")).to_string(), at(&format!("{c}_b")).to_string())
                };
                (c.clone(), a, b, at(&format!("{c}_evidence")).to_string())
            })
            .collect();
        items.push(Item {
            a: record[0].to_string(),
            b: record[1].to_string(),
            line,
            probability: at("match_probability").to_string(),
            linked: at("linked").to_string(),
            refused: at("refused_because").to_string(),
            fields,
        });
    }
    Ok(items)
}

/// What a reviewer can answer in the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Decide(Decision),
    Skip,
    Back,
    Quit,
}

/// Reads one answer: `s`/`same`, `d`/`different`, `k`/`skip`, `b`/`back`, `q`/`quit` (any case,
/// spaces around ignored); anything else is `None`.
pub fn parse_answer(s: &str) -> Option<Answer> {
    match s.trim().to_ascii_lowercase().as_str() {
        "s" | "same" => Some(Answer::Decide(Decision::Same)),
        "d" | "different" => Some(Answer::Decide(Decision::Different)),
        "k" | "skip" => Some(Answer::Skip),
        "b" | "back" => Some(Answer::Back),
        "q" | "quit" => Some(Answer::Quit),
        _ => None,
    }
}

/// A walk through the queue: one answer per pair, `back` to change the previous one.
pub struct Session {
    pub items: Vec<Item>,
    answers: Vec<Option<Decision>>,
    pos: usize,
    done: bool,
}

impl Session {
    pub fn new(items: Vec<Item>) -> Session {
        let answers = vec![None; items.len()];
        Session { items, answers, pos: 0, done: false }
    }

    /// The pair to ask about and its position (from 0), or `None` when the walk is over.
    pub fn current(&self) -> Option<(usize, &Item)> {
        if self.done { None } else { self.items.get(self.pos).map(|i| (self.pos, i)) }
    }

    /// Takes an answer on the current pair (none once the walk is over).
    pub fn answer(&mut self, a: Answer) {
        if self.done {
            return;
        }
        match a {
            Answer::Decide(d) if self.pos < self.items.len() => {
                self.answers[self.pos] = Some(d);
                self.pos += 1;
            }
            Answer::Skip if self.pos < self.items.len() => {
                self.answers[self.pos] = None;
                self.pos += 1;
            }
            Answer::Back => self.pos = self.pos.saturating_sub(1),
            Answer::Quit => self.done = true,
            _ => {}
        }
    }

    /// The decisions given, in queue order.
    pub fn decisions(&self, queue_file: &Path) -> Vec<Proposed> {
        self.items
            .iter()
            .zip(&self.answers)
            .filter_map(|(item, a)| {
                a.map(|d| Proposed {
                    a: item.a.clone(),
                    b: item.b.clone(),
                    decision: d,
                    origin: (queue_file.to_path_buf(), item.line, [1, 2, 3]),
                })
            })
            .collect()
    }
}

/// One pair as the terminal shows it: the two records side by side, per field the evidence.
pub fn render(item: &Item, index: usize, total: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "pair {} of {}: {}  vs  {}   match probability {}{}{}",
        index + 1,
        total,
        item.a,
        item.b,
        item.probability,
        if item.linked == "true" { ", merged" } else { ", not merged" },
        if item.refused.is_empty() { String::new() } else { format!(" (refused: {})", item.refused) }
    );
    let width = |f: fn(&(String, String, String, String)) -> &String| {
        item.fields.iter().map(|x| f(x).chars().count()).max().unwrap_or(0)
    };
    let (wn, wa, wb) = (width(|x| &x.0).max(5), width(|x| &x.1).max(1), width(|x| &x.2).max(1));
    let _ = writeln!(out, "  {:wn$}  {:wa$}  {:wb$}  evidence", "field", "A", "B");
    for (name, a, b, evidence) in &item.fields {
        let _ = writeln!(out, "  {name:wn$}  {a:wa$}  {b:wb$}  {evidence}");
    }
    out
}

/// How the rows of a run are named in a decisions file (as the run names them).
pub fn row_names(run: &RunDir) -> RowNames {
    let (id, source) = (run.col("clean_record_id"), run.col("source"));
    let rows: Vec<(String, u32, String, String)> = run
        .rows
        .iter()
        .map(|r| {
            (
                r[0].to_string(),
                r[1].parse().unwrap_or(0),
                id.map_or(String::new(), |c| r[c].to_string()),
                source.map_or(String::new(), |c| r[c].to_string()),
            )
        })
        .collect();
    RowNames::new(rows.iter().map(|(f, l, i, s)| (f.as_str(), *l, i.as_str(), s.as_str())))
}

/// The decisions already in `path` (none when it does not exist or is empty).
pub fn existing(path: &Path, names: &RowNames) -> Result<(Decisions, String), Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(path, e)),
    };
    if text.trim().is_empty() {
        return Ok((Decisions::default(), String::new()));
    }
    Ok((decisions::parse(&text, path, names)?, text))
}

/// What [`append`] did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Appended {
    /// The decisions written, in order (record_a, record_b, decision).
    pub added: Vec<(String, String, Decision)>,
    /// Proposed decisions the file already held (not written again).
    pub already: usize,
}

/// Appends `proposed` to the decisions file `path` (created with its header when missing):
/// a decision the file (or an earlier proposal) already holds is not written twice; one that
/// contradicts the file or another proposal, directly or through a chain of `same`
/// decisions, or that names an unknown record, refuses the whole append, naming where the
/// proposal came from. Nothing is written unless every proposal can be.
pub fn append(run: &RunDir, path: &Path, proposed: &[Proposed]) -> Result<Appended, Error> {
    let names = row_names(run);
    let (existing, text) = existing(path, &names)?;
    let mut problems = Vec::new();
    let mut decided: HashMap<(u32, u32), Decision> = HashMap::new();
    let mut parent: HashMap<u32, u32> = HashMap::new();
    let find = decisions::chain_root;
    for &(a, b) in &existing.same {
        decided.insert((a, b), Decision::Same);
        decisions::chain_join(&mut parent, a, b);
    }
    let mut different: Vec<(u32, u32)> = existing.different.iter().copied().collect();
    different.sort_unstable();
    for &p in &different {
        decided.insert(p, Decision::Different);
    }
    let mut result = Appended::default();
    for p in proposed {
        let (file, line, cols) = (&p.origin.0, p.origin.1, p.origin.2);
        let mut ends = [0u32; 2];
        let mut ok = true;
        for (k, name) in [&p.a, &p.b].into_iter().enumerate() {
            match names.resolve(name) {
                Ok(i) => ends[k] = i,
                Err(m) => {
                    problems.push(Error::input(file, Some(line), Some(cols[k]), &m));
                    ok = false;
                }
            }
        }
        if !ok {
            continue;
        }
        let (a, b) = (ends[0].min(ends[1]), ends[0].max(ends[1]));
        if a == b {
            problems.push(Error::input(file, Some(line), Some(cols[1]), "both sides name the same record"));
            continue;
        }
        let contradiction = |what: &str| Error::input(file, Some(line), Some(cols[2]), what);
        match decided.get(&(a, b)) {
            Some(&d) if d == p.decision => {
                result.already += 1;
                continue;
            }
            Some(&d) => {
                problems.push(contradiction(&format!(
                    "'{}' contradicts the '{}' decision on this pair in {}",
                    p.decision.as_str(),
                    d.as_str(),
                    path.display()
                )));
                continue;
            }
            None => {}
        }
        let (ra, rb) = (find(&parent, a), find(&parent, b));
        match p.decision {
            Decision::Different if ra == rb => {
                problems.push(contradiction("'different' contradicts 'same' decisions that join the two records"));
                continue;
            }
            Decision::Same => {
                let apart = different.iter().any(|&(x, y)| {
                    let (rx, ry) = (find(&parent, x), find(&parent, y));
                    (rx == ra && ry == rb) || (rx == rb && ry == ra)
                });
                if apart {
                    problems.push(contradiction(
                        "'same' would join records that a 'different' decision keeps apart (through 'same' decisions)",
                    ));
                    continue;
                }
                if ra != rb {
                    parent.insert(ra, rb);
                }
            }
            Decision::Different => different.push((a, b)),
        }
        decided.insert((a, b), p.decision);
        result.added.push((p.a.trim().to_string(), p.b.trim().to_string(), p.decision));
    }
    if !problems.is_empty() {
        return Err(Error::many(problems));
    }
    if result.added.is_empty() {
        return Ok(result);
    }
    let mut out = String::new();
    if text.trim().is_empty() {
        out.push_str("record_a,record_b,decision\n");
    } else if !text.ends_with('\n') {
        out.push('\n');
    }
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    for (a, b, d) in &result.added {
        w.write_record([a.as_str(), b.as_str(), d.as_str()]).map_err(|e| Error::io(path, e.into()))?;
    }
    out.push_str(&String::from_utf8_lossy(&w.into_inner().map_err(|e| Error::io(path, e.into_error()))?));
    use std::io::Write;
    let replace = text.trim().is_empty() && !text.is_empty();
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(!replace)
        .truncate(replace)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    f.write_all(out.as_bytes()).map_err(|e| Error::io(path, e))?;
    Ok(result)
}

/// Reads the `decision` column of a filled review queue: review.csv (any delimiter Excel saves
/// with: comma, semicolon or tab; UTF-8 with or without BOM, else Windows-1252) or review.xlsx
/// (or another spreadsheet: its first sheet). A blank decision is a skipped pair; anything but
/// `same`, `different` or blank is an error naming the file, line (sheet row) and column, and
/// every such error is reported together: nothing is taken from a file with one.
pub fn read_filled(path: &Path) -> Result<Vec<Proposed>, Error> {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let rows: Vec<(usize, Vec<String>)> = if matches!(ext.as_str(), "xlsx" | "xlsm" | "xlsb" | "xls" | "ods") {
        read_sheet(path)?
    } else {
        read_text(path)?
    };
    let Some((header_line, header)) = rows.first() else {
        return Err(Error::input(path, Some(1), None, "is empty; expected review.csv's header with a decision column"));
    };
    let col =
        |name: &str| header.iter().position(|h| h.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case(name));
    let (Some(ca), Some(cb), Some(cd)) = (col("record_a"), col("record_b"), col("decision")) else {
        return Err(Error::input(
            path,
            Some(*header_line),
            None,
            "expected the columns record_a, record_b and decision (a review queue, review.csv or review.xlsx)",
        ));
    };
    let mut problems = Vec::new();
    let mut proposed = Vec::new();
    for (line, row) in &rows[1..] {
        let cell = |c: usize| row.get(c).map_or("", |s| s.trim());
        let decision = match cell(cd).to_ascii_lowercase().as_str() {
            "" => continue,
            "same" => Decision::Same,
            "different" => Decision::Different,
            _ => {
                problems.push(Error::input(
                    path,
                    Some(*line),
                    Some(cd + 1),
                    &format!("unknown decision '{}', expected 'same', 'different' or blank", cell(cd)),
                ));
                continue;
            }
        };
        for c in [ca, cb] {
            if cell(c).is_empty() {
                problems.push(Error::input(path, Some(*line), Some(c + 1), "a decision needs both records named"));
            }
        }
        proposed.push(Proposed {
            a: cell(ca).to_string(),
            b: cell(cb).to_string(),
            decision,
            origin: (path.to_path_buf(), *line, [ca + 1, cb + 1, cd + 1]),
        });
    }
    if problems.is_empty() { Ok(proposed) } else { Err(Error::many(problems)) }
}

/// A CSV file's records with their physical line numbers.
fn read_text(path: &Path) -> Result<Vec<(usize, Vec<String>)>, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    };
    let first = text.lines().next().unwrap_or("");
    let delimiter =
        [b',', b';', b'\t'].into_iter().max_by_key(|&d| first.bytes().filter(|&b| b == d).count()).unwrap_or(b',');
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line() as usize);
                rows.push((line, r.iter().map(str::to_string).collect()));
            }
            Err(e) => problems.push(Error::input(path, e.position().map(|p| p.line() as usize), None, &e.to_string())),
        }
    }
    if problems.is_empty() { Ok(rows) } else { Err(Error::many(problems)) }
}

/// The first sheet of a workbook as text, each row numbered by its sheet row; a whole number
/// (a record id Excel took for a number) is written without decimals.
fn read_sheet(path: &Path) -> Result<Vec<(usize, Vec<String>)>, Error> {
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto(path).map_err(|e| Error::input(path, None, None, &e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| Error::input(path, None, None, "has no sheet"))?
        .map_err(|e| Error::input(path, None, None, &e.to_string()))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    Ok(range
        .rows()
        .enumerate()
        .map(|(k, row)| {
            let mut cells = vec![String::new(); first_col];
            cells.extend(row.iter().map(|c| match c {
                Data::Empty => String::new(),
                Data::String(s) => s.clone(),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                Data::Int(i) => i.to_string(),
                other => other.to_string(),
            }));
            (first_row + k + 1, cells)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_intervals_match_the_textbook() {
        // Wilson (1927) / Newcombe (1998), table I: 81 of 263 gives 0.2553 to 0.3662.
        let e = wilson(81, 263).unwrap();
        assert_eq!((e.low, e.high), (0.2553, 0.3662));
        // None of 10: the interval reaches 0.2775, not 0.
        let e = wilson(0, 10).unwrap();
        assert_eq!((e.estimate, e.low, e.high), (0.0, 0.0, 0.2775));
        let e = wilson(10, 10).unwrap();
        assert_eq!((e.estimate, e.low, e.high), (1.0, 0.7225, 1.0));
        assert_eq!(wilson(0, 0), None);
    }

    fn pair(a: u32, b: u32, evidence: f64, refused: Option<crate::dedup::Refusal>) -> PairExplanation {
        use crate::dedup::compare::N;
        PairExplanation {
            a,
            b,
            gammas: [0; N],
            weights: [0.0; N],
            prior: -4.0,
            total: evidence - 4.0,
            linked: false,
            refused,
            threshold: 12.0,
            model_links: evidence >= 12.0 && refused.is_none(),
        }
    }

    #[test]
    fn the_queue_is_least_certain_first_with_refused_pairs_and_few_of_one_customer() {
        let identities: Vec<u64> = (0..12u64).map(|i| i.wrapping_mul(0x2545_F491_4F6C_DD1D)).collect();
        let decisions = Decisions { same: vec![(10, 11)], different: [(8, 9)].into_iter().collect() };
        let mut chooser = Chooser::new(4, &decisions, &identities);
        let namesake = Some(crate::dedup::Refusal::NamesakeCheck);
        for p in [
            pair(4, 5, 5.0, None),
            pair(0, 3, 12.3, None),
            pair(6, 7, 30.0, namesake),
            pair(0, 1, 11.9, None),
            pair(2, 0, 12.2, None),
            pair(8, 9, 12.0, None),
            pair(10, 11, 3.0, None),
        ] {
            chooser.consider(&p);
        }
        // Rows 0 to 3 are one customer: two of its pairs at most, the least certain.
        let labels = [0, 0, 0, 0, 4, 5, 6, 7, 8, 9, 10, 11];
        let (queue, tally) = chooser.finish(&labels);
        let got: Vec<(u32, u32)> = queue.iter().map(|p| (p.a, p.b)).collect();
        assert_eq!(got, vec![(0, 1), (2, 0), (4, 5), (6, 7)]);
        // The decided pairs are left out and tallied: a false positive and a false negative.
        assert_eq!(tally, Tally { false_positives: 1, false_negatives: 1, ..Tally::default() });
        let r = tally.report(&decisions);
        assert_eq!((r.decided_pairs, r.scored_pairs, r.not_scored_pairs), (2, 2, 0));
        assert_eq!(r.precision.map(|p| (p.estimate, p.pairs)), Some((0.0, 1)));
        // A cap of 0: no queue.
        let (queue, _) = Chooser::new(0, &decisions, &identities).finish(&labels);
        assert!(queue.is_empty());
    }

    fn item(n: usize) -> Item {
        Item {
            a: format!("A{n}"),
            b: format!("B{n}"),
            line: n + 2,
            probability: "0.5".into(),
            linked: "false".into(),
            refused: String::new(),
            fields: Vec::new(),
        }
    }

    #[test]
    fn a_session_goes_back_skips_and_quits() {
        let mut s = Session::new((0..5).map(item).collect());
        for a in ["s", "d", "k", "b", "D", "q", "s"] {
            s.answer(parse_answer(a).unwrap());
        }
        let got: Vec<(String, Decision)> =
            s.decisions(Path::new("review.csv")).into_iter().map(|p| (p.a, p.decision)).collect();
        assert_eq!(
            got,
            vec![("A0".into(), Decision::Same), ("A1".into(), Decision::Different), ("A2".into(), Decision::Different)]
        );
        assert!(s.current().is_none());
        assert_eq!(parse_answer("maybe"), None);
        // Back at the first pair stays there; a skip clears an earlier answer.
        let mut s = Session::new((0..2).map(item).collect());
        for a in [Answer::Back, Answer::Decide(Decision::Same), Answer::Back, Answer::Skip] {
            s.answer(a);
        }
        assert!(s.decisions(Path::new("r.csv")).is_empty());
        assert_eq!(s.current().map(|(i, _)| i), Some(1));
    }
}
