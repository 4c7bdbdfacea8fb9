//! Exact samples of Gaussian fields given by their precision (kernel) matrix, and the kernel
//! of the free scalar field on a periodic 1D lattice: the data of the RBM experiments.

use faer::{Mat, Side};
use rand_distr::{Distribution, StandardNormal};

use crate::backend::rng::Rng;
use crate::backend::BackendError;

/// The free-field kernel K = −Δ + m² on a periodic lattice of n sites (n × n row-major):
/// K_ij = (m² + 2)δ_ij − [j ≡ i + 1] − [j ≡ i − 1] (mod n), with eigenvalues
/// κ_k = m² + 2 − 2cos(2πk/n), k = 0, …, n − 1 (for n = 2 both neighbours are the same site,
/// K_01 = −2; for n = 1, K = m²).
pub fn free_field_kernel(n: usize, m2: f64) -> Vec<f64> {
    let mut k = vec![0.0; n * n];
    for i in 0..n {
        k[i * n + i] += m2 + 2.0;
        k[i * n + (i + 1) % n] -= 1.0;
        k[i * n + (i + n - 1) % n] -= 1.0;
    }
    k
}

/// The eigenvalues κ_k = m² + 2 − 2cos(2πk/n) of [`free_field_kernel`], k = 0, …, n − 1.
pub fn free_field_spectrum(n: usize, m2: f64) -> Vec<f64> {
    (0..n)
        .map(|k| m2 + 2.0 - 2.0 * (2.0 * std::f64::consts::PI * k as f64 / n as f64).cos())
        .collect()
}

/// Exact samples φ ~ N(0, K⁻¹) of the density ∝ exp(−½φᵀKφ): with the Cholesky factor
/// K = LLᵀ, φ = L⁻ᵀξ, ξ ~ N(0, 1), has covariance L⁻ᵀL⁻¹ = K⁻¹.
#[derive(Debug, Clone)]
pub struct GaussianSampler {
    n: usize,
    /// U = Lᵀ, upper triangular, row-major.
    u: Vec<f64>,
}

impl GaussianSampler {
    /// The sampler of the precision matrix K (n × n row-major, symmetric); Err when K is not
    /// positive definite.
    pub fn new(precision: &[f64], n: usize) -> Result<GaussianSampler, BackendError> {
        if precision.len() != n * n {
            return Err(BackendError::Shape(format!(
                "a {n} × {n} precision matrix has {} entries, not {}",
                n * n,
                precision.len()
            )));
        }
        let k = Mat::from_fn(n, n, |i, j| precision[i * n + j]);
        let llt = k.llt(Side::Lower).map_err(|_| {
            BackendError::Numerical("the precision matrix is not positive definite".into())
        })?;
        let l = llt.L();
        let mut out = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..=i {
                out[j * n + i] = l[(i, j)];
            }
        }
        Ok(GaussianSampler { n, u: out })
    }

    /// The dimension n.
    pub fn dim(&self) -> usize {
        self.n
    }

    /// Fill `out` (count × n row-major, count = len/n) with independent samples: draw ξ into
    /// the row, then solve Lᵀφ = ξ by back substitution, φ_i = (ξ_i − Σ_{j>i} L_ji φ_j)/L_ii
    /// (with Lᵀ stored row-major, so the sums run over contiguous rows).
    pub fn sample_into(&self, out: &mut [f64], rng: &mut Rng) {
        let n = self.n;
        assert_eq!(out.len() % n.max(1), 0, "samples are not rows of n numbers");
        for row in out.chunks_exact_mut(n.max(1)) {
            for v in row.iter_mut() {
                *v = StandardNormal.sample(rng);
            }
            for i in (0..n).rev() {
                let (head, tail) = row.split_at_mut(i + 1);
                let urow = &self.u[i * n + i + 1..(i + 1) * n];
                let s = head[i]
                    - urow
                        .iter()
                        .zip(tail.iter())
                        .map(|(a, b)| a * b)
                        .sum::<f64>();
                head[i] = s / self.u[i * n + i];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::linalg::sym_eigvals;
    use crate::backend::rng::stream;

    /// The kernel's eigenvalues are κ_k = m² + 2 − 2cos(2πk/n) (n = 10, m² = 4, to 1e-12);
    /// n = 1 gives K = m², n = 2 gives K_01 = −2.
    #[test]
    fn free_field_kernel_has_the_lattice_dispersion() {
        let k = free_field_kernel(10, 4.0);
        let mut expect = free_field_spectrum(10, 4.0);
        expect.sort_by(f64::total_cmp);
        let got = sym_eigvals(faer::MatRef::from_row_major_slice(&k, 10, 10)).unwrap();
        for (g, e) in got.iter().zip(&expect) {
            assert!((g - e).abs() < 1e-12, "{got:?} vs {expect:?}");
        }
        assert_eq!(free_field_kernel(1, 4.0), vec![4.0]);
        assert_eq!(free_field_kernel(2, 1.0), vec![3.0, -2.0, -2.0, 3.0]);
    }

    /// Samples of a 2 × 2 precision K = [[2, 0.6], [0.6, 1]] have covariance K⁻¹ =
    /// [[1, −0.6], [−0.6, 2]]/1.64: 40000 samples, each entry within 5 standard errors
    /// √((C_ii C_jj + C_ij²)/N); a non-positive-definite K is refused.
    #[test]
    fn samples_have_the_inverse_covariance() {
        let sampler = GaussianSampler::new(&[2.0, 0.6, 0.6, 1.0], 2).unwrap();
        let n = 40000;
        let mut xs = vec![0.0; 2 * n];
        sampler.sample_into(&mut xs, &mut stream(0, 0, "gauss", 0));
        let c = [1.0 / 1.64, -0.6 / 1.64, -0.6 / 1.64, 2.0 / 1.64];
        for (i, j) in [(0, 0), (0, 1), (1, 1)] {
            let est: f64 = xs.chunks_exact(2).map(|r| r[i] * r[j]).sum::<f64>() / n as f64;
            let exact = c[2 * i + j];
            let se = ((c[3 * i] * c[3 * j] + exact * exact) / n as f64).sqrt();
            assert!((est - exact).abs() < 5.0 * se, "C_{i}{j}: {est} vs {exact}");
        }
        assert!(GaussianSampler::new(&[1.0, 2.0, 2.0, 1.0], 2).is_err());
    }
}
