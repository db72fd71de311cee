//! Account exports (issue 26): the header lists of HubSpot companies, Salesforce Account and
//! Person Account, Dynamics 365 Account, Odoo contacts with `Is a Company`, and HubSpot contacts
//! with `Associated Company`, in `fixtures/real_headers/`, each with a few invented rows. Each
//! column maps to the field it holds, and each row comes out as a person, an organisation or a
//! person at an organisation in records.csv and the report.

use super::*;
use std::collections::BTreeMap;

/// The account fixtures, each named after the export it copies.
const ACCOUNT_FILES: [&str; 6] = [
    "hubspot_companies.csv",
    "salesforce_account.csv",
    "salesforce_person_account.csv",
    "dynamics365_account.csv",
    "odoo_companies.csv",
    "hubspot_contacts_company.csv",
];

fn report(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap()
}

/// A CSV file as maps from column to value.
fn table(path: &Path) -> Vec<BTreeMap<String, String>> {
    let (h, rows) = read_csv(path);
    rows.into_iter().map(|r| h.iter().cloned().zip(r).collect()).collect()
}

/// One run over the account fixtures, shared by the tests below.
fn run_accounts(tmp: &TempDir) -> std::path::PathBuf {
    let inputs: Vec<String> = ACCOUNT_FILES
        .iter()
        .map(|f| root().join("fixtures/real_headers").join(f).to_string_lossy().into_owned())
        .collect();
    let out = tmp.path().join("out");
    let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    run_ok(&refs, &out, &[]);
    out
}

#[test]
fn account_columns_map_to_their_fields() {
    let tmp = TempDir::new("accounts_mapping");
    let out = run_accounts(&tmp);
    let r = report(&out);
    // (field, read_as) of a header.
    let mapped = |file: &str, header: &str| -> (Option<String>, Option<String>) {
        let input =
            r["inputs"].as_array().unwrap().iter().find(|i| i["file"] == file).unwrap_or_else(|| panic!("{file}"));
        let m = input["header_mapping"].as_array().unwrap().iter().find(|m| m["header"] == header);
        let m = m.unwrap_or_else(|| panic!("{file}: no header {header:?}"));
        let s = |v: &serde_json::Value| v.as_str().map(str::to_string);
        (s(&m["field"]), m.get("read_as").and_then(s))
    };
    // (file, header, field it maps to, field it is read as in some rows)
    let cases: &[(&str, &str, Option<&str>, Option<&str>)] = &[
        ("hubspot_companies.csv", "Company name", Some("company"), None),
        ("hubspot_companies.csv", "Company Domain Name", Some("website"), None),
        ("hubspot_companies.csv", "Website URL", None, Some("website")),
        ("hubspot_companies.csv", "Number of Employees", Some("employees"), None),
        // An account export's annual revenue is the account's revenue (a contacts export's is
        // the employer's turnover and stays unread: real_headers.rs, hubspot_2023.csv).
        ("hubspot_companies.csv", "Annual Revenue", Some("revenue"), None),
        ("hubspot_companies.csv", "Industry", Some("industry"), None),
        ("hubspot_companies.csv", "Phone Number", Some("phone"), None),
        ("hubspot_companies.csv", "Street Address", Some("street"), None),
        ("hubspot_companies.csv", "Street Address 2", Some("address_2"), None),
        ("hubspot_companies.csv", "City", Some("city"), None),
        ("hubspot_companies.csv", "Postal Code", Some("postcode"), None),
        ("hubspot_companies.csv", "Country/Region", Some("country"), None),
        ("hubspot_companies.csv", "Number of Associated Contacts", None, None),
        // Salesforce Account: `Name` is the company's; the billing address is read, not the
        // shipping one.
        ("salesforce_account.csv", "Name", Some("company"), None),
        ("salesforce_account.csv", "Website", Some("website"), None),
        ("salesforce_account.csv", "BillingStreet", Some("street"), None),
        ("salesforce_account.csv", "BillingCity", Some("city"), None),
        ("salesforce_account.csv", "BillingState", Some("region"), None),
        ("salesforce_account.csv", "BillingPostalCode", Some("postcode"), None),
        ("salesforce_account.csv", "BillingCountry", Some("country"), None),
        ("salesforce_account.csv", "ShippingStreet", None, None),
        ("salesforce_account.csv", "ShippingPostalCode", None, None),
        ("salesforce_account.csv", "NumberOfEmployees", Some("employees"), None),
        ("salesforce_account.csv", "AnnualRevenue", Some("revenue"), None),
        ("salesforce_account.csv", "Phone", Some("phone"), None),
        ("salesforce_account.csv", "Industry", Some("industry"), None),
        ("salesforce_account.csv", "AccountNumber", None, None),
        ("salesforce_account.csv", "AccountSource", Some("source"), None),
        // Salesforce Person Account: the Person* fields are the person's; the billing address
        // is read only for business accounts.
        ("salesforce_person_account.csv", "Name", Some("full_name"), None),
        ("salesforce_person_account.csv", "IsPersonAccount", None, None),
        ("salesforce_person_account.csv", "PersonEmail", Some("email"), None),
        ("salesforce_person_account.csv", "PersonMobilePhone", Some("mobile"), None),
        ("salesforce_person_account.csv", "PersonMailingStreet", Some("street"), None),
        ("salesforce_person_account.csv", "PersonMailingCity", Some("city"), None),
        ("salesforce_person_account.csv", "PersonMailingPostalCode", Some("postcode"), None),
        ("salesforce_person_account.csv", "PersonMailingCountry", Some("country"), None),
        ("salesforce_person_account.csv", "PersonBirthdate", Some("birth_date"), None),
        ("salesforce_person_account.csv", "PersonHasOptedOutOfEmail", Some("unsubscribed"), None),
        ("salesforce_person_account.csv", "PersonDoNotCall", Some("phone_consent"), None),
        ("salesforce_person_account.csv", "BillingStreet", None, Some("street")),
        ("salesforce_person_account.csv", "BillingPostalCode", None, Some("postcode")),
        ("salesforce_person_account.csv", "BillingCity", None, Some("city")),
        // Dynamics 365 Account.
        ("dynamics365_account.csv", "Account Name", Some("company"), None),
        ("dynamics365_account.csv", "Main Phone", Some("phone"), None),
        ("dynamics365_account.csv", "Address 1: Street 1", Some("street"), None),
        ("dynamics365_account.csv", "Address 1: City", Some("city"), None),
        ("dynamics365_account.csv", "Address 1: ZIP/Postal Code", Some("postcode"), None),
        ("dynamics365_account.csv", "Address 1: Country/Region", Some("country"), None),
        ("dynamics365_account.csv", "Website", Some("website"), None),
        ("dynamics365_account.csv", "Number of Employees", Some("employees"), None),
        ("dynamics365_account.csv", "Annual Revenue", Some("revenue"), None),
        ("dynamics365_account.csv", "Primary Contact", None, None),
        // Odoo: `Name` is read per row (`Is a Company`); `Related Company` is the person's.
        ("odoo_companies.csv", "Name", Some("full_name"), None),
        ("odoo_companies.csv", "Is a Company", None, None),
        ("odoo_companies.csv", "Related Company", Some("company"), None),
        ("odoo_companies.csv", "Tax ID", Some("org_number"), None),
        ("odoo_companies.csv", "Website", Some("website"), None),
        // HubSpot contacts: the associated company and its domain.
        ("hubspot_contacts_company.csv", "Associated Company", Some("company"), None),
        ("hubspot_contacts_company.csv", "Associated Company IDs", None, None),
        ("hubspot_contacts_company.csv", "Company domain name", Some("website"), None),
        ("hubspot_contacts_company.csv", "Job Title", None, None),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter(|(file, header, field, read_as)| {
            mapped(file, header) != (field.map(str::to_string), read_as.map(str::to_string))
        })
        .map(|(file, header, field, read_as)| {
            format!("{file}: {header:?}: want {field:?}/{read_as:?}, got {:?}", mapped(file, header))
        })
        .collect();
    assert!(wrong.is_empty(), "wrong mappings: {wrong:#?}");
    // The page shows the field a column is read as in some rows.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<td>BillingStreet</td><td><code>street</code></td><td>account address"), "{html}");
}

#[test]
fn account_rows_are_organisations_and_contacts_persons_at_them() {
    let tmp = TempDir::new("accounts_rows");
    let out = run_accounts(&tmp);
    let records = table(&out.join("records.csv"));
    let row = |file: &str, line: &str| {
        records.iter().find(|r| r["source_file"] == file && r["source_line"] == line).unwrap().clone()
    };
    let clean = |r: &BTreeMap<String, String>, f: &str| r[&format!("clean_{f}")].clone();
    // (file, line, entity_kind, company, first name, street, postcode)
    let cases: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
        ("hubspot_companies.csv", "2", "organisation", "Nordlys Kraft AS", "", "Storgata 1", "0155"),
        ("hubspot_companies.csv", "4", "organisation", "Havbris ApS", "", "Nørregade 7", "1165"),
        ("salesforce_account.csv", "2", "organisation", "Nordlys Kraft AS", "", "Storgata 1", "0155"),
        ("salesforce_account.csv", "4", "organisation", "Nordlys Kraft Bergen AS", "", "Strandkaien 2", "5013"),
        // Person accounts: their mailing address, not their billing address (a PO box).
        ("salesforce_person_account.csv", "2", "person", "", "Ingrid", "Kong Oscars gate 5", "5017"),
        ("salesforce_person_account.csv", "3", "person", "", "Jonas", "Svartbäcksgatan 3", "753 20"),
        // A business account in the same file: its name and billing address.
        ("salesforce_person_account.csv", "4", "organisation", "Havbris ApS", "", "Nørregade 7", "1165"),
        ("dynamics365_account.csv", "3", "organisation", "Van Dijk Logistiek B.V.", "", "Havenstraat 12", "3011 AB"),
        // Odoo: a company's name is its company name, not its parent's; people get theirs.
        ("odoo_companies.csv", "2", "organisation", "Nordlys Kraft AS", "", "Storgata 1", "0155"),
        ("odoo_companies.csv", "3", "person_at_organisation", "Nordlys Kraft AS", "Lars", "Storgata 1", "0155"),
        ("odoo_companies.csv", "5", "organisation", "Nordlys Kraft Bergen AS", "", "Strandkaien 2", "5013"),
        ("odoo_companies.csv", "6", "person", "", "Piotr", "ul. Krótka 2", "00-001"),
        ("hubspot_contacts_company.csv", "2", "person_at_organisation", "Nordlys Kraft AS", "Ola", "", ""),
        ("hubspot_contacts_company.csv", "4", "person", "", "Per", "", ""),
    ];
    for &(file, line, kind, company, first, street, postcode) in cases {
        let r = row(file, line);
        let got = (
            r["entity_kind"].as_str(),
            clean(&r, "company"),
            clean(&r, "first_name"),
            clean(&r, "street"),
            clean(&r, "postcode"),
        );
        assert_eq!(got, (kind, company.into(), first.into(), street.into(), postcode.into()), "{file}:{line}");
    }
    // An organisation's name is not split into a person's first and last name.
    for (file, line) in [("salesforce_account.csv", "3"), ("odoo_companies.csv", "2")] {
        let r = row(file, line);
        assert_eq!((clean(&r, "full_name"), clean(&r, "last_name")), (String::new(), String::new()), "{file}:{line}");
    }
    // Person Account fields are the person's.
    let ingrid = row("salesforce_person_account.csv", "2");
    assert_eq!(
        [clean(&ingrid, "email"), clean(&ingrid, "mobile"), clean(&ingrid, "birth_date")],
        ["ingrid.haugland@example.no", "+4741234567", "1984-06-02"]
    );
    let jonas = row("salesforce_person_account.csv", "3");
    assert_eq!((clean(&jonas, "unsubscribed"), clean(&jonas, "phone_consent")), ("true".into(), "false".into()));
    // Websites to their host; the second column where the first is empty; org numbers from VAT
    // forms.
    assert_eq!(clean(&row("hubspot_companies.csv", "2"), "website"), "nordlys-kraft.no");
    assert_eq!(clean(&row("hubspot_companies.csv", "4"), "website"), "havbris.dk");
    assert_eq!(clean(&row("salesforce_account.csv", "4"), "website"), "bergen.nordlys-kraft.no");
    assert_eq!(clean(&row("hubspot_contacts_company.csv", "3"), "website"), "fjellbo.se");
    assert_eq!(clean(&row("odoo_companies.csv", "2"), "org_number"), "912345602");
    assert_eq!(clean(&row("dynamics365_account.csv", "2"), "employees"), "35");

    // The report counts the kinds.
    let r = report(&out);
    assert_eq!(
        r["entity_kinds"],
        serde_json::json!({"person": 4, "organisation": 12, "person_at_organisation": 4}),
        "{}",
        r["entity_kinds"]
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<tr><td>Organisations</td><td class=\"n\">12</td>"), "kinds in report.html");
}

/// A contacts export with both a company property and the associated company reads the second
/// where the first is empty; an organisation flag is read as the yes/no words people write.
#[test]
fn a_second_company_column_and_an_organisation_flag_are_read_per_row() {
    let tmp = TempDir::new("accounts_per_row");
    let input = tmp.path().join("contacts.csv");
    std::fs::write(
        &input,
        "First Name,Last Name,Company Name,Associated Company\n\
         Ola,Nordmann,Nordlys Kraft AS,\n\
         Kari,Lunde,,Fjellbo AB\n\
         Per,Hansen,Havbris ApS,Fjellbo AB\n\
         Liv,Dahl,,\n",
    )
    .unwrap();
    let odoo = tmp.path().join("odoo.csv");
    std::fs::write(
        &odoo,
        "Name,Is a Company,Related Company,City\n\
         Nordlys Kraft AS,True,,Oslo\n\
         Lars Eriksen,False,Nordlys Kraft AS,Oslo\n\
         Fjellbo AB,yes,,Stockholm\n\
         Kari Lunde,,Fjellbo AB,Stockholm\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    run_ok(&[input.to_str().unwrap(), odoo.to_str().unwrap()], &out, &[]);
    let records = table(&out.join("records.csv"));
    let got: Vec<(String, String, String)> = records
        .iter()
        .map(|r| (r["entity_kind"].clone(), r["clean_company"].clone(), r["clean_first_name"].clone()))
        .collect();
    let want = [
        ("person_at_organisation", "Nordlys Kraft AS", "Ola"),
        ("person_at_organisation", "Fjellbo AB", "Kari"),
        ("person_at_organisation", "Havbris ApS", "Per"),
        ("person", "", "Liv"),
        ("organisation", "Nordlys Kraft AS", ""),
        ("person_at_organisation", "Nordlys Kraft AS", "Lars"),
        ("organisation", "Fjellbo AB", ""),
        ("person_at_organisation", "Fjellbo AB", "Kari"),
    ]
    .map(|(k, c, f)| (k.to_string(), c.to_string(), f.to_string()));
    assert_eq!(got, want);
}
