//! Degenerate registers: many copies of one contact, and a record id many rows repeat.

use super::*;

fn golden_rows(out: &Path) -> usize {
    read_csv(&out.join("golden.csv")).1.len()
}

/// 600 copies of one contact under 600 customer numbers are one customer: identical rows join
/// before blocking, which would skip a key that 600 records share.
#[test]
fn copies_of_one_contact_are_one_golden_record() {
    let tmp = TempDir::new("copies");
    let input = tmp.path().join("copies.csv");
    let mut text = String::from("Customer ID,First Name,Last Name,Email,Phone\n");
    for i in 0..600 {
        text.push_str(&format!("{i},Kari,Nordmann,kari@nordmann.no,+4791234567\n"));
    }
    text.push_str("9999,Ola,Hansen,ola@hansen.no,+4798765432\n");
    std::fs::write(&input, text).unwrap();
    let out = tmp.path().join("out");
    run_ok(&[input.to_str().unwrap()], &out, &["-q"]);
    assert_eq!(golden_rows(&out), 2);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["dedup"]["exact_duplicate_rows"], 599);
}

/// Guest checkouts all numbered 0: different people stay apart, their golden ids are distinct
/// and do not depend on row order.
#[test]
fn a_repeated_record_id_keeps_people_apart_and_ids_stable() {
    let tmp = TempDir::new("guests");
    let people = [
        ("Kari", "Nordmann", "kari@x.no"),
        ("Ola", "Hansen", "ola@y.no"),
        ("Per", "Berg", "per@z.no"),
        ("Liv", "Dahl", "liv@w.no"),
    ];
    let mut rows: Vec<String> = (0..400)
        .map(|i| {
            let p = people[i % 4];
            format!("0,{}{i},{},{i}{}", p.0, p.1, p.2)
        })
        .collect();
    let write = |name: &str, rows: &[String]| {
        let path = tmp.path().join(name);
        std::fs::write(&path, format!("Customer ID,First Name,Last Name,Email\n{}\n", rows.join("\n"))).unwrap();
        path
    };
    let a = write("guests.csv", &rows);
    rows.reverse();
    let dir = tmp.path().join("b");
    std::fs::create_dir_all(&dir).unwrap();
    let b = dir.join("guests.csv");
    std::fs::write(&b, std::fs::read_to_string(write("tmp.csv", &rows)).unwrap()).unwrap();
    let (oa, ob) = (tmp.path().join("oa"), tmp.path().join("ob"));
    run_ok(&[a.to_str().unwrap()], &oa, &["-q"]);
    run_ok(&[b.to_str().unwrap()], &ob, &["-q"]);
    assert_eq!(golden_rows(&oa), 400);
    assert_eq!(std::fs::read(oa.join("golden.csv")).unwrap(), std::fs::read(ob.join("golden.csv")).unwrap());
}

/// A run never writes, renames or deletes a file it was given: an input inside the output
/// directory (an earlier records.csv, or a file named like a temporary) is refused, untouched.
#[test]
fn an_input_inside_the_output_directory_is_refused_and_untouched() {
    let tmp = TempDir::new("inputs-sacred");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    for name in ["records.csv", ".regclean-tmp-x.csv"] {
        let input = out.join(name);
        let text = "First Name,Last Name,Email\nKari,Nordmann,kari@x.no\n";
        std::fs::write(&input, text).unwrap();
        let o = regclean(&["run", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", AS_OF], &[]);
        assert_eq!(o.status.code(), Some(1), "{name}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("inside the output directory"), "{name}");
        assert_eq!(std::fs::read_to_string(&input).unwrap(), text, "{name} untouched");
        assert!(!out.join("golden.csv").exists());
        std::fs::remove_file(&input).unwrap();
    }
}

/// A value after the last column on every data row (not in the header) quarantines every row:
/// the run is not a success (exit 3, outputs written) and says what the rows had in common. (A
/// trailing delimiter whose field is empty is read: `ingest`'s `a_trailing_delimiter_on_data_rows_is_read`.)
#[test]
fn a_run_that_accepts_no_row_fails_and_says_why() {
    let tmp = TempDir::new("extra_column");
    let input = tmp.path().join("extra.csv");
    let mut text = String::from("First Name,Last Name,Email\n");
    for i in 0..50 {
        text.push_str(&format!("Kari{i},Nordmann,kari{i}@x.no,VIP\n"));
    }
    std::fs::write(&input, text).unwrap();
    let out = tmp.path().join("out");
    let o = regclean(&["run", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", AS_OF], &[]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("rows accepted: 0"), "{err}");
    assert!(err.contains("4 fields, the header 3: a value the header has no column for"), "{err}");
    assert!(out.join("quarantine.csv").exists(), "outputs are still written");
}

/// An endless input and a header longer than any row may be are refused at once.
#[test]
fn endless_and_unbounded_inputs_are_refused_quickly() {
    let tmp = TempDir::new("unbounded");
    let out = tmp.path().join("out");
    if Path::new("/dev/zero").exists() {
        let o = regclean(&["run", "/dev/zero", "--out", out.to_str().unwrap(), "--as-of", AS_OF], &[]);
        assert_eq!(o.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&o.stderr).contains("is not a regular file"));
    }
    let long = tmp.path().join("long.csv");
    std::fs::write(&long, "a".repeat(1_100_000)).unwrap();
    let o = regclean(&["run", long.to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", AS_OF], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("line 1: the first line is longer than 1 MiB"));
}

/// A run's outputs are one consistent set: a run without rules after a run with them leaves no
/// segments.csv or exports of the earlier run behind.
#[test]
fn outputs_of_an_earlier_run_do_not_survive_a_run_that_does_not_write_them() {
    let tmp = TempDir::new("consistent");
    let out = tmp.path().join("out");
    let demo = ["fixtures/demo/hubspot_contacts.csv", "fixtures/demo/nettbutikk_kunder.csv"];
    run_ok(&demo, &out, &["-q", "--rules", "rules"]);
    assert!(out.join("segments.csv").exists());
    assert!(std::fs::read_dir(out.join("segments")).unwrap().count() > 10);
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    run_ok(&demo, &out, &["-q"]);
    assert!(!out.join("segments.csv").exists(), "segments.csv of the earlier run removed");
    assert_eq!(std::fs::read_dir(out.join("segments")).unwrap().count(), 0, "old exports removed");
    assert_eq!(std::fs::read_to_string(out.join("notes.txt")).unwrap(), "mine", "other files untouched");
    assert!(out.join("golden.csv").exists());
}

/// SIGTERM in the middle of a run: exit 130, no temporaries left, the lock released (the next
/// run into the folder starts at once).
#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_no_temporaries_and_no_lock() {
    let tmp = TempDir::new("sigterm");
    let reg = tmp.path().join("reg.csv");
    let o = regclean(&["generate", "--rows", "400000", "--out", reg.to_str().unwrap()], &[]);
    assert!(o.status.success());
    let out = tmp.path().join("out");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_regclean"))
        .args(["run", reg.to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", AS_OF, "-q"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the run has started writing (its lock file exists), then a little more.
    let start = std::time::Instant::now();
    while !out.join(".regclean.lock").exists() && start.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let killed = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "the run was still going when it was interrupted");
    let leftovers: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".regclean-tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(!out.join("golden.csv").exists(), "no half run's outputs");
    let small = tmp.path().join("small.csv");
    std::fs::write(&small, "First Name,Last Name,Email\nKari,Nordmann,kari@x.no\n").unwrap();
    run_ok(&[small.to_str().unwrap()], &out, &["-q"]);
}

/// A chain of `same` decisions joining more than 100 rows is joined as asked, with a warning.
#[test]
fn a_long_chain_of_same_decisions_is_warned_about() {
    let tmp = TempDir::new("same-chain");
    let input = tmp.path().join("people.csv");
    let mut text = String::from("Customer ID,First Name,Last Name,Email\n");
    for i in 0..120 {
        text.push_str(&format!("C{i},Given{i},Family{i},p{i}@example.org\n"));
    }
    std::fs::write(&input, text).unwrap();
    let decisions = tmp.path().join("d.csv");
    let mut d = String::from("record_a,record_b,decision\n");
    for i in 1..120 {
        d.push_str(&format!("C{},C{i},same\n", i - 1));
    }
    std::fs::write(&decisions, d).unwrap();
    let out = tmp.path().join("out");
    let o = run_ok(&[input.to_str().unwrap()], &out, &["--decisions", decisions.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("warning: a chain of 'same' decisions joins 120 rows"), "{err}");
    assert_eq!(read_csv(&out.join("golden.csv")).1.len(), 1);
}
