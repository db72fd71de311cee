//! Boolean: read consent and status flags (`email_consent`, `sms_consent`, `email_bounced`,
//! `unsubscribed`) written in whatever way the exporting CRM or the person keeping the sheet chose.
//!
//! Consent flags decide who may be contacted, so the rule is strict: only words that clearly mean
//! yes or no in one of the supported languages are read, and anything else is `Invalid` rather
//! than guessed. Besides yes/no words in English, Norwegian, Swedish, Danish, Dutch, Polish and
//! German, the table holds the literals that Excel writes for TRUE/FALSE in those locales (a
//! Norwegian Excel saves `SANN`/`USANN`, a German one `WAHR`/`FALSCH`), the `t`/`f` of PostgreSQL
//! exports and the check marks people type into a "consent" column.

use super::{Cleaned, is_blank};

/// Words read as true, already folded (lower-case, single spaces, no hyphens).
const TRUE_WORDS: &[&str] = &[
    "true",
    "t",
    "yes",
    "y",
    "1",
    "x",
    "on",
    "checked",
    "opted in",
    "opt in",
    "subscribed",
    // Norwegian, Swedish, Danish, Dutch, German (`ja`), their initial, and Polish.
    "ja",
    "j",
    "tak",
    // Excel's TRUE in Norwegian, Swedish, Danish, Dutch, Polish and German.
    "sann",
    "sant",
    "sand",
    "waar",
    "prawda",
    "wahr",
    // Finnish, and the float a spreadsheet or pandas writes for 1.
    "kyllä",
    "joo",
    "1.0",
    "✓",
    "✔",
    "☑",
];

/// Words read as false, already folded.
const FALSE_WORDS: &[&str] = &[
    "false",
    "f",
    "no",
    "n",
    "0",
    "off",
    "unchecked",
    "opted out",
    "opt out",
    "unsubscribed",
    // Norwegian, Swedish/Danish, Dutch, Polish, German.
    "nei",
    "nej",
    "nee",
    "nie",
    "nein",
    // Excel's FALSE in Norwegian, Swedish, Danish, Dutch, Polish and German.
    "usann",
    "falskt",
    "falsk",
    "onwaar",
    "fałsz",
    "falsch",
    "ei",
    "0.0",
    "✗",
    "✘",
    "☐",
];

/// Cleans a yes/no value into `"true"` or `"false"`.
///
/// Case-insensitive and trimmed; hyphens, underscores and repeated spaces count as one space, so
/// `Opted-In` and `opted_in` read like `opted in`. `Valid` only when the raw value (trimmed) was
/// already `true` or `false`.
pub fn clean_bool(raw: &str) -> Cleaned {
    if is_blank(raw) {
        return Cleaned::missing();
    }
    // A leading or trailing hyphen is a sign or a dash, not a word break: `-1` is not `1`.
    let trimmed = raw.trim();
    if trimmed.starts_with(['-', '_']) || trimmed.ends_with(['-', '_']) {
        return Cleaned::invalid();
    }
    let folded = fold(trimmed);
    let word = without_courtesy(&folded);
    let value = if TRUE_WORDS.contains(&word) {
        "true"
    } else if FALSE_WORDS.contains(&word) {
        "false"
    } else {
        return Cleaned::invalid();
    };
    Cleaned::from_raw(raw, value.to_string())
}

/// Courtesy words that follow a yes or a no in a form's free-text answer (`ja takk`, `no
/// thanks`, `Ja, bitte`): dropped, so the answer is read by its first word. Longest first.
const COURTESY: &[&str] = &[
    "thank you",
    "dank je wel",
    "dank je",
    "dank u",
    "takk",
    "tack",
    "tak",
    "please",
    "thanks",
    "bitte",
    "danke",
    "gerne",
    "gern",
    "graag",
    "bedankt",
    "poproszę",
    "dziękuję",
    "gjerne",
    "gärna",
    "gerne tak",
    "kiitos",
];

/// The folded answer without one trailing courtesy word (`ja takk` → `ja`), when a word is left.
fn without_courtesy(folded: &str) -> &str {
    for courtesy in COURTESY {
        if let Some(rest) = folded.strip_suffix(courtesy)
            && let Some(word) = rest.strip_suffix(' ')
            && !word.is_empty()
        {
            return word;
        }
    }
    folded
}

/// Lower-case, with `-`, `_`, commas and runs of whitespace turned into single spaces, and a
/// final `.` or `!` dropped (`Ja.`, `yes!`, `Ja, bitte`).
fn fold(raw: &str) -> String {
    let raw = raw.trim_end_matches(['.', '!']);
    raw.to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_' || c == ',')
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::Status;

    #[test]
    fn clean_bool_table() {
        let cases = [
            ("true", Some("true"), Status::Valid),
            ("false", Some("false"), Status::Valid),
            (" true ", Some("true"), Status::Valid),
            ("TRUE", Some("true"), Status::Fixed),
            ("False", Some("false"), Status::Fixed),
            ("yes", Some("true"), Status::Fixed),
            ("No", Some("false"), Status::Fixed),
            ("ja takk", Some("true"), Status::Fixed),
            ("Nei takk", Some("false"), Status::Fixed),
            ("yes please", Some("true"), Status::Fixed),
            ("Yes, please", Some("true"), Status::Fixed),
            ("no thanks", Some("false"), Status::Fixed),
            ("no thank you", Some("false"), Status::Fixed),
            ("ja tack", Some("true"), Status::Fixed),
            ("nej tak", Some("false"), Status::Fixed),
            ("Ja, bitte", Some("true"), Status::Fixed),
            ("nein danke", Some("false"), Status::Fixed),
            ("nee bedankt", Some("false"), Status::Fixed),
            ("Ja.", Some("true"), Status::Fixed),
            ("kyllä", Some("true"), Status::Fixed),
            ("ei", Some("false"), Status::Fixed),
            ("1.0", Some("true"), Status::Fixed),
            ("takk", None, Status::Invalid),
            ("ja nei", None, Status::Invalid),
            ("Y", Some("true"), Status::Fixed),
            ("n", Some("false"), Status::Fixed),
            ("1", Some("true"), Status::Fixed),
            ("0", Some("false"), Status::Fixed),
            ("x", Some("true"), Status::Fixed),
            ("X", Some("true"), Status::Fixed),
            ("Ja", Some("true"), Status::Fixed),
            ("nei", Some("false"), Status::Fixed),
            ("Nej", Some("false"), Status::Fixed),
            ("nee", Some("false"), Status::Fixed),
            ("TAK", Some("true"), Status::Fixed),
            ("nie", Some("false"), Status::Fixed),
            ("Nein", Some("false"), Status::Fixed),
            ("J", Some("true"), Status::Fixed),
            ("on", Some("true"), Status::Fixed),
            ("OFF", Some("false"), Status::Fixed),
            ("Opted in", Some("true"), Status::Fixed),
            ("opted-out", Some("false"), Status::Fixed),
            ("opted_in", Some("true"), Status::Fixed),
            ("Opted   Out", Some("false"), Status::Fixed),
            ("Subscribed", Some("true"), Status::Fixed),
            ("unsubscribed", Some("false"), Status::Fixed),
            ("checked", Some("true"), Status::Fixed),
            ("Unchecked", Some("false"), Status::Fixed),
            ("SANN", Some("true"), Status::Fixed),
            ("USANN", Some("false"), Status::Fixed),
            ("WAHR", Some("true"), Status::Fixed),
            ("FAŁSZ", Some("false"), Status::Fixed),
            ("t", Some("true"), Status::Fixed),
            ("f", Some("false"), Status::Fixed),
            ("✓", Some("true"), Status::Fixed),
            ("", None, Status::Missing),
            ("   ", None, Status::Missing),
            ("N/A", None, Status::Missing),
            ("maybe", None, Status::Invalid),
            ("2", None, Status::Invalid),
            ("yes no", None, Status::Invalid),
            ("yess", None, Status::Invalid),
            ("1.5", None, Status::Invalid),
            ("-1", None, Status::Invalid),
            ("opted", None, Status::Invalid),
        ];
        for (raw, value, status) in cases {
            let got = clean_bool(raw);
            assert_eq!(got.value.as_deref(), value, "value for {raw:?}");
            assert_eq!(got.status, status, "status for {raw:?}");
        }
    }

    #[test]
    fn word_lists_are_folded_and_disjoint() {
        for word in TRUE_WORDS.iter().chain(FALSE_WORDS) {
            assert_eq!(fold(word), *word, "{word:?} is not in folded form");
        }
        for word in TRUE_WORDS {
            assert!(!FALSE_WORDS.contains(word), "{word:?} is both true and false");
        }
    }

    #[test]
    fn clean_bool_never_panics() {
        let long = "ja ".repeat(50_000);
        for raw in [long.as_str(), "\u{0}", "İ", "ß", "—"] {
            assert_eq!(clean_bool(raw).status, Status::Invalid, "{raw:?}");
        }
    }
}
