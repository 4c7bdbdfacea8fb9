//! The dense linear-algebra builtins (issue 13, item 7): residuals of `solve`, `inverse`,
//! `cholesky` and `eigh` on random well-conditioned matrices (≤ 1e-12 relative), `det` and
//! `logdet` against the product of the eigenvalues, `cov` against its formula, and a clear
//! error, at the call, on singular and non-positive-definite input.

use super::support::{field, first_report, numbers, run_script};

/// Relative residuals for A = G + 3I (G Gaussian with entries of variance 1/n, so
/// ‖G‖ ≈ 2 and A is well-conditioned) and S = GᵀG + I (symmetric positive definite).
fn residuals(n: usize) -> String {
    format!(
        r#"
ensemble G = gaussian(rows = {n}, cols = {n}, var = 1 / {n})
let A = G + 3 * identity({n})
let S = G' * G + identity({n})
let b = [2 + sin(i) for i in 0..{n}]
let B = reshape([cos(i) for i in 0..{n} * 3], {n})
let x = solve(A, b)
let X = solve(A, B)
let L = cholesky(S)
let e = eigh(S)
let scale = max(abs(A))
report r {{
    solve = max(abs(A * x - b)) / (scale * max(abs(x)) + max(abs(b)))
    solve_matrix = max(abs(A * X - B)) / (scale * max(abs(X)) + max(abs(B)))
    inverse = max(abs(inverse(A) * A - identity({n}))) / 1
    cholesky = max(abs(L * L' - S)) / max(abs(S))
    lower = sum(i in 0..{n}: sum(j in 0..{n}: if j > i then abs(L[i, j]) else 0))
    eigh = max(abs(e.vectors * diag(e.values) * e.vectors' - S)) / max(abs(S))
    orthonormal = max(abs(e.vectors' * e.vectors - identity({n})))
    descents = sum(i in 0..{n} - 1: if e.values[i + 1] >= e.values[i] then 0 else 1)
    log_det = logdet(S).value
    log_det_sign = logdet(S).sign
    eig_logsum = sum(log(e.values))
    determinant = det(S)
}}
"#
    )
}

#[test]
fn residuals_are_at_rounding_level_on_well_conditioned_matrices() {
    for n in [1, 2, 7, 40] {
        let r = first_report(&residuals(n), None);
        for key in [
            "solve",
            "solve_matrix",
            "inverse",
            "cholesky",
            "eigh",
            "orthonormal",
        ] {
            let v = numbers(field(&r, key))[0];
            assert!(v <= 1e-12, "n = {n}: {key} residual {v:e}");
        }
        assert_eq!(numbers(field(&r, "lower"))[0], 0.0, "n = {n}: L is lower");
        assert_eq!(
            numbers(field(&r, "descents")),
            vec![0.0],
            "n = {n}: ascending"
        );
        let (ld, sum) = (
            numbers(field(&r, "log_det"))[0],
            numbers(field(&r, "eig_logsum"))[0],
        );
        assert!(
            (ld - sum).abs() <= 1e-11 * (1.0 + sum.abs()),
            "n = {n}: {ld} vs {sum}"
        );
        assert_eq!(numbers(field(&r, "log_det_sign"))[0], 1.0);
        let det = numbers(field(&r, "determinant"))[0];
        assert!(
            (det.ln() - sum).abs() <= 1e-11 * (1.0 + sum.abs()),
            "n = {n}"
        );
    }
}

#[test]
fn determinant_sign_follows_the_pivoting() {
    let r = first_report(
        "report r { d = det(reshape([0, 1, 1, 0], 2))\n l = logdet(reshape([0, 2, 3, 0], 2)) \n z = det(reshape([1, 2, 2, 4], 2)) }",
        None,
    );
    assert_eq!(numbers(field(&r, "d")), vec![-1.0]);
    let l = field(&r, "l");
    assert_eq!(numbers(field(l, "sign")), vec![-1.0]);
    assert!((numbers(field(l, "value"))[0] - 6f64.ln()).abs() < 1e-14);
    assert_eq!(
        numbers(field(&r, "z")),
        vec![0.0],
        "a singular matrix has det 0"
    );
}

#[test]
fn covariance_is_the_unbiased_sample_covariance_of_the_columns() {
    // Columns (1, 2, 3) and (2, 4, 7): means 2 and 13/3.
    let r = first_report("report r { c = cov(reshape([1, 2, 2, 4, 3, 7], 3)) }", None);
    let c = numbers(field(&r, "c"));
    let (m1, m2) = (2.0, 13.0 / 3.0);
    let x = [1.0, 2.0, 3.0];
    let y = [2.0, 4.0, 7.0];
    let s = |a: &[f64], ma: f64, b: &[f64], mb: f64| {
        (0..3).map(|i| (a[i] - ma) * (b[i] - mb)).sum::<f64>() / 2.0
    };
    let want = [
        s(&x, m1, &x, m1),
        s(&x, m1, &y, m2),
        s(&y, m2, &x, m1),
        s(&y, m2, &y, m2),
    ];
    for (g, w) in c.iter().zip(want) {
        assert!((g - w).abs() < 1e-14, "{c:?}");
    }
}

fn error_of(text: &str) -> String {
    run_script("a.wmd", text, &[], None).expect_err("should be refused")
}

#[test]
fn singular_and_indefinite_matrices_are_refused_at_the_call() {
    let cases = [
        (
            "report r { x = solve(reshape([1, 2, 2, 4], 2), [1, 1]) }",
            "singular",
        ),
        ("report r { x = inverse(zeros(3, 3)) }", "singular"),
        (
            "report r { x = logdet(reshape([1, 2, 2, 4], 2)) }",
            "singular",
        ),
        (
            "report r { x = cholesky(reshape([1, 2, 2, 1], 2)) }",
            "not positive definite",
        ),
        (
            "report r { x = cholesky(reshape([1, 2, 0, 1], 2)) }",
            "symmetric",
        ),
        (
            "report r { x = eigh(reshape([1, 2, 0, 1], 2)) }",
            "symmetric",
        ),
        ("report r { x = solve(identity(2), [1, 2, 3]) }", "rows"),
        ("report r { x = inverse(zeros(2, 3)) }", "square"),
        ("report r { x = cov(zeros(1, 3)) }", "2 observations"),
    ];
    for (text, says) in cases {
        let e = error_of(text);
        assert!(e.contains(says), "{text}: {e}");
        assert!(e.contains("a.wmd:1:"), "{text}: no span in {e}");
    }
}
