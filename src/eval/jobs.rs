//! Running block declarations (`KIND NAME { ... }`) on their backends.

use super::value::{Dist, Value};
use super::{Evaluator, Frame, Result, RunError};
use crate::backend::coulomb::{self, CoulombConfig};
use crate::backend::rng::Rng;
use crate::backend::BackendError;
use crate::lower::JobField;
use crate::span::Span;
use faer::Mat;
use std::sync::Arc;

/// The fields of one block, with the span of the declaration for errors.
struct Fields<'a> {
    fields: &'a [JobField],
    span: Span,
    kind: &'a str,
}

impl<'a> Fields<'a> {
    fn get(&self, name: &str) -> Option<&'a JobField> {
        self.fields.iter().find(|f| f.name == name)
    }

    fn missing(&self, what: &str) -> RunError {
        RunError::new(self.span, format!("{} needs {what}", self.kind)).code("wmd::run::field")
    }
}

impl Evaluator<'_> {
    pub(super) fn run_job(
        &self,
        id: usize,
        kind: &str,
        fields: &[JobField],
        span: Span,
        frame: &mut Frame,
    ) -> Result<Value> {
        let f = Fields {
            fields,
            span: self.plan.globals[id].span,
            kind,
        };
        match kind {
            "coulomb_gas" => self.coulomb_gas(id, &f, frame),
            _ => Err(RunError::new(span, format!("`{}` is declared as `{kind}`, a kind this version of wmd checks but cannot run yet", self.plan.globals[id].name))
                .code("wmd::run::no_backend")
                .label(format!("needs the {kind} backend"))
                .help("backends for SDEs, Fokker–Planck and training are on the roadmap (see README)")),
        }
    }

    /// A numeric field, or its default (recorded in the manifest).
    fn field_num(
        &self,
        f: &Fields,
        name: &str,
        default: Option<f64>,
        frame: &mut Frame,
    ) -> Result<Option<f64>> {
        match f.get(name) {
            Some(field) => match self.eval(&field.code, frame)? {
                Value::Num(x) if x.is_finite() => Ok(Some(x)),
                other => Err(RunError::new(
                    field.span,
                    format!(
                        "`{name}` must be a finite number, but is {}",
                        other.describe()
                    ),
                )
                .code("wmd::run::field")),
            },
            None => {
                if let Some(d) = default {
                    self.record_default(
                        &format!("{}.{name}", f.kind),
                        f.span,
                        super::calls::fmt_num(d),
                    );
                }
                Ok(default)
            }
        }
    }

    fn field_count(
        &self,
        f: &Fields,
        name: &str,
        default: Option<f64>,
        frame: &mut Frame,
    ) -> Result<Option<usize>> {
        let span = f.get(name).map(|x| x.span).unwrap_or(f.span);
        match self.field_num(f, name, default, frame)? {
            Some(x) => Ok(Some(super::builtins::count(&Value::Num(x), name, span)?)),
            None => Ok(None),
        }
    }

    /// dt, steps and the factor on g: the continuous form (dt, steps or until) or the discrete
    /// SGD form (lr, batch, steps): dt = α and g_i = √(α/|B|)·g̃_i.
    fn time_grid(&self, f: &Fields, frame: &mut Frame) -> Result<(f64, usize, f64, &'static str)> {
        let (lr, batch, dt) = (
            self.field_num(f, "lr", None, frame)?,
            self.field_num(f, "batch", None, frame)?,
            self.field_num(f, "dt", None, frame)?,
        );
        let (dt, scale, form) = match (lr, batch, dt) {
            (Some(a), Some(b), None) if a > 0.0 && b >= 1.0 => (
                a,
                (a / b).sqrt(),
                "discrete SGD (dt = lr, g = sqrt(lr / batch) * noise)",
            ),
            (None, None, Some(h)) if h > 0.0 => (h, 1.0, "continuous"),
            (None, None, None) => {
                return Err(f.missing(
                    "either `dt` (continuous form) or `lr` and `batch` (discrete SGD form)",
                ))
            }
            _ => return Err(RunError::new(
                f.span,
                "give either `dt` > 0, or `lr` > 0 and `batch` ≥ 1 — not both, not one of lr/batch",
            )
            .code("wmd::run::field")),
        };
        let steps = match (
            self.field_count(f, "steps", None, frame)?,
            self.field_num(f, "until", None, frame)?,
        ) {
            (Some(s), None) => s,
            (None, Some(t)) if t > 0.0 => (t / dt).round().max(1.0) as usize,
            _ => return Err(f.missing("exactly one of `steps` or `until` > 0")),
        };
        Ok((dt, steps, scale, form))
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
            .code("wmd::run::field"));
        }
        Ok(g)
    }

    fn coulomb_gas(&self, id: usize, f: &Fields, frame: &mut Frame) -> Result<Value> {
        let n = self
            .field_count(f, "eigenvalues", None, frame)?
            .ok_or_else(|| f.missing("`eigenvalues`"))?;
        let runs = self.field_count(f, "runs", Some(1.0), frame)?.unwrap_or(1);
        if let Some(m) = f.get("method") {
            if !matches!(self.eval(&m.code, frame)?, Value::Str(s) if &*s == "eigenvalues") {
                return Err(RunError::new(
                    m.span,
                    "only `method = \"eigenvalues\"` runs in this version",
                )
                .code("wmd::run::field"));
            }
        }
        let (dt, steps, scale, form) = self.time_grid(f, frame)?;
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
        };
        let init_fn = |_run: usize, rng: &mut Rng| initial_spectrum(&init, n, rng);
        let drift_fn = |x: f64, i: usize| drift(&[x, i as f64]);
        let out = coulomb::run_ensemble(&cfg, &drift_fn, &init_fn, &self.interrupt)
            .map_err(|e| RunError::new(f.span, e.to_string()).code("wmd::run::coulomb_gas"))?;
        let finals = Mat::from_fn(runs, n, |r, i| out.finals[r][i]);
        let mean: Vec<f64> = (0..n)
            .map(|i| out.finals.iter().map(|x| x[i]).sum::<f64>() / runs as f64)
            .collect();
        Ok(Value::record(vec![
            ("final".into(), Value::Matrix(Arc::new(finals))),
            ("mean".into(), Value::vector(mean)),
            ("form".into(), Value::Str(form.into())),
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

impl Dist {
    /// One sample: inverse-CDF for tabulated densities.
    pub fn sample(&self, rng: &mut Rng) -> f64 {
        use rand::RngExt;
        use rand_distr::{Distribution, StandardNormal};
        match self {
            Dist::Normal { mean, sd } => {
                let z: f64 = StandardNormal.sample(rng);
                mean + sd * z
            }
            Dist::Uniform { low, high } => low + (high - low) * rng.random::<f64>(),
            Dist::Tabulated(t) => t.quantile(rng.random::<f64>()),
        }
    }
}
