//! The Gaussian–Gaussian restricted Boltzmann machine of the scalar-field RBM (document 001):
//! visible field φ ∈ ℝ^{n_v}, hidden h ∈ ℝ^{n_h}, action
//!
//! S(φ, h) = ½μ²φᵀφ + (1/2σ_h²)(h − η)ᵀ(h − η) − φᵀWh,  p(φ, h) ∝ e^{−S},
//!
//! W visible × hidden (row-major). The conditionals are exact Gaussians,
//!
//! h | φ ~ N(η + σ_h²Wᵀφ, σ_h² I),  φ | h ~ N(Wh/μ², I/μ²),
//!
//! and integrating out h gives p(φ) ∝ exp(−½φᵀKφ + Jᵀφ) with the kernel K = μ²I − σ_h²WWᵀ
//! and J = Wη: normalisable iff K is positive definite (σ_h²ξ² < μ² for every singular value
//! ξ of W). Training maximises the log-likelihood by persistent contrastive divergence.

use faer::{Mat, MatRef, Side};
use rand_distr::{Distribution, StandardNormal};

use super::axpy;
use crate::backend::rng::Rng;
use crate::backend::BackendError;

/// The RBM's parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct GaussianRbm {
    pub visible: usize,
    pub hidden: usize,
    /// μ², the visible field's mass term.
    pub mu2: f64,
    /// σ_h, the hidden units' width.
    pub sigma_h: f64,
    /// W, visible × hidden row-major: W_ia at `i·hidden + a`.
    pub w: Vec<f64>,
    /// η, the hidden units' centre (hidden entries).
    pub eta: Vec<f64>,
}

/// Reusable buffers of [`GaussianRbm::gibbs`] and [`GaussianRbm::pcd_gradient`] (one hidden
/// vector; grows on demand, so a warm step allocates nothing).
#[derive(Debug, Clone, Default)]
pub struct RbmWorkspace {
    h: Vec<f64>,
}

impl RbmWorkspace {
    /// Buffers for `rbm`.
    pub fn new(rbm: &GaussianRbm) -> RbmWorkspace {
        RbmWorkspace {
            h: vec![0.0; rbm.hidden],
        }
    }

    fn hidden(&mut self, n: usize) -> &mut [f64] {
        if self.h.len() < n {
            self.h.resize(n, 0.0);
        }
        &mut self.h[..n]
    }
}

/// Σᵢ aᵢbᵢ.
#[inline]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl GaussianRbm {
    /// An RBM with W = 0 and η = 0; needs visible, hidden ≥ 1 and μ², σ_h > 0 (errors name
    /// `visible`, `hidden`, `mu2`, `sigma_h`).
    pub fn new(
        visible: usize,
        hidden: usize,
        mu2: f64,
        sigma_h: f64,
    ) -> Result<GaussianRbm, BackendError> {
        let check = |ok: bool, field: &'static str, what: &str| {
            if ok {
                Ok(())
            } else {
                Err(BackendError::Invalid(format!("{field} must be {what}")).at(field))
            }
        };
        check(visible >= 1, "visible", "≥ 1")?;
        check(hidden >= 1, "hidden", "≥ 1")?;
        check(mu2.is_finite() && mu2 > 0.0, "mu2", "positive")?;
        check(sigma_h.is_finite() && sigma_h > 0.0, "sigma_h", "positive")?;
        Ok(GaussianRbm {
            visible,
            hidden,
            mu2,
            sigma_h,
            w: vec![0.0; visible * hidden],
            eta: vec![0.0; hidden],
        })
    }

    /// W as a faer view (visible × hidden), e.g. for the spectrum of WᵀW.
    pub fn weights(&self) -> MatRef<'_, f64> {
        MatRef::from_row_major_slice(&self.w, self.visible, self.hidden)
    }

    /// E[h | φ] = η + σ_h²Wᵀφ into `h`: h ← η, then h += σ_h²φ_i·(row i of W) for each i.
    fn hidden_mean(&self, phi: &[f64], h: &mut [f64]) {
        h.copy_from_slice(&self.eta);
        let s2 = self.sigma_h * self.sigma_h;
        for (i, &p) in phi.iter().enumerate() {
            axpy(s2 * p, &self.w[i * self.hidden..(i + 1) * self.hidden], h);
        }
    }

    /// Block Gibbs φ → h → φ, `sweeps` times, on each of the persistent chains (n_chains ×
    /// visible row-major), chain after chain: h = η + σ_h²Wᵀφ + σ_h ξ, then
    /// φ = Wh/μ² + ξ′/μ, ξ, ξ′ ~ N(0, 1).
    pub fn gibbs(
        &self,
        chains: &mut [f64],
        n_chains: usize,
        sweeps: usize,
        rng: &mut Rng,
        ws: &mut RbmWorkspace,
    ) {
        assert_eq!(
            chains.len(),
            n_chains * self.visible,
            "chains are not n_chains × visible"
        );
        let h = ws.hidden(self.hidden);
        let mu = self.mu2.sqrt();
        for phi in chains.chunks_exact_mut(self.visible) {
            for _ in 0..sweeps {
                self.hidden_mean(phi, h);
                for ha in h.iter_mut() {
                    let xi: f64 = StandardNormal.sample(rng);
                    *ha += self.sigma_h * xi;
                }
                for (i, p) in phi.iter_mut().enumerate() {
                    let xi: f64 = StandardNormal.sample(rng);
                    let wh = dot(&self.w[i * self.hidden..(i + 1) * self.hidden], h);
                    *p = wh / self.mu2 + xi / mu;
                }
            }
        }
    }

    /// grad += c·Σ_b φ_b E[h | φ_b]ᵀ over the rows of `phis`.
    fn accumulate(&self, phis: &[f64], c: f64, grad: &mut [f64], h: &mut [f64]) {
        for phi in phis.chunks_exact(self.visible) {
            self.hidden_mean(phi, h);
            for (i, &p) in phi.iter().enumerate() {
                axpy(c * p, h, &mut grad[i * self.hidden..(i + 1) * self.hidden]);
            }
        }
    }

    /// Log-likelihood gradient estimate dlogL/dW = ⟨φ E[h|φ]ᵀ⟩_data − ⟨φ E[h|φ]ᵀ⟩_chains
    /// (conditional means, so = σ_h²(C_data − C_model)W + (φ̄_data − φ̄_model)ηᵀ with C the
    /// uncentred second moments ⟨φφᵀ⟩); visible × hidden, written into grad. It is the exact
    /// derivative of log p(φ) = −½φᵀKφ + Jᵀφ − log Z averaged over the data, with the model
    /// average ⟨·⟩ estimated by the chains.
    pub fn pcd_gradient(
        &self,
        data: &[f64],
        batch: usize,
        chains: &[f64],
        n_chains: usize,
        grad: &mut [f64],
        ws: &mut RbmWorkspace,
    ) {
        assert_eq!(
            data.len(),
            batch * self.visible,
            "data are not batch × visible"
        );
        assert_eq!(
            chains.len(),
            n_chains * self.visible,
            "chains are not n_chains × visible"
        );
        assert_eq!(grad.len(), self.w.len(), "gradient is not visible × hidden");
        grad.fill(0.0);
        let h = ws.hidden(self.hidden);
        if batch > 0 {
            self.accumulate(data, 1.0 / batch as f64, grad, h);
        }
        if n_chains > 0 {
            self.accumulate(chains, -1.0 / n_chains as f64, grad, h);
        }
    }

    /// K = μ²I − σ_h²WWᵀ (visible × visible row-major).
    pub fn kernel(&self) -> Vec<f64> {
        let (nv, nh) = (self.visible, self.hidden);
        let s2 = self.sigma_h * self.sigma_h;
        let mut k = vec![0.0; nv * nv];
        for i in 0..nv {
            for j in 0..=i {
                let wi = &self.w[i * nh..(i + 1) * nh];
                let wj = &self.w[j * nh..(j + 1) * nh];
                let v = if i == j { self.mu2 } else { 0.0 } - s2 * dot(wi, wj);
                k[i * nv + j] = v;
                k[j * nv + i] = v;
            }
        }
        k
    }

    /// Exact mean negative log-likelihood of data with second-moment matrix C (η = 0):
    /// ½ tr(KC) − ½ log det K + (n_v/2) log 2π, log det K = 2Σᵢ log L_ii from the Cholesky
    /// factor K = LLᵀ. Err ([`BackendError::Numerical`]) when K is not positive definite (the
    /// model is not normalisable); Err when η ≠ 0 (the formula would need the data mean) or C
    /// is not visible × visible.
    pub fn nll(&self, second_moment: &[f64]) -> Result<f64, BackendError> {
        let nv = self.visible;
        if second_moment.len() != nv * nv {
            return Err(BackendError::Shape(format!(
                "the second moment of {nv} visible units is {nv} × {nv}, not {} numbers",
                second_moment.len()
            )));
        }
        if self.eta.iter().any(|&e| e != 0.0) {
            return Err(BackendError::Invalid(
                "the exact negative log-likelihood is implemented for η = 0 only".into(),
            ));
        }
        let k = self.kernel();
        let llt = Mat::from_fn(nv, nv, |i, j| k[i * nv + j])
            .llt(Side::Lower)
            .map_err(|_| {
                BackendError::Numerical(
                    "the RBM is not normalisable: its kernel K = μ²I − σ_h²WWᵀ is not positive \
                     definite (σ_h²ξ² ≥ μ² for a singular value ξ of W)"
                        .into(),
                )
            })?;
        let l = llt.L();
        let log_det: f64 = 2.0 * (0..nv).map(|i| l[(i, i)].ln()).sum::<f64>();
        let trace: f64 = k.iter().zip(second_moment).map(|(a, b)| a * b).sum();
        let log_2pi = (2.0 * std::f64::consts::PI).ln();
        Ok(0.5 * trace - 0.5 * log_det + 0.5 * nv as f64 * log_2pi)
    }
}

#[cfg(test)]
#[path = "rbm_tests.rs"]
mod tests;
