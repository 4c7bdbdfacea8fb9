//! Operators on values, broadcasting numbers over vectors elementwise; a boolean is 1 or 0
//! in arithmetic and comparisons (`true + true` is 2, `mean(x > 0)` a fraction). Operators
//! with a matrix are in [`super::matrix_ops`].

use super::args;
use super::error::{Result, RunError};
use crate::diag::ErrorCode;
use crate::ir::value::Value;
use crate::span::Span;
use crate::syntax::ast::{BinOp, UnOp};
use faer::Mat;
use std::sync::Arc;

pub fn unary(op: UnOp, x: Value, span: Span) -> Result<Value> {
    match (op, x) {
        (UnOp::Neg, Value::Num(a)) => Ok(Value::Num(-a)),
        (UnOp::Neg, Value::Vector(v)) => Ok(Value::vector(v.iter().map(|a| -a).collect())),
        (UnOp::Neg, Value::Matrix(m)) => Ok(Value::Matrix(Arc::new(-m.as_ref()))),
        (UnOp::Neg, b @ (Value::Bool(_) | Value::Mask(_))) => unary(op, args::numeric(b), span),
        (UnOp::Not, Value::Bool(b)) => Ok(Value::Bool(!b)),
        (UnOp::Not, Value::Mask(m)) => Ok(Value::Mask(Arc::new(m.iter().map(|b| !b).collect()))),
        (op, x) => Err(RunError::new(
            span,
            format!(
                "`{}` does not apply to {}",
                if op == UnOp::Neg { "-" } else { "not" },
                x.describe()
            ),
        )),
    }
}

fn compare(op: BinOp, a: f64, b: f64) -> bool {
    match op {
        BinOp::Eq => a == b,
        BinOp::Ne => a != b,
        BinOp::Lt => a < b,
        BinOp::Le => a <= b,
        BinOp::Gt => a > b,
        BinOp::Ge => a >= b,
        _ => false,
    }
}

/// Apply `f` elementwise to two numbers/vectors with broadcasting.
fn zip_with<T>(a: &[f64], b: &[f64], span: Span, f: impl Fn(f64, f64) -> T) -> Result<Vec<T>> {
    match (a.len(), b.len()) {
        (1, _) => Ok(b.iter().map(|&y| f(a[0], y)).collect()),
        (_, 1) => Ok(a.iter().map(|&x| f(x, b[0])).collect()),
        (n, m) if n == m => Ok(a.iter().zip(b).map(|(&x, &y)| f(x, y)).collect()),
        (n, m) => Err(
            RunError::new(span, format!("vector lengths differ: {n} and {m}"))
                .code(ErrorCode::RunShape),
        ),
    }
}

fn scalar_or_vector(v: Vec<f64>, both_scalar: bool) -> Value {
    if both_scalar {
        Value::Num(v[0])
    } else {
        Value::vector(v)
    }
}

/// Numbers, vectors, and the booleans that stand for 1 and 0 in arithmetic and comparisons.
fn numberlike(v: &Value) -> bool {
    matches!(
        v,
        Value::Num(_) | Value::Vector(_) | Value::Bool(_) | Value::Mask(_)
    )
}

pub fn binary(op: BinOp, a: Value, b: Value, span: Span) -> Result<Value> {
    use BinOp::*;
    match op {
        Range | RangeIncl => range(op, &a, &b, span),
        And | Or => logic(op, a, b, span),
        Eq | Ne if !(numberlike(&a) && numberlike(&b)) => equality(op, &a, &b, span),
        _ => numeric(op, args::numeric(a), args::numeric(b), span),
    }
}

fn numeric(op: BinOp, a: Value, b: Value, span: Span) -> Result<Value> {
    if let (Value::Matrix(_), _) | (_, Value::Matrix(_)) = (&a, &b) {
        return super::matrix_ops::matrix(op, a, b, span);
    }
    let (Some(x), Some(y)) = (a.as_slice(), b.as_slice()) else {
        let bad = if a.as_slice().is_none() { &a } else { &b };
        return Err(RunError::new(
            span,
            format!(
                "`{}` needs numbers or vectors, but one side is {}",
                op.symbol(),
                bad.describe()
            ),
        )
        .code(ErrorCode::RunType));
    };
    let scalar = matches!((&a, &b), (Value::Num(_), Value::Num(_)));
    if op.is_comparison() {
        if let Some(nan) = x.iter().chain(y).find(|v| v.is_nan()) {
            let msg = format!("`{}` compares {nan}, which is not a number", op.symbol());
            return Err(RunError::new(span, msg).code(ErrorCode::RunNotFinite));
        }
        let m = zip_with(x, y, span, |p, q| compare(op, p, q))?;
        return Ok(if scalar {
            Value::Bool(m[0])
        } else {
            Value::Mask(Arc::new(m))
        });
    }
    let out = zip_with(x, y, span, |p, q| super::elementary::arith(op, p, q))?;
    super::finite::binary(op, x, y, &out, span)?;
    Ok(scalar_or_vector(out, scalar))
}

/// `a..b` counts up from a in steps of 1 while below b (`..=`: up to b inclusive).
fn range(op: BinOp, a: &Value, b: &Value, span: Span) -> Result<Value> {
    let (Value::Num(lo), Value::Num(hi)) = (a, b) else {
        return Err(RunError::new(span, "a range runs between two numbers"));
    };
    let n = (hi - lo).floor();
    let count = if op == BinOp::RangeIncl || lo + n < *hi {
        n + 1.0
    } else {
        n
    };
    let what = format!("the range {lo}..{hi}");
    super::args::limit(&what, count, span)?;
    Ok(Value::vector(
        (0..count.max(0.0) as usize)
            .map(|k| lo + k as f64)
            .collect(),
    ))
}

fn logic(op: BinOp, a: Value, b: Value, span: Span) -> Result<Value> {
    let f = |p: bool, q: bool| if op == BinOp::And { p && q } else { p || q };
    match (a, b) {
        (Value::Bool(p), Value::Bool(q)) => Ok(Value::Bool(f(p, q))),
        (Value::Mask(m), Value::Bool(q)) | (Value::Bool(q), Value::Mask(m)) => {
            Ok(Value::Mask(Arc::new(m.iter().map(|&p| f(p, q)).collect())))
        }
        (Value::Mask(m), Value::Mask(n)) if m.len() == n.len() => Ok(Value::Mask(Arc::new(
            m.iter().zip(n.iter()).map(|(&p, &q)| f(p, q)).collect(),
        ))),
        (a, b) => Err(RunError::new(
            span,
            format!(
                "`{}` joins conditions, not {} and {}",
                op.symbol(),
                a.describe(),
                b.describe()
            ),
        )),
    }
}

fn equality(op: BinOp, a: &Value, b: &Value, span: Span) -> Result<Value> {
    let same = match (a, b) {
        (Value::Bool(p), Value::Bool(q)) => p == q,
        (Value::Str(p), Value::Str(q)) => p == q,
        _ => {
            return Err(RunError::new(
                span,
                format!("cannot compare {} with {}", a.describe(), b.describe()),
            ))
        }
    };
    Ok(Value::Bool(if op == BinOp::Eq { same } else { !same }))
}

/// Elementwise `if mask then a else b`.
pub fn select(mask: &[bool], a: Value, b: Value, span: Span) -> Result<Value> {
    let (Some(x), Some(y)) = (a.as_slice(), b.as_slice()) else {
        return Err(RunError::new(
            span,
            "an elementwise `if` needs numbers or vectors in both branches",
        ));
    };
    let pick = |i: usize, v: &[f64]| if v.len() == 1 { v[0] } else { v[i] };
    if (x.len() != 1 && x.len() != mask.len()) || (y.len() != 1 && y.len() != mask.len()) {
        return Err(RunError::new(
            span,
            format!(
                "`if` branches do not match the condition's {} elements",
                mask.len()
            ),
        ));
    }
    Ok(Value::vector(
        (0..mask.len())
            .map(|i| if mask[i] { pick(i, x) } else { pick(i, y) })
            .collect(),
    ))
}

/// Sizes along each index position (for `end`).
pub fn dims(v: &Value) -> Vec<usize> {
    match v {
        Value::Vector(x) => vec![x.len()],
        Value::Mask(x) => vec![x.len()],
        Value::List(x) => vec![x.len()],
        Value::Matrix(m) => vec![m.nrows(), m.ncols()],
        _ => vec![],
    }
}

pub fn member(v: Value, name: &str, span: Span) -> Result<Value> {
    if let Some(f) = v.field(name) {
        return Ok(f.clone());
    }
    let help = match &v {
        Value::Record(fields) => format!(
            "fields: {}",
            fields
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => format!("this is {}", other.describe()),
    };
    Err(RunError::new(span, format!("no field `{name}`"))
        .label("no such field")
        .help(help))
}

/// `m'`; a vector is a column, so `v'` is the 1 × n row.
pub fn transpose(v: Value, span: Span) -> Result<Value> {
    match v {
        Value::Matrix(m) => Ok(Value::Matrix(Arc::new(m.transpose().to_owned()))),
        Value::Vector(v) => Ok(Value::Matrix(Arc::new(Mat::from_fn(1, v.len(), |_, j| {
            v[j]
        })))),
        other => Err(RunError::new(
            span,
            format!("`'` transposes a matrix, but this is {}", other.describe()),
        )),
    }
}

/// Positions selected by one index value: a number or a vector of numbers.
fn positions(idx: Option<&Value>, len: usize, span: Span) -> Result<(Vec<usize>, bool)> {
    let Some(v) = idx else {
        return Ok(((0..len).collect(), true));
    };
    let (xs, sliced) = match v {
        Value::Num(x) => (vec![*x], false),
        Value::Vector(xs) => (xs.to_vec(), true),
        other => {
            return Err(RunError::new(
                span,
                format!("an index is a number or a range, not {}", other.describe()),
            ))
        }
    };
    let mut out = Vec::with_capacity(xs.len());
    for x in xs {
        if x < 0.0 || x != x.trunc() || x as usize >= len {
            return Err(
                RunError::new(span, format!("index {x} is out of range 0..{len}"))
                    .code(ErrorCode::RunIndex)
                    .help("indices count from 0; `end` is the last"),
            );
        }
        out.push(x as usize);
    }
    Ok((out, sliced))
}

pub fn index(t: Value, idx: &[Option<Value>], span: Span) -> Result<Value> {
    match (&t, idx.len()) {
        (Value::Vector(v), 1) => {
            let (p, sliced) = positions(idx[0].as_ref(), v.len(), span)?;
            Ok(if sliced {
                Value::vector(p.iter().map(|&i| v[i]).collect())
            } else {
                Value::Num(v[p[0]])
            })
        }
        (Value::List(l), 1) => {
            let (p, sliced) = positions(idx[0].as_ref(), l.len(), span)?;
            Ok(if sliced {
                super::args::collect_values(p.iter().map(|&i| l[i].clone()).collect())
            } else {
                l[p[0]].clone()
            })
        }
        (Value::Matrix(m), 2) => {
            let (r, rs) = positions(idx[0].as_ref(), m.nrows(), span)?;
            let (c, cs) = positions(idx[1].as_ref(), m.ncols(), span)?;
            Ok(match (rs, cs) {
                (false, false) => Value::Num(m[(r[0], c[0])]),
                (false, true) => Value::vector(c.iter().map(|&j| m[(r[0], j)]).collect()),
                (true, false) => Value::vector(r.iter().map(|&i| m[(i, c[0])]).collect()),
                (true, true) => Value::Matrix(Arc::new(Mat::from_fn(r.len(), c.len(), |i, j| {
                    m[(r[i], c[j])]
                }))),
            })
        }
        (other, n) => Err(RunError::new(
            span,
            format!("cannot index {} with {n} indices", other.describe()),
        )),
    }
}
