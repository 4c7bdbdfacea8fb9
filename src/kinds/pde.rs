//! The `pde` kind: ∂ₜu = F(u, x, t) in 1D, or F(u, x, y, t) on a 2D box, by the method of lines
//! ([`crate::backend::mol`]). The right-hand side is evaluated by the vectorised evaluator on
//! whole grid vectors (one evaluation per stage, never per cell; a 2D field is a vector of
//! n·m cell values, row-major with i along x), with the block's operators bound as functions
//! that know the grid and the boundary. Every stepper works in 1D and 2D; the Newton solves
//! of the implicit ones need the grid's shape for the pattern of their Jacobian.

use super::fields::{cell_values, field_error, Fields};
use crate::backend::fokker_planck::operator::Grid1;
use crate::backend::fokker_planck::save_times;
use crate::backend::mol::{self, Edge, Grid2, MolConfig, StepError, Stepper};
use crate::diag::ErrorCode;
use crate::eval::error::{Result, RunError};
use crate::eval::state::{Evaluator, Frame};
use crate::ir::plan::JobField;
use crate::ir::value::{Func, NativeFn, Value};
use crate::progress::Watch;
use faer::Mat;
use std::sync::Arc;

use super::kind::Kind;
use crate::schema::{choice, f, func, special, Choice, FieldKind, Form, KindSchema};
/// The schema of `pde` blocks.
pub static SCHEMA: KindSchema = KindSchema {
    name: "pde",
    form: Form::Block,
    fields: &[
        special("domain", FieldKind::Domain, true, "`domain x in (a, b) cells n` or `domain (x, y) in box(ax, bx, ay, by) cells n x m`"),
        func("dt", &["u", "x?", "y?", "t?"], true, "right-hand side ∂ₜu = F(u, x, t) in 1D or F(u, x, y, t) in 2D, written with the block's operators dx, dxx, dy, dyy, laplace, grad, div (2D vector fields as [Fx, Fy])"),
        func("init", &["x", "y?"], true, "initial field: a number, one number per cell, or `init(x) = ...` / `init(x, y) = ...`"),
        f("until", true, "final time"),
        f("step", false, "time step (default until / 1000; rk4 needs step ≲ h²/(2ν·dims))"),
        f("at", false, "times at which the field is kept (default [0, until])"),
        choice("boundary", Edge::NAMES, "\"neumann\" (default, zero gradient), \"periodic\" or \"extrapolate\" (open: quadratic ghost values)"),
        choice("scheme", Stepper::NAMES, "\"rk4\" (default, explicit, order 4), \"backward_euler\" (implicit, order 1) or \"tr_bdf2\" (implicit, order 2, L-stable); implicit ones by Newton with a sparse LU, 1D and 2D"),
    ],
    scope: OPERATORS,
    per_draw: false,
    runs_are_draws: false,
    rebinds: &[],
    pairings: &[],
    doc: "a general PDE ∂ₜu = F(u, x, [y,] t) in 1D or 2D by the method of lines (centred stencils)",
    example: r#"pde heat {
    domain x in (0, 1) cells 100
    dt(u) = 0.1 * dxx(u)
    init(x) = exp(-100 * (x - 0.5)^2)
    until = 0.1
    boundary = "periodic"
}
report r { u = heat.final }"#,
};

/// The kind in the registry.
pub static KIND: Kind = Kind {
    schema: &SCHEMA,
    run: Some(run),
    realize: None,
};

fn run(ev: &Evaluator, f: &Fields, frame: &mut Frame) -> Result<Value> {
    ev.pde(f, frame)
}

/// The block's operators: the names the kind binds in its block (its schema's `scope`), in
/// the order of their frame slots.
const OPERATORS: &[&str] = &["dx", "dxx", "grad", "div", "laplace", "dy", "dyy"];

/// The grid: an interval, or a box of n × m cells.
#[derive(Clone, Copy)]
enum Shape {
    One(Grid1),
    Two(Grid2),
}

impl Shape {
    fn cells(self) -> usize {
        match self {
            Shape::One(g) => g.n,
            Shape::Two(g) => g.n * g.m,
        }
    }

    /// (n, m): the grid's shape, m = 1 in 1D.
    fn cells2(self) -> (usize, usize) {
        match self {
            Shape::One(g) => (g.n, 1),
            Shape::Two(g) => (g.n, g.m),
        }
    }

    /// The coordinates of every cell centre: [x] in 1D, [x, y] (each n·m long) in 2D.
    fn coordinates(self, grids: &[Grid1]) -> Vec<Vec<f64>> {
        match self {
            Shape::One(g) => vec![g.centres()],
            Shape::Two(g) => {
                let (gx, gy) = (grids[0], grids[1]);
                let k = 0..g.n * g.m;
                vec![
                    k.clone().map(|k| gx.centre(k / g.m)).collect(),
                    k.map(|k| gy.centre(k % g.m)).collect(),
                ]
            }
        }
    }

    /// `name` applied to a field, or why it does not apply on this grid.
    fn apply(self, name: &str, u: &[f64], edge: Edge) -> std::result::Result<Vec<f64>, String> {
        match (self, name) {
            (Shape::One(g), "dx" | "grad" | "div") => Ok(mol::dx(u, g.h(), edge)),
            (Shape::One(g), "dxx" | "laplace") => Ok(mol::dxx(u, g.h(), edge)),
            (Shape::One(_), _) => Err("a 1D field has no y direction".into()),
            (Shape::Two(g), "dx") => Ok(mol::along(u, g, 0, |l| mol::dx(l, g.hx, edge))),
            (Shape::Two(g), "dxx") => Ok(mol::along(u, g, 0, |l| mol::dxx(l, g.hx, edge))),
            (Shape::Two(g), "dy") => Ok(mol::along(u, g, 1, |l| mol::dx(l, g.hy, edge))),
            (Shape::Two(g), "dyy") => Ok(mol::along(u, g, 1, |l| mol::dxx(l, g.hy, edge))),
            (Shape::Two(g), "laplace") => Ok(mol::laplace2(u, g, edge)),
            (Shape::Two(g), "grad") => {
                let mut out = mol::along(u, g, 0, |l| mol::dx(l, g.hx, edge));
                out.extend(mol::along(u, g, 1, |l| mol::dx(l, g.hy, edge)));
                Ok(out)
            }
            (Shape::Two(g), "div") => {
                let (fx, fy) = u.split_at(g.n * g.m);
                let ax = mol::along(fx, g, 0, |l| mol::dx(l, g.hx, edge));
                let ay = mol::along(fy, g, 1, |l| mol::dx(l, g.hy, edge));
                Ok(ax.iter().zip(&ay).map(|(a, b)| a + b).collect())
            }
            (Shape::Two(_), _) => Err(format!("`{name}` is not an operator of this grid")),
        }
    }
}

/// An operator on this grid: a function of one vector of cell values. In 2D a vector field is
/// its two components concatenated, [Fx, Fy] (2·n·m values): what `grad` returns and `div`
/// takes.
fn operator(name: &'static str, shape: Shape, edge: Edge) -> Value {
    let n = match (shape, name) {
        (Shape::Two(_), "div") => 2 * shape.cells(),
        _ => shape.cells(),
    };
    let what = if n == shape.cells() {
        "the field"
    } else {
        "a vector field [Fx, Fy]"
    };
    let body = move |args: &[Value]| match args {
        [Value::Vector(u)] if u.len() == n => shape.apply(name, u, edge).map(Value::vector),
        [other] => Err(format!(
            "takes {what} (a vector of {n} cell values), not {}",
            other.describe()
        )),
        _ => Err(format!("takes one argument, not {}", args.len())),
    };
    Value::Func(Arc::new(Func::Native(NativeFn {
        name,
        body: Arc::new(body),
    })))
}

impl Evaluator<'_> {
    fn pde(&self, f: &Fields, frame: &mut Frame) -> Result<Value> {
        let (dims, grids) = self.domain(f, frame)?;
        let shape = match dims {
            1 => Shape::One(grids[0]),
            _ => Shape::Two(Grid2 {
                n: grids[0].n,
                m: grids[1].n,
                hx: grids[0].h(),
                hy: grids[1].h(),
            }),
        };
        let cfg = self.pde_config(f, shape, frame)?;
        let ops: Vec<Value> = OPERATORS
            .iter()
            .map(|name| operator(name, shape, cfg.edge))
            .collect();
        // The coordinate vectors as values once: every evaluation of `dt` shares them.
        let coords: Vec<Value> = shape
            .coordinates(&grids)
            .into_iter()
            .map(Value::vector)
            .collect();
        let init = f.get("init").ok_or_else(|| f.missing("`init`"))?;
        let u0 = self.pde_init(init, &ops, &coords, frame)?;
        let rhs_field = f.get("dt").ok_or_else(|| f.missing("`dt(u) = ...`"))?;
        if rhs_field.params.unwrap_or(1) > dims + 2 {
            let names = if dims == 1 {
                "(u, x, t)"
            } else {
                "(u, x, y, t)"
            };
            return Err(field_error(
                rhs_field.span,
                format!("in {dims}D `dt` takes at most {names}"),
            ));
        }
        let watch = self.watch(f.id, f.kind);
        let kept = self.pde_integrate(rhs_field, &ops, &coords, u0, (&cfg, &watch), frame)?;
        Ok(pde_record(shape, &grids, &cfg.at, &kept))
    }

    /// until, step, at, boundary and scheme (defaults recorded in the manifest).
    fn pde_config(&self, f: &Fields, shape: Shape, frame: &mut Frame) -> Result<MolConfig> {
        let until = self
            .field_num(f, "until", None, frame)?
            .ok_or_else(|| f.missing("`until`"))?;
        let edge: Edge = self.choice(f, "boundary", frame)?;
        let stepper: Stepper = self.choice(f, "scheme", frame)?;
        let step = self
            .field_num(f, "step", Some(until / 1000.0), frame)?
            .unwrap_or(until / 1000.0);
        if !(until > 0.0 && step > 0.0) {
            return Err(field_error(
                f.span,
                format!("`until` ({until}) and `step` ({step}) must be > 0"),
            ));
        }
        let at = save_times(&self.field_times(f, until, frame)?, until)
            .map_err(|e| field_error(f.get("at").map_or(f.span, |a| a.span), e.to_string()))?;
        Ok(MolConfig {
            until,
            step,
            at,
            stepper,
            edge,
            cells: shape.cells2(),
        })
    }

    /// Run the integrator (watched by `watch`); an error of the script's own expression keeps its span (it is
    /// parked here and the backend is only told that the right-hand side failed).
    fn pde_integrate(
        &self,
        rhs_field: &JobField,
        ops: &[Value],
        coords: &[Value],
        u0: Vec<f64>,
        (cfg, watch): (&MolConfig, &Watch),
        frame: &mut Frame,
    ) -> Result<Vec<Vec<f64>>> {
        let mut script_error = None;
        let mut rhs = |u: &[f64], t: f64| {
            self.pde_rhs(rhs_field, ops, u, coords, t, frame.draw)
                .map_err(|e| {
                    let overflow = e.code == ErrorCode::RunNotFinite;
                    script_error = Some(e);
                    StepError::Rhs(if overflow {
                        let top = u.iter().fold(0.0f64, |m, v| m.max(v.abs()));
                        format!("the right-hand side is not finite on a field grown to |u| = {top:.3e}; with rk4 reduce `step` (explicit stability needs step ≲ h²/(2ν·dims)) or use an implicit scheme (\"tr_bdf2\", \"backward_euler\")")
                    } else {
                        "the right-hand side failed".to_string()
                    })
                })
        };
        let kept = mol::integrate(&mut rhs, u0, cfg, watch);
        match (kept, script_error) {
            (Ok(k), _) => Ok(k),
            // The field blew up (an unstable step): the integrator's message names the time.
            (Err(e), Some(se)) if se.code == ErrorCode::RunNotFinite => {
                Err(RunError::new(rhs_field.span, e.to_string()).code(ErrorCode::RunPde))
            }
            (Err(_), Some(e)) => Err(e),
            (Err(e), None) => Err(RunError::backend(rhs_field.span, &e, ErrorCode::RunPde)),
        }
    }

    fn pde_init(
        &self,
        init: &JobField,
        ops: &[Value],
        coords: &[Value],
        frame: &mut Frame,
    ) -> Result<Vec<f64>> {
        let mut locals = ops.to_vec();
        if let Some(p) = init.params {
            if p != coords.len() {
                return Err(field_error(
                    init.span,
                    format!("`init` takes {} coordinate(s) here, not {p}", coords.len()),
                ));
            }
            locals.extend(coords.iter().cloned());
        }
        let v = self.eval(
            &init.code,
            &mut Frame {
                draw: frame.draw,
                locals,
            },
        )?;
        let cells = coords[0].as_slice().map_or(0, <[f64]>::len);
        cell_values(v, cells, "`init`", init.span)
    }

    /// F(u, x, [y,] t) on the whole grid; the field's parameters follow the block's operators.
    fn pde_rhs(
        &self,
        field: &JobField,
        ops: &[Value],
        u: &[f64],
        coords: &[Value],
        t: f64,
        draw: &crate::eval::state::Draw,
    ) -> Result<Vec<f64>> {
        let mut locals = ops.to_vec();
        let args = std::iter::once(Value::vector(u.to_vec()))
            .chain(coords.iter().cloned())
            .chain([Value::Num(t)]);
        locals.extend(args.take(field.params.unwrap_or(1)));
        let v = self.eval(&field.code, &mut Frame { draw, locals })?;
        cell_values(v, u.len(), "`dt(u)`", field.span)
    }
}

/// The run's record: times, coordinates, the final field (a matrix in 2D) and every kept field.
fn pde_record(shape: Shape, grids: &[Grid1], times: &[f64], kept: &[Vec<f64>]) -> Value {
    let mut out = vec![("times".into(), Value::vector(times.to_vec()))];
    let last = kept.last().cloned().unwrap_or_default();
    match shape {
        Shape::One(g) => out.extend([
            ("x".into(), Value::vector(g.centres())),
            ("dx".into(), Value::Num(g.h())),
            ("final".into(), Value::vector(last)),
        ]),
        Shape::Two(g) => out.extend([
            ("x".into(), Value::vector(grids[0].centres())),
            ("y".into(), Value::vector(grids[1].centres())),
            ("dx".into(), Value::Num(g.hx)),
            ("dy".into(), Value::Num(g.hy)),
            (
                "final".into(),
                Value::Matrix(Arc::new(Mat::from_fn(g.n, g.m, |i, j| last[i * g.m + j]))),
            ),
        ]),
    }
    let field = Mat::from_fn(kept.len(), shape.cells(), |i, j| kept[i][j]);
    out.push(("field".into(), Value::Matrix(Arc::new(field))));
    Value::record(out)
}
