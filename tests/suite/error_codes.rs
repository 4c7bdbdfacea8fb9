//! Every error code of the catalogue (`wmd::diag::ErrorCode`) is shown to a user by at least
//! one script in `tests/cases/` whose rendered diagnostic is a snapshot, or, for the few no
//! script can trigger, by the named test below.

use wmd::diag::ErrorCode;

/// Codes no script in `tests/cases/` can trigger, and where each is tested instead.
const ELSEWHERE: &[(ErrorCode, &str)] = &[
    (ErrorCode::RunInterrupted, "cli.rs: ctrl_c_exits_130_and_writes_nothing, an_interruption_is_its_own_diagnostic (a signal, not a script)"),
    (ErrorCode::UsageSet, "cli.rs: exit_codes (a command-line flag, not a script)"),
    (ErrorCode::UsageSetValue, "cli.rs: a_set_value_that_does_not_parse_exits_2 (a command-line flag, not a script)"),
    (ErrorCode::RunThreads, "none: the thread pool failing to start is the operating system's"),
    (ErrorCode::RunInternal, "none: a bug in wmd if ever seen"),
];

/// The first line of every case snapshot: the code it rendered.
fn codes_in_case_snapshots() -> Vec<String> {
    let dir = crate::support::repo_path("tests/suite/snapshots");
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.contains("cases__every_bad_script") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        out.extend(
            text.lines()
                .filter(|l| l.starts_with("wmd::"))
                .map(String::from),
        );
    }
    out
}

#[test]
fn every_error_code_has_a_triggering_case_or_a_named_test() {
    let seen = codes_in_case_snapshots();
    let missing: Vec<&str> = ErrorCode::ALL
        .iter()
        .filter(|c| !ELSEWHERE.iter().any(|(e, _)| e == *c))
        .map(|c| c.as_str())
        .filter(|c| !seen.iter().any(|s| s == c))
        .collect();
    assert!(
        missing.is_empty(),
        "codes with no case in tests/cases/ (add one, with its snapshot): {missing:?}"
    );
}

#[test]
fn the_exemptions_are_not_stale() {
    let seen = codes_in_case_snapshots();
    for (code, why) in ELSEWHERE {
        assert!(
            !seen.iter().any(|s| s == code.as_str()),
            "{code} has a case now: remove it from ELSEWHERE ({why})"
        );
    }
}

#[test]
fn every_snapshot_code_is_in_the_catalogue() {
    for s in codes_in_case_snapshots() {
        assert!(
            ErrorCode::ALL.iter().any(|c| c.as_str() == s),
            "{s} is rendered but not in the catalogue"
        );
    }
}
