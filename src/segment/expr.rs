//! The condition language of segment rules, small enough for a marketer to read:
//!
//! ```text
//! country in ["NO", "SE"] and age between 25 and 40
//! rfm_recency >= 4 and not segment "test_group"
//! last_order_at within 90 days
//! last_activity_at between 30 and 90 days ago
//! any(email ends_with "@gmail.com", city = "Oslo") and company is set
//! interests has "hiking" and interests has any ["running", "cycling"]
//! ```
//!
//! Why our own parser and not an embedded engine: every error must point at the line and column
//! in the rule file, name the field and suggest the nearest valid one, and type errors (a date
//! compared with a number) must be caught before any data is read. The grammar is tiny:
//!
//! ```text
//! expr    := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "not" unary | primary
//! primary := "(" expr ")" | ("all" | "any") "(" expr ("," expr)* ")"
//!          | "segment" STRING | test
//! test    := FIELD ("=" | "!=" | "<" | "<=" | ">" | ">=") value
//!          | FIELD "is" ["not"] "set"
//!          | FIELD ["not"] "in" "[" value ("," value)* "]"
//!          | FIELD ("contains" | "starts_with" | "ends_with" | "matches") STRING
//!          | FIELD "between" value "and" value                     (numbers, or dates)
//!          | FIELD "within" NUMBER UNIT                             (a date in the last N units)
//!          | FIELD "between" NUMBER "and" NUMBER UNIT "ago"         (a date N to M units ago)
//!          | FIELD "before" | "after" STRING                        (a date, `YYYY-MM-DD`)
//!          | FIELD "has" STRING                                     (a tags field holds the tag)
//!          | FIELD "has" ("any" | "all") "[" STRING ("," STRING)* "]"
//! UNIT    := "days" | "months" | "years"
//! ```
//! Text comparisons ignore case. A test on a field with no value is false (`is not set` aside).
//! A tags field (a custom field such as interests) is tested only with `has` and `is set`.
//! `account.<field>` is a field of the contact's golden account (`account.industry = "IT"`,
//! `account.employees >= 50`), typed like the field itself; it has no value for a golden record
//! without an account, accounts included.

use crate::normalise::date::Date;
use std::collections::HashMap;

/// The type of a field or value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Text,
    Number,
    Date,
    Bool,
    /// A set of labels (a custom `tags` field).
    Tags,
}

impl Type {
    fn name(self) -> &'static str {
        match self {
            Type::Text => "text",
            Type::Number => "number",
            Type::Date => "date",
            Type::Bool => "true/false",
            Type::Tags => "tags",
        }
    }
}

/// A literal in a condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
    Bool(bool),
    Date(Date),
    /// Lower-case labels, sorted.
    Tags(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextOp {
    Contains,
    StartsWith,
    EndsWith,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Days,
    Months,
    Years,
}

/// A parsed, type-checked condition.
#[derive(Debug, Clone)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Compare {
        field: usize,
        op: Cmp,
        value: Value,
    },
    IsSet {
        field: usize,
        negated: bool,
    },
    In {
        field: usize,
        values: Vec<Value>,
        negated: bool,
    },
    Text {
        field: usize,
        op: TextOp,
        needle: String,
    },
    Matches {
        field: usize,
        regex: regex::Regex,
    },
    Between {
        field: usize,
        low: Value,
        high: Value,
    },
    /// A date within the last `n` units before `--as-of` (inclusive), or between `from` and
    /// `to` units ago.
    Ago {
        field: usize,
        from: u32,
        to: u32,
        unit: Unit,
    },
    /// A tags field holds any (or, with `all`, every) of these lower-case tags.
    Has {
        field: usize,
        tags: Vec<String>,
        all: bool,
    },
    Segment(String),
}

/// A parse or type error at a byte offset of the condition text.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
}

/// The fields a condition may name, with their types, in a fixed order (the index is what
/// `Expr` stores).
pub struct Schema {
    pub names: Vec<String>,
    pub types: Vec<Type>,
    index: HashMap<String, usize>,
}

impl Schema {
    pub fn new(fields: Vec<(String, Type)>) -> Schema {
        let index = fields.iter().enumerate().map(|(i, (n, _))| (n.clone(), i)).collect();
        let (names, types) = fields.into_iter().unzip();
        Schema { names, types, index }
    }

    pub fn get(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Num(f64),
    Sym(&'static str),
}

fn lex(text: &str) -> Result<Vec<(Tok, usize)>, ParseError> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c == b'"' || c == b'\'' {
            let quote = c;
            i += 1;
            let mut s = String::new();
            loop {
                if i >= b.len() {
                    return Err(ParseError { offset: start, message: "unterminated string".into() });
                }
                if b[i] == quote {
                    i += 1;
                    break;
                }
                if b[i] == b'\\' && i + 1 < b.len() {
                    i += 1;
                }
                let ch = text[i..].chars().next().unwrap_or(' ');
                s.push(ch);
                i += ch.len_utf8();
            }
            out.push((Tok::Str(s), start));
        } else if c.is_ascii_digit() || (c == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            i += 1;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            let n = text[start..i]
                .parse::<f64>()
                .map_err(|_| ParseError { offset: start, message: format!("'{}' is not a number", &text[start..i]) })?;
            out.push((Tok::Num(n), start));
        } else if c.is_ascii_alphabetic() || c == b'_' {
            // A dot followed by a letter continues a name: `account.industry`.
            let dotted = |i: usize| b[i] == b'.' && b.get(i + 1).is_some_and(|&n| n.is_ascii_alphabetic() || n == b'_');
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || dotted(i)) {
                i += 1;
            }
            out.push((Tok::Ident(text[start..i].to_string()), start));
        } else {
            let two = text.get(i..i + 2).unwrap_or("");
            let sym = match two {
                "!=" => Some("!="),
                "<=" => Some("<="),
                ">=" => Some(">="),
                "==" => Some("="),
                _ => None,
            };
            if let Some(s) = sym {
                out.push((Tok::Sym(s), start));
                i += 2;
                continue;
            }
            let sym = match c {
                b'=' => "=",
                b'<' => "<",
                b'>' => ">",
                b'(' => "(",
                b')' => ")",
                b'[' => "[",
                b']' => "]",
                b',' => ",",
                _ => {
                    let ch = text[i..].chars().next().unwrap_or('?');
                    return Err(ParseError { offset: start, message: format!("unexpected character '{ch}'") });
                }
            };
            out.push((Tok::Sym(sym), start));
            i += 1;
        }
    }
    Ok(out)
}

/// Nesting deeper than this is refused: no marketer writes it, and it protects the parser's
/// stack from hostile rule files.
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    end: usize,
    schema: &'a Schema,
    depth: usize,
    /// Segment names referenced, with their offsets, for the caller to check.
    segments: Vec<(String, usize)>,
    /// The segment the condition belongs to, named in vocabulary errors.
    rule: &'a str,
    /// Byte ranges of the parts of the last `and` chain read outside parentheses.
    top_and: Vec<(usize, usize)>,
    /// Problems found so far that do not stop the parse (an unknown field, a value of the wrong
    /// type, a word a coded field does not know), so that every one is reported at once.
    problems: Vec<ParseError>,
}

/// A parsed condition with what its checks and explanations need.
pub struct Parsed {
    pub expr: Expr,
    /// Segments referenced, with their offsets, for the caller to check.
    pub segments: Vec<(String, usize)>,
    /// The text of each top-level AND condition (the whole condition when it is not an AND), in
    /// order; `Expr::And`'s parts when there are two or more.
    pub conditions: Vec<String>,
}

/// Parses and type-checks a condition. Returns the expression and the segments it references.
pub fn parse(text: &str, schema: &Schema) -> Result<(Expr, Vec<(String, usize)>), ParseError> {
    parse_rule(text, schema, "").map(|p| (p.expr, p.segments))
}

/// [`parse`] for the condition of segment `rule`, which errors about a coded field's words name.
/// Gives the first problem only; [`parse_rule_all`] gives every one.
pub fn parse_rule(text: &str, schema: &Schema, rule: &str) -> Result<Parsed, ParseError> {
    parse_rule_all(text, schema, rule).map_err(|mut problems| problems.swap_remove(0))
}

/// [`parse_rule`] reporting every problem of the condition, in text order: an unknown field, a
/// value of the wrong type or an unknown word of a coded field is noted and the parse goes on
/// (an unknown field's type is guessed from what it is compared with); a syntax error ends it.
pub fn parse_rule_all(text: &str, schema: &Schema, rule: &str) -> Result<Parsed, Vec<ParseError>> {
    let toks = lex(text).map_err(|e| vec![e])?;
    let mut p = Parser {
        toks,
        pos: 0,
        end: text.len(),
        schema,
        depth: 0,
        segments: Vec::new(),
        rule,
        top_and: Vec::new(),
        problems: Vec::new(),
    };
    if p.toks.is_empty() {
        return Err(vec![ParseError { offset: 0, message: "empty condition".into() }]);
    }
    let parsed = p.or().and_then(|e| {
        if p.pos < p.toks.len() { Err(p.error_here("expected 'and', 'or' or the end of the condition")) } else { Ok(e) }
    });
    let e = match parsed {
        Ok(e) if p.problems.is_empty() => e,
        Ok(_) => return Err(p.problems),
        Err(hard) => {
            let mut problems = p.problems;
            problems.push(hard);
            problems.sort_by_key(|e| e.offset);
            return Err(problems);
        }
    };
    let conditions = match &e {
        Expr::And(parts) if p.top_and.len() == parts.len() => {
            p.top_and.iter().map(|&(a, b)| text[a..b].trim().to_string()).collect()
        }
        _ => vec![text.trim().to_string()],
    };
    Ok(Parsed { expr: e, segments: p.segments, conditions })
}

impl Parser<'_> {
    fn offset(&self) -> usize {
        self.toks.get(self.pos).map(|t| t.1).unwrap_or(self.end)
    }

    fn error_here(&self, message: &str) -> ParseError {
        let found = match self.toks.get(self.pos) {
            Some((Tok::Ident(s), _)) => format!("'{s}'"),
            Some((Tok::Str(s), _)) => format!("\"{s}\""),
            Some((Tok::Num(n), _)) => format!("{n}"),
            Some((Tok::Sym(s), _)) => format!("'{s}'"),
            None => "the end".into(),
        };
        ParseError { offset: self.offset(), message: format!("{message}, found {found}") }
    }

    fn peek_word(&self, w: &str) -> bool {
        matches!(self.toks.get(self.pos), Some((Tok::Ident(s), _)) if s.eq_ignore_ascii_case(w))
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if self.peek_word(w) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_sym(&mut self, s: &str) -> bool {
        if matches!(self.toks.get(self.pos), Some((Tok::Sym(x), _)) if *x == s) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect_sym(&mut self, s: &str) -> Result<(), ParseError> {
        if self.eat_sym(s) { Ok(()) } else { Err(self.error_here(&format!("expected '{s}'"))) }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError {
                offset: self.offset(),
                message: format!("condition nested deeper than {MAX_DEPTH} levels"),
            });
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        self.enter()?;
        let mut parts = vec![self.and()?];
        while self.eat_word("or") {
            parts.push(self.and()?);
        }
        self.depth -= 1;
        Ok(if parts.len() == 1 { parts.pop().expect("one part") } else { Expr::Or(parts) })
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let top = self.depth == 1;
        let mut spans = Vec::new();
        let start = self.offset();
        let mut parts = vec![self.unary()?];
        spans.push((start, self.offset()));
        while self.eat_word("and") {
            let start = self.offset();
            parts.push(self.unary()?);
            spans.push((start, self.offset()));
        }
        if top {
            self.top_and = spans;
        }
        Ok(if parts.len() == 1 { parts.pop().expect("one part") } else { Expr::And(parts) })
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.eat_word("not") {
            self.enter()?;
            let e = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(e)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        if self.eat_sym("(") {
            let e = self.or()?;
            self.expect_sym(")")?;
            return Ok(e);
        }
        for (word, all) in [("all", true), ("any", false)] {
            if self.peek_word(word) && matches!(self.toks.get(self.pos + 1), Some((Tok::Sym("("), _))) {
                self.pos += 2;
                let mut parts = vec![self.or()?];
                while self.eat_sym(",") {
                    parts.push(self.or()?);
                }
                self.expect_sym(")")?;
                return Ok(if all { Expr::And(parts) } else { Expr::Or(parts) });
            }
        }
        if self.peek_word("segment") && matches!(self.toks.get(self.pos + 1), Some((Tok::Str(_), _))) {
            self.pos += 1;
            let (Tok::Str(name), at) = self.toks[self.pos].clone() else { unreachable!("checked above") };
            self.pos += 1;
            self.segments.push((name.clone(), at));
            return Ok(Expr::Segment(name));
        }
        self.test()
    }

    /// The field at the current token: its schema index, type and name. An unknown field is
    /// noted as a problem and read on with the type its comparison suggests ([`Parser::guess`]).
    fn field(&mut self) -> Result<(usize, Type, String), ParseError> {
        match self.toks.get(self.pos).cloned() {
            Some((Tok::Ident(name), at)) => match self.schema.get(&name) {
                Some(i) => {
                    self.pos += 1;
                    Ok((i, self.schema.types[i], name))
                }
                // A keyword where a field belongs (`and and`, `or and`) is a doubled or missing
                // word, not a misspelt field: suggesting the nearest field ('age') misleads.
                None if ["and", "or", "not"].iter().any(|k| name.eq_ignore_ascii_case(k)) => {
                    let after = match self.pos.checked_sub(1).and_then(|p| self.toks.get(p)) {
                        Some((Tok::Ident(w), _)) => format!(" after '{w}'"),
                        _ => String::new(),
                    };
                    Err(ParseError {
                        offset: at,
                        message: format!("expected a field name{after}, found the keyword '{name}'"),
                    })
                }
                None => {
                    let names: Vec<&str> = self.schema.names.iter().map(String::as_str).collect();
                    let message = crate::diagnostics::unknown_name("field", &name, &names);
                    self.problems.push(ParseError { offset: at, message });
                    self.pos += 1;
                    Ok((0, self.guess(), name))
                }
            },
            _ => Err(self.error_here("expected a field name")),
        }
    }

    /// The type an unknown field is read on with, from the test that follows it: a tags test,
    /// a date test, a text test, or the type of the value it is compared with.
    fn guess(&self) -> Type {
        let tok = |k: usize| self.toks.get(self.pos + k).map(|t| &t.0);
        let of_value = |t: Option<&Tok>| match t {
            Some(Tok::Num(_)) => Type::Number,
            Some(Tok::Ident(w)) if w == "true" || w == "false" => Type::Bool,
            _ => Type::Text,
        };
        match tok(0) {
            Some(Tok::Ident(w)) => match w.as_str() {
                "has" => Type::Tags,
                "within" | "before" | "after" => Type::Date,
                "between" => match tok(1) {
                    Some(Tok::Num(_)) if (2..6).any(|k| matches!(tok(k), Some(Tok::Ident(w)) if w == "ago")) => {
                        Type::Date
                    }
                    Some(Tok::Str(s)) if Date::parse_iso(s).is_some() => Type::Date,
                    t => of_value(t),
                },
                "in" => of_value(tok(2)),
                "not" => of_value(tok(3)),
                _ => Type::Text,
            },
            Some(Tok::Sym(_)) => of_value(tok(1)),
            _ => Type::Text,
        }
    }

    /// Notes that `what` needs a field of one of the `want` types, unless `ty` is one.
    fn need(&mut self, ty: Type, name: &str, at: usize, want: &[Type], what: &str) {
        if !want.contains(&ty) {
            let message = format!(
                "'{name}' is a {} field; '{what}' needs a {} field",
                ty.name(),
                want.iter().map(|t| t.name()).collect::<Vec<_>>().join(" or ")
            );
            self.problems.push(ParseError { offset: at, message });
        }
    }

    /// A literal value compared with a field (`=`, `in`), checked against the field's type; a
    /// coded field (country, gender, consent) takes the words people write for its codes.
    fn value(&mut self, ty: Type, field: &str) -> Result<Value, ParseError> {
        let at = self.offset();
        let tok = self.toks.get(self.pos).cloned();
        if let Some(Tok::Str(s)) = tok.as_ref().map(|t| &t.0)
            && matches!(ty, Type::Text | Type::Bool)
            && let Some(coded) = super::vocabulary::code(field.strip_prefix(super::ACCOUNT_PREFIX).unwrap_or(field), s)
        {
            return match coded {
                Ok(v) => {
                    self.pos += 1;
                    Ok(v)
                }
                Err(message) => {
                    let rule = if self.rule.is_empty() { String::new() } else { format!("segment '{}', ", self.rule) };
                    self.problems.push(ParseError { offset: at, message: format!("{rule}field '{field}': {message}") });
                    self.pos += 1;
                    Ok(Value::Text(s.clone()))
                }
            };
        }
        self.literal(ty, field)
    }

    /// A literal value as written, checked against the field's type.
    fn literal(&mut self, ty: Type, field: &str) -> Result<Value, ParseError> {
        let at = self.offset();
        let tok = self.toks.get(self.pos).cloned();
        let v = match (tok.map(|t| t.0), ty) {
            (Some(Tok::Num(n)), Type::Number) => Value::Number(n),
            (Some(Tok::Str(s)), Type::Text) => Value::Text(s),
            (Some(Tok::Ident(w)), Type::Bool) if w == "true" || w == "false" => Value::Bool(w == "true"),
            (Some(Tok::Str(s)), Type::Date) => match Date::parse_iso(&s) {
                Some(d) => Value::Date(d),
                None => {
                    let message = format!("'{s}' is not a date, expected \"YYYY-MM-DD\"");
                    self.problems.push(ParseError { offset: at, message });
                    Value::Text(s)
                }
            },
            (Some(Tok::Num(n)), other) => {
                let message = format!("'{field}' is a {} field and cannot be compared with a number", other.name());
                self.problems.push(ParseError { offset: at, message });
                Value::Number(n)
            }
            (Some(Tok::Str(s)), other) => {
                let message =
                    format!("'{field}' is a {} field and cannot be compared with the text \"{s}\"", other.name());
                self.problems.push(ParseError { offset: at, message });
                Value::Text(s)
            }
            _ => return Err(self.error_here(&format!("expected a {} value for '{field}'", ty.name()))),
        };
        self.pos += 1;
        Ok(v)
    }

    fn number(&mut self) -> Result<f64, ParseError> {
        match self.toks.get(self.pos) {
            Some((Tok::Num(n), _)) => {
                let n = *n;
                self.pos += 1;
                Ok(n)
            }
            _ => Err(self.error_here("expected a number")),
        }
    }

    fn unit(&mut self) -> Result<Unit, ParseError> {
        let u = match self.toks.get(self.pos) {
            Some((Tok::Ident(w), _)) => match w.as_str() {
                "day" | "days" => Unit::Days,
                "month" | "months" => Unit::Months,
                "year" | "years" => Unit::Years,
                _ => return Err(self.error_here("expected days, months or years")),
            },
            _ => return Err(self.error_here("expected days, months or years")),
        };
        self.pos += 1;
        Ok(u)
    }

    fn test(&mut self) -> Result<Expr, ParseError> {
        let field_at = self.offset();
        let (field, mut ty, name) = self.field()?;
        if self.eat_word("is") {
            let negated = self.eat_word("not");
            if !self.eat_word("set") {
                return Err(self.error_here("expected 'set' after 'is'"));
            }
            return Ok(Expr::IsSet { field, negated });
        }
        if self.eat_word("has") {
            self.need(ty, &name, field_at, &[Type::Tags], "has");
            let all = self.eat_word("all");
            let list = all || self.eat_word("any");
            let mut tags = Vec::new();
            let mut tag = |p: &mut Self| -> Result<(), ParseError> {
                match p.toks.get(p.pos) {
                    Some((Tok::Str(s), _)) => {
                        tags.push(crate::normalise::text::tidy(s).to_lowercase());
                        p.pos += 1;
                        Ok(())
                    }
                    _ => Err(p.error_here("expected a tag in quotes")),
                }
            };
            if list {
                self.expect_sym("[")?;
                tag(self)?;
                while self.eat_sym(",") {
                    tag(self)?;
                }
                self.expect_sym("]")?;
            } else {
                tag(self)?;
            }
            return Ok(Expr::Has { field, tags, all });
        }
        if ty == Type::Tags {
            let message = format!(
                "'{name}' is a tags field: test it with 'has \"tag\"', 'has any [...]', 'has all [...]' or 'is set'"
            );
            self.problems.push(ParseError { offset: field_at, message });
            // Read on as text, so the value that follows is not reported too.
            ty = Type::Text;
        }
        let negated =
            self.peek_word("not") && matches!(self.toks.get(self.pos + 1), Some((Tok::Ident(w), _)) if w == "in");
        if negated {
            self.pos += 1;
        }
        if self.eat_word("in") {
            self.expect_sym("[")?;
            let mut values = vec![self.value(ty, &name)?];
            while self.eat_sym(",") {
                values.push(self.value(ty, &name)?);
            }
            self.expect_sym("]")?;
            return Ok(Expr::In { field, values, negated });
        }
        for (word, op) in
            [("contains", TextOp::Contains), ("starts_with", TextOp::StartsWith), ("ends_with", TextOp::EndsWith)]
        {
            if self.eat_word(word) {
                self.need(ty, &name, field_at, &[Type::Text], word);
                let Value::Text(needle) = self.literal(Type::Text, &name)? else { unreachable!("text value") };
                return Ok(Expr::Text { field, op, needle: needle.to_lowercase() });
            }
        }
        if self.eat_word("matches") {
            self.need(ty, &name, field_at, &[Type::Text], "matches");
            let at = self.offset();
            let Value::Text(pattern) = self.literal(Type::Text, &name)? else { unreachable!("text value") };
            let regex = match regex::RegexBuilder::new(&pattern).case_insensitive(true).size_limit(1 << 20).build() {
                Ok(regex) => regex,
                Err(e) => {
                    self.problems.push(ParseError { offset: at, message: crate::diagnostics::regex_problem(&e) });
                    regex::Regex::new("").expect("the empty pattern")
                }
            };
            return Ok(Expr::Matches { field, regex });
        }
        if self.eat_word("within") {
            self.need(ty, &name, field_at, &[Type::Date], "within");
            let n = self.number()?;
            let unit = self.unit()?;
            return Ok(Expr::Ago { field, from: 0, to: n.max(0.0) as u32, unit });
        }
        for (word, op) in [("before", Cmp::Lt), ("after", Cmp::Gt)] {
            if self.eat_word(word) {
                self.need(ty, &name, field_at, &[Type::Date], word);
                let value = self.value(Type::Date, &name)?;
                return Ok(Expr::Compare { field, op, value });
            }
        }
        if self.eat_word("between") {
            if ty == Type::Date && matches!(self.toks.get(self.pos), Some((Tok::Num(_), _))) {
                let a = self.number()?;
                if !self.eat_word("and") {
                    return Err(self.error_here("expected 'and'"));
                }
                let b = self.number()?;
                let unit = self.unit()?;
                if !self.eat_word("ago") {
                    return Err(self.error_here("expected 'ago'"));
                }
                let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
                return Ok(Expr::Ago { field, from: lo.max(0.0) as u32, to: hi.max(0.0) as u32, unit });
            }
            self.need(ty, &name, field_at, &[Type::Number, Type::Date], "between");
            let low = self.value(ty, &name)?;
            if !self.eat_word("and") {
                return Err(self.error_here("expected 'and'"));
            }
            let high = self.value(ty, &name)?;
            return Ok(Expr::Between { field, low, high });
        }
        let op = [("=", Cmp::Eq), ("!=", Cmp::Ne), ("<=", Cmp::Le), (">=", Cmp::Ge), ("<", Cmp::Lt), (">", Cmp::Gt)]
            .into_iter()
            .find(|(s, _)| self.eat_sym(s))
            .map(|(_, op)| op)
            .ok_or_else(|| self.error_here(&format!("expected a comparison or test after '{name}'")))?;
        if matches!(op, Cmp::Lt | Cmp::Le | Cmp::Gt | Cmp::Ge) && matches!(ty, Type::Bool) {
            let message = format!("'{name}' is true/false and cannot be ordered");
            self.problems.push(ParseError { offset: field_at, message });
        }
        let value = self.value(ty, &name)?;
        Ok(Expr::Compare { field, op, value })
    }
}

/// What a condition is evaluated against: one golden record's values, by schema index.
pub trait Record {
    fn get(&self, field: usize) -> Option<&Value>;
    fn in_segment(&self, name: &str) -> bool;
}

fn cmp_values(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.partial_cmp(y),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        (Value::Text(x), Value::Text(y)) => {
            Some(x.chars().flat_map(char::to_lowercase).cmp(y.chars().flat_map(char::to_lowercase)))
        }
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

impl Expr {
    /// Evaluates the condition; `as_of` anchors relative dates.
    /// Marks every field the expression reads in `used` (indexed like the schema).
    pub fn mark_fields(&self, used: &mut [bool]) {
        match self {
            Expr::And(parts) | Expr::Or(parts) => parts.iter().for_each(|p| p.mark_fields(used)),
            Expr::Not(e) => e.mark_fields(used),
            Expr::Compare { field, .. }
            | Expr::IsSet { field, .. }
            | Expr::In { field, .. }
            | Expr::Text { field, .. }
            | Expr::Matches { field, .. }
            | Expr::Between { field, .. }
            | Expr::Ago { field, .. }
            | Expr::Has { field, .. } => {
                if let Some(u) = used.get_mut(*field) {
                    *u = true;
                }
            }
            Expr::Segment(_) => {}
        }
    }

    pub fn eval(&self, r: &dyn Record, as_of: Date) -> bool {
        match self {
            Expr::And(parts) => parts.iter().all(|p| p.eval(r, as_of)),
            Expr::Or(parts) => parts.iter().any(|p| p.eval(r, as_of)),
            Expr::Not(e) => !e.eval(r, as_of),
            Expr::IsSet { field, negated } => r.get(*field).is_some() != *negated,
            Expr::Compare { field, op, value } => {
                let Some(v) = r.get(*field) else { return false };
                let Some(o) = cmp_values(v, value) else { return false };
                use std::cmp::Ordering::*;
                match op {
                    Cmp::Eq => o == Equal,
                    Cmp::Ne => o != Equal,
                    Cmp::Lt => o == Less,
                    Cmp::Le => o != Greater,
                    Cmp::Gt => o == Greater,
                    Cmp::Ge => o != Less,
                }
            }
            Expr::In { field, values, negated } => {
                let Some(v) = r.get(*field) else { return false };
                values.iter().any(|x| cmp_values(v, x) == Some(std::cmp::Ordering::Equal)) != *negated
            }
            Expr::Text { field, op, needle } => {
                let Some(Value::Text(v)) = r.get(*field) else { return false };
                // ASCII values (most of them) are searched without lowercasing a copy.
                if v.is_ascii() && needle.is_ascii() {
                    let (h, n) = (v.as_bytes(), needle.as_bytes());
                    if n.len() > h.len() {
                        return false;
                    }
                    let eq = |s: &[u8]| s.eq_ignore_ascii_case(n);
                    return match op {
                        TextOp::Contains => h.windows(n.len().max(1)).any(eq) || n.is_empty(),
                        TextOp::StartsWith => eq(&h[..n.len()]),
                        TextOp::EndsWith => eq(&h[h.len() - n.len()..]),
                    };
                }
                let v = v.to_lowercase();
                match op {
                    TextOp::Contains => v.contains(needle.as_str()),
                    TextOp::StartsWith => v.starts_with(needle.as_str()),
                    TextOp::EndsWith => v.ends_with(needle.as_str()),
                }
            }
            Expr::Matches { field, regex } => matches!(r.get(*field), Some(Value::Text(v)) if regex.is_match(v)),
            Expr::Between { field, low, high } => {
                let Some(v) = r.get(*field) else { return false };
                cmp_values(v, low).is_some_and(|o| o != std::cmp::Ordering::Less)
                    && cmp_values(v, high).is_some_and(|o| o != std::cmp::Ordering::Greater)
            }
            Expr::Ago { field, from, to, unit } => {
                let Some(Value::Date(d)) = r.get(*field) else { return false };
                let back = |n: u32| match unit {
                    Unit::Days => as_of.add_days(-(n as i64)),
                    Unit::Months => as_of.add_months(-(n as i32)),
                    Unit::Years => as_of.add_months(-(n as i32) * 12),
                };
                *d <= back(*from) && *d >= back(*to)
            }
            Expr::Has { field, tags, all } => {
                let Some(Value::Tags(have)) = r.get(*field) else { return false };
                let has = |t: &String| have.binary_search(t).is_ok();
                if *all { tags.iter().all(has) } else { tags.iter().any(has) }
            }
            Expr::Segment(name) => r.in_segment(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        Schema::new(vec![
            ("city".into(), Type::Text),
            ("revenue".into(), Type::Number),
            ("last_order_at".into(), Type::Date),
            ("email_consent".into(), Type::Bool),
            ("company".into(), Type::Text),
        ])
    }

    struct Rec(Vec<Option<Value>>, Vec<&'static str>);
    impl Record for Rec {
        fn get(&self, f: usize) -> Option<&Value> {
            self.0[f].as_ref()
        }
        fn in_segment(&self, name: &str) -> bool {
            self.1.contains(&name)
        }
    }

    #[test]
    fn conditions_evaluate() {
        let as_of = Date::new(2026, 11, 23).unwrap();
        let rec = Rec(
            vec![
                Some(Value::Text("Oslo".into())),
                Some(Value::Number(1500.0)),
                Some(Value::Date(Date::new(2026, 10, 1).unwrap())),
                Some(Value::Bool(true)),
                None,
            ],
            vec!["vip"],
        );
        let cases = [
            ("city = \"oslo\"", true),
            ("city in [\"Bergen\", \"OSLO\"]", true),
            ("city not in [\"Bergen\"]", true),
            ("revenue >= 1000 and revenue < 2000", true),
            ("revenue between 0 and 1499.99", false),
            ("last_order_at within 90 days", true),
            ("last_order_at within 30 days", false),
            ("last_order_at between 30 and 90 days ago", true),
            ("last_order_at between 2 and 3 months ago", false),
            ("last_order_at after \"2026-01-01\"", true),
            ("email_consent = true and company is not set", true),
            ("company is set or city starts_with \"os\"", true),
            ("city ends_with \"LO\" and city contains \"sl\"", true),
            ("city matches \"^o.l\"", true),
            ("city contains \"\"", true),
            ("city ends_with \"xoslo\"", false),
            ("city starts_with \"OSLOX\"", false),
            ("not (city = \"Oslo\")", false),
            ("segment \"vip\" and not segment \"other\"", true),
            ("any(revenue > 5000, all(city = \"Oslo\", revenue > 100))", true),
            ("company = \"x\" or company != \"x\"", false),
        ];
        for (text, expected) in cases {
            let (e, _) = parse(text, &schema()).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            assert_eq!(e.eval(&rec, as_of), expected, "{text}");
        }
    }

    #[test]
    fn errors_point_at_the_problem() {
        let cases = [
            ("revnue > 10", 0, "unknown field 'revnue'; did you mean 'revenue'?"),
            ("last_order_at > 10", 16, "'last_order_at' is a date field and cannot be compared with a number"),
            ("revenue > \"a lot\"", 10, "'revenue' is a number field and cannot be compared with the text \"a lot\""),
            ("city within 3 days", 0, "'city' is a text field; 'within' needs a date field"),
            ("city = \"Oslo\" and", 17, "expected a field name, found the end"),
            ("city = \"Oslo\" and and revenue > 1", 18, "expected a field name after 'and', found the keyword 'and'"),
            ("city = \"Oslo\" or and revenue > 1", 17, "expected a field name after 'or', found the keyword 'and'"),
            ("city = \"Oslo\" revenue > 1", 14, "expected 'and', 'or' or the end of the condition, found 'revenue'"),
            ("city matches \"(\"", 13, "bad regular expression"),
            ("(city = \"Oslo\"", 14, "expected ')', found the end"),
            ("last_order_at after \"last week\"", 20, "'last week' is not a date"),
        ];
        for (text, offset, message) in cases {
            let e = parse(text, &schema()).unwrap_err();
            assert_eq!(e.offset, offset, "{text}: {}", e.message);
            assert!(e.message.starts_with(message), "{text}: {}", e.message);
        }
    }

    #[test]
    fn tags_are_tested_with_has() {
        let schema = Schema::new(vec![
            ("interests".into(), Type::Tags),
            ("lifecycle_stage".into(), Type::Text),
            ("hobbies".into(), Type::Tags),
        ]);
        let tags = |t: &[&str]| Some(Value::Tags(t.iter().map(|s| s.to_string()).collect()));
        let rec =
            Rec(vec![tags(&["cooking", "hiking", "trail running"]), Some(Value::Text("Lead".into())), None], vec![]);
        let as_of = Date::new(2026, 1, 1).unwrap();
        let cases = [
            ("interests has \"hiking\"", true),
            ("interests has \"HIKING\"", true),
            ("interests has \" trail   running \"", true),
            ("interests has \"hike\"", false),
            ("interests has any [\"yoga\", \"cooking\"]", true),
            ("interests has any [\"yoga\", \"golf\"]", false),
            ("interests has all [\"hiking\", \"cooking\"]", true),
            ("interests has all [\"hiking\", \"golf\"]", false),
            ("not interests has \"golf\" and lifecycle_stage = 'lead'", true),
            ("interests is set and hobbies is not set", true),
            ("hobbies has \"hiking\"", false),
            ("not hobbies has \"hiking\"", true),
        ];
        for (text, expected) in cases {
            let (e, _) = parse(text, &schema).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            assert_eq!(e.eval(&rec, as_of), expected, "{text}");
        }
        let errors = [
            ("lifecycle_stage has \"lead\"", 0, "'lifecycle_stage' is a text field; 'has' needs a tags field"),
            ("interests = \"hiking\"", 0, "'interests' is a tags field: test it with 'has"),
            ("interests contains \"hik\"", 0, "'interests' is a tags field: test it with 'has"),
            ("interests has hiking", 14, "expected a tag in quotes, found 'hiking'"),
            ("interests has any \"hiking\"", 18, "expected '[', found \"hiking\""),
            ("interests has all [\"a\",]", 23, "expected a tag in quotes, found ']'"),
            ("intrests has \"a\"", 0, "unknown field 'intrests'; did you mean 'interests'?"),
        ];
        for (text, offset, message) in errors {
            let e = parse(text, &schema).unwrap_err();
            assert_eq!(e.offset, offset, "{text}: {}", e.message);
            assert!(e.message.starts_with(message), "{text}: {}", e.message);
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let text = format!("{}city = \"x\"{}", "(".repeat(1000), ")".repeat(1000));
        let e = parse(&text, &schema()).unwrap_err();
        assert!(e.message.contains("nested deeper"), "{}", e.message);
        let nots = format!("{}city = \"x\"", "not ".repeat(1000));
        assert!(parse(&nots, &schema()).is_err());
    }
}
