//! Optimisers: update rules for a flat parameter vector θ given the gradient g = ∂L/∂θ of a
//! loss to minimise, with a learning-rate schedule. Only the coordinates in the `active`
//! ranges of a step move; each coordinate keeps its own state (moments, and for Adam its own
//! step count, as PyTorch keeps one per parameter tensor that received a gradient).

use std::ops::Range;

use rand_distr::{Distribution, StandardNormal};

use crate::backend::rng::Rng;
use crate::backend::BackendError;

/// How one step moves θ given g and the learning rate η_t of that step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// As `torch.optim.SGD` (no dampening, no Nesterov): v ← μv + g (v₀ = 0, so v₁ = g);
    /// θ ← θ − η_t v. With μ = 0: θ ← θ − η_t g.
    Sgd { momentum: f64 },
    /// Kingma–Ba with bias correction, exactly as `torch.optim.Adam`, k the coordinate's step
    /// count: g ← g + λθ (L2 weight decay, when not decoupled), m ← m + (1 − β₁)(g − m),
    /// v ← β₂v + (1 − β₂)g², θ ← θ − (η_t/(1 − β₁ᵏ))·m/(√v/√(1 − β₂ᵏ) + ε).
    /// Decoupled (`torch.optim.AdamW`): θ ← θ(1 − η_tλ) first and no λθ in g.
    Adam {
        beta1: f64,
        beta2: f64,
        eps: f64,
        weight_decay: f64,
        decoupled: bool,
    },
    /// Overdamped Langevin (Euler–Maruyama): θ ← θ − η_t(g + γθ) + √(2η_tT) ξ, ξ ~ N(0, 1)
    /// per coordinate. As η → 0 its stationary law is ∝ exp(−(L + γ|θ|²/2)/T).
    Langevin { temperature: f64, weight_decay: f64 },
}

/// The learning-rate factor: η_t = η·factor(t) at the 1-based step t.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Schedule {
    /// factor = 1.
    Constant,
    /// From 1 to `final_factor` linearly over `steps`, then constant (as `torch`'s `LinearLR`
    /// stepped once per update): factor(t) = 1 + (final_factor − 1)·min(t − 1, steps)/steps.
    Linear { final_factor: f64, steps: usize },
    /// factor(t) = factor^⌊(t − 1)/every⌋ (as `StepLR`).
    Step { every: usize, factor: f64 },
}

/// Err naming `field` unless `ok`.
fn require(ok: bool, field: &'static str, what: &str) -> Result<(), BackendError> {
    if ok {
        Ok(())
    } else {
        Err(BackendError::Invalid(format!("{field} must be {what}")).at(field))
    }
}

impl Rule {
    /// Check the hyper-parameters: 0 ≤ momentum < 1; 0 ≤ β₁, β₂ < 1, ε > 0; weight decay ≥ 0;
    /// T ≥ 0 (all finite). Errors name the parameter (`momentum`, `beta1`, `beta2`, `eps`,
    /// `weight_decay`, `temperature`).
    pub fn validate(&self) -> Result<(), BackendError> {
        let unit = |x: f64| (0.0..1.0).contains(&x);
        let nonneg = |x: f64| x.is_finite() && x >= 0.0;
        match *self {
            Rule::Sgd { momentum } => require(unit(momentum), "momentum", "in [0, 1)"),
            Rule::Adam {
                beta1,
                beta2,
                eps,
                weight_decay,
                ..
            } => {
                require(unit(beta1), "beta1", "in [0, 1)")?;
                require(unit(beta2), "beta2", "in [0, 1)")?;
                require(eps.is_finite() && eps > 0.0, "eps", "positive")?;
                require(nonneg(weight_decay), "weight_decay", "≥ 0")
            }
            Rule::Langevin {
                temperature,
                weight_decay,
            } => {
                require(nonneg(temperature), "temperature", "≥ 0")?;
                require(nonneg(weight_decay), "weight_decay", "≥ 0")
            }
        }
    }
}

impl Schedule {
    /// factor(t) for the 1-based step t (t = 0 is read as 1).
    pub fn factor(&self, t: u64) -> f64 {
        let e = t.saturating_sub(1);
        match *self {
            Schedule::Constant => 1.0,
            Schedule::Linear {
                final_factor,
                steps,
            } => {
                let steps = steps.max(1) as u64;
                1.0 + (final_factor - 1.0) * e.min(steps) as f64 / steps as f64
            }
            Schedule::Step { every, factor } => {
                let k = e / every.max(1) as u64;
                factor.powi(k.min(i32::MAX as u64) as i32)
            }
        }
    }

    /// Check: a linear schedule's `final_factor` ≥ 0 and `steps` ≥ 1; a step schedule's
    /// `every` ≥ 1 and `factor` > 0 (errors name the parameter).
    pub fn validate(&self) -> Result<(), BackendError> {
        match *self {
            Schedule::Constant => Ok(()),
            Schedule::Linear {
                final_factor,
                steps,
            } => {
                let ok = final_factor.is_finite() && final_factor >= 0.0;
                require(ok, "final_factor", "≥ 0")?;
                require(steps >= 1, "steps", "≥ 1")
            }
            Schedule::Step { every, factor } => {
                require(every >= 1, "every", "≥ 1")?;
                require(factor.is_finite() && factor > 0.0, "factor", "positive")
            }
        }
    }
}

/// An optimiser: the rule, the base learning rate η, its schedule and the per-coordinate
/// state (first and second moments m, v — the momentum buffer is m — and Adam's step counts).
#[derive(Debug, Clone)]
pub struct Optimizer {
    pub rule: Rule,
    pub lr: f64,
    pub schedule: Schedule,
    /// Steps taken (calls of [`Optimizer::step`]); the next step is `steps + 1`.
    steps: u64,
    m: Vec<f64>,
    v: Vec<f64>,
    count: Vec<u32>,
    /// Langevin: γ_k per coordinate, replacing the rule's one γ (empty: the rule's).
    decay: Vec<f64>,
}

impl Optimizer {
    /// Langevin with a weight decay γ_k of its own for every coordinate (one per parameter):
    /// θ_k ← θ_k − η(g_k + γ_k θ_k) + √(2ηT) ξ_k, stationary ∝ exp(−(L + Σ_k γ_k θ_k²/2)/T), so
    /// γ_k = T/σ_k² makes it the posterior ∝ exp(−L/T) Π_k N(θ_k; 0, σ_k²).
    pub fn with_decay(mut self, decay: Vec<f64>) -> Optimizer {
        self.decay = decay;
        self
    }

    /// An optimiser for `n_params` parameters with zero state.
    pub fn new(rule: Rule, lr: f64, schedule: Schedule, n_params: usize) -> Optimizer {
        let mut opt = Optimizer {
            rule,
            lr,
            schedule,
            steps: 0,
            m: Vec::new(),
            v: Vec::new(),
            count: Vec::new(),
            decay: Vec::new(),
        };
        opt.ensure_state(n_params);
        opt
    }

    /// Zero state for `n` parameters where the rule keeps state (and it is missing: after the
    /// first step this allocates nothing).
    fn ensure_state(&mut self, n: usize) {
        let (moments, adam) = match self.rule {
            Rule::Sgd { momentum } => (momentum != 0.0, false),
            Rule::Adam { .. } => (true, true),
            Rule::Langevin { .. } => (false, false),
        };
        if moments && self.m.len() < n {
            self.m.resize(n, 0.0);
        }
        if adam && self.v.len() < n {
            self.v.resize(n, 0.0);
            self.count.resize(n, 0);
        }
    }

    /// Check lr > 0 (finite), the rule's and the schedule's parameters (errors name them).
    pub fn validate(&self) -> Result<(), BackendError> {
        require(self.lr.is_finite() && self.lr > 0.0, "lr", "positive")?;
        self.rule.validate()?;
        self.schedule.validate()
    }

    /// The learning rate η_t = η·factor(t) of the 1-based step t.
    pub fn lr_at(&self, step: u64) -> f64 {
        self.lr * self.schedule.factor(step)
    }

    /// The number of steps taken so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// One update (minimisation) of the parameters in `active` ranges only (others
    /// untouched, their state unused).
    pub fn step(
        &mut self,
        params: &mut [f64],
        grad: &[f64],
        active: &[Range<usize>],
        rng: &mut Rng,
    ) {
        assert_eq!(
            params.len(),
            grad.len(),
            "parameters and gradient differ in length"
        );
        self.ensure_state(params.len());
        self.steps += 1;
        let lr = self.lr_at(self.steps);
        for r in active {
            let (p, g) = (&mut params[r.clone()], &grad[r.clone()]);
            match self.rule {
                Rule::Sgd { momentum: 0.0 } => sgd(p, g, lr),
                Rule::Sgd { momentum } => sgd_momentum(p, g, &mut self.m[r.clone()], momentum, lr),
                Rule::Adam { .. } => self.adam(p, g, r.clone(), lr),
                Rule::Langevin {
                    temperature,
                    weight_decay,
                } => {
                    let decay = match self.decay.get(r.clone()) {
                        Some(d) => Decay::Each(d),
                        None => Decay::All(weight_decay),
                    };
                    langevin(p, g, (lr, temperature), decay, rng)
                }
            }
        }
    }

    /// The Adam / AdamW update of the coordinates `r` (p, g their slices).
    fn adam(&mut self, p: &mut [f64], g: &[f64], r: Range<usize>, lr: f64) {
        let Rule::Adam {
            beta1,
            beta2,
            eps,
            weight_decay,
            decoupled,
        } = self.rule
        else {
            unreachable!("adam step of a non-Adam rule")
        };
        let (m, v, count) = (
            &mut self.m[r.clone()],
            &mut self.v[r.clone()],
            &mut self.count[r],
        );
        for k in 0..p.len() {
            let mut gk = g[k];
            if decoupled {
                p[k] *= 1.0 - lr * weight_decay;
            } else {
                gk += weight_decay * p[k];
            }
            count[k] = count[k].saturating_add(1);
            let n = count[k].min(i32::MAX as u32) as i32;
            m[k] += (1.0 - beta1) * (gk - m[k]);
            v[k] = beta2 * v[k] + (1.0 - beta2) * gk * gk;
            let step_size = lr / (1.0 - beta1.powi(n));
            let denom = v[k].sqrt() / (1.0 - beta2.powi(n)).sqrt() + eps;
            p[k] -= step_size * m[k] / denom;
        }
    }
}

/// θ ← θ − ηg.
fn sgd(p: &mut [f64], g: &[f64], lr: f64) {
    for (pk, &gk) in p.iter_mut().zip(g) {
        *pk -= lr * gk;
    }
}

/// v ← μv + g, θ ← θ − ηv.
fn sgd_momentum(p: &mut [f64], g: &[f64], v: &mut [f64], momentum: f64, lr: f64) {
    for ((pk, &gk), vk) in p.iter_mut().zip(g).zip(v) {
        *vk = momentum * *vk + gk;
        *pk -= lr * *vk;
    }
}

/// The weight decay of a Langevin step: one γ, or γ_k per coordinate.
enum Decay<'a> {
    All(f64),
    Each(&'a [f64]),
}

/// θ ← θ − η(g + γθ) + √(2ηT) ξ (no draws when T = 0).
fn langevin(p: &mut [f64], g: &[f64], (lr, temperature): (f64, f64), decay: Decay, rng: &mut Rng) {
    let noise = (2.0 * lr * temperature).sqrt();
    for (k, (pk, &gk)) in p.iter_mut().zip(g).enumerate() {
        let gamma = match decay {
            Decay::All(gamma) => gamma,
            Decay::Each(d) => d[k],
        };
        let drift = lr * (gk + gamma * *pk);
        *pk -= drift;
        if temperature > 0.0 {
            let xi: f64 = StandardNormal.sample(rng);
            *pk += noise * xi;
        }
    }
}

#[cfg(test)]
#[path = "optim_tests.rs"]
mod tests;
