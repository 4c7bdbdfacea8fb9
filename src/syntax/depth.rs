//! The depth of an expression tree, measured once per statement expression after parsing.

use super::ast::{Expr, ExprKind, IndexItem};
use crate::deep::deep;
use crate::diag::Diagnostic;
use crate::diag::ErrorCode;
use crate::limits::MAX_EXPR_DEPTH;
use crate::span::Span;

/// True when `e` is more than `limit` nodes deep (stops descending once it is).
pub fn exceeds(e: &Expr, limit: usize) -> bool {
    deep(|| limit == 0 || children(e).iter().any(|c| exceeds(c, limit - 1)))
}

/// The sub-expressions of `e`, in source order.
fn children(e: &Expr) -> Vec<&Expr> {
    use ExprKind::*;
    match &e.kind {
        Num(_) | Str(_) | Bool(_) | Name(_) => vec![],
        Vector(items) => items.iter().collect(),
        Comprehension(body, g) | Sum(g, body) => {
            let mut v = vec![&**body, &*g.iter];
            v.extend(g.filter.as_deref());
            v
        }
        Record(fields) => fields.iter().map(|(_, e)| e).collect(),
        Lambda(_, body) => vec![&**body],
        If(c, t, f) => vec![&**c, &**t, &**f],
        Unary(_, x) | Member(x, _) | Transpose(x) => vec![&**x],
        Binary(_, a, b) => vec![&**a, &**b],
        Call(t, args) => std::iter::once(&**t)
            .chain(args.iter().map(|a| &a.value))
            .collect(),
        Index(t, items) => std::iter::once(&**t)
            .chain(items.iter().filter_map(|i| match i {
                IndexItem::Expr(e) => Some(e),
                IndexItem::All(_) => None,
            }))
            .collect(),
    }
}

pub fn too_deep(span: Span) -> Diagnostic {
    let head = Span::new(span.file, span.start as usize, span.start as usize + 1);
    Diagnostic::new(
        ErrorCode::ParseTooDeep,
        format!("this expression is more than {MAX_EXPR_DEPTH} operations deep"),
    )
    .label(head, "this expression")
    .help(format!(
        "one expression may be at most {MAX_EXPR_DEPTH} operations deep (README, \"Limits\"): \
         write a long sum `a + b + c + …` as `sum([a, b, c, …])`, or split it with `let`"
    ))
}
