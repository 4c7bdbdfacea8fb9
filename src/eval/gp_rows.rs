//! The kernel-eigenbasis builtins of document 004: `kernel_eigen` (Nyström), `eigenlearning`
//! and `decimation_temperature`; the numerics in [`crate::backend::gp`].

use super::args::{matrix, numbers, Args};
use super::error::{Result, RunError};
use super::kernel::{Kernel, Row};
use crate::backend::gp;
use crate::builtins::{auto, req, Builtin, Mode, Ret};
use crate::diag::ErrorCode;
use crate::ir::value::Value;
use crate::span::Span;
use crate::types::ParamTy;
use std::sync::Arc;
use Kernel::Pure;

/// The kernel-eigenbasis builtins.
pub static ROWS: &[Row] = &[
    Row { sig: Builtin { name: "kernel_eigen", params: &[req("gram", ParamTy::Matrix), auto("cross", ParamTy::Matrix, "none: the eigenfunctions on the samples")], ret: Ret::Record, mode: Mode::Plain, doc: "the eigenvalues and eigenfunctions of a kernel on its data measure from the Gram matrix G of N samples (Nyström): `values` λ_k = μ_k/N descending (μ_k the eigenvalues of G) and `functions`, column k the eigenfunction φ_k = √N u_k on the samples, orthonormal as (1/N) Σ_j φ_k(x_j)φ_l(x_j) = δ_kl; given `cross` (M × N, K(x′_m, x_j)), φ_k(x′_m) = Σ_j C_mj φ_k(x_j)/(N λ_k) at the new points instead (e.g. `kernel_eigen(gram(rbf(), linspace(0, 1, 5))).values`)" }, run: Pure(kernel_eigen) },
    Row { sig: Builtin { name: "eigenlearning", params: &[req("lambda", ParamTy::Vector), req("y", ParamTy::Vector), req("temperature", ParamTy::Num), req("samples", ParamTy::Num), auto("effective_ridge", ParamTy::Bool, "false: κ = T/P, the large-T form of 004")], ret: Ret::Record, mode: Mode::Plain, doc: "the GP posterior mode by mode in the kernel's eigenbasis (004, Simon et al. 2023) with T = `temperature` and P = `samples`, for eigenvalues λ_k and target coefficients y_k: `learnability` L_k = λ_k/(λ_k + κ), `mean` ⟨f_k⟩ = L_k y_k, `variance` Var[f_k] = λ_k κ/(λ_k + κ), `kappa` and `test_error` E₀ Σ_k (1 − L_k)² y_k²; at large T (004) κ = T/P and E₀ = 1, with effective_ridge = true κ solves Σ_k λ_k/(λ_k + κ) + T/κ = P and E₀ = P/(P − Σ_k L_k²) (e.g. `eigenlearning([1, 0.1], [1, 1], temperature = 0.1, samples = 10).learnability`)" }, run: Pure(eigenlearning) },
    Row { sig: Builtin { name: "decimation_temperature", params: &[req("lambda", ParamTy::Vector), req("temperature", ParamTy::Num)], ret: Ret::Vector, mode: Mode::Plain, doc: "the decimation-RG flow of the temperature (004): integrating out the modes k > Λ′ of eigenvalues λ_1 ≥ … ≥ λ_Λ gives T(Λ′) = T + Σ_{k>Λ′} λ_k; entry Λ′ − 1 is T(Λ′), Λ′ = 1 … Λ (e.g. `decimation_temperature([4, 2, 1], temperature = 0.5)`)" }, run: Pure(decimation) },
];

fn kernel_eigen(a: &Args, span: Span) -> Result<Value> {
    let g = matrix(&a[0], "gram", span)?;
    let cross = match &a[1] {
        None => None,
        some => Some(matrix(some, "cross", span)?.as_ref()),
    };
    let (values, functions) = gp::nystrom(g.as_ref(), cross).map_err(RunError::refused(span))?;
    Ok(Value::record(vec![
        ("values".into(), Value::vector(values)),
        ("functions".into(), Value::Matrix(Arc::new(functions))),
    ]))
}

/// T ≥ 0 and P > 0, finite.
fn temperature_and_samples(t: f64, p: f64, span: Span) -> Result<()> {
    if t >= 0.0 && t.is_finite() && p > 0.0 && p.is_finite() {
        return Ok(());
    }
    Err(RunError::new(
        span,
        format!("eigenlearning needs temperature T ≥ 0 and samples P > 0, but T = {t}, P = {p}"),
    )
    .code(ErrorCode::RunValue))
}

fn eigenlearning(a: &Args, span: Span) -> Result<Value> {
    let (lambda, y) = (numbers(&a[0], "lambda", span)?, numbers(&a[1], "y", span)?);
    if lambda.len() != y.len() || lambda.iter().any(|l| l.is_nan() || *l < 0.0) {
        let msg = format!("eigenlearning takes one target coefficient y_k per eigenvalue λ_k ≥ 0, but has {} eigenvalues and {} coefficients", lambda.len(), y.len());
        return Err(RunError::new(span, msg).code(ErrorCode::RunValue));
    }
    let (t, p) = (
        super::args::num(&a[2], "temperature", span)?,
        super::args::num(&a[3], "samples", span)?,
    );
    temperature_and_samples(t, p, span)?;
    let self_consistent = matches!(a[4], Some(Value::Bool(true)));
    let modes = gp::eigenlearning(lambda, y, (t, p), self_consistent);
    Ok(Value::record(vec![
        ("learnability".into(), Value::vector(modes.learnability)),
        ("mean".into(), Value::vector(modes.mean)),
        ("variance".into(), Value::vector(modes.variance)),
        ("kappa".into(), Value::Num(modes.kappa)),
        ("test_error".into(), Value::Num(modes.test_error)),
    ]))
}

fn decimation(a: &Args, span: Span) -> Result<Value> {
    let lambda = numbers(&a[0], "lambda", span)?;
    let t = super::args::num(&a[1], "temperature", span)?;
    temperature_and_samples(t, 1.0, span)?;
    if lambda.windows(2).any(|w| w[0] < w[1]) {
        return Err(RunError::new(
            span,
            "`lambda` must be sorted descending (λ_1 ≥ λ_2 ≥ …), as kernel_eigen gives it",
        )
        .code(ErrorCode::RunValue));
    }
    Ok(Value::vector(gp::decimation_temperature(lambda, t)))
}
