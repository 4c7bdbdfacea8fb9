//! 2D equations on a box of n × m cells by dimensional (operator) splitting.
//!
//! The 2D finite-volume generator is A = Aₓ + A_y, where Aₓ acts along each row of cells at
//! fixed y with the 1D Scharfetter–Gummel flux of [`super::operator`] (drift component Dₓ,
//! diffusion G), and A_y along each column. Each sub-step is a set of independent tridiagonal
//! solves, O(nm):
//! - backward Euler: Lie splitting, Pⁿ⁺¹ = (I − ΔtA_y)⁻¹(I − ΔtAₓ)⁻¹Pⁿ — first order in Δt,
//!   and P ≥ 0 (a product of M-matrix inverses);
//! - TR-BDF2: Strang splitting, x by Δt/2, y by Δt, x by Δt/2, each sub-step TR-BDF2 —
//!   second order in Δt.
//!
//! With `unsplit`, each step is instead taken with the whole operator A (backward Euler or
//! TR-BDF2, sparse LU solves, [`super::full2d`]): no splitting error.
//!
//! Every sub-step conserves the mass of each line, so the total mass is conserved to
//! round-off; the splitting error vanishes when Aₓ and A_y commute (e.g. a separable drift).

use super::full2d::{generator_entries, Unsplit};
use super::operator::{face_currents, generator, Grid1};
use super::solve1d::check_grid;
use super::stepping::{schedule, step, LineSolver};
use super::tridiagonal::Tridiag;
use super::{check_dt, save_times, Boundary, Scheme};
use crate::backend::{check_interrupt, BackendError};
use crate::progress::Watch;
use rayon::prelude::*;
use std::borrow::Cow;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

/// A coefficient of (x, y, t).
pub type Coef2<'a> = &'a (dyn Fn(f64, f64, f64) -> f64 + Sync);

pub struct Fp2Config<'a> {
    pub x: Grid1,
    pub y: Grid1,
    pub boundary: Boundary,
    pub scheme: Scheme,
    pub dt: f64,
    pub until: f64,
    pub at: Vec<f64>,
    pub drift_x: Coef2<'a>,
    pub drift_y: Coef2<'a>,
    pub diffusion: Coef2<'a>,
    pub time_dependent: bool,
    /// Step with the whole 2D operator (sparse LU) instead of dimensional splitting.
    pub unsplit: bool,
    /// Initial cell values, row-major: cell (i, j) at i·m + j (i along x).
    pub init: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fp2Result {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub times: Vec<f64>,
    /// Row-major n × m densities at each save time.
    pub density: Vec<Vec<f64>>,
    pub mass: Vec<f64>,
    /// Means and variances of x and y at each save time.
    pub mean: Vec<[f64; 2]>,
    pub variance: Vec<[f64; 2]>,
    /// Cell-centred current (Jₓ, J_y) of the final density (mean of the two faces), row-major.
    pub current: [Vec<f64>; 2],
    pub steps: usize,
}

/// Which lines a sweep runs along.
#[derive(Clone, Copy, PartialEq)]
enum Axis {
    X,
    Y,
}

struct Lines<'a> {
    cfg: &'a Fp2Config<'a>,
    /// Cached operators (time-independent coefficients): rows along x, columns along y.
    fixed: Option<(Vec<Tridiag>, Vec<Tridiag>)>,
    /// Each line's solver (its kept factors): rows along x, then columns along y.
    solvers: [Vec<Mutex<LineSolver>>; 2],
}

impl<'a> Lines<'a> {
    fn new(cfg: &'a Fp2Config<'a>) -> Self {
        let solvers = |k: usize| (0..k).map(|_| Mutex::default()).collect();
        Lines {
            cfg,
            fixed: None,
            solvers: [solvers(cfg.y.n), solvers(cfg.x.n)],
        }
    }

    /// Assemble every line operator once, at t = 0 (time-independent coefficients only).
    fn fix(&mut self) -> Result<(), BackendError> {
        let ox = (0..self.cfg.y.n).map(|k| self.op(Axis::X, k, 0.0).map(Cow::into_owned));
        let ox = ox.collect::<Result<Vec<_>, _>>()?;
        let oy = (0..self.cfg.x.n).map(|k| self.op(Axis::Y, k, 0.0).map(Cow::into_owned));
        self.fixed = Some((ox, oy.collect::<Result<Vec<_>, _>>()?));
        Ok(())
    }

    /// The operator of line `k` along `axis` at time t.
    fn op(&self, axis: Axis, k: usize, t: f64) -> Result<Cow<'_, Tridiag>, BackendError> {
        if let Some((ox, oy)) = &self.fixed {
            return Ok(Cow::Borrowed(if axis == Axis::X { &ox[k] } else { &oy[k] }));
        }
        let c = self.cfg;
        let op = match axis {
            Axis::X => {
                let y = c.y.centre(k);
                let d = |x: f64, t: f64| (c.drift_x)(x, y, t);
                let g = |x: f64, t: f64| (c.diffusion)(x, y, t);
                generator(&c.x, c.boundary, t, &d, &g)
            }
            Axis::Y => {
                let x = c.x.centre(k);
                let d = |y: f64, t: f64| (c.drift_y)(x, y, t);
                let g = |y: f64, t: f64| (c.diffusion)(x, y, t);
                generator(&c.y, c.boundary, t, &d, &g)
            }
        };
        op.map(Cow::Owned)
    }

    /// The entries of the unsplit generator A(t) = Aₓ + A_y (see [`super::full2d`]).
    fn entries(&self, t: f64) -> Result<Vec<super::full2d::Entry>, BackendError> {
        let rows = (0..self.cfg.y.n).map(|k| self.op(Axis::X, k, t).map(Cow::into_owned));
        let columns = (0..self.cfg.x.n).map(|k| self.op(Axis::Y, k, t).map(Cow::into_owned));
        Ok(generator_entries(
            &rows.collect::<Result<Vec<_>, _>>()?,
            &columns.collect::<Result<Vec<_>, _>>()?,
        ))
    }

    /// Advance every line along `axis` by one step of `dt` from t.
    fn sweep(
        &self,
        axis: Axis,
        p: &mut [f64],
        t: f64,
        dt: f64,
        interrupt: &AtomicBool,
    ) -> Result<(), BackendError> {
        check_interrupt(interrupt)?;
        let scheme = self.cfg.scheme;
        let solvers = &self.solvers[if axis == Axis::X { 0 } else { 1 }];
        self.par_lines(axis, p, |k, line| {
            let op = |t: f64| self.op(axis, k, t);
            let mut solver = solvers[k].lock().unwrap_or_else(|e| e.into_inner());
            step(&op, &mut solver, scheme, line, t, dt)
        })
    }

    /// Run `f(k, line)` on every line k along `axis` of the row-major n × m array `p`, the
    /// lines in parallel (each line's arithmetic is the same on any number of threads).
    fn par_lines<F>(&self, axis: Axis, p: &mut [f64], f: F) -> Result<(), BackendError>
    where
        F: Fn(usize, &mut [f64]) -> Result<(), BackendError> + Sync,
    {
        let (n, m) = (self.cfg.x.n, self.cfg.y.n);
        if axis == Axis::Y {
            return p
                .par_chunks_mut(m)
                .enumerate()
                .try_for_each(|(k, l)| f(k, l));
        }
        // Columns are strided: gather them into a column-major copy and scatter back.
        let mut q = vec![0.0; n * m];
        let src: &[f64] = p;
        q.par_chunks_mut(n).enumerate().try_for_each(|(k, col)| {
            col.iter_mut()
                .enumerate()
                .for_each(|(i, c)| *c = src[i * m + k]);
            f(k, col)
        })?;
        p.par_chunks_mut(m).enumerate().for_each(|(i, row)| {
            row.iter_mut()
                .enumerate()
                .for_each(|(k, r)| *r = q[k * n + i]);
        });
        Ok(())
    }

    fn step(&self, p: &mut [f64], t: f64, dt: f64, stop: &AtomicBool) -> Result<(), BackendError> {
        match self.cfg.scheme {
            Scheme::BackwardEuler => {
                self.sweep(Axis::X, p, t, dt, stop)?;
                self.sweep(Axis::Y, p, t, dt, stop)
            }
            Scheme::TrBdf2 => {
                self.sweep(Axis::X, p, t, 0.5 * dt, stop)?;
                self.sweep(Axis::Y, p, t, dt, stop)?;
                self.sweep(Axis::X, p, t + 0.5 * dt, 0.5 * dt, stop)
            }
        }
    }
}

fn initial(cfg: &Fp2Config) -> Result<Vec<f64>, BackendError> {
    check_grid(&cfg.x)?;
    check_grid(&cfg.y)?;
    let cells = cfg.x.n * cfg.y.n;
    let flat = Grid1 {
        a: 0.0,
        b: cells as f64 * cfg.x.h() * cfg.y.h(),
        n: cells,
    };
    super::solve1d::initial_density(&flat, &cfg.init)
}

/// Solve the 2D equation.
pub fn solve(cfg: &Fp2Config, watch: &Watch) -> Result<Fp2Result, BackendError> {
    check_dt(cfg.dt)?;
    super::check_work(cfg.x.n.saturating_mul(cfg.y.n), cfg.until, cfg.dt)?;
    let times = save_times(&cfg.at, cfg.until)?;
    let mut p = initial(cfg)?;
    let mut lines = Lines::new(cfg);
    if !cfg.time_dependent {
        lines.fix()?;
    }
    let mut out = Fp2Result {
        x: cfg.x.centres(),
        y: cfg.y.centres(),
        times: times.clone(),
        density: Vec::new(),
        mass: Vec::new(),
        mean: Vec::new(),
        variance: Vec::new(),
        current: [Vec::new(), Vec::new()],
        steps: 0,
    };
    let assemble = |t: f64| lines.entries(t);
    let mut unsplit = if cfg.unsplit {
        Some(Unsplit::new(&assemble, cfg.time_dependent, p.len())?)
    } else {
        None
    };
    let mut t = 0.0;
    let interrupt = watch.stop();
    let plan = schedule(0.0, &times, cfg.dt);
    let meter = watch.meter(plan.iter().map(|s| s.1 as u64).sum());
    let mut done = meter.tally(p.len() as u64 * 16);
    for (stop, k, dt) in plan {
        for _ in 0..k {
            check_interrupt(interrupt)?;
            match &mut unsplit {
                Some(u) => u.step(cfg.scheme, &mut p, t, dt)?,
                None => lines.step(&mut p, t, dt, interrupt)?,
            }
            t += dt;
            out.steps += 1;
            super::check_finite(&p, out.steps, t)?;
            done.one();
        }
        t = if k > 0 { stop } else { t };
        let (mass, mean, var) = moments2(cfg, &p);
        out.density.push(p.clone());
        out.mass.push(mass);
        out.mean.push(mean);
        out.variance.push(var);
    }
    out.current = currents(cfg, &p, t)?;
    Ok(out)
}

/// Mass, means and variances of x and y.
pub fn moments2(cfg: &Fp2Config, p: &[f64]) -> (f64, [f64; 2], [f64; 2]) {
    let (n, m) = (cfg.x.n, cfg.y.n);
    let px: Vec<f64> = (0..n).map(|i| p[i * m..(i + 1) * m].iter().sum()).collect();
    let py: Vec<f64> = (0..m).map(|j| (0..n).map(|i| p[i * m + j]).sum()).collect();
    let (hx, hy) = (cfg.x.h(), cfg.y.h());
    let (mass, mx, vx) = super::measures::moments(&cfg.x.centres(), &px, hx * hy);
    let (_, my, vy) = super::measures::moments(&cfg.y.centres(), &py, hx * hy);
    (mass, [mx, my], [vx, vy])
}

fn currents(cfg: &Fp2Config, p: &[f64], t: f64) -> Result<[Vec<f64>; 2], BackendError> {
    let (n, m) = (cfg.x.n, cfg.y.n);
    let (mut jx, mut jy) = (vec![0.0; n * m], vec![0.0; n * m]);
    for j in 0..m {
        let y = cfg.y.centre(j);
        let line: Vec<f64> = (0..n).map(|i| p[i * m + j]).collect();
        let d = |x: f64, t: f64| (cfg.drift_x)(x, y, t);
        let g = |x: f64, t: f64| (cfg.diffusion)(x, y, t);
        let f = face_currents(&cfg.x, cfg.boundary, t, &line, &d, &g)?;
        (0..n).for_each(|i| jx[i * m + j] = 0.5 * (f[i] + f[i + 1]));
    }
    for i in 0..n {
        let x = cfg.x.centre(i);
        let d = |y: f64, t: f64| (cfg.drift_y)(x, y, t);
        let g = |y: f64, t: f64| (cfg.diffusion)(x, y, t);
        let f = face_currents(&cfg.y, cfg.boundary, t, &p[i * m..(i + 1) * m], &d, &g)?;
        (0..m).for_each(|j| jy[i * m + j] = 0.5 * (f[j] + f[j + 1]));
    }
    Ok([jx, jy])
}

/// The stationary density of the time-independent 2D equation: the null vector of the full
/// (unsplit) finite-volume generator A = Aₓ + A_y, so it satisfies A p = 0 to round-off
/// whatever the splitting error of the time steps (see [`super::full2d`]).
pub fn stationary(cfg: &Fp2Config) -> Result<Vec<f64>, BackendError> {
    if cfg.boundary == Boundary::Absorbing || cfg.time_dependent {
        return Err(BackendError::Invalid(
            "a stationary density needs time-independent coefficients and no absorbing boundary"
                .into(),
        ));
    }
    let entries = fixed_entries(cfg)?;
    super::full2d::null_vector(&entries, cfg.x.n * cfg.y.n, cfg.x.h() * cfg.y.h())
}

/// The entries of H_FP = −S/2 for a time-independent 2D run with reflecting walls, given its
/// `stationary` density (see [`super::hamiltonian2d`]; an error unless the drift is in
/// detailed balance on the grid).
pub fn hamiltonian(
    cfg: &Fp2Config,
    stationary: &[f64],
) -> Result<Vec<super::full2d::Entry>, BackendError> {
    if cfg.boundary != Boundary::Reflecting || cfg.time_dependent {
        return Err(BackendError::Invalid(
            "H_FP needs time-independent coefficients and reflecting walls".into(),
        ));
    }
    super::hamiltonian2d::hamiltonian_entries(&fixed_entries(cfg)?, stationary)
}

/// The entries of the time-independent unsplit generator A = Aₓ + A_y.
fn fixed_entries(cfg: &Fp2Config) -> Result<Vec<super::full2d::Entry>, BackendError> {
    check_grid(&cfg.x)?;
    check_grid(&cfg.y)?;
    let mut lines = Lines::new(cfg);
    lines.fix()?;
    lines.entries(0.0)
}
