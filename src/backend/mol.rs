//! The method of lines for a general 1D PDE ∂ₜu = F(u, x, t) (the `pde` kind): u is held at
//! the n cell centres xᵢ = a + (i + ½)h, spatial operators are second-order centred stencils,
//!
//!   (∂ₓu)ᵢ = (uᵢ₊₁ − uᵢ₋₁)/(2h),   (∂ₓₓu)ᵢ = (uᵢ₊₁ − 2uᵢ + uᵢ₋₁)/h²,
//!
//! with ghost values from the boundary: `Neumann` (zero gradient, u₋₁ = u₀, uₙ = uₙ₋₁),
//! `Periodic`, or `Extrapolate` (the quadratic through the three cells next to the edge,
//! u₋₁ = 3u₀ − 3u₁ + u₂: an open boundary, exact for fields that are quadratic near the edge,
//! such as the potential V = −log P of a Gaussian). Time: classical Runge–Kutta 4 (explicit, order 4, stable for Δt ≲ h²/(2ν) with
//! ν the diffusion coefficient), or backward Euler (implicit, order 1) solved by Newton's
//! method with the tridiagonal Jacobian of F found by coloured finite differences (three
//! right-hand-side evaluations, since each Fᵢ depends on uᵢ₋₁, uᵢ, uᵢ₊₁ only).

use super::fokker_planck::tridiagonal::{thomas, Tridiag};
use super::BackendError;
use std::sync::atomic::{AtomicBool, Ordering};

/// Ghost values at the two ends of the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    Neumann,
    Periodic,
    Extrapolate,
}

impl Edge {
    pub fn parse(s: &str) -> Option<Edge> {
        match s {
            "neumann" | "reflecting" => Some(Edge::Neumann),
            "periodic" => Some(Edge::Periodic),
            "extrapolate" => Some(Edge::Extrapolate),
            _ => None,
        }
    }

    /// (u₋₁, uₙ).
    fn ghosts(self, u: &[f64]) -> (f64, f64) {
        let n = u.len();
        match self {
            Edge::Neumann => (u[0], u[n - 1]),
            Edge::Periodic => (u[n - 1], u[0]),
            Edge::Extrapolate if n >= 3 => (
                3.0 * u[0] - 3.0 * u[1] + u[2],
                3.0 * u[n - 1] - 3.0 * u[n - 2] + u[n - 3],
            ),
            Edge::Extrapolate => (u[0], u[n - 1]),
        }
    }
}

/// The neighbours (uᵢ₋₁, uᵢ₊₁) of every cell.
fn neighbours(u: &[f64], edge: Edge) -> impl Iterator<Item = (f64, f64)> + '_ {
    let (left, right) = edge.ghosts(u);
    let n = u.len();
    (0..n).map(move |i| {
        let l = if i == 0 { left } else { u[i - 1] };
        let r = if i + 1 == n { right } else { u[i + 1] };
        (l, r)
    })
}

/// Centred first derivative.
pub fn dx(u: &[f64], h: f64, edge: Edge) -> Vec<f64> {
    neighbours(u, edge)
        .map(|(l, r)| (r - l) / (2.0 * h))
        .collect()
}

/// Centred second derivative.
pub fn dxx(u: &[f64], h: f64, edge: Edge) -> Vec<f64> {
    neighbours(u, edge)
        .zip(u)
        .map(|((l, r), c)| (r - 2.0 * c + l) / (h * h))
        .collect()
}

/// Most Newton iterations of one backward-Euler step.
const NEWTON_ITERATIONS: usize = 20;

/// A 2D field of n × m cells stored row-major (index i·m + j, i along x, j along y).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid2 {
    pub n: usize,
    pub m: usize,
    pub hx: f64,
    pub hy: f64,
}

/// Apply a 1D stencil along x (axis 0: the lines j = const) or y (axis 1: i = const).
pub fn along(u: &[f64], g: Grid2, axis: usize, stencil: impl Fn(&[f64]) -> Vec<f64>) -> Vec<f64> {
    let mut out = vec![0.0; u.len()];
    if axis == 1 {
        for (row, o) in u.chunks(g.m).zip(out.chunks_mut(g.m)) {
            o.copy_from_slice(&stencil(row));
        }
    } else {
        for j in 0..g.m {
            let line: Vec<f64> = (0..g.n).map(|i| u[i * g.m + j]).collect();
            for (i, v) in stencil(&line).into_iter().enumerate() {
                out[i * g.m + j] = v;
            }
        }
    }
    out
}

/// The 5-point Laplacian ∂ₓₓu + ∂ᵧᵧu of a 2D field.
pub fn laplace2(u: &[f64], g: Grid2, edge: Edge) -> Vec<f64> {
    let xx = along(u, g, 0, |l| dxx(l, g.hx, edge));
    let yy = along(u, g, 1, |l| dxx(l, g.hy, edge));
    xx.iter().zip(&yy).map(|(a, b)| a + b).collect()
}

/// Time integrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stepper {
    Rk4,
    BackwardEuler,
}

impl Stepper {
    pub fn parse(s: &str) -> Option<Stepper> {
        match s {
            "rk4" => Some(Stepper::Rk4),
            "backward_euler" => Some(Stepper::BackwardEuler),
            _ => None,
        }
    }
}

/// The right-hand side F(u, t); an error message stops the run.
pub type Rhs<'a> = dyn FnMut(&[f64], f64) -> Result<Vec<f64>, String> + 'a;

/// Settings of one integration.
#[derive(Debug, Clone, PartialEq)]
pub struct MolConfig {
    pub until: f64,
    pub step: f64,
    /// Times to keep (sorted, within [0, until]).
    pub at: Vec<f64>,
    pub stepper: Stepper,
    pub edge: Edge,
}

/// u at each of `cfg.at` (the grid is stepped with steps of at most cfg.step, shortened to land
/// on every requested time). Errors name the time and the cell of a non-finite value.
pub fn integrate(
    rhs: &mut Rhs,
    u0: Vec<f64>,
    cfg: &MolConfig,
    stop: &AtomicBool,
) -> Result<Vec<Vec<f64>>, BackendError> {
    let mut u = u0;
    let (mut t, mut kept) = (0.0, Vec::with_capacity(cfg.at.len()));
    for &target in &cfg.at {
        while t < target - 1e-12 * cfg.until.max(1.0) {
            if stop.load(Ordering::Relaxed) {
                return Err(BackendError::Numerical("interrupted".into()));
            }
            let h = cfg.step.min(target - t);
            u = match cfg.stepper {
                Stepper::Rk4 => rk4(rhs, &u, t, h),
                Stepper::BackwardEuler => backward_euler(rhs, &u, t, h, cfg.edge),
            }
            .map_err(|e| BackendError::Numerical(format!("at t = {t}: {e}")))?;
            t += h;
            if let Some(i) = u.iter().position(|v| !v.is_finite()) {
                return Err(BackendError::Numerical(format!(
                    "at t = {t} the field is {} in cell {i}; with rk4 reduce `step` (explicit stability needs step ≲ h²/(2ν)) or use scheme = \"backward_euler\"",
                    u[i]
                )));
            }
        }
        kept.push(u.clone());
    }
    Ok(kept)
}

fn axpy(u: &[f64], c: f64, k: &[f64]) -> Vec<f64> {
    u.iter().zip(k).map(|(a, b)| a + c * b).collect()
}

fn rk4(rhs: &mut Rhs, u: &[f64], t: f64, h: f64) -> Result<Vec<f64>, String> {
    let k1 = rhs(u, t)?;
    let k2 = rhs(&axpy(u, 0.5 * h, &k1), t + 0.5 * h)?;
    let k3 = rhs(&axpy(u, 0.5 * h, &k2), t + 0.5 * h)?;
    let k4 = rhs(&axpy(u, h, &k3), t + h)?;
    Ok((0..u.len())
        .map(|i| u[i] + h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]))
        .collect())
}

/// Colour of each column so that columns of one colour are at least three apart (cyclically
/// when periodic): j mod 3, with the last n mod 3 columns of a periodic grid on their own.
fn colours(n: usize, edge: Edge) -> Vec<usize> {
    let body = if edge == Edge::Periodic { n - n % 3 } else { n };
    (0..n)
        .map(|j| if j < body { j % 3 } else { 3 + j - body })
        .collect()
}

/// ∂F/∂u at (u, t) by forward differences per colour: its tridiagonal part, and with
/// extrapolated edges the two entries outside it, ∂F₀/∂u₂ and ∂Fₙ₋₁/∂uₙ₋₃ (column 2 and
/// column n − 3 have colours that no other neighbour of rows 0 and n − 1 shares).
fn jacobian(
    rhs: &mut Rhs,
    u: &[f64],
    f0: &[f64],
    t: f64,
    edge: Edge,
) -> Result<(Tridiag, [f64; 2]), String> {
    let n = u.len();
    let colour = colours(n, edge);
    let mut jac = Tridiag::zeros(n, edge == Edge::Periodic);
    let mut outside = [0.0; 2];
    let eps: Vec<f64> = u.iter().map(|x| 1e-7 * x.abs().max(1.0)).collect();
    for c in 0..=colour.iter().copied().max().unwrap_or(0) {
        let mut v = u.to_vec();
        for j in (0..n).filter(|&j| colour[j] == c) {
            v[j] += eps[j];
        }
        let f1 = rhs(&v, t)?;
        let slope = |i: usize, j: usize| (f1[i] - f0[i]) / eps[j];
        for j in (0..n).filter(|&j| colour[j] == c) {
            jac.di[j] = slope(j, j);
            if j + 1 < n || edge == Edge::Periodic {
                jac.lo[(j + 1) % n] = slope((j + 1) % n, j);
            }
            if j > 0 || edge == Edge::Periodic {
                jac.up[(j + n - 1) % n] = slope((j + n - 1) % n, j);
            }
        }
        if edge == Edge::Extrapolate && n >= 4 {
            if colour[2] == c {
                outside[0] = slope(0, 2);
            }
            if colour[n - 3] == c {
                outside[1] = slope(n - 1, n - 3);
            }
        }
    }
    Ok((jac, outside))
}

/// Solve (I − hJ) δ = r in place. With extrapolated edges the entries outside the band are
/// removed first by subtracting a multiple of the neighbouring row (exact elimination).
fn newton_solve(jac: &Tridiag, outside: [f64; 2], h: f64, r: &mut [f64]) -> Result<(), String> {
    if jac.cyclic {
        return jac.solve_shifted(h, r).map_err(|e| e.to_string());
    }
    let n = r.len();
    let mut a: Vec<f64> = jac.lo.iter().map(|v| -h * v).collect();
    let mut b: Vec<f64> = jac.di.iter().map(|v| 1.0 - h * v).collect();
    let mut c: Vec<f64> = jac.up.iter().map(|v| -h * v).collect();
    if n >= 4 && outside != [0.0, 0.0] {
        // Row 0 has −h·outside[0] in column 2; row 1 has c[1] there.
        let f = -h * outside[0] / c[1];
        b[0] -= f * a[1];
        c[0] -= f * b[1];
        r[0] -= f * r[1];
        // Row n − 1 has −h·outside[1] in column n − 3; row n − 2 has a[n − 2] there.
        let g = -h * outside[1] / a[n - 2];
        a[n - 1] -= g * b[n - 2];
        b[n - 1] -= g * c[n - 2];
        r[n - 1] -= g * r[n - 2];
    }
    thomas(&a, &b, &c, r).map_err(|e| e.to_string())
}

/// Backward Euler: solve w − u − hF(w, t + h) = 0 by Newton from w = u.
fn backward_euler(
    rhs: &mut Rhs,
    u: &[f64],
    t: f64,
    h: f64,
    edge: Edge,
) -> Result<Vec<f64>, String> {
    let mut w = u.to_vec();
    for _ in 0..NEWTON_ITERATIONS {
        let f = rhs(&w, t + h)?;
        let mut r: Vec<f64> = (0..w.len()).map(|i| u[i] + h * f[i] - w[i]).collect();
        let size = r.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let scale = w.iter().fold(1.0f64, |m, v| m.max(v.abs()));
        if size <= 1e-10 * scale {
            return Ok(w);
        }
        let (jac, outside) = jacobian(rhs, &w, &f, t + h, edge)?;
        newton_solve(&jac, outside, h, &mut r)?;
        for (wi, d) in w.iter_mut().zip(&r) {
            *wi += d;
        }
    }
    Err(format!(
        "Newton's method did not converge in {NEWTON_ITERATIONS} iterations; reduce `step`"
    ))
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
        };
        let mut rhs = |u: &[f64], _t: f64| Ok(dxx(u, h, Edge::Periodic));
        let out = integrate(&mut rhs, u0, &cfg, &AtomicBool::new(false)).unwrap();
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
        assert_eq!(colours(7, Edge::Periodic), vec![0, 1, 2, 0, 1, 2, 3]);
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
        };
        let mut rhs = |u: &[f64], _t: f64| Ok(dxx(u, 1e-3, Edge::Neumann));
        let e = integrate(
            &mut rhs,
            vec![0.0, 1.0, 0.0, 2.0],
            &cfg,
            &AtomicBool::new(false),
        );
        assert!(e.unwrap_err().to_string().contains("at t = "));
    }
}
