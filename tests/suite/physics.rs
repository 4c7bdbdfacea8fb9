//! Physics: sampled spectra against exact random-matrix results.
//!
//! For W (M×N) with i.i.d. N(0, 1/M) entries and r = N/M ≤ 1, the eigenvalues of X = WᵀW
//! follow the Marchenko–Pastur law ρ(λ) = √((λ₊ − λ)(λ − λ₋))/(2π r λ), λ± = (1 ± √r)².
//! Exact at finite size: E[tr X/N] = 1 and E[tr X²/N] = 1 + r + 1/M.

use wmd::backend::linalg::{self, MatrixLaw};
use wmd::backend::rng::stream;
use wmd::observe::{density::TabulatedDensity, ks, stats};

/// The MP density written independently of the stdlib.
fn mp_pdf(r: f64) -> impl Fn(&[f64]) -> Vec<f64> {
    let (lo, hi) = ((1.0 - r.sqrt()).powi(2), (1.0 + r.sqrt()).powi(2));
    move |xs: &[f64]| {
        xs.iter()
            .map(|&x| ((hi - x) * (x - lo)).max(0.0).sqrt() / (2.0 * std::f64::consts::PI * r * x))
            .collect()
    }
}

/// Eigenvalues of WᵀW for each of `draws` samples.
fn spectra(m: usize, n: usize, draws: u64) -> Vec<Vec<f64>> {
    let law = MatrixLaw::Gaussian {
        rows: m,
        cols: n,
        mean: 0.0,
        var: 1.0 / m as f64,
    };
    (0..draws)
        .map(|d| {
            let w = linalg::sample(&law, &mut stream(11, 0, "W", d)).unwrap();
            linalg::sym_eigvals(linalg::gram(w.as_ref()).as_ref()).unwrap()
        })
        .collect()
}

/// Pooled eigenvalues of WᵀW over `draws` samples.
fn pooled_spectrum(m: usize, n: usize, draws: u64) -> Vec<f64> {
    spectra(m, n, draws).concat()
}

#[test]
fn sampled_spectra_follow_marchenko_pastur_for_several_ratios() {
    let m = 400;
    for r in [0.25, 0.5, 1.0] {
        let n = (r * m as f64) as usize;
        let draws = (4000 / n) as u64;
        let x = pooled_spectrum(m, n, draws);
        let law = TabulatedDensity::from_pdf(
            mp_pdf(r),
            (1.0 - r.sqrt()).powi(2),
            (1.0 + r.sqrt()).powi(2),
            4097,
        )
        .unwrap();
        // KS: finite-N corrections to the density are O(1/N) in the bulk and the sampling
        // error of 4000 rigid (strongly correlated) eigenvalues is smaller still; 0.02 holds
        // with room at N ≥ 100 and fails for any wrong r or scale (those give KS > 0.05).
        let d = ks::ks_distance(&x, |v| law.cdf(v));
        assert!(d < 0.02, "r = {r}: KS = {d}");
        // Mean: E = 1 exactly; its standard deviation over the pool is √(2/(MN·draws)) < 0.002.
        let mean = stats::mean(&x);
        assert!((mean - 1.0).abs() < 0.01, "r = {r}: mean {mean}");
        // Second moment: E = 1 + r + 1/M exactly; relative fluctuations are below 0.5 %.
        let m2 = x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64;
        let exact = 1.0 + r + 1.0 / m as f64;
        assert!(
            (m2 / exact - 1.0).abs() < 0.02,
            "r = {r}: second moment {m2} vs {exact}"
        );
    }
}

#[test]
fn spectral_edges_approach_the_marchenko_pastur_edges() {
    // Largest eigenvalue (Johnstone 2001): λ_max ≈ λ₊ + σ·TW₁ with
    // σ = (√M + √N)(1/√M + 1/√N)^(1/3)/M ≈ 0.040, 0.042, 0.046 for N = 100, 200, 400 at
    // M = 400, and TW₁ has mean −1.21 and sd 1.27. So the mean over 20 draws of the largest
    // eigenvalue is λ₊ − 1.21σ ± 1.27σ/√20 = λ₊ − (0.05…0.056) ± 0.013: a tolerance of 0.1
    // leaves ≥ 3.4 sd (r = 1 worst). (The pooled extreme of 10 draws would leave only ≈ 2.2σ
    // for the upper tail of the largest of 10 TW₁ values, a 5–8 % chance to fail for a given
    // seed, so it is not what is tested.)
    // The smallest eigenvalue: soft edge for r < 1 with σ₋ ≈ 0.004; hard edge at 0 for r = 1,
    // where λ_min = O(1/N²).
    let m = 400;
    for r in [0.25, 0.5, 1.0] {
        let n = (r * m as f64) as usize;
        let per_draw = spectra(m, n, 20);
        let k = per_draw.len() as f64;
        let mean_min = per_draw.iter().map(|e| e[0]).sum::<f64>() / k;
        let mean_max = per_draw.iter().map(|e| e[e.len() - 1]).sum::<f64>() / k;
        let (lo, hi) = ((1.0 - r.sqrt()).powi(2), (1.0 + r.sqrt()).powi(2));
        assert!(
            (mean_min - lo).abs() < 0.1,
            "r = {r}: smallest {mean_min} (mean of 20) vs edge {lo}"
        );
        assert!(
            (mean_max - hi).abs() < 0.1,
            "r = {r}: largest {mean_max} (mean of 20) vs edge {hi}"
        );
    }
}

#[test]
fn goe_second_moment_is_exact_and_the_semicircle_fits() {
    // H: n×n GOE with off-diagonal variance 1/n, diagonal 2/n: E[tr H²/n] = 1 + 1/n exactly.
    let n = 200;
    let law = MatrixLaw::Goe {
        n,
        var: 1.0 / n as f64,
    };
    let x: Vec<f64> = (0..20)
        .flat_map(|d| {
            linalg::sym_eigvals(
                linalg::sample(&law, &mut stream(5, 0, "H", d))
                    .unwrap()
                    .as_ref(),
            )
            .unwrap()
        })
        .collect();
    let m2 = x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64;
    assert!(
        (m2 - (1.0 + 1.0 / n as f64)).abs() < 0.02,
        "second moment {m2}"
    );
    let semicircle = |xs: &[f64]| {
        xs.iter()
            .map(|&v| (4.0 - v * v).max(0.0).sqrt() / (2.0 * std::f64::consts::PI))
            .collect()
    };
    let law = TabulatedDensity::from_pdf(semicircle, -2.0, 2.0, 4097).unwrap();
    let d = ks::ks_distance(&x, |v| law.cdf(v));
    assert!(d < 0.02, "KS to the semicircle {d}");
}

#[test]
fn the_stdlib_laws_have_their_exact_moments() {
    // The stdlib writes the laws in wmd; their tabulated moments must match the closed forms:
    // MP(r, var): mean var, second moment var²(1 + r); semicircle(R): variance R²/4;
    // Wigner surmise (β = 1, 2, 4): normalised with mean spacing 1.
    let text = "use rmt
        report r {
            mp_mean = mean(marchenko_pastur(r = 0.3, var = 2))
            mp_m2 = moment(marchenko_pastur(r = 0.3, var = 2), 2)
            sc_var = variance(semicircle(radius = 3))
            w1 = mean(wigner(beta = 1))
            w2 = mean(wigner(beta = 2))
            w4 = mean(wigner(beta = 4))
        }";
    let out = super::support::run_script("moments", text, &[], Some(1)).unwrap();
    let r = &out.reports[0].1;
    let get = |k: &str| match r.field(k) {
        Some(wmd::ir::value::Value::Num(x)) => *x,
        other => panic!("{k}: {other:?}"),
    };
    for (k, exact) in [
        ("mp_mean", 2.0),
        ("mp_m2", 4.0 * 1.3),
        ("sc_var", 9.0 / 4.0),
        ("w1", 1.0),
        ("w2", 1.0),
        ("w4", 1.0),
    ] {
        assert!((get(k) - exact).abs() < 1e-5, "{k} = {} vs {exact}", get(k));
    }
}
