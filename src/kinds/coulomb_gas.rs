//! The `coulomb_gas` kind: reads its fields and runs [`crate::backend::coulomb`].

use super::fields::Fields;
use crate::backend::coulomb::{self, CoulombConfig, Method};
use crate::backend::rng::Rng;
use crate::backend::BackendError;
use crate::diag::ErrorCode;
use crate::eval::error::{Result, RunError};
use crate::eval::state::{Evaluator, Frame};
use crate::ir::value::Value;
use faer::Mat;
use std::sync::Arc;

use super::kind::Kind;
use crate::schema::{choice, f, step_func, Choice, Form, KindSchema};
/// The schema of `coulomb_gas` blocks.
pub static SCHEMA: KindSchema = KindSchema {
    name: "coulomb_gas",
    form: Form::Block,
    fields: &[
        f("eigenvalues", true, "number of eigenvalues N"),
        step_func("drift", &["x", "i"], true, "per-eigenvalue drift K_i(x)"),
        step_func("noise", &["i"], false, "noise strength g̃_i (default 1)"),
        f("lr", false, "learning rate α (discrete SGD form)"),
        f("batch", false, "batch size |B| (discrete SGD form)"),
        f("dt", false, "time step (continuous form)"),
        f("until", false, "final time (continuous form)"),
        f("steps", false, "number of steps"),
        f("init", true, "initial spectrum: a distribution, eigvals(...) or explicit values"),
        f("runs", false, "independent runs"),
        choice("method", Method::NAMES, "\"eigenvalues\" (default: the eigenvalue SDE) or \"matrix\" (a symmetric matrix diagonalised each step, exact repulsion, O(N³) a step)"),
        f("every", false, "record the spectra every k steps (as `history`)"),
    ],
    scope: &[],
    per_draw: false,
    doc: "Dyson Brownian motion / stochastic Coulomb gas of eigenvalues",
};

/// The kind in the registry.
pub static KIND: Kind = Kind {
    schema: &SCHEMA,
    run: Some(run),
};

fn run(ev: &Evaluator, f: &Fields, frame: &mut Frame) -> Result<Value> {
    ev.coulomb_gas(f.id, f, frame)
}

impl Evaluator<'_> {
    /// `method = "eigenvalues"` (the default, recorded) or `"matrix"`.
    fn method(&self, f: &Fields, frame: &mut Frame) -> Result<Method> {
        self.choice(f, "method", frame)
    }

    /// Noise strengths g̃_i: `noise(i) = ...`, a number, a vector of N numbers, or 1.
    fn noise(&self, f: &Fields, n: usize, frame: &mut Frame) -> Result<Vec<f64>> {
        let Some(field) = f.get("noise") else {
            self.record_default("coulomb_gas.noise", f.span, "1".into());
            return Ok(vec![1.0; n]);
        };
        let g: Vec<f64> = match (field.params, self.eval(&field.code, frame)) {
            (Some(p), _) => {
                let fun = self.compile_scalar(
                    &field.code,
                    p,
                    field.span,
                    &mut Frame {
                        draw: frame.draw,
                        locals: vec![Value::Num(0.0); p],
                    },
                )?;
                (0..n).map(|i| fun(&[i as f64])).collect()
            }
            (None, Ok(Value::Num(x))) => vec![x; n],
            (None, Ok(Value::Vector(v))) if v.len() == n => v.to_vec(),
            (None, Ok(other)) => {
                return Err(RunError::new(
                    field.span,
                    format!(
                        "`noise` must be a number, {n} numbers or `noise(i) = ...`, but is {}",
                        other.describe()
                    ),
                ))
            }
            (None, Err(e)) => return Err(e),
        };
        if let Some(i) = g.iter().position(|x| !(x.is_finite() && *x >= 0.0)) {
            return Err(RunError::new(
                field.span,
                format!(
                    "noise of eigenvalue {i} is {}; it must be finite and ≥ 0",
                    g[i]
                ),
            )
            .code(ErrorCode::RunField));
        }
        Ok(g)
    }

    fn coulomb_gas(&self, id: usize, f: &Fields, frame: &mut Frame) -> Result<Value> {
        let n = self
            .field_count(f, "eigenvalues", None, frame)?
            .ok_or_else(|| f.missing("`eigenvalues`"))?;
        let runs = self.field_count(f, "runs", Some(1.0), frame)?.unwrap_or(1);
        let method = self.method(f, frame)?;
        let every = self.field_count(f, "every", None, frame)?;
        let (dt, steps, scale, form) = self.time_grid(f, frame)?;
        let finals = runs as f64 * n as f64;
        crate::limits::check_elements("the final states (runs × eigenvalues)", finals)
            .map_err(|m| RunError::new(f.get("runs").map_or(f.span, |e| e.span), m))?;
        if let Some(k) = every {
            let values = finals * (steps / k) as f64;
            let what = "the history (runs × steps/every × eigenvalues)";
            crate::limits::check_elements(what, values).map_err(|m| {
                RunError::new(f.get("every").map_or(f.span, |e| e.span), m)
                    .code(ErrorCode::RunField)
                    .help("record less often: raise `every`")
            })?;
        }
        let g: Vec<f64> = self.noise(f, n, frame)?.iter().map(|x| x * scale).collect();
        let drift_field = f
            .get("drift")
            .ok_or_else(|| f.missing("`drift(x, i) = ...`"))?;
        let drift = self.compile_scalar(
            &drift_field.code,
            2,
            drift_field.span,
            &mut Frame {
                draw: frame.draw,
                locals: vec![Value::Num(0.0); 2],
            },
        )?;
        let init_field = f.get("init").ok_or_else(|| f.missing("`init`"))?;
        let init = self.eval(&init_field.code, frame)?;
        let name = self.plan.globals[id].name.clone();
        let cfg = CoulombConfig {
            n,
            dt,
            steps,
            g: g.clone(),
            runs,
            seed: self.seed,
            point: self.point,
            label: name,
            max_depth: 80,
            method,
            every,
        };
        let init_fn = |_run: usize, rng: &mut Rng| initial_spectrum(&init, n, rng);
        let drift_fn = |x: f64, i: usize| drift(&[x, i as f64]);
        let out = coulomb::run_ensemble(&cfg, &drift_fn, &init_fn, &self.interrupt)
            .map_err(|e| RunError::backend(f.span, &e, ErrorCode::RunCoulombGas))?;
        let finals = Mat::from_fn(runs, n, |r, i| out.finals[r][i]);
        let history = Mat::from_fn(out.history.len(), n, |r, i| out.history[r][i]);
        let record_times: Vec<f64> = match every {
            Some(k) => (1..=steps / k).map(|m| (m * k) as f64 * dt).collect(),
            None => Vec::new(),
        };
        let mean: Vec<f64> = (0..n)
            .map(|i| out.finals.iter().map(|x| x[i]).sum::<f64>() / runs as f64)
            .collect();
        Ok(Value::record(vec![
            ("final".into(), Value::Matrix(Arc::new(finals))),
            ("mean".into(), Value::vector(mean)),
            ("history".into(), Value::Matrix(Arc::new(history))),
            ("times".into(), Value::vector(record_times)),
            ("form".into(), Value::Str(form.into())),
            (
                "method".into(),
                Value::Str(
                    if method == Method::Matrix {
                        "matrix"
                    } else {
                        "eigenvalues"
                    }
                    .into(),
                ),
            ),
            ("dt".into(), Value::Num(dt)),
            ("steps".into(), Value::Num(steps as f64)),
            ("runs".into(), Value::Num(runs as f64)),
            ("g".into(), Value::vector(g)),
            ("refined_steps".into(), Value::Num(out.refined_steps as f64)),
        ]))
    }
}

/// N starting eigenvalues: sampled from a distribution, or given explicitly.
fn initial_spectrum(
    init: &Value,
    n: usize,
    rng: &mut Rng,
) -> std::result::Result<Vec<f64>, BackendError> {
    match init {
        Value::Dist(d) => Ok((0..n).map(|_| d.sample(rng)).collect()),
        Value::Vector(v) if v.len() == n => Ok(v.to_vec()),
        other => Err(BackendError::Invalid(format!(
            "`init` must be a distribution or {n} numbers, but is {}",
            other.describe()
        ))),
    }
}
