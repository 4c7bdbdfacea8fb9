//! The wmd test suite: one binary. Error cases and examples are insta snapshots; physics is
//! held against exact results with stated tolerances.

mod architecture;
mod arrays;
mod cases;
mod characteristics;
mod cli;
mod correlators;
mod coulomb;
mod dyson_beta;
mod editors;
mod error_codes;
mod examples;
mod figures;
mod fokker_planck;
mod fuzz_replay;
mod gp;
mod hardening;
mod language;
mod linear_algebra;
mod nngp;
mod numbers;
mod pde;
mod per_step;
mod physics;
mod progress;
mod reference;
mod repl;
mod repl_pty;
mod sde;
mod sde_matrix;
mod support;
mod syntax;
mod training;
