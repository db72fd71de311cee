//! Email: clean addresses, repair the typos people make in big providers' domains, and build the
//! key dedup compares addresses by.
//!
//! An email address is the strongest identifier most registers have, so a wrong "repair" is worse
//! than none: [`clean_email`] only fixes what is unambiguous (wrapping, case, spaces, `@@`, a
//! comma for a dot) and domain typos of the large consumer providers our customers' customers
//! use. A domain is corrected from an explicit typo table, or when it is nearest, by edit
//! distance on its name and top-level domain, to exactly one provider (see `near_provider` for
//! the guards), and is not itself a real domain (`mail.com`, `hotmail.dk`). Invisible pasted
//! characters (zero-width spaces, a BOM) are dropped; a space inside the local part or the
//! domain makes the address invalid, because removing it would be a guess. Anything else that
//! fails the syntax check is `Invalid` and keeps its raw value.
//!
//! [`email_key`] then folds the spellings one mailbox accepts (Gmail ignores dots, most
//! providers deliver `+tag` addresses to the base mailbox).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use super::text::nfc;
use super::{Cleaned, is_blank};

/// The big consumer providers in our markets. A domain close to one of these is a typo of it.
const PROVIDERS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "hotmail.com",
    "hotmail.no",
    "outlook.com",
    "live.com",
    "yahoo.com",
    "icloud.com",
    "me.com",
    "online.no",
    "live.no",
    "telia.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "t-online.de",
    "wp.pl",
    "o2.pl",
    "onet.pl",
    "interia.pl",
    "ziggo.nl",
    "kpnmail.nl",
    "hetnet.nl",
    "home.nl",
    "yahoo.se",
    "hotmail.se",
    "live.se",
    "outlook.dk",
    "jubii.dk",
    "mail.dk",
];

/// Real domains one edit away from a provider: never "corrected".
const REAL_NEAR_MISSES: &[&str] = &[
    "mail.com",
    "email.com",
    "ymail.com",
    "gmx.com",
    "cloud.com",
    "outlook.de",
    "online.de",
    "hotmail.dk",
    "hotmail.de",
    "hotmail.nl",
    "yahoo.no",
    "yahoo.dk",
    "yahoo.de",
    "yahoo.nl",
    "live.dk",
    "live.nl",
    "live.de",
];

/// Typos seen in real registers that the edit-distance rule cannot or should not catch on its
/// own (a wrong top-level domain, two edits), or that are frequent enough to deserve a name.
const TYPOS: &[(&str, &str)] = &[
    ("gmial.com", "gmail.com"),
    ("gmai.com", "gmail.com"),
    ("gmal.com", "gmail.com"),
    ("gmaill.com", "gmail.com"),
    ("gnail.com", "gmail.com"),
    ("gamil.com", "gmail.com"),
    ("gmail.co", "gmail.com"),
    ("gmail.con", "gmail.com"),
    ("gmail.cm", "gmail.com"),
    ("gmail.om", "gmail.com"),
    ("gmail.cmo", "gmail.com"),
    ("gmail.ocm", "gmail.com"),
    ("gmail.comm", "gmail.com"),
    ("gmail.vom", "gmail.com"),
    ("gmail.xom", "gmail.com"),
    ("gmailcom", "gmail.com"),
    ("gmail", "gmail.com"),
    ("hotmial.com", "hotmail.com"),
    ("hotmal.com", "hotmail.com"),
    ("hotmil.com", "hotmail.com"),
    ("hotmai.com", "hotmail.com"),
    ("homail.com", "hotmail.com"),
    ("hotnail.com", "hotmail.com"),
    ("hotmail.co", "hotmail.com"),
    ("hotmail.con", "hotmail.com"),
    ("hotmail.cm", "hotmail.com"),
    ("hotmailcom", "hotmail.com"),
    ("outlok.com", "outlook.com"),
    ("outllok.com", "outlook.com"),
    ("outloo.com", "outlook.com"),
    ("outlook.co", "outlook.com"),
    ("outlook.con", "outlook.com"),
    ("yahooo.com", "yahoo.com"),
    ("yaho.com", "yahoo.com"),
    ("yahoo.co", "yahoo.com"),
    ("yahoo.con", "yahoo.com"),
    ("icloud.co", "icloud.com"),
    ("icloud.con", "icloud.com"),
    ("iclod.com", "icloud.com"),
    ("icoud.com", "icloud.com"),
    ("onlie.no", "online.no"),
    ("onine.no", "online.no"),
    ("onlin.no", "online.no"),
    ("onlne.no", "online.no"),
    ("onlien.no", "online.no"),
    ("online.n", "online.no"),
];

static PROVIDER_SET: LazyLock<HashSet<&'static str>> = LazyLock::new(|| PROVIDERS.iter().copied().collect());

/// Free-mail and ISP mail domains besides the [`PROVIDERS`] (which are all free mail): the
/// international ones and the common ones of Norway, Sweden, Denmark, the Netherlands, Poland
/// and Germany. An address at one of these says nothing about an employer.
const FREE_MAIL: &[&str] = &[
    // International.
    "mail.com",
    "email.com",
    "ymail.com",
    "rocketmail.com",
    "aol.com",
    "mac.com",
    "protonmail.com",
    "proton.me",
    "pm.me",
    "tutanota.com",
    "tuta.io",
    "zohomail.com",
    "yandex.com",
    "gmx.com",
    // Norway.
    "start.no",
    "frisurf.no",
    "c2i.net",
    "chello.no",
    "broadpark.no",
    "getmail.no",
    "lyse.net",
    "altibox.no",
    "tele2.no",
    "epost.no",
    // Sweden.
    "spray.se",
    "passagen.se",
    "bredband.net",
    "comhem.se",
    "bahnhof.se",
    "tele2.se",
    "home.se",
    "swipnet.se",
    "glocalnet.net",
    // Denmark.
    "ofir.dk",
    "get2net.dk",
    "stofanet.dk",
    "youmail.dk",
    "email.dk",
    "webspeed.dk",
    "tdcadsl.dk",
    "sol.dk",
    // The Netherlands.
    "kpnplanet.nl",
    "planet.nl",
    "chello.nl",
    "casema.nl",
    "xs4all.nl",
    "zonnet.nl",
    "upcmail.nl",
    "quicknet.nl",
    "tele2.nl",
    "telfort.nl",
    // Poland.
    "op.pl",
    "onet.eu",
    "vp.pl",
    "interia.eu",
    "poczta.fm",
    "gazeta.pl",
    "tlen.pl",
    "go2.pl",
    "buziaczek.pl",
    // Germany.
    "freenet.de",
    "arcor.de",
    "posteo.de",
    "mailbox.org",
    "online.de",
    "email.de",
    "1und1.de",
    "vodafonemail.de",
    "kabelmail.de",
    "ewetel.net",
];

/// Providers whose every national domain is free mail (`hotmail.de`, `yahoo.co.uk`, `live.nl`,
/// `gmx.at`): the name before the public suffix.
const FREE_MAIL_FAMILIES: &[&str] =
    &["hotmail", "outlook", "live", "msn", "windowslive", "yahoo", "ymail", "gmx", "aol"];

static FREE_MAIL_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| PROVIDERS.iter().chain(FREE_MAIL).copied().collect());

static TYPO_MAP: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| TYPOS.iter().copied().collect());

/// The part before the top-level domain of every provider (`hotmail`, `t-online`): a domain
/// with one of these is a real domain of that provider's family, whatever its TLD.
static PROVIDER_BASES: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| PROVIDERS.iter().filter_map(|p| p.rsplit_once('.').map(|(base, _)| base)).collect());

/// Cleans an email address: trimmed, unwrapped (`mailto:`, `<...>`, quotes, a display name),
/// lower case, spaces removed, `@@` and a comma in the domain repaired, trailing dots dropped,
/// known provider typos corrected; then checked against the address syntax (see the module doc).
pub fn clean_email(raw: &str) -> Cleaned {
    if is_blank(raw) {
        return Cleaned::missing();
    }
    let unwrapped = unwrap(raw.trim());
    let Some(email) = repair(&nfc(unwrapped)) else {
        return Cleaned::invalid();
    };
    Cleaned::from_raw(raw, email)
}

/// The key under which two clean addresses reach the same mailbox: a `+tag` is dropped for every
/// domain (`jan+news@x.no` → `jan@x.no`), and for Gmail dots in the local part are dropped and
/// `googlemail.com` becomes `gmail.com`. Expects the output of [`clean_email`].
pub fn email_key(clean: &str) -> String {
    let (local, domain) = match clean.rsplit_once('@') {
        Some(parts) => parts,
        None => return clean.to_string(),
    };
    // `+tag` sub-addressing; a local part that starts with `+` has no base to keep.
    let base = match local.split_once('+') {
        Some((base, _)) if !base.is_empty() => base,
        _ => local,
    };
    let mut key = String::with_capacity(clean.len());
    if domain == "gmail.com" || domain == "googlemail.com" {
        key.extend(base.chars().filter(|&c| c != '.'));
        key.push_str("@gmail.com");
    } else {
        key.push_str(base);
        key.push('@');
        key.push_str(domain);
    }
    key
}

/// Whether a domain (lower case, as the cleaners write it: an e-mail address's domain or a
/// website's host) is a free-mail or ISP provider's, where anybody can have an address: then a
/// shared domain is no evidence that two records are one company, nor that a contact works for
/// the company with that domain. A provider's subdomains count (`poczta.onet.pl`), and so does
/// every national domain of the big families (`hotmail.*`, `yahoo.*`, `live.*`, `outlook.*`,
/// `gmx.*`).
pub fn is_free_mail(domain: &str) -> bool {
    let registrable = super::website::registrable_domain(domain);
    if FREE_MAIL_SET.contains(domain) || FREE_MAIL_SET.contains(registrable) {
        return true;
    }
    // The name before the public suffix: `hotmail` of `hotmail.co.uk`.
    let name = registrable.split('.').next().unwrap_or("");
    registrable.len() > name.len() && FREE_MAIL_FAMILIES.contains(&name)
}

/// The local part (before the `@`) of a clean address; the whole value when it has no `@`.
pub fn email_local(clean: &str) -> &str {
    clean.rsplit_once('@').map_or(clean, |(local, _)| local)
}

/// The domain (after the `@`) of a clean address; empty when it has no `@`.
pub fn email_domain(clean: &str) -> &str {
    clean.rsplit_once('@').map_or("", |(_, domain)| domain)
}

/// Removes what people and CRMs wrap addresses in: a display name (`Jan <jan@x.no>`), a
/// `mailto:` prefix, quotes, brackets and list separators.
fn unwrap(s: &str) -> &str {
    let mut s = s;
    if let (Some(open), Some(close)) = (s.find('<'), s.rfind('>'))
        && open < close
    {
        // `<` and `>` are ASCII, so these are char boundaries.
        s = &s[open + 1..close];
    }
    let junk = |c: char| {
        c.is_whitespace()
            || matches!(c, '"' | '\'' | '`' | '‘' | '’' | '“' | '”' | '<' | '>' | '(' | ')' | '[' | ']' | ';' | ',')
    };
    s = s.trim_matches(junk);
    // `get` rather than indexing: a multi-byte char at byte 7 would make `[..7]` panic.
    if s.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("mailto:")) {
        s = s[7..].trim_matches(junk);
    }
    s
}

/// Lower-cases, repairs and checks an unwrapped address; `None` when it is not a valid address.
fn repair(s: &str) -> Option<String> {
    let mut e = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        // Zero-width spaces and joiners, the word joiner and a byte-order mark come along when an
        // address is pasted from a web page or a document; controls are encoding debris. Both
        // are invisible and dropped. Runs of `@` collapse to one (`jan@@x.no`).
        if c.is_control() || matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}') {
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        // A space next to the `@` is a typing accident (`jan @ x.no`); one inside a part
        // (`jan berg@x.no`) is not ours to remove: `janberg` and `jan.berg` are both guesses.
        if space && c != '@' && !e.is_empty() && !e.ends_with('@') {
            return None;
        }
        space = false;
        if c == '@' && e.ends_with('@') {
            continue;
        }
        e.extend(c.to_lowercase());
    }
    let (local, domain) = e.split_once('@')?;
    if domain.contains('@') || !local_ok(local) {
        return None;
    }
    let domain = repair_domain(domain)?;
    let email = format!("{local}@{domain}");
    // RFC 5321's limit on a forward path.
    (email.len() <= 254).then_some(email)
}

/// Fixes the domain's punctuation (`gmail,com`, `gmail.com.`, `x..no`) and provider typos, then
/// checks its syntax.
fn repair_domain(domain: &str) -> Option<String> {
    let mut fixed = String::with_capacity(domain.len());
    for label in domain.split(['.', ',']).filter(|l| !l.is_empty()) {
        if !fixed.is_empty() {
            fixed.push('.');
        }
        fixed.push_str(label);
    }
    if let Some(&right) = TYPO_MAP.get(fixed.as_str()) {
        return Some(right.to_string());
    }
    if !domain_ok(&fixed) {
        return None;
    }
    if let Some(right) = near_provider(&fixed) {
        return Some(right.to_string());
    }
    Some(fixed)
}

/// The provider `domain` is a typo of, by edit distance (optimal string alignment, the
/// Damerau-Levenshtein distance that counts a swap of neighbours as one edit), if exactly one
/// provider is nearest. Measured on the name and the top-level domain apart, so `gmail.cpm`,
/// `hotmail.vom`, `gmail.coom`, `icloud.cm` and `gmial.com` are each one edit from one provider.
/// Guards, all for precision:
/// - the domain is not a provider or a known real neighbour (`mail.com`, `hotmail.dk`);
/// - a two-letter top-level domain never becomes another two-letter one: `hotmail.de` and
///   `outlook.dk` are other countries' real domains, not typos of `hotmail.se` or `outlook.com`;
/// - a name that is a provider family's (`hotmail`, `gmx`) only has its top-level domain
///   repaired;
/// - otherwise the provider's name has at least 5 letters (`wp`, `live`, `onet` have too many
///   real neighbours), and the first letter agrees (real domains like `mail.com`, `email.com`,
///   `cloud.com` differ from `gmail`/`icloud` exactly there, while people rarely mistype a first
///   letter);
/// - one edit in all, or two for names of seven letters or more (`hotmial.co`).
fn near_provider(domain: &str) -> Option<&'static str> {
    if PROVIDER_SET.contains(domain) || REAL_NEAR_MISSES.contains(&domain) {
        return None;
    }
    let (base, tld) = domain.rsplit_once('.')?;
    let family = PROVIDER_BASES.contains(base);
    let mut best: Option<(usize, &'static str)> = None;
    let mut tied = false;
    for provider in PROVIDERS {
        let Some((p_base, p_tld)) = provider.rsplit_once('.') else {
            continue;
        };
        if tld != p_tld && tld.len() == 2 && p_tld.len() == 2 {
            continue;
        }
        let distance = if family {
            if base != p_base {
                continue;
            }
            strsim::osa_distance(tld, p_tld)
        } else {
            if p_base.len() < 5 || base.chars().next() != p_base.chars().next() || base.len().abs_diff(p_base.len()) > 2
            {
                continue;
            }
            strsim::osa_distance(base, p_base) + strsim::osa_distance(tld, p_tld)
        };
        let allowed = if !family && p_base.len() >= 7 { 2 } else { 1 };
        if distance == 0 || distance > allowed {
            continue;
        }
        match best {
            Some((d, _)) if d < distance => {}
            Some((d, _)) if d == distance => tied = true,
            _ => {
                best = Some((distance, *provider));
                tied = false;
            }
        }
    }
    // Close to two providers alike: we cannot tell which was meant.
    if tied { None } else { best.map(|(_, p)| p) }
}

/// The local part: 1-64 characters of the unquoted atom set, no leading, trailing or double dot.
fn local_ok(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(&b))
}

/// The domain: at least two dot-separated labels of letters (any script, for IDN), digits and
/// inner hyphens, each 1-63 characters, ending in a TLD of at least two letters or a punycode
/// `xn--` TLD.
fn domain_ok(domain: &str) -> bool {
    if domain.len() > 253 {
        return false;
    }
    let mut labels = 0;
    let mut last = "";
    for label in domain.split('.') {
        let chars = label.chars().count();
        if chars == 0
            || chars > 63
            || label.starts_with('-')
            || label.ends_with('-')
            || !label.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || (!c.is_ascii() && c.is_alphanumeric())
            })
        {
            return false;
        }
        labels += 1;
        last = label;
    }
    let tld_ok = (last.chars().count() >= 2 && last.chars().all(char::is_alphabetic))
        || (last.starts_with("xn--") && last.len() > 4);
    labels >= 2 && tld_ok
}

/// The country of an e-mail address's country-code domain (`@firma.no` is NO, `.co.uk` is
/// GB), for a row that names no country; generic (`.com`) and vanity domains (`.io`, `.me`,
/// `.tv`) say nothing.
pub fn country_of_domain(raw: &str) -> Option<&'static str> {
    let domain = raw.trim().rsplit_once('@')?.1;
    let tld = domain.trim_end_matches('.').rsplit('.').next()?.to_ascii_lowercase();
    const TLDS: [(&str, &str); 20] = [
        ("no", "NO"),
        ("se", "SE"),
        ("dk", "DK"),
        ("fi", "FI"),
        ("is", "IS"),
        ("de", "DE"),
        ("nl", "NL"),
        ("pl", "PL"),
        ("uk", "GB"),
        ("ie", "IE"),
        ("fr", "FR"),
        ("es", "ES"),
        ("it", "IT"),
        ("at", "AT"),
        ("ch", "CH"),
        ("be", "BE"),
        ("pt", "PT"),
        ("cz", "CZ"),
        ("ee", "EE"),
        ("lt", "LT"),
    ];
    TLDS.iter().find(|(t, _)| *t == tld).map(|&(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::Status;

    #[test]
    fn free_mail_providers_of_our_countries() {
        for d in [
            "gmail.com",
            "googlemail.com",
            "hotmail.com",
            "hotmail.no",
            "hotmail.co.uk",
            "hotmail.de",
            "outlook.com",
            "outlook.dk",
            "live.se",
            "live.nl",
            "yahoo.com",
            "yahoo.co.uk",
            "yahoo.no",
            "icloud.com",
            "me.com",
            "online.no",
            "telia.com",
            "gmx.de",
            "gmx.at",
            "gmx.net",
            "web.de",
            "t-online.de",
            "wp.pl",
            "o2.pl",
            "onet.pl",
            "poczta.onet.pl",
            "interia.pl",
            "ziggo.nl",
            "kpnmail.nl",
            "mail.dk",
            "jubii.dk",
            "aol.com",
            "protonmail.com",
        ] {
            assert!(is_free_mail(d), "{d}");
        }
        // Companies' own domains, and names that only look like a provider's.
        for d in [
            "acme.no",
            "mail.acme.no",
            "acme.co.uk",
            "livenation.com",
            "outlook.acme.no",
            "cloud.com",
            "gmail.acme.com",
            "telia.no",
            "",
            "co.uk",
        ] {
            assert!(!is_free_mail(d), "{d}");
        }
    }

    #[test]
    fn clean_email_table() {
        let cases = [
            ("jan@example.no", Some("jan@example.no"), Status::Valid),
            ("  jan@example.no ", Some("jan@example.no"), Status::Valid),
            ("Jan.Berg@Example.NO", Some("jan.berg@example.no"), Status::Fixed),
            ("mailto:jan@example.no", Some("jan@example.no"), Status::Fixed),
            ("MAILTO:jan@example.no", Some("jan@example.no"), Status::Fixed),
            ("<jan@example.no>", Some("jan@example.no"), Status::Fixed),
            ("\"jan@example.no\"", Some("jan@example.no"), Status::Fixed),
            ("Jan Berg <jan@example.no>", Some("jan@example.no"), Status::Fixed),
            ("'mailto:jan@example.no';", Some("jan@example.no"), Status::Fixed),
            ("jan @ example.no", Some("jan@example.no"), Status::Fixed),
            ("jan berg@example.no", None, Status::Invalid),
            ("jan@exam ple.no", None, Status::Invalid),
            ("jan@\u{200b}example.no", Some("jan@example.no"), Status::Fixed),
            ("\u{feff}jan@example.no", Some("jan@example.no"), Status::Fixed),
            ("jan@exam\u{2060}ple.no", Some("jan@example.no"), Status::Fixed),
            ("jan@@example.no", Some("jan@example.no"), Status::Fixed),
            ("jan@example.no.", Some("jan@example.no"), Status::Fixed),
            ("jan@example..no", Some("jan@example.no"), Status::Fixed),
            ("jan@gmail,com", Some("jan@gmail.com"), Status::Fixed),
            ("jan+news@example.no", Some("jan+news@example.no"), Status::Valid),
            ("o'brien@example.ie", Some("o'brien@example.ie"), Status::Valid),
            ("a!#$%&'*+/=?^_`{|}~-z@example.com", Some("a!#$%&'*+/=?^_`{|}~-z@example.com"), Status::Valid),
            ("jan@sub.example.co.uk", Some("jan@sub.example.co.uk"), Status::Valid),
            ("jan@bücher.de", Some("jan@bücher.de"), Status::Valid),
            ("jan@xn--bcher-kva.de", Some("jan@xn--bcher-kva.de"), Status::Valid),
            ("jan@example.xn--p1ai", Some("jan@example.xn--p1ai"), Status::Valid),
            // Provider typos from the table.
            ("jan@gmial.com", Some("jan@gmail.com"), Status::Fixed),
            ("jan@gmai.com", Some("jan@gmail.com"), Status::Fixed),
            ("jan@gmail.co", Some("jan@gmail.com"), Status::Fixed),
            ("jan@gnail.com", Some("jan@gmail.com"), Status::Fixed),
            ("jan@gmail.con", Some("jan@gmail.com"), Status::Fixed),
            ("jan@gamil.com", Some("jan@gmail.com"), Status::Fixed),
            ("jan@gmail", Some("jan@gmail.com"), Status::Fixed),
            ("jan@hotmial.com", Some("jan@hotmail.com"), Status::Fixed),
            ("jan@hotmal.com", Some("jan@hotmail.com"), Status::Fixed),
            ("jan@hotmail.co", Some("jan@hotmail.com"), Status::Fixed),
            ("jan@hotmil.com", Some("jan@hotmail.com"), Status::Fixed),
            ("jan@outlok.com", Some("jan@outlook.com"), Status::Fixed),
            ("jan@outllok.com", Some("jan@outlook.com"), Status::Fixed),
            ("jan@yahooo.com", Some("jan@yahoo.com"), Status::Fixed),
            ("jan@yaho.com", Some("jan@yahoo.com"), Status::Fixed),
            ("jan@icloud.co", Some("jan@icloud.com"), Status::Fixed),
            ("jan@onlie.no", Some("jan@online.no"), Status::Fixed),
            ("JAN@GMIAL.COM.", Some("jan@gmail.com"), Status::Fixed),
            // One edit from exactly one provider with the same TLD.
            ("jan@hotmaill.no", Some("jan@hotmail.no"), Status::Fixed),
            ("jan@hotmali.se", Some("jan@hotmail.se"), Status::Fixed),
            ("jan@tonline.de", Some("jan@t-online.de"), Status::Fixed),
            ("jan@interai.pl", Some("jan@interia.pl"), Status::Fixed),
            ("jan@zigo.nl", Some("jan@ziggo.nl"), Status::Fixed),
            ("jan@kpnmial.nl", Some("jan@kpnmail.nl"), Status::Fixed),
            ("jan@jubi.dk", Some("jan@jubii.dk"), Status::Fixed),
            ("jan@teila.com", Some("jan@telia.com"), Status::Fixed),
            // By edit distance, outside the typo table.
            ("jan@gmail.cpm", Some("jan@gmail.com"), Status::Fixed),
            ("jan@hotmail.vom", Some("jan@hotmail.com"), Status::Fixed),
            ("jan@gmail.coom", Some("jan@gmail.com"), Status::Fixed),
            ("jan@icloud.cm", Some("jan@icloud.com"), Status::Fixed),
            ("jan@yahoo.cm", Some("jan@yahoo.com"), Status::Fixed),
            ("jan@interia.pll", Some("jan@interia.pl"), Status::Fixed),
            ("jan@web.dee", Some("jan@web.de"), Status::Fixed),
            ("jan@hotmial.co", Some("jan@hotmail.com"), Status::Fixed),
            ("jan@googlemail.ocm", Some("jan@googlemail.com"), Status::Fixed),
            // Real domains near a provider are left alone.
            ("jan@hotmail.de", Some("jan@hotmail.de"), Status::Valid),
            ("jan@outlook.de", Some("jan@outlook.de"), Status::Valid),
            ("jan@gmail.de", Some("jan@gmail.de"), Status::Valid),
            ("jan@live.dk", Some("jan@live.dk"), Status::Valid),
            ("jan@hotmail.co.uk", Some("jan@hotmail.co.uk"), Status::Valid),
            ("jan@mail.com", Some("jan@mail.com"), Status::Valid),
            ("jan@email.com", Some("jan@email.com"), Status::Valid),
            ("jan@ymail.com", Some("jan@ymail.com"), Status::Valid),
            ("jan@cloud.com", Some("jan@cloud.com"), Status::Valid),
            ("jan@hotmail.dk", Some("jan@hotmail.dk"), Status::Valid),
            ("jan@yahoo.no", Some("jan@yahoo.no"), Status::Valid),
            ("jan@gmx.com", Some("jan@gmx.com"), Status::Valid),
            ("jan@love.com", Some("jan@love.com"), Status::Valid),
            ("jan@inet.pl", Some("jan@inet.pl"), Status::Valid),
            ("jan@gmail.dk", Some("jan@gmail.dk"), Status::Valid),
            // Invalid.
            ("jan", None, Status::Invalid),
            ("jan@", None, Status::Invalid),
            ("@example.no", None, Status::Invalid),
            ("jan@example", None, Status::Invalid),
            ("jan@example.n", None, Status::Invalid),
            ("jan@example.123", None, Status::Invalid),
            ("jan@x@example.no", None, Status::Invalid),
            ("jan@example.no, kari@example.no", None, Status::Invalid),
            (".jan@example.no", None, Status::Invalid),
            ("jan.@example.no", None, Status::Invalid),
            ("jan..berg@example.no", None, Status::Invalid),
            ("jån@example.no", None, Status::Invalid),
            ("jan@-example.no", None, Status::Invalid),
            ("jan@exa_mple.no", None, Status::Invalid),
            ("jan(at)example.no", None, Status::Invalid),
            ("12345678", None, Status::Invalid),
            ("", None, Status::Missing),
            ("  ", None, Status::Missing),
            ("n/a", None, Status::Missing),
        ];
        for (raw, value, status) in cases {
            let got = clean_email(raw);
            assert_eq!(got.value.as_deref(), value, "value of {raw:?}");
            assert_eq!(got.status, status, "status of {raw:?}");
        }
    }

    #[test]
    fn length_limits() {
        let local64 = "a".repeat(64);
        let local65 = "a".repeat(65);
        let long_domain = format!("{}.{}.{}.no", "b".repeat(63), "c".repeat(63), "d".repeat(63));
        let cases = [
            (format!("{local64}@example.no"), true),
            (format!("{local65}@example.no"), false),
            (format!("jan@{}.no", "b".repeat(63)), true),
            (format!("jan@{}.no", "b".repeat(64)), false),
            // 64 + 1 + 194 = 259 > 254.
            (format!("{local64}@{long_domain}"), false),
        ];
        for (raw, valid) in cases {
            assert_eq!(clean_email(&raw).value.is_some(), valid, "{} chars", raw.len());
        }
    }

    #[test]
    fn email_key_table() {
        let cases = [
            ("jan.berg@gmail.com", "janberg@gmail.com"),
            ("j.a.n.berg+shop@gmail.com", "janberg@gmail.com"),
            ("jan.berg@googlemail.com", "janberg@gmail.com"),
            ("jan.berg+news@example.no", "jan.berg@example.no"),
            ("jan.berg@example.no", "jan.berg@example.no"),
            ("+tag@example.no", "+tag@example.no"),
            ("not-an-email", "not-an-email"),
        ];
        for (input, expected) in cases {
            assert_eq!(email_key(input), expected, "email_key({input:?})");
        }
    }

    #[test]
    fn local_and_domain_table() {
        let cases = [
            ("jan@example.no", "jan", "example.no"),
            ("jan+x@gmail.com", "jan+x", "gmail.com"),
            ("jan", "jan", ""),
            ("", "", ""),
        ];
        for (input, local, domain) in cases {
            assert_eq!(email_local(input), local, "local of {input:?}");
            assert_eq!(email_domain(input), domain, "domain of {input:?}");
        }
    }

    #[test]
    fn typo_table_is_consistent() {
        for (typo, right) in TYPOS {
            assert!(PROVIDER_SET.contains(right), "{typo} → {right} is not a provider");
            assert!(!PROVIDER_SET.contains(typo), "{typo} is a provider");
        }
    }

    #[test]
    fn never_panics_on_hostile_input() {
        let huge = "é@".repeat(50_000);
        let cases = [
            huge.as_str(),
            "mailtö:x",
            "mailto",
            "ééééééé:jan@x.no",
            "<>",
            "><",
            "@",
            "@@@",
            "\u{0}@\u{0}.no",
            "a@ß.de",
            "a@İ.com",
            "a@\u{10ffff}.com",
        ];
        for input in cases {
            let got = clean_email(input);
            if let Some(v) = got.value {
                let _ = email_key(&v);
            }
        }
    }
}
