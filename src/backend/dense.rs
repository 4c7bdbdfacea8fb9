//! Dense linear algebra for scripts, on faer: linear solves and inverses by LU with partial
//! pivoting (PA = LU), Cholesky factors A = LLᵀ, the symmetric eigendecomposition A = QΛQᵀ,
//! determinants from the LU pivots, and sample covariances. Every routine refuses non-finite
//! entries, and a singular or non-positive-definite matrix, with a message that says which.

use super::linalg::{check_finite, check_symmetric};
use super::BackendError;
use faer::linalg::solvers::{DenseSolveCore, Solve};
use faer::{Mat, MatRef, Side};

fn square(a: MatRef<f64>, what: &str) -> Result<usize, BackendError> {
    if a.nrows() != a.ncols() {
        return Err(BackendError::Shape(format!(
            "{what} needs a square matrix, but this is {}×{}",
            a.nrows(),
            a.ncols()
        )));
    }
    check_finite(a)?;
    Ok(a.nrows())
}

/// PA = LU, refused when a pivot |Uᵢᵢ| ≤ n·ε·max|Uⱼⱼ| (numerically singular).
fn lu(
    a: MatRef<f64>,
    what: &str,
) -> Result<faer::linalg::solvers::PartialPivLu<f64>, BackendError> {
    let n = square(a, what)?;
    let lu = a.partial_piv_lu();
    let pivots: Vec<f64> = (0..n).map(|i| lu.U()[(i, i)].abs()).collect();
    let largest = pivots.iter().copied().fold(0.0f64, f64::max);
    let tol = n as f64 * f64::EPSILON * largest;
    if let Some(i) = pivots.iter().position(|&p| p <= tol) {
        return Err(BackendError::Invalid(format!(
            "{what}: the matrix is singular (LU pivot {i} is {:.3e}, against the largest {largest:.3e})",
            pivots[i]
        )));
    }
    Ok(lu)
}

/// X with AX = B (A square and non-singular; B with A's number of rows).
pub fn solve(a: MatRef<f64>, b: MatRef<f64>) -> Result<Mat<f64>, BackendError> {
    let lu = lu(a, "`solve`")?;
    if b.nrows() != a.nrows() {
        return Err(BackendError::Shape(format!(
            "`solve(A, b)` needs b with {} rows (A is {}×{}), but b has {}",
            a.nrows(),
            a.nrows(),
            a.ncols(),
            b.nrows()
        )));
    }
    check_finite(b)?;
    Ok(lu.solve(b))
}

/// A⁻¹ from PA = LU.
pub fn inverse(a: MatRef<f64>) -> Result<Mat<f64>, BackendError> {
    Ok(lu(a, "`inverse`")?.inverse())
}

/// The lower-triangular L with A = LLᵀ, for symmetric positive definite A.
pub fn cholesky(a: MatRef<f64>) -> Result<Mat<f64>, BackendError> {
    square(a, "`cholesky`")?;
    check_symmetric(a, "`cholesky`", "")?;
    let llt = a.llt(Side::Lower).map_err(|_| {
        BackendError::Invalid(
            "`cholesky`: the matrix is not positive definite (a pivot is ≤ 0)".into(),
        )
    })?;
    Ok(llt.L().to_owned())
}

/// The eigendecomposition A = QΛQᵀ of a symmetric matrix: eigenvalues ascending, and the
/// orthonormal eigenvectors as the columns of Q in the same order.
pub fn eigh(a: MatRef<f64>) -> Result<(Vec<f64>, Mat<f64>), BackendError> {
    let n = square(a, "`eigh`")?;
    check_symmetric(a, "`eigh`", "")?;
    let evd = a
        .self_adjoint_eigen(Side::Lower)
        .map_err(|_| BackendError::Numerical("`eigh`: the eigensolver did not converge".into()))?;
    let values = (0..n).map(|i| evd.S()[i]).collect();
    Ok((values, evd.U().to_owned()))
}

/// (sign, ln|det A|) from PA = LU: det A = sign(P)·Πᵢ Uᵢᵢ. A singular matrix gives (0, −∞).
pub fn log_determinant(a: MatRef<f64>) -> Result<(f64, f64), BackendError> {
    let n = square(a, "`det`")?;
    if n == 0 {
        return Ok((1.0, 0.0));
    }
    let lu = a.partial_piv_lu();
    let (mut sign, mut log) = (1.0, 0.0);
    for i in 0..n {
        let u = lu.U()[(i, i)];
        if u == 0.0 {
            return Ok((0.0, f64::NEG_INFINITY));
        }
        sign *= u.signum();
        log += u.abs().ln();
    }
    Ok((sign * permutation_sign(lu.P().arrays().0), log))
}

/// The sign of a permutation, (−1)^(n − number of cycles).
fn permutation_sign(forward: &[usize]) -> f64 {
    let mut seen = vec![false; forward.len()];
    let mut transpositions = 0;
    for start in 0..forward.len() {
        let mut i = start;
        let mut length = 0;
        while !seen[i] {
            seen[i] = true;
            i = forward[i];
            length += 1;
        }
        transpositions += length.max(1) - 1;
    }
    if transpositions % 2 == 0 {
        1.0
    } else {
        -1.0
    }
}

/// The unbiased sample covariance Cⱼₖ = Σᵢ (xᵢⱼ − x̄ⱼ)(xᵢₖ − x̄ₖ)/(n − 1) of the columns of x
/// (one observation per row, as numpy's `cov(x, rowvar = False)`), n ≥ 2.
pub fn covariance(x: MatRef<f64>) -> Result<Mat<f64>, BackendError> {
    check_finite(x)?;
    let (n, p) = (x.nrows(), x.ncols());
    if n < 2 {
        return Err(BackendError::Invalid(format!(
            "`cov` needs at least 2 observations (rows), but has {n}"
        )));
    }
    let means: Vec<f64> = (0..p)
        .map(|j| (0..n).map(|i| x[(i, j)]).sum::<f64>() / n as f64)
        .collect();
    let centred = Mat::from_fn(n, p, |i, j| x[(i, j)] - means[j]);
    let mut c = centred.transpose() * &centred;
    c *= faer::Scale(1.0 / (n as f64 - 1.0));
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutation_signs() {
        assert_eq!(permutation_sign(&[0, 1, 2]), 1.0);
        assert_eq!(permutation_sign(&[1, 0, 2]), -1.0);
        assert_eq!(permutation_sign(&[1, 2, 0]), 1.0);
    }

    #[test]
    fn determinant_of_a_permuted_diagonal() {
        let a = Mat::from_fn(3, 3, |i, j| match (i, j) {
            (0, 1) => 2.0,
            (1, 0) => 3.0,
            (2, 2) => -4.0,
            _ => 0.0,
        });
        let (sign, log) = log_determinant(a.as_ref()).unwrap();
        assert!((sign * log.exp() - 24.0).abs() < 1e-12, "{sign} {log}");
    }
}
