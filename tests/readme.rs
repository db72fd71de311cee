//! The README is tested: every console example in README.md (a ```console block; each line
//! starting with `$ ` is a command, the lines after it up to the next command are what it
//! prints) runs against the committed demo, in the order the README gives, and must print what
//! the block shows. So the tour cannot drift from what the program does.
//!
//! How a block runs: all commands share one fresh temporary directory (an earlier command's
//! `out/` is there for a later one), where `fixtures/` and `rules/` are links to the
//! repository's, and `regclean` is the binary this test was built with. Each command runs with
//! `sh -c` (globs such as `fixtures/demo/*.csv` expand as in a shell); what it prints is its
//! stdout followed by its stderr. Its exit code is not checked: an example may show an error.
//!
//! How output is compared: word by word, so spacing and line breaks do not count (`ls` prints a
//! grid on a terminal and a list into a pipe). The one wildcard is `[..]`: it stands for any
//! text (`in [..] s` for a run's time; `10041;Bjørn;Olsen;[..]` for the rest of a raw row).
//!
//! After a deliberate change (new demo data, new counts, new warnings), re-bless in one command:
//!
//! ```sh
//! REGCLEAN_BLESS=1 cargo test --release --test readme
//! ```
//!
//! rewrites every block's outputs in README.md with what the commands printed, keeping a line
//! written with `[..]` where it still matches and writing a run's time as `in [..] s`; then
//! read `git diff README.md` before committing.

#![cfg(unix)] // the workspace links fixtures/, rules/ and the binary with Unix symlinks

use std::path::{Path, PathBuf};
use std::process::Command;

/// One `$ ` line of a console block and the output lines the README shows after it.
struct Example {
    command: String,
    /// README line index of the command.
    line: usize,
    /// README line indices [start, end) of its expected output.
    output: std::ops::Range<usize>,
}

fn examples(readme: &[&str]) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    let mut in_block = false;
    for (i, line) in readme.iter().enumerate() {
        if !in_block {
            in_block = line.trim_end() == "```console";
            continue;
        }
        if line.trim_end() == "```" {
            in_block = false;
        } else if let Some(command) = line.strip_prefix("$ ") {
            examples.push(Example { command: command.to_string(), line: i, output: i + 1..i + 1 });
        } else if let Some(last) = examples.last_mut() {
            last.output.end = i + 1;
        }
    }
    examples
}

/// `[..]` stands for any text (spaces and line breaks included); the rest must be equal.
/// Leftmost matching of each literal part is exact for a pattern whose only wildcard is `[..]`.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split("[..]").collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if text.len() < first.len() + last.len() || !text.starts_with(first) || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// The README's text against what was printed, word by word: every run of spaces and line
/// breaks counts as one space.
fn matches(expected: &str, actual: &str) -> bool {
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    glob(&words(expected), &words(actual))
}

/// A temporary directory where the README's relative paths work.
fn workspace() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("regclean-readme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".bin")).unwrap();
    for name in ["fixtures", "rules"] {
        std::os::unix::fs::symlink(root.join(name), dir.join(name)).unwrap();
    }
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_regclean"), dir.join(".bin/regclean")).unwrap();
    dir
}

fn run(dir: &Path, command: &str) -> String {
    let path = format!("{}:{}", dir.join(".bin").display(), std::env::var("PATH").unwrap_or_default());
    let o = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .env("PATH", path)
        .env("LC_ALL", "C")
        .output()
        .expect("run sh");
    let mut text = String::from_utf8_lossy(&o.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&o.stderr));
    text
}

/// The lines to write back for a command's output: what it printed, except that a README line
/// with `[..]` that matches a printed line is kept as it was, and a run's time (`, in 0.3 s`,
/// the one thing that changes from run to run) is written `, in [..] s`.
fn blessed(expected: &[&str], actual: &str) -> Vec<String> {
    actual
        .lines()
        .map(str::trim_end)
        .map(|a| match expected.iter().find(|e| e.contains("[..]") && matches(e, a)) {
            Some(e) => e.to_string(),
            None => without_time(a),
        })
        .collect()
}

/// `..., in 0.3 s` → `..., in [..] s`.
fn without_time(line: &str) -> String {
    if let Some(head) = line.strip_suffix(" s")
        && let Some((before, time)) = head.rsplit_once(", in ")
        && time.parse::<f64>().is_ok()
    {
        return format!("{before}, in [..] s");
    }
    line.to_string()
}

#[test]
fn every_console_example_in_the_readme_prints_what_it_shows() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let examples = examples(&lines);
    assert!(examples.len() >= 10, "the README's tour has its console examples ({} found)", examples.len());
    let dir = workspace();
    let bless = std::env::var_os("REGCLEAN_BLESS").is_some();
    let mut failures = Vec::new();
    let mut replaced: Vec<(std::ops::Range<usize>, Vec<String>)> = Vec::new();
    for ex in &examples {
        let expected = &lines[ex.output.clone()];
        let actual = run(&dir, &ex.command);
        if !matches(&expected.join("\n"), &actual) {
            failures.push(format!(
                "README.md line {}: $ {}\n--- the README shows:\n{}\n--- it printed:\n{}",
                ex.line + 1,
                ex.command,
                expected.join("\n"),
                actual.trim_end()
            ));
            replaced.push((ex.output.clone(), blessed(expected, &actual)));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    if bless && !replaced.is_empty() {
        let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        for (range, new) in replaced.into_iter().rev() {
            out.splice(range, new);
        }
        std::fs::write(&path, out.join("\n") + "\n").unwrap();
        return;
    }
    assert!(
        failures.is_empty(),
        "{} README example(s) print something else (re-bless with REGCLEAN_BLESS=1 cargo test --release --test readme):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn words_and_wildcards_compare_as_documented() {
    assert!(matches("a  b\nc", "a b c\n"));
    assert!(matches("in [..] s", "in 0.3 s"));
    assert!(matches("[..] rows read", "345 rows read"));
    assert!(matches("G[..]", "G0289ea899fb5"));
    assert!(matches("raw \"1;Kari;[..]\nnext", "raw \"1;Kari;Storgata 1; 0150 Oslo\"\nnext"));
    assert!(!matches("G[..]x", "G0289ea899fb5"));
    assert!(!matches("345 rows read", "346 rows read"));
    assert!(!matches("a b", "a b c"));
    assert_eq!(blessed(&["done in [..] s", "old"], "done in 1.2 s\nnew\n"), ["done in [..] s", "new"]);
    assert_eq!(blessed(&[], "3 rows read, in 0.8 s\n"), ["3 rows read, in [..] s"]);
}
