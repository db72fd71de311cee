//! regclean-synth: write a synthetic customer register whose truth is known, so that regclean can
//! be benchmarked at any size and its dedup scored (pairwise F1) without touching real personal
//! data.
//!
//! A dev tool, not part of the library: it lives in its own workspace member so that the
//! `regclean` library holds only what users run, and it depends on nothing from it. The
//! `regclean generate` subcommand is a thin caller of [`generate`].
//!
//! Every data row carries an `entity_id` as its last column: rows with the same id are the same
//! person, rows with different ids are different people, however alike they look. The register is
//! a HubSpot-style contact export (English headers) with people from NO, SE, DK, NL, PL, DE and GB,
//! drawn from national name, street and city pools with real postcode shapes, valid-shaped phone
//! numbers and e-mail addresses built from the name.
//!
//! What makes the truth hard, on purpose:
//! - Look-alikes, which are different entities: households (same surname, address and landline in
//!   `Phone Number`; own first names, birth dates, mobiles, e-mails), twins (same surname, birth
//!   date and address), namesakes (same first and last name, other birth date, city and contacts),
//!   Polish spouses (`Kowalski`/`Kowalska` at one address) and father and son with the same full
//!   name at one address, born 25 to 40 years apart.
//! - Duplicates, which are the same entity: `duplicate_share` of all rows are extra records of an
//!   entity already written (1 to 3 extras per duplicated entity), each with 1 to 3 corruptions: a
//!   typo in a name, a true nickname, first and last name swapped, ALL CAPS or lower case,
//!   diacritics stripped, a married woman's new surname, a new e-mail at another provider or a
//!   typo in the e-mail domain, the phone written another way or missing, a move to a new
//!   address, a postcode without its formatting, the birth date in another format, missing or
//!   with one digit wrong, and missing fields. A duplicate always keeps its e-mail or its mobile,
//!   or else its name, birth date and address, so a careful person could still match it.
//!
//! Invariants: the same options give byte-identical output on any machine (a hand-written
//! splitmix64 drives everything, and no transcendental float function is used; the CSV writer's
//! quoting and line ends are pinned in `csv_writer`); distinct
//! entities never share an e-mail address or a mobile (up to 10 million entities); no field holds
//! a line break, so the file has exactly `rows + 1` lines; duplicates are never next to their
//! original or to each other.
//!
//! Rows are streamed: an entity is regenerated from its seed when a later duplicate of it is
//! written, so memory stays a few kilobytes of pending duplicates whatever the row count.

pub mod campaign;
mod fixtures;
mod pools;

pub use fixtures::{FEBRL1, FixturesSummary, write_fixtures};

use pools::{COUNTRIES, Cc, City, Country, GB_INWARD_LETTERS, INDUSTRIES, NL_LETTERS, SOURCES};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::{self, Write};

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateOptions {
    /// Data rows to write (the header line is extra).
    pub rows: usize,
    /// Same seed and options give byte-identical output.
    pub seed: u64,
    /// Share of rows that are extra records of an entity already written (default 0.25, at most
    /// 0.7).
    pub duplicate_share: f64,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions { rows: 1000, seed: 42, duplicate_share: 0.25 }
    }
}

/// What was generated, for the caller to print.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GenerateSummary {
    /// Data rows written.
    pub rows: usize,
    /// Distinct `entity_id` values.
    pub entities: usize,
    /// Households (2 to 4 entities sharing surname, address and landline).
    pub households: usize,
    /// Pairs of twins.
    pub twins: usize,
    /// Pairs of namesakes.
    pub namesakes: usize,
    /// Pairs of Polish spouses (`Kowalski` and `Kowalska`).
    pub spouses: usize,
    /// Pairs of a father and son with the same full name at the same address.
    pub fathers_and_sons: usize,
    /// Rows that are extra records of an entity (`rows - entities`).
    pub duplicates: usize,
}

/// The header, in output order; `entity_id` (the truth) is last.
pub const HEADER: [&str; 27] = [
    "Record ID",
    "First Name",
    "Last Name",
    "Email",
    "Phone Number",
    "Mobile Phone Number",
    "Street Address",
    "Postal Code",
    "City",
    "Country/Region",
    "Date of Birth",
    "Gender",
    "Company Name",
    "Organisation Number",
    "Industry",
    "Number of Employees",
    "Create Date",
    "Last Activity Date",
    "Number of Orders",
    "Total Revenue",
    "Last Order Date",
    "Marketing Email Consent",
    "SMS Consent",
    "Email Bounced",
    "Unsubscribed",
    "Original Source",
    "entity_id",
];

const RECORD_ID: usize = 0;
const FIRST: usize = 1;
const LAST: usize = 2;
const EMAIL: usize = 3;
const PHONE: usize = 4;
const MOBILE: usize = 5;
const STREET: usize = 6;
const POSTCODE: usize = 7;
const CITY: usize = 8;
const COUNTRY: usize = 9;
const BIRTH: usize = 10;
const GENDER: usize = 11;
const COMPANY: usize = 12;
const ORG_NUMBER: usize = 13;
const INDUSTRY: usize = 14;
const EMPLOYEES: usize = 15;
const CREATED: usize = 16;
const LAST_ACTIVITY: usize = 17;
const ORDERS: usize = 18;
const REVENUE: usize = 19;
const LAST_ORDER: usize = 20;
const EMAIL_CONSENT: usize = 21;
const SMS_CONSENT: usize = 22;
const BOUNCED: usize = 23;
const UNSUBSCRIBED: usize = 24;
const SOURCE: usize = 25;
const ENTITY_ID: usize = 26;

/// Highest `duplicate_share` accepted: above it most entities would need more than 3 extras.
const MAX_DUPLICATE_SHARE: f64 = 0.7;

/// Writes a CSV register (UTF-8, comma, header line, `\n` line ends) with an `entity_id` truth
/// column as the last column. Fails only on a write error or a `duplicate_share` outside
/// `0.0..=0.7`.
pub fn generate(opts: &GenerateOptions, out: &mut dyn Write) -> io::Result<GenerateSummary> {
    let share = opts.duplicate_share;
    if !(0.0..=MAX_DUPLICATE_SHARE).contains(&share) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("duplicate_share must be between 0 and {MAX_DUPLICATE_SHARE}, found {share}"),
        ));
    }
    let (entities, duplicates) = split_rows(opts.rows, share);
    let ctx = Ctx::new(opts.seed, opts.rows, entities);
    let mut out = csv_writer(out);
    out.write_record(HEADER)?;

    let mut summary = GenerateSummary { rows: opts.rows, entities, duplicates, ..Default::default() };
    let mut plan_rng = Rng::derive(opts.seed, TAG_PLAN, 0, 0);
    let mut pending: BinaryHeap<Reverse<Pending>> = BinaryHeap::new();
    let mut rec = Record::default();
    let mut scratch = Scratch::default();
    let mut record_no = 0u64;
    let mut seq = 0u64;
    let mut dups_left = duplicates as u64;
    let total = entities as u64;
    let (mut entity, mut group) = (0u64, 0u64);
    while entity < total {
        let (kind, size) = choose_kind(&mut plan_rng, total - entity);
        match kind {
            Kind::Household => summary.households += 1,
            Kind::Twins => summary.twins += 1,
            Kind::Namesakes => summary.namesakes += 1,
            Kind::Spouses => summary.spouses += 1,
            Kind::FatherSon => summary.fathers_and_sons += 1,
            Kind::Single => {}
        }
        let plan = plan_group(&ctx, group, kind, size);
        for member in 0..size {
            let e = entity + u64::from(member);
            let person = Person::new(&ctx, &plan, member, e);
            rec.fill_base(&ctx, &plan, &person, e);
            record_no += 1;
            rec.emit(&ctx, record_no, &mut out)?;

            let extras = choose_extras(&mut plan_rng, e, total, dups_left);
            dups_left -= extras;
            let mut due = e;
            for dup in 0..extras {
                // Log-uniform gaps: most duplicates land near their original, some far away. Gaps
                // of at least one entity keep a duplicate off its original's and its siblings'
                // lines; the cap keeps the last one before the end of the file.
                let gap = plan_rng.log_uniform(ctx.gap_bits + 1);
                due = (due + 1 + gap).min(total - 1 - (extras - 1 - dup));
                seq += 1;
                let dup = dup as u8;
                pending.push(Reverse(Pending { due, seq, entity: e, group, member, kind, size, dup }));
            }
            while let Some(Reverse(p)) = pending.peek().copied() {
                if p.due > e {
                    break;
                }
                pending.pop();
                let plan = plan_group(&ctx, p.group, p.kind, p.size);
                let person = Person::new(&ctx, &plan, p.member, p.entity);
                rec.fill_base(&ctx, &plan, &person, p.entity);
                rec.corrupt(&ctx, &plan, &person, p.entity, p.dup, &mut scratch);
                record_no += 1;
                rec.emit(&ctx, record_no, &mut out)?;
            }
        }
        entity += u64::from(size);
        group += 1;
    }
    debug_assert!(pending.is_empty() && dups_left == 0 && record_no == opts.rows as u64);
    out.flush()?;
    Ok(summary)
}

/// The CSV writer for the register: comma, `\n` line ends, and a field quoted only when it holds
/// a comma, a quote or a line break (quotes doubled inside). Leading and trailing spaces are kept
/// unquoted. Registers written before the generator used the `csv` crate had exactly this shape,
/// and benchmarks and tests compare against them, so these settings must not change.
fn csv_writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .delimiter(b',')
        .quote(b'"')
        .double_quote(true)
        .quote_style(csv::QuoteStyle::Necessary)
        .terminator(csv::Terminator::Any(b'\n'))
        .has_headers(false)
        .buffer_capacity(1 << 16)
        .from_writer(out)
}

/// Entities and duplicate rows for `rows` rows: duplicates are `share` of the rows, lowered only
/// when there are too few entities to carry them (tiny registers).
fn split_rows(rows: usize, share: f64) -> (usize, usize) {
    let mut dups = ((rows as f64) * share).round() as usize;
    dups = dups.min(rows);
    while dups > 0 && dups as u64 > extras_capacity((rows - dups) as u64) {
        dups -= 1;
    }
    (rows - dups, dups)
}

/// How many extras `n` entities can carry when the entity `t` places from the end can have at
/// most `min(3, t)` (each extra needs a later base row to sit behind).
fn extras_capacity(n: u64) -> u64 {
    if n <= 3 { n * n.saturating_sub(1) / 2 } else { 3 + 3 * (n - 3) }
}

// ---------------------------------------------------------------------------------------------
// Randomness

/// splitmix64: tiny, fast, and the same on every platform.
#[derive(Debug, Clone)]
struct Rng(u64);

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;
const TAG_PLAN: u64 = 0x504c_414e;
const TAG_GROUP: u64 = 0x4752_4f55;
const TAG_MEMBER: u64 = 0x4d45_4d42;
const TAG_CRM: u64 = 0x4352_4d00;
const TAG_DUP: u64 = 0x4455_5000;
const TAG_PERM: u64 = 0x5045_524d;

fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// An independent stream for (tag, a, b): lets any entity be regenerated on its own.
    fn derive(seed: u64, tag: u64, a: u64, b: u64) -> Rng {
        let h = mix64(seed.wrapping_add(GOLDEN) ^ tag);
        let h = mix64(h.wrapping_add(GOLDEN) ^ a);
        Rng(mix64(h.wrapping_add(GOLDEN) ^ b))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix64(self.0)
    }

    /// Uniform in `0..n` (multiply-shift; the bias is far below anything a test could see).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) * (1.0 / (1u64 << 53) as f64) < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// Roughly log-uniform in `0..2^(bits - 1)`: small values common, large ones possible.
    fn log_uniform(&mut self, bits: u64) -> u64 {
        let b = self.below(bits);
        self.below(1 << b)
    }

    /// An index skewed to the head of the list (for "most common first" pools).
    fn index_front(&mut self, len: usize) -> usize {
        self.index(len).min(self.index(len))
    }
}

/// A bijection on `0..m` (m a power of ten): gives every entity its own subscriber number or
/// e-mail suffix without storing which ones are taken.
#[derive(Debug, Clone, Copy)]
struct Affine {
    a: u64,
    b: u64,
    m: u64,
}

impl Affine {
    fn new(rng: &mut Rng, m: u64) -> Affine {
        // Coprime with 10^k: odd and not a multiple of 5.
        let mut a = rng.below(m) | 1;
        if a.is_multiple_of(5) {
            a = (a + 2) % m;
        }
        Affine { a, b: rng.below(m), m }
    }

    fn apply(&self, n: u64) -> u64 {
        ((u128::from(self.a) * u128::from(n % self.m) + u128::from(self.b)) % u128::from(self.m)) as u64
    }
}

/// Per-run constants.
struct Ctx {
    seed: u64,
    mobile_perm: Affine,
    landline_perm: Affine,
    email_perm: Affine,
    record_width: usize,
    entity_width: usize,
    /// Duplicates are scheduled up to 2^gap_bits entities after their original.
    gap_bits: u64,
}

impl Ctx {
    fn new(seed: u64, rows: usize, entities: usize) -> Ctx {
        let mut r = Rng::derive(seed, TAG_PERM, 0, 0);
        let mut email_m = 1000u64;
        while email_m < entities as u64 {
            email_m *= 10;
        }
        let quarter = (entities as u64 / 4).max(1);
        Ctx {
            seed,
            mobile_perm: Affine::new(&mut r, 10_000_000),
            landline_perm: Affine::new(&mut r, 10_000_000),
            email_perm: Affine::new(&mut r, email_m),
            record_width: digits(rows as u64).max(7),
            entity_width: digits(entities as u64).max(6),
            gap_bits: u64::from(64 - quarter.leading_zeros()).min(15),
        }
    }
}

fn digits(mut n: u64) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

// ---------------------------------------------------------------------------------------------
// Population: groups of entities, each regenerated from (seed, group) on demand

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Single,
    Household,
    Twins,
    Namesakes,
    Spouses,
    FatherSon,
}

/// A duplicate waiting for its place in the file; ordered by `due` (an entity index) then `seq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Pending {
    due: u64,
    seq: u64,
    entity: u64,
    group: u64,
    member: u8,
    kind: Kind,
    size: u8,
    dup: u8,
}

/// Group kinds per 1000 groups; each look-alike kind ends up 2 to 4% of entities.
fn choose_kind(r: &mut Rng, remaining: u64) -> (Kind, u8) {
    let roll = r.below(1000);
    let (kind, size) = match roll {
        0..16 => (Kind::Household, 2 + r.below(3) as u8),
        16..26 => (Kind::Twins, 2),
        26..41 => (Kind::Namesakes, 2),
        41..51 => (Kind::Spouses, 2),
        51..61 => (Kind::FatherSon, 2),
        _ => (Kind::Single, 1),
    };
    if u64::from(size) > remaining { (Kind::Single, 1) } else { (kind, size) }
}

/// Extras for entity `e`: aims at the remaining average, and is forced up or down near the end
/// so that exactly `dups_left` are placed in total.
fn choose_extras(r: &mut Rng, e: u64, total: u64, dups_left: u64) -> u64 {
    let after = total - 1 - e;
    let max = dups_left.min(3).min(after);
    let min = dups_left.saturating_sub(extras_capacity(after));
    let mean = dups_left as f64 / (total - e) as f64;
    let k = if mean <= 1.5 {
        if r.chance(mean / 1.5) {
            match r.below(20) {
                0..13 => 1,
                13..17 => 2,
                _ => 3,
            }
        } else {
            0
        }
    } else {
        mean as u64 + u64::from(r.chance(mean - (mean as u64) as f64))
    };
    k.clamp(min, max)
}

#[derive(Clone, Copy)]
struct Address {
    street: &'static str,
    number: u32,
    /// Country-specific extra: flat, floor and side, apartment or house letter; 0 for none.
    extra: u32,
    city: &'static City,
    post: u32,
    letters: [u8; 3],
}

#[derive(Debug, Clone, Copy)]
struct Phone {
    landline: bool,
    prefix: &'static str,
    sub: u64,
}

#[derive(Debug, Clone, Copy)]
struct Member {
    female: bool,
    first: &'static str,
    /// Days since 1970-01-01.
    birth: i64,
    /// City index, used by namesakes, who live in different cities.
    city: usize,
}

/// What the members of a group share, plus each member's identity.
struct Group {
    kind: Kind,
    country: &'static Country,
    surname: &'static str,
    address: Address,
    landline: Option<Phone>,
    members: [Member; 4],
}

const BORN_FIRST: i64 = -10958; // 1940-01-01
const BORN_LAST: i64 = 13148; // 2005-12-31
const CREATED_FIRST: i64 = 16436; // 2015-01-01
const CREATED_LAST: i64 = 20453; // 2025-12-31
const ACTIVITY_LAST: i64 = 20634; // 2026-06-30
const YEAR: i64 = 365;

fn pick_country(r: &mut Rng) -> &'static Country {
    let total: u32 = COUNTRIES.iter().map(|c| c.weight).sum();
    let mut roll = r.below(u64::from(total)) as u32;
    for c in &COUNTRIES {
        if roll < c.weight {
            return c;
        }
        roll -= c.weight;
    }
    &COUNTRIES[0]
}

fn first_name(r: &mut Rng, country: &'static Country, female: bool) -> &'static str {
    r.pick(if female { country.female } else { country.male })
}

/// A first name different from all of `taken` for the same gender.
fn other_first_name(r: &mut Rng, country: &'static Country, female: bool, taken: &[Member]) -> &'static str {
    loop {
        let name = first_name(r, country, female);
        if !taken.iter().any(|m| m.first == name) {
            return name;
        }
    }
}

fn random_address(r: &mut Rng, country: &'static Country, city: Option<usize>) -> Address {
    let city = &country.cities[city.unwrap_or_else(|| r.index(country.cities.len()))];
    let street = r.pick(country.streets);
    let top = if r.chance(0.7) { 40 } else { 160 };
    let number = 1 + r.below(top) as u32;
    let extra = match country.cc {
        Cc::Dk if r.chance(0.35) => (1 + r.below(5) as u32) * 10 + 1 + r.below(3) as u32,
        Cc::Pl if r.chance(0.5) => 1 + r.below(60) as u32,
        Cc::Nl | Cc::De | Cc::No if r.chance(0.1) => 1 + r.below(3) as u32,
        Cc::Gb if r.chance(0.15) => 1 + r.below(12) as u32,
        Cc::Se if r.chance(0.1) => 1001 + r.below(4) as u32 * 100 + r.below(4) as u32,
        _ => 0,
    };
    let post = city.lo + r.below(u64::from(city.hi - city.lo + 1)) as u32;
    let letters = match country.cc {
        Cc::Nl => [r.pick(NL_LETTERS), r.pick(NL_LETTERS), 0],
        Cc::Gb => [b'0' + r.below(10) as u8, r.pick(GB_INWARD_LETTERS), r.pick(GB_INWARD_LETTERS)],
        _ => [0; 3],
    };
    Address { street, number, extra, city, post, letters }
}

fn plan_group(ctx: &Ctx, group: u64, kind: Kind, size: u8) -> Group {
    let mut r = Rng::derive(ctx.seed, TAG_GROUP, group, 0);
    let country = if kind == Kind::Spouses { &COUNTRIES[4] } else { pick_country(&mut r) };
    debug_assert!(country.cc == Cc::Pl || kind != Kind::Spouses);
    let surname = loop {
        let s = r.pick(country.surnames);
        // Spouses show the gendered pair, so they need a -ski/-cki/-dzki name.
        if kind != Kind::Spouses || feminine_surname_stem(s).is_some() {
            break s;
        }
    };
    let address = random_address(&mut r, country, None);
    let landline_share = match kind {
        Kind::Household => 1.0,
        Kind::Spouses | Kind::FatherSon => 0.6,
        Kind::Twins => 0.3,
        Kind::Single => 0.25,
        Kind::Namesakes => 0.0,
    };
    let landline = r.chance(landline_share).then(|| Phone {
        landline: true,
        prefix: r.pick(country.landline.prefixes),
        sub: ctx.landline_perm.apply(group),
    });
    let blank = Member { female: false, first: "", birth: 0, city: 0 };
    let mut m = [blank; 4];
    let anyone = |r: &mut Rng| r.range(BORN_FIRST, BORN_LAST);
    match kind {
        Kind::Single => {
            let female = r.chance(0.5);
            m[0] = Member { female, first: first_name(&mut r, country, female), birth: anyone(&mut r), city: 0 };
        }
        Kind::Household => {
            let female = r.chance(0.5);
            let b0 = r.range(BORN_FIRST + 5 * YEAR, BORN_LAST - 20 * YEAR);
            m[0] = Member { female, first: first_name(&mut r, country, female), birth: b0, city: 0 };
            let female = if r.chance(0.85) { !m[0].female } else { m[0].female };
            let b1 = (b0 + r.range(-8 * YEAR, 8 * YEAR)).clamp(BORN_FIRST, BORN_LAST - 18 * YEAR);
            m[1] = Member { female, first: other_first_name(&mut r, country, female, &m[..1]), birth: b1, city: 0 };
            let younger = b0.max(b1);
            for i in 2..usize::from(size) {
                let female = r.chance(0.5);
                let birth = (younger + r.range(20 * YEAR, 38 * YEAR)).min(BORN_LAST);
                m[i] = Member { female, first: other_first_name(&mut r, country, female, &m[..i]), birth, city: 0 };
            }
            for i in 1..usize::from(size) {
                while m[..i].iter().any(|o| o.birth == m[i].birth) {
                    m[i].birth -= 1 + r.below(300) as i64;
                }
            }
        }
        Kind::Twins => {
            let birth = anyone(&mut r);
            for i in 0..2 {
                let female = r.chance(0.5);
                m[i] = Member { female, first: other_first_name(&mut r, country, female, &m[..i]), birth, city: 0 };
            }
        }
        Kind::Namesakes => {
            let female = r.chance(0.5);
            let first = first_name(&mut r, country, female);
            let b0 = anyone(&mut r);
            let b1 = loop {
                let b = anyone(&mut r);
                if (b - b0).abs() >= YEAR {
                    break b;
                }
            };
            let c0 = r.index(country.cities.len());
            let c1 = (c0 + 1 + r.index(country.cities.len() - 1)) % country.cities.len();
            m[0] = Member { female, first, birth: b0, city: c0 };
            m[1] = Member { female, first, birth: b1, city: c1 };
        }
        Kind::Spouses => {
            let b0 = r.range(BORN_FIRST, BORN_LAST - 20 * YEAR);
            m[0] = Member { female: false, first: first_name(&mut r, country, false), birth: b0, city: 0 };
            let mut b1 = (b0 + r.range(-6 * YEAR, 6 * YEAR)).clamp(BORN_FIRST, BORN_LAST - 18 * YEAR);
            if b1 == b0 {
                b1 += 1 + r.below(300) as i64;
            }
            m[1] = Member { female: true, first: first_name(&mut r, country, true), birth: b1, city: 0 };
        }
        Kind::FatherSon => {
            let first = first_name(&mut r, country, false);
            let father = r.range(BORN_FIRST, 2190); // born by 1975-12-31
            let son = (father + r.range(25 * YEAR + 7, 40 * YEAR)).min(BORN_LAST);
            m[0] = Member { female: false, first, birth: father, city: 0 };
            m[1] = Member { female: false, first, birth: son, city: 0 };
        }
    }
    Group { kind, country, surname, address, landline, members: m }
}

/// For a Polish `-ski`, `-cki` or `-dzki` surname, everything but the final `i` (the feminine
/// form adds `a`).
fn feminine_surname_stem(surname: &str) -> Option<&str> {
    let stem = surname.strip_suffix('i')?;
    (stem.ends_with("sk") || stem.ends_with("ck") || stem.ends_with("dzk")).then_some(stem)
}

#[derive(Debug, Clone, Copy)]
struct Email {
    style: u8,
    provider: &'static str,
    suffix: u64,
}

#[derive(Debug, Clone, Copy)]
struct Company {
    founder: &'static str,
    partner: &'static str,
    trade: &'static str,
    form: &'static str,
    pattern: u8,
    org: u64,
    org_dashed: bool,
    industry: &'static str,
    employees: u64,
}

/// One entity's own attributes, on top of its group's.
struct Person {
    member: Member,
    feminine: bool,
    address: Address,
    landline: Option<Phone>,
    mobile: Option<Phone>,
    email: Option<Email>,
    has_birth: bool,
    has_gender: bool,
    phone_style: u8,
    landline_style: u8,
    company: Option<Company>,
}

impl Person {
    fn new(ctx: &Ctx, g: &Group, member: u8, entity: u64) -> Person {
        let mut r = Rng::derive(ctx.seed, TAG_MEMBER, entity, 0);
        let member = g.members[usize::from(member)];
        let country = g.country;
        let address =
            if g.kind == Kind::Namesakes { random_address(&mut r, country, Some(member.city)) } else { g.address };
        let mut has_email = r.chance(0.93);
        let has_mobile = r.chance(0.88);
        if !has_email && !has_mobile {
            has_email = true;
        }
        // The look-alikes that hinge on a birth date always show it.
        let has_birth = matches!(g.kind, Kind::Twins | Kind::Namesakes | Kind::FatherSon) || r.chance(0.85);
        let has_gender = r.chance(0.9);
        let mobile =
            Phone { landline: false, prefix: r.pick(country.mobile.prefixes), sub: ctx.mobile_perm.apply(entity) };
        let email = Email {
            style: r.below(6) as u8,
            provider: country.providers[r.index_front(country.providers.len())],
            suffix: ctx.email_perm.apply(entity),
        };
        let phone_style = base_phone_style(&mut r);
        let landline_style = base_phone_style(&mut r);
        let company = r.chance(0.2).then(|| random_company(&mut r, country));
        Person {
            member,
            feminine: country.cc == Cc::Pl && member.female && feminine_surname_stem(g.surname).is_some(),
            address,
            landline: g.landline,
            mobile: has_mobile.then_some(mobile),
            email: has_email.then_some(email),
            has_birth,
            has_gender,
            phone_style,
            landline_style,
            company,
        }
    }
}

fn base_phone_style(r: &mut Rng) -> u8 {
    match r.below(20) {
        0..8 => STYLE_NATIONAL_GROUPED,
        8..13 => STYLE_PLUS_GROUPED,
        13..17 => STYLE_NATIONAL,
        17..19 => STYLE_PLUS,
        _ => STYLE_NATIONAL_DASH_FIRST,
    }
}

fn random_company(r: &mut Rng, country: &'static Country) -> Company {
    let org = match country.cc {
        Cc::No => loop {
            let body = 80_000_000 + r.below(20_000_000);
            if let Some(check) = mod11_check(body, &[3, 2, 7, 6, 5, 4, 3, 2]) {
                break body * 10 + check;
            }
        },
        Cc::Se => {
            let body = 556_000_000 + r.below(1_000_000);
            body * 10 + luhn_check(body)
        }
        Cc::Dk => loop {
            let body = 1_000_000 + r.below(9_000_000);
            if let Some(check) = mod11_check(body, &[2, 7, 6, 5, 4, 3, 2]) {
                break body * 10 + check;
            }
        },
        Cc::Pl => loop {
            let body = 100_000_000 + r.below(900_000_000);
            if let Some(check) = nip_check(body) {
                break body * 10 + check;
            }
        },
        Cc::Nl => 10_000_000 + r.below(90_000_000),
        Cc::De => 10_000 + r.below(190_000),
        Cc::Gb => r.below(14_000_000),
    };
    Company {
        founder: r.pick(country.surnames),
        partner: r.pick(country.surnames),
        trade: r.pick(country.trades),
        form: country.legal_forms[r.index_front(country.legal_forms.len())],
        pattern: r.below(10) as u8,
        org,
        org_dashed: r.chance(0.4),
        industry: r.pick(INDUSTRIES),
        employees: 1 + r.log_uniform(13),
    }
}

/// Weighted mod-11 check digit over the digits of `body` (weights left to right), chosen so that
/// the weighted sum with the check digit (weight 1) is divisible by 11: Norway's organisation
/// number and Denmark's CVR both work this way. None when the check would be 10.
fn mod11_check(body: u64, weights: &[u64]) -> Option<u64> {
    let mut sum = 0;
    let mut rest = body;
    for w in weights.iter().rev() {
        sum += (rest % 10) * w;
        rest /= 10;
    }
    let check = (11 - sum % 11) % 11;
    (check < 10).then_some(check)
}

fn luhn_check(body: u64) -> u64 {
    let mut sum = 0;
    let mut rest = body;
    let mut double = true;
    while rest > 0 {
        let mut d = rest % 10;
        if double {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
        double = !double;
        rest /= 10;
    }
    (10 - sum % 10) % 10
}

fn nip_check(body: u64) -> Option<u64> {
    let weights = [6, 5, 7, 2, 3, 4, 5, 6, 7];
    let mut sum = 0;
    let mut rest = body;
    for w in weights.iter().rev() {
        sum += (rest % 10) * w;
        rest /= 10;
    }
    let check = sum % 11;
    (check < 10).then_some(check)
}

// ---------------------------------------------------------------------------------------------
// Rendering

const STYLE_NATIONAL: u8 = 0;
const STYLE_NATIONAL_GROUPED: u8 = 1;
const STYLE_NATIONAL_DASH_FIRST: u8 = 2;
const STYLE_NATIONAL_DASHES: u8 = 3;
const STYLE_PLUS_GROUPED: u8 = 4;
const STYLE_PLUS: u8 = 5;
const STYLE_DOUBLE_ZERO: u8 = 6;
const STYLE_PLUS_TRUNK: u8 = 7;
const PHONE_STYLES: u8 = 8;

fn push_num(s: &mut String, n: u64) {
    push_padded(s, n, 1);
}

fn push_padded(s: &mut String, n: u64, width: usize) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for _ in (buf.len() - i)..width {
        s.push('0');
    }
    for &b in &buf[i..] {
        s.push(char::from(b));
    }
}

/// (year, month, day) from days since 1970-01-01 (Howard Hinnant's civil_from_days).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateFormat {
    Iso,
    Dotted,
    Slashed,
    Compact,
}

fn push_date(s: &mut String, (y, m, d): (i64, u32, u32), format: DateFormat) {
    let (y, m, d) = (y as u64, u64::from(m), u64::from(d));
    match format {
        DateFormat::Iso => {
            push_padded(s, y, 4);
            s.push('-');
            push_padded(s, m, 2);
            s.push('-');
            push_padded(s, d, 2);
        }
        DateFormat::Dotted | DateFormat::Slashed => {
            let sep = if format == DateFormat::Dotted { '.' } else { '/' };
            push_padded(s, d, 2);
            s.push(sep);
            push_padded(s, m, 2);
            s.push(sep);
            push_padded(s, y, 4);
        }
        DateFormat::Compact => {
            push_padded(s, y, 4);
            push_padded(s, m, 2);
            push_padded(s, d, 2);
        }
    }
}

fn push_surname(s: &mut String, surname: &str, feminine: bool) {
    match feminine_surname_stem(surname) {
        Some(stem) if feminine => {
            s.push_str(stem);
            s.push('a');
        }
        _ => s.push_str(surname),
    }
}

fn push_street(s: &mut String, cc: Cc, a: &Address) {
    match cc {
        Cc::Gb => {
            if a.extra > 0 {
                s.push_str("Flat ");
                push_num(s, u64::from(a.extra));
                s.push_str(", ");
            }
            push_num(s, u64::from(a.number));
            s.push(' ');
            s.push_str(a.street);
        }
        _ => {
            if cc == Cc::Pl {
                s.push_str("ul. ");
            }
            s.push_str(a.street);
            s.push(' ');
            push_num(s, u64::from(a.number));
            match (cc, a.extra) {
                (_, 0) => {}
                (Cc::Dk, x) => {
                    s.push_str(", ");
                    push_num(s, u64::from(x / 10));
                    s.push_str(". ");
                    s.push_str(["tv", "th", "mf"][(x % 10 - 1) as usize]);
                }
                (Cc::Pl, x) => {
                    s.push('/');
                    push_num(s, u64::from(x));
                }
                (Cc::Se, x) => {
                    s.push_str(" lgh ");
                    push_num(s, u64::from(x));
                }
                (Cc::De, x) => s.push(char::from(b'a' + x as u8 - 1)),
                (Cc::Nl | Cc::No, x) => s.push(char::from(b'A' + x as u8 - 1)),
                (Cc::Gb, _) => unreachable!(),
            }
        }
    }
}

fn push_postcode(s: &mut String, cc: Cc, a: &Address, formatted: bool) {
    let p = u64::from(a.post);
    match cc {
        Cc::No | Cc::Dk => push_padded(s, p, if formatted { 4 } else { 1 }),
        Cc::De => push_padded(s, p, if formatted { 5 } else { 1 }),
        Cc::Se => {
            push_padded(s, p / 100, 3);
            if formatted {
                s.push(' ');
            }
            push_padded(s, p % 100, 2);
        }
        Cc::Pl => {
            push_padded(s, p / 1000, 2);
            if formatted {
                s.push('-');
            }
            push_padded(s, p % 1000, 3);
        }
        Cc::Nl => {
            push_num(s, p);
            if formatted {
                s.push(' ');
            }
            s.push(char::from(a.letters[0]));
            s.push(char::from(a.letters[1]));
        }
        Cc::Gb => {
            s.push_str(a.city.area);
            push_num(s, p);
            if formatted {
                s.push(' ');
            }
            for &b in &a.letters {
                s.push(char::from(b));
            }
        }
    }
}

/// Whether `push_postcode` without formatting differs from the formatted form.
fn postcode_has_formatting(cc: Cc, a: &Address) -> bool {
    match cc {
        Cc::No | Cc::Dk => a.post < 1000,
        Cc::De => a.post < 10_000,
        _ => true,
    }
}

fn push_grouped(s: &mut String, digits: &[u8], groups: &[u8], first_sep: char, sep: char) {
    let mut at = 0;
    for (i, &g) in groups.iter().enumerate() {
        if at >= digits.len() {
            break;
        }
        if i == 1 {
            s.push(first_sep);
        } else if i > 1 {
            s.push(sep);
        }
        let end = if i + 1 == groups.len() { digits.len() } else { (at + usize::from(g)).min(digits.len()) };
        for &d in &digits[at..end] {
            s.push(char::from(d));
        }
        at = end;
    }
}

fn push_phone(s: &mut String, country: &Country, phone: &Phone, style: u8) {
    let plan = if phone.landline { &country.landline } else { &country.mobile };
    let mut buf = [0u8; 16];
    let mut n = 0;
    if plan.trunk {
        buf[0] = b'0';
        n = 1;
    }
    for b in phone.prefix.bytes() {
        buf[n] = b;
        n += 1;
    }
    let mut sub = phone.sub;
    for i in (0..7).rev() {
        buf[n + i] = b'0' + (sub % 10) as u8;
        sub /= 10;
    }
    n += 7;
    let national = &buf[..n];
    let nsn = &buf[usize::from(plan.trunk)..n];
    // International grouping: the national groups with the trunk 0 taken off the first.
    let mut intl_groups = [0u8; 6];
    intl_groups[..plan.groups.len()].copy_from_slice(plan.groups);
    intl_groups[0] -= u8::from(plan.trunk);
    let intl_groups = &intl_groups[..plan.groups.len()];
    let push_digits = |s: &mut String, d: &[u8]| d.iter().for_each(|&b| s.push(char::from(b)));
    match style {
        STYLE_NATIONAL => push_digits(s, national),
        STYLE_NATIONAL_GROUPED => push_grouped(s, national, plan.groups, ' ', ' '),
        STYLE_NATIONAL_DASH_FIRST => push_grouped(s, national, plan.groups, '-', ' '),
        STYLE_NATIONAL_DASHES => push_grouped(s, national, plan.groups, '-', '-'),
        STYLE_PLUS => {
            s.push('+');
            s.push_str(country.calling_code);
            push_digits(s, nsn);
        }
        STYLE_DOUBLE_ZERO => {
            s.push_str("00");
            s.push_str(country.calling_code);
            push_digits(s, nsn);
        }
        STYLE_PLUS_TRUNK if plan.trunk => {
            s.push('+');
            s.push_str(country.calling_code);
            s.push_str(" (0)");
            push_grouped(s, nsn, intl_groups, ' ', ' ');
        }
        _ => {
            s.push('+');
            s.push_str(country.calling_code);
            s.push(' ');
            push_grouped(s, nsn, intl_groups, ' ', ' ');
        }
    }
}

/// Folds a name to what people type in an e-mail address: ASCII lower case, letters and digits.
fn push_email_name(s: &mut String, name: &str, german: bool) {
    for ch in name.chars() {
        if ch.is_ascii_alphanumeric() {
            s.push(ch.to_ascii_lowercase());
        } else if let Some(plain) = fold_char(ch, german) {
            for p in plain.chars() {
                s.push(p.to_ascii_lowercase());
            }
        }
    }
}

fn push_email(s: &mut String, country: &Country, first: &str, last: &str, email: &Email) {
    let german = country.cc == Cc::De;
    match email.style {
        0 => {
            push_email_name(s, first, german);
            s.push('.');
            push_email_name(s, last, german);
        }
        1 => {
            push_email_name(s, first, german);
            push_email_name(s, last, german);
        }
        2 => {
            push_email_name(s, first, german);
            s.push('_');
            push_email_name(s, last, german);
        }
        3 => {
            push_email_name(s, last, german);
            s.push('.');
            push_email_name(s, first, german);
        }
        4 => {
            let mut buf = [0u8; 4];
            let initial = first.chars().next().map_or("", |c| &*c.encode_utf8(&mut buf));
            push_email_name(s, initial, german);
            s.push('.');
            push_email_name(s, last, german);
        }
        _ => push_email_name(s, first, german),
    }
    // The suffix is what makes the address unique per entity: names carry no digits, so two
    // different suffixes can never give the same local part.
    push_num(s, email.suffix);
    s.push('@');
    s.push_str(email.provider);
}

/// The plain form of a letter with a diacritic (`german`: ä ö ü as ae oe ue); None for a
/// character that is neither (a space, a hyphen, an apostrophe).
fn fold_char(ch: char, german: bool) -> Option<&'static str> {
    Some(match ch {
        'ä' if german => "ae",
        'ö' if german => "oe",
        'ü' if german => "ue",
        'Ä' if german => "Ae",
        'Ö' if german => "Oe",
        'Ü' if german => "Ue",
        'ø' | 'ö' | 'ó' => "o",
        'Ø' | 'Ö' | 'Ó' => "O",
        'å' | 'ä' | 'ą' | 'á' => "a",
        'Å' | 'Ä' | 'Ą' | 'Á' => "A",
        'æ' => "ae",
        'Æ' => "Ae",
        'ü' | 'ú' => "u",
        'Ü' | 'Ú' => "U",
        'ß' => "ss",
        'ł' => "l",
        'Ł' => "L",
        'ś' => "s",
        'Ś' => "S",
        'ż' | 'ź' => "z",
        'Ż' | 'Ź' => "Z",
        'ę' | 'é' | 'è' | 'ë' => "e",
        'Ę' | 'É' | 'È' | 'Ë' => "E",
        'ć' => "c",
        'Ć' => "C",
        'ń' => "n",
        'Ń' => "N",
        'í' | 'ï' => "i",
        _ => return None,
    })
}

/// Strips diacritics from `s` in place, keeping every other character.
fn strip_diacritics(s: &mut String, german: bool, tmp: &mut String) {
    if s.is_ascii() {
        return;
    }
    tmp.clear();
    for ch in s.chars() {
        match fold_char(ch, german) {
            Some(plain) if !ch.is_ascii() => tmp.push_str(plain),
            _ => tmp.push(ch),
        }
    }
    std::mem::swap(s, tmp);
}

/// One output row, reused for every row so that rendering does not allocate once warm.
#[derive(Default)]
struct Record {
    f: [String; 27],
}

impl Record {
    fn fill_base(&mut self, ctx: &Ctx, g: &Group, p: &Person, entity: u64) {
        for f in &mut self.f {
            f.clear();
        }
        let country = g.country;
        let f = &mut self.f;
        f[FIRST].push_str(p.member.first);
        push_surname(&mut f[LAST], g.surname, p.feminine);
        if let Some(email) = &p.email {
            let (names, rest) = f.split_at_mut(EMAIL);
            push_email(&mut rest[0], country, &names[FIRST], &names[LAST], email);
        }
        if let Some(landline) = &p.landline {
            push_phone(&mut f[PHONE], country, landline, p.landline_style);
        }
        if let Some(mobile) = &p.mobile {
            push_phone(&mut f[MOBILE], country, mobile, p.phone_style);
        }
        push_street(&mut f[STREET], country.cc, &p.address);
        push_postcode(&mut f[POSTCODE], country.cc, &p.address, true);
        f[CITY].push_str(p.address.city.name);
        f[COUNTRY].push_str(country.name);
        if p.has_birth {
            push_date(&mut f[BIRTH], civil(p.member.birth), DateFormat::Iso);
        }
        if p.has_gender {
            f[GENDER].push_str(if p.member.female { "Female" } else { "Male" });
        }
        if let Some(c) = &p.company {
            push_company(f, country, c);
        }
        let mut r = Rng::derive(ctx.seed, TAG_CRM, entity, 0);
        fill_activity(f, &mut r, p.email.is_some());
        f[ENTITY_ID].push('E');
        push_padded(&mut f[ENTITY_ID], entity + 1, ctx.entity_width);
    }

    /// Turns a freshly filled base record into duplicate number `dup` of the entity.
    fn corrupt(&mut self, ctx: &Ctx, g: &Group, p: &Person, entity: u64, dup: u8, sc: &mut Scratch) {
        let mut r = Rng::derive(ctx.seed, TAG_DUP, entity, u64::from(dup));
        let plan = plan_corruptions(&mut r, g, p);
        let country = g.country;
        let german = country.cc == Cc::De;
        let f = &mut self.f;

        // A duplicate is a record of its own: its own dates, orders and consents.
        let mut crm = Rng::derive(ctx.seed, TAG_CRM, entity, 1 + u64::from(dup));
        for i in [CREATED, LAST_ACTIVITY, ORDERS, REVENUE, LAST_ORDER, EMAIL_CONSENT, SMS_CONSENT, BOUNCED] {
            f[i].clear();
        }
        for i in [UNSUBSCRIBED, SOURCE] {
            f[i].clear();
        }
        fill_activity(f, &mut crm, p.email.is_some());

        let mut address = p.address;
        if plan.has(Corruption::Married) {
            let new = loop {
                let s = r.pick(country.surnames);
                if s != g.surname {
                    break s;
                }
            };
            sc.text.clear();
            if r.chance(0.25) {
                sc.text.push_str(&f[LAST]);
                sc.text.push('-');
            }
            push_surname(&mut sc.text, new, country.cc == Cc::Pl);
            std::mem::swap(&mut f[LAST], &mut sc.text);
        }
        if plan.has(Corruption::Moved) {
            address = random_address(&mut r, country, None);
            f[STREET].clear();
            push_street(&mut f[STREET], country.cc, &address);
            f[POSTCODE].clear();
            push_postcode(&mut f[POSTCODE], country.cc, &address, true);
            f[CITY].clear();
            f[CITY].push_str(address.city.name);
            // The landline stays behind in the old home.
            f[PHONE].clear();
        }
        if let (true, Some(email)) = (plan.has(Corruption::NewEmail), &p.email) {
            let mut email = *email;
            let providers = country.providers;
            let old = email.provider;
            while email.provider == old {
                email.provider = providers[r.index(providers.len())];
            }
            if r.chance(0.5) {
                email.style = r.below(6) as u8;
            }
            sc.text.clear();
            push_email(&mut sc.text, country, &f[FIRST], &f[LAST], &email);
            std::mem::swap(&mut f[EMAIL], &mut sc.text);
        }
        if plan.has(Corruption::EmailDomainTypo) {
            domain_typo(&mut f[EMAIL], &mut r, &mut sc.text);
        }
        if plan.has(Corruption::Nickname) {
            let short = nickname(&mut r, country, p.member.first).unwrap_or(p.member.first);
            if r.chance(0.2) {
                // `William "Bill"`: a quote inside a field, which the writer must escape.
                f[FIRST].push_str(" \"");
                f[FIRST].push_str(short);
                f[FIRST].push('"');
            } else {
                f[FIRST].clear();
                f[FIRST].push_str(short);
            }
        }
        if plan.has(Corruption::NameTypo) {
            let field = if r.chance(0.5) { FIRST } else { LAST };
            typo(&mut f[field], &mut r, &mut sc.chars);
        }
        if plan.has(Corruption::SwapNames) {
            f.swap(FIRST, LAST);
        }
        if plan.has(Corruption::StripDiacritics) {
            let german = german && r.chance(0.5);
            for i in [FIRST, LAST, STREET, CITY] {
                strip_diacritics(&mut f[i], german, &mut sc.text);
            }
        }
        if plan.has(Corruption::Case) {
            let upper = r.chance(0.5);
            let fields: &[usize] = if r.chance(0.3) { &[FIRST, LAST, STREET, CITY] } else { &[FIRST, LAST] };
            for &i in fields {
                let changed = if upper { f[i].to_uppercase() } else { f[i].to_lowercase() };
                f[i] = changed;
            }
        }
        if plan.has(Corruption::PhoneFormat) {
            let (field, phone, style) = match (&p.mobile, &p.landline) {
                (Some(m), _) => (MOBILE, m, p.phone_style),
                (None, Some(l)) => (PHONE, l, p.landline_style),
                (None, None) => unreachable!("PhoneFormat needs a phone"),
            };
            if !f[field].is_empty() {
                sc.text.clear();
                let first = r.below(u64::from(PHONE_STYLES)) as u8;
                for k in 0..PHONE_STYLES {
                    sc.text.clear();
                    push_phone(&mut sc.text, country, phone, (first + k) % PHONE_STYLES);
                    if sc.text != f[field] && (first + k) % PHONE_STYLES != style {
                        break;
                    }
                }
                std::mem::swap(&mut f[field], &mut sc.text);
            }
        }
        if plan.has(Corruption::PhoneMissing) {
            f[MOBILE].clear();
        }
        if plan.has(Corruption::PostcodeUnformatted) {
            f[POSTCODE].clear();
            push_postcode(&mut f[POSTCODE], country.cc, &address, false);
            if matches!(country.cc, Cc::Nl | Cc::Gb) && r.chance(0.3) {
                f[POSTCODE].make_ascii_lowercase();
            }
        }
        if p.has_birth && (plan.has(Corruption::DobTypo) || plan.has(Corruption::DobFormat)) {
            let mut date = civil(p.member.birth);
            if plan.has(Corruption::DobTypo) {
                date = digit_typo(date, &mut r);
            }
            let format = if plan.has(Corruption::DobFormat) {
                [DateFormat::Dotted, DateFormat::Slashed, DateFormat::Compact][r.index(3)]
            } else {
                DateFormat::Iso
            };
            f[BIRTH].clear();
            push_date(&mut f[BIRTH], date, format);
        }
        if plan.has(Corruption::DobMissing) {
            f[BIRTH].clear();
        }
        for (bit, fields) in MISSING_TARGETS {
            if plan.missing & bit != 0 {
                for &i in fields {
                    f[i].clear();
                }
            }
        }
    }

    fn emit<W: Write>(&mut self, ctx: &Ctx, record_no: u64, out: &mut csv::Writer<W>) -> csv::Result<()> {
        let id = &mut self.f[RECORD_ID];
        id.clear();
        id.push('C');
        push_padded(id, record_no, ctx.record_width);
        out.write_record(&self.f)
    }
}

fn push_company(f: &mut [String; 27], country: &Country, c: &Company) {
    let name = &mut f[COMPANY];
    match c.pattern {
        0..7 => {
            name.push_str(c.founder);
            name.push(' ');
            name.push_str(c.trade);
        }
        7 | 8 => {
            name.push_str(c.founder);
            name.push_str(" & ");
            name.push_str(c.partner);
        }
        _ => {
            // A comma inside the name: the writer must quote it.
            name.push_str(c.founder);
            name.push_str(", ");
            name.push_str(c.partner);
            name.push_str(" & Partners");
        }
    }
    name.push(' ');
    name.push_str(c.form);
    let org = &mut f[ORG_NUMBER];
    match country.cc {
        Cc::No => push_padded(org, c.org, 9),
        Cc::Dk | Cc::Nl => push_padded(org, c.org, 8),
        Cc::Se => {
            push_padded(org, c.org / 10_000, 6);
            org.push('-');
            push_padded(org, c.org % 10_000, 4);
        }
        Cc::Pl if c.org_dashed => {
            push_padded(org, c.org / 10_000_000, 3);
            org.push('-');
            push_padded(org, c.org / 10_000 % 1000, 3);
            org.push('-');
            push_padded(org, c.org / 100 % 100, 2);
            org.push('-');
            push_padded(org, c.org % 100, 2);
        }
        Cc::Pl => push_padded(org, c.org, 10),
        Cc::De => {
            org.push_str("HRB ");
            push_num(org, c.org);
        }
        Cc::Gb => push_padded(org, c.org, 8),
    }
    f[INDUSTRY].push_str(c.industry);
    push_num(&mut f[EMPLOYEES], c.employees);
}

fn fill_activity(f: &mut [String; 27], r: &mut Rng, has_email: bool) {
    let created = r.range(CREATED_FIRST, CREATED_LAST);
    let active = r.range(created, ACTIVITY_LAST);
    push_date(&mut f[CREATED], civil(created), DateFormat::Iso);
    push_date(&mut f[LAST_ACTIVITY], civil(active), DateFormat::Iso);
    let orders = if r.chance(0.35) { 0 } else { 1 + r.log_uniform(6) };
    push_num(&mut f[ORDERS], orders);
    let cents = orders * r.range(15_000, 250_000) as u64;
    push_num(&mut f[REVENUE], cents / 100);
    f[REVENUE].push('.');
    push_padded(&mut f[REVENUE], cents % 100, 2);
    if orders > 0 {
        push_date(&mut f[LAST_ORDER], civil(r.range(created, active)), DateFormat::Iso);
    }
    let flag = |s: &mut String, b: bool| s.push_str(if b { "true" } else { "false" });
    flag(&mut f[EMAIL_CONSENT], r.chance(0.6));
    flag(&mut f[SMS_CONSENT], r.chance(0.35));
    flag(&mut f[BOUNCED], has_email && r.chance(0.03));
    flag(&mut f[UNSUBSCRIBED], r.chance(0.08));
    f[SOURCE].push_str(r.pick(SOURCES));
}

// ---------------------------------------------------------------------------------------------
// Corruptions of duplicates

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Corruption {
    NameTypo,
    Nickname,
    SwapNames,
    Case,
    StripDiacritics,
    Married,
    NewEmail,
    EmailDomainTypo,
    PhoneFormat,
    PhoneMissing,
    Moved,
    PostcodeUnformatted,
    DobFormat,
    DobMissing,
    DobTypo,
    MissingFields,
}

/// Relative frequencies of the corruptions.
const CORRUPTIONS: [(Corruption, u32); 16] = [
    (Corruption::NameTypo, 14),
    (Corruption::Nickname, 8),
    (Corruption::SwapNames, 4),
    (Corruption::Case, 8),
    (Corruption::StripDiacritics, 8),
    (Corruption::Married, 4),
    (Corruption::NewEmail, 7),
    (Corruption::EmailDomainTypo, 5),
    (Corruption::PhoneFormat, 12),
    (Corruption::PhoneMissing, 5),
    (Corruption::Moved, 6),
    (Corruption::PostcodeUnformatted, 5),
    (Corruption::DobFormat, 8),
    (Corruption::DobMissing, 4),
    (Corruption::DobTypo, 1),
    (Corruption::MissingFields, 8),
];

const MISSING_GENDER: u32 = 1;
const MISSING_STREET: u32 = 2;
const MISSING_CITY: u32 = 4;
const MISSING_POSTCODE: u32 = 8;
const MISSING_LANDLINE: u32 = 16;
const MISSING_COMPANY: u32 = 32;
const MISSING_EMAIL: u32 = 64;

const MISSING_TARGETS: [(u32, &[usize]); 7] = [
    (MISSING_GENDER, &[GENDER]),
    (MISSING_STREET, &[STREET]),
    (MISSING_CITY, &[CITY]),
    (MISSING_POSTCODE, &[POSTCODE]),
    (MISSING_LANDLINE, &[PHONE]),
    (MISSING_COMPANY, &[COMPANY, ORG_NUMBER, INDUSTRY, EMPLOYEES]),
    (MISSING_EMAIL, &[EMAIL]),
];

#[derive(Debug, Clone, Copy, Default)]
struct CorruptionPlan {
    kinds: u32,
    missing: u32,
}

impl CorruptionPlan {
    fn has(&self, c: Corruption) -> bool {
        self.kinds & (1 << c as u32) != 0
    }

    fn with(mut self, c: Corruption) -> Self {
        self.kinds |= 1 << c as u32;
        self
    }

    /// Whether a careful person could still tell which entity this duplicate belongs to: it keeps
    /// its e-mail or mobile, or else its name, birth date and address. A new e-mail must keep the
    /// mobile; a move or a new surname must keep the e-mail or the mobile.
    fn identifiable(&self, p: &Person) -> bool {
        use Corruption as C;
        let email_kept = p.email.is_some() && !self.has(C::NewEmail) && self.missing & MISSING_EMAIL == 0;
        let mobile_kept = p.mobile.is_some() && !self.has(C::PhoneMissing);
        let strong = email_kept || mobile_kept;
        let name_ok = !self.has(C::Married);
        let birth_ok = p.has_birth && !self.has(C::DobMissing) && !self.has(C::DobTypo);
        let address_ok = !self.has(C::Moved)
            && self.missing & MISSING_STREET == 0
            && self.missing & (MISSING_CITY | MISSING_POSTCODE) != (MISSING_CITY | MISSING_POSTCODE);
        (!self.has(C::NewEmail) || mobile_kept)
            && (!(self.has(C::Moved) || self.has(C::Married)) || strong)
            && (strong || (name_ok && birth_ok && address_ok))
    }
}

fn applicable(c: Corruption, plan: &CorruptionPlan, g: &Group, p: &Person) -> bool {
    use Corruption as C;
    let phone = p.mobile.is_some() || p.landline.is_some();
    match c {
        C::Married => p.member.female && p.member.birth <= BORN_LAST - 5 * YEAR,
        C::Nickname => g.country.nicknames.iter().any(|(full, _)| *full == p.member.first),
        C::StripDiacritics => {
            let name_ascii = p.member.first.is_ascii() && g.surname.is_ascii();
            !(name_ascii && p.address.street.is_ascii() && p.address.city.name.is_ascii())
        }
        C::NewEmail => p.email.is_some() && !plan.has(C::EmailDomainTypo),
        C::EmailDomainTypo => p.email.is_some() && !plan.has(C::NewEmail),
        C::PhoneFormat => phone && !plan.has(C::PhoneMissing),
        C::PhoneMissing => p.mobile.is_some() && !plan.has(C::PhoneFormat),
        C::DobFormat | C::DobTypo => p.has_birth && !plan.has(C::DobMissing),
        C::DobMissing => p.has_birth && !plan.has(C::DobFormat) && !plan.has(C::DobTypo),
        C::PostcodeUnformatted => postcode_has_formatting(g.country.cc, &p.address) || plan.has(C::Moved),
        C::NameTypo | C::SwapNames | C::Case | C::Moved | C::MissingFields => true,
    }
}

/// Draws 1 to 3 corruptions that leave the duplicate identifiable.
fn plan_corruptions(r: &mut Rng, g: &Group, p: &Person) -> CorruptionPlan {
    let wanted = match r.below(20) {
        0..10 => 1,
        10..17 => 2,
        _ => 3,
    };
    let total: u32 = CORRUPTIONS.iter().map(|(_, w)| w).sum();
    let mut plan = CorruptionPlan::default();
    let mut chosen = 0;
    for _ in 0..40 {
        if chosen == wanted {
            break;
        }
        let mut roll = r.below(u64::from(total)) as u32;
        let mut pick = CORRUPTIONS[0].0;
        for (c, w) in CORRUPTIONS {
            if roll < w {
                pick = c;
                break;
            }
            roll -= w;
        }
        if plan.has(pick) || !applicable(pick, &plan, g, p) {
            continue;
        }
        let mut next = plan.with(pick);
        if pick == Corruption::MissingFields {
            for _ in 0..1 + r.below(2) {
                let (bit, _) = MISSING_TARGETS[r.index(MISSING_TARGETS.len())];
                next.missing |= bit;
            }
        }
        if next.identifiable(p) {
            plan = next;
            chosen += 1;
        }
    }
    if chosen == 0 {
        // Always possible and never hides the entity.
        plan = plan.with(Corruption::Case);
    }
    plan
}

#[derive(Default)]
struct Scratch {
    text: String,
    chars: Vec<char>,
}

fn nickname(r: &mut Rng, country: &Country, first: &str) -> Option<&'static str> {
    let n = country.nicknames.iter().filter(|(full, _)| *full == first).count();
    if n == 0 {
        return None;
    }
    let k = r.index(n);
    country.nicknames.iter().filter(|(full, _)| *full == first).nth(k).map(|(_, short)| *short)
}

/// One keyboard slip in a name: a letter inserted (doubled), deleted, replaced or swapped with
/// its neighbour.
fn typo(s: &mut String, r: &mut Rng, chars: &mut Vec<char>) {
    chars.clear();
    chars.extend(s.chars());
    let letters: Vec<usize> = (0..chars.len()).filter(|&i| chars[i].is_alphabetic()).collect();
    if letters.len() < 3 {
        return;
    }
    let at = letters[r.index(letters.len())];
    match r.below(4) {
        0 => chars.insert(at, chars[at].to_lowercase().next().unwrap_or(chars[at])),
        1 if at > 0 => {
            chars.remove(at);
        }
        3 if at + 1 < chars.len() && chars[at + 1].is_alphabetic() && chars[at + 1] != chars[at] => {
            chars.swap(at, at + 1);
        }
        _ => {
            const LETTERS: &[u8] = b"aeiounrstlmkdgh";
            let old = chars[at];
            let mut new = old;
            while new.to_lowercase().eq(old.to_lowercase()) {
                new = char::from(r.pick(LETTERS));
            }
            chars[at] = if old.is_uppercase() { new.to_ascii_uppercase() } else { new };
        }
    }
    s.clear();
    s.extend(chars.iter());
}

/// A slip in the e-mail domain: a known misspelling of a big provider, else two letters swapped.
fn domain_typo(email: &mut String, r: &mut Rng, tmp: &mut String) {
    let Some(at) = email.find('@') else { return };
    let domain = &email[at + 1..];
    let known: &[&str] = match domain {
        "gmail.com" => &["gmial.com", "gmail.co", "gamil.com", "gmai.com"],
        "hotmail.com" => &["hotmial.com", "hotmal.com", "hotmail.con"],
        "outlook.com" => &["outlok.com", "outlook.co"],
        "yahoo.com" => &["yaho.com", "yahooo.com"],
        _ => &[],
    };
    tmp.clear();
    tmp.push_str(&email[..=at]);
    if known.is_empty() {
        let label_end = domain.find('.').unwrap_or(domain.len());
        let bytes = domain.as_bytes();
        let i = if label_end >= 2 { r.index(label_end - 1) } else { 0 };
        if label_end >= 2 && bytes[i] != bytes[i + 1] {
            tmp.push_str(&domain[..i]);
            tmp.push(char::from(bytes[i + 1]));
            tmp.push(char::from(bytes[i]));
            tmp.push_str(&domain[i + 2..]);
        } else {
            // Doubled letter: `gmx.de` -> `gmmx.de`.
            tmp.push_str(&domain[..=i]);
            tmp.push_str(&domain[i..]);
        }
    } else {
        tmp.push_str(r.pick(known));
    }
    std::mem::swap(email, tmp);
}

/// One digit of a birth date off by one: the last digit of the year or of the day.
fn digit_typo((y, m, d): (i64, u32, u32), r: &mut Rng) -> (i64, u32, u32) {
    if r.chance(0.5) {
        let last = y % 10;
        let y2 = if last == 9 || (last > 0 && r.chance(0.5)) { y - 1 } else { y + 1 };
        (y2, m, d)
    } else {
        let last = d % 10;
        let d2 = if last == 9 || d >= 28 || (last > 0 && d > 1 && r.chance(0.5)) { d - 1 } else { d + 1 };
        (y, m, d2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    fn run(rows: usize, seed: u64) -> (Vec<u8>, GenerateSummary) {
        let mut out = Vec::new();
        let summary = generate(&GenerateOptions { rows, seed, ..Default::default() }, &mut out).unwrap();
        (out, summary)
    }

    fn parse(bytes: &[u8]) -> (csv::StringRecord, Vec<csv::StringRecord>) {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
        let header = reader.headers().unwrap().clone();
        let rows = reader.records().map(|r| r.unwrap()).collect();
        (header, rows)
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let (a, _) = run(1500, 7);
        let (b, _) = run(1500, 7);
        let (c, _) = run(1500, 8);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn row_count_ids_and_fields() {
        let (bytes, summary) = run(2000, 42);
        let (header, rows) = parse(&bytes);
        assert_eq!(header.iter().collect::<Vec<_>>(), HEADER.to_vec());
        assert_eq!(header.get(26), Some("entity_id"));
        assert_eq!(rows.len(), 2000);
        assert_eq!(bytes.iter().filter(|&&b| b == b'\n').count(), 2001, "no field holds a line break");
        assert!(rows.iter().all(|r| r.len() == 27));
        let ids: HashSet<&str> = rows.iter().map(|r| r.get(RECORD_ID).unwrap()).collect();
        assert_eq!(ids.len(), 2000);
        let entities: HashSet<&str> = rows.iter().map(|r| r.get(ENTITY_ID).unwrap()).collect();
        assert_eq!(entities.len(), summary.entities);
        assert_eq!(summary.rows, 2000);
        assert_eq!(summary.duplicates, 500);
        assert!(rows.iter().all(|r| r.get(ENTITY_ID).unwrap().starts_with('E')));
    }

    #[test]
    fn sizes_and_shares_are_exact() {
        for (rows, share) in [(0, 0.25), (1, 0.25), (2, 0.5), (5, 0.7), (37, 0.0), (400, 0.7), (301, 0.1)] {
            let mut out = Vec::new();
            let opts = GenerateOptions { rows, seed: 3, duplicate_share: share };
            let summary = generate(&opts, &mut out).unwrap();
            let (_, parsed) = parse(&out);
            assert_eq!(parsed.len(), rows, "rows {rows} share {share}");
            assert_eq!(summary.entities + summary.duplicates, rows);
        }
        let bad = GenerateOptions { duplicate_share: 0.9, ..Default::default() };
        assert!(generate(&bad, &mut Vec::new()).is_err());
    }

    #[test]
    fn look_alikes_are_present() {
        let (bytes, summary) = run(2000, 42);
        assert!(summary.households > 0 && summary.twins > 0 && summary.namesakes > 0, "{summary:?}");
        assert!(summary.spouses > 0 && summary.fathers_and_sons > 0, "{summary:?}");
        let (_, rows) = parse(&bytes);
        // First row of each entity: its base record.
        let mut base: HashMap<&str, &csv::StringRecord> = HashMap::new();
        for r in &rows {
            base.entry(r.get(ENTITY_ID).unwrap()).or_insert(r);
        }
        let mut by_home: HashMap<(&str, &str, &str), Vec<&csv::StringRecord>> = HashMap::new();
        let mut by_name: HashMap<(&str, &str), Vec<&csv::StringRecord>> = HashMap::new();
        for r in base.values() {
            by_home
                .entry((r.get(LAST).unwrap(), r.get(STREET).unwrap(), r.get(POSTCODE).unwrap()))
                .or_default()
                .push(r);
            by_name.entry((r.get(FIRST).unwrap(), r.get(LAST).unwrap())).or_default().push(r);
        }
        let households = by_home
            .values()
            .filter(|v| v.len() >= 2 && v.iter().all(|r| !r.get(PHONE).unwrap().is_empty()))
            .filter(|v| v[0].get(FIRST) != v[1].get(FIRST))
            .count();
        let twins = by_home
            .values()
            .filter(|v| v.len() == 2 && v[0].get(FIRST) != v[1].get(FIRST))
            .filter(|v| v[0].get(BIRTH) == v[1].get(BIRTH) && !v[0].get(BIRTH).unwrap().is_empty())
            .count();
        let namesakes = by_name
            .values()
            .filter(|v| v.len() == 2 && v[0].get(CITY) != v[1].get(CITY) && v[0].get(BIRTH) != v[1].get(BIRTH))
            .count();
        let spouses = by_home
            .keys()
            .filter(|(last, ..)| last.ends_with("ska") || last.ends_with("cka"))
            .filter(|(last, street, post)| {
                let male = format!("{}i", &last[..last.len() - 1]);
                by_home.contains_key(&(male.as_str(), street, post))
            })
            .count();
        assert!(
            households > 0 && twins > 0 && namesakes > 0 && spouses > 0,
            "{households} {twins} {namesakes} {spouses}"
        );
    }

    #[test]
    fn contacts_are_unique_and_duplicates_identifiable_and_apart() {
        let (bytes, summary) = run(3000, 11);
        let (_, rows) = parse(&bytes);
        let entity = |r: &csv::StringRecord| r.get(ENTITY_ID).unwrap().to_string();
        let mut email_owner: HashMap<String, String> = HashMap::new();
        let mut mobile_owner: HashMap<String, String> = HashMap::new();
        for r in &rows {
            let email = r.get(EMAIL).unwrap();
            if let Some(local) = email.split('@').next().filter(|l| !l.is_empty()) {
                let owner = email_owner.entry(local.to_string()).or_insert_with(|| entity(r));
                assert_eq!(*owner, entity(r), "e-mail {email} shared by two entities");
            }
            let digits: String = r.get(MOBILE).unwrap().chars().filter(char::is_ascii_digit).collect();
            if digits.len() >= 7 {
                let sub = digits[digits.len() - 7..].to_string();
                let owner = mobile_owner.entry(sub).or_insert_with(|| entity(r));
                assert_eq!(*owner, entity(r), "mobile {digits} shared by two entities");
            }
        }

        let fold = |s: &str, german: bool| {
            let mut s = s.to_lowercase();
            strip_diacritics(&mut s, german, &mut String::new());
            s
        };
        let ymd = |s: &str| -> Option<String> {
            let d: String = s.chars().filter(char::is_ascii_digit).collect();
            (d.len() == 8).then(|| {
                if s.len() == 10 && !s.contains('-') { format!("{}{}{}", &d[4..], &d[2..4], &d[..2]) } else { d }
            })
        };
        let mut first_seen: HashMap<String, (usize, &csv::StringRecord)> = HashMap::new();
        let mut last_line: HashMap<String, usize> = HashMap::new();
        let mut duplicates = 0;
        for (i, r) in rows.iter().enumerate() {
            let e = entity(r);
            if let Some(&prev) = last_line.get(&e) {
                assert!(i > prev + 1, "rows {prev} and {i} of {e} are adjacent");
            }
            last_line.insert(e.clone(), i);
            let Some(&(_, base)) = first_seen.get(&e) else {
                first_seen.insert(e, (i, r));
                continue;
            };
            duplicates += 1;
            let same = |c: usize| !r.get(c).unwrap().is_empty() && r.get(c) == base.get(c);
            let local = |x: &csv::StringRecord| x.get(EMAIL).unwrap().split('@').next().unwrap_or("").to_string();
            let mobile_tail = |x: &csv::StringRecord| {
                let d: String = x.get(MOBILE).unwrap().chars().filter(char::is_ascii_digit).collect();
                d.get(d.len().saturating_sub(7)..).unwrap_or("").to_string()
            };
            let strong = (!local(r).is_empty() && local(r) == local(base))
                || (!mobile_tail(r).is_empty() && mobile_tail(r) == mobile_tail(base));
            let birth =
                ymd(r.get(BIRTH).unwrap()).is_some() && ymd(r.get(BIRTH).unwrap()) == ymd(base.get(BIRTH).unwrap());
            let (street, base_street) = (r.get(STREET).unwrap(), base.get(STREET).unwrap());
            let home = same(STREET)
                || (!street.is_empty()
                    && (fold(street, false) == fold(base_street, false)
                        || fold(street, false) == fold(base_street, true)));
            assert!(strong || (birth && home), "duplicate row {i} of {e} is not identifiable:\n{r:?}\n{base:?}");
        }
        assert_eq!(duplicates, summary.duplicates);
    }

    #[test]
    fn pools_are_sound() {
        for c in &COUNTRIES {
            assert!(c.female.len() >= 60 && c.male.len() >= 60 && c.surnames.len() >= 60, "{}", c.name);
            for pool in [c.female, c.male, c.surnames, c.streets] {
                let set: HashSet<_> = pool.iter().collect();
                assert_eq!(set.len(), pool.len(), "duplicate in a pool of {}", c.name);
            }
            let female: HashSet<_> = c.female.iter().collect();
            assert!(c.male.iter().all(|m| !female.contains(m)), "name of both genders in {}", c.name);
            for (full, short) in c.nicknames {
                assert!(c.female.contains(full) || c.male.contains(full), "{full} not in {}", c.name);
                assert_ne!(full, short);
            }
            for plan in [&c.mobile, &c.landline] {
                for prefix in plan.prefixes {
                    let national = prefix.len() + 7 + usize::from(plan.trunk);
                    assert_eq!(plan.groups.iter().map(|&g| usize::from(g)).sum::<usize>(), national, "{}", c.name);
                }
            }
            for s in
                c.female.iter().chain(c.male).chain(c.surnames).chain(c.streets).chain(c.cities.iter().map(|c| &c.name))
            {
                let mut folded = s.to_string();
                strip_diacritics(&mut folded, false, &mut String::new());
                assert!(folded.is_ascii(), "{s} keeps a diacritic");
            }
        }
    }

    #[test]
    fn formats_table() {
        let no = &COUNTRIES[0];
        let de = &COUNTRIES[5];
        let gb = &COUNTRIES[6];
        let mobile = |prefix| Phone { landline: false, prefix, sub: 1_234_567 };
        let cases: &[(&Country, &str, u8, &str)] = &[
            (no, "9", STYLE_NATIONAL_GROUPED, "912 34 567"),
            (no, "9", STYLE_PLUS_GROUPED, "+47 912 34 567"),
            (no, "4", STYLE_DOUBLE_ZERO, "004741234567"),
            (&COUNTRIES[1], "70", STYLE_NATIONAL_DASH_FIRST, "070-123 45 67"),
            (&COUNTRIES[1], "70", STYLE_PLUS_GROUPED, "+46 70 123 45 67"),
            (&COUNTRIES[3], "61", STYLE_PLUS_GROUPED, "+31 6 11234567"),
            (&COUNTRIES[4], "51", STYLE_NATIONAL_GROUPED, "511 234 567"),
            (de, "151", STYLE_NATIONAL_GROUPED, "0151 1234567"),
            (de, "151", STYLE_PLUS_TRUNK, "+49 (0)151 1234567"),
            (gb, "770", STYLE_NATIONAL_GROUPED, "07701 234567"),
            (gb, "770", STYLE_PLUS, "+447701234567"),
        ];
        for &(c, prefix, style, want) in cases {
            let mut s = String::new();
            push_phone(&mut s, c, &mobile(prefix), style);
            assert_eq!(s, want);
        }
        let mut s = String::new();
        push_date(&mut s, civil(BORN_FIRST), DateFormat::Iso);
        assert_eq!(s, "1940-01-01");
        s.clear();
        push_date(&mut s, civil(13148), DateFormat::Dotted);
        assert_eq!(s, "31.12.2005");
        s.clear();
        push_date(&mut s, civil(20634), DateFormat::Compact);
        assert_eq!(s, "20260630");
        assert_eq!(luhn_check(556_036_079), 3);
        assert_eq!(mod11_check(92_360_901, &[3, 2, 7, 6, 5, 4, 3, 2]), Some(6));
        assert_eq!(nip_check(526_104_082), Some(8));
    }

    #[test]
    fn csv_quoting_table() {
        // The shape every register ever generated has: only a comma, a quote or a line break
        // quotes a field; spaces, empty fields and other punctuation stay as they are.
        let cases: &[(&[&str], &str)] = &[
            (&["a", "b"], "a,b\n"),
            (&["William \"Bill\"", "x"], "\"William \"\"Bill\"\"\",x\n"),
            (&["a,b", "Jespersen, Bruun & Partners A/S"], "\"a,b\",\"Jespersen, Bruun & Partners A/S\"\n"),
            (&["line\nbreak", "cr\rhere"], "\"line\nbreak\",\"cr\rhere\"\n"),
            (&[" lead", "trail ", " "], " lead,trail , \n"),
            (&["", "", ""], ",,\n"),
            (&["#hash", "'quote", "semi;colon", "tab\there"], "#hash,'quote,semi;colon,tab\there\n"),
            (&["Łódź", "Københavns Kommune"], "Łódź,Københavns Kommune\n"),
        ];
        for &(fields, want) in cases {
            let mut w = csv_writer(Vec::new());
            w.write_record(fields).unwrap();
            let got = w.into_inner().unwrap();
            assert_eq!(String::from_utf8(got).unwrap(), want, "{fields:?}");
        }
    }
}
