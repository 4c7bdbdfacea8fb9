//! Types of arithmetic: numbers and vectors broadcast, a boolean is 1 or 0 (a condition may be
//! one boolean or a vector of them, so its arithmetic is of unknown shape), `*` between
//! matrices is the product, `M ^ k` the matrix power, and `+ - % .* ./ .^` act entrywise on
//! matrices of one shape or a matrix and a number — the same rules as `eval::matrix_ops`.

use super::Checker;
use crate::diag::{Diagnostic, ErrorCode};
use crate::span::Span;
use crate::syntax::ast::{BinOp, Expr};
use crate::types::{Shape, Ty};

/// Whether two dimensions are known and differ.
pub(super) fn clash(p: Option<usize>, q: Option<usize>) -> bool {
    matches!((p, q), (Some(p), Some(q)) if p != q)
}

impl Checker {
    pub(super) fn arithmetic(
        &mut self,
        op: BinOp,
        (ta, a): (&Ty, &Expr),
        (tb, b): (&Ty, &Expr),
        span: Span,
    ) -> Ty {
        for (t, e) in [(ta, a), (tb, b)] {
            if !(t.is_numeric() || *t == Ty::Bool) {
                return self.type_error(
                    e.span,
                    &format!("`{}` needs numbers, vectors or matrices", op.symbol()),
                    t,
                );
            }
        }
        let number = |t: &Ty| if *t == Ty::Bool { Ty::Any } else { t.clone() };
        match (number(ta), number(tb)) {
            (Ty::Matrix(x), Ty::Matrix(y)) => self.matrix_op(op, x, y, span),
            (Ty::Matrix(s), Ty::Vector) if op == BinOp::Mul => match s.rows {
                Some(1) => Ty::Num,
                Some(_) => Ty::Vector,
                None => Ty::Any,
            },
            (Ty::Vector, Ty::Matrix(s)) if op == BinOp::Mul => {
                // The vector is an n × 1 column: only a 1 × m row can follow it.
                if clash(Some(1), s.rows) {
                    let d = Diagnostic::new(
                        ErrorCode::CheckShape,
                        format!("matrix shapes do not match: a vector (a column, ?×1) times a {s} matrix"),
                    )
                    .label(span, format!("?×1 times {s}"))
                    .help("a vector is a column: `v * w'` is the outer product, `v' * A` the row times the matrix");
                    self.error(d);
                    return Ty::Any;
                }
                Ty::Matrix(Shape {
                    rows: None,
                    cols: s.cols,
                })
            }
            (Ty::Matrix(_), Ty::Vector) | (Ty::Vector, Ty::Matrix(_)) => {
                let d = Diagnostic::new(
                    ErrorCode::CheckType,
                    format!("`{}` is not defined between a matrix and a vector", op.symbol()),
                )
                .label(span, "a matrix and a vector")
                .help("`M * v` is the matrix–vector product, `v * w'` the outer product; elementwise operations need equal kinds");
                self.error(d);
                Ty::Any
            }
            // An unknown factor may be a vector, and M v a vector (v M a matrix).
            (Ty::Matrix(_), Ty::Any) if op == BinOp::Mul => Ty::Any,
            (Ty::Matrix(s), _) => self.matrix_by(op, s, b, span),
            (other, Ty::Matrix(s)) => self.by_matrix(op, &other, s, span),
            (Ty::Any, _) | (_, Ty::Any) => Ty::Any,
            (Ty::Vector, _) | (_, Ty::Vector) => Ty::Vector,
            _ => Ty::Num,
        }
    }

    /// `M op c` with c a number (or unknown): the matrix power for `^`, else entrywise.
    fn matrix_by(&mut self, op: BinOp, s: Shape, c: &Expr, span: Span) -> Ty {
        if op != BinOp::Pow {
            return Ty::Matrix(s);
        }
        let hint = "`M ^ k` is the matrix power M·M·…·M, for a square M and a whole k ≥ 0; `M .^ p` raises each entry to the power p";
        if clash(s.rows, s.cols) {
            let d = Diagnostic::new(
                ErrorCode::CheckShape,
                format!("the matrix power needs a square matrix, but this is {s}"),
            )
            .label(span, format!("a {s} matrix to a power"))
            .help(hint);
            self.error(d);
            return Ty::Any;
        }
        if let Some(k) = self.const_num(c) {
            if !(k >= 0.0 && k == k.trunc()) {
                let d = Diagnostic::new(
                    ErrorCode::CheckType,
                    format!("the matrix power needs a whole exponent k ≥ 0, but k is {k}"),
                )
                .label(c.span, "not a whole number ≥ 0")
                .help(hint);
                self.error(d);
                return Ty::Any;
            }
        }
        Ty::Matrix(s)
    }

    /// `c op M` with c a number (or unknown): entrywise, except `/` and `^`.
    fn by_matrix(&mut self, op: BinOp, c: &Ty, s: Shape, span: Span) -> Ty {
        if !matches!(op, BinOp::Div | BinOp::Pow) {
            return Ty::Matrix(s);
        }
        if *c == Ty::Any {
            return Ty::Any;
        }
        let entrywise = if op == BinOp::Div { "./" } else { ".^" };
        let d = Diagnostic::new(
            ErrorCode::CheckType,
            format!(
                "`{}` is not defined between a number and a matrix",
                op.symbol()
            ),
        )
        .label(span, "a number and a matrix")
        .help(format!("entry by entry it is `{entrywise}`"));
        self.error(d);
        Ty::Any
    }

    /// Two matrices: `*` is the product; `+ - % .* ./ .^` need equal shapes; `/` and `^`
    /// are not defined.
    fn matrix_op(&mut self, op: BinOp, x: Shape, y: Shape, span: Span) -> Ty {
        use BinOp::*;
        let (bad, result) = match op {
            Mul => (
                clash(x.cols, y.rows),
                Shape {
                    rows: x.rows,
                    cols: y.cols,
                },
            ),
            Add | Sub | Mod | ElemMul | ElemDiv | ElemPow => {
                (clash(x.rows, y.rows) || clash(x.cols, y.cols), x)
            }
            _ => {
                let d = Diagnostic::new(
                    ErrorCode::CheckType,
                    format!("`{}` is not defined between two matrices", op.symbol()),
                )
                .label(span, "matrix operands")
                .help("matrices support `+`, `-`, `*` (product), `M ^ k` (power), `'` (transpose), and entrywise `.*`, `./`, `.^`, `%`");
                self.error(d);
                return Ty::Any;
            }
        };
        if bad {
            let what = if op == Mul {
                format!("inner dimensions differ: {x} times {y}")
            } else {
                format!("shapes differ: {x} {} {y}", op.symbol())
            };
            let d = Diagnostic::new(
                ErrorCode::CheckShape,
                format!("matrix shapes do not match: {what}"),
            )
            .label(span, what)
            .help("`W' * W` is the Gram matrix WᵀW; `'` transposes");
            self.error(d);
            return Ty::Any;
        }
        Ty::Matrix(result)
    }
}
