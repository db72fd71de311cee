//! "At a glance": the first screen. The register's health in a few large numbers, each with its
//! base, and what to do next, each step with the file or command that helps.

use super::notation::{currencies, notation};
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
    label: String,
    base: String,
    tone: &'static str,
    /// Two grid columns wide, for a base that lists several currencies.
    wide: bool,
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
            label: "rows read".into(),
            base: format!("from {} file{}", files, if files == 1 { "" } else { "s" }),
            tone: "neutral",
            wide: false,
        },
        Card {
            value: f.count(n("golden_records")),
            label: "customers after dedup".into(),
            base: format!("golden records from {} accepted rows", f.count(n("rows_accepted"))),
            tone: "neutral",
            wide: false,
        },
        Card {
            value: share("duplicate_share_of_rows_accepted"),
            label: "duplicates".into(),
            base: format!("of accepted rows: {} rows merged into another", f.count(n("duplicate_rows"))),
            tone: "neutral",
            wide: false,
        },
        Card {
            value: share("stale_share_of_golden_records"),
            label: "stale".into(),
            base: format!("of customers: {} golden records", f.count(n("stale_golden_records"))),
            tone: if float(h, "stale_share_of_golden_records").unwrap_or(0.0) > 0.3 { "bad" } else { "neutral" },
            wide: false,
        },
        Card {
            value: share("reachable_share_of_golden_records"),
            label: "reachable with consent".into(),
            base: format!(
                "of customers: {} not stale, with consent and a working address",
                f.count(n("reachable_with_consent"))
            ),
            tone: "good",
            wide: false,
        },
    ];
    if let Some(card) = revenue_card(r) {
        cards.push(card);
    }
    let quarantined = n("rows_quarantined");
    cards.push(Card {
        value: f.count(quarantined),
        label: "rows quarantined".into(),
        base: format!("{} of rows read", share("quarantined_share_of_rows_read")),
        tone: if quarantined > 0 { "bad" } else { "neutral" },
        wide: false,
    });
    let mut steps = Vec::new();
    let warnings = arr(r, "warnings").map_or(0, Vec::len);
    if warnings > 0 {
        steps.push(Step {
            text: format!(
                "Read the {warnings} warning{} just below these steps.",
                if warnings == 1 { "" } else { "s" }
            ),
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

/// The register's revenue in each customer's currency: the amount of the currency most
/// customers pay in as the card's number (its code in the label, so the number stays short
/// enough for the card), the other currencies in its base, each written its own way, and the
/// customers whose currency is not known (no currency column, no country). No card when no
/// customer has any revenue.
fn revenue_card(r: &Value) -> Option<Card> {
    let list = currencies(r);
    if list.iter().all(|c| c.2 == 0.0) {
        return None;
    }
    let f = notation(r);
    let several = list.len() > 1;
    let customers = |n: u64| format!("{} customer{}", f.count(n), if n == 1 { "" } else { "s" });
    let (code, n, revenue) = &list[0];
    let mut base = format!("from {}", customers(*n));
    let others: Vec<String> = list[1..]
        .iter()
        .map(|(code, n, revenue)| format!("{} ({})", f.money_in(*revenue, code, several), customers(*n)))
        .collect();
    if !others.is_empty() {
        base += &format!("; also {}", others.join(", "));
    }
    let unknown = r
        .get("health")
        .and_then(|h| h.get("revenue_by_currency"))
        .and_then(|c| c.get("unknown"))
        .and_then(|u| uint(u, "customers"))
        .unwrap_or(0);
    if unknown > 0 {
        base += &format!("; {} with no known currency (no currency column, no country)", customers(unknown));
    }
    Some(Card { value: f.amount(*revenue), label: format!("revenue in {code}"), base, tone: "neutral", wide: several })
}
