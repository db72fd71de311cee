//! Custom fields (the config's `[fields]`): cleaned by type, merged by their rule, written to
//! golden.csv, and read by segment rules and `check-rules`.

use super::*;

/// Two customers with two records each (Kari, Ola) and three with one; Lifecycle Stage, Interests
/// and Loyalty tier are custom fields, Notes passes through.
const CRM: &str = "\
Id,First name,Last name,Email,Mobile,Date of birth,City,Lifecycle Stage,Interests,Last activity date,Create Date,Loyalty tier,Notes
1,Kari,Nordmann,kari.nordmann@gmail.com,+47 412 34 567,1980-03-01,Oslo,Lead,Hiking; Yoga,2024-01-01,2015-06-01,Gold,a
2,Kari,Nordmann,kari.nordmann@gmail.com,+47 412 34 567,1980-03-01,Oslo,Customer,\"cooking, HIKING\",2024-05-01,2019-06-01,silver,b
3,Ola,Hansen,ola.hansen@gmail.com,+47 913 45 678,1975-07-12,Bergen,lead,running,2023-01-01,,,c
4,Ola,Hansen,ola.hansen@gmail.com,+47 913 45 678,1975-07-12,Bergen,Lead,hiking | Fishing,2023-02-01,,,d
5,Per,Olsen,per.olsen@gmail.com,+47 934 56 789,1990-01-20,Trondheim,Subscriber,Gaming,2023-01-01,,,e
6,Anne,Berg,anne.berg@gmail.com,+47 945 67 890,1985-11-02,Oslo,Lead,,2024-03-01,,,f
7,Liv,Dahl,liv.dahl@gmail.com,+47 956 78 901,1970-05-05,Tromsø,Customer,Hiking,2024-03-01,,,g
";

const CONFIG: &str = r#"
[fields]
lifecycle_stage = { column = "Lifecycle Stage", type = "text" }
interests = { column = "interests", type = "tags" }
loyalty_tier = { column = "Loyalty tier", type = "text", survivorship = "oldest" }
"#;

const RULES: &str = r#"
[[segment]]
name = "leads"
when = "lifecycle_stage = 'lead'"
require_consent = "none"
include_stale = true
export = ["email", "lifecycle_stage", "interests"]

[[segment]]
name = "hikers"
when = 'interests has "hiking"'
require_consent = "none"
include_stale = true

[[segment]]
name = "outdoor_leads"
when = "segment 'leads' and interests has any ['fishing', 'skiing']"
require_consent = "none"
include_stale = true
"#;

/// Writes the register, config and a rules folder into `dir`.
fn setup(dir: &Path, rules: &str) -> (String, String, String) {
    std::fs::write(dir.join("crm.csv"), CRM).unwrap();
    std::fs::write(dir.join("regclean.toml"), CONFIG).unwrap();
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    std::fs::write(dir.join("rules/segments.toml"), rules).unwrap();
    let s = |p: &str| dir.join(p).to_string_lossy().into_owned();
    (s("crm.csv"), s("regclean.toml"), s("rules"))
}

#[test]
fn custom_fields_are_merged_into_golden_and_segments_read_them() {
    let tmp = TempDir::new("custom");
    let (crm, config, rules) = setup(tmp.path(), RULES);
    let out = tmp.path().join("out");
    run_ok(&[&crm], &out, &["--config", &config, "--rules", &rules]);
    let (h, golden) = read_csv(&out.join("golden.csv"));
    let col = |n: &str| h.iter().position(|x| x == n).unwrap_or_else(|| panic!("no {n} in {h:?}"));
    // After the canonical columns, before the pass-through ones; a declared column is not
    // passed through as well.
    let at = |n: &str| h.iter().position(|x| x == n);
    assert!(col("city") < col("lifecycle_stage") && col("loyalty_tier") < col("other_emails"), "{h:?}");
    assert!(col("stale_reasons") < col("Notes"));
    for header in ["Lifecycle Stage", "Interests", "Loyalty tier"] {
        assert_eq!(at(header), None, "{header} also passed through: {h:?}");
    }
    let by_name = |first: &str| golden.iter().find(|g| g[col("first_name")] == first).unwrap();
    // (first name, members, lifecycle_stage, interests, loyalty_tier)
    let expected = [
        // most recent member's stage; the union of every member's interests; the oldest
        // member's tier (survivorship = "oldest": the earliest Create Date)
        ("Kari", "2", "Customer", "cooking;hiking;yoga", "Gold"),
        ("Ola", "2", "Lead", "fishing;hiking;running", ""),
        ("Per", "1", "Subscriber", "gaming", ""),
        ("Anne", "1", "Lead", "", ""),
        ("Liv", "1", "Customer", "hiking", ""),
    ];
    for (first, members, stage, interests, tier) in expected {
        let g = by_name(first);
        assert_eq!(
            (&*g[col("member_count")], &*g[col("lifecycle_stage")], &*g[col("interests")], &*g[col("loyalty_tier")]),
            (members, stage, interests, tier),
            "{first}"
        );
    }
    // Segments: text compares ignoring case, tags with has / has any.
    let (_, memberships) = read_csv(&out.join("segments.csv"));
    let members = |segment: &str| -> Vec<String> {
        let mut v: Vec<String> = memberships
            .iter()
            .filter(|m| m[1] == segment)
            .map(|m| golden.iter().find(|g| g[0] == m[0]).unwrap()[col("first_name")].clone())
            .collect();
        v.sort();
        v
    };
    assert_eq!(members("leads"), ["Anne", "Ola"]);
    assert_eq!(members("hikers"), ["Kari", "Liv", "Ola"]);
    assert_eq!(members("outdoor_leads"), ["Ola"]);
    let (eh, export) = read_csv(&out.join("segments/leads.csv"));
    assert_eq!(eh, ["golden_id", "email", "lifecycle_stage", "interests"]);
    assert!(export.iter().any(|r| r[3] == "fishing;hiking;running"), "{export:?}");
    // records.csv keeps each row's cleaned value and status; report.json counts them (only
    // `running` was already clean).
    let (rh, records) = read_csv(&out.join("records.csv"));
    let rc = |n: &str| rh.iter().position(|x| x == n).unwrap();
    assert_eq!(records[1][rc("clean_interests")], "cooking;hiking");
    assert_eq!(records[1][rc("status_interests")], "fixed");
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let q = &report["custom_fields"]["interests"];
    assert_eq!((q["valid"].as_u64(), q["fixed"].as_u64(), q["missing"].as_u64()), (Some(1), Some(5), Some(1)));
    // Every merged custom field says where it came from.
    let audit = std::fs::read_to_string(out.join("audit.jsonl")).unwrap();
    assert!(audit.contains(r#""interests":{"value":"cooking;hiking;yoga","rule":"union","from":[{"#), "{audit}");
}

#[test]
fn a_declared_column_no_input_has_is_a_warning() {
    let tmp = TempDir::new("custom-missing");
    let (crm, _, _) = setup(tmp.path(), RULES);
    let config = tmp.path().join("other.toml");
    std::fs::write(&config, "[fields]\nsegment_hint = { column = \"Persona\", type = \"text\" }\n").unwrap();
    let out = tmp.path().join("out");
    let o = run_ok(&[&crm], &out, &["--config", config.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("other.toml: line 2, column 1: custom field 'segment_hint': no input has a column 'Persona'"),
        "{stderr}"
    );
}

#[test]
fn check_rules_knows_the_configs_custom_fields() {
    let tmp = TempDir::new("custom-check");
    let (_, config, rules) = setup(tmp.path(), RULES);
    let o = regclean(&["check-rules", &rules, "--config", &config], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("rules are valid (3 segments)"));
    // Without the config the custom fields are unknown.
    let o = regclean(&["check-rules", &rules], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown field 'lifecycle_stage'"));
    // A misspelt custom field gets the nearest one, with its position; a tags field refuses `=`.
    let bad = "[[segment]]\nname = \"x\"\nwhen = 'intrests has \"hiking\"'\n[[segment]]\nname = \"y\"\nwhen = \"interests = 'hiking'\"\n";
    let (_, config, rules) = setup(tmp.path(), bad);
    let o = regclean(&["check-rules", &rules, "--config", &config], &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr.contains("segments.toml: line 3, column 9: unknown field 'intrests'; did you mean 'interests'?"),
        "{stderr}"
    );
    assert!(stderr.contains("segments.toml: line 6, column 9: 'interests' is a tags field"), "{stderr}");
    // A bad config is reported together with the rules' problems.
    std::fs::write(&config, "[fields]\nemail = { column = \"E\", type = \"txt\" }\n").unwrap();
    let o = regclean(&["check-rules", &rules, "--config", &config], &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("'email' is a canonical field") && stderr.contains("unknown field type 'txt'"), "{stderr}");
}

/// The shipped psychographic segments run on the demo with its config, and every segment finds
/// customers whose golden interests say so.
#[test]
fn psychographic_segments_work_on_the_demo() {
    let out = TempDir::new("psychographic");
    let demo = ["fixtures/demo/hubspot_contacts.csv", "fixtures/demo/nettbutikk_kunder.csv"];
    let args = ["--config", "fixtures/demo/config.toml", "--rules", "rules/psychographic", "--as-of", "2025-06-30"];
    run_ok(&demo, out.path(), &args);
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("report.json")).unwrap()).unwrap();
    for s in report["segments"].as_array().unwrap() {
        assert!(s["size"].as_u64().unwrap() > 0, "{} is empty", s["name"]);
    }
    let (h, golden) = read_csv(&out.path().join("golden.csv"));
    let interests = h.iter().position(|x| x == "interests").unwrap();
    let (_, memberships) = read_csv(&out.path().join("segments.csv"));
    let outdoor = ["hiking", "trail running", "cycling", "skiing", "camping", "fishing"];
    for m in memberships.iter().filter(|m| m[1] == "outdoor_enthusiasts") {
        let g = golden.iter().find(|g| g[0] == m[0]).unwrap();
        assert!(g[interests].split(';').any(|t| outdoor.contains(&t)), "{}", g[interests]);
    }
}

#[test]
fn a_custom_date_column_is_read_in_the_order_its_values_prove() {
    let tmp = TempDir::new("custom_date_order");
    let p = |n: &str| tmp.path().join(n).to_str().unwrap().to_string();
    std::fs::write(
        p("us.csv"),
        "First Name,Last Name,Email,Signup\nAnn,Lee,ann@x.com,3/14/2020\nBob,Ray,bob@x.com,4/5/2021\n",
    )
    .unwrap();
    std::fs::write(p("c.toml"), "[fields]\nsignup = { column = \"Signup\", type = \"date\" }\n").unwrap();
    run_ok(&[&p("us.csv")], &tmp.path().join("out"), &["--config", &p("c.toml")]);
    let (h, rows) = read_csv(&tmp.path().join("out/golden.csv"));
    let col = h.iter().position(|c| c == "signup").unwrap();
    let dates: Vec<&str> = rows.iter().map(|r| r[col].as_str()).collect();
    // Read value by value, 4/5/2021 would be the 4th of May; 3/14/2020 proves month first.
    assert!(dates.contains(&"2021-04-05") && dates.contains(&"2020-03-14"), "{dates:?}");
}
