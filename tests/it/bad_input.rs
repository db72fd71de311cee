//! Unusable input: a clear error naming the file (and line and column where there is one),
//! the documented exit code, and nothing written.

use super::*;

#[test]
fn fatal_inputs_write_nothing() {
    let tmp = TempDir::new("bad");
    let p = |name: &str| tmp.path().join(name).to_string_lossy().into_owned();
    std::fs::write(p("empty.csv"), b"").unwrap();
    let mut binary = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    binary.extend(std::iter::repeat_n(0u8, 200));
    std::fs::write(p("image.csv"), binary).unwrap();
    std::fs::create_dir_all(p("folder.csv")).unwrap();
    std::fs::write(p("bad_config.toml"), "[columns]\nOmsetning = \"revnue\"\n").unwrap();
    std::fs::write(p("ok.csv"), "name,email\nOla,ola@example.com\n").unwrap();
    // (arguments, exit code, text the error must contain)
    let cases: Vec<(Vec<String>, i32, String)> = vec![
        (vec![p("missing.csv")], 1, format!("{}: no such file or directory", p("missing.csv"))),
        (vec![p("folder.csv")], 1, format!("{}: is a directory", p("folder.csv"))),
        (vec![p("empty.csv")], 1, format!("{}: is empty", p("empty.csv"))),
        (vec![p("image.csv")], 1, format!("{}: looks like a binary file", p("image.csv"))),
        (
            vec![p("ok.csv"), "--config".into(), p("bad_config.toml")],
            1,
            "line 2, column 13: unknown field 'revnue'; did you mean 'revenue'?".into(),
        ),
        (vec![p("ok.csv"), "--as-of".into(), "23.11.2026".into()], 2, "--as-of: '23.11.2026' is not a date".into()),
        (vec![p("ok.csv"), "--frobnicate".into()], 2, "unexpected argument '--frobnicate'".into()),
    ];
    for (args, code, message) in cases {
        let out = tmp.path().join("out");
        let mut full = vec!["run".to_string()];
        full.extend(args.iter().cloned());
        full.extend(["--out".to_string(), out.to_string_lossy().into_owned()]);
        if !args.iter().any(|a| a == "--as-of") {
            full.extend(["--as-of".to_string(), AS_OF.to_string()]);
        }
        let refs: Vec<&str> = full.iter().map(String::as_str).collect();
        let o = regclean(&refs, &[]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(stderr.contains(&message), "{args:?}: expected '{message}' in:\n{stderr}");
        assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none(), "{args:?} wrote output");
    }
}

#[test]
fn errors_quote_no_personal_data() {
    let tmp = TempDir::new("pii");
    let f = tmp.path().join("dup.csv");
    // A file refused whole (binary after its first rows): the error names no value of it.
    let mut bytes = b"email,name\nkari.nordmann@example.com,Kari\n".to_vec();
    bytes.extend(std::iter::repeat_n(0u8, 200));
    std::fs::write(&f, bytes).unwrap();
    let o = regclean(&["run", f.to_str().unwrap(), "--out", tmp.path().join("o").to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("kari"));
}

#[test]
fn every_command_has_help_with_a_description_and_examples() {
    for cmd in ["run", "evaluate", "explain", "undo", "check-rules", "generate", "completions", "man"] {
        let o = regclean(&[cmd, "--help"], &[]);
        assert!(o.status.success(), "{cmd} --help failed");
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("Examples:"), "{cmd} --help has no examples");
        assert!(text.lines().next().is_some_and(|l| l.len() > 20), "{cmd} --help has no description");
    }
    let o = regclean(&["--help"], &[]);
    assert!(o.status.success());
    let o = regclean(&["completions", "bash"], &[]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("_regclean()"));
}
