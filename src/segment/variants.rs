//! Variants: split a segment's members into a holdout and A/B(/C...) variants, the same way on
//! every run.
//!
//! A segment may declare `variants = { a = 45, b = 45 }` next to `holdout_percent = 10`; the
//! shares, holdout included, must add up to 100. Each customer gets ONE uniform draw in [0, 1)
//! from a keyed SHA-256 of the segment's salt and the golden id ([`draw`]), and the unit
//! interval is cut into consecutive pieces: the holdout first, `[0, h)`, then the variants in
//! NAME order (sorted, so the layout never depends on how a TOML library orders an inline
//! table). Because the draw never changes for a customer and salt, changing the shares only
//! moves the customers whose draw lies between the old and the new boundary: 45/45/10 →
//! 50/40/10 moves the customers in [0.55, 0.60) from b to a, about 5 %, and nobody else.
//!
//! The draw is built so that the holdout of a segment WITHOUT variants is exactly what it was
//! before variants existed (`n mod 10 000 < holdout_percent × 100` on the first 8 bytes of the
//! hash, for any holdout given in hundredths of a percent): the whole part of `10 000 × u` is
//! `n mod 10 000`, and the rest of the hash only adds a fraction below one ten-thousandth.

use sha2::{Digest, Sha256};

/// The arm of a segment a member falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arm {
    /// Held out: listed in segments.csv, never exported; the control group.
    Holdout,
    /// The variant at this index of `Segment::variants` (name order).
    Variant(usize),
    /// Neither: a segment without variants, not held out (exported as one file).
    Whole,
}

/// The name segments.csv writes for the holdout arm (and so a name no variant may take).
pub const HOLDOUT: &str = "holdout";

/// The customer's uniform draw in [0, 1) for a salt: a keyed SHA-256 of the salt, a unit
/// separator and the golden id. The first 8 bytes as `n`: the whole part of `10 000 u` is
/// `n mod 10 000` (the holdout draw regclean always used), the fraction comes from `n / 10 000`.
pub fn draw(salt: &str, golden_id: &str) -> f64 {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update(b"\x1f");
    h.update(golden_id.as_bytes());
    let d = h.finalize();
    let n = u64::from_be_bytes(d[..8].try_into().expect("8 bytes"));
    let whole = (n % 10_000) as f64;
    // n / 10 000 is below 2^64 / 10 000 ≈ 1.8e15: exact in an f64, and its ratio stays below 1.
    let fraction = (n / 10_000) as f64 / ((u64::MAX / 10_000) as f64 + 1.0);
    ((whole + fraction) / 10_000.0).min(1.0 - f64::EPSILON)
}

/// The arm for a draw, given the holdout percentage and the variants' percentages in layout
/// order. Boundaries are cumulative sums of percentages divided by 100, compared in
/// ten-thousandths so that a holdout of 10 % is `u < 0.1` exactly as before.
pub fn arm_of(u: f64, holdout_percent: f64, variants: &[(String, f64)]) -> Arm {
    let x = u * 10_000.0;
    let mut edge = holdout_percent * 100.0;
    if holdout_percent > 0.0 && x < edge {
        return Arm::Holdout;
    }
    if variants.is_empty() {
        return Arm::Whole;
    }
    for (i, (_, share)) in variants.iter().enumerate() {
        edge += share * 100.0;
        if x < edge {
            return Arm::Variant(i);
        }
    }
    // Rounding at the very top of the interval: the last variant.
    Arm::Variant(variants.len() - 1)
}

/// Variants in layout order with their percents, and problems as (offset, message).
pub type Checked = (Vec<(String, f64)>, Vec<(usize, String)>);

/// Checks a `variants` table: names that can name an export file and are not `holdout`, shares
/// above 0, and shares that add up to 100 with the holdout. Returns the variants in layout
/// (name) order and the problems as (offset, message), to be reported with file, line and
/// column by the caller.
pub fn check(
    table: &std::collections::BTreeMap<String, toml::Spanned<f64>>,
    table_at: usize,
    holdout_percent: f64,
) -> Checked {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    if table.is_empty() {
        problems.push((table_at, "variants is empty: name at least one variant, e.g. { a = 50, b = 50 }".to_string()));
    }
    for (name, share) in table {
        let at = share.span().start;
        if name.is_empty()
            || !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        {
            problems.push((
                at,
                format!("variant name '{name}' must use only a-z, 0-9, '_' and '-' (it names an export file)"),
            ));
        } else if name == HOLDOUT {
            problems.push((at, "'holdout' is reserved for the held-out customers; name the variant otherwise".into()));
        }
        let v = *share.get_ref();
        if !(v > 0.0 && v <= 100.0) {
            problems.push((at, format!("variant '{name}' share must be above 0 and at most 100, found {v}")));
        }
        out.push((name.clone(), v));
    }
    let total: f64 = holdout_percent + out.iter().map(|(_, s)| s).sum::<f64>();
    if !table.is_empty() && (total - 100.0).abs() > 1e-9 {
        problems.push((
            table_at,
            format!(
                "variant shares and holdout_percent must add up to 100, found {} ({} held out + {})",
                fmt(total),
                fmt(holdout_percent),
                out.iter().map(|(n, s)| format!("{n} {}", fmt(*s))).collect::<Vec<_>>().join(" + ")
            ),
        ));
    }
    (out, problems)
}

fn fmt(x: f64) -> String {
    if x.fract() == 0.0 { format!("{x:.0}") } else { format!("{x}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("G{i:012x}")).collect()
    }

    #[test]
    fn the_holdout_is_the_draw_regclean_always_used() {
        // The former rule: first 8 bytes of SHA-256(salt, 0x1f, id) mod 10 000 < percent × 100.
        let old = |salt: &str, id: &str, p: f64| {
            let mut h = Sha256::new();
            h.update(salt.as_bytes());
            h.update(b"\x1f");
            h.update(id.as_bytes());
            let d = h.finalize();
            let n = u64::from_be_bytes(d[..8].try_into().unwrap());
            ((n % 10_000) as f64) < p * 100.0
        };
        for p in [0.5, 5.0, 10.0, 12.25, 50.0] {
            for id in ids(5_000) {
                let new = arm_of(draw("s", &id), p, &[]) == Arm::Holdout;
                assert_eq!(new, old("s", &id, p), "{id} at {p} %");
            }
        }
    }

    #[test]
    fn draws_are_uniform_and_in_the_unit_interval() {
        let d: Vec<f64> = ids(20_000).iter().map(|id| draw("salt", id)).collect();
        assert!(d.iter().all(|&u| (0.0..1.0).contains(&u)));
        for k in 0..10 {
            let (lo, hi) = (k as f64 / 10.0, (k + 1) as f64 / 10.0);
            let share = d.iter().filter(|&&u| u >= lo && u < hi).count() as f64 / d.len() as f64;
            assert!((share - 0.1).abs() < 0.01, "decile {k}: {share}");
        }
    }

    #[test]
    fn changing_shares_moves_only_customers_across_the_boundary() {
        let before = vec![("a".to_string(), 45.0), ("b".to_string(), 45.0)];
        let after = vec![("a".to_string(), 50.0), ("b".to_string(), 40.0)];
        let all = ids(20_000);
        let mut moved = 0;
        for id in &all {
            let u = draw("2026-q4", id);
            let (x, y) = (arm_of(u, 10.0, &before), arm_of(u, 10.0, &after));
            if x != y {
                assert_eq!((x, y), (Arm::Variant(1), Arm::Variant(0)), "only b → a");
                moved += 1;
            }
        }
        let share = moved as f64 / all.len() as f64;
        assert!((share - 0.05).abs() < 0.006, "{share}");
    }

    #[test]
    fn bad_tables_are_refused_with_reasons() {
        let t = |pairs: &[(&str, f64)]| {
            pairs
                .iter()
                .map(|(n, s)| (n.to_string(), toml::Spanned::new(7..9, *s)))
                .collect::<std::collections::BTreeMap<_, _>>()
        };
        let (v, p) = check(&t(&[("b", 45.0), ("a", 45.0)]), 0, 10.0);
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(v, vec![("a".to_string(), 45.0), ("b".to_string(), 45.0)], "name order");
        let (_, p) = check(&t(&[("a", 45.0), ("b", 40.0)]), 3, 10.0);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, 3);
        assert!(p[0].1.contains("add up to 100, found 95 (10 held out + a 45 + b 40)"), "{}", p[0].1);
        let (_, p) = check(&t(&[("holdout", 50.0), ("B", 40.0), ("c", 0.0)]), 0, 10.0);
        assert_eq!(p.len(), 3, "{p:?}");
    }
}

#[cfg(test)]
mod rule_tests {
    use crate::segment::SegmentRules;
    use std::path::PathBuf;

    fn rules(text: &str) -> Result<SegmentRules, crate::Error> {
        SegmentRules::parse(&[(PathBuf::from("rules/ab.toml"), text.to_string())])
    }

    #[test]
    fn variants_are_read_in_name_order_and_checked_with_positions() {
        let ok = "[[segment]]\nname = \"ab\"\nwhen = \"email is set\"\nholdout_percent = 10\nvariants = { b = 45, a = 45 }\n";
        let r = rules(ok).unwrap();
        assert_eq!(r.segments[0].variants, vec![("a".to_string(), 45.0), ("b".to_string(), 45.0)]);
        let bad = "[[segment]]\nname = \"ab\"\nwhen = \"email is set\"\nholdout_percent = 10\nvariants = { a = 45, holdout = 40 }\n";
        let e = rules(bad).unwrap_err().to_string();
        assert!(
            e.contains(
                "rules/ab.toml: line 5, column 12: variant shares and holdout_percent must add up to 100, found 95"
            ),
            "{e}"
        );
        assert!(e.contains("line 5, column 32: 'holdout' is reserved"), "{e}");
    }
}
