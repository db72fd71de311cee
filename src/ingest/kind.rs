//! Kind: tell what an input file is from its first bytes, before any of it is read as text.
//!
//! People pass what they have: a CSV, an Excel or LibreOffice workbook, a gzip'd CSV, and now
//! and then a zip of exports, a PDF or a Word file. Reading those as CSV text gives a screen of
//! garbage rows or a baffling error, so every input is first sorted by its magic bytes (never by
//! its extension alone: a "report.xls" that is really tab-separated text is common, and so is an
//! `.csv` that is really a workbook). Zip containers are told apart by their entries (`xl/` is
//! Excel, a `mimetype` entry names an OpenDocument file). Anything that is not a register gets a
//! message that says what it is and what to do instead.

use std::io::Read;

/// The spreadsheet formats calamine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workbook {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

impl Workbook {
    /// The format's usual file extension, as the report's `encoding` of such an input.
    pub fn name(self) -> &'static str {
        match self {
            Workbook::Xlsx => "xlsx",
            Workbook::Xlsb => "xlsb",
            Workbook::Xls => "xls",
            Workbook::Ods => "ods",
        }
    }
}

/// What an input file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Anything else: read as delimited text (the decoder still refuses binary data).
    Text,
    /// gzip-compressed; its content is sorted again after decompression.
    Gzip,
    Workbook(Workbook),
    /// A Parquet file (a warehouse's export).
    Parquet,
    /// Not a register: the message says what the file is and what to do.
    Refused(String),
}

/// Sorts an input by its content.
pub fn detect(bytes: &[u8]) -> Kind {
    const ZIP: &[&[u8]] = &[b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"];
    if bytes.starts_with(b"\x1f\x8b") {
        return Kind::Gzip;
    }
    if super::parquet::is_parquet(bytes) {
        return Kind::Parquet;
    }
    if ZIP.iter().any(|m| bytes.starts_with(m)) {
        return zip_kind(bytes);
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return ole_kind(bytes);
    }
    let refuse = |what: &str, todo: &str| Kind::Refused(format!("is {what}; {todo}"));
    let unpack = "unpack it and pass the CSV or spreadsheet inside";
    if bytes.starts_with(b"7z\xBC\xAF\x27\x1C") {
        return refuse("a 7-Zip archive", unpack);
    }
    if bytes.starts_with(b"Rar!\x1A\x07") {
        return refuse("a RAR archive", unpack);
    }
    if bytes.len() > 263 && matches!(&bytes[257..263], b"ustar\0" | b"ustar ") {
        return refuse("a tar archive", unpack);
    }
    // `BZh`, the block size, then the magic of a block or of the end of the stream.
    if bytes.len() >= 10
        && bytes.starts_with(b"BZh")
        && (b'1'..=b'9').contains(&bytes[3])
        && matches!(&bytes[4..10], b"1AY&SY" | b"\x17rE8P\x90")
    {
        return refuse("bzip2-compressed", "decompress it (or save it as .csv.gz) and pass the CSV");
    }
    if bytes.starts_with(b"\xFD7zXZ\x00") {
        return refuse("xz-compressed", "decompress it (or save it as .csv.gz) and pass the CSV");
    }
    if bytes.starts_with(b"\x28\xB5\x2F\xFD") {
        return refuse("zstd-compressed", "decompress it (or save it as .csv.gz) and pass the CSV");
    }
    if bytes.starts_with(b"%PDF-") {
        return refuse("a PDF document", "export the register from its system as CSV or Excel instead");
    }
    // Some systems save an HTML table or Excel 2003 XML with an .xls name; Excel opens them,
    // regclean cannot split them into rows.
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = &start[start.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(start.len())..];
    let head = String::from_utf8_lossy(&start[..start.len().min(64)]).to_ascii_lowercase();
    if head.starts_with("<html") || head.starts_with("<!doctype html") || head.starts_with("<table") {
        return refuse(
            "an HTML page (some systems save HTML tables as .xls)",
            "open it in Excel and save it as .xlsx or CSV",
        );
    }
    if head.starts_with("<?xml") {
        return refuse("an XML file (Excel 2003 XML or similar)", "open it in Excel and save it as .xlsx or CSV");
    }
    Kind::Text
}

/// A zip container: an Excel or OpenDocument workbook, another Office document, or an archive.
fn zip_kind(bytes: &[u8]) -> Kind {
    let unpack = "is a zip archive; unpack it and pass the CSV or spreadsheet inside";
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Kind::Refused(format!("{unpack} (it also looks damaged: its directory cannot be read)"));
    };
    let names: Vec<String> = zip.file_names().filter_map(Result::ok).map(|n| n.into_owned()).collect();
    let has = |name: &str| names.iter().any(|n| n == name);
    let under = |dir: &str| names.iter().any(|n| n.starts_with(dir));
    if has("xl/workbook.bin") {
        return Kind::Workbook(Workbook::Xlsb);
    }
    if under("xl/") {
        return Kind::Workbook(Workbook::Xlsx);
    }
    if has("mimetype") {
        let mut mime = String::new();
        if let Ok(f) = zip.by_name("mimetype") {
            let _ = f.take(200).read_to_string(&mut mime);
        }
        let mime = mime.trim();
        if mime == "application/vnd.oasis.opendocument.spreadsheet" {
            return Kind::Workbook(Workbook::Ods);
        }
        if let Some(what) = mime.strip_prefix("application/vnd.oasis.opendocument.") {
            return Kind::Refused(format!(
                "is an OpenDocument {what} file, not a spreadsheet; export the register as CSV or a spreadsheet"
            ));
        }
    }
    if under("word/") {
        return Kind::Refused("is a Word document, not a spreadsheet; export the register as CSV or Excel".into());
    }
    if under("ppt/") {
        return Kind::Refused("is a PowerPoint file, not a spreadsheet; export the register as CSV or Excel".into());
    }
    Kind::Refused(unpack.to_string())
}

/// An OLE compound file: Excel 97-2003, or a password-protected modern Office file (which is
/// stored inside one), or another old Office document that calamine will refuse.
fn ole_kind(bytes: &[u8]) -> Kind {
    let utf16 = |s: &str| s.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if contains(&utf16("EncryptedPackage")) {
        return Kind::Refused("is password-protected; open it in Excel, remove the password and save it again".into());
    }
    Kind::Workbook(Workbook::Xls)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut out);
            for (name, data) in entries {
                w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
                std::io::Write::write_all(&mut w, data).unwrap();
            }
            w.finish().unwrap();
        }
        out.into_inner()
    }

    #[test]
    fn sorts_inputs_by_content() {
        let mut tar = vec![b'a'; 600];
        tar[257..263].copy_from_slice(b"ustar\0");
        let ods_mime: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";
        // (bytes, what it is)
        let cases: Vec<(Vec<u8>, Result<Kind, &str>)> = vec![
            (b"name,email\nOla,o@x.no\n".to_vec(), Ok(Kind::Text)),
            (b"BZh1,name\n1,Ola\n".to_vec(), Ok(Kind::Text)),
            (b"\x1f\x8b\x08\x00".to_vec(), Ok(Kind::Gzip)),
            (zip_with(&[("xl/workbook.xml", b"<x/>")]), Ok(Kind::Workbook(Workbook::Xlsx))),
            (zip_with(&[("xl/workbook.bin", b"")]), Ok(Kind::Workbook(Workbook::Xlsb))),
            (zip_with(&[("mimetype", ods_mime), ("content.xml", b"")]), Ok(Kind::Workbook(Workbook::Ods))),
            (zip_with(&[("kunder.csv", b"a,b\n1,2\n")]), Err("is a zip archive; unpack it")),
            (zip_with(&[("mimetype", b"application/vnd.oasis.opendocument.text")]), Err("OpenDocument text")),
            (zip_with(&[("word/document.xml", b"")]), Err("is a Word document")),
            (b"PK\x03\x04garbage".to_vec(), Err("is a zip archive")),
            (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest".to_vec(), Ok(Kind::Workbook(Workbook::Xls))),
            (b"7z\xBC\xAF\x27\x1C\x00\x04".to_vec(), Err("is a 7-Zip archive; unpack it")),
            (b"Rar!\x1A\x07\x01\x00".to_vec(), Err("is a RAR archive")),
            (tar, Err("is a tar archive")),
            (b"BZh91AY&SY".to_vec(), Err("bzip2")),
            (b"%PDF-1.7\n".to_vec(), Err("is a PDF document")),
            (b"\xEF\xBB\xBF <html><body><table>".to_vec(), Err("is an HTML page")),
            (b"<?xml version=\"1.0\"?><Workbook>".to_vec(), Err("is an XML file")),
        ];
        for (bytes, expected) in cases {
            let got = detect(&bytes);
            match expected {
                Ok(k) => assert_eq!(got, k, "{:?}", String::from_utf8_lossy(&bytes[..bytes.len().min(20)])),
                Err(msg) => match got {
                    Kind::Refused(m) => assert!(m.contains(msg), "{m}"),
                    other => panic!("expected a refusal with '{msg}', got {other:?}"),
                },
            }
        }
        let mut encrypted = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
        encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert!(matches!(detect(&encrypted), Kind::Refused(m) if m.contains("password-protected")));
    }
}
