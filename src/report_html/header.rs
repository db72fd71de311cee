//! The page's header and what follows the first screen's answers: title, tool, as-of date and
//! the quality gates' verdict on top; the run's warnings as one line that opens into the list,
//! and the quality gates' table, placed below "At a glance" and "What to do next" so that the
//! answers come first.

use super::notation::notation;
use super::{INVALID, VALID, arr, scalar, text};
use serde::Serialize;
use serde_json::Value;

#[derive(Serialize)]
pub(super) struct Header {
    tool: Option<Tool>,
    /// `argument`, `today` or any other text, shown after the date.
    as_of_source: Option<String>,
    verdict: Option<Verdict>,
    checks: Vec<GateCheck>,
    /// Checks that failed: the gates' table is then open.
    failed: usize,
    /// `2 of 3 passed`, the gates' one line.
    gates_passed: String,
    /// `5 warnings`, the warnings' one line.
    warnings_count: String,
}

#[derive(Serialize)]
pub(super) struct Tool {
    name: String,
    version: String,
}

#[derive(Serialize)]
pub(super) struct Verdict {
    word: &'static str,
    colour: &'static str,
}

#[derive(Serialize)]
pub(super) struct GateCheck {
    name: String,
    limit: String,
    value: String,
    passed: Option<bool>,
    /// What the failing rows had in common, when the report says.
    note: Option<String>,
}

pub(super) fn header(r: &Value) -> Header {
    let gates = r.get("quality_gates");
    let f = notation(r);
    let tool = r.get("tool").and_then(|tool| {
        let name = text(tool, "name").unwrap_or("regclean");
        Some(Tool { name: name.to_owned(), version: text(tool, "version")?.to_owned() })
    });
    let verdict = gates.and_then(|g| g.get("passed")).and_then(Value::as_bool).map(|passed| {
        if passed { Verdict { word: "PASSED", colour: VALID } } else { Verdict { word: "FAILED", colour: INVALID } }
    });
    let checks = gates
        .and_then(|g| arr(g, "checks"))
        .into_iter()
        .flatten()
        .map(|check| {
            let name = scalar(check.get("name"));
            // A share's limit is a ceiling (`max_…_share`); a count's a floor (rows accepted,
            // segment size).
            let is_share = name.ends_with("share");
            let shown = |v: Option<&Value>| match v.and_then(Value::as_f64) {
                Some(x) if is_share => f.share(x),
                _ => f.count_of(v),
            };
            let limit = check.get("limit");
            GateCheck {
                limit: if limit.is_some_and(Value::is_number) {
                    format!("{} {}", if is_share { "at most" } else { "at least" }, shown(limit))
                } else {
                    scalar(limit)
                },
                value: shown(check.get("value")),
                passed: check.get("passed").and_then(Value::as_bool),
                note: text(check, "note").map(str::to_owned),
                name,
            }
        })
        .collect::<Vec<_>>();
    let failed = checks.iter().filter(|c| c.passed == Some(false)).count();
    let warnings = arr(r, "warnings").map_or(0, Vec::len);
    Header {
        tool,
        as_of_source: text(r, "as_of_source").map(str::to_owned),
        verdict,
        gates_passed: format!("{} of {} passed", checks.len() - failed, checks.len()),
        warnings_count: format!("{} warning{}", warnings, if warnings == 1 { "" } else { "s" }),
        checks,
        failed,
    }
}
