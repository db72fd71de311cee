//! Campaign result exports, as e-mail and SMS tools write them, read into one kind of fact per
//! row: who (a golden id, an e-mail or a phone) and what happened to them.
//!
//! Files are read by `ingest` (any CSV dialect and encoding, gzip, or a spreadsheet), so a
//! broken row is counted, with its line, and never stops the measurement. Columns are
//! recognised by their normalised header name (lower case, letters and digits only). A file is
//! one of three shapes:
//!
//! - **per recipient**: one row per person sent to, with flags such as `delivered`, `opened`,
//!   `clicked`, `converted` and an amount such as `revenue` (a flag is true unless empty, `0`,
//!   `false`, `no`, `n` or `-`, so a timestamp in `opened_at` counts as opened);
//! - **events**: one row per event with `event` (sent, delivered, open, click, bounce,
//!   conversion/purchase/order, ...), a `timestamp` and an `amount`;
//! - **conversions**: an order or conversion export (an amount or a `converted` flag and none of
//!   the sending columns): its rows are conversions, not sends, which is how the holdout's
//!   conversions are seen.

use crate::error::Error;
use crate::ingest::{self, ReadOptions};
use std::collections::BTreeMap;
use std::path::Path;

/// The shape of a results file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    PerRecipient,
    Events,
    Conversions,
}

/// What one row says happened to its person.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Outcome {
    /// The person was sent the campaign (a row of a per-recipient file, or a sending event).
    pub recipient: bool,
    pub delivered: bool,
    pub opened: bool,
    pub clicked: bool,
    pub converted: bool,
    pub revenue: f64,
}

impl Outcome {
    /// Two rows about the same person: any flag, summed revenue.
    pub fn add(&mut self, o: &Outcome) {
        self.recipient |= o.recipient;
        self.delivered |= o.delivered;
        self.opened |= o.opened;
        self.clicked |= o.clicked;
        self.converted |= o.converted;
        self.revenue += o.revenue;
    }
}

/// One readable row: the person's keys as written (never output) and the outcome.
#[derive(Debug, Clone)]
pub struct Row {
    pub golden_id: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub country: Option<String>,
    /// The campaign or segment the row names (`campaign`, `segment`... column), if the file
    /// has one.
    pub campaign: Option<String>,
    pub outcome: Outcome,
}

/// A results file as read: what the report says about it (no personal data).
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileSummary {
    /// File name (never a path).
    pub file: String,
    pub shape: Shape,
    /// Role → the header of the column used for it.
    pub columns: BTreeMap<&'static str, String>,
    pub rows: usize,
    /// Rows that could not be read (wrong field count, broken quoting...), with their lines.
    pub unreadable_rows: usize,
    pub unreadable_lines: Vec<u32>,
    /// Event rows whose event name is not one regclean knows, by count (not stopped on).
    pub unknown_events: usize,
}

/// Header names of each role, normalised (lower case, letters and digits only).
const ROLES: [(&str, &[&str]); 12] = [
    ("golden_id", &["goldenid"]),
    (
        "email",
        &[
            "email",
            "emailaddress",
            "mail",
            "recipient",
            "recipientemail",
            "to",
            "toaddress",
            "subscriberemail",
            "address",
        ],
    ),
    (
        "phone",
        &["phone", "mobile", "msisdn", "phonenumber", "mobilenumber", "recipientphone", "tonumber", "number", "cell"],
    ),
    ("country", &["country", "countrycode"]),
    ("event", &["event", "eventtype", "type", "action", "activity", "status"]),
    ("delivered", &["delivered", "isdelivered", "deliveredat", "delivery"]),
    ("opened", &["opened", "open", "opens", "isopened", "openedat", "uniqueopens"]),
    ("clicked", &["clicked", "click", "clicks", "isclicked", "clickedat", "uniqueclicks"]),
    ("converted", &["converted", "conversion", "conversions", "purchased", "ordered", "convertedat"]),
    ("revenue", &["revenue", "amount", "ordervalue", "value", "ordertotal", "total", "sales", "conversionvalue"]),
    ("sent", &["sent", "sentat", "senttime", "bounced", "bounce", "unsubscribed"]),
    // The campaign or segment a row is about: only with it can a held-out customer be seen to
    // have been sent this segment's campaign (and not another one's).
    ("campaign", &["campaign", "campaignname", "segment", "segmentname", "utmcampaign", "mailing", "mailingname"]),
];

pub fn normalise_header(h: &str) -> String {
    h.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Which column plays which role: the first column whose header is a known name.
fn roles(headers: &[String]) -> BTreeMap<&'static str, usize> {
    let norm: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    let mut out = BTreeMap::new();
    for (role, names) in ROLES {
        // Earlier names in the list win over later ones, then earlier columns.
        if let Some(c) = names.iter().find_map(|n| norm.iter().position(|h| h == n))
            && !out.values().any(|&used| used == c)
        {
            out.insert(role, c);
        }
    }
    out
}

/// A flag cell: true unless empty or a word for no.
fn truthy(s: &str) -> bool {
    let t = s.trim().to_lowercase();
    !matches!(t.as_str(), "" | "0" | "0.0" | "false" | "no" | "n" | "f" | "-" | "nei" | "nej" | "nie" | "nein" | "non")
}

/// An amount: regclean's money cleaner (thousands separators, decimal commas, currency marks).
fn amount(s: &str) -> f64 {
    crate::normalise::money::clean_money(s).value.and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0)
}

/// What an event name means for its person; `None` for an event regclean does not know.
fn event_outcome(name: &str, revenue: f64) -> Option<Outcome> {
    let n = normalise_header(name);
    let sent = Outcome { recipient: true, ..Outcome::default() };
    Some(match n.as_str() {
        "sent" | "send" | "processed" | "requested" | "queued" | "targeted" | "dropped" | "deferred" | "bounce"
        | "bounced" | "hardbounce" | "softbounce" | "failed" | "undelivered" | "rejected" => sent,
        "delivered" | "delivery" | "unsubscribe" | "unsubscribed" | "spam" | "spamreport" | "complaint" => {
            Outcome { delivered: true, ..sent }
        }
        "open" | "opened" | "uniqueopen" | "view" | "viewed" | "read" => {
            Outcome { delivered: true, opened: true, ..sent }
        }
        "click" | "clicked" | "uniqueclick" | "linkclick" => Outcome { delivered: true, clicked: true, ..sent },
        "conversion" | "converted" | "convert" | "purchase" | "purchased" | "order" | "ordered" | "sale"
        | "transaction" => Outcome { converted: true, revenue, ..Outcome::default() },
        _ => return None,
    })
}

/// Reads one results file.
pub fn read(path: &Path, options: &ReadOptions<'_>) -> Result<(FileSummary, Vec<Row>), Error> {
    let ingested = ingest::ingest(&[path], options, &crate::progress::Silent)?;
    let source = ingested.sources.into_iter().next().expect("one file read");
    let role = roles(&source.headers);
    if !["golden_id", "email", "phone"].iter().any(|r| role.contains_key(r)) {
        return Err(Error::input(
            path,
            Some(1),
            None,
            &format!(
                "no column to find the customer by: expected a golden_id, email or phone column, found {}",
                source.headers.join(", ")
            ),
        ));
    }
    let sending = ["delivered", "opened", "clicked", "sent"].iter().any(|r| role.contains_key(r));
    let shape = if role.contains_key("event") {
        Shape::Events
    } else if !sending && (role.contains_key("converted") || role.contains_key("revenue")) {
        Shape::Conversions
    } else {
        Shape::PerRecipient
    };
    let cell = |row: &ingest::Row, r: &str| -> Option<String> {
        role.get(r).map(|&c| row.values.get(c).trim().to_string()).filter(|v| !v.is_empty())
    };
    let flag = |row: &ingest::Row, r: &str| role.get(r).map(|&c| truthy(row.values.get(c)));
    let mut rows = Vec::with_capacity(ingested.rows.len());
    let mut unknown_events = 0;
    for row in &ingested.rows {
        let revenue = cell(row, "revenue").map(|v| amount(&v)).unwrap_or(0.0);
        let outcome = match shape {
            Shape::PerRecipient => {
                let clicked = flag(row, "clicked").unwrap_or(false);
                let opened = flag(row, "opened").unwrap_or(false);
                Outcome {
                    recipient: true,
                    // Without a delivery column, a recipient row counts as delivered.
                    delivered: flag(row, "delivered").unwrap_or(true) || opened || clicked,
                    opened,
                    clicked,
                    converted: flag(row, "converted").unwrap_or(false) || revenue > 0.0,
                    revenue,
                }
            }
            Shape::Conversions => Outcome {
                converted: flag(row, "converted").unwrap_or(true) || revenue > 0.0,
                revenue,
                ..Outcome::default()
            },
            Shape::Events => match event_outcome(&cell(row, "event").unwrap_or_default(), revenue) {
                Some(o) => o,
                None => {
                    unknown_events += 1;
                    continue;
                }
            },
        };
        rows.push(Row {
            golden_id: cell(row, "golden_id"),
            email: cell(row, "email"),
            phone: cell(row, "phone"),
            country: cell(row, "country"),
            campaign: cell(row, "campaign"),
            outcome,
        });
    }
    let summary = FileSummary {
        file: source.name.clone(),
        shape,
        columns: role.iter().map(|(&r, &c)| (r, source.headers[c].clone())).collect(),
        rows: ingested.rows.len(),
        unreadable_rows: ingested.quarantine.len(),
        unreadable_lines: ingested.quarantine.iter().map(|q| q.line).collect(),
        unknown_events,
    };
    Ok((summary, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_by_their_usual_names() {
        let h: Vec<String> = ["Email Address", "Delivered", "Opened At", "Clicks", "Order Value"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let r = roles(&h);
        assert_eq!(r.get("email"), Some(&0));
        assert_eq!(r.get("delivered"), Some(&1));
        assert_eq!(r.get("opened"), Some(&2));
        assert_eq!(r.get("clicked"), Some(&3));
        assert_eq!(r.get("revenue"), Some(&4));
    }

    #[test]
    fn flags_and_events() {
        for (s, want) in [("", false), ("0", false), ("FALSE", false), ("yes", true), ("2026-11-02 10:00", true)] {
            assert_eq!(truthy(s), want, "{s}");
        }
        assert!(event_outcome("Open", 0.0).unwrap().opened);
        assert!(!event_outcome("purchase", 5.0).unwrap().recipient);
        assert_eq!(event_outcome("purchase", 5.0).unwrap().revenue, 5.0);
        assert!(event_outcome("mystery", 0.0).is_none());
    }
}
