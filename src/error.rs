//! Errors that stop a run before anything is written.
//!
//! Only whole-run problems are errors: a file that cannot be read, a bad flag, a bad config or
//! rule. Problems with one row or one value are data, not errors: they go to the quarantine or
//! the quality report. Every error names where it was found (file, line, column) in the manner
//! of rust-csv and ripgrep, and never quotes a customer's value.

use std::fmt;
use std::path::Path;

#[derive(Debug)]
pub enum Error {
    /// The operating system refused to read or write a path.
    Io { path: String, message: String },
    /// A file (input, config, rules, decisions) has a problem at a position.
    Input { path: String, line: Option<usize>, column: Option<usize>, message: String },
    /// A flag or argument combination that makes no sense.
    Usage(String),
    /// Several problems, reported together so the user can fix them in one go.
    Many(Vec<Error>),
}

impl Error {
    pub fn io(path: &Path, e: std::io::Error) -> Error {
        let message = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        Error::Io { path: path.display().to_string(), message }
    }

    pub fn input(path: &Path, line: Option<usize>, column: Option<usize>, message: &str) -> Error {
        Error::Input { path: path.display().to_string(), line, column, message: message.to_string() }
    }

    /// Wraps several errors; a single one is returned as it is.
    pub fn many(mut errors: Vec<Error>) -> Error {
        if errors.len() == 1 { errors.pop().expect("one error") } else { Error::Many(errors) }
    }

    /// True for usage errors (exit code 2) as opposed to fatal errors (exit code 1); several
    /// problems are a usage error only when every one of them is.
    pub fn is_usage(&self) -> bool {
        match self {
            Error::Usage(_) => true,
            Error::Many(errors) => errors.iter().all(Error::is_usage),
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, message } => write!(f, "{path}: {message}"),
            Error::Input { path, line, column, message } => {
                write!(f, "{path}")?;
                match (line, column) {
                    (Some(l), Some(c)) => write!(f, ": line {l}, column {c}")?,
                    (Some(l), None) => write!(f, ": line {l}")?,
                    _ => {}
                }
                write!(f, ": {message}")
            }
            Error::Usage(m) => f.write_str(m),
            Error::Many(errors) => {
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {}
