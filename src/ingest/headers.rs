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

/// How a column's values are read for the field it maps to. Only channel fields
/// ([`Field::CHANNEL`]) are read any other way than [`Reading::Value`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reading {
    /// The value as it is written (a name, a date, a yes/no flag of the field itself).
    Value,
    /// An opt-out flag of a channel's consent field (`Do Not Call`): yes means no consent; no
    /// says nothing about consent (not having opted out is not having opted in).
    OptOut,
    /// A time or reason that is filled when the field is true (`UNSUB_TIME`, `OPTIN_TIME`,
    /// `Email hard bounce reason`); empty says nothing.
    Filled,
    /// A time or reason filled when the person opted out of the channel (`SMS opt-out date`).
    FilledOptOut,
}

impl Reading {
    /// The reading's name in report.json's header mapping (`reading`).
    pub fn name(self) -> &'static str {
        match self {
            Reading::Value => "value",
            Reading::OptOut => "opt_out",
            Reading::Filled => "filled_when_true",
            Reading::FilledOptOut => "filled_when_opted_out",
        }
    }
}

/// How an export's columns map onto fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping {
    /// The canonical field each column maps to. A field maps from one column, except the channel
    /// fields, which every column that speaks for them maps to.
    pub fields: Vec<Option<Field>>,
    /// How each column was recognised: `config`, `dictionary`, `words`, or why it was not used.
    pub notes: Vec<&'static str>,
    /// How each mapped column's values are read.
    pub readings: Vec<Reading>,
    /// The custom field (index into the config's `[fields]`) each column holds.
    pub custom: Vec<Option<u16>>,
}

/// The note of a column that passes through because another column already holds its field.
pub const ALREADY_MAPPED: &str = "pass-through (field already mapped by an earlier column)";
/// The note of a per-subscription opt-out left unread because an all-e-mail opt-out decides.
pub const ONE_SUBSCRIPTION: &str = "pass-through (opts out of one subscription; the all-e-mail opt-out decides)";
/// The note of a flag-like column whose values are counts.
pub const HOLDS_COUNTS: &str = "pass-through (holds counts, not a flag)";

/// Returns, per column, the field it maps to and a note saying how (or why not).
/// `columns` are the config's explicit mappings, keyed by the normalised header.
pub fn map_headers(
    headers: &[String],
    columns: &BTreeMap<String, ColumnRule>,
) -> (Vec<Option<Field>>, Vec<&'static str>) {
    let m = map_columns(headers, columns);
    (m.fields, m.notes)
}

/// Maps every column: the config first, then the dictionary and the words of consent headers
/// ([`header_names::lookup_column`]). A column of a custom field maps to it and to no canonical
/// field; the first column of a custom field or a canonical field wins, except for the channel
/// fields: every e-mail, SMS, call, fax or post consent, opt-out and bounce column is read, so
/// that none is dropped because another came first, and normalise takes the most restrictive.
/// An opt-out of one HubSpot subscription is read only when the export has no opt-out of all
/// e-mail.
pub fn map_columns(headers: &[String], columns: &BTreeMap<String, ColumnRule>) -> Mapping {
    let n = headers.len();
    let mut custom = vec![None; n];
    let mut custom_taken = std::collections::BTreeSet::new();
    // (field, reading, note, opts out of one subscription only)
    let mut found: Vec<(Option<Field>, Reading, &'static str, bool)> = Vec::with_capacity(n);
    for (col, h) in headers.iter().enumerate() {
        let key = header_names::normalise_header(h);
        found.push(match columns.get(&key).copied() {
            Some(ColumnRule::Field(f)) => (Some(f), Reading::Value, "config", false),
            Some(ColumnRule::Ignore) => (None, Reading::Value, "ignored by config", false),
            Some(ColumnRule::Custom(k)) => {
                if custom_taken.insert(k) {
                    custom[col] = Some(k);
                    (None, Reading::Value, "custom field", false)
                } else {
                    (None, Reading::Value, "pass-through (custom field already read from an earlier column)", false)
                }
            }
            None if header_names::is_subscription_opt_out(h) => {
                (Some(Field::Unsubscribed), Reading::Value, "words (opt-out of one subscription)", true)
            }
            None => match header_names::lookup_column(h) {
                Some((f, reading)) => {
                    let how = if header_names::is_known_name(h) { "dictionary" } else { "words" };
                    (Some(f), reading, how, false)
                }
                None => (None, Reading::Value, "pass-through", false),
            },
        });
    }
    let all_email_opt_out = found.iter().any(|&(f, _, _, one)| f == Some(Field::Unsubscribed) && !one);
    let mut taken = [false; Field::COUNT];
    let mut m = Mapping { custom, ..Mapping::default() };
    for (field, reading, note, one_subscription) in found {
        let (field, reading, note) = match field {
            Some(_) if one_subscription && all_email_opt_out => (None, Reading::Value, ONE_SUBSCRIPTION),
            Some(f) if f.is_channel() => (Some(f), reading, note),
            Some(f) if taken[f.index()] => (None, Reading::Value, ALREADY_MAPPED),
            Some(f) => {
                taken[f.index()] = true;
                (Some(f), reading, note)
            }
            None => (None, Reading::Value, note),
        };
        m.fields.push(field);
        m.readings.push(reading);
        m.notes.push(note);
    }
    m
}

/// Unmaps the flag columns that hold counts (Odoo's `Bounce`, a number of bounced mails): a
/// value of 2 or more in a column read as yes/no is no flag, and reading `1` as yes would
/// call an address bounced that bounced once among many deliveries. Columns the config maps
/// are left as the user said. `values(col)` gives a column's values.
pub fn unmap_counts<'a, I: Iterator<Item = &'a str>>(m: &mut Mapping, values: impl Fn(usize) -> I) {
    for col in 0..m.fields.len() {
        let Some(f) = m.fields[col] else { continue };
        if !f.is_channel() || m.notes[col] == "config" || !matches!(m.readings[col], Reading::Value | Reading::OptOut) {
            continue;
        }
        let is_count = |v: &str| v.trim().parse::<u64>().is_ok_and(|n| n >= 2);
        if values(col).any(is_count) {
            m.fields[col] = None;
            m.readings[col] = Reading::Value;
            m.notes[col] = HOLDS_COUNTS;
        }
    }
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
        let Mapping { fields: mapping, notes, custom, .. } = map_columns(&headers, &columns);
        assert_eq!(mapping, vec![Some(Field::Email), None, None, None]);
        assert_eq!(custom, vec![None, Some(0), Some(1), None]);
        assert_eq!(notes[1..3], ["custom field", "custom field"]);
        assert!(notes[3].starts_with("pass-through (custom field already"));
    }
}
