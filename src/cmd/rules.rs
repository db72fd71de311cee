//! Rule folders (survivorship, stale policy, segments), loaded for `run --rules DIR` and
//! `check-rules DIR` alike, every problem at once.

use regclean::merge::rules::Survivorship;
use regclean::segment::SegmentRules;
use regclean::stale::Policy;

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
