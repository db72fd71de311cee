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

use super::{HeaderKey, LineCounts};
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
    let judge = Judge::new(&headers, max);
    let mut counts = LineCounts { header_lines: 1, lines_read: 1, ..LineCounts::default() };
    let mut rows = Vec::new();
    let mut quarantine = Vec::new();
    let mut line = 1usize;
    for batch in batches {
        each_row(batch, |cells| {
            line += 1;
            counts.lines_read = line;
            match judge.judge(cells) {
                Verdict::Blank => counts.blank_lines += 1,
                Verdict::Quarantined(reason) => {
                    counts.rows_quarantined += 1;
                    let raw = super::csv_line(cells.iter().map(String::as_str));
                    quarantine.push((line as u32, reason, raw));
                }
                Verdict::Accepted => {
                    counts.rows_accepted += 1;
                    rows.push((line as u32, crate::packed::Strings::new(cells.iter().map(String::as_str))));
                }
            }
        })
        .map_err(|e| unreadable(&reason(&e)))?;
    }
    Ok(Table { headers, rows, quarantine, counts })
}

/// What becomes of one row of cells read from an Arrow table (a Parquet file, or a batch the
/// engine-free core is handed, in the `batch` module).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every cell empty: no row at all (a blank line of the CSV export).
    Blank,
    /// Quarantined, for this reason (never a value of the row).
    Quarantined(String),
    Accepted,
}

/// Judges the rows of an Arrow table with the given header, as ingest judges a sheet's.
pub struct Judge {
    key: HeaderKey,
    max: usize,
}

impl Judge {
    /// `max`: the longest row accepted, in bytes (the config's `max_line_bytes`).
    pub fn new(headers: &[String], max: usize) -> Judge {
        Judge { key: HeaderKey::new(headers), max }
    }

    pub fn judge(&self, cells: &[String]) -> Verdict {
        if cells.iter().all(|c| c.trim().is_empty()) {
            return Verdict::Blank;
        }
        match super::cells_reason(cells.iter().map(String::as_str), &self.key, self.max, None) {
            Some(reason) => Verdict::Quarantined(reason),
            None => Verdict::Accepted,
        }
    }
}

/// Calls `each` with every row of `batch` as text, each value as a CSV export of the table
/// writes it (nulls empty). The error is Arrow's own, for a column it cannot format.
pub fn each_row(batch: &RecordBatch, mut each: impl FnMut(&[String])) -> Result<(), String> {
    let options = FormatOptions::default().with_null("");
    let formatters = batch
        .columns()
        .iter()
        .map(|column| ArrayFormatter::try_new(column.as_ref(), &options))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let mut cells: Vec<String> = Vec::with_capacity(formatters.len());
    for r in 0..batch.num_rows() {
        cells.clear();
        cells.extend(formatters.iter().map(|f| f.value(r).to_string()));
        each(&cells);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{ArrayRef, StringArray};
    use std::sync::Arc;

    /// A small file of typed columns, as a warehouse writes one.
    fn sample() -> Vec<u8> {
        use arrow_array::{BooleanArray, Date32Array, Decimal128Array, Int64Array, StringArray};
        let batch = RecordBatch::try_from_iter([
            ("id", Arc::new(Int64Array::from(vec![1, 2, 3])) as ArrayRef),
            ("name", Arc::new(StringArray::from(vec![Some("Kari"), None, Some("Ola")])) as ArrayRef),
            ("born", Arc::new(Date32Array::from(vec![Some(3789), Some(1827), None])) as ArrayRef),
            (
                "revenue",
                Arc::new(
                    Decimal128Array::from(vec![Some(123_450), None, Some(99)]).with_precision_and_scale(12, 2).unwrap(),
                ) as ArrayRef,
            ),
            ("consent", Arc::new(BooleanArray::from(vec![Some(true), Some(false), None])) as ArrayRef),
        ])
        .unwrap();
        let mut out = Vec::new();
        let mut w = parquet::arrow::ArrowWriter::try_new(&mut out, batch.schema(), None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        out
    }

    #[test]
    fn typed_values_read_as_a_csv_export_writes_them() {
        let t = read(sample(), 1 << 20).unwrap();
        assert_eq!(t.headers, ["id", "name", "born", "revenue", "consent"]);
        let rows: Vec<Vec<String>> = t.rows.iter().map(|(_, v)| v.to_vec()).collect();
        assert_eq!(rows[0], ["1", "Kari", "1980-05-17", "1234.50", "true"]);
        assert_eq!(rows[1], ["2", "", "1975-01-02", "", "false"]);
        assert_eq!(rows[2], ["3", "Ola", "", "0.99", ""]);
    }

    /// Every truncation and every single damaged byte of a real file is refused or read, never
    /// a crash: a damaged length must not become an allocation that aborts the process.
    #[test]
    fn damaged_files_are_refused_or_read_never_a_crash() {
        let good = sample();
        let mut refused = 0;
        for cut in 0..good.len() {
            refused += usize::from(read(good[..cut].to_vec(), 1 << 20).is_err());
        }
        for at in 0..good.len() {
            for byte in [0x00, 0xFF, good[at] ^ 0x10] {
                let mut bad = good.clone();
                bad[at] = byte;
                let _ = read(bad, 1 << 20);
            }
        }
        assert_eq!(refused, good.len(), "every cut file is refused");
    }

    #[test]
    fn rows_are_judged_as_a_sheets_rows_are() {
        let column = |v: Vec<Option<&str>>| Arc::new(StringArray::from(v)) as ArrayRef;
        let batch = RecordBatch::try_from_iter([
            ("Name", column(vec![Some("Kari"), Some("name"), None, Some("Ola\0"), Some("Per")])),
            ("Email", column(vec![Some("kari@example.no"), Some("E-MAIL"), None, Some("ola@example.no"), None])),
        ])
        .unwrap();
        let t = table(vec!["Name".into(), "Email".into()], &[batch], 1 << 20).unwrap();
        let accepted: Vec<(u32, Vec<String>)> = t.rows.iter().map(|(l, v)| (*l, v.to_vec())).collect();
        assert_eq!(
            accepted,
            [(2, vec!["Kari".to_string(), "kari@example.no".into()]), (6, vec!["Per".into(), "".into()])]
        );
        let quarantined: Vec<(u32, &str)> = t.quarantine.iter().map(|(l, r, _)| (*l, r.as_str())).collect();
        assert_eq!(quarantined, [(3, super::super::REPEATED_HEADER), (5, "contains a NUL byte")]);
        assert_eq!(t.quarantine[0].2, "name,E-MAIL", "the row as a CSV line");
        assert_eq!((t.counts.blank_lines, t.counts.rows_accepted, t.counts.rows_quarantined), (1, 2, 2));
        assert!(read(b"PAR1 but nothing else".to_vec(), 1 << 20).err().is_some_and(|e| e.contains("cannot be read")));
    }
}
