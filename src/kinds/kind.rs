//! What the registry holds for a kind.

use super::fields::Fields;
use crate::eval::error::Result;
use crate::eval::state::{Evaluator, Frame};
use crate::ir::value::Value;
use crate::schema::KindSchema;

/// Runs one block on its backend: its fields are read with the [`super::fields`] readers (each default
/// recorded for the manifest), its result is a record.
pub type Runner = fn(&Evaluator, &Fields, &mut Frame) -> Result<Value>;

/// A kind: its schema and, for block kinds, its runner. Constructor-form kinds have none:
/// they lower to values ([`KindSchema::per_draw`] says whether per draw).
pub struct Kind {
    pub schema: &'static KindSchema,
    pub run: Option<Runner>,
}
