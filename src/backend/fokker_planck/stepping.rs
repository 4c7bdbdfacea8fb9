//! Implicit time steps for dP/dt = A(t) P with a tridiagonal A (one line of cells).
//!
//! - Backward Euler: (I − Δt A(t+Δt)) Pⁿ⁺¹ = Pⁿ. First order, L-stable; for a generator with
//!   off-diagonals ≥ 0 the matrix is an M-matrix, so Pⁿ⁺¹ ≥ 0 for every Δt.
//! - TR-BDF2 (Bank et al. 1985, Hosea–Shampine 1996) with γ = 2 − √2: a trapezoidal stage
//!   to t + γΔt, then BDF2 on (tⁿ, tⁿ+γΔt, tⁿ⁺¹); with d = γ/2, w = √2/4, z₀ = ΔtA(tⁿ)Pⁿ:
//!   `(I − dΔt A(tⁿ+γΔt)) P* = Pⁿ + d z₀`,
//!   `(I − dΔt A(tⁿ⁺¹)) Pⁿ⁺¹ = Pⁿ + w (z₀ + z₁)`, z₁ = ΔtA(tⁿ+γΔt)P* = (P* − Pⁿ)/d − z₀
//!   (the same as `[P* − (1−γ)² Pⁿ] / (γ(2−γ))` on the right-hand side).
//!   Second order and L-stable, so it damps the stiff modes of non-smooth initial data that
//!   Crank–Nicolson lets ring. Positivity is not guaranteed for large Δt (the trapezoidal
//!   stage's right-hand side may go negative).
//!
//! Both conserve Σ Pᵢ exactly when the columns of A sum to zero (each stage does).

use super::tridiagonal::{ShiftedFactors, Tridiag};
use super::Scheme;
use crate::backend::BackendError;
use std::borrow::Cow;

/// The operator of one line at time t (borrowed when it is assembled once).
pub type LineOp<'a> = dyn Fn(f64) -> Result<Cow<'a, Tridiag>, BackendError> + 'a;

/// TR-BDF2's γ = 2 − √2, its stage weight d = γ/2 = 1 − √2/2 (both implicit stages solve
/// with I − dΔtA, since (1 − γ)/(2 − γ) = γ/2) and w = √2/4.
const GAMMA: f64 = 2.0 - std::f64::consts::SQRT_2;
const D: f64 = 1.0 - std::f64::consts::FRAC_1_SQRT_2;
const W: f64 = std::f64::consts::SQRT_2 / 4.0;

/// (γ, d, w) of TR-BDF2, for steppers of other operators.
pub fn tr_bdf2_weights() -> (f64, f64, f64) {
    (GAMMA, D, W)
}

/// Solves of I − cA for one line, keeping the factors of an operator that is assembled once
/// (a borrowed one) while c does not change: a step then costs multiplications only.
#[derive(Default)]
pub struct LineSolver {
    /// The operator's address (only compared) and the factors.
    kept: Option<(usize, ShiftedFactors)>,
}

impl LineSolver {
    /// r ← (I − cA)⁻¹ r.
    pub fn solve(&mut self, a: Cow<Tridiag>, c: f64, r: &mut [f64]) -> Result<(), BackendError> {
        let fixed = match a {
            Cow::Borrowed(fixed) => fixed,
            Cow::Owned(a) => return a.solve_shifted(c, r),
        };
        let key = fixed as *const Tridiag as usize;
        match &self.kept {
            Some((k, f)) if *k == key && f.c == c => f.solve(r),
            _ => {
                let f = fixed.factor_shifted(c)?;
                f.solve(r);
                self.kept = Some((key, f));
            }
        }
        Ok(())
    }
}

/// Advance `p` from t to t + dt.
pub fn step(
    op: &LineOp,
    solver: &mut LineSolver,
    scheme: Scheme,
    p: &mut [f64],
    t: f64,
    dt: f64,
) -> Result<(), BackendError> {
    match scheme {
        Scheme::BackwardEuler => solver.solve(op(t + dt)?, dt, p),
        Scheme::TrBdf2 => tr_bdf2(op, solver, p, t, dt),
    }
}

/// One TR-BDF2 step in place (see the module documentation).
fn tr_bdf2(
    op: &LineOp,
    solver: &mut LineSolver,
    p: &mut [f64],
    t: f64,
    dt: f64,
) -> Result<(), BackendError> {
    // P* = Pⁿ + d z₀ with z₀ = ΔtA(tⁿ)Pⁿ, then solved with I − dΔtA(tⁿ + γΔt).
    let mut star = vec![0.0; p.len()];
    op(t)?.apply(p, &mut star);
    star.iter_mut()
        .zip(p.iter())
        .for_each(|(s, p)| *s = p + D * dt * *s);
    solver.solve(op(t + GAMMA * dt)?, D * dt, &mut star)?;
    // Pⁿ + w(z₀ + z₁) with z₀ + z₁ = (P* − Pⁿ)/d from the stage equation.
    for (pi, si) in p.iter_mut().zip(&star) {
        *pi += W / D * (si - *pi);
    }
    solver.solve(op(t + dt)?, D * dt, p)
}

/// Step sizes that reach every time in `stops` (ascending, > start) exactly, none longer
/// than `dt`: the interval between two stops is cut into ⌈length/dt⌉ equal steps.
pub fn schedule(start: f64, stops: &[f64], dt: f64) -> Vec<(f64, usize, f64)> {
    let mut out = Vec::new();
    let mut t0 = start;
    for &t1 in stops {
        let len = t1 - t0;
        if len <= 0.0 {
            out.push((t1, 0, 0.0));
            continue;
        }
        let k = ((len / dt) * (1.0 - 1e-12)).ceil().max(1.0) as usize;
        out.push((t1, k, len / k as f64));
        t0 = t1;
    }
    out
}
