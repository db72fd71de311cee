//! Output: write a run's files so that a failed or killed run never destroys good output.
//!
//! Every file is first written in full to a hidden temporary name inside the output directory
//! (same file system, so the final rename is atomic), flushed, and only renamed into
//! place once every file of the run has been written. A run that dies before the rename leaves
//! the previous run's files untouched; leftover temporaries are removed by the next run.

pub mod audit;
pub mod csv_text;
pub mod golden;
pub mod households;
pub mod identity;
pub mod measure;
pub mod pairs;
pub mod parquet;
pub mod quarantine;
pub mod records;
pub mod review;
pub mod segments;

pub use crate::chunks::write_chunks;
use crate::error::Error;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

const TMP_PREFIX: &str = ".regclean-tmp-";
const LOCK: &str = ".regclean.lock";

/// A set of files being written into one output directory. While it exists it holds the
/// directory's lock, so two runs never write into one directory at once.
pub struct Staging {
    dir: PathBuf,
    staged: Vec<(PathBuf, PathBuf)>,
    /// The directory did not exist before this run: a failed run removes it again, so that a
    /// fatal error leaves nothing behind.
    created: bool,
    /// The open lock file: an OS lock (flock) that the kernel releases when the file is closed
    /// or the process dies, however it dies, so a crashed run never blocks the next one.
    _lock: File,
}

/// Takes the output directory's lock: an exclusive OS lock on `.regclean.lock`.
fn take_lock(dir: &Path) -> Result<File, Error> {
    let path = dir.join(LOCK);
    let file =
        fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(|e| Error::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(Error::Input {
            path: dir.display().to_string(),
            line: None,
            column: None,
            message: "another regclean run is writing to this directory; wait for it to finish".into(),
        }),
        Err(fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
    }
}

/// Removes the temporaries a run writes in an output directory (its own names only: an input
/// inside the output directory is refused, see [`check_inputs_outside`]). Called when a run is
/// interrupted, and by the next run for one that was killed.
pub fn remove_temporaries(dir: &Path) {
    for d in [dir.to_path_buf(), dir.join("segments")] {
        if let Ok(entries) = fs::read_dir(&d) {
            for entry in entries.flatten() {
                if entry.file_name().to_string_lossy().starts_with(TMP_PREFIX) {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
    }
}

/// Refuses an output directory that holds one of the run's inputs: a run replaces that folder's
/// files (records.csv, golden.csv, segments/...) and clears its temporaries, and it never writes,
/// renames or deletes a file it was given.
pub fn check_inputs_outside(dir: &Path, inputs: &[PathBuf]) -> Result<(), Error> {
    let Ok(out) = dir.canonicalize() else {
        return Ok(()); // the directory does not exist yet, so it holds no input
    };
    for input in inputs {
        if let Ok(p) = input.canonicalize()
            && p.starts_with(&out)
        {
            return Err(Error::input(
                input,
                None,
                None,
                &format!(
                    "this input is inside the output directory {}: a run replaces the files there; choose another --out",
                    dir.display()
                ),
            ));
        }
    }
    Ok(())
}

impl Staging {
    /// Creates the output directory if needed and clears temporaries a killed run left behind.
    pub fn new(dir: &Path) -> Result<Staging, Error> {
        let created = !dir.exists();
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let lock = take_lock(dir)?;
        remove_temporaries(dir);
        Ok(Staging { dir: dir.to_path_buf(), staged: Vec::new(), created, _lock: lock })
    }

    /// Writes one file (a path relative to the output directory) under a temporary name.
    pub fn write(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
    ) -> Result<(), Error> {
        let final_path = self.dir.join(name);
        if let Some(parent) = final_path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let file_name = final_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = final_path.with_file_name(format!("{TMP_PREFIX}{file_name}"));
        let file = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        let result = fill(&mut w).and_then(|_| w.flush());
        // No fsync: the rename below is what keeps a killed run from leaving a half-written
        // file under a final name, and syncing hundreds of megabytes costs seconds.
        if let Err(e) = result {
            let _ = fs::remove_file(&tmp);
            return Err(Error::io(&final_path, e));
        }
        self.staged.push((tmp, final_path));
        Ok(())
    }

    /// Where a file staged under `name` is until the run commits.
    pub fn staged_path(&self, name: &str) -> Option<&Path> {
        let final_path = self.dir.join(name);
        self.staged.iter().find(|(_, f)| *f == final_path).map(|(tmp, _)| tmp.as_path())
    }

    /// Renames every staged file into place, then removes the files an earlier run wrote that
    /// this one did not (exports of segments that no longer exist, a segments.csv of a run with
    /// rules when this one has none), so the folder never mixes two runs. Only regclean's own
    /// file names are touched. The lock goes when `self` is dropped.
    pub fn commit(self) -> Result<(), Error> {
        for (tmp, final_path) in &self.staged {
            fs::rename(tmp, final_path).map_err(|e| Error::io(final_path, e))?;
        }
        let written: std::collections::HashSet<&Path> = self.staged.iter().map(|(_, f)| f.as_path()).collect();
        let mut ours: Vec<PathBuf> = OUTPUT_FILES.iter().map(|n| self.dir.join(n)).collect();
        if let Ok(entries) = fs::read_dir(self.dir.join("segments")) {
            ours.extend(entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "csv")));
        }
        for stale in ours.iter().filter(|p| !written.contains(p.as_path()) && p.is_file()) {
            fs::remove_file(stale).map_err(|e| Error::io(stale, e))?;
        }
        Ok(())
    }

    /// Renames every staged file into place and leaves every other file as it is: for a command
    /// that rewrites some files of a finished run (`erase`). The lock goes when `self` is dropped.
    pub fn commit_in_place(self) -> Result<(), Error> {
        for (tmp, final_path) in &self.staged {
            fs::rename(tmp, final_path).map_err(|e| Error::io(final_path, e))?;
        }
        Ok(())
    }

    /// Removes staged files after a failure, and the directory itself when this run created it
    /// and nothing else was put there meanwhile.
    pub fn abandon(self) {
        for (tmp, _) in &self.staged {
            let _ = fs::remove_file(tmp);
        }
        remove_temporaries(&self.dir);
        if self.created {
            let _ = fs::remove_file(self.dir.join(LOCK));
            let _ = fs::remove_dir(self.dir.join("segments"));
            let _ = fs::remove_dir(&self.dir); // only if empty
        }
    }
}

/// Cells made safe for spreadsheets (see `spreadsheet`), counting the ones that changed.
pub fn guard<'a>(
    cells: &'a [String],
    on: bool,
    neutralised: &std::sync::atomic::AtomicUsize,
) -> Vec<std::borrow::Cow<'a, str>> {
    cells
        .iter()
        .map(|c| {
            if !on {
                return std::borrow::Cow::Borrowed(c.as_str());
            }
            let (v, changed) = crate::spreadsheet::neutralise(c);
            if changed {
                neutralised.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            v
        })
        .collect()
}

/// One cell of a hand-formatted row (`csv_text`) made safe for spreadsheets when `on`, as
/// [`guard`] does, counting it when it changed.
pub fn guarded_field(
    line: &mut csv_text::Line<'_>,
    cell: &str,
    on: bool,
    neutralised: &std::sync::atomic::AtomicUsize,
) {
    if !on {
        return line.field(cell);
    }
    let (v, changed) = crate::spreadsheet::neutralise(cell);
    if changed {
        neutralised.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    line.field(&v);
}

/// Every file a run may write at the top of the output directory (segment exports go under
/// `segments/`).
pub const OUTPUT_FILES: [&str; 17] = [
    "records.csv",
    "quarantine.csv",
    "golden.csv",
    "audit.jsonl",
    "pairs.csv",
    "review.csv",
    "review.xlsx",
    "model.json",
    "id_changes.csv",
    "merge_map.csv",
    "segments.csv",
    "report.json",
    "report.html",
    "records.parquet",
    "golden.parquet",
    "pairs.parquet",
    "segments.parquet",
];

/// `--format parquet`: a typed Parquet copy of each main table this run staged (see `parquet`).
pub fn write_parquet_copies(staging: &mut Staging) -> Result<(), Error> {
    for table in parquet::TABLES {
        let Some(csv) = staging.staged_path(&format!("{table}.csv")).map(Path::to_path_buf) else { continue };
        staging.write(&format!("{table}.parquet"), |w| parquet::write_copy(table, &csv, w))?;
    }
    Ok(())
}

/// The columns records.csv starts with, before the original columns. `entity_kind` says whether
/// the row is a person, an organisation or a person at an organisation (`normalise::entity`).
pub const RECORDS_FIXED_COLUMNS: [&str; 6] =
    ["source_file", "source_line", "source", "record_key", "golden_id", "entity_kind"];

/// `--output-columns`: every name must be a column golden.csv has or a field a segment export
/// can carry; every unknown name is reported at once, with the nearest known one.
pub fn check_output_columns(columns: &[String], register: &crate::normalise::Register) -> Result<(), Error> {
    let mut known: Vec<String> = register.fields_present.iter().map(|f| f.name().to_string()).collect();
    known.extend(
        ["account_id", "other_emails", "other_phones", "stale", "stale_reasons", "suppressed"].map(String::from),
    );
    known.extend(records::passthrough_columns(&register.ingested).into_iter().map(|(n, _)| n));
    known.extend(crate::segment::schema_with(&register.custom.fields).names);
    let names: Vec<&str> = known.iter().map(String::as_str).collect();
    let unknown: Vec<Error> = columns
        .iter()
        .filter(|c| !known.contains(c))
        .map(|c| Error::Usage(format!("--output-columns: {}", crate::diagnostics::unknown_name("column", c, &names))))
        .collect();
    if unknown.is_empty() { Ok(()) } else { Err(Error::many(unknown)) }
}

/// report.json and report.html, both from the same typed report.
pub fn write_report(staging: &mut Staging, report: &crate::report::Report) -> Result<(), Error> {
    write_json(staging, "report.json", report)?;
    let json = serde_json::to_value(report).map_err(|e| Error::Usage(format!("report: {e}")))?;
    staging.write("report.html", |w| w.write_all(crate::report_html::render(&json).as_bytes()))
}

/// A pretty-printed JSON file with a final line end (model.json, report.json).
pub fn write_json(staging: &mut Staging, name: &str, value: &impl serde::Serialize) -> Result<(), Error> {
    staging.write(name, |w| {
        serde_json::to_writer_pretty(&mut *w, value)?;
        w.write_all(b"\n")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_run_is_refused_while_the_first_holds_the_lock() {
        let dir = std::env::temp_dir().join(format!("regclean-lock-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let first = Staging::new(&dir).unwrap();
        let e = Staging::new(&dir).err().expect("second run refused").to_string();
        assert!(e.contains("another regclean run"), "{e}");
        drop(first);
        assert!(Staging::new(&dir).is_ok(), "the lock goes with the first run");
        // A lock file left behind (a killed run's) holds no lock: the kernel released it.
        fs::write(dir.join(LOCK), "4000000000").unwrap();
        assert!(Staging::new(&dir).is_ok());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn nothing_is_replaced_until_commit() {
        let dir = std::env::temp_dir().join(format!("regclean-out-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("a.csv"), "old").unwrap();
        let mut s = Staging::new(&dir).unwrap();
        s.write("a.csv", |w| w.write_all(b"new")).unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.csv")).unwrap(), "old");
        s.commit().unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.csv")).unwrap(), "new");
        let leftovers = fs::read_dir(&dir)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(TMP_PREFIX))
            .count();
        assert_eq!(leftovers, 0);
        let _ = fs::remove_dir_all(&dir);
    }
}
