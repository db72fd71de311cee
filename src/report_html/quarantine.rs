//! "Quarantine": the rows that were not read as customers, by reason, with the `file:line` of
//! the first of them, so they can be fixed at the source.

use super::notation::notation;
use super::{as_count, obj, scalar};
use serde::Serialize;
use serde_json::Value;

#[derive(Serialize)]
pub(super) struct Quarantine {
    rows: Option<String>,
    reasons: Vec<QuarantineReason>,
}

#[derive(Serialize)]
pub(super) struct QuarantineReason {
    reason: String,
    rows: String,
    /// `file:line` of the quarantined rows the report lists.
    lines: Vec<String>,
    /// Set when the report lists only the first of the reason's rows.
    first_of: Option<FirstOf>,
}

#[derive(Serialize)]
pub(super) struct FirstOf {
    listed: usize,
    rows: u64,
}

pub(super) fn quarantine(r: &Value) -> Option<Quarantine> {
    let nf = notation(r);
    let q = r.get("quarantine").filter(|q| q.as_object().is_some_and(|m| !m.is_empty()))?;
    let by_reason = obj(q, "by_reason");
    let lines = obj(q, "lines_by_reason");
    // Reasons in the counts first, then any that only appear in the line lists.
    let mut names: Vec<&String> = by_reason.into_iter().flat_map(|m| m.keys()).collect();
    for reason in lines.into_iter().flat_map(|m| m.keys()) {
        if !names.contains(&reason) {
            names.push(reason);
        }
    }
    let reasons: Vec<QuarantineReason> = names
        .into_iter()
        .map(|reason| {
            let count = by_reason.and_then(|m| m.get(reason.as_str()));
            let listed: Vec<String> = lines
                .and_then(|m| m.get(reason.as_str()))
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter().map(|l| format!("{}:{}", scalar(l.get("file")), scalar(l.get("line")))).collect()
                })
                .unwrap_or_default();
            let first_of = count
                .and_then(as_count)
                .filter(|c| *c > listed.len() as u64 && !listed.is_empty())
                .map(|rows| FirstOf { listed: listed.len(), rows });
            QuarantineReason { reason: reason.clone(), rows: nf.count_of(count), lines: listed, first_of }
        })
        .collect();
    let rows = q.get("rows").map(|rows| nf.count_of(Some(rows)));
    (rows.is_some() || !reasons.is_empty()).then_some(Quarantine { rows, reasons })
}
