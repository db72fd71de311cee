//! Drawing the segments: which golden records each segment holds, who is held out, and the
//! values the exports will carry. Pure: the output layer writes what this returns.

use super::HouseholdPick;
use super::values::{self, SegmentValues};
use super::{Memberships, SegmentReport, SegmentRules};
use crate::field::Field;
use crate::household::Households;
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
/// `accounts`: each contact's golden account, which `account.<field>` reads; `households`: whom
/// a one-per-household segment keeps one of). A golden record `suppressed` marks (a suppression
/// list names a member; empty: none) is in no segment.
pub fn draw<'a>(
    rules: &SegmentRules,
    goldens: &'a [Golden],
    stale: &'a [Vec<&'static str>],
    accounts: &'a Accounts,
    households: &Households,
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
    let saved = one_per_household(rules, &mut assignment, goldens, households, &consent);
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
    for ((r, seg), saved) in report.iter_mut().zip(&rules.segments).zip(saved) {
        r.household_pick = seg.one_per_household.map(HouseholdPick::name);
        r.letters_saved = saved;
    }
    Drawn { values, assignment, report, reach: (fresh_in, stale_in) }
}

/// Keeps one member per household in each one-per-household segment: the one its pick prefers,
/// ties to the smallest golden id. Organisations, which have no household, all stay. Returns
/// per segment the members left out (`None` for the other segments).
fn one_per_household(
    rules: &SegmentRules,
    assignment: &mut [Vec<(usize, bool)>],
    goldens: &[Golden],
    households: &Households,
    consent: &[values::Channels],
) -> Vec<Option<usize>> {
    // Consent to the segment's channel, or to post for a segment that requires none.
    let consents = |seg: &super::Segment, g: usize| {
        let channel =
            if seg.require_consent == super::Consent::None { super::Consent::Post } else { seg.require_consent };
        channel.allows(&consent[g])
    };
    let better = |seg: &super::Segment, pick: HouseholdPick, a: usize, b: usize| -> bool {
        let (ga, gb) = (&goldens[a], &goldens[b]);
        fn date(g: &Golden) -> (&str, &str) {
            (g.value(Field::LastActivityAt).unwrap_or(""), g.value(Field::LastOrderAt).unwrap_or(""))
        }
        let revenue = |g: &Golden| g.value(Field::Revenue).and_then(super::rfm::cents).unwrap_or(i128::MIN);
        let order = match pick {
            HouseholdPick::MostRecentActivity => date(ga).cmp(&date(gb)),
            HouseholdPick::HighestRevenue => revenue(ga).cmp(&revenue(gb)),
            HouseholdPick::ConsentRequired => {
                consents(seg, a).cmp(&consents(seg, b)).then_with(|| date(ga).cmp(&date(gb)))
            }
        };
        order.then_with(|| gb.golden_id.cmp(&ga.golden_id)).is_gt()
    };
    rules
        .segments
        .iter()
        .enumerate()
        .map(|(s, seg)| {
            let pick = seg.one_per_household?;
            let mut kept: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
            for (g, list) in assignment.iter().enumerate() {
                if let Some(h) = households.shared(g)
                    && list.iter().any(|&(x, _)| x == s)
                {
                    let best = kept.entry(h).or_insert(g);
                    if better(seg, pick, g, *best) {
                        *best = g;
                    }
                }
            }
            let mut saved = 0;
            for (g, list) in assignment.iter_mut().enumerate() {
                if !list.iter().any(|&(x, _)| x == s) {
                    continue;
                }
                // consent_required: who does not consent leaves, alone or not (not a letter
                // saved: one the segment may not send).
                let refused = pick == HouseholdPick::ConsentRequired && !consents(seg, g);
                let other = households.shared(g).is_some_and(|h| kept.get(&h).is_some_and(|&best| best != g));
                if refused || other {
                    list.retain(|&(x, _)| x != s);
                    saved += usize::from(!refused);
                }
            }
            Some(saved)
        })
        .collect()
}
