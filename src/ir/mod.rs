//! The stage types: what one stage hands the next, at the bottom of the crate so that every
//! stage imports them downward. Lowering makes a [`plan::Plan`] of [`code::Code`]; the
//! evaluator runs it on [`value::Value`]s into an [`outcome::Outcome`], which output emits.
//! The passes that make and read these live in their own modules ([`crate::lower`](mod@crate::lower),
//! [`crate::eval`], [`crate::output`]); nothing here imports them.

pub mod code;
pub mod ops;
pub mod outcome;
pub mod plan;
pub mod scan;
pub mod value;
