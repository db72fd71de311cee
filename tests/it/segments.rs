//! Stale flags, segments, holdouts, drift and rule errors on the demo with the shipped rules.

use super::*;
use std::collections::HashMap;

const DEMO: [&str; 2] = ["fixtures/demo/hubspot_contacts.csv", "fixtures/demo/nettbutikk_kunder.csv"];
const DEMO_AS_OF: &str = "2025-06-30";

fn run_demo(out: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--rules", "rules", "--as-of", DEMO_AS_OF];
    args.extend_from_slice(extra);
    run_ok(&DEMO, out, &args);
    serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap()
}

#[test]
fn exports_hold_only_consented_fresh_members_and_the_report_adds_up() {
    let out = TempDir::new("seg");
    let report = run_demo(out.path(), &[]);
    let (gh, golden) = read_csv(&out.path().join("golden.csv"));
    let col = |n: &str| gh.iter().position(|h| h == n).unwrap();
    let by_id: HashMap<&str, &Vec<String>> = golden.iter().map(|g| (g[0].as_str(), g)).collect();
    let (_, memberships) = read_csv(&out.path().join("segments.csv"));
    let segments = report["segments"].as_array().unwrap();
    // The RFM family exists by name.
    for name in [
        "champions",
        "loyal",
        "potential_loyalists",
        "new_customers",
        "promising",
        "need_attention",
        "about_to_sleep",
        "at_risk",
        "cant_lose_them",
        "hibernating",
    ] {
        assert!(segments.iter().any(|s| s["name"] == name), "{name} missing");
    }
    for s in segments {
        let name = s["name"].as_str().unwrap();
        let members: Vec<&Vec<String>> = memberships.iter().filter(|m| m[1] == name).collect();
        assert_eq!(s["size"].as_u64().unwrap() as usize, members.len(), "{name}");
        assert_eq!(s["holdout"].as_u64().unwrap() as usize, members.iter().filter(|m| m[2] == "true").count());
        let (_, export) = read_csv(&out.path().join(format!("segments/{name}.csv")));
        assert_eq!(
            export.len(),
            members.len() - s["holdout"].as_u64().unwrap() as usize,
            "{name}: export = members - holdout"
        );
        for row in &export {
            let g = by_id[row[0].as_str()];
            assert_eq!(g[col("email_consent")], "true", "{name}: exported {} without e-mail consent", row[0]);
            assert_ne!(g[col("unsubscribed")], "true");
            if s["require_consent"] == "email" {
                assert_ne!(g[col("email_bounced")], "true", "{name}: exported bounced {} for e-mail", row[0]);
            }
            if !s["include_stale"].as_bool().unwrap() {
                assert_eq!(g[col("stale")], "false", "{name}: exported stale {}", row[0]);
            }
        }
    }
    // The demo holds consenting customers whose address bounced, so the check above can fail.
    let bounced_with_consent = golden
        .iter()
        .filter(|g| {
            g[col("email_consent")] == "true" && g[col("email_bounced")] == "true" && g[col("stale")] == "false"
        })
        .count();
    assert!(bounced_with_consent > 0);
    // Stale: every stale record has reasons; the report counts them.
    let stale = &report["stale"];
    let n_stale = golden.iter().filter(|g| g[col("stale")] == "true").count();
    assert_eq!(stale["stale_records"].as_u64().unwrap() as usize, n_stale);
    assert!(golden.iter().all(|g| (g[col("stale")] == "true") != g[col("stale_reasons")].is_empty()));
    assert!(stale["by_reason"]["inactive"].as_u64().unwrap() > 0);
}

#[test]
fn holdouts_are_stable_and_drift_reconciles() {
    let (a, b) = (TempDir::new("hold-a"), TempDir::new("hold-b"));
    run_demo(a.path(), &[]);
    let report = run_demo(b.path(), &["--previous", a.path().to_str().unwrap()]);
    assert_eq!(
        std::fs::read(a.path().join("segments.csv")).unwrap(),
        std::fs::read(b.path().join("segments.csv")).unwrap()
    );
    for s in report["segments"].as_array().unwrap() {
        let n = |k: &str| s[k].as_u64().unwrap();
        assert_eq!(n("size"), n("previous_size") - n("left") + n("entered"), "{}", s["name"]);
        assert_eq!(n("stayed"), n("size"));
    }
    // A later --as-of moves people between segments, and the counts still reconcile.
    let c = TempDir::new("hold-c");
    run_ok(&DEMO, c.path(), &["--rules", "rules", "--as-of", "2026-06-30", "--previous", a.path().to_str().unwrap()]);
    let later: serde_json::Value =
        serde_json::from_slice(&std::fs::read(c.path().join("report.json")).unwrap()).unwrap();
    let moved: u64 = later["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["left"].as_u64().unwrap() + s["entered"].as_u64().unwrap())
        .sum();
    assert!(moved > 0);
    // A customer's holdout draw depends only on the salt and the golden id: whoever is a
    // member of the A/B segment in both runs is held out in both or in neither.
    let members = |dir: &Path| -> HashMap<String, bool> {
        read_csv(&dir.join("segments.csv"))
            .1
            .into_iter()
            .filter(|m| m[1] == "newsletter_ab_2026q4")
            .map(|m| (m[0].clone(), m[2] == "true"))
            .collect()
    };
    let (m1, m2) = (members(a.path()), members(c.path()));
    let both: Vec<&String> = m1.keys().filter(|id| m2.contains_key(*id)).collect();
    assert!(!both.is_empty());
    for id in both {
        assert_eq!(m1[id], m2[id], "{id} changed holdout between runs");
    }
}

#[test]
fn a_misspelt_field_is_refused_by_check_rules_and_run() {
    let tmp = TempDir::new("badrules");
    let rules = tmp.path().join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::write(
        rules.join("value.toml"),
        "# value\n[[segment]]\nname = \"big_spenders\"\ndescription = \"x\"\nwhen = \"revnue > 1000\"\n",
    )
    .unwrap();
    let expected = "value.toml: line 5, column 9: unknown field 'revnue'; did you mean 'revenue'?";
    let o = regclean(&["check-rules", rules.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains(expected), "{}", String::from_utf8_lossy(&o.stderr));
    let out = tmp.path().join("out");
    let o = regclean(&["run", DEMO[0], "--out", out.to_str().unwrap(), "--rules", rules.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains(expected));
    assert!(!out.exists(), "a run with a bad rule writes nothing");
    let o = regclean(&["check-rules", "rules"], &[]);
    assert!(o.status.success(), "the shipped rules are valid: {}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_failed_quality_gate_exits_3_and_still_writes_everything() {
    let tmp = TempDir::new("gates");
    let config = tmp.path().join("gates.toml");
    std::fs::write(
        &config,
        "[quality_gates]\nmax_quarantined_share = 0.005\n[quality_gates.max_invalid_share]\nemail = 0.5\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = regclean(
        &[
            "run",
            DEMO[0],
            DEMO[1],
            "--out",
            out.to_str().unwrap(),
            "--as-of",
            DEMO_AS_OF,
            "--config",
            config.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(3), "{}", String::from_utf8_lossy(&o.stderr));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("quality gates failed") && stderr.contains("quarantined share: 0.008696 (limit 0.005)"),
        "{stderr}"
    );
    assert!(!stderr.contains("invalid email share"), "a passing gate is not listed as failed: {stderr}");
    for f in ["records.csv", "golden.csv", "report.json", "quarantine.csv"] {
        assert!(out.join(f).exists(), "{f} not written");
    }
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["quality_gates"]["passed"], false);
}

#[test]
fn report_html_draws_segment_sizes_run_after_run_from_the_history() {
    let tmp = TempDir::new("history_trend");
    let history = tmp.path().join("history.jsonl");
    let h = history.to_str().unwrap();
    let rules = root().join("rules");
    let rules = rules.to_str().unwrap();
    let inputs =
        [root().join("fixtures/demo/hubspot_contacts.csv"), root().join("fixtures/demo/nettbutikk_kunder.csv")];
    let inputs: Vec<&str> = inputs.iter().map(|p| p.to_str().unwrap()).collect();
    run_ok(&inputs, &tmp.path().join("may"), &["--as-of", "2025-05-01", "--rules", rules, "--history", h]);
    let first = std::fs::read_to_string(tmp.path().join("may/report.html")).unwrap();
    assert!(!first.contains("Size over time"), "one run is no trend");
    run_ok(&inputs, &tmp.path().join("june"), &["--as-of", "2025-06-01", "--rules", rules, "--history", h]);
    let second = std::fs::read_to_string(tmp.path().join("june/report.html")).unwrap();
    assert!(second.contains("Size over time") && second.contains("<polyline"), "two runs draw a trend");
    assert!(second.contains("2 (2025-05-01 to 2025-06-01)"));
}

/// Issue 25: currency is a coded field. A currency column is read as ISO codes (a bare `kr` by
/// the row's country), the report sums revenue per currency from it, `currency = 'euro'` is
/// `'EUR'` in a rule, and a segment's revenue is summed per currency.
#[test]
fn currency_is_read_coded_and_never_added_across_currencies() {
    let tmp = TempDir::new("currency");
    let input = tmp.path().join("kunder.csv");
    std::fs::write(
        &input,
        "Kundenr,Fornavn,Etternavn,E-post,Land,Omsetning,Valuta,Samtykke e-post\n\
         1,Kari,Nordmann,kari@firma.no,NO,1000,kr,ja\n\
         2,Jan,de Vries,jan@bedrijf.nl,NL,200,euro,ja\n\
         3,Anna,Kowalska,anna@firma.pl,PL,300,zł,ja\n\
         4,Ola,Hansen,ola@firma.no,NO,50,EUR,ja\n\
         5,Per,Berg,per@firma.se,,70,kr,ja\n\
         6,Eva,Lund,eva@firma.dk,DK,40,,ja\n",
    )
    .unwrap();
    let rules = tmp.path().join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::write(
        rules.join("money.toml"),
        "[[segment]]\nname = \"euro_payers\"\nwhen = \"currency = 'euro'\"\ninclude_stale = true\n\
         [[segment]]\nname = \"everyone\"\nwhen = \"revenue >= 0\"\ninclude_stale = true\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    run_ok(&[input.to_str().unwrap()], &out, &["--rules", rules.to_str().unwrap()]);
    let (h, rows) = read_csv(&out.join("records.csv"));
    let col = |n: &str| h.iter().position(|x| x == n).unwrap_or_else(|| panic!("{n}"));
    let currency: Vec<(&str, &str)> =
        rows.iter().map(|r| (r[col("clean_currency")].as_str(), r[col("status_currency")].as_str())).collect();
    assert_eq!(
        currency,
        [
            ("NOK", "fixed"),
            ("EUR", "fixed"),
            ("PLN", "fixed"),
            ("EUR", "valid"),
            // The Swedish row has no country column value, but its e-mail says Sweden.
            ("SEK", "fixed"),
            ("", "missing"),
        ]
    );
    assert!(col("clean_currency") > col("clean_revenue"), "currency follows revenue");
    let (gh, _) = read_csv(&out.join("golden.csv"));
    assert!(gh.contains(&"currency".to_string()), "{gh:?}");
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let by = &report["health"]["revenue_by_currency"];
    assert_eq!(by["NOK"]["revenue"], "1000.00");
    assert_eq!(by["EUR"]["revenue"], "250.00", "the Norwegian paying in euro counts in euro: {by}");
    assert_eq!(by["PLN"]["revenue"], "300.00");
    assert_eq!(by["SEK"]["revenue"], "70.00");
    assert_eq!(by["DKK"]["revenue"], "40.00", "no currency: the country's");
    assert_eq!(report["fields"]["currency"]["valid"], 1);
    let segments = report["segments"].as_array().unwrap();
    let seg = |name: &str| segments.iter().find(|s| s["name"] == name).unwrap();
    assert_eq!(seg("euro_payers")["size"], 2);
    let everyone = seg("everyone");
    assert_eq!(everyone["revenue_sum"], "1660.00", "the old sum stays");
    let per = &everyone["revenue_by_currency"];
    assert_eq!(per["EUR"]["revenue_sum"], "250.00", "{per}");
    assert_eq!(per["EUR"]["members"], 2);
    assert_eq!(per["EUR"]["revenue_mean"], "125.00");
    assert_eq!(per["NOK"]["revenue_sum"], "1000.00");
    assert_eq!(per.as_object().unwrap().len(), 5, "{per}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("never added across currencies"), "the segments table gives revenue per currency");
    assert!(html.contains("<br>250,00\u{a0}€<br>"), "one line per currency");
}

/// Issue 25: an unknown currency in a rule fails check-rules with a suggestion.
#[test]
fn an_unknown_currency_in_a_rule_is_refused_with_a_suggestion() {
    let tmp = TempDir::new("currency_rule");
    let rules = tmp.path().join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::write(rules.join("money.toml"), "[[segment]]\nname = \"e\"\nwhen = \"currency = 'eruo'\"\n").unwrap();
    let o = regclean(&["check-rules", rules.to_str().unwrap()], &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("line 3, column 20: segment 'e', field 'currency': unknown currency 'eruo'"), "{stderr}");
    assert!(stderr.contains("did you mean 'EUR'?"), "{stderr}");
}
