//! Report: the machine-readable account of a run (`report.json`).
//!
//! The report reconciles every input line with where it went and counts the quality of every
//! canonical field. It never holds personal data: only counts, header names, file names, hashes
//! and reason codes. Keys are documented in README.md and are a contract for other tools.

use crate::field::Field;
use crate::ingest::LineCounts;
use crate::normalise::Status;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
pub struct Report {
    pub tool: Tool,
    pub as_of: String,
    /// `argument` when `--as-of` was given, `today` when the run used the current date.
    pub as_of_source: &'static str,
    pub config_sha256: String,
    /// SHA-256 of the rule files in force (survivorship, stale policy, segments).
    pub rules_sha256: String,
    /// What a person should look at though the run succeeded (`warnings`).
    pub warnings: Vec<crate::warnings::Warning>,
    pub inputs: Vec<InputReport>,
    pub reconciliation: Reconciliation,
    pub fields: BTreeMap<&'static str, FieldQuality>,
    pub quarantine: QuarantineReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dedup: Option<DedupReport>,
    /// What happened to golden ids since the previous run (`--previous`), see `merge::ids`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<crate::merge::ids::IdentityCounts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale: Option<StaleReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segments: Option<Vec<crate::segment::SegmentReport>>,
    /// How many golden records the segments reach, split by stale and fresh.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment_reach: Option<SegmentReach>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality_gates: Option<GateReport>,
    /// Cells of golden.csv and segment exports that started like a spreadsheet formula and got
    /// a leading `'` (0 when `formula_guard = false`).
    pub spreadsheet_cells_neutralised: usize,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct SegmentReach {
    pub fresh_in_segments: usize,
    pub stale_in_segments: usize,
}

#[derive(Debug, Serialize)]
pub struct StaleReport {
    pub inactive_after_months: u32,
    pub golden_records: usize,
    pub stale_records: usize,
    /// Reason code → golden records with that reason (a record can have several).
    pub by_reason: BTreeMap<&'static str, usize>,
    /// Reasons of the policy the register has no fields for.
    pub reasons_skipped: Vec<&'static str>,
}

/// The stale part of the report.
pub fn stale_section(
    stale: &[Vec<&'static str>],
    reasons: &[crate::stale::Reason],
    skipped: &[crate::stale::Reason],
    months: u32,
) -> StaleReport {
    let mut by_reason: BTreeMap<&'static str, usize> = reasons.iter().map(|r| (r.code(), 0)).collect();
    for list in stale {
        for r in list {
            *by_reason.entry(r).or_insert(0) += 1;
        }
    }
    StaleReport {
        inactive_after_months: months,
        golden_records: stale.len(),
        stale_records: stale.iter().filter(|r| !r.is_empty()).count(),
        by_reason,
        reasons_skipped: skipped.iter().map(|r| r.code()).collect(),
    }
}

#[derive(Debug, Serialize)]
pub struct DedupReport {
    pub threshold_match_weight: f64,
    pub blocking: Vec<crate::dedup::block::RuleStats>,
    pub pairs_scored: u64,
    pub pairs_written: u64,
    pub links: usize,
    pub links_refused_for_contrary_evidence: u64,
    /// Links resting on full name and birth date alone, and whether they were refused as
    /// likely coincidences (see `dedup::NamesakeCheck`).
    pub namesakes: crate::dedup::NamesakeCheck,
    /// Placeholder values left out of matching, per field (`field`, `values`, `records`).
    pub placeholders: Vec<crate::dedup::placeholders::PlaceholderField>,
    /// Rows joined to an identical row (every cleaned value equal) before any comparison.
    pub exact_duplicate_rows: u64,
    /// Scored pairs above the threshold that were not joined, by reason (`uncorroborated`,
    /// `namesake_check`, `decision_different`, `contrary_evidence`).
    pub refused_by_reason: std::collections::BTreeMap<&'static str, u64>,
    pub golden_records: usize,
    pub rows_merged_into_another: usize,
    /// Cluster size → number of clusters.
    pub clusters_by_size: BTreeMap<usize, usize>,
    /// Whole match weight (floor) → number of scored pairs.
    pub match_weight_histogram: BTreeMap<i64, u64>,
    pub prior: f64,
    /// The model's m and u per comparison level.
    pub model: crate::dedup::model::Model,
}

/// The dedup part of the report.
pub fn dedup_section(d: &crate::dedup::Dedup, golden: &[u32], threshold: f64) -> DedupReport {
    // Cluster sizes from the labels (a label is a row index), without hashing the ids.
    let mut size_of = vec![0usize; d.labels.len()];
    for &l in &d.labels {
        size_of[l as usize] += 1;
    }
    let sizes: Vec<usize> = size_of.into_iter().filter(|&s| s > 0).collect();
    debug_assert_eq!(d.labels.len(), golden.len());
    let mut clusters_by_size = BTreeMap::new();
    for &s in &sizes {
        *clusters_by_size.entry(s).or_insert(0) += 1;
    }
    DedupReport {
        threshold_match_weight: threshold,
        blocking: d.rule_stats.clone(),
        pairs_scored: d.pairs_scored,
        pairs_written: d.pairs_written,
        links: d.links.len(),
        links_refused_for_contrary_evidence: d.links_refused,
        namesakes: d.namesakes.clone(),
        placeholders: d.placeholders.clone(),
        exact_duplicate_rows: d.exact_duplicate_rows,
        refused_by_reason: d.refused_by_reason.clone(),
        golden_records: sizes.len(),
        rows_merged_into_another: golden.len() - sizes.len(),
        clusters_by_size,
        match_weight_histogram: d.weight_histogram.clone(),
        prior: d.model.prior,
        model: d.model.clone(),
    }
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Serialize)]
pub struct InputReport {
    pub file: String,
    /// The source the file belongs to (`sources::assign`): record identities use it.
    pub source: String,
    pub sha256: String,
    /// The text encoding, or the workbook format (`xlsx`, `xls`, `ods`) of a spreadsheet.
    pub encoding: String,
    /// The sheet read, for a spreadsheet (absent for CSV inputs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Lines of a UTF-8 file that were not UTF-8 and were decoded as Windows-1252/1250.
    pub stray_lines_decoded: usize,
    pub delimiter: String,
    pub excel_sep_line: bool,
    /// `CRLF`, `LF` or `CR`, and whether every field was quoted (`all`) or only where needed
    /// (`needed`): with the encoding and delimiter, what `undo` needs to write rows back as read.
    pub line_ending: &'static str,
    pub quoting: &'static str,
    pub header_mapping: Vec<HeaderMapping>,
    /// The order (day or month first) decided for each date column, and on what evidence.
    pub date_columns: Vec<crate::normalise::date_order::DateColumn>,
    pub reconciliation: Reconciliation,
}

#[derive(Debug, Serialize)]
pub struct HeaderMapping {
    pub column: usize,
    pub header: String,
    pub field: Option<&'static str>,
    pub how: &'static str,
}

/// How the physical lines and rows of the inputs were used. `lines_read` equals header, blank,
/// continuation, accepted and quarantined added together, and `rows_read` equals accepted plus
/// quarantined.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Reconciliation {
    pub lines_read: usize,
    pub header_lines: usize,
    pub blank_lines: usize,
    pub continuation_lines: usize,
    pub rows_read: usize,
    pub rows_accepted: usize,
    pub rows_quarantined: usize,
}

impl From<LineCounts> for Reconciliation {
    fn from(c: LineCounts) -> Self {
        Reconciliation {
            lines_read: c.lines_read,
            header_lines: c.header_lines,
            blank_lines: c.blank_lines,
            continuation_lines: c.continuation_lines,
            rows_read: c.rows_accepted + c.rows_quarantined,
            rows_accepted: c.rows_accepted,
            rows_quarantined: c.rows_quarantined,
        }
    }
}

impl Reconciliation {
    fn add(&mut self, o: &Reconciliation) {
        self.lines_read += o.lines_read;
        self.header_lines += o.header_lines;
        self.blank_lines += o.blank_lines;
        self.continuation_lines += o.continuation_lines;
        self.rows_read += o.rows_read;
        self.rows_accepted += o.rows_accepted;
        self.rows_quarantined += o.rows_quarantined;
    }
}

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct FieldQuality {
    pub valid: usize,
    pub fixed: usize,
    pub invalid: usize,
    pub missing: usize,
    /// The most frequent shapes of invalid raw values, masked (letters `*`, digits `9`, an
    /// e-mail's local part hidden), so a person can see what is wrong without seeing whose.
    pub invalid_patterns: Vec<Pattern>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Pattern {
    pub pattern: String,
    pub count: usize,
}

/// A position in an input, for the report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LineRef {
    pub file: String,
    pub line: u32,
}

/// How many invalid patterns and quarantine lines the report lists.
const TOP_PATTERNS: usize = 5;
const MAX_LINES_PER_REASON: usize = 50;

#[derive(Debug, Default, Serialize)]
pub struct QuarantineReport {
    pub rows: usize,
    /// Reason (with counts stripped to its kind) → number of rows.
    pub by_reason: BTreeMap<String, usize>,
    /// Reason → the first lines with it (at most 50 per reason).
    pub lines_by_reason: BTreeMap<String, Vec<LineRef>>,
}

/// The SHA-256 (hex) of texts read one after another: the fingerprint of the config or rule
/// files a run used.
pub fn sha256_hex(texts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for t in texts {
        h.update(t.as_bytes());
    }
    crate::ingest::hex(&h.finalize())
}

/// Builds the report of the ingest and normalise stages.
pub fn build(
    register: &crate::normalise::Register,
    as_of: &str,
    as_of_source: &'static str,
    config_sha256: String,
    show_samples: bool,
) -> Report {
    let (ingested, clean, fields_present) = (&register.ingested, &register.clean[..], &register.fields_present[..]);
    let mut total = Reconciliation::default();
    let inputs = ingested
        .sources
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let rec = Reconciliation::from(s.counts);
            total.add(&rec);
            InputReport {
                file: s.name.clone(),
                source: s.source.clone(),
                sha256: s.sha256.clone(),
                encoding: s.encoding.clone(),
                sheet: s.sheet.clone(),
                stray_lines_decoded: s.stray_lines,
                delimiter: delimiter_name(s.dialect.delimiter),
                excel_sep_line: s.dialect.sep_line,
                line_ending: match s.dialect.line_end {
                    "\r\n" => "CRLF",
                    "\r" => "CR",
                    _ => "LF",
                },
                quoting: if s.dialect.quote_all { "all" } else { "needed" },
                header_mapping: s
                    .headers
                    .iter()
                    .zip(&s.mapping)
                    .zip(&s.mapping_notes)
                    .enumerate()
                    .map(|(i, ((h, f), how))| HeaderMapping {
                        column: i + 1,
                        header: h.clone(),
                        field: f.map(Field::name),
                        how,
                    })
                    .collect(),
                date_columns: register.date_columns.get(k).cloned().unwrap_or_default(),
                reconciliation: rec,
            }
        })
        .collect();
    // Column of each field per source, to find the raw value of an invalid cell.
    let columns: Vec<Vec<Option<usize>>> = ingested.sources.iter().map(|s| s.columns_by_field()).collect();
    let mut fields = BTreeMap::new();
    for &f in fields_present {
        let mut q = FieldQuality::default();
        let mut patterns: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for (row, c) in ingested.rows.iter().zip(clean) {
            match c.status(f) {
                Status::Valid => q.valid += 1,
                Status::Fixed => q.fixed += 1,
                Status::Invalid => {
                    q.invalid += 1;
                    if let Some(col) = columns[row.source as usize][f.index()] {
                        let raw = row.values[col].trim();
                        // Masked unless the user opted in to seeing personal data.
                        let shown = if show_samples { raw.to_string() } else { mask(raw) };
                        *patterns.entry(shown).or_insert(0) += 1;
                    }
                }
                Status::Missing => q.missing += 1,
            }
        }
        let mut top: Vec<Pattern> = patterns.into_iter().map(|(pattern, count)| Pattern { pattern, count }).collect();
        top.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.pattern.cmp(&b.pattern)));
        top.truncate(TOP_PATTERNS);
        q.invalid_patterns = top;
        fields.insert(f.name(), q);
    }
    let mut by_reason = BTreeMap::new();
    let mut lines_by_reason: BTreeMap<String, Vec<LineRef>> = BTreeMap::new();
    for q in &ingested.quarantine {
        let kind = reason_kind(&q.reason);
        *by_reason.entry(kind.clone()).or_insert(0) += 1;
        let lines = lines_by_reason.entry(kind).or_default();
        if lines.len() < MAX_LINES_PER_REASON {
            lines.push(LineRef { file: ingested.sources[q.source as usize].name.clone(), line: q.line });
        }
    }
    Report {
        tool: Tool { name: "regclean", version: env!("CARGO_PKG_VERSION") },
        as_of: as_of.to_string(),
        as_of_source,
        config_sha256,
        rules_sha256: String::new(),
        warnings: Vec::new(),
        inputs,
        reconciliation: total,
        fields,
        quarantine: QuarantineReport { rows: ingested.quarantine.len(), by_reason, lines_by_reason },
        dedup: None,
        identity: None,
        stale: None,
        segments: None,
        quality_gates: None,
        segment_reach: None,
        spreadsheet_cells_neutralised: 0,
    }
}

/// The kind of a quarantine reason, without the numbers that vary per row.
pub fn reason_kind(reason: &str) -> String {
    if reason.starts_with("unterminated quoted field") {
        "unterminated quoted field".into()
    } else if reason.starts_with("row longer than") {
        "row longer than 1 MiB".into()
    } else if reason.starts_with("found ") {
        "wrong number of fields".into()
    } else {
        reason.split(':').next().unwrap_or(reason).to_string()
    }
}

fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".into(),
        other => (other as char).to_string(),
    }
}

/// Masks a personal value for reports and samples: letters become `*`, digits `9`, and every
/// e-mail address in the value keeps only its domain (`k****@gmial.com` → `*****@gmial.com`;
/// `ola@x.no; kari@y.no` → `***@x.no; ****@y.no`; everything before the last `@` of an
/// address is hidden, so `kari@nordmann@gmail.com` shows as `****@********@gmail.com`).
/// Separators, punctuation and spaces stay, so the shape of a bad value shows without the value.
pub fn mask(value: &str) -> String {
    let separator = |c: char| c.is_whitespace() || matches!(c, ';' | ',' | '<' | '>' | '(' | ')' | '"' | '\'' | '|');
    let mut out = String::with_capacity(value.len());
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        match token.rsplit_once('@') {
            Some((local, domain)) => {
                out.extend(local.chars().map(|c| if c == '@' { '@' } else { '*' }));
                out.push('@');
                out.push_str(domain);
            }
            None => out.extend(token.chars().map(|c| {
                if c.is_ascii_digit() {
                    '9'
                } else if c.is_alphabetic() {
                    '*'
                } else {
                    c
                }
            })),
        }
        token.clear();
    };
    for c in value.chars() {
        if separator(c) {
            flush(&mut token, &mut out);
            out.push(c);
        } else {
            token.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}
/// The quality gates' verdict (`gates::check` fills it in).
#[derive(Debug, Clone, Serialize)]
pub struct GateReport {
    pub passed: bool,
    pub checks: Vec<Check>,
}

/// One checked limit.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: String,
    pub limit: f64,
    pub value: f64,
    pub passed: bool,
    /// What the failing rows had in common, when they had something (no personal data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[cfg(test)]
mod mask_tests {
    use super::mask;

    #[test]
    fn every_address_and_name_in_a_cell_is_masked() {
        let cases = [
            ("kari.nordmann@gmial.com", "*************@gmial.com"),
            ("ola.nordmann@gmail.com; kari.nordmann@hotmail.com", "************@gmail.com; *************@hotmail.com"),
            ("kari@nordmann@gmail.com", "****@********@gmail.com"),
            ("Kari <kari@x.no>", "**** <****@x.no>"),
            ("+47 912 34 567", "+99 999 99 999"),
            ("Ola Nordmann", "*** ********"),
            ("", ""),
        ];
        for (value, masked) in cases {
            assert_eq!(mask(value), masked, "{value}");
        }
    }
}
