//! The step loop of a stepping job, owned by one executor that calls the block's observers:
//! `observe every k { name = expr ... }` is evaluated after every k-th step and its values are
//! kept as columns, and `stop when cond` ends the loop after the first step at which it holds.
//! Both see the kind's scope names (its schema's `scope`, in that order) bound to the job's
//! state after the step. A kind that steps (the toy walk today, `train` next) hands the
//! executor a function that advances its state by one step and returns those values.

use super::fields::Fields;
use crate::diag::ErrorCode;
use crate::eval::error::{Result, RunError};
use crate::eval::state::{Evaluator, Frame};
use crate::ir::value::Value;

/// What the observers saw: the steps observed, each item's values there, and the step the
/// `stop` condition ended the loop after (if it did).
pub struct Observed {
    pub steps: Vec<f64>,
    pub columns: Vec<(String, Vec<Value>)>,
    pub stopped_at: Option<usize>,
}

impl Observed {
    /// The record a job returns for them: `observed` (the step numbers and one entry per item)
    /// and `stopped_at` (the last step run when `stop` ended the loop, else absent).
    pub fn into_fields(self) -> Vec<(String, Value)> {
        let mut observed = vec![("step".to_string(), Value::vector(self.steps))];
        for (name, values) in self.columns {
            observed.push((name, crate::eval::args::collect_values(values)));
        }
        let mut out = vec![("observed".to_string(), Value::record(observed))];
        if let Some(s) = self.stopped_at {
            out.push(("stopped_at".into(), Value::Num(s as f64)));
        }
        out
    }
}

/// Run `steps` steps: `step(k)` advances the state to after step k (1-based) and returns the
/// scope values; the observers run every `observe.every` steps and `stop` after each step.
pub fn run_steps(
    ev: &Evaluator,
    f: &Fields,
    frame: &mut Frame,
    steps: usize,
    mut step: impl FnMut(usize) -> Result<Vec<Value>>,
) -> Result<Observed> {
    let every = observe_every(ev, f, frame)?;
    let items = f.get("observe");
    let names = item_names(items);
    let mut out = Observed {
        steps: Vec::new(),
        columns: names.into_iter().map(|n| (n, Vec::new())).collect(),
        stopped_at: None,
    };
    for k in 1..=steps {
        ev.check_interrupt(f.span)?;
        let scope = step(k)?;
        let base = frame.locals.len();
        frame.locals.extend(scope);
        let seen = observe_at(ev, f, frame, k, every, &mut out);
        let stop = seen.and_then(|()| stop_holds(ev, f, frame));
        frame.locals.truncate(base);
        if stop? {
            out.stopped_at = Some(k);
            break;
        }
    }
    Ok(out)
}

fn observe_every(ev: &Evaluator, f: &Fields, frame: &mut Frame) -> Result<Option<usize>> {
    let Some(field) = f.get("observe.every") else {
        return Ok(None);
    };
    let v = ev.eval(&field.code, frame)?;
    Ok(Some(crate::eval::args::count(&v, "every", field.span)?))
}

fn item_names(items: Option<&crate::ir::plan::JobField>) -> Vec<String> {
    match items.map(|i| &i.code) {
        Some(crate::ir::code::Code::Record(fields)) => {
            fields.iter().map(|(n, _)| n.clone()).collect()
        }
        _ => Vec::new(),
    }
}

fn observe_at(
    ev: &Evaluator,
    f: &Fields,
    frame: &mut Frame,
    k: usize,
    every: Option<usize>,
    out: &mut Observed,
) -> Result<()> {
    let (Some(every), Some(items)) = (every, f.get("observe")) else {
        return Ok(());
    };
    if !k.is_multiple_of(every) {
        return Ok(());
    }
    let Value::Record(values) = ev.eval(&items.code, frame)? else {
        return Ok(());
    };
    out.steps.push(k as f64);
    for ((_, column), (_, v)) in out.columns.iter_mut().zip(values.iter()) {
        column.push(v.clone());
    }
    Ok(())
}

fn stop_holds(ev: &Evaluator, f: &Fields, frame: &mut Frame) -> Result<bool> {
    let Some(field) = f.get("stop") else {
        return Ok(false);
    };
    match ev.eval(&field.code, frame)? {
        Value::Bool(b) => Ok(b),
        other => Err(RunError::new(
            field.span,
            format!(
                "`stop when` needs a condition, but this is {}",
                other.describe()
            ),
        )
        .code(ErrorCode::RunType)),
    }
}
