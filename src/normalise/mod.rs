//! Normalise: turn each raw canonical value into a cleaned value, a status and match keys.
//!
//! Every normaliser is a plain function from a raw string (plus the little context it needs, such
//! as the row's country) to a [`Cleaned`]. Normalisers never fail: a value they cannot repair is
//! `Invalid` and keeps its raw form in records.csv. This keeps the stage pure and easy to test
//! with tables; the pipeline decides what to write.

pub mod boolean;
pub mod channels;
pub mod columns;
pub mod company;
pub mod country;
mod country_cldr;
pub mod currency;
pub mod custom;
pub mod date;
pub mod date_order;
pub mod email;
pub mod entity;
pub mod gender;
pub mod money;
pub mod name;
pub mod orgnr;
pub mod phone;
pub mod postcode;
pub mod text;
pub mod website;

use std::fmt;

/// The verdict on one field of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Already clean: the cleaned value equals the trimmed raw value.
    Valid,
    /// Repaired into a valid value (case, spacing, a typo, a format).
    Fixed,
    /// Could not be repaired: no cleaned value, the raw value is kept.
    Invalid,
    /// Empty (or only whitespace / a placeholder such as `-` or `N/A`).
    Missing,
    /// Well-formed, but there was nothing to check it against: a postcode of a row whose
    /// country is neither given nor inferred. The tidied value is kept and used like a valid
    /// one; it is counted apart, as neither valid nor invalid.
    Unverified,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Fixed => "fixed",
            Status::Invalid => "invalid",
            Status::Missing => "missing",
            Status::Unverified => "unverified",
        }
    }
}

impl Status {
    /// The status [`Status::as_str`] names (a records.csv `status_` cell read back).
    pub fn from_name(name: &str) -> Option<Status> {
        [Status::Valid, Status::Fixed, Status::Invalid, Status::Missing, Status::Unverified]
            .into_iter()
            .find(|s| s.as_str() == name)
    }

    /// Whether a field of this status has a cleaned value.
    pub fn has_value(self) -> bool {
        !matches!(self, Status::Invalid | Status::Missing)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The result of normalising one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    /// The cleaned value; `None` exactly when the status is `Invalid` or `Missing`.
    pub value: Option<String>,
    pub status: Status,
}

impl Cleaned {
    pub fn missing() -> Cleaned {
        Cleaned { value: None, status: Status::Missing }
    }

    pub fn invalid() -> Cleaned {
        Cleaned { value: None, status: Status::Invalid }
    }

    /// A cleaned value, `Valid` when it equals the trimmed raw input, `Fixed` otherwise.
    pub fn from_raw(raw: &str, cleaned: String) -> Cleaned {
        let status = if cleaned == raw.trim() { Status::Valid } else { Status::Fixed };
        Cleaned { value: Some(cleaned), status }
    }

    pub fn fixed(cleaned: String) -> Cleaned {
        Cleaned { value: Some(cleaned), status: Status::Fixed }
    }

    pub fn valid(cleaned: String) -> Cleaned {
        Cleaned { value: Some(cleaned), status: Status::Valid }
    }

    /// A well-formed value that nothing could check (see [`Status::Unverified`]).
    pub fn unverified(cleaned: String) -> Cleaned {
        Cleaned { value: Some(cleaned), status: Status::Unverified }
    }
}

/// True when a raw value carries no information: empty, whitespace, or a placeholder that CRM
/// exports and hand-kept sheets use for "nothing here".
pub fn is_blank(raw: &str) -> bool {
    const PLACEHOLDERS: [&str; 10] = ["-", "--", "n/a", "na", "null", "none", "#n/a", "nil", "?", "."];
    let t = raw.trim();
    t.is_empty() || (t.len() <= 4 && PLACEHOLDERS.iter().any(|p| t.eq_ignore_ascii_case(p)))
}

use crate::field::{Field, Kind};
use date::{Date, DateOptions};

/// What the normalisers need beyond the value itself.
#[derive(Debug, Clone)]
pub struct Context {
    /// ISO alpha-2 country for rows that have none.
    pub default_country: Option<String>,
    pub dates: DateOptions,
    /// Per field, whether its dates are read month first (`date_order`): decided per column
    /// by [`register`]; [`Context::new`] starts every field at `dates.month_first`.
    pub month_first: [bool; Field::COUNT],
    /// The reference date: birth dates after it, or over 120 years before it, are invalid.
    pub as_of: Date,
    /// The register's majority country (`majority_country`), the last guess for a row whose
    /// country is missing and cannot be read from the row itself; set by [`register`].
    pub register_country: Option<String>,
}

/// Where the country of a row without one came from (records.csv `country_source`, report.json
/// `country_inferred`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CountryInference {
    /// A country prefix on the postcode (`DK-2100`).
    Postcode,
    /// The calling code of a phone number written in international form (`+47 455 66 765`).
    Phone,
    /// The country-code top-level domain of the e-mail address (`@firma.no`).
    Email,
    /// The country most rows of the register have.
    RegisterMajority,
}

impl CountryInference {
    pub fn name(self) -> &'static str {
        match self {
            CountryInference::Postcode => "postcode",
            CountryInference::Phone => "phone",
            CountryInference::Email => "email",
            CountryInference::RegisterMajority => "register_majority",
        }
    }
}

impl Context {
    pub fn new(default_country: Option<String>, dates: DateOptions, as_of: Date) -> Context {
        Context {
            default_country,
            month_first: [dates.month_first; Field::COUNT],
            dates,
            as_of,
            register_country: None,
        }
    }
}

/// The cleaned canonical fields of one row: for each field its status and (when valid, fixed
/// or unverified) its value, packed into one buffer (see `packed`). A row fills a third of the
/// 40 fields or fewer, so offsets are kept for the fields with a value only (found by the rank of
/// their bit in `stored`), and the statuses take 3 bits each: 88 bytes a row less than an
/// offset and status word for every field (ARCHITECTURE.md, "Memory model").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanRow {
    text: Box<str>,
    /// Per field (by [`Field::index`]), its status in 3 bits.
    statuses: u128,
    /// The fields whose value is in `text`.
    stored: u64,
    /// The end offset in `text` of each stored field's value, in field order.
    ends: Box<[u32]>,
}

/// Bits of a field's status in [`CleanRow::statuses`].
const STATUS_BITS: u32 = 3;
const _: () = assert!(Field::COUNT as u32 * STATUS_BITS <= 128 && Field::COUNT <= 64, "a row's statuses fit one u128");

impl CleanRow {
    /// Bytes this row holds, itself and its heap, for the memory model.
    pub fn bytes(&self) -> usize {
        std::mem::size_of::<CleanRow>() + self.text.len() + 4 * self.ends.len()
    }

    /// Packs one cell per canonical field, in field order.
    pub fn pack(cells: &[Cleaned]) -> CleanRow {
        debug_assert_eq!(cells.len(), Field::COUNT);
        let mut text = String::with_capacity(cells.iter().filter_map(|c| c.value.as_ref()).map(String::len).sum());
        let (mut statuses, mut stored) = (0u128, 0u64);
        let mut ends = Vec::with_capacity(cells.iter().filter(|c| c.value.is_some()).count());
        for (i, cell) in cells.iter().enumerate() {
            if let Some(v) = &cell.value {
                text.push_str(v);
                stored |= 1 << i;
                ends.push(crate::packed::offset(text.len()));
            }
            statuses |= (cell.status as u128) << (i as u32 * STATUS_BITS);
        }
        CleanRow { text: text.into_boxed_str(), statuses, stored, ends: ends.into_boxed_slice() }
    }

    /// A row where every field is missing.
    pub fn empty() -> CleanRow {
        CleanRow::pack(&vec![Cleaned::missing(); Field::COUNT])
    }

    /// The cleaned value of a field: `None` when it is missing or invalid.
    pub fn value(&self, f: Field) -> Option<&str> {
        match self.status(f) {
            Status::Valid | Status::Fixed | Status::Unverified => {
                let bit = 1u64 << f.index();
                if self.stored & bit == 0 {
                    return Some("");
                }
                let rank = (self.stored & (bit - 1)).count_ones() as usize;
                let start = if rank == 0 { 0 } else { self.ends[rank - 1] as usize };
                Some(&self.text[start..self.ends[rank] as usize])
            }
            Status::Invalid | Status::Missing => None,
        }
    }

    pub fn status(&self, f: Field) -> Status {
        match (self.statuses >> (f.index() as u32 * STATUS_BITS)) & ((1 << STATUS_BITS) - 1) {
            0 => Status::Valid,
            1 => Status::Fixed,
            2 => Status::Invalid,
            3 => Status::Missing,
            _ => Status::Unverified,
        }
    }

    /// One field as an owned cell.
    pub fn cell(&self, f: Field) -> Cleaned {
        Cleaned { value: self.value(f).map(str::to_string), status: self.status(f) }
    }

    /// Appends this row's bytes to a spill buffer (see `spill`): statuses, stored fields,
    /// offsets, text.
    pub fn spill(&self, buf: &mut Vec<u8>) {
        buf.extend_from_slice(&self.statuses.to_le_bytes());
        buf.extend_from_slice(&self.stored.to_le_bytes());
        self.ends.iter().for_each(|&e| crate::spill::put_u32(buf, e));
        buf.extend_from_slice(self.text.as_bytes());
    }

    /// Takes back a row [`CleanRow::spill`] wrote from the front of `bytes`.
    pub fn unspill(bytes: &mut &[u8]) -> std::io::Result<CleanRow> {
        use crate::spill::{damaged, take_bytes, take_str, take_u32s};
        let statuses = u128::from_le_bytes(take_bytes(bytes, 16)?.try_into().map_err(|_| damaged())?);
        let stored = u64::from_le_bytes(take_bytes(bytes, 8)?.try_into().map_err(|_| damaged())?);
        let ends = take_u32s(bytes, stored.count_ones() as usize)?;
        if ends.windows(2).any(|w| w[0] > w[1]) {
            return Err(damaged());
        }
        let text = take_str(bytes, ends.last().map_or(0, |&e| e as usize))?;
        if ends.iter().any(|&e| !text.is_char_boundary(e as usize)) {
            return Err(damaged());
        }
        Ok(CleanRow { text, statuses, stored, ends })
    }
}

/// Normalises the canonical values of one row. `raw` gives the raw value of each canonical field
/// present in the row's source (by field index, `None` where the source has no such column).
/// The country is cleaned first because phones, postcodes and org numbers depend on it.
pub fn normalise_row(raw: &[Option<&str>], ctx: &Context) -> CleanRow {
    CleanRow::pack(&normalise_cells(raw, ctx))
}

/// [`normalise_row`] as one owned cell per field.
pub fn normalise_cells(raw: &[Option<&str>], ctx: &Context) -> Vec<Cleaned> {
    normalise_cells_inferred(raw, ctx).0
}

/// [`normalise_cells`], and where the row's country came from when the row had none: a
/// missing country read from the row or the register fills the country cell (status `fixed`),
/// and the caller marks it as inferred.
pub fn normalise_cells_inferred(raw: &[Option<&str>], ctx: &Context) -> (Vec<Cleaned>, Option<CountryInference>) {
    let mut out: Vec<Cleaned> = vec![Cleaned::missing(); Field::COUNT];
    let country_cell = raw[Field::Country.index()].map(country::clean_country);
    let (country, inferred) = row_country_from(country_cell.as_ref().and_then(|c| c.value.as_deref()), raw, ctx);
    let blank = country_cell.as_ref().is_none_or(|c| c.status == Status::Missing);
    if let Some(c) = country_cell {
        out[Field::Country.index()] = c;
    }
    let inferred = inferred.filter(|_| blank);
    if let (Some(_), Some(code)) = (inferred, &country) {
        out[Field::Country.index()] = Cleaned::fixed(code.clone());
    }
    for &field in Field::ALL {
        if field == Field::Country {
            continue;
        }
        let Some(value) = raw[field.index()] else {
            continue;
        };
        out[field.index()] = normalise_value(field, value, country.as_deref(), ctx);
    }
    // A full-name column stands in for first and last name when the source has neither.
    if raw[Field::FullName.index()].is_some()
        && raw[Field::FirstName.index()].is_none()
        && raw[Field::LastName.index()].is_none()
    {
        let (first, last) = name::split_full_name(raw[Field::FullName.index()].unwrap_or(""));
        for (field, part) in [(Field::FirstName, first), (Field::LastName, last)] {
            out[field.index()] = match part {
                Some(v) => Cleaned::fixed(v),
                None => Cleaned::missing(),
            };
        }
    }
    (out, inferred)
}

/// The country a row's phones, postcodes and org numbers are read in (see `row_country_from`).
fn row_country(own: Option<&str>, raw: &[Option<&str>], ctx: &Context) -> Option<String> {
    row_country_from(own, raw, ctx).0
}

/// The country a row's phones, postcodes and org numbers are read in, and how it was inferred
/// when the row has none: the row's own (cleaned) country; else one its postcode names
/// (`DK-2100`), the calling code of a phone in international form, or its e-mail's country
/// domain; else the configured default (the user's word, not an inference); else the register's
/// majority country.
fn row_country_from(
    own: Option<&str>,
    raw: &[Option<&str>],
    ctx: &Context,
) -> (Option<String>, Option<CountryInference>) {
    if let Some(own) = own {
        return (Some(own.to_string()), None);
    }
    let phone =
        || [Field::Mobile, Field::Phone].iter().find_map(|&f| raw[f.index()].and_then(phone::country_of_international));
    let email = || raw[Field::Email.index()].and_then(email::country_of_domain);
    let postcode = raw[Field::Postcode.index()].filter(|p| !is_blank(p));
    let found = postcode
        .and_then(|p| postcode::country_from_prefix(p).or_else(|| postcode::country_from_format(p)))
        .map(|c| (c, CountryInference::Postcode))
        .or_else(|| phone().map(|c| (c, CountryInference::Phone)))
        .or_else(|| email().map(|c| (c, CountryInference::Email)));
    if let Some((code, how)) = found {
        return (Some(code.to_string()), Some(how));
    }
    if let Some(d) = &ctx.default_country {
        return (Some(d.clone()), None);
    }
    // The majority only for a row whose postcode (if any) fits the majority's format: a Dutch
    // `3511 AB` in a Norwegian register stays without a country rather than becoming invalid.
    match &ctx.register_country {
        Some(c) if postcode.is_none_or(|p| postcode::fits(p, c)) => {
            (Some(c.clone()), Some(CountryInference::RegisterMajority))
        }
        _ => (None, None),
    }
}

/// The country most rows name in their own country column (ties to the first code in
/// alphabetical order), or `None` when no row names one. Counted, never ordered by position, so
/// it does not depend on row order or thread count.
pub fn majority_country(ingested: &crate::ingest::Ingested) -> Option<String> {
    use rayon::prelude::*;
    let columns: Vec<Option<usize>> =
        ingested.sources.iter().map(|s| s.columns_by_field()[Field::Country.index()]).collect();
    majority_among(ingested.rows.par_iter().filter_map(|row| columns[row.source as usize].map(|c| &row.values[c])))
}

/// The most frequent country among raw country values (see [`majority_country`]).
fn majority_among<'a>(values: impl rayon::iter::ParallelIterator<Item = &'a str>) -> Option<String> {
    use rayon::prelude::*;
    let counts = values
        .fold(std::collections::BTreeMap::<&'static str, usize>::new, |mut m, raw| {
            if let Some(code) = country::country_alpha2(raw) {
                *m.entry(code).or_insert(0) += 1;
            }
            m
        })
        .reduce(std::collections::BTreeMap::new, |mut a, b| {
            for (k, v) in b {
                *a.entry(k).or_insert(0) += v;
            }
            a
        });
    majority_of(&counts)
}

/// The most frequent country of counts by ISO code (ties to the first code in alphabetical
/// order), or `None` for no counts. Counts of parts of a register add up to the register's (the
/// engine-free core counts a batch at a time).
pub fn majority_of<K: AsRef<str> + Ord>(counts: &std::collections::BTreeMap<K, usize>) -> Option<String> {
    let best = counts.values().copied().max()?;
    counts.iter().find(|&(_, &n)| n == best).map(|(c, _)| c.as_ref().to_string())
}

/// Normalises one value of one canonical field.
pub fn normalise_value(field: Field, raw: &str, country: Option<&str>, ctx: &Context) -> Cleaned {
    if is_blank(raw) {
        return Cleaned::missing();
    }
    match field.kind() {
        Kind::Id => text::clean_text(raw),
        Kind::Name => name::clean_name(raw),
        Kind::FullName => name::clean_name(raw),
        Kind::Gender => gender::clean_gender(raw),
        Kind::Date => {
            let opts = DateOptions { month_first: ctx.month_first[field.index()] };
            if field == Field::BirthDate {
                date::clean_birth_date(raw, &opts, ctx.as_of)
            } else {
                date::clean_date(raw, &opts)
            }
        }
        Kind::Email => email::clean_email(raw),
        Kind::Phone => phone::clean_phone(raw, country),
        Kind::Postcode => postcode::clean_postcode(raw, country),
        Kind::Country => country::clean_country(raw),
        Kind::Text => text::clean_text(raw),
        Kind::Place => text::clean_place(raw),
        Kind::OrgNumber => orgnr::clean_org_number(raw, country),
        Kind::Website => website::clean_website(raw),
        Kind::NationalId => clean_national_id(raw),
        Kind::Count => money::clean_count(raw),
        Kind::Money => money::clean_money(raw),
        Kind::Currency => currency::clean_currency(raw, country),
        Kind::Bool => permission(field, raw).unwrap_or_else(|| boolean::clean_bool(raw)),
    }
}

/// `Allow` / `Do Not Allow`: Dynamics writes its opt-out flags (`Do not allow Bulk Emails`) as
/// permissions, so in an opt-out column `Allow` means not opted out; in a consent column it
/// means consent. `None` for any other value.
fn permission(field: Field, raw: &str) -> Option<Cleaned> {
    let folded: String = raw.trim().to_lowercase().replace(['-', '_', '\u{2019}'], " ").replace("'", "");
    let folded = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    let allowed = match folded.as_str() {
        "allow" | "allowed" | "permitted" | "tillat" | "tillatt" | "tillåt" | "erlaubt" => true,
        "do not allow" | "dont allow" | "not allowed" | "disallow" | "disallowed" | "ikke tillat" | "ikke tillatt"
        | "tillåt inte" | "nicht erlaubt" => false,
        _ => return None,
    };
    let value = if field == Field::Unsubscribed { !allowed } else { allowed };
    Some(Cleaned::fixed(value.to_string()))
}

/// National ids (fødselsnummer, personnummer, BSN, PESEL, FEBRL's `soc_sec_id`) are compared
/// exactly, so we only strip the separators people type and keep letters and digits.
fn clean_national_id(raw: &str) -> Cleaned {
    let cleaned: String =
        raw.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '/' | '\u{a0}')).flat_map(char::to_uppercase).collect();
    if cleaned.is_empty() || cleaned.len() > 32 || !cleaned.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Cleaned::invalid();
    }
    Cleaned::from_raw(raw, cleaned)
}
/// The register after normalisation: the rows as read and their cleaned fields.
pub struct Register {
    pub ingested: crate::ingest::Ingested,
    pub clean: Vec<CleanRow>,
    /// Canonical fields that at least one source provides (or that are derived, such as first
    /// and last name split from a full name), in canonical order.
    pub fields_present: Vec<Field>,
    /// Each row's e-mail match key ([`email::email_key`]), computed once here for dedup and
    /// merge alike; stored only where it differs from the clean address (empty otherwise).
    email_keys: crate::packed::Strings,
    /// The phone and mobile match keys of invalid but possible numbers ([`phone::possible_key`]),
    /// for the few rows that have one.
    phone_keys: PhoneKeys,
    /// Per source, whether each field's dates are read month first (see `date_order`).
    pub month_first: Vec<[bool; Field::COUNT]>,
    /// Per source, the order decided for each date column, for the report.
    pub date_columns: Vec<Vec<date_order::DateColumn>>,
    /// The config's custom fields, cleaned (`custom::clean_all`); empty when none are declared.
    pub custom: custom::CustomValues,
    /// Per row, how its missing country was inferred (`row_country_from`); empty when no
    /// row's was.
    pub country_inferred: Vec<Option<CountryInference>>,
}

/// The cleaned rows, on disk while dedup blocks, trains and scores (see `spill`).
#[derive(Debug)]
pub struct SpilledClean(crate::spill::Spilled);

impl SpilledClean {
    /// Bytes on disk, for the memory model.
    pub fn bytes(&self) -> u64 {
        self.0.bytes()
    }

    /// The cleaned rows a batch at a time, in row order, on demand (batch for batch beside
    /// `ingest::SpilledValues::batches`).
    pub fn batches(&self) -> std::io::Result<crate::spill::Reader<'_, CleanRow>> {
        crate::spill::Batches::open(&self.0, CleanRow::unspill)
    }
}

impl Register {
    /// Moves the cleaned rows to the scratch file `path`; `clean` is empty until
    /// [`Register::restore_clean`].
    pub fn spill_clean(&mut self, path: &std::path::Path) -> std::io::Result<SpilledClean> {
        self.spill_clean_each(path, |_, _| ())
    }

    /// [`Register::spill_clean`] a batch of rows at a time, handing each batch (its range of
    /// rows) to `each` once it is on disk, then freeing it: what is taken from the rows on their
    /// way out (dedup's match keys) fills the memory they leave, instead of adding to it. Rows
    /// before the batch are already gone when `each` sees it.
    pub fn spill_clean_each(
        &mut self,
        path: &std::path::Path,
        mut each: impl FnMut(&Register, std::ops::Range<usize>),
    ) -> std::io::Result<SpilledClean> {
        let mut writer = crate::spill::Writer::create(path)?;
        let n = self.clean.len();
        let batch = crate::spill::batch_items();
        for start in (0..n).step_by(batch) {
            let range = start..(start + batch).min(n);
            writer.write(&self.clean[range.clone()], CleanRow::spill)?;
            each(self, range.clone());
            self.drop_clean_rows(range);
        }
        self.clean = Vec::new();
        Ok(SpilledClean(writer.finish()?))
    }

    /// Frees the cleaned rows `rows` that nothing reads again before [`Register::drop_clean`]
    /// (their spill file still holds them); each stays in `clean` with no value.
    pub fn drop_clean_rows(&mut self, rows: impl IntoIterator<Item = usize>) {
        for r in rows {
            self.clean[r] = CleanRow { text: Box::default(), statuses: 0, stored: 0, ends: Box::default() };
        }
    }

    /// Brings back the cleaned rows [`Register::spill_clean`] moved to disk. The file stays:
    /// the rows do not change, so [`Register::drop_clean`] can send them back without writing
    /// them again.
    pub fn restore_clean(&mut self, spilled: &SpilledClean) -> std::io::Result<()> {
        let mut clean = Vec::with_capacity(spilled.0.len());
        crate::spill::read_batches(&spilled.0, CleanRow::unspill, |_, batch| {
            clean.extend(batch);
            Ok(())
        })?;
        if clean.len() != self.ingested.rows.len() {
            return Err(crate::spill::damaged());
        }
        self.clean = clean;
        Ok(())
    }

    /// [`Register::restore_clean`] keeping only the rows `keep` names: each batch of rows comes
    /// back whole and is handed to `each` (its range of rows), then its rows not kept are freed
    /// and stay in `clean` with no value. What reads every row once (merge) reads them a batch
    /// at a time, and only the rows read again hold memory.
    pub fn restore_clean_each(
        &mut self,
        spilled: &SpilledClean,
        keep: impl Fn(usize) -> bool,
        mut each: impl FnMut(&Register, std::ops::Range<usize>),
    ) -> std::io::Result<()> {
        self.clean = Vec::with_capacity(spilled.0.len());
        let mut batches = spilled.batches()?;
        while let Some((first, batch)) = batches.next_batch()? {
            let rows = first..first + batch.len();
            self.clean.extend(batch);
            each(self, rows.clone());
            self.drop_clean_rows(rows.filter(|&r| !keep(r)));
        }
        if self.clean.len() != self.ingested.rows.len() {
            return Err(crate::spill::damaged());
        }
        Ok(())
    }

    /// The rows as read, the cleaned ones dropped (to read them again without some rows).
    pub fn into_ingested(self) -> crate::ingest::Ingested {
        self.ingested
    }

    /// Frees the cleaned rows brought back from `spilled` (which still holds them).
    pub fn drop_clean(&mut self, _spilled: &SpilledClean) {
        self.clean = Vec::new();
    }

    pub fn new(ingested: crate::ingest::Ingested, clean: Vec<CleanRow>, fields_present: Vec<Field>) -> Register {
        use rayon::prelude::*;
        let keys: Vec<Option<String>> = clean
            .par_iter()
            .map(|c| {
                let e = c.value(Field::Email)?;
                let key = email::email_key(e);
                (key != e).then_some(key)
            })
            .collect();
        let email_keys = crate::packed::Strings::new(keys.iter().map(|k| k.as_deref().unwrap_or("")));
        Register {
            ingested,
            clean,
            fields_present,
            email_keys,
            phone_keys: PhoneKeys::default(),
            month_first: Vec::new(),
            date_columns: Vec::new(),
            custom: Default::default(),
            country_inferred: Vec::new(),
        }
    }

    /// How row `i`'s country was inferred, if it was.
    pub fn country_inference(&self, i: usize) -> Option<CountryInference> {
        self.country_inferred.get(i).copied().flatten()
    }

    /// Rows whose country was inferred, by how (`CountryInference::name`).
    pub fn country_inferred_counts(&self) -> std::collections::BTreeMap<&'static str, usize> {
        let mut out = std::collections::BTreeMap::new();
        for how in self.country_inferred.iter().flatten() {
            *out.entry(how.name()).or_insert(0) += 1;
        }
        out
    }

    /// Row `i`'s e-mail match key: two rows reach the same mailbox when their keys are equal.
    /// Empty when the row has no clean e-mail.
    pub fn email_key(&self, i: usize) -> &str {
        match self.email_keys.get(i) {
            "" => self.clean[i].value(Field::Email).unwrap_or(""),
            key => key,
        }
    }

    /// Row `i`'s phone and mobile match keys for dedup where the number is invalid but possible
    /// ([`phone::possible_key`]): the number in E.164, though its status stays invalid and it
    /// has no cleaned value. Empty where the row has none (a valid, missing or impossible number).
    pub fn phone_keys(&self, i: usize) -> [&str; 2] {
        self.phone_keys.get(i)
    }
}

/// The phone and mobile match keys of the rows with an invalid but possible number, by row. Such
/// rows are few, so only they are stored: their indices, sorted, and two keys each (phone, then
/// mobile; empty when that field has none). Nothing is allocated when no row has one.
#[derive(Debug, Default)]
struct PhoneKeys {
    rows: Box<[u32]>,
    keys: crate::packed::Strings,
}

impl PhoneKeys {
    /// Joins the keys found in consecutive runs of rows.
    fn concat(parts: Vec<PhoneKeys>) -> PhoneKeys {
        let mut parts: Vec<PhoneKeys> = parts.into_iter().filter(|p| !p.rows.is_empty()).collect();
        if parts.len() <= 1 {
            return parts.pop().unwrap_or_default();
        }
        PhoneKeys {
            rows: parts.iter().flat_map(|p| p.rows.iter().copied()).collect(),
            keys: crate::packed::Strings::new(parts.iter().flat_map(|p| p.keys.iter())),
        }
    }

    fn get(&self, i: usize) -> [&str; 2] {
        match u32::try_from(i).ok().and_then(|i| self.rows.binary_search(&i).ok()) {
            Some(at) => [self.keys.get(2 * at), self.keys.get(2 * at + 1)],
            None => ["", ""],
        }
    }
}

/// The phone keys of the rows whose phone or mobile is invalid (see [`Register::phone_keys`]),
/// read from the raw value in the country the row's numbers were read in. Packed per chunk of
/// rows as they are found, so a large register holds no per-key allocations.
fn phone_keys(
    ingested: &crate::ingest::Ingested,
    clean: &[CleanRow],
    columns: &[columns::FieldColumns],
    contexts: &[Context],
) -> PhoneKeys {
    use rayon::prelude::*;
    const FIELDS: [Field; 2] = [Field::Phone, Field::Mobile];
    const CHUNK: usize = 4096;
    let parts: Vec<PhoneKeys> = clean
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(n, chunk)| {
            let mut rows: Vec<u32> = Vec::new();
            let mut keys: Vec<String> = Vec::new();
            for (k, c) in chunk.iter().enumerate() {
                if !FIELDS.iter().any(|&f| c.status(f) == Status::Invalid) {
                    continue;
                }
                let i = n * CHUNK + k;
                let row = &ingested.rows[i];
                let cols = columns[row.source as usize].row(&row.values);
                let raw: Vec<Option<&str>> = cols.iter().map(|c| c.map(|j| &row.values[j])).collect();
                let country = row_country(c.value(Field::Country), &raw, &contexts[row.source as usize]);
                let found = FIELDS.map(|f| {
                    let value = raw[f.index()].filter(|_| c.status(f) == Status::Invalid)?;
                    phone::possible_key(value, country.as_deref())
                });
                if found.iter().any(Option::is_some) {
                    rows.push(crate::packed::offset(i));
                    keys.extend(found.map(Option::unwrap_or_default));
                }
            }
            PhoneKeys { rows: rows.into(), keys: crate::packed::Strings::new(keys.iter().map(String::as_str)) }
        })
        .collect();
    PhoneKeys::concat(parts)
}

/// One row's cleaned fields, from its original `values` (one per column of its source, whose
/// columns are `columns` and `channels`), and where its country came from when it had none.
pub fn normalise_values(
    values: &crate::packed::Strings,
    columns: &columns::FieldColumns,
    channels: &channels::ChannelColumns,
    ctx: &Context,
) -> (CleanRow, Option<CountryInference>) {
    let cols = columns.row(values);
    let raw: Vec<Option<&str>> = cols.iter().map(|c| c.map(|i| &values[i])).collect();
    let (mut cells, inferred) = normalise_cells_inferred(&raw, ctx);
    if channels.combine() {
        channels.read(|i| &values[i], ctx, &mut cells);
    }
    (CleanRow::pack(&cells), inferred)
}

/// The canonical fields a register has: a field counts when any source maps a column to it,
/// a full-name column without first and last name provides both, and an inferred country
/// (`inferred`: some row's was) is a country the register has, though no column gave it.
pub fn fields_present(columns: &[columns::FieldColumns], inferred: bool) -> Vec<Field> {
    let mut present = [false; Field::COUNT];
    for cols in columns {
        let read = cols.fields_read();
        for (i, r) in read.iter().enumerate() {
            present[i] |= r;
        }
        if read[Field::FullName.index()] && !read[Field::FirstName.index()] && !read[Field::LastName.index()] {
            present[Field::FirstName.index()] = true;
            present[Field::LastName.index()] = true;
        }
    }
    present[Field::Country.index()] |= inferred;
    Field::ALL.iter().copied().filter(|f| present[f.index()]).collect()
}

/// Normalises every accepted row (in parallel, order kept) and notes which canonical fields the
/// register has: a field counts when any source maps a column to it, and a full-name column
/// without first and last name provides both. Dates are read in the order decided per column
/// ([`date_order::decide`]) unless `date_order_fixed`.
pub fn register(
    ingested: crate::ingest::Ingested,
    ctx: &Context,
    date_order_fixed: bool,
    progress: &dyn crate::progress::Progress,
) -> Register {
    use rayon::prelude::*;
    let (orders, date_columns) = date_order::decide(&ingested, ctx.dates.month_first, date_order_fixed);
    let register_country = majority_country(&ingested);
    let contexts: Vec<Context> = orders
        .iter()
        .map(|&month_first| Context { month_first, register_country: register_country.clone(), ..ctx.clone() })
        .collect();
    let columns: Vec<columns::FieldColumns> = ingested.sources.iter().map(columns::FieldColumns::new).collect();
    let channels: Vec<channels::ChannelColumns> =
        ingested.sources.iter().map(|s| channels::ChannelColumns::new(s.channel_columns())).collect();
    progress.stage("normalise", ingested.rows.len() as u64);
    // Chunks of rows, so that progress is reported once per chunk rather than per row; the
    // rows keep their order.
    const CHUNK: usize = 4096;
    let (clean, country_inferred): (Vec<CleanRow>, Vec<Option<CountryInference>>) = ingested
        .rows
        .par_chunks(CHUNK)
        .flat_map_iter(|rows| {
            let cleaned: Vec<(CleanRow, Option<CountryInference>)> = rows
                .iter()
                .map(|row| {
                    let s = row.source as usize;
                    normalise_values(&row.values, &columns[s], &channels[s], &contexts[s])
                })
                .collect();
            progress.advance(rows.len() as u64);
            cleaned
        })
        .unzip();
    progress.finish();
    let fields_present = fields_present(&columns, country_inferred.iter().any(Option::is_some));
    let phone_keys = phone_keys(&ingested, &clean, &columns, &contexts);
    let mut register = Register::new(ingested, clean, fields_present);
    register.phone_keys = phone_keys;
    register.month_first = orders;
    register.date_columns = date_columns;
    if country_inferred.iter().any(Option::is_some) {
        register.country_inferred = country_inferred;
    }
    register
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_packed_row_gives_back_every_cell_as_it_was_packed() {
        // Every status in turn, with values of several lengths and one valid empty value.
        let cells: Vec<Cleaned> = (0..Field::COUNT)
            .map(|i| match i % 5 {
                0 => Cleaned::valid("v".repeat(i)),
                1 => Cleaned::fixed(format!("fixed {i}")),
                2 => Cleaned::invalid(),
                3 => Cleaned::missing(),
                _ => Cleaned::unverified(format!("u{i}")),
            })
            .collect();
        let row = CleanRow::pack(&cells);
        for (f, cell) in Field::ALL.iter().zip(&cells) {
            assert_eq!(row.cell(*f), *cell, "{}", f.name());
        }
        assert_eq!(row.value(Field::ALL[0]), Some(""), "a valid empty value is empty, not missing");
        assert_eq!(row.ends.len(), cells.iter().filter(|c| c.value.is_some()).count());
        assert_eq!(CleanRow::empty().value(Field::Email), None);
        // Spilled and read back (`spill`), the row is the same row, and takes only its bytes.
        let mut buf = Vec::new();
        row.spill(&mut buf);
        CleanRow::empty().spill(&mut buf);
        let mut rest = &buf[..];
        assert_eq!(CleanRow::unspill(&mut rest).unwrap(), row);
        assert_eq!(CleanRow::unspill(&mut rest).unwrap(), CleanRow::empty());
        assert!(rest.is_empty());
        assert!(CleanRow::unspill(&mut &buf[..buf.len() / 2]).is_err(), "a row cut short is refused");
    }
    use super::*;

    /// The cleaned rows wait on disk while dedup links (`Register::spill_clean`) and come back
    /// as they were.
    #[test]
    fn spilled_cleaned_rows_come_back_as_they_were() {
        let ctx = Context::new(None, DateOptions { month_first: false }, Date::parse_iso("2025-06-01").unwrap());
        let mut ingested = crate::ingest::Ingested::default();
        let mut clean = Vec::new();
        for i in 0..20_000u32 {
            let mut raw: Vec<Option<&str>> = vec![None; Field::COUNT];
            let email = format!("p{i}@example.com");
            let name = format!("Kari {i}");
            raw[Field::Email.index()] = Some(&email);
            raw[Field::FirstName.index()] = Some(if i % 3 == 0 { "" } else { &name });
            raw[Field::Country.index()] = Some("NO");
            clean.push(normalise_row(&raw, &ctx));
            ingested.rows.push(crate::ingest::Row::new(0, i + 2, crate::packed::Strings::new([])));
        }
        let mut register = Register::new(ingested, clean.clone(), Vec::new());
        let path = std::env::temp_dir().join(format!("regclean-clean-{}.spill", std::process::id()));
        let spilled = register.spill_clean(&path).unwrap();
        assert!(register.clean.is_empty());
        register.restore_clean(&spilled).unwrap();
        assert_eq!(register.clean, clean);
        register.drop_clean(&spilled);
        assert!(register.clean.is_empty());
        register.restore_clean(&spilled).unwrap();
        assert_eq!(register.clean, clean, "read back twice from one file");
        drop(spilled);
        assert!(!path.exists());
    }

    /// Issue 25: `455 66 765` with a Norwegian postcode and city and no country was invalid.
    #[test]
    fn a_missing_country_is_inferred_and_marked() {
        let mut ctx = Context::new(None, DateOptions { month_first: false }, Date::parse_iso("2025-06-01").unwrap());
        let row = |values: &[(Field, &'static str)]| {
            let mut raw: Vec<Option<&str>> = vec![None; Field::COUNT];
            raw[Field::Country.index()] = Some("");
            for &(f, v) in values {
                raw[f.index()] = Some(v);
            }
            raw
        };
        let phone = [(Field::Phone, "455 66 765"), (Field::Postcode, "0150"), (Field::City, "Oslo")];
        // (register majority, row, phone, country, how)
        type Case = (
            Option<&'static str>,
            Vec<(Field, &'static str)>,
            Option<&'static str>,
            Option<&'static str>,
            Option<CountryInference>,
        );
        let cases: Vec<Case> = vec![
            (Some("NO"), phone.to_vec(), Some("+4745566765"), Some("NO"), Some(CountryInference::RegisterMajority)),
            (None, phone.to_vec(), None, None, None),
            (Some("SE"), vec![(Field::Mobile, "+47 455 66 765")], None, Some("NO"), Some(CountryInference::Phone)),
            (
                Some("NO"),
                vec![(Field::Email, "a@firma.dk"), (Field::Phone, "35 37 58 02")],
                Some("+4535375802"),
                Some("DK"),
                Some(CountryInference::Email),
            ),
            (Some("NO"), vec![(Field::Postcode, "DK-2100")], None, Some("DK"), Some(CountryInference::Postcode)),
            (
                Some("NO"),
                vec![(Field::Postcode, "3511 AB"), (Field::City, "Utrecht")],
                None,
                Some("NL"),
                Some(CountryInference::Postcode),
            ),
            (Some("NO"), vec![(Field::Postcode, "12345")], None, None, None),
            (Some("NO"), vec![(Field::Country, "Sverige"), (Field::Email, "a@firma.dk")], None, Some("SE"), None),
            (Some("NO"), vec![(Field::Country, "Narnia")], None, None, None),
        ];
        for (majority, values, phone, country, how) in cases {
            ctx.register_country = majority.map(str::to_string);
            let (cells, inferred) = normalise_cells_inferred(&row(&values), &ctx);
            assert_eq!(cells[Field::Phone.index()].value.as_deref(), phone, "{values:?}");
            assert_eq!(cells[Field::Country.index()].value.as_deref(), country, "{values:?}");
            assert_eq!(inferred, how, "{values:?}");
        }
        // The configured default is the user's word, not an inference.
        ctx.default_country = Some("NO".into());
        assert_eq!(normalise_cells_inferred(&row(&phone), &ctx).1, None);
    }

    /// Issue 25: postcode `456` in a row with no country was called valid.
    #[test]
    fn a_postcode_without_a_country_is_unverified() {
        let mut ctx = Context::new(None, DateOptions { month_first: false }, Date::parse_iso("2025-06-01").unwrap());
        let row = |values: &[(Field, &'static str)]| {
            let mut raw: Vec<Option<&str>> = vec![None; Field::COUNT];
            for &(f, v) in values {
                raw[f.index()] = Some(v);
            }
            raw
        };
        let postcode = |values: &[(Field, &'static str)], ctx: &Context| {
            let row = CleanRow::pack(&normalise_cells(&row(values), ctx));
            (row.value(Field::Postcode).map(str::to_string), row.status(Field::Postcode))
        };
        // Postcodes that fit no checked country's format, or several: nothing says whose they are.
        assert_eq!(postcode(&[(Field::Postcode, "12345")], &ctx), (Some("12345".into()), Status::Unverified));
        assert_eq!(postcode(&[(Field::Postcode, " k1a  0b1 ")], &ctx), (Some("K1A 0B1".into()), Status::Unverified));
        // A country given, inferred or configured: judged as before.
        assert_eq!(
            postcode(&[(Field::Postcode, "0150"), (Field::Country, "NO")], &ctx),
            (Some("0150".into()), Status::Valid)
        );
        assert_eq!(postcode(&[(Field::Postcode, "45"), (Field::Country, "Norge")], &ctx), (None, Status::Invalid));
        assert_eq!(
            postcode(&[(Field::Postcode, "90210"), (Field::Country, "US")], &ctx),
            (Some("90210".into()), Status::Valid)
        );
        assert_eq!(postcode(&[(Field::Postcode, "DK-2100")], &ctx), (Some("2100".into()), Status::Fixed));
        ctx.register_country = Some("NO".into());
        assert_eq!(postcode(&[(Field::Postcode, "0150")], &ctx), (Some("0150".into()), Status::Valid));
        ctx.register_country = None;
        ctx.default_country = Some("SE".into());
        assert_eq!(postcode(&[(Field::Postcode, "11122")], &ctx), (Some("111 22".into()), Status::Fixed));
    }

    /// Every status survives packing, beside values of every length.
    #[test]
    fn statuses_pack_and_unpack() {
        let statuses = [Status::Valid, Status::Fixed, Status::Invalid, Status::Missing, Status::Unverified];
        let cells: Vec<Cleaned> = (0..Field::COUNT)
            .map(|i| match statuses[i % statuses.len()] {
                Status::Invalid => Cleaned::invalid(),
                Status::Missing => Cleaned::missing(),
                status => Cleaned { value: Some("x".repeat(i)), status },
            })
            .collect();
        let row = CleanRow::pack(&cells);
        for (i, &f) in Field::ALL.iter().enumerate() {
            assert_eq!(row.cell(f), cells[i], "{f}");
        }
    }

    #[test]
    fn the_register_majority_does_not_depend_on_row_order() {
        use rayon::prelude::*;
        let m = |values: &[&str]| majority_among(values.par_iter().copied());
        assert_eq!(m(&["Norge", "SE", "NO", "Sverige"]).as_deref(), Some("NO"), "a tie: the first code");
        assert_eq!(m(&["Sverige", "NO", "SE", "Norge", "se"]).as_deref(), Some("SE"));
        assert_eq!(m(&["se", "Norge", "NO", "SE", "Sverige"]).as_deref(), Some("SE"));
        assert_eq!(m(&["", "Narnia"]), None);
    }

    #[test]
    fn permissions_read_by_the_column_they_are_in() {
        let ctx = Context::new(None, DateOptions { month_first: false }, Date::parse_iso("2025-06-01").unwrap());
        let v = |f: Field, raw: &str| normalise_value(f, raw, None, &ctx).value;
        assert_eq!(v(Field::Unsubscribed, "Do Not Allow").as_deref(), Some("true"));
        assert_eq!(v(Field::Unsubscribed, "Allow").as_deref(), Some("false"));
        assert_eq!(v(Field::EmailConsent, "Allow").as_deref(), Some("true"));
        assert_eq!(v(Field::EmailConsent, "don't allow").as_deref(), Some("false"));
        assert_eq!(v(Field::Unsubscribed, "yes").as_deref(), Some("true"));
    }

    /// Phone keys are stored for the few rows that have one, found per chunk and joined in row
    /// order; any other row has none.
    #[test]
    fn phone_keys_by_row() {
        let part = |rows: &[u32], keys: &[&str]| PhoneKeys {
            rows: rows.into(),
            keys: crate::packed::Strings::new(keys.iter().copied()),
        };
        let keys = PhoneKeys::concat(vec![
            part(&[], &[]),
            part(&[3], &["+4712345670", ""]),
            part(&[], &[]),
            part(&[4100, 5000], &["", "+447700900123", "+4712345671", "+46750300002"]),
        ]);
        assert_eq!(keys.get(3), ["+4712345670", ""]);
        assert_eq!(keys.get(4100), ["", "+447700900123"]);
        assert_eq!(keys.get(5000), ["+4712345671", "+46750300002"]);
        for i in [0, 2, 4, 4099, 4101, 5001, usize::MAX] {
            assert_eq!(keys.get(i), ["", ""], "{i}");
        }
        let none = PhoneKeys::concat(vec![part(&[], &[]), part(&[], &[])]);
        assert_eq!(none.get(0), ["", ""]);
        let register = Register::new(Default::default(), vec![CleanRow::empty()], vec![]);
        assert_eq!(register.phone_keys(0), ["", ""]);
    }
}
