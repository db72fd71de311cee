//! Suppression lists and erasure (issue 29, part 3): a suppressed person is marked in
//! golden.csv and is in no segment or export; a list with an unreadable line is refused whole;
//! `regclean erase` leaves no value of the erased person in any file of the run folder, others
//! untouched, and an erasure log of hashes only; a later run with `--previous` keeps them out.

use super::*;
use sha2::{Digest, Sha256};

const HEADER: &str = "Record ID,First Name,Last Name,Email,Mobile Phone Number,City,Country/Region,Create Date,Last Activity Date,Number of Orders,Total Revenue,Last Order Date,Marketing Email Consent";

/// Eight people in Norway, all consenting and active; Ingrid Solberg twice (one golden record of
/// two rows) and once more in a line that is quarantined; Henrik and Sunniva are the ones the
/// suppression lists name.
fn register(dir: &Path) -> PathBuf {
    let people = [
        "R9914501,Ingrid,Solberg,ingrid.solberg@online.no,+47 412 34 567,Oslo,NO",
        "R9914502,Ingrid,Solberg,INGRID.SOLBERG@online.no,41234567,Oslo,NO",
        "R5530201,Henrik,Bakkevold,henrik.bakkevold@online.no,+47 913 45 678,Bergen,NO",
        "R5530202,Sunniva,Tveitaraas,sunniva.tveitaraas@online.no,+47 934 56 789,Trondheim,NO",
        "R5530203,Torbjørn,Kvalheim,torbjorn.kvalheim@online.no,+47 945 67 890,Stavanger,NO",
        "R5530204,Astrid,Lunde,astrid.lunde@online.no,+47 956 78 901,Tromsø,NO",
        "R5530205,Magnhild,Rørvik,magnhild.rorvik@online.no,+47 967 89 012,Bodø,NO",
        "R5530206,Eskil,Brattli,eskil.brattli@online.no,+47 978 90 123,Hamar,NO",
    ];
    let mut text = format!("{HEADER}\n");
    for p in people {
        text.push_str(&format!("{p},2024-01-10,2026-10-01,3,1200,2026-09-15,true\n"));
    }
    // Broken lines (too few fields): one of Ingrid's, one of someone else.
    text.push_str("R9914503,Ingrid,Solberg,ingrid.solberg@online.no\n");
    text.push_str("R5530299,Broken,Line\n");
    let path = dir.join("contacts.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn sha256_hex(value: &str) -> String {
    Sha256::digest(value.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Every file under `dir` (recursively) that holds one of `values`, compared case-insensitively
/// byte for byte.
fn files_holding(dir: &Path, values: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let bytes = std::fs::read(&path).unwrap().to_ascii_lowercase();
            for v in values {
                let needle = v.as_bytes().to_ascii_lowercase();
                if bytes.windows(needle.len()).any(|w| w == needle.as_slice()) {
                    found.push(format!("{} holds {v}", path.display()));
                }
            }
        }
    }
    found.sort();
    found
}

/// Ingrid's values, as the input and the outputs write them.
const INGRID: [&str; 9] = [
    "Ingrid",
    "Solberg",
    "ingrid.solberg@online.no",
    "+47 412 34 567",
    "+4741234567",
    "41234567",
    "R9914501",
    "R9914502",
    "R9914503",
];

fn golden_id_of(out: &Path, email: &str) -> String {
    let (h, rows) = read_csv(&out.join("golden.csv"));
    let col = h.iter().position(|c| c == "email").unwrap();
    rows.iter().find(|r| r[col] == email).unwrap_or_else(|| panic!("{email} not in golden.csv"))[0].clone()
}

fn report(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap()
}

#[test]
fn suppressed_people_are_marked_in_golden_and_in_no_segment_or_export() {
    let tmp = TempDir::new("suppress");
    let input = register(tmp.path());
    let input = input.to_str().unwrap();
    // Without lists: both are in segments (so leaving them out below is the lists' doing), and
    // golden.csv has no `suppressed` column.
    let base = tmp.path().join("base");
    run_ok(&[input], &base, &["--rules", "rules"]);
    let (h, _) = read_csv(&base.join("golden.csv"));
    assert!(!h.contains(&"suppressed".to_string()));
    let henrik = golden_id_of(&base, "henrik.bakkevold@online.no");
    let sunniva = golden_id_of(&base, "sunniva.tveitaraas@online.no");
    let segments = std::fs::read_to_string(base.join("segments.csv")).unwrap();
    assert!(segments.contains(&henrik) && segments.contains(&sunniva));
    assert!(std::fs::read_to_string(base.join("segments/nordics.csv")).unwrap().contains("henrik.bakkevold@online.no"));

    // A plain list (an e-mail in other case, and an entry that matches nobody) and a CSV export
    // holding the SHA-256 of a phone number in E.164.
    let plain = tmp.path().join("unsubscribed.txt");
    std::fs::write(&plain, "# opted out in the shop\n\n  Henrik.Bakkevold@Online.no \nnobody.here@example.org\n")
        .unwrap();
    let hashed = tmp.path().join("do_not_call.csv");
    std::fs::write(&hashed, format!("phone_sha256,added\n{},2026-01-02\n", sha256_hex("+4793456789"))).unwrap();
    let out = tmp.path().join("out");
    let o = run_ok(
        &[input],
        &out,
        &["--rules", "rules", "--suppress", plain.to_str().unwrap(), "--suppress", hashed.to_str().unwrap()],
    );
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("2 golden records suppressed"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let (h, golden) = read_csv(&out.join("golden.csv"));
    let col = h.iter().position(|c| c == "suppressed").expect("suppressed column");
    let marked: Vec<(&str, &str)> =
        golden.iter().filter(|g| !g[col].is_empty()).map(|g| (g[0].as_str(), g[col].as_str())).collect();
    let mut expected = vec![(henrik.as_str(), "unsubscribed"), (sunniva.as_str(), "do_not_call")];
    expected.sort();
    let mut marked = marked;
    marked.sort();
    assert_eq!(marked, expected);
    // In no segment and no export, by golden id or by value; everyone else as before.
    let hits = files_holding(&out.join("segments"), &[&henrik, &sunniva, "bakkevold", "tveitaraas"]);
    assert!(hits.is_empty(), "{hits:?}");
    let memberships = std::fs::read_to_string(out.join("segments.csv")).unwrap();
    assert!(!memberships.contains(&henrik) && !memberships.contains(&sunniva));
    let others: Vec<&str> = segments.lines().filter(|l| !l.contains(&henrik) && !l.contains(&sunniva)).collect();
    assert_eq!(memberships.lines().collect::<Vec<_>>(), others);
    // The report counts, never names; the unmatched entry is in no file.
    let r = report(&out);
    let s = &r["suppression"];
    assert_eq!(s["golden_records_suppressed"], 2);
    assert_eq!(s["lists"][0]["name"], "unsubscribed");
    assert_eq!(s["lists"][0]["entries"], 2);
    assert_eq!(s["lists"][0]["entries_unmatched"], 1);
    assert_eq!(s["lists"][0]["golden_records_suppressed"], 1);
    assert_eq!(s["lists"][1]["name"], "do_not_call");
    assert_eq!(s["lists"][1]["entries_unmatched"], 0);
    assert!(files_holding(&out, &["nobody.here"]).is_empty());
    assert!(std::fs::read_to_string(out.join("report.html")).unwrap().contains("do_not_call"));
}

#[test]
fn a_list_with_an_unreadable_line_is_refused_whole_naming_file_and_line() {
    let tmp = TempDir::new("suppress-bad");
    let input = register(tmp.path());
    let list = tmp.path().join("unsubscribed.txt");
    std::fs::write(&list, "henrik.bakkevold@online.no\n# next one is broken\nnot-an-email@\nastrid.lunde@online.no\n")
        .unwrap();
    let out = tmp.path().join("out");
    let o = regclean(
        &[
            "run",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--as-of",
            AS_OF,
            "--suppress",
            list.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("unsubscribed.txt") && err.contains("line 3"), "{err}");
    assert!(!err.contains("not-an-email"), "the error quotes the value: {err}");
    assert!(!out.exists(), "something was written");
    // Invalid UTF-8 and a CSV line of the wrong length are refused the same way.
    std::fs::write(&list, b"email,reason\nhenrik.bakkevold@online.no,asked\nastrid.lunde@online.no\n").unwrap();
    let o = regclean(
        &[
            "run",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--as-of",
            AS_OF,
            "--suppress",
            list.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("line 3"), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::write(&list, b"henrik.bakkevold@online.no\n\xff\xfeastrid@online.no\n").unwrap();
    let o = regclean(
        &[
            "run",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--as-of",
            AS_OF,
            "--suppress",
            list.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("line 2"), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!out.exists());
}

#[test]
fn erase_leaves_no_value_of_the_person_and_a_later_run_keeps_them_out() {
    let tmp = TempDir::new("erase");
    let input = register(tmp.path());
    let input = input.to_str().unwrap();
    let run = tmp.path().join("run");
    run_ok(&[input], &run, &["--rules", "rules", "--format", "parquet", "--show-samples"]);
    let before: Vec<String> = files_holding(&run, &INGRID);
    assert!(before.iter().any(|f| f.contains("golden.csv")) && before.iter().any(|f| f.contains("quarantine.csv")));
    let ingrid = golden_id_of(&run, "ingrid.solberg@online.no");
    let records_before = std::fs::read_to_string(run.join("records.csv")).unwrap();
    let golden_before = std::fs::read_to_string(run.join("golden.csv")).unwrap();

    let who = tmp.path().join("requests.txt");
    std::fs::write(&who, "# GDPR request 2026-11-24\ningrid.solberg@online.no\n").unwrap();
    let o = regclean(&["erase", run.to_str().unwrap(), "--who", who.to_str().unwrap(), "--as-of", "2026-11-24"], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("erased 1 golden record (2 rows)"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    // No value of hers in any file, report.html and the Parquet copies included.
    let hits = files_holding(&run, &INGRID);
    assert!(hits.is_empty(), "{hits:?}");
    assert!(files_holding(&run, &[&ingrid]).is_empty());
    // Everyone else untouched: the other rows keep their bytes.
    let others =
        |text: &str| -> Vec<String> { text.lines().filter(|l| !l.contains(&ingrid)).map(str::to_string).collect() };
    assert_eq!(others(&std::fs::read_to_string(run.join("records.csv")).unwrap()), others(&records_before));
    assert_eq!(others(&std::fs::read_to_string(run.join("golden.csv")).unwrap()), others(&golden_before));
    assert_eq!(read_csv(&run.join("golden.csv")).1.len(), 6);
    let (_, quarantine) = read_csv(&run.join("quarantine.csv"));
    assert_eq!(quarantine.len(), 1, "the other broken line stays");
    assert!(run.join("golden.parquet").is_file() && run.join("records.parquet").is_file());
    // The log: hashes only, of her e-mail, phone and record ids, dated.
    let log = std::fs::read_to_string(run.join("erasure_log.csv")).unwrap();
    let mut lines = log.lines();
    assert_eq!(lines.next(), Some("erased_on,kind,sha256"));
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), 3, "{line}");
        assert_eq!(cells[0], "2026-11-24");
        assert!(["email", "phone", "record_id", "sha256"].contains(&cells[1]), "{line}");
        assert!(cells[2].len() == 64 && cells[2].bytes().all(|b| b.is_ascii_hexdigit()), "{line}");
    }
    for value in ["ingrid.solberg@online.no", "+4741234567", "R9914501", "R9914502"] {
        assert!(log.contains(&sha256_hex(value)), "{value} not logged");
    }
    // The report counts what was erased since the run.
    let r = report(&run);
    assert_eq!(r["erased"]["golden_records"], 1);
    assert_eq!(r["erased"]["rows"], 2);
    // A request with an unreadable line changes nothing.
    let snapshot = (files_in(&run), files_in(&run.join("segments")));
    let second = tmp.path().join("second.txt");
    std::fs::write(&second, "torbjorn.kvalheim@online.no\nnot an entry\n").unwrap();
    let o =
        regclean(&["erase", run.to_str().unwrap(), "--who", second.to_str().unwrap(), "--as-of", "2026-11-25"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("second.txt: line 2"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(snapshot == (files_in(&run), files_in(&run.join("segments"))), "a refused request changed files");

    // Re-import: the same export again, with --previous of the erased run, keeps her out of
    // every file; every input row is still accounted for; the log goes on to the next run.
    let next = tmp.path().join("next");
    run_ok(
        &[input],
        &next,
        &["--rules", "rules", "--format", "parquet", "--show-samples", "--previous", run.to_str().unwrap()],
    );
    let hits = files_holding(&next, &INGRID);
    assert!(hits.is_empty(), "{hits:?}");
    let r = report(&next);
    assert_eq!(r["erasure"]["rows_kept_out"], 3);
    let rec = &r["reconciliation"];
    assert_eq!(rec["rows_erased"], 3);
    assert_eq!(rec["rows_read"], 10);
    assert_eq!(
        rec["rows_read"].as_u64(),
        Some(rec["rows_accepted"].as_u64().unwrap() + rec["rows_quarantined"].as_u64().unwrap() + 3)
    );
    assert_eq!(std::fs::read_to_string(next.join("erasure_log.csv")).unwrap(), log);
    let after = tmp.path().join("after");
    run_ok(&[input], &after, &["--rules", "rules", "--previous", next.to_str().unwrap()]);
    assert!(files_holding(&after, &INGRID).is_empty());

    // A second request, by the SHA-256 of a record id, erases another person and adds to the
    // log, whose earlier lines stay.
    std::fs::write(&second, format!("sha256:{}\n", sha256_hex("R5530203"))).unwrap();
    let o =
        regclean(&["erase", run.to_str().unwrap(), "--who", second.to_str().unwrap(), "--as-of", "2026-11-25"], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(files_holding(&run, &["Kvalheim", "torbjorn.kvalheim@online.no", "R5530203"]).is_empty());
    assert!(files_holding(&run, &INGRID).is_empty());
    assert_eq!(read_csv(&run.join("golden.csv")).1.len(), 5);
    let log2 = std::fs::read_to_string(run.join("erasure_log.csv")).unwrap();
    assert!(log2.starts_with(&log) && log2.len() > log.len() && log2.contains("2026-11-25,email,"));
    assert!(log2.contains(&sha256_hex("torbjorn.kvalheim@online.no")));
    let r = report(&run);
    assert_eq!((r["erased"]["erasures"].as_u64(), r["erased"]["golden_records"].as_u64()), (Some(2), Some(2)));
}

#[test]
fn erase_takes_the_person_out_of_the_review_queue_csv_and_xlsx() {
    let tmp = TempDir::new("erase_review");
    let out = tmp.path().join("out");
    let inputs = ["fixtures/demo/hubspot_contacts.csv", "fixtures/demo/nettbutikk_kunder.csv"];
    run_ok(&inputs, &out, &["--review-xlsx"]);
    let (h, rows) = read_csv(&out.join("review.csv"));
    let a = h.iter().position(|c| c == "record_a").unwrap();
    let id = rows[0][a].clone();
    assert!(!id.contains(':'), "the demo's first pair names its record by id: {id}");
    let who = tmp.path().join("who.txt");
    std::fs::write(&who, format!("{id}\n")).unwrap();
    let o = regclean(&["erase", out.to_str().unwrap(), "--who", who.to_str().unwrap(), "--as-of", AS_OF], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (_, after) = read_csv(&out.join("review.csv"));
    assert!(after.len() < rows.len());
    assert!(after.iter().all(|r| r.iter().all(|c| *c != id)), "review.csv still names {id}");
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(out.join("review.xlsx")).unwrap();
    let sheet = book.worksheet_range("review").unwrap();
    assert_eq!(sheet.height(), after.len() + 1, "review.xlsx is written again from review.csv");
    assert!(sheet.rows().all(|r| r.iter().all(|c| c.to_string() != id)), "review.xlsx still names {id}");
}
