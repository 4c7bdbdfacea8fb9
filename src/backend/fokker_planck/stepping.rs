//! Implicit time steps for dP/dt = A(t) P with a tridiagonal A (one line of cells).
//!
//! - Backward Euler: (I − Δt A(t+Δt)) Pⁿ⁺¹ = Pⁿ. First order, L-stable; for a generator with
//!   off-diagonals ≥ 0 the matrix is an M-matrix, so Pⁿ⁺¹ ≥ 0 for every Δt.
//! - TR-BDF2 ([`crate::backend::tr_bdf2`]): F = A(t)P, each stage one solve with
//!   I − dΔt A(t) at the stage's time.
//!
//! Both conserve Σ Pᵢ exactly when the columns of A sum to zero (each stage does).

use super::tridiagonal::{ShiftedFactors, Tridiag};
use super::Scheme;
use crate::backend::{tr_bdf2, BackendError};
use std::borrow::Cow;

/// The operator of one line at time t (borrowed when it is assembled once).
pub type LineOp<'a> = dyn Fn(f64) -> Result<Cow<'a, Tridiag>, BackendError> + 'a;

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
        Scheme::TrBdf2 => {
            let mut f0 = vec![0.0; p.len()];
            op(t)?.apply(p, &mut f0);
            tr_bdf2::step(p, t, dt, f0, |b, _, t, c| solver.solve(op(t)?, c, b))
        }
    }
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
