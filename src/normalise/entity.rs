//! Who a row is about: a person, an organisation, or a person at an organisation.
//!
//! A B2B register mixes accounts (companies) and contacts (the people who work there), and the
//! two are matched, merged and segmented differently: a company's name is not a first and last
//! name, and two contacts sharing a company are colleagues, not one person. The kind is decided
//! from what the cleaned row holds, never from a setting: a company name and no person name is an
//! organisation; a person name with a company is a person at that organisation; anything else is
//! a person (a contact known only by an e-mail address is still somebody).

use super::CleanRow;
use crate::field::Field;

/// What a row describes; `name()` is the value of records.csv's `entity_kind` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Person,
    Organisation,
    PersonAtOrganisation,
}

impl EntityKind {
    pub const ALL: [EntityKind; 3] = [EntityKind::Person, EntityKind::Organisation, EntityKind::PersonAtOrganisation];

    pub fn name(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organisation => "organisation",
            EntityKind::PersonAtOrganisation => "person_at_organisation",
        }
    }

    /// Whether dedup compares this row as an organisation (its company name is the name).
    pub fn is_organisation(self) -> bool {
        self == EntityKind::Organisation
    }
}

/// The kind of a cleaned row (see the module comment).
pub fn entity_kind(row: &CleanRow) -> EntityKind {
    kind_of(|f| row.value(f).is_some())
}

/// The kind of anything with cleaned fields, given which of them hold a value: a row, or a
/// golden record (whose chosen name and company make it a golden account or a contact).
pub fn kind_of(has: impl Fn(Field) -> bool) -> EntityKind {
    let person = [Field::FirstName, Field::LastName, Field::FullName].iter().any(|&f| has(f));
    let company = has(Field::Company) || has(Field::OrgNumber);
    match (person, company) {
        (false, true) => EntityKind::Organisation,
        (true, true) => EntityKind::PersonAtOrganisation,
        _ => EntityKind::Person,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::Cleaned;

    fn row(values: &[(Field, &str)]) -> CleanRow {
        let mut cells = vec![Cleaned::missing(); Field::COUNT];
        for (f, v) in values {
            cells[f.index()] = Cleaned::valid(v.to_string());
        }
        CleanRow::pack(&cells)
    }

    #[test]
    fn kind_follows_what_the_row_holds() {
        assert_eq!(entity_kind(&row(&[(Field::Company, "Acme AS")])), EntityKind::Organisation);
        assert_eq!(entity_kind(&row(&[(Field::OrgNumber, "923609016")])), EntityKind::Organisation);
        assert_eq!(
            entity_kind(&row(&[(Field::FirstName, "Ola"), (Field::Company, "Acme AS")])),
            EntityKind::PersonAtOrganisation
        );
        assert_eq!(entity_kind(&row(&[(Field::LastName, "Nordmann")])), EntityKind::Person);
        assert_eq!(entity_kind(&row(&[(Field::Email, "ola@acme.no")])), EntityKind::Person);
        assert_eq!(entity_kind(&row(&[])), EntityKind::Person);
    }
}
