//! Implicit time steps for dP/dt = A(t) P with a tridiagonal A (one line of cells).
//!
//! - Backward Euler: (I − Δt A(t+Δt)) Pⁿ⁺¹ = Pⁿ. First order, L-stable; for a generator with
//!   off-diagonals ≥ 0 the matrix is an M-matrix, so Pⁿ⁺¹ ≥ 0 for every Δt.
//! - TR-BDF2 (Bank et al. 1985, Hosea–Shampine 1996) with γ = 2 − √2: a trapezoidal stage
//!   to t + γΔt, then BDF2 on (tⁿ, tⁿ+γΔt, tⁿ⁺¹):
//!   `(I − γΔt/2 A(tⁿ+γΔt)) P* = (I + γΔt/2 A(tⁿ)) Pⁿ`,
//!   `(I − (1−γ)/(2−γ) Δt A(tⁿ⁺¹)) Pⁿ⁺¹ = [P* − (1−γ)² Pⁿ] / (γ(2−γ))`.
//!   Second order and L-stable, so it damps the stiff modes of non-smooth initial data that
//!   Crank–Nicolson lets ring. Positivity is not guaranteed for large Δt (the trapezoidal
//!   stage's right-hand side may go negative).
//!
//! Both conserve Σ Pᵢ exactly when the columns of A sum to zero (each stage does).

use super::tridiagonal::Tridiag;
use super::Scheme;
use crate::backend::BackendError;
use std::borrow::Cow;

/// The operator of one line at time t (borrowed when it is assembled once).
pub type LineOp<'a> = dyn Fn(f64) -> Result<Cow<'a, Tridiag>, BackendError> + 'a;

/// Advance `p` from t to t + dt.
pub fn step(
    op: &LineOp,
    scheme: Scheme,
    p: &mut [f64],
    t: f64,
    dt: f64,
) -> Result<(), BackendError> {
    match scheme {
        Scheme::BackwardEuler => op(t + dt)?.solve_shifted(dt, p),
        Scheme::TrBdf2 => tr_bdf2(op, p, t, dt),
    }
}

fn tr_bdf2(op: &LineOp, p: &mut [f64], t: f64, dt: f64) -> Result<(), BackendError> {
    let gamma = 2.0 - std::f64::consts::SQRT_2;
    let n = p.len();
    let mut ap = vec![0.0; n];
    op(t)?.apply(p, &mut ap);
    let mut star: Vec<f64> = p
        .iter()
        .zip(&ap)
        .map(|(p, a)| p + 0.5 * gamma * dt * a)
        .collect();
    op(t + gamma * dt)?.solve_shifted(0.5 * gamma * dt, &mut star)?;
    let (w, w0) = (
        1.0 / (gamma * (2.0 - gamma)),
        (1.0 - gamma).powi(2) / (gamma * (2.0 - gamma)),
    );
    for (pi, si) in p.iter_mut().zip(&star) {
        *pi = w * si - w0 * *pi;
    }
    op(t + dt)?.solve_shifted((1.0 - gamma) / (2.0 - gamma) * dt, p)
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
