//! Elementary functions that `std` does not spell as a script reads them (sign, the floored
//! modulus, clamp, Γ), and the application of functions of two and three numbers entry by
//! entry to numbers, vectors and matrices broadcast against each other (the rows'
//! [`Kernel::Map2`](super::kernel::Kernel::Map2) and `Map3`).

use super::args::{matrix_entries, numeric, Args};
use super::error::{Result, RunError};
use crate::builtins::Builtin;
use crate::diag::ErrorCode;
use crate::ir::value::Value;
use crate::span::Span;
use crate::syntax::ast::BinOp;
use std::sync::Arc;

/// sign(x) = −1, 0 or 1 as x < 0, x = 0 or x > 0 (numpy's and Julia's `sign`; a NaN stays).
pub fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else if x == 0.0 {
        0.0
    } else {
        x
    }
}

/// The floored modulus x mod y = x − y⌊x/y⌋, which takes the sign of y: −1 mod 3 = 2, as
/// Python's `%` and Julia's `mod` (the convention for periodic indices). NaN for y = 0.
pub fn modulo(x: f64, y: f64) -> f64 {
    let r = x % y;
    if r == 0.0 {
        0.0_f64.copysign(y)
    } else if (r < 0.0) != (y < 0.0) {
        r + y
    } else {
        r
    }
}

/// `a op b` for numbers (`.*`, `./`, `.^` are `*`, `/`, `^` on numbers).
pub fn arith(op: BinOp, a: f64, b: f64) -> f64 {
    match op.scalar() {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => a / b,
        BinOp::Mod => modulo(a, b),
        BinOp::Pow => pow(a, b),
        _ => f64::NAN,
    }
}

/// Integer powers are exact products (so `x^2` of a negative number is fine).
fn pow(a: f64, b: f64) -> f64 {
    if b == b.trunc() && b.abs() <= 64.0 {
        a.powi(b as i32)
    } else {
        a.powf(b)
    }
}

/// x limited to [low, high]: max(low, min(x, high)); NaN when low > high.
pub fn clamp(x: f64, low: f64, high: f64) -> f64 {
    if low <= high {
        x.max(low).min(high)
    } else {
        f64::NAN
    }
}

/// Γ(x) = ∫₀^∞ t^(x−1) e^(−t) dt, continued to x < 0 (poles at 0, −1, −2, …).
pub fn gamma(x: f64) -> f64 {
    libm::tgamma(x)
}

/// ln|Γ(x)|.
pub fn lgamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// erfc(x) = 1 − erf(x), accurate where erf(x) is close to 1.
pub fn erfc(x: f64) -> f64 {
    libm::erfc(x)
}

/// A function argument's shape: the numbers broadcast against the others.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    Number,
    Vector(usize),
    Matrix(usize, usize),
}

/// An argument as numbers: its entries (a matrix row by row) and its shape.
struct Operand {
    entries: Vec<f64>,
    shape: Shape,
}

impl Operand {
    fn read(v: &Option<Value>, name: &str, fname: &str, span: Span) -> Result<Operand> {
        let (entries, shape) = match v.clone().map(numeric) {
            Some(Value::Num(x)) => (vec![x], Shape::Number),
            Some(Value::Vector(xs)) => (xs.to_vec(), Shape::Vector(xs.len())),
            Some(Value::Matrix(m)) => (matrix_entries(&m), Shape::Matrix(m.nrows(), m.ncols())),
            other => {
                let what = other.map(|v| v.describe()).unwrap_or("missing".into());
                let msg = format!(
                    "`{name}` of `{fname}` must be a number, vector or matrix, but is {what}"
                );
                return Err(RunError::new(span, msg).code(ErrorCode::RunType));
            }
        };
        Ok(Operand { entries, shape })
    }

    fn at(&self, k: usize) -> f64 {
        if self.shape == Shape::Number {
            self.entries[0]
        } else {
            self.entries[k]
        }
    }
}

fn describe(s: Shape) -> String {
    match s {
        Shape::Number => "a number".into(),
        Shape::Vector(n) => format!("a vector of {n}"),
        Shape::Matrix(r, c) => format!("a {r}×{c} matrix"),
    }
}

/// The common shape: numbers go with anything; vectors and matrices must agree.
fn common(ops: &[Operand], fname: &str, span: Span) -> Result<Shape> {
    let mut shape = Shape::Number;
    for op in ops {
        match (shape, op.shape) {
            (_, Shape::Number) => {}
            (Shape::Number, s) => shape = s,
            (s, t) if s == t => {}
            (s, t) => {
                let msg = format!(
                    "the arguments of `{fname}` do not broadcast: {} and {}",
                    describe(s),
                    describe(t)
                );
                return Err(RunError::new(span, msg)
                    .code(ErrorCode::RunShape)
                    .help("an elementwise function takes numbers with anything, and vectors or matrices of one shape"));
            }
        }
    }
    Ok(shape)
}

/// Apply `f` to the arguments entry by entry, refusing results that are not finite.
fn broadcast(b: &Builtin, a: &Args, span: Span, f: impl Fn(&[f64]) -> f64) -> Result<Value> {
    let ops = (b.params.iter().zip(a))
        .map(|(p, v)| Operand::read(v, p.name, b.name, span))
        .collect::<Result<Vec<_>>>()?;
    let shape = common(&ops, b.name, span)?;
    let n = match shape {
        Shape::Number => 1,
        Shape::Vector(n) => n,
        Shape::Matrix(r, c) => r * c,
    };
    let mut xs = vec![0.0; ops.len()];
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        for (x, op) in xs.iter_mut().zip(&ops) {
            *x = op.at(k);
        }
        let r = f(&xs);
        super::finite::call(b.name, &xs, r, Some((k, n)), span)?;
        out.push(r);
    }
    Ok(match shape {
        Shape::Number => Value::Num(out[0]),
        Shape::Vector(_) => Value::vector(out),
        Shape::Matrix(r, c) => {
            Value::Matrix(Arc::new(faer::Mat::from_fn(r, c, |i, j| out[i * c + j])))
        }
    })
}

/// A [`Kernel::Map2`](super::kernel::Kernel::Map2) row: `f` entry by entry, or, with the
/// second argument absent (`max(x)`), `f` folded over the entries of the first.
pub(super) fn map2(b: &Builtin, a: &Args, span: Span, f: fn(f64, f64) -> f64) -> Result<Value> {
    if a.get(1).is_none_or(Option::is_none) {
        return fold(b, a, span, f);
    }
    broadcast(b, a, span, |x| f(x[0], x[1]))
}

/// A [`Kernel::Map3`](super::kernel::Kernel::Map3) row.
pub(super) fn map3(
    b: &Builtin,
    a: &Args,
    span: Span,
    f: fn(f64, f64, f64) -> f64,
) -> Result<Value> {
    broadcast(b, a, span, |x| f(x[0], x[1], x[2]))
}

/// `f` folded over the finite entries of the first argument: `max(x)` is its largest.
fn fold(b: &Builtin, a: &Args, span: Span, f: fn(f64, f64) -> f64) -> Result<Value> {
    let x = Operand::read(&a[0], b.params[0].name, b.name, span)?;
    if let Some(i) = x.entries.iter().position(|v| !v.is_finite()) {
        let msg = format!(
            "`{}` has a non-finite value {} at position {i}",
            b.params[0].name, x.entries[i]
        );
        return Err(RunError::new(span, msg).code(ErrorCode::RunNonFinite));
    }
    let folded = x.entries.iter().copied().reduce(f);
    folded
        .map(Value::Num)
        .ok_or_else(|| super::args::too_few(b.name, 0, span))
}

#[cfg(test)]
mod tests {
    use super::{clamp, gamma, lgamma, modulo, sign};

    #[test]
    fn the_modulus_is_floored_and_takes_the_sign_of_the_divisor() {
        assert_eq!(modulo(5.0, 3.0), 2.0);
        assert_eq!(modulo(-1.0, 3.0), 2.0);
        assert_eq!(modulo(1.0, -3.0), -2.0);
        assert_eq!(modulo(-3.0, 3.0), 0.0);
        assert!(modulo(-3.0, 3.0).is_sign_positive());
        assert_eq!(modulo(7.5, 2.0), 1.5);
        assert!(modulo(1.0, 0.0).is_nan());
    }

    #[test]
    fn sign_clamp_and_gamma() {
        assert_eq!([sign(-2.0), sign(0.0), sign(3.0)], [-1.0, 0.0, 1.0]);
        assert_eq!(clamp(5.0, 0.0, 1.0), 1.0);
        assert_eq!(clamp(-5.0, 0.0, 1.0), 0.0);
        assert!(clamp(0.5, 1.0, 0.0).is_nan());
        assert!((gamma(5.0) - 24.0).abs() < 1e-12);
        assert!((gamma(0.5) - std::f64::consts::PI.sqrt()).abs() < 1e-14);
        assert!((lgamma(100.0) - 359.134_205_369_575_4).abs() < 1e-10);
        assert!(!gamma(-1.0).is_finite());
    }
}
