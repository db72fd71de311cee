//! Progress bars for `regclean run`: the library reports stages through `pipeline::Progress`;
//! this draws them on a terminal (never into a pipe, never with --quiet) and keeps each stage's
//! time for `REGCLEAN_TIMINGS`.

use regclean::pipeline;

/// Progress on the terminal (only when stderr is a terminal and not --quiet): each stage shows
/// a spinner with its name and elapsed time, which becomes a bar with count, rate and time left
/// once the stage reports progress (bytes read, rows normalised, pairs scored, rows written).
/// Also keeps the time each stage took, for the closing summary.
pub struct Bars {
    bar: std::sync::Mutex<Option<StageBar>>,
    pub times: std::sync::Mutex<Vec<StageTime>>,
    draw: bool,
}

/// A finished stage: its name, wall time, CPU seconds, and the resident and peak memory (KiB)
/// at its end.
pub type StageTime = (&'static str, std::time::Duration, f64, u64, u64);

/// The stage being shown.
struct StageBar {
    bar: indicatif::ProgressBar,
    name: &'static str,
    started: std::time::Instant,
    cpu: f64,
    /// The stage has advanced, so it is drawn as a bar rather than a spinner.
    counting: bool,
}

/// The spinner of a stage that has not (yet) reported how far it is.
const SPINNER_TEMPLATE: &str = "{spinner} {msg:24} {elapsed_precise}";

/// The bar of a stage that counts, in the stage's unit (see `Progress`): bytes for reading,
/// pairs for scoring, rows otherwise.
fn bar_template(stage: &str) -> &'static str {
    if stage == "ingest" {
        "{spinner} {msg:24} [{bar:30}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec}, {eta} left"
    } else if stage == "dedup: scoring" {
        "{spinner} {msg:24} [{bar:30}] {human_pos}/{human_len} pairs {rate}, {eta} left"
    } else {
        "{spinner} {msg:24} [{bar:30}] {human_pos}/{human_len} rows {rate}, {eta} left"
    }
}

fn style(template: &str) -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(template)
        .map(|s| {
            // `{rate}`: whole rows or pairs a second ("186,361/s"); indicatif's `{per_sec}`
            // prints four decimals.
            s.progress_chars("=> ").with_key("rate", |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}/s", indicatif::HumanCount(state.per_sec() as u64));
            })
        })
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner())
}

impl Bars {
    pub fn new(quiet: bool) -> Bars {
        use std::io::IsTerminal;
        Bars { bar: Default::default(), times: Default::default(), draw: !quiet && std::io::stderr().is_terminal() }
    }
}

impl pipeline::Progress for Bars {
    fn stage(&self, name: &'static str, total: u64) {
        let Ok(mut slot) = self.bar.lock() else { return };
        // The same stage again before it finished: its work grew (scoring, rule by rule).
        if let Some(current) = slot.as_ref()
            && current.name == name
        {
            current.bar.inc_length(total);
            return;
        }
        let bar = if self.draw {
            let b = indicatif::ProgressBar::new(total);
            b.set_style(style(SPINNER_TEMPLATE));
            b.set_message(name);
            b.enable_steady_tick(std::time::Duration::from_millis(250));
            b
        } else {
            // Hidden, but counting like a drawn one.
            indicatif::ProgressBar::with_draw_target(Some(total), indicatif::ProgressDrawTarget::hidden())
        };
        *slot = Some(StageBar { bar, name, started: std::time::Instant::now(), cpu: cpu_seconds(), counting: false });
    }
    fn advance(&self, n: u64) {
        if let Ok(mut slot) = self.bar.lock()
            && let Some(s) = slot.as_mut()
        {
            if !s.counting && self.draw {
                s.bar.set_style(style(bar_template(s.name)));
                s.counting = true;
            }
            s.bar.inc(n);
        }
    }
    fn finish(&self) {
        if let Ok(mut slot) = self.bar.lock()
            && let Some(s) = slot.take()
        {
            s.bar.finish_and_clear();
            if let Ok(mut t) = self.times.lock() {
                let (rss, peak) = memory_kib();
                t.push((s.name, s.started.elapsed(), cpu_seconds() - s.cpu, rss, peak));
            }
        }
    }
}

/// CPU time (user and system, all threads) of this process in seconds, from /proc/self/stat
/// (Linux, where a clock tick is 1/100 s; zero elsewhere). CPU over wall time shows how well a
/// stage uses the cores.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at the state, field 3;
    // utime and stime are fields 14 and 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let ticks: u64 = rest.split_whitespace().skip(11).take(2).filter_map(|t| t.parse::<u64>().ok()).sum();
    ticks as f64 / 100.0
}

/// Resident and peak resident memory of this process in KiB (Linux; zeros elsewhere).
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use regclean::pipeline::Progress;

    #[test]
    fn every_counting_stage_shows_count_rate_and_time_left() {
        for (stage, count, rate) in [
            ("ingest", "{binary_bytes}/{binary_total_bytes}", "{binary_bytes_per_sec}"),
            ("normalise", "{human_pos}/{human_len} rows", "{rate}"),
            ("dedup: scoring", "{human_pos}/{human_len} pairs", "{rate}"),
            ("write: records.csv", "{human_pos}/{human_len} rows", "{rate}"),
            ("write: golden.csv", "{human_pos}/{human_len} rows", "{rate}"),
        ] {
            let t = bar_template(stage);
            assert!(t.contains(count) && t.contains(rate) && t.contains("{eta}"), "{stage}: {t}");
            assert!(indicatif::ProgressStyle::with_template(t).is_ok(), "{stage}: {t}");
        }
        assert!(indicatif::ProgressStyle::with_template(SPINNER_TEMPLATE).is_ok());
    }

    #[test]
    fn a_stage_named_again_grows_and_its_time_is_kept_once() {
        let bars = Bars::new(true);
        bars.stage("dedup: scoring", 0);
        for pairs in [10, 20] {
            bars.stage("dedup: scoring", pairs);
            bars.advance(pairs);
        }
        {
            let slot = bars.bar.lock().unwrap();
            let s = slot.as_ref().unwrap();
            assert_eq!((s.bar.position(), s.bar.length()), (30, Some(30)));
        }
        bars.finish();
        let times = bars.times.lock().unwrap();
        assert_eq!(times.iter().map(|t| t.0).collect::<Vec<_>>(), ["dedup: scoring"]);
    }
}
