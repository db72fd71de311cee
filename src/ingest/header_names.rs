//! The header names customer registers use for each canonical field.
//!
//! Ingest maps every input column onto a [`Field`] by its header before any value is read. The
//! table below is the knowledge of what real exports call their columns: the fixed headers of
//! Salesforce, HubSpot, Dynamics 365, Shopify, WooCommerce and the FEBRL research data sets, plus
//! the names people type into hand-kept sheets in English, Norwegian (bokmål and nynorsk),
//! Swedish, Danish, Dutch, Polish and German.
//!
//! Keys are written as a human would write them; [`lookup`] compares them after
//! [`normalise_header`], so `Postnr.`, `POSTNR` and `post nr` are the same header. Two invariants
//! hold and are tested:
//! - no normalised name maps to two different fields (a header means one thing in every language
//!   we know: `Land` is a country, `By` and `Ort` are cities);
//! - headers that are only *similar* to a field are left out on purpose, so they pass through as
//!   unknown columns rather than being cleaned as something they are not. Examples: HubSpot's
//!   `Marketing contact status` (a billing tier, not consent), `Annual Revenue` in a contacts
//!   export (the employer's turnover, not what the customer spent; an account export's is its
//!   revenue, `headers::account_revenue_column`), Dutch `Tussenvoegsel` (part of the surname,
//!   not a middle name), and secondary columns such as `Home Phone` or `Other Street`, which sit
//!   next to a primary column for the same field in the same export.
//!
//! Account exports (Salesforce Account, HubSpot companies, Dynamics 365 Account, Odoo companies,
//! registry extracts) are read with the same table, plus what only a whole header line tells
//! ([`address_role`], [`organisation_flag`], [`is_bare_name`] with [`is_account_header`] and
//! [`is_person_header`]): a billing or shipping address is the account's, a mailing address the
//! person's; a bare `Name` column is a company's name in a file of account columns without a
//! person's; a column such as Odoo's `Is a company` says which rows are companies.
//!
//! Consent, opt-out and bounce columns are different: an export often has several for one
//! channel (Dynamics' `Do not allow Emails` and `Do not allow Bulk Emails`, Mailchimp's
//! `OPTIN_TIME` and `UNSUB_TIME`), and every one of them counts. [`CHANNEL_NAMES`] names the
//! ones that are not read as plain values of their field (an opt-out of calls is a `false` of
//! `phone_consent`, a filled `UNSUB_TIME` is an unsubscribe) and the ones that look like flags but
//! are counts (`Marketing emails bounced`); [`lookup_column`] reads a header with both tables and,
//! failing that, by its words, always per channel: a phone, SMS, fax or post opt-out never
//! speaks for e-mail.

use std::collections::HashMap;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

use super::headers::Reading;
use crate::field::Field;

/// Known header names and the canonical field each one means, grouped by field.
pub static HEADER_NAMES: &[(&str, Field)] = &[
    // record_id
    ("ID", Field::RecordId),
    ("Record ID", Field::RecordId),
    ("Contact ID", Field::RecordId),
    ("Lead ID", Field::RecordId),
    ("Customer ID", Field::RecordId),
    ("Customer Number", Field::RecordId),
    ("Customer No.", Field::RecordId),
    ("rec_id", Field::RecordId),
    ("customer_id", Field::RecordId),
    ("hs_object_id", Field::RecordId),
    ("contactid", Field::RecordId),
    ("Kundenr", Field::RecordId),
    ("Kundenummer", Field::RecordId),
    ("Kunde-ID", Field::RecordId),
    ("Medlemsnummer", Field::RecordId),
    ("Kundnummer", Field::RecordId),
    ("Kundnr", Field::RecordId),
    ("Kund-ID", Field::RecordId),
    ("Klantnummer", Field::RecordId),
    ("Klantnr", Field::RecordId),
    ("Klant-ID", Field::RecordId),
    ("Numer klienta", Field::RecordId),
    ("Nr klienta", Field::RecordId),
    ("ID klienta", Field::RecordId),
    ("Kundennummer", Field::RecordId),
    ("Kundennr.", Field::RecordId),
    ("Kunden-ID", Field::RecordId),
    // first_name
    ("First Name", Field::FirstName),
    ("Firstname", Field::FirstName),
    ("First", Field::FirstName),
    ("Given Name", Field::FirstName),
    ("Forename", Field::FirstName),
    ("given_name", Field::FirstName),
    ("billing_first_name", Field::FirstName),
    ("Fornavn", Field::FirstName),
    ("Førenamn", Field::FirstName),
    ("Förnamn", Field::FirstName),
    ("Tilltalsnamn", Field::FirstName),
    ("Voornaam", Field::FirstName),
    ("Voornamen", Field::FirstName),
    ("Roepnaam", Field::FirstName),
    ("Imię", Field::FirstName),
    ("Vorname", Field::FirstName),
    ("Rufname", Field::FirstName),
    // middle_name
    ("Middle Name", Field::MiddleName),
    ("Middlename", Field::MiddleName),
    ("Middle Initial", Field::MiddleName),
    ("Mellomnavn", Field::MiddleName),
    ("Mellomnamn", Field::MiddleName),
    ("Mellannamn", Field::MiddleName),
    ("Mellemnavn", Field::MiddleName),
    ("Tweede voornaam", Field::MiddleName),
    ("Drugie imię", Field::MiddleName),
    ("Zweiter Vorname", Field::MiddleName),
    // last_name
    ("Last Name", Field::LastName),
    ("Lastname", Field::LastName),
    ("Surname", Field::LastName),
    ("Family Name", Field::LastName),
    ("billing_last_name", Field::LastName),
    ("Etternavn", Field::LastName),
    ("Etternamn", Field::LastName),
    ("Slektsnavn", Field::LastName),
    ("Efternamn", Field::LastName),
    ("Efternavn", Field::LastName),
    ("Achternaam", Field::LastName),
    ("Familienaam", Field::LastName),
    ("Nazwisko", Field::LastName),
    ("Nachname", Field::LastName),
    ("Familienname", Field::LastName),
    // name_suffix
    ("Name Suffix", Field::NameSuffix),
    ("Suffix", Field::NameSuffix),
    ("name_sufx_cd", Field::NameSuffix),
    ("Generational Suffix", Field::NameSuffix),
    // full_name
    ("Name", Field::FullName),
    ("Full Name", Field::FullName),
    ("fullname", Field::FullName),
    ("Customer Name", Field::FullName),
    ("Contact Name", Field::FullName),
    ("Navn", Field::FullName),
    ("Fullt navn", Field::FullName),
    ("Kundenavn", Field::FullName),
    ("Kontaktperson", Field::FullName),
    ("Namn", Field::FullName),
    ("Fullständigt namn", Field::FullName),
    ("Kundnamn", Field::FullName),
    ("Fulde navn", Field::FullName),
    ("Fuldt navn", Field::FullName),
    ("Naam", Field::FullName),
    ("Volledige naam", Field::FullName),
    ("Klantnaam", Field::FullName),
    ("Imię i nazwisko", Field::FullName),
    ("Vollständiger Name", Field::FullName),
    ("Kundenname", Field::FullName),
    // gender
    ("Gender", Field::Gender),
    ("Sex", Field::Gender),
    ("gendercode", Field::Gender),
    ("Kjønn", Field::Gender),
    ("Kön", Field::Gender),
    ("Køn", Field::Gender),
    ("Geslacht", Field::Gender),
    ("Płeć", Field::Gender),
    ("Geschlecht", Field::Gender),
    // birth_date
    ("Birth Date", Field::BirthDate),
    ("Birthdate", Field::BirthDate),
    ("Birthday", Field::BirthDate),
    ("Date of Birth", Field::BirthDate),
    ("DOB", Field::BirthDate),
    ("date_of_birth", Field::BirthDate),
    ("PersonBirthdate", Field::BirthDate),
    ("Fødselsdato", Field::BirthDate),
    ("Født", Field::BirthDate),
    ("Fødd", Field::BirthDate),
    ("Fødselsdag", Field::BirthDate),
    ("Födelsedatum", Field::BirthDate),
    ("Födelsedag", Field::BirthDate),
    ("Född", Field::BirthDate),
    ("Geboortedatum", Field::BirthDate),
    ("Geb. datum", Field::BirthDate),
    ("Data urodzenia", Field::BirthDate),
    ("Geburtsdatum", Field::BirthDate),
    ("Geburtstag", Field::BirthDate),
    ("Geb.-Datum", Field::BirthDate),
    // birth_year
    ("Birth Year", Field::BirthYear),
    ("Year of Birth", Field::BirthYear),
    ("YOB", Field::BirthYear),
    ("Fødselsår", Field::BirthYear),
    ("Födelseår", Field::BirthYear),
    ("Geboortejaar", Field::BirthYear),
    ("Rok urodzenia", Field::BirthYear),
    ("Geburtsjahr", Field::BirthYear),
    // age_at_export: an age as the export stated it (voter files); dedup reads a birth year off it
    ("Age", Field::AgeAtExport),
    ("birth_age", Field::AgeAtExport),
    ("Alder", Field::AgeAtExport),
    ("Ålder", Field::AgeAtExport),
    ("Leeftijd", Field::AgeAtExport),
    ("Wiek", Field::AgeAtExport),
    ("Alter", Field::AgeAtExport),
    // national_id
    ("National ID", Field::NationalId),
    ("National Identity Number", Field::NationalId),
    ("Personal ID", Field::NationalId),
    ("SSN", Field::NationalId),
    ("Social Security Number", Field::NationalId),
    ("soc_sec_id", Field::NationalId),
    ("Fødselsnummer", Field::NationalId),
    ("Fødselsnr", Field::NationalId),
    ("Fnr", Field::NationalId),
    ("D-nummer", Field::NationalId),
    ("Personnummer", Field::NationalId),
    ("Personnr", Field::NationalId),
    ("Samordningsnummer", Field::NationalId),
    ("CPR", Field::NationalId),
    ("CPR-nummer", Field::NationalId),
    ("CPR-nr.", Field::NationalId),
    ("BSN", Field::NationalId),
    ("Burgerservicenummer", Field::NationalId),
    ("PESEL", Field::NationalId),
    ("Steuer-ID", Field::NationalId),
    ("Steueridentifikationsnummer", Field::NationalId),
    // email
    ("Email", Field::Email),
    ("E-mail", Field::Email),
    ("Email Address", Field::Email),
    ("E-mail Address", Field::Email),
    ("Primary Email", Field::Email),
    ("Mail", Field::Email),
    ("emailaddress1", Field::Email),
    ("user_email", Field::Email),
    ("billing_email", Field::Email),
    ("PersonEmail", Field::Email),
    ("E-post", Field::Email),
    ("E-postadresse", Field::Email),
    ("E-postadress", Field::Email),
    ("Mailadresse", Field::Email),
    ("Mejl", Field::Email),
    ("Mejladress", Field::Email),
    ("E-mailadresse", Field::Email),
    ("E-mailadres", Field::Email),
    ("Emailadres", Field::Email),
    ("Adres e-mail", Field::Email),
    ("Adres email", Field::Email),
    ("E-Mail-Adresse", Field::Email),
    // phone
    ("Phone", Field::Phone),
    ("Phone Number", Field::Phone),
    ("Telephone", Field::Phone),
    ("Tel", Field::Phone),
    ("Tel.", Field::Phone),
    ("Business Phone", Field::Phone),
    ("Work Phone", Field::Phone),
    ("Default Address Phone", Field::Phone),
    ("billing_phone", Field::Phone),
    ("Main Phone", Field::Phone),
    ("telephone1", Field::Phone),
    ("Telefon", Field::Phone),
    ("Telefonnummer", Field::Phone),
    ("Telefonnr", Field::Phone),
    ("Tlf", Field::Phone),
    ("Tlf.nr.", Field::Phone),
    ("Telefoon", Field::Phone),
    ("Telefoonnummer", Field::Phone),
    ("Tel.nr.", Field::Phone),
    ("Numer telefonu", Field::Phone),
    ("Nr telefonu", Field::Phone),
    ("Telefon stacjonarny", Field::Phone),
    ("Festnetz", Field::Phone),
    ("Festnetznummer", Field::Phone),
    // mobile
    ("Mobile", Field::Mobile),
    ("Mobile Phone", Field::Mobile),
    ("Mobile Phone Number", Field::Mobile),
    ("Mobile Number", Field::Mobile),
    ("MobilePhone", Field::Mobile),
    ("PersonMobilePhone", Field::Mobile),
    ("Cell", Field::Mobile),
    ("Cell Phone", Field::Mobile),
    ("Mobil", Field::Mobile),
    ("Mobilnummer", Field::Mobile),
    ("Mobilnr", Field::Mobile),
    ("Mobiltelefon", Field::Mobile),
    ("Mobiltelefonnummer", Field::Mobile),
    ("Mobiltlf", Field::Mobile),
    ("Mobiltlf.", Field::Mobile),
    ("Mobiel", Field::Mobile),
    ("Mobiel nummer", Field::Mobile),
    ("GSM", Field::Mobile),
    ("Telefon komórkowy", Field::Mobile),
    ("Komórka", Field::Mobile),
    ("Tel. kom.", Field::Mobile),
    ("Nr komórki", Field::Mobile),
    ("Handy", Field::Mobile),
    ("Handynummer", Field::Mobile),
    ("Mobilfunknummer", Field::Mobile),
    // street
    ("Street", Field::Street),
    ("Street Address", Field::Street),
    ("Address", Field::Street),
    ("Address 1", Field::Street),
    ("Address Line 1", Field::Street),
    ("Mailing Street", Field::Street),
    ("Billing Street", Field::Street),
    ("Shipping Street", Field::Street),
    ("PersonMailingStreet", Field::Street),
    ("Address 1: Street 1", Field::Street),
    ("address1_line1", Field::Street),
    ("billing_address_1", Field::Street),
    ("shipping_address_1", Field::Street),
    ("Default Address Address1", Field::Street),
    ("Adresse", Field::Street),
    ("Gateadresse", Field::Street),
    ("Gateadresse 1", Field::Street),
    ("Gate", Field::Street),
    ("Postadresse", Field::Street),
    ("Forretningsadresse", Field::Street),
    ("Besøksadresse", Field::Street),
    ("Fakturaadresse", Field::Street),
    ("Leveringsadresse", Field::Street),
    ("Adress", Field::Street),
    ("Gatuadress", Field::Street),
    ("Utdelningsadress", Field::Street),
    ("Besöksadress", Field::Street),
    ("Fakturaadress", Field::Street),
    ("Faktureringsadress", Field::Street),
    ("Leveransadress", Field::Street),
    ("Vejnavn", Field::Street),
    ("Vej", Field::Street),
    ("Adres", Field::Street),
    ("Straat", Field::Street),
    ("Straatnaam", Field::Street),
    ("Bezoekadres", Field::Street),
    ("Factuuradres", Field::Street),
    ("Afleveradres", Field::Street),
    ("Ulica", Field::Street),
    ("Ulica i numer", Field::Street),
    ("Adres do faktury", Field::Street),
    ("Adres dostawy", Field::Street),
    ("Straße", Field::Street),
    ("Str.", Field::Street),
    ("Straße und Hausnummer", Field::Street),
    ("Anschrift", Field::Street),
    ("Rechnungsadresse", Field::Street),
    ("Lieferadresse", Field::Street),
    // street_number
    ("Street Number", Field::StreetNumber),
    ("House Number", Field::StreetNumber),
    ("Husnummer", Field::StreetNumber),
    ("Husnr.", Field::StreetNumber),
    ("Gatenummer", Field::StreetNumber),
    ("Gatunummer", Field::StreetNumber),
    ("Huisnummer", Field::StreetNumber),
    ("Huisnr", Field::StreetNumber),
    ("Numer domu", Field::StreetNumber),
    ("Nr domu", Field::StreetNumber),
    ("Hausnummer", Field::StreetNumber),
    ("Hausnr.", Field::StreetNumber),
    // address_2
    ("Address 2", Field::Address2),
    ("Address Line 2", Field::Address2),
    ("Address 1: Street 2", Field::Address2),
    ("Street2", Field::Address2),
    ("address1_line2", Field::Address2),
    ("billing_address_2", Field::Address2),
    ("shipping_address_2", Field::Address2),
    ("Street Address 2", Field::Address2),
    ("Default Address Address2", Field::Address2),
    ("c/o", Field::Address2),
    ("Adresse 2", Field::Address2),
    ("Adresselinje 2", Field::Address2),
    ("Gateadresse 2", Field::Address2),
    ("Adress 2", Field::Address2),
    ("Adressrad 2", Field::Address2),
    ("Adres 2", Field::Address2),
    ("Adresregel 2", Field::Address2),
    ("Adres cd.", Field::Address2),
    ("Adresszusatz", Field::Address2),
    // postcode
    ("Postcode", Field::Postcode),
    ("Postal Code", Field::Postcode),
    ("PostalCode", Field::Postcode),
    ("Post Code", Field::Postcode),
    ("Zip", Field::Postcode),
    ("Zip Code", Field::Postcode),
    ("Zip/Postal Code", Field::Postcode),
    ("Mailing Zip/Postal Code", Field::Postcode),
    ("MailingPostalCode", Field::Postcode),
    ("Address 1: ZIP/Postal Code", Field::Postcode),
    ("address1_postalcode", Field::Postcode),
    ("billing_postcode", Field::Postcode),
    ("Billing Zip/Postal Code", Field::Postcode),
    ("BillingPostalCode", Field::Postcode),
    ("Shipping Zip/Postal Code", Field::Postcode),
    ("ShippingPostalCode", Field::Postcode),
    ("shipping_postcode", Field::Postcode),
    ("PersonMailingPostalCode", Field::Postcode),
    ("Default Address Zip", Field::Postcode),
    ("Postnr.", Field::Postcode),
    ("Postnummer", Field::Postcode),
    ("Postkode", Field::Postcode),
    ("Kod pocztowy", Field::Postcode),
    ("PLZ", Field::Postcode),
    ("Postleitzahl", Field::Postcode),
    // city
    ("City", Field::City),
    ("Town", Field::City),
    ("Mailing City", Field::City),
    ("Address 1: City", Field::City),
    ("address1_city", Field::City),
    ("billing_city", Field::City),
    ("shipping_city", Field::City),
    ("PersonMailingCity", Field::City),
    ("Default Address City", Field::City),
    ("suburb", Field::City),
    ("Poststed", Field::City),
    ("Poststad", Field::City),
    ("Sted", Field::City),
    ("Ort", Field::City),
    ("Postort", Field::City),
    ("Stad", Field::City),
    ("By", Field::City),
    ("Bynavn", Field::City),
    ("Postdistrikt", Field::City),
    ("Woonplaats", Field::City),
    ("Plaats", Field::City),
    ("Miejscowość", Field::City),
    ("Miasto", Field::City),
    ("Poczta", Field::City),
    ("Stadt", Field::City),
    ("Wohnort", Field::City),
    // region
    ("Region", Field::Region),
    ("State", Field::Region),
    ("Province", Field::Region),
    ("County", Field::Region),
    ("State/Province", Field::Region),
    ("State/Region", Field::Region),
    ("Mailing State/Province", Field::Region),
    ("MailingState", Field::Region),
    ("Address 1: State/Province", Field::Region),
    ("address1_stateorprovince", Field::Region),
    ("billing_state", Field::Region),
    ("Billing State/Province", Field::Region),
    ("BillingStateCode", Field::Region),
    ("shipping_state", Field::Region),
    ("Shipping State/Province", Field::Region),
    ("ShippingStateCode", Field::Region),
    ("MailingStateCode", Field::Region),
    ("PersonMailingState", Field::Region),
    ("Province Code", Field::Region),
    ("Default Address Province Code", Field::Region),
    ("Fylke", Field::Region),
    ("Län", Field::Region),
    ("Provincie", Field::Region),
    ("Województwo", Field::Region),
    ("Bundesland", Field::Region),
    // country
    ("Country", Field::Country),
    ("Country Code", Field::Country),
    ("Country/Region", Field::Country),
    ("Mailing Country", Field::Country),
    ("Address 1: Country/Region", Field::Country),
    ("address1_country", Field::Country),
    ("billing_country", Field::Country),
    ("BillingCountryCode", Field::Country),
    ("shipping_country", Field::Country),
    ("ShippingCountryCode", Field::Country),
    ("MailingCountryCode", Field::Country),
    ("PersonMailingCountry", Field::Country),
    ("Default Address Country Code", Field::Country),
    ("Land", Field::Country),
    ("Landkode", Field::Country),
    ("Landskod", Field::Country),
    ("Landekode", Field::Country),
    ("Landcode", Field::Country),
    ("Kraj", Field::Country),
    ("Kod kraju", Field::Country),
    ("Ländercode", Field::Country),
    // company
    ("Company", Field::Company),
    ("Company Name", Field::Company),
    ("Account Name", Field::Company),
    ("Account", Field::Company),
    ("Organization", Field::Company),
    ("Organisation", Field::Company),
    ("Employer", Field::Company),
    ("billing_company", Field::Company),
    ("Default Address Company", Field::Company),
    // HubSpot contacts: the company the contact is associated with (often the only company
    // column); Odoo: the company a contact belongs to.
    ("Associated Company", Field::Company),
    ("Associated Company Name", Field::Company),
    ("Related Company", Field::Company),
    ("Business Name", Field::Company),
    ("Organization Name", Field::Company),
    ("Organisation Name", Field::Company),
    ("Firma", Field::Company),
    ("Firmanavn", Field::Company),
    ("Bedrift", Field::Company),
    ("Bedriftsnavn", Field::Company),
    ("Foretaksnavn", Field::Company),
    ("Organisasjonsnavn", Field::Company),
    ("Foretak", Field::Company),
    ("Selskap", Field::Company),
    ("Virksomhet", Field::Company),
    ("Verksemd", Field::Company),
    ("Organisasjon", Field::Company),
    ("Arbeidsgiver", Field::Company),
    ("Företag", Field::Company),
    ("Företagsnamn", Field::Company),
    ("Organisationsnamn", Field::Company),
    ("Bolagsnamn", Field::Company),
    ("Arbetsgivare", Field::Company),
    ("Virksomhed", Field::Company),
    ("Virksomhedsnavn", Field::Company),
    ("Selskab", Field::Company),
    ("Arbejdsgiver", Field::Company),
    ("Bedrijf", Field::Company),
    ("Bedrijfsnaam", Field::Company),
    ("Handelsnaam", Field::Company),
    ("Statutaire naam", Field::Company),
    ("Organisatie", Field::Company),
    ("Werkgever", Field::Company),
    ("Nazwa firmy", Field::Company),
    ("Nazwa przedsiębiorstwa", Field::Company),
    ("Pracodawca", Field::Company),
    ("Unternehmen", Field::Company),
    ("Firmenname", Field::Company),
    ("Unternehmensname", Field::Company),
    ("Firmenbezeichnung", Field::Company),
    ("Arbeitgeber", Field::Company),
    // website
    ("Website", Field::Website),
    ("Web Site", Field::Website),
    ("Web", Field::Website),
    ("URL", Field::Website),
    ("Homepage", Field::Website),
    ("Company Domain Name", Field::Website),
    ("Website URL", Field::Website),
    ("Domain", Field::Website),
    ("Nettside", Field::Website),
    ("Hjemmeside", Field::Website),
    ("Nettadresse", Field::Website),
    ("Webadresse", Field::Website),
    ("Webbplats", Field::Website),
    ("Hemsida", Field::Website),
    ("Webbadress", Field::Website),
    ("Websted", Field::Website),
    ("Webadres", Field::Website),
    ("Strona www", Field::Website),
    ("Strona internetowa", Field::Website),
    ("Webseite", Field::Website),
    ("Internetseite", Field::Website),
    ("Internetadresse", Field::Website),
    // org_number
    ("Org Number", Field::OrgNumber),
    ("Organisation Number", Field::OrgNumber),
    ("Organization Number", Field::OrgNumber),
    ("Company Number", Field::OrgNumber),
    ("Company Registration Number", Field::OrgNumber),
    ("Organisasjonsnummer", Field::OrgNumber),
    ("Org.nr", Field::OrgNumber),
    ("Org. nummer", Field::OrgNumber),
    ("Foretaksnummer", Field::OrgNumber),
    ("Organisationsnummer", Field::OrgNumber),
    ("Orgnummer", Field::OrgNumber),
    ("CVR", Field::OrgNumber),
    ("CVR-nummer", Field::OrgNumber),
    ("CVR-nr.", Field::OrgNumber),
    ("KvK-nummer", Field::OrgNumber),
    ("KvK", Field::OrgNumber),
    ("NIP", Field::OrgNumber),
    ("Handelsregisternummer", Field::OrgNumber),
    ("USt-IdNr.", Field::OrgNumber),
    ("USt-ID", Field::OrgNumber),
    ("Organisationsnr", Field::OrgNumber),
    ("MVA-nummer", Field::OrgNumber),
    ("Momsregistreringsnummer", Field::OrgNumber),
    ("BTW-nummer", Field::OrgNumber),
    ("Numer NIP", Field::OrgNumber),
    // Odoo's `vat`, Salesforce and HubSpot custom fields: the VAT forms of the numbers above
    // (`NO923609016MVA`), which `normalise::orgnr` reads.
    ("VAT Number", Field::OrgNumber),
    ("VAT ID", Field::OrgNumber),
    ("Tax ID", Field::OrgNumber),
    // industry
    ("Industry", Field::Industry),
    ("Sector", Field::Industry),
    ("Bransje", Field::Industry),
    ("Næring", Field::Industry),
    ("Bransch", Field::Industry),
    ("Branche", Field::Industry),
    ("Branża", Field::Industry),
    ("Sektor", Field::Industry),
    ("Næringskode", Field::Industry),
    ("SNI-kod", Field::Industry),
    ("Branchekode", Field::Industry),
    ("SBI-code", Field::Industry),
    ("PKD", Field::Industry),
    // employees
    ("Employees", Field::Employees),
    ("Number of Employees", Field::Employees),
    ("No. of Employees", Field::Employees),
    ("NumberOfEmployees", Field::Employees),
    ("numemployees", Field::Employees),
    ("Employee Count", Field::Employees),
    ("Headcount", Field::Employees),
    ("Antall ansatte", Field::Employees),
    ("Tal tilsette", Field::Employees),
    ("Antal anställda", Field::Employees),
    ("Anställda", Field::Employees),
    ("Antal ansatte", Field::Employees),
    ("Antal medarbejdere", Field::Employees),
    ("Ansatte", Field::Employees),
    ("Aantal medewerkers", Field::Employees),
    ("Aantal werknemers", Field::Employees),
    ("Liczba pracowników", Field::Employees),
    ("Mitarbeiter", Field::Employees),
    ("Anzahl Mitarbeiter", Field::Employees),
    ("Mitarbeiterzahl", Field::Employees),
    ("Mitarbeiteranzahl", Field::Employees),
    // created_at
    ("Created", Field::CreatedAt),
    ("Created Date", Field::CreatedAt),
    ("CreatedDate", Field::CreatedAt),
    ("Create Date", Field::CreatedAt),
    ("createdate", Field::CreatedAt),
    ("Created On", Field::CreatedAt),
    ("createdon", Field::CreatedAt),
    ("Created At", Field::CreatedAt),
    ("Creation Date", Field::CreatedAt),
    ("Date Created", Field::CreatedAt),
    ("date_created", Field::CreatedAt),
    ("date_registered", Field::CreatedAt),
    ("user_registered", Field::CreatedAt),
    ("Registration Date", Field::CreatedAt),
    ("Customer Since", Field::CreatedAt),
    ("Opprettet", Field::CreatedAt),
    ("Oppretta", Field::CreatedAt),
    ("Opprettet dato", Field::CreatedAt),
    ("Registrert", Field::CreatedAt),
    ("Registreringsdato", Field::CreatedAt),
    ("Kunde siden", Field::CreatedAt),
    ("Skapad", Field::CreatedAt),
    ("Skapad datum", Field::CreatedAt),
    ("Registrerad", Field::CreatedAt),
    ("Registreringsdatum", Field::CreatedAt),
    ("Kund sedan", Field::CreatedAt),
    ("Oprettet", Field::CreatedAt),
    ("Oprettelsesdato", Field::CreatedAt),
    ("Aangemaakt", Field::CreatedAt),
    ("Aangemaakt op", Field::CreatedAt),
    ("Aanmaakdatum", Field::CreatedAt),
    ("Registratiedatum", Field::CreatedAt),
    ("Klant sinds", Field::CreatedAt),
    ("Utworzono", Field::CreatedAt),
    ("Data utworzenia", Field::CreatedAt),
    ("Data rejestracji", Field::CreatedAt),
    ("Klient od", Field::CreatedAt),
    ("Erstellt", Field::CreatedAt),
    ("Erstellt am", Field::CreatedAt),
    ("Erstelldatum", Field::CreatedAt),
    ("Angelegt am", Field::CreatedAt),
    ("Kunde seit", Field::CreatedAt),
    // last_activity_at
    ("Last Activity", Field::LastActivityAt),
    ("Last Activity Date", Field::LastActivityAt),
    ("LastActivityDate", Field::LastActivityAt),
    ("notes_last_updated", Field::LastActivityAt),
    ("Last Active", Field::LastActivityAt),
    ("date_last_active", Field::LastActivityAt),
    ("Last Seen", Field::LastActivityAt),
    ("Sist aktiv", Field::LastActivityAt),
    ("Siste aktivitet", Field::LastActivityAt),
    ("Senast aktiv", Field::LastActivityAt),
    ("Senaste aktivitet", Field::LastActivityAt),
    ("Sidst aktiv", Field::LastActivityAt),
    ("Seneste aktivitet", Field::LastActivityAt),
    ("Laatst actief", Field::LastActivityAt),
    ("Laatste activiteit", Field::LastActivityAt),
    ("Ostatnia aktywność", Field::LastActivityAt),
    ("Letzte Aktivität", Field::LastActivityAt),
    ("Zuletzt aktiv", Field::LastActivityAt),
    // order_count
    ("Orders", Field::OrderCount),
    ("Number of Orders", Field::OrderCount),
    ("Total Orders", Field::OrderCount),
    ("Order Count", Field::OrderCount),
    ("orders_count", Field::OrderCount),
    ("Antall ordre", Field::OrderCount),
    ("Antall ordrer", Field::OrderCount),
    ("Tal ordrar", Field::OrderCount),
    ("Antal ordrar", Field::OrderCount),
    ("Antal order", Field::OrderCount),
    ("Antal ordrer", Field::OrderCount),
    ("Aantal bestellingen", Field::OrderCount),
    ("Liczba zamówień", Field::OrderCount),
    ("Anzahl Bestellungen", Field::OrderCount),
    // revenue
    ("Revenue", Field::Revenue),
    ("Total Revenue", Field::Revenue),
    ("Total Spent", Field::Revenue),
    ("total_spent", Field::Revenue),
    ("Amount Spent", Field::Revenue),
    ("Lifetime Value", Field::Revenue),
    ("Customer Lifetime Value", Field::Revenue),
    ("CLV", Field::Revenue),
    ("Omsetning", Field::Revenue),
    ("Omsetnad", Field::Revenue),
    ("Totalt kjøpt", Field::Revenue),
    ("Omsättning", Field::Revenue),
    ("Total omsättning", Field::Revenue),
    ("Omsætning", Field::Revenue),
    ("Omzet", Field::Revenue),
    ("Totaal besteed", Field::Revenue),
    ("Obrót", Field::Revenue),
    ("Wartość zamówień", Field::Revenue),
    ("Umsatz", Field::Revenue),
    ("Gesamtumsatz", Field::Revenue),
    // currency (of the revenue)
    ("Currency", Field::Currency),
    ("Currency Code", Field::Currency),
    ("CurrencyIsoCode", Field::Currency),
    ("ISO Currency Code", Field::Currency),
    ("Transaction Currency", Field::Currency),
    ("order_currency", Field::Currency),
    ("Valuta", Field::Currency),
    ("Valutakode", Field::Currency),
    ("Valutakod", Field::Currency),
    ("Valutacode", Field::Currency),
    ("Munteenheid", Field::Currency),
    ("Währung", Field::Currency),
    ("Waehrung", Field::Currency),
    ("Währungscode", Field::Currency),
    ("Waluta", Field::Currency),
    ("Kod waluty", Field::Currency),
    // last_order_at
    ("Last Order Date", Field::LastOrderAt),
    ("Last Order", Field::LastOrderAt),
    ("Last Purchase", Field::LastOrderAt),
    ("Last Purchase Date", Field::LastOrderAt),
    ("Recent Deal Close Date", Field::LastOrderAt),
    ("recent_deal_close_date", Field::LastOrderAt),
    ("date_last_order", Field::LastOrderAt),
    ("Siste ordre", Field::LastOrderAt),
    ("Siste ordredato", Field::LastOrderAt),
    ("Siste kjøp", Field::LastOrderAt),
    ("Senaste order", Field::LastOrderAt),
    ("Senaste köp", Field::LastOrderAt),
    ("Seneste ordre", Field::LastOrderAt),
    ("Seneste køb", Field::LastOrderAt),
    ("Sidste ordre", Field::LastOrderAt),
    ("Laatste bestelling", Field::LastOrderAt),
    ("Laatste aankoop", Field::LastOrderAt),
    ("Ostatnie zamówienie", Field::LastOrderAt),
    ("Ostatni zakup", Field::LastOrderAt),
    ("Data ostatniego zamówienia", Field::LastOrderAt),
    ("Letzte Bestellung", Field::LastOrderAt),
    ("Letzter Kauf", Field::LastOrderAt),
    // email_consent
    ("Email Consent", Field::EmailConsent),
    ("Marketing Email Consent", Field::EmailConsent),
    ("Email Opt In", Field::EmailConsent),
    ("Accepts Email Marketing", Field::EmailConsent),
    ("Accepts Marketing", Field::EmailConsent),
    ("Newsletter", Field::EmailConsent),
    ("Samtykke e-post", Field::EmailConsent),
    ("Samtykke nyhetsbrev", Field::EmailConsent),
    ("Nyhetsbrev", Field::EmailConsent),
    ("Nyheitsbrev", Field::EmailConsent),
    ("Samtycke e-post", Field::EmailConsent),
    ("Samtykke e-mail", Field::EmailConsent),
    ("Nyhedsbrev", Field::EmailConsent),
    ("Toestemming e-mail", Field::EmailConsent),
    ("Nieuwsbrief", Field::EmailConsent),
    ("Zgoda e-mail", Field::EmailConsent),
    ("Zgoda na e-mail", Field::EmailConsent),
    ("Einwilligung E-Mail", Field::EmailConsent),
    ("Newsletter-Einwilligung", Field::EmailConsent),
    // sms_consent
    ("SMS Consent", Field::SmsConsent),
    ("Accepts SMS Marketing", Field::SmsConsent),
    ("SMS Opt In", Field::SmsConsent),
    ("Samtykke SMS", Field::SmsConsent),
    ("SMS-samtykke", Field::SmsConsent),
    ("Samtycke SMS", Field::SmsConsent),
    ("Toestemming SMS", Field::SmsConsent),
    ("Zgoda SMS", Field::SmsConsent),
    ("Einwilligung SMS", Field::SmsConsent),
    ("SMS-Einwilligung", Field::SmsConsent),
    // phone_consent: calls (telemarketing)
    ("Phone Consent", Field::PhoneConsent),
    ("Call Consent", Field::PhoneConsent),
    ("Samtykke telefon", Field::PhoneConsent),
    ("Samtycke telefon", Field::PhoneConsent),
    ("Toestemming telefoon", Field::PhoneConsent),
    ("Zgoda na kontakt telefoniczny", Field::PhoneConsent),
    ("Einwilligung Telefon", Field::PhoneConsent),
    // fax_consent
    ("Fax Consent", Field::FaxConsent),
    // post_consent: addressed advertising by post
    ("Post Consent", Field::PostConsent),
    ("Postal Mail Consent", Field::PostConsent),
    ("Direct Mail Consent", Field::PostConsent),
    ("Samtykke post", Field::PostConsent),
    // email_bounced
    ("Email Bounced", Field::EmailBounced),
    ("Bounced", Field::EmailBounced),
    ("Hard Bounce", Field::EmailBounced),
    ("E-post returnert", Field::EmailBounced),
    ("E-post studsad", Field::EmailBounced),
    ("E-mail afvist", Field::EmailBounced),
    ("E-mail onbestelbaar", Field::EmailBounced),
    ("E-mail odrzucony", Field::EmailBounced),
    ("E-Mail unzustellbar", Field::EmailBounced),
    // unsubscribed: every "opt out" header is inverted consent, so it lands here, never in
    // email_consent.
    ("Unsubscribed", Field::Unsubscribed),
    ("Opted Out", Field::Unsubscribed),
    ("Opt Out", Field::Unsubscribed),
    ("Email Opt Out", Field::Unsubscribed),
    ("HasOptedOutOfEmail", Field::Unsubscribed),
    ("hs_email_optout", Field::Unsubscribed),
    ("Unsubscribed from all email", Field::Unsubscribed),
    ("Opted out of all email", Field::Unsubscribed),
    ("Do not allow Emails", Field::Unsubscribed),
    ("donotemail", Field::Unsubscribed),
    ("Do not allow Bulk Emails", Field::Unsubscribed),
    ("donotbulkemail", Field::Unsubscribed),
    ("Blacklist", Field::Unsubscribed),
    ("Reservert", Field::Unsubscribed),
    ("Reservert mot markedsføring", Field::Unsubscribed),
    ("Avmeldt", Field::Unsubscribed),
    ("Avmeld", Field::Unsubscribed),
    ("Avregistrerad", Field::Unsubscribed),
    ("Avanmäld", Field::Unsubscribed),
    ("Afmeldt", Field::Unsubscribed),
    ("Robinsonlisten", Field::Unsubscribed),
    ("Afgemeld", Field::Unsubscribed),
    ("Uitgeschreven", Field::Unsubscribed),
    ("Wypisany", Field::Unsubscribed),
    ("Rezygnacja", Field::Unsubscribed),
    ("Abgemeldet", Field::Unsubscribed),
    ("Werbesperre", Field::Unsubscribed),
    // source
    ("Source", Field::Source),
    ("Lead Source", Field::Source),
    ("LeadSource", Field::Source),
    ("Original Source", Field::Source),
    ("hs_analytics_source", Field::Source),
    ("AccountSource", Field::Source),
    ("PersonLeadSource", Field::Source),
    ("Acquisition Source", Field::Source),
    ("Kilde", Field::Source),
    ("Kjelde", Field::Source),
    ("Källa", Field::Source),
    ("Bron", Field::Source),
    ("Herkomst", Field::Source),
    ("Źródło", Field::Source),
    ("Quelle", Field::Source),
    ("Herkunft", Field::Source),
];

/// Consent, opt-out and bounce headers that are not plain values of their field, by system and
/// language, with how their values are read; `None` marks a header that looks like a flag but
/// holds a count (HubSpot's `Marketing emails bounced`, Odoo's `message_bounce`), which is
/// never read as one.
pub static CHANNEL_NAMES: &[(&str, Option<Field>, Reading)] = &[
    // Calls: Salesforce, Dynamics (label and API name), and hand-kept sheets.
    ("Do Not Call", Some(Field::PhoneConsent), Reading::OptOut),
    ("DoNotCall", Some(Field::PhoneConsent), Reading::OptOut),
    ("Do not allow Phone Calls", Some(Field::PhoneConsent), Reading::OptOut),
    ("donotphone", Some(Field::PhoneConsent), Reading::OptOut),
    ("Ikke ring", Some(Field::PhoneConsent), Reading::OptOut),
    ("Reservert mot telefonsalg", Some(Field::PhoneConsent), Reading::OptOut),
    ("NIX", Some(Field::PhoneConsent), Reading::OptOut),
    ("NIX-spärr", Some(Field::PhoneConsent), Reading::OptOut),
    ("Ring ikke", Some(Field::PhoneConsent), Reading::OptOut),
    ("Bel-me-niet", Some(Field::PhoneConsent), Reading::OptOut),
    ("Nie dzwonić", Some(Field::PhoneConsent), Reading::OptOut),
    ("Keine Anrufe", Some(Field::PhoneConsent), Reading::OptOut),
    // Fax: Salesforce, Dynamics.
    ("Fax Opt Out", Some(Field::FaxConsent), Reading::OptOut),
    ("HasOptedOutOfFax", Some(Field::FaxConsent), Reading::OptOut),
    ("Do not allow Faxes", Some(Field::FaxConsent), Reading::OptOut),
    ("donotfax", Some(Field::FaxConsent), Reading::OptOut),
    // Post: Dynamics' "Mails" are letters.
    ("Do not allow Mails", Some(Field::PostConsent), Reading::OptOut),
    ("donotpostalmail", Some(Field::PostConsent), Reading::OptOut),
    // SMS: Odoo's phone blacklist is what its SMS marketing honours.
    ("Phone Blacklisted", Some(Field::SmsConsent), Reading::OptOut),
    ("phone_sanitized_blacklisted", Some(Field::SmsConsent), Reading::OptOut),
    ("SMS Opt Out", Some(Field::SmsConsent), Reading::OptOut),
    // Mailchimp: a time is filled when the event happened.
    ("UNSUB_TIME", Some(Field::Unsubscribed), Reading::Filled),
    ("OPTIN_TIME", Some(Field::EmailConsent), Reading::Filled),
    ("CONFIRM_TIME", Some(Field::EmailConsent), Reading::Filled),
    ("CLEAN_TIME", Some(Field::EmailBounced), Reading::Filled),
    // Bounces: a reason or date is filled when the address bounced.
    ("Email hard bounce reason", Some(Field::EmailBounced), Reading::Filled),
    ("hs_email_hard_bounce_reason_enum", Some(Field::EmailBounced), Reading::Filled),
    ("Email Bounced Reason", Some(Field::EmailBounced), Reading::Filled),
    ("EmailBouncedReason", Some(Field::EmailBounced), Reading::Filled),
    ("Email Bounced Date", Some(Field::EmailBounced), Reading::Filled),
    ("EmailBouncedDate", Some(Field::EmailBounced), Reading::Filled),
    ("IsEmailBounced", Some(Field::EmailBounced), Reading::Value),
    // Counts, not flags.
    ("Marketing emails bounced", None, Reading::Value),
    ("hs_email_bounce", None, Reading::Value),
    ("message_bounce", None, Reading::Value),
];

/// Whose address an address column holds, by its header: a billing or invoice address is where
/// an account is billed, a shipping or delivery address where goods go; every other address
/// column (mailing, street, Dynamics' `Address 1`, a registry's business address) is the row's
/// own. A contacts export can carry its account's billing address beside the contact's mailing
/// address; ingest reads the row's own address first (see `headers::map_columns`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AddressRole {
    Own,
    Billing,
    Shipping,
}

/// The role of an address column (see [`AddressRole`]), from the words its header starts with
/// (`BillingPostalCode`, `billing_city`, `Shipping Street`, `Fakturaadresse`, `Lieferadresse`)
/// or names (`Adres do faktury`, `Adres dostawy`).
pub fn address_role(header: &str) -> AddressRole {
    let key = normalise_header(header);
    const BILLING: [&str; 5] = ["billing", "invoice", "faktur", "factuur", "rechnung"];
    const SHIPPING: [&str; 6] = ["shipping", "delivery", "levering", "leverans", "aflever", "liefer"];
    if BILLING.iter().any(|p| key.starts_with(p)) || key.contains("dofaktury") {
        AddressRole::Billing
    } else if SHIPPING.iter().any(|p| key.starts_with(p)) || key.contains("dostawy") {
        AddressRole::Shipping
    } else {
        AddressRole::Own
    }
}

/// Columns that say per row whether the row is an organisation, and the value that means it is:
/// Odoo's `Is a Company` (`is_company`) is true on companies; Salesforce's `IsPersonAccount` is
/// true on person accounts, so false on business accounts.
const ORGANISATION_FLAGS: &[(&str, bool)] =
    &[("Is a Company", true), ("is_company", true), ("IsPersonAccount", false), ("Person Account", false)];

/// Whether a header is a column that says per row whether the row is an organisation, and if
/// so the value (true or false) that means it is (see [`ORGANISATION_FLAGS`]).
pub fn organisation_flag(header: &str) -> Option<bool> {
    let key = normalise_header(header);
    ORGANISATION_FLAGS.iter().find(|(name, _)| normalise_header(name) == key).map(|&(_, org)| org)
}

/// A name column that does not say whose name it holds: a person's in a contacts export, the
/// company's in an account export (Salesforce Account's `Name`, a registry extract's `Navn`).
const BARE_NAMES: &[&str] = &["Name", "Navn", "Namn", "Naam"];

/// Whether a header is a bare name (see [`BARE_NAMES`]).
pub fn is_bare_name(header: &str) -> bool {
    listed(BARE_NAMES, header)
}

/// Columns only an account (a company) has, that map to no field: evidence that a file is an
/// account export. Salesforce Account, HubSpot companies, Dynamics 365 Account, and the legal
/// form of registry extracts.
const ACCOUNT_HEADERS: &[&str] = &[
    "AccountNumber",
    "Account Number",
    "AnnualRevenue",
    "ParentId",
    "Parent Account",
    "Parent Company",
    "Ownership",
    "TickerSymbol",
    "Sic",
    "SicDesc",
    "NaicsCode",
    "Primary Contact",
    "Number of Associated Contacts",
    "Year Founded",
    "Organisasjonsform",
    "Organisationsform",
    "Virksomhedsform",
    "Rechtsvorm",
    "Forma prawna",
    "Rechtsform",
];

/// A company's annual revenue (turnover), in the languages we read: an account export's
/// revenue, a contacts export's employer's (see `headers::account_revenue_column`).
const ANNUAL_REVENUE: &[&str] = &[
    "Annual Revenue",
    "AnnualRevenue",
    "Årlig omsetning",
    "Årsomsetning",
    "Årsomsättning",
    "Årlig omsætning",
    "Jahresumsatz",
    "Jaaromzet",
    "Roczny przychód",
];

/// Whether `header` is one of `names`, compared as normalised headers.
fn listed(names: &[&str], header: &str) -> bool {
    let key = normalise_header(header);
    names.iter().any(|n| normalise_header(n) == key)
}

/// Whether a header is a company's annual revenue (see [`ANNUAL_REVENUE`]).
pub fn is_annual_revenue(header: &str) -> bool {
    listed(ANNUAL_REVENUE, header)
}

/// Whether a header is one only an account export has (see [`ACCOUNT_HEADERS`]).
pub fn is_account_header(header: &str) -> bool {
    listed(ACCOUNT_HEADERS, header)
}

/// Columns only a person has, that map to no field: a job title, a salutation, a department.
const PERSON_HEADERS: &[&str] = &[
    "Title",
    "Job Title",
    "Salutation",
    "Job Position",
    "Position",
    "Department",
    "Stilling",
    "Stillingstittel",
    "Tittel",
    "Tiltale",
    "Befattning",
    "Titel",
    "Tjänstetitel",
    "Stillingsbetegnelse",
    "Functie",
    "Functietitel",
    "Aanhef",
    "Stanowisko",
    "Anrede",
    "Abteilung",
];

/// Whether a header is one only a person has (see [`PERSON_HEADERS`]).
pub fn is_person_header(header: &str) -> bool {
    listed(PERSON_HEADERS, header)
}

/// Folds a header to the form the table is matched in: lower case, accents dropped, the Nordic,
/// Polish and German letters that carry no combining mark spelt out (`ø`→`o`, `æ`→`ae`, `å`→`a`,
/// `ł`→`l`, `ß`→`ss`, `ĳ`→`ij`), then only ASCII letters and digits kept.
///
/// Dropping every separator is what lets `Postnr.`, `post nr` and `POST-NR` meet, and it is also
/// why the table may never hold two headers that differ only in punctuation but mean different
/// fields.
pub fn normalise_header(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    for c in h.to_lowercase().nfd() {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'ø' => out.push('o'),
            'æ' => out.push_str("ae"),
            'å' => out.push('a'),
            'ł' => out.push('l'),
            'ß' => out.push_str("ss"),
            'ĳ' => out.push_str("ij"),
            'œ' => out.push_str("oe"),
            // Combining marks left by NFD, punctuation, spaces and any other script.
            _ => {}
        }
    }
    out
}

static BY_NORMALISED: LazyLock<HashMap<String, Field>> =
    LazyLock::new(|| HEADER_NAMES.iter().map(|&(name, field)| (normalise_header(name), field)).collect());

/// The canonical field a header means, if it is one we know.
pub fn lookup(header: &str) -> Option<Field> {
    BY_NORMALISED.get(&normalise_header(header)).copied()
}

/// Words of a header: lower case, accents folded as in [`normalise_header`], split at spaces,
/// punctuation and camelCase (`HasOptedOutOfEmail` → has, opted, out, of, email).
fn words(header: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in header.chars() {
        let boundary = !c.is_alphanumeric() || (c.is_uppercase() && prev_lower);
        if boundary && !cur.is_empty() {
            out.push(normalise_header(&cur));
            cur.clear();
        }
        if c.is_alphanumeric() {
            cur.push(c);
        }
        prev_lower = c.is_lowercase();
    }
    if !cur.is_empty() {
        out.push(normalise_header(&cur));
    }
    out.retain(|w| !w.is_empty());
    out
}

/// Words that make a header something other than a flag of its own: where it came from, who set
/// it, how often (`Opt-in source`, `Marketing contact status`, `Number of bounces`,
/// `UNSUB_CAMPAIGN_TITLE`, Dynamics' `(Do Not Modify) Contact`).
const NOT_A_FLAG: &[&str] = &[
    "source", "kilde", "kalla", "bron", "quelle", "count", "antall", "antal", "aantal", "anzahl", "liczba", "number",
    "total", "sum", "type", "status", "by", "ip", "url", "id", "method", "note", "campaign", "title", "modify",
    "modified", "rating", "score", "rate", "name", "channel", "text",
];

/// Words that make a header the time of an event: filled when it happened (`UNSUB_TIME`,
/// `Unsubscribed date`, `Opt-in date`).
const TIME_WORDS: &[&str] =
    &["date", "dato", "datum", "data", "time", "timestamp", "at", "on", "tid", "tidspunkt", "zeit"];

/// Words that make a header the reason for an event: filled when it happened
/// (`Email hard bounce reason`).
const REASON_WORDS: &[&str] = &["reason", "arsak", "orsak", "grund", "reden", "powod", "arsag"];

/// The field a header holds and how its values are read: [`CHANNEL_NAMES`] first, then the
/// dictionary, then the words of a consent, opt-out or bounce header ([`lookup_by_words`]).
/// `None` when the header is none of these, or is a count that looks like a flag.
pub fn lookup_column(header: &str) -> Option<(Field, Reading)> {
    let key = normalise_header(header);
    if let Some(&(field, reading)) = BY_CHANNEL_NAME.get(&key) {
        return field.map(|f| (f, reading));
    }
    if let Some(&f) = BY_NORMALISED.get(&key) {
        return Some((f, Reading::Value));
    }
    lookup_by_words(header)
}

/// Whether one of the tables knows the whole header (rather than its words).
pub fn is_known_name(header: &str) -> bool {
    let key = normalise_header(header);
    BY_NORMALISED.contains_key(&key) || BY_CHANNEL_NAME.contains_key(&key)
}

static BY_CHANNEL_NAME: LazyLock<HashMap<String, (Option<Field>, Reading)>> = LazyLock::new(|| {
    CHANNEL_NAMES.iter().map(|&(name, field, reading)| (normalise_header(name), (field, reading))).collect()
});

/// Whether a header is an opt-out of one e-mail subscription rather than of all e-mail:
/// HubSpot's `Opted out of email: Customer Service Communication`. It is weaker evidence than
/// `Unsubscribed from all email`, which decides when the export has it.
pub fn is_subscription_opt_out(header: &str) -> bool {
    header.split_once(':').is_some_and(|(before, after)| {
        !after.trim().is_empty()
            && matches!(lookup_by_words(before), Some((Field::Unsubscribed, _)))
            && !matches!(lookup_column(header), Some((_, Reading::Filled)))
    })
}

/// The channel field and reading a header's words name when no table knows the whole header:
/// flags for bounces, opt-outs and consent, which every CRM words its own way (`Email hard
/// bounce`, `Opted out of marketing`, `Reservert mot reklame`, `Newsletter consent`, `SMS opt
/// out`). An opt-out of e-mail (or of no channel in particular) is `unsubscribed`; an opt-out of
/// SMS, calls, fax or post is a `false` of that channel's consent. A time or reason
/// (`Unsubscribed date`, `Hard bounce reason`) is read as filled or empty; a count (`Marketing
/// emails bounced`) is no flag at all.
pub fn lookup_by_words(header: &str) -> Option<(Field, Reading)> {
    let w = words(header);
    let has = |x: &str| w.iter().any(|y| y == x);
    let has_any = |xs: &[&str]| xs.iter().any(|x| has(x));
    let pair = |a: &str, b: &str| w.windows(2).any(|p| p[0] == a && p[1] == b);
    if w.is_empty() || has_any(NOT_A_FLAG) {
        return None;
    }
    let filled = has_any(TIME_WORDS) || has_any(REASON_WORDS);
    let joined = normalise_header(header);
    // `E-post` splits into `e` and `post`: a letter is post only without the `e`.
    // `Postal mail` and `Direct mail` are letters.
    let letters = has_any(&["postal", "direct"]);
    let named_email =
        has_any(&["email", "emails", "epost", "mejl", "newsletter", "nyhetsbrev", "nyhedsbrev", "nieuwsbrief", "bulk"])
            || (has("mail") && !letters)
            || joined.contains("email")
            || joined.contains("epost");
    let sms = has_any(&["sms", "texts", "mobile", "mobil"]);
    let call = has_any(&[
        "call",
        "calls",
        "phone",
        "telephone",
        "telefon",
        "telefoon",
        "telefoniczny",
        "tlf",
        "ring",
        "telemarketing",
        "telefonsalg",
        "anruf",
        "anrufe",
        "bellen",
    ]) && !sms;
    let fax = has_any(&["fax", "faxes", "telefax"]);
    let post = has_any(&["postal", "letter", "letters", "brev", "briefpost", "postmail", "direct"])
        || (has("post") && !joined.contains("epost"));
    let others = [sms, call, fax, post];
    let other_channels = others.iter().filter(|&&c| c).count();
    // "Marketing" alone means e-mail marketing; `SMS marketing consent` is about SMS.
    let email = named_email || (other_channels == 0 && has_any(&["marketing", "markedsforing"]));
    if has_any(&["bounce", "bounced", "bounces", "hardbounce", "returnert", "studsad", "unzustellbar", "onbestelbaar"])
    {
        // `Marketing emails bounced` counts e-mails; `Email bounced` is one address's flag.
        if has_any(&["emails", "messages", "mails"]) {
            return None;
        }
        return Some((Field::EmailBounced, if filled { Reading::Filled } else { Reading::Value }));
    }
    let opt_out = has_any(&[
        "optout",
        "optedout",
        "unsubscribed",
        "unsubscribe",
        "unsub",
        "reservert",
        "reservasjon",
        "avmeldt",
        "abgemeldet",
        "blacklist",
        "blacklisted",
        "blocklist",
        "blocklisted",
        "suppressed",
        "suppression",
    ]) || pair("opt", "out")
        || pair("opted", "out")
        || (has("do")
            && has("not")
            && (email || other_channels > 0 || has_any(&["contact", "allow", "market", "solicit"])))
        || (has("no") && (email || other_channels > 0));
    if opt_out {
        // One channel, or none named (an opt-out of "marketing" is an e-mail unsubscribe);
        // an opt-out naming several channels is left for a person to map.
        return match (email, other_channels) {
            (_, 0) => Some((Field::Unsubscribed, if filled { Reading::Filled } else { Reading::Value })),
            (false, 1) => {
                let field = channel_consent(sms, call, fax);
                Some((field, if filled { Reading::FilledOptOut } else { Reading::OptOut }))
            }
            _ => None,
        };
    }
    let consent =
        has_any(&["consent", "optin", "samtykke", "samtycke", "zgoda", "einwilligung", "toestemming", "subscribed"])
            || pair("opt", "in")
            || pair("opted", "in");
    if consent {
        let field = match (email, other_channels) {
            (_, 0) => Field::EmailConsent,
            (false, 1) => channel_consent(sms, call, fax),
            _ => return None,
        };
        return Some((field, if filled { Reading::Filled } else { Reading::Value }));
    }
    None
}

/// Whether a header's words speak of consent, an opt-out or a bounce (whether or not they say
/// which channel): `Opt out of SMS and email` does, `Marketing contact status` does not.
pub fn speaks_of_consent(header: &str) -> bool {
    const WORDS: &[&str] = &[
        "consent",
        "optin",
        "optout",
        "optedout",
        "unsubscribed",
        "unsubscribe",
        "samtykke",
        "samtycke",
        "zgoda",
        "einwilligung",
        "toestemming",
        "reservert",
        "reservasjon",
        "avmeldt",
        "abgemeldet",
        "bounce",
        "bounced",
        "blacklist",
        "blacklisted",
        "suppressed",
        "suppression",
    ];
    let w = words(header);
    let has = |x: &str| w.iter().any(|y| y == x);
    let pair = |a: &str, b: &str| w.windows(2).any(|p| p[0] == a && p[1] == b);
    // A known count (`Marketing emails bounced`) says how often, not whether.
    let count = BY_CHANNEL_NAME.contains_key(&normalise_header(header))
        || (["bounce", "bounced", "bounces"].iter().any(|x| has(x))
            && ["emails", "messages", "mails"].iter().any(|x| has(x)));
    !count
        && !w.iter().any(|x| NOT_A_FLAG.contains(&x.as_str()))
        && (w.iter().any(|x| WORDS.contains(&x.as_str())) || pair("opt", "out") || pair("opt", "in"))
}

/// The consent field of the one channel other than e-mail a header names.
fn channel_consent(sms: bool, call: bool, fax: bool) -> Field {
    if sms {
        Field::SmsConsent
    } else if call {
        Field::PhoneConsent
    } else if fax {
        Field::FaxConsent
    } else {
        Field::PostConsent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_normalised_name_means_two_fields() {
        let mut seen: HashMap<String, (&str, Field)> = HashMap::new();
        let mut clashes = Vec::new();
        for &(name, field) in HEADER_NAMES {
            let key = normalise_header(name);
            assert!(!key.is_empty(), "{name:?} normalises to nothing");
            if let Some(&(other, other_field)) = seen.get(&key) {
                if other_field != field {
                    clashes.push(format!("{name:?} -> {field} vs {other:?} -> {other_field}"));
                }
            } else {
                seen.insert(key, (name, field));
            }
        }
        assert!(clashes.is_empty(), "ambiguous headers: {clashes:#?}");
    }

    #[test]
    fn every_field_has_a_header() {
        for &f in Field::ALL {
            assert!(HEADER_NAMES.iter().any(|&(_, g)| g == f), "{f} has no header name");
        }
    }

    #[test]
    fn normalise_header_folds_case_accents_and_punctuation() {
        let cases = [
            ("Postnr.", "postnr"),
            ("Kod pocztowy", "kodpocztowy"),
            ("E-post", "epost"),
            ("Address 1: ZIP/Postal Code", "address1zippostalcode"),
            ("Fødselsdato", "fodselsdato"),
            ("Kjønn", "kjonn"),
            ("Næring", "naering"),
            ("Län", "lan"),
            ("Płeć", "plec"),
            ("Miejscowość", "miejscowosc"),
            ("Straße", "strasse"),
            ("ĲSSELSTEIN", "ijsselstein"),
            ("  FIRST_NAME \u{feff}", "firstname"),
            // Decomposed input (as macOS writes file names) folds like precomposed input.
            ("Fo\u{308}rnamn", "fornamn"),
        ];
        for (raw, want) in cases {
            assert_eq!(normalise_header(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn real_headers_map_to_their_field() {
        use Field::*;
        let cases: &[(&str, Option<Field>)] = &[
            // Salesforce
            ("First Name", Some(FirstName)),
            ("Last Name", Some(LastName)),
            ("Email", Some(Email)),
            ("Phone", Some(Phone)),
            ("Mobile", Some(Mobile)),
            ("Mailing Street", Some(Street)),
            ("Mailing City", Some(City)),
            ("Mailing Zip/Postal Code", Some(Postcode)),
            ("Mailing Country", Some(Country)),
            ("Birthdate", Some(BirthDate)),
            ("Account Name", Some(Company)),
            ("Contact ID", Some(RecordId)),
            ("Created Date", Some(CreatedAt)),
            ("Last Activity", Some(LastActivityAt)),
            ("Email Opt Out", Some(Unsubscribed)),
            ("Lead Source", Some(Source)),
            ("Annual Revenue", None),
            // HubSpot
            ("Record ID", Some(RecordId)),
            ("Phone Number", Some(Phone)),
            ("Mobile Phone Number", Some(Mobile)),
            ("Street Address", Some(Street)),
            ("Postal Code", Some(Postcode)),
            ("State/Region", Some(Region)),
            ("Country/Region", Some(Country)),
            ("Create Date", Some(CreatedAt)),
            ("Last Activity Date", Some(LastActivityAt)),
            ("Total Revenue", Some(Revenue)),
            ("Recent Deal Close Date", Some(LastOrderAt)),
            ("Original Source", Some(Source)),
            ("Company Name", Some(Company)),
            ("Industry", Some(Industry)),
            ("Number of Employees", Some(Employees)),
            ("Marketing Email Consent", Some(EmailConsent)),
            ("Number of Pageviews", None),
            ("Marketing contact status", None),
            ("Customer Notes", None),
            // Dynamics 365
            ("Full Name", Some(FullName)),
            ("Address 1: Street 1", Some(Street)),
            ("Address 1: Street 2", Some(Address2)),
            ("Address 1: ZIP/Postal Code", Some(Postcode)),
            ("Address 1: City", Some(City)),
            ("Address 1: Country/Region", Some(Country)),
            ("Business Phone", Some(Phone)),
            ("Mobile Phone", Some(Mobile)),
            ("E-mail", Some(Email)),
            ("Created On", Some(CreatedAt)),
            ("Do not allow Bulk Emails", Some(Unsubscribed)),
            // Shopify and WooCommerce
            ("Customer ID", Some(RecordId)),
            ("Accepts Email Marketing", Some(EmailConsent)),
            ("Accepts SMS Marketing", Some(SmsConsent)),
            ("Address1", Some(Street)),
            ("Zip", Some(Postcode)),
            ("Country Code", Some(Country)),
            ("Total Spent", Some(Revenue)),
            ("Total Orders", Some(OrderCount)),
            ("billing_first_name", Some(FirstName)),
            ("billing_postcode", Some(Postcode)),
            // FEBRL
            ("rec_id", Some(RecordId)),
            ("given_name", Some(FirstName)),
            ("surname", Some(LastName)),
            ("street_number", Some(StreetNumber)),
            ("address_1", Some(Street)),
            ("address_2", Some(Address2)),
            ("suburb", Some(City)),
            ("state", Some(Region)),
            ("postcode", Some(Postcode)),
            ("date_of_birth", Some(BirthDate)),
            ("soc_sec_id", Some(NationalId)),
            ("entity_id", None),
            // Hand-made sheets
            ("Fornavn", Some(FirstName)),
            ("Förnamn", Some(FirstName)),
            ("Voornaam", Some(FirstName)),
            ("Imię", Some(FirstName)),
            ("Vorname", Some(FirstName)),
            ("Etternavn", Some(LastName)),
            ("Efternamn", Some(LastName)),
            ("Efternavn", Some(LastName)),
            ("Achternaam", Some(LastName)),
            ("Nazwisko", Some(LastName)),
            ("Nachname", Some(LastName)),
            ("Navn", Some(FullName)),
            ("Name", Some(FullName)),
            ("Namn", Some(FullName)),
            ("Naam", Some(FullName)),
            ("E-post", Some(Email)),
            ("Postnr.", Some(Postcode)),
            ("Postnummer", Some(Postcode)),
            ("Kod pocztowy", Some(Postcode)),
            ("PLZ", Some(Postcode)),
            ("Postleitzahl", Some(Postcode)),
            ("Mobilnummer", Some(Mobile)),
            ("Mobil", Some(Mobile)),
            ("Handy", Some(Mobile)),
            ("Telefon", Some(Phone)),
            ("Telefoonnummer", Some(Phone)),
            ("Poststed", Some(City)),
            ("Ort", Some(City)),
            ("Stad", Some(City)),
            ("By", Some(City)),
            ("Woonplaats", Some(City)),
            ("Miejscowość", Some(City)),
            ("Miasto", Some(City)),
            ("Adresse", Some(Street)),
            ("Gateadresse", Some(Street)),
            ("Straße", Some(Street)),
            ("Strasse", Some(Street)),
            ("Ulica", Some(Street)),
            ("Land", Some(Country)),
            ("Kraj", Some(Country)),
            ("Fødselsdato", Some(BirthDate)),
            ("Födelsedatum", Some(BirthDate)),
            ("Geboortedatum", Some(BirthDate)),
            ("Data urodzenia", Some(BirthDate)),
            ("Geburtsdatum", Some(BirthDate)),
            ("Kjønn", Some(Gender)),
            ("Kön", Some(Gender)),
            ("Køn", Some(Gender)),
            ("Geslacht", Some(Gender)),
            ("Płeć", Some(Gender)),
            ("Geschlecht", Some(Gender)),
            ("Organisasjonsnummer", Some(OrgNumber)),
            ("Org.nr", Some(OrgNumber)),
            ("Organisationsnummer", Some(OrgNumber)),
            ("CVR", Some(OrgNumber)),
            ("KvK-nummer", Some(OrgNumber)),
            ("NIP", Some(OrgNumber)),
            ("Firma", Some(Company)),
            ("Bedrift", Some(Company)),
            ("Företag", Some(Company)),
            ("Virksomhed", Some(Company)),
            ("Bedrijf", Some(Company)),
            ("Unternehmen", Some(Company)),
            ("Bransje", Some(Industry)),
            ("Bransch", Some(Industry)),
            ("Branche", Some(Industry)),
            ("Antall ansatte", Some(Employees)),
            ("Opprettet", Some(CreatedAt)),
            ("Sist aktiv", Some(LastActivityAt)),
            ("Antall ordre", Some(OrderCount)),
            ("Omsetning", Some(Revenue)),
            ("Siste ordre", Some(LastOrderAt)),
            ("Samtykke e-post", Some(EmailConsent)),
            ("Samtykke SMS", Some(SmsConsent)),
            ("Reservert", Some(Unsubscribed)),
            ("Avmeldt", Some(Unsubscribed)),
            ("Kilde", Some(Source)),
            ("Fylke", Some(Region)),
            ("Län", Some(Region)),
            ("Region", Some(Region)),
            ("Provincie", Some(Region)),
            ("Województwo", Some(Region)),
            ("Bundesland", Some(Region)),
            ("Fødselsnummer", Some(NationalId)),
            ("Personnummer", Some(NationalId)),
            ("CPR", Some(NationalId)),
            ("BSN", Some(NationalId)),
            ("PESEL", Some(NationalId)),
            ("Kundenr", Some(RecordId)),
            // Account exports (issue 26). HubSpot companies.
            ("Company name", Some(Company)),
            ("Company Domain Name", Some(Website)),
            ("Website URL", Some(Website)),
            ("Street Address 2", Some(Address2)),
            ("Annual Revenue", None),
            // Salesforce Account (API names and report labels).
            ("Website", Some(Website)),
            ("BillingStreet", Some(Street)),
            ("BillingCity", Some(City)),
            ("BillingPostalCode", Some(Postcode)),
            ("Billing Zip/Postal Code", Some(Postcode)),
            ("BillingState", Some(Region)),
            ("BillingCountry", Some(Country)),
            ("ShippingStreet", Some(Street)),
            ("ShippingPostalCode", Some(Postcode)),
            ("ShippingCity", Some(City)),
            ("ShippingCountry", Some(Country)),
            ("NumberOfEmployees", Some(Employees)),
            ("AnnualRevenue", None),
            ("AccountNumber", None),
            ("AccountSource", Some(Source)),
            // Salesforce Person Account.
            ("PersonEmail", Some(Email)),
            ("PersonMobilePhone", Some(Mobile)),
            ("PersonMailingStreet", Some(Street)),
            ("PersonMailingCity", Some(City)),
            ("PersonMailingPostalCode", Some(Postcode)),
            ("PersonMailingState", Some(Region)),
            ("PersonMailingCountry", Some(Country)),
            ("PersonBirthdate", Some(BirthDate)),
            ("PersonHomePhone", None),
            // Dynamics 365 Account.
            ("Main Phone", Some(Phone)),
            ("websiteurl", Some(Website)),
            ("Primary Contact", None),
            // HubSpot contacts and Odoo: the contact's company and its domain.
            ("Associated Company", Some(Company)),
            ("Associated Company Name", Some(Company)),
            ("Company domain name", Some(Website)),
            ("Related Company", Some(Company)),
            ("Tax ID", Some(OrgNumber)),
            ("Is a Company", None),
            // Hand-made account sheets and registry extracts in our seven languages.
            ("Firmanavn", Some(Company)),
            ("Foretaksnavn", Some(Company)),
            ("Nettside", Some(Website)),
            ("Hjemmeside", Some(Website)),
            ("Næringskode", Some(Industry)),
            ("Forretningsadresse", Some(Street)),
            ("Fakturaadresse", Some(Street)),
            ("MVA-nummer", Some(OrgNumber)),
            ("Företagsnamn", Some(Company)),
            ("Antal anställda", Some(Employees)),
            ("Webbplats", Some(Website)),
            ("Hemsida", Some(Website)),
            ("SNI-kod", Some(Industry)),
            ("Virksomhedsnavn", Some(Company)),
            ("CVR-nummer", Some(OrgNumber)),
            ("Antal medarbejdere", Some(Employees)),
            ("Bedrijfsnaam", Some(Company)),
            ("Handelsnaam", Some(Company)),
            ("KvK nummer", Some(OrgNumber)),
            ("BTW-nummer", Some(OrgNumber)),
            ("Aantal medewerkers", Some(Employees)),
            ("Nazwa firmy", Some(Company)),
            ("Numer NIP", Some(OrgNumber)),
            ("Strona www", Some(Website)),
            ("Liczba pracowników", Some(Employees)),
            ("Branża", Some(Industry)),
            ("Firmenname", Some(Company)),
            ("Handelsregisternummer", Some(OrgNumber)),
            ("USt-IdNr", Some(OrgNumber)),
            ("USt-IdNr.", Some(OrgNumber)),
            ("Webseite", Some(Website)),
            ("Anzahl Mitarbeiter", Some(Employees)),
            ("Rechnungsadresse", Some(Street)),
            // Case, spacing and punctuation do not matter.
            ("  e-MAIL ", Some(Email)),
            ("POSTNR", Some(Postcode)),
            ("Post nr.", Some(Postcode)),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter(|&&(h, want)| lookup(h) != want)
            .map(|&(h, want)| format!("{h:?}: want {want:?}, got {:?}", lookup(h)))
            .collect();
        assert!(wrong.is_empty(), "wrong mappings: {wrong:#?}");
    }

    #[test]
    fn account_headers_tell_whose_address_and_which_rows_are_companies() {
        use AddressRole::*;
        for (header, role) in [
            ("BillingStreet", Billing),
            ("Billing Zip/Postal Code", Billing),
            ("billing_city", Billing),
            ("Fakturaadresse", Billing),
            ("Faktureringsadress", Billing),
            ("Factuuradres", Billing),
            ("Adres do faktury", Billing),
            ("Rechnungsadresse", Billing),
            ("ShippingPostalCode", Shipping),
            ("shipping_address_1", Shipping),
            ("Leveringsadresse", Shipping),
            ("Leveransadress", Shipping),
            ("Afleveradres", Shipping),
            ("Adres dostawy", Shipping),
            ("Lieferadresse", Shipping),
            ("MailingStreet", Own),
            ("PersonMailingCity", Own),
            ("Address 1: City", Own),
            ("Postal Code", Own),
            ("Forretningsadresse", Own),
        ] {
            assert_eq!(address_role(header), role, "{header}");
        }
        for (header, org) in [
            ("Is a Company", Some(true)),
            ("is_company", Some(true)),
            ("IsPersonAccount", Some(false)),
            ("Is Person Account", Some(false)),
            ("Company", None),
            ("Account Type", None),
        ] {
            assert_eq!(organisation_flag(header), org, "{header}");
        }
        for h in ["Name", "NAME", "Navn", "Namn", "Naam"] {
            assert!(is_bare_name(h), "{h}");
        }
        for h in ["Full Name", "Company Name", "Kundenavn", "Imię i nazwisko"] {
            assert!(!is_bare_name(h), "{h}");
        }
        assert!(is_account_header("AccountNumber") && is_account_header("Parent Account"));
        assert!(is_person_header("Job Title") && is_person_header("Salutation") && is_person_header("Stanowisko"));
        // No helper table names a header the dictionary maps.
        for name in ACCOUNT_HEADERS.iter().chain(PERSON_HEADERS).chain(ORGANISATION_FLAGS.iter().map(|(n, _)| n)) {
            assert_eq!(lookup(name), None, "{name}");
        }
    }

    #[test]
    fn flags_by_the_words_of_their_header() {
        use Field::*;
        use Reading::*;
        let cases: &[(&str, Option<(Field, Reading)>)] = &[
            ("Email hard bounce", Some((EmailBounced, Value))),
            ("Hard bounce", Some((EmailBounced, Value))),
            ("Bounced", Some((EmailBounced, Value))),
            ("E-mail bounced?", Some((EmailBounced, Value))),
            ("Hard bounce reason", Some((EmailBounced, Filled))),
            // A count of e-mails that bounced is no flag.
            ("Marketing emails bounced", None),
            ("Number of bounces", None),
            ("Do not allow Bulk Emails", Some((Unsubscribed, Value))),
            ("Do Not Email", Some((Unsubscribed, Value))),
            ("Opted out of email", Some((Unsubscribed, Value))),
            ("HasOptedOutOfEmail", Some((Unsubscribed, Value))),
            ("Reservert mot reklame", Some((Unsubscribed, Value))),
            ("Unsubscribed date", Some((Unsubscribed, Filled))),
            // Opt-outs of another channel are that channel's refusal, never e-mail's.
            ("HasOptedOutOfFax", Some((FaxConsent, OptOut))),
            ("Do not allow Phone Calls", Some((PhoneConsent, OptOut))),
            ("Do Not Call", Some((PhoneConsent, OptOut))),
            ("SMS opt-out", Some((SmsConsent, OptOut))),
            ("SMS opt-out date", Some((SmsConsent, FilledOptOut))),
            ("Reservert mot telefonsalg", Some((PhoneConsent, OptOut))),
            ("Do not send postal mail", Some((PostConsent, OptOut))),
            // Several channels in one header: a person decides.
            ("Do not contact by phone or email", None),
            ("Opt out of SMS and email", None),
            ("Newsletter consent", Some((EmailConsent, Value))),
            ("Marketing opt-in", Some((EmailConsent, Value))),
            ("Opt-in date", Some((EmailConsent, Filled))),
            ("SMS consent", Some((SmsConsent, Value))),
            ("SMS marketing consent", Some((SmsConsent, Value))),
            ("Samtykke SMS", Some((SmsConsent, Value))),
            ("Phone consent", Some((PhoneConsent, Value))),
            ("Opt-in source", None),
            ("OPTIN_IP", None),
            ("UNSUB_CAMPAIGN_TITLE", None),
            ("(Do Not Modify) Contact", None),
            ("Marketing contact status", None),
            ("Lifecycle Stage", None),
            ("Home Phone", None),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter(|&&(h, want)| lookup_by_words(h) != want)
            .map(|&(h, want)| format!("{h:?}: want {want:?}, got {:?}", lookup_by_words(h)))
            .collect();
        assert!(wrong.is_empty(), "wrong readings: {wrong:#?}");
    }

    /// The exact names of consent-ish columns in real exports, read per channel.
    #[test]
    fn channel_names_of_real_exports() {
        use Field::*;
        use Reading::*;
        let cases: &[(&str, Option<(Field, Reading)>)] = &[
            ("Unsubscribed from all email", Some((Unsubscribed, Value))),
            ("Email hard bounce reason", Some((EmailBounced, Filled))),
            ("Marketing emails bounced", None),
            ("Email Opt Out", Some((Unsubscribed, Value))),
            ("Fax Opt Out", Some((FaxConsent, OptOut))),
            ("DoNotCall", Some((PhoneConsent, OptOut))),
            ("Do not allow Emails", Some((Unsubscribed, Value))),
            ("donotemail", Some((Unsubscribed, Value))),
            ("donotbulkemail", Some((Unsubscribed, Value))),
            ("donotphone", Some((PhoneConsent, OptOut))),
            ("Do not allow Mails", Some((PostConsent, OptOut))),
            ("donotpostalmail", Some((PostConsent, OptOut))),
            ("Do not allow Faxes", Some((FaxConsent, OptOut))),
            ("donotfax", Some((FaxConsent, OptOut))),
            ("UNSUB_TIME", Some((Unsubscribed, Filled))),
            ("OPTIN_TIME", Some((EmailConsent, Filled))),
            ("CONFIRM_TIME", Some((EmailConsent, Filled))),
            ("CLEAN_TIME", Some((EmailBounced, Filled))),
            ("Accepts Email Marketing", Some((EmailConsent, Value))),
            ("Accepts SMS Marketing", Some((SmsConsent, Value))),
            ("Blacklist", Some((Unsubscribed, Value))),
            ("Phone Blacklisted", Some((SmsConsent, OptOut))),
            ("Ikke ring", Some((PhoneConsent, OptOut))),
            ("Nie dzwonić", Some((PhoneConsent, OptOut))),
            ("Bel-me-niet", Some((PhoneConsent, OptOut))),
            ("Keine Anrufe", Some((PhoneConsent, OptOut))),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter(|&&(h, want)| lookup_column(h) != want)
            .map(|&(h, want)| format!("{h:?}: want {want:?}, got {:?}", lookup_column(h)))
            .collect();
        assert!(wrong.is_empty(), "wrong readings: {wrong:#?}");
        assert!(is_subscription_opt_out("Opted out of email: Customer Service Communication"));
        assert!(!is_subscription_opt_out("Unsubscribed from all email"));
        assert!(!is_subscription_opt_out("Email: opt-in date"));
    }

    /// No name is in both tables, and no channel name normalises to nothing.
    #[test]
    fn channel_names_are_not_in_the_dictionary() {
        for &(name, _, _) in CHANNEL_NAMES {
            let key = normalise_header(name);
            assert!(!key.is_empty() && !BY_NORMALISED.contains_key(&key), "{name:?}");
        }
    }
}
