//! Compiled expressions and the values they compute: one recursive pair of types (a constant
//! is a value, a closure holds code), so they live in one file. Their methods are in
//! [`super::value`]; the plan that holds the code is [`super::plan`].

use crate::backend::linalg::MatrixLaw;
use crate::builtins::Builtin;
use crate::ir::ops::{BinOp, UnOp};
use crate::observe::density::TabulatedDensity;
use crate::span::Span;
use faer::Mat;
use std::sync::Arc;

/// A compiled expression: names resolved, arguments in parameter order.
#[derive(Debug, Clone)]
pub enum Code {
    Const(Value),
    Global(usize, Span),
    Local(usize),
    Vector(Vec<Code>, Span),
    Comprehension(Box<Code>, Box<Loop>, Span),
    Sum(Box<Code>, Box<Loop>, Span),
    Record(Vec<(String, Code)>),
    /// A lambda with this many parameters; it captures the frame it is created in.
    Lambda(usize, Arc<Code>),
    If(Box<[Code; 3]>, Span),
    Unary(UnOp, Box<Code>, Span),
    Binary(BinOp, Box<[Code; 2]>, Span),
    /// A builtin call; arguments by parameter position (None = default).
    CallBuiltin(&'static Builtin, Vec<Option<Code>>, Span),
    /// A call of a global `fn`; arguments by parameter position.
    CallGlobal(usize, Vec<Option<Code>>, Span),
    /// A call of a function value (lambda, parameter); positional only.
    CallValue(Box<Code>, Vec<Code>, Span),
    /// Indexing; `None` is `:`. `end` takes the next free frame slot while indices run.
    Index(Box<Code>, Vec<Option<Code>>, Span),
    Member(Box<Code>, String, Span),
    Transpose(Box<Code>, Span),
}

/// `for var in iter if filter`. The loop variable takes the next free frame slot, as the
/// checker numbered it.
#[derive(Debug, Clone)]
pub struct Loop {
    pub iter: Code,
    pub filter: Option<Code>,
}

#[derive(Debug, Clone)]
pub enum Value {
    Num(f64),
    Bool(bool),
    Str(Arc<str>),
    Vector(Arc<Vec<f64>>),
    /// A vector of booleans (an elementwise comparison).
    Mask(Arc<Vec<bool>>),
    Matrix(Arc<Mat<f64>>),
    List(Arc<Vec<Value>>),
    /// Named fields in order.
    Record(Arc<Vec<(String, Value)>>),
    Func(Arc<Func>),
    Dist(Arc<Dist>),
    Law(Arc<MatrixLaw>),
}

#[derive(Debug, Clone)]
pub enum Func {
    /// A lambda: its body and the frame it was created in.
    Closure {
        params: usize,
        body: Arc<Code>,
        captured: Vec<Value>,
    },
    /// A global `fn`.
    Global(usize),
    Builtin(&'static Builtin),
    /// A function a backend binds inside its block (e.g. the `pde` kind's `dx`).
    Native(NativeFn),
}

/// A backend-provided function of values: its name (for messages) and its body.
#[derive(Clone)]
pub struct NativeFn {
    pub name: &'static str,
    #[allow(clippy::type_complexity)]
    pub body: Arc<dyn Fn(&[Value]) -> Result<Value, String> + Send + Sync>,
}

impl std::fmt::Debug for NativeFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<native {}>", self.name)
    }
}

/// A probability distribution on the real line.
#[derive(Debug, Clone)]
pub enum Dist {
    Tabulated(TabulatedDensity),
    Normal { mean: f64, sd: f64 },
    Uniform { low: f64, high: f64 },
}
