//! Running a block declaration (`KIND NAME { ... }`): its kind's runner, found in the registry
//! ([`crate::kinds`]), timed for `wmd run --timings`.

use super::error::{Result, RunError};
use super::state::{Evaluator, Frame};
use crate::diag::ErrorCode;
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
}
