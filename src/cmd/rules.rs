//! Rule folders (survivorship, stale policy, segments), loaded for `run --rules DIR` and
//! `check-rules DIR` alike, every problem at once.

use regclean::merge::rules::Survivorship;
use regclean::segment::SegmentRules;
use regclean::stale::Policy;
use std::path::Path;
use std::process::ExitCode;

/// Who gave a rules folder: `run --rules DIR` (a flag, so a usage error) or `check-rules DIR`
/// (its argument, so exit code 1 as its help promises).
#[derive(Clone, Copy, PartialEq)]
pub enum RulesFrom {
    RunFlag,
    CheckRules,
}

/// Loads every rule file of a folder (or the built-in defaults), all problems at once. A folder
/// without a single rule file is refused: a mistyped or empty folder would otherwise run with
/// the built-in defaults and no segments, and nobody would notice. Segment conditions may
/// name the config's custom fields (`fields`).
pub fn load_rules(
    dir: Option<&std::path::Path>,
    fields: &[regclean::field::CustomField],
    from: RulesFrom,
) -> Result<(Survivorship, Policy, Option<SegmentRules>), regclean::Error> {
    let Some(dir) = dir else { return Ok((Survivorship::default(), Policy::default(), None)) };
    let problem = |what: &str| match from {
        RulesFrom::RunFlag => {
            regclean::Error::Io { path: format!("--rules {}", dir.display()), message: what.to_string() }
        }
        RulesFrom::CheckRules => regclean::Error::input(
            dir,
            None,
            None,
            &format!("{what}; give the rules folder to check, e.g. `regclean check-rules rules`"),
        ),
    };
    if !dir.is_dir() {
        return Err(problem(if dir.exists() {
            "is a file, not a rules folder"
        } else if from == RulesFrom::RunFlag {
            "does not exist (expected a rules folder, e.g. the shipped `rules`)"
        } else {
            "does not exist"
        }));
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

/// Prints an error like [`super::fail`], then, when rules named fields nobody declared, where
/// custom fields come from: the config's `[fields]`, given with `--config`.
pub fn fail_with_hint(e: regclean::Error, config: Option<&Path>) -> ExitCode {
    let code = super::fail(&e);
    // Only for names nothing comes close to: a misspelt canonical field gets its suggestion.
    let undeclared = |l: &str| l.contains("unknown field '") && !l.contains("did you mean");
    if e.to_string().lines().any(undeclared) {
        match config {
            None => eprintln!(
                "regclean: note: a field that is not canonical is a custom field, declared in a config's [fields] table; give that config with --config FILE"
            ),
            Some(c) => eprintln!(
                "regclean: note: a field that is not canonical is a custom field, declared in the [fields] table of the --config file ({})",
                c.display()
            ),
        }
    }
    code
}
