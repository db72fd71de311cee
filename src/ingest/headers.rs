//! Header mapping: decide which canonical field each of the customer's columns holds.
//!
//! An explicit mapping in the config wins; otherwise the header is looked up in the dictionary
//! of names real exports use (`header_names`), ignoring case, accents, spaces and punctuation;
//! failing that, a consent, opt-out or bounce flag is recognised by the words of its header.
//! A column that maps to nothing, or to a field an earlier column already holds, passes through
//! unchanged: it is never dropped. A column the config declares as a custom field (`[fields]`)
//! maps to that custom field and to no canonical one.
//!
//! Some decisions need the whole header line, because account exports and contact exports use
//! the same words. A file with a person's own (mailing) address reads it and leaves its billing
//! and shipping columns, the account's, as pass-through; a file without reads the billing
//! address, else the shipping one. A bare `Name` is the company's name in a file with account
//! columns (an org number, employees, a billing address, `AccountNumber`...) and no person's
//! (first or last name, birth date, job title...). A column that says per row whether the row is
//! a company (Odoo's `Is a company`, Salesforce's `IsPersonAccount`) is noted, and normalise
//! reads such a row's name as the company's and its account address as its address. A second
//! company or website column (HubSpot's `Associated Company` beside `Company Name`) is read in
//! the rows where the first is empty.

use super::header_names::{self, AddressRole};
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
    /// Columns of a field an earlier column holds, read in the rows where that column is empty
    /// (only for [`FALLBACK_FIELDS`]), in column order.
    pub fallbacks: Vec<(Field, usize)>,
    /// The column that says per row whether the row is an organisation, and the value that
    /// means it is (see `header_names::organisation_flag`).
    pub organisation_flag: Option<(usize, bool)>,
    /// The account's address (billing, else shipping) in a file that also has a person's own
    /// address: read instead of it in the rows [`Mapping::organisation_flag`] marks as
    /// organisations. Empty without such a flag.
    pub account_address: Vec<(Field, usize)>,
}

/// Fields whose later columns are read where the first is empty: a contact's company and its
/// website, which exports carry twice (a property typed on the contact, and the account it is
/// associated with), both naming the same thing.
pub const FALLBACK_FIELDS: [Field; 2] = [Field::Company, Field::Website];

/// The fields of an address: read together, from columns of one [`AddressRole`].
pub const ADDRESS_FIELDS: [Field; 7] =
    [Field::Street, Field::StreetNumber, Field::Address2, Field::Postcode, Field::City, Field::Region, Field::Country];

/// The note of a column that passes through because another column already holds its field.
pub const ALREADY_MAPPED: &str = "pass-through (field already mapped by an earlier column)";
/// The note of a per-subscription opt-out left unread because an all-e-mail opt-out decides.
pub const ONE_SUBSCRIPTION: &str = "pass-through (opts out of one subscription; the all-e-mail opt-out decides)";
/// The note of a flag-like column whose values are counts.
pub const HOLDS_COUNTS: &str = "pass-through (holds counts, not a flag)";
/// The note of a second company or website column, read where the first is empty.
pub const FALLBACK: &str = "dictionary (read in rows where an earlier column of its field is empty)";
/// The note of a billing or shipping address column in a file that has a person's address.
pub const OTHER_ADDRESS: &str =
    "pass-through (the account's billing or shipping address; the file's own address is read)";
/// The note of a shipping address column in a file whose billing address is read.
pub const SHIPPING_ADDRESS: &str = "pass-through (the account's shipping address; its billing address is read)";
/// The note of the account's address in a file with an organisation flag.
pub const ACCOUNT_ADDRESS: &str = "account address (read in rows the organisation flag marks as organisations; other rows read the file's own address)";
/// The note of the column that says which rows are organisations.
pub const ORGANISATION_FLAG: &str = "pass-through (organisation flag: says which rows are organisations)";
/// The note of a bare `Name` read as a company's name.
pub const ACCOUNT_NAME: &str = "dictionary (a company's name: the file has account columns and no person's)";

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
    let organisation_flag = (0..n)
        .find(|&c| found[c].2 != "config" && header_names::organisation_flag(&headers[c]).is_some())
        .and_then(|c| Some((c, header_names::organisation_flag(&headers[c])?)));
    if let Some((c, _)) = organisation_flag {
        found[c] = (None, Reading::Value, ORGANISATION_FLAG, false);
    }
    // Whose address each address column holds; a column the config maps is the row's own.
    let role: Vec<AddressRole> = (0..n)
        .map(|c| match found[c].0 {
            Some(f) if ADDRESS_FIELDS.contains(&f) && found[c].2 != "config" => header_names::address_role(&headers[c]),
            _ => AddressRole::Own,
        })
        .collect();
    let has_role = |r: AddressRole, fields: &[Field]| {
        (0..n).any(|c| role[c] == r && found[c].0.is_some_and(|f| fields.contains(&f)))
    };
    // The row's own address when the file has one (a street, postcode or city), else billing,
    // else shipping; the account's (billing, else shipping) stays aside.
    let own = has_role(AddressRole::Own, &[Field::Street, Field::Postcode, Field::City]);
    let read_role = if own {
        AddressRole::Own
    } else if has_role(AddressRole::Billing, &ADDRESS_FIELDS) {
        AddressRole::Billing
    } else {
        AddressRole::Shipping
    };
    let account_role = [AddressRole::Billing, AddressRole::Shipping]
        .into_iter()
        .find(|&r| own && organisation_flag.is_some() && has_role(r, &ADDRESS_FIELDS));
    // Columns claim their field in this order: the address read first, so that a billing
    // column before the shipping one, or an own column before the billing one, never decides.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&c| role[c] != read_role);
    let mut taken = [false; Field::COUNT];
    let mut m = Mapping {
        custom,
        fields: vec![None; n],
        notes: vec![""; n],
        readings: vec![Reading::Value; n],
        organisation_flag,
        ..Mapping::default()
    };
    for col in order {
        let (field, reading, note, one_subscription) = found[col];
        let (field, reading, note) = match field {
            Some(_) if one_subscription && all_email_opt_out => (None, Reading::Value, ONE_SUBSCRIPTION),
            Some(f) if f.is_channel() => (Some(f), reading, note),
            Some(f) if role[col] != AddressRole::Own && role[col] != read_role => {
                if Some(role[col]) == account_role {
                    if !m.account_address.iter().any(|&(g, _)| g == f) {
                        m.account_address.push((f, col));
                    }
                    (None, Reading::Value, ACCOUNT_ADDRESS)
                } else if read_role == AddressRole::Own {
                    (None, Reading::Value, OTHER_ADDRESS)
                } else {
                    (None, Reading::Value, SHIPPING_ADDRESS)
                }
            }
            Some(f) if taken[f.index()] && FALLBACK_FIELDS.contains(&f) && note != "config" => {
                m.fallbacks.push((f, col));
                (None, Reading::Value, FALLBACK)
            }
            Some(f) if taken[f.index()] => (None, Reading::Value, ALREADY_MAPPED),
            Some(f) => {
                taken[f.index()] = true;
                (Some(f), reading, note)
            }
            None => (None, Reading::Value, note),
        };
        m.fields[col] = field;
        m.readings[col] = reading;
        m.notes[col] = note;
    }
    m.fallbacks.sort_by_key(|&(_, c)| c);
    m.account_address.sort_by_key(|&(_, c)| c);
    if let Some(col) = account_name_column(headers, &m, &role) {
        m.fields[col] = Some(Field::Company);
        m.notes[col] = ACCOUNT_NAME;
    }
    if let Some(col) = account_revenue_column(headers, &m) {
        m.fields[col] = Some(Field::Revenue);
        m.notes[col] = ACCOUNT_REVENUE;
    }
    m
}

/// The note of an account export's annual revenue read as its revenue.
pub const ACCOUNT_REVENUE: &str = "dictionary (the company's annual revenue: the file is an account export)";

/// An account export's `Annual Revenue` (HubSpot companies, Salesforce `AnnualRevenue`): the
/// revenue of the rows, which are companies (accounts keep their most recent,
/// `rules/survivorship.toml`). In a contacts export the same header is the employer's
/// turnover, not what the customer spent, and stays a pass-through column. An account export
/// here: a company's name is read, no column only a person has, no organisation flag (a file
/// of both), and no revenue column already.
fn account_revenue_column(headers: &[String], m: &Mapping) -> Option<usize> {
    use Field::*;
    let mapped = |fields: &[Field]| m.fields.iter().any(|f| f.is_some_and(|f| fields.contains(&f)));
    let person =
        mapped(&[FirstName, MiddleName, LastName, NameSuffix, Gender, BirthDate, BirthYear, AgeAtExport, NationalId])
            || headers.iter().any(|h| header_names::is_person_header(h));
    if !mapped(&[Company]) || mapped(&[Revenue]) || person || m.organisation_flag.is_some() {
        return None;
    }
    (0..headers.len()).find(|&c| {
        m.fields[c].is_none() && m.notes[c] == "pass-through" && header_names::is_annual_revenue(&headers[c])
    })
}

/// The bare `Name` column of an account export, which holds the company's name (Salesforce
/// Account's `Name`, a registry extract's `Navn`): a file with no company column and no
/// organisation flag, with no column only a person has (first or last name, birth date, gender,
/// national id, job title, salutation), and with one only an account has (an org number, a
/// number of employees, a billing or shipping address, `AccountNumber`, a parent account...),
/// or else a website or industry and no e-mail or mobile (a contact list may say which
/// industry its people work in; a company list with e-mail addresses has its org number).
fn account_name_column(headers: &[String], m: &Mapping, role: &[AddressRole]) -> Option<usize> {
    use Field::*;
    let mapped = |fields: &[Field]| m.fields.iter().any(|f| f.is_some_and(|f| fields.contains(&f)));
    if mapped(&[Company]) || m.organisation_flag.is_some() {
        return None;
    }
    let col = (0..headers.len()).find(|&c| {
        m.fields[c] == Some(FullName) && m.notes[c] == "dictionary" && header_names::is_bare_name(&headers[c])
    })?;
    let person =
        mapped(&[FirstName, MiddleName, LastName, NameSuffix, Gender, BirthDate, BirthYear, AgeAtExport, NationalId])
            || headers.iter().any(|h| header_names::is_person_header(h));
    let account = mapped(&[OrgNumber, Employees])
        || role.iter().any(|&r| r != AddressRole::Own)
        || headers.iter().any(|h| header_names::is_account_header(h));
    let weak_account = mapped(&[Website, Industry]) && !mapped(&[Email, Mobile]);
    (!person && (account || weak_account)).then_some(col)
}

/// Unmaps the flag columns that hold counts (Odoo's `Bounce`, a number of bounced mails): a
/// value of 2 or more in a column read as yes/no is no flag, and reading `1` as yes would
/// call an address bounced that bounced once among many deliveries. Columns the config maps
/// are left as the user said. `values(col)` gives a column's values.
pub fn unmap_counts<'a, I: Iterator<Item = &'a str>>(m: &mut Mapping, values: impl Fn(usize) -> I) {
    for col in flag_columns(m) {
        if values(col).any(holds_count) {
            unmap_count_column(m, col);
        }
    }
}

/// The columns [`unmap_counts`] looks at: channel columns read as yes/no that the config does
/// not map.
pub fn flag_columns(m: &Mapping) -> Vec<usize> {
    (0..m.fields.len())
        .filter(|&col| {
            m.fields[col].is_some_and(|f| f.is_channel())
                && m.notes[col] != "config"
                && matches!(m.readings[col], Reading::Value | Reading::OptOut)
        })
        .collect()
}

/// A value that makes a flag column a column of counts (see [`unmap_counts`]).
pub fn holds_count(v: &str) -> bool {
    v.trim().parse::<u64>().is_ok_and(|n| n >= 2)
}

/// Unmaps one of [`flag_columns`] whose values hold counts.
pub fn unmap_count_column(m: &mut Mapping, col: usize) {
    m.fields[col] = None;
    m.readings[col] = Reading::Value;
    m.notes[col] = HOLDS_COUNTS;
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

    fn map(headers: &[&str]) -> Mapping {
        let headers: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
        map_columns(&headers, &BTreeMap::new())
    }

    /// The field of the column with `header`.
    fn field_of(headers: &[&str], m: &Mapping, header: &str) -> Option<Field> {
        m.fields[headers.iter().position(|h| *h == header).unwrap()]
    }

    /// A contacts export with its account's billing address reads the contact's mailing
    /// address, in whichever order the columns come; an account export without a mailing
    /// address reads its billing address, and leaves the shipping one.
    #[test]
    fn a_mailing_address_is_the_persons_and_a_billing_address_the_accounts() {
        use Field::*;
        let contacts = [
            "FirstName",
            "LastName",
            "BillingStreet",
            "BillingPostalCode",
            "BillingCity",
            "MailingStreet",
            "MailingPostalCode",
            "MailingCity",
            "MailingCountry",
        ];
        let m = map(&contacts);
        for (header, want) in [
            ("MailingStreet", Some(Street)),
            ("MailingPostalCode", Some(Postcode)),
            ("MailingCity", Some(City)),
            ("MailingCountry", Some(Country)),
            ("BillingStreet", None),
            ("BillingPostalCode", None),
            ("BillingCity", None),
        ] {
            assert_eq!(field_of(&contacts, &m, header), want, "{header}");
        }
        assert_eq!(m.notes[2], OTHER_ADDRESS);
        // Without an organisation flag, no row reads the account's address.
        assert!(m.account_address.is_empty());

        let accounts = ["Name", "ShippingStreet", "ShippingCity", "BillingStreet", "BillingCity", "BillingCountry"];
        let m = map(&accounts);
        for (header, want) in [
            ("BillingStreet", Some(Street)),
            ("BillingCity", Some(City)),
            ("BillingCountry", Some(Country)),
            ("ShippingStreet", None),
            ("ShippingCity", None),
        ] {
            assert_eq!(field_of(&accounts, &m, header), want, "{header}");
        }
        assert_eq!(m.notes[1], SHIPPING_ADDRESS);
        // A WooCommerce order export: billing, then shipping, and no other address.
        let woo =
            ["billing_first_name", "billing_address_1", "billing_postcode", "shipping_address_1", "shipping_postcode"];
        let m = map(&woo);
        assert_eq!(m.fields[1..], [Some(Street), Some(Postcode), None, None]);
        // Shipping alone is the address read.
        let m = map(&["Name", "shipping_address_1", "shipping_city"]);
        assert_eq!(m.fields[1..], [Some(Street), Some(City)]);
    }

    /// A bare `Name` is the company's in a file of account columns without a person's, and a
    /// person's everywhere else.
    #[test]
    fn a_bare_name_is_a_company_in_an_account_export() {
        let cases: &[(&[&str], Field)] = &[
            // Salesforce Account (Data Loader).
            (&["Id", "Name", "BillingStreet", "BillingCity", "Phone", "Website", "Industry"], Field::Company),
            (&["Id", "Name", "Phone", "AccountNumber"], Field::Company),
            // A Norwegian registry extract, with the company's e-mail: the org number decides.
            (&["Navn", "Organisasjonsnummer", "E-post", "Postnummer", "Poststed"], Field::Company),
            (&["Naam", "KvK-nummer", "Plaats"], Field::Company),
            (&["Namn", "Antal anställda", "Ort"], Field::Company),
            // A website and an industry, no e-mail or mobile.
            (&["Name", "Website", "Industry", "Phone"], Field::Company),
            // Contacts: a name and their e-mail, with or without the industry they work in.
            (&["Name", "Email", "Phone"], Field::FullName),
            (&["Name", "Email", "Industry"], Field::FullName),
            (&["Name", "City"], Field::FullName),
            // A person's columns beside account columns: the name is the person's.
            (&["Name", "FirstName", "LastName", "BillingStreet"], Field::FullName),
            (&["Name", "Title", "AccountNumber"], Field::FullName),
            (&["Name", "Birthdate", "Org Number"], Field::FullName),
            // The file has a company column: the name is not the company's.
            (&["Name", "Company", "Org Number"], Field::FullName),
            // `Full Name` says whose it is.
            (&["Full Name", "Org Number"], Field::FullName),
        ];
        for &(headers, want) in cases {
            let m = map(headers);
            let col =
                headers.iter().position(|h| matches!(*h, "Name" | "Navn" | "Naam" | "Namn" | "Full Name")).unwrap();
            assert_eq!(m.fields[col], Some(want), "{headers:?}");
            assert_eq!(m.notes[col] == ACCOUNT_NAME, want == Field::Company, "{headers:?}");
        }
        // A config mapping of the column is the user's word.
        let mut columns = BTreeMap::new();
        columns.insert(header_names::normalise_header("Name"), ColumnRule::Field(Field::FullName));
        let headers: Vec<String> = ["Name", "AccountNumber"].iter().map(|s| s.to_string()).collect();
        assert_eq!(map_columns(&headers, &columns).fields[0], Some(Field::FullName));
    }

    /// Odoo's `Is a company` and Salesforce's `IsPersonAccount` are noted with the value that
    /// marks an organisation; a Person Account file keeps its billing address for those rows.
    #[test]
    fn an_organisation_flag_is_noted_with_the_account_address() {
        let odoo = ["Name", "Is a Company", "Related Company", "Street", "City", "Email"];
        let m = map(&odoo);
        assert_eq!(m.organisation_flag, Some((1, true)));
        assert_eq!((m.fields[0], m.fields[1], m.fields[2]), (Some(Field::FullName), None, Some(Field::Company)));
        assert_eq!(m.notes[1], ORGANISATION_FLAG);
        assert!(m.account_address.is_empty());

        let person_accounts = [
            "Name",
            "FirstName",
            "LastName",
            "IsPersonAccount",
            "PersonMailingStreet",
            "PersonMailingCity",
            "BillingStreet",
            "BillingCity",
            "ShippingStreet",
        ];
        let m = map(&person_accounts);
        assert_eq!(m.organisation_flag, Some((3, false)));
        assert_eq!(m.fields[4..6], [Some(Field::Street), Some(Field::City)]);
        assert_eq!(m.account_address, [(Field::Street, 6), (Field::City, 7)]);
        assert_eq!(m.notes[6], ACCOUNT_ADDRESS);
        assert_eq!((m.fields[8], m.notes[8]), (None, OTHER_ADDRESS));
    }

    /// A second company or website column is read where the first is empty; a second column of
    /// another field still passes through.
    #[test]
    fn a_second_company_column_is_a_fallback() {
        let headers = ["Company Name", "Website URL", "Email", "Associated Company", "Company Domain Name", "E-mail"];
        let m = map(&headers);
        assert_eq!(m.fields, [Some(Field::Company), Some(Field::Website), Some(Field::Email), None, None, None]);
        assert_eq!(m.fallbacks, [(Field::Company, 3), (Field::Website, 4)]);
        assert_eq!((m.notes[3], m.notes[5]), (FALLBACK, ALREADY_MAPPED));
    }
}
