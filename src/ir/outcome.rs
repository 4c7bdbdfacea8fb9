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
    /// Where report items and sweep summaries came from in the script (figures' titles and
    /// axis labels).
    pub provenance: Vec<Provenance>,
    /// The jobs of the main run that ran once (not per draw): (name, kind, result).
    pub jobs: Vec<(String, String, Value)>,
}

/// The source of one result: a report item (`[report, item]`), a sweep's summary
/// (`[sweep, "summary"]`) or one field of a record summary (`[sweep, "summary", field]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    pub path: Vec<String>,
    /// The expression as written.
    pub text: String,
    /// For a call, or `call vs theory`: the call's arguments as written, with their names.
    pub args: Vec<(Option<String>, String)>,
    /// For `a vs b`: `b` as written.
    pub theory: Option<String>,
}

impl Provenance {
    /// The argument written at `position` or named `name`.
    pub fn arg(&self, position: usize, name: &str) -> Option<&str> {
        let named = self.args.iter().find(|(n, _)| n.as_deref() == Some(name));
        let positional = self.args.iter().filter(|(n, _)| n.is_none()).nth(position);
        named.or(positional).map(|(_, t)| t.as_str())
    }
}
