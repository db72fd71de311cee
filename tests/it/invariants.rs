//! What must always hold, whatever the input.

use super::*;
use std::collections::HashMap;

const DEMO: [&str; 2] = ["fixtures/demo/hubspot_contacts.csv", "fixtures/demo/nettbutikk_kunder.csv"];

#[test]
fn identical_output_at_one_and_two_threads() {
    let (a, b) = (TempDir::new("t1"), TempDir::new("t2"));
    for (dir, threads) in [(&a, "1"), (&b, "2")] {
        let mut args = vec!["run"];
        args.extend_from_slice(&DEMO);
        args.extend_from_slice(&["--out", dir.path().to_str().unwrap(), "--as-of", AS_OF]);
        let o = regclean(&args, &[("RAYON_NUM_THREADS", threads)]);
        assert!(o.status.success());
    }
    for f in ["records.csv", "quarantine.csv", "golden.csv", "audit.jsonl", "pairs.csv", "model.json", "report.json"] {
        assert_eq!(std::fs::read(a.path().join(f)).unwrap(), std::fs::read(b.path().join(f)).unwrap(), "{f} differs");
    }
}

/// The same at a size where every parallel path is taken: ingest in chunks (the register is over
/// 8 MB), spilled pair levels, chunked output writing, all 42 shipped segments.
#[test]
fn identical_output_at_one_and_three_threads_on_a_large_register() {
    let tmp = TempDir::new("threads-large");
    let reg = tmp.path().join("large.csv");
    assert!(regclean(&["generate", "--rows", "45000", "--out", reg.to_str().unwrap()], &[]).status.success());
    assert!(std::fs::metadata(&reg).unwrap().len() > 8 << 20, "large enough to be read in chunks");
    let outs = [tmp.path().join("t1"), tmp.path().join("t3")];
    for (dir, threads) in [(&outs[0], "1"), (&outs[1], "3")] {
        let args =
            ["run", reg.to_str().unwrap(), "--out", dir.to_str().unwrap(), "--as-of", AS_OF, "--rules", "rules", "-q"];
        let o = regclean(&args, &[("RAYON_NUM_THREADS", threads)]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    for f in ["records.csv", "golden.csv", "audit.jsonl", "pairs.csv", "report.json", "segments.csv"] {
        let (x, y) = (std::fs::read(outs[0].join(f)).unwrap(), std::fs::read(outs[1].join(f)).unwrap());
        assert!(x == y, "{f} differs between 1 and 3 threads");
    }
}

#[test]
fn every_row_is_accounted_for_and_originals_are_unchanged() {
    let out = TempDir::new("acct");
    run_ok(&DEMO, out.path(), &[]);
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("report.json")).unwrap()).unwrap();
    let rec = &report["reconciliation"];
    let n = |k: &str| rec[k].as_u64().unwrap();
    assert_eq!(n("rows_read"), n("rows_accepted") + n("rows_quarantined"));
    assert_eq!(
        n("lines_read"),
        n("header_lines") + n("blank_lines") + n("continuation_lines") + n("rows_accepted") + n("rows_quarantined")
    );
    let (_, records) = read_csv(&out.path().join("records.csv"));
    let (_, quarantined) = read_csv(&out.path().join("quarantine.csv"));
    assert_eq!(records.len() as u64, n("rows_accepted"));
    assert_eq!(quarantined.len() as u64, n("rows_quarantined"));
    // The truth lists every data row of both files: each is in records.csv or quarantine.csv.
    let (_, truth) = read_csv(&root().join("fixtures/demo_truth.csv"));
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for r in records.iter().chain(&quarantined) {
        *seen.entry((r[0].clone(), r[1].clone())).or_insert(0) += 1;
    }
    for t in &truth {
        assert_eq!(
            seen.get(&(t[0].clone(), t[1].clone())),
            Some(&1),
            "row {}:{} not accounted for exactly once",
            t[0],
            t[1]
        );
    }
    assert_eq!(seen.len(), truth.len());

    // Original values: the HubSpot export is UTF-8; read it independently and compare.
    let (h, rows) = read_csv(&out.path().join("records.csv"));
    let text = std::fs::read_to_string(root().join(DEMO[0])).unwrap();
    let mut input = csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let in_headers: Vec<String> = input.headers().unwrap().iter().map(str::to_string).collect();
    let hub_rows: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "hubspot_contacts.csv").collect();
    for (i, rec) in input.records().enumerate() {
        let rec = rec.unwrap();
        for (c, name) in in_headers.iter().enumerate() {
            let col = h.iter().position(|x| x == name).unwrap();
            assert_eq!(hub_rows[i][col], &rec[c], "row {i} column {name}");
        }
    }
}

#[test]
fn evaluate_agrees_with_an_independent_pair_count() {
    let out = TempDir::new("eval");
    run_ok(&DEMO, out.path(), &[]);
    let o = regclean(
        &["evaluate", out.path().to_str().unwrap(), "--truth", "entity_id", "--truth-file", "fixtures/demo_truth.csv"],
        &[],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    let value = |k: &str| {
        stdout.lines().find(|l| l.starts_with(k)).unwrap().split_whitespace().last().unwrap().parse::<f64>().unwrap()
    };
    // Independent count: pairs per (golden, truth) cell.
    let (h, rows) = read_csv(&out.path().join("records.csv"));
    let (_, truth) = read_csv(&root().join("fixtures/demo_truth.csv"));
    let t: HashMap<(String, String), String> =
        truth.into_iter().map(|r| ((r[0].clone(), r[1].clone()), r[2].clone())).collect();
    let g = h.iter().position(|x| x == "golden_id").unwrap();
    let (mut pred, mut tru, mut both) = (HashMap::new(), HashMap::new(), HashMap::new());
    for r in &rows {
        let e = t[&(r[0].clone(), r[1].clone())].clone();
        *pred.entry(r[g].clone()).or_insert(0u64) += 1;
        *tru.entry(e.clone()).or_insert(0u64) += 1;
        *both.entry((r[g].clone(), e)).or_insert(0u64) += 1;
    }
    let pairs = |counts: Vec<u64>| counts.into_iter().map(|n| n * (n - 1) / 2).sum::<u64>();
    let (p, t, c) =
        (pairs(pred.into_values().collect()), pairs(tru.into_values().collect()), pairs(both.into_values().collect()));
    assert_eq!(value("predicted pairs") as u64, p);
    assert_eq!(value("true pairs") as u64, t);
    assert_eq!(value("correct pairs") as u64, c);
    // The demo's look-alikes (households, twins, namesakes, spouses) stay apart.
    assert!(value("precision") >= 0.99, "{stdout}");
    assert!(value("recall") >= 0.95, "{stdout}");
}

#[test]
fn pair_contributions_add_up() {
    let out = TempDir::new("pairs");
    run_ok(&DEMO, out.path(), &[]);
    let (h, rows) = read_csv(&out.path().join("pairs.csv"));
    assert!(!rows.is_empty());
    let mw: Vec<usize> = (0..h.len()).filter(|&i| h[i].starts_with("mw_")).collect();
    let total = h.iter().position(|x| x == "match_weight").unwrap();
    let prob = h.iter().position(|x| x == "match_probability").unwrap();
    for r in rows {
        let sum: f64 = mw.iter().map(|&i| r[i].parse::<f64>().unwrap()).sum();
        let w: f64 = r[total].parse().unwrap();
        assert!((sum - w).abs() < 1e-3, "{sum} vs {w}");
        let p: f64 = r[prob].parse().unwrap();
        assert!((p - 1.0 / (1.0 + (-w).exp2())).abs() < 1e-5);
    }
}

#[test]
fn a_failed_run_leaves_earlier_outputs_intact() {
    let out = TempDir::new("keep");
    run_ok(&DEMO, out.path(), &[]);
    let before = std::fs::read(out.path().join("records.csv")).unwrap();
    let o = regclean(&["run", "fixtures/does-not-exist.csv", "--out", out.path().to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(out.path().join("records.csv")).unwrap(), before);
}

#[test]
fn a_killed_run_leaves_the_previous_outputs_intact() {
    let tmp = TempDir::new("kill");
    let out = tmp.path().join("out");
    run_ok(&DEMO, &out, &[]);
    let before = files_in(&out);
    // A register big enough that the run is still busy when it is killed.
    let big = tmp.path().join("big.csv");
    let o = regclean(&["generate", "--rows", "60000", "--out", big.to_str().unwrap()], &[]);
    assert!(o.status.success());
    for delay_ms in [50u64, 300, 900] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_regclean"))
            .args(["run", big.to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", AS_OF, "-q"])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        if status.success() {
            continue; // finished before the kill: nothing to check for this delay
        }
        for (name, bytes) in &before {
            assert_eq!(&std::fs::read(out.join(name)).unwrap(), bytes, "{name} changed by a killed run");
        }
    }
    // The kernel released the dead run's lock; the next run cleans its temporaries.
    run_ok(&DEMO, &out, &[]);
    let leftovers = regclean_leftovers(&out);
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
