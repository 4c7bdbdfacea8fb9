//! `sde` with a noise matrix, dX = a(X, t) dt + B(X, t) dW with B d × m, against exact results:
//! - the 2D Ornstein–Uhlenbeck process dX = −A X dt + B dW has the stationary covariance Σ
//!   solving the Lyapunov equation A Σ + Σ Aᵀ = B Bᵀ (correlated noise: B Bᵀ not diagonal);
//! - linear multiplicative noise dX = A X dt + Σ_j C_j X dW_j has second moments
//!   M = E[X Xᵀ] solving M′ = A M + M Aᵀ + Σ_j C_j M C_jᵀ exactly (here integrated by RK4 with
//!   10⁴ steps, error ≪ 10⁻⁸), whatever the C_j (they need not commute).

use super::support::run_script;
use wmd::ir::value::Value;

fn finals(text: &str) -> std::sync::Arc<faer::Mat<f64>> {
    let out = run_script("m.wmd", text, &[], Some(2)).unwrap_or_else(|e| panic!("{e}"));
    match out.reports[0].1.field("f") {
        Some(Value::Matrix(m)) => m.clone(),
        other => panic!("{other:?}"),
    }
}

/// (E x₀², E x₀x₁, E x₁²) over the rows of `f`, and their standard errors for a Gaussian
/// law with second moments `s`.
pub fn second_moments(f: &faer::Mat<f64>) -> [f64; 3] {
    let n = f.nrows() as f64;
    let c = |i: usize, j: usize| (0..f.nrows()).map(|r| f[(r, i)] * f[(r, j)]).sum::<f64>() / n;
    [c(0, 0), c(0, 1), c(1, 1)]
}

pub fn standard_errors(s: [f64; 3], n: f64) -> [f64; 3] {
    let se = |a: f64, b: f64, ab: f64| ((a * b + ab * ab) / n).sqrt();
    [
        se(s[0], s[0], s[0]),
        se(s[0], s[2], s[1]),
        se(s[2], s[2], s[2]),
    ]
}

/// Σ from A Σ + Σ Aᵀ = Q for 2 × 2 matrices: the 3 × 3 system in (s₁₁, s₁₂, s₂₂).
pub fn lyapunov(a: [[f64; 2]; 2], q: [f64; 3]) -> [f64; 3] {
    let m = [
        [2.0 * a[0][0], 2.0 * a[0][1], 0.0],
        [a[1][0], a[0][0] + a[1][1], a[0][1]],
        [0.0, 2.0 * a[1][0], 2.0 * a[1][1]],
    ];
    let det = |m: &[[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    [0, 1, 2].map(|k| {
        let mut mk = m;
        for (row, r) in mk.iter_mut().zip(q) {
            row[k] = r;
        }
        det(&mk) / det(&m)
    })
}

fn ou(noise: &str, scheme: &str, dt: f64) -> String {
    format!(
        "let A = reshape([1, 0.5, -0.3, 2], 2)
        let B = {noise}
        sde s {{
            drift(x, t) = -A * x
            diffusion = B
            init = [0, 0]
            dt = {dt}
            until = 6
            runs = 20000
            scheme = \"{scheme}\"
        }}
        report r {{ f = s.final; m = s.noises }}"
    )
}

fn assert_lyapunov(noise: &str, q: [f64; 3], scheme: &str, dt: f64, bias: f64) {
    let f = finals(&ou(noise, scheme, dt));
    let exact = lyapunov([[1.0, 0.5], [-0.3, 2.0]], q);
    let measured = second_moments(&f);
    let se = standard_errors(exact, f.nrows() as f64);
    for k in 0..3 {
        let err = (measured[k] - exact[k]).abs();
        assert!(
            err < 5.0 * se[k] + bias,
            "{noise} {scheme}: entry {k}: {} vs {}",
            measured[k],
            exact[k]
        );
    }
}

#[test]
fn correlated_noise_gives_the_lyapunov_stationary_covariance() {
    // B = [[1, 0], [0.6, 0.8]]: B Bᵀ = [[1, 0.6], [0.6, 1]]. Euler–Maruyama's stationary
    // covariance is off by O(dt) (≈ 1 % at dt = 0.005); srk's by O(dt²).
    let square = "reshape([1, 0, 0.6, 0.8], 2)";
    assert_lyapunov(square, [1.0, 0.6, 1.0], "euler_maruyama", 0.005, 0.01);
    assert_lyapunov(square, [1.0, 0.6, 1.0], "srk", 0.02, 2e-3);
    // Three Wiener processes for two components: B Bᵀ = [[0.5, 0.2], [0.2, 1.25]].
    let wide = "reshape([0.5, 0.5, 0, 0.2, -0.2, 1.082820, ], 2)";
    let q = [0.5, 0.0, 0.04 + 0.04 + 1.082820f64.powi(2)];
    assert_lyapunov(wide, q, "srk", 0.02, 2e-3);
}

/// M(T) for M′ = A M + M Aᵀ + Σ_j C_j M C_jᵀ from M(0) = x₀x₀ᵀ, by RK4.
fn exact_second_moments(a: [[f64; 2]; 2], c: &[[[f64; 2]; 2]], x0: [f64; 2], t: f64) -> [f64; 3] {
    type M = [[f64; 2]; 2];
    let mul = |p: &M, q: &M| -> M {
        let mut r = [[0.0; 2]; 2];
        for i in 0..2 {
            for j in 0..2 {
                r[i][j] = (0..2).map(|k| p[i][k] * q[k][j]).sum();
            }
        }
        r
    };
    let tr = |p: &M| [[p[0][0], p[1][0]], [p[0][1], p[1][1]]];
    let add = |p: M, q: M, s: f64| -> M {
        [
            [p[0][0] + s * q[0][0], p[0][1] + s * q[0][1]],
            [p[1][0] + s * q[1][0], p[1][1] + s * q[1][1]],
        ]
    };
    let rate = |m: &M| -> M {
        let mut r = add(mul(&a, m), mul(m, &tr(&a)), 1.0);
        for cj in c {
            r = add(r, mul(&mul(cj, m), &tr(cj)), 1.0);
        }
        r
    };
    let steps = 10_000;
    let h = t / steps as f64;
    let mut m = [
        [x0[0] * x0[0], x0[0] * x0[1]],
        [x0[1] * x0[0], x0[1] * x0[1]],
    ];
    for _ in 0..steps {
        let k1 = rate(&m);
        let k2 = rate(&add(m, k1, h / 2.0));
        let k3 = rate(&add(m, k2, h / 2.0));
        let k4 = rate(&add(m, k3, h));
        let k = add(add(k1, k4, 1.0), add(k2, k3, 1.0), 2.0);
        m = add(m, k, h / 6.0);
    }
    [m[0][0], m[0][1], m[1][1]]
}

#[test]
fn srk_has_the_exact_second_moments_of_non_commuting_multiplicative_noise() {
    // C₁ = [[0.3, 0], [0, 0.1]] and C₂ = [[0, 0.4], [0.2, 0]] do not commute, so the noise
    // is not commutative and the Lévy-area terms of the scheme matter. At dt = 0.1 an O(dt)
    // error in them would be ~10⁻²; the statistics are ~3·10⁻³.
    let text = "sde s {
            drift(x, t) = [-0.5 * x[0] + 0.2 * x[1], -0.3 * x[0] - 0.4 * x[1]]
            diffusion(x, t) = reshape([0.3 * x[0], 0.4 * x[1], 0.1 * x[1], 0.2 * x[0]], 2)
            init = [1, 0.5]
            dt = 0.1
            until = 1
            runs = 100000
            scheme = \"srk\"
        }
        report r { f = s.final }";
    let f = finals(text);
    let c = [[[0.3, 0.0], [0.0, 0.1]], [[0.0, 0.4], [0.2, 0.0]]];
    let exact = exact_second_moments([[-0.5, 0.2], [-0.3, -0.4]], &c, [1.0, 0.5], 1.0);
    let measured = second_moments(&f);
    let se = standard_errors(exact, f.nrows() as f64);
    for k in 0..3 {
        let err = (measured[k] - exact[k]).abs();
        assert!(
            err < 5.0 * se[k] + 1e-3,
            "entry {k}: {} vs {}",
            measured[k],
            exact[k]
        );
    }
}

#[test]
fn milstein_refuses_a_noise_matrix_that_does_not_commute() {
    let text = "sde s {
            drift(x, t) = -x
            diffusion(x, t) = reshape([x[1], 0, 0, x[0]], 2)
            init = [1, 2]
            dt = 0.01
            steps = 10
            scheme = \"milstein\"
        }
        report r { f = s.final }";
    let err = run_script("m.wmd", text, &[], None).unwrap_err();
    assert!(err.contains("milstein needs commutative noise"), "{err}");
    assert!(
        err.contains("scheme = \"milstein\""),
        "the label is at the scheme: {err}"
    );
}

#[test]
fn a_noise_matrix_must_have_one_row_per_component() {
    let text = "sde s {
            drift(x, t) = -x
            diffusion = reshape([1, 0, 0, 1, 1, 1], 3)
            init = [1, 2]
            dt = 0.01
            steps = 10
        }
        report r { f = s.final }";
    let err = run_script("m.wmd", text, &[], None).unwrap_err();
    assert!(
        err.contains("gives a 3×2 matrix but the state has 2 components"),
        "{err}"
    );
}
