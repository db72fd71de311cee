//! Warnings (issue 18): what a run says when it succeeded but produced less than it seems,
//! and the per-column and per-header decisions behind them: the date order of a column, flags
//! recognised by the words of their header, opt-out columns written as permissions.

use super::*;

fn report(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap()
}

fn codes(out: &Path) -> Vec<String> {
    report(out)["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap().to_string()).collect()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

/// golden.csv as maps from column to value.
fn golden(out: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let (h, rows) = read_csv(&out.join("golden.csv"));
    rows.into_iter().map(|r| h.iter().cloned().zip(r).collect()).collect()
}

#[test]
fn a_us_column_is_read_month_first_throughout() {
    let tmp = TempDir::new("us_dates");
    let input = write(
        tmp.path(),
        "us.csv",
        "First Name,Last Name,Email,Birthday,Email Opt In\n\
         Ann,Lee,ann@x.com,3/14/1980,yes\n\
         Bob,Ray,bob@x.com,4/5/1990,yes\n",
    );
    let out = tmp.path().join("out");
    run_ok(&[&input], &out, &[]);
    let births: Vec<String> = golden(&out).iter().map(|g| g["birth_date"].clone()).collect();
    // Read value by value, 4/5/1990 would be the 4th of May; the column proves month first.
    assert!(births.contains(&"1990-04-05".to_string()), "{births:?}");
    assert!(births.contains(&"1980-03-14".to_string()), "{births:?}");
    let col = &report(&out)["inputs"][0]["date_columns"][0];
    assert_eq!((col["order"].as_str(), col["decided_by"].as_str()), (Some("month_first"), Some("values")));
    assert!(!codes(&out).contains(&"ambiguous_date_order".to_string()));
}

#[test]
fn an_undecided_column_is_warned_about_unless_the_config_fixes_it() {
    let tmp = TempDir::new("ambiguous_dates");
    let input = write(
        tmp.path(),
        "d.csv",
        "First Name,Last Name,Email,Birthday,Email Opt In\n\
         Ann,Lee,ann@x.com,4/5/1990,yes\n\
         Bob,Ray,bob@x.com,6/7/1985,yes\n",
    );
    let out = tmp.path().join("out");
    run_ok(&[&input], &out, &[]);
    let r = report(&out);
    let w = r["warnings"].as_array().unwrap().iter().find(|w| w["code"] == "ambiguous_date_order").unwrap().clone();
    assert_eq!((w["field"].as_str(), w["file"].as_str()), (Some("birth_date"), Some("d.csv")));
    assert!(!w["message"].as_str().unwrap().contains("1990"), "no value in a warning: {w}");
    let config = write(tmp.path(), "regclean.toml", "date_order = \"month_first\"\n");
    let out2 = tmp.path().join("out2");
    run_ok(&[&input], &out2, &["--config", &config]);
    assert!(!codes(&out2).contains(&"ambiguous_date_order".to_string()));
    let births: Vec<String> = golden(&out2).iter().map(|g| g["birth_date"].clone()).collect();
    assert!(births.contains(&"1990-04-05".to_string()), "{births:?}");
    assert_eq!(report(&out2)["inputs"][0]["date_columns"][0]["decided_by"], "config");
}

#[test]
fn silent_degradations_are_warned_about_on_the_console_and_in_the_report() {
    let tmp = TempDir::new("degradations");
    let mut text = String::from("First Name,Last Name,Phone,Home Phone,Contact\n");
    for i in 0..20 {
        // Half the phone column is not a phone number: mapped to the wrong column?
        let phone = if i % 2 == 0 { format!("+4791{:06}", 100_000 + i) } else { format!("order {i}") };
        text.push_str(&format!("P{i},Q{i},{phone},+4722{:06},p{i}@example.com\n", 100_000 + i));
    }
    let input = write(tmp.path(), "c.csv", &text);
    let empty = write(tmp.path(), "weekly.csv", "First Name,Last Name,Email\n");
    let out = tmp.path().join("out");
    let o = run_ok(&[&input, &empty], &out, &["--rules", root().join("rules").to_str().unwrap()]);
    let c = codes(&out);
    for code in ["empty_input", "mostly_invalid", "unmapped_known_field", "no_consent_column", "empty_segments"] {
        assert!(c.contains(&code.to_string()), "{code} missing from {c:?}");
    }
    let r = report(&out);
    let unmapped: Vec<&str> = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "unmapped_known_field")
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert!(unmapped.iter().any(|m| m.contains("'Home Phone'")), "{unmapped:?}");
    assert!(unmapped.iter().any(|m| m.contains("'Contact'") && m.contains("email")), "{unmapped:?}");
    // On the console after the summary line, and never a value.
    let stderr = String::from_utf8_lossy(&o.stderr);
    let summary = stderr.find("rows read").unwrap();
    let warning = stderr.find("warning: ").unwrap();
    assert!(warning > summary, "{stderr}");
    assert!(!stderr.contains("example.com") && !stderr.contains("order 1"), "{stderr}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("class=\"warnings\""));
}

#[test]
fn dynamics_permissions_and_hubspot_bounces_reach_the_flags() {
    let tmp = TempDir::new("flags");
    let input = write(
        tmp.path(),
        "dyn.csv",
        "First Name,Last Name,Email,Do not allow Bulk Emails,Email hard bounce\n\
         Ann,Lee,ann@x.com,Do Not Allow,false\n\
         Bob,Ray,bob@x.com,Allow,true\n",
    );
    let out = tmp.path().join("out");
    run_ok(&[&input], &out, &[]);
    let g = golden(&out);
    let by_email = |e: &str| g.iter().find(|r| r["email"] == e).unwrap().clone();
    assert_eq!(by_email("ann@x.com")["unsubscribed"], "true");
    assert_eq!(by_email("bob@x.com")["unsubscribed"], "false");
    assert_eq!(by_email("bob@x.com")["email_bounced"], "true");
    let mapping = &report(&out)["inputs"][0]["header_mapping"];
    assert_eq!(mapping[4]["how"], "words");
}

/// Issue 25 item 9: our own demo is valid data. Its phones, org numbers and postcodes pass the
/// checks customers' do, so a clean demo run warns about none of them (it warned that 28-32% of
/// its phone columns were invalid: the generator wrote unallocated ranges).
#[test]
fn the_demo_warns_about_none_of_its_own_values() {
    let tmp = TempDir::new("demo_valid");
    let demo = ["fixtures/demo/hubspot_contacts.csv", "fixtures/demo/nettbutikk_kunder.csv"];
    run_ok(&demo, tmp.path(), &["--as-of", "2025-06-30"]);
    let r = report(tmp.path());
    let mostly_invalid: Vec<&str> = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "mostly_invalid")
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert!(mostly_invalid.is_empty(), "{mostly_invalid:?}");
    // Org numbers: still 12 of 66 invalid (below the warning's threshold); the generator's org
    // numbers are not fixed yet.
    for field in ["phone", "mobile", "postcode"] {
        let q = &r["fields"][field];
        let (invalid, valid) =
            (q["invalid"].as_u64().unwrap(), q["valid"].as_u64().unwrap() + q["fixed"].as_u64().unwrap());
        assert!(invalid * 10 <= valid, "{field}: {invalid} invalid of {}", invalid + valid);
    }
}
