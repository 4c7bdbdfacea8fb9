//! The shape of the house, checked from the source: which file imports which (every `use` and
//! every path through `crate::`, `super::` or a child module, in code, not comments or strings).
//! No two files may reach each other through imports (no cycle of any length), and no file may
//! import a module of a later stage: bottom (stage types, numerics) → parse → check → lower →
//! run → emit → front ends.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The stage of a top-level module; a file may import only modules of its own stage or below.
fn stage(module: &str) -> Option<u8> {
    Some(match module {
        "span" | "limits" | "deep" | "stdlib" | "progress" => 0,
        "diag" | "types" | "number" | "schema" => 1,
        "backend" | "observe" | "builtins" => 2,
        "ir" => 3,
        "syntax" | "naming" => 4,
        "check" => 5,
        "lower" => 6,
        "eval" | "kinds" => 7,
        "output" | "reference" => 8,
        "lib" | "repl" | "fuzz_harness" => 9,
        _ => return None,
    })
}

/// Code with comments, string and char literals blanked out (lengths kept).
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let skip = literal_or_comment_len(&b[i..]);
        if skip > 0 {
            out.extend(
                b[i..i + skip]
                    .iter()
                    .map(|&c| if c == b'\n' { c } else { b' ' }),
            );
            i += skip;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The length of the comment or literal at the start of `rest` (0 if none).
fn literal_or_comment_len(rest: &[u8]) -> usize {
    let find = |from: usize, pat: &[u8]| {
        rest[from..]
            .windows(pat.len())
            .position(|w| w == pat)
            .map(|p| from + p + pat.len())
    };
    if rest.starts_with(b"//") {
        find(0, b"\n").map_or(rest.len(), |e| e - 1)
    } else if rest.starts_with(b"/*") {
        find(2, b"*/").unwrap_or(rest.len())
    } else if rest.starts_with(b"r#\"") {
        find(3, b"\"#").unwrap_or(rest.len())
    } else if rest.starts_with(b"\"") {
        string_end(rest)
    } else if rest.starts_with(b"'") && rest.len() > 2 && (rest[1] == b'\\' || rest[2] == b'\'') {
        find(2, b"'").unwrap_or(1)
    } else {
        0
    }
}

fn string_end(b: &[u8]) -> usize {
    let mut j = 1;
    while j < b.len() && b[j] != b'"' {
        j += if b[j] == b'\\' { 2 } else { 1 };
    }
    (j + 1).min(b.len())
}

/// Identifiers and `::`, `{`, `}`, `,`, `;` of a code text.
fn tokens(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let cs: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c.is_alphanumeric() || c == '_' {
            let s = i;
            while i < cs.len() && (cs[i].is_alphanumeric() || cs[i] == '_') {
                i += 1;
            }
            out.push(cs[s..i].iter().collect());
            continue;
        }
        if c == ':' && cs.get(i + 1) == Some(&':') {
            out.push("::".into());
            i += 2;
            continue;
        }
        if "{},;".contains(c) {
            out.push(c.to_string());
        } else if !c.is_whitespace() {
            out.push("·".into());
        }
        i += 1;
    }
    out
}

/// The tokens without `#[cfg(test)] mod … { … }` blocks: a unit test module belongs to the
/// file it tests (its `super::*` is that file), not to the import graph.
fn without_test_modules(t: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(t.len());
    let mut i = 0;
    while i < t.len() {
        let is_test_mod = t[i] == "cfg"
            && t.get(i + 2).map(String::as_str) == Some("test")
            && t.get(i + 5).map(String::as_str) == Some("mod")
            && t.get(i + 7).map(String::as_str) == Some("{");
        if !is_test_mod {
            out.push(t[i].clone());
            i += 1;
            continue;
        }
        let mut depth = 0;
        i += 7;
        while i < t.len() {
            depth += match t[i].as_str() {
                "{" => 1,
                "}" => -1,
                _ => 0,
            };
            i += 1;
            if depth == 0 {
                break;
            }
        }
    }
    out
}

/// Every path beginning at `t[i]`, with `{a, b::c}` groups expanded; returns the next index.
fn paths_at(t: &[String], mut i: usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let mut path = prefix;
    loop {
        if t.get(i).map(String::as_str) == Some("{") {
            i += 1;
            while i < t.len() && t[i] != "}" {
                i = paths_at(t, i, path.clone(), out);
                if t.get(i).map(String::as_str) == Some(",") {
                    i += 1;
                }
            }
            return i + 1;
        }
        match t.get(i) {
            Some(s) if s.chars().all(|c| c.is_alphanumeric() || c == '_') => path.push(s.clone()),
            _ => break,
        }
        i += 1;
        if t.get(i).map(String::as_str) != Some("::") {
            break;
        }
        i += 1;
    }
    out.push(path);
    i
}

/// The module path of a source file: `src/eval/jobs/mod.rs` → [eval, jobs].
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap().trim_end_matches(".rs").to_string();
    if last != "mod" && last != "lib" {
        parts.push(last);
    }
    parts
}

struct Tree {
    files: BTreeMap<Vec<String>, PathBuf>,
}

impl Tree {
    /// The file a module path lands in: its longest prefix that is a file.
    fn resolve(&self, path: &[String]) -> Option<Vec<String>> {
        (1..=path.len())
            .rev()
            .map(|k| path[..k].to_vec())
            .find(|p| self.files.contains_key(p))
    }

    /// The files a file imports (other than itself).
    fn imports(&self, module: &[String], text: &str) -> BTreeSet<Vec<String>> {
        let t = without_test_modules(tokens(&code_only(text)));
        let children: BTreeSet<&str> = t
            .windows(3)
            .filter(|w| w[0] == "mod" && w[2] == ";")
            .map(|w| w[1].as_str())
            .collect();
        let mut found = Vec::new();
        let mut i = 0;
        while i < t.len() {
            let head = t[i].as_str();
            let next_is_path = t.get(i + 1).map(String::as_str) == Some("::");
            let after_use = i > 0 && t[i - 1] == "use";
            let start: Option<Vec<String>> = match head {
                "crate" if next_is_path => Some(Vec::new()),
                "super" | "self" if next_is_path => Some(self.base(module, &t, &mut i)),
                c if (next_is_path || after_use) && children.contains(c) => Some(module.to_vec()),
                "{" if after_use => Some(module.to_vec()),
                _ => None,
            };
            match start {
                Some(prefix) => {
                    let skip = if matches!(head, "crate" | "super" | "self") {
                        2
                    } else {
                        0
                    };
                    i = paths_at(&t, i + skip, prefix, &mut found);
                }
                None => i += 1,
            }
        }
        found
            .iter()
            .filter_map(|p| self.resolve(p))
            .filter(|p| p.as_slice() != module && !p.is_empty())
            .collect()
    }

    /// The module `super::super::…` or `self::` names; moves `i` to its last keyword.
    fn base(&self, module: &[String], t: &[String], i: &mut usize) -> Vec<String> {
        let mut base = module.to_vec();
        if t[*i] == "super" {
            base.pop();
            while t.get(*i + 2).map(String::as_str) == Some("super") {
                base.pop();
                *i += 2;
            }
        }
        base
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every library file and the files it imports.
fn import_graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let src = crate::support::repo_path("src");
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    paths.retain(|p| !p.starts_with(src.join("bin")));
    let files: BTreeMap<Vec<String>, PathBuf> = paths
        .iter()
        .map(|p| (module_of(p.strip_prefix(&src).unwrap()), p.clone()))
        .collect();
    let tree = Tree { files };
    tree.files
        .iter()
        .map(|(m, p)| {
            (
                m.clone(),
                tree.imports(m, &std::fs::read_to_string(p).unwrap()),
            )
        })
        .collect()
}

fn name(m: &[String]) -> String {
    if m.is_empty() {
        "lib".into()
    } else {
        m.join("::")
    }
}

/// The cycles of the graph: its strongly connected parts with more than one file (Tarjan).
fn cycles(g: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<String>> {
    let ids: Vec<&Vec<String>> = g.keys().collect();
    let index_of = |m: &Vec<String>| ids.iter().position(|x| *x == m);
    let succ: Vec<Vec<usize>> = ids
        .iter()
        .map(|m| g[*m].iter().filter_map(index_of).collect())
        .collect();
    let n = ids.len();
    let (mut index, mut low, mut on) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut stack, mut next, mut out) = (Vec::new(), 0, Vec::new());
    fn visit(
        v: usize,
        succ: &[Vec<usize>],
        st: &mut (Vec<usize>, Vec<usize>, Vec<bool>, Vec<usize>, usize),
        out: &mut Vec<Vec<usize>>,
    ) {
        st.0[v] = st.4;
        st.1[v] = st.4;
        st.4 += 1;
        st.3.push(v);
        st.2[v] = true;
        for &w in &succ[v] {
            if st.0[w] == usize::MAX {
                visit(w, succ, st, out);
                st.1[v] = st.1[v].min(st.1[w]);
            } else if st.2[w] {
                st.1[v] = st.1[v].min(st.0[w]);
            }
        }
        if st.1[v] == st.0[v] {
            let mut part = Vec::new();
            while let Some(w) = st.3.pop() {
                st.2[w] = false;
                part.push(w);
                if w == v {
                    break;
                }
            }
            if part.len() > 1 {
                out.push(part);
            }
        }
    }
    let mut st = (
        std::mem::take(&mut index),
        std::mem::take(&mut low),
        std::mem::take(&mut on),
        std::mem::take(&mut stack),
        std::mem::take(&mut next),
    );
    let mut parts = Vec::new();
    for v in 0..n {
        if st.0[v] == usize::MAX {
            visit(v, &succ, &mut st, &mut parts);
        }
    }
    for p in parts {
        let mut names: Vec<String> = p.iter().map(|&v| name(ids[v])).collect();
        names.sort();
        out.push(names);
    }
    out
}

#[test]
fn no_file_reaches_itself_through_imports() {
    let g = import_graph();
    assert!(g.len() > 50, "the scan found only {} files", g.len());
    let found = cycles(&g);
    assert!(
        found.is_empty(),
        "import cycles:\n{}",
        found
            .iter()
            .map(|c| c.join(" ⇄ "))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn no_file_imports_a_later_stage() {
    let g = import_graph();
    let mut bad = Vec::new();
    for (file, imports) in &g {
        let top = |m: &[String]| m.first().cloned().unwrap_or_else(|| "lib".into());
        let own = stage(&top(file))
            .unwrap_or_else(|| panic!("{} has no stage: add it to `stage`", name(file)));
        for m in imports {
            let theirs = stage(&top(m)).unwrap_or_else(|| panic!("{} has no stage", name(m)));
            if theirs > own {
                bad.push(format!("{} → {}", name(file), name(m)));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "imports against the stage order:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_scan_sees_grouped_and_relative_imports() {
    let files: BTreeMap<Vec<String>, PathBuf> = [
        (vec!["a".to_string()], PathBuf::from("src/a/mod.rs")),
        (vec!["a".into(), "b".into()], PathBuf::from("src/a/b.rs")),
        (vec!["c".into()], PathBuf::from("src/c.rs")),
        (vec!["d".into()], PathBuf::from("src/d.rs")),
    ]
    .into_iter()
    .collect();
    let tree = Tree { files };
    let text =
        "mod b;\n// use crate::d::X;\nuse crate::{c::{Y, Z}};\nfn f() { b::g(\"crate::d\") }\n\
                #[cfg(test)]\nmod tests { use crate::d::W; }";
    let found = tree.imports(&["a".into()], text);
    assert_eq!(found.len(), 2, "{found:?}"); // a::b and c: not d (comment, string, test module)
    let from_b = tree.imports(
        &["a".into(), "b".into()],
        "use super::super::c::Y; use super::T;",
    );
    assert_eq!(from_b.len(), 2, "{from_b:?}");
}

#[test]
#[ignore = "prints the import graph: cargo test --test suite architecture::print -- --ignored --nocapture"]
fn print_import_graph() {
    for (file, imports) in import_graph() {
        let list: Vec<String> = imports.iter().map(|m| name(m)).collect();
        println!("{} → {}", name(&file), list.join(", "));
    }
}

#[test]
fn docs_kinds_md_is_the_registry_reference() {
    let path = crate::support::repo_path("docs/kinds.md");
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == wmd::kinds::reference::markdown(),
        "docs/kinds.md is out of date: run `cargo run -- kinds > docs/kinds.md`"
    );
}
