//! The editor grammar (editors/wmd.tmLanguage.json): it parses, every pattern compiles, and it
//! names every keyword of the grammar and every kind of the registry, so that a new keyword or
//! kind without highlighting fails here. The VS Code manifest points at it.

use serde_json::Value;

fn read_json(rel: &str) -> Value {
    let path = crate::support::repo_path(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"))
}

/// Every regular expression of a grammar: the `match`, `begin` and `end` strings anywhere.
fn patterns(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("match" | "begin" | "end", Value::String(re)) => out.push(re.clone()),
                    _ => patterns(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| patterns(i, out)),
        _ => {}
    }
}

/// Whether `word` appears as a whole word in one of the patterns.
fn named(all: &[String], word: &str) -> bool {
    let re = regex::Regex::new(&format!(r"(^|[^A-Za-z0-9_]){word}([^A-Za-z0-9_]|$)")).unwrap();
    all.iter().any(|p| re.is_match(p))
}

#[test]
fn the_textmate_grammar_compiles_and_names_every_keyword_and_kind() {
    let grammar = read_json("editors/wmd.tmLanguage.json");
    assert_eq!(grammar["scopeName"], "source.wmd");
    let mut all = Vec::new();
    patterns(&grammar, &mut all);
    assert!(all.len() >= 10, "{all:?}");
    for p in &all {
        regex::Regex::new(p).unwrap_or_else(|e| panic!("pattern {p} does not compile: {e}"));
    }
    let keywords = wmd::reference::keywords();
    assert_eq!(keywords.len(), crate::reference::grammar_keywords().len());
    for kw in keywords {
        assert!(
            named(&all, kw),
            "editors/wmd.tmLanguage.json does not highlight `{kw}`"
        );
    }
    for k in wmd::kinds::REGISTRY {
        let kind = k.schema.name;
        assert!(named(&all, kind), "editors/wmd.tmLanguage.json does not highlight the kind `{kind}`: add it to `declaration` and `constant`");
    }
}

#[test]
fn the_patterns_find_what_they_name() {
    let grammar = read_json("editors/wmd.tmLanguage.json");
    let repo = &grammar["repository"];
    let re = |name: &str| regex::Regex::new(repo[name]["match"].as_str().unwrap()).unwrap();
    assert!(re("number").is_match("1_000") && re("number").is_match("2.5e-3"));
    assert_eq!(
        re("comment").find("x = 1 # note").map(|m| m.as_str()),
        Some("# note")
    );
    let decl = re("declaration")
        .captures("ensemble W = goe(n = 4)")
        .unwrap();
    assert_eq!(&decl[2], "W");
    let grid = re("grid").captures("cells 256 x 128").unwrap();
    assert_eq!(&grid[3], "x");
    assert!(re("builtin").is_match("histogram(x)") && re("stdlib").is_match("semicircle(2)"));
}

#[test]
fn the_vscode_extension_points_at_the_grammar() {
    let manifest = read_json("editors/vscode/package.json");
    let grammar = &manifest["contributes"]["grammars"][0];
    assert_eq!(grammar["scopeName"], "source.wmd");
    assert_eq!(
        manifest["contributes"]["languages"][0]["extensions"][0],
        ".wmd"
    );
    let config = read_json("editors/vscode/language-configuration.json");
    assert_eq!(config["comments"]["lineComment"], "#");
}
