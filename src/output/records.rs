//! records.csv: every accepted input row in input order, its identity, golden id and entity kind
//! (person, organisation, person at an organisation), its original values under the original headers (the union of all inputs'), and each canonical
//! field cleaned with its status, then each custom field (the config's `[fields]`) likewise.

use super::RECORDS_FIXED_COLUMNS;
use super::csv_text::Line;
use crate::field::Field;
use crate::ingest::Ingested;
use crate::merge::Golden;
use crate::normalise::Register;
use crate::normalise::entity::entity_kind;
use std::io::Write;

/// The union of the sources' original headers, in order of first appearance, and for each
/// source the position of each union column in its rows.
pub fn union_columns(ingested: &Ingested) -> (Vec<String>, Vec<Vec<Option<usize>>>) {
    let mut names: Vec<String> = Vec::new();
    let mut index = std::collections::HashMap::new();
    let mut per_source = Vec::new();
    for s in &ingested.sources {
        let mut positions = Vec::new();
        for (col, h) in s.headers.iter().enumerate() {
            let name = if h.is_empty() { format!("column_{}", col + 1) } else { h.clone() };
            let u = *index.entry(name.clone()).or_insert_with(|| {
                names.push(name);
                names.len() - 1
            });
            positions.push((u, col));
        }
        per_source.push(positions);
    }
    let maps = per_source
        .into_iter()
        .map(|positions| {
            let mut m = vec![None; names.len()];
            for (u, col) in positions {
                m[u] = Some(col);
            }
            m
        })
        .collect();
    (names, maps)
}

/// Writes records.csv. The original values and the cleaned rows come from their spill files,
/// read side by side a batch of rows at a time: neither is in memory while the writers run.
/// `gatherer` takes the few values golden.csv needs from each batch on its way.
#[allow(clippy::too_many_arguments)] // the spilled rows, the golden records, the gatherer and a sink
pub fn write_records(
    w: &mut (dyn Write + Send),
    register: &Register,
    values: &crate::ingest::SpilledValues,
    clean: &crate::normalise::SpilledClean,
    goldens: &[Golden],
    golden: &[u32],
    gatherer: &mut crate::ingest::Gatherer<'_>,
    progress: &dyn crate::progress::Progress,
) -> std::io::Result<()> {
    let ingested = &register.ingested;
    let (names, maps) = union_columns(ingested);
    let mut out = csv::WriterBuilder::new().from_writer(w);
    let mut header: Vec<String> = RECORDS_FIXED_COLUMNS.iter().map(|c| c.to_string()).collect();
    header.extend(names.iter().cloned());
    // `country_source` after `status_country` says how a missing country was inferred
    // (`postcode`, `phone`, `email`, `register_majority`; empty for a row's own), only when
    // some row's was.
    let inferred = !register.country_inferred.is_empty();
    for f in &register.fields_present {
        header.push(format!("clean_{}", f.name()));
        header.push(format!("status_{}", f.name()));
        if inferred && *f == Field::Country {
            header.push("country_source".to_string());
        }
    }
    for f in &register.custom.fields {
        header.push(format!("clean_{}", f.name));
        header.push(format!("status_{}", f.name));
    }
    out.write_record(&header)?;
    out.flush()?;
    let w = out.into_inner().map_err(|e| e.into_error())?;
    let (mut value_batches, mut clean_batches) = (values.batches()?, clean.batches()?);
    // Both files hold every row in batches of one size: they end together, or one was damaged.
    while let Some(((first, values), (first_clean, clean))) =
        match (value_batches.next_batch()?, clean_batches.next_batch()?) {
            (Some(v), Some(c)) => Some((v, c)),
            (None, None) => None,
            _ => return Err(crate::spill::damaged()),
        }
    {
        if first != first_clean || values.len() != clean.len() {
            return Err(crate::spill::damaged());
        }
        gatherer.take(first, &values);
        crate::chunks::write_chunks_with(w, values.len(), 2048, progress, |buf, within| {
            let range = first + within.start..first + within.end;
            let batch = Batch { values: &values[within.clone()], clean: &clean[within] };
            write_rows(buf, register, batch, goldens, golden, range, &maps)
        })?;
    }
    Ok(())
}

/// A batch of rows read back from the spill files.
struct Batch<'a> {
    values: &'a [crate::packed::Strings],
    clean: &'a [crate::normalise::CleanRow],
}

/// Formats the records of the rows `range`, whose original values are `values`, by hand (see
/// `csv_text`): this is the largest output, a few hundred bytes a row.
#[allow(clippy::too_many_arguments)] // the writer's shared state, passed down once
fn write_rows(
    buf: &mut Vec<u8>,
    register: &Register,
    batch: Batch<'_>,
    goldens: &[Golden],
    golden: &[u32],
    range: std::ops::Range<usize>,
    maps: &[Vec<Option<usize>>],
) -> std::io::Result<()> {
    let ingested = &register.ingested;
    let inferred = !register.country_inferred.is_empty();
    let range_start = range.start;
    for (k, (((row, values), clean), gid)) in
        ingested.rows[range.clone()].iter().zip(batch.values).zip(batch.clean).zip(&golden[range]).enumerate()
    {
        let source = &ingested.sources[row.source as usize];
        let mut line = Line::new(buf);
        line.field(&source.name);
        line.uint(u64::from(row.line));
        line.field(&source.source);
        // The record key (`ids::record_key_of`), without its `String`.
        match clean.value(Field::RecordId) {
            Some(id) => line.field(id),
            None => line.hex("#", row.hash),
        }
        line.field(&goldens[*gid as usize].golden_id);
        line.field(entity_kind(clean).name());
        for pos in &maps[row.source as usize] {
            line.field(pos.map(|i| &values[i]).unwrap_or(""));
        }
        let i = range_start + k;
        for f in &register.fields_present {
            line.field(clean.value(*f).unwrap_or(""));
            line.field(clean.status(*f).as_str());
            if inferred && *f == Field::Country {
                line.field(register.country_inference(i).map_or("", |how| how.name()));
            }
        }
        for k in 0..register.custom.fields.len() {
            line.field(register.custom.value(i, k).unwrap_or(""));
            line.field(register.custom.status(i, k).as_str());
        }
        line.end();
    }
    Ok(())
}

/// Columns that map to no canonical field and hold no custom field in any source: they pass
/// through to golden.csv.
pub fn passthrough_columns(ingested: &Ingested) -> Vec<(String, Vec<Option<usize>>)> {
    let (names, maps) = union_columns(ingested);
    let mut out = Vec::new();
    for (u, name) in names.iter().enumerate() {
        let mapped = ingested
            .sources
            .iter()
            .zip(&maps)
            .any(|(s, m)| m[u].is_some_and(|c| s.mapping[c].is_some() || s.custom[c].is_some()));
        if !mapped {
            out.push((name.clone(), maps.iter().map(|m| m[u]).collect()));
        }
    }
    out
}
