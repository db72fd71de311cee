//! Vocabulary: the words people write in a segment rule for a coded field, turned into the
//! codes the register stores, when the rules are compiled.
//!
//! The register stores countries as ISO codes (`NO`), currencies as ISO 4217 codes (`EUR`),
//! genders as `female`/`male`/`other` and consent as true/false, because the normalisers put every way of writing them onto one code.
//! A rule that compares such a field with a name (`country = 'Norway'`) would otherwise match
//! nobody, silently. The same normalisers read the rule's words, so `'Norway'`, `'Norge'` and
//! `'Noruega'` all mean `NO`, and `'euro'` and `'€'` mean `EUR`; a word none of them knows is an
//! error with a suggestion.

use super::expr::Value;
use crate::field::Field;
use crate::normalise::{boolean, country, currency, gender};

/// The coded value a rule's literal stands for, when `field` is a coded field: `None` for any
/// other field (the literal is compared as written), `Some(Err(message))` when the word is not
/// one the field can hold.
pub fn code(field: &str, literal: &str) -> Option<Result<Value, String>> {
    let field = Field::from_name(field)?;
    Some(match field {
        Field::Country => match country::country_alpha2(literal) {
            Some(code) => Ok(Value::Text(code.to_string())),
            None => Err(match country::nearest_country(literal) {
                Some(code) => {
                    format!("unknown country '{literal}' (countries are stored as ISO codes); did you mean '{code}'?")
                }
                None => format!(
                    "unknown country '{literal}' (countries are stored as ISO codes such as 'NO'; write a code or a country's name)"
                ),
            }),
        },
        // No row's country decides a rule's `kr`: the rule must name the crown.
        Field::Currency => match currency::currency_code(literal, None) {
            Some(code) => Ok(Value::Text(code.to_string())),
            None => Err(currency::unknown_currency(literal)),
        },
        Field::Gender => match gender::clean_gender(literal).value {
            Some(g) => Ok(Value::Text(g)),
            None => Err(crate::diagnostics::unknown_name("gender", literal, &["female", "male", "other"])),
        },
        Field::EmailConsent
        | Field::SmsConsent
        | Field::PhoneConsent
        | Field::FaxConsent
        | Field::PostConsent
        | Field::EmailBounced
        | Field::Unsubscribed => match boolean::clean_bool(literal).value {
            Some(b) => Ok(Value::Bool(b == "true")),
            None => Err(format!("'{literal}' is not yes or no; write true or false")),
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_people_write_become_codes() {
        let text = |s: &str| Some(Ok(Value::Text(s.to_string())));
        type Case<'a> = (&'a str, &'a str, Option<Result<Value, String>>);
        let cases: [Case; 13] = [
            ("country", "Norway", text("NO")),
            ("country", "Norge", text("NO")),
            ("country", "Noruega", text("NO")),
            ("country", "no", text("NO")),
            ("country", "Tyskland", text("DE")),
            ("gender", "Kvinne", text("female")),
            ("currency", "euro", text("EUR")),
            ("currency", "€", text("EUR")),
            ("currency", "norske kroner", text("NOK")),
            ("currency", "sek", text("SEK")),
            ("email_consent", "ja", Some(Ok(Value::Bool(true)))),
            ("city", "Norway", None),
            ("region", "Oslo", None),
        ];
        for (field, literal, expected) in cases {
            assert_eq!(code(field, literal), expected, "{field} = {literal}");
        }
    }

    #[test]
    fn unknown_words_are_refused_with_a_suggestion() {
        let e = code("country", "Norwya").unwrap().unwrap_err();
        assert!(e.contains("did you mean 'NO'?"), "{e}");
        let e = code("gender", "femal").unwrap().unwrap_err();
        assert!(e.contains("did you mean 'female'?"), "{e}");
        assert!(code("email_consent", "perhaps").unwrap().is_err());
        let e = code("currency", "eruo").unwrap().unwrap_err();
        assert!(e.contains("unknown currency 'eruo'") && e.contains("did you mean 'EUR'?"), "{e}");
        let e = code("currency", "kr").unwrap().unwrap_err();
        assert!(e.contains("write 'NOK', 'SEK', 'DKK' or 'ISK'"), "{e}");
    }
}
