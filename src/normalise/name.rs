//! Name: clean person-name parts and build the keys dedup compares them by.
//!
//! Registers mix caps-lock entries (`JAN VAN DER BERG`), lower-case web sign-ups and careful
//! mixed case. [`clean_name`] proper-cases only the first two kinds, with the rules of the
//! languages we see (lower-case particles `van der`, `von`, `af`; `McDonald`, `O'Brien`, Dutch
//! `IJ`), and trusts mixed case because a person who typed `McKenzie` or `de Vries` knows best.
//! [`split_full_name`] serves sources that only have one name column.
//!
//! The keys are for dedup only: [`name_key`] compares spellings that differ in accents, spaces
//! and hyphens; [`phonetic_key`] compares spellings that sound alike across the Nordic, German,
//! Dutch, Polish and English variants of a name; [`polish_surname_stem`] lets dedup see that
//! `Kowalski` and `Kowalska` are one family name in two genders.

use super::text::{fold, is_apostrophe, is_single_case, tidy};
use super::{Cleaned, is_blank};

/// Surname particles, written lower case inside a name (`Jan van der Berg`, `Ursula von der
/// Leyen`, `Carl af Trolle`). Single words: multi-word particles are runs of these.
const PARTICLES: &[&str] = &[
    "van", "der", "den", "de", "von", "zu", "af", "av", "la", "le", "du", "di", "da", "dos", "del", "ten", "ter", "'t",
    "'s",
];

/// Titles and salutations stripped from full names (compared lower case, without a final dot).
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "herr", "frau", "pan", "pani", "hr", "fru", "dhr", "mevr", "ing",
    "ir", "drs", "mgr",
];

/// Generational suffixes dropped from the end of a full name.
const SUFFIXES: &[&str] = &["jr", "sr"];

/// Characters that never occur in a person's name; a value holding one is a misplaced email,
/// phone number, id or markup, not a misspelt name.
fn is_not_name_char(c: char) -> bool {
    c.is_numeric()
        || matches!(
            c,
            '@' | '#' | '_' | '=' | '<' | '>' | '\\' | '|' | '{' | '}' | '[' | ']' | '*' | '+' | '%' | '$' | '~' | '^'
        )
}

/// Cleans one name part (a first name, a last name, or a whole name): tidied like text, stray
/// quotes and punctuation around it removed, and proper-cased when typed in one case only.
/// A value with digits, `@` or other characters no name has is `Invalid`.
pub fn clean_name(raw: &str) -> Cleaned {
    if is_blank(raw) {
        return Cleaned::missing();
    }
    let tidy = tidy(raw);
    let core = strip_stray(&tidy);
    if core.is_empty() {
        // Only punctuation or control characters: nothing that could be a name.
        return if tidy.is_empty() { Cleaned::missing() } else { Cleaned::invalid() };
    }
    // Judged on the whole value, stripped punctuation included: `#REF!` is a spreadsheet error.
    if tidy.chars().any(is_not_name_char) || !core.chars().any(char::is_alphabetic) {
        return Cleaned::invalid();
    }
    let value = if is_shouted_or_whispered(core) { proper_case_name(core) } else { core.to_string() };
    Cleaned::from_raw(raw, value)
}

/// Splits a full-name value into (first name, last name), each cleaned like [`clean_name`].
///
/// `Berg, Jan` is read as last name first. Otherwise titles (`Dr`, `Herr`, `Pani`, `Dhr.`, ...)
/// and suffixes (`Jr.`) are dropped, the last word is the surname together with any particles
/// before it (`Jan van der Berg` → `Jan`, `van der Berg`), and every word before it is the first
/// name (`Anne Marie Hansen` → `Anne Marie`, `Hansen`). A single word is taken as the last name:
/// the surname is what registers are searched and blocked by, so it is the safer place for an
/// ambiguous word.
pub fn split_full_name(raw: &str) -> (Option<String>, Option<String>) {
    if is_blank(raw) {
        return (None, None);
    }
    let tidy = tidy(raw);
    if let Some((last, rest)) = tidy.split_once(',') {
        // `Berg, Jan, Jr.`: only the part right after the first comma is the first name.
        let first = rest.split(',').next().unwrap_or("");
        let first_words = strip_titles(first.split_whitespace().collect());
        let last_words = strip_titles(last.split_whitespace().collect());
        return (clean_words(&first_words), clean_words(&last_words));
    }
    let words = strip_titles(tidy.split_whitespace().collect());
    if words.is_empty() {
        return (None, None);
    }
    let mut surname_start = words.len() - 1;
    while surname_start > 0 && is_particle(words[surname_start - 1]) {
        surname_start -= 1;
    }
    (clean_words(&words[..surname_start]), clean_words(&words[surname_start..]))
}

/// Words that address or rank a person and are never part of a name, stripped before names are
/// compared (`Sir`, `Hon.`, `Dr`, `Fru`, `Herr`, `Pan`, `Pani`, `Dhr.`, `baronet`, ...), in every
/// language regclean reads. Historical registers put them in the name fields themselves (Splink's
/// historical_50k: 1,262 first names `sir`, 615 surnames `baronet`), where they make strangers
/// agree on a "name".
const HONORIFICS: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "doctor",
    "prof",
    "professor",
    "herr",
    "frau",
    "fraulein",
    "frl",
    "pan",
    "pani",
    "panna",
    "hr",
    "fru",
    "frk",
    "froken",
    "dhr",
    "mevr",
    "mevrouw",
    "mej",
    "mw",
    "ing",
    "ir",
    "drs",
    "mgr",
    "sir",
    "dame",
    "hon",
    "honourable",
    "honorable",
    "rt",
    "rev",
    "revd",
    "reverend",
    "baronet",
    "bart",
    "bt",
    "baroness",
    "viscount",
    "viscountess",
    "marquess",
    "marquis",
    "marchioness",
    "countess",
    "duchess",
    "freiherr",
    "freifrau",
    "grafin",
    "jonkheer",
    "jhr",
    "ks",
];

/// Ranks that are also given names or surnames (`Earl`, `Lord`, `Count`): stripped only from a
/// value that holds more words.
const RANKS: &[&str] = &["lord", "lady", "earl", "baron", "count", "duke", "prince", "princess", "graf", "king", "of"];

/// An ordinal (`1st`, `4th`, `22nd`): the rank of a title holder, not a name.
fn is_ordinal(word: &str) -> bool {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && matches!(&word[digits..], "st" | "nd" | "rd" | "th" | "e" | "er" | ".")
}

/// A name value as dedup compares it: folded, without honorifics, ranks and ordinals, and for a
/// surname without its particles (`van der Berg` → `berg`, `de Vere` → `vere`), so that
/// `Sir Nigel Douglas, 5th Baronet` and `Nigel Douglas` agree and two baronets do not. A value
/// that is nothing but particles or ranks keeps them (`Earl`, `De`); one that is only honorifics
/// becomes empty. Outputs keep the value as written.
pub fn match_words(value: &str, surname: bool) -> String {
    let folded = fold(value);
    let words: Vec<&str> =
        folded.split(|c: char| c.is_whitespace() || c == ',' || c == '.').filter(|w| !w.is_empty()).collect();
    let kept: Vec<&str> = words.iter().copied().filter(|w| !HONORIFICS.contains(w) && !is_ordinal(w)).collect();
    let named: Vec<&str> =
        kept.iter().copied().filter(|w| !RANKS.contains(w) && (!surname || !is_particle(w))).collect();
    if named.is_empty() { kept.join(" ") } else { named.join(" ") }
}

/// The spelling key of a name: [`fold`] with spaces, hyphens and apostrophes removed, so
/// `van der Berg` / `Vanderberg` → `vanderberg` and `Ødegård` / `Odegard` → `odegard`.
pub fn name_key(s: &str) -> String {
    let mut key = fold(s);
    key.retain(|c| c != ' ');
    key
}

/// A phonetic key: names that are spelling variants of each other across our languages get the
/// same key, at most 8 characters. Computed on [`name_key`], so diacritics are already folded
/// (`ø` → `o`, `ä` → `a`, ...). The rules, applied left to right, longest match first:
///
/// * Consonant spellings of one sound get one code: `ph` → F; `ck`, `c` (not before e/i/y), `q`
///   → K, and `qu` → KV (`Quist`/`Kvist`); `c` before e/i/y → S; `z` → S; `x` → KS; `w` → V;
///   `th` → T; `gh` → G; `dt` → T, and a final `d` → T, a final `f` → V (final devoicing:
///   `Schmidt`/`Schmitt`, `Olaf`/`Olav`).
/// * The sh-sound of each language → X: `sch`, `sh`, `sj`, `skj`, `stj`, Polish `sz`/`cz`, and
///   `ch`; but `chr` and `chs` → K (`Christiansen`, `Erichsen`), and `sch` before a consonant →
///   S, since German `Schmidt`/`Schneider` are Dutch `Smit`/`Snijder`.
/// * The Nordic soft `kj`/`tj` → C.
/// * `h` is silent after the first letter (`Ohlsson`, `Thomas`).
/// * Vowels: a run of vowels (a e i o u y, and Dutch `ij`) is one vowel group, classified by its
///   first two letters: A (`a`, `aa`), E (`e`, `ee`, `ae`), I (`i`, `y`, `ij`, `ie`, `ei`, `ey`,
///   `ai`, `ay`), O (`o`, `oo`), U (`u`, `uu`, `oe`, `ue`, `ou`) and Y for the oi-diphthongs
///   (`eu`, `au` from `äu`, `oi`, `oy` from `øy`).
/// * Adjacent identical codes collapse (`Hanssen` = `Hansen`), then only the first vowel group
///   is kept: the endings `-sen`/`-son`/`-szon` differ only in later vowels, while the first
///   vowel keeps `Berg` and `Borg` apart. The first letter is always kept.
///
/// So `Pettersen`, `Petterson`, `Peterson` → `PETRSN`; `Kristiansen`, `Christiansen` →
/// `KRISTNSN`; `Meyer`, `Meier`, `Maier`, `Meijer` → `MIR`; `Schmidt`, `Schmitt`, `Smit` →
/// `SMIT`; `Nowak`, `Novak` → `NOVK`. Letters outside a–z (other scripts) are kept as they are.
/// Polish gendered endings collide (`Kowalski`, `Kowalska` → `KOVLSK`): use
/// [`polish_surname_stem`] to tell the genders apart.
pub fn phonetic_key(s: &str) -> String {
    let key: Vec<char> = name_key(s).chars().collect();
    let mut enc = PhoneticEncoder::default();
    let mut i = 0;
    while i < key.len() && enc.len < MAX_PHONETIC_LEN {
        let at = |k: usize| key.get(i + k).copied().unwrap_or('\0');
        let c = at(0);
        let first = i == 0;
        if is_vowel(c) || (c == 'i' && at(1) == 'j') {
            // Consume the whole vowel run, treating `ij` as one vowel.
            let class = vowel_class(c, at(1));
            let mut j = i;
            while j < key.len() {
                let v = key[j];
                if v == 'i' && key.get(j + 1) == Some(&'j') {
                    j += 2;
                } else if is_vowel(v) {
                    j += 1;
                } else {
                    break;
                }
            }
            enc.vowel(class);
            i = j;
            continue;
        }
        let at_end = i + 1 == key.len();
        // (codes to emit, letters consumed)
        let (codes, used): (&str, usize) = match c {
            's' if at(1) == 'c' && at(2) == 'h' => {
                let next = at(3);
                if next != '\0' && next.is_ascii_alphabetic() && !is_vowel(next) { ("S", 3) } else { ("X", 3) }
            }
            's' if at(1) == 'k' && at(2) == 'j' => ("X", 3),
            's' if at(1) == 't' && at(2) == 'j' => ("X", 3),
            's' if matches!(at(1), 'j' | 'h' | 'z') => ("X", 2),
            's' => ("S", 1),
            'c' if at(1) == 'h' && matches!(at(2), 'r' | 's') => ("K", 2),
            'c' if at(1) == 'h' => ("X", 2),
            'c' if at(1) == 'z' => ("X", 2),
            'c' if at(1) == 'k' => ("K", 2),
            'c' if matches!(at(1), 'e' | 'i' | 'y') => ("S", 1),
            'c' => ("K", 1),
            'k' if at(1) == 'j' => ("C", 2),
            't' if at(1) == 'j' => ("C", 2),
            't' if at(1) == 'h' => ("T", 2),
            'p' if at(1) == 'h' => ("F", 2),
            'g' if at(1) == 'h' => ("G", 2),
            'q' if at(1) == 'u' => ("KV", 2),
            'q' | 'k' => ("K", 1),
            'd' if at(1) == 't' => ("", 1),
            'd' if at_end => ("T", 1),
            'f' if at_end => ("V", 1),
            'h' if !first => ("", 1),
            'w' | 'v' => ("V", 1),
            'z' => ("S", 1),
            'x' => ("KS", 1),
            'b' => ("B", 1),
            'd' => ("D", 1),
            'f' => ("F", 1),
            'g' => ("G", 1),
            'h' => ("H", 1),
            'j' => ("J", 1),
            'l' => ("L", 1),
            'm' => ("M", 1),
            'n' => ("N", 1),
            'p' => ("P", 1),
            'r' => ("R", 1),
            't' => ("T", 1),
            other => {
                // Another script or a digit: its own code.
                enc.consonant(other);
                i += 1;
                continue;
            }
        };
        codes.chars().for_each(|code| enc.consonant(code));
        i += used;
    }
    enc.out
}

/// The longest phonetic key: enough to separate surnames, short enough that long compound names
/// differing only at the end still meet.
const MAX_PHONETIC_LEN: usize = 8;

/// Builds a phonetic key: collapses repeats and keeps only the first vowel group.
#[derive(Default)]
struct PhoneticEncoder {
    out: String,
    len: usize,
    /// The last code seen, vowel groups included (a vowel between two equal consonants keeps
    /// both: `Lill` is L-I-L, not L).
    last: Option<Code>,
    vowel_kept: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Code {
    Consonant(char),
    Vowel(char),
}

impl PhoneticEncoder {
    fn consonant(&mut self, c: char) {
        let code = Code::Consonant(c);
        if self.last != Some(code) {
            self.emit(c);
        }
        self.last = Some(code);
    }

    fn vowel(&mut self, class: char) {
        if !self.vowel_kept {
            self.vowel_kept = true;
            self.emit(class);
        }
        self.last = Some(Code::Vowel(class));
    }

    fn emit(&mut self, c: char) {
        if self.len < MAX_PHONETIC_LEN {
            self.out.push(c);
            self.len += 1;
        }
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// The class of a vowel group from its first two letters (see [`phonetic_key`]).
fn vowel_class(first: char, second: char) -> char {
    match (first, second) {
        ('a', 'i' | 'y') | ('e', 'i' | 'y') | ('i', _) | ('y', _) => 'I',
        ('a', 'u') | ('e', 'u') | ('o', 'i' | 'y') => 'Y',
        ('a', 'e') | ('e', _) => 'E',
        ('a', _) => 'A',
        ('o', 'e' | 'u') | ('u', _) => 'U',
        _ => 'O',
    }
}

/// The stem of a Polish gendered surname, shared by the masculine `-ski`/`-cki`/`-dzki` and the
/// feminine `-ska`/`-cka`/`-dzka` forms: `kowalski`, `kowalska` → `kowalsk`. `None` for any other
/// name. Takes a folded name (lower-case a–z only; anything else gives `None`).
///
/// Dedup uses it to see that Jan Kowalski and Anna Kowalska share a family name, which matters
/// for households but must never make them the same person.
pub fn polish_surname_stem(folded: &str) -> Option<String> {
    let b = folded.as_bytes();
    let n = b.len();
    // At least two letters before the ending: `ski` alone is a word, not a surname.
    if n < 5 || !b.iter().all(u8::is_ascii_lowercase) {
        return None;
    }
    let gendered = matches!(b[n - 1], b'i' | b'a') && b[n - 2] == b'k' && matches!(b[n - 3], b's' | b'c' | b'z');
    // Slicing is safe: the string is all ASCII.
    gendered.then(|| folded[..n - 1].to_string())
}

/// Strips quotes, brackets and stray punctuation around a name, keeping the dot of a trailing
/// initial (`J.`) and a leading Dutch `'t` (`'t Hart`).
fn strip_stray(s: &str) -> &str {
    let keeps_leading_apostrophe = {
        let mut it = s.chars();
        matches!((it.next(), it.next(), it.next()), (Some(a), Some('t' | 'T' | 's' | 'S'), Some(' ')) if is_apostrophe(a))
    };
    let start = if keeps_leading_apostrophe {
        0
    } else {
        s.char_indices().find(|&(_, c)| c.is_alphabetic()).map_or(s.len(), |(i, _)| i)
    };
    let s = &s[start..];
    let end = s.char_indices().rev().find(|&(_, c)| c.is_alphabetic()).map_or(0, |(i, c)| i + c.len_utf8());
    let core = &s[..end];
    // Keep one dot after a single-letter initial (`J.`, `Ola J.`, `J.R.`), not after a word
    // (`Hansen.`).
    if s[end..].starts_with('.') {
        let mut back = core.chars().rev();
        let last_is_letter = back.next().is_some_and(char::is_alphabetic);
        let initial = last_is_letter && back.next().is_none_or(|p| !p.is_alphabetic());
        if initial {
            // The dot is ASCII, so `end + 1` is a char boundary.
            return &s[..end + 1];
        }
    }
    core
}

/// True when the letters that decide a name's case are all upper or all lower case. Particle
/// words are left out of the decision: `van der BERG` is a shouted surname with correctly
/// written particles, not a deliberate mixed-case spelling.
fn is_shouted_or_whispered(s: &str) -> bool {
    let mut words = s.split(' ').filter(|w| !is_particle(w)).peekable();
    if words.peek().is_none() {
        return is_single_case(s);
    }
    let (mut upper, mut lower) = (false, false);
    for w in words {
        for c in w.chars() {
            upper |= c.is_uppercase();
            lower |= c.is_lowercase();
        }
    }
    upper != lower
}

fn is_particle(word: &str) -> bool {
    // Particles are short ASCII words (plus the curly-apostrophe `’t`), so a length check and an
    // ASCII case-insensitive compare avoid allocating on this per-word hot path.
    if word.len() > 4 {
        return false;
    }
    PARTICLES.iter().any(|p| p.eq_ignore_ascii_case(word))
        || word.strip_prefix('’').is_some_and(|rest| rest.eq_ignore_ascii_case("t") || rest.eq_ignore_ascii_case("s"))
}

/// Proper case for a name typed in one case: particles lower case unless the name is only
/// particles, every other word capitalised by [`proper_case_word`].
fn proper_case_name(s: &str) -> String {
    let all_particles = s.split(' ').all(is_particle);
    let mut out = String::with_capacity(s.len());
    for (n, word) in s.split(' ').enumerate() {
        if n > 0 {
            out.push(' ');
        }
        if is_particle(word) && !(all_particles && n == 0) {
            out.push_str(&word.to_lowercase());
        } else {
            proper_case_word(word, &mut out);
        }
    }
    out
}

/// Capitalises one word of a name. A new capital starts the word, each hyphenated part
/// (`Anne-Marie`) and each initial (`J.R.`); also after `Mc` (`McDonald`) and after a one-letter
/// prefix with an apostrophe (`O'Brien`, `D'Angelo`). A word starting with the Dutch digraph
/// `ij` capitalises both letters (`IJsbrand`). Everything else is lower case.
fn proper_case_word(word: &str, out: &mut String) {
    let lower = word.to_lowercase();
    let mut capitalise = true;
    // Letters since the start of the current part, to spot `O'` and `Mc`.
    let mut part_letters = 0usize;
    let mut part_start = true;
    let mut chars = lower.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphabetic() {
            if part_start && c == 'i' && chars.peek() == Some(&'j') {
                out.push_str("IJ");
                chars.next();
                capitalise = false;
                part_letters += 2;
                part_start = false;
                continue;
            }
            if capitalise {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
            part_letters += 1;
            part_start = false;
            capitalise = false;
            // `Mc` + at least one more letter: `McDonald`, but a bare `Mc` stays as it is.
            if part_letters == 2 && c == 'c' && out.ends_with("Mc") && chars.peek().is_some_and(|n| n.is_alphabetic()) {
                capitalise = true;
            }
        } else {
            out.push(c);
            if is_apostrophe(c) {
                // `O'Brien`: capital after a one-letter prefix; `Jan's` stays lower.
                capitalise = part_letters == 1;
            } else {
                capitalise = true;
                part_letters = 0;
                part_start = true;
            }
        }
    }
}

/// Drops titles from the front and generational suffixes from the back of a word list.
fn strip_titles(mut words: Vec<&str>) -> Vec<&str> {
    let bare = |w: &str| w.trim_end_matches('.').to_lowercase();
    let leading = words.iter().take_while(|w| TITLES.contains(&bare(w).as_str())).count();
    words.drain(..leading);
    while words.last().is_some_and(|w| SUFFIXES.contains(&bare(w).trim_end_matches(','))) && words.len() > 1 {
        words.pop();
    }
    words
}

/// Joins words back into a name part and cleans it; `None` when there is nothing usable.
fn clean_words(words: &[&str]) -> Option<String> {
    if words.is_empty() {
        return None;
    }
    clean_name(&words.join(" ")).value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_ranks_ordinals_and_particles_are_not_compared() {
        assert_eq!(match_words("Sir Nigel Douglas, 5th Baronet", false), "nigel douglas");
        assert_eq!(match_words("sir", false), "");
        assert_eq!(match_words("baronet", true), "");
        assert_eq!(match_words("Hon. Henry", false), "henry");
        assert_eq!(match_words("van der Berg", true), "berg");
        assert_eq!(match_words("de Vere", true), "vere");
        assert_eq!(match_words("Fru Kari", false), "kari");
        assert_eq!(match_words("Pani Anna", false), "anna");
        // A rank that is also a name stays when it is all there is.
        assert_eq!(match_words("Earl", false), "earl");
        assert_eq!(match_words("De", true), "de");
        assert_eq!(match_words("Jørgen", false), "jorgen");
    }
    use crate::normalise::Status;

    #[test]
    fn clean_name_table() {
        let cases = [
            ("Jan", Some("Jan"), Status::Valid),
            ("JAN", Some("Jan"), Status::Fixed),
            ("jan", Some("Jan"), Status::Fixed),
            ("JAN VAN DER BERG", Some("Jan van der Berg"), Status::Fixed),
            ("van der BERG", Some("van der Berg"), Status::Fixed),
            ("VAN DER BERG", Some("van der Berg"), Status::Fixed),
            ("ursula von der leyen", Some("Ursula von der Leyen"), Status::Fixed),
            ("CARL AF TROLLE", Some("Carl af Trolle"), Status::Fixed),
            ("DE", Some("De"), Status::Fixed),
            ("VAN DER", Some("Van der"), Status::Fixed),
            ("ANNE-MARIE", Some("Anne-Marie"), Status::Fixed),
            ("MCDONALD", Some("McDonald"), Status::Fixed),
            ("MC", Some("Mc"), Status::Fixed),
            ("O'BRIEN", Some("O'Brien"), Status::Fixed),
            ("o’brien", Some("O’Brien"), Status::Fixed),
            ("D'ANGELO", Some("D'Angelo"), Status::Fixed),
            ("ØYVIND", Some("Øyvind"), Status::Fixed),
            ("ŁUKASZ", Some("Łukasz"), Status::Fixed),
            ("ŻÓŁTOWSKA", Some("Żółtowska"), Status::Fixed),
            ("ĲSSELMUIDEN", Some("Ĳsselmuiden"), Status::Fixed),
            ("IJSSEL", Some("IJssel"), Status::Fixed),
            ("ijsbrand", Some("IJsbrand"), Status::Fixed),
            ("'T HART", Some("'t Hart"), Status::Fixed),
            ("J.", Some("J."), Status::Valid),
            ("j.", Some("J."), Status::Fixed),
            ("OLA J.", Some("Ola J."), Status::Fixed),
            ("J.R.", Some("J.R."), Status::Valid),
            ("Hansen.", Some("Hansen"), Status::Fixed),
            ("\"Jan\"", Some("Jan"), Status::Fixed),
            ("'Kari'", Some("Kari"), Status::Fixed),
            ("(Ola)", Some("Ola"), Status::Fixed),
            ("-Kari-", Some("Kari"), Status::Fixed),
            ("  Kari\u{a0} Nordmann ", Some("Kari Nordmann"), Status::Fixed),
            // Mixed case is the person's own spelling.
            ("McKenzie", Some("McKenzie"), Status::Valid),
            ("de Vries", Some("de Vries"), Status::Valid),
            ("DeVries", Some("DeVries"), Status::Valid),
            ("jAN", Some("jAN"), Status::Valid),
            // Not a name.
            ("jan@example.com", None, Status::Invalid),
            ("Jan2", None, Status::Invalid),
            ("12345", None, Status::Invalid),
            ("#REF!", None, Status::Invalid),
            ("!!!", None, Status::Invalid),
            ("", None, Status::Missing),
            ("N/A", None, Status::Missing),
            ("\u{0}", None, Status::Missing),
        ];
        for (raw, value, status) in cases {
            let got = clean_name(raw);
            assert_eq!(got.value.as_deref(), value, "value of {raw:?}");
            assert_eq!(got.status, status, "status of {raw:?}");
        }
    }

    #[test]
    fn split_full_name_table() {
        let cases = [
            ("Jan van der Berg", Some("Jan"), Some("van der Berg")),
            ("JAN VAN DER BERG", Some("Jan"), Some("van der Berg")),
            ("Berg, Jan", Some("Jan"), Some("Berg")),
            ("van der Berg, Jan", Some("Jan"), Some("van der Berg")),
            ("BERG, JAN, JR.", Some("Jan"), Some("Berg")),
            ("Anne Marie Hansen", Some("Anne Marie"), Some("Hansen")),
            ("Dr. Kari Nordmann", Some("Kari"), Some("Nordmann")),
            ("Prof. Dr. Hans Müller", Some("Hans"), Some("Müller")),
            ("Herr Klaus Schmidt", Some("Klaus"), Some("Schmidt")),
            ("Pani Anna Kowalska", Some("Anna"), Some("Kowalska")),
            ("Dhr. Pieter de Vries", Some("Pieter"), Some("de Vries")),
            ("Mevr. A. Jansen", Some("A."), Some("Jansen")),
            ("Fru Ingrid Olsen", Some("Ingrid"), Some("Olsen")),
            ("Mr John Smith Jr.", Some("John"), Some("Smith")),
            ("Ludwig van Beethoven", Some("Ludwig"), Some("van Beethoven")),
            ("carl af trolle", Some("Carl"), Some("af Trolle")),
            ("Jan BERG", Some("Jan"), Some("Berg")),
            ("\"Ola Nordmann\"", Some("Ola"), Some("Nordmann")),
            ("Hansen", None, Some("Hansen")),
            ("van der Berg", None, Some("van der Berg")),
            ("Berg,", None, Some("Berg")),
            (", Jan", Some("Jan"), None),
            ("Dr.", None, None),
            ("", None, None),
            ("-", None, None),
            ("jan@example.com", None, None),
        ];
        for (raw, first, last) in cases {
            let (f, l) = split_full_name(raw);
            assert_eq!((f.as_deref(), l.as_deref()), (first, last), "{raw:?}");
        }
    }

    #[test]
    fn name_key_table() {
        let cases = [
            ("van der Berg", "vanderberg"),
            ("Vanderberg", "vanderberg"),
            ("Ødegård", "odegard"),
            ("Anne-Marie", "annemarie"),
            ("O'Brien", "obrien"),
            ("  MÜLLER ", "muller"),
            ("Wałęsa", "walesa"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(name_key(input), expected, "name_key({input:?})");
        }
    }

    #[test]
    fn phonetic_key_table() {
        let cases = [
            ("Pettersen", "PETRSN"),
            ("Hansen", "HANSN"),
            ("Kristiansen", "KRISTNSN"),
            ("Meyer", "MIR"),
            ("Schmidt", "SMIT"),
            ("Nowak", "NOVK"),
            ("Berg", "BERG"),
            ("Olsen", "OLSN"),
            ("Kowalski", "KOVLSK"),
            ("Schulz", "XULS"),
            ("Sjöberg", "XOBRG"),
            ("Kjell", "CEL"),
            ("Olaf", "OLV"),
            ("Quist", "KVIST"),
            ("Axel", "AKSL"),
            ("Иван", "иван"),
            ("", ""),
            ("!!", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(phonetic_key(input), expected, "phonetic_key({input:?})");
        }
    }

    #[test]
    fn phonetic_variants_collide() {
        let groups: [&[&str]; 17] = [
            &["Pettersen", "Petterson", "Peterson", "Petersen", "Pettersson"],
            &["Kristiansen", "Christiansen", "Kristiansson"],
            &["Hansen", "Hanssen", "Hanson"],
            &["Schmidt", "Schmitt", "Smit", "Smith", "Smidt"],
            &["Meyer", "Meier", "Maier", "Mayer", "Meijer"],
            &["Jansen", "Janssen", "Janson"],
            &["Nowak", "Novak"],
            &["Nielsen", "Nilsen", "Nilson"],
            &["Olsen", "Olesen", "Ohlsson"],
            &["Eriksen", "Erichsen", "Ericsson"],
            &["Andersen", "Anderson", "Andersson"],
            &["Dijkstra", "Dykstra"],
            &["Schneider", "Snijder"],
            &["Kristoffer", "Christopher", "Christoffer"],
            &["Gustav", "Gustaf"],
            &["Thomas", "Tomas"],
            &["Quist", "Qvist", "Kvist"],
        ];
        for group in groups {
            let key = phonetic_key(group[0]);
            for name in group {
                assert_eq!(phonetic_key(name), key, "{name} vs {}", group[0]);
            }
        }
    }

    #[test]
    fn distinct_names_do_not_collide() {
        let cases = [
            ("Hansen", "Jensen"),
            ("Olsen", "Nilsen"),
            ("Berg", "Borg"),
            ("Pettersen", "Pedersen"),
            ("Jansen", "Janssens"),
            ("Meyer", "Moore"),
            ("Larsen", "Karlsen"),
            ("Johansen", "Jacobsen"),
            ("Kowalski", "Nowak"),
        ];
        for (a, b) in cases {
            assert_ne!(phonetic_key(a), phonetic_key(b), "{a} vs {b}");
        }
    }

    #[test]
    fn polish_surname_stem_table() {
        let cases = [
            ("kowalski", Some("kowalsk")),
            ("kowalska", Some("kowalsk")),
            ("nowicki", Some("nowick")),
            ("nowicka", Some("nowick")),
            ("zawadzki", Some("zawadzk")),
            ("zawadzka", Some("zawadzk")),
            ("brzezinski", Some("brzezinsk")),
            ("nowak", None),
            ("kowalsky", None),
            ("hansen", None),
            ("ski", None),
            ("aska", None),
            ("Kowalski", None),
            ("kowalski nowak", None),
            ("kowalśka", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(polish_surname_stem(input).as_deref(), expected, "{input:?}");
        }
    }

    #[test]
    fn never_panics_on_hostile_input() {
        let huge = "É\u{0}@ ß'’.- ".repeat(20_000);
        let cases = [
            huge.as_str(),
            "'",
            "'t",
            "’T ",
            ".",
            "..J..",
            "\u{301}",
            "ǅ",
            "İ",
            "ﬃ",
            "\u{10ffff}",
            "Mc",
            "ij",
            "sch",
            "chr",
        ];
        for input in cases {
            let _ = clean_name(input);
            let _ = split_full_name(input);
            let _ = name_key(input);
            assert!(phonetic_key(input).chars().count() <= MAX_PHONETIC_LEN);
            let _ = polish_surname_stem(input);
        }
    }
}
