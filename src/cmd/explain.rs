//! `regclean explain`: why one golden record looks the way it does.

use super::{Exit, fail};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Output directory of an earlier `regclean run`.
    dir: PathBuf,
    /// The golden record to explain (a golden_id of records.csv or golden.csv).
    golden_id: String,
}

pub fn run(args: Args) -> ExitCode {
    match regclean::explain::explain(&args.dir, &args.golden_id) {
        Ok(text) => {
            out!("{text}");
            Exit::Done.into()
        }
        Err(e) => fail(&e),
    }
}
