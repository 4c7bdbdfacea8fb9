//! The method of lines for a general PDE ∂ₜu = F(u, x, \[y,\] t) (the `pde` kind): u is held at
//! the n cell centres xᵢ = a + (i + ½)h, spatial operators are second-order centred stencils,
//!
//!   (∂ₓu)ᵢ = (uᵢ₊₁ − uᵢ₋₁)/(2h),   (∂ₓₓu)ᵢ = (uᵢ₊₁ − 2uᵢ + uᵢ₋₁)/h²,
//!
//! with ghost values from the boundary: `Neumann` (zero gradient, u₋₁ = u₀, uₙ = uₙ₋₁),
//! `Periodic`, or `Extrapolate` (the quadratic through the three cells next to the edge,
//! u₋₁ = 3u₀ − 3u₁ + u₂: an open boundary, exact for fields that are quadratic near the edge,
//! such as the potential V = −log P of a Gaussian). A 2D field on n × m cells is stored
//! row-major and the same stencils act along its lines ([`along`], [`laplace2`]; the stencils
//! live in [`super::stencil`]).
//!
//! Time: classical Runge–Kutta 4 (explicit, order 4, stable for Δt ≲ h²/(2ν·dims) with ν the
//! diffusion coefficient), or the implicit backward Euler (order 1) and TR-BDF2 (order 2,
//! L-stable), any step for diffusion, in 1D and 2D alike: Newton's method with the sparse
//! Jacobian of F found by coloured finite differences and solved by faer's sparse LU
//! ([`super::mol_implicit`]).

use super::mol_implicit::Implicit;
use super::BackendError;
use crate::progress::Watch;
use std::sync::atomic::{AtomicBool, Ordering};

pub use super::stencil::{along, dx, dxx, laplace2, Edge, Grid2, Rhs, StepError};

crate::choices! {
    /// Time integrator.
    pub enum Stepper {
        Rk4 = "rk4",
        BackwardEuler = "backward_euler",
        TrBdf2 = "tr_bdf2",
    }
}

/// Settings of one integration.
#[derive(Debug, Clone, PartialEq)]
pub struct MolConfig {
    pub until: f64,
    pub step: f64,
    /// Times to keep (sorted, within [0, until]).
    pub at: Vec<f64>,
    pub stepper: Stepper,
    pub edge: Edge,
    /// The grid's shape (n, m): n × m cells row-major in 2D, (n, 1) in 1D.
    pub cells: (usize, usize),
}

/// u at each of `cfg.at` (the grid is stepped with steps of at most cfg.step, shortened to land
/// on every requested time). Errors name the time and the cell of a non-finite value.
pub fn integrate(
    rhs: &mut Rhs,
    u0: Vec<f64>,
    cfg: &MolConfig,
    watch: &Watch,
) -> Result<Vec<Vec<f64>>, BackendError> {
    let (n, m) = cfg.cells;
    if u0.len() != n * m {
        return Err(BackendError::Shape(format!(
            "{} initial values for a grid of {n} × {m} cells",
            u0.len()
        )));
    }
    let mut implicit = match cfg.stepper {
        Stepper::BackwardEuler | Stepper::TrBdf2 => Some(Implicit::new(cfg.cells, cfg.edge)),
        Stepper::Rk4 => None,
    };
    let mut u = u0;
    let meter = watch.meter(if watch.is_told() {
        steps(cfg, watch.stop())
    } else {
        0
    });
    let mut done = meter.tally((n * m) as u64 * 16);
    let (mut t, mut kept) = (0.0, Vec::with_capacity(cfg.at.len()));
    for &target in &cfg.at {
        while t < target - 1e-12 * cfg.until.max(1.0) {
            super::check_interrupt(watch.stop())?;
            let h = cfg.step.min(target - t);
            u = match &mut implicit {
                None => rk4(rhs, &u, t, h),
                Some(newton) => newton.step(rhs, &u, t, h, cfg.stepper == Stepper::TrBdf2),
            }
            .map_err(|e| BackendError::Numerical(format!("at t = {t}: {e}")))?;
            t += h;
            if let Some(i) = u.iter().position(|v| !v.is_finite()) {
                return Err(BackendError::NotFinite {
                    place: Box::new(super::Place {
                        time: Some(("t", t)),
                        cell: Some(i),
                        ..Default::default()
                    }),
                    quantity: "the field".into(),
                    value: u[i],
                    hint: "with rk4 reduce `step` (explicit stability needs step ≲ h²/(2ν·dims)) or use an implicit scheme (\"tr_bdf2\", \"backward_euler\")",
                });
            }
            done.one();
        }
        kept.push(u.clone());
    }
    Ok(kept)
}

/// The number of steps [`integrate`] takes (the same loop on the time alone), counted until
/// `stop` is raised or a step no longer moves the time (then [`integrate`] never ends either,
/// until it is interrupted).
fn steps(cfg: &MolConfig, stop: &AtomicBool) -> u64 {
    let (mut t, mut count) = (0.0f64, 0u64);
    for &target in &cfg.at {
        while t < target - 1e-12 * cfg.until.max(1.0) {
            let next = t + cfg.step.min(target - t);
            let stopped = count % 4096 == 0 && stop.load(Ordering::Relaxed);
            if next == t || stopped {
                return count;
            }
            (t, count) = (next, count + 1);
        }
    }
    count
}

fn axpy(u: &[f64], c: f64, k: &[f64]) -> Vec<f64> {
    u.iter().zip(k).map(|(a, b)| a + c * b).collect()
}

fn rk4(rhs: &mut Rhs, u: &[f64], t: f64, h: f64) -> Result<Vec<f64>, StepError> {
    let k1 = rhs(u, t)?;
    let k2 = rhs(&axpy(u, 0.5 * h, &k1), t + 0.5 * h)?;
    let k3 = rhs(&axpy(u, 0.5 * h, &k2), t + 0.5 * h)?;
    let k4 = rhs(&axpy(u, h, &k3), t + h)?;
    Ok((0..u.len())
        .map(|i| u[i] + h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Heat equation uₜ = uₓₓ on a ring of length 2π from sin x: u = e^{−t} sin x (up to the
    /// O(h²) stencil error, which makes the decay rate (2 − 2cos h)/h²).
    fn heat_error(stepper: Stepper, step: f64, n: usize) -> f64 {
        let h = 2.0 * std::f64::consts::PI / n as f64;
        let x: Vec<f64> = (0..n).map(|i| (i as f64 + 0.5) * h).collect();
        let u0: Vec<f64> = x.iter().map(|v| v.sin()).collect();
        let cfg = MolConfig {
            until: 1.0,
            step,
            at: vec![1.0],
            stepper,
            edge: Edge::Periodic,
            cells: (n, 1),
        };
        let mut rhs = |u: &[f64], _t: f64| Ok(dxx(u, h, Edge::Periodic));
        let out = integrate(&mut rhs, u0, &cfg, &crate::progress::Watch::default()).unwrap();
        let rate = (2.0 - 2.0 * h.cos()) / (h * h);
        x.iter()
            .zip(&out[0])
            .map(|(v, u)| (u - (-rate).exp() * v.sin()).abs())
            .fold(0.0, f64::max)
    }

    #[test]
    fn time_orders_are_four_and_one() {
        let (a, b) = (
            heat_error(Stepper::Rk4, 0.01, 32),
            heat_error(Stepper::Rk4, 0.005, 32),
        );
        let p = (a / b).log2();
        assert!((p - 4.0).abs() < 0.3, "rk4 order {p} ({a}, {b})");
        let (a, b) = (
            heat_error(Stepper::BackwardEuler, 0.02, 32),
            heat_error(Stepper::BackwardEuler, 0.01, 32),
        );
        let p = (a / b).log2();
        assert!((p - 1.0).abs() < 0.1, "backward Euler order {p} ({a}, {b})");
    }

    #[test]
    fn stencils_are_second_order_and_respect_the_edges() {
        let u = [1.0, 2.0, 4.0];
        assert_eq!(dx(&u, 1.0, Edge::Neumann), vec![0.5, 1.5, 1.0]);
        assert_eq!(dxx(&u, 1.0, Edge::Periodic), vec![4.0, 1.0, -5.0]);
        // Quadratic extrapolation makes both stencils exact for a quadratic, edges included.
        let q: Vec<f64> = (0..5).map(|i| (i as f64).powi(2)).collect();
        assert_eq!(dxx(&q, 1.0, Edge::Extrapolate), vec![2.0; 5]);
        assert_eq!(
            dx(&q, 1.0, Edge::Extrapolate),
            vec![0.0, 2.0, 4.0, 6.0, 8.0]
        );
    }

    #[test]
    fn the_2d_laplacian_of_a_quadratic_is_exact_with_extrapolated_edges() {
        let g = Grid2 {
            n: 4,
            m: 3,
            hx: 0.5,
            hy: 0.25,
        };
        let u: Vec<f64> = (0..12)
            .map(|k| {
                let (x, y) = ((k / 3) as f64 * 0.5, (k % 3) as f64 * 0.25);
                x * x + 3.0 * y * y
            })
            .collect();
        let l = laplace2(&u, g, Edge::Extrapolate);
        assert!(l.iter().all(|v| (v - 8.0).abs() < 1e-9), "{l:?}");
        let ux = along(&u, g, 0, |line| dx(line, g.hx, Edge::Extrapolate));
        assert!((ux[4] - 2.0 * 0.5).abs() < 1e-12, "{ux:?}");
    }

    #[test]
    fn blow_up_is_an_error_naming_the_time() {
        let cfg = MolConfig {
            until: 10.0,
            step: 0.1,
            at: vec![10.0],
            stepper: Stepper::Rk4,
            edge: Edge::Neumann,
            cells: (4, 1),
        };
        let mut rhs = |u: &[f64], _t: f64| Ok(dxx(u, 1e-3, Edge::Neumann));
        let e = integrate(
            &mut rhs,
            vec![0.0, 1.0, 0.0, 2.0],
            &cfg,
            &crate::progress::Watch::default(),
        );
        match e.unwrap_err() {
            BackendError::NotFinite {
                place, quantity, ..
            } => {
                assert!(place.time.is_some_and(|(name, t)| name == "t" && t > 0.0));
                assert!(place.cell.is_some() && quantity == "the field");
            }
            other => panic!("{other}"),
        }
    }
}
