//! "Stale records": how many golden records the stale policy flags, one bar per reason against
//! the register, and the reasons the register had no fields for.

use super::notation::notation;
use super::{Figure, STALE, SVG_WIDTH, arr, as_count, obj, percent, scalar, uint};
use serde::Serialize;
use serde_json::Value;

#[derive(Serialize)]
pub(super) struct Stale {
    figures: Vec<Figure>,
    by_reason: Option<ReasonChart>,
    /// Stale rules that could not run, `None` when the report does not say.
    skipped: Option<Vec<String>>,
}

/// One bar per stale reason, drawn against the golden records.
#[derive(Serialize)]
pub(super) struct ReasonChart {
    width: String,
    height: String,
    label_x: String,
    bar_x: String,
    bar_width: String,
    bar_height: String,
    count_x: String,
    colour: &'static str,
    bars: Vec<ReasonBar>,
    /// The reasons add up to more than the stale records (a record can have several).
    reasons_overlap: bool,
}

#[derive(Serialize)]
pub(super) struct ReasonBar {
    reason: String,
    y: String,
    text_y: String,
    width: String,
    count: u64,
    /// Of the golden records.
    share: Option<String>,
}

pub(super) fn stale(r: &Value) -> Option<Stale> {
    let nf = notation(r);
    let s = r.get("stale").filter(|s| s.as_object().is_some_and(|m| !m.is_empty()))?;
    let golden = uint(s, "golden_records");
    let figures = [
        ("golden_records", "Golden records"),
        ("stale_records", "Stale records"),
        ("inactive_after_months", "Inactive after (months)"),
    ]
    .into_iter()
    .filter_map(|(key, label)| Some(Figure { label, value: nf.count_of(Some(s.get(key)?)) }))
    .collect();

    let by_reason = obj(s, "by_reason").filter(|b| !b.is_empty()).map(|reasons| {
        let counts: Vec<(&String, u64)> = reasons.iter().map(|(k, v)| (k, as_count(v).unwrap_or(0))).collect();
        // Bars are drawn against the golden records, so a bar's length is its share of the register.
        let scale_to = golden.unwrap_or(0).max(counts.iter().map(|c| c.1).max().unwrap_or(0)).max(1);
        const LABEL_W: f64 = 170.0;
        const BAR_W: f64 = 620.0;
        const BAR_H: f64 = 16.0;
        const ROW: f64 = 26.0;
        let bars = counts
            .iter()
            .enumerate()
            .map(|(i, &(reason, count))| {
                let y = 3.0 + i as f64 * ROW;
                ReasonBar {
                    reason: reason.clone(),
                    y: format!("{y:.1}"),
                    text_y: format!("{:.1}", y + 13.0),
                    width: format!("{:.2}", BAR_W * count as f64 / scale_to as f64),
                    count,
                    share: golden.map(|g| percent(count, g)),
                }
            })
            .collect();
        let sum: u64 = counts.iter().map(|c| c.1).sum();
        ReasonChart {
            width: SVG_WIDTH.to_string(),
            height: (ROW * counts.len() as f64 + 6.0).to_string(),
            label_x: format!("{:.1}", LABEL_W - 8.0),
            bar_x: LABEL_W.to_string(),
            bar_width: BAR_W.to_string(),
            bar_height: BAR_H.to_string(),
            count_x: format!("{:.1}", LABEL_W + BAR_W + 8.0),
            colour: STALE,
            bars,
            reasons_overlap: uint(s, "stale_records").is_some_and(|st| sum > st),
        }
    });
    let skipped = arr(s, "reasons_skipped").map(|names| names.iter().map(|v| scalar(Some(v))).collect());
    Some(Stale { figures, by_reason, skipped })
}
