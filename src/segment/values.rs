//! Values: what segment rules read of a golden record, typed for the expression language, and
//! the consent each channel has.

use super::expr::Value;
use crate::field::Field;
use crate::merge::Golden;
use crate::normalise::date::Date;

/// Per golden record: may it be e-mailed, may it be texted (consent given and not unsubscribed).
pub fn consent(goldens: &[Golden]) -> Vec<(bool, bool)> {
    let unsubscribed = |g: &Golden| g.value(Field::Unsubscribed) == Some("true");
    goldens
        .iter()
        .map(|g| {
            (
                g.value(Field::EmailConsent) == Some("true") && !unsubscribed(g),
                g.value(Field::SmsConsent) == Some("true") && !unsubscribed(g),
            )
        })
        .collect()
}

/// The values segment rules see, built per golden record on demand (`segment::schema()` order:
/// the canonical fields, then the derived ones).
pub struct SegmentValues<'a> {
    goldens: &'a [Golden],
    stale: &'a [Vec<&'static str>],
    scores: Vec<[Option<u8>; 3]>,
    as_of: Date,
}

impl<'a> SegmentValues<'a> {
    pub fn new(goldens: &'a [Golden], stale: &'a [Vec<&'static str>], as_of: Date) -> SegmentValues<'a> {
        SegmentValues { goldens, stale, scores: super::rfm::scores(goldens, as_of), as_of }
    }

    fn field(g: &Golden, f: Field) -> Option<Value> {
        let s = g.value(f)?;
        Some(match f.kind() {
            crate::field::Kind::Date => Value::Date(Date::parse_iso(s)?),
            crate::field::Kind::Count | crate::field::Kind::Money => Value::Number(s.parse().ok()?),
            crate::field::Kind::Bool => Value::Bool(s == "true"),
            _ => Value::Text(s.to_string()),
        })
    }

    fn derived(&self, g: usize) -> [Option<Value>; super::DERIVED.len()] {
        super::rfm::derived(&self.goldens[g], &self.stale[g], self.scores[g], self.as_of)
    }

    /// The values of golden record `g` that `used` marks (schema order; the rest are `None`).
    pub fn used(&self, g: usize, used: &[bool]) -> Vec<Option<Value>> {
        let mut v: Vec<Option<Value>> =
            Field::ALL.iter().map(|&f| if used[f.index()] { Self::field(&self.goldens[g], f) } else { None }).collect();
        if used[Field::COUNT..].iter().any(|&u| u) {
            v.extend(self.derived(g));
        } else {
            v.resize(used.len(), None);
        }
        v
    }

    /// The values of golden record `g` at these schema positions.
    pub fn some(&self, g: usize, positions: &[usize]) -> Vec<Option<Value>> {
        let derived = positions.iter().any(|&i| i >= Field::COUNT).then(|| self.derived(g));
        positions
            .iter()
            .map(|&i| match &derived {
                Some(d) if i >= Field::COUNT => d[i - Field::COUNT].clone(),
                _ => Self::field(&self.goldens[g], Field::ALL[i]),
            })
            .collect()
    }
}
