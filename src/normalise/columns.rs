//! Which column each canonical field of a row is read from.
//!
//! Ingest maps each field to one column per file (`Source::mapping`) and notes what only a row
//! can settle: a second company or website column, read where the first is empty (HubSpot's
//! `Associated Company` beside `Company Name`); a column saying whether the row is an
//! organisation (Odoo's `Is a company`, Salesforce's `IsPersonAccount`), whose organisation rows
//! have their bare name read as the company's name, not split into a first and last name; and
//! the account's billing address, read instead of the person's mailing address in those rows
//! (a Salesforce Person Account export holds business accounts too). [`FieldColumns`] settles
//! them per row, the same way for normalise and for the report that shows an invalid cell's
//! shape, so that both read the same raw value.

use super::boolean::clean_bool;
use super::is_blank;
use crate::field::Field;
use crate::ingest::Source;
use crate::ingest::headers::ADDRESS_FIELDS;
use crate::packed::Strings;

/// How one source's rows are read: its columns per field and the per-row rules above.
#[derive(Debug, Clone)]
pub struct FieldColumns {
    columns: [Option<usize>; Field::COUNT],
    fallbacks: Vec<(Field, usize)>,
    organisation_flag: Option<(usize, bool)>,
    account_address: Vec<(Field, usize)>,
}

impl FieldColumns {
    pub fn new(source: &Source) -> FieldColumns {
        let mut columns = [None; Field::COUNT];
        for (i, c) in source.columns_by_field().into_iter().enumerate() {
            columns[i] = c;
        }
        FieldColumns {
            columns,
            fallbacks: source.fallbacks.clone(),
            organisation_flag: source.organisation_flag,
            account_address: source.account_address.clone(),
        }
    }

    /// Whether the source's organisation flag marks this row as an organisation (false when the
    /// source has no flag, or the value is no yes/no).
    pub fn is_organisation(&self, values: &Strings) -> bool {
        self.organisation_flag.is_some_and(|(col, when)| {
            col < values.len() && clean_bool(&values[col]).value.as_deref() == Some(if when { "true" } else { "false" })
        })
    }

    /// The column each field of a row is read from (by field index), `None` where the source has
    /// none for it.
    pub fn row(&self, values: &Strings) -> [Option<usize>; Field::COUNT] {
        let mut cols = self.columns;
        let filled = |c: usize| c < values.len() && !is_blank(&values[c]);
        for &(f, c) in &self.fallbacks {
            if !cols[f.index()].is_some_and(filled) && filled(c) {
                cols[f.index()] = Some(c);
            }
        }
        if self.is_organisation(values) {
            // The organisation's own name is its company name (Odoo's `Related Company` of a
            // company is its parent, not itself).
            if let Some(name) = cols[Field::FullName.index()].filter(|&c| filled(c)) {
                cols[Field::Company.index()] = Some(name);
                cols[Field::FullName.index()] = None;
            }
            if !self.account_address.is_empty() {
                for f in ADDRESS_FIELDS {
                    cols[f.index()] = None;
                }
                for &(f, c) in &self.account_address {
                    cols[f.index()] = Some(c);
                }
            }
        }
        cols
    }

    /// The column a field of a row is read from.
    pub fn column(&self, values: &Strings, field: Field) -> Option<usize> {
        // Most sources have no per-row rule: the report asks this for every changed cell.
        if self.fallbacks.is_empty() && self.organisation_flag.is_none() {
            return self.columns[field.index()];
        }
        self.row(values)[field.index()]
    }

    /// Whether some row of the source may read each field (by field index): its mapped columns,
    /// the second company and website columns, the company of organisation rows and their
    /// account address.
    pub fn fields_read(&self) -> [bool; Field::COUNT] {
        let mut read = self.columns.map(|c| c.is_some());
        for &(f, _) in self.fallbacks.iter().chain(&self.account_address) {
            read[f.index()] = true;
        }
        if self.organisation_flag.is_some() && read[Field::FullName.index()] {
            read[Field::Company.index()] = true;
        }
        read
    }
}
