//! Decode: turn the bytes of an export into text without losing a line.
//!
//! CRM exports arrive as UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text")
//! or without one (told by where its NUL bytes are),
//! or a Windows code page (1252 for Western Europe, 1250 for Poland and Central Europe). Worse,
//! a UTF-8 file that someone edited in an old tool can carry a few lines in Windows-1252. We
//! decode line by line in that case so the good lines stay exact and only the stray lines are
//! re-read, and we count them so the report can say so. The decoders themselves come from
//! `encoding_rs`; this module only decides which one applies.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1250, WINDOWS_1252};

/// How a file was decoded, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// `UTF-8`, `UTF-8 (BOM)`, `UTF-16LE (BOM)`, `UTF-16BE (BOM)`, `UTF-16LE`, `UTF-16BE`,
    /// `windows-1252`, `windows-1250`.
    pub encoding: String,
    /// Lines of a UTF-8 file that were not valid UTF-8 and were decoded with a Windows code page.
    pub stray_lines: usize,
    /// Characters that could not be decoded at all and became U+FFFD (e.g. unpaired surrogates).
    pub replaced_chars: usize,
}

/// Why a file cannot be read as a register at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    Empty,
    /// Looks like a binary file (NUL or control bytes where text should be).
    Binary {
        offset: usize,
    },
}

/// Like [`decode`], but takes the bytes by value so that a valid UTF-8 file (the common case)
/// becomes the text without a copy: on a large register that copy is hundreds of megabytes of
/// fresh memory.
pub fn decode_owned(mut bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let body = if bom { &bytes[3..] } else { &bytes[..] };
    if !body.is_empty()
        && !bytes.starts_with(b"\xFF\xFE")
        && !bytes.starts_with(b"\xFE\xFF")
        && std::str::from_utf8(body).is_ok()
    {
        if !bom && binary_offset(&bytes).is_some() {
            return decode(&bytes);
        }
        if bom {
            bytes.drain(..3);
        }
        let text = String::from_utf8(bytes).expect("checked above");
        let encoding = if bom { "UTF-8 (BOM)" } else { "UTF-8" };
        return Ok(Decoded { text, encoding: encoding.into(), stray_lines: 0, replaced_chars: 0 });
    }
    decode(&bytes)
}

/// Decodes an export, choosing the encoding by BOM, then UTF-8 validity, then a score of the
/// letters each Windows code page would produce.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let (text, stray, replaced) = decode_utf8_lenient(rest);
        return Ok(Decoded { text, encoding: "UTF-8 (BOM)".into(), stray_lines: stray, replaced_chars: replaced });
    }
    for (bom, enc, name) in
        [(&b"\xFF\xFE"[..], UTF_16LE, "UTF-16LE (BOM)"), (&b"\xFE\xFF"[..], UTF_16BE, "UTF-16BE (BOM)")]
    {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return Ok(utf16(rest, enc, name));
        }
    }
    // Without a BOM, UTF-16 shows as a NUL beside nearly every character of Latin text: read
    // it as such rather than call it binary.
    if let Some((enc, name)) = utf16_without_bom(bytes) {
        return Ok(utf16(bytes, enc, name));
    }
    if let Some(offset) = binary_offset(bytes) {
        return Err(DecodeError::Binary { offset });
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(Decoded { text: s.to_owned(), encoding: "UTF-8".into(), stray_lines: 0, replaced_chars: 0 });
    }
    // Not valid UTF-8. If most lines with non-ASCII bytes are valid UTF-8, the file is UTF-8 with
    // stray legacy lines; otherwise the whole file is in a Windows code page.
    let (mut utf8_lines, mut bad_lines) = (0usize, 0usize);
    for line in bytes.split(|&b| b == b'\n') {
        if line.is_ascii() {
            continue;
        }
        if std::str::from_utf8(line).is_ok() {
            utf8_lines += 1;
        } else {
            bad_lines += 1;
        }
    }
    if utf8_lines > bad_lines {
        let (text, stray, replaced) = decode_utf8_lenient(bytes);
        return Ok(Decoded { text, encoding: "UTF-8".into(), stray_lines: stray, replaced_chars: replaced });
    }
    let enc = guess_code_page(bytes);
    let (text, _) = enc.decode_without_bom_handling(bytes);
    Ok(Decoded {
        text: text.into_owned(),
        encoding: enc.name().to_ascii_lowercase(),
        stray_lines: 0,
        replaced_chars: 0,
    })
}

/// Decodes UTF-8 line by line; lines that are not valid UTF-8 are decoded with the code page
/// that best fits them. Returns the text, the number of such lines and of replacement chars.
fn decode_utf8_lenient(bytes: &[u8]) -> (String, usize, usize) {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_owned(), 0, 0);
    }
    let bad: Vec<&[u8]> = bytes.split(|&b| b == b'\n').filter(|l| std::str::from_utf8(l).is_err()).collect();
    let enc = guess_code_page(&bad.concat());
    let mut out = String::with_capacity(bytes.len() + 64);
    let mut stray = 0;
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match std::str::from_utf8(line) {
            Ok(s) => out.push_str(s),
            Err(_) => {
                stray += 1;
                out.push_str(&enc.decode_without_bom_handling(line).0);
            }
        }
    }
    (out, stray, 0)
}

/// Chooses between Windows-1252 and Windows-1250 by counting the decoded non-ASCII characters
/// that are common letters in the languages each code page serves. Ties go to 1252, the more
/// common one in our users' exports.
fn guess_code_page(bytes: &[u8]) -> &'static Encoding {
    const WESTERN: &str = "æøåÆØÅäöüÄÖÜßéèêëáàâíìîïóòôúùûçñÉÈÁÓÚ";
    const CENTRAL: &str = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻäöüÄÖÜßéáíúčďěňřšťůýžČĎĚŇŘŠŤŮÝŽ";
    let score = |enc: &'static Encoding, common: &str| {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        text.chars().filter(|c| !c.is_ascii() && common.contains(*c)).count()
    };
    if score(WINDOWS_1250, CENTRAL) > score(WINDOWS_1252, WESTERN) { WINDOWS_1250 } else { WINDOWS_1252 }
}

/// UTF-16 text (`bytes` without its BOM) in the given byte order, named `name`.
fn utf16(bytes: &[u8], enc: &'static encoding_rs::Encoding, name: &str) -> Decoded {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    let replaced = text.chars().filter(|&c| c == '\u{FFFD}').count();
    Decoded { text: text.into_owned(), encoding: name.into(), stray_lines: 0, replaced_chars: replaced }
}

/// UTF-16 without a byte-order mark (some exporters and PowerShell's `Out-File` write it): in
/// the first 8 KiB, NUL bytes fill one side of nearly every byte pair (the high byte of Latin
/// characters) and almost never the other, and the text has line breaks. Little-endian puts
/// the NULs second, big-endian first.
fn utf16_without_bom(bytes: &[u8]) -> Option<(&'static Encoding, &'static str)> {
    let head = &bytes[..bytes.len().min(8192) & !1];
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let nul_at = |side: usize| head.chunks_exact(2).filter(|p| p[side] == 0).count();
    let (first, second) = (nul_at(0), nul_at(1));
    let mostly = |n: usize| n * 10 >= pairs * 7;
    let rarely = |n: usize| n * 20 <= pairs;
    let line_break = |lo: usize| head.chunks_exact(2).any(|p| p[lo] == b'\n' && p[1 - lo] == 0);
    if mostly(second) && rarely(first) && line_break(0) {
        Some((UTF_16LE, "UTF-16LE"))
    } else if mostly(first) && rarely(second) && line_break(1) {
        Some((UTF_16BE, "UTF-16BE"))
    } else {
        None
    }
}

/// Returns the offset of the first sign that the file is binary rather than text: a NUL byte or
/// control byte density in the first 8 KiB that no CSV export has. A lone NUL further in is left
/// to the row reader, which quarantines just that row.
fn binary_offset(bytes: &[u8]) -> Option<usize> {
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)).count();
    let nuls = head.iter().filter(|&&b| b == 0).count();
    if nuls * 100 > head.len() || controls * 20 > head.len() {
        head.iter().position(|&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16().flat_map(|u| if big_endian { u.to_be_bytes() } else { u.to_le_bytes() }).collect()
    }

    #[test]
    fn chooses_the_right_decoder() {
        let utf16le: Vec<u8> =
            b"\xFF\xFE".iter().copied().chain("navn\tØ\n".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        let utf16be: Vec<u8> =
            b"\xFE\xFF".iter().copied().chain("navn\tØ\n".encode_utf16().flat_map(|u| u.to_be_bytes())).collect();
        let cases: Vec<(Vec<u8>, &str, &str, usize)> = vec![
            ("a,b\nØ,1\n".as_bytes().to_vec(), "a,b\nØ,1\n", "UTF-8", 0),
            (b"\xEF\xBB\xBFa,b\n".to_vec(), "a,b\n", "UTF-8 (BOM)", 0),
            (utf16le, "navn\tØ\n", "UTF-16LE (BOM)", 0),
            (utf16be, "navn\tØ\n", "UTF-16BE (BOM)", 0),
            // Without a BOM, by where its NUL bytes are (issue 25).
            (utf16("navn;by\r\nÅse;Ørsta\r\n", false), "navn;by\r\nÅse;Ørsta\r\n", "UTF-16LE", 0),
            (utf16("navn;by\nPål;Bø\n", true), "navn;by\nPål;Bø\n", "UTF-16BE", 0),
            (b"navn;by\n\xD8degard;\xC5lesund\n".to_vec(), "navn;by\nØdegard;Ålesund\n", "windows-1252", 0),
            (
                b"imie;nazwisko\n\xA3ukasz;Wi\x9Cniewski\nZofia;\xAF\xF3\xB3w\n".to_vec(),
                "imie;nazwisko\nŁukasz;Wiśniewski\nZofia;Żółw\n",
                "windows-1250",
                0,
            ),
            (
                "navn,by\nÅse,Ørsta\nPål,Bø\nKjell,Å\n".bytes().chain(b"\xD8degard,B\xF8\n".iter().copied()).collect(),
                "navn,by\nÅse,Ørsta\nPål,Bø\nKjell,Å\nØdegard,Bø\n",
                "UTF-8",
                1,
            ),
        ];
        for (bytes, text, enc, stray) in cases {
            let d = decode_owned(bytes.clone()).unwrap();
            assert_eq!(d, decode(&bytes).unwrap());
            assert_eq!((d.text.as_str(), d.encoding.as_str(), d.stray_lines), (text, enc, stray));
        }
    }

    #[test]
    fn owned_decoding_agrees_with_borrowed() {
        let inputs: [&[u8]; 5] =
            [b"a,b\n\xC3\x98,1\n", b"\xEF\xBB\xBFa,b\n", b"navn;by\n\xD8degard;\xC5lesund\n", b"\xFF\xFEa\0", b""];
        for input in inputs {
            assert_eq!(decode_owned(input.to_vec()), decode(input), "{input:?}");
        }
    }

    #[test]
    fn refuses_empty_and_binary() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10".to_vec();
        png.extend(std::iter::repeat_n(0u8, 100));
        assert!(matches!(decode(&png), Err(DecodeError::Binary { .. })));
        // NULs on both sides of the pairs are no UTF-16.
        let mut zeros = b"a,b\n".to_vec();
        zeros.extend(std::iter::repeat_n(0u8, 100));
        assert!(matches!(decode(&zeros), Err(DecodeError::Binary { .. })));
    }
}
