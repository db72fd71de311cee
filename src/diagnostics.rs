//! Diagnostics: the positioned error messages every rule and config file shares.
//!
//! The config, survivorship, stale policy and segment files are TOML read by different stages.
//! They all report problems the same way: file, line and column, and the nearest valid name for
//! a misspelt one. This leaf module holds that one way, so the stages need not import the config
//! module (which sits above them) to borrow it.

use crate::error::Error;
use std::path::Path;

/// Deserialises a TOML file's text, turning a syntax or shape error into an error that names
/// the file, line and column. Config, survivorship, stale policy and segment files all go
/// through here. Every misspelt key of the file is reported, not only the first
/// (see [`parse_toml_all`]).
pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str, path: &Path) -> Result<T, Error> {
    match parse_toml_all(text, path) {
        (Some(value), errors) if errors.is_empty() => Ok(value),
        (_, errors) => Err(Error::many(errors)),
    }
}

/// Deserialises a TOML file's text and gathers its problems instead of stopping at the first:
/// a key the file's shape does not know (`descripton`) is reported and left out, and the rest
/// of the file is read, so that the caller can check it too and report every problem at once.
/// Gives the value when the file could be read apart from such keys, and every problem found.
pub fn parse_toml_all<T: serde::de::DeserializeOwned>(text: &str, path: &Path) -> (Option<T>, Vec<Error>) {
    let mut errors = Vec::new();
    let mut blanked = text.to_string();
    let table = toml::de::DeTable::parse(text).ok();
    // Each round leaves out one unknown key; a file has few, and the bound keeps a pathological
    // one from costing a parse per key.
    for _ in 0..100 {
        let e = match toml::from_str::<T>(&blanked) {
            Ok(value) => return (Some(value), errors),
            Err(e) => e,
        };
        let (line, col) = e.span().map(|s| line_col(text, s.start)).unzip();
        errors.push(Error::input(path, line, col, e.message().trim()));
        // An unknown key: blank it and its value out (offsets and lines unchanged) and read on.
        let end = match (&table, e.span()) {
            (Some(t), Some(span)) if e.message().starts_with("unknown field") => {
                key_value_end(t.get_ref(), span.start).filter(|&end| end > span.start)
            }
            _ => None,
        };
        let Some(end) = end else { return (None, errors) };
        let start = e.span().map_or(end, |s| s.start);
        let spaces: String = blanked[start..end].chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect();
        blanked.replace_range(start..end, &spaces);
    }
    (None, errors)
}

/// The end (byte offset) of the value of the key that starts at `key_start`, anywhere in the
/// document.
fn key_value_end(table: &toml::de::DeTable<'_>, key_start: usize) -> Option<usize> {
    fn in_value(v: &toml::de::DeValue<'_>, key_start: usize) -> Option<usize> {
        match v {
            toml::de::DeValue::Table(t) => key_value_end(t, key_start),
            toml::de::DeValue::Array(a) => a.iter().find_map(|x| in_value(x.get_ref(), key_start)),
            _ => None,
        }
    }
    table.iter().find_map(|(k, v)| {
        if k.span().start == key_start { Some(v.span().end) } else { in_value(v.get_ref(), key_start) }
    })
}

/// Reads `DIR/name` when it exists: a rule folder may leave out any file, and the built-in
/// default then applies.
pub fn read_rule_file(dir: &Path, name: &str) -> Result<Option<(std::path::PathBuf, String)>, Error> {
    let path = dir.join(name);
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    Ok(Some((path, text)))
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, col)
}

/// "unknown field 'revnue'; did you mean 'revenue'?" when a candidate is close enough.
pub fn unknown_name(what: &str, name: &str, candidates: &[&str]) -> String {
    // Only candidates close enough for their length compete: a short name at the same
    // distance ('city' for 'entity') must not hide a long one that is close ('entity_id').
    let best = candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(name, c), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min();
    match best {
        Some((_, c)) => format!("unknown {what} '{name}'; did you mean '{c}'?"),
        None => format!("unknown {what} '{name}'"),
    }
}

/// One line for a regular expression that does not compile: "bad regular expression: unclosed
/// group (character 1 of the pattern)". The regex crate's own message spans several lines (the
/// pattern, a caret, then `error: ...`), which printed as a stack of `error:` lines; the caller
/// adds the file, line and column where the pattern starts.
pub fn regex_problem(e: &regex::Error) -> String {
    match e {
        regex::Error::Syntax(text) => {
            let lines: Vec<&str> = text.lines().collect();
            let what = lines.iter().rev().find_map(|l| l.strip_prefix("error: ")).unwrap_or("cannot be parsed");
            // The caret sits under the offending character, after a 4-space indent (only for a
            // one-line pattern is the caret line the third).
            let at = match lines.as_slice() {
                [_, _, caret, ..] if lines.len() == 4 => {
                    caret.find('^').map(|c| c.saturating_sub(4) + 1).filter(|_| caret.trim_start().starts_with('^'))
                }
                _ => None,
            };
            match at {
                Some(c) => format!("bad regular expression: {what} (character {c} of the pattern)"),
                None => format!("bad regular expression: {what}"),
            }
        }
        regex::Error::CompiledTooBig(limit) => {
            format!("bad regular expression: too large (more than {} KiB compiled); simplify it", limit / 1024)
        }
        _ => "bad regular expression".to_string(),
    }
}

/// Every problem found in one rule or config file, each with the file and, where it has one,
/// the line and column of the offending value: a file is checked in full and all its problems
/// reported at once.
pub struct Problems<'a> {
    path: &'a Path,
    text: &'a str,
    list: Vec<Error>,
}

impl<'a> Problems<'a> {
    pub fn new(path: &'a Path, text: &'a str) -> Problems<'a> {
        Problems { path, text, list: Vec::new() }
    }

    /// A problem at a byte offset of the file's text.
    pub fn at(&mut self, offset: usize, message: &str) {
        let (line, col) = line_col(self.text, offset);
        self.list.push(Error::input(self.path, Some(line), Some(col), message));
    }

    /// A problem of the file as a whole.
    pub fn whole(&mut self, message: &str) {
        self.list.push(Error::input(self.path, None, None, message));
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// How many problems so far.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// The problems found, for a caller that gathers several files' problems.
    pub fn into_errors(self) -> Vec<Error> {
        self.list
    }

    /// The value when no problem was found, else every problem at once.
    pub fn finish<T>(self, value: T) -> Result<T, Error> {
        if self.list.is_empty() { Ok(value) } else { Err(Error::many(self.list)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_name_is_the_nearest_close_enough_for_its_length() {
        let cols = ["city", "entity_id", "email"];
        assert_eq!(unknown_name("column", "entity", &cols), "unknown column 'entity'; did you mean 'entity_id'?");
        assert_eq!(unknown_name("column", "zzz", &cols), "unknown column 'zzz'");
    }

    #[test]
    fn every_unknown_key_of_a_file_is_reported_and_the_rest_is_still_read() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        struct Segment {
            name: String,
            #[allow(dead_code)]
            description: Option<String>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        struct File {
            segment: Vec<Segment>,
        }
        let text =
            "[[segment]]\nname = \"a\"\ndescripton = \"typo\"\n\n[[segment]]\nname = \"b\"\nexprot = [\n  \"x\",\n]\n";
        let (value, errors) = parse_toml_all::<File>(text, Path::new("r.toml"));
        let messages: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].starts_with("r.toml: line 3, column 1: unknown field `descripton`"), "{messages:?}");
        assert!(messages[1].starts_with("r.toml: line 7, column 1: unknown field `exprot`"), "{messages:?}");
        let names: Vec<String> = value.unwrap().segment.into_iter().map(|s| s.name).collect();
        assert_eq!(names, ["a", "b"]);
        // A syntax error still stops the file, with its position.
        let (value, errors) = parse_toml_all::<File>("[[segment]\n", Path::new("r.toml"));
        assert!(value.is_none() && errors.len() == 1, "{errors:?}");
    }

    #[test]
    fn a_bad_regular_expression_is_one_line_with_its_character() {
        let e = |p: &str| regex_problem(&regex::Regex::new(p).unwrap_err());
        assert_eq!(e("("), "bad regular expression: unclosed group (character 1 of the pattern)");
        assert_eq!(
            e("ab[z-a]"),
            "bad regular expression: invalid character class range, the start must be <= the end (character 4 of the pattern)"
        );
        assert!(!e("x{99999999}").contains('\n'));
    }
}
