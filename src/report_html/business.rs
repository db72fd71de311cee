//! The business views of report.html: the first screen (health numbers with their bases and
//! what to do next), merges shown field by field, and segments for marketers (a size-and-value
//! chart, overlap heat maps, money in the register's own notation, drift arrows).
//!
//! Like the rest of `report_html`, these read only report.json and hand the templates finished
//! strings and coordinates.

use super::{arr, fixed, float, obj, scalar, text, uint};
use serde::Serialize;
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Numbers in the register's notation

/// How numbers and money are written in a country.
#[derive(Debug, Clone, Copy)]
pub(super) struct Notation {
    thousands: &'static str,
    decimal: &'static str,
    /// Written before (`£12`) or after (`12 kr`) the amount, with its space.
    currency_before: &'static str,
    currency_after: &'static str,
}

impl Notation {
    /// The notation of a country (ISO alpha-2); a neutral one (`12,345.67`, no currency sign)
    /// for a country not listed or none.
    pub(super) fn of(country: Option<&str>) -> Notation {
        const NBSP: &str = "\u{a0}";
        let n = |thousands, decimal, currency_before, currency_after| Notation {
            thousands,
            decimal,
            currency_before,
            currency_after,
        };
        match country.unwrap_or("") {
            "NO" | "SE" => n(NBSP, ",", "", "\u{a0}kr"),
            "DK" => n(".", ",", "", "\u{a0}kr."),
            "FI" | "FR" => n(NBSP, ",", "", "\u{a0}€"),
            "DE" | "NL" | "AT" | "BE" | "ES" | "IT" => n(".", ",", "", "\u{a0}€"),
            "IE" => n(",", ".", "€", ""),
            "PL" => n(NBSP, ",", "", "\u{a0}zł"),
            "CH" => n("’", ".", "CHF\u{a0}", ""),
            "GB" => n(",", ".", "£", ""),
            "US" => n(",", ".", "$", ""),
            _ => n(",", ".", "", ""),
        }
    }

    /// A whole number with thousands separators: `200 000`.
    pub(super) fn count(&self, n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(self.thousands);
            }
            out.push(c);
        }
        out
    }

    /// An amount of money, rounded to whole units when large: `410 622 kr`, `£1,234.50`.
    pub(super) fn money(&self, amount: f64) -> String {
        let negative = amount < 0.0;
        let a = amount.abs();
        let body = if a >= 1000.0 {
            self.count(a.round() as u64)
        } else {
            let cents = (a * 100.0).round() as u64;
            format!("{}{}{:02}", self.count(cents / 100), self.decimal, cents % 100)
        };
        format!("{}{}{body}{}", if negative { "\u{2212}" } else { "" }, self.currency_before, self.currency_after)
    }

    /// A share as a percentage with one decimal in the notation: `64,7 %`.
    pub(super) fn percent(&self, share: f64) -> String {
        format!("{}\u{a0}%", fixed(share * 100.0, 1).replace('.', self.decimal))
    }
}

pub(super) fn notation(r: &Value) -> Notation {
    Notation::of(r.get("locale").and_then(|l| text(l, "country")))
}

// ---------------------------------------------------------------------------------------------
// The first screen

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

pub(super) fn examples(d: &Value) -> Vec<Example> {
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

// ---------------------------------------------------------------------------------------------
// Segments for marketers

#[derive(Serialize)]
pub(super) struct SegmentChart {
    width: String,
    height: String,
    label_x: String,
    size_x: String,
    value_x: String,
    half: String,
    bar_height: String,
    rows: Vec<ChartRow>,
    size_heading_y: String,
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
pub(super) fn segment_chart(r: &Value) -> Option<SegmentChart> {
    let segments = arr(r, "segments").filter(|s| !s.is_empty())?;
    let f = notation(r);
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
    let values: Vec<f64> =
        segments.iter().map(|s| s.get("revenue_sum").and_then(number).unwrap_or(0.0).max(0.0)).collect();
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
                value: f.money(values[i]),
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
    })
}

/// A money or count value written as a JSON number or a string of one.
fn number(v: &Value) -> Option<f64> {
    v.as_f64().or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

#[derive(Serialize)]
pub(super) struct Heatmap {
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
pub(super) fn heatmaps(r: &Value) -> Vec<Heatmap> {
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
pub(super) struct Trend {
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
pub(super) fn trends(r: &Value) -> Vec<Trend> {
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
            Trend {
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
        let t = trends(&r);
        assert_eq!(t.len(), 1);
        assert_eq!((t[0].segment.as_str(), t[0].runs, t[0].first.as_str(), t[0].last.as_str()), ("vip", 2, "10", "14"));
    }

    #[test]
    fn numbers_in_each_countrys_notation() {
        let no = Notation::of(Some("NO"));
        assert_eq!(no.count(200000), "200\u{a0}000");
        assert_eq!(no.money(410621.68), "410\u{a0}622\u{a0}kr");
        assert_eq!(no.money(12.5), "12,50\u{a0}kr");
        assert_eq!(no.percent(0.647287), "64,7\u{a0}%");
        let gb = Notation::of(Some("GB"));
        assert_eq!(gb.money(1234.5), "£1,235");
        assert_eq!(gb.money(-3.0), "\u{2212}£3.00");
        assert_eq!(Notation::of(None).count(1234567), "1,234,567");
        assert_eq!(Notation::of(Some("DE")).money(999.999), "1.000,00\u{a0}€");
    }
}
