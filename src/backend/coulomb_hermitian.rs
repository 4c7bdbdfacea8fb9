//! The matrix form of the Coulomb gas for β = 2 and 4 (`method = "matrix"`, `beta = 2 | 4`):
//! the analogue of [`super::coulomb_matrix`] with a complex Hermitian N×N matrix (β = 2) or a
//! quaternion self-dual N×N matrix held as its 2N×2N complex form (β = 4, see
//! [`super::hermitian`]).
//!
//! One step of length h, with H = U diag(λ) U† (faer's self-adjoint eigensolver on `c64`,
//! λ ascending):
//!
//!   H ← U diag(λ_k + K_k(λ_k) h) U† + g √h G_β,
//!
//! G_β with diagonal N(0, 2) and every real component of an off-diagonal entry N(0, 1), so that
//! E|G_ij|² = β. By second-order perturbation theory the eigenvalues then obey
//! dλ_i = β g² Σ_{j≠i} dt/(λ_i − λ_j) + √2 g dW_i, the same equation as the eigenvalue method
//! ([`super::coulomb`]) for this β. For β = 4 eigenvalue k of the gas is the k-th Kramers pair
//! (2k, 2k + 1) of the 2N×2N matrix, read as the pair's mean, and the drift moves both members
//! of the pair alike; after the drift the matrix is projected back onto the quaternion
//! self-dual form (removing rounding in the reconstruction), and the noise keeps that form
//! exactly. As for β = 1 the drift acts in the instantaneous eigenbasis (a Lie splitting, weak
//! order 1 in h), the noise must be the same for every eigenvalue, and a step costs an
//! eigendecomposition, O(N³).

use super::coulomb_config::{CoulombConfig, RunResult};
use super::coulomb_matrix::{run_form, MatrixForm};
use super::hermitian::{add_gaussian_hermitian, add_gaussian_self_dual, hermitise};
use super::rng::Rng;
use super::BackendError;
use crate::progress::Meter;
use faer::c64;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::evd;
use faer::{Mat, Par};

/// Work buffers of one run.
struct HermitianStepper {
    beta: u32,
    h: Mat<c64>,
    u: Mat<c64>,
    lambda: faer::diag::Diag<c64>,
    scaled: Mat<c64>,
    mem: MemBuffer,
}

impl HermitianStepper {
    /// H = diag(x0) (β = 2) or diag(x0, x0) (β = 4: each eigenvalue a Kramers pair).
    fn new(x0: &[f64], beta: u32) -> Result<Self, BackendError> {
        let n = x0.len();
        let m = if beta == 4 { 2 * n } else { n };
        let req = evd::self_adjoint_evd_scratch::<c64>(
            m,
            evd::ComputeEigenvectors::Yes,
            Par::Seq,
            Default::default(),
        );
        let mem = MemBuffer::try_new(req)
            .map_err(|_| BackendError::Numerical("out of memory for the eigensolver".into()))?;
        let diag = |i: usize, j: usize| {
            if i == j {
                c64::new(x0[i % n], 0.0)
            } else {
                c64::new(0.0, 0.0)
            }
        };
        Ok(HermitianStepper {
            beta,
            h: Mat::from_fn(m, m, diag),
            u: Mat::zeros(m, m),
            lambda: faer::diag::Diag::zeros(m),
            scaled: Mat::zeros(m, m),
            mem,
        })
    }

    /// Eigenvalues (ascending) into `lambda`, eigenvectors into `u`.
    fn decompose(&mut self) -> Result<(), BackendError> {
        evd::self_adjoint_evd(
            self.h.as_ref(),
            self.lambda.as_mut(),
            Some(self.u.as_mut()),
            Par::Seq,
            MemStack::new(&mut self.mem),
            Default::default(),
        )
        .map_err(|e| BackendError::Numerical(format!("the eigensolver did not converge ({e:?})")))
    }

    /// The gas's eigenvalues from the last decomposition: λ (β = 2) or the Kramers pairs'
    /// means (β = 4).
    fn spectrum(&self) -> Vec<f64> {
        let l: Vec<f64> = self.lambda.column_vector().iter().map(|z| z.re).collect();
        if self.beta == 4 {
            super::hermitian::kramers_pairs(&l)
        } else {
            l
        }
    }

    /// One step: drift in the eigenbasis, projection onto the β's form, then g√h G_β.
    fn step<D: Fn(f64, usize, &[f64]) -> f64 + ?Sized>(
        &mut self,
        drift: &D,
        h: f64,
        noise: f64,
        rng: &mut Rng,
    ) -> Result<(), (usize, f64, f64)> {
        let m = self.h.nrows();
        let per = if self.beta == 4 { 2 } else { 1 };
        let x = self.spectrum();
        for (k, &xk) in x.iter().enumerate() {
            let kk = drift(xk, k, &x);
            let moved = xk + kk * h;
            if !moved.is_finite() {
                return Err((k, xk, kk));
            }
            for c in per * k..per * (k + 1) {
                for r in 0..m {
                    self.scaled[(r, c)] = self.u[(r, c)] * moved;
                }
            }
        }
        faer::linalg::matmul::matmul(
            self.h.as_mut(),
            faer::Accum::Replace,
            self.scaled.as_ref(),
            self.u.adjoint(),
            c64::new(1.0, 0.0),
            Par::Seq,
        );
        let sd = noise * h.sqrt();
        if self.beta == 4 {
            super::hermitian::project_self_dual(self.h.as_mut());
            add_gaussian_self_dual(self.h.as_mut(), sd, rng);
        } else {
            hermitise(self.h.as_mut());
            add_gaussian_hermitian(self.h.as_mut(), sd, rng);
        }
        Ok(())
    }
}

impl MatrixForm for HermitianStepper {
    fn decompose(&mut self) -> Result<(), BackendError> {
        HermitianStepper::decompose(self)
    }

    fn advance(
        &mut self,
        drift: &(dyn Fn(f64, usize, &[f64]) -> f64 + Sync),
        h: f64,
        noise: f64,
        rng: &mut Rng,
    ) -> Result<(), (usize, f64, f64)> {
        self.step(drift, h, noise, rng)
    }

    fn spectrum(&self) -> Vec<f64> {
        HermitianStepper::spectrum(self)
    }
}

/// Run one trajectory of the β = 2 or 4 matrix form from the spectrum `x0` (see
/// [`run_form`]).
pub(super) fn simulate(
    cfg: &CoulombConfig,
    drift: &(dyn Fn(f64, usize, &[f64]) -> f64 + Sync),
    x0: &[f64],
    run: usize,
    rng: &mut Rng,
    meter: &Meter,
) -> Result<RunResult, BackendError> {
    run_form(
        HermitianStepper::new(x0, cfg.beta)?,
        cfg,
        drift,
        run,
        rng,
        meter,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_beta_4_matrix_keeps_its_kramers_pairs_through_steps() {
        let mut rng = crate::backend::rng::stream(3, 0, "t", 0);
        let mut m = HermitianStepper::new(&[-1.0, 0.5, 2.0], 4).unwrap();
        for _ in 0..20 {
            m.decompose().unwrap();
            m.step(&|x: f64, _, _: &[f64]| -x, 0.01, 1.0, &mut rng)
                .unwrap();
        }
        m.decompose().unwrap();
        let l: Vec<f64> = m.lambda.column_vector().iter().map(|z| z.re).collect();
        for p in l.chunks_exact(2) {
            assert!((p[1] - p[0]).abs() < 1e-10, "{l:?}");
        }
        assert_eq!(m.spectrum().len(), 3);
    }
}
