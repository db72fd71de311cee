//! The subcommands of the `regclean` binary, one module each (xsv's `src/cmd/<name>.rs`): each
//! takes its checked arguments, calls the library, prints what it did and returns the exit code.
//! What they share lives here: the exit codes and how an error is printed.

use std::path::Path;
use std::process::ExitCode;

/// Prints to stdout, ignoring a closed pipe (`regclean evaluate out | head` must not panic).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

pub mod bars;
pub mod check_rules;
pub mod completions;
pub mod erase;
pub mod evaluate;
pub mod explain;
pub mod generate;
pub mod man;
pub mod measure;
pub mod review;
pub mod rules;
pub mod run;
pub mod undo;

/// Exit codes, documented in README.md.
#[repr(u8)]
pub enum Exit {
    Done = 0,
    /// A fatal error: an input, config or output path could not be used. Nothing was written.
    Fatal = 1,
    /// The command line was wrong.
    Usage = 2,
    /// A quality gate failed; every output was still written.
    GateFailed = 3,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// Prints an error (every line of it) and gives its exit code.
pub fn fail(e: &regclean::Error) -> ExitCode {
    for line in e.to_string().lines() {
        eprintln!("regclean: error: {line}");
    }
    (if e.is_usage() { Exit::Usage } else { Exit::Fatal }).into()
}

/// Prints a command-line error.
pub fn fail_usage(msg: &str) -> ExitCode {
    eprintln!("regclean: error: {msg}");
    Exit::Usage.into()
}

/// A path a flag names that cannot be used: `--config myrules: is a directory (expected a .toml
/// file)`. Exit code 1, as for any path that cannot be used.
pub fn flag_problem(flag: &str, path: &Path, what: &str) -> regclean::Error {
    regclean::Error::Io { path: format!("{flag} {}", path.display()), message: what.to_string() }
}

/// A flag that names a file to read: it must exist and not be a directory.
pub fn file_flag(flag: &str, path: &Path, expected: &str) -> Result<(), regclean::Error> {
    if !path.exists() {
        Err(flag_problem(flag, path, &format!("does not exist (expected {expected})")))
    } else if path.is_dir() {
        Err(flag_problem(flag, path, &format!("is a directory (expected {expected})")))
    } else {
        Ok(())
    }
}

/// A flag that names a file to write: it must not be a directory.
pub fn output_file_flag(flag: &str, path: &Path, expected: &str) -> Result<(), regclean::Error> {
    if path.is_dir() { Err(flag_problem(flag, path, &format!("is a directory (expected {expected})"))) } else { Ok(()) }
}
