//! Two months of one register, as a CRM administrator runs regclean: the export is renamed by
//! date, comes in another row order, and has rows added, changed and removed. Golden records
//! whose members did not change keep their ids and their content, every change of id is listed
//! in id_changes.csv, and segment drift counts the unchanged memberships as `stayed`.

use super::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A small deterministic generator (splitmix64) for picking rows.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn write_csv(path: &Path, header: &[String], rows: &[Vec<String>]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
}

/// golden_id → set of (source, record_key) from records.csv.
fn members(dir: &Path) -> BTreeMap<String, BTreeSet<(String, String)>> {
    let (h, rows) = read_csv(&dir.join("records.csv"));
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (s, k, g) = (col("source"), col("record_key"), col("golden_id"));
    let mut m: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for r in rows {
        m.entry(r[g].clone()).or_default().insert((r[s].clone(), r[k].clone()));
    }
    m
}

#[test]
fn a_month_later_unchanged_customers_keep_their_ids_and_content() {
    let tmp = TempDir::new("monthly");
    let full = tmp.path().join("generated.csv");
    let o = regclean(&["generate", "--rows", "3000", "--out", full.to_str().unwrap(), "--seed", "7"], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The truth column is not part of a CRM export.
    let (mut header, mut rows) = read_csv(&full);
    let truth = header.iter().position(|h| h == "entity_id").unwrap();
    header.remove(truth);
    for r in &mut rows {
        r.remove(truth);
    }
    let id_col = header.iter().position(|h| h == "Record ID").unwrap();
    let city_col = header.iter().position(|h| h == "City").unwrap();
    let first_col = header.iter().position(|h| h == "First Name").unwrap();
    let email_col = header.iter().position(|h| h == "Email").unwrap();
    let october = tmp.path().join("export_2026-10.csv");
    write_csv(&october, &header, &rows);

    // November: a few rows removed, 1% changed (a new city), 2% new customers, all shuffled.
    let mut rng = Rng(11);
    let mut removed = BTreeSet::new();
    while removed.len() < 15 {
        removed.insert(rows[rng.below(rows.len())][id_col].clone());
    }
    let mut changed = BTreeSet::new();
    while changed.len() < 30 {
        let id = rows[rng.below(rows.len())][id_col].clone();
        if !removed.contains(&id) {
            changed.insert(id);
        }
    }
    let mut november: Vec<Vec<String>> = Vec::new();
    for r in &rows {
        if removed.contains(&r[id_col]) {
            continue;
        }
        let mut r = r.clone();
        if changed.contains(&r[id_col]) {
            r[city_col] = "Nyby".into();
        }
        november.push(r);
    }
    for k in 0..60 {
        let mut r = rows[rng.below(rows.len())].clone();
        r[id_col] = format!("N{k:05}");
        r[first_col] = format!("Newcomer{k}");
        r[email_col] = format!("newcomer{k}@example.org");
        // A new person: own surname and no contact, address or birth date of someone else's.
        for name in ["Last Name", "Phone Number", "Mobile Phone Number", "Street Address", "Date of Birth"] {
            let c = header.iter().position(|h| h == name).unwrap();
            r[c] = if name == "Last Name" { format!("Nykommer{k}") } else { String::new() };
        }
        november.push(r);
    }
    for i in (1..november.len()).rev() {
        november.swap(i, rng.below(i + 1));
    }
    let november_file = tmp.path().join("export_2026-11.csv");
    write_csv(&november_file, &header, &november);

    let (out1, out2) = (tmp.path().join("out-october"), tmp.path().join("out-november"));
    run_ok(&[october.to_str().unwrap()], &out1, &["--rules", "rules", "-q"]);
    run_ok(
        &[november_file.to_str().unwrap()],
        &out2,
        &["--rules", "rules", "-q", "--previous", out1.to_str().unwrap()],
    );

    let (before, after) = (members(&out1), members(&out2));
    let touched: BTreeSet<String> = removed.union(&changed).cloned().collect();
    let (h1, golden1) = read_csv(&out1.join("golden.csv"));
    let (h2, golden2) = read_csv(&out2.join("golden.csv"));
    assert_eq!(h1, h2);
    // A contact's account_id is another golden record's id: it is compared below, apart.
    let account = h1.iter().position(|c| c == "account_id").expect("the register has a company column");
    let row_of = |golden: &[Vec<String>]| -> HashMap<String, Vec<String>> {
        golden.iter().map(|r| (r[0].clone(), r.clone())).collect()
    };
    let (rows1, rows2) = (row_of(&golden1), row_of(&golden2));
    let without_account = |r: &Vec<String>| -> Vec<String> {
        r.iter().enumerate().filter(|&(i, _)| i != account).map(|(_, v)| v.clone()).collect()
    };
    // Every golden record whose members are the same and untouched keeps its id and content.
    let after_by_members: HashMap<&BTreeSet<(String, String)>, &String> = after.iter().map(|(g, m)| (m, g)).collect();
    let mut unchanged = BTreeSet::new();
    for (id, m) in &before {
        if m.iter().any(|(_, key)| touched.contains(key)) {
            continue;
        }
        if let Some(&new_id) = after_by_members.get(m) {
            assert_eq!(new_id, id, "an unchanged golden record keeps its id");
            assert_eq!(
                without_account(&rows2[new_id]),
                without_account(&rows1[id]),
                "an unchanged golden record keeps its content"
            );
            unchanged.insert(id.clone());
        }
    }
    assert!(unchanged.len() > 2000, "most golden records are unchanged ({})", unchanged.len());
    // ... and its account, unless an account it could belong to is new or changed (here the
    // newcomers, whose names have digits and so are no valid names, are new accounts).
    for id in &unchanged {
        let (was, now) = (&rows1[id][account], &rows2[id][account]);
        let settled = |a: &String| a.is_empty() || unchanged.contains(a);
        if settled(was) && settled(now) {
            assert_eq!(now, was, "{id}: its account changed though no account did");
        }
    }
    // Every id that appeared or disappeared is listed in id_changes.csv.
    let (h, changes) = read_csv(&out2.join("id_changes.csv"));
    assert_eq!(h, ["golden_id", "change", "other_golden_id", "members_before", "members_after"]);
    let listed: BTreeMap<&str, &str> = changes.iter().map(|c| (c[0].as_str(), c[1].as_str())).collect();
    for id in before.keys().filter(|id| !after.contains_key(*id)) {
        assert!(matches!(listed.get(id.as_str()), Some(&"merged_into") | Some(&"retired")), "{id} gone but not listed");
    }
    for id in after.keys().filter(|id| !before.contains_key(*id)) {
        assert!(matches!(listed.get(id.as_str()), Some(&"new") | Some(&"split_from")), "{id} new but not listed");
    }
    assert!(listed.values().filter(|c| **c == "new").count() >= 50, "the newcomers are new golden records");
    assert!(listed.values().any(|c| *c == "retired"), "removed customers retire their ids");
    // report.json counts the same, and segment drift follows the carried ids.
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out2.join("report.json")).unwrap()).unwrap();
    let identity = &report["identity"];
    assert_eq!(identity["previous_run"], true);
    for kind in ["new", "split_from", "merged_into", "retired"] {
        let n = listed.values().filter(|c| **c == kind).count() as u64;
        assert_eq!(identity[kind].as_u64().unwrap(), n, "{kind}");
    }
    let (_, seg1) = read_csv(&out1.join("segments.csv"));
    let (_, seg2) = read_csv(&out2.join("segments.csv"));
    let set = |s: &[Vec<String>]| s.iter().map(|r| (r[1].clone(), r[0].clone())).collect::<BTreeSet<_>>();
    let (m1, m2) = (set(&seg1), set(&seg2));
    for seg in report["segments"].as_array().unwrap() {
        let name = seg["name"].as_str().unwrap();
        let stayed = m1.iter().filter(|(s, g)| s == name && m2.contains(&(s.clone(), g.clone()))).count() as u64;
        assert_eq!(seg["stayed"].as_u64().unwrap(), stayed, "{name}: stayed");
    }
    let total_stayed: u64 = report["segments"].as_array().unwrap().iter().map(|s| s["stayed"].as_u64().unwrap()).sum();
    let total_before: u64 =
        report["segments"].as_array().unwrap().iter().map(|s| s["previous_size"].as_u64().unwrap()).sum();
    assert!(total_stayed * 10 >= total_before * 9, "most memberships stay: {total_stayed} of {total_before}");
}

#[test]
fn merge_map_names_master_and_duplicates_per_source() {
    let out = TempDir::new("merge-map");
    run_ok(&["fixtures/demo/hubspot_contacts.csv", "fixtures/demo/nettbutikk_kunder.csv"], out.path(), &["-q"]);
    let (h, rows) = read_csv(&out.path().join("merge_map.csv"));
    assert_eq!(h, ["source", "golden_id", "master_record_id", "duplicate_record_id"]);
    assert!(!rows.is_empty());
    let by_golden = members(out.path());
    for r in &rows {
        let m = &by_golden[&r[1]];
        assert!(m.contains(&(r[0].clone(), r[2].clone())), "the master is a member from that source: {r:?}");
        assert!(m.contains(&(r[0].clone(), r[3].clone())), "the duplicate is a member from that source: {r:?}");
        assert_ne!(r[2], r[3]);
    }
    // Every golden record with two members from one source appears, each duplicate once.
    let expected: usize = by_golden
        .values()
        .map(|m| {
            let mut per: BTreeMap<&str, usize> = BTreeMap::new();
            for (s, _) in m {
                *per.entry(s).or_insert(0) += 1;
            }
            per.values().filter(|&&n| n > 1).map(|n| n - 1).sum::<usize>()
        })
        .sum();
    assert_eq!(rows.len(), expected);
}

/// The same register as two files without record ids, given in either order, with their rows
/// shuffled, at one thread or two: golden.csv, audit.jsonl, merge_map.csv, segments.csv and every
/// segment export are byte for byte the same.
#[test]
fn row_order_file_order_and_threads_change_nothing() {
    let tmp = TempDir::new("order");
    let full = tmp.path().join("generated.csv");
    let o = regclean(&["generate", "--rows", "2000", "--out", full.to_str().unwrap(), "--seed", "3"], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (mut header, mut rows) = read_csv(&full);
    // No record ids: identities come from the rows' values.
    for name in ["entity_id", "Record ID"] {
        let c = header.iter().position(|h| h == name).unwrap();
        header.remove(c);
        for r in &mut rows {
            r.remove(c);
        }
    }
    let (a, b) = rows.split_at(1200);
    let dir1 = tmp.path().join("in1");
    let dir2 = tmp.path().join("in2");
    std::fs::create_dir_all(&dir1).unwrap();
    std::fs::create_dir_all(&dir2).unwrap();
    write_csv(&dir1.join("webshop.csv"), &header, a);
    write_csv(&dir1.join("crm.csv"), &header, b);
    let mut rng = Rng(5);
    let shuffle = |v: &[Vec<String>], rng: &mut Rng| {
        let mut v = v.to_vec();
        for i in (1..v.len()).rev() {
            v.swap(i, rng.below(i + 1));
        }
        v
    };
    write_csv(&dir2.join("webshop.csv"), &header, &shuffle(a, &mut rng));
    write_csv(&dir2.join("crm.csv"), &header, &shuffle(b, &mut rng));
    let run = |inputs: [&Path; 2], out: &Path, threads: &str| {
        let mut args = vec!["run", inputs[0].to_str().unwrap(), inputs[1].to_str().unwrap()];
        args.extend(["--out", out.to_str().unwrap(), "--as-of", AS_OF, "--rules", "rules", "-q"]);
        let o = regclean(&args, &[("RAYON_NUM_THREADS", threads)]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let outs = [tmp.path().join("o1"), tmp.path().join("o2"), tmp.path().join("o3")];
    run([&dir1.join("webshop.csv"), &dir1.join("crm.csv")], &outs[0], "2");
    run([&dir2.join("crm.csv"), &dir2.join("webshop.csv")], &outs[1], "2");
    run([&dir2.join("webshop.csv"), &dir2.join("crm.csv")], &outs[2], "1");
    let mut files = vec!["golden.csv".to_string(), "audit.jsonl".into(), "merge_map.csv".into(), "segments.csv".into()];
    for e in std::fs::read_dir(outs[0].join("segments")).unwrap() {
        files.push(format!("segments/{}", e.unwrap().file_name().to_string_lossy()));
    }
    for f in &files {
        let first = std::fs::read(outs[0].join(f)).unwrap();
        for o in &outs[1..] {
            assert!(std::fs::read(o.join(f)).unwrap() == first, "{f} differs between row or file orders or threads");
        }
    }
}

/// A source is named by the file name without dates and copy marks, by `--source NAME=FILE`, or
/// by a `[sources]` glob in the config; records.csv and report.json show it.
#[test]
fn sources_are_named_by_default_flag_or_config() {
    let tmp = TempDir::new("sources");
    let input = tmp.path().join("Export_2026-10 (1).csv");
    std::fs::write(&input, "Record ID,First Name,Last Name,Email\n7,Kari,Nordmann,kari@x.no\n").unwrap();
    let source_of = |out: &Path| {
        let (h, rows) = read_csv(&out.join("records.csv"));
        let c = h.iter().position(|x| x == "source").unwrap();
        rows[0][c].clone()
    };
    let input_s = input.to_str().unwrap();
    let out = tmp.path().join("o1");
    run_ok(&[input_s], &out, &["-q"]);
    assert_eq!(source_of(&out), "export");
    let out = tmp.path().join("o2");
    run_ok(&[input_s], &out, &["-q", "--source", &format!("crm={input_s}")]);
    assert_eq!(source_of(&out), "crm");
    let config = tmp.path().join("c.toml");
    std::fs::write(&config, "[sources]\nhubspot = \"export_*.csv\"\n").unwrap();
    let out = tmp.path().join("o3");
    run_ok(&[input_s], &out, &["-q", "--config", config.to_str().unwrap()]);
    assert_eq!(source_of(&out), "hubspot");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["inputs"][0]["source"], "hubspot");
    // A --source naming no input is refused, and nothing is written.
    let out = tmp.path().join("o4");
    let o =
        regclean(&["run", input_s, "--out", out.to_str().unwrap(), "--as-of", AS_OF, "--source", "crm=other.csv"], &[]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--source crm=other.csv"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!out.join("records.csv").exists());
}
