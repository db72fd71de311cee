//! Spreadsheet safety: neutralise cells a spreadsheet would run as formulas.
//!
//! golden.csv and segment exports are opened in Excel and Google Sheets. Following OWASP's
//! CSV-injection guidance, a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
//! return gets a leading `'`, so it is shown as text instead of being evaluated. A value that is
//! plainly a number or a phone number (`+4791145923`, `-12.50`) is not a formula and stays as it
//! is. records.csv is never touched: it keeps the original values byte for byte.

/// Returns the cell as it is safe to write, and whether it had to be changed.
pub fn neutralise(cell: &str) -> (std::borrow::Cow<'_, str>, bool) {
    let Some(first) = cell.chars().next() else { return (cell.into(), false) };
    // `=1` and `@123` are formulas however numeric they look; only a sign may start a number.
    if !matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r') || (matches!(first, '+' | '-') && plain_number(cell)) {
        return (cell.into(), false);
    }
    (format!("'{cell}").into(), true)
}

/// `+4791145923`, `-12.50`, `+47 911 45 923`: a sign followed by digits with at most one
/// decimal point, or a phone number's digits and spaces.
fn plain_number(cell: &str) -> bool {
    let rest = &cell[1..];
    if rest.is_empty() || !rest.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let dots = rest.matches('.').count();
    rest.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ' ') && dots <= 1 && !rest.ends_with(' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_numbers_are_not() {
        let cases = [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")", true),
            ("+SUM(A1:A9)", "'+SUM(A1:A9)", true),
            ("-2+3", "'-2+3", true),
            ("@cmd", "'@cmd", true),
            ("=1", "'=1", true),
            ("@123", "'@123", true),
            ("\tx", "'\tx", true),
            ("+4791145923", "+4791145923", false),
            ("-12.50", "-12.50", false),
            ("+47 911 45 923", "+47 911 45 923", false),
            ("Kari", "Kari", false),
            ("", "", false),
            ("-", "'-", true),
        ];
        for (cell, want, changed) in cases {
            let (got, c) = neutralise(cell);
            assert_eq!((got.as_ref(), c), (want, changed), "{cell:?}");
        }
    }
}
