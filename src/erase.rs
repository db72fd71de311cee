//! Erasure (GDPR Art. 17): remove people from every output of a run, and log only hashes.
//!
//! `regclean erase RUN --who FILE` reads the request (`suppress::List`: e-mails, phones,
//! record ids or their SHA-256), finds the rows of records.csv it names by their cleaned
//! identifiers, and erases every golden record they belong to with all its member rows from
//! every file of RUN: rows of records.csv, golden.csv, merge_map.csv, id_changes.csv,
//! segments.csv and segments/*.csv by golden id; pairs.csv by the members' `file:line`;
//! audit.jsonl lines by golden id; quarantine.csv lines holding one of their identifiers;
//! report.json's pair examples of the members and any string holding one of their values
//! (report.html is rendered again from it); Parquet copies are written again from the
//! rewritten CSV files. Counts in report.json stay as the run made them; its `erased` key says
//! what was erased since. Every other row keeps its bytes.
//!
//! Each file is written under a temporary name and renamed into place, under the folder's lock
//! (`output::Staging`), so an erase cannot race a run. `erasure_log.csv` gains the SHA-256 of
//! every identifier of the erased rows and of every entry of the request, with the date
//! (`suppress::ErasureLog`), and no value: a later run with `--previous RUN` (or into RUN)
//! keeps those people out when an old export brings them back.

use crate::error::Error;
use crate::field::Field;
use crate::output::Staging;
use crate::suppress::{self, Erased, ErasureLog, Hash, List};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

/// What an erase did.
#[derive(Debug, Default)]
pub struct Erasure {
    /// Golden records erased, and their member rows.
    pub golden_records: usize,
    pub rows: usize,
    /// Entries of the request that matched no row (counted, never shown).
    pub entries_unmatched: usize,
    /// Files rewritten, relative to the run folder.
    pub files: Vec<String>,
    /// Hashes added to the erasure log.
    pub logged: usize,
}

/// What is known of the erased people once records.csv is read.
#[derive(Default)]
struct Found {
    golden_ids: HashSet<String>,
    /// `source_file`, `source_line` of every erased row (pairs.csv, report examples).
    rows: HashSet<(String, String)>,
    /// Identifiers that may sit in free text (quarantined lines, report strings): cleaned
    /// e-mails, phones, record ids, national ids, record keys and golden ids. Lower case.
    values: BTreeSet<String>,
    /// Their names (first, middle, last, full), lower case: replaced in report.json and
    /// audit.jsonl strings, but a quarantined line is dropped for an identifier only (a name
    /// alone may be someone else's).
    names: BTreeSet<String>,
    /// Phone numbers as digits (E.164 without `+`), for quarantined lines written in any way.
    phone_digits: BTreeSet<String>,
    /// (kind, hash) of every identifier, for the log.
    hashes: BTreeSet<(&'static str, Hash)>,
}

/// Erases the people `who` names from the run in `dir`; `as_of` dates the log's new lines.
pub fn erase(dir: &Path, who: &List, as_of: &str) -> Result<Erasure, Error> {
    crate::rundir::check_run_dir(dir)?;
    let mut staging = Staging::new(dir)?;
    match erase_staged(dir, who, as_of, &mut staging) {
        Ok(result) => {
            staging.commit_in_place()?;
            Ok(result)
        }
        Err(e) => {
            // Nothing is replaced: the run's files stay as they were.
            staging.abandon();
            Err(e)
        }
    }
}

/// Stages every rewritten file of [`erase`] (nothing is in place until it commits).
fn erase_staged(dir: &Path, who: &List, as_of: &str, staging: &mut Staging) -> Result<Erasure, Error> {
    let records_path = dir.join("records.csv");
    let records = std::fs::read(&records_path).map_err(|e| Error::io(&records_path, e))?;
    let (found, entry_matched) = find(&records, &records_path, who)?;
    let mut result = Erasure {
        golden_records: found.golden_ids.len(),
        rows: found.rows.len(),
        entries_unmatched: entry_matched.iter().filter(|m| !**m).count(),
        ..Erasure::default()
    };
    if !found.golden_ids.is_empty() {
        let golden_ids = &found.golden_ids;
        let by_golden = |column: &'static str| -> Box<dyn Fn(&Row) -> bool + '_> {
            Box::new(move |r: &Row| r.get(column).is_none_or(|g| !golden_ids.contains(g)))
        };
        stage_csv(staging, dir, "records.csv", &found, by_golden("golden_id"), &mut result)?;
        stage_csv(staging, dir, "golden.csv", &found, by_golden("golden_id"), &mut result)?;
        stage_csv(staging, dir, "merge_map.csv", &found, by_golden("golden_id"), &mut result)?;
        stage_csv(staging, dir, "segments.csv", &found, by_golden("golden_id"), &mut result)?;
        stage_households(staging, dir, &found, &mut result)?;
        stage_review(staging, dir, &found, &mut result)?;
        let id_changes = |r: &Row| {
            ["golden_id", "other_golden_id"].iter().all(|c| r.get(c).is_none_or(|g| !found.golden_ids.contains(g)))
        };
        stage_csv(staging, dir, "id_changes.csv", &found, Box::new(id_changes), &mut result)?;
        let pairs = |r: &Row| {
            ["l", "r"].iter().all(|side| {
                let file = r.get(&format!("source_file_{side}")).unwrap_or_default();
                let line = r.get(&format!("source_line_{side}")).unwrap_or_default();
                !found.rows.contains(&(file.to_string(), line.to_string()))
            })
        };
        stage_csv(staging, dir, "pairs.csv", &found, Box::new(pairs), &mut result)?;
        let quarantine = |r: &Row| !holds_value(r.get("raw").unwrap_or_default(), &found);
        stage_csv(staging, dir, "quarantine.csv", &found, Box::new(quarantine), &mut result)?;
        let mut exports: Vec<String> = std::fs::read_dir(dir.join("segments"))
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".csv") && !n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default();
        exports.sort();
        for name in exports {
            stage_csv(staging, dir, &format!("segments/{name}"), &found, by_golden("golden_id"), &mut result)?;
        }
        stage_audit(staging, dir, &found, &mut result)?;
        stage_report(staging, dir, &found, &mut result)?;
        for table in crate::output::parquet::TABLES {
            let name = format!("{table}.parquet");
            if !dir.join(&name).is_file() {
                continue;
            }
            let csv = match staging.staged_path(&format!("{table}.csv")) {
                Some(p) => p.to_path_buf(),
                None => dir.join(format!("{table}.csv")),
            };
            staging.write(&name, |w| crate::output::parquet::write_copy(table, &csv, w))?;
            result.files.push(name);
        }
    }
    // The log: every identifier of the erased rows and every entry of the request, as hashes.
    let mut log = ErasureLog::read_dir(dir)?;
    let mut new = found.hashes.clone();
    for entry in &who.entries {
        for h in &entry.hashes {
            new.insert((entry.kind, *h));
        }
    }
    let added = ErasureLog {
        lines: new
            .into_iter()
            .map(|(kind, sha256)| Erased { erased_on: as_of.to_string(), kind: kind.to_string(), sha256 })
            .collect(),
    };
    let before = log.lines.len();
    log.extend(&added);
    result.logged = log.lines.len() - before;
    staging.write(suppress::ERASURE_LOG, |w| log.write(w))?;
    result.files.push(suppress::ERASURE_LOG.to_string());
    Ok(result)
}

/// One CSV row with its header, read by column name.
struct Row<'a> {
    columns: &'a HashMap<String, usize>,
    record: &'a csv::StringRecord,
}

impl Row<'_> {
    fn get(&self, column: &str) -> Option<&str> {
        self.columns.get(column).and_then(|&i| self.record.get(i))
    }
}

/// Reads records.csv: the golden records whose rows the request names, then everything about
/// their members. Also which entries of the request matched some row.
fn find(records: &[u8], path: &Path, who: &List) -> Result<(Found, Vec<bool>), Error> {
    let mut by_hash: HashMap<Hash, Vec<usize>> = HashMap::new();
    for (e, entry) in who.entries.iter().enumerate() {
        for h in &entry.hashes {
            by_hash.entry(*h).or_default().push(e);
        }
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(records);
    let bad =
        |e: csv::Error| Error::input(path, e.position().map(|p| p.line() as usize), None, "cannot be read as CSV");
    let headers = reader.headers().map_err(bad)?.clone();
    let columns: HashMap<String, usize> = headers.iter().enumerate().map(|(i, h)| (h.to_string(), i)).collect();
    if !columns.contains_key("golden_id") {
        return Err(Error::input(path, Some(1), None, "has no golden_id column: not a regclean records.csv"));
    }
    // Two passes over the file, a record at a time (a register's records.csv is the size of its
    // inputs and more): the golden records named, then their members.
    let mut record = csv::StringRecord::new();
    let identifiers = |r: &Row| -> Vec<(&'static str, Hash)> {
        suppress::IDENTIFYING
            .iter()
            .filter_map(|&(f, kind)| {
                r.get(&format!("clean_{}", f.name())).filter(|v| !v.is_empty()).map(|v| (kind, suppress::sha256(v)))
            })
            .collect()
    };
    let mut matched = vec![false; who.entries.len()];
    let mut found = Found::default();
    while reader.read_record(&mut record).map_err(bad)? {
        let r = Row { columns: &columns, record: &record };
        for (_, h) in identifiers(&r) {
            if let Some(entries) = by_hash.get(&h) {
                entries.iter().for_each(|&e| matched[e] = true);
                found.golden_ids.insert(r.get("golden_id").unwrap_or_default().to_string());
            }
        }
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(records);
    reader.headers().map_err(bad)?;
    while reader.read_record(&mut record).map_err(bad)? {
        let r = Row { columns: &columns, record: &record };
        let golden = r.get("golden_id").unwrap_or_default();
        if !found.golden_ids.contains(golden) {
            continue;
        }
        let file_line = (r.get("source_file").unwrap_or_default(), r.get("source_line").unwrap_or_default());
        found.rows.insert((file_line.0.to_string(), file_line.1.to_string()));
        found.hashes.extend(identifiers(&r));
        let mut values: Vec<&str> = vec![golden, r.get("record_key").unwrap_or_default()];
        for f in suppress::IDENTIFYING.iter().map(|(f, _)| *f).chain([Field::NationalId]) {
            values.extend(r.get(&format!("clean_{}", f.name())));
        }
        for v in values.into_iter().map(str::trim).filter(|v| v.chars().count() >= 3) {
            found.values.insert(v.to_lowercase());
        }
        for f in [Field::FirstName, Field::MiddleName, Field::LastName, Field::FullName] {
            if let Some(v) = r.get(&format!("clean_{}", f.name())).map(str::trim).filter(|v| v.chars().count() >= 3) {
                found.names.insert(v.to_lowercase());
            }
        }
        for f in [Field::Phone, Field::Mobile] {
            if let Some(p) = r.get(&format!("clean_{}", f.name())).filter(|p| !p.is_empty()) {
                found.phone_digits.insert(p.chars().filter(char::is_ascii_digit).collect());
            }
        }
    }
    found.golden_ids.remove("");
    Ok((found, matched))
}

/// Whether `text` holds one of the erased identifiers as a word of its own (not inside a
/// longer word or number), or one of their phone numbers written with any spacing.
fn holds_value(text: &str, found: &Found) -> bool {
    let lower = text.to_lowercase();
    if found.values.iter().any(|v| holds_word(&lower, v)) {
        return true;
    }
    // Phone numbers: the national digits (E.164 without its country code of one to three
    // digits, seven digits at least) in the text's digits, so `+47 460 43 704` and `46043704`
    // are both found.
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    found.phone_digits.iter().any(|p| (1..=3).any(|cc| p.len() >= cc + 7 && digits.contains(&p[cc..])))
}

/// [`holds_value`], or one of the erased names as a word of its own.
fn holds_value_or_name(text: &str, found: &Found) -> bool {
    holds_value(text, found) || {
        let lower = text.to_lowercase();
        found.names.iter().any(|v| holds_word(&lower, v))
    }
}

/// Whether `needle` occurs in `hay` with no letter or digit right before or after it.
fn holds_word(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| {
        let before = hay[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = hay[i + needle.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
}

/// Rewrites one CSV file of the run without the rows `keep` refuses; a cell of a kept row that
/// is an erased golden id (a contact's `account_id`) is emptied. Kept rows keep their bytes.
fn stage_csv(
    staging: &mut Staging,
    dir: &Path,
    name: &str,
    found: &Found,
    keep: Box<dyn Fn(&Row) -> bool + '_>,
    result: &mut Erasure,
) -> Result<(), Error> {
    let path = dir.join(name);
    if !path.is_file() {
        return Ok(());
    }
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let bad =
        |e: csv::Error| Error::input(&path, e.position().map(|p| p.line() as usize), None, "cannot be read as CSV");
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(&bytes[..]);
    let headers = reader.headers().map_err(bad)?.clone();
    let columns: HashMap<String, usize> = headers.iter().enumerate().map(|(i, h)| (h.to_string(), i)).collect();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut start = reader.position().byte() as usize;
    out.extend_from_slice(&bytes[..start]);
    let mut record = csv::StringRecord::new();
    let mut changed = false;
    while reader.read_record(&mut record).map_err(bad)? {
        let end = reader.position().byte() as usize;
        let row = Row { columns: &columns, record: &record };
        if !keep(&row) {
            changed = true;
        } else if record.iter().any(|c| found.golden_ids.contains(c)) {
            let cells: Vec<&str> = record.iter().map(|c| if found.golden_ids.contains(c) { "" } else { c }).collect();
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(&cells).map_err(|e| Error::io(&path, e.into()))?;
            out.extend(w.into_inner().map_err(|e| Error::io(&path, e.into_error()))?);
            changed = true;
        } else {
            out.extend_from_slice(&bytes[start..end]);
        }
        start = end;
    }
    out.extend_from_slice(&bytes[start..]);
    if changed {
        staging.write(name, |w| w.write_all(&out))?;
        result.files.push(name.to_string());
    }
    Ok(())
}

/// review.csv without the pairs that name an erased row (by record id or
/// `source_file:source_line`), and review.xlsx written again from it when the run has one.
fn stage_review(staging: &mut Staging, dir: &Path, found: &Found, result: &mut Erasure) -> Result<(), Error> {
    let path = dir.join("review.csv");
    if !path.is_file() {
        return Ok(());
    }
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let bad =
        |e: csv::Error| Error::input(&path, e.position().map(|p| p.line() as usize), None, "cannot be read as CSV");
    let mut reader = csv::ReaderBuilder::new().from_reader(&bytes[..]);
    let header: Vec<String> = reader.headers().map_err(bad)?.iter().map(str::to_string).collect();
    let named: Vec<usize> =
        header.iter().enumerate().filter(|(_, h)| *h == "record_a" || *h == "record_b").map(|(i, _)| i).collect();
    let erased = |name: &str| {
        found.values.contains(&name.to_lowercase())
            || name
                .rsplit_once(':')
                .is_some_and(|(file, line)| found.rows.contains(&(file.to_string(), line.to_string())))
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut changed = false;
    for record in reader.records() {
        let record = record.map_err(bad)?;
        if named.iter().any(|&c| record.get(c).is_some_and(erased)) {
            changed = true;
        } else {
            rows.push(record.iter().map(str::to_string).collect());
        }
    }
    if !changed {
        return Ok(());
    }
    staging.write("review.csv", |w| crate::output::review::write_csv(w, &header, &rows))?;
    result.files.push("review.csv".to_string());
    if dir.join("review.xlsx").is_file() {
        // Dated by the run's --as-of, as the run wrote it.
        let report: serde_json::Value = std::fs::read(dir.join("report.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or(serde_json::Value::Null);
        let date = report.get("as_of").and_then(|d| d.as_str()).unwrap_or("2000-01-01").to_string();
        let part = |i: usize| date.split('-').nth(i).and_then(|p| p.parse::<u16>().ok()).unwrap_or(1);
        let as_of = (part(0), part(1) as u8, part(2) as u8);
        staging.write("review.xlsx", |w| crate::output::review::write_xlsx(w, &header, &rows, as_of))?;
        result.files.push("review.xlsx".to_string());
    }
    Ok(())
}

/// households.csv without the erased golden records, and without them among the members (and
/// in the size) of the households they shared with others.
fn stage_households(staging: &mut Staging, dir: &Path, found: &Found, result: &mut Erasure) -> Result<(), Error> {
    let name = "households.csv";
    let path = dir.join(name);
    if !path.is_file() {
        return Ok(());
    }
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let bad =
        |e: csv::Error| Error::input(&path, e.position().map(|p| p.line() as usize), None, "cannot be read as CSV");
    let mut reader = csv::ReaderBuilder::new().from_reader(&bytes[..]);
    let headers = reader.headers().map_err(bad)?.clone();
    let at = |c: &str| headers.iter().position(|h| h == c);
    let (Some(id), Some(size), Some(members)) = (at("golden_id"), at("household_size"), at("household_members")) else {
        return Err(Error::input(&path, Some(1), None, "has no golden_id, household_size or household_members column"));
    };
    let mut w = csv::Writer::from_writer(Vec::with_capacity(bytes.len()));
    w.write_record(&headers).map_err(|e| Error::io(&path, e.into()))?;
    let mut changed = false;
    for record in reader.records() {
        let record = record.map_err(bad)?;
        if found.golden_ids.contains(&record[id]) {
            changed = true;
            continue;
        }
        let kept: Vec<&str> = record[members].split(';').filter(|m| !found.golden_ids.contains(*m)).collect();
        let mut cells: Vec<String> = record.iter().map(str::to_string).collect();
        if kept.len() != record[members].split(';').count() {
            changed = true;
            cells[size] = kept.len().to_string();
            cells[members] = kept.join(";");
        }
        w.write_record(&cells).map_err(|e| Error::io(&path, e.into()))?;
    }
    if changed {
        let out = w.into_inner().map_err(|e| Error::io(&path, e.into_error()))?;
        staging.write(name, |w| w.write_all(&out))?;
        result.files.push(name.to_string());
    }
    Ok(())
}

/// audit.jsonl without the erased golden records' lines, and with any other string that holds
/// an erased value replaced.
fn stage_audit(staging: &mut Staging, dir: &Path, found: &Found, result: &mut Erasure) -> Result<(), Error> {
    let path = dir.join("audit.jsonl");
    if !path.is_file() {
        return Ok(());
    }
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let mut out = String::with_capacity(text.len());
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if line.trim().is_empty() {
            out.push_str(line);
            continue;
        }
        let mut value: serde_json::Value =
            serde_json::from_str(line).map_err(|_| Error::input(&path, Some(n + 1), None, "not a JSON line"))?;
        if value.get("golden_id").and_then(|g| g.as_str()).is_some_and(|g| found.golden_ids.contains(g)) {
            continue;
        }
        if holds_value_or_name(line, found) && scrub(&mut value, found) {
            out.push_str(&value.to_string());
            out.push('\n');
        } else {
            out.push_str(line);
        }
    }
    if out != text {
        staging.write("audit.jsonl", |w| w.write_all(out.as_bytes()))?;
        result.files.push("audit.jsonl".to_string());
    }
    Ok(())
}

/// Replaces every string of `value` that holds an erased value; whether any did.
fn scrub(value: &mut serde_json::Value, found: &Found) -> bool {
    match value {
        serde_json::Value::String(s) if holds_value_or_name(s, found) => {
            *s = "[erased]".to_string();
            true
        }
        serde_json::Value::Array(items) => items.iter_mut().fold(false, |any, v| scrub(v, found) | any),
        serde_json::Value::Object(map) => map.values_mut().fold(false, |any, v| scrub(v, found) | any),
        _ => false,
    }
}

/// report.json without the erased members' pair examples, any string that holds an erased
/// value replaced, and `erased` counting what was erased since the run; report.html again.
fn stage_report(staging: &mut Staging, dir: &Path, found: &Found, result: &mut Erasure) -> Result<(), Error> {
    let path = dir.join("report.json");
    if !path.is_file() {
        return Ok(());
    }
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let mut report: serde_json::Value =
        serde_json::from_str(&text).map_err(|_| Error::input(&path, None, None, "is not JSON"))?;
    let erased_at: HashSet<String> = found.rows.iter().map(|(file, line)| format!("{file}:{line}")).collect();
    if let Some(examples) = report.pointer_mut("/dedup/examples").and_then(|e| e.as_array_mut()) {
        examples.retain(|ex| {
            ["a", "b"].iter().all(|k| ex.get(k).and_then(|v| v.as_str()).is_none_or(|v| !erased_at.contains(v)))
        });
    }
    // Every section but the inputs' descriptions (file names, hashes, headers: undo rebuilds
    // a source's header from them, and a header such as `Land` may equal a surname).
    if let Some(map) = report.as_object_mut() {
        for (key, value) in map.iter_mut() {
            if !["tool", "config_sha256", "rules_sha256", "inputs"].contains(&key.as_str()) {
                scrub(value, found);
            }
        }
    }
    if let Some(map) = report.as_object_mut() {
        let before = |k: &str| map.get("erased").and_then(|e| e.get(k)).and_then(|v| v.as_u64()).unwrap_or(0);
        let erased = serde_json::json!({
            "erasures": before("erasures") + 1,
            "golden_records": before("golden_records") + found.golden_ids.len() as u64,
            "rows": before("rows") + found.rows.len() as u64,
        });
        map.insert("erased".to_string(), erased);
    }
    let mut json = serde_json::to_string_pretty(&report).map_err(|e| Error::io(&path, e.into()))?;
    json.push('\n');
    staging.write("report.json", |w| w.write_all(json.as_bytes()))?;
    result.files.push("report.json".to_string());
    if dir.join("report.html").is_file() {
        let html = crate::report_html::render(&report);
        staging.write("report.html", |w| w.write_all(html.as_bytes()))?;
        result.files.push("report.html".to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_found_as_words_and_phones_by_their_digits() {
        let mut found = Found::default();
        found.names.insert("olsen".into());
        found.values.insert("10041".into());
        found.phone_digits.insert("4796522375".into());
        assert!(holds_value("10041;Bjørn;x", &found));
        assert!(!holds_value("Bjørn;Olsen;x", &found), "a name alone is no identifier");
        assert!(holds_value_or_name("Bjørn;Olsen;x", &found));
        assert!(!holds_value_or_name("Olsenberg;100410", &found));
        assert!(holds_value("tel 965 22 375", &found));
        assert!(!holds_value("tel 965 22 376", &found));
    }
}
