//! segments.csv and segments/<name>.csv: who is in which segment, and the exports a campaign
//! may use.
//!
//! segments.csv has a `variant` column: the variant's name for a member of a segment with A/B
//! variants, `holdout` for a held-out member (with or without variants), and empty for a member
//! of a segment without variants that is not held out. A segment with variants is exported as
//! one file per variant, `segments/<name>.<variant>.csv` (segment and variant names cannot hold
//! a dot), and not as `segments/<name>.csv`, so that no campaign sends one file to everyone.

use crate::error::Error;
use crate::merge::Golden;
use crate::normalise::date::Date;
use crate::report;
use crate::segment::expr::Value;
use crate::segment::values::SegmentValues;
use crate::segment::variants::{Arm, HOLDOUT};
use crate::segment::{self, SegmentRules};

/// segments.csv (every membership with its holdout flag) and segments/<name>.csv (the members
/// a campaign may contact: not held out; consent and staleness were checked on entry).
#[allow(clippy::too_many_arguments)] // the segment stage's inputs and the two output settings
pub fn write_segments(
    rules: &SegmentRules,
    as_of: Date,
    guard_on: bool,
    output_columns: Option<&Vec<String>>,
    goldens: &[Golden],
    stale: &[Vec<&'static str>],
    previous: Option<&segment::Memberships>,
    staging: &mut super::Staging,
    neutralised: &std::sync::atomic::AtomicUsize,
) -> Result<(Vec<segment::SegmentReport>, report::SegmentReach), Error> {
    let values = SegmentValues::new(goldens, stale, as_of).with_custom(&rules.custom);
    let is_stale: Vec<bool> = stale.iter().map(|r| !r.is_empty()).collect();
    let consent = segment::values::consent(goldens);
    let ids: Vec<&str> = goldens.iter().map(|g| g.golden_id.as_str()).collect();
    let used = rules.fields_used();
    let assignment = rules.assign(&|g| values.used(g, &used), &is_stale, &consent, &ids, as_of);
    staging.write("segments.csv", |w| {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(["golden_id", "segment", "holdout", "variant"])?;
        for (g, list) in assignment.iter().enumerate() {
            for &(s, held) in list {
                let seg = &rules.segments[s];
                let variant = variant_name(seg, held, ids[g]);
                out.write_record([ids[g], seg.name.as_str(), if held { "true" } else { "false" }, variant])?;
            }
        }
        out.flush()
    })?;
    let schema = rules.schema();
    // The members each export lists (not held out), in golden record order, in one pass; one
    // list per variant for a segment with variants.
    let mut exported: Vec<Vec<Vec<usize>>> =
        rules.segments.iter().map(|s| vec![Vec::new(); s.variants.len().max(1)]).collect();
    for (g, list) in assignment.iter().enumerate() {
        for &(s, held) in list {
            if !held {
                let k = match segment::arm(&rules.segments[s], ids[g]) {
                    Arm::Variant(k) => k,
                    _ => 0,
                };
                exported[s][k].push(g);
            }
        }
    }
    for (s, seg) in rules.segments.iter().enumerate() {
        // The segment's export fields, less any that --output-columns leaves out.
        let fields: Vec<usize> = seg
            .export
            .iter()
            .copied()
            .filter(|&i| schema.names[i] != "golden_id")
            .filter(|&i| output_columns.is_none_or(|cols| cols.contains(&schema.names[i])))
            .collect();
        for (k, members) in exported[s].iter().enumerate() {
            let file = match seg.variants.get(k) {
                Some((variant, _)) => format!("segments/{}.{variant}.csv", seg.name),
                None => format!("segments/{}.csv", seg.name),
            };
            staging.write(&file, |w| {
                let mut out = csv::Writer::from_writer(w);
                let mut header = vec!["golden_id".to_string()];
                header.extend(fields.iter().map(|&i| schema.names[i].clone()));
                out.write_record(&header)?;
                out.flush()?;
                let w = out.into_inner().map_err(|e| e.into_error())?;
                super::write_chunks(w, members.len(), 1024, |buf, range| {
                    let mut out = csv::Writer::from_writer(buf);
                    for &g in &members[range] {
                        let mut rec = vec![ids[g].to_string()];
                        rec.extend(values.some(g, &fields).iter().map(format_value));
                        out.write_record(super::guard(&rec, guard_on, neutralised).iter().map(|c| c.as_bytes()))?;
                    }
                    out.flush()
                })
            })?;
        }
    }
    let (mut fresh_in, mut stale_in) = (0, 0);
    for (g, list) in assignment.iter().enumerate() {
        if !list.is_empty() {
            if is_stale[g] {
                stale_in += 1;
            } else {
                fresh_in += 1;
            }
        }
    }
    let mut reports = segment::report(rules, &assignment, goldens, previous);
    let why = rules.why_empty(&|g| values.used(g, &used), &is_stale, &consent, &assignment, as_of);
    for (r, why) in reports.iter_mut().zip(why) {
        r.empty_because = why;
    }
    Ok((reports, report::SegmentReach { fresh_in_segments: fresh_in, stale_in_segments: stale_in }))
}

/// The `variant` column of segments.csv for one membership.
fn variant_name<'a>(seg: &'a segment::Segment, held: bool, golden_id: &str) -> &'a str {
    if held {
        return HOLDOUT;
    }
    match segment::arm(seg, golden_id) {
        Arm::Variant(k) => seg.variants[k].0.as_str(),
        _ => "",
    }
}

fn format_value(v: &Option<Value>) -> String {
    match v {
        None => String::new(),
        Some(Value::Text(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Tags(t)) => t.join(";"),
        Some(Value::Date(d)) => d.to_string(),
        Some(Value::Number(n)) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Some(Value::Number(n)) => format!("{n:.2}"),
    }
}
