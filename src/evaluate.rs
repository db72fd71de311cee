//! Evaluate: measure dedup against a known truth, pair by pair.
//!
//! A user with labelled data (an input column that names the true entity, passed through to
//! records.csv untouched and never seen by the model) gets pairwise precision, recall and F1:
//! a true pair is two rows of the same entity, a predicted pair two rows with the same
//! golden_id. Samples of false merges and missed pairs are written for inspection, with personal
//! data masked unless asked for.

use crate::error::Error;
use std::collections::HashMap;
use std::path::Path;

/// Pairwise scores.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Scores {
    pub rows: u64,
    pub true_pairs: u64,
    pub predicted_pairs: u64,
    pub correct_pairs: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// B-cubed precision, recall and F1: per row, the share of its golden record that is its
    /// entity and of its entity that is in its golden record, averaged over rows. Pairwise
    /// scores weigh a cluster by the square of its size (patstat's largest entity, 676 rows,
    /// holds three quarters of its true pairs); B-cubed weighs every row alike.
    pub bcubed_precision: f64,
    pub bcubed_recall: f64,
    pub bcubed_f1: f64,
}

/// One row of a sample: where it is and a few cleaned values.
pub type SampleRow = Vec<String>;

pub struct Evaluation {
    pub scores: Scores,
    /// Header then rows: pairs in one golden record that belong to different entities.
    pub false_merges: Vec<SampleRow>,
    /// Header then rows: pairs of one entity that ended in different golden records.
    pub missed_pairs: Vec<SampleRow>,
    /// True pairs that blocking compared: those in the run's pairs.csv (which leaves out pairs
    /// below its weight floor, so this is a lower bound). `None` without pairs.csv.
    pub compared_true_pairs: Option<u64>,
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Computes pairwise scores from (predicted cluster, true entity) per row. Rows with an empty
/// truth are their own entity.
pub fn score(labels: &[(&str, &str)]) -> Scores {
    let mut pred: HashMap<&str, u64> = HashMap::new();
    let mut truth: HashMap<&str, u64> = HashMap::new();
    let mut both: HashMap<(&str, &str), u64> = HashMap::new();
    for &(p, t) in labels {
        *pred.entry(p).or_insert(0) += 1;
        if !t.is_empty() {
            *truth.entry(t).or_insert(0) += 1;
            *both.entry((p, t)).or_insert(0) += 1;
        }
    }
    let predicted_pairs: u64 = pred.values().map(|&n| pairs(n)).sum();
    let true_pairs: u64 = truth.values().map(|&n| pairs(n)).sum();
    let correct_pairs: u64 = both.values().map(|&n| pairs(n)).sum();
    let precision = if predicted_pairs == 0 { 1.0 } else { correct_pairs as f64 / predicted_pairs as f64 };
    let recall = if true_pairs == 0 { 1.0 } else { correct_pairs as f64 / true_pairs as f64 };
    let harmonic = |p: f64, r: f64| if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    let f1 = harmonic(precision, recall);
    // B-cubed over the rows with a truth: a row's golden record counts only its rows with one.
    let mut pred_with_truth: HashMap<&str, u64> = HashMap::new();
    for (&(p, _), &n) in &both {
        *pred_with_truth.entry(p).or_insert(0) += n;
    }
    let rows_with_truth: u64 = truth.values().sum();
    let (mut bp, mut br) = (0.0, 0.0);
    for (&(p, t), &n) in &both {
        bp += n as f64 * n as f64 / pred_with_truth[p] as f64;
        br += n as f64 * n as f64 / truth[t] as f64;
    }
    let per_row = |x: f64| if rows_with_truth == 0 { 1.0 } else { x / rows_with_truth as f64 };
    let (bcubed_precision, bcubed_recall) = (per_row(bp), per_row(br));
    Scores {
        rows: labels.len() as u64,
        true_pairs,
        predicted_pairs,
        correct_pairs,
        precision,
        recall,
        f1,
        bcubed_precision,
        bcubed_recall,
        bcubed_f1: harmonic(bcubed_precision, bcubed_recall),
    }
}

/// Fields shown in samples, masked unless `show` is set.
const SAMPLE_FIELDS: [&str; 9] =
    ["first_name", "last_name", "company", "birth_date", "email", "phone", "street", "postcode", "city"];
const MAX_SAMPLES: usize = 200;

/// Evaluates DIR/records.csv against the truth column.
pub fn evaluate(dir: &Path, truth_column: &str, truth_file: Option<&Path>, show: bool) -> Result<Evaluation, Error> {
    crate::rundir::check_run_dir(dir)?;
    let path = dir.join("records.csv");
    let mut reader = csv::Reader::from_path(&path).map_err(|e| Error::input(&path, None, None, &e.to_string()))?;
    let headers = reader.headers().map_err(|e| Error::input(&path, None, None, &e.to_string()))?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let g = col("golden_id")
        .ok_or_else(|| Error::input(&path, Some(1), None, "has no golden_id column; run `regclean run` first"))?;
    let (f, l) = (col("source_file").unwrap_or(0), col("source_line").unwrap_or(1));
    let mut rows: Vec<csv::StringRecord> = Vec::new();
    for (i, r) in reader.records().enumerate() {
        rows.push(r.map_err(|e| Error::input(&path, Some(i + 2), None, &e.to_string()))?);
    }
    // The truth either is a column of records.csv or comes from a side file keyed by position;
    // it is appended to each row so the rest of the code reads it the same way.
    let t = match truth_file {
        Some(tf) => {
            let mut tr = csv::Reader::from_path(tf).map_err(|e| Error::input(tf, None, None, &e.to_string()))?;
            let th = tr.headers().map_err(|e| Error::input(tf, None, None, &e.to_string()))?.clone();
            let tcol = |name: &str| th.iter().position(|h| h == name);
            let (Some(tf_file), Some(tf_line), Some(tf_truth)) =
                (tcol("source_file"), tcol("source_line"), tcol(truth_column))
            else {
                return Err(Error::input(
                    tf,
                    Some(1),
                    None,
                    &format!("expected columns source_file, source_line and {truth_column}"),
                ));
            };
            let mut map = HashMap::new();
            for (i, r) in tr.records().enumerate() {
                let r = r.map_err(|e| Error::input(tf, Some(i + 2), None, &e.to_string()))?;
                map.insert((r[tf_file].to_string(), r[tf_line].to_string()), r[tf_truth].to_string());
            }
            let width = headers.len();
            for r in &mut rows {
                let key = (r.get(f).unwrap_or("").to_string(), r.get(l).unwrap_or("").to_string());
                r.push_field(map.get(&key).map(String::as_str).unwrap_or(""));
            }
            width
        }
        None => match col(truth_column) {
            Some(t) => t,
            None => {
                // The truth is an input column that passed through: list those (not the run's
                // own columns) and suggest the nearest.
                let fixed = crate::output::RECORDS_FIXED_COLUMNS.len();
                let names: Vec<&str> = headers
                    .iter()
                    .skip(fixed)
                    .filter(|h| !h.starts_with("clean_") && !h.starts_with("status_"))
                    .collect();
                let list = names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ");
                return Err(Error::Usage(format!(
                    "{}: {}. The input columns are {list}.",
                    path.display(),
                    crate::diagnostics::unknown_name("truth column", truth_column, &names)
                )));
            }
        },
    };
    let sample_cols: Vec<Option<usize>> = SAMPLE_FIELDS.iter().map(|n| col(&format!("clean_{n}"))).collect();
    let labels: Vec<(&str, &str)> = rows.iter().map(|r| (r.get(g).unwrap_or(""), r.get(t).unwrap_or(""))).collect();
    let scores = score(&labels);

    let describe = |r: &csv::StringRecord| -> Vec<String> {
        let mut v = vec![
            r.get(f).unwrap_or("").to_string(),
            r.get(l).unwrap_or("").to_string(),
            r.get(g).unwrap_or("").to_string(),
            r.get(t).unwrap_or("").to_string(),
        ];
        v.extend(sample_cols.iter().map(|c| {
            let s = c.and_then(|c| r.get(c)).unwrap_or("");
            if show { s.to_string() } else { crate::report::mask(s) }
        }));
        v
    };
    let mut header = Vec::new();
    for side in ["l", "r"] {
        for n in ["source_file", "source_line", "golden_id", "truth"].iter().chain(SAMPLE_FIELDS.iter()) {
            header.push(format!("{n}_{side}"));
        }
    }
    let mut by_pred: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_truth: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, &(p, tr)) in labels.iter().enumerate() {
        by_pred.entry(p).or_default().push(i);
        if !tr.is_empty() {
            by_truth.entry(tr).or_default().push(i);
        }
    }
    let collect = |groups: &HashMap<&str, Vec<usize>>, wrong: &dyn Fn(usize, usize) -> bool| {
        let mut keys: Vec<&&str> = groups.keys().collect();
        keys.sort();
        let mut out = vec![header.clone()];
        'outer: for k in keys {
            let m = &groups[*k];
            for a in 0..m.len() {
                for b in a + 1..m.len() {
                    if wrong(m[a], m[b]) {
                        let mut row = describe(&rows[m[a]]);
                        row.extend(describe(&rows[m[b]]));
                        out.push(row);
                        if out.len() > MAX_SAMPLES {
                            break 'outer;
                        }
                    }
                }
            }
        }
        out
    };
    let false_merges = collect(&by_pred, &|a, b| labels[a].1.is_empty() || labels[a].1 != labels[b].1);
    let missed_pairs = collect(&by_truth, &|a, b| labels[a].0 != labels[b].0);
    let truth_of: HashMap<(&str, &str), &str> = rows
        .iter()
        .filter(|r| !r.get(t).unwrap_or("").is_empty())
        .map(|r| ((r.get(f).unwrap_or(""), r.get(l).unwrap_or("")), r.get(t).unwrap_or("")))
        .collect();
    let compared_true_pairs = compared_true_pairs(&dir.join("pairs.csv"), &truth_of)?;
    Ok(Evaluation { scores, false_merges, missed_pairs, compared_true_pairs })
}

/// Counts the rows of pairs.csv whose two records are of one entity (see
/// [`Evaluation::compared_true_pairs`]).
fn compared_true_pairs(path: &Path, truth_of: &HashMap<(&str, &str), &str>) -> Result<Option<u64>, Error> {
    if !path.exists() {
        return Ok(None);
    }
    let mut reader = csv::Reader::from_path(path).map_err(|e| Error::input(path, None, None, &e.to_string()))?;
    let headers = reader.headers().map_err(|e| Error::input(path, None, None, &e.to_string()))?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| Error::input(path, Some(1), None, &format!("has no {name} column")))
    };
    let (fl, ll, fr, lr) = (col("source_file_l")?, col("source_line_l")?, col("source_file_r")?, col("source_line_r")?);
    let mut count = 0u64;
    for (i, r) in reader.records().enumerate() {
        let r = r.map_err(|e| Error::input(path, Some(i + 2), None, &e.to_string()))?;
        let a = truth_of.get(&(&r[fl], &r[ll]));
        count += u64::from(a.is_some() && a == truth_of.get(&(&r[fr], &r[lr])));
    }
    Ok(Some(count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_scores() {
        // Truth: {a1,a2,a3} {b1} ; predicted: {a1,a2} {a3,b1}.
        let labels = [("g1", "a"), ("g1", "a"), ("g2", "a"), ("g2", "b")];
        let s = score(&labels);
        assert_eq!((s.true_pairs, s.predicted_pairs, s.correct_pairs), (3, 2, 1));
        assert!((s.precision - 0.5).abs() < 1e-12);
        assert!((s.recall - 1.0 / 3.0).abs() < 1e-12);
        assert!((s.f1 - 0.4).abs() < 1e-12);
        // B-cubed, per row (precision, recall): a1 and a2 (1, 2/3), a3 (1/2, 1/3), b1 (1/2, 1).
        assert!((s.bcubed_precision - 0.75).abs() < 1e-12, "{}", s.bcubed_precision);
        assert!((s.bcubed_recall - 2.0 / 3.0).abs() < 1e-12, "{}", s.bcubed_recall);
        let f = 2.0 * 0.75 * (2.0 / 3.0) / (0.75 + 2.0 / 3.0);
        assert!((s.bcubed_f1 - f).abs() < 1e-12);
    }
}
