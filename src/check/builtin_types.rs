//! The result type of a builtin call, with shapes where the sizes are constants, decided as the
//! evaluator decides it (`eval/rows.rs` and the files it calls): what `wmd check` accepts runs,
//! and what cannot run (a matrix where a vector goes, an axis of a vector, a power of a
//! rectangular matrix) is reported before running when the types are known.

use super::arith::clash;
use super::Checker;
use crate::builtins::{Builtin, Ret};
use crate::diag::{Diagnostic, ErrorCode};
use crate::span::Span;
use crate::syntax::ast::Expr;
use crate::types::{Shape, Ty};

/// The type and expression of each parameter's argument, in parameter order (None: not given).
pub(super) type Given<'a> = [Option<(Ty, &'a Expr)>];

fn ty(given: &Given, i: usize) -> Option<Ty> {
    given
        .get(i)
        .and_then(|g| g.as_ref())
        .map(|(t, _)| t.clone())
}

impl Checker {
    /// The result type of `b` called with `given`.
    pub(super) fn builtin_result(&mut self, b: &Builtin, given: &Given, span: Span) -> Ty {
        let size = |cx: &mut Self, i: usize| {
            given
                .get(i)
                .and_then(|g| g.as_ref())
                .and_then(|(_, e)| cx.const_num(e))
                .map(|v| v as usize)
        };
        let shape = |rows, cols| Shape { rows, cols };
        match b.name {
            "gaussian" => Ty::Law(shape(size(self, 0), size(self, 1))),
            "goe" => Ty::Law(shape(size(self, 0), size(self, 0))),
            "wishart" => Ty::Law(shape(size(self, 1), size(self, 1))),
            "identity" => Ty::Matrix(shape(size(self, 0), size(self, 0))),
            "zeros" | "ones" if ty(given, 1).is_some() => {
                Ty::Matrix(shape(size(self, 0), size(self, 1)))
            }
            "zeros" | "ones" => Ty::Vector,
            "eigvals" => self.eigvals(given),
            "sum" | "mean" | "variance" | "std" => self.along_axis(b, given),
            "diag" => match ty(given, 0) {
                Some(Ty::Matrix(_)) => Ty::Vector,
                Some(Ty::Any) | None => Ty::Any,
                Some(_) => Ty::Matrix(Shape::default()),
            },
            "len" => {
                if let Some(Some((Ty::Matrix(m), e))) = given.first() {
                    let d = Diagnostic::new(
                        ErrorCode::CheckArgumentType,
                        format!("`len` counts the entries of a vector or list, but this is a {m} matrix"),
                    )
                    .label(e.span, format!("a {m} matrix"))
                    .help("a matrix has `rows(M)` rows and `cols(M)` columns");
                    self.error(d);
                }
                Ty::Num
            }
            "sample" => {
                let draws = size(self, 1);
                self.sample(given, draws)
            }
            _ => match b.ret {
                Ret::SameAsFirst => match ty(given, 0) {
                    Some(Ty::Bool) | None => Ty::Any,
                    Some(t) => t,
                },
                Ret::Broadcast => self.broadcast(b, given, span),
                r => r.ty(),
            },
        }
    }

    fn eigvals(&mut self, given: &Given) -> Ty {
        if let Some((Ty::Matrix(s), e)) = given.first().and_then(|g| g.as_ref()) {
            if matches!((s.rows, s.cols), (Some(r), Some(c)) if r != c) {
                let d = Diagnostic::new(ErrorCode::CheckShape, format!("`eigvals` needs a square matrix, but this is {s}"))
                    .label(e.span, format!("{s} matrix"))
                    .help("for a rectangular W use `eigvals(W' * W)` (the spectrum of WᵀW) or `singular_values(W)`");
                self.error(d);
            }
        }
        Ty::Vector
    }

    /// `sum(x)`, `mean(x)`, `variance(x)`, `std(x)`: a number; with `axis = 0` or `1`, of a matrix, a vector.
    fn along_axis(&mut self, b: &Builtin, given: &Given) -> Ty {
        let Some(Some((_, axis))) = given.get(1) else {
            return Ty::Num;
        };
        if let Some(k) = self.const_num(axis) {
            if k != 0.0 && k != 1.0 {
                let d = Diagnostic::new(
                    ErrorCode::CheckArgumentType,
                    format!("`axis` of `{}` must be 0 or 1, but is {k}", b.name),
                )
                .label(axis.span, "not 0 or 1")
                .help("axis = 0 reduces over the rows (one value per column), axis = 1 over the columns (one value per row)");
                self.error(d);
            }
        }
        match given.first().and_then(|g| g.as_ref()) {
            Some((Ty::Matrix(_), _)) => Ty::Vector,
            Some((Ty::Any, _)) | None => Ty::Any,
            Some((t, e)) => {
                let d = Diagnostic::new(
                    ErrorCode::CheckArgumentType,
                    format!(
                        "`axis` of `{}` reduces a matrix, but `x` is {}",
                        b.name,
                        t.describe()
                    ),
                )
                .label(e.span, format!("this is {}", t.describe()))
                .help(format!(
                    "`{}(x)` reduces all of x; `axis` picks rows or columns of a matrix",
                    b.name
                ));
                self.error(d);
                Ty::Any
            }
        }
    }

    /// `sample(x, draws = K)`: K numbers, or a K × n matrix of vectors.
    fn sample(&mut self, given: &Given, draws: Option<usize>) -> Ty {
        match given.first().and_then(|g| g.as_ref()) {
            Some((Ty::Num, _)) => Ty::Vector,
            Some((Ty::Vector, _)) => Ty::Matrix(Shape {
                rows: draws,
                cols: None,
            }),
            Some((Ty::Any | Ty::Bool, _)) | None => Ty::Any,
            Some((t, e)) => {
                let d = Diagnostic::new(
                    ErrorCode::CheckArgumentType,
                    format!("`sample` pools numbers or vectors, but this is {}", t.describe()),
                )
                .label(e.span, format!("this is {}", t.describe()))
                .help("sample a number or a vector computed from the matrix: `sample(trace(W' * W), draws = 100)`, `sample(flatten(W), draws = 100)`, or pool a spectrum with `eigvals(m, draws = K)`");
                self.error(d);
                Ty::Any
            }
        }
    }

    /// The common shape of an elementwise function's arguments (`max(x)` alone: a number).
    fn broadcast(&mut self, b: &Builtin, given: &Given, span: Span) -> Ty {
        let tys: Vec<&Ty> = given.iter().flatten().map(|(t, _)| t).collect();
        if tys.len() == 1 && b.params.len() == 2 {
            return Ty::Num;
        }
        let mut out = Ty::Num;
        for t in tys {
            out = match (&out, t) {
                (Ty::Matrix(x), Ty::Matrix(y))
                    if clash(x.rows, y.rows) || clash(x.cols, y.cols) =>
                {
                    return self.no_broadcast(b, &out, t, span)
                }
                (Ty::Matrix(_), Ty::Vector) | (Ty::Vector, Ty::Matrix(_)) => {
                    return self.no_broadcast(b, &out, t, span)
                }
                (Ty::Matrix(_), _) => out,
                (_, Ty::Matrix(_)) => t.clone(),
                (Ty::Any, _) | (_, Ty::Any | Ty::Bool) => Ty::Any,
                (Ty::Vector, _) | (_, Ty::Vector) => Ty::Vector,
                _ => Ty::Num,
            };
        }
        out
    }

    fn no_broadcast(&mut self, b: &Builtin, x: &Ty, y: &Ty, span: Span) -> Ty {
        let d = Diagnostic::new(
            ErrorCode::CheckShape,
            format!(
                "the arguments of `{}` do not broadcast: {} and {}",
                b.name,
                x.describe(),
                y.describe()
            ),
        )
        .label(span, "arguments of different shapes")
        .help("an elementwise function takes numbers with anything, and vectors or matrices of one shape");
        self.error(d);
        Ty::Any
    }
}
