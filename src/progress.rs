//! Progress: how long stages report how far they are, without knowing who listens.
//!
//! The binary draws progress bars; tests and library callers stay silent. Stages take a
//! `&dyn Progress`, which lives in this leaf module so that no stage imports the pipeline that
//! calls it.

/// Receives progress from long stages. The binary draws bars; tests and libraries stay silent.
pub trait Progress: Sync {
    fn stage(&self, _name: &'static str, _total: u64) {}
    fn advance(&self, _n: u64) {}
    fn finish(&self) {}
}

/// A progress sink that ignores everything.
pub struct Silent;
impl Progress for Silent {}
