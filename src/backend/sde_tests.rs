//! Convergence orders of the schemes on processes with exact solutions.
//!
//! Every path draws its Brownian increments on the finest grid; coarser grids sum them, so all
//! step sizes see the same path, and the reference X_T is computed from that same path:
//! - geometric Brownian motion dX = μX dt + σX dW has X_T = X₀ exp((μ − σ²/2)T + σW_T) (Itô)
//!   and X₀ exp(μT + σW_T) (Stratonovich);
//! - Ornstein–Uhlenbeck dX = −θX dt + σ dW: the exact transition
//!   X ← X e^{−θh} + σ √((1 − e^{−2θh})/(2θ)) ΔW/√h on the finest grid, exact in law.
//!
//! Strong error E|X^h_T − X_T|; weak error E[f(X^h_T) − f(X_T)], estimated on the same paths
//! (the reference acts as a control variate: the noise is that of the difference, O(h^{strong
//! order}), while the bias is O(h^{weak order}); E f(X_T) is exact by construction). Orders
//! are least-squares slopes of log₂ error against log₂ h over h = T/8 … T/128.

use super::*;
use crate::observe::stats::fit_line;

const FINE: usize = 128;
const LEVELS: u32 = 5;

/// (X^h_T, X_T) for each level (h = T·2^ℓ/FINE, ℓ = 0 … LEVELS − 1) and path.
#[allow(clippy::too_many_arguments)]
fn levels<A, B, R>(
    scheme: Scheme,
    calculus: Calculus,
    a: &A,
    b: &B,
    x0: f64,
    t_end: f64,
    paths: usize,
    reference: R,
) -> Vec<Vec<(f64, f64)>>
where
    A: Fn(&[f64], &mut [f64]) + Sync,
    B: Fn(&[f64], &mut [f64]) + Sync,
    R: Fn(&[f64]) -> f64 + Sync,
{
    let hf = t_end / FINE as f64;
    let per_path: Vec<Vec<(f64, f64)>> = (0..paths)
        .into_par_iter()
        .map(|p| {
            let mut rng = stream(11, 0, "sde-test", p as u64);
            let dw: Vec<f64> = (0..FINE)
                .map(|_| {
                    let z: f64 = StandardNormal.sample(&mut rng);
                    hf.sqrt() * z
                })
                .collect();
            let xref = reference(&dw);
            let mut stepper = Stepper::new(1, scheme, calculus, a, b);
            (0..LEVELS)
                .map(|l| {
                    let m = 1usize << l;
                    let h = hf * m as f64;
                    let mut x = [x0];
                    for (k, chunk) in dw.chunks(m).enumerate() {
                        let w = [chunk.iter().sum::<f64>()];
                        stepper.step(&mut x, k as f64 * h, h, &w).unwrap();
                    }
                    (x[0], xref)
                })
                .collect()
        })
        .collect();
    (0..LEVELS as usize)
        .map(|l| per_path.iter().map(|p| p[l]).collect())
        .collect()
}

fn strong(errs: &[Vec<(f64, f64)>]) -> Vec<f64> {
    errs.iter()
        .map(|v| v.iter().map(|(x, r)| (x - r).abs()).sum::<f64>() / v.len() as f64)
        .collect()
}

fn weak(errs: &[Vec<(f64, f64)>], f: impl Fn(f64) -> f64) -> Vec<f64> {
    errs.iter()
        .map(|v| (v.iter().map(|(x, r)| f(*x) - f(*r)).sum::<f64>() / v.len() as f64).abs())
        .collect()
}

/// Least-squares slope of log₂ error against log₂ h.
fn order(errors: &[f64]) -> f64 {
    let lh: Vec<f64> = (0..errors.len()).map(|l| l as f64).collect();
    let le: Vec<f64> = errors.iter().map(|e| e.log2()).collect();
    fit_line(&lh, &le).unwrap().slope
}

fn gbm(
    scheme: Scheme,
    calculus: Calculus,
    mu: f64,
    sigma: f64,
    t_end: f64,
    paths: usize,
) -> Vec<Vec<(f64, f64)>> {
    let a = move |xt: &[f64], out: &mut [f64]| out[0] = mu * xt[0];
    let b = move |xt: &[f64], out: &mut [f64]| out[0] = sigma * xt[0];
    let shift = if calculus == Calculus::Ito {
        0.5 * sigma * sigma
    } else {
        0.0
    };
    let reference = move |dw: &[f64]| ((mu - shift) * t_end + sigma * dw.iter().sum::<f64>()).exp();
    levels(scheme, calculus, &a, &b, 1.0, t_end, paths, reference)
}

fn ou(scheme: Scheme, theta: f64, t_end: f64, paths: usize) -> Vec<Vec<(f64, f64)>> {
    let (sigma, x0) = (1.0, 1.0);
    let a = move |xt: &[f64], out: &mut [f64]| out[0] = -theta * xt[0];
    let b = move |_: &[f64], out: &mut [f64]| out[0] = sigma;
    let hf = t_end / FINE as f64;
    let decay = (-theta * hf).exp();
    let sd = sigma * ((1.0 - decay * decay) / (2.0 * theta)).sqrt();
    let reference = move |dw: &[f64]| dw.iter().fold(x0, |x, w| x * decay + sd * w / hf.sqrt());
    levels(scheme, Calculus::Ito, &a, &b, x0, t_end, paths, reference)
}

const SCHEMES: [Scheme; 3] = [Scheme::EulerMaruyama, Scheme::Milstein, Scheme::Srk];

fn assert_order(what: &str, errors: &[f64], expected: f64, tol: f64) {
    let p = order(errors);
    eprintln!("{what}: order {p:.3}");
    assert!(
        (p - expected).abs() < tol,
        "{what}: measured order {p:.3}, expected {expected} ± {tol} (errors {errors:?})"
    );
}

#[test]
fn strong_orders_on_geometric_brownian_motion() {
    // Multiplicative noise: Euler–Maruyama ½, Milstein and Platen's scheme 1.
    for (scheme, expected) in SCHEMES.into_iter().zip([0.5, 1.0, 1.0]) {
        for calculus in [Calculus::Ito, Calculus::Stratonovich] {
            let e = strong(&gbm(scheme, calculus, 0.5, 0.8, 1.0, 3000));
            assert_order(
                &format!("{scheme:?}/{calculus:?} strong"),
                &e,
                expected,
                0.15,
            );
        }
    }
}

#[test]
fn weak_orders_on_ornstein_uhlenbeck() {
    // θ = 1, σ = 1, X₀ = 1, T = 4 (h = 1/32 … 1/2), f(x) = x and x²: Euler–Maruyama and
    // Milstein 1, Platen's scheme 2.
    for (scheme, expected) in SCHEMES.into_iter().zip([1.0, 1.0, 2.0]) {
        let runs = ou(scheme, 1.0, 4.0, 3000);
        assert_order(
            &format!("{scheme:?} weak, E X"),
            &weak(&runs, |x| x),
            expected,
            0.2,
        );
        let e2 = weak(&runs, |x| x * x);
        assert_order(&format!("{scheme:?} weak, E X²"), &e2, expected, 0.25);
    }
}

#[test]
fn weak_order_one_on_geometric_brownian_motion() {
    for scheme in [Scheme::EulerMaruyama, Scheme::Milstein] {
        let e = weak(&gbm(scheme, Calculus::Ito, 1.0, 0.5, 1.0, 3000), |x| x);
        assert_order(&format!("{scheme:?} weak, GBM E X"), &e, 1.0, 0.2);
    }
}

#[test]
fn a_non_finite_state_names_run_step_time_and_component() {
    let cfg = SdeConfig {
        dim: 2,
        dt: 0.1,
        steps: 10,
        every: 1,
        runs: 3,
        scheme: Scheme::EulerMaruyama,
        calculus: Calculus::Ito,
        seed: 0,
        point: 0,
        label: "x".into(),
        keep_paths: 0,
    };
    // Component 1 blows up once t ≥ 0.3.
    let a = |xt: &[f64], out: &mut [f64]| {
        out[0] = 0.0;
        out[1] = if xt[2] > 0.25 { f64::INFINITY } else { 0.0 };
    };
    let b = |_: &[f64], out: &mut [f64]| out.fill(0.1);
    let init = |_: usize, _: &mut Rng| Ok(vec![0.0, 0.0]);
    let err = run_ensemble(&cfg, &a, &b, &init, &crate::progress::Watch::default()).unwrap_err();
    let BackendError::NotFinite {
        place, quantity, ..
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(place.run, Some(("run", 0)));
    assert_eq!(place.step, Some(3));
    assert!(
        place.time.is_some_and(|(_, t)| (t - 0.4).abs() < 1e-12),
        "{err}"
    );
    assert_eq!(quantity, "component 1 of the state");
    assert!(err.to_string().contains("run 0, step 3, t = 0.4"), "{err}");
}

#[test]
fn ensemble_statistics_match_the_runs_for_any_chunking() {
    let cfg = SdeConfig {
        dim: 1,
        dt: 0.01,
        steps: 20,
        every: 5,
        runs: CHUNK + 7,
        scheme: Scheme::Milstein,
        calculus: Calculus::Ito,
        seed: 3,
        point: 0,
        label: "gbm".into(),
        keep_paths: CHUNK + 7,
    };
    let a = |xt: &[f64], out: &mut [f64]| out[0] = 0.3 * xt[0];
    let b = |xt: &[f64], out: &mut [f64]| out[0] = 0.4 * xt[0];
    let init = |_: usize, _: &mut Rng| Ok(vec![1.0]);
    let out = run_ensemble(&cfg, &a, &b, &init, &crate::progress::Watch::default()).unwrap();
    assert_eq!(out.times, vec![0.0, 0.05, 0.1, 0.15, 0.2]);
    assert_eq!(out.paths.len(), cfg.runs);
    let last: Vec<f64> = out.paths.iter().map(|p| p[4]).collect();
    let finals: Vec<f64> = out.finals.iter().map(|f| f[0]).collect();
    assert_eq!(last, finals);
    let (m, v) = (
        crate::observe::stats::mean(&finals),
        crate::observe::stats::variance(&finals),
    );
    assert!((out.mean[4] - m).abs() < 1e-12 && (out.variance[4] - v).abs() < 1e-12);
    assert_eq!(out.variance[0], 0.0);
}

#[test]
fn weak_orders_with_multiplicative_stratonovich_noise() {
    // dX = −X dt + 0.5 X ∘ dW, T = 2: E X_T = e^{(−1 + 1/8)·2}; the Itô drift correction
    // ½ b ∂b is a central difference, accurate enough to keep Platen's weak order 2. Slopes
    // over h = T/64 … T/4: at T/128 the order-2 bias (~10⁻⁵) is below the Monte Carlo noise.
    for (scheme, expected) in SCHEMES.into_iter().zip([1.0, 1.0, 2.0]) {
        let runs = gbm(scheme, Calculus::Stratonovich, -1.0, 0.5, 2.0, 3000);
        let e = weak(&runs, |x| x);
        let what = format!("{scheme:?} weak, Stratonovich E X");
        assert_order(&what, &e[1..], expected, 0.25);
    }
}
