//! The builtins' implementations: argument values in, a value out. Numerical work is done by
//! `backend` and `observe`; this file only converts values and names errors.

use super::args::*;
use super::error::{Result, RunError};
use super::state::{Draw, Evaluator};
use crate::backend::linalg::{self, MatrixLaw};
use crate::diag::ErrorCode;
use crate::ir::value::{Dist, Value};
use crate::observe::{density::TabulatedDensity, histogram, ks, stats};
use crate::span::Span;
use std::sync::Arc;

fn backend_err(span: Span) -> impl Fn(crate::backend::BackendError) -> RunError {
    move |e| RunError::new(span, e.to_string()).code(ErrorCode::RunBackend)
}

/// Map each number of a number, vector or matrix through the elementary function `fname`,
/// refusing a result that is not finite (the non-finite policy, [`super::finite`]).
pub(super) fn map(
    v: &Option<Value>,
    fname: &str,
    span: Span,
    f: impl Fn(f64) -> f64,
) -> Result<Value> {
    let checked = |x: f64, at: Option<(usize, usize)>| -> Result<f64> {
        let r = f(x);
        super::finite::function(fname, x, r, at, span)?;
        Ok(r)
    };
    match v {
        Some(Value::Num(x)) => Ok(Value::Num(checked(*x, None)?)),
        Some(Value::Vector(xs)) => Ok(Value::vector(
            (xs.iter().enumerate())
                .map(|(i, &x)| checked(x, Some((i, xs.len()))))
                .collect::<Result<_>>()?,
        )),
        Some(Value::Matrix(m)) => {
            let out = faer::Mat::from_fn(m.nrows(), m.ncols(), |i, j| f(m[(i, j)]));
            let what = format!("`{fname}` of a matrix");
            super::finite::matrix(&what, super::finite::all_finite(m), &out, span)?;
            Ok(Value::Matrix(Arc::new(out)))
        }
        _ => numbers(v, "x", span).map(|_| Value::Num(f64::NAN)),
    }
}

/// `eigvals(m)`: the ascending eigenvalues of a symmetric matrix.
pub(super) fn eigvals(a: &Args, span: Span) -> Result<Value> {
    let m = matrix(&a[0], "m", span)?;
    Ok(Value::vector(
        linalg::sym_eigvals(m.as_ref()).map_err(backend_err(span))?,
    ))
}

/// `singular_values(m)`, descending.
pub(super) fn singular_values(a: &Args, span: Span) -> Result<Value> {
    let m = matrix(&a[0], "m", span)?;
    Ok(Value::vector(
        linalg::singular_values(m.as_ref()).map_err(backend_err(span))?,
    ))
}

/// `identity(n)`, refused above the element limit before allocating.
pub(super) fn identity(a: &Args, span: Span) -> Result<Value> {
    let n = count(a[0].as_ref().unwrap_or(&Value::Num(0.0)), "n", span)?;
    let what = format!("identity({n})");
    limit(&what, n as f64 * n as f64, span)?;
    Ok(Value::Matrix(Arc::new(faer::Mat::identity(n, n))))
}

/// `trace(m)`: the sum of the diagonal.
pub(super) fn trace(a: &Args, span: Span) -> Result<Value> {
    let m = matrix(&a[0], "m", span)?;
    Ok(Value::Num(
        (0..m.nrows().min(m.ncols())).map(|i| m[(i, i)]).sum(),
    ))
}

/// `reshape(x, rows)`: x row by row into rows × (len(x)/rows).
pub(super) fn reshape(a: &Args, span: Span) -> Result<Value> {
    let x = match a[0].as_ref() {
        Some(v) => v.as_slice().map(<[f64]>::to_vec),
        None => None,
    };
    let Some(x) = x else {
        return Err(RunError::new(span, "`x` must be a vector of numbers").code(ErrorCode::RunType));
    };
    let rows = count(a[1].as_ref().unwrap_or(&Value::Num(0.0)), "rows", span)?;
    if rows == 0 || x.len() % rows != 0 {
        return Err(RunError::new(
            span,
            format!("{} numbers do not fill {rows} equal rows", x.len()),
        )
        .code(ErrorCode::RunShape)
        .help("len(x) must be a multiple of `rows` (≥ 1)"));
    }
    let cols = x.len() / rows;
    Ok(Value::Matrix(Arc::new(faer::Mat::from_fn(
        rows,
        cols,
        |i, j| x[i * cols + j],
    ))))
}

/// `normal(mean, sd)` or `normal(mean, var = σ²)`, σ > 0 (default 1).
pub(super) fn normal(a: &Args, span: Span) -> Result<Value> {
    let mean = num(&a[0], "mean", span)?;
    let sd = match (&a[1], &a[2]) {
        (Some(_), Some(_)) => {
            return Err(RunError::new(span, "give `sd` or `var`, not both")
                .code(ErrorCode::RunValue)
                .help("normal(sd = s) is normal(var = s^2)"))
        }
        (None, Some(_)) => {
            let var = num(&a[2], "var", span)?;
            if var <= 0.0 {
                return Err(
                    RunError::new(span, format!("`var` must be positive, but is {var}"))
                        .code(ErrorCode::RunValue),
                );
            }
            var.sqrt()
        }
        (Some(_), None) => num(&a[1], "sd", span)?,
        (None, None) => 1.0,
    };
    if sd <= 0.0 || sd.is_nan() {
        return Err(
            RunError::new(span, format!("`sd` must be positive, but is {sd}"))
                .code(ErrorCode::RunValue),
        );
    }
    Ok(Value::Dist(Arc::new(Dist::Normal { mean, sd })))
}

/// `uniform(low, high)`, low < high.
pub(super) fn uniform(a: &Args, span: Span) -> Result<Value> {
    let (low, high) = (num(&a[0], "low", span)?, num(&a[1], "high", span)?);
    if high <= low {
        return Err(
            RunError::new(span, format!("`high` ({high}) must exceed `low` ({low})"))
                .code(ErrorCode::RunValue),
        );
    }
    Ok(Value::Dist(Arc::new(Dist::Uniform { low, high })))
}

/// `binder_cumulant(x, blocks)`: U₄ with its jackknife error.
pub(super) fn binder_cumulant(a: &Args, span: Span) -> Result<Value> {
    let xs = finite_numbers(&a[0], "x", span)?;
    let blocks = count(a[1].as_ref().unwrap_or(&Value::Num(0.0)), "blocks", span)?;
    let (u, err) = stats::binder_cumulant(xs, blocks)
        .map_err(|e| RunError::new(span, e).code(ErrorCode::RunValue))?;
    Ok(Value::record(vec![
        ("value".into(), Value::Num(u)),
        ("error".into(), Value::Num(err)),
    ]))
}

/// `fit_line(x, y)` (errors from the residuals) or `fit_line(x, y, sigma)` (weighted by the
/// given standard errors of y, with χ²).
pub(super) fn fit_line(a: &Args, span: Span) -> Result<Value> {
    let (x, y) = (
        finite_numbers(&a[0], "x", span)?,
        finite_numbers(&a[1], "y", span)?,
    );
    let failed = |e: String| {
        RunError::new(span, format!("the line fit failed: {e}")).code(ErrorCode::RunFit)
    };
    let (fit, chi2) = match &a[2] {
        Some(_) => {
            let sigma = finite_numbers(&a[2], "sigma", span)?;
            let (fit, chi2) = stats::fit_line_weighted(x, y, sigma).map_err(failed)?;
            (fit, Some(chi2))
        }
        None => (stats::fit_line(x, y).map_err(failed)?, None),
    };
    let mut fields = vec![
        ("slope".into(), Value::Num(fit.slope)),
        ("slope_error".into(), Value::Num(fit.slope_error)),
        ("intercept".into(), Value::Num(fit.intercept)),
        ("intercept_error".into(), Value::Num(fit.intercept_error)),
        ("points".into(), Value::Num(x.len() as f64)),
    ];
    if let Some(c) = chi2 {
        fields.push(("chi2".into(), Value::Num(c)));
        fields.push(("dof".into(), Value::Num(x.len() as f64 - 2.0)));
    }
    Ok(Value::record(fields))
}

/// The statistics of a vector's entries (or a matrix's, all of them; booleans count as 1 and
/// 0), or of a distribution.
pub(super) fn reductions(name: &str, a: &Args, span: Span) -> Result<Value> {
    let a: Args = a.iter().map(|v| v.clone().map(numeric)).collect();
    let a = &a;
    if let (Some(Value::Dist(d)), "mean" | "variance" | "moment") = (&a[0], name) {
        return Ok(Value::Num(match name {
            "mean" => d.moment(1),
            "variance" => d.moment(2) - d.moment(1).powi(2),
            _ => d.moment(num(&a[1], "k", span)? as u32),
        }));
    }
    if name == "len" {
        return Ok(Value::Num(match &a[0] {
            Some(Value::List(l)) => l.len(),
            Some(Value::Mask(m)) => m.len(),
            _ => numbers(&a[0], "x", span)?.len(),
        } as f64));
    }
    let xs = match name {
        "sort" | "quantile" => std::borrow::Cow::Borrowed(finite_numbers(&a[0], "x", span)?),
        _ => super::args::finite_entries(&a[0], span)?,
    };
    let xs = &xs[..];
    let empty = || too_few(name, xs.len(), span);
    Ok(match name {
        "sum" => Value::Num(xs.iter().sum()),
        "mean" if !xs.is_empty() => Value::Num(stats::mean(xs)),
        "variance" if xs.len() > 1 => Value::Num(stats::variance(xs)),
        "std" if xs.len() > 1 => Value::Num(stats::variance(xs).sqrt()),
        "moment" if !xs.is_empty() => {
            let k = num(&a[1], "k", span)?;
            Value::Num(xs.iter().map(|x| x.powf(k)).sum::<f64>() / xs.len() as f64)
        }
        "quantile" if !xs.is_empty() => Value::Num(stats::quantile(xs, num(&a[1], "q", span)?)),
        "sort" => {
            let mut v = xs.to_vec();
            v.sort_by(f64::total_cmp);
            Value::vector(v)
        }
        _ => return Err(empty()),
    })
}

pub(super) fn law(name: &str, a: &Args, span: Span) -> Result<Value> {
    let size = |i: usize, n: &str| count(a[i].as_ref().unwrap_or(&Value::Num(0.0)), n, span);
    let law = match name {
        "gaussian" => MatrixLaw::Gaussian {
            rows: size(0, "rows")?,
            cols: size(1, "cols")?,
            var: num(&a[2], "var", span)?,
            mean: num(&a[3], "mean", span)?,
        },
        "goe" => MatrixLaw::Goe {
            n: size(0, "n")?,
            var: num(&a[1], "var", span)?,
        },
        "gue" => MatrixLaw::Gue {
            n: size(0, "n")?,
            var: num(&a[1], "var", span)?,
        },
        "gse" => MatrixLaw::Gse {
            n: size(0, "n")?,
            var: num(&a[1], "var", span)?,
        },
        "wishart_complex" => MatrixLaw::WishartComplex {
            rows: size(0, "rows")?,
            cols: size(1, "cols")?,
            var: num(&a[2], "var", span)?,
        },
        _ => MatrixLaw::Wishart {
            rows: size(0, "rows")?,
            cols: size(1, "cols")?,
            var: num(&a[2], "var", span)?,
        },
    };
    law.validate()
        .map_err(|e| RunError::new(span, e.to_string()).code(ErrorCode::RunValue))?;
    Ok(Value::Law(Arc::new(law)))
}

pub(super) fn linspace(a: &Args, span: Span) -> Result<Value> {
    let (lo, hi) = (num(&a[0], "start", span)?, num(&a[1], "stop", span)?);
    let n = count(a[2].as_ref().unwrap_or(&Value::Num(0.0)), "n", span)?;
    limit("linspace", n as f64, span)?;
    if n == 1 {
        return Ok(Value::vector(vec![lo]));
    }
    Ok(Value::vector(
        (0..n)
            .map(|k| lo + (hi - lo) * k as f64 / (n - 1) as f64)
            .collect(),
    ))
}

pub(super) fn require(a: &Args, span: Span) -> Result<Value> {
    match (&a[0], &a[1]) {
        (Some(Value::Bool(true)), _) => Ok(a[2].clone().unwrap_or(Value::Bool(true))),
        (_, Some(Value::Str(msg))) => Err(RunError::new(span, msg.to_string())
            .code(ErrorCode::RunRequire)
            .label("requirement not met")),
        _ => Err(RunError::new(span, "requirement not met").code(ErrorCode::RunRequire)),
    }
}

/// `density(pdf, support)`: evaluate the (vectorised) pdf once on the quadrature nodes.
pub(super) fn density(ev: &Evaluator, a: &Args, span: Span, draw: &Draw) -> Result<Value> {
    let f = a[0]
        .clone()
        .ok_or_else(|| RunError::new(span, "`density` needs a pdf"))?;
    let support = finite_numbers(&a[1], "support", span)?;
    let nodes = count(a[2].as_ref().unwrap_or(&Value::Num(0.0)), "nodes", span)?;
    let [lo, hi] = support else {
        return Err(RunError::new(
            span,
            format!(
                "`support` must be [low, high], but has {} numbers",
                support.len()
            ),
        )
        .code(ErrorCode::RunValue));
    };
    let failure = std::cell::RefCell::new(None);
    let pdf = |xs: &[f64]| -> Vec<f64> {
        match ev.call_func(&f, vec![Value::vector(xs.to_vec())], span, draw) {
            Ok(Value::Vector(v)) if v.len() == xs.len() => v.to_vec(),
            Ok(Value::Num(c)) => vec![c; xs.len()],
            Ok(other) => {
                *failure.borrow_mut() = Some(RunError::new(
                    span,
                    format!(
                        "the pdf must return numbers, but returned {}",
                        other.describe()
                    ),
                ));
                vec![f64::NAN; xs.len()]
            }
            Err(e) => {
                *failure.borrow_mut() = Some(e);
                vec![f64::NAN; xs.len()]
            }
        }
    };
    let table = TabulatedDensity::from_pdf(pdf, *lo, *hi, nodes);
    if let Some(e) = failure.into_inner() {
        return Err(e);
    }
    let table = table.map_err(|e| {
        RunError::new(span, format!("cannot build the density: {e}")).code(ErrorCode::RunDensity)
    })?;
    Ok(Value::Dist(Arc::new(Dist::Tabulated(table))))
}

pub(super) fn hist(ev: &Evaluator, a: &Args, span: Span) -> Result<Value> {
    let xs = finite_numbers(&a[0], "x", span)?;
    let bins = count(a[1].as_ref().unwrap_or(&Value::Num(0.0)), "bins", span)?;
    let range = match &a[2] {
        Some(_) => match finite_numbers(&a[2], "range", span)? {
            [lo, hi] => Some((*lo, *hi)),
            other => {
                return Err(RunError::new(
                    span,
                    format!(
                        "`range` must be [low, high], but has {} numbers",
                        other.len()
                    ),
                ))
            }
        },
        None => None,
    };
    let h = histogram::histogram(xs, bins, range)
        .map_err(|e| RunError::new(span, e).code(ErrorCode::RunValue))?;
    if range.is_none() {
        let (lo, hi) = (h.edges[0], h.edges[h.edges.len() - 1]);
        ev.record_default(
            "histogram.range",
            span,
            format!("[{lo}, {hi}] (data range)"),
        );
    }
    Ok(histogram_value(&h))
}

pub fn histogram_value(h: &histogram::Histogram) -> Value {
    Value::record(vec![
        ("kind".into(), Value::Str("histogram".into())),
        (
            "samples".into(),
            Value::Num(h.counts.iter().sum::<u64>() as f64),
        ),
        ("edges".into(), Value::vector(h.edges.clone())),
        ("centres".into(), Value::vector(h.centres())),
        (
            "counts".into(),
            Value::vector(h.counts.iter().map(|&c| c as f64).collect()),
        ),
        ("density".into(), Value::vector(h.density.clone())),
    ])
}

/// KS distance to a distribution, to a density function, or to a second sample.
pub(super) fn ks_distance(a: &Args, span: Span) -> Result<Value> {
    let xs = finite_numbers(&a[0], "x", span)?;
    if xs.is_empty() {
        return Err(
            RunError::new(span, "`ks_distance` of an empty sample").code(ErrorCode::RunValue)
        );
    }
    match &a[1] {
        Some(Value::Dist(d)) => Ok(Value::Num(ks::ks_distance(xs, |x| d.cdf(x)))),
        Some(Value::Vector(ys)) => Ok(Value::Num(ks::ks_two_sample(xs, ys))),
        Some(Value::Func(_)) => Err(RunError::new(span, "`ks_distance` needs a distribution; a function is only a density")
                .code(ErrorCode::RunType)
                .help("wrap it: `density(f, support = [a, b])`, or use a stdlib law such as `wigner(beta = 1)`")),
        other => {
            let what = other.as_ref().map(|v| v.describe()).unwrap_or_default();
            Err(RunError::new(span, format!("`ks_distance` compares with a distribution or a sample, not {what}")).code(ErrorCode::RunType))
        }
    }
}

/// Sorted nearest-neighbour spacings within each row, pooled.
pub(super) fn spacings(v: &Option<Value>, span: Span) -> Result<Vec<f64>> {
    let mut out = Vec::new();
    for mut row in rows_of(v, span)? {
        row.sort_by(f64::total_cmp);
        out.extend(row.windows(2).map(|w| w[1] - w[0]));
    }
    Ok(out)
}
