//! Cluster: turn scored links into groups of rows that are the same customer.
//!
//! Plain connected components chain different people through a third record (twin A links to a
//! shared-phone record that links to twin B). Instead, links are taken strongest first and two
//! groups are joined unless more pairs across them show strong contrary evidence
//! ([`contrary_evidence`], judged by the learned weights) than support a match, and no pair
//! across them is tied by a unique identifier ([`tied`]), and never against a user's `different`
//! decision. A link must also be
//! corroborated beyond the name ([`corroborated`]). The result does not depend on thread count:
//! links are sorted by weight and then by record index before the greedy pass.

use super::compare::{self, Gammas};

/// A scored link between two records (indices into the register's rows).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    pub a: u32,
    pub b: u32,
    pub weight: f64,
}

/// Evidence against a match, in bits, at or beyond which one comparison on its own is contrary
/// evidence: the level is 16 times rarer among the register's duplicates than by chance. The
/// weights are learned, so whether a differing birth date or surname counts depends on the
/// register: where duplicates keep their birth dates (CRM exports, our generator) a different
/// date is worth -5 bits or less and keeps father and son apart; where a third of duplicates carry
/// a wrong year or day (RLdata10000, Splink's fake_1000) it is worth -3 bits, and the rest of the
/// evidence decides.
pub const STRONG_CONTRARY_BITS: f64 = 4.0;

/// The learned weight of every level, by comparison (`Model::weight`).
pub type LevelWeights = [Vec<f64>];

/// True when two records must not end in one cluster on this pair's evidence:
/// - different genders, or the two genders of a Polish surname (Kowalski vs Kowalska: spouses
///   or siblings; a hand rule, since the grammar of Polish surnames is not something a register
///   of mostly other names can learn);
/// - a differing birth date, at a level the register's duplicates rarely show (its learned
///   weight is [`STRONG_CONTRARY_BITS`] or more against);
/// - clearly different first names (`else`, or only `jw_0.80` alike, as Stine and Signe) or
///   clearly different surnames, when the register's duplicates rarely differ so (the learned
///   weight of `else` is strong) and the two records share no personal contact (e-mail or
///   mobile) and, for surnames, not their street address either. A shared landline does not
///   count: households share landlines and addresses, twins share everything but their first
///   names and own contacts (the generated registers and the kept-aside CRM register hold
///   hundreds of both), and a birthday shared by two Klauses is a coincidence.
///
/// A shared unique identifier ([`tied`]) outweighs a differing birth date or name: that is a
/// typo or a name we do not know.
///
/// `typo` says, per comparison, whether the two values are one keystroke apart (see
/// [`one_keystroke`]); `None` treats `jw_0.80` as different.
pub fn contrary_evidence(g: &Gammas, w: &LevelWeights, typo: Option<[bool; compare::N]>) -> bool {
    use compare::*;
    let strong = |c: usize, level: u8| w[c][level as usize] <= -STRONG_CONTRARY_BITS;
    let personal_contact = (g[EMAIL] == lv!(EMAIL, "exact"))
        || (g[EMAIL] == lv!(EMAIL, "typo"))
        || (g[EMAIL] == lv!(EMAIL, "local_part"))
        || (g[PHONE] == lv!(PHONE, "mobile"))
        || (g[PHONE] == lv!(PHONE, "one_edit"));
    let same_street = (g[ADDRESS] == lv!(ADDRESS, "exact")) || (g[ADDRESS] == lv!(ADDRESS, "street_fuzzy"));
    // `jw_0.80` is a different name (Stine, Signe) unless one keystroke apart (Hubsr for Huber,
    // Kalaus for Klaus): 51 of the 147 pairs RLdata10000 still missed were such surname typos.
    let differs = |c: usize, jw_80: u8, other: u8| {
        (g[c] == other || (g[c] == jw_80 && !typo.is_some_and(|t| t[c]))) && strong(c, other)
    };
    let first_differs = differs(FIRST_NAME, lv!(FIRST_NAME, "jw_0.80"), lv!(FIRST_NAME, "else"));
    let last_differs = differs(LAST_NAME, lv!(LAST_NAME, "jw_0.80"), lv!(LAST_NAME, "else"));
    ((g[GENDER] == lv!(GENDER, "else")) && strong(GENDER, lv!(GENDER, "else")))
        || (g[LAST_NAME] == lv!(LAST_NAME, "polish_gender"))
        || (!tied(g)
            && ((g[BIRTH_DATE] != 0 && w[BIRTH_DATE][g[BIRTH_DATE] as usize] <= -STRONG_CONTRARY_BITS)
                || (!personal_contact && (first_differs || (last_differs && !same_street)))))
}

/// Per comparison, whether the first and last names of two records are one keystroke apart.
pub fn one_keystroke(a: &super::features::Features, b: &super::features::Features) -> [bool; compare::N] {
    use super::similarity::one_edit;
    let mut t = [false; compare::N];
    t[compare::FIRST_NAME] = one_edit(a.first().as_bytes(), b.first().as_bytes());
    t[compare::LAST_NAME] = one_edit(a.last().as_bytes(), b.last().as_bytes());
    t
}

/// True when a pair agrees on something beyond the name: a birth date, a contact, a street
/// address or a national id. A name is not an identity: two `Anna Nowak`s with nothing else in
/// common are namesakes, however rare the name, so such a pair is never linked on its weight.
pub fn corroborated(g: &Gammas) -> bool {
    use compare::*;
    // A birth date one digit off is evidence too (8 bits in RLdata10000, where a third of the
    // duplicates carry one); pairs resting on it and the name face the namesake check.
    lvs!(BIRTH_DATE, ["exact", "day_month_swapped", "one_edit", "two_parts"]).contains(&g[BIRTH_DATE])
        || lvs!(EMAIL, ["exact", "typo", "local_part"]).contains(&g[EMAIL])
        || lvs!(PHONE, ["mobile", "landline", "one_edit"]).contains(&g[PHONE])
        || lvs!(ADDRESS, ["exact", "street_fuzzy"]).contains(&g[ADDRESS])
        || lvs!(NATIONAL_ID, ["exact", "one_edit"]).contains(&g[NATIONAL_ID])
        || name_and_birth_date_only(g)
}

/// True when a pair agrees on the name (both parts, exactly or not) and, beyond it, only on the
/// birth date (exactly or nearly; at most the same town besides), or, when either record has no
/// birth date, only on the town (`postcode_city` or `area`): no contact, street or national id.
/// In a large register such pairs are often different people who happen to share a name and a
/// birthday or a town; see `dedup::NamesakeCheck`. A register without contact data or birth
/// dates (a historical register, a list of names and towns) has nothing else to link on.
pub fn name_and_birth_date_only(g: &Gammas) -> bool {
    use compare::*;
    let by_date = lvs!(BIRTH_DATE, ["exact", "day_month_swapped", "one_edit", "two_parts"]).contains(&g[BIRTH_DATE])
        && !lvs!(ADDRESS, ["exact", "street_fuzzy", "postcode_city"]).contains(&g[ADDRESS]);
    let by_place = lvs!(BIRTH_DATE, ["null", "year"]).contains(&g[BIRTH_DATE])
        && lvs!(ADDRESS, ["postcode_city", "area"]).contains(&g[ADDRESS]);
    lvs!(FIRST_NAME, ["exact", "swapped", "nickname", "jw_0.92", "initial", "jw_0.80"]).contains(&g[FIRST_NAME])
        && lvs!(LAST_NAME, ["exact", "swapped", "polish_gender", "jw_0.92", "phonetic", "jw_0.80"])
            .contains(&g[LAST_NAME])
        && (by_date || by_place)
        && !lvs!(EMAIL, ["exact", "typo", "local_part"]).contains(&g[EMAIL])
        && !lvs!(PHONE, ["mobile", "landline", "one_edit"]).contains(&g[PHONE])
        && !lvs!(NATIONAL_ID, ["exact", "one_edit"]).contains(&g[NATIONAL_ID])
}

/// True when a pair agrees, at least nearly, on two things only one person has (first name,
/// birth date, e-mail, mobile, national id), or on every one of them both records have when
/// that is fewer than two. Training counts only such pairs as possible matches: each kind of
/// look-alike shares one such thing at most (twins their birthday, father and son or namesakes
/// their name, a household none), while a duplicate with one typo still agrees on the rest. In
/// the twins fixture, counting look-alikes taught m that 13% of duplicates have another first
/// name, and twins were merged.
pub fn person_level_agreement(g: &Gammas) -> bool {
    use compare::*;
    let near: [(usize, &[u8]); 5] = [
        (FIRST_NAME, lvs!(FIRST_NAME, ["exact", "swapped", "nickname", "jw_0.92", "initial", "jw_0.80"])),
        (BIRTH_DATE, lvs!(BIRTH_DATE, ["exact", "day_month_swapped", "one_edit", "two_parts", "year"])),
        (EMAIL, lvs!(EMAIL, ["exact", "typo", "local_part"])),
        (PHONE, lvs!(PHONE, ["mobile", "one_edit"])),
        (NATIONAL_ID, lvs!(NATIONAL_ID, ["exact", "one_edit"])),
    ];
    let known = near.iter().filter(|(c, _)| g[*c] != 0).count();
    let agree = near.iter().filter(|(c, levels)| levels.contains(&g[*c])).count();
    agree >= known.min(2) && agree > 0
}

/// True when two records share a unique identifier (a national id, give or take a typo): a tie
/// strong enough to join their groups even if other members of the groups look like different
/// people; or the same e-mail address and the same mobile together. An e-mail address alone is
/// not one: families share one (`sindremoen@online.no` for father and son in the twins
/// fixture), so on its own it lifts only the name checks ([`contrary_evidence`]), not a birth
/// date that differs; a family rarely shares a mobile too (the demo's Kari Nilsen, entered twice
/// with two birth dates, shares both).
pub fn tied(g: &Gammas) -> bool {
    use compare::*;
    // One digit off in a national id is a typo: twins' and siblings' ids differ in several
    // digits because the check digits change with them.
    lvs!(NATIONAL_ID, ["exact", "one_edit"]).contains(&g[NATIONAL_ID])
        || (g[EMAIL] == lv!(EMAIL, "exact") && g[PHONE] == lv!(PHONE, "mobile"))
}

/// How two records relate for clustering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// A user's `different` decision: never in one cluster.
    Forbidden,
    /// Strong contrary evidence.
    Contrary,
    /// A shared unique identifier and no contrary evidence.
    Tied,
    /// Evidence enough for a link on its own, and no contrary evidence.
    Support,
    Neutral,
}

struct Groups {
    parent: Vec<u32>,
    members: Vec<Vec<u32>>,
}

impl Groups {
    fn new(n: usize) -> Groups {
        Groups { parent: (0..n as u32).collect(), members: (0..n as u32).map(|i| vec![i]).collect() }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }

    fn union(&mut self, a: u32, b: u32) {
        let (big, small) =
            if self.members[a as usize].len() >= self.members[b as usize].len() { (a, b) } else { (b, a) };
        self.parent[small as usize] = big;
        let moved = std::mem::take(&mut self.members[small as usize]);
        self.members[big as usize].extend(moved);
    }
}

/// Clusters `n` records. `forced` pairs are joined first, whatever the evidence. Two groups are
/// then joined along a link unless a cross pair is `Forbidden`, or more cross pairs are
/// `Contrary` than `Support` a match and none is `Tied` (a shared national id or e-mail outweighs
/// a conflict between other members, as when one duplicate carries a wrong birth date). The
/// groups are judged on the evidence between all their members: one mistyped member does not
/// keep two well-corroborated groups apart, while twins, whose every cross pair is contrary, stay
/// apart. Returns the cluster label
/// of every record: the smallest record index in its cluster.
pub fn cluster(
    n: usize,
    links: &mut [Link],
    forced: &[(u32, u32)],
    rank: &[u64],
    mut relation: impl FnMut(u32, u32) -> Relation,
) -> (Vec<u32>, u64) {
    let mut g = Groups::new(n);
    let mut refused = 0u64;
    for &(a, b) in forced {
        let (ra, rb) = (g.find(a), g.find(b));
        if ra != rb {
            g.union(ra, rb);
        }
    }
    // Strongest first; links of equal weight in the order of their records' identities (`rank`),
    // so the clusters do not depend on the order of the rows or of the pairs.
    let key = |l: &Link| {
        let (x, y) = (rank[l.a as usize], rank[l.b as usize]);
        (x.min(y), x.max(y))
    };
    links.sort_by(|x, y| {
        y.weight.total_cmp(&x.weight).then(key(x).cmp(&key(y))).then(x.a.cmp(&y.a)).then(x.b.cmp(&y.b))
    });
    for link in links.iter() {
        let (ra, rb) = (g.find(link.a), g.find(link.b));
        if ra == rb {
            continue;
        }
        let (mut contrary, mut support, mut tie, mut forbidden) = (0u32, 0u32, false, false);
        'cross: for &x in &g.members[ra as usize] {
            for &y in &g.members[rb as usize] {
                match relation(x, y) {
                    Relation::Forbidden => {
                        forbidden = true;
                        break 'cross;
                    }
                    Relation::Contrary => contrary += 1,
                    Relation::Support => support += 1,
                    Relation::Tied => tie = true,
                    Relation::Neutral => {}
                }
            }
        }
        if !forbidden && (tie || contrary <= support) {
            g.union(ra, rb);
        } else {
            refused += 1;
        }
    }
    // Number clusters by their smallest member so the numbering is independent of link order.
    let mut label = vec![u32::MAX; n];
    for i in 0..n as u32 {
        let r = g.find(i);
        if label[r as usize] == u32::MAX {
            label[r as usize] = i;
        }
    }
    ((0..n as u32).map(|i| label[g.find(i) as usize]).collect(), refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cannot_chain_two_people_through_a_third() {
        // 0 and 2 are different people; 1 links strongly to both.
        let mut links = vec![
            Link { a: 0, b: 1, weight: 12.0 },
            Link { a: 1, b: 2, weight: 10.0 },
            Link { a: 3, b: 4, weight: 5.0 },
        ];
        let (labels, refused) = cluster(5, &mut links, &[], &[0; 5], |a, b| {
            if (a.min(b), a.max(b)) == (0, 2) { Relation::Contrary } else { Relation::Neutral }
        });
        assert_eq!(labels, vec![0, 0, 2, 3, 3]);
        assert_eq!(refused, 1, "only the 1-2 link is refused");
    }

    #[test]
    fn a_shared_identifier_outweighs_a_conflict_between_other_members() {
        // 0-1 linked; 2 conflicts with 1 but shares a national id with 0.
        let rel = |a: u32, b: u32| match (a.min(b), a.max(b)) {
            (1, 2) => Relation::Contrary,
            (0, 2) => Relation::Tied,
            _ => Relation::Neutral,
        };
        let mut links = vec![Link { a: 0, b: 1, weight: 20.0 }, Link { a: 0, b: 2, weight: 15.0 }];
        assert_eq!(cluster(3, &mut links, &[], &[0; 3], rel), (vec![0, 0, 0], 0));
        // A user's decision is absolute.
        let forbid = |a: u32, b: u32| if (a.min(b), a.max(b)) == (1, 2) { Relation::Forbidden } else { rel(a, b) };
        let mut links = vec![Link { a: 0, b: 1, weight: 20.0 }, Link { a: 0, b: 2, weight: 15.0 }];
        assert_eq!(cluster(3, &mut links, &[], &[0; 3], forbid), (vec![0, 0, 2], 1));
    }

    #[test]
    fn forced_pairs_join_and_order_does_not_matter() {
        // 1 and 3 conflict; which of them joins 2 depends on the weights, not on input order.
        let rel = |a: u32, b: u32| if (a.min(b), a.max(b)) == (1, 3) { Relation::Contrary } else { Relation::Neutral };
        let forced = [(0, 4)];
        let mut links = vec![Link { a: 1, b: 2, weight: 5.0 }, Link { a: 2, b: 3, weight: 9.0 }];
        let a = cluster(5, &mut links, &forced, &[0; 5], rel);
        let mut links_rev = vec![Link { a: 2, b: 3, weight: 9.0 }, Link { a: 1, b: 2, weight: 5.0 }];
        let b = cluster(5, &mut links_rev, &forced, &[0; 5], rel);
        assert_eq!(a, (vec![0, 1, 2, 2, 0], 1));
        assert_eq!(a, b);
    }
}
