//! Websites and domains: the host a company is known by, as one comparable key.
//!
//! Account exports carry a company's site in every form people type (`https://www.Acme.no/`,
//! `acme.no`, `WWW.ACME.NO/om-oss`, `http://acme.no?utm=x`). Dedup compares companies on it and
//! links contacts to accounts by it, so all of those must become the same `acme.no`: scheme, user
//! info, `www.`, port, path, query and fragment removed, lower-cased, a trailing dot dropped. A
//! value with no dot, a space inside or characters no host name may hold is invalid: it is not a
//! website (`n/a`, `see e-mail`).

use super::{Cleaned, is_blank};

/// Cleans a website or domain to its host: `https://www.Acme.no/om` → `acme.no`.
pub fn clean_website(raw: &str) -> Cleaned {
    if is_blank(raw) {
        return Cleaned::missing();
    }
    let trimmed = raw.trim();
    let lower = trimmed.to_lowercase();
    let mut rest = lower.as_str();
    if let Some(i) = rest.find("://") {
        rest = &rest[i + 3..];
    } else if let Some(r) = rest.strip_prefix("//") {
        rest = r;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let mut host = &rest[..end];
    if let Some(at) = host.rfind('@') {
        host = &host[at + 1..];
    }
    if let Some(colon) = host.find(':') {
        host = &host[..colon];
    }
    let host = host.trim_end_matches('.');
    let host = host.strip_prefix("www.").unwrap_or(host);
    let labels_ok = host.split('.').all(|l| {
        !l.is_empty() && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    });
    let tld_ok = host.rsplit('.').next().is_some_and(|t| t.len() >= 2 && t.chars().all(char::is_alphabetic));
    if !host.contains('.') || !labels_ok || !tld_ok {
        return Cleaned::invalid();
    }
    Cleaned::from_raw(raw, host.to_string())
}

/// Free-mail and ISP mail domains besides the providers `email` knows for its typo repairs
/// (which are all free mail): international ones and the common ones of our seven countries.
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
    "zohomail.com",
    "yandex.com",
    "gmx.com",
    // Norway.
    "start.no",
    "frisurf.no",
    "c2i.net",
    "lyse.net",
    "altibox.no",
    "epost.no",
    // Sweden.
    "spray.se",
    "passagen.se",
    "bredband.net",
    "comhem.se",
    "telia.se",
    // Denmark.
    "ofir.dk",
    "email.dk",
    "get2net.dk",
    "stofanet.dk",
    // The Netherlands.
    "planet.nl",
    "kpnplanet.nl",
    "xs4all.nl",
    "chello.nl",
    "upcmail.nl",
    // Poland.
    "op.pl",
    "vp.pl",
    "gazeta.pl",
    "poczta.fm",
    "tlen.pl",
    "go2.pl",
    // Germany.
    "freenet.de",
    "arcor.de",
    "posteo.de",
    "online.de",
    "email.de",
    "mailbox.org",
];

/// Providers whose every national domain is free mail (`hotmail.de`, `yahoo.co.uk`, `gmx.at`).
const FREE_MAIL_FAMILIES: &[&str] = &["hotmail", "outlook", "live", "msn", "yahoo", "ymail", "gmx", "aol", "icloud"];

/// Whether a domain (lower case, as the cleaners write it: an e-mail address's domain or a
/// website's host) belongs to a free-mail or ISP provider, where anybody can have an address:
/// then sharing it is no evidence that a contact works for a company. A provider's subdomains
/// count (`poczta.onet.pl`), and so does every national domain of the big families
/// (`hotmail.se`, `yahoo.co.uk`).
pub fn is_free_mail(domain: &str) -> bool {
    let domain = domain.trim_end_matches('.');
    // The domain and each parent of it: `poczta.onet.pl`, `onet.pl`.
    let mut rest = domain;
    loop {
        if super::email::is_provider(rest) || FREE_MAIL.contains(&rest) {
            return true;
        }
        match rest.split_once('.') {
            Some((_, parent)) if parent.contains('.') => rest = parent,
            _ => break,
        }
    }
    // `family.tld`, `family.co.tld`, `family.com.tld`.
    let labels: Vec<&str> = domain.split('.').collect();
    match labels.as_slice() {
        [family, _] => FREE_MAIL_FAMILIES.contains(family),
        [family, second, _] => FREE_MAIL_FAMILIES.contains(family) && matches!(*second, "co" | "com"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::Status;

    #[test]
    fn websites_become_their_host() {
        for (raw, want, status) in [
            ("acme.no", Some("acme.no"), Status::Valid),
            ("https://www.Acme.no/om-oss", Some("acme.no"), Status::Fixed),
            ("WWW.ACME.NO", Some("acme.no"), Status::Fixed),
            ("http://acme.co.uk:8080/?utm=x#top", Some("acme.co.uk"), Status::Fixed),
            ("//shop.example.com/", Some("shop.example.com"), Status::Fixed),
            ("acme.no.", Some("acme.no"), Status::Fixed),
            ("bøker.no", Some("bøker.no"), Status::Valid),
            ("n/a", None, Status::Missing),
            ("see e-mail", None, Status::Invalid),
            ("localhost", None, Status::Invalid),
            ("acme.123", None, Status::Invalid),
            ("-acme.no", None, Status::Invalid),
        ] {
            let c = clean_website(raw);
            assert_eq!((c.value.as_deref(), c.status), (want, status), "{raw}");
        }
    }

    #[test]
    fn free_mail_domains_are_known() {
        for (domain, free) in [
            ("gmail.com", true),
            ("hotmail.com", true),
            ("outlook.com", true),
            ("yahoo.com", true),
            ("online.no", true),
            ("live.no", true),
            ("icloud.com", true),
            ("gmx.de", true),
            ("web.de", true),
            ("wp.pl", true),
            ("o2.pl", true),
            ("onet.pl", true),
            ("poczta.onet.pl", true),
            ("interia.pl", true),
            ("t-online.de", true),
            ("telia.com", true),
            ("hotmail.de", true),
            ("yahoo.co.uk", true),
            ("live.nl", true),
            ("gmx.at", true),
            ("acme.no", false),
            ("nordlys.com", false),
            ("live-events.no", false),
            ("mail.acme.no", false),
            ("hotmail.acme.no", false),
        ] {
            assert_eq!(is_free_mail(domain), free, "{domain}");
        }
    }
}
