//! The `sde` kind: reads its fields, compiles drift and diffusion once into closures of
//! (x₀, …, x_{d−1}, t), and runs [`crate::backend::sde`].
//!
//! Results: `final` (runs × d), `times`, `mean` and `variance` (records × d: per recorded time
//! and component, over runs), for d = 1 `paths` (P × records, the first P = min(runs,
//! ⌊10⁷/records⌋) runs), and the settings used. Memory stays bounded: records × d ≤ 10⁶ is
//! required, and trajectories are held for one chunk of runs at a time.

use super::fields::{field_error, Fields};
use crate::backend::rng::Rng;
use crate::backend::sde::{self, Calculus, Scheme, SdeConfig, SdeOutcome};
use crate::backend::sde_matrix::MatrixStepper;
use crate::diag::ErrorCode;
use crate::eval::compile::{Bind, ScalarFn};
use crate::eval::error::{Result, RunError};
use crate::eval::state::{Evaluator, Frame};
use crate::ir::value::Value;
use faer::Mat;
use std::sync::Arc;

use super::kind::Kind;
use crate::schema::{choice, f, step_func, Choice, Form, KindSchema};
/// The schema of `sde` blocks.
pub static SCHEMA: KindSchema = KindSchema {
    name: "sde",
    form: Form::Block,
    fields: &[
        f(
            "dim",
            false,
            "dimension d of the state (default: from `init`, else 1)",
        ),
        step_func(
            "drift",
            &["x", "t"],
            true,
            "drift a(x, t): one entry per component, `[-x[0], x[0] - x[1]]`",
        ),
        step_func(
            "diffusion",
            &["x", "t"],
            true,
            "noise b(x, t): one entry per component (diagonal noise), one for all, or a d × m matrix B (m Wiener processes, `reshape([...], d)` or a constant matrix)",
        ),
        f(
            "init",
            true,
            "initial state: a number, d numbers, or a distribution sampled per run and component",
        ),
        f("dt", true, "time step"),
        f("until", false, "final time (or `steps`)"),
        f("steps", false, "number of steps (or `until`)"),
        choice(
            "scheme",
            Scheme::NAMES,
            "\"euler_maruyama\" (default), \"milstein\" or \"srk\" (Platen's weak order 2)",
        ),
        choice(
            "calculus",
            Calculus::NAMES,
            "\"ito\" (default) or \"stratonovich\"",
        ),
        f("runs", false, "independent trajectories (default 1)"),
        f(
            "every",
            false,
            "record every k steps (default: about 100 records)",
        ),
    ],
    scope: &[],
    per_draw: false,
    runs_are_draws: false,
    rebinds: &[],
    pairings: &[],
    doc: "a stochastic differential equation dX = a(X, t) dt + B(X, t) dW, with diagonal noise or a d × m noise matrix",
    example: r#"sde ou {
    drift(x, t) = -x
    diffusion(x, t) = 1
    init = 0
    dt = 0.01
    until = 5
    runs = 200
}
report r { v = variance(ou.final) vs 0.5 }"#,
};

/// The kind in the registry.
pub static KIND: Kind = Kind {
    schema: &SCHEMA,
    run: Some(run),
    realize: None,
};

fn run(ev: &Evaluator, f: &Fields, frame: &mut Frame) -> Result<Value> {
    ev.sde(f.id, f, frame)
}

/// The diffusion: d entries (diagonal noise, one Wiener process per component) or a d × m
/// matrix, row by row.
enum Coefficient {
    Entries(Vec<ScalarFn>),
    Matrix { noises: usize, fs: Vec<ScalarFn> },
}

/// Largest records × d kept for the per-time statistics.
const MAX_RECORDED: usize = 1_000_000;
/// Largest number of path entries kept (d = 1).
const MAX_PATH_ENTRIES: usize = 10_000_000;

impl Evaluator<'_> {
    /// The initial state's value and the dimension d (from `dim`, else from `init`, else 1).
    fn sde_dim(&self, f: &Fields, frame: &mut Frame) -> Result<(Value, usize)> {
        let init_field = f.get("init").ok_or_else(|| f.missing("`init`"))?;
        let init = self.eval(&init_field.code, frame)?;
        let given = self.field_count(f, "dim", None, frame)?;
        let d = match (&init, given) {
            (_, Some(0)) => {
                return Err(field_error(
                    f.get("dim").map_or(f.span, |x| x.span),
                    "`dim` must be at least 1".into(),
                ))
            }
            (Value::Vector(v), Some(d)) if v.len() != d => {
                return Err(field_error(
                    init_field.span,
                    format!("`init` has {} numbers but `dim` is {d}", v.len()),
                ))
            }
            (Value::Num(_) | Value::Dist(_), Some(d)) | (Value::Vector(_), Some(d)) => d,
            (Value::Vector(v), None) if !v.is_empty() => v.len(),
            (Value::Num(_) | Value::Dist(_), None) => {
                self.record_default("sde.dim", f.span, "1".into());
                1
            }
            (other, _) => {
                return Err(field_error(
                    init_field.span,
                    format!(
                        "`init` must be a number, a vector of numbers or a distribution, but is {}",
                        other.describe()
                    ),
                ))
            }
        };
        Ok((init, d))
    }

    /// `drift(x, t)` or `diffusion(x, t)` compiled to closures of (x₀, …, x_{d−1}, t): d
    /// entries; for the diffusion (`noise`) also one expression for all components, or a
    /// d × m matrix (m Wiener processes).
    fn state_field(
        &self,
        f: &Fields,
        name: &str,
        d: usize,
        noise: bool,
        frame: &mut Frame,
    ) -> Result<Coefficient> {
        let field = f
            .get(name)
            .ok_or_else(|| f.missing(&format!("`{name}(x, t) = ...`")))?;
        let x = match d {
            1 => Bind::Scalar(0),
            _ => Bind::Vector { start: 0, len: d },
        };
        let c = self.compile_fn(&field.code, &[x, Bind::Scalar(d)], field.span, frame)?;
        match (c.matrix, c.fs.len()) {
            (Some((r, m)), _) if noise && r == d => Ok(Coefficient::Matrix { noises: m, fs: c.fs }),
            (Some((r, m)), _) => Err(RunError::new(field.span, format!("`{name}` gives a {r}×{m} matrix but the state has {d} components"))
                .code(ErrorCode::RunShape)
                .label(format!("{r}×{m}"))
                .help(if noise {
                    format!("a noise matrix has one row per component ({d}) and one column per Wiener process")
                } else {
                    format!("give one entry per component: `[..., ...]` with {d} entries")
                })),
            (None, n) if n == d => Ok(Coefficient::Entries(c.fs)),
            (None, 1) if noise => Ok(Coefficient::Entries(vec![c.fs[0].clone(); d])),
            (None, n) => Err(RunError::new(
                field.span,
                format!(
                    "`{name}` gives {n} component{} but the state has {d}",
                    if n == 1 { "" } else { "s" }
                ),
            )
            .code(ErrorCode::RunShape)
            .label(format!("{n} ≠ {d}"))
            .help(if noise {
                format!("give one entry per component, `[..., ...]` with {d} entries, one expression for all, or a {d} × m noise matrix")
            } else {
                format!("give one entry per component: `[..., ...]` with {d} entries")
            })),
        }
    }

    /// Time grid, recording, ensemble size, scheme and calculus (defaults recorded).
    fn sde_config(&self, id: usize, f: &Fields, d: usize, frame: &mut Frame) -> Result<SdeConfig> {
        let dt = self.field_num(f, "dt", None, frame)?.unwrap_or(f64::NAN);
        if dt.is_nan() || dt <= 0.0 {
            let span = f.get("dt").map_or(f.span, |x| x.span);
            return Err(field_error(span, format!("`dt` must be > 0, but is {dt}")));
        }
        let steps = self.steps(f, dt, frame)?;
        let default_every = (steps as f64 / 100.0).ceil().max(1.0);
        let every = self
            .field_count(f, "every", Some(default_every), frame)?
            .unwrap_or(1);
        let runs = self.field_count(f, "runs", Some(1.0), frame)?.unwrap_or(1);
        if every == 0 || runs == 0 {
            return Err(f.missing("`every` ≥ 1 and `runs` ≥ 1"));
        }
        let finals = runs as f64 * d as f64;
        crate::limits::check_elements("the final states (runs × components)", finals).map_err(
            |m| {
                field_error(f.get("runs").map_or(f.span, |x| x.span), m)
                    .code(ErrorCode::RunTooLarge)
            },
        )?;
        let records = steps / every + 1;
        if records * d > MAX_RECORDED {
            let span = f.get("every").map_or(f.span, |x| x.span);
            return Err(field_error(span, format!("recording {records} times of {d} components is more than the {MAX_RECORDED} values kept"))
                .help(format!("raise `every` to at least {}", (steps * d).div_ceil(MAX_RECORDED - d).max(1))));
        }
        let scheme: Scheme = self.choice(f, "scheme", frame)?;
        let calculus: Calculus = self.choice(f, "calculus", frame)?;
        Ok(SdeConfig {
            dim: d,
            dt,
            steps,
            every,
            runs,
            scheme,
            calculus,
            seed: self.seed,
            point: self.point,
            label: self.plan.globals[id].name.clone(),
            keep_paths: if d == 1 {
                runs.min(MAX_PATH_ENTRIES / records)
            } else {
                0
            },
        })
    }

    fn sde(&self, id: usize, f: &Fields, frame: &mut Frame) -> Result<Value> {
        let (init, d) = self.sde_dim(f, frame)?;
        let cfg = self.sde_config(id, f, d, frame)?;
        let Coefficient::Entries(drift) = self.state_field(f, "drift", d, false, frame)? else {
            return Err(f.missing("a drift with one entry per component"));
        };
        let diffusion = self.state_field(f, "diffusion", d, true, frame)?;
        self.check_init(&init, d, f)?;
        let init_fn = |_run: usize, rng: &mut Rng| Ok(initial_state(&init, d, rng));
        let a = apply(&drift);
        let watch = self.watch(id, f.kind);
        let (out, noises) = match &diffusion {
            Coefficient::Entries(b) => {
                let b = apply(b);
                (sde::run_ensemble(&cfg, &a, &b, &init_fn, &watch), None)
            }
            Coefficient::Matrix { noises, fs } => {
                let b = apply(fs);
                let make = || MatrixStepper::new(d, *noises, cfg.scheme, cfg.calculus, &a, &b);
                (sde::run_with(&cfg, &make, &init_fn, &watch), Some(*noises))
            }
        };
        let out = out.map_err(|e| match e.field().and_then(|name| f.get(name)) {
            Some(setting) => RunError::backend(setting.span, &e, ErrorCode::RunSde)
                .label(format!("`{}` of this sde", setting.name)),
            None => RunError::backend(f.span, &e, ErrorCode::RunSde).label("integrating this sde"),
        })?;
        Ok(results(&cfg, out, noises))
    }

    /// Explicit initial states must be finite (a distribution's samples are checked per run).
    fn check_init(&self, init: &Value, d: usize, f: &Fields) -> Result<()> {
        let span = f.get("init").map_or(f.span, |x| x.span);
        match init.as_slice() {
            Some(v) if v.iter().any(|x| !x.is_finite()) => {
                Err(field_error(span, "`init` must be finite".into()))
            }
            Some(v) if v.len() != 1 && v.len() != d => Err(field_error(
                span,
                format!("`init` has {} numbers but the state has {d}", v.len()),
            )),
            _ => Ok(()),
        }
    }
}

/// The block's value: final states, recorded times, per-time statistics, paths (d = 1) and
/// the settings used.
fn results(cfg: &SdeConfig, out: SdeOutcome, noises: Option<usize>) -> Value {
    let (d, records) = (cfg.dim, cfg.records());
    let matrix = |rows: usize, v: &[f64]| {
        Value::Matrix(Arc::new(Mat::from_fn(rows, d, |r, i| v[r * d + i])))
    };
    let finals = Mat::from_fn(cfg.runs, d, |r, i| out.finals[r][i]);
    let mut fields = vec![
        ("final".into(), Value::Matrix(Arc::new(finals))),
        ("times".into(), Value::vector(out.times)),
        ("mean".into(), matrix(records, &out.mean)),
        ("variance".into(), matrix(records, &out.variance)),
    ];
    if d == 1 {
        let p = &out.paths;
        let paths = Mat::from_fn(p.len(), records, |r, k| p[r][k]);
        fields.push(("paths".into(), Value::Matrix(Arc::new(paths))));
    }
    fields.extend([
        ("scheme".into(), Value::Str(cfg.scheme.name().into())),
        ("calculus".into(), Value::Str(cfg.calculus.name().into())),
        ("dim".into(), Value::Num(d as f64)),
        ("dt".into(), Value::Num(cfg.dt)),
        ("steps".into(), Value::Num(cfg.steps as f64)),
        ("every".into(), Value::Num(cfg.every as f64)),
        ("runs".into(), Value::Num(cfg.runs as f64)),
    ]);
    if let Some(m) = noises {
        fields.push(("noises".into(), Value::Num(m as f64)));
    }
    Value::record(fields)
}

/// The closure filling `out` with f_i(x, t), from `xt` = (x, t).
fn apply(fs: &[ScalarFn]) -> impl Fn(&[f64], &mut [f64]) + Sync + '_ {
    move |xt: &[f64], out: &mut [f64]| {
        for (o, g) in out.iter_mut().zip(fs) {
            *o = g(xt);
        }
    }
}

/// The starting state of one run: a number for every component, the given d numbers, or d
/// samples of a distribution.
fn initial_state(init: &Value, d: usize, rng: &mut Rng) -> Vec<f64> {
    match init {
        Value::Dist(dist) => (0..d).map(|_| dist.sample(rng)).collect(),
        Value::Num(x) => vec![*x; d],
        Value::Vector(v) => v.to_vec(),
        _ => vec![f64::NAN; d],
    }
}
