//! Report: the machine-readable account of a run (`report.json`).
//!
//! The report reconciles every input line with where it went and counts the quality of every
//! canonical field. It never holds personal data: only counts, header names, file names, hashes,
//! reason codes and masked values (the shapes of invalid values; in the merge examples, what a
//! person needs to judge a pair and no more: initials, birth year, a phone's calling code, an
//! e-mail's domain, postcode and city, see [`mask_for_judging`]). Keys are documented in README.md and are a contract for other tools.

use crate::field::Field;
use crate::ingest::LineCounts;
use crate::normalise::Status;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
pub struct Report {
    pub tool: Tool,
    pub as_of: String,
    /// `argument` when `--as-of` was given, `today` when the run used the current date.
    pub as_of_source: &'static str,
    pub config_sha256: String,
    /// SHA-256 of the rule files in force (survivorship, stale policy, segments).
    pub rules_sha256: String,
    /// What a person should look at though the run succeeded (`warnings`).
    pub warnings: Vec<crate::warnings::Warning>,
    /// The country whose conventions report.html follows for numbers and money (`locale` in
    /// the config, else the register's most common country), and which of the two it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// The register's health in a few numbers, each with its base (see [`Health`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health: Option<Health>,
    pub inputs: Vec<InputReport>,
    pub reconciliation: Reconciliation,
    pub fields: BTreeMap<&'static str, FieldQuality>,
    /// Accepted rows by what they describe (`normalise::entity`): a person, an organisation, or a
    /// person at an organisation.
    pub entity_kinds: EntityKinds,
    /// Rows whose missing country was inferred, by how (`postcode`, `phone`, `email`,
    /// `register_majority`); absent when none was.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub country_inferred: BTreeMap<&'static str, usize>,
    /// The same counts for the config's custom fields (`[fields]`); absent when none are
    /// declared.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub custom_fields: BTreeMap<String, FieldQuality>,
    pub quarantine: QuarantineReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dedup: Option<DedupReport>,
    /// With `--decisions`: how the model's own linking fares against the decided pairs
    /// (`review`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewReport>,
    /// What happened to golden ids since the previous run (`--previous`), see `ids`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<crate::ids::IdentityCounts>,
    /// Golden accounts and their contacts (`merge::accounts`); absent for a register with no
    /// company or org number column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accounts: Option<crate::merge::accounts::AccountsReport>,
    /// Who lives with whom (`household`): counts only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub households: Option<crate::household::HouseholdReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale: Option<StaleReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segments: Option<Vec<crate::segment::SegmentReport>>,
    /// How many golden records the segments reach, split by stale and fresh.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment_reach: Option<SegmentReach>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality_gates: Option<GateReport>,
    /// Cells of golden.csv and segment exports that started like a spreadsheet formula and got
    /// a leading `'` (0 when `formula_guard = false`).
    pub spreadsheet_cells_neutralised: usize,
    /// With `--history`: every point of the history file, this run's included (`history`), for
    /// trend lines of segment size and value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment_history: Option<Vec<crate::history::Point>>,
    /// With `--suppress`: per list, its entries, those that matched nobody and the golden
    /// records it suppressed (counts only, never a value).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<SuppressionReport>,
    /// With an erasure log (of `--previous` or of the output folder): its size and the rows it
    /// kept out of this run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub erasure: Option<ErasureReport>,
}

/// report.json `suppression`.
#[derive(Debug, Clone, Serialize)]
pub struct SuppressionReport {
    /// Golden records any list suppressed: in golden.csv, marked, and in no segment or export.
    pub golden_records_suppressed: usize,
    pub lists: Vec<SuppressionList>,
}

/// One suppression list's counts.
#[derive(Debug, Clone, Serialize)]
pub struct SuppressionList {
    /// The file stem, as golden.csv's `suppressed` column names it.
    pub name: String,
    pub entries: usize,
    /// Entries that matched no row of the register (counted, never shown).
    pub entries_unmatched: usize,
    pub golden_records_suppressed: usize,
}

/// report.json `erasure`.
#[derive(Debug, Clone, Serialize)]
pub struct ErasureReport {
    /// Hashes in the erasure log this run obeyed (and carried into its own folder).
    pub log_entries: usize,
    /// Accepted rows and quarantined lines left out (also `reconciliation.rows_erased`).
    pub rows_kept_out: usize,
}

/// Accepted rows per entity kind; the keys are `EntityKind::name`.
#[derive(Debug, Default, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct EntityKinds {
    pub person: usize,
    pub organisation: usize,
    pub person_at_organisation: usize,
}

impl EntityKinds {
    /// Counts the kind of every cleaned row.
    pub fn count(clean: &[crate::normalise::CleanRow]) -> EntityKinds {
        use crate::normalise::entity::{EntityKind, entity_kind};
        let mut k = EntityKinds::default();
        for row in clean {
            match entity_kind(row) {
                EntityKind::Person => k.person += 1,
                EntityKind::Organisation => k.organisation += 1,
                EntityKind::PersonAtOrganisation => k.person_at_organisation += 1,
            }
        }
        k
    }
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct SegmentReach {
    pub fresh_in_segments: usize,
    pub stale_in_segments: usize,
}

#[derive(Debug, Serialize)]
pub struct StaleReport {
    pub inactive_after_months: u32,
    pub golden_records: usize,
    pub stale_records: usize,
    /// Reason code → golden records with that reason (a record can have several).
    pub by_reason: BTreeMap<&'static str, usize>,
    /// Reasons of the policy the register has no fields for.
    pub reasons_skipped: Vec<&'static str>,
}

/// The stale part of the report.
pub fn stale_section(
    stale: &[Vec<&'static str>],
    reasons: &[crate::stale::Reason],
    skipped: &[crate::stale::Reason],
    months: u32,
) -> StaleReport {
    let mut by_reason: BTreeMap<&'static str, usize> = reasons.iter().map(|r| (r.code(), 0)).collect();
    for list in stale {
        for r in list {
            *by_reason.entry(r).or_insert(0) += 1;
        }
    }
    StaleReport {
        inactive_after_months: months,
        golden_records: stale.len(),
        stale_records: stale.iter().filter(|r| !r.is_empty()).count(),
        by_reason,
        reasons_skipped: skipped.iter().map(|r| r.code()).collect(),
    }
}

#[derive(Debug, Serialize)]
pub struct DedupReport {
    pub threshold_match_weight: f64,
    /// The evidence a link between two people, and between two companies, was held to: the
    /// configured threshold, or less in a list too small to hold that many pairs
    /// (`dedup::Thresholds`); null where the register has fewer than two of the kind.
    pub link_threshold_people: Option<f64>,
    pub link_threshold_organisations: Option<f64>,
    pub blocking: Vec<crate::dedup::block::RuleStats>,
    pub pairs_scored: u64,
    pub pairs_written: u64,
    pub links: usize,
    pub links_refused_for_contrary_evidence: u64,
    /// Links resting on full name and birth date alone, and whether they were refused as
    /// likely coincidences (see `dedup::NamesakeCheck`).
    pub namesakes: crate::dedup::NamesakeCheck,
    /// Placeholder values left out of matching, per field (`field`, `values`, `records`).
    pub placeholders: Vec<crate::dedup::placeholders::PlaceholderField>,
    /// Rows joined to an identical row (every cleaned value equal) before any comparison.
    pub exact_duplicate_rows: u64,
    /// Scored pairs above the threshold that were not joined, by reason (`namesake_check`,
    /// `coincidence`, `decision_different`, `contrary_evidence`).
    pub refused_by_reason: std::collections::BTreeMap<&'static str, u64>,
    pub golden_records: usize,
    pub rows_merged_into_another: usize,
    /// Cluster size → number of clusters.
    pub clusters_by_size: BTreeMap<usize, usize>,
    /// Whole match weight (floor) → number of scored pairs.
    pub match_weight_histogram: BTreeMap<i64, u64>,
    pub prior: f64,
    /// The model's m and u per comparison level.
    pub model: crate::dedup::model::Model,
    /// A few merged pairs and the pairs just above and just below the threshold, field by
    /// field (values masked unless `--show-samples`).
    pub examples: Vec<PairExample>,
}

/// The decided pairs against the model's own decisions (`review::Tally`): the pairs of the
/// decisions file that dedup scored, each a true or false positive or negative of the model's
/// pairwise decision (`PairExplanation::model_links`: before decisions and clustering), and the
/// precision and recall they give with 95 % Wilson score intervals. Reviewed pairs are mostly
/// pairs near the threshold, the hardest ones: the estimates describe those pairs, and are a
/// lower bound for the register as a whole (README, "Reviewing uncertain pairs").
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReviewReport {
    /// Pairs the decisions file decides (after resolving its records), `same` and `different`.
    pub decided_pairs: usize,
    pub decided_same: usize,
    pub decided_different: usize,
    /// Decided pairs that dedup scored: the estimates rest on these.
    pub scored_pairs: usize,
    /// Decided pairs that no blocking rule made a candidate pair (or that scored below the
    /// floor of pairs.csv): not counted in the estimates.
    pub not_scored_pairs: usize,
    /// The model linked and the person said `same`.
    pub true_positives: usize,
    /// The model linked and the person said `different`.
    pub false_positives: usize,
    /// The model did not link and the person said `same`.
    pub false_negatives: usize,
    /// The model did not link and the person said `different`.
    pub true_negatives: usize,
    /// true positives / (true + false positives); absent when the model linked no decided pair.
    pub precision: Option<Estimate>,
    /// true positives / (true positives + false negatives); absent with no decided `same` pair.
    pub recall: Option<Estimate>,
    /// The intervals' confidence level.
    pub confidence: f64,
    /// How the intervals are computed.
    pub interval: &'static str,
}

/// A share with its interval.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Estimate {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
    /// The number of pairs the share is of.
    pub pairs: usize,
}

/// One pair shown in the report: which fields agreed, at which level, with how many bits.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PairExample {
    /// `merged`, `just_above` (linked with the least evidence) or `just_below` (not linked, the
    /// most evidence below the threshold).
    pub kind: &'static str,
    /// `file:line` of the two rows.
    pub a: String,
    pub b: String,
    /// The sum of the fields' weights in bits: what the threshold is compared with.
    pub evidence: f64,
    pub linked: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused_because: Option<&'static str>,
    pub fields: Vec<FieldAgreement>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FieldAgreement {
    pub comparison: &'static str,
    pub level: &'static str,
    pub bits: f64,
    /// The two records' values (masked unless `--show-samples`).
    pub a: String,
    pub b: String,
}

/// The fields each comparison looks at, to show their values in the pair examples.
pub fn comparison_fields(comparison: &str) -> &'static [Field] {
    match comparison {
        "first_name" => &[Field::FirstName],
        "last_name" => &[Field::LastName],
        "birth_date" => &[Field::BirthDate],
        "email" => &[Field::Email],
        "phone" => &[Field::Mobile, Field::Phone],
        "address" => &[Field::Street, Field::Postcode, Field::City],
        "national_id" => &[Field::NationalId],
        "gender" => &[Field::Gender],
        _ => &[],
    }
}

/// The report's view of picked pairs (`kind`, pair), in the order given.
pub fn pair_examples(
    register: &crate::normalise::Register,
    picks: &[(&'static str, &crate::dedup::PairExplanation)],
    show_samples: bool,
) -> Vec<PairExample> {
    use crate::dedup::compare::COMPARISONS;
    let place = |i: u32| {
        let row = &register.ingested.rows[i as usize];
        format!("{}:{}", register.ingested.sources[row.source as usize].name, row.line)
    };
    let values = |i: u32, fields: &[Field]| {
        let v: Vec<String> = fields
            .iter()
            .filter_map(|&f| {
                let v = register.clean[i as usize].value(f)?;
                Some(if show_samples { v.to_owned() } else { mask_for_judging(f, v) })
            })
            .collect();
        v.join(" ")
    };
    picks
        .iter()
        .map(|&(kind, p)| PairExample {
            kind,
            a: place(p.a),
            b: place(p.b),
            evidence: ((p.total - p.prior) * 1e4).round() / 1e4,
            linked: p.linked,
            refused_because: p.refused.map(|r| r.as_str()),
            fields: COMPARISONS
                .iter()
                .enumerate()
                .filter(|&(c, _)| p.gammas[c] != 0)
                .map(|(c, comparison)| FieldAgreement {
                    comparison: comparison.name,
                    level: comparison.levels[p.gammas[c] as usize],
                    bits: p.weights[c],
                    a: values(p.a, comparison_fields(comparison.name)),
                    b: values(p.b, comparison_fields(comparison.name)),
                })
                .collect(),
        })
        .collect()
}

/// The dedup part of the report.
pub fn dedup_section(d: &crate::dedup::Dedup, golden: &[u32], threshold: f64) -> DedupReport {
    // Cluster sizes from the labels (a label is a row index), without hashing the ids.
    let mut size_of = vec![0usize; d.labels.len()];
    for &l in &d.labels {
        size_of[l as usize] += 1;
    }
    let sizes: Vec<usize> = size_of.into_iter().filter(|&s| s > 0).collect();
    debug_assert_eq!(d.labels.len(), golden.len());
    let mut clusters_by_size = BTreeMap::new();
    for &s in &sizes {
        *clusters_by_size.entry(s).or_insert(0) += 1;
    }
    DedupReport {
        threshold_match_weight: threshold,
        link_threshold_people: (d.thresholds.people >= 2).then_some(d.thresholds.person),
        link_threshold_organisations: (d.thresholds.orgs >= 2).then_some(d.thresholds.org),
        blocking: d.rule_stats.clone(),
        pairs_scored: d.pairs_scored,
        pairs_written: d.pairs_written,
        links: d.links.len(),
        links_refused_for_contrary_evidence: d.links_refused,
        namesakes: d.namesakes.clone(),
        placeholders: d.placeholders.clone(),
        exact_duplicate_rows: d.exact_duplicate_rows,
        refused_by_reason: d.refused_by_reason.clone(),
        golden_records: sizes.len(),
        rows_merged_into_another: golden.len() - sizes.len(),
        clusters_by_size,
        match_weight_histogram: d.weight_histogram.clone(),
        prior: d.model.prior,
        model: d.model.clone(),
        examples: Vec::new(),
    }
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Serialize)]
pub struct InputReport {
    pub file: String,
    /// The source the file belongs to (`sources::assign`): record identities use it.
    pub source: String,
    pub sha256: String,
    /// The text encoding, or the workbook format (`xlsx`, `xls`, `ods`) of a spreadsheet.
    pub encoding: String,
    /// The sheet read, for a spreadsheet (absent for CSV inputs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Lines of a UTF-8 file that were not UTF-8 and were decoded as Windows-1252/1250.
    pub stray_lines_decoded: usize,
    pub delimiter: String,
    pub excel_sep_line: bool,
    /// `CRLF`, `LF` or `CR`, and whether every field was quoted (`all`) or only where needed
    /// (`needed`): with the encoding and delimiter, what `undo` needs to write rows back as read.
    pub line_ending: &'static str,
    pub quoting: &'static str,
    pub header_mapping: Vec<HeaderMapping>,
    /// The order (day or month first) decided for each date column, and on what evidence.
    pub date_columns: Vec<crate::normalise::date_order::DateColumn>,
    pub reconciliation: Reconciliation,
}

/// How each column of a source maps onto fields (report.json's `header_mapping`).
pub fn header_mapping(s: &crate::ingest::Source) -> Vec<HeaderMapping> {
    s.headers
        .iter()
        .zip(&s.mapping)
        .zip(&s.mapping_notes)
        .enumerate()
        .map(|(i, ((h, f), how))| HeaderMapping {
            column: i + 1,
            header: h.clone(),
            field: f.map(Field::name),
            how,
            reading: f
                .filter(|f| f.is_channel())
                .map(|_| s.readings.get(i).copied().unwrap_or(crate::ingest::headers::Reading::Value).name()),
            read_as: s.read_as(i).map(Field::name),
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct HeaderMapping {
    pub column: usize,
    pub header: String,
    pub field: Option<&'static str>,
    pub how: &'static str,
    /// For a column mapped to a channel field (consent per channel, `unsubscribed`,
    /// `email_bounced`), how its values are read (`Reading::name`): `value` (yes/no of the field
    /// itself), `opt_out` (yes means no consent), `filled_when_true` (a time or reason written
    /// when it happened, such as `UNSUB_TIME`) or `filled_when_opted_out` (`SMS opt-out date`).
    /// Absent for every other column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<&'static str>,
    /// For a column read in some rows only (`field` is null), the field it is read as there: a
    /// second company or website column where the first is empty, the account's address in
    /// rows an organisation flag marks as organisations. Absent for every other column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_as: Option<&'static str>,
}

/// How the physical lines and rows of the inputs were used. `lines_read` equals header, blank,
/// continuation, accepted and quarantined added together, and `rows_read` equals accepted plus
/// quarantined.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Reconciliation {
    pub lines_read: usize,
    pub header_lines: usize,
    pub blank_lines: usize,
    pub continuation_lines: usize,
    pub rows_read: usize,
    pub rows_accepted: usize,
    pub rows_quarantined: usize,
    /// Rows left out because the run's erasure log names them (`suppress`); absent when none.
    #[serde(skip_serializing_if = "is_zero")]
    pub rows_erased: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl From<LineCounts> for Reconciliation {
    fn from(c: LineCounts) -> Self {
        Reconciliation {
            lines_read: c.lines_read,
            header_lines: c.header_lines,
            blank_lines: c.blank_lines,
            continuation_lines: c.continuation_lines,
            rows_read: c.rows_accepted + c.rows_quarantined + c.rows_erased,
            rows_accepted: c.rows_accepted,
            rows_quarantined: c.rows_quarantined,
            rows_erased: c.rows_erased,
        }
    }
}

impl Reconciliation {
    fn add(&mut self, o: &Reconciliation) {
        self.lines_read += o.lines_read;
        self.header_lines += o.header_lines;
        self.blank_lines += o.blank_lines;
        self.continuation_lines += o.continuation_lines;
        self.rows_read += o.rows_read;
        self.rows_accepted += o.rows_accepted;
        self.rows_quarantined += o.rows_quarantined;
        self.rows_erased += o.rows_erased;
    }
}

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct FieldQuality {
    pub valid: usize,
    /// Values that were changed: `reformatted` (the same value written the standard way: a date
    /// to ISO, a name's case, a phone to E.164) plus `repaired` (a value corrected: a typo in an
    /// e-mail domain, a missing country code guessed from the row).
    pub fixed: usize,
    pub reformatted: usize,
    pub repaired: usize,
    /// Well-formed values nothing could check (a postcode of a row without a country): used
    /// like valid ones, counted as neither valid nor invalid.
    pub unverified: usize,
    pub invalid: usize,
    pub missing: usize,
    /// The most frequent shapes of invalid raw values, masked (letters `*`, digits `9`, an
    /// e-mail's local part hidden), so a person can see what is wrong without seeing whose.
    pub invalid_patterns: Vec<Pattern>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Pattern {
    pub pattern: String,
    pub count: usize,
}

/// A position in an input, for the report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LineRef {
    pub file: String,
    pub line: u32,
}

/// How many invalid patterns and quarantine lines the report lists.
const TOP_PATTERNS: usize = 5;
const MAX_LINES_PER_REASON: usize = 50;

#[derive(Debug, Default, Serialize)]
pub struct QuarantineReport {
    pub rows: usize,
    /// Reason (with counts stripped to its kind) → number of rows.
    pub by_reason: BTreeMap<String, usize>,
    /// Reason → the first lines with it (at most 50 per reason).
    pub lines_by_reason: BTreeMap<String, Vec<LineRef>>,
}

/// The first numbers a CRM administrator asks for. Every share names its base: `_of_rows_read`,
/// `_of_rows_accepted` or `_of_golden_records` (customers after dedup).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Health {
    pub rows_read: usize,
    pub rows_quarantined: usize,
    pub quarantined_share_of_rows_read: f64,
    pub rows_accepted: usize,
    /// Customers after dedup.
    pub golden_records: usize,
    /// Rows merged into another row's golden record.
    pub duplicate_rows: usize,
    pub duplicate_share_of_rows_accepted: f64,
    pub stale_golden_records: usize,
    pub stale_share_of_golden_records: f64,
    /// Customers who are not stale and can be contacted: e-mail consent with an address that
    /// has not bounced, or SMS consent with a phone number; never unsubscribed.
    pub reachable_with_consent: usize,
    pub reachable_share_of_golden_records: f64,
    /// Currency (ISO 4217, or `unknown`) → the customers in it and the sum of their revenue
    /// (two decimals, as golden.csv writes it). Each customer's currency is their `currency`
    /// when the input has a currency column (`Currency`, `CurrencyIsoCode`, `Valuta`,
    /// `Waluta`...), else their country's ([`currency_of_country`]); amounts in different
    /// currencies are never added together. Customers with no revenue count too.
    pub revenue_by_currency: BTreeMap<String, CurrencyTotal>,
}

/// The customers in one currency and their revenue.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CurrencyTotal {
    pub customers: usize,
    pub revenue: String,
}

pub use crate::normalise::currency::currency_of_country;

/// Whether a pass-through column's header names a currency in a language whose headers
/// `ingest::header_names` does not map (`Devise`, `Moneda`, `Valuuta`): such a column still
/// says which currency a customer pays in.
pub fn is_currency_header(header: &str) -> bool {
    let h: String = header.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    matches!(h.as_str(), "devise" | "valuuta" | "moneda")
}

/// Each golden record's currency and revenue, summed per currency. The currency is the golden
/// record's `currency` where it has one, else one a pass-through currency column of the member
/// that gave the name names, else the currency of its country.
fn revenue_by_currency(
    register: &crate::normalise::Register,
    goldens: &[crate::merge::Golden],
    kept: &crate::ingest::Gathered,
) -> BTreeMap<String, CurrencyTotal> {
    use crate::normalise::money::{cents, format_cents};
    let sources = &register.ingested.sources;
    let currency_column: Vec<Option<usize>> = sources
        .iter()
        .map(|s| (0..s.headers.len()).find(|&c| s.mapping[c].is_none() && is_currency_header(&s.headers[c])))
        .collect();
    let mut totals: BTreeMap<String, (usize, i128)> = BTreeMap::new();
    for (k, g) in goldens.iter().enumerate() {
        let row = &register.ingested.rows[g.passthrough_member];
        let from_column = currency_column[row.source as usize]
            .and_then(|c| kept.get(k, c))
            .and_then(|v| crate::normalise::currency::currency_code(v, g.value(Field::Country)));
        let currency = match (g.value(Field::Currency), from_column) {
            (None, Some(c)) => c,
            _ => crate::segment::values::currency(g),
        };
        let total = totals.entry(currency.to_owned()).or_insert((0, 0));
        total.0 += 1;
        total.1 += g.value(Field::Revenue).and_then(cents).unwrap_or(0);
    }
    totals
        .into_iter()
        .map(|(currency, (customers, sum))| (currency, CurrencyTotal { customers, revenue: format_cents(sum) }))
        .collect()
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { (part as f64 / whole as f64 * 1e6).round() / 1e6 }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Locale {
    pub country: String,
    /// `config` or `register`.
    pub from: &'static str,
}

/// The locale of the report: the config's, else the most common cleaned country of the rows
/// (ties to the smaller code), else none.
pub fn locale(register: &crate::normalise::Register, configured: Option<&str>) -> Option<Locale> {
    if let Some(c) = configured {
        return Some(Locale { country: c.to_string(), from: "config" });
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &register.clean {
        if let Some(country) = c.value(Field::Country) {
            *counts.entry(country).or_insert(0) += 1;
        }
    }
    let best = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
    Some(Locale { country: best.0.to_string(), from: "register" })
}

/// The health numbers of a run.
/// `kept` holds each golden record's pass-through member's original values, as
/// `output::golden::kept_columns` chooses them.
pub fn health(
    register: &crate::normalise::Register,
    goldens: &[crate::merge::Golden],
    kept: &crate::ingest::Gathered,
    stale: &[Vec<&str>],
) -> Health {
    let accepted = register.ingested.rows.len();
    let quarantined = register.ingested.quarantine.len();
    let read = accepted + quarantined;
    let stale_count = stale.iter().filter(|r| !r.is_empty()).count();
    let consent = crate::segment::values::consent(goldens);
    let reachable = goldens
        .iter()
        .zip(&consent)
        .zip(stale)
        .filter(|&((g, channels), reasons)| {
            let email =
                channels.email && g.value(Field::Email).is_some() && g.value(Field::EmailBounced) != Some("true");
            let sms = channels.sms && (g.value(Field::Mobile).is_some() || g.value(Field::Phone).is_some());
            reasons.is_empty() && (email || sms)
        })
        .count();
    Health {
        rows_read: read,
        rows_quarantined: quarantined,
        quarantined_share_of_rows_read: share(quarantined, read),
        rows_accepted: accepted,
        golden_records: goldens.len(),
        duplicate_rows: accepted - goldens.len(),
        duplicate_share_of_rows_accepted: share(accepted - goldens.len(), accepted),
        stale_golden_records: stale_count,
        stale_share_of_golden_records: share(stale_count, goldens.len()),
        reachable_with_consent: reachable,
        reachable_share_of_golden_records: share(reachable, goldens.len()),
        revenue_by_currency: revenue_by_currency(register, goldens, kept),
    }
}

/// Whether a fixed value only changed its form: dates, numbers, flags, genders, countries and
/// currencies always (their cleaned value is the same fact in standard notation); phones when the digits
/// typed are all kept (a calling code or `+` added, a trunk `0` dropped); anything else when
/// it differs from the raw value only in case, accents, spaces and punctuation.
fn reformatted_only(f: Field, raw: &str, clean: &str) -> bool {
    use crate::field::Kind;
    match f.kind() {
        Kind::Date | Kind::Money | Kind::Count | Kind::Bool | Kind::Gender | Kind::Country | Kind::Currency => true,
        Kind::Phone => {
            let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
            let typed = digits(raw);
            let typed = typed.trim_start_matches('0');
            !typed.is_empty() && digits(clean).ends_with(typed)
        }
        _ => {
            // Compared as iterators: no allocation per value on a 10M-row register.
            use unicode_normalization::UnicodeNormalization;
            raw.nfd()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .eq(clean.nfd().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase))
        }
    }
}

/// The SHA-256 (hex) of texts read one after another: the fingerprint of the config or rule
/// files a run used.
pub fn sha256_hex(texts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for t in texts {
        h.update(t.as_bytes());
    }
    crate::ingest::hex(&h.finalize())
}

/// Builds the report of the ingest and normalise stages.
pub fn build(
    register: &crate::normalise::Register,
    as_of: &str,
    as_of_source: &'static str,
    config_sha256: String,
    show_samples: bool,
) -> Report {
    let (ingested, clean, fields_present) = (&register.ingested, &register.clean[..], &register.fields_present[..]);
    let mut total = Reconciliation::default();
    let inputs = ingested
        .sources
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let rec = Reconciliation::from(s.counts);
            total.add(&rec);
            InputReport {
                file: s.name.clone(),
                source: s.source.clone(),
                sha256: s.sha256.clone(),
                encoding: s.encoding.clone(),
                sheet: s.sheet.clone(),
                stray_lines_decoded: s.stray_lines,
                delimiter: delimiter_name(s.dialect.delimiter),
                excel_sep_line: s.dialect.sep_line,
                line_ending: match s.dialect.line_end {
                    "\r\n" => "CRLF",
                    "\r" => "CR",
                    _ => "LF",
                },
                quoting: if s.dialect.quote_all { "all" } else { "needed" },
                header_mapping: header_mapping(s),
                date_columns: register.date_columns.get(k).cloned().unwrap_or_default(),
                reconciliation: rec,
            }
        })
        .collect();
    // Column of each field per source and row, to find the raw value of an invalid cell.
    let columns: Vec<crate::normalise::columns::FieldColumns> =
        ingested.sources.iter().map(crate::normalise::columns::FieldColumns::new).collect();
    // One field per task: each reads every row's status of its field (a tenth of a second per
    // field at a million rows), and a BTreeMap by name keeps the report's order.
    use rayon::prelude::*;
    let quality = |f: Field| {
        let mut q = FieldQuality::default();
        let mut patterns: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for (row, c) in ingested.rows.iter().zip(clean) {
            match c.status(f) {
                Status::Valid => q.valid += 1,
                Status::Fixed => {
                    q.fixed += 1;
                    let raw = columns[row.source as usize].column(&row.values, f).map(|col| &row.values[col]);
                    match (raw, c.value(f)) {
                        (Some(raw), Some(value)) if !reformatted_only(f, raw, value) => q.repaired += 1,
                        _ => q.reformatted += 1,
                    }
                }
                Status::Invalid => {
                    q.invalid += 1;
                    if let Some(col) = columns[row.source as usize].column(&row.values, f) {
                        let raw = row.values[col].trim();
                        // Masked unless the user opted in to seeing personal data.
                        let shown = if show_samples { raw.to_string() } else { mask(raw) };
                        *patterns.entry(shown).or_insert(0) += 1;
                    }
                }
                Status::Missing => q.missing += 1,
                Status::Unverified => q.unverified += 1,
            }
        }
        let mut top: Vec<Pattern> = patterns.into_iter().map(|(pattern, count)| Pattern { pattern, count }).collect();
        top.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.pattern.cmp(&b.pattern)));
        top.truncate(TOP_PATTERNS);
        q.invalid_patterns = top;
        (f.name(), q)
    };
    let fields: BTreeMap<_, _> = fields_present.par_iter().map(|&f| quality(f)).collect();
    let mut by_reason = BTreeMap::new();
    let mut lines_by_reason: BTreeMap<String, Vec<LineRef>> = BTreeMap::new();
    for q in &ingested.quarantine {
        let kind = reason_kind(&q.reason);
        *by_reason.entry(kind.clone()).or_insert(0) += 1;
        let lines = lines_by_reason.entry(kind).or_default();
        if lines.len() < MAX_LINES_PER_REASON {
            lines.push(LineRef { file: ingested.sources[q.source as usize].name.clone(), line: q.line });
        }
    }
    Report {
        tool: Tool { name: "regclean", version: env!("CARGO_PKG_VERSION") },
        as_of: as_of.to_string(),
        as_of_source,
        config_sha256,
        rules_sha256: String::new(),
        warnings: Vec::new(),
        health: None,
        households: None,
        locale: None,
        inputs,
        reconciliation: total,
        fields,
        entity_kinds: EntityKinds::count(clean),
        country_inferred: register.country_inferred_counts(),
        custom_fields: custom_field_quality(register, show_samples),
        quarantine: QuarantineReport { rows: ingested.quarantine.len(), by_reason, lines_by_reason },
        dedup: None,
        review: None,
        identity: None,
        accounts: None,
        stale: None,
        segments: None,
        quality_gates: None,
        segment_history: None,
        suppression: None,
        erasure: None,
        segment_reach: None,
        spreadsheet_cells_neutralised: 0,
    }
}

/// Quality counts of each custom field, like those of canonical fields: statuses, and the
/// masked shapes of invalid raw values.
fn custom_field_quality(register: &crate::normalise::Register, show_samples: bool) -> BTreeMap<String, FieldQuality> {
    let custom = &register.custom;
    let ingested = &register.ingested;
    let columns: Vec<Vec<Option<usize>>> =
        ingested.sources.iter().map(|s| s.columns_by_custom(custom.fields.len())).collect();
    let mut out = BTreeMap::new();
    for (k, spec) in custom.fields.iter().enumerate() {
        let mut q = FieldQuality::default();
        let mut patterns: BTreeMap<String, usize> = BTreeMap::new();
        for (i, row) in ingested.rows.iter().enumerate() {
            match custom.status(i, k) {
                Status::Valid => q.valid += 1,
                Status::Fixed => q.fixed += 1,
                Status::Invalid => {
                    q.invalid += 1;
                    if let Some(col) = columns[row.source as usize][k] {
                        let raw = row.values[col].trim();
                        let shown = if show_samples { raw.to_string() } else { mask(raw) };
                        *patterns.entry(shown).or_insert(0) += 1;
                    }
                }
                Status::Missing => q.missing += 1,
                Status::Unverified => q.unverified += 1,
            }
        }
        let mut top: Vec<Pattern> = patterns.into_iter().map(|(pattern, count)| Pattern { pattern, count }).collect();
        top.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.pattern.cmp(&b.pattern)));
        top.truncate(TOP_PATTERNS);
        q.invalid_patterns = top;
        out.insert(spec.name.clone(), q);
    }
    out
}

/// The kind of a quarantine reason, without the numbers that vary per row.
pub fn reason_kind(reason: &str) -> String {
    if reason.starts_with("unterminated quoted field") {
        "unterminated quoted field".into()
    } else if reason.starts_with("row longer than") {
        "row longer than 1 MiB".into()
    } else if reason.starts_with("found ") {
        "wrong number of fields".into()
    } else {
        reason.split(':').next().unwrap_or(reason).to_string()
    }
}

fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".into(),
        other => (other as char).to_string(),
    }
}

/// Masks a cleaned value of a pair example so that a person can still judge the pair without
/// seeing who it is: names keep their initials (`Kari` → `K***`, `Anne-Marie` → `A***-M****`),
/// a birth date its year (`1943-**-**`), a phone its calling code (`+47 99999999`), e-mail
/// addresses their domain; postcodes, cities and genders are shown as they are (a postcode is
/// shared by thousands). Anything else, a street or a national id, is masked whole ([`mask`]).
/// Never a full name, an e-mail local part, a phone number or a full birth date.
pub fn mask_for_judging(field: Field, value: &str) -> String {
    match field {
        Field::FirstName | Field::LastName => value
            .split_inclusive(|c: char| c.is_whitespace() || c == '-')
            .map(|part| {
                let mut chars = part.chars();
                let first = chars.next().map_or(String::new(), |c| c.to_string());
                first + &chars.map(|c| if c.is_alphanumeric() { '*' } else { c }).collect::<String>()
            })
            .collect(),
        Field::BirthDate => match value.split_once('-') {
            Some((year, rest)) if year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()) => {
                format!("{year}-{}", rest.chars().map(|c| if c.is_ascii_digit() { '*' } else { c }).collect::<String>())
            }
            _ => mask(value),
        },
        Field::Mobile | Field::Phone => match value.strip_prefix('+') {
            Some(digits) if digits.chars().all(|c| c.is_ascii_digit()) => {
                let code = calling_code_len(digits);
                format!("+{} {}", &digits[..code], "9".repeat(digits.len() - code))
            }
            _ => mask(value),
        },
        Field::Postcode | Field::City | Field::Gender => value.to_owned(),
        _ => mask(value),
    }
}

/// The length of the country calling code an E.164 number (without `+`) starts with, by the
/// ITU's numbering zones: `1` and `7` are one digit; in the other zones the codes listed here
/// are two digits and the rest three.
fn calling_code_len(digits: &str) -> usize {
    let two = |d: &str| d.get(..2).and_then(|p| p.parse::<u8>().ok());
    let len = match digits.as_bytes().first() {
        Some(b'1' | b'7') => 1,
        _ => match two(digits) {
            Some(
                20 | 27 | 30..=34 | 36 | 39 | 40 | 41 | 43..=49 | 51..=58 | 60..=66 | 81 | 82 | 84 | 86 | 90..=95 | 98,
            ) => 2,
            Some(_) => 3,
            None => 0,
        },
    };
    len.min(digits.len())
}

/// Masks a personal value for reports and samples: letters become `*`, digits `9`, and every
/// e-mail address in the value keeps only its domain (`k****@gmial.com` → `*****@gmial.com`;
/// `ola@x.no; kari@y.no` → `***@x.no; ****@y.no`; everything before the last `@` of an
/// address is hidden, so `kari@nordmann@gmail.com` shows as `****@********@gmail.com`).
/// Separators, punctuation and spaces stay, so the shape of a bad value shows without the value.
pub fn mask(value: &str) -> String {
    let separator = |c: char| c.is_whitespace() || matches!(c, ';' | ',' | '<' | '>' | '(' | ')' | '"' | '\'' | '|');
    let mut out = String::with_capacity(value.len());
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        match token.rsplit_once('@') {
            Some((local, domain)) => {
                out.extend(local.chars().map(|c| if c == '@' { '@' } else { '*' }));
                out.push('@');
                out.push_str(domain);
            }
            None => out.extend(token.chars().map(|c| {
                if c.is_ascii_digit() {
                    '9'
                } else if c.is_alphabetic() {
                    '*'
                } else {
                    c
                }
            })),
        }
        token.clear();
    };
    for c in value.chars() {
        if separator(c) {
            flush(&mut token, &mut out);
            out.push(c);
        } else {
            token.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}
/// The quality gates' verdict (`gates::check` fills it in).
#[derive(Debug, Clone, Serialize)]
pub struct GateReport {
    pub passed: bool,
    pub checks: Vec<Check>,
}

/// One checked limit.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: String,
    pub limit: f64,
    pub value: f64,
    pub passed: bool,
    /// What the failing rows had in common, when they had something (no personal data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[cfg(test)]
mod mask_tests {
    use super::{Field, currency_of_country, is_currency_header, mask, mask_for_judging};

    #[test]
    fn pair_examples_keep_what_a_person_needs_to_judge_them() {
        let cases = [
            (Field::FirstName, "Kari", "K***"),
            (Field::FirstName, "Anne-Marie", "A***-M****"),
            (Field::LastName, "Nilsen Tone", "N***** T***"),
            (Field::LastName, "Østby", "Ø****"),
            (Field::BirthDate, "1943-10-14", "1943-**-**"),
            (Field::Email, "kari.nordmann@online.no", "*************@online.no"),
            (Field::Mobile, "+4746043704", "+47 99999999"),
            (Field::Phone, "+358401234567", "+358 999999999"),
            (Field::Phone, "+12025550123", "+1 9999999999"),
            (Field::Postcode, "0182", "0182"),
            (Field::City, "Oslo", "Oslo"),
            (Field::Street, "Sjøgata 121", "******* 999"),
            (Field::NationalId, "14104312345", "99999999999"),
        ];
        for (field, value, masked) in cases {
            assert_eq!(mask_for_judging(field, value), masked, "{field:?} {value}");
        }
    }

    #[test]
    fn a_customers_currency_comes_from_a_currency_column_or_the_country() {
        assert_eq!(currency_of_country("NO"), Some("NOK"));
        assert_eq!(currency_of_country("NL"), Some("EUR"));
        assert_eq!(currency_of_country("DE"), Some("EUR"));
        assert_eq!(currency_of_country("PL"), Some("PLN"));
        assert_eq!(currency_of_country("GB"), Some("GBP"));
        assert_eq!(currency_of_country("DK"), Some("DKK"));
        assert_eq!(currency_of_country("SE"), Some("SEK"));
        assert_eq!(currency_of_country("ZZ"), None);
        // Our seven languages' currency headers map to the `currency` field; a few others are
        // still read as pass-through columns.
        for h in ["Currency", "CurrencyIsoCode", "currency_code", "Valuta", "Währung", "Waluta", "Kod waluty"] {
            let found = crate::ingest::header_names::lookup_column(h).map(|(f, _)| f);
            assert_eq!(found, Some(Field::Currency), "{h}");
            assert!(!is_currency_header(h), "{h}");
        }
        for h in ["Devise", "Moneda", "Valuuta"] {
            assert!(is_currency_header(h), "{h}");
        }
        assert!(!is_currency_header("Total Revenue"));
    }

    /// report.json's `entity_kinds` has one key per kind, named as records.csv's `entity_kind`
    /// writes it, and counts every row once.
    #[test]
    fn entity_kinds_are_counted_under_their_names() {
        use crate::normalise::entity::EntityKind;
        use crate::normalise::{CleanRow, Cleaned};
        let row = |values: &[(Field, &str)]| {
            let mut cells = vec![Cleaned::missing(); Field::COUNT];
            for (f, v) in values {
                cells[f.index()] = Cleaned::valid(v.to_string());
            }
            CleanRow::pack(&cells)
        };
        let rows = [
            row(&[(Field::Company, "Acme AS")]),
            row(&[(Field::OrgNumber, "923609016")]),
            row(&[(Field::FirstName, "Ola"), (Field::Company, "Acme AS")]),
            row(&[(Field::Email, "ola@example.no")]),
        ];
        let json = serde_json::to_value(super::EntityKinds::count(&rows)).unwrap();
        let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, EntityKind::ALL.map(EntityKind::name));
        assert_eq!(json, serde_json::json!({"person": 1, "organisation": 2, "person_at_organisation": 1}));
    }

    #[test]
    fn every_address_and_name_in_a_cell_is_masked() {
        let cases = [
            ("kari.nordmann@gmial.com", "*************@gmial.com"),
            ("ola.nordmann@gmail.com; kari.nordmann@hotmail.com", "************@gmail.com; *************@hotmail.com"),
            ("kari@nordmann@gmail.com", "****@********@gmail.com"),
            ("Kari <kari@x.no>", "**** <****@x.no>"),
            ("+47 912 34 567", "+99 999 99 999"),
            ("Ola Nordmann", "*** ********"),
            ("", ""),
        ];
        for (value, masked) in cases {
            assert_eq!(mask(value), masked, "{value}");
        }
    }
}
