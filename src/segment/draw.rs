//! Drawing the segments: which golden records each segment holds, who is held out, and the
//! values the exports will carry. Pure: the output layer writes what this returns.

use super::values::{self, SegmentValues};
use super::{Memberships, SegmentReport, SegmentRules};
use crate::merge::Golden;
use crate::merge::accounts::Accounts;
use crate::normalise::date::Date;

/// The segments over one run's golden records.
pub struct Drawn<'a> {
    /// Every golden record's values, as conditions and exports read them.
    pub values: SegmentValues<'a>,
    /// Per golden record (in golden order), its (segment index, held out) memberships.
    pub assignment: Vec<Vec<(usize, bool)>>,
    /// Per segment: size, holdout, value, and entered/left/stayed against `--previous`.
    pub report: Vec<SegmentReport>,
    /// Golden records in at least one segment: (not stale, stale).
    pub reach: (usize, usize),
}

/// Draws every segment of `rules` over `goldens` (`stale`: each golden record's stale codes;
/// `accounts`: each contact's golden account, which `account.<field>` reads). A golden record
/// `suppressed` marks (a suppression list names a member; empty: none) is in no segment.
pub fn draw<'a>(
    rules: &SegmentRules,
    goldens: &'a [Golden],
    stale: &'a [Vec<&'static str>],
    accounts: &'a Accounts,
    as_of: Date,
    previous: Option<&Memberships>,
    suppressed: &[bool],
) -> Drawn<'a> {
    let values = SegmentValues::new(goldens, stale, as_of).with_custom(&rules.custom).with_accounts(accounts);
    let is_stale: Vec<bool> = stale.iter().map(|r| !r.is_empty()).collect();
    let consent = values::consent(goldens);
    let ids: Vec<&str> = goldens.iter().map(|g| g.golden_id.as_str()).collect();
    let used = rules.fields_used();
    let mut assignment = rules.assign(&|g| values.used(g, &used), &is_stale, &consent, &ids, as_of);
    for (list, _) in assignment.iter_mut().zip(suppressed).filter(|(_, s)| **s) {
        list.clear();
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
    let mut report = super::report(rules, &assignment, goldens, previous);
    let why = rules.why_empty(&|g| values.used(g, &used), &is_stale, &consent, &assignment, as_of);
    for (r, why) in report.iter_mut().zip(why) {
        r.empty_because = why;
    }
    Drawn { values, assignment, report, reach: (fresh_in, stale_in) }
}
