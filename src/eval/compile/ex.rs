//! The scalar expressions a per-step function compiles to, and their closures. An [`Ex`] only
//! reads the function's numeric parameters `p`: everything else was resolved when it was built
//! (constants folded, user functions inlined, loops over constant ranges unrolled).

use crate::ir::ops::BinOp;
use faer::Mat;
use std::sync::Arc;

/// f(params) → number.
pub type ScalarFn = Arc<dyn Fn(&[f64]) -> f64 + Send + Sync>;

/// A scalar expression of the parameters.
#[derive(Clone)]
pub enum Ex {
    Const(f64),
    /// Parameter k.
    Param(usize),
    Neg(Box<Ex>),
    /// 1 where the operand is 0, else 0.
    Not(Box<Ex>),
    Bin(BinOp, Box<[Ex; 2]>),
    /// `if c then a else b` (c ≠ 0 is true).
    If(Box<[Ex; 3]>),
    Map(fn(f64) -> f64, Box<Ex>),
    Map2(fn(f64, f64) -> f64, Box<[Ex; 2]>),
    /// Entry of a constant vector at a computed index (NaN outside).
    Lookup(Arc<Vec<f64>>, Box<Ex>),
    /// Entry (i, j) of a constant matrix at computed indices (NaN outside).
    Lookup2(Arc<Mat<f64>>, Box<[Ex; 2]>),
    /// One of several expressions, chosen by a computed index (NaN outside).
    Pick(Arc<Vec<Ex>>, Box<Ex>),
}

impl Ex {
    /// `op` applied to two expressions; two constants fold to the number the closure would
    /// compute (the same floating-point operation, so results do not change).
    pub fn bin(op: BinOp, a: Ex, b: Ex) -> Ex {
        match (&a, &b) {
            (Ex::Const(x), Ex::Const(y)) => Ex::Const(scalar_op(op)(*x, *y)),
            _ => Ex::Bin(op, Box::new([a, b])),
        }
    }

    pub fn map(f: fn(f64) -> f64, a: Ex) -> Ex {
        match a {
            Ex::Const(x) => Ex::Const(f(x)),
            a => Ex::Map(f, Box::new(a)),
        }
    }

    pub fn negated(a: Ex) -> Ex {
        match a {
            Ex::Const(x) => Ex::Const(-x),
            a => Ex::Neg(Box::new(a)),
        }
    }
}

/// Integer powers are exact products (so `x^2` of a negative number is fine), as in the
/// evaluator.
pub fn pow(a: f64, e: f64) -> f64 {
    if e == e.trunc() && e.abs() <= 64.0 {
        a.powi(e as i32)
    } else {
        a.powf(e)
    }
}

fn truth(c: bool) -> f64 {
    f64::from(u8::from(c))
}

/// The scalar function of a binary operator (comparisons and `and`/`or` give 1 or 0; `a % b`
/// is the floored modulus a − b·⌊a/b⌋, as the evaluator computes it).
pub fn scalar_op(op: BinOp) -> fn(f64, f64) -> f64 {
    use BinOp::*;
    match op {
        Add => |a, b| a + b,
        Sub => |a, b| a - b,
        Mul => |a, b| a * b,
        Div => |a, b| a / b,
        Pow | ElemPow => pow,
        ElemMul => |a, b| a * b,
        ElemDiv => |a, b| a / b,
        Mod => crate::eval::elementary::modulo,
        Lt => |a, b| truth(a < b),
        Le => |a, b| truth(a <= b),
        Gt => |a, b| truth(a > b),
        Ge => |a, b| truth(a >= b),
        Eq => |a, b| truth(a == b),
        Ne => |a, b| truth(a != b),
        And => |a, b| truth(a != 0.0 && b != 0.0),
        Or => |a, b| truth(a != 0.0 || b != 0.0),
        Range | RangeIncl | Vs => |_, _| f64::NAN,
    }
}

/// Whether the per-step compiler has a scalar form of `op`.
pub fn is_scalar_op(op: BinOp) -> bool {
    !matches!(op, BinOp::Range | BinOp::RangeIncl | BinOp::Vs)
}

/// The index `i` as a position in 0..len, if it is one.
fn position(i: f64, len: usize) -> Option<usize> {
    (i >= 0.0 && (i as usize) < len).then_some(i as usize)
}

/// The closure of an expression, built once.
pub fn build(ex: &Ex) -> ScalarFn {
    crate::deep::deep(|| build_one(ex))
}

fn build_one(ex: &Ex) -> ScalarFn {
    match ex {
        Ex::Const(c) => {
            let c = *c;
            Arc::new(move |_: &[f64]| c)
        }
        Ex::Param(k) => {
            let k = *k;
            Arc::new(move |p: &[f64]| p[k])
        }
        Ex::Neg(a) => {
            let a = build(a);
            Arc::new(move |p: &[f64]| -a(p))
        }
        Ex::Not(a) => {
            let a = build(a);
            Arc::new(move |p: &[f64]| truth(a(p) == 0.0))
        }
        Ex::Bin(op, ab) => binary(*op, build(&ab[0]), build(&ab[1])),
        Ex::If(parts) => {
            let [c, a, b] = [0, 1, 2].map(|k| build(&parts[k]));
            Arc::new(move |p: &[f64]| if c(p) != 0.0 { a(p) } else { b(p) })
        }
        Ex::Map(f, a) => {
            let (f, a) = (*f, build(a));
            Arc::new(move |p: &[f64]| f(a(p)))
        }
        Ex::Map2(f, ab) => {
            let (f, a, b) = (*f, build(&ab[0]), build(&ab[1]));
            Arc::new(move |p: &[f64]| f(a(p), b(p)))
        }
        Ex::Lookup(v, i) => {
            let (v, i) = (v.clone(), build(i));
            Arc::new(move |p: &[f64]| position(i(p), v.len()).map_or(f64::NAN, |k| v[k]))
        }
        Ex::Lookup2(m, ij) => {
            let (m, i, j) = (m.clone(), build(&ij[0]), build(&ij[1]));
            Arc::new(move |p: &[f64]| {
                match (position(i(p), m.nrows()), position(j(p), m.ncols())) {
                    (Some(r), Some(c)) => m[(r, c)],
                    _ => f64::NAN,
                }
            })
        }
        Ex::Pick(options, i) => {
            let fs: Vec<ScalarFn> = options.iter().map(build).collect();
            let i = build(i);
            Arc::new(move |p: &[f64]| position(i(p), fs.len()).map_or(f64::NAN, |k| fs[k](p)))
        }
    }
}

/// The closure of a binary operator. The arithmetic operators are written out (not through
/// [`scalar_op`]'s pointer) so the compiler can inline them.
fn binary(op: BinOp, a: ScalarFn, b: ScalarFn) -> ScalarFn {
    match op {
        BinOp::Add => Arc::new(move |p: &[f64]| a(p) + b(p)),
        BinOp::Sub => Arc::new(move |p: &[f64]| a(p) - b(p)),
        BinOp::Mul => Arc::new(move |p: &[f64]| a(p) * b(p)),
        BinOp::Div => Arc::new(move |p: &[f64]| a(p) / b(p)),
        BinOp::Pow => Arc::new(move |p: &[f64]| pow(a(p), b(p))),
        op => {
            let f = scalar_op(op);
            Arc::new(move |p: &[f64]| f(a(p), b(p)))
        }
    }
}
