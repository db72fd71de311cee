//! The rule files and the condition language on arbitrary text.
//!
//! Rules are data written by people; a bad one must be refused with a message, never a panic.
#![no_main]

use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;
use regclean::config::Config;
use regclean::merge::rules::Survivorship;
use regclean::segment::{self, SegmentRules, expr};
use regclean::stale::Policy;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let _ = SegmentRules::parse(&[(PathBuf::from("f.toml"), text.clone())]);
    let _ = expr::parse(&text, &segment::schema());
    let _ = Survivorship::parse(&text, Path::new("s.toml"));
    let _ = Policy::parse(&text, Path::new("s.toml"));
    let _ = Config::parse(&text, Path::new("c.toml"));
});
