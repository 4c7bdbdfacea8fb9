//! The `coulomb_gas` kind: reads its fields and runs [`crate::backend::coulomb`].

use super::fields::Fields;
use crate::backend::coulomb::{self, CoulombConfig, Method, BETAS};
use crate::backend::rng::Rng;
use crate::backend::BackendError;
use crate::diag::ErrorCode;
use crate::eval::compile::{Bind, ScalarFn};
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
        step_func("drift", &["x", "i", "xs?"], true, "per-eigenvalue drift K_i(x), or K_i(x, xs) seeing the whole spectrum xs (e.g. a mean-field term `mean(xs) - x`)"),
        step_func("noise", &["x?", "i"], false, "noise strength g̃_i (default 1): `noise(i) = ...`, or `noise(x, i) = ...` depending on eigenvalue i's value x (Itô, taken at the start of each step; eigenvalue method only)"),
        f("lr", false, "learning rate α (discrete SGD form)"),
        f("batch", false, "batch size |B| (discrete SGD form)"),
        f("dt", false, "time step (continuous form)"),
        f("until", false, "final time (continuous form)"),
        f("steps", false, "number of steps"),
        f("init", true, "initial spectrum: a distribution, eigvals(...) or explicit values"),
        f("runs", false, "independent runs"),
        choice("method", Method::NAMES, "\"eigenvalues\" (default: the eigenvalue SDE) or \"matrix\" (a symmetric matrix diagonalised each step, exact repulsion, O(N³) a step)"),
        f("every", false, "record the spectra every k steps (as `history`)"),
        f("beta", false, "Dyson index β = 1, 2 or 4 (default 1): repulsion β g²/(x_i − x_j), stationary law ∝ Π|x_i − x_j|^β e^{−ΣV/g²}; the matrix method evolves a real symmetric, complex Hermitian or quaternion self-dual matrix"),
    ],
    scope: &[],
    per_draw: false,
    runs_are_draws: false,
    rebinds: &[],
    pairings: &[],
    doc: "Dyson Brownian motion / stochastic Coulomb gas of eigenvalues",
    example: r#"coulomb_gas gas {
    eigenvalues = 10
    drift(x, i) = -x
    dt = 0.001
    until = 2
    init = uniform(-0.5, 0.5)
    runs = 20
}
report r { m2 = moment(flatten(gas.final), 2) }"#,
};

/// The kind in the registry.
pub static KIND: Kind = Kind {
    schema: &SCHEMA,
    run: Some(run),
    realize: None,
};

fn run(ev: &Evaluator, f: &Fields, frame: &mut Frame) -> Result<Value> {
    ev.coulomb_gas(f.id, f, frame)
}

/// The noise field: constant strengths g̃_i, or a compiled g̃(x, i).
enum Noise {
    Constant(Vec<f64>),
    State(ScalarFn),
}

impl Evaluator<'_> {
    /// `method = "eigenvalues"` (the default, recorded) or `"matrix"`.
    fn method(&self, f: &Fields, frame: &mut Frame) -> Result<Method> {
        self.choice(f, "method", frame)
    }

    /// `drift(x, i)` compiled to a closure of (x, i), or `drift(x, i, xs)` of (x, i, xs₀, …,
    /// xs_{N−1}) with xs the whole spectrum at the start of the step (then `true`).
    fn drift(&self, f: &Fields, n: usize, frame: &Frame) -> Result<(ScalarFn, bool)> {
        let field = f
            .get("drift")
            .ok_or_else(|| f.missing("`drift(x, i) = ...`"))?;
        let whole = field.params == Some(3);
        let mut binds = vec![Bind::Scalar(0), Bind::Scalar(1)];
        if whole {
            binds.push(Bind::Vector { start: 2, len: n });
        }
        let c = self.compile_fn(&field.code, &binds, field.span, frame)?;
        match (c.matrix, c.fs.as_slice()) {
            (None, [one]) => Ok((one.clone(), whole)),
            _ => Err(RunError::new(field.span, "the drift of an eigenvalue is one number")
                .code(ErrorCode::RunShape)
                .help("write `drift(x, i) = ...` for eigenvalue i at x; `xs` is the whole spectrum")),
        }
    }

    /// `beta = 1, 2 or 4` (default 1, recorded); any other value is refused at the field.
    fn dyson_index(&self, f: &Fields, frame: &mut Frame) -> Result<u32> {
        let b = self.field_num(f, "beta", Some(1.0), frame)?.unwrap_or(1.0);
        match BETAS.iter().find(|&&k| f64::from(k) == b) {
            Some(&k) => Ok(k),
            None => Err(RunError::new(
                f.get("beta").map_or(f.span, |x| x.span),
                format!("the Dyson index `beta` must be 1, 2 or 4, but is {b}"),
            )
            .code(ErrorCode::RunField)
            .help("β = 1: real symmetric (GOE) repulsion; 2: complex Hermitian (GUE); 4: quaternion self-dual (GSE)")),
        }
    }

    /// Noise strengths g̃_i: `noise(i) = ...`, `noise(x, i) = ...` (state-dependent), a number,
    /// a vector of N numbers, or 1.
    fn noise(&self, f: &Fields, n: usize, frame: &mut Frame) -> Result<Noise> {
        let Some(field) = f.get("noise") else {
            self.record_default("coulomb_gas.noise", f.span, "1".into());
            return Ok(Noise::Constant(vec![1.0; n]));
        };
        let compile = |p: usize, frame: &mut Frame| {
            let locals = vec![Value::Num(0.0); p];
            let mut inner = Frame {
                draw: frame.draw,
                locals,
            };
            self.compile_scalar(&field.code, p, field.span, &mut inner)
        };
        let g: Vec<f64> = match (field.params, self.eval(&field.code, frame)) {
            (Some(2), _) => return Ok(Noise::State(compile(2, frame)?)),
            (Some(p), _) => {
                let fun = compile(p, frame)?;
                (0..n).map(|i| fun(&[i as f64])).collect()
            }
            (None, Ok(Value::Num(x))) => vec![x; n],
            (None, Ok(Value::Vector(v))) if v.len() == n => v.to_vec(),
            (None, Ok(other)) => {
                return Err(RunError::new(
                    field.span,
                    format!(
                        "`noise` must be a number, {n} numbers, `noise(i) = ...` or `noise(x, i) = ...`, but is {}",
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
        Ok(Noise::Constant(g))
    }

    /// The settings of the ensemble (everything but drift, noise function and init).
    fn coulomb_config(
        &self,
        id: usize,
        f: &Fields,
        frame: &mut Frame,
    ) -> Result<(CoulombConfig, f64, &'static str)> {
        let n = self
            .field_count(f, "eigenvalues", None, frame)?
            .ok_or_else(|| f.missing("`eigenvalues`"))?;
        let runs = self.field_count(f, "runs", Some(1.0), frame)?.unwrap_or(1);
        let method = self.method(f, frame)?;
        let beta = self.dyson_index(f, frame)?;
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
        let cfg = CoulombConfig {
            n,
            dt,
            steps,
            g: vec![0.0; n],
            runs,
            seed: self.seed,
            point: self.point,
            label: self.plan.globals[id].name.clone(),
            max_depth: 80,
            method,
            every,
            beta,
        };
        Ok((cfg, scale, form))
    }

    fn coulomb_gas(&self, id: usize, f: &Fields, frame: &mut Frame) -> Result<Value> {
        let (mut cfg, scale, form) = self.coulomb_config(id, f, frame)?;
        let noise = self.noise(f, cfg.n, frame)?;
        let state_noise = match &noise {
            Noise::Constant(g) => {
                cfg.g = g.iter().map(|x| x * scale).collect();
                None
            }
            Noise::State(fun) => {
                if cfg.method == Method::Matrix {
                    return Err(matrix_state_noise(f));
                }
                Some(fun.clone())
            }
        };
        let scaled = state_noise
            .as_ref()
            .map(|fun| move |x: f64, i: usize| scale * fun(&[x, i as f64]));
        let (drift, whole) = self.drift(f, cfg.n, frame)?;
        let init_field = f.get("init").ok_or_else(|| f.missing("`init`"))?;
        let init = self.eval(&init_field.code, frame)?;
        let n = cfg.n;
        let init_fn = |_run: usize, rng: &mut Rng| initial_spectrum(&init, n, rng);
        let drift_fn = |x: f64, i: usize, xs: &[f64]| {
            if whole {
                let params: Vec<f64> = [x, i as f64]
                    .into_iter()
                    .chain(xs.iter().copied())
                    .collect();
                drift(&params)
            } else {
                drift(&[x, i as f64])
            }
        };
        let noise_ref = scaled.as_ref().map(|g| g as coulomb::StateNoise);
        let watch = self.watch(id, f.kind);
        let out =
            coulomb::run_ensemble(&cfg, &drift_fn, noise_ref, &init_fn, &watch).map_err(|e| {
                let span = e.field().and_then(|n| f.get(n)).map_or(f.span, |x| x.span);
                RunError::backend(span, &e, ErrorCode::RunCoulombGas)
            })?;
        Ok(outcome_record(&cfg, &out, form, state_noise.is_some()))
    }
}

/// `noise(x, i)` with `method = "matrix"`: refused at the field, with the reason.
fn matrix_state_noise(f: &Fields) -> RunError {
    let span = f.get("noise").map_or(f.span, |x| x.span);
    RunError::new(span, "the matrix method cannot take a noise that depends on the eigenvalue")
        .code(ErrorCode::RunField)
        .help("a matrix noise g(H) would rotate with the eigenbasis and add Itô terms to the eigenvalue SDE that the eigenvalue method does not have; use method = \"eigenvalues\" (the default) for `noise(x, i)`, or a constant noise with the matrix method")
}

/// The result record: final spectra (runs × N), their mean, the history (see
/// docs/language.md), the record times and the settings used.
fn outcome_record(
    cfg: &CoulombConfig,
    out: &coulomb::CoulombOutcome,
    form: &str,
    state_noise: bool,
) -> Value {
    let (runs, n) = (cfg.runs, cfg.n);
    let finals = Mat::from_fn(runs, n, |r, i| out.finals[r][i]);
    let history = Mat::from_fn(out.history.len(), n, |r, i| out.history[r][i]);
    let record_times: Vec<f64> = match cfg.every {
        Some(k) => (1..=cfg.steps / k)
            .map(|m| (m * k) as f64 * cfg.dt)
            .collect(),
        None => Vec::new(),
    };
    let mean: Vec<f64> = (0..n)
        .map(|i| out.finals.iter().map(|x| x[i]).sum::<f64>() / runs as f64)
        .collect();
    let method = if cfg.method == Method::Matrix {
        "matrix"
    } else {
        "eigenvalues"
    };
    let g = if state_noise {
        Vec::new()
    } else {
        cfg.g.clone()
    };
    Value::record(vec![
        ("final".into(), Value::Matrix(Arc::new(finals))),
        ("mean".into(), Value::vector(mean)),
        ("history".into(), Value::Matrix(Arc::new(history))),
        ("times".into(), Value::vector(record_times)),
        ("form".into(), Value::Str(form.into())),
        ("method".into(), Value::Str(method.into())),
        ("beta".into(), Value::Num(f64::from(cfg.beta))),
        ("dt".into(), Value::Num(cfg.dt)),
        ("steps".into(), Value::Num(cfg.steps as f64)),
        ("runs".into(), Value::Num(runs as f64)),
        ("g".into(), Value::vector(g)),
        ("refined_steps".into(), Value::Num(out.refined_steps as f64)),
    ])
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
