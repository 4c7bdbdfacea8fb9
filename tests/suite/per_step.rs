//! Per-step functions (drifts, noises) written as a physicist writes them: user functions,
//! sums and comprehensions over constant ranges, matrix–vector products and records of
//! constants compile; what cannot compile is refused by `wmd check` at the construct, and
//! whatever `check` accepts runs.
//!
//! Physics: the 2D Ornstein–Uhlenbeck process dX = −A X dt + dW has the stationary
//! covariance Σ solving the Lyapunov equation A Σ + Σ Aᵀ = I (solved in `sde_matrix.rs`).

use super::sde_matrix::{lyapunov, second_moments, standard_errors};
use super::support::run_script;
use wmd::ir::value::Value;
use wmd::span::Sources;

fn sde(drift: &str, extra: &str) -> String {
    format!(
        "let A = reshape([1, 0.5, -0.3, 2], 2)
        let p = {{ k: 2 }}
        fn force(y) = -y^3 + y
        {extra}
        sde s {{
            drift(x, t) = {drift}
            diffusion(x, t) = 1
            init = [0.3, -0.2]
            dt = 0.01
            steps = 200
            runs = 50
        }}
        report r {{ f = s.final }}"
    )
}

fn finals(text: &str) -> std::sync::Arc<faer::Mat<f64>> {
    let out = run_script("p.wmd", text, &[], Some(2)).unwrap_or_else(|e| panic!("{e}"));
    match out.reports[0].1.field("f") {
        Some(Value::Matrix(m)) => m.clone(),
        other => panic!("{other:?}"),
    }
}

/// `wmd check` on a script: Ok, or the rendered diagnostics.
fn check(text: &str) -> Result<(), String> {
    let mut sources = Sources::new();
    wmd::parse(&mut sources, "p.wmd", text)
        .and_then(|p| wmd::check(&p).map(|_| ()))
        .map_err(|d| d.render(&sources, false))
}

#[test]
fn a_linear_drift_is_one_line_and_equals_its_components() {
    let by_components = finals(&sde(
        "[-A[0, 0] * x[0] - A[0, 1] * x[1], -A[1, 0] * x[0] - A[1, 1] * x[1]]",
        "",
    ));
    for drift in ["-A * x", "[sum(j in 0..2: -A[i, j] * x[j]) for i in 0..2]"] {
        assert_eq!(*finals(&sde(drift, "")), *by_components, "{drift}");
    }
}

#[test]
fn user_functions_are_inlined_and_records_of_constants_read() {
    let direct = finals(&sde("[-x[0]^3 + x[0], -x[1]^3 + x[1]]", ""));
    assert_eq!(*finals(&sde("force(x)", "")), *direct);
    assert_eq!(*finals(&sde("[force(x[0]), force(x[1])]", "")), *direct);
    let scaled = finals(&sde("[-2 * x[0], -2 * x[1]]", ""));
    assert_eq!(*finals(&sde("-p.k * x", "")), *scaled);
    // The state whole, elementwise functions of it, a reduction and an index by a loop.
    let mixed = "[tanh(x[0]) - mean(x), x[(1 + 0)] * len(x) - sum(k in 0..2 if k > 0: x[k])]";
    let f = finals(&sde(mixed, ""));
    let g = finals(&sde(
        "[tanh(x[0]) - (x[0] + x[1]) / 2, x[1] * 2 - x[1]]",
        "",
    ));
    for (a, b) in f.col_as_slice(0).iter().zip(g.col_as_slice(0)) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }
}

#[test]
fn the_one_line_linear_drift_has_the_lyapunov_stationary_covariance() {
    // T = 6 is 6 relaxation times of the slowest mode (eigenvalues of A: 1.1, 1.9); the srk
    // scheme's weak error at dt = 0.02 is O(dt²) ~ 1e-3, below the statistics.
    let text = "let A = reshape([1, 0.5, -0.3, 2], 2)
        sde s {
            drift(x, t) = -A * x
            diffusion(x, t) = 1
            init = [0, 0]
            dt = 0.02
            until = 6
            runs = 20000
            scheme = \"srk\"
        }
        report r { f = s.final }";
    let f = finals(text);
    let exact = lyapunov([[1.0, 0.5], [-0.3, 2.0]], [1.0, 0.0, 1.0]);
    let measured = second_moments(&f);
    let se = standard_errors(exact, f.nrows() as f64);
    for k in 0..3 {
        let err = (measured[k] - exact[k]).abs();
        assert!(
            err < 5.0 * se[k] + 2e-3,
            "entry {k}: {} vs {}",
            measured[k],
            exact[k]
        );
    }
}

#[test]
fn check_refuses_at_the_construct_what_cannot_compile() {
    let refused = [
        (
            "sum(eigvals(x * identity(2))) * x",
            "`eigvals` of the parameters",
        ),
        (
            "[x[0] for k in 0..x[0]]",
            "a loop over values computed from the parameters",
        ),
        ("(y -> y)(x)", "calling a function value"),
        (
            "{a: x}.a",
            "a field of a value computed from the parameters",
        ),
        ("x'", "transposing"),
    ];
    for (drift, reason) in refused {
        let text = sde(drift, "");
        let err = check(&text).expect_err(drift);
        assert!(
            err.contains("wmd::check::per_step") && err.contains(reason),
            "{drift}: {err}"
        );
    }
}

#[test]
fn what_check_accepts_runs() {
    let accepted = [
        "-A * x",
        "force(x)",
        "[sum(j in 0..2: -A[i, j] * x[j]) for i in 0..2]",
        "-p.k * x + sin(t)",
        "if x[0] > 0 then -x else x",
        "[max(x[0], x[1]) - x[0], min(x) - x[1]]",
        "-x * [1, 2][0]",
        "[-x[1], x[0]] - 0.1 * x",
        "-(A * A) * x",
    ];
    for drift in accepted {
        let text = sde(drift, "");
        check(&text).unwrap_or_else(|e| panic!("{drift}: {e}"));
        run_script("p.wmd", &text, &[], Some(2)).unwrap_or_else(|e| panic!("{drift}: {e}"));
    }
}
