//! `regclean measure` and A/B variants, end to end: the fixture's measure.json (set
//! `REGCLEAN_BLESS=1` to rewrite it after a deliberate change), the generator reproducing the
//! committed results file, per-variant exports, the history file, and no personal data.

use super::*;

const DEMO: [&str; 2] = ["fixtures/demo/hubspot_contacts.csv", "fixtures/demo/nettbutikk_kunder.csv"];

/// Runs the demo register with the measure fixture's rules into `out/run`.
fn run_fixture(out: &Path, extra: &[&str]) -> PathBuf {
    let run = out.join("run");
    let mut args = vec!["--rules", "fixtures/measure/rules", "--as-of", "2025-06-30"];
    args.extend(extra);
    run_ok(&DEMO, &run, &args);
    run
}

fn ok(o: &Output) {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn fixture_measure_json_matches_expected() {
    let tmp = TempDir::new("measure-fixture");
    let run = run_fixture(tmp.path(), &[]);
    let run_s = run.to_string_lossy().into_owned();
    // The committed results are what the generator writes for this run and seed.
    let results = tmp.path().join("results.csv");
    ok(&regclean(&["generate", "--campaign", &run_s, "--out", &results.to_string_lossy(), "--seed", "7"], &[]));
    let committed = root().join("fixtures/measure/results.csv");
    let bless = std::env::var_os("REGCLEAN_BLESS").is_some();
    if bless {
        std::fs::copy(&results, &committed).unwrap();
    }
    assert_eq!(std::fs::read(&results).unwrap(), std::fs::read(&committed).unwrap(), "generate --campaign changed");
    let out = tmp.path().join("measure");
    ok(&regclean(&["measure", &run_s, "fixtures/measure/results.csv", "--out", &out.to_string_lossy()], &[]));
    let got = std::fs::read_to_string(out.join("measure.json")).unwrap();
    let expected = root().join("fixtures/measure/expected/measure.json");
    if bless {
        std::fs::create_dir_all(expected.parent().unwrap()).unwrap();
        std::fs::write(&expected, &got).unwrap();
    }
    let want = std::fs::read_to_string(&expected).expect("expected/measure.json; run with REGCLEAN_BLESS=1");
    if got != want {
        let line = got.lines().zip(want.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "measure.json differs at line {}:\n got: {}\nwant: {}",
            line + 1,
            got.lines().nth(line).unwrap_or(""),
            want.lines().nth(line).unwrap_or("")
        );
    }
    let m: serde_json::Value = serde_json::from_str(&got).unwrap();
    // The generator's broken split lost recipients of c_rest's variant b (too few in this small
    // register for the SRM test to be sure: see the larger generated campaign below); the rows
    // of strangers are counted, not dropped.
    let segs = m["segments"].as_array().unwrap();
    let c = segs.iter().find(|s| s["segment"] == "c_rest").unwrap();
    let b = c["arms"].as_array().unwrap().iter().find(|a| a["arm"] == "b").unwrap();
    assert!(b["recipients"].as_u64() < b["assigned"].as_u64(), "{b}");
    assert_eq!(m["matching"]["unmatched_rows"], 3);
    assert!(segs.iter().all(|s| {
        s["comparisons"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["method"] == "newcombe_wilson" || c["method"] == "welch_t")
    }));
    // No personal data: no e-mail address or phone of the results in either file.
    let html = std::fs::read_to_string(out.join("measure.html")).unwrap();
    assert!(!html.contains("http") && !html.contains("<script") && !html.contains("<link"), "self-contained");
    for text in [&got, &html] {
        assert!(!text.contains('@'), "an e-mail address in the output");
        assert!(!text.contains("+47"), "a phone number in the output");
    }
}

#[test]
fn variants_are_listed_exported_per_variant_and_stable() {
    let tmp = TempDir::new("measure-variants");
    let run = run_fixture(tmp.path(), &[]);
    let (header, rows) = read_csv(&run.join("segments.csv"));
    assert_eq!(header, ["golden_id", "segment", "holdout", "variant"]);
    for r in &rows {
        match (r[1].as_str(), r[2].as_str(), r[3].as_str()) {
            (_, "true", v) => assert_eq!(v, "holdout"),
            ("c_rest", _, v) => assert!(v == "a" || v == "b", "{r:?}"),
            ("b_nordics_dk_se", _, v) => assert!(["x", "y", "z"].contains(&v), "{r:?}"),
            (_, _, v) => assert_eq!(v, "", "{r:?}"),
        }
    }
    let exports: Vec<String> = files_in(&run.join("segments")).into_iter().map(|f| f.0).collect();
    assert_eq!(
        exports,
        [
            "a_norway.csv",
            "b_nordics_dk_se.x.csv",
            "b_nordics_dk_se.y.csv",
            "b_nordics_dk_se.z.csv",
            "c_rest.a.csv",
            "c_rest.b.csv"
        ]
    );
    // Each variant's export lists exactly its members.
    let (_, a) = read_csv(&run.join("segments/c_rest.a.csv"));
    let want: Vec<&str> = rows.iter().filter(|r| r[1] == "c_rest" && r[3] == "a").map(|r| r[0].as_str()).collect();
    assert_eq!(a.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), want);
    // The same salt gives the same variants on another run.
    let again = run_fixture(&tmp.path().join("again"), &[]);
    assert_eq!(std::fs::read(run.join("segments.csv")).unwrap(), std::fs::read(again.join("segments.csv")).unwrap());
}

#[test]
fn a_bad_variants_table_is_refused_with_its_position() {
    let tmp = TempDir::new("measure-bad-rules");
    let rules = tmp.path().join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::write(
        rules.join("ab.toml"),
        "[[segment]]\nname = \"ab\"\nwhen = \"email is set\"\nholdout_percent = 10\nvariants = { a = 45, b = 40 }\n",
    )
    .unwrap();
    let o = regclean(&["check-rules", &rules.to_string_lossy()], &[]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("ab.toml: line 5, column 12: variant shares and holdout_percent must add up to 100"), "{err}");
}

#[test]
fn history_grows_by_one_line_per_segment_and_report_json_shows_it() {
    let tmp = TempDir::new("measure-history");
    let history = tmp.path().join("history.jsonl");
    let h = history.to_string_lossy().into_owned();
    let run = run_fixture(tmp.path(), &["--history", &h]);
    let first = std::fs::read_to_string(&history).unwrap();
    // Three segments, plus three and two variants.
    assert_eq!(first.lines().count(), 3 + 3 + 2, "{first}");
    assert!(first.lines().all(|l| l.contains("\"kind\":\"run\"") && l.contains("\"as_of\":\"2025-06-30\"")));
    let run2 = run_fixture(&tmp.path().join("second"), &["--history", &h]);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run2.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["segment_history"].as_array().unwrap().len(), 16);
    let out = tmp.path().join("m");
    ok(&regclean(
        &[
            "measure",
            &run.to_string_lossy(),
            "fixtures/measure/results.csv",
            "--out",
            &out.to_string_lossy(),
            "--history",
            &h,
        ],
        &[],
    ));
    let all = std::fs::read_to_string(&history).unwrap();
    let measured: Vec<&str> = all.lines().filter(|l| l.contains("\"kind\":\"measure\"")).collect();
    // One line per arm: 2 + 4 + 3.
    assert_eq!(measured.len(), 9, "{all}");
    assert!(measured.iter().all(|l| l.contains("conversion_rate")));
}

#[test]
fn unusable_results_are_refused_with_the_file_named() {
    let tmp = TempDir::new("measure-bad-results");
    let run = run_fixture(tmp.path(), &[]);
    let bad = tmp.path().join("weird.csv");
    std::fs::write(&bad, "name,score\nx,1\n").unwrap();
    let o = regclean(
        &["measure", &run.to_string_lossy(), &bad.to_string_lossy(), "--out", &tmp.path().join("m").to_string_lossy()],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("weird.csv: line 1: no column to find the customer by"), "{err}");
}

#[test]
fn a_generated_campaign_shows_its_broken_split() {
    let tmp = TempDir::new("measure-generated");
    let p = |name: &str| tmp.path().join(name).to_string_lossy().into_owned();
    let rules = tmp.path().join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    let seg = |name: &str, when: &str, priority: u32| {
        format!(
            "[[segment]]\nname = \"{name}\"\nwhen = \"{when}\"\nexclusive_group = \"c\"\npriority = {priority}\n\
             require_consent = \"none\"\ninclude_stale = true\nholdout_percent = 10\nvariants = {{ a = 45, b = 45 }}\n"
        )
    };
    let text = [
        seg("effect", "country = 'NO'", 1),
        seg("flat", "country in ['SE', 'DK']", 2),
        seg("split", "member_count >= 1", 3),
    ]
    .concat();
    std::fs::write(rules.join("campaign.toml"), text).unwrap();
    ok(&regclean(&["generate", "--rows", "8000", "--seed", "11", "--out", &p("register.csv")], &[]));
    run_ok(&[&p("register.csv")], &tmp.path().join("run"), &["--rules", &p("rules")]);
    ok(&regclean(&["generate", "--campaign", &p("run"), "--out", &p("results.csv"), "--seed", "3"], &[]));
    ok(&regclean(&["measure", &p("run"), &p("results.csv"), "--out", &p("m")], &[]));
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("m/measure.json")).unwrap()).unwrap();
    let seg = |name: &str| m["segments"].as_array().unwrap().iter().find(|s| s["segment"] == name).unwrap().clone();
    let split = seg("split");
    assert_eq!(split["srm"]["mismatch"], true, "{}", split["srm"]);
    assert!(split["srm"]["recipients"]["p_value"].as_f64().unwrap() < 0.001);
    for name in ["effect", "flat"] {
        assert_eq!(seg(name)["srm"]["mismatch"], false, "{name}: {}", seg(name)["srm"]);
        // The generated results have no campaign column, so they cannot show a leak.
        assert_eq!(seg(name)["holdout_leaked"], serde_json::Value::Null);
    }
    assert!(
        m["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("SAMPLE RATIO MISMATCH in segment 'split'"))
    );
    one_verdict_per_segment(&m);
}

/// A segment whose test was smaller than planned but found a difference anyway has one
/// verdict: its winner, "though the test was smaller than planned"; never "too small to test"
/// beside a winner.
fn one_verdict_per_segment(m: &serde_json::Value) {
    let warnings: Vec<&str> = m["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    for s in m["segments"].as_array().unwrap() {
        let name = s["segment"].as_str().unwrap();
        let winner = s["comparisons"].as_array().unwrap().iter().any(|c| !c["winner"].is_null());
        let small = s["mde"]["too_small_to_test"] == true;
        let said_small = warnings.iter().any(|w| w.contains(&format!("segment '{name}' is too small to test")));
        let said_winner = warnings.iter().any(|w| {
            w.contains(&format!("segment '{name}' has a winner"))
                && w.contains("though the test was smaller than planned")
        });
        assert_eq!(said_small, small && !winner, "{name}: {warnings:?}");
        assert_eq!(said_winner, small && winner, "{name}: {warnings:?}");
    }
}

#[test]
fn an_underpowered_test_that_finds_a_difference_names_its_winner() {
    // The README's walkthrough: the shipped A/B segment on a generated register.
    let tmp = TempDir::new("measure-underpowered");
    let p = |name: &str| tmp.path().join(name).to_string_lossy().into_owned();
    ok(&regclean(&["generate", "--rows", "20000", "--seed", "3", "--out", &p("register.csv")], &[]));
    run_ok(&[&p("register.csv")], &tmp.path().join("out"), &["--rules", "rules", "--as-of", "2026-06-30"]);
    ok(&regclean(&["generate", "--campaign", &p("out"), "--out", &p("results.csv"), "--seed", "7"], &[]));
    ok(&regclean(&["measure", &p("out"), &p("results.csv"), "--out", &p("m")], &[]));
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("m/measure.json")).unwrap()).unwrap();
    let s = &m["segments"][0];
    assert_eq!(s["mde"]["too_small_to_test"], true, "{s}");
    assert!(s["comparisons"].as_array().unwrap().iter().any(|c| !c["winner"].is_null()), "{s}");
    one_verdict_per_segment(&m);
    let html = std::fs::read_to_string(tmp.path().join("m/measure.html")).unwrap();
    assert!(!html.contains("Too small to test"), "no 'too small to test' beside a winner");
    assert!(html.contains("though the test was smaller than planned"));
}

#[test]
fn a_leak_is_reported_only_when_the_results_name_the_campaign() {
    let tmp = TempDir::new("measure-leak");
    let run = run_fixture(tmp.path(), &[]);
    // A held-out member and a treated one of the fixture's first tested segment.
    let segments = std::fs::read_to_string(run.join("segments.csv")).unwrap();
    let rows: Vec<Vec<&str>> = segments.lines().skip(1).map(|l| l.split(',').collect()).collect();
    let name = rows.iter().find(|r| r[2] == "true").unwrap()[1];
    let held = rows.iter().find(|r| r[1] == name && r[2] == "true").unwrap()[0];
    let treated = rows.iter().find(|r| r[1] == name && r[2] == "false").unwrap()[0];
    let measure = |file: &str, text: String| {
        let results = tmp.path().join(file);
        std::fs::write(&results, text).unwrap();
        let out = tmp.path().join(format!("m-{file}"));
        ok(&regclean(
            &["measure", &run.to_string_lossy(), &results.to_string_lossy(), "--out", &out.to_string_lossy()],
            &[],
        ));
        let m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("measure.json")).unwrap()).unwrap();
        let s = m["segments"].as_array().unwrap().iter().find(|s| s["segment"] == name).unwrap().clone();
        let warned = m["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().contains("holdout leaked"));
        (s["holdout_leaked"].clone(), warned)
    };
    // With a campaign column: the held-out member sent this segment's campaign is a leak.
    let named = format!("golden_id,campaign,delivered\n{held},{name},true\n{treated},{name},true\n");
    assert_eq!(measure("named.csv", named), (serde_json::json!(1), true));
    // Sent another campaign: no leak of this one.
    let other = format!("golden_id,campaign,delivered\n{held},another_campaign,true\n{treated},{name},true\n");
    assert_eq!(measure("other.csv", other), (serde_json::json!(0), false));
    // Without one, the results cannot show a leak: none is reported.
    let unnamed = format!("golden_id,delivered\n{held},true\n{treated},true\n");
    assert_eq!(measure("unnamed.csv", unnamed), (serde_json::Value::Null, false));
}
