//! Progress: how long stages report how far they are, without knowing who listens.
//!
//! The binary draws progress bars; tests and library callers stay silent. Stages take a
//! `&dyn Progress`, which lives in this leaf module so that no stage imports the pipeline that
//! calls it.

/// Receives progress from long stages. The binary draws bars; tests and libraries stay silent.
///
/// A stage opens with `stage(name, total)` and closes with `finish()`; in between it may call
/// `advance(n)` from any thread, in chunks (thousands of rows, megabytes), never per row, so
/// that reporting costs nothing measurable. The unit follows the stage: bytes for `ingest`,
/// pairs for `dedup: scoring`, rows (or records) otherwise. A stage that learns its work as it
/// goes (scoring, rule by rule) calls `stage` again with the same name before `finish`: the
/// totals add up and the stage goes on. A stage that never advances is shown as running.
pub trait Progress: Sync {
    fn stage(&self, _name: &'static str, _total: u64) {}
    fn advance(&self, _n: u64) {}
    fn finish(&self) {}
}

/// A progress sink that ignores everything.
pub struct Silent;
impl Progress for Silent {}
