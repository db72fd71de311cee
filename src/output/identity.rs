//! id_changes.csv and merge_map.csv: what a CRM needs to keep its records in step with the
//! golden records, month after month.

use crate::ids::IdChange;
use crate::merge::MergeInstruction;
use std::io::Write;

/// id_changes.csv: every golden id whose members changed since `--previous`.
pub fn write_id_changes(w: &mut (dyn Write + Send), changes: &[IdChange]) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(["golden_id", "change", "other_golden_id", "members_before", "members_after"])?;
    for c in changes {
        out.write_record([
            c.golden_id.as_str(),
            c.change,
            c.other_golden_id.as_str(),
            &c.members_before.to_string(),
            &c.members_after.to_string(),
        ])?;
    }
    out.flush()
}

/// merge_map.csv: per source, the master and each duplicate of a golden record.
pub fn write_merge_map(w: &mut (dyn Write + Send), map: &[MergeInstruction]) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(["source", "golden_id", "master_record_id", "duplicate_record_id"])?;
    for m in map {
        out.write_record([&m.source, &m.golden_id, &m.master, &m.duplicate])?;
    }
    out.flush()
}
