//! Numerical backends. They never see the AST, spans or miette: they take plain values and
//! faer views and return `Result<_, BackendError>`; the evaluator attaches the call site.

pub mod characteristics;
pub mod coulomb;
pub mod coulomb_config;
pub mod coulomb_matrix;
pub mod fokker_planck;
pub mod linalg;
pub mod mol;
pub mod mol_implicit;
pub mod rng;
pub mod sde;
pub mod sparse;
pub mod stencil;
pub mod tr_bdf2;
pub mod tridiag;

/// [`BackendError::Interrupted`] once `stop` is set (Ctrl-C): long loops call this between
/// steps.
pub fn check_interrupt(stop: &std::sync::atomic::AtomicBool) -> Result<(), BackendError> {
    if stop.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(BackendError::Interrupted);
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BackendError {
    #[error("{0}")]
    Invalid(String),
    #[error("shape mismatch: {0}")]
    Shape(String),
    #[error("numerical failure: {0}")]
    Numerical(String),
    /// The run was stopped (Ctrl-C): not a failure of the numbers. The evaluator reports it
    /// as `wmd::run::interrupted` and the CLI exits 130.
    #[error("interrupted")]
    Interrupted,
    /// An error about one setting, named as the script names it (`dt`, `drift`, `init`, `at`,
    /// `domain`, ...), so that the evaluator points at that field (by this name, never by
    /// reading the message).
    #[error("{error}")]
    Setting {
        field: &'static str,
        error: Box<BackendError>,
    },
}

impl BackendError {
    /// This error, about the setting `field`.
    pub fn at(self, field: &'static str) -> Self {
        BackendError::Setting {
            field,
            error: Box::new(self),
        }
    }

    /// The setting the error is about, if it names one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            BackendError::Setting { field, .. } => Some(field),
            _ => None,
        }
    }
}
