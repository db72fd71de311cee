//! Gzip: decompress a `.csv.gz` export so it is read exactly like the plain file.
//!
//! Ingest reads every file whole, and a plain file costs as much memory as it is large. A gzip
//! file does not: a few megabytes can decompress to terabytes (a decompression bomb). So the
//! decompressed size is bounded, and the first line is checked as soon as a row's worth of text
//! has arrived, as for a plain file: a first line longer than a row may be is not a header, and
//! the stream is dropped right there rather than after gigabytes.

use std::io::Read;

/// The most a gzip input may decompress to. Far above any real register (the 10-million-row
/// benchmark is under 2 GiB of CSV), far below the memory a run needs for that many rows anyway.
pub const MAX_DECOMPRESSED_BYTES: u64 = 4 << 30;

/// Why a gzip input could not be decompressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GunzipError {
    /// Damaged or truncated: `flate2`'s message (it says nothing about the content).
    Corrupt(String),
    /// More than the limit (bytes) once decompressed.
    TooLarge(u64),
    /// No line break within the first `max_line` bytes.
    FirstLineTooLong,
}

/// Decompresses every gzip member of `bytes` (like `gunzip`), refusing more than `limit` bytes
/// of output or a first line longer than `max_line` bytes.
pub fn gunzip(bytes: &[u8], limit: u64, max_line: usize) -> Result<Vec<u8>, GunzipError> {
    let mut reader = flate2::read::MultiGzDecoder::new(bytes).take(limit + 1);
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4).min(1 << 30));
    let mut buf = vec![0u8; 1 << 16];
    let mut first_line_seen = false;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(GunzipError::Corrupt(e.to_string())),
        };
        if !first_line_seen && buf[..n].contains(&b'\n') {
            first_line_seen = true;
        }
        out.extend_from_slice(&buf[..n]);
        if !first_line_seen && out.len() > max_line {
            return Err(GunzipError::FirstLineTooLong);
        }
        if out.len() as u64 > limit {
            return Err(GunzipError::TooLarge(limit));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        w.write_all(data).unwrap();
        w.finish().unwrap()
    }

    #[test]
    fn decompresses_within_bounds() {
        let csv = b"name,email\nOla,ola@example.no\n".repeat(100);
        assert_eq!(gunzip(&gz(&csv), 1 << 20, 1 << 10).unwrap(), csv);
        // Two members (`cat a.gz b.gz`) decompress to both, as gunzip does.
        let two = [gz(b"a,b\n1,2\n"), gz(b"3,4\n")].concat();
        assert_eq!(gunzip(&two, 1 << 20, 1 << 10).unwrap(), b"a,b\n1,2\n3,4\n");
        // A bomb: 64 MiB of zeros in 64 KiB, stopped at the limit, not at its end.
        let bomb = gz(&vec![b'\n'; 64 << 20]);
        assert!(bomb.len() < 1 << 17);
        assert_eq!(gunzip(&bomb, 1 << 20, 1 << 10), Err(GunzipError::TooLarge(1 << 20)));
        // One endless line is refused after a row's worth of bytes, whatever the limit.
        let line = gz(&vec![b'a'; 8 << 20]);
        assert_eq!(gunzip(&line, u64::MAX - 1, 1 << 20), Err(GunzipError::FirstLineTooLong));
        assert!(matches!(gunzip(&gz(&csv)[..40], 1 << 20, 1 << 10), Err(GunzipError::Corrupt(_))));
    }
}
