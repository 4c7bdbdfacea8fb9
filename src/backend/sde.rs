//! Stochastic differential equations with diagonal noise,
//!
//!   dX_i = a_i(X, t) dt + b_i(X, t) dW_i,   i = 0 … d − 1,
//!
//! each component driven by its own Wiener process (additive noise is the case b independent
//! of X). The schemes are stated for Itô calculus; a Stratonovich equation (`∘dW`) is
//! integrated as the equivalent Itô equation, whose drift is ā_i = a_i + ½ b_i ∂_i b_i.
//!
//! Derivatives ∂_i b_i (Milstein's correction, the Stratonovich drift) are central differences
//! [b_i(x + δ) − b_i(x − δ)] / (2δ_i) with δ_i = 10⁻⁵·max(1, |x_i|), every component shifted
//! at once: exact for diagonal noise, where b_i depends on x_i (and t) only, with an error
//! O(δ²) ≈ 10⁻¹⁰ far below any scheme's. If b_i also depends on other components, the
//! Milstein terms would need Lévy areas; the schemes then keep only the diagonal terms and
//! their strong order falls to ½.
//!
//! Step h, ΔW_i ~ N(0, h):
//! - `euler_maruyama`: X ← X + ā h + b ΔW. Strong order ½ (1 for additive noise), weak order 1.
//! - `milstein`: X ← X + ā h + b ΔW + ½ b ∂b (ΔW² − h). Strong order 1, weak order 1.
//! - `srk`: Platen's explicit weak order 2.0 scheme (Kloeden–Platen 15.1.1), with
//!   Ῡ = X + ā h + b ΔW and Υ± = X + ā h ± b √h (evaluated at t + h):
//!   X ← X + ½[ā(Ῡ) + ā] h + ¼[b(Υ⁺) + b(Υ⁻) + 2b] ΔW + ¼[b(Υ⁺) − b(Υ⁻)](ΔW² − h)/√h.
//!   Weak order 2; with Gaussian increments it contains the Milstein term, so strong order 1.
//!
//! Runs are independent, each with its own stream `rng::stream(seed, point, label, run)`
//! (initial state first, then the increments step by step), so results do not depend on the
//! thread count. Memory: the final states (runs × d), per recorded time the running mean and
//! variance of each component (records × d), paths of d = 1 runs for the first `keep_paths`
//! runs, and the trajectories of one chunk of [`CHUNK`] runs at a time.

use super::rng::{stream, Rng};
use super::{BackendError, Place};
use crate::progress::{Meter, Watch};
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

/// Runs integrated in parallel before their records are folded into the statistics.
pub const CHUNK: usize = 256;

crate::choices! {
    /// The integration scheme.
    pub enum Scheme {
        /// Euler–Maruyama: strong order ½, weak order 1.
        EulerMaruyama = "euler_maruyama",
        /// Milstein (diagonal noise): strong order 1.
        Milstein = "milstein",
        /// Platen's explicit weak order 2 scheme.
        Srk = "srk",
    }
}

crate::choices! {
    /// How the noise term b(X)∘dW is read.
    pub enum Calculus {
        Ito = "ito",
        Stratonovich = "stratonovich",
    }
}

/// Why a step could not be taken.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StepFail {
    /// Component i of the state stopped being finite.
    NotFinite(usize),
    /// Milstein's scheme met non-commutative noise: L^j B_ik ≠ L^k B_ij (the two values).
    NotCommutative {
        i: usize,
        j: usize,
        k: usize,
        values: (f64, f64),
    },
}

/// One scheme's step for one run: how many Wiener increments it takes per step, and the step.
pub trait Advance {
    fn wiener(&self) -> usize;
    /// Advance x from t to t + h with Brownian increments dw (and `rng` for any further
    /// random variables the scheme needs, drawn after dw).
    fn advance(
        &mut self,
        x: &mut [f64],
        t: f64,
        h: f64,
        dw: &[f64],
        rng: &mut Rng,
    ) -> Result<(), StepFail>;
}

/// Settings of an ensemble of runs.
#[derive(Debug, Clone)]
pub struct SdeConfig {
    pub dim: usize,
    pub dt: f64,
    pub steps: usize,
    /// Record every k steps (the initial state is record 0).
    pub every: usize,
    pub runs: usize,
    pub scheme: Scheme,
    pub calculus: Calculus,
    pub seed: u64,
    pub point: u64,
    pub label: String,
    /// For d = 1, how many runs keep their whole recorded path.
    pub keep_paths: usize,
}

impl SdeConfig {
    /// Number of recorded times: steps 0, every, 2·every, … ≤ steps.
    pub fn records(&self) -> usize {
        self.steps / self.every.max(1) + 1
    }
}

/// What an ensemble produced.
#[derive(Debug, Clone)]
pub struct SdeOutcome {
    /// Final state of each run.
    pub finals: Vec<Vec<f64>>,
    /// Recorded times.
    pub times: Vec<f64>,
    /// Mean and unbiased variance over runs, per record and component (records × d, row-major).
    pub mean: Vec<f64>,
    pub variance: Vec<f64>,
    /// Recorded paths of the first `keep_paths` runs (d = 1 only).
    pub paths: Vec<Vec<f64>>,
}

/// One integration step of a scheme: the vector fields and work buffers. Fields are called
/// as `f(xt, out)` with `xt` the state followed by the time, and fill `out` with d values.
pub struct Stepper<'f, A, B> {
    a: &'f A,
    b: &'f B,
    scheme: Scheme,
    calculus: Calculus,
    xt: Vec<f64>,
    drift: Vec<f64>,
    diff: Vec<f64>,
    bdb: Vec<f64>,
    plus: Vec<f64>,
    minus: Vec<f64>,
    // Platen's scheme: ā(x), b(x), the supporting values Ῡ, Υ± and b(Υ±).
    a0: Vec<f64>,
    b0: Vec<f64>,
    y: Vec<f64>,
    up: Vec<f64>,
    um: Vec<f64>,
    bp: Vec<f64>,
    bm: Vec<f64>,
}

impl<'f, A, B> Stepper<'f, A, B>
where
    A: Fn(&[f64], &mut [f64]),
    B: Fn(&[f64], &mut [f64]),
{
    pub fn new(dim: usize, scheme: Scheme, calculus: Calculus, a: &'f A, b: &'f B) -> Self {
        Stepper {
            a,
            b,
            scheme,
            calculus,
            xt: vec![0.0; dim + 1],
            drift: vec![0.0; dim],
            diff: vec![0.0; dim],
            bdb: vec![0.0; dim],
            plus: vec![0.0; dim],
            minus: vec![0.0; dim],
            a0: vec![0.0; dim],
            b0: vec![0.0; dim],
            y: vec![0.0; dim],
            up: vec![0.0; dim],
            um: vec![0.0; dim],
            bp: vec![0.0; dim],
            bm: vec![0.0; dim],
        }
    }

    /// Advance x from t to t + h with Brownian increments dw. On a non-finite state, x is
    /// left at the bad value and the offending component is returned.
    pub fn step(&mut self, x: &mut [f64], t: f64, h: f64, dw: &[f64]) -> Result<(), usize> {
        match self.scheme {
            Scheme::EulerMaruyama | Scheme::Milstein => self.taylor_step(x, t, h, dw),
            Scheme::Srk => self.srk_step(x, t, h, dw),
        }
        match x.iter().position(|v| !v.is_finite()) {
            Some(i) => Err(i),
            None => Ok(()),
        }
    }

    /// Euler–Maruyama, plus ½ b∂b (ΔW² − h) for Milstein.
    fn taylor_step(&mut self, x: &mut [f64], t: f64, h: f64, dw: &[f64]) {
        let milstein = self.scheme == Scheme::Milstein;
        self.fields_at(x, t, milstein);
        for (i, xi) in x.iter_mut().enumerate() {
            let mut dx = self.drift[i] * h + self.diff[i] * dw[i];
            if milstein {
                dx += 0.5 * self.bdb[i] * (dw[i] * dw[i] - h);
            }
            *xi += dx;
        }
    }

    /// Platen's weak order 2.0 scheme (see the module documentation).
    fn srk_step(&mut self, x: &mut [f64], t: f64, h: f64, dw: &[f64]) {
        let sqrt_h = h.sqrt();
        self.fields_at(x, t, false);
        std::mem::swap(&mut self.drift, &mut self.a0);
        std::mem::swap(&mut self.diff, &mut self.b0);
        for i in 0..x.len() {
            let base = x[i] + self.a0[i] * h;
            self.y[i] = base + self.b0[i] * dw[i];
            self.up[i] = base + self.b0[i] * sqrt_h;
            self.um[i] = base - self.b0[i] * sqrt_h;
        }
        call(self.b, &mut self.xt, &self.up, t + h, &mut self.bp);
        call(self.b, &mut self.xt, &self.um, t + h, &mut self.bm);
        let y = std::mem::take(&mut self.y);
        self.fields_at(&y, t + h, false);
        self.y = y;
        for i in 0..x.len() {
            let (bp, bm, b0) = (self.bp[i], self.bm[i], self.b0[i]);
            x[i] += 0.5 * (self.drift[i] + self.a0[i]) * h
                + 0.25 * (bp + bm + 2.0 * b0) * dw[i]
                + 0.25 * (bp - bm) * (dw[i] * dw[i] - h) / sqrt_h;
        }
    }

    /// Into `drift` the Itô drift ā (a, or a + ½ b∂b for Stratonovich), into `diff` b, and
    /// into `bdb` b∂b when it is needed (Stratonovich, or `want_bdb`).
    fn fields_at(&mut self, x: &[f64], t: f64, want_bdb: bool) {
        call(self.a, &mut self.xt, x, t, &mut self.drift);
        call(self.b, &mut self.xt, x, t, &mut self.diff);
        let strat = self.calculus == Calculus::Stratonovich;
        if want_bdb || strat {
            self.b_db(x, t);
        }
        if strat {
            for (a, c) in self.drift.iter_mut().zip(&self.bdb) {
                *a += 0.5 * c;
            }
        }
    }

    /// b_i ∂_i b_i by a central difference with δ_i = 10⁻⁵·max(1, |x_i|) (uses `diff` = b(x)).
    fn b_db(&mut self, x: &[f64], t: f64) {
        let d = x.len();
        let delta = |v: f64| 1e-5 * v.abs().max(1.0);
        self.xt[d] = t;
        for (s, v) in self.xt.iter_mut().zip(x) {
            *s = v + delta(*v);
        }
        (self.b)(&self.xt, &mut self.plus);
        for (s, v) in self.xt.iter_mut().zip(x) {
            *s = v - delta(*v);
        }
        (self.b)(&self.xt, &mut self.minus);
        for (i, v) in x.iter().enumerate() {
            let db = (self.plus[i] - self.minus[i]) / (2.0 * delta(*v));
            self.bdb[i] = self.diff[i] * db;
        }
    }
}

impl<A, B> Advance for Stepper<'_, A, B>
where
    A: Fn(&[f64], &mut [f64]),
    B: Fn(&[f64], &mut [f64]),
{
    fn wiener(&self) -> usize {
        self.drift.len()
    }

    fn advance(
        &mut self,
        x: &mut [f64],
        t: f64,
        h: f64,
        dw: &[f64],
        _: &mut Rng,
    ) -> Result<(), StepFail> {
        self.step(x, t, h, dw).map_err(StepFail::NotFinite)
    }
}

/// f(x, t) into `out`, through the buffer `xt` = (x, t).
fn call<F: Fn(&[f64], &mut [f64])>(f: &F, xt: &mut [f64], x: &[f64], t: f64, out: &mut [f64]) {
    let d = x.len();
    xt[..d].copy_from_slice(x);
    xt[d] = t;
    f(xt, out);
}

/// The outcome of one run: its final state and its records (records × d).
struct RunOut {
    last: Vec<f64>,
    records: Vec<f64>,
}

/// Run the ensemble in chunks of [`CHUNK`] parallel runs, folding each chunk's records into
/// the per-time statistics in run order (Welford), so the numbers do not depend on threads.
/// Diagonal noise: b gives d entries.
pub fn run_ensemble<A, B, I>(
    cfg: &SdeConfig,
    a: &A,
    b: &B,
    init: &I,
    watch: &Watch,
) -> Result<SdeOutcome, BackendError>
where
    A: Fn(&[f64], &mut [f64]) + Sync,
    B: Fn(&[f64], &mut [f64]) + Sync,
    I: Fn(usize, &mut Rng) -> Result<Vec<f64>, BackendError> + Sync,
{
    let make = || Stepper::new(cfg.dim, cfg.scheme, cfg.calculus, a, b);
    run_with(cfg, &make, init, watch)
}

/// [`run_ensemble`] with the stepper of each run made by `make` (e.g. a noise matrix's).
pub fn run_with<S, M, I>(
    cfg: &SdeConfig,
    make: &M,
    init: &I,
    watch: &Watch,
) -> Result<SdeOutcome, BackendError>
where
    S: Advance,
    M: Fn() -> S + Sync,
    I: Fn(usize, &mut Rng) -> Result<Vec<f64>, BackendError> + Sync,
{
    if !(cfg.dt > 0.0 && cfg.dt.is_finite()) || cfg.every == 0 || cfg.dim == 0 {
        return Err(BackendError::Invalid(format!(
            "need dim ≥ 1, dt > 0 and every ≥ 1 (dim = {}, dt = {}, every = {})",
            cfg.dim, cfg.dt, cfg.every
        )));
    }
    let (d, records) = (cfg.dim, cfg.records());
    let mut mean = vec![0.0; records * d];
    let mut m2 = vec![0.0; records * d];
    let mut finals = Vec::with_capacity(cfg.runs);
    let mut paths = Vec::new();
    let meter = watch.meter((cfg.runs as u64).saturating_mul(cfg.steps as u64));
    for start in (0..cfg.runs).step_by(CHUNK) {
        let end = (start + CHUNK).min(cfg.runs);
        let outs: Vec<RunOut> = (start..end)
            .into_par_iter()
            .map(|run| {
                let mut rng = stream(cfg.seed, cfg.point, &cfg.label, run as u64);
                let x = init(run, &mut rng)?;
                simulate(cfg, make(), x, run, &mut rng, &meter)
            })
            .collect::<Result<_, _>>()?;
        for (k, out) in outs.into_iter().enumerate() {
            let n = (start + k + 1) as f64;
            for ((m, s), v) in mean.iter_mut().zip(m2.iter_mut()).zip(&out.records) {
                let delta = v - *m;
                *m += delta / n;
                *s += delta * (v - *m);
            }
            if d == 1 && start + k < cfg.keep_paths {
                paths.push(out.records);
            }
            finals.push(out.last);
        }
    }
    let denom = cfg.runs as f64 - 1.0;
    Ok(SdeOutcome {
        finals,
        times: (0..records)
            .map(|r| (r * cfg.every) as f64 * cfg.dt)
            .collect(),
        mean,
        variance: m2.iter().map(|s| s / denom).collect(),
        paths,
    })
}

fn simulate<S: Advance>(
    cfg: &SdeConfig,
    mut stepper: S,
    mut x: Vec<f64>,
    run: usize,
    rng: &mut Rng,
    meter: &Meter,
) -> Result<RunOut, BackendError> {
    if x.len() != cfg.dim {
        return Err(BackendError::Shape(format!(
            "run {run}: the initial state has {} components, the equation {}",
            x.len(),
            cfg.dim
        )));
    }
    if let Some(i) = x.iter().position(|v| !v.is_finite()) {
        return Err(BackendError::Invalid(format!(
            "run {run}: component {i} of the initial state is {}",
            x[i]
        )));
    }
    let mut records = Vec::with_capacity(cfg.records() * cfg.dim);
    records.extend_from_slice(&x);
    let sqrt_dt = cfg.dt.sqrt();
    let mut dw = vec![0.0; stepper.wiener()];
    let mut done = meter.tally((cfg.dim * dw.len()).max(1) as u64 * 16);
    for step in 0..cfg.steps {
        if step % 1024 == 0 {
            super::check_interrupt(meter.stop())?;
        }
        for w in dw.iter_mut() {
            let z: f64 = StandardNormal.sample(rng);
            *w = sqrt_dt * z;
        }
        let t = step as f64 * cfg.dt;
        stepper
            .advance(&mut x, t, cfg.dt, &dw, rng)
            .map_err(|f| step_error(f, &x, run, step, t, cfg.dt))?;
        if (step + 1) % cfg.every == 0 {
            records.extend_from_slice(&x);
        }
        done.one();
    }
    Ok(RunOut { last: x, records })
}

/// A failed step as the error of its run.
fn step_error(f: StepFail, x: &[f64], run: usize, step: usize, t: f64, h: f64) -> BackendError {
    match f {
        StepFail::NotFinite(i) => BackendError::NotFinite {
            place: Box::new(Place {
                run: Some(("run", run)),
                step: Some(step),
                time: Some(("t", t + h)),
                cell: None,
            }),
            quantity: format!("component {i} of the state"),
            value: x[i],
            hint: "reduce dt or check the drift and diffusion",
        },
        StepFail::NotCommutative { i, j, k, values: (p, q) } => BackendError::Setting {
            field: "scheme",
            error: Box::new(BackendError::Invalid(format!(
                "milstein needs commutative noise, but at run {run}, step {step} (t = {t}) L^{j} B[{i}, {k}] = {p} differs from L^{k} B[{i}, {j}] = {q} (L^j = Σ_l B[l, j] ∂_l): the scheme would need the Lévy areas of the noises; use scheme = \"euler_maruyama\" or \"srk\" (weak order 2)"
            ))),
        },
    }
}

#[cfg(test)]
#[path = "sde_tests.rs"]
mod tests;
