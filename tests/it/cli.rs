//! The command line as a user meets it: installing, progress on stderr, and the messages of
//! mistyped arguments (issue 19). Each test names the rough edge it keeps fixed.

use super::*;

#[test]
fn readme_says_how_to_install_the_command_its_tour_calls() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let install = readme.find("cargo install --path .").expect("README says how to install regclean");
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
        (vec!["evaluate", m, "--truth", "entity_id"], format!("{m}: no such directory; give the output directory of `regclean run`")),
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
