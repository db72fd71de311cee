//! Channels: one consent, opt-out and bounce value per channel from every column that speaks
//! for it.
//!
//! Real exports say the same thing several times and in several ways: Dynamics has `Do not
//! allow Emails` and `Do not allow Bulk Emails`, Mailchimp a filled `UNSUB_TIME` beside an
//! `OPTIN_TIME`, Salesforce `Email Opt Out` beside a consent column, and a `Do Not Call` flag is
//! a refusal of calls, not of e-mail. Ingest maps every such column to its channel's field and
//! says how it is read (`ingest::headers::Reading`); this module reads them all for one row and
//! keeps the most restrictive answer: a person who refused in any column has refused. For the
//! consent fields that is `false`; for `unsubscribed` and `email_bounced` it is `true`. An
//! e-mail unsubscribe also withdraws e-mail consent where the export has a consent column.
//! A field read from one plain column is cleaned as any other field and never comes here.

use super::{Cleaned, Context, Status, normalise_value};
use crate::field::Field;
use crate::ingest::headers::Reading;

/// The channel columns of one source (`Source::channel_columns`) and whether any row of it needs
/// more than the plain cleaning of one column per field.
#[derive(Debug, Clone, Default)]
pub struct ChannelColumns {
    columns: Vec<(Field, usize, Reading)>,
    combine: bool,
}

impl ChannelColumns {
    pub fn new(columns: Vec<(Field, usize, Reading)>) -> ChannelColumns {
        let count = |f: Field| columns.iter().filter(|c| c.0 == f).count();
        let combine = columns.iter().any(|&(f, _, reading)| reading != Reading::Value || count(f) > 1)
            || (count(Field::EmailConsent) > 0 && count(Field::Unsubscribed) > 0);
        ChannelColumns { columns, combine }
    }

    /// Whether [`ChannelColumns::read`] changes anything for this source.
    pub fn combine(&self) -> bool {
        self.combine
    }

    /// Replaces each channel field's cell in `cells` by the most restrictive answer of all its
    /// columns; `value(col)` gives the row's raw value of a column.
    pub fn read<'a>(&self, value: impl Fn(usize) -> &'a str, ctx: &Context, cells: &mut [Cleaned]) {
        if !self.combine {
            return;
        }
        let has_consent_column = self.columns.iter().any(|c| c.0 == Field::EmailConsent);
        for field in Field::CHANNEL {
            // The restrictive answer: a refusal of consent, or a yes to unsubscribed or bounced.
            let restrictive = matches!(field, Field::Unsubscribed | Field::EmailBounced);
            let mut answers: Vec<Cleaned> = Vec::new();
            for &(f, col, reading) in &self.columns {
                let raw = value(col);
                if f == field {
                    answers.push(read_one(f, reading, raw, ctx));
                } else if field == Field::EmailConsent && f == Field::Unsubscribed && has_consent_column {
                    // An unsubscribe withdraws e-mail consent; not having unsubscribed gives none.
                    let unsubscribed = read_one(f, reading, raw, ctx);
                    if unsubscribed.value.as_deref() == Some("true") {
                        answers.push(Cleaned::fixed("false".to_string()));
                    }
                }
            }
            if answers.is_empty() && !self.columns.iter().any(|c| c.0 == field) {
                continue;
            }
            cells[field.index()] = most_restrictive(answers, restrictive);
        }
    }
}

/// One column's answer for its field.
fn read_one(field: Field, reading: Reading, raw: &str, ctx: &Context) -> Cleaned {
    let filled = !raw.trim().is_empty();
    match reading {
        Reading::Value => normalise_value(field, raw, None, ctx),
        // Read as an unsubscribe flag (so Dynamics' `Do Not Allow` is a yes): a yes is no
        // consent, a no is no answer.
        Reading::OptOut => {
            let out = normalise_value(Field::Unsubscribed, raw, None, ctx);
            match out.value.as_deref() {
                Some("true") => Cleaned::fixed("false".to_string()),
                Some(_) => Cleaned::missing(),
                None => out,
            }
        }
        Reading::Filled if filled => Cleaned::fixed("true".to_string()),
        Reading::FilledOptOut if filled => Cleaned::fixed("false".to_string()),
        Reading::Filled | Reading::FilledOptOut => Cleaned::missing(),
    }
}

/// The answer that restricts most (`restrictive` is the value that does: `false` for consent,
/// `true` for unsubscribed and bounced), then the other value, then invalid, then missing. The
/// first column's cell is kept as it is when it decides, so one plain column reads as before.
fn most_restrictive(answers: Vec<Cleaned>, restrictive: bool) -> Cleaned {
    let wanted = restrictive.to_string();
    let other = (!restrictive).to_string();
    let pick = |v: &str| answers.iter().find(|c| c.value.as_deref() == Some(v)).cloned();
    pick(&wanted)
        .or_else(|| pick(&other))
        .or_else(|| answers.iter().any(|c| c.status == Status::Invalid).then(Cleaned::invalid))
        .unwrap_or_else(Cleaned::missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::date::{Date, DateOptions};
    use Field::*;
    use Reading::*;

    fn ctx() -> Context {
        Context::new(None, DateOptions::default(), Date::parse_iso("2026-01-01").unwrap())
    }

    /// (columns, the row's values, expected values of the channel fields that change).
    #[test]
    fn the_most_restrictive_column_wins_per_channel() {
        type Case = (&'static [(Field, Reading)], &'static [&'static str], &'static [(Field, Option<&'static str>)]);
        let cases: &[Case] = &[
            // HubSpot: the all-e-mail unsubscribe withdraws the consent column's yes.
            (
                &[(EmailConsent, Value), (Unsubscribed, Value)],
                &["true", "true"],
                &[(EmailConsent, Some("false")), (Unsubscribed, Some("true"))],
            ),
            (
                &[(EmailConsent, Value), (Unsubscribed, Value)],
                &["yes", "false"],
                &[(EmailConsent, Some("true")), (Unsubscribed, Some("false"))],
            ),
            // Dynamics: either e-mail refusal unsubscribes; a call refusal touches no e-mail field.
            (
                &[(Unsubscribed, Value), (Unsubscribed, Value), (PhoneConsent, OptOut)],
                &["Allow", "Do Not Allow", "Allow"],
                &[(Unsubscribed, Some("true")), (PhoneConsent, None), (EmailConsent, None)],
            ),
            (
                &[(Unsubscribed, Value), (PhoneConsent, OptOut)],
                &["Allow", "Do Not Allow"],
                &[(Unsubscribed, Some("false")), (PhoneConsent, Some("false")), (EmailConsent, None)],
            ),
            // Mailchimp: a filled UNSUB_TIME beats a filled OPTIN_TIME; CLEAN_TIME is a bounce.
            (
                &[(EmailConsent, Filled), (Unsubscribed, Filled), (EmailBounced, Filled)],
                &["2021-03-01 10:00:00", "2023-05-02 11:00:00", ""],
                &[(EmailConsent, Some("false")), (Unsubscribed, Some("true")), (EmailBounced, None)],
            ),
            (
                &[(EmailConsent, Filled), (Unsubscribed, Filled), (EmailBounced, Filled)],
                &["2021-03-01 10:00:00", "", "2024-01-01"],
                &[(EmailConsent, Some("true")), (Unsubscribed, None), (EmailBounced, Some("true"))],
            ),
            // Two consent columns: one no is no.
            (&[(SmsConsent, Value), (SmsConsent, Value)], &["ja", "nei"], &[(SmsConsent, Some("false"))]),
            // An unreadable answer does not hide a readable one; alone it is invalid.
            (&[(SmsConsent, Value), (SmsConsent, Value)], &["maybe", "yes"], &[(SmsConsent, Some("true"))]),
            (&[(FaxConsent, OptOut), (FaxConsent, OptOut)], &["maybe", ""], &[(FaxConsent, None)]),
        ];
        for (columns, values, want) in cases {
            let cols: Vec<(Field, usize, Reading)> = columns.iter().enumerate().map(|(i, &(f, r))| (f, i, r)).collect();
            let channels = ChannelColumns::new(cols);
            assert!(channels.combine());
            let mut cells = vec![Cleaned::missing(); Field::COUNT];
            channels.read(|c| values[c], &ctx(), &mut cells);
            for &(f, v) in *want {
                assert_eq!(cells[f.index()].value.as_deref(), v, "{f} of {columns:?} = {values:?}");
            }
        }
        // An unreadable opt-out alone is an invalid cell, not a silent "no answer".
        let channels = ChannelColumns::new(vec![(FaxConsent, 0, OptOut)]);
        let mut cells = vec![Cleaned::missing(); Field::COUNT];
        channels.read(|_| "maybe", &ctx(), &mut cells);
        assert_eq!(cells[FaxConsent.index()].status, Status::Invalid);
    }

    /// One plain column per field is cleaned as any field: nothing to combine.
    #[test]
    fn one_plain_column_per_field_is_left_alone() {
        let channels = ChannelColumns::new(vec![(EmailConsent, 0, Value), (SmsConsent, 1, Value)]);
        assert!(!channels.combine());
        let channels = ChannelColumns::new(vec![(Unsubscribed, 0, Value), (EmailBounced, 1, Value)]);
        assert!(!channels.combine());
    }
}
