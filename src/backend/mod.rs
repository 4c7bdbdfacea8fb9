//! Numerical backends. They never see the AST, spans or miette: they take plain values and
//! faer views and return `Result<_, BackendError>`; the evaluator attaches the call site.

pub mod characteristics;
pub mod coulomb;
pub mod coulomb_matrix;
pub mod fokker_planck;
pub mod linalg;
pub mod mol;
pub mod mol_implicit;
pub mod rng;
pub mod sde;
pub mod sparse;
pub mod tr_bdf2;
pub mod tridiag;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BackendError {
    #[error("{0}")]
    Invalid(String),
    #[error("shape mismatch: {0}")]
    Shape(String),
    #[error("numerical failure: {0}")]
    Numerical(String),
}
