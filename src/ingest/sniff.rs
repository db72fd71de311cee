//! Sniff: find the dialect of an export (delimiter, quoting, Excel's `sep=` line).
//!
//! Exports from Norway, Poland or Germany use `;` because `,` is their decimal mark; Excel's
//! "Unicode text" uses tabs; some systems use `|`. We look at the first lines outside quotes and
//! pick the candidate that splits them most consistently, preferring more columns on ties, so a
//! stray comma in a `;` file does not win.

/// The dialect of one export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    pub delimiter: u8,
    pub quote: u8,
    /// Excel's `sep=X` first line was present (and is skipped).
    pub sep_line: bool,
    /// The line end of the first line: `"\r\n"`, `"\n"` or `"\r"` (`"\n"` for a file of one
    /// line). `undo` writes rows back with it.
    pub line_end: &'static str,
    /// Every field of the header line is quoted (`"a";"b"`), as some systems quote every field;
    /// `undo` then quotes every field too.
    pub quote_all: bool,
}

impl Dialect {
    /// The dialect of a sheet read from a workbook, and of text that says nothing else.
    pub const PLAIN: Dialect =
        Dialect { delimiter: b',', quote: b'"', sep_line: false, line_end: "\n", quote_all: false };
}

const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
/// Enough lines to see the shape of the file, few enough to stay instant on huge files.
const SAMPLE_LINES: usize = 50;

/// Returns the dialect and the byte offset where the CSV proper starts (after a `sep=` line).
pub fn sniff(text: &str) -> (Dialect, usize) {
    let line_end = line_end(text);
    if let Some((delim, start)) = excel_sep_line(text) {
        let quote_all = quote_all(&text[start..], delim);
        return (Dialect { delimiter: delim, quote: b'"', sep_line: true, line_end, quote_all }, start);
    }
    let lines = sample_lines(text, SAMPLE_LINES);
    let mut best = (b',', 0.0f64, 0usize);
    for &d in &CANDIDATES {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, d)).collect();
        let Some(&header) = counts.first() else {
            continue;
        };
        if header == 0 {
            continue;
        }
        let rest = &counts[1..];
        let consistency = if rest.is_empty() {
            1.0
        } else {
            rest.iter().filter(|&&c| c == header).count() as f64 / rest.len() as f64
        };
        if consistency > best.1 + 1e-9 || ((consistency - best.1).abs() <= 1e-9 && header > best.2) {
            best = (d, consistency, header);
        }
    }
    let quote_all = quote_all(text, best.0);
    (Dialect { delimiter: best.0, quote: b'"', sep_line: false, line_end, quote_all }, 0)
}

/// The line end of the first line.
fn line_end(text: &str) -> &'static str {
    match text.find(['\n', '\r']).map(|i| &text.as_bytes()[i..]) {
        Some([b'\r', b'\n', ..]) => "\r\n",
        Some([b'\r', ..]) => "\r",
        _ => "\n",
    }
}

/// Whether every field of the first line (the header) is quoted.
fn quote_all(text: &str, delim: u8) -> bool {
    let header = text[..text.find(['\n', '\r']).unwrap_or(text.len())].trim_end();
    !header.is_empty()
        && header.split(delim as char).all(|f| {
            let f = f.trim();
            f.len() >= 2 && f.starts_with('"') && f.ends_with('"')
        })
}

/// Recognises Excel's `sep=;` hint on the first line and returns the delimiter and where the
/// next line starts.
fn excel_sep_line(text: &str) -> Option<(u8, usize)> {
    let first_end = text.find(['\n', '\r']).unwrap_or(text.len());
    let first = text[..first_end].trim_matches('"');
    let rest = first.strip_prefix("sep=").or_else(|| first.strip_prefix("SEP="))?;
    let mut bytes = rest.bytes();
    let delim = bytes.next()?;
    if bytes.next().is_some() || delim.is_ascii_alphanumeric() {
        return None;
    }
    let mut start = first_end;
    if text[start..].starts_with("\r\n") {
        start += 2;
    } else if start < text.len() {
        start += 1;
    }
    Some((delim, start))
}

/// The first `n` logical lines, joining lines that sit inside a quoted field.
fn sample_lines(text: &str, n: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && out.len() < n {
        match bytes[i] {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => {
                if i > start {
                    out.push(&text[start..i]);
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if out.len() < n && start < text.len() {
        out.push(&text[start..]);
    }
    out
}

fn count_outside_quotes(line: &str, delim: u8) -> usize {
    let mut in_quotes = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if b == delim && !in_quotes {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_delimiters() {
        let cases = [
            ("a,b,c\n1,2,3\n", b',', false),
            ("navn;beløp;by\nOla;1,50;Oslo\nKari;2,75;Bergen\n", b';', false),
            ("a\tb\n1\t2\n", b'\t', false),
            ("a|b|c\n1|2|3\n", b'|', false),
            ("sep=;\na;b\n1;2\n", b';', true),
            ("\"sep=,\"\r\na,b\r\n", b',', true),
            ("name;note\n\"Ola\";\"a, b, c\"\n\"Kari\";\"d, e\"\n", b';', false),
            ("name,note\n\"Ola\",\"multi\nline; here\"\n", b',', false),
        ];
        for (text, delim, sep) in cases {
            let (d, _) = sniff(text);
            assert_eq!((d.delimiter as char, d.sep_line), (delim as char, sep), "{text:?}");
        }
    }

    #[test]
    fn line_ends_and_quoting_are_noted_for_undo() {
        let cases = [
            ("a;b\r\n1;2\r\n", "\r\n", false),
            ("a,b\n1,2\n", "\n", false),
            ("a,b\r1,2\r", "\r", false),
            ("a,b", "\n", false),
            ("\"a\";\"b\"\r\n\"1\";\"\"\r\n", "\r\n", true),
            ("\"a\",b\n", "\n", false),
            ("sep=;\n\"a\";\"b\"\n", "\n", true),
        ];
        for (text, end, all) in cases {
            let (d, _) = sniff(text);
            assert_eq!((d.line_end, d.quote_all), (end, all), "{text:?}");
        }
    }

    #[test]
    fn sep_line_offset_skips_the_hint() {
        let text = "sep=;\r\na;b\r\n";
        let (_, start) = sniff(text);
        assert_eq!(&text[start..], "a;b\r\n");
    }
}
