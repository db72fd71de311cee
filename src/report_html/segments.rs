//! "Segments", for marketers: each segment's size, share, holdout, consent, revenue in the
//! register's notation and drift since the previous run, a size-and-revenue chart, overlap heat
//! maps per rule file (or the largest overlaps), and size run after run as sparklines.

use super::notation::{Money, notation};
use super::{arr, as_count, float, obj, percent, scalar, text, uint};
use serde::Serialize;
use serde_json::Value;

/// How many overlapping segments to name per segment.
pub(super) const TOP_OVERLAPS: usize = 3;

pub(super) const DRIFT_KEYS: [(&str, &str); 4] =
    [("previous_size", "Previous"), ("entered", "Entered"), ("left", "Left"), ("stayed", "Stayed")];

#[derive(Serialize)]
pub(super) struct Segments {
    /// The drift columns' headings, empty when no segment has drift numbers.
    drift_labels: Vec<&'static str>,
    rows: Vec<SegmentRow>,
    overlaps: Vec<SegmentOverlaps>,
    chart: Option<SegmentChart>,
    heatmaps: Vec<Heatmap>,
    trends: Vec<Sparkline>,
    /// The register's currencies when it holds several: the revenue columns then give each
    /// currency's amount apart (`revenue_by_currency`) or, for a report without them, add
    /// amounts of different currencies as written, and say so.
    mixed_currencies: Option<String>,
    /// Every segment's revenue is given per currency.
    per_currency: bool,
}

#[derive(Serialize)]
pub(super) struct SegmentRow {
    name: String,
    /// The name cut after each `_`, so that a narrow table wraps it between words
    /// (`<wbr>`) rather than inside one.
    name_parts: Vec<String>,
    description: String,
    size: String,
    share: String,
    holdout: String,
    require_consent: String,
    include_stale: String,
    /// One line per currency where the segment's revenue is given per currency, else one.
    revenue_sum: Vec<String>,
    revenue_mean: Vec<String>,
    drift: Vec<String>,
    /// `▲ +12` or `▼ −5` against the previous run, when it is known.
    trend: Option<Trend>,
}

#[derive(Serialize)]
pub(super) struct Trend {
    text: String,
    class: &'static str,
}

/// A segment and the segments it shares most members with.
#[derive(Serialize)]
pub(super) struct SegmentOverlaps {
    name: String,
    top: Vec<Overlap>,
}

#[derive(Serialize)]
pub(super) struct Overlap {
    name: String,
    members: u64,
    /// Of the segment's size, when the size is known and not zero.
    percent: Option<String>,
}

pub(super) fn segments(r: &Value) -> Option<Segments> {
    let segments = arr(r, "segments").filter(|s| !s.is_empty())?;
    let has_drift = segments.iter().any(|s| DRIFT_KEYS.iter().any(|(k, _)| s.get(k).is_some()));
    let f = notation(r);
    let currency = Money::of(r);
    let money = |v: Option<&Value>| match v.and_then(|v| v.as_f64().or_else(|| v.as_str()?.parse().ok())) {
        Some(x) => currency.write(&f, x),
        None => scalar(v),
    };
    // A segment's revenue in each of its currencies, when the register mixes currencies and the
    // report gives them, one line each: `12 345 NOK`, `678 €`.
    let per_currency = |s: &Value, key: &str| -> Option<Vec<String>> {
        let Money::Mixed(_) = &currency else { return None };
        let by = obj(s, "revenue_by_currency")?;
        let parts: Vec<String> = by
            .iter()
            .filter_map(|(code, t)| {
                let x = t.get(key).and_then(|v| v.as_f64().or_else(|| v.as_str()?.parse().ok()))?;
                (code.as_str() != "unknown" || x != 0.0).then(|| f.money_in(x, code, true))
            })
            .collect();
        (!parts.is_empty()).then_some(parts)
    };
    let all_per_currency =
        matches!(currency, Money::Mixed(_)) && segments.iter().all(|s| obj(s, "revenue_by_currency").is_some());
    let rows = segments
        .iter()
        .map(|s| SegmentRow {
            name: scalar(s.get("name")),
            name_parts: word_parts(&scalar(s.get("name"))),
            description: scalar(s.get("description")),
            size: uint(s, "size").map_or_else(|| scalar(s.get("size")), |n| f.count(n)),
            trend: match (uint(s, "size"), uint(s, "previous_size")) {
                (Some(now), Some(before)) if now > before => {
                    Some(Trend { text: format!("\u{25b2} +{}", f.count(now - before)), class: "up" })
                }
                (Some(now), Some(before)) if now < before => {
                    Some(Trend { text: format!("\u{25bc} \u{2212}{}", f.count(before - now)), class: "down" })
                }
                (Some(_), Some(_)) => Some(Trend { text: "\u{25b6} 0".into(), class: "same" }),
                _ => None,
            },
            share: float(s, "share").map_or_else(|| "\u{2014}".to_owned(), |x| f.percent(x)),
            holdout: match (s.get("holdout"), float(s, "holdout_percent")) {
                (Some(h), Some(p)) => format!("{} ({})", scalar(Some(h)), f.percent(p / 100.0)),
                (h, _) => scalar(h),
            },
            require_consent: scalar(s.get("require_consent")),
            include_stale: scalar(s.get("include_stale")),
            revenue_sum: per_currency(s, "revenue_sum").unwrap_or_else(|| vec![money(s.get("revenue_sum"))]),
            revenue_mean: per_currency(s, "revenue_mean").unwrap_or_else(|| vec![money(s.get("revenue_mean"))]),
            drift: if has_drift { DRIFT_KEYS.iter().map(|(key, _)| scalar(s.get(key))).collect() } else { Vec::new() },
        })
        .collect();
    let overlaps = segments
        .iter()
        .filter_map(|s| {
            let name = scalar(s.get("name"));
            let size = uint(s, "size");
            let mut top: Vec<(String, u64)> = obj(s, "overlap")?
                .iter()
                .filter(|(other, _)| **other != name)
                .filter_map(|(other, v)| Some((other.clone(), as_count(v)?)))
                .filter(|(_, c)| *c > 0)
                .collect();
            top.sort_by_key(|o| std::cmp::Reverse(o.1));
            top.truncate(TOP_OVERLAPS);
            let top: Vec<Overlap> = top
                .into_iter()
                .map(|(other, members)| Overlap {
                    name: other,
                    members,
                    percent: size.filter(|s| *s > 0).map(|s| percent(members, s)),
                })
                .collect();
            (!top.is_empty()).then_some(SegmentOverlaps { name, top })
        })
        .collect();
    Some(Segments {
        drift_labels: if has_drift { DRIFT_KEYS.iter().map(|(_, label)| *label).collect() } else { Vec::new() },
        rows,
        overlaps,
        chart: segment_chart(r),
        heatmaps: heatmaps(r),
        trends: sparklines(r),
        mixed_currencies: match currency {
            Money::Mixed(codes) => Some(codes.join(", ")),
            _ => None,
        },
        per_currency: all_per_currency,
    })
}

#[derive(Serialize)]
struct SegmentChart {
    width: String,
    height: String,
    label_x: String,
    size_x: String,
    value_x: String,
    half: String,
    bar_height: String,
    rows: Vec<ChartRow>,
    size_heading_y: String,
    /// `Revenue`, or `Revenue in NOK` when the register mixes currencies and the chart shows the
    /// currency most customers pay in (never a sum across currencies).
    value_heading: String,
    /// The currency the revenue bars are in when the register mixes currencies.
    value_currency: Option<String>,
}

#[derive(Serialize)]
struct ChartRow {
    name: String,
    y: String,
    text_y: String,
    size_width: String,
    size_text_x: String,
    size: String,
    value_width: String,
    value_text_x: String,
    value: String,
}

/// Segment size and revenue side by side, one row per segment, in rule order.
fn segment_chart(r: &Value) -> Option<SegmentChart> {
    let segments = arr(r, "segments").filter(|s| !s.is_empty())?;
    let f = notation(r);
    let currency = Money::of(r);
    const WIDTH: f64 = 960.0;
    const LABEL_W: f64 = 230.0;
    const GAP: f64 = 20.0;
    const ROW: f64 = 20.0;
    const BAR_H: f64 = 14.0;
    const TOP: f64 = 22.0;
    // Each half leaves room for its number after the bar.
    let half = (WIDTH - LABEL_W - GAP) / 2.0;
    let bar_max = half - 95.0;
    let sizes: Vec<u64> = segments.iter().map(|s| uint(s, "size").unwrap_or(0)).collect();
    // A register of several currencies: the bars show the currency most customers pay in, when
    // the report gives each segment's revenue per currency.
    let main = match &currency {
        Money::Mixed(codes) if segments.iter().all(|s| obj(s, "revenue_by_currency").is_some()) => {
            codes.first().cloned()
        }
        _ => None,
    };
    let values: Vec<f64> = segments
        .iter()
        .map(|s| {
            let sum = match &main {
                Some(code) => obj(s, "revenue_by_currency")
                    .and_then(|by| by.get(code))
                    .and_then(|t| t.get("revenue_sum"))
                    .and_then(number),
                None => s.get("revenue_sum").and_then(number),
            };
            sum.unwrap_or(0.0).max(0.0)
        })
        .collect();
    let max_size = sizes.iter().copied().max().unwrap_or(0).max(1) as f64;
    let max_value = values.iter().copied().fold(0.0, f64::max).max(1.0);
    let rows = segments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let y = TOP + i as f64 * ROW;
            let sw = bar_max * sizes[i] as f64 / max_size;
            let vw = bar_max * values[i] / max_value;
            let size_x = LABEL_W;
            let value_x = LABEL_W + half + GAP;
            ChartRow {
                name: scalar(s.get("name")),
                y: format!("{y:.1}"),
                text_y: format!("{:.1}", y + BAR_H - 2.0),
                size_width: format!("{sw:.1}"),
                size_text_x: format!("{:.1}", size_x + sw + 5.0),
                size: f.count(sizes[i]),
                value_width: format!("{vw:.1}"),
                value_text_x: format!("{:.1}", value_x + vw + 5.0),
                value: match &main {
                    Some(code) => f.money_in(values[i], code, true),
                    None => currency.write(&f, values[i]),
                },
            }
        })
        .collect();
    Some(SegmentChart {
        width: WIDTH.to_string(),
        height: format!("{:.0}", TOP + segments.len() as f64 * ROW + 6.0),
        label_x: format!("{:.1}", LABEL_W - 8.0),
        size_x: LABEL_W.to_string(),
        value_x: format!("{:.1}", LABEL_W + half + GAP),
        half: format!("{half:.1}"),
        bar_height: BAR_H.to_string(),
        rows,
        size_heading_y: "14".into(),
        value_heading: main.as_ref().map_or_else(|| "Revenue".to_owned(), |code| format!("Revenue in {code}")),
        value_currency: main,
    })
}

/// A name cut after each `_`, `-` or `.`: the places a reader accepts a line break in
/// `came_from_stores_and_events`.
fn word_parts(name: &str) -> Vec<String> {
    name.split_inclusive(['_', '-', '.']).map(str::to_owned).collect()
}

/// A money or count value written as a JSON number or a string of one.
fn number(v: &Value) -> Option<f64> {
    v.as_f64().or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

#[derive(Serialize)]
struct Heatmap {
    group: String,
    width: String,
    height: String,
    cell: String,
    label_x: String,
    top: String,
    /// Column labels, rotated, with their x.
    columns: Vec<HeatLabel>,
    rows: Vec<HeatRow>,
}

#[derive(Serialize)]
struct HeatLabel {
    name: String,
    x: String,
    y: String,
}

#[derive(Serialize)]
struct HeatRow {
    name: String,
    y: String,
    text_y: String,
    cells: Vec<HeatCell>,
}

#[derive(Serialize)]
struct HeatCell {
    x: String,
    fill: String,
    text: String,
    text_x: String,
    dark: bool,
    title: String,
}

/// Most segments a heat map shows; a larger group shows its largest.
const HEATMAP_MAX: usize = 14;

/// Per group of segments (a rule file) with at least two, the share of each row's members that
/// are also in each column's segment.
fn heatmaps(r: &Value) -> Vec<Heatmap> {
    let Some(segments) = arr(r, "segments") else { return Vec::new() };
    let mut groups: Vec<(String, Vec<&Value>)> = Vec::new();
    for s in segments {
        let g = text(s, "group").unwrap_or("segments").to_owned();
        match groups.iter_mut().find(|(name, _)| *name == g) {
            Some((_, members)) => members.push(s),
            None => groups.push((g, vec![s])),
        }
    }
    groups
        .into_iter()
        .filter(|(_, m)| m.len() >= 2)
        .map(|(group, mut members)| {
            if members.len() > HEATMAP_MAX {
                members.sort_by_key(|s| std::cmp::Reverse(uint(s, "size").unwrap_or(0)));
                members.truncate(HEATMAP_MAX);
            }
            const CELL: f64 = 34.0;
            const LABEL_W: f64 = 210.0;
            let names: Vec<String> = members.iter().map(|s| scalar(s.get("name"))).collect();
            // Column labels run up and to the right at 45°: room above and to the right for
            // the longest (11 px text is about 6.5 px a character, times cos 45°).
            let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0) as f64;
            let reach = longest * 6.5 * std::f64::consts::FRAC_1_SQRT_2 + 12.0;
            let top = reach.max(40.0);
            let columns = names
                .iter()
                .enumerate()
                .map(|(j, n)| HeatLabel {
                    name: n.clone(),
                    x: format!("{:.1}", LABEL_W + j as f64 * CELL + CELL / 2.0 + 4.0),
                    y: format!("{:.1}", top - 6.0),
                })
                .collect();
            let rows = members
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let size = uint(s, "size").unwrap_or(0);
                    let overlap = obj(s, "overlap");
                    let y = top + i as f64 * CELL;
                    HeatRow {
                        name: names[i].clone(),
                        y: format!("{y:.1}"),
                        text_y: format!("{:.1}", y + CELL / 2.0 + 4.0),
                        cells: names
                            .iter()
                            .enumerate()
                            .map(|(j, other)| {
                                let shared = if i == j {
                                    size
                                } else {
                                    overlap.and_then(|o| o.get(other)).and_then(Value::as_u64).unwrap_or(0)
                                };
                                let share = if size == 0 { 0.0 } else { shared as f64 / size as f64 };
                                // White to dark teal; text turns white on dark cells.
                                let t = share.clamp(0.0, 1.0);
                                let mix = |from: f64, to: f64| (from + (to - from) * t).round() as u8;
                                HeatCell {
                                    x: format!("{:.1}", LABEL_W + j as f64 * CELL),
                                    fill: format!(
                                        "#{:02x}{:02x}{:02x}",
                                        mix(255.0, 0.0),
                                        mix(255.0, 105.0),
                                        mix(255.0, 92.0)
                                    ),
                                    text: if size == 0 { "\u{2014}".into() } else { format!("{:.0}", share * 100.0) },
                                    text_x: format!("{:.1}", LABEL_W + j as f64 * CELL + CELL / 2.0),
                                    dark: t > 0.5,
                                    title: format!("{}: {shared} of {size} also in {other}", names[i]),
                                }
                            })
                            .collect(),
                    }
                })
                .collect();
            let n = names.len() as f64;
            Heatmap {
                group,
                width: format!("{:.0}", LABEL_W + n * CELL + reach),
                height: format!("{:.0}", top + n * CELL + 4.0),
                cell: CELL.to_string(),
                label_x: format!("{:.1}", LABEL_W - 8.0),
                top: top.to_string(),
                columns,
                rows,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Segment size over time

#[derive(Serialize)]
struct Sparkline {
    segment: String,
    width: String,
    height: String,
    points: String,
    last_x: String,
    last_y: String,
    first: String,
    last: String,
    runs: usize,
    span: String,
}

/// Per segment with at least two runs in `segment_history` (whole segments, not variants), its
/// size run after run as a sparkline, in the order the segments first appear.
fn sparklines(r: &Value) -> Vec<Sparkline> {
    let Some(points) = arr(r, "segment_history") else { return Vec::new() };
    let f = notation(r);
    let mut series: Vec<(String, Vec<(String, u64)>)> = Vec::new();
    for p in points {
        if text(p, "kind") != Some("run") || p.get("variant").is_some_and(|v| !v.is_null()) {
            continue;
        }
        let (Some(segment), Some(as_of), Some(size)) = (text(p, "segment"), text(p, "as_of"), uint(p, "size")) else {
            continue;
        };
        let entry = match series.iter_mut().find(|(s, _)| s == segment) {
            Some(e) => e,
            None => {
                series.push((segment.to_owned(), Vec::new()));
                series.last_mut().expect("just pushed")
            }
        };
        // One point per as-of date: a rerun of the same month replaces the earlier one.
        entry.1.retain(|(d, _)| d != as_of);
        entry.1.push((as_of.to_owned(), size));
    }
    const W: f64 = 160.0;
    const H: f64 = 28.0;
    series
        .into_iter()
        .filter(|(_, pts)| pts.len() >= 2)
        .map(|(segment, mut pts)| {
            pts.sort();
            let max = pts.iter().map(|p| p.1).max().unwrap_or(1).max(1) as f64;
            let step = W / (pts.len() - 1) as f64;
            let xy: Vec<(f64, f64)> = pts
                .iter()
                .enumerate()
                .map(|(i, p)| (i as f64 * step, H - 3.0 - (H - 6.0) * p.1 as f64 / max))
                .collect();
            let (lx, ly) = *xy.last().expect("two points at least");
            Sparkline {
                segment,
                width: (W + 4.0).to_string(),
                height: H.to_string(),
                points: xy.iter().map(|(x, y)| format!("{:.1},{y:.1}", x + 2.0)).collect::<Vec<_>>().join(" "),
                last_x: format!("{:.1}", lx + 2.0),
                last_y: format!("{ly:.1}"),
                first: f.count(pts[0].1),
                last: f.count(pts[pts.len() - 1].1),
                runs: pts.len(),
                span: format!("{} to {}", pts[0].0, pts[pts.len() - 1].0),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trend_needs_two_runs_and_keeps_one_point_per_date() {
        let r = serde_json::json!({"segment_history": [
            {"kind": "run", "as_of": "2025-05-01", "segment": "vip", "size": 10},
            {"kind": "run", "as_of": "2025-06-01", "segment": "vip", "size": 12},
            {"kind": "run", "as_of": "2025-06-01", "segment": "vip", "size": 14},
            {"kind": "run", "as_of": "2025-06-01", "segment": "vip", "variant": "a", "size": 7},
            {"kind": "run", "as_of": "2025-06-01", "segment": "new", "size": 3},
            {"kind": "measure", "as_of": "2025-07-01", "segment": "vip", "size": 99}
        ]});
        let t = sparklines(&r);
        assert_eq!(t.len(), 1);
        assert_eq!((t[0].segment.as_str(), t[0].runs, t[0].first.as_str(), t[0].last.as_str()), ("vip", 2, "10", "14"));
    }
}
