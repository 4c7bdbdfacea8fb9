//! Evaluation: a [`Plan`](crate::ir::plan::Plan) → values. Expressions are evaluated over whole vectors at once;
//! ensembles are sampled from addressed random streams (seed, sweep point, name, draw), so
//! results never depend on the thread count.

pub mod args;
mod arrays;
mod builtins;
pub mod cache;
mod calls;
pub mod compile;
mod correlator_rows;
mod elementary;
pub mod error;
mod expr;
mod finite;
mod fp_builtins;
mod gp_rows;
mod jobs;
pub mod kernel;
mod linalg_rows;
mod matrix_ops;
mod nngp_rows;
mod ops;
pub mod rows;
pub mod run;
mod spectral;
pub mod state;
pub mod table;
mod vs;

pub use cache::JobCache;
pub use error::{Result, RunError};
pub use state::{Draw, Evaluator, Frame};
