//! The kernel of a deep network at infinite width (the NNGP kernel of 003/004, "Random infinite
//! width DNNs": a randomly initialised network is a Gaussian process) and its criticality
//! (Roberts & Yaida, *The Principles of Deep Learning Theory*, ch. 5).
//!
//! Conventions. The inputs x_α are the rows of a P × n₀ matrix; the weights of layer k are
//! W_k ~ N(0, C_W/fan_in) and its biases b_k ~ N(0, C_b); z⁽¹⁾ = W₀x + b₀ and
//! z⁽ℓ⁺¹⁾ = W_ℓ σ(z⁽ℓ⁾) + b_ℓ. As every width → ∞ the z⁽ℓ⁾_α are jointly Gaussian with
//! covariance K⁽ℓ⁾:
//!
//! K⁽¹⁾_αβ = C_b + C_W x_α·x_β/n₀,
//! K⁽ℓ⁺¹⁾_αβ = C_b + C_W E[σ(u)σ(v)], (u, v) ~ N(0, [[K_αα, K_αβ], [K_αβ, K_ββ]]).
//!
//! `depth` L counts the layers, so L = 1 is the linear kernel K⁽¹⁾ and K⁽ᴸ⁾ is the kernel of the
//! output of `mlp(widths = [n₀, n₁, …, n_L])` (whose last layer is linear) at infinite width.
//!
//! The Gaussian expectations: closed forms for relu (the arc-cosine kernel of Cho & Saul,
//! E[relu(u)relu(v)] = (√(K_uu K_vv)/2π)(sin θ + (π − θ) cos θ), θ = arccos ρ,
//! ρ = K_uv/√(K_uu K_vv)), erf (Williams, (2/π) arcsin(2K_uv/√((1 + 2K_uu)(1 + 2K_vv)))) and
//! linear (E\[uv\] = K_uv); every other activation by Gauss–Hermite quadrature ([`hermite_rule`]),
//! in two dimensions with u = √K_uu g₁, v = √K_vv(ρ g₁ + √(1 − ρ²) g₂), g₁, g₂ ~ N(0, 1).
//!
//! Criticality: for one input, K ↦ f(K) = C_b + C_W⟨σ²⟩_K; its susceptibilities are
//! χ_∥(K) = f′(K) = C_W ∂⟨σ(z)²⟩_K/∂K = (C_W/2K²)⟨σ(z)²(z² − K)⟩_K and
//! χ_⊥(K) = C_W⟨σ′(z)²⟩_K (z ~ N(0, K)). Near an attracting fixed point K*,
//! K⁽ℓ⁾ − K* ∝ χ_∥(K*)^ℓ = e^{−ℓ/ξ}, ξ = −1/ln χ_∥(K*) the depth scale; at criticality
//! χ_∥(K*) = χ_⊥(K*) = 1 and the approach is a power law.

use super::nn::activation::Activation;
use super::BackendError;
use faer::{Mat, MatRef, Side};
use rayon::prelude::*;
use std::f64::consts::{PI, TAU};
use std::sync::atomic::AtomicBool;

/// The default quadrature order. Gauss–Hermite on tanh converges like e^{−3√(order/K)} (the
/// integrand varies on the scale 1/√K; measured on unit kernels: 3e-4, 6e-6, 2e-8, 5e-12 at 10,
/// 20, 40, 80 nodes), so 100 gives ≈ 2e-13 at K = 1, 2e-8 at K = 3 and 2e-5 at K = 10; a 2-D
/// expectation costs order² evaluations of σ.
pub const DEFAULT_ORDER: usize = 100;
/// The largest quadrature order (the Golub–Welsch eigenproblem is order × order).
pub const MAX_ORDER: usize = 400;
/// The largest depth.
pub const MAX_DEPTH: usize = 1_000_000;
/// A kernel beyond this has exploded (no fixed point below it).
const EXPLODED: f64 = 1e100;

/// The Gauss–Hermite rule for the standard normal: E f(g) ≈ Σᵢ wᵢ f(tᵢ), g ~ N(0, 1), exact
/// for polynomials of degree ≤ 2n − 1. The nodes ascend; the rule is symmetric (tᵢ = −tₙ₋₁₋ᵢ,
/// wᵢ = wₙ₋₁₋ᵢ) and Σ wᵢ = 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub nodes: Vec<f64>,
    pub weights: Vec<f64>,
}

/// The n-point rule by Golub–Welsch: the nodes xᵢ of the physicists' Hermite rule
/// (∫ e^{−x²} f(x) dx ≈ √π Σ vᵢ² f(xᵢ)) are the eigenvalues of the Jacobi matrix of the
/// recurrence H_{k+1} = 2x H_k − 2k H_{k−1}, symmetric tridiagonal with zero diagonal and
/// off-diagonal √(k/2) (k = 1, …, n − 1), and vᵢ is the first component of the unit eigenvector
/// of xᵢ. For N(0, 1), tᵢ = √2 xᵢ and wᵢ = vᵢ². The eigenvalues come from faer's symmetric
/// eigensolver (absolute error ~ ε‖J‖ ≈ 1e-16·√n); the rule is then symmetrised, which the
/// exact rule is, and the weights normalised to sum 1.
pub fn hermite_rule(order: usize) -> Result<Rule, BackendError> {
    check_order(order)?;
    let n = order;
    let jacobi = Mat::from_fn(n, n, |r, c| {
        if r.abs_diff(c) == 1 {
            (r.max(c) as f64 / 2.0).sqrt()
        } else {
            0.0
        }
    });
    let evd = jacobi
        .self_adjoint_eigen(Side::Lower)
        .map_err(|_| BackendError::Numerical("Golub–Welsch: no eigen-convergence".into()))?;
    let x: Vec<f64> = (0..n).map(|i| evd.S()[i]).collect();
    let v: Vec<f64> = (0..n).map(|i| evd.U()[(0, i)].powi(2)).collect();
    let nodes: Vec<f64> = (0..n)
        .map(|i| std::f64::consts::SQRT_2 * (x[i] - x[n - 1 - i]) / 2.0)
        .collect();
    let mut weights: Vec<f64> = (0..n).map(|i| (v[i] + v[n - 1 - i]) / 2.0).collect();
    let total: f64 = weights.iter().sum();
    weights.iter_mut().for_each(|w| *w /= total);
    Ok(Rule { nodes, weights })
}

fn check_order(order: usize) -> Result<(), BackendError> {
    if !(1..=MAX_ORDER).contains(&order) {
        return Err(BackendError::Invalid(format!(
            "`order` must be a whole number from 1 to {MAX_ORDER}, but is {order}"
        )));
    }
    Ok(())
}

/// Gaussian expectations of one activation: by a closed form where one is known (relu, erf,
/// linear), else (or when forced) by a Gauss–Hermite rule.
#[derive(Debug, Clone)]
pub struct Gauss {
    act: Activation,
    rule: Rule,
    closed: bool,
}

impl Gauss {
    /// σ = `act` with a rule of `order` nodes; `quadrature` forces the rule for relu, erf and
    /// linear too. A closed form never reads the rule, so it is not built then (`order` is
    /// still checked).
    pub fn new(act: Activation, order: usize, quadrature: bool) -> Result<Self, BackendError> {
        let closed =
            !quadrature && matches!(act, Activation::Relu | Activation::Erf | Activation::Linear);
        let rule = if closed {
            check_order(order)?;
            Rule {
                nodes: Vec::new(),
                weights: Vec::new(),
            }
        } else {
            hermite_rule(order)?
        };
        Ok(Gauss { act, rule, closed })
    }

    /// ⟨σ(z)²⟩ for z ~ N(0, k), k ≥ 0: relu k/2, erf (2/π) arcsin(2k/(1 + 2k)), linear k,
    /// else Σᵢ wᵢ σ(√k tᵢ)².
    pub fn square(&self, k: f64) -> f64 {
        if self.closed {
            return match self.act {
                Activation::Relu => k / 2.0,
                Activation::Erf => 2.0 / PI * (2.0 * k / (1.0 + 2.0 * k)).asin(),
                _ => k,
            };
        }
        let s = k.sqrt();
        let r = &self.rule;
        (r.nodes.iter().zip(&r.weights))
            .map(|(&t, &w)| w * self.act.apply(s * t).powi(2))
            .sum()
    }

    /// E[σ(u)σ(v)] for (u, v) ~ N(0, [[a, c], [c, b]]), a, b ≥ 0: the closed forms of the
    /// module's docs, or Σᵢ Σⱼ wᵢ wⱼ σ(√a tᵢ) σ(√b (ρ tᵢ + √(1 − ρ²) tⱼ)). The correlation
    /// ρ = c/√(ab) is clamped to [−1, 1] (rounding may push it out) and is 0 when a or b is.
    pub fn pair(&self, a: f64, b: f64, c: f64) -> f64 {
        let s = (a * b).sqrt();
        let rho = if s > 0.0 {
            (c / s).clamp(-1.0, 1.0)
        } else {
            0.0
        };
        if self.closed {
            return match self.act {
                Activation::Relu => s * arc_cosine(rho),
                Activation::Erf => {
                    let y = 2.0 * c / ((1.0 + 2.0 * a) * (1.0 + 2.0 * b)).sqrt();
                    2.0 / PI * y.clamp(-1.0, 1.0).asin()
                }
                _ => c,
            };
        }
        let sa = a.sqrt();
        self.quadrature_pair(|i| self.act.apply(sa * self.rule.nodes[i]), b.sqrt(), rho)
    }

    /// Σᵢ Σⱼ wᵢ wⱼ σ(√a tᵢ) σ(√b (ρ tᵢ + √(1 − ρ²) tⱼ)) with the outer factors σ(√a tᵢ) given
    /// by `outer(i)` (they depend on one input only: [`Shared`] keeps them per input).
    fn quadrature_pair(&self, outer: impl Fn(usize) -> f64, sb: f64, rho: f64) -> f64 {
        let perp = (1.0 - rho * rho).max(0.0).sqrt();
        let (t, w) = (&self.rule.nodes, &self.rule.weights);
        let mut total = 0.0;
        for (i, (&ti, &wi)) in t.iter().zip(w).enumerate() {
            let su = outer(i);
            if su == 0.0 {
                continue;
            }
            let inner: f64 = (t.iter().zip(w))
                .map(|(&tj, &wj)| wj * self.act.apply(sb * (rho * ti + perp * tj)))
                .sum();
            total += wi * su * inner;
        }
        total
    }

    /// What every pair of a layer shares per input α, from the diagonal K_αα.
    fn shared(&self, diag: &[f64]) -> Shared {
        let root: Vec<f64> = diag.iter().map(|k| k.sqrt()).collect();
        let outer = if self.closed {
            Vec::new()
        } else {
            (root.iter())
                .flat_map(|&s| self.rule.nodes.iter().map(move |&t| self.act.apply(s * t)))
                .collect()
        };
        Shared { root, outer }
    }

    /// [`Gauss::pair`] of inputs α < β (a = K_αα, b = K_ββ, c = K_αβ) with the per-input work
    /// taken from `sh`: the same operations, so the same bits.
    fn pair_shared(&self, sh: &Shared, diag: &[f64], (a, b): (usize, usize), c: f64) -> f64 {
        if self.closed {
            return self.pair(diag[a], diag[b], c);
        }
        let s = (diag[a] * diag[b]).sqrt();
        let rho = if s > 0.0 {
            (c / s).clamp(-1.0, 1.0)
        } else {
            0.0
        };
        let n = self.rule.nodes.len();
        let outer = &sh.outer[a * n..(a + 1) * n];
        self.quadrature_pair(|i| outer[i], sh.root[b], rho)
    }

    /// (χ_∥, χ_⊥)/C_W at K = k ≥ 0: ∂⟨σ²⟩_K/∂K = (1/2K)⟨(σ(√K g)² − σ(0)²)(g² − 1)⟩ (the
    /// σ(0)² term integrates to 0 and is taken out against rounding) and ⟨σ′(√K g)²⟩.
    /// Closed: relu (½, ½), linear (1, 1), erf (4/(π(1 + 2K)√(1 + 4K)), 4/(π√(1 + 4K))). At
    /// K = 0 both are the limit K → 0⁺, σ′(0)² (σ(0)σ″(0) = 0 for every activation here).
    pub fn slopes(&self, k: f64) -> (f64, f64) {
        if self.closed {
            return match self.act {
                Activation::Relu => (0.5, 0.5),
                Activation::Erf => {
                    let root = (1.0 + 4.0 * k).sqrt();
                    (4.0 / (PI * (1.0 + 2.0 * k) * root), 4.0 / (PI * root))
                }
                _ => (1.0, 1.0),
            };
        }
        if k == 0.0 {
            let d = self.act.derivative(0.0).powi(2);
            return (d, d);
        }
        let (s, zero) = (k.sqrt(), self.act.apply(0.0).powi(2));
        let r = &self.rule;
        let (mut par, mut perp) = (0.0, 0.0);
        for (&t, &w) in r.nodes.iter().zip(&r.weights) {
            par += w * (self.act.apply(s * t).powi(2) - zero) * (t * t - 1.0);
            perp += w * self.act.derivative(s * t).powi(2);
        }
        (par / (2.0 * k), perp)
    }
}

/// The per-input values of one layer: √K_αα (`root`) and, for quadrature, the outer factors
/// σ(√K_αα tᵢ) (`outer`, the `order` entries of input α at α·order).
struct Shared {
    root: Vec<f64>,
    outer: Vec<f64>,
}

/// (sin θ + (π − θ) cos θ)/2π at cos θ = ρ, with sin θ = √(1 − ρ²): ½ at ρ = 1 exactly.
fn arc_cosine(rho: f64) -> f64 {
    ((1.0 - rho * rho).max(0.0).sqrt() + (PI - rho.acos()) * rho) / TAU
}

/// The variances C_W and C_b: finite and ≥ 0.
pub fn check_variances(c_w: f64, c_b: f64) -> Result<(), BackendError> {
    for (name, v) in [("c_w", c_w), ("c_b", c_b)] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(BackendError::Invalid(format!(
                "`{name}` is a variance and must be finite and ≥ 0, but is {v}"
            )));
        }
    }
    Ok(())
}

fn check_depth(depth: usize) -> Result<(), BackendError> {
    if !(1..=MAX_DEPTH).contains(&depth) {
        return Err(BackendError::Invalid(format!(
            "`depth` must be a whole number from 1 to {MAX_DEPTH}, but is {depth}"
        )));
    }
    Ok(())
}

fn overflowed(layer: usize, k: f64) -> BackendError {
    BackendError::Numerical(format!(
        "the kernel overflowed at layer {layer} (K = {k:e}): it grows without bound"
    ))
}

/// K⁽ᴸ⁾ (P × P) of the rows of `x` (P × n₀), L = `depth`: K⁽¹⁾ = C_b + C_W x xᵀ/n₀, then
/// K⁽ℓ⁺¹⁾_αβ = C_b + C_W E[σ(u)σ(v)] ([`Gauss::pair`]; the diagonal by [`Gauss::square`]).
/// Each layer is computed on the upper triangle α ≤ β only (P(P + 1)/2 entries), the columns
/// in parallel; every entry is computed alone from the layer before, so the result does not
/// depend on the thread count. Exactly symmetric; `stop` is read between layers.
pub fn nngp(
    x: MatRef<f64>,
    g: &Gauss,
    depth: usize,
    (c_w, c_b): (f64, f64),
    stop: &AtomicBool,
) -> Result<Mat<f64>, BackendError> {
    check_variances(c_w, c_b)?;
    check_depth(depth)?;
    super::linalg::check_finite(x)?;
    let (p, n0) = (x.nrows(), x.ncols());
    if p == 0 || n0 == 0 {
        return Err(BackendError::Shape(format!(
            "`nngp` needs at least one input of at least one coordinate, but x is {p}×{n0}"
        )));
    }
    let rows: Vec<f64> = (0..p * n0).map(|i| x[(i / n0, i % n0)]).collect();
    let row = |a: usize| &rows[a * n0..(a + 1) * n0];
    let dot = |a: usize, b: usize| row(a).iter().zip(row(b)).map(|(u, v)| u * v).sum::<f64>();
    let mut k = vec![0.0; p * p];
    upper(&mut k, p, |a, b| c_b + c_w * dot(a, b) / n0 as f64);
    let mut next = vec![0.0; p * p];
    for layer in 2..=depth {
        super::check_interrupt(stop)?;
        let diag: Vec<f64> = (0..p).map(|a| k[a + a * p]).collect();
        let shared = g.shared(&diag);
        upper(&mut next, p, |a, b| {
            let e = if a == b {
                g.square(diag[a])
            } else {
                g.pair_shared(&shared, &diag, (a, b), k[a + b * p])
            };
            c_b + c_w * e
        });
        std::mem::swap(&mut k, &mut next);
        if let Some(bad) = (0..p).map(|a| k[a + a * p]).find(|v| !v.is_finite()) {
            return Err(overflowed(layer, bad));
        }
    }
    Ok(Mat::from_fn(p, p, |a, b| k[a.min(b) + a.max(b) * p]))
}

/// Entries a ≤ b of the column-major P × P buffer `m` set to f(a, b), column b holding rows
/// 0..=b; the columns in parallel (rayon).
fn upper(m: &mut [f64], p: usize, f: impl Fn(usize, usize) -> f64 + Sync) {
    m.par_chunks_mut(p).enumerate().for_each(|(b, column)| {
        for (a, entry) in column[..=b].iter_mut().enumerate() {
            *entry = f(a, b);
        }
    });
}

/// K⁽¹⁾, …, K⁽ᴸ⁾ of one input with k0 = x·x/n₀: K⁽¹⁾ = C_b + C_W k0,
/// K⁽ℓ⁺¹⁾ = C_b + C_W⟨σ²⟩_{K⁽ℓ⁾}.
pub fn recursion(
    g: &Gauss,
    k0: f64,
    depth: usize,
    (c_w, c_b): (f64, f64),
) -> Result<Vec<f64>, BackendError> {
    check_variances(c_w, c_b)?;
    check_depth(depth)?;
    check_kernel("k0", k0)?;
    let mut out = Vec::with_capacity(depth);
    let mut k = c_b + c_w * k0;
    for layer in 1..=depth {
        if !k.is_finite() {
            return Err(overflowed(layer, k));
        }
        out.push(k);
        k = c_b + c_w * g.square(k);
    }
    Ok(out)
}

/// A kernel value (a variance): finite and ≥ 0.
pub fn check_kernel(name: &str, k: f64) -> Result<(), BackendError> {
    if !(k.is_finite() && k >= 0.0) {
        return Err(BackendError::Invalid(format!(
            "`{name}` is a variance and must be finite and ≥ 0, but is {k}"
        )));
    }
    Ok(())
}

/// Where the single-input recursion goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FixedPoint {
    /// K⁽ℓ⁾ → K*.
    Reached(f64),
    /// K⁽ℓ⁾ grows past 10¹⁰⁰ (or the bracketing of a fixed point above it did): there is no
    /// fixed point in its way. `k` is the last value seen.
    Explodes { k: f64 },
}

/// The number of plain iterations before the fixed point is bracketed.
const ITERATIONS: usize = 500;

/// The fixed point K* = f(K*), f(K) = C_b + C_W⟨σ²⟩_K, that the recursion from K⁽¹⁾ = C_b + C_W k0
/// reaches. f increases with K (χ_∥ > 0), so the iterates are monotone and every K between
/// them and their limit has f(K) − K of their sign: after up to 500 steps (stopping
/// early at a K with f(K) = K in floating point), the first sign change of f(K) − K beyond the last
/// iterate, stepping by doubling multiples of the last step, brackets K*, which bisection then
/// finds to the last bit. A power-law approach (at criticality) is thus resolved too: tanh at
/// (C_W, C_b) = (1, 0) gives K* = 0.
pub fn fixed_point(g: &Gauss, (c_w, c_b): (f64, f64), k0: f64) -> Result<FixedPoint, BackendError> {
    check_variances(c_w, c_b)?;
    check_kernel("k0", k0)?;
    let f = |k: f64| c_b + c_w * g.square(k);
    let (mut prev, mut k) = (f64::NAN, c_b + c_w * k0);
    for _ in 0..ITERATIONS {
        if !(k.is_finite() && k <= EXPLODED) {
            return Ok(FixedPoint::Explodes { k });
        }
        let next = f(k);
        if next == k {
            return Ok(FixedPoint::Reached(k));
        }
        (prev, k) = (k, next);
    }
    Ok(bracket(|k| f(k) - k, prev, k))
}

/// The first root of h beyond `last` in the direction from `before` to `last`, with
/// h(last) of the sign of last − before (see [`fixed_point`]). Upwards only h < 0 counts as
/// crossed: h = 0 there is a growth C_b lost to rounding (relu at C_W = 2, C_b > 0 grows by C_b
/// per layer), which must not pass for a fixed point; downwards h(0) = f(0) ≥ 0 ends the search.
fn bracket(h: impl Fn(f64) -> f64, before: f64, last: f64) -> FixedPoint {
    let up = last > before;
    let mut step = 2.0 * (last - before).abs();
    let mut inner = last;
    loop {
        let outer = if up {
            last + step
        } else {
            (last - step).max(0.0)
        };
        if outer > EXPLODED {
            return FixedPoint::Explodes { k: outer };
        }
        let crossed = if up { h(outer) < 0.0 } else { h(outer) >= 0.0 };
        if crossed {
            return FixedPoint::Reached(bisect(&h, inner, outer));
        }
        inner = outer;
        step *= 2.0;
    }
}

/// A root of h between a and b (h(a), h(b) of opposite signs or zero), halved until the
/// midpoint is one of the ends; the end with the smaller |h|.
fn bisect(h: &impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    let (mut a, mut b) = (a, b);
    let (mut ha, hb) = (h(a), h(b));
    if ha == 0.0 {
        return a;
    }
    if hb == 0.0 {
        return b;
    }
    loop {
        let m = a + (b - a) / 2.0;
        if m == a || m == b {
            return if ha.abs() <= h(b).abs() { a } else { b };
        }
        let hm = h(m);
        if hm == 0.0 {
            return m;
        }
        if (hm > 0.0) == (ha > 0.0) {
            (a, ha) = (m, hm);
        } else {
            b = m;
        }
    }
}

/// ξ = −1/ln χ_∥(K*), the depth over which K⁽ℓ⁾ − K* ∝ e^{−ℓ/ξ}: finite for 0 ≤ χ < 1
/// (0 at χ = 0, where K⁽²⁾ = K* already), +∞ at criticality χ = 1.
pub fn depth_scale(chi_parallel: f64) -> f64 {
    -1.0 / chi_parallel.ln()
}

#[cfg(test)]
#[path = "nngp_tests.rs"]
mod tests;
