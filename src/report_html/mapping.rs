//! "Header mapping": per input file, what each column was read as (a canonical field, or kept as
//! it is) and how that was decided (config, dictionary, pass-through); for a consent, opt-out or
//! bounce column, how its values were read (a yes/no, an opt-out, a time filled when it happened).

use super::{arr, scalar, text};
use serde::Serialize;
use serde_json::Value;

/// One input's header line: what each column was recognised as.
#[derive(Serialize)]
pub(super) struct Mapping {
    file: String,
    /// Some column is a channel column with a reading: the table shows the "Read as" column.
    readings: bool,
    columns: Vec<MappedColumn>,
}

#[derive(Serialize)]
pub(super) struct MappedColumn {
    column: String,
    header: String,
    /// The canonical field, or `None` for a column kept as it is.
    field: Option<String>,
    how: String,
    /// How a channel column's values were read, in words; empty for other columns.
    reading: String,
}

/// A channel column's reading (report.json `reading`) in words.
fn reading_words(reading: &str) -> String {
    match reading {
        "value" => "yes/no".into(),
        "opt_out" => "opt-out (yes = no consent)".into(),
        "filled_when_true" => "time or reason, filled when it happened".into(),
        "filled_when_opted_out" => "time or reason, filled when opted out".into(),
        other => other.into(),
    }
}

pub(super) fn mapping(r: &Value) -> Option<Vec<Mapping>> {
    let tables: Vec<Mapping> = arr(r, "inputs")?
        .iter()
        .enumerate()
        .filter_map(|(i, input)| {
            let mapping = arr(input, "header_mapping").filter(|m| !m.is_empty())?;
            Some(Mapping {
                file: text(input, "file").map_or_else(|| format!("Input {}", i + 1), str::to_owned),
                readings: mapping.iter().any(|m| m.get("reading").is_some_and(Value::is_string)),
                columns: mapping
                    .iter()
                    .map(|m| MappedColumn {
                        column: scalar(m.get("column")),
                        header: scalar(m.get("header")),
                        // A column read in some rows only shows the field it is read as; `how`
                        // says in which rows.
                        field: m
                            .get("field")
                            .and_then(Value::as_str)
                            .or_else(|| m.get("read_as").and_then(Value::as_str))
                            .map(str::to_owned),
                        how: scalar(m.get("how")),
                        reading: m.get("reading").and_then(Value::as_str).map(reading_words).unwrap_or_default(),
                    })
                    .collect(),
            })
        })
        .collect();
    (!tables.is_empty()).then_some(tables)
}
