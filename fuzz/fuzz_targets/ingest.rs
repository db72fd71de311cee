//! Ingest of arbitrary bytes: encoding detection, dialect sniffing and the CSV reader.
//!
//! Any byte string may arrive as an "export"; ingest may refuse it with an error, never panic.
//! The chunked reader for large files is checked against one sequential pass on every input.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use regclean::config::Config;
use regclean::ingest::{self, decode, sniff};

/// One temp directory per fuzzing process, so parallel jobs do not overwrite each other's file.
fn input_path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("regclean-fuzz-ingest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create fuzz temp dir");
        dir.join("input.csv")
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(decoded) = decode::decode(data) {
        let _ = sniff::sniff(&decoded.text);
        let _ = ingest::count_physical_lines(&decoded.text);
        // Large files are read in chunks: any cut must give what one pass gives.
        // Chunks of 16 to 271 bytes: many cuts, including cuts inside quoted fields.
        let chunk = 16 + data.first().copied().unwrap_or(0) as usize;
        assert!(ingest::chunked_matches_sequential(&decoded.text, chunk), "chunked read differs (chunk {chunk})");
    }
    let path = input_path();
    std::fs::write(path, data).expect("write fuzz input");
    let _ = ingest::ingest(&[path], &ingest::ReadOptions { columns: &Config::default().columns, sheet: None, max_line_bytes: ingest::MAX_ROW_BYTES }, &regclean::progress::Silent);
});
