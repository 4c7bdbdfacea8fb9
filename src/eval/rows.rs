//! The builtins, one row each: the name, the signature the checker holds calls to (parameters
//! with types and defaults, the return type, how the call is evaluated) and the implementation,
//! side by side, so that a builtin cannot be declared without one. The checker and `:help` read
//! the signatures ([`super::table::signatures`]); the evaluator calls [`apply`], which finds the row by the
//! signature's identity.

use super::args::*;
use super::builtins::*;
use super::error::Result;
use super::fp_builtins as fp;
use super::kernel::{Kernel, Row};
use super::spectral;
use super::state::{Draw, Evaluator};
use super::{arrays, elementary};
use crate::builtins::{auto, num, req, Builtin, Mode, Param, Ret};
use crate::ir::value::Value;
use crate::observe::fit;
use crate::span::Span;
use crate::types::ParamTy;
use Kernel::{Eval, Pure};

const X: &[Param] = &[req("x", ParamTy::Numeric)];

/// An elementwise function of one numeric argument: a number, or every entry of a vector or
/// matrix (the per-step compiler calls `f` directly).
const fn elementwise(name: &'static str, f: fn(f64) -> f64, doc: &'static str) -> Row {
    Row {
        sig: Builtin {
            name,
            params: X,
            ret: Ret::SameAsFirst,
            mode: Mode::Plain,
            doc,
        },
        run: Kernel::Map(f),
    }
}

const AXIS: Param = auto("axis", ParamTy::Num, "absent: over all entries");
const XY: &[Param] = &[req("x", ParamTy::Numeric), req("y", ParamTy::Numeric)];

/// An elementwise function of two numeric arguments broadcast against each other.
const fn elementwise2(
    name: &'static str,
    params: &'static [Param],
    f: fn(f64, f64) -> f64,
    doc: &'static str,
) -> Row {
    Row {
        sig: Builtin {
            name,
            params,
            ret: Ret::Broadcast,
            mode: Mode::Plain,
            doc,
        },
        run: Kernel::Map2(f),
    }
}

/// Every builtin.
pub static ROWS: &[Row] = &[
    elementwise("sqrt", f64::sqrt, "square root √x"),
    elementwise("exp", f64::exp, "exponential eˣ"),
    elementwise("log", f64::ln, "natural logarithm"),
    elementwise("abs", f64::abs, "absolute value |x|"),
    elementwise("sin", f64::sin, "sine"),
    elementwise("cos", f64::cos, "cosine"),
    elementwise("tan", f64::tan, "tangent"),
    elementwise("tanh", f64::tanh, "hyperbolic tangent"),
    elementwise("erf", crate::observe::special::erf, "error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt"),
    elementwise("floor", f64::floor, "largest integer ≤ x"),
    elementwise("ceil", f64::ceil, "smallest integer ≥ x"),
    elementwise("round", f64::round, "nearest integer"),
    elementwise("asin", f64::asin, "inverse sine, in [−π/2, π/2], for −1 ≤ x ≤ 1"),
    elementwise("acos", f64::acos, "inverse cosine, in [0, π], for −1 ≤ x ≤ 1"),
    elementwise("atan", f64::atan, "inverse tangent, in (−π/2, π/2)"),
    elementwise("sinh", f64::sinh, "hyperbolic sine (eˣ − e⁻ˣ)/2"),
    elementwise("cosh", f64::cosh, "hyperbolic cosine (eˣ + e⁻ˣ)/2"),
    elementwise("asinh", f64::asinh, "inverse hyperbolic sine ln(x + √(x² + 1))"),
    elementwise("acosh", f64::acosh, "inverse hyperbolic cosine ln(x + √(x² − 1)), for x ≥ 1"),
    elementwise("atanh", f64::atanh, "inverse hyperbolic tangent ½ ln((1 + x)/(1 − x)), for −1 < x < 1"),
    elementwise("gamma", elementary::gamma, "Γ(x) = ∫₀^∞ t^(x−1) e^(−t) dt (Γ(n) = (n − 1)!); poles at 0, −1, −2, …"),
    elementwise("lgamma", elementary::lgamma, "ln|Γ(x)|, finite where Γ overflows (x > 171.6)"),
    elementwise("erfc", elementary::erfc, "complementary error function erfc(x) = 1 − erf(x), accurate in the tail"),
    elementwise("sign", elementary::sign, "−1, 0 or 1 as x < 0, x = 0 or x > 0"),
    elementwise2("atan2", &[req("y", ParamTy::Numeric), req("x", ParamTy::Numeric)], f64::atan2, "angle of the point (x, y), in (−π, π]: `atan2(y, x)`"),
    elementwise2("hypot", XY, f64::hypot, "√(x² + y²) without overflow or underflow on the way (e.g. `hypot(3, 4)` = 5)"),
    Row { sig: Builtin { name: "clamp", params: &[req("x", ParamTy::Numeric), req("low", ParamTy::Numeric), req("high", ParamTy::Numeric)], ret: Ret::Broadcast, mode: Mode::Plain, doc: "x limited to [low, high] (elementwise; low ≤ high) (e.g. `clamp(x, 0, 1)`)" }, run: Kernel::Map3(elementary::clamp) },
    elementwise2("max", &[req("x", ParamTy::Numeric), auto("y", ParamTy::Numeric, "absent: the largest entry of x")], f64::max, "max(x): the largest entry of a vector or matrix; max(x, y): the elementwise maximum, broadcast (e.g. `max(x, 1)`)"),
    elementwise2("min", &[req("x", ParamTy::Numeric), auto("y", ParamTy::Numeric, "absent: the smallest entry of x")], f64::min, "min(x): the smallest entry of a vector or matrix; min(x, y): the elementwise minimum, broadcast (e.g. `min(x, 1)`)"),
    Row { sig: Builtin { name: "count", params: &[req("cond", ParamTy::Bool)], ret: Ret::Num, mode: Mode::Plain, doc: "number of true entries of a condition: `count(x > 1)`" }, run: Pure(|a, s| arrays::truths(a, s, false)) },
    Row { sig: Builtin { name: "fraction", params: &[req("cond", ParamTy::Bool)], ret: Ret::Num, mode: Mode::Plain, doc: "fraction of true entries of a condition: `fraction(x > 1)` = count(x > 1)/len(x)" }, run: Pure(|a, s| arrays::truths(a, s, true)) },
    Row { sig: Builtin { name: "sum", params: &[req("x", ParamTy::Numeric), AXIS], ret: Ret::Num, mode: Mode::Plain, doc: "sum of the entries of a vector or matrix; of a matrix with axis = 0, one sum per column (over the rows), with axis = 1 one per row (see also `sum(j in 0..n: ...)`) (e.g. `sum(M, axis = 0)`)" }, run: Pure(|a, s| arrays::along_axis("sum", a, s)) },
    Row { sig: Builtin { name: "mean", params: &[req("x", ParamTy::Any), AXIS], ret: Ret::Num, mode: Mode::Plain, doc: "mean of the entries of a vector or matrix (axis = 0: per column, axis = 1: per row), or of a distribution (e.g. `mean(M, axis = 1)`)" }, run: Pure(|a, s| arrays::along_axis("mean", a, s)) },
    Row { sig: Builtin { name: "variance", params: &[req("x", ParamTy::Any), AXIS], ret: Ret::Num, mode: Mode::Plain, doc: "unbiased sample variance of the entries of a vector or matrix (axis = 0: per column, axis = 1: per row), or the variance of a distribution (e.g. `variance(M, axis = 0)`)" }, run: Pure(|a, s| arrays::along_axis("variance", a, s)) },
    Row { sig: Builtin { name: "std", params: &[req("x", ParamTy::Numeric), AXIS], ret: Ret::Num, mode: Mode::Plain, doc: "sample standard deviation of the entries of a vector or matrix (axis = 0: per column, axis = 1: per row) (e.g. `std(M, axis = 1)`)" }, run: Pure(|a, s| arrays::along_axis("std", a, s)) },
    Row { sig: Builtin { name: "moment", params: &[req("x", ParamTy::Any), req("k", ParamTy::Num)], ret: Ret::Num, mode: Mode::Plain, doc: "k-th raw moment ⟨x^k⟩ of a vector's elements or of a distribution" }, run: Pure(|a, s| reductions("moment", a, s)) },
    Row { sig: Builtin { name: "quantile", params: &[req("x", ParamTy::Vector), req("q", ParamTy::Num)], ret: Ret::Num, mode: Mode::Plain, doc: "q-quantile (linear interpolation) (e.g. `quantile(x, 0.5)`)" }, run: Pure(|a, s| reductions("quantile", a, s)) },
    Row { sig: Builtin { name: "len", params: &[req("x", ParamTy::Any)], ret: Ret::Num, mode: Mode::Plain, doc: "number of elements" }, run: Pure(|a, s| reductions("len", a, s)) },
    Row { sig: Builtin { name: "sort", params: &[req("x", ParamTy::Vector)], ret: Ret::Vector, mode: Mode::Plain, doc: "elements in ascending order" }, run: Pure(|a, s| reductions("sort", a, s)) },
    Row { sig: Builtin { name: "linspace", params: &[req("start", ParamTy::Num), req("stop", ParamTy::Num), req("n", ParamTy::Num)], ret: Ret::Vector, mode: Mode::Plain, doc: "n equally spaced points from start to stop inclusive (e.g. `linspace(0, 1, 11)`)" }, run: Pure(linspace) },
    Row { sig: Builtin { name: "require", params: &[req("cond", ParamTy::Bool), req("message", ParamTy::Str), req("value", ParamTy::Any)], ret: Ret::Any, mode: Mode::Plain, doc: "value if cond holds, else a run error with message at the call site (e.g. `require(len(x) > 2, \"needs three points\", mean(x))`)" }, run: Pure(require) },
    Row { sig: Builtin { name: "gaussian", params: &[req("rows", ParamTy::Num), req("cols", ParamTy::Num), num("var", 1.0), num("mean", 0.0)], ret: Ret::Law, mode: Mode::Plain, doc: "rows×cols matrix of independent N(mean, var) entries (e.g. `ensemble W = gaussian(rows = 40, cols = 20, var = 1 / 40)`)" }, run: Pure(|a, s| law("gaussian", a, s)) },
    Row { sig: Builtin { name: "goe", params: &[req("n", ParamTy::Num), num("var", 1.0)], ret: Ret::Law, mode: Mode::Plain, doc: "n×n Gaussian orthogonal ensemble: symmetric, off-diagonal variance var, diagonal 2·var (e.g. `ensemble H = goe(n = 50, var = 1 / 50)`)" }, run: Pure(|a, s| law("goe", a, s)) },
    Row { sig: Builtin { name: "wishart", params: &[req("rows", ParamTy::Num), req("cols", ParamTy::Num), num("var", 1.0)], ret: Ret::Law, mode: Mode::Plain, doc: "cols×cols matrix WᵀW of a rows×cols Gaussian W with entry variance var (e.g. `ensemble X = wishart(rows = 40, cols = 20, var = 1 / 40)`)" }, run: Pure(|a, s| law("wishart", a, s)) },
    Row { sig: Builtin { name: "gue", params: &[req("n", ParamTy::Num), num("var", 1.0)], ret: Ret::Law, mode: Mode::Plain, doc: "n×n Gaussian unitary ensemble: complex Hermitian, E|H_ij|² = var, diagonal variance var (β = 2). A sample is the real diagonal matrix of its eigenvalues (unitarily similar to it): spectra are the GUE's, entries are not (e.g. `ensemble H = gue(n = 50, var = 1 / 50)`)" }, run: Pure(|a, s| law("gue", a, s)) },
    Row { sig: Builtin { name: "gse", params: &[req("n", ParamTy::Num), num("var", 1.0)], ret: Ret::Law, mode: Mode::Plain, doc: "n×n Gaussian symplectic ensemble: quaternion self-dual, E|q_ij|² = var, diagonal variance var/2 (β = 4). A sample is the real n×n diagonal matrix of its eigenvalues, each Kramers pair once (e.g. `ensemble H = gse(n = 50, var = 1 / 50)`)" }, run: Pure(|a, s| law("gse", a, s)) },
    Row { sig: Builtin { name: "wishart_complex", params: &[req("rows", ParamTy::Num), req("cols", ParamTy::Num), num("var", 1.0)], ret: Ret::Law, mode: Mode::Plain, doc: "cols×cols complex Wishart W†W of a rows×cols complex Gaussian W with E|W_ij|² = var (β = 2). A sample is the real diagonal matrix of its eigenvalues (e.g. `ensemble X = wishart_complex(rows = 40, cols = 20, var = 1 / 40)`)" }, run: Pure(|a, s| law("wishart_complex", a, s)) },
    Row { sig: Builtin { name: "eigvals", params: &[req("m", ParamTy::Matrix), num("draws", 1.0)], ret: Ret::Vector, mode: Mode::Pooled, doc: "ascending eigenvalues of a symmetric matrix; with draws = K, pooled over K independent samples (e.g. `eigvals(W' * W, draws = 10)`)" }, run: Pure(eigvals) },
    Row { sig: Builtin { name: "singular_values", params: &[req("m", ParamTy::Matrix), num("draws", 1.0)], ret: Ret::Vector, mode: Mode::Pooled, doc: "descending singular values; with draws = K, pooled over K independent samples (e.g. `singular_values(W, draws = 10)`)" }, run: Pure(singular_values) },
    Row { sig: Builtin { name: "diag", params: &[req("x", ParamTy::Numeric)], ret: Ret::Any, mode: Mode::Plain, doc: "diag(M): the diagonal of a matrix as a vector; diag(v): the square matrix with v on its diagonal (e.g. `diag(M)`)" }, run: Pure(arrays::diag) },
    Row { sig: Builtin { name: "zeros", params: &[req("rows", ParamTy::Num), auto("cols", ParamTy::Num, "absent: a vector of `rows` zeros")], ret: Ret::Any, mode: Mode::Plain, doc: "zeros(n): a vector of n zeros; zeros(rows, cols): a rows × cols matrix of zeros (e.g. `zeros(2, 3)`)" }, run: Pure(|a, s| arrays::filled(a, s, 0.0)) },
    Row { sig: Builtin { name: "ones", params: &[req("rows", ParamTy::Num), auto("cols", ParamTy::Num, "absent: a vector of `rows` ones")], ret: Ret::Any, mode: Mode::Plain, doc: "ones(n): a vector of n ones; ones(rows, cols): a rows × cols matrix of ones (e.g. `ones(4)`)" }, run: Pure(|a, s| arrays::filled(a, s, 1.0)) },
    Row { sig: Builtin { name: "sample", params: &[req("x", ParamTy::Any), req("draws", ParamTy::Num)], ret: Ret::Any, mode: Mode::Sampled, doc: "x in each of `draws` independent draws of the ensembles it reads: a number gives a vector of draws values, a vector of n a draws × n matrix (one row per draw) (e.g. `sample(trace(W' * W), draws = 100)`)" }, run: Pure(arrays::sample_one) },
    Row { sig: Builtin { name: "identity", params: &[req("n", ParamTy::Num)], ret: Ret::Matrix, mode: Mode::Plain, doc: "n×n identity matrix (e.g. `identity(3)`)" }, run: Pure(identity) },
    Row { sig: Builtin { name: "reshape", params: &[req("x", ParamTy::Vector), req("rows", ParamTy::Num)], ret: Ret::Matrix, mode: Mode::Plain, doc: "the rows × (len(x)/rows) matrix filled row by row from x (the inverse of flatten): `reshape([1, 2, 3, 4], 2)`" }, run: Pure(reshape) },
    Row { sig: Builtin { name: "rows", params: &[req("m", ParamTy::Matrix)], ret: Ret::Num, mode: Mode::Plain, doc: "number of rows" }, run: Pure(|a, s| Ok(Value::Num(matrix(&a[0], "m", s)?.nrows() as f64))) },
    Row { sig: Builtin { name: "cols", params: &[req("m", ParamTy::Matrix)], ret: Ret::Num, mode: Mode::Plain, doc: "number of columns" }, run: Pure(|a, s| Ok(Value::Num(matrix(&a[0], "m", s)?.ncols() as f64))) },
    Row { sig: Builtin { name: "trace", params: &[req("m", ParamTy::Matrix)], ret: Ret::Num, mode: Mode::Plain, doc: "sum of the diagonal" }, run: Pure(trace) },
    Row { sig: Builtin { name: "density", params: &[req("pdf", ParamTy::Func), req("support", ParamTy::Vector), num("nodes", 4097.0)], ret: Ret::Dist, mode: Mode::Plain, doc: "distribution with density pdf on support [a, b]; normalised, CDF tabulated by quadrature (e.g. `density(s -> exp(-s^2 / 2), support = [-5, 5])`)" }, run: Eval(density) },
    Row { sig: Builtin { name: "normal", params: &[num("mean", 0.0), auto("sd", ParamTy::Num, "1, or √var"), auto("var", ParamTy::Num, "sd²")], ret: Ret::Dist, mode: Mode::Plain, doc: "normal distribution N(mean, sd²), given by its standard deviation `sd` or its variance `var` (e.g. `normal(mean = 1, sd = 0.5)`)" }, run: Pure(normal) },
    Row { sig: Builtin { name: "uniform", params: &[num("low", 0.0), num("high", 1.0)], ret: Ret::Dist, mode: Mode::Plain, doc: "uniform distribution on [low, high] (e.g. `uniform(-1, 1)`)" }, run: Pure(uniform) },
    Row { sig: Builtin { name: "pdf", params: &[req("dist", ParamTy::Dist), req("x", ParamTy::Numeric)], ret: Ret::Any, mode: Mode::Plain, doc: "density of dist at x (e.g. `pdf(normal(0, 1), x)`)" }, run: Pure(|a, s| { let d = dist(&a[0], s)?; map(&a[1], "x", s, |x| d.pdf(x)) }) },
    Row { sig: Builtin { name: "cdf", params: &[req("dist", ParamTy::Dist), req("x", ParamTy::Numeric)], ret: Ret::Any, mode: Mode::Plain, doc: "cumulative distribution of dist at x (e.g. `cdf(normal(0, 1), x)`)" }, run: Pure(|a, s| { let d = dist(&a[0], s)?; map(&a[1], "x", s, |x| d.cdf(x)) }) },
    Row { sig: Builtin { name: "support", params: &[req("dist", ParamTy::Dist)], ret: Ret::Vector, mode: Mode::Plain, doc: "[low, high] of a distribution's support (e.g. `support(uniform(-1, 1))`)" }, run: Pure(|a, s| { let (lo, hi) = dist(&a[0], s)?.support(); Ok(Value::vector(vec![lo, hi])) }) },
    Row { sig: Builtin { name: "histogram", params: &[req("x", ParamTy::Vector), num("bins", 40.0), auto("range", ParamTy::Vector, "[min(x), max(x)]")], ret: Ret::Record, mode: Mode::Plain, doc: "histogram of x: edges, centres, counts and density (integrates to the fraction inside range) (e.g. `histogram(x, bins = 10, range = [0, 4])`)" }, run: Eval(|ev, a, s, _| hist(ev, a, s)) },
    Row { sig: Builtin { name: "ks_distance", params: &[req("x", ParamTy::Vector), req("theory", ParamTy::Any)], ret: Ret::Num, mode: Mode::Plain, doc: "Kolmogorov–Smirnov distance sup|F_n − F| between a sample and a distribution (or a second sample) (e.g. `ks_distance(x, normal(1, 1))`)" }, run: Pure(ks_distance) },
    Row { sig: Builtin { name: "spacings", params: &[req("x", ParamTy::Any)], ret: Ret::Vector, mode: Mode::Plain, doc: "nearest-neighbour spacings of the sorted values; of a matrix, within each row (run), pooled (e.g. `spacings(eigvals(M))`)" }, run: Pure(|a, s| Ok(Value::vector(spacings(&a[0], s)?))) },
    Row { sig: Builtin { name: "fit_line", params: &[req("x", ParamTy::Vector), req("y", ParamTy::Vector), auto("sigma", ParamTy::Vector, "absent: errors from the residual scatter")], ret: Ret::Record, mode: Mode::Plain, doc: "least-squares line y = slope·x + intercept with standard errors (≥ 3 points); with sigma = standard errors of y, weighted, with chi2 and dof (e.g. `fit_line(x, y)`)" }, run: Pure(fit_line) },
    Row { sig: Builtin { name: "flatten", params: &[req("m", ParamTy::Any)], ret: Ret::Vector, mode: Mode::Plain, doc: "all entries of a matrix, row by row, as a vector (e.g. `flatten(M)`)" }, run: Pure(|a, s| Ok(Value::vector(rows_of(&a[0], s)?.concat()))) },
    Row { sig: Builtin { name: "binder_cumulant", params: &[req("x", ParamTy::Vector), num("blocks", 20.0)], ret: Ret::Record, mode: Mode::Plain, doc: "U₄ = ⟨x⁴⟩/(3⟨x²⟩²) − 1 with a delete-one-block jackknife error (e.g. `binder_cumulant(x, blocks = 5)`)" }, run: Pure(binder_cumulant) },
    Row { sig: Builtin { name: "box", params: &[req("ax", ParamTy::Num), req("bx", ParamTy::Num), req("ay", ParamTy::Num), req("by", ParamTy::Num)], ret: Ret::Vector, mode: Mode::Plain, doc: "the 2D region (ax, bx) × (ay, by) of a `domain`, as [ax, bx, ay, by] (e.g. `box(-1, 1, -2, 2)`)" }, run: Pure(fp::region_box) },
    Row { sig: Builtin { name: "stationary_density", params: &[req("fp", ParamTy::Any)], ret: Ret::Any, mode: Mode::Plain, doc: "the stationary density of a fokker_planck run with time-independent coefficients (null vector of its discrete operator), on its cells: a vector in 1D, an n × m matrix in 2D (e.g. `stationary_density(fp)`)" }, run: Pure(fp::stationary_density) },
    Row { sig: Builtin { name: "hamiltonian_spectrum", params: &[req("fp", ParamTy::Any), num("levels", 5.0)], ret: Ret::Record, mode: Mode::Plain, doc: "lowest levels E_n and eigenfunctions ψ_n of H_FP = ½L†L (001) of a reflecting fokker_planck run (1D, or 2D with a drift in detailed balance, ≤ 4000 cells); E_0 = 0, ψ_0 = √P_s (e.g. `hamiltonian_spectrum(fp, levels = 3)`)" }, run: Pure(fp::hamiltonian_spectrum) },
    Row { sig: Builtin { name: "density_distances", params: &[req("p", ParamTy::Vector), req("q", ParamTy::Vector), req("dx", ParamTy::Num)], ret: Ret::Record, mode: Mode::Plain, doc: "L1 = Σ|p − q|·dx, MSE = mean (p − q)² and Pearson correlation (000 eq. 28) of two densities on the same cells (e.g. `density_distances(fp.final, stationary_density(fp), fp.dx)`)" }, run: Pure(fp::density_distances) },
    Row { sig: Builtin { name: "degenerate", params: &[req("values", ParamTy::Vector), num("tol", 1e-9)], ret: Ret::Matrix, mode: Mode::Plain, doc: "index pairs (i, i+1), one per row, of consecutive values equal within tol·max(1, |vᵢ|): the degenerate modes of a target spectrum (e.g. `degenerate([1, 2, 2, 3])`)" }, run: Pure(spectral::degenerate) },
    Row { sig: Builtin { name: "level_spacing", params: &[req("x", ParamTy::Any), req("pairs", ParamTy::Matrix)], ret: Ret::Matrix, mode: Mode::Plain, doc: "runs × pairs matrix of S = x_j − x_i for each index pair (i, j) of each run's sorted spectrum (e.g. `level_spacing(gas.final, degenerate([1, 2, 2, 3, 3, 4]))`)" }, run: Pure(spectral::level_spacing) },
    Row { sig: Builtin { name: "mean_level_spacing", params: &[req("s", ParamTy::Any)], ret: Ret::Record, mode: Mode::Plain, doc: "⟨S⟩ of each column (pair) with its standard error (e.g. `mean_level_spacing(level_spacing(gas.final, degenerate([1, 2, 2, 3, 3, 4])))`)" }, run: Pure(spectral::mean_level_spacing) },
    Row { sig: Builtin { name: "unit_mean", params: &[req("s", ParamTy::Any)], ret: Ret::Vector, mode: Mode::Plain, doc: "each column divided by its mean, pooled: s = S/⟨S⟩, the variable of the Wigner surmise (e.g. `unit_mean(level_spacing(gas.final, degenerate([1, 2, 2, 3, 3, 4])))`)" }, run: Pure(spectral::unit_mean) },
    Row { sig: Builtin { name: "unfolded_spacings", params: &[req("x", ParamTy::Any), auto("theory", ParamTy::Dist, "the empirical spectral CDF of all runs pooled")], ret: Ret::Vector, mode: Mode::Plain, doc: "nearest-neighbour spacings of ξ = n·F(x) within each run (unit mean density), pooled (e.g. `unfolded_spacings(gas.final)`)" }, run: Pure(spectral::unfolded) },
    Row { sig: Builtin { name: "spacing_ratio", params: &[req("x", ParamTy::Any)], ret: Ret::Record, mode: Mode::Plain, doc: "⟨r̃⟩, r̃ = min(sᵢ, sᵢ₊₁)/max(sᵢ, sᵢ₊₁), with its error: ≈ 0.386 Poisson, 0.531 GOE, 0.600 GUE (e.g. `spacing_ratio(eigvals(W' * W, draws = 10))`)" }, run: Pure(spectral::spacing_ratio) },
    Row { sig: Builtin { name: "fit_gaussian", params: &[req("x", ParamTy::Vector)], ret: Ret::Record, mode: Mode::Plain, doc: "mean and sd of a normal law with standard errors (e.g. `fit_gaussian(x)`)" }, run: Pure(|a, s| spectral::fitted(a, s, fit::gaussian)) },
    Row { sig: Builtin { name: "fit_semicircle", params: &[req("x", ParamTy::Vector)], ret: Ret::Record, mode: Mode::Plain, doc: "centre and radius R = 2σ of a semicircle, with standard errors (e.g. `fit_semicircle(flatten(gas.final))`)" }, run: Pure(|a, s| spectral::fitted(a, s, fit::semicircle)) },
    Row { sig: Builtin { name: "kde", params: &[req("points", ParamTy::Vector), auto("bandwidth", ParamTy::Num, "Silverman's rule 0.9·min(sd, IQR/1.34)·n^(−1/5)")], ret: Ret::Dist, mode: Mode::Plain, doc: "Gaussian kernel density estimate of sample points, as a distribution (e.g. a Fokker–Planck `init` from data, as 000 does with latent points) (e.g. `kde(x, bandwidth = 0.3)`)" }, run: Pure(spectral::kde) },
    Row { sig: Builtin { name: "kde2d", params: &[req("px", ParamTy::Vector), req("py", ParamTy::Vector), req("x", ParamTy::Vector), req("y", ParamTy::Vector), auto("bandwidth", ParamTy::Vector, "Scott's rule per axis: [sd_x, sd_y]·n^(−1/6)")], ret: Ret::Vector, mode: Mode::Plain, doc: "2D Gaussian kernel density estimate of the points (px[k], py[k]) at the points (x[i], y[i]) (e.g. `init(x, y) = kde2d(px, py, x, y)` of a 2D Fokker–Planck run from latent data, as in 000) (e.g. `kde2d(x, y, [1, 2], [1, 2])`)" }, run: Pure(spectral::kde2d) },
    Row { sig: Builtin { name: "fit_two_mode", params: &[req("x", ParamTy::Vector)], ret: Ret::Record, mode: Mode::Plain, doc: "maximum-likelihood centre and σ of the two-mode density of 001, with errors from the observed information (e.g. `fit_two_mode(flatten(gas.final))`)" }, run: Pure(|a, s| spectral::fitted(a, s, fit::two_mode)) },
];

/// The row of a signature of this table (found by identity). The full table, with the
/// builtins of the kinds, is [`super::table`].
pub fn row_of(b: &Builtin) -> Option<&'static Row> {
    ROWS.iter().find(|r| std::ptr::eq(&r.sig, b))
}

/// Call a builtin's row on its argument values (`None` = the parameter's default was not
/// given).
pub fn apply(ev: &Evaluator, row: &Row, a: Args, span: Span, draw: &Draw) -> Result<Value> {
    let b = &row.sig;
    let a = booleans_as_numbers(b, a);
    match row.run {
        Kernel::Map(f) => map(&a[0], b.name, span, f),
        Kernel::Map2(f) => elementary::map2(b, &a, span, f),
        Kernel::Map3(f) => elementary::map3(b, &a, span, f),
        Kernel::Pure(f) => f(&a, span),
        Kernel::Eval(f) => f(ev, &a, span, draw),
    }
}

/// Booleans given for parameters that take numbers are 1 and 0 ([`numeric`]).
fn booleans_as_numbers(b: &Builtin, mut a: Args) -> Args {
    for (p, v) in b.params.iter().zip(a.iter_mut()) {
        if matches!(p.ty, ParamTy::Num | ParamTy::Numeric | ParamTy::Vector) {
            *v = v.take().map(numeric);
        }
    }
    a
}
