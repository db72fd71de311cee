//! Survivorship rules: which member's value each golden field takes, as declared in
//! `rules/survivorship.toml`.
//!
//! The rule file is data that a CRM administrator edits; it is parsed into `RawRules` (syntax
//! and known keys only) and checked into `Survivorship` (every field and rule name known, each
//! rule fitting its field's kind, no field claimed twice). Every problem is reported at once with
//! file, line and column and the nearest valid name.
//!
//! Golden accounts (golden records that are organisations) may choose some fields by rules of
//! their own (`[accounts]`): a company's revenue or head count is one figure of the company,
//! not a sum over the rows that describe it. `Survivorship::accounts` holds the rules with
//! those overrides applied; `Survivorship::for_kind` picks the rules of a golden record.

use crate::diagnostics::unknown_name;
use crate::error::Error;
use crate::field::{Field, Kind};
use crate::normalise::entity::EntityKind;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

/// The default rule file, shipped in `rules/` and built in so that a run without `--rules`
/// behaves exactly like one with the shipped folder.
pub const DEFAULT_RULES: &str = include_str!("../../rules/survivorship.toml");

/// A survivorship rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    MostRecent,
    OldestMember,
    MostFrequent,
    MostComplete,
    SourcePriority(Vec<String>),
    Earliest,
    Latest,
    Sum,
    Max,
    Min,
    AnyTrue,
    AllTrue,
    BounceOfChosenEmail,
}

const RULE_NAMES: [&str; 13] = [
    "most_recent",
    "oldest_member",
    "most_frequent",
    "most_complete",
    "source_priority",
    "earliest",
    "latest",
    "sum",
    "max",
    "min",
    "any_true",
    "all_true",
    "bounce_of_chosen_email",
];

impl Rule {
    pub fn name(&self) -> &'static str {
        match self {
            Rule::MostRecent => "most_recent",
            Rule::OldestMember => "oldest_member",
            Rule::MostFrequent => "most_frequent",
            Rule::MostComplete => "most_complete",
            Rule::SourcePriority(_) => "source_priority",
            Rule::Earliest => "earliest",
            Rule::Latest => "latest",
            Rule::Sum => "sum",
            Rule::Max => "max",
            Rule::Min => "min",
            Rule::AnyTrue => "any_true",
            Rule::AllTrue => "all_true",
            Rule::BounceOfChosenEmail => "bounce_of_chosen_email",
        }
    }

    fn parse(name: &str, priority: Option<Vec<String>>) -> Result<Rule, String> {
        Ok(match name {
            "most_recent" => Rule::MostRecent,
            "oldest_member" => Rule::OldestMember,
            "most_frequent" => Rule::MostFrequent,
            "most_complete" => Rule::MostComplete,
            "source_priority" => match priority {
                Some(p) if !p.is_empty() => Rule::SourcePriority(p),
                _ => return Err("source_priority needs a `priority` list of source file names".into()),
            },
            "earliest" => Rule::Earliest,
            "latest" => Rule::Latest,
            "sum" => Rule::Sum,
            "max" => Rule::Max,
            "min" => Rule::Min,
            "any_true" => Rule::AnyTrue,
            "all_true" => Rule::AllTrue,
            "bounce_of_chosen_email" => Rule::BounceOfChosenEmail,
            other => return Err(unknown_name("rule", other, &RULE_NAMES)),
        })
    }

    /// Why this rule cannot apply to a field of this kind, if it cannot.
    fn misfit(&self, field: Field) -> Option<String> {
        let kind = field.kind();
        let numeric = matches!(kind, Kind::Count | Kind::Money);
        let ok = match self {
            Rule::Sum => numeric,
            Rule::Max | Rule::Min => numeric || kind == Kind::Date,
            Rule::Earliest | Rule::Latest => kind == Kind::Date,
            Rule::AnyTrue | Rule::AllTrue => kind == Kind::Bool,
            Rule::BounceOfChosenEmail => field == Field::EmailBounced,
            _ => true,
        };
        (!ok).then(|| format!("rule '{}' does not fit field '{}' (a {:?} field)", self.name(), field.name(), kind))
    }
}

/// Fields chosen together from one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub fields: Vec<Field>,
    pub rule: Rule,
}

/// The validated survivorship rules.
#[derive(Debug, Clone)]
pub struct Survivorship {
    pub default: Rule,
    /// Pass-through columns come from the member chosen for this group (or field).
    pub passthrough: String,
    pub groups: Vec<Group>,
    pub fields: BTreeMap<Field, Rule>,
    /// Which member of one source is the master in merge_map.csv (`[master] rule`).
    pub master: MasterRule,
    /// The rule file's text, hashed into the report.
    pub source_text: String,
    /// The rules of golden accounts: these rules with the file's `[accounts]` groups and fields
    /// in place of the ones they name (`None` when the file has no `[accounts]`).
    pub accounts: Option<Box<Survivorship>>,
}

/// The fields that decide whether a golden record is an account (`normalise::entity`): they
/// are chosen by the same rules for every record, so `[accounts]` may not name them.
const KIND_FIELDS: [Field; 5] = [Field::FirstName, Field::LastName, Field::FullName, Field::Company, Field::OrgNumber];

/// How merge_map.csv picks, among one golden record's members from one source, the record the
/// others are merged into in that source's CRM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MasterRule {
    /// The member with the most usable cleaned values (the default).
    #[default]
    MostComplete,
    /// The member created first (`created_at`).
    Oldest,
    /// The member with the latest activity (`last_activity_at`, then `created_at`).
    MostRecent,
}

impl MasterRule {
    pub fn name(self) -> &'static str {
        match self {
            MasterRule::MostComplete => "most_complete",
            MasterRule::Oldest => "oldest",
            MasterRule::MostRecent => "most_recent",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMaster {
    rule: Spanned<String>,
}

impl Default for Survivorship {
    fn default() -> Self {
        Survivorship::parse(DEFAULT_RULES, Path::new("rules/survivorship.toml")).expect("the shipped rules are valid")
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    default: Spanned<String>,
    passthrough: Option<Spanned<String>>,
    #[serde(default)]
    groups: BTreeMap<String, RawGroup>,
    /// A rule name, or a table `{ rule = "...", priority = [...] }`.
    #[serde(default)]
    fields: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    master: Option<RawMaster>,
    accounts: Option<RawAccounts>,
}

/// `[accounts]`: what golden accounts choose differently.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccounts {
    passthrough: Option<Spanned<String>>,
    #[serde(default)]
    groups: BTreeMap<String, RawGroup>,
    #[serde(default)]
    fields: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    fields: Vec<Spanned<String>>,
    rule: Spanned<String>,
    priority: Option<Vec<String>>,
}

impl Survivorship {
    /// Loads `DIR/survivorship.toml` when present, else the built-in default.
    pub fn load_from_dir(dir: &Path) -> Result<Survivorship, Error> {
        match crate::diagnostics::read_rule_file(dir, "survivorship.toml")? {
            Some((path, text)) => Survivorship::parse(&text, &path),
            None => Ok(Survivorship::default()),
        }
    }

    pub fn parse(text: &str, path: &Path) -> Result<Survivorship, Error> {
        let raw: RawRules = crate::diagnostics::parse_toml(text, path)?;
        let mut problems = crate::diagnostics::Problems::new(path, text);
        let default =
            rule_at(raw.default.get_ref(), raw.default.span().start, None, &mut problems).unwrap_or(Rule::MostRecent);
        let mut claimed: BTreeMap<Field, String> = BTreeMap::new();
        let groups = parse_groups(&raw.groups, "", &[], &mut claimed, &mut problems);
        let fields = parse_fields(&raw.fields, &[], &mut claimed, &mut problems);
        let passthrough = match &raw.passthrough {
            Some(p) => check_passthrough(p, &groups, &mut problems),
            None => "name".into(),
        };
        let master = match &raw.master {
            None => MasterRule::default(),
            Some(m) => match m.rule.get_ref().as_str() {
                "most_complete" => MasterRule::MostComplete,
                "oldest" => MasterRule::Oldest,
                "most_recent" => MasterRule::MostRecent,
                other => {
                    let names = ["most_complete", "oldest", "most_recent"];
                    problems.at(m.rule.span().start, &unknown_name("master rule", other, &names));
                    MasterRule::default()
                }
            },
        };
        let mut rules = Survivorship {
            default,
            passthrough,
            groups,
            fields,
            master,
            source_text: text.to_string(),
            accounts: None,
        };
        if let Some(a) = &raw.accounts {
            let mut claimed = BTreeMap::new();
            let groups = parse_groups(&a.groups, "[accounts] ", &KIND_FIELDS, &mut claimed, &mut problems);
            let fields = parse_fields(&a.fields, &KIND_FIELDS, &mut claimed, &mut problems);
            let mut accounts = rules.clone();
            // What [accounts] names leaves the shared groups and fields.
            let named: Vec<Field> = claimed.keys().copied().collect();
            for g in &mut accounts.groups {
                g.fields.retain(|f| !named.contains(f));
            }
            accounts.groups.retain(|g| !g.fields.is_empty());
            accounts.fields.retain(|f, _| !named.contains(f));
            accounts.groups.extend(groups);
            accounts.fields.extend(fields);
            if let Some(p) = &a.passthrough {
                accounts.passthrough = check_passthrough(p, &accounts.groups, &mut problems);
            }
            rules.accounts = Some(Box::new(accounts));
        }
        problems.finish(rules)
    }

    /// The rules of a golden record of this kind: an organisation's (a golden account's) are
    /// [`Survivorship::accounts`] when the file has `[accounts]`.
    pub fn for_kind(&self, kind: EntityKind) -> &Survivorship {
        match (&self.accounts, kind.is_organisation()) {
            (Some(a), true) => a,
            _ => self,
        }
    }

    /// The rule for a field that is in no group.
    pub fn rule_for(&self, field: Field) -> &Rule {
        self.fields.get(&field).unwrap_or(&self.default)
    }

    /// The name of the rule that decides a field: its group's rule, else its own.
    pub fn rule_name(&self, field: Field) -> &'static str {
        self.group_of(field).map(|g| g.rule.name()).unwrap_or_else(|| self.rule_for(field).name())
    }

    /// The group a field belongs to, if any.
    pub fn group_of(&self, field: Field) -> Option<&Group> {
        self.groups.iter().find(|g| g.fields.contains(&field))
    }
}

fn rule_at(
    name: &str,
    offset: usize,
    priority: Option<Vec<String>>,
    problems: &mut crate::diagnostics::Problems,
) -> Option<Rule> {
    Rule::parse(name, priority)
        .map_err(|m| {
            problems.at(offset, &m);
        })
        .ok()
}

/// A field named in a group or `[fields]`: known, not one of `forbidden` (the fields that
/// decide an account, in `[accounts]`), and claimed once; `by` says where it was claimed.
fn claim(
    name: &Spanned<String>,
    forbidden: &[Field],
    by: String,
    claimed: &mut BTreeMap<Field, String>,
    problems: &mut crate::diagnostics::Problems,
) -> Option<Field> {
    let at = name.span().start;
    let Some(field) = Field::from_name(name.get_ref()) else {
        let field_names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
        problems.at(at, &unknown_name("field", name.get_ref(), &field_names));
        return None;
    };
    if forbidden.contains(&field) {
        let message = format!(
            "field '{}' decides whether a golden record is an account, so [accounts] cannot choose it",
            field.name()
        );
        problems.at(at, &message);
        return None;
    }
    if let Some(other) = claimed.insert(field, by) {
        problems.at(at, &format!("field '{}' is already in {other}", field.name()));
    }
    Some(field)
}

/// The groups of `[groups]` (or `[accounts.groups]`, `scope` naming it in problems).
fn parse_groups(
    raw: &BTreeMap<String, RawGroup>,
    scope: &str,
    forbidden: &[Field],
    claimed: &mut BTreeMap<Field, String>,
    problems: &mut crate::diagnostics::Problems,
) -> Vec<Group> {
    let mut groups = Vec::new();
    for (name, g) in raw {
        let Some(rule) = rule_at(g.rule.get_ref(), g.rule.span().start, g.priority.clone(), problems) else {
            continue;
        };
        let fields: Vec<Field> =
            g.fields.iter().filter_map(|f| claim(f, forbidden, format!("group '{name}'"), claimed, problems)).collect();
        for &f in &fields {
            if let Some(m) = rule.misfit(f) {
                problems.whole(&format!("{scope}group '{name}': {m}"));
            }
        }
        if !fields.is_empty() {
            groups.push(Group { name: name.clone(), fields, rule });
        }
    }
    groups
}

/// The rules of `[fields]` (or `[accounts.fields]`).
fn parse_fields(
    raw: &BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    forbidden: &[Field],
    claimed: &mut BTreeMap<Field, String>,
    problems: &mut crate::diagnostics::Problems,
) -> BTreeMap<Field, Rule> {
    let mut fields = BTreeMap::new();
    for (key, raw_rule) in raw {
        let Some(field) = Field::from_name(key.get_ref()) else {
            let field_names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
            problems.at(key.span().start, &unknown_name("field", key.get_ref(), &field_names));
            continue;
        };
        let offset = raw_rule.span().start;
        let (name, priority) = match raw_rule.get_ref() {
            toml::Value::String(n) => (n.clone(), None),
            toml::Value::Table(t) => {
                let name = t.get("rule").and_then(|v| v.as_str()).unwrap_or("").to_string();
                let priority = t
                    .get("priority")
                    .and_then(|v| v.as_array())
                    .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect::<Vec<_>>());
                if let Some(k) = t.keys().find(|k| !matches!(k.as_str(), "rule" | "priority")) {
                    problems.at(offset, &unknown_name("key", k, &["rule", "priority"]));
                }
                (name, priority)
            }
            _ => {
                problems.at(offset, "expected a rule name or { rule = \"...\" }");
                continue;
            }
        };
        let Some(rule) = rule_at(&name, offset, priority, problems) else { continue };
        if let Some(m) = rule.misfit(field) {
            problems.at(offset, &m);
            continue;
        }
        if claim(key, forbidden, "[fields]".into(), claimed, problems).is_some() {
            fields.insert(field, rule);
        }
    }
    fields
}

/// The `passthrough` setting: a group's name or a field's.
fn check_passthrough(p: &Spanned<String>, groups: &[Group], problems: &mut crate::diagnostics::Problems) -> String {
    let v = p.get_ref();
    if groups.iter().any(|g| &g.name == v) || Field::from_name(v).is_some() {
        return v.clone();
    }
    let mut names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    names.extend(Field::ALL.iter().map(|f| f.name()));
    problems.at(p.span().start, &unknown_name("group or field", v, &names));
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_rules_parse() {
        let s = Survivorship::default();
        assert_eq!(s.rule_for(Field::Revenue), &Rule::Sum);
        assert_eq!(s.rule_for(Field::EmailConsent), &Rule::AllTrue);
        assert_eq!(s.group_of(Field::Postcode).map(|g| g.name.as_str()), Some("address"));
        assert_eq!(s.passthrough, "name");
    }

    #[test]
    fn every_problem_is_reported_with_position() {
        let text =
            "default = \"most_recnt\"\n[fields]\nrevnue = \"sum\"\nemail = \"sum\"\nsource = \"source_priority\"\n";
        let e = Survivorship::parse(text, Path::new("s.toml")).unwrap_err().to_string();
        let lines: Vec<&str> = e.lines().collect();
        assert_eq!(lines.len(), 4, "{e}");
        assert!(e.contains("s.toml: line 1, column 11: unknown rule 'most_recnt'; did you mean 'most_recent'?"), "{e}");
        assert!(e.contains("s.toml: line 3, column 1: unknown field 'revnue'; did you mean 'revenue'?"), "{e}");
        assert!(e.contains("s.toml: line 4, column 9: rule 'sum' does not fit field 'email'"), "{e}");
        assert!(e.contains("line 5, column 10: source_priority needs a `priority` list"), "{e}");
    }

    #[test]
    fn accounts_have_rules_of_their_own() {
        let s = Survivorship::default();
        let accounts = s.for_kind(EntityKind::Organisation);
        assert_eq!(s.rule_name(Field::Revenue), "sum");
        assert_eq!(accounts.rule_name(Field::Revenue), "most_recent");
        assert_eq!(accounts.group_of(Field::Currency).map(|g| g.name.as_str()), Some("figures"));
        assert_eq!(accounts.rule_for(Field::Employees), &Rule::MostRecent);
        assert_eq!(s.group_of(Field::Website).map(|g| g.name.as_str()), Some("company"));
        assert_eq!(accounts.group_of(Field::Website).map(|g| g.name.as_str()), Some("company"));
        assert_eq!(accounts.passthrough, "company");
        assert_eq!(s.for_kind(EntityKind::PersonAtOrganisation).rule_name(Field::Revenue), "sum");
        // What decides an account cannot be chosen differently for accounts; everything else
        // is checked as in the shared rules.
        let text = "default = \"most_recent\"\n[accounts.fields]\ncompany = \"most_complete\"\nemail = \"sum\"\nrevnue = \"max\"\n[accounts.groups.x]\nfields = [\"org_number\"]\nrule = \"most_recent\"\n";
        let e = Survivorship::parse(text, Path::new("s.toml")).unwrap_err().to_string();
        assert!(e.contains("line 3, column 1: field 'company' decides whether a golden record is an account"), "{e}");
        assert!(e.contains("line 4, column 9: rule 'sum' does not fit field 'email'"), "{e}");
        assert!(e.contains("line 5, column 1: unknown field 'revnue'; did you mean 'revenue'?"), "{e}");
        assert!(e.contains("line 7, column 11: field 'org_number' decides"), "{e}");
    }

    #[test]
    fn a_field_cannot_be_claimed_twice() {
        let text = "default = \"most_recent\"\n[groups.a]\nfields = [\"city\"]\nrule = \"most_recent\"\n[fields]\ncity = \"most_frequent\"\n";
        let e = Survivorship::parse(text, Path::new("s.toml")).unwrap_err().to_string();
        assert!(e.contains("field 'city' is already in group 'a'"), "{e}");
    }
}
