//! Numbers and money in the register's own notation (`200 000`, `410 622 kr`, `£1,234.50`,
//! `64,7 %`), shared by every section that shows a count, an amount or a share to people.

use super::{as_count, fixed, obj, scalar, text, uint};
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

    /// An amount of money in the locale's own currency, rounded to whole units when large:
    /// `410 622 kr`, `£1,234.50`. For a report that does not say which currency its customers
    /// pay in (reports from before `health.revenue_by_currency`).
    pub(super) fn money(&self, amount: f64) -> String {
        self.signed(amount, self.currency_before, self.currency_after)
    }

    /// An amount in a given currency (ISO 4217), written the locale's way: `75 541 €` in a
    /// Norwegian report, `€75,541` in a British one, `27 012 zł`, `£1,235`. With `several`
    /// (the register holds more than one currency) the three crowns are written by their codes,
    /// since `kr` alone would not say which. `unknown` or an unlisted code gets its code.
    pub(super) fn money_in(&self, amount: f64, currency: &str, several: bool) -> String {
        let euro_first = !self.currency_before.is_empty();
        let (before, after) = match currency {
            "NOK" | "SEK" if !several => ("", "\u{a0}kr"),
            "DKK" if !several => ("", "\u{a0}kr."),
            "EUR" if euro_first => ("€", ""),
            "EUR" => ("", "\u{a0}€"),
            "GBP" => ("£", ""),
            "USD" => ("$", ""),
            "PLN" => ("", "\u{a0}zł"),
            "CHF" => ("CHF\u{a0}", ""),
            "unknown" => ("", ""),
            _ => return self.signed(amount, "", "") + "\u{a0}" + currency,
        };
        self.signed(amount, before, after)
    }

    /// An amount with no currency sign, for sums that add amounts of several currencies.
    pub(super) fn amount(&self, amount: f64) -> String {
        self.signed(amount, "", "")
    }

    fn signed(&self, amount: f64, before: &str, after: &str) -> String {
        let negative = amount < 0.0;
        let a = amount.abs();
        let body = if a >= 1000.0 {
            self.count(a.round() as u64)
        } else {
            let cents = (a * 100.0).round() as u64;
            format!("{}{}{:02}", self.count(cents / 100), self.decimal, cents % 100)
        };
        format!("{}{before}{body}{after}", if negative { "\u{2212}" } else { "" })
    }

    /// A JSON count with thousands separators; any other value as the JSON has it.
    pub(super) fn count_of(&self, v: Option<&Value>) -> String {
        match v.and_then(as_count) {
            Some(n) => self.count(n),
            None => scalar(v),
        }
    }

    /// A share (0..1) as a percentage for a limit or a measured value: one decimal, or two when
    /// one would show a non-zero share as `0.0 %` (`0.87 %`, not `0.008696`).
    pub(super) fn share(&self, share: f64) -> String {
        let p = share * 100.0;
        let decimals = if p != 0.0 && p.abs() < 0.95 { 2 } else { 1 };
        format!("{}\u{a0}%", fixed(p, decimals).replace('.', self.decimal))
    }

    /// A share as a percentage with one decimal in the notation: `64,7 %`.
    pub(super) fn percent(&self, share: f64) -> String {
        format!("{}\u{a0}%", fixed(share * 100.0, 1).replace('.', self.decimal))
    }
}

/// The currencies of a register's customers, from `health.revenue_by_currency`, most customers
/// first (ties by code), `unknown` left out.
pub(super) fn currencies(r: &Value) -> Vec<(String, u64, f64)> {
    let Some(by) = r.get("health").and_then(|h| obj(h, "revenue_by_currency")) else { return Vec::new() };
    let mut list: Vec<(String, u64, f64)> = by
        .iter()
        .filter(|(code, _)| *code != "unknown")
        .map(|(code, t)| {
            let revenue = t.get("revenue").and_then(|v| v.as_f64().or_else(|| v.as_str()?.parse().ok()));
            (code.clone(), uint(t, "customers").unwrap_or(0), revenue.unwrap_or(0.0))
        })
        .collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}

/// How the page writes a sum of money over customers: in the register's one currency, with no
/// sign when the register mixes currencies (a sum over customers of several currencies adds
/// their amounts as written, and no one sign would be true), or in the locale's currency for a
/// report that does not say which currencies its customers pay in.
pub(super) enum Money {
    Locale,
    One(String),
    Mixed(Vec<String>),
}

impl Money {
    pub(super) fn of(r: &Value) -> Money {
        let mut codes: Vec<String> = currencies(r).into_iter().map(|c| c.0).collect();
        match codes.len() {
            0 => Money::Locale,
            1 => Money::One(codes.remove(0)),
            _ => Money::Mixed(codes),
        }
    }

    pub(super) fn write(&self, f: &Notation, amount: f64) -> String {
        match self {
            Money::Locale => f.money(amount),
            Money::One(code) => f.money_in(amount, code, false),
            Money::Mixed(_) => f.amount(amount),
        }
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

    #[test]
    fn money_in_each_customers_currency_and_shares_as_percentages() {
        let no = Notation::of(Some("NO"));
        assert_eq!(no.money_in(75541.11, "EUR", true), "75\u{a0}541\u{a0}€");
        assert_eq!(no.money_in(27011.89, "PLN", true), "27\u{a0}012\u{a0}zł");
        assert_eq!(no.money_in(1234.5, "GBP", true), "£1\u{a0}235");
        assert_eq!(no.money_in(255816.87, "NOK", false), "255\u{a0}817\u{a0}kr");
        // Three crowns in one register: each by its code.
        assert_eq!(no.money_in(255816.87, "NOK", true), "255\u{a0}817\u{a0}NOK");
        assert_eq!(no.money_in(12.5, "DKK", true), "12,50\u{a0}DKK");
        assert_eq!(Notation::of(Some("GB")).money_in(75541.11, "EUR", true), "€75,541");
        assert_eq!(no.amount(366813.68), "366\u{a0}814");
        assert_eq!(no.share(0.008696), "0,87\u{a0}%");
        assert_eq!(no.share(0.5), "50,0\u{a0}%");
        assert_eq!(no.share(0.0), "0,0\u{a0}%");
        assert_eq!(no.count_of(Some(&serde_json::json!(342.0))), "342");
        assert_eq!(no.count_of(Some(&serde_json::json!(4321))), "4\u{a0}321");
        assert_eq!(no.count_of(Some(&serde_json::json!(48.5))), "48.5");
    }
}
