//! golden.csv: one row per golden record.

use crate::merge::Golden;
use crate::merge::accounts::Accounts;
use crate::normalise::Register;
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
        let mut out = csv::WriterBuilder::new().from_writer(buf);
        for ((k, g), reasons) in range.clone().zip(&goldens[range.clone()]).zip(&stale[range]) {
            let mut rec = vec![g.golden_id.clone(), g.members.len().to_string()];
            if let Some(a) = accounts {
                rec.push(a.account_of(k).map(|a| goldens[a].golden_id.clone()).unwrap_or_default());
            }
            rec.extend(register.fields_present.iter().map(|&f| g.value(f).unwrap_or("").to_string()));
            rec.extend(g.custom().iter().map(|c| c.value.clone().unwrap_or_default()));
            rec.push(g.other_emails().join(";"));
            rec.push(g.other_phones().join(";"));
            rec.push((!reasons.is_empty()).to_string());
            rec.push(reasons.join(";"));
            if let Some(lists) = suppressed {
                rec.push(lists[k].clone());
            }
            let source = register.ingested.rows[g.passthrough_member].source as usize;
            for (_, cols) in &passthrough {
                rec.push(cols[source].and_then(|c| kept.get(k, c)).unwrap_or_default().to_string());
            }
            let rec: Vec<String> = keep.iter().map(|&i| std::mem::take(&mut rec[i])).collect();
            out.write_record(super::guard(&rec, guard_on, neutralised).iter().map(|c| c.as_bytes()))?;
        }
        out.flush()
    })
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
