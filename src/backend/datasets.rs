//! Data sets drawn exactly: Gaussian samples of a given covariance, and the 1D
//! periodic lattice free field of 001 (its operator and spectrum).

use super::rng::Rng;
use super::BackendError;
use faer::{Mat, Side};
use rand_distr::{Distribution, StandardNormal};

/// K = −Δ + m² on a periodic chain of n sites: K_ii = m² + 2, K_{i,i±1} = −1 (mod n; for
/// n = 2 the two neighbours are one site, K_01 = −2; for n = 1, K = m²). Its eigenvalues are
/// κ_k = m² + 2 − 2cos(2πk/n), k = 0, …, n − 1 (001, "Scalar field RBM").
pub fn lattice_operator(n: usize, m2: f64) -> Mat<f64> {
    let mut k = Mat::<f64>::zeros(n, n);
    for i in 0..n {
        k[(i, i)] += m2 + 2.0;
        k[(i, (i + 1) % n)] -= 1.0;
        k[(i, (i + n - 1) % n)] -= 1.0;
    }
    k
}

/// κ_k = m² + 2 − 2cos(2πk/n) in ascending order: the lattice dispersion (each mode doubly
/// degenerate except k = 0 and, for even n, k = n/2).
pub fn lattice_spectrum(n: usize, m2: f64) -> Vec<f64> {
    let mut kappa: Vec<f64> = (0..n)
        .map(|k| m2 + 2.0 - 2.0 * (2.0 * std::f64::consts::PI * k as f64 / n as f64).cos())
        .collect();
    kappa.sort_by(f64::total_cmp);
    kappa
}

/// `rows` samples x = μ + L z (z ~ N(0, 1)ⁿ, LLᵀ = C the Cholesky factor), one per row of
/// the result (rows × n, row-major), drawn sample by sample, entry by entry. Error when C is
/// not square, not symmetric or not positive definite.
pub fn gaussian_samples(
    cov: &Mat<f64>,
    mean: &[f64],
    rows: usize,
    rng: &mut Rng,
) -> Result<Vec<f64>, BackendError> {
    let n = cov.nrows();
    if cov.ncols() != n || mean.len() != n {
        return Err(BackendError::Shape(format!(
            "a covariance must be square with one mean per row, but is {}×{} with {} means",
            n,
            cov.ncols(),
            mean.len()
        )));
    }
    for i in 0..n {
        for j in 0..i {
            if (cov[(i, j)] - cov[(j, i)]).abs() > 1e-12 * (1.0 + cov[(i, j)].abs()) {
                return Err(BackendError::Invalid(format!(
                    "a covariance must be symmetric, but entries ({i}, {j}) and ({j}, {i}) differ"
                )));
            }
        }
    }
    let llt = cov
        .llt(Side::Lower)
        .map_err(|_| BackendError::Invalid("the covariance is not positive definite".into()))?;
    let l = llt.L();
    let mut out = vec![0.0; rows * n];
    let mut z = vec![0.0; n];
    for r in 0..rows {
        for zi in z.iter_mut() {
            *zi = StandardNormal.sample(rng);
        }
        for i in 0..n {
            let s: f64 = (0..=i).map(|j| l[(i, j)] * z[j]).sum();
            out[r * n + i] = mean[i] + s;
        }
    }
    Ok(out)
}

/// The inverse of a symmetric positive definite matrix (the lattice propagator K⁻¹).
pub fn spd_inverse(a: &Mat<f64>) -> Result<Mat<f64>, BackendError> {
    let llt = a
        .llt(Side::Lower)
        .map_err(|_| BackendError::Invalid("the matrix is not positive definite".into()))?;
    Ok(faer::linalg::solvers::DenseSolveCore::inverse(&llt))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::rng::stream;

    #[test]
    fn the_lattice_operator_has_the_free_dispersion() {
        for n in [1, 2, 3, 10, 11] {
            let k = lattice_operator(n, 4.0);
            let got = crate::backend::linalg::sym_eigvals(k.as_ref()).unwrap();
            for (a, b) in got.iter().zip(lattice_spectrum(n, 4.0)) {
                assert!((a - b).abs() < 1e-12, "n = {n}: {a} vs {b}");
            }
        }
        assert_eq!(lattice_operator(1, 4.0)[(0, 0)], 4.0);
        let two = lattice_operator(2, 1.0);
        assert_eq!(
            [two[(0, 0)], two[(0, 1)], two[(1, 0)], two[(1, 1)]],
            [3.0, -2.0, -2.0, 3.0]
        );
    }

    /// The sample covariance of 40 000 draws is within 5 standard errors of C, entry by entry
    /// (the standard error of Ĉ_ij is √((C_ii C_jj + C_ij²)/N)).
    #[test]
    fn gaussian_samples_have_the_covariance() {
        let cov = spd_inverse(&lattice_operator(5, 1.0)).unwrap();
        let n = 40_000;
        let x = gaussian_samples(&cov, &[0.0; 5], n, &mut stream(1, 0, "t", 0)).unwrap();
        for i in 0..5 {
            for j in 0..5 {
                let c: f64 = (0..n).map(|r| x[r * 5 + i] * x[r * 5 + j]).sum::<f64>() / n as f64;
                let se = ((cov[(i, i)] * cov[(j, j)] + cov[(i, j)].powi(2)) / n as f64).sqrt();
                assert!(
                    (c - cov[(i, j)]).abs() < 5.0 * se,
                    "({i}, {j}): {c} vs {}",
                    cov[(i, j)]
                );
            }
        }
    }

    #[test]
    fn a_covariance_that_is_not_positive_definite_is_refused() {
        let c = Mat::from_fn(2, 2, |i, j| if i == j { 1.0 } else { 2.0 });
        let e = gaussian_samples(&c, &[0.0; 2], 1, &mut stream(1, 0, "t", 0)).unwrap_err();
        assert!(e.to_string().contains("positive definite"), "{e}");
    }
}
