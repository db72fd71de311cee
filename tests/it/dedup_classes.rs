//! Dedup failure classes: one small labelled register per class of records the engine may get
//! wrong, written by `fixtures/dedup_classes/make.py`, a generator that shares none of the engine's
//! assumptions (see `fixtures/dedup_classes/README.md`). Each test runs the binary on one register,
//! scores `golden_id` against the register's `entity_id` truth column pairwise (precision, recall,
//! F1), prints the scores with a few sample errors, and asserts the target below.
//!
//! `entity_id` is `<group>-<member>`: entities of one group are deliberate look-alikes that must
//! stay apart (in number_first.csv, twins.csv and crm_twins.csv a group is everyone at one address:
//! households, twins, father and son; in voter_snapshots.csv and snapshots_years.csv an `A` group
//! is everyone at one address, an `N` group namesakes in one city; in titles.csv a `T` group is a
//! title cohort, in name_year_relatives.csv an `F` group a family, in import_loop.csv `L0001` the
//! looped contact and their spouse; in the organisation registers a group is a set of companies
//! that look alike (org_duplicates.csv), a chain whose shops are its members (org_branches.csv), a
//! corporate family (org_parents.csv), or a company's account and its contacts
//! (mixed_accounts_contacts.csv)).

use super::*;
use std::collections::HashMap;
use std::hash::Hash;

/// Minimum pairwise F1 per register.
const F1_NUMBER_FIRST: f64 = 0.95;
const F1_NO_CONTACT: f64 = 0.90;
const F1_PLACEHOLDERS: f64 = 0.90;
const F1_EMAIL_TYPOS: f64 = 0.95;
const F1_TWINS: f64 = 0.95;
const F1_VOTER_SNAPSHOTS: f64 = 0.90;
const F1_CRM_TWINS: f64 = 0.95;
/// Issue 24's target. 0.652 while ages six years apart were compared at `year_far` (half the
/// returners missed); 0.948 once the window is learned from the register's own export shifts
/// (`birth::learn_year_near`); 0.978 once middle names are compared (returners who moved town
/// agree on them, namesakes of one town do not).
const F1_SNAPSHOTS_YEARS: f64 = 0.95;
const F1_TITLES: f64 = 0.85;
/// This class's first target was 0.85; issue 24 asks for at least Splink's F1 on such a
/// register. 0.582 while every blocking rule that compared these records keyed on both names, so
/// training never learned how often duplicates spell a surname differently (m stayed at its
/// starting guess); 0.684 with the rules on the first initial or the surname's sound and the
/// birth year. Splink 5 (`bench/splink_names_years.py`: name comparisons, birth year within
/// 1/3/5, the parish) reaches 0.589 at its best threshold (0.9). Spelling variants with a year
/// off are still missed: the namesake check expects as many coincidences as a register of
/// independent births holds, and this generator forbids them. A floor against regression,
/// above Splink's.
const F1_NAME_YEAR_RELATIVES: f64 = 0.65;
const F1_IMPORT_LOOP: f64 = 0.95;
const F1_UNALLOCATED_PHONES: f64 = 0.95;
/// Most false pairs allowed that join different entities of one look-alike group: sharing an
/// address (number_first.csv, twins.csv, voter_snapshots.csv, crm_twins.csv, snapshots_years.csv,
/// import_loop.csv) or namesakes in one city (voter_snapshots.csv, snapshots_years.csv).
const MAX_SAME_ADDRESS_FALSE_PAIRS: u64 = 2;
/// Most false pairs allowed within a title cohort (titles.csv) or a family known by names and
/// birth years only (name_year_relatives.csv).
const MAX_COHORT_FALSE_PAIRS: u64 = 10;
/// no_contact.csv: namesakes of one town (born years apart) joined through a record without a
/// birth date; 6 before and after issue 24's changes, 24 while a full birth date that differs
/// outright was only a weight in the groups' mean, 4 once an undated link is also decided on
/// the people its name's dated records show (`dedup::NamesByPeople`).
const MAX_NAMESAKE_FALSE_PAIRS: u64 = 4;
/// The contact imported 600 times in import_loop.csv, and all its rows (the 600, one with first
/// and last name swapped, one after a move).
const IMPORT_LOOP_ENTITY: &str = "L0001-1";
const IMPORT_LOOP_ROWS: usize = 602;
/// Organisation registers (issue 26). What a serious tool must reach on each is F1 0.90 with at
/// most 2 false pairs within a look-alike group; where the engine does better, the floor sits a
/// little below what it reaches (measured on the merge of main at 734826a).
/// org_duplicates.csv: F1 0.9932 (P 1.0000, R 0.9865), no look-alike joined; 0.9883 (R 0.9769)
/// once national numbers without a country are keyed and names compared word for word.
const F1_ORG_DUPLICATES: f64 = 0.98;
/// org_branches.csv: F1 0.9976 (P 1.0000), no false pairs within chains; 0.9583 with 17 while a
/// chain-wide org number and website weighed as one account's (13 bits with the name, against a
/// different street): now they lose log2 of the locations that carry them
/// (`sharing::count_locations`).
const F1_ORG_BRANCHES: f64 = 0.97;
/// org_parents.csv: F1 0.9833 (P 0.9888, R 0.9779), 2 false pairs within families (0.9115 and
/// 28 before the `family` level of company names).
const F1_ORG_PARENTS: f64 = 0.97;
/// mixed_accounts_contacts.csv: F1 0.9371 (P 1.0000, R 0.8817), no colleagues joined.
const F1_MIXED_ACCOUNTS_CONTACTS: f64 = 0.92;
/// Most false pairs allowed within a look-alike group of an organisation register: companies
/// named alike, one chain's shops, one corporate family, one company's account and contacts.
const MAX_ORG_LOOKALIKE_FALSE_PAIRS: u64 = 2;
/// Sample false and missed pairs printed per register.
const SAMPLES: usize = 5;

const DIR: &str = "fixtures/dedup_classes";

/// Pairwise counts of a clustering against the truth.
#[derive(Debug, PartialEq)]
struct Score {
    rows: usize,
    entities: usize,
    /// Pairs of rows with the same entity.
    true_pairs: u64,
    /// Pairs of rows with the same golden id.
    predicted_pairs: u64,
    /// Pairs of rows with the same golden id and the same entity.
    correct_pairs: u64,
    /// Pairs of rows with the same golden id, different entities of the same look-alike group.
    lookalike_false_pairs: u64,
}

impl Score {
    /// 1 when nothing was merged (no pair claimed, none wrong).
    fn precision(&self) -> f64 {
        if self.predicted_pairs == 0 { 1.0 } else { self.correct_pairs as f64 / self.predicted_pairs as f64 }
    }

    /// 1 when the truth has no pairs.
    fn recall(&self) -> f64 {
        if self.true_pairs == 0 { 1.0 } else { self.correct_pairs as f64 / self.true_pairs as f64 }
    }

    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

/// Pairs of items with equal keys: the sum of n(n-1)/2 over the keys' counts.
fn pairs<K: Eq + Hash>(keys: impl Iterator<Item = K>) -> u64 {
    let mut counts: HashMap<K, u64> = HashMap::new();
    for k in keys {
        *counts.entry(k).or_insert(0) += 1;
    }
    counts.values().map(|n| n * (n - 1) / 2).sum()
}

/// The look-alike group of an entity id (`A0042-2` -> `A0042`; an id without `-` is its own group).
fn group(entity: &str) -> &str {
    entity.split_once('-').map_or(entity, |(g, _)| g)
}

/// Scores row i's `golden[i]` against its `entity[i]`.
fn score(golden: &[&str], entity: &[&str]) -> Score {
    assert_eq!(golden.len(), entity.len());
    let correct_pairs = pairs(golden.iter().zip(entity));
    // Same golden id and same group: the correct pairs plus the look-alikes wrongly joined.
    let same_group = pairs(golden.iter().zip(entity.iter().map(|e| group(e))));
    Score {
        rows: golden.len(),
        entities: entity.iter().collect::<std::collections::HashSet<_>>().len(),
        true_pairs: pairs(entity.iter()),
        predicted_pairs: pairs(golden.iter()),
        correct_pairs,
        lookalike_false_pairs: same_group - correct_pairs,
    }
}

/// Up to `n` pairs of row indexes (i < j) where `a` is equal and `b` differs.
fn sample_pairs(a: &[&str], b: &[&str], n: usize) -> Vec<(usize, usize)> {
    let mut by_a: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, k) in a.iter().enumerate() {
        by_a.entry(k).or_default().push(i);
    }
    let mut out = Vec::new();
    for i in 0..a.len() {
        for &j in &by_a[a[i]] {
            if j > i && b[i] != b[j] && out.len() < n {
                out.push((i, j));
            }
        }
    }
    out
}

/// Runs regclean on one register, prints its scores and sample errors, and checks the targets.
fn check_register(name: &str, min_f1: f64, max_same_address_false_pairs: Option<u64>) {
    let input = format!("{DIR}/{name}");
    let out = TempDir::new(name.trim_end_matches(".csv"));
    run_ok(&[&input], out.path(), &["--as-of", AS_OF, "-q"]);

    let (in_header, in_rows) = read_csv(&root().join(&input));
    assert_eq!(in_header.last().map(String::as_str), Some("entity_id"), "{name}: entity_id is the last column");
    let (header, rows) = read_csv(&out.path().join("records.csv"));
    let col = |h: &str| header.iter().position(|x| x == h).unwrap_or_else(|| panic!("{name}: no {h} in records.csv"));
    let (g, e) = (col("golden_id"), col("entity_id"));
    // Every input row is scored, in input order, with its truth passed through unchanged.
    assert_eq!(rows.len(), in_rows.len(), "{name}: rows quarantined");
    for (i, (r, inr)) in rows.iter().zip(&in_rows).enumerate() {
        assert_eq!(r[e], *inr.last().unwrap(), "{name}: row {i} out of order");
    }
    let golden: Vec<&str> = rows.iter().map(|r| r[g].as_str()).collect();
    let entity: Vec<&str> = rows.iter().map(|r| r[e].as_str()).collect();
    let s = score(&golden, &entity);

    println!(
        "{name}: rows {}, entities {}, true pairs {}, predicted pairs {}, correct pairs {}\n  \
         precision {:.4}  recall {:.4}  f1 {:.4}  (target f1 >= {min_f1})\n  \
         false pairs within a look-alike group: {}",
        s.rows,
        s.entities,
        s.true_pairs,
        s.predicted_pairs,
        s.correct_pairs,
        s.precision(),
        s.recall(),
        s.f1(),
        s.lookalike_false_pairs
    );
    let line = col("source_line");
    let original: Vec<usize> = in_header.iter().map(|h| col(h)).collect();
    let show = |i: usize| {
        let values: Vec<&str> = original.iter().map(|&c| rows[i][c].as_str()).collect();
        format!("line {}: {}", rows[i][line], values.join(" | "))
    };
    for (kind, list) in [
        ("false merge", sample_pairs(&golden, &entity, SAMPLES)),
        ("missed pair", sample_pairs(&entity, &golden, SAMPLES)),
    ] {
        for (i, j) in list {
            println!("  {kind}:\n    {}\n    {}", show(i), show(j));
        }
    }

    let mut failures = Vec::new();
    if s.f1() < min_f1 {
        failures.push(format!("f1 {:.4} < {min_f1}", s.f1()));
    }
    if let Some(max) = max_same_address_false_pairs
        && s.lookalike_false_pairs > max
    {
        failures.push(format!(
            "{} false pairs join different entities of one look-alike group (at most {max})",
            s.lookalike_false_pairs
        ));
    }
    assert!(failures.is_empty(), "{name}: {}", failures.join("; "));
}

#[test]
fn number_first_addresses() {
    check_register("number_first.csv", F1_NUMBER_FIRST, Some(MAX_SAME_ADDRESS_FALSE_PAIRS));
}

#[test]
fn no_contact_register() {
    check_register("no_contact.csv", F1_NO_CONTACT, Some(MAX_NAMESAKE_FALSE_PAIRS));
}

#[test]
fn placeholder_values() {
    check_register("placeholders.csv", F1_PLACEHOLDERS, None);
}

#[test]
fn email_typos() {
    check_register("email_typos.csv", F1_EMAIL_TYPOS, None);
}

#[test]
fn twins_households_and_father_son() {
    check_register("twins.csv", F1_TWINS, Some(MAX_SAME_ADDRESS_FALSE_PAIRS));
}

/// Two snapshots of a US voter register a year apart: most true pairs are a person's records in
/// the two snapshots (moved, married, typos, middle name or suffix written differently); father
/// and son of one name at one address, spouses, and namesakes in one city must stay apart.
#[test]
fn voter_snapshots() {
    check_register("voter_snapshots.csv", F1_VOTER_SNAPSHOTS, Some(MAX_SAME_ADDRESS_FALSE_PAIRS));
}

/// A multilingual CRM export with 80 twin pairs (26 with first names one letter apart, such as
/// Sondre/Sindre): same surname, address, landline and birth date, each twin with their own
/// e-mail (from their own first name) and mobile; twins, parents and households stay apart.
#[test]
fn crm_twins_one_letter_apart() {
    check_register("crm_twins.csv", F1_CRM_TWINS, Some(MAX_SAME_ADDRESS_FALSE_PAIRS));
}

/// Two exports of a voter-style register five and a half years apart, with ages and no birth
/// dates: a returning person's age is 4 to 6 years higher. Father and son of one name at one
/// address, spouses, and namesakes in one city at least 8 years apart in age stay apart.
#[test]
fn snapshots_years_apart() {
    check_register("snapshots_years.csv", F1_SNAPSHOTS_YEARS, Some(MAX_SAME_ADDRESS_FALSE_PAIRS));
}

/// Titles, honorifics, ordinals and particles in the name fields (first name `sir`, surname
/// `baronet`); people of one title cohort with birth dates a digit apart stay apart.
#[test]
fn titles_in_names() {
    check_register("titles.csv", F1_TITLES, Some(MAX_COHORT_FALSE_PAIRS));
}

/// Names and birth years only: spelling variants and years off by up to 2 join; father and son,
/// cousins and siblings of one family stay apart.
#[test]
fn name_year_relatives() {
    check_register("name_year_relatives.csv", F1_NAME_YEAR_RELATIVES, Some(MAX_COHORT_FALSE_PAIRS));
}

/// An ordinary CRM register with one contact imported 600 times (see also
/// `import_loop_is_one_golden_record`).
#[test]
fn import_loop() {
    check_register("import_loop.csv", F1_IMPORT_LOOP, Some(MAX_SAME_ADDRESS_FALSE_PAIRS));
}

/// All 602 rows of the looped contact, the 600 identical ones, the one with first and last name
/// swapped and the one after a move, end in one golden record.
#[test]
fn import_loop_is_one_golden_record() {
    let out = TempDir::new("import_loop_golden");
    run_ok(&[&format!("{DIR}/import_loop.csv")], out.path(), &["--as-of", AS_OF, "-q"]);
    let (header, rows) = read_csv(&out.path().join("records.csv"));
    let col = |h: &str| header.iter().position(|x| x == h).unwrap_or_else(|| panic!("no {h} in records.csv"));
    let (g, e, line) = (col("golden_id"), col("entity_id"), col("source_line"));
    let contact: Vec<&Vec<String>> = rows.iter().filter(|r| r[e] == IMPORT_LOOP_ENTITY).collect();
    assert_eq!(contact.len(), IMPORT_LOOP_ROWS);
    let mut golden: HashMap<&str, Vec<&str>> = HashMap::new();
    for r in &contact {
        golden.entry(r[g].as_str()).or_default().push(r[line].as_str());
    }
    let mut sizes: Vec<(usize, &str, &str)> = golden.iter().map(|(id, lines)| (lines.len(), *id, lines[0])).collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(
        golden.len(),
        1,
        "the {IMPORT_LOOP_ROWS} rows of {IMPORT_LOOP_ENTITY} end in {} golden records (rows, golden id, first line): {sizes:?}",
        golden.len()
    );
}

/// 42% of mobiles are possible but not valid (a range that is not allocated); duplicates share
/// only the mobile (in another format) and a name variant, with another address and e-mail.
#[test]
fn unallocated_phones() {
    check_register("unallocated_phones.csv", F1_UNALLOCATED_PHONES, None);
}

/// Company accounts from four systems (legal forms, case, connectives, punctuation,
/// abbreviations, trade words, typos, websites, phones, streets, org numbers in some rows); names
/// one letter apart, one brand with different trades, one name across a border or in different
/// cities stay apart.
#[test]
fn org_duplicates_from_several_systems() {
    check_register("org_duplicates.csv", F1_ORG_DUPLICATES, Some(MAX_ORG_LOOKALIKE_FALSE_PAIRS));
}

/// Chains whose shops share the name (or the brand with a district or store number), website and
/// sometimes the chain's org number or mailbox, each shop at its own address with its own phone:
/// every shop is its own account.
#[test]
fn org_branches_stay_apart() {
    check_register("org_branches.csv", F1_ORG_BRANCHES, Some(MAX_ORG_LOOKALIKE_FALSE_PAIRS));
}

/// Corporate families: an operating company and its holding and subsidiaries, a parent and a
/// subsidiary named alike but for the legal form, regional and foreign subsidiaries, a GmbH & Co.
/// KG and its Verwaltungs-GmbH; each member is its own company.
#[test]
fn org_parents_and_subsidiaries_stay_apart() {
    check_register("org_parents.csv", F1_ORG_PARENTS, Some(MAX_ORG_LOOKALIKE_FALSE_PAIRS));
}

/// A B2B export of accounts and contacts in one file: colleagues sharing the company, address,
/// switchboard and e-mail domain stay apart, and a contact is never its account.
#[test]
fn org_mixed_accounts_and_contacts() {
    check_register("mixed_accounts_contacts.csv", F1_MIXED_ACCOUNTS_CONTACTS, Some(MAX_ORG_LOOKALIKE_FALSE_PAIRS));
}

/// The scorer on hand-counted cases, and against a brute-force count over every pair.
#[test]
fn scorer_counts_pairs() {
    // G1 joins and A-2 (two false pairs, both look-alikes of group A); G2 joins B-1 and
    // B-1 (correct) and C-1 (two false pairs, not look-alikes); G3 holds the third B-1 alone.
    let golden = ["G1", "G1", "G1", "G2", "G2", "G3", "G2"];
    let entity = ["A-1", "A-1", "A-2", "B-1", "B-1", "B-1", "C-1"];
    let s = score(&golden, &entity);
    assert_eq!(
        s,
        Score { rows: 7, entities: 4, true_pairs: 4, predicted_pairs: 6, correct_pairs: 2, lookalike_false_pairs: 2 }
    );
    assert!((s.precision() - 2.0 / 6.0).abs() < 1e-12);
    assert!((s.recall() - 0.5).abs() < 1e-12);
    assert!((s.f1() - 0.4).abs() < 1e-12);
    assert_eq!(sample_pairs(&golden, &entity, 10), [(0, 2), (1, 2), (3, 6), (4, 6)]);
    assert_eq!(sample_pairs(&entity, &golden, 10), [(3, 5), (4, 5)]);

    // Perfect, and nothing to find.
    let s = score(&["X", "X", "Y"], &["a-1", "a-1", "a-2"]);
    assert_eq!((s.precision(), s.recall(), s.f1(), s.lookalike_false_pairs), (1.0, 1.0, 1.0, 0));
    let s = score(&["X", "Y"], &["a", "b"]);
    assert_eq!((s.true_pairs, s.predicted_pairs, s.f1()), (0, 0, 1.0));
    // Everything in one cluster.
    let s = score(&["X", "X", "X", "X"], &["a-1", "a-1", "a-2", "b"]);
    assert_eq!((s.true_pairs, s.predicted_pairs, s.correct_pairs, s.lookalike_false_pairs), (1, 6, 1, 2));

    // A pseudo-random case, against a count over every pair of rows.
    let mut x: u64 = 12345;
    let mut next = |m: u64| {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (x >> 33) % m
    };
    let (mut gs, mut es) = (Vec::new(), Vec::new());
    for _ in 0..300 {
        gs.push(format!("G{}", next(60)));
        es.push(format!("E{}-{}", next(20), next(3)));
    }
    let golden: Vec<&str> = gs.iter().map(String::as_str).collect();
    let entity: Vec<&str> = es.iter().map(String::as_str).collect();
    let (mut t, mut p, mut c, mut l) = (0, 0, 0, 0);
    for i in 0..golden.len() {
        for j in i + 1..golden.len() {
            let (same_g, same_e) = (golden[i] == golden[j], entity[i] == entity[j]);
            t += u64::from(same_e);
            p += u64::from(same_g);
            c += u64::from(same_g && same_e);
            l += u64::from(same_g && !same_e && group(entity[i]) == group(entity[j]));
        }
    }
    let s = score(&golden, &entity);
    assert_eq!((s.true_pairs, s.predicted_pairs, s.correct_pairs, s.lookalike_false_pairs), (t, p, c, l));
    assert!(t > 0 && p > 0 && c > 0 && l > 0, "the case exercises every count");
}

/// pairs.csv says why a pair whose evidence reached the threshold was not joined, and the report
/// counts the same reasons. In the namesake and title registers, some name-only links are
/// refused as mostly coincidence (`namesake_check`).
#[test]
fn refused_pairs_say_why_and_the_report_counts_them() {
    let mut total = 0;
    for name in ["no_contact.csv", "titles.csv"] {
        let out = TempDir::new("refusals");
        run_ok(&[&format!("{DIR}/{name}")], out.path(), &["--as-of", AS_OF, "-q"]);
        let (header, rows) = read_csv(&out.path().join("pairs.csv"));
        let col = |h: &str| header.iter().position(|x| x == h).unwrap_or_else(|| panic!("no {h} in pairs.csv"));
        let (linked, why, weight, prior) =
            (col("linked"), col("refused_because"), col("match_weight"), col("mw_prior"));
        let mut counted: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
        for r in &rows {
            if r[why].is_empty() {
                continue;
            }
            assert_eq!(r[linked], "false", "a linked pair has no refusal: {r:?}");
            let evidence = r[weight].parse::<f64>().unwrap() - r[prior].parse::<f64>().unwrap();
            assert!(evidence >= 12.0 - 1e-3, "only pairs above the threshold are refused: {r:?}");
            assert!(
                ["namesake_check", "coincidence", "decision_different", "contrary_evidence"].contains(&r[why].as_str()),
                "{r:?}"
            );
            *counted.entry(r[why].clone()).or_insert(0) += 1;
        }
        total += counted.values().sum::<u64>();
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.path().join("report.json")).unwrap()).unwrap();
        let reported: std::collections::BTreeMap<String, u64> =
            serde_json::from_value(report["dedup"]["refused_by_reason"].clone()).unwrap();
        assert_eq!(reported, counted, "{name}");
    }
    assert!(total >= 1, "some strong pairs are refused and say why");
}

/// Only content steers the model: the same register under another file name learns the same
/// model.json and merges the same records (pair sampling and tie-breaks were once seeded by the
/// source name, and renaming `register.csv` to `kunder_2026.csv` changed who was merged).
#[test]
fn a_file_name_does_not_steer_the_model() {
    let tmp = TempDir::new("rename");
    let renamed = tmp.path().join("kunder_2026.csv");
    std::fs::copy(root().join(DIR).join("crm_twins.csv"), &renamed).unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    run_ok(&[&format!("{DIR}/crm_twins.csv")], &a, &["--as-of", AS_OF, "-q"]);
    run_ok(&[renamed.to_str().unwrap()], &b, &["--as-of", AS_OF, "-q"]);
    assert!(std::fs::read(a.join("model.json")).unwrap() == std::fs::read(b.join("model.json")).unwrap());
    let groups = |dir: &std::path::Path| {
        let (header, rows) = read_csv(&dir.join("records.csv"));
        let g = header.iter().position(|h| h == "golden_id").unwrap();
        let mut by: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            by.entry(r[g].clone()).or_default().push(i);
        }
        let mut v: Vec<Vec<usize>> = by.into_values().collect();
        v.sort();
        v
    };
    assert_eq!(groups(&a), groups(&b));
}

/// Ages are as old as their export: one town's roll exported in 2019 and again in 2026 (seven
/// years of age between them, more than the window for approximate years), each export's
/// newest activity date in its own year. Read against the run's date alone, every returning
/// person's two birth years would lie seven years apart and none would join.
#[test]
fn ages_are_read_against_their_exports_date() {
    let dir = TempDir::new("ages-exports");
    let firsts = [
        "Kari", "Ola", "Ingrid", "Per", "Anne", "Lars", "Marit", "Knut", "Liv", "Nils", "Sigrid", "Arne", "Solveig",
        "Tor", "Astrid", "Egil", "Ragnhild", "Odd", "Gunvor", "Leif", "Berit", "Svein", "Randi", "Terje", "Torill",
        "Geir", "Hege", "Rune", "Wenche", "Trond", "Elin", "Stig",
    ];
    let lasts = [
        "Berg",
        "Dahl",
        "Lie",
        "Moen",
        "Holm",
        "Strand",
        "Lund",
        "Vik",
        "Haugen",
        "Bakke",
        "Eide",
        "Ruud",
        "Solberg",
        "Aasen",
        "Myhre",
        "Lunde",
        "Sæther",
        "Nygård",
        "Fjeld",
        "Brekke",
        "Tangen",
        "Hagen",
        "Ødegård",
        "Rønning",
        "Engen",
        "Dale",
        "Foss",
        "Kvam",
        "Hovland",
        "Sandvik",
        "Lien",
        "Toft",
    ];
    let header = "First Name,Last Name,Age,City,Last Activity Date\n";
    let (mut old, mut new) = (String::from(header), String::from(header));
    let mut returning = 0;
    // 64 people, each first name and each surname carried by two of them.
    for (i, (f, l)) in (0..64).map(|i| (firsts[i % 32], lasts[(i * 5 + i / 32) % 32])).enumerate() {
        let age = 20 + (i * 7) % 60;
        old.push_str(&format!("{f},{l},{age},Tromsø,2019-0{}-1{}\n", 1 + i % 9, i % 10));
        // Four in five are still on the roll seven years on.
        if i % 5 != 0 {
            new.push_str(&format!("{f},{l},{},Tromsø,2026-0{}-0{}\n", age + 7, 1 + i % 9, 1 + i % 9));
            returning += 1;
        }
    }
    let (a, b) = (dir.path().join("roll_2019.csv"), dir.path().join("roll_2026.csv"));
    std::fs::write(&a, old).unwrap();
    std::fs::write(&b, new).unwrap();
    let out = dir.path().join("out");
    run_ok(&[a.to_str().unwrap(), b.to_str().unwrap()], &out, &["--as-of", "2026-11-23"]);
    let (h, rows) = read_csv(&out.join("records.csv"));
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (file, first, last, golden) = (col("source_file"), col("First Name"), col("Last Name"), col("golden_id"));
    let mut by_name: HashMap<(String, String), Vec<(String, String)>> = HashMap::new();
    for r in &rows {
        by_name.entry((r[first].clone(), r[last].clone())).or_default().push((r[file].clone(), r[golden].clone()));
    }
    let joined = by_name.values().filter(|v| v.len() == 2 && v[0].1 == v[1].1).count();
    assert_eq!(joined, returning, "{joined} of {returning} returning people joined");
}
