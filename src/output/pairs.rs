//! pairs.csv: every scored candidate pair above the floor with each comparison's level and
//! weight, the total, the probability, whether the two ended in one golden record and, for a
//! strong pair that did not, why. Formatted by hand (several times faster than a csv::Writer
//! per row: it is the largest output) from the explanations dedup gives back.

use super::csv_text::{push_field, push_uint};
use crate::dedup::compare::{COMPARISONS, Gammas, N};
use crate::dedup::{PairExplanation, Refusal, ScoredPairs};
use std::collections::BTreeMap;
use std::io::Write;

/// How a record is named in pairs.csv: source file, source line, record id.
pub type Identify<'a> = dyn Fn(u32) -> (&'a str, u32, &'a str) + Sync + 'a;

/// Stages pairs.csv when dedup kept its scored pairs, and fills in the counts only writing
/// them can give (pairs written, refusals by reason).
/// Also picks the pairs the report shows (see [`Picks`]); `identities` are the rows' identity
/// keys, so the picks do not depend on row order. `also` sees every pair written (the review
/// queue is chosen from them). `record_ids` are the rows' record ids (empty where none), all
/// pairs.csv reads of the cleaned rows, which are not in memory while it is written.
pub fn stage_pairs(
    staging: &mut super::Staging,
    dedup: &mut crate::dedup::Dedup,
    ingested: &crate::ingest::Ingested,
    record_ids: &crate::packed::Strings,
    identities: &[u64],
    also: &mut (dyn FnMut(&PairExplanation) + Send),
) -> Result<Picks, crate::error::Error> {
    let mut picks = Picks::default();
    let Some(pairs) = dedup.pairs.take() else { return Ok(picks) };
    let identify = |i: u32| {
        let row = &ingested.rows[i as usize];
        (ingested.sources[row.source as usize].name.as_str(), row.line, record_ids.get(i as usize))
    };
    let labels = &dedup.labels;
    let mut written = (0, BTreeMap::new());
    staging.write("pairs.csv", |w| {
        written = write_pairs(w, pairs, labels, &identify, &mut |p| {
            picks.consider(p, identities);
            also(p);
        })?;
        Ok(())
    })?;
    (dedup.pairs_written, dedup.refused_by_reason) = written;
    Ok(picks)
}

/// Pairs to show in the report: a few merges, and the pairs just above and just below the
/// threshold. Chosen by evidence and by a hash of the two records' identities, never by
/// position, so the same register gives the same picks in any row order.
#[derive(Debug, Default)]
pub struct Picks {
    /// (identity hash, pair) of linked pairs: the smallest hashes are a fair sample.
    pub merged: Vec<(u64, PairExplanation)>,
    /// Linked pairs with the least evidence.
    pub just_above: Vec<(f64, u64, PairExplanation)>,
    /// Pairs not linked with the most evidence below the threshold.
    pub just_below: Vec<(f64, u64, PairExplanation)>,
}

/// How many pairs of each kind the report shows.
pub const PICKS_PER_KIND: usize = 3;

impl Picks {
    /// Every pick with its kind: merges, then just above, then just below the threshold.
    pub fn in_order(&self) -> Vec<(&'static str, &PairExplanation)> {
        let merged = self.merged.iter().map(|(_, p)| ("merged", p));
        let above = self.just_above.iter().map(|(_, _, p)| ("just_above", p));
        let below = self.just_below.iter().map(|(_, _, p)| ("just_below", p));
        merged.chain(above).chain(below).collect()
    }

    fn consider(&mut self, p: &PairExplanation, identities: &[u64]) {
        let threshold = p.threshold;
        let (x, y) = (identities[p.a as usize], identities[p.b as usize]);
        let key = (x.min(y) ^ x.max(y).rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let evidence = p.total - p.prior;
        let keep = |v: &mut Vec<(f64, u64, PairExplanation)>, score: f64| {
            if v.len() == PICKS_PER_KIND && v.last().is_some_and(|l| (l.0, l.1) <= (score, key)) {
                return;
            }
            v.push((score, key, p.clone()));
            v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            v.truncate(PICKS_PER_KIND);
        };
        if p.linked {
            if evidence >= threshold {
                keep(&mut self.just_above, evidence);
            }
            if self.merged.len() < PICKS_PER_KIND || self.merged.last().is_some_and(|l| key < l.0) {
                self.merged.push((key, p.clone()));
            }
            self.merged.sort_by_key(|m| m.0);
            self.merged.truncate(PICKS_PER_KIND);
        } else if evidence < threshold {
            keep(&mut self.just_below, -evidence);
        }
    }
}

/// Writes pairs.csv from dedup's scored pairs with the final labels; returns the pairs written
/// and the refusals by reason.
pub fn write_pairs(
    w: &mut (dyn Write + Send),
    pairs: ScoredPairs,
    labels: &[u32],
    identify: &Identify<'_>,
    each: &mut (dyn FnMut(&PairExplanation) + Send),
) -> std::io::Result<(u64, BTreeMap<&'static str, u64>)> {
    write_pairs_header(w)?;
    pairs.explain(labels, |batch: &[PairExplanation]| {
        // `each` (the report's picks, the review queue) goes through the batch in order on one
        // thread while the rows are formatted on the others.
        let ((), written) = rayon::join(
            || batch.iter().for_each(&mut *each),
            || {
                super::write_chunks(&mut *w, batch.len(), 4096, |buf, range| {
                    for p in &batch[range] {
                        write_pair_row(
                            buf,
                            identify(p.a),
                            identify(p.b),
                            &p.gammas,
                            &p.weights,
                            p.prior,
                            p.total,
                            p.linked,
                            p.refused,
                        );
                    }
                    Ok(())
                })
            },
        );
        written
    })
}

pub fn write_pairs_header(w: &mut dyn Write) -> std::io::Result<()> {
    let mut h = String::from("source_file_l,source_line_l,record_id_l,source_file_r,source_line_r,record_id_r");
    for c in &COMPARISONS {
        h.push_str(&format!(",gamma_{0},mw_{0}", c.name));
    }
    h.push_str(",mw_prior,match_weight,match_probability,linked,refused_because\n");
    w.write_all(h.as_bytes())
}

#[allow(clippy::too_many_arguments)]
fn write_pair_row(
    buf: &mut Vec<u8>,
    l: (&str, u32, &str),
    r: (&str, u32, &str),
    g: &Gammas,
    mw: &[f64; N],
    prior: f64,
    total: f64,
    linked: bool,
    refused: Option<Refusal>,
) {
    // Written by hand rather than through a csv::Writer per row (see `csv_text`).
    for (k, side) in [l, r].iter().enumerate() {
        if k > 0 {
            buf.push(b',');
        }
        push_field(buf, side.0);
        buf.push(b',');
        push_uint(buf, u64::from(side.1));
        buf.push(b',');
        push_field(buf, side.2);
    }
    for c in 0..N {
        buf.push(b',');
        buf.extend_from_slice(COMPARISONS[c].levels[g[c] as usize].as_bytes());
        buf.push(b',');
        push_fixed(buf, mw[c], 4);
    }
    buf.push(b',');
    push_fixed(buf, prior, 4);
    buf.push(b',');
    push_fixed(buf, total, 4);
    buf.push(b',');
    push_fixed(buf, 1.0 / (1.0 + (-total).exp2()), 6);
    buf.extend_from_slice(if linked { b",true," } else { b",false," });
    if let Some(r) = refused {
        buf.extend_from_slice(r.as_str().as_bytes());
    }
    buf.push(b'\n');
}

/// `x` with exactly `decimals` decimals, like `format!("{x:.4}")` (rounding half away from
/// zero, which is what the weights' own rounding does) but without the float formatter.
fn push_fixed(buf: &mut Vec<u8>, x: f64, decimals: u32) {
    let scale = 10i64.pow(decimals);
    let v = (x * scale as f64).round() as i64;
    if v < 0 {
        buf.push(b'-');
    }
    let v = v.unsigned_abs();
    let (int, frac) = (v / scale as u64, v % scale as u64);
    push_uint(buf, int);
    buf.push(b'.');
    // The fraction's digits, leading zeros included, from the last (a division by the constant
    // 10 is a multiplication; by a power of ten chosen at run time it is a real division).
    let mut digits = [b'0'; 20];
    let mut rest = frac;
    for d in digits[..decimals as usize].iter_mut().rev() {
        *d = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    buf.extend_from_slice(&digits[..decimals as usize]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point_matches_the_float_formatter() {
        for x in [0.0, 1.23456, -1.23455, 12.5, -0.00004, 45.73321, 1e-9, -7.0] {
            let mut buf = Vec::new();
            push_fixed(&mut buf, x, 4);
            assert_eq!(
                String::from_utf8(buf).unwrap(),
                format!("{:.4}", (x * 10_000.0).round() / 10_000.0).replace("-0.0000", "0.0000"),
                "{x}"
            );
        }
    }
}
