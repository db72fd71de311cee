//! The `regclean` binary: parse arguments, build the validated settings, call the library.
//!
//! This is the only place that prints, exits, reads the clock or draws progress bars.

use clap::{Parser, Subcommand};
use regclean::config::Config;
use regclean::merge::rules::Survivorship;
use regclean::normalise::date::Date;
use regclean::pipeline::{self, RunSettings};
use regclean::segment::SegmentRules;
use regclean::stale::Policy;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// mimalloc instead of the system allocator: the pipeline makes tens of millions of small
/// strings from two threads, and glibc's allocator spent a third of the run on them at 1M rows.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Prints to stdout, ignoring a closed pipe (`regclean evaluate out | head` must not panic).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// Exit codes, documented in README.md.
#[repr(u8)]
enum Exit {
    Done = 0,
    /// A fatal error: an input, config or output path could not be used. Nothing was written.
    Fatal = 1,
    /// The command line was wrong.
    Usage = 2,
    /// A quality gate failed; every output was still written.
    GateFailed = 3,
}

/// Clean a customer register: ingest any CSV export, normalise every field, find duplicates,
/// and write a cleaned register with a quality report.
#[derive(Parser)]
#[command(name = "regclean", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole pipeline on one or more exports that form one register.
    ///
    /// Writes into DIR:
    ///   records.csv     every accepted row: source, golden_id, original values, clean_/status_ fields
    ///   quarantine.csv  rows that could not be read, with line and reason
    ///   golden.csv      one row per customer, fields chosen by survivorship rules, stale flags
    ///   audit.jsonl     why each merge happened and where each golden value came from
    ///   pairs.csv       every scored candidate pair with its comparison levels and match weights
    ///   model.json      the trained Fellegi-Sunter model (reuse with --model)
    ///   segments.csv, segments/<name>.csv   memberships and exports (with --rules)
    ///   report.json     reconciliation of every line, field quality, dedup, stale, segments
    ///   report.html     the same for people: one self-contained page
    ///
    /// Exit codes: 0 done, 1 fatal error (nothing written), 2 usage error, 3 a quality gate
    /// failed (everything written).
    ///
    /// Examples:
    ///   regclean run fixtures/demo/*.csv --out out --as-of 2025-06-30 --rules rules
    ///   regclean run crm.csv shop.csv --out out --config regclean.toml --decisions decisions.csv
    ///   regclean run crm.csv --out out --rules rules --previous last-week
    #[command(verbatim_doc_comment)]
    Run(RunArgs),
    /// Generate a synthetic register with known truth, for benchmarks and accuracy tests.
    ///
    /// Writes a HubSpot-style CSV with multilingual customers from seven countries, duplicates
    /// with the corruptions seen in real CRMs (typos, nicknames, swapped names, new e-mails,
    /// moves, married names, reformatted phones and dates), and look-alikes that are different
    /// people (households, twins, namesakes, Polish spouses, fathers and sons). The last column,
    /// entity_id, is the truth: it passes through a run untouched and the model never reads it.
    ///
    /// With --fixtures DIR it writes regclean's committed test inputs instead: the two demo
    /// registers, demo_truth.csv and every scenario's input.csv, byte for byte the same on
    /// every run (expected outputs are left alone).
    ///
    /// Examples:
    ///   regclean generate --rows 100000 --out bench100k.csv
    ///   regclean run bench100k.csv --out out && regclean evaluate out --truth entity_id
    ///   regclean generate --fixtures fixtures
    ///
    /// With --campaign RUN_DIR it writes campaign results (an event export) for the segments of
    /// an earlier `regclean run --rules` instead, with known true effects: the tested segments
    /// take turns at a true lift per variant, no effect, and a broken split; for trying
    /// `regclean measure`:
    ///   regclean generate --campaign out --out results.csv --seed 7
    #[command(verbatim_doc_comment)]
    Generate {
        /// Data rows to write.
        #[arg(long, default_value_t = 1000)]
        rows: usize,
        /// Random seed: the same seed and options give a byte-identical file.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Share of rows that are extra records of an entity (0 to 0.7).
        #[arg(long, default_value_t = 0.25)]
        duplicate_share: f64,
        /// Where to write the register.
        #[arg(long, value_name = "FILE", required_unless_present = "fixtures")]
        out: Option<PathBuf>,
        /// Write the test fixtures into DIR (normally `fixtures`) instead of a register.
        #[arg(long, value_name = "DIR", conflicts_with_all = ["rows", "seed", "duplicate_share", "out"])]
        fixtures: Option<PathBuf>,
        /// Write campaign results for the segments of this run directory instead of a register.
        #[arg(long, value_name = "RUN_DIR", conflicts_with_all = ["rows", "duplicate_share", "fixtures"])]
        campaign: Option<PathBuf>,
    },
    /// Measure what each campaign did: per segment and variant, with the holdout as control.
    ///
    /// Reads RUN_DIR (the output of `regclean run --rules`: segments.csv, golden.csv,
    /// records.csv, report.json) and one or more campaign result exports (CSV or a spreadsheet;
    /// one row per recipient with columns such as email, delivered, opened, clicked, converted,
    /// revenue; one row per event with email, event, timestamp, amount; or an order export).
    /// Recipients are found by golden_id, e-mail or phone, cleaned as regclean cleans them.
    ///
    /// Writes into DIR:
    ///   measure.json   rates per arm, lifts with 95 % intervals and p-values, sample ratio
    ///                  mismatch checks, minimum detectable effects, unmatched rows
    ///   measure.html   the same for people: one self-contained page
    ///
    /// No personal data in either file.
    ///
    /// Examples:
    ///   regclean measure out campaign_results.csv --out out/measure
    ///   regclean measure out sends.xlsx orders.csv --out out/measure --history history.jsonl
    #[command(verbatim_doc_comment)]
    Measure {
        /// Output directory of an earlier `regclean run --rules`.
        #[arg(value_name = "RUN_DIR")]
        run_dir: PathBuf,
        /// Campaign result exports (CSV, .csv.gz, .xlsx, .xls, .ods).
        #[arg(required = true, value_name = "RESULTS")]
        results: Vec<PathBuf>,
        /// Where to write measure.json and measure.html.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Append one JSON line per segment and arm (size, recipients, rates) to this file.
        #[arg(long, value_name = "FILE")]
        history: Option<PathBuf>,
        /// The sheet to read in spreadsheet results. Default: the first visible sheet.
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
    },
    /// Print a shell completion script, generated from these definitions.
    ///
    /// Examples:
    ///   regclean completions bash > /etc/bash_completion.d/regclean
    ///   regclean completions zsh > "${fpath[1]}/_regclean"
    #[command(verbatim_doc_comment)]
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), generated from these definitions.
    ///
    /// Examples:
    ///   regclean man > regclean.1 && man ./regclean.1
    #[command(verbatim_doc_comment)]
    Man,
    /// Check a rules folder (survivorship, stale policy, segments) without running.
    ///
    /// Every problem is reported at once with file, line and column, and a misspelt name gets
    /// the nearest valid one. Exit code 0 when all rules are valid, 1 otherwise.
    ///
    /// With --config, the config's custom fields (`[fields]`) may be named in conditions and
    /// exports, and the config itself is checked too.
    ///
    /// Examples:
    ///   regclean check-rules rules
    ///   regclean check-rules rules --config regclean.toml
    #[command(verbatim_doc_comment)]
    CheckRules {
        /// The rules folder.
        dir: PathBuf,
        /// The config file the rules will run with (its custom fields).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Measure dedup against a known truth: pairwise precision, recall and F1.
    ///
    /// Reads DIR/records.csv of an earlier run, takes COLUMN (an input column that passed
    /// through untouched, never used by the model) as the true entity, prints the scores and
    /// writes samples of false merges and missed pairs to DIR/evaluation/.
    ///
    /// Examples:
    ///   regclean evaluate out --truth entity_id
    ///   regclean evaluate out --truth entity_id --show-samples
    ///   regclean evaluate out --truth entity_id --truth-file truth.csv
    #[command(verbatim_doc_comment)]
    Evaluate {
        /// Output directory of an earlier `regclean run`.
        dir: PathBuf,
        /// The input column holding the true entity id.
        #[arg(long, value_name = "COLUMN")]
        truth: String,
        /// Read the truth from this CSV (`source_file,source_line,COLUMN`) instead of from a
        /// column of records.csv, for registers whose truth was removed before the run.
        #[arg(long, value_name = "FILE")]
        truth_file: Option<PathBuf>,
        /// Show real values in the samples instead of masked ones (personal data!).
        #[arg(long)]
        show_samples: bool,
    },
    /// Show why a golden record looks the way it does.
    ///
    /// Prints the members side by side, the links that joined them with their match weights,
    /// and for every field the winning value, the survivorship rule and the member it came from.
    /// Shows personal data: it is meant for the person deciding about this one customer.
    ///
    /// Examples:
    ///   regclean explain out G0289ea899fb5
    #[command(verbatim_doc_comment)]
    Explain {
        /// Output directory of an earlier `regclean run`.
        dir: PathBuf,
        /// The golden record to explain (a golden_id of records.csv or golden.csv).
        golden_id: String,
    },
    /// Give back the rows of one or more merges exactly as they were read.
    ///
    /// Writes the member rows of each golden record under their source's original header, with
    /// the original values, in the source's own encoding, delimiter, line ends and quoting
    /// (a gzip'd source comes back uncompressed, a spreadsheet as CSV). With --decisions, appends a
    /// `different` decision for every pair of those members, so that a run with
    /// `--decisions FILE` keeps them apart.
    ///
    /// Examples:
    ///   regclean undo out G0289ea899fb5 --to undone.csv
    ///   regclean undo out G0289ea899fb5 G17d3... --to undone.csv --decisions decisions.csv
    #[command(verbatim_doc_comment)]
    Undo {
        /// Output directory of an earlier `regclean run`.
        dir: PathBuf,
        /// Golden records to undo.
        #[arg(required = true)]
        golden_ids: Vec<String>,
        /// Where to write the rows.
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
        /// Append `different` decisions for the undone members to this decisions file.
        #[arg(long, value_name = "FILE")]
        decisions: Option<PathBuf>,
        /// Replace the --to file (and its per-source siblings) when they already exist.
        #[arg(long)]
        force: bool,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { Exit::Usage as u8 } else { Exit::Done as u8 });
        }
    };
    match cli.command {
        Command::Run(args) => run(args),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "regclean", &mut std::io::stdout());
            ExitCode::from(Exit::Done as u8)
        }
        Command::Man => {
            use clap::CommandFactory;
            match clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::from(Exit::Done as u8),
                Err(_) => ExitCode::from(Exit::Done as u8), // a closed pipe is not an error
            }
        }
        Command::Generate { fixtures: Some(dir), .. } => generate_fixtures(&dir),
        Command::Generate { campaign: Some(run_dir), seed, out, .. } => {
            let out = out.expect("clap requires --out without --fixtures");
            generate_campaign(&run_dir, seed, &out)
        }
        Command::Generate { rows, seed, duplicate_share, out, fixtures: None, campaign: None } => {
            let out = out.expect("clap requires --out without --fixtures");
            let opts = regclean_synth::GenerateOptions { rows, seed, duplicate_share };
            let result = std::fs::File::create(&out).and_then(|f| {
                let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
                let s = regclean_synth::generate(&opts, &mut w)?;
                std::io::Write::flush(&mut w)?;
                Ok(s)
            });
            match result {
                Ok(s) => {
                    eprintln!(
                        "regclean: wrote {} rows of {} customers ({} duplicates; look-alikes: {} households, {} twins, {} namesakes, {} spouses, {} fathers and sons) to {}",
                        s.rows,
                        s.entities,
                        s.duplicates,
                        s.households,
                        s.twins,
                        s.namesakes,
                        s.spouses,
                        s.fathers_and_sons,
                        out.display()
                    );
                    ExitCode::from(Exit::Done as u8)
                }
                Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => fail_usage(&e.to_string()),
                Err(e) => fail(&regclean::Error::io(&out, e)),
            }
        }
        Command::CheckRules { dir, config } => match check_rules(&dir, config.as_deref()) {
            Ok((_, _, segments)) => {
                let n = segments.map(|s| s.segments.len()).unwrap_or(0);
                out!("{}: rules are valid ({n} segment{})", dir.display(), if n == 1 { "" } else { "s" });
                ExitCode::from(Exit::Done as u8)
            }
            Err(e) => fail(&e),
        },
        Command::Measure { run_dir, results, out, history, sheet } => {
            measure(&run_dir, &results, &out, history.as_deref(), sheet.as_deref())
        }
        Command::Evaluate { dir, truth, truth_file, show_samples } => evaluate(dir, truth, truth_file, show_samples),
        Command::Explain { dir, golden_id } => match regclean::explain::explain(&dir, &golden_id) {
            Ok(text) => {
                out!("{text}");
                ExitCode::from(Exit::Done as u8)
            }
            Err(e) => fail(&e),
        },
        Command::Undo { dir, golden_ids, to, decisions, force } => {
            match regclean::undo::undo(&dir, &golden_ids, &to, decisions.as_deref(), force) {
                Ok(r) => {
                    for (path, n) in &r.files {
                        out!("wrote {n} row{} to {}", if *n == 1 { "" } else { "s" }, path.display());
                    }
                    if let Some(d) = &decisions {
                        out!(
                            "added {} 'different' decision{} to {}",
                            r.decisions_added,
                            if r.decisions_added == 1 { "" } else { "s" },
                            d.display()
                        );
                    }
                    ExitCode::from(Exit::Done as u8)
                }
                Err(e) => fail(&e),
            }
        }
    }
}

/// The raw flags of `run`, before validation.
#[derive(clap::Args)]
struct RunArgs {
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
}

/// The rules of `check-rules`, checked against the config's custom fields when one is given;
/// the config's problems and the rules' are reported together.
fn check_rules(
    dir: &Path,
    config: Option<&Path>,
) -> Result<(Survivorship, Policy, Option<SegmentRules>), regclean::Error> {
    let config = config.map(Config::load).transpose();
    let fields = config.as_ref().ok().and_then(Option::as_ref).map(|c| c.fields.clone()).unwrap_or_default();
    match (config, load_rules(Some(dir), &fields, RulesFrom::CheckRules)) {
        (Ok(_), rules) => rules,
        (Err(e), Ok(_)) => Err(e),
        (Err(a), Err(b)) => Err(regclean::Error::many(vec![a, b])),
    }
}

/// Who gave a rules folder: `run --rules DIR` (a flag, so a usage error) or `check-rules DIR`
/// (its argument, so exit code 1 as its help promises).
#[derive(Clone, Copy, PartialEq)]
enum RulesFrom {
    RunFlag,
    CheckRules,
}

/// Loads every rule file of a folder (or the built-in defaults), all problems at once. A folder
/// without a single rule file is refused: a mistyped or empty folder would otherwise run with
/// the built-in defaults and no segments, and nobody would notice. Segment conditions may
/// name the config's custom fields (`fields`).
fn load_rules(
    dir: Option<&std::path::Path>,
    fields: &[regclean::field::CustomField],
    from: RulesFrom,
) -> Result<(Survivorship, Policy, Option<SegmentRules>), regclean::Error> {
    let Some(dir) = dir else { return Ok((Survivorship::default(), Policy::default(), None)) };
    let problem = |what: &str| match from {
        RulesFrom::RunFlag => regclean::Error::Usage(format!("--rules: '{}' {what}", dir.display())),
        RulesFrom::CheckRules => regclean::Error::input(
            dir,
            None,
            None,
            &format!("{what}; give the rules folder to check, e.g. `regclean check-rules rules`"),
        ),
    };
    if !dir.is_dir() {
        return Err(problem(if dir.exists() { "is a file, not a rules folder" } else { "does not exist" }));
    }
    let has_rule_file = std::fs::read_dir(dir)
        .map_err(|e| regclean::Error::io(dir, e))?
        .flatten()
        .any(|e| e.path().extension().is_some_and(|x| x == "toml") && e.path().is_file());
    if !has_rule_file {
        return Err(problem("has no rule files (*.toml); the shipped ones are in `rules/`"));
    }
    let (a, b, c) =
        (Survivorship::load_from_dir(dir), Policy::load_from_dir(dir), SegmentRules::load_dir_with(dir, fields));
    match (a, b, c) {
        (Ok(a), Ok(b), Ok(c)) => Ok((a, b, Some(c))),
        (a, b, c) => Err(regclean::Error::many([a.err(), b.err(), c.err()].into_iter().flatten().collect())),
    }
}

fn run(args: RunArgs) -> ExitCode {
    let RunArgs {
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
    } = args;
    // Checked before anything else: the run would otherwise fail at its first write with the
    // OS's 'File exists (os error 17)'.
    if out.exists() && !out.is_dir() {
        return fail_usage(&format!("--out: '{}' is a file; give a directory", out.display()));
    }
    let (as_of, as_of_given) = match as_of {
        Some(s) => match s.parse::<Date>() {
            Ok(d) => (d, true),
            Err(_) => {
                return fail_usage(&format!("--as-of: '{s}' is not a date, expected YYYY-MM-DD"));
            }
        },
        None => (today(), false),
    };
    let config = match config {
        Some(path) => match Config::load(&path) {
            Ok(c) => c,
            Err(e) => return fail(&e),
        },
        None => Config::default(),
    };
    let mut config = config;
    if let Some(path) = model {
        match regclean::dedup::model::Model::load(&path) {
            Ok(m) => config.dedup.model = Some(m),
            Err(e) => return fail(&e),
        }
    }
    let (survivorship, stale, segments) = match load_rules(rules.as_deref(), &config.fields, RulesFrom::RunFlag) {
        Ok(r) => r,
        Err(e) => return fail(&e),
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
            // Warnings after the summary, so they are the last thing read (also in report.json
            // `warnings[]` and at the top of report.html); printed even with --quiet.
            for w in &s.warnings {
                eprintln!("regclean: warning: {w}");
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
                    ExitCode::from(Exit::GateFailed as u8)
                }
                _ => ExitCode::from(Exit::Done as u8),
            }
        }
        Err(e) => fail(&e),
    }
}

/// `regclean measure`: measure, write measure.json and measure.html, append the history.
fn measure(run_dir: &Path, results: &[PathBuf], out: &Path, history: Option<&Path>, sheet: Option<&str>) -> ExitCode {
    let columns = Default::default();
    let options =
        regclean::ingest::ReadOptions { columns: &columns, sheet, max_line_bytes: regclean::ingest::MAX_ROW_BYTES };
    let m = match regclean::measure::measure(run_dir, results, &options) {
        Ok(m) => m,
        Err(e) => return fail(&e),
    };
    if let Err(e) = regclean::output::measure::write(out, &m) {
        return fail(&e);
    }
    if let Some(h) = history
        && let Err(e) = regclean::history::append(h, &regclean::history::measure_points(&m))
    {
        return fail(&e);
    }
    let x = &m.matching;
    eprintln!(
        "regclean: {} result rows, {} matched, {} unmatched; {} tested segments; wrote measure.json and measure.html to {}",
        x.rows,
        x.matched_rows,
        x.unmatched_rows,
        m.segments.len(),
        out.display()
    );
    for w in &m.warnings {
        eprintln!("regclean: warning: {w}");
    }
    ExitCode::from(Exit::Done as u8)
}

fn evaluate(dir: PathBuf, truth: String, truth_file: Option<PathBuf>, show: bool) -> ExitCode {
    let ev = match regclean::evaluate::evaluate(&dir, &truth, truth_file.as_deref(), show) {
        Ok(ev) => ev,
        Err(e) => return fail(&e),
    };
    let s = ev.scores;
    out!("rows             {}", s.rows);
    out!("true pairs       {}", s.true_pairs);
    out!("predicted pairs  {}", s.predicted_pairs);
    out!("correct pairs    {}", s.correct_pairs);
    out!("precision        {:.4}", s.precision);
    out!("recall           {:.4}", s.recall);
    out!("f1               {:.4}", s.f1);
    if let Some(compared) = ev.compared_true_pairs {
        let share = if s.true_pairs == 0 { 1.0 } else { compared as f64 / s.true_pairs as f64 };
        out!("blocking recall  {share:.4} ({compared} true pairs compared, in pairs.csv)");
    }
    let mut staging = match regclean::output::Staging::new(&dir.join("evaluation")) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    for (name, rows) in [("false_merges.csv", &ev.false_merges), ("missed_pairs.csv", &ev.missed_pairs)] {
        let r = staging.write(name, |w| {
            let mut out = csv::Writer::from_writer(w);
            for row in rows {
                out.write_record(row)?;
            }
            out.flush()
        });
        if let Err(e) = r {
            return fail(&e);
        }
    }
    if let Err(e) = staging.commit() {
        return fail(&e);
    }
    out!(
        "samples          {} false merges, {} missed pairs in {}",
        ev.false_merges.len() - 1,
        ev.missed_pairs.len() - 1,
        dir.join("evaluation").display()
    );
    ExitCode::from(Exit::Done as u8)
}

/// `regclean generate --campaign RUN_DIR --out FILE`: synthetic campaign results.
fn generate_campaign(run_dir: &Path, seed: u64, out: &Path) -> ExitCode {
    let result = std::fs::File::create(out).and_then(|f| {
        let mut w = std::io::BufWriter::new(f);
        let s = regclean_synth::campaign::write_campaign(run_dir, seed, &mut w)?;
        std::io::Write::flush(&mut w)?;
        Ok(s)
    });
    match result {
        Ok(s) => {
            let scenarios: Vec<String> = s.scenarios.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            eprintln!("regclean: wrote {} campaign events to {} ({})", s.rows, out.display(), scenarios.join(", "));
            ExitCode::from(Exit::Done as u8)
        }
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => fail_usage(&e.to_string()),
        Err(e) => fail(&regclean::Error::io(out, e)),
    }
}

/// `regclean generate --fixtures DIR`: writes the committed test inputs and says what it wrote.
fn generate_fixtures(dir: &Path) -> ExitCode {
    match regclean_synth::write_fixtures(dir) {
        Ok(s) => {
            eprintln!(
                "regclean: wrote {} fixture files to {} (hubspot_contacts.csv: {} rows; nettbutikk_kunder.csv: {} rows)",
                s.written.len(),
                dir.display(),
                s.hubspot_rows,
                s.shop_rows
            );
            for (line, what) in &s.shop_broken {
                eprintln!("regclean:   nettbutikk_kunder.csv line {line}: {what}");
            }
            if let Some(missing) = &s.febrl_missing {
                eprintln!(
                    "regclean: warning: skipped febrl_headers: {} not found, existing fixture kept",
                    missing.display()
                );
            }
            ExitCode::from(Exit::Done as u8)
        }
        Err(e) => fail(&regclean::Error::io(dir, e)),
    }
}

fn fail(e: &regclean::Error) -> ExitCode {
    for line in e.to_string().lines() {
        eprintln!("regclean: error: {line}");
    }
    ExitCode::from(if e.is_usage() { Exit::Usage as u8 } else { Exit::Fatal as u8 })
}

fn fail_usage(msg: &str) -> ExitCode {
    eprintln!("regclean: error: {msg}");
    ExitCode::from(Exit::Usage as u8)
}

/// Progress on the terminal (only when stderr is a terminal and not --quiet): each stage shows
/// a spinner with its name and elapsed time, which becomes a bar with count, rate and time left
/// once the stage reports progress (bytes read, rows normalised, pairs scored, rows written).
/// Also keeps the time each stage took, for the closing summary.
struct Bars {
    bar: std::sync::Mutex<Option<StageBar>>,
    times: std::sync::Mutex<Vec<StageTime>>,
    draw: bool,
}

/// A finished stage: its name, wall time, CPU seconds, and the resident and peak memory (KiB)
/// at its end.
type StageTime = (&'static str, std::time::Duration, f64, u64, u64);

/// The stage being shown.
struct StageBar {
    bar: indicatif::ProgressBar,
    name: &'static str,
    started: std::time::Instant,
    cpu: f64,
    /// The stage has advanced, so it is drawn as a bar rather than a spinner.
    counting: bool,
}

/// The spinner of a stage that has not (yet) reported how far it is.
const SPINNER_TEMPLATE: &str = "{spinner} {msg:24} {elapsed_precise}";

/// The bar of a stage that counts, in the stage's unit (see `Progress`): bytes for reading,
/// pairs for scoring, rows otherwise.
fn bar_template(stage: &str) -> &'static str {
    if stage == "ingest" {
        "{spinner} {msg:24} [{bar:30}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec}, {eta} left"
    } else if stage == "dedup: scoring" {
        "{spinner} {msg:24} [{bar:30}] {human_pos}/{human_len} pairs {rate}, {eta} left"
    } else {
        "{spinner} {msg:24} [{bar:30}] {human_pos}/{human_len} rows {rate}, {eta} left"
    }
}

fn style(template: &str) -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(template)
        .map(|s| {
            // `{rate}`: whole rows or pairs a second ("186,361/s"); indicatif's `{per_sec}`
            // prints four decimals.
            s.progress_chars("=> ").with_key("rate", |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}/s", indicatif::HumanCount(state.per_sec() as u64));
            })
        })
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner())
}

impl Bars {
    fn new(quiet: bool) -> Bars {
        use std::io::IsTerminal;
        Bars { bar: Default::default(), times: Default::default(), draw: !quiet && std::io::stderr().is_terminal() }
    }
}

impl pipeline::Progress for Bars {
    fn stage(&self, name: &'static str, total: u64) {
        let Ok(mut slot) = self.bar.lock() else { return };
        // The same stage again before it finished: its work grew (scoring, rule by rule).
        if let Some(current) = slot.as_ref()
            && current.name == name
        {
            current.bar.inc_length(total);
            return;
        }
        let bar = if self.draw {
            let b = indicatif::ProgressBar::new(total);
            b.set_style(style(SPINNER_TEMPLATE));
            b.set_message(name);
            b.enable_steady_tick(std::time::Duration::from_millis(250));
            b
        } else {
            // Hidden, but counting like a drawn one.
            indicatif::ProgressBar::with_draw_target(Some(total), indicatif::ProgressDrawTarget::hidden())
        };
        *slot = Some(StageBar { bar, name, started: std::time::Instant::now(), cpu: cpu_seconds(), counting: false });
    }
    fn advance(&self, n: u64) {
        if let Ok(mut slot) = self.bar.lock()
            && let Some(s) = slot.as_mut()
        {
            if !s.counting && self.draw {
                s.bar.set_style(style(bar_template(s.name)));
                s.counting = true;
            }
            s.bar.inc(n);
        }
    }
    fn finish(&self) {
        if let Ok(mut slot) = self.bar.lock()
            && let Some(s) = slot.take()
        {
            s.bar.finish_and_clear();
            if let Ok(mut t) = self.times.lock() {
                let (rss, peak) = memory_kib();
                t.push((s.name, s.started.elapsed(), cpu_seconds() - s.cpu, rss, peak));
            }
        }
    }
}

/// CPU time (user and system, all threads) of this process in seconds, from /proc/self/stat
/// (Linux, where a clock tick is 1/100 s; zero elsewhere). CPU over wall time shows how well a
/// stage uses the cores.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at the state, field 3;
    // utime and stime are fields 14 and 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let ticks: u64 = rest.split_whitespace().skip(11).take(2).filter_map(|t| t.parse::<u64>().ok()).sum();
    ticks as f64 / 100.0
}

/// Resident and peak resident memory of this process in KiB (Linux; zeros elsewhere).
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Today's date in UTC, the default `--as-of`.
fn today() -> Date {
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

#[cfg(test)]
mod tests {
    use super::*;
    use regclean::pipeline::Progress;

    #[test]
    fn every_counting_stage_shows_count_rate_and_time_left() {
        for (stage, count, rate) in [
            ("ingest", "{binary_bytes}/{binary_total_bytes}", "{binary_bytes_per_sec}"),
            ("normalise", "{human_pos}/{human_len} rows", "{rate}"),
            ("dedup: scoring", "{human_pos}/{human_len} pairs", "{rate}"),
            ("write: records.csv", "{human_pos}/{human_len} rows", "{rate}"),
            ("write: golden.csv", "{human_pos}/{human_len} rows", "{rate}"),
        ] {
            let t = bar_template(stage);
            assert!(t.contains(count) && t.contains(rate) && t.contains("{eta}"), "{stage}: {t}");
            assert!(indicatif::ProgressStyle::with_template(t).is_ok(), "{stage}: {t}");
        }
        assert!(indicatif::ProgressStyle::with_template(SPINNER_TEMPLATE).is_ok());
    }

    #[test]
    fn a_stage_named_again_grows_and_its_time_is_kept_once() {
        let bars = Bars::new(true);
        bars.stage("dedup: scoring", 0);
        for pairs in [10, 20] {
            bars.stage("dedup: scoring", pairs);
            bars.advance(pairs);
        }
        {
            let slot = bars.bar.lock().unwrap();
            let s = slot.as_ref().unwrap();
            assert_eq!((s.bar.position(), s.bar.length()), (30, Some(30)));
        }
        bars.finish();
        let times = bars.times.lock().unwrap();
        assert_eq!(times.iter().map(|t| t.0).collect::<Vec<_>>(), ["dedup: scoring"]);
    }
}
