//! Numbers in scripts (issue 11): booleans where numbers are expected, the elementary
//! functions of one, two and three arguments with their domains, the floored modulus `%`,
//! and the parse error for Python's slices.

use super::support::run_script;
use wmd::ir::value::Value;

fn report(text: &str) -> Value {
    let out = run_script("a.wmd", text, &[], None).unwrap_or_else(|e| panic!("{e}"));
    out.reports[0].1.clone()
}

fn num(r: &Value, k: &str) -> f64 {
    match r.field(k) {
        Some(Value::Num(x)) => *x,
        other => panic!("{k} is {other:?}"),
    }
}

fn vector(r: &Value, k: &str) -> Vec<f64> {
    let v = r.field(k).unwrap_or_else(|| panic!("no {k}"));
    v.as_slice()
        .unwrap_or_else(|| panic!("{k} is {v:?}"))
        .to_vec()
}

fn error(text: &str) -> String {
    run_script("a.wmd", text, &[], None).expect_err("should fail")
}

#[test]
fn booleans_are_one_and_zero_where_numbers_are_expected() {
    let r = report(
        "let x = [1, 2, 3]
        report r {
            frac = mean([1, 2, 3] < 2)
            positives = sum(x > 1)
            counted = count(x > 1)
            fraction_above = fraction(x > 1)
            one = count(true)
            twice = true + true
            negated = -(x >= 2)
            scaled = 2 * (x == 2)
            spread = variance(x > 1)
            ordered = false < true
            equal_masks = (x > 1) == (x >= 2)
        }",
    );
    assert!((num(&r, "frac") - 1.0 / 3.0).abs() < 1e-15);
    assert_eq!(num(&r, "positives"), 2.0);
    assert_eq!(num(&r, "counted"), 2.0);
    assert!((num(&r, "fraction_above") - 2.0 / 3.0).abs() < 1e-15);
    assert_eq!(num(&r, "one"), 1.0);
    assert_eq!(num(&r, "twice"), 2.0);
    assert_eq!(vector(&r, "negated"), [0.0, -1.0, -1.0]);
    assert_eq!(vector(&r, "scaled"), [0.0, 2.0, 0.0]);
    assert!((num(&r, "spread") - 1.0 / 3.0).abs() < 1e-15);
    assert!(matches!(r.field("ordered"), Some(Value::Bool(true))));
    assert!(matches!(r.field("equal_masks"), Some(Value::Mask(m)) if m.iter().all(|&b| b)));
}

#[test]
fn conditions_are_still_needed_where_conditions_go() {
    let e = error("report r { c = count([1, 2]) }");
    assert!(e.contains("wmd::check::argument_type"), "{e}");
    let e = error("report r { c = if 1 then 2 else 3 }");
    assert!(e.contains("wmd::check::type"), "{e}");
    let e = error("report r { c = \"a\" + true }");
    assert!(e.contains("wmd::check::type"), "{e}");
    let e = error("report r { c = \"a\" == true }");
    assert!(
        e.contains("wmd::check::type") && e.contains("compared with a string"),
        "{e}"
    );
    let r = report("report r { one = true == 1\n same = \"a\" == \"a\" }");
    assert!(matches!(r.field("one"), Some(Value::Bool(true))));
    assert!(matches!(r.field("same"), Some(Value::Bool(true))));
}

#[test]
fn elementary_functions_broadcast_and_agree_with_their_definitions() {
    let r = report(
        "let x = [0.1, 0.5, 0.9]
        report r {
            inverse = sin(asin(x)) + cos(acos(x)) + tan(atan(x))
            hyperbolic = sinh(asinh(x)) + cosh(acosh(1 + x)) + tanh(atanh(x))
            identity = cosh(x)^2 - sinh(x)^2
            g = gamma([1, 2, 5, 0.5])
            lg = lgamma(100) - log(gamma(100))
            e = erfc(x) + erf(x)
            tail = erfc(10)
            s = sign([-3, 0, 2])
            angles = atan2([1, 1, -1], [1, -1, 0])
            h = hypot([3, 5], [4, 12])
            huge = hypot(1e300, 1e300)
            c = clamp([-2, 0.5, 3], 0, 1)
            between = clamp(0.5, [0, 0.7], 1)
            larger = max([1, 5, 2], 3)
            smaller = min(2, [1, 5])
            largest = max([1, 5, 2])
        }",
    );
    let close = |a: &[f64], b: &[f64], tol: f64| {
        assert_eq!(a.len(), b.len());
        for (p, q) in a.iter().zip(b) {
            assert!((p - q).abs() <= tol * q.abs().max(1.0), "{a:?} vs {b:?}");
        }
    };
    close(&vector(&r, "inverse"), &[0.3, 1.5, 2.7], 1e-14);
    close(&vector(&r, "hyperbolic"), &[1.3, 2.5, 3.7], 1e-13);
    close(&vector(&r, "identity"), &[1.0, 1.0, 1.0], 1e-14);
    close(
        &vector(&r, "g"),
        &[1.0, 1.0, 24.0, std::f64::consts::PI.sqrt()],
        1e-14,
    );
    assert!(num(&r, "lg").abs() < 1e-10);
    close(&vector(&r, "e"), &[1.0, 1.0, 1.0], 1e-15);
    assert!((num(&r, "tail") / 2.088_487_583_762_545e-45 - 1.0).abs() < 1e-12);
    assert_eq!(vector(&r, "s"), [-1.0, 0.0, 1.0]);
    let pi = std::f64::consts::PI;
    close(
        &vector(&r, "angles"),
        &[pi / 4.0, 3.0 * pi / 4.0, -pi / 2.0],
        1e-15,
    );
    assert_eq!(vector(&r, "h"), [5.0, 13.0]);
    assert!((num(&r, "huge") / (1e300 * 2f64.sqrt()) - 1.0).abs() < 1e-15);
    assert_eq!(vector(&r, "c"), [0.0, 0.5, 1.0]);
    assert_eq!(vector(&r, "between"), [0.5, 0.7]);
    assert_eq!(vector(&r, "larger"), [3.0, 5.0, 3.0]);
    assert_eq!(vector(&r, "smaller"), [1.0, 2.0]);
    assert_eq!(num(&r, "largest"), 5.0);
}

#[test]
fn results_outside_a_domain_are_errors_naming_the_function_and_the_value() {
    for (expr, says) in [
        (
            "acos(2)",
            "`acos(2)` is not finite: asin and acos are defined for −1 ≤ x ≤ 1",
        ),
        ("asin([0, -1.5])", "`asin(-1.5)` is not finite"),
        ("atanh(1)", "`atanh(1)` is not finite: atanh(±1) is ±∞"),
        ("acosh(0.5)", "acosh is defined for x ≥ 1"),
        ("gamma(-1)", "`gamma(-1)` is not finite: Γ has poles"),
        ("gamma(200)", "Γ(x) overflows"),
        ("lgamma(0)", "ln|Γ| is +∞ at the poles"),
        ("cosh(800)", "sinh and cosh overflow"),
        ("log(0)", "`log(0)` is not finite: log(0) is −∞"),
        ("clamp(1, 2, 0)", "clamp(x, low, high) needs low ≤ high"),
        ("5 % 0", "`5 % 0` is not finite: a modulus by zero"),
    ] {
        let e = error(&format!("report r {{ a = {expr} }}"));
        assert!(e.contains("wmd::run::not_finite"), "{expr}: {e}");
        assert!(e.contains(says), "{expr}: {e}");
    }
    let e = error("report r { a = atan2([1, 2], [1, 2, 3]) }");
    assert!(e.contains("do not broadcast"), "{e}");
}

#[test]
fn the_modulus_is_floored_and_binds_like_a_product() {
    let r = report(
        "report r {
            m = 5 % 3
            negative = -1 % 3
            divisor = 1 % -3
            periodic = [-1, 0, 3, 4] % 3
            fractional = 7.5 % 2
            precedence = 1 + 7 % 4 * 2
            power = 2 ^ 3 % 5
        }",
    );
    assert_eq!(num(&r, "m"), 2.0);
    assert_eq!(num(&r, "negative"), 2.0);
    assert_eq!(num(&r, "divisor"), -2.0);
    assert_eq!(vector(&r, "periodic"), [2.0, 0.0, 0.0, 1.0]);
    assert_eq!(num(&r, "fractional"), 1.5);
    assert_eq!(num(&r, "precedence"), 7.0); // 1 + ((7 % 4) * 2)
    assert_eq!(num(&r, "power"), 3.0); // (2^3) % 5
}

/// In `within 5%` the `%` is the percent sign, also when a declaration follows.
#[test]
fn a_percent_tolerance_is_not_a_modulus() {
    let out = run_script(
        "a.wmd",
        "let x = 1.01\nexpect x == 1 within 5%\nensemble W = goe(n = 2)\nexpect x % 1 == 0.01 within (7 % 5)",
        &[],
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.expects.len(), 2);
}

#[test]
fn python_slices_are_a_parse_error_saying_how_ranges_are_written() {
    for (index, fix) in [("0:2", "0..2"), (":2", "0..2"), ("1:", "1..=end")] {
        let e = error(&format!("let v = [1, 2, 3]\nreport r {{ a = v[{index}] }}"));
        assert!(e.contains("wmd::parse::syntax"), "{e}");
        assert!(e.contains("ranges are written `0..2`"), "{e}");
        assert!(e.contains(&format!("write `{fix}`")), "{index}: {e}");
    }
    let r =
        report("let v = [1, 2, 3]\nlet M = identity(2)\nreport r { a = v[0..2]\n c = M[:, 1] }");
    assert_eq!(vector(&r, "a"), [1.0, 2.0]);
    assert_eq!(vector(&r, "c"), [0.0, 1.0]);
}

/// The new operators and the two-argument functions compile in a per-step function.
#[test]
fn the_modulus_entrywise_operators_and_atan2_compile_in_a_drift() {
    let r = report(
        "sde s {
            drift(x, t) = atan2(1, 1) + (x % 1) .* 0 + 2 .^ 0 - hypot(0.6, 0.8) + (t > 100)
            diffusion(x, t) = 0
            init = 0
            dt = 0.1
            steps = 10
        }
        report r { f = s.final }",
    );
    let Some(Value::Matrix(f)) = r.field("f") else {
        panic!("{r:?}")
    };
    assert!(
        (f[(0, 0)] - std::f64::consts::FRAC_PI_4).abs() < 1e-12,
        "{}",
        f[(0, 0)]
    );
}
