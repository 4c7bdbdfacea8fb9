//! Reading the arguments of builtins and the fields of blocks: numbers, counts, vectors,
//! matrices and distributions, each with the error a script author should see.

use super::error::{Result, RunError};
use crate::diag::ErrorCode;
use crate::ir::value::{Dist, Value};
use crate::span::Span;
use std::borrow::Cow;
use std::sync::Arc;

pub type Args = Vec<Option<Value>>;

pub fn num(v: &Option<Value>, name: &str, span: Span) -> Result<f64> {
    match v {
        Some(Value::Num(x)) if x.is_finite() => Ok(*x),
        Some(Value::Num(x)) => Err(RunError::new(
            span,
            format!("`{name}` is {x}, not a finite number"),
        )
        .code(ErrorCode::RunNonFinite)),
        Some(other) => Err(RunError::new(
            span,
            format!("`{name}` must be a number, but is {}", other.describe()),
        )
        .code(ErrorCode::RunType)),
        None => Err(RunError::new(span, format!("`{name}` is missing"))),
    }
}

pub use crate::limits::MAX_COUNT;

/// A positive whole number (a size or a count), at most [`MAX_COUNT`].
pub fn count(v: &Value, name: &str, span: Span) -> Result<usize> {
    let x = num(&Some(v.clone()), name, span)?;
    if x < 1.0 || x != x.trunc() {
        return Err(RunError::new(
            span,
            format!("`{name}` must be a whole number ≥ 1, but is {x}"),
        )
        .code(ErrorCode::RunValue));
    }
    if x > MAX_COUNT {
        return Err(too_many(span, &format!("`{name}`"), x));
    }
    Ok(x as usize)
}

/// A whole number ≥ 0 (an index, or a size where 0 means "none"), at most [`MAX_COUNT`].
pub fn whole(v: &Value, name: &str, span: Span) -> Result<usize> {
    if matches!(v, Value::Num(x) if *x == 0.0) {
        return Ok(0);
    }
    count(v, name, span).map_err(|_| {
        RunError::new(
            span,
            format!(
                "`{name}` must be a whole number ≥ 0, but is {}",
                v.describe()
            ),
        )
        .code(ErrorCode::RunValue)
    })
}

/// `what` (a count of `x`) exceeds [`MAX_COUNT`].
pub fn too_many(span: Span, what: &str, x: f64) -> RunError {
    RunError::new(
        span,
        format!(
            "{what} is {}, too large: a count is at most {} (10⁹)",
            crate::number::sig(x, 6),
            MAX_COUNT as u64
        ),
    )
    .code(ErrorCode::RunTooLarge)
    .label("too large")
    .help("steps, runs, draws, cells and other counts are limited to 10⁹; use a smaller value")
}

/// A boolean where numbers are expected is 1 (true) or 0 (false), as in numpy and Julia; a
/// vector of booleans (a comparison `x > 0`) is the vector of those numbers. Other values
/// are returned as they are.
pub fn numeric(v: Value) -> Value {
    match v {
        Value::Bool(b) => Value::Num(f64::from(u8::from(b))),
        Value::Mask(m) => Value::vector(m.iter().map(|&b| f64::from(u8::from(b))).collect()),
        other => other,
    }
}

pub fn numbers<'a>(v: &'a Option<Value>, name: &str, span: Span) -> Result<&'a [f64]> {
    match v.as_ref().and_then(|v| v.as_slice()) {
        Some(xs) => Ok(xs),
        None => {
            let what = v
                .as_ref()
                .map(|v| v.describe())
                .unwrap_or_else(|| "missing".into());
            Err(RunError::new(
                span,
                format!("`{name}` must be a vector of numbers, but is {what}"),
            )
            .code(ErrorCode::RunType))
        }
    }
}

pub fn finite_numbers<'a>(v: &'a Option<Value>, name: &str, span: Span) -> Result<&'a [f64]> {
    let xs = numbers(v, name, span)?;
    if let Some(i) = xs.iter().position(|x| !x.is_finite()) {
        return Err(RunError::new(
            span,
            format!("`{name}` has a non-finite value {} at position {i}", xs[i]),
        )
        .code(ErrorCode::RunNonFinite));
    }
    Ok(xs)
}

pub fn matrix<'a>(v: &'a Option<Value>, name: &str, span: Span) -> Result<&'a faer::Mat<f64>> {
    match v {
        Some(Value::Matrix(m)) => Ok(m),
        other => Err(wrong_type(
            other,
            &format!("`{name}` must be a matrix"),
            span,
        )),
    }
}

pub fn dist(v: &Option<Value>, span: Span) -> Result<&Dist> {
    match v {
        Some(Value::Dist(d)) => Ok(d),
        other => Err(wrong_type(other, "expected a distribution", span)),
    }
}

/// "`what`, but this is a vector of 3 numbers".
pub fn wrong_type(v: &Option<Value>, what: &str, span: Span) -> RunError {
    let found = v
        .as_ref()
        .map(|v| v.describe())
        .unwrap_or_else(|| "missing".into());
    RunError::new(span, format!("{what}, but this is {found}")).code(ErrorCode::RunType)
}

/// Refuse, before allocating, a value of more than [`crate::limits::MAX_ELEMENTS`] numbers.
pub fn limit(what: &str, count: f64, span: Span) -> Result<()> {
    crate::limits::check_elements(what, count)
        .map_err(|m| RunError::new(span, m).code(ErrorCode::RunTooLarge))
}

/// Rows of a matrix (or the one row of a vector).
pub fn rows_of(v: &Option<Value>, span: Span) -> Result<Vec<Vec<f64>>> {
    match v {
        Some(Value::Matrix(m)) => Ok((0..m.nrows())
            .map(|i| (0..m.ncols()).map(|j| m[(i, j)]).collect())
            .collect()),
        _ => Ok(vec![finite_numbers(v, "x", span)?.to_vec()]),
    }
}

/// Numbers and vectors concatenate into a vector; otherwise a list.
pub fn collect_values(values: Vec<Value>) -> Value {
    if values
        .iter()
        .all(|v| matches!(v, Value::Num(_) | Value::Vector(_)))
    {
        let mut out = Vec::with_capacity(values.len());
        for v in &values {
            out.extend_from_slice(v.as_slice().unwrap_or(&[]));
        }
        return Value::vector(out);
    }
    Value::List(Arc::new(values))
}

/// Values in order, stacked: numbers into a vector, vectors of one length into the rows of a
/// matrix; anything else (vectors of different lengths, matrices, records) into a list.
pub fn stack_values(values: Vec<Value>) -> Value {
    if values.iter().all(|v| matches!(v, Value::Num(_))) {
        return collect_values(values);
    }
    let n = match values.first() {
        Some(Value::Vector(v)) => v.len(),
        _ => return Value::List(Arc::new(values)),
    };
    if !values
        .iter()
        .all(|v| matches!(v, Value::Vector(u) if u.len() == n))
    {
        return Value::List(Arc::new(values));
    }
    let rows: Vec<&[f64]> = values.iter().filter_map(Value::as_slice).collect();
    Value::Matrix(Arc::new(faer::Mat::from_fn(rows.len(), n, |i, j| {
        rows[i][j]
    })))
}

/// The rows × cols matrix value of entries stored row by row.
pub fn matrix_value(rows: usize, cols: usize, entries: &[f64]) -> Value {
    Value::Matrix(Arc::new(faer::Mat::from_fn(rows, cols, |i, j| {
        entries[i * cols + j]
    })))
}

/// The entries of a matrix, row by row.
pub fn matrix_entries(m: &faer::Mat<f64>) -> Vec<f64> {
    (0..m.nrows())
        .flat_map(|i| (0..m.ncols()).map(move |j| m[(i, j)]))
        .collect()
}

/// The finite entries of a number, vector or matrix (a matrix row by row), for reductions.
pub fn finite_entries<'a>(v: &'a Option<Value>, span: Span) -> Result<Cow<'a, [f64]>> {
    let xs: Cow<[f64]> = match v {
        Some(Value::Matrix(m)) => Cow::Owned(matrix_entries(m)),
        _ => Cow::Borrowed(finite_numbers(v, "x", span)?),
    };
    if let Some(i) = xs.iter().position(|x| !x.is_finite()) {
        let msg = format!("`x` has a non-finite value {} at position {i}", xs[i]);
        return Err(RunError::new(span, msg).code(ErrorCode::RunNonFinite));
    }
    Ok(xs)
}

/// A reduction given too few values: `variance` and `std` need 2, the others 1.
pub fn too_few(name: &str, got: usize, span: Span) -> RunError {
    let need = if matches!(name, "variance" | "std") {
        "at least 2 values"
    } else {
        "at least 1 value"
    };
    let got = match got {
        0 => "an empty vector".to_string(),
        1 => "1 value".to_string(),
        n => format!("{n} values"),
    };
    RunError::new(span, format!("`{name}` needs {need}, but got {got}")).code(ErrorCode::RunValue)
}
