//! Synthetic campaign results with known true effects, for `regclean measure` demos and tests.
//!
//! Reads a run's segments.csv (who is in which arm) and golden.csv (their e-mail and mobile) and
//! writes one event export (`email,phone,event,timestamp,amount`): sent, delivered, open, click
//! and purchase events for the members of every treated arm, and purchase events only for
//! held-out members who buy anyway (they were sent nothing). The tested segments, in name order,
//! take turns at three scenarios, so every kind of result is in the file:
//!
//! - `effect`: the baseline conversion rate plus a true lift per variant in name order (+3, +6,
//!   +9 percentage points; a segment without variants gets +3), and 10 more currency units of
//!   revenue per order per variant;
//! - `no_effect`: every arm converts at the baseline;
//! - `broken_split`: no true effect, but the sending tool lost 30 % of the last variant's
//!   recipients (a sample ratio mismatch).
//!
//! A customer in several tested segments gets the scenario of the first. Every draw comes from
//! the seed and the golden id, so the same inputs and seed give a byte-identical file. A few
//! e-mails are written in upper case or with a `+tag` (regclean's cleaner must still match
//! them), and three rows are for addresses no customer has (counted as unmatched).

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

/// The baseline conversion rate of every arm without a true lift.
pub const BASELINE: f64 = 0.05;
/// True lift per variant, by position in name order, in the `effect` scenario.
pub const LIFTS: [f64; 3] = [0.03, 0.06, 0.09];
/// Share of the last variant's recipients lost in the `broken_split` scenario.
pub const LOST: f64 = 0.30;
pub const SCENARIOS: [&str; 3] = ["effect", "no_effect", "broken_split"];

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct CampaignSummary {
    pub rows: usize,
    /// Tested segment → scenario.
    pub scenarios: BTreeMap<String, &'static str>,
}

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn bad(path: &Path, what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, format!("{}: {what}", path.display()))
}

/// Writes campaign results for the run in `run_dir`.
pub fn write_campaign(run_dir: &Path, seed: u64, out: &mut dyn Write) -> io::Result<CampaignSummary> {
    // golden.csv: golden id → (e-mail, mobile or phone).
    let path = run_dir.join("golden.csv");
    let mut r = csv::Reader::from_path(&path).map_err(|e| bad(&path, &e.to_string()))?;
    let h = r.headers().map_err(|e| bad(&path, &e.to_string()))?.clone();
    let col = |n: &str| h.iter().position(|x| x == n);
    let (id, email, mobile, phone) = (col("golden_id"), col("email"), col("mobile"), col("phone"));
    let id = id.ok_or_else(|| bad(&path, "no golden_id column"))?;
    let mut contact: BTreeMap<String, (String, String)> = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| bad(&path, &e.to_string()))?;
        let get = |c: Option<usize>| c.map(|c| rec[c].to_string()).unwrap_or_default();
        let tel = if get(mobile).is_empty() { get(phone) } else { get(mobile) };
        contact.insert(rec[id].to_string(), (get(email), tel));
    }
    // segments.csv: tested segment → arm → members; a golden id's first tested segment.
    let path = run_dir.join("segments.csv");
    let mut r = csv::Reader::from_path(&path).map_err(|e| bad(&path, &e.to_string()))?;
    let h = r.headers().map_err(|e| bad(&path, &e.to_string()))?.clone();
    let col = |n: &str| h.iter().position(|x| x == n);
    let (Some(gc), Some(sc), Some(hc), Some(vc)) = (col("golden_id"), col("segment"), col("holdout"), col("variant"))
    else {
        return Err(bad(&path, "expected golden_id, segment, holdout and variant columns"));
    };
    let mut rows: Vec<(String, String, String)> = Vec::new(); // (segment, golden id, arm)
    for rec in r.records() {
        let rec = rec.map_err(|e| bad(&path, &e.to_string()))?;
        let arm = if &rec[hc] == "true" { "holdout".to_string() } else { rec[vc].to_string() };
        rows.push((rec[sc].to_string(), rec[gc].to_string(), arm));
    }
    // A segment is tested when some member is held out or in a variant.
    let mut tested: BTreeMap<String, Vec<String>> = BTreeMap::new(); // segment → variant names
    for (s, _, arm) in &rows {
        if !arm.is_empty() {
            let v = tested.entry(s.clone()).or_default();
            if arm != "holdout" && !v.contains(arm) {
                v.push(arm.clone());
            }
        }
    }
    for v in tested.values_mut() {
        v.sort();
    }
    let mut summary = CampaignSummary::default();
    for (k, s) in tested.keys().enumerate() {
        summary.scenarios.insert(s.clone(), SCENARIOS[k % SCENARIOS.len()]);
    }
    // Each customer once: the first tested segment (in name order) they are in.
    let mut first: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut sorted = rows.clone();
    sorted.sort();
    for (s, g, arm) in sorted {
        if !tested.contains_key(&s) {
            continue;
        }
        let arm = if arm.is_empty() { "treated".to_string() } else { arm };
        first.entry(g).or_insert((s, arm));
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["email", "phone", "event", "timestamp", "amount"])?;
    let mut n = 0;
    for (g, (s, arm)) in &first {
        let Some((email, tel)) = contact.get(g) else { continue };
        if email.is_empty() && tel.is_empty() {
            continue;
        }
        let scenario = summary.scenarios[s];
        let variants = &tested[s];
        let position = variants.iter().position(|v| v == arm);
        let lift = match (scenario, arm.as_str(), position) {
            ("effect", "holdout", _) => 0.0,
            ("effect", _, Some(i)) => LIFTS[i.min(LIFTS.len() - 1)],
            ("effect", _, None) => LIFTS[0], // `treated`: a segment without variants
            _ => 0.0,
        };
        let mut rng = super::Rng::derive(seed, 0x4341_4d50, fnv(g), fnv(s));
        // How the address is spelt in the tool's export.
        let spelt = match rng.below(10) {
            0 => email.to_uppercase(),
            1 if email.contains('@') => email.replacen('@', "+news@", 1),
            _ => email.clone(),
        };
        let (e, p) = if email.is_empty() { (String::new(), tel.clone()) } else { (spelt, String::new()) };
        let day = 1 + rng.below(20);
        let ts = |hour: u64| format!("2026-12-{day:02}T{hour:02}:00:00Z");
        let mut event = |w: &mut csv::Writer<&mut dyn Write>, name: &str, hour: u64, amount: &str| {
            n += 1;
            w.write_record([e.as_str(), p.as_str(), name, ts(hour).as_str(), amount])
        };
        let converted = rng.chance(BASELINE + lift);
        let amount = format!("{}.{:02}", 40 + rng.below(80) + (lift * 1000.0 / 3.0) as u64, rng.below(100));
        if arm != "holdout" {
            let lost =
                scenario == "broken_split" && Some(variants.len().saturating_sub(1)) == position && rng.chance(LOST);
            if !lost {
                event(&mut w, "sent", 8, "")?;
                if rng.chance(0.97) {
                    event(&mut w, "delivered", 8, "")?;
                    if rng.chance(0.35) {
                        event(&mut w, "open", 9, "")?;
                        if rng.chance(0.3) {
                            event(&mut w, "click", 10, "")?;
                        }
                    }
                }
            }
        }
        if converted {
            event(&mut w, "purchase", 12, &amount)?;
        }
    }
    for (i, stranger) in ["nobody@example.invalid", "", "ghost@example.invalid"].iter().enumerate() {
        n += 1;
        w.write_record([*stranger, "", "sent", &format!("2026-12-0{}T08:00:00Z", i + 1), ""])?;
    }
    w.flush()?;
    summary.rows = n;
    Ok(summary)
}
