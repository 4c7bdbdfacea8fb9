//! Bad scripts: each must fail at the stage its folder names, with a spanned diagnostic whose
//! rendering is kept as a snapshot.

use super::support::run_script;

#[test]
fn every_bad_script_fails_with_a_spanned_diagnostic() {
    insta::glob!("../cases", "*/*.wmd", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let stage = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let name = format!(
            "cases/{stage}/{}",
            path.file_name().unwrap().to_str().unwrap()
        );
        let rendered = match run_script(&name, &text, &[], Some(1)) {
            Ok(_) => panic!("{name} ran without error"),
            Err(e) => e,
        };
        assert!(
            rendered.contains(&format!("wmd::{stage}::")),
            "{name}: expected a {stage} error, got\n{rendered}"
        );
        assert!(
            rendered.contains(&name),
            "{name}: the diagnostic shows no source line\n{rendered}"
        );
        assert!(
            !rendered.contains("Rule::") && !rendered.contains("kw_"),
            "{name}: grammar rule names leaked\n{rendered}"
        );
        insta::assert_snapshot!(rendered);
    });
}

#[test]
fn there_are_at_least_twenty_cases() {
    let n = glob_count(&super::support::repo_path("tests/cases"));
    assert!(n >= 20, "only {n} cases");
}

fn glob_count(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            if e.path().is_dir() {
                glob_count(&e.path())
            } else {
                usize::from(e.path().extension().is_some_and(|x| x == "wmd"))
            }
        })
        .sum()
}
