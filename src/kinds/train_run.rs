//! One training run as the observer executor steps it: the backend's model, its optimizer,
//! the run's data set and minibatch order, and buffers reused by every step. A step draws
//! the next minibatch (without replacement; reshuffled when the training set is used up, so
//! an epoch is ⌊samples/batch⌋ steps), computes the gradient (backpropagation for a
//! perceptron, the PCD estimate for the RBM) and updates the trainable parameters; nothing
//! is allocated and no script expression is evaluated. Scope values (losses over the whole
//! training and test sets, the model's record) are computed only where they are observed.

use super::network_draw::{with_weights, Model};
use super::observe::Stepper;
use crate::backend::nn::loss::Loss;
use crate::backend::nn::mlp::Workspace;
use crate::backend::nn::optim::Optimizer;
use crate::backend::nn::rbm::RbmWorkspace;
use crate::backend::rng::Rng;
use crate::eval::error::Result;
use crate::ir::value::Value;
use rand::seq::SliceRandom;
use rand_distr::{Distribution, StandardNormal};
use std::ops::Range;

/// A run's data: training inputs (n × d_in) and targets (n × d_out, empty for the RBM), and
/// the test set if there is one.
pub struct DataSet {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub n: usize,
    pub d_in: usize,
    pub d_out: usize,
    pub test: Option<(Vec<f64>, Vec<f64>, usize)>,
}

/// The persistent chains of PCD and the data's second moment (for the exact likelihood).
pub struct Pcd {
    pub chains: Vec<f64>,
    pub n_chains: usize,
    pub gibbs: usize,
    pub ws: RbmWorkspace,
    pub second_moment: Vec<f64>,
    pub test_moment: Option<Vec<f64>>,
}

/// A perceptron's lowest trainable layer p > 0 and the activations a_p of the training and
/// the test inputs, computed once: the layers below p never change.
pub struct Frozen {
    pub layer: usize,
    /// n_p, the width of a_p.
    pub width: usize,
    pub train: Vec<f64>,
    pub test: Option<Vec<f64>>,
}

pub struct Trainer {
    pub model: Model,
    /// The network's record (architecture), for the `model` scope value.
    pub spec: Value,
    pub data: DataSet,
    pub opt: Optimizer,
    pub loss: Loss,
    pub batch: usize,
    pub order: Vec<usize>,
    pub next: usize,
    pub rng: Rng,
    pub ws: Workspace,
    pub grad: Vec<f64>,
    pub xb: Vec<f64>,
    pub yb: Vec<f64>,
    pub active: Vec<Range<usize>>,
    pub batch_loss: f64,
    pub grad_norm: f64,
    pub pcd: Option<Pcd>,
    /// The frozen first layers of a perceptron (those below its lowest trainable layer p),
    /// from which each forward pass starts.
    pub frozen: Option<Frozen>,
    /// The step and the losses of the last observation (kept for a run that diverges after
    /// it, and reused at the end when nothing was stepped since).
    pub observed_losses: Option<(usize, (f64, Option<f64>))>,
}

/// Second moments C = (1/n) Σ_rows x xᵀ (d × d, row-major).
pub fn second_moment(x: &[f64], n: usize, d: usize) -> Vec<f64> {
    let mut c = vec![0.0; d * d];
    for row in x.chunks(d).take(n) {
        for i in 0..d {
            for j in 0..d {
                c[i * d + j] += row[i] * row[j];
            }
        }
    }
    c.iter_mut().for_each(|v| *v /= n as f64);
    c
}

/// |g| = √(Σ g²).
fn norm<'a>(g: impl IntoIterator<Item = &'a f64>) -> f64 {
    g.into_iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// Persistent chains started from the visible law at W = 0, φ ~ N(0, 1/μ²).
pub fn initial_chains(n_chains: usize, visible: usize, mu2: f64, rng: &mut Rng) -> Vec<f64> {
    (0..n_chains * visible)
        .map(|_| {
            <StandardNormal as Distribution<f64>>::sample(&StandardNormal, rng) * (1.0 / mu2).sqrt()
        })
        .collect::<Vec<f64>>()
}

impl Trainer {
    /// Copy the next minibatch into the batch buffers; reshuffle when the data are used up.
    fn next_batch(&mut self) {
        if self.next + self.batch > self.order.len() {
            self.order.shuffle(&mut self.rng);
            self.next = 0;
        }
        let (x, d_in) = match &self.frozen {
            Some(f) => (&f.train, f.width),
            None => (&self.data.x, self.data.d_in),
        };
        let d_out = self.data.d_out;
        for (b, &row) in self.order[self.next..self.next + self.batch]
            .iter()
            .enumerate()
        {
            self.xb[b * d_in..(b + 1) * d_in].copy_from_slice(&x[row * d_in..(row + 1) * d_in]);
            if d_out > 0 {
                self.yb[b * d_out..(b + 1) * d_out]
                    .copy_from_slice(&self.data.y[row * d_out..(row + 1) * d_out]);
            }
        }
        self.next += self.batch;
    }

    fn step_perceptron(&mut self, k: usize) -> Option<String> {
        let Model::Perceptron { net, trainable, .. } = &mut self.model else {
            unreachable!("a perceptron run")
        };
        let start = self.frozen.as_ref().map_or(0, |f| f.layer);
        let l = net.loss_grad(
            (start, &self.xb),
            &self.yb,
            self.batch,
            self.loss,
            trainable,
            &mut self.grad,
            &mut self.ws,
        );
        self.batch_loss = l;
        if !l.is_finite() {
            return Some(format!("diverged at step {k}: the batch loss is {l}"));
        }
        self.grad_norm = norm(self.active.iter().flat_map(|r| &self.grad[r.clone()]));
        if !self.grad_norm.is_finite() {
            return Some(format!("diverged at step {k}: the gradient is not finite"));
        }
        self.opt
            .step(&mut net.params, &self.grad, &self.active, &mut self.rng);
        None
    }

    fn step_rbm(&mut self, k: usize) -> Option<String> {
        let (Model::Rbm(rbm), Some(p)) = (&mut self.model, &mut self.pcd) else {
            unreachable!("an RBM run")
        };
        rbm.gibbs(&mut p.chains, p.n_chains, p.gibbs, &mut self.rng, &mut p.ws);
        if !p.chains.iter().all(|c| c.is_finite()) {
            return Some(format!("diverged at step {k}: the persistent chains are not finite (K = μ² − σ_h²WWᵀ is no longer positive definite)"));
        }
        rbm.pcd_gradient(
            &self.xb,
            self.batch,
            &p.chains,
            p.n_chains,
            &mut self.grad,
            &mut p.ws,
        );
        self.grad.iter_mut().for_each(|g| *g = -*g);
        self.grad_norm = norm(&self.grad);
        if !self.grad_norm.is_finite() {
            return Some(format!(
                "diverged at step {k}: the likelihood gradient is not finite"
            ));
        }
        self.opt
            .step(&mut rbm.w, &self.grad, &self.active, &mut self.rng);
        None
    }

    /// The mean loss over the training set and over the test set (None: no test set): for a
    /// perceptron the training loss, for the RBM its exact negative log-likelihood (∞ when
    /// K is not positive definite).
    fn losses(&mut self) -> (f64, Option<f64>) {
        match (&self.model, &self.pcd) {
            (Model::Rbm(rbm), Some(p)) => {
                let nll = |c: &[f64]| rbm.nll(c).unwrap_or(f64::INFINITY);
                (nll(&p.second_moment), p.test_moment.as_deref().map(nll))
            }
            (Model::Perceptron { net, .. }, _) => {
                let d = &self.data;
                let f = self.frozen.as_ref();
                let start = f.map_or(0, |f| f.layer);
                let train_in = f.map_or(&d.x, |f| &f.train);
                let train = net.loss_from((start, train_in), &d.y, d.n, self.loss, &mut self.ws);
                let test = d.test.as_ref().map(|(x, y, n)| {
                    let test_in = f.and_then(|f| f.test.as_ref()).unwrap_or(x);
                    net.loss_from((start, test_in), y, *n, self.loss, &mut self.ws)
                });
                (train, test)
            }
            _ => unreachable!("a run's model and its gradient estimator agree"),
        }
    }

    /// The training and test losses at the end (after step `last`): those of an observation
    /// there, else computed; for a run that ended early because its numbers stopped being
    /// finite, those of its last observation.
    pub fn final_losses(&mut self, last: usize, ended_early: bool) -> (f64, Option<f64>) {
        if let Some((k, seen)) = self.observed_losses {
            if k == last {
                return seen;
            }
        }
        let (train, test) = self.losses();
        let finite = train.is_finite() && test.is_none_or(f64::is_finite);
        match self.observed_losses {
            Some((_, seen)) if ended_early && !finite => seen,
            _ => (train, test),
        }
    }

    /// Remember the losses at the start, for a run that is not observed there.
    pub fn remember_start(&mut self) {
        self.observed_losses = Some((0, self.losses()));
    }

    /// The steps per epoch, ⌊samples/batch⌋.
    pub fn steps_per_epoch(&self) -> usize {
        (self.data.n / self.batch).max(1)
    }
}

/// The names the `train` block binds in `observe` and `stop`, in the order of
/// [`Trainer::scope`]'s values.
pub const SCOPE: &[&str] = &[
    "step",
    "epoch",
    "loss",
    "test_loss",
    "batch_loss",
    "grad_norm",
    "model",
];

impl Stepper for Trainer {
    fn advance(&mut self, k: usize) -> Result<Option<String>> {
        self.next_batch();
        Ok(match self.model {
            Model::Perceptron { .. } => self.step_perceptron(k),
            Model::Rbm(_) => self.step_rbm(k),
        })
    }

    /// [`SCOPE`]'s values, then the model again for the name `model = NAME` rebinds; a
    /// training loss that is no longer finite ends the run (diverged).
    fn scope(&mut self, k: usize) -> Result<std::result::Result<Vec<Value>, String>> {
        let (train, test) = self.losses();
        if !train.is_finite() {
            return Ok(Err(format!(
                "diverged at step {k}: the training loss is {train}"
            )));
        }
        let test = match test {
            Some(t) if t.is_finite() => Value::Num(t),
            Some(t) => return Ok(Err(format!("diverged at step {k}: the test loss is {t}"))),
            None => Value::Str("no test set: give the data set one (`test = n`)".into()),
        };
        let test_value = match test {
            Value::Num(x) => Some(x),
            _ => None,
        };
        self.observed_losses = Some((k, (train, test_value)));
        let model = with_weights(&self.spec, &self.model);
        let batch_loss = if k == 0 { train } else { self.batch_loss };
        Ok(Ok(vec![
            Value::Num(k as f64),
            Value::Num(k as f64 / self.steps_per_epoch() as f64),
            Value::Num(train),
            test,
            Value::Num(batch_loss),
            Value::Num(if k == 0 { 0.0 } else { self.grad_norm }),
            model.clone(),
            model,
        ]))
    }
}
