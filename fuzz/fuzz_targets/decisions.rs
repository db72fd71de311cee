//! The reviewer's decisions file on arbitrary text.
//!
//! Row names that resolve, that are ambiguous (`C1`) and that have no id cover every branch of
//! name resolution; a bad decisions file must be refused with a message, never a panic.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use regclean::decisions::{self, RowNames};

fn names() -> &'static RowNames {
    static NAMES: OnceLock<RowNames> = OnceLock::new();
    NAMES.get_or_init(|| {
        let rows = [("crm.csv", 2, "C1"), ("crm.csv", 3, "C2"), ("shop.csv", 2, "C1"), ("shop.csv", 3, "")];
        RowNames::new(rows.into_iter())
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = decisions::parse(&text, Path::new("d.csv"), names());
});
