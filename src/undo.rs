//! Undo: give back the rows of a merge exactly as they were read.
//!
//! CRM merge tools make merges hard to undo and lose their reasons. Here the original values of
//! every row live on in records.csv, so undoing a golden record writes its members back under
//! their source's original header, with the original values unchanged, in the source's own
//! encoding (and byte order mark), delimiter, line ends, quoting and Excel `sep=` line as
//! report.json's `inputs[]` recorded them: read again, the rows are the ones the export had. Optionally the members are recorded as `different` in a decisions file so that the
//! next run keeps them apart.

use crate::error::Error;
use crate::rundir::RunDir;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What an undo wrote.
#[derive(Debug, Default)]
pub struct UndoResult {
    /// Files written, with the number of rows in each.
    pub files: Vec<(PathBuf, usize)>,
    /// `different` decisions appended.
    pub decisions_added: usize,
}

/// Writes the members of `golden_ids` (golden ids, record ids or `SOURCE:RECORD_ID`, see
/// `RunDir::resolve`) back as read. Rows from one source go to `to`; when the
/// members come from several sources, the first source's rows go to `to` and each other
/// source's to `<to stem>.<source stem>.csv` beside it, because each source has its own header.
/// `force` allows replacing files that already exist; without it an existing file is refused
/// before anything is written.
pub fn undo(
    dir: &Path,
    golden_ids: &[String],
    to: &Path,
    decisions: Option<&Path>,
    force: bool,
) -> Result<UndoResult, Error> {
    let run = RunDir::open(dir)?;
    let mut members = Vec::new();
    let mut groups = Vec::new();
    for name in golden_ids {
        let m = run.members(&run.resolve(name)?)?;
        members.extend(m.iter().copied());
        groups.push(m);
    }
    members.sort_unstable();
    members.dedup();
    // The files this undo writes: refuse to replace an existing one unless forced.
    if !force {
        let mut first = true;
        for source in &run.sources {
            if !members.iter().any(|&i| run.rows[i][0] == *source.file) {
                continue;
            }
            let path = if first { to.to_path_buf() } else { sibling(to, &source.file) };
            first = false;
            if path.exists() {
                return Err(Error::input(&path, None, None, "already exists; give --force to replace it"));
            }
        }
    }
    // Sources in input order, each with its member rows.
    let mut result = UndoResult::default();
    let mut first = true;
    for source in &run.sources {
        let rows: Vec<usize> = members.iter().copied().filter(|&i| run.rows[i][0] == *source.file).collect();
        if rows.is_empty() {
            continue;
        }
        let path = if first { to.to_path_buf() } else { sibling(to, &source.file) };
        first = false;
        let columns: Vec<Option<usize>> = (0..source.headers.len()).map(|c| run.original_column(source, c)).collect();
        let write = || -> std::io::Result<()> {
            let mut out = csv::WriterBuilder::new()
                .delimiter(source.delimiter)
                .terminator(match source.line_end {
                    "\r\n" => csv::Terminator::CRLF,
                    end => csv::Terminator::Any(end.as_bytes()[0]),
                })
                .quote_style(if source.quote_all { csv::QuoteStyle::Always } else { csv::QuoteStyle::Necessary })
                .from_writer(Vec::new());
            out.write_record(&source.headers)?;
            for &i in &rows {
                out.write_record(columns.iter().map(|c| c.map(|c| &run.rows[i][c]).unwrap_or("")))?;
            }
            let mut text = String::new();
            if source.sep_line {
                text.push_str(&format!("sep={}{}", source.delimiter as char, source.line_end));
            }
            text.push_str(
                &String::from_utf8(out.into_inner().map_err(|e| e.into_error())?).map_err(std::io::Error::other)?,
            );
            std::fs::write(&path, encode(&text, &source.encoding))
        };
        write().map_err(|e| Error::io(&path, e))?;
        result.files.push((path, rows.len()));
    }
    if let Some(path) = decisions {
        let exists = path.exists() && std::fs::metadata(path).map(|m| m.len() > 0).unwrap_or(false);
        let mut text = String::new();
        if !exists {
            text.push_str("record_a,record_b,decision\n");
        }
        let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
        for group in &groups {
            for a in 0..group.len() {
                for b in a + 1..group.len() {
                    let _ = w.write_record([run.row_name(group[a]), run.row_name(group[b]), "different".into()]);
                    result.decisions_added += 1;
                }
            }
        }
        text.push_str(&String::from_utf8_lossy(&w.into_inner().unwrap_or_default()));
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(|e| Error::io(path, e))?;
        f.write_all(text.as_bytes()).map_err(|e| Error::io(path, e))?;
    }
    Ok(result)
}

/// Text in a source's encoding as report.json names it, with its byte order mark. A compressed
/// source is written uncompressed, a spreadsheet or Parquet file as UTF-8 CSV. A character the code page
/// cannot hold (none, for rows read from that code page) becomes an HTML character reference,
/// encoding_rs's way.
fn encode(text: &str, encoding: &str) -> Vec<u8> {
    let encoding = encoding.strip_prefix("gzip, ").unwrap_or(encoding);
    match encoding {
        "UTF-8 (BOM)" => [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat(),
        "UTF-16LE (BOM)" => [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect(),
        "UTF-16BE (BOM)" => [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect(),
        label => match encoding_rs::Encoding::for_label(label.as_bytes()) {
            Some(enc) if enc != encoding_rs::UTF_8 => enc.encode(text).0.into_owned(),
            _ => text.as_bytes().to_vec(),
        },
    }
}

fn sibling(to: &Path, source_file: &str) -> PathBuf {
    let stem = to.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "undo".into());
    let src = Path::new(source_file).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    to.with_file_name(format!("{stem}.{src}.csv"))
}
