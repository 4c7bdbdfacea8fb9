//! The stochastic Coulomb gas against exact results.
//!
//! With K(x) = −x and noise g, the stationary density is P ∝ Π|x_i − x_j| e^{−Σ x_i²/(2g²)}.
//! For two eigenvalues the spacing s has P(s) ∝ s e^{−s²/(4g²)}: ⟨s⟩ = √π g and the Binder
//! cumulant of s is ⟨s⁴⟩/(3⟨s²⟩²) − 1 = 32/(3·16) − 1 = −1/3. For N eigenvalues,
//! ⟨Σ x_i²⟩ = g² N(N + 1)/2 (scaling of a density homogeneous of degree N(N − 1)/2).
//! Each of two eigenvalues has the two-mode density of 001 with σ = g (Binder −4/27), and
//! s = S/⟨S⟩ the Wigner surmise (π/2) s e^{−πs²/4}.

use super::support::run_script;
use wmd::ir::value::Value;

fn num(v: &Value, path: &[&str]) -> f64 {
    let mut cur = v;
    for p in path {
        cur = cur.field(p).unwrap_or_else(|| panic!("no field {p}"));
    }
    match cur {
        Value::Num(x) => *x,
        other => panic!("{path:?} is {other:?}"),
    }
}

fn gas(n: usize, extra: &str, report: &str) -> Value {
    let text = format!(
        "use rmt
        coulomb_gas gas {{
            eigenvalues = {n}
            drift(x, i) = -x
            init = uniform(-1, 1)
            {extra}
        }}
        report r {{ {report} }}"
    );
    let out = run_script("gas.wmd", &text, &[], None).unwrap_or_else(|e| panic!("{e}"));
    out.reports[0].1.clone()
}

#[test]
fn two_eigenvalues_have_the_exact_spacing_law() {
    let r = gas(
        2,
        "dt = 0.001\n until = 6\n runs = 3000",
        "s = spacings(gas.final)\n mean_s = mean(s)\n binder = binder_cumulant(s)
         x = flatten(gas.final)\n fit = fit_two_mode(x)\n binder_x = binder_cumulant(x)
         ks_surmise = ks_distance(unit_mean(level_spacing(gas.final, pairs = degenerate([1, 1]))), wigner(beta = 1))",
    );
    // 3000 samples: the standard error of ⟨s⟩ is √((4 − π)/3000) ≈ 0.017 (1 %), and the
    // Euler–Maruyama bias is O(dt) = 0.1 %; 3 % is 3σ.
    let mean_s = num(&r, &["mean_s"]);
    assert!(
        (mean_s / std::f64::consts::PI.sqrt() - 1.0).abs() < 0.03,
        "⟨s⟩ = {mean_s}"
    );
    let (u, err) = (num(&r, &["binder", "value"]), num(&r, &["binder", "error"]));
    assert!(err > 0.0 && err < 0.03, "jackknife error {err}");
    assert!(
        (u + 1.0 / 3.0).abs() < 4.0 * err.max(0.01),
        "U4 = {u} ± {err}, exact −1/3"
    );
    // Each eigenvalue has the two-mode density of 001 with σ² = g²/Ω = 1 and centre 0, so
    // its Binder cumulant is −4/27; the fit's σ and the jackknife error are ~1.5 % here.
    let (sigma, sigma_err) = (num(&r, &["fit", "sigma"]), num(&r, &["fit", "sigma_error"]));
    assert!(
        (sigma - 1.0).abs() < 4.0 * sigma_err && sigma_err < 0.03,
        "σ = {sigma} ± {sigma_err}"
    );
    assert!(num(&r, &["fit", "centre"]).abs() < 4.0 * num(&r, &["fit", "centre_error"]));
    let (ux, ex) = (
        num(&r, &["binder_x", "value"]),
        num(&r, &["binder_x", "error"]),
    );
    assert!(
        (ux + 4.0 / 27.0).abs() < 4.0 * ex.max(0.01),
        "U4(x) = {ux} ± {ex}"
    );
    // s = S/⟨S⟩ follows the β = 1 surmise exactly for two levels: KS ≈ 0.87/√3000 = 0.016.
    let ks = num(&r, &["ks_surmise"]);
    assert!(ks < 0.035, "KS to the Wigner surmise {ks}");
}

#[test]
fn n_eigenvalues_have_the_exact_second_moment() {
    let r = gas(
        6,
        "dt = 0.001\n until = 6\n runs = 1000\n noise(i) = 0.5",
        "m2 = moment(flatten(gas.final), 2)",
    );
    // Exact ⟨x²⟩ = g²(N + 1)/2 = 0.25·7/2 = 0.875; 6000 correlated samples, ~1 % error.
    let m2 = num(&r, &["m2"]);
    assert!((m2 / 0.875 - 1.0).abs() < 0.04, "⟨x²⟩ = {m2}");
}

#[test]
fn the_discrete_sgd_form_has_the_exact_variance_of_its_map() {
    // One mode, no repulsion: x → (1 − α) x + √(2α²g̃²/|B|) η, whose stationary variance is
    // (α g̃²/|B|)/(1 − α/2) — the σ² ∝ α/|B| law of source 001 with its O(α) correction.
    let (lr, batch) = (0.05, 4.0);
    let r = gas(
        1,
        &format!("lr = {lr}\n batch = {batch}\n steps = 400\n runs = 4000"),
        "v = moment(flatten(gas.final), 2)",
    );
    let exact = lr / batch / (1.0 - lr / 2.0);
    let v = num(&r, &["v"]);
    // 4000 independent samples: relative standard error √(2/4000) = 2.2 %.
    assert!((v / exact - 1.0).abs() < 0.07, "variance {v} vs {exact}");
}

#[test]
fn runs_do_not_depend_on_the_thread_count() {
    let text = "coulomb_gas gas {
        eigenvalues = 8
        drift(x, i) = -x
        init = uniform(-1, 1)
        dt = 0.001
        steps = 500
        runs = 16
        every = 100
    }
    report r { f = gas.final\n h = gas.history\n last = gas.history[end, :] }";
    let one = run_script("g", text, &[], Some(1)).unwrap();
    let json = wmd::output::results_json(&one);
    let h = &json["reports"]["r"]["h"];
    assert_eq!(h.as_array().map(Vec::len), Some(16 * 5), "{h}");
    assert_eq!(json["reports"]["r"]["last"], json["reports"]["r"]["f"][15]);
    let two = run_script("g", text, &[], Some(2)).unwrap();
    assert_eq!(
        wmd::output::results_json(&one),
        wmd::output::results_json(&two)
    );
}

#[test]
fn a_bad_drift_stops_the_run_with_step_and_eigenvalue_named() {
    let text = "coulomb_gas gas {
        eigenvalues = 3
        drift(x, i) = 1 / (x - x)
        init = uniform(-1, 1)
        dt = 0.001
        steps = 10
    }
    report r { f = gas.final }";
    let err = run_script("g", text, &[], Some(1)).unwrap_err();
    assert!(
        err.contains("run 0, step 0") && err.contains("drift of eigenvalue"),
        "{err}"
    );
}

#[test]
fn eigenvalue_and_matrix_methods_reach_the_exact_goe_state() {
    // N = 3 in V = x²/2 with g = 1: the stationary state is exactly the 3×3 GOE, for which
    // ⟨x²⟩ = g²(N + 1)/2 = 2 and the spacing ratio has ⟨r̃⟩ = 4 − 2√3 ≈ 0.5359 (Atas et al.
    // 2013, exact for 3×3). 2000 runs: standard errors ≈ 1.2 % on ⟨x²⟩ and 0.006 on ⟨r̃⟩;
    // the O(dt) bias at dt = 0.005 is ≈ 0.5 %.
    let exact_r = 4.0 - 2.0 * 3f64.sqrt();
    for method in ["eigenvalues", "matrix"] {
        let r = gas(
            3,
            &format!("dt = 0.005\n until = 5\n runs = 2000\n method = \"{method}\""),
            "m2 = moment(flatten(gas.final), 2)\n ratio = spacing_ratio(gas.final)",
        );
        let m2 = num(&r, &["m2"]);
        assert!((m2 / 2.0 - 1.0).abs() < 0.05, "{method}: ⟨x²⟩ = {m2}");
        let (mean, err) = (num(&r, &["ratio", "mean"]), num(&r, &["ratio", "error"]));
        assert!(
            (mean - exact_r).abs() < 4.0 * err && err < 0.01,
            "{method}: ⟨r̃⟩ = {mean} ± {err}, exact {exact_r}"
        );
    }
}

#[test]
fn the_matrix_method_needs_one_noise_for_all_eigenvalues() {
    let text = "coulomb_gas gas {
        eigenvalues = 3
        drift(x, i) = -x
        noise(i) = 1 + i
        init = uniform(-1, 1)
        dt = 0.01
        steps = 10
        method = \"matrix\"
    }
    report r { f = gas.final }";
    let err = run_script("g", text, &[], Some(1)).unwrap_err();
    assert!(err.contains("same noise for every eigenvalue"), "{err}");
}
