//! golden.csv: one row per golden record.

use super::csv_text::Line;
use crate::merge::Golden;
use crate::merge::accounts::Accounts;
use crate::normalise::Register;
use std::borrow::Cow;
use std::io::Write;

/// golden.csv: one row per golden record with its surviving canonical fields, then its custom
/// fields (the config's `[fields]`), the losing valid e-mails and phones, and the pass-through
/// columns of the member that gave the name. With `accounts` (a register that can hold
/// organisations), `account_id` follows `member_count`: a contact's golden account, empty for an
/// account and for a contact linked to none.
#[allow(clippy::too_many_arguments)] // the records, their accounts and stale reasons, three output options and a sink
pub fn write_golden(
    w: &mut (dyn Write + Send),
    register: &Register,
    goldens: &[Golden],
    kept: &crate::ingest::Gathered,
    accounts: Option<&Accounts>,
    stale: &[Vec<&str>],
    guard_on: bool,
    neutralised: &std::sync::atomic::AtomicUsize,
    output_columns: Option<&Vec<String>>,
    suppressed: Option<&[String]>,
    progress: &dyn crate::progress::Progress,
) -> std::io::Result<()> {
    let passthrough = super::records::passthrough_columns(&register.ingested);
    let mut out = csv::WriterBuilder::new().from_writer(w);
    let mut header = vec!["golden_id".to_string(), "member_count".to_string()];
    header.extend(accounts.map(|_| "account_id".to_string()));
    header.extend(register.fields_present.iter().map(|f| f.name().to_string()));
    header.extend(register.custom.fields.iter().map(|f| f.name.clone()));
    header.extend([
        "other_emails".to_string(),
        "other_phones".to_string(),
        "stale".to_string(),
        "stale_reasons".to_string(),
    ]);
    // With --suppress: the lists that name a member (always kept: it says who must not be
    // contacted).
    let suppressed_at = suppressed.map(|_| header.len());
    header.extend(suppressed.map(|_| "suppressed".to_string()));
    header.extend(passthrough.iter().map(|(n, _)| n.clone()));
    // Data minimisation: keep golden_id, member_count and the requested columns only (account_id
    // too is written only when asked for then).
    let keep: Vec<usize> = (0..header.len())
        .filter(|&i| i < 2 || Some(i) == suppressed_at || output_columns.is_none_or(|cols| cols.contains(&header[i])))
        .collect();
    let header: Vec<String> = keep.iter().map(|&i| header[i].clone()).collect();
    out.write_record(&header)?;
    out.flush()?;
    let w = out.into_inner().map_err(|e| e.into_error())?;
    crate::chunks::write_chunks_with(w, goldens.len(), 2048, progress, |buf, range| {
        // A row's cells before `keep` chooses among them, reused from row to row: borrowed from
        // the golden records but for the few lists to join. `member_count` is written as a
        // number, never through the guard (a count is no formula).
        let mut cells: Vec<Cow<'_, str>> = Vec::with_capacity(keep.len());
        for ((k, g), reasons) in range.clone().zip(&goldens[range.clone()]).zip(&stale[range]) {
            cells.clear();
            cells.push(Cow::Borrowed(&g.golden_id));
            cells.push(Cow::Borrowed(""));
            if let Some(a) = accounts {
                cells.push(Cow::Borrowed(a.account_of(k).map_or("", |a| goldens[a].golden_id.as_str())));
            }
            cells.extend(register.fields_present.iter().map(|&f| Cow::Borrowed(g.value(f).unwrap_or(""))));
            cells.extend(g.custom().iter().map(|c| Cow::Borrowed(c.value.as_deref().unwrap_or(""))));
            cells.push(joined(g.other_emails()));
            cells.push(joined(g.other_phones()));
            cells.push(Cow::Borrowed(if reasons.is_empty() { "false" } else { "true" }));
            cells.push(joined(reasons));
            if let Some(lists) = suppressed {
                cells.push(Cow::Borrowed(&lists[k]));
            }
            let source = register.ingested.rows[g.passthrough_member].source as usize;
            for (_, cols) in &passthrough {
                cells.push(Cow::Borrowed(cols[source].and_then(|c| kept.get(k, c)).unwrap_or_default()));
            }
            let mut line = Line::new(buf);
            for &i in &keep {
                if i == 1 {
                    line.uint(g.members.len() as u64);
                } else {
                    super::guarded_field(&mut line, &cells[i], guard_on, neutralised);
                }
            }
            line.end();
        }
        Ok(())
    })
}

/// A list joined by `;`, borrowed when it has one item or none (nearly every golden record).
fn joined<S: AsRef<str>>(items: &[S]) -> Cow<'_, str> {
    match items {
        [] => Cow::Borrowed(""),
        [one] => Cow::Borrowed(one.as_ref()),
        _ => Cow::Owned(items.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(";")),
    }
}

/// Per source, the columns of a golden record's pass-through member that the writers read: the
/// pass-through columns (golden.csv) and a currency column (the report's revenue).
pub fn kept_columns(ingested: &crate::ingest::Ingested) -> Vec<Vec<bool>> {
    let passthrough = super::records::passthrough_columns(ingested);
    ingested
        .sources
        .iter()
        .enumerate()
        .map(|(k, s)| {
            (0..s.headers.len())
                .map(|c| {
                    passthrough.iter().any(|(_, cols)| cols[k] == Some(c))
                        || (s.mapping[c].is_none() && crate::report::is_currency_header(&s.headers[c]))
                })
                .collect()
        })
        .collect()
}
