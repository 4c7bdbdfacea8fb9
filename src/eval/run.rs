//! Running a plan: every report, every sweep point, then every `expect`.

use super::error::{Result, RunError};
use super::state::Evaluator;
use crate::diag::ErrorCode;
use crate::ir::code::Code;
use crate::ir::outcome::{ExpectResult, Outcome};
use crate::ir::plan::{ExpectPlan, Plan, SweepPlan};
use crate::ir::value::Value;
use crate::number::sig4 as fmt;
use crate::progress::Watch;
use crate::span::Sources;
use crate::syntax::ast::BinOp;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

pub use super::state::Control;

/// Evaluate a plan at one seed, taking job results from `ctl.jobs` where their definitions
/// are unchanged and keeping the new ones there.
pub fn run_plan(plan: &Plan, sources: &Sources, seed: u64, ctl: Control) -> Result<Outcome> {
    let mut ev = Evaluator::new(plan, sources, seed, 0, HashMap::new());
    ev.control(&ctl);
    let mut reports = Vec::new();
    for &id in &plan.reports {
        let g = &plan.globals[id];
        let value = ev.global(id, &ev.top)?;
        super::finite::result("report item", &g.name, &value, g.span)?;
        reports.push((g.name.clone(), value));
    }
    let mut sweeps = Vec::new();
    let mut defaults = ev.defaults.lock().expect("defaults").clone();
    let mut sweep_timings = Vec::new();
    for s in &plan.sweeps {
        let (value, used, times) = run_sweep(plan, sources, seed, s, &ctl)?;
        super::finite::result("sweep", &s.name, &value, s.span)?;
        defaults.extend(used);
        sweep_timings.extend(times);
        sweeps.push((s.name.clone(), value));
    }
    // an `expect` sees the sweeps' results as locals, in the order of the sweeps
    let sweep_values: Vec<Value> = sweeps.iter().map(|(_, v)| v.clone()).collect();
    let mut expects = Vec::new();
    for e in &plan.expects {
        expects.push(check_expect(&ev, e, &sweep_values)?);
    }
    defaults.extend(ev.defaults.lock().expect("defaults").clone());
    let mut timings = ev.timings.lock().map(|t| t.clone()).unwrap_or_default();
    timings.extend(sweep_timings);
    Ok(Outcome {
        reports,
        sweeps,
        expects,
        defaults,
        timings,
        provenance: plan.provenance.clone(),
        jobs: ev.computed_jobs(),
    })
}

/// The cartesian product of the bindings' values, first binding varying slowest.
fn points(lists: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let mut out = vec![Vec::new()];
    for list in lists {
        out = out
            .into_iter()
            .flat_map(|p| list.iter().map(move |&v| [p.clone(), vec![v]].concat()))
            .collect();
    }
    out
}

/// A job's name, kind and wall time in seconds (`--timings`).
type Timing = (String, String, f64);

/// A sweep's value, the defaults its points used, and the jobs its points ran, each named
/// `JOB[point p]`.
fn run_sweep(
    plan: &Plan,
    sources: &Sources,
    seed: u64,
    s: &SweepPlan,
    ctl: &Control,
) -> Result<(Value, BTreeMap<String, String>, Vec<Timing>)> {
    let base = Evaluator::new(plan, sources, seed, 0, HashMap::new());
    let mut lists = Vec::new();
    for (_, name, code) in &s.bindings {
        match base.eval_top(code)? {
            Value::Vector(v) if !v.is_empty() => lists.push(v.to_vec()),
            Value::Num(x) => lists.push(vec![x]),
            other => {
                return Err(RunError::new(
                    s.span,
                    format!(
                        "sweep values of `{name}` must be numbers, but are {}",
                        other.describe()
                    ),
                ))
            }
        }
    }
    let pts = points(&lists);
    let watch = Watch::new(
        ctl.interrupt.clone(),
        ctl.progress.clone(),
        &format!("sweep {}", s.name),
    );
    let meter = watch.meter(pts.len() as u64);
    let results: Vec<PointResult> = pts
        .par_iter()
        .enumerate()
        .map(|(p, values)| {
            let done = run_point(plan, sources, seed, s, p, values, ctl);
            meter.advance(1);
            done
        })
        .collect::<Result<_>>()?;
    drop(meter);
    let mut defaults = BTreeMap::new();
    let mut rows = Vec::new();
    let mut timings = Vec::new();
    for (p, (vals, used, times)) in results.into_iter().enumerate() {
        defaults.extend(used);
        rows.push(vals);
        timings.extend(
            times
                .into_iter()
                .map(|(job, kind, t)| (format!("{job}[point {p}]"), kind, t)),
        );
    }
    sweep_value(&base, s, &pts, rows).map(|v| (v, defaults, timings))
}

/// A sweep point's items, the defaults it used and the jobs it ran.
type PointResult = (Vec<Value>, BTreeMap<String, String>, Vec<Timing>);

fn run_point(
    plan: &Plan,
    sources: &Sources,
    seed: u64,
    s: &SweepPlan,
    p: usize,
    values: &[f64],
    ctl: &Control,
) -> Result<PointResult> {
    let mut overrides = HashMap::new();
    let mut point_seed = seed;
    for ((id, _, _), v) in s.bindings.iter().zip(values) {
        match id {
            Some(id) => {
                overrides.insert(*id, Value::Num(*v));
            }
            None => point_seed = *v as u64,
        }
    }
    let mut ev = Evaluator::new(plan, sources, point_seed, p as u64 + 1, overrides);
    ev.control(ctl);
    let vals = ev.eval_items_top(&s.items)?;
    let used = ev.defaults.lock().expect("defaults").clone();
    let times = ev.timings.lock().map(|t| t.clone()).unwrap_or_default();
    Ok((vals, used, times))
}

/// Points as records, each item as a column, and the summary.
fn sweep_value(
    base: &Evaluator,
    s: &SweepPlan,
    pts: &[Vec<f64>],
    rows: Vec<Vec<Value>>,
) -> Result<Value> {
    let mut locals = Vec::new();
    let mut columns = Vec::new();
    for (k, (_, name, _)) in s.bindings.iter().enumerate() {
        let col = Value::vector(pts.iter().map(|p| p[k]).collect());
        locals.push(col.clone());
        columns.push((name.clone(), col));
    }
    for (k, (name, _)) in s.items.iter().enumerate() {
        let col = column(rows.iter().map(|r| r[k].clone()).collect());
        locals.push(col.clone());
        columns.push((name.clone(), col));
    }
    let mut fields = vec![("points".to_string(), Value::Num(pts.len() as f64))];
    fields.extend(columns);
    if let Some(summary) = &s.summary {
        fields.push(("summary".into(), base.eval_with(summary, locals)?));
    }
    Ok(Value::record(fields))
}

/// A sweep column: a vector when every point gave a number, else a list.
fn column(values: Vec<Value>) -> Value {
    if values.iter().all(|v| matches!(v, Value::Num(_))) {
        return Value::vector(values.iter().filter_map(number).collect());
    }
    Value::List(Arc::new(values))
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Num(x) => Some(*x),
        _ => None,
    }
}

/// An `expect`'s condition, evaluated with the sweeps' results bound as its locals.
fn check_expect(ev: &Evaluator, e: &ExpectPlan, sweeps: &[Value]) -> Result<ExpectResult> {
    let eval = |code: &Code| ev.eval_with(code, sweeps.to_vec());
    let sides = |code: &Code| -> Result<Option<(f64, f64, BinOp)>> {
        if let Code::Binary(op, xy, _) = code {
            if op.is_comparison() {
                let (a, b) = (eval(&xy[0])?, eval(&xy[1])?);
                return Ok(number(&a).zip(number(&b)).map(|(a, b)| (a, b, *op)));
            }
        }
        Ok(None)
    };
    let parts = sides(&e.cond)?;
    let (lhs, rhs) = (parts.map(|p| p.0), parts.map(|p| p.1));
    if let Some((tol_code, relative)) = &e.tolerance {
        let tol = number(&eval(tol_code)?).unwrap_or(f64::NAN);
        let (Some(a), Some(b)) = (lhs, rhs) else {
            return Err(
                RunError::new(e.span, "`within` compares two numbers").code(ErrorCode::RunExpect)
            );
        };
        let allowed = if *relative {
            tol / 100.0 * b.abs()
        } else {
            tol
        };
        let passed = (a - b).abs() <= allowed;
        let detail = format!(
            "|{} − {}| = {} {} {}",
            fmt(a),
            fmt(b),
            fmt((a - b).abs()),
            if passed { "≤" } else { ">" },
            fmt(allowed)
        );
        return Ok(ExpectResult {
            text: e.text.clone(),
            passed,
            lhs,
            rhs,
            detail,
        });
    }
    let passed = match eval(&e.cond)? {
        Value::Bool(b) => b,
        other => {
            return Err(RunError::new(
                e.span,
                format!(
                    "`expect` needs a condition, but this is {}",
                    other.describe()
                ),
            )
            .code(ErrorCode::RunExpect))
        }
    };
    let detail = match parts {
        Some((a, b, op)) => format!("{} {} {}", fmt(a), op.symbol(), fmt(b)),
        None => String::new(),
    };
    Ok(ExpectResult {
        text: e.text.clone(),
        passed,
        lhs,
        rhs,
        detail,
    })
}
