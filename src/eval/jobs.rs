//! Running a block declaration (`KIND NAME { ... }`): its kind's runner, found in the registry
//! ([`crate::kinds`]), timed for `wmd run --timings`; and drawing a per-draw declaration
//! (an ensemble, a network, a data set) with its kind's realizer.

use super::error::{Result, RunError};
use super::state::{Evaluator, Frame};
use crate::backend::rng;
use crate::diag::ErrorCode;
use crate::ir::code::Code;
use crate::ir::plan::JobField;
use crate::ir::value::Value;
use crate::kinds::fields::Fields;
use crate::schema::KindSchema;

impl Evaluator<'_> {
    pub(super) fn run_job(
        &self,
        id: usize,
        kind: &'static KindSchema,
        fields: &[JobField],
        frame: &mut Frame,
    ) -> Result<Value> {
        let global = &self.plan.globals[id];
        let f = Fields {
            id,
            fields,
            span: global.span,
            kind: kind.name,
        };
        let Some(run) = crate::kinds::runner(kind) else {
            return Err(RunError::new(
                global.span,
                format!("internal error: the {} kind has no runner", kind.name),
            )
            .code(ErrorCode::RunInternal));
        };
        let start = std::time::Instant::now();
        let out = run(self, &f, frame);
        let seconds = start.elapsed().as_secs_f64();
        if let Ok(mut t) = self.timings.lock() {
            t.push((global.name.clone(), kind.name.to_string(), seconds));
        }
        out
    }

    /// Draw a per-draw value (an ensemble's matrix, a network's weights, a data set) for the
    /// frame's draw from the declaration's own random stream.
    pub(super) fn sample(
        &self,
        id: usize,
        kind: &KindSchema,
        code: &Code,
        frame: &mut Frame,
    ) -> Result<Value> {
        let g = &self.plan.globals[id];
        let made = self.eval(code, frame)?;
        let realize = crate::kinds::realizer(kind).ok_or_else(|| {
            RunError::new(
                g.span,
                format!("internal error: `{}` has no realizer", kind.name),
            )
            .code(ErrorCode::RunInternal)
        })?;
        let mut stream = rng::stream(self.seed, self.point, &g.name, frame.draw.index);
        realize(self, made, &mut stream, g.span, frame.draw)
    }
}
