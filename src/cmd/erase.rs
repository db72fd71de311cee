//! `regclean erase`: people removed from every output of a run (GDPR Art. 17), with an erasure
//! log of hashes that later runs obey.

use super::{Exit, fail, file_flag};
use regclean::normalise::date::Date;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Output directory of an earlier `regclean run`.
    dir: PathBuf,
    /// Who to erase: e-mails, phone numbers, record ids or their SHA-256 hashes, one a line or a
    /// CSV with an email/phone/id column (the format of `run --suppress`).
    #[arg(long, value_name = "FILE")]
    who: PathBuf,
    /// The date written to erasure_log.csv (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
    /// Config file (TOML) of the run: its default_country reads phone numbers written without a
    /// country code.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    let Args { dir, who, as_of, config } = args;
    let as_of = match as_of {
        Some(s) => match s.parse::<Date>() {
            Ok(d) => d,
            Err(_) => return super::fail_usage(&format!("--as-of: '{s}' is not a date, expected YYYY-MM-DD")),
        },
        None => super::run::today(),
    };
    let country = match &config {
        Some(path) => {
            match file_flag("--config", path, "a .toml file").and_then(|()| regclean::config::Config::load(path)) {
                Ok(c) => c.default_country,
                Err(e) => return fail(&e),
            }
        }
        None => None,
    };
    let list = match file_flag("--who", &who, "a list of e-mails, phones, record ids or hashes")
        .and_then(|()| regclean::suppress::List::load(&who, country.as_deref()))
    {
        Ok(list) => list,
        Err(e) => return fail(&e),
    };
    match regclean::erase::erase(&dir, &list, &as_of.to_string()) {
        Ok(r) => {
            out!(
                "erased {} golden record{} ({} row{}) from {}; {} entr{} of {} matched nobody",
                r.golden_records,
                if r.golden_records == 1 { "" } else { "s" },
                r.rows,
                if r.rows == 1 { "" } else { "s" },
                dir.display(),
                r.entries_unmatched,
                if r.entries_unmatched == 1 { "y" } else { "ies" },
                who.display()
            );
            out!(
                "rewrote {} file{}; added {} hash{} to {}",
                r.files.len(),
                if r.files.len() == 1 { "" } else { "s" },
                r.logged,
                if r.logged == 1 { "" } else { "es" },
                dir.join(regclean::suppress::ERASURE_LOG).display()
            );
            Exit::Done.into()
        }
        Err(e) => fail(&e),
    }
}
