//! Websites and domains: the host a company is known by, as one comparable key.
//!
//! Account exports carry a company's site in every form people type (`https://www.Acme.no/`,
//! `acme.no`, `WWW.ACME.NO/om-oss`, `http://acme.no?utm=x`). Dedup compares companies on it and
//! links contacts to accounts by it, so all of those must become the same `acme.no`: scheme, user
//! info, `www.`, port, path, query and fragment removed, lower-cased, a trailing dot dropped. A
//! value with no dot, a space inside or characters no host name may hold is invalid: it is not a
//! website (`n/a`, `see e-mail`).
//!
//! The host is checked against the public suffix list (the `psl` crate, which compiles the
//! list into code and is republished as the list changes): a host whose top-level domain the
//! list does not know (`acme.local`, `acme.123`) or that is itself a public suffix (`co.uk`) is
//! no company's site and is invalid. The cleaned value keeps the whole host, because
//! `shop.acme.co.uk` may be a shop of its own; [`registrable_domain`] gives the part a company
//! registers (`acme.co.uk`), which is what two records are compared on.

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
    if !host.contains('.') || !labels_ok || !has_registrable_domain(host) {
        return Cleaned::invalid();
    }
    Cleaned::from_raw(raw, host.to_string())
}

/// Whether a host ends in a public suffix the list knows and has a label of its own before it.
fn has_registrable_domain(host: &str) -> bool {
    psl::suffix(host.as_bytes()).is_some_and(|s| s.is_known()) && psl::domain(host.as_bytes()).is_some()
}

/// The registrable domain of a cleaned host (or of an e-mail address's domain): its public
/// suffix and the one label before it, `shop.acme.co.uk` → `acme.co.uk`, `acme.no` →
/// `acme.no`, `x.github.io` → `x.github.io` (the list's private suffixes count: every
/// `github.io` site is somebody else's). A host that is itself a public suffix, or is empty,
/// is returned as it is; one whose top-level domain the list does not know gives its last two
/// labels.
pub fn registrable_domain(host: &str) -> &str {
    match psl::domain(host.as_bytes()) {
        // The domain is a suffix of the host, so its length says where it starts.
        Some(d) => &host[host.len() - d.as_bytes().len()..],
        None => host,
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
            // The public suffix list decides what a top-level domain is.
            ("https://shop.acme.co.uk/", Some("shop.acme.co.uk"), Status::Fixed),
            ("xn--e1afmkfd.xn--p1ai", Some("xn--e1afmkfd.xn--p1ai"), Status::Valid),
            ("acme.local", None, Status::Invalid),
            ("intranet.acme.internal", None, Status::Invalid),
            ("www.co.uk", None, Status::Invalid),
            ("com.pl", None, Status::Invalid),
        ] {
            let c = clean_website(raw);
            assert_eq!((c.value.as_deref(), c.status), (want, status), "{raw}");
        }
    }

    #[test]
    fn the_registrable_domain_is_the_public_suffix_and_one_label() {
        for (host, want) in [
            ("shop.acme.co.uk", "acme.co.uk"),
            ("acme.co.uk", "acme.co.uk"),
            ("acme.no", "acme.no"),
            ("mail.acme.no", "acme.no"),
            ("acme.oslo.no", "acme.oslo.no"),
            ("sklep.acme.com.pl", "acme.com.pl"),
            ("acme.se", "acme.se"),
            ("en.acme.de", "acme.de"),
            ("x.y.github.io", "y.github.io"),
            ("bøker.no", "bøker.no"),
            ("co.uk", "co.uk"),
            ("", ""),
        ] {
            assert_eq!(registrable_domain(host), want, "{host}");
        }
    }
}
