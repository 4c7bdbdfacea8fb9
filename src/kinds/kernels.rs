//! `kernel NAME = rbf(...) | linear(...)`: a covariance function K(x, x′), a value that
//! `gram` evaluates on inputs and `gp_regression` conditions on data (document 004). Inputs
//! are the rows of a matrix (a vector is P one-dimensional inputs).

use super::fields::value_error as bad;
use super::kind::Kind;
use crate::backend::gp;
use crate::backend::kernels;
use crate::builtins::{auto, num, req, Builtin, Mode, Param, Ret};
use crate::eval::args::{matrix, numbers, Args};
use crate::eval::error::{Result, RunError};
use crate::eval::kernel::{Kernel, Row};
use crate::ir::value::Value;
use crate::schema::{Form, KindSchema};
use crate::span::Span;
use crate::types::ParamTy;
use faer::{Mat, MatRef};
use std::sync::Arc;

/// The schema of `kernel` declarations.
pub static SCHEMA: KindSchema = KindSchema {
    name: "kernel",
    form: Form::Constructor(&["rbf", "linear"]),
    fields: &[],
    scope: &[],
    per_draw: false,
    runs_are_draws: false,
    rebinds: &[],
    pairings: &[],
    doc: "a covariance function K(x, x′) for Gram matrices and GP regression: `kernel k = rbf(lengthscale = 0.5)`",
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
        sig: Builtin { name: "gram", params: &[K, X, auto("y", ParamTy::Numeric, "x")], ret: Ret::Matrix, mode: Mode::Plain, doc: "the Gram matrix G_ab = K(x_a, y_b) of a kernel on the rows of x and y (P × Q; a vector is P one-dimensional inputs) (e.g. `gram(rbf(lengthscale = 2), linspace(0, 1, 4))`)" },
        run: Kernel::Pure(gram),
    },
    Row {
        sig: Builtin { name: "gp_regression", params: &[K, X, req("y", ParamTy::Vector), req("test", ParamTy::Numeric), num("noise", 0.0)], ret: Ret::Record, mode: Mode::Plain, doc: "the posterior of a GP with prior covariance K given y at the training inputs x, observed with noise variance T = `noise`: `mean` = K_*ᵀ(K + T I)⁻¹y and `variance` = diag(K_** − K_*ᵀ(K + T I)⁻¹K_*) at the test inputs (Cholesky of K + T I, faer; round-off below 0 set to 0), and `log_marginal_likelihood` = −½yᵀ(K + T I)⁻¹y − ½ln det(K + T I) − (P/2)ln 2π (e.g. `gp_regression(rbf(), [0, 1], [1, -1], test = [0.5], noise = 0.01).mean`)" },
        run: Kernel::Pure(gp_regression),
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
    let probe = Mat::<f64>::zeros(1, 1);
    evaluate(&value, probe.as_ref(), probe.as_ref(), span)?;
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

/// K(x, y) of a kernel record.
fn evaluate(kernel: &Value, x: MatRef<f64>, y: MatRef<f64>, span: Span) -> Result<Mat<f64>> {
    let refused = |e: crate::backend::BackendError| bad(span, e.to_string());
    let name = match kernel.field("kernel") {
        Some(Value::Str(s)) => s.to_string(),
        _ => {
            let msg = format!(
                "this needs a kernel (rbf, linear), but got {}",
                kernel.describe()
            );
            return Err(RunError::new(span, msg)
                .code(crate::diag::ErrorCode::RunType)
                .help("declare one: `kernel k = rbf(lengthscale = 1)`"));
        }
    };
    match name.as_str() {
        "rbf" => kernels::rbf(
            x,
            y,
            field(kernel, "lengthscale", span)?,
            field(kernel, "variance", span)?,
        ),
        "linear" => kernels::linear(
            x,
            y,
            field(kernel, "c_w", span)?,
            field(kernel, "c_b", span)?,
        ),
        other => return Err(bad(span, format!("unknown kernel `{other}`"))),
    }
    .map_err(refused)
}

fn gram(a: &Args, span: Span) -> Result<Value> {
    let kernel = a[0].as_ref().expect("required");
    let x = inputs(&a[1], "x", span)?;
    let y = match &a[2] {
        None => x.clone(),
        some => inputs(some, "y", span)?,
    };
    Ok(Value::Matrix(Arc::new(evaluate(
        kernel,
        x.as_ref(),
        y.as_ref(),
        span,
    )?)))
}

fn gp_regression(a: &Args, span: Span) -> Result<Value> {
    let kernel = a[0].as_ref().expect("required");
    let (x, test) = (inputs(&a[1], "x", span)?, inputs(&a[3], "test", span)?);
    let y = numbers(&a[2], "y", span)?;
    if y.len() != x.nrows() {
        let msg = format!("{} targets y for {} training inputs", y.len(), x.nrows());
        return Err(bad(span, msg));
    }
    let noise = crate::eval::args::num(&a[4], "noise", span)?;
    let both = stacked(x.as_ref(), test.as_ref(), span)?;
    let joint = evaluate(kernel, both.as_ref(), both.as_ref(), span)?;
    let post = gp::posterior(joint.as_ref(), y, noise).map_err(|e| bad(span, e.to_string()))?;
    Ok(Value::record(vec![
        ("mean".into(), Value::vector(post.mean)),
        ("variance".into(), Value::vector(post.variance)),
        (
            "log_marginal_likelihood".into(),
            Value::Num(post.log_marginal_likelihood),
        ),
    ]))
}

/// The rows of x followed by those of t.
fn stacked(x: MatRef<f64>, t: MatRef<f64>, span: Span) -> Result<Mat<f64>> {
    if x.ncols() != t.ncols() {
        let msg = format!(
            "the training inputs have {} coordinates and the test inputs {}",
            x.ncols(),
            t.ncols()
        );
        return Err(bad(span, msg));
    }
    let p = x.nrows();
    Ok(Mat::from_fn(p + t.nrows(), x.ncols(), |a, j| {
        if a < p {
            x[(a, j)]
        } else {
            t[(a - p, j)]
        }
    }))
}
