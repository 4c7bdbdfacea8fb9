//! Gram matrices of the closed-form kernels on inputs given as the rows of a matrix: the
//! squared-exponential (RBF) kernel and the linear kernel (the depth-1 NNGP kernel).

use super::BackendError;
use faer::{Mat, MatRef};

/// The common dimension n₀ ≥ 1 of two input sets (their rows), or a shape error.
pub fn same_dimension(x: MatRef<f64>, y: MatRef<f64>) -> Result<usize, BackendError> {
    if x.ncols() != y.ncols() || x.ncols() == 0 {
        return Err(BackendError::Shape(format!(
            "the two input sets have {} and {} coordinates; a kernel compares inputs of one dimension ≥ 1",
            x.ncols(),
            y.ncols()
        )));
    }
    Ok(x.ncols())
}

/// K(x, y) = v exp(−|x − y|²/(2ℓ²)) for the rows of x (P) and y (Q): P × Q.
pub fn rbf(
    x: MatRef<f64>,
    y: MatRef<f64>,
    lengthscale: f64,
    variance: f64,
) -> Result<Mat<f64>, BackendError> {
    let n = same_dimension(x, y)?;
    if !(lengthscale > 0.0 && variance >= 0.0) {
        return Err(BackendError::Invalid(format!(
            "the RBF kernel needs lengthscale > 0 and variance ≥ 0, but has {lengthscale} and {variance}"
        )));
    }
    let scale = -0.5 / (lengthscale * lengthscale);
    Ok(Mat::from_fn(x.nrows(), y.nrows(), |a, b| {
        let d2: f64 = (0..n).map(|j| (x[(a, j)] - y[(b, j)]).powi(2)).sum();
        variance * (scale * d2).exp()
    }))
}

/// K(x, y) = C_b + C_W x·y/n₀ for the rows of x (P) and y (Q): P × Q — the kernel of
/// z = W x + b with W ~ N(0, C_W/n₀), b ~ N(0, C_b).
pub fn linear(
    x: MatRef<f64>,
    y: MatRef<f64>,
    c_w: f64,
    c_b: f64,
) -> Result<Mat<f64>, BackendError> {
    let n = same_dimension(x, y)?;
    if !(c_w >= 0.0 && c_b >= 0.0) {
        return Err(BackendError::Invalid(format!(
            "the linear kernel needs C_W ≥ 0 and C_b ≥ 0, but has {c_w} and {c_b}"
        )));
    }
    let mut k = (x * y.transpose()) * faer::Scale(c_w / n as f64);
    for b in 0..k.ncols() {
        for a in 0..k.nrows() {
            k[(a, b)] += c_b;
        }
    }
    Ok(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_by_hand() {
        let x = Mat::from_fn(2, 2, |a, j| (a + j) as f64); // rows [0, 1], [1, 2]
        let k = rbf(x.as_ref(), x.as_ref(), 2.0, 3.0).unwrap();
        assert!((k[(0, 1)] - 3.0 * (-2.0f64 / 8.0).exp()).abs() < 1e-15);
        assert_eq!(k[(1, 1)], 3.0);
        let l = linear(x.as_ref(), x.as_ref(), 2.0, 0.5).unwrap();
        assert!((l[(0, 1)] - (0.5 + 2.0 * 2.0 / 2.0)).abs() < 1e-15);
        let y = Mat::from_fn(1, 3, |_, _| 1.0);
        assert!(rbf(x.as_ref(), y.as_ref(), 1.0, 1.0).is_err());
        assert!(rbf(x.as_ref(), x.as_ref(), 0.0, 1.0).is_err());
    }
}
