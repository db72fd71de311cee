//! `regclean measure`: what each campaign did, per segment and variant, against the holdout.

use super::{Exit, fail, flag_problem, output_file_flag};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
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
}

pub fn run(args: Args) -> ExitCode {
    let Args { run_dir, results, out, history, sheet } = args;
    // Every path problem at once, each naming its flag or file, before anything is read.
    let mut problems: Vec<regclean::Error> = Vec::new();
    if let Err(e) = regclean::rundir::check_run_dir(&run_dir) {
        problems.push(e);
    }
    for r in &results {
        if !r.exists() {
            problems.push(regclean::Error::io(r, std::io::ErrorKind::NotFound.into()));
        } else if r.is_dir() {
            problems.push(regclean::Error::input(r, None, None, "is a directory (expected a results export)"));
        }
    }
    if out.exists() && !out.is_dir() {
        problems.push(flag_problem(
            "--out",
            &out,
            "is a file (expected a directory for measure.json and measure.html)",
        ));
    }
    if let Some(h) = &history
        && let Err(e) = output_file_flag("--history", h, "a .jsonl file")
    {
        problems.push(e);
    }
    if !problems.is_empty() {
        return fail(&regclean::Error::many(problems));
    }
    measure(&run_dir, &results, &out, history.as_deref(), sheet.as_deref())
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
        "regclean: {} result rows, {} matched, {} unmatched; {} tested segment{}; wrote measure.json and measure.html to {}",
        x.rows,
        x.matched_rows,
        x.unmatched_rows,
        m.segments.len(),
        if m.segments.len() == 1 { "" } else { "s" },
        out.display()
    );
    for w in &m.warnings {
        eprintln!("regclean: warning: {w}");
    }
    Exit::Done.into()
}
