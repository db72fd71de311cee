//! Sources: the system each input file of a run was exported from.
//!
//! A record's identity is the pair (source, record id), and golden ids, pairs and undo all rest on
//! it. File names do not last: a CRM exports `export_2026-10.csv` this month and
//! `export_2026-11.csv` the next, and the same records must keep their identities across the two
//! runs. So every input belongs to a *source*, a short name that outlives file names: given by the
//! user (`--source NAME=FILE`, or a `[sources]` entry `name = "glob"` in the config), or else
//! derived from the file name by [`default_name`], which drops the dates, counters and copy marks
//! that change from one export to the next.
//!
//! [`assign`] is pure: it sees only the input paths and the user's choices, never the file
//! contents, and its answer does not depend on the order the inputs were given. Two inputs share
//! a source only when the user said so; when two default names collide, the inputs fall back to
//! their file stems, so no two exports are silently merged into one identity space.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Compression suffixes removed before the extension, so `a.csv.gz` has the stem `a`.
const COMPRESSION_SUFFIXES: &[&str] = &[".gz", ".zip", ".bz2", ".xz"];

/// Copy marks added by file managers and mail clients, in English, the Scandinavian languages,
/// German, Dutch, Polish, Finnish and French.
const COPY_MARKS: &[&str] = &["copy", "kopi", "kopia", "kopie", "kopio", "copie"];

/// Words export tools and people add to a file name that say nothing about the system.
const NOISE_WORDS: &[&str] = &["final", "latest", "new", "old", "backup"];

/// Prefixes of a version counter when digits follow (`v2`, `rev3`); `version` is also dropped
/// on its own.
const VERSION_PREFIXES: &[&str] = &["v", "ver", "rev", "version"];

/// Prefixes of a week number when one or two digits follow: English (`w44`, `wk44`, `week44`),
/// German (`kw44`), Norwegian (`uke44`), Danish (`uge44`). Swedish `v44` is a version counter.
const WEEK_PREFIXES: &[&str] = &["w", "wk", "week", "kw", "uke", "uge"];

/// Month names and their abbreviations in English, Norwegian, Danish, Swedish, German, Dutch and
/// Polish (nominative and the genitive used in dates), ASCII-folded (see [`fold`]); German `März`
/// is listed both as `marz` and as `maerz`, Austrian `Jänner` as `janner` and `jaenner`.
#[rustfmt::skip] // One line per month reads as the table it is.
const MONTHS: &[&str] = &[
    // January
    "jan", "january", "januar", "januari", "janner", "jaenner", "sty", "styczen", "stycznia",
    // February
    "feb", "febr", "february", "februar", "februari", "feber", "lut", "luty", "lutego",
    // March
    "mar", "march", "mars", "marts", "marz", "maerz", "mrz", "maart", "mrt", "marzec", "marca",
    // April
    "apr", "april", "kwi", "kwiecien", "kwietnia",
    // May
    "may", "mai", "maj", "mei", "maja",
    // June
    "jun", "june", "juni", "cze", "czerwiec", "czerwca",
    // July
    "jul", "july", "juli", "lip", "lipiec", "lipca",
    // August
    "aug", "august", "augusti", "augustus", "sie", "sierpien", "sierpnia",
    // September
    "sep", "sept", "september", "wrz", "wrzesien", "wrzesnia",
    // October
    "oct", "october", "okt", "oktober", "paz", "pazdziernik", "pazdziernika",
    // November
    "nov", "november", "lis", "listopad", "listopada",
    // December
    "dec", "december", "des", "desember", "dez", "dezember", "gru", "grudzien", "grudnia",
];

/// The name used when a file name has no letter or digit at all.
const FALLBACK_NAME: &str = "source";

/// The default source name of an input file name (no directories).
///
/// The rule:
/// 1. Take the stem: remove a compression suffix (`.gz`, `.zip`, `.bz2`, `.xz`, any case) if one
///    ends the name, then the extension (the last `.` and what follows it, unless that `.` starts
///    the name), so `a.csv.gz` has the stem `a`.
/// 2. Lower-case the stem and split it into tokens on runs of characters that are not letters or
///    digits (space, `_`, `-`, `.`, `(`, `)`, `[`, `]`, `,` and any other).
/// 3. Drop the tokens that are:
///    - all digits: years, months, days, times, counters (`2026`, `10`, `20261101`, `1`);
///    - a timestamp: digits with a `t` before them, a `t` between two runs of digits, or a `z`
///      after them (`t1200`, `1200z`, `20261101t101500`, `20261101t101500z`);
///    - a version counter: `v`, `ver`, `rev` or `version` followed by digits (`v2`, `v10`,
///      `rev3`), or `version` alone;
///    - a week number: `w`, `wk`, `week`, `kw`, `uke` or `uge` followed by one or two digits
///      (`w44`, `wk44`, `kw44`);
///    - a copy mark: `copy`, `kopi`, `kopia`, `kopie`, `kopio`, `copie`;
///    - an export noise word: `final`, `latest`, `new`, `old`, `backup`;
///    - a month name or abbreviation in English, Norwegian, Danish, Swedish, German, Dutch or
///      Polish (Polish also in the genitive, `września`), compared after folding diacritics to
///      ASCII (`styczeń` as `styczen`, `März` as `marz` or `maerz`, `paź` as `paz`).
/// 4. Join the remaining tokens with `-` (kept as lower-cased, not folded).
/// 5. If no token is left, the name is the lower-cased stem with runs of characters that are not
///    letters or digits replaced by `-`, trimmed of `-`; if that is empty too, `source`.
///
/// So `export_2026-10.csv` and `export_2026-11.csv` are both `export`, `Contacts (1).csv` is
/// `contacts`, `Salesforce Export v3 - Copy.xlsx` is `salesforce-export`, `kunder_okt_2026.csv` is
/// `kunder`, `crm_export_final_v2 (3).csv.gz` is `crm-export` and `2026-11-01.csv` is
/// `2026-11-01`.
pub fn default_name(file_name: &str) -> String {
    let stem = stem(file_name).to_lowercase();
    let tokens: Vec<&str> = stem.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).collect();
    let kept: Vec<&str> = tokens.iter().copied().filter(|t| !is_noise(t)).collect();
    if !kept.is_empty() {
        return kept.join("-");
    }
    // Everything was a date or a counter: the whole stem is the best name left.
    let name = tokens.join("-");
    if name.is_empty() { FALLBACK_NAME.to_string() } else { name }
}

/// Shell-style glob on a file name: `*` any run of characters, `?` one character,
/// case-insensitive; no other metacharacters.
pub fn glob_match(pattern: &str, file_name: &str) -> bool {
    let pattern: Vec<char> = pattern.to_lowercase().chars().collect();
    let name: Vec<char> = file_name.to_lowercase().chars().collect();
    // Greedy match with backtracking to the last `*`: linear unless stars force retries.
    let (mut p, mut n) = (0, 0);
    let mut last_star: Option<(usize, usize)> = None;
    while n < name.len() {
        match pattern.get(p) {
            Some('*') => {
                last_star = Some((p, n));
                p += 1;
            }
            Some(&c) if c == '?' || c == name[n] => {
                p += 1;
                n += 1;
            }
            _ => match last_star {
                // Let the last `*` swallow one more character and retry from there.
                Some((star_p, star_n)) => {
                    last_star = Some((star_p, star_n + 1));
                    p = star_p + 1;
                    n = star_n + 1;
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// The source of every input, in input order.
///
/// `explicit` are `--source NAME=FILE` pairs (FILE equal to an input's path as given or to its
/// file name; a FILE names every input it is equal to); `config` are `[sources]` entries
/// (name, glob) in file order, matched against file names with [`glob_match`].
///
/// Precedence: explicit, then the first matching config entry, then [`default_name`]. Two inputs
/// never share a source unless the user said so (explicit or config): when the default names of
/// inputs collide with each other or with a name the user gave an input of this run, each
/// colliding input takes its lower-cased file stem instead (extension removed as in
/// [`default_name`], nothing else), and if those still collide, `-2`, `-3`, ... are appended in
/// the order of the inputs' file names (then their paths) sorted (the first keeps the bare stem,
/// and a suffix already taken is skipped), so the result never depends on the order the inputs
/// were given.
///
/// Errors, all reported at once, one per line: an explicit FILE that matches no input; an
/// explicit NAME (or a `[sources]` entry name) that is empty or contains characters other than
/// letters, digits, `-`, `_`, `.`; the same input given two different explicit names.
pub fn assign(
    inputs: &[PathBuf],
    explicit: &[(String, String)],
    config: &[(String, String)],
) -> Result<Vec<String>, String> {
    let file_names: Vec<String> = inputs.iter().map(|p| file_name(p)).collect();
    let mut errors = Vec::new();

    // The user's names, explicit first.
    let mut given: Vec<Option<(String, &str)>> = vec![None; inputs.len()];
    for (name, file) in explicit {
        let flag = format!("--source {name}={file}");
        let valid = match check_name(name) {
            Ok(()) => true,
            Err(why) => {
                errors.push(format!("{flag}: {why}"));
                false
            }
        };
        let matching: Vec<usize> =
            (0..inputs.len()).filter(|&i| inputs[i] == Path::new(file) || file_names[i] == *file).collect();
        if matching.is_empty() {
            errors.push(format!("{flag}: no input has the path or file name \"{file}\"{}", suggest(file, inputs)));
        }
        // An invalid name is reported once, not again as a conflict with the input's other name.
        for i in matching.into_iter().filter(|_| valid) {
            match &given[i] {
                None => given[i] = Some((name.clone(), file)),
                Some((other, other_file)) if other != name => {
                    let conflict = format!(
                        "input \"{}\" is given two sources: --source {other}={other_file} and {flag}",
                        inputs[i].display()
                    );
                    if !errors.contains(&conflict) {
                        errors.push(conflict);
                    }
                }
                Some(_) => {}
            }
        }
    }
    for (name, glob) in config {
        if let Err(why) = check_name(name) {
            errors.push(format!("[sources] entry {name:?} = {glob:?}: {why}"));
        }
    }
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }

    let mut names: Vec<Option<String>> = given.into_iter().map(|g| g.map(|(name, _)| name)).collect();
    for (i, slot) in names.iter_mut().enumerate() {
        if slot.is_none() {
            *slot = config.iter().find(|(_, glob)| glob_match(glob, &file_names[i])).map(|(name, _)| name.clone());
        }
    }
    let user_given: BTreeSet<String> = names.iter().flatten().cloned().collect();

    // Default names; an input whose default is shared with another input or with a name the user
    // gave falls back to its stem.
    let defaulted: Vec<usize> = (0..inputs.len()).filter(|&i| names[i].is_none()).collect();
    let defaults: BTreeMap<usize, String> = defaulted.iter().map(|&i| (i, default_name(&file_names[i]))).collect();
    let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
    for name in defaults.values() {
        *uses.entry(name).or_default() += 1;
    }
    let mut taken = user_given;
    let mut colliding = Vec::new();
    for (&i, name) in &defaults {
        if uses[name.as_str()] > 1 || taken.contains(name) {
            colliding.push(i);
        } else {
            names[i] = Some(name.clone());
        }
    }
    taken.extend(defaults.iter().filter(|(i, _)| names[**i].is_some()).map(|(_, name)| name.clone()));

    // Stems, in file-name then path order. The first input with a free stem keeps it bare; the
    // bare stems are reserved before any suffix is chosen so that a suffixed name (`export-2`)
    // never takes the stem of a later input.
    colliding.sort_by(|&a, &b| file_names[a].cmp(&file_names[b]).then_with(|| inputs[a].cmp(&inputs[b])));
    let mut needs_suffix = Vec::new();
    for &i in &colliding {
        let stem = stem(&file_names[i]).to_lowercase();
        if taken.insert(stem.clone()) {
            names[i] = Some(stem);
        } else {
            needs_suffix.push((i, stem));
        }
    }
    for (i, stem) in needs_suffix {
        let name = (2..).map(|k| format!("{stem}-{k}")).find(|n| !taken.contains(n)).expect("a free suffix");
        taken.insert(name.clone());
        names[i] = Some(name);
    }
    Ok(names.into_iter().map(|n| n.expect("every input has a source")).collect())
}

/// The file name of an input path, or the whole path when it has none (`..`).
fn file_name(path: &Path) -> String {
    path.file_name().unwrap_or(path.as_os_str()).to_string_lossy().into_owned()
}

/// The file name without a compression suffix and without its extension.
fn stem(file_name: &str) -> &str {
    let mut stem = file_name;
    for suffix in COMPRESSION_SUFFIXES {
        let cut = stem.len().saturating_sub(suffix.len());
        if cut > 0 && stem.get(cut..).is_some_and(|end| end.eq_ignore_ascii_case(suffix)) {
            stem = &stem[..cut];
            break;
        }
    }
    match stem.rfind('.') {
        Some(dot) if dot > 0 => &stem[..dot],
        _ => stem,
    }
}

/// Whether a lower-cased token says nothing about the system the file came from.
fn is_noise(token: &str) -> bool {
    let digits_after = |prefix: &str, max: usize| {
        token
            .strip_prefix(prefix)
            .is_some_and(|d| !d.is_empty() && d.len() <= max && d.bytes().all(|b| b.is_ascii_digit()))
    };
    token.bytes().all(|b| b.is_ascii_digit())
        || is_timestamp(token)
        || token == "version"
        || VERSION_PREFIXES.iter().any(|p| digits_after(p, usize::MAX))
        || WEEK_PREFIXES.iter().any(|p| digits_after(p, 2))
        || COPY_MARKS.contains(&token)
        || NOISE_WORDS.contains(&token)
        || MONTHS.contains(&fold(token).as_str())
}

/// `t`? digits (`t` digits)? `z`?, with at least one letter: `t1200`, `1200z`, `20261101t101500`.
fn is_timestamp(token: &str) -> bool {
    fn digits(s: &[u8]) -> usize {
        s.iter().take_while(|b| b.is_ascii_digit()).count()
    }
    let b = token.as_bytes();
    let mut i = usize::from(b.first() == Some(&b't'));
    let run = digits(&b[i..]);
    if run == 0 {
        return false;
    }
    i += run;
    if b.get(i) == Some(&b't') {
        let run = digits(&b[i + 1..]);
        if run == 0 {
            return false;
        }
        i += 1 + run;
    }
    if b.get(i) == Some(&b'z') {
        i += 1;
    }
    i == b.len() && b.iter().any(|c| c.is_ascii_alphabetic())
}

/// Folds the diacritics of the month names in [`MONTHS`] to ASCII (`ń` to `n`, `ä` to `a`,
/// `ß` to `ss`), so that a month is recognised however the exporting system spelled it.
fn fold(token: &str) -> String {
    let mut folded = String::with_capacity(token.len());
    for c in token.chars() {
        match c {
            'ą' | 'ä' | 'å' | 'á' | 'à' | 'â' => folded.push('a'),
            'ć' | 'č' => folded.push('c'),
            'ę' | 'é' | 'è' | 'ê' | 'ë' => folded.push('e'),
            'ł' => folded.push('l'),
            'ń' | 'ñ' => folded.push('n'),
            'ó' | 'ö' | 'ø' | 'ô' => folded.push('o'),
            'ś' | 'š' => folded.push('s'),
            'ź' | 'ż' | 'ž' => folded.push('z'),
            'ü' | 'ú' => folded.push('u'),
            'æ' => folded.push_str("ae"),
            'ß' => folded.push_str("ss"),
            _ => folded.push(c),
        }
    }
    folded
}

/// Checks a user-given source name: letters, digits, `-`, `_` and `.`, at least one character.
fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the source name is empty; a source name is letters, digits, \"-\", \"_\" and \".\"".to_string());
    }
    let bad: Vec<char> = name.chars().filter(|&c| !(c.is_alphanumeric() || "-_.".contains(c))).collect();
    if bad.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = bad.iter().map(|c| format!("{c:?}")).collect();
    Err(format!(
        "the source name {name:?} contains {}; a source name is letters, digits, \"-\", \"_\" and \".\"",
        shown.join(", ")
    ))
}

/// A hint for an explicit FILE that matched nothing: the inputs whose file name equals the file
/// name of FILE, ignoring case (a different directory spelling, or a different case).
fn suggest(file: &str, inputs: &[PathBuf]) -> String {
    let wanted = file_name(Path::new(file)).to_lowercase();
    let near: Vec<String> = inputs
        .iter()
        .filter(|p| file_name(p).to_lowercase() == wanted)
        .map(|p| format!("\"{}\"", p.display()))
        .collect();
    if near.is_empty() { String::new() } else { format!("; did you mean {}?", near.join(" or ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names() {
        let table = [
            // The examples of the rule.
            ("export_2026-10.csv", "export"),
            ("export_2026-11.csv", "export"),
            ("Contacts (1).csv", "contacts"),
            ("Contacts.csv", "contacts"),
            ("hubspot-contacts-2026-11-01T101500.csv", "hubspot-contacts"),
            ("Salesforce Export v3 - Copy.xlsx", "salesforce-export"),
            ("kunder_okt_2026.csv", "kunder"),
            ("2026-11-01.csv", "2026-11-01"),
            ("crm_export_final_v2 (3).csv.gz", "crm-export"),
            // English.
            ("Leads October 2026.csv", "leads"),
            ("customers_sept_2026_latest.csv", "customers"),
            ("backup-accounts-dec-31.xlsx", "accounts"),
            ("Mailchimp audience 2026-11-01 1200Z.csv", "mailchimp-audience"),
            ("contacts_w44.csv", "contacts"),
            ("contacts-wk44-new.csv", "contacts"),
            ("Contacts - Copy (2).CSV", "contacts"),
            ("Export_20261101T101500Z.csv", "export"),
            ("[old] members, May 2026.csv", "members"),
            // Norwegian.
            ("Kunderegister desember 2026.csv", "kunderegister"),
            ("kunder_mai_2026 - kopi.csv", "kunder"),
            ("medlemmer_uke44.csv", "medlemmer"),
            // Danish.
            ("Kundeliste marts 2026.xlsx", "kundeliste"),
            ("kontakter-maj-2026 (2).csv", "kontakter"),
            ("medlemmer uge44.csv", "medlemmer"),
            // Swedish.
            ("Kundlista augusti 2026 - kopia.xlsx", "kundlista"),
            ("kontakter_januari_2026.csv.zip", "kontakter"),
            // German.
            ("Kunden März 2026.csv", "kunden"),
            ("Kundenliste_Dez_2026_Kopie.csv", "kundenliste"),
            ("adressen_maerz_2026.csv", "adressen"),
            ("Kontakte KW44.csv", "kontakte"),
            ("kunden-jänner-2026.csv", "kunden"),
            // Dutch.
            ("klanten_mei_2026.csv", "klanten"),
            ("Klantenbestand maart 2026 - kopie.xlsx", "klantenbestand"),
            ("relaties-mrt-2026.csv.bz2", "relaties"),
            // Polish.
            ("klienci_styczeń_2026.csv", "klienci"),
            ("Klienci październik 2026 - kopia.xlsx", "klienci"),
            ("kontrahenci_paz_2026.csv", "kontrahenci"),
            ("baza 15 września 2026.csv", "baza"),
            ("Klienci_LUT_2026.csv", "klienci"),
            // Other copy marks, version counters and suffixes.
            ("clients - copie.csv", "clients"),
            ("asiakkaat_kopio.csv", "asiakkaat"),
            ("crm-export-rev3.tsv.xz", "crm-export"),
            ("sales version 10.csv", "sales"),
            ("report.tar.gz", "report"),
            ("export.csv", "export"),
            // Kept: not noise, or nothing else left.
            ("Kunder Ørsted.csv", "kunder-ørsted"),
            ("no_extension", "no-extension"),
            (".hidden", "hidden"),
            ("final.csv", "final"),
            ("May (2).csv", "may-2"),
            ("2026 11.csv", "2026-11"),
            ("w123.csv", "w123"),
            ("t.csv", "t"),
            ("___.csv", "source"),
            ("a.gz", "a"),
        ];
        let wrong: Vec<String> = table
            .iter()
            .filter(|(file, want)| default_name(file) != *want)
            .map(|(file, want)| format!("{file:?}: got {:?}, want {want:?}", default_name(file)))
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn timestamps() {
        for t in ["t1200", "1200z", "20261101t101500", "20261101t101500z", "t1200z"] {
            assert!(is_timestamp(t), "{t}");
        }
        for t in ["t", "z", "1200", "tt1200", "1200t", "12z00", "t1200zz", "a1200"] {
            assert!(!is_timestamp(t), "{t}");
        }
    }

    #[test]
    fn globs() {
        let table = [
            ("hubspot-contacts*.csv", "HubSpot-Contacts-2026-11.csv", true),
            ("hubspot-contacts*.csv", "hubspot-contacts.csv", true),
            ("hubspot-contacts*.csv", "hubspot-contacts-2026-11.xlsx", false),
            ("hubspot-contacts*.csv", "old-hubspot-contacts.csv", false),
            ("export_2026-1?.csv", "export_2026-10.csv", true),
            ("export_2026-1?.csv", "export_2026-1.csv", false),
            ("export_2026-1?.csv", "export_2026-100.csv", false),
            ("kunder_???_*.csv", "kunder_okt_2026.csv", true),
            ("kunder_???_*.csv", "kunder_mai_2026.csv", true),
            ("kunder_???_*.csv", "kunder_sept_2026.csv", false),
            ("?", "ø", true),
            ("*", "", true),
            ("", "", true),
            ("", "a", false),
            ("*.csv", "a.csv.gz", false),
            ("*.csv*", "a.csv.gz", true),
            ("*a*b*c", "xaybzc", true),
            ("*a*b*c", "xaybzcd", false),
            ("[ab].csv", "[ab].csv", true),
            ("[ab].csv", "a.csv", false),
        ];
        for (pattern, name, want) in table {
            assert_eq!(glob_match(pattern, name), want, "{pattern:?} on {name:?}");
        }
    }

    fn paths(names: &[&str]) -> Vec<PathBuf> {
        names.iter().map(PathBuf::from).collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn precedence() {
        let inputs = paths(&["in/hubspot-contacts-2026-11.csv", "in/kunder_okt_2026.csv", "in/export_2026-11.csv"]);
        let config = pairs(&[("hubspot", "hubspot-*.csv"), ("crm", "*.csv")]);
        // Config: the first matching entry wins.
        assert_eq!(assign(&inputs, &[], &config).unwrap(), ["hubspot", "crm", "crm"]);
        // Explicit beats config, by path as given or by file name.
        let explicit = pairs(&[("visma", "in/kunder_okt_2026.csv"), ("hub.v2", "hubspot-contacts-2026-11.csv")]);
        assert_eq!(assign(&inputs, &explicit, &config).unwrap(), ["hub.v2", "visma", "crm"]);
        // Without config, the default names.
        assert_eq!(assign(&inputs, &explicit, &[]).unwrap(), ["hub.v2", "visma", "export"]);
        assert_eq!(assign(&inputs, &[], &[]).unwrap(), ["hubspot-contacts", "kunder", "export"]);
        // The user may put two inputs in one source.
        let explicit = pairs(&[("crm", "export_2026-11.csv"), ("crm", "kunder_okt_2026.csv")]);
        assert_eq!(assign(&inputs, &explicit, &[]).unwrap(), ["hubspot-contacts", "crm", "crm"]);
        // The same name twice for one input is not a conflict.
        let explicit = pairs(&[("crm", "export_2026-11.csv"), ("crm", "in/export_2026-11.csv")]);
        assert_eq!(assign(&inputs, &explicit, &[]).unwrap(), ["hubspot-contacts", "kunder", "crm"]);
    }

    #[test]
    fn colliding_defaults_take_their_stems_in_any_order() {
        let inputs = paths(&["export_2026-10.csv", "export_2026-11.csv"]);
        assert_eq!(assign(&inputs, &[], &[]).unwrap(), ["export_2026-10", "export_2026-11"]);
        let inputs = paths(&["export_2026-11.csv", "export_2026-10.csv"]);
        assert_eq!(assign(&inputs, &[], &[]).unwrap(), ["export_2026-11", "export_2026-10"]);

        // Only the colliding inputs change.
        let inputs = paths(&["Contacts.csv", "leads.csv", "Contacts (1).csv"]);
        assert_eq!(assign(&inputs, &[], &[]).unwrap(), ["contacts", "leads", "contacts (1)"]);

        // A default name that a user-given name already holds falls back too.
        let inputs = paths(&["crm.csv", "export_2026-11.csv"]);
        let explicit = pairs(&[("export", "crm.csv")]);
        assert_eq!(assign(&inputs, &explicit, &[]).unwrap(), ["export", "export_2026-11"]);
        let config = pairs(&[("export", "crm*")]);
        assert_eq!(assign(&inputs, &[], &config).unwrap(), ["export", "export_2026-11"]);
    }

    #[test]
    fn colliding_stems_are_numbered_by_sorted_file_name_then_path() {
        let names = ["b/export.csv", "a/export.csv", "export-2.csv", "c/Export.csv.gz"];
        // Sorted by file name then path: c/Export.csv.gz, export-2.csv, a/export.csv, b/export.csv.
        // `export-2` is export-2.csv's own stem, so b/export.csv skips to `export-3`.
        let want = |name: &str| match name {
            "c/Export.csv.gz" => "export",
            "export-2.csv" => "export-2",
            "a/export.csv" => "export-3",
            "b/export.csv" => "export-4",
            _ => unreachable!(),
        };
        let orders = [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1], [1, 3, 0, 2]];
        for order in orders {
            let given: Vec<&str> = order.iter().map(|&i| names[i]).collect();
            let got = assign(&paths(&given), &[], &[]).unwrap();
            let expected: Vec<&str> = given.iter().map(|n| want(n)).collect();
            assert_eq!(got, expected, "inputs in the order {given:?}");
        }
    }

    #[test]
    fn errors_name_the_flag_or_entry_and_come_all_at_once() {
        let inputs = paths(&["data/export_2026-11.csv", "kunder.csv"]);
        let explicit = pairs(&[
            ("crm", "export_2026-10.csv"),
            ("", "kunder.csv"),
            ("my crm", "./data/export_2026-11.csv"),
            ("visma", "kunder.csv"),
            ("fiken", "kunder.csv"),
        ]);
        let config = pairs(&[("hub/spot", "hubspot*.csv")]);
        let err = assign(&inputs, &explicit, &config).unwrap_err();
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 6, "{err}");
        assert!(lines[0].starts_with("--source crm=export_2026-10.csv: no input"), "{err}");
        assert!(lines[1].starts_with("--source =kunder.csv: the source name is empty"), "{err}");
        assert!(
            lines[2].starts_with("--source my crm=./data/export_2026-11.csv: the source name \"my crm\" contains ' '"),
            "{err}"
        );
        assert!(
            lines[3].contains("no input") && lines[3].ends_with("did you mean \"data/export_2026-11.csv\"?"),
            "{err}"
        );
        assert_eq!(
            lines[4],
            "input \"kunder.csv\" is given two sources: --source visma=kunder.csv and --source fiken=kunder.csv"
        );
        assert!(
            lines[5].starts_with(
                "[sources] entry \"hub/spot\" = \"hubspot*.csv\": the source name \"hub/spot\" contains '/'"
            ),
            "{err}"
        );
    }

    #[test]
    fn no_inputs_no_sources() {
        assert_eq!(assign(&[], &[], &pairs(&[("crm", "*")])).unwrap(), Vec::<String>::new());
    }
}
