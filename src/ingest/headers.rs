//! Header mapping: decide which canonical field each of the customer's columns holds.
//!
//! An explicit mapping in the config wins; otherwise the header is looked up in the dictionary
//! of names real exports use (`header_names`), ignoring case, accents, spaces and punctuation;
//! failing that, a consent, opt-out or bounce flag is recognised by the words of its header.
//! A column that maps to nothing, or to a field an earlier column already holds, passes through
//! unchanged: it is never dropped. A column the config declares as a custom field (`[fields]`)
//! maps to that custom field and to no canonical one.

use super::header_names;
use crate::field::Field;
use std::collections::BTreeMap;

/// Returns, per column, the field it maps to and a note saying how (or why not).
/// `columns` are the config's explicit mappings, keyed by the normalised header.
pub fn map_headers(
    headers: &[String],
    columns: &BTreeMap<String, ColumnRule>,
) -> (Vec<Option<Field>>, Vec<&'static str>) {
    let (mapping, notes, _) = map_headers_and_custom(headers, columns);
    (mapping, notes)
}

/// [`map_headers`], and per column the custom field (index into the config's `[fields]`) it
/// holds, if any; the first column of a custom field wins, like a canonical one.
pub fn map_headers_and_custom(
    headers: &[String],
    columns: &BTreeMap<String, ColumnRule>,
) -> (Vec<Option<Field>>, Vec<&'static str>, Vec<Option<u16>>) {
    let mut taken = [false; Field::COUNT];
    let mut mapping = Vec::with_capacity(headers.len());
    let mut notes = Vec::with_capacity(headers.len());
    let mut custom = vec![None; headers.len()];
    let mut custom_taken = std::collections::BTreeSet::new();
    for (col, h) in headers.iter().enumerate() {
        let key = header_names::normalise_header(h);
        let (field, note) = match columns.get(&key).copied() {
            Some(ColumnRule::Field(f)) => (Some(f), "config"),
            Some(ColumnRule::Ignore) => (None, "ignored by config"),
            Some(ColumnRule::Custom(k)) => {
                if custom_taken.insert(k) {
                    custom[col] = Some(k);
                    (None, "custom field")
                } else {
                    (None, "pass-through (custom field already read from an earlier column)")
                }
            }
            None => match header_names::lookup(h) {
                Some(f) => (Some(f), "dictionary"),
                None => match header_names::lookup_by_words(h) {
                    Some(f) => (Some(f), "words"),
                    None => (None, "pass-through"),
                },
            },
        };
        match field {
            Some(f) if taken[f.index()] => {
                mapping.push(None);
                notes.push("pass-through (field already mapped by an earlier column)");
            }
            Some(f) => {
                taken[f.index()] = true;
                mapping.push(Some(f));
                notes.push(note);
            }
            None => {
                mapping.push(None);
                notes.push(note);
            }
        }
    }
    (mapping, notes, custom)
}

/// What the config says about one header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnRule {
    Field(Field),
    /// Keep the column as pass-through even if the dictionary knows its name.
    Ignore,
    /// The column holds the config's custom field with this index (`[fields]`, in file order).
    Custom(u16),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_dictionary_and_config_and_keeps_first_of_duplicates() {
        let mut columns = BTreeMap::new();
        columns.insert(header_names::normalise_header("Kundenr"), ColumnRule::Field(Field::RecordId));
        columns.insert(header_names::normalise_header("Notes"), ColumnRule::Ignore);
        let headers: Vec<String> = ["Kundenr", "Fornavn", "E-post", "Epost", "Notes", "Favourite colour"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (mapping, notes) = map_headers(&headers, &columns);
        assert_eq!(mapping, vec![Some(Field::RecordId), Some(Field::FirstName), Some(Field::Email), None, None, None]);
        assert_eq!(notes[0], "config");
        assert_eq!(notes[1], "dictionary");
        assert!(notes[3].starts_with("pass-through (field already"));
        assert_eq!(notes[4], "ignored by config");
        assert_eq!(notes[5], "pass-through");
    }

    /// A custom field's column maps to it and to no canonical field, even when the dictionary
    /// knows the header; a second column of the same custom field passes through.
    #[test]
    fn custom_columns_map_to_their_custom_field() {
        let mut columns = BTreeMap::new();
        columns.insert(header_names::normalise_header("Interests"), ColumnRule::Custom(0));
        columns.insert(header_names::normalise_header("Source"), ColumnRule::Custom(1));
        let headers: Vec<String> =
            ["E-mail", "INTERESTS", "Source", "interests"].iter().map(|s| s.to_string()).collect();
        let (mapping, notes, custom) = map_headers_and_custom(&headers, &columns);
        assert_eq!(mapping, vec![Some(Field::Email), None, None, None]);
        assert_eq!(custom, vec![None, Some(0), Some(1), None]);
        assert_eq!(notes[1..3], ["custom field", "custom field"]);
        assert!(notes[3].starts_with("pass-through (custom field already"));
    }
}
