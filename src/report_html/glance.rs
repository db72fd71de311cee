//! "At a glance": the first screen. The register's health in a few large numbers, each with its
//! base, and what to do next, each step with the file or command that helps.

use super::notation::notation;
use super::{arr, float, uint};
use serde::Serialize;
use serde_json::Value;

#[derive(Serialize)]
pub(super) struct Glance {
    cards: Vec<Card>,
    steps: Vec<Step>,
}

/// One large number and what it is a share of.
#[derive(Serialize)]
struct Card {
    value: String,
    label: &'static str,
    base: String,
    tone: &'static str,
}

/// A next step, with the file or command that helps.
#[derive(Serialize)]
struct Step {
    text: String,
    file: Option<&'static str>,
    command: Option<String>,
}

pub(super) fn glance(r: &Value) -> Option<Glance> {
    let h = r.get("health")?;
    let f = notation(r);
    let n = |key: &str| uint(h, key).unwrap_or(0);
    let share = |key: &str| float(h, key).map_or_else(|| "\u{2014}".to_owned(), |s| f.percent(s));
    let files = arr(r, "inputs").map_or(0, Vec::len);
    let mut cards = vec![
        Card {
            value: f.count(n("rows_read")),
            label: "rows read",
            base: format!("from {} file{}", files, if files == 1 { "" } else { "s" }),
            tone: "neutral",
        },
        Card {
            value: f.count(n("golden_records")),
            label: "customers after dedup",
            base: format!("golden records from {} accepted rows", f.count(n("rows_accepted"))),
            tone: "neutral",
        },
        Card {
            value: share("duplicate_share_of_rows_accepted"),
            label: "duplicates",
            base: format!("of accepted rows: {} rows merged into another", f.count(n("duplicate_rows"))),
            tone: "neutral",
        },
        Card {
            value: share("stale_share_of_golden_records"),
            label: "stale",
            base: format!("of customers: {} golden records", f.count(n("stale_golden_records"))),
            tone: if float(h, "stale_share_of_golden_records").unwrap_or(0.0) > 0.3 { "bad" } else { "neutral" },
        },
        Card {
            value: share("reachable_share_of_golden_records"),
            label: "reachable with consent",
            base: format!(
                "of customers: {} not stale, with consent and a working address",
                f.count(n("reachable_with_consent"))
            ),
            tone: "good",
        },
    ];
    let quarantined = n("rows_quarantined");
    cards.push(Card {
        value: f.count(quarantined),
        label: "rows quarantined",
        base: format!("{} of rows read", share("quarantined_share_of_rows_read")),
        tone: if quarantined > 0 { "bad" } else { "neutral" },
    });
    let mut steps = Vec::new();
    let warnings = arr(r, "warnings").map_or(0, Vec::len);
    if warnings > 0 {
        steps.push(Step {
            text: format!("Read the {warnings} warning{} above.", if warnings == 1 { "" } else { "s" }),
            file: None,
            command: None,
        });
    }
    if quarantined > 0 {
        steps.push(Step {
            text: format!(
                "Fix or re-export the {} quarantined row{}: each is listed with its file, line and reason.",
                f.count(quarantined),
                if quarantined == 1 { "" } else { "s" }
            ),
            file: Some("quarantine.csv"),
            command: None,
        });
    }
    if n("duplicate_rows") > 0 {
        steps.push(Step {
            text: "Check a few merges: every golden record says which rows it joined and why; pairs just below the threshold may be missed duplicates (pairs.csv, linked = false).".into(),
            file: Some("audit.jsonl"),
            command: Some("regclean explain OUT GOLDEN_ID".into()),
        });
    }
    if n("stale_golden_records") > 0 {
        steps.push(Step {
            text: format!(
                "Suppress or win back the {} stale customers: golden.csv says which, and why (columns stale and stale_reasons).",
                f.count(n("stale_golden_records"))
            ),
            file: Some("golden.csv"),
            command: None,
        });
    }
    if let Some(segments) = arr(r, "segments").filter(|s| !s.is_empty()) {
        steps.push(Step {
            text: format!(
                "Upload the segment exports ({} segments; who is in which, and who is held out, is in segments.csv).",
                segments.len()
            ),
            file: Some("segments.csv"),
            command: None,
        });
    }
    steps.push(Step {
        text: "Use golden.csv as the clean register; records.csv ties every input row to its golden record.".into(),
        file: Some("golden.csv"),
        command: None,
    });
    Some(Glance { cards, steps })
}
