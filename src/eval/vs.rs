//! `measured vs theory`: a record holding both side by side, with the distance between them.
//!
//! - histogram vs distribution or density function: the theory density at the bin centres,
//!   the L1 distance Σ|ρ_measured − ρ_theory|·Δx and the largest pointwise difference;
//! - sample vs distribution: the KS distance and the first two moments of each;
//! - number vs number: the absolute and relative error;
//! - vector vs vector: the largest and root-mean-square difference.

use super::error::{Result, RunError};
use super::state::{Evaluator, Frame};
use crate::diag::ErrorCode;
use crate::ir::value::{Dist, Value};
use crate::observe::{ks, stats};
use crate::span::Span;

fn pair(measured: f64, theory: f64) -> Value {
    Value::record(vec![
        ("measured".into(), Value::Num(measured)),
        ("theory".into(), Value::Num(theory)),
    ])
}

pub fn compare(ev: &Evaluator, a: Value, b: Value, span: Span, frame: &mut Frame) -> Result<Value> {
    let is_hist = matches!(a.field("kind"), Some(Value::Str(k)) if &**k == "histogram");
    match (&a, &b) {
        _ if is_hist => histogram_vs(ev, &a, &b, span, frame),
        (Value::Num(m), Value::Num(t)) => Ok(numbers(*m, *t)),
        (Value::Vector(m), Value::Vector(t)) if m.len() == t.len() => Ok(vectors(m, t)),
        (Value::Vector(xs), Value::Dist(d)) => sample_vs(xs, d, span),
        _ => Err(RunError::new(span, format!("cannot set {} beside {}", a.describe(), b.describe()))
            .code(ErrorCode::RunVs)
            .help("`vs` compares a histogram with a distribution or density, a sample with a distribution, or numbers with numbers")),
    }
}

/// A number beside a number: `abs_error` |m − t|, and `rel_error` |m − t|/|t| unless t = 0
/// (where no relative error exists: a result is never NaN).
fn numbers(m: f64, t: f64) -> Value {
    let mut fields = vec![
        ("measured".into(), Value::Num(m)),
        ("theory".into(), Value::Num(t)),
        ("abs_error".into(), Value::Num((m - t).abs())),
    ];
    if t != 0.0 {
        fields.push(("rel_error".into(), Value::Num(((m - t) / t).abs())));
    }
    Value::record(fields)
}

fn vectors(m: &[f64], t: &[f64]) -> Value {
    let diffs: Vec<f64> = m.iter().zip(t).map(|(x, y)| (x - y).abs()).collect();
    let max = diffs.iter().copied().fold(0.0, f64::max);
    let rms = (diffs.iter().map(|d| d * d).sum::<f64>() / diffs.len().max(1) as f64).sqrt();
    Value::record(vec![
        ("measured".into(), Value::vector(m.to_vec())),
        ("theory".into(), Value::vector(t.to_vec())),
        ("max_abs_error".into(), Value::Num(max)),
        ("rms_error".into(), Value::Num(rms)),
    ])
}

fn histogram_vs(
    ev: &Evaluator,
    h: &Value,
    theory: &Value,
    span: Span,
    frame: &mut Frame,
) -> Result<Value> {
    let (Some(Value::Vector(centres)), Some(Value::Vector(measured)), Some(Value::Vector(edges))) =
        (h.field("centres"), h.field("density"), h.field("edges"))
    else {
        return Err(RunError::new(span, "malformed histogram"));
    };
    let t: Vec<f64> = match theory {
        Value::Dist(d) => centres.iter().map(|&x| d.pdf(x)).collect(),
        Value::Func(_) => match ev.call_func(
            theory,
            vec![Value::vector(centres.to_vec())],
            span,
            frame.draw,
        )? {
            Value::Vector(v) if v.len() == centres.len() => v.to_vec(),
            Value::Num(c) => vec![c; centres.len()],
            other => {
                return Err(RunError::new(
                    span,
                    format!("the theory density returned {}", other.describe()),
                ))
            }
        },
        other => {
            return Err(RunError::new(
                span,
                format!(
                    "a histogram is compared with a distribution or a density function, not {}",
                    other.describe()
                ),
            )
            .code(ErrorCode::RunVs))
        }
    };
    if let Some(i) = t.iter().position(|x| !x.is_finite()) {
        return Err(RunError::new(
            span,
            format!("the theory density is {} at x = {}", t[i], centres[i]),
        )
        .code(ErrorCode::RunNonFinite));
    }
    let widths: Vec<f64> = edges.windows(2).map(|w| w[1] - w[0]).collect();
    let l1: f64 = measured
        .iter()
        .zip(&t)
        .zip(&widths)
        .map(|((m, t), w)| (m - t).abs() * w)
        .sum();
    let max = measured
        .iter()
        .zip(&t)
        .map(|(m, t)| (m - t).abs())
        .fold(0.0, f64::max);
    Ok(Value::record(vec![
        ("kind".into(), Value::Str("histogram vs theory".into())),
        ("bins".into(), Value::Num(centres.len() as f64)),
        (
            "range".into(),
            Value::vector(vec![edges[0], edges[edges.len() - 1]]),
        ),
        ("centres".into(), Value::Vector(centres.clone())),
        ("measured".into(), Value::Vector(measured.clone())),
        ("theory".into(), Value::vector(t)),
        ("l1".into(), Value::Num(l1)),
        ("max_abs_error".into(), Value::Num(max)),
    ]))
}

fn sample_vs(xs: &[f64], d: &Dist, span: Span) -> Result<Value> {
    if xs.len() < 2 || xs.iter().any(|x| !x.is_finite()) {
        return Err(
            RunError::new(span, "a sample needs at least two finite values")
                .code(ErrorCode::RunValue),
        );
    }
    let mean_t = d.moment(1);
    Ok(Value::record(vec![
        ("kind".into(), Value::Str("sample vs distribution".into())),
        ("samples".into(), Value::Num(xs.len() as f64)),
        ("ks".into(), Value::Num(ks::ks_distance(xs, |x| d.cdf(x)))),
        ("mean".into(), pair(stats::mean(xs), mean_t)),
        (
            "variance".into(),
            pair(stats::variance(xs), d.moment(2) - mean_t * mean_t),
        ),
    ]))
}
