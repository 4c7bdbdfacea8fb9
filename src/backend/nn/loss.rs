//! Losses of a batch of network outputs ŷ against targets y (both batch × n row-major), the
//! mean over the batch, L = (1/|B|) Σ_b ℓ(y_b, ŷ_b), and its gradient ∂L/∂ŷ.

crate::choices! {
    /// The per-sample loss ℓ(y, ŷ).
    pub enum Loss {
        /// ℓ = ½ Σᵢ (yᵢ − ŷᵢ)² (document 002's convention, with the ½ and summed over the
        /// outputs: PyTorch's `MSELoss` is the mean over outputs, without the ½); ∂ℓ/∂ŷᵢ = ŷᵢ − yᵢ.
        Mse = "mse",
        /// ℓ = −Σᵢ yᵢ log softmax(ŷ)ᵢ = (Σᵢ yᵢ)·lse(ŷ) − Σᵢ yᵢŷᵢ with lse(ŷ) = log Σⱼ e^{ŷⱼ}
        /// (computed as m + log Σⱼ e^{ŷⱼ − m}, m = maxⱼ ŷⱼ); y a row of target probabilities
        /// (one-hot for class labels). ∂ℓ/∂ŷᵢ = (Σⱼ yⱼ)·softmax(ŷ)ᵢ − yᵢ.
        CrossEntropy = "cross_entropy",
    }
}

/// log Σⱼ e^{xⱼ}, stable for large |x|: m + log Σⱼ e^{xⱼ − m}, m = max x.
fn log_sum_exp(x: &[f64]) -> f64 {
    let m = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !m.is_finite() {
        return m;
    }
    m + x.iter().map(|&v| (v - m).exp()).sum::<f64>().ln()
}

impl Loss {
    /// ℓ(y, ŷ) of one sample; when `d` is given, also writes scale·∂ℓ/∂ŷ into it.
    #[inline]
    pub fn sample(self, yhat: &[f64], y: &[f64], d: Option<&mut [f64]>, scale: f64) -> f64 {
        match self {
            Loss::Mse => {
                if let Some(d) = d {
                    for ((di, &p), &t) in d.iter_mut().zip(yhat).zip(y) {
                        *di = scale * (p - t);
                    }
                }
                0.5 * yhat
                    .iter()
                    .zip(y)
                    .map(|(p, t)| (p - t) * (p - t))
                    .sum::<f64>()
            }
            Loss::CrossEntropy => {
                let lse = log_sum_exp(yhat);
                let total: f64 = y.iter().sum();
                let dot: f64 = yhat.iter().zip(y).map(|(p, t)| p * t).sum();
                if let Some(d) = d {
                    for ((di, &p), &t) in d.iter_mut().zip(yhat).zip(y) {
                        *di = scale * (total * (p - lse).exp() - t);
                    }
                }
                total * lse - dot
            }
        }
    }

    /// The mean loss L = (1/batch) Σ_b ℓ(y_b, ŷ_b) of `batch` rows of width n = len/batch.
    pub fn value(self, yhat: &[f64], y: &[f64], batch: usize) -> f64 {
        self.sum(yhat, y, batch) / batch.max(1) as f64
    }

    /// Σ_b ℓ(y_b, ŷ_b) over `batch` rows.
    pub fn sum(self, yhat: &[f64], y: &[f64], batch: usize) -> f64 {
        let n = row_width(yhat, y, batch);
        if n == 0 {
            return 0.0;
        }
        yhat.chunks_exact(n)
            .zip(y.chunks_exact(n))
            .map(|(p, t)| self.sample(p, t, None, 0.0))
            .sum()
    }

    /// The mean loss L over `batch` rows and its gradient ∂L/∂ŷ_b = (1/batch)·∂ℓ/∂ŷ_b
    /// written into `d` (same shape as ŷ).
    pub fn value_grad(self, yhat: &[f64], y: &[f64], batch: usize, d: &mut [f64]) -> f64 {
        let n = row_width(yhat, y, batch);
        assert_eq!(
            d.len(),
            yhat.len(),
            "loss gradient buffer has the wrong length"
        );
        if n == 0 {
            return 0.0;
        }
        let scale = 1.0 / batch as f64;
        let mut total = 0.0;
        for ((p, t), g) in yhat
            .chunks_exact(n)
            .zip(y.chunks_exact(n))
            .zip(d.chunks_exact_mut(n))
        {
            total += self.sample(p, t, Some(g), scale);
        }
        total * scale
    }
}

/// The row width n of batch × n outputs and targets (panics on mismatched lengths: a
/// programming error of the caller, which checks shapes once with
/// [`super::mlp::Mlp::check_data`]).
fn row_width(yhat: &[f64], y: &[f64], batch: usize) -> usize {
    assert_eq!(yhat.len(), y.len(), "outputs and targets differ in length");
    if batch == 0 {
        return 0;
    }
    assert_eq!(yhat.len() % batch, 0, "outputs are not batch rows");
    yhat.len() / batch
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mse: ½Σ(y − ŷ)² per row, averaged: rows (1, 2) vs (0, 0) and (3, −1) vs (1, 1) give
    /// (½·5 + ½·8)/2 = 3.25 exactly, and ∂L/∂ŷ = (ŷ − y)/2.
    #[test]
    fn mse_has_the_half_and_the_batch_mean() {
        let yhat = [1.0, 2.0, 3.0, -1.0];
        let y = [0.0, 0.0, 1.0, 1.0];
        let mut d = [0.0; 4];
        assert_eq!(Loss::Mse.value_grad(&yhat, &y, 2, &mut d), 3.25);
        assert_eq!(d, [0.5, 1.0, 1.0, -1.0]);
        assert_eq!(Loss::Mse.value(&yhat, &y, 2), 3.25);
    }

    /// Cross entropy of a one-hot target: −log softmax(ŷ)_c, here with logits (0, ln 3) and
    /// class 1: −log(3/4), to 1e-15; stable at logits ±1000 (finite, ≥ 0) where a naive
    /// softmax overflows; gradient softmax − y sums to zero over a one-hot row.
    #[test]
    fn cross_entropy_is_stable_log_softmax() {
        let yhat = [0.0, 3f64.ln()];
        let y = [0.0, 1.0];
        let mut d = [0.0; 2];
        let l = Loss::CrossEntropy.value_grad(&yhat, &y, 1, &mut d);
        assert!((l + 0.75f64.ln()).abs() < 1e-15);
        assert!((d[0] - 0.25).abs() < 1e-15 && (d[1] + 0.25).abs() < 1e-15);
        let big = [1000.0, -1000.0, 999.0];
        let l = Loss::CrossEntropy.value_grad(&big, &[0.0, 0.0, 1.0], 1, &mut [0.0; 3]);
        assert!(l.is_finite() && (l - 1.0 - (1.0 + (-1.0f64).exp()).ln()).abs() < 1e-12);
    }
}
