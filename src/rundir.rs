//! Run directory: read back the outputs of an earlier run, for `explain` and `undo`.
//!
//! Everything these commands need is in the files a run writes: records.csv holds every row's
//! original values under their original headers, report.json each source's header order and
//! delimiter, audit.jsonl why each golden record was formed. Nothing else is kept anywhere.

use crate::error::Error;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One input of the earlier run, as report.json describes it.
#[derive(Debug, Clone)]
pub struct SourceInfo {
    pub file: String,
    pub headers: Vec<String>,
    pub delimiter: u8,
    /// As report.json names it: `UTF-8`, `UTF-8 (BOM)`, `windows-1252`, `gzip, UTF-8`, `xlsx`...
    pub encoding: String,
    /// `"\r\n"`, `"\n"` or `"\r"` (`"\n"` for a run older than the `line_ending` key).
    pub line_end: &'static str,
    /// Every field was quoted in the source.
    pub quote_all: bool,
    /// The source started with Excel's `sep=X` line.
    pub sep_line: bool,
}

/// records.csv and report.json of a run.
pub struct RunDir {
    pub dir: PathBuf,
    pub headers: Vec<String>,
    pub rows: Vec<csv::StringRecord>,
    pub sources: Vec<SourceInfo>,
    column: HashMap<String, usize>,
}

/// Checks that `dir` is the output directory of a run before any file in it is read, so that a
/// mistyped directory gets a sentence instead of the OS's `(os error 2)`.
pub fn check_run_dir(dir: &Path) -> Result<(), Error> {
    const WHAT: &str = "give the output directory of `regclean run` (the --out of a run)";
    if !dir.exists() {
        return Err(Error::input(dir, None, None, &format!("no such directory; {WHAT}")));
    }
    if !dir.is_dir() {
        return Err(Error::input(dir, None, None, &format!("is a file, not a directory; {WHAT}")));
    }
    let missing: Vec<&str> = ["records.csv", "report.json"].into_iter().filter(|f| !dir.join(f).is_file()).collect();
    if !missing.is_empty() {
        return Err(Error::input(
            dir,
            None,
            None,
            &format!("is not the output of a run (no {}); {WHAT}", missing.join(" or ")),
        ));
    }
    Ok(())
}

impl RunDir {
    pub fn open(dir: &Path) -> Result<RunDir, Error> {
        check_run_dir(dir)?;
        let path = dir.join("records.csv");
        let mut reader = csv::Reader::from_path(&path).map_err(|e| match e.kind() {
            csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
                Error::input(&path, None, None, "not found; is this the output directory of `regclean run`?")
            }
            _ => Error::input(&path, None, None, &e.to_string()),
        })?;
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| Error::input(&path, Some(1), None, &e.to_string()))?
            .iter()
            .map(str::to_string)
            .collect();
        let mut rows = Vec::new();
        for (i, r) in reader.records().enumerate() {
            rows.push(r.map_err(|e| Error::input(&path, Some(i + 2), None, &e.to_string()))?);
        }
        let report_path = dir.join("report.json");
        let text = std::fs::read_to_string(&report_path).map_err(|e| Error::io(&report_path, e))?;
        let report: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| Error::input(&report_path, Some(e.line()), Some(e.column()), &e.to_string()))?;
        let sources = report["inputs"]
            .as_array()
            .map(|inputs| {
                inputs
                    .iter()
                    .map(|i| SourceInfo {
                        file: i["file"].as_str().unwrap_or("").to_string(),
                        headers: i["header_mapping"]
                            .as_array()
                            .map(|m| m.iter().map(|h| h["header"].as_str().unwrap_or("").to_string()).collect())
                            .unwrap_or_default(),
                        delimiter: match i["delimiter"].as_str() {
                            Some("tab") => b'\t',
                            Some(d) if d.len() == 1 => d.as_bytes()[0],
                            _ => b',',
                        },
                        encoding: i["encoding"].as_str().unwrap_or("UTF-8").to_string(),
                        line_end: match i["line_ending"].as_str() {
                            Some("CRLF") => "\r\n",
                            Some("CR") => "\r",
                            _ => "\n",
                        },
                        quote_all: i["quoting"].as_str() == Some("all"),
                        sep_line: i["excel_sep_line"].as_bool().unwrap_or(false),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let column = headers.iter().enumerate().map(|(i, h)| (h.clone(), i)).collect();
        Ok(RunDir { dir: dir.to_path_buf(), headers, rows, sources, column })
    }

    pub fn col(&self, name: &str) -> Option<usize> {
        self.column.get(name).copied()
    }

    /// Rows (indices) of a golden record, in input order; an error if the id is unknown.
    pub fn members(&self, golden_id: &str) -> Result<Vec<usize>, Error> {
        let g = self.col("golden_id").ok_or_else(|| Error::Usage("records.csv has no golden_id column".into()))?;
        let m: Vec<usize> = (0..self.rows.len()).filter(|&i| &self.rows[i][g] == golden_id).collect();
        if m.is_empty() {
            return Err(Error::Usage(format!(
                "unknown golden id '{golden_id}' in {}",
                self.dir.join("records.csv").display()
            )));
        }
        Ok(m)
    }

    /// The golden id a person names a customer by: a golden id, the CRM's own record id, or
    /// `SOURCE:RECORD_ID` (SOURCE a source or a source file, e.g. `hubspot_contacts.csv:10041`),
    /// or `SOURCE_FILE:SOURCE_LINE`. A record id that two different golden records carry (the
    /// same id in two systems) is an error that lists them by source, so the person can name one.
    pub fn resolve(&self, name: &str) -> Result<String, Error> {
        let g = self.col("golden_id").ok_or_else(|| Error::Usage("records.csv has no golden_id column".into()))?;
        if self.rows.iter().any(|r| &r[g] == name) {
            return Ok(name.to_string());
        }
        let (file, line, source, key) = (0, 1, self.col("source"), self.col("record_key"));
        let id_col = self.col("clean_record_id");
        let has_id =
            |r: &csv::StringRecord, id: &str| id_col.is_some_and(|c| &r[c] == id) || key.is_some_and(|c| &r[c] == id);
        let in_source = |r: &csv::StringRecord, s: &str| &r[file] == s || source.is_some_and(|c| &r[c] == s);
        let mut rows: Vec<usize> = (0..self.rows.len()).filter(|&i| has_id(&self.rows[i], name)).collect();
        if rows.is_empty()
            && let Some((s, id)) = name.rsplit_once(':')
        {
            rows = (0..self.rows.len()).filter(|&i| in_source(&self.rows[i], s) && has_id(&self.rows[i], id)).collect();
            if rows.is_empty() {
                rows =
                    (0..self.rows.len()).filter(|&i| &self.rows[i][file] == s && &self.rows[i][line] == id).collect();
            }
        }
        let mut goldens: Vec<&str> = rows.iter().map(|&i| &self.rows[i][g]).collect();
        goldens.sort_unstable();
        goldens.dedup();
        match goldens.as_slice() {
            [one] => Ok(one.to_string()),
            [] => Err(Error::Usage(format!(
                "unknown golden id or record id '{name}' in {} (give a golden_id, a record id, SOURCE:RECORD_ID or SOURCE_FILE:SOURCE_LINE)",
                self.dir.join("records.csv").display()
            ))),
            _ => {
                let candidates: Vec<String> = rows
                    .iter()
                    .map(|&i| {
                        let r = &self.rows[i];
                        let src = source.map_or(&r[file], |c| &r[c]);
                        format!("{src}:{name} ({} line {}, golden id {})", &r[file], &r[line], &r[g])
                    })
                    .collect();
                Err(Error::Usage(format!(
                    "record id '{name}' names {} golden records; name one as SOURCE:RECORD_ID (or SOURCE_FILE:SOURCE_LINE): {}",
                    goldens.len(),
                    candidates.join(", ")
                )))
            }
        }
    }

    /// The column of records.csv that holds a source's column `c` (records.csv names an empty
    /// header `column_N`).
    pub fn original_column(&self, source: &SourceInfo, c: usize) -> Option<usize> {
        let h = &source.headers[c];
        let name = if h.is_empty() { format!("column_{}", c + 1) } else { h.clone() };
        // Original columns follow the fixed ones, so a source column named `source` or
        // `golden_id` is found as itself.
        let fixed = crate::output::RECORDS_FIXED_COLUMNS.len();
        self.headers.iter().skip(fixed).position(|x| *x == name).map(|p| p + fixed)
    }

    pub fn source(&self, file: &str) -> Option<&SourceInfo> {
        self.sources.iter().find(|s| s.file == file)
    }

    /// How a row is named in a decisions file: its record id when that is unique in the run,
    /// else `source_file:source_line`.
    pub fn row_name(&self, i: usize) -> String {
        let r = &self.rows[i];
        if let Some(c) = self.col("clean_record_id") {
            let id = &r[c];
            if !id.is_empty() && self.rows.iter().filter(|x| &x[c] == id).count() == 1 {
                return id.to_string();
            }
        }
        format!("{}:{}", &r[0], &r[1])
    }
}
