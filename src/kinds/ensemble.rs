//! `ensemble NAME = law(...)`: a random matrix, drawn afresh for every draw. Its constructor
//! is a law builtin (`gaussian`, `goe`, `wishart`, `gue`, `gse`, `wishart_complex`); lowering makes it a per-draw value, which
//! the evaluator samples from the ensemble's own random stream, so it has no runner.

use super::kind::Kind;
use crate::backend::{linalg, rng::Rng};
use crate::eval::error::{Result, RunError};
use crate::eval::state::{Draw, Evaluator};
use crate::ir::value::Value;
use crate::schema::{Form, KindSchema};
use crate::span::Span;
use std::sync::Arc;

/// The schema of `ensemble` blocks.
pub static SCHEMA: KindSchema = KindSchema {
    name: "ensemble",
    form: Form::Constructor(&["gaussian", "goe", "wishart", "gue", "gse", "wishart_complex"]),
    fields: &[],
    scope: &[],
    per_draw: true,
    runs_are_draws: false,
    rebinds: &[],
    pairings: &[],
    doc: "a random matrix, resampled for every draw: `ensemble W = gaussian(rows = M, cols = N, var = 1 / M)`",
    example: r#"ensemble W = gaussian(rows = 200, cols = 100, var = 1 / 200)
report spectrum { x = eigvals(W' * W, draws = 4) }"#,
};

/// The kind in the registry.
pub static KIND: Kind = Kind {
    schema: &SCHEMA,
    run: None,
    realize: Some(sample),
};

/// One matrix of the ensemble's law.
fn sample(_: &Evaluator, law: Value, rng: &mut Rng, span: Span, _: &Draw) -> Result<Value> {
    let Value::Law(law) = law else {
        return Err(RunError::new(
            span,
            "an ensemble is made by a random-matrix law",
        ));
    };
    let m = linalg::sample(&law, rng)
        .map_err(|e| RunError::new(span, e.to_string()).code(crate::diag::ErrorCode::RunBackend))?;
    Ok(Value::Matrix(Arc::new(m)))
}
