//! Matrices as arrays (issue 11): `*` stays the matrix product and `M ^ k` is the matrix
//! power, `.*`, `./`, `.^` act entry by entry, reductions run over all entries or along an
//! axis (numpy's convention), `diag`, `zeros`, `ones`; and `sample(expr, draws = K)` pools a
//! random number or vector over independent draws. `wmd check` accepts what runs and refuses
//! what does not when the shapes are known.

use super::support::run_script;
use wmd::ir::value::Value;

fn report(text: &str) -> Value {
    let out = run_script("a.wmd", text, &[], None).unwrap_or_else(|e| panic!("{e}"));
    out.reports[0].1.clone()
}

/// The rows of a matrix field.
fn rows(r: &Value, k: &str) -> Vec<Vec<f64>> {
    match r.field(k) {
        Some(Value::Matrix(m)) => (0..m.nrows())
            .map(|i| (0..m.ncols()).map(|j| m[(i, j)]).collect())
            .collect(),
        other => panic!("{k} is {other:?}"),
    }
}

fn vector(r: &Value, k: &str) -> Vec<f64> {
    let v = r.field(k).unwrap_or_else(|| panic!("no {k}"));
    v.as_slice()
        .unwrap_or_else(|| panic!("{k} is {v:?}"))
        .to_vec()
}

fn num(r: &Value, k: &str) -> f64 {
    match r.field(k) {
        Some(Value::Num(x)) => *x,
        other => panic!("{k} is {other:?}"),
    }
}

fn error(text: &str) -> String {
    run_script("a.wmd", text, &[], None).expect_err("should fail")
}

#[test]
fn products_powers_and_entrywise_operators() {
    let r = report(
        "let M = reshape([1, 2, 3, 4], 2)
        let v = [1, 2]
        report r {
            product = M * M
            square = M ^ 2
            cube = M ^ 3
            none = M ^ 0
            entries = M .^ 2
            times = M .* M
            quotient = M ./ (2 * M)
            shifted = M + 1
            from_one = 1 - M
            halves = M / 2
            periodic = M % 3
            inverse = 1 ./ M
            numbers = 2 .* 3 + 8 ./ 4 + 2 .^ 3
            vectors = v .* v + v ./ v + v .^ 2
            dotted = 2.*v
        }",
    );
    assert_eq!(rows(&r, "product"), [[7.0, 10.0], [15.0, 22.0]]);
    assert_eq!(rows(&r, "square"), rows(&r, "product"));
    assert_eq!(rows(&r, "cube"), [[37.0, 54.0], [81.0, 118.0]]);
    assert_eq!(rows(&r, "none"), [[1.0, 0.0], [0.0, 1.0]]);
    assert_eq!(rows(&r, "entries"), [[1.0, 4.0], [9.0, 16.0]]);
    assert_eq!(rows(&r, "times"), rows(&r, "entries"));
    assert_eq!(rows(&r, "quotient"), [[0.5, 0.5], [0.5, 0.5]]);
    assert_eq!(rows(&r, "shifted"), [[2.0, 3.0], [4.0, 5.0]]);
    assert_eq!(rows(&r, "from_one"), [[0.0, -1.0], [-2.0, -3.0]]);
    assert_eq!(rows(&r, "halves"), [[0.5, 1.0], [1.5, 2.0]]);
    assert_eq!(rows(&r, "periodic"), [[1.0, 2.0], [0.0, 1.0]]);
    assert_eq!(rows(&r, "inverse"), [[1.0, 0.5], [1.0 / 3.0, 0.25]]);
    assert_eq!(num(&r, "numbers"), 16.0);
    assert_eq!(vector(&r, "vectors"), [3.0, 9.0]);
    assert_eq!(vector(&r, "dotted"), [2.0, 4.0]);
}

#[test]
fn matrix_powers_and_divisions_that_are_not_defined_say_what_is() {
    let e = error("let M = identity(2)\nreport r { a = M ^ 0.5 }");
    assert!(
        e.contains("wmd::check::type") && e.contains("`M .^ p`"),
        "{e}"
    );
    let e = error("ensemble W = gaussian(rows = 2, cols = 3)\nreport r { a = W ^ 2 }");
    assert!(
        e.contains("wmd::check::shape") && e.contains("square"),
        "{e}"
    );
    let e = error("report r { a = reshape([1, 2, 3, 4, 5, 6], 2) ^ 2 }");
    assert!(e.contains("wmd::run::shape") && e.contains("2×3"), "{e}");
    let e = error("let M = identity(2)\nreport r { a = M / M }");
    assert!(e.contains("wmd::check::type") && e.contains("./"), "{e}");
    let e = error("let M = identity(2)\nreport r { a = 2 ^ M }");
    assert!(e.contains("wmd::check::type") && e.contains(".^"), "{e}");
    let e = error("let M = identity(2)\nlet N = identity(3)\nreport r { a = M .* N }");
    assert!(e.contains("wmd::check::shape"), "{e}");
    let e = error("report r { a = reshape([1, 2, 3, 4], 2) .* reshape([1, 2, 3, 4], 1) }");
    assert!(
        e.contains("wmd::run::shape") && e.contains("shapes differ"),
        "{e}"
    );
}

#[test]
fn reductions_over_all_entries_and_along_an_axis() {
    let r = report(
        "let M = reshape([1, 2, 3, 4, 5, 6], 2)
        report r {
            total = sum(M)
            average = mean(M)
            largest = max(M)
            smallest = min(M)
            spread = variance(M)
            sd = std(M)
            columns = sum(M, axis = 0)
            row_sums = sum(M, axis = 1)
            column_means = mean(M, axis = 0)
            row_means = mean(M, axis = 1)
            diagonal = diag(M)
            made = diag([1, 2, 3])
            t = trace(M' * M)
            z = zeros(2, 3)
            o = ones(1, 2)
            zv = zeros(3)
            ov = ones(2)
            top = max(M, 3)
        }",
    );
    assert_eq!(num(&r, "total"), 21.0);
    assert_eq!(num(&r, "average"), 3.5);
    assert_eq!(num(&r, "largest"), 6.0);
    assert_eq!(num(&r, "smallest"), 1.0);
    assert_eq!(num(&r, "spread"), 3.5);
    assert!((num(&r, "sd") - 3.5f64.sqrt()).abs() < 1e-15);
    assert_eq!(vector(&r, "columns"), [5.0, 7.0, 9.0]);
    assert_eq!(vector(&r, "row_sums"), [6.0, 15.0]);
    assert_eq!(vector(&r, "column_means"), [2.5, 3.5, 4.5]);
    assert_eq!(vector(&r, "row_means"), [2.0, 5.0]);
    assert_eq!(vector(&r, "diagonal"), [1.0, 5.0]);
    let made = rows(&r, "made");
    assert_eq!(made, [[1.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 3.0]]);
    assert_eq!(num(&r, "t"), 91.0);
    assert_eq!(rows(&r, "z"), [[0.0; 3]; 2]);
    assert_eq!(rows(&r, "o"), [[1.0, 1.0]]);
    assert_eq!(vector(&r, "zv"), [0.0; 3]);
    assert_eq!(vector(&r, "ov"), [1.0; 2]);
    assert_eq!(rows(&r, "top"), [[3.0, 3.0, 3.0], [4.0, 5.0, 6.0]]);
}

#[test]
fn an_axis_is_of_a_matrix_and_is_zero_or_one() {
    let e = error("report r { a = sum([1, 2], axis = 0) }");
    assert!(
        e.contains("wmd::check::argument_type") && e.contains("reduces a matrix"),
        "{e}"
    );
    let e = error("let M = identity(2)\nreport r { a = mean(M, axis = 2) }");
    assert!(
        e.contains("wmd::check::argument_type") && e.contains("0 or 1"),
        "{e}"
    );
    let e = error("let k = 3\nreport r { a = mean(identity(2), axis = k - 1) }");
    assert!(e.contains("0 or 1"), "{e}");
    let e = error("report r { a = len(identity(2)) }");
    assert!(
        e.contains("wmd::check::argument_type") && e.contains("rows(M)"),
        "{e}"
    );
}

/// `sample` of a scalar is a vector of K independent values, of a vector a K × n matrix; the
/// same seed gives the same numbers on any thread count; a comprehension over a random `let`
/// repeats one draw.
#[test]
fn sample_pools_independent_draws_reproducibly() {
    let text = "ensemble W = gaussian(rows = 4, cols = 3, var = 1 / 4)
        let t = trace(W' * W)
        let repeated = [t for d in 0..4]
        report r {
            traces = sample(trace(W' * W), draws = 2000)
            via_let = sample(t, draws = 5)
            diagonals = sample(diag(W' * W), draws = 6)
            top = sample(max(eigvals(W' * W)) > 2, draws = 10)
            copies = repeated
        }";
    let run = |threads| {
        run_script("a.wmd", text, &[], Some(threads))
            .unwrap_or_else(|e| panic!("{e}"))
            .reports[0]
            .1
            .clone()
    };
    let (one, four) = (run(1), run(4));
    let traces = vector(&one, "traces");
    assert_eq!(traces, vector(&four, "traces"));
    assert_eq!(traces.len(), 2000);
    // E tr WᵀW = rows · cols · var = 3, Var = 2 · 12 · var² = 1.5: the mean within 4 σ/√K.
    let mean = traces.iter().sum::<f64>() / 2000.0;
    assert!(
        (mean - 3.0).abs() < 4.0 * (1.5f64 / 2000.0).sqrt(),
        "{mean}"
    );
    let distinct = traces.windows(2).filter(|w| w[0] != w[1]).count();
    assert_eq!(distinct, 1999);
    assert_eq!(vector(&one, "via_let"), traces[..5]);
    let d = rows(&one, "diagonals");
    assert_eq!((d.len(), d[0].len()), (6, 3));
    assert!((d[0].iter().sum::<f64>() - traces[0]).abs() < 1e-12);
    assert_eq!(vector(&one, "top").len(), 10);
    let repeated = vector(&one, "copies");
    assert!(repeated.iter().all(|&x| x == traces[0]), "{repeated:?}");
}

#[test]
fn sample_refuses_what_it_cannot_stack() {
    let e = error("ensemble W = goe(n = 3)\nreport r { a = sample(W, draws = 3) }");
    assert!(
        e.contains("wmd::check::argument_type") && e.contains("flatten"),
        "{e}"
    );
    let e = error("report r { a = sample(2, draws = 3) }");
    assert!(e.contains("wmd::run::not_random"), "{e}");
    let e = error("ensemble W = goe(n = 3)\nreport r { a = sample(eigvals(W)) }");
    assert!(e.contains("wmd::check::missing_argument"), "{e}");
}

/// `variance` and `std` along an axis, unbiased as numpy's `var(ddof = 1)`, by hand.
#[test]
fn variance_and_std_along_an_axis() {
    let r = report(
        "let M = reshape([1, 2, 3, 5, 5, 9], 3)\n\
         report r { v0 = variance(M, axis = 0)\n s1 = std(M, axis = 1)\n all = variance(M) }",
    );
    let v0 = vector(&r, "v0");
    assert!(
        (v0[0] - 4.0).abs() < 1e-14 && (v0[1] - 37.0 / 3.0).abs() < 1e-13,
        "{v0:?}"
    );
    let s1 = vector(&r, "s1");
    for (s, d) in s1.iter().zip([1.0f64, 2.0, 4.0]) {
        assert!((s - d / 2f64.sqrt()).abs() < 1e-14, "{s1:?}");
    }
    assert!((num(&r, "all") - 49.0 / 6.0).abs() < 1e-13);
    let e = error("report r { v = variance(reshape([1, 2], 1), axis = 0) }");
    assert!(e.contains("at least 2 values per line"), "{e}");
}
