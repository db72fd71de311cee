//! Pipeline: run the stages in order and write the outputs.
//!
//! Order: load (config already validated by the caller) → ingest (the only stage that can fail
//! on data, and then nothing is written) → normalise (in parallel, order kept) → write every
//! output to temporary files → rename into place. Stages return data plus the issues they
//! found; this module decides what is written where.

use crate::decisions::{self, Decisions, RowNames};
use crate::dedup;
use crate::error::Error;
use crate::field::Field;
use crate::ingest;
use crate::merge;
use crate::normalise::date::DateOptions;
use crate::normalise::{self, Context};
use crate::output::{self, Staging};
use crate::report;
use crate::segment;

pub use crate::progress::{Progress, Silent};
pub use crate::settings::{RunSettings, Summary};

pub use crate::normalise::Register;

/// Reads and normalises the inputs.
pub fn load(settings: &RunSettings, progress: &dyn Progress) -> Result<Register, Error> {
    // Ingest counts bytes: the inputs' sizes (a file that cannot be read counts nothing here
    // and fails in ingest).
    let bytes: u64 = settings.inputs.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
    progress.stage("ingest", bytes);
    // Phone metadata loads on a spare thread while the input is read.
    let warm = std::thread::spawn(normalise::phone::warm_up);
    let options = ingest::ReadOptions {
        columns: &settings.config.columns,
        sheet: settings.sheet.as_deref(),
        max_line_bytes: settings.config.max_line_bytes,
    };
    let mut ingested = ingest::ingest(&settings.inputs, &options, progress)?;
    let _ = warm.join();
    let names =
        crate::sources::assign(&settings.inputs, &settings.sources, &settings.config.sources).map_err(Error::Usage)?;
    for (source, name) in ingested.sources.iter_mut().zip(names) {
        source.source = name;
    }
    progress.finish();
    let dates = DateOptions { month_first: settings.config.month_first };
    let ctx = Context::new(settings.config.default_country.clone(), dates, settings.as_of);
    let mut register = normalise::register(ingested, &ctx, settings.config.date_order_given, progress);
    let (fields, order_given) = (&settings.config.fields, settings.config.date_order_given);
    register.custom = normalise::custom::clean_all(&register.ingested, fields, dates.month_first, order_given);
    Ok(register)
}

/// Runs the whole pipeline and writes the outputs into `settings.out_dir`.
pub fn run(settings: &RunSettings, progress: &dyn Progress) -> Result<Summary, Error> {
    output::check_inputs_outside(&settings.out_dir, &settings.inputs)?;
    // The output directory's lock comes before any work: a second run into the same directory
    // is refused at once, not after reading its inputs (by when the first one's outputs may
    // already be in place). A run that fails leaves no directory it created behind.
    let mut staging = Staging::new(&settings.out_dir)?;
    let mut summary = Summary::default();
    match stages(settings, &mut staging, progress, &mut summary) {
        Ok(()) => {
            staging.commit()?;
            // The history grows only with runs whose outputs are in place.
            if let Some(path) = &settings.history {
                crate::history::append(path, &summary.history)?;
            }
        }
        Err(e) => {
            staging.abandon();
            return Err(e);
        }
    }
    Ok(summary)
}

/// Every stage of a run, its outputs staged in `staging`.
fn stages(
    settings: &RunSettings,
    staging: &mut Staging,
    progress: &dyn Progress,
    summary: &mut Summary,
) -> Result<(), Error> {
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
        output::check_output_columns(cols, &register)?;
    }
    write_outputs(
        settings,
        &register,
        &decisions,
        previous.as_ref(),
        previous_ids.as_ref(),
        staging,
        progress,
        summary,
    )?;
    let r = &register.ingested;
    summary.rows_read = r.rows.len() + r.quarantine.len();
    summary.rows_accepted = r.rows.len();
    summary.rows_quarantined = r.quarantine.len();
    Ok(())
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
    let birth_keys = dedup::birth::birth_match_keys(register, settings.as_of);
    let identities = merge::ids::identity_keys(register);
    // Pair levels spill here between scoring and pairs.csv (a temporary of the output directory,
    // removed however the stage ends, and by the next run if this one is killed).
    let spill = settings.out_dir.join(".regclean-tmp-pairs.spill");
    let dedup = dedup::dedup(
        register,
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
    let picks = output::pairs::stage_pairs(staging, &mut dedup, register, &identities)?;
    progress.finish();

    progress.stage("merge", register.clean.len() as u64);
    // Ids carry forward from the previous run; id_changes.csv says what changed.
    let assigned = merge::ids::assign(register, &dedup.labels, previous_ids);
    staging.write("id_changes.csv", |w| output::identity::write_id_changes(w, &assigned.changes))?;
    let (clusters, golden, identity_counts) = (assigned.clusters, assigned.golden_of_row, assigned.counts);
    output::write_json(staging, "model.json", &dedup.model)?;
    let source_of = |i: usize| register.ingested.sources[register.ingested.rows[i].source as usize].name.as_str();
    drop(birth_keys);
    let email_key = |i: usize| register.email_key(i);
    let rows = merge::Rows {
        clean: &register.clean,
        source: &source_of,
        identity: &identities,
        email_key: &email_key,
        custom: &register.custom,
    };
    let goldens = merge::merge_clusters(&rows, clusters, &settings.survivorship);
    let source_name = |r: usize| register.ingested.sources[register.ingested.rows[r].source as usize].source.clone();
    let key_of = |r: usize| merge::ids::record_key(register, r);
    let merge_map = merge::merge_map(&goldens, &rows, &source_name, &key_of, settings.survivorship.master);
    staging.write("merge_map.csv", |w| output::identity::write_merge_map(w, &merge_map))?;

    drop(merge_map);
    drop(identities);
    progress.finish();
    progress.stage("stale and segments", goldens.len() as u64);
    let judged = settings.stale.judge_all(&goldens, &register.fields_present, settings.as_of);
    let stale = &judged.codes;
    let neutralised = std::sync::atomic::AtomicUsize::new(0);
    let segment_report = match &settings.segments {
        Some(rules) => Some(output::segments::write_segments(
            rules,
            settings.as_of,
            settings.config.formula_guard,
            settings.output_columns.as_ref(),
            &goldens,
            stale,
            previous,
            staging,
            &neutralised,
        )?),
        None => None,
    };
    progress.finish();
    progress.stage("write: records.csv", register.clean.len() as u64);
    staging.write("records.csv", |w| output::records::write_records(w, register, &goldens, &golden, progress))?;
    progress.finish();
    progress.stage("write: golden.csv", goldens.len() as u64);
    staging.write("golden.csv", |w| {
        output::golden::write_golden(
            w,
            register,
            &goldens,
            stale,
            settings.config.formula_guard,
            &neutralised,
            settings.output_columns.as_ref(),
            progress,
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
    let mut report = report::build(
        register,
        &settings.as_of.to_string(),
        if settings.as_of_given { "argument" } else { "today" },
        report::sha256_hex(&[&settings.config.source_text]),
        settings.show_samples,
    );
    let mut dedup_report = report::dedup_section(&dedup, &golden, settings.config.dedup.threshold);
    dedup_report.examples = report::pair_examples(register, &picks.in_order(), settings.show_samples);
    report.dedup = Some(dedup_report);
    report.identity = Some(identity_counts);
    report.health = Some(report::health(register, &goldens, stale));
    report.locale = report::locale(register, settings.config.locale.as_deref());
    report.stale =
        Some(report::stale_section(stale, &judged.reasons, &judged.skipped, settings.stale.inactive_after_months));
    report.segment_reach = segment_report.as_ref().map(|s| s.1);
    report.segments = segment_report.map(|s| s.0);
    if let Some(path) = &settings.history {
        summary.history = crate::history::run_points(&report.as_of, report.segments.as_deref().unwrap_or(&[]));
        let mut points = crate::history::read(path)?;
        points.extend(summary.history.iter().cloned());
        report.segment_history = Some(points);
    }
    report.spreadsheet_cells_neutralised = neutralised.load(std::sync::atomic::Ordering::Relaxed);
    let segment_rules = settings.segments.as_ref().map_or("", |s| s.source_text.as_str());
    report.rules_sha256 =
        report::sha256_hex(&[&settings.survivorship.source_text, &settings.stale.source_text, segment_rules]);
    report.quality_gates = Some(crate::gates::check(&settings.config.gates, &report, &register.ingested));
    summary.gates = report.quality_gates.clone();
    report.warnings = crate::warnings::collect(register, report.segments.as_deref(), decisions.largest_same_chain());
    report.warnings.extend(crate::warnings::missing_custom_columns(register, &settings.config.fields_declared_at));
    summary.warnings = report.warnings.iter().map(|w| w.message.clone()).collect();
    summary.golden_records = goldens.len();
    summary.rows_merged = register.clean.len() - goldens.len();
    summary.stale_records = stale.iter().filter(|r| !r.is_empty()).count();
    summary.segments = settings.segments.as_ref().map(|s| s.segments.len()).unwrap_or(0);
    output::write_report(staging, &report)?;
    progress.finish();
    Ok(())
}
