//! The engine-free core (`regclean::batch`): a register cleaned a batch at a time, its counts
//! added across batches and decided once, gives the cleaned fields and statuses that the CLI's
//! records.csv gives for it, whichever batch holds the rows that decide.

use super::{AS_OF, TempDir, regclean};
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use regclean::batch::{Plan, Tally};
use std::sync::Arc;

/// A register whose deciding rows sit in its last part: the only dates that prove month first
/// (`12/31/1980`), the only count in the bounce column (`3`), and most of the rows that name
/// Sweden, the majority country Ola's row takes. A repeated header is quarantined and a blank row is no row.
fn register() -> (Vec<String>, Vec<Vec<String>>) {
    let header = "Customer ID,First Name,Last Name,Email,Phone,Date of Birth,Country,Email Bounced";
    let mut lines = vec![
        "1,Kari,Nordmann,kari@example.no,+47 912 34 567,03/04/1980,NO,0",
        "2,Ola,Hansen,OLA@example.com,,05/06/1975,,1",
        "3,Per,Olsen,per@example,,07/08/1990,Norway,",
        "Customer ID,First Name,Last Name,Email,Phone,Date of Birth,Country,Email Bounced",
        ",,,,,,,",
        "4,Anna,Berg,anna@example.se,070 123 45 67,02/01/1985,,0",
    ];
    lines.extend([
        "5,Sven,Svensson,sven@example.se,+46 70 123 45 68,12/31/1980,SE,3",
        "6,Lena,Lind,lena@example.se,,11/30/1970,Sverige,0",
        "7,Nils,Berg,nils@example.se,,10/20/1960,SE,1",
        "8,Eva,Ek,eva@example.se,,09/15/1955,SE,",
    ]);
    let split = |l: &str| l.split(',').map(str::to_string).collect::<Vec<_>>();
    (split(header), lines.iter().map(|l| split(l)).collect())
}

fn batch(headers: &[String], rows: &[Vec<String>]) -> RecordBatch {
    let columns: Vec<(String, ArrayRef)> = (0..headers.len())
        .map(|c| {
            let values: Vec<Option<&str>> =
                rows.iter().map(|r| Some(r[c].as_str()).filter(|v| !v.is_empty())).collect();
            (headers[c].clone(), Arc::new(StringArray::from(values)) as ArrayRef)
        })
        .collect();
    RecordBatch::try_from_iter(columns).unwrap()
}

fn text(batch: &RecordBatch, name: &str, row: usize) -> Option<String> {
    let col = batch.column_by_name(name)?;
    let s = col.as_any().downcast_ref::<StringArray>().unwrap();
    (!s.is_null(row)).then(|| s.value(row).to_string())
}

/// The batches' rows in order, cleaned by a plan decided on `tally`.
fn cleaned(plan: &Plan, tally: &Tally, parts: &[RecordBatch]) -> Vec<RecordBatch> {
    let decided = plan.decide(tally);
    parts.iter().map(|b| decided.normalise(b).unwrap()).collect()
}

#[test]
fn a_register_cleaned_a_batch_at_a_time_gives_what_records_csv_gives() {
    let (headers, rows) = register();
    let parts = [batch(&headers, &rows[..3]), batch(&headers, &rows[3..6]), batch(&headers, &rows[6..])];
    let plan = Plan::from_text("", "regclean.toml", AS_OF, &headers).unwrap();
    let mut tally = Tally::default();
    for b in &parts {
        tally.add(&plan.tally(b).unwrap());
    }
    // Counts add up whatever the grouping: the whole in one batch counts the same.
    assert_eq!(plan.tally(&batch(&headers, &rows)).unwrap(), tally);
    assert_eq!((tally.accepted, tally.quarantined, tally.blank), (8, 1, 1));
    assert!(tally.counts.contains(&7), "the bounce column holds a count: {tally:?}");
    // The header mapping says which field each column is, as report.json does; once decided,
    // the bounce column that holds counts passes through, saying why.
    let mapping: serde_json::Value = serde_json::from_str(&plan.header_mapping()).unwrap();
    assert_eq!(mapping[3]["field"], "email");
    assert_eq!(mapping[7]["field"], "email_bounced");
    let after: serde_json::Value = serde_json::from_str(&plan.decide(&tally).header_mapping()).unwrap();
    assert_eq!(after[7]["field"], serde_json::Value::Null);
    assert_eq!(after[7]["how"], "pass-through (holds counts, not a flag)");
    // Through JSON, as an engine's tasks hand tallies to its driver.
    assert_eq!(Tally::from_json(&tally.to_json()).unwrap(), tally);

    let out = cleaned(&plan, &tally, &parts);
    let tmp = TempDir::new("batch");
    let input = tmp.path().join("register.csv");
    let mut csv = headers.join(",") + "\n";
    for r in &rows {
        csv += &(r.join(",") + "\n");
    }
    std::fs::write(&input, csv).unwrap();
    let dir = tmp.path().join("out");
    let run = regclean(&["run", input.to_str().unwrap(), "--out", dir.to_str().unwrap(), "--as-of", AS_OF], &[]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let mut records = csv::Reader::from_path(dir.join("records.csv")).unwrap();
    let names: Vec<String> = records.headers().unwrap().iter().map(str::to_string).collect();
    let cleaned_columns: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("clean_") || n.starts_with("status_") || *n == "country_source")
        .collect();
    assert!(cleaned_columns.len() >= 14, "{names:?}");
    let accepted: Vec<(&RecordBatch, usize)> = out
        .iter()
        .flat_map(|b| (0..b.num_rows()).map(move |r| (b, r)))
        .filter(|&(b, r)| text(b, "row_status", r).as_deref() == Some("accepted"))
        .collect();
    let records: Vec<csv::StringRecord> = records.records().map(Result::unwrap).collect();
    assert_eq!(accepted.len(), records.len());
    for ((b, r), rec) in accepted.iter().zip(&records) {
        for name in &cleaned_columns {
            let k = names.iter().position(|n| n == *name).unwrap();
            assert_eq!(text(b, name, *r).unwrap_or_default(), &rec[k], "{name} of row {}", &rec[0]);
            assert_eq!(text(b, "entity_kind", *r).as_deref(), Some(&rec[5]));
        }
    }
    // What the deciding part changed: without it the dates read day first and Norway is the
    // majority, so the counts of the whole register are what made the rows equal.
    assert_eq!(text(&out[0], "clean_birth_date", 0).as_deref(), Some("1980-03-04"));
    let first_part_only = cleaned(&plan, &plan.tally(&parts[0]).unwrap(), &parts);
    assert_eq!(text(&first_part_only[0], "clean_birth_date", 0).as_deref(), Some("1980-04-03"));
    // Ola names no country and nothing of his tells one: the register's majority decides.
    assert_eq!(text(&out[0], "country_source", 1).as_deref(), Some("register_majority"));
    assert_eq!(text(&out[0], "clean_country", 1).as_deref(), Some("SE"));
    assert_eq!(text(&first_part_only[0], "clean_country", 1).as_deref(), Some("NO"));
    // A quarantined row says why, a blank row says so; neither has cleaned fields.
    assert_eq!(text(&out[1], "row_status", 0).as_deref(), Some("quarantined"));
    assert_eq!(text(&out[1], "quarantine_reason", 0).as_deref(), Some("repeated header"));
    assert_eq!(text(&out[1], "row_status", 1).as_deref(), Some("blank"));
    assert_eq!(text(&out[1], "clean_email", 1), None);
    // The batch's own columns come back untouched, first.
    assert_eq!(out[0].schema().field(0).name(), "Customer ID");
    assert_eq!(out[0].column(3).as_ref(), parts[0].column(3).as_ref());
}

#[test]
fn a_plan_refuses_a_batch_of_other_columns_and_cleaning_before_deciding() {
    let (headers, rows) = register();
    let plan = Plan::from_text("", "regclean.toml", AS_OF, &headers).unwrap();
    let b = batch(&headers, &rows);
    let err = plan.normalise(&b).unwrap_err().to_string();
    assert!(err.contains("has not decided"), "{err}");
    let narrower = batch(&headers[..3], &rows.iter().map(|r| r[..3].to_vec()).collect::<Vec<_>>());
    let err = plan.tally(&narrower).unwrap_err().to_string();
    assert!(err.contains("3 columns and the plan 8"), "{err}");
    // Merge reads normalise's output and each row's golden id: without them it says what is missing.
    let decided = plan.decide(&plan.tally(&b).unwrap());
    let cleaned = decided.normalise(&b).unwrap();
    let err = decided.merge(&cleaned, &Default::default(), &Default::default()).unwrap_err().to_string();
    assert!(err.contains("no column \"golden_id\""), "{err}");
    let err = decided.merge(&b, &Default::default(), &Default::default()).unwrap_err().to_string();
    assert!(err.contains("no column"), "{err}");
    let err = Plan::from_text("", "regclean.toml", "23.11.2026", &headers).unwrap_err().to_string();
    assert!(err.contains("YYYY-MM-DD"), "{err}");
    let err = Plan::from_text("[dedup]\nthreshold = \"high\"\n", "my.toml", AS_OF, &headers).unwrap_err().to_string();
    assert!(err.contains("my.toml"), "{err}");
}

/// A CSV file's header and rows as text.
fn read_csv(path: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers = r.headers().unwrap().iter().map(str::to_string).collect();
    (headers, r.records().map(|rec| rec.unwrap().iter().map(str::to_string).collect()).collect())
}

#[test]
fn golden_records_merged_a_cluster_group_at_a_time_are_golden_csv() {
    let tmp = TempDir::new("batch-merge");
    let input = tmp.path().join("register.csv");
    let made = regclean(&["generate", "--rows", "3000", "--out", input.to_str().unwrap()], &[]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let dir = tmp.path().join("out");
    let run = regclean(&["run", input.to_str().unwrap(), "--out", dir.to_str().unwrap(), "--as-of", AS_OF], &[]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));

    // Cleaned a batch at a time, each row given the golden id the CLI's dedup gave it.
    let (headers, rows) = read_csv(&input);
    let (record_names, records) = read_csv(&dir.join("records.csv"));
    let golden_at = record_names.iter().position(|n| n == "golden_id").unwrap();
    assert_eq!(records.len(), rows.len());
    let plan = Plan::from_text("", "regclean.toml", AS_OF, &headers).unwrap().with_source("register");
    let parts: Vec<RecordBatch> = rows.chunks(1000).map(|c| batch(&headers, c)).collect();
    let mut tally = Tally::default();
    for b in &parts {
        tally.add(&plan.tally(b).unwrap());
    }
    let decided = plan.decide(&tally);
    let cleaned: Vec<RecordBatch> = parts.iter().map(|b| decided.normalise(b).unwrap()).collect();
    let cleaned = arrow_select_concat(&cleaned);
    let golden_ids = StringArray::from(records.iter().map(|r| r[golden_at].clone()).collect::<Vec<_>>());
    let mut columns: Vec<(String, ArrayRef)> =
        cleaned.schema().fields().iter().map(|f| f.name().clone()).zip(cleaned.columns().iter().cloned()).collect();
    columns.push(("golden_id".into(), Arc::new(golden_ids)));
    let with_ids = RecordBatch::try_from_iter(columns).unwrap();
    // Three groups of whole clusters (by the golden id's last character), as an engine's groupBy
    // hands them over, each merged on its own.
    let group_of = |r: usize| records[r][golden_at].bytes().last().unwrap() % 3;
    let mut merged: Vec<Vec<String>> = Vec::new();
    for g in 0..3 {
        let take: Vec<u32> = (0..records.len()).filter(|&r| group_of(r) == g).map(|r| r as u32).collect();
        let part = arrow_select_take(&with_ids, &take);
        let out = decided.merge(&part, &Default::default(), &Default::default()).unwrap();
        let names = decided.golden_columns().unwrap();
        for r in 0..out.num_rows() {
            merged.push(
                names
                    .iter()
                    .map(|n| {
                        let col = out.column_by_name(n).unwrap();
                        arrow_cast::display::array_value_to_string(col, r).unwrap()
                    })
                    .collect(),
            );
        }
    }
    merged.sort();
    let (golden_names, mut golden) = read_csv(&dir.join("golden.csv"));
    let names = decided.golden_columns().unwrap();
    let at: Vec<usize> = names.iter().map(|n| golden_names.iter().position(|g| g == n).expect(n)).collect();
    let mut expected: Vec<Vec<String>> = golden.drain(..).map(|g| at.iter().map(|&k| g[k].clone()).collect()).collect();
    expected.sort();
    assert!(expected.len() < rows.len() * 9 / 10, "the register has duplicates to merge: {}", expected.len());
    assert_eq!(merged.len(), expected.len());
    for (mine, theirs) in merged.iter().zip(&expected) {
        assert_eq!(mine, theirs, "columns {names:?}");
    }
}

fn arrow_select_concat(batches: &[RecordBatch]) -> RecordBatch {
    arrow_select::concat::concat_batches(&batches[0].schema(), batches).unwrap()
}

fn arrow_select_take(batch: &RecordBatch, rows: &[u32]) -> RecordBatch {
    let idx = arrow_array::UInt32Array::from(rows.to_vec());
    arrow_select::take::take_record_batch(batch, &idx).unwrap()
}
