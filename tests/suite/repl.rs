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

fn error(r: Reply) -> String {
    match r {
        Reply::Error(t) => t,
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn a_let_a_fn_and_a_block_may_be_redefined_and_dependents_see_the_new_value() {
    let mut s = Session::new();
    s.input("let a = 1");
    s.input("let b = a + 1");
    assert_eq!(text(s.input("let a = 5")), "redefined a\n");
    assert_eq!(text(s.input("b")), "6\n");
    s.input("fn f(x) = x");
    assert_eq!(
        text(s.input("fn f(x) = 2 * x\nlet c = 1")),
        "defined c\nredefined f\n"
    );
    assert_eq!(text(s.input("f(3)")), "6\n");
    s.input("ensemble W = gaussian(3, 3)");
    assert_eq!(
        text(s.input("ensemble W = gaussian(4, 4)")),
        "redefined W\n"
    );
    assert_eq!(text(s.input("cols(W)")), "4\n");
    let out = text(s.input("report r { x = b }"));
    assert!(out.contains("x  6"), "{out}");
    let out = text(s.input("report r { x = b + 1 }"));
    assert!(
        out.starts_with("redefined r\n") && out.contains("x  7"),
        "{out}"
    );
}

#[test]
fn a_redefinition_that_breaks_a_dependent_is_refused_and_the_old_one_kept() {
    let mut s = Session::new();
    s.input("fn f(x) = x + 1");
    s.input("let y = f(1)");
    let e = error(s.input("fn f(x, z) = x + z"));
    assert!(e.contains("`f` is missing `z`"), "{e}");
    assert!(e.contains("not redefined: the old `f` is kept"), "{e}");
    assert_eq!(text(s.input("y")), "2\n");
    assert_eq!(text(s.input("f(2)")), "3\n");
}

#[test]
fn reset_forgets_every_definition() {
    let mut s = Session::new();
    s.input("let a = 3");
    assert_eq!(text(s.input(":reset")), "forgot every definition\n");
    assert!(error(s.input("a")).contains("unknown name `a`"));
    assert_eq!(text(s.input(":defs")), "nothing defined yet\n");
    assert_eq!(text(s.input("let a = 4")), "defined a\n");
}

#[test]
fn show_prints_a_long_vector_and_a_matrix_whole() {
    let mut s = Session::new();
    s.input("let v = linspace(1, 30, 30)");
    let short = text(s.input("v"));
    assert!(short.contains("...] (30 values)"), "{short}");
    let whole = text(s.input(":show v"));
    assert!(
        whole.contains("29, 30]") && !whole.contains("..."),
        "{whole}"
    );
    let m = text(s.input(":show identity(2)"));
    assert_eq!(m, "2×2 matrix\n[1, 0]\n[0, 1]\n");
    assert!(error(s.input(":show")).contains("usage"));
    assert!(error(s.input(":show nope")).contains("unknown name"));
}

const GAS: &str = "coulomb_gas g {
  eigenvalues = n
  drift(x, i) = -x
  init = uniform(-1, 1)
  dt = 0.001
  steps = 50
}";

#[test]
fn a_job_runs_once_until_something_it_depends_on_is_redefined() {
    let mut s = Session::new();
    s.input("let n = 4");
    s.input("let unrelated = 1");
    assert_eq!(text(s.input(GAS)), "defined g\n");
    let first = text(s.input("g.mean"));
    assert_eq!(s.jobs_run(), 1);
    assert_eq!(text(s.input("g.mean")), first);
    text(s.input("report r { m = mean(g.final) }"));
    assert_eq!(s.jobs_run(), 1, "the cached run serves later inputs");
    s.input("let unrelated = 2");
    text(s.input("g.mean"));
    assert_eq!(
        s.jobs_run(),
        1,
        "an unrelated redefinition keeps the result"
    );
    s.input("let n = 5");
    let five = text(s.input("g.mean"));
    assert_eq!(
        s.jobs_run(),
        2,
        "redefining a dependency runs the job again"
    );
    assert_ne!(five, first);
    s.input(&GAS.replace("0.001", "0.002"));
    text(s.input("g.mean"));
    assert_eq!(s.jobs_run(), 3, "redefining the block itself runs it again");
}

#[test]
fn completion_offers_names_commands_and_fields() {
    let mut s = Session::new();
    let (start, hits) = s.complete("x = coul", 8);
    assert_eq!((start, hits), (4, vec!["coulomb_gas".to_string()]));
    assert_eq!(s.complete(":re", 3), (0, vec![":reset".to_string()]));
    s.input("report r {\n  alpha = 1\n  beta = 2\n}");
    assert_eq!(s.complete("1 + r.al", 8), (6, vec!["alpha".to_string()]));
    assert_eq!(s.complete("r.", 2).1, ["alpha", "beta"]);
    s.input("let n = 3");
    s.input(GAS);
    assert!(
        s.complete("g.", 2).1.is_empty(),
        "not run yet: no fields known"
    );
    s.input("g.mean");
    let (start, hits) = s.complete("g.fi", 4);
    assert_eq!((start, hits), (2, vec!["final".to_string()]));
    assert!(s.complete("g.", 2).1.contains(&"history".to_string()));
    assert!(s.complete("nope.", 5).1.is_empty());
    assert!(
        s.complete("é.", 1).1.is_empty(),
        "a position inside a character is safe"
    );
}

#[test]
fn an_interrupt_stops_a_computation_and_keeps_every_definition() {
    let mut s = Session::new();
    s.input("let keep = 7");
    s.input(
        "coulomb_gas slow {\n  eigenvalues = 200\n  drift(x, i) = -x\n  init = uniform(-1, 1)\n  dt = 0.0001\n  steps = 10000000\n}",
    );
    let flag = s.options.interrupt.clone();
    let raise = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        flag.store(true, std::sync::atomic::Ordering::Relaxed);
    });
    let started = std::time::Instant::now();
    let e = error(s.input("slow.mean"));
    raise.join().unwrap();
    assert!(e.contains("interrupted"), "{e}");
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    assert_eq!(
        text(s.input("keep + 1")),
        "8\n",
        "the flag is cleared for the next input"
    );
}

#[test]
fn help_shows_the_reference_of_any_name() {
    let mut s = Session::new();
    let all = text(s.input(":help"));
    assert!(all.starts_with("Enter statements"), "{all}");
    assert!(
        all.contains(":reset") && all.contains(":show EXPR"),
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

#[test]
fn plot_writes_the_figure_of_a_value_as_an_svg() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::new();
    s.plot_dir = dir.path().join("plots");
    s.input("use rmt");
    s.input("let x = [0.1, 0.5, 0.7, 1.2, 1.9, 2.2]");
    s.input("report r { h = histogram(x, bins = 3) vs marchenko_pastur(r = 0.5) }");
    let reply = text(s.input(":plot r.h"));
    let path = dir.path().join("plots/r.h.svg");
    assert_eq!(reply, format!("wrote {}\n", path.display()));
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("<rect"), "{svg}");
    assert!(
        text(s.input(":plot x * 2")).contains("plot_"),
        "an expression gets a plot_N name"
    );
    let none = s.input(":plot 3");
    assert!(
        matches!(&none, Reply::Error(e) if e.contains("nothing to draw in a number")),
        "{none:?}"
    );
}
