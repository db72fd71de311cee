//! Config: the user's settings for a run, loaded and validated in full before any row is read.
//!
//! The file is TOML because CRM administrators edit it by hand and TOML has no indentation
//! traps. Raw settings are parsed into `RawConfig` (which only checks syntax and known keys),
//! then checked into a `Config` that later stages trust. Every problem is reported at once with
//! file, line and column, and a misspelt name gets the nearest valid one.

pub use crate::diagnostics::{line_col, parse_toml, read_rule_file, unknown_name};
use crate::error::Error;
use crate::field::{CustomField, CustomKind, CustomRule, Field};
use crate::ingest::header_names::normalise_header;
use crate::ingest::headers::ColumnRule;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

/// The validated configuration of a run.
#[derive(Debug, Clone)]
pub struct Config {
    /// ISO alpha-2 country assumed for phones, postcodes and org numbers when a row has none.
    pub default_country: Option<String>,
    /// Read `a/b/yyyy` as month/day (US exports) instead of day/month.
    pub month_first: bool,
    /// `date_order` was set: every date column is read that way instead of deciding per column
    /// from its values (`normalise::date_order`).
    pub date_order_given: bool,
    /// Explicit header mappings, keyed by the normalised header.
    pub columns: BTreeMap<String, ColumnRule>,
    /// The config file's text, hashed into the report so a run can be tied to its settings.
    pub source_text: String,
    /// Dedup settings (blocking rules, threshold, block cap).
    pub dedup: crate::dedup::DedupSettings,
    /// Limits that mark a run as failed (exit code 3).
    pub gates: crate::gates::QualityGates,
    /// Neutralise formula-like cells in golden.csv and segment exports (default on).
    pub formula_guard: bool,
    /// The longest line (header included) and row an input may have, in bytes: a longer row is
    /// quarantined, a longer first line refused (`max_line_bytes`; 1 MiB by default).
    pub max_line_bytes: usize,
    /// `locale = "nb-NO"` (or a country code): how report.html writes numbers and money.
    /// `None`: the register's most common country decides.
    pub locale: Option<String>,
    /// `[sources]`: (source name, file-name glob), in file order (see `sources::assign`).
    pub sources: Vec<(String, String)>,
    /// `[fields]`: custom fields read from extra columns, in file order. Their columns are also
    /// in `columns` as `ColumnRule::Custom`.
    pub fields: Vec<CustomField>,
    /// Where each custom field is declared (`FILE: line L, column C`), for the warning when no
    /// input has its column.
    pub fields_declared_at: Vec<String>,
    /// `[households]`: addresses marked as one household each (`household`).
    pub households: crate::household::HouseholdSettings,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            default_country: None,
            month_first: false,
            date_order_given: false,
            columns: BTreeMap::new(),
            source_text: String::new(),
            dedup: Default::default(),
            gates: Default::default(),
            formula_guard: true,
            max_line_bytes: crate::ingest::MAX_ROW_BYTES,
            locale: None,
            sources: Vec::new(),
            fields: Vec::new(),
            fields_declared_at: Vec::new(),
            households: Default::default(),
        }
    }
}

impl Config {
    pub fn column_for(&self, normalised_header: &str) -> Option<ColumnRule> {
        self.columns.get(normalised_header).copied()
    }

    /// Loads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Config::parse(&text, path)
    }

    /// Parses and validates config text; `path` is only used in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, Error> {
        let raw: RawConfig = parse_toml(text, path)?;
        let mut problems = crate::diagnostics::Problems::new(path, text);
        let mut config = Config {
            source_text: text.to_string(),
            formula_guard: raw.formula_guard.unwrap_or(true),
            max_line_bytes: crate::ingest::MAX_ROW_BYTES,
            locale: None,
            ..Config::default()
        };
        if let Some(c) = raw.default_country {
            match crate::normalise::country::country_alpha2(c.get_ref()) {
                Some(code) => config.default_country = Some(code.to_string()),
                None => {
                    problems.at(
                        c.span().start,
                        &format!("unknown country '{}', expected an ISO 3166 code such as \"NO\"", c.get_ref()),
                    );
                }
            }
        }
        if let Some(m) = &raw.max_line_bytes {
            // Below a kilobyte no real header fits; above 1 GiB one row could exhaust memory.
            match usize::try_from(*m.get_ref()) {
                Ok(n) if (1024..=1 << 30).contains(&n) => config.max_line_bytes = n,
                _ => problems.at(
                    m.span().start,
                    &format!("max_line_bytes = {}: expected a number of bytes from 1024 to 1073741824", m.get_ref()),
                ),
            }
        }
        if let Some(l) = &raw.locale {
            // `nb-NO`, `en_GB` or `NO`: the region decides separators and currency.
            let region = l.get_ref().rsplit(['-', '_']).next().unwrap_or("");
            match crate::normalise::country::country_alpha2(region) {
                Some(code) => config.locale = Some(code.to_string()),
                None => problems.at(
                    l.span().start,
                    &format!("unknown locale '{}', expected a language and region such as \"nb-NO\"", l.get_ref()),
                ),
            }
        }
        if let Some(order) = raw.date_order {
            config.date_order_given = true;
            match order.get_ref().as_str() {
                "day_first" => config.month_first = false,
                "month_first" => config.month_first = true,
                other => {
                    problems.at(
                        order.span().start,
                        &format!("unknown date_order '{other}', expected \"day_first\" or \"month_first\""),
                    );
                }
            }
        }
        let mut sources: Vec<(usize, String, String)> =
            raw.sources.into_iter().map(|(name, glob)| (glob.span().start, name, glob.into_inner())).collect();
        sources.sort();
        config.sources = sources.into_iter().map(|(_, name, glob)| (name, glob)).collect();
        for (header, target) in raw.columns {
            let name = target.get_ref();
            let rule = if name == "ignore" {
                ColumnRule::Ignore
            } else if let Some(f) = Field::from_name(name) {
                ColumnRule::Field(f)
            } else {
                let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).chain(["ignore"]).collect();
                problems.at(target.span().start, &unknown_name("field", name, &names));
                continue;
            };
            config.columns.insert(normalise_header(&header), rule);
        }
        parse_fields(raw.fields, &mut config, &mut problems, text, path);
        if let Some(h) = raw.households {
            for a in h.addresses {
                if a.get_ref().trim().is_empty() {
                    problems.at(a.span().start, "an address in [households] addresses is empty");
                } else {
                    config.households.addresses.push(a.into_inner());
                }
            }
        }
        if let Some(d) = raw.dedup {
            match (d.threshold, d.threshold_probability) {
                (Some(_), Some(p)) => {
                    problems.at(p.span().start, "give either threshold or threshold_probability, not both");
                }
                (Some(t), None) => config.dedup.threshold = *t.get_ref(),
                (None, Some(p)) => {
                    let v = *p.get_ref();
                    if v > 0.0 && v < 1.0 {
                        config.dedup.threshold = (v / (1.0 - v)).log2();
                    } else {
                        problems.at(p.span().start, &format!("threshold_probability {v} must be between 0 and 1"));
                    }
                }
                (None, None) => {}
            }
            if let Some(m) = d.max_block_size {
                if *m.get_ref() < 2 {
                    problems.at(m.span().start, "max_block_size must be at least 2");
                } else {
                    config.dedup.max_block = *m.get_ref() as usize;
                }
            }
            if let Some(m) = d.max_pairs_per_record {
                let v = *m.get_ref();
                if v.is_finite() && v >= 0.0 {
                    config.dedup.max_pairs_per_record = if v == 0.0 { f64::INFINITY } else { v };
                } else {
                    problems.at(m.span().start, "max_pairs_per_record must be 0 or more");
                }
            }
            if let Some(rules) = d.blocking {
                let names: Vec<&str> = crate::dedup::block::KeyPart::ALL.iter().map(|(n, _)| *n).collect();
                let mut parsed = Vec::new();
                let known_problems = problems.len();
                for rule in rules {
                    let mut keys = Vec::new();
                    for k in &rule {
                        match crate::dedup::block::KeyPart::from_name(k.get_ref()) {
                            Some(part) => keys.push(part),
                            None => {
                                problems.at(k.span().start, &unknown_name("blocking key", k.get_ref(), &names));
                            }
                        }
                    }
                    if !keys.is_empty() {
                        parsed.push(crate::dedup::block::BlockingRule::new(&keys));
                    }
                }
                if parsed.is_empty() && problems.len() == known_problems {
                    problems.whole("[dedup] blocking is empty: give at least one rule");
                }
                config.dedup.rules = parsed;
            }
        }
        if let Some(g) = raw.quality_gates {
            let share = |v: &Spanned<f64>, problems: &mut crate::diagnostics::Problems| -> Option<f64> {
                let x = *v.get_ref();
                if (0.0..=1.0).contains(&x) {
                    Some(x)
                } else {
                    problems.at(v.span().start, &format!("{x} is not a share between 0 and 1"));
                    None
                }
            };
            let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
            for (field, limit) in &g.max_invalid_share {
                match Field::from_name(field.get_ref()) {
                    Some(f) => {
                        if let Some(x) = share(limit, &mut problems) {
                            config.gates.max_invalid_share.insert(f, x);
                        }
                    }
                    None => {
                        problems.at(field.span().start, &unknown_name("field", field.get_ref(), &names));
                    }
                }
            }
            config.gates.max_quarantined_share = g.max_quarantined_share.as_ref().and_then(|v| share(v, &mut problems));
            config.gates.max_stale_share = g.max_stale_share.as_ref().and_then(|v| share(v, &mut problems));
            config.gates.min_segment_size = g.min_segment_size.map(|v| (*v.get_ref()).max(0) as usize);
        }
        problems.finish(config)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    default_country: Option<Spanned<String>>,
    date_order: Option<Spanned<String>>,
    #[serde(default)]
    columns: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    sources: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    fields: BTreeMap<Spanned<String>, Spanned<RawField>>,
    dedup: Option<RawDedup>,
    quality_gates: Option<RawGates>,
    formula_guard: Option<bool>,
    max_line_bytes: Option<Spanned<i64>>,
    locale: Option<Spanned<String>>,
    households: Option<RawHouseholds>,
}

/// `[households]`: `addresses = ["Storgata 1, 0155 Oslo", ...]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHouseholds {
    #[serde(default)]
    addresses: Vec<Spanned<String>>,
}

/// One `[fields]` entry: `name = { column = "Header", type = "tags", survivorship = "union" }`.
/// Every key is optional here so that a missing one is reported with the others.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    column: Option<Spanned<String>>,
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    survivorship: Option<Spanned<String>>,
}

/// Names a custom field may not take: the expression language's words (a condition could not
/// name the field) and the columns golden.csv and segment exports already have.
const RESERVED_FIELD_NAMES: [&str; 18] = [
    "and",
    "or",
    "not",
    "in",
    "is",
    "set",
    "segment",
    "any",
    "all",
    "has",
    "true",
    "false",
    "between",
    "within",
    "before",
    "after",
    "other_emails",
    "other_phones",
];

/// Checks the `[fields]` table into `config.fields` (file order) and adds each column to
/// `config.columns` as a custom column. Every problem is reported with its position.
fn parse_fields(
    raw: BTreeMap<Spanned<String>, Spanned<RawField>>,
    config: &mut Config,
    problems: &mut crate::diagnostics::Problems,
    text: &str,
    path: &Path,
) {
    let mut entries: Vec<(Spanned<String>, Spanned<RawField>)> = raw.into_iter().collect();
    entries.sort_by_key(|(name, _)| name.span().start);
    let kinds: Vec<&str> = CustomKind::ALL.iter().map(|(n, _)| *n).collect();
    let rules: Vec<&str> = CustomRule::ALL.iter().map(|(n, _)| *n).collect();
    // Normalised column → the custom field that reads it.
    let mut columns_taken: BTreeMap<String, String> = BTreeMap::new();
    for (name, decl) in entries {
        let at = name.span().start;
        let name = name.into_inner();
        let mut ok = true;
        if Field::from_name(&name).is_some() {
            problems.at(at, &format!("'{name}' is a canonical field; a custom field needs a name of its own"));
            ok = false;
        } else if crate::segment::DERIVED.iter().any(|(d, _)| *d == name)
            || RESERVED_FIELD_NAMES.contains(&name.as_str())
        {
            problems.at(at, &format!("'{name}' is a name rules already use; give the custom field another name"));
            ok = false;
        } else if !name.starts_with(|c: char| c.is_ascii_lowercase())
            || !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            problems.at(
                at,
                &format!(
                    "custom field name '{name}' must start with a-z and use only a-z, 0-9 and '_' (rules name it)"
                ),
            );
            ok = false;
        }
        let decl_at = decl.span().start;
        let decl = decl.into_inner();
        let kind = match &decl.kind {
            None => CustomKind::Text,
            Some(k) => match CustomKind::from_name(k.get_ref()) {
                Some(kind) => kind,
                None => {
                    problems.at(k.span().start, &unknown_name("field type", k.get_ref(), &kinds));
                    ok = false;
                    CustomKind::Text
                }
            },
        };
        let rule = match &decl.survivorship {
            None => kind.default_rule(),
            Some(r) => match CustomRule::from_name(r.get_ref()) {
                Some(rule) if rule.fits(kind) => rule,
                Some(rule) => {
                    let needs = if rule == CustomRule::Union { "a tags field" } else { "a number or date field" };
                    problems.at(
                        r.span().start,
                        &format!("survivorship '{}' needs {needs}; '{name}' is {}", r.get_ref(), kind.name()),
                    );
                    ok = false;
                    rule
                }
                None => {
                    problems.at(r.span().start, &unknown_name("survivorship rule", r.get_ref(), &rules));
                    ok = false;
                    kind.default_rule()
                }
            },
        };
        let Some(column) = decl.column else {
            problems.at(decl_at, &format!("custom field '{name}' needs a column, e.g. column = \"Lifecycle Stage\""));
            continue;
        };
        let key = normalise_header(column.get_ref());
        if key.is_empty() {
            problems.at(column.span().start, "the column name has no letters or digits");
            continue;
        }
        if let Some(other) = columns_taken.get(&key) {
            problems.at(
                column.span().start,
                &format!("column '{}' is already read by custom field '{other}'", column.get_ref()),
            );
            continue;
        }
        if config.columns.contains_key(&key) {
            problems.at(
                column.span().start,
                &format!("column '{}' is also mapped in [columns]; map it in one place", column.get_ref()),
            );
            continue;
        }
        columns_taken.insert(key.clone(), name.clone());
        if ok {
            let (line, col) = line_col(text, at);
            config.fields_declared_at.push(format!("{}: line {line}, column {col}", path.display()));
            config.columns.insert(key, ColumnRule::Custom(config.fields.len() as u16));
            config.fields.push(CustomField { name, column: column.into_inner(), kind, rule });
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGates {
    #[serde(default)]
    max_invalid_share: BTreeMap<Spanned<String>, Spanned<f64>>,
    max_quarantined_share: Option<Spanned<f64>>,
    max_stale_share: Option<Spanned<f64>>,
    min_segment_size: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDedup {
    /// Evidence in bits (the match weight without the prior) at or above which a pair is linked.
    threshold: Option<Spanned<f64>>,
    /// The same threshold as a probability of the evidence alone, 1 / (1 + 2^-threshold).
    threshold_probability: Option<Spanned<f64>>,
    max_block_size: Option<Spanned<i64>>,
    /// Pairs one blocking rule may make per record before it is narrowed (0 never narrows).
    max_pairs_per_record: Option<Spanned<f64>>,
    /// Blocking rules, each a list of key names, e.g. `[["email"], ["last_name", "birth_date"]]`.
    blocking: Option<Vec<Vec<Spanned<String>>>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_valid_config() {
        let text = "default_country = \"Norge\"\ndate_order = \"month_first\"\n[columns]\n\"Kundenr\" = \"record_id\"\n\"Notat\" = \"ignore\"\n";
        let c = Config::parse(text, Path::new("c.toml")).unwrap();
        assert_eq!(c.default_country.as_deref(), Some("NO"));
        let d = Config::parse(
            "[dedup]\nthreshold_probability = 0.5\nblocking = [[\"email\"], [\"last_name\", \"birth_date\"]]\n",
            Path::new("c.toml"),
        )
        .unwrap();
        assert_eq!(d.dedup.threshold, 0.0);
        assert_eq!(
            d.dedup.rules.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["email", "last_name+birth_date"]
        );
        assert!(c.month_first);
        assert_eq!(c.column_for("kundenr"), Some(ColumnRule::Field(Field::RecordId)));
        assert_eq!(c.column_for("notat"), Some(ColumnRule::Ignore));
    }

    #[test]
    fn custom_fields_are_declared_by_column_and_type() {
        let text = r#"
[columns]
Kundenr = "record_id"
[fields]
lifecycle_stage = { column = "Lifecycle Stage", type = "text" }
interests = { column = "Interests", type = "tags" }
loyalty_points = { column = "Loyalty points", type = "number", survivorship = "max" }
member_since = { column = "Member since", type = "date", survivorship = "first" }
vip = { column = "VIP", type = "boolean", survivorship = "most_frequent" }
note = { column = "Note" }
"#;
        let c = Config::parse(text, Path::new("c.toml")).unwrap();
        let got: Vec<(&str, &str, &str, &str)> =
            c.fields.iter().map(|f| (f.name.as_str(), f.column.as_str(), f.kind.name(), f.rule.name())).collect();
        assert_eq!(
            got,
            [
                ("lifecycle_stage", "Lifecycle Stage", "text", "most_recent"),
                ("interests", "Interests", "tags", "union"),
                ("loyalty_points", "Loyalty points", "number", "max"),
                ("member_since", "Member since", "date", "oldest"),
                ("vip", "VIP", "boolean", "most_frequent"),
                ("note", "Note", "text", "most_recent"),
            ]
        );
        // Columns are matched like [columns]: case, spaces and punctuation do not matter.
        assert_eq!(c.column_for("lifecyclestage"), Some(ColumnRule::Custom(0)));
        assert_eq!(c.column_for("vip"), Some(ColumnRule::Custom(4)));
        assert_eq!(c.fields_declared_at[1], "c.toml: line 6, column 1");
    }

    #[test]
    fn bad_custom_fields_are_all_reported_with_positions() {
        let text = r#"[columns]
"Lead status" = "source"
[fields]
email = { column = "Mail 2", type = "text" }
tier = { column = "Tier", type = "txt" }
points = { column = "Points", type = "number", survivorship = "newest" }
stage = { column = "Stage", type = "text", survivorship = "union" }
Bad-Name = { column = "X", type = "text" }
lead = { column = "Lead status", type = "text" }
again = { column = "  TIER ", type = "text" }
nocolumn = { type = "tags" }
member_count = { column = "Members", type = "number" }
"#;
        let e = Config::parse(text, Path::new("c.toml")).unwrap_err().to_string();
        let expected = [
            "c.toml: line 4, column 1: 'email' is a canonical field; a custom field needs a name of its own",
            "c.toml: line 5, column 34: unknown field type 'txt'; did you mean 'text'?",
            "c.toml: line 6, column 63: unknown survivorship rule 'newest'",
            "c.toml: line 7, column 59: survivorship 'union' needs a tags field; 'stage' is text",
            "c.toml: line 8, column 1: custom field name 'Bad-Name' must start with a-z",
            "c.toml: line 9, column 19: column 'Lead status' is also mapped in [columns]",
            "c.toml: line 10, column 20: column '  TIER ' is already read by custom field 'tier'",
            "c.toml: line 11, column 12: custom field 'nocolumn' needs a column",
            "c.toml: line 12, column 1: 'member_count' is a name rules already use",
        ];
        for want in expected {
            assert!(e.lines().any(|l| l.starts_with(want)), "missing {want:?} in\n{e}");
        }
        assert_eq!(e.lines().count(), expected.len(), "{e}");
        let e = Config::parse("[fields]\nx = { column = \"X\", kind = \"text\" }\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown field `kind`"), "{e}");
    }

    #[test]
    fn reports_every_problem_with_position_and_suggestion() {
        let cases = [
            (
                "[columns]\nOmsetning = \"revnue\"\n",
                "c.toml: line 2, column 13: unknown field 'revnue'; did you mean 'revenue'?",
            ),
            ("default_country = \"Atlantis\"\n", "c.toml: line 1, column 19: unknown country 'Atlantis'"),
            ("defualt_country = \"NO\"\n", "c.toml: line 1, column 1: unknown field `defualt_country`"),
            (
                "[dedup]\nblocking = [[\"emial\"]]\n",
                "c.toml: line 2, column 14: unknown blocking key 'emial'; did you mean 'email'?",
            ),
        ];
        for (text, expected) in cases {
            let e = Config::parse(text, Path::new("c.toml")).unwrap_err().to_string();
            assert!(e.starts_with(expected), "{e}");
        }
        let two = "default_country = \"Atlantis\"\n[columns]\nX = \"emial\"\n";
        let e = Config::parse(two, Path::new("c.toml")).unwrap_err().to_string();
        assert_eq!(e.lines().count(), 2, "{e}");
    }
}
