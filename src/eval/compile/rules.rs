//! What the per-step compiler takes: the builtins it compiles and the constructs it refuses,
//! shared by the compiler ([`super::expand`]) and the check-time verifier ([`super::verify`]).

use crate::builtins::Builtin;
use crate::diag::ErrorCode;
use crate::eval::error::RunError;
use crate::eval::kernel::Kernel;
use crate::ir::code::Code;
use crate::span::Span;

/// What per-step functions may call with their parameters.
pub const STEP_BUILTINS_HELP: &str = "per-step functions call elementwise functions (sqrt, exp, tanh, …) and sum, mean, min, max, len and reshape of the parameters; other builtins only on constants";

pub(crate) fn unsupported(span: Span, what: String) -> RunError {
    RunError::new(span, format!("{what} cannot be used in a per-step function"))
        .code(ErrorCode::RunCompile)
        .label("here")
        .help("per-step functions use numbers, their parameters, arithmetic, elementary functions, `if`, user functions, loops over constant ranges and constant vectors and matrices")
}

/// A reduction over all entries of a vector of parameters.
#[derive(Debug, Clone, Copy)]
pub enum Reduce {
    Sum,
    Mean,
    Max,
    Min,
    Len,
}

/// How a builtin is compiled when it takes the parameters.
#[derive(Clone, Copy)]
pub enum StepBuiltin {
    Map(fn(f64) -> f64),
    Map2(fn(f64, f64) -> f64),
    Reduce(Reduce),
    /// `reshape(v, rows)`: the rows × (len/rows) matrix filled row by row.
    Reshape,
}

/// The compiled form of builtin `b` called with `given` arguments, if it has one.
pub fn step_builtin(b: &Builtin, given: usize) -> Option<StepBuiltin> {
    match crate::eval::rows::row_of(b).map(|r| r.run) {
        Some(Kernel::Map(f)) => return Some(StepBuiltin::Map(f)),
        Some(Kernel::Map2(f)) if given == 2 => return Some(StepBuiltin::Map2(f)),
        _ => {}
    }
    Some(match (b.name, given) {
        ("sum", 1) => StepBuiltin::Reduce(Reduce::Sum),
        ("mean", 1) => StepBuiltin::Reduce(Reduce::Mean),
        ("len", 1) => StepBuiltin::Reduce(Reduce::Len),
        ("max", 1) => StepBuiltin::Reduce(Reduce::Max),
        ("min", 1) => StepBuiltin::Reduce(Reduce::Min),
        ("max", 2) => StepBuiltin::Map2(f64::max),
        ("min", 2) => StepBuiltin::Map2(f64::min),
        ("reshape", 2) => StepBuiltin::Reshape,
        _ => return None,
    })
}

/// Why a construct that reads the parameters cannot be compiled.
pub fn refusal(code: &Code) -> String {
    match code {
        Code::Member(..) => "a field of a value computed from the parameters",
        Code::Transpose(..) => "transposing a value computed from the parameters",
        Code::CallValue(..) => "calling a function value (a lambda or a parameter)",
        Code::Record(_) => "a record built from the parameters",
        Code::Lambda(..) => "a lambda of the parameters",
        _ => "this expression",
    }
    .into()
}
