//! The 1D time loop: steps from t = 0 through every save time, keeping the density there.

use super::operator::{face_currents, generator, Grid1};
use super::stepping::{schedule, step, LineSolver};
use super::tridiagonal::Tridiag;
use super::{check_dt, check_finite, measures, save_times, Boundary, Scheme};
use crate::backend::{check_interrupt, BackendError};
use crate::progress::Watch;
use std::borrow::Cow;

/// A coefficient D(x, t) or G(x, t).
pub type Coef1<'a> = &'a (dyn Fn(f64, f64) -> f64 + Sync);

pub struct Fp1Config<'a> {
    pub grid: Grid1,
    pub boundary: Boundary,
    pub scheme: Scheme,
    /// Largest time step; each interval between save times is cut into equal steps.
    pub dt: f64,
    pub until: f64,
    /// Save times in [0, until] (until is always added).
    pub at: Vec<f64>,
    pub drift: Coef1<'a>,
    pub diffusion: Coef1<'a>,
    /// Whether drift or diffusion depend on t (if not, A is assembled once).
    pub time_dependent: bool,
    /// Initial cell values (any mass > 0; normalised to 1).
    pub init: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fp1Result {
    /// Cell centres and the cell width.
    pub x: Vec<f64>,
    pub h: f64,
    pub times: Vec<f64>,
    /// The density at each save time.
    pub density: Vec<Vec<f64>>,
    pub mass: Vec<f64>,
    pub mean: Vec<f64>,
    pub variance: Vec<f64>,
    /// Face positions and the probability current J through them at the final time.
    pub faces: Vec<f64>,
    pub current: Vec<f64>,
    pub steps: usize,
}

/// Check the grid and normalise the initial density to mass 1.
pub fn initial_density(grid: &Grid1, init: &[f64]) -> Result<Vec<f64>, BackendError> {
    check_grid(grid)?;
    if init.len() != grid.n {
        return Err(BackendError::Shape(format!(
            "the initial density has {} values for {} cells",
            init.len(),
            grid.n
        ))
        .at("init"));
    }
    if let Some(i) = init.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
        return Err(BackendError::Invalid(format!(
            "the initial density must be finite and ≥ 0, but is {} at x = {}",
            init[i],
            grid.centre(i)
        ))
        .at("init"));
    }
    let mass: f64 = init.iter().sum::<f64>() * grid.h();
    if mass <= 0.0 {
        return Err(
            BackendError::Invalid("the initial density has no mass on the domain".into())
                .at("init"),
        );
    }
    Ok(init.iter().map(|v| v / mass).collect())
}

pub fn check_grid(grid: &Grid1) -> Result<(), BackendError> {
    if !(grid.a.is_finite() && grid.b.is_finite() && grid.a < grid.b) {
        return Err(BackendError::Invalid(format!(
            "the domain ({}, {}) must be a finite interval with a < b",
            grid.a, grid.b
        ))
        .at("domain"));
    }
    if grid.n > super::MAX_CELLS {
        return Err(BackendError::Invalid(format!(
            "{} cells is more than this solver takes ({})",
            grid.n,
            super::MAX_CELLS
        ))
        .at("domain"));
    }
    if grid.n < 3 {
        return Err(BackendError::Invalid(format!(
            "the domain needs at least 3 cells, not {}",
            grid.n
        ))
        .at("domain"));
    }
    Ok(())
}

/// Solve the 1D equation; the watch's interrupt stops between steps, and its meter counts
/// the time steps.
pub fn solve(cfg: &Fp1Config, watch: &Watch) -> Result<Fp1Result, BackendError> {
    check_dt(cfg.dt)?;
    super::check_work(cfg.grid.n, cfg.until, cfg.dt)?;
    let times = save_times(&cfg.at, cfg.until)?;
    let mut p = initial_density(&cfg.grid, &cfg.init)?;
    let fixed = if cfg.time_dependent {
        None
    } else {
        Some(generator(
            &cfg.grid,
            cfg.boundary,
            0.0,
            cfg.drift,
            cfg.diffusion,
        )?)
    };
    let op = |t: f64| -> Result<Cow<Tridiag>, BackendError> {
        match &fixed {
            Some(a) => Ok(Cow::Borrowed(a)),
            None => generator(&cfg.grid, cfg.boundary, t, cfg.drift, cfg.diffusion).map(Cow::Owned),
        }
    };
    let (x, h) = (cfg.grid.centres(), cfg.grid.h());
    let mut out = Fp1Result {
        x: x.clone(),
        h,
        times: times.clone(),
        density: Vec::new(),
        mass: Vec::new(),
        mean: Vec::new(),
        variance: Vec::new(),
        faces: (0..=cfg.grid.n).map(|k| cfg.grid.face(k)).collect(),
        current: Vec::new(),
        steps: 0,
    };
    let mut t = 0.0;
    let mut solver = LineSolver::default();
    let plan = schedule(0.0, &times, cfg.dt);
    let meter = watch.meter(plan.iter().map(|s| s.1 as u64).sum());
    let mut done = meter.tally(cfg.grid.n as u64 * 16);
    for (stop, k, dt) in plan {
        for _ in 0..k {
            check_interrupt(watch.stop())?;
            step(&op, &mut solver, cfg.scheme, &mut p, t, dt)?;
            t += dt;
            out.steps += 1;
            check_finite(&p, out.steps, t)?;
            done.one();
        }
        t = if k > 0 { stop } else { t };
        let (m, mean, var) = measures::moments(&x, &p, h);
        out.density.push(p.clone());
        out.mass.push(m);
        out.mean.push(mean);
        out.variance.push(var);
    }
    out.current = face_currents(&cfg.grid, cfg.boundary, t, &p, cfg.drift, cfg.diffusion)?;
    Ok(out)
}
