//! The files people actually have: Excel and OpenDocument workbooks, gzip'd CSVs, archives, a
//! header-only export, two exports pasted into one. The workbooks and compressed files in
//! `fixtures/spreadsheets/` were written by openpyxl, xlwt, odfpy and Python's gzip, zipfile and
//! tarfile (`make.py`), never by regclean.

use super::*;

fn fixture(name: &str) -> String {
    format!("fixtures/spreadsheets/{name}")
}

/// records.csv as maps from column name to value, one per row.
fn records(out: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let (h, rows) = read_csv(&out.join("records.csv"));
    rows.into_iter().map(|r| h.iter().cloned().zip(r).collect()).collect()
}

fn report(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap()
}

#[test]
fn a_workbook_reads_as_the_cells_show() {
    let tmp = TempDir::new("xlsx");
    run_ok(&[&fixture("crm_export.xlsx")], tmp.path(), &[]);
    let rows = records(tmp.path());
    assert_eq!(rows.len(), 10);
    let kari = &rows[0];
    // (column, value): text postcodes keep their zero, a phone typed as a number has no `.0`,
    // dates are ISO, a date-time keeps its time, booleans are Excel's words.
    let expected = [
        ("source_file", "crm_export.xlsx"),
        ("source_line", "2"),
        ("Postal Code", "0150"),
        ("Mobile Phone", "48114523"),
        ("Birthday", "1985-03-14"),
        ("Created On", "2024-01-05 10:30:00"),
        ("Do not Email", "FALSE"),
        ("Credit Limit", "1500"),
        ("clean_postcode", "0150"),
        ("clean_mobile", "+4748114523"),
        ("clean_birth_date", "1985-03-14"),
    ];
    for (column, value) in expected {
        assert_eq!(kari[column], value, "{column}");
    }
    // Sheet row numbers, a decimal number, an empty date cell, a midnight time stamp.
    let lines: Vec<&str> = rows.iter().map(|r| r["source_line"].as_str()).collect();
    assert_eq!(lines, ["2", "3", "4", "5", "6", "7", "8", "9", "10", "11"]);
    assert_eq!(rows[1]["Credit Limit"], "250.75");
    assert_eq!(rows[2]["Birthday"], "");
    assert_eq!(rows[4]["Created On"], "2024-03-10");
    let (h, golden) = read_csv(&tmp.path().join("golden.csv"));
    let postcode = h.iter().position(|c| c == "postcode").unwrap();
    assert!(golden.iter().any(|g| g[postcode] == "0150"));
    let input = &report(tmp.path())["inputs"][0];
    assert_eq!((input["encoding"].as_str(), input["sheet"].as_str()), (Some("xlsx"), Some("Contacts")));
}

/// The same contacts as xlsx, xls, ods, csv.gz and csv give the same register: golden.csv byte
/// for byte, and records.csv but for the file name.
#[test]
fn every_kind_of_file_reads_to_the_same_register() {
    let read = |file: &str| {
        let tmp = TempDir::new("kinds");
        let source = format!("crm={}", fixture(file));
        run_ok(&[&fixture(file)], tmp.path(), &["--source", &source]);
        let golden = std::fs::read_to_string(tmp.path().join("golden.csv")).unwrap();
        let (_, rows) = read_csv(&tmp.path().join("records.csv"));
        let rows: Vec<Vec<String>> = rows.into_iter().map(|r| r[1..].to_vec()).collect();
        (golden, rows, report(tmp.path())["inputs"][0]["encoding"].as_str().unwrap().to_string())
    };
    let (golden, rows, encoding) = read("contacts.csv");
    assert_eq!(encoding, "UTF-8");
    for (file, want_encoding) in [
        ("crm_export.xlsx", "xlsx"),
        ("crm_export.xls", "xls"),
        ("crm_export.ods", "ods"),
        ("contacts.csv.gz", "gzip, UTF-8"),
    ] {
        let (g, r, e) = read(file);
        assert_eq!(e, want_encoding, "{file}");
        assert_eq!(r, rows, "{file}: records.csv differs from the CSV's");
        assert_eq!(g, golden, "{file}: golden.csv differs from the CSV's");
    }
}

#[test]
fn sheet_picks_a_sheet_by_name() {
    for file in ["crm_export.xlsx", "crm_export.xls", "crm_export.ods"] {
        let tmp = TempDir::new("sheet");
        run_ok(&[&fixture(file)], tmp.path(), &["--sheet", "Leads"]);
        let rows = records(tmp.path());
        let names: Vec<(&str, &str)> =
            rows.iter().map(|r| (r["First Name"].as_str(), r["Postal Code"].as_str())).collect();
        assert_eq!(names, [("Nora", "0250"), ("Emil", "0870"), ("Tuva", "0055")], "{file}");
        assert_eq!(report(tmp.path())["inputs"][0]["sheet"], "Leads");
    }
}

#[test]
fn an_unknown_sheet_names_the_sheets_there_are() {
    let tmp = TempDir::new("nosheet");
    let out = tmp.path().join("out");
    let file = fixture("crm_export.xlsx");
    let o = regclean(&["run", &file, "--out", out.to_str().unwrap(), "--sheet", "Lead"], &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{file}: --sheet: unknown sheet 'Lead'; did you mean 'Leads'? The workbook's sheets are 'Contacts', 'Leads'."
        )),
        "{stderr}"
    );
    assert!(!out.exists(), "a failed run wrote output");
}

#[test]
fn archives_and_documents_are_refused_with_what_to_do() {
    let tmp = TempDir::new("archives");
    let p = |name: &str| tmp.path().join(name).to_string_lossy().into_owned();
    std::fs::write(p("export.7z"), b"7z\xBC\xAF\x27\x1C\x00\x04rest of an archive").unwrap();
    std::fs::write(p("export.pdf"), b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n").unwrap();
    // (input, what the error says after the file name)
    let cases = [
        (fixture("exports.zip"), "is a zip archive; unpack it and pass the CSV or spreadsheet inside"),
        (
            fixture("exports.tar.gz"),
            "is gzip-compressed, and inside it is a tar archive; unpack it and pass the CSV or spreadsheet inside",
        ),
        (p("export.7z"), "is a 7-Zip archive; unpack it"),
        (p("export.pdf"), "is a PDF document; export the register"),
    ];
    for (input, message) in cases {
        let out = tmp.path().join("out");
        let o = regclean(&["run", &input, "--out", out.to_str().unwrap(), "--as-of", AS_OF], &[]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{input}: {stderr}");
        assert!(stderr.contains(&format!("{input}: {message}")), "{input}: {stderr}");
        assert!(!out.exists(), "{input}: a refused input wrote output");
    }
}

#[test]
fn a_header_only_file_is_no_error() {
    let tmp = TempDir::new("header_only");
    let empty = tmp.path().join("no_rows_this_week.csv");
    std::fs::write(&empty, "First Name,Last Name,Email\r\n").unwrap();
    let out = tmp.path().join("out");
    let o = run_ok(&[empty.to_str().unwrap(), &fixture("contacts.csv")], &out, &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("warning: no_rows_this_week.csv: has a header but no rows"), "{stderr}");
    assert_eq!(records(&out).len(), 10);
    let inputs = &report(&out)["inputs"];
    assert_eq!(inputs[0]["reconciliation"]["rows_accepted"], 0);
    assert_eq!(inputs[0]["reconciliation"]["header_lines"], 1);
    // Alone, it is a run that accepted no row: outputs are written and the gate fails (exit 3).
    let alone = tmp.path().join("alone");
    let o = regclean(&["run", empty.to_str().unwrap(), "--out", alone.to_str().unwrap(), "--as-of", AS_OF], &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("rows accepted: 0 (limit 1)"), "{stderr}");
    assert!(alone.join("golden.csv").exists());
}

#[test]
fn a_repeated_header_row_is_quarantined() {
    let tmp = TempDir::new("repeated_header");
    let file = tmp.path().join("two_exports.csv");
    // Two exports pasted together: the second one's header (in other case and spacing) is line 4.
    std::fs::write(
        &file,
        "Name,Email\nKari Nordmann,kari@example.no\nOla Hansen,ola@example.no\n NAME ,EMAIL\nPer Olsen,per@example.no\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    run_ok(&[file.to_str().unwrap()], &out, &[]);
    let (_, q) = read_csv(&out.join("quarantine.csv"));
    assert_eq!(q, [vec!["two_exports.csv", "4", "repeated header", " NAME ,EMAIL"]]);
    let names: Vec<String> = records(&out).iter().map(|r| r["Name"].clone()).collect();
    assert_eq!(names, ["Kari Nordmann", "Ola Hansen", "Per Olsen"]);
}
