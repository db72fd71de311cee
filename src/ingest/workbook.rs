//! Workbook: read one sheet of an Excel (`.xlsx`, `.xlsb`, `.xls`) or OpenDocument (`.ods`)
//! spreadsheet as the rows of an export.
//!
//! Many registers are kept in, or exported to, a spreadsheet. The cells are read with
//! `calamine` (pure Rust, all four formats) and turned into the text a user sees in them, so a
//! sheet and the CSV Excel would save from it give the same rows: text cells as they are (a
//! postcode `0150` keeps its zero), whole numbers without `.0` (a phone typed as a number),
//! other numbers to Excel's 15 significant digits, dates as `YYYY-MM-DD` and date-times as
//! `YYYY-MM-DD HH:MM:SS`, booleans `TRUE`/`FALSE`, error cells as Excel shows them (`#N/A`).
//! Number formats are not applied: a postcode stored as the number 150 with the format `0000`
//! reads as `150` (the normaliser then finds it too short for a Norwegian postcode).
//!
//! A sheet row becomes a row exactly like a CSV line, numbered by its row in the sheet, so the
//! quarantine and records.csv point at the row a user would look at. The first non-empty row
//! is the header; empty rows are blank lines. Only the chosen sheet is read: the first visible
//! worksheet, or the one `--sheet` names.

use super::{HeaderKey, LineCounts, kind::Workbook};
use calamine::{Data, ExcelDateTime, ExcelDateTimeType, Reader, SheetType, SheetVisible};
use std::borrow::Cow;

/// One sheet, split into rows.
pub struct Table {
    /// The sheet that was read.
    pub sheet: String,
    pub headers: Vec<String>,
    /// The header's row number (1-based).
    pub header_line: usize,
    /// (row number, values) of accepted rows.
    pub rows: Vec<(u32, crate::packed::Strings)>,
    /// (row number, reason, the row as a CSV line) of quarantined rows.
    pub quarantine: Vec<(u32, String, String)>,
    pub counts: LineCounts,
}

/// Why a workbook gives no table. Messages name sheets and rows, never a cell's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkbookError {
    /// calamine could not open the file or the sheet (damaged, or not what its bytes claimed).
    Unreadable,
    NoSheets,
    NoSuchSheet {
        wanted: String,
        available: Vec<String>,
    },
    /// The sheet has no non-empty row.
    EmptySheet(String),
}

impl WorkbookError {
    /// The error as a sentence after the file name, and the row and column it points at.
    pub fn message(&self, format: Workbook) -> (Option<usize>, Option<usize>, String) {
        let sheets = |names: &[String]| names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ");
        match self {
            WorkbookError::Unreadable => (
                None,
                None,
                format!(
                    "cannot be read as an {} workbook (damaged, or saved by a tool that wrote it wrongly); open it and save it again, or save the sheet as CSV",
                    format.name()
                ),
            ),
            WorkbookError::NoSheets => (None, None, "is a workbook without any sheet".into()),
            WorkbookError::NoSuchSheet { wanted, available } => {
                let names: Vec<&str> = available.iter().map(String::as_str).collect();
                let mut unknown = crate::diagnostics::unknown_name("sheet", wanted, &names);
                if !unknown.ends_with('?') {
                    unknown.push('.');
                }
                (None, None, format!("--sheet: {unknown} The workbook's sheets are {}.", sheets(available)))
            }
            WorkbookError::EmptySheet(sheet) => {
                (None, None, format!("sheet '{sheet}' is empty, expected a header row and rows"))
            }
        }
    }
}

/// Reads one sheet of a workbook held in `bytes`: `wanted` by name, or else the first visible
/// worksheet.
pub fn read(bytes: Vec<u8>, format: Workbook, wanted: Option<&str>, max: usize) -> Result<Table, WorkbookError> {
    // calamine indexes past the end of some damaged files (a truncated .xls) instead of
    // returning an error; such a file is unreadable, not a reason to crash the run.
    let (sheet, range) = std::panic::catch_unwind(move || open_sheet(bytes, format, wanted))
        .unwrap_or(Err(WorkbookError::Unreadable))?;
    table(&sheet, &range, max)
}

/// The chosen sheet's name and cells.
fn open_sheet(
    bytes: Vec<u8>,
    format: Workbook,
    wanted: Option<&str>,
) -> Result<(String, calamine::Range<Data>), WorkbookError> {
    use calamine::{Sheets, open_workbook_from_rs as open};
    let cursor = std::io::Cursor::new(bytes);
    fn unreadable<E>(_: E) -> WorkbookError {
        WorkbookError::Unreadable
    }
    let mut book: Sheets<_> = match format {
        Workbook::Xlsx => Sheets::Xlsx(open(cursor).map_err(unreadable)?),
        Workbook::Xlsb => Sheets::Xlsb(open(cursor).map_err(unreadable)?),
        Workbook::Xls => Sheets::Xls(open(cursor).map_err(unreadable)?),
        Workbook::Ods => Sheets::Ods(open(cursor).map_err(unreadable)?),
    };
    let sheet = choose_sheet(book.sheets_metadata(), wanted)?;
    let range = book.worksheet_range(&sheet).map_err(|_| WorkbookError::Unreadable)?;
    Ok((sheet, range))
}

/// The sheet to read: the one named (exactly, or else the only one equal but for case), or the
/// first visible worksheet (what Excel shows on opening), or the first sheet of all.
fn choose_sheet(sheets: &[calamine::Sheet], wanted: Option<&str>) -> Result<String, WorkbookError> {
    let names: Vec<String> = sheets.iter().map(|s| s.name.clone()).collect();
    if let Some(w) = wanted {
        if let Some(n) = names.iter().find(|n| *n == w) {
            return Ok(n.clone());
        }
        let folded: Vec<&String> = names.iter().filter(|n| n.to_lowercase() == w.to_lowercase()).collect();
        if let [one] = folded[..] {
            return Ok(one.clone());
        }
        return Err(WorkbookError::NoSuchSheet { wanted: w.to_string(), available: names });
    }
    sheets
        .iter()
        .find(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
        .or_else(|| sheets.first())
        .map(|s| s.name.clone())
        .ok_or(WorkbookError::NoSheets)
}

/// Splits a sheet's cells into a header and rows, judging each row as the CSV reader does.
fn table(sheet: &str, range: &calamine::Range<Data>, max: usize) -> Result<Table, WorkbookError> {
    let mut counts = LineCounts::default();
    let (first_row, _) = range.start().unwrap_or((0, 0));
    // Row numbers are the sheet's: rows above the used range are blank lines.
    counts.blank_lines = first_row as usize;
    let mut headers: Option<(Vec<String>, HeaderKey, usize)> = None;
    let mut rows = Vec::new();
    let mut quarantine = Vec::new();
    let mut cells: Vec<Cow<'_, str>> = Vec::new();
    let mut line = first_row as usize;
    for row in range.rows() {
        line += 1;
        counts.lines_read = line;
        cells.clear();
        cells.extend(row.iter().map(cell_text));
        // Trailing empty cells are the sheet's width, not the row's.
        let used = cells.iter().rposition(|c| !c.trim().is_empty()).map_or(0, |i| i + 1);
        if used == 0 {
            counts.blank_lines += 1;
            continue;
        }
        let Some((header, key, _)) = &headers else {
            let hs: Vec<String> = cells[..used].iter().map(|c| c.trim().to_string()).collect();
            let key = HeaderKey::new(&hs);
            headers = Some((hs, key, line));
            counts.header_lines += 1;
            continue;
        };
        let width = header.len();
        let fields = &cells[..used.max(width).min(cells.len())];
        let raw = || super::csv_line(cells[..used].iter().map(|c| c.as_ref()));
        let extra = (used > width).then(|| format!("found {used} fields, expected {width}"));
        let reason = super::cells_reason(fields.iter().map(|c| c.as_ref()), key, max, extra);
        match reason {
            Some(reason) => {
                counts.rows_quarantined += 1;
                quarantine.push((line as u32, reason, raw()));
            }
            None => {
                counts.rows_accepted += 1;
                let padded = fields.iter().map(|c| c.as_ref()).chain(std::iter::repeat_n("", width - fields.len()));
                rows.push((line as u32, crate::packed::Strings::new(padded)));
            }
        }
    }
    let Some((headers, _, header_line)) = headers else {
        return Err(WorkbookError::EmptySheet(sheet.to_string()));
    };
    Ok(Table { sheet: sheet.to_string(), headers, header_line, rows, quarantine, counts })
}

/// The text a user sees in a cell (see the module doc).
pub fn cell_text(cell: &Data) -> Cow<'_, str> {
    match cell {
        Data::Empty => Cow::Borrowed(""),
        Data::String(s) => Cow::Borrowed(s),
        Data::Int(i) => Cow::Owned(i.to_string()),
        Data::Float(f) => Cow::Owned(number(*f)),
        Data::Bool(b) => Cow::Borrowed(if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(d) => Cow::Owned(date_time(d)),
        Data::DateTimeIso(s) => Cow::Owned(iso_date_time(s)),
        Data::DurationIso(s) => Cow::Owned(iso_duration(s).unwrap_or_else(|| s.clone())),
        Data::Error(e) => Cow::Owned(e.to_string()),
    }
}

/// A number as Excel's General format shows it: whole numbers without a decimal point (up to
/// 15 digits, beyond which Excel itself loses digits), others rounded to 15 significant digits
/// so binary noise (`0.30000000000000004`) does not show.
fn number(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return (f as i64).to_string();
    }
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 { (rounded as i64).to_string() } else { rounded.to_string() }
}

/// An Excel date, time or date-time (a serial number of days), rounded to the second.
fn date_time(d: &ExcelDateTime) -> String {
    let serial = d.as_f64();
    if d.is_duration() {
        let secs = (serial * 86_400.0).round() as i64;
        return format!("{}:{:02}:{:02}", secs / 3600, secs.rem_euclid(3600) / 60, secs.rem_euclid(60));
    }
    // The epoch (1900 or 1904) is private to calamine's value; equality tells it.
    let is_1904 = *d == ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, true);
    let rounded = (serial * 86_400.0).round() / 86_400.0;
    let (y, m, day, h, min, s, _) =
        ExcelDateTime::new(rounded, ExcelDateTimeType::DateTime, is_1904).to_ymd_hms_milli();
    if (0.0..1.0).contains(&rounded) {
        // A time of day without a date.
        format!("{h:02}:{min:02}:{s:02}")
    } else if (h, min, s) == (0, 0, 0) {
        format!("{y:04}-{m:02}-{day:02}")
    } else {
        format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02}:{s:02}")
    }
}

/// An OpenDocument date (`2024-01-05`) or date-time (`2024-01-05T10:30:00.123`): the date, and
/// the time to the second when it is not midnight.
fn iso_date_time(s: &str) -> String {
    match s.split_once('T') {
        Some((date, time)) => {
            let time = time.get(..8).unwrap_or(time);
            if time == "00:00:00" || time == "00:00" { date.to_string() } else { format!("{date} {time}") }
        }
        None => s.to_string(),
    }
}

/// An OpenDocument time or duration (`PT10H30M00S`, `PT1H2M3.5S`) as `H:MM:SS`.
fn iso_duration(s: &str) -> Option<String> {
    let rest = s.strip_prefix("PT")?;
    let (mut h, mut m, mut sec) = (0f64, 0f64, 0f64);
    let mut num = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' | '.' => num.push(c),
            'H' | 'M' | 'S' => {
                let v: f64 = num.parse().ok()?;
                num.clear();
                match c {
                    'H' => h = v,
                    'M' => m = v,
                    _ => sec = v,
                }
            }
            _ => return None,
        }
    }
    let total = (h * 3600.0 + m * 60.0 + sec).round() as i64;
    Some(format!("{:02}:{:02}:{:02}", total / 3600, total % 3600 / 60, total % 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_a_user_sees_them() {
        let dt = |v: f64| Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
        // (cell, text)
        let cases: Vec<(Data, &str)> = vec![
            (Data::String("0150".into()), "0150"),
            (Data::Float(48114523.0), "48114523"),
            (Data::Float(8114523.0), "8114523"),
            (Data::Int(-7), "-7"),
            (Data::Float(250.75), "250.75"),
            (Data::Float(0.1 + 0.2), "0.3"),
            (Data::Float(-0.0), "0"),
            (Data::Float(1e20), "100000000000000000000"),
            (Data::Bool(true), "TRUE"),
            (Data::Bool(false), "FALSE"),
            (Data::Empty, ""),
            (dt(31120.0), "1985-03-14"),
            (dt(45296.4375), "2024-01-05 10:30:00"),
            // A second short of 10:30 in binary floating point is 10:30.
            (dt(45296.4375 - 1e-9), "2024-01-05 10:30:00"),
            (dt(0.5), "12:00:00"),
            (Data::DateTime(ExcelDateTime::new(29658.0, ExcelDateTimeType::DateTime, true)), "1985-03-14"),
            (Data::DateTime(ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false)), "36:00:00"),
            (Data::DateTimeIso("1985-03-14".into()), "1985-03-14"),
            (Data::DateTimeIso("2024-01-05T10:30:00".into()), "2024-01-05 10:30:00"),
            (Data::DateTimeIso("2024-03-10T00:00:00".into()), "2024-03-10"),
            (Data::DurationIso("PT10H30M00S".into()), "10:30:00"),
            (Data::Error(calamine::CellErrorType::NA), "#N/A"),
        ];
        for (cell, text) in cases {
            assert_eq!(cell_text(&cell), text, "{cell:?}");
        }
    }

    fn range(rows: &[&[Data]], first_row: u32) -> calamine::Range<Data> {
        let width = rows.iter().map(|r| r.len()).max().unwrap_or(1) as u32;
        let mut r = calamine::Range::new((first_row, 0), (first_row + rows.len() as u32 - 1, width - 1));
        for (i, row) in rows.iter().enumerate() {
            for (j, c) in row.iter().enumerate() {
                r.set_value((first_row + i as u32, j as u32), c.clone());
            }
        }
        r
    }

    #[test]
    fn rows_are_numbered_and_judged_like_csv_lines() {
        let s = |v: &str| Data::String(v.into());
        let e = Data::Empty;
        let sheet = range(
            &[
                &[e.clone(), e.clone(), e.clone()],
                &[s("Name"), s("E-mail"), e.clone()],
                &[s("Ola"), s("ola@example.no"), e.clone()],
                &[e.clone(), e.clone(), e.clone()],
                &[s(" name "), s("E-MAIL"), e.clone()],
                &[s("Kari"), e.clone(), s("note")],
                &[s("Per"), e.clone(), e.clone()],
            ],
            2,
        );
        let t = table("Ark1", &sheet, super::super::MAX_ROW_BYTES).unwrap();
        assert_eq!(t.headers, ["Name", "E-mail"]);
        assert_eq!(t.header_line, 4);
        let accepted: Vec<(u32, Vec<String>)> = t.rows.iter().map(|(l, v)| (*l, v.to_vec())).collect();
        assert_eq!(
            accepted,
            [(5, vec!["Ola".to_string(), "ola@example.no".into()]), (9, vec!["Per".into(), "".into()])]
        );
        let q: Vec<(u32, &str, &str)> = t.quarantine.iter().map(|(l, r, raw)| (*l, r.as_str(), raw.as_str())).collect();
        assert_eq!(
            q,
            [(7, super::super::REPEATED_HEADER, " name ,E-MAIL"), (8, "found 3 fields, expected 2", "Kari,,note")]
        );
        let c = t.counts;
        assert_eq!((c.lines_read, c.header_lines, c.blank_lines, c.rows_accepted, c.rows_quarantined), (9, 1, 4, 2, 2));
        assert_eq!(
            table("Ark1", &range(&[std::slice::from_ref(&e)], 0), super::super::MAX_ROW_BYTES).err(),
            Some(WorkbookError::EmptySheet("Ark1".into()))
        );
    }

    #[test]
    fn chooses_the_sheet() {
        let sheet = |name: &str, visible| calamine::Sheet {
            name: name.into(),
            typ: SheetType::WorkSheet,
            visible: if visible { SheetVisible::Visible } else { SheetVisible::Hidden },
        };
        let sheets = [sheet("Lookup", false), sheet("Contacts", true), sheet("Leads", true)];
        assert_eq!(choose_sheet(&sheets, None).unwrap(), "Contacts");
        assert_eq!(choose_sheet(&sheets, Some("Leads")).unwrap(), "Leads");
        assert_eq!(choose_sheet(&sheets, Some("leads")).unwrap(), "Leads");
        assert_eq!(choose_sheet(&sheets, Some("Lookup")).unwrap(), "Lookup");
        let e = choose_sheet(&sheets, Some("Lead")).unwrap_err();
        let (_, _, msg) = e.message(Workbook::Xlsx);
        assert_eq!(
            msg,
            "--sheet: unknown sheet 'Lead'; did you mean 'Leads'? The workbook's sheets are 'Lookup', 'Contacts', 'Leads'."
        );
        assert_eq!(choose_sheet(&[], None), Err(WorkbookError::NoSheets));
    }

    /// calamine panics on some damaged files (a truncated .xls indexes past its end); such a file
    /// must be an error, never a crash. Cut short and with flipped bytes, each fixture gives a
    /// table or an error.
    #[test]
    fn damaged_workbooks_are_errors_not_crashes() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/spreadsheets");
        let mut seed = 1u64;
        for (file, format) in
            [("crm_export.xlsx", Workbook::Xlsx), ("crm_export.xls", Workbook::Xls), ("crm_export.ods", Workbook::Ods)]
        {
            let bytes = std::fs::read(dir.join(file)).unwrap();
            for k in 0..60usize {
                let mut b = bytes.clone();
                if k % 2 == 0 {
                    // Cut short, more often near the end where .xls keeps its directory.
                    b.truncate(bytes.len() * (30 + k) / 100);
                } else {
                    for _ in 0..8 {
                        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                        let at = (seed >> 33) as usize % b.len();
                        b[at] ^= (seed >> 20) as u8 | 1;
                    }
                }
                let _ = read(b, format, None, super::super::MAX_ROW_BYTES);
            }
        }
        assert_eq!(
            read(b"PK\x03\x04".to_vec(), Workbook::Xlsx, None, super::super::MAX_ROW_BYTES).err(),
            Some(WorkbookError::Unreadable)
        );
    }
}
