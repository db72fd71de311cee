//! review.csv and review.xlsx: the review queue (`review::table`) as a person fills it in.
//!
//! The CSV is the run's own record of the queue (`regclean review` reads it back); the
//! workbook is the same table for Excel or LibreOffice: text cells (a record id stays an id),
//! the numbers as numbers, the header frozen with a filter on it, and a drop-down of `same` and
//! `different` on the decision column. Its document date is the run's `--as-of`, never the
//! clock, so the same run writes the same bytes.

use std::io::Write;

/// review.csv: the header and the rows, quoted where a field needs it.
pub fn write_csv(w: &mut (dyn Write + Send), header: &[String], rows: &[Vec<String>]) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(header)?;
    for row in rows {
        out.write_record(row)?;
    }
    out.flush()
}

/// The columns written as numbers in the workbook.
const NUMERIC: [&str; 3] = ["match_probability", "evidence_bits", "threshold_bits"];

/// review.xlsx: one sheet `review`, the same table. `as_of` (year, month, day) dates the file.
pub fn write_xlsx(
    w: &mut (dyn Write + Send),
    header: &[String],
    rows: &[Vec<String>],
    as_of: (u16, u8, u8),
) -> std::io::Result<()> {
    xlsx_bytes(header, rows, as_of).map_err(std::io::Error::other).and_then(|bytes| w.write_all(&bytes))
}

fn xlsx_bytes(
    header: &[String],
    rows: &[Vec<String>],
    as_of: (u16, u8, u8),
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DataValidation, DocProperties, ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let date = ExcelDateTime::from_ymd(as_of.0, as_of.1, as_of.2)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&date));
    let sheet = book.add_worksheet();
    sheet.set_name("review")?;
    let bold = Format::new().set_bold();
    let highlight = Format::new().set_bold().set_background_color(0xFFF2CC);
    for (c, h) in header.iter().enumerate() {
        let format = if h == "decision" { &highlight } else { &bold };
        sheet.write_string_with_format(0, c as u16, h, format)?;
        let width = rows.iter().map(|r| r.get(c).map_or(0, |v| v.chars().count())).max().unwrap_or(0);
        sheet.set_column_width(c as u16, (width.max(h.chars().count()) + 2).min(40) as f64)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c16) = (r as u32 + 1, c as u16);
            match v.parse::<f64>() {
                Ok(x) if NUMERIC.contains(&header[c].as_str()) => sheet.write_number(r, c16, x)?,
                _ if v.is_empty() => sheet,
                _ => sheet.write_string(r, c16, v)?,
            };
        }
    }
    if let Some(d) = header.iter().position(|h| h == "decision")
        && !rows.is_empty()
    {
        let list = DataValidation::new().allow_list_strings(&["same", "different"])?;
        sheet.add_data_validation(1, d as u16, rows.len() as u32, d as u16, &list)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    if !header.is_empty() {
        sheet.autofilter(0, 0, rows.len() as u32, header.len() as u16 - 1)?;
    }
    book.save_to_buffer()
}
