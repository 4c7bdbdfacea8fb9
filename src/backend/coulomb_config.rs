//! What a Coulomb-gas ensemble is given and what it gives back, shared by its two methods
//! ([`crate::backend::coulomb`] for the eigenvalue SDE, [`crate::backend::coulomb_matrix`]).

/// Settings of an ensemble of Coulomb-gas runs.
#[derive(Debug, Clone)]
pub struct CoulombConfig {
    pub n: usize,
    pub dt: f64,
    pub steps: usize,
    /// Noise strength g_i of each eigenvalue.
    pub g: Vec<f64>,
    pub runs: usize,
    pub seed: u64,
    pub point: u64,
    pub label: String,
    /// Largest number of bisections of one step.
    pub max_depth: u32,
    pub method: Method,
    /// Record the spectrum after every `every` steps (None: only the final one).
    pub every: Option<usize>,
}

crate::choices! {
    /// How the gas is evolved.
    pub enum Method {
        /// The eigenvalue SDE with gap-preserving refinement ([`crate::backend::coulomb`]).
        Eigenvalues = "eigenvalues",
        /// The symmetric matrix with matrix noise, diagonalised each step
        /// ([`crate::backend::coulomb_matrix`]).
        Matrix = "matrix",
    }
}

/// The final spectra (sorted) of each run, the recorded ones (run by run, in time order)
/// and how many steps were refined.
#[derive(Debug, Clone)]
pub struct CoulombOutcome {
    pub finals: Vec<Vec<f64>>,
    pub history: Vec<Vec<f64>>,
    pub refined_steps: u64,
}

/// One run's result: its final spectrum, its recorded spectra, its refined-step count.
pub type RunResult = (Vec<f64>, Vec<Vec<f64>>, u64);

/// Whether the spectrum after `step` + 1 steps is recorded.
pub fn records(cfg: &CoulombConfig, step: usize) -> bool {
    cfg.every.is_some_and(|k| (step + 1).is_multiple_of(k))
}
