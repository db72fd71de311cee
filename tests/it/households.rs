//! Households (issue 29): a register with a family, twins, spouses, a couple with one landline,
//! a marked address, an office, a PO box, a student house and a son who moved out
//! (`fixtures/households/`) gets the right households.csv, one letter per home in a
//! one-per-household segment, and the counts in the report.

use super::*;
use std::collections::{BTreeMap, BTreeSet};

fn run_households(tmp: &TempDir) -> PathBuf {
    let dir = root().join("fixtures/households");
    let out = tmp.path().join("out");
    let (input, config, rules) = (dir.join("register.csv"), dir.join("regclean.toml"), dir.join("rules"));
    run_ok(
        &[input.to_str().unwrap()],
        &out,
        &["--config", config.to_str().unwrap(), "--rules", rules.to_str().unwrap()],
    );
    out
}

/// golden id → record id (every golden record here has one member).
fn record_ids(out: &Path) -> BTreeMap<String, String> {
    let (h, rows) = read_csv(&out.join("golden.csv"));
    let (g, r) = (h.iter().position(|c| c == "golden_id").unwrap(), h.iter().position(|c| c == "record_id").unwrap());
    rows.into_iter().map(|row| (row[g].clone(), row[r].clone())).collect()
}

#[test]
fn families_twins_and_spouses_are_households_offices_and_boxes_are_not() {
    let tmp = TempDir::new("households");
    let out = run_households(&tmp);
    let ids = record_ids(&out);
    assert_eq!(ids.len(), 23, "dedup must keep every person apart: {ids:?}");
    let (h, rows) = read_csv(&out.join("households.csv"));
    assert_eq!(h, ["golden_id", "household_id", "household_rule", "household_size", "household_members"]);
    assert_eq!(rows.len(), 23, "one row per golden record");
    // record id → (household id, rule, members as record ids)
    let mut of: BTreeMap<String, (String, String, BTreeSet<String>)> = BTreeMap::new();
    for r in &rows {
        let members: BTreeSet<String> = r[4].split(';').map(|m| ids[m].clone()).collect();
        assert_eq!(r[3], members.len().to_string());
        of.insert(ids[&r[0]].clone(), (r[1].clone(), r[2].clone(), members));
    }
    let set = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<BTreeSet<String>>();
    let expect = [
        (&["h1", "h2", "h3"][..], "address_and_surname"),
        (&["t1", "t2"][..], "address_and_surname"),
        (&["p1", "p2"][..], "address_and_surname"),
        (&["c1", "c2"][..], "shared_landline"),
        (&["m1", "m2"][..], "marked_address"),
    ];
    for (members, rule) in expect {
        let first = &of[members[0]];
        assert_eq!(first.2, set(members), "{members:?}");
        assert_eq!(first.1, rule, "{members:?}");
        for m in members {
            assert_eq!(of[*m].0, first.0, "{m} shares the household id of {members:?}");
        }
    }
    // Alone: the son who moved, the office, the PO box, the student house, Eva.
    for single in ["h4", "o1", "o2", "o3", "b1", "b2", "s1", "s2", "s3", "s4", "s5", "e1"] {
        assert_eq!(of[single].1, "single", "{single}");
        assert_eq!(of[single].2, set(&[single]), "{single}");
    }
    // The household id is the smallest member golden id with H for G.
    let hansen: Vec<&String> =
        ids.iter().filter(|(_, r)| ["h1", "h2", "h3"].contains(&r.as_str())).map(|(g, _)| g).collect();
    assert_eq!(of["h1"].0, format!("H{}", &hansen[0][1..]));

    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let hh = &report["households"];
    assert_eq!(hh["households"], 5);
    assert_eq!(hh["people_in_households"], 11);
    assert_eq!(hh["single_people"], 12);
    assert_eq!(hh["sizes"]["2"], 4);
    assert_eq!(hh["sizes"]["3"], 1);
    assert_eq!(hh["addresses_not_households"]["office"], 1);
    assert_eq!(hh["addresses_not_households"]["many_surnames"], 1);
    assert_eq!(hh["addresses_not_households"]["po_box"], 1);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<tr><th>Households of two or more</th><td class=\"n\">5</td></tr>"), "report.html");
    // Counts only: no name or address reaches the report.
    let text = String::from_utf8(std::fs::read(out.join("report.json")).unwrap()).unwrap();
    assert!(!text.contains("Bakkeveien") && !text.contains("Storgata"));
}

#[test]
fn a_one_per_household_segment_keeps_the_pick_and_counts_the_letters_saved() {
    let tmp = TempDir::new("households_segment");
    let out = run_households(&tmp);
    let ids = record_ids(&out);
    let (h, rows) = read_csv(&out.join("segments/letters.csv"));
    let g = h.iter().position(|c| c == "golden_id").unwrap();
    let kept: BTreeSet<&str> = rows.iter().map(|r| ids[&r[g]].as_str()).collect();
    // Highest revenue of each household: Kari Hansen (900), Ida Berg, Anna Kowalska, Mette Dahl,
    // Siri Moen; everyone who lives alone stays.
    let expected: BTreeSet<&str> =
        ["h2", "t2", "p2", "c2", "m2", "h4", "o1", "o2", "o3", "b1", "b2", "s1", "s2", "s3", "s4", "s5", "e1"]
            .into_iter()
            .collect();
    assert_eq!(kept, expected);
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let seg = |name: &str| report["segments"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap().clone();
    assert_eq!(seg("letters")["size"], 17);
    assert_eq!(seg("letters")["letters_saved"], 6);
    assert_eq!(seg("letters")["household_pick"], "highest_revenue");
    assert_eq!(seg("everyone")["size"], 23);
    assert!(seg("everyone").get("letters_saved").is_none());
    // consent_required: only those who consent to post stay, one per household (Per Hansen of
    // the Hansens; Jan Kowalski and Tom Lie, the smaller golden ids of two who both consent);
    // the Berg twins consent to nothing and get no letter.
    let (h, rows) = read_csv(&out.join("segments/post_letters.csv"));
    let g = h.iter().position(|c| c == "golden_id").unwrap();
    let kept: BTreeSet<&str> = rows.iter().map(|r| ids[&r[g]].as_str()).collect();
    assert_eq!(kept, ["c2", "e1", "h1", "m1", "o1", "p1", "s1"].into_iter().collect());
    assert_eq!(seg("post_letters")["letters_saved"], 2);
}

#[test]
fn a_household_pick_without_one_per_household_is_refused() {
    let tmp = TempDir::new("households_bad_pick");
    let rules = tmp.path().join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    let input = root().join("fixtures/households/register.csv");
    let out = tmp.path().join("out");
    // The run's exit code and stderr with one segment whose `household_pick` is `pick`.
    let run_with_pick = |pick: &str| {
        let text = format!("[[segment]]\nname = \"a\"\nwhen = \"last_name is set\"\nhousehold_pick = \"{pick}\"\n");
        std::fs::write(rules.join("bad.toml"), text).unwrap();
        let (input, out, rules) = (input.to_str().unwrap(), out.to_str().unwrap(), rules.to_str().unwrap());
        let o = regclean(&["run", input, "--out", out, "--as-of", AS_OF, "--rules", rules], &[]);
        (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
    };
    let (code, err) = run_with_pick("tallest");
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("bad.toml: line 4") && err.contains("unknown household pick 'tallest'"), "{err}");
    // A known pick without one_per_household is refused too.
    let (code, err) = run_with_pick("highest_revenue");
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("household_pick needs one_per_household = true"), "{err}");
    assert!(!out.exists());
}

#[test]
fn an_erased_person_leaves_households_csv_and_their_household() {
    let tmp = TempDir::new("households_erase");
    let out = run_households(&tmp);
    let ids = record_ids(&out);
    let per = ids.iter().find(|(_, r)| r.as_str() == "h1").map(|(g, _)| g.clone()).unwrap();
    let who = tmp.path().join("who.txt");
    std::fs::write(&who, "per.hansen@example.no\n").unwrap();
    let o = regclean(&["erase", out.to_str().unwrap(), "--who", who.to_str().unwrap(), "--as-of", AS_OF], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(out.join("households.csv")).unwrap();
    assert!(!text.contains(&per), "{text}");
    let (_, rows) = read_csv(&out.join("households.csv"));
    assert_eq!(rows.len(), 22);
    let kari = rows.iter().find(|r| ids[&r[0]] == "h2").unwrap();
    assert_eq!(kari[3], "2");
    let members: BTreeSet<&str> = kari[4].split(';').map(|m| ids[m].as_str()).collect();
    assert_eq!(members, ["h2", "h3"].into_iter().collect());
}
