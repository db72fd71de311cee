//! Ingest: read every export into rows that remember where they came from.
//!
//! This is the only stage that may fail on data, and only for whole files (missing, empty,
//! binary, duplicate headers, a header without rows). A single unreadable row never stops a run:
//! it goes to the quarantine with its physical line and a reason. Every physical line is
//! accounted for: header, blank, start of an accepted or quarantined row, or a continuation line
//! inside a quoted field. Original values are kept byte for byte (after decoding) so records.csv
//! and `undo` can give them back unchanged.

pub mod decode;
pub mod header_names;
pub mod headers;
pub mod sniff;

use crate::config::Config;
use crate::error::Error;
use crate::field::Field;
use sha2::{Digest, Sha256};
use std::path::Path;

/// A row longer than this is not a customer record but a broken export (an unterminated quote
/// that swallowed a file, a blob pasted into a cell); it is quarantined.
const MAX_ROW_BYTES: usize = 1 << 20;

/// One input file as read, with everything the report needs to describe it.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file name written in `source_file` (never an absolute path).
    pub name: String,
    pub sha256: String,
    pub encoding: String,
    pub dialect: sniff::Dialect,
    pub headers: Vec<String>,
    /// The canonical field each column maps to, by position.
    pub mapping: Vec<Option<Field>>,
    /// How each mapped column was recognised: `config`, `dictionary`, or why it was not used.
    pub mapping_notes: Vec<&'static str>,
    pub stray_lines: usize,
    pub counts: LineCounts,
}

impl Source {
    /// The column of each canonical field in this source's rows (by `Field::index`), or `None`
    /// where the source has no such column.
    pub fn columns_by_field(&self) -> Vec<Option<usize>> {
        let mut by_field = vec![None; Field::COUNT];
        for (col, f) in self.mapping.iter().enumerate() {
            if let Some(f) = f {
                by_field[f.index()] = Some(col);
            }
        }
        by_field
    }
}

/// How the physical lines of one file were used; the fields add up to `lines_read`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineCounts {
    pub lines_read: usize,
    /// The header line, plus Excel's `sep=` line when present.
    pub header_lines: usize,
    pub blank_lines: usize,
    /// Extra physical lines inside quoted fields of multi-line rows (accepted or quarantined).
    pub continuation_lines: usize,
    pub rows_accepted: usize,
    pub rows_quarantined: usize,
}

/// One accepted data row: the original values in the source's column order.
#[derive(Debug, Clone)]
pub struct Row {
    pub source: u32,
    pub line: u32,
    pub values: crate::packed::Strings,
}

/// A row that could not be read as a record.
#[derive(Debug, Clone)]
pub struct Quarantined {
    pub source: u32,
    pub line: u32,
    pub reason: String,
    pub raw: String,
}

/// All inputs read as one register.
#[derive(Debug, Default)]
pub struct Ingested {
    pub sources: Vec<Source>,
    pub rows: Vec<Row>,
    pub quarantine: Vec<Quarantined>,
}

/// Reads every input. Fails (and nothing is written) if any file cannot be read as a register;
/// all such problems are collected and reported together.
pub fn ingest(paths: &[impl AsRef<Path>], config: &Config) -> Result<Ingested, Error> {
    let mut out = Ingested::default();
    let mut problems = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for (i, path) in paths.iter().enumerate() {
        let path = path.as_ref();
        let name = display_name(path);
        if !names.insert(name.clone()) {
            problems.push(Error::input(
                path,
                None,
                None,
                "another input has the same file name; rename one so rows can be traced to their file",
            ));
            continue;
        }
        match read_file(path, &name, i as u32, config) {
            Ok((source, rows, quarantine)) => {
                out.sources.push(source);
                out.rows.extend(rows);
                out.quarantine.extend(quarantine);
            }
            Err(e) => problems.push(e),
        }
    }
    if problems.is_empty() { Ok(out) } else { Err(Error::many(problems)) }
}

/// The name a source is known by in outputs: its file name, so that outputs hold no absolute
/// paths and stay identical wherever the inputs live.
pub fn display_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.to_string_lossy().into_owned())
}

fn read_file(
    path: &Path,
    name: &str,
    index: u32,
    config: &Config,
) -> Result<(Source, Vec<Row>, Vec<Quarantined>), Error> {
    if path.is_dir() {
        return Err(Error::input(path, None, None, "is a directory, expected a CSV file"));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let decoded = decode::decode_owned(bytes).map_err(|e| match e {
        decode::DecodeError::Empty => Error::input(path, None, None, "is empty, expected a header line and rows"),
        decode::DecodeError::Binary { offset } => Error::input(
            path,
            None,
            None,
            &format!("looks like a binary file (control byte at offset {offset}), expected CSV text"),
        ),
    })?;
    let text = decoded.text.as_str();
    let (dialect, start) = sniff::sniff(text);
    let mut counts = LineCounts { header_lines: usize::from(dialect.sep_line), ..LineCounts::default() };
    let line = 1 + usize::from(dialect.sep_line);
    counts.lines_read = count_physical_lines(text);

    let body = &text[start..];
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(dialect.delimiter)
        .quote(dialect.quote)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut quarantine = Vec::new();
    let mut prev_end = 0usize;
    let mut header_width = 0;
    // Line of `scan_pos` in the body; advanced to each record's start.
    let (mut scan_pos, mut scan_line) = (0usize, line);
    let bytes = body.as_bytes();
    loop {
        let more = match reader.read_record(&mut record) {
            Ok(more) => more,
            Err(e) => {
                // The csv crate only fails on invalid UTF-8, which decoding rules out; keep the
                // rest of the file as one quarantined row rather than lose it.
                let raw = body[prev_end..].trim_matches(['\r', '\n']).to_string();
                counts.continuation_lines += terminators(&raw);
                quarantine.push(Quarantined {
                    source: index,
                    line: scan_line as u32,
                    reason: format!("unreadable: {e}"),
                    raw,
                });
                counts.rows_quarantined += 1;
                break;
            }
        };
        if !more {
            break;
        }
        let end = (reader.position().byte() as usize).min(body.len());
        let mut rec_start = record.position().map(|p| p.byte() as usize).unwrap_or(prev_end).min(end);
        // A record never starts with a line terminator; skip any the reader's start includes.
        while rec_start < end && matches!(bytes[rec_start], b'\n' | b'\r') {
            rec_start += 1;
        }
        scan_line += terminators_between(body, scan_pos, rec_start);
        scan_pos = rec_start;
        let raw = body[rec_start..end].trim_end_matches(['\r', '\n']);
        let spans = 1 + terminators(raw);
        prev_end = end;
        let this_line = scan_line;

        if record.iter().all(|f| f.trim().is_empty()) && !raw.contains('"') {
            // Lines of only whitespace or delimiters (`;;;;` from a spreadsheet) carry nothing.
            counts.blank_lines += spans;
            continue;
        }
        let Some(h) = &headers else {
            let hs: Vec<String> = record.iter().map(|s| s.trim().to_string()).collect();
            check_headers(path, this_line, &hs)?;
            header_width = hs.len();
            headers = Some(hs);
            counts.header_lines += spans;
            continue;
        };
        let _ = h;
        counts.continuation_lines += spans - 1;
        // An opening quote that is never closed swallows the rest of the file into this row.
        let unterminated = end == body.len() && raw.matches('"').count() % 2 == 1;
        let reason = if raw.len() > MAX_ROW_BYTES {
            Some(format!("row longer than 1 MiB ({} bytes); no customer record is that long", raw.len()))
        } else if unterminated {
            Some(format!(
                "unterminated quoted field: the quote opened on this line is never closed (found {} fields, expected {})",
                record.len(),
                header_width
            ))
        } else if raw.contains('\0') {
            Some("contains a NUL byte".to_string())
        } else if decoded.replaced_chars > 0 && raw.contains('\u{FFFD}') {
            Some("contains characters that cannot be decoded".to_string())
        } else if record.len() != header_width {
            Some(if raw.matches('"').count() % 2 == 1 {
                format!("unterminated quoted field: found {} fields, expected {}", record.len(), header_width)
            } else {
                format!("found {} fields, expected {}", record.len(), header_width)
            })
        } else {
            None
        };
        match reason {
            Some(reason) => {
                counts.rows_quarantined += 1;
                quarantine.push(Quarantined { source: index, line: this_line as u32, reason, raw: raw.to_string() });
            }
            None => {
                counts.rows_accepted += 1;
                rows.push(Row {
                    source: index,
                    line: this_line as u32,
                    values: crate::packed::Strings::new(record.iter()),
                });
            }
        }
    }
    let Some(headers) = headers else {
        return Err(Error::input(path, None, None, "has no header line, expected a header and rows"));
    };
    if counts.rows_accepted + counts.rows_quarantined == 0 {
        return Err(Error::input(path, Some(1 + usize::from(dialect.sep_line)), None, "has a header but no rows"));
    }
    // Every physical line not covered by a record (or by a record of only delimiters, counted
    // above) is a blank line the reader skipped.
    let used = counts.header_lines
        + counts.blank_lines
        + counts.continuation_lines
        + counts.rows_accepted
        + counts.rows_quarantined;
    counts.lines_read = counts.lines_read.max(used);
    counts.blank_lines += counts.lines_read - used;

    let (mapping, mapping_notes) = headers::map_headers(&headers, config);
    let source = Source {
        name: name.to_string(),
        sha256,
        encoding: decoded.encoding.clone(),
        dialect,
        headers,
        mapping,
        mapping_notes,
        stray_lines: decoded.stray_lines,
        counts,
    };
    Ok((source, rows, quarantine))
}

fn check_headers(path: &Path, line: usize, headers: &[String]) -> Result<(), Error> {
    let mut seen = std::collections::HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        if let Some(first) = seen.insert(h.as_str(), i) {
            return Err(Error::input(
                path,
                Some(line),
                Some(i + 1),
                &format!("duplicate header name (column {} has the same name); headers must be unique", first + 1),
            ));
        }
    }
    Ok(())
}

/// Physical lines in a text: line terminators (`\r\n`, `\r` or `\n`), plus a final line that
/// has none.
pub fn count_physical_lines(text: &str) -> usize {
    let t = terminators(text);
    if text.is_empty() || text.ends_with(['\n', '\r']) { t } else { t + 1 }
}

/// Line terminators in `text[from..to]`, not counting a `\n` at `from` that completes a `\r\n`
/// already counted before it.
fn terminators_between(text: &str, from: usize, to: usize) -> usize {
    let b = text.as_bytes();
    let mut from = from;
    if from > 0 && from < to && b[from - 1] == b'\r' && b[from] == b'\n' {
        from += 1;
    }
    terminators(&text[from..to])
}

/// Number of line terminators, counting `\r\n` once.
fn terminators(text: &str) -> usize {
    let b = text.as_bytes();
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => n += 1,
            b'\r' => {
                n += 1;
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    n
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(content: &[u8]) -> Result<(Source, Vec<Row>, Vec<Quarantined>), Error> {
        let dir = std::env::temp_dir().join(format!("regclean-ingest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("t{}.csv", content.len()));
        std::fs::write(&path, content).unwrap();
        let r = read_file(&path, "t.csv", 0, &Config::default());
        let _ = std::fs::remove_file(&path);
        r
    }

    #[test]
    fn every_line_is_accounted_for() {
        // (input, accepted lines, quarantined lines, blank lines)
        let cases: [(&[u8], &[u32], &[u32], usize); 6] = [
            (b"a,b\n1,2\n3,4\n", &[2, 3], &[], 0),
            (b"a,b\r\n1,2\r\n\r\n3,4\r\n", &[2, 4], &[], 1),
            (b"a,b\r1,2\r3,4", &[2, 3], &[], 0),
            (b"a,b\n\"x\ny\",2\n3,4\n", &[2, 4], &[], 0),
            (b"a,b\n1,2,3\n4\n5,6\n\n", &[4], &[2, 3], 1),
            (b"sep=;\na;b\n1;2\n;\n3;\"open\n", &[3], &[5], 1),
        ];
        for (input, accepted, quarantined, blank) in cases {
            let (src, rows, q) = read_str(input).unwrap();
            let lines: Vec<u32> = rows.iter().map(|r| r.line).collect();
            let qlines: Vec<u32> = q.iter().map(|r| r.line).collect();
            assert_eq!(
                (lines.as_slice(), qlines.as_slice(), src.counts.blank_lines),
                (accepted, quarantined, blank),
                "{:?}",
                String::from_utf8_lossy(input)
            );
            let c = src.counts;
            assert_eq!(
                c.lines_read,
                c.header_lines + c.blank_lines + c.continuation_lines + c.rows_accepted + c.rows_quarantined
            );
        }
    }

    #[test]
    fn keeps_original_values_and_quarantine_raw() {
        let (_, rows, q) = read_str(b"name;note\n\" Ola \";\"a;b\"\nKari;x;y\n").unwrap();
        assert_eq!(rows[0].values.to_vec(), vec![" Ola ", "a;b"]);
        assert_eq!(q[0].raw, "Kari;x;y");
        assert_eq!(q[0].reason, "found 3 fields, expected 2");
    }

    #[test]
    fn refuses_bad_files_with_position() {
        let cases: [(&[u8], &str); 3] = [
            (b"", "is empty"),
            (b"a,b\n", "has a header but no rows"),
            (b"id,name,name\n1,2,3\n", "line 1, column 3: duplicate header name"),
        ];
        for (input, msg) in cases {
            let e = read_str(input).unwrap_err().to_string();
            assert!(e.contains(msg), "{e}");
        }
    }
}
