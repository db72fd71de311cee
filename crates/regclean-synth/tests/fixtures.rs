//! The fixture generator reproduces the committed fixtures byte for byte: that is what proves
//! the port from the original Python script right, and what keeps the expected outputs next to
//! the fixtures valid. After a deliberate change to the generator, rewrite the fixtures with
//! `regclean generate --fixtures fixtures` and update the expected outputs.

use std::fs;
use std::path::{Path, PathBuf};

fn committed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

#[test]
fn writes_the_committed_fixtures_byte_for_byte() {
    let out = std::env::temp_dir().join(format!("regclean-synth-fixtures-{}", std::process::id()));
    let _ = fs::remove_dir_all(&out);
    let summary = regclean_synth::write_fixtures(&out).expect("fixtures written");
    assert_eq!((summary.hubspot_rows, summary.shop_rows), (195, 150));
    assert_eq!(summary.shop_broken.iter().map(|b| b.0).collect::<Vec<_>>(), [42, 97, 151]);
    if let Some(missing) = &summary.febrl_missing {
        println!("febrl_headers not compared: {} not found", missing.display());
    }
    let mut differ = Vec::new();
    for rel in &summary.written {
        let ours = fs::read(out.join(rel)).expect("written file");
        let theirs = fs::read(committed().join(rel)).expect("committed file");
        if ours != theirs {
            let at = ours.iter().zip(&theirs).position(|(a, b)| a != b).unwrap_or(ours.len().min(theirs.len()));
            differ.push(format!("{} (first difference at byte {at})", rel.display()));
        }
    }
    let expected = 10 + usize::from(summary.febrl_missing.is_none());
    assert_eq!(summary.written.len(), expected, "{:?}", summary.written);
    let _ = fs::remove_dir_all(&out);
    assert!(differ.is_empty(), "differ from the committed fixtures: {differ:#?}");
}
