//! Run settings and the run's summary: what `pipeline::run` is given and what it gives back.
//!
//! Plain data, validated by the caller (`main` builds it from flags and files) before any input
//! is read, so the pipeline only orchestrates.

use crate::config::Config;
use crate::merge::rules::Survivorship;
use crate::normalise::date::Date;
use crate::segment::SegmentRules;
use crate::stale::Policy;
use std::path::PathBuf;

/// Everything a run needs, validated.
#[derive(Debug, Clone)]
pub struct RunSettings {
    pub inputs: Vec<PathBuf>,
    /// The sheet to read in spreadsheet inputs (`--sheet`); the first visible one when `None`.
    pub sheet: Option<String>,
    pub out_dir: PathBuf,
    pub as_of: Date,
    /// False when `--as-of` was not given and the caller used today's date.
    pub as_of_given: bool,
    pub config: Config,
    /// Survivorship rules for golden records.
    pub survivorship: Survivorship,
    /// A decisions file (`record_a,record_b,decision`) every run obeys.
    pub decisions: Option<PathBuf>,
    /// The stale policy.
    pub stale: Policy,
    /// Segment rules, when `--rules` was given.
    pub segments: Option<SegmentRules>,
    /// The output directory of an earlier run, to carry golden ids forward and measure segment
    /// drift against.
    pub previous: Option<PathBuf>,
    /// `--source NAME=FILE` pairs (see `sources::assign`).
    pub sources: Vec<(String, String)>,
    /// Show real values instead of masked patterns in the reports (personal data: opt-in).
    pub show_samples: bool,
    /// Data minimisation: the only columns golden.csv and segment exports carry (besides
    /// golden_id and member_count). `None` keeps them all.
    pub output_columns: Option<Vec<String>>,
    /// `--history FILE`: append one line per segment and variant after a successful run.
    pub history: Option<PathBuf>,
    /// `--format parquet`: typed Parquet copies of records, golden, pairs and segments too.
    pub parquet: bool,
    /// `--suppress FILE` lists, read and checked (`suppress::List`): their golden records are
    /// marked in golden.csv and left out of every segment and export.
    pub suppress: Vec<crate::suppress::List>,
    /// How many uncertain pairs review.csv lists (`--review-pairs`; 0 writes none).
    pub review_pairs: usize,
    /// `--review-xlsx`: review.xlsx beside review.csv, for filling in in a spreadsheet.
    pub review_xlsx: bool,
}

/// The numbers a closing summary shows.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub rows_read: usize,
    pub rows_accepted: usize,
    pub rows_quarantined: usize,
    pub golden_records: usize,
    pub rows_merged: usize,
    pub stale_records: usize,
    pub segments: usize,
    /// The quality gates' verdict.
    pub gates: Option<crate::gates::GateReport>,
    /// Things a person should look at though the run succeeded (no personal data).
    pub warnings: Vec<String>,
    /// This run's history points, appended to `--history` once the outputs are in place.
    pub history: Vec<crate::history::Point>,
    /// Bytes of each structure that lives through the run, by name, for the memory model that
    /// `REGCLEAN_TIMINGS` prints (ARCHITECTURE.md).
    pub memory: Vec<(&'static str, u64)>,
    /// With `--suppress`: golden records suppressed, and list entries that matched nobody.
    pub suppressed: Option<(usize, usize)>,
    /// Rows an erasure log kept out of the run.
    pub rows_kept_out: usize,
}
