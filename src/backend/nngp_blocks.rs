//! Blocks of the NNGP kernel between two input sets, without the kernel of their union: the
//! recursion K⁽ℓ⁺¹⁾_ab = C_b + C_W E[σ(u)σ(v)], (u, v) ~ N(0, [[K_aa, K_ab], [K_ab, K_bb]]), needs
//! of an entry only its own previous value and the two points' diagonals K⁽ℓ⁾_aa, K⁽ℓ⁾_bb. So the
//! cross block K(x, y) (P × Q) costs P·Q entries and the diagonal K(y_b, y_b) Q one-input
//! recursions, where the joint Gram matrix of x and y would cost (P + Q)². GP regression
//! needs exactly these: K(x, x), K(x, x_*) and diag K(x_*, x_*).

use super::nngp::{check_variances, Gauss};
use super::BackendError;
use faer::{Mat, MatRef};
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// K⁽ℓ⁾(x_a, x_a) for ℓ = 1 … depth (outer index ℓ − 1) of every row of x.
pub fn diagonals(
    x: MatRef<f64>,
    g: &Gauss,
    depth: usize,
    (c_w, c_b): (f64, f64),
) -> Result<Vec<Vec<f64>>, BackendError> {
    check_variances(c_w, c_b)?;
    let n0 = x.ncols().max(1) as f64;
    let first: Vec<f64> = (0..x.nrows())
        .map(|a| c_b + c_w * (0..x.ncols()).map(|j| x[(a, j)].powi(2)).sum::<f64>() / n0)
        .collect();
    let mut layers = vec![first];
    for _ in 1..depth {
        let last = layers.last().expect("one layer at least");
        layers.push(last.iter().map(|k| c_b + c_w * g.square(*k)).collect());
    }
    Ok(layers)
}

/// The cross block K⁽ᴸ⁾(x_a, y_b) (P × Q) of the rows of x and y, L = depth ≥ 1, rows in
/// parallel (each entry is computed alone, so the result does not depend on the threads).
pub fn cross(
    (x, y): (MatRef<f64>, MatRef<f64>),
    g: &Gauss,
    depth: usize,
    c: (f64, f64),
    stop: &AtomicBool,
) -> Result<Mat<f64>, BackendError> {
    let n0 = super::kernels::same_dimension(x, y)? as f64;
    let (dx, dy) = (diagonals(x, g, depth, c)?, diagonals(y, g, depth, c)?);
    let (c_w, c_b) = c;
    let rows: Vec<Vec<f64>> = (0..x.nrows())
        .into_par_iter()
        .map(|a| {
            if stop.load(Ordering::Relaxed) {
                return Vec::new();
            }
            (0..y.nrows())
                .map(|b| {
                    let dot: f64 = (0..x.ncols()).map(|j| x[(a, j)] * y[(b, j)]).sum();
                    let mut k = c_b + c_w * dot / n0;
                    for l in 1..depth {
                        k = c_b + c_w * g.pair(dx[l - 1][a], dy[l - 1][b], k);
                    }
                    k
                })
                .collect()
        })
        .collect();
    if stop.load(Ordering::Relaxed) {
        return Err(BackendError::Interrupted);
    }
    let out = Mat::from_fn(x.nrows(), y.nrows(), |a, b| rows[a][b]);
    if let Some(bad) = (0..y.nrows())
        .map(|b| dy[depth - 1][b])
        .find(|v| !v.is_finite())
    {
        return Err(BackendError::Numerical(format!(
            "the kernel overflowed (K = {bad:e}): it grows without bound with depth"
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::nn::activation::Activation;

    /// The cross block and the diagonal agree with the kernel of the joint input set.
    #[test]
    fn blocks_are_those_of_the_joint_gram_matrix() {
        let all = Mat::from_fn(5, 2, |a, j| ((a * 2 + j) as f64 * 0.7).sin());
        let stop = AtomicBool::new(false);
        for act in [Activation::Relu, Activation::Erf, Activation::Tanh] {
            let g = Gauss::new(act, 60, false).unwrap();
            let c = (1.5, 0.2);
            let joint = super::super::nngp::nngp(all.as_ref(), &g, 4, c, &stop).unwrap();
            let (x, y) = (all.subrows(0, 3), all.subrows(3, 2));
            let block = cross((x, y), &g, 4, c, &stop).unwrap();
            let diag = diagonals(y, &g, 4, c).unwrap();
            for a in 0..3 {
                for b in 0..2 {
                    assert!((block[(a, b)] - joint[(a, 3 + b)]).abs() < 1e-14, "{act:?}");
                }
            }
            for b in 0..2 {
                assert!(
                    (diag[3][b] - joint[(3 + b, 3 + b)]).abs() < 1e-14,
                    "{act:?}"
                );
            }
        }
    }
}
