//! audit.jsonl: why each golden record of two or more members is what it is.

use crate::dedup;
use crate::ids::{identity, record_key};
use crate::merge::rules::Survivorship;
use crate::merge::{Golden, Origin};
use crate::normalise::Register;
use rayon::prelude::*;
use std::io::Write;

/// Appends a JSON string (escaped by serde_json).
fn json_str(buf: &mut Vec<u8>, s: &str) {
    let _ = serde_json::to_writer(&mut *buf, s);
}

/// How a member is named in audit.jsonl: `{"source":..,"record_key":..}`, its identity (the
/// `source` and `record_key` columns of records.csv), which neither a renamed file nor moved
/// rows change, so audit.jsonl is the same for any row order.
fn member_json(buf: &mut Vec<u8>, register: &Register, i: usize) {
    let row = &register.ingested.rows[i];
    buf.extend_from_slice(b"{\"source\":");
    json_str(buf, &register.ingested.sources[row.source as usize].source);
    buf.extend_from_slice(b",\"record_key\":");
    json_str(buf, &record_key(register, i));
    buf.push(b'}');
}

/// The members of one golden record as `member_json` names them, each written once: a line
/// names a member again in every field it gave and every link it is in (a dozen times for a
/// record of two), and each naming read its cleaned row and escaped its strings anew.
struct MemberNames {
    text: Vec<u8>,
    /// (row, end of its name in `text`), sorted by row; a name starts where the previous ends.
    ends: Vec<(usize, usize)>,
}

impl MemberNames {
    fn new(register: &Register, members: &[usize]) -> MemberNames {
        let mut sorted = members.to_vec();
        sorted.sort_unstable();
        let mut text = Vec::with_capacity(64 * sorted.len());
        let ends = sorted
            .into_iter()
            .map(|m| {
                member_json(&mut text, register, m);
                (m, text.len())
            })
            .collect();
        MemberNames { text, ends }
    }

    /// Appends the name of row `i` (a row of another record is named from its cleaned row).
    fn write(&self, b: &mut Vec<u8>, register: &Register, i: usize) {
        match self.ends.binary_search_by_key(&i, |&(m, _)| m) {
            Ok(k) => {
                let start = if k == 0 { 0 } else { self.ends[k - 1].1 };
                b.extend_from_slice(&self.text[start..self.ends[k].1]);
            }
            Err(_) => member_json(b, register, i),
        }
    }
}

/// Where a golden value came from: a member, a list of members, or `null`.
fn origin_json(b: &mut Vec<u8>, register: &Register, names: &MemberNames, origin: &Origin) {
    match origin {
        Origin::Nobody => b.extend_from_slice(b"null"),
        Origin::One(m) => names.write(b, register, *m),
        Origin::Many(ms) => {
            b.push(b'[');
            for (k, &m) in ms.iter().enumerate() {
                if k > 0 {
                    b.push(b',');
                }
                names.write(b, register, m);
            }
            b.push(b']');
        }
    }
}

/// audit.jsonl: one line per golden record with two or more members: who the members are,
/// which links joined them, and for every field its value, rule and origin. Lines are built in
/// parallel (by hand: a JSON value tree per record cost more than the rest of the run) and
/// written in golden-id order.
pub fn write_audit(
    w: &mut (dyn Write + Send),
    register: &Register,
    goldens: &[Golden],
    golden_of: &[u32],
    links: &[dedup::cluster::Link],
    same: &[(u32, u32)],
    rules: &Survivorship,
) -> std::io::Result<()> {
    // Links per golden record: (a, b, weight or None for a `same` decision).
    type LinksOf = std::collections::HashMap<u32, Vec<(u32, u32, Option<f64>)>>;
    let mut links_of: LinksOf = std::collections::HashMap::new();
    for l in links {
        links_of.entry(golden_of[l.a as usize]).or_default().push((l.a, l.b, Some(l.weight)));
    }
    for &(a, b) in same {
        links_of.entry(golden_of[a as usize]).or_default().push((a, b, None));
    }
    // Each link names its members in identity order and the links follow that order, so the
    // audit does not change when rows move.
    links_of.par_iter_mut().for_each(|(_, v)| {
        type Keyed = (String, String, bool, (u32, u32, Option<f64>));
        let mut keyed: Vec<Keyed> = v
            .iter()
            .map(|&(a, b, w)| {
                let (ia, ib) = (identity(register, a as usize), identity(register, b as usize));
                if ia <= ib { (ia, ib, w.is_none(), (a, b, w)) } else { (ib, ia, w.is_none(), (b, a, w)) }
            })
            .collect();
        keyed.sort_by(|x, y| (&x.0, &x.1, x.2).cmp(&(&y.0, &y.1, y.2)));
        *v = keyed.into_iter().map(|k| k.3).collect();
    });
    // Built in parallel a batch at a time and written in order, so memory stays bounded.
    let merged: Vec<(u32, &Golden)> =
        goldens.iter().enumerate().filter(|(_, g)| g.members.len() > 1).map(|(k, g)| (k as u32, g)).collect();
    super::write_chunks(w, merged.len(), 256, |out, range| {
        for &(k, g) in &merged[range] {
            let line = {
                let names = MemberNames::new(register, &g.members);
                let mut b = Vec::with_capacity(4096);
                b.extend_from_slice(b"{\"golden_id\":");
                json_str(&mut b, &g.golden_id);
                b.extend_from_slice(format!(",\"member_count\":{},\"members\":[", g.members.len()).as_bytes());
                for (k, &m) in g.members.iter().enumerate() {
                    if k > 0 {
                        b.push(b',');
                    }
                    names.write(&mut b, register, m);
                }
                b.extend_from_slice(b"],\"links\":[");
                for (k, &(x, y, weight)) in links_of.get(&k).map(Vec::as_slice).unwrap_or(&[]).iter().enumerate() {
                    if k > 0 {
                        b.push(b',');
                    }
                    b.extend_from_slice(b"{\"a\":");
                    names.write(&mut b, register, x as usize);
                    b.extend_from_slice(b",\"b\":");
                    names.write(&mut b, register, y as usize);
                    match weight {
                        Some(w) => {
                            b.extend_from_slice(b",\"match_weight\":");
                            let _ = serde_json::to_writer(&mut b, &w);
                        }
                        None => b.extend_from_slice(b",\"decision\":\"same\""),
                    }
                    b.push(b'}');
                }
                b.extend_from_slice(b"],\"fields\":{");
                // A golden account's fields follow the account rules (`[accounts]`).
                let by_kind = rules.for_kind(g.kind());
                for (k, &f) in register.fields_present.iter().enumerate() {
                    if k > 0 {
                        b.push(b',');
                    }
                    json_str(&mut b, f.name());
                    b.extend_from_slice(b":{\"value\":");
                    match g.value(f) {
                        Some(v) => json_str(&mut b, v),
                        None => b.extend_from_slice(b"null"),
                    }
                    b.extend_from_slice(b",\"rule\":");
                    json_str(&mut b, by_kind.rule_name(f));
                    b.extend_from_slice(b",\"from\":");
                    origin_json(&mut b, register, &names, &g.origin(f));
                    b.push(b'}');
                }
                for (spec, c) in register.custom.fields.iter().zip(g.custom()) {
                    if b.last() != Some(&b'{') {
                        b.push(b',');
                    }
                    json_str(&mut b, &spec.name);
                    b.extend_from_slice(b":{\"value\":");
                    match &c.value {
                        Some(v) => json_str(&mut b, v),
                        None => b.extend_from_slice(b"null"),
                    }
                    b.extend_from_slice(b",\"rule\":");
                    json_str(&mut b, c.rule);
                    b.extend_from_slice(b",\"from\":");
                    origin_json(&mut b, register, &names, &c.from);
                    b.push(b'}');
                }
                b.extend_from_slice(b"},\"other_emails\":");
                let _ = serde_json::to_writer(&mut b, g.other_emails());
                b.extend_from_slice(b",\"other_phones\":");
                let _ = serde_json::to_writer(&mut b, g.other_phones());
                b.extend_from_slice(b"}\n");
                b
            };
            out.extend_from_slice(&line);
        }
        Ok(())
    })
}
