//! The page's header: title, tool and as-of date, the quality gates' verdict and table, and the
//! run's warnings. It is the first thing a reader sees, so it holds what they must not miss.

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
}

pub(super) fn header(r: &Value) -> Header {
    let gates = r.get("quality_gates");
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
        .map(|check| GateCheck {
            name: scalar(check.get("name")),
            limit: scalar(check.get("limit")),
            value: scalar(check.get("value")),
            passed: check.get("passed").and_then(Value::as_bool),
        })
        .collect();
    Header { tool, as_of_source: text(r, "as_of_source").map(str::to_owned), verdict, checks }
}
