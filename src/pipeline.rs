//! Pipeline: run the stages in order and write the outputs.
//!
//! Order: load (config already validated by the caller) → ingest (the only stage that can fail
//! on data, and then nothing is written) → normalise (in parallel, order kept) → write every
//! output to temporary files → rename into place. Stages return data plus the issues they
//! found; this module decides what is written where.

use crate::config::Config;
use crate::decisions::{self, Decisions, RowNames};
use crate::dedup;
use crate::error::Error;
use crate::field::Field;
use crate::ingest;
use crate::merge;
use crate::merge::rules::Survivorship;
use crate::normalise::date::{Date, DateOptions};
use crate::normalise::{self, CleanRow, Context};
use crate::output::{self, Staging};
use crate::report;
use crate::segment::{self, SegmentRules};
use crate::stale::Policy;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// Everything a run needs, validated.
#[derive(Debug, Clone)]
pub struct RunSettings {
    pub inputs: Vec<PathBuf>,
    /// The sheet to read in spreadsheet inputs (`--sheet`); the first visible one when `None`.
    pub sheet: Option<String>,
    pub out_dir: PathBuf,
    pub as_of: Date,
    /// False when `--as-of` was not given and the caller used today's date.
    pub as_of_given: bool,
    pub config: Config,
    /// Survivorship rules for golden records.
    pub survivorship: Survivorship,
    /// A decisions file (`record_a,record_b,decision`) every run obeys.
    pub decisions: Option<PathBuf>,
    /// The stale policy.
    pub stale: Policy,
    /// Segment rules, when `--rules` was given.
    pub segments: Option<SegmentRules>,
    /// The output directory of an earlier run, to carry golden ids forward and measure segment
    /// drift against.
    pub previous: Option<PathBuf>,
    /// `--source NAME=FILE` pairs (see `sources::assign`).
    pub sources: Vec<(String, String)>,
    /// Show real values instead of masked patterns in the reports (personal data: opt-in).
    pub show_samples: bool,
    /// Data minimisation: the only columns golden.csv and segment exports carry (besides
    /// golden_id and member_count). `None` keeps them all.
    pub output_columns: Option<Vec<String>>,
}

pub use crate::progress::{Progress, Silent};

/// The numbers a closing summary shows.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub rows_read: usize,
    pub rows_accepted: usize,
    pub rows_quarantined: usize,
    pub golden_records: usize,
    pub rows_merged: usize,
    pub stale_records: usize,
    pub segments: usize,
    /// The quality gates' verdict.
    pub gates: Option<crate::gates::GateReport>,
    /// Things a person should look at though the run succeeded (no personal data).
    pub warnings: Vec<String>,
}

pub use crate::normalise::Register;

/// Reads and normalises the inputs.
pub fn load(settings: &RunSettings, progress: &dyn Progress) -> Result<Register, Error> {
    progress.stage("ingest", settings.inputs.len() as u64);
    // Phone metadata loads on a spare thread while the input is read.
    let warm = std::thread::spawn(normalise::phone::warm_up);
    let mut ingested = ingest::ingest(&settings.inputs, &settings.config.columns, settings.sheet.as_deref())?;
    let _ = warm.join();
    let names =
        crate::sources::assign(&settings.inputs, &settings.sources, &settings.config.sources).map_err(Error::Usage)?;
    for (source, name) in ingested.sources.iter_mut().zip(names) {
        source.source = name;
    }
    progress.finish();
    let ctx = Context {
        default_country: settings.config.default_country.clone(),
        dates: DateOptions { month_first: settings.config.month_first },
        as_of: settings.as_of,
    };
    let columns: Vec<Vec<Option<usize>>> = ingested.sources.iter().map(|s| s.columns_by_field()).collect();
    progress.stage("normalise", ingested.rows.len() as u64);
    let clean: Vec<CleanRow> = ingested
        .rows
        .par_iter()
        .map(|row| {
            let cols = &columns[row.source as usize];
            let raw: Vec<Option<&str>> = cols.iter().map(|c| c.map(|i| &row.values[i])).collect();
            normalise::normalise_row(&raw, &ctx)
        })
        .collect();
    progress.finish();
    let mut present = [false; Field::COUNT];
    for cols in &columns {
        for (i, c) in cols.iter().enumerate() {
            present[i] |= c.is_some();
        }
        if cols[Field::FullName.index()].is_some()
            && cols[Field::FirstName.index()].is_none()
            && cols[Field::LastName.index()].is_none()
        {
            present[Field::FirstName.index()] = true;
            present[Field::LastName.index()] = true;
        }
    }
    let fields_present = Field::ALL.iter().copied().filter(|f| present[f.index()]).collect();
    Ok(Register { ingested, clean, fields_present })
}

/// Runs the whole pipeline and writes the outputs into `settings.out_dir`.
pub fn run(settings: &RunSettings, progress: &dyn Progress) -> Result<Summary, Error> {
    let register = load(settings, progress)?;
    let decisions = match &settings.decisions {
        Some(path) => decisions::load(path, &row_names(&register))?,
        None => Decisions::default(),
    };
    // The previous run's ids (records.csv), and its segments when it had any.
    let previous_ids = settings.previous.as_deref().map(merge::ids::PreviousIds::read).transpose()?;
    let previous = settings
        .previous
        .as_deref()
        .filter(|d| d.join("segments.csv").exists())
        .map(segment::read_previous)
        .transpose()?;
    if let Some(cols) = &settings.output_columns {
        // Every name must be a column golden.csv has or a field a segment export can carry.
        let mut known: Vec<String> = register.fields_present.iter().map(|f| f.name().to_string()).collect();
        known.extend(["other_emails", "other_phones", "stale", "stale_reasons"].map(String::from));
        known.extend(output::records::passthrough_columns(&register.ingested).into_iter().map(|(n, _)| n));
        known.extend(segment::schema().names);
        let names: Vec<&str> = known.iter().map(String::as_str).collect();
        let unknown: Vec<Error> = cols
            .iter()
            .filter(|c| !known.contains(c))
            .map(|c| Error::Usage(format!("--output-columns: {}", crate::config::unknown_name("column", c, &names))))
            .collect();
        if !unknown.is_empty() {
            return Err(Error::many(unknown));
        }
    }
    output::check_inputs_outside(&settings.out_dir, &settings.inputs)?;
    let mut staging = Staging::new(&settings.out_dir)?;
    let mut summary = Summary::default();
    let result = write_outputs(
        settings,
        &register,
        &decisions,
        previous.as_ref(),
        previous_ids.as_ref(),
        &mut staging,
        progress,
        &mut summary,
    );
    match result {
        Ok(()) => staging.commit()?,
        Err(e) => {
            staging.abandon();
            return Err(e);
        }
    }
    let r = &register.ingested;
    summary.rows_read = r.rows.len() + r.quarantine.len();
    summary.rows_accepted = r.rows.len();
    summary.rows_quarantined = r.quarantine.len();
    Ok(summary)
}

/// How the register's rows can be named in a decisions file.
pub fn row_names(register: &Register) -> RowNames {
    RowNames::new(register.ingested.rows.iter().zip(&register.clean).map(|(row, c)| {
        let source = &register.ingested.sources[row.source as usize];
        (source.name.as_str(), row.line, c.value(Field::RecordId).unwrap_or(""), source.source.as_str())
    }))
}

#[allow(clippy::too_many_arguments)] // the run's settings, its inputs from two earlier runs and its sinks
fn write_outputs(
    settings: &RunSettings,
    register: &Register,
    decisions: &Decisions,
    previous: Option<&segment::Memberships>,
    previous_ids: Option<&merge::ids::PreviousIds>,
    staging: &mut Staging,
    progress: &dyn Progress,
    summary: &mut Summary,
) -> Result<(), Error> {
    let identify = |i: u32| {
        let row = &register.ingested.rows[i as usize];
        let id = register.clean[i as usize].value(Field::RecordId).unwrap_or("");
        (register.ingested.sources[row.source as usize].name.as_str(), row.line, id)
    };
    let birth_keys = dedup::birth::birth_match_keys(register, settings.config.month_first, settings.as_of);
    let identities = merge::ids::identity_keys(register);
    // Pair levels spill here between scoring and pairs.csv (a temporary of the output directory,
    // removed however the stage ends, and by the next run if this one is killed).
    let spill = settings.out_dir.join(".regclean-tmp-pairs.spill");
    let dedup = dedup::dedup(
        &register.clean,
        &birth_keys,
        &settings.config.dedup,
        &decisions.same,
        &decisions.different,
        &identities,
        &spill,
        progress,
    );
    let mut dedup = match dedup {
        Ok(d) => d,
        Err(e) => {
            let _ = std::fs::remove_file(&spill);
            return Err(Error::io(&settings.out_dir, e));
        }
    };
    progress.stage("dedup: pairs.csv", 1);
    if let Some(pairs) = dedup.pairs.take() {
        let labels = &dedup.labels;
        let mut written = (0, std::collections::BTreeMap::new());
        staging.write("pairs.csv", |w| {
            written = output::pairs::write_pairs(w, pairs, labels, &identify)?;
            Ok(())
        })?;
        (dedup.pairs_written, dedup.refused_by_reason) = written;
    }
    progress.finish();

    progress.stage("merge", register.clean.len() as u64);
    let mut clusters = merge::ids::golden_clusters(register, &dedup.labels);
    // Ids carry forward from the previous run; id_changes.csv says what changed.
    let (id_changes, identity_counts) = match previous_ids {
        Some(prev) => {
            let key = |r: usize| {
                (
                    register.ingested.sources[register.ingested.rows[r].source as usize].source.clone(),
                    merge::ids::record_key(register, r),
                )
            };
            let carried = merge::ids::carry(&mut clusters, &key, prev);
            clusters.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
            carried
        }
        None => (
            Vec::new(),
            merge::ids::IdentityCounts {
                golden_records: clusters.len() as u64,
                new: clusters.len() as u64,
                ..Default::default()
            },
        ),
    };
    staging.write("id_changes.csv", |w| output::identity::write_id_changes(w, &id_changes))?;

    // Row → index of its golden record (goldens keep the clusters' order).
    let mut golden = vec![0u32; register.clean.len()];
    for (k, (_, members)) in clusters.iter().enumerate() {
        for &m in members {
            golden[m] = k as u32;
        }
    }
    staging.write("model.json", |w| {
        serde_json::to_writer_pretty(&mut *w, &dedup.model)?;
        w.write_all(b"\n")
    })?;
    let source_of = |i: usize| register.ingested.sources[register.ingested.rows[i].source as usize].name.as_str();
    drop(birth_keys);
    let rows = merge::Rows { clean: &register.clean, source: &source_of, identity: &identities };
    let goldens = merge::merge_clusters(&rows, clusters, &settings.survivorship);
    let source_name = |r: usize| register.ingested.sources[register.ingested.rows[r].source as usize].source.clone();
    let key_of = |r: usize| merge::ids::record_key(register, r);
    let merge_map = merge::merge_map(&goldens, &rows, &source_name, &key_of, settings.survivorship.master);
    staging.write("merge_map.csv", |w| output::identity::write_merge_map(w, &merge_map))?;

    drop(merge_map);
    drop(identities);
    progress.finish();
    progress.stage("stale and segments", goldens.len() as u64);
    let (reasons, skipped) = settings.stale.applicable(&register.fields_present);
    let stale: Vec<Vec<&'static str>> = goldens
        .par_iter()
        .map(|g| settings.stale.judge(g, &reasons, settings.as_of).into_iter().map(|r| r.code()).collect())
        .collect();
    let neutralised = std::sync::atomic::AtomicUsize::new(0);
    let segment_report = match &settings.segments {
        Some(rules) => Some(output::segments::write_segments(
            rules,
            settings.as_of,
            settings.config.formula_guard,
            settings.output_columns.as_ref(),
            &goldens,
            &stale,
            previous,
            staging,
            &neutralised,
        )?),
        None => None,
    };
    progress.finish();
    progress.stage("write: records.csv", register.clean.len() as u64);
    staging.write("records.csv", |w| output::records::write_records(w, register, &goldens, &golden))?;
    progress.finish();
    progress.stage("write: golden.csv", goldens.len() as u64);
    staging.write("golden.csv", |w| {
        output::golden::write_golden(
            w,
            register,
            &goldens,
            &stale,
            settings.config.formula_guard,
            &neutralised,
            settings.output_columns.as_ref(),
        )
    })?;
    progress.finish();
    progress.stage("write: audit and report", goldens.len() as u64);
    staging.write("audit.jsonl", |w| {
        output::audit::write_audit(
            w,
            register,
            &goldens,
            &golden,
            &dedup.links,
            &decisions.same,
            &settings.survivorship,
        )
    })?;
    staging.write("quarantine.csv", |w| output::quarantine::write_quarantine(w, &register.ingested))?;
    let config_sha = crate::ingest::hex(&Sha256::digest(settings.config.source_text.as_bytes()));
    let report = report::build(
        &register.ingested,
        &register.clean,
        &register.fields_present,
        &settings.as_of.to_string(),
        if settings.as_of_given { "argument" } else { "today" },
        config_sha,
        settings.show_samples,
    );
    let mut report = report;
    report.dedup = Some(report::dedup_section(&dedup, &golden, settings.config.dedup.threshold));
    report.identity = Some(identity_counts);
    report.stale = Some(report::stale_section(&stale, &reasons, &skipped, settings.stale.inactive_after_months));
    report.segment_reach = segment_report.as_ref().map(|s| s.1);
    report.segments = segment_report.map(|s| s.0);
    report.spreadsheet_cells_neutralised = neutralised.load(std::sync::atomic::Ordering::Relaxed);
    let mut rules_text = settings.survivorship.source_text.clone();
    rules_text.push_str(&settings.stale.source_text);
    if let Some(s) = &settings.segments {
        rules_text.push_str(&s.source_text);
    }
    report.rules_sha256 = crate::ingest::hex(&Sha256::digest(rules_text.as_bytes()));
    let mut gates = crate::gates::check(&settings.config.gates, &report);
    if let Some(c) = gates.checks.iter_mut().find(|c| c.name == "quarantined share" && !c.passed) {
        c.note = register.ingested.quarantine_in_common();
    }
    report.quality_gates = Some(gates);
    summary.gates = report.quality_gates.clone();
    // A file with a header and no rows is no error (the run goes on with the other inputs), but
    // someone should know: the export may have failed.
    for source in register.ingested.empty_sources() {
        summary.warnings.push(format!("{}: has a header but no rows", source.name));
    }
    let chain = decisions.largest_same_chain();
    if chain > decisions::LARGE_SAME_CHAIN {
        summary.warnings.push(format!(
            "a chain of 'same' decisions joins {chain} rows into one golden record (more than {}): check the decisions file",
            decisions::LARGE_SAME_CHAIN
        ));
    }
    summary.golden_records = goldens.len();
    summary.rows_merged = register.clean.len() - goldens.len();
    summary.stale_records = stale.iter().filter(|r| !r.is_empty()).count();
    summary.segments = settings.segments.as_ref().map(|s| s.segments.len()).unwrap_or(0);
    staging.write("report.json", |w| {
        serde_json::to_writer_pretty(&mut *w, &report)?;
        w.write_all(b"\n")
    })?;
    let json = serde_json::to_value(&report).map_err(|e| Error::Usage(format!("report: {e}")))?;
    staging.write("report.html", |w| w.write_all(crate::report_html::render(&json).as_bytes()))?;
    progress.finish();
    Ok(())
}
