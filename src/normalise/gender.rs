//! Gender: read the gender or salutation column into `female`, `male` or `other`.
//!
//! Gender is a weak match signal in dedup (a differing gender lowers the score) and a segment
//! attribute, so the normaliser reads only words whose meaning is clear in the languages the tool
//! serves, and marks everything else `Invalid` instead of guessing. It accepts codes (`f`, `m`,
//! `k` for kvinne/kvinna/kvinde/kobieta, `w` for weiblich, `v` for vrouw, `d` for German
//! "divers", `x`), the nouns and adjectives of each language, and salutations (`Mr`, `Frau`,
//! `Herr`, `Pani`), because many CRMs only export a salutation.
//!
//! Words are compared after folding (case, accents, spaces, dots and hyphens ignored), so
//! `Mężczyzna`, `mezczyzna`, `Non-binary` and `Mr.` are all read.
//!
//! `man` is male: it is the word in English, Swedish and Dutch, and no supported language uses
//! it for anything else. `unknown` and its translations are `Invalid`, not `other`: they say the
//! gender was not recorded, not what it is.

use super::country::fold_key;
use super::{Cleaned, is_blank};

/// Folded words for each cleaned value.
const WORDS: &[(&str, &[&str])] = &[
    (
        "female",
        &[
            "f",
            "k",
            "w",
            "v",
            "female",
            "woman",
            "women",
            "girl",
            "mrs",
            "ms",
            "miss",
            "madam",
            // Norwegian, Swedish, Danish.
            "kvinne",
            "kvinna",
            "kvinde",
            "kvinnelig",
            "kvinnlig",
            "kvindelig",
            "dame",
            "fru",
            // Dutch.
            "vrouw",
            "vrouwelijk",
            "mevrouw",
            "mevr",
            "mw",
            // Polish.
            "kobieta",
            "zenski",
            "zenska",
            "pani",
            // German.
            "weiblich",
            "frau",
            "fr",
        ],
    ),
    (
        "male",
        &[
            "m",
            "male",
            "man",
            "men",
            "boy",
            "mr",
            "sir",
            // Norwegian, Swedish, Danish.
            "mann",
            "mand",
            "mannlig",
            "manlig",
            "mandlig",
            "herre",
            "hr",
            // Dutch.
            "mannelijk",
            "meneer",
            "dhr",
            // Polish.
            "mezczyzna",
            "meski",
            "pan",
            // German.
            "mannlich",
            "herr",
        ],
    ),
    (
        "other",
        &[
            "d",
            "x",
            "diverse",
            "divers",
            "other",
            "nonbinary",
            "mx",
            "enby",
            // Norwegian, Swedish, Danish.
            "annet",
            "annat",
            "andet",
            "ikkebinaer",
            "ickebinar",
            // Dutch.
            "anders",
            "nietbinair",
            // Polish.
            "inna",
            "inne",
            "niebinarny",
            "niebinarna",
            // German.
            "andere",
            "nichtbinar",
        ],
    ),
];

/// Cleans a gender or salutation into `female`, `male` or `other`.
///
/// `Valid` only when the raw value (trimmed) already was one of those three words.
pub fn clean_gender(raw: &str) -> Cleaned {
    if is_blank(raw) {
        return Cleaned::missing();
    }
    let key = fold_key(raw);
    match WORDS.iter().find(|(_, words)| words.contains(&key.as_str())) {
        Some(&(value, _)) => Cleaned::from_raw(raw, value.to_string()),
        None => Cleaned::invalid(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::Status;

    #[test]
    fn clean_gender_table() {
        let cases = [
            ("female", Some("female"), Status::Valid),
            ("male", Some("male"), Status::Valid),
            ("other", Some("other"), Status::Valid),
            (" male ", Some("male"), Status::Valid),
            ("Female", Some("female"), Status::Fixed),
            ("F", Some("female"), Status::Fixed),
            ("m", Some("male"), Status::Fixed),
            ("K", Some("female"), Status::Fixed),
            ("W", Some("female"), Status::Fixed),
            ("v", Some("female"), Status::Fixed),
            ("woman", Some("female"), Status::Fixed),
            ("man", Some("male"), Status::Fixed),
            ("Man", Some("male"), Status::Fixed),
            ("Mann", Some("male"), Status::Fixed),
            ("kvinne", Some("female"), Status::Fixed),
            ("Kvinna", Some("female"), Status::Fixed),
            ("mand", Some("male"), Status::Fixed),
            ("kvinde", Some("female"), Status::Fixed),
            ("vrouw", Some("female"), Status::Fixed),
            ("Mężczyzna", Some("male"), Status::Fixed),
            ("mezczyzna", Some("male"), Status::Fixed),
            ("kobieta", Some("female"), Status::Fixed),
            ("männlich", Some("male"), Status::Fixed),
            ("Weiblich", Some("female"), Status::Fixed),
            ("Herr", Some("male"), Status::Fixed),
            ("Frau", Some("female"), Status::Fixed),
            ("Mr.", Some("male"), Status::Fixed),
            ("MRS", Some("female"), Status::Fixed),
            ("Ms", Some("female"), Status::Fixed),
            ("Miss", Some("female"), Status::Fixed),
            ("d", Some("other"), Status::Fixed),
            ("X", Some("other"), Status::Fixed),
            ("divers", Some("other"), Status::Fixed),
            ("diverse", Some("other"), Status::Fixed),
            ("Non-binary", Some("other"), Status::Fixed),
            ("non binary", Some("other"), Status::Fixed),
            ("ikke-binær", Some("other"), Status::Fixed),
            ("", None, Status::Missing),
            (" ", None, Status::Missing),
            ("N/A", None, Status::Missing),
            ("unknown", None, Status::Invalid),
            ("mf", None, Status::Invalid),
            ("male female", None, Status::Invalid),
            ("q", None, Status::Invalid),
            ("1", None, Status::Invalid),
            ("♀", None, Status::Invalid),
        ];
        for (raw, value, status) in cases {
            let got = clean_gender(raw);
            assert_eq!(got.value.as_deref(), value, "value for {raw:?}");
            assert_eq!(got.status, status, "status for {raw:?}");
        }
    }

    #[test]
    fn words_are_folded_and_belong_to_one_value() {
        let mut seen = std::collections::HashMap::new();
        for &(value, words) in WORDS {
            for word in words {
                assert_eq!(fold_key(word), *word, "{word:?} is not in folded form");
                if let Some(prev) = seen.insert(*word, value) {
                    panic!("{word:?} is both {prev} and {value}");
                }
            }
        }
    }

    #[test]
    fn never_panics() {
        let long = "m".repeat(100_000);
        for raw in [long.as_str(), "\u{0}", "İ", "ß", "ﬀ"] {
            assert_eq!(clean_gender(raw).status, Status::Invalid, "{raw:?}");
        }
    }
}
