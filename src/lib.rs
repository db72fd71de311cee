//! regclean: clean a customer register in one batch run.
//!
//! The pipeline reads exports (`ingest`), cleans every canonical field (`normalise`), finds and
//! merges duplicates (`dedup`), and writes the cleaned register, a quarantine file and a quality
//! report (`output`, `report`). `pipeline` ties the stages together; `main.rs` only parses
//! arguments, builds the configuration and calls it. See ARCHITECTURE.md for the map.

pub mod batch;
pub mod chunks;
pub mod config;
pub mod decisions;
pub mod dedup;
pub mod diagnostics;
pub mod erase;
pub mod error;
pub mod evaluate;
pub mod explain;
pub mod field;
pub mod gates;
pub mod history;
pub mod household;
pub mod ids;
pub mod ingest;
pub mod measure;
pub mod merge;
pub mod normalise;
pub mod output;
pub mod packed;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod report_html;
pub mod review;
pub mod rundir;
pub mod segment;
pub mod settings;
pub mod sources;
pub mod spill;
pub mod spreadsheet;
pub mod stale;
pub mod suppress;
pub mod undo;
pub mod warnings;

pub use error::Error;
pub use field::Field;
