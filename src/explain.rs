//! Explain: show why a golden record looks the way it does, as a table a person can read.
//!
//! The members side by side (their cleaned values), the winning value of every field, the rule
//! that chose it and the member it came from, and the links that joined the members with their
//! match weights. Everything comes from records.csv and audit.jsonl of the run.

use crate::error::Error;
use crate::field::Field;
use crate::rundir::RunDir;
use std::fmt::Write;
use std::path::Path;

/// Renders the explanation of one golden record.
/// `name` is a golden id, a record id or `SOURCE:RECORD_ID` (see [`RunDir::resolve`]).
pub fn explain(dir: &Path, name: &str) -> Result<String, Error> {
    let run = RunDir::open(dir)?;
    let golden_id = run.resolve(name)?;
    let golden_id = golden_id.as_str();
    let members = run.members(golden_id)?;
    let audit_path = dir.join("audit.jsonl");
    let text = std::fs::read_to_string(&audit_path).map_err(|e| Error::io(&audit_path, e))?;
    let mut entry = None;
    for (n, line) in text.lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| Error::input(&audit_path, Some(n + 1), Some(e.column()), &e.to_string()))?;
        if v["golden_id"] == golden_id {
            entry = Some(v);
            break;
        }
    }
    let label = |k: usize| char::from(b'A' + (k % 26) as u8).to_string() + &"'".repeat(k / 26);
    let name_of = |i: usize| format!("{}:{}", &run.rows[i][0], &run.rows[i][1]);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "golden record {golden_id}: {} member{}",
        members.len(),
        if members.len() == 1 { "" } else { "s" }
    );
    let id_col = run.col("clean_record_id");
    for (k, &i) in members.iter().enumerate() {
        let id = id_col.map(|c| run.rows[i][c].to_string()).filter(|s| !s.is_empty());
        let _ = writeln!(
            out,
            "  {}  {}{}",
            label(k),
            name_of(i),
            id.map(|s| format!("  (record id {s})")).unwrap_or_default()
        );
    }
    // audit.jsonl names members by identity: source and record key (records.csv columns).
    let (source_col, key_col) = (run.col("source"), run.col("record_key"));
    let identity_of = |i: usize| {
        let at = |col: Option<usize>| col.map(|c| &run.rows[i][c][..]).unwrap_or("");
        (at(source_col), at(key_col))
    };
    let member_label = |v: &serde_json::Value| -> String {
        let key = (v["source"].as_str().unwrap_or(""), v["record_key"].as_str().unwrap_or(""));
        members.iter().position(|&i| identity_of(i) == key).map(label).unwrap_or_else(|| "?".into())
    };
    if let Some(e) = &entry {
        let evidence = pair_evidence(dir, &members.iter().map(|&i| name_of(i)).collect::<Vec<_>>())?;
        let threshold = threshold(dir);
        let _ = writeln!(out, "\njoined by");
        for l in e["links"].as_array().into_iter().flatten() {
            let (a, b) = (member_label(&l["a"]), member_label(&l["b"]));
            let pair = [a.as_str(), b.as_str()];
            let found = evidence.iter().find(|p| {
                let la = label_of(&members, &p.a, &name_of);
                let lb = label_of(&members, &p.b, &name_of);
                (la.as_deref(), lb.as_deref()) == (Some(pair[0]), Some(pair[1]))
                    || (la.as_deref(), lb.as_deref()) == (Some(pair[1]), Some(pair[0]))
            });
            match (found, l["match_weight"].as_f64()) {
                (Some(p), _) => {
                    let limit = threshold.map(|t| format!(" (threshold {t:.2})")).unwrap_or_default();
                    let _ = writeln!(out, "  {a} - {b}  evidence {:.2} bits{limit}", p.evidence);
                    for (field, level, bits) in &p.fields {
                        let _ = writeln!(out, "      {field:<12} {level:<18} {bits:>+7.2}");
                    }
                    let _ = writeln!(
                        out,
                        "      prior {:+.2} bits (kept apart from the evidence); with it {:.2} bits, match probability {}",
                        p.prior, p.total, p.probability
                    );
                }
                (None, Some(w)) => {
                    let _ = writeln!(out, "  {a} - {b}  match weight {w:.2} (not in pairs.csv)");
                }
                (None, None) => {
                    let _ = writeln!(out, "  {a} - {b}  decision: same");
                }
            }
        }
    } else if members.len() == 1 {
        let _ = writeln!(out, "\nnot merged: the record stands alone");
    }
    // The table: field, each member's cleaned value, golden value, rule, origin.
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut header = vec!["field".to_string()];
    header.extend((0..members.len()).map(label));
    header.extend(["golden".into(), "rule".into(), "from".into()]);
    table.push(header);
    // The canonical fields, then the custom ones (the `clean_` columns after the canonical
    // fields' in records.csv).
    let mut names: Vec<String> = Field::ALL.iter().map(|f| f.name().to_string()).collect();
    let first_clean =
        run.headers.iter().position(|h| h.strip_prefix("clean_").is_some_and(|n| Field::from_name(n).is_some()));
    if let Some(first) = first_clean {
        names.extend(
            run.headers[first..]
                .iter()
                .filter_map(|h| h.strip_prefix("clean_"))
                .filter(|n| Field::from_name(n).is_none())
                .map(str::to_string),
        );
    }
    for name in &names {
        let Some(c) = run.col(&format!("clean_{name}")) else { continue };
        let mut row = vec![name.clone()];
        row.extend(members.iter().map(|&i| run.rows[i][c].to_string()));
        match entry.as_ref().map(|e| &e["fields"][name.as_str()]) {
            Some(fe) if !fe.is_null() => {
                row.push(fe["value"].as_str().unwrap_or("").to_string());
                row.push(fe["rule"].as_str().unwrap_or("").to_string());
                row.push(match &fe["from"] {
                    serde_json::Value::Array(a) => a.iter().map(member_label).collect::<Vec<_>>().join("+"),
                    serde_json::Value::Null => "-".into(),
                    one => member_label(one),
                });
            }
            _ => {
                row.push(run.rows[members[0]][c].to_string());
                row.extend(["-".to_string(), label(0)]);
            }
        }
        // Fields no member has say nothing; leave them out.
        if row[1..=members.len() + 1].iter().all(|v| v.is_empty()) {
            continue;
        }
        table.push(row);
    }
    let widths: Vec<usize> =
        (0..table[0].len()).map(|c| table.iter().map(|r| r[c].chars().count()).max().unwrap_or(0).min(32)).collect();
    let _ = writeln!(out);
    for r in &table {
        let cells: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(v, &w)| {
                let v: String =
                    if v.chars().count() > w { v.chars().take(w - 1).chain(['…']).collect() } else { v.clone() };
                format!("{v:<w$}")
            })
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
    Ok(out)
}

/// One scored pair among a golden record's members, from pairs.csv.
struct PairEvidence {
    /// `file:line` of each side.
    a: String,
    b: String,
    /// (comparison, level, bits) of every comparison that had data on both sides.
    fields: Vec<(String, String, f64)>,
    /// The fields' bits summed: what the threshold is compared with.
    evidence: f64,
    prior: f64,
    total: f64,
    probability: String,
}

/// The pairs of pairs.csv whose two sides are both among `members` (`file:line`). A run
/// without pairs.csv gives none.
fn pair_evidence(dir: &Path, members: &[String]) -> Result<Vec<PairEvidence>, Error> {
    let path = dir.join("pairs.csv");
    let Ok(mut reader) = csv::Reader::from_path(&path) else { return Ok(Vec::new()) };
    let headers = reader.headers().map_err(|e| Error::input(&path, None, None, &e.to_string()))?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let comparisons: Vec<(String, usize, usize)> = headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let name = h.strip_prefix("gamma_")?;
            Some((name.to_string(), i, col(&format!("mw_{name}"))?))
        })
        .collect();
    let (Some(prior), Some(total), Some(probability)) =
        (col("mw_prior"), col("match_weight"), col("match_probability"))
    else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for record in reader.records() {
        let r = record.map_err(|e| Error::input(&path, None, None, &e.to_string()))?;
        let a = format!("{}:{}", &r[0], &r[1]);
        let b = format!("{}:{}", &r[3], &r[4]);
        if !members.contains(&a) || !members.contains(&b) {
            continue;
        }
        let number = |i: usize| r.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        let fields: Vec<(String, String, f64)> = comparisons
            .iter()
            .filter(|(_, g, _)| r.get(*g).is_some_and(|v| v != "null"))
            .map(|(name, g, w)| (name.clone(), r[*g].to_string(), number(*w)))
            .collect();
        let evidence = (fields.iter().map(|f| f.2).sum::<f64>() * 1e4).round() / 1e4;
        out.push(PairEvidence {
            a,
            b,
            fields,
            evidence,
            prior: number(prior),
            total: number(total),
            probability: r.get(probability).unwrap_or("").to_string(),
        });
    }
    Ok(out)
}

/// A member's label from its `file:line`.
fn label_of(members: &[usize], place: &str, name_of: &dyn Fn(usize) -> String) -> Option<String> {
    let k = members.iter().position(|&i| name_of(i) == place)?;
    Some(char::from(b'A' + (k % 26) as u8).to_string() + &"'".repeat(k / 26))
}

/// The run's match threshold (bits of evidence), from report.json.
fn threshold(dir: &Path) -> Option<f64> {
    let text = std::fs::read_to_string(dir.join("report.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["dedup"]["threshold_match_weight"].as_f64()
}
