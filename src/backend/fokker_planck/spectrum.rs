//! The stationary density (the null vector of the discrete generator A) and the
//! Fokker–Planck Hamiltonian of 001 ("time-dependent dynamics", "bound state problem").
//!
//! With P = √Pₛ ψ the equation ∂ₜP = A P becomes ∂ₜψ = S ψ, S = Pₛ^{−1/2} A Pₛ^{1/2}, and 001
//! writes this as ∂ₜψ = −2 H_FP ψ with H_FP = ½L†L = −(g²/2)∂ₓ² + U(x),
//! U = [U₀ + g² U₁]/g², U₀ = (V′)²/8, U₁ = −V″/4. So H_FP = −S/2: its levels are Eₙ = λₙ/2,
//! where P relaxes like e^{−λₙ t}, E₀ = 0 with ψ₀ = √Pₛ. For Ornstein–Uhlenbeck,
//! D = −θx and constant G, λₙ = nθ and Eₙ = nθ/2. Reflecting boundaries make A satisfy
//! detailed balance with the discrete Pₛ, so S is the symmetric tridiagonal matrix with
//! Sᵢᵢ = Aᵢᵢ and Sᵢ,ᵢ₊₁ = √(Aᵢ,ᵢ₊₁ Aᵢ₊₁,ᵢ).

use super::operator::{bernoulli, generator, Grid1};
use super::tridiagonal::Tridiag;
use super::Boundary;
use crate::backend::BackendError;
use faer::{Mat, Side};

/// The stationary density of the time-independent equation (mass 1).
///
/// Reflecting: every face carries zero flux, so uᵢ₊₁/uᵢ = e^{zᵢ₊½} (u = G P) is solved
/// exactly, in logarithms (e^{−V/g²} spans hundreds of decades at small g²). Periodic: a
/// non-zero constant current is possible, so the null vector comes from inverse iteration
/// (I − τA)x = x with τ large. Absorbing: the only stationary state is P = 0 (an error).
pub fn stationary(
    grid: &Grid1,
    boundary: Boundary,
    drift: &dyn Fn(f64, f64) -> f64,
    diffusion: &dyn Fn(f64, f64) -> f64,
) -> Result<Vec<f64>, BackendError> {
    super::solve1d::check_grid(grid)?;
    let a = generator(grid, boundary, 0.0, drift, diffusion)?;
    match boundary {
        Boundary::Reflecting => Ok(detailed_balance(grid, drift, diffusion)),
        Boundary::Periodic => inverse_iteration(grid, &a),
        Boundary::Absorbing => Err(BackendError::Invalid(
            "with absorbing boundaries all mass leaves the domain: there is no stationary density"
                .into(),
        )),
    }
}

fn detailed_balance(
    grid: &Grid1,
    drift: &dyn Fn(f64, f64) -> f64,
    diffusion: &dyn Fn(f64, f64) -> f64,
) -> Vec<f64> {
    let h = grid.h();
    let mut log_u = vec![0.0; grid.n];
    for k in 1..grid.n {
        let x = grid.face(k);
        log_u[k] = log_u[k - 1] + h * drift(x, 0.0) / diffusion(x, 0.0);
    }
    let log_p: Vec<f64> = log_u
        .iter()
        .enumerate()
        .map(|(i, lu)| lu - diffusion(grid.centre(i), 0.0).ln())
        .collect();
    let top = log_p.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    normalise(log_p.iter().map(|l| (l - top).exp()).collect(), h)
}

fn normalise(p: Vec<f64>, h: f64) -> Vec<f64> {
    let m: f64 = p.iter().sum::<f64>() * h;
    p.into_iter().map(|v| v / m).collect()
}

fn inverse_iteration(grid: &Grid1, a: &Tridiag) -> Result<Vec<f64>, BackendError> {
    let scale = a.di.iter().fold(0.0f64, |m, d| m.max(d.abs()));
    let tau = 1e8 / scale.max(1e-300);
    let mut p = vec![1.0; grid.n];
    for _ in 0..6 {
        a.solve_shifted(tau, &mut p)?;
        p = normalise(p, grid.h());
    }
    Ok(p)
}

/// Levels Eₙ and eigenfunctions ψₙ (columns, unit norm Σψ² h = 1, ψ₀ ≥ 0) of H_FP.
pub struct Spectrum {
    pub energies: Vec<f64>,
    pub states: Vec<Vec<f64>>,
}

/// The `levels` lowest levels of H_FP = −S/2 on a reflecting grid.
pub fn hamiltonian(
    grid: &Grid1,
    drift: &dyn Fn(f64, f64) -> f64,
    diffusion: &dyn Fn(f64, f64) -> f64,
    levels: usize,
) -> Result<Spectrum, BackendError> {
    let (diag, off) = hamiltonian_matrix(grid, drift, diffusion)?;
    hamiltonian_levels(&diag, &off, grid.h(), levels)
}

/// H_FP = −S/2 as a symmetric tridiagonal matrix (diagonal, off-diagonal), reflecting grid.
pub fn hamiltonian_matrix(
    grid: &Grid1,
    drift: &dyn Fn(f64, f64) -> f64,
    diffusion: &dyn Fn(f64, f64) -> f64,
) -> Result<(Vec<f64>, Vec<f64>), BackendError> {
    super::solve1d::check_grid(grid)?;
    let a = generator(grid, Boundary::Reflecting, 0.0, drift, diffusion)?;
    let off = symmetric_off_diagonal(grid, drift, diffusion);
    Ok((
        a.di.iter().map(|d| -0.5 * d).collect(),
        off.iter().map(|o| -0.5 * o).collect(),
    ))
}

/// The lowest `levels` eigenpairs of the symmetric tridiagonal H (dense faer solver, cells of
/// width h; eigenfunctions normalised to Σψ² h = 1 and signed so that Σψ ≥ 0).
pub fn hamiltonian_levels(
    diag: &[f64],
    off: &[f64],
    h: f64,
    levels: usize,
) -> Result<Spectrum, BackendError> {
    let n = diag.len();
    if off.len() + 1 != n {
        return Err(BackendError::Shape(format!(
            "H_FP with {n} diagonal entries needs {} off-diagonal ones, not {}",
            n.saturating_sub(1),
            off.len()
        )));
    }
    check_levels(n, levels)?;
    let m = Mat::<f64>::from_fn(n, n, |i, j| match i.abs_diff(j) {
        0 => diag[i],
        1 => off[i.min(j)],
        _ => 0.0,
    });
    dense_levels(m, h, levels)
}

/// `levels` in 1..=cells, and at most 4000 cells for the dense eigen-solver.
pub fn check_levels(cells: usize, levels: usize) -> Result<(), BackendError> {
    if levels == 0 || levels > cells {
        return Err(BackendError::Invalid(format!(
            "levels must be between 1 and the number of cells ({cells}), not {levels}"
        )));
    }
    if cells > 4000 {
        return Err(BackendError::Invalid(format!(
            "the Hamiltonian is diagonalised densely: at most 4000 cells, not {cells}"
        )));
    }
    Ok(())
}

/// The `levels` lowest eigenpairs of the symmetric matrix `h` (faer's dense self-adjoint
/// solver), eigenfunctions normalised to Σψ²·cell = 1 and signed so that Σψ ≥ 0.
pub fn dense_levels(h: Mat<f64>, cell: f64, levels: usize) -> Result<Spectrum, BackendError> {
    let n = h.nrows();
    let evd = h
        .self_adjoint_eigen(Side::Lower)
        .map_err(|e| BackendError::Numerical(format!("H_FP eigen-decomposition: {e:?}")))?;
    let (vals, vecs) = (evd.S(), evd.U());
    let norm = cell.sqrt();
    let states = (0..levels)
        .map(|k| {
            let col: Vec<f64> = (0..n).map(|i| vecs[(i, k)] / norm).collect();
            let sign = if col.iter().sum::<f64>() < 0.0 {
                -1.0
            } else {
                1.0
            };
            col.into_iter().map(|v| sign * v).collect()
        })
        .collect();
    Ok(Spectrum {
        energies: (0..levels).map(|k| vals.column_vector()[k]).collect(),
        states,
    })
}

/// √(Aᵢ,ᵢ₊₁ Aᵢ₊₁,ᵢ) = √(B(z) B(−z) Gᵢ Gᵢ₊₁) / h², written without overflow for large |z|.
fn symmetric_off_diagonal(
    grid: &Grid1,
    drift: &dyn Fn(f64, f64) -> f64,
    diffusion: &dyn Fn(f64, f64) -> f64,
) -> Vec<f64> {
    let h = grid.h();
    (1..grid.n)
        .map(|k| {
            let x = grid.face(k);
            let z = h * drift(x, 0.0) / diffusion(x, 0.0);
            let g = (diffusion(grid.centre(k - 1), 0.0) * diffusion(grid.centre(k), 0.0)).sqrt();
            (bernoulli(z) * bernoulli(-z)).sqrt() * g / (h * h)
        })
        .collect()
}

/// The potentials of 001 on the cell centres for a gradient drift D = −V′ and G = g²:
/// U₀ = (V′)²/8 = D²/8 and U₁ = −V″/4 = D′/4 (D′ by central differences).
pub fn potentials(grid: &Grid1, drift: &dyn Fn(f64, f64) -> f64) -> (Vec<f64>, Vec<f64>) {
    let eps = 1e-5 * grid.h();
    let u0 = (0..grid.n).map(|i| drift(grid.centre(i), 0.0).powi(2) / 8.0);
    let u1 = (0..grid.n).map(|i| {
        let x = grid.centre(i);
        (drift(x + eps, 0.0) - drift(x - eps, 0.0)) / (8.0 * eps)
    });
    (u0.collect(), u1.collect())
}
