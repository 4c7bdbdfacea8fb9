//! Builtins on whole arrays: counting conditions, reductions along an axis, diagonals,
//! filled arrays, and the stacking of `sample`'s draws.

use super::args::{count, finite_entries, num, numbers, numeric, Args};
use super::error::{Result, RunError};
use crate::diag::ErrorCode;
use crate::ir::value::Value;
use crate::span::Span;
use std::sync::Arc;

/// `count(cond)`: the number of true entries; `fraction(cond)`: that number over the number
/// of entries (at least one).
pub(super) fn truths(a: &Args, span: Span, fraction: bool) -> Result<Value> {
    let (yes, n) = match &a[0] {
        Some(Value::Bool(b)) => (usize::from(*b), 1),
        Some(Value::Mask(m)) => (m.iter().filter(|&&b| b).count(), m.len()),
        other => {
            let what = other.as_ref().map(|v| v.describe()).unwrap_or_default();
            let msg = format!("`cond` must be a condition (true or false, or a comparison of vectors), but is {what}");
            return Err(RunError::new(span, msg)
                .code(ErrorCode::RunType)
                .help("`count(x > 0)` counts the entries of x above 0; `sum(v)` adds numbers"));
        }
    };
    if !fraction {
        return Ok(Value::Num(yes as f64));
    }
    if n == 0 {
        return Err(
            RunError::new(span, "`fraction` of an empty condition").code(ErrorCode::RunValue)
        );
    }
    Ok(Value::Num(yes as f64 / n as f64))
}

/// One draw of `sample(x, draws = K)`: a number or a vector (a boolean is 1 or 0).
pub(super) fn sample_one(a: &Args, span: Span) -> Result<Value> {
    match a[0].clone().map(numeric) {
        Some(v @ (Value::Num(_) | Value::Vector(_))) => Ok(v),
        other => {
            let what = other.map(|v| v.describe()).unwrap_or_default();
            Err(RunError::new(span, format!("`sample` pools numbers or vectors, but a draw gave {what}"))
                .code(ErrorCode::RunType)
                .help("sample a number or a vector computed from the matrix: `sample(trace(W' * W), draws = 100)`, `sample(flatten(W), draws = 100)`"))
        }
    }
}

/// The draws of `sample`, in draw order: numbers into a vector, vectors of one length n into
/// the rows of a draws × n matrix.
pub(super) fn stack(parts: Vec<Value>, span: Span) -> Result<Value> {
    if parts.iter().all(|p| matches!(p, Value::Num(_))) {
        return Ok(super::args::stack_values(parts));
    }
    let n = parts
        .iter()
        .find_map(Value::as_slice)
        .map_or(0, <[f64]>::len);
    if let Some(d) = parts
        .iter()
        .position(|p| !matches!(p, Value::Vector(v) if v.len() == n))
    {
        let msg = format!(
            "`sample` stacks one vector per draw into a matrix, but draw 0 gave a vector of {n} and draw {d} gave {}",
            parts[d].describe()
        );
        return Err(RunError::new(span, msg).code(ErrorCode::RunShape));
    }
    super::args::limit("the sample", parts.len() as f64 * n as f64, span)?;
    Ok(super::args::stack_values(parts))
}

/// `sum(M, axis = k)`, `mean`, `variance`, `std` (numpy's convention, the variance unbiased): axis = 0 reduces over the
/// rows, giving one value per column; axis = 1 over the columns, one value per row. Without
/// an axis, over all entries.
pub(super) fn along_axis(name: &str, a: &Args, span: Span) -> Result<Value> {
    let Some(axis) = &a[1] else {
        return super::builtins::reductions(name, a, span);
    };
    let axis = num(&Some(axis.clone()), "axis", span)?;
    let Some(Value::Matrix(m)) = &a[0] else {
        let what = a[0].as_ref().map(|v| v.describe()).unwrap_or_default();
        let msg = format!("`axis` of `{name}` reduces a matrix, but `x` is {what}");
        return Err(RunError::new(span, msg)
            .code(ErrorCode::RunType)
            .help(format!(
                "`{name}(x)` reduces all of x; `axis` picks rows or columns of a matrix"
            )));
    };
    finite_entries(&a[0], span)?;
    let (r, c) = (m.nrows(), m.ncols());
    let spread = matches!(name, "variance" | "std");
    if spread && ((axis == 0.0 && r < 2) || (axis == 1.0 && c < 2)) {
        let msg = format!("`{name}` along axis {axis} needs at least 2 values per line, but the matrix is {r}×{c}");
        return Err(RunError::new(span, msg).code(ErrorCode::RunValue));
    }
    Ok(Value::vector(match axis {
        0.0 => (0..c)
            .map(|j| reduce_line(name, &mut (0..r).map(|i| m[(i, j)]), r))
            .collect(),
        1.0 => (0..r)
            .map(|i| reduce_line(name, &mut (0..c).map(|j| m[(i, j)]), c))
            .collect(),
        k => {
            let msg = format!("`axis` of `{name}` must be 0 or 1, but is {k}");
            return Err(RunError::new(span, msg)
                .code(ErrorCode::RunValue)
                .help("axis = 0 reduces over the rows (one value per column), axis = 1 over the columns (one value per row)"));
        }
    }))
}

/// One line of a matrix reduced: the sum, the mean, or the unbiased variance
/// Σ(x − x̄)²/(n − 1) (two passes) and its square root.
fn reduce_line(name: &str, xs: &mut dyn Iterator<Item = f64>, n: usize) -> f64 {
    let values: Vec<f64> = xs.collect();
    let sum: f64 = values.iter().sum();
    let mean = sum / n as f64;
    let variance = || values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n as f64 - 1.0);
    match name {
        "mean" => mean,
        "variance" => variance(),
        "std" => variance().sqrt(),
        _ => sum,
    }
}

/// `diag(M)`: the diagonal M₀₀, M₁₁, … (min(rows, cols) entries); `diag(v)`: the square
/// matrix with v on its diagonal and zeros elsewhere.
pub(super) fn diag(a: &Args, span: Span) -> Result<Value> {
    if let Some(Value::Matrix(m)) = &a[0] {
        let n = m.nrows().min(m.ncols());
        return Ok(Value::vector((0..n).map(|i| m[(i, i)]).collect()));
    }
    let v = numbers(&a[0], "x", span)?;
    let n = v.len();
    super::args::limit(&format!("diag of {n} numbers"), n as f64 * n as f64, span)?;
    Ok(Value::Matrix(Arc::new(faer::Mat::from_fn(n, n, |i, j| {
        if i == j {
            v[i]
        } else {
            0.0
        }
    }))))
}

/// `zeros(n)` / `ones(n)`: a vector of n; with `cols`, a rows × cols matrix.
pub(super) fn filled(a: &Args, span: Span, value: f64) -> Result<Value> {
    let size = |i: usize, name: &str| count(a[i].as_ref().unwrap_or(&Value::Num(0.0)), name, span);
    let rows = size(0, "rows")?;
    let Some(_) = &a[1] else {
        super::args::limit(&format!("a vector of {rows}"), rows as f64, span)?;
        return Ok(Value::vector(vec![value; rows]));
    };
    let cols = size(1, "cols")?;
    super::args::limit(
        &format!("a {rows}×{cols} matrix"),
        rows as f64 * cols as f64,
        span,
    )?;
    Ok(Value::Matrix(Arc::new(faer::Mat::from_fn(
        rows,
        cols,
        |_, _| value,
    ))))
}
