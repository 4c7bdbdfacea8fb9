//! What a builtin's row holds.

use super::args::Args;
use super::error::Result;
use super::state::{Draw, Evaluator};
use crate::builtins::Builtin;
use crate::ir::value::Value;
use crate::span::Span;

/// A builtin's implementation.
#[derive(Clone, Copy)]
pub enum Kernel {
    /// An elementary function, applied to every number (non-finite results refused).
    Map(fn(f64) -> f64),
    /// An elementary function of two numbers, applied entry by entry to its two arguments
    /// broadcast against each other (a number against a vector or matrix, or two of one
    /// shape; non-finite results refused). A row whose second parameter is optional (`max`,
    /// `min`) folds `f` over the entries of the first argument when the second is absent.
    Map2(fn(f64, f64) -> f64),
    /// An elementary function of three numbers (`clamp`), broadcast like [`Kernel::Map2`].
    Map3(fn(f64, f64, f64) -> f64),
    /// A function of the argument values alone.
    Pure(fn(&Args, Span) -> Result<Value>),
    /// A function that also calls back into the evaluator (function arguments, the draw).
    Eval(fn(&Evaluator, &Args, Span, &Draw) -> Result<Value>),
}

/// One builtin: its signature and its implementation.
pub struct Row {
    pub sig: Builtin,
    pub run: Kernel,
}
