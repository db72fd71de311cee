//! "Flow of every row": a Sankey-like drawing of rows read → accepted/quarantined → golden
//! records/merged → fresh/stale → in a segment or not, with the sums a reader can check. Every
//! coordinate is computed here; the template only places it.

use super::notation::{Notation, notation};
use super::{FIXED, FRESH, INVALID, MERGED, NEUTRAL, STALE, SVG_WIDTH, VALID, percent, uint};
use serde::Serialize;
use serde_json::Value;

pub(super) struct Node {
    label: &'static str,
    value: u64,
    column: usize,
    colour: &'static str,
}

pub(super) struct Flow {
    nodes: Vec<Node>,
    /// How the boxes write their counts.
    notation: Notation,
    /// (from, to) indices into `nodes`; a node's outgoing links are stacked in this order.
    links: Vec<(usize, usize)>,
    /// Sums the reader can verify.
    checks: Vec<Check>,
}

/// A sum the reader can verify, marked with whether it adds up; or, without a mark, a remark.
#[derive(Serialize)]
pub(super) struct Check {
    text: String,
    mark: Option<Mark>,
}

#[derive(Serialize, Clone, Copy)]
pub(super) struct Mark {
    /// The CSS class of the mark (`ok` or `bad`).
    class: &'static str,
    text: &'static str,
}

pub(super) const ADDS_UP: Mark = Mark { class: "ok", text: "\u{2713}" };
pub(super) const DOES_NOT_ADD_UP: Mark = Mark { class: "bad", text: "\u{2717} does not add up" };

/// Collects the stages that the report has numbers for. Each stage needs the previous one: a
/// flow that skipped a stage would not add up.
pub(super) fn flow(r: &Value) -> Option<Flow> {
    let rec = r.get("reconciliation")?;
    let read = uint(rec, "rows_read")?;
    let accepted = uint(rec, "rows_accepted")?;
    let quarantined = uint(rec, "rows_quarantined")?;
    let nf = notation(r);
    let mut f = Flow { nodes: Vec::new(), links: Vec::new(), checks: Vec::new(), notation: nf };
    let node = |label, value, column, colour| Node { label, value, column, colour };
    f.nodes.push(node("Rows read", read, 0, NEUTRAL));
    f.nodes.push(node("Accepted", accepted, 1, VALID));
    f.nodes.push(node("Quarantined", quarantined, 1, INVALID));
    f.links.extend([(0, 1), (0, 2)]);
    // Rows an erasure log kept out are read but neither accepted nor quarantined.
    let mut parts = vec![("quarantined", quarantined), ("accepted", accepted)];
    parts.extend(uint(rec, "rows_erased").filter(|&n| n > 0).map(|n| ("erased (kept out)", n)));
    f.checks.push(sum_check(&nf, "rows read", read, &parts));

    let dedup = r.get("dedup");
    let golden = dedup.and_then(|d| uint(d, "golden_records"));
    let merged = dedup.and_then(|d| uint(d, "rows_merged_into_another"));
    let (Some(golden), Some(merged)) = (golden, merged) else { return Some(f) };
    f.nodes.push(node("Golden records", golden, 2, FIXED));
    f.nodes.push(node("Merged into another", merged, 2, MERGED));
    f.links.extend([(1, 3), (1, 4)]);
    f.checks.push(sum_check(&nf, "accepted", accepted, &[("merged into another", merged), ("golden records", golden)]));

    let Some(stale) = r.get("stale").and_then(|s| uint(s, "stale_records")) else { return Some(f) };
    let fresh = golden.saturating_sub(stale);
    f.nodes.push(node("Fresh", fresh, 3, FRESH));
    f.nodes.push(node("Stale", stale, 3, STALE));
    f.links.extend([(3, 5), (3, 6)]);
    f.checks.push(sum_check(&nf, "golden records", golden, &[("stale", stale), ("fresh", fresh)]));

    let Some(in_segments) = r.get("segment_reach").and_then(|s| uint(s, "fresh_in_segments")) else { return Some(f) };
    let outside = fresh.saturating_sub(in_segments);
    f.nodes.push(node("In a segment", in_segments, 4, VALID));
    f.nodes.push(node("In no segment", outside, 4, NEUTRAL));
    f.links.extend([(5, 7), (5, 8)]);
    f.checks.push(sum_check(&nf, "fresh", fresh, &[("in a segment", in_segments), ("in no segment", outside)]));
    if let Some(stale_in) = r.get("segment_reach").and_then(|s| uint(s, "stale_in_segments")) {
        f.checks.push(Check {
            text: format!("{} stale records are in segments that include stale records (win-back)", nf.count(stale_in)),
            mark: None,
        });
    }
    Some(f)
}

pub(super) fn sum_check(nf: &Notation, whole_name: &str, whole: u64, parts: &[(&str, u64)]) -> Check {
    let sum: u64 = parts.iter().map(|(_, v)| v).sum();
    let terms: Vec<String> = parts.iter().map(|(name, v)| format!("{} {name}", nf.count(*v))).collect();
    let (op, mark) = if sum == whole { ("=", ADDS_UP) } else { ("\u{2260}", DOES_NOT_ADD_UP) };
    Check { text: format!("{} {whole_name} {op} {}", nf.count(whole), terms.join(" + ")), mark: Some(mark) }
}

#[derive(Serialize)]
pub(super) struct FlowView {
    width: String,
    height: String,
    links: Vec<FlowLink>,
    nodes: Vec<FlowBox>,
    checks: Vec<Check>,
    /// Whether the flow reaches the stale stage, which the caption then explains.
    has_stale: bool,
}

#[derive(Serialize)]
pub(super) struct FlowLink {
    /// The band's outline, an SVG path.
    path: String,
    colour: &'static str,
}

#[derive(Serialize)]
pub(super) struct FlowBox {
    label: &'static str,
    value: String,
    /// Of the rows read.
    percent: String,
    colour: &'static str,
    x: String,
    y: String,
    width: String,
    height: String,
    /// The horizontal centre, where the box's text is anchored.
    cx: String,
    text: BoxText,
}

/// Where a box's label and count go: inside the box on two lines, or on one line underneath.
#[derive(Serialize)]
#[serde(tag = "place", rename_all = "lowercase")]
pub(super) enum BoxText {
    Inside {
        label_y: String,
        value_y: String,
    },
    /// Under the box, anchored so it stays inside the drawing: at the box's middle, or at its
    /// outer edge for the first and last columns.
    Below {
        y: String,
        x: String,
        anchor: &'static str,
    },
}

pub(super) fn flow_view(f: Flow) -> FlowView {
    const NODE_W: f64 = 170.0;
    const TOP: f64 = 10.0;
    const GAP: f64 = 40.0;
    const FULL: f64 = 300.0;
    const MIN_H: f64 = 4.0;
    let read = f.nodes.first().map_or(0, |n| n.value);
    let scale = FULL / read.max(1) as f64;
    let columns = f.nodes.iter().map(|n| n.column).max().unwrap_or(0) + 1;
    let step = if columns > 1 { (SVG_WIDTH - NODE_W) / (columns - 1) as f64 } else { 0.0 };

    // Layout: (x, y, h) per node, stacked per column.
    let mut next_y = vec![TOP; columns];
    let mut boxes = Vec::with_capacity(f.nodes.len());
    for n in &f.nodes {
        let h = (n.value as f64 * scale).max(MIN_H);
        let y = next_y[n.column];
        next_y[n.column] = y + h + GAP;
        boxes.push((n.column as f64 * step, y, h));
    }
    let height = (next_y.iter().copied().fold(0.0, f64::max) - GAP + 30.0).ceil();

    // A link leaves its source from a slice proportional to its share of the source and enters
    // the whole of its target.
    let mut used = vec![0.0; f.nodes.len()];
    let mut links = Vec::with_capacity(f.links.len());
    for &(from, to) in &f.links {
        let (Some(src), Some(dst), Some(sbox), Some(tbox)) =
            (f.nodes.get(from), f.nodes.get(to), boxes.get(from), boxes.get(to))
        else {
            continue;
        };
        let share = if src.value == 0 { 0.0 } else { dst.value as f64 / src.value as f64 };
        let slice = sbox.2 * share;
        let sy0 = sbox.1 + used[from];
        used[from] += slice;
        let (sx, tx) = (sbox.0 + NODE_W, tbox.0);
        let mx = (sx + tx) / 2.0;
        let (sy1, ty0, ty1) = (sy0 + slice, tbox.1, tbox.1 + tbox.2);
        links.push(FlowLink {
            path: format!(
                "M{sx:.1},{sy0:.1} C{mx:.1},{sy0:.1} {mx:.1},{ty0:.1} {tx:.1},{ty0:.1} L{tx:.1},{ty1:.1} \
                 C{mx:.1},{ty1:.1} {mx:.1},{sy1:.1} {sx:.1},{sy1:.1} Z"
            ),
            colour: dst.colour,
        });
    }
    let nodes = f
        .nodes
        .iter()
        .zip(&boxes)
        .map(|(n, &(x, y, h))| FlowBox {
            label: n.label,
            value: f.notation.count(n.value),
            percent: percent(n.value, read),
            colour: n.colour,
            x: format!("{x:.1}"),
            y: format!("{y:.1}"),
            width: NODE_W.to_string(),
            height: format!("{h:.1}"),
            cx: format!("{:.1}", x + NODE_W / 2.0),
            // Too thin for text inside: label it underneath, in the gap that follows every box.
            text: if h >= 38.0 {
                let mid = y + h / 2.0;
                BoxText::Inside { label_y: format!("{:.1}", mid - 3.0), value_y: format!("{:.1}", mid + 13.0) }
            } else {
                let (tx, anchor) = if x + NODE_W >= SVG_WIDTH - 1.0 {
                    (x + NODE_W, "end")
                } else if x <= 1.0 {
                    (x, "start")
                } else {
                    (x + NODE_W / 2.0, "middle")
                };
                BoxText::Below { y: format!("{:.1}", y + h + 16.0), x: format!("{tx:.1}"), anchor }
            },
        })
        .collect();
    FlowView {
        width: SVG_WIDTH.to_string(),
        height: height.to_string(),
        links,
        nodes,
        has_stale: f.nodes.iter().any(|n| n.label == "Stale"),
        checks: f.checks,
    }
}
