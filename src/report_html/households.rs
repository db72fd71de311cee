//! "Households": how many people live with others, in households of what size and formed by
//! which rule, the addresses not taken for homes, and the letters one-per-household segments
//! save, from report.json's `households` and `segments[].letters_saved`. Counts only.

use super::notation::notation;
use super::{Figure, arr, obj, percent, text, uint};
use serde::Serialize;
use serde_json::Value;

#[derive(Serialize)]
pub(super) struct Households {
    figures: Vec<Figure>,
    /// Households of two or more by size, smallest first.
    sizes: Vec<Row>,
    /// Households of two or more by the rule that formed them, in order of precedence.
    by_rule: Vec<Row>,
    /// Addresses where people live that are not taken for homes, by why.
    not_homes: Vec<Row>,
    /// One-per-household segments: name, members kept, letters saved.
    letters: Vec<Row>,
}

#[derive(Serialize)]
struct Row {
    label: String,
    value: String,
    share: String,
}

const RULES: [(&str, &str); 3] = [
    ("marked_address", "An address marked as a household in the config"),
    ("address_and_surname", "One address and a shared surname"),
    ("shared_landline", "One landline (not a mobile)"),
];

const NOT_HOMES: [(&str, &str); 5] = [
    ("po_box", "PO boxes shared by two or more"),
    ("company_address", "Addresses a company has"),
    ("office", "Offices (two or more contacts with a company name)"),
    ("many_people", "More than ten people at one address"),
    ("many_surnames", "Four or more surnames at one address"),
];

pub(super) fn households(r: &Value) -> Option<Households> {
    let h = r.get("households").filter(|h| h.is_object())?;
    let nf = notation(r);
    let n = |key: &str| uint(h, key).unwrap_or(0);
    let (households, people, single) = (n("households"), n("people_in_households"), n("single_people"));
    let per = h.get("people_per_household").and_then(Value::as_f64).unwrap_or(0.0);
    let figures = vec![
        Figure { label: "Households of two or more", value: nf.count(households) },
        Figure {
            label: "People in them",
            value: format!("{} ({})", nf.count(people), percent(people, people + single)),
        },
        Figure { label: "People per household", value: nf.amount(per) },
        Figure { label: "People living alone", value: nf.count(single) },
    ];
    let rows = |key: &str, labels: &[(&str, &str)], of: u64| -> Vec<Row> {
        obj(h, key)
            .map(|m| {
                labels
                    .iter()
                    .filter_map(|&(k, label)| {
                        let v = super::as_count(m.get(k)?)?;
                        Some(Row { label: label.to_owned(), value: nf.count(v), share: percent(v, of) })
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let sizes = obj(h, "sizes")
        .map(|m| {
            let mut v: Vec<(u64, String, u64)> = m
                .iter()
                .filter_map(|(k, c)| {
                    let order = k.trim_end_matches('+').parse::<u64>().ok()?;
                    Some((order, k.clone(), super::as_count(c)?))
                })
                .collect();
            v.sort();
            v.into_iter()
                .map(|(_, k, c)| Row {
                    label: format!("{k} people"),
                    value: nf.count(c),
                    share: percent(c, households),
                })
                .collect()
        })
        .unwrap_or_default();
    let letters = arr(r, "segments")
        .into_iter()
        .flatten()
        .filter_map(|s| {
            let saved = uint(s, "letters_saved")?;
            let size = uint(s, "size").unwrap_or(0);
            Some(Row { label: text(s, "name").unwrap_or("").to_owned(), value: nf.count(size), share: nf.count(saved) })
        })
        .collect();
    Some(Households {
        figures,
        sizes,
        by_rule: rows("by_rule", &RULES, households),
        not_homes: rows("addresses_not_households", &NOT_HOMES, u64::MAX),
        letters,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn households_sizes_rules_and_letters_saved_are_shown() {
        let html = super::super::render(&json!({
            "as_of": "2026-11-23",
            "households": {"households": 5, "people_in_households": 11, "single_people": 12, "organisations": 0,
                "people_per_household": 2.2, "sizes": {"2": 4, "3": 1}, "by_rule": {"address_and_surname": 3,
                "marked_address": 1, "shared_landline": 1}, "addresses_not_households": {"office": 1, "po_box": 2},
                "marked_addresses_unmatched": 0},
            "segments": [{"name": "letters", "size": 17, "letters_saved": 6}, {"name": "everyone", "size": 23}]
        }));
        for want in [
            "<li><a href=\"#households\">Households</a></li>",
            "<tr><th>Households of two or more</th><td class=\"n\">5</td></tr>",
            "<tr><td>2 people</td><td class=\"n\">4</td><td class=\"n\">80.0\u{a0}%</td></tr>",
            "<tr><td>One landline (not a mobile)</td><td class=\"n\">1</td>",
            "<tr><td>PO boxes shared by two or more</td><td class=\"n\">2</td>",
            "<tr><td>letters</td><td class=\"n\">17</td><td class=\"n\">6</td></tr>",
        ] {
            assert!(html.contains(want), "{want}\n{html}");
        }
        assert!(!html.contains("<td>everyone</td>"));
    }

    #[test]
    fn no_households_key_no_section() {
        let html = super::super::render(&json!({"as_of": "2026-11-23"}));
        assert!(!html.contains("#households"));
    }
}
