//! "Field quality": what the rows describe (persons, organisations, persons at an organisation),
//! then per canonical field how many values were valid, reformatted, repaired, unverified,
//! invalid or missing, as a stacked bar, with the most frequent masked shapes of invalid values.

use super::notation::{Notation, notation};
use super::{
    FIXED, INVALID, LegendItem, MISSING, REFORMATTED, UNVERIFIED, VALID, arr, as_count, obj, percent, scalar, uint,
};
use serde::Serialize;
use serde_json::Value;

pub(super) const QUALITY: [(&str, &str, &str); 6] = [
    ("valid", "Valid", VALID),
    ("reformatted", "Reformatted", REFORMATTED),
    ("repaired", "Repaired", FIXED),
    ("unverified", "Unverified", UNVERIFIED),
    ("invalid", "Invalid", INVALID),
    ("missing", "Missing", MISSING),
];

/// A field's count of one quality: a report from before `reformatted` and `repaired` were
/// told apart counts its `fixed` values as repaired.
pub(super) fn quality_count(q: &Value, key: &str) -> Option<u64> {
    let split = q.get("reformatted").is_some() || q.get("repaired").is_some();
    match key {
        "repaired" if !split => uint(q, "fixed"),
        _ => uint(q, key),
    }
}

/// How many masked invalid shapes to list under a field.
pub(super) const TOP_PATTERNS: usize = 5;

/// report.json `entity_kinds` keys and how the page names them, in the page's order.
pub(super) const ENTITY_KINDS: [(&str, &str); 3] = [
    ("person", "Persons"),
    ("organisation", "Organisations"),
    ("person_at_organisation", "Persons at an organisation"),
];

#[derive(Serialize)]
pub(super) struct Fields {
    /// Accepted rows per entity kind; empty for a report without `entity_kinds`.
    kinds: Vec<KindRow>,
    /// The quality levels in bar order; also the count columns' headings.
    legend: Vec<LegendItem>,
    rows: Vec<FieldRow>,
}

#[derive(Serialize)]
pub(super) struct KindRow {
    label: &'static str,
    count: String,
    percent: String,
}

#[derive(Serialize)]
pub(super) struct FieldRow {
    name: String,
    bar: StackedBar,
    /// One per quality level, as the JSON has it.
    counts: Vec<String>,
    patterns: Vec<Pattern>,
}

#[derive(Serialize)]
pub(super) struct Pattern {
    pattern: String,
    count: String,
}

#[derive(Serialize)]
pub(super) struct StackedBar {
    width: String,
    height: String,
    /// The counts as words, for screen readers.
    label: String,
    /// No counts at all: the bar is drawn as one grey stripe.
    empty: bool,
    parts: Vec<BarPart>,
}

#[derive(Serialize)]
pub(super) struct BarPart {
    x: String,
    width: String,
    colour: &'static str,
    label: &'static str,
    count: u64,
    percent: String,
}

pub(super) fn fields(r: &Value) -> Option<Fields> {
    let nf = notation(r);
    let fields = obj(r, "fields").filter(|f| !f.is_empty())?;
    let rows = fields
        .iter()
        .map(|(name, q)| {
            let counts: Vec<u64> = QUALITY.iter().map(|(key, _, _)| quality_count(q, key).unwrap_or(0)).collect();
            FieldRow {
                name: name.clone(),
                bar: stacked_bar(name, &counts),
                counts: QUALITY
                    .iter()
                    .map(|(key, _, _)| quality_count(q, key).map_or_else(|| scalar(q.get(*key)), |c| nf.count(c)))
                    .collect(),
                patterns: top_patterns(q, &nf),
            }
        })
        .collect();
    Some(Fields {
        kinds: kinds(r, &nf),
        legend: QUALITY.iter().map(|&(_, label, colour)| LegendItem { label, colour }).collect(),
        rows,
    })
}

/// The rows of each entity kind and their share of the rows counted.
fn kinds(r: &Value, nf: &Notation) -> Vec<KindRow> {
    let Some(k) = r.get("entity_kinds").filter(|k| k.is_object()) else { return Vec::new() };
    let counts: Vec<u64> = ENTITY_KINDS.iter().map(|(key, _)| uint(k, key).unwrap_or(0)).collect();
    let total: u64 = counts.iter().sum();
    ENTITY_KINDS
        .iter()
        .zip(counts)
        .map(|(&(_, label), count)| KindRow { label, count: nf.count(count), percent: percent(count, total) })
        .collect()
}

/// The most frequent masked shapes, most frequent first; ties keep the JSON's order.
pub(super) fn top_patterns(q: &Value, nf: &Notation) -> Vec<Pattern> {
    let Some(list) = arr(q, "invalid_patterns") else { return Vec::new() };
    let mut found: Vec<(u64, Pattern)> = list
        .iter()
        .filter_map(|p| {
            let count = p.get("count");
            let pattern = Pattern { pattern: scalar(Some(p.get("pattern")?)), count: nf.count_of(count) };
            Some((count.and_then(as_count).unwrap_or(0), pattern))
        })
        .collect();
    found.sort_by_key(|p| std::cmp::Reverse(p.0));
    found.into_iter().take(TOP_PATTERNS).map(|(_, p)| p).collect()
}

pub(super) fn stacked_bar(name: &str, counts: &[u64]) -> StackedBar {
    const W: f64 = 400.0;
    const H: f64 = 14.0;
    let total: u64 = counts.iter().sum();
    let words: Vec<String> =
        QUALITY.iter().zip(counts).map(|((_, label, _), c)| format!("{c} {}", label.to_lowercase())).collect();
    let mut parts = Vec::new();
    let mut x = 0.0;
    for (&(_, label, colour), &count) in QUALITY.iter().zip(counts) {
        if count == 0 || total == 0 {
            continue;
        }
        let w = W * count as f64 / total as f64;
        parts.push(BarPart {
            x: format!("{x:.2}"),
            width: format!("{w:.2}"),
            colour,
            label,
            count,
            percent: percent(count, total),
        });
        x += w;
    }
    StackedBar {
        width: W.to_string(),
        height: H.to_string(),
        label: format!("{name}: {}", words.join(", ")),
        empty: total == 0,
        parts,
    }
}
