//! Language semantics in scripts: matrix–vector algebra (a vector is a column, `v'` the
//! 1 × n row) and name resolution.

use super::support::run_script;
use wmd::ir::value::Value;

fn report(text: &str) -> Value {
    let out = run_script("a.wmd", text, &[], None).unwrap_or_else(|e| panic!("{e}"));
    out.reports[0].1.clone()
}

#[test]
fn products_with_vectors_follow_the_column_convention() {
    let r = report(
        "let v = [1, 2, 3]
        let w = [4, 5]
        let A = 2 * identity(3)
        report r {
            inner = v' * v
            quadratic = v' * A * v
            image = A * v
            outer = v * w'
            twice = v * v' * v
        }",
    );
    let get = |k: &str| r.field(k).unwrap_or_else(|| panic!("no {k}")).clone();
    assert!(matches!(get("inner"), Value::Num(x) if x == 14.0));
    assert!(matches!(get("quadratic"), Value::Num(x) if x == 28.0));
    assert_eq!(get("image").as_slice().unwrap(), &[2.0, 4.0, 6.0]);
    assert_eq!(get("twice").as_slice().unwrap(), &[14.0, 28.0, 42.0]);
    let Value::Matrix(outer) = get("outer") else {
        panic!("outer is not a matrix")
    };
    assert_eq!((outer.nrows(), outer.ncols()), (3, 2));
    assert_eq!(outer[(2, 1)], 15.0);
}

#[test]
fn mismatched_matrix_vector_operations_are_errors() {
    let add = run_script(
        "a.wmd",
        "let v = [1, 2]\nlet A = identity(2)\nreport r { x = A + v }",
        &[],
        None,
    )
    .unwrap_err();
    assert!(
        add.contains("not defined between a matrix and a vector"),
        "{add}"
    );
    let inner = run_script(
        "a.wmd",
        "let v = [1, 2]\nlet A = identity(3)\nreport r { x = A * v }",
        &[],
        None,
    )
    .unwrap_err();
    assert!(inner.contains("inner dimensions"), "{inner}");
    let left = run_script(
        "a.wmd",
        "let v = [1, 2]\nlet A = identity(2)\nreport r { x = v * A }",
        &[],
        None,
    )
    .unwrap_err();
    assert!(left.contains("outer product"), "{left}");
}

/// A report item that is a number does not hide the builtin of the same name in a call.
#[test]
fn an_item_named_like_a_builtin_leaves_the_builtin_callable() {
    let r = report(
        "let x = [1, 2, 3, 4]
        report r {
            mean = mean(x)
            spread = mean(x^2) - mean^2
            f = (mean -> 2 * mean)(3)
        }",
    );
    assert!(matches!(r.field("mean"), Some(Value::Num(m)) if *m == 2.5));
    assert!(matches!(r.field("spread"), Some(Value::Num(s)) if *s == 1.25));
    assert!(matches!(r.field("f"), Some(Value::Num(f)) if *f == 6.0));
}

/// `reshape` fills rows in order and undoes `flatten`; a rectangular W gives the Gram matrix
/// WᵀW and W v with the sums one checks by hand.
#[test]
fn reshape_builds_matrices_row_by_row() {
    let r = report(
        "let W = reshape([1, 2, 3, 4, 5, 6], 2)
        report r {
            back = flatten(W)
            gram = flatten(W' * W)
            image = W * [1, 0, -1]
            shape = [rows(W), cols(W)]
        }",
    );
    let get = |k: &str| r.field(k).unwrap().as_slice().unwrap().to_vec();
    assert_eq!(get("back"), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    assert_eq!(
        get("gram"),
        [17.0, 22.0, 27.0, 22.0, 29.0, 36.0, 27.0, 36.0, 45.0]
    );
    assert_eq!(get("image"), [-2.0, -2.0]);
    assert_eq!(get("shape"), [2.0, 3.0]);
    let e = run_script("a.wmd", "report r { W = reshape([1, 2, 3], 2) }", &[], None).unwrap_err();
    assert!(e.contains("do not fill 2 equal rows"), "{e}");
}

/// An `expect` reads a sweep's columns and summary by the sweep's name (unnamed sweeps as
/// `sweep_1`, …): y = 2x + 1 at x = 1, 2, 3 is fitted exactly, and a failing comparison is
/// reported as failing, not as an error. A name that is neither a global nor a sweep is
/// refused by the checker.
#[test]
fn expect_reads_the_results_of_sweeps() {
    let text = "let x = 0
        sweep line over x in [1, 2, 3] { y = 2 * x + 1 } -> fit_line(x, y)
        sweep over x in [5] { z = x }
        expect line.summary.slope == 2 within 1e-12
        expect line.y[2] == 7
        expect sweep_2.z[0] == 5
        expect line.summary.intercept > 2";
    let out = run_script("a.wmd", text, &[], None).unwrap_or_else(|e| panic!("{e}"));
    let passed: Vec<bool> = out.expects.iter().map(|e| e.passed).collect();
    assert_eq!(passed, [true, true, true, false]);
    let err = run_script("a.wmd", "let x = 0\nexpect lines.points == 3", &[], None).unwrap_err();
    assert!(err.contains("unknown name `lines`"), "{err}");
}

/// `x vs 0` has no relative error (it would be 0/0 or ∞): the record holds the absolute one,
/// and the run goes on instead of stopping at a NaN.
#[test]
fn a_number_beside_zero_is_compared_by_its_absolute_error() {
    let out = run_script(
        "t.wmd",
        "report r { a = 0.25 vs 0\n b = 3 vs 2 }",
        &[],
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let r = &out.reports[0].1;
    let (a, b) = (r.field("a").unwrap(), r.field("b").unwrap());
    assert!(matches!(a.field("abs_error"), Some(Value::Num(x)) if *x == 0.25));
    assert!(a.field("rel_error").is_none());
    assert!(matches!(b.field("rel_error"), Some(Value::Num(x)) if *x == 0.5));
    let summary = wmd::output::summary(&out);
    assert!(summary.contains("0.25 vs 0 (abs. error 0.25)"), "{summary}");
}
