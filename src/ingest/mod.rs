//! Ingest: read every export into rows that remember where they came from.
//!
//! An input is a CSV (any common dialect and encoding), a gzip'd CSV, or a sheet of an Excel or
//! OpenDocument workbook; `kind` tells which from the file's first bytes and refuses archives,
//! PDFs and other files that are no register with a message that says what to do. Every kind
//! ends as the same rows, each numbered by its physical line (or sheet row).
//!
//! This is the only stage that may fail on data, and only for whole files (missing, empty,
//! binary, an archive). Two columns of one name are both kept, the second renamed (`EMAIL (2)`). A file with a header and no rows is not an error: it
//! gives no rows, and `Source::is_empty` says so for the report. A single unreadable row never
//! stops a run: it goes to the quarantine with its physical line and a reason (a repeat of the
//! header inside the file, from two exports pasted together, is one). Every physical line is
//! accounted for: header, blank, start of an accepted or quarantined row, or a continuation line
//! inside a quoted field. Original values are kept byte for byte (after decoding) so records.csv
//! and `undo` can give them back unchanged.

pub mod decode;
pub mod gzip;
pub mod header_names;
pub mod headers;
pub mod kind;
pub mod parquet;
pub mod sniff;
pub mod workbook;

use crate::error::Error;
use crate::field::Field;
use headers::ColumnRule;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// By default, a row longer than this is not a customer record but a broken export (an
/// unterminated quote that swallowed a file, a blob pasted into a cell); it is quarantined, and
/// a first line this long is refused as a header. The config's `max_line_bytes` changes it.
pub const MAX_ROW_BYTES: usize = 1 << 20;

/// How to read the inputs: the config's header mappings, the sheet of spreadsheet inputs, and
/// the longest line accepted.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions<'a> {
    /// The config's explicit header mappings (normalised header → rule).
    pub columns: &'a BTreeMap<String, ColumnRule>,
    /// `--sheet`: the sheet to read in every spreadsheet input.
    pub sheet: Option<&'a str>,
    /// The longest line (header included) and row accepted, in bytes.
    pub max_line_bytes: usize,
}

/// A byte limit as people say it: `1 MiB`, `512 KiB`, `300 bytes`.
pub fn size_text(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// Why a row of cells read from a typed file (a sheet, a Parquet file) is quarantined, or
/// `None` to accept it: longer than `max`, a NUL byte, `extra` (the sheet's row wider than its
/// header), or the header again. Delimited text judges its lines in `parse_span`, where quoting
/// adds reasons of its own.
fn cells_reason<'a>(
    cells: impl Iterator<Item = &'a str> + Clone,
    key: &HeaderKey,
    max: usize,
    extra: Option<String>,
) -> Option<String> {
    let length: usize = cells.clone().map(|c| c.len() + 1).sum();
    if length > max {
        Some(format!("row longer than {} ({length} bytes); no customer record is that long", size_text(max)))
    } else if cells.clone().any(|c| c.contains('\0')) {
        Some("contains a NUL byte".to_string())
    } else if extra.is_some() {
        extra
    } else if key.matches(cells) {
        Some(REPEATED_HEADER.to_string())
    } else {
        None
    }
}

/// Cells as one CSV line, as quarantine.csv's `raw` shows a row of a typed file.
fn csv_line<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    let mut w =
        csv::WriterBuilder::new().has_headers(false).terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let _ = w.write_record(cells.map(str::as_bytes));
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).trim_end_matches('\n').to_string()
}

/// The quarantine reason of a row that repeats the header (two exports pasted into one file,
/// or a file saved with two header rows): it is no customer.
pub const REPEATED_HEADER: &str = "repeated header";

/// The header as data rows are compared with it: lower case, letters and digits only, so that
/// ` Name `, `NAME`, an API-style `FIRST_NAME` for `First Name`, and a header behind a
/// byte-order mark (two Excel "CSV UTF-8" exports pasted together) all repeat the header.
struct HeaderKey(Vec<String>);

impl HeaderKey {
    fn new(headers: &[String]) -> HeaderKey {
        HeaderKey(headers.iter().map(|h| fold(h).collect()).collect())
    }

    fn width(&self) -> usize {
        self.0.len()
    }

    /// True when a row has the header's fields, each equal to its header name (no allocation:
    /// this runs on every row).
    fn matches<'a>(&self, mut fields: impl Iterator<Item = &'a str>) -> bool {
        let mut names = self.0.iter();
        loop {
            match (fields.next(), names.next()) {
                (None, None) => return true,
                (Some(f), Some(k)) if fold(f).eq(k.chars()) => {}
                _ => return false,
            }
        }
    }
}

/// A header name as [`HeaderKey`] compares it.
fn fold(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars().flat_map(char::to_lowercase).filter(|c| c.is_alphanumeric())
}

/// One input file as read, with everything the report needs to describe it.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file name written in `source_file` (never an absolute path).
    pub name: String,
    /// The source (the system the file was exported from) whose name outlives file names: the
    /// file name until the pipeline assigns it (`sources::assign`).
    pub source: String,
    pub sha256: String,
    /// The text encoding (`UTF-8`, `windows-1252`, ...; `gzip, UTF-8` for a gzip'd CSV), or the
    /// workbook format (`xlsx`, `xls`, `ods`) for a spreadsheet.
    pub encoding: String,
    /// For a spreadsheet, what `undo` writes its rows back as: comma-separated.
    pub dialect: sniff::Dialect,
    /// The sheet read, for a spreadsheet.
    pub sheet: Option<String>,
    pub headers: Vec<String>,
    /// The canonical field each column maps to, by position.
    pub mapping: Vec<Option<Field>>,
    /// How each mapped column was recognised: `config`, `dictionary`, or why it was not used.
    pub mapping_notes: Vec<&'static str>,
    /// How each mapped column's values are read (an opt-out, a filled time; see `Reading`).
    pub readings: Vec<headers::Reading>,
    /// The custom field (index into the config's `[fields]`) each column holds, by position.
    pub custom: Vec<Option<u16>>,
    /// Second company or website columns, read in the rows where the field's column is empty
    /// (`headers::Mapping::fallbacks`).
    pub fallbacks: Vec<(Field, usize)>,
    /// The column that says per row whether the row is an organisation, and the value that
    /// means it is (`headers::Mapping::organisation_flag`).
    pub organisation_flag: Option<(usize, bool)>,
    /// The account's address, read instead of the file's own in organisation rows
    /// (`headers::Mapping::account_address`).
    pub account_address: Vec<(Field, usize)>,
    /// Columns whose header repeats an earlier column's, renamed with a suffix (`EMAIL (2)`):
    /// (column, the earlier column), 0-based.
    pub duplicate_headers: Vec<(usize, usize)>,
    pub stray_lines: usize,
    pub counts: LineCounts,
}

impl Source {
    /// A source named `name` whose columns `headers` map as `mapped` says, read from no file
    /// yet (no hash, encoding or line counts): ingest fills those in, and the engine-free core
    /// (the `batch` module) reads a table of record batches this way.
    pub fn of_table(
        name: &str,
        headers: Vec<String>,
        duplicate_headers: Vec<(usize, usize)>,
        mapped: headers::Mapping,
    ) -> Source {
        let headers::Mapping {
            fields: mapping,
            notes: mapping_notes,
            readings,
            custom,
            fallbacks,
            organisation_flag,
            account_address,
        } = mapped;
        Source {
            name: name.to_string(),
            source: name.to_string(),
            sha256: String::new(),
            encoding: String::new(),
            dialect: sniff::Dialect::PLAIN,
            sheet: None,
            headers,
            mapping,
            mapping_notes,
            readings,
            custom,
            fallbacks,
            organisation_flag,
            account_address,
            duplicate_headers,
            stray_lines: 0,
            counts: LineCounts::default(),
        }
    }

    /// The column of each canonical field in this source's rows (by `Field::index`), or `None`
    /// where the source has no such column.
    /// A channel field read from several columns gives its first (see [`Source::channel_columns`]
    /// for all of them).
    pub fn columns_by_field(&self) -> Vec<Option<usize>> {
        let mut by_field = vec![None; Field::COUNT];
        for (col, f) in self.mapping.iter().enumerate() {
            if let Some(f) = f {
                by_field[f.index()].get_or_insert(col);
            }
        }
        by_field
    }

    /// The field a column is read as in some rows only: a second company or website column, or
    /// the account's address (see [`Source::fallbacks`] and [`Source::account_address`]).
    pub fn read_as(&self, col: usize) -> Option<Field> {
        self.fallbacks.iter().chain(&self.account_address).find(|&&(_, c)| c == col).map(|&(f, _)| f)
    }

    /// Every column read for a channel field (consent, opt-out, bounce; [`Field::CHANNEL`]),
    /// with how it is read, in column order. A channel field may have several.
    pub fn channel_columns(&self) -> Vec<(Field, usize, headers::Reading)> {
        self.mapping
            .iter()
            .enumerate()
            .filter_map(|(col, f)| f.filter(|f| f.is_channel()).map(|f| (f, col, self.readings[col])))
            .collect()
    }

    /// The column of each custom field (by its index in the config's `[fields]`) in this
    /// source's rows, for `n` custom fields.
    pub fn columns_by_custom(&self, n: usize) -> Vec<Option<usize>> {
        let mut by_field = vec![None; n];
        for (col, k) in self.custom.iter().enumerate() {
            if let Some(k) = k
                && let Some(slot) = by_field.get_mut(*k as usize)
            {
                *slot = Some(col);
            }
        }
        by_field
    }

    /// True when the file had a header and no row at all (neither accepted nor quarantined): not
    /// an error, since a run of several exports goes on without it, but worth a warning.
    pub fn is_empty(&self) -> bool {
        self.counts.rows_accepted + self.counts.rows_quarantined == 0
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
    /// Rows (accepted or quarantined) left out because an erasure log names them
    /// ([`Ingested::erase`]); 0 unless a run obeys one.
    pub rows_erased: usize,
}

/// One accepted data row: the original values in the source's column order.
#[derive(Debug, Clone)]
pub struct Row {
    pub source: u32,
    pub line: u32,
    /// A hash of the original values ([`values_hash`]): the identity of a row without a record
    /// id, kept while the values themselves are spilled ([`Ingested::spill_values`]).
    pub hash: u64,
    /// Empty while spilled.
    pub values: crate::packed::Strings,
}

impl Row {
    pub fn new(source: u32, line: u32, values: crate::packed::Strings) -> Row {
        Row { source, line, hash: values_hash(&values), values }
    }
}

/// A hash of a row's original values, the identity of a row without a record id: it does not
/// change when rows move or the file is renamed.
fn values_hash(values: &crate::packed::Strings) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    for v in values.iter() {
        v.hash(&mut h);
    }
    h.finish()
}

/// The original values of every row, on disk while nothing reads them (see `spill`).
#[derive(Debug)]
pub struct SpilledValues(crate::spill::Spilled);

impl SpilledValues {
    /// Bytes on disk, for the memory model.
    pub fn bytes(&self) -> u64 {
        self.0.bytes()
    }

    /// The original values a batch of rows at a time, in row order, on demand.
    pub fn batches(&self) -> std::io::Result<crate::spill::Reader<'_, crate::packed::Strings>> {
        crate::spill::Batches::open(&self.0, crate::packed::Strings::unspill)
    }

    /// Hands `f` the original values a batch of rows at a time, in row order: the index of the
    /// batch's first row and each row's values.
    pub fn for_each_batch(
        &self,
        f: impl FnMut(usize, Vec<crate::packed::Strings>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        crate::spill::read_batches(&self.0, crate::packed::Strings::unspill, f)
    }
}

/// The original values of a few rows in a few columns, the ones golden.csv and the report need
/// of each golden record's pass-through member, taken from the batches of rows records.csv reads
/// back from the spill file ([`SpilledValues::batches`]) on their way: the register's values are
/// never in memory, and the file is read and unpacked once.
#[derive(Debug)]
pub struct Gatherer<'a> {
    rows: &'a [Row],
    keep: &'a [Vec<bool>],
    /// Per source, each kept column's place among the source's kept columns.
    columns: Vec<Vec<Option<u32>>>,
    /// (row, k) of the k-th wanted row, by row.
    order: Vec<(usize, u32)>,
    /// Each wanted row's values, in row order: `first[k]` is the index of row k's first one.
    first: Vec<u32>,
    values: crate::packed::StringsBuilder,
    /// How many of `order` are taken.
    next: usize,
    sources: Vec<u32>,
}

impl<'a> Gatherer<'a> {
    /// Gathers the rows `wanted` (in any order, repeats allowed) in the columns
    /// `keep[source][column]`.
    pub fn new(rows: &'a [Row], wanted: &[usize], keep: &'a [Vec<bool>]) -> Gatherer<'a> {
        let columns: Vec<Vec<Option<u32>>> = keep
            .iter()
            .map(|k| {
                let mut next = 0u32;
                k.iter().map(|&kept| kept.then(|| (next, next += 1).0)).collect()
            })
            .collect();
        let mut order: Vec<(usize, u32)> = wanted.iter().enumerate().map(|(k, &r)| (r, k as u32)).collect();
        order.sort_unstable();
        let sources = wanted.iter().map(|&r| rows[r].source).collect();
        Gatherer {
            rows,
            keep,
            columns,
            order,
            first: vec![0u32; wanted.len()],
            values: crate::packed::StringsBuilder::default(),
            next: 0,
            sources,
        }
    }

    /// Takes the wanted values of a batch of rows, the rows from `start` on, in row order: every
    /// row is handed over once, batch after batch.
    pub fn take(&mut self, start: usize, batch: &[crate::packed::Strings]) {
        let width = |columns: &[Vec<Option<u32>>], source: u32| columns[source as usize].iter().flatten().count();
        while let Some(&(r, k)) = self.order.get(self.next) {
            let Some(row_values) = r.checked_sub(start).and_then(|i| batch.get(i)) else { break };
            let source = self.rows[r].source as usize;
            self.first[k as usize] = crate::packed::offset(self.values.len());
            for (c, kept) in self.keep[source].iter().enumerate() {
                if *kept {
                    self.values.push(if c < row_values.len() { row_values.get(c) } else { "" });
                }
            }
            debug_assert_eq!(
                self.values.len() - self.first[k as usize] as usize,
                width(&self.columns, self.rows[r].source)
            );
            self.next += 1;
        }
    }

    /// The values gathered; an error when some wanted row was never handed over (a spill file
    /// cut short).
    pub fn finish(self) -> std::io::Result<Gathered> {
        if self.next != self.order.len() {
            return Err(crate::spill::damaged());
        }
        Ok(Gathered { columns: self.columns, first: self.first, sources: self.sources, values: self.values.finish() })
    }
}

/// Original values of a few rows in a few columns ([`Gatherer`]).
#[derive(Debug)]
pub struct Gathered {
    columns: Vec<Vec<Option<u32>>>,
    first: Vec<u32>,
    sources: Vec<u32>,
    values: crate::packed::Strings,
}

impl Gathered {
    /// The value in column `col` of the `k`-th wanted row, when that column was kept.
    pub fn get(&self, k: usize, col: usize) -> Option<&str> {
        let place = (*self.columns[self.sources[k] as usize].get(col)?)?;
        Some(self.values.get(self.first[k] as usize + place as usize))
    }
}

impl Ingested {
    /// Leaves out the accepted rows `rows` and the quarantined lines `quarantined` (indices,
    /// any order) as erased: a person an erasure log names (`suppress`) is not read again. Each
    /// is counted in its source's `rows_erased`, so every row is still accounted for.
    pub fn erase(&mut self, rows: &[usize], quarantined: &[usize]) {
        let rows: std::collections::HashSet<usize> = rows.iter().copied().collect();
        let quarantined: std::collections::HashSet<usize> = quarantined.iter().copied().collect();
        let mut k = 0;
        let sources = &mut self.sources;
        self.rows.retain(|row| {
            let keep = !rows.contains(&k);
            k += 1;
            if !keep {
                let c = &mut sources[row.source as usize].counts;
                c.rows_accepted -= 1;
                c.rows_erased += 1;
            }
            keep
        });
        let mut k = 0;
        self.quarantine.retain(|q| {
            let keep = !quarantined.contains(&k);
            k += 1;
            if !keep {
                let c = &mut sources[q.source as usize].counts;
                c.rows_quarantined -= 1;
                c.rows_erased += 1;
            }
            keep
        });
    }
}

impl Ingested {
    /// Moves every row's original values to the scratch file `path`: the rows keep their source,
    /// line and hash, and their values are empty from here on: the writers read them back from
    /// the file ([`SpilledValues::for_each_batch`], [`SpilledValues::gather`]).
    pub fn spill_values(&mut self, path: &Path) -> std::io::Result<SpilledValues> {
        use rayon::prelude::*;
        let spilled = crate::spill::write(path, &self.rows, |row, buf| row.values.spill(buf))?;
        self.rows.par_iter_mut().for_each(|row| row.values = crate::packed::Strings::default());
        Ok(SpilledValues(spilled))
    }

    /// Bytes the rows hold, themselves and their values, for the memory model.
    pub fn rows_bytes(&self) -> u64 {
        use rayon::prelude::*;
        self.rows.par_iter().map(|r| (std::mem::size_of::<Row>() + r.values.heap_bytes()) as u64).sum()
    }

    /// The inputs that had a header and no rows (see [`Source::is_empty`]), in input order.
    pub fn empty_sources(&self) -> impl Iterator<Item = &Source> {
        self.sources.iter().filter(|s| s.is_empty())
    }

    /// What every quarantined row had in common, when they all failed for one reason: the reason
    /// (field counts or a kind of damage, never a value), with a hint when each row has one field
    /// more than the header (a trailing delimiter whose fields are all empty is read, so the
    /// extra field holds something).
    pub fn quarantine_in_common(&self) -> Option<String> {
        let first = self.quarantine.first()?;
        if self.quarantine.iter().any(|q| q.reason != first.reason) {
            return None;
        }
        let counts: Vec<usize> =
            first.reason.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect();
        let hint = match counts[..] {
            [found, expected] if found == expected + 1 => {
                format!(
                    "every rejected row has {found} fields, the header {expected}: a value the header has no column for, or a delimiter inside an unquoted value?"
                )
            }
            _ => format!("every rejected row: {}", first.reason),
        };
        Some(hint)
    }
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
/// all such problems are collected and reported together. `progress` advances by each file's
/// size in bytes (the caller opens the stage with the sum of the sizes).
pub fn ingest(
    paths: &[impl AsRef<Path>],
    options: &ReadOptions<'_>,
    progress: &dyn crate::progress::Progress,
) -> Result<Ingested, Error> {
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
        match read_file(path, &name, i as u32, options, progress) {
            Ok((source, rows, quarantine)) => {
                out.sources.push(source);
                // The first file's rows are taken as they are, not copied into a new vector.
                if out.rows.is_empty() {
                    out.rows = rows;
                } else {
                    out.rows.extend(rows);
                }
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
    options: &ReadOptions<'_>,
    progress: &dyn crate::progress::Progress,
) -> Result<(Source, Vec<Row>, Vec<Quarantined>), Error> {
    if path.is_dir() {
        return Err(Error::input(path, None, None, "is a directory, expected a CSV file or spreadsheet"));
    }
    // A device, pipe or socket may never end (`/dev/zero`) or never start (a FIFO no one
    // writes to): only regular files are read, so memory stays the size of the file.
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(Error::input(
            path,
            None,
            None,
            "is not a regular file (a device, pipe or socket), expected a CSV file: save the export to a file first",
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    // Parsing, not reading, is the slow part: the file's bytes are reported as its text is
    // parsed, in proportion (the text, decoded or decompressed, is not the size of the file),
    // and whatever is left when the file is done.
    let size = bytes.len() as u64;
    let reported = std::sync::atomic::AtomicU64::new(0);
    let parsed = |part: usize, of: usize| {
        let n = (part as u128 * size as u128 / of.max(1) as u128) as u64;
        reported.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        progress.advance(n);
    };
    let result = read_file_bytes(path, name, index, options, bytes, &parsed);
    progress.advance(size.saturating_sub(reported.into_inner()));
    result
}

/// [`read_file`] once the bytes are read; `parsed(part, of)` reports `part` bytes of a text of
/// `of` bytes parsed.
fn read_file_bytes(
    path: &Path,
    name: &str,
    index: u32,
    options: &ReadOptions<'_>,
    bytes: Vec<u8>,
    parsed: &(dyn Fn(usize, usize) + Sync),
) -> Result<(Source, Vec<Row>, Vec<Quarantined>), Error> {
    let (columns, sheet, max) = (options.columns, options.sheet, options.max_line_bytes);
    let sha256 = hex(&Sha256::digest(&bytes));
    let parsed = match kind::detect(&bytes) {
        kind::Kind::Text => read_text(path, bytes, "", max, index, parsed)?,
        kind::Kind::Workbook(format) => read_workbook(path, bytes, format, sheet, max, index)?,
        kind::Kind::Parquet => read_parquet(path, bytes, max, index)?,
        kind::Kind::Refused(message) => return Err(Error::input(path, None, None, &message)),
        kind::Kind::Gzip => {
            let text = gzip::gunzip(&bytes, gzip::MAX_DECOMPRESSED_BYTES, max).map_err(|e| {
                let message = match e {
                    gzip::GunzipError::Corrupt(why) => {
                        format!("is gzip-compressed but cannot be decompressed ({why}): damaged or cut short?")
                    }
                    gzip::GunzipError::TooLarge(limit) => format!(
                        "is gzip-compressed and decompresses to more than {} GiB, more than any register: decompress it yourself if it really is one",
                        limit >> 30
                    ),
                    gzip::GunzipError::FirstLineTooLong => format!(
                        "is gzip-compressed and its first line is longer than {} MiB: not a CSV header",
                        MAX_ROW_BYTES >> 20
                    ),
                };
                Error::input(path, None, None, &message)
            })?;
            drop(bytes);
            match kind::detect(&text) {
                kind::Kind::Text => read_text(path, text, "gzip, ", max, index, parsed)?,
                kind::Kind::Workbook(format) => read_workbook(path, text, format, sheet, max, index)?,
                kind::Kind::Parquet => read_parquet(path, text, max, index)?,
                kind::Kind::Gzip => {
                    return Err(Error::input(
                        path,
                        None,
                        None,
                        "is gzip-compressed twice; decompress it once and pass that",
                    ));
                }
                kind::Kind::Refused(message) => {
                    let what = message.strip_prefix("is ").unwrap_or(&message);
                    return Err(Error::input(
                        path,
                        None,
                        None,
                        &format!("is gzip-compressed, and inside it is {what}"),
                    ));
                }
            }
        }
    };
    let Parsed { encoding, dialect, stray_lines, sheet, mut headers, rows, quarantine, counts } = parsed;
    let duplicate_headers = unique_headers(&mut headers);
    let quarantine: Vec<Quarantined> =
        quarantine.into_iter().map(|(line, reason, raw)| Quarantined { source: index, line, reason, raw }).collect();
    let mut mapped = headers::map_columns(&headers, columns);
    headers::unmap_counts(&mut mapped, |col| rows.iter().map(move |r| &r.values[col]));
    let mut source = Source::of_table(name, headers, duplicate_headers, mapped);
    (source.sha256, source.encoding, source.dialect, source.sheet) = (sha256, encoding, dialect, sheet);
    (source.stray_lines, source.counts) = (stray_lines, counts);
    Ok((source, rows, quarantine))
}

/// One input split into a header and rows, whatever kind of file it was.
struct Parsed {
    encoding: String,
    dialect: sniff::Dialect,
    stray_lines: usize,
    sheet: Option<String>,
    headers: Vec<String>,
    /// The accepted rows.
    rows: Vec<Row>,
    /// (line, reason, raw) of quarantined rows.
    quarantine: Vec<(u32, String, String)>,
    counts: LineCounts,
}

/// Reads delimited text: decode, sniff the dialect, split records. `container` prefixes the
/// encoding for the report (`gzip, `).
fn read_text(
    path: &Path,
    bytes: Vec<u8>,
    container: &str,
    max: usize,
    source: u32,
    parsed: &(dyn Fn(usize, usize) + Sync),
) -> Result<Parsed, Error> {
    // The header line is bounded like every row: a file whose first line runs past the limit
    // is not a register.
    let first_line = bytes.iter().position(|&b| b == b'\n').unwrap_or(bytes.len());
    if first_line > max {
        return Err(Error::input(
            path,
            Some(1),
            None,
            &format!(
                "the first line is longer than {}: not a CSV header (max_line_bytes in the config)",
                size_text(max)
            ),
        ));
    }
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
    let mut ctx = SpanContext {
        body,
        dialect: &dialect,
        replaced_chars: decoded.replaced_chars,
        max_line: max,
        trailing: false,
        source,
    };
    // The header first, then the rest: in parallel chunks for large files (see `parse_chunks`).
    let head = parse_span(&ctx, 0, body.len(), line, None, true);
    let (mut rows, mut quarantine) = (head.rows, head.quarantine);
    counts.add(&head.counts);
    let Some(headers) = head.headers else {
        return Err(Error::input(path, None, None, "has no header line, expected a header and rows"));
    };
    let key = HeaderKey::new(&headers);
    ctx.trailing = trailing_delimiter(&ctx, head.stop, key.width());
    let parts = parse_chunks(&ctx, head.stop, head.stop_line, &key, &|part| parsed(part, body.len()));
    // The rows of every chunk in one vector of its final size: grown chunk by chunk, it would
    // pass through twice its size of fresh memory (tens of megabytes at a million rows).
    rows.reserve_exact(parts.iter().map(|p| p.rows.len()).sum());
    for part in parts {
        rows.extend(part.rows);
        quarantine.extend(part.quarantine);
        counts.add(&part.counts);
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
    Ok(Parsed {
        encoding: format!("{container}{}", decoded.encoding),
        dialect,
        stray_lines: decoded.stray_lines,
        sheet: None,
        headers,
        rows,
        quarantine,
        counts,
    })
}

/// Reads one sheet of a workbook (see `workbook`) as the rows of input `source`.
fn read_workbook(
    path: &Path,
    bytes: Vec<u8>,
    format: kind::Workbook,
    sheet: Option<&str>,
    max: usize,
    source: u32,
) -> Result<Parsed, Error> {
    let table = workbook::read(bytes, format, sheet, max).map_err(|e| {
        let (line, column, message) = e.message(format);
        Error::input(path, line, column, &message)
    })?;
    Ok(Parsed {
        encoding: format.name().to_string(),
        dialect: sniff::Dialect::PLAIN,
        stray_lines: 0,
        sheet: Some(table.sheet),
        headers: table.headers,
        rows: rows_of(source, table.rows),
        quarantine: table.quarantine,
        counts: table.counts,
    })
}

/// Reads a Parquet file (see `parquet`) as the rows of input `source`.
fn read_parquet(path: &Path, bytes: Vec<u8>, max: usize, source: u32) -> Result<Parsed, Error> {
    let table = parquet::read(bytes, max).map_err(|message| Error::input(path, None, None, &message))?;
    Ok(Parsed {
        encoding: "parquet".to_string(),
        dialect: sniff::Dialect::PLAIN,
        stray_lines: 0,
        sheet: None,
        headers: table.headers,
        rows: rows_of(source, table.rows),
        quarantine: table.quarantine,
        counts: table.counts,
    })
}

/// The rows of input `source` from a typed file's (line, values).
fn rows_of(source: u32, rows: Vec<(u32, crate::packed::Strings)>) -> Vec<Row> {
    use rayon::prelude::*;
    rows.into_par_iter().map(|(line, values)| Row::new(source, line, values)).collect()
}

/// Checks the chunked reader against one sequential pass on `text` (already decoded), with
/// chunks of about `chunk` bytes: both must give the same rows, quarantined rows and line
/// counts. For tests and the `ingest` fuzz target; `true` when there is nothing to compare
/// (no header).
#[doc(hidden)]
pub fn chunked_matches_sequential(text: &str, chunk: usize) -> bool {
    let (dialect, start) = sniff::sniff(text);
    let body = &text[start..];
    let mut ctx =
        SpanContext { body, dialect: &dialect, replaced_chars: 0, max_line: MAX_ROW_BYTES, trailing: false, source: 0 };
    let head = parse_span(&ctx, 0, body.len(), 1, None, true);
    let Some(key) = head.headers.as_deref().map(HeaderKey::new) else {
        return true;
    };
    ctx.trailing = trailing_delimiter(&ctx, head.stop, key.width());
    let flatten = |spans: Vec<Span>| {
        let mut rows = Vec::new();
        let mut quarantine = Vec::new();
        let mut counts = LineCounts::default();
        for s in spans {
            rows.extend(s.rows.into_iter().map(|r| (r.line, r.values.to_vec())));
            quarantine.extend(s.quarantine);
            counts.add(&s.counts);
        }
        (rows, quarantine, format!("{counts:?}"))
    };
    let one = flatten(vec![parse_span(&ctx, head.stop, body.len(), head.stop_line, Some(&key), false)]);
    one == flatten(parse_chunks_of(&ctx, head.stop, head.stop_line, &key, chunk, &|_| {}))
}

/// What parsing a span of the body needs.
struct SpanContext<'a> {
    body: &'a str,
    dialect: &'a sniff::Dialect,
    replaced_chars: usize,
    /// The longest row accepted, in bytes.
    max_line: usize,
    /// Whether the data rows end with a delimiter the header lacks ([`trailing_delimiter`]):
    /// then a row's extra fields, when all empty, are that delimiter and not a broken row.
    trailing: bool,
    /// The input's index, which its rows carry.
    source: u32,
}

/// Records parsed from one span of the body.
#[derive(Default)]
struct Span {
    /// The accepted rows.
    rows: Vec<Row>,
    /// (line, reason, raw) of quarantined rows.
    quarantine: Vec<(u32, String, String)>,
    counts: LineCounts,
    headers: Option<Vec<String>>,
    /// Where the span's last record ended (the reader is between records there), and the line
    /// number at that point.
    stop: usize,
    stop_line: usize,
}

impl LineCounts {
    fn add(&mut self, o: &LineCounts) {
        self.header_lines += o.header_lines;
        self.blank_lines += o.blank_lines;
        self.continuation_lines += o.continuation_lines;
        self.rows_accepted += o.rows_accepted;
        self.rows_quarantined += o.rows_quarantined;
    }
}

/// Parses the records that start in `body[from..limit]` (the last may run past `limit`).
/// `from` must be where the reader is between records and `line` the physical line there.
/// `header` is `None` while the header is still to be found; with `header_only` the span ends
/// right after the header.
fn parse_span(
    ctx: &SpanContext<'_>,
    from: usize,
    limit: usize,
    line: usize,
    header: Option<&HeaderKey>,
    header_only: bool,
) -> Span {
    let body = ctx.body;
    let mut out = Span { stop: from, stop_line: line, ..Span::default() };
    // A row a line at most: reserved at once, the span's rows never move as they grow.
    if !header_only {
        out.rows.reserve(terminators(&body[from..limit.min(body.len())]) + 1);
    }
    // The csv reader drops a byte-order mark at the start of its input, which is right for a
    // file but wrong for a row that happens to start with U+FEFF in the middle of one: such a
    // span starts one byte early, on the line terminator before it (an empty line to the
    // reader), so the row keeps its value as one pass over the file would.
    let base = if from > 0 && body[from..].starts_with('\u{feff}') { from - 1 } else { from };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(ctx.dialect.delimiter)
        .quote(ctx.dialect.quote)
        .has_headers(false)
        .flexible(true)
        .from_reader(&body.as_bytes()[base..]);
    let mut record = csv::StringRecord::new();
    // The header this span found itself (the first span of a file, and tests).
    let mut found: Option<HeaderKey> = None;
    let mut prev_end = from;
    // Line of `scan_pos` in the body; advanced to each record's start.
    let (mut scan_pos, mut scan_line) = (from, line);
    let bytes = body.as_bytes();
    let counts = &mut out.counts;
    loop {
        let more = match reader.read_record(&mut record) {
            Ok(more) => more,
            Err(e) => {
                // The csv crate only fails on invalid UTF-8, which decoding rules out; keep the
                // rest of the file as one quarantined row rather than lose it.
                let raw = body[prev_end..].trim_matches(['\r', '\n']).to_string();
                counts.continuation_lines += terminators(&raw);
                out.quarantine.push((scan_line as u32, format!("unreadable: {e}"), raw));
                counts.rows_quarantined += 1;
                out.stop = body.len();
                break;
            }
        };
        if !more {
            break;
        }
        let end = (base + reader.position().byte() as usize).min(body.len());
        let mut rec_start = (base + record.position().map(|p| p.byte() as usize).unwrap_or(prev_end - base)).min(end);
        // A record never starts with a line terminator; skip any the reader's start includes.
        while rec_start < end && matches!(bytes[rec_start], b'\n' | b'\r') {
            rec_start += 1;
        }
        if rec_start >= limit {
            break; // the next span's first record
        }
        scan_line += terminators_between(body, scan_pos, rec_start);
        scan_pos = rec_start;
        let raw = body[rec_start..end].trim_end_matches(['\r', '\n']);
        // The record's own line breaks, counted once: `raw` ends in neither `\r` nor `\n`, and
        // the record starts on neither, so its terminators are those of `raw` and of its end.
        let inner = terminators(raw);
        let spans = 1 + inner;
        prev_end = end;
        out.stop = end;
        out.stop_line = scan_line + inner + terminators(&body[rec_start + raw.len()..end]);
        let this_line = scan_line;

        if record.iter().all(|f| f.trim().is_empty()) && !raw.contains('"') {
            // Lines of only whitespace or delimiters (`;;;;` from a spreadsheet) carry nothing.
            counts.blank_lines += spans;
            continue;
        }
        let Some(key) = header.or(found.as_ref()) else {
            let hs: Vec<String> = record.iter().map(|s| s.trim().to_string()).collect();
            found = Some(HeaderKey::new(&hs));
            out.headers = Some(hs);
            counts.header_lines += spans;
            if header_only {
                break;
            }
            continue;
        };
        let width = key.width();
        counts.continuation_lines += spans - 1;
        // An opening quote that is never closed swallows the rest of the file into this row.
        let unterminated = end == body.len() && raw.matches('"').count() % 2 == 1;
        let reason = if raw.len() > ctx.max_line {
            Some(format!(
                "row longer than {} ({} bytes); no customer record is that long",
                size_text(ctx.max_line),
                raw.len()
            ))
        } else if unterminated {
            Some(format!(
                "unterminated quoted field: the quote opened on this line is never closed (found {} fields, expected {})",
                record.len(),
                width
            ))
        } else if raw.contains('\0') {
            Some("contains a NUL byte".to_string())
        } else if ctx.replaced_chars > 0 && raw.contains('\u{FFFD}') {
            Some("contains characters that cannot be decoded".to_string())
        } else if record.len() != width && !(ctx.trailing && only_empty_after(&record, width)) {
            Some(if raw.matches('"').count() % 2 == 1 {
                format!("unterminated quoted field: found {} fields, expected {}", record.len(), width)
            } else {
                format!("found {} fields, expected {}", record.len(), width)
            })
        } else if key.matches(record.iter()) {
            Some(REPEATED_HEADER.to_string())
        } else {
            None
        };
        match reason {
            Some(reason) => {
                counts.rows_quarantined += 1;
                out.quarantine.push((this_line as u32, reason, raw.to_string()));
            }
            None => {
                counts.rows_accepted += 1;
                // The first `width` fields straight from the record's own buffer, in allocations
                // of their exact size (pushed one by one, each row's text would be reallocated
                // as it grows).
                let text_end = width.checked_sub(1).and_then(|last| record.range(last)).map_or(0, |r| r.end);
                let ends = (0..width).map(|i| crate::packed::offset(record.range(i).map_or(0, |r| r.end)));
                let values = crate::packed::Strings::from_parts(&record.as_slice()[..text_end], ends);
                out.rows.push(Row::new(ctx.source, this_line as u32, values));
            }
        }
    }
    out
}

/// Rows sampled after the header to tell whether the data rows end with a delimiter.
const TRAILING_SAMPLE: usize = 50;

/// Whether the data rows end with a delimiter the header does not (an export that writes `;` after
/// every value but not after the header): most of the first rows have more fields than the
/// header, the extra ones all empty. Decided once per file from its first rows, so a row with
/// one empty field too many in a file without such delimiters (an unquoted delimiter inside a
/// value) is still quarantined.
fn trailing_delimiter(ctx: &SpanContext<'_>, from: usize, width: usize) -> bool {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(ctx.dialect.delimiter)
        .quote(ctx.dialect.quote)
        .has_headers(false)
        .flexible(true)
        .from_reader(&ctx.body.as_bytes()[from..]);
    let (mut trailing, mut other) = (0usize, 0usize);
    let mut record = csv::StringRecord::new();
    while trailing + other < TRAILING_SAMPLE && reader.read_record(&mut record).unwrap_or(false) {
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() > width && only_empty_after(&record, width) {
            trailing += 1;
        } else {
            other += 1;
        }
    }
    trailing > other
}

/// Whether every field of a record past the header's width is empty.
fn only_empty_after(record: &csv::StringRecord, width: usize) -> bool {
    record.len() > width && record.iter().skip(width).all(|f| f.trim().is_empty())
}

/// Parses the body after the header, in parallel for large files. The body is cut into chunks
/// at line starts; each chunk is parsed on the guess that the reader is between records there.
/// The guess is checked in order: a chunk whose predecessor's last record ran past its start
/// (a quoted field with line breaks across the cut) is parsed again from where that record
/// ended. The result is exactly what one sequential pass gives.
fn parse_chunks(
    ctx: &SpanContext<'_>,
    from: usize,
    line: usize,
    header: &HeaderKey,
    parsed: &(dyn Fn(usize) + Sync),
) -> Vec<Span> {
    let threads = rayon::current_num_threads().max(1);
    parse_chunks_of(ctx, from, line, header, ((ctx.body.len() - from) / (threads * 4)).max(4 << 20), parsed)
}

/// [`parse_chunks`] with chunks of about `chunk` bytes.
/// `parsed` hears the bytes of each chunk once it is parsed.
fn parse_chunks_of(
    ctx: &SpanContext<'_>,
    from: usize,
    line: usize,
    header: &HeaderKey,
    chunk: usize,
    parsed: &(dyn Fn(usize) + Sync),
) -> Vec<Span> {
    use rayon::prelude::*;
    let body = ctx.body;
    let len = body.len();
    let chunk = chunk.max(1);
    // Cuts just after a '\n', roughly every `chunk` bytes.
    let mut cuts = vec![from];
    let mut at = from + chunk;
    while at < len {
        match body.as_bytes()[at..].iter().position(|&b| b == b'\n') {
            Some(p) if at + p + 1 < len => {
                cuts.push(at + p + 1);
                at = at + p + 1 + chunk;
            }
            _ => break,
        }
    }
    cuts.push(len);
    if cuts.len() <= 2 {
        return vec![parse_span(ctx, from, len, line, Some(header), false)];
    }
    // Physical line at each cut.
    let terms: Vec<usize> = cuts.par_windows(2).map(|w| terminators_between(body, w[0], w[1])).collect();
    let mut lines = vec![line];
    for t in &terms {
        lines.push(lines.last().copied().unwrap_or(line) + t);
    }
    let guesses: Vec<Span> = (0..cuts.len() - 1)
        .into_par_iter()
        .map(|k| {
            let span = parse_span(ctx, cuts[k], cuts[k + 1], lines[k], Some(header), false);
            parsed(cuts[k + 1] - cuts[k]);
            span
        })
        .collect();
    let mut out = Vec::with_capacity(guesses.len());
    let (mut pos, mut pos_line) = (from, line);
    for (k, guess) in guesses.into_iter().enumerate() {
        let span = if pos <= cuts[k] {
            guess
        } else if pos >= cuts[k + 1] {
            continue; // a record of an earlier span covers this whole chunk
        } else {
            parse_span(ctx, pos, cuts[k + 1], pos_line, Some(header), false)
        };
        if span.stop > pos {
            (pos, pos_line) = (span.stop, span.stop_line);
        }
        out.push(span);
    }
    out
}

/// Makes header names unique: a column whose name an earlier column has (Mailchimp exports
/// with two merge fields of one label) is kept, named with a suffix (`EMAIL (2)`, `EMAIL (3)`)
/// that no other column has, so both reach the outputs. Returns the renamed columns as
/// (column, the earlier column with its name), 0-based. Empty names stay empty.
pub fn unique_headers(headers: &mut [String]) -> Vec<(usize, usize)> {
    let mut first: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut renamed = Vec::new();
    for i in 0..headers.len() {
        if headers[i].is_empty() {
            continue;
        }
        match first.get(&headers[i]) {
            None => {
                first.insert(headers[i].clone(), i);
            }
            Some(&earlier) => {
                let taken = |name: &str| first.contains_key(name) || headers.iter().any(|h| h == name);
                let name = (2..).map(|k| format!("{} ({k})", headers[i])).find(|n| !taken(n)).unwrap_or_default();
                first.insert(name.clone(), i);
                headers[i] = name;
                renamed.push((i, earlier));
            }
        }
    }
    renamed
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

/// Number of line terminators, counting `\r\n` once: every `\n`, and every `\r` not followed
/// by one. Counted with branch-free passes the compiler vectorises, since this runs over every
/// record (and once over the whole file).
fn terminators(text: &str) -> usize {
    let b = text.as_bytes();
    let newlines = b.iter().filter(|&&c| c == b'\n').count();
    let returns = b.iter().filter(|&&c| c == b'\r').count();
    if returns == 0 {
        return newlines;
    }
    let crlf = b.windows(2).filter(|w| w[0] == b'\r' && w[1] == b'\n').count();
    newlines + returns - crlf
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the ingest fuzz target: a row starting with U+FEFF lost it when a span started
    /// there, because the csv reader drops a byte-order mark at the start of its input. The
    /// first data row (right after the header) and a row at a chunk cut both keep it.
    #[test]
    fn a_row_starting_with_a_bom_character_keeps_it() {
        let (_, rows, _) = read_str("id,name\n\u{feff}1,Ola\n2,Kari\n\u{feff}3,Per\n".as_bytes()).unwrap();
        let ids: Vec<String> = rows.iter().map(|r| r.values[0].to_string()).collect();
        assert_eq!(ids, ["\u{feff}1", "2", "\u{feff}3"]);
        let data = include_bytes!("../../fuzz/regressions/ingest-chunked-crash.bin");
        let text = decode::decode(data).unwrap().text;
        assert!(text.contains("\n\u{feff}"), "the saved input still has a row starting with U+FEFF");
        for chunk in 16..=271 {
            assert!(chunked_matches_sequential(&text, chunk), "chunks of {chunk} bytes");
        }
    }

    /// Chunked parsing gives exactly what one sequential pass gives, whatever the cuts: quoted
    /// fields with line breaks (LF and CRLF) across cuts, blank lines, whitespace-only rows,
    /// rows with the wrong field count, and an unterminated quote at the end.
    #[test]
    fn chunked_parsing_equals_one_pass() {
        let mut body = String::from("id;name;note\n");
        let mut seed = 7u64;
        let mut next = |m: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        for i in 0..400 {
            let eol = if next(3) == 0 { "\r\n" } else { "\n" };
            match next(9) {
                0 => body.push_str(&format!("{i};\"Line one{eol}line two{eol}{eol}three\";x{eol}")),
                1 => body.push_str(eol),
                2 => body.push_str(&format!("   ;  ;{eol}")),
                3 => body.push_str(&format!("{i};too;many;fields{eol}")),
                4 => body.push_str(&format!("{i};\"quoted \"\"inner\"\" ; semicolon\";y{eol}")),
                5 => body.push_str(&format!("{i};5\" screen;z{eol}")),
                6 if i % 5 == 0 => body.push_str(&format!("ID; Name ;NOTE{eol}")),
                _ => body.push_str(&format!("{i};Åse Ødegård;plain{eol}")),
            }
        }
        body.push_str("999;\"never closed\nmore\n");
        for chunk in [1, 7, 40, 97, 500, 4096] {
            assert!(chunked_matches_sequential(&body, chunk), "chunks of {chunk} bytes");
        }
        // The body really has multi-line rows and quarantined rows to get wrong.
        let (dialect, _) = sniff::sniff(&body);
        let ctx = SpanContext {
            body: &body,
            dialect: &dialect,
            replaced_chars: 0,
            max_line: MAX_ROW_BYTES,
            trailing: false,
            source: 0,
        };
        let all = parse_span(&ctx, 0, body.len(), 1, None, false);
        assert!(all.rows.len() > 200 && all.counts.rows_quarantined > 10 && all.counts.continuation_lines > 50);
        assert!(all.quarantine.iter().any(|q| q.1 == REPEATED_HEADER));
    }

    fn read_str(content: &[u8]) -> Result<(Source, Vec<Row>, Vec<Quarantined>), Error> {
        let dir = std::env::temp_dir().join(format!("regclean-ingest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // One file per call: tests run in parallel threads of one process.
        static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let path = dir.join(format!("t{}.csv", CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)));
        std::fs::write(&path, content).unwrap();
        let columns = BTreeMap::new();
        let r = read_file(
            &path,
            "t.csv",
            0,
            &ReadOptions { columns: &columns, sheet: None, max_line_bytes: MAX_ROW_BYTES },
            &crate::progress::Silent,
        );
        let _ = std::fs::remove_file(&path);
        r
    }

    /// The original values wait on disk from dedup to the writers: spilled, a row keeps its
    /// place and hash and holds no values; read back a batch at a time or gathered for a few rows
    /// and columns, they are the values read.
    #[test]
    fn spilled_values_read_back_whole_or_gathered() {
        let mut csv = String::from("id,name,note\n");
        for i in 0..40_000 {
            csv.push_str(&format!("{i},Navn {i} Ø,n{}\n", i % 7));
        }
        let (source, rows, _) = read_str(csv.as_bytes()).unwrap();
        let before: Vec<Vec<String>> = rows.iter().map(|r| r.values.to_vec()).collect();
        let hashes: Vec<u64> = rows.iter().map(|r| r.hash).collect();
        let mut ingested = Ingested { sources: vec![source], rows, quarantine: Vec::new() };
        let path = std::env::temp_dir().join(format!("regclean-values-{}.spill", std::process::id()));
        let spilled = ingested.spill_values(&path).unwrap();
        assert!(ingested.rows.iter().all(|r| r.values.is_empty()), "no values left in memory");
        assert_eq!(ingested.rows.iter().map(|r| r.hash).collect::<Vec<_>>(), hashes);
        let mut back = Vec::new();
        spilled
            .for_each_batch(|first, batch| {
                assert_eq!(first, back.len());
                back.extend(batch.iter().map(|v| v.to_vec()));
                Ok(())
            })
            .unwrap();
        assert_eq!(back, before);
        // Rows in any order, one twice; only the third column kept.
        let wanted = [39_999, 5, 20_000, 5];
        let keep = [vec![false, false, true]];
        let mut gatherer = Gatherer::new(&ingested.rows, &wanted, &keep);
        spilled
            .for_each_batch(|start, batch| {
                gatherer.take(start, &batch);
                Ok(())
            })
            .unwrap();
        let gathered = gatherer.finish().unwrap();
        for (k, &r) in wanted.iter().enumerate() {
            assert_eq!(gathered.get(k, 2), Some(before[r][2].as_str()));
            assert_eq!(gathered.get(k, 1), None, "a column not kept");
        }
        drop(spilled);
        assert!(!path.exists());
    }

    #[test]
    fn every_line_is_accounted_for() {
        // (input, accepted lines, quarantined lines, blank lines)
        let cases: [(&[u8], &[u32], &[u32], usize); 8] = [
            (b"a,b\n1,2\n3,4\n", &[2, 3], &[], 0),
            (b"a,b\r\n1,2\r\n\r\n3,4\r\n", &[2, 4], &[], 1),
            (b"a,b\r1,2\r3,4", &[2, 3], &[], 0),
            (b"a,b\n\"x\ny\",2\n3,4\n", &[2, 4], &[], 0),
            (b"a,b\n1,2,3\n4\n5,6\n\n", &[4], &[2, 3], 1),
            (b"sep=;\na;b\n1;2\n;\n3;\"open\n", &[3], &[5], 1),
            // A repeated header (two exports pasted together) is a quarantined row, not a customer.
            (b"Name,Email\nOla,o@x.no\n name ,EMAIL\nKari,k@y.no\n", &[2, 4], &[3], 0),
            (b"a,b\n", &[], &[], 0),
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

    /// A second header row is no customer, also behind a byte-order mark (two Excel "CSV UTF-8"
    /// exports pasted together) or in API style (`FIRST_NAME` for `First Name`).
    #[test]
    fn a_repeated_header_is_quarantined_in_any_spelling() {
        let inputs: [&str; 3] = [
            "\u{feff}First Name,Last Name,Email\nOla,Nordmann,o@x.no\n\u{feff}First Name,Last Name,Email\nKari,Lie,k@x.no\n",
            "First Name,Last Name,Email\nOla,Nordmann,o@x.no\nFIRST_NAME,LAST_NAME,EMAIL\nKari,Lie,k@x.no\n",
            "\"First Name\";\"Last Name\"\nOla;Nordmann\n\u{feff}\"First Name\";\"Last Name\"\nKari;Lie\n",
        ];
        for input in inputs {
            let (_, rows, q) = read_str(input.as_bytes()).unwrap();
            let firsts: Vec<String> = rows.iter().map(|r| r.values[0].to_string()).collect();
            assert_eq!(firsts, ["Ola", "Kari"], "{input:?}");
            assert_eq!(q.len(), 1, "{input:?}");
            assert_eq!((q[0].line, q[0].reason.as_str()), (3, REPEATED_HEADER), "{input:?}");
        }
    }

    /// A delimiter after every data row's last value (and not after the header's) is read: the
    /// extra fields are empty. In a file without such delimiters, a row with one empty field too
    /// many is still quarantined.
    #[test]
    fn a_trailing_delimiter_on_data_rows_is_read() {
        let (src, rows, q) = read_str(b"navn;by\nOla;Oslo;\nKari;Bergen;\nPer;;\n").unwrap();
        assert!(q.is_empty(), "{q:?}");
        let values: Vec<Vec<String>> = rows.iter().map(|r| r.values.to_vec()).collect();
        assert_eq!(values, [vec!["Ola", "Oslo"], vec!["Kari", "Bergen"], vec!["Per", ""]]);
        assert_eq!(src.headers, ["navn", "by"]);
        let (_, rows, q) = read_str(b"navn;by\nOla;Oslo\nKari;Bergen;\nPer;Bodo\n").unwrap();
        assert_eq!((rows.len(), q.len()), (2, 1), "one trailing delimiter in three rows is not the file's habit");
        let (_, rows, q) = read_str(b"name,city\nOla,Oslo\nKari,Bergen\nNordmann, Ola,\n").unwrap();
        assert_eq!((rows.len(), q.len()), (2, 1));
    }

    /// UTF-16 without a byte-order mark reads like the same text in UTF-8.
    #[test]
    fn utf16_without_a_bom_is_read() {
        let text = "navn;by\r\nÅse;Ørsta\r\nPål;Bø\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let (src, rows, q) = read_str(&le).unwrap();
        assert!(q.is_empty());
        assert_eq!(src.encoding, "UTF-16LE");
        assert_eq!(rows[1].values.to_vec(), ["Pål", "Bø"]);
    }

    #[test]
    fn keeps_original_values_and_quarantine_raw() {
        let (_, rows, q) = read_str(b"name;note\n\" Ola \";\"a;b\"\nKari;x;y\n").unwrap();
        assert_eq!(rows[0].values.to_vec(), vec![" Ola ", "a;b"]);
        assert_eq!(q[0].raw, "Kari;x;y");
        assert_eq!(q[0].reason, "found 3 fields, expected 2");
    }

    /// A header without rows is a file with no rows, not an error: a run of several exports goes
    /// on, and `Source::is_empty` lets the report warn about it.
    #[test]
    fn a_header_only_file_has_no_rows() {
        for input in [&b"name,email\r\n"[..], b"name;email", b"\n\nname,email\n\n"] {
            let (src, rows, q) = read_str(input).unwrap();
            assert!(src.is_empty() && rows.is_empty() && q.is_empty(), "{input:?}");
            assert_eq!(src.headers, ["name", "email"]);
        }
        let (src, _, _) = read_str(b"name\nOla\n").unwrap();
        assert!(!src.is_empty());
    }

    /// A gzip'd CSV reads exactly as the CSV, with the same lines, and reports its container.
    #[test]
    fn a_gzipped_csv_reads_like_the_plain_file() {
        let csv = b"sep=;\r\nnavn;by\r\n\r\n\"Ola\r\nNordmann\";Oslo\r\nKari;\xC5lesund\r\n".to_vec();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, &csv).unwrap();
        let (plain, plain_rows, _) = read_str(&csv).unwrap();
        let (zipped, zipped_rows, _) = read_str(&gz.finish().unwrap()).unwrap();
        let lines = |rows: &[Row]| rows.iter().map(|r| (r.line, r.values.to_vec())).collect::<Vec<_>>();
        assert_eq!(lines(&zipped_rows), lines(&plain_rows));
        assert_eq!(zipped.counts, plain.counts);
        assert_eq!((plain.encoding.as_str(), zipped.encoding.as_str()), ("windows-1252", "gzip, windows-1252"));
        assert_ne!(zipped.sha256, plain.sha256, "the hash is of the file's own bytes");
    }

    #[test]
    fn refuses_bad_files_with_position() {
        let cases: [(&[u8], &str); 3] = [
            (b"", "is empty"),
            (b"\n\n", "has no header line"),
            (b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", "is a zip archive; unpack it"),
        ];
        for (input, msg) in cases {
            let e = read_str(input).unwrap_err().to_string();
            assert!(e.contains(msg), "{e}");
        }
    }
}
