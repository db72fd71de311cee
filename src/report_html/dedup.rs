//! "Duplicates": the dedup figures, merges and near misses shown field by field, blocking rules,
//! cluster sizes, the match-weight histogram with its threshold, and the Fellegi-Sunter model.

use super::notation::notation;
use super::{
    FIXED, Figure, INVALID, LegendItem, MISSING, SVG_WIDTH, arr, as_count, fixed, float, obj, scalar, significant4,
    text,
};
use serde::Serialize;
use serde_json::{Map, Value};

pub(super) const DEDUP_KEYS: [(&str, &str); 7] = [
    ("pairs_scored", "Pairs scored"),
    ("pairs_written", "Pairs written"),
    ("links", "Links"),
    ("links_refused_for_contrary_evidence", "Links refused for contrary evidence"),
    ("golden_records", "Golden records"),
    ("rows_merged_into_another", "Rows merged into another"),
    ("prior", "Prior"),
];

pub(super) const NAMESAKE_KEYS: [(&str, &str); 3] = [
    ("name_and_birth_date_only_links", "Links on name and birth date alone"),
    ("refused_links", "of which refused as likely coincidences"),
    ("expected_coincidental_pairs", "Chance pairs expected among them"),
];

#[derive(Serialize)]
pub(super) struct Dedup {
    /// The match-weight threshold in bits, two decimals.
    threshold: Option<String>,
    figures: Vec<Figure>,
    blocking: Vec<BlockingRule>,
    clusters: Vec<ClusterSize>,
    histogram: Option<Histogram>,
    comparisons: Vec<Comparison>,
    examples: Vec<Example>,
    /// With decisions: the model's precision and recall on the decided pairs, in one sentence.
    review: Option<String>,
}

#[derive(Serialize)]
pub(super) struct BlockingRule {
    rule: String,
    candidate_pairs: String,
    capped_blocks: String,
    largest_capped_block: String,
}

#[derive(Serialize)]
pub(super) struct ClusterSize {
    size: String,
    golden_records: String,
    /// size × golden records; empty when either is not a count.
    rows: String,
}

#[derive(Serialize)]
pub(super) struct Comparison {
    name: String,
    levels: Vec<Level>,
}

#[derive(Serialize)]
pub(super) struct Level {
    name: String,
    m: String,
    u: String,
    weight: String,
}

pub(super) fn dedup(r: &Value) -> Option<Dedup> {
    let nf = notation(r);
    let d = r.get("dedup").filter(|d| d.as_object().is_some_and(|m| !m.is_empty()))?;
    let threshold = float(d, "threshold_match_weight");
    let mut figures: Vec<Figure> = DEDUP_KEYS
        .iter()
        .filter_map(|&(key, label)| {
            let v = d.get(key)?;
            let value = match (key, v.as_f64()) {
                ("prior", Some(p)) => fixed(p, 4),
                _ => nf.count_of(Some(v)),
            };
            Some(Figure { label, value })
        })
        .collect();
    // A list too small to hold the configured threshold's worth of pairs links on less
    // (`dedup::Thresholds`): shown where it did.
    for (key, label) in [
        ("link_threshold_people", "Link threshold between people (a small list)"),
        ("link_threshold_organisations", "Link threshold between companies (a small list)"),
    ] {
        if let Some(t) = float(d, key).filter(|&t| threshold.is_some_and(|c| t < c)) {
            figures.push(Figure { label, value: fixed(t, 2) });
        }
    }
    if let Some(n) = d.get("namesakes") {
        figures.extend(
            NAMESAKE_KEYS
                .iter()
                .filter_map(|&(key, label)| Some(Figure { label, value: nf.count_of(Some(n.get(key)?)) })),
        );
    }
    let blocking = arr(d, "blocking")
        .into_iter()
        .flatten()
        .map(|b| BlockingRule {
            rule: scalar(b.get("rule")),
            candidate_pairs: nf.count_of(b.get("candidate_pairs")),
            capped_blocks: nf.count_of(b.get("capped_blocks")),
            largest_capped_block: nf.count_of(b.get("largest_capped_block")),
        })
        .collect();
    let clusters = obj(d, "clusters_by_size")
        .into_iter()
        .flatten()
        .map(|(size, count)| ClusterSize {
            size: size.clone(),
            golden_records: nf.count_of(Some(count)),
            rows: match (size.parse::<u64>(), as_count(count)) {
                (Ok(s), Some(c)) => s.checked_mul(c).map_or_else(String::new, |v| nf.count(v)),
                _ => String::new(),
            },
        })
        .collect();
    let comparisons = d
        .get("model")
        .and_then(|m| arr(m, "comparisons"))
        .into_iter()
        .flatten()
        .map(|c| Comparison {
            name: scalar(c.get("name")),
            levels: arr(c, "levels").into_iter().flatten().map(level).collect(),
        })
        .collect();
    let review = r.get("review").filter(|v| v.is_object()).map(|v| review_sentence(v, &nf));
    Some(Dedup {
        review,
        threshold: threshold.map(|t| fixed(t, 2)),
        figures,
        blocking,
        clusters,
        histogram: obj(d, "match_weight_histogram").and_then(|h| histogram(h, threshold)),
        comparisons,
        examples: examples(d),
    })
}

pub(super) fn level(level: &Value) -> Level {
    let m = float(level, "m");
    let u = float(level, "u");
    let weight = match (m, u) {
        (Some(m), Some(u)) if m > 0.0 && u > 0.0 => fixed((m / u).log2(), 2),
        (Some(m), Some(u)) if m > 0.0 && u == 0.0 => "+\u{221e}".to_owned(),
        (Some(m), Some(u)) if m == 0.0 && u > 0.0 => "\u{2212}\u{221e}".to_owned(),
        _ => "\u{2014}".to_owned(),
    };
    Level {
        name: scalar(level.get("name")),
        m: m.map_or_else(|| "\u{2014}".to_owned(), significant4),
        u: u.map_or_else(|| "\u{2014}".to_owned(), significant4),
        weight,
    }
}

/// The match-weight histogram: every coordinate, already placed.
#[derive(Serialize)]
pub(super) struct Histogram {
    width: String,
    height: String,
    total: u64,
    lo: i64,
    hi: i64,
    max: u64,
    left: String,
    right: String,
    top: String,
    /// The x axis.
    base: String,
    axis_label_x: String,
    max_label_y: String,
    tick_y: String,
    caption_x: String,
    caption_y: String,
    bins: Vec<Bin>,
    threshold: Option<ThresholdLine>,
    legend: Vec<LegendItem>,
}

#[derive(Serialize)]
pub(super) struct Bin {
    weight: i64,
    mid_x: String,
    /// Whether the bin's weight is written under the axis.
    tick: bool,
    bar: Option<BinBar>,
}

#[derive(Serialize)]
pub(super) struct BinBar {
    x: String,
    y: String,
    width: String,
    height: String,
    colour: &'static str,
    pairs: u64,
    /// Where the count goes above the bar, if the bar is wide enough for it.
    count_y: Option<String>,
}

#[derive(Serialize)]
pub(super) struct ThresholdLine {
    x: String,
    top: String,
    label_x: String,
    label_y: String,
    anchor: &'static str,
    colour: &'static str,
}

pub(super) fn histogram(hist: &Map<String, Value>, threshold: Option<f64>) -> Option<Histogram> {
    // Bins are whole bits; bin k holds the pairs whose weight rounds down to k.
    let mut bins: Vec<(i64, u64)> =
        hist.iter().filter_map(|(k, v)| Some((k.trim().parse::<i64>().ok()?, as_count(v)?))).collect();
    if bins.is_empty() {
        return None;
    }
    bins.sort_by_key(|b| b.0);
    let mut lo = bins.first().map_or(0, |b| b.0);
    let mut hi = bins.last().map_or(0, |b| b.0);
    if let Some(t) = threshold.filter(|t| t.is_finite() && t.abs() < 1e6) {
        lo = lo.min(t.floor() as i64);
        hi = hi.max(t.floor() as i64);
    }
    // A continuous axis, unless the range is absurd: then only the bins that exist.
    let keys: Vec<i64> =
        if hi.saturating_sub(lo) <= 400 { (lo..=hi).collect() } else { bins.iter().map(|b| b.0).collect() };
    let count_of = |k: i64| bins.iter().find(|b| b.0 == k).map_or(0, |b| b.1);
    let max = bins.iter().map(|b| b.1).max().unwrap_or(0).max(1);

    const LEFT: f64 = 40.0;
    const RIGHT: f64 = 10.0;
    const TOP: f64 = 28.0;
    const PLOT_H: f64 = 180.0;
    let height = TOP + PLOT_H + 40.0;
    let bw = (SVG_WIDTH - LEFT - RIGHT) / keys.len() as f64;
    let base = TOP + PLOT_H;
    let label_every = [1_usize, 2, 5, 10, 20, 50, 100].into_iter().find(|s| keys.len() / s <= 24).unwrap_or(100);

    let drawn = keys
        .iter()
        .enumerate()
        .map(|(i, &k)| {
            let x = LEFT + i as f64 * bw;
            let c = count_of(k);
            let linked = threshold.is_some_and(|t| k as f64 >= t);
            let bar = (c > 0).then(|| {
                let h = PLOT_H * c as f64 / max as f64;
                BinBar {
                    x: format!("{:.2}", x + 1.0),
                    y: format!("{:.2}", base - h),
                    width: format!("{:.2}", (bw - 2.0).max(1.0)),
                    height: format!("{h:.2}"),
                    colour: if linked { FIXED } else { MISSING },
                    pairs: c,
                    count_y: (bw >= 14.0).then(|| format!("{:.2}", base - h - 3.0)),
                }
            });
            Bin { weight: k, mid_x: format!("{:.2}", x + bw / 2.0), tick: i % label_every == 0, bar }
        })
        .collect();
    // The threshold line, at its exact position on the continuous axis.
    let line = threshold.filter(|t| t.is_finite()).map(|t| {
        let x = match keys.iter().position(|&k| k as f64 <= t && t < k as f64 + 1.0) {
            Some(i) => LEFT + (i as f64 + (t - keys.get(i).map_or(t, |&k| k as f64))) * bw,
            None if keys.first().is_some_and(|&k| t < k as f64) => LEFT,
            None => SVG_WIDTH - RIGHT,
        };
        let anchor = if x > SVG_WIDTH - 200.0 { "end" } else { "start" };
        let dx = if anchor == "end" { -5.0 } else { 5.0 };
        ThresholdLine {
            x: format!("{x:.2}"),
            top: format!("{:.1}", TOP - 18.0),
            label_x: format!("{:.2}", x + dx),
            label_y: format!("{:.1}", TOP - 8.0),
            anchor,
            colour: INVALID,
        }
    });
    Some(Histogram {
        width: SVG_WIDTH.to_string(),
        height: height.to_string(),
        total: bins.iter().map(|b| b.1).sum(),
        lo,
        hi,
        max,
        left: LEFT.to_string(),
        right: format!("{:.1}", SVG_WIDTH - RIGHT),
        top: TOP.to_string(),
        base: base.to_string(),
        axis_label_x: format!("{:.1}", LEFT - 5.0),
        max_label_y: format!("{:.1}", TOP + 4.0),
        tick_y: format!("{:.1}", base + 15.0),
        caption_x: format!("{:.1}", LEFT + (SVG_WIDTH - LEFT - RIGHT) / 2.0),
        caption_y: format!("{:.1}", base + 34.0),
        bins: drawn,
        threshold: line,
        legend: vec![
            LegendItem { label: "at or above the threshold", colour: FIXED },
            LegendItem { label: "below the threshold", colour: MISSING },
        ],
    })
}

// ---------------------------------------------------------------------------------------------
// Merges shown

#[derive(Serialize)]
pub(super) struct Example {
    kind: &'static str,
    a: String,
    b: String,
    evidence: String,
    outcome: String,
    fields: Vec<ExampleField>,
}

#[derive(Serialize)]
struct ExampleField {
    comparison: String,
    level: String,
    bits: String,
    a: String,
    b: String,
    tone: &'static str,
}

fn examples(d: &Value) -> Vec<Example> {
    arr(d, "examples")
        .into_iter()
        .flatten()
        .map(|e| {
            let kind = match text(e, "kind") {
                Some("merged") => "Merged",
                Some("just_above") => "Just above the threshold",
                Some("just_below") => "Just below the threshold",
                _ => "Pair",
            };
            let linked = e.get("linked").and_then(Value::as_bool).unwrap_or(false);
            let outcome = match (linked, text(e, "refused_because")) {
                (true, _) => "merged".to_owned(),
                (false, Some(why)) => format!("not merged ({})", why.replace('_', " ")),
                (false, None) => "not merged".to_owned(),
            };
            Example {
                kind,
                a: scalar(e.get("a")),
                b: scalar(e.get("b")),
                evidence: float(e, "evidence").map_or_else(String::new, |x| fixed(x, 2)),
                outcome,
                fields: arr(e, "fields")
                    .into_iter()
                    .flatten()
                    .map(|f| {
                        let bits = float(f, "bits").unwrap_or(0.0);
                        ExampleField {
                            comparison: scalar(f.get("comparison")).replace('_', " "),
                            level: scalar(f.get("level")),
                            bits: format!("{}{}", if bits > 0.0 { "+" } else { "" }, fixed(bits, 2)),
                            a: scalar(f.get("a")),
                            b: scalar(f.get("b")),
                            tone: if bits > 0.0 {
                                "good"
                            } else if bits < 0.0 {
                                "bad"
                            } else {
                                "neutral"
                            },
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

/// report.json's `review` as a sentence: the decided pairs, and the model's precision and
/// recall on those scored, with their intervals.
fn review_sentence(v: &Value, nf: &super::notation::Notation) -> String {
    let share = |key: &str, of: &str| match v.get(key).filter(|e| e.is_object()) {
        Some(e) => format!(
            "{key} {} % (95 % interval {} to {} %, of {} {of})",
            fixed(float(e, "estimate").unwrap_or(0.0) * 100.0, 1),
            fixed(float(e, "low").unwrap_or(0.0) * 100.0, 1),
            fixed(float(e, "high").unwrap_or(0.0) * 100.0, 1),
            nf.count_of(e.get("pairs")),
        ),
        None => format!("{key}: no {of} to estimate it from"),
    };
    format!(
        "Checked against the decisions file: {} decided pairs, {} of them scored; {}, {}. Reviewed pairs are mostly the hardest, near the threshold: for the register as a whole these are lower bounds.",
        nf.count_of(v.get("decided_pairs")),
        nf.count_of(v.get("scored_pairs")),
        share("precision", "pairs the model linked"),
        share("recall", "pairs decided the same"),
    )
}
