//! The unsplit 2D generator A = Aₓ + A_y as one sparse n·m × n·m matrix (cell (i, j) at
//! i·m + j), assembled from the line operators of [`super::solve2d`], and the solves with it
//! (faer's sparse LU, [`crate::backend::sparse`]).
//!
//! The stationary density is its null vector, found by inverse iteration with a large shift,
//! pᵏ⁺¹ ∝ (I − τA)⁻¹pᵏ, τ = 10⁸/max|Aᵢᵢ|: the null vector is kept with factor 1 and every
//! other mode of A (eigenvalue λ, Re λ < 0) shrinks by |1 − τλ|⁻¹ per iteration, whether or
//! not A is symmetrisable (no detailed balance needed). One factorisation, a few solves.

use super::tridiagonal::Tridiag;
use crate::backend::sparse::{matrix, SparseLu};
use crate::backend::BackendError;

/// The entries (row, column, value) of a line operator `op` whose k-th cell is `cell(k)`.
fn line_entries(op: &Tridiag, cell: impl Fn(usize) -> usize, out: &mut Vec<(usize, usize, f64)>) {
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
pub fn generator_entries(rows: &[Tridiag], columns: &[Tridiag]) -> Vec<(usize, usize, f64)> {
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
pub fn factor_shifted(
    entries: &[(usize, usize, f64)],
    cells: usize,
    c: f64,
) -> Result<SparseLu, BackendError> {
    let mut shifted: Vec<(usize, usize, f64)> =
        entries.iter().map(|&(i, j, v)| (i, j, -c * v)).collect();
    shifted.extend((0..cells).map(|k| (k, k, 1.0)));
    SparseLu::new(&matrix(cells, &shifted)?)
}

/// The normalised null vector of A (Σ pᵢ · cell = 1), with the residual ‖Ap‖₁ checked
/// against ‖A‖‖p‖₁ before it is returned.
pub fn null_vector(
    entries: &[(usize, usize, f64)],
    cells: usize,
    cell: f64,
) -> Result<Vec<f64>, BackendError> {
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
