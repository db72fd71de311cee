//! measure.json and measure.html: what `regclean measure` found, for machines and for people.
//!
//! Both come from the same `measure::Measurement` and hold no personal data: counts, rates,
//! intervals, segment, variant and file names. The page is self-contained (inline CSS, no
//! script, no external resource). Files are written under a temporary name and renamed into
//! place; nothing else in the folder is touched (it may be the run's own folder).

use crate::error::Error;
use crate::measure::{ArmMeasure, Comparison, Measurement, SegmentMeasure};
use std::fmt::Write as _;
use std::path::Path;

/// Writes measure.json and measure.html into `dir` (created if missing).
pub fn write(dir: &Path, m: &Measurement) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut json = serde_json::to_string_pretty(m).map_err(|e| Error::Usage(format!("measure.json: {e}")))?;
    json.push('\n');
    let files = [("measure.json", json), ("measure.html", html(m))];
    let mut staged = Vec::new();
    for (name, text) in &files {
        let tmp = dir.join(format!(".regclean-tmp-{name}"));
        if let Err(e) = std::fs::write(&tmp, text) {
            for t in &staged {
                let _ = std::fs::remove_file(t);
            }
            return Err(Error::io(&tmp, e));
        }
        staged.push(tmp);
    }
    for ((name, _), tmp) in files.iter().zip(&staged) {
        let path = dir.join(name);
        std::fs::rename(tmp, &path).map_err(|e| Error::io(&path, e))?;
    }
    Ok(())
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn pct(x: Option<f64>) -> String {
    x.map_or("–".to_string(), |v| format!("{:.2} %", v * 100.0))
}

fn money(x: Option<f64>) -> String {
    x.map_or("–".to_string(), |v| format!("{v:.2}"))
}

const CSS: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}\
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}table{border-collapse:collapse;margin:.6em 0}\
td,th{padding:.25em .6em;border-bottom:1px solid #eee;text-align:right}th:first-child,td:first-child{text-align:left}\
.alarm{background:#fde2e1;border-left:4px solid #c62828;padding:.5em 1em;margin:.5em 0}\
.note{background:#fff8e1;border-left:4px solid #f9a825;padding:.5em 1em;margin:.5em 0}\
.win{color:#1b5e20;font-weight:600}.muted{color:#777}";

fn html(m: &Measurement) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>regclean: campaign measurement</title>\
<style>{CSS}</style></head><body>\n<h1>What each campaign did</h1>\n<p class=\"muted\">Run as of {} · {} % intervals: \
proportions by Newcombe's hybrid score (Wilson) interval, revenue by Welch's t · sample ratio mismatch by chi-square, \
flagged at p &lt; {} · a winner is named only when the interval excludes zero.</p>\n",
        esc(&m.as_of),
        m.settings.confidence * 100.0,
        m.settings.srm_p_threshold
    );
    for w in &m.warnings {
        let class = if w.contains("MISMATCH") || w.contains("leaked") { "alarm" } else { "note" };
        let _ = writeln!(h, "<div class=\"{class}\">{}</div>", esc(w));
    }
    let x = &m.matching;
    let _ = writeln!(
        h,
        "<h2>Result files</h2><table><tr><th>File</th><th>Shape</th><th>Rows</th><th>Unreadable</th></tr>{}</table>\
<p>{} rows: {} matched ({} by golden id, {} by e-mail, {} by phone), {} unmatched ({} without a key, {} unknown, \
{} ambiguous). {} customers were sent to, {} of them outside the tested segments.</p>",
        m.results_files
            .iter()
            .map(|f| format!(
                "<tr><td>{}</td><td>{:?}</td><td>{}</td><td>{}</td></tr>",
                esc(&f.file),
                f.shape,
                f.rows,
                f.unreadable_rows
            ))
            .collect::<String>(),
        x.rows,
        x.matched_rows,
        x.by_golden_id,
        x.by_email,
        x.by_phone,
        x.unmatched_rows,
        x.unmatched_no_key,
        x.unmatched_unknown,
        x.unmatched_ambiguous,
        x.recipients,
        x.recipients_outside_tested_segments
    );
    for s in &m.segments {
        segment(&mut h, s);
    }
    h.push_str("</body></html>\n");
    h
}

fn segment(h: &mut String, s: &SegmentMeasure) {
    let _ = writeln!(h, "<h2>{}</h2>", esc(&s.segment));
    if s.srm.mismatch {
        let _ = writeln!(
            h,
            "<div class=\"alarm\">Sample ratio mismatch: the arms are not the sizes the split promised \
(assignment p = {}, recipients p = {}). Do not trust the lifts below until the cause is found.</div>",
            s.srm.assignment.as_ref().map_or("–".into(), |c| format!("{:.2e}", c.p_value)),
            s.srm.recipients.as_ref().map_or("–".into(), |c| format!("{:.2e}", c.p_value))
        );
    }
    if let Some(leaked) = s.holdout_leaked.filter(|&n| n > 0) {
        let _ = writeln!(h, "<div class=\"alarm\">{leaked} held-out customers were sent the campaign.</div>");
    }
    if s.mde.too_small_to_test {
        // One coherent verdict: a winner found in a test smaller than planned is still a winner.
        let verdict = match s.first_winner() {
            Some((arm, _, _)) => format!("Winner: {}, though the test was smaller than planned", esc(arm)),
            None => "Too small to test".to_string(),
        };
        let _ = writeln!(
            h,
            "<div class=\"note\">{verdict}: the smallest detectable lift in conversion is {} (baseline {}).</div>",
            pct(s.mde.absolute),
            pct(s.mde.baseline_conversion_rate)
        );
    } else {
        let _ = writeln!(
            h,
            "<p class=\"muted\">Smallest detectable lift in conversion (80 % power, 5 % level): {} on a baseline of {}.</p>",
            pct(s.mde.absolute),
            pct(s.mde.baseline_conversion_rate)
        );
    }
    h.push_str(
        "<table><tr><th>Arm</th><th>Declared</th><th>Assigned</th><th>Recipients</th><th>Delivered</th><th>Opened</th>\
<th>Clicked</th><th>Converted</th><th>Revenue / recipient</th></tr>\n",
    );
    for a in &s.arms {
        arm(h, a);
    }
    h.push_str("</table>\n<table><tr><th>Arm</th><th>Against</th><th>Metric</th><th>Difference</th><th>95 % interval</th><th>p</th><th>Method</th><th>Winner</th></tr>\n");
    for c in &s.comparisons {
        comparison(h, c);
    }
    h.push_str("</table>\n");
}

fn arm(h: &mut String, a: &ArmMeasure) {
    let _ = writeln!(
        h,
        "<tr><td>{}{}</td><td>{} %</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} ({})</td><td>{}</td></tr>",
        esc(&a.arm),
        if a.control { " (control)" } else { "" },
        a.declared_percent,
        a.assigned,
        a.recipients,
        pct(a.delivery_rate),
        pct(a.open_rate),
        pct(a.click_rate),
        pct(a.conversion_rate),
        a.converted,
        money(a.revenue_per_recipient)
    );
}

fn comparison(h: &mut String, c: &Comparison) {
    let money_metric = c.metric == "revenue_per_recipient";
    let f = |v: f64| if money_metric { format!("{v:.2}") } else { format!("{:.2} pp", v * 100.0) };
    let _ = writeln!(
        h,
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} to {}</td><td>{:.4}</td><td>{}</td><td>{}</td></tr>",
        esc(&c.arm),
        esc(&c.against),
        c.metric,
        f(c.difference),
        f(c.ci_low),
        f(c.ci_high),
        c.p_value,
        c.method,
        c.winner.as_deref().map_or("<span class=\"muted\">none (interval crosses zero)</span>".to_string(), |w| {
            format!("<span class=\"win\">{}</span>", esc(w))
        })
    );
}
