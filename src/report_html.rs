//! The quality report as one self-contained HTML page, for auditors and CRM administrators.
//!
//! `report` builds the machine report (`report.json`); this module only lays those numbers out
//! for people. It reads nothing but the JSON it is given, and that JSON holds counts, hashes,
//! header names and already-masked value shapes, never a customer's data, so the page cannot
//! show personal data either.
//!
//! The work is split in two. Rust reads the JSON into one small view per section, in one module
//! per section named after its anchor (`header`, `glance`, `dedup`, `accounts`, `households`, `stale`, `segments`,
//! `fields`, `quarantine`, `flow`, `summary`, `mapping`; `notation` writes numbers and money
//! for all of them): the texts to show, every number already formatted and every SVG coordinate
//! (the flow picture, bar widths, the histogram) already computed. This file holds the page
//! itself and what the sections share: reading the JSON without trusting its shape, fixed
//! precision, escaping. The markup lives in the templates in `src/report_html/` (`page.html`,
//! then one `<section id>.html` per section), compiled into the binary and rendered with
//! minijinja. A template only places what its view gives it: it does no arithmetic and
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

mod accounts;
mod dedup;
mod fields;
mod flow;
mod glance;
mod header;
mod households;
mod mapping;
mod notation;
mod privacy;
mod quarantine;
mod segments;
mod stale;
mod summary;

use std::fmt::{self, Write};

use accounts::{Accounts, accounts};
use dedup::{Dedup, dedup};
use fields::{Fields, fields};
use flow::{FlowView, flow, flow_view};
use glance::{Glance, glance};
use header::{Header, header};
use households::{Households, households};
use mapping::{Mapping, mapping};
use privacy::{Privacy, privacy};
use quarantine::{Quarantine, quarantine};
use segments::{Segments, segments};
use stale::{Stale, stale};
use std::sync::LazyLock;
use summary::{Summary, summary};

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
/// Unverified values (well-formed, nothing to check them against): amber, between valid and
/// invalid.
const UNVERIFIED: &str = "#f9a825";
const MISSING: &str = "#9e9e9e";
const NEUTRAL: &str = "#37474f";
const MERGED: &str = "#616161";
const STALE: &str = "#bf360c";
const FRESH: &str = "#00695c";

/// Width of every SVG drawing, in user units: the content width of the page (1000px less padding).
const SVG_WIDTH: f64 = 960.0;

/// The templates by name; a section's template is named after its anchor.
const TEMPLATES: [(&str, &str); 16] = [
    ("accounts.html", include_str!("report_html/accounts.html")),
    ("households.html", include_str!("report_html/households.html")),
    ("checks.html", include_str!("report_html/checks.html")),
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
    ("privacy.html", include_str!("report_html/privacy.html")),
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
    glance: Option<Glance>,
    summary: Option<Summary>,
    flow: Option<FlowView>,
    fields: Option<Fields>,
    mapping: Option<Vec<Mapping>>,
    dedup: Option<Dedup>,
    accounts: Option<Accounts>,
    households: Option<Households>,
    stale: Option<Stale>,
    segments: Option<Segments>,
    quarantine: Option<Quarantine>,
    /// Suppression lists, the erasure log and erasures since the run; absent without them.
    privacy: Option<Privacy>,
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
    /// The warnings line and the gates' table (`checks.html`) come right after this section:
    /// after "At a glance", so that the first screen answers first.
    checks_after: bool,
    /// ... or right before it, when the report has no "At a glance" (an older report).
    checks_before: bool,
}

impl Page {
    fn of(r: &Value) -> Page {
        let mut page = Page {
            as_of: text(r, "as_of").map(str::to_owned),
            version: r.get("tool").and_then(|t| text(t, "version")).map(str::to_owned),
            header: header(r),
            warnings: arr(r, "warnings").into_iter().flatten().map(|w| scalar(w.get("message"))).collect(),
            sections: Vec::new(),
            glance: glance(r),
            summary: summary(r),
            flow: flow(r).map(flow_view),
            fields: fields(r),
            mapping: mapping(r),
            dedup: dedup(r),
            accounts: accounts(r),
            households: households(r),
            stale: stale(r),
            segments: segments(r),
            quarantine: quarantine(r),
            privacy: privacy(r),
        };
        // Anchor, heading, whether there is a view, and whether it is technical (after the
        // business sections, folded), in page order: the questions a CRM administrator asks
        // first come first.
        let sections = [
            ("glance", "At a glance", page.glance.is_some(), false),
            ("dedup", "Duplicates", page.dedup.is_some(), false),
            ("accounts", "Accounts", page.accounts.is_some(), false),
            ("households", "Households", page.households.is_some(), false),
            ("stale", "Stale records", page.stale.is_some(), false),
            ("segments", "Segments", page.segments.is_some(), false),
            ("fields", "Field quality", page.fields.is_some(), false),
            ("quarantine", "Quarantine", page.quarantine.is_some(), false),
            ("privacy", "Suppression and erasure", page.privacy.is_some(), false),
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
                checks_after: i == 0 && id == "glance",
                checks_before: i == 0 && id != "glance",
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
            "entity_kinds": {"person": 1000, "organisation": 150, "person_at_organisation": 50},
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
            "1,234",
            "1,200",
            "1,077",
            "377",
            "700 fresh",
            "1,234 rows read = 34 quarantined + 1,200 accepted",
            "1,200 accepted = 123 merged into another + 1,077 golden records",
            "1,077 golden records = 377 stale + 700 fresh",
            "*****@gmial.com",
            "4,321",
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
            "<tr><td>Organisations</td><td class=\"n\">150</td><td class=\"n\">12.5\u{a0}%</td></tr>",
            "<tr><td>Persons at an organisation</td><td class=\"n\">50</td>",
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
        assert!(html.contains("1,200 accepted = 123 merged into another + 1,077 golden records"));
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

    /// `sample()` with what a real run adds for the first screen: health, warnings, a merge
    /// example, and a register of customers in four currencies.
    fn sample_with_first_screen() -> Value {
        let mut r = sample();
        let extra = json!({
            "locale": {"country": "NO", "from": "register"},
            "warnings": [
                {"code": "mostly_invalid", "message": "crm.csv: column 5 ('Phone'): 11 of 34 values are invalid"},
                {"code": "empty_segments", "message": "1 of 2 segments is empty: came_from_stores_and_events"}
            ],
            "health": {"rows_read": 1234, "rows_quarantined": 34, "quarantined_share_of_rows_read": 0.027553,
                "rows_accepted": 1200, "golden_records": 1077, "duplicate_rows": 123,
                "duplicate_share_of_rows_accepted": 0.1025, "stale_golden_records": 377,
                "stale_share_of_golden_records": 0.350046, "reachable_with_consent": 500,
                "reachable_share_of_golden_records": 0.464253,
                "revenue_by_currency": {
                    "EUR": {"customers": 20, "revenue": "75541.11"},
                    "GBP": {"customers": 3, "revenue": "1234.50"},
                    "NOK": {"customers": 1000, "revenue": "1234567.00"},
                    "PLN": {"customers": 9, "revenue": "27011.89"},
                    "unknown": {"customers": 45, "revenue": "0.00"}
                }},
            "quality_gates": {"passed": false, "checks": [
                {"name": "rows accepted", "limit": 1.0, "value": 342.0, "passed": true},
                {"name": "quarantined share", "limit": 0.01, "value": 0.008696, "passed": true},
                {"name": "stale share", "limit": 0.3, "value": 0.350046, "passed": false}
            ]}
        });
        let map = r.as_object_mut().expect("sample is an object");
        for (k, v) in extra.as_object().expect("extra is an object") {
            map.insert(k.clone(), v.clone());
        }
        r["dedup"]["examples"] = json!([{"kind": "merged", "a": "crm.csv:63", "b": "shop.csv:70", "evidence": 36.8777,
            "linked": true, "fields": [{"comparison": "first_name", "level": "exact", "bits": 5.37, "a": "K***", "b": "K***"}]}]);
        r["segments"][0]["name"] = json!("came_from_stores_and_events");
        r
    }

    #[test]
    fn the_first_screen_answers_first_then_one_line_of_warnings_then_the_gates() {
        let html = render(&sample_with_first_screen());
        let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("missing {needle:?}"));
        // Cards and next steps, then the warnings as one line that opens, then the gates.
        assert!(at("class=\"cards\"") < at("What to do next"));
        assert!(at("What to do next") < at("<details class=\"warnings\""));
        assert!(at("<details class=\"warnings\"") < at("Quality gate</th>"));
        assert!(at("Quality gate</th>") < at("id=\"dedup\""));
        assert!(html.contains("<summary><strong>2 warnings</strong>"), "one line that opens into the list");
        assert!(html.contains("<li>1 of 2 segments is empty: came_from_stores_and_events</li>"));
        assert!(html.contains("Read the 2 warnings just below these steps."));
        // A failed gate opens the gates' table; the others stay one line.
        assert!(html.contains("<details class=\"gates\" open>"));
        assert!(html.contains("<summary><strong>Quality gates</strong>: 2 of 3 passed</summary>"));
    }

    #[test]
    fn gate_values_are_counts_and_percentages_not_raw_floats() {
        let html = render(&sample_with_first_screen());
        for raw in ["342.0", "0.008696", "0.350046", ">0.01<", ">1.0<"] {
            assert!(!html.contains(raw), "raw number {raw:?} printed");
        }
        for shown in [
            "<td>rows accepted</td><td class=\"n\">at least 1</td><td class=\"n\">342</td>",
            "<td>quarantined share</td><td class=\"n\">at most 1,0\u{a0}%</td><td class=\"n\">0,87\u{a0}%</td>",
            "<td>stale share</td><td class=\"n\">at most 30,0\u{a0}%</td><td class=\"n\">35,0\u{a0}%</td>",
        ] {
            assert!(html.contains(shown), "missing {shown:?}");
        }
        // Counts everywhere else carry the register's thousands separator.
        assert!(html.contains("Pairs scored</th><td class=\"n\">5\u{a0}000<"));
    }

    #[test]
    fn money_is_written_in_each_customers_currency() {
        let html = render(&sample_with_first_screen());
        // The revenue card: the currency most customers pay in, then the others, each its own;
        // three crowns could be any of three, so NOK is written by its code.
        assert!(
            html.contains("<div class=\"value\">1\u{a0}234\u{a0}567</div><div class=\"label\">revenue in NOK</div>"),
            "{html}"
        );
        assert!(html.contains("; 45 customers with no known currency"));
        for other in
            ["75\u{a0}541\u{a0}€ (20 customers)", "27\u{a0}012\u{a0}zł (9 customers)", "£1\u{a0}235 (3 customers)"]
        {
            assert!(html.contains(other), "missing {other:?}");
        }
        // Segment sums over customers of several currencies carry no sign, and say why.
        assert!(!html.contains("\u{a0}kr<"), "every revenue in kr");
        assert!(html.contains("<td class=\"n\">410\u{a0}622</td>"));
        assert!(html.contains("several currencies (NOK, EUR, PLN, GBP)"));

        // A register of one currency writes it, whatever the locale.
        let mut one = sample_with_first_screen();
        one["health"]["revenue_by_currency"] = json!({"EUR": {"customers": 1077, "revenue": "500.00"}});
        let html = render(&one);
        assert!(html.contains("<td class=\"n\">410\u{a0}622\u{a0}€</td>"));
        assert!(html.contains("<div class=\"value\">500,00</div><div class=\"label\">revenue in EUR</div><div class=\"base\">from 1\u{a0}077 customers</div>"));
        assert!(!html.contains("several currencies"));
    }

    #[test]
    fn merge_examples_say_how_to_see_the_full_record() {
        let html = render(&sample_with_first_screen());
        assert!(html.contains("Full view: <code>regclean explain OUT crm.csv:63</code>"));
        assert!(html.contains("names keep their initials, birth dates their year"));
        assert!(html.contains("<td class=\"mono wrap\">K***</td>"));
    }

    /// Issue 25: a segment's revenue is given per currency, never added across currencies: one
    /// line per currency in the table, and the chart in the currency most customers pay in.
    #[test]
    fn segment_revenue_is_given_per_currency() {
        let mut r = sample_with_first_screen();
        for s in r["segments"].as_array_mut().unwrap() {
            s["revenue_by_currency"] = json!({
                "EUR": {"members": 2, "revenue_sum": "300.00", "revenue_mean": "150.00"},
                "NOK": {"members": 3, "revenue_sum": "9000.00", "revenue_mean": "3000.00"},
                "unknown": {"members": 1, "revenue_sum": "0.00", "revenue_mean": "0.00"}
            });
        }
        let html = render(&r);
        assert!(html.contains("<td class=\"n\">300,00\u{a0}€<br>9\u{a0}000\u{a0}NOK</td>"), "{html}");
        assert!(html.contains("<td class=\"n\">150,00\u{a0}€<br>3\u{a0}000\u{a0}NOK</td>"));
        assert!(html.contains("never added across currencies"));
        assert!(html.contains(">Revenue in NOK</text>"));
        assert!(html.contains("members who pay in NOK, the currency most customers pay in"));
        assert!(!html.contains(">410\u{a0}622</text>"), "the chart adds no currencies together");
    }

    /// Issue 25: the mapping table shows how a consent, opt-out or bounce column was read.
    #[test]
    fn the_mapping_table_shows_how_channel_columns_were_read() {
        let html = render(&sample());
        assert!(!html.contains("<th>Read as</th>"), "no channel column, no reading column");
        let mut r = sample();
        r["inputs"][0]["header_mapping"] = json!([
            {"column": 1, "header": "E-post", "field": "email", "how": "dictionary"},
            {"column": 2, "header": "Do Not Call", "field": "phone_consent", "how": "dictionary", "reading": "opt_out"},
            {"column": 3, "header": "UNSUB_TIME", "field": "unsubscribed", "how": "dictionary", "reading": "filled_when_true"}
        ]);
        let html = render(&r);
        assert!(html.contains("<th>Read as</th>"));
        assert!(html.contains("<td>dictionary</td><td>opt-out (yes = no consent)</td>"));
        assert!(html.contains("<td>dictionary</td><td>time or reason, filled when it happened</td>"));
        assert!(html.contains("<td>dictionary</td><td></td>"), "other columns have no reading");
    }

    #[test]
    fn segment_names_wrap_only_between_words() {
        let html = render(&sample_with_first_screen());
        assert!(html.contains("<code class=\"segname\">came_<wbr>from_<wbr>stores_<wbr>and_<wbr>events</code>"));
        assert!(!CSS.contains("anywhere"), "overflow-wrap:anywhere breaks words anywhere");
        assert!(CSS.contains("table.segs td{overflow-wrap:break-word;word-break:normal;hyphens:none}"));
    }
}
