//! The committed input fixtures of regclean's tests: two messy demo registers with their dedup
//! truth (`demo/hubspot_contacts.csv`, `demo/nettbutikk_kunder.csv`, `demo_truth.csv`) and one
//! small `input.csv` per ingest scenario (encodings, line ends, delimiters, broken rows, FEBRL
//! headers). `fixtures/README.md` says what each file holds.
//!
//! Why it exists: the fixtures were first written by a Python script; the generator is one dev
//! tool, so they are now written here, by `regclean generate --fixtures DIR`. The port is proved
//! by its output: it writes the committed files byte for byte, so the expected outputs next to
//! them stay valid. That needs Python's random draws (`pyrandom`, MT19937 and CPython 3.11's
//! algorithms, seed 20250601) taken in the script's exact order, and its formatting (`render`,
//! `time`). Every name, address, phone number and e-mail address is invented.
//!
//! Only input files are written (and `demo_truth.csv`); expected outputs are left alone.

mod demo;
mod people;
mod pools;
mod pyrandom;
mod render;
mod scenarios;
mod time;

use people::World;
use pyrandom::PyRandom;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The seed of every fixture file (the scenario NIPs use `SEED + 1`).
const SEED: u64 = 20_250_601;

/// Where the `febrl_headers` scenario is copied from.
pub const FEBRL1: &str = "/work/shared/datasets/febrl/febrl1.csv";

/// What [`write_fixtures`] wrote, for the caller to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixturesSummary {
    /// Files written, relative to the fixtures folder.
    pub written: Vec<PathBuf>,
    /// Data rows of `demo/hubspot_contacts.csv`.
    pub hubspot_rows: usize,
    /// Data rows of `demo/nettbutikk_kunder.csv`, broken ones included.
    pub shop_rows: usize,
    /// The broken rows of the web-shop file: (physical line, what is wrong).
    pub shop_broken: Vec<(usize, &'static str)>,
    /// Set when the FEBRL dataset was missing: `febrl_headers/input.csv` was left as it was.
    pub febrl_missing: Option<PathBuf>,
}

/// Writes every input fixture under `dir` (normally the repository's `fixtures/`), creating the
/// folders it needs. The same files come out on every run and machine.
pub fn write_fixtures(dir: &Path) -> io::Result<FixturesSummary> {
    let mut world = World::new(PyRandom::new(SEED));
    let hub = demo::hubspot(&mut world)?;
    let shop = demo::shop(&mut world, &hub)?;
    let mut truth = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    truth.write_record(["source_file", "source_line", "entity_id"])?;
    for (file, line, eid) in hub.truth.iter().chain(&shop.truth) {
        truth.write_record([file, line.to_string().as_str(), eid])?;
    }
    let truth = truth.into_inner().map_err(|e| e.into_error())?;

    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (Path::new("demo").join(demo::HUB_FILE), hub.bytes),
        (Path::new("demo").join(demo::SHOP_FILE), shop.bytes),
        (PathBuf::from("demo_truth.csv"), truth),
    ];
    let input = |scenario: &str| Path::new(scenario).join("input.csv");
    files.push((input("encoding_utf16"), scenarios::encoding_utf16()));
    files.push((input("encoding_cp1250"), scenarios::encoding_cp1250(&mut PyRandom::new(SEED + 1))?));
    files.push((input("mixed_utf8_cp1252"), scenarios::mixed_utf8_cp1252()?));
    files.push((input("line_endings_cr"), scenarios::line_endings_cr()?));
    files.push((input("excel_sep"), scenarios::excel_sep()?));
    files.push((input("pipe_delimited"), scenarios::pipe_delimited()));
    files.push((input("quarantine"), scenarios::quarantine()));
    let febrl1 = Path::new(FEBRL1);
    let febrl_missing = match scenarios::febrl_headers(febrl1)? {
        Some(bytes) => {
            files.push((input("febrl_headers"), bytes));
            None
        }
        None => Some(febrl1.to_path_buf()),
    };

    let mut written = Vec::new();
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, bytes)?;
        written.push(rel);
    }
    Ok(FixturesSummary {
        written,
        hubspot_rows: hub.truth.len(),
        shop_rows: shop.truth.len(),
        shop_broken: shop.broken.into_iter().map(|(what, line)| (line, what)).collect(),
        febrl_missing,
    })
}
