//! Strings packed into one allocation.
//!
//! A register of a million rows holds tens of millions of short strings. As separate `String`s
//! each costs 24 bytes of header plus an allocation of its own; packed, a row's values share
//! one buffer and cost four bytes of offset each. Rows, cleaned values and match keys use this.

/// A sequence of strings stored back to back in one buffer, with the end offset of each.
/// Holds at most 4 GiB of text (rows are quarantined long before: see `ingest::MAX_ROW_BYTES`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Strings {
    text: Box<str>,
    ends: Box<[u32]>,
}

/// Builds a [`Strings`] one value at a time, where the values are not at hand at once.
#[derive(Debug, Default)]
pub struct StringsBuilder {
    text: String,
    ends: Vec<u32>,
}

impl StringsBuilder {
    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(offset(self.text.len()));
    }

    /// How many values were pushed.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn finish(self) -> Strings {
        Strings { text: self.text.into_boxed_str(), ends: self.ends.into_boxed_slice() }
    }
}

impl Strings {
    pub fn new<'a>(items: impl IntoIterator<Item = &'a str>) -> Strings {
        let mut b = StringsBuilder::default();
        for s in items {
            b.push(s);
        }
        b.finish()
    }

    /// [`Strings::new`] that counts the values first, so that the text and the offsets are
    /// allocated once at their size, never grown nor shrunk: for the small `Strings` made one
    /// per record by the million (golden records).
    pub fn new_exact<'a>(items: impl Iterator<Item = &'a str> + Clone) -> Strings {
        let (count, bytes) = items.clone().fold((0, 0), |(n, b), s| (n + 1, b + s.len()));
        let mut text = String::with_capacity(bytes);
        let mut ends = Vec::with_capacity(count);
        for s in items {
            text.push_str(s);
            ends.push(offset(text.len()));
        }
        Strings { text: text.into_boxed_str(), ends: ends.into_boxed_slice() }
    }

    /// The strings of `text` that end at `ends` (increasing, each on a character boundary, the
    /// last at `text.len()`), in allocations of their exact size.
    pub fn from_parts(text: &str, ends: impl ExactSizeIterator<Item = u32>) -> Strings {
        let ends: Box<[u32]> = ends.collect();
        debug_assert!(ends.last().map_or(text.is_empty(), |&e| e as usize == text.len()));
        Strings { text: text.into(), ends }
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Bytes this value holds on the heap (its text and offsets), for the memory model.
    pub fn heap_bytes(&self) -> usize {
        self.text.len() + 4 * self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The `i`-th string. Panics when `i` is out of range, like a slice.
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Appends this value's bytes to a spill buffer (see `spill`): the count, the offsets, the text.
    pub fn spill(&self, buf: &mut Vec<u8>) {
        crate::spill::put_u32(buf, offset(self.ends.len()));
        self.ends.iter().for_each(|&e| crate::spill::put_u32(buf, e));
        buf.extend_from_slice(self.text.as_bytes());
    }

    /// Takes back a value [`Strings::spill`] wrote from the front of `bytes`.
    pub fn unspill(bytes: &mut &[u8]) -> std::io::Result<Strings> {
        let n = crate::spill::take_u32(bytes)? as usize;
        let ends = crate::spill::take_u32s(bytes, n)?;
        if ends.windows(2).any(|w| w[0] > w[1]) {
            return Err(crate::spill::damaged());
        }
        let text = crate::spill::take_str(bytes, ends.last().map_or(0, |&e| e as usize))?;
        if ends.iter().any(|&e| !text.is_char_boundary(e as usize)) {
            return Err(crate::spill::damaged());
        }
        Ok(Strings { text, ends })
    }

    /// The strings as owned values (for tests and small outputs).
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

impl std::ops::Index<usize> for Strings {
    type Output = str;
    fn index(&self, i: usize) -> &str {
        self.get(i)
    }
}

/// A buffer length as a packed offset.
pub(crate) fn offset(len: usize) -> u32 {
    u32::try_from(len).expect("packed text stays under 4 GiB")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_exact_equals_new() {
        for items in [&[][..], &[""][..], &["", "Ørsted", "", "Łódź 90-001", "x"][..]] {
            assert_eq!(Strings::new_exact(items.iter().copied()), Strings::new(items.iter().copied()));
        }
    }

    #[test]
    fn round_trip_with_empty_and_multibyte_strings() {
        let items = ["", "Ørsted", "", "Łódź 90-001", "x"];
        let s = Strings::new(items);
        assert_eq!(s.len(), 5);
        assert_eq!(s.to_vec(), items);
        assert_eq!(&s[1], "Ørsted");
        assert_eq!(s.get(2), "");
        assert!(Strings::new([]).is_empty());
    }

    #[test]
    fn a_spilled_value_reads_back_equal_and_a_broken_one_is_refused() {
        for items in [vec![], vec![""], vec!["Ørsted", "", "Łódź 90-001", "x"]] {
            let s = Strings::new(items.iter().copied());
            let mut buf = Vec::new();
            s.spill(&mut buf);
            buf.extend_from_slice(b"next");
            let mut rest = &buf[..];
            assert_eq!(Strings::unspill(&mut rest).unwrap(), s);
            assert_eq!(rest, b"next", "exactly its own bytes are taken");
        }
        let mut buf = Vec::new();
        Strings::new(["Ø"]).spill(&mut buf);
        buf[4] = 1; // an offset inside the two bytes of Ø
        assert!(Strings::unspill(&mut &buf[..]).is_err());
    }
}
