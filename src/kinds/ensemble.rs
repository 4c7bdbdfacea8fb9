//! `ensemble NAME = law(...)`: a random matrix, drawn afresh for every draw. Its constructor
//! is a law builtin (`gaussian`, `goe`, `wishart`, `gue`, `gse`, `wishart_complex`); lowering makes it a per-draw value, which
//! the evaluator samples from the ensemble's own random stream, so it has no runner.

use super::kind::Kind;
use crate::schema::{Form, KindSchema};

/// The schema of `ensemble` blocks.
pub static SCHEMA: KindSchema = KindSchema {
    name: "ensemble",
    form: Form::Constructor(&["gaussian", "goe", "wishart", "gue", "gse", "wishart_complex"]),
    fields: &[],
    scope: &[],
    per_draw: true,
    doc: "a random matrix, resampled for every draw: `ensemble W = gaussian(rows = M, cols = N, var = 1 / M)`",
};

/// The kind in the registry.
pub static KIND: Kind = Kind {
    schema: &SCHEMA,
    run: None,
};
