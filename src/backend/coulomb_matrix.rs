//! The matrix form of the Coulomb gas (`method = "matrix"`, β = 1; β = 2 and 4 are in
//! [`super::coulomb_hermitian`]): evolve a real symmetric N×N
//! matrix H and read the eigenvalues off at the end, so that the eigenvalue method of
//! [`super::coulomb`] can be checked against it.
//!
//! One step of length h, with H = U diag(λ) Uᵀ (faer's self-adjoint eigensolver, λ ascending):
//!
//!   H ← U diag(λᵢ + K_i(λᵢ) h) Uᵀ + g √h G,   G symmetric, Gᵢᵢ ~ N(0, 2), Gᵢⱼ ~ N(0, 1).
//!
//! The noise is exact symmetric-matrix Brownian motion, whose eigenvalues obey Dyson's
//! dλᵢ = g² Σ_{j≠i} dt/(λᵢ − λⱼ) + √2 g dWᵢ (β = 1) by second-order perturbation theory,
//! exactly in law; the drift acts in the instantaneous eigenbasis (a Lie splitting, weak order
//! 1 in h). The repulsion is never computed, so eigenvalues cannot cross or collide: a nearly
//! degenerate pair simply becomes a nearly degenerate matrix. The cost is an eigen-
//! decomposition per step (O(N³)), and the noise must be the same for every eigenvalue.

use super::coulomb_config::{records, CoulombConfig, RunResult};
use super::rng::Rng;
use super::BackendError;
use crate::progress::Meter;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::evd;
use faer::{Mat, Par};
use rand_distr::{Distribution, StandardNormal};

/// Work buffers of one run.
struct MatrixStepper {
    h: Mat<f64>,
    u: Mat<f64>,
    lambda: faer::diag::Diag<f64>,
    scaled: Mat<f64>,
    mem: MemBuffer,
}

impl MatrixStepper {
    fn new(x0: &[f64]) -> Self {
        let n = x0.len();
        let req = evd::self_adjoint_evd_scratch::<f64>(
            n,
            evd::ComputeEigenvectors::Yes,
            Par::Seq,
            Default::default(),
        );
        MatrixStepper {
            h: Mat::from_fn(n, n, |i, j| if i == j { x0[i] } else { 0.0 }),
            u: Mat::zeros(n, n),
            lambda: faer::diag::Diag::zeros(n),
            scaled: Mat::zeros(n, n),
            mem: MemBuffer::new(req),
        }
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

    /// One step: drift in the eigenbasis, then g√h G.
    fn step<D: Fn(f64, usize, &[f64]) -> f64>(
        &mut self,
        drift: &D,
        h: f64,
        noise: f64,
        rng: &mut Rng,
    ) -> Result<(), (usize, f64, f64)> {
        let n = self.h.nrows();
        let xs: Vec<f64> = (0..n).map(|i| self.lambda[i]).collect();
        for (i, &x) in xs.iter().enumerate() {
            let k = drift(x, i, &xs);
            let moved = x + k * h;
            if !moved.is_finite() {
                return Err((i, x, k));
            }
            for r in 0..n {
                self.scaled[(r, i)] = self.u[(r, i)] * moved;
            }
        }
        faer::linalg::matmul::matmul(
            self.h.as_mut(),
            faer::Accum::Replace,
            self.scaled.as_ref(),
            self.u.transpose(),
            1.0,
            Par::Seq,
        );
        let sd = noise * h.sqrt();
        for j in 0..n {
            for i in 0..=j {
                let z: f64 = StandardNormal.sample(rng);
                if i == j {
                    self.h[(i, i)] += std::f64::consts::SQRT_2 * sd * z;
                } else {
                    let s = 0.5 * (self.h[(i, j)] + self.h[(j, i)]) + sd * z;
                    self.h[(i, j)] = s;
                    self.h[(j, i)] = s;
                }
            }
        }
        Ok(())
    }
}

/// A matrix form of the gas, one run: diagonalise its matrix, take a step (the drift in the
/// eigenbasis, then the matrix noise; it needs a fresh decomposition), read the spectrum
/// (ascending, from the last decomposition).
pub(super) trait MatrixForm {
    fn decompose(&mut self) -> Result<(), BackendError>;
    /// One step; on a non-finite move, (eigenvalue, its value, its drift).
    fn advance(
        &mut self,
        drift: &(dyn Fn(f64, usize, &[f64]) -> f64 + Sync),
        h: f64,
        noise: f64,
        rng: &mut Rng,
    ) -> Result<(), (usize, f64, f64)>;
    fn spectrum(&self) -> Vec<f64>;
}

impl MatrixForm for MatrixStepper {
    fn decompose(&mut self) -> Result<(), BackendError> {
        MatrixStepper::decompose(self)
    }

    fn advance(
        &mut self,
        drift: &(dyn Fn(f64, usize, &[f64]) -> f64 + Sync),
        h: f64,
        noise: f64,
        rng: &mut Rng,
    ) -> Result<(), (usize, f64, f64)> {
        self.step(&|x, i, xs: &[f64]| drift(x, i, xs), h, noise, rng)
    }

    fn spectrum(&self) -> Vec<f64> {
        self.lambda.column_vector().iter().copied().collect()
    }
}

/// Run one trajectory of the real symmetric matrix form from the spectrum `x0`.
pub(super) fn simulate(
    cfg: &CoulombConfig,
    drift: &(dyn Fn(f64, usize, &[f64]) -> f64 + Sync),
    x0: &[f64],
    run: usize,
    rng: &mut Rng,
    meter: &Meter,
) -> Result<RunResult, BackendError> {
    run_form(MatrixStepper::new(x0), cfg, drift, run, rng, meter)
}

/// Run one trajectory of a matrix form; returns the final sorted eigenvalues and the recorded
/// ones. The noise is cfg.g[0], which the caller has checked is shared by all. A recorded
/// step's decomposition serves the next step too (the matrix has not changed in between).
pub(super) fn run_form<M: MatrixForm>(
    mut m: M,
    cfg: &CoulombConfig,
    drift: &(dyn Fn(f64, usize, &[f64]) -> f64 + Sync),
    run: usize,
    rng: &mut Rng,
    meter: &Meter,
) -> Result<RunResult, BackendError> {
    let mut history = Vec::new();
    let mut fresh = false;
    // a step diagonalises the matrix: O(N³)
    let mut done = meter.tally((cfg.n as u64).saturating_pow(3));
    for step in 0..cfg.steps {
        // a step costs O(N²) or more: polling the flag every step is free and keeps Ctrl-C prompt
        super::check_interrupt(meter.stop())?;
        if !fresh {
            m.decompose()?;
        }
        m.advance(drift, cfg.dt, cfg.g[0], rng)
            .map_err(|(i, x, k)| BackendError::NotFinite {
                place: Box::new(super::Place {
                    run: Some(("run", run)),
                    step: Some(step),
                    ..Default::default()
                }),
                quantity: format!("the drift of eigenvalue {i} at x = {x}"),
                value: k,
                hint: "the gas has left the region where the drift is finite (matrix method)",
            })?;
        fresh = records(cfg, step);
        if fresh {
            m.decompose()?;
            history.push(m.spectrum());
        }
        done.one();
    }
    if !fresh {
        m.decompose()?;
    }
    Ok((m.spectrum(), history, 0))
}

/// Error unless every eigenvalue has the same noise strength (the matrix form adds one
/// isotropic matrix noise).
pub fn check_equal_noise(g: &[f64]) -> Result<(), BackendError> {
    match g.iter().position(|&v| v != g[0]) {
        Some(i) => Err(BackendError::Invalid(format!(
            "the matrix method needs the same noise for every eigenvalue, but g[0] = {} and g[{i}] = {}",
            g[0], g[i]
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigenvalues_come_out_ascending_so_drift_indices_match_the_eigenvalue_method() {
        let mut m = MatrixStepper::new(&[3.0, -1.0, 2.0, 0.5]);
        m.h[(0, 1)] = 0.3;
        m.h[(1, 0)] = 0.3;
        m.decompose().unwrap();
        let l: Vec<f64> = m.lambda.column_vector().iter().copied().collect();
        assert!(l.windows(2).all(|w| w[0] <= w[1]), "{l:?}");
        assert!((l.iter().sum::<f64>() - 4.5).abs() < 1e-12);
    }

    #[test]
    fn unequal_noise_is_refused() {
        assert!(check_equal_noise(&[1.0, 1.0]).is_ok());
        assert!(check_equal_noise(&[1.0, 2.0]).is_err());
    }
}
