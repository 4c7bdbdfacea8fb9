//! The reference manual (`wmd doc`): every kind, builtin and stdlib function has an entry,
//! every example passes `wmd check`, docs/reference.md is the generated manual, and the
//! statement forms use exactly the grammar's keywords.

use std::collections::BTreeSet;
use wmd::reference::{entries, lookup, Group};
use wmd::span::Sources;

/// The functions a stdlib module defines, read by the parser (not by the reference's scan).
fn stdlib_functions() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (module, text) in wmd::stdlib::MODULES {
        let mut sources = Sources::new();
        let file = sources.add(*module, *text);
        let program = wmd::syntax::parse_program(file, text).expect("the stdlib parses");
        for s in program.stmts {
            if let wmd::syntax::ast::StmtKind::Fn(f) = s.kind {
                out.push((module.to_string(), f.name.name));
            }
        }
    }
    out
}

fn described(name: &str, group: Group) {
    let e = lookup(name).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(e.group, group, "{name}");
    assert!(!e.summary.trim().is_empty(), "`{name}` has no description");
    assert!(!e.example.trim().is_empty(), "`{name}` has no example");
}

#[test]
fn every_kind_builtin_and_stdlib_function_has_an_entry() {
    for k in wmd::kinds::REGISTRY {
        described(k.schema.name, Group::Kind);
    }
    for r in wmd::eval::table::all_rows() {
        described(r.sig.name, Group::Builtin);
        let e = lookup(r.sig.name).unwrap();
        assert_eq!(e.items.len(), r.sig.params.len(), "{}", r.sig.name);
    }
    let fns = stdlib_functions();
    assert!(fns.len() >= 10, "{fns:?}");
    for (module, name) in fns {
        described(&name, Group::Stdlib);
        assert_eq!(lookup(&format!("{module}.{name}")).unwrap().name, name);
    }
    for form in [
        "let", "fn", "use", "report", "expect", "sweep", "observe", "vs", "within",
    ] {
        described(form, Group::Statement);
    }
    described("stop when", Group::Statement);
}

#[test]
fn every_example_passes_wmd_check() {
    let mut failed = Vec::new();
    for e in entries() {
        let mut sources = Sources::new();
        let name = format!("example of {}", e.name);
        let result = wmd::parse(&mut sources, &name, &e.example).and_then(|p| wmd::check(&p));
        if let Err(d) = result {
            failed.push(format!("{}\n{}", e.example, d.render(&sources, false)));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

#[test]
fn docs_reference_md_is_the_generated_manual() {
    let path = crate::support::repo_path("docs/reference.md");
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == wmd::reference::markdown(),
        "docs/reference.md is out of date: run `cargo run -- doc --markdown > docs/reference.md`"
    );
}

/// The keywords of the grammar: the words of its `kw_NAME = @{ "NAME" ~ !ident_char }` rules.
pub fn grammar_keywords() -> BTreeSet<String> {
    let text = std::fs::read_to_string(crate::support::repo_path("grammar/wmd.pest")).unwrap();
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("kw_"))
        .filter_map(|l| l.split('"').nth(1))
        .map(String::from)
        .collect()
}

#[test]
fn the_statement_forms_use_exactly_the_grammars_keywords() {
    let grammar = grammar_keywords();
    assert!(grammar.len() >= 25, "{grammar:?}");
    let reference: BTreeSet<String> = wmd::reference::keywords()
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(reference, grammar);
}

#[test]
fn an_unknown_name_suggests_the_closest() {
    let err = lookup("histogrm").unwrap_err();
    assert!(err.contains("did you mean `histogram`?"), "{err}");
    let text = wmd::reference::entry_text(&lookup("semicircle").unwrap());
    assert!(
        text.contains("semicircle(radius = 2)") && text.contains("use rmt"),
        "{text}"
    );
}
