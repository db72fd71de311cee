//! Decisions: a person's "these are (not) the same customer", obeyed by every later run.
//!
//! The decisions file is a CSV `record_a,record_b,decision` where each record is named by its
//! record id or by `source_file:source_line`, and the decision is `same` or `different`. A
//! `same` pair always ends in one golden record; a `different` pair never does, even through
//! other members. A decision that names an unknown or ambiguous record, or decisions that
//! contradict each other, are fatal: the run writes nothing.

use crate::error::Error;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Decisions resolved to row indices.
#[derive(Debug, Default, Clone)]
pub struct Decisions {
    /// Pairs that must be in one golden record.
    pub same: Vec<(u32, u32)>,
    /// Pairs (smaller index first) that must never be in one golden record.
    pub different: HashSet<(u32, u32)>,
}

/// How rows can be named: by `source_file:source_line` and by record id.
pub struct RowNames {
    by_position: HashMap<(String, u32), u32>,
    by_id: HashMap<String, Vec<u32>>,
    by_source_id: HashMap<(String, String), Vec<u32>>,
}

/// The row that stands for `x`'s chain of `same` decisions in `parent` (each joined row points
/// to another of its chain; the root to none): how a decisions file and `regclean review` tell
/// whether `same` decisions join two rows. Chains are short, so nothing is compressed.
pub fn chain_root(parent: &HashMap<u32, u32>, x: u32) -> u32 {
    let mut r = x;
    while let Some(&q) = parent.get(&r) {
        if q == r {
            break;
        }
        r = q;
    }
    r
}

/// Joins the chains of `a` and `b` in `parent` (see [`chain_root`]).
pub fn chain_join(parent: &mut HashMap<u32, u32>, a: u32, b: u32) {
    let (ra, rb) = (chain_root(parent, a), chain_root(parent, b));
    if ra != rb {
        parent.insert(ra, rb);
    }
}

/// Rows a chain of `same` decisions may join before a run warns: a hand-kept decisions file
/// rarely means to make one customer of a hundred rows.
pub const LARGE_SAME_CHAIN: usize = 100;

impl Decisions {
    /// The most rows one chain of `same` decisions joins (a decision names two rows; chains
    /// share rows).
    pub fn largest_same_chain(&self) -> usize {
        let mut parent: HashMap<u32, u32> = HashMap::new();
        fn find(parent: &mut HashMap<u32, u32>, x: u32) -> u32 {
            let p = *parent.entry(x).or_insert(x);
            if p == x {
                return x;
            }
            let r = find(parent, p);
            parent.insert(x, r);
            r
        }
        for &(a, b) in &self.same {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            if ra != rb {
                parent.insert(ra, rb);
            }
        }
        let keys: Vec<u32> = parent.keys().copied().collect();
        let mut sizes: HashMap<u32, usize> = HashMap::new();
        for k in keys {
            let r = find(&mut parent, k);
            *sizes.entry(r).or_insert(0) += 1;
        }
        sizes.values().copied().max().unwrap_or(0)
    }
}

impl RowNames {
    /// `rows` gives, per row index, its source file, line, record id (empty if none) and source.
    pub fn new<'a>(rows: impl Iterator<Item = (&'a str, u32, &'a str, &'a str)>) -> RowNames {
        let mut by_position = HashMap::new();
        let mut by_id: HashMap<String, Vec<u32>> = HashMap::new();
        let mut by_source_id: HashMap<(String, String), Vec<u32>> = HashMap::new();
        for (i, (file, line, id, source)) in rows.enumerate() {
            by_position.insert((file.to_string(), line), i as u32);
            if !id.is_empty() {
                by_id.entry(id.to_string()).or_default().push(i as u32);
                by_source_id.entry((source.to_string(), id.to_string())).or_default().push(i as u32);
            }
        }
        RowNames { by_position, by_id, by_source_id }
    }

    /// Resolves a record name, or says why it cannot be resolved (without quoting the name: record
    /// ids are sometimes e-mail addresses, and the error already gives the line and column).
    pub fn resolve(&self, name: &str) -> Result<u32, String> {
        let name = name.trim();
        if let Some((file, line)) = name.rsplit_once(':')
            && let Ok(line) = line.parse::<u32>()
            && let Some(&i) = self.by_position.get(&(file.to_string(), line))
        {
            return Ok(i);
        }
        if let Some((source, id)) = name.split_once(':')
            && let Some(rows) = self.by_source_id.get(&(source.to_string(), id.to_string()))
        {
            return match rows.as_slice() {
                [i] => Ok(*i),
                many => Err(format!("this record names {} rows; name one as source_file:source_line", many.len())),
            };
        }
        match self.by_id.get(name).map(Vec::as_slice) {
            Some([i]) => Ok(*i),
            Some(many) => Err(format!("this record names {} rows; name one as source_file:source_line", many.len())),
            None => {
                Err("unknown record: no row has this record id, source:record_id or source_file:source_line"
                    .to_string())
            }
        }
    }
}

/// Loads and checks a decisions file against the register's rows.
pub fn load(path: &Path, names: &RowNames) -> Result<Decisions, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse(&text, path, names)
}

pub fn parse(text: &str, path: &Path, names: &RowNames) -> Result<Decisions, Error> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| Error::input(path, Some(1), None, &e.to_string()))?.clone();
    let expected = ["record_a", "record_b", "decision"];
    if headers.iter().map(str::trim).collect::<Vec<_>>() != expected {
        return Err(Error::input(path, Some(1), None, "expected the header record_a,record_b,decision"));
    }
    let mut problems = Vec::new();
    let mut decisions = Decisions::default();
    let mut lines_of: HashMap<(u32, u32), usize> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                problems.push(Error::input(path, line, None, &e.to_string()));
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        if record.len() != 3 {
            problems.push(Error::input(path, Some(line), None, &format!("found {} fields, expected 3", record.len())));
            continue;
        }
        let mut ends = [0u32; 2];
        let mut ok = true;
        for (k, col) in [0usize, 1].into_iter().enumerate() {
            match names.resolve(&record[col]) {
                Ok(i) => ends[k] = i,
                Err(m) => {
                    problems.push(Error::input(path, Some(line), Some(col + 1), &m));
                    ok = false;
                }
            }
        }
        let decision = record[2].trim().to_ascii_lowercase();
        if decision != "same" && decision != "different" {
            problems.push(Error::input(
                path,
                Some(line),
                Some(3),
                &format!("unknown decision '{}', expected 'same' or 'different'", record[2].trim()),
            ));
            ok = false;
        }
        if !ok || ends[0] == ends[1] {
            continue;
        }
        let pair = (ends[0].min(ends[1]), ends[0].max(ends[1]));
        lines_of.insert(pair, line);
        if decision == "same" {
            decisions.same.push(pair);
        } else {
            decisions.different.insert(pair);
        }
    }
    // A chain of `same` decisions must not join a `different` pair.
    let mut parent: HashMap<u32, u32> = HashMap::new();
    for &(a, b) in &decisions.same {
        chain_join(&mut parent, a, b);
    }
    let mut different: Vec<&(u32, u32)> = decisions.different.iter().collect();
    different.sort();
    for &&(a, b) in &different {
        if chain_root(&parent, a) == chain_root(&parent, b) {
            problems.push(Error::input(
                path,
                Some(lines_of[&(a, b)]),
                None,
                "this 'different' decision contradicts 'same' decisions that join the two records",
            ));
        }
    }
    decisions.same.sort();
    decisions.same.dedup();
    if problems.is_empty() { Ok(decisions) } else { Err(Error::many(problems)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> RowNames {
        let rows = [
            ("crm_2026-10.csv", 2, "C1", "crm"),
            ("crm_2026-10.csv", 3, "C2", "crm"),
            ("shop.csv", 2, "C1", "shop"),
            ("shop.csv", 3, "", "shop"),
        ];
        RowNames::new(rows.into_iter())
    }

    #[test]
    fn a_chain_of_same_decisions_is_measured() {
        let d = Decisions { same: vec![(0, 1), (1, 2), (5, 6), (2, 3)], ..Decisions::default() };
        assert_eq!(d.largest_same_chain(), 4);
        assert_eq!(Decisions::default().largest_same_chain(), 0);
    }

    #[test]
    fn resolves_ids_and_positions() {
        let text = "record_a,record_b,decision\nC2,shop.csv:3,different\ncrm_2026-10.csv:2,shop:C1,same\n";
        let d = parse(text, Path::new("d.csv"), &names()).unwrap();
        assert_eq!(d.same, vec![(0, 2)]);
        assert!(d.different.contains(&(1, 3)));
    }

    #[test]
    fn refuses_unknown_ambiguous_and_contradictory_decisions() {
        let cases = [
            ("record_a,record_b,decision\nC9,C2,same\n", "d.csv: line 2, column 1: unknown record: no row"),
            ("record_a,record_b,decision\nC1,C2,same\n", "d.csv: line 2, column 1: this record names 2 rows"),
            ("record_a,record_b,decision\nC2,shop.csv:3,maybe\n", "d.csv: line 2, column 3: unknown decision 'maybe'"),
            (
                "record_a,record_b,decision\nC2,shop.csv:3,same\nshop.csv:3,crm:C1,same\nC2,crm_2026-10.csv:2,different\n",
                "d.csv: line 4: this 'different' decision contradicts",
            ),
            ("a,b\n", "d.csv: line 1: expected the header"),
        ];
        for (text, message) in cases {
            let e = parse(text, Path::new("d.csv"), &names()).unwrap_err().to_string();
            assert!(e.starts_with(message), "{e}");
        }
    }
}
