//! "Header mapping": per input file, what each column was read as (a canonical field, or kept as
//! it is) and how that was decided (config, dictionary, pass-through).

use super::{arr, scalar, text};
use serde::Serialize;
use serde_json::Value;

/// One input's header line: what each column was recognised as.
#[derive(Serialize)]
pub(super) struct Mapping {
    file: String,
    columns: Vec<MappedColumn>,
}

#[derive(Serialize)]
pub(super) struct MappedColumn {
    column: String,
    header: String,
    /// The canonical field, or `None` for a column kept as it is.
    field: Option<String>,
    how: String,
}

pub(super) fn mapping(r: &Value) -> Option<Vec<Mapping>> {
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
