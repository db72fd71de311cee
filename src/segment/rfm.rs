//! Derived fields for segment rules: age, tenure, recency and RFM scores.
//!
//! RFM scores rank buyers (golden records with an order, revenue or a last order date) on
//! recency (days since the last order; fewer is better), frequency (order count) and monetary
//! value (revenue), each 1 to 5 by quintiles over buyers. Ties share a score: a buyer's score is
//! 1 + 5 × (buyers strictly worse) / buyers, rounded down, so equal values never straddle a
//! quintile boundary and the result does not depend on row order.

use super::expr::Value;
use crate::field::Field;
use crate::merge::Golden;
use crate::normalise::date::Date;

pub use crate::normalise::money::{cents, format_cents};

/// Quintile scores (1-5) of values where larger is better; `None` values get no score.
pub fn quintiles(values: &[Option<f64>]) -> Vec<Option<u8>> {
    let mut sorted: Vec<f64> = values.iter().flatten().copied().collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    values
        .iter()
        .map(|v| {
            v.map(|x| {
                let below = sorted.partition_point(|y| *y < x);
                (1 + (5 * below) / n.max(1)).min(5) as u8
            })
        })
        .collect()
}

/// Whether a golden record is a buyer: it has an order, revenue or a last order date.
fn buyer(g: &Golden) -> bool {
    g.value(Field::OrderCount).and_then(|v| v.parse::<f64>().ok()).is_some_and(|n| n > 0.0)
        || g.value(Field::Revenue).and_then(cents).is_some_and(|c| c > 0)
        || g.value(Field::LastOrderAt).is_some()
}

fn date(g: &Golden, f: Field) -> Option<Date> {
    g.value(f).and_then(Date::parse_iso)
}

/// The recency, frequency and monetary scores (1-5, `None` for non-buyers) of every golden
/// record: the only derived values that depend on the other records.
pub fn scores(goldens: &[Golden], as_of: Date) -> Vec<[Option<u8>; 3]> {
    use rayon::prelude::*;
    let raw: Vec<[Option<f64>; 3]> = goldens
        .par_iter()
        .map(|g| {
            if !buyer(g) {
                return [None; 3];
            }
            let days = |d: Date| (as_of.days_since_epoch() - d.days_since_epoch()) as f64;
            [
                date(g, Field::LastOrderAt).map(|d| -days(d)),
                Some(g.value(Field::OrderCount).and_then(|v| v.parse().ok()).unwrap_or(0.0)),
                Some(g.value(Field::Revenue).and_then(cents).unwrap_or(0) as f64),
            ]
        })
        .collect();
    let column = |k: usize| quintiles(&raw.iter().map(|r| r[k]).collect::<Vec<_>>());
    let (r, f, m) = (column(0), column(1), column(2));
    (0..goldens.len()).map(|i| [r[i], f[i], m[i]]).collect()
}

/// Every derived field (in the order of `super::DERIVED`) of one golden record, given its
/// stale reasons and its RFM scores from [`scores`].
pub fn derived(
    g: &Golden,
    stale_reasons: &[&'static str],
    [r, f, m]: [Option<u8>; 3],
    as_of: Date,
) -> [Option<Value>; super::DERIVED.len()] {
    let days = |d: Date| (as_of.days_since_epoch() - d.days_since_epoch()) as f64;
    let num = |x: Option<f64>| x.map(Value::Number);
    let fm = match (f, m) {
        (Some(a), Some(b)) => Some((a as f64 + b as f64) / 2.0),
        _ => None,
    };
    [
        Some(Value::Text(g.golden_id.clone())),
        Some(Value::Number(g.members.len() as f64)),
        Some(Value::Bool(!stale_reasons.is_empty())),
        (!stale_reasons.is_empty()).then(|| Value::Text(stale_reasons.join(";"))),
        num(date(g, Field::BirthDate).map(|b| Date::years_between(b, as_of) as f64)),
        num(date(g, Field::CreatedAt).map(days)),
        num(date(g, Field::LastOrderAt).map(days)),
        num(date(g, Field::LastActivityAt).map(days)),
        Some(Value::Bool(buyer(g))),
        g.value(Field::Email).and_then(|e| e.rsplit_once('@')).map(|(_, d)| Value::Text(d.to_string())),
        num(r.map(f64::from)),
        num(f.map(f64::from)),
        num(m.map(f64::from)),
        num(fm),
        match (r, f, m) {
            (Some(a), Some(b), Some(c)) => Some(Value::Text(format!("{a}{b}{c}"))),
            _ => None,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quintiles_with_ties() {
        let cases: [(&[Option<f64>], &[Option<u8>]); 4] = [
            (&[Some(1.0), Some(2.0), Some(3.0), Some(4.0), Some(5.0)], &[Some(1), Some(2), Some(3), Some(4), Some(5)]),
            // Ties share the lowest score of their run.
            (&[Some(1.0), Some(1.0), Some(1.0), Some(1.0), Some(9.0)], &[Some(1), Some(1), Some(1), Some(1), Some(5)]),
            (&[Some(7.0), None, Some(7.0)], &[Some(1), None, Some(1)]),
            (
                &[
                    Some(1.0),
                    Some(2.0),
                    Some(3.0),
                    Some(4.0),
                    Some(5.0),
                    Some(6.0),
                    Some(7.0),
                    Some(8.0),
                    Some(9.0),
                    Some(10.0),
                ],
                &[Some(1), Some(1), Some(2), Some(2), Some(3), Some(3), Some(4), Some(4), Some(5), Some(5)],
            ),
        ];
        for (values, expected) in cases {
            assert_eq!(quintiles(values), expected, "{values:?}");
        }
    }

    #[test]
    fn money_in_cents() {
        let cases = [("1234.5", Some(123450)), ("0.05", Some(5)), ("-12", Some(-1200)), ("1,5", None), ("", None)];
        for (s, c) in cases {
            assert_eq!(cents(s), c, "{s}");
        }
        assert_eq!(format_cents(-1205), "-12.05");
    }
}
