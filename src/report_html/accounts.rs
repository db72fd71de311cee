//! "Accounts": the golden accounts (companies) of a B2B register and how many contacts each
//! has, from report.json's `accounts`. Counts only.

use super::notation::notation;
use super::{Figure, obj, percent, uint};
use serde::Serialize;
use serde_json::Value;

#[derive(Serialize)]
pub(super) struct Accounts {
    /// The register has company columns but no row is a company alone: only a note is shown.
    none: bool,
    figures: Vec<Figure>,
    /// Accounts per number of linked contacts (`0`, `1`, `2-5`, `6-20`, `21+`), in that order.
    per_account: Vec<Row>,
    /// Linked contacts per way of linking, in the order the ways are tried.
    linked_by: Vec<Row>,
}

#[derive(Serialize)]
struct Row {
    label: String,
    value: String,
    share: String,
}

/// How report.json names each way of linking, and how the page says it.
const WAYS: [(&str, &str); 5] = [
    ("org_number", "Org number"),
    ("company_and_address", "Company name and address"),
    ("company_and_domain", "Company name and web or e-mail domain"),
    ("company_name", "Company name (one account has it)"),
    ("email_domain", "E-mail domain (one account uses it)"),
];

pub(super) fn accounts(r: &Value) -> Option<Accounts> {
    let a = r.get("accounts").filter(|a| a.is_object())?;
    let nf = notation(r);
    let n = |key: &str| uint(a, key).unwrap_or(0);
    let (accounts, with, without) = (n("golden_accounts"), n("contacts_with_account"), n("contacts_without_account"));
    let figures = vec![
        Figure { label: "Golden accounts", value: nf.count(accounts) },
        Figure {
            label: "Contacts linked to an account",
            value: format!("{} ({})", nf.count(with), percent(with, with + without)),
        },
        Figure { label: "Contacts without an account", value: nf.count(without) },
    ];
    let per_account = obj(a, "contacts_per_account")
        .map(|m| {
            ["0", "1", "2-5", "6-20", "21+"]
                .into_iter()
                .filter_map(|k| {
                    let v = super::as_count(m.get(k)?)?;
                    let label = match k {
                        "0" => "no contact".to_owned(),
                        "1" => "1 contact".to_owned(),
                        _ => format!("{k} contacts"),
                    };
                    Some(Row { label, value: nf.count(v), share: percent(v, accounts) })
                })
                .collect()
        })
        .unwrap_or_default();
    let linked_by = obj(a, "linked_by")
        .map(|m| {
            WAYS.iter()
                .filter_map(|&(k, label)| {
                    let v = super::as_count(m.get(k)?)?;
                    Some(Row { label: label.to_owned(), value: nf.count(v), share: percent(v, with) })
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Accounts { none: accounts == 0, figures, per_account, linked_by })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn page(accounts: serde_json::Value) -> String {
        super::super::render(&json!({"as_of": "2026-11-23", "accounts": accounts}))
    }

    #[test]
    fn accounts_and_contacts_per_account_are_shown() {
        let html = page(json!({
            "golden_accounts": 8, "contacts_with_account": 9, "contacts_without_account": 3,
            "contacts_per_account": {"0": 2, "1": 4, "2-5": 2, "6-20": 0, "21+": 0},
            "linked_by": {"org_number": 0, "company_and_address": 0, "company_and_domain": 5,
                "company_name": 2, "email_domain": 2}
        }));
        for want in [
            "<li><a href=\"#accounts\">Accounts</a></li>",
            "<tr><th>Golden accounts</th><td class=\"n\">8</td></tr>",
            "<tr><th>Contacts linked to an account</th><td class=\"n\">9 (75.0\u{a0}%)</td></tr>",
            "<tr><td>2-5 contacts</td><td class=\"n\">2</td><td class=\"n\">25.0\u{a0}%</td></tr>",
            "<tr><td>Company name and web or e-mail domain</td><td class=\"n\">5</td>",
        ] {
            assert!(html.contains(want), "{want}\n{html}");
        }
    }

    #[test]
    fn no_account_says_what_to_do_and_a_bad_key_is_skipped() {
        let html = page(json!({"golden_accounts": 0, "contacts_with_account": 0, "contacts_without_account": 5}));
        assert!(html.contains("No golden accounts"), "{html}");
        assert!(!html.contains("Contacts per account"));
        assert!(!page(json!("nonsense")).contains("#accounts"));
        assert!(!page(serde_json::Value::Null).contains("#accounts"));
    }
}
