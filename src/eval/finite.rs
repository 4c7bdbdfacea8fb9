//! The non-finite policy (README, "Numbers that are not finite"): arithmetic never makes a NaN
//! or an infinity silently. An operator or elementary function whose result is not finite
//! while its arguments are is an error at that operation (`wmd::run::not_finite`), naming
//! the operation, the values and the reason (division by zero, a logarithm of a negative
//! number, overflow). An infinity written on purpose (the constant `inf`) may pass through
//! arithmetic that keeps it infinite; a NaN never does. A report, sweep or `expect` value
//! that is still not finite is an error naming the item.

use super::error::{Result, RunError};
use crate::diag::ErrorCode;
use crate::ir::value::Value;
use crate::number::sig4 as fmt;
use crate::span::Span;
use crate::syntax::ast::BinOp;

fn error(span: Span, what: String, reason: &str, at: Option<(usize, usize)>) -> RunError {
    let place = match at {
        Some((i, n)) if n > 1 => format!(" (element {i} of {n})"),
        _ => String::new(),
    };
    RunError::new(span, format!("{what} is not finite{place}: {reason}"))
        .code(ErrorCode::RunNotFinite)
        .help("wmd stops at the first operation that makes a NaN or an infinity (README, \"Numbers that are not finite\")")
}

/// Why `p op q` is not finite.
fn reason(op: BinOp, p: f64, q: f64, r: f64) -> &'static str {
    match op {
        BinOp::Div | BinOp::ElemDiv if q == 0.0 && p == 0.0 => "zero divided by zero",
        BinOp::Div | BinOp::ElemDiv if q == 0.0 => "division by zero",
        BinOp::Mod if q == 0.0 => "a modulus by zero",
        BinOp::Pow | BinOp::ElemPow if r.is_nan() => "a negative number to a fractional power",
        BinOp::Pow | BinOp::ElemPow if p == 0.0 => "zero to a negative power",
        _ if r.is_nan() => "the result is not a number",
        _ => "the result overflows (beyond ±1.8e308)",
    }
}

/// Check the elementwise result `out` of `x op y` (either side may be broadcast).
pub fn binary(op: BinOp, x: &[f64], y: &[f64], out: &[f64], span: Span) -> Result<()> {
    let n = out.len();
    for (i, &r) in out.iter().enumerate() {
        if r.is_finite() {
            continue;
        }
        let p = x[if x.len() == 1 { 0 } else { i }];
        let q = y[if y.len() == 1 { 0 } else { i }];
        if r.is_nan() || (p.is_finite() && q.is_finite()) {
            let what = format!("`{} {} {}`", fmt(p), op.symbol(), fmt(q));
            return Err(error(span, what, reason(op, p, q, r), Some((i, n))));
        }
    }
    Ok(())
}

/// The domain of an elementary function, said when its result at `x` is not finite.
fn domain(name: &str, x: &[f64]) -> &'static str {
    let x0 = x.first().copied().unwrap_or(f64::NAN);
    let pole = x0 <= 0.0 && x0 == x0.trunc();
    match name {
        "sqrt" => "sqrt is defined for x ≥ 0",
        "log" if x0 == 0.0 => "log(0) is −∞",
        "log" => "log is defined for x > 0",
        "exp" => "exp overflows for x > 709.78",
        "asin" | "acos" => "asin and acos are defined for −1 ≤ x ≤ 1",
        "atanh" if x0.abs() == 1.0 => "atanh(±1) is ±∞",
        "atanh" => "atanh is defined for −1 < x < 1",
        "acosh" => "acosh is defined for x ≥ 1",
        "sinh" | "cosh" => "sinh and cosh overflow for |x| > 710.47",
        "gamma" if pole => "Γ has poles at 0, −1, −2, …",
        "gamma" => "Γ(x) overflows for x > 171.62",
        "lgamma" if pole => "ln|Γ| is +∞ at the poles 0, −1, −2, …",
        "clamp" => "clamp(x, low, high) needs low ≤ high",
        _ => "the result is outside the numbers",
    }
}

/// Check the result `r` of an elementary function `name` at `x`.
pub fn function(name: &str, x: f64, r: f64, at: Option<(usize, usize)>, span: Span) -> Result<()> {
    call(name, &[x], r, at, span)
}

/// Check the result `r` of an elementary function `name` of the numbers `args`: an error
/// when it is not finite while they all are (or when it is a NaN).
pub fn call(
    name: &str,
    args: &[f64],
    r: f64,
    at: Option<(usize, usize)>,
    span: Span,
) -> Result<()> {
    if r.is_finite() || (!r.is_nan() && args.iter().any(|x| !x.is_finite())) {
        return Ok(());
    }
    let shown: Vec<String> = args.iter().map(|&x| fmt(x)).collect();
    let what = format!("`{name}({})`", shown.join(", "));
    Err(error(span, what, domain(name, args), at))
}

/// Check every entry of a matrix made from finite entries.
pub fn matrix(what: &str, inputs_finite: bool, m: &faer::Mat<f64>, span: Span) -> Result<()> {
    for j in 0..m.ncols() {
        for i in 0..m.nrows() {
            let r = m[(i, j)];
            if !r.is_finite() && (inputs_finite || r.is_nan()) {
                let what = format!("{what}, entry ({i}, {j}),");
                return Err(error(
                    span,
                    what,
                    "the result overflows or is not a number",
                    None,
                ));
            }
        }
    }
    Ok(())
}

/// Whether every number of a matrix is finite.
pub fn all_finite(m: &faer::Mat<f64>) -> bool {
    (0..m.ncols()).all(|j| (0..m.nrows()).all(|i| m[(i, j)].is_finite()))
}

/// Where in `v` the first number that is not finite sits (`.field[index]`), and the number.
pub fn first_non_finite(v: &Value) -> Option<(String, f64)> {
    match v {
        Value::Num(x) => (!x.is_finite()).then(|| (String::new(), *x)),
        Value::Vector(xs) => xs
            .iter()
            .position(|x| !x.is_finite())
            .map(|i| (format!("[{i}]"), xs[i])),
        Value::Matrix(m) => (0..m.nrows())
            .flat_map(|i| (0..m.ncols()).map(move |j| (i, j)))
            .find(|&(i, j)| !m[(i, j)].is_finite())
            .map(|(i, j)| (format!("[{i}, {j}]"), m[(i, j)])),
        Value::List(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, x)| first_non_finite(x).map(|(p, x)| (format!("[{i}]{p}"), x))),
        Value::Record(fields) => fields
            .iter()
            .find_map(|(k, x)| first_non_finite(x).map(|(p, x)| (format!(".{k}{p}"), x))),
        _ => None,
    }
}

/// A finished report, sweep or expect value must hold finite numbers only.
pub fn result(kind: &str, name: &str, v: &Value, span: Span) -> Result<()> {
    match first_non_finite(v) {
        None => Ok(()),
        Some((path, x)) => Err(RunError::new(
            span,
            format!("{kind} `{name}{path}` is {x}, not a finite number"),
        )
        .code(ErrorCode::RunNotFinite)
        .help("a result is never silently NaN or infinite (README, \"Numbers that are not finite\"); the operation that made it is the place to fix")),
    }
}
