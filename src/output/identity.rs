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

/// merge_map.csv: per source, the master and each duplicate of a golden record. `instructions`
/// gives those of a range of the `goldens` golden records (`merge::merge_map` of that range):
/// the file is made a chunk of golden records at a time in parallel and written in order, so the
/// whole map (four strings an instruction) is never in memory, which the merge phase's peak
/// would carry (ARCHITECTURE.md, "Memory model").
pub fn write_merge_map(
    w: &mut (dyn Write + Send),
    goldens: usize,
    instructions: impl Fn(std::ops::Range<usize>) -> Vec<MergeInstruction> + Sync,
) -> std::io::Result<()> {
    {
        let mut out = csv::Writer::from_writer(&mut *w);
        out.write_record(["source", "golden_id", "master_record_id", "duplicate_record_id"])?;
        out.flush()?;
    }
    super::write_chunks(w, goldens, 4096, |buf, range| {
        let mut out = csv::Writer::from_writer(buf);
        for m in instructions(range) {
            out.write_record([&m.source, &m.golden_id, &m.master, &m.duplicate])?;
        }
        out.flush()
    })
}
