//! Parquet copies of the main tables: `--format parquet` writes records, golden, pairs and
//! segments as `.parquet` beside their CSV, typed, for warehouses and DuckDB.
//!
//! The CSV files stay the run's own record (`--previous`, `undo`, `evaluate` and `explain` read
//! them); each Parquet file is written from its staged CSV, so both hold the same rows and
//! values, and only this module knows the Parquet format. A column's type comes from what it
//! is: the cleaned fields by their kind (dates as `Date32`, counts as `Int64`, money as
//! `Decimal128` with the column's own scale, consents and flags as `Boolean`), line numbers and
//! member counts as integers, match weights and probabilities as `Float64`, `linked`, `stale`
//! and `holdout` as booleans; everything else (the input's own columns, statuses, ids) is text.
//! A typed column keeps its type only when every value in it reads as that type, else it is
//! written as text: a value is never lost to a type. Empty cells are nulls.

use crate::field::{Field, Kind};
use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Decimal128Builder, Float64Builder, Int64Builder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field as ArrowField, Schema};
use std::path::Path;
use std::sync::Arc;

/// The tables written as Parquet too, by `--format parquet`.
pub const TABLES: [&str; 4] = ["records", "golden", "pairs", "segments"];

/// Rows per record batch (and row group granule).
const BATCH: usize = 65_536;

/// A column's type in Parquet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Text,
    Int,
    Float,
    Bool,
    Date,
    /// Decimal with this many digits after the point.
    Decimal(u8),
}

/// The type a column of `table` is meant to have, by its name.
fn intended(table: &str, column: &str) -> Type {
    match column {
        "source_line" | "source_line_l" | "source_line_r" | "member_count" => return Type::Int,
        "match_weight" | "match_probability" => return Type::Float,
        "linked" | "stale" | "holdout" => return Type::Bool,
        _ => {}
    }
    if table == "pairs" && column.starts_with("mw_") {
        return Type::Float;
    }
    // Cleaned fields: golden.csv names them as they are, records.csv as `clean_<field>`.
    let field = match table {
        "golden" => Field::from_name(column),
        "records" => column.strip_prefix("clean_").and_then(Field::from_name),
        _ => None,
    };
    match field.map(Field::kind) {
        Some(Kind::Date) => Type::Date,
        Some(Kind::Count) => Type::Int,
        Some(Kind::Money) => Type::Decimal(0),
        Some(Kind::Bool) => Type::Bool,
        _ => Type::Text,
    }
}

fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn parse_date(v: &str) -> Option<i32> {
    let d = crate::normalise::date::Date::parse_iso(v)?;
    i32::try_from(d.days_since_epoch()).ok()
}

/// A plain decimal (`-1234.5`): its digits after the point, when it is one.
fn decimal_scale(v: &str) -> Option<u8> {
    let digits = v.strip_prefix('-').unwrap_or(v);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && whole.len() + fraction.len() <= 30
        && fraction.len() <= 8;
    ok.then_some(fraction.len() as u8)
}

/// The value of a plain decimal in units of 10^-scale.
fn decimal_units(v: &str, scale: u8) -> Option<i128> {
    let (negative, digits) = match v.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, v),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mut units: i128 = whole.parse().ok()?;
    for i in 0..scale as usize {
        let d = fraction.as_bytes().get(i).map_or(0, |b| i128::from(b - b'0'));
        units = units.checked_mul(10)?.checked_add(d)?;
    }
    Some(if negative { -units } else { units })
}

/// Whether `v` reads as type `t`; for decimals, widens the scale to hold it.
fn fits(t: &mut Type, v: &str) -> bool {
    match t {
        Type::Text => true,
        Type::Int => v.parse::<i64>().is_ok(),
        Type::Float => v.parse::<f64>().is_ok(),
        Type::Bool => parse_bool(v).is_some(),
        Type::Date => parse_date(v).is_some(),
        Type::Decimal(scale) => match decimal_scale(v) {
            Some(s) => {
                *scale = (*scale).max(s);
                true
            }
            None => false,
        },
    }
}

fn csv_reader(path: &Path) -> std::io::Result<csv::Reader<std::fs::File>> {
    let file = std::fs::File::open(path)?;
    Ok(csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(file))
}

fn other(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// Writes the Parquet copy of `table` (its CSV already staged at `csv`) into `out`.
pub fn write_copy(table: &str, csv: &Path, out: &mut (dyn std::io::Write + Send)) -> std::io::Result<()> {
    // Pass 1: each column's type, kept only where every value reads as it.
    let mut reader = csv_reader(csv)?;
    let headers: Vec<String> = reader.headers().map_err(other)?.iter().map(str::to_string).collect();
    let mut types: Vec<Type> = headers.iter().map(|h| intended(table, h)).collect();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(other)? {
        for (t, v) in types.iter_mut().zip(record.iter()) {
            if !v.is_empty() && !fits(t, v) {
                *t = Type::Text;
            }
        }
    }
    let schema = Arc::new(Schema::new(
        headers
            .iter()
            .zip(&types)
            .map(|(h, t)| {
                let data_type = match t {
                    Type::Text => DataType::Utf8,
                    Type::Int => DataType::Int64,
                    Type::Float => DataType::Float64,
                    Type::Bool => DataType::Boolean,
                    Type::Date => DataType::Date32,
                    Type::Decimal(scale) => DataType::Decimal128(38, *scale as i8),
                };
                ArrowField::new(h, data_type, true)
            })
            .collect::<Vec<_>>(),
    ));
    // Pass 2: the rows, a batch at a time.
    let properties = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::SNAPPY)
        .set_created_by("regclean".into())
        .build();
    let mut writer = parquet::arrow::ArrowWriter::try_new(out, schema.clone(), Some(properties)).map_err(other)?;
    let mut reader = csv_reader(csv)?;
    let mut rows: Vec<csv::StringRecord> = Vec::with_capacity(BATCH);
    loop {
        rows.clear();
        while rows.len() < BATCH {
            let mut r = csv::StringRecord::new();
            if !reader.read_record(&mut r).map_err(other)? {
                break;
            }
            rows.push(r);
        }
        if rows.is_empty() {
            break;
        }
        let columns: Vec<ArrayRef> = types.iter().enumerate().map(|(c, t)| column(&rows, c, *t)).collect();
        let batch = RecordBatch::try_new(schema.clone(), columns).map_err(other)?;
        writer.write(&batch).map_err(other)?;
        if rows.len() < BATCH {
            break;
        }
    }
    writer.close().map_err(other)?;
    Ok(())
}

/// Column `c` of `rows` as an array of type `t` (every value checked to read as it in pass 1).
fn column(rows: &[csv::StringRecord], c: usize, t: Type) -> ArrayRef {
    let values = rows.iter().map(|r| r.get(c).filter(|v| !v.is_empty()));
    match t {
        Type::Text => {
            let mut b = StringBuilder::new();
            values.for_each(|v| b.append_option(v));
            Arc::new(b.finish())
        }
        Type::Int => {
            let mut b = Int64Builder::new();
            values.for_each(|v| b.append_option(v.and_then(|v| v.parse().ok())));
            Arc::new(b.finish())
        }
        Type::Float => {
            let mut b = Float64Builder::new();
            values.for_each(|v| b.append_option(v.and_then(|v| v.parse().ok())));
            Arc::new(b.finish())
        }
        Type::Bool => {
            let mut b = BooleanBuilder::new();
            values.for_each(|v| b.append_option(v.and_then(parse_bool)));
            Arc::new(b.finish())
        }
        Type::Date => {
            let mut b = Date32Builder::new();
            values.for_each(|v| b.append_option(v.and_then(parse_date)));
            Arc::new(b.finish())
        }
        Type::Decimal(scale) => {
            let mut b = Decimal128Builder::new();
            values.for_each(|v| b.append_option(v.and_then(|v| decimal_units(v, scale))));
            let array = b.finish().with_precision_and_scale(38, scale as i8).expect("38 digits hold any scale up to 8");
            Arc::new(array)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_typed_by_what_they_are() {
        assert_eq!(intended("golden", "birth_date"), Type::Date);
        assert_eq!(intended("golden", "revenue"), Type::Decimal(0));
        assert_eq!(intended("golden", "order_count"), Type::Int);
        assert_eq!(intended("golden", "email_consent"), Type::Bool);
        assert_eq!(intended("golden", "email"), Type::Text);
        assert_eq!(intended("golden", "Customer Notes"), Type::Text);
        assert_eq!(intended("records", "clean_created_at"), Type::Date);
        assert_eq!(intended("records", "Date of Birth"), Type::Text, "the input's own columns stay as written");
        assert_eq!(intended("records", "source_line"), Type::Int);
        assert_eq!(intended("pairs", "mw_email"), Type::Float);
        assert_eq!(intended("pairs", "linked"), Type::Bool);
        assert_eq!(intended("segments", "holdout"), Type::Bool);
    }

    #[test]
    fn a_decimal_column_takes_the_scale_of_its_values_and_anything_else_makes_it_text() {
        let mut t = Type::Decimal(0);
        assert!(fits(&mut t, "1236") && fits(&mut t, "5495.98") && fits(&mut t, "-0.5"));
        assert_eq!(t, Type::Decimal(2));
        assert_eq!(decimal_units("5495.98", 2), Some(549_598));
        assert_eq!(decimal_units("-0.5", 2), Some(-50));
        assert_eq!(decimal_units("1236", 2), Some(123_600));
        assert!(!fits(&mut t, "1e5") && !fits(&mut t, "12,5") && !fits(&mut t, "."));
        let mut d = Type::Date;
        assert!(fits(&mut d, "2024-02-29") && !fits(&mut d, "2023-02-29") && !fits(&mut d, "1995"));
        assert_eq!(parse_date("1970-01-02"), Some(1));
    }
}
