//! Suppression lists and erasure logs: the people a run must leave out, named by e-mail, phone,
//! record id or the SHA-256 of one of them.
//!
//! A suppression list (`regclean run --suppress FILE`) and an erasure request (`regclean erase
//! RUN --who FILE`) share one format: one entry a line (blank lines and `#` comments ignored), or
//! a CSV with a header row whose identifying columns (`email`, `phone`, `mobile`, `record id`,
//! `sha256`...) are read cell by cell, as HubSpot and Mailchimp export their suppression lists.
//! Every entry becomes the SHA-256 of its normalised value (an e-mail as `normalise::email`
//! cleans it, a phone in E.164 as `normalise::phone` does with the config's default country, a
//! record id as written), so plain and hashed lists match alike and nothing but hashes is kept.
//! A line that cannot be read refuses the whole list (file and line, never the value).
//!
//! The erasure log (`erasure_log.csv` of a run folder) holds the hashes of every identifier of
//! the rows `regclean erase` removed; a later run obeys it (`pipeline`).

use crate::error::Error;
use crate::field::Field;
use crate::normalise::{CleanRow, Status, email, phone};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// The fields whose cleaned values identify a row, with the kind a hash of each is logged as.
pub const IDENTIFYING: [(Field, &str); 4] =
    [(Field::Email, "email"), (Field::Phone, "phone"), (Field::Mobile, "phone"), (Field::RecordId, "record_id")];

/// SHA-256 of a value.
pub fn sha256(value: &str) -> Hash {
    Sha256::digest(value.as_bytes()).into()
}

/// Lowercase hexadecimal, as lists exchange hashes.
pub fn hex(h: &Hash) -> String {
    crate::ingest::hex(h)
}

/// A 64-digit hexadecimal SHA-256, read back (either case).
pub fn parse_hex(s: &str) -> Option<Hash> {
    if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut out = [0u8; 32];
    for (k, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&s[2 * k..2 * k + 2], 16).ok()?;
    }
    Some(out)
}

/// The hashes of the identifiers of one cleaned row, with their kinds (see [`IDENTIFYING`]).
pub fn row_hashes(clean: &CleanRow) -> Vec<(&'static str, Hash)> {
    IDENTIFYING
        .iter()
        .filter_map(|&(f, kind)| clean.value(f).filter(|v| !v.is_empty()).map(|v| (kind, sha256(v))))
        .collect()
}

/// One entry of a list: what it was read as and the hashes it matches (a number of digits only
/// is tried both as a record id and as a phone number).
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: &'static str,
    pub hashes: Vec<Hash>,
}

/// A suppression list or erasure request, read whole.
#[derive(Debug, Clone)]
pub struct List {
    /// The file stem (`unsubscribed` for `unsubscribed.csv`), as golden.csv's `suppressed` names it.
    pub name: String,
    pub path: PathBuf,
    pub entries: Vec<Entry>,
}

/// What a column of a CSV list holds, by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Email,
    Phone,
    RecordId,
    Hash,
}

/// The identifying column a header names (letters and digits of the header, lower case).
fn column_of(header: &str) -> Option<Column> {
    let key: String = header.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    Some(match key.as_str() {
        "email" | "emailaddress" | "mail" | "epost" | "epostadresse" | "emailaddr" | "contactemail" | "subscriber"
        | "subscriberemail" | "recipient" => Column::Email,
        "phone" | "phonenumber" | "mobile" | "mobilephone" | "mobilephonenumber" | "mobilenumber" | "telephone"
        | "tel" | "cellphone" | "mobil" | "telefon" | "sms" | "smsphonenumber" => Column::Phone,
        "recordid" | "id" | "contactid" | "customerid" | "externalid" | "kundenr" | "customernumber" | "vid" => {
            Column::RecordId
        }
        "hash" | "sha256" | "hashedemail" | "emailhash" | "emailsha256" | "sha256email" | "hashedphone"
        | "phonehash" | "phonesha256" | "hashedvalue" => Column::Hash,
        _ => return None,
    })
}

const UNREADABLE: &str = "not an e-mail address, phone number, record id or SHA-256 hash";

/// Reads one entry. The error says what is wrong, never the value.
fn entry(raw: &str, column: Option<Column>, country: Option<&str>) -> Result<Entry, String> {
    let text = raw.trim();
    let hash_text = text.strip_prefix("sha256:").or_else(|| text.strip_prefix("SHA256:"));
    if let Some(h) = hash_text {
        return parse_hex(h.trim())
            .map(|h| Entry { kind: "sha256", hashes: vec![h] })
            .ok_or_else(|| "a SHA-256 hash must be 64 hexadecimal digits".to_string());
    }
    if let Some(h) = parse_hex(text) {
        return Ok(Entry { kind: "sha256", hashes: vec![h] });
    }
    match column {
        Some(Column::Hash) => return Err("a SHA-256 hash must be 64 hexadecimal digits".into()),
        Some(Column::RecordId) => return Ok(Entry { kind: "record_id", hashes: vec![sha256(text)] }),
        Some(Column::Email) if !text.contains('@') => return Err("not an e-mail address or SHA-256 hash".into()),
        Some(Column::Phone) => {
            return phone_entry(text, country).ok_or_else(|| "not a phone number or SHA-256 hash".into());
        }
        _ => {}
    }
    if text.contains('@') {
        let c = email::clean_email(text);
        return match (c.status, c.value) {
            (Status::Valid | Status::Fixed | Status::Unverified, Some(v)) => {
                Ok(Entry { kind: "email", hashes: vec![sha256(&v)] })
            }
            _ => Err("not a valid e-mail address".into()),
        };
    }
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        // A number: a record id as written, and a phone number when it reads as one.
        let mut hashes = vec![sha256(text)];
        if let Some(p) = phone_entry(text, country) {
            hashes.extend(p.hashes);
        }
        return Ok(Entry { kind: "record_id", hashes });
    }
    if digits >= 6 && text.chars().all(|c| c.is_ascii_digit() || " +-().\u{a0}/".contains(c)) {
        return phone_entry(text, country)
            .ok_or_else(|| "not a valid phone number (write it with its country code, e.g. +47...)".into());
    }
    let hexish = text.len() >= 32 && text.bytes().all(|b| b.is_ascii_hexdigit());
    if hexish {
        return Err("a SHA-256 hash must be 64 hexadecimal digits".into());
    }
    if !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || "_-.:/".contains(c)) {
        return Ok(Entry { kind: "record_id", hashes: vec![sha256(text)] });
    }
    Err(UNREADABLE.into())
}

/// A phone entry in E.164, read with `country` when it has no country code.
fn phone_entry(text: &str, country: Option<&str>) -> Option<Entry> {
    let c = phone::clean_phone(text, country);
    match (c.status, c.value) {
        (Status::Valid | Status::Fixed | Status::Unverified, Some(v)) => {
            Some(Entry { kind: "phone", hashes: vec![sha256(&v)] })
        }
        _ => None,
    }
}

impl List {
    /// Reads a list; `country` (the config's default country) reads phone numbers written
    /// without a country code.
    pub fn load(path: &Path, country: Option<&str>) -> Result<List, Error> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        List::parse(path, &bytes, country)
    }

    /// Reads a list from its bytes; `path` names it in errors and gives its name.
    pub fn parse(path: &Path, bytes: &[u8], country: Option<&str>) -> Result<List, Error> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let refuse = |line: usize, why: &str| {
            Error::input(path, Some(line), None, &format!("{why}; the list is refused whole (nothing was applied)"))
        };
        // The first line that is not blank or a comment: a header row when it names an
        // identifying column.
        let mut lines = bytes.split(|&b| b == b'\n').enumerate();
        let first = lines.find(|(_, l)| {
            let t = l.trim_ascii();
            !t.is_empty() && !t.starts_with(b"#")
        });
        let delimiter = first.and_then(|(_, l)| {
            [b',', b';', b'\t']
                .into_iter()
                .map(|d| (l.iter().filter(|&&b| b == d).count(), d))
                .max()
                .filter(|(n, _)| *n > 0)
                .map(|(_, d)| d)
        });
        let header_columns = first.and_then(|(_, l)| {
            let text = std::str::from_utf8(l).ok()?;
            let cells: Vec<Option<Column>> = match delimiter {
                Some(d) => text.split(d as char).map(|c| column_of(c.trim().trim_matches('"'))).collect(),
                None => vec![column_of(text.trim().trim_matches('"'))],
            };
            cells.iter().any(Option::is_some).then_some(())
        });
        let mut entries = Vec::new();
        if header_columns.is_some() {
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delimiter.unwrap_or(b','))
                .comment(Some(b'#'))
                .flexible(false)
                .from_reader(bytes);
            let position_line = |e: &csv::Error| e.position().map_or(1, |p| p.line() as usize);
            let headers =
                reader.byte_headers().map_err(|e| refuse(position_line(&e), "the header row cannot be read"))?.clone();
            let mut columns = Vec::new();
            for cell in headers.iter() {
                let Ok(h) = std::str::from_utf8(cell) else {
                    return Err(refuse(first.map_or(1, |(i, _)| i + 1), "the header row is not valid UTF-8"));
                };
                columns.push(column_of(h.trim()));
            }
            for record in reader.byte_records() {
                let record = record.map_err(|e| {
                    let why = match e.kind() {
                        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                            format!("found {len} fields, expected {expected_len}")
                        }
                        _ => "a malformed CSV line".to_string(),
                    };
                    refuse(position_line(&e), &why)
                })?;
                let line = record.position().map_or(0, |p| p.line() as usize);
                for (cell, column) in record.iter().zip(&columns) {
                    let Some(column) = column else { continue };
                    let text = std::str::from_utf8(cell).map_err(|_| refuse(line, "not valid UTF-8"))?;
                    if text.trim().is_empty() {
                        continue;
                    }
                    entries.push(entry(text, Some(*column), country).map_err(|why| refuse(line, &why))?);
                }
            }
        } else {
            for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
                let text = std::str::from_utf8(line).map_err(|_| refuse(i + 1, "not valid UTF-8"))?;
                let text = text.trim();
                if text.is_empty() || text.starts_with('#') {
                    continue;
                }
                entries.push(entry(text, None, country).map_err(|why| refuse(i + 1, &why))?);
            }
        }
        Ok(List { name, path: path.to_path_buf(), entries })
    }
}

/// Which rows the lists match, and which entries matched nobody.
#[derive(Debug, Default)]
pub struct Matches {
    /// Row → the lists (indices) that match it, for the matched rows only, by row.
    pub rows: Vec<(usize, Vec<usize>)>,
    /// Per list, whether each entry matched some row.
    pub entry_matched: Vec<Vec<bool>>,
}

impl Matches {
    /// Entries of list `l` that matched nobody.
    pub fn unmatched(&self, l: usize) -> usize {
        self.entry_matched[l].iter().filter(|m| !**m).count()
    }
}

/// Every hash of the lists → the (list, entry) pairs that hold it.
fn index(lists: &[List]) -> HashMap<Hash, Vec<(usize, usize)>> {
    let mut by_hash: HashMap<Hash, Vec<(usize, usize)>> = HashMap::new();
    for (l, list) in lists.iter().enumerate() {
        for (e, entry) in list.entries.iter().enumerate() {
            for h in &entry.hashes {
                by_hash.entry(*h).or_default().push((l, e));
            }
        }
    }
    by_hash
}

/// Matches every cleaned row against the lists by the hashes of its identifiers.
pub fn match_rows(lists: &[List], clean: &[CleanRow]) -> Matches {
    use rayon::prelude::*;
    let by_hash = index(lists);
    let mut entry_matched: Vec<Vec<bool>> = lists.iter().map(|l| vec![false; l.entries.len()]).collect();
    if by_hash.is_empty() {
        return Matches { rows: Vec::new(), entry_matched };
    }
    let hits: Vec<(usize, Vec<(usize, usize)>)> = clean
        .par_iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let found: Vec<(usize, usize)> =
                row_hashes(c).iter().filter_map(|(_, h)| by_hash.get(h)).flatten().copied().collect();
            (!found.is_empty()).then_some((i, found))
        })
        .collect();
    let mut rows = Vec::with_capacity(hits.len());
    for (i, found) in hits {
        let mut lists_of: Vec<usize> = found.iter().map(|&(l, _)| l).collect();
        lists_of.sort_unstable();
        lists_of.dedup();
        for (l, e) in found {
            entry_matched[l][e] = true;
        }
        rows.push((i, lists_of));
    }
    Matches { rows, entry_matched }
}

/// The file name of a run folder's erasure log.
pub const ERASURE_LOG: &str = "erasure_log.csv";
/// Its header.
pub const ERASURE_LOG_HEADER: [&str; 3] = ["erased_on", "kind", "sha256"];

/// One line of an erasure log: when, what kind of identifier, and its hash (never a value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erased {
    pub erased_on: String,
    pub kind: String,
    pub sha256: Hash,
}

/// An erasure log, read whole (an unreadable line refuses it, as a list's would).
#[derive(Debug, Clone, Default)]
pub struct ErasureLog {
    pub lines: Vec<Erased>,
}

impl ErasureLog {
    /// Reads `dir/erasure_log.csv`; an empty log when the folder has none.
    pub fn read_dir(dir: &Path) -> Result<ErasureLog, Error> {
        let path = dir.join(ERASURE_LOG);
        if !path.is_file() {
            return Ok(ErasureLog::default());
        }
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let mut reader = csv::ReaderBuilder::new().from_reader(&bytes[..]);
        let headers = reader.headers().map_err(|e| Error::input(&path, Some(1), None, &e.to_string()))?;
        if headers.iter().collect::<Vec<_>>() != ERASURE_LOG_HEADER {
            return Err(Error::input(&path, Some(1), None, "expected the header erased_on,kind,sha256"));
        }
        let mut lines = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                Error::input(&path, e.position().map(|p| p.line() as usize), None, "a malformed CSV line")
            })?;
            let line = record.position().map(|p| p.line() as usize);
            let Some(h) = parse_hex(&record[2]) else {
                return Err(Error::input(&path, line, Some(3), "not a SHA-256 hash (64 hexadecimal digits)"));
            };
            lines.push(Erased { erased_on: record[0].to_string(), kind: record[1].to_string(), sha256: h });
        }
        Ok(ErasureLog { lines })
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Every hash the log holds.
    pub fn hashes(&self) -> HashSet<Hash> {
        self.lines.iter().map(|l| l.sha256).collect()
    }

    /// Adds the lines of `other` whose hash this log does not hold yet, in their order.
    pub fn extend(&mut self, other: &ErasureLog) {
        let mut seen = self.hashes();
        for l in &other.lines {
            if seen.insert(l.sha256) {
                self.lines.push(l.clone());
            }
        }
    }

    /// The log as CSV.
    pub fn write(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(ERASURE_LOG_HEADER)?;
        for l in &self.lines {
            out.write_record([l.erased_on.as_str(), l.kind.as_str(), hex(&l.sha256).as_str()])?;
        }
        out.flush()
    }
}

/// The rows any of whose identifiers the erasure log holds, in order.
pub fn erased_rows(clean: &[CleanRow], hashes: &HashSet<Hash>) -> Vec<usize> {
    use rayon::prelude::*;
    if hashes.is_empty() {
        return Vec::new();
    }
    clean
        .par_iter()
        .enumerate()
        .filter(|(_, c)| row_hashes(c).iter().any(|(_, h)| hashes.contains(h)))
        .map(|(i, _)| i)
        .collect()
}

/// Whether a line that could not be read as a row (a quarantined line) holds a value whose hash
/// `hashes` holds: each of its cells (split at commas, semicolons, tabs, pipes and quotes) is
/// tried as an e-mail, a phone number (with `country`) and a record id.
pub fn raw_line_matches(raw: &str, hashes: &HashSet<Hash>, country: Option<&str>) -> bool {
    if hashes.is_empty() {
        return false;
    }
    raw.split([',', ';', '\t', '|', '"']).map(str::trim).filter(|c| !c.is_empty()).any(|cell| {
        if hashes.contains(&sha256(cell)) {
            return true;
        }
        if cell.contains('@') {
            let c = email::clean_email(cell);
            return c.value.is_some_and(|v| hashes.contains(&sha256(&v)));
        }
        cell.bytes().filter(u8::is_ascii_digit).count() >= 6
            && phone::clean_phone(cell, country).value.is_some_and(|v| hashes.contains(&sha256(&v)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<List, Error> {
        List::parse(Path::new("lists/unsubscribed.csv"), text.as_bytes(), Some("NO"))
    }

    #[test]
    fn plain_lines_are_read_by_kind_and_hashed_normalised() {
        let list = parse("# opted out\n\n Ola.Nordmann@Example.com \n+47 412 34 567\n10042\nCRM-17\n").unwrap();
        assert_eq!(list.name, "unsubscribed");
        let kinds: Vec<&str> = list.entries.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, ["email", "phone", "record_id", "record_id"]);
        assert_eq!(list.entries[0].hashes, vec![sha256("ola.nordmann@example.com")]);
        assert_eq!(list.entries[1].hashes, vec![sha256("+4741234567")]);
        assert_eq!(list.entries[2].hashes[0], sha256("10042"));
        // A national number without country code is read with the default country.
        let national = parse("412 34 567\n").unwrap();
        assert_eq!(national.entries[0].hashes, vec![sha256("+4741234567")]);
        let hashed = parse(&format!("{}\n", hex(&sha256("+4741234567")).to_uppercase())).unwrap();
        assert_eq!(hashed.entries[0].hashes, vec![sha256("+4741234567")]);
    }

    #[test]
    fn a_csv_export_is_read_by_its_identifying_columns() {
        let list = parse("Email Address,First Name,Reason\nkari@example.no,Kari,bounced\n,Per,\nola@example.no,Ola,\n")
            .unwrap();
        assert_eq!(list.entries.len(), 2);
        assert_eq!(list.entries[1].hashes, vec![sha256("ola@example.no")]);
    }

    #[test]
    fn an_unreadable_line_refuses_the_list_naming_file_and_line_never_the_value() {
        for (text, line) in [
            ("a@example.no\nnot-an-email@\n", 2),
            ("a@example.no\n\nsha256:abcd\n", 3),
            ("a@example.no\nhello world\n", 2),
            ("0123456789abcdef0123456789abcdef\n", 1),
            ("email,name\na@example.no,A\nb@example.no\n", 3),
            ("email\nnot-an-email@\n", 2),
        ] {
            let e = parse(text).err().unwrap_or_else(|| panic!("{text:?} accepted")).to_string();
            assert!(e.contains("lists/unsubscribed.csv") && e.contains(&format!("line {line}")), "{text:?}: {e}");
            assert!(!e.contains("not-an-email") && !e.contains("hello") && !e.contains("abcd"), "{e}");
        }
        let bad_utf8 = List::parse(Path::new("x.txt"), b"a@example.no\n\xff\xfe@x.no\n", None).unwrap_err().to_string();
        assert!(bad_utf8.contains("line 2") && bad_utf8.contains("UTF-8"), "{bad_utf8}");
    }

    #[test]
    fn quarantined_lines_are_matched_cell_by_cell() {
        let hashes: HashSet<Hash> = [sha256("bjorn.olsen@icloud.com")].into();
        assert!(raw_line_matches("10041;Bjørn;Olsen;Bjorn.Olsen@icloud.com ;+47965", &hashes, Some("NO")));
        assert!(!raw_line_matches("10042;Knut;Olsen;knut@icloud.com", &hashes, Some("NO")));
    }
}
