//! Quality gates: limits in the config that mark a run as failed (exit code 3) while still
//! writing every output, so a nightly job can stop a bad register from reaching marketing.
//!
//! ```toml
//! [quality_gates]
//! max_quarantined_share = 0.01          # more than 1 % of rows quarantined fails the run
//! max_stale_share = 0.5                 # more than half the golden records stale
//! min_segment_size = 10                 # any segment smaller than this
//! [quality_gates.max_invalid_share]     # per field: share of non-missing values that are invalid
//! email = 0.05
//! phone = 0.10
//! ```

use crate::field::Field;
use crate::report::Report;
pub use crate::report::{Check, GateReport};
use std::collections::BTreeMap;

/// The configured limits.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QualityGates {
    pub max_invalid_share: BTreeMap<Field, f64>,
    pub max_quarantined_share: Option<f64>,
    pub max_stale_share: Option<f64>,
    pub min_segment_size: Option<usize>,
}

impl QualityGates {
    pub fn is_empty(&self) -> bool {
        *self == QualityGates::default()
    }
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

/// The quarantined share above which a run fails when the config sets no limit of its own: a
/// run that cannot read most of its rows has read the wrong file or the wrong dialect.
pub const DEFAULT_MAX_QUARANTINED_SHARE: f64 = 0.5;

/// Checks every gate against a finished report. Two checks are always on: at least one row
/// accepted, and at most [`DEFAULT_MAX_QUARANTINED_SHARE`] of the rows quarantined (unless the
/// config sets its own limit). `ingested` explains a failed quarantine gate.
pub fn check(gates: &QualityGates, report: &Report, ingested: &crate::ingest::Ingested) -> GateReport {
    let mut checks = Vec::new();
    let round = |x: f64| (x * 1_000_000.0).round() / 1_000_000.0;
    let accepted = report.reconciliation.rows_accepted;
    checks.push(Check {
        name: "rows accepted".into(),
        limit: 1.0,
        value: accepted as f64,
        passed: accepted >= 1,
        note: None,
    });
    for (field, &limit) in &gates.max_invalid_share {
        let q = report.fields.get(field.name()).cloned().unwrap_or_default();
        let value = round(share(q.invalid, q.valid + q.fixed + q.unverified + q.invalid));
        checks.push(Check {
            name: format!("invalid {} share", field.name()),
            limit,
            value,
            passed: value <= limit,
            note: None,
        });
    }
    {
        let limit = gates.max_quarantined_share.unwrap_or(DEFAULT_MAX_QUARANTINED_SHARE);
        let r = &report.reconciliation;
        let value = round(share(r.rows_quarantined, r.rows_read));
        checks.push(Check { name: "quarantined share".into(), limit, value, passed: value <= limit, note: None });
    }
    if let (Some(limit), Some(stale)) = (gates.max_stale_share, &report.stale) {
        let value = round(share(stale.stale_records, stale.golden_records));
        checks.push(Check { name: "stale share".into(), limit, value, passed: value <= limit, note: None });
    }
    if let (Some(min), Some(segments)) = (gates.min_segment_size, &report.segments) {
        for s in segments {
            checks.push(Check {
                name: format!("size of segment {}", s.name),
                limit: min as f64,
                value: s.size as f64,
                passed: s.size >= min,
                note: None,
            });
        }
    }
    // Say what the quarantined rows had in common (a trailing delimiter, a short row...).
    if let Some(c) = checks.iter_mut().find(|c| c.name == "quarantined share" && !c.passed) {
        c.note = ingested.quarantine_in_common();
    }
    GateReport { passed: checks.iter().all(|c| c.passed), checks }
}
