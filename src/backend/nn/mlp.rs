//! Fully connected networks (multi-layer perceptrons) with every parameter in one flat vector,
//! their forward pass and the gradient of a batch loss by backpropagation.
//!
//! With widths n₀, …, n_L, a₀ = x and for l = 0, …, L − 1
//!
//! z_{l+1} = W_l a_l + b_l,  a_{l+1} = σ(z_{l+1}) for the hidden layers (l + 1 < L),
//!
//! the output ŷ = z_L linear. Backpropagation of L = (1/|B|) Σ_b ℓ(y_b, ŷ_b): with
//! δ_L = ∂L/∂ŷ and δ_l = (W_lᵀ δ_{l+1}) ⊙ σ′(z_l),
//!
//! ∂L/∂W_l = Σ_b δ_{l+1,b} a_{l,b}ᵀ,  ∂L/∂b_l = Σ_b δ_{l+1,b}.
//!
//! The loops are plain contiguous loops over row-major buffers held in a reusable
//! [`Workspace`]: once it has grown to the largest batch, a step allocates nothing.

use std::ops::Range;

use rand_distr::{Distribution, StandardNormal};

use super::activation::Activation;
use super::loss::Loss;
use super::{axpy, dot};
use crate::backend::rng::Rng;
use crate::backend::BackendError;

/// Rows per chunk of [`Mlp::loss`] over a whole data set (bounds the workspace).
const LOSS_CHUNK: usize = 256;

/// Where one layer's parameters lie in [`Mlp::params`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
    pub fan_in: usize,
    pub fan_out: usize,
    /// W_l, fan_out × fan_in row-major: W_l,ij at `w.start + i·fan_in + j`.
    pub w: Range<usize>,
    /// b_l (fan_out entries), if the network has biases.
    pub b: Option<Range<usize>>,
}

impl Layer {
    /// All of the layer's parameters: W_l then b_l, contiguous.
    pub fn range(&self) -> Range<usize> {
        self.w.start..self.b.as_ref().map_or(self.w.end, |b| b.end)
    }
}

/// A multi-layer perceptron. All parameters in one flat vector: for layer l the matrix W_l
/// (fan_out × fan_in, row-major), then b_l if bias.
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    pub widths: Vec<usize>,
    pub activation: Activation,
    pub bias: bool,
    pub layers: Vec<Layer>,
    pub params: Vec<f64>,
}

/// Reusable buffers of the forward and backward passes: the activations a₀, …, a_L and the
/// hidden pre-activations z₁, …, z_{L−1} of the last forward pass, and two δ buffers. It
/// grows on demand (to the largest batch and network it has served) and never shrinks.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    /// Rows of the last forward pass.
    rows: usize,
    /// a_l for l = 0..=L, layer l at offset rows·Σ_{k<l} n_k.
    acts: Vec<f64>,
    /// z_l for the hidden layers l = 1..L, layer l at offset rows·Σ_{1≤k<l} n_k.
    pre: Vec<f64>,
    delta: Vec<f64>,
    delta_prev: Vec<f64>,
}

impl Workspace {
    /// Buffers for `mlp` and batches of up to `max_batch` rows.
    pub fn new(mlp: &Mlp, max_batch: usize) -> Workspace {
        let mut ws = Workspace::default();
        ws.ensure(mlp, max_batch);
        ws
    }

    /// Grow the buffers (only if too small) for `rows` rows of `mlp`.
    fn ensure(&mut self, mlp: &Mlp, rows: usize) {
        let w = &mlp.widths;
        let acts = rows * w.iter().sum::<usize>();
        let pre = rows * w[1..w.len() - 1].iter().sum::<usize>();
        let delta = rows * w.iter().copied().max().unwrap_or(0);
        for (buf, n) in [
            (&mut self.acts, acts),
            (&mut self.pre, pre),
            (&mut self.delta, delta),
            (&mut self.delta_prev, delta),
        ] {
            if buf.len() < n {
                buf.resize(n, 0.0);
            }
        }
    }
}

impl Mlp {
    /// A network of the given widths n₀, …, n_L (at least two, all ≥ 1), all parameters 0.
    pub fn new(widths: &[usize], activation: Activation, bias: bool) -> Result<Mlp, BackendError> {
        if widths.len() < 2 {
            return Err(BackendError::Invalid(format!(
                "a network needs at least two widths (input and output), but has {}",
                widths.len()
            ))
            .at("widths"));
        }
        if let Some(i) = widths.iter().position(|&n| n == 0) {
            return Err(
                BackendError::Invalid(format!("width {i} is 0; widths must be ≥ 1")).at("widths"),
            );
        }
        let mut layers = Vec::with_capacity(widths.len() - 1);
        let mut at = 0;
        for pair in widths.windows(2) {
            let (fan_in, fan_out) = (pair[0], pair[1]);
            let w = at..at + fan_in * fan_out;
            at = w.end;
            let b = bias.then(|| {
                at += fan_out;
                w.end..at
            });
            layers.push(Layer {
                fan_in,
                fan_out,
                w,
                b,
            });
        }
        Ok(Mlp {
            widths: widths.to_vec(),
            activation,
            bias,
            layers,
            params: vec![0.0; at],
        })
    }

    /// The number of parameters, Σ_l n_{l+1}(n_l + 1) with biases, Σ_l n_{l+1} n_l without.
    pub fn n_params(&self) -> usize {
        self.params.len()
    }

    /// The number of layers L (weight matrices).
    pub fn depth(&self) -> usize {
        self.layers.len()
    }

    /// Gaussian initialisation: W_l,ij ~ N(0, c_w/n_l) and b_l,i ~ N(0, c_b) (the
    /// Roberts–Yaida convention, so c_w = 1 keeps a linear network's activations O(1)),
    /// drawn layer by layer, W before b, row-major.
    pub fn init_gaussian(&mut self, c_w: f64, c_b: f64, rng: &mut Rng) {
        for layer in &self.layers {
            let sw = (c_w / layer.fan_in as f64).sqrt();
            for p in &mut self.params[layer.w.clone()] {
                *p = sw * <StandardNormal as Distribution<f64>>::sample(&StandardNormal, rng);
            }
            if let Some(b) = &layer.b {
                for p in &mut self.params[b.clone()] {
                    *p = c_b.sqrt()
                        * <StandardNormal as Distribution<f64>>::sample(&StandardNormal, rng);
                }
            }
        }
    }

    /// The parameter ranges of the layers with `trainable[l]`, adjacent ones merged (the
    /// `active` ranges of [`super::optim::Optimizer::step`]).
    pub fn trainable_ranges(&self, trainable: &[bool]) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        for (layer, _) in self.layers.iter().zip(trainable).filter(|(_, &t)| t) {
            let r = layer.range();
            match out.last_mut() {
                Some(last) if last.end == r.start => last.end = r.end,
                _ => out.push(r),
            }
        }
        out
    }

    /// Check that x (`x_len` numbers) and y (`y_len`) are `rows` ≥ 1 rows of widths n₀ and n_L,
    /// and `trainable` (when given) has one entry per layer. The numerical functions assume
    /// this (and panic on a mismatch).
    pub fn check_data(
        &self,
        x_len: usize,
        y_len: usize,
        rows: usize,
        trainable: Option<&[bool]>,
    ) -> Result<(), BackendError> {
        let (n0, nl) = (self.widths[0], self.widths[self.widths.len() - 1]);
        if rows == 0 {
            return Err(BackendError::Shape("the data have no rows".into()));
        }
        if x_len != rows * n0 {
            return Err(BackendError::Shape(format!(
                "inputs: expected {rows} rows of {n0} numbers ({}), got {x_len}",
                rows * n0
            )));
        }
        if y_len != rows * nl {
            return Err(BackendError::Shape(format!(
                "targets: expected {rows} rows of {nl} numbers ({}), got {y_len}",
                rows * nl
            )));
        }
        match trainable {
            Some(t) if t.len() != self.depth() => Err(BackendError::Shape(format!(
                "trainable: {} entries for {} layers",
                t.len(),
                self.depth()
            ))),
            _ => Ok(()),
        }
    }

    /// Offset of a_l (widths index l) in the workspace for `rows` rows.
    fn act_offset(&self, l: usize, rows: usize) -> usize {
        rows * self.widths[..l].iter().sum::<usize>()
    }

    /// Offset of z_l (hidden layer l ≥ 1) in the workspace for `rows` rows.
    fn pre_offset(&self, l: usize, rows: usize) -> usize {
        rows * self.widths[1..l].iter().sum::<usize>()
    }

    /// out_b = W a_b + b for each of `rows` rows (out, a row-major).
    fn affine(&self, layer: &Layer, a: &[f64], out: &mut [f64], rows: usize) {
        let w = &self.params[layer.w.clone()];
        let b = layer.b.as_ref().map(|b| &self.params[b.clone()]);
        for r in 0..rows {
            let a_r = &a[r * layer.fan_in..(r + 1) * layer.fan_in];
            let out_r = &mut out[r * layer.fan_out..(r + 1) * layer.fan_out];
            for (i, o) in out_r.iter_mut().enumerate() {
                let bias = b.map_or(0.0, |b| b[i]);
                *o = bias + dot(&w[i * layer.fan_in..(i + 1) * layer.fan_in], a_r);
            }
        }
    }

    /// The forward pass: z_{l+1} = W_l a_l + b_l, a_{l+1} = σ(z_{l+1}) for hidden layers, the
    /// output layer linear (no activation). x: batch × n₀ row-major; returns ŷ, batch × n_L.
    pub fn forward<'w>(&self, x: &[f64], batch: usize, ws: &'w mut Workspace) -> &'w [f64] {
        self.forward_from(0, x, batch, ws)
    }

    /// The forward pass from layer `start` on, given its input a_start (batch × n_start): the
    /// layers below are not evaluated. For a network whose first layers are frozen, a_start
    /// of every training input can be computed once ([`Mlp::activations`]).
    pub fn forward_from<'w>(
        &self,
        start: usize,
        a: &[f64],
        batch: usize,
        ws: &'w mut Workspace,
    ) -> &'w [f64] {
        assert_eq!(
            a.len(),
            batch * self.widths[start],
            "inputs are not batch × n_start"
        );
        ws.ensure(self, batch);
        ws.rows = batch;
        let at = self.act_offset(start, batch);
        ws.acts[at..at + a.len()].copy_from_slice(a);
        let depth = self.depth();
        for (l, layer) in self.layers.iter().enumerate().skip(start) {
            let at = self.act_offset(l, batch);
            let (before, after) = ws.acts.split_at_mut(at + batch * layer.fan_in);
            let out = &mut after[..batch * layer.fan_out];
            self.affine(layer, &before[at..], out, batch);
            if l + 1 < depth {
                let zo = self.pre_offset(l + 1, batch);
                ws.pre[zo..zo + out.len()].copy_from_slice(out);
                if self.activation != Activation::Linear {
                    out.iter_mut().for_each(|v| *v = self.activation.apply(*v));
                }
            }
        }
        let at = self.act_offset(depth, batch);
        &ws.acts[at..at + batch * self.widths[depth]]
    }

    /// a_l (n × n_l) of the n rows of x (n × n₀), in chunks of at most 256 rows.
    pub fn activations(&self, l: usize, x: &[f64], n: usize, ws: &mut Workspace) -> Vec<f64> {
        let (n0, nl) = (self.widths[0], self.widths[l]);
        let mut out = Vec::with_capacity(n * nl);
        for chunk in x[..n * n0].chunks(256 * n0) {
            let rows = chunk.len() / n0;
            self.forward(chunk, rows, ws);
            let at = self.act_offset(l, rows);
            out.extend_from_slice(&ws.acts[at..at + rows * nl]);
        }
        out
    }

    /// The last hidden layer's activations a_{L−1} (batch × n_{L−1}) of the last forward
    /// pass: the features on which the output is linear, ŷ = W_{L−1} a_{L−1} + b_{L−1}
    /// (the inputs themselves for a network without hidden layers).
    pub fn features<'w>(&self, ws: &'w Workspace) -> &'w [f64] {
        let l = self.depth() - 1;
        let at = self.act_offset(l, ws.rows);
        &ws.acts[at..at + ws.rows * self.widths[l]]
    }

    /// The pre-activations z_l (batch × n_l) of hidden layer l (1 ≤ l < L) of the last
    /// forward pass.
    pub fn pre_activations<'w>(&self, l: usize, ws: &'w Workspace) -> &'w [f64] {
        assert!(
            l >= 1 && l < self.depth(),
            "layer {l} is not a hidden layer"
        );
        let at = self.pre_offset(l, ws.rows);
        &ws.pre[at..at + ws.rows * self.widths[l]]
    }

    /// Mean loss over the batch and its gradient w.r.t. the parameters of the layers with
    /// `trainable[l] = true` (other entries of grad set to 0; backprop stops below the lowest
    /// trainable layer). The input is `(start, a)`: a_start (batch × n_start) of layer
    /// `start`, `(0, x)` for the network's inputs; `start` must not be above the lowest
    /// trainable layer (the frozen layers below it are skipped).
    #[allow(clippy::too_many_arguments)]
    pub fn loss_grad(
        &self,
        (start, a): (usize, &[f64]),
        y: &[f64],
        batch: usize,
        loss: Loss,
        trainable: &[bool],
        grad: &mut [f64],
        ws: &mut Workspace,
    ) -> f64 {
        assert_eq!(
            trainable.len(),
            self.depth(),
            "one trainable flag per layer"
        );
        assert_eq!(grad.len(), self.n_params(), "gradient has the wrong length");
        grad.fill(0.0);
        let Some(lowest) = trainable.iter().position(|&t| t) else {
            let yhat = self.forward_from(start, a, batch, ws);
            return loss.value(yhat, y, batch);
        };
        assert!(
            start <= lowest,
            "layer {lowest} is trainable but below the start {start}"
        );
        self.forward_from(start, a, batch, ws);
        let depth = self.depth();
        let at = self.act_offset(depth, batch);
        let n_out = batch * self.widths[depth];
        let value = loss.value_grad(&ws.acts[at..at + n_out], y, batch, &mut ws.delta[..n_out]);
        for l in (lowest..depth).rev() {
            if trainable[l] {
                self.accumulate(l, ws, grad);
            }
            if l > lowest {
                self.back_step(l, ws);
            }
        }
        value
    }

    /// ∂L/∂W_l += Σ_b δ_{l+1,b} a_{l,b}ᵀ and ∂L/∂b_l += Σ_b δ_{l+1,b}, δ_{l+1} in ws.delta.
    fn accumulate(&self, l: usize, ws: &Workspace, grad: &mut [f64]) {
        let layer = &self.layers[l];
        let rows = ws.rows;
        let at = self.act_offset(l, rows);
        let a = &ws.acts[at..at + rows * layer.fan_in];
        let (gw, rest) = grad[layer.w.start..].split_at_mut(layer.w.len());
        for r in 0..rows {
            let a_r = &a[r * layer.fan_in..(r + 1) * layer.fan_in];
            let d_r = &ws.delta[r * layer.fan_out..(r + 1) * layer.fan_out];
            for (i, &d) in d_r.iter().enumerate() {
                axpy(d, a_r, &mut gw[i * layer.fan_in..(i + 1) * layer.fan_in]);
            }
            if layer.b.is_some() {
                axpy(1.0, d_r, &mut rest[..layer.fan_out]);
            }
        }
    }

    /// δ_l = (W_lᵀ δ_{l+1}) ⊙ σ′(z_l), from ws.delta into ws.delta (swapped).
    fn back_step(&self, l: usize, ws: &mut Workspace) {
        let layer = &self.layers[l];
        let rows = ws.rows;
        let w = &self.params[layer.w.clone()];
        let zo = self.pre_offset(l, rows);
        let z = &ws.pre[zo..zo + rows * layer.fan_in];
        let ao = self.act_offset(l, rows);
        let a = &ws.acts[ao..ao + rows * layer.fan_in];
        for r in 0..rows {
            let d_r = &ws.delta[r * layer.fan_out..(r + 1) * layer.fan_out];
            let p_r = &mut ws.delta_prev[r * layer.fan_in..(r + 1) * layer.fan_in];
            p_r.fill(0.0);
            for (i, &d) in d_r.iter().enumerate() {
                axpy(d, &w[i * layer.fan_in..(i + 1) * layer.fan_in], p_r);
            }
            if self.activation != Activation::Linear {
                let z_r = &z[r * layer.fan_in..(r + 1) * layer.fan_in];
                let a_r = &a[r * layer.fan_in..(r + 1) * layer.fan_in];
                for ((p, &zj), &aj) in p_r.iter_mut().zip(z_r).zip(a_r) {
                    *p *= self.activation.derivative_given(zj, aj);
                }
            }
        }
        std::mem::swap(&mut ws.delta, &mut ws.delta_prev);
    }

    /// The mean loss over n rows of x and y, in chunks of at most 256 rows (so the workspace
    /// stays bounded); NaN for n = 0.
    pub fn loss(&self, x: &[f64], y: &[f64], n: usize, loss: Loss, ws: &mut Workspace) -> f64 {
        self.loss_from((0, x), y, n, loss, ws)
    }

    /// [`Mlp::loss`] from the inputs a_start (n × n_start) of layer `start`.
    pub fn loss_from(
        &self,
        (layer, a): (usize, &[f64]),
        y: &[f64],
        n: usize,
        loss: Loss,
        ws: &mut Workspace,
    ) -> f64 {
        let (n0, nl) = (self.widths[layer], self.widths[self.depth()]);
        assert_eq!(a.len(), n * n0, "inputs are not n × n_start");
        assert_eq!(y.len(), n * nl, "targets are not n × n_L");
        let mut total = 0.0;
        let mut start = 0;
        while start < n {
            let rows = LOSS_CHUNK.min(n - start);
            let xs = &a[start * n0..(start + rows) * n0];
            let yhat = self.forward_from(layer, xs, rows, ws);
            total += loss.sum(yhat, &y[start * nl..(start + rows) * nl], rows);
            start += rows;
        }
        total / n as f64
    }
}

#[cfg(test)]
#[path = "mlp_tests.rs"]
mod tests;
