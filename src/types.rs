//! Static types used by the checker. `Any` is the type of what cannot be known before running
//! (a lambda parameter, a field of a run's results); it never causes an error.

use std::fmt;

/// A matrix shape, with dimensions known when they fold to constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shape {
    pub rows: Option<usize>,
    pub cols: Option<usize>,
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = |x: Option<usize>| x.map(|v| v.to_string()).unwrap_or_else(|| "?".into());
        write!(f, "{}×{}", d(self.rows), d(self.cols))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Num,
    Bool,
    Str,
    Vector,
    Matrix(Shape),
    /// A probability distribution (density with CDF).
    Dist,
    /// A random-matrix law such as `gaussian(rows, cols)`; sampled by `ensemble`.
    Law(Shape),
    /// A function with a known number of required and optional parameters.
    Func {
        required: usize,
        optional: usize,
    },
    Record,
    Any,
}

impl Ty {
    /// Name of the type as a user reads it.
    pub fn describe(&self) -> String {
        match self {
            Ty::Num => "a number".into(),
            Ty::Bool => "a boolean".into(),
            Ty::Str => "a string".into(),
            Ty::Vector => "a vector".into(),
            Ty::Matrix(s) => format!("a {s} matrix"),
            Ty::Dist => "a distribution".into(),
            Ty::Law(s) => format!("a {s} random-matrix law"),
            Ty::Func { .. } => "a function".into(),
            Ty::Record => "a record".into(),
            Ty::Any => "a value".into(),
        }
    }

    pub fn is_numeric(&self) -> bool {
        matches!(self, Ty::Num | Ty::Vector | Ty::Matrix(_) | Ty::Any)
    }
}

/// What a builtin parameter accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamTy {
    Num,
    /// A number or a vector (elementwise functions).
    Numeric,
    Vector,
    Matrix,
    Dist,
    /// A distribution, or a function of one variable (its density).
    DistOrFunc,
    Func,
    /// The law of a layer's weights: a law or a number, written as an expression that may read
    /// `fan_in` and `fan_out`; the checker and lowering make it the function
    /// `(fan_in, fan_out, layer) -> expr` (a lambda written out is taken as it is).
    LayerLaw,
    Bool,
    Str,
    /// A string, one of these: `wmd check` refuses a literal that is not.
    Choice(&'static [&'static str]),
    Any,
}

impl ParamTy {
    /// Whether an argument of type `ty` is taken; a boolean is taken where numbers are (as 1
    /// or 0; `Bool` is also the type of a vector of booleans).
    pub fn accepts(self, ty: &Ty) -> bool {
        use ParamTy as P;
        match (self, ty) {
            (_, Ty::Any) | (P::Any, _) => true,
            (P::Num, t) => matches!(t, Ty::Num | Ty::Bool),
            (P::Numeric, t) => matches!(t, Ty::Num | Ty::Vector | Ty::Matrix(_) | Ty::Bool),
            (P::Vector, t) => matches!(t, Ty::Vector | Ty::Num | Ty::Bool),
            (P::Matrix, t) => matches!(t, Ty::Matrix(_)),
            (P::Dist, t) => matches!(t, Ty::Dist),
            (P::DistOrFunc, t) => matches!(t, Ty::Dist | Ty::Func { .. }),
            (P::Func | P::LayerLaw, t) => matches!(t, Ty::Func { .. }),
            (P::Bool, t) => matches!(t, Ty::Bool),
            (P::Str | P::Choice(_), t) => matches!(t, Ty::Str),
        }
    }

    pub fn describe(self) -> &'static str {
        use ParamTy as P;
        match self {
            P::Num => "a number",
            P::Numeric => "a number or a vector",
            P::Vector => "a vector",
            P::Matrix => "a matrix",
            P::Dist => "a distribution",
            P::DistOrFunc => "a distribution or a density function",
            P::Func => "a function",
            P::LayerLaw => "a law of the weights (it may read fan_in, fan_out and layer)",
            P::Bool => "a boolean",
            P::Str => "a string",
            P::Choice(_) => "one of its strings",
            P::Any => "a value",
        }
    }
}
