//! segments.csv and segments/<name>.csv: who is in which segment, and the exports a campaign
//! may use.

use crate::error::Error;
use crate::merge::Golden;
use crate::normalise::date::Date;
use crate::report;
use crate::segment::expr::Value;
use crate::segment::values::SegmentValues;
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
        out.write_record(["golden_id", "segment", "holdout"])?;
        for (g, list) in assignment.iter().enumerate() {
            for &(s, held) in list {
                out.write_record([ids[g], rules.segments[s].name.as_str(), if held { "true" } else { "false" }])?;
            }
        }
        out.flush()
    })?;
    let schema = rules.schema();
    // The members each export lists (not held out), in golden record order, in one pass.
    let mut exported: Vec<Vec<usize>> = vec![Vec::new(); rules.segments.len()];
    for (g, list) in assignment.iter().enumerate() {
        for &(s, held) in list {
            if !held {
                exported[s].push(g);
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
        staging.write(&format!("segments/{}.csv", seg.name), |w| {
            let mut out = csv::Writer::from_writer(w);
            let mut header = vec!["golden_id".to_string()];
            header.extend(fields.iter().map(|&i| schema.names[i].clone()));
            out.write_record(&header)?;
            out.flush()?;
            let w = out.into_inner().map_err(|e| e.into_error())?;
            let members = &exported[s];
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
    Ok((
        segment::report(rules, &assignment, goldens, previous),
        report::SegmentReach { fresh_in_segments: fresh_in, stale_in_segments: stale_in },
    ))
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
