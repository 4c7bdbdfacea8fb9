//! Gaussian-process algebra (document 004): the posterior of a GP prior with covariance K and
//! Gaussian observation noise of variance T, the kernel's eigen-decomposition on a sample of its
//! data measure (Nyström), and the eigenlearning and decimation-RG formulas.
//!
//! The posterior on test points given P observations y at the training points is
//! mean = K_*ᵀ (K + T I)⁻¹ y, variance = diag(K_**) − diag(K_*ᵀ (K + T I)⁻¹ K_*), computed
//! from the Cholesky factor K + T I = L Lᵀ (faer): α = L⁻ᵀ L⁻¹ y, V = L⁻¹ K_*, so the
//! variance is k_** − Σ_p V_p². The log marginal likelihood is
//! −½ yᵀα − Σ_p ln L_pp − (P/2) ln 2π.

use super::BackendError;
use faer::linalg::triangular_solve::{
    solve_lower_triangular_in_place, solve_upper_triangular_in_place,
};
use faer::{Mat, MatRef, Par, Side};

/// The GP posterior at the test points.
#[derive(Clone, Debug)]
pub struct Posterior {
    /// E[f(x_*) | y], one per test point.
    pub mean: Vec<f64>,
    /// Var[f(x_*) | y] ≥ 0 (round-off below 0 is set to 0).
    pub variance: Vec<f64>,
    /// ln p(y) under the prior plus noise.
    pub log_marginal_likelihood: f64,
}

/// The posterior from the Gram matrix K of the P training points (P × P, symmetric positive
/// semi-definite), the cross block K_* (P × Q) to the Q test points and the test points'
/// prior variances diag K_** (Q), the targets y (P) and the noise variance T ≥ 0 (T = 0
/// interpolates; then K itself must be positive definite).
pub fn posterior(
    (k, cross, test_diag): (MatRef<f64>, MatRef<f64>, &[f64]),
    y: &[f64],
    noise: f64,
) -> Result<Posterior, BackendError> {
    let p = y.len();
    if k.nrows() != p
        || k.ncols() != p
        || cross.nrows() != p
        || cross.ncols() != test_diag.len()
        || p == 0
    {
        return Err(BackendError::Shape(format!(
            "{p} targets for a {}×{} Gram matrix and a {}×{} cross block to {} test points",
            k.nrows(),
            k.ncols(),
            cross.nrows(),
            cross.ncols(),
            test_diag.len()
        )));
    }
    if !(noise >= 0.0 && noise.is_finite()) {
        return Err(BackendError::Invalid(format!(
            "the noise variance must be ≥ 0, but is {noise}"
        )));
    }
    let regularised = Mat::from_fn(p, p, |a, b| k[(a, b)] + if a == b { noise } else { 0.0 });
    let l = (regularised
        .llt(Side::Lower)
        .map_err(|_| not_positive(noise))?)
    .L()
    .to_owned();
    let mut alpha = Mat::from_fn(p, 1, |a, _| y[a]);
    solve_lower_triangular_in_place(l.as_ref(), alpha.as_mut(), Par::Seq);
    let fit: f64 = (0..p).map(|a| alpha[(a, 0)].powi(2)).sum();
    solve_upper_triangular_in_place(l.transpose(), alpha.as_mut(), Par::Seq);
    let mut v = cross.to_owned();
    solve_lower_triangular_in_place(l.as_ref(), v.as_mut(), Par::Seq);
    let mean = (cross.transpose() * &alpha)
        .col(0)
        .iter()
        .copied()
        .collect();
    let variance = (test_diag.iter().enumerate())
        .map(|(t, prior)| {
            let explained: f64 = (0..p).map(|a| v[(a, t)].powi(2)).sum();
            (prior - explained).max(0.0)
        })
        .collect();
    let log_det: f64 = (0..p).map(|a| l[(a, a)].ln()).sum();
    let ln_2pi = (2.0 * std::f64::consts::PI).ln();
    Ok(Posterior {
        mean,
        variance,
        log_marginal_likelihood: -0.5 * fit - log_det - 0.5 * p as f64 * ln_2pi,
    })
}

fn not_positive(noise: f64) -> BackendError {
    BackendError::Invalid(format!(
        "K + T·I is not positive definite at T = {noise}: the training Gram matrix is singular \
         (repeated inputs, or more inputs than the kernel's rank); give a noise T > 0"
    ))
}

/// The kernel's eigenvalues λ_k (descending) and eigenfunctions on the N samples x_j of its
/// data measure: λ_k = μ_k/N and φ_k(x_j) = √N u_kj from the Gram matrix's eigenpairs (μ_k, u_k),
/// so (1/N) Σ_j φ_k(x_j) φ_l(x_j) = δ_kl. With the cross-Gram C (M × N, C_mj = K(x′_m, x_j)) the
/// Nyström extension φ_k(x′) = Σ_j C_mj φ_k(x_j) / (N λ_k) at new points (modes with
/// λ_k ≤ 1e-12 λ_1 are left at 0 there). Eigenvalues within 1e-9 λ_1 below 0 are round-off of
/// a positive semi-definite G and set to 0; a more negative one is refused.
pub fn nystrom(
    gram: MatRef<f64>,
    cross: Option<MatRef<f64>>,
) -> Result<(Vec<f64>, Mat<f64>), BackendError> {
    let (mut values, vectors) = super::dense::eigh(gram)?;
    let n = gram.nrows();
    let order: Vec<usize> = (0..n).rev().collect();
    values = order.iter().map(|&k| values[k] / n as f64).collect();
    let top = values.first().copied().unwrap_or(0.0).abs();
    if let Some(low) = values.iter().find(|v| **v < -1e-9 * top) {
        return Err(BackendError::Invalid(format!(
            "the Gram matrix is not positive semi-definite (an eigenvalue λ = {low:e}): it is no kernel's"
        )));
    }
    values.iter_mut().for_each(|v| *v = v.max(0.0));
    let root = (n as f64).sqrt();
    let on_samples = Mat::from_fn(n, n, |j, k| root * vectors[(j, order[k])]);
    let Some(c) = cross else {
        return Ok((values, on_samples));
    };
    if c.ncols() != n {
        return Err(BackendError::Shape(format!(
            "the cross-Gram matrix has {} columns, but the samples are {n}",
            c.ncols()
        )));
    }
    let projected = c * &on_samples;
    let extended = Mat::from_fn(c.nrows(), n, |m, k| {
        if values[k] > 1e-12 * top {
            projected[(m, k)] / (n as f64 * values[k])
        } else {
            0.0
        }
    });
    Ok((values, extended))
}

/// Eigenlearning (004, Simon et al. 2023) at temperature T with P samples: each mode learns
/// independently with the learnability L_k = λ_k/(λ_k + κ), ⟨f_k⟩ = L_k y_k and
/// Var\[f_k\] = λ_k κ/(λ_k + κ). At large T (004) the ridge is κ = T/P; with `self_consistent`
/// it is the effective ridge of Simon et al., the root of Σ_k λ_k/(λ_k + κ) + T/κ = P, and the
/// test error carries E₀ = P/(P − Σ_k L_k²): E_test = E₀ Σ_k (1 − L_k)² y_k² (E₀ = 1 at large T).
pub fn eigenlearning(
    lambda: &[f64],
    y: &[f64],
    (t, p): (f64, f64),
    self_consistent: bool,
) -> EigenModes {
    let kappa = if self_consistent {
        effective_ridge(lambda, t, p)
    } else {
        t / p
    };
    let learnability: Vec<f64> = lambda
        .iter()
        .map(|l| if *l > 0.0 { l / (l + kappa) } else { 0.0 })
        .collect();
    let missed: f64 = learnability
        .iter()
        .zip(y)
        .map(|(l, y)| (1.0 - l).powi(2) * y * y)
        .sum();
    let overfit = if self_consistent {
        p / (p - learnability.iter().map(|l| l * l).sum::<f64>())
    } else {
        1.0
    };
    EigenModes {
        mean: learnability.iter().zip(y).map(|(l, y)| l * y).collect(),
        variance: lambda.iter().map(|l| l * kappa / (l + kappa)).collect(),
        learnability,
        kappa,
        test_error: overfit * missed,
    }
}

/// The root κ > 0 of n(κ) = Σ_k λ_k/(λ_k + κ) + T/κ − P, decreasing in κ, by bisection on a
/// logarithmic bracket (to relative 1e-14). With T = 0 and fewer than P nonzero modes there is
/// no root above 0 and κ → 0 is returned.
fn effective_ridge(lambda: &[f64], t: f64, p: f64) -> f64 {
    let n = |kappa: f64| lambda.iter().map(|l| l / (l + kappa)).sum::<f64>() + t / kappa - p;
    let top = lambda
        .iter()
        .cloned()
        .fold(0.0, f64::max)
        .max(t)
        .max(1e-300);
    let (mut lo, mut hi) = (top * 1e-300, top * (lambda.len() as f64 + 1.0) + t);
    if n(lo) <= 0.0 {
        return 0.0;
    }
    for _ in 0..2000 {
        let mid = (lo * hi).sqrt();
        if n(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-14 * hi {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// Per-mode results of [`eigenlearning`].
#[derive(Clone, Debug)]
pub struct EigenModes {
    /// L_k = λ_k/(λ_k + κ).
    pub learnability: Vec<f64>,
    /// ⟨f_k⟩ = L_k y_k.
    pub mean: Vec<f64>,
    /// Var\[f_k\] = λ_k κ/(λ_k + κ).
    pub variance: Vec<f64>,
    /// The ridge κ: T/P, or the effective ridge.
    pub kappa: f64,
    /// E₀ Σ_k (1 − L_k)² y_k².
    pub test_error: f64,
}

/// The decimation-RG temperature (004): integrating out the modes k > Λ′ of a kernel with
/// eigenvalues λ_1 ≥ … ≥ λ_Λ renormalises T to T(Λ′) = T + Σ_{k>Λ′} λ_k. Entry Λ′ − 1 holds
/// T(Λ′) for Λ′ = 1 … Λ (T(Λ) = T).
pub fn decimation_temperature(lambda: &[f64], t: f64) -> Vec<f64> {
    let mut out = vec![t; lambda.len()];
    for k in (0..lambda.len().saturating_sub(1)).rev() {
        out[k] = out[k + 1] + lambda[k + 1];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// K = diag(d) with d > 0, so every solve is by hand.
    #[test]
    fn a_diagonal_prior_gives_the_scalar_posterior() {
        // Two training points and one test point correlated with the first.
        let joint = Mat::from_fn(3, 3, |a, b| match (a, b) {
            (0, 0) => 2.0,
            (1, 1) => 1.0,
            (2, 2) => 1.5,
            (0, 2) | (2, 0) => 0.5,
            _ => 0.0,
        });
        let (k, cross) = (joint.submatrix(0, 0, 2, 2), joint.submatrix(0, 2, 2, 1));
        let post = posterior((k, cross, &[1.5]), &[1.0, -2.0], 0.5).unwrap();
        // mean = 0.5 · 1/(2 + 0.5), variance = 1.5 − 0.5²/2.5.
        assert!((post.mean[0] - 0.2).abs() < 1e-15, "{post:?}");
        assert!((post.variance[0] - 1.4).abs() < 1e-15, "{post:?}");
        let exact = -0.5 * (1.0 / 2.5 + 4.0 / 1.5)
            - 0.5 * (2.5f64 * 1.5).ln()
            - (2.0 * std::f64::consts::PI).ln();
        assert!((post.log_marginal_likelihood - exact).abs() < 1e-14);
    }

    #[test]
    fn a_singular_gram_without_noise_is_refused() {
        let ones = Mat::from_fn(2, 2, |_, _| 1.0);
        let blocks = (ones.as_ref(), ones.as_ref(), &[1.0, 1.0][..]);
        let e = posterior(blocks, &[1.0, 1.0], 0.0).unwrap_err();
        assert!(e.to_string().contains("give a noise T > 0"), "{e}");
        assert!(posterior(blocks, &[1.0, 1.0], -1.0).is_err());
    }

    #[test]
    fn decimation_adds_the_tail_of_the_spectrum() {
        let t = decimation_temperature(&[4.0, 2.0, 1.0], 0.5);
        assert_eq!(t, vec![3.5, 1.5, 0.5]);
    }

    #[test]
    fn eigenfunctions_are_orthonormal_on_the_samples_and_extend_to_them() {
        let x = [0.0, 0.4, 1.1, 1.7, 2.5];
        let k = |a: f64, b: f64| (-(a - b) * (a - b) / 2.0).exp();
        let gram = Mat::from_fn(5, 5, |i, j| k(x[i], x[j]));
        let (values, phi) = nystrom(gram.as_ref(), Some(gram.as_ref())).unwrap();
        let (_, on_samples) = nystrom(gram.as_ref(), None).unwrap();
        assert!(values.windows(2).all(|w| w[0] >= w[1]));
        for a in 0..5 {
            for b in 0..5 {
                let dot: f64 = (0..5)
                    .map(|j| on_samples[(j, a)] * on_samples[(j, b)])
                    .sum();
                let want = if a == b { 1.0 } else { 0.0 };
                assert!((dot / 5.0 - want).abs() < 1e-12);
                // The extension of a sample point is its eigenfunction value.
                assert!((phi[(a, b)] - on_samples[(a, b)]).abs() < 1e-8);
            }
        }
    }
}
