//! The module graph's invariants (ARCHITECTURE.md, "Dependencies"), checked from the code: every
//! `crate::<module>` a file of `src/` names is an edge from its top-level module. Stages import
//! only shared leaf modules and earlier stages, nothing imports `pipeline`, leaf modules import
//! only leaf modules, and the graph of top-level modules has no cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Shared leaf modules: anything may import them; they import only each other.
const LEAVES: &[&str] = &["field", "packed", "spill", "error", "diagnostics", "progress", "chunks", "sources"];
/// The stages, in pipeline order: a stage imports only leaves and earlier stages.
const STAGES: &[&str] = &["ingest", "normalise", "ids", "dedup", "merge", "household", "stale", "segment"];

/// Top-level module → the top-level modules its files name through `crate::`.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap();
            let top =
                rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
            if top == "main" || top == "lib" || top == "cmd" {
                continue; // the binary (main and its subcommands) and the crate root tie everything together
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let deps = edges.entry(top.clone()).or_default();
            for (i, _) in text.match_indices("crate::") {
                let name: String =
                    text[i + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if !name.is_empty() && name != top && !name.chars().next().unwrap().is_uppercase() {
                    deps.insert(name);
                }
            }
            // `use crate::{a, b::c}` names several modules at once.
            for (i, _) in text.match_indices("crate::{") {
                let inner: String = text[i + 8..].chars().take_while(|&c| c != '}').collect();
                for part in inner.split(',') {
                    let name: String =
                        part.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                    if !name.is_empty() && name != top && !name.chars().next().unwrap().is_uppercase() {
                        deps.insert(name);
                    }
                }
            }
        }
    }
    edges
}

#[test]
fn stages_and_leaves_import_only_what_comes_before_them() {
    let g = graph();
    let mut problems = Vec::new();
    for (module, deps) in &g {
        for d in deps {
            if d == "pipeline" {
                problems.push(format!("{module} imports pipeline: nothing may"));
            }
            if LEAVES.contains(&module.as_str()) && !LEAVES.contains(&d.as_str()) {
                problems.push(format!("leaf {module} imports {d}"));
            }
            if let Some(k) = STAGES.iter().position(|s| s == module) {
                let earlier = STAGES[..k].contains(&d.as_str());
                if !earlier && !LEAVES.contains(&d.as_str()) {
                    problems.push(format!("stage {module} imports {d}: only leaves and earlier stages"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "forbidden imports:\n{}", problems.join("\n"));
}

#[test]
fn the_module_graph_has_no_cycle() {
    let g = graph();
    // Depth-first search with colours; report the first cycle found.
    fn visit(
        m: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(m) {
            Some(1) => {
                let start = path.iter().position(|x| x == m).unwrap();
                let mut cycle = path[start..].to_vec();
                cycle.push(m.to_string());
                return Some(cycle);
            }
            Some(2) => return None,
            _ => {}
        }
        state.insert(m.to_string(), 1);
        path.push(m.to_string());
        for d in g.get(m).into_iter().flatten() {
            if let Some(c) = visit(d, g, state, path) {
                return Some(c);
            }
        }
        path.pop();
        state.insert(m.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in g.keys() {
        if let Some(cycle) = visit(m, &g, &mut state, &mut Vec::new()) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
}
