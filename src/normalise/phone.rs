//! Phone and mobile numbers to E.164, with the `phonenumber` port of libphonenumber.
//!
//! The hard part of CRM phone data is not the format but the missing country: `98765432` is
//! Norwegian only because the row (or the config) says so. The caller passes the row's country,
//! falling back to the configured default; a number written with `+` or `00` carries its own.
//! Before parsing we strip what people type around numbers (spaces, dashes, dots, brackets,
//! labels such as `Tel.` or `Mobil:`, extensions, Excel's apostrophe, a float's `.0`) and turn
//! `00` into `+`, because the parser's handling of these varies by region.
//!
//! A number is valid only when libphonenumber's metadata says so: the general pattern and one
//! number type's pattern match the WHOLE national number at a possible length. We compile the
//! metadata's patterns ourselves (`Rules`) because the crate's `is_valid` matches them only at
//! the start of the number. Numbers of the main plans take a fast path over the same rules; the
//! rest go through a general path that splits off the calling code or trunk prefix.

use super::{Cleaned, is_blank};
use std::collections::HashMap;

use phonenumber::country::Id;

/// Loads libphonenumber's metadata and compiles the patterns the general path uses most (Swedish
/// and German landlines, British numbers), so a caller can do it on a spare thread while the
/// input is being read instead of on the first row that needs it.
pub fn warm_up() {
    for (number, country) in [("08-123 456 78", "SE"), ("030 1234567", "DE"), ("020 7946 0018", "GB")] {
        let _ = clean_phone(number, Some(country));
    }
}

/// Cleans a phone number into E.164 (`+4791234567`). `country` is an ISO alpha-2 code used for
/// numbers written in national form.
pub fn clean_phone(raw: &str, country: Option<&str>) -> Cleaned {
    if is_blank(raw) {
        return Cleaned::missing();
    }
    let Some(candidate) = prepare(raw) else {
        return Cleaned::invalid();
    };
    let cleaned = match fast_path(&candidate, country) {
        Some(fast) => Some(fast),
        None => general_path(&candidate, country),
    };
    match cleaned {
        Some(e164) => Cleaned::from_raw(raw, e164),
        None => Cleaned::invalid(),
    }
}

/// The country of a number written in international form (`+47 455 66 765`, `0046 70...`), by
/// its calling code, for a row that names no country. Only calling codes of one country (or
/// one main country: +44 is GB) count; +1 and the like are shared and say nothing.
pub fn country_of_international(raw: &str) -> Option<&'static str> {
    let t = raw.trim();
    let rest = t.strip_prefix('+').or_else(|| t.strip_prefix("00"))?;
    let digits: String = rest.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')')).take(4).collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() < 4 {
        return None;
    }
    const CODES: [(&str, &str); 20] = [
        ("47", "NO"),
        ("46", "SE"),
        ("45", "DK"),
        ("358", "FI"),
        ("354", "IS"),
        ("49", "DE"),
        ("31", "NL"),
        ("48", "PL"),
        ("44", "GB"),
        ("353", "IE"),
        ("33", "FR"),
        ("34", "ES"),
        ("39", "IT"),
        ("43", "AT"),
        ("41", "CH"),
        ("32", "BE"),
        ("351", "PT"),
        ("420", "CZ"),
        ("372", "EE"),
        ("370", "LT"),
    ];
    CODES.iter().find(|(code, _)| digits.starts_with(code)).map(|&(_, c)| c)
}

/// The general path: E.164 when libphonenumber's metadata says the number is valid (an
/// allocated range of the right length, see [`Rules`]) and it is not a placeholder. A number of
/// a possible length in an unallocated range (`+4712345670`, Ofcom's drama numbers, an
/// unassigned US area code) is invalid: it reaches no one, and agreeing with libphonenumber
/// keeps regclean's verdict the one every other tool gives.
fn general_path(candidate: &str, country: Option<&str>) -> Option<String> {
    if let Some(e164) = read_number(candidate, country, CodeRules::valid) {
        return Some(e164);
    }
    if candidate.starts_with('+') {
        return None;
    }
    // Shapes the rules do not take apart (carrier codes, national prefixes that are patterns):
    // libphonenumber's parser splits the number, the rules judge it.
    let id = country?.parse::<Id>().ok()?;
    let n = phonenumber::parse(Some(id), candidate).ok()?;
    let formatted = n.format().mode(phonenumber::Mode::E164).to_string();
    let code = n.code().value().to_string();
    let nsn = formatted.strip_prefix('+')?.strip_prefix(code.as_str())?;
    (code_rules(n.code().value())?.valid(nsn)).then(|| e164(&code, nsn))
}

/// Splits a prepared number into calling code and national number and returns its E.164 form
/// when `accept` (valid, or merely possible) takes the national number.
fn read_number(candidate: &str, country: Option<&str>, accept: fn(&CodeRules, &str) -> bool) -> Option<String> {
    if let Some(digits) = candidate.strip_prefix('+') {
        // Calling codes are prefix-free: the first one to exist is the number's.
        let (code, rules) = (1..=3).filter(|&n| n < digits.len()).find_map(|n| {
            let code = &digits[..n];
            Some((code, code_rules(code.parse().ok()?)?))
        })?;
        let nsn = &digits[code.len()..];
        // `+44 020...`: a trunk prefix written after the calling code is dropped.
        let stripped = rules.national_prefix.as_deref().and_then(|p| nsn.strip_prefix(p));
        let nsn = match stripped {
            Some(rest) if !accept(rules, nsn) && accept(rules, rest) => rest,
            _ => nsn,
        };
        return accept(rules, nsn).then(|| e164(code, nsn));
    }
    // A national number without a country cannot be placed; guessing would invent data.
    let meta = phonenumber::metadata::DATABASE.by_id(country?)?;
    let code = meta.country_code().to_string();
    let rules = code_rules(meta.country_code())?;
    let prefix = meta.national_prefix();
    // The national reading: without the trunk prefix when it is written.
    let national = match prefix.and_then(|p| candidate.strip_prefix(p)) {
        Some(rest) if accept(rules, rest) => Some(rest),
        _ => accept(rules, candidate).then_some(candidate),
    };
    // `4791234567` in a Norwegian row: the calling code written without `+` or `00`. Taken when
    // the rest is accepted, and either the whole is not or the country writes its national
    // numbers with a trunk prefix that this value lacks (a German writes 030..., so 4930... is
    // +49 30...).
    if let Some(rest) = candidate.strip_prefix(code.as_str())
        && accept(rules, rest)
        && (national.is_none() || prefix.is_some_and(|p| !candidate.starts_with(p)))
    {
        return Some(e164(&code, rest));
    }
    national.map(|nsn| e164(&code, nsn))
}

/// The match key of a number that [`clean_phone`] calls invalid but that is *possible*: it
/// splits into a calling code and a national number of a length the code's main region uses
/// (libphonenumber's `isPossibleNumber`), only in a range that is not allocated (`+4712345670`,
/// Ofcom's drama numbers, a generator's mobiles). Such a number reaches no one, so it stays
/// invalid with no cleaned value, but two records carrying it still agree on it: dedup matches
/// it like a valid number. The key is its E.164 form, read as [`general_path`] reads a valid
/// number. `None` for what is no number (`1234`, an e-mail, `11111111`).
///
/// A national number in a row with no country (a register that names none and gives no way to
/// infer one) cannot be placed, so it stays invalid; its key is its digits as typed (from 6 to
/// 15, the trunk prefix kept): `310/246-1501` and `310-246-1501` are one number in one register,
/// whichever country it is in. The key never equals an E.164 key (those start with `+`).
pub fn possible_key(raw: &str, country: Option<&str>) -> Option<String> {
    if is_blank(raw) {
        return None;
    }
    let candidate = prepare(raw)?;
    if country.is_none() && !candidate.starts_with('+') {
        let digits: String = candidate.chars().filter(char::is_ascii_digit).collect();
        return ((6..=15).contains(&digits.len()) && !placeholder_digits(&digits)).then_some(digits);
    }
    read_number(&candidate, country, CodeRules::possible)
}

fn e164(code: &str, nsn: &str) -> String {
    let mut out = String::with_capacity(1 + code.len() + nsn.len());
    out.push('+');
    out.push_str(code);
    out.push_str(nsn);
    out
}

/// The validity rules of every region that shares one calling code (`+47`: Norway, then
/// Svalbard), main region first.
struct CodeRules {
    regions: Vec<(Option<regex::Regex>, Rules)>,
    national_prefix: Option<String>,
    /// The national number lengths of the main region's number types, sorted (libphonenumber's
    /// possible lengths: local-only lengths excluded).
    possible_lengths: Vec<u16>,
}

impl CodeRules {
    /// libphonenumber's `isValidNumber`: the region is the first whose leading digits match or,
    /// for regions without leading digits, whose rules accept the number; the number is valid
    /// when that region's rules accept it. Placeholders (`11111111`) are never valid.
    fn valid(&self, nsn: &str) -> bool {
        if nsn.is_empty() || placeholder_digits(nsn) {
            return false;
        }
        for (leading, rules) in &self.regions {
            match leading {
                Some(l) if l.is_match(nsn) => return rules.valid(nsn),
                Some(_) => {}
                None if rules.valid(nsn) => return true,
                None => {}
            }
        }
        false
    }

    /// libphonenumber's `isPossibleNumber`: a length the main region's numbers have. Placeholders
    /// (`11111111`) are never possible either.
    fn possible(&self, nsn: &str) -> bool {
        !nsn.is_empty() && !placeholder_digits(nsn) && self.possible_lengths.binary_search(&(nsn.len() as u16)).is_ok()
    }
}

/// The rules of one calling code, compiled on first use and kept for the run.
fn code_rules(code: u16) -> Option<&'static CodeRules> {
    static CACHE: std::sync::LazyLock<std::sync::RwLock<HashMap<u16, Option<&'static CodeRules>>>> =
        std::sync::LazyLock::new(Default::default);
    if let Some(found) = CACHE.read().unwrap_or_else(|e| e.into_inner()).get(&code) {
        return *found;
    }
    let built = phonenumber::metadata::DATABASE.by_code(&code).map(|mut metas| {
        metas.sort_by_key(|m| !m.is_main_country_for_code());
        let national_prefix = metas.first().and_then(|m| m.national_prefix()).map(str::to_string);
        let mut possible_lengths: Vec<u16> = metas
            .first()
            .map(|m| type_descriptors(m).flat_map(|d| d.possible_length().to_vec()).collect())
            .unwrap_or_default();
        possible_lengths.sort_unstable();
        possible_lengths.dedup();
        let regions = metas
            .into_iter()
            .filter_map(|m| {
                let leading = match m.leading_digits() {
                    Some(l) => Some(anchored(l.as_str(), false)?),
                    None => None,
                };
                Some((leading, Rules::new(m)?))
            })
            .collect();
        &*Box::leak(Box::new(CodeRules { regions, national_prefix, possible_lengths }))
    });
    CACHE.write().unwrap_or_else(|e| e.into_inner()).insert(code, built);
    built
}

/// A metadata pattern compiled as libphonenumber applies it: whole (`matches`), or at the start
/// (`lookingAt`, for leading digits). The metadata's patterns are laid out over several lines,
/// so whitespace is ignored.
fn anchored(pattern: &str, whole: bool) -> Option<regex::Regex> {
    let source = if whole { format!("^(?:{pattern})$") } else { format!("^(?:{pattern})") };
    regex::RegexBuilder::new(&source).ignore_whitespace(true).build().ok()
}

/// `11111111`, `12345678`: typed to get past a required field, not a number.
fn placeholder_digits(national: &str) -> bool {
    let first = national.as_bytes().first().copied().unwrap_or(b'0');
    national.bytes().all(|b| b == first) || "1234567890123456789".starts_with(national)
}

/// Words people write before a number (`Tel.`, `Mobil:`, `tlf`), folded: lower case, without
/// spaces, dots and colons.
const LABELS: &[&str] = &[
    "tel",
    "tlf",
    "tfn",
    "telefon",
    "telephone",
    "telefoon",
    "phone",
    "mob",
    "mobil",
    "mobile",
    "mobiel",
    "handy",
    "cell",
    "gsm",
    "kom",
    "telkom",
    "komórka",
    "puh",
    "puhelin",
    "telnr",
    "tlfnr",
    "telefonnummer",
    "mobilnummer",
    "mobilnr",
    "direct",
    "direkte",
    "work",
    "home",
    "privat",
    "arbeid",
    "jobb",
    "p",
    "m",
    "t",
];

/// Words that introduce an extension (`ext 12`, `ext. 12`, `extension 12`, `x12`, `#12`), folded
/// like [`LABELS`].
const EXTENSIONS: &[&str] =
    &["ext", "extension", "x", "#", "wewn", "anknytning", "lokal", "durchwahl", "dw", "toestel"];

/// Strips decoration and returns `+digits` or `digits`, or None when the value holds letters or
/// other signs that no phone number has (an e-mail in the phone column, a note).
///
/// Accepted around the number: a label (`Tel.`, `Mobil:`, see [`LABELS`]) or `tel:`; Excel's
/// text-marking apostrophe (`'+4791234567`); an extension (`ext 12`, `(ext. 12)`, `x12`), dropped
/// because E.164 has none; a float's `.0` from a spreadsheet or pandas (`4791234567.0` is the
/// integer, not `47912345670`); a bracketed calling code (`(+47) 41 63 35 63`); and zero-width
/// characters pasted with the number.
fn prepare(raw: &str) -> Option<String> {
    let mut s = raw.trim_matches(|c: char| c.is_whitespace() || is_invisible(c));
    s = s.trim_start_matches(['\'', '’', '`']).trim_start();
    // A label: everything before the first digit, `+` or `(` must fold to a known word.
    let start = s.find(|c: char| c.is_ascii_digit() || c == '+' || c == '(')?;
    if start > 0 {
        let label = fold_word(&s[..start]);
        if !label.is_empty() && !LABELS.contains(&label.as_str()) {
            return None;
        }
        s = &s[start..];
    }
    if let Some(rest) = s.strip_prefix("tel:") {
        s = rest;
    }
    // A second number after `;` or `,` is not this one's.
    let s = s.split([';', ',']).next().unwrap_or("");
    let s = strip_extension(s)?;
    let s = s.trim();
    // A float cell: `4791234567.0`.
    let s = match s.split_once('.') {
        Some((whole, zeros))
            if !zeros.is_empty()
                && zeros.bytes().all(|b| b == b'0')
                && whole.strip_prefix('+').unwrap_or(whole).bytes().all(|b| b.is_ascii_digit()) =>
        {
            whole
        }
        _ => s,
    };
    // `+44 (0)20 ...` writes the trunk zero that is dropped after a country code.
    let owned;
    let s = if s.contains("(0)") && (s.starts_with(['+', '0']) || s.starts_with("(+")) {
        owned = s.replacen("(0)", "", 1);
        owned.as_str()
    } else {
        s
    };
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '0'..='9' => out.push(c),
            '+' if out.is_empty() => out.push('+'),
            ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}' | '\u{2013}' => {}
            c if is_invisible(c) => {}
            _ => return None,
        }
    }
    if let Some(rest) = out.strip_prefix("00") {
        out = format!("+{rest}");
    }
    let digits = out.trim_start_matches('+').len();
    if !(4..=17).contains(&digits) {
        return None;
    }
    Some(out)
}

/// Zero-width spaces and joiners, the word joiner and the byte-order mark: invisible characters
/// that come along when a number is copied from a web page or a document.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// Lower case without spaces, dots, colons and dashes: `Tel.:` → `tel`, `Mob:` → `mob`.
fn fold_word(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ' ' | '.' | ':' | '-' | '\u{a0}') && !is_invisible(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The number without an extension (`ext 12`, `(ext. 12)`, `extension 12`, `x12`, `#12`); the
/// value itself when it has none; `None` when letters follow the number that are not an
/// extension. An extension needs at least six digits before it, so `x` in a short value is
/// never read as one.
fn strip_extension(s: &str) -> Option<&str> {
    let Some(i) = s.find(|c: char| c.is_alphabetic() || c == '#') else {
        return Some(s);
    };
    if s[..i].chars().filter(char::is_ascii_digit).count() < 6 {
        return None;
    }
    let tail = &s[i..];
    let digits_at = tail.find(|c: char| c.is_ascii_digit())?;
    let word = fold_word(&tail[..digits_at]);
    let number = tail[digits_at..].trim_end_matches([')', ' ', '.']);
    if !EXTENSIONS.contains(&word.trim_end_matches(['(', ')']))
        || number.is_empty()
        || number.len() > 6
        || !number.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    // `(ext 12)`: the bracket before the word belongs to the extension.
    Some(s[..i].trim_end().trim_end_matches('(').trim_end_matches([',', ' ']))
}

/// A numbering plan whose valid numbers the fast path recognises without the general parser.
struct Plan {
    iso: &'static str,
    code: &'static str,
    /// National numbers are dialled with a leading trunk `0`.
    trunk: bool,
}

/// The plans most of our users' numbers follow. The general parser is far dearer (it tries
/// many number shapes, and its regex cache is a lock that threads contend for), so numbers of
/// these plans are checked directly against libphonenumber's own patterns for them, compiled
/// once (see [`PlanRules`]). Anything else falls through to the parser.
const PLANS: [Plan; 9] = [
    Plan { iso: "NO", code: "47", trunk: false },
    Plan { iso: "DK", code: "45", trunk: false },
    Plan { iso: "NL", code: "31", trunk: true },
    Plan { iso: "PL", code: "48", trunk: false },
    Plan { iso: "SE", code: "46", trunk: true },
    Plan { iso: "DE", code: "49", trunk: true },
    Plan { iso: "GB", code: "44", trunk: true },
    Plan { iso: "FI", code: "358", trunk: true },
    Plan { iso: "US", code: "1", trunk: false },
];

/// One descriptor of libphonenumber's metadata: the lengths it allows and its pattern.
struct Rule {
    lengths: Vec<u16>,
    pattern: regex::Regex,
}

impl Rule {
    fn new(d: &phonenumber::metadata::Descriptor) -> Option<Rule> {
        Some(Rule { lengths: d.possible_length().to_vec(), pattern: anchored(d.national_number().as_str(), true)? })
    }

    /// libphonenumber's `matchesNationalNumber`: a possible length (when the descriptor lists
    /// any) and a match of the WHOLE number. (The `phonenumber` crate matches only the start,
    /// so it calls `07845955` a Norwegian number because `0\d{4}` matches its first five
    /// digits; that is why validity is judged here and not by the crate's `is_valid`.)
    fn matches(&self, nsn: &str) -> bool {
        (self.lengths.is_empty() || self.lengths.contains(&(nsn.len() as u16))) && self.pattern.is_match(nsn)
    }
}

/// A region's validity rules: libphonenumber calls a national number valid when it matches the
/// general descriptor and the descriptor of at least one number type.
struct Rules {
    general: Rule,
    types: Vec<Rule>,
}

impl Rules {
    fn new(meta: &phonenumber::metadata::Metadata) -> Option<Rules> {
        Some(Rules {
            general: Rule::new(meta.descriptors().general())?,
            types: type_descriptors(meta).filter_map(Rule::new).collect(),
        })
    }

    fn valid(&self, nsn: &str) -> bool {
        self.general.matches(nsn) && self.types.iter().any(|r| r.matches(nsn))
    }
}

/// The descriptors of a region's number types. Mobile and fixed line first: validity needs any
/// one type, and these are the commonest.
fn type_descriptors(
    meta: &phonenumber::metadata::Metadata,
) -> impl Iterator<Item = &phonenumber::metadata::Descriptor> {
    let d = meta.descriptors();
    [
        d.mobile(),
        d.fixed_line(),
        d.toll_free(),
        d.premium_rate(),
        d.shared_cost(),
        d.voip(),
        d.personal_number(),
        d.pager(),
        d.uan(),
        d.voicemail(),
    ]
    .into_iter()
    .flatten()
}

/// The main region's rules of each plan in [`PLANS`], by index.
static PLAN_RULES: std::sync::LazyLock<Vec<Option<Rules>>> = std::sync::LazyLock::new(|| {
    PLANS.iter().map(|plan| Rules::new(phonenumber::metadata::DATABASE.by_id(plan.iso)?)).collect()
});

/// E.164 for a number of one of [`PLANS`] that libphonenumber's metadata calls valid; `None`
/// (no opinion) for anything else, which then goes to the general parser. Returns only what
/// the general parser would return: `fast_path_agrees_with_the_parser` checks it.
fn fast_path(candidate: &str, country: Option<&str>) -> Option<String> {
    let (index, nsn) = if let Some(rest) = candidate.strip_prefix('+') {
        let index = PLANS.iter().position(|p| rest.starts_with(p.code))?;
        (index, &rest[PLANS[index].code.len()..])
    } else {
        let index = PLANS.iter().position(|p| Some(p.iso) == country)?;
        let plan = &PLANS[index];
        // `4915176626624` in a German row may be the calling code written without `+`; the
        // parser decides those.
        if candidate.starts_with(plan.code) && candidate.len() > plan.code.len() + 6 {
            return None;
        }
        // A trunk country's national number starts with 0; without it, a spreadsheet dropped it.
        let nsn = if plan.trunk { candidate.strip_prefix('0').unwrap_or(candidate) } else { candidate };
        (index, nsn)
    };
    if nsn.is_empty() || nsn.starts_with('0') || placeholder_digits(nsn) {
        return None;
    }
    PLAN_RULES[index].as_ref()?.valid(nsn).then(|| e164(PLANS[index].code, nsn))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::Status;

    #[test]
    fn cleans_phones_to_e164() {
        let cases = [
            ("+4791234567", Some("NO"), Some("+4791234567"), Status::Valid),
            ("912 34 567", Some("NO"), Some("+4791234567"), Status::Fixed),
            ("0047 912 34 567", None, Some("+4791234567"), Status::Fixed),
            ("+47 (0)22 33 44 55", None, Some("+4722334455"), Status::Fixed),
            ("22334455", Some("NO"), Some("+4722334455"), Status::Fixed),
            ("070-123 45 67", Some("SE"), Some("+46701234567"), Status::Fixed),
            ("+46 70 123 45 67", Some("NO"), Some("+46701234567"), Status::Fixed),
            ("20 12 34 56", Some("DK"), Some("+4520123456"), Status::Fixed),
            ("06-12345678", Some("NL"), Some("+31612345678"), Status::Fixed),
            ("(030) 1234567", Some("DE"), Some("+49301234567"), Status::Fixed),
            ("0151 23456789", Some("DE"), Some("+4915123456789"), Status::Fixed),
            ("512 345 678", Some("PL"), Some("+48512345678"), Status::Fixed),
            ("+48 22 123 45 67", None, Some("+48221234567"), Status::Fixed),
            ("07911 123456", Some("GB"), Some("+447911123456"), Status::Fixed),
            ("tel:+4791234567", None, Some("+4791234567"), Status::Fixed),
            ("91234567", None, None, Status::Invalid),
            ("4536281762", Some("DK"), Some("+4536281762"), Status::Fixed),
            ("4791234567", Some("NO"), Some("+4791234567"), Status::Fixed),
            ("4512345678", Some("NO"), None, Status::Invalid),
            // Numbers libphonenumber does not know as allocated are invalid, whatever their length:
            // Ofcom's drama ranges, Norway's 1 range, German mobiles of the wrong length, US
            // area codes never assigned, NL 06-00 (unassigned).
            ("07700 900123", Some("GB"), None, Status::Invalid),
            ("01632 960123", Some("GB"), None, Status::Invalid),
            ("+4712345670", None, None, Status::Invalid),
            ("12345670", Some("NO"), None, Status::Invalid),
            ("0151 234567", Some("DE"), None, Status::Invalid),
            ("0151 234567890123", Some("DE"), None, Status::Invalid),
            ("(555) 555-1234", Some("US"), None, Status::Invalid),
            ("(422) 555-1234", Some("US"), None, Status::Invalid),
            ("(201) 555-1234", Some("US"), Some("+12015551234"), Status::Fixed),
            ("06 00991784", Some("NL"), None, Status::Invalid),
            // A Polish number in a Swedish row is Polish when written with its calling code,
            // otherwise it is no Swedish number; a trunk zero after Norway's code is no number.
            ("+48 512 345 678", Some("SE"), Some("+48512345678"), Status::Fixed),
            ("0048 512 345 678", Some("SE"), Some("+48512345678"), Status::Fixed),
            ("48512345678", Some("SE"), None, Status::Invalid),
            ("07845955", Some("NO"), None, Status::Invalid),
            ("0047 07845955", Some("NO"), None, Status::Invalid),
            // Decorations: extensions, labels, brackets, Excel's apostrophe, float cells.
            ("+47 41 63 35 63 ext 12", None, Some("+4741633563"), Status::Fixed),
            ("+47 41 63 35 63 ext. 12", None, Some("+4741633563"), Status::Fixed),
            ("+47 41 63 35 63 (ext 12)", None, Some("+4741633563"), Status::Fixed),
            ("+47 41 63 35 63 extension 12", None, Some("+4741633563"), Status::Fixed),
            ("+1-780-563-6083x7783", None, Some("+17805636083"), Status::Fixed),
            ("Telefon 41 63 35 63", Some("NO"), Some("+4741633563"), Status::Fixed),
            ("Mobil: 41 63 35 63", Some("NO"), Some("+4741633563"), Status::Fixed),
            ("Mob: 41 63 35 63", Some("NO"), Some("+4741633563"), Status::Fixed),
            ("Tel. 08-123 456 78", Some("SE"), Some("+46812345678"), Status::Fixed),
            ("Phone: +44 20 7946 1234", None, Some("+442079461234"), Status::Fixed),
            ("tlf 41633563", Some("NO"), Some("+4741633563"), Status::Fixed),
            ("(+47) 41 63 35 63", None, Some("+4741633563"), Status::Fixed),
            ("'+4791234567", None, Some("+4791234567"), Status::Fixed),
            ("4791234567.0", Some("NO"), Some("+4791234567"), Status::Fixed),
            ("91234567.0", Some("NO"), Some("+4791234567"), Status::Fixed),
            ("8114523.0", Some("DK"), None, Status::Invalid),
            ("\u{200b}+4791234567", None, Some("+4791234567"), Status::Fixed),
            ("Kari 91234567", Some("NO"), None, Status::Invalid),
            ("91234567 kveld", Some("NO"), None, Status::Invalid),
            ("11111111", Some("SE"), None, Status::Invalid),
            ("0612", Some("NL"), None, Status::Invalid),
            ("1234", Some("NO"), None, Status::Invalid),
            ("ola@example.com", Some("NO"), None, Status::Invalid),
            ("n/a", Some("NO"), None, Status::Missing),
            ("", Some("NO"), None, Status::Missing),
        ];
        for (raw, country, value, status) in cases {
            let c = clean_phone(raw, country);
            assert_eq!((c.value.as_deref(), c.status), (value, status), "{raw}");
        }
    }

    /// Invalid but possible numbers (the right length for their country, in a range that is not
    /// allocated) get their E.164 form as a match key, however they are written; what is no
    /// number gets none. The cleaned value stays invalid.
    #[test]
    fn possible_numbers_have_a_match_key() {
        let cases = [
            ("+4712345670", None, Some("+4712345670")),
            ("+47 123 45 670", Some("SE"), Some("+4712345670")),
            ("0047 12345670", None, Some("+4712345670")),
            ("12345670", Some("NO"), Some("+4712345670")),
            ("4712345670", Some("NO"), Some("+4712345670")),
            ("07700 900123", Some("GB"), Some("+447700900123")),
            ("+44 (0)7700 900123", None, Some("+447700900123")),
            ("+44 07700 900123", None, Some("+447700900123")),
            ("7700 900123", Some("GB"), Some("+447700900123")),
            ("(555) 555-1234", Some("US"), Some("+15555551234")),
            ("075-030 00 02", Some("SE"), Some("+46750300002")),
            ("+46750300002", None, Some("+46750300002")),
            ("06 00991784", Some("NL"), Some("+31600991784")),
            // No number: too short, wrong length, letters, placeholders, no country to place it.
            ("1234", Some("NO"), None),
            ("123456", Some("NO"), None),
            ("+47123456789", None, None),
            ("ola@example.com", Some("NO"), None),
            ("Kari 91234567", Some("NO"), None),
            ("11111111", Some("NO"), None),
            ("9999999999", Some("US"), None),
            ("12345678", Some("NO"), None),
            // A national number where no country is known: its digits as typed.
            ("12345670", None, Some("12345670")),
            ("310/246-1501", None, Some("3102461501")),
            ("310-246-1501", None, Some("3102461501")),
            ("12345678", None, None),
            ("12345", None, None),
            ("n/a", Some("NO"), None),
            ("", Some("NO"), None),
        ];
        for (raw, country, key) in cases {
            assert_eq!(possible_key(raw, country).as_deref(), key, "{raw} in {country:?}");
            if key.is_some() {
                assert_eq!(clean_phone(raw, country), Cleaned::invalid(), "{raw} stays invalid");
            }
        }
        // A valid number's key is its cleaned value (the key is only asked for invalid ones).
        assert_eq!(possible_key("912 34 567", Some("NO")).as_deref(), Some("+4791234567"));
    }

    /// The fast path must give exactly what the general parser gives whenever it gives anything:
    /// checked on every phone value of the reference corpus and, per plan, on numbers of every
    /// three-digit national prefix and every length from 6 to 13 digits.
    #[test]
    fn fast_path_agrees_with_the_parser() {
        let mut candidates: Vec<(String, Option<String>)> = Vec::new();
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/corpus/values.csv");
        let mut reader = csv::Reader::from_path(corpus).expect("the corpus is readable");
        for record in reader.records() {
            let record = record.expect("a corpus row");
            if matches!(&record[0], "phone" | "mobile")
                && let Some(c) = prepare(&record[2])
            {
                let country = (!record[1].is_empty()).then(|| record[1].to_string());
                candidates.push((c, country));
            }
        }
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for plan in &PLANS {
            for prefix in 100..1000u32 {
                for len in 6..=13usize {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let tail = format!("{:013}", seed % 10_000_000_000_000);
                    let nsn = format!("{prefix}{}", &tail[..len - 3]);
                    candidates.push((format!("+{}{nsn}", plan.code), None));
                    let national = if plan.trunk { format!("0{nsn}") } else { nsn };
                    candidates.push((national, Some(plan.iso.to_string())));
                }
            }
        }
        let mut fast = 0;
        for (candidate, country) in &candidates {
            if let Some(v) = fast_path(candidate, country.as_deref()) {
                fast += 1;
                assert_eq!(Some(v), general_path(candidate, country.as_deref()), "{candidate} in {country:?}");
            }
        }
        assert!(fast > candidates.len() / 20, "the fast path took only {fast} of {}", candidates.len());
    }
}
