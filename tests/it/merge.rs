//! Golden records, undo and decisions, end to end.

use super::*;
use std::collections::HashMap;

const DEMO: [&str; 2] = ["fixtures/demo/hubspot_contacts.csv", "fixtures/demo/nettbutikk_kunder.csv"];

/// golden_id -> member rows (source_file, source_line) from records.csv.
fn clusters(dir: &Path) -> HashMap<String, Vec<(String, String)>> {
    clusters_by(dir, "source_file", "source_line")
}

/// golden_id -> member rows named by two columns of records.csv.
fn clusters_by(dir: &Path, a: &str, b: &str) -> HashMap<String, Vec<(String, String)>> {
    let (h, rows) = read_csv(&dir.join("records.csv"));
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let (g, a, b) = (col("golden_id"), col(a), col(b));
    let mut m: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for r in rows {
        m.entry(r[g].clone()).or_default().push((r[a].clone(), r[b].clone()));
    }
    m
}

#[test]
fn golden_records_agree_with_records_and_audit() {
    let out = TempDir::new("golden");
    run_ok(&DEMO, out.path(), &[]);
    let by_golden = clusters_by(out.path(), "source", "record_key");
    let (h, golden) = read_csv(&out.path().join("golden.csv"));
    assert_eq!(golden.len(), by_golden.len(), "one golden row per golden_id");
    let count = h.iter().position(|x| x == "member_count").unwrap();
    for g in &golden {
        assert_eq!(g[count].parse::<usize>().unwrap(), by_golden[&g[0]].len());
    }
    // One audit entry per merge, with exactly the members records.csv shows.
    let audit = std::fs::read_to_string(out.path().join("audit.jsonl")).unwrap();
    let merges = by_golden.values().filter(|m| m.len() > 1).count();
    assert_eq!(audit.lines().count(), merges);
    for line in audit.lines() {
        let e: serde_json::Value = serde_json::from_str(line).unwrap();
        let mut members: Vec<(String, String)> = e["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["source"].as_str().unwrap().to_string(), m["record_key"].as_str().unwrap().to_string()))
            .collect();
        let mut expected = by_golden[e["golden_id"].as_str().unwrap()].clone();
        members.sort();
        expected.sort();
        assert_eq!(members, expected);
        assert!(!e["links"].as_array().unwrap().is_empty());
        assert_eq!(e["fields"]["revenue"]["rule"], "sum");
    }
}

#[test]
fn undo_gives_back_the_rows_and_a_decision_keeps_them_apart() {
    let tmp = TempDir::new("undo");
    let first = tmp.path().join("first");
    run_ok(&DEMO, &first, &[]);
    let by_golden = clusters(&first);
    // The largest merge, members all from the HubSpot export so one file holds them.
    let (gid, members) = by_golden
        .iter()
        .filter(|(_, m)| m.len() > 1 && m.iter().all(|(f, _)| f == "hubspot_contacts.csv"))
        .max_by_key(|(g, m)| (m.len(), std::cmp::Reverse((*g).clone())))
        .unwrap();
    let undone = tmp.path().join("undone.csv");
    let decisions = tmp.path().join("decisions.csv");
    let o = regclean(
        &[
            "undo",
            first.to_str().unwrap(),
            gid,
            "--to",
            undone.to_str().unwrap(),
            "--decisions",
            decisions.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The undone rows are the original rows: same header, same values, byte for byte.
    let original = std::fs::read_to_string(root().join(DEMO[0])).unwrap();
    let mut reader = csv::Reader::from_reader(original.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let input_rows: Vec<Vec<String>> =
        reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    // Members by record id (the first column of this export), as records.csv names them.
    let (rh, rrows) = read_csv(&first.join("records.csv"));
    let id_col = rh.iter().position(|x| x == "Record ID").unwrap();
    let ids: Vec<String> =
        rrows.iter().filter(|r| members.contains(&(r[0].clone(), r[1].clone()))).map(|r| r[id_col].clone()).collect();
    let (h, rows) = read_csv(&undone);
    assert_eq!(h, header);
    let mut expected: Vec<Vec<String>> = input_rows.into_iter().filter(|r| ids.contains(&r[0])).collect();
    let mut got = rows.clone();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
    // Undoing again into the same file is refused without --force and leaves it as it was.
    let before = std::fs::read(&undone).unwrap();
    let again = regclean(&["undo", first.to_str().unwrap(), gid, "--to", undone.to_str().unwrap()], &[]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists; give --force"));
    assert_eq!(std::fs::read(&undone).unwrap(), before);
    let forced = regclean(&["undo", first.to_str().unwrap(), gid, "--to", undone.to_str().unwrap(), "--force"], &[]);
    assert!(forced.status.success(), "{}", String::from_utf8_lossy(&forced.stderr));

    // The next run obeys the decisions: the members are no longer together.
    let second = tmp.path().join("second");
    run_ok(&DEMO, &second, &["--decisions", decisions.to_str().unwrap()]);
    let after = clusters(&second);
    let golden_of: HashMap<&(String, String), &String> =
        after.iter().flat_map(|(g, m)| m.iter().map(move |r| (r, g))).collect();
    for a in 0..members.len() {
        for b in a + 1..members.len() {
            assert_ne!(
                golden_of[&members[a]], golden_of[&members[b]],
                "{:?} and {:?} still merged",
                members[a], members[b]
            );
        }
    }
}

#[test]
fn a_same_decision_joins_and_an_unknown_record_is_refused() {
    let tmp = TempDir::new("same");
    let first = tmp.path().join("first");
    run_ok(&DEMO, &first, &[]);
    let by_golden = clusters(&first);
    let mut singles: Vec<&(String, String)> = by_golden.values().filter(|m| m.len() == 1).map(|m| &m[0]).collect();
    singles.sort();
    let (a, b) = (singles[0], singles[singles.len() - 1]);
    let decisions = tmp.path().join("d.csv");
    std::fs::write(&decisions, format!("record_a,record_b,decision\n{}:{},{}:{},same\n", a.0, a.1, b.0, b.1)).unwrap();
    let second = tmp.path().join("second");
    run_ok(&DEMO, &second, &["--decisions", decisions.to_str().unwrap()]);
    let after = clusters(&second);
    assert!(after.values().any(|m| m.contains(a) && m.contains(b)), "a 'same' decision must join");

    std::fs::write(&decisions, "record_a,record_b,decision\nNO-SUCH-ID,hubspot_contacts.csv:2,different\n").unwrap();
    let third = tmp.path().join("third");
    let o = regclean(
        &["run", DEMO[0], DEMO[1], "--out", third.to_str().unwrap(), "--decisions", decisions.to_str().unwrap()],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("line 2, column 1: unknown record"), "{stderr}");
    assert!(!stderr.contains("NO-SUCH-ID"), "errors never quote a record id: {stderr}");
    assert!(!third.exists() || std::fs::read_dir(&third).unwrap().next().is_none(), "nothing may be written");
}

#[test]
fn explain_shows_members_rules_and_origins() {
    let out = TempDir::new("explain");
    run_ok(&DEMO, out.path(), &[]);
    let by_golden = clusters(out.path());
    let (gid, members) = by_golden.iter().filter(|(_, m)| m.len() > 1).min_by_key(|(g, _)| (*g).clone()).unwrap();
    let o = regclean(&["explain", out.path().to_str().unwrap(), gid], &[]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.starts_with(&format!("golden record {gid}: {} members", members.len())), "{text}");
    // Every link with its evidence on the threshold's basis, field by field, the prior apart.
    assert!(text.contains("evidence") && text.contains("(threshold 12.00)"), "{text}");
    let link = text.lines().find(|l| l.contains(" evidence ")).unwrap();
    let evidence: f64 = link.split("evidence ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    let bits: f64 = text
        .lines()
        .skip_while(|l| *l != link)
        .skip(1)
        .take_while(|l| l.starts_with("      ") && !l.trim_start().starts_with("prior"))
        .map(|l| l.split_whitespace().last().unwrap().parse::<f64>().unwrap())
        .sum();
    assert!((bits - evidence).abs() < 0.02, "fields add up to the evidence: {bits} vs {evidence}\n{text}");
    assert!(text.contains("kept apart from the evidence"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("revenue") && l.contains("sum")), "{text}");
    let o = regclean(&["explain", out.path().to_str().unwrap(), "GNOPE"], &[]);
    assert_eq!(o.status.code(), Some(2));
}
