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

use super::{axpy, dot};
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

/// Reusable buffers of [`GaussianRbm::gibbs`] and [`GaussianRbm::pcd_gradient`]: a block of
/// visible fields and their hidden units, stored unit-major (entry `i·n + b` is unit i of
/// sample b), so every inner loop runs over the n samples of the block and vectorises. They
/// grow on demand: a warm step allocates nothing.
#[derive(Debug, Clone, Default)]
pub struct RbmWorkspace {
    phi: Vec<f64>,
    h: Vec<f64>,
    /// σ_h²Wᵀ (hidden × visible) and W/μ² (visible × hidden) for a Gibbs sweep, or the Gram
    /// matrix Σ_b φ_bφ_bᵀ (visible × visible) for a gradient.
    to_hidden: Vec<f64>,
    to_visible: Vec<f64>,
}

impl RbmWorkspace {
    /// Buffers for `rbm`.
    pub fn new(rbm: &GaussianRbm) -> RbmWorkspace {
        let weights = rbm.visible * rbm.hidden;
        RbmWorkspace {
            phi: Vec::with_capacity(rbm.visible),
            h: Vec::with_capacity(rbm.hidden),
            to_hidden: Vec::with_capacity(weights.max(rbm.visible * rbm.visible)),
            to_visible: Vec::with_capacity(weights),
        }
    }

    /// The unit-major blocks for `n` samples: φ (visible × n, the transpose of the
    /// sample-major `rows`) and h (hidden × n, to be filled).
    fn blocks(&mut self, rows: &[f64], visible: usize, hidden: usize) -> (&mut [f64], &mut [f64]) {
        let n = rows.len() / visible;
        self.phi.clear();
        self.h.clear();
        self.phi.resize(visible * n, 0.0);
        self.h.resize(hidden * n, 0.0);
        for (b, row) in rows.chunks_exact(visible).enumerate() {
            for (i, &v) in row.iter().enumerate() {
                self.phi[i * n + b] = v;
            }
        }
        (&mut self.phi[..], &mut self.h[..])
    }
}

/// out_a ← base(a) + Σ_i c_ai x_i for the rows of a unit-major block (out m × n, c m × k
/// row-major, x k × n), four input rows per pass, so that each output entry is loaded and
/// stored k/4 times instead of k times.
fn combine_rows(out: &mut [f64], base: impl Fn(usize) -> f64, c: &[f64], x: &[f64], n: usize) {
    let k = x.len() / n;
    let row = |i: usize| &x[i * n..(i + 1) * n];
    for (a, o) in out.chunks_exact_mut(n).enumerate() {
        o.fill(base(a));
        let ca = &c[a * k..(a + 1) * k];
        let mut i = 0;
        while i + 4 <= k {
            let (c0, c1, c2, c3) = (ca[i], ca[i + 1], ca[i + 2], ca[i + 3]);
            let rows = row(i)
                .iter()
                .zip(row(i + 1))
                .zip(row(i + 2))
                .zip(row(i + 3));
            for (ob, (((x0, x1), x2), x3)) in o.iter_mut().zip(rows) {
                *ob += c0 * x0 + c1 * x1 + c2 * x2 + c3 * x3;
            }
            i += 4;
        }
        for (&ci, xi) in ca[i..].iter().zip(x[i * n..].chunks_exact(n)) {
            axpy(ci, xi, o);
        }
    }
}

/// x ← x + sd·ξ, ξ ~ N(0, 1) entry by entry.
fn add_noise(x: &mut [f64], sd: f64, rng: &mut Rng) {
    for v in x.iter_mut() {
        let xi: f64 = StandardNormal.sample(rng);
        *v += sd * xi;
    }
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

    /// E[h | φ] = η + σ_h²Wᵀφ for a block of n samples (unit-major, see [`RbmWorkspace`]),
    /// with `coef` = σ_h²Wᵀ (hidden × visible).
    fn hidden_mean(&self, coef: &[f64], phi: &[f64], h: &mut [f64], n: usize) {
        combine_rows(h, |a| self.eta[a], coef, phi, n);
    }

    /// E[φ | h] = Wh/μ² for a block of n samples into `phi` (unit-major), with `coef` = W/μ².
    fn visible_mean(&self, coef: &[f64], h: &[f64], phi: &mut [f64], n: usize) {
        combine_rows(phi, |_| 0.0, coef, h, n);
    }

    /// Block Gibbs φ → h → φ, `sweeps` times, on the persistent chains (n_chains × visible
    /// row-major), all chains at once: h = η + σ_h²Wᵀφ + σ_h ξ, then φ = Wh/μ² + ξ′/μ,
    /// ξ, ξ′ ~ N(0, 1), drawn unit by unit (all chains of hidden unit a, then of a + 1, …).
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
        let n = n_chains;
        let (nv, nh) = (self.visible, self.hidden);
        let s2 = self.sigma_h * self.sigma_h;
        let mut to_hidden = std::mem::take(&mut ws.to_hidden);
        to_hidden.clear();
        to_hidden.extend((0..nh * nv).map(|k| s2 * self.w[(k % nv) * nh + k / nv]));
        let mut to_visible = std::mem::take(&mut ws.to_visible);
        to_visible.clear();
        to_visible.extend(self.w.iter().map(|w| w / self.mu2));
        let (phi, h) = ws.blocks(chains, nv, nh);
        let sd_phi = 1.0 / self.mu2.sqrt();
        for _ in 0..sweeps {
            self.hidden_mean(&to_hidden, phi, h, n);
            add_noise(h, self.sigma_h, rng);
            self.visible_mean(&to_visible, h, phi, n);
            add_noise(phi, sd_phi, rng);
        }
        for (b, row) in chains.chunks_exact_mut(self.visible).enumerate() {
            for (i, v) in row.iter_mut().enumerate() {
                *v = phi[i * n + b];
            }
        }
        (ws.to_hidden, ws.to_visible) = (to_hidden, to_visible);
    }

    /// grad += c·Σ_b φ_b E[h | φ_b]ᵀ over the rows of `rows` (sample-major), through the
    /// sums S = Σ_b φ_bφ_bᵀ and m = Σ_b φ_b: Σ_b φ_b(η + σ_h²Wᵀφ_b)ᵀ = mηᵀ + σ_h²SW (a
    /// visible × visible Gram matrix instead of the hidden units of every sample).
    fn accumulate(&self, rows: &[f64], c: f64, grad: &mut [f64], ws: &mut RbmWorkspace) {
        let (nv, nh) = (self.visible, self.hidden);
        let n = rows.len() / nv;
        let s2 = self.sigma_h * self.sigma_h;
        let mut gram = std::mem::take(&mut ws.to_hidden);
        gram.clear();
        gram.resize(nv * nv, 0.0);
        let (phi, _) = ws.blocks(rows, nv, 0);
        let rows_of = |i: usize| &phi[i * n..(i + 1) * n];
        for i in 0..nv {
            for j in 0..=i {
                let v = dot(rows_of(i), rows_of(j));
                gram[i * nv + j] = v;
                gram[j * nv + i] = v;
            }
        }
        for (i, g) in grad.chunks_exact_mut(nh).enumerate() {
            let m_i: f64 = rows_of(i).iter().sum();
            axpy(c * m_i, &self.eta, g);
            for (j, w_j) in self.w.chunks_exact(nh).enumerate() {
                axpy(c * s2 * gram[i * nv + j], w_j, g);
            }
        }
        ws.to_hidden = gram;
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
        if batch > 0 {
            self.accumulate(data, 1.0 / batch as f64, grad, ws);
        }
        if n_chains > 0 {
            self.accumulate(chains, -1.0 / n_chains as f64, grad, ws);
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
