//! households.csv: every golden record's household, the rule that formed it and its members,
//! for one letter per home and family offers in the CRM (`household`).

use super::csv_text::Line;
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
    out.flush()?;
    let w = out.into_inner().map_err(|e| e.into_error())?;
    // Formatted by hand in parallel chunks (see `csv_text`): a row per golden record.
    super::write_chunks(w, goldens.len(), 4096, |buf, range| {
        for (g, golden) in range.clone().zip(&goldens[range]) {
            let id = golden.golden_id.as_str();
            let mut line = Line::new(buf);
            line.field(id);
            match households.of(g) {
                Membership::In(h) => {
                    line.field(&h.id);
                    line.field(h.rule.name());
                    line.uint(h.members.len() as u64);
                    line.joined(h.members.iter().map(|&m| goldens[m as usize].golden_id.as_str()), ";");
                }
                Membership::Single => {
                    line.field(&household_id(id));
                    line.field("single");
                    line.uint(1);
                    line.field(id);
                }
                Membership::Organisation => {
                    line.field("");
                    line.field("organisation");
                    line.uint(0);
                    line.field("");
                }
            }
            line.end();
        }
        Ok(())
    })
}
