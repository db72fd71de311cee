//! Chunks: write many items in order while formatting them in parallel.
//!
//! The large files (records, golden records, audit, pairs, segment exports) and dedup's spill
//! file are formatted a batch at a time on every core and written in order. The helper knows no
//! file format, only ranges of items and bytes, so both stages and the output layer use it.

use std::io::Write;

/// Writes `n` items in order: `format` turns a range of item indices into bytes, chunks of
/// `chunk` items are formatted in parallel, and each batch is written while the next one is
/// formatted, so formatting and writing overlap and memory stays bounded by two batches.
pub fn write_chunks(
    w: &mut (dyn Write + Send),
    n: usize,
    chunk: usize,
    format: impl Fn(&mut Vec<u8>, std::ops::Range<usize>) -> std::io::Result<()> + Sync,
) -> std::io::Result<()> {
    write_chunks_with(w, n, chunk, &crate::progress::Silent, format)
}

/// [`write_chunks`], advancing `progress` by the items of each batch once it is formatted.
pub fn write_chunks_with(
    w: &mut (dyn Write + Send),
    n: usize,
    chunk: usize,
    progress: &dyn crate::progress::Progress,
    format: impl Fn(&mut Vec<u8>, std::ops::Range<usize>) -> std::io::Result<()> + Sync,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let chunk = chunk.max(1);
    let batch = chunk * 2 * rayon::current_num_threads().max(1) * 4;
    // Two sets of buffers take turns (one written while the other is filled) and are reused,
    // so gigabytes of output do not each pass through freshly allocated memory.
    let mut pending: Vec<Vec<u8>> = Vec::new();
    let mut spare: Vec<Vec<u8>> = Vec::new();
    let mut start = 0;
    while start < n {
        let end = (start + batch).min(n);
        let starts: Vec<usize> = (start..end).step_by(chunk).collect();
        spare.resize_with(starts.len(), Vec::new);
        spare.truncate(starts.len());
        let (written, filled) = rayon::join(
            || pending.iter().try_for_each(|b| w.write_all(b)),
            || {
                spare.par_iter_mut().zip(&starts).try_for_each(|(buf, &s)| {
                    buf.clear();
                    format(buf, s..(s + chunk).min(end))
                })
            },
        );
        written?;
        filled?;
        progress.advance((end - start) as u64);
        std::mem::swap(&mut pending, &mut spare);
        start = end;
    }
    pending.iter().try_for_each(|b| w.write_all(b))
}
