//! Fokker–Planck equations in 1D and 2D by conservative finite volumes.
//!
//! Convention (001, "time-dependent dynamics", with g² = G):
//!     ∂ₜP = −∇·(D P) + Δ(G P),
//! the density of the Itô SDE dX = D dt + √(2G) dW. `diffusion` in a script is G = g² (so
//! ½σ² in the ∂ₜP = −∂ₓ(DP) + ½∂ₓₓ(σ²P) form of 000 eq. 11). For a gradient drift
//! D = −V′ and constant G the stationary density is e^{−V/G}/Z.
//!
//! - [`operator`]: the 1D generator with the Scharfetter–Gummel flux.
//! - [`tridiagonal`]: Thomas / cyclic solves.
//! - [`stepping`]: backward Euler and TR-BDF2 steps.
//! - [`solve1d`], [`solve2d`]: time loops, saved densities, moments, currents.
//! - [`full2d`]: the unsplit 2D generator as a sparse matrix; the 2D stationary density.
//! - [`hamiltonian2d`]: H_FP on a 2D grid for drifts in detailed balance.
//! - [`spectrum`]: the stationary density and the Fokker–Planck Hamiltonian H_FP = ½L†L.
//! - [`measures`]: moments and distances between densities (000 eq. 28).

pub mod full2d;
pub mod hamiltonian2d;
pub mod measures;
pub mod operator;
pub mod solve1d;
pub mod solve2d;
pub mod spectrum;
pub mod stepping;
pub mod tridiagonal;

use super::BackendError;

crate::choices! {
    /// What happens at the edges of the domain.
    pub enum Boundary {
        /// Zero flux through the boundary.
        Reflecting = "reflecting",
        /// P = 0 on the boundary: mass leaves the domain.
        Absorbing = "absorbing",
        /// The last cell joins the first.
        Periodic = "periodic",
    }
}

crate::choices! {
    /// 2D time stepping: along x and y lines (Strang for TR-BDF2, Lie for backward Euler), or
    /// with the whole operator (sparse LU).
    pub enum Splitting {
        Dimensional = "dimensional",
        None = "none",
    }
}

crate::choices! {
    /// The time stepper.
    pub enum Scheme {
        /// TR-BDF2: second order, L-stable.
        TrBdf2 = "tr_bdf2",
        /// Backward Euler: first order, positivity preserving.
        BackwardEuler = "backward_euler",
    }
}

/// Save times: ascending, in [0, until], ending at `until`.
pub fn save_times(at: &[f64], until: f64) -> Result<Vec<f64>, BackendError> {
    if !(until.is_finite() && until > 0.0) {
        return Err(BackendError::Invalid(format!(
            "`until` must be a finite time > 0, but is {until}"
        ))
        .at("until"));
    }
    if let Some(t) = at
        .iter()
        .find(|t| !(t.is_finite() && **t >= 0.0 && **t <= until))
    {
        return Err(BackendError::Invalid(format!(
            "save time {t} is outside [0, until = {until}]"
        ))
        .at("at"));
    }
    if at.windows(2).any(|w| w[1] <= w[0]) {
        return Err(
            BackendError::Invalid("save times `at` must be strictly increasing".into()).at("at"),
        );
    }
    let mut out = at.to_vec();
    if out.last() != Some(&until) {
        out.push(until);
    }
    Ok(out)
}

/// Check a step size and a density after a step.
pub(crate) fn check_dt(dt: f64) -> Result<(), BackendError> {
    if dt.is_finite() && dt > 0.0 {
        Ok(())
    } else {
        Err(BackendError::Invalid(format!(
            "the time step dt must be finite and > 0, but is {dt}"
        ))
        .at("dt"))
    }
}

/// Most cells of a grid (1D or 2D) and most time steps of one run.
pub const MAX_CELLS: usize = 10_000_000;
pub const MAX_STEPS: f64 = 1e8;

/// Check the number of steps `until / dt` before allocating or stepping.
pub(crate) fn check_work(cells: usize, until: f64, dt: f64) -> Result<(), BackendError> {
    if cells > MAX_CELLS {
        return Err(BackendError::Invalid(format!(
            "{cells} cells is more than this solver takes ({MAX_CELLS})"
        ))
        .at("domain"));
    }
    if until / dt > MAX_STEPS {
        return Err(BackendError::Invalid(format!(
            "until / dt = {:.3e} steps is more than this solver takes ({MAX_STEPS:e}); raise dt",
            until / dt
        ))
        .at("dt"));
    }
    Ok(())
}

pub(crate) fn check_finite(p: &[f64], step: usize, t: f64) -> Result<(), BackendError> {
    match p.iter().position(|v| !v.is_finite()) {
        Some(i) => Err(BackendError::NotFinite {
            place: Box::new(crate::backend::Place {
                step: Some(step),
                time: Some(("t", t)),
                cell: Some(i),
                ..Default::default()
            }),
            quantity: "the density".into(),
            value: p[i],
            hint: "",
        }),
        None => Ok(()),
    }
}
#[cfg(test)]
mod tests;
