//! The unsplit 2D generator A = Aₓ + A_y as one sparse n·m × n·m matrix (cell (i, j) at
//! i·m + j), assembled from the line operators of [`super::solve2d`], and the solves with it
//! (faer's sparse LU, [`crate::backend::sparse`]).
//!
//! [`Unsplit`] steps the 2D equation with the whole operator (`splitting = "none"`): no
//! splitting error, at the price of sparse factorisations instead of line solves.
//!
//! The stationary density is its null vector, found by inverse iteration with a large shift,
//! pᵏ⁺¹ ∝ (I − τA)⁻¹pᵏ, τ = 10⁸/max|Aᵢᵢ|: the null vector is kept with factor 1 and every
//! other mode of A (eigenvalue λ, Re λ < 0) shrinks by |1 − τλ|⁻¹ per iteration, whether or
//! not A is symmetrisable (no detailed balance needed). One factorisation, a few solves.

use super::tridiagonal::Tridiag;
use super::Scheme;
use crate::backend::sparse::{matrix, SparseLu};
use crate::backend::{tr_bdf2, BackendError};
use std::borrow::Cow;

pub use crate::backend::sparse::Entry;

/// The entries (row, column, value) of a line operator `op` whose k-th cell is `cell(k)`.
fn line_entries(op: &Tridiag, cell: impl Fn(usize) -> usize, out: &mut Vec<Entry>) {
    let n = op.len();
    for k in 0..n {
        out.push((cell(k), cell(k), op.di[k]));
        if k > 0 {
            out.push((cell(k), cell(k - 1), op.lo[k]));
        }
        if k + 1 < n {
            out.push((cell(k), cell(k + 1), op.up[k]));
        }
    }
    if op.cyclic && n >= 2 {
        out.push((cell(0), cell(n - 1), op.lo[0]));
        out.push((cell(n - 1), cell(0), op.up[n - 1]));
    }
}

/// The entries of A = Aₓ + A_y: `rows[j]` acts along x at y-index j, `columns[i]` along y at
/// x-index i (repeated positions, the diagonals, add up when assembled).
pub fn generator_entries(rows: &[Tridiag], columns: &[Tridiag]) -> Vec<Entry> {
    let (n, m) = (columns.len(), rows.len());
    let mut out = Vec::with_capacity(10 * n * m);
    for (j, op) in rows.iter().enumerate() {
        line_entries(op, |i| i * m + j, &mut out);
    }
    for (i, op) in columns.iter().enumerate() {
        line_entries(op, |j| i * m + j, &mut out);
    }
    out
}

/// The LU factors of I − cA.
pub fn factor_shifted(entries: &[Entry], cells: usize, c: f64) -> Result<SparseLu, BackendError> {
    let mut shifted: Vec<Entry> = entries.iter().map(|&(i, j, v)| (i, j, -c * v)).collect();
    shifted.extend((0..cells).map(|k| (k, k, 1.0)));
    SparseLu::new(&matrix(cells, &shifted)?)
}

/// The normalised null vector of A (Σ pᵢ · cell = 1), with the residual ‖Ap‖₁ checked
/// against ‖A‖‖p‖₁ before it is returned.
pub fn null_vector(entries: &[Entry], cells: usize, cell: f64) -> Result<Vec<f64>, BackendError> {
    let scale = entries
        .iter()
        .filter(|(i, j, _)| i == j)
        .fold(0.0f64, |s, e| s.max(e.2.abs()));
    let lu = factor_shifted(entries, cells, 1e8 / scale.max(f64::MIN_POSITIVE))?;
    let mut p = vec![1.0; cells];
    for _ in 0..6 {
        lu.solve(&mut p)?;
        let mass: f64 = p.iter().sum::<f64>() * cell;
        p.iter_mut().for_each(|v| *v /= mass);
    }
    let mut ap = vec![0.0; cells];
    entries.iter().for_each(|&(i, j, v)| ap[i] += v * p[j]);
    let residual: f64 = ap.iter().map(|v| v.abs()).sum::<f64>();
    let size: f64 = p.iter().map(|v| v.abs()).sum::<f64>() * 2.0 * scale;
    if residual.is_nan() || residual > 1e-9 * size {
        return Err(BackendError::Numerical(format!(
            "the 2D stationary density did not converge (‖Ap‖₁ = {residual:.3e}, ‖A‖‖p‖₁ ≈ {size:.3e})"
        )));
    }
    Ok(p)
}

/// A(t)'s entries: assembled once for time-independent coefficients, else at each time.
pub type Assemble<'a> = dyn Fn(f64) -> Result<Vec<Entry>, BackendError> + 'a;

/// Time steps of dP/dt = A(t)P with the whole 2D operator (no dimensional splitting), each
/// implicit stage one sparse solve with I − cA. The LU factors are kept while A is fixed and
/// c does not change (TR-BDF2's two stages share c = dΔt), so a run with time-independent
/// coefficients factors once per step size.
pub struct Unsplit<'a> {
    assemble: &'a Assemble<'a>,
    fixed: Option<Vec<Entry>>,
    cells: usize,
    kept: Option<(f64, SparseLu)>,
}

impl<'a> Unsplit<'a> {
    pub fn new(
        assemble: &'a Assemble<'a>,
        time_dependent: bool,
        cells: usize,
    ) -> Result<Self, BackendError> {
        let fixed = if time_dependent {
            None
        } else {
            Some(assemble(0.0)?)
        };
        Ok(Unsplit {
            assemble,
            fixed,
            cells,
            kept: None,
        })
    }

    fn entries(&self, t: f64) -> Result<Cow<'_, [Entry]>, BackendError> {
        match &self.fixed {
            Some(e) => Ok(Cow::Borrowed(e)),
            None => (self.assemble)(t).map(Cow::Owned),
        }
    }

    /// r ← (I − cA(t))⁻¹ r.
    fn solve(&mut self, t: f64, c: f64, r: &mut [f64]) -> Result<(), BackendError> {
        if self.fixed.is_none() {
            return factor_shifted(&self.entries(t)?, self.cells, c)?.solve(r);
        }
        if !matches!(&self.kept, Some((kc, _)) if *kc == c) {
            let lu = factor_shifted(self.fixed.as_deref().unwrap_or_default(), self.cells, c)?;
            self.kept = Some((c, lu));
        }
        self.kept.as_ref().map_or(Ok(()), |(_, lu)| lu.solve(r))
    }

    /// A(t)p.
    fn apply(&self, t: f64, p: &[f64]) -> Result<Vec<f64>, BackendError> {
        let mut out = vec![0.0; p.len()];
        self.entries(t)?
            .iter()
            .for_each(|&(i, j, v)| out[i] += v * p[j]);
        Ok(out)
    }

    /// Advance `p` from t to t + dt: backward Euler, or TR-BDF2 ([`crate::backend::tr_bdf2`]),
    /// each implicit stage one sparse solve with I − cA at the stage's time.
    pub fn step(
        &mut self,
        scheme: Scheme,
        p: &mut [f64],
        t: f64,
        dt: f64,
    ) -> Result<(), BackendError> {
        match scheme {
            Scheme::BackwardEuler => self.solve(t + dt, dt, p),
            Scheme::TrBdf2 => {
                let f0 = self.apply(t, p)?;
                tr_bdf2::step(p, t, dt, f0, |b, _, t, c| self.solve(t, c, b))
            }
        }
    }
}
