//! Compiling a drift or noise written in a script into a scalar closure, once, so that inner
//! loops never walk the expression tree. Globals the expression uses are evaluated at compile
//! time (numbers become constants, vectors are captured for indexing by a parameter).

use super::error::{Result, RunError};
use super::state::{Evaluator, Frame};
use crate::builtins::Builtin;
use crate::diag::ErrorCode;
use crate::ir::code::Code;
use crate::ir::value::Value;
use crate::span::Span;
use crate::syntax::ast::{BinOp, UnOp};
use std::sync::Arc;

/// f(params) → number.
pub type ScalarFn = Arc<dyn Fn(&[f64]) -> f64 + Send + Sync>;

fn unsupported(span: Span, what: &str) -> RunError {
    RunError::new(span, format!("{what} cannot be used in a per-step function"))
        .code(ErrorCode::RunCompile)
        .help("per-step functions use numbers, their parameters, arithmetic, elementary functions, `if`, and globals (numbers, or vectors indexed by a parameter)")
}

impl Evaluator<'_> {
    /// Compile `code`, whose frame holds `params` scalar parameters, into a closure.
    pub fn compile_scalar(
        &self,
        code: &Code,
        params: usize,
        span: Span,
        frame: &mut Frame,
    ) -> Result<ScalarFn> {
        match self.compile_node(code, params, span, frame)? {
            Node::Scalar(f) => Ok(f),
            Node::Vector(_) => Err(unsupported(span, "a whole vector")),
        }
    }

    /// Compile a vector-valued function: a vector literal `[e₁, …, e_d]` becomes d scalar
    /// closures (one per component); any other expression is one scalar component.
    pub fn compile_vector(
        &self,
        code: &Code,
        params: usize,
        span: Span,
        frame: &mut Frame,
    ) -> Result<Vec<ScalarFn>> {
        match code {
            Code::Vector(items, s) => items
                .iter()
                .map(|item| self.compile_scalar(item, params, *s, frame))
                .collect(),
            _ => Ok(vec![self.compile_scalar(code, params, span, frame)?]),
        }
    }

    fn compile_node(
        &self,
        code: &Code,
        params: usize,
        span: Span,
        frame: &mut Frame,
    ) -> Result<Node> {
        crate::deep::deep(|| self.compile_one(code, params, span, frame))
    }

    fn compile_one(
        &self,
        code: &Code,
        params: usize,
        span: Span,
        frame: &mut Frame,
    ) -> Result<Node> {
        Ok(match code {
            Code::Const(Value::Num(c)) => constant(*c),
            Code::Const(Value::Bool(b)) => constant(f64::from(u8::from(*b))),
            Code::Local(slot) if *slot < params => {
                let k = *slot;
                Node::Scalar(Arc::new(move |p: &[f64]| p[k]))
            }
            Code::Global(..) | Code::Local(_) => match self.eval(code, frame)? {
                Value::Num(c) => constant(c),
                Value::Vector(v) => Node::Vector(v),
                other => {
                    return Err(unsupported(
                        span,
                        &format!("a global that is {}", other.describe()),
                    ))
                }
            },
            Code::Unary(UnOp::Neg, x, s) => {
                let f = self.compile_scalar(x, params, *s, frame)?;
                Node::Scalar(Arc::new(move |p: &[f64]| -f(p)))
            }
            Code::Binary(op, xy, s) => self.compile_binary(*op, xy, params, *s, frame)?,
            Code::If(parts, s) => {
                let [c, a, b] =
                    [0, 1, 2].map(|k| self.compile_scalar(&parts[k], params, *s, frame));
                let (c, a, b) = (c?, a?, b?);
                Node::Scalar(Arc::new(
                    move |p: &[f64]| if c(p) != 0.0 { a(p) } else { b(p) },
                ))
            }
            Code::Index(t, items, s) if items.len() == 1 => {
                self.compile_index(t, items[0].as_ref(), params, *s, frame)?
            }
            Code::CallBuiltin(b, args, s) if args.len() == 1 => {
                self.compile_call(b, args[0].as_ref(), params, *s, frame)?
            }
            _ => return Err(unsupported(span, "this expression")),
        })
    }

    fn compile_binary(
        &self,
        op: BinOp,
        xy: &[Code; 2],
        params: usize,
        span: Span,
        frame: &mut Frame,
    ) -> Result<Node> {
        let a = self.compile_scalar(&xy[0], params, span, frame)?;
        let b = self.compile_scalar(&xy[1], params, span, frame)?;
        let f: ScalarFn = match op {
            BinOp::Add => Arc::new(move |p: &[f64]| a(p) + b(p)),
            BinOp::Sub => Arc::new(move |p: &[f64]| a(p) - b(p)),
            BinOp::Mul => Arc::new(move |p: &[f64]| a(p) * b(p)),
            BinOp::Div => Arc::new(move |p: &[f64]| a(p) / b(p)),
            BinOp::Pow => Arc::new(move |p: &[f64]| {
                let e = b(p);
                if e == e.trunc() && e.abs() <= 64.0 {
                    a(p).powi(e as i32)
                } else {
                    a(p).powf(e)
                }
            }),
            BinOp::Lt => Arc::new(move |p: &[f64]| f64::from(u8::from(a(p) < b(p)))),
            BinOp::Le => Arc::new(move |p: &[f64]| f64::from(u8::from(a(p) <= b(p)))),
            BinOp::Gt => Arc::new(move |p: &[f64]| f64::from(u8::from(a(p) > b(p)))),
            BinOp::Ge => Arc::new(move |p: &[f64]| f64::from(u8::from(a(p) >= b(p)))),
            BinOp::Eq => Arc::new(move |p: &[f64]| f64::from(u8::from(a(p) == b(p)))),
            BinOp::Ne => Arc::new(move |p: &[f64]| f64::from(u8::from(a(p) != b(p)))),
            _ => return Err(unsupported(span, &format!("`{}`", op.symbol()))),
        };
        Ok(Node::Scalar(f))
    }

    /// `kappa[i]`: a global vector indexed by a parameter expression (rounded, checked).
    fn compile_index(
        &self,
        t: &Code,
        item: Option<&Code>,
        params: usize,
        span: Span,
        frame: &mut Frame,
    ) -> Result<Node> {
        let Node::Vector(v) = self.compile_node(t, params, span, frame)? else {
            return Err(unsupported(span, "indexing a number"));
        };
        let Some(item) = item else {
            return Err(unsupported(span, "`:`"));
        };
        let k = self.compile_scalar(item, params, span, frame)?;
        Ok(Node::Scalar(Arc::new(move |p: &[f64]| {
            let i = k(p);
            if i >= 0.0 && (i as usize) < v.len() {
                v[i as usize]
            } else {
                f64::NAN
            }
        })))
    }

    fn compile_call(
        &self,
        b: &Builtin,
        arg: Option<&Code>,
        params: usize,
        span: Span,
        frame: &mut Frame,
    ) -> Result<Node> {
        let Some(arg) = arg else {
            return Err(unsupported(span, "a call without argument"));
        };
        let x = self.compile_scalar(arg, params, span, frame)?;
        let f: fn(f64) -> f64 = match super::rows::row_of(b).map(|r| r.run) {
            Some(super::kernel::Kernel::Map(f)) => f,
            _ => return Err(unsupported(span, &format!("`{}`", b.name))),
        };
        Ok(Node::Scalar(Arc::new(move |p: &[f64]| f(x(p)))))
    }
}

enum Node {
    Scalar(ScalarFn),
    Vector(Arc<Vec<f64>>),
}

fn constant(c: f64) -> Node {
    Node::Scalar(Arc::new(move |_: &[f64]| c))
}

/// A function field of a vector state, `f(x, t)` with x of `dim` components, prepared for
/// [`Evaluator::compile_vector`] with `dim + 1` scalar parameters: `x[k]` with a constant k
/// becomes parameter k, `t` parameter `dim`, and a bare `x` parameter 0 when `dim` is 1.
/// Only the forms the compiler accepts are rewritten; anything else is left for it to reject.
pub fn state_params(code: &Code, dim: usize, span: Span) -> Result<Code> {
    let go = |c: &Code| state_params(c, dim, span);
    Ok(match code {
        Code::Local(0) if dim == 1 => Code::Local(0),
        Code::Local(0) => {
            return Err(RunError::new(
                span,
                format!("the state `x` has {dim} components and is used whole"),
            )
            .code(ErrorCode::RunCompile)
            .label("uses `x` whole")
            .help(format!(
                "per-step functions read components with a constant index, `x[0]` … `x[{}]`, and give one entry per component: `[-x[0], -x[1]]`",
                dim - 1
            )))
        }
        Code::Local(1) => Code::Local(dim),
        Code::Local(j) => Code::Local(j + dim - 1),
        Code::Index(t, items, s) if matches!(**t, Code::Local(0)) => state_index(items, dim, *s)?,
        Code::Vector(items, s) => Code::Vector(items.iter().map(go).collect::<Result<_>>()?, *s),
        Code::Unary(op, x, s) => Code::Unary(*op, Box::new(go(x)?), *s),
        Code::Binary(op, xy, s) => Code::Binary(*op, Box::new([go(&xy[0])?, go(&xy[1])?]), *s),
        Code::If(parts, s) => Code::If(
            Box::new([go(&parts[0])?, go(&parts[1])?, go(&parts[2])?]),
            *s,
        ),
        Code::Index(t, items, s) => Code::Index(
            Box::new(go(t)?),
            items
                .iter()
                .map(|i| i.as_ref().map(go).transpose())
                .collect::<Result<_>>()?,
            *s,
        ),
        Code::CallBuiltin(b, args, s) => Code::CallBuiltin(
            b,
            args.iter()
                .map(|a| a.as_ref().map(go).transpose())
                .collect::<Result<_>>()?,
            *s,
        ),
        other => other.clone(),
    })
}

/// `x[k]` with a constant k in 0..dim → parameter k.
fn state_index(items: &[Option<Code>], dim: usize, span: Span) -> Result<Code> {
    let k = match items {
        [Some(Code::Const(Value::Num(k)))] => *k,
        _ => {
            return Err(
                RunError::new(span, "the state is indexed by a non-constant")
                    .code(ErrorCode::RunCompile)
                    .help("write each component with a constant index: `x[0]`, `x[1]`, …"),
            )
        }
    };
    if k >= 0.0 && k == k.trunc() && (k as usize) < dim {
        Ok(Code::Local(k as usize))
    } else {
        Err(RunError::new(
            span,
            format!(
                "`x[{k}]` is out of range: the state has {dim} component{}",
                if dim == 1 { "" } else { "s" }
            ),
        )
        .code(ErrorCode::RunCompile)
        .label("no such component"))
    }
}
