//! The quality report as one self-contained HTML page, for auditors and CRM administrators.
//!
//! `report` builds the machine report (`report.json`); this module only lays those numbers out
//! for people. It reads nothing but the JSON it is given, and that JSON holds counts, hashes,
//! header names and already-masked value shapes, never a customer's data, so the page cannot
//! show personal data either.
//!
//! The work is split in two. Rust reads the JSON into one small view per section: the texts to
//! show, every number already formatted and every SVG coordinate (the flow picture, bar widths,
//! the histogram) already computed. The markup lives in the templates in `src/report_html/`
//! (`page.html`, then one `<section id>.html` per section), compiled into the binary and rendered
//! with minijinja. A template only places what its view gives it: it does no arithmetic and
//! formats no number.
//!
//! Invariants:
//! - every key is optional (older runs, runs without rules): a missing or mistyped key skips its
//!   row or section, it never panics;
//! - the page is self-contained and inert: inline `<style>` and inline SVG only, no script, no
//!   link, no image, and a Content-Security-Policy that forbids fetching anything, so it opens
//!   offline and cannot call home; the templates are embedded at compile time, so rendering
//!   reads no file either;
//! - the same JSON gives the same bytes: maps are walked in the JSON's order and floats are
//!   printed with fixed decimals;
//! - every value a template prints is escaped (`& < > " '`) unless it is markup the templates
//!   wrote themselves: escaping is the engine's default, not something each template remembers.

mod business;

use std::fmt::{self, Write};
use std::sync::LazyLock;

use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior};
use serde::Serialize;
use serde_json::{Map, Value};

/// Palette shared by the legends, bars and flow boxes. The four quality colours are Material
/// 800-level shades: they keep at least 4.5:1 contrast against white text and stay distinct
/// in greyscale print.
const VALID: &str = "#2e7d32";
const FIXED: &str = "#1565c0";
/// Reformatted values are valid values written another way: a lighter green.
const REFORMATTED: &str = "#81c784";
const INVALID: &str = "#c62828";
const MISSING: &str = "#9e9e9e";
const NEUTRAL: &str = "#37474f";
const MERGED: &str = "#616161";
const STALE: &str = "#bf360c";
const FRESH: &str = "#00695c";

/// Width of every SVG drawing, in user units: the content width of the page (1000px less padding).
const SVG_WIDTH: f64 = 960.0;

/// The templates by name; a section's template is named after its anchor.
const TEMPLATES: [(&str, &str); 12] = [
    ("glance.html", include_str!("report_html/glance.html")),
    ("page.html", include_str!("report_html/page.html")),
    ("header.html", include_str!("report_html/header.html")),
    ("macros.html", include_str!("report_html/macros.html")),
    ("summary.html", include_str!("report_html/summary.html")),
    ("flow.html", include_str!("report_html/flow.html")),
    ("fields.html", include_str!("report_html/fields.html")),
    ("mapping.html", include_str!("report_html/mapping.html")),
    ("dedup.html", include_str!("report_html/dedup.html")),
    ("stale.html", include_str!("report_html/stale.html")),
    ("segments.html", include_str!("report_html/segments.html")),
    ("quarantine.html", include_str!("report_html/quarantine.html")),
];

/// The page's inline style sheet, given to `page.html` as markup.
const CSS: &str = include_str!("report_html/style.css");

/// The templates, parsed once per process.
static TEMPLATE_ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    // A block tag alone on its line leaves no trace, so the templates can be laid out for
    // reading while the page keeps one element per line.
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    // A misspelt name in a template fails the render (and so the tests) instead of printing nothing.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_formatter(print_escaped);
    env.add_global("css", minijinja::Value::from_safe_string(CSS.to_owned()));
    for (name, source) in TEMPLATES {
        if let Err(e) = env.add_template(name, source) {
            panic!("report template {name} does not parse: {e:#}");
        }
    }
    env
});

/// Renders `report.json` (already parsed) as a complete HTML document.
#[must_use]
pub fn render(report: &Value) -> String {
    match TEMPLATE_ENV.get_template("page.html").and_then(|page| page.render(Page::of(report))) {
        Ok(html) => html,
        // The views are built so that every template renders every report; the unit tests hold
        // malformed reports to that.
        Err(e) => panic!("report templates failed to render: {e:#}"),
    }
}

/// How a template prints a value: text through [`Esc`], markup marked safe as it is. The
/// engine's own escaper would also turn `/` into `&#x2f;` and `'` into `&#x27;`, changing the
/// bytes of pages that are compared across versions. Printing a missing value is a bug in a
/// template (it would show "none"), so it fails instead.
fn print_escaped(out: &mut Output, state: &State, value: &minijinja::Value) -> Result<(), Error> {
    if value.is_none() || value.is_undefined() {
        return Err(Error::new(ErrorKind::InvalidOperation, "a report template printed a missing value"));
    }
    if value.is_safe() || state.auto_escape() == AutoEscape::None {
        write!(out, "{value}")?;
    } else {
        write!(out, "{}", Esc(&value.to_string()))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The page

/// Everything `page.html` and the section templates read. A section's view is `None` when the
/// report has nothing for it; the section and its entry in the contents list are then left out.
#[derive(Serialize)]
struct Page {
    as_of: Option<String>,
    version: Option<String>,
    header: Header,
    /// report.json `warnings[]`: messages only (they name files, columns and counts, never
    /// values), shown above everything else.
    warnings: Vec<String>,
    /// The sections that have a view, in page order.
    sections: Vec<SectionRef>,
    glance: Option<business::Glance>,
    summary: Option<Summary>,
    flow: Option<FlowView>,
    fields: Option<Fields>,
    mapping: Option<Vec<Mapping>>,
    dedup: Option<Dedup>,
    stale: Option<Stale>,
    segments: Option<Segments>,
    quarantine: Option<Quarantine>,
}

#[derive(Serialize)]
struct SectionRef {
    /// The anchor, and the name of the section's template (`<id>.html`).
    id: &'static str,
    title: &'static str,
    /// The run summary, which stays on the first printed page with the header; every other
    /// section starts a page of its own.
    first: bool,
    /// Technical sections come after the business ones, folded in a `<details>`.
    technical: bool,
    /// The first technical section, which opens the "Technical details" part.
    first_technical: bool,
}

impl Page {
    fn of(r: &Value) -> Page {
        let mut page = Page {
            as_of: text(r, "as_of").map(str::to_owned),
            version: r.get("tool").and_then(|t| text(t, "version")).map(str::to_owned),
            header: header(r),
            warnings: arr(r, "warnings").into_iter().flatten().map(|w| scalar(w.get("message"))).collect(),
            sections: Vec::new(),
            glance: business::glance(r),
            summary: summary(r),
            flow: flow(r).map(flow_view),
            fields: fields(r),
            mapping: mapping(r),
            dedup: dedup(r),
            stale: stale(r),
            segments: segments(r),
            quarantine: quarantine(r),
        };
        // Anchor, heading, whether there is a view, and whether it is technical (after the
        // business sections, folded), in page order: the questions a CRM administrator asks
        // first come first.
        let sections = [
            ("glance", "At a glance", page.glance.is_some(), false),
            ("dedup", "Duplicates", page.dedup.is_some(), false),
            ("stale", "Stale records", page.stale.is_some(), false),
            ("segments", "Segments", page.segments.is_some(), false),
            ("fields", "Field quality", page.fields.is_some(), false),
            ("quarantine", "Quarantine", page.quarantine.is_some(), false),
            ("flow", "Flow of every row", page.flow.is_some(), true),
            ("summary", "Inputs, reconciliation and settings", page.summary.is_some(), true),
            ("mapping", "Header mapping", page.mapping.is_some(), true),
        ];
        page.sections = sections
            .into_iter()
            .filter(|(_, _, shown, _)| *shown)
            .enumerate()
            .map(|(i, (id, title, _, technical))| SectionRef {
                id,
                title,
                first: i == 0,
                technical,
                first_technical: false,
            })
            .collect();
        if let Some(s) = page.sections.iter_mut().find(|s| s.technical) {
            s.first_technical = true;
        }
        page
    }
}

/// A label and its value, for the two-column tables.
#[derive(Serialize)]
struct Figure {
    label: &'static str,
    value: String,
}

#[derive(Serialize, Clone, Copy)]
struct LegendItem {
    label: &'static str,
    colour: &'static str,
}

// ---------------------------------------------------------------------------------------------
// Header

#[derive(Serialize)]
struct Header {
    tool: Option<Tool>,
    /// `argument`, `today` or any other text, shown after the date.
    as_of_source: Option<String>,
    verdict: Option<Verdict>,
    checks: Vec<GateCheck>,
}

#[derive(Serialize)]
struct Tool {
    name: String,
    version: String,
}

#[derive(Serialize)]
struct Verdict {
    word: &'static str,
    colour: &'static str,
}

#[derive(Serialize)]
struct GateCheck {
    name: String,
    limit: String,
    value: String,
    passed: Option<bool>,
}

fn header(r: &Value) -> Header {
    let gates = r.get("quality_gates");
    let tool = r.get("tool").and_then(|tool| {
        let name = text(tool, "name").unwrap_or("regclean");
        Some(Tool { name: name.to_owned(), version: text(tool, "version")?.to_owned() })
    });
    let verdict = gates.and_then(|g| g.get("passed")).and_then(Value::as_bool).map(|passed| {
        if passed { Verdict { word: "PASSED", colour: VALID } } else { Verdict { word: "FAILED", colour: INVALID } }
    });
    let checks = gates
        .and_then(|g| arr(g, "checks"))
        .into_iter()
        .flatten()
        .map(|check| GateCheck {
            name: scalar(check.get("name")),
            limit: scalar(check.get("limit")),
            value: scalar(check.get("value")),
            passed: check.get("passed").and_then(Value::as_bool),
        })
        .collect();
    Header { tool, as_of_source: text(r, "as_of_source").map(str::to_owned), verdict, checks }
}

// ---------------------------------------------------------------------------------------------
// Run summary

const RECONCILIATION_KEYS: [(&str, &str); 7] = [
    ("lines_read", "Lines read"),
    ("header_lines", "Header lines"),
    ("blank_lines", "Blank lines"),
    ("continuation_lines", "Continuation lines"),
    ("rows_read", "Rows read"),
    ("rows_accepted", "Rows accepted"),
    ("rows_quarantined", "Rows quarantined"),
];

#[derive(Serialize)]
struct Summary {
    inputs: Vec<Input>,
    reconciliation: Option<Reconciliation>,
    hashes: Vec<Figure>,
    /// Formula-like cells in the CSV exports, neutralised so a spreadsheet does not evaluate them.
    cells_neutralised: Option<String>,
}

#[derive(Serialize)]
struct Input {
    file: String,
    sha256: String,
    encoding: String,
    delimiter: Delimiter,
    excel_sep_line: String,
    stray_lines_decoded: String,
}

#[derive(Serialize)]
struct Delimiter {
    text: String,
    /// Shown as the character itself, in code type, rather than as a name.
    is_code: bool,
}

#[derive(Serialize)]
struct Reconciliation {
    labels: Vec<&'static str>,
    rows: Vec<ReconciliationRow>,
}

#[derive(Serialize)]
struct ReconciliationRow {
    name: String,
    cells: Vec<String>,
    total: bool,
}

fn summary(r: &Value) -> Option<Summary> {
    let inputs = arr(r, "inputs").map_or(&[][..], Vec::as_slice);
    let row = |name: String, rec: &Value, total: bool| ReconciliationRow {
        name,
        cells: RECONCILIATION_KEYS.iter().map(|(key, _)| scalar(rec.get(key))).collect(),
        total,
    };
    let mut rows: Vec<ReconciliationRow> = inputs
        .iter()
        .filter_map(|input| {
            let rec = input.get("reconciliation").filter(|v| v.is_object())?;
            Some(row(scalar(input.get("file")), rec, false))
        })
        .collect();
    rows.extend(r.get("reconciliation").filter(|v| v.is_object()).map(|total| row("Total".to_owned(), total, true)));
    let summary = Summary {
        inputs: inputs
            .iter()
            .map(|input| Input {
                file: scalar(input.get("file")),
                sha256: scalar(input.get("sha256")),
                encoding: scalar(input.get("encoding")),
                delimiter: delimiter(input.get("delimiter")),
                excel_sep_line: scalar(input.get("excel_sep_line")),
                stray_lines_decoded: scalar(input.get("stray_lines_decoded")),
            })
            .collect(),
        reconciliation: (!rows.is_empty())
            .then(|| Reconciliation { labels: RECONCILIATION_KEYS.iter().map(|(_, label)| *label).collect(), rows }),
        hashes: [("config_sha256", "Configuration SHA-256"), ("rules_sha256", "Rules SHA-256")]
            .into_iter()
            .filter_map(|(key, label)| Some(Figure { label, value: text(r, key)?.to_owned() }))
            .collect(),
        cells_neutralised: r.get("spreadsheet_cells_neutralised").map(|cells| scalar(Some(cells))),
    };
    let empty = summary.inputs.is_empty()
        && summary.reconciliation.is_none()
        && summary.hashes.is_empty()
        && summary.cells_neutralised.is_none();
    (!empty).then_some(summary)
}

/// A delimiter is invisible or ambiguous as a bare character: name the common ones.
fn delimiter(v: Option<&Value>) -> Delimiter {
    let named = |name: &str| Delimiter { text: name.to_owned(), is_code: false };
    match v.and_then(Value::as_str) {
        Some("\t") => named("tab"),
        Some(" ") => named("space"),
        Some(d) => Delimiter { text: d.to_owned(), is_code: true },
        None => named(&scalar(v)),
    }
}

// ---------------------------------------------------------------------------------------------
// Flow

struct Node {
    label: &'static str,
    value: u64,
    column: usize,
    colour: &'static str,
}

struct Flow {
    nodes: Vec<Node>,
    /// (from, to) indices into `nodes`; a node's outgoing links are stacked in this order.
    links: Vec<(usize, usize)>,
    /// Sums the reader can verify.
    checks: Vec<Check>,
}

/// A sum the reader can verify, marked with whether it adds up; or, without a mark, a remark.
#[derive(Serialize)]
struct Check {
    text: String,
    mark: Option<Mark>,
}

#[derive(Serialize, Clone, Copy)]
struct Mark {
    /// The CSS class of the mark (`ok` or `bad`).
    class: &'static str,
    text: &'static str,
}

const ADDS_UP: Mark = Mark { class: "ok", text: "\u{2713}" };
const DOES_NOT_ADD_UP: Mark = Mark { class: "bad", text: "\u{2717} does not add up" };

/// Collects the stages that the report has numbers for. Each stage needs the previous one: a
/// flow that skipped a stage would not add up.
fn flow(r: &Value) -> Option<Flow> {
    let rec = r.get("reconciliation")?;
    let read = uint(rec, "rows_read")?;
    let accepted = uint(rec, "rows_accepted")?;
    let quarantined = uint(rec, "rows_quarantined")?;
    let mut f = Flow { nodes: Vec::new(), links: Vec::new(), checks: Vec::new() };
    let node = |label, value, column, colour| Node { label, value, column, colour };
    f.nodes.push(node("Rows read", read, 0, NEUTRAL));
    f.nodes.push(node("Accepted", accepted, 1, VALID));
    f.nodes.push(node("Quarantined", quarantined, 1, INVALID));
    f.links.extend([(0, 1), (0, 2)]);
    f.checks.push(sum_check("rows read", read, &[("quarantined", quarantined), ("accepted", accepted)]));

    let dedup = r.get("dedup");
    let golden = dedup.and_then(|d| uint(d, "golden_records"));
    let merged = dedup.and_then(|d| uint(d, "rows_merged_into_another"));
    let (Some(golden), Some(merged)) = (golden, merged) else { return Some(f) };
    f.nodes.push(node("Golden records", golden, 2, FIXED));
    f.nodes.push(node("Merged into another", merged, 2, MERGED));
    f.links.extend([(1, 3), (1, 4)]);
    f.checks.push(sum_check("accepted", accepted, &[("merged into another", merged), ("golden records", golden)]));

    let Some(stale) = r.get("stale").and_then(|s| uint(s, "stale_records")) else { return Some(f) };
    let fresh = golden.saturating_sub(stale);
    f.nodes.push(node("Fresh", fresh, 3, FRESH));
    f.nodes.push(node("Stale", stale, 3, STALE));
    f.links.extend([(3, 5), (3, 6)]);
    f.checks.push(sum_check("golden records", golden, &[("stale", stale), ("fresh", fresh)]));

    let Some(in_segments) = r.get("segment_reach").and_then(|s| uint(s, "fresh_in_segments")) else { return Some(f) };
    let outside = fresh.saturating_sub(in_segments);
    f.nodes.push(node("In a segment", in_segments, 4, VALID));
    f.nodes.push(node("In no segment", outside, 4, NEUTRAL));
    f.links.extend([(5, 7), (5, 8)]);
    f.checks.push(sum_check("fresh", fresh, &[("in a segment", in_segments), ("in no segment", outside)]));
    if let Some(stale_in) = r.get("segment_reach").and_then(|s| uint(s, "stale_in_segments")) {
        f.checks.push(Check {
            text: format!("{stale_in} stale records are in segments that include stale records (win-back)"),
            mark: None,
        });
    }
    Some(f)
}

fn sum_check(whole_name: &str, whole: u64, parts: &[(&str, u64)]) -> Check {
    let sum: u64 = parts.iter().map(|(_, v)| v).sum();
    let terms: Vec<String> = parts.iter().map(|(name, v)| format!("{v} {name}")).collect();
    let (op, mark) = if sum == whole { ("=", ADDS_UP) } else { ("\u{2260}", DOES_NOT_ADD_UP) };
    Check { text: format!("{whole} {whole_name} {op} {}", terms.join(" + ")), mark: Some(mark) }
}

#[derive(Serialize)]
struct FlowView {
    width: String,
    height: String,
    links: Vec<FlowLink>,
    nodes: Vec<FlowBox>,
    checks: Vec<Check>,
    /// Whether the flow reaches the stale stage, which the caption then explains.
    has_stale: bool,
}

#[derive(Serialize)]
struct FlowLink {
    /// The band's outline, an SVG path.
    path: String,
    colour: &'static str,
}

#[derive(Serialize)]
struct FlowBox {
    label: &'static str,
    value: u64,
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
enum BoxText {
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

fn flow_view(f: Flow) -> FlowView {
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
            value: n.value,
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

// ---------------------------------------------------------------------------------------------
// Field quality

const QUALITY: [(&str, &str, &str); 5] = [
    ("valid", "Valid", VALID),
    ("reformatted", "Reformatted", REFORMATTED),
    ("repaired", "Repaired", FIXED),
    ("invalid", "Invalid", INVALID),
    ("missing", "Missing", MISSING),
];

/// A field's count of one quality: a report from before `reformatted` and `repaired` were
/// told apart counts its `fixed` values as repaired.
fn quality_count(q: &Value, key: &str) -> Option<u64> {
    let split = q.get("reformatted").is_some() || q.get("repaired").is_some();
    match key {
        "repaired" if !split => uint(q, "fixed"),
        _ => uint(q, key),
    }
}

/// How many masked invalid shapes to list under a field.
const TOP_PATTERNS: usize = 5;

#[derive(Serialize)]
struct Fields {
    /// The quality levels in bar order; also the count columns' headings.
    legend: Vec<LegendItem>,
    rows: Vec<FieldRow>,
}

#[derive(Serialize)]
struct FieldRow {
    name: String,
    bar: StackedBar,
    /// One per quality level, as the JSON has it.
    counts: Vec<String>,
    patterns: Vec<Pattern>,
}

#[derive(Serialize)]
struct Pattern {
    pattern: String,
    count: String,
}

#[derive(Serialize)]
struct StackedBar {
    width: String,
    height: String,
    /// The counts as words, for screen readers.
    label: String,
    /// No counts at all: the bar is drawn as one grey stripe.
    empty: bool,
    parts: Vec<BarPart>,
}

#[derive(Serialize)]
struct BarPart {
    x: String,
    width: String,
    colour: &'static str,
    label: &'static str,
    count: u64,
    percent: String,
}

fn fields(r: &Value) -> Option<Fields> {
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
                    .map(|(key, _, _)| quality_count(q, key).map_or_else(|| scalar(q.get(*key)), |c| c.to_string()))
                    .collect(),
                patterns: top_patterns(q),
            }
        })
        .collect();
    Some(Fields { legend: QUALITY.iter().map(|&(_, label, colour)| LegendItem { label, colour }).collect(), rows })
}

/// The most frequent masked shapes, most frequent first; ties keep the JSON's order.
fn top_patterns(q: &Value) -> Vec<Pattern> {
    let Some(list) = arr(q, "invalid_patterns") else { return Vec::new() };
    let mut found: Vec<(u64, Pattern)> = list
        .iter()
        .filter_map(|p| {
            let count = p.get("count");
            let pattern = Pattern { pattern: scalar(Some(p.get("pattern")?)), count: scalar(count) };
            Some((count.and_then(as_count).unwrap_or(0), pattern))
        })
        .collect();
    found.sort_by_key(|p| std::cmp::Reverse(p.0));
    found.into_iter().take(TOP_PATTERNS).map(|(_, p)| p).collect()
}

fn stacked_bar(name: &str, counts: &[u64]) -> StackedBar {
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

// ---------------------------------------------------------------------------------------------
// Header mapping

/// One input's header line: what each column was recognised as.
#[derive(Serialize)]
struct Mapping {
    file: String,
    columns: Vec<MappedColumn>,
}

#[derive(Serialize)]
struct MappedColumn {
    column: String,
    header: String,
    /// The canonical field, or `None` for a column kept as it is.
    field: Option<String>,
    how: String,
}

fn mapping(r: &Value) -> Option<Vec<Mapping>> {
    let tables: Vec<Mapping> = arr(r, "inputs")?
        .iter()
        .enumerate()
        .filter_map(|(i, input)| {
            let mapping = arr(input, "header_mapping").filter(|m| !m.is_empty())?;
            Some(Mapping {
                file: text(input, "file").map_or_else(|| format!("Input {}", i + 1), str::to_owned),
                columns: mapping
                    .iter()
                    .map(|m| MappedColumn {
                        column: scalar(m.get("column")),
                        header: scalar(m.get("header")),
                        field: m.get("field").and_then(Value::as_str).map(str::to_owned),
                        how: scalar(m.get("how")),
                    })
                    .collect(),
            })
        })
        .collect();
    (!tables.is_empty()).then_some(tables)
}

// ---------------------------------------------------------------------------------------------
// Dedup

const DEDUP_KEYS: [(&str, &str); 7] = [
    ("pairs_scored", "Pairs scored"),
    ("pairs_written", "Pairs written"),
    ("links", "Links"),
    ("links_refused_for_contrary_evidence", "Links refused for contrary evidence"),
    ("golden_records", "Golden records"),
    ("rows_merged_into_another", "Rows merged into another"),
    ("prior", "Prior"),
];

const NAMESAKE_KEYS: [(&str, &str); 3] = [
    ("name_and_birth_date_only_links", "Links on name and birth date alone"),
    ("refused_links", "of which refused as likely coincidences"),
    ("expected_coincidental_pairs", "Chance pairs expected among them"),
];

#[derive(Serialize)]
struct Dedup {
    /// The match-weight threshold in bits, two decimals.
    threshold: Option<String>,
    figures: Vec<Figure>,
    blocking: Vec<BlockingRule>,
    clusters: Vec<ClusterSize>,
    histogram: Option<Histogram>,
    comparisons: Vec<Comparison>,
    examples: Vec<business::Example>,
}

#[derive(Serialize)]
struct BlockingRule {
    rule: String,
    candidate_pairs: String,
    capped_blocks: String,
    largest_capped_block: String,
}

#[derive(Serialize)]
struct ClusterSize {
    size: String,
    golden_records: String,
    /// size × golden records; empty when either is not a count.
    rows: String,
}

#[derive(Serialize)]
struct Comparison {
    name: String,
    levels: Vec<Level>,
}

#[derive(Serialize)]
struct Level {
    name: String,
    m: String,
    u: String,
    weight: String,
}

fn dedup(r: &Value) -> Option<Dedup> {
    let d = r.get("dedup").filter(|d| d.as_object().is_some_and(|m| !m.is_empty()))?;
    let threshold = float(d, "threshold_match_weight");
    let mut figures: Vec<Figure> = DEDUP_KEYS
        .iter()
        .filter_map(|&(key, label)| {
            let v = d.get(key)?;
            let value = match (key, v.as_f64()) {
                ("prior", Some(p)) => fixed(p, 4),
                _ => scalar(Some(v)),
            };
            Some(Figure { label, value })
        })
        .collect();
    if let Some(n) = d.get("namesakes") {
        figures.extend(
            NAMESAKE_KEYS.iter().filter_map(|&(key, label)| Some(Figure { label, value: scalar(Some(n.get(key)?)) })),
        );
    }
    let blocking = arr(d, "blocking")
        .into_iter()
        .flatten()
        .map(|b| BlockingRule {
            rule: scalar(b.get("rule")),
            candidate_pairs: scalar(b.get("candidate_pairs")),
            capped_blocks: scalar(b.get("capped_blocks")),
            largest_capped_block: scalar(b.get("largest_capped_block")),
        })
        .collect();
    let clusters = obj(d, "clusters_by_size")
        .into_iter()
        .flatten()
        .map(|(size, count)| ClusterSize {
            size: size.clone(),
            golden_records: scalar(Some(count)),
            rows: match (size.parse::<u64>(), as_count(count)) {
                (Ok(s), Some(c)) => s.checked_mul(c).map_or_else(String::new, |v| v.to_string()),
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
    Some(Dedup {
        threshold: threshold.map(|t| fixed(t, 2)),
        figures,
        blocking,
        clusters,
        histogram: obj(d, "match_weight_histogram").and_then(|h| histogram(h, threshold)),
        comparisons,
        examples: business::examples(d),
    })
}

fn level(level: &Value) -> Level {
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
struct Histogram {
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
struct Bin {
    weight: i64,
    mid_x: String,
    /// Whether the bin's weight is written under the axis.
    tick: bool,
    bar: Option<BinBar>,
}

#[derive(Serialize)]
struct BinBar {
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
struct ThresholdLine {
    x: String,
    top: String,
    label_x: String,
    label_y: String,
    anchor: &'static str,
    colour: &'static str,
}

fn histogram(hist: &Map<String, Value>, threshold: Option<f64>) -> Option<Histogram> {
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
// Stale

#[derive(Serialize)]
struct Stale {
    figures: Vec<Figure>,
    by_reason: Option<ReasonChart>,
    /// Stale rules that could not run, `None` when the report does not say.
    skipped: Option<Vec<String>>,
}

/// One bar per stale reason, drawn against the golden records.
#[derive(Serialize)]
struct ReasonChart {
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
struct ReasonBar {
    reason: String,
    y: String,
    text_y: String,
    width: String,
    count: u64,
    /// Of the golden records.
    share: Option<String>,
}

fn stale(r: &Value) -> Option<Stale> {
    let s = r.get("stale").filter(|s| s.as_object().is_some_and(|m| !m.is_empty()))?;
    let golden = uint(s, "golden_records");
    let figures = [
        ("golden_records", "Golden records"),
        ("stale_records", "Stale records"),
        ("inactive_after_months", "Inactive after (months)"),
    ]
    .into_iter()
    .filter_map(|(key, label)| Some(Figure { label, value: scalar(Some(s.get(key)?)) }))
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

// ---------------------------------------------------------------------------------------------
// Segments

/// How many overlapping segments to name per segment.
const TOP_OVERLAPS: usize = 3;

const DRIFT_KEYS: [(&str, &str); 4] =
    [("previous_size", "Previous"), ("entered", "Entered"), ("left", "Left"), ("stayed", "Stayed")];

#[derive(Serialize)]
struct Segments {
    /// The drift columns' headings, empty when no segment has drift numbers.
    drift_labels: Vec<&'static str>,
    rows: Vec<SegmentRow>,
    overlaps: Vec<SegmentOverlaps>,
    chart: Option<business::SegmentChart>,
    heatmaps: Vec<business::Heatmap>,
    trends: Vec<business::Trend>,
}

#[derive(Serialize)]
struct SegmentRow {
    name: String,
    description: String,
    size: String,
    share: String,
    holdout: String,
    require_consent: String,
    include_stale: String,
    revenue_sum: String,
    revenue_mean: String,
    drift: Vec<String>,
    /// `▲ +12` or `▼ −5` against the previous run, when it is known.
    trend: Option<Trend>,
}

#[derive(Serialize)]
struct Trend {
    text: String,
    class: &'static str,
}

/// A segment and the segments it shares most members with.
#[derive(Serialize)]
struct SegmentOverlaps {
    name: String,
    top: Vec<Overlap>,
}

#[derive(Serialize)]
struct Overlap {
    name: String,
    members: u64,
    /// Of the segment's size, when the size is known and not zero.
    percent: Option<String>,
}

fn segments(r: &Value) -> Option<Segments> {
    let segments = arr(r, "segments").filter(|s| !s.is_empty())?;
    let has_drift = segments.iter().any(|s| DRIFT_KEYS.iter().any(|(k, _)| s.get(k).is_some()));
    let f = business::notation(r);
    let money = |v: Option<&Value>| match v.and_then(|v| v.as_f64().or_else(|| v.as_str()?.parse().ok())) {
        Some(x) => f.money(x),
        None => scalar(v),
    };
    let rows = segments
        .iter()
        .map(|s| SegmentRow {
            name: scalar(s.get("name")),
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
            revenue_sum: money(s.get("revenue_sum")),
            revenue_mean: money(s.get("revenue_mean")),
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
        chart: business::segment_chart(r),
        heatmaps: business::heatmaps(r),
        trends: business::trends(r),
    })
}

// ---------------------------------------------------------------------------------------------
// Quarantine

#[derive(Serialize)]
struct Quarantine {
    rows: Option<String>,
    reasons: Vec<QuarantineReason>,
}

#[derive(Serialize)]
struct QuarantineReason {
    reason: String,
    rows: String,
    /// `file:line` of the quarantined rows the report lists.
    lines: Vec<String>,
    /// Set when the report lists only the first of the reason's rows.
    first_of: Option<FirstOf>,
}

#[derive(Serialize)]
struct FirstOf {
    listed: usize,
    rows: u64,
}

fn quarantine(r: &Value) -> Option<Quarantine> {
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
            QuarantineReason { reason: reason.clone(), rows: scalar(count), lines: listed, first_of }
        })
        .collect();
    let rows = q.get("rows").map(|rows| scalar(Some(rows)));
    (rows.is_some() || !reasons.is_empty()).then_some(Quarantine { rows, reasons })
}

// ---------------------------------------------------------------------------------------------
// Reading the JSON without trusting its shape

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)?.as_str()
}

fn obj<'a>(v: &'a Value, key: &str) -> Option<&'a Map<String, Value>> {
    v.get(key)?.as_object()
}

fn arr<'a>(v: &'a Value, key: &str) -> Option<&'a Vec<Value>> {
    v.get(key)?.as_array()
}

fn float(v: &Value, key: &str) -> Option<f64> {
    v.get(key)?.as_f64()
}

fn uint(v: &Value, key: &str) -> Option<u64> {
    as_count(v.get(key)?)
}

/// A count, also when a writer printed it as a float (`12.0`).
fn as_count(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| {
        let f = v.as_f64()?;
        (f >= 0.0 && f.fract() == 0.0 && f < u64::MAX as f64).then_some(f as u64)
    })
}

/// Any JSON value as short text: the same number or string the JSON holds.
fn scalar(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "\u{2014}".to_owned(),
        Some(Value::Bool(true)) => "yes".to_owned(),
        Some(Value::Bool(false)) => "no".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// Fixed decimals, without the `-0.00` that rounding a tiny negative number gives.
fn fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "\u{2014}".to_owned();
    }
    let s = format!("{x:.decimals$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_owned(),
        _ => s,
    }
}

/// Four significant digits: fixed notation down to 0.001, scientific below.
fn significant4(x: f64) -> String {
    if !x.is_finite() {
        return "\u{2014}".to_owned();
    }
    if x == 0.0 {
        return "0".to_owned();
    }
    let magnitude = x.abs().log10().floor();
    if x.abs() < 1e-3 || magnitude >= 15.0 {
        return format!("{x:.3e}");
    }
    let decimals = (3.0 - magnitude).max(0.0) as usize;
    fixed(x, decimals)
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "\u{2014}".to_owned();
    }
    format!("{}\u{a0}%", fixed(part as f64 * 100.0 / whole as f64, 1))
}

/// Escapes text for HTML content and attribute values.
struct Esc<'a>(&'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match c {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&#39;")?,
                _ => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A small report that touches every section, with a hostile header name.
    fn sample() -> Value {
        json!({
            "tool": {"name": "regclean", "version": "9.8.7"},
            "as_of": "2025-06-30",
            "as_of_source": "argument",
            "config_sha256": "c0ffee",
            "rules_sha256": "bead5",
            "inputs": [{
                "file": "crm.csv",
                "sha256": "abc123",
                "encoding": "windows-1252",
                "stray_lines_decoded": 2,
                "delimiter": ";",
                "excel_sep_line": true,
                "header_mapping": [
                    {"column": 1, "header": "E-post", "field": "email", "how": "dictionary"},
                    {"column": 2, "header": "<b>&\"x\"", "field": null, "how": "pass-through"}
                ],
                "reconciliation": {"lines_read": 1240, "header_lines": 1, "blank_lines": 3, "continuation_lines": 2,
                    "rows_read": 1234, "rows_accepted": 1200, "rows_quarantined": 34}
            }],
            "reconciliation": {"lines_read": 1240, "header_lines": 1, "blank_lines": 3, "continuation_lines": 2,
                "rows_read": 1234, "rows_accepted": 1200, "rows_quarantined": 34},
            "fields": {
                "email": {"valid": 1100, "fixed": 50, "invalid": 30, "missing": 20,
                    "invalid_patterns": [{"pattern": "*****@gmial.com", "count": 7}, {"pattern": "****", "count": 11}]},
                "postcode": {"valid": 1200, "fixed": 0, "invalid": 0, "missing": 0}
            },
            "quarantine": {"rows": 34, "by_reason": {"wrong number of fields": 34},
                "lines_by_reason": {"wrong number of fields": [{"file": "crm.csv", "line": 17}, {"file": "crm.csv", "line": 99}]}},
            "dedup": {
                "threshold_match_weight": 12.0,
                "blocking": [{"rule": "email", "candidate_pairs": 4321, "capped_blocks": 1, "largest_capped_block": 900}],
                "pairs_scored": 5000, "pairs_written": 4000, "links": 150, "links_refused_for_contrary_evidence": 3,
                "golden_records": 1077, "rows_merged_into_another": 123,
                "namesakes": {"name_and_birth_date_only_links": 61, "expected_coincidental_pairs": 48.5,
                    "refused": true, "refused_links": 29, "patterns": []},
                "clusters_by_size": {"1": 980, "2": 91, "3": 6},
                "match_weight_histogram": {"-3": 40, "0": 12, "12": 5, "30": 88},
                "prior": 0.833911905,
                "model": {"comparisons": [{"name": "email", "levels": [
                    {"name": "exact", "m": 0.9, "u": 0.001},
                    {"name": "else", "m": 0.1, "u": 0.999}
                ]}]}
            },
            "stale": {"inactive_after_months": 24, "golden_records": 1077, "stale_records": 377,
                "by_reason": {"inactive": 300, "no_consent": 111}, "reasons_skipped": ["bounced"]},
            "segments": [
                {"name": "newsletter", "description": "All <reachable> subscribers", "size": 555, "share": 0.5153,
                    "holdout": 55, "holdout_percent": 10.0, "require_consent": "email", "include_stale": false,
                    "revenue_sum": "410621.68", "revenue_mean": "739.86", "overlap": {"vip": 42},
                    "entered": 12, "left": 4, "stayed": 543, "previous_size": 547},
                {"name": "vip", "description": "Big spenders", "size": 42, "share": 0.039, "holdout": 0,
                    "holdout_percent": 0.0, "require_consent": "none", "include_stale": true,
                    "revenue_sum": "99.00", "revenue_mean": "2.36", "overlap": {"newsletter": 42}}
            ],
            "quality_gates": {"passed": false, "checks": [
                {"name": "quarantine_share", "limit": 0.01, "value": 0.0276, "passed": false}
            ]}
        })
    }

    #[test]
    fn every_section_is_rendered_with_the_report_numbers() {
        let html = render(&sample());
        for expected in [
            "<svg",
            "regclean data-quality report",
            "9.8.7",
            "2025-06-30",
            "given with <code>--as-of</code>",
            "Quality gates FAILED",
            "abc123",
            "bead5",
            "1234",
            "1200",
            "1077",
            "377",
            "700 fresh",
            "1234 rows read = 34 quarantined + 1200 accepted",
            "1200 accepted = 123 merged into another + 1077 golden records",
            "1077 golden records = 377 stale + 700 fresh",
            "*****@gmial.com",
            "4321",
            "Links on name and birth date alone</th><td class=\"n\">61<",
            "refused as likely coincidences</th><td class=\"n\">29<",
            "48.5",
            "threshold 12.00 bits",
            "9.81",   // log2(0.9 / 0.001)
            "-3.32",  // log2(0.1 / 0.999)
            "0.0010", // u to four significant digits
            "0.8339",
            "51.5\u{a0}%",
            "410,622", // revenue in the register's notation (none here: plain thousands)
            "543",
            "crm.csv:17, crm.csv:99",
            "<code>bounced</code>",
            "Generated by regclean 9.8.7; contains no personal data.",
        ] {
            assert!(html.contains(expected), "missing {expected:?}");
        }
        // Business sections first, then the technical ones, folded.
        let order = [
            "id=\"dedup\"",
            "id=\"stale\"",
            "id=\"segments\"",
            "id=\"fields\"",
            "id=\"quarantine\"",
            "Technical details",
            "id=\"flow\"",
            "id=\"summary\"",
            "id=\"mapping\"",
            "<footer>",
        ];
        let positions: Vec<usize> = order.iter().map(|s| html.find(s).unwrap_or(usize::MAX)).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "sections out of order: {positions:?}");
    }

    #[test]
    fn page_is_self_contained_and_inert() {
        let html = render(&sample());
        for forbidden in ["http://", "https://", "<script", "<link", "src=", "url(", "@import"] {
            assert!(!html.contains(forbidden), "found {forbidden:?}");
        }
    }

    #[test]
    fn text_from_the_json_is_escaped() {
        let html = render(&sample());
        assert!(html.contains("&lt;b&gt;&amp;&quot;x&quot;"));
        assert!(!html.contains("<b>&\"x\""));
        assert!(html.contains("All &lt;reachable&gt; subscribers"));
        assert_eq!(Esc("'a'").to_string(), "&#39;a&#39;");
    }

    #[test]
    fn templates_escape_like_esc() {
        // minijinja's own escaper writes `&#x27;` and `&#x2f;`; the page keeps the bytes it had.
        let html = render(&json!({"inputs": [{"file": "exports/o'brien & co <2>.csv"}]}));
        assert!(html.contains("<td>exports/o&#39;brien &amp; co &lt;2&gt;.csv</td>"), "{html}");
        assert!(!html.contains("&#x27;") && !html.contains("&#x2f;"));
    }

    #[test]
    fn empty_and_malformed_reports_render_without_panicking() {
        for report in [
            json!({}),
            json!(null),
            json!([1, 2]),
            json!({"reconciliation": {"rows_read": 1}, "dedup": {}, "segments": [{}], "fields": {"x": {}}}),
            json!({"inputs": "nope", "fields": [], "dedup": {"match_weight_histogram": {"x": "y", "-9999999999": 1,
                "9999999999": 1}, "model": {"comparisons": [{"levels": [{"m": 0, "u": 0}]}]}},
                "quarantine": {"lines_by_reason": {"r": [{}]}}, "stale": {"by_reason": {"a": -1}}}),
        ] {
            let html = render(&report);
            assert!(html.starts_with("<!DOCTYPE html>"));
            assert!(html.contains("contains no personal data"));
        }
    }

    #[test]
    fn rendering_is_deterministic() {
        assert_eq!(render(&sample()), render(&sample()));
    }

    #[test]
    fn flow_without_dedup_or_stale_stops_at_the_last_known_stage() {
        let mut report = sample();
        if let Some(map) = report.as_object_mut() {
            map.remove("stale");
        }
        let html = render(&report);
        assert!(html.contains("1200 accepted = 123 merged into another + 1077 golden records"));
        assert!(!html.contains("fresh") && !html.contains("Fresh"));
    }

    #[test]
    fn numbers_are_formatted_with_fixed_precision() {
        assert_eq!(fixed(-0.0001, 2), "0.00");
        assert_eq!(fixed(12.0, 2), "12.00");
        assert_eq!(significant4(0.123456), "0.1235");
        assert_eq!(significant4(12.3456), "12.35");
        assert_eq!(significant4(0.00001234), "1.234e-5");
        assert_eq!(significant4(1.0), "1.000");
        assert_eq!(percent(1, 3), "33.3\u{a0}%");
        assert_eq!(percent(1, 0), "\u{2014}");
    }
}
