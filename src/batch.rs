//! The engine-free core: the pipeline's stages as functions over Arrow record batches, for an
//! engine that holds a register in pieces and runs a stage on one piece at a time (Spark,
//! through the Python package in `python/`; issue 28).
//!
//! A stage that reads only its own row is a function of a batch. A stage that must first know
//! something of the whole register (how a column writes its dates, the register's majority
//! country, whether a flag column holds counts) is split in three: count a batch
//! ([`Plan::tally`]), add the counts of every batch ([`Tally::add`], in any order and grouping,
//! so an engine can sum them as an aggregation), and decide once ([`Plan::decide`]). The
//! decisions are the CLI's own functions (`date_order::order_of`, `normalise::majority_of`,
//! `headers::unmap_counts`' test), and every row is read and cleaned by the CLI's own
//! (`ingest::parquet::Judge`, `normalise::normalise_values`): a register cleaned a batch at a
//! time gives the cleaned fields and statuses records.csv gives for it.
//!
//! So far the core covers ingest and normalise ([`Plan::normalise`]) and merge ([`Plan::merge`]:
//! the golden records of whole clusters); dedup and segments follow (ARCHITECTURE.md,
//! "Engine-free core").

use crate::Error;
use crate::config::Config;
use crate::field::{Field, Kind};
use crate::ingest::{self, headers, parquet};
use crate::merge::rules::Survivorship;
use crate::normalise::date::{Date, DateOptions};
use crate::normalise::{self, Context, channels::ChannelColumns, columns::FieldColumns, date_order};
use crate::normalise::{CleanRow, Cleaned, Status};
use crate::stale::Policy;
use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field as Column, Schema};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The columns [`Plan::normalise`] adds to a batch, before the cleaned fields (`clean_<field>`,
/// `status_<field>`, and `country_source` after `status_country`): what became of the row
/// (`accepted`, `quarantined`, `blank`), why a quarantined row was, and the accepted row's
/// entity kind (records.csv's `entity_kind`).
pub const ROW_COLUMNS: [&str; 3] = ["row_status", "quarantine_reason", "entity_kind"];

/// What the rows of a register say about how to read them, counted so that the counts of
/// parts add up to the whole's. Serialised as JSON between an engine's tasks and its driver.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Rows accepted, quarantined and blank.
    pub accepted: u64,
    pub quarantined: u64,
    pub blank: u64,
    /// Per date column (0-based): values that prove day first, month first, and read either way.
    pub dates: BTreeMap<usize, [u64; 3]>,
    /// Accepted rows per country (ISO alpha-2) their own country column names.
    pub countries: BTreeMap<String, usize>,
    /// Flag columns (consent, opt-out, bounce) some value of which is a count.
    pub counts: BTreeSet<usize>,
}

impl Tally {
    /// Adds another part's counts to these.
    pub fn add(&mut self, other: &Tally) {
        self.accepted += other.accepted;
        self.quarantined += other.quarantined;
        self.blank += other.blank;
        for (col, [d, m, e]) in &other.dates {
            let t = self.dates.entry(*col).or_default();
            (t[0], t[1], t[2]) = (t[0] + d, t[1] + m, t[2] + e);
        }
        for (c, n) in &other.countries {
            *self.countries.entry(c.clone()).or_insert(0) += n;
        }
        self.counts.extend(other.counts.iter().copied());
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<Tally, Error> {
        serde_json::from_str(text).map_err(|e| Error::Usage(format!("not a regclean tally: {e}")))
    }
}

/// How batches of one table are read and cleaned: the config, the reference date and the
/// table's columns, then ([`Plan::decide`]) what the whole table's [`Tally`] decided.
#[derive(Debug, Clone)]
pub struct Plan {
    config: Config,
    as_of: Date,
    /// The table's column names, made unique as ingest makes a file's header.
    headers: Vec<String>,
    /// How the columns map before the counts are known.
    mapping: headers::Mapping,
    /// The name of the source the table is (the CLI's `source`: its file name without the
    /// extension, or `--source`), part of each record's identity and so of golden ids' ties.
    source: String,
    decided: Option<Decided>,
}

#[derive(Debug, Clone)]
struct Decided {
    tally: Tally,
    /// The columns no field reads: golden.csv passes them through from one member.
    passthrough: Vec<usize>,
    columns: FieldColumns,
    channels: ChannelColumns,
    ctx: Context,
    present: Vec<Field>,
}

impl Plan {
    /// A plan for a table with columns `headers`, cleaned as `config` says and as of `as_of`.
    pub fn new(config: Config, as_of: Date, headers: &[String]) -> Result<Plan, Error> {
        if headers.is_empty() {
            return Err(Error::Usage("a table without columns is no register".into()));
        }
        let mut headers: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
        ingest::unique_headers(&mut headers);
        let mapping = headers::map_columns(&headers, &config.columns);
        Ok(Plan { config, as_of, headers, mapping, source: "table".into(), decided: None })
    }

    /// [`Plan::new`] from the config's TOML text (empty: the defaults; `name` names it in
    /// errors) and the reference date as `YYYY-MM-DD`.
    pub fn from_text(config: &str, name: &str, as_of: &str, headers: &[String]) -> Result<Plan, Error> {
        let config = if config.trim().is_empty() {
            Config::default()
        } else {
            Config::parse(config, std::path::Path::new(name))?
        };
        let as_of = Date::parse_iso(as_of.trim())
            .ok_or_else(|| Error::Usage(format!("as_of must be a date as YYYY-MM-DD, not {as_of:?}")))?;
        Plan::new(config, as_of, headers)
    }

    /// The plan for a table from the source `name` (`table` unless said).
    pub fn with_source(self, name: &str) -> Plan {
        Plan { source: name.to_string(), ..self }
    }

    /// How each column maps onto fields, as report.json's `header_mapping` gives it (JSON):
    /// the columns a field reads, and why the others pass through. Once decided, a flag column
    /// that holds counts says so.
    pub fn header_mapping(&self) -> String {
        let mapping = self.decided.as_ref().map_or_else(|| self.mapping.clone(), |d| self.mapping_after(&d.tally));
        let source = ingest::Source::of_table(&self.source, self.headers.clone(), Vec::new(), mapping);
        serde_json::to_string_pretty(&crate::report::header_mapping(&source)).unwrap_or_default()
    }

    /// The table's columns as the plan reads them (unique names).
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// What one batch says ([`Tally`]); the batch has the plan's columns in its order.
    pub fn tally(&self, batch: &RecordBatch) -> Result<Tally, Error> {
        self.check(batch)?;
        let judge = parquet::Judge::new(&self.headers, self.config.max_line_bytes);
        let dates: Vec<usize> = (0..self.headers.len())
            .filter(|&c| self.mapping.fields[c].is_some_and(|f| f.kind() == Kind::Date))
            .collect();
        let country = self.mapping.fields.iter().position(|f| *f == Some(Field::Country));
        let flags = headers::flag_columns(&self.mapping);
        let mut t = Tally::default();
        parquet::each_row(batch, |cells| match judge.judge(cells) {
            parquet::Verdict::Blank => t.blank += 1,
            parquet::Verdict::Quarantined(_) => t.quarantined += 1,
            parquet::Verdict::Accepted => {
                t.accepted += 1;
                for &c in &dates {
                    let (d, m, e) = date_order::tally(std::iter::once(cells[c].as_str()));
                    let n = t.dates.entry(c).or_default();
                    (n[0], n[1], n[2]) = (n[0] + d, n[1] + m, n[2] + e);
                }
                if let Some(code) = country.and_then(|c| normalise::country::country_alpha2(&cells[c])) {
                    *t.countries.entry(code.to_string()).or_insert(0) += 1;
                }
                for &c in &flags {
                    if headers::holds_count(&cells[c]) {
                        t.counts.insert(c);
                    }
                }
            }
        })
        .map_err(|e| Error::Usage(format!("a column cannot be read as text: {e}")))?;
        Ok(t)
    }

    /// The plan with what the whole table's counts decide: the order of each date column, the
    /// majority country, which flag columns are counts. `tally` is every batch's, added up.
    pub fn decide(&self, tally: &Tally) -> Plan {
        let source =
            ingest::Source::of_table(&self.source, self.headers.clone(), Vec::new(), self.mapping_after(tally));
        let (month_first, fixed) = (self.config.month_first, self.config.date_order_given);
        let mut ctx = Context::new(self.config.default_country.clone(), DateOptions { month_first }, self.as_of);
        for (col, field) in source.mapping.iter().enumerate() {
            if let Some(f) = field.filter(|f| f.kind() == Kind::Date) {
                let [day, month, _] = tally.dates.get(&col).copied().unwrap_or_default();
                ctx.month_first[f.index()] = date_order::order_of(day, month, month_first, fixed).0;
            }
        }
        ctx.register_country = normalise::majority_of(&tally.countries);
        let columns = FieldColumns::new(&source);
        let channels = ChannelColumns::new(source.channel_columns());
        // Country always: a batch cannot know whether another batch's rows infer one.
        let present = normalise::fields_present(std::slice::from_ref(&columns), true);
        let passthrough =
            (0..source.headers.len()).filter(|&c| source.mapping[c].is_none() && source.custom[c].is_none()).collect();
        let decided = Decided { tally: tally.clone(), passthrough, columns, channels, ctx, present };
        Plan { decided: Some(decided), ..self.clone() }
    }

    /// The names of the columns [`Plan::normalise`] adds, in order (all text): [`ROW_COLUMNS`],
    /// then `clean_<field>` and `status_<field>` of every field the table has (and
    /// `country_source` after `status_country`).
    pub fn added_columns(&self) -> Result<Vec<String>, Error> {
        let d = self.decided()?;
        let mut names: Vec<String> = ROW_COLUMNS.iter().map(|c| c.to_string()).collect();
        for f in &d.present {
            names.push(format!("clean_{}", f.name()));
            names.push(format!("status_{}", f.name()));
            if *f == Field::Country {
                names.push("country_source".into());
            }
        }
        Ok(names)
    }

    /// The batch with its rows cleaned: its own columns as they are, then
    /// [`Plan::added_columns`]. Every row stays, in order: a quarantined or blank row says so
    /// and has no cleaned fields.
    pub fn normalise(&self, batch: &RecordBatch) -> Result<RecordBatch, Error> {
        self.check(batch)?;
        let d = self.decided()?;
        let judge = parquet::Judge::new(&self.headers, self.config.max_line_bytes);
        let names = self.added_columns()?;
        let rows = batch.num_rows();
        let mut out: Vec<StringBuilder> = names.iter().map(|_| StringBuilder::with_capacity(rows, rows * 8)).collect();
        parquet::each_row(batch, |cells| {
            let verdict = judge.judge(cells);
            let (status, reason) = match &verdict {
                parquet::Verdict::Blank => ("blank", None),
                parquet::Verdict::Quarantined(reason) => ("quarantined", Some(reason.as_str())),
                parquet::Verdict::Accepted => ("accepted", None),
            };
            out[0].append_value(status);
            out[1].append_option(reason);
            if verdict != parquet::Verdict::Accepted {
                out[2..].iter_mut().for_each(StringBuilder::append_null);
                return;
            }
            let values = crate::packed::Strings::new(cells.iter().map(String::as_str));
            let (clean, inferred) = normalise::normalise_values(&values, &d.columns, &d.channels, &d.ctx);
            out[2].append_value(normalise::entity::entity_kind(&clean).name());
            let mut k = 3;
            for f in &d.present {
                out[k].append_value(clean.value(*f).unwrap_or(""));
                out[k + 1].append_value(clean.status(*f).as_str());
                k += 2;
                if *f == Field::Country {
                    out[k].append_value(inferred.map_or("", |how| how.name()));
                    k += 1;
                }
            }
        })
        .map_err(|e| Error::Usage(format!("a column cannot be read as text: {e}")))?;
        let mut fields: Vec<Column> = batch.schema().fields().iter().map(|f| f.as_ref().clone()).collect();
        let mut arrays: Vec<ArrayRef> = batch.columns().to_vec();
        for (name, mut b) in names.into_iter().zip(out) {
            fields.push(Column::new(name, DataType::Utf8, true));
            arrays.push(Arc::new(b.finish()));
        }
        RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
            .map_err(|e| Error::Usage(format!("the cleaned batch cannot be built: {e}")))
    }

    /// The columns [`Plan::merge`] returns, in order: `golden_id`, `member_count`, every field
    /// the table has, `other_emails`, `other_phones`, `stale`, `stale_reasons`, and the columns
    /// no field reads, passed through (golden.csv's, without `account_id`).
    pub fn golden_columns(&self) -> Result<Vec<String>, Error> {
        let d = self.decided()?;
        let mut names = vec!["golden_id".to_string(), "member_count".to_string()];
        names.extend(d.present.iter().map(|f| f.name().to_string()));
        names.extend(["other_emails", "other_phones", "stale", "stale_reasons"].map(String::from));
        names.extend(d.passthrough.iter().map(|&c| self.headers[c].clone()));
        Ok(names)
    }

    /// The golden records of the clusters whose rows `batch` holds, by the survivorship rules
    /// and judged by the stale policy (a rules folder's `survivorship.toml` and `stale.toml`, or
    /// the built-in ones): `batch` is what [`Plan::normalise`] gave,
    /// with a `golden_id` column naming each row's cluster, and holds every member of each
    /// cluster it touches (an engine groups by `golden_id`). Rows not accepted are left out.
    /// One row per golden record, sorted by golden id, in the columns [`Plan::golden_columns`]
    /// names: `member_count` a number, the rest text, as golden.csv writes them.
    pub fn merge(
        &self,
        batch: &RecordBatch,
        survivorship: &Survivorship,
        stale: &Policy,
    ) -> Result<RecordBatch, Error> {
        let d = self.decided()?;
        let text = |name: &str| -> Result<arrow_array::StringArray, Error> {
            let column = batch.column_by_name(name).ok_or_else(|| {
                Error::Usage(format!("the batch has no column {name:?}: merge reads what normalise gave and golden_id"))
            })?;
            let cast = arrow_cast::cast(column, &DataType::Utf8)
                .map_err(|e| Error::Usage(format!("column {name:?} cannot be read as text: {e}")))?;
            cast.as_any()
                .downcast_ref::<arrow_array::StringArray>()
                .cloned()
                .ok_or_else(|| Error::Usage(format!("column {name:?} cannot be read as text")))
        };
        use arrow_array::Array;
        let golden = text("golden_id")?;
        let status = text(ROW_COLUMNS[0])?;
        let fields: Vec<(Field, arrow_array::StringArray, arrow_array::StringArray)> = d
            .present
            .iter()
            .map(|f| Ok((*f, text(&format!("clean_{}", f.name()))?, text(&format!("status_{}", f.name()))?)))
            .collect::<Result<_, Error>>()?;
        let originals: Vec<arrow_array::StringArray> =
            self.headers.iter().map(|h| text(h)).collect::<Result<_, Error>>()?;
        let originals = RecordBatch::try_from_iter(
            self.headers.iter().zip(&originals).map(|(h, a)| (h.clone(), Arc::new(a.clone()) as ArrayRef)),
        )
        .map_err(|e| Error::Usage(format!("the batch's own columns cannot be read: {e}")))?;
        // Each accepted row: its cleaned fields, identity and e-mail key, as the CLI has them.
        let (mut clean, mut identity, mut email_keys, mut clusters) =
            (Vec::new(), Vec::new(), Vec::new(), BTreeMap::new());
        let mut kept: Vec<Vec<String>> = Vec::new();
        let mut r = 0usize;
        let mut bad = None;
        parquet::each_row(&originals, |cells| {
            let row = r;
            r += 1;
            if status.is_null(row) || status.value(row) != "accepted" {
                return;
            }
            if golden.is_null(row) || golden.value(row).is_empty() {
                bad = Some(format!("row {} of the batch has no golden_id", row + 1));
                return;
            }
            let mut cells_clean = vec![Cleaned::missing(); Field::COUNT];
            for (f, values, statuses) in &fields {
                let name = if statuses.is_null(row) { "" } else { statuses.value(row) };
                let Some(st) = Status::from_name(name) else {
                    bad =
                        Some(format!("row {}: status_{} is {name:?}, not a status normalise gives", row + 1, f.name()));
                    return;
                };
                let value = (st.has_value() && !values.is_null(row)).then(|| values.value(row).to_string());
                cells_clean[f.index()] = Cleaned { value, status: st };
            }
            let c = CleanRow::pack(&cells_clean);
            let values = crate::packed::Strings::new(cells.iter().map(String::as_str));
            let key = crate::ids::record_key_of(&ingest::Row::new(0, 0, values), &c);
            identity.push(crate::ids::identity_key(&format!("{}\u{1f}{key}", self.source)));
            email_keys.push(c.value(Field::Email).map(normalise::email::email_key).unwrap_or_default());
            clusters.entry(golden.value(row).to_string()).or_insert_with(Vec::new).push(clean.len());
            clean.push(c);
            kept.push(d.passthrough.iter().map(|&c| cells[c].clone()).collect());
        })
        .map_err(|e| Error::Usage(format!("a column cannot be read as text: {e}")))?;
        if let Some(problem) = bad {
            return Err(Error::Usage(problem));
        }
        let source = self.source.as_str();
        let custom = crate::normalise::custom::CustomValues::default();
        let rows = crate::merge::Rows {
            clean: &clean,
            source: Box::new(move |_| source),
            identity: &identity,
            email_key: Box::new(|i| email_keys[i].as_str()),
            custom: &custom,
        };
        let goldens = crate::merge::merge_clusters(&rows, clusters.into_iter().collect(), survivorship);
        let (reasons, _) = stale.applicable(&d.present);
        let names = self.golden_columns()?;
        let n = goldens.len();
        let mut out: Vec<StringBuilder> = names.iter().map(|_| StringBuilder::with_capacity(n, n * 8)).collect();
        let mut members = arrow_array::builder::Int64Builder::with_capacity(n);
        for g in &goldens {
            out[0].append_value(&g.golden_id);
            members.append_value(g.members.len() as i64);
            for (k, f) in d.present.iter().enumerate() {
                out[2 + k].append_value(g.value(*f).unwrap_or(""));
            }
            let k = 2 + d.present.len();
            out[k].append_value(g.other_emails().join(";"));
            out[k + 1].append_value(g.other_phones().join(";"));
            let judged: Vec<&str> = stale.judge(g, &reasons, self.as_of).into_iter().map(|r| r.code()).collect();
            out[k + 2].append_value((!judged.is_empty()).to_string());
            out[k + 3].append_value(judged.join(";"));
            for (x, value) in kept[g.passthrough_member].iter().enumerate() {
                out[k + 4 + x].append_value(value);
            }
        }
        let mut arrays: Vec<ArrayRef> = out.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef).collect();
        arrays[1] = Arc::new(members.finish());
        let fields: Vec<Column> = names
            .iter()
            .enumerate()
            .map(|(k, name)| Column::new(name, if k == 1 { DataType::Int64 } else { DataType::Utf8 }, false))
            .collect();
        RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
            .map_err(|e| Error::Usage(format!("the golden records cannot be built: {e}")))
    }

    /// The counts [`Plan::decide`] was given.
    pub fn tally_decided(&self) -> Option<&Tally> {
        self.decided.as_ref().map(|d| &d.tally)
    }

    /// The columns' mapping once the counts are known: flag columns holding counts unmapped.
    fn mapping_after(&self, tally: &Tally) -> headers::Mapping {
        let mut mapping = self.mapping.clone();
        let columns = mapping.fields.len();
        for &col in tally.counts.iter().filter(|&&c| c < columns) {
            headers::unmap_count_column(&mut mapping, col);
        }
        mapping
    }

    fn decided(&self) -> Result<&Decided, Error> {
        self.decided.as_ref().ok_or_else(|| {
            Error::Usage("the plan has not decided yet: tally every batch, add the tallies, then decide".into())
        })
    }

    fn check(&self, batch: &RecordBatch) -> Result<(), Error> {
        if batch.num_columns() != self.headers.len() {
            return Err(Error::Usage(format!(
                "the batch has {} columns and the plan {}: every batch must have the table's columns",
                batch.num_columns(),
                self.headers.len()
            )));
        }
        Ok(())
    }
}
