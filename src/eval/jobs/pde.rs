//! The `pde` kind: ∂ₜu = F(u, x, t) in 1D by the method of lines
//! ([`crate::backend::mol`]). The right-hand side is evaluated by the vectorised evaluator on
//! whole grid vectors (one evaluation per stage, never per cell), with the block's operators
//! `dx` and `dxx` bound as functions that know the grid and the boundary.

use super::Fields;
use crate::backend::fokker_planck::save_times;
use crate::backend::mol::{self, Edge, MolConfig, Stepper};
use crate::eval::value::{Func, NativeFn, Value};
use crate::eval::{Evaluator, Frame, Result, RunError};
use crate::lower::JobField;
use faer::Mat;
use std::sync::Arc;

const EDGES: &[&str] = &["neumann", "periodic", "extrapolate"];
const STEPPERS: &[&str] = &["rk4", "backward_euler"];

/// The block's operators, in the order of the kind's scope: in 1D `grad` and `div` are ∂ₓ and
/// `laplace` is ∂ₓₓ.
const OPERATORS: &[&str] = &["dx", "dxx", "grad", "div", "laplace"];

/// An operator on this grid: a function of one vector of n cell values.
fn operator(name: &'static str, n: usize, h: f64, edge: Edge) -> Value {
    let apply: fn(&[f64], f64, Edge) -> Vec<f64> = match name {
        "dxx" | "laplace" => mol::dxx,
        _ => mol::dx,
    };
    let body = move |args: &[Value]| match args {
        [Value::Vector(u)] if u.len() == n => Ok(Value::vector(apply(u, h, edge))),
        [other] => Err(format!(
            "takes the field (a vector of {n} cell values), not {}",
            other.describe()
        )),
        _ => Err(format!("takes one argument, not {}", args.len())),
    };
    Value::Func(Arc::new(Func::Native(NativeFn {
        name,
        body: Arc::new(body),
    })))
}

/// The field as n numbers: a vector of n, or a number broadcast to every cell.
fn cell_values(v: Value, n: usize, what: &str, span: crate::span::Span) -> Result<Vec<f64>> {
    match v {
        Value::Num(c) => Ok(vec![c; n]),
        Value::Vector(u) if u.len() == n => Ok(u.to_vec()),
        other => Err(RunError::new(
            span,
            format!(
                "{what} must give {n} cell values, but gives {}",
                other.describe()
            ),
        )
        .code("wmd::run::field")),
    }
}

impl Evaluator<'_> {
    pub(super) fn pde(&self, f: &Fields, frame: &mut Frame) -> Result<Value> {
        let (dims, grids) = self.fp_domain(f, frame)?;
        let domain_span = f.get("domain").map_or(f.span, |d| d.span);
        if dims != 1 {
            return Err(
                RunError::new(domain_span, "the `pde` kind runs in 1D in this version")
                    .code("wmd::run::field"),
            );
        }
        let grid = grids[0];
        let (n, x) = (grid.n, grid.centres());
        let until = self
            .field_num(f, "until", None, frame)?
            .ok_or_else(|| f.missing("`until`"))?;
        let edge =
            Edge::parse(self.fp_choice(f, "boundary", EDGES, frame)?).unwrap_or(Edge::Neumann);
        let stepper =
            Stepper::parse(self.fp_choice(f, "scheme", STEPPERS, frame)?).unwrap_or(Stepper::Rk4);
        let step = self
            .field_num(f, "step", Some(until / 1000.0), frame)?
            .unwrap_or(until / 1000.0);
        let at = save_times(&self.field_times(f, until, frame)?, until).map_err(|e| {
            RunError::new(f.get("at").map_or(f.span, |a| a.span), e.to_string())
                .code("wmd::run::field")
        })?;
        if !(until > 0.0 && step > 0.0) {
            return Err(RunError::new(
                f.span,
                format!("`until` ({until}) and `step` ({step}) must be > 0"),
            )
            .code("wmd::run::field"));
        }
        let ops: Vec<Value> = OPERATORS
            .iter()
            .map(|name| operator(name, n, grid.h(), edge))
            .collect();
        let init = f.get("init").ok_or_else(|| f.missing("`init`"))?;
        let u0 = self.pde_init(init, &ops, &x, frame)?;
        let rhs_field = f.get("dt").ok_or_else(|| f.missing("`dt(u) = ...`"))?;
        let cfg = MolConfig {
            until,
            step,
            at: at.clone(),
            stepper,
            edge,
        };
        // An error of the script's own expression keeps its span: it is parked here and the
        // backend only told that the right-hand side failed.
        let mut script_error = None;
        let mut rhs = |u: &[f64], t: f64| {
            self.pde_rhs(rhs_field, &ops, u, &x, t, frame.draw)
                .map_err(|e| {
                    script_error = Some(e);
                    "the right-hand side failed".to_string()
                })
        };
        let kept = mol::integrate(&mut rhs, u0, &cfg, &self.interrupt);
        let kept = match (kept, script_error) {
            (Ok(k), _) => k,
            (Err(_), Some(e)) => return Err(e),
            (Err(e), None) => {
                return Err(RunError::new(rhs_field.span, e.to_string()).code("wmd::run::pde"))
            }
        };
        let field = Mat::from_fn(kept.len(), n, |i, j| kept[i][j]);
        Ok(Value::record(vec![
            ("x".into(), Value::vector(x)),
            ("dx".into(), Value::Num(grid.h())),
            ("times".into(), Value::vector(at)),
            ("field".into(), Value::Matrix(Arc::new(field))),
            (
                "final".into(),
                Value::vector(kept.last().cloned().unwrap_or_default()),
            ),
        ]))
    }

    fn pde_init(
        &self,
        init: &JobField,
        ops: &[Value],
        x: &[f64],
        frame: &mut Frame,
    ) -> Result<Vec<f64>> {
        let mut locals = ops.to_vec();
        if init.params.is_some() {
            locals.push(Value::vector(x.to_vec()));
        }
        let v = self.eval(
            &init.code,
            &mut Frame {
                draw: frame.draw,
                locals,
            },
        )?;
        cell_values(v, x.len(), "`init`", init.span)
    }

    /// F(u, x, t) on the whole grid; the field's parameters follow the block's operators.
    fn pde_rhs(
        &self,
        field: &JobField,
        ops: &[Value],
        u: &[f64],
        x: &[f64],
        t: f64,
        draw: &crate::eval::Draw,
    ) -> Result<Vec<f64>> {
        let mut locals = ops.to_vec();
        let args = [
            Value::vector(u.to_vec()),
            Value::vector(x.to_vec()),
            Value::Num(t),
        ];
        locals.extend(args.into_iter().take(field.params.unwrap_or(1)));
        let v = self.eval(&field.code, &mut Frame { draw, locals })?;
        cell_values(v, x.len(), "`dt(u)`", field.span)
    }
}
