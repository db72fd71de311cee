//! "Suppression and erasure": how many golden records the `--suppress` lists held back and how
//! many of each list's entries matched nobody, the rows an erasure log kept out of the run, and
//! what `regclean erase` removed since. Counts and list names only.

use super::notation::notation;
use serde::Serialize;
use serde_json::Value;

#[derive(Serialize)]
pub(super) struct Privacy {
    /// Golden records suppressed by any list (`None` without `--suppress`).
    suppressed: Option<String>,
    lists: Vec<List>,
    kept_out: Option<KeptOut>,
    erased: Option<Erased>,
}

#[derive(Serialize)]
pub(super) struct List {
    name: String,
    entries: String,
    unmatched: String,
    suppressed: String,
}

#[derive(Serialize)]
pub(super) struct KeptOut {
    rows: String,
    log_entries: String,
}

#[derive(Serialize)]
pub(super) struct Erased {
    golden_records: String,
    rows: String,
    erasures: String,
}

pub(super) fn privacy(r: &Value) -> Option<Privacy> {
    let nf = notation(r);
    let s = r.get("suppression").filter(|s| s.is_object());
    let lists = s
        .and_then(|s| s.get("lists"))
        .and_then(Value::as_array)
        .map(|lists| {
            lists
                .iter()
                .map(|l| List {
                    name: super::scalar(l.get("name")),
                    entries: nf.count_of(l.get("entries")),
                    unmatched: nf.count_of(l.get("entries_unmatched")),
                    suppressed: nf.count_of(l.get("golden_records_suppressed")),
                })
                .collect()
        })
        .unwrap_or_default();
    let kept_out = r
        .get("erasure")
        .filter(|e| e.is_object())
        .map(|e| KeptOut { rows: nf.count_of(e.get("rows_kept_out")), log_entries: nf.count_of(e.get("log_entries")) });
    let erased = r.get("erased").filter(|e| e.is_object()).map(|e| Erased {
        golden_records: nf.count_of(e.get("golden_records")),
        rows: nf.count_of(e.get("rows")),
        erasures: nf.count_of(e.get("erasures")),
    });
    let suppressed = s.map(|s| nf.count_of(s.get("golden_records_suppressed")));
    (suppressed.is_some() || kept_out.is_some() || erased.is_some()).then_some(Privacy {
        suppressed,
        lists,
        kept_out,
        erased,
    })
}
