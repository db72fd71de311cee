//! Parquet in and out (issue 27 item 5): a `.parquet` export is read like any other, a damaged
//! one is refused naming the file, and `--format parquet` writes typed copies of records,
//! golden, pairs and segments that DuckDB and pyarrow read back with their types.

use super::*;
use arrow_array::builder::{BooleanBuilder, Date32Builder, Decimal128Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use std::sync::Arc;

/// Four customers as a warehouse unloads them (typed columns, nulls), two of them one person;
/// `csv` is the same table as a CSV export writes it.
fn customers(dir: &Path) -> (PathBuf, PathBuf) {
    let text = |v: &[Option<&str>]| {
        let mut b = StringBuilder::new();
        v.iter().for_each(|x| b.append_option(*x));
        Arc::new(b.finish()) as ArrayRef
    };
    let mut id = Int64Builder::new();
    [101, 102, 103, 104].iter().for_each(|&x| id.append_value(x));
    let mut born = Date32Builder::new();
    // 1980-05-17 is day 3789 after 1970-01-01; 1975-01-02 is day 1827.
    [Some(3789), Some(3789), None, Some(1827)].iter().for_each(|x| born.append_option(*x));
    let mut revenue = Decimal128Builder::new();
    [Some(123_450), Some(1_000), None, Some(99)].iter().for_each(|x| revenue.append_option(*x));
    let revenue = revenue.finish().with_precision_and_scale(12, 2).unwrap();
    let mut consent = BooleanBuilder::new();
    [Some(true), Some(false), None, Some(true)].iter().for_each(|x| consent.append_option(*x));
    let schema = Arc::new(Schema::new(vec![
        Field::new("Customer ID", DataType::Int64, false),
        Field::new("First Name", DataType::Utf8, true),
        Field::new("Last Name", DataType::Utf8, true),
        Field::new("Email", DataType::Utf8, true),
        Field::new("Birth Date", DataType::Date32, true),
        Field::new("Total Revenue", DataType::Decimal128(12, 2), true),
        Field::new("Email Consent", DataType::Boolean, true),
        Field::new("Country", DataType::Utf8, true),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        text(&[Some("Kari"), Some("KARI"), Some("Ola"), None]),
        text(&[Some("Nordmann"), Some("Nordmann"), Some("Hansen"), Some("Berg")]),
        text(&[
            Some("kari@example.no"),
            Some("kari@example.no"),
            Some("ola.hansen@example.no"),
            Some("ingrid@example.no"),
        ]),
        Arc::new(born.finish()),
        Arc::new(revenue),
        Arc::new(consent.finish()),
        text(&[Some("NO"); 4]),
    ];
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    let parquet = dir.join("customers.parquet");
    let mut w = ::parquet::arrow::ArrowWriter::try_new(std::fs::File::create(&parquet).unwrap(), schema, None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let csv = dir.join("csv").join("customers.csv");
    std::fs::create_dir_all(csv.parent().unwrap()).unwrap();
    std::fs::write(
        &csv,
        "Customer ID,First Name,Last Name,Email,Birth Date,Total Revenue,Email Consent,Country\n\
         101,Kari,Nordmann,kari@example.no,1980-05-17,1234.50,true,NO\n\
         102,KARI,Nordmann,kari@example.no,1980-05-17,10.00,false,NO\n\
         103,Ola,Hansen,ola.hansen@example.no,,,,NO\n\
         104,,Berg,ingrid@example.no,1975-01-02,0.99,true,NO\n",
    )
    .unwrap();
    (parquet, csv)
}

#[test]
fn a_parquet_export_is_read_like_the_csv_of_the_same_table() {
    let dir = TempDir::new("parquet_in");
    let (parquet, csv) = customers(dir.path());
    let (a, b) = (TempDir::new("parquet_in_a"), TempDir::new("parquet_in_b"));
    run_ok(&[parquet.to_str().unwrap()], a.path(), &[]);
    run_ok(&[csv.to_str().unwrap()], b.path(), &[]);
    // The same golden records, ids and all (the source is named after the file either way).
    assert_eq!(
        std::fs::read_to_string(a.path().join("golden.csv")).unwrap(),
        std::fs::read_to_string(b.path().join("golden.csv")).unwrap()
    );
    let (h, rows) = read_csv(&a.path().join("records.csv"));
    let col = |n: &str| h.iter().position(|c| c == n).unwrap_or_else(|| panic!("no {n}"));
    // Rows are numbered as the lines of that CSV: the header is line 1.
    let lines: Vec<&str> = rows.iter().map(|r| r[col("source_line")].as_str()).collect();
    assert_eq!(lines, ["2", "3", "4", "5"]);
    assert_eq!(rows[0][col("clean_birth_date")], "1980-05-17");
    assert_eq!(rows[0][col("clean_revenue")], "1234.50");
    assert_eq!(rows[0][col("clean_email_consent")], "true");
    assert_eq!(rows[1][col("clean_email_consent")], "false");
    assert_eq!(rows[2][col("clean_birth_date")], "", "a null is an empty cell");
    assert_eq!(rows[0][col("golden_id")], rows[1][col("golden_id")], "Kari's two rows are one customer");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(a.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["inputs"][0]["encoding"], "parquet", "{}", report["inputs"][0]);
}

#[test]
fn a_damaged_parquet_file_is_refused_whole_naming_the_file() {
    let dir = TempDir::new("parquet_cut");
    let (parquet, _) = customers(dir.path());
    let bytes = std::fs::read(&parquet).unwrap();
    for (name, cut) in [("cut.parquet", &bytes[..bytes.len() / 2]), ("header_only.parquet", &bytes[..4])] {
        let damaged = dir.path().join(name);
        std::fs::write(&damaged, cut).unwrap();
        let out = dir.path().join(format!("out-{name}"));
        let o = regclean(&["run", damaged.to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", AS_OF], &[]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(name) && stderr.contains("cannot be read"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!out.exists(), "no partial run: {stderr}");
    }
}

/// The Parquet copies hold every row of their CSV, with the columns typed.
#[test]
fn format_parquet_writes_typed_copies_of_the_main_tables() {
    let dir = TempDir::new("parquet_out");
    let (parquet, _) = customers(dir.path());
    let out = TempDir::new("parquet_out_run");
    run_ok(&[parquet.to_str().unwrap()], out.path(), &["--format", "parquet", "--rules", "rules"]);
    for table in ["records", "golden", "pairs", "segments"] {
        let file = std::fs::File::open(out.path().join(format!("{table}.parquet"))).unwrap();
        let reader = ::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        let schema = reader.schema().clone();
        let rows: usize = reader.build().unwrap().map(|b| b.unwrap().num_rows()).sum();
        let (header, csv_rows) = read_csv(&out.path().join(format!("{table}.csv")));
        assert_eq!(rows, csv_rows.len(), "{table}: every row");
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names, header.iter().map(String::as_str).collect::<Vec<_>>(), "{table}: the CSV's columns");
        let type_of = |c: &str| schema.field_with_name(c).unwrap().data_type().clone();
        match table {
            "golden" => {
                assert_eq!(type_of("birth_date"), DataType::Date32);
                assert_eq!(type_of("revenue"), DataType::Decimal128(38, 2));
                assert_eq!(type_of("email_consent"), DataType::Boolean);
                assert_eq!(type_of("member_count"), DataType::Int64);
                assert_eq!(type_of("email"), DataType::Utf8);
            }
            "records" => {
                assert_eq!(type_of("source_line"), DataType::Int64);
                assert_eq!(type_of("clean_birth_date"), DataType::Date32);
                assert_eq!(type_of("Birth Date"), DataType::Utf8, "the input's own columns as written");
            }
            "pairs" => {
                assert_eq!(type_of("match_weight"), DataType::Float64);
                assert_eq!(type_of("linked"), DataType::Boolean);
            }
            _ => assert_eq!(type_of("holdout"), DataType::Boolean),
        }
    }
    // The same run again writes the same bytes.
    let again = TempDir::new("parquet_out_again");
    run_ok(&[parquet.to_str().unwrap()], again.path(), &["--format", "parquet", "--rules", "rules"]);
    for table in ["records", "golden", "pairs", "segments"] {
        let name = format!("{table}.parquet");
        assert!(
            std::fs::read(out.path().join(&name)).unwrap() == std::fs::read(again.path().join(&name)).unwrap(),
            "{name} differs between two runs"
        );
    }
    // A later run without --format parquet leaves no Parquet file of this one behind.
    run_ok(&[parquet.to_str().unwrap()], out.path(), &[]);
    assert!(!out.path().join("golden.parquet").exists());
}

/// The Python interpreter with DuckDB and pyarrow: `REGCLEAN_PYTHON`, or the one .ci/run sets
/// up in target/ci-python; `None` after saying SKIP and why.
fn python_with_duckdb(test: &str) -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = std::env::var_os("REGCLEAN_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([root().join("target/ci-python/bin/python")])
        .collect();
    for python in &candidates {
        let ok = Command::new(python).args(["-c", "import duckdb, pyarrow"]).output().is_ok_and(|o| o.status.success());
        if ok {
            return Some(python.clone());
        }
    }
    // Past the harness's capture, so a skip is seen.
    let mut tty = std::fs::OpenOptions::new().write(true).open("/dev/tty").ok();
    let message = format!(
        "SKIP {test}: no Python with duckdb and pyarrow (looked at $REGCLEAN_PYTHON and target/ci-python); \
         .ci/run installs them into target/ci-python\n"
    );
    match tty.as_mut() {
        Some(t) => {
            let _ = std::io::Write::write_all(t, message.as_bytes());
        }
        None => eprint!("{message}"),
    }
    None
}

#[test]
fn duckdb_and_pyarrow_read_the_parquet_copies_with_their_types() {
    let test = "duckdb_and_pyarrow_read_the_parquet_copies_with_their_types";
    let Some(python) = python_with_duckdb(test) else { return };
    let dir = TempDir::new("parquet_duckdb");
    let (parquet, _) = customers(dir.path());
    let out = TempDir::new("parquet_duckdb_run");
    run_ok(&[parquet.to_str().unwrap()], out.path(), &["--format", "parquet", "--rules", "rules"]);
    let script = r#"
import sys, duckdb, pyarrow.parquet as pq
d = sys.argv[1]
db = duckdb.connect()
golden = f"{d}/golden.parquet"
t = db.execute(f"select typeof(birth_date), typeof(revenue), typeof(email_consent), typeof(member_count) from '{golden}' limit 1").fetchone()
print("types", *t)
n, revenue, born, consents = db.execute(f"select count(*), sum(revenue), min(birth_date), count(*) filter (where email_consent) from '{golden}'").fetchone()
print("golden", n, revenue, born, consents)
csv_rows = db.execute(f"select count(*) from read_csv('{d}/records.csv', all_varchar=true)").fetchone()[0]
print("records", pq.read_table(f"{d}/records.parquet").num_rows, csv_rows)
print("linked", db.execute(f"select typeof(linked), typeof(match_weight) from '{d}/pairs.parquet' limit 1").fetchone())
"#;
    let o = Command::new(&python).args(["-c", script, out.path().to_str().unwrap()]).output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{stdout}{}", String::from_utf8_lossy(&o.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "types DATE DECIMAL(38,2) BOOLEAN BIGINT", "{stdout}");
    // Three customers (Kari's two rows are one), and the earliest birth date read as a date.
    assert!(lines[1].starts_with("golden 3 "), "{stdout}");
    assert!(lines[1].contains(" 1975-01-02 "), "{stdout}");
    assert_eq!(lines[2], "records 4 4", "{stdout}");
    assert_eq!(lines[3], "linked ('BOOLEAN', 'DOUBLE')", "{stdout}");
}
