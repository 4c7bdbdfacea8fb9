//! What the registry holds for a kind.

use super::fields::Fields;
use crate::backend::rng::Rng;
use crate::eval::error::Result;
use crate::eval::state::{Draw, Evaluator, Frame};
use crate::ir::value::Value;
use crate::schema::KindSchema;
use crate::span::Span;

/// Runs one block on its backend: its fields are read with the [`super::fields`] readers (each default
/// recorded for the manifest), its result is a record.
pub type Runner = fn(&Evaluator, &Fields, &mut Frame) -> Result<Value>;

/// Draws one value of a per-draw kind from its constructor's value (a random-matrix law, a
/// network's architecture, a data set's recipe) with the declaration's own random stream for
/// the draw; the span is the declaration's.
pub type Realize = fn(&Evaluator, Value, &mut Rng, Span, &Draw) -> Result<Value>;

/// A kind: its schema and, for block kinds, its runner. Constructor-form kinds have none:
/// they lower to values ([`KindSchema::per_draw`] says whether per draw); a per-draw kind has
/// a [`Realize`] that draws each value.
pub struct Kind {
    pub schema: &'static KindSchema,
    pub run: Option<Runner>,
    pub realize: Option<Realize>,
}
