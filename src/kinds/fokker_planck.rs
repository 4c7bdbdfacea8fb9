//! The `fokker_planck` kind: reads its fields, compiles drift, diffusion and init once, and
//! runs [`crate::backend::fokker_planck`] in 1D or 2D. `diffusion` is G = g² in
//! ∂ₜP = −∇·(DP) + Δ(GP) (001's convention; G = σ²/2 of 000 eq. 11).

use super::fields::Fields;
use crate::backend::fokker_planck::full2d::Entry;
use crate::backend::fokker_planck::operator::Grid1;
use crate::backend::fokker_planck::solve1d::{self, Fp1Config, Fp1Result};
use crate::backend::fokker_planck::solve2d::{self, Fp2Config, Fp2Result};
use crate::backend::fokker_planck::{spectrum, Boundary, Scheme, Splitting};
use crate::backend::BackendError;
use crate::diag::ErrorCode;
use crate::eval::compile::ScalarFn;
use crate::eval::error::{Result, RunError};
use crate::eval::state::{Evaluator, Frame};
use crate::ir::plan::JobField;
use crate::ir::value::Value;
use crate::progress::Watch;
use faer::Mat;
use std::sync::Arc;

use super::kind::Kind;
use crate::schema::{choice, f, func, special, step_func, Choice, FieldKind, Form, KindSchema};
/// The schema of `fokker_planck` blocks.
pub static SCHEMA: KindSchema = KindSchema {
    name: "fokker_planck",
    form: Form::Block,
    fields: &[
        special("domain", FieldKind::Domain, true, "`domain x in (a, b) cells n` or `domain (x, y) in box(ax, bx, ay, by) cells n x m`"),
        step_func("drift", &["x", "y?", "t?"], true, "drift D: `drift(x) = ...`, `drift(x, t) = ...`, or in 2D `drift(x, y) = [Dx, Dy]`"),
        step_func("diffusion", &["x", "y?", "t?"], true, "diffusion G = g² (001's ∂ₜP = ∂ₓ(g²∂ₓ − K)P; G = σ²/2): a number or `diffusion(x) = ...`"),
        func("init", &["x", "y?"], true, "initial density: a distribution (1D), `init(x) = ...` or `init(x, y) = ...` (normalised on the domain)"),
        f("until", true, "final time"),
        f("dt", false, "largest time step (default until / 1000)"),
        f("at", false, "times at which the density is kept (default [0, until]; until is always kept)"),
        choice("boundary", Boundary::NAMES, "\"reflecting\" (default), \"absorbing\" or \"periodic\""),
        choice("scheme", Scheme::NAMES, "\"tr_bdf2\" (default, 2nd order) or \"backward_euler\" (1st order, P ≥ 0)"),
        choice("splitting", Splitting::NAMES, "2D: \"dimensional\" (default; x and y line solves, Strang for tr_bdf2, Lie for backward_euler) or \"none\" (the whole operator, sparse LU: no splitting error)"),
    ],
    scope: &[],
    per_draw: false,
    runs_are_draws: false,
    rebinds: &[],
    pairings: &[],
    doc: "a Fokker–Planck equation ∂ₜP = −∇·(DP) + Δ(GP) in 1D or 2D (G = g² = σ²/2)",
    example: r#"fokker_planck fp {
    domain x in (-4, 4) cells 200
    drift(x) = -x
    diffusion = 1
    init = normal(1, 0.5)
    until = 2
}
report r { p = stationary_density(fp) }"#,
};

/// The kind in the registry.
pub static KIND: Kind = Kind {
    schema: &SCHEMA,
    run: Some(run),
    realize: None,
};

fn run(ev: &Evaluator, f: &Fields, frame: &mut Frame) -> Result<Value> {
    ev.fokker_planck(f, frame)
}

const CONVENTION: &str = "dP/dt = -div(D P) + laplace(G P), G = diffusion = g^2 = sigma^2/2";

/// A compiled coefficient and how many of (position…, t) it takes.
struct Coef {
    f: Vec<ScalarFn>,
    params: usize,
}

impl Coef {
    fn at(&self, k: usize, args: &[f64]) -> f64 {
        (self.f[k])(&args[..self.params])
    }
}

/// What the block sets besides its coefficients.
struct Setup {
    dims: usize,
    grids: Vec<Grid1>,
    until: f64,
    dt: f64,
    at: Vec<f64>,
    boundary: Boundary,
    scheme: Scheme,
    /// 2D: step with the whole operator (sparse LU) instead of dimensional splitting.
    unsplit: bool,
}

impl Evaluator<'_> {
    fn fokker_planck(&self, f: &Fields, frame: &mut Frame) -> Result<Value> {
        let setup = self.fp_setup(f, frame)?;
        let d = setup.dims;
        let drift = self.fp_coef(f, "drift", d, d, frame)?;
        let diffusion = self.fp_coef(f, "diffusion", d, 1, frame)?;
        let init = self.fp_init(f, &setup, frame)?;
        // The meaning of `diffusion` is a convention, not a number: printed in the manifest.
        self.record_default("fokker_planck.convention", f.span, CONVENTION.into());
        let run = Run {
            setup,
            time_dependent: drift.params == d + 1 || diffusion.params == d + 1,
            drift,
            diffusion,
        };
        let fail = |e: BackendError| backend_error(f, e);
        let watch = self.watch(f.id, f.kind);
        if d == 1 {
            run.solve_1d(init, &watch).map_err(fail)
        } else {
            let wants = (self.plan.reads_stationary(), self.plan.reads_hamiltonian());
            run.solve_2d(init, wants, &watch).map_err(fail)
        }
    }

    fn fp_setup(&self, f: &Fields, frame: &mut Frame) -> Result<Setup> {
        let (dims, grids) = self.domain(f, frame)?;
        let until = self
            .field_num(f, "until", None, frame)?
            .ok_or_else(|| f.missing("`until`"))?;
        if until <= 0.0 {
            let span = f.get("until").map(|x| x.span).unwrap_or(f.span);
            return Err(
                RunError::new(span, format!("`until` must be > 0, but is {until}"))
                    .code(ErrorCode::RunField),
            );
        }
        let dt = self
            .field_num(f, "dt", Some(until / 1000.0), frame)?
            .unwrap_or(until / 1000.0);
        let at = self.field_times(f, until, frame)?;
        let boundary: Boundary = self.choice(f, "boundary", frame)?;
        let scheme: Scheme = self.choice(f, "scheme", frame)?;
        let unsplit = match (dims, f.get("splitting")) {
            (1, Some(field)) => {
                return Err(RunError::new(
                    field.span,
                    "`splitting` is a 2D setting: a 1D equation is never split",
                )
                .code(ErrorCode::RunField)
                .help("remove `splitting`"))
            }
            (1, None) => false,
            _ => self.choice::<Splitting>(f, "splitting", frame)? == Splitting::None,
        };
        Ok(Setup {
            dims,
            grids,
            until,
            dt,
            at,
            boundary,
            scheme,
            unsplit,
        })
    }

    /// Compile `drift`/`diffusion` with `comps` components in `dims` dimensions: a value, a
    /// function of the position, or of the position and t.
    fn fp_coef(
        &self,
        f: &Fields,
        name: &str,
        dims: usize,
        comps: usize,
        frame: &mut Frame,
    ) -> Result<Coef> {
        let field = f.get(name).ok_or_else(|| f.missing(&format!("`{name}`")))?;
        let params = field.params.unwrap_or(0);
        let vars = if dims == 1 { "x" } else { "x, y" };
        if params != 0 && params != dims && params != dims + 1 {
            return Err(RunError::new(
                field.span,
                format!("in a {dims}D domain `{name}` takes ({vars}) or ({vars}, t), not {params} parameters"),
            )
            .code(ErrorCode::RunField));
        }
        let mut fr = Frame {
            draw: frame.draw,
            locals: vec![Value::Num(0.0); params],
        };
        let fs = if comps == 1 {
            vec![self.compile_scalar(&field.code, params, field.span, &mut fr)?]
        } else {
            self.compile_vector(&field.code, params, field.span, &mut fr)?
        };
        if fs.len() != comps {
            return Err(RunError::new(
                field.span,
                format!(
                    "`{name}` must have {comps} components, but has {}",
                    fs.len()
                ),
            )
            .code(ErrorCode::RunField)
            .help(format!("write `{name}({vars}) = [Dx, Dy]`")));
        }
        Ok(Coef { f: fs, params })
    }

    /// Initial cell values: cell averages of a distribution (1D), values of `init(x)` /
    /// `init(x, y)` at the cell centres, or explicit numbers, one per cell.
    fn fp_init(&self, f: &Fields, s: &Setup, frame: &mut Frame) -> Result<Vec<f64>> {
        let field = f.get("init").ok_or_else(|| f.missing("`init`"))?;
        let cells: usize = s.grids.iter().map(|g| g.n).product();
        let centres: Vec<Vec<f64>> = if s.dims == 1 {
            s.grids[0].centres().into_iter().map(|x| vec![x]).collect()
        } else {
            let (gx, gy) = (s.grids[0], s.grids[1]);
            (0..cells)
                .map(|k| vec![gx.centre(k / gy.n), gy.centre(k % gy.n)])
                .collect()
        };
        if let Some(p) = field.params {
            return self.init_fn(field, p, s.dims, &centres, frame);
        }
        match self.eval(&field.code, frame)? {
            Value::Dist(d) if s.dims == 1 => {
                let g = s.grids[0];
                Ok((0..g.n).map(|i| (d.cdf(g.face(i + 1)) - d.cdf(g.face(i))) / g.h()).collect())
            }
            Value::Vector(v) if v.len() == cells => Ok(v.to_vec()),
            other => Err(RunError::new(
                field.span,
                format!("`init` must be a distribution, {cells} cell values or `init(x) = ...`, but is {}", other.describe()),
            )
            .code(ErrorCode::RunField)),
        }
    }

    fn init_fn(
        &self,
        field: &JobField,
        params: usize,
        dims: usize,
        centres: &[Vec<f64>],
        frame: &mut Frame,
    ) -> Result<Vec<f64>> {
        if params != dims {
            return Err(RunError::new(
                field.span,
                format!("in a {dims}D domain `init` takes {dims} parameter(s), not {params}"),
            )
            .code(ErrorCode::RunField));
        }
        let mut fr = Frame {
            draw: frame.draw,
            locals: vec![Value::Num(0.0); params],
        };
        match self.compile_scalar(&field.code, params, field.span, &mut fr) {
            Ok(g) => Ok(centres.iter().map(|c| g(c)).collect()),
            // Not a per-point formula (e.g. `kde2d(px, py, x, y)`): evaluate it once on the
            // vectors of all cell-centre coordinates instead.
            Err(_) => self.init_on_vectors(field, dims, centres, frame),
        }
    }

    /// `init` evaluated once with its parameters bound to the coordinate vectors of all cells.
    fn init_on_vectors(
        &self,
        field: &JobField,
        dims: usize,
        centres: &[Vec<f64>],
        frame: &mut Frame,
    ) -> Result<Vec<f64>> {
        let locals = (0..dims)
            .map(|k| Value::vector(centres.iter().map(|c| c[k]).collect()))
            .collect();
        let v = self.eval(
            &field.code,
            &mut Frame {
                draw: frame.draw,
                locals,
            },
        )?;
        super::fields::cell_values(v, centres.len(), "`init`", field.span)
    }
}

/// A backend error at the field it is about (drift, diffusion, init), else at the block.
/// A backend error at the field it names ([`BackendError::field`]), else at the block.
fn backend_error(f: &Fields, e: BackendError) -> RunError {
    let at = e.field().and_then(|field| f.get(field));
    RunError::backend(
        at.map_or(f.span, |x| x.span),
        &e,
        ErrorCode::RunFokkerPlanck,
    )
}

/// A checked block with its compiled coefficients.
struct Run {
    setup: Setup,
    drift: Coef,
    diffusion: Coef,
    time_dependent: bool,
}

impl Run {
    fn solve_1d(&self, init: Vec<f64>, stop: &Watch) -> std::result::Result<Value, BackendError> {
        let s = &self.setup;
        let dr = |x: f64, t: f64| self.drift.at(0, &[x, t]);
        let di = |x: f64, t: f64| self.diffusion.at(0, &[x, t]);
        let cfg = Fp1Config {
            grid: s.grids[0],
            boundary: s.boundary,
            scheme: s.scheme,
            dt: s.dt,
            until: s.until,
            at: s.at.clone(),
            drift: &dr,
            diffusion: &di,
            time_dependent: self.time_dependent,
            init,
        };
        let out = solve1d::solve(&cfg, stop)?;
        let extra = extras_1d(&cfg, self.time_dependent)?;
        Ok(record_1d(out, s, extra))
    }

    fn solve_2d(
        &self,
        init: Vec<f64>,
        wants: (bool, bool),
        stop: &Watch,
    ) -> std::result::Result<Value, BackendError> {
        let s = &self.setup;
        let dx = |x: f64, y: f64, t: f64| self.drift.at(0, &[x, y, t]);
        let dy = |x: f64, y: f64, t: f64| self.drift.at(1, &[x, y, t]);
        let g = |x: f64, y: f64, t: f64| self.diffusion.at(0, &[x, y, t]);
        let cfg = Fp2Config {
            x: s.grids[0],
            y: s.grids[1],
            boundary: s.boundary,
            scheme: s.scheme,
            dt: s.dt,
            until: s.until,
            at: s.at.clone(),
            drift_x: &dx,
            drift_y: &dy,
            diffusion: &g,
            time_dependent: self.time_dependent,
            unsplit: s.unsplit,
            init,
        };
        let mut rec = record_2d(solve2d::solve(&cfg, stop)?, s);
        if let Value::Record(fields) = &mut rec {
            Arc::make_mut(fields).extend(extras_2d(&cfg, s, wants));
        }
        Ok(rec)
    }
}

/// The 2D stationary density and H_FP, each computed only when the script may read it (they
/// cost sparse and dense factorisations that can exceed the time loop); a failure is kept as
/// `stationary_error` / `hamiltonian_error` for the builtins to report.
fn extras_2d(
    cfg: &Fp2Config,
    s: &Setup,
    (stationary, hamiltonian): (bool, bool),
) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    if cfg.time_dependent || s.boundary == Boundary::Absorbing {
        return out;
    }
    if !(stationary || hamiltonian) {
        return out;
    }
    let (n, m) = (s.grids[0].n, s.grids[1].n);
    // One sparse factorisation for both: H_FP is checked against the stationary density.
    let p = solve2d::stationary(cfg).map_err(|e| e.to_string());
    if stationary {
        out.push(match &p {
            Ok(p) => (
                "stationary".into(),
                Value::Matrix(Arc::new(Mat::from_fn(n, m, |i, j| p[i * m + j]))),
            ),
            Err(e) => ("stationary_error".into(), Value::Str(e.as_str().into())),
        });
    }
    if hamiltonian {
        let h = p.and_then(|p| solve2d::hamiltonian(cfg, &p).map_err(|e| e.to_string()));
        out.push(match h {
            Ok(h) => ("hamiltonian".into(), hamiltonian_record(&h, n * m, cfg)),
            Err(e) => ("hamiltonian_error".into(), Value::Str(e.into())),
        });
    }
    out
}

/// H_FP's entries as vectors (`rows`, `cols`, `vals`), with `cells` and the cell area `dx`.
fn hamiltonian_record(h: &[Entry], cells: usize, cfg: &Fp2Config) -> Value {
    let column =
        |k: usize| Value::vector(h.iter().map(|e| [e.0 as f64, e.1 as f64, e.2][k]).collect());
    Value::record(vec![
        ("rows".into(), column(0)),
        ("cols".into(), column(1)),
        ("vals".into(), column(2)),
        ("cells".into(), Value::Num(cells as f64)),
        ("dx".into(), Value::Num(cfg.x.h() * cfg.y.h())),
    ])
}

/// Stationary density, H_FP and the potentials U₀, U₁ of 001 (time-independent 1D runs).
fn extras_1d(
    cfg: &Fp1Config,
    time_dependent: bool,
) -> std::result::Result<Vec<(String, Value)>, BackendError> {
    if time_dependent || cfg.boundary == Boundary::Absorbing {
        return Ok(Vec::new());
    }
    let ps = spectrum::stationary(&cfg.grid, cfg.boundary, cfg.drift, cfg.diffusion)?;
    let mut out = vec![("stationary".to_string(), Value::vector(ps))];
    if cfg.boundary == Boundary::Reflecting {
        let (diag, off) = spectrum::hamiltonian_matrix(&cfg.grid, cfg.drift, cfg.diffusion)?;
        let (u0, u1) = spectrum::potentials(&cfg.grid, cfg.drift);
        out.push((
            "hamiltonian".into(),
            Value::record(vec![
                ("diag".into(), Value::vector(diag)),
                ("off".into(), Value::vector(off)),
                ("dx".into(), Value::Num(cfg.grid.h())),
            ]),
        ));
        out.push(("u0".into(), Value::vector(u0)));
        out.push(("u1".into(), Value::vector(u1)));
    }
    Ok(out)
}

fn rows(v: &[Vec<f64>]) -> Value {
    let cols = v.first().map(|r| r.len()).unwrap_or(0);
    Value::Matrix(Arc::new(Mat::from_fn(v.len(), cols, |i, j| v[i][j])))
}

fn common(s: &Setup, steps: usize) -> Vec<(String, Value)> {
    vec![
        ("convention".into(), Value::Str(CONVENTION.into())),
        ("scheme".into(), Value::Str(s.scheme.name().into())),
        ("boundary".into(), Value::Str(s.boundary.name().into())),
        ("dt".into(), Value::Num(s.dt)),
        ("steps".into(), Value::Num(steps as f64)),
    ]
}

fn record_1d(out: Fp1Result, s: &Setup, extra: Vec<(String, Value)>) -> Value {
    let mut fields = vec![
        ("x".into(), Value::vector(out.x)),
        ("dx".into(), Value::Num(out.h)),
        ("times".into(), Value::vector(out.times)),
        ("density".into(), rows(&out.density)),
        (
            "final".into(),
            Value::vector(out.density.last().cloned().unwrap_or_default()),
        ),
        ("mass".into(), Value::vector(out.mass)),
        ("mean".into(), Value::vector(out.mean)),
        ("variance".into(), Value::vector(out.variance)),
        ("faces".into(), Value::vector(out.faces)),
        ("current".into(), Value::vector(out.current)),
    ];
    fields.extend(common(s, out.steps));
    fields.extend(extra);
    Value::record(fields)
}

fn record_2d(out: Fp2Result, s: &Setup) -> Value {
    let (n, m) = (out.x.len(), out.y.len());
    let grid = |v: &[f64]| Value::Matrix(Arc::new(Mat::from_fn(n, m, |i, j| v[i * m + j])));
    let col = |v: &[[f64; 2]], k: usize| Value::vector(v.iter().map(|p| p[k]).collect());
    let mut fields = vec![
        ("x".into(), Value::vector(out.x.clone())),
        ("y".into(), Value::vector(out.y.clone())),
        ("dx".into(), Value::Num(s.grids[0].h())),
        ("dy".into(), Value::Num(s.grids[1].h())),
        ("times".into(), Value::vector(out.times)),
        (
            "density".into(),
            Value::List(Arc::new(out.density.iter().map(|d| grid(d)).collect())),
        ),
        (
            "final".into(),
            grid(out.density.last().map(|v| v.as_slice()).unwrap_or(&[])),
        ),
        ("mass".into(), Value::vector(out.mass)),
        ("mean_x".into(), col(&out.mean, 0)),
        ("mean_y".into(), col(&out.mean, 1)),
        ("variance_x".into(), col(&out.variance, 0)),
        ("variance_y".into(), col(&out.variance, 1)),
        ("current_x".into(), grid(&out.current[0])),
        ("current_y".into(), grid(&out.current[1])),
        (
            "splitting".into(),
            Value::Str(splitting(s.unsplit).name().into()),
        ),
    ];
    fields.extend(common(s, out.steps));
    Value::record(fields)
}

/// The splitting a 2D run used.
fn splitting(unsplit: bool) -> Splitting {
    if unsplit {
        Splitting::None
    } else {
        Splitting::Dimensional
    }
}
