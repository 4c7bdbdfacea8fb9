//! The `characteristics` kind: the Callan–Symanzik form of source 000 solved along flow lines
//! (eq. 23) and, on a 1D domain, P ∝ 1/G (eq. 26); numerics in
//! [`crate::backend::characteristics`].

use super::fields::{field_error, Fields};
use crate::backend::characteristics::{self as cs, TraceConfig};
use crate::backend::BackendError;
use crate::diag::ErrorCode;
use crate::eval::compile::ScalarFn;
use crate::eval::error::{Result, RunError};
use crate::eval::state::{Evaluator, Frame};
use crate::ir::value::Value;
use faer::Mat;
use std::sync::Arc;

use super::kind::Kind;
use crate::schema::{f, special, step_func, FieldKind, Form, KindSchema};
/// The schema of `characteristics` blocks.
pub static SCHEMA: KindSchema = KindSchema {
    name: "characteristics",
    form: Form::Block,
    fields: &[
        step_func("beta", &["x", "y?"], true, "the flow field β = G of 000 eq. 17: `beta(x) = ...` or `beta(x, y) = [Gx, Gy]`"),
        special("domain", FieldKind::Domain, false, "`domain x in (a, b) cells n`: P = const/G on its cells (eq. 26, 1D)"),
        f("start", false, "start points of flow lines dw/ds = G: a number or vector (1D); [[x₁, y₁], [x₂, y₂], …] or a matrix of rows (2D)"),
        f("p0", false, "P at s = 0 on every flow line (default 1)"),
        f("length", false, "range of the flow parameter s (needed with `start`)"),
        f("steps", false, "Runge–Kutta steps over `length` (default 1000)"),
        f("every", false, "record every k steps (default ⌈steps/100⌉)"),
    ],
    scope: &[],
    per_draw: false,
    runs_are_draws: false,
    rebinds: &[],
    pairings: &[],
    doc: "the Callan–Symanzik (drift-only) form of 000: P along flow lines, P = P₀ exp(−∫∇·G ds) (eq. 23), and P ∝ 1/G in 1D (eq. 26)",
    example: r#"characteristics flow {
    beta(x) = 1 + 0.5 * cos(x)
    domain x in (0, 2 * pi) cells 100
}
report r { p = flow.density }"#,
};

/// The kind in the registry.
pub static KIND: Kind = Kind {
    schema: &SCHEMA,
    run: Some(run),
    realize: None,
};

fn run(ev: &Evaluator, f: &Fields, frame: &mut Frame) -> Result<Value> {
    ev.characteristics(f, frame)
}

impl Evaluator<'_> {
    fn characteristics(&self, f: &Fields, frame: &mut Frame) -> Result<Value> {
        let beta = self.beta(f, frame)?;
        let dims = beta.len();
        let mut fields = vec![("dims".into(), Value::Num(dims as f64))];
        if f.get("domain").is_some() {
            fields.extend(self.inverse_g(f, &beta, frame)?);
        }
        if f.get("start").is_some() {
            fields.extend(self.flow_lines(f, &beta, frame)?);
        }
        if fields.len() == 1 {
            return Err(f.missing(
                "a `domain` (for P ∝ 1/G, eq. 26) or `start` points (flow lines, eq. 23)",
            ));
        }
        Ok(Value::record(fields))
    }

    /// `beta(x) = ...` or `beta(x, y) = [Gx, Gy]`, compiled once.
    fn beta(&self, f: &Fields, frame: &mut Frame) -> Result<Vec<ScalarFn>> {
        let field = f.get("beta").ok_or_else(|| f.missing("`beta(x) = ...`"))?;
        let dims = field.params.unwrap_or(0);
        if !(1..=2).contains(&dims) {
            return Err(field_error(
                field.span,
                format!("`beta` takes (x) or (x, y), not {dims} parameters"),
            ));
        }
        let mut fr = Frame {
            draw: frame.draw,
            locals: vec![Value::Num(0.0); dims],
        };
        let g = self.compile_vector(&field.code, dims, field.span, &mut fr)?;
        if g.len() != dims {
            return Err(field_error(
                field.span,
                format!(
                    "in {dims}D `beta` must have {dims} components, but has {}",
                    g.len()
                ),
            )
            .help("write `beta(x, y) = [Gx, Gy]`"));
        }
        Ok(g)
    }

    /// Eq. 26 on the cells of a 1D domain.
    fn inverse_g(
        &self,
        f: &Fields,
        beta: &[ScalarFn],
        frame: &mut Frame,
    ) -> Result<Vec<(String, Value)>> {
        let (dims, grids) = self.domain(f, frame)?;
        let span = f.get("domain").map_or(f.span, |d| d.span);
        if dims != 1 || beta.len() != 1 {
            return Err(field_error(
                span,
                "P = const/G (eq. 26) is the 1D solution; in 2D give `start` points for flow lines"
                    .into(),
            ));
        }
        let (g, grid) = (beta[0].clone(), grids[0]);
        let x = grid.centres();
        let p = cs::inverse_g_density(&|v| g(&[v]), &x, grid.h())
            .map_err(|e| field_error(span, e.to_string()))?;
        Ok(vec![
            ("x".into(), Value::vector(x)),
            ("dx".into(), Value::Num(grid.h())),
            ("density".into(), Value::vector(p)),
        ])
    }

    /// Eq. 23 along the flow line from each start point.
    fn flow_lines(
        &self,
        f: &Fields,
        beta: &[ScalarFn],
        frame: &mut Frame,
    ) -> Result<Vec<(String, Value)>> {
        let dims = beta.len();
        let starts = self.start_points(f, dims, frame)?;
        let steps = self
            .field_count(f, "steps", Some(1000.0), frame)?
            .unwrap_or(1000);
        let every_default = steps.div_ceil(100) as f64;
        let cfg = TraceConfig {
            p0: self.field_num(f, "p0", Some(1.0), frame)?.unwrap_or(1.0),
            length: self
                .field_num(f, "length", None, frame)?
                .ok_or_else(|| f.missing("`length`, the range of the flow parameter s"))?,
            steps,
            every: self
                .field_count(f, "every", Some(every_default), frame)?
                .unwrap_or(1),
        };
        let g = |w: &[f64], out: &mut [f64]| {
            for (o, gk) in out.iter_mut().zip(beta) {
                *o = gk(w);
            }
        };
        let curves = cs::trace(&g, &starts, &cfg).map_err(|e: BackendError| {
            RunError::new(f.span, e.to_string()).code(ErrorCode::RunCharacteristics)
        })?;
        let table = |get: &dyn Fn(usize, usize) -> f64| {
            Value::Matrix(Arc::new(Mat::from_fn(starts.len(), curves.s.len(), get)))
        };
        let mut out = vec![("s".into(), Value::vector(curves.s.clone()))];
        for (k, name) in ["curve_x", "curve_y"].iter().enumerate().take(dims) {
            out.push((name.to_string(), table(&|i, j| curves.points[i][j][k])));
        }
        out.push(("p".into(), table(&|i, j| curves.density[i][j])));
        Ok(out)
    }

    /// Start points: in 1D a number or a vector (one start each); in 2D `[x, y]`, several
    /// pairs `[[x₁, y₁], [x₂, y₂]]` (vectors concatenate: read in pairs), or a matrix with one
    /// start per row.
    fn start_points(&self, f: &Fields, dims: usize, frame: &mut Frame) -> Result<Vec<Vec<f64>>> {
        let field = f.get("start").ok_or_else(|| f.missing("`start`"))?;
        let v = self.eval(&field.code, frame)?;
        let points: Option<Vec<Vec<f64>>> = match (&v, dims) {
            (Value::Num(x), 1) => Some(vec![vec![*x]]),
            (Value::Vector(xs), 1) => Some(xs.iter().map(|&x| vec![x]).collect()),
            (Value::Vector(xs), 2) if xs.len() % 2 == 0 => {
                Some(xs.chunks(2).map(<[f64]>::to_vec).collect())
            }
            (Value::Matrix(m), _) if m.ncols() == dims => Some(
                (0..m.nrows())
                    .map(|i| (0..dims).map(|j| m[(i, j)]).collect())
                    .collect(),
            ),
            _ => None,
        };
        match points {
            Some(p) if !p.is_empty() && p.iter().flatten().all(|x| x.is_finite()) => Ok(p),
            _ => Err(field_error(
                field.span,
                format!(
                    "`start` must be {}, but is {}",
                    if dims == 1 {
                        "a number or a vector of start points"
                    } else {
                        "a point [x, y] or a matrix with one point per row"
                    },
                    v.describe()
                ),
            )),
        }
    }
}
