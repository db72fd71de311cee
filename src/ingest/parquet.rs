//! Parquet: read a Parquet file as the rows of an export.
//!
//! Warehouses hand registers out as Parquet (Snowflake and BigQuery unloads, Databricks and
//! DuckDB exports), typed: dates as dates, money as decimals, flags as booleans. Each value is
//! turned into the text a CSV export of the same table would hold, so a Parquet file and the CSV
//! written from it give the same rows: text as it is, integers as digits, decimals with their
//! scale (`1234.50`), dates as `YYYY-MM-DD`, timestamps as `YYYY-MM-DDTHH:MM:SS`, booleans as
//! `true`/`false`, nulls as empty. Column names are the header.
//!
//! A Parquet file has no lines: row k (counting from 1) is numbered k + 1, the line it has in
//! that CSV with its header, so quarantine.csv and records.csv point at the same row either way.
//! A damaged or truncated file is refused whole, never read in part.

use super::{HeaderKey, LineCounts, REPEATED_HEADER};
use arrow_array::RecordBatch;
use arrow_cast::display::{ArrayFormatter, FormatOptions};

/// A Parquet file's rows, split as [`super::workbook::Table`] splits a sheet's.
pub struct Table {
    pub headers: Vec<String>,
    /// (row number, values) of accepted rows.
    pub rows: Vec<(u32, crate::packed::Strings)>,
    /// (row number, reason, the row as a CSV line) of quarantined rows.
    pub quarantine: Vec<(u32, String, String)>,
    pub counts: LineCounts,
}

/// Whether `bytes` begin as a Parquet file does (its magic number, `PAR1`).
pub fn is_parquet(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PAR1")
}

/// Reads every row group of the file held in `bytes`. The error is a sentence to follow the
/// file's name; it never holds a value of the file.
pub fn read(bytes: Vec<u8>, max: usize) -> Result<Table, String> {
    // The reader checks what it reads, but a crafted file must not take the run down with it.
    std::panic::catch_unwind(move || read_batches(bytes))
        .unwrap_or_else(|_| Err(unreadable("its structure is inconsistent")))
        .and_then(|(headers, batches)| table(headers, &batches, max))
}

fn unreadable(why: &str) -> String {
    format!("starts as a Parquet file but cannot be read ({why}): damaged or cut short? Export it again")
}

fn read_batches(bytes: Vec<u8>) -> Result<(Vec<String>, Vec<RecordBatch>), String> {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let builder = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes))
        .map_err(|e| unreadable(&reason(&e.to_string())))?;
    let headers: Vec<String> = builder.schema().fields().iter().map(|f| f.name().trim().to_string()).collect();
    let reader = builder.with_batch_size(8192).build().map_err(|e| unreadable(&reason(&e.to_string())))?;
    let batches = reader.collect::<Result<Vec<_>, _>>().map_err(|e| unreadable(&reason(&e.to_string())))?;
    Ok((headers, batches))
}

/// The reader's own words, cut before anything that could be a value (they name structures,
/// offsets and lengths, but keep them short).
fn reason(message: &str) -> String {
    let first = message.lines().next().unwrap_or("").trim();
    let cut: String = first.chars().take(120).collect();
    if cut.is_empty() { "no reason given".into() } else { cut }
}

fn table(headers: Vec<String>, batches: &[RecordBatch], max: usize) -> Result<Table, String> {
    if headers.is_empty() {
        return Err("is a Parquet file without columns, expected a register".into());
    }
    let key = HeaderKey::new(&headers);
    let mut counts = LineCounts { header_lines: 1, lines_read: 1, ..LineCounts::default() };
    let mut rows = Vec::new();
    let mut quarantine = Vec::new();
    let options = FormatOptions::default().with_null("");
    let mut line = 1usize;
    let mut cells: Vec<String> = Vec::with_capacity(headers.len());
    for batch in batches {
        let formatters = batch
            .columns()
            .iter()
            .map(|column| ArrayFormatter::try_new(column.as_ref(), &options))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| unreadable(&reason(&e.to_string())))?;
        for r in 0..batch.num_rows() {
            line += 1;
            counts.lines_read = line;
            cells.clear();
            cells.extend(formatters.iter().map(|f| f.value(r).to_string()));
            if cells.iter().all(|c| c.trim().is_empty()) {
                counts.blank_lines += 1;
                continue;
            }
            let length: usize = cells.iter().map(|c| c.len() + 1).sum();
            let reason = if length > max {
                Some(format!(
                    "row longer than {} ({length} bytes); no customer record is that long",
                    super::size_text(max)
                ))
            } else if cells.iter().any(|c| c.contains('\0')) {
                Some("contains a NUL byte".to_string())
            } else if key.matches(cells.iter().map(String::as_str)) {
                Some(REPEATED_HEADER.to_string())
            } else {
                None
            };
            match reason {
                Some(reason) => {
                    counts.rows_quarantined += 1;
                    let mut w = csv::WriterBuilder::new()
                        .has_headers(false)
                        .terminator(csv::Terminator::Any(b'\n'))
                        .from_writer(Vec::new());
                    let _ = w.write_record(cells.iter().map(|c| c.as_bytes()));
                    let bytes = w.into_inner().unwrap_or_default();
                    let raw = String::from_utf8_lossy(&bytes).trim_end_matches('\n').to_string();
                    quarantine.push((line as u32, reason, raw));
                }
                None => {
                    counts.rows_accepted += 1;
                    rows.push((line as u32, crate::packed::Strings::new(cells.iter().map(String::as_str))));
                }
            }
        }
    }
    Ok(Table { headers, rows, quarantine, counts })
}
