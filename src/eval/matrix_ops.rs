//! Operators with a matrix on one side. `*` is the matrix product (a vector is a column), `^`
//! with a whole exponent k ≥ 0 the matrix power M^k; `+ - % .* ./ .^` act entry by entry
//! between matrices of one shape or a matrix and a number, as do `*` and `/` by a number.

use super::error::{Result, RunError};
use crate::backend::linalg;
use crate::diag::ErrorCode;
use crate::ir::value::Value;
use crate::span::Span;
use crate::syntax::ast::BinOp;
use faer::Mat;
use std::sync::Arc;

/// A vector as the n × 1 column it stands for.
fn column(v: &[f64]) -> Mat<f64> {
    Mat::from_fn(v.len(), 1, |i, _| v[i])
}

fn shape_err(span: Span) -> impl Fn(crate::backend::BackendError) -> RunError {
    move |e| RunError::new(span, e.to_string()).code(ErrorCode::RunShape)
}

/// Products with a vector (a column): M v is a vector, v' v (1 × n times n) a number, and
/// v w' (n × 1 times 1 × m) the outer product, an n × m matrix.
fn matrix_vector(a: &Value, b: &Value, span: Span) -> Option<Result<Value>> {
    match (a, b) {
        (Value::Matrix(m), Value::Vector(v)) => Some(
            linalg::matmul((**m).as_ref(), column(v).as_ref())
                .map_err(shape_err(span))
                .map(|p| match p.nrows() {
                    1 => Value::Num(p[(0, 0)]),
                    n => Value::vector((0..n).map(|i| p[(i, 0)]).collect()),
                }),
        ),
        (Value::Vector(v), Value::Matrix(m)) => Some(
            linalg::matmul(column(v).as_ref(), (**m).as_ref())
                .map_err(|e| {
                    shape_err(span)(e).help("a vector is a column: `v * w'` is the outer product")
                })
                .map(|p| Value::Matrix(Arc::new(p))),
        ),
        _ => None,
    }
}

/// `a op b` with a matrix on at least one side.
pub fn matrix(op: BinOp, a: Value, b: Value, span: Span) -> Result<Value> {
    if op == BinOp::Mul {
        if let Some(product) = matrix_vector(&a, &b, span) {
            return product;
        }
    }
    let out = match (op, &a, &b) {
        (BinOp::Mul, Value::Matrix(x), Value::Matrix(y)) => product(x, y, span)?,
        (BinOp::Pow, Value::Matrix(x), Value::Num(k)) => power(x, *k, span)?,
        (BinOp::Pow | BinOp::Div, Value::Matrix(_), Value::Matrix(_))
        | (BinOp::Pow | BinOp::Div, Value::Num(_), Value::Matrix(_)) => {
            return Err(undefined(op, &a, &b, span).help(format!(
                "`{}` of matrices is not entrywise: `{}` is; `*` is the matrix product and `M ^ k` the matrix power",
                op.symbol(),
                entrywise_of(op)
            )))
        }
        _ if entrywise_allowed(op, &a, &b) => return entrywise(op, &a, &b, span),
        _ => return Err(undefined(op, &a, &b, span)),
    };
    let finite_input = |v: &Value| match v {
        Value::Matrix(m) => super::finite::all_finite(m),
        Value::Num(x) => x.is_finite(),
        _ => true,
    };
    let inputs_finite = finite_input(&a) && finite_input(&b);
    let what = format!("the matrix `{}`", op.symbol());
    super::finite::matrix(&what, inputs_finite, &out, span)?;
    Ok(Value::Matrix(Arc::new(out)))
}

fn entrywise_of(op: BinOp) -> &'static str {
    match op {
        BinOp::Pow => ".^",
        BinOp::Div => "./",
        _ => ".*",
    }
}

/// Whether `op` applies entry by entry to these operands (a matrix with a matrix or a number).
fn entrywise_allowed(op: BinOp, a: &Value, b: &Value) -> bool {
    use BinOp::*;
    let by_number = matches!(
        (op, a, b),
        (Mul | Div, Value::Matrix(_), Value::Num(_)) | (Mul, Value::Num(_), Value::Matrix(_))
    );
    let operands = matches!(
        (a, b),
        (Value::Matrix(_), Value::Matrix(_) | Value::Num(_)) | (Value::Num(_), Value::Matrix(_))
    );
    by_number || (matches!(op, Add | Sub | Mod | ElemMul | ElemDiv | ElemPow) && operands)
}

/// "`^` is not defined between a 2×2 matrix and a vector of 3 numbers".
fn undefined(op: BinOp, a: &Value, b: &Value, span: Span) -> RunError {
    let msg = format!(
        "`{}` is not defined between {} and {}",
        op.symbol(),
        a.describe(),
        b.describe()
    );
    RunError::new(span, msg).code(ErrorCode::RunType)
}

/// The matrix product, refused above the element limit before it is computed.
fn product(x: &Mat<f64>, y: &Mat<f64>, span: Span) -> Result<Mat<f64>> {
    let what = format!("the {}×{} product", x.nrows(), y.ncols());
    super::args::limit(&what, x.nrows() as f64 * y.ncols() as f64, span)?;
    linalg::matmul(x.as_ref(), y.as_ref()).map_err(shape_err(span))
}

/// The matrix power Mᵏ of a square M and a whole k ≥ 0 (M⁰ = I), by repeated squaring.
fn power(m: &Mat<f64>, k: f64, span: Span) -> Result<Mat<f64>> {
    let hint = "`M ^ k` is the matrix power M·M·…·M, for a square M and a whole k ≥ 0; `M .^ p` raises each entry to the power p";
    if m.nrows() != m.ncols() {
        let msg = format!(
            "the matrix power needs a square matrix, but this is {}×{}",
            m.nrows(),
            m.ncols()
        );
        return Err(RunError::new(span, msg)
            .code(ErrorCode::RunShape)
            .help(hint));
    }
    if !(k >= 0.0 && k == k.trunc() && k <= super::args::MAX_COUNT) {
        let msg = format!("the matrix power needs a whole exponent k ≥ 0, but k is {k}");
        return Err(RunError::new(span, msg)
            .code(ErrorCode::RunValue)
            .help(hint));
    }
    let (mut k, mut base) = (k as u64, m.clone());
    let mut out = Mat::identity(m.nrows(), m.ncols());
    while k > 0 {
        if k & 1 == 1 {
            out = product(&out, &base, span)?;
        }
        k >>= 1;
        if k > 0 {
            base = product(&base, &base, span)?;
        }
    }
    Ok(out)
}

/// `x op y` entry by entry: two matrices of one shape, or a matrix and a number.
fn entrywise(op: BinOp, a: &Value, b: &Value, span: Span) -> Result<Value> {
    let (rows, cols) = match (a, b) {
        (Value::Matrix(x), Value::Matrix(y)) if x.shape() != y.shape() => {
            let msg = format!(
                "matrix shapes differ: {}×{} and {}×{}",
                x.nrows(),
                x.ncols(),
                y.nrows(),
                y.ncols()
            );
            return Err(RunError::new(span, msg).code(ErrorCode::RunShape));
        }
        (Value::Matrix(m), _) | (_, Value::Matrix(m)) => (m.nrows(), m.ncols()),
        _ => unreachable!("entrywise: a matrix on one side"),
    };
    let flat = |v: &Value| match v {
        Value::Matrix(m) => super::args::matrix_entries(m),
        Value::Num(c) => vec![*c],
        _ => Vec::new(),
    };
    let (x, y) = (flat(a), flat(b));
    let at = |v: &[f64], k: usize| if v.len() == 1 { v[0] } else { v[k] };
    let out: Vec<f64> = (0..rows * cols)
        .map(|k| super::elementary::arith(op, at(&x, k), at(&y, k)))
        .collect();
    super::finite::binary(op, &x, &y, &out, span)?;
    Ok(Value::Matrix(Arc::new(Mat::from_fn(rows, cols, |i, j| {
        out[i * cols + j]
    }))))
}
