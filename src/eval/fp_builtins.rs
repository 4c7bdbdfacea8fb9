//! Builtins for `fokker_planck` results: `box`, `stationary_density`, `hamiltonian_spectrum`,
//! `density_distances`. The run record carries what they need (its stationary density and
//! the symmetrised operator), computed by [`crate::backend::fokker_planck`].

use super::error::{Result, RunError};
use crate::backend::fokker_planck::{hamiltonian2d, measures, spectrum};
use crate::diag::ErrorCode;
use crate::ir::value::Value;
use crate::span::Span;
use faer::Mat;
use std::sync::Arc;

type Args = Vec<Option<Value>>;

fn num(a: &Args, k: usize, name: &str, span: Span) -> Result<f64> {
    match &a[k] {
        Some(Value::Num(x)) if x.is_finite() => Ok(*x),
        other => Err(RunError::new(
            span,
            format!(
                "`{name}` must be a finite number, but is {}",
                other
                    .as_ref()
                    .map(|v| v.describe())
                    .unwrap_or("missing".into())
            ),
        )
        .code(ErrorCode::RunType)),
    }
}

fn vector<'a>(v: Option<&'a Value>, name: &str, span: Span) -> Result<&'a [f64]> {
    v.and_then(|v| v.as_slice()).ok_or_else(|| {
        RunError::new(span, format!("`{name}` must be a vector of numbers"))
            .code(ErrorCode::RunType)
    })
}

/// The field `name` of a fokker_planck run record, or an error saying what is missing.
fn run_field<'a>(fp: &'a Option<Value>, name: &str, why: &str, span: Span) -> Result<&'a Value> {
    let rec = fp.as_ref().filter(|v| v.field("convention").is_some());
    let Some(rec) = rec else {
        return Err(
            RunError::new(span, "`fp` must be the result of a fokker_planck block")
                .code(ErrorCode::RunType)
                .help(
                    "pass the block's name: `stationary_density(mode)` after `fokker_planck mode { ... }`",
                ),
        );
    };
    rec.field(name).ok_or_else(|| {
        let reason = match rec.field(&format!("{name}_error")) {
            Some(Value::Str(e)) => format!(": {e}"),
            _ => String::new(),
        };
        RunError::new(span, format!("this fokker_planck run has no {why}{reason}"))
            .code(ErrorCode::RunValue)
            .help("stationary densities and H_FP need time-independent drift and diffusion and no absorbing walls (H_FP: reflecting walls; in 2D a drift in detailed balance)")
    })
}

/// `hamiltonian_spectrum(fp, levels)`: 1D runs keep H_FP as a tridiagonal (`diag`, `off`),
/// 2D runs as entries (`rows`, `cols`, `vals`).
pub(super) fn hamiltonian_spectrum(a: &Args, span: Span) -> Result<Value> {
    let err = |e: crate::backend::BackendError| {
        RunError::new(span, e.to_string()).code(ErrorCode::RunFokkerPlanck)
    };
    let h = run_field(&a[0], "hamiltonian", "Fokker–Planck Hamiltonian", span)?;
    let levels = super::args::count(&Value::Num(num(a, 1, "levels", span)?), "levels", span)?;
    let dx = num(&vec![h.field("dx").cloned()], 0, "dx", span)?;
    let (s, n) = match h.field("vals") {
        None => {
            let diag = vector(h.field("diag"), "diag", span)?;
            let off = vector(h.field("off"), "off", span)?;
            let s = spectrum::hamiltonian_levels(diag, off, dx, levels);
            (s.map_err(err)?, diag.len())
        }
        Some(vals) => {
            let index = |k: &str| -> Result<Vec<usize>> {
                Ok(vector(h.field(k), k, span)?
                    .iter()
                    .map(|v| *v as usize)
                    .collect())
            };
            let vals = vector(Some(vals), "vals", span)?;
            let entries: Vec<_> = (index("rows")?.into_iter().zip(index("cols")?))
                .zip(vals)
                .map(|((i, j), v)| (i, j, *v))
                .collect();
            let n = num(&vec![h.field("cells").cloned()], 0, "cells", span)? as usize;
            let s = hamiltonian2d::hamiltonian_levels(&entries, n, dx, levels);
            (s.map_err(err)?, n)
        }
    };
    let states = Mat::from_fn(s.states.len(), n, |k, i| s.states[k][i]);
    Ok(Value::record(vec![
        ("energies".into(), Value::vector(s.energies)),
        ("states".into(), Value::Matrix(Arc::new(states))),
    ]))
}

/// `box(ax, bx, ay, by)`: the region of a 2D domain.
pub(super) fn region_box(a: &Args, span: Span) -> Result<Value> {
    let v = (0..4)
        .map(|k| num(a, k, ["ax", "bx", "ay", "by"][k], span))
        .collect::<Result<Vec<f64>>>()?;
    Ok(Value::vector(v))
}

/// `stationary_density(fp)`: the stationary density a fokker_planck run kept.
pub(super) fn stationary_density(a: &Args, span: Span) -> Result<Value> {
    Ok(run_field(&a[0], "stationary", "stationary density", span)?.clone())
}

/// `density_distances(p, q, dx)`: L1, MSE and Pearson correlation of two densities.
pub(super) fn density_distances(a: &Args, span: Span) -> Result<Value> {
    let err = |e: crate::backend::BackendError| {
        RunError::new(span, e.to_string()).code(ErrorCode::RunFokkerPlanck)
    };
    let p = vector(a[0].as_ref(), "p", span)?;
    let q = vector(a[1].as_ref(), "q", span)?;
    let d = measures::distances(p, q, num(a, 2, "dx", span)?).map_err(err)?;
    Ok(Value::record(vec![
        ("l1".into(), Value::Num(d.l1)),
        ("mse".into(), Value::Num(d.mse)),
        ("pearson".into(), Value::Num(d.pearson)),
    ]))
}
