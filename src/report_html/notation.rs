//! Numbers and money in the register's own notation (`200 000`, `410 622 kr`, `£1,234.50`,
//! `64,7 %`), shared by every section that shows a count, an amount or a share to people.

use super::{fixed, text};
use serde_json::Value;

/// How numbers and money are written in a country.
#[derive(Debug, Clone, Copy)]
pub(super) struct Notation {
    thousands: &'static str,
    decimal: &'static str,
    /// Written before (`£12`) or after (`12 kr`) the amount, with its space.
    currency_before: &'static str,
    currency_after: &'static str,
}

impl Notation {
    /// The notation of a country (ISO alpha-2); a neutral one (`12,345.67`, no currency sign)
    /// for a country not listed or none.
    pub(super) fn of(country: Option<&str>) -> Notation {
        const NBSP: &str = "\u{a0}";
        let n = |thousands, decimal, currency_before, currency_after| Notation {
            thousands,
            decimal,
            currency_before,
            currency_after,
        };
        match country.unwrap_or("") {
            "NO" | "SE" => n(NBSP, ",", "", "\u{a0}kr"),
            "DK" => n(".", ",", "", "\u{a0}kr."),
            "FI" | "FR" => n(NBSP, ",", "", "\u{a0}€"),
            "DE" | "NL" | "AT" | "BE" | "ES" | "IT" => n(".", ",", "", "\u{a0}€"),
            "IE" => n(",", ".", "€", ""),
            "PL" => n(NBSP, ",", "", "\u{a0}zł"),
            "CH" => n("’", ".", "CHF\u{a0}", ""),
            "GB" => n(",", ".", "£", ""),
            "US" => n(",", ".", "$", ""),
            _ => n(",", ".", "", ""),
        }
    }

    /// A whole number with thousands separators: `200 000`.
    pub(super) fn count(&self, n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(self.thousands);
            }
            out.push(c);
        }
        out
    }

    /// An amount of money, rounded to whole units when large: `410 622 kr`, `£1,234.50`.
    pub(super) fn money(&self, amount: f64) -> String {
        let negative = amount < 0.0;
        let a = amount.abs();
        let body = if a >= 1000.0 {
            self.count(a.round() as u64)
        } else {
            let cents = (a * 100.0).round() as u64;
            format!("{}{}{:02}", self.count(cents / 100), self.decimal, cents % 100)
        };
        format!("{}{}{body}{}", if negative { "\u{2212}" } else { "" }, self.currency_before, self.currency_after)
    }

    /// A share as a percentage with one decimal in the notation: `64,7 %`.
    pub(super) fn percent(&self, share: f64) -> String {
        format!("{}\u{a0}%", fixed(share * 100.0, 1).replace('.', self.decimal))
    }
}

pub(super) fn notation(r: &Value) -> Notation {
    Notation::of(r.get("locale").and_then(|l| text(l, "country")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_each_countrys_notation() {
        let no = Notation::of(Some("NO"));
        assert_eq!(no.count(200000), "200\u{a0}000");
        assert_eq!(no.money(410621.68), "410\u{a0}622\u{a0}kr");
        assert_eq!(no.money(12.5), "12,50\u{a0}kr");
        assert_eq!(no.percent(0.647287), "64,7\u{a0}%");
        let gb = Notation::of(Some("GB"));
        assert_eq!(gb.money(1234.5), "£1,235");
        assert_eq!(gb.money(-3.0), "\u{2212}£3.00");
        assert_eq!(Notation::of(None).count(1234567), "1,234,567");
        assert_eq!(Notation::of(Some("DE")).money(999.999), "1.000,00\u{a0}€");
    }
}
