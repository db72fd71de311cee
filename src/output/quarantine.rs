//! quarantine.csv: every row that could not be read, with its line and reason.

use crate::ingest::Ingested;
use std::io::Write;

pub fn write_quarantine(w: &mut dyn Write, ingested: &Ingested) -> std::io::Result<()> {
    let mut out = csv::WriterBuilder::new().from_writer(w);
    out.write_record(["source_file", "source_line", "reason", "raw"])?;
    for q in &ingested.quarantine {
        out.write_record([ingested.sources[q.source as usize].name.as_str(), &q.line.to_string(), &q.reason, &q.raw])?;
    }
    out.flush()
}
