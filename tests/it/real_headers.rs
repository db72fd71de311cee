//! Real exports (issue 25): the header lists of Salesforce (Data Loader and report export),
//! Dynamics 365 (labels and API names), HubSpot (2023 and legacy), Shopify, Mailchimp and Odoo in
//! `fixtures/real_headers/`, each with a few invented rows. Consent, opt-out and bounce columns
//! are read per channel, every one of them, the most restrictive winning; counts are no flags;
//! two columns of one name are both kept; "looks like" warnings are few and strong.

use super::*;
use std::collections::BTreeMap;

fn report(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap()
}

/// The messages of a report's warnings with `code`, in the report's order.
fn warnings(report: &serde_json::Value, code: &str) -> Vec<String> {
    report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == code)
        .map(|w| w["message"].as_str().unwrap().to_string())
        .collect()
}

/// A CSV file as maps from column to value.
fn table(path: &Path) -> Vec<BTreeMap<String, String>> {
    let (h, rows) = read_csv(path);
    rows.into_iter().map(|r| h.iter().cloned().zip(r).collect()).collect()
}

/// One run over every real header fixture, shared by the tests below.
fn run_all(tmp: &TempDir) -> std::path::PathBuf {
    let dir = root().join("fixtures/real_headers");
    let mut inputs: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".csv"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 9, "{inputs:?}");
    let out = tmp.path().join("out");
    let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    run_ok(&refs, &out, &[]);
    out
}

#[test]
fn consent_columns_of_real_exports_map_per_channel() {
    let tmp = TempDir::new("real_headers_mapping");
    let out = run_all(&tmp);
    let r = report(&out);
    let mapped = |file: &str, header: &str| -> Option<String> {
        let input =
            r["inputs"].as_array().unwrap().iter().find(|i| i["file"] == file).unwrap_or_else(|| panic!("{file}"));
        let m = input["header_mapping"].as_array().unwrap().iter().find(|m| m["header"] == header);
        let m = m.unwrap_or_else(|| panic!("{file}: no header {header:?}"));
        m["field"].as_str().map(str::to_string)
    };
    // (file, header, field it maps to)
    let cases: &[(&str, &str, Option<&str>)] = &[
        ("hubspot_2023.csv", "Unsubscribed from all email", Some("unsubscribed")),
        ("hubspot_2023.csv", "Opted out of email: Customer Service Communication", None),
        ("hubspot_2023.csv", "Opted out of email: Marketing Information", None),
        ("hubspot_2023.csv", "Email hard bounce reason", Some("email_bounced")),
        ("hubspot_2023.csv", "Marketing emails bounced", None),
        ("hubspot_2023.csv", "Marketing contact status", None),
        // The employer's turnover in a contacts export, not what the customer spent.
        ("hubspot_2023.csv", "Annual Revenue", None),
        ("hubspot_2023.csv", "Total Revenue", Some("revenue")),
        ("hubspot_2023.csv", "First Page Seen", None),
        ("hubspot_legacy.csv", "Opted out of all email", Some("unsubscribed")),
        ("hubspot_legacy.csv", "Opted out of email: Marketing Information", None),
        ("hubspot_legacy.csv", "Marketing emails bounced", None),
        ("salesforce_data_loader.csv", "HasOptedOutOfFax", Some("fax_consent")),
        ("salesforce_data_loader.csv", "HasOptedOutOfEmail", Some("unsubscribed")),
        ("salesforce_data_loader.csv", "DoNotCall", Some("phone_consent")),
        ("salesforce_data_loader.csv", "EmailBouncedReason", Some("email_bounced")),
        ("salesforce_data_loader.csv", "IsEmailBounced", Some("email_bounced")),
        ("salesforce_report.csv", "Fax Opt Out", Some("fax_consent")),
        ("salesforce_report.csv", "Email Opt Out", Some("unsubscribed")),
        ("salesforce_report.csv", "Do Not Call", Some("phone_consent")),
        ("salesforce_report.csv", "Email Bounced Reason", Some("email_bounced")),
        ("dynamics365.csv", "Do not allow Phone Calls", Some("phone_consent")),
        ("dynamics365.csv", "Do not allow Emails", Some("unsubscribed")),
        ("dynamics365.csv", "Do not allow Bulk Emails", Some("unsubscribed")),
        ("dynamics365.csv", "Do not allow Mails", Some("post_consent")),
        ("dynamics365.csv", "Do not allow Faxes", Some("fax_consent")),
        ("dynamics365.csv", "(Do Not Modify) Contact", None),
        ("dynamics365_api.csv", "donotphone", Some("phone_consent")),
        ("dynamics365_api.csv", "donotemail", Some("unsubscribed")),
        ("dynamics365_api.csv", "donotbulkemail", Some("unsubscribed")),
        ("dynamics365_api.csv", "donotpostalmail", Some("post_consent")),
        ("dynamics365_api.csv", "donotfax", Some("fax_consent")),
        ("mailchimp.csv", "UNSUB_TIME", Some("unsubscribed")),
        ("mailchimp.csv", "OPTIN_TIME", Some("email_consent")),
        ("mailchimp.csv", "CONFIRM_TIME", Some("email_consent")),
        ("mailchimp.csv", "CLEAN_TIME", Some("email_bounced")),
        ("mailchimp.csv", "OPTIN_IP", None),
        ("mailchimp.csv", "UNSUB_CAMPAIGN_TITLE", None),
        ("mailchimp.csv", "MEMBER_RATING", None),
        ("shopify.csv", "Accepts Email Marketing", Some("email_consent")),
        ("shopify.csv", "Accepts SMS Marketing", Some("sms_consent")),
        ("odoo.csv", "Blacklist", Some("unsubscribed")),
        ("odoo.csv", "Phone Blacklisted", Some("sms_consent")),
        // Odoo's `Bounce` counts bounced mails (0, 3): no flag.
        ("odoo.csv", "Bounce", None),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter(|(file, header, want)| mapped(file, header).as_deref() != *want)
        .map(|(file, header, want)| format!("{file}: {header:?}: want {want:?}, got {:?}", mapped(file, header)))
        .collect();
    assert!(wrong.is_empty(), "wrong mappings: {wrong:#?}");
}

/// Issue 25: the report's header mapping says how each channel column was read.
#[test]
fn the_header_mapping_says_how_channel_columns_were_read() {
    let tmp = TempDir::new("real_headers_reading");
    let out = run_all(&tmp);
    let r = report(&out);
    let reading = |file: &str, header: &str| -> Option<String> {
        let input = r["inputs"].as_array().unwrap().iter().find(|i| i["file"] == file).unwrap();
        let m = input["header_mapping"].as_array().unwrap().iter().find(|m| m["header"] == header).unwrap();
        m.get("reading").map(|v| v.as_str().unwrap().to_string())
    };
    let cases: &[(&str, &str, Option<&str>)] = &[
        ("salesforce_report.csv", "Do Not Call", Some("opt_out")),
        ("salesforce_report.csv", "Email Opt Out", Some("value")),
        ("mailchimp.csv", "UNSUB_TIME", Some("filled_when_true")),
        ("mailchimp.csv", "OPTIN_TIME", Some("filled_when_true")),
        ("shopify.csv", "Accepts Email Marketing", Some("value")),
        ("shopify.csv", "First Name", None),
        ("mailchimp.csv", "OPTIN_IP", None),
    ];
    for &(file, header, want) in cases {
        assert_eq!(reading(file, header).as_deref(), want, "{file}: {header}");
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<th>Read as</th>"), "the mapping table has a reading column");
    assert!(html.contains("<td>opt-out (yes = no consent)</td>"));
}

#[test]
fn opt_outs_decide_their_own_channel_and_the_most_restrictive_wins() {
    let tmp = TempDir::new("real_headers_values");
    let out = run_all(&tmp);
    let records = table(&out.join("records.csv"));
    let row = |file: &str, line: &str| {
        records.iter().find(|r| r["source_file"] == file && r["source_line"] == line).unwrap().clone()
    };
    let clean = |r: &BTreeMap<String, String>, f: &str| r[&format!("clean_{f}")].clone();
    // HubSpot: `Unsubscribed from all email` = true unsubscribes although the (earlier)
    // per-subscription opt-out says false; the subscription opt-out alone does not.
    assert_eq!(clean(&row("hubspot_2023.csv", "2"), "unsubscribed"), "true");
    assert_eq!(clean(&row("hubspot_2023.csv", "3"), "unsubscribed"), "false");
    // `Marketing emails bounced` = 3 is a count: no bounce; a hard bounce reason is one.
    assert_eq!(clean(&row("hubspot_2023.csv", "3"), "email_bounced"), "");
    assert_eq!(clean(&row("hubspot_2023.csv", "4"), "email_bounced"), "true");
    // Dynamics: `Do not allow Phone Calls` refuses calls and leaves e-mail alone; either
    // e-mail refusal unsubscribes.
    let sven = row("dynamics365.csv", "2");
    assert_eq!((clean(&sven, "phone_consent"), clean(&sven, "unsubscribed")), ("false".into(), "false".into()));
    let greta = row("dynamics365.csv", "3");
    assert_eq!((clean(&greta, "unsubscribed"), clean(&greta, "post_consent")), ("true".into(), "false".into()));
    assert_eq!(clean(&row("dynamics365_api.csv", "2"), "unsubscribed"), "false");
    // Salesforce: `Fax Opt Out` before `Email Opt Out` decides fax only.
    for file in ["salesforce_report.csv", "salesforce_data_loader.csv"] {
        let lars = row(file, "2");
        assert_eq!(
            (clean(&lars, "fax_consent"), clean(&lars, "unsubscribed")),
            ("false".into(), "false".into()),
            "{file}"
        );
        let kari = row(file, "3");
        assert_eq!(
            (clean(&kari, "unsubscribed"), clean(&kari, "phone_consent")),
            ("true".into(), "false".into()),
            "{file}"
        );
        assert_eq!(clean(&kari, "email_bounced"), "true", "{file}");
    }
    // Mailchimp: a filled UNSUB_TIME withdraws the consent OPTIN_TIME gave; CLEAN_TIME bounces.
    let sofie = row("mailchimp.csv", "2");
    assert_eq!((clean(&sofie, "email_consent"), clean(&sofie, "unsubscribed")), ("false".into(), "true".into()));
    assert_eq!(clean(&row("mailchimp.csv", "3"), "email_consent"), "true");
    assert_eq!(clean(&row("mailchimp.csv", "4"), "email_bounced"), "true");
    // Odoo: the phone blacklist is SMS's refusal, the blacklist e-mail's.
    let joanna = row("odoo.csv", "2");
    assert_eq!((clean(&joanna, "sms_consent"), clean(&joanna, "unsubscribed")), ("false".into(), "false".into()));
}

/// A HubSpot contact with `Unsubscribed from all email` = true comes out without e-mail consent,
/// in records.csv and golden.csv, however the consent column and a subscription opt-out read.
#[test]
fn unsubscribed_from_all_email_withdraws_consent() {
    let tmp = TempDir::new("hubspot_probe");
    let input = tmp.path().join("hubspot.csv");
    std::fs::write(
        &input,
        "Email,First Name,Last Name,Marketing Email Consent,Opted out of email: Customer Service Communication,Unsubscribed from all email\n\
         probe@example.com,Pia,Probe,true,false,true\n\
         other@example.com,Ola,Other,true,false,false\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    run_ok(&[input.to_str().unwrap()], &out, &[]);
    let records = table(&out.join("records.csv"));
    let golden = table(&out.join("golden.csv"));
    let consent = |rows: &[BTreeMap<String, String>], email_col: &str, col: &str, email: &str| {
        rows.iter().find(|r| r[email_col] == email).unwrap()[col].clone()
    };
    assert_eq!(consent(&records, "Email", "clean_email_consent", "probe@example.com"), "false");
    assert_eq!(consent(&golden, "email", "email_consent", "probe@example.com"), "false");
    assert_eq!(consent(&golden, "email", "unsubscribed", "probe@example.com"), "true");
    assert_eq!(consent(&golden, "email", "email_consent", "other@example.com"), "true");
}

/// A full HubSpot export has about 100 columns, most of them analytics that share a word with
/// a field (`First Page Seen`, `IP City`): they are no evidence of anything, and the warnings
/// that remain put consent first.
#[test]
fn a_full_hubspot_export_gets_few_looks_like_warnings() {
    let tmp = TempDir::new("hubspot_warnings");
    let input = root().join("fixtures/real_headers/hubspot_2023.csv");
    let (headers, _) = read_csv(&input);
    assert!(headers.len() >= 100, "{}", headers.len());
    let out = tmp.path().join("out");
    run_ok(&[input.to_str().unwrap()], &out, &[]);
    let looks = warnings(&report(&out), "unmapped_known_field");
    assert!(looks.len() <= 3, "{looks:#?}");
    assert!(!looks.iter().any(|m| m.contains("First Page Seen")), "{looks:#?}");
}

/// Strong evidence still warns, consent first: a qualifier on a known header, a consent
/// column that names two channels.
#[test]
fn looks_like_warnings_are_ranked_consent_first() {
    let tmp = TempDir::new("ranked_warnings");
    let input = tmp.path().join("c.csv");
    std::fs::write(
        &input,
        "First Name,Last Name,Email,Home Phone,First Page Seen,Opt out of SMS and email\n\
         Ann,Lee,ann@x.com,22334455,https://x.com/,no\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    run_ok(&[input.to_str().unwrap()], &out, &[]);
    let looks = warnings(&report(&out), "unmapped_known_field");
    assert_eq!(looks.len(), 2, "{looks:#?}");
    assert!(looks[0].contains("'Opt out of SMS and email'"), "{looks:#?}");
    assert!(looks[1].contains("'Home Phone'") && looks[1].contains("phone"), "{looks:#?}");
}

/// Two columns of one name (a Mailchimp list with two `Phone Number` merge fields) are both
/// kept, the second suffixed, with a warning; the file is not refused.
#[test]
fn two_columns_of_one_name_are_both_kept() {
    let tmp = TempDir::new("duplicate_headers");
    let input = tmp.path().join("list.csv");
    std::fs::write(&input, "EMAIL,First Name,EMAIL\nola@example.com,Ola,ola.private@example.com\n").unwrap();
    let out = tmp.path().join("out");
    run_ok(&[input.to_str().unwrap()], &out, &[]);
    let r = report(&out);
    let headers: Vec<&str> =
        r["inputs"][0]["header_mapping"].as_array().unwrap().iter().map(|m| m["header"].as_str().unwrap()).collect();
    assert_eq!(headers, ["EMAIL", "First Name", "EMAIL (2)"]);
    let warning = r["warnings"].as_array().unwrap().iter().find(|w| w["code"] == "duplicate_header").unwrap();
    assert!(warning["message"].as_str().unwrap().contains("column 3 has the same header as column 1"), "{warning}");
    let records = table(&out.join("records.csv"));
    assert_eq!(records[0]["EMAIL (2)"], "ola.private@example.com");
    assert_eq!(records[0]["clean_email"], "ola@example.com");
}

/// A phone column that is all invalid in a file without countries asks for `default_country`,
/// not whether it is the right column.
#[test]
fn an_all_invalid_phone_column_without_countries_asks_for_default_country() {
    let tmp = TempDir::new("phone_without_country");
    let (m, r2) = mostly_invalid_without_country(&tmp, "Phone Number", |i| format!("455 66 {:03}", 700 + i), "NO");
    assert!(m.contains("default_country") && m.contains("no country column"), "{m}");
    assert!(!m.contains("right column"), "{m}");
    // With a default country the numbers are read, and nothing is said.
    assert!(warnings(&r2, "mostly_invalid").is_empty(), "{}", r2["warnings"]);
}

/// Runs twelve Hansens with `column` filled by `value(i)` and no country, then again with
/// `default_country`: the first run's `mostly_invalid` warning, and the second run's report.
fn mostly_invalid_without_country(
    tmp: &TempDir,
    column: &str,
    value: impl Fn(usize) -> String,
    country: &str,
) -> (String, serde_json::Value) {
    let input = tmp.path().join("c.csv");
    let mut text = format!("First Name,Last Name,{column}\n");
    let names = ["Ola", "Kari", "Per", "Liv", "Nils", "Ane", "Odd", "Eva", "Tor", "Siv", "Jon", "Une"];
    for (i, name) in names.iter().enumerate() {
        text.push_str(&format!("{name},Hansen,{}\n", value(i)));
    }
    std::fs::write(&input, text).unwrap();
    let out = tmp.path().join("out");
    run_ok(&[input.to_str().unwrap()], &out, &[]);
    let r = report(&out);
    let m = warnings(&r, "mostly_invalid").into_iter().next().expect("a mostly_invalid warning");
    let config = tmp.path().join("c.toml");
    std::fs::write(&config, format!("default_country = \"{country}\"\n")).unwrap();
    let out2 = tmp.path().join("out2");
    run_ok(&[input.to_str().unwrap()], &out2, &["--config", config.to_str().unwrap()]);
    (m, report(&out2))
}

/// Issue 25: a currency column of bare `kr` in a file without countries cannot be coded; the
/// warning says why and what to do, and a default country reads it.
#[test]
fn a_kr_currency_column_without_countries_asks_for_default_country() {
    let tmp = TempDir::new("kr_without_country");
    let (m, r2) = mostly_invalid_without_country(&tmp, "Revenue,Currency", |i| format!("{},kr", 100 + i), "SE");
    assert!(m.contains("mapped to currency") && m.contains("default_country"), "{m}");
    assert!(warnings(&r2, "mostly_invalid").is_empty(), "{}", r2["warnings"]);
    assert_eq!(r2["health"]["revenue_by_currency"]["SEK"]["customers"], 12);
}
