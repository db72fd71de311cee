//! Text: the tidying every free-text field gets, and the fold every match key is built on.
//!
//! CRM exports carry the same word in many byte forms: decomposed and precomposed accents,
//! non-breaking spaces pasted from web forms, tabs, stray control characters from broken
//! encodings. [`clean_text`] removes those differences without changing what the value says, and
//! [`clean_place`] additionally proper-cases city names that were typed in capitals. [`fold`] goes
//! much further and is only ever used for comparison: it lower-cases, strips diacritics and
//! punctuation, so `Ødegård`, `ODEGARD` and `Odegaard`-style variants meet in dedup. The name and
//! address keys in `name` and dedup are all built on it, so its rules are the project's single
//! definition of "the same letters".
//!
//! Everything here sits on the hot path (several calls per row on 10M-row registers): pure-ASCII
//! input, the overwhelming majority, takes byte-level fast paths, and each function allocates
//! once for its result.

use std::borrow::Cow;

use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::{Cleaned, is_blank};

/// Cleans a free-text value: Unicode NFC, trimmed, every run of whitespace (tabs, newlines,
/// NBSP and other Unicode spaces) collapsed to one space, control and invisible format
/// characters dropped.
pub fn clean_text(raw: &str) -> Cleaned {
    if is_blank(raw) {
        return Cleaned::missing();
    }
    let tidy = tidy(raw);
    // A value made only of control characters carries no information.
    if tidy.is_empty() {
        return Cleaned::missing();
    }
    Cleaned::from_raw(raw, tidy)
}

/// Cleans a place name (city, region) like [`clean_text`], and proper-cases it when it was typed
/// in one case only: `OSLO` → `Oslo`, `st james` → `St James`, `BERGEN-SENTRUM` →
/// `Bergen-Sentrum`. Mixed case (`McAllen`, `Den Haag`) is trusted and kept.
pub fn clean_place(raw: &str) -> Cleaned {
    if is_blank(raw) {
        return Cleaned::missing();
    }
    let tidy = tidy(raw);
    if tidy.is_empty() {
        return Cleaned::missing();
    }
    let value = if is_single_case(&tidy) { proper_case_place(&tidy) } else { tidy };
    Cleaned::from_raw(raw, value)
}

/// The comparison form of a value: lower case, diacritics removed (`é` → `e`, `ø` → `o`,
/// `æ` → `ae`, `ß` → `ss`, `ł` → `l`, ...), apostrophes dropped (`O'Brien` → `obrien`), every
/// other run of non-alphanumeric characters turned into one space, trimmed. Letters of other
/// scripts are kept (lower-cased), so a Cyrillic name still has a key.
///
/// Only for match keys: the result is never shown to a user.
pub fn fold(s: &str) -> String {
    let mut out = Folder { out: String::with_capacity(s.len()), pending_space: false };
    if s.is_ascii() {
        // Fast path: no decomposition, no multi-char lower-casing, no allocation but the result.
        for b in s.bytes() {
            out.push(char::from(b.to_ascii_lowercase()));
        }
        return out.out;
    }
    for c in s.chars() {
        for lower in c.to_lowercase() {
            match fold_special(lower) {
                Some(expansion) => expansion.chars().for_each(|e| out.push(e)),
                // NFD of one char, keeping only the base letters: é → e + U+0301 → e.
                None => decompose_canonical(lower, |d| {
                    if !is_combining_mark(d) {
                        out.push(d);
                    }
                }),
            }
        }
    }
    out.out
}

/// Tidies a value without judging it: NFC, trimmed, whitespace runs collapsed to one space,
/// control and invisible format characters dropped. The shared first step of the text, place,
/// name and email normalisers.
pub fn tidy(raw: &str) -> String {
    let nfc = nfc(raw);
    let mut out = String::with_capacity(nfc.len());
    let mut pending_space = false;
    for c in nfc.chars() {
        // Whitespace first: tab, newline and NEL are also control characters, but they separate
        // words and must become a space rather than glue two words together.
        if c.is_whitespace() {
            pending_space = true;
        } else if !is_invisible(c) {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        }
    }
    out
}

/// The NFC form of `s`, borrowed when it already is NFC (always for ASCII), so the common case
/// costs one scan and no allocation.
pub(crate) fn nfc(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// True when the value's cased letters are all upper case or all lower case (and there is at
/// least one): the signal that it was typed with caps lock or without shift, and that its case
/// carries no information we would lose by proper-casing it.
pub(crate) fn is_single_case(s: &str) -> bool {
    let (mut upper, mut lower) = (false, false);
    for c in s.chars() {
        upper |= c.is_uppercase();
        lower |= c.is_lowercase();
        if upper && lower {
            return false;
        }
    }
    upper != lower
}

/// Characters that are not text: C0/C1 controls, and format characters that render as nothing
/// but break equality (zero-width space, word joiner, BOM, soft hyphen, direction marks).
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// Letters whose fold is not their canonical decomposition: they are separate letters in
/// Unicode (ø, æ, ł, ...) but written without the mark when a keyboard lacks them.
/// `å`, `ä`, `ö`, `ü` are not listed: NFD already folds them to `a`, `a`, `o`, `u`.
fn fold_special(c: char) -> Option<&'static str> {
    Some(match c {
        'ø' => "o",
        'æ' => "ae",
        'œ' => "oe",
        'ß' => "ss",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ĳ' => "ij",
        'ı' => "i",
        // Apostrophes join: `O'Brien` and `OBrien` are the same key.
        '\'' | '’' | '‘' | 'ʼ' | '`' | '´' => "",
        _ => return None,
    })
}

/// Accumulates folded characters: keeps letters and digits, turns any other run into a single
/// space between words, never a leading or trailing one.
struct Folder {
    out: String,
    pending_space: bool,
}

impl Folder {
    fn push(&mut self, c: char) {
        if c.is_alphanumeric() {
            if self.pending_space && !self.out.is_empty() {
                self.out.push(' ');
            }
            self.pending_space = false;
            self.out.push(c);
        } else if c != '\'' && c != '`' {
            self.pending_space = true;
        }
    }
}

/// Proper case for places: each word's first letter upper, the rest lower. A word starts after
/// anything that is not a letter, digit or apostrophe, so `bergen-sentrum` → `Bergen-Sentrum`
/// and `3rd` stays `3rd`; after an apostrophe we stay lower, which also gets the Dutch
/// `'s-hertogenbosch` → `'s-Hertogenbosch` right. A word starting with the Dutch digraph `ij`
/// capitalises both letters (`IJmuiden`).
fn proper_case_place(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at_word_start = true;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphabetic() {
            if at_word_start {
                out.extend(c.to_uppercase());
                if matches!(c, 'i' | 'I') && matches!(chars.peek(), Some('j' | 'J')) {
                    out.push('J');
                    chars.next();
                }
            } else {
                out.extend(c.to_lowercase());
            }
            at_word_start = false;
        } else {
            out.push(c);
            at_word_start = !(c.is_numeric() || is_apostrophe(c));
        }
    }
    out
}

pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | '´')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::Status;

    #[test]
    fn clean_text_table() {
        let cases = [
            ("Storgata 1", Some("Storgata 1"), Status::Valid),
            ("  Storgata 1 ", Some("Storgata 1"), Status::Valid),
            ("Storgata\t\t1", Some("Storgata 1"), Status::Fixed),
            ("Storgata\u{a0}1", Some("Storgata 1"), Status::Fixed),
            ("Storgata \n 1", Some("Storgata 1"), Status::Fixed),
            ("Stor\u{0}gata", Some("Storgata"), Status::Fixed),
            ("Stor\u{200b}gata", Some("Storgata"), Status::Fixed),
            ("\u{feff}Oslo", Some("Oslo"), Status::Fixed),
            // Decomposed å (a + combining ring) becomes precomposed.
            ("A\u{30a}lesund", Some("Ålesund"), Status::Fixed),
            ("Ålesund", Some("Ålesund"), Status::Valid),
            ("Kraków", Some("Kraków"), Status::Valid),
            ("ŁÓDŹ", Some("ŁÓDŹ"), Status::Valid),
            ("", None, Status::Missing),
            ("   ", None, Status::Missing),
            ("N/A", None, Status::Missing),
            ("\u{1}\u{2}", None, Status::Missing),
            ("\u{a0}\u{a0}", None, Status::Missing),
        ];
        for (raw, value, status) in cases {
            let got = clean_text(raw);
            assert_eq!(got.value.as_deref(), value, "value of {raw:?}");
            assert_eq!(got.status, status, "status of {raw:?}");
        }
    }

    #[test]
    fn clean_place_table() {
        let cases = [
            ("OSLO", Some("Oslo"), Status::Fixed),
            ("oslo", Some("Oslo"), Status::Fixed),
            ("Oslo", Some("Oslo"), Status::Valid),
            ("st james", Some("St James"), Status::Fixed),
            ("KRAKÓW", Some("Kraków"), Status::Fixed),
            ("ÅLESUND", Some("Ålesund"), Status::Fixed),
            ("BERGEN-SENTRUM", Some("Bergen-Sentrum"), Status::Fixed),
            ("DEN HAAG", Some("Den Haag"), Status::Fixed),
            ("'S-HERTOGENBOSCH", Some("'s-Hertogenbosch"), Status::Fixed),
            ("IJMUIDEN", Some("IJmuiden"), Status::Fixed),
            ("OSLO 3RD", Some("Oslo 3rd"), Status::Fixed),
            ("ST. ALBANS", Some("St. Albans"), Status::Fixed),
            ("MÜNCHEN\u{a0}", Some("München"), Status::Fixed),
            // Mixed case is trusted.
            ("McAllen", Some("McAllen"), Status::Valid),
            ("den Haag", Some("den Haag"), Status::Valid),
            ("  Den   Haag ", Some("Den Haag"), Status::Fixed),
            // No cased letters: nothing to proper-case.
            ("1234", Some("1234"), Status::Valid),
            ("東京", Some("東京"), Status::Valid),
            ("-", None, Status::Missing),
        ];
        for (raw, value, status) in cases {
            let got = clean_place(raw);
            assert_eq!(got.value.as_deref(), value, "value of {raw:?}");
            assert_eq!(got.status, status, "status of {raw:?}");
        }
    }

    #[test]
    fn fold_table() {
        let cases = [
            ("Hansen", "hansen"),
            ("  Jan   van der BERG ", "jan van der berg"),
            ("Ødegård", "odegard"),
            ("Æsir", "aesir"),
            ("Œuvre", "oeuvre"),
            ("Straße", "strasse"),
            ("STRASSE", "strasse"),
            ("Łukasz Wałęsa", "lukasz walesa"),
            ("Đorđe", "dorde"),
            ("Þórr", "thorr"),
            ("ĳssel", "ijssel"),
            ("Müller-Lüdenscheidt", "muller ludenscheidt"),
            ("Jörg Åström", "jorg astrom"),
            ("Kraków", "krakow"),
            ("Żółć", "zolc"),
            // Decomposed input folds the same as precomposed.
            ("Kr\u{61}\u{301}kow", "krakow"),
            ("O'Brien", "obrien"),
            ("O’Brien", "obrien"),
            ("Anne-Marie", "anne marie"),
            ("St. James's Rd. 12b", "st jamess rd 12b"),
            ("--Oslo--", "oslo"),
            ("a\u{a0}\tb", "a b"),
            ("Иван", "иван"),
            ("İstanbul", "istanbul"),
            ("", ""),
            ("!!!", ""),
            ("\u{0}\u{1f600}", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(fold(input), expected, "fold({input:?})");
        }
    }

    #[test]
    fn ascii_fast_path_agrees_with_unicode_path() {
        // Appending a non-ASCII separator forces the slow path; the key must not change.
        let cases = ["Hansen", "van der Berg", "O'Brien", "St. James", "A-B  c", "  x1 "];
        for input in cases {
            let slow = format!("{input}\u{a0}");
            assert_eq!(fold(input), fold(&slow), "{input:?}");
        }
    }

    #[test]
    fn never_panics_on_hostile_input() {
        let huge = "Ø\u{301}a\u{0} ".repeat(20_000);
        let cases = [huge.as_str(), "\u{10ffff}\u{fffd}\u{0}\u{7f}", "\u{301}\u{301}\u{301}", "ǅemal ǈ", "ß", "ﬃ"];
        for input in cases {
            let _ = clean_text(input);
            let _ = clean_place(input);
            let _ = fold(input);
        }
    }
}
