//! The step loop of a stepping job, owned by one executor that calls the block's observers:
//! `observe every k { name = expr ... }` is evaluated after every k-th step and its values are
//! kept as columns, and `stop when cond` ends the loop after the first step at which it holds.
//! Both see the kind's scope names (its schema's `scope`, in that order) bound to the job's
//! state after the step. A kind that steps (`train`, the toy walk of the tests) hands the
//! executor a [`Stepper`]: it advances the state by one step, and gives the scope values only
//! where they are read, so a step costs no values that nobody looks at.

use super::fields::Fields;
use crate::diag::ErrorCode;
use crate::eval::error::{Result, RunError};
use crate::eval::state::{Evaluator, Frame};
use crate::ir::value::Value;
use crate::progress::Tally;

/// What the observers saw: the steps observed, each item's values there, and the step the
/// loop ended after early (if it did) with the reason.
pub struct Observed {
    pub steps: Vec<f64>,
    pub columns: Vec<(String, Vec<Value>)>,
    pub stopped_at: Option<usize>,
    /// Why the loop ended early: "stop when" (the condition held) or the stepper's reason
    /// (a training run that diverged).
    pub reason: Option<String>,
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

/// A stepping job as the executor drives it.
pub trait Stepper {
    /// Advance the state to after step k (1-based); `Ok(Some(reason))` ends the loop there
    /// (a training run that diverged: recorded, not an error).
    fn advance(&mut self, k: usize) -> Result<Option<String>>;
    /// The scope values (the kind's `scope` names, in order, then one per rebinding field)
    /// after step k (k = 0: the start), or why the run cannot go on (`Err(reason)` inside:
    /// a training run whose loss is no longer finite ends there, recorded, not an error).
    fn scope(&mut self, k: usize) -> Result<std::result::Result<Vec<Value>, String>>;
}

/// When the executor evaluates `stop when` and whether it observes the starting state.
#[derive(Debug, Clone, Copy)]
pub struct Cadence {
    /// `stop when` after every step (its scope is cheap), or only where the observers run
    /// (every step when there are none).
    pub stop_every_step: bool,
    /// Observe at step 0 too (the initial state).
    pub observe_start: bool,
}

/// Run `steps` steps of `stepper`: the observers run every `observe.every` steps and `stop`
/// as the cadence says, both with the scope bound after the frame's locals. Each step is
/// counted in `done`, and the steps left out when the loop ends early too.
pub fn run_steps(
    ev: &Evaluator,
    f: &Fields,
    frame: &mut Frame,
    (steps, done): (usize, &mut Tally),
    cadence: Cadence,
    stepper: &mut impl Stepper,
) -> Result<Observed> {
    let every = observe_every(ev, f, frame)?;
    let names = item_names(f.get("observe"));
    let mut out = Observed {
        steps: Vec::new(),
        columns: names.into_iter().map(|n| (n, Vec::new())).collect(),
        stopped_at: None,
        reason: None,
    };
    let (observes, stops) = (f.get("observe").is_some(), f.get("stop").is_some());
    let first = if cadence.observe_start { 0 } else { 1 };
    for k in first..=steps {
        ev.check_interrupt(f.span)?;
        if k > 0 {
            let ended = stepper.advance(k)?;
            done.one();
            if let Some(reason) = ended {
                out.stopped_at = Some(k);
                out.reason = Some(reason);
                break;
            }
        }
        let observing = observes && every.is_some_and(|e| k.is_multiple_of(e));
        let stopping = stops && k > 0 && (cadence.stop_every_step || observing || every.is_none());
        if !observing && !stopping {
            continue;
        }
        let scope = match stepper.scope(k)? {
            Ok(values) => values,
            Err(reason) => {
                out.stopped_at = Some(k);
                out.reason = Some(reason);
                break;
            }
        };
        let base = frame.locals.len();
        frame.locals.extend(scope);
        let seen = if observing {
            observe_at(ev, f, frame, k, &mut out)
        } else {
            Ok(())
        };
        let stop = match (seen, stopping) {
            (Ok(()), true) => stop_holds(ev, f, frame),
            (Ok(()), false) => Ok(false),
            (Err(e), _) => Err(e),
        };
        frame.locals.truncate(base);
        if stop? {
            out.stopped_at = Some(k);
            out.reason = Some("stop when".into());
            break;
        }
    }
    done.add((steps - out.stopped_at.unwrap_or(steps)) as u64);
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
    out: &mut Observed,
) -> Result<()> {
    let Some(items) = f.get("observe") else {
        return Ok(());
    };
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
