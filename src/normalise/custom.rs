//! Custom fields: clean the extra columns the config declares in `[fields]` (a lifecycle stage,
//! a loyalty tier, a list of interests) by the type declared for each.
//!
//! They are kept apart from the canonical fields because their number and names come from the
//! config, not from `Field`: the packed `CleanRow` stays a fixed size, and dedup never sees
//! them (a shared interest says nothing about being the same person). Each type reuses the
//! cleaner of the canonical fields of that kind, so `1 234,50` and `31.12.2024` read the same
//! in a custom column as in `revenue` and `created_at`; tags are split here.

use super::{Cleaned, Status, boolean, date, is_blank, money, text};
use crate::field::{CustomField, CustomKind};
use crate::ingest::Ingested;

/// Characters that separate the labels of a tags value (`Hiking; Running, yoga | cooking`).
const TAG_SEPARATORS: [char; 3] = [';', ',', '|'];

/// Cleans one raw value of a custom field of this kind. Dates are read month first when
/// `month_first` (the config's `date_order`; custom columns are not judged per column).
pub fn clean_custom(kind: CustomKind, raw: &str, month_first: bool) -> Cleaned {
    if is_blank(raw) {
        return Cleaned::missing();
    }
    match kind {
        CustomKind::Text => text::clean_text(raw),
        CustomKind::Number => money::clean_money(raw),
        CustomKind::Date => date::clean_date(raw, &date::DateOptions { month_first }),
        CustomKind::Boolean => boolean::clean_bool(raw),
        CustomKind::Tags => clean_tags(raw),
    }
}

/// Splits a tags value into labels: each tidied and lower-cased, blanks and duplicates dropped,
/// sorted (so the same set is always written the same way), joined by `;`.
pub fn clean_tags(raw: &str) -> Cleaned {
    let mut tags: Vec<String> =
        raw.split(TAG_SEPARATORS).map(|t| text::tidy(t).to_lowercase()).filter(|t| !is_blank(t)).collect();
    if tags.is_empty() {
        return Cleaned::missing();
    }
    tags.sort();
    tags.dedup();
    Cleaned::from_raw(raw, tags.join(";"))
}

/// The labels of a cleaned tags value.
pub fn tags(cleaned: &str) -> impl Iterator<Item = &str> {
    cleaned.split(';').filter(|t| !t.is_empty())
}

/// The cleaned custom fields of every row: for each row and field its status and (when valid
/// or fixed) its value. Empty when the config declares none.
#[derive(Debug, Clone, Default)]
pub struct CustomValues {
    /// The declarations, in config order; a field's index here is its index everywhere.
    pub fields: Vec<CustomField>,
    /// Per field, whether some input has its column.
    pub present: Vec<bool>,
    /// Row-major: row `i`'s field `k` is at `i * fields.len() + k` (empty where there is no
    /// cleaned value).
    values: crate::packed::Strings,
    status: Vec<Status>,
}

impl CustomValues {
    /// The cleaned value of custom field `k` in row `row`: `None` when missing or invalid.
    pub fn value(&self, row: usize, k: usize) -> Option<&str> {
        match self.status(row, k) {
            Status::Valid | Status::Fixed | Status::Unverified => Some(self.values.get(row * self.fields.len() + k)),
            Status::Invalid | Status::Missing => None,
        }
    }

    pub fn status(&self, row: usize, k: usize) -> Status {
        self.status.get(row * self.fields.len() + k).copied().unwrap_or(Status::Missing)
    }

    /// The declared fields that no input has a column for (a warning: the config may be for
    /// other exports, or the header misspelt).
    pub fn missing_columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.present.iter().enumerate().filter(|(_, p)| !**p).map(|(k, _)| k)
    }
}

/// Cleans every declared custom field of every accepted row (in parallel, order kept).
/// A custom date column's order is decided from its values like a canonical one's
/// (`date_order`), unless the config fixed it (`date_order_fixed`).
pub fn clean_all(
    ingested: &Ingested,
    fields: &[CustomField],
    month_first: bool,
    date_order_fixed: bool,
) -> CustomValues {
    use rayon::prelude::*;
    let n = fields.len();
    if n == 0 {
        return CustomValues::default();
    }
    let columns: Vec<Vec<Option<usize>>> = ingested.sources.iter().map(|s| s.columns_by_custom(n)).collect();
    let present = (0..n).map(|k| columns.iter().any(|c| c[k].is_some())).collect();
    // Per source and field, whether its dates are read month first.
    let orders: Vec<Vec<bool>> = columns
        .iter()
        .enumerate()
        .map(|(s, cols)| {
            cols.iter()
                .zip(fields)
                .map(|(col, f)| match (col, f.kind) {
                    (Some(c), crate::field::CustomKind::Date) => super::date_order::column_month_first(
                        ingested.rows.iter().filter(|r| r.source as usize == s).map(|r| &r.values[*c][..]),
                        month_first,
                        date_order_fixed,
                    ),
                    _ => month_first,
                })
                .collect()
        })
        .collect();
    let cells: Vec<Vec<Cleaned>> = ingested
        .rows
        .par_iter()
        .map(|row| {
            columns[row.source as usize]
                .iter()
                .zip(fields)
                .zip(&orders[row.source as usize])
                .map(|((col, f), &month_first)| match col {
                    Some(c) => clean_custom(f.kind, &row.values[*c], month_first),
                    None => Cleaned::missing(),
                })
                .collect()
        })
        .collect();
    CustomValues::from_cells(fields, present, &cells)
}

impl CustomValues {
    /// Packs cleaned cells, one list per row with one cell per field (`present`: per field,
    /// whether an input has its column).
    pub fn from_cells(fields: &[CustomField], present: Vec<bool>, cells: &[Vec<Cleaned>]) -> CustomValues {
        debug_assert!(cells.iter().all(|c| c.len() == fields.len()));
        let values = crate::packed::Strings::new(cells.iter().flatten().map(|c| c.value.as_deref().unwrap_or("")));
        let status = cells.iter().flatten().map(|c| c.status).collect();
        CustomValues { fields: fields.to_vec(), present, values, status }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_cleaned_by_their_type() {
        // (kind, raw, cleaned value, status)
        let cases: [(CustomKind, &str, Option<&str>, Status); 13] = [
            (CustomKind::Text, "  Marketing   qualified lead ", Some("Marketing qualified lead"), Status::Fixed),
            (CustomKind::Text, "lead", Some("lead"), Status::Valid),
            (CustomKind::Text, "N/A", None, Status::Missing),
            (CustomKind::Number, "1 234,50", Some("1234.50"), Status::Fixed),
            (CustomKind::Number, "gold", None, Status::Invalid),
            (CustomKind::Date, "31.12.2024", Some("2024-12-31"), Status::Fixed),
            (CustomKind::Date, "2024-02-30", None, Status::Invalid),
            (CustomKind::Boolean, "Ja", Some("true"), Status::Fixed),
            (CustomKind::Boolean, "maybe", None, Status::Invalid),
            (
                CustomKind::Tags,
                "Hiking; running,HIKING | Home & Garden",
                Some("hiking;home & garden;running"),
                Status::Fixed,
            ),
            (CustomKind::Tags, "hiking;running", Some("hiking;running"), Status::Valid),
            (CustomKind::Tags, " ; , ", None, Status::Missing),
            (CustomKind::Tags, "Friluftsliv;  Ski ", Some("friluftsliv;ski"), Status::Fixed),
        ];
        for (kind, raw, value, status) in cases {
            let c = clean_custom(kind, raw, false);
            assert_eq!((c.value.as_deref(), c.status), (value, status), "{kind:?} {raw:?}");
        }
        assert_eq!(tags("a;b c").collect::<Vec<_>>(), ["a", "b c"]);
    }
}
