//! The infinite-width kernel builtins (issue 13, item 3): `nngp`'s closed forms against
//! Gauss–Hermite quadrature and a Monte-Carlo estimate, the quadrature's convergence with its
//! order, the exact critical cases (relu at C_W = 2, deep linear), the susceptibilities of tanh
//! at its critical point, the depth scale against the measured decay of the recursion, and a
//! clear error, at the call, on bad input.

use super::support::{field, first_report, numbers, run_script};

/// Three inputs in n₀ = 3 of norms ² /3 from 0.4 to 1.5, correlated and anti-correlated.
const X: &str = "let x = reshape([1, 0.5, -0.5, 0.9, 0.7, 0.1, -1.2, -1.4, 0.6], 3)";

fn kernel(call: &str) -> Vec<f64> {
    let r = first_report(&format!("{X}\nreport r {{ k = {call} }}"), None);
    numbers(field(&r, "k"))
}

fn max_diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// erf's Williams kernel against 2-D Gauss–Hermite at order 200 (erf is entire: measured
/// ≤ 3e-15): ≤ 1e-10. relu's arc-cosine kernel: the kink of relu(v) on the line
/// ρg₁ + √(1 − ρ²)g₂ = 0, which no tensor grid follows, makes the quadrature converge only like
/// 1/order (measured ≈ 0.13/order on unit kernels): at order 400 within 1e-3, and order 400
/// at least 3 times closer than order 100.
#[test]
fn closed_forms_match_gauss_hermite_quadrature() {
    for depth in [2, 4] {
        let erf = kernel(&format!(
            "gram(nngp(activation = \"erf\", depth = {depth}, c_w = 1.5, c_b = 0.1), x)"
        ));
        let quad = kernel(&format!("gram(nngp(activation = \"erf\", depth = {depth}, c_w = 1.5, c_b = 0.1, quadrature = true, order = 200), x)"));
        assert!(
            max_diff(&erf, &quad) <= 1e-10,
            "depth {depth}: {erf:?} vs {quad:?}"
        );
    }
    let relu = kernel("gram(nngp(depth = 2, c_w = 2), x)");
    let at = |n: usize| {
        max_diff(
            &relu,
            &kernel(&format!(
                "gram(nngp(depth = 2, c_w = 2, quadrature = true, order = {n}), x)"
            )),
        )
    };
    let (coarse, fine) = (at(100), at(400));
    assert!(
        fine <= 1e-3 && fine * 3.0 <= coarse,
        "{coarse:e} → {fine:e}"
    );
}

/// E[σ(u)σ(v)] = K⁽²⁾₀₁ (C_W = 1, C_b = 0) against the mean of σ(u)σ(v) over 200 000 draws of
/// (u, v) = L g, L Lᵀ = K⁽¹⁾, within 4 standard errors.
#[test]
fn closed_forms_match_monte_carlo() {
    for (act, sigma) in [("relu", "max(z, 0)"), ("erf", "erf(z)")] {
        let text = format!(
            r#"
{X}
let pair = x[0..2, :]
let n = 200000
let K1 = gram(nngp(activation = "linear", depth = 1), pair)
let K2 = gram(nngp(activation = "{act}", depth = 2), pair)
ensemble G = gaussian(rows = n, cols = 2)
fn s(z) = {sigma}
let Z = G * cholesky(K1)'
let p = s(Z[:, 0]) * s(Z[:, 1])
report r {{
    mc = mean(p)
    se = std(p) / sqrt(n)
    exact = K2[0, 1]
}}
"#
        );
        let r = first_report(&text, None);
        let get = |k: &str| numbers(field(&r, k))[0];
        let (mc, se, exact) = (get("mc"), get("se"), get("exact"));
        assert!(
            (mc - exact).abs() <= 4.0 * se,
            "{act}: {mc} ± {se} vs {exact}"
        );
        assert!(se < 5e-3, "{act}: se {se}");
    }
}

/// The conventions are mlp's: the sample covariance of the output of mlp(widths = [3, 200, 200,
/// 1]) over 2000 draws of its initialisation is K⁽³⁾ within 4 standard errors
/// √((K_αα K_ββ + K_αβ²)/(N − 1)) of a Gaussian sample covariance (the 1/width corrections,
/// ~0.5%, are below the ~3% sampling error; measured ≤ 1 s.e.).
#[test]
fn the_kernel_is_the_output_covariance_of_a_wide_mlp() {
    for (act, c_w, c_b, bias) in [
        (
            "tanh",
            1.5,
            0.1,
            "bias = true, bias_init = normal(var = 0.1)",
        ),
        ("relu", 2.0, 0.0, "bias = false"),
    ] {
        let text = format!(
            r#"
{X}
network net = mlp(widths = [3, 200, 200, 1], activation = "{act}", {bias}, init = normal(var = {c_w} / fan_in))
let y = sample(flatten(forward(net, x)), draws = 2000)
report r {{
    c = cov(y)
    k = gram(nngp(activation = "{act}", depth = 3, c_w = {c_w}, c_b = {c_b}), x)
}}
"#
        );
        let r = first_report(&text, None);
        let (c, k) = (numbers(field(&r, "c")), numbers(field(&r, "k")));
        for a in 0..3 {
            for b in a..3 {
                let se = ((k[4 * a] * k[4 * b] + k[3 * a + b].powi(2)) / 1999.0).sqrt();
                let (got, want) = (c[3 * a + b], k[3 * a + b]);
                assert!(
                    (got - want).abs() <= 4.0 * se,
                    "{act} ({a}, {b}): {got} vs {want} ± {se}"
                );
            }
        }
    }
}

/// tanh's kernel (depth 3, C_W = 1.5, so K ≤ 1.9) at order 10, 20, 40, 80 against order 400.
/// Measured: 1.0e-2, 6.8e-4, 1.4e-5, 5.3e-8, i.e. e^{−2.1√order} (e^{−3.1√order} on unit
/// kernels: the integrand varies on the scale 1/√K): each doubling must gain a factor 10, and
/// order 80 be within 1e-7.
#[test]
fn tanh_quadrature_converges_with_the_order() {
    let call = |n: usize| {
        kernel(&format!(
            "gram(nngp(activation = \"tanh\", depth = 3, c_w = 1.5, order = {n}), x)"
        ))
    };
    let best = call(400);
    let errors: Vec<f64> = [10, 20, 40, 80]
        .iter()
        .map(|&n| max_diff(&call(n), &best))
        .collect();
    for w in errors.windows(2) {
        assert!(w[1] * 10.0 < w[0], "{errors:?}");
    }
    assert!(errors[3] < 1e-7, "{errors:?}");
}

/// relu at (C_W, C_b) = (2, 0) keeps the diagonal: K⁽ℓ⁾_αα = K⁽¹⁾_αα bit for bit, in `nngp` and
/// in `kernel_recursion`; deep linear: K⁽ᴸ⁾ = C_W^L x xᵀ/n₀ (exactly for C_W = 2, to 1e-15
/// relative for C_W = 1.3).
#[test]
fn the_critical_relu_and_the_deep_linear_kernels_are_exact() {
    let first = kernel("gram(nngp(depth = 1, c_w = 2), x)");
    for depth in [2, 3, 7] {
        let k = kernel(&format!("gram(nngp(depth = {depth}, c_w = 2), x)"));
        for a in 0..3 {
            assert_eq!(k[4 * a].to_bits(), first[4 * a].to_bits(), "depth {depth}");
        }
    }
    let r = first_report(
        "report r { k = kernel_recursion(\"relu\", 0.7, 30, c_w = 2) }",
        None,
    );
    assert!(numbers(field(&r, "k")).iter().all(|&k| k == 1.4));
    let gram = kernel("x * x' / 3");
    for (c_w, tol) in [(2.0f64, 0.0), (1.3, 1e-15)] {
        for depth in [1, 4] {
            let k = kernel(&format!(
                "gram(nngp(activation = \"linear\", depth = {depth}, c_w = {c_w}), x)"
            ));
            for (got, g) in k.iter().zip(&gram) {
                let want = c_w.powi(depth) * g;
                assert!(
                    (got - want).abs() <= tol * want.abs(),
                    "{c_w} {depth}: {got} vs {want}"
                );
            }
        }
    }
}

/// tanh at (C_b, C_W) = (0, 1): χ_∥ = 1 − 4K + O(K²) and χ_⊥ = 1 − 2K + O(K²) tend to 1 as
/// K → 0 (and are 1 at K = 0), K* = 0 and the depth scale is refused as infinite; relu at
/// C_W = 2 has χ_∥ = χ_⊥ = 1.
#[test]
fn tanh_and_relu_are_critical_at_their_known_points() {
    let text = r#"
report r {
    ks = [0.1, 0.01, 0.001, 0.0001, 0]
    par = [susceptibilities("tanh", k, c_w = 1).parallel for k in [0.1, 0.01, 0.001, 0.0001, 0]]
    perp = [susceptibilities("tanh", k, c_w = 1).perpendicular for k in [0.1, 0.01, 0.001, 0.0001, 0]]
    relu = susceptibilities("relu", 3, c_w = 2)
    kstar = kernel_fixed_point("tanh", c_w = 1, c_b = 0)
}
"#;
    let r = first_report(text, None);
    let ks = numbers(field(&r, "ks"));
    let (par, perp) = (numbers(field(&r, "par")), numbers(field(&r, "perp")));
    for i in 0..ks.len() {
        let k = ks[i];
        assert!(
            (1.0 - par[i] - 4.0 * k).abs() <= 25.0 * k * k + 1e-14,
            "χ_∥({k}) = {}",
            par[i]
        );
        assert!(
            (1.0 - perp[i] - 2.0 * k).abs() <= 25.0 * k * k + 1e-14,
            "χ_⊥({k}) = {}",
            perp[i]
        );
    }
    assert_eq!((par[4], perp[4]), (1.0, 1.0));
    let relu = field(&r, "relu");
    assert_eq!(numbers(field(relu, "parallel")), vec![1.0]);
    assert_eq!(numbers(field(relu, "perpendicular")), vec![1.0]);
    assert_eq!(numbers(field(&r, "kstar")), vec![0.0]);
    let e = run_script(
        "a.wmd",
        "report r { xi = depth_scale(\"tanh\", c_w = 1) }",
        &[],
        None,
    )
    .unwrap_err();
    assert!(e.contains("critical") && e.contains("∞"), "{e}");
}

/// Off criticality the recursion settles geometrically: (K⁽ℓ⁺¹⁾ − K*)/(K⁽ℓ⁾ − K*) at the first
/// layer with |K⁽ℓ⁾ − K*| < 1e-6 against e^{−1/ξ} = χ_∥(K*). The ratio's curvature correction
/// is O(|K⁽ℓ⁾ − K*|) and K*'s rounding error over the distance ≲ 1e-9, so 1e-5 relative must
/// hold (measured ≲ 1e-6); for relu (an affine map) it is exact to rounding.
#[test]
fn the_depth_scale_is_the_decay_of_the_recursion() {
    for (act, c_w, c_b) in [
        ("tanh", 1.5, 0.0),
        ("tanh", 0.8, 0.2),
        ("erf", 1.0, 0.5),
        ("sigmoid", 3.0, 0.1),
        ("relu", 1.5, 1.0),
    ] {
        let text = format!(
            r#"
report r {{
    k = kernel_recursion("{act}", 1, 200, c_w = {c_w}, c_b = {c_b})
    kstar = kernel_fixed_point("{act}", c_w = {c_w}, c_b = {c_b}, k0 = 1)
    xi = depth_scale("{act}", c_w = {c_w}, c_b = {c_b}, k0 = 1)
}}
"#
        );
        let r = first_report(&text, None);
        let k = numbers(field(&r, "k"));
        let (kstar, xi) = (numbers(field(&r, "kstar"))[0], numbers(field(&r, "xi"))[0]);
        let d: Vec<f64> = k.iter().map(|v| v - kstar).collect();
        let l = d
            .iter()
            .position(|v| v.abs() < 1e-6)
            .unwrap_or_else(|| panic!("{act}: {d:?}"));
        let rate = d[l + 1] / d[l];
        let want = (-1.0 / xi).exp();
        assert!(
            (rate / want - 1.0).abs() < 1e-5,
            "{act} {c_w} {c_b}: {rate} vs {want} (ξ = {xi}, layer {l})"
        );
    }
}

#[test]
fn bad_input_is_refused_at_the_call_with_a_code() {
    let cases = [
        (
            "gram(nngp(order = 0), identity(2))",
            "whole number",
            "wmd::run::value",
        ),
        (
            "gram(nngp(order = 401), identity(2))",
            "from 1 to 400",
            "wmd::run::value",
        ),
        (
            "gram(nngp(depth = 0), identity(2))",
            "whole number",
            "wmd::run::value",
        ),
        (
            "gram(nngp(c_w = -1), identity(2))",
            "variance",
            "wmd::run::value",
        ),
        (
            "kernel_recursion(\"tanh\", 1, 2000000)",
            "from 1 to 1000000",
            "wmd::run::value",
        ),
        (
            "kernel_recursion(\"tanh\", -1, 3)",
            "variance",
            "wmd::run::value",
        ),
        (
            "kernel_recursion(\"linear\", 1, 300, c_w = 1000)",
            "overflowed",
            "wmd::run::non_finite",
        ),
        (
            "susceptibilities(\"erf\", -0.5)",
            "variance",
            "wmd::run::value",
        ),
        (
            "kernel_fixed_point(\"relu\", c_w = 3)",
            "no fixed point",
            "wmd::run::value",
        ),
        (
            "kernel_fixed_point(\"relu\", c_w = 2, c_b = 0.1)",
            "no fixed point",
            "wmd::run::value",
        ),
        (
            "depth_scale(\"linear\", c_w = 1.5)",
            "no fixed point",
            "wmd::run::value",
        ),
        (
            "depth_scale(\"relu\", c_w = 2)",
            "critical",
            "wmd::run::value",
        ),
    ];
    for (call, says, code) in cases {
        let text = format!("report r {{ v = {call} }}");
        let e = run_script("a.wmd", &text, &[], None).expect_err(call);
        assert!(e.contains(says) && e.contains(code), "{call}: {e}");
        assert!(e.contains("a.wmd:1:"), "{call}: no span in {e}");
    }
    // a literal is refused by `wmd check`, a computed name at the call
    let literal = "report r { v = gram(nngp(activation = \"foo\"), identity(2)) }";
    let e = run_script("a.wmd", literal, &[], None).unwrap_err();
    assert!(e.contains("\"foo\"") && e.contains("wmd::check"), "{e}");
    let computed = "let a = \"tan\"\nreport r { v = kernel_fixed_point(a) }";
    let e = run_script("a.wmd", computed, &[], None).unwrap_err();
    assert!(
        e.contains("must be one of") && e.contains("wmd::run::value"),
        "{e}"
    );
}
