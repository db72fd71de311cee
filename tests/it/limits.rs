//! Hostile and extreme input: each gets a clear error or a note in the report, in bounded time,
//! and the rest of the input is processed.

use super::*;

fn report(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap()
}

#[test]
fn extreme_rows_are_quarantined_and_the_rest_is_processed() {
    let tmp = TempDir::new("limits");
    let p = |n: &str| tmp.path().join(n);
    // A line of 5 MB, a NUL byte, and good rows around them.
    let mut big = b"name,email\nKari,kari@example.no\n".to_vec();
    big.extend(b"Ola,\"");
    big.extend(std::iter::repeat_n(b'x', 5 << 20));
    big.extend(b"\"\nPer,per\0@example.no\nAnne,anne@example.no\n");
    std::fs::write(p("big.csv"), &big).unwrap();
    run_ok(&[p("big.csv").to_str().unwrap()], &p("out1"), &[]);
    let (_, q) = read_csv(&p("out1").join("quarantine.csv"));
    let reasons: Vec<&str> = q.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(q.len(), 2, "{reasons:?}");
    assert!(reasons[0].starts_with("row longer than 1 MiB"), "{reasons:?}");
    assert_eq!(reasons[1], "contains a NUL byte");
    assert_eq!(report(&p("out1"))["reconciliation"]["rows_accepted"], 2);

    // UTF-16 with an unpaired surrogate in one row.
    let mut units: Vec<u16> = "name\temail\nKari\tkari@example.no\n".encode_utf16().collect();
    units.extend("Ola".encode_utf16());
    units.push(0xD800);
    units.extend("\tola@example.no\nPer\tper@example.no\n".encode_utf16());
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    std::fs::write(p("utf16.csv"), bytes).unwrap();
    run_ok(&[p("utf16.csv").to_str().unwrap()], &p("out2"), &[]);
    let (_, q) = read_csv(&p("out2").join("quarantine.csv"));
    assert_eq!(q.len(), 1);
    assert_eq!(q[0][2], "contains characters that cannot be decoded");
    assert_eq!(report(&p("out2"))["reconciliation"]["rows_accepted"], 2);
}

#[test]
fn ten_thousand_columns() {
    let tmp = TempDir::new("wide");
    let mut text = String::from("First Name,Email");
    for i in 0..10_000 {
        text.push_str(&format!(",extra_{i}"));
    }
    text.push('\n');
    for name in ["Kari", "Ola", "Per"] {
        text.push_str(&format!("{name},{}@example.no", name.to_lowercase()));
        text.push_str(&",x".repeat(10_000));
        text.push('\n');
    }
    let input = tmp.path().join("wide.csv");
    std::fs::write(&input, text).unwrap();
    let start = std::time::Instant::now();
    run_ok(&[input.to_str().unwrap()], &tmp.path().join("out"), &[]);
    assert!(start.elapsed().as_secs() < 30);
    let (h, rows) = read_csv(&tmp.path().join("out").join("records.csv"));
    assert_eq!(rows.len(), 3);
    assert!(h.len() > 10_000);
}

#[test]
fn one_giant_block_is_capped_and_reported() {
    let tmp = TempDir::new("giant");
    let mut text = String::from("First Name,Last Name,Postal Code,Country\n");
    for _ in 0..2_000 {
        text.push_str("Ola,Nordmann,0150,NO\n");
    }
    let input = tmp.path().join("same.csv");
    std::fs::write(&input, text).unwrap();
    let start = std::time::Instant::now();
    run_ok(&[input.to_str().unwrap()], &tmp.path().join("out"), &[]);
    assert!(start.elapsed().as_secs() < 60);
    let r = report(&tmp.path().join("out"));
    assert_eq!(r["reconciliation"]["rows_accepted"], 2_000);
    // The 2,000 rows are identical: one customer, joined without comparing 2 million pairs.
    assert_eq!(r["dedup"]["exact_duplicate_rows"], 1_999);
    assert_eq!(r["dedup"]["golden_records"], 1);
    // Copies leave a block past the cap (they join their row anyway); 2,000 different people of
    // one name and postcode make a block that is split or capped, and reported.
    let mut text = String::from("First Name,Last Name,Postal Code,Country,Email\n");
    for i in 0..2_000 {
        text.push_str(&format!("Ola,Nordmann,0150,NO,ola{i}@example.no\n"));
    }
    std::fs::write(&input, text).unwrap();
    run_ok(&[input.to_str().unwrap()], &tmp.path().join("out2"), &[]);
    let r = report(&tmp.path().join("out2"));
    let too_big: u64 = r["dedup"]["blocking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["capped_blocks"].as_u64().unwrap() + b["split_blocks"].as_u64().unwrap())
        .sum();
    assert!(too_big > 0, "the giant block is reported as split or capped");
}

#[test]
fn a_rule_nested_a_thousand_levels_deep_is_refused() {
    let tmp = TempDir::new("deep");
    let rules = tmp.path().join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    let cond = format!("{}city = 'Oslo'{}", "(".repeat(1000), ")".repeat(1000));
    std::fs::write(rules.join("deep.toml"), format!("[[segment]]\nname = \"deep\"\nwhen = \"{cond}\"\n")).unwrap();
    let o = regclean(&["check-rules", rules.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nested deeper than 64 levels"));
}

#[test]
fn an_unwritable_output_directory_fails_with_its_path() {
    let tmp = TempDir::new("unwritable");
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let out = file.join("out");
    let o = regclean(&["run", "fixtures/quarantine/input.csv", "--out", out.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains(out.to_str().unwrap()),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A disk that fills up mid-run: the file-size limit (`ulimit -f`, with SIGXFSZ ignored so the
/// write fails with an error instead of killing the process) makes a write fail part-way through
/// an output, as a full disk does. The run must fail with exit 1 naming the file, leave the
/// previous outputs byte-identical, and leave no temporary file behind.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_fails_with_the_path_and_keeps_the_previous_outputs() {
    let tmp = TempDir::new("fulldisk");
    let out = tmp.path().join("out");
    run_ok(&["fixtures/quarantine/input.csv"], &out, &[]);
    let before = files_in(&out);
    let big = tmp.path().join("big.csv");
    assert!(regclean(&["generate", "--rows", "3000", "--out", big.to_str().unwrap()], &[]).status.success());
    // 200 blocks of 512 bytes: records.csv and pairs.csv of 3,000 rows are larger than that.
    let script = format!(
        "trap '' XFSZ; ulimit -f 200; exec '{}' run '{}' --out '{}' --as-of {AS_OF} -q",
        env!("CARGO_BIN_EXE_regclean"),
        big.display(),
        out.display()
    );
    let o = std::process::Command::new("sh").args(["-c", &script]).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(out.to_str().unwrap()), "the message names the file: {stderr}");
    assert!(stderr.contains("File too large") || stderr.contains("No space"), "{stderr}");
    assert_eq!(files_in(&out), before, "a failed write changed the previous outputs");
    let leftovers = regclean_leftovers(&out);
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_line_limit_is_configurable_and_covers_the_header() {
    let tmp = TempDir::new("line_limit");
    let p = |n: &str| tmp.path().join(n);
    let long = "x".repeat(3000);
    std::fs::write(p("in.csv"), format!("name,email\nKari,kari@example.no\nOla,{long}\nPer,per@example.no\n")).unwrap();
    std::fs::write(p("small.toml"), "max_line_bytes = 2048\n").unwrap();
    // The default (1 MiB) accepts a 3 kB row; 2 KiB quarantines it and says why.
    run_ok(&[p("in.csv").to_str().unwrap()], &p("out1"), &[]);
    assert_eq!(report(&p("out1"))["quarantine"]["rows"], 0);
    run_ok(&[p("in.csv").to_str().unwrap()], &p("out2"), &["--config", p("small.toml").to_str().unwrap()]);
    let q = std::fs::read_to_string(p("out2").join("quarantine.csv")).unwrap();
    assert!(q.contains("row longer than 2 KiB"), "{q}");
    // A header over the limit is refused before anything is written.
    std::fs::write(p("head.csv"), format!("name,{long}\nKari,x\n")).unwrap();
    let o = regclean(
        &[
            "run",
            p("head.csv").to_str().unwrap(),
            "--out",
            p("out3").to_str().unwrap(),
            "--config",
            p("small.toml").to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("longer than 2 KiB: not a CSV header"), "{err}");
    assert!(!p("out3").join("golden.csv").exists());
    // Nonsense limits are refused with their position.
    std::fs::write(p("bad.toml"), "max_line_bytes = 10\n").unwrap();
    let o = regclean(
        &[
            "run",
            p("in.csv").to_str().unwrap(),
            "--out",
            p("out4").to_str().unwrap(),
            "--config",
            p("bad.toml").to_str().unwrap(),
        ],
        &[],
    );
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("bad.toml: line 1, column 18"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
