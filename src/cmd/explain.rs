//! `regclean explain`: why one golden record looks the way it does.

use super::{Exit, fail};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Output directory of an earlier `regclean run`.
    dir: PathBuf,
    /// The customer to explain: a golden_id, the CRM's own record id, SOURCE:RECORD_ID
    /// (e.g. hubspot_contacts.csv:10041) or SOURCE_FILE:SOURCE_LINE.
    #[arg(value_name = "ID")]
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
