//! "Inputs, reconciliation and settings": each input file (hash, encoding, delimiter), the line
//! counts that reconcile every input line with where it went, and the fingerprints of the
//! configuration and rules. For auditors: it proves which files and settings made the run.

use super::notation::notation;
use super::{Figure, arr, scalar, text};
use serde::Serialize;
use serde_json::Value;

pub(super) const RECONCILIATION_KEYS: [(&str, &str); 7] = [
    ("lines_read", "Lines read"),
    ("header_lines", "Header lines"),
    ("blank_lines", "Blank lines"),
    ("continuation_lines", "Continuation lines"),
    ("rows_read", "Rows read"),
    ("rows_accepted", "Rows accepted"),
    ("rows_quarantined", "Rows quarantined"),
];

#[derive(Serialize)]
pub(super) struct Summary {
    inputs: Vec<Input>,
    reconciliation: Option<Reconciliation>,
    hashes: Vec<Figure>,
    /// Formula-like cells in the CSV exports, neutralised so a spreadsheet does not evaluate them.
    cells_neutralised: Option<String>,
}

#[derive(Serialize)]
pub(super) struct Input {
    file: String,
    sha256: String,
    encoding: String,
    delimiter: Delimiter,
    excel_sep_line: String,
    stray_lines_decoded: String,
}

#[derive(Serialize)]
pub(super) struct Delimiter {
    text: String,
    /// Shown as the character itself, in code type, rather than as a name.
    is_code: bool,
}

#[derive(Serialize)]
pub(super) struct Reconciliation {
    labels: Vec<&'static str>,
    rows: Vec<ReconciliationRow>,
}

#[derive(Serialize)]
pub(super) struct ReconciliationRow {
    name: String,
    cells: Vec<String>,
    total: bool,
}

pub(super) fn summary(r: &Value) -> Option<Summary> {
    let nf = notation(r);
    let inputs = arr(r, "inputs").map_or(&[][..], Vec::as_slice);
    let row = |name: String, rec: &Value, total: bool| ReconciliationRow {
        name,
        cells: RECONCILIATION_KEYS.iter().map(|(key, _)| nf.count_of(rec.get(key))).collect(),
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
        cells_neutralised: r.get("spreadsheet_cells_neutralised").map(|cells| nf.count_of(Some(cells))),
    };
    let empty = summary.inputs.is_empty()
        && summary.reconciliation.is_none()
        && summary.hashes.is_empty()
        && summary.cells_neutralised.is_none();
    (!empty).then_some(summary)
}

/// A delimiter is invisible or ambiguous as a bare character: name the common ones.
pub(super) fn delimiter(v: Option<&Value>) -> Delimiter {
    let named = |name: &str| Delimiter { text: name.to_owned(), is_code: false };
    match v.and_then(Value::as_str) {
        Some("\t") => named("tab"),
        Some(" ") => named("space"),
        Some(d) => Delimiter { text: d.to_owned(), is_code: true },
        None => named(&scalar(v)),
    }
}
