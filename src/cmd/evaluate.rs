//! `regclean evaluate`: dedup scored against a known truth (pairwise precision, recall, F1),
//! with samples of false merges and missed pairs.

use super::{Exit, fail, file_flag};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
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
}

pub fn run(args: Args) -> ExitCode {
    let Args { dir, truth, truth_file, show_samples } = args;
    if let Some(f) = &truth_file
        && let Err(e) = file_flag("--truth-file", f, "a CSV file source_file,source_line,COLUMN")
    {
        return fail(&e);
    }
    evaluate(dir, truth, truth_file, show_samples)
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
    out!("b-cubed          precision {:.4}, recall {:.4}, f1 {:.4}", s.bcubed_precision, s.bcubed_recall, s.bcubed_f1);
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
    Exit::Done.into()
}
