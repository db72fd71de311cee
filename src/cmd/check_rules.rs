//! `regclean check-rules`: check a rules folder (and the config it will run with) without
//! running, every problem at once.

use super::Exit;
use super::rules::{RulesFrom, fail_with_hint, load_rules};
use regclean::config::Config;
use regclean::merge::rules::Survivorship;
use regclean::segment::SegmentRules;
use regclean::stale::Policy;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The rules folder.
    dir: PathBuf,
    /// The config file the rules will run with (its custom fields).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    let Args { dir, config } = args;
    match check_rules(&dir, config.as_deref()) {
        Ok((_, _, segments)) => {
            let n = segments.map(|s| s.segments.len()).unwrap_or(0);
            out!("{}: rules are valid ({n} segment{})", dir.display(), if n == 1 { "" } else { "s" });
            Exit::Done.into()
        }
        Err(e) => fail_with_hint(e, config.as_deref()),
    }
}

/// The rules of `check-rules`, checked against the config's custom fields when one is given;
/// the config's problems and the rules' are reported together.
fn check_rules(
    dir: &Path,
    config: Option<&Path>,
) -> Result<(Survivorship, Policy, Option<SegmentRules>), regclean::Error> {
    let config =
        config.map(|c| super::file_flag("--config", c, "a .toml file").and_then(|()| Config::load(c))).transpose();
    let fields = config.as_ref().ok().and_then(Option::as_ref).map(|c| c.fields.clone()).unwrap_or_default();
    match (config, load_rules(Some(dir), &fields, RulesFrom::CheckRules)) {
        (Ok(_), rules) => rules,
        (Err(e), Ok(_)) => Err(e),
        (Err(a), Err(b)) => Err(regclean::Error::many(vec![a, b])),
    }
}
