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

impl Strings {
    pub fn new<'a>(items: impl IntoIterator<Item = &'a str>) -> Strings {
        let mut text = String::new();
        let mut ends = Vec::new();
        for s in items {
            text.push_str(s);
            ends.push(offset(text.len()));
        }
        Strings { text: text.into_boxed_str(), ends: ends.into_boxed_slice() }
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
    fn round_trip_with_empty_and_multibyte_strings() {
        let items = ["", "Ørsted", "", "Łódź 90-001", "x"];
        let s = Strings::new(items);
        assert_eq!(s.len(), 5);
        assert_eq!(s.to_vec(), items);
        assert_eq!(&s[1], "Ørsted");
        assert_eq!(s.get(2), "");
        assert!(Strings::new([]).is_empty());
    }
}
