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
}
