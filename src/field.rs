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
    /// A website or domain: cleaned to its host (`https://www.Acme.no/om` → `acme.no`), checked
    /// against the public suffix list.
    Website,
    NationalId,
    Count,
    Money,
    /// An ISO 4217 currency code (`NOK`), read from codes, signs and names.
    Currency,
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
    Website => "website", Website;
    OrgNumber => "org_number", OrgNumber;
    Industry => "industry", Text;
    Employees => "employees", Count;
    CreatedAt => "created_at", Date;
    LastActivityAt => "last_activity_at", Date;
    OrderCount => "order_count", Count;
    Revenue => "revenue", Money;
    Currency => "currency", Currency;
    LastOrderAt => "last_order_at", Date;
    EmailConsent => "email_consent", Bool;
    SmsConsent => "sms_consent", Bool;
    PhoneConsent => "phone_consent", Bool;
    FaxConsent => "fax_consent", Bool;
    PostConsent => "post_consent", Bool;
    EmailBounced => "email_bounced", Bool;
    Unsubscribed => "unsubscribed", Bool;
    Source => "source", Text;
}

impl Field {
    /// The fields that say whether a person may be contacted on a channel: consent per channel
    /// (e-mail, SMS, calls, fax, post), the e-mail unsubscribe and the e-mail bounce. Several
    /// columns of one export may speak for one of them (`Unsubscribed from all email` and
    /// `UNSUB_TIME`); ingest keeps them all and normalise reads the most restrictive.
    pub const CHANNEL: [Field; 7] = [
        Field::EmailConsent,
        Field::SmsConsent,
        Field::PhoneConsent,
        Field::FaxConsent,
        Field::PostConsent,
        Field::Unsubscribed,
        Field::EmailBounced,
    ];

    /// Whether this is one of [`Field::CHANNEL`].
    pub fn is_channel(self) -> bool {
        Field::CHANNEL.contains(&self)
    }

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

/// The type of a custom field (the config's `[fields]`): decides how its values are cleaned,
/// how they merge, and which tests a segment condition may apply to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CustomKind {
    /// Trimmed text, whitespace collapsed (like `industry`).
    Text,
    /// A number, read like an amount (`1 234,50`, `kr 99`).
    Number,
    Date,
    Boolean,
    /// A list of labels (`Hiking; Running, yoga`): split on `;`, `,` or `|`, each trimmed and
    /// lower-cased, duplicates dropped, sorted; stored joined by `;`.
    Tags,
}

impl CustomKind {
    /// Every kind with its name in the config.
    pub const ALL: [(&'static str, CustomKind); 5] = [
        ("text", CustomKind::Text),
        ("number", CustomKind::Number),
        ("date", CustomKind::Date),
        ("boolean", CustomKind::Boolean),
        ("tags", CustomKind::Tags),
    ];

    pub fn name(self) -> &'static str {
        CustomKind::ALL.iter().find(|(_, k)| *k == self).map(|(n, _)| *n).unwrap_or("text")
    }

    pub fn from_name(name: &str) -> Option<CustomKind> {
        CustomKind::ALL.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }

    /// The survivorship rule when the declaration names none. Most recent, as for canonical
    /// fields, except tags: an interest one system recorded is still an interest when another
    /// system's record is newer, so tag sets are merged (`union`).
    pub fn default_rule(self) -> CustomRule {
        match self {
            CustomKind::Tags => CustomRule::Union,
            _ => CustomRule::MostRecent,
        }
    }
}

/// How the members' values of a custom field become the golden value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CustomRule {
    /// The value of the member with the latest activity (then creation) date.
    MostRecent,
    /// The value most members have (ties: the first member by identity).
    MostFrequent,
    /// The value of the oldest member (earliest creation date); `first` is the same rule.
    Oldest,
    /// The largest value (numbers and dates).
    Max,
    /// The smallest value (numbers and dates).
    Min,
    /// Every member's tags together (tags only).
    Union,
}

impl CustomRule {
    /// Every rule with its name in the config (`first` is another name for `oldest`).
    pub const ALL: [(&'static str, CustomRule); 7] = [
        ("most_recent", CustomRule::MostRecent),
        ("most_frequent", CustomRule::MostFrequent),
        ("oldest", CustomRule::Oldest),
        ("first", CustomRule::Oldest),
        ("max", CustomRule::Max),
        ("min", CustomRule::Min),
        ("union", CustomRule::Union),
    ];

    /// The rule's name in audit.jsonl.
    pub fn name(self) -> &'static str {
        CustomRule::ALL.iter().find(|(_, r)| *r == self).map(|(n, _)| *n).unwrap_or("most_recent")
    }

    pub fn from_name(name: &str) -> Option<CustomRule> {
        CustomRule::ALL.iter().find(|(n, _)| *n == name).map(|(_, r)| *r)
    }

    /// Whether the rule makes sense for a kind: `max`/`min` order numbers and dates, `union`
    /// merges tag sets.
    pub fn fits(self, kind: CustomKind) -> bool {
        match self {
            CustomRule::Max | CustomRule::Min => matches!(kind, CustomKind::Number | CustomKind::Date),
            CustomRule::Union => kind == CustomKind::Tags,
            _ => true,
        }
    }
}

/// A field the user declares in the config's `[fields]` table, read from one column of the
/// inputs (`lifecycle_stage = { column = "Lifecycle Stage", type = "text" }`). Custom fields
/// follow the canonical ones in every output (golden.csv, records.csv, rule schemas); the
/// model never reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomField {
    /// The name rules, exports and golden.csv use.
    pub name: String,
    /// The column header as declared; matched like `[columns]` (`normalise_header`).
    pub column: String,
    pub kind: CustomKind,
    pub rule: CustomRule,
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
