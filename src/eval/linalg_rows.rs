//! The dense linear-algebra builtins (`solve`, `inverse`, `cholesky`, `eigh`, `det`, `logdet`,
//! `cov`): values in and out, the numerics in [`crate::backend::dense`] (faer).

use super::args::{matrix, Args};
use super::error::{Result, RunError};
use super::kernel::{Kernel, Row};
use crate::backend::dense;
use crate::builtins::{req, Builtin, Mode, Ret};
use crate::diag::ErrorCode;
use crate::ir::value::Value;
use crate::span::Span;
use crate::types::ParamTy;
use faer::Mat;
use std::sync::Arc;
use Kernel::Pure;

const M: &[crate::builtins::Param] = &[req("m", ParamTy::Matrix)];

/// The linear-algebra builtins.
pub static ROWS: &[Row] = &[
    Row { sig: Builtin { name: "solve", params: &[req("a", ParamTy::Matrix), req("b", ParamTy::Numeric)], ret: Ret::Any, mode: Mode::Plain, doc: "x with A x = b, by LU with partial pivoting (faer): b a vector gives a vector, b a matrix the matrix X with A X = B; a singular A is refused (e.g. `solve(identity(2), [1, 2])`)" }, run: Pure(solve) },
    Row { sig: Builtin { name: "inverse", params: M, ret: Ret::Matrix, mode: Mode::Plain, doc: "A⁻¹ by LU with partial pivoting; a singular A is refused (solve(A, b) is cheaper and more accurate than inverse(A) * b) (e.g. `inverse(2 * identity(3))`)" }, run: Pure(|a, s| unary(a, s, dense::inverse)) },
    Row { sig: Builtin { name: "cholesky", params: M, ret: Ret::Matrix, mode: Mode::Plain, doc: "the lower-triangular L with A = L Lᵀ of a symmetric positive definite A; refused if A is not (e.g. `cholesky(2 * identity(3))`)" }, run: Pure(|a, s| unary(a, s, dense::cholesky)) },
    Row { sig: Builtin { name: "eigh", params: M, ret: Ret::Record, mode: Mode::Plain, doc: "the eigendecomposition A = Q diag(λ) Qᵀ of a symmetric matrix: `values` ascending and `vectors`, the orthonormal eigenvectors as columns in the same order (e.g. `eigh(identity(3)).values`)" }, run: Pure(eigh) },
    Row { sig: Builtin { name: "det", params: M, ret: Ret::Num, mode: Mode::Plain, doc: "det A = sign(P) Πᵢ Uᵢᵢ from PA = LU (may overflow for large matrices: use `logdet`) (e.g. `det(2 * identity(3))`)" }, run: Pure(det) },
    Row { sig: Builtin { name: "logdet", params: M, ret: Ret::Record, mode: Mode::Plain, doc: "`sign` and `value` = ln|det A| from PA = LU, without overflow (a singular A is refused: its det is 0) (e.g. `logdet(2 * identity(3)).value`)" }, run: Pure(logdet) },
    Row { sig: Builtin { name: "cov", params: &[req("x", ParamTy::Matrix)], ret: Ret::Matrix, mode: Mode::Plain, doc: "the unbiased sample covariance Σᵢ (xᵢⱼ − x̄ⱼ)(xᵢₖ − x̄ₖ)/(n − 1) of the columns of x, one observation per row (as numpy's cov with rowvar = False) (e.g. `cov(reshape([1, 2, 2, 4, 3, 7], 3))`)" }, run: Pure(cov) },
];

fn unary(
    a: &Args,
    span: Span,
    f: fn(faer::MatRef<f64>) -> std::result::Result<Mat<f64>, crate::backend::BackendError>,
) -> Result<Value> {
    let m = matrix(&a[0], "m", span)?;
    Ok(Value::Matrix(Arc::new(
        f(m.as_ref()).map_err(RunError::refused(span))?,
    )))
}

fn solve(a: &Args, span: Span) -> Result<Value> {
    let m = matrix(&a[0], "a", span)?;
    match &a[1] {
        Some(Value::Matrix(b)) => {
            let x =
                dense::solve(m.as_ref(), b.as_ref().as_ref()).map_err(RunError::refused(span))?;
            Ok(Value::Matrix(Arc::new(x)))
        }
        Some(v) => {
            let Some(b) = v.as_slice() else {
                return Err(RunError::new(span, "`b` must be a vector or a matrix")
                    .code(ErrorCode::RunType));
            };
            let column = Mat::from_fn(b.len(), 1, |i, _| b[i]);
            let x = dense::solve(m.as_ref(), column.as_ref()).map_err(RunError::refused(span))?;
            Ok(Value::vector((0..x.nrows()).map(|i| x[(i, 0)]).collect()))
        }
        None => Err(RunError::new(span, "`b` is required").code(ErrorCode::RunType)),
    }
}

fn eigh(a: &Args, span: Span) -> Result<Value> {
    let m = matrix(&a[0], "m", span)?;
    let (values, vectors) = dense::eigh(m.as_ref()).map_err(RunError::refused(span))?;
    Ok(Value::record(vec![
        ("values".into(), Value::vector(values)),
        ("vectors".into(), Value::Matrix(Arc::new(vectors))),
    ]))
}

fn det(a: &Args, span: Span) -> Result<Value> {
    let m = matrix(&a[0], "m", span)?;
    let (sign, log) = dense::log_determinant(m.as_ref()).map_err(RunError::refused(span))?;
    if sign == 0.0 {
        return Ok(Value::Num(0.0));
    }
    let d = sign * log.exp();
    if !d.is_finite() {
        return Err(
            RunError::new(span, format!("det overflows: ln|det| = {log:.6e}"))
                .code(ErrorCode::RunNonFinite)
                .help("`logdet(A).value` is ln|det A| without overflow"),
        );
    }
    Ok(Value::Num(d))
}

fn logdet(a: &Args, span: Span) -> Result<Value> {
    let m = matrix(&a[0], "m", span)?;
    let (sign, log) = dense::log_determinant(m.as_ref()).map_err(RunError::refused(span))?;
    if sign == 0.0 {
        return Err(
            RunError::new(span, "`logdet`: the matrix is singular (ln|det| = −∞)")
                .code(ErrorCode::RunValue)
                .help("`det(A)` is 0 for a singular A"),
        );
    }
    Ok(Value::record(vec![
        ("sign".into(), Value::Num(sign)),
        ("value".into(), Value::Num(log)),
    ]))
}

fn cov(a: &Args, span: Span) -> Result<Value> {
    let x = matrix(&a[0], "x", span)?;
    Ok(Value::Matrix(Arc::new(
        dense::covariance(x.as_ref()).map_err(RunError::refused(span))?,
    )))
}
