//! Address: one street line split into street name, house number, unit and PO box, for the
//! addresses of any country.
//!
//! Dedup compares street addresses by name and house number (see `features`). The first split
//! kept the words before the first token that starts with a digit. That works where the number
//! follows the street (`Storgata 12b`, `Hauptstr. 5`, `ul. Marszałkowska 10/4`), but a
//! number-first line, the way the US, UK, Ireland, France, Australia and Canada write them
//! (`154 Hinton Crest Ln`, `12 rue de la Paix`), kept no street name at all. [`parse_street`]
//! finds the house number wherever it stands. It takes out the unit (`apt 4b`, `flat 2`, `#12`,
//! `4/12`, `h0201`, `lgh 1102`) and the PO box (`po box 123`, `postboks 45`, `postfach 12`), drops
//! a care-of name, and spells street-type words one way (`ln` and `lane` both become `lane`). So
//! `154 hinton crest ln` and `hinton crest lane 154` give the same name and number.
//!
//! It runs on the folded street of every row (ten million on large registers). So it is a hand
//! tokenizer over the borrowed input rather than a regex: the tokens live on the stack, and the
//! only allocations are the output strings. The decisions are word lists plus a few rules about
//! where a word stands, each explained where it is made. [`parse_street`] lists the ambiguous
//! cases that remain.

use std::ops::Range;

/// The parts of one street line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreetParts {
    /// The street name, folded, street-type words canonicalised (`ln`/`lane` → `lane`,
    /// `st` → `street` at the end and `saint` before a name, `n` → `north`, `bd` → `boulevard`,
    /// `hauptstr` → `hauptstrasse`, ...). Empty when the line is only a PO box.
    pub name: String,
    /// The house number (`154`, `4b`, `12-14`, `12bis`), lower case, empty if none.
    pub number: String,
    /// The unit, apartment, flat or suite (`apt 4b` → `4b`, `#12` → `12`, `4/12 smith st` → `4`,
    /// `10/4` after the street → `4`, Nordic `h0201`, `lgh 1102` → `1102`), empty if none.
    pub unit: String,
    /// The box number when the line is a post-office box (`po box 123`, `postboks 45`,
    /// `postfach 12`, `bp 12`, `locked bag 5`, `gpo box 5`), empty otherwise.
    pub po_box: String,
}

/// Splits a folded street line (see `crate::normalise::text::fold`) into its parts.
///
/// The input is expected folded, that is lower case with punctuation turned into spaces, but
/// commas, periods, `#`, `/` and `-` that survive are used as hints. Upper case is lowered.
///
/// The steps, in order:
/// 1. A PO box keyword followed by a number (`po box 123`) is taken out.
/// 2. Units are taken out: a designator and its value (`apt 4b`, `flat 2`, `lgh 1102`,
///    `m 4` after a house number), a Nordic flat number (`h0201`), a value after `#`.
/// 3. A care-of name (`c/o john smith`) is dropped, up to a comma or the first number.
/// 4. The house number is the first token that starts with a digit, except ordinals (`1st`,
///    `3rd`; `5e` or `1ere` when a word follows) and road numbers (`route 66`). If it comes
///    first, or the words after it name a street (`the old rectory 12 main st`), the line is
///    number-first and the street is the words after it. Otherwise the street is the words
///    before it (`storgata 12b`).
///
/// Cases that stay ambiguous:
/// - `fold` turns `/` and `-` into spaces, so two numbers side by side are told apart by value:
///   if the second is larger by an even step of at most 6 they are a range (`12 14` →
///   `12-14`); otherwise they are a unit and a house number (`4 12 smith st` from `4/12`, and
///   `marszalkowska 10 4` from `10/4`). A folded `2/4 smith st` therefore reads as the range
///   `2-4`. If the punctuation survives, it decides.
/// - `…str` becomes `…strasse` (German). A Dutch `kerkstr.` (for `kerkstraat`) does not meet
///   `kerkstraat`.
/// - A care-of name with no comma before a number-last street (`c/o hansen storgata 12`) keeps
///   only the last word before the number as the street.
/// - Words after a number-last house number (`storgata 12 oslo`) are ignored. A line of more
///   than 64 words is cut at 64.
pub fn parse_street(folded: &str) -> StreetParts {
    let lowered;
    let text = if folded.bytes().any(|b| b.is_ascii_uppercase())
        || (!folded.is_ascii() && folded.chars().any(char::is_uppercase))
    {
        lowered = folded.to_lowercase();
        lowered.as_str()
    } else {
        folded
    };
    let mut line = Line::tokenize(text);
    let mut parts = StreetParts::default();
    take_po_box(&mut line, &mut parts);
    take_units(&mut line, &mut parts);
    drop_care_of(&mut line);
    drop_number_markers(&mut line);
    split_number_and_name(&line, &mut parts);
    parts
}

/// Words beyond this many are ignored: no real street line comes near it, and a fixed array
/// keeps the tokens off the heap.
const MAX_TOKENS: usize = 64;

// The punctuation seen between a token and the one before it (when `fold` has not removed it).
const SLASH: u8 = 1;
const DASH: u8 = 2;
const HASH: u8 = 4;
const COMMA: u8 = 8;

#[derive(Clone, Copy)]
struct Token<'a> {
    text: &'a str,
    /// `SLASH`, `DASH`, `HASH`, `COMMA` bits of the punctuation just before the token.
    before: u8,
}

/// The tokens of a line: runs of letters and digits, borrowed from the input.
struct Line<'a> {
    tokens: [Token<'a>; MAX_TOKENS],
    len: usize,
}

impl<'a> Line<'a> {
    fn tokenize(text: &'a str) -> Line<'a> {
        let mut line = Line { tokens: [Token { text: "", before: 0 }; MAX_TOKENS], len: 0 };
        let (mut start, mut before) = (None, 0u8);
        for (i, c) in text.char_indices() {
            if c.is_alphanumeric() {
                start.get_or_insert(i);
                continue;
            }
            if let Some(s) = start.take() {
                if !line.push(Token { text: &text[s..i], before }) {
                    return line;
                }
                before = 0;
            }
            before |= match c {
                '/' | '\\' => SLASH,
                '-' | '–' | '—' => DASH,
                '#' => HASH,
                ',' | ';' => COMMA,
                _ => 0,
            };
        }
        if let Some(s) = start {
            line.push(Token { text: &text[s..], before });
        }
        line
    }

    /// Appends a token; false when the line is full.
    fn push(&mut self, token: Token<'a>) -> bool {
        if self.len == MAX_TOKENS {
            return false;
        }
        self.tokens[self.len] = token;
        self.len += 1;
        true
    }

    fn text(&self, i: usize) -> &'a str {
        self.tokens[i].text
    }

    fn get(&self, i: usize) -> Option<&'a str> {
        (i < self.len).then(|| self.tokens[i].text)
    }

    fn before(&self, i: usize, mark: u8) -> bool {
        self.tokens[i].before & mark != 0
    }

    /// True when the words of `pattern` start at token `i`.
    fn matches(&self, i: usize, pattern: &[&str]) -> bool {
        i + pattern.len() <= self.len && pattern.iter().enumerate().all(|(k, w)| self.text(i + k) == *w)
    }

    fn remove(&mut self, range: Range<usize>) {
        let removed = range.len();
        self.tokens[..self.len].copy_within(range.end.., range.start);
        self.len -= removed;
    }

    /// True when token `i` can be a house number: it starts with a digit and is not an ordinal
    /// (`1st`, `3rd`; `5e`, `1ere` when a word follows, since `storgata 5e` ends in a house
    /// number) nor a road number (`route 66`).
    fn is_house_number(&self, i: usize) -> bool {
        let t = self.text(i);
        if !starts_with_digit(t) || is_english_ordinal(t) || self.follows_road_number_word(i) {
            return false;
        }
        let french_ordinal = is_french_ordinal(t) && self.get(i + 1).is_some_and(starts_with_letter);
        !french_ordinal
    }

    /// True when the token before `i` makes it a road's number: `route 66`, `hwy 1`, and
    /// `county road 12`.
    fn follows_road_number_word(&self, i: usize) -> bool {
        match i {
            0 => false,
            1 => is_road_number_word(self.text(0)),
            _ => {
                is_road_number_word(self.text(i - 1))
                    || (matches!(self.text(i - 1), "road" | "rd") && matches!(self.text(i - 2), "county" | "state"))
            }
        }
    }
}

/// PO box keywords, longer ones before the shorter ones they start with. A keyword counts only
/// when a number follows, so `box hill rd` and `12 box lane` stay streets. A bare `po` is
/// not a keyword, since it names streets (`via po 12`).
const PO_BOX: &[&[&str]] = &[
    &["post", "office", "box"],
    &["p", "o", "box"],
    &["p", "o", "b"],
    &["po", "box"],
    &["post", "box"],
    &["gpo", "box"],
    &["locked", "bag"],
    &["private", "bag"],
    &["skrytka", "pocztowa"],
    &["skr", "poczt"],
    &["boite", "postale"],
    &["case", "postale"],
    &["casella", "postale"],
    &["caixa", "postal"],
    &["apartado", "de", "correos"],
    &["apartado"],
    &["casilla"],
    &["pob"],
    &["pobox"],
    &["postboks"],
    &["postbox"],
    &["postbus"],
    &["postfach"],
    &["postilokero"],
    &["pb"],
    &["bp"],
    &["box"],
];

/// Takes out the first PO box keyword that is followed by a number (an optional `no` between).
fn take_po_box(line: &mut Line<'_>, parts: &mut StreetParts) {
    for i in 0..line.len {
        for pattern in PO_BOX {
            if !line.matches(i, pattern) {
                continue;
            }
            let mut v = i + pattern.len();
            if line.get(v).is_some_and(is_number_marker) && line.get(v + 1).is_some_and(has_digit) {
                v += 1;
            }
            if let Some(value) = line.get(v).filter(|t| has_digit(t)) {
                parts.po_box.push_str(value);
                line.remove(i..v + 1);
                return;
            }
        }
    }
}

/// How a unit designator recognises its value.
#[derive(Clone, Copy, PartialEq)]
enum Designator {
    /// A word that only ever means a unit: the value may be a number or a single letter
    /// (`apt b`).
    Strong,
    /// A word that also has other meanings (`ste` is also Sainte, `bus` a bus): the value must
    /// start with a digit.
    Weak,
    /// The Polish `m.` (mieszkanie): only between two numbers (`10 m 4`).
    AfterNumber,
}

fn designator(t: &str) -> Option<Designator> {
    use Designator::*;
    Some(match t {
        "apt" | "apartment" | "appt" | "appartement" | "apto" | "flat" | "unit" | "suite" | "lgh" | "lagenhet"
        | "leil" | "leilighet" | "lejl" | "lejlighed" | "whg" | "wohnung" | "mieszkanie" => Strong,
        "ste" | "rm" | "room" | "bus" | "bte" | "lok" | "lokal" | "app" | "ap" | "dept" | "depto" => Weak,
        "m" => AfterNumber,
        _ => return None,
    })
}

/// Takes out every unit: a designator and its value, a Nordic flat number (`h0201`), a value
/// after `#`. The first one found is the unit; any others are dropped so they do not end up in
/// the street name.
fn take_units(line: &mut Line<'_>, parts: &mut StreetParts) {
    let mut i = 0;
    while i < line.len {
        let t = line.text(i);
        let value = if is_nordic_unit(t) || (line.before(i, HASH) && has_digit(t)) {
            Some(i)
        } else if let Some(kind) = designator(t) {
            let mut v = i + 1;
            if line.get(v).is_some_and(is_number_marker) && line.get(v + 1).is_some_and(has_digit) {
                v += 1;
            }
            line.get(v)
                .is_some_and(|value| match kind {
                    Designator::Strong => has_digit(value) || is_single_letter(value),
                    Designator::Weak => starts_with_digit(value),
                    Designator::AfterNumber => starts_with_digit(value) && i > 0 && starts_with_digit(line.text(i - 1)),
                })
                .then_some(v)
        } else {
            None
        };
        let Some(v) = value else {
            i += 1;
            continue;
        };
        // `apt 4 b`: a lone letter after a numeric value belongs to it when the line ends there
        // or a number follows (`apt 4 b 155 main st`).
        let letter = is_digits(line.text(v))
            && line.get(v + 1).is_some_and(is_single_letter)
            && line.get(v + 2).is_none_or(starts_with_digit);
        if parts.unit.is_empty() {
            parts.unit.push_str(line.text(v));
            if letter {
                parts.unit.push_str(line.text(v + 1));
            }
        }
        line.remove(i..v + 1 + usize::from(letter));
    }
}

/// Drops a leading care-of (`c/o`, `co`, `att`, `attn`) and the name after it. The name ends at
/// a comma, or else at the first number. When that number is the last thing on the line
/// (`c/o hansen storgata 12`), the street is number-last, so the word just before the number
/// is kept as the street name.
fn drop_care_of(line: &mut Line<'_>) {
    let keyword = if line.matches(0, &["c", "o"]) {
        2
    } else if matches!(line.get(0), Some("co" | "att" | "attn")) {
        1
    } else {
        return;
    };
    let mut end = keyword;
    while end < line.len && !starts_with_digit(line.text(end)) && !(end > keyword && line.before(end, COMMA)) {
        end += 1;
    }
    let number_last = end < line.len
        && !line.before(end, COMMA)
        && (end + 1..line.len).all(|k| starts_with_digit(line.text(k)) || is_single_letter(line.text(k)));
    if number_last && end > keyword + 1 {
        end -= 1;
    }
    line.remove(0..end);
}

/// Drops a number marker before a house number: `nr 5`, `no 12`, and the `n` that `fold` leaves
/// of `n° 12` (`rua augusta n 12`). A lone `n` after a number is a direction (`42 n 3rd st`),
/// so it stays.
fn drop_number_markers(line: &mut Line<'_>) {
    let mut i = 0;
    while i + 1 < line.len {
        let t = line.text(i);
        let marker = is_number_marker(t) || (t == "n" && !(i > 0 && starts_with_digit(line.text(i - 1))));
        if marker && line.is_house_number(i + 1) {
            line.remove(i..i + 1);
        } else {
            i += 1;
        }
    }
}

fn is_number_marker(t: &str) -> bool {
    matches!(t, "no" | "nr" | "num" | "numero" | "number" | "nº")
}

/// Finds the house number and the street name around it (step 4 of [`parse_street`]).
fn split_number_and_name(line: &Line<'_>, parts: &mut StreetParts) {
    let Some(h) = (0..line.len).find(|&i| line.is_house_number(i)) else {
        push_name(line, 0..line.len, &mut parts.name);
        return;
    };
    if h == 0 {
        return number_first(line, 0, parts);
    }
    let after = number_last_end(line, h);
    // Words before the number and a street after it: a building or care-of name first
    // (`the old rectory 12 main st`), dropped.
    if (after..line.len).any(|i| is_street_type(line.text(i))) {
        number_first(line, h, parts)
    } else {
        number_last(line, h, parts)
    }
}

/// A number-first line from the house number at `h` on (words before it are dropped):
/// `[unit] number [suffix] street [unit]`.
fn number_first(line: &Line<'_>, h: usize, parts: &mut StreetParts) {
    let n = line.len;
    let mut j = h + 1;
    let (mut number_at, mut range_to, mut unit_at) = (h, None, None);
    // Two numbers before the street: a range (`12-14 high st`) or unit and number (`4/12 smith
    // st`, the Australian way).
    if j + 1 < n && line.is_house_number(j) {
        if is_range(line, h, j) {
            range_to = Some(j);
        } else {
            unit_at = Some(h);
            number_at = j;
        }
        j += 1;
    }
    // `12 bis rue x`, `12 b high st`. Not `e` (`12 e main st` is East Main Street) and not the
    // letters past `h`, which include the directions and `r` for rue.
    let suffix_at = (j + 1 < n && is_number_first_suffix(line.text(j))).then(|| {
        j += 1;
        j - 1
    });
    let mut end = (j + 1..n).find(|&k| line.before(k, COMMA)).unwrap_or(n);
    // A number after the street is a unit (`155 main st 4b`, where `fold` removed the `#`).
    if end > j + 1 && line.is_house_number(end - 1) {
        unit_at = unit_at.or(Some(end - 1));
        end -= 1;
    }
    parts.number.push_str(line.text(number_at));
    if let Some(to) = range_to {
        parts.number.push('-');
        parts.number.push_str(line.text(to));
    }
    if let Some(s) = suffix_at {
        parts.number.push_str(line.text(s));
    }
    if let (Some(u), true) = (unit_at, parts.unit.is_empty()) {
        parts.unit.push_str(line.text(u));
    }
    push_name(line, j..end, &mut parts.name);
}

/// Where the house number at `h` of a number-last line and what belongs to it end:
/// `number [suffix] [range end or unit]`.
fn number_last_end(line: &Line<'_>, h: usize) -> usize {
    let mut end = h + 1;
    if line.get(end).is_some_and(|t| is_single_letter(t) || is_letter_suffix(t)) {
        end += 1;
    }
    if end < line.len && line.is_house_number(end) {
        end += 1;
    }
    end
}

/// A number-last line: `street number [suffix] [range end or unit]` (`storgata 12 b`,
/// `kerkstraat 12-14`, `marszalkowska 10/4`).
fn number_last(line: &Line<'_>, h: usize, parts: &mut StreetParts) {
    let end = number_last_end(line, h);
    parts.number.push_str(line.text(h));
    let mut k = h + 1;
    if k < end && !line.is_house_number(k) {
        parts.number.push_str(line.text(k));
        k += 1;
    }
    if k < end {
        if is_range(line, h, k) {
            parts.number.push('-');
            parts.number.push_str(line.text(k));
        } else if parts.unit.is_empty() {
            parts.unit.push_str(line.text(k));
        }
    }
    push_name(line, 0..h, &mut parts.name);
}

/// True when the numbers at `a` and `b` are a range of house numbers rather than a unit and a
/// number: a dash between them says so, a slash or `#` says not. Without punctuation (`fold`
/// removed it), a second number larger by an even step of at most 6 is a range (`12 14`, both
/// sides of the street numbered alike), anything else a unit (`10 4`, `4 12`).
fn is_range(line: &Line<'_>, a: usize, b: usize) -> bool {
    if line.before(b, DASH) {
        return true;
    }
    if line.before(b, SLASH | HASH) {
        return false;
    }
    match (small_number(line.text(a)), small_number(line.text(b))) {
        (Some(x), Some(y)) => y > x && (y - x) % 2 == 0 && y - x <= 6,
        _ => false,
    }
}

fn small_number(t: &str) -> Option<u32> {
    if t.len() <= 9 && is_digits(t) { t.parse().ok() } else { None }
}

/// Appends the canonical street name of tokens `range`, words separated by one space.
fn push_name(line: &Line<'_>, range: Range<usize>, name: &mut String) {
    let Range { start, end } = range;
    if start >= end {
        return;
    }
    name.reserve(line.tokens[start..end].iter().map(|t| t.text.len() + 4).sum());
    let several = end - start > 1;
    for i in start..end {
        let t = line.text(i);
        // `st` and `dr` are a street type at the end (a direction may follow: `main st n`) and
        // a title before a name (`st james st`, `dr king blvd`). In the middle, `st` is Saint
        // only where a name starts (`rue st denis`, `port st lucie blvd`): after other words it
        // ends the street, and what follows is usually the town (`main st springfield`).
        let at_end = (i + 1..end).all(|k| direction(line.text(k)).is_some());
        let saint_may_follow = i == start || precedes_a_name(line.text(i - 1));
        let word = match t {
            "st" => Some(if at_end || !saint_may_follow { "street" } else { "saint" }),
            "ste" if !at_end => Some("sainte"),
            "dr" => Some(if at_end { "drive" } else { "doctor" }),
            // French `r. de la paix`, Spanish `c/ mayor`: only first, before the name.
            "r" if i == start && several => Some("rue"),
            "c" if i == start && several => Some("calle"),
            // Polish `ul.` (ulica, street) is as often left out as written.
            "ul" | "ulica" if i == start && several => continue,
            _ if several && direction(t).is_some() => direction(t),
            _ => street_type(t),
        };
        if !name.is_empty() {
            name.push(' ');
        }
        match word {
            Some(w) => name.push_str(w),
            None => push_compound(name, t),
        }
    }
}

/// Expands a street-type abbreviation at the end of a compound word (`hauptstr` →
/// `hauptstrasse`, Norwegian `storgt` → `storgata`, `kirkevn` → `kirkeveien`), else appends
/// the word as it is.
fn push_compound(name: &mut String, t: &str) {
    for (short, full) in [("str", "strasse"), ("gt", "gata"), ("vn", "veien")] {
        if t.len() > short.len() + 1 && t.ends_with(short) && starts_with_letter(t) {
            name.push_str(&t[..t.len() - short.len()]);
            name.push_str(full);
            return;
        }
    }
    name.push_str(t);
}

/// The canonical spelling of a street-type word or abbreviation that means the same wherever it
/// stands (English, French, German, Norwegian). The context-dependent ones (`st`, `dr`, `r`)
/// are in [`push_name`].
fn street_type(t: &str) -> Option<&'static str> {
    Some(match t {
        "str" => "strasse",
        "ln" => "lane",
        "rd" => "road",
        "ave" | "av" | "avn" | "aven" | "avenu" => "avenue",
        "drv" => "drive",
        "ct" | "crt" => "court",
        "pl" | "plc" => "place",
        "cres" | "crst" | "cresc" => "crescent",
        "blvd" | "bvd" | "boul" | "bd" | "bld" => "boulevard",
        "hwy" | "hway" => "highway",
        "pkwy" | "pky" | "pkway" => "parkway",
        "ter" | "terr" => "terrace",
        "cir" | "circ" | "crcl" => "circle",
        "sq" | "sqr" => "square",
        "cl" => "close",
        "wy" => "way",
        "gdns" => "gardens",
        "gro" | "grv" => "grove",
        "trl" => "trail",
        "hts" => "heights",
        "expy" => "expressway",
        "fwy" => "freeway",
        "aly" => "alley",
        "mt" => "mount",
        "ft" => "fort",
        "rte" => "route",
        "ch" => "chemin",
        "imp" => "impasse",
        "fbg" => "faubourg",
        "gt" => "gata",
        "vn" => "veien",
        _ => return None,
    })
}

/// True for words that name the kind of street in number-first countries: a number before them
/// starts the address (`the old rectory 12 main st`).
fn is_street_type(t: &str) -> bool {
    matches!(t, "st" | "dr")
        || matches!(
            street_type(t).unwrap_or(t),
            "street"
                | "road"
                | "lane"
                | "avenue"
                | "drive"
                | "court"
                | "place"
                | "crescent"
                | "boulevard"
                | "highway"
                | "parkway"
                | "terrace"
                | "circle"
                | "square"
                | "close"
                | "way"
                | "grove"
                | "gardens"
                | "rue"
                | "chemin"
                | "route"
                | "impasse"
                | "allee"
        )
}

/// Words after which a name starts, so that `st` is Saint: directions, Romance street types
/// that come before the name, and the words of place names (`port st lucie`, `mount st helens`).
fn precedes_a_name(t: &str) -> bool {
    direction(t).is_some()
        || matches!(
            t,
            "rue"
                | "r"
                | "avenue"
                | "av"
                | "ave"
                | "boulevard"
                | "bd"
                | "blvd"
                | "place"
                | "pl"
                | "chemin"
                | "ch"
                | "route"
                | "impasse"
                | "allee"
                | "quai"
                | "cours"
                | "via"
                | "calle"
                | "rua"
                | "port"
                | "mount"
                | "mt"
                | "fort"
                | "ft"
                | "lake"
                | "cap"
        )
}

/// The canonical compass direction of `n`, `ne`, ..., `north`, ...
fn direction(t: &str) -> Option<&'static str> {
    Some(match t {
        "n" | "north" => "north",
        "s" | "south" => "south",
        "e" | "east" => "east",
        "w" | "west" => "west",
        "ne" | "northeast" => "northeast",
        "nw" | "northwest" => "northwest",
        "se" | "southeast" => "southeast",
        "sw" | "southwest" => "southwest",
        _ => return None,
    })
}

/// Words before a number that make it part of the road's name (`route 66`, `hwy 1`).
fn is_road_number_word(t: &str) -> bool {
    matches!(
        t,
        "route"
            | "rte"
            | "highway"
            | "hwy"
            | "interstate"
            | "i"
            | "us"
            | "sr"
            | "rr"
            | "hc"
            | "fm"
            | "cr"
            | "county"
            | "state"
    )
}

/// A suffix of a number-first house number: `bis`, `ter`, `quater`, or one of the letters `a`
/// to `h` but `e`.
fn is_number_first_suffix(t: &str) -> bool {
    is_letter_suffix(t) || matches!(t.as_bytes(), [b'a'..=b'd' | b'f'..=b'h'])
}

/// French house-number suffixes: `12 bis`, `12 ter`, `12 quater`.
fn is_letter_suffix(t: &str) -> bool {
    matches!(t, "bis" | "ter" | "quater")
}

/// Nordic flat numbers: `h0201` (Norwegian H/U/L/K + floor + flat).
fn is_nordic_unit(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 5 && matches!(b[0], b'h' | b'u' | b'l' | b'k') && b[1..].iter().all(u8::is_ascii_digit)
}

/// `1st`, `2nd`, `3rd`, `4th`, `21st`: always part of the street name.
fn is_english_ordinal(t: &str) -> bool {
    let letters = t.trim_start_matches(|c: char| c.is_ascii_digit());
    letters.len() < t.len() && matches!(letters, "st" | "nd" | "rd" | "th")
}

/// `5e`, `1er`, `1ere`, `2eme`: an ordinal only when a word follows (see
/// [`Line::is_house_number`]).
fn is_french_ordinal(t: &str) -> bool {
    let letters = t.trim_start_matches(|c: char| c.is_ascii_digit());
    letters.len() < t.len() && matches!(letters, "e" | "er" | "ere" | "re" | "eme" | "ieme")
}

fn starts_with_digit(t: &str) -> bool {
    t.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

fn starts_with_letter(t: &str) -> bool {
    t.chars().next().is_some_and(char::is_alphabetic)
}

fn has_digit(t: &str) -> bool {
    t.bytes().any(|b| b.is_ascii_digit())
}

fn is_digits(t: &str) -> bool {
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

fn is_single_letter(t: &str) -> bool {
    let mut chars = t.chars();
    chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::text::fold;

    /// `(input, name, number, unit, po_box)`.
    const CASES: &[(&str, &str, &str, &str, &str)] = &[
        // Number after the street: Nordic, German, Dutch, Polish.
        ("storgata 12b", "storgata", "12b", "", ""),
        ("storgata 12 b", "storgata", "12b", "", ""),
        ("storgata 5e", "storgata", "5e", "", ""),
        ("storgt 12", "storgata", "12", "", ""),
        ("hauptstr. 5", "hauptstrasse", "5", "", ""),
        ("hauptstrasse 5 a", "hauptstrasse", "5a", "", ""),
        ("berliner str 17", "berliner strasse", "17", "", ""),
        ("ul. marszalkowska 10/4", "marszalkowska", "10", "4", ""),
        ("ul marszalkowska 10 m 4", "marszalkowska", "10", "4", ""),
        ("kerkstraat 12-14", "kerkstraat", "12-14", "", ""),
        ("storgata 12 h0201", "storgata", "12", "h0201", ""),
        ("drottninggatan 5 lgh 1102", "drottninggatan", "5", "1102", ""),
        ("storgata 12 leil. 4", "storgata", "12", "4", ""),
        ("rua augusta n 12", "rua augusta", "12", "", ""),
        ("hinton crest lane 154", "hinton crest lane", "154", "", ""),
        // Number first: US, UK, IE, FR, AU, CA.
        ("154 hinton crest ln", "hinton crest lane", "154", "", ""),
        ("154 HINTON CREST LN", "hinton crest lane", "154", "", ""),
        ("12 rue de la paix", "rue de la paix", "12", "", ""),
        ("12 r de la paix", "rue de la paix", "12", "", ""),
        ("12 bis rue x", "rue x", "12bis", "", ""),
        ("7 bd saint michel", "boulevard saint michel", "7", "", ""),
        ("3 av st denis", "avenue saint denis", "3", "", ""),
        ("flat 2 10 downing street", "downing street", "10", "2", ""),
        ("apt 4b 155 main st", "main street", "155", "4b", ""),
        ("155 main st apt 4b", "main street", "155", "4b", ""),
        ("155 main st apt 4 b", "main street", "155", "4b", ""),
        ("155 main st #4b", "main street", "155", "4b", ""),
        ("155 main st, suite 100", "main street", "155", "100", ""),
        ("4/12 smith st", "smith street", "12", "4", ""),
        ("unit 3, 12 smith st", "smith street", "12", "3", ""),
        ("c/o john smith 12 main st", "main street", "12", "", ""),
        ("c/o hansen, storgata 12", "storgata", "12", "", ""),
        ("c/o hansen storgata 12", "storgata", "12", "", ""),
        ("12-14 high st", "high street", "12-14", "", ""),
        ("1st avenue", "1st avenue", "", "", ""),
        ("5e avenue", "5e avenue", "", "", ""),
        ("42 n 3rd st", "north 3rd street", "42", "", ""),
        ("42 3rd st nw", "3rd street northwest", "42", "", ""),
        ("12 e main st", "east main street", "12", "", ""),
        ("12 st james st", "saint james street", "12", "", ""),
        ("12 rue st denis", "rue saint denis", "12", "", ""),
        ("12 main st springfield", "main street springfield", "12", "", ""),
        ("1600 pennsylvania ave nw", "pennsylvania avenue northwest", "1600", "", ""),
        ("12 route 66", "route 66", "12", "", ""),
        ("highway 1", "highway 1", "", "", ""),
        ("4410 county rd 12", "county road 12", "4410", "", ""),
        ("the old rectory 12 main st", "main street", "12", "", ""),
        ("8 cedar cres", "cedar crescent", "8", "", ""),
        ("8 cedar crst", "cedar crescent", "8", "", ""),
        ("99 oak dr", "oak drive", "99", "", ""),
        ("5 king ct", "king court", "5", "", ""),
        // PO boxes.
        ("po box 123", "", "", "", "123"),
        ("p o box 123", "", "", "", "123"),
        ("p.o. box 123", "", "", "", "123"),
        ("pob 123", "", "", "", "123"),
        ("postboks 45", "", "", "", "45"),
        ("box 77", "", "", "", "77"),
        ("postfach 1234", "", "", "", "1234"),
        ("skrytka pocztowa 12", "", "", "", "12"),
        ("bp 12", "", "", "", "12"),
        ("boite postale 12", "", "", "", "12"),
        ("locked bag 5", "", "", "", "5"),
        ("gpo box 5", "", "", "", "5"),
        ("po box no 9", "", "", "", "9"),
        ("box hill rd", "box hill road", "", "", ""),
        // No number.
        ("the old rectory", "the old rectory", "", "", ""),
        ("hinton crest ln", "hinton crest lane", "", "", ""),
        ("", "", "", "", ""),
        ("--", "", "", "", ""),
    ];

    #[test]
    fn parse_street_table() {
        for &(input, name, number, unit, po_box) in CASES {
            let expected =
                StreetParts { name: name.into(), number: number.into(), unit: unit.into(), po_box: po_box.into() };
            assert_eq!(parse_street(input), expected, "parse_street({input:?})");
        }
    }

    /// In the pipeline the street arrives through `fold`, which removes the punctuation the
    /// table's inputs still carry; every row must read the same without it.
    #[test]
    fn folding_first_changes_nothing() {
        for &(input, ..) in CASES {
            assert_eq!(parse_street(&fold(input)), parse_street(input), "parse_street(fold({input:?}))");
        }
    }

    #[test]
    fn one_place_written_differently_gives_the_same_parts() {
        let same = [
            ("154 hinton crest ln", "154 hinton crest lane"),
            ("154 hinton crest ln", "hinton crest lane 154"),
            ("155 main st apt 4b", "apt 4b, 155 main street"),
            ("155 main st #4b", "Apt. 4B, 155 Main Street"),
            ("12 rue de la paix", "12, r. de la Paix"),
            ("hauptstr. 5", "Hauptstraße 5"),
            ("st james st 12", "12 saint james street"),
        ];
        for (a, b) in same {
            let (pa, pb) = (parse_street(&fold(a)), parse_street(&fold(b)));
            assert_eq!(pa, pb, "{a:?} vs {b:?}");
            assert!(!pa.name.is_empty() && !pa.number.is_empty(), "{a:?}: {pa:?}");
        }
    }

    #[test]
    fn never_panics_on_hostile_input() {
        let long = "12 main st ".repeat(100);
        for input in [long.as_str(), "#", "/ - ,", "c o", "po box", "apt", "12", "12 14", "ø 1ère 2ème", "東京 1"]
        {
            let _ = parse_street(input);
        }
        assert_eq!(parse_street(&long).number, "12");
    }
}
