//! What a builtin's signature says: names, parameters, defaults and return types. The checker
//! reads signatures for arity, argument names and types; the evaluator for binding arguments
//! and recording every default it used in the manifest. The builtins themselves, one row each
//! with their implementation, are the evaluator's table (`src/eval/rows.rs`), handed to the
//! checker by [`crate::check()`].

use crate::types::{ParamTy, Shape, Ty};

/// A parameter's default.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DefaultValue {
    /// Must be given.
    Required,
    /// A fixed number.
    Num(f64),
    /// Chosen at run time; the text says how (and the manifest records the value).
    Auto(&'static str),
}

#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub ty: ParamTy,
    pub default: DefaultValue,
}

/// How the evaluator treats the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Arguments evaluated, then the kernel applied.
    Plain,
    /// The first argument is re-evaluated for each of `draws` independent samples of the
    /// ensembles it uses, and the results are pooled.
    Pooled,
    /// The first argument is evaluated for each of `draws` independent samples of the
    /// ensembles it uses, and the values are stacked: numbers into a vector of `draws`
    /// entries, vectors of one length n into the rows of a `draws` × n matrix.
    Sampled,
}

/// A builtin's signature. Its row in `eval/rows.rs` pairs it with its implementation; a
/// signature is identified by its name.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    pub name: &'static str,
    pub params: &'static [Param],
    pub ret: Ret,
    pub mode: Mode,
    pub doc: &'static str,
}

/// Return type: fixed, or the type of the first argument (elementwise maps).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ret {
    Num,
    Bool,
    Vector,
    Matrix,
    Dist,
    Law,
    Record,
    Any,
    SameAsFirst,
    /// The common shape of the arguments, broadcast (elementwise functions of several
    /// numbers: a number when all are numbers, else the vector's or matrix's shape).
    Broadcast,
}

impl Ret {
    pub fn ty(self) -> Ty {
        match self {
            Ret::Num => Ty::Num,
            Ret::Bool => Ty::Bool,
            Ret::Vector => Ty::Vector,
            Ret::Matrix => Ty::Matrix(Shape::default()),
            Ret::Dist => Ty::Dist,
            Ret::Law => Ty::Law(Shape::default()),
            Ret::Record => Ty::Record,
            Ret::Any | Ret::SameAsFirst | Ret::Broadcast => Ty::Any,
        }
    }
}

/// A required parameter.
pub const fn req(name: &'static str, ty: ParamTy) -> Param {
    Param {
        name,
        ty,
        default: DefaultValue::Required,
    }
}

/// A parameter with a numeric default.
pub const fn num(name: &'static str, value: f64) -> Param {
    Param {
        name,
        ty: ParamTy::Num,
        default: DefaultValue::Num(value),
    }
}

/// A parameter whose default is chosen at run time (`how` says how; the manifest records it).
pub const fn auto(name: &'static str, ty: ParamTy, how: &'static str) -> Param {
    Param {
        name,
        ty,
        default: DefaultValue::Auto(how),
    }
}

/// Named constants.
pub const CONSTANTS: &[(&str, f64)] = &[
    ("pi", std::f64::consts::PI),
    ("e", std::f64::consts::E),
    ("inf", f64::INFINITY),
];

impl PartialEq for Builtin {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}
