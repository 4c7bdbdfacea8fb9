//! The table of built-in functions: names, parameters, defaults and return types. The checker
//! reads it for arity, argument names and types; the evaluator for binding arguments and
//! recording every default it used in the manifest.

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
}

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
            Ret::Any | Ret::SameAsFirst => Ty::Any,
        }
    }
}

const fn req(name: &'static str, ty: ParamTy) -> Param {
    Param {
        name,
        ty,
        default: DefaultValue::Required,
    }
}

const fn num(name: &'static str, value: f64) -> Param {
    Param {
        name,
        ty: ParamTy::Num,
        default: DefaultValue::Num(value),
    }
}

const fn auto(name: &'static str, ty: ParamTy, how: &'static str) -> Param {
    Param {
        name,
        ty,
        default: DefaultValue::Auto(how),
    }
}

const X: &[Param] = &[req("x", ParamTy::Numeric)];

macro_rules! elementwise {
    ($($name:literal: $doc:literal),* $(,)?) => {
        &[$(Builtin { name: $name, params: X, ret: Ret::SameAsFirst, mode: Mode::Plain, doc: $doc }),*]
    };
}

/// Elementwise functions of one numeric argument.
pub const ELEMENTWISE: &[Builtin] = elementwise![
    "sqrt": "square root √x",
    "exp": "exponential eˣ",
    "log": "natural logarithm",
    "abs": "absolute value |x|",
    "sin": "sine",
    "cos": "cosine",
    "tan": "tangent",
    "tanh": "hyperbolic tangent",
    "erf": "error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt",
    "floor": "largest integer ≤ x",
    "ceil": "smallest integer ≥ x",
    "round": "nearest integer",
];

/// Every other builtin.
pub const OTHERS: &[Builtin] = &[
    Builtin { name: "max", params: &[req("x", ParamTy::Numeric), auto("y", ParamTy::Numeric, "absent: the largest element of x")], ret: Ret::Any, mode: Mode::Plain, doc: "max(x): largest element; max(x, y): elementwise maximum" },
    Builtin { name: "min", params: &[req("x", ParamTy::Numeric), auto("y", ParamTy::Numeric, "absent: the smallest element of x")], ret: Ret::Any, mode: Mode::Plain, doc: "min(x): smallest element; min(x, y): elementwise minimum" },
    Builtin { name: "sum", params: &[req("x", ParamTy::Numeric)], ret: Ret::Num, mode: Mode::Plain, doc: "sum of the elements (see also `sum(j in 0..n: ...)`)" },
    Builtin { name: "mean", params: &[req("x", ParamTy::Any)], ret: Ret::Num, mode: Mode::Plain, doc: "mean of a vector's elements, or of a distribution" },
    Builtin { name: "variance", params: &[req("x", ParamTy::Any)], ret: Ret::Num, mode: Mode::Plain, doc: "unbiased sample variance of a vector, or the variance of a distribution" },
    Builtin { name: "std", params: &[req("x", ParamTy::Vector)], ret: Ret::Num, mode: Mode::Plain, doc: "sample standard deviation" },
    Builtin { name: "moment", params: &[req("x", ParamTy::Any), req("k", ParamTy::Num)], ret: Ret::Num, mode: Mode::Plain, doc: "k-th raw moment ⟨x^k⟩ of a vector's elements or of a distribution" },
    Builtin { name: "quantile", params: &[req("x", ParamTy::Vector), req("q", ParamTy::Num)], ret: Ret::Num, mode: Mode::Plain, doc: "q-quantile (linear interpolation)" },
    Builtin { name: "len", params: &[req("x", ParamTy::Any)], ret: Ret::Num, mode: Mode::Plain, doc: "number of elements" },
    Builtin { name: "sort", params: &[req("x", ParamTy::Vector)], ret: Ret::Vector, mode: Mode::Plain, doc: "elements in ascending order" },
    Builtin { name: "linspace", params: &[req("start", ParamTy::Num), req("stop", ParamTy::Num), req("n", ParamTy::Num)], ret: Ret::Vector, mode: Mode::Plain, doc: "n equally spaced points from start to stop inclusive" },
    Builtin { name: "require", params: &[req("cond", ParamTy::Bool), req("message", ParamTy::Str), req("value", ParamTy::Any)], ret: Ret::Any, mode: Mode::Plain, doc: "value if cond holds, else a run error with message at the call site" },
    Builtin { name: "gaussian", params: &[req("rows", ParamTy::Num), req("cols", ParamTy::Num), num("var", 1.0), num("mean", 0.0)], ret: Ret::Law, mode: Mode::Plain, doc: "rows×cols matrix of independent N(mean, var) entries" },
    Builtin { name: "goe", params: &[req("n", ParamTy::Num), num("var", 1.0)], ret: Ret::Law, mode: Mode::Plain, doc: "n×n Gaussian orthogonal ensemble: symmetric, off-diagonal variance var, diagonal 2·var" },
    Builtin { name: "wishart", params: &[req("rows", ParamTy::Num), req("cols", ParamTy::Num), num("var", 1.0)], ret: Ret::Law, mode: Mode::Plain, doc: "cols×cols matrix WᵀW of a rows×cols Gaussian W with entry variance var" },
    Builtin { name: "eigvals", params: &[req("m", ParamTy::Matrix), num("draws", 1.0)], ret: Ret::Vector, mode: Mode::Pooled, doc: "ascending eigenvalues of a symmetric matrix; with draws = K, pooled over K independent samples" },
    Builtin { name: "singular_values", params: &[req("m", ParamTy::Matrix), num("draws", 1.0)], ret: Ret::Vector, mode: Mode::Pooled, doc: "descending singular values; with draws = K, pooled over K independent samples" },
    Builtin { name: "identity", params: &[req("n", ParamTy::Num)], ret: Ret::Matrix, mode: Mode::Plain, doc: "n×n identity matrix" },
    Builtin { name: "reshape", params: &[req("x", ParamTy::Vector), req("rows", ParamTy::Num)], ret: Ret::Matrix, mode: Mode::Plain, doc: "the rows × (len(x)/rows) matrix filled row by row from x (the inverse of flatten): reshape([1, 2, 3, 4], 2)" },
    Builtin { name: "rows", params: &[req("m", ParamTy::Matrix)], ret: Ret::Num, mode: Mode::Plain, doc: "number of rows" },
    Builtin { name: "cols", params: &[req("m", ParamTy::Matrix)], ret: Ret::Num, mode: Mode::Plain, doc: "number of columns" },
    Builtin { name: "trace", params: &[req("m", ParamTy::Matrix)], ret: Ret::Num, mode: Mode::Plain, doc: "sum of the diagonal" },
    Builtin { name: "density", params: &[req("pdf", ParamTy::Func), req("support", ParamTy::Vector), num("nodes", 4097.0)], ret: Ret::Dist, mode: Mode::Plain, doc: "distribution with density pdf on support [a, b]; normalised, CDF tabulated by quadrature" },
    Builtin { name: "normal", params: &[num("mean", 0.0), num("sd", 1.0)], ret: Ret::Dist, mode: Mode::Plain, doc: "normal distribution N(mean, sd²)" },
    Builtin { name: "uniform", params: &[num("low", 0.0), num("high", 1.0)], ret: Ret::Dist, mode: Mode::Plain, doc: "uniform distribution on [low, high]" },
    Builtin { name: "pdf", params: &[req("dist", ParamTy::Dist), req("x", ParamTy::Numeric)], ret: Ret::Any, mode: Mode::Plain, doc: "density of dist at x" },
    Builtin { name: "cdf", params: &[req("dist", ParamTy::Dist), req("x", ParamTy::Numeric)], ret: Ret::Any, mode: Mode::Plain, doc: "cumulative distribution of dist at x" },
    Builtin { name: "support", params: &[req("dist", ParamTy::Dist)], ret: Ret::Vector, mode: Mode::Plain, doc: "[low, high] of a distribution's support" },
    Builtin { name: "histogram", params: &[req("x", ParamTy::Vector), num("bins", 40.0), auto("range", ParamTy::Vector, "[min(x), max(x)]")], ret: Ret::Record, mode: Mode::Plain, doc: "histogram of x: edges, centres, counts and density (integrates to the fraction inside range)" },
    Builtin { name: "ks_distance", params: &[req("x", ParamTy::Vector), req("theory", ParamTy::Any)], ret: Ret::Num, mode: Mode::Plain, doc: "Kolmogorov–Smirnov distance sup|F_n − F| between a sample and a distribution (or a second sample)" },
    Builtin { name: "spacings", params: &[req("x", ParamTy::Any)], ret: Ret::Vector, mode: Mode::Plain, doc: "nearest-neighbour spacings of the sorted values; of a matrix, within each row (run), pooled" },
    Builtin { name: "fit_line", params: &[req("x", ParamTy::Vector), req("y", ParamTy::Vector), auto("sigma", ParamTy::Vector, "absent: errors from the residual scatter")], ret: Ret::Record, mode: Mode::Plain, doc: "least-squares line y = slope·x + intercept with standard errors (≥ 3 points); with sigma = standard errors of y, weighted, with chi2 and dof" },
    Builtin { name: "flatten", params: &[req("m", ParamTy::Any)], ret: Ret::Vector, mode: Mode::Plain, doc: "all entries of a matrix, row by row, as a vector" },
    Builtin { name: "binder_cumulant", params: &[req("x", ParamTy::Vector), num("blocks", 20.0)], ret: Ret::Record, mode: Mode::Plain, doc: "U₄ = ⟨x⁴⟩/(3⟨x²⟩²) − 1 with a delete-one-block jackknife error" },    Builtin { name: "box", params: &[req("ax", ParamTy::Num), req("bx", ParamTy::Num), req("ay", ParamTy::Num), req("by", ParamTy::Num)], ret: Ret::Vector, mode: Mode::Plain, doc: "the 2D region (ax, bx) × (ay, by) of a `domain`, as [ax, bx, ay, by]" },
    Builtin { name: "stationary_density", params: &[req("fp", ParamTy::Any)], ret: Ret::Any, mode: Mode::Plain, doc: "the stationary density of a fokker_planck run with time-independent coefficients (null vector of its discrete operator), on its cells: a vector in 1D, an n × m matrix in 2D" },
    Builtin { name: "hamiltonian_spectrum", params: &[req("fp", ParamTy::Any), num("levels", 5.0)], ret: Ret::Record, mode: Mode::Plain, doc: "lowest levels E_n and eigenfunctions ψ_n of H_FP = ½L†L (001) of a reflecting fokker_planck run (1D, or 2D with a drift in detailed balance, ≤ 4000 cells); E_0 = 0, ψ_0 = √P_s" },
    Builtin { name: "density_distances", params: &[req("p", ParamTy::Vector), req("q", ParamTy::Vector), req("dx", ParamTy::Num)], ret: Ret::Record, mode: Mode::Plain, doc: "L1 = Σ|p − q|·dx, MSE = mean (p − q)² and Pearson correlation (000 eq. 28) of two densities on the same cells" },
];

/// Level statistics and density fits (001: Wigner surmise, two-mode density, unfolding).
pub const SPECTRAL: &[Builtin] = &[
    Builtin { name: "degenerate", params: &[req("values", ParamTy::Vector), num("tol", 1e-9)], ret: Ret::Matrix, mode: Mode::Plain, doc: "index pairs (i, i+1), one per row, of consecutive values equal within tol·max(1, |vᵢ|): the degenerate modes of a target spectrum" },
    Builtin { name: "level_spacing", params: &[req("x", ParamTy::Any), req("pairs", ParamTy::Matrix)], ret: Ret::Matrix, mode: Mode::Plain, doc: "runs × pairs matrix of S = x_j − x_i for each index pair (i, j) of each run's sorted spectrum" },
    Builtin { name: "mean_level_spacing", params: &[req("s", ParamTy::Any)], ret: Ret::Record, mode: Mode::Plain, doc: "⟨S⟩ of each column (pair) with its standard error" },
    Builtin { name: "unit_mean", params: &[req("s", ParamTy::Any)], ret: Ret::Vector, mode: Mode::Plain, doc: "each column divided by its mean, pooled: s = S/⟨S⟩, the variable of the Wigner surmise" },
    Builtin { name: "unfolded_spacings", params: &[req("x", ParamTy::Any), auto("theory", ParamTy::Dist, "the empirical spectral CDF of all runs pooled")], ret: Ret::Vector, mode: Mode::Plain, doc: "nearest-neighbour spacings of ξ = n·F(x) within each run (unit mean density), pooled" },
    Builtin { name: "spacing_ratio", params: &[req("x", ParamTy::Any)], ret: Ret::Record, mode: Mode::Plain, doc: "⟨r̃⟩, r̃ = min(sᵢ, sᵢ₊₁)/max(sᵢ, sᵢ₊₁), with its error: ≈ 0.386 Poisson, 0.531 GOE, 0.600 GUE" },
    Builtin { name: "fit_gaussian", params: &[req("x", ParamTy::Vector)], ret: Ret::Record, mode: Mode::Plain, doc: "mean and sd of a normal law with standard errors" },
    Builtin { name: "fit_semicircle", params: &[req("x", ParamTy::Vector)], ret: Ret::Record, mode: Mode::Plain, doc: "centre and radius R = 2σ of a semicircle, with standard errors" },
    Builtin { name: "kde", params: &[req("points", ParamTy::Vector), auto("bandwidth", ParamTy::Num, "Silverman's rule 0.9·min(sd, IQR/1.34)·n^(−1/5)")], ret: Ret::Dist, mode: Mode::Plain, doc: "Gaussian kernel density estimate of sample points, as a distribution (e.g. a Fokker–Planck `init` from data, as 000 does with latent points)" },
    Builtin { name: "kde2d", params: &[req("px", ParamTy::Vector), req("py", ParamTy::Vector), req("x", ParamTy::Vector), req("y", ParamTy::Vector), auto("bandwidth", ParamTy::Vector, "Scott's rule per axis: [sd_x, sd_y]·n^(−1/6)")], ret: Ret::Vector, mode: Mode::Plain, doc: "2D Gaussian kernel density estimate of the points (px[k], py[k]) at the points (x[i], y[i]) (e.g. `init(x, y) = kde2d(px, py, x, y)` of a 2D Fokker–Planck run from latent data, as in 000)" },
    Builtin { name: "fit_two_mode", params: &[req("x", ParamTy::Vector)], ret: Ret::Record, mode: Mode::Plain, doc: "maximum-likelihood centre and σ of the two-mode density of 001, with errors from the observed information" },
];

/// Look up a builtin by name.
pub fn lookup(name: &str) -> Option<&'static Builtin> {
    all().find(|b| b.name == name)
}

/// All builtin names (for "did you mean" and REPL completion).
pub fn names() -> impl Iterator<Item = &'static str> {
    all().map(|b| b.name)
}

fn all() -> impl Iterator<Item = &'static Builtin> {
    ELEMENTWISE.iter().chain(OTHERS).chain(SPECTRAL)
}

/// Named constants.
pub const CONSTANTS: &[(&str, f64)] = &[
    ("pi", std::f64::consts::PI),
    ("e", std::f64::consts::E),
    ("inf", f64::INFINITY),
];
