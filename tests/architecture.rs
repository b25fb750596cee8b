//! The layering ARCHITECTURE.md describes, checked from the source: no import cycles between
//! modules, no command module using another, no citation of files outside the repository.
//!
//! It reads `src/**/*.rs` as text (std only): every `crate::…` path and `super::…` path outside a
//! `#[cfg(test)]` block is an edge from the file's module to the longest module that path names.
//! A module using its own ancestor or descendant is not an edge (a parent wires its children).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

#[test]
fn no_import_cycles() {
    let graph = module_graph(&src_dir());
    let cycles = cycles(&graph);
    assert!(
        cycles.is_empty(),
        "import cycles (each line is one strongly connected set of modules):\n{}",
        cycles
            .iter()
            .map(|c| format!("  {}", c.join(" <-> ")))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn commands_do_not_use_each_other() {
    let graph = module_graph(&src_dir());
    let mut found = Vec::new();
    for (from, tos) in &graph {
        let Some(own) = command_of(from) else {
            continue;
        };
        for to in tos {
            if let Some(other) = command_of(to)
                && other != own
            {
                found.push(format!("  {from} -> {to}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "commands using other commands (move what they share out of src/commands):\n{}",
        found.join("\n")
    );
}

#[test]
fn nothing_cites_files_outside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = rust_files(&root.join("src"));
    files.extend(rust_files(&root.join("tests")));
    files.push(root.join("scripts/test.sh"));
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            // Split so this file does not match itself.
            if line.contains(concat!("shared/", "reference"))
                || line.contains(concat!("runtime-", "contract.md"))
            {
                found.push(format!("  {}:{}", file.display(), n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "citations of files outside the repository:\n{}",
        found.join("\n")
    );
}

/// The checker itself: a cycle through a `use` group and a `super::` path is found, and a
/// parent using its child (or a child its parent) is not one.
#[test]
fn the_checker_sees_a_cycle() {
    let files = [
        (
            "a/mod.rs",
            "use crate::b::{x, y::Z};\nuse self::inner::Q;\n",
        ),
        (
            "a/inner.rs",
            "fn f() { super::super::c::g(); super::super::b::y::h() }\n",
        ),
        ("b/mod.rs", "pub mod y;\n"),
        ("b/y.rs", "use crate::a::inner;\n"),
        ("c.rs", "#[cfg(test)]\nmod tests { use crate::a::X; }\n"),
    ];
    let dir = std::env::temp_dir().join(format!("agentcore-arch-{}", std::process::id()));
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let graph = module_graph(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        cycles(&graph),
        vec![vec!["a::inner".to_string(), "b::y".to_string()]],
        "graph: {graph:?}"
    );
    assert!(
        graph["a"].contains("b"),
        "a `use crate::b::{{…}}` group is an edge"
    );
    assert!(
        graph["a::inner"].contains("c"),
        "super::super::c is an edge"
    );
    assert!(graph["c"].is_empty(), "test-only uses are not edges");
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// `commands::deploy::plan` -> `deploy`; `commands` itself and non-commands -> None.
fn command_of(module: &str) -> Option<&str> {
    module
        .strip_prefix("commands::")
        .map(|rest| rest.split("::").next().unwrap_or(rest))
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The module a file defines: `emulator/hosts/mod.rs` -> `emulator::hosts`, `lib.rs` -> ``.
fn module_name(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts.join("::")
}

fn module_graph(root: &Path) -> Graph {
    let files = rust_files(root);
    let modules: BTreeSet<String> = files.iter().map(|f| module_name(root, f)).collect();
    let mut graph = Graph::new();
    for file in &files {
        let from = module_name(root, file);
        let text = std::fs::read_to_string(file).unwrap();
        let text = text.split("#[cfg(test)]").next().unwrap_or("");
        let edges = graph.entry(from.clone()).or_default();
        for path in paths_in(text, &from) {
            let Some(to) = longest_module(&modules, &path) else {
                continue;
            };
            let related = to == from
                || from.starts_with(&format!("{to}::"))
                || to.starts_with(&format!("{from}::"))
                || to.is_empty()
                || from.is_empty();
            if !related {
                edges.insert(to);
            }
        }
    }
    graph
}

/// Every module path the text names, absolute (`a::b::c`), with `use` groups expanded.
fn paths_in(text: &str, module: &str) -> Vec<String> {
    let parent: Vec<&str> = {
        let mut p: Vec<&str> = module.split("::").filter(|s| !s.is_empty()).collect();
        p.pop();
        p
    };
    let mut out = Vec::new();
    for (start, _) in text
        .match_indices("crate::")
        .chain(text.match_indices("super::"))
    {
        // Skip a match inside a longer identifier (`some_crate::`, `super::super::` tail).
        let before = text[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let mut rest = &text[start..];
        let mut base: Vec<String> = Vec::new();
        if rest.starts_with("crate::") {
            rest = &rest["crate::".len()..];
        } else {
            base = parent.iter().map(|s| s.to_string()).collect();
            rest = &rest["super::".len()..];
            while let Some(r) = rest.strip_prefix("super::") {
                base.pop();
                rest = r;
            }
        }
        for tail in expand(rest) {
            let mut full = base.clone();
            full.extend(tail.split("::").filter(|s| !s.is_empty()).map(String::from));
            out.push(full.join("::"));
        }
    }
    out
}

/// `a::b::{c, d::{e}}; …` -> [`a::b::c`, `a::b::d::e`]; `a::b(x)` -> [`a::b`].
fn expand(rest: &str) -> Vec<String> {
    let ident_end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(rest.len());
    let head = rest[..ident_end].trim_end_matches(':');
    if !rest[ident_end..].starts_with('{') || !rest[..ident_end].ends_with("::") {
        return vec![head.to_string()];
    }
    let body = &rest[ident_end + 1..];
    let mut depth = 1;
    let mut end = body.len();
    for (i, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    end = i;
                    break;
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    let mut depth = 0;
    let mut item_start = 0;
    let inner = &body[..end];
    for (i, c) in inner.char_indices().chain([(inner.len(), ',')]) {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                let item = inner[item_start..i].trim();
                item_start = i + 1;
                if item.is_empty() || item == "self" {
                    out.push(head.to_string());
                    continue;
                }
                for tail in expand(item) {
                    out.push(format!("{head}::{tail}"));
                }
            }
            _ => {}
        }
    }
    out
}

fn longest_module(modules: &BTreeSet<String>, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = path.split("::").collect();
    while !parts.is_empty() {
        let candidate = parts.join("::");
        if modules.contains(&candidate) {
            return Some(candidate);
        }
        parts.pop();
    }
    None
}

/// Strongly connected sets of two or more modules (Tarjan), each sorted, in sorted order.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct Tarjan<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        found: Vec<Vec<String>>,
    }
    impl<'g> Tarjan<'g> {
        fn visit(&mut self, v: &'g str) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if self.on_stack.contains(w) {
                    let iw = self.index[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut set = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    set.push(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if set.len() > 1 {
                    set.sort();
                    self.found.push(set);
                }
            }
        }
    }
    let mut t = Tarjan {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !t.index.contains_key(v.as_str()) {
            t.visit(v);
        }
    }
    t.found.sort();
    t.found
}
