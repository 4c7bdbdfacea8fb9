//! Compiling a drift, noise or other per-step function written in a script into closures of
//! numbers, once, so that inner loops never walk the expression tree. [`expand`] turns the
//! code into scalar expressions of the parameters ([`ex::Ex`]), resolving everything that does
//! not read them; [`ex::build`] makes the closures. [`verify`] is the same decision made when
//! checking, without values, so that `wmd check` refuses at the construct what cannot compile.

pub mod ex;
pub mod expand;
pub mod rules;
pub mod verify;

pub use ex::ScalarFn;
use expand::{Cx, Sym};
use rules::unsupported;

use super::error::Result;
use super::state::{Evaluator, Frame};
use crate::ir::code::Code;
use crate::span::Span;

/// What a function field's parameter stands for in the closures: parameter `k`, or the
/// vector of parameters `start .. start + len`.
#[derive(Debug, Clone, Copy)]
pub enum Bind {
    Scalar(usize),
    Vector { start: usize, len: usize },
}

impl Bind {
    fn sym(self) -> Sym {
        match self {
            Bind::Scalar(k) => Sym::Scalar(ex::Ex::Param(k)),
            Bind::Vector { start, len } => {
                Sym::Vector((start..start + len).map(ex::Ex::Param).collect())
            }
        }
    }
}

/// The entries of a compiled function: one closure per component.
pub struct Compiled {
    pub fs: Vec<ScalarFn>,
    /// Rows × columns when the function gives a matrix (its closures row by row).
    pub matrix: Option<(usize, usize)>,
}

impl Evaluator<'_> {
    /// Compile `code`, whose parameters are bound as `binds`, into one closure per entry.
    pub fn compile_fn(
        &self,
        code: &Code,
        binds: &[Bind],
        span: Span,
        frame: &Frame,
    ) -> Result<Compiled> {
        let mut cx = Cx {
            env: binds.iter().map(|b| b.sym()).collect(),
            draw: frame.draw,
            calls: Vec::new(),
        };
        let sym = expand::lift(self.expand(code, &mut cx, span)?, span)?;
        let build = |es: &[ex::Ex]| es.iter().map(ex::build).collect::<Vec<_>>();
        Ok(match sym {
            Sym::Scalar(e) => Compiled {
                fs: vec![ex::build(&e)],
                matrix: None,
            },
            Sym::Vector(v) => Compiled {
                fs: build(&v),
                matrix: None,
            },
            Sym::Rows(r) => Compiled {
                matrix: Some((r.len(), r.first().map_or(0, Vec::len))),
                fs: build(&r.concat()),
            },
            Sym::Known(_) => return Err(unsupported(span, "this value".into())),
        })
    }

    /// Compile `code`, whose frame holds `params` scalar parameters, into a closure.
    pub fn compile_scalar(
        &self,
        code: &Code,
        params: usize,
        span: Span,
        frame: &mut Frame,
    ) -> Result<ScalarFn> {
        let binds: Vec<Bind> = (0..params).map(Bind::Scalar).collect();
        let c = self.compile_fn(code, &binds, span, frame)?;
        match (c.fs.len(), c.matrix, is_vector(code)) {
            (1, None, false) => Ok(c.fs[0].clone()),
            _ => {
                Err(unsupported(span, "a whole vector".into())
                    .help("this function gives one number"))
            }
        }
    }

    /// Compile a vector-valued function of `params` scalar parameters: one closure per
    /// component (a single number is one component).
    pub fn compile_vector(
        &self,
        code: &Code,
        params: usize,
        span: Span,
        frame: &mut Frame,
    ) -> Result<Vec<ScalarFn>> {
        let binds: Vec<Bind> = (0..params).map(Bind::Scalar).collect();
        let c = self.compile_fn(code, &binds, span, frame)?;
        match c.matrix {
            None => Ok(c.fs),
            Some(_) => Err(unsupported(span, "a matrix".into())
                .help("this function gives one number per component")),
        }
    }
}

/// Whether `code` is written as a vector (a literal or a comprehension), which a scalar
/// function must not be even when it has one entry.
fn is_vector(code: &Code) -> bool {
    matches!(code, Code::Vector(..) | Code::Comprehension(..))
}
