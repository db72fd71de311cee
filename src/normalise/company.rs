//! Company names as match keys: the words that name a company, without the words every company
//! of its country carries.
//!
//! `AKZO NOBEL N.V.`, `Akzo Nobel NV` and `Akzo Nobel` are one company; `Acme AS` and `ACME A/S`
//! too. Dedup compares accounts on what is left once the legal form (of every country we read and
//! more: AS, A/S, AB, Oy, GmbH, B.V., Ltd, LLC, Inc., S.A., sp. z o.o., S.p.A., SARL...), the
//! connectives and articles (`&`, `and`, `og`, `och`, `und`, `en`, `i`, `oraz`, `the`, `of`) and
//! the punctuation are gone, with common abbreviations written out (`intl` → `international`).
//! Letters typed one by one with dots (`U.S.`, `N.V.`, `A/S`) are read as one word first, so the
//! legal form `n v` is `nv` and `u s philips` is `us philips`. Legal forms are removed at the
//! name's end, repeatedly (`GmbH & Co. KG`), and the few written before a name (`AB Volvo`, `N.V.
//! Philips`) at its start; never from its middle, where they may be a name's own word (`Co-op`
//! keeps its `co`). Only for match keys: the result is never shown to a user.

use super::text::fold;

/// Legal forms and company-type words, as folded words (a form of several words is written with
/// spaces: `sp zoo` is `sp. z o.o.` once its single letters are joined).
const LEGAL_FORMS: &[&str] = &[
    // Nordic
    "as",
    "asa",
    "sa",
    "da",
    "ans",
    "ba",
    "nuf",
    "enk",
    "ks",
    "iks",
    "sf",
    "ab",
    "publ",
    "hb",
    "kb",
    "ef",
    "ek",
    "oy",
    "oyj",
    "ky",
    "tmi",
    "aps",
    "is",
    "amba",
    "smba",
    "fmba",
    "ivs", // German
    "gmbh",
    "ag",
    "kg",
    "ohg",
    "gbr",
    "ug",
    "ev",
    "kgaa",
    "se",
    "mbh",
    "eg",
    "gmbh co kg",
    "haftungsbeschrankt",
    // Dutch and Belgian
    "bv",
    "nv",
    "vof",
    "cv",
    "bvba",
    "cvba",
    "sprl",
    "vzw", // English-speaking
    "ltd",
    "limited",
    "llc",
    "llp",
    "lp",
    "plc",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "cos",
    "pty",
    "pte",
    "pc",
    "pllc",
    "lc", // Romance
    "sarl",
    "sas",
    "sasu",
    "sca",
    "snc",
    "eurl",
    "sl",
    "slu",
    "srl",
    "srls",
    "spa",
    "sapa",
    "sccl",
    "lda",
    "ltda",
    "eireli",
    "sa de cv",
    "de cv",
    "sc", // Polish and Central European
    "sp zoo",
    "sp z oo",
    "spolka z oo",
    "sp k",
    "sp j",
    "sp p",
    "spolka akcyjna",
    "spolka",
    "sro",
    "spol sro",
    "kft",
    "zrt",
    "nyrt",
    "bt",
    "doo",
    "dd", // Asian
    "kk",
    "gk",
    "bhd",
    "sdn bhd",
    "tbk",
    "pvt",
    "pvt ltd",
];

/// Legal forms written before the name (`AB Volvo`, `N.V. Philips`, `Oy Karl Fazer`, `PT Astra`):
/// only these are removed at a name's start, where `Co-op` keeps its `co`.
const LEADING_FORMS: &[&str] = &["ab", "as", "nv", "bv", "oy", "sa", "pt", "cv", "kk"];

/// Connectives and articles that carry no name: `&` is already a space once folded.
const CONNECTIVES: &[&str] = &["and", "og", "och", "und", "en", "et", "y", "oraz", "i", "e", "the", "of"];

/// Abbreviations written out, so `Intl Trading` meets `International Trading`.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("intl", "international"),
    ("int", "international"),
    ("mfg", "manufacturing"),
    ("bros", "brothers"),
    ("assn", "association"),
    ("assoc", "association"),
    ("ctr", "center"),
    ("centre", "center"),
    ("svc", "services"),
    ("svcs", "services"),
    ("dept", "department"),
    ("natl", "national"),
    ("mgmt", "management"),
    ("grp", "group"),
    ("hldgs", "holdings"),
    ("hldg", "holding"),
    ("ind", "industries"),
    ("inds", "industries"),
    ("tech", "technology"),
    ("techn", "technology"),
    ("eng", "engineering"),
    ("univ", "university"),
    ("labs", "laboratories"),
    ("lab", "laboratory"),
];

/// The match key of a company name: its naming words, folded, joined by one space. Empty when
/// nothing but a legal form is left.
pub fn company_key(raw: &str) -> String {
    let folded = fold(raw);
    // Letters typed one by one (`u s`, `n v`, `a s`, `z o o`) become one word.
    let mut words: Vec<String> = Vec::new();
    let mut run = String::new();
    for w in folded.split(' ').filter(|w| !w.is_empty()) {
        if w.chars().count() == 1 && w.chars().all(char::is_alphabetic) {
            run.push_str(w);
            continue;
        }
        if !run.is_empty() {
            words.push(std::mem::take(&mut run));
        }
        words.push(w.to_string());
    }
    if !run.is_empty() {
        words.push(run);
    }
    let words: Vec<String> = words
        .into_iter()
        .filter(|w| !CONNECTIVES.contains(&w.as_str()))
        .map(|w| ABBREVIATIONS.iter().find(|(a, _)| *a == w).map_or(w, |(_, full)| full.to_string()))
        .collect();
    let mut start = 0;
    let mut end = words.len();
    // The longest legal form at either end, repeatedly; at least one naming word is kept.
    loop {
        let before = (start, end);
        if let Some(k) = legal_form_len(&words[start..end], true)
            && end - start > k
        {
            end -= k;
        }
        if let Some(k) = legal_form_len(&words[start..end], false)
            && end - start > k
        {
            start += k;
        }
        if (start, end) == before {
            break;
        }
    }
    let kept = &words[start..end];
    // A name that is nothing but legal forms (`AS`) keeps no key.
    if kept.len() == 1 && legal_form_len(kept, true).is_some() {
        return String::new();
    }
    kept.join(" ")
}

/// The number of words of the longest legal form ending (`at_end`) or starting `words`.
fn legal_form_len(words: &[String], at_end: bool) -> Option<usize> {
    (1..=3.min(words.len())).rev().find(|&k| {
        let part = if at_end { &words[words.len() - k..] } else { &words[..k] };
        let joined = part.join(" ");
        if at_end { LEGAL_FORMS.contains(&joined.as_str()) } else { LEADING_FORMS.contains(&joined.as_str()) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_forms_connectives_and_punctuation_go() {
        for (raw, want) in [
            ("AKZO NOBEL N.V.", "akzo nobel"),
            ("Akzo Nobel NV", "akzo nobel"),
            ("ACME A/S", "acme"),
            ("Acme AS", "acme"),
            ("Volvo Car AB (publ)", "volvo car"),
            ("AB Volvo", "volvo"),
            ("Müller GmbH & Co. KG", "muller"),
            ("Kowalski i Syn sp. z o.o.", "kowalski syn"),
            ("Nokia Oyj", "nokia"),
            ("Agilent Technologies, Inc.", "agilent technologies"),
            ("The Coca-Cola Company", "coca cola"),
            ("U.S. Philips Corporation", "us philips"),
            ("N.V. Philips' Gloeilampenfabrieken", "philips gloeilampenfabrieken"),
            ("Smith & Sons Ltd", "smith sons"),
            ("Hansen og Sønn AS", "hansen sonn"),
            ("Intl. Trading Co.", "international trading"),
            ("Fiat S.p.A.", "fiat"),
            ("Renault S.A.S.", "renault"),
            ("AS", ""),
            ("Co-op", "co op"),
            ("arnie morton's of chicago", "arnie mortons chicago"),
        ] {
            assert_eq!(company_key(raw), want, "{raw}");
        }
    }

    #[test]
    fn a_legal_form_inside_a_name_stays() {
        // `AS` is a legal form at the end, a word of the name in the middle.
        assert_eq!(company_key("Bygg AS Partner AS"), "bygg as partner");
    }
}
