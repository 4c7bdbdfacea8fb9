//! Dyson index β = 1, 2, 4 against exact results: the Gaussian β-ensembles (`goe`, `gue`,
//! `gse`, `wishart_complex`) and the Coulomb gas with `beta`, by both methods; noise that
//! depends on the eigenvalue; the layout of `history`.
//!
//! **Gaussian β-ensemble.** For the weight Π|x_i − x_j|^β e^{−Σx²/(2s²)} on N eigenvalues the
//! density of r = |x| is ∝ r^{k−1} e^{−r²/(2s²)} with k = N + βN(N − 1)/2 (the weight is
//! homogeneous of degree βN(N − 1)/2), so Σx² = s² χ²_k exactly: ⟨Σx²⟩ = s² k with relative
//! standard deviation √(2/k) per sample. The gas in V = x²/2 with noise g has s = g; the laws
//! with E|H_ij|² = var have s² = 2 var/β.
//!
//! **2×2 spacings.** For two levels P(s) ∝ s^β e^{−a s²} exactly (the Wigner surmise), so with
//! s = S/⟨S⟩, ⟨s²⟩ = Γ((β+3)/2) Γ((β+1)/2)/Γ(β/2 + 1)²: 4/π, 3π/8, 45π/128.

use super::support::{field, mean_se, numbers, run_script};
use std::f64::consts::PI;
use wmd::ir::value::Value;

fn report(text: &str) -> Value {
    let out = run_script("beta.wmd", text, &[], None).unwrap_or_else(|e| panic!("{e}"));
    out.reports[0].1.clone()
}

fn num(v: &Value, name: &str) -> f64 {
    numbers(field(v, name))[0]
}

/// ⟨S²⟩/⟨S⟩² of a sample with its delta-method standard error.
fn unit_mean_second_moment(s: &[f64]) -> (f64, f64) {
    let k = s.len() as f64;
    let m1 = s.iter().sum::<f64>() / k;
    let m2 = s.iter().map(|x| x * x).sum::<f64>() / k;
    let (mut v1, mut v2, mut c12) = (0.0, 0.0, 0.0);
    for x in s {
        let (a, b) = (x - m1, x * x - m2);
        v1 += a * a / k;
        v2 += b * b / k;
        c12 += a * b / k;
    }
    // R = m2/m1²: ∂R/∂m2 = 1/m1², ∂R/∂m1 = −2 m2/m1³.
    let (d2, d1) = (1.0 / (m1 * m1), -2.0 * m2 / m1.powi(3));
    let var = (d2 * d2 * v2 + d1 * d1 * v1 + 2.0 * d1 * d2 * c12) / k;
    (m2 / (m1 * m1), var.sqrt())
}

#[test]
fn two_by_two_spacings_have_the_exact_surmise_moment_for_each_beta() {
    let k = 20_000;
    let r = report(&format!(
        "use rmt\n ensemble O = goe(2)\n ensemble U = gue(2)\n ensemble S = gse(2)
         report r {{ o = eigvals(O, draws = {k})\n u = eigvals(U, draws = {k})\n s = eigvals(S, draws = {k})
            so = spacings(reshape(o, {k}))\n su = spacings(reshape(u, {k}))\n ss = spacings(reshape(s, {k}))
            ks_o = ks_distance(so / mean(so), wigner(beta = 1))
            ks_u = ks_distance(su / mean(su), wigner(beta = 2))
            ks_s = ks_distance(ss / mean(ss), wigner(beta = 4)) }}"
    ));
    // s = S/⟨S⟩ follows the surmise of its β: KS ≈ 0.87/√20000 = 0.006 typically.
    for name in ["ks_o", "ks_u", "ks_s"] {
        assert!(num(&r, name) < 0.015, "{name} = {}", num(&r, name));
    }
    for (name, exact) in [
        ("o", 4.0 / PI),
        ("u", 3.0 * PI / 8.0),
        ("s", 45.0 * PI / 128.0),
    ] {
        let e = numbers(field(&r, name));
        assert_eq!(e.len(), 2 * k, "{name}: two eigenvalues a draw, each once");
        let s: Vec<f64> = e.chunks_exact(2).map(|p| p[1] - p[0]).collect();
        assert!(s.iter().all(|&x| x > 0.0), "{name}: ascending");
        // 20000 draws: the standard error of ⟨s²⟩ is ≈ 0.004 (0.3 %); 4 of them.
        let (m, se) = unit_mean_second_moment(&s);
        assert!(se < 0.006, "{name}: se {se}");
        assert!(
            (m - exact).abs() < 4.0 * se,
            "{name}: ⟨s²⟩ = {m} ± {se}, exact {exact}"
        );
    }
}

#[test]
fn the_gaussian_ensembles_have_the_exact_trace_of_h_squared() {
    // n = 4, var = 0.5: E tr H² = n·(diagonal variance) + n(n − 1)·var = s² k with
    // s² = 2var/β: GOE n(n + 1)var = 10, GUE n² var = 8, GSE n(n − 1/2)var = 7. The complex
    // Wishart W†W (5×3, var 0.5): E tr X = MN var = 7.5, E tr X² = var² MN(M + N) = 30.
    let k = 4000;
    let r = report(&format!(
        "ensemble O = goe(4, var = 0.5)\n ensemble U = gue(4, var = 0.5)\n ensemble S = gse(4, var = 0.5)
         ensemble W = wishart_complex(rows = 5, cols = 3, var = 0.5)
         report r {{ o = eigvals(O, draws = {k})\n u = eigvals(U, draws = {k})\n s = eigvals(S, draws = {k})
                    w = eigvals(W, draws = {k}) }}"
    ));
    for (name, n, exact) in [("o", 4, 10.0), ("u", 4, 8.0), ("s", 4, 7.0), ("w", 3, 30.0)] {
        let e = numbers(field(&r, name));
        let tr2: Vec<f64> = e
            .chunks_exact(n)
            .map(|p| p.iter().map(|x| x * x).sum())
            .collect();
        // Per draw tr H² = s² χ²_k has relative sd √(2/k) ≤ 0.58; 4000 draws: ≤ 0.9 %.
        let (m, se) = mean_se(&tr2);
        assert!(
            (m - exact).abs() < 4.0 * se,
            "{name}: E tr H² = {m} ± {se}, exact {exact}"
        );
    }
    let w = numbers(field(&r, "w"));
    let (tr, se) = mean_se(
        &w.chunks_exact(3)
            .map(|p| p.iter().sum())
            .collect::<Vec<f64>>(),
    );
    assert!((tr - 7.5).abs() < 4.0 * se, "E tr W†W = {tr} ± {se}");
    assert!(w.iter().all(|&x| x >= 0.0));
}

/// A harmonic gas of 3 eigenvalues (K = −x, g = 1, so s = 1) for this β and method.
fn harmonic_gas(beta: u32, method: &str) -> Value {
    report(&format!(
        "coulomb_gas gas {{
            eigenvalues = 3
            drift(x, i) = -x
            init = uniform(-1, 1)
            dt = 0.01
            until = 3
            runs = 600
            beta = {beta}
            method = \"{method}\"
        }}
        report r {{ f = gas.final\n ratio = spacing_ratio(gas.final)\n beta = gas.beta }}"
    ))
}

#[test]
fn both_methods_reach_the_gaussian_beta_ensemble_for_beta_2_and_4() {
    // ⟨Σx²⟩ = N + βN(N − 1)/2 = 9 (β = 2), 15 (β = 4); per run relative sd √(2/k) ≤ 0.47,
    // so 600 runs give ≤ 1.9 %; the O(dt) bias at dt = 0.01 is ≈ 0.5 % (allowed: 1 %), and
    // t = 3 is 6 relaxation times of Σx². ⟨r̃⟩ of 3×3 is exact (Atas et al. 2013):
    // 2√3/π − 1/2 (β = 2), 32√3/(15π) − 1/2 (β = 4).
    let r3 = 3f64.sqrt();
    for (beta, k, ratio) in [
        (2, 9.0, 2.0 * r3 / PI - 0.5),
        (4, 15.0, 32.0 * r3 / (15.0 * PI) - 0.5),
    ] {
        let mut means = Vec::new();
        for method in ["eigenvalues", "matrix"] {
            let r = harmonic_gas(beta, method);
            assert_eq!(num(&r, "beta"), f64::from(beta));
            let x = numbers(field(&r, "f"));
            let s2: Vec<f64> = x
                .chunks_exact(3)
                .map(|p| p.iter().map(|v| v * v).sum())
                .collect();
            let (m, se) = mean_se(&s2);
            assert!(
                (m - k).abs() < 4.0 * se + 0.01 * k,
                "β = {beta}, {method}: ⟨Σx²⟩ = {m} ± {se}, exact {k}"
            );
            let rr = field(&r, "ratio");
            let (mean, err) = (num(rr, "mean"), num(rr, "error"));
            assert!(
                (mean - ratio).abs() < 4.0 * err,
                "β = {beta}, {method}: ⟨r̃⟩ = {mean} ± {err}, exact {ratio}"
            );
            means.push((m, se));
        }
        let ((a, sa), (b, sb)) = (means[0], means[1]);
        assert!(
            (a - b).abs() < 4.0 * (sa * sa + sb * sb).sqrt() + 0.01 * k,
            "β = {beta}: the methods disagree: {a} ± {sa} vs {b} ± {sb}"
        );
    }
}

#[test]
fn two_eigenvalues_of_the_gas_have_the_exact_surmise_moment_for_beta_2_and_4() {
    // N = 2 in V = x²/2: the spacing has P(S) ∝ S^β e^{−S²/4}, so ⟨s²⟩ = ⟨S²⟩/⟨S⟩² is 3π/8
    // (β = 2) and 45π/128 (β = 4) exactly; 2000 runs: standard error ≈ 0.006, against an
    // O(dt) bias of ≈ 0.5 % on ⟨S²⟩ that mostly cancels in the ratio.
    for (beta, exact) in [(2, 3.0 * PI / 8.0), (4, 45.0 * PI / 128.0)] {
        let r = report(&format!(
            "coulomb_gas gas {{
                eigenvalues = 2\n drift(x, i) = -x\n init = uniform(-1, 1)
                dt = 0.005\n until = 4\n runs = 2000\n beta = {beta}
            }}
            report r {{ f = gas.final }}"
        ));
        let x = numbers(field(&r, "f"));
        let s: Vec<f64> = x.chunks_exact(2).map(|p| p[1] - p[0]).collect();
        let (m, se) = unit_mean_second_moment(&s);
        assert!(se < 0.01, "β = {beta}: se {se}");
        assert!(
            (m - exact).abs() < 4.0 * se,
            "β = {beta}: ⟨s²⟩ = {m} ± {se}, exact {exact}"
        );
    }
}

#[test]
fn beta_other_than_1_2_4_is_refused_at_the_field() {
    let text = "coulomb_gas gas {
        eigenvalues = 2
        drift(x, i) = -x
        init = uniform(-1, 1)
        dt = 0.01
        steps = 10
        beta = 3
    }
    report r { f = gas.final }";
    let err = run_script("g", text, &[], Some(1)).unwrap_err();
    assert!(
        err.contains("wmd::run::field") && err.contains("must be 1, 2 or 4, but is 3"),
        "{err}"
    );
    assert!(err.contains("7 │         beta = 3"), "{err}");
}

#[test]
fn state_dependent_noise_gives_the_ito_stationary_density() {
    // One eigenvalue, dx = (4 − 2x) dt + √2 √x dW (g² = x): the Itô stationary density
    // p ∝ g⁻² exp(∫K/g²) = x⁻¹ x⁴ e^{−2x} is Gamma(4, rate 2): mean 2, variance 1 (the
    // Stratonovich reading would give Gamma(4.5, 2), mean 2.25). 2000 runs: standard errors
    // 0.022 on the mean, ≈ 0.04 on the variance; the KS distance to the exact CDF is
    // ≈ 0.87/√2000 = 0.02 typically.
    let r = report(
        "coulomb_gas gas {
            eigenvalues = 1
            drift(x, i) = 4 - 2 * x
            noise(x, i) = sqrt(abs(x))
            init = uniform(1, 3)
            dt = 0.002
            until = 6
            runs = 2000
        }
        let gamma4 = density(x -> x^3 * exp(-2 * x), support = [0, 30])
        report r { x = flatten(gas.final)\n ks = ks_distance(flatten(gas.final), gamma4)\n g = gas.g }",
    );
    let x = numbers(field(&r, "x"));
    let (m, se) = mean_se(&x);
    assert!((m - 2.0).abs() < 4.0 * se, "mean {m} ± {se}");
    let var = x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() as f64 - 1.0);
    assert!((var - 1.0).abs() < 0.15, "variance {var}");
    assert!(num(&r, "ks") < 0.045, "KS {}", num(&r, "ks"));
    assert!(
        numbers(field(&r, "g")).is_empty(),
        "no constant g is recorded"
    );
}

#[test]
fn state_dependent_noise_is_refused_with_the_matrix_method() {
    let text = "coulomb_gas gas {
        eigenvalues = 2
        drift(x, i) = -x
        noise(x, i) = 1 + x * x
        init = uniform(-1, 1)
        dt = 0.01
        steps = 10
        method = \"matrix\"
    }
    report r { f = gas.final }";
    let err = run_script("g", text, &[], Some(1)).unwrap_err();
    assert!(
        err.contains("wmd::run::field") && err.contains("cannot take a noise that depends"),
        "{err}"
    );
    assert!(err.contains("4 │         noise(x, i) = 1 + x * x"), "{err}");
}

#[test]
fn a_negative_state_dependent_noise_stops_the_run_at_the_field() {
    let text = "coulomb_gas gas {
        eigenvalues = 2
        drift(x, i) = -x
        noise(x, i) = x
        init = [-0.5, 0.5]
        dt = 0.01
        steps = 10
    }
    report r { f = gas.final }";
    let err = run_script("g", text, &[], Some(1)).unwrap_err();
    assert!(
        err.contains("run 0, step 0") && err.contains("noise of eigenvalue 0"),
        "{err}"
    );
    assert!(err.contains("4 │         noise(x, i) = x"), "{err}");
}

/// The documented layout (docs/language.md): `history` has runs × ⌊steps/every⌋ rows, run by
/// run, each run's records in time order; `times` holds the record times k·every·dt,
/// k = 1 … ⌊steps/every⌋, without the initial state; the last record of a run is its final
/// state when every divides steps.
#[test]
fn the_history_layout_is_run_major_without_the_initial_state() {
    let gas = |steps: usize| {
        format!(
            "coulomb_gas gas {{
                eigenvalues = 3
                drift(x, i) = -x
                init = uniform(-1, 1)
                dt = 0.01
                steps = {steps}
                runs = 3
                every = 4
            }}
            report r {{ h = gas.history\n t = gas.times\n f = gas.final }}"
        )
    };
    let long = report(&gas(10));
    let rows =
        |v: &Value| -> Vec<Vec<f64>> { numbers(v).chunks_exact(3).map(<[f64]>::to_vec).collect() };
    let h = rows(field(&long, "h"));
    assert_eq!(h.len(), 3 * 2, "runs × ⌊10/4⌋ rows");
    let t = numbers(field(&long, "t"));
    assert_eq!(t.len(), 2);
    assert!(
        (t[0] - 0.04).abs() < 1e-12 && (t[1] - 0.08).abs() < 1e-12,
        "{t:?}"
    );
    // The same gas stopped after 4 and 8 steps (same name, seed and runs: the same streams)
    // ends where the history's records are.
    for (k, steps) in [(0, 4), (1, 8)] {
        let short = report(&gas(steps));
        let f = rows(field(&short, "f"));
        for run in 0..3 {
            assert_eq!(h[run * 2 + k], f[run], "run {run}, record {k}");
        }
    }
}

#[test]
fn a_drift_that_sees_the_whole_spectrum_shifts_only_the_centre_of_mass() {
    // K_i = −x_i + a·mean(xs) = −∂_i V with V = Σx²/2 − (a/2N)(Σx)²: the stationary law
    // Π|x_i − x_j| e^{−V} factorises into the differences (unchanged) and the centre of mass
    // c = Σx/√N with density ∝ e^{−(1 − a)c²/2}: Var(Σx)/N = 1/(1 − a) = 2 at a = ½ (1 with
    // a = 0). 2000 runs: relative standard error √(2/2000) ≈ 3 %; 4 of them plus 1 % for dt.
    let run = |drift: &str| {
        let r = report(&format!(
            "coulomb_gas gas {{
                eigenvalues = 4
                drift{drift}
                init = [-1.5, -0.5, 0.5, 1.5]
                dt = 0.005
                until = 8
                runs = 2000
            }}
            report r {{ s = [sum(gas.final[k, :]) for k in 0..2000] }}"
        ));
        let s = numbers(field(&r, "s"));
        let (m, _) = mean_se(&s);
        s.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (s.len() as f64 - 1.0) / 4.0
    };
    let tol = |v: f64| 4.0 * v * (2.0f64 / 2000.0).sqrt() + 0.01 * v;
    let coupled = run("(x, i, xs) = -x + 0.5 * mean(xs)");
    assert!(
        (coupled - 2.0).abs() < tol(2.0),
        "Var(Σx)/N = {coupled}, expected 2"
    );
    let free = run("(x, i) = -x");
    assert!(
        (free - 1.0).abs() < tol(1.0),
        "Var(Σx)/N = {free}, expected 1"
    );
}
