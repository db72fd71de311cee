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
use crate::ingest::{self, Ingested};
use crate::merge::rules::Survivorship;
use crate::merge::{self, Golden, Origin};
use crate::normalise::date::{Date, DateOptions};
use crate::normalise::{self, CleanRow, Context};
use crate::output::Staging;
use crate::report;
use crate::segment::expr::Value;
use crate::segment::{self, SegmentRules};
use crate::stale::Policy;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::PathBuf;

/// Everything a run needs, validated.
#[derive(Debug, Clone)]
pub struct RunSettings {
    pub inputs: Vec<PathBuf>,
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
    /// The quality gates' verdict, when the config sets any.
    pub gates: Option<crate::gates::GateReport>,
}

/// The register after normalisation: the rows as read and their cleaned fields.
pub struct Register {
    pub ingested: Ingested,
    pub clean: Vec<CleanRow>,
    /// Canonical fields that at least one source provides (or that are derived, such as first
    /// and last name split from a full name), in canonical order.
    pub fields_present: Vec<Field>,
}

/// Reads and normalises the inputs.
pub fn load(settings: &RunSettings, progress: &dyn Progress) -> Result<Register, Error> {
    progress.stage("ingest", settings.inputs.len() as u64);
    // Phone metadata loads on a spare thread while the input is read.
    let warm = std::thread::spawn(normalise::phone::warm_up);
    let mut ingested = ingest::ingest(&settings.inputs, &settings.config.columns)?;
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
        known.extend(passthrough_columns(&register.ingested).into_iter().map(|(n, _)| n));
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

/// The identity of a row for golden ids and pairs.csv: its source file and record id, or its
/// line when it has no record id.
fn identity(register: &Register, i: usize) -> String {
    let row = &register.ingested.rows[i];
    let source = &register.ingested.sources[row.source as usize].source;
    format!("{source}\u{1f}{}", record_key(register, i))
}

/// A record's key within its source (records.csv `record_key`): its record id, or `#` and a hash
/// of its original values when it has none.
pub fn record_key(register: &Register, i: usize) -> String {
    match register.clean[i].value(Field::RecordId) {
        Some(id) => id.to_string(),
        None => format!("#{:016x}", values_hash(&register.ingested.rows[i])),
    }
}

/// A hash of a row's original values, the identity of a row without a record id: it does not
/// change when rows move or the file is renamed.
fn values_hash(row: &crate::ingest::Row) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    for i in 0..row.values.len() {
        row.values[i].hash(&mut h);
    }
    h.finish()
}

/// A 64-bit key of every row's identity, for breaking ties without regard to row order.
pub fn identity_keys(register: &Register) -> Vec<u64> {
    use std::hash::{Hash, Hasher};
    (0..register.clean.len())
        .into_par_iter()
        .map(|i| {
            let mut h = std::hash::DefaultHasher::new();
            identity(register, i).hash(&mut h);
            h.finish()
        })
        .collect()
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
    let hash = |ident: &str| merge::ids::golden_hash(ident);
    let mut clusters: Vec<(String, String, Vec<usize>)> = groups
        .into_par_iter()
        .map(|members| {
            let ident = members.iter().map(|&m| identity(register, m)).min().unwrap_or_default();
            (hash(&ident), ident, members)
        })
        .collect();
    clusters.par_sort_unstable_by(|a, b| a.1.cmp(&b.1).then(a.2[0].cmp(&b.2[0])));
    // Two clusters can share a smallest identity only when a file repeats a record id (or, far
    // less likely, two hashes collide); the later one then takes the hash of the identity and
    // its rank, still order-independent because clusters are visited in identity order.
    let mut used = std::collections::HashSet::with_capacity(clusters.len());
    for (id, ident, _) in &mut clusters {
        let mut k = 1;
        while !used.insert(id.clone()) {
            k += 1;
            *id = hash(&format!("{ident}\u{1f}{k}"));
        }
    }
    let mut out: Vec<(String, Vec<usize>)> = clusters.into_iter().map(|(id, _, members)| (id, members)).collect();
    out.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Birth dates as match keys: the cleaned date, or for a date that is a real calendar date but
/// failed the plausibility check, that date all the same.
fn birth_match_keys(settings: &RunSettings, register: &Register) -> Vec<Option<Date>> {
    let opts = DateOptions { month_first: settings.config.month_first };
    let columns: Vec<Option<usize>> =
        register.ingested.sources.iter().map(|s| s.mapping.iter().position(|f| *f == Some(Field::BirthDate))).collect();
    register
        .ingested
        .rows
        .par_iter()
        .zip(&register.clean)
        .map(|(row, clean)| {
            let date = match (clean.value(Field::BirthDate), clean.status(Field::BirthDate)) {
                (Some(v), _) => Date::parse_iso(v),
                (None, normalise::Status::Invalid) => columns[row.source as usize]
                    .and_then(|c| crate::normalise::date::clean_date(&row.values[c], &opts).value)
                    .and_then(|v| Date::parse_iso(&v)),
                _ => None,
            };
            date.or_else(|| birth_year_key(clean, settings.as_of))
        })
        .collect()
}

/// A birth year as a match key when there is no birth date: the `birth_year` column, or the year
/// `--as-of` less `age_at_export` (a year off when the export is older or the birthday still to
/// come; dedup allows that). Marked with month and day 0 (`dedup::features`).
fn birth_year_key(clean: &normalise::CleanRow, as_of: Date) -> Option<Date> {
    let number = |f: Field| clean.value(f).and_then(|v| v.parse::<i64>().ok());
    let year = match (number(Field::BirthYear), number(Field::AgeAtExport)) {
        (Some(y), _) if (1800..=i64::from(as_of.year)).contains(&y) => y,
        (_, Some(age)) if (0..=130).contains(&age) => i64::from(as_of.year) - age,
        _ => return None,
    };
    Some(Date { year: year as i32, month: 0, day: 0 })
}

/// How the register's rows can be named in a decisions file.
pub fn row_names(register: &Register) -> RowNames {
    RowNames::new(register.ingested.rows.iter().zip(&register.clean).map(|(row, c)| {
        let source = &register.ingested.sources[row.source as usize];
        (source.name.as_str(), row.line, c.value(Field::RecordId).unwrap_or(""), source.source.as_str())
    }))
}

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
    let birth_keys = birth_match_keys(settings, register);
    let identities = identity_keys(register);
    let mut result = None;
    // Pair levels spill here between scoring and pairs.csv (a temporary of the output directory,
    // removed however the stage ends, and by the next run if this one is killed).
    let spill = settings.out_dir.join(".regclean-tmp-pairs.spill");
    let written = staging.write("pairs.csv", |w| {
        result = Some(dedup::dedup(
            &register.clean,
            &birth_keys,
            &settings.config.dedup,
            &decisions.same,
            &decisions.different,
            &identify,
            &identities,
            w,
            &spill,
            progress,
        )?);
        Ok(())
    });
    let _ = std::fs::remove_file(&spill);
    written?;
    let dedup = result.expect("dedup ran");
    progress.stage("merge", register.clean.len() as u64);
    let mut clusters = golden_clusters(register, &dedup.labels);
    // Ids carry forward from the previous run; id_changes.csv says what changed.
    let (id_changes, identity_counts) = match previous_ids {
        Some(prev) => {
            let key = |r: usize| {
                (
                    register.ingested.sources[register.ingested.rows[r].source as usize].source.clone(),
                    record_key(register, r),
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
    staging.write("id_changes.csv", |w| {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(["golden_id", "change", "other_golden_id", "members_before", "members_after"])?;
        for c in &id_changes {
            out.write_record([
                c.golden_id.as_str(),
                c.change,
                c.other_golden_id.as_str(),
                &c.members_before.to_string(),
                &c.members_after.to_string(),
            ])?;
        }
        out.flush()
    })?;
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
    let key_of = |r: usize| record_key(register, r);
    let merge_map = merge::merge_map(&goldens, &rows, &source_name, &key_of, settings.survivorship.master);
    staging.write("merge_map.csv", |w| {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(["source", "golden_id", "master_record_id", "duplicate_record_id"])?;
        for m in &merge_map {
            out.write_record([&m.source, &m.golden_id, &m.master, &m.duplicate])?;
        }
        out.flush()
    })?;
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
        Some(rules) => Some(write_segments(settings, rules, &goldens, &stale, previous, staging, &neutralised)?),
        None => None,
    };
    progress.finish();
    progress.stage("write: records.csv", register.clean.len() as u64);
    staging.write("records.csv", |w| write_records(w, register, &goldens, &golden))?;
    progress.finish();
    progress.stage("write: golden.csv", goldens.len() as u64);
    staging.write("golden.csv", |w| {
        write_golden(
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
        write_audit(w, register, &goldens, &golden, &dedup.links, &decisions.same, &settings.survivorship)
    })?;
    staging.write("quarantine.csv", |w| write_quarantine(w, &register.ingested))?;
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
    if !settings.config.gates.is_empty() {
        report.quality_gates = Some(crate::gates::check(&settings.config.gates, &report));
    }
    summary.gates = report.quality_gates.clone();
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

/// The union of the sources' original headers, in order of first appearance, and for each
/// source the position of each union column in its rows.
pub fn union_columns(ingested: &Ingested) -> (Vec<String>, Vec<Vec<Option<usize>>>) {
    let mut names: Vec<String> = Vec::new();
    let mut index = std::collections::HashMap::new();
    let mut per_source = Vec::new();
    for s in &ingested.sources {
        let mut positions = Vec::new();
        for (col, h) in s.headers.iter().enumerate() {
            let name = if h.is_empty() { format!("column_{}", col + 1) } else { h.clone() };
            let u = *index.entry(name.clone()).or_insert_with(|| {
                names.push(name);
                names.len() - 1
            });
            positions.push((u, col));
        }
        per_source.push(positions);
    }
    let maps = per_source
        .into_iter()
        .map(|positions| {
            let mut m = vec![None; names.len()];
            for (u, col) in positions {
                m[u] = Some(col);
            }
            m
        })
        .collect();
    (names, maps)
}

fn write_records(
    w: &mut (dyn Write + Send),
    register: &Register,
    goldens: &[Golden],
    golden: &[u32],
) -> std::io::Result<()> {
    let ingested = &register.ingested;
    let (names, maps) = union_columns(ingested);
    let mut out = csv::WriterBuilder::new().from_writer(w);
    let mut header: Vec<String> = RECORDS_FIXED_COLUMNS.iter().map(|c| c.to_string()).collect();
    header.extend(names.iter().cloned());
    for f in &register.fields_present {
        header.push(format!("clean_{}", f.name()));
        header.push(format!("status_{}", f.name()));
    }
    out.write_record(&header)?;
    out.flush()?;
    let w = out.into_inner().map_err(|e| e.into_error())?;
    crate::output::write_chunks(w, ingested.rows.len(), 2048, |buf, range| {
        let mut out = csv::WriterBuilder::new().from_writer(buf);
        let mut line_buf = String::new();
        let range_start = range.start;
        for (k, ((row, clean), gid)) in
            ingested.rows[range.clone()].iter().zip(&register.clean[range.clone()]).zip(&golden[range]).enumerate()
        {
            let mut rec = csv::StringRecord::with_capacity(256, header.len());
            rec.push_field(&ingested.sources[row.source as usize].name);
            line_buf.clear();
            use std::fmt::Write as _;
            let _ = write!(line_buf, "{}", row.line);
            rec.push_field(&line_buf);
            rec.push_field(&ingested.sources[row.source as usize].source);
            let i = range_start + k;
            rec.push_field(&record_key(register, i));
            rec.push_field(&goldens[*gid as usize].golden_id);
            for pos in &maps[row.source as usize] {
                rec.push_field(pos.map(|i| &row.values[i]).unwrap_or(""));
            }
            for f in &register.fields_present {
                rec.push_field(clean.value(*f).unwrap_or(""));
                rec.push_field(clean.status(*f).as_str());
            }
            out.write_record(&rec)?;
        }
        out.flush()
    })
}

pub use crate::output::RECORDS_FIXED_COLUMNS;

/// Columns that map to no canonical field in any source: they pass through to golden.csv.
fn passthrough_columns(ingested: &Ingested) -> Vec<(String, Vec<Option<usize>>)> {
    let (names, maps) = union_columns(ingested);
    let mut out = Vec::new();
    for (u, name) in names.iter().enumerate() {
        let mapped = ingested.sources.iter().zip(&maps).any(|(s, m)| m[u].is_some_and(|c| s.mapping[c].is_some()));
        if !mapped {
            out.push((name.clone(), maps.iter().map(|m| m[u]).collect()));
        }
    }
    out
}

/// golden.csv: one row per golden record with its surviving canonical fields, the losing valid
/// e-mails and phones, and the pass-through columns of the member that gave the name.
fn write_golden(
    w: &mut (dyn Write + Send),
    register: &Register,
    goldens: &[Golden],
    stale: &[Vec<&str>],
    guard_on: bool,
    neutralised: &std::sync::atomic::AtomicUsize,
    output_columns: Option<&Vec<String>>,
) -> std::io::Result<()> {
    let passthrough = passthrough_columns(&register.ingested);
    let mut out = csv::WriterBuilder::new().from_writer(w);
    let mut header = vec!["golden_id".to_string(), "member_count".to_string()];
    header.extend(register.fields_present.iter().map(|f| f.name().to_string()));
    header.extend([
        "other_emails".to_string(),
        "other_phones".to_string(),
        "stale".to_string(),
        "stale_reasons".to_string(),
    ]);
    header.extend(passthrough.iter().map(|(n, _)| n.clone()));
    // Data minimisation: keep golden_id, member_count and the requested columns only.
    let keep: Vec<usize> =
        (0..header.len()).filter(|&i| i < 2 || output_columns.is_none_or(|cols| cols.contains(&header[i]))).collect();
    let header: Vec<String> = keep.iter().map(|&i| header[i].clone()).collect();
    out.write_record(&header)?;
    out.flush()?;
    let w = out.into_inner().map_err(|e| e.into_error())?;
    crate::output::write_chunks(w, goldens.len(), 2048, |buf, range| {
        let mut out = csv::WriterBuilder::new().from_writer(buf);
        for (g, reasons) in goldens[range.clone()].iter().zip(&stale[range]) {
            let mut rec = vec![g.golden_id.clone(), g.members.len().to_string()];
            rec.extend(register.fields_present.iter().map(|&f| g.value(f).unwrap_or("").to_string()));
            rec.push(g.other_emails.join(";"));
            rec.push(g.other_phones.join(";"));
            rec.push((!reasons.is_empty()).to_string());
            rec.push(reasons.join(";"));
            let row = &register.ingested.rows[g.passthrough_member];
            for (_, cols) in &passthrough {
                rec.push(cols[row.source as usize].map(|c| row.values[c].to_string()).unwrap_or_default());
            }
            let rec: Vec<String> = keep.iter().map(|&i| std::mem::take(&mut rec[i])).collect();
            out.write_record(guard(&rec, guard_on, neutralised).iter().map(|c| c.as_bytes()))?;
        }
        out.flush()
    })
}

/// The values segment rules see, built per golden record on demand (`segment::schema()` order:
/// the canonical fields, then the derived ones).
struct SegmentValues<'a> {
    goldens: &'a [Golden],
    stale: &'a [Vec<&'static str>],
    scores: Vec<[Option<u8>; 3]>,
    as_of: Date,
}

impl SegmentValues<'_> {
    fn field(g: &Golden, f: Field) -> Option<Value> {
        let s = g.value(f)?;
        Some(match f.kind() {
            crate::field::Kind::Date => Value::Date(Date::parse_iso(s)?),
            crate::field::Kind::Count | crate::field::Kind::Money => Value::Number(s.parse().ok()?),
            crate::field::Kind::Bool => Value::Bool(s == "true"),
            _ => Value::Text(s.to_string()),
        })
    }

    fn derived(&self, g: usize) -> [Option<Value>; segment::DERIVED.len()] {
        segment::rfm::derived(&self.goldens[g], &self.stale[g], self.scores[g], self.as_of)
    }

    /// The values of golden record `g` that `used` marks (schema order; the rest are `None`).
    fn used(&self, g: usize, used: &[bool]) -> Vec<Option<Value>> {
        let mut v: Vec<Option<Value>> =
            Field::ALL.iter().map(|&f| if used[f.index()] { Self::field(&self.goldens[g], f) } else { None }).collect();
        if used[Field::COUNT..].iter().any(|&u| u) {
            v.extend(self.derived(g));
        } else {
            v.resize(used.len(), None);
        }
        v
    }

    /// The values of golden record `g` at these schema positions.
    fn some(&self, g: usize, positions: &[usize]) -> Vec<Option<Value>> {
        let derived = positions.iter().any(|&i| i >= Field::COUNT).then(|| self.derived(g));
        positions
            .iter()
            .map(|&i| match &derived {
                Some(d) if i >= Field::COUNT => d[i - Field::COUNT].clone(),
                _ => Self::field(&self.goldens[g], Field::ALL[i]),
            })
            .collect()
    }
}

fn format_value(v: &Option<Value>) -> String {
    match v {
        None => String::new(),
        Some(Value::Text(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Date(d)) => d.to_string(),
        Some(Value::Number(n)) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Some(Value::Number(n)) => format!("{n:.2}"),
    }
}

/// Cells made safe for spreadsheets (see `spreadsheet`), counting the ones that changed.
fn guard<'a>(
    cells: &'a [String],
    on: bool,
    neutralised: &std::sync::atomic::AtomicUsize,
) -> Vec<std::borrow::Cow<'a, str>> {
    cells
        .iter()
        .map(|c| {
            if !on {
                return std::borrow::Cow::Borrowed(c.as_str());
            }
            let (v, changed) = crate::spreadsheet::neutralise(c);
            if changed {
                neutralised.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            v
        })
        .collect()
}

/// segments.csv (every membership with its holdout flag) and segments/<name>.csv (the members
/// a campaign may contact: not held out; consent and staleness were checked on entry).
fn write_segments(
    settings: &RunSettings,
    rules: &SegmentRules,
    goldens: &[Golden],
    stale: &[Vec<&'static str>],
    previous: Option<&segment::Memberships>,
    staging: &mut Staging,
    neutralised: &std::sync::atomic::AtomicUsize,
) -> Result<(Vec<segment::SegmentReport>, report::SegmentReach), Error> {
    let guard_on = settings.config.formula_guard;
    let values =
        SegmentValues { goldens, stale, scores: segment::rfm::scores(goldens, settings.as_of), as_of: settings.as_of };
    let is_stale: Vec<bool> = stale.iter().map(|r| !r.is_empty()).collect();
    let unsubscribed = |g: &Golden| g.value(Field::Unsubscribed) == Some("true");
    let consent: Vec<(bool, bool)> = goldens
        .iter()
        .map(|g| {
            (
                g.value(Field::EmailConsent) == Some("true") && !unsubscribed(g),
                g.value(Field::SmsConsent) == Some("true") && !unsubscribed(g),
            )
        })
        .collect();
    let ids: Vec<&str> = goldens.iter().map(|g| g.golden_id.as_str()).collect();
    let used = rules.fields_used();
    let assignment = rules.assign(&|g| values.used(g, &used), &is_stale, &consent, &ids, settings.as_of);
    staging.write("segments.csv", |w| {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(["golden_id", "segment", "holdout"])?;
        for (g, list) in assignment.iter().enumerate() {
            for &(s, held) in list {
                out.write_record([ids[g], rules.segments[s].name.as_str(), if held { "true" } else { "false" }])?;
            }
        }
        out.flush()
    })?;
    let schema = segment::schema();
    // The members each export lists (not held out), in golden record order, in one pass.
    let mut exported: Vec<Vec<usize>> = vec![Vec::new(); rules.segments.len()];
    for (g, list) in assignment.iter().enumerate() {
        for &(s, held) in list {
            if !held {
                exported[s].push(g);
            }
        }
    }
    for (s, seg) in rules.segments.iter().enumerate() {
        // The segment's export fields, less any that --output-columns leaves out.
        let fields: Vec<usize> = seg
            .export
            .iter()
            .copied()
            .filter(|&i| schema.names[i] != "golden_id")
            .filter(|&i| settings.output_columns.as_ref().is_none_or(|cols| cols.contains(&schema.names[i])))
            .collect();
        staging.write(&format!("segments/{}.csv", seg.name), |w| {
            let mut out = csv::Writer::from_writer(w);
            let mut header = vec!["golden_id".to_string()];
            header.extend(fields.iter().map(|&i| schema.names[i].clone()));
            out.write_record(&header)?;
            out.flush()?;
            let w = out.into_inner().map_err(|e| e.into_error())?;
            let members = &exported[s];
            crate::output::write_chunks(w, members.len(), 1024, |buf, range| {
                let mut out = csv::Writer::from_writer(buf);
                for &g in &members[range] {
                    let mut rec = vec![ids[g].to_string()];
                    rec.extend(values.some(g, &fields).iter().map(format_value));
                    out.write_record(guard(&rec, guard_on, neutralised).iter().map(|c| c.as_bytes()))?;
                }
                out.flush()
            })
        })?;
    }
    let (mut fresh_in, mut stale_in) = (0, 0);
    for (g, list) in assignment.iter().enumerate() {
        if !list.is_empty() {
            if is_stale[g] {
                stale_in += 1;
            } else {
                fresh_in += 1;
            }
        }
    }
    Ok((
        segment::report(rules, &assignment, goldens, previous),
        report::SegmentReach { fresh_in_segments: fresh_in, stale_in_segments: stale_in },
    ))
}

/// Appends a JSON string (escaped by serde_json).
fn json_str(buf: &mut Vec<u8>, s: &str) {
    let _ = serde_json::to_writer(&mut *buf, s);
}

/// How a member is named in audit.jsonl: `{"source":..,"record_key":..}`, its identity (the
/// `source` and `record_key` columns of records.csv), which neither a renamed file nor moved
/// rows change, so audit.jsonl is the same for any row order.
fn member_json(buf: &mut Vec<u8>, register: &Register, i: usize) {
    let row = &register.ingested.rows[i];
    buf.extend_from_slice(b"{\"source\":");
    json_str(buf, &register.ingested.sources[row.source as usize].source);
    buf.extend_from_slice(b",\"record_key\":");
    json_str(buf, &record_key(register, i));
    buf.push(b'}');
}

/// audit.jsonl: one line per golden record with two or more members: who the members are,
/// which links joined them, and for every field its value, rule and origin. Lines are built in
/// parallel (by hand: a JSON value tree per record cost more than the rest of the run) and
/// written in golden-id order.
fn write_audit(
    w: &mut (dyn Write + Send),
    register: &Register,
    goldens: &[Golden],
    golden_of: &[u32],
    links: &[dedup::cluster::Link],
    same: &[(u32, u32)],
    rules: &Survivorship,
) -> std::io::Result<()> {
    // Links per golden record: (a, b, weight or None for a `same` decision).
    type LinksOf = std::collections::HashMap<u32, Vec<(u32, u32, Option<f64>)>>;
    let mut links_of: LinksOf = std::collections::HashMap::new();
    for l in links {
        links_of.entry(golden_of[l.a as usize]).or_default().push((l.a, l.b, Some(l.weight)));
    }
    for &(a, b) in same {
        links_of.entry(golden_of[a as usize]).or_default().push((a, b, None));
    }
    // Each link names its members in identity order and the links follow that order, so the
    // audit does not change when rows move.
    links_of.par_iter_mut().for_each(|(_, v)| {
        let mut keyed: Vec<(String, String, bool, (u32, u32, Option<f64>))> = v
            .iter()
            .map(|&(a, b, w)| {
                let (ia, ib) = (identity(register, a as usize), identity(register, b as usize));
                if ia <= ib { (ia, ib, w.is_none(), (a, b, w)) } else { (ib, ia, w.is_none(), (b, a, w)) }
            })
            .collect();
        keyed.sort_by(|x, y| (&x.0, &x.1, x.2).cmp(&(&y.0, &y.1, y.2)));
        *v = keyed.into_iter().map(|k| k.3).collect();
    });
    // Built in parallel a batch at a time and written in order, so memory stays bounded.
    let merged: Vec<(u32, &Golden)> =
        goldens.iter().enumerate().filter(|(_, g)| g.members.len() > 1).map(|(k, g)| (k as u32, g)).collect();
    crate::output::write_chunks(w, merged.len(), 256, |out, range| {
        for &(k, g) in &merged[range] {
            let line = {
                let mut b = Vec::with_capacity(4096);
                b.extend_from_slice(b"{\"golden_id\":");
                json_str(&mut b, &g.golden_id);
                b.extend_from_slice(format!(",\"member_count\":{},\"members\":[", g.members.len()).as_bytes());
                for (k, &m) in g.members.iter().enumerate() {
                    if k > 0 {
                        b.push(b',');
                    }
                    member_json(&mut b, register, m);
                }
                b.extend_from_slice(b"],\"links\":[");
                for (k, &(x, y, weight)) in links_of.get(&k).map(Vec::as_slice).unwrap_or(&[]).iter().enumerate() {
                    if k > 0 {
                        b.push(b',');
                    }
                    b.extend_from_slice(b"{\"a\":");
                    member_json(&mut b, register, x as usize);
                    b.extend_from_slice(b",\"b\":");
                    member_json(&mut b, register, y as usize);
                    match weight {
                        Some(w) => {
                            b.extend_from_slice(b",\"match_weight\":");
                            let _ = serde_json::to_writer(&mut b, &w);
                        }
                        None => b.extend_from_slice(b",\"decision\":\"same\""),
                    }
                    b.push(b'}');
                }
                b.extend_from_slice(b"],\"fields\":{");
                for (k, &f) in register.fields_present.iter().enumerate() {
                    if k > 0 {
                        b.push(b',');
                    }
                    json_str(&mut b, f.name());
                    b.extend_from_slice(b":{\"value\":");
                    match g.value(f) {
                        Some(v) => json_str(&mut b, v),
                        None => b.extend_from_slice(b"null"),
                    }
                    b.extend_from_slice(b",\"rule\":");
                    json_str(&mut b, rules.rule_name(f));
                    b.extend_from_slice(b",\"from\":");
                    match g.origin(f) {
                        Origin::Nobody => b.extend_from_slice(b"null"),
                        Origin::One(m) => member_json(&mut b, register, m),
                        Origin::Many(ms) => {
                            b.push(b'[');
                            for (k, &m) in ms.iter().enumerate() {
                                if k > 0 {
                                    b.push(b',');
                                }
                                member_json(&mut b, register, m);
                            }
                            b.push(b']');
                        }
                    }
                    b.push(b'}');
                }
                b.extend_from_slice(b"},\"other_emails\":");
                let _ = serde_json::to_writer(&mut b, &g.other_emails);
                b.extend_from_slice(b",\"other_phones\":");
                let _ = serde_json::to_writer(&mut b, &g.other_phones);
                b.extend_from_slice(b"}\n");
                b
            };
            out.extend_from_slice(&line);
        }
        Ok(())
    })
}

fn write_quarantine(w: &mut dyn Write, ingested: &Ingested) -> std::io::Result<()> {
    let mut out = csv::WriterBuilder::new().from_writer(w);
    out.write_record(["source_file", "source_line", "reason", "raw"])?;
    for q in &ingested.quarantine {
        out.write_record([ingested.sources[q.source as usize].name.as_str(), &q.line.to_string(), &q.reason, &q.raw])?;
    }
    out.flush()
}
