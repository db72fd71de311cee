//! Spill: a structure that lives through a run but sits idle for most of it goes to a scratch
//! file while it is idle, and comes back, value for value, when it is needed again.
//!
//! The original values are read by ingest, normalise and the first steps of dedup, then not
//! again until the writers; the cleaned rows are idle while dedup blocks, trains and scores
//! (ARCHITECTURE.md, "Memory model"). Held through those stages they set the run's peak; spilled,
//! the peak is that of the stage's own structures. A file is written in chunks that are packed
//! in parallel and read back in batches of chunks, so neither way holds a second copy of the
//! whole structure. The file lives in the output directory under the staging prefix (the next
//! run removes it if this one is killed) and is removed once read back or when dropped.

use rayon::prelude::*;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Items packed into one buffer by one task.
const CHUNK: usize = 16_384;
/// Chunks packed (or unpacked) at once: enough to keep every core busy (two a thread, at least
/// four), few enough that the buffers in flight, and a batch read back, stay a few megabytes.
/// records.csv reads two files a batch at a time side by side, at the writers' peak; eight
/// chunks a batch whatever the cores held some 60 MB more there on two cores (ARCHITECTURE.md,
/// "Memory model").
fn batch_chunks() -> usize {
    (2 * rayon::current_num_threads()).clamp(4, 8)
}

/// A structure on disk: `items` values in chunks of [`CHUNK`], each chunk `chunk_bytes[k]` long.
/// Dropping it removes the file.
#[derive(Debug)]
pub struct Spilled {
    path: PathBuf,
    items: usize,
    chunk_bytes: Vec<u64>,
}

impl Spilled {
    /// How many values the file holds.
    pub fn len(&self) -> usize {
        self.items
    }

    pub fn is_empty(&self) -> bool {
        self.items == 0
    }

    /// Bytes on disk, for the memory model.
    pub fn bytes(&self) -> u64 {
        self.chunk_bytes.iter().sum()
    }
}

impl Drop for Spilled {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Writes `items` to `path`, each packed by `put` (which appends its bytes to the buffer).
pub fn write<T: Sync>(path: &Path, items: &[T], put: impl Fn(&T, &mut Vec<u8>) + Sync) -> std::io::Result<Spilled> {
    let mut writer = Writer::create(path)?;
    for batch in items.chunks(batch_items()) {
        writer.write(batch, &put)?;
    }
    writer.finish()
}

/// Values [`Writer::write`] takes at a time: a batch of chunks.
pub fn batch_items() -> usize {
    CHUNK * batch_chunks()
}

/// [`write`] a batch at a time, for a structure whose values leave memory batch by batch as
/// they go to disk (the cleaned rows while dedup takes its match keys from them).
pub struct Writer {
    out: std::io::BufWriter<std::fs::File>,
    spilled: Spilled,
}

impl Writer {
    pub fn create(path: &Path) -> std::io::Result<Writer> {
        let out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
        // Owned by the writer, then the result, from here on, so a failed write removes the file.
        Ok(Writer { out, spilled: Spilled { path: path.to_path_buf(), items: 0, chunk_bytes: Vec::new() } })
    }

    /// Appends `items`, packed in parallel a chunk each. Every call but the last passes a whole
    /// number of chunks ([`batch_items`] fits), so that chunks are read back where they lie.
    pub fn write<T: Sync>(&mut self, items: &[T], put: impl Fn(&T, &mut Vec<u8>) + Sync) -> std::io::Result<()> {
        assert!(self.spilled.items.is_multiple_of(CHUNK), "only the last write of a spill ends a chunk early");
        let buffers: Vec<Vec<u8>> = items
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut buf = Vec::new();
                for item in chunk {
                    put(item, &mut buf);
                }
                buf
            })
            .collect();
        for buf in buffers {
            self.out.write_all(&buf)?;
            self.spilled.chunk_bytes.push(buf.len() as u64);
        }
        self.spilled.items += items.len();
        Ok(())
    }

    pub fn finish(mut self) -> std::io::Result<Spilled> {
        self.out.flush()?;
        Ok(self.spilled)
    }
}

/// [`write`] of values an iterator makes, packed as they come: for values made on the way to
/// disk, which need not be collected first.
pub fn write_iter<T>(
    path: &Path,
    items: impl Iterator<Item = T>,
    put: impl Fn(&T, &mut Vec<u8>),
) -> std::io::Result<Spilled> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut spilled = Spilled { path: path.to_path_buf(), items: 0, chunk_bytes: Vec::new() };
    let mut buf = Vec::new();
    let mut in_chunk = 0;
    for item in items {
        put(&item, &mut buf);
        in_chunk += 1;
        if in_chunk == CHUNK {
            out.write_all(&buf)?;
            spilled.chunk_bytes.push(buf.len() as u64);
            spilled.items += in_chunk;
            (in_chunk, buf) = (0, Vec::with_capacity(buf.len()));
        }
    }
    if in_chunk > 0 {
        out.write_all(&buf)?;
        spilled.chunk_bytes.push(buf.len() as u64);
        spilled.items += in_chunk;
    }
    out.flush()?;
    Ok(spilled)
}

/// Reads back what [`write`] wrote, in order, each value unpacked by `take` (which consumes its
/// bytes from the front of the slice); the file is removed.
pub fn read<T: Send>(
    spilled: Spilled,
    take: impl Fn(&mut &[u8]) -> std::io::Result<T> + Sync,
) -> std::io::Result<Vec<T>> {
    let mut items = Vec::with_capacity(spilled.items);
    read_batches(&spilled, take, |_, batch| {
        items.extend(batch);
        Ok(())
    })?;
    Ok(items)
}

/// Reads back what [`write`] wrote a batch of chunks at a time, in order, handing `f` the index
/// of each batch's first value and its values; the file stays (a structure read in passes
/// never comes back into memory whole).
pub fn read_batches<T: Send>(
    spilled: &Spilled,
    take: impl Fn(&mut &[u8]) -> std::io::Result<T> + Sync,
    mut f: impl FnMut(usize, Vec<T>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut batches = Batches::open(spilled, take)?;
    while let Some((first, batch)) = batches.next_batch()? {
        f(first, batch)?;
    }
    Ok(())
}

/// [`Batches`] that unpack each value with a plain function.
pub type Reader<'a, T> = Batches<'a, T, fn(&mut &[u8]) -> std::io::Result<T>>;

/// What [`write`] wrote, read back a batch of chunks at a time on demand: two files of one
/// length are read side by side, batch for batch (every batch but the last holds
/// `chunks * CHUNK` values).
pub struct Batches<'a, T, F> {
    spilled: &'a Spilled,
    take: F,
    input: std::io::BufReader<std::fs::File>,
    buf: Vec<u8>,
    batch: usize,
    /// Chunks a batch ([`batch_chunks`], taken once).
    chunks: usize,
    done: usize,
    _values: std::marker::PhantomData<T>,
}

impl<'a, T: Send, F: Fn(&mut &[u8]) -> std::io::Result<T> + Sync> Batches<'a, T, F> {
    pub fn open(spilled: &'a Spilled, take: F) -> std::io::Result<Self> {
        let input = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(&spilled.path)?);
        let chunks = batch_chunks();
        Ok(Batches {
            spilled,
            take,
            input,
            buf: Vec::new(),
            batch: 0,
            chunks,
            done: 0,
            _values: std::marker::PhantomData,
        })
    }

    /// The next batch: the index of its first value and its values; `None` after the last.
    pub fn next_batch(&mut self) -> std::io::Result<Option<(usize, Vec<T>)>> {
        let spilled = self.spilled;
        let Some(lengths) = spilled.chunk_bytes.chunks(self.chunks).nth(self.batch) else {
            return if self.done == spilled.items { Ok(None) } else { Err(damaged()) };
        };
        self.buf.resize(lengths.iter().sum::<u64>() as usize, 0);
        self.input.read_exact(&mut self.buf)?;
        let mut pieces = Vec::with_capacity(lengths.len());
        let mut rest = &self.buf[..];
        for &len in lengths {
            let (piece, after) = rest.split_at(len as usize);
            pieces.push(piece);
            rest = after;
        }
        let first = self.batch * self.chunks * CHUNK;
        let take = &self.take;
        let chunks: Vec<Vec<T>> = pieces
            .into_par_iter()
            .enumerate()
            .map(|(k, mut piece)| {
                let count = CHUNK.min(spilled.items.saturating_sub(first + k * CHUNK));
                let chunk = (0..count).map(|_| take(&mut piece)).collect::<std::io::Result<Vec<T>>>()?;
                if piece.is_empty() { Ok(chunk) } else { Err(damaged()) }
            })
            .collect::<std::io::Result<_>>()?;
        let batch: Vec<T> = chunks.into_iter().flatten().collect();
        self.batch += 1;
        self.done += batch.len();
        Ok(Some((first, batch)))
    }
}

/// A spill file that does not read back as written (changed or cut short while the run held it).
pub fn damaged() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, "a scratch file of this run changed while it ran")
}

/// Appends a u32, little-endian.
pub fn put_u32(buf: &mut Vec<u8>, v: u32) {
    buf.extend_from_slice(&v.to_le_bytes());
}

/// Takes `n` bytes from the front of `bytes`.
pub fn take_bytes<'a>(bytes: &mut &'a [u8], n: usize) -> std::io::Result<&'a [u8]> {
    if bytes.len() < n {
        return Err(damaged());
    }
    let (head, rest) = bytes.split_at(n);
    *bytes = rest;
    Ok(head)
}

/// Takes a little-endian u32 from the front of `bytes`.
pub fn take_u32(bytes: &mut &[u8]) -> std::io::Result<u32> {
    let b = take_bytes(bytes, 4)?;
    Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Takes `n` little-endian u32s from the front of `bytes`.
pub fn take_u32s(bytes: &mut &[u8], n: usize) -> std::io::Result<Box<[u32]>> {
    let b = take_bytes(bytes, 4 * n)?;
    Ok(b.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
}

/// Takes `n` bytes of UTF-8 text from the front of `bytes`.
pub fn take_str(bytes: &mut &[u8], n: usize) -> std::io::Result<Box<str>> {
    let b = take_bytes(bytes, n)?;
    std::str::from_utf8(b).map(Box::from).map_err(|_| damaged())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(s: &String, buf: &mut Vec<u8>) {
        put_u32(buf, s.len() as u32);
        buf.extend_from_slice(s.as_bytes());
    }

    fn take(bytes: &mut &[u8]) -> std::io::Result<String> {
        let n = take_u32(bytes)? as usize;
        Ok(take_str(bytes, n)?.into())
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("regclean-spill-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn values_come_back_in_order_across_chunks_and_batches_and_the_file_goes() {
        let dir = scratch("order");
        let path = dir.join("x.spill");
        // More than one batch of chunks, the last chunk partly filled.
        let items: Vec<String> = (0..CHUNK * batch_chunks() + 3 * CHUNK + 17).map(|i| format!("v{i}é")).collect();
        let spilled = write(&path, &items, put).unwrap();
        assert!(path.exists());
        assert!(spilled.bytes() > 0);
        let mut firsts = Vec::new();
        let mut streamed = Vec::new();
        read_batches(&spilled, take, |first, batch| {
            firsts.push(first);
            assert_eq!(first, streamed.len(), "a batch starts where the previous one ended");
            streamed.extend(batch);
            Ok(())
        })
        .unwrap();
        assert_eq!(streamed, items);
        assert!(firsts.len() > 1, "read in more than one batch");
        assert!(path.exists(), "read in batches, the file stays for another pass");
        let back = read(spilled, take).unwrap();
        assert_eq!(back, items);
        // Written from an iterator, the file reads back the same.
        let from_iter = write_iter(&path, items.iter().cloned(), put).unwrap();
        assert_eq!(read(from_iter, take).unwrap(), items);
        assert!(!path.exists(), "the scratch file is removed once read back");
        let empty = write(&path, &Vec::<String>::new(), put).unwrap();
        assert!(read(empty, take).unwrap().is_empty());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_file_cut_short_or_changed_is_an_error_not_wrong_values() {
        let dir = scratch("damage");
        let path = dir.join("x.spill");
        let items: Vec<String> = (0..1000).map(|i| format!("value {i}")).collect();
        let spilled = write(&path, &items, put).unwrap();
        let len = std::fs::metadata(&path).unwrap().len();
        std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(len - 3).unwrap();
        assert!(read(spilled, take).is_err());
        let spilled = write(&path, &items, put).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[0] = 0xff; // the first length now runs past the chunk
        std::fs::write(&path, &bytes).unwrap();
        assert!(read(spilled, take).is_err());
        drop(write(&path, &items, put).unwrap());
        assert!(!path.exists(), "a spill dropped unread is removed");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
