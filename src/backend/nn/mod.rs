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

/// y ← y + αx.
#[inline]
pub(crate) fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    for (yi, &xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}
