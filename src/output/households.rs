//! households.csv: every golden record's household, the rule that formed it and its members,
//! for one letter per home and family offers in the CRM (`household`).

use crate::household::{Households, Membership, household_id};
use crate::merge::Golden;
use std::io::Write;

/// households.csv, one row per golden record in golden.csv's order: `golden_id`,
/// `household_id`, `household_rule` (`marked_address`, `address_and_surname`,
/// `shared_landline`, `single`; `organisation` with no household for a golden account),
/// `household_size` and `household_members` (the members' golden ids, `;`-separated).
pub fn write_households(
    w: &mut (dyn Write + Send),
    goldens: &[Golden],
    households: &Households,
) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(["golden_id", "household_id", "household_rule", "household_size", "household_members"])?;
    for (g, golden) in goldens.iter().enumerate() {
        match households.of(g) {
            Membership::In(h) => {
                let members: Vec<&str> = h.members.iter().map(|&m| goldens[m as usize].golden_id.as_str()).collect();
                out.write_record([
                    golden.golden_id.as_str(),
                    &h.id,
                    h.rule.name(),
                    &h.members.len().to_string(),
                    &members.join(";"),
                ])?;
            }
            Membership::Single => {
                let id = golden.golden_id.as_str();
                out.write_record([id, &household_id(id), "single", "1", id])?;
            }
            Membership::Organisation => out.write_record([golden.golden_id.as_str(), "", "organisation", "0", ""])?,
        }
    }
    out.flush()
}
