//! No personal data outside the data files, and the same customers whatever the row order.

use super::*;
use std::collections::{BTreeMap, BTreeSet};

const DEMO: [&str; 2] = ["fixtures/demo/hubspot_contacts.csv", "fixtures/demo/nettbutikk_kunder.csv"];

#[test]
fn no_personal_data_in_reports_model_explanations_or_the_terminal() {
    let out = TempDir::new("privacy");
    let o = run_ok(&DEMO, out.path(), &["--rules", "rules", "--as-of", "2025-06-30"]);
    // Every verbosity: quiet, and with stage timings.
    let q = TempDir::new("privacy-q");
    let quiet = run_ok(&DEMO, q.path(), &["--rules", "rules", "--as-of", "2025-06-30", "--quiet"]);
    let mut args =
        vec!["run", DEMO[0], DEMO[1], "--out", q.path().to_str().unwrap(), "--rules", "rules", "--as-of", "2025-06-30"];
    let timed = regclean(&args, &[("REGCLEAN_TIMINGS", "1")]);
    assert!(timed.status.success());
    let (h, rows) = read_csv(&out.path().join("records.csv"));
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let mut secrets = BTreeSet::new();
    for r in &rows {
        for f in ["clean_email", "clean_mobile", "clean_phone"] {
            if r[col(f)].len() > 5 {
                secrets.insert(r[col(f)].clone());
            }
        }
        let full = format!("{} {}", r[col("clean_first_name")], r[col("clean_last_name")]);
        if full.len() > 6 {
            secrets.insert(full);
        }
        // Raw e-mails and phones too, as typed.
        for raw in ["Email", "E-post", "Mobile Phone Number", "Mobil"] {
            if let Some(c) = h.iter().position(|x| x == raw)
                && r[c].trim().len() > 5
            {
                secrets.insert(r[c].trim().to_string());
            }
        }
    }
    // A value such as `99999999` is its own mask and identifies nobody.
    secrets.retain(|s| !s.chars().all(|c| !c.is_alphanumeric() || c == '9'));
    assert!(secrets.len() > 300, "the demo has personal data to look for");
    let mut texts = vec![
        ("stderr".to_string(), String::from_utf8_lossy(&o.stderr).into_owned()),
        ("stderr --quiet".to_string(), String::from_utf8_lossy(&quiet.stderr).into_owned()),
        ("stderr with timings".to_string(), String::from_utf8_lossy(&timed.stderr).into_owned()),
    ];
    for f in ["report.json", "report.html", "model.json", "pairs.csv", "segments.csv", "review.csv"] {
        texts.push((f.to_string(), std::fs::read_to_string(out.path().join(f)).unwrap()));
    }
    for (name, text) in &texts {
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "{name} contains personal data");
        }
    }
    let html = &texts.iter().find(|(n, _)| n == "report.html").unwrap().1;
    assert!(html.contains("<svg"), "the report draws the flow of rows");
    for external in ["http://", "https://", "<script", "<link", " src="] {
        assert!(!html.contains(external), "report.html loads something: {external}");
    }
    // --show-samples is the one way to see values: invalid ones appear unmasked.
    args.push("--show-samples");
    let shown = regclean(&args, &[]);
    assert!(shown.status.success());
    let report = std::fs::read_to_string(q.path().join("report.json")).unwrap();
    // (19432 was the example until birth-date columns took Excel serials before 1954: it is
    // 1953-03-14 now.)
    assert!(report.contains("\"pattern\": \"1985-13-02\""), "an invalid birth date is shown with --show-samples");
}

/// Golden records keyed by the set of their members' record ids, with their content.
fn goldens_by_members(dir: &Path) -> BTreeMap<Vec<String>, Vec<String>> {
    let (h, rows) = read_csv(&dir.join("records.csv"));
    let (gid, rid) =
        (h.iter().position(|x| x == "golden_id").unwrap(), h.iter().position(|x| x == "Record ID").unwrap());
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &rows {
        members.entry(r[gid].clone()).or_default().push(r[rid].clone());
    }
    let (_, golden) = read_csv(&dir.join("golden.csv"));
    golden
        .into_iter()
        .map(|g| {
            let mut m = members[&g[0]].clone();
            m.sort();
            (m, g)
        })
        .collect()
}

#[test]
fn shuffling_the_rows_changes_no_golden_record_and_no_segment() {
    let tmp = TempDir::new("shuffle");
    // The HubSpot export has a record id per row; write its rows in a scrambled order.
    let text = std::fs::read_to_string(root().join(DEMO[0])).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    let mut records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let n = records.len();
    let mut order: Vec<usize> = (0..n).map(|i| (i * 7919 + 13) % n).collect();
    order.sort_by_key(|&i| (i * 104_729) % n);
    records = order.into_iter().map(|i| records[i].clone()).collect();
    let shuffled = tmp.path().join("hubspot_contacts.csv");
    let mut w = csv::Writer::from_path(&shuffled).unwrap();
    w.write_record(&header).unwrap();
    for r in &records {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    run_ok(&[DEMO[0]], &a, &["--rules", "rules", "--as-of", "2025-06-30"]);
    run_ok(&[shuffled.to_str().unwrap()], &b, &["--rules", "rules", "--as-of", "2025-06-30"]);
    let (ga, gb) = (goldens_by_members(&a), goldens_by_members(&b));
    assert_eq!(ga.len(), gb.len());
    for (members, golden) in &ga {
        assert_eq!(gb.get(members), Some(golden), "golden record of {members:?} changed");
    }
    let seg = |d: &Path| -> BTreeSet<Vec<String>> { read_csv(&d.join("segments.csv")).1.into_iter().collect() };
    assert_eq!(seg(&a), seg(&b));
}

#[test]
fn output_columns_limit_what_golden_csv_and_exports_carry() {
    let out = TempDir::new("mini");
    run_ok(&DEMO, out.path(), &["--rules", "rules", "--as-of", "2025-06-30", "--output-columns", "first_name,email"]);
    let (h, _) = read_csv(&out.path().join("golden.csv"));
    assert_eq!(h, ["golden_id", "member_count", "first_name", "email"]);
    let (h, rows) = read_csv(&out.path().join("segments/champions.csv"));
    assert_eq!(h, ["golden_id", "first_name", "email"]);
    assert!(!rows.is_empty());
    let o =
        regclean(&["run", DEMO[0], "--out", out.path().join("x").to_str().unwrap(), "--output-columns", "emial"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown column 'emial'; did you mean 'email'?"));
}

/// Canary values in invalid cells (two addresses in one cell, an address with two `@`, a name in
/// a phone field) never reach report.json, report.html or the terminal, masked or not.
#[test]
fn canaries_in_invalid_cells_stay_out_of_reports_and_messages() {
    let tmp = TempDir::new("canaries");
    let input = tmp.path().join("canaries.csv");
    std::fs::write(
        &input,
        "Customer ID,First Name,Last Name,Email,Phone\n\
         1,Zyxwa,Qoprst,zyxwa.qoprst@gmail.com; vutsr.qoprst@hotmail.com,+4791234567\n\
         2,Vutsr,Qoprst,vutsr@qoprstfam@gmail.com,call Zyxwa Qoprst\n\
         3,Ola,Nordmann,ola@x.no,+4798765432\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = run_ok(&[input.to_str().unwrap()], &out, &[]);
    let mut texts =
        vec![String::from_utf8_lossy(&o.stderr).into_owned(), String::from_utf8_lossy(&o.stdout).into_owned()];
    for f in ["report.json", "report.html", "model.json"] {
        texts.push(std::fs::read_to_string(out.join(f)).unwrap());
    }
    for canary in ["zyxwa", "vutsr", "qoprst", "Zyxwa", "Qoprst"] {
        for t in &texts {
            assert!(!t.contains(canary), "{canary} leaked");
        }
    }
}
