//! The command line as a user meets it: installing, progress on stderr, and the messages of
//! mistyped arguments (issue 19). Each test names the rough edge it keeps fixed.

use super::*;

const DEMO_INPUTS: [&str; 2] = ["fixtures/demo/hubspot_contacts.csv", "fixtures/demo/nettbutikk_kunder.csv"];

#[test]
fn readme_says_how_to_install_the_command_its_tour_calls() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    // --locked: the install uses Cargo.lock's versions instead of re-resolving every crate.
    let install = readme.find("cargo install --locked --path .").expect("README says how to install regclean");
    let tour = readme.find("$ regclean ").expect("README has a tour");
    assert!(install < tour, "the install line comes before the tour that calls `regclean`");
}

#[test]
fn a_missing_or_foreign_run_directory_is_named_without_os_errors() {
    let tmp = TempDir::new("no_run_dir");
    let missing = tmp.path().join("nosuchdir");
    let m = missing.to_str().unwrap();
    let not_a_run = tmp.path().join("photos");
    std::fs::create_dir_all(&not_a_run).unwrap();
    let n = not_a_run.to_str().unwrap();
    let to = tmp.path().join("undone.csv");
    let cases: [(Vec<&str>, String); 4] = [
        (
            vec!["evaluate", m, "--truth", "entity_id"],
            format!("{m}: no such directory; give the output directory of `regclean run`"),
        ),
        (vec!["explain", m, "G1"], format!("{m}: no such directory")),
        (vec!["undo", m, "G1", "--to", to.to_str().unwrap()], format!("{m}: no such directory")),
        (
            vec!["evaluate", n, "--truth", "entity_id"],
            format!("{n}: is not the output of a run (no records.csv or report.json)"),
        ),
    ];
    for (args, message) in cases {
        let o = regclean(&args, &[]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(&message), "{args:?}: expected '{message}' in:\n{stderr}");
        assert!(!stderr.contains("os error"), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: one line: {stderr}");
    }
}

#[test]
fn check_rules_names_its_own_argument_not_a_rules_flag() {
    let tmp = TempDir::new("check_rules_missing");
    let missing = tmp.path().join("nosuchdir");
    let m = missing.to_str().unwrap();
    let o = regclean(&["check-rules", m], &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("--rules"), "check-rules has no --rules flag: {stderr}");
    assert!(
        stderr.contains(&format!(
            "{m}: does not exist; give the rules folder to check, e.g. `regclean check-rules rules`"
        )),
        "{stderr}"
    );
}

#[test]
fn an_empty_rules_folder_is_refused_not_run_with_no_segments() {
    let tmp = TempDir::new("empty_rules");
    let rules = tmp.path().join("emptydir");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::write(rules.join("notes.txt"), "not a rule").unwrap();
    let r = rules.to_str().unwrap();
    let out = tmp.path().join("out");
    let o = regclean(&["run", "fixtures/demo/hubspot_contacts.csv", "--out", out.to_str().unwrap(), "--rules", r], &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    // A rules folder that cannot be used is a fatal error (exit code 1, README's table).
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("--rules {r}: has no rule files (*.toml)")), "{stderr}");
    assert!(!out.exists(), "nothing written");
    let o = regclean(&["check-rules", r], &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("{r}: has no rule files (*.toml)")), "{stderr}");
}

#[test]
fn rules_help_says_segments_come_only_from_rules() {
    let o = regclean(&["run", "--help"], &[]);
    let help = String::from_utf8_lossy(&o.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(!help.contains("Default: the shipped rules"), "{help}");
    assert!(help.contains("the shipped `rules/`"), "{help}");
    assert!(help.contains("no segments are drawn: segments come only from --rules"), "{help}");
    // And that is what a run without --rules does.
    let tmp = TempDir::new("no_rules");
    let out = tmp.path().join("out");
    run_ok(&["fixtures/demo/hubspot_contacts.csv"], &out, &["-q"]);
    assert!(!out.join("segments.csv").exists());
}

#[test]
fn out_naming_a_file_asks_for_a_directory() {
    let tmp = TempDir::new("out_is_file");
    let file = tmp.path().join("report.txt");
    std::fs::write(&file, "mine").unwrap();
    let f = file.to_str().unwrap();
    let o = regclean(&["run", "fixtures/demo/hubspot_contacts.csv", "--out", f, "--as-of", AS_OF], &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    // README's exit-code table: an output path that cannot be used is a fatal error, 1.
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("--out {f}: is a file (expected a directory for the outputs)")), "{stderr}");
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(
        readme.contains("| 1 | fatal error: an input, config, rule, decisions, model or output path could not be used"),
        "the README's table gives 1 for an output path"
    );
    assert!(!stderr.contains("os error"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}

#[test]
fn a_bad_regular_expression_is_one_line_with_its_position() {
    let tmp = TempDir::new("bad_regex");
    let rules = tmp.path().join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::write(rules.join("a.toml"), "[[segment]]\nname = \"x\"\nwhen = \"city matches '('\"\n").unwrap();
    std::fs::write(
        rules.join("stale.toml"),
        "inactive_after_months = 24\nreasons = [\"test_record\"]\n[test_record]\nemail_patterns = ['(x']\n",
    )
    .unwrap();
    let o = regclean(&["check-rules", rules.to_str().unwrap()], &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 2, "one line per bad pattern:\n{stderr}");
    assert!(!stderr.contains("error: error:"), "{stderr}");
    let a = rules.join("a.toml");
    let stale = rules.join("stale.toml");
    for expected in [
        format!("regclean: error: {}: line 3, column 22: bad regular expression: unclosed group", a.display()),
        format!("regclean: error: {}: line 4, column 19: bad regular expression: unclosed group", stale.display()),
    ] {
        assert!(stderr.contains(&expected), "expected '{expected}' in:\n{stderr}");
    }
}

#[test]
fn an_unknown_truth_column_lists_the_input_columns_and_suggests_the_nearest() {
    let tmp = TempDir::new("truth_column");
    let reg = tmp.path().join("reg.csv");
    let o = regclean(&["generate", "--rows", "50", "--out", reg.to_str().unwrap()], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = tmp.path().join("out");
    run_ok(&[reg.to_str().unwrap()], &out, &["-q"]);
    let o = regclean(&["evaluate", out.to_str().unwrap(), "--truth", "entity"], &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unknown truth column 'entity'; did you mean 'entity_id'?"), "{stderr}");
    let header = String::from_utf8(std::fs::read(&reg).unwrap()).unwrap();
    let columns: Vec<String> = header.lines().next().unwrap().split(',').map(|c| format!("'{c}'")).collect();
    assert!(stderr.contains(&format!("The input columns are {}.", columns.join(", "))), "{stderr}");
    assert!(!stderr.contains("'clean_") && !stderr.contains("'golden_id'"), "only input columns: {stderr}");
}

/// The lock is taken before the first input is read: a second run into the same directory
/// while the first is still reading is refused at once, before it reads anything (its second
/// input, a PDF, would otherwise be refused first), and leaves the first run's work alone.
#[cfg(unix)]
#[test]
fn a_second_run_into_the_same_directory_is_refused_before_it_reads() {
    let tmp = TempDir::new("second_run");
    let reg = tmp.path().join("reg.csv");
    let o = regclean(&["generate", "--rows", "200000", "--out", reg.to_str().unwrap()], &[]);
    assert!(o.status.success());
    let pdf = tmp.path().join("export.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n").unwrap();
    let out = tmp.path().join("out");
    let o_s = out.to_str().unwrap();
    let mut first = std::process::Command::new(env!("CARGO_BIN_EXE_regclean"))
        .args(["run", reg.to_str().unwrap(), "--out", o_s, "--as-of", AS_OF, "-q"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !out.join(".regclean.lock").exists() && start.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    let second_started = std::time::Instant::now();
    let o = regclean(&["run", reg.to_str().unwrap(), pdf.to_str().unwrap(), "--out", o_s, "--as-of", AS_OF], &[]);
    let second_took = second_started.elapsed();
    let stderr = String::from_utf8_lossy(&o.stderr);
    let first_still_running = first.try_wait().unwrap().is_none();
    let _ = std::process::Command::new("kill").args(["-TERM", &first.id().to_string()]).status();
    let _ = first.wait();
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("{o_s}: another regclean run is writing to this directory; wait for it to finish")),
        "{stderr}"
    );
    assert!(!stderr.contains("PDF"), "refused before reading its inputs: {stderr}");
    assert!(first_still_running, "the first run was still going");
    assert!(second_took.as_secs_f64() < 5.0, "refused at once, took {second_took:?}");
}

#[test]
fn a_failed_run_leaves_no_directory_it_created() {
    let tmp = TempDir::new("failed_run_dir");
    let out = tmp.path().join("new").join("out");
    let o = regclean(&["run", "fixtures/no_such_file.csv", "--out", out.to_str().unwrap(), "--as-of", AS_OF], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists(), "a fatal error writes nothing, not even its output directory");
}

/// `undo` promises the rows "exactly as they were read": the web-shop export is Windows-1252
/// with `;` and CRLF, and the rows written back must be its bytes, line for line.
#[test]
fn undo_writes_rows_back_in_the_sources_encoding_delimiter_and_line_ends() {
    let tmp = TempDir::new("undo_bytes");
    let out = tmp.path().join("out");
    let source = "fixtures/demo/nettbutikk_kunder.csv";
    run_ok(&[source], &out, &["-q"]);
    let (h, rows) = read_csv(&out.join("records.csv"));
    let (g, line) =
        (h.iter().position(|c| c == "golden_id").unwrap(), h.iter().position(|c| c == "source_line").unwrap());
    let mut members: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for r in &rows {
        members.entry(r[g].as_str()).or_default().push(r[line].parse().unwrap());
    }
    let (golden, lines) = members.iter().find(|(_, m)| m.len() >= 2).expect("a merge in the web-shop export");
    let to = tmp.path().join("undone.csv");
    let o = regclean(&["undo", out.to_str().unwrap(), golden, "--to", to.to_str().unwrap()], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let original = std::fs::read(root().join(source)).unwrap();
    let original_lines: Vec<&[u8]> = original.split_inclusive(|&b| b == b'\n').collect();
    let mut expected = original_lines[0].to_vec();
    for &l in lines {
        expected.extend_from_slice(original_lines[l - 1]);
    }
    let got = std::fs::read(&to).unwrap();
    assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(&expected));
    assert_eq!(got, expected, "the header and member rows, byte for byte");
    // And `--to` never replaces a file without --force.
    let o = regclean(&["undo", out.to_str().unwrap(), golden, "--to", to.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists; give --force to replace it"));
    assert!(
        regclean(&["undo", out.to_str().unwrap(), golden, "--to", to.to_str().unwrap(), "--force"], &[])
            .status
            .success()
    );
}

/// Bars are for terminals: through a pipe (as here) stderr carries no bar, spinner or control
/// character, with or without --quiet, however long the stages that count.
#[test]
fn progress_is_never_drawn_into_a_pipe() {
    let tmp = TempDir::new("progress_pipe");
    let reg = tmp.path().join("reg.csv");
    assert!(regclean(&["generate", "--rows", "20000", "--out", reg.to_str().unwrap()], &[]).status.success());
    for extra in [&[][..], &["-q"][..]] {
        let out = tmp.path().join("out");
        let o = run_ok(&[reg.to_str().unwrap()], &out, extra);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(!stderr.contains(['\x1b', '\r']), "{extra:?}: control characters in {stderr:?}");
        assert!(!stderr.contains("left") && !stderr.contains("/s"), "{extra:?}: a bar in {stderr:?}");
        if extra.is_empty() {
            assert!(stderr.contains("regclean: 20000 rows read"), "{stderr}");
        } else {
            assert!(stderr.lines().all(|l| l.starts_with("regclean: warning: ")), "--quiet: {stderr}");
        }
    }
}

#[test]
fn explain_and_undo_take_the_crms_own_record_id() {
    let tmp = TempDir::new("record_ids");
    let out = tmp.path().join("out");
    run_ok(&DEMO_INPUTS, &out, &[]);
    let o = out.to_str().unwrap();
    // The shop's customer 10112 (line 113), merged with HubSpot contacts.
    let by_golden = {
        let records = std::fs::read_to_string(out.join("records.csv")).unwrap();
        let line = records.lines().find(|l| l.starts_with("nettbutikk_kunder.csv,113,")).unwrap().to_string();
        line.split(',').nth(4).unwrap().to_string()
    };
    let explained = |name: &str| {
        let r = regclean(&["explain", o, name], &[]);
        assert!(r.status.success(), "{name}: {}", String::from_utf8_lossy(&r.stderr));
        String::from_utf8(r.stdout).unwrap()
    };
    let golden = explained(&by_golden);
    assert!(golden.starts_with(&format!("golden record {by_golden}: ")), "{golden}");
    for name in ["10112", "nettbutikk_kunder.csv:10112", "nettbutikk-kunder:10112", "nettbutikk_kunder.csv:113"] {
        assert_eq!(explained(name), golden, "{name}");
    }
    let to = tmp.path().join("undone.csv");
    let r = regclean(&["undo", o, "10112", "--to", to.to_str().unwrap()], &[]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(String::from_utf8_lossy(&r.stdout).starts_with("wrote "), "{}", String::from_utf8_lossy(&r.stdout));
    // Unknown: the message says what may be given.
    let r = regclean(&["explain", o, "99999999"], &[]);
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unknown golden id or record id '99999999'"), "{stderr}");
}

#[test]
fn an_ambiguous_record_id_lists_the_candidates_sources() {
    let tmp = TempDir::new("ambiguous_record_id");
    let a = tmp.path().join("crm.csv");
    let b = tmp.path().join("shop.csv");
    std::fs::write(&a, "Record ID,First Name,Last Name,Email\n7,Kari,Nordmann,kari@example.org\n").unwrap();
    std::fs::write(&b, "Record ID,First Name,Last Name,Email\n7,Ola,Hansen,ola.hansen@example.net\n").unwrap();
    let out = tmp.path().join("out");
    run_ok(&[a.to_str().unwrap(), b.to_str().unwrap()], &out, &[]);
    let r = regclean(&["explain", out.to_str().unwrap(), "7"], &[]);
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("record id '7' names 2 golden records; name one as SOURCE:RECORD_ID"), "{stderr}");
    assert!(stderr.contains("crm:7 (crm.csv line 2") && stderr.contains("shop:7 (shop.csv line 2"), "{stderr}");
    let r = regclean(&["explain", out.to_str().unwrap(), "shop:7"], &[]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(String::from_utf8_lossy(&r.stdout).contains("shop.csv:2"));
}

#[test]
fn quiet_prints_errors_only_and_warnings_stay_in_the_report() {
    let tmp = TempDir::new("quiet");
    let out = tmp.path().join("out");
    let mut args: Vec<&str> = vec!["run"];
    args.extend(DEMO_INPUTS);
    args.extend(["--out", out.to_str().unwrap(), "--as-of", AS_OF, "--rules", "rules", "--quiet"]);
    let o = regclean(&args, &[]);
    assert!(o.status.success());
    assert_eq!(String::from_utf8_lossy(&o.stderr), "", "--quiet: errors only");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    assert!(!report["warnings"].as_array().unwrap().is_empty(), "the demo's warnings are in report.json");
}

#[test]
fn every_input_flag_and_rule_problem_is_reported_together_naming_its_flag() {
    let tmp = TempDir::new("all_problems");
    let rules = tmp.path().join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::write(rules.join("a.toml"), "[[segment]]\nname = \"x\"\nwhen = \"cuntry = 'NO'\"\n").unwrap();
    let out = tmp.path().join("out");
    let folder = tmp.path().join("myrules");
    std::fs::create_dir_all(&folder).unwrap();
    let (r, f, o) = (rules.to_str().unwrap(), folder.to_str().unwrap(), out.to_str().unwrap());
    let missing = "fixtures/demo/no_such_export.csv";
    let run = regclean(
        &["run", missing, "--out", o, "--rules", r, "--config", f, "--model", f, "--source", "hub=nosuch.csv"],
        &[],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    for expected in [
        format!("{missing}: no such file or directory"),
        format!("--config {f}: is a directory (expected a .toml file)"),
        format!("--model {f}: is a directory (expected the model.json of an earlier run)"),
        "unknown field 'cuntry'; did you mean 'country'?".to_string(),
        "--source hub=nosuch.csv: no input has the path or file name \"nosuch.csv\"".to_string(),
    ] {
        assert!(stderr.contains(&expected), "expected '{expected}' in:\n{stderr}");
    }
    assert!(!stderr.contains("os error"), "{stderr}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_custom_field_error_says_fields_come_from_the_config() {
    let o = regclean(&["check-rules", "rules/psychographic"], &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("unknown field 'interests'"), "{stderr}");
    assert!(
        stderr.contains("a field that is not canonical is a custom field, declared in a config's [fields] table; give that config with --config FILE"),
        "{stderr}"
    );
    let o = regclean(&["check-rules", "rules/psychographic", "--config", "fixtures/demo/config.toml"], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn check_rules_reports_every_problem_in_every_file_at_once() {
    let tmp = TempDir::new("check_rules_all");
    let rules = tmp.path().join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    // A misspelt key first, then four more problems in the same file and one in another.
    std::fs::write(
        rules.join("seg.toml"),
        "[[segment]]\nname = \"a\"\ndescripton = \"typo\"\nwhen = \"revnue > 10\"\n\n         [[segment]]\nname = \"b\"\nwhen = \"cuntry = 'NO'\"\nexport = [\"emial\"]\n\n         [[segment]]\nname = \"c\"\nwhen = \"age >\"\n",
    )
    .unwrap();
    std::fs::write(rules.join("other.toml"), "[[segment]]\nname = \"d\"\nwehn = \"age > 3\"\n").unwrap();
    let o = regclean(&["check-rules", rules.to_str().unwrap()], &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    let seg = rules.join("seg.toml");
    let other = rules.join("other.toml");
    let seg = seg.display();
    let other = other.display();
    for expected in [
        format!("{seg}: line 3, column 1: unknown field `descripton`"),
        format!("{seg}: line 4, column 9: unknown field 'revnue'; did you mean 'revenue'?"),
        format!("{seg}: line 8, column 9: unknown field 'cuntry'; did you mean 'country'?"),
        format!("{seg}: line 9, column 11: unknown field 'emial'; did you mean 'email'?"),
        format!("{seg}: line 13, column"),
        format!("{other}: line 3, column 1: unknown field `wehn`"),
    ] {
        assert!(stderr.contains(&expected), "expected '{expected}' in:\n{stderr}");
    }
}

/// Issue 25: check-rules reported only the first problem of a `when` condition.
#[test]
fn check_rules_reports_every_problem_of_one_condition() {
    let tmp = TempDir::new("check_rules_condition");
    let rules = tmp.path().join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::write(
        rules.join("seg.toml"),
        "[[segment]]\nname = \"a\"\nwhen = \"cuntry = 'NO' and revnue > 10 and gender = 'femal'\"\n",
    )
    .unwrap();
    let o = regclean(&["check-rules", rules.to_str().unwrap()], &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    for expected in [
        "line 3, column 9: unknown field 'cuntry'; did you mean 'country'?",
        "line 3, column 27: unknown field 'revnue'; did you mean 'revenue'?",
        "line 3, column 52: segment 'a', field 'gender': unknown gender 'femal'; did you mean 'female'?",
    ] {
        assert!(stderr.contains(expected), "expected '{expected}' in:\n{stderr}");
    }
}

#[test]
fn every_command_names_the_flag_of_a_path_it_cannot_use() {
    let tmp = TempDir::new("flag_paths");
    let out = tmp.path().join("out");
    run_ok(&DEMO_INPUTS, &out, &[]);
    let (o, folder, file) = (out.to_str().unwrap(), tmp.path().to_str().unwrap(), tmp.path().join("note.txt"));
    std::fs::write(&file, "mine").unwrap();
    let f = file.to_str().unwrap();
    let cases: [(Vec<&str>, Vec<String>); 4] = [
        (
            vec!["measure", o, "no_such_results.csv", "--out", f],
            vec![
                "no_such_results.csv: no such file or directory".to_string(),
                format!("--out {f}: is a file (expected a directory for measure.json and measure.html)"),
            ],
        ),
        (
            vec!["undo", o, "10112", "--to", folder],
            vec![format!("--to {folder}: is a directory (expected a CSV file to write the rows to)")],
        ),
        (
            vec!["evaluate", o, "--truth", "entity_id", "--truth-file", folder],
            vec![format!("--truth-file {folder}: is a directory (expected a CSV file source_file,source_line,COLUMN)")],
        ),
        (
            vec!["check-rules", "rules", "--config", folder],
            vec![format!("--config {folder}: is a directory (expected a .toml file)")],
        ),
    ];
    for (args, messages) in cases {
        let r = regclean(&args, &[]);
        let stderr = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(1), "{args:?}: {stderr}");
        for m in messages {
            assert!(stderr.contains(&m), "{args:?}: expected '{m}' in:\n{stderr}");
        }
        assert!(!stderr.contains("os error"), "{args:?}: {stderr}");
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}
