//! What a run computed: the stage type between running and emitting.

use crate::ir::value::Value;
use std::collections::BTreeMap;

/// The outcome of one `expect`.
#[derive(Debug, Clone)]
pub struct ExpectResult {
    pub text: String,
    pub passed: bool,
    /// The two sides, when the condition is a comparison.
    pub lhs: Option<f64>,
    pub rhs: Option<f64>,
    /// How the check was made, e.g. "|a − b| = 0.003 ≤ 0.01".
    pub detail: String,
}

/// Everything a run computed.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub reports: Vec<(String, Value)>,
    pub sweeps: Vec<(String, Value)>,
    pub expects: Vec<ExpectResult>,
    pub defaults: BTreeMap<String, String>,
    /// Wall time of each job of the main run: (name, kind, seconds).
    pub timings: Vec<(String, String, f64)>,
}
