//! The canonical fields every customer export is mapped onto.
//!
//! Every later stage (normalise, dedup, merge, stale, segment, report) speaks in these names, never
//! in the customer's own headers. The names are part of the output contract (`clean_<field>`,
//! `status_<field>`, golden.csv columns, rule files), so they must never be renamed.

use std::fmt;

/// What kind of value a canonical field holds; decides which normaliser cleans it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A free identifier kept as it is (trimmed).
    Id,
    /// A person's name part: proper-cased, folded and phonetic match keys.
    Name,
    /// A full name to be split into first and last name when those columns are absent.
    FullName,
    Gender,
    /// A date; birth dates get an extra plausibility check against `--as-of`.
    Date,
    Email,
    Phone,
    Postcode,
    Country,
    /// Free text such as a street, city or industry: trimmed, whitespace collapsed, NFC.
    Text,
    /// A city or region name: like text, with proper case when shouted.
    Place,
    OrgNumber,
    NationalId,
    Count,
    Money,
    Bool,
}

macro_rules! fields {
    ($($variant:ident => $name:literal, $kind:ident;)*) => {
        /// A canonical field. The order here is the order of `clean_`/`status_` columns in
        /// records.csv and of columns in golden.csv.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Field { $($variant),* }

        impl Field {
            /// Every canonical field, in output order.
            pub const ALL: &'static [Field] = &[$(Field::$variant),*];

            /// The canonical name used in outputs, config and rule files.
            pub fn name(self) -> &'static str {
                match self { $(Field::$variant => $name),* }
            }

            pub fn kind(self) -> Kind {
                match self { $(Field::$variant => Kind::$kind),* }
            }
        }
    };
}

fields! {
    RecordId => "record_id", Id;
    FirstName => "first_name", Name;
    MiddleName => "middle_name", Name;
    LastName => "last_name", Name;
    NameSuffix => "name_suffix", Name;
    FullName => "full_name", FullName;
    Gender => "gender", Gender;
    BirthDate => "birth_date", Date;
    BirthYear => "birth_year", Count;
    AgeAtExport => "age_at_export", Count;
    NationalId => "national_id", NationalId;
    Email => "email", Email;
    Phone => "phone", Phone;
    Mobile => "mobile", Phone;
    Street => "street", Text;
    StreetNumber => "street_number", Text;
    Address2 => "address_2", Text;
    Postcode => "postcode", Postcode;
    City => "city", Place;
    Region => "region", Place;
    Country => "country", Country;
    Company => "company", Text;
    OrgNumber => "org_number", OrgNumber;
    Industry => "industry", Text;
    Employees => "employees", Count;
    CreatedAt => "created_at", Date;
    LastActivityAt => "last_activity_at", Date;
    OrderCount => "order_count", Count;
    Revenue => "revenue", Money;
    LastOrderAt => "last_order_at", Date;
    EmailConsent => "email_consent", Bool;
    SmsConsent => "sms_consent", Bool;
    EmailBounced => "email_bounced", Bool;
    Unsubscribed => "unsubscribed", Bool;
    Source => "source", Text;
}

impl Field {
    /// Number of canonical fields; used to size per-row arrays.
    pub const COUNT: usize = Field::ALL.len();

    /// Position of this field in [`Field::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Looks a field up by its canonical name (exact, as written in config and rule files).
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.name() == name)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        for (i, f) in Field::ALL.iter().enumerate() {
            assert_eq!(f.index(), i);
            assert_eq!(Field::from_name(f.name()), Some(*f));
        }
        let mut names: Vec<_> = Field::ALL.iter().map(|f| f.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Field::COUNT);
    }
}
