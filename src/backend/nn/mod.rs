//! Networks and their training, numerically: fully connected networks ([`mlp`]) with their
//! activations and losses, the Gaussian–Gaussian restricted Boltzmann machine ([`rbm`]), and
//! the optimisers that update a flat parameter vector ([`optim`]). Plain slices in and out; the
//! small dense loops of a training step are hand-written over reusable workspaces, so a warm
//! step allocates nothing.

pub mod activation;
pub mod loss;
pub mod mlp;
pub mod optim;
pub mod rbm;
pub mod tanh;

/// y ← y + αx.
#[inline]
pub(crate) fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    for (yi, &xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

/// Σᵢ aᵢbᵢ with four partial sums (so that the compiler can vectorise it).
#[inline]
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let (ac, bc) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = ac
        .remainder()
        .iter()
        .zip(bc.remainder())
        .map(|(x, y)| x * y)
        .sum();
    let mut s = [0.0; 4];
    for (x, y) in ac.zip(bc) {
        for k in 0..4 {
            s[k] += x[k] * y[k];
        }
    }
    (s[0] + s[1]) + (s[2] + s[3]) + tail
}
