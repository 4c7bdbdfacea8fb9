//! Evaluating compiled code: one match over [`Code`], each arm handing off to the file that
//! knows the construct (operators, calls, comparisons with `vs`).

use super::error::{Result, RunError};
use super::state::{Evaluator, Frame};
use super::{ops, vs};
use crate::diag::ErrorCode;
use crate::ir::code::Code;
use crate::ir::value::{self as value, Value};
use crate::span::Span;
use std::sync::Arc;

impl Evaluator<'_> {
    /// Evaluate compiled code in a frame.
    pub fn eval(&self, code: &Code, frame: &mut Frame) -> Result<Value> {
        crate::deep::deep(|| self.eval_node(code, frame))
    }

    fn eval_node(&self, code: &Code, frame: &mut Frame) -> Result<Value> {
        match code {
            Code::Const(v) => Ok(v.clone()),
            Code::Global(id, _) => self.global(*id, frame.draw),
            Code::Local(slot) => frame.locals.get(*slot).cloned().ok_or_else(|| {
                RunError::new(
                    Span::default(),
                    format!("internal error: no local in slot {slot}"),
                )
                .code(ErrorCode::RunInternal)
            }),
            Code::Vector(items, span) => self.vector(items, *span, frame),
            Code::Comprehension(body, lp, span) => self.comprehension(body, lp, *span, frame),
            Code::Sum(body, lp, span) => self.sum(body, lp, *span, frame),
            Code::Record(fields) => {
                let mut out = Vec::with_capacity(fields.len());
                for (n, c) in fields {
                    out.push((n.clone(), self.eval(c, frame)?));
                }
                Ok(Value::record(out))
            }
            Code::Lambda(params, body) => Ok(Value::Func(Arc::new(value::Func::Closure {
                params: *params,
                body: body.clone(),
                captured: frame.locals.clone(),
            }))),
            Code::If(parts, span) => self.if_else(parts, *span, frame),
            Code::Unary(op, x, span) => ops::unary(*op, self.eval(x, frame)?, *span),
            Code::Binary(op, xy, span) => self.binary(*op, xy, *span, frame),
            Code::CallBuiltin(b, args, span) => self.call_builtin(b, args, *span, frame),
            Code::CallGlobal(id, args, span) => self.call_global(*id, args, *span, frame),
            Code::CallValue(callee, args, span) => self.call_value(callee, args, *span, frame),
            Code::Index(t, items, span) => self.index(t, items, *span, frame),
            Code::Member(t, name, span) => ops::member(self.eval(t, frame)?, name, *span),
            Code::Transpose(x, span) => ops::transpose(self.eval(x, frame)?, *span),
        }
    }

    fn binary(
        &self,
        op: crate::syntax::ast::BinOp,
        xy: &[Code; 2],
        span: Span,
        frame: &mut Frame,
    ) -> Result<Value> {
        let a = self.eval(&xy[0], frame)?;
        let b = self.eval(&xy[1], frame)?;
        if op == crate::syntax::ast::BinOp::Vs {
            return vs::compare(self, a, b, span, frame);
        }
        ops::binary(op, a, b, span)
    }
}
