//! Numerical backends. They never see the AST, spans or miette: they take plain values and
//! faer views and return `Result<_, BackendError>`; the evaluator attaches the call site.

pub mod characteristics;
pub mod correlators;
pub mod coulomb;
pub mod coulomb_config;
pub mod coulomb_hermitian;
pub mod coulomb_matrix;
pub mod datasets;
pub mod dense;
pub mod fokker_planck;
pub mod gp;
pub mod hermitian;
pub mod kernels;
pub mod linalg;
pub mod mol;
pub mod mol_implicit;
pub mod nn;
pub mod nngp;
pub mod nngp_blocks;
pub mod rng;
pub mod sde;
pub mod sde_matrix;
pub mod sparse;
pub mod stencil;
pub mod tables;
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
    /// A number of a run's state stopped being finite: where (run, step, time, cell), what,
    /// its value, and what to try.
    #[error("numerical failure: {place}: {quantity} became {value}{}", hint_text(.hint))]
    NotFinite {
        place: Box<Place>,
        quantity: String,
        value: f64,
        hint: &'static str,
    },
    /// An error about one setting, named as the script names it (`dt`, `drift`, `init`, `at`,
    /// `domain`, ...), so that the evaluator points at that field (by this name, never by
    /// reading the message).
    #[error("{error}")]
    Setting {
        field: &'static str,
        error: Box<BackendError>,
    },
}

/// Where in a job something failed: any of the run (or flow line), the step, the time (or flow
/// parameter) and the cell.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Place {
    /// ("run", r) or ("flow line", l).
    pub run: Option<(&'static str, usize)>,
    pub step: Option<usize>,
    /// ("t", t) or ("s", s).
    pub time: Option<(&'static str, f64)>,
    pub cell: Option<usize>,
}

impl std::fmt::Display for Place {
    /// `run 0, step 12, t = 1.2, cell 3` (the parts that are known).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if let Some((what, r)) = self.run {
            parts.push(format!("{what} {r}"));
        }
        if let Some(s) = self.step {
            parts.push(format!("step {s}"));
        }
        if let Some((name, t)) = self.time {
            parts.push(format!("{name} = {t}"));
        }
        if let Some(c) = self.cell {
            parts.push(format!("cell {c}"));
        }
        f.write_str(&parts.join(", "))
    }
}

fn hint_text(hint: &str) -> String {
    if hint.is_empty() {
        String::new()
    } else {
        format!("; {hint}")
    }
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
