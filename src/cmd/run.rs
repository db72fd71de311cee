//! `regclean run`: raw flags are checked into `RunSettings` (every problem of the flags, the
//! config, the rules and the inputs reported together), then the pipeline runs and the summary,
//! warnings and failed quality gates are printed.

use super::bars::Bars;
use super::rules::{RulesFrom, fail_with_hint, load_rules};
use super::{Exit, fail, file_flag, flag_problem};
use regclean::config::Config;
use regclean::normalise::date::Date;
use regclean::pipeline::{self, RunSettings};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The raw flags of `run`, before validation.
#[derive(clap::Args)]
pub struct Args {
    /// Input files: CSV (any common dialect and encoding, or gzip'd as .csv.gz) or spreadsheets
    /// (.xlsx, .xls, .xlsb, .ods).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// The sheet to read in spreadsheet inputs. Default: the first visible sheet.
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// Output directory (created if missing; earlier outputs are replaced only when the run
    /// succeeds).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Reference date for everything date-relative (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
    /// Config file (TOML): header mappings, default country, date order, dedup settings.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Reuse a trained model (the model.json of an earlier run) instead of training one.
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// Rule folder: survivorship.toml, stale.toml and segment rules (every other *.toml), e.g.
    /// the shipped `rules/`. Without it the built-in survivorship and stale rules apply and no
    /// segments are drawn: segments come only from --rules.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Decisions file (record_a,record_b,decision with same/different) that every run obeys.
    #[arg(long, value_name = "FILE")]
    decisions: Option<PathBuf>,
    /// Output directory of an earlier run: golden ids carry forward (id_changes.csv says what
    /// changed) and segments gain entered/left/stayed counts.
    #[arg(long, value_name = "OLD_DIR")]
    previous: Option<PathBuf>,
    /// The source (system) an input was exported from, e.g. `--source hubspot=contacts.csv`;
    /// repeatable. Default: the file name without extension, dates, versions and copy marks.
    #[arg(long = "source", value_name = "NAME=FILE", value_parser = parse_source)]
    sources: Vec<(String, String)>,
    /// Print nothing but errors and failed quality gates.
    #[arg(long, short)]
    quiet: bool,
    /// Show real values instead of masked patterns of invalid values in report.json and
    /// report.html. These are personal data: only for the person fixing the register.
    #[arg(long)]
    show_samples: bool,
    /// Data minimisation: the only columns golden.csv and segment exports carry (comma
    /// separated, e.g. first_name,email), besides golden_id and member_count.
    #[arg(long, value_name = "COLUMNS", value_delimiter = ',')]
    output_columns: Option<Vec<String>>,
    /// Append one JSON line per segment and variant (as-of, size, value) to this file; report.json
    /// then carries every point under `segment_history`.
    #[arg(long, value_name = "FILE")]
    history: Option<PathBuf>,
    /// `parquet`: also write records, golden, pairs and segments as typed Parquet files
    /// (records.parquet, ...) beside the CSV files, for a warehouse or DuckDB.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    /// A suppression list: e-mails, phone numbers, record ids or their SHA-256 hashes, one a
    /// line or as a CSV export with an email/phone/id column; repeatable. Golden records it names
    /// are marked in golden.csv's `suppressed` column (with the list's name) and left out of
    /// every segment and export. A line that cannot be read refuses the whole list.
    #[arg(long = "suppress", value_name = "FILE")]
    suppress: Vec<PathBuf>,
    /// How many of the least certain pairs review.csv lists for a person to decide (0: none);
    /// see `regclean review`.
    #[arg(long, value_name = "N", default_value_t = regclean::review::DEFAULT_PAIRS)]
    review_pairs: usize,
    /// Also write the review queue as review.xlsx, to fill in in Excel or LibreOffice.
    #[arg(long)]
    review_xlsx: bool,
}

/// The formats of the main tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// CSV only.
    Csv,
    /// CSV, and a typed Parquet copy of records, golden, pairs and segments.
    Parquet,
}

pub fn run(args: Args) -> ExitCode {
    let Args {
        inputs,
        sheet,
        out,
        as_of,
        config,
        model,
        rules,
        decisions,
        previous,
        sources,
        quiet,
        show_samples,
        output_columns,
        history,
        format,
        suppress,
        review_pairs,
        review_xlsx,
    } = args;
    // Every problem of the flags, the config, the rules and the inputs is gathered and
    // reported together before anything is read, each naming its flag or file.
    let mut problems = Vec::new();
    // --out naming a file would otherwise fail at the first write with the OS's 'File exists'.
    if out.exists() && !out.is_dir() {
        problems.push(flag_problem("--out", &out, "is a file (expected a directory for the outputs)"));
    }
    let (as_of, as_of_given) = match as_of {
        Some(s) => match s.parse::<Date>() {
            Ok(d) => (d, true),
            Err(_) => {
                problems.push(regclean::Error::Usage(format!("--as-of: '{s}' is not a date, expected YYYY-MM-DD")));
                (today(), true)
            }
        },
        None => (today(), false),
    };
    for input in &inputs {
        if !input.exists() {
            problems.push(regclean::Error::io(input, std::io::ErrorKind::NotFound.into()));
        } else if input.is_dir() {
            problems.push(regclean::Error::input(
                input,
                None,
                None,
                "is a directory (expected a CSV file or a spreadsheet; give the files in it, e.g. DIR/*.csv)",
            ));
        }
    }
    let config_path = config;
    let mut config = match &config_path {
        Some(path) => match file_flag("--config", path, "a .toml file").and_then(|()| Config::load(path)) {
            Ok(c) => c,
            Err(e) => {
                problems.push(e);
                Config::default()
            }
        },
        None => Config::default(),
    };
    if let Some(path) = &model {
        match file_flag("--model", path, "the model.json of an earlier run")
            .and_then(|()| regclean::dedup::model::Model::load(path))
        {
            Ok(m) => config.dedup.model = Some(m),
            Err(e) => problems.push(e),
        }
    }
    if let Some(path) = &decisions
        && let Err(e) = file_flag("--decisions", path, "a CSV file record_a,record_b,decision")
    {
        problems.push(e);
    }
    if let Some(path) = &previous
        && let Some(e) = previous_problem(path)
    {
        problems.push(e);
    }
    if let Some(path) = &history
        && path.is_dir()
    {
        problems.push(flag_problem("--history", path, "is a directory (expected a .jsonl file)"));
    }
    // Which source each input belongs to depends only on the paths and flags: a --source that
    // names no input is reported with the rest, before any input is read.
    if let Err(e) = regclean::sources::assign(&inputs, &sources, &config.sources) {
        problems.push(regclean::Error::Usage(e));
    }
    // Suppression lists, read whole now: a list with an unreadable line stops the run before
    // anything is read or written.
    let mut lists: Vec<regclean::suppress::List> = Vec::new();
    for path in &suppress {
        let country = config.default_country.as_deref();
        match file_flag("--suppress", path, "a list of e-mails, phones, record ids or hashes")
            .and_then(|()| regclean::suppress::List::load(path, country))
        {
            Ok(list) if lists.iter().any(|l| l.name == list.name) => problems.push(regclean::Error::Usage(format!(
                "--suppress {}: another list is also named '{}' (golden.csv names lists by file stem); rename one",
                path.display(),
                list.name
            ))),
            Ok(list) => lists.push(list),
            Err(e) => problems.push(e),
        }
    }
    let rules_loaded = load_rules(rules.as_deref(), &config.fields, RulesFrom::RunFlag);
    let (survivorship, stale, segments) = match rules_loaded {
        Ok(r) if problems.is_empty() => r,
        Ok(_) => return fail_with_hint(regclean::Error::many(problems), config_path.as_deref()),
        Err(e) => {
            problems.push(e);
            return fail_with_hint(regclean::Error::many(problems), config_path.as_deref());
        }
    };
    let settings = RunSettings {
        inputs,
        sheet,
        out_dir: out,
        as_of,
        as_of_given,
        config,
        survivorship,
        decisions,
        stale,
        segments,
        previous,
        sources,
        show_samples,
        output_columns,
        history,
        parquet: format == Format::Parquet,
        suppress: lists,
        review_pairs,
        review_xlsx,
    };
    // Interrupted (Ctrl-C, SIGTERM): remove this run's temporaries and go; the earlier outputs
    // stay as they were, and the kernel releases the directory's lock with the process.
    let out_dir = settings.out_dir.clone();
    let _ = ctrlc::set_handler(move || {
        regclean::output::remove_temporaries(&out_dir);
        eprintln!("regclean: interrupted; earlier outputs left as they were");
        std::process::exit(130);
    });
    let bars = Bars::new(quiet);
    let started = std::time::Instant::now();
    match pipeline::run(&settings, &bars) {
        Ok(s) => {
            if !quiet {
                eprintln!(
                    "regclean: {} rows read, {} quarantined, {} merged into another, {} golden records, {} stale, {} segments, in {:.1} s",
                    s.rows_read,
                    s.rows_quarantined,
                    s.rows_merged,
                    s.golden_records,
                    s.stale_records,
                    s.segments,
                    started.elapsed().as_secs_f64()
                );
            }
            if !quiet && let Some((golden, unmatched)) = s.suppressed {
                eprintln!(
                    "regclean: {golden} golden record{} suppressed (in no segment or export); {unmatched} list entr{} matched nobody",
                    if golden == 1 { "" } else { "s" },
                    if unmatched == 1 { "y" } else { "ies" }
                );
            }
            if !quiet && s.rows_kept_out > 0 {
                eprintln!(
                    "regclean: {} row{} kept out by the erasure log",
                    s.rows_kept_out,
                    if s.rows_kept_out == 1 { "" } else { "s" }
                );
            }
            // Warnings after the summary, so they are the last thing read; --quiet means errors
            // only (they stay in report.json `warnings[]` and at the top of report.html).
            if !quiet {
                for w in &s.warnings {
                    eprintln!("regclean: warning: {w}");
                }
            }
            if std::env::var_os("REGCLEAN_TIMINGS").is_some() {
                for (name, d, cpu, rss, peak) in bars.times.lock().map(|t| t.clone()).unwrap_or_default() {
                    eprintln!(
                        "regclean: timing {name:24} {:8.3} s  cpu {:8.2} s  rss {:6} MiB  peak {:6} MiB",
                        d.as_secs_f64(),
                        cpu,
                        rss / 1024,
                        peak / 1024
                    );
                }
                eprintln!("regclean: timing {:24} {:8.3} s", "total", started.elapsed().as_secs_f64());
                let rows = s.rows_accepted.max(1) as f64;
                for (name, bytes) in &s.memory {
                    eprintln!(
                        "regclean: memory {name:50} {:8.1} MiB {:8.1} bytes a row",
                        *bytes as f64 / (1u64 << 20) as f64,
                        *bytes as f64 / rows
                    );
                }
            }
            match s.gates {
                Some(g) if !g.passed => {
                    eprintln!("regclean: quality gates failed (outputs were written):");
                    for c in g.checks.iter().filter(|c| !c.passed) {
                        eprintln!("regclean:   {}: {} (limit {})", c.name, c.value, c.limit);
                        if let Some(note) = &c.note {
                            eprintln!("regclean:     {note}");
                        }
                    }
                    Exit::GateFailed.into()
                }
                _ => Exit::Done.into(),
            }
        }
        Err(e) => fail(&e),
    }
}

/// `--previous` must name the output directory of an earlier run.
fn previous_problem(path: &Path) -> Option<regclean::Error> {
    const WHAT: &str = "expected the output directory of an earlier run";
    if !path.exists() {
        Some(flag_problem("--previous", path, &format!("does not exist ({WHAT})")))
    } else if !path.is_dir() {
        Some(flag_problem("--previous", path, &format!("is a file ({WHAT})")))
    } else if !path.join("records.csv").is_file() {
        Some(flag_problem("--previous", path, &format!("has no records.csv ({WHAT})")))
    } else {
        None
    }
}

/// Today's date in UTC, the default `--as-of`.
pub fn today() -> Date {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    Date::from_days((secs / 86_400) as i64)
}

/// `NAME=FILE` of `--source`.
fn parse_source(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, file)) if !name.is_empty() && !file.is_empty() => Ok((name.to_string(), file.to_string())),
        _ => Err(format!("expected NAME=FILE, got '{s}'")),
    }
}
