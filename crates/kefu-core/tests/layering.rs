//! No circles between modules: a module that uses another (any `super::x` / `crate::x` path
//! in its code, imports or not, tests and comments left out) is not used back by it,
//! directly or through others. Checked for the crate's top-level modules and for the
//! conversation engine's (`src/dialogue/`), so a new circle fails here with its path.
//!
//! Allowed: a type module and the table of its built-in values, which are one module in two
//! files (`config` ↔ `defaults`, `locale` ↔ `locale_texts`), and the knowledge base's types
//! and how format 5 writes their texts (`kb` ↔ `stored_texts`). Not seen: what a directory
//! module's own files use at the crate level — `dialogue` and `kb` use each other (the
//! compiled file embeds the conversation settings; see ARCHITECTURE.md on a split).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const ALLOWED: &[(&str, &str)] = &[
    ("config", "defaults"),
    ("locale", "locale_texts"),
    ("kb", "stored_texts"),
];

/// The code of a source file without comments and without its `#[cfg(test)]` module.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = match text.find("#[cfg(test)]\nmod ") {
        Some(at) => &text[..at],
        None => &text[..],
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(at) => &l[..at],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules `code` names after one of `prefixes` (`super::`, `crate::dialogue::`), either
/// directly (`super::x::…`) or inside a group (`super::{x, y::z}`).
fn used(code: &str, prefixes: &[&str], modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for prefix in prefixes {
        for (at, _) in code.match_indices(prefix) {
            let rest = &code[at + prefix.len()..];
            let names: Vec<String> = match rest.strip_prefix('{') {
                Some(group) => {
                    let group = &group[..group.find('}').unwrap_or(group.len())];
                    group.split(',').map(|part| ident(part.trim())).collect()
                }
                None => vec![ident(rest)],
            };
            out.extend(names.into_iter().filter(|n| modules.contains(n)));
        }
    }
    out
}

/// Module name → the modules it uses, for every `.rs` file directly in `dir` (a `mod.rs` or
/// `lib.rs` is the parent, not a module of the layer).
fn graph(dir: &Path, prefixes: &[&str]) -> BTreeMap<String, BTreeSet<String>> {
    let files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter(|p| !matches!(p.file_stem().and_then(|s| s.to_str()), Some("mod" | "lib")))
        .collect();
    let modules: BTreeSet<String> = files
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .chain(
            std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.join("mod.rs").exists())
                .map(|p| p.file_name().unwrap().to_string_lossy().into_owned()),
        )
        .collect();
    files
        .iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let mut uses = used(&code(p), prefixes, &modules);
            uses.remove(&name);
            (name, uses)
        })
        .collect()
}

/// A path of uses from `from` to `to`, if there is one.
fn path(g: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> Option<Vec<String>> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![vec![from.to_string()]];
    while let Some(p) = stack.pop() {
        let last = p.last().unwrap();
        if last == to && p.len() > 1 {
            return Some(p);
        }
        if !seen.insert(last.clone()) {
            continue;
        }
        for next in g.get(last).into_iter().flatten() {
            let mut q = p.clone();
            q.push(next.clone());
            stack.push(q);
        }
    }
    None
}

fn circles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let allowed = |a: &str, b: &str| {
        ALLOWED
            .iter()
            .any(|&(x, y)| (x == a && y == b) || (x == b && y == a))
    };
    let mut found = Vec::new();
    for (module, uses) in g {
        for used in uses {
            if allowed(module, used) {
                continue;
            }
            if let Some(back) = path(g, used, module) {
                found.push(format!("{module} -> {}", back.join(" -> ")));
            }
        }
    }
    found
}

#[test]
fn the_conversation_engine_has_no_circles() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/dialogue"));
    let g = graph(dir, &["super::", "crate::dialogue::"]);
    assert!(
        g.len() > 20 && g["turn"].contains("say"),
        "the graph reads: {g:?}"
    );
    let found = circles(&g);
    assert!(found.is_empty(), "circles:\n{}", found.join("\n"));
}

#[test]
fn the_crate_modules_have_no_circles() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
    let g = graph(dir, &["crate::"]);
    assert!(g["matcher"].contains("index"), "the graph reads: {g:?}");
    let found = circles(&g);
    assert!(found.is_empty(), "circles:\n{}", found.join("\n"));
}

#[test]
fn a_circle_is_found() {
    let g: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("config", vec!["defaults"]),
        ("defaults", vec!["config"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
    .collect();
    let found = circles(&g);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found.contains(&"a -> b -> c -> a".to_string()), "{found:?}");
    let modules = ["x", "y", "z"].map(String::from).into_iter().collect();
    assert_eq!(
        used(
            "use super::{x, y::Z};\nsuper::z::f()",
            &["super::"],
            &modules
        ),
        modules
    );
}
