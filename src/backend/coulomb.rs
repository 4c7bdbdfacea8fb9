//! The stochastic Coulomb gas (Dyson Brownian motion) of N eigenvalues with Dyson index
//! β ∈ {1, 2, 4}:
//!
//!   dx_i = [K_i(x_i) + β g_i² Σ_{j≠i} 1/(x_i − x_j)] dt + √2 g_i dW_i,
//!
//! whose stationary density for K_i = −V′ and equal g is P ∝ Π_{i<j}|x_i − x_j|^β
//! e^{−Σ V(x_i)/g²} (the drift is −∂_i U with U = Σ V − β g² Σ_{i<j} ln|x_i − x_j|, and the
//! noise √2 g makes e^{−U/g²} stationary). In V = x²/2 this is the Gaussian β-ensemble with
//! ⟨Σx_i²⟩ = g²(N + βN(N − 1)/2). The discrete SGD form of source 001,
//! x_i → x_i + α K_i + (α²/|B|) Σ β g̃_i²/(x_i − x_j) + (α/√|B|) √2 g̃_i η_i,
//! is this equation's Euler–Maruyama step with dt = α and g_i² = α g̃_i²/|B|.
//!
//! **Noise that depends on the eigenvalue** (`noise(x, i)`, a [`StateNoise`]): the equation is
//! read in the Itô sense, dx_i = [K_i + β g_i(x_i)² Σ_{j≠i} 1/(x_i − x_j)] dt + √2 g_i(x_i) dW_i,
//! and every step (and every refined sub-step, and the pair step) takes g_i at its start, as
//! Euler–Maruyama does. For one eigenvalue the stationary density is then the Itô one,
//! p ∝ g(x)⁻² exp(∫ K/g² dx).
//!
//! **Collisions.** Plain Euler–Maruyama lets neighbours cross and, landing at a distance
//! d ≪ √dt, kicks them by g²dt/d, which ruins the stationary law. Each Euler–Maruyama step here
//! is accepted only if every nearest-neighbour gap stays within a factor of two of its value
//! (so the order is kept and the repulsion changes little across the step). If one gap fails,
//! that pair is first advanced with its exact two-body (Bessel) step while every other
//! eigenvalue takes the Euler–Maruyama step (see `try_pair_step`); this is accepted if every
//! other gap passes the same test. Otherwise the step is split in two with a Brownian bridge —
//! the increment W(h/2) is drawn conditioned on the increment W(h) already drawn — and each
//! half is tried the same way, so the Brownian path is the same whatever the refinement, only
//! resolved more finely where eigenvalues are close (bisecting before trying the pair step
//! resolves a β = 1 pair no better, since its gap comes arbitrarily close to 0, and cost 5.8×
//! more on the N = 50 benchmark with the same statistics). Both moves are consistent with the SDE to
//! first order in h: the scheme has weak order 1 in dt, and its stationary laws are tested
//! against exact ones (two eigenvalues, 3×3 GOE, ⟨Σx²⟩(t), ⟨Σx²⟩ for β = 2 and 4). After
//! `max_depth` bisections the run stops with its step and the two eigenvalues named.

use super::rng::{stream, Rng};
use super::BackendError;
use crate::progress::{Meter, Watch};
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

use super::coulomb_config::{records, RunResult};
pub use super::coulomb_config::{CoulombConfig, CoulombOutcome, Method, StateNoise, BETAS};

/// Run the ensemble; runs are independent and parallel, each with its own stream. With
/// `noise` given, g_i(x_i) replaces the constant strengths `cfg.g` (eigenvalue method only).
pub fn run_ensemble<D, I>(
    cfg: &CoulombConfig,
    drift: &D,
    noise: Option<StateNoise>,
    init: &I,
    watch: &Watch,
) -> Result<CoulombOutcome, BackendError>
where
    D: Fn(f64, usize, &[f64]) -> f64 + Sync,
    I: Fn(usize, &mut Rng) -> Result<Vec<f64>, BackendError> + Sync,
{
    if cfg.g.len() != cfg.n || !(cfg.dt > 0.0 && cfg.dt.is_finite()) {
        return Err(BackendError::Invalid(format!(
            "need {} noise strengths and dt > 0 (dt = {})",
            cfg.n, cfg.dt
        )));
    }
    if !BETAS.contains(&cfg.beta) {
        let e = format!("the Dyson index β must be 1, 2 or 4, but is {}", cfg.beta);
        return Err(BackendError::Invalid(e).at("beta"));
    }
    if cfg.method == Method::Matrix {
        if noise.is_some() {
            let e = "the matrix method takes a constant noise, not `noise(x, i)`".to_string();
            return Err(BackendError::Invalid(e).at("noise"));
        }
        super::coulomb_matrix::check_equal_noise(&cfg.g)?;
    }
    let meter = watch.meter((cfg.runs as u64).saturating_mul(cfg.steps as u64));
    let results: Vec<RunResult> = (0..cfg.runs)
        .into_par_iter()
        .map(|run| {
            let mut rng = stream(cfg.seed, cfg.point, &cfg.label, run as u64);
            let mut x = init(run, &mut rng)?;
            match cfg.method {
                Method::Eigenvalues => simulate(cfg, drift, noise, x, run, &mut rng, &meter),
                Method::Matrix => {
                    x.sort_by(f64::total_cmp);
                    check_initial(&x, run)?;
                    if cfg.beta == 1 {
                        super::coulomb_matrix::simulate(cfg, drift, &x, run, &mut rng, &meter)
                    } else {
                        super::coulomb_hermitian::simulate(cfg, drift, &x, run, &mut rng, &meter)
                    }
                }
            }
        })
        .collect::<Result<_, _>>()?;
    let refined_steps = results.iter().map(|r| r.2).sum();
    let mut out = CoulombOutcome {
        finals: Vec::with_capacity(cfg.runs),
        history: Vec::new(),
        refined_steps,
    };
    for (end, history, _) in results {
        out.finals.push(end);
        out.history.extend(history);
    }
    Ok(out)
}

fn check_initial(x: &[f64], run: usize) -> Result<(), BackendError> {
    if let Some(v) = x.iter().find(|v| !v.is_finite()) {
        return Err(BackendError::Invalid(format!(
            "run {run}: an initial eigenvalue is {v}"
        )));
    }
    if let Some(w) = x.windows(2).find(|w| w[1] <= w[0]) {
        return Err(BackendError::Invalid(format!(
            "run {run}: initial eigenvalues must be distinct, but two equal {}",
            w[0]
        )));
    }
    Ok(())
}

fn simulate<D: Fn(f64, usize, &[f64]) -> f64>(
    cfg: &CoulombConfig,
    drift: &D,
    noise: Option<StateNoise>,
    mut x: Vec<f64>,
    run: usize,
    rng: &mut Rng,
    meter: &Meter,
) -> Result<RunResult, BackendError> {
    x.sort_by(f64::total_cmp);
    check_initial(&x, run)?;
    let mut stepper = Stepper::new(cfg, noise);
    let sqrt_dt = cfg.dt.sqrt();
    let mut dw = vec![0.0; cfg.n];
    let mut refined = 0u64;
    let mut history = Vec::new();
    let mut done = meter.tally((cfg.n * cfg.n) as u64);
    for step in 0..cfg.steps {
        // a step costs O(N²) or more: polling the flag every step is free and keeps Ctrl-C prompt
        super::check_interrupt(meter.stop())?;
        for w in dw.iter_mut() {
            let z: f64 = StandardNormal.sample(rng);
            *w = sqrt_dt * z;
        }
        let depth = stepper
            .advance(&mut x, cfg.dt, &dw, 0, drift, rng)
            .map_err(|e| e.describe(run, step, &x))?;
        refined += u64::from(depth > 0);
        if records(cfg, step) {
            history.push(x.clone());
        }
        done.one();
    }
    Ok((x, history, refined))
}

/// Why a step could not be completed.
enum StepError {
    /// Eigenvalues i and i + 1 stayed too close after every bisection.
    Collision(usize),
    /// The drift was not finite at eigenvalue i.
    NonFinite(usize, f64),
    /// The state-dependent noise of eigenvalue i was this (not finite, or negative).
    BadNoise(usize, f64),
}

impl StepError {
    fn describe(self, run: usize, step: usize, x: &[f64]) -> BackendError {
        match self {
            StepError::Collision(i) => BackendError::Numerical(format!(
                "run {run}, step {step}: eigenvalues {i} and {} (x = {}, {}) could not be kept apart; reduce dt or check the drift",
                i + 1,
                x[i],
                x.get(i + 1).copied().unwrap_or(f64::NAN)
            )),
            StepError::NonFinite(i, v) => BackendError::NotFinite {
                place: Box::new(super::Place {
                    run: Some(("run", run)),
                    step: Some(step),
                    ..Default::default()
                }),
                quantity: format!("the drift of eigenvalue {i} at x = {}", x[i]),
                value: v,
                hint: "the gas has left the region where the drift is finite",
            },
            StepError::BadNoise(i, v) => BackendError::Numerical(format!(
                "run {run}, step {step}: the noise of eigenvalue {i} at x = {} is {v}; it must be finite and ≥ 0 wherever the gas goes",
                x[i]
            ))
            .at("noise"),
        }
    }
}

/// Σ_{j≠i} 1/(x_i − x_j) for every i, into `out`: each pair's 1/(x_i − x_j) is computed once
/// and added to i and subtracted from j. The sum over j > i runs in four interleaved partial
/// sums (so the compiler can keep them in registers and vectorise the divisions); the order of
/// additions is fixed, so the result does not depend on the thread count.
pub fn repulsion(x: &[f64], out: &mut [f64]) {
    out.iter_mut().for_each(|f| *f = 0.0);
    for i in 0..x.len() {
        let xi = x[i];
        let (head, tail) = out.split_at_mut(i + 1);
        let mut acc = [0.0f64; 4];
        let mut xs = x[i + 1..].chunks_exact(4);
        let mut fs = tail.chunks_exact_mut(4);
        for (xc, fc) in (&mut xs).zip(&mut fs) {
            for k in 0..4 {
                let inv = 1.0 / (xi - xc[k]);
                acc[k] += inv;
                fc[k] -= inv;
            }
        }
        let mut sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        for (xj, fj) in xs.remainder().iter().zip(fs.into_remainder()) {
            let inv = 1.0 / (xi - xj);
            sum += inv;
            *fj -= inv;
        }
        head[i] += sum;
    }
}

/// Work buffers for one run.
struct Stepper<'a> {
    /// g_i², the noise variance rate of eigenvalue i (over 2).
    g2: Vec<f64>,
    /// β g_i², the strength of its repulsion.
    rep: Vec<f64>,
    g: Vec<f64>,
    force: Vec<f64>,
    moves: Vec<f64>,
    max_depth: u32,
    beta: u32,
    /// g_i(x_i), re-evaluated at the start of every (sub-)step; None: the constant `g`.
    noise: Option<StateNoise<'a>>,
}

impl<'a> Stepper<'a> {
    fn new(cfg: &CoulombConfig, noise: Option<StateNoise<'a>>) -> Self {
        let beta = f64::from(cfg.beta);
        Stepper {
            g2: cfg.g.iter().map(|g| g * g).collect(),
            rep: cfg.g.iter().map(|g| beta * (g * g)).collect(),
            g: cfg.g.clone(),
            force: vec![0.0; cfg.n],
            moves: vec![0.0; cfg.n],
            max_depth: cfg.max_depth,
            beta: cfg.beta,
            noise,
        }
    }

    /// With a state-dependent noise, g_i = g_i(x_i) at the start of the step (Itô).
    fn update_noise(&mut self, x: &[f64]) -> Result<(), StepError> {
        let Some(noise) = self.noise else {
            return Ok(());
        };
        let beta = f64::from(self.beta);
        for (i, &xi) in x.iter().enumerate() {
            let g = noise(xi, i);
            if !(g.is_finite() && g >= 0.0) {
                return Err(StepError::BadNoise(i, g));
            }
            (self.g[i], self.g2[i], self.rep[i]) = (g, g * g, beta * (g * g));
        }
        Ok(())
    }

    /// Drift plus repulsion K_i + β g_i² Σ_{j≠i} 1/(x_i − x_j), into `self.force`.
    fn forces<D: Fn(f64, usize, &[f64]) -> f64>(
        &mut self,
        x: &[f64],
        drift: &D,
    ) -> Result<(), StepError> {
        self.update_noise(x)?;
        repulsion(x, &mut self.force);
        for (i, &xi) in x.iter().enumerate() {
            let k = drift(xi, i, x);
            if !k.is_finite() {
                return Err(StepError::NonFinite(i, k));
            }
            self.force[i] = k + self.rep[i] * self.force[i];
        }
        Ok(())
    }

    /// One step of length h with Brownian increments dw; returns the bisection depth used.
    fn advance<D: Fn(f64, usize, &[f64]) -> f64>(
        &mut self,
        x: &mut [f64],
        h: f64,
        dw: &[f64],
        depth: u32,
        drift: &D,
        rng: &mut Rng,
    ) -> Result<u32, StepError> {
        self.forces(x, drift)?;
        if let Some(i) = x
            .iter()
            .zip(&self.force)
            .position(|(xi, f)| !(xi + f * h).is_finite())
        {
            return Err(StepError::NonFinite(i, self.force[i]));
        }
        match self.try_step(x, h, dw) {
            Ok(()) => return Ok(depth),
            Err(i) if self.try_pair_step(x, h, dw, i, rng) => return Ok(depth),
            Err(i) if depth >= self.max_depth => return Err(StepError::Collision(i)),
            Err(_) => {}
        }
        // Brownian bridge: W(h/2) given W(h) = dw is dw/2 + √(h/4)·ξ.
        let half: Vec<f64> = dw
            .iter()
            .map(|w| {
                let z: f64 = StandardNormal.sample(rng);
                0.5 * w + (0.25 * h).sqrt() * z
            })
            .collect();
        let rest: Vec<f64> = dw.iter().zip(&half).map(|(w, a)| w - a).collect();
        let d1 = self.advance(x, 0.5 * h, &half, depth + 1, drift, rng)?;
        let d2 = self.advance(x, 0.5 * h, &rest, depth + 1, drift, rng)?;
        Ok(d1.max(d2))
    }

    /// The step for a close pair (i, i+1) whose Euler–Maruyama step failed. Their
    /// gap r obeys dr = [2βg²/r + ΔF] dt + 2g dB near contact (g² the pair's mean g_i², the
    /// relative noise √2 g_{i+1} dW_{i+1} − √2 g_i dW_i having variance 4g² dt). A δ-dimensional
    /// Bessel process of scale σ, the norm of σ times a δ-dimensional Brownian motion, obeys
    /// dR = σ²(δ − 1)/(2R) dt + σ dB; with σ = 2g this is the gap's equation for δ = β + 1:
    /// 2 (β = 1), 3 (β = 2), 5 (β = 4). For β = 1 the gap comes arbitrarily close to 0, which no
    /// finite bisection resolves. It is advanced exactly as that norm,
    /// r′ = |(r + ΔF h + 2g√h ξ₁, 2g√h ξ₂, …, 2g√h ξ_{β+1})| (ξ₁ from the path's own
    /// increments, the other β fresh: r′² = (r + ΔF h + 2g√h ξ₁)² + 4g²h χ²_β), so it stays
    /// positive; the pair's centre and every other eigenvalue take the Euler–Maruyama step.
    /// The noise strengths are those at the start of the step. Accepted if no other gap
    /// changes by a factor of two.
    fn try_pair_step(
        &mut self,
        x: &mut [f64],
        h: f64,
        dw: &[f64],
        i: usize,
        rng: &mut Rng,
    ) -> bool {
        let n = x.len();
        if i + 1 >= n || self.moves.iter().any(|m| !m.is_finite()) {
            return false;
        }
        let r = x[i + 1] - x[i];
        let g2 = 0.5 * (self.g2[i] + self.g2[i + 1]);
        // Forces without the pair's mutual repulsion ±βg²/r.
        let (fi, fj) = (
            self.force[i] + self.rep[i] / r,
            self.force[i + 1] - self.rep[i + 1] / r,
        );
        let sqrt2 = std::f64::consts::SQRT_2;
        let centre = 0.5 * (x[i] + x[i + 1])
            + 0.5 * (fi + fj) * h
            + 0.5 * sqrt2 * (self.g[i] * dw[i] + self.g[i + 1] * dw[i + 1]);
        let along = r + (fj - fi) * h + sqrt2 * (self.g[i + 1] * dw[i + 1] - self.g[i] * dw[i]);
        let gap = self.bessel_gap(along, g2 * h, rng);
        self.moves[i] = centre - 0.5 * gap - x[i];
        self.moves[i + 1] = centre + 0.5 * gap - x[i + 1];
        for k in (0..n - 1).filter(|&k| k != i) {
            let old = x[k + 1] - x[k];
            let new = old + self.moves[k + 1] - self.moves[k];
            if !(new > 0.5 * old && new < 2.0 * old) {
                return false;
            }
        }
        for (xi, m) in x.iter_mut().zip(&self.moves) {
            *xi += m;
        }
        true
    }

    /// |(along, 2√(g²h) ξ₂, …, 2√(g²h) ξ_{β+1})|: the norm of the gap's (β + 1)-dimensional
    /// Brownian motion, `g2h` = g²h (β = 1 takes one normal, the form every β = 1 result was made
    /// with).
    fn bessel_gap(&self, along: f64, g2h: f64, rng: &mut Rng) -> f64 {
        if self.beta == 1 {
            let z: f64 = StandardNormal.sample(rng);
            return along.hypot(2.0 * g2h.sqrt() * z);
        }
        let chi2: f64 = (0..self.beta)
            .map(|_| {
                let z: f64 = StandardNormal.sample(rng);
                z * z
            })
            .sum();
        (along * along + 4.0 * g2h * chi2).sqrt()
    }

    /// Apply the Euler–Maruyama update if every nearest-neighbour gap stays within a factor
    /// of two of its current value (so the order is kept and the repulsion changes little);
    /// otherwise leave x unchanged and return the index of the offending gap.
    fn try_step(&mut self, x: &mut [f64], h: f64, dw: &[f64]) -> Result<(), usize> {
        let sqrt2 = std::f64::consts::SQRT_2;
        for (i, w) in dw.iter().enumerate() {
            self.moves[i] = self.force[i] * h + sqrt2 * self.g[i] * w;
        }
        for i in 0..x.len().saturating_sub(1) {
            let gap = x[i + 1] - x[i];
            let new_gap = gap + self.moves[i + 1] - self.moves[i];
            if !(new_gap > 0.5 * gap && new_gap < 2.0 * gap) {
                return Err(i);
            }
        }
        for (xi, m) in x.iter_mut().zip(&self.moves) {
            *xi += m;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// r′² = along² + 4g²h χ²_β: with along = 0 the mean of r′²/(4g²h) is β (sd √(2β/K)).
    #[test]
    fn the_pair_step_draws_a_beta_plus_one_dimensional_bessel_gap() {
        for beta in BETAS {
            let cfg = CoulombConfig {
                n: 2,
                dt: 0.01,
                steps: 1,
                g: vec![1.0; 2],
                runs: 1,
                seed: 0,
                point: 0,
                label: "t".into(),
                max_depth: 1,
                method: Method::Eigenvalues,
                every: None,
                beta,
            };
            let stepper = Stepper::new(&cfg, None);
            let mut rng = stream(4, 0, "t", u64::from(beta));
            let k = 20_000;
            let m: f64 = (0..k)
                .map(|_| stepper.bessel_gap(0.0, 0.25, &mut rng).powi(2))
                .sum::<f64>()
                / k as f64;
            let sd = (2.0 * f64::from(beta) / k as f64).sqrt();
            assert!((m - f64::from(beta)).abs() < 4.0 * sd, "β = {beta}: {m}");
        }
    }
}
