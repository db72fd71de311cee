//! Measure: what each campaign actually did, segment by segment and variant by variant, with the
//! holdout as control. `regclean measure RUN_DIR RESULTS... --out DIR`.
//!
//! A post-run tool: it reads an earlier run's segments.csv (who was in which arm: a variant,
//! the holdout, or the whole exported segment), golden.csv and records.csv (the e-mail and
//! phone keys of every golden record) and report.json (the declared shares), and the campaign
//! result exports (`results`). It returns a [`Measurement`]; `output::measure` writes it as
//! measure.json and measure.html. It never imports the output layer.
//!
//! The model, in the words a marketer would use:
//!
//! - A **tested segment** has a holdout or variants. Its **arms** are the holdout (the control)
//!   and each variant, in name order; a segment without variants has one treated arm, `treated`
//!   (the exported members).
//! - A result row is matched to a golden record by its `golden_id` column, else by its e-mail
//!   (cleaned and keyed by regclean's own e-mail cleaner, so `Jane.Doe+news@GMAIL.com` finds
//!   `jane.doe@gmail.com`), else by its phone (cleaned into E.164 by regclean's phone cleaner).
//!   A key shared by several golden records is ambiguous and not used. Rows that match nothing
//!   are counted per reason, never silently dropped. A customer's rows are combined (any flag,
//!   summed revenue); a customer in several tested segments counts in each.
//! - In a treated arm, **recipients** are the arm's members that the results show as sent to;
//!   delivery, open, click and conversion rates and revenue per recipient are per recipient.
//!   In the control, the recipients are the held-out members (they were sent nothing), and
//!   their conversions and revenue come from result rows that match them (a conversion or order
//!   export); a held-out member the results show as SENT TO this segment's campaign is a leak
//!   and is flagged, but only when a results file has a campaign or segment column: without
//!   one, a send to a held-out customer may belong to another segment's campaign.
//! - Each treated arm is compared with the control (conversion rate, revenue per recipient)
//!   and with every other variant (open, click, conversion rate, revenue per recipient): the
//!   difference of two proportions with Newcombe's hybrid score interval (method 10) and the
//!   pooled two-proportion z-test, revenue with Welch's t interval and test. A winner is named
//!   only when the 95 % interval excludes zero.
//! - Sample ratio mismatch: a chi-square goodness-of-fit test of the assigned counts against
//!   the declared shares, and of the recipients found against the assigned counts across the
//!   treated arms; flagged at p < 0.001 (the conventional threshold for SRM alarms).
//! - Minimum detectable effect: the smallest absolute lift in conversion rate that the
//!   segment's smallest comparison detects with 80 % power at a 5 % two-sided level, given the
//!   observed baseline (the control's rate, else the pooled rate); a segment whose MDE is more
//!   than half its baseline is `too_small_to_test`.

pub mod results;
pub mod stats;

use crate::error::Error;
use crate::ingest::ReadOptions;
use crate::normalise::email::{clean_email, email_key};
use crate::normalise::phone::clean_phone;
use results::Outcome;
use serde::Serialize;
use stats::{Difference, Moments};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Confidence of every interval.
pub const CONFIDENCE: f64 = 0.95;
/// p-value under which a sample ratio mismatch is flagged.
pub const SRM_P: f64 = 0.001;
/// Power and two-sided level of the minimum detectable effect.
pub const MDE_POWER: f64 = 0.8;
pub const MDE_ALPHA: f64 = 0.05;
/// A segment is too small to test when its MDE exceeds this share of the baseline rate (a
/// campaign that needs to lift conversion by more than half to be seen is not a test).
pub const TOO_SMALL_RELATIVE_MDE: f64 = 0.5;

/// The name of the treated arm of a segment without variants.
pub const TREATED: &str = "treated";

/// Everything measure.json says.
#[derive(Debug, Clone, Serialize)]
pub struct Measurement {
    /// `--as-of` of the run measured.
    pub as_of: String,
    pub settings: MeasureSettings,
    pub results_files: Vec<results::FileSummary>,
    pub matching: Matching,
    pub segments: Vec<SegmentMeasure>,
    /// Problems worth a look, in words (no personal data).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeasureSettings {
    pub confidence: f64,
    pub proportion_method: &'static str,
    pub proportion_test: &'static str,
    pub revenue_method: &'static str,
    pub revenue_test: &'static str,
    pub srm_test: &'static str,
    pub srm_p_threshold: f64,
    pub mde_power: f64,
    pub mde_alpha: f64,
    pub too_small_relative_mde: f64,
}

/// How result rows found their golden records.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Matching {
    pub rows: usize,
    pub matched_rows: usize,
    pub by_golden_id: usize,
    pub by_email: usize,
    pub by_phone: usize,
    /// Rows that matched no golden record, by reason; never dropped silently.
    pub unmatched_rows: usize,
    pub unmatched_no_key: usize,
    pub unmatched_unknown: usize,
    pub unmatched_ambiguous: usize,
    /// Unreadable rows of all results files.
    pub unreadable_rows: usize,
    /// Distinct golden records the results show as sent to.
    pub recipients: usize,
    /// ... of which are in no tested segment.
    pub recipients_outside_tested_segments: usize,
}

/// One tested segment.
#[derive(Debug, Clone, Serialize)]
pub struct SegmentMeasure {
    pub segment: String,
    pub holdout_percent: f64,
    pub arms: Vec<ArmMeasure>,
    pub comparisons: Vec<Comparison>,
    pub srm: Srm,
    /// Held-out members the results show as sent this segment's campaign: the holdout leaked.
    /// `None` (null) when no results file has a campaign or segment column, so the results
    /// cannot tell this campaign's sends from another's.
    pub holdout_leaked: Option<usize>,
    pub mde: Mde,
}

impl SegmentMeasure {
    /// The first winner the comparisons name (against the holdout first, conversion before
    /// revenue, in the order they are listed): `(arm, metric, against)`.
    pub fn first_winner(&self) -> Option<(&str, &str, &str)> {
        self.comparisons.iter().find_map(|c| c.winner.as_deref().map(|w| (w, c.metric, c.against.as_str())))
    }

    /// One sentence for a test smaller than planned (`mde.too_small_to_test`): a difference found
    /// anyway still has its winner, so the verdict never says "too small to test" beside one.
    pub fn small_test_verdict(&self) -> String {
        match self.first_winner() {
            Some((arm, metric, against)) => format!(
                "has a winner, '{arm}' ({metric} against {against}), though the test was smaller than planned (see mde)"
            ),
            None => "is too small to test (see mde): no difference could be shown".to_string(),
        }
    }
}

/// One arm of a tested segment.
#[derive(Debug, Clone, Serialize)]
pub struct ArmMeasure {
    /// `holdout`, a variant name, or `treated`.
    pub arm: String,
    pub control: bool,
    pub declared_percent: f64,
    pub assigned: usize,
    pub recipients: usize,
    pub delivered: usize,
    pub opened: usize,
    pub clicked: usize,
    pub converted: usize,
    pub revenue: f64,
    /// Rates per recipient; `None` for the control where nothing was sent.
    pub delivery_rate: Option<f64>,
    pub open_rate: Option<f64>,
    pub click_rate: Option<f64>,
    pub conversion_rate: Option<f64>,
    pub revenue_per_recipient: Option<f64>,
}

/// A treated arm against the control or another variant, on one metric.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub arm: String,
    pub against: String,
    pub metric: &'static str,
    pub value: f64,
    pub against_value: f64,
    /// arm − against, with its interval.
    pub difference: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// The difference relative to the other arm's value (`None` when that is zero).
    pub relative_lift: Option<f64>,
    pub method: &'static str,
    pub test: &'static str,
    pub p_value: f64,
    /// The better arm, only when the interval excludes zero.
    pub winner: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Srm {
    pub assignment: Option<ChiSquare>,
    pub recipients: Option<ChiSquare>,
    /// True when either test is below the threshold: the split is broken; do not trust lifts.
    pub mismatch: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChiSquare {
    pub observed: BTreeMap<String, usize>,
    pub expected: BTreeMap<String, f64>,
    pub chi_square: f64,
    pub df: f64,
    pub p_value: f64,
    pub mismatch: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Mde {
    pub baseline_conversion_rate: Option<f64>,
    /// The arms of the smallest comparison it was computed for.
    pub between: Option<(String, String)>,
    pub absolute: Option<f64>,
    pub relative: Option<f64>,
    pub too_small_to_test: bool,
}

/// One arm's members (golden record indices) as segments.csv lists them.
#[derive(Debug, Default)]
struct Arms {
    holdout: Vec<usize>,
    /// Arm name → members (`treated` for a segment without variants).
    treated: BTreeMap<String, Vec<usize>>,
}

/// A tested segment of the run: holdout percent, variant percents in name order, arms.
type TestedSegment = (f64, Vec<(String, f64)>, Arms);

/// What measure needs of a run.
struct Run {
    as_of: String,
    golden_ids: HashMap<String, usize>,
    email_keys: HashMap<String, Key>,
    phone_keys: HashMap<String, Key>,
    /// Countries of the register, most frequent first: tried for phones written without one.
    countries: Vec<String>,
    /// Tested segment name → (holdout percent, variant percents in name order, arms).
    segments: BTreeMap<String, TestedSegment>,
}

/// A key points at one golden record, or at several (ambiguous).
#[derive(Debug, Clone, Copy)]
enum Key {
    One(usize),
    Many,
}

fn add_key(map: &mut HashMap<String, Key>, key: String, g: usize) {
    map.entry(key)
        .and_modify(|k| {
            if let Key::One(x) = *k
                && x != g
            {
                *k = Key::Many;
            }
        })
        .or_insert(Key::One(g));
}

fn open_csv(path: &Path) -> Result<(csv::Reader<std::fs::File>, HashMap<String, usize>), Error> {
    let mut r = csv::Reader::from_path(path).map_err(|e| match e.kind() {
        csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
            Error::input(path, None, None, "not found; is this the output directory of `regclean run --rules`?")
        }
        _ => Error::input(path, None, None, &e.to_string()),
    })?;
    let headers = r.headers().map_err(|e| Error::input(path, Some(1), None, &e.to_string()))?;
    let cols = headers.iter().enumerate().map(|(i, h)| (h.to_string(), i)).collect();
    Ok((r, cols))
}

fn need(path: &Path, cols: &HashMap<String, usize>, name: &str) -> Result<usize, Error> {
    cols.get(name).copied().ok_or_else(|| Error::input(path, Some(1), None, &format!("no '{name}' column")))
}

impl Run {
    fn read(dir: &Path) -> Result<Run, Error> {
        // report.json: as-of and the declared shares of every segment.
        let report_path = dir.join("report.json");
        let text = std::fs::read_to_string(&report_path).map_err(|e| Error::io(&report_path, e))?;
        let report: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| Error::input(&report_path, Some(e.line()), Some(e.column()), &e.to_string()))?;
        let as_of = report.get("as_of").and_then(|v| v.as_str()).unwrap_or("").to_string();
        let mut segments = BTreeMap::new();
        for s in report.get("segments").and_then(|v| v.as_array()).into_iter().flatten() {
            let name = s.get("name").and_then(|v| v.as_str()).unwrap_or("").to_string();
            let holdout = s.get("holdout_percent").and_then(|v| v.as_f64()).unwrap_or(0.0);
            let mut variants: Vec<(String, f64)> = s
                .get("variants")
                .and_then(|v| v.as_object())
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v.get("percent").and_then(|p| p.as_f64()).unwrap_or(0.0)))
                .collect();
            variants.sort_by(|a, b| a.0.cmp(&b.0));
            if holdout > 0.0 || !variants.is_empty() {
                segments.insert(name, (holdout, variants, Arms::default()));
            }
        }
        // golden.csv: ids and contact keys.
        let path = dir.join("golden.csv");
        let (mut r, cols) = open_csv(&path)?;
        let id_col = need(&path, &cols, "golden_id")?;
        let (mut golden_ids, mut email_keys, mut phone_keys) = (HashMap::new(), HashMap::new(), HashMap::new());
        let mut country_count: HashMap<String, usize> = HashMap::new();
        for (i, rec) in r.records().enumerate() {
            let rec = rec.map_err(|e| Error::input(&path, Some(i + 2), None, &e.to_string()))?;
            let g = golden_ids.len();
            golden_ids.insert(rec[id_col].to_string(), g);
            for c in ["email", "other_emails"] {
                for v in cols.get(c).map(|&k| &rec[k]).unwrap_or("").split(';').filter(|v| !v.is_empty()) {
                    add_key(&mut email_keys, email_key(v), g);
                }
            }
            for c in ["phone", "mobile", "other_phones"] {
                for v in cols.get(c).map(|&k| &rec[k]).unwrap_or("").split(';').filter(|v| !v.is_empty()) {
                    add_key(&mut phone_keys, v.to_string(), g);
                }
            }
            if let Some(&k) = cols.get("country")
                && !rec[k].is_empty()
            {
                *country_count.entry(rec[k].to_string()).or_default() += 1;
            }
        }
        // records.csv: every member's cleaned e-mail and phones, so a result sent to a merged
        // duplicate's address still finds its golden record.
        let path = dir.join("records.csv");
        if path.exists() {
            let (mut r, cols) = open_csv(&path)?;
            let id_col = need(&path, &cols, "golden_id")?;
            for (i, rec) in r.records().enumerate() {
                let rec = rec.map_err(|e| Error::input(&path, Some(i + 2), None, &e.to_string()))?;
                let Some(&g) = golden_ids.get(&rec[id_col]) else { continue };
                if let Some(&k) = cols.get("clean_email")
                    && !rec[k].is_empty()
                {
                    add_key(&mut email_keys, email_key(&rec[k]), g);
                }
                for c in ["clean_phone", "clean_mobile"] {
                    if let Some(&k) = cols.get(c)
                        && !rec[k].is_empty()
                    {
                        add_key(&mut phone_keys, rec[k].to_string(), g);
                    }
                }
            }
        }
        let mut countries: Vec<(String, usize)> = country_count.into_iter().collect();
        countries.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        // segments.csv: who is in which arm.
        let path = dir.join("segments.csv");
        let (mut r, cols) = open_csv(&path)?;
        let (id_col, seg_col, hold_col) =
            (need(&path, &cols, "golden_id")?, need(&path, &cols, "segment")?, need(&path, &cols, "holdout")?);
        let var_col = cols.get("variant").copied();
        for (i, rec) in r.records().enumerate() {
            let rec = rec.map_err(|e| Error::input(&path, Some(i + 2), None, &e.to_string()))?;
            let Some((_, variants, arms)) = segments.get_mut(&rec[seg_col]) else { continue };
            let Some(&g) = golden_ids.get(&rec[id_col]) else {
                return Err(Error::input(&path, Some(i + 2), Some(id_col + 1), "golden_id not in golden.csv"));
            };
            let variant = var_col.map(|c| &rec[c]).unwrap_or("");
            if &rec[hold_col] == "true" || variant == crate::segment::variants::HOLDOUT {
                arms.holdout.push(g);
            } else if variants.is_empty() {
                arms.treated.entry(TREATED.to_string()).or_default().push(g);
            } else if variants.iter().any(|(v, _)| v == variant) {
                arms.treated.entry(variant.to_string()).or_default().push(g);
            } else {
                return Err(Error::input(
                    &path,
                    Some(i + 2),
                    var_col.map(|c| c + 1),
                    &format!("variant '{variant}' is not a variant of segment '{}' in report.json", &rec[seg_col]),
                ));
            }
        }
        Ok(Run {
            as_of,
            golden_ids,
            email_keys,
            phone_keys,
            countries: countries.into_iter().map(|c| c.0).take(12).collect(),
            segments,
        })
    }

    /// The golden record a result row is about, or why none.
    fn find(&self, row: &results::Row) -> Result<(usize, &'static str), &'static str> {
        let mut ambiguous = false;
        let mut keyed = false;
        if let Some(id) = &row.golden_id {
            keyed = true;
            if let Some(&g) = self.golden_ids.get(id.as_str()) {
                return Ok((g, "golden_id"));
            }
        }
        if let Some(raw) = &row.email {
            keyed = true;
            if let Some(clean) = clean_email(raw).value {
                match self.email_keys.get(&email_key(&clean)) {
                    Some(Key::One(g)) => return Ok((*g, "email")),
                    Some(Key::Many) => ambiguous = true,
                    None => {}
                }
            }
        }
        if let Some(raw) = &row.phone {
            keyed = true;
            let mut tried: Vec<Option<&str>> = vec![row.country.as_deref(), None];
            tried.extend(self.countries.iter().map(|c| Some(c.as_str())));
            for country in tried {
                if let Some(clean) = clean_phone(raw, country).value {
                    match self.phone_keys.get(&clean) {
                        Some(Key::One(g)) => return Ok((*g, "phone")),
                        Some(Key::Many) => ambiguous = true,
                        None => {}
                    }
                }
            }
        }
        Err(if !keyed {
            "no_key"
        } else if ambiguous {
            "ambiguous"
        } else {
            "unknown"
        })
    }
}

/// Measures the campaigns of `results` against the run in `run_dir`.
pub fn measure(run_dir: &Path, results_files: &[PathBuf], options: &ReadOptions<'_>) -> Result<Measurement, Error> {
    let run = Run::read(run_dir)?;
    let mut files = Vec::new();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for f in results_files {
        match results::read(f, options) {
            Ok((summary, r)) => {
                files.push(summary);
                rows.extend(r);
            }
            Err(e) => problems.push(e),
        }
    }
    if !problems.is_empty() {
        return Err(Error::many(problems));
    }
    let mut matching = Matching { rows: rows.len(), ..Matching::default() };
    matching.unreadable_rows = files.iter().map(|f| f.unreadable_rows).sum();
    let mut outcome: HashMap<usize, Outcome> = HashMap::new();
    // Who was sent which campaign, when a results file names campaigns: without that column a
    // held-out customer sent another segment's campaign would look like a leak, so leaks are
    // then not reported at all.
    let campaign_column = files.iter().any(|f| f.columns.contains_key("campaign"));
    let mut sent_in: HashMap<usize, HashSet<String>> = HashMap::new();
    for row in &rows {
        if let (Ok((g, _)), Some(c)) = (run.find(row), &row.campaign)
            && row.outcome.recipient
        {
            sent_in.entry(g).or_default().insert(results::normalise_header(c));
        }
    }
    for row in &rows {
        match run.find(row) {
            Ok((g, by)) => {
                matching.matched_rows += 1;
                match by {
                    "golden_id" => matching.by_golden_id += 1,
                    "email" => matching.by_email += 1,
                    _ => matching.by_phone += 1,
                }
                outcome.entry(g).or_default().add(&row.outcome);
            }
            Err(why) => {
                matching.unmatched_rows += 1;
                match why {
                    "no_key" => matching.unmatched_no_key += 1,
                    "ambiguous" => matching.unmatched_ambiguous += 1,
                    _ => matching.unmatched_unknown += 1,
                }
            }
        }
    }
    let mut in_tested = vec![false; run.golden_ids.len()];
    for (_, _, arms) in run.segments.values() {
        for &g in arms.holdout.iter().chain(arms.treated.values().flatten()) {
            in_tested[g] = true;
        }
    }
    matching.recipients = outcome.values().filter(|o| o.recipient).count();
    matching.recipients_outside_tested_segments =
        outcome.iter().filter(|(g, o)| o.recipient && !in_tested[**g]).count();
    let segments: Vec<SegmentMeasure> = run
        .segments
        .iter()
        .map(|(name, (holdout, variants, arms))| {
            let leaks = campaign_column.then_some(&sent_in);
            measure_segment(name, *holdout, variants, arms, &outcome, leaks)
        })
        .collect();
    let mut warnings = Vec::new();
    if matching.unmatched_rows > 0 {
        warnings.push(format!(
            "{} of {} result rows matched no golden record ({} without an e-mail, phone or golden_id, {} unknown, {} ambiguous)",
            matching.unmatched_rows,
            matching.rows,
            matching.unmatched_no_key,
            matching.unmatched_unknown,
            matching.unmatched_ambiguous
        ));
    }
    if matching.unreadable_rows > 0 {
        warnings.push(format!("{} result rows could not be read (see results_files)", matching.unreadable_rows));
    }
    for s in &segments {
        if s.srm.mismatch {
            warnings.push(format!(
                "SAMPLE RATIO MISMATCH in segment '{}' (chi-square p < {SRM_P}): the split is broken; do not trust its lifts",
                s.segment
            ));
        }
        if let Some(leaked) = s.holdout_leaked.filter(|&n| n > 0) {
            warnings.push(format!(
                "segment '{}': {leaked} held-out customers were sent the campaign (the holdout leaked)",
                s.segment
            ));
        }
        if s.mde.too_small_to_test {
            warnings.push(format!("segment '{}' {}", s.segment, s.small_test_verdict()));
        }
    }
    Ok(Measurement {
        as_of: run.as_of.clone(),
        settings: MeasureSettings {
            confidence: CONFIDENCE,
            proportion_method: "newcombe_wilson",
            proportion_test: "two_proportion_z",
            revenue_method: "welch_t",
            revenue_test: "welch_t",
            srm_test: "chi_square_goodness_of_fit",
            srm_p_threshold: SRM_P,
            mde_power: MDE_POWER,
            mde_alpha: MDE_ALPHA,
            too_small_relative_mde: TOO_SMALL_RELATIVE_MDE,
        },
        results_files: files,
        matching,
        segments,
        warnings,
    })
}

/// Rounds for output: 10 significant digits, so that the last bits of a float sum never
/// change measure.json.
pub fn round(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let digits = 10 - x.abs().log10().ceil() as i32;
    let f = 10f64.powi(digits.clamp(-300, 300));
    (x * f).round() / f
}

/// An arm's counts, and its per-recipient revenue sample.
struct Tally {
    arm: String,
    control: bool,
    declared: f64,
    assigned: usize,
    recipients: u64,
    delivered: u64,
    opened: u64,
    clicked: u64,
    converted: u64,
    revenue: Moments,
    revenue_sum: f64,
}

fn tally(arm: &str, control: bool, declared: f64, members: &[usize], outcome: &HashMap<usize, Outcome>) -> Tally {
    let mut sorted = members.to_vec();
    sorted.sort_unstable(); // a fixed summation order
    let none = Outcome::default();
    let counted: Vec<&Outcome> =
        sorted.iter().map(|g| outcome.get(g).unwrap_or(&none)).filter(|o| control || o.recipient).collect();
    let count = |f: fn(&Outcome) -> bool| counted.iter().filter(|o| f(o)).count() as u64;
    Tally {
        arm: arm.to_string(),
        control,
        declared,
        assigned: members.len(),
        recipients: counted.len() as u64,
        delivered: if control { 0 } else { count(|o| o.delivered) },
        opened: if control { 0 } else { count(|o| o.opened) },
        clicked: if control { 0 } else { count(|o| o.clicked) },
        converted: count(|o| o.converted),
        revenue: Moments::of(counted.iter().map(|o| o.revenue)),
        revenue_sum: counted.iter().map(|o| o.revenue).sum(),
    }
}

fn rate(x: u64, n: u64) -> Option<f64> {
    (n > 0).then(|| round(x as f64 / n as f64))
}

fn measure_segment(
    name: &str,
    holdout: f64,
    variants: &[(String, f64)],
    arms: &Arms,
    outcome: &HashMap<usize, Outcome>,
    sent_in: Option<&HashMap<usize, HashSet<String>>>,
) -> SegmentMeasure {
    let mut tallies = Vec::new();
    if holdout > 0.0 {
        tallies.push(tally(crate::segment::variants::HOLDOUT, true, holdout, &arms.holdout, outcome));
    }
    let declared: Vec<(String, f64)> =
        if variants.is_empty() { vec![(TREATED.to_string(), 100.0 - holdout)] } else { variants.to_vec() };
    for (v, share) in &declared {
        tallies.push(tally(v, false, *share, arms.treated.get(v).map_or(&[][..], Vec::as_slice), outcome));
    }
    // A held-out member sent this segment's campaign (its name, or its name and a variant).
    let campaign = results::normalise_header(name);
    let holdout_leaked = sent_in.map(|sent_in| {
        arms.holdout
            .iter()
            .filter(|g| sent_in.get(g).is_some_and(|c| c.iter().any(|c| c.starts_with(&campaign))))
            .count()
    });
    let arms_out: Vec<ArmMeasure> = tallies
        .iter()
        .map(|t| ArmMeasure {
            arm: t.arm.clone(),
            control: t.control,
            declared_percent: t.declared,
            assigned: t.assigned,
            recipients: t.recipients as usize,
            delivered: t.delivered as usize,
            opened: t.opened as usize,
            clicked: t.clicked as usize,
            converted: t.converted as usize,
            revenue: round(t.revenue_sum),
            delivery_rate: if t.control { None } else { rate(t.delivered, t.recipients) },
            open_rate: if t.control { None } else { rate(t.opened, t.recipients) },
            click_rate: if t.control { None } else { rate(t.clicked, t.recipients) },
            conversion_rate: rate(t.converted, t.recipients),
            revenue_per_recipient: (t.recipients > 0).then(|| round(t.revenue.mean)),
        })
        .collect();
    // Comparisons: each treated arm against the control, then every pair of treated arms.
    let mut comparisons = Vec::new();
    let treated: Vec<&Tally> = tallies.iter().filter(|t| !t.control).collect();
    if let Some(control) = tallies.iter().find(|t| t.control) {
        for t in &treated {
            comparisons.push(proportion(t, control, "conversion_rate", |t| t.converted));
            comparisons.extend(revenue(t, control));
        }
    }
    for (i, a) in treated.iter().enumerate() {
        for b in &treated[i + 1..] {
            comparisons.push(proportion(a, b, "open_rate", |t| t.opened));
            comparisons.push(proportion(a, b, "click_rate", |t| t.clicked));
            comparisons.push(proportion(a, b, "conversion_rate", |t| t.converted));
            comparisons.extend(revenue(a, b));
        }
    }
    // Sample ratio mismatch.
    let assignment = chi_square(tallies.iter().map(|t| (t.arm.clone(), t.assigned as u64, t.declared)).collect());
    let recipients = if treated.iter().any(|t| t.recipients > 0) {
        chi_square(treated.iter().map(|t| (t.arm.clone(), t.recipients, t.assigned as f64)).collect())
    } else {
        None
    };
    let mismatch = assignment.as_ref().is_some_and(|c| c.mismatch) || recipients.as_ref().is_some_and(|c| c.mismatch);
    SegmentMeasure {
        segment: name.to_string(),
        holdout_percent: holdout,
        arms: arms_out,
        comparisons,
        srm: Srm { assignment, recipients, mismatch },
        holdout_leaked,
        mde: mde(&tallies),
    }
}

fn ratio(x: u64, n: u64) -> f64 {
    if n == 0 { 0.0 } else { x as f64 / n as f64 }
}

fn winner(a: &Tally, b: &Tally, d: &Difference) -> Option<String> {
    if d.low > 0.0 {
        Some(a.arm.clone())
    } else if d.high < 0.0 {
        Some(b.arm.clone())
    } else {
        None
    }
}

fn proportion(a: &Tally, b: &Tally, metric: &'static str, x: fn(&Tally) -> u64) -> Comparison {
    let d = stats::newcombe_difference(x(a), a.recipients, x(b), b.recipients, CONFIDENCE);
    let (va, vb) = (ratio(x(a), a.recipients), ratio(x(b), b.recipients));
    Comparison {
        arm: a.arm.clone(),
        against: b.arm.clone(),
        metric,
        value: round(va),
        against_value: round(vb),
        difference: round(d.estimate),
        ci_low: round(d.low),
        ci_high: round(d.high),
        relative_lift: (vb > 0.0).then(|| round(d.estimate / vb)),
        method: "newcombe_wilson",
        test: "two_proportion_z",
        p_value: round(d.p_value),
        winner: if a.recipients > 0 && b.recipients > 0 { winner(a, b, &d) } else { None },
    }
}

fn revenue(a: &Tally, b: &Tally) -> Option<Comparison> {
    let d = stats::welch_difference(a.revenue, b.revenue, CONFIDENCE)?;
    Some(Comparison {
        arm: a.arm.clone(),
        against: b.arm.clone(),
        metric: "revenue_per_recipient",
        value: round(a.revenue.mean),
        against_value: round(b.revenue.mean),
        difference: round(d.estimate),
        ci_low: round(d.low),
        ci_high: round(d.high),
        relative_lift: (b.revenue.mean > 0.0).then(|| round(d.estimate / b.revenue.mean)),
        method: "welch_t",
        test: "welch_t",
        p_value: round(d.p_value),
        winner: winner(a, b, &d),
    })
}

fn chi_square(cells: Vec<(String, u64, f64)>) -> Option<ChiSquare> {
    let observed: Vec<u64> = cells.iter().map(|c| c.1).collect();
    let shares: Vec<f64> = cells.iter().map(|c| c.2).collect();
    let (stat, df, p) = stats::chi2_goodness_of_fit(&observed, &shares)?;
    let total: u64 = observed.iter().sum();
    let share_sum: f64 = shares.iter().sum();
    Some(ChiSquare {
        observed: cells.iter().map(|c| (c.0.clone(), c.1 as usize)).collect(),
        expected: cells.iter().map(|c| (c.0.clone(), round(total as f64 * c.2 / share_sum))).collect(),
        chi_square: round(stat),
        df,
        p_value: round(p),
        mismatch: p < SRM_P,
    })
}

/// The MDE of the segment's weakest comparison of conversion rates: the control against the
/// smallest treated arm, or the two smallest treated arms when there is no control.
fn mde(tallies: &[Tally]) -> Mde {
    let control = tallies.iter().find(|t| t.control);
    let mut treated: Vec<&Tally> = tallies.iter().filter(|t| !t.control).collect();
    treated.sort_by_key(|t| (t.recipients, t.arm.clone()));
    let pair = match (control, treated.first(), treated.get(1)) {
        (Some(c), Some(t), _) => Some((c, *t)),
        (None, Some(a), Some(b)) => Some((*a, *b)),
        _ => None,
    };
    let pooled = {
        let (x, n) = tallies.iter().fold((0, 0), |(x, n), t| (x + t.converted, n + t.recipients));
        ratio(x, n)
    };
    let baseline = match control {
        Some(c) if c.converted > 0 => ratio(c.converted, c.recipients),
        _ => pooled,
    };
    let absolute = pair.and_then(|(a, b)| {
        stats::minimum_detectable_effect(baseline, a.recipients, b.recipients, MDE_ALPHA, MDE_POWER)
    });
    let relative = absolute.map(|m| m / baseline);
    Mde {
        baseline_conversion_rate: (baseline > 0.0).then(|| round(baseline)),
        between: pair.map(|(a, b)| (a.arm.clone(), b.arm.clone())),
        absolute: absolute.map(round),
        relative: relative.map(round),
        too_small_to_test: relative.is_none_or(|r| r > TOO_SMALL_RELATIVE_MDE),
    }
}
