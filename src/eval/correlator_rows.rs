//! The correlator builtins of document 003 (`two_point`, `four_point_connected`,
//! `fourth_moment_ratio`) on a sample of draws, one per row (as `outputs` and `sample` give
//! them); the numerics and their jackknife errors in [`crate::backend::correlators`].

use super::args::{matrix, whole, Args};
use super::error::{Result, RunError};
use super::kernel::{Kernel, Row};
use crate::backend::correlators::{self as corr, Estimate};
use crate::builtins::{num, req, Builtin, Mode, Param, Ret};
use crate::ir::value::Value;
use crate::span::Span;
use crate::types::ParamTy;
use std::sync::Arc;
use Kernel::Pure;

const Z: Param = req("z", ParamTy::Matrix);

/// The correlator builtins.
pub static ROWS: &[Row] = &[
    Row { sig: Builtin { name: "two_point", params: &[Z, num("width", 0.0)], ret: Ret::Record, mode: Mode::Plain, doc: "the two-point function over the draws (rows) of a sample z: `value` G_ab = (1/K) Σ_d z_da z_db (m × m) and `error`, its standard errors; with width = n (columns as inputs × neurons, neuron fastest, as `outputs` gives them) the neuron average K_αβ = (1/n) Σ_i E[z_{i;α} z_{i;β}] (P × P), the kernel of 003 (e.g. `two_point(reshape([1, 2, -1, 0, 2, 1], 3)).value`)" }, run: Pure(two_point) },
    Row { sig: Builtin { name: "four_point_connected", params: &[Z, num("i", 0.0), num("j", 0.0), num("k", 0.0), num("l", 0.0)], ret: Ret::Record, mode: Mode::Plain, doc: "the connected four-point function of 003 eq. 25 for columns i, j, k, l of a mean-zero sample z (draws as rows): E[z_i z_j z_k z_l] − E[z_i z_j]E[z_k z_l] − E[z_i z_l]E[z_j z_k] − E[z_j z_l]E[z_i z_k], `value` and `error` (delete-one jackknife over the draws); 0 for a Gaussian (e.g. `four_point_connected(reshape([1, -1, 2, 0, -2, 1], 3), i = 0, j = 0, k = 1, l = 1).value`)" }, run: Pure(four_point) },
    Row { sig: Builtin { name: "fourth_moment_ratio", params: &[Z], ret: Ret::Record, mode: Mode::Plain, doc: "R = E[z⁴]/E[z²]² pooled over every entry of a sample z whose columns are identically distributed (one layer's neurons at one input), `value` and `error` (delete-one jackknife over the draws, the rows): 3 for a Gaussian, 3 Π_{l=1}^{ℓ−1} (1 + 2/n_l) for z^(ℓ) of a deep linear network (003) (e.g. `fourth_moment_ratio(reshape([1, -1, 2, 0, -2, 1], 3)).value`)" }, run: Pure(ratio) },
];

fn estimate(e: Estimate) -> Value {
    Value::record(vec![
        ("value".into(), Value::Num(e.value)),
        ("error".into(), Value::Num(e.error)),
    ])
}

fn two_point(a: &Args, span: Span) -> Result<Value> {
    let z = matrix(&a[0], "z", span)?;
    let width = whole(a[1].as_ref().expect("defaulted"), "width", span)?;
    let (value, error) = if width == 0 {
        corr::two_point(z.as_ref())
    } else {
        corr::two_point_averaged(z.as_ref(), width)
    }
    .map_err(RunError::refused(span))?;
    Ok(Value::record(vec![
        ("value".into(), Value::Matrix(Arc::new(value))),
        ("error".into(), Value::Matrix(Arc::new(error))),
    ]))
}

fn four_point(a: &Args, span: Span) -> Result<Value> {
    let z = matrix(&a[0], "z", span)?;
    let mut at = [0; 4];
    for (slot, (v, name)) in at.iter_mut().zip(a[1..5].iter().zip(["i", "j", "k", "l"])) {
        *slot = whole(v.as_ref().expect("defaulted"), name, span)?;
    }
    Ok(estimate(
        corr::four_point_connected(z.as_ref(), at).map_err(RunError::refused(span))?,
    ))
}

fn ratio(a: &Args, span: Span) -> Result<Value> {
    let z = matrix(&a[0], "z", span)?;
    Ok(estimate(
        corr::fourth_moment_ratio(z.as_ref()).map_err(RunError::refused(span))?,
    ))
}
