//! `regclean undo`: the rows of one or more merges given back exactly as they were read, and
//! optionally the decisions that keep them apart in the next run.

use super::{Exit, fail, output_file_flag};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Output directory of an earlier `regclean run`.
    dir: PathBuf,
    /// The merges to undo: golden ids, the CRM's own record ids, SOURCE:RECORD_ID or
    /// SOURCE_FILE:SOURCE_LINE of a member.
    #[arg(required = true, value_name = "ID")]
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
}

pub fn run(args: Args) -> ExitCode {
    let Args { dir, golden_ids, to, decisions, force } = args;
    let problems: Vec<regclean::Error> = [
        output_file_flag("--to", &to, "a CSV file to write the rows to"),
        decisions.as_deref().map_or(Ok(()), |d| output_file_flag("--decisions", d, "a decisions CSV file")),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    if !problems.is_empty() {
        return fail(&regclean::Error::many(problems));
    }
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
            Exit::Done.into()
        }
        Err(e) => fail(&e),
    }
}
