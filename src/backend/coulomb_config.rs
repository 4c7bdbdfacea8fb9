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
    /// Dyson index β ∈ {1, 2, 4}: the repulsion is β g_i² Σ_{j≠i} 1/(x_i − x_j), the
    /// stationary law ∝ Π_{i<j}|x_i − x_j|^β e^{−Σ V/g²}; the matrix method evolves a real
    /// symmetric (β = 1), complex Hermitian (β = 2) or quaternion self-dual (β = 4) matrix.
    pub beta: u32,
}

/// The Dyson indices the gas supports: 1 (orthogonal), 2 (unitary), 4 (symplectic).
pub const BETAS: [u32; 3] = [1, 2, 4];

/// A noise strength that depends on the eigenvalue, g_i(x_i) (the SGD form's factor
/// √(α/|B|) included), read in the Itô sense: dx_i = … dt + √2 g_i(x_i) dW_i with g_i taken at
/// the start of each step (and of each refined sub-step).
pub type StateNoise<'a> = &'a (dyn Fn(f64, usize) -> f64 + Sync);

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
