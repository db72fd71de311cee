//! Segment history: one JSON line per segment (and variant) per run or measurement, appended to
//! the file given with `--history`, so that segment size, value and campaign results can be
//! followed run after run.
//!
//! Part of the output layer (it formats a file), next to `report`: `run` appends the size and
//! value of every segment and variant (and report.json carries every point so far under
//! `segment_history`, for the report's trend lines); `measure` appends every arm's recipients
//! and rates. Lines hold no personal data. The file is only ever appended to; a line that does
//! not parse stops the run with its line number, so a history is never silently truncated.

use crate::error::Error;
use crate::measure::Measurement;
use crate::segment::SegmentReport;
use serde::{Deserialize, Serialize};
use std::io::Write as _;
use std::path::Path;

/// One line of the history file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// `run` (segment sizes) or `measure` (campaign results).
    pub kind: String,
    /// The run's `--as-of`.
    pub as_of: String,
    pub segment: String,
    /// The variant (or `holdout`, or `treated` in a measurement); none for the whole segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Members (run), or members assigned to the arm (measure).
    pub size: usize,
    /// Summed revenue of the members (run) or of the arm's recipients (measure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipients: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_rate: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_rate: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub click_rate: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversion_rate: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue_per_recipient: Option<f64>,
}

impl Point {
    fn sized(kind: &str, as_of: &str, segment: &str, variant: Option<&str>, size: usize) -> Point {
        Point {
            kind: kind.to_string(),
            as_of: as_of.to_string(),
            segment: segment.to_string(),
            variant: variant.map(str::to_string),
            size,
            value: None,
            recipients: None,
            delivery_rate: None,
            open_rate: None,
            click_rate: None,
            conversion_rate: None,
            revenue_per_recipient: None,
        }
    }
}

/// The points of a run: each segment, then each of its variants.
pub fn run_points(as_of: &str, segments: &[SegmentReport]) -> Vec<Point> {
    let mut out = Vec::new();
    for s in segments {
        let mut p = Point::sized("run", as_of, &s.name, None, s.size);
        p.value = s.revenue_sum.parse().ok();
        out.push(p);
        for (v, r) in &s.variants {
            out.push(Point::sized("run", as_of, &s.name, Some(v), r.size));
        }
    }
    out
}

/// The points of a measurement: each arm of each tested segment.
pub fn measure_points(m: &Measurement) -> Vec<Point> {
    let mut out = Vec::new();
    for s in &m.segments {
        for a in &s.arms {
            let mut p = Point::sized("measure", &m.as_of, &s.segment, Some(&a.arm), a.assigned);
            p.value = Some(a.revenue);
            p.recipients = Some(a.recipients);
            p.delivery_rate = a.delivery_rate;
            p.open_rate = a.open_rate;
            p.click_rate = a.click_rate;
            p.conversion_rate = a.conversion_rate;
            p.revenue_per_recipient = a.revenue_per_recipient;
            out.push(p);
        }
    }
    out
}

/// Every point of a history file; none when it does not exist yet.
pub fn read(path: &Path) -> Result<Vec<Point>, Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let p: Point = serde_json::from_str(line)
            .map_err(|e| Error::input(path, Some(i + 1), Some(e.column()), &format!("not a history line: {e}")))?;
        out.push(p);
    }
    Ok(out)
}

/// Appends points, one JSON line each.
pub fn append(path: &Path, points: &[Point]) -> Result<(), Error> {
    let mut text = String::new();
    for p in points {
        text.push_str(&serde_json::to_string(p).map_err(|e| Error::Usage(format!("history: {e}")))?);
        text.push('\n');
    }
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(|e| Error::io(path, e))?;
    f.write_all(text.as_bytes()).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_round_trip_through_the_file() {
        let dir = std::env::temp_dir().join(format!("regclean-history-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("history.jsonl");
        let _ = std::fs::remove_file(&path);
        assert!(read(&path).unwrap().is_empty());
        let mut p = Point::sized("run", "2026-01-01", "vip", None, 12);
        p.value = Some(1234.5);
        append(&path, std::slice::from_ref(&p)).unwrap();
        append(&path, &[Point::sized("run", "2026-02-01", "vip", Some("a"), 6)]).unwrap();
        let back = read(&path).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0], p);
        std::fs::write(&path, "{\"kind\":\"run\"}\n").unwrap();
        let e = read(&path).unwrap_err().to_string();
        assert!(e.contains("line 1"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
