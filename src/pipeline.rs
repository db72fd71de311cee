//! Pipeline: run the stages in order, then write the outputs.
//!
//! Order (the README's list of stages): load (config already validated by the caller) → ingest
//! (the only stage that can fail on data, and then nothing is written) → normalise (in
//! parallel, order kept) → record identities → dedup → merge → stale → segments → write every
//! output to temporary files → rename into place. Stages return data plus the issues they
//! found; this module hands each result to the next stage and decides what is written where,
//! and what waits on disk while no stage reads it (`spill`; ARCHITECTURE.md, "Memory model").

use crate::decisions::{self, Decisions, RowNames};
use crate::dedup;
use crate::error::Error;
use crate::field::Field;
use crate::ids;
use crate::ingest;
use crate::merge;
use crate::normalise::date::DateOptions;
use crate::normalise::{self, Context};
use crate::output::{self, Staging};
use crate::report;
use crate::review;
use crate::segment;
use crate::suppress;
use rayon::prelude::*;

pub use crate::progress::{Progress, Silent};
pub use crate::settings::{RunSettings, Summary};

pub use crate::normalise::Register;

/// Reads and normalises the inputs.
pub fn load(settings: &RunSettings, progress: &dyn Progress) -> Result<Register, Error> {
    let ingested = read_inputs(settings, progress)?;
    Ok(normalise_rows(ingested, settings, progress))
}

/// Reads the inputs and names their sources.
fn read_inputs(settings: &RunSettings, progress: &dyn Progress) -> Result<ingest::Ingested, Error> {
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
    Ok(ingested)
}

/// Normalises the rows read, custom fields included.
fn normalise_rows(ingested: ingest::Ingested, settings: &RunSettings, progress: &dyn Progress) -> Register {
    let dates = DateOptions { month_first: settings.config.month_first };
    let ctx = Context::new(settings.config.default_country.clone(), dates, settings.as_of);
    let mut register = normalise::register(ingested, &ctx, settings.config.date_order_given, progress);
    let (fields, order_given) = (&settings.config.fields, settings.config.date_order_given);
    register.custom = normalise::custom::clean_all(&register.ingested, fields, dates.month_first, order_given);
    register
}

/// The erasure log a run obeys: its output folder's own (a run into a folder `regclean erase`
/// wrote to) and `--previous`'s, joined.
fn erasure_log(settings: &RunSettings) -> Result<suppress::ErasureLog, Error> {
    let mut log = suppress::ErasureLog::read_dir(&settings.out_dir)?;
    if let Some(previous) = &settings.previous {
        log.extend(&suppress::ErasureLog::read_dir(previous)?);
    }
    Ok(log)
}

/// Leaves out every row and quarantined line the erasure log names, normalising the register
/// again without them (only when some were found: the register's date orders and majority
/// country are then those of the rows that stay). Returns the register and how many were left out.
fn keep_out(
    register: Register,
    log: &suppress::ErasureLog,
    settings: &RunSettings,
    progress: &dyn Progress,
) -> (Register, usize) {
    if log.is_empty() {
        return (register, 0);
    }
    let hashes = log.hashes();
    let rows = suppress::erased_rows(&register.clean, &hashes);
    let country = settings.config.default_country.as_deref();
    let quarantined: Vec<usize> = register
        .ingested
        .quarantine
        .iter()
        .enumerate()
        .filter(|(_, q)| suppress::raw_line_matches(&q.raw, &hashes, country))
        .map(|(i, _)| i)
        .collect();
    if rows.is_empty() && quarantined.is_empty() {
        return (register, 0);
    }
    let mut ingested = register.into_ingested();
    ingested.erase(&rows, &quarantined);
    (normalise_rows(ingested, settings, progress), rows.len() + quarantined.len())
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

/// Every stage of a run in the README's order, each handed the previous one's result; the
/// outputs are staged in `staging` last, once every stage has run.
fn stages(
    settings: &RunSettings,
    staging: &mut Staging,
    progress: &dyn Progress,
    summary: &mut Summary,
) -> Result<(), Error> {
    // 1. Ingest and normalise, without the people an erasure log names.
    let erasures = erasure_log(settings)?;
    let (mut register, kept_out) = keep_out(load(settings, progress)?, &erasures, settings, progress);
    summary.rows_kept_out = kept_out;
    // Rows a suppression list names, matched while the cleaned rows are in memory.
    let suppression =
        (!settings.suppress.is_empty()).then(|| suppress::match_rows(&settings.suppress, &register.clean));
    // What the run is told besides its inputs: the user's decisions and the previous run's ids
    // (records.csv) and segments (when it had any).
    let decisions = match &settings.decisions {
        Some(path) => decisions::load(path, &row_names(&register))?,
        None => Decisions::default(),
    };
    let previous_ids = settings.previous.as_deref().map(ids::PreviousIds::read).transpose()?;
    let previous = settings
        .previous
        .as_deref()
        .filter(|d| d.join("segments.csv").exists())
        .map(segment::read_previous)
        .transpose()?;
    if let Some(cols) = &settings.output_columns {
        output::check_output_columns(cols, &register)?;
    }
    summary.memory.push(("ingest: rows (original values, packed)", register.ingested.rows_bytes()));
    summary.memory.push(("normalise: cleaned rows", register.clean.par_iter().map(|c| c.bytes() as u64).sum()));
    // 2. Record identities: source and record key, the ties' order and the golden ids' names.
    progress.stage("identities and field quality", register.clean.len() as u64);
    let identities = ids::identity_keys(&register);
    // What the report says of ingest and normalise, its warnings about the register and its
    // locale: taken now, while the original values and the cleaned rows are in memory.
    let early = Early {
        report: report::build(
            &register,
            &settings.as_of.to_string(),
            if settings.as_of_given { "argument" } else { "today" },
            report::sha256_hex(&[&settings.config.source_text]),
            settings.show_samples,
        ),
        warnings: crate::warnings::of_register(&register),
        locale: report::locale(&register, settings.config.locale.as_deref()),
    };
    // 3. Dedup: candidate pairs, scores, clusters. Dedup takes what it reads from the rows
    // first; then the original values (read again only by the writers) and the cleaned rows
    // (read again by pairs.csv and merge) wait on disk while it blocks, trains and scores, the
    // run's largest stage (ARCHITECTURE.md, "Memory model").
    let scratch = |name: &str| settings.out_dir.join(format!(".regclean-tmp-{name}.spill"));
    let io = |e| Error::io(&settings.out_dir, e);
    let birth_keys = dedup::birth::birth_match_keys(&register, settings.as_of);
    let values = register.ingested.spill_values(&scratch("values")).map_err(io)?;
    // All pairs.csv reads of the cleaned rows (which come back only after it, once the match
    // keys are gone), on disk meanwhile.
    let ids_on_disk = crate::spill::write_iter(
        &scratch("record-ids"),
        register.clean.iter().map(|c| c.value(Field::RecordId).unwrap_or("")),
        |id, buf| {
            crate::spill::put_u32(buf, id.len() as u32);
            buf.extend_from_slice(id.as_bytes());
        },
    )
    .map_err(io)?;
    progress.finish();
    let (prepared, clean) = dedup::prepare_spilling(
        &mut register,
        &birth_keys,
        &decisions.different,
        &identities,
        &scratch("clean"),
        progress,
    )
    .map_err(io)?;
    drop(birth_keys);
    summary.memory.push(("ingest, normalise: rows spilled to disk (not memory)", values.bytes() + clean.bytes()));
    let mut dedup = find_duplicates(settings, prepared, &decisions, progress)?;
    // pairs.csv at once: explaining the pairs needs dedup's match keys (a third of a kilobyte a
    // row), which go with it, before the cleaned rows come back and merge builds the golden
    // records (ARCHITECTURE.md, "Memory model"). Its clusters are final here: merge only names
    // them.
    progress.stage("write: pairs.csv", 1);
    let record_ids = {
        let mut ids = crate::packed::StringsBuilder::default();
        let take = |bytes: &mut &[u8]| {
            let n = crate::spill::take_u32(bytes)? as usize;
            crate::spill::take_str(bytes, n)
        };
        crate::spill::read_batches(&ids_on_disk, take, |_, batch| {
            batch.iter().for_each(|id| ids.push(id));
            Ok(())
        })
        .map_err(io)?;
        ids.finish()
    };
    drop(ids_on_disk);
    let mut chooser = review::Chooser::new(settings.review_pairs, &decisions, &identities);
    let picks =
        output::pairs::stage_pairs(staging, &mut dedup, &register.ingested, &record_ids, &identities, &mut |p| {
            chooser.consider(p)
        })?;
    drop(record_ids);
    register.restore_clean(&clean).map_err(io)?;
    // The review queue from the same pairs, and the report's pair examples, while the cleaned
    // rows are in memory.
    let (queue, tally) = chooser.finish(&dedup.labels);
    let table = review::table(&queue, &register, settings.show_samples, settings.config.formula_guard);
    staging.write(review::QUEUE_FILE, |w| output::review::write_csv(w, &table.header, &table.rows))?;
    if settings.review_xlsx {
        let as_of = (settings.as_of.year.clamp(1900, 9999) as u16, settings.as_of.month, settings.as_of.day);
        staging.write("review.xlsx", |w| output::review::write_xlsx(w, &table.header, &table.rows, as_of))?;
    }
    drop((queue, table));
    let examples = report::pair_examples(&register, &picks.in_order(), settings.show_samples);
    let review_report = settings.decisions.is_some().then(|| tally.report(&decisions));
    progress.finish();
    // 4. Merge: golden ids (carried from --previous) and one golden record per cluster.
    progress.stage("merge", register.clean.len() as u64);
    let assigned = ids::assign(&register, &dedup.labels, previous_ids.as_ref());
    register.drop_clean(&clean);
    let goldens =
        merge_streaming(&mut register, &clean, &identities, assigned.clusters, &decisions.same, &settings.survivorship)
            .map_err(io)?;
    summary.memory.extend(dedup.memory.iter().copied());
    summary.memory.push(("merge: golden records", goldens.par_iter().map(|g| g.bytes() as u64).sum()));
    // Every contact linked to its golden account.
    let accounts = merge::accounts::link(&goldens);
    // Households: the people who live together, kept apart as customers.
    let (households, households_report) = crate::household::find(&goldens, &settings.config.households);
    let merged = Merged {
        goldens,
        accounts,
        households,
        households_report,
        golden_of_row: assigned.golden_of_row,
        changes: assigned.changes,
        counts: assigned.counts,
    };
    let suppressed = suppression.as_ref().map(|m| suppressed_goldens(m, &merged.golden_of_row, merged.goldens.len()));
    progress.finish();
    // merge_map.csv and audit.jsonl name the members of merged records by their cleaned values,
    // and the report's pair examples show some: written and taken now, so that the cleaned rows
    // go back to disk for the rest of the run (records.csv reads them a batch at a time).
    progress.stage("write: merge map, audit", merged.goldens.len() as u64);
    {
        let rows = merge_rows(&register, &identities);
        let source_name =
            |r: usize| register.ingested.sources[register.ingested.rows[r].source as usize].source.as_str();
        let key_of = |r: usize| ids::record_key(&register, r);
        let (goldens, master) = (&merged.goldens, settings.survivorship.master);
        staging.write("merge_map.csv", |w| {
            output::identity::write_merge_map(w, goldens.len(), |range| {
                merge::merge_map(&goldens[range], &rows, &source_name, &key_of, master)
            })
        })?;
    }
    staging.write("audit.jsonl", |w| {
        let (goldens, golden) = (&merged.goldens, &merged.golden_of_row);
        output::audit::write_audit(w, &register, goldens, golden, &dedup.links, &decisions.same, &settings.survivorship)
    })?;
    // Unchanged since they were spilled: the file still holds them.
    register.drop_clean(&clean);
    progress.finish();
    // 5. Stale and 6. segments.
    progress.stage("stale and segments", merged.goldens.len() as u64);
    let judged = settings.stale.judge_all(&merged.goldens, &register.fields_present, settings.as_of);
    let drawn = settings.segments.as_ref().map(|rules| {
        let (goldens, accounts, stale) = (&merged.goldens, &merged.accounts, &judged.codes);
        let mask: Vec<bool> = suppressed.iter().flatten().map(|lists| !lists.is_empty()).collect();
        segment::draw::draw(
            rules,
            goldens,
            stale,
            accounts,
            &merged.households,
            settings.as_of,
            previous.as_ref(),
            &mask,
        )
    });
    progress.finish();
    // 7. Write. The original values and the cleaned rows stay on disk: records.csv reads them a
    // batch at a time, and golden.csv and the report only the pass-through members' kept columns.
    let results = Results {
        register: &register,
        decisions: &decisions,
        merged: &merged,
        judged: &judged,
        values: &values,
        clean: &clean,
        early,
        examples,
        suppression: suppression.as_ref().zip(suppressed.as_deref()),
        erasures: &erasures,
        kept_out,
        review: review_report,
    };
    write_outputs(settings, results, &mut dedup, drawn, staging, progress, summary)?;
    if settings.parquet {
        progress.stage("write: parquet", 0);
        output::write_parquet_copies(staging)?;
        progress.finish();
    }
    let r = &register.ingested;
    summary.rows_read = r.rows.len() + r.quarantine.len() + kept_out;
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

/// Dedup's linking over what it took from the register (`dedup::prepare`), its scored pairs
/// spilled to a temporary of the output directory until pairs.csv is written (removed however
/// the run ends, and by the next run if this one is killed).
fn find_duplicates(
    settings: &RunSettings,
    prepared: dedup::Prepared,
    decisions: &Decisions,
    progress: &dyn Progress,
) -> Result<dedup::Dedup, Error> {
    let spill = settings.out_dir.join(".regclean-tmp-pairs.spill");
    dedup::link(prepared, &settings.config.dedup, &decisions.same, &decisions.different, &spill, progress).map_err(
        |e| {
            let _ = std::fs::remove_file(&spill);
            Error::io(&settings.out_dir, e)
        },
    )
}

/// Per golden record, the suppression lists (indices) that name one of its members.
fn suppressed_goldens(matches: &suppress::Matches, golden_of_row: &[u32], goldens: usize) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); goldens];
    for (row, lists) in &matches.rows {
        out[golden_of_row[*row] as usize].extend(lists.iter().copied());
    }
    for lists in &mut out {
        lists.sort_unstable();
        lists.dedup();
    }
    out
}

/// report.json `suppression`: counts per list, never a value.
fn suppression_report(
    lists: &[suppress::List],
    matches: &suppress::Matches,
    per_golden: &[Vec<usize>],
) -> report::SuppressionReport {
    report::SuppressionReport {
        golden_records_suppressed: per_golden.iter().filter(|l| !l.is_empty()).count(),
        lists: lists
            .iter()
            .enumerate()
            .map(|(k, list)| report::SuppressionList {
                name: list.name.clone(),
                entries: list.entries.len(),
                entries_unmatched: matches.unmatched(k),
                golden_records_suppressed: per_golden.iter().filter(|l| l.contains(&k)).count(),
            })
            .collect(),
    }
}

/// Merge (`merge::merge_clusters`) with the cleaned rows brought back a batch at a time: a golden
/// record of one member (most of them) is merged while its batch is in memory, and only the
/// rows read again stay: those of golden records of two or more members (merged once every
/// batch is in, then read by merge_map.csv and audit.jsonl) and of the user's `same` decisions
/// (audit.jsonl). So the golden records fill the memory the other rows leave instead of adding
/// to it (ARCHITECTURE.md, "Memory model"). A golden record reads its members' rows only, so the
/// records are those of one call over every cluster, in the clusters' order.
fn merge_streaming(
    register: &mut Register,
    spilled: &normalise::SpilledClean,
    identities: &[u64],
    clusters: Vec<(String, Vec<usize>)>,
    same: &[(u32, u32)],
    survivorship: &crate::merge::rules::Survivorship,
) -> std::io::Result<Vec<merge::Golden>> {
    let mut kept = vec![false; register.ingested.rows.len()];
    for (_, members) in clusters.iter().filter(|(_, m)| m.len() > 1) {
        members.iter().for_each(|&m| kept[m] = true);
    }
    for &(a, b) in same {
        (kept[a as usize], kept[b as usize]) = (true, true);
    }
    let count = clusters.len();
    // The clusters apart, so that their list (48 bytes a cluster) goes before the rows come:
    // golden records of one member by their row (row, cluster, golden id), and the others.
    let (mut alone, mut many): (Vec<(u32, u32, String)>, Vec<(u32, (String, Vec<usize>))>) = (Vec::new(), Vec::new());
    for (k, (id, members)) in clusters.into_iter().enumerate() {
        match members[..] {
            [row] => alone.push((row as u32, k as u32, id)),
            _ => many.push((k as u32, (id, members))),
        }
    }
    alone.sort_unstable_by_key(|&(row, _, _)| row);
    let mut goldens: Vec<Option<merge::Golden>> = (0..count).map(|_| None).collect();
    let mut alone = alone.into_iter().peekable();
    register.restore_clean_each(
        spilled,
        |r| kept[r],
        |register, rows| {
            let mut batch = Vec::new();
            while let Some((row, k, id)) = alone.next_if(|&(row, _, _)| (row as usize) < rows.end) {
                batch.push((k, (id, vec![row as usize])));
            }
            let (at, clusters): (Vec<u32>, Vec<(String, Vec<usize>)>) = batch.into_iter().unzip();
            let merged = merge::merge_clusters(&merge_rows(register, identities), clusters, survivorship);
            for (k, g) in at.into_iter().zip(merged) {
                goldens[k as usize] = Some(g);
            }
        },
    )?;
    let (at, clusters): (Vec<u32>, Vec<(String, Vec<usize>)>) = many.into_iter().unzip();
    let merged = merge::merge_clusters(&merge_rows(register, identities), clusters, survivorship);
    for (k, g) in at.into_iter().zip(merged) {
        goldens[k as usize] = Some(g);
    }
    // In place: an `Option<Golden>` is the size of a `Golden`.
    Ok(goldens.into_iter().map(|g| g.expect("every cluster is merged")).collect())
}

/// The cleaned rows as merge and the writers read them.
fn merge_rows<'a>(register: &'a Register, identities: &'a [u64]) -> merge::Rows<'a> {
    merge::Rows {
        clean: &register.clean,
        source: Box::new(|i: usize| register.ingested.sources[register.ingested.rows[i].source as usize].name.as_str()),
        identity: identities,
        email_key: Box::new(|i: usize| register.email_key(i)),
        custom: &register.custom,
    }
}

/// The merge stage's result: golden records and how the rows map onto them.
struct Merged {
    goldens: Vec<merge::Golden>,
    /// Each contact's golden account (`merge::accounts`).
    accounts: merge::accounts::Accounts,
    /// Who lives with whom (`household`), and the report's counts of it.
    households: crate::household::Households,
    households_report: crate::household::HouseholdReport,
    /// Row → index of its golden record.
    golden_of_row: Vec<u32>,
    /// Golden ids against the previous run (id_changes.csv).
    changes: Vec<ids::IdChange>,
    counts: ids::IdentityCounts,
}

/// What the stages found, as the writers read it.
struct Results<'a> {
    register: &'a Register,
    decisions: &'a Decisions,
    merged: &'a Merged,
    judged: &'a crate::stale::Judged,
    /// The original values, on disk (records.csv reads them in batches).
    values: &'a crate::ingest::SpilledValues,
    /// The cleaned rows, on disk (records.csv reads them in batches).
    clean: &'a crate::normalise::SpilledClean,
    /// What was taken from the register before its values were spilled.
    early: Early,
    /// The report's pair examples, taken while the cleaned rows were in memory.
    examples: Vec<report::PairExample>,
    /// With `--suppress`: the rows the lists matched, and per golden record the lists.
    suppression: Option<(&'a suppress::Matches, &'a [Vec<usize>])>,
    /// The erasure log the run obeyed (carried into its folder) and the rows it kept out.
    erasures: &'a suppress::ErasureLog,
    kept_out: usize,
    /// With `--decisions`: the model against the decided pairs (`review::Tally`).
    review: Option<report::ReviewReport>,
}

/// What is taken from the register before its original values leave memory.
struct Early {
    /// The report of ingest and normalise (`report::build`).
    report: report::Report,
    /// The warnings about the register (`warnings::of_register`).
    warnings: Vec<crate::warnings::Warning>,
    /// The report's locale (`report::locale`: the config's, or the rows' most common country).
    locale: Option<report::Locale>,
}

/// Writes every output of the run from the stages' results (nothing here decides anything
/// about the data; pairs.csv and review.csv are written right after dedup, see `stages`): id_changes.csv, model.json, merge_map.csv, segments, records.csv,
/// golden.csv, audit.jsonl, quarantine.csv, and the report built from all of them.
fn write_outputs(
    settings: &RunSettings,
    results: Results<'_>,
    dedup: &mut dedup::Dedup,
    drawn: Option<segment::draw::Drawn<'_>>,
    staging: &mut Staging,
    progress: &dyn Progress,
    summary: &mut Summary,
) -> Result<(), Error> {
    let Results {
        register,
        decisions,
        merged,
        judged,
        values,
        clean,
        early,
        examples,
        suppression,
        erasures,
        kept_out,
        review,
    } = results;
    // golden.csv's `suppressed`: the names of the lists that name a member.
    let suppressed_names: Option<Vec<String>> = suppression.map(|(_, per_golden)| {
        per_golden
            .iter()
            .map(|lists| lists.iter().map(|&l| settings.suppress[l].name.as_str()).collect::<Vec<_>>().join(";"))
            .collect()
    });
    let (goldens, golden, stale) = (&merged.goldens, &merged.golden_of_row, &judged.codes);
    progress.stage("write: merges, segments", goldens.len() as u64);
    staging.write("id_changes.csv", |w| output::identity::write_id_changes(w, &merged.changes))?;
    staging.write("households.csv", |w| output::households::write_households(w, goldens, &merged.households))?;
    output::write_json(staging, "model.json", &dedup.model)?;
    let neutralised = std::sync::atomic::AtomicUsize::new(0);
    if let (Some(rules), Some(drawn)) = (&settings.segments, &drawn) {
        let (guard, columns) = (settings.config.formula_guard, settings.output_columns.as_ref());
        output::segments::write_segments(rules, drawn, guard, columns, goldens, staging, &neutralised)?;
    }
    // The report keeps the segments' numbers; their values and memberships go before the
    // largest files are written.
    let drawn = drawn.map(|d| (d.report, d.reach));
    progress.finish();
    progress.stage("write: records.csv", register.ingested.rows.len() as u64);
    // golden.csv and the report read the original values of each golden record's pass-through
    // member, and only its pass-through and currency columns: taken on the way as records.csv
    // reads every row's values back.
    let members: Vec<usize> = goldens.iter().map(|g| g.passthrough_member).collect();
    let kept_columns = output::golden::kept_columns(&register.ingested);
    let mut gatherer = ingest::Gatherer::new(&register.ingested.rows, &members, &kept_columns);
    drop(members);
    staging.write("records.csv", |w| {
        output::records::write_records(w, register, values, clean, goldens, golden, &mut gatherer, progress)
    })?;
    let kept = &gatherer.finish().map_err(|e| Error::io(&settings.out_dir, e))?;
    progress.finish();
    progress.stage("write: golden.csv", goldens.len() as u64);
    // account_id only where a row can be an organisation (a company or org number column).
    let accounts = merge::accounts::register_has_accounts(&register.fields_present).then_some(&merged.accounts);
    staging.write("golden.csv", |w| {
        output::golden::write_golden(
            w,
            register,
            goldens,
            kept,
            accounts,
            stale,
            settings.config.formula_guard,
            &neutralised,
            settings.output_columns.as_ref(),
            suppressed_names.as_deref(),
            progress,
        )
    })?;
    // The erasure log goes on with the register, so that the next run obeys it too.
    if !erasures.is_empty() {
        staging.write(suppress::ERASURE_LOG, |w| erasures.write(w))?;
    }
    progress.finish();
    progress.stage("write: audit and report", goldens.len() as u64);
    staging.write("quarantine.csv", |w| output::quarantine::write_quarantine(w, &register.ingested))?;
    let mut report = early.report;
    let mut dedup_report = report::dedup_section(dedup, golden, settings.config.dedup.threshold);
    dedup_report.examples = examples;
    report.dedup = Some(dedup_report);
    report.review = review;
    report.identity = Some(merged.counts.clone());
    report.health = Some(report::health(register, goldens, kept, stale));
    report.accounts = accounts.map(merge::accounts::Accounts::report);
    report.households = Some(merged.households_report.clone());
    report.locale = early.locale;
    report.stale =
        Some(report::stale_section(stale, &judged.reasons, &judged.skipped, settings.stale.inactive_after_months));
    report.segment_reach =
        drawn.as_ref().map(|d| report::SegmentReach { fresh_in_segments: d.1.0, stale_in_segments: d.1.1 });
    report.segments = drawn.map(|d| d.0);
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
    report.warnings =
        crate::warnings::of_run(early.warnings, register, report.segments.as_deref(), decisions.largest_same_chain());
    report.warnings.extend(crate::warnings::missing_custom_columns(register, &settings.config.fields_declared_at));
    summary.warnings = report.warnings.iter().map(|w| w.message.clone()).collect();
    summary.golden_records = goldens.len();
    summary.rows_merged = register.ingested.rows.len() - goldens.len();
    summary.stale_records = stale.iter().filter(|r| !r.is_empty()).count();
    summary.segments = settings.segments.as_ref().map(|s| s.segments.len()).unwrap_or(0);
    report.suppression =
        suppression.map(|(matches, per_golden)| suppression_report(&settings.suppress, matches, per_golden));
    summary.suppressed = report
        .suppression
        .as_ref()
        .map(|s| (s.golden_records_suppressed, s.lists.iter().map(|l| l.entries_unmatched).sum()));
    report.erasure = (!erasures.is_empty())
        .then_some(report::ErasureReport { log_entries: erasures.lines.len(), rows_kept_out: kept_out });
    output::write_report(staging, &report)?;
    progress.finish();
    Ok(())
}
