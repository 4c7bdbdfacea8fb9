//! `kernel NAME = nngp(...) | rbf(...) | linear(...)`: a covariance function K(x, x′), a value that
//! `gram` evaluates on inputs and `gp_regression` conditions on data (document 004). Inputs
//! are the rows of a matrix (a vector is P one-dimensional inputs).

use super::fields::value_error as bad;
use super::kind::Kind;
use crate::backend::gp;
use crate::backend::kernels;
use crate::backend::nn::activation::Activation;
use crate::backend::nngp;
use crate::backend::nngp_blocks;
use crate::builtins::{auto, num, req, Builtin, Mode, Param, Ret};
use crate::diag::ErrorCode;
use crate::eval::args::{matrix, numbers, Args};
use crate::eval::error::{Result, RunError};
use crate::eval::kernel::{Kernel, Row};
use crate::eval::state::{Draw, Evaluator};
use crate::ir::value::Value;
use crate::schema::{Choice, Form, KindSchema};
use crate::span::Span;
use crate::types::ParamTy;
use faer::{Mat, MatRef};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// The schema of `kernel` declarations.
pub static SCHEMA: KindSchema = KindSchema {
    name: "kernel",
    form: Form::Constructor(&["nngp", "rbf", "linear"]),
    fields: &[],
    scope: &[],
    per_draw: false,
    runs_are_draws: false,
    rebinds: &[],
    pairings: &[],
    doc: "a covariance function K(x, x′) for Gram matrices and GP regression: `kernel k = nngp(activation = \"erf\", depth = 2)`, `kernel k = rbf(lengthscale = 0.5)`",
    example: r#"kernel k = rbf(lengthscale = 0.5)
report r { g = gram(k, linspace(0, 1, 3)) }"#,
};

/// The kind in the registry.
pub static KIND: Kind = Kind {
    schema: &SCHEMA,
    run: None,
    realize: None,
};

const K: Param = req("kernel", ParamTy::Any);
const X: Param = req("x", ParamTy::Numeric);

/// The kernels' constructors, `gram` and `gp_regression`.
pub static ROWS: &[Row] = &[
    Row {
        sig: Builtin { name: "rbf", params: &[num("lengthscale", 1.0), num("variance", 1.0)], ret: Ret::Record, mode: Mode::Plain, doc: "the squared-exponential kernel K(x, x′) = v exp(−|x − x′|²/(2ℓ²)) (e.g. `kernel k = rbf(lengthscale = 0.5, variance = 2)`)" },
        run: Kernel::Pure(|a, s| constructor("rbf", &["lengthscale", "variance"], a, s)),
    },
    Row {
        sig: Builtin { name: "linear", params: &[num("c_w", 1.0), num("c_b", 0.0)], ret: Ret::Record, mode: Mode::Plain, doc: "the linear kernel K(x, x′) = C_b + C_W x·x′/n₀, that of z = Wx + b with W ~ N(0, C_W/n₀), b ~ N(0, C_b) (the depth-1 NNGP kernel) (e.g. `kernel k = linear(c_w = 2)`)" },
        run: Kernel::Pure(|a, s| constructor("linear", &["c_w", "c_b"], a, s)),
    },
    Row {
        sig: Builtin { name: "nngp", params: &[auto("activation", ParamTy::Choice(Activation::NAMES), "\"relu\""), num("depth", 2.0), num("c_w", 1.0), num("c_b", 0.0), num("order", nngp::DEFAULT_ORDER as f64), auto("quadrature", ParamTy::Bool, "false")], ret: Ret::Record, mode: Mode::Plain, doc: "the kernel K⁽ᴸ⁾(x, x′) of a network at infinite width (its Gram matrix on the rows x_α of x by `gram(k, x)`), with weights N(0, c_w/fan_in), biases N(0, c_b) and L = depth layers: K⁽¹⁾_αβ = c_b + c_w x_α·x_β/n₀, K⁽ℓ⁺¹⁾_αβ = c_b + c_w E[σ(u)σ(v)], (u, v) ~ N(0, [[K_αα, K_αβ], [K_αβ, K_ββ]]); depth = 1 is the linear kernel, K⁽ᴸ⁾ the law of the output of mlp(widths = [n₀, …, n_L]) as every width → ∞. E[σ(u)σ(v)] in closed form for relu ((√(K_αα K_ββ)/2π)(sin θ + (π − θ) cos θ), cos θ = ρ, Cho–Saul), erf ((2/π) arcsin(2K_αβ/√((1 + 2K_αα)(1 + 2K_ββ))), Williams) and linear (K_αβ), else (and with quadrature = true) by `order`² Gauss–Hermite nodes, u = √K_αα g₁, v = √K_ββ(ρ g₁ + √(1 − ρ²) g₂); the error falls like e^{−3√(order/K)} for tanh (measured at the default 100: ≈ 2e-13 at K = 1, 2e-8 at K = 3, 2e-5 at K = 10; order ≤ 400) (e.g. `kernel k = nngp(activation = \"erf\", depth = 3)`)" }, run: Kernel::Eval(nngp_kernel) },
    Row {
        sig: Builtin { name: "gram", params: &[K, X, auto("y", ParamTy::Numeric, "x")], ret: Ret::Matrix, mode: Mode::Plain, doc: "the Gram matrix G_ab = K(x_a, y_b) of a kernel on the rows of x and y (P × Q; a vector is P one-dimensional inputs) (e.g. `gram(rbf(lengthscale = 2), linspace(0, 1, 4))`)" },
        run: Kernel::Eval(gram),
    },
    Row {
        sig: Builtin { name: "gp_regression", params: &[K, X, req("y", ParamTy::Vector), req("test", ParamTy::Numeric), num("noise", 0.0)], ret: Ret::Record, mode: Mode::Plain, doc: "the posterior of a GP with prior covariance K given y at the training inputs x, observed with noise variance T = `noise`: `mean` = K_*ᵀ(K + T I)⁻¹y and `variance` = diag(K_** − K_*ᵀ(K + T I)⁻¹K_*) at the test inputs (Cholesky of K + T I, faer; round-off below 0 set to 0), and `log_marginal_likelihood` = −½yᵀ(K + T I)⁻¹y − ½ln det(K + T I) − (P/2)ln 2π (e.g. `gp_regression(rbf(), [0, 1], [1, -1], test = [0.5], noise = 0.01).mean`)" },
        run: Kernel::Eval(gp_regression),
    },
];

/// A kernel's record: its name and its numbers.
fn constructor(name: &str, keys: &[&str], a: &Args, span: Span) -> Result<Value> {
    let mut fields = vec![("kernel".to_string(), Value::Str(name.into()))];
    for (key, v) in keys.iter().zip(a.iter()) {
        let x = crate::eval::args::num(v, key, span)?;
        fields.push((key.to_string(), Value::Num(x)));
    }
    let value = Value::record(fields);
    probe(value, span)
}

/// A kernel record, once its parameters are known to give a Gram matrix (on one input).
fn probe(value: Value, span: Span) -> Result<Value> {
    let one = Mat::<f64>::from_fn(1, 1, |_, _| 1.0);
    let probe = (one.as_ref(), one.as_ref(), true);
    evaluate(&value, probe, span, &AtomicBool::new(false))?;
    Ok(value)
}

/// Inputs as rows: a matrix as it is, a vector as P one-dimensional inputs.
fn inputs(v: &Option<Value>, name: &str, span: Span) -> Result<Mat<f64>> {
    match v {
        Some(Value::Vector(x)) => Ok(Mat::from_fn(x.len(), 1, |a, _| x[a])),
        Some(Value::Num(x)) => Ok(Mat::from_fn(1, 1, |_, _| *x)),
        _ => Ok(matrix(v, name, span)?.clone()),
    }
}

fn field(kernel: &Value, key: &str, span: Span) -> Result<f64> {
    match kernel.field(key) {
        Some(Value::Num(x)) => Ok(*x),
        _ => Err(bad(span, format!("the kernel has no number `{key}`"))),
    }
}

/// K(x, y) of a kernel record; `same`: y is x (for the NNGP kernel the symmetric Gram matrix of
/// x, else the cross block).
fn evaluate(
    kernel: &Value,
    (x, y, same): (MatRef<f64>, MatRef<f64>, bool),
    span: Span,
    stop: &AtomicBool,
) -> Result<Mat<f64>> {
    let refused = RunError::refused(span);
    let name = match kernel.field("kernel") {
        Some(Value::Str(s)) => s.to_string(),
        _ => {
            let msg = format!(
                "this needs a kernel (nngp, rbf, linear), but got {}",
                kernel.describe()
            );
            return Err(RunError::new(span, msg)
                .code(ErrorCode::RunType)
                .help("declare one: `kernel k = rbf(lengthscale = 1)`"));
        }
    };
    match name.as_str() {
        "nngp" => nngp_gram(kernel, (x, y, same), span, stop),
        "rbf" => kernels::rbf(
            x,
            y,
            field(kernel, "lengthscale", span)?,
            field(kernel, "variance", span)?,
        )
        .map_err(&refused),
        "linear" => kernels::linear(
            x,
            y,
            field(kernel, "c_w", span)?,
            field(kernel, "c_b", span)?,
        )
        .map_err(&refused),
        other => Err(bad(span, format!("unknown kernel `{other}`"))),
    }
}

fn gram(ev: &Evaluator, a: &Args, span: Span, _: &Draw) -> Result<Value> {
    let kernel = a[0].as_ref().expect("required");
    let x = inputs(&a[1], "x", span)?;
    let y = match &a[2] {
        None => x.clone(),
        some => inputs(some, "y", span)?,
    };
    let same = a[2].is_none();
    let k = evaluate(kernel, (x.as_ref(), y.as_ref(), same), span, &ev.interrupt)?;
    Ok(Value::Matrix(Arc::new(k)))
}

fn gp_regression(ev: &Evaluator, a: &Args, span: Span, _: &Draw) -> Result<Value> {
    let kernel = a[0].as_ref().expect("required");
    let (x, test) = (inputs(&a[1], "x", span)?, inputs(&a[3], "test", span)?);
    let y = numbers(&a[2], "y", span)?;
    if y.len() != x.nrows() {
        let msg = format!("{} targets y for {} training inputs", y.len(), x.nrows());
        return Err(bad(span, msg));
    }
    let noise = crate::eval::args::num(&a[4], "noise", span)?;
    let stop = &ev.interrupt;
    let k = evaluate(kernel, (x.as_ref(), x.as_ref(), true), span, stop)?;
    let cross = evaluate(kernel, (x.as_ref(), test.as_ref(), false), span, stop)?;
    let prior = diagonal(kernel, test.as_ref(), span)?;
    let blocks = (k.as_ref(), cross.as_ref(), &prior[..]);
    let post = gp::posterior(blocks, y, noise).map_err(RunError::refused(span))?;
    Ok(Value::record(vec![
        ("mean".into(), Value::vector(post.mean)),
        ("variance".into(), Value::vector(post.variance)),
        (
            "log_marginal_likelihood".into(),
            Value::Num(post.log_marginal_likelihood),
        ),
    ]))
}

/// The prior variances K(x_a, x_a) of the rows of x.
fn diagonal(kernel: &Value, x: MatRef<f64>, span: Span) -> Result<Vec<f64>> {
    if matches!(kernel.field("kernel"), Some(Value::Str(s)) if &**s == "nngp") {
        let (g, depth, c) = nngp_parts(kernel, span)?;
        let layers = nngp_blocks::diagonals(x, &g, depth, c).map_err(RunError::refused(span))?;
        return Ok(layers.last().cloned().unwrap_or_default());
    }
    let never = AtomicBool::new(false);
    (0..x.nrows())
        .map(|a| {
            let row = x.subrows(a, 1);
            Ok(evaluate(kernel, (row, row, true), span, &never)?[(0, 0)])
        })
        .collect()
}

/// The `nngp` constructor: its architecture as a kernel record (defaults recorded).
fn nngp_kernel(ev: &Evaluator, a: &Args, span: Span, _: &Draw) -> Result<Value> {
    let activation = match &a[0] {
        None => {
            ev.record_default("nngp.activation", span, "\"relu\"".into());
            Value::Str("relu".into())
        }
        Some(v) => v.clone(),
    };
    let quadrature = match &a[5] {
        None => {
            ev.record_default("nngp.quadrature", span, "false".into());
            Value::Bool(false)
        }
        Some(v) => v.clone(),
    };
    let mut fields = vec![
        ("kernel".to_string(), Value::Str("nngp".into())),
        ("activation".to_string(), activation),
    ];
    for (key, v) in ["depth", "c_w", "c_b", "order"].iter().zip(&a[1..5]) {
        fields.push((
            key.to_string(),
            Value::Num(crate::eval::args::num(v, key, span)?),
        ));
    }
    fields.push(("quadrature".to_string(), quadrature));
    probe(Value::record(fields), span)
}

/// A whole number ≥ 1 of a kernel record.
fn whole_field(kernel: &Value, key: &str, span: Span) -> Result<usize> {
    crate::eval::args::count(&Value::Num(field(kernel, key, span)?), key, span)
}

/// The expectations, depth and (C_W, C_b) of an `nngp` kernel record.
fn nngp_parts(kernel: &Value, span: Span) -> Result<(nngp::Gauss, usize, (f64, f64))> {
    let activation = match kernel.field("activation") {
        Some(Value::Str(s)) => Activation::parse(s).ok_or_else(|| {
            let names = Activation::NAMES.join(", ");
            bad(
                span,
                format!("`activation` must be one of {names}, but is \"{s}\""),
            )
        })?,
        _ => {
            return Err(bad(
                span,
                "`activation` must be a string such as \"relu\"".into(),
            ))
        }
    };
    let force = matches!(kernel.field("quadrature"), Some(Value::Bool(true)));
    let order = whole_field(kernel, "order", span)?;
    let g = nngp::Gauss::new(activation, order, force).map_err(RunError::refused(span))?;
    let depth = whole_field(kernel, "depth", span)?;
    Ok((
        g,
        depth,
        (field(kernel, "c_w", span)?, field(kernel, "c_b", span)?),
    ))
}

/// The NNGP Gram matrix K⁽ᴸ⁾(x, x) ([`nngp::nngp`]) or cross block K⁽ᴸ⁾(x, y)
/// ([`nngp_blocks::cross`]).
fn nngp_gram(
    kernel: &Value,
    (x, y, same): (MatRef<f64>, MatRef<f64>, bool),
    span: Span,
    stop: &AtomicBool,
) -> Result<Mat<f64>> {
    let (g, depth, c) = nngp_parts(kernel, span)?;
    if same {
        return nngp::nngp(x, &g, depth, c, stop).map_err(RunError::refused(span));
    }
    nngp_blocks::cross((x, y), &g, depth, c, stop).map_err(RunError::refused(span))
}
