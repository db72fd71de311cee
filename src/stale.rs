//! Stale: flag golden records marketing should not count on, with reasons, relative to
//! `--as-of`.
//!
//! The policy is data (`rules/stale.toml`, built in as the default): how long without activity
//! makes a customer inactive, which reasons make a record stale, and the patterns of test and
//! junk records. A reason that needs fields the register does not have at all is skipped (a
//! register without a consent column says nothing about consent) and reported as skipped.

use crate::diagnostics::unknown_name;
use crate::error::Error;
use crate::field::Field;
use crate::merge::Golden;
use crate::normalise::date::Date;
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

pub const DEFAULT_POLICY: &str = include_str!("../rules/stale.toml");

/// A reason a record is stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    Inactive,
    Unreachable,
    NoConsent,
    NoEmailConsent,
    NoSmsConsent,
    Unsubscribed,
    TestRecord,
}

impl Reason {
    pub const ALL: [Reason; 7] = [
        Reason::Inactive,
        Reason::Unreachable,
        Reason::NoConsent,
        Reason::NoEmailConsent,
        Reason::NoSmsConsent,
        Reason::Unsubscribed,
        Reason::TestRecord,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Reason::Inactive => "inactive",
            Reason::Unreachable => "unreachable",
            Reason::NoConsent => "no_consent",
            Reason::NoEmailConsent => "no_email_consent",
            Reason::NoSmsConsent => "no_sms_consent",
            Reason::Unsubscribed => "unsubscribed",
            Reason::TestRecord => "test_record",
        }
    }

    /// Fields of which at least one must exist in the register for the reason to be judged.
    fn needs(self) -> &'static [Field] {
        match self {
            Reason::Inactive => &[Field::LastActivityAt, Field::LastOrderAt, Field::CreatedAt],
            Reason::Unreachable => &[Field::Email, Field::Phone, Field::Mobile, Field::Street],
            Reason::NoConsent => &[Field::EmailConsent, Field::SmsConsent],
            Reason::NoEmailConsent => &[Field::EmailConsent],
            Reason::NoSmsConsent => &[Field::SmsConsent],
            Reason::Unsubscribed => &[Field::Unsubscribed],
            Reason::TestRecord => &[Field::Email, Field::FirstName, Field::LastName],
        }
    }
}

/// The validated stale policy.
#[derive(Debug, Clone)]
pub struct Policy {
    pub inactive_after_months: u32,
    pub reasons: Vec<Reason>,
    email_patterns: Vec<regex::Regex>,
    name_patterns: Vec<regex::Regex>,
    pub source_text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    inactive_after_months: Spanned<i64>,
    reasons: Vec<Spanned<String>>,
    #[serde(default)]
    test_record: RawTest,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTest {
    #[serde(default)]
    email_patterns: Vec<Spanned<String>>,
    #[serde(default)]
    name_patterns: Vec<Spanned<String>>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy::parse(DEFAULT_POLICY, Path::new("rules/stale.toml")).expect("the shipped stale policy is valid")
    }
}

/// The stale verdict on a whole register.
pub struct Judged {
    /// Per golden record (in golden order), the codes of the reasons that apply.
    pub codes: Vec<Vec<&'static str>>,
    /// Reasons the register was judged on.
    pub reasons: Vec<Reason>,
    /// Reasons skipped because the register lacks every field they need.
    pub skipped: Vec<Reason>,
}

impl Policy {
    /// Loads `DIR/stale.toml` when present, else the built-in default.
    pub fn load_from_dir(dir: &Path) -> Result<Policy, Error> {
        match crate::diagnostics::read_rule_file(dir, "stale.toml")? {
            Some((path, text)) => Policy::parse(&text, &path),
            None => Ok(Policy::default()),
        }
    }

    pub fn parse(text: &str, path: &Path) -> Result<Policy, Error> {
        let raw: RawPolicy = crate::diagnostics::parse_toml(text, path)?;
        let mut problems = crate::diagnostics::Problems::new(path, text);
        let months = *raw.inactive_after_months.get_ref();
        if !(1..=1200).contains(&months) {
            problems.at(raw.inactive_after_months.span().start, "inactive_after_months must be between 1 and 1200");
        }
        let codes: Vec<&str> = Reason::ALL.iter().map(|r| r.code()).collect();
        let mut reasons = Vec::new();
        for r in &raw.reasons {
            match Reason::ALL.iter().find(|x| x.code() == r.get_ref()) {
                Some(&reason) => reasons.push(reason),
                None => {
                    problems.at(r.span().start, &unknown_name("reason", r.get_ref(), &codes));
                }
            }
        }
        let mut compile = |patterns: &[Spanned<String>]| -> Vec<regex::Regex> {
            patterns
                .iter()
                .filter_map(|p| {
                    match regex::RegexBuilder::new(p.get_ref()).case_insensitive(true).size_limit(1 << 20).build() {
                        Ok(r) => Some(r),
                        Err(e) => {
                            problems.at(p.span().start, &crate::diagnostics::regex_problem(&e));
                            None
                        }
                    }
                })
                .collect()
        };
        let email_patterns = compile(&raw.test_record.email_patterns);
        let name_patterns = compile(&raw.test_record.name_patterns);
        problems.finish(())?;
        Ok(Policy {
            inactive_after_months: months as u32,
            reasons,
            email_patterns,
            name_patterns,
            source_text: text.to_string(),
        })
    }

    /// Reasons the register can be judged on, given the fields it has.
    pub fn applicable(&self, present: &[Field]) -> (Vec<Reason>, Vec<Reason>) {
        self.reasons.iter().partition(|r| r.needs().iter().any(|f| present.contains(f)))
    }

    /// Judges every golden record (in parallel, order kept): each record's reason codes, plus
    /// the reasons the register could and could not be judged on.
    pub fn judge_all(&self, goldens: &[Golden], present: &[Field], as_of: Date) -> Judged {
        use rayon::prelude::*;
        let (reasons, skipped) = self.applicable(present);
        let codes = goldens
            .par_iter()
            .map(|g| self.judge(g, &reasons, as_of).into_iter().map(|r| r.code()).collect())
            .collect();
        Judged { codes, reasons, skipped }
    }

    /// The reasons that apply to one golden record.
    pub fn judge(&self, g: &Golden, reasons: &[Reason], as_of: Date) -> Vec<Reason> {
        let has = |f: Field| g.has(f);
        let is_true = |f: Field| g.value(f) == Some("true");
        let cutoff = as_of.add_months(-(self.inactive_after_months as i32));
        let mut out = Vec::new();
        for &r in reasons {
            let applies = match r {
                Reason::Inactive => {
                    let latest = [Field::LastActivityAt, Field::LastOrderAt, Field::CreatedAt]
                        .iter()
                        .filter_map(|&f| g.value(f).and_then(Date::parse_iso))
                        .max();
                    latest.is_some_and(|d| d < cutoff)
                }
                Reason::Unreachable => {
                    let phone = has(Field::Phone) || has(Field::Mobile);
                    let address = has(Field::Street) && (has(Field::Postcode) || has(Field::City));
                    (is_true(Field::EmailBounced) && !phone) || (!has(Field::Email) && !phone && !address)
                }
                Reason::NoConsent => !is_true(Field::EmailConsent) && !is_true(Field::SmsConsent),
                Reason::NoEmailConsent => !is_true(Field::EmailConsent),
                Reason::NoSmsConsent => !is_true(Field::SmsConsent),
                Reason::Unsubscribed => is_true(Field::Unsubscribed),
                Reason::TestRecord => {
                    let email = g.value(Field::Email).unwrap_or("");
                    let name = format!(
                        "{} {}",
                        g.value(Field::FirstName).unwrap_or(""),
                        g.value(Field::LastName).unwrap_or("")
                    );
                    let name = name.trim();
                    (!email.is_empty() && self.email_patterns.iter().any(|p| p.is_match(email)))
                        || (!name.is_empty() && self.name_patterns.iter().any(|p| p.is_match(name)))
                }
            };
            if applies {
                out.push(r);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::{GoldenField, Origin};

    fn golden(values: &[(Field, &str)]) -> Golden {
        let mut fields = vec![GoldenField { value: None, rule: "most_recent", from: Origin::Nobody }; Field::COUNT];
        for &(f, v) in values.iter().filter(|(_, v)| !v.is_empty()) {
            fields[f.index()].value = Some(v.to_string());
        }
        Golden::new("G".into(), vec![0], &fields, vec![], vec![], 0)
    }

    #[test]
    fn judges_each_reason() {
        use Field::*;
        let p = Policy::default();
        let as_of = Date::new(2026, 11, 23).unwrap();
        let fresh: &[(Field, &str)] = &[
            (FirstName, "Kari"),
            (LastName, "Nordmann"),
            (Email, "kari@gmail.com"),
            (Mobile, "+4791234567"),
            (LastActivityAt, "2026-10-01"),
            (EmailConsent, "true"),
            (Unsubscribed, "false"),
        ];
        let with = |extra: &[(Field, &str)]| {
            let mut v: Vec<(Field, &str)> =
                fresh.iter().filter(|(f, _)| !extra.iter().any(|(g, _)| g == f)).copied().collect();
            v.extend_from_slice(extra);
            let g = golden(&v);
            p.judge(&g, &p.reasons, as_of).iter().map(|r| r.code()).collect::<Vec<_>>().join(";")
        };
        let cases: [(&[(Field, &str)], &str); 9] = [
            (&[], ""),
            (&[(LastActivityAt, "2024-11-22")], "inactive"),
            (&[(LastActivityAt, "2024-11-24")], ""),
            (&[(EmailBounced, "true"), (Mobile, "")], "unreachable"),
            (&[(EmailBounced, "true")], ""),
            (&[(EmailConsent, "false")], "no_consent"),
            (&[(Unsubscribed, "true")], "unsubscribed"),
            (&[(Email, "test@example.com")], "test_record"),
            (&[(FirstName, "Test"), (LastName, "Testesen")], "test_record"),
        ];
        for (extra, expected) in cases {
            assert_eq!(with(extra), expected, "{extra:?}");
        }
        // Bounced with no phone: unreachable.
        let g = golden(&[
            (Email, "kari@gmail.com"),
            (EmailBounced, "true"),
            (EmailConsent, "true"),
            (LastActivityAt, "2026-01-01"),
        ]);
        assert_eq!(p.judge(&g, &p.reasons, as_of), vec![Reason::Unreachable]);
    }

    #[test]
    fn policy_errors_have_positions() {
        let e = Policy::parse("inactive_after_months = 24\nreasons = [\"inactiv\"]\n", Path::new("s.toml"))
            .unwrap_err()
            .to_string();
        assert_eq!(e, "s.toml: line 2, column 12: unknown reason 'inactiv'; did you mean 'inactive'?");
    }
}
