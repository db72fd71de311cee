//! Cluster: turn scored links into groups of rows that are the same customer.
//!
//! Plain connected components chain different people through a third record (twin A links to a
//! shared-phone record that links to twin B). Instead, links are taken strongest first and two
//! groups are joined by average linkage: when the mean match probability over all pairs of
//! their distinct members is at least one half ([`cluster`]). Hard constraints are kept only for
//! what is truly impossible ([`hard_contrary`], a user's `different`). The result does not depend
//! on thread count: links are sorted by weight and then by record identity before the pass.

use super::compare::{self, Gammas};

/// A scored link between two records (indices into the register's rows).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    pub a: u32,
    pub b: u32,
    pub weight: f64,
}

/// Evidence against a match, in bits, at or beyond which one comparison on its own is contrary
/// evidence for training (see [`contrary_evidence`]): the level is 16 times rarer among the
/// register's duplicates than by chance.
pub const STRONG_CONTRARY_BITS: f64 = 4.0;

/// The learned weight of every level, by comparison (`Model::weight`).
pub type LevelWeights = [Vec<f64>];

/// True when a pair looks like two people by the first round of training's weights, so the
/// second round does not count it as a possible match (twins, father and son, namesakes would
/// otherwise teach m that duplicates differ in first name or birth date as often as look-alikes
/// do; see `model::train`). Clustering does not use it: there every pair counts by its evidence.
/// Contrary is:
/// - different genders at a strongly negative learned weight, or the two genders of a Polish
///   surname;
/// - a differing full birth date at a level the register's duplicates rarely show (its learned
///   weight is [`STRONG_CONTRARY_BITS`] or more against); approximate years never count;
/// - a first name or surname at `else` with a strong learned weight against, when the two share
///   no personal contact (e-mail or mobile) and, for surnames, not their street address either.
///
/// A shared unique identifier ([`tied`]) outweighs a differing birth date or name.
pub fn contrary_evidence(g: &Gammas, w: &LevelWeights) -> bool {
    use compare::*;
    let strong = |c: usize, level: u8| w[c][level as usize] <= -STRONG_CONTRARY_BITS;
    let personal_contact = lvs!(EMAIL, ["exact", "typo", "local_part"]).contains(&g[EMAIL])
        || lvs!(PHONE, ["mobile", "one_edit"]).contains(&g[PHONE]);
    let same_street = lvs!(ADDRESS, ["exact", "street_fuzzy"]).contains(&g[ADDRESS]);
    let differs = |c: usize, other: u8| g[c] == other && strong(c, other);
    let first_differs =
        differs(FIRST_NAME, lv!(FIRST_NAME, "else")) || differs(FIRST_NAME, lv!(FIRST_NAME, "names_alike"));
    let last_differs = differs(LAST_NAME, lv!(LAST_NAME, "else"));
    ((g[GENDER] == lv!(GENDER, "else")) && strong(GENDER, lv!(GENDER, "else")))
        || (g[LAST_NAME] == lv!(LAST_NAME, "polish_gender"))
        || (!tied(g)
            && ((g[BIRTH_DATE] != 0
                && !APPROXIMATE_YEAR.contains(&g[BIRTH_DATE])
                && w[BIRTH_DATE][g[BIRTH_DATE] as usize] <= -STRONG_CONTRARY_BITS)
                || (!personal_contact && (first_differs || (last_differs && !same_street)))))
}

/// True when a pair agrees on the name (both parts, exactly or not) and, beyond it, at most on
/// the birth date (exactly or nearly; at most the same town besides), or, when either record
/// has no full birth date, at most on the town (`postcode_city` or `area`) and an approximate
/// birth year: no contact, street or national id. Such pairs rest on how rare the name is, and
/// in a large register many are different people who happen to share a name and a birthday or
/// a town; `dedup::NamesakeCheck` weighs each pattern of them against what the register predicts
/// by chance. A register without contact data or birth dates (a historical register, a list of
/// names and towns, a voter roll with ages) has nothing else to link on.
pub fn name_and_birth_date_only(g: &Gammas) -> bool {
    use compare::*;
    let by_date = lvs!(BIRTH_DATE, ["exact", "day_month_swapped", "one_edit", "two_parts"]).contains(&g[BIRTH_DATE])
        && !lvs!(ADDRESS, ["exact", "street_fuzzy", "postcode_city"]).contains(&g[ADDRESS]);
    let undated = lvs!(BIRTH_DATE, ["null", "year", "year_near"]).contains(&g[BIRTH_DATE])
        && !lvs!(ADDRESS, ["exact", "street_fuzzy"]).contains(&g[ADDRESS]);
    lvs!(FIRST_NAME, ["exact", "swapped", "nickname", "jw_0.92", "initial", "prefix", "jw_0.80"])
        .contains(&g[FIRST_NAME])
        && lvs!(LAST_NAME, ["exact", "swapped", "polish_gender", "jw_0.92", "phonetic", "jw_0.80"])
            .contains(&g[LAST_NAME])
        && (by_date || undated)
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
/// name, and twins were merged. Two organisations count when they agree on their name and on
/// one more thing only they have (org number, number, street address): chains share a name and
/// website, corporate families an office, neither both name and place.
pub fn person_level_agreement(g: &Gammas) -> bool {
    use compare::*;
    // Organisations: what only one organisation has is its name, org number, number and street
    // address, the name always among them; a chain's shops share the brand's name, website and
    // mailbox, a corporate family its office, number and website, never all of its name.
    if g[ORG_NAME] != 0 || g[WEBSITE] != 0 || g[ORG_NUMBER] != 0 {
        let own: [(usize, &[u8]); 4] = [
            (ORG_NAME, lvs!(ORG_NAME, ["exact", "same_words", "typo", "contained", "most_words"])),
            (ORG_NUMBER, lvs!(ORG_NUMBER, ["exact"])),
            (PHONE, lvs!(PHONE, ["mobile", "landline", "one_edit"])),
            (ADDRESS, lvs!(ADDRESS, ["exact", "street_fuzzy"])),
        ];
        let known = own.iter().filter(|(c, _)| g[*c] != 0).count();
        let agree = own.iter().filter(|(c, levels)| levels.contains(&g[*c])).count();
        // The name among them: a parent and its subsidiary share an office, its number and
        // often the org number's owner, never the name.
        let named = g[ORG_NAME] == 0 || own[0].1.contains(&g[ORG_NAME]);
        return agree >= known.min(2) && agree > 0 && named;
    }
    let near: [(usize, &[u8]); 5] = [
        (FIRST_NAME, lvs!(FIRST_NAME, ["exact", "swapped", "nickname", "jw_0.92", "initial", "prefix", "jw_0.80"])),
        (BIRTH_DATE, lvs!(BIRTH_DATE, ["exact", "day_month_swapped", "one_edit", "two_parts", "year", "year_near"])),
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

/// True when two records can never be one person whatever else agrees: the two genders of a
/// Polish surname (Kowalski and Kowalska: spouses or siblings; a fact of the language that a
/// register of mostly other names cannot learn). Everything else is evidence, weighed with the
/// rest, two different national ids included: FEBRL's duplicates carry ids several keystrokes
/// apart (22 of FEBRL 1's 500 true pairs), so how much a differing id says is learned (its
/// `else` weight), not assumed. Two organisations with two different valid org numbers (each
/// checked against its country's check digits) are two companies: a parent and its
/// subsidiary, or a chain's branches registered apart.
pub fn hard_contrary(g: &Gammas) -> bool {
    use compare::*;
    g[LAST_NAME] == lv!(LAST_NAME, "polish_gender") || g[ORG_NUMBER] == lv!(ORG_NUMBER, "else")
}

/// True when two records carry full birth dates that differ outright (`else`: not a typo, a
/// swap or two parts of three), a level this register's duplicates rarely show (its learned
/// weight is [`STRONG_CONTRARY_BITS`] or more against), and no unique identifier ties them
/// ([`tied`]). In clustering such a pair counts in the groups'
/// mean only with a link's worth of evidence of its own (its probability taken with the link
/// threshold as the prior): an undated record that links to two namesakes of one town born 41
/// years apart (no_contact.csv) must not join them on names and town, while a duplicate with a
/// mistyped date that agrees on everything else still joins. A register
/// whose duplicates often carry another date (fake_1000, RLdata10000: -3 bits) learns a weaker
/// weight, and there the rest of the evidence decides. Approximate years never count.
pub fn different_birthdays(g: &Gammas, w: &LevelWeights) -> bool {
    use compare::*;
    let other = lv!(BIRTH_DATE, "else");
    g[BIRTH_DATE] == other && w[BIRTH_DATE][other as usize] <= -STRONG_CONTRARY_BITS && !tied(g)
}

/// The match probability of a pair with `evidence` bits when a link needs `threshold` bits: the
/// threshold is the prior odds a pair's evidence must overcome, so a pair at the threshold is an
/// even chance.
pub fn probability(evidence: f64, threshold: f64) -> f64 {
    1.0 / (1.0 + (threshold - evidence).exp2())
}

struct Groups {
    parent: Vec<u32>,
    /// The distinct members of each root's group: one row per set of identical rows, so a
    /// contact imported 600 times counts once when groups are weighed.
    members: Vec<Vec<u32>>,
}

impl Groups {
    fn new(n: usize, distinct: &[u32]) -> Groups {
        Groups {
            parent: (0..n as u32).collect(),
            members: (0..n as u32).map(|i| if distinct[i as usize] == i { vec![i] } else { Vec::new() }).collect(),
        }
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

/// Clusters `n` records, taking links strongest first and joining two groups when `accept`
/// holds for the evidence (bits) of every pair of their distinct members (the stage passes
/// average linkage over match probabilities, as the `dedupe` library clusters). `forced` pairs (a user's `same`, identical rows) are joined
/// first, whatever the evidence. Then, link by link, two groups are joined when `accept` holds
/// over every pair of their distinct members (for example a mean [`probability`] of one half),
/// and no pair across them is impossible (`evidence` returns `None`: a user's `different`, or
/// [`hard_contrary`]). So the groups are judged on the evidence between all their members:
/// one mistyped member does not keep two well-linked groups apart, while twins, whose every
/// cross pair speaks against, stay apart, and a third record cannot chain two people whose
/// own pair says they differ unless the rest of the evidence outweighs it. `distinct[i]` is the
/// row that stands for row i among identical rows (itself when it has no copy), so repeated
/// rows count once. Returns the cluster label of every record (the smallest record index in its
/// cluster) and the number of links refused.
pub fn cluster(
    n: usize,
    links: &mut [Link],
    forced: &[(u32, u32)],
    rank: &[u64],
    distinct: &[u32],
    accept: impl Fn(&[f64]) -> bool,
    mut evidence: impl FnMut(u32, u32) -> Option<f64>,
) -> (Vec<u32>, u64) {
    let mut g = Groups::new(n, distinct);
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
    let mut cross: Vec<f64> = Vec::new();
    for link in links.iter() {
        let (ra, rb) = (g.find(link.a), g.find(link.b));
        if ra == rb {
            continue;
        }
        cross.clear();
        let mut impossible = false;
        'cross: for &x in &g.members[ra as usize] {
            for &y in &g.members[rb as usize] {
                match evidence(x, y) {
                    None => {
                        impossible = true;
                        break 'cross;
                    }
                    Some(bits) => cross.push(bits),
                }
            }
        }
        if !impossible && (cross.is_empty() || accept(&cross)) {
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

    fn identity(n: u32) -> Vec<u32> {
        (0..n).collect()
    }

    /// Average linkage at a threshold of 12 bits.
    fn mean(cross: &[f64]) -> bool {
        cross.iter().map(|&e| probability(e, 12.0)).sum::<f64>() >= 0.5 * cross.len() as f64
    }

    #[test]
    fn cannot_chain_two_people_through_a_third() {
        // 0 and 2 are different people (strong evidence against); 1 links to both, to 2 only
        // just above the threshold: the mean over {0,1} x {2} is below one half.
        let mut links = vec![
            Link { a: 0, b: 1, weight: 30.0 },
            Link { a: 1, b: 2, weight: 13.0 },
            Link { a: 3, b: 4, weight: 12.5 },
        ];
        let ev = |a: u32, b: u32| match (a.min(b), a.max(b)) {
            (0, 1) => Some(30.0),
            (1, 2) => Some(13.0),
            (3, 4) => Some(12.5),
            _ => Some(-20.0),
        };
        let (labels, refused) = cluster(5, &mut links, &[], &[0; 5], &identity(5), mean, ev);
        assert_eq!(labels, vec![0, 0, 2, 3, 3]);
        assert_eq!(refused, 1, "only the 1-2 link is refused");
    }

    #[test]
    fn one_weak_member_does_not_keep_two_well_linked_groups_apart() {
        // {0,1} and {2,3}: three cross pairs strongly alike, one (1-3) against.
        let ev = |a: u32, b: u32| if (a.min(b), a.max(b)) == (1, 3) { Some(-8.0) } else { Some(25.0) };
        let mut links = vec![
            Link { a: 0, b: 1, weight: 25.0 },
            Link { a: 2, b: 3, weight: 25.0 },
            Link { a: 0, b: 2, weight: 20.0 },
        ];
        assert_eq!(cluster(4, &mut links, &[], &[0; 4], &identity(4), mean, ev), (vec![0, 0, 0, 0], 0));
    }

    #[test]
    fn an_impossible_pair_or_a_decision_is_absolute() {
        let ev = |a: u32, b: u32| if (a.min(b), a.max(b)) == (1, 2) { None } else { Some(40.0) };
        let mut links = vec![Link { a: 0, b: 1, weight: 40.0 }, Link { a: 0, b: 2, weight: 40.0 }];
        assert_eq!(cluster(3, &mut links, &[], &[0; 3], &identity(3), mean, ev), (vec![0, 0, 2], 1));
    }

    #[test]
    fn repeated_rows_count_once() {
        // Rows 0..=9 are one row imported ten times (forced together, 0 stands for them all);
        // row 10 links to them with a strong pair, row 11 is alike to 10 but, against the
        // copies, weak: counted per row the ten copies would outvote 10's support for 11.
        let mut distinct: Vec<u32> = vec![0; 10];
        distinct.extend([10, 11]);
        let forced: Vec<(u32, u32)> = (1..10).map(|i| (0, i)).collect();
        let ev = |a: u32, b: u32| match (a.min(b), a.max(b)) {
            (0, 10) => Some(30.0),
            (10, 11) => Some(30.0),
            (0, 11) => Some(6.0),
            _ => Some(0.0),
        };
        let mut links = vec![Link { a: 0, b: 10, weight: 30.0 }, Link { a: 10, b: 11, weight: 30.0 }];
        let (labels, _) = cluster(12, &mut links, &forced, &[0; 12], &distinct, mean, ev);
        assert!(labels.iter().all(|&l| l == 0), "{labels:?}");
    }

    #[test]
    fn forced_pairs_join_and_order_does_not_matter() {
        let ev = |a: u32, b: u32| if (a.min(b), a.max(b)) == (1, 3) { Some(-30.0) } else { Some(13.0) };
        let forced = [(0, 4)];
        let mut links = vec![Link { a: 1, b: 2, weight: 13.0 }, Link { a: 2, b: 3, weight: 19.0 }];
        let a = cluster(5, &mut links, &forced, &[0; 5], &identity(5), mean, ev);
        let mut links_rev = vec![Link { a: 2, b: 3, weight: 19.0 }, Link { a: 1, b: 2, weight: 13.0 }];
        let b = cluster(5, &mut links_rev, &forced, &[0; 5], &identity(5), mean, ev);
        assert_eq!(a, (vec![0, 1, 2, 2, 0], 1));
        assert_eq!(a, b);
    }
}
