//! The REPL session: definitions persist, blocks span lines, errors do not end the session.

use wmd::repl::{Reply, Session};

fn text(r: Reply) -> String {
    match r {
        Reply::Text(t) => t,
        other => panic!("expected text, got {other:?}"),
    }
}

#[test]
fn definitions_persist_and_errors_do_not_end_the_session() {
    let mut s = Session::new();
    assert_eq!(text(s.input("let a = 3")), "defined a\n");
    assert_eq!(text(s.input("a^2 + 1")), "10\n");
    let err = s.input("let b = aa + 1");
    assert!(
        matches!(&err, Reply::Error(e) if e.contains("unknown name `aa`") && e.contains("did you mean `a`?")),
        "{err:?}"
    );
    assert_eq!(text(s.input("fn f(x) = 2 * x")), "defined f\n");
    assert_eq!(text(s.input("f(a)")), "6\n");
    assert_eq!(s.input(":quit"), Reply::Quit);
}

#[test]
fn a_block_may_span_several_lines() {
    assert!(wmd::syntax::is_incomplete("report r {\n  x = 1"));
    assert!(!wmd::syntax::is_incomplete("report r {\n  x = 1\n}"));
    assert!(!wmd::syntax::is_incomplete("let x = )"));
    let mut s = Session::new();
    let out = text(s.input("report r {\n  x = 1 + 1\n  y = [1, 2]\n}"));
    assert!(out.contains("report r") && out.contains("x  2"), "{out}");
}

#[test]
fn stdlib_and_help_work_in_the_repl() {
    let mut s = Session::new();
    s.input("use rmt");
    assert_eq!(text(s.input("mp_edges(r = 0.25)")), "[0.25, 2.25]\n");
    assert!(text(s.input(":help ensemble")).contains("gaussian"));
    assert!(text(s.input(":help coulomb_gas")).contains("drift(x, i, xs?)"));
}

#[test]
fn help_shows_the_reference_of_any_name() {
    let mut s = Session::new();
    let all = text(s.input(":help"));
    assert!(all.starts_with("Enter statements"), "{all}");
    assert!(
        all.contains(":reset") && all.contains(":show NAME"),
        "{all}"
    );
    for group in [
        "Statements and syntax:",
        "Kinds:",
        "Builtins:",
        "Stdlib functions:",
    ] {
        assert!(all.contains(group), "{group} in {all}");
    }
    let sweep = text(s.input(":help sweep"));
    assert!(
        sweep.contains("sweep NAME over") && sweep.contains("Example:"),
        "{sweep}"
    );
    let semicircle = text(s.input(":help semicircle"));
    assert!(
        semicircle.contains("semicircle(radius = 2)"),
        "{semicircle}"
    );
    assert!(text(s.input(":help histogram")).contains("(default: 40)"));
    let typo = text(s.input(":help semicirle"));
    assert!(typo.contains("did you mean `semicircle`?"), "{typo}");
}
