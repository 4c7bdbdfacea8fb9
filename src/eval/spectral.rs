//! The level-statistics and fit builtins (their rows are in `rows.rs`): argument values in,
//! a value out; the numerics are in `observe::spacing` and `observe::fit`.

use super::args::{dist, finite_numbers, matrix, num, rows_of, Args};
use super::error::{Result, RunError};
use crate::diag::ErrorCode;
use crate::ir::value::Value;
use crate::observe::density::TabulatedDensity;
use crate::observe::{fit, spacing, stats};
use crate::span::Span;
use faer::Mat;
use std::sync::Arc;

/// `mean_level_spacing(s)`: ⟨S⟩ of each column with its standard error.
pub(super) fn mean_level_spacing(a: &Args, span: Span) -> Result<Value> {
    columns(&a[0], span).map(|m| {
        let (mean, error) = spacing::column_means(&m);
        Value::record(vec![
            ("mean".into(), Value::vector(mean)),
            ("error".into(), Value::vector(error)),
        ])
    })
}

/// `unit_mean(s)`: each column over its mean, pooled.
pub(super) fn unit_mean(a: &Args, span: Span) -> Result<Value> {
    columns(&a[0], span).and_then(|m| {
        spacing::unit_mean_pooled(&m)
            .map(Value::vector)
            .map_err(|e| value_error(span, e))
    })
}

fn value_error(span: Span, message: String) -> RunError {
    RunError::new(span, message).code(ErrorCode::RunValue)
}

/// Rows of a matrix (runs), or a vector as one column of a single-column table.
fn columns(v: &Option<Value>, span: Span) -> Result<Vec<Vec<f64>>> {
    match v {
        Some(Value::Matrix(_)) => rows_of(v, span),
        _ => Ok(finite_numbers(v, "s", span)?
            .iter()
            .map(|&x| vec![x])
            .collect()),
    }
}

fn to_matrix(rows: &[Vec<f64>], cols: usize) -> Value {
    Value::Matrix(Arc::new(Mat::from_fn(rows.len(), cols, |i, j| rows[i][j])))
}

pub(super) fn degenerate(a: &Args, span: Span) -> Result<Value> {
    let v = finite_numbers(&a[0], "values", span)?;
    let tol = num(&a[1], "tol", span)?;
    let pairs = spacing::degenerate_pairs(v, tol);
    if pairs.is_empty() {
        return Err(value_error(span, format!("no two consecutive values are equal within tol = {tol}")).help("`degenerate` pairs consecutive entries: sort the values first, in the order the eigenvalues are assigned to them"));
    }
    let rows: Vec<Vec<f64>> = pairs
        .iter()
        .map(|&(i, j)| vec![i as f64, j as f64])
        .collect();
    Ok(to_matrix(&rows, 2))
}

pub(super) fn level_spacing(a: &Args, span: Span) -> Result<Value> {
    let rows = rows_of(&a[0], span)?;
    let p = matrix(&a[1], "pairs", span)?;
    if p.ncols() != 2 {
        return Err(value_error(
            span,
            format!(
                "`pairs` must have two columns (i, j), but has {}",
                p.ncols()
            ),
        ));
    }
    let index = |v: f64| (v >= 0.0 && v == v.trunc()).then_some(v as usize);
    let pairs = (0..p.nrows())
        .map(|r| index(p[(r, 0)]).zip(index(p[(r, 1)])))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| value_error(span, "`pairs` must hold whole indices ≥ 0".into()))?;
    let s = spacing::pair_spacings(&rows, &pairs).map_err(|e| value_error(span, e))?;
    Ok(to_matrix(&s, pairs.len()))
}

pub(super) fn unfolded(a: &Args, span: Span) -> Result<Value> {
    let rows = rows_of(&a[0], span)?;
    let s = match &a[1] {
        Some(_) => {
            let d = dist(&a[1], span)?;
            spacing::unfolded_spacings(&rows, Some(&|x| d.cdf(x)))
        }
        None => spacing::unfolded_spacings(&rows, None),
    };
    if s.is_empty() {
        return Err(value_error(
            span,
            "unfolding needs spectra of at least two eigenvalues".into(),
        ));
    }
    Ok(Value::vector(s))
}

pub(super) fn spacing_ratio(a: &Args, span: Span) -> Result<Value> {
    let rows = rows_of(&a[0], span)?;
    let r = spacing::spacing_ratios(&rows);
    if r.len() < 2 {
        return Err(too_few_ratios(&rows, r.len(), span));
    }
    Ok(Value::record(vec![
        ("mean".into(), Value::Num(stats::mean(&r))),
        ("error".into(), Value::Num(stats::std_error(&r))),
        ("count".into(), Value::Num(r.len() as f64)),
    ]))
}

/// Fewer than two spacing ratios: the spectra are too short, or ratios are undefined because
/// both neighbouring spacings are zero (degenerate levels).
fn too_few_ratios(rows: &[Vec<f64>], defined: usize, span: Span) -> RunError {
    let possible: usize = rows.iter().map(|r| r.len().saturating_sub(2)).sum();
    if possible < 2 {
        let longest = rows.iter().map(Vec::len).max().unwrap_or(0);
        return value_error(
            span,
            format!(
                "spacing ratios need spectra of at least 3 eigenvalues (and 2 ratios in all), \
                 but the longest here has {longest}"
            ),
        );
    }
    value_error(
        span,
        format!(
            "the levels are degenerate: {} of {possible} spacing ratios are undefined because \
             both neighbouring spacings are zero, leaving {defined} (at least 2 are needed)",
            possible - defined
        ),
    )
    .help("r̃ = min(sᵢ, sᵢ₊₁)/max(sᵢ, sᵢ₊₁) needs distinct levels; for exactly degenerate pairs see `degenerate` and `level_spacing`")
}

/// A fit's parameters as `name`, `name_error`, and the negative log-likelihood if any.
pub(super) fn fitted(
    a: &Args,
    span: Span,
    f: fn(&[f64]) -> std::result::Result<fit::Fit, String>,
) -> Result<Value> {
    let x = finite_numbers(&a[0], "x", span)?;
    let fit = f(x)
        .map_err(|e| RunError::new(span, format!("the fit failed: {e}")).code(ErrorCode::RunFit))?;
    let mut fields = Vec::new();
    for (name, e) in &fit.params {
        fields.push((name.to_string(), Value::Num(e.value)));
        fields.push((format!("{name}_error"), Value::Num(e.error)));
    }
    if let Some(nll) = fit.neg_log_likelihood {
        fields.push(("neg_log_likelihood".into(), Value::Num(nll)));
    }
    Ok(Value::record(fields))
}

/// Gaussian kernel density estimate ρ(x) = (1/(nh)) Σᵢ φ((x − xᵢ)/h), tabulated on
/// [min − 6h, max + 6h] (the mass outside is below 10⁻⁸). Bandwidth h: given, or Silverman's
/// rule 0.9·min(s, IQR/1.34)·n^(−1/5).
pub(super) fn kde(a: &Args, span: Span) -> Result<Value> {
    let x = finite_numbers(&a[0], "points", span)?;
    if x.len() < 2 {
        return Err(value_error(
            span,
            "a kernel density estimate needs at least 2 points".into(),
        ));
    }
    let h = match &a[1] {
        Some(_) => num(&a[1], "bandwidth", span)?,
        None => {
            let iqr = stats::quantile(x, 0.75) - stats::quantile(x, 0.25);
            let sd = stats::variance(x).sqrt();
            let spread = if iqr > 0.0 { sd.min(iqr / 1.34) } else { sd };
            0.9 * spread * (x.len() as f64).powf(-0.2)
        }
    };
    if h.is_nan() || h <= 0.0 {
        return Err(value_error(
            span,
            format!("the bandwidth is {h}; the points must not all be equal"),
        ));
    }
    let (lo, hi) = x
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, u), &v| {
            (l.min(v), u.max(v))
        });
    let norm = 1.0 / (x.len() as f64 * h * (2.0 * std::f64::consts::PI).sqrt());
    let pdf = |nodes: &[f64]| -> Vec<f64> {
        nodes
            .iter()
            .map(|&t| {
                norm * x
                    .iter()
                    .map(|&p| (-0.5 * ((t - p) / h).powi(2)).exp())
                    .sum::<f64>()
            })
            .collect()
    };
    let table = TabulatedDensity::from_pdf(pdf, lo - 6.0 * h, hi + 6.0 * h, 4097)
        .map_err(|e| value_error(span, e))?;
    Ok(Value::Dist(Arc::new(crate::ir::value::Dist::Tabulated(
        table,
    ))))
}

/// 2D Gaussian kernel density estimate with a product kernel,
/// ρ(x, y) = (1/(n hₓ h_y)) Σₖ φ((x − pxₖ)/hₓ) φ((y − pyₖ)/h_y), at the points (xᵢ, yᵢ).
/// Bandwidths: given as [hₓ, h_y], or Scott's rule h = s·n^(−1/6) per axis (s the sample sd).
pub(super) fn kde2d(a: &Args, span: Span) -> Result<Value> {
    let (px, py) = (
        finite_numbers(&a[0], "px", span)?,
        finite_numbers(&a[1], "py", span)?,
    );
    let (x, y) = (
        finite_numbers(&a[2], "x", span)?,
        finite_numbers(&a[3], "y", span)?,
    );
    if px.len() != py.len() || x.len() != y.len() || px.len() < 2 {
        return Err(value_error(span, format!(
            "need ≥ 2 points with px and py of one length ({} and {}), and x and y of one length ({} and {})",
            px.len(), py.len(), x.len(), y.len()
        )));
    }
    let h = match &a[4] {
        Some(_) => finite_numbers(&a[4], "bandwidth", span)?.to_vec(),
        None => {
            let scale = (px.len() as f64).powf(-1.0 / 6.0);
            vec![
                stats::variance(px).sqrt() * scale,
                stats::variance(py).sqrt() * scale,
            ]
        }
    };
    if h.len() != 2 || h.iter().any(|v| v.is_nan() || *v <= 0.0) {
        return Err(value_error(span, format!("the bandwidths {h:?} must be two positive numbers; the points must spread in both directions")));
    }
    let norm = 1.0 / (px.len() as f64 * h[0] * h[1] * 2.0 * std::f64::consts::PI);
    let rho = x
        .iter()
        .zip(y)
        .map(|(&xi, &yi)| {
            let s: f64 = px
                .iter()
                .zip(py)
                .map(|(&p, &q)| {
                    (-0.5 * (((xi - p) / h[0]).powi(2) + ((yi - q) / h[1]).powi(2))).exp()
                })
                .sum();
            norm * s
        })
        .collect();
    Ok(Value::vector(rho))
}
