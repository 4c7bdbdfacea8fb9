//! Stochastic differential equations with a noise matrix: d components driven by m Wiener
//! processes,
//!
//!   dX_i = a_i(X, t) dt + Σ_j B_ij(X, t) dW_j,   i = 0 … d − 1,  j = 0 … m − 1,
//!
//! so correlated noise (covariance B Bᵀ dt) and more or fewer noises than components. b^j is
//! column j of B; L^j = Σ_l B_lj ∂_l is the derivative along it. A Stratonovich equation is
//! integrated as the Itô equation with drift ā_i = a_i + ½ Σ_j L^j B_ij. Derivatives ∂_l B are
//! central differences with δ_l = 10⁻⁵·max(1, |x_l|), one component at a time (2d evaluations
//! of B).
//!
//! Step h, ΔW_j ~ N(0, h):
//! - `euler_maruyama`: X ← X + ā h + B ΔW. Weak order 1.
//! - `milstein`: X_i ← X_i + ā_i h + Σ_j B_ij ΔW_j + ½ Σ_{j,k} L^j B_ik (ΔW_j ΔW_k − δ_jk h),
//!   exact in law only for *commutative* noise, L^j b^k = L^k b^j (then the double Itô
//!   integrals I_(j,k) + I_(k,j) = ΔW_j ΔW_k − δ_jk h are all it needs; otherwise it would need
//!   the Lévy areas). Strong order 1. Each step checks commutativity at the current state and
//!   stops the run where it fails, naming the entries.
//! - `srk`: Platen's explicit weak order 2.0 scheme for m-dimensional noise (Kloeden–Platen
//!   15.1.3), with Ῡ = X + ā h + B ΔW, R^j_± = X + ā h ± b^j √h, U^j_± = X ± b^j √h:
//!
//!   ```text
//!   X ← X + ½[ā(Ῡ) + ā] h
//!         + ¼ Σ_j [b^j(R^j_+) + b^j(R^j_−) + 2b^j + Σ_{r≠j} (b^j(U^r_+) + b^j(U^r_−) − 2b^j)] ΔW_j
//!         + ¼ Σ_j [(b^j(R^j_+) − b^j(R^j_−))(ΔW_j² − h)
//!                  + Σ_{r≠j} (b^j(U^r_+) − b^j(U^r_−))(ΔW_j ΔW_r + V_rj)] / √h,
//!   ```
//!
//!   where V_rj = −V_jr = ±h with probability ½ each (r < j) stand in for the Lévy areas.
//!   Weak order 2. With m = 1 it is the diagonal scheme of [`super::sde`].

use super::rng::Rng;
use super::sde::{Advance, Calculus, Scheme, StepFail};
use rand::RngExt;

/// One step of an equation with a d × m noise matrix; `b(xt, out)` fills `out` with B row by
/// row (d·m entries), `a(xt, out)` with the d drift entries, `xt` = (x, t).
pub struct MatrixStepper<'f, A, B> {
    a: &'f A,
    b: &'f B,
    d: usize,
    m: usize,
    scheme: Scheme,
    calculus: Calculus,
    xt: Vec<f64>,
    /// B(x) and, per direction l, ∂_l B(x) (d blocks of d·m).
    bx: Vec<f64>,
    db: Vec<f64>,
    /// L^j B_ik at index (j·d + i)·m + k.
    lb: Vec<f64>,
    /// Platen's scheme: V (m × m), ā(x), ā(Ῡ), B(x), B at a supporting value, the values.
    v: Vec<f64>,
    a0: Vec<f64>,
    a1: Vec<f64>,
    b0: Vec<f64>,
    bp: Vec<f64>,
    bm: Vec<f64>,
    point: Vec<f64>,
}

impl<'f, A, B> MatrixStepper<'f, A, B>
where
    A: Fn(&[f64], &mut [f64]),
    B: Fn(&[f64], &mut [f64]),
{
    pub fn new(d: usize, m: usize, scheme: Scheme, calculus: Calculus, a: &'f A, b: &'f B) -> Self {
        MatrixStepper {
            a,
            b,
            d,
            m,
            scheme,
            calculus,
            xt: vec![0.0; d + 1],
            bx: vec![0.0; d * m],
            db: vec![0.0; d * d * m],
            lb: vec![0.0; m * d * m],
            v: vec![0.0; m * m],
            a0: vec![0.0; d],
            a1: vec![0.0; d],
            b0: vec![0.0; d * m],
            bp: vec![0.0; d * m],
            bm: vec![0.0; d * m],
            point: vec![0.0; d],
        }
    }

    /// B at (x, t) into `out`.
    fn noise(&mut self, x: &[f64], t: f64, out: &mut [f64]) {
        self.xt[..self.d].copy_from_slice(x);
        self.xt[self.d] = t;
        (self.b)(&self.xt, out);
    }

    /// B(x) into `bx` and L^j B_ik into `lb`.
    fn derivatives(&mut self, x: &[f64], t: f64) {
        let (d, m) = (self.d, self.m);
        let mut bx = std::mem::take(&mut self.bx);
        self.noise(x, t, &mut bx);
        let mut shifted = x.to_vec();
        let mut plus = vec![0.0; d * m];
        let mut minus = vec![0.0; d * m];
        for l in 0..d {
            let delta = 1e-5 * x[l].abs().max(1.0);
            shifted[l] = x[l] + delta;
            self.noise(&shifted, t, &mut plus);
            shifted[l] = x[l] - delta;
            self.noise(&shifted, t, &mut minus);
            shifted[l] = x[l];
            for e in 0..d * m {
                self.db[l * d * m + e] = (plus[e] - minus[e]) / (2.0 * delta);
            }
        }
        for j in 0..m {
            for e in 0..d * m {
                self.lb[j * d * m + e] =
                    (0..d).map(|l| bx[l * m + j] * self.db[l * d * m + e]).sum();
            }
        }
        self.bx = bx;
    }

    /// The Itô drift ā at (x, t) into `out` (derivatives of B taken when Stratonovich).
    fn drift(&mut self, x: &[f64], t: f64, out: &mut [f64]) {
        self.xt[..self.d].copy_from_slice(x);
        self.xt[self.d] = t;
        (self.a)(&self.xt, out);
        if self.calculus == Calculus::Stratonovich {
            self.derivatives(x, t);
            let (d, m) = (self.d, self.m);
            for (i, o) in out.iter_mut().enumerate() {
                *o += 0.5 * (0..m).map(|j| self.lb[(j * d + i) * m + j]).sum::<f64>();
            }
        }
    }

    /// Whether L^j b^k = L^k b^j at the last derivatives, within 10⁻⁶ of their size; the first
    /// pair that differs otherwise.
    fn commutative(&self) -> Result<(), StepFail> {
        let (d, m) = (self.d, self.m);
        for i in 0..d {
            for j in 0..m {
                for k in j + 1..m {
                    let p = self.lb[(j * d + i) * m + k];
                    let q = self.lb[(k * d + i) * m + j];
                    if (p - q).abs() > 1e-6 * p.abs().max(q.abs()).max(1.0) {
                        return Err(StepFail::NotCommutative {
                            i,
                            j,
                            k,
                            values: (p, q),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    fn taylor(&mut self, x: &mut [f64], t: f64, h: f64, dw: &[f64]) -> Result<(), StepFail> {
        let (d, m) = (self.d, self.m);
        let mut a = std::mem::take(&mut self.a0);
        self.drift(x, t, &mut a);
        let milstein = self.scheme == Scheme::Milstein;
        if milstein {
            self.derivatives(x, t);
            self.commutative()?;
        } else {
            let mut bx = std::mem::take(&mut self.bx);
            self.noise(x, t, &mut bx);
            self.bx = bx;
        }
        for i in 0..d {
            let mut dx = a[i] * h + (0..m).map(|j| self.bx[i * m + j] * dw[j]).sum::<f64>();
            if milstein {
                for j in 0..m {
                    for k in 0..m {
                        let ito = dw[j] * dw[k] - if j == k { h } else { 0.0 };
                        dx += 0.5 * self.lb[(j * d + i) * m + k] * ito;
                    }
                }
            }
            x[i] += dx;
        }
        self.a0 = a;
        Ok(())
    }

    /// The antisymmetric V_rj = ±h (r < j) of Platen's scheme.
    fn draw_v(&mut self, h: f64, rng: &mut Rng) {
        let m = self.m;
        for j in 0..m {
            for r in 0..j {
                let s = if rng.random::<bool>() { h } else { -h };
                self.v[r * m + j] = s;
                self.v[j * m + r] = -s;
            }
        }
    }

    /// B at `base` ± column `col` of B(x)·√h, into `bp` and `bm`, at time `t`.
    fn shifted_noise(&mut self, base: &[f64], col: usize, sqrt_h: f64, t: f64) {
        let m = self.m;
        let (mut point, mut bp, mut bm) = (
            std::mem::take(&mut self.point),
            std::mem::take(&mut self.bp),
            std::mem::take(&mut self.bm),
        );
        for (i, p) in point.iter_mut().enumerate() {
            *p = base[i] + self.b0[i * m + col] * sqrt_h;
        }
        self.noise(&point, t, &mut bp);
        for (i, p) in point.iter_mut().enumerate() {
            *p = base[i] - self.b0[i * m + col] * sqrt_h;
        }
        self.noise(&point, t, &mut bm);
        (self.point, self.bp, self.bm) = (point, bp, bm);
    }

    /// Platen's weak order 2.0 step (module documentation): R^j at t + h, U^r at t.
    fn srk(&mut self, x: &mut [f64], t: f64, h: f64, dw: &[f64], rng: &mut Rng) {
        let (d, m, sqrt_h) = (self.d, self.m, h.sqrt());
        self.draw_v(h, rng);
        let (mut a0, mut a1, mut b0) = (
            std::mem::take(&mut self.a0),
            std::mem::take(&mut self.a1),
            std::mem::take(&mut self.b0),
        );
        self.drift(x, t, &mut a0);
        self.noise(x, t, &mut b0);
        let moved: Vec<f64> = (0..d).map(|i| x[i] + a0[i] * h).collect();
        let ybar: Vec<f64> = (0..d)
            .map(|i| moved[i] + (0..m).map(|j| b0[i * m + j] * dw[j]).sum::<f64>())
            .collect();
        self.drift(&ybar, t + h, &mut a1);
        self.b0 = b0;
        let mut dx: Vec<f64> = (0..d).map(|i| 0.5 * (a1[i] + a0[i]) * h).collect();
        for (j, &w) in dw.iter().enumerate().take(m) {
            self.shifted_noise(&moved, j, sqrt_h, t + h);
            for (i, o) in dx.iter_mut().enumerate() {
                let (p, q, b) = (self.bp[i * m + j], self.bm[i * m + j], self.b0[i * m + j]);
                *o += 0.25 * (p + q + 2.0 * b) * w + 0.25 * (p - q) * (w * w - h) / sqrt_h;
            }
        }
        for r in 0..m {
            self.shifted_noise(x, r, sqrt_h, t);
            for j in (0..m).filter(|&j| j != r) {
                let area = dw[j] * dw[r] + self.v[r * m + j];
                for (i, o) in dx.iter_mut().enumerate() {
                    let (p, q, b) = (self.bp[i * m + j], self.bm[i * m + j], self.b0[i * m + j]);
                    *o += 0.25 * (p + q - 2.0 * b) * dw[j] + 0.25 * (p - q) * area / sqrt_h;
                }
            }
        }
        for (xi, o) in x.iter_mut().zip(&dx) {
            *xi += o;
        }
        (self.a0, self.a1) = (a0, a1);
    }
}

impl<A, B> Advance for MatrixStepper<'_, A, B>
where
    A: Fn(&[f64], &mut [f64]),
    B: Fn(&[f64], &mut [f64]),
{
    fn wiener(&self) -> usize {
        self.m
    }

    fn advance(
        &mut self,
        x: &mut [f64],
        t: f64,
        h: f64,
        dw: &[f64],
        rng: &mut Rng,
    ) -> Result<(), StepFail> {
        match self.scheme {
            Scheme::EulerMaruyama | Scheme::Milstein => self.taylor(x, t, h, dw)?,
            Scheme::Srk => self.srk(x, t, h, dw, rng),
        }
        match x.iter().position(|v| !v.is_finite()) {
            Some(i) => Err(StepFail::NotFinite(i)),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    //! Geometric Brownian motion with two noises, dX = μX dt + σ₁X dW₁ + σ₂X dW₂ (commutative:
    //! L¹b² = L²b¹ = σ₁σ₂X), has X_T = X₀ exp((μ − (σ₁² + σ₂²)/2)T + σ₁W₁ + σ₂W₂). Paths are
    //! drawn on the finest grid and summed for coarser ones, so every step size sees the same
    //! path; strong order = least-squares slope of log₂ E|X^h_T − X_T| over h = T/8 … T/64.
    use super::*;
    use crate::backend::rng::stream;
    use crate::observe::stats::fit_line;
    use rand_distr::{Distribution, StandardNormal};

    const FINE: usize = 64;
    const MU: f64 = 0.5;
    const S: [f64; 2] = [0.4, 0.3];

    fn strong_errors(scheme: Scheme) -> Vec<f64> {
        let a = |xt: &[f64], out: &mut [f64]| out[0] = MU * xt[0];
        let b = |xt: &[f64], out: &mut [f64]| {
            out[0] = S[0] * xt[0];
            out[1] = S[1] * xt[0];
        };
        let (t_end, paths) = (1.0, 3000);
        let hf = t_end / FINE as f64;
        let mut errs = vec![0.0; 4];
        for p in 0..paths {
            let mut rng = stream(5, 0, "sde-matrix-test", p);
            let dw: Vec<[f64; 2]> = (0..FINE)
                .map(|_| {
                    [0, 1].map(|_| {
                        let z: f64 = StandardNormal.sample(&mut rng);
                        hf.sqrt() * z
                    })
                })
                .collect();
            let w = [0, 1].map(|j| dw.iter().map(|d| d[j]).sum::<f64>());
            let drift = MU - (S[0] * S[0] + S[1] * S[1]) / 2.0;
            let exact = (drift * t_end + S[0] * w[0] + S[1] * w[1]).exp();
            let mut stepper = MatrixStepper::new(1, 2, scheme, Calculus::Ito, &a, &b);
            for (l, err) in errs.iter_mut().enumerate() {
                let m = 1usize << l;
                let h = hf * m as f64;
                let mut x = [1.0];
                for (k, chunk) in dw.chunks(m).enumerate() {
                    let inc = [0, 1].map(|j| chunk.iter().map(|d| d[j]).sum::<f64>());
                    stepper
                        .advance(&mut x, k as f64 * h, h, &inc, &mut rng)
                        .unwrap();
                }
                *err += (x[0] - exact).abs() / paths as f64;
            }
        }
        errs
    }

    fn order(errs: &[f64]) -> f64 {
        let lh: Vec<f64> = (0..errs.len()).map(|l| l as f64).collect();
        let le: Vec<f64> = errs.iter().map(|e| e.log2()).collect();
        fit_line(&lh, &le).map(|f| f.slope).unwrap_or(f64::NAN)
    }

    #[test]
    fn milstein_has_strong_order_one_with_two_commuting_noises() {
        let (m, e) = (
            strong_errors(Scheme::Milstein),
            strong_errors(Scheme::EulerMaruyama),
        );
        assert!((order(&m) - 1.0).abs() < 0.15, "Milstein {m:?}");
        assert!((order(&e) - 0.5).abs() < 0.15, "Euler–Maruyama {e:?}");
    }

    #[test]
    fn milstein_refuses_noise_that_does_not_commute() {
        // b¹ = (x₁, 0), b² = (0, x₀): L¹b² = (0, x₁) but L²b¹ = (x₀, 0).
        let a = |_: &[f64], out: &mut [f64]| out.fill(0.0);
        let b = |xt: &[f64], out: &mut [f64]| out.copy_from_slice(&[xt[1], 0.0, 0.0, xt[0]]);
        let mut s = MatrixStepper::new(2, 2, Scheme::Milstein, Calculus::Ito, &a, &b);
        let mut rng = stream(1, 0, "t", 0);
        let r = s.advance(&mut [1.0, 2.0], 0.0, 0.01, &[0.1, 0.1], &mut rng);
        assert!(
            matches!(
                r,
                Err(StepFail::NotCommutative {
                    i: 0,
                    j: 0,
                    k: 1,
                    ..
                })
            ),
            "{r:?}"
        );
    }
}
