//! Integration tests: run the real `regclean` binary in temporary directories.
//!
//! `fixtures.rs` compares each fixture scenario's outputs with its `expected/` files (set
//! `REGCLEAN_BLESS=1` to rewrite them after a deliberate change); `bad_input.rs` checks that
//! every kind of unusable input gives a clear error and writes nothing; `invariants.rs` checks
//! what must always hold (every row accounted for, originals unchanged, identical output at
//! any thread count, evaluate agrees with an independent count); `dedup_classes.rs` scores dedup
//! on labelled registers of hard record classes (`fixtures/dedup_classes/`).

mod accounts;
mod b2b_accounts;
mod bad_input;
mod batch;
mod cli;
mod custom_fields;
mod dedup_classes;
mod degenerate;
mod fixtures;
mod households;
mod inputs;
mod invariants;
mod limits;
mod measure;
mod merge;
mod monthly;
mod parquet;
mod privacy;
mod real_headers;
mod review;
mod segments;
mod suppression;
mod warnings;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The fixed reference date of every test run, so outputs never depend on the clock.
pub const AS_OF: &str = "2026-11-23";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh, empty temporary directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let p = std::env::temp_dir().join(format!("regclean-it-{}-{}-{}", std::process::id(), n, name));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the binary with arguments and extra environment variables.
pub fn regclean(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_regclean"));
    cmd.args(args).current_dir(root());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run regclean")
}

/// The files directly in `dir` (name and bytes), sorted by name.
pub fn files_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

/// Temporaries and the lock a run leaves in `dir` (names starting with `.regclean`).
pub fn regclean_leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".regclean"))
        // The lock file stays: empty, it holds an OS lock only while a run has it open.
        .filter(|n| n != ".regclean.lock")
        .collect()
}

/// Runs `regclean run` on inputs into `out` and asserts success.
pub fn run_ok(inputs: &[&str], out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["run"];
    args.extend_from_slice(inputs);
    let out_s = out.to_str().unwrap();
    args.extend_from_slice(&["--out", out_s]);
    if !extra.contains(&"--as-of") {
        args.extend_from_slice(&["--as-of", AS_OF]);
    }
    args.extend_from_slice(extra);
    let o = regclean(&args, &[]);
    assert!(o.status.success(), "regclean {args:?} failed: {}", String::from_utf8_lossy(&o.stderr));
    o
}

/// Reads a CSV file into header and rows.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new().flexible(false).from_path(path).unwrap();
    let h = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r.records().map(|x| x.unwrap().iter().map(str::to_string).collect()).collect();
    (h, rows)
}
