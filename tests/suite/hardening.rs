//! Inputs that used to hang or abort the process (issue 9): deep nesting, long chains, long
//! lines. Each must parse in linear time, run, or be refused with a spanned diagnostic.

use super::support::run_script;
use wmd::span::Sources;

fn parses(text: &str) -> Result<(), String> {
    let mut sources = Sources::new();
    wmd::parse(&mut sources, "deep.wmd", text)
        .map(|_| ())
        .map_err(|d| d.render(&sources, false))
}

/// `open^depth core close^depth`.
fn nest(open: &str, core: &str, close: &str, depth: usize) -> String {
    format!("{}{core}{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn depth_1000_nesting_of_each_bracket_form_parses() {
    let forms = [
        ("(", "1", ")"),
        ("[", "1", "]"),
        ("[", "1", " for j in 0..2]"),
        ("{a: ", "1", "}"),
        ("f(", "1", ")"),
        ("(1, ", "2", ")"),
        ("v[", "0", "]"),
        ("sum(j in 0..2: ", "j", ")"),
        ("if true then ", "1", " else 2"),
        ("x -> ", "x", ""),
    ];
    for (open, core, close) in forms {
        let text = format!("let a = {}\n", nest(open, core, close, 1000));
        parses(&text).unwrap_or_else(|e| panic!("{open}…{close}: {e}"));
    }
}

/// `let a = unit^depth 1`, left unclosed, must fail with a diagnostic whose code starts
/// with `code`, for each unit.
fn unclosed_fails(units: &[&str], depth: usize, code: &str) {
    for unit in units {
        let text = format!("let a = {}1\n", unit.repeat(depth));
        let err = parses(&text).expect_err("unclosed");
        assert!(err.contains(code), "{unit}…: {err}");
    }
}

#[test]
fn unclosed_deep_nesting_fails_fast_with_the_open_bracket_named() {
    unclosed_fails(&["(", "[", "{a: ", "f("], 1000, "wmd::parse::");
}

#[test]
fn nesting_beyond_the_limit_is_refused_at_the_bracket() {
    let depth = wmd::limits::MAX_NESTING + 1;
    let text = format!("let a = {}\n", nest("(", "1", ")", depth));
    let err = parses(&text).expect_err("too deep");
    assert!(err.contains("wmd::parse::too_deep"), "{err}");
}

#[test]
fn a_one_megabyte_script_parses() {
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 1 << 20 {
        text.push_str(&format!(
            "let a{i} = [({i} + 1) * 2, sin({i}) ^ 2, [k for k in 0..3]]  # line {i}\n"
        ));
        i += 1;
    }
    parses(&text).unwrap();
}

/// Run `text` and return report `r`'s field `y`.
fn run_y(text: &str) -> f64 {
    let outcome = run_script("deep.wmd", text, &[], Some(1)).unwrap_or_else(|e| panic!("{e}"));
    let r = &outcome.reports.iter().find(|(n, _)| n == "r").expect("r").1;
    let json = wmd::output::to_json(r);
    json["y"].as_f64().expect("a number")
}

#[test]
fn long_chains_that_check_clean_run() {
    // 750 chained lets: a0 = a1 + 1, …, a750 = 1.
    let mut lets: String = (0..750)
        .map(|i| format!("let a{i} = a{} + 1\n", i + 1))
        .collect();
    lets.push_str("let a750 = 1\nreport r { y = a0 }\n");
    assert_eq!(run_y(&lets), 751.0);
    // 1 000 chained functions.
    let mut fns: String = (0..1000)
        .map(|i| format!("fn f{i}(x) = f{}(x) + 1\n", i + 1))
        .collect();
    fns.push_str("fn f1000(x) = x\nreport r { y = f0(2) }\n");
    assert_eq!(run_y(&fns), 1002.0);
    // A sum of 3 000 terms, and 3 000 unary minus signs.
    let sum = vec!["1"; 3000].join(" + ");
    assert_eq!(run_y(&format!("report r {{ y = {sum} }}\n")), 3000.0);
    let negs = format!("report r {{ y = {}1 }}\n", "-".repeat(3000));
    assert_eq!(run_y(&negs), 1.0);
}

#[test]
fn an_expression_deeper_than_the_limit_is_refused() {
    let terms = vec!["1"; wmd::limits::MAX_EXPR_DEPTH + 2].join("+");
    let err = parses(&format!("let a = {terms}\n")).expect_err("too deep");
    assert!(err.contains("wmd::parse::too_deep"), "{err}");
}

#[test]
fn a_deep_per_step_function_runs_on_the_worker_threads() {
    // A drift 4 000 operations deep compiles to closures nested as deep, called on rayon's
    // 2 MiB worker stacks at every step of every run.
    let chain = vec!["x * 0"; 4000].join(" + ");
    let text = format!(
        "sde deep {{\n drift(x, t) = {chain} - x\n diffusion(x, t) = 0\n init = 1\n dt = 0.5\n steps = 2\n runs = 4\n}}\nreport r {{ y = mean(flatten(deep.final)) }}\n"
    );
    let outcome = run_script("deep.wmd", &text, &[], Some(2)).unwrap_or_else(|e| panic!("{e}"));
    let json = wmd::output::to_json(&outcome.reports[0].1);
    assert_eq!(json["y"].as_f64(), Some(0.25), "x → x/2 each step");
}

#[test]
fn an_unclosed_lambda_or_if_in_a_call_or_index_fails_fast() {
    // Found by the fuzzer: each level used to be parsed twice (by the body's postfix and
    // again by a postfix after the lambda), 2^depth in all. At depth 40 that never ended.
    let units = ["f(b -> ", "a[b -> ", "f(if c then 1 else ", "g(x -> f(1 + "];
    unclosed_fails(&units, 40, "wmd::parse::syntax");
}
