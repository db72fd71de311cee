//! The review queue end to end: a run writes review.csv (least certain pairs first, masked like
//! the report), `regclean review` walks it with piped answers or imports a filled copy (CSV or
//! xlsx), the next run obeys the decisions, and its report estimates precision and recall.

use super::*;
use std::io::Write;
use std::process::Stdio;

const DEMO: [&str; 2] = ["fixtures/demo/hubspot_contacts.csv", "fixtures/demo/nettbutikk_kunder.csv"];

/// `regclean review` with `input` on its stdin.
fn review(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_regclean"))
        .arg("review")
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn col(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// Golden id of each row named `file:line` or by record id, from records.csv.
fn golden_of(out: &Path) -> impl Fn(&str) -> String {
    let (h, rows) = read_csv(&out.join("records.csv"));
    let (g, id) = (col(&h, "golden_id"), col(&h, "clean_record_id"));
    move |name: &str| {
        let hits: Vec<&Vec<String>> =
            rows.iter().filter(|r| r[id] == name || format!("{}:{}", r[0], r[1]) == name).collect();
        assert_eq!(hits.len(), 1, "{name} names {} rows", hits.len());
        hits[0][g].clone()
    }
}

#[test]
fn review_csv_lists_the_least_certain_pairs_first_masked_like_the_report() {
    let out = TempDir::new("review-queue");
    run_ok(&DEMO, out.path(), &[]);
    let (h, rows) = read_csv(&out.path().join("review.csv"));
    assert_eq!(&h[..3], ["record_a", "record_b", "decision"]);
    assert_eq!(rows.len(), 50, "the default queue is 50 pairs");
    let (ev, th) = (col(&h, "evidence_bits"), col(&h, "threshold_bits"));
    let distance = |r: &Vec<String>| (r[ev].parse::<f64>().unwrap() - r[th].parse::<f64>().unwrap()).abs();
    for w in rows.windows(2) {
        assert!(distance(&w[0]) <= distance(&w[1]), "not least certain first: {:?} then {:?}", w[0], w[1]);
    }
    // Every pair of the register at least as uncertain as the queue's last is in the queue,
    // unless the diversity rule left it out (its records' customers already have their pairs).
    let (ph, pairs) = read_csv(&out.path().join("pairs.csv"));
    let (mw, prior) = (col(&ph, "match_weight"), col(&ph, "mw_prior"));
    let last = distance(rows.last().unwrap());
    let closer = pairs
        .iter()
        .filter(|p| (p[mw].parse::<f64>().unwrap() - p[prior].parse::<f64>().unwrap() - 12.0).abs() < last - 1e-3)
        .count();
    assert!(closer >= rows.len() / 2 && closer <= 4 * rows.len(), "{closer} pairs nearer than the queue's last");
    assert!(rows.iter().all(|r| r[col(&h, "decision")].is_empty()));
    // No clear name, e-mail or phone of a queued record is in review.csv; with --show-samples
    // they are.
    let text = std::fs::read_to_string(out.path().join("review.csv")).unwrap();
    let (rh, records) = read_csv(&out.path().join("records.csv"));
    let queued: Vec<&str> = rows.iter().flat_map(|r| [r[0].as_str(), r[1].as_str()]).collect();
    let id = col(&rh, "clean_record_id");
    let mut clear = Vec::new();
    for r in records
        .iter()
        .filter(|r| queued.contains(&r[id].as_str()) || queued.contains(&format!("{}:{}", r[0], r[1]).as_str()))
    {
        for f in
            ["clean_first_name", "clean_last_name", "clean_email", "clean_mobile", "clean_phone", "clean_birth_date"]
        {
            let v = &r[col(&rh, f)];
            if v.chars().count() >= 3 {
                clear.push(v.clone());
            }
        }
    }
    assert!(clear.len() > 100, "{} clear values", clear.len());
    // As whole words or cells (Trondheim is a city, not the name Trond).
    let shows = |text: &str, v: &str| {
        text.split(|c: char| c == ',' || c == '"' || c.is_whitespace()).any(|cell| cell == v)
            || text.split(|c: char| !c.is_alphanumeric()).any(|word| word == v)
    };
    for v in &clear {
        assert!(!shows(&text, v), "review.csv shows a clear value");
    }
    assert!(text.contains("@gmail.com"), "e-mail domains are kept, as in the report");
    let shown = TempDir::new("review-queue-shown");
    run_ok(&DEMO, shown.path(), &["--show-samples", "--review-pairs", "7"]);
    let (_, shown_rows) = read_csv(&shown.path().join("review.csv"));
    // The same pairs in the same order, only the values shown.
    let names = |rs: &[Vec<String>]| rs.iter().map(|r| (r[0].clone(), r[1].clone())).collect::<Vec<_>>();
    assert_eq!(names(&shown_rows), names(&rows[..7]));
    let shown_text = std::fs::read_to_string(shown.path().join("review.csv")).unwrap();
    assert!(clear.iter().filter(|v| shows(&shown_text, v)).count() > 20, "--show-samples shows the values");
    // The same queue at any thread count.
    let one = TempDir::new("review-queue-1");
    let o = regclean(
        &["run", DEMO[0], DEMO[1], "--out", one.path().to_str().unwrap(), "--as-of", AS_OF],
        &[("RAYON_NUM_THREADS", "1")],
    );
    assert!(o.status.success());
    assert_eq!(std::fs::read(one.path().join("review.csv")).unwrap(), text.as_bytes());
    // --review-pairs 0: the header only.
    let none = TempDir::new("review-queue-0");
    run_ok(&DEMO, none.path(), &["--review-pairs", "0"]);
    let (h0, r0) = read_csv(&none.path().join("review.csv"));
    assert_eq!(h0[..8], h[..8]);
    assert!(r0.is_empty());
}

#[test]
fn piped_answers_append_exactly_the_decisions_given() {
    let tmp = TempDir::new("review-walk");
    let out = tmp.path().join("out");
    run_ok(&DEMO, &out, &["--review-pairs", "10"]);
    let (_, rows) = read_csv(&out.join("review.csv"));
    let decisions = tmp.path().join("decisions.csv");
    let (d, o) = (decisions.to_str().unwrap(), out.to_str().unwrap());
    // same, different, skip, back (to the skipped third pair), different, quit.
    let got = review(&[o, "--decisions", d], "s\nd\nk\nb\nd\nq\n");
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    let stdout = String::from_utf8_lossy(&got.stdout);
    let want = format!(
        "record_a,record_b,decision\n{},{},same\n{},{},different\n{},{},different\n",
        rows[0][0], rows[0][1], rows[1][0], rows[1][1], rows[2][0], rows[2][1]
    );
    assert_eq!(std::fs::read_to_string(&decisions).unwrap(), want);
    assert!(stdout.contains("pair 1 of 10"), "{stdout}");
    assert!(stdout.contains("evidence"), "{stdout}");
    assert!(stdout.contains("added 3 decisions to"), "{stdout}");
    // The terminal shows the run's cleaned values (records.csv's); review.csv masks them.
    let (rh, records) = read_csv(&out.join("records.csv"));
    let first = records
        .iter()
        .find(|r| r[col(&rh, "clean_record_id")] == rows[0][0] || format!("{}:{}", r[0], r[1]) == rows[0][0])
        .unwrap();
    let email = &first[col(&rh, "clean_email")];
    assert!(email.is_empty() || stdout.contains(email.as_str()), "clear values in the terminal");
    // A second session starts at the first pair not yet decided, and an answer already there
    // is not written again.
    let again = review(&[o, "--decisions", d, "--masked"], "d\nq\n");
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains("pair 1 of 7"), "{stdout}");
    assert!(!email.is_empty() && !stdout.contains(email.as_str()), "--masked hides the values");
    let text = std::fs::read_to_string(&decisions).unwrap();
    assert_eq!(text, format!("{want}{},{},different\n", rows[3][0], rows[3][1]));
    // An unknown answer is asked again; the end of the input quits and keeps what was given.
    let third = review(&[o, "--decisions", d], "maybe\ns\n");
    assert!(third.status.success());
    assert!(String::from_utf8_lossy(&third.stdout).contains("answer s, d, k, b or q"));
    assert!(std::fs::read_to_string(&decisions).unwrap().ends_with(&format!("{},{},same\n", rows[4][0], rows[4][1])));
}

#[test]
fn a_review_session_on_a_fresh_run_changes_the_next_run_as_decided() {
    let tmp = TempDir::new("review-next-run");
    let (first, second) = (tmp.path().join("first"), tmp.path().join("second"));
    run_ok(&DEMO, &first, &["--review-pairs", "12"]);
    let (h, rows) = read_csv(&first.join("review.csv"));
    let linked = col(&h, "linked");
    assert!(rows.iter().any(|r| r[linked] == "true") && rows.iter().any(|r| r[linked] == "false"));
    // Answer every pair against the model: merged pairs are different, the others the same.
    let answers: String = rows.iter().map(|r| if r[linked] == "true" { "d\n" } else { "s\n" }).collect();
    let decisions = tmp.path().join("decisions.csv");
    let got = review(&[first.to_str().unwrap(), "--decisions", decisions.to_str().unwrap()], &answers);
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    run_ok(&DEMO, &second, &["--decisions", decisions.to_str().unwrap()]);
    let (before, after) = (golden_of(&first), golden_of(&second));
    for r in &rows {
        let was = before(&r[0]) == before(&r[1]);
        assert_eq!(was, r[linked] == "true");
        assert_eq!(after(&r[0]) == after(&r[1]), !was, "{} and {}: the decision is not obeyed", r[0], r[1]);
    }
    // The decided pairs are not asked again.
    let (_, next) = read_csv(&second.join("review.csv"));
    for r in &rows {
        assert!(!next.iter().any(|n| (n[0] == r[0] && n[1] == r[1]) || (n[0] == r[1] && n[1] == r[0])));
    }
    // report.json: the decided pairs against the model's own decisions (before decisions),
    // which review.csv's evidence and threshold tell.
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(second.join("report.json")).unwrap()).unwrap();
    let rv = &report["review"];
    let (ev, th, refused) = (col(&h, "evidence_bits"), col(&h, "threshold_bits"), col(&h, "refused_because"));
    let (mut tp, mut fp, mut fn_, mut tn) = (0u64, 0u64, 0u64, 0u64);
    for r in &rows {
        let model = r[ev].parse::<f64>().unwrap() >= r[th].parse::<f64>().unwrap()
            && !["namesake_check", "coincidence"].contains(&r[refused].as_str());
        let human_same = r[linked] == "false";
        match (model, human_same) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            (false, false) => tn += 1,
        }
    }
    assert_eq!(rv["decided_pairs"], rows.len());
    assert_eq!(rv["scored_pairs"], rows.len());
    assert_eq!(rv["not_scored_pairs"], 0);
    assert_eq!(
        (&rv["true_positives"], &rv["false_positives"], &rv["false_negatives"], &rv["true_negatives"]),
        (&tp.into(), &fp.into(), &fn_.into(), &tn.into()),
        "{rv}"
    );
    assert_eq!(rv["interval"], "wilson");
    assert_eq!(rv["confidence"], 0.95);
    for (key, k, n) in [("precision", tp, tp + fp), ("recall", tp, tp + fn_)] {
        if n == 0 {
            assert!(rv[key].is_null(), "{rv}");
            continue;
        }
        let e = &rv[key];
        assert_eq!(e["pairs"], n);
        let (p, lo, hi) = (e["estimate"].as_f64().unwrap(), e["low"].as_f64().unwrap(), e["high"].as_f64().unwrap());
        assert!((p - k as f64 / n as f64).abs() < 1e-4, "{e}");
        assert!(lo <= p && p <= hi && lo >= 0.0 && hi <= 1.0 && hi - lo > 0.0, "{e}");
    }
    assert!(tp + fp > 0 && fp > 0, "the model linked pairs the person called different");
    let html = std::fs::read_to_string(second.join("report.html")).unwrap();
    assert!(html.contains("Checked against the decisions file: 12 decided pairs"), "no review line in report.html");
    // Without --decisions there is no review section.
    let first_report = std::fs::read_to_string(first.join("report.json")).unwrap();
    assert!(!first_report.contains("\"review\""));
}

#[test]
fn a_filled_review_csv_or_xlsx_is_imported_and_a_bad_cell_refused() {
    use calamine::Reader;
    let tmp = TempDir::new("review-import");
    let out = tmp.path().join("out");
    run_ok(&DEMO, &out, &["--review-pairs", "6", "--review-xlsx"]);
    let (h, rows) = read_csv(&out.join("review.csv"));
    let dcol = col(&h, "decision");
    // review.xlsx holds the same table as review.csv.
    let mut book = calamine::open_workbook_auto(out.join("review.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["review"]);
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let sheet: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(sheet[0], h);
    assert_eq!(sheet.len(), rows.len() + 1);
    for (s, r) in sheet[1..].iter().zip(&rows) {
        assert_eq!((&s[0], &s[1]), (&r[0], &r[1]));
        let p: f64 = s[col(&h, "match_probability")].parse().unwrap();
        assert!((p - r[col(&h, "match_probability")].parse::<f64>().unwrap()).abs() < 1e-9);
    }
    // The same run writes the same workbook; a run without --review-xlsx into that folder
    // leaves no workbook of an earlier queue behind.
    let again = tmp.path().join("again");
    run_ok(&DEMO, &again, &["--review-pairs", "6", "--review-xlsx"]);
    assert_eq!(std::fs::read(out.join("review.xlsx")).unwrap(), std::fs::read(again.join("review.xlsx")).unwrap());
    run_ok(&DEMO, &again, &["--review-pairs", "6"]);
    assert!(!again.join("review.xlsx").exists() && again.join("review.csv").exists());

    // A filled CSV as Excel saves it in Europe: semicolons, a BOM, the decision column filled.
    let decisions = tmp.path().join("decisions.csv");
    let filled = tmp.path().join("filled.csv");
    let write_filled = |cells: [&str; 6]| {
        let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(vec![0xEF, 0xBB, 0xBF]);
        w.write_record(&h).unwrap();
        for (r, cell) in rows.iter().zip(cells) {
            let mut r = r.clone();
            r[dcol] = cell.to_string();
            w.write_record(&r).unwrap();
        }
        std::fs::write(&filled, w.into_inner().unwrap()).unwrap();
    };
    let (o, d, f) = (out.to_str().unwrap(), decisions.to_str().unwrap(), filled.to_str().unwrap());
    write_filled(["same", "", "Different", "maybe", "", "perhaps"]);
    let bad = review(&[o, "--from", f, "--decisions", d], "");
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains(&format!("{f}: line 5, column 3: unknown decision 'maybe'")), "{err}");
    assert!(err.contains(&format!("{f}: line 7, column 3: unknown decision 'perhaps'")), "{err}");
    assert!(!decisions.exists(), "nothing is applied from a file with a bad cell");
    write_filled(["same", "", "Different", "", "", "different"]);
    let good = review(&[o, "--from", f, "--decisions", d], "");
    assert!(good.status.success(), "{}", String::from_utf8_lossy(&good.stderr));
    let want = format!(
        "record_a,record_b,decision\n{},{},same\n{},{},different\n{},{},different\n",
        rows[0][0], rows[0][1], rows[2][0], rows[2][1], rows[5][0], rows[5][1]
    );
    assert_eq!(std::fs::read_to_string(&decisions).unwrap(), want);
    // Imported again: nothing new. A contradiction refuses the whole import.
    let same_again = review(&[o, "--from", f, "--decisions", d], "");
    assert!(String::from_utf8_lossy(&same_again.stdout).contains("added 0 decisions"));
    write_filled(["", "same", "same", "", "", ""]);
    let contra = review(&[o, "--from", f, "--decisions", d], "");
    assert_eq!(contra.status.code(), Some(1));
    let err = String::from_utf8_lossy(&contra.stderr);
    assert!(err.contains(&format!("{f}: line 4, column 3: 'same' contradicts the 'different' decision")), "{err}");
    assert_eq!(std::fs::read_to_string(&decisions).unwrap(), want, "nothing appended");
    // Nor may a chain of `same` decisions join two records a `different` keeps apart.
    let (x, y, z) = (&rows[2][0], &rows[2][1], &rows[3][0]);
    assert!(x != z && y != z);
    std::fs::write(&filled, format!("record_a,record_b,decision\n{x},{z},same\n{z},{y},same\n")).unwrap();
    let chain = review(&[o, "--from", f, "--decisions", d], "");
    assert_eq!(chain.status.code(), Some(1));
    let err = String::from_utf8_lossy(&chain.stderr);
    assert!(err.contains(&format!("{f}: line 3, column 3: 'same' would join records")), "{err}");
    assert_eq!(std::fs::read_to_string(&decisions).unwrap(), want, "nothing appended");

    // The workbook, filled in a spreadsheet program.
    let write_xlsx = |path: &Path, cells: [&str; 6]| {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (c, v) in h.iter().enumerate() {
            sheet.write_string(0, c as u16, v).unwrap();
        }
        for (i, (r, cell)) in rows.iter().zip(cells).enumerate() {
            for (c, v) in r.iter().enumerate() {
                let v = if c == dcol { cell } else { v.as_str() };
                match v.parse::<f64>() {
                    Ok(x) if c < 2 => sheet.write_number(i as u32 + 1, c as u16, x).unwrap(),
                    _ => sheet.write_string(i as u32 + 1, c as u16, v).unwrap(),
                };
            }
        }
        book.save(path).unwrap();
    };
    let xlsx = tmp.path().join("filled.xlsx");
    let (x, d2) = (xlsx.to_str().unwrap(), tmp.path().join("d2.csv"));
    write_xlsx(&xlsx, ["", "different", "", "", "x", ""]);
    let bad = review(&[o, "--from", x, "--decisions", d2.to_str().unwrap()], "");
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains(&format!("{x}: line 6, column 3: unknown decision 'x'")), "{err}");
    assert!(!d2.exists());
    write_xlsx(&xlsx, ["", "different", "", "", "same", ""]);
    let good = review(&[o, "--from", x, "--decisions", d2.to_str().unwrap()], "");
    assert!(good.status.success(), "{}", String::from_utf8_lossy(&good.stderr));
    assert_eq!(
        std::fs::read_to_string(&d2).unwrap(),
        format!(
            "record_a,record_b,decision\n{},{},different\n{},{},same\n",
            rows[1][0], rows[1][1], rows[4][0], rows[4][1]
        )
    );
}
