//! Warnings: what a person should look at although the run succeeded, in one place.
//!
//! A run that quietly produces less than it seems is worse than one that fails: 42 segments
//! that are all empty because the register has no consent column, a phone column that is
//! mostly invalid because it was mapped wrongly, dates whose order was a guess. Each warning
//! has a stable `code`, a message, and the field or file it concerns; none quotes a value
//! (GDPR: only file names, headers, field and segment names, and counts). report.json lists
//! them in `warnings[]`, the console prints them after the summary and report.html at the top.

use crate::field::Field;
use crate::ingest::header_names;
use crate::normalise::{Register, Status};
use crate::segment::SegmentReport;
use serde::Serialize;

/// A mapped column with more invalid values than this share is probably mapped wrongly.
pub const MOSTLY_INVALID_SHARE: f64 = 0.2;
/// Values a column needs before its invalid share is judged.
const MIN_VALUES_JUDGED: usize = 10;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Warning {
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

impl Warning {
    fn new(code: &'static str, message: String) -> Warning {
        Warning { code, message, field: None, file: None }
    }
    fn field(mut self, f: &str) -> Warning {
        self.field = Some(f.to_string());
        self
    }
    fn file(mut self, f: &str) -> Warning {
        self.file = Some(f.to_string());
        self
    }
}

/// The warnings about the register as read and cleaned, which read its original values: taken
/// before the values leave memory (see `spill`). [`of_run`] adds the rest.
pub fn of_register(register: &Register) -> Vec<Warning> {
    let mut out = Vec::new();
    for source in register.ingested.empty_sources() {
        out.push(
            Warning::new("empty_input", format!("{}: has a header but no rows (did the export fail?)", source.name))
                .file(&source.name),
        );
    }
    for source in &register.ingested.sources {
        for &(col, first) in &source.duplicate_headers {
            out.push(
                Warning::new(
                    "duplicate_header",
                    format!(
                        "{}: column {} has the same header as column {}; both are kept, this one as '{}'",
                        source.name,
                        col + 1,
                        first + 1,
                        source.headers[col]
                    ),
                )
                .file(&source.name),
            );
        }
    }
    mostly_invalid(register, &mut out);
    let inferred = register.country_inferred_counts();
    if !inferred.is_empty() {
        let total: usize = inferred.values().sum();
        let how: Vec<String> = inferred.iter().map(|(how, n)| format!("{n} by {}", how.replace('_', " "))).collect();
        out.push(Warning::new(
            "country_inferred",
            format!(
                "{total} rows have no country; it was inferred ({}) and marked in records.csv's country_source: set default_country in the config if that is wrong",
                how.join(", ")
            ),
        ));
    }
    for (source, columns) in register.ingested.sources.iter().zip(&register.date_columns) {
        for c in columns.iter().filter(|c| c.ambiguous()) {
            let why = if c.day_first_values > 0 && c.month_first_values > 0 {
                format!(
                    "{} values prove day first and {} month first; read {} (the majority)",
                    c.day_first_values,
                    c.month_first_values,
                    c.order.replace('_', " ")
                )
            } else {
                format!(
                    "no value has a day above 12, and {} values read as different dates either way; read {} (set date_order in the config to fix it)",
                    c.ambiguous_values,
                    c.order.replace('_', " ")
                )
            };
            out.push(
                Warning::new(
                    "ambiguous_date_order",
                    format!("{}: column {} ('{}', {}): {why}", source.name, c.column, c.header, c.field),
                )
                .field(c.field)
                .file(&source.name),
            );
        }
    }
    unmapped_known(register, &mut out);
    out
}

/// [`of_register`]'s warnings `out`, followed by those about what the run made of the register.
pub fn of_run(
    mut out: Vec<Warning>,
    register: &Register,
    segments: Option<&[SegmentReport]>,
    largest_same_chain: usize,
) -> Vec<Warning> {
    let present = |f: Field| register.fields_present.contains(&f);
    if !present(Field::EmailConsent) && !present(Field::SmsConsent) {
        let consent_segments = segments.map_or(0, |s| s.iter().filter(|s| s.require_consent != "none").count());
        let tail = if consent_segments > 0 {
            format!(": the {consent_segments} segments that require consent will be empty")
        } else {
            ": segments that require consent will be empty".to_string()
        };
        out.push(Warning::new(
            "no_consent_column",
            format!("no input has an e-mail or SMS consent column{tail}; map one in the config's [columns] if it has another name"),
        ));
    }
    if let Some(segments) = segments {
        // Each with why it is empty (`SegmentReport::empty_because`).
        let empty: Vec<String> = segments
            .iter()
            .filter(|s| s.size == 0)
            .map(|s| match &s.empty_because {
                Some(why) => format!("{} ({why})", s.name),
                None => s.name.clone(),
            })
            .collect();
        if !empty.is_empty() {
            let shown: Vec<&str> = empty.iter().take(8).map(String::as_str).collect();
            let more = if empty.len() > shown.len() {
                format!(" and {} more", empty.len() - shown.len())
            } else {
                String::new()
            };
            out.push(Warning::new(
                "empty_segments",
                format!("{} of {} segments are empty: {}{more}", empty.len(), segments.len(), shown.join("; ")),
            ));
        }
    }
    if largest_same_chain > crate::decisions::LARGE_SAME_CHAIN {
        out.push(Warning::new(
            "large_same_chain",
            format!(
                "a chain of 'same' decisions joins {largest_same_chain} rows into one golden record (more than {}): check the decisions file",
                crate::decisions::LARGE_SAME_CHAIN
            ),
        ));
    }
    out
}

/// Mapped columns (per file) with more than [`MOSTLY_INVALID_SHARE`] of their values invalid.
fn mostly_invalid(register: &Register, out: &mut Vec<Warning>) {
    let sources = &register.ingested.sources;
    // (source, field) → (values, invalid)
    let mut counts = vec![[(0usize, 0usize); Field::COUNT]; sources.len()];
    // Rows per source with a country (their own or one the run gave them).
    let mut with_country = vec![0usize; sources.len()];
    for (row, clean) in register.ingested.rows.iter().zip(&register.clean) {
        with_country[row.source as usize] += usize::from(clean.value(Field::Country).is_some());
        let c = &mut counts[row.source as usize];
        for (col, f) in sources[row.source as usize].mapping.iter().enumerate() {
            let Some(f) = f else { continue };
            if row.values[col].trim().is_empty() {
                continue;
            }
            c[f.index()].0 += 1;
            if clean.status(*f) == Status::Invalid {
                c[f.index()].1 += 1;
            }
        }
    }
    for ((source, c), &with_country) in sources.iter().zip(&counts).zip(&with_country) {
        for (col, f) in source.mapping.iter().enumerate() {
            let Some(f) = f else { continue };
            let (values, invalid) = c[f.index()];
            if values >= MIN_VALUES_JUDGED && invalid as f64 > values as f64 * MOSTLY_INVALID_SHARE {
                // A phone column that is all invalid in a file without countries is most likely
                // right, written without country codes: the fix is the config's default country.
                let what = if source.mapping.contains(&Some(Field::Country)) {
                    "no row has a country"
                } else {
                    "the file has no country column"
                };
                let why = if f.kind() == crate::field::Kind::Phone && invalid == values && with_country == 0 {
                    format!(
                        "{what}, and numbers without a country code are read in the config's default_country: set it (e.g. default_country = \"NO\") to the country of these numbers"
                    )
                } else if f.kind() == crate::field::Kind::Currency && with_country == 0 {
                    // A bare `kr` is the crown of the row's country, and these rows have none.
                    format!(
                        "{what}, and a bare 'kr' is read as the crown of the row's country: set the config's default_country (e.g. default_country = \"NO\"), or write the codes (NOK, SEK, DKK)"
                    )
                } else {
                    "is it the right column?".to_string()
                };
                out.push(
                    Warning::new(
                        "mostly_invalid",
                        format!(
                            "{}: column {} ('{}', mapped to {}): {invalid} of {values} values ({:.0}%) are invalid: {why}",
                            source.name,
                            col + 1,
                            source.headers[col],
                            f.name(),
                            100.0 * invalid as f64 / values as f64
                        ),
                    )
                    .field(f.name())
                    .file(&source.name),
                );
            }
        }
    }
}

/// Words that qualify a header without changing what it holds: `Home Phone`, `Email 2`,
/// `Other Street`, `Secondary Email` hold a phone, an e-mail, a street.
const QUALIFIERS: &[&str] = &[
    "home",
    "other",
    "work",
    "private",
    "privat",
    "personal",
    "secondary",
    "alternate",
    "alternative",
    "second",
    "2",
    "3",
    "alt",
    "extra",
    "additional",
    "old",
    "previous",
];

/// Columns left unmapped that hold a field we know, where the evidence is strong: a header that
/// speaks of consent, opt-outs or bounces but names no one channel (`Opt out of SMS and email`);
/// a known header with a qualifier (`Home Phone`, `Email 2`); values that are mostly e-mail
/// addresses. Ranked: consent and opt-outs first, then e-mail and phone, then the rest, each
/// in file and column order. A header that merely shares a word with a field (`First Page
/// Seen`, `IP City`) is no evidence.
fn unmapped_known(register: &Register, out: &mut Vec<Warning>) {
    let mut found: Vec<(u8, Warning)> = Vec::new();
    for (s, source) in register.ingested.sources.iter().enumerate() {
        for (col, (field, note)) in source.mapping.iter().zip(&source.mapping_notes).enumerate() {
            // A custom field's column is mapped too, to a field of the config's `[fields]`; a
            // count, a per-subscription opt-out or a duplicate header was left out on purpose.
            if field.is_some()
                || note.starts_with("ignored")
                || source.custom[col].is_some()
                || *note == crate::ingest::headers::HOLDS_COUNTS
                || *note == crate::ingest::headers::ONE_SUBSCRIPTION
                || source.duplicate_headers.iter().any(|d| d.0 == col)
            {
                continue;
            }
            let header = &source.headers[col];
            let (known, why) = if header_names::speaks_of_consent(header) {
                (
                    "consent",
                    "it reads as consent, an opt-out or a bounce but names no one channel (or several); map it in the config's [columns] to the channel it is for".to_string(),
                )
            } else {
                // A known header passed through because an earlier column holds its field
                // (Shopify's `Phone` after `Default Address Phone`) is strong evidence too.
                let already = *note == crate::ingest::headers::ALREADY_MAPPED;
                let by_name = already
                    .then(|| header_names::lookup(header))
                    .flatten()
                    .or_else(|| qualified_name(header))
                    .filter(|f| !matches!(f, Field::RecordId));
                let by_values = by_name.is_none() && mostly_emails(register, s, col);
                let Some(known) = by_name.map(Field::name).or(by_values.then_some("email")) else { continue };
                let why = if already {
                    format!("another column already holds {known}; this one passes through unchanged")
                } else {
                    format!("left unmapped; map it in the config's [columns] if it holds {known}")
                };
                (known, why)
            };
            let rank = match Field::from_name(known) {
                None => 0,
                Some(f) if f.is_channel() => 0,
                Some(Field::Email | Field::Phone | Field::Mobile) => 1,
                Some(_) => 2,
            };
            let w = Warning::new(
                "unmapped_known_field",
                format!("{}: column {} ('{header}') looks like {known}: {why}", source.name, col + 1),
            )
            .file(&source.name);
            found.push((rank, if known == "consent" { w } else { w.field(known) }));
        }
    }
    // Stable: file and column order within a rank.
    found.sort_by_key(|(rank, _)| *rank);
    out.extend(found.into_iter().map(|(_, w)| w));
}

/// The field a header names once the words that only qualify it are dropped (`Home Phone` →
/// phone, `Email 2` → email), when it has such a word.
fn qualified_name(header: &str) -> Option<Field> {
    let words: Vec<String> = header
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(header_names::normalise_header)
        .collect();
    let rest: Vec<&str> = words.iter().map(String::as_str).filter(|w| !QUALIFIERS.contains(w)).collect();
    if rest.len() == words.len() || rest.is_empty() {
        return None;
    }
    header_names::lookup(&rest.join(" "))
}

/// A custom field declared in the config (`declared_at`: where, per field) whose column no input
/// has: the config may be meant for other exports, or the header is misspelt, and the field is
/// empty, which no error would explain.
pub fn missing_custom_columns(register: &Register, declared_at: &[String]) -> Vec<Warning> {
    let custom = &register.custom;
    custom
        .missing_columns()
        .map(|k| {
            let field = &custom.fields[k];
            let at = declared_at.get(k).map_or("config", String::as_str);
            Warning::new(
                "custom_column_missing",
                format!("{at}: custom field '{}': no input has a column '{}'", field.name, field.column),
            )
            .field(&field.name)
        })
        .collect()
}

/// Whether most non-empty values of one column (among its first 200) look like e-mail addresses.
fn mostly_emails(register: &Register, source: usize, col: usize) -> bool {
    let values: Vec<&str> = register
        .ingested
        .rows
        .iter()
        .filter(|r| r.source as usize == source)
        .map(|r| r.values[col].trim())
        .filter(|v| !v.is_empty())
        .take(200)
        .collect();
    let emails = values
        .iter()
        .filter(|v| v.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !v.contains(' ')))
        .count();
    values.len() >= 5 && emails * 5 > values.len() * 4
}
