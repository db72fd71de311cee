//! Each `fixtures/<scenario>/` holds inputs and an `expected/` folder; the run's outputs must
//! match byte for byte. `REGCLEAN_BLESS=1 cargo test` rewrites the expected files.

use super::*;

const OUTPUTS: [&str; 8] = [
    "records.csv",
    "quarantine.csv",
    "golden.csv",
    "households.csv",
    "audit.jsonl",
    "pairs.csv",
    "model.json",
    "report.json",
];

/// Also compared for a scenario run with `--rules` (the demo): segments exist only then, and
/// one expected copy of the HTML page is enough to catch a change in its markup. Every
/// `segments/*.csv` is compared as well.
const RULES_OUTPUTS: [&str; 2] = ["segments.csv", "report.html"];

/// The names of the `.csv` files in `dir`; none if there is no such folder.
fn csv_names(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "csv"))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

fn inputs_of(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "csv"))
        .map(|p| p.strip_prefix(root()).unwrap().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn check_scenario(name: &str) {
    let dir = root().join("fixtures").join(name);
    let out = TempDir::new(name);
    let inputs = inputs_of(&dir);
    let input_refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let config = dir.join("config.toml");
    let config_s = config.to_string_lossy().into_owned();
    let mut extra: Vec<&str> = if config.exists() { vec!["--config", &config_s] } else { vec![] };
    // Extra arguments for this scenario (e.g. the demo runs with the shipped rules).
    let args = std::fs::read_to_string(dir.join("run.args")).unwrap_or_default();
    extra.extend(args.split_whitespace());
    run_ok(&input_refs, out.path(), &extra);
    let expected = dir.join("expected");
    let bless = std::env::var_os("REGCLEAN_BLESS").is_some();
    let mut files: Vec<String> = OUTPUTS.iter().map(|f| f.to_string()).collect();
    if args.contains("--rules") {
        files.extend(RULES_OUTPUTS.iter().map(|f| f.to_string()));
        // The segments written and the segments expected, so that a lost segment fails too.
        let mut segments = csv_names(&out.path().join("segments"));
        if bless {
            let _ = std::fs::remove_dir_all(expected.join("segments"));
        } else {
            segments.extend(csv_names(&expected.join("segments")));
        }
        segments.sort();
        segments.dedup();
        files.extend(segments.iter().map(|s| format!("segments/{s}")));
    }
    for f in &files {
        let got = std::fs::read(out.path().join(f)).unwrap_or_else(|_| panic!("{name}: no {f} written"));
        if bless {
            std::fs::create_dir_all(expected.join(f).parent().unwrap()).unwrap();
            std::fs::write(expected.join(f), &got).unwrap();
            continue;
        }
        let want = std::fs::read(expected.join(f))
            .unwrap_or_else(|_| panic!("{name}: missing expected/{f}; run with REGCLEAN_BLESS=1"));
        if got != want {
            let (g, w) = (String::from_utf8_lossy(&got), String::from_utf8_lossy(&want));
            let line = g.lines().zip(w.lines()).position(|(a, b)| a != b).map(|i| i + 1).unwrap_or(0);
            panic!(
                "{name}/{f} differs from expected at line {line}:\n got: {}\nwant: {}",
                g.lines().nth(line.saturating_sub(1)).unwrap_or(""),
                w.lines().nth(line.saturating_sub(1)).unwrap_or("")
            );
        }
    }
}

#[test]
fn demo() {
    check_scenario("demo");
}
#[test]
fn encoding_utf16() {
    check_scenario("encoding_utf16");
}
#[test]
fn encoding_cp1250() {
    check_scenario("encoding_cp1250");
}
#[test]
fn mixed_utf8_cp1252() {
    check_scenario("mixed_utf8_cp1252");
}
#[test]
fn line_endings_cr() {
    check_scenario("line_endings_cr");
}
#[test]
fn excel_sep() {
    check_scenario("excel_sep");
}
#[test]
fn pipe_delimited() {
    check_scenario("pipe_delimited");
}
#[test]
fn quarantine() {
    check_scenario("quarantine");
}
#[test]
fn febrl_headers() {
    check_scenario("febrl_headers");
}

/// `regclean generate --fixtures DIR` writes the inputs these scenarios read, byte for byte
/// (the generator crate's own test checks the same through the library; this one the command).
#[test]
fn generate_fixtures_writes_the_committed_inputs() {
    let out = TempDir::new("generate_fixtures");
    let o = regclean(&["generate", "--fixtures", out.path().to_str().unwrap()], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut written = files_in(out.path());
    for sub in std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()) {
        let dir = sub.file_name().unwrap().to_string_lossy().into_owned();
        written.extend(files_in(&sub).into_iter().map(|(name, bytes)| (format!("{dir}/{name}"), bytes)));
    }
    assert!(written.len() >= 10, "{:?}", written.iter().map(|f| &f.0).collect::<Vec<_>>());
    for (name, bytes) in written {
        assert!(std::fs::read(root().join("fixtures").join(&name)).unwrap() == bytes, "{name} differs");
    }
    let o = regclean(&["generate", "--fixtures", out.path().to_str().unwrap(), "--rows", "5"], &[]);
    assert_eq!(o.status.code(), Some(2), "--fixtures with --rows is a usage error");
}
