//! CSV text formatted by hand into a byte buffer, byte for byte what a default `csv::Writer`
//! writes (comma, `"` quotes doubled inside, `\n` terminator, a field quoted only when it holds a
//! comma, quote or line break). The large outputs (records.csv, golden.csv, pairs.csv,
//! households.csv) are formatted this way: a `csv::Writer` per chunk costs a state machine step
//! per field and, with `StringRecord`s or `Vec<String>`s to feed it, an allocation per row or per
//! field, several times the cost of the bytes themselves.

/// One CSV row being appended to a buffer: fields are separated as they are pushed, and
/// [`Line::end`] terminates the row.
pub struct Line<'a> {
    buf: &'a mut Vec<u8>,
    first: bool,
    /// Where the row starts in `buf`.
    start: usize,
}

impl<'a> Line<'a> {
    pub fn new(buf: &'a mut Vec<u8>) -> Line<'a> {
        let start = buf.len();
        Line { buf, first: true, start }
    }

    fn separate(&mut self) {
        if !self.first {
            self.buf.push(b',');
        }
        self.first = false;
    }

    /// A text field, quoted when it needs it.
    pub fn field(&mut self, s: &str) {
        self.separate();
        push_field(self.buf, s);
    }

    /// An unsigned number (never quoted).
    pub fn uint(&mut self, n: u64) {
        self.separate();
        push_uint(self.buf, n);
    }

    /// `prefix` and `n` as 16 lower-case hex digits, like `format!("{prefix}{n:016x}")`; the
    /// prefix must need no quotes.
    pub fn hex(&mut self, prefix: &str, n: u64) {
        self.separate();
        self.buf.extend_from_slice(prefix.as_bytes());
        for k in (0..16).rev() {
            self.buf.push(b"0123456789abcdef"[(n >> (4 * k)) as usize & 0xf]);
        }
    }

    /// A field of `parts` joined by `sep` (a list of e-mails), quoted when the joined text needs
    /// it, without joining them into a `String` first.
    pub fn joined<'s>(&mut self, parts: impl Iterator<Item = &'s str> + Clone, sep: &str) {
        self.separate();
        let special = |s: &str| s.bytes().any(needs_quotes);
        let quoted = (special(sep) && parts.clone().nth(1).is_some()) || parts.clone().any(special);
        let push = |buf: &mut Vec<u8>, s: &str| {
            if quoted { push_escaped(buf, s) } else { buf.extend_from_slice(s.as_bytes()) }
        };
        if quoted {
            self.buf.push(b'"');
        }
        for (k, p) in parts.enumerate() {
            if k > 0 {
                push(self.buf, sep);
            }
            push(self.buf, p);
        }
        if quoted {
            self.buf.push(b'"');
        }
    }

    /// Ends the row with `\n`. A row that wrote nothing (one empty field) is written `""`, as a
    /// `csv::Writer` writes it, so that it is not read as a blank line.
    pub fn end(self) {
        if self.buf.len() == self.start {
            self.buf.extend_from_slice(b"\"\"");
        }
        self.buf.push(b'\n');
    }
}

/// Whether a byte makes a field need quotes.
fn needs_quotes(b: u8) -> bool {
    matches!(b, b',' | b'"' | b'\n' | b'\r')
}

/// A CSV field, quoted when it holds a comma, quote or line break.
pub fn push_field(buf: &mut Vec<u8>, s: &str) {
    if s.bytes().any(needs_quotes) {
        buf.push(b'"');
        push_escaped(buf, s);
        buf.push(b'"');
    } else {
        buf.extend_from_slice(s.as_bytes());
    }
}

/// The inside of a quoted field: `s` with its quotes doubled.
fn push_escaped(buf: &mut Vec<u8>, s: &str) {
    for b in s.bytes() {
        if b == b'"' {
            buf.push(b'"');
        }
        buf.push(b);
    }
}

/// `n` in decimal, without the formatter.
pub fn push_uint(buf: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row is exactly what a `csv::Writer` writes for the same fields.
    #[test]
    fn rows_match_the_csv_writer() {
        let rows: [&[&str]; 7] = [
            &["a", "b", ""],
            &["", "", ""],
            &[""],
            &["x,y", "say \"hi\"", "two\nlines", "cr\r", "Ørsted"],
            &["\"", ",", "plain"],
            &["  spaced  ", "#comment", "tab\there"],
            &["a"],
        ];
        for row in rows {
            let mut ours = Vec::new();
            let mut line = Line::new(&mut ours);
            row.iter().for_each(|f| line.field(f));
            line.end();
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(row).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(w.into_inner().unwrap()).unwrap());
        }
    }

    #[test]
    fn numbers_and_joined_fields_match_the_formatter() {
        for n in [0u64, 7, 10, 1_234_567, u64::MAX] {
            let mut buf = Vec::new();
            push_uint(&mut buf, n);
            assert_eq!(String::from_utf8(buf).unwrap(), n.to_string());
            let mut buf = Vec::new();
            Line::new(&mut buf).hex("#", n);
            assert_eq!(String::from_utf8(buf).unwrap(), format!("#{n:016x}"));
        }
        let lists: [&[&str]; 5] = [&[], &["a@x.no"], &["a@x.no", "b@y.no"], &["a,b", "c"], &["say \"x\"", ""]];
        for sep in [";", ","] {
            for parts in lists {
                let mut ours = Vec::new();
                let mut line = Line::new(&mut ours);
                line.joined(parts.iter().copied(), sep);
                line.field("z");
                line.end();
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record([parts.join(sep).as_str(), "z"]).unwrap();
                assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(w.into_inner().unwrap()).unwrap());
            }
        }
    }
}
