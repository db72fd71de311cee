//! Values: what segment rules read of a golden record, typed for the expression language, and
//! the consent each channel has.

use super::expr::Value;
use crate::field::{CustomField, CustomKind, Field};
use crate::merge::Golden;
use crate::merge::accounts::Accounts;
use crate::normalise::date::Date;

/// The channels a golden record may be contacted on, each decided by its own answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Channels {
    pub email: bool,
    pub sms: bool,
    /// Calls (`phone_consent`; a `Do Not Call` column withdrew it when the row was read).
    pub phone: bool,
    pub fax: bool,
    pub post: bool,
}

impl Channels {
    /// Consent to e-mail and SMS only (tests, and callers that know no other channel).
    pub fn email_sms(email: bool, sms: bool) -> Channels {
        Channels { email, sms, ..Channels::default() }
    }
}

impl From<(bool, bool)> for Channels {
    fn from((email, sms): (bool, bool)) -> Channels {
        Channels::email_sms(email, sms)
    }
}

/// Per golden record: the channels it may be contacted on. E-mail by its consent, an unsubscribe
/// (`unsubscribed` is an e-mail unsubscribe: HubSpot's `Unsubscribed from all email`,
/// Mailchimp's `UNSUB_TIME`) and an address that has not bounced (a bounced address is never
/// exported for e-mail); SMS, calls, fax and post each by its own consent alone, which an
/// opt-out column of that channel (`Do Not Call`, `Fax Opt Out`, `Do not allow Mails`) already
/// withdrew when the row was read. An e-mail unsubscribe never closes another channel.
pub fn consent(goldens: &[Golden]) -> Vec<Channels> {
    let yes = |g: &Golden, f: Field| g.value(f) == Some("true");
    goldens
        .iter()
        .map(|g| Channels {
            email: yes(g, Field::EmailConsent) && !yes(g, Field::Unsubscribed) && !yes(g, Field::EmailBounced),
            sms: yes(g, Field::SmsConsent),
            phone: yes(g, Field::PhoneConsent),
            fax: yes(g, Field::FaxConsent),
            post: yes(g, Field::PostConsent),
        })
        .collect()
}

/// The currency of a golden record's revenue (ISO 4217): its `currency`, else its country's
/// ([`currency_of_country`](crate::normalise::currency::currency_of_country)), else `unknown`.
pub fn currency(g: &Golden) -> &str {
    g.value(Field::Currency)
        .or_else(|| g.value(Field::Country).and_then(crate::normalise::currency::currency_of_country))
        .unwrap_or("unknown")
}

/// The values segment rules see, built per golden record on demand (`segment::schema_with()`
/// order: the canonical fields, the derived ones, the custom fields, then the account's
/// canonical and custom fields).
pub struct SegmentValues<'a> {
    goldens: &'a [Golden],
    stale: &'a [Vec<&'static str>],
    scores: Vec<[Option<u8>; 3]>,
    as_of: Date,
    /// The kind of each custom field (`Golden::custom`, in config order).
    custom: Vec<CustomKind>,
    /// Each golden record's account (`merge::accounts`), when the run linked them.
    accounts: Option<&'a Accounts>,
}

/// Where custom fields start in the schema.
const CUSTOM_BASE: usize = Field::COUNT + super::DERIVED.len();

impl<'a> SegmentValues<'a> {
    pub fn new(goldens: &'a [Golden], stale: &'a [Vec<&'static str>], as_of: Date) -> SegmentValues<'a> {
        SegmentValues {
            goldens,
            stale,
            scores: super::rfm::scores(goldens, as_of),
            as_of,
            custom: Vec::new(),
            accounts: None,
        }
    }

    /// Reads `account.<field>` from each contact's golden account.
    pub fn with_accounts(mut self, accounts: &'a Accounts) -> SegmentValues<'a> {
        self.accounts = Some(accounts);
        self
    }

    /// Where the account's fields start in the schema.
    fn account_base(&self) -> usize {
        CUSTOM_BASE + self.custom.len()
    }

    /// The value at schema position `i` (a custom or account field) of golden record `g`.
    fn beyond_derived(&self, g: usize, i: usize) -> Option<Value> {
        let base = self.account_base();
        if i < base {
            return self.custom(g, i - CUSTOM_BASE);
        }
        let a = self.accounts?.account_of(g)?;
        match i - base {
            j if j < Field::COUNT => Self::field(&self.goldens[a], Field::ALL[j]),
            j => self.custom(a, j - Field::COUNT),
        }
    }

    /// Reads the golden records' custom fields too (the config's `[fields]`, as the rules were
    /// checked against: `SegmentRules::custom`).
    pub fn with_custom(mut self, fields: &[CustomField]) -> SegmentValues<'a> {
        self.custom = fields.iter().map(|f| f.kind).collect();
        self
    }

    /// Custom field `k` of golden record `g`, typed by its kind.
    fn custom(&self, g: usize, k: usize) -> Option<Value> {
        let s = self.goldens[g].custom().get(k)?.value.as_deref()?;
        Some(match self.custom.get(k)? {
            CustomKind::Text => Value::Text(s.to_string()),
            CustomKind::Number => Value::Number(s.parse().ok()?),
            CustomKind::Date => Value::Date(Date::parse_iso(s)?),
            CustomKind::Boolean => Value::Bool(s == "true"),
            CustomKind::Tags => {
                let mut tags: Vec<String> = crate::normalise::custom::tags(s).map(str::to_string).collect();
                tags.sort();
                Value::Tags(tags)
            }
        })
    }

    fn field(g: &Golden, f: Field) -> Option<Value> {
        let s = g.value(f)?;
        Some(match f.kind() {
            crate::field::Kind::Date => Value::Date(Date::parse_iso(s)?),
            crate::field::Kind::Count | crate::field::Kind::Money => Value::Number(s.parse().ok()?),
            crate::field::Kind::Bool => Value::Bool(s == "true"),
            _ => Value::Text(s.to_string()),
        })
    }

    fn derived(&self, g: usize) -> [Option<Value>; super::DERIVED.len()] {
        super::rfm::derived(&self.goldens[g], &self.stale[g], self.scores[g], self.as_of)
    }

    /// The values of golden record `g` that `used` marks (schema order; the rest are `None`).
    pub fn used(&self, g: usize, used: &[bool]) -> Vec<Option<Value>> {
        // At its final size at once (the canonical fields, then the derived or their places,
        // then the rest): the derived fields no longer move the canonical ones.
        let mut v: Vec<Option<Value>> = Vec::with_capacity(used.len().max(CUSTOM_BASE));
        v.extend(Field::ALL.iter().map(|&f| if used[f.index()] { Self::field(&self.goldens[g], f) } else { None }));
        if used[Field::COUNT..CUSTOM_BASE.min(used.len())].iter().any(|&u| u) {
            v.extend(self.derived(g));
        } else {
            v.resize(CUSTOM_BASE.min(used.len()), None);
        }
        for (k, &u) in used.iter().enumerate().skip(CUSTOM_BASE) {
            v.push(if u { self.beyond_derived(g, k) } else { None });
        }
        v
    }

    /// The values of golden record `g` at these schema positions.
    pub fn some(&self, g: usize, positions: &[usize]) -> Vec<Option<Value>> {
        let derived = positions.iter().any(|&i| (Field::COUNT..CUSTOM_BASE).contains(&i)).then(|| self.derived(g));
        positions
            .iter()
            .map(|&i| match &derived {
                _ if i >= CUSTOM_BASE => self.beyond_derived(g, i),
                Some(d) if i >= Field::COUNT => d[i - Field::COUNT].clone(),
                _ => Self::field(&self.goldens[g], Field::ALL[i]),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::{GoldenField, Origin};

    fn golden(values: &[(Field, &str)]) -> Golden {
        let mut fields = vec![GoldenField { value: None, rule: "most_recent", from: Origin::Nobody }; Field::COUNT];
        for &(f, v) in values {
            fields[f.index()] = GoldenField { value: Some(v.to_string()), rule: "most_recent", from: Origin::One(0) };
        }
        Golden::new("G".into(), vec![0], &fields, vec![], vec![], 0)
    }

    /// Issue 25: three customers with `email_bounced = true` were exported to an e-mail segment.
    #[test]
    fn a_bounced_address_has_no_email_channel() {
        use Field::*;
        let base = [(Email, "a@x.no"), (EmailConsent, "true"), (SmsConsent, "true")];
        let with = |extra: (Field, &'static str)| {
            let mut v = base.to_vec();
            v.push(extra);
            golden(&v)
        };
        let goldens =
            [golden(&base), with((EmailBounced, "true")), with((EmailBounced, "false")), with((Unsubscribed, "true"))];
        let expected: Vec<Channels> =
            [(true, true), (false, true), (true, true), (false, true)].into_iter().map(Channels::from).collect();
        assert_eq!(consent(&goldens), expected);
    }

    /// Issue 25: opt-outs are read per channel; an e-mail unsubscribe does not stop text messages.
    #[test]
    fn an_email_unsubscribe_leaves_sms_consent_alone() {
        use Field::*;
        let goldens = [golden(&[(Mobile, "+4791234567"), (SmsConsent, "true"), (Unsubscribed, "true")])];
        assert_eq!(consent(&goldens), vec![Channels::email_sms(false, true)]);
    }

    /// Issue 25: calls, fax and post are decided by their own consent, like e-mail and SMS; an
    /// e-mail unsubscribe or bounce closes none of them.
    #[test]
    fn calls_fax_and_post_each_by_their_own_consent() {
        use Field::*;
        let goldens = [
            golden(&[(PhoneConsent, "true"), (FaxConsent, "false"), (PostConsent, "true"), (Unsubscribed, "true")]),
            golden(&[(FaxConsent, "true"), (EmailBounced, "true"), (EmailConsent, "true")]),
            golden(&[(PostConsent, "false")]),
        ];
        let c = consent(&goldens);
        assert_eq!(c[0], Channels { phone: true, post: true, ..Channels::default() });
        assert_eq!(c[1], Channels { fax: true, ..Channels::default() });
        assert_eq!(c[2], Channels::default());
    }
}
