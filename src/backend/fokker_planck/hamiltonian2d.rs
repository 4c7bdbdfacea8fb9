//! H_FP = −S/2 on a 2D grid with reflecting walls, for drifts in detailed balance.
//!
//! S is the generator A = Aₓ + A_y made symmetric, Sₖₖ = Aₖₖ and Sₖₗ = −… = √(AₖₗAₗₖ): when the
//! discrete chain is reversible, AₖₗPₗ = AₗₖPₖ with P the stationary density, S = P^{−1/2} A
//! P^{1/2} is similar to A, so H_FP has A's spectrum (times −½), E₀ = 0 and ψ₀ ∝ √P (001's
//! bound-state picture, in two dimensions). With the fitted flux that holds exactly for a drift
//! whose face values have no discrete curl: separable drifts (Dₓ(x), D_y(y)) and every linear
//! gradient drift D = −Kx with K symmetric. A drift with a stationary current (a rotation, a
//! non-gradient field) has no such H_FP; a nonlinear, non-separable gradient drift misses
//! detailed balance by O(h²) on the grid. Both are refused, with the imbalance named.

use super::full2d::Entry;
use super::spectrum::{check_levels, dense_levels, Spectrum};
use crate::backend::BackendError;
use faer::Mat;
use std::collections::HashMap;

/// Largest relative face imbalance |AₖₗPₗ − AₗₖPₖ|/(AₖₗPₗ + AₗₖPₖ) accepted as detailed balance.
const BALANCE: f64 = 1e-8;

/// The entries of H_FP = −S/2 (each pair once per direction, diagonal once), after checking
/// detailed balance against the stationary density `p` (the generator's null vector).
pub fn hamiltonian_entries(generator: &[Entry], p: &[f64]) -> Result<Vec<Entry>, BackendError> {
    let mut a: HashMap<(usize, usize), f64> = HashMap::new();
    for &(i, j, v) in generator {
        *a.entry((i, j)).or_default() += v;
    }
    let mut worst = 0.0f64;
    let mut out = Vec::with_capacity(a.len());
    for (&(i, j), &v) in &a {
        if i == j {
            out.push((i, i, -0.5 * v));
            continue;
        }
        let back = a.get(&(j, i)).copied().unwrap_or(0.0);
        let (flow, flow_back) = (v * p[j], back * p[i]);
        if flow + flow_back > 0.0 {
            worst = worst.max((flow - flow_back).abs() / (flow + flow_back));
        }
        out.push((i, j, -0.5 * (v * back).max(0.0).sqrt()));
    }
    if worst > BALANCE {
        return Err(BackendError::Invalid(format!(
            "H_FP needs detailed balance, but this drift's stationary density carries currents (largest relative face imbalance {worst:.1e}): a rotation or a non-gradient drift, or a nonlinear gradient drift that is not separable"
        )));
    }
    out.sort_by_key(|&(i, j, _)| (i, j));
    Ok(out)
}

/// The `levels` lowest eigenpairs of the symmetric H given by its entries (see
/// [`super::spectrum::dense_levels`]).
pub fn hamiltonian_levels(
    entries: &[Entry],
    cells: usize,
    cell: f64,
    levels: usize,
) -> Result<Spectrum, BackendError> {
    check_levels(cells, levels)?;
    let mut h = Mat::<f64>::zeros(cells, cells);
    for &(i, j, v) in entries {
        h[(i, j)] += v;
    }
    dense_levels(h, cell, levels)
}
