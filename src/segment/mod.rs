//! Segment: put golden records into the segments marketers declare in rule files.
//!
//! Segment rules live in `rules/*.toml` (every file but `survivorship.toml` and `stale.toml`),
//! as `[[segment]]` tables with a name, a description and a `when` condition in a small language
//! (`expr`). TOML because marketers edit these files by hand: no indentation traps, comments
//! allowed, and one condition per line reads like a sentence. All files are loaded and checked
//! before any data is read; every problem is reported at once with file, line and column.
//!
//! Membership: a golden record is in a segment when the condition holds, it has the consent the
//! segment requires (default e-mail; `none` to skip), it is not stale (unless the segment
//! includes stale records), and no segment of higher priority in the same exclusive group took
//! it. A deterministic share of members is held out (`holdout_percent`): a keyed SHA-256 of the
//! salt and the golden id picks them, stable across runs. Held-out members are listed in
//! segments.csv but not exported. A segment may also split its members into A/B variants
//! (`variants = { a = 45, b = 45 }`, see `variants`): one keyed draw per customer, cut into
//! the holdout first and then the variants in name order.

pub mod draw;
pub mod expr;
pub mod rfm;
pub mod values;
pub mod variants;
pub mod vocabulary;

use crate::diagnostics::{line_col, unknown_name};
use crate::error::Error;
use crate::field::{CustomField, CustomKind, Field, Kind};
use crate::merge::Golden;
use crate::normalise::date::Date;
use expr::{Expr, Schema, Type, Value};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Files in a rules folder that are not segment files.
pub const OTHER_RULE_FILES: [&str; 2] = ["survivorship.toml", "stale.toml"];

/// The consent a segment needs: a channel's (`values::consent`), or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    Email,
    Sms,
    Phone,
    Fax,
    Post,
    None,
}

impl Consent {
    /// Every value of `require_consent`, by its name in rule files.
    pub const ALL: [(&'static str, Consent); 6] = [
        ("email", Consent::Email),
        ("sms", Consent::Sms),
        ("phone", Consent::Phone),
        ("fax", Consent::Fax),
        ("post", Consent::Post),
        ("none", Consent::None),
    ];

    pub fn name(self) -> &'static str {
        Consent::ALL.iter().find(|(_, c)| *c == self).map(|(n, _)| *n).unwrap_or("email")
    }

    /// Whether a golden record with these channels may be contacted as the segment needs.
    pub fn allows(self, channels: &values::Channels) -> bool {
        match self {
            Consent::Email => channels.email,
            Consent::Sms => channels.sms,
            Consent::Phone => channels.phone,
            Consent::Fax => channels.fax,
            Consent::Post => channels.post,
            Consent::None => true,
        }
    }
}

/// One validated segment.
#[derive(Debug, Clone)]
pub struct Segment {
    pub name: String,
    pub description: String,
    pub when: Expr,
    /// The text of each top-level AND condition of `when` (`expr::Parsed::conditions`), named
    /// when a segment is empty.
    pub conditions: Vec<String>,
    pub priority: i64,
    pub exclusive_group: Option<String>,
    pub require_consent: Consent,
    pub include_stale: bool,
    pub holdout_percent: f64,
    pub salt: String,
    /// A/B variants (name, percent) in layout order (by name); empty when the segment has none.
    pub variants: Vec<(String, f64)>,
    /// Schema indices of the fields the export carries.
    pub export: Vec<usize>,
    pub file: PathBuf,
    /// `one_per_household = true`: one member per household (`household`), the one
    /// `household_pick` prefers.
    pub one_per_household: Option<HouseholdPick>,
}

/// Whom a one-per-household segment keeps of a household's members in it: `household_pick`.
/// Only members the segment holds are picked from, so a segment that requires consent picks
/// among those who gave it. Ties go to the smallest golden id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HouseholdPick {
    /// The latest `last_activity_at` (then `last_order_at`); the default.
    MostRecentActivity,
    /// The highest `revenue`.
    HighestRevenue,
    /// Only members who consent to the segment's channel (to post when the segment requires no
    /// consent: one letter per home) stay, alone or not; of a household's, the most recent
    /// activity. A household where nobody consents gets nothing.
    ConsentRequired,
}

impl HouseholdPick {
    pub fn name(self) -> &'static str {
        match self {
            HouseholdPick::MostRecentActivity => "most_recent_activity",
            HouseholdPick::HighestRevenue => "highest_revenue",
            HouseholdPick::ConsentRequired => "consent_required",
        }
    }

    pub const ALL: [(&'static str, HouseholdPick); 3] = [
        ("most_recent_activity", HouseholdPick::MostRecentActivity),
        ("highest_revenue", HouseholdPick::HighestRevenue),
        ("consent_required", HouseholdPick::ConsentRequired),
    ];
}

/// All segments of a rules folder, validated, with the order to evaluate them in.
#[derive(Debug, Default, Clone)]
pub struct SegmentRules {
    pub segments: Vec<Segment>,
    /// Groups of segment indices in evaluation order; within a group, by priority.
    order: Vec<Vec<usize>>,
    /// Concatenated rule file texts, hashed into the report.
    pub source_text: String,
    /// The config's custom fields the rules were checked against (`schema_with`).
    pub custom: Vec<CustomField>,
}

/// The fields a condition or an export may name: every canonical field, then derived ones.
pub fn schema() -> Schema {
    schema_with(&[])
}

/// [`schema`] followed by the config's custom fields (`[fields]`), each typed by its kind, then
/// the same canonical and custom fields of the contact's account (`account.<field>`).
pub fn schema_with(custom: &[CustomField]) -> Schema {
    let mut fields: Vec<(String, Type)> = Field::ALL
        .iter()
        .map(|f| {
            let t = match f.kind() {
                Kind::Date => Type::Date,
                Kind::Count | Kind::Money => Type::Number,
                Kind::Bool => Type::Bool,
                _ => Type::Text,
            };
            (f.name().to_string(), t)
        })
        .collect();
    for (name, t) in DERIVED {
        fields.push((name.to_string(), t));
    }
    for f in custom {
        let t = match f.kind {
            CustomKind::Text => Type::Text,
            CustomKind::Number => Type::Number,
            CustomKind::Date => Type::Date,
            CustomKind::Boolean => Type::Bool,
            CustomKind::Tags => Type::Tags,
        };
        fields.push((f.name.clone(), t));
    }
    // The contact's golden account: its canonical and custom fields, typed as they are.
    let account: Vec<(String, Type)> = fields[..Field::COUNT]
        .iter()
        .chain(&fields[Field::COUNT + DERIVED.len()..])
        .map(|(name, t)| (format!("{ACCOUNT_PREFIX}{name}"), *t))
        .collect();
    fields.extend(account);
    Schema::new(fields)
}

/// How a condition or an export names a field of a contact's golden account
/// (`merge::accounts`): `account.industry`. Such fields follow the custom fields in the schema.
pub const ACCOUNT_PREFIX: &str = "account.";

/// Derived fields, computed per golden record relative to `--as-of`.
pub const DERIVED: [(&str, Type); 15] = [
    ("golden_id", Type::Text),
    ("member_count", Type::Number),
    ("stale", Type::Bool),
    ("stale_reasons", Type::Text),
    ("age", Type::Number),
    ("tenure_days", Type::Number),
    ("days_since_last_order", Type::Number),
    ("days_since_last_activity", Type::Number),
    ("is_buyer", Type::Bool),
    ("email_domain", Type::Text),
    ("rfm_recency", Type::Number),
    ("rfm_frequency", Type::Number),
    ("rfm_monetary", Type::Number),
    ("rfm_fm", Type::Number),
    ("rfm_score", Type::Text),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    segment: Vec<RawSegment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSegment {
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    when: Spanned<String>,
    #[serde(default)]
    priority: i64,
    exclusive_group: Option<String>,
    require_consent: Option<Spanned<String>>,
    #[serde(default)]
    include_stale: bool,
    holdout_percent: Option<Spanned<f64>>,
    salt: Option<String>,
    variants: Option<Spanned<BTreeMap<String, Spanned<f64>>>>,
    export: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    one_per_household: bool,
    household_pick: Option<Spanned<String>>,
}

/// Default export columns when a segment names none.
const DEFAULT_EXPORT: [&str; 5] = ["first_name", "last_name", "email", "mobile", "country"];

/// Where the text of a TOML string value starts, given the span of the value (which begins at
/// its opening quote).
fn string_content_start(text: &str, span_start: usize) -> usize {
    let rest = &text[span_start.min(text.len())..];
    if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
        let after = span_start + 3;
        if text[after..].starts_with("\r\n") {
            after + 2
        } else if text[after..].starts_with('\n') {
            after + 1
        } else {
            after
        }
    } else {
        span_start + 1
    }
}

impl SegmentRules {
    /// Loads and checks every segment file of a rules folder, in file name order.
    pub fn load_dir(dir: &Path) -> Result<SegmentRules, Error> {
        SegmentRules::load_dir_with(dir, &[])
    }

    /// [`SegmentRules::load_dir`] for a register with these custom fields (the config's
    /// `[fields]`): conditions and exports may name them.
    pub fn load_dir_with(dir: &Path, custom: &[CustomField]) -> Result<SegmentRules, Error> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|e| e == "toml")
                    && !OTHER_RULE_FILES.contains(&p.file_name().and_then(|n| n.to_str()).unwrap_or(""))
            })
            .collect();
        files.sort();
        let mut texts = Vec::new();
        for f in &files {
            texts.push((f.clone(), std::fs::read_to_string(f).map_err(|e| Error::io(f, e))?));
        }
        SegmentRules::parse_with(&texts, custom)
    }

    /// Parses and checks segment files given as (path, text).
    pub fn parse(files: &[(PathBuf, String)]) -> Result<SegmentRules, Error> {
        SegmentRules::parse_with(files, &[])
    }

    /// [`SegmentRules::parse`] with the config's custom fields.
    pub fn parse_with(files: &[(PathBuf, String)], custom: &[CustomField]) -> Result<SegmentRules, Error> {
        let schema = schema_with(custom);
        let field_names: Vec<&str> = schema.names.iter().map(String::as_str).collect();
        let mut problems = Vec::new();
        let mut segments = Vec::new();
        // (segment index, referenced name, path, offset in that file's text)
        let mut references = Vec::new();
        let mut seen: HashMap<String, (PathBuf, usize)> = HashMap::new();
        let mut source_text = String::new();
        for (path, text) in files {
            source_text.push_str(text);
            // Every unknown key is reported and the rest of the file still checked.
            let (raw, unknown_keys) = crate::diagnostics::parse_toml_all::<RawFile>(text, path);
            problems.extend(unknown_keys);
            let Some(raw) = raw else { continue };
            let mut here = crate::diagnostics::Problems::new(path, text);
            for s in raw.segment {
                let name = s.name.get_ref().clone();
                let name_at = s.name.span().start;
                let nl = line_col(text, name_at).0;
                let mut ok = true;
                if name.is_empty()
                    || !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
                {
                    here.at(
                        name_at,
                        &format!("segment name '{name}' must use only a-z, 0-9, '_' and '-' (it names an export file)"),
                    );
                    ok = false;
                }
                if let Some((other, line)) = seen.get(&name) {
                    here.at(
                        name_at,
                        &format!("segment '{name}' is already defined in {} line {line}", other.display()),
                    );
                    ok = false;
                }
                seen.insert(name.clone(), (path.clone(), nl));
                let base = string_content_start(text, s.when.span().start);
                let when = match expr::parse_rule_all(s.when.get_ref(), &schema, &name) {
                    Ok(parsed) => {
                        for (r, off) in parsed.segments {
                            references.push((segments.len(), r, path.clone(), text.to_string(), base + off));
                        }
                        Some((parsed.expr, parsed.conditions))
                    }
                    Err(found) => {
                        for e in found {
                            here.at(base + e.offset, &e.message);
                        }
                        None
                    }
                };
                let require_consent = match s.require_consent.as_ref().map(|c| (c.get_ref().as_str(), c.span().start)) {
                    None => Consent::Email,
                    Some((name, at)) => match Consent::ALL.iter().find(|(n, _)| *n == name) {
                        Some(&(_, c)) => c,
                        None => {
                            let names: Vec<&str> = Consent::ALL.iter().map(|(n, _)| *n).collect();
                            here.at(at, &unknown_name("consent channel", name, &names));
                            ok = false;
                            Consent::Email
                        }
                    },
                };
                let holdout_percent = match &s.holdout_percent {
                    Some(h) if !(0.0..=100.0).contains(h.get_ref()) => {
                        here.at(h.span().start, "holdout_percent must be between 0 and 100");
                        ok = false;
                        0.0
                    }
                    Some(h) => *h.get_ref(),
                    None => 0.0,
                };
                let variants = match &s.variants {
                    Some(t) => {
                        let (v, found) = variants::check(t.get_ref(), t.span().start, holdout_percent);
                        for (at, message) in &found {
                            here.at(*at, message);
                        }
                        ok &= found.is_empty();
                        v
                    }
                    None => Vec::new(),
                };
                let one_per_household = match s.household_pick.as_ref().map(|p| (p.get_ref().as_str(), p.span().start))
                {
                    None => s.one_per_household.then_some(HouseholdPick::MostRecentActivity),
                    Some((pick, at)) => match HouseholdPick::ALL.iter().find(|(n, _)| *n == pick) {
                        Some(&(_, p)) if s.one_per_household => Some(p),
                        Some(_) => {
                            here.at(at, "household_pick needs one_per_household = true");
                            ok = false;
                            None
                        }
                        None => {
                            let names: Vec<&str> = HouseholdPick::ALL.iter().map(|(n, _)| *n).collect();
                            here.at(at, &unknown_name("household pick", pick, &names));
                            ok = false;
                            None
                        }
                    },
                };
                let mut export = Vec::new();
                match &s.export {
                    Some(list) => {
                        for f in list {
                            match schema.get(f.get_ref()) {
                                Some(i) => export.push(i),
                                None => {
                                    here.at(f.span().start, &unknown_name("field", f.get_ref(), &field_names));
                                    ok = false;
                                }
                            }
                        }
                    }
                    None => export.extend(DEFAULT_EXPORT.iter().filter_map(|n| schema.get(n))),
                }
                if let (Some((when, conditions)), true) = (when, ok) {
                    segments.push(Segment {
                        salt: s.salt.unwrap_or_else(|| name.clone()),
                        name,
                        description: s.description,
                        when,
                        conditions,
                        priority: s.priority,
                        exclusive_group: s.exclusive_group,
                        require_consent,
                        include_stale: s.include_stale,
                        holdout_percent,
                        variants,
                        export,
                        file: path.clone(),
                        one_per_household,
                    });
                }
            }
            problems.extend(here.into_errors());
        }
        // Every referenced segment must exist.
        let index: HashMap<&str, usize> = segments.iter().enumerate().map(|(i, s)| (s.name.as_str(), i)).collect();
        let names: Vec<&str> = seen.keys().map(String::as_str).collect();
        let mut deps: Vec<(usize, usize)> = Vec::new();
        for (from, name, path, text, offset) in &references {
            match index.get(name.as_str()) {
                Some(&to) => deps.push((*from, to)),
                None if seen.contains_key(name) => {} // defined but invalid: already reported
                None => {
                    let mut sorted = names.clone();
                    sorted.sort();
                    let mut here = crate::diagnostics::Problems::new(path, text);
                    here.at(*offset, &unknown_name("segment", name, &sorted));
                    problems.extend(here.into_errors());
                }
            }
        }
        if !problems.is_empty() {
            return Err(Error::many(problems));
        }
        let order = evaluation_order(&segments, &deps)?;
        Ok(SegmentRules { segments, order, source_text, custom: custom.to_vec() })
    }

    /// The schema the rules were checked against: canonical, derived, then custom fields.
    pub fn schema(&self) -> Schema {
        schema_with(&self.custom)
    }

    /// Assigns golden records to segments. Returns, per golden record, its memberships as
    /// (segment index, held out).
    /// The schema fields (by position in `schema()`) that some segment condition reads.
    pub fn fields_used(&self) -> Vec<bool> {
        let mut used = vec![false; self.schema().names.len()];
        for s in &self.segments {
            s.when.mark_fields(&mut used);
        }
        used
    }

    /// `values(g)` gives the values of record g in `schema()` order (only the fields in
    /// [`SegmentRules::fields_used`] need be set); they are built one record
    /// at a time so that a large register never holds every record's values at once.
    pub fn assign(
        &self,
        values: &(dyn Fn(usize) -> Vec<Option<Value>> + Sync),
        stale: &[bool],
        consent: &[values::Channels],
        golden_ids: &[&str],
        as_of: Date,
    ) -> Vec<Vec<(usize, bool)>> {
        use rayon::prelude::*;
        let index: HashMap<&str, usize> = self.segments.iter().enumerate().map(|(i, s)| (s.name.as_str(), i)).collect();
        (0..stale.len())
            .into_par_iter()
            .map(|g| {
                // Built at the first segment the record may join: a record no segment takes
                // (stale, or without the consent every segment requires) is never read.
                let mut record: Option<Vec<Option<Value>>> = None;
                let mut member = vec![false; self.segments.len()];
                for group in &self.order {
                    for &s in group {
                        let seg = &self.segments[s];
                        let eligible = (seg.include_stale || !stale[g]) && seg.require_consent.allows(&consent[g]);
                        if !eligible {
                            continue;
                        }
                        let read = record.get_or_insert_with(|| values(g));
                        let rec = RecordView { values: read, member: &member, index: &index };
                        if seg.when.eval(&rec, as_of) {
                            member[s] = true;
                            if seg.exclusive_group.is_some() {
                                break;
                            }
                        }
                    }
                }
                (0..self.segments.len())
                    .filter(|&s| member[s])
                    .map(|s| (s, in_holdout(&self.segments[s], golden_ids[g])))
                    .collect()
            })
            .collect()
    }
}

impl SegmentRules {
    /// Why each segment that has no member is empty (`None` for the others): the register has
    /// no customers; the first top-level AND condition that matches nobody on its own (saying
    /// when that is because the register has no value at all for a field it reads); the
    /// conditions together; or the consent, staleness or exclusive group that left out
    /// everyone the condition matches. `values`, `stale`, `consent` and `as_of` are those given
    /// to [`SegmentRules::assign`], `assignment` its result. Conditions and field names only:
    /// never a value of the register.
    pub fn why_empty(
        &self,
        values: &(dyn Fn(usize) -> Vec<Option<Value>> + Sync),
        stale: &[bool],
        consent: &[values::Channels],
        assignment: &[Vec<(usize, bool)>],
        as_of: Date,
    ) -> Vec<Option<String>> {
        use rayon::prelude::*;
        let n = self.segments.len();
        let mut size = vec![0usize; n];
        for list in assignment {
            for &(s, _) in list {
                size[s] += 1;
            }
        }
        let empty: Vec<usize> = (0..n).filter(|&s| size[s] == 0).collect();
        let mut out = vec![None; n];
        if empty.is_empty() {
            return out;
        }
        if stale.is_empty() {
            for s in empty {
                out[s] = Some("the register has no customers".to_string());
            }
            return out;
        }
        let index: HashMap<&str, usize> = self.segments.iter().enumerate().map(|(i, s)| (s.name.as_str(), i)).collect();
        let names = &self.schema().names;
        // Per empty segment: matches of each top-level condition, of the whole condition, and of
        // the whole condition among the fresh and among the fresh with consent; and which of the
        // fields the segment reads hold a value anywhere.
        let parts = |s: usize| -> Vec<&Expr> {
            match &self.segments[s].when {
                Expr::And(p) if p.len() == self.segments[s].conditions.len() => p.iter().collect(),
                e => vec![e],
            }
        };
        // Whether a part matches anyone is all the reason needs of it, so a part already known
        // to match is evaluated again only while the whole condition is still being decided
        // (its parts in order, stopping at the first that fails, as `Expr::And` does): each
        // record costs about one evaluation of each condition instead of two.
        let split: Vec<Vec<&Expr>> = empty.iter().map(|&s| parts(s)).collect();
        type Counts = (Vec<(Vec<bool>, [usize; 3])>, Vec<bool>);
        let zero =
            || -> Counts { (split.iter().map(|p| (vec![false; p.len()], [0; 3])).collect(), vec![false; names.len()]) };
        let (counts, seen): Counts = (0..stale.len())
            .into_par_iter()
            .fold(zero, |(mut acc, mut seen), g| {
                let values = values(g);
                let mut member = vec![false; n];
                for &(s, _) in &assignment[g] {
                    member[s] = true;
                }
                let rec = RecordView { values: &values, member: &member, index: &index };
                for (k, &s) in empty.iter().enumerate() {
                    let seg = &self.segments[s];
                    let (hit, whole) = &mut acc[k];
                    let mut all = true;
                    for (i, p) in split[k].iter().enumerate() {
                        if !all && hit[i] {
                            continue;
                        }
                        if p.eval(&rec, as_of) {
                            hit[i] = true;
                        } else {
                            all = false;
                        }
                    }
                    if all {
                        whole[0] += 1;
                        if seg.include_stale || !stale[g] {
                            whole[1] += 1;
                            let consented = seg.require_consent.allows(&consent[g]);
                            whole[2] += usize::from(consented);
                        }
                    }
                }
                for (f, v) in values.iter().enumerate() {
                    seen[f] |= v.is_some();
                }
                (acc, seen)
            })
            .reduce(zero, |(mut a, mut seen_a), (b, seen_b)| {
                for (x, y) in a.iter_mut().zip(b) {
                    x.0.iter_mut().zip(&y.0).for_each(|(p, q)| *p |= q);
                    x.1.iter_mut().zip(&y.1).for_each(|(p, q)| *p += q);
                }
                seen_a.iter_mut().zip(&seen_b).for_each(|(p, q)| *p |= q);
                (a, seen_a)
            });
        for (k, &s) in empty.iter().enumerate() {
            let seg = &self.segments[s];
            let (hit, whole) = &counts[k];
            let reason = if let Some(i) = hit.iter().position(|&h| !h) {
                let mut read = vec![false; names.len()];
                parts(s)[i].mark_fields(&mut read);
                let lacking: Vec<String> =
                    (0..names.len()).filter(|&f| read[f] && !seen[f]).map(|f| format!("'{}'", names[f])).collect();
                let condition = &seg.conditions[i];
                if lacking.is_empty() {
                    format!("no customer meets `{condition}`")
                } else {
                    format!("the register has no value for {} (`{condition}`)", lacking.join(", "))
                }
            } else if whole[0] == 0 {
                "each condition matches some customers, but none meets them all".to_string()
            } else if whole[1] == 0 {
                format!("the {} customers who meet the condition are all stale", whole[0])
            } else if whole[2] == 0 {
                format!(
                    "none of the {} customers who meet the condition has {} consent",
                    whole[1],
                    seg.require_consent.name()
                )
            } else {
                let group = seg.exclusive_group.as_deref().unwrap_or_default();
                format!("the {} customers who qualify were taken by segments before it in group '{group}'", whole[2])
            };
            out[s] = Some(reason);
        }
        out
    }
}

/// Whether a golden record is in a segment's holdout: the first 8 bytes of SHA-256(salt, id)
/// as a number, in ten-thousandths, below the share. Keyed by the salt so that two tests do not
/// hold out the same customers, and stable across runs because it depends on nothing else.
/// (`variants::draw` is that same hash, with a finer fraction for cutting variants.)
pub fn in_holdout(seg: &Segment, golden_id: &str) -> bool {
    seg.holdout_percent > 0.0 && arm(seg, golden_id) == variants::Arm::Holdout
}

/// The arm of a member: holdout, one of the segment's variants, or the whole segment.
pub fn arm(seg: &Segment, golden_id: &str) -> variants::Arm {
    if seg.holdout_percent <= 0.0 && seg.variants.is_empty() {
        return variants::Arm::Whole;
    }
    variants::arm_of(variants::draw(&seg.salt, golden_id), seg.holdout_percent, &seg.variants)
}

struct RecordView<'a> {
    values: &'a [Option<Value>],
    member: &'a [bool],
    index: &'a HashMap<&'a str, usize>,
}

impl expr::Record for RecordView<'_> {
    fn get(&self, field: usize) -> Option<&Value> {
        self.values.get(field).and_then(Option::as_ref)
    }
    fn in_segment(&self, name: &str) -> bool {
        self.index.get(name).is_some_and(|&i| self.member[i])
    }
}

/// Orders segments so that every referenced segment (and its whole exclusive group) is decided
/// before the segments that reference it. Within a group, by priority, then file order.
fn evaluation_order(segments: &[Segment], deps: &[(usize, usize)]) -> Result<Vec<Vec<usize>>, Error> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut node_of = vec![0usize; segments.len()];
    let mut nodes: Vec<Vec<usize>> = Vec::new();
    for (i, s) in segments.iter().enumerate() {
        match &s.exclusive_group {
            Some(g) => groups.entry(g.clone()).or_default().push(i),
            None => {
                node_of[i] = nodes.len();
                nodes.push(vec![i]);
            }
        }
    }
    for (_, mut members) in groups {
        members.sort_by_key(|&i| (segments[i].priority, i));
        for &m in &members {
            node_of[m] = nodes.len();
        }
        nodes.push(members);
    }
    // Kahn's algorithm over nodes, smallest node first for a stable order.
    let mut edges: Vec<HashSet<usize>> = vec![HashSet::new(); nodes.len()];
    let mut indegree = vec![0usize; nodes.len()];
    for &(from, to) in deps {
        let (a, b) = (node_of[to], node_of[from]);
        if a == b {
            return Err(Error::Input {
                path: segments[from].file.display().to_string(),
                line: None,
                column: None,
                message: format!(
                    "segment '{}' refers to '{}' of its own exclusive group or itself",
                    segments[from].name, segments[to].name
                ),
            });
        }
        if edges[a].insert(b) {
            indegree[b] += 1;
        }
    }
    let mut ready: std::collections::BTreeSet<usize> = (0..nodes.len()).filter(|&n| indegree[n] == 0).collect();
    let mut order = Vec::new();
    while let Some(n) = ready.pop_first() {
        order.push(nodes[n].clone());
        for &m in &edges[n] {
            indegree[m] -= 1;
            if indegree[m] == 0 {
                ready.insert(m);
            }
        }
    }
    if order.len() < nodes.len() {
        let stuck: Vec<&str> = (0..nodes.len())
            .filter(|&n| indegree[n] > 0)
            .flat_map(|n| nodes[n].iter().map(|&i| segments[i].name.as_str()))
            .collect();
        return Err(Error::Input {
            path: segments[0].file.display().to_string(),
            line: None,
            column: None,
            message: format!("segments refer to each other in a circle: {}", stuck.join(", ")),
        });
    }
    Ok(order)
}

/// Per-segment numbers for the report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SegmentReport {
    pub name: String,
    /// The rule file the segment comes from (its stem): segments of one file are a group.
    pub group: String,
    pub description: String,
    pub size: usize,
    pub share: f64,
    pub holdout: usize,
    pub holdout_percent: f64,
    pub require_consent: &'static str,
    pub include_stale: bool,
    /// The members' revenue added up, and its mean over the members: amounts as written, in
    /// whatever currencies they are (see `revenue_by_currency`).
    pub revenue_sum: String,
    pub revenue_mean: String,
    /// Currency (ISO 4217, or `unknown`; `values::currency`) → the members paying in it and
    /// their revenue's sum and mean, so that amounts of different currencies are never added.
    pub revenue_by_currency: BTreeMap<String, CurrencyRevenue>,
    /// Other segment → members shared with it (only non-zero).
    pub overlap: BTreeMap<String, usize>,
    /// Variant name → declared percent and members assigned (none when the segment has none).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub variants: BTreeMap<String, VariantReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entered: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stayed: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_size: Option<usize>,
    /// Why the segment is empty (`SegmentRules::why_empty`); absent when it has members.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub empty_because: Option<String>,
    /// One-per-household segments: how the members were picked, and the letters saved (the
    /// members the condition matched who share a household with the one kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub household_pick: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub letters_saved: Option<usize>,
}

/// The members of a segment who pay in one currency, and their revenue.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CurrencyRevenue {
    pub members: usize,
    pub revenue_sum: String,
    pub revenue_mean: String,
}

/// The mean of `cents` over `n`, rounded half up, in cents.
fn mean_cents(cents: i128, n: usize) -> i128 {
    if n == 0 { 0 } else { (cents + (n as i128) / 2) / n as i128 }
}

/// One variant of a segment in report.json: its declared share and how many members it got.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VariantReport {
    pub percent: f64,
    pub size: usize,
}

/// Builds the report entries. `previous` maps a segment name to the golden ids it had in an
/// earlier run (`--previous`).
pub fn report(
    rules: &SegmentRules,
    assignment: &[Vec<(usize, bool)>],
    goldens: &[Golden],
    previous: Option<&HashMap<String, HashSet<String>>>,
) -> Vec<SegmentReport> {
    let n = rules.segments.len();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut holdout = vec![0usize; n];
    for (g, list) in assignment.iter().enumerate() {
        for &(s, h) in list {
            members[s].push(g);
            holdout[s] += usize::from(h);
        }
    }
    let mut overlap = vec![vec![0usize; n]; n];
    for list in assignment {
        for &(a, _) in list {
            for &(b, _) in list {
                if a != b {
                    overlap[a][b] += 1;
                }
            }
        }
    }
    rules
        .segments
        .iter()
        .enumerate()
        .map(|(s, seg)| {
            let mut cents: i128 = 0;
            let mut by_currency: BTreeMap<&str, (usize, i128)> = BTreeMap::new();
            for &g in &members[s] {
                let c = goldens[g].value(Field::Revenue).and_then(rfm::cents).unwrap_or(0);
                cents += c;
                let entry = by_currency.entry(values::currency(&goldens[g])).or_insert((0, 0));
                entry.0 += 1;
                entry.1 += c;
            }
            let size = members[s].len();
            let mean = mean_cents(cents, size);
            let drift = previous.map(|p| {
                let before = p.get(&seg.name).cloned().unwrap_or_default();
                let now: HashSet<&str> = members[s].iter().map(|&g| goldens[g].golden_id.as_str()).collect();
                let stayed = now.iter().filter(|id| before.contains(**id)).count();
                (now.len() - stayed, before.len() - stayed, stayed, before.len())
            });
            SegmentReport {
                name: seg.name.clone(),
                group: seg.file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
                description: seg.description.clone(),
                size,
                share: if goldens.is_empty() {
                    0.0
                } else {
                    (size as f64 / goldens.len() as f64 * 10_000.0).round() / 10_000.0
                },
                holdout: holdout[s],
                holdout_percent: seg.holdout_percent,
                variants: seg
                    .variants
                    .iter()
                    .enumerate()
                    .map(|(i, (name, percent))| {
                        let size = members[s]
                            .iter()
                            .filter(|&&g| arm(seg, &goldens[g].golden_id) == variants::Arm::Variant(i))
                            .count();
                        (name.clone(), VariantReport { percent: *percent, size })
                    })
                    .collect(),
                require_consent: seg.require_consent.name(),
                include_stale: seg.include_stale,
                revenue_sum: rfm::format_cents(cents),
                revenue_mean: rfm::format_cents(mean),
                revenue_by_currency: by_currency
                    .into_iter()
                    .map(|(code, (n, sum))| {
                        let revenue = CurrencyRevenue {
                            members: n,
                            revenue_sum: rfm::format_cents(sum),
                            revenue_mean: rfm::format_cents(mean_cents(sum, n)),
                        };
                        (code.to_string(), revenue)
                    })
                    .collect(),
                overlap: (0..n)
                    .filter(|&o| overlap[s][o] > 0)
                    .map(|o| (rules.segments[o].name.clone(), overlap[s][o]))
                    .collect(),
                entered: drift.map(|d| d.0),
                left: drift.map(|d| d.1),
                stayed: drift.map(|d| d.2),
                previous_size: drift.map(|d| d.3),
                empty_because: None,
                household_pick: None,
                letters_saved: None,
            }
        })
        .collect()
}

/// Segment name → golden ids, as an earlier run's segments.csv lists them.
pub type Memberships = HashMap<String, HashSet<String>>;

/// Reads segments.csv of an earlier run: segment name → golden ids.
pub fn read_previous(dir: &Path) -> Result<Memberships, Error> {
    let path = dir.join("segments.csv");
    let mut r = csv::Reader::from_path(&path)
        .map_err(|e| Error::input(&path, None, None, &format!("cannot read the previous run's segments: {e}")))?;
    let mut out: HashMap<String, HashSet<String>> = HashMap::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| Error::input(&path, Some(i + 2), None, &e.to_string()))?;
        if rec.len() < 2 {
            return Err(Error::input(&path, Some(i + 2), None, "expected golden_id,segment,holdout"));
        }
        out.entry(rec[1].to_string()).or_default().insert(rec[0].to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> Result<SegmentRules, Error> {
        SegmentRules::parse(&[(PathBuf::from("rules/test.toml"), text.to_string())])
    }

    #[test]
    fn misspelt_field_is_refused_with_position_and_suggestion() {
        let text = "[[segment]]\nname = \"big\"\nwhen = \"revnue > 1000\"\n";
        let e = rules(text).unwrap_err().to_string();
        assert_eq!(e, "rules/test.toml: line 3, column 9: unknown field 'revnue'; did you mean 'revenue'?");
        let text = "[[segment]]\nname = \"big\"\nwhen = '''\n  revenue > 1000 and\n  last_order_at > 5'''\n";
        let e = rules(text).unwrap_err().to_string();
        assert!(e.starts_with("rules/test.toml: line 5, column 19: 'last_order_at' is a date field"), "{e}");
    }

    /// Issue 25: check-rules stopped at the first problem of a condition.
    #[test]
    fn every_problem_of_a_condition_is_reported() {
        let text = "[[segment]]\nname = \"x\"\nwhen = \"contry = 'NO' and revnue > 10 and country = 'Norwya' and age > 'old'\"\n";
        let e = rules(text).unwrap_err().to_string();
        assert_eq!(e.lines().count(), 4, "{e}");
        assert!(e.contains("line 3, column 9: unknown field 'contry'; did you mean 'country'?"), "{e}");
        assert!(e.contains("line 3, column 27: unknown field 'revnue'; did you mean 'revenue'?"), "{e}");
        assert!(e.contains("line 3, column 53: segment 'x', field 'country': unknown country 'Norwya'"), "{e}");
        assert!(
            e.contains("line 3, column 72: 'age' is a number field and cannot be compared with the text \"old\""),
            "{e}"
        );
        // A syntax error still ends the condition, after the problems before it.
        let text = "[[segment]]\nname = \"x\"\nwhen = \"contry = 'NO' and and age > 3\"\n";
        let e = rules(text).unwrap_err().to_string();
        assert_eq!(e.lines().count(), 2, "{e}");
        assert!(e.contains("expected a field name after 'and'"), "{e}");
    }

    #[test]
    fn references_groups_and_every_problem_at_once() {
        let text = "[[segment]]\nname = \"a\"\nwhen = \"segment 'nope'\"\n[[segment]]\nname = \"B\"\nwhen = \"age > 3\"\nrequire_consent = \"pigeon\"\n";
        let e = rules(text).unwrap_err().to_string();
        assert_eq!(e.lines().count(), 3, "{e}");
        assert!(e.contains("line 3, column 17: unknown segment 'nope'"), "{e}");
        assert!(e.contains("segment name 'B' must use only"), "{e}");
        assert!(e.contains("line 7, column 19: unknown consent channel 'pigeon'"), "{e}");
    }

    #[test]
    fn exclusive_groups_take_the_first_by_priority_and_references_see_the_result() {
        let text = r#"
[[segment]]
name = "low"
when = "revenue >= 0"
priority = 2
exclusive_group = "value"
require_consent = "none"
[[segment]]
name = "high"
when = "revenue >= 100"
priority = 1
exclusive_group = "value"
require_consent = "none"
[[segment]]
name = "not_high"
when = "not segment 'high'"
require_consent = "none"
"#;
        let r = rules(text).unwrap();
        let s = schema();
        let rev = s.get("revenue").unwrap();
        let rec = |v: f64| {
            let mut values = vec![None; s.names.len()];
            values[rev] = Some(Value::Number(v));
            values
        };
        let records = [rec(50.0), rec(500.0)];
        let out = r.assign(
            &|g| records[g].clone(),
            &[false, false],
            &[values::Channels::default(); 2],
            &["G1", "G2"],
            Date::new(2026, 1, 1).unwrap(),
        );
        let names = |g: usize| out[g].iter().map(|&(i, _)| r.segments[i].name.as_str()).collect::<Vec<_>>();
        assert_eq!(names(0), vec!["low", "not_high"]);
        assert_eq!(names(1), vec!["high"]);
    }

    #[test]
    fn consent_and_stale_filter_members() {
        let text = "[[segment]]\nname = \"all\"\nwhen = \"member_count >= 1\"\n[[segment]]\nname = \"with_stale\"\nwhen = \"member_count >= 1\"\ninclude_stale = true\nrequire_consent = \"sms\"\n";
        let r = rules(text).unwrap();
        let s = schema();
        let mut v = vec![None; s.names.len()];
        v[s.get("member_count").unwrap()] = Some(Value::Number(1.0));
        // (stale, (email consent, sms consent))
        let out = r.assign(
            &|_| v.clone(),
            &[false, true, false],
            &[(true, true), (true, true), (false, true)].map(values::Channels::from),
            &["G0", "G1", "G2"],
            Date::new(2026, 1, 1).unwrap(),
        );
        let names = |g: usize| out[g].iter().map(|&(i, _)| r.segments[i].name.as_str()).collect::<Vec<_>>();
        assert_eq!(names(0), vec!["all", "with_stale"]);
        assert_eq!(names(1), vec!["with_stale"]);
        assert_eq!(names(2), vec!["with_stale"]);
    }

    /// Issue 25: calls, fax and post are channels a segment may require, each by its own consent.
    #[test]
    fn phone_fax_and_post_segments_need_their_own_consent() {
        let text = "[[segment]]\nname = \"calls\"\nwhen = \"member_count >= 1\"\nrequire_consent = \"phone\"\n\
                    [[segment]]\nname = \"faxes\"\nwhen = \"member_count >= 1\"\nrequire_consent = \"fax\"\n\
                    [[segment]]\nname = \"letters\"\nwhen = \"member_count >= 1\"\nrequire_consent = \"post\"\n";
        let r = rules(text).unwrap();
        assert_eq!(r.segments.iter().map(|s| s.require_consent.name()).collect::<Vec<_>>(), ["phone", "fax", "post"]);
        let s = schema();
        let mut v = vec![None; s.names.len()];
        v[s.get("member_count").unwrap()] = Some(Value::Number(1.0));
        let channels = [
            values::Channels { phone: true, post: true, ..Default::default() },
            values::Channels { email: true, sms: true, fax: true, ..Default::default() },
            values::Channels::email_sms(true, true),
        ];
        let out = r.assign(&|_| v.clone(), &[false; 3], &channels, &["G0", "G1", "G2"], Date::new(2026, 1, 1).unwrap());
        let names = |g: usize| out[g].iter().map(|&(i, _)| r.segments[i].name.as_str()).collect::<Vec<_>>();
        assert_eq!(names(0), vec!["calls", "letters"]);
        assert_eq!(names(1), vec!["faxes"]);
        assert!(names(2).is_empty(), "e-mail and SMS consent open no other channel");
    }

    /// Issue 25: `country = 'Norway'` matched nobody (countries are stored as `NO`), silently.
    #[test]
    fn coded_fields_take_the_names_people_write() {
        let text = "[[segment]]\nname = \"norway\"\nwhen = \"country = 'Norway' or country in ['Sverige', 'dk']\"\nrequire_consent = \"none\"\n";
        let r = rules(text).unwrap();
        let s = schema();
        let rec = |c: &str| {
            let mut v = vec![None; s.names.len()];
            v[s.get("country").unwrap()] = Some(Value::Text(c.to_string()));
            v
        };
        let records = [rec("NO"), rec("SE"), rec("DK"), rec("DE")];
        let out = r.assign(
            &|g| records[g].clone(),
            &[false; 4],
            &[values::Channels::default(); 4],
            &["G0", "G1", "G2", "G3"],
            Date::new(2026, 1, 1).unwrap(),
        );
        assert_eq!(out.iter().map(|m| m.len()).collect::<Vec<_>>(), vec![1, 1, 1, 0]);
        let e = rules("[[segment]]\nname = \"norway\"\nwhen = \"country = 'Norwya'\"\n").unwrap_err().to_string();
        assert_eq!(
            e,
            "rules/test.toml: line 3, column 19: segment 'norway', field 'country': unknown country 'Norwya' (countries are stored as ISO codes); did you mean 'NO'?"
        );
    }

    #[test]
    fn an_empty_segment_says_why() {
        let text = r#"
[[segment]]
name = "rich_norwegians"
when = "country = 'Norway' and revenue > 1000000"
require_consent = "none"
[[segment]]
name = "in_industry"
when = "revenue > 0 and industry = 'Retail'"
require_consent = "none"
[[segment]]
name = "both"
when = "country = 'SE' and revenue > 100"
require_consent = "none"
[[segment]]
name = "mailable"
when = "revenue > 100"
[[segment]]
name = "full"
when = "revenue >= 0"
require_consent = "none"
"#;
        let r = rules(text).unwrap();
        let s = schema();
        let rec = |c: &str, revenue: f64| {
            let mut v = vec![None; s.names.len()];
            v[s.get("country").unwrap()] = Some(Value::Text(c.to_string()));
            v[s.get("revenue").unwrap()] = Some(Value::Number(revenue));
            v
        };
        let records = [rec("NO", 500.0), rec("SE", 50.0)];
        let values = |g: usize| records[g].clone();
        let (stale, consent) = ([false, false], [(false, false), (true, true)].map(values::Channels::from));
        let as_of = Date::new(2026, 1, 1).unwrap();
        let assignment = r.assign(&values, &stale, &consent, &["G0", "G1"], as_of);
        let why = r.why_empty(&values, &stale, &consent, &assignment, as_of);
        assert_eq!(
            why,
            vec![
                Some("no customer meets `revenue > 1000000`".to_string()),
                Some("the register has no value for 'industry' (`industry = 'Retail'`)".to_string()),
                Some("each condition matches some customers, but none meets them all".to_string()),
                Some("none of the 1 customers who meet the condition has email consent".to_string()),
                None,
            ]
        );
    }

    /// Issue 26: a segment rule reads the fields of each contact's golden account.
    #[test]
    fn account_fields_select_contacts_by_their_account() {
        use crate::merge::{GoldenField, Origin};
        let golden = |id: &str, values: &[(Field, &str)]| {
            let mut fields = vec![GoldenField { value: None, rule: "most_recent", from: Origin::Nobody }; Field::COUNT];
            for &(f, v) in values {
                fields[f.index()] =
                    GoldenField { value: Some(v.to_string()), rule: "most_recent", from: Origin::One(0) };
            }
            Golden::new(id.into(), vec![0], &fields, vec![], vec![], 0)
        };
        use Field::*;
        let goldens = vec![
            golden("G1", &[(Company, "Nordlys Data AS"), (Industry, "IT"), (Employees, "120"), (Country, "NO")]),
            golden("G2", &[(Company, "Kodeverket AS"), (Industry, "IT"), (Employees, "12"), (Country, "NO")]),
            golden("G3", &[(Company, "Bygg AS"), (Industry, "Construction"), (Employees, "60")]),
            golden("G4", &[(FirstName, "Kari"), (Company, "Nordlys Data"), (Industry, "Retail")]),
            golden("G5", &[(FirstName, "Jonas"), (Company, "Kodeverket"), (Employees, "500")]),
            golden("G6", &[(FirstName, "Siri"), (Company, "Bygg")]),
            golden("G7", &[(FirstName, "Lars"), (Industry, "IT"), (Employees, "900")]),
        ];
        let accounts = crate::merge::accounts::link(&goldens);
        let text = r#"
[[segment]]
name = "it"
when = "account.industry = 'IT'"
require_consent = "none"
[[segment]]
name = "large_it"
when = "account.industry = 'it' and account.employees >= 50 and account.country = 'Norway'"
require_consent = "none"
[[segment]]
name = "no_account"
when = "not account.company is set"
require_consent = "none"
"#;
        let r = rules(text).unwrap();
        let stale = vec![Vec::new(); goldens.len()];
        let households = crate::household::Households::default();
        let drawn = draw::draw(&r, &goldens, &stale, &accounts, &households, Date::new(2026, 1, 1).unwrap(), None, &[]);
        let members = |name: &str| -> Vec<&str> {
            let s = r.segments.iter().position(|s| s.name == name).unwrap();
            (0..goldens.len())
                .filter(|&g| drawn.assignment[g].iter().any(|&(i, _)| i == s))
                .map(|g| goldens[g].golden_id.as_str())
                .collect()
        };
        // Kari's own industry and Jonas's own head count do not count: their accounts' do. Lars
        // has no account, so `account.x` is missing for him, and so it is for the accounts.
        assert_eq!(members("it"), ["G4", "G5"]);
        assert_eq!(members("large_it"), ["G4"]);
        assert_eq!(members("no_account"), ["G1", "G2", "G3", "G7"]);
        // Account fields are checked like the fields themselves, every problem at once.
        let e = rules(
            "[[segment]]\nname = \"x\"\nwhen = \"account.industy = 'IT' and account.employees > 'many' and account.country = 'Norwya' and account.age > 3\"\n",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(e.lines().count(), 4, "{e}");
        assert!(
            e.contains("line 3, column 9: unknown field 'account.industy'; did you mean 'account.industry'?"),
            "{e}"
        );
        assert!(
            e.contains("'account.employees' is a number field and cannot be compared with the text \"many\""),
            "{e}"
        );
        assert!(e.contains("segment 'x', field 'account.country': unknown country 'Norwya'"), "{e}");
        assert!(e.contains("unknown field 'account.age'"), "{e}");
    }

    #[test]
    fn holdout_is_stable_and_near_its_share() {
        let text =
            "[[segment]]\nname = \"ab\"\nwhen = \"member_count >= 1\"\nholdout_percent = 10\nsalt = \"2026-q4\"\n";
        let r = rules(text).unwrap();
        let seg = &r.segments[0];
        let ids: Vec<String> = (0..20_000).map(|i| format!("G{i:012x}")).collect();
        let held: Vec<bool> = ids.iter().map(|id| in_holdout(seg, id)).collect();
        let share = held.iter().filter(|&&h| h).count() as f64 / ids.len() as f64;
        assert!((share - 0.10).abs() < 0.01, "{share}");
        let again: Vec<bool> = ids.iter().map(|id| in_holdout(seg, id)).collect();
        assert_eq!(held, again);
        let mut other = seg.clone();
        other.salt = "another test".into();
        assert_ne!(held, ids.iter().map(|id| in_holdout(&other, id)).collect::<Vec<_>>(), "the salt keys the hash");
    }
}
