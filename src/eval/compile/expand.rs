//! Expanding a per-step function's code into scalar expressions of its parameters. Whatever
//! does not read a parameter is evaluated once, here (globals, records of constants, calls of
//! any builtin on constants); what does becomes an [`Ex`] per component: arithmetic and
//! comparisons elementwise with broadcasting, a constant matrix times a vector of parameters
//! as the sums Σⱼ Aᵢⱼ vⱼ (zero entries skipped), user functions inlined, comprehensions and
//! `sum(j in …: …)` over constant ranges unrolled, indexing by constants resolved and by
//! parameters looked up when the step runs.

use super::ex::{is_scalar_op, Ex};
use super::rules::{refusal, step_builtin, unsupported, Reduce, StepBuiltin, STEP_BUILTINS_HELP};
use crate::builtins::Builtin;
use crate::diag::ErrorCode;
use crate::eval::error::{Result, RunError};
use crate::eval::state::{Draw, Evaluator, Frame};
use crate::ir::code::{Code, Loop};
use crate::ir::ops::{BinOp, UnOp};
use crate::ir::plan::{FnImpl, GlobalBody};
use crate::ir::value::Value;
use crate::span::Span;
use std::sync::Arc;

/// What a piece of a per-step function computes: a value known when compiling, or
/// expressions of the parameters.
#[derive(Clone)]
pub enum Sym {
    Known(Value),
    Scalar(Ex),
    Vector(Vec<Ex>),
    /// A matrix of expressions, row by row (all rows of one length).
    Rows(Vec<Vec<Ex>>),
}

/// The symbols of the frame's slots (parameters, then loop variables and `end`), the draw
/// constants are evaluated in, and the global functions being inlined.
pub struct Cx<'d> {
    pub env: Vec<Sym>,
    pub draw: &'d Draw,
    pub calls: Vec<usize>,
}

/// Deepest chain of inlined calls.
const MAX_INLINE: usize = 64;

/// Whether `code` reads a slot whose symbol is not a known value.
fn reads_params(code: &Code, env: &[Sym]) -> bool {
    crate::ir::scan::walk(
        code,
        &|c| matches!(c, Code::Local(s) if env.get(*s).is_some_and(|x| !matches!(x, Sym::Known(_)))),
    )
}

impl Evaluator<'_> {
    pub(super) fn expand(&self, code: &Code, cx: &mut Cx, span: Span) -> Result<Sym> {
        crate::deep::deep(|| self.expand_one(code, cx, span))
    }

    fn expand_one(&self, code: &Code, cx: &mut Cx, span: Span) -> Result<Sym> {
        if !reads_params(code, &cx.env) {
            return self.known(code, cx).map(Sym::Known);
        }
        match code {
            Code::Local(s) => Ok(cx.env[*s].clone()),
            Code::Vector(items, s) => {
                let parts = items
                    .iter()
                    .map(|c| self.expand(c, cx, *s))
                    .collect::<Result<Vec<_>>>()?;
                concat(parts, *s)
            }
            Code::Comprehension(body, lp, s) => concat(self.unroll(body, lp, cx, *s)?, *s),
            Code::Sum(body, lp, s) => {
                let terms = self.unroll(body, lp, cx, *s)?;
                let zero = Sym::Known(Value::Num(0.0));
                terms
                    .into_iter()
                    .try_fold(zero, |acc, t| binop(BinOp::Add, acc, t, *s))
            }
            Code::If(parts, s) => self.expand_if(parts, cx, *s),
            Code::Unary(op, x, s) => {
                let x = lift(self.expand(x, cx, *s)?, *s)?;
                Ok(match op {
                    UnOp::Neg => each(x, Ex::negated),
                    UnOp::Not => each(x, |e| Ex::Not(Box::new(e))),
                })
            }
            Code::Binary(op, xy, s) => {
                let a = self.expand(&xy[0], cx, *s)?;
                let b = self.expand(&xy[1], cx, *s)?;
                binop(*op, a, b, *s)
            }
            Code::CallBuiltin(b, args, s) => {
                let args = self.expand_args(args, cx, *s)?;
                builtin(b, args, *s)
            }
            Code::CallGlobal(id, args, s) => self.inline(*id, args, cx, *s),
            Code::Index(t, items, s) => self.expand_index(t, items, cx, *s),
            other => Err(unsupported(code_span(other, span), refusal(other))),
        }
    }

    /// A piece that reads no parameter, evaluated now.
    fn known(&self, code: &Code, cx: &Cx) -> Result<Value> {
        let locals = cx
            .env
            .iter()
            .map(|s| match s {
                Sym::Known(v) => v.clone(),
                _ => Value::Num(0.0),
            })
            .collect();
        self.eval(
            code,
            &mut Frame {
                draw: cx.draw,
                locals,
            },
        )
    }

    fn expand_args(
        &self,
        args: &[Option<Code>],
        cx: &mut Cx,
        span: Span,
    ) -> Result<Vec<Option<Sym>>> {
        args.iter()
            .map(|a| a.as_ref().map(|c| self.expand(c, cx, span)).transpose())
            .collect()
    }

    /// The body of a loop over a constant range, once per item that passes the filter.
    fn unroll(&self, body: &Code, lp: &Loop, cx: &mut Cx, span: Span) -> Result<Vec<Sym>> {
        if reads_params(&lp.iter, &cx.env) {
            return Err(unsupported(span, "a loop over values computed from the parameters".into())
                .help("loops in per-step functions run over constant ranges, e.g. `sum(j in 0..n: A[i, j] * x[j])`"));
        }
        let items = match self.known(&lp.iter, cx)? {
            Value::Num(x) => vec![x],
            Value::Vector(v) => v.to_vec(),
            other => {
                let what = format!("a loop over {}", other.describe());
                return Err(unsupported(span, what));
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            cx.env.push(Sym::Known(Value::Num(item)));
            let keep = match &lp.filter {
                None => Ok(true),
                Some(f) => self.filter(f, cx, span),
            };
            let term = match keep {
                Ok(true) => self.expand(body, cx, span).map(Some),
                Ok(false) => Ok(None),
                Err(e) => Err(e),
            };
            cx.env.pop();
            out.extend(term?);
        }
        Ok(out)
    }

    fn filter(&self, f: &Code, cx: &mut Cx, span: Span) -> Result<bool> {
        match self.expand(f, cx, span)? {
            Sym::Known(Value::Bool(b)) => Ok(b),
            Sym::Known(_) => Ok(false),
            _ => Err(
                unsupported(span, "a loop filter computed from the parameters".into())
                    .help("write the condition as `if` inside the loop body"),
            ),
        }
    }

    /// `if c then a else b`: chosen now when c is known, else per component.
    fn expand_if(&self, parts: &[Code; 3], cx: &mut Cx, span: Span) -> Result<Sym> {
        match self.expand(&parts[0], cx, span)? {
            Sym::Known(Value::Bool(true)) => self.expand(&parts[1], cx, span),
            Sym::Known(Value::Bool(false)) => self.expand(&parts[2], cx, span),
            c => {
                let a = self.expand(&parts[1], cx, span)?;
                let b = self.expand(&parts[2], cx, span)?;
                let syms = vec![lift(c, span)?, lift(a, span)?, lift(b, span)?];
                zip_all(syms, span, |e| match <[Ex; 3]>::try_from(e) {
                    Ok(cab) => Ex::If(Box::new(cab)),
                    Err(_) => Ex::Const(f64::NAN),
                })
            }
        }
    }

    /// A call of a global `fn`, inlined: its body expanded with the arguments' symbols.
    fn inline(&self, id: usize, args: &[Option<Code>], cx: &mut Cx, span: Span) -> Result<Sym> {
        let g = &self.plan.globals[id];
        let GlobalBody::Fn { params, body } = &g.body else {
            return Err(RunError::new(
                span,
                format!("`{}` is not a function", g.name),
            ));
        };
        if cx.calls.contains(&id) || cx.calls.len() >= MAX_INLINE {
            let what = format!("the recursive function `{}`", g.name);
            return Err(unsupported(span, what)
                .help("per-step functions inline the functions they call, so these cannot call themselves"));
        }
        let mut callee = Cx {
            env: Vec::with_capacity(params.len()),
            draw: cx.draw,
            calls: cx.calls.iter().copied().chain([id]).collect(),
        };
        for (k, (name, default)) in params.iter().enumerate() {
            let sym = match (args.get(k).and_then(|a| a.as_ref()), default) {
                (Some(a), _) => self.expand(a, cx, span)?,
                (None, Some(d)) => self.expand(d, &mut callee, span)?,
                (None, None) => {
                    return Err(RunError::new(span, format!("`{}` needs `{name}`", g.name)))
                }
            };
            callee.env.push(sym);
        }
        match body {
            FnImpl::Code(code) => self.expand(code, &mut callee, span),
            FnImpl::Builtin(b) => builtin(b, callee.env.into_iter().map(Some).collect(), span),
        }
    }
}

/// The span of a construct, or the enclosing one's for those that have none.
fn code_span(code: &Code, outer: Span) -> Span {
    match code {
        Code::Member(_, _, s) | Code::Transpose(_, s) | Code::CallValue(_, _, s) => *s,
        _ => outer,
    }
}

/// A numeric known value as constant expressions; other symbols unchanged.
pub fn lift(sym: Sym, span: Span) -> Result<Sym> {
    let Sym::Known(v) = sym else { return Ok(sym) };
    Ok(match v {
        Value::Num(x) => Sym::Scalar(Ex::Const(x)),
        Value::Bool(b) => Sym::Scalar(Ex::Const(f64::from(u8::from(b)))),
        Value::Vector(v) => Sym::Vector(v.iter().map(|&x| Ex::Const(x)).collect()),
        Value::Mask(m) => Sym::Vector(
            m.iter()
                .map(|&b| Ex::Const(f64::from(u8::from(b))))
                .collect(),
        ),
        Value::Matrix(m) => Sym::Rows(
            (0..m.nrows())
                .map(|i| (0..m.ncols()).map(|j| Ex::Const(m[(i, j)])).collect())
                .collect(),
        ),
        other => {
            let what = format!("{} beside the parameters", other.describe());
            return Err(unsupported(span, what));
        }
    })
}

/// `f` on every entry.
fn each(sym: Sym, f: impl Fn(Ex) -> Ex) -> Sym {
    let (shape, entries) = flat(sym);
    rebuild(shape, entries.into_iter().map(f).collect())
}

/// The layout of a lifted symbol's entries.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Layout {
    Scalar,
    Vector(usize),
    Rows(usize, usize),
}

impl Layout {
    fn len(self) -> usize {
        match self {
            Layout::Scalar => 1,
            Layout::Vector(n) => n,
            Layout::Rows(r, c) => r * c,
        }
    }

    /// A scalar or a one-entry vector, which broadcasts over anything.
    fn broadcasts(self) -> bool {
        self.len() == 1 && !matches!(self, Layout::Rows(..))
    }
}

/// A lifted symbol's layout and entries (row by row). Known values are lifted first.
fn flat(sym: Sym) -> (Layout, Vec<Ex>) {
    match sym {
        Sym::Scalar(e) => (Layout::Scalar, vec![e]),
        Sym::Vector(v) => (Layout::Vector(v.len()), v),
        Sym::Rows(r) => {
            let cols = r.first().map_or(0, Vec::len);
            (Layout::Rows(r.len(), cols), r.concat())
        }
        Sym::Known(_) => (Layout::Vector(0), Vec::new()),
    }
}

fn rebuild(layout: Layout, mut entries: Vec<Ex>) -> Sym {
    match layout {
        Layout::Scalar => Sym::Scalar(entries.pop().unwrap_or(Ex::Const(f64::NAN))),
        Layout::Vector(_) => Sym::Vector(entries),
        Layout::Rows(_, c) => Sym::Rows(entries.chunks(c.max(1)).map(<[Ex]>::to_vec).collect()),
    }
}

/// `f` entry by entry on lifted symbols of one layout, scalars (and one-entry vectors)
/// broadcast over the others, as the evaluator broadcasts.
fn zip_all(syms: Vec<Sym>, span: Span, f: impl Fn(Vec<Ex>) -> Ex) -> Result<Sym> {
    let parts: Vec<(Layout, Vec<Ex>)> = syms.into_iter().map(flat).collect();
    let layout = parts
        .iter()
        .map(|p| p.0)
        .find(|l| !l.broadcasts())
        .unwrap_or(if parts.iter().all(|p| p.0 == Layout::Scalar) {
            Layout::Scalar
        } else {
            Layout::Vector(1)
        });
    if let Some((other, _)) = parts.iter().find(|p| !p.0.broadcasts() && p.0 != layout) {
        let msg = match (layout, *other) {
            (Layout::Vector(n), Layout::Vector(m)) => format!("vector lengths differ: {n} and {m}"),
            _ => "a matrix and a vector do not combine elementwise".into(),
        };
        return Err(RunError::new(span, msg).code(ErrorCode::RunShape));
    }
    let entries = (0..layout.len())
        .map(|k| {
            let args = parts
                .iter()
                .map(|(l, e)| e[if l.broadcasts() { 0 } else { k }].clone())
                .collect();
            f(args)
        })
        .collect();
    Ok(rebuild(layout, entries))
}

/// The entries of `[a, b, …]` (and of a comprehension): numbers and vectors concatenated,
/// as the evaluator collects them.
fn concat(parts: Vec<Sym>, span: Span) -> Result<Sym> {
    let mut out = Vec::new();
    for p in parts {
        match lift(p, span)? {
            Sym::Scalar(e) => out.push(e),
            Sym::Vector(v) => out.extend(v),
            _ => return Err(unsupported(span, "a matrix inside a vector".into())),
        }
    }
    Ok(Sym::Vector(out))
}

/// `a op b` on symbols: the matrix–vector product, else elementwise.
fn binop(op: BinOp, a: Sym, b: Sym, span: Span) -> Result<Sym> {
    if !is_scalar_op(op) {
        return Err(unsupported(span, format!("`{}`", op.symbol())));
    }
    let (a, b) = (lift(a, span)?, lift(b, span)?);
    let matrices = matches!(a, Sym::Rows(_)) || matches!(b, Sym::Rows(_));
    match (op, &a, &b) {
        (BinOp::Mul, Sym::Rows(m), Sym::Vector(v)) => return product(m, v, span),
        (BinOp::Mul, Sym::Rows(_), Sym::Scalar(_)) | (BinOp::Mul, Sym::Scalar(_), Sym::Rows(_)) => {
        }
        (BinOp::Div, Sym::Rows(_), Sym::Scalar(_)) => {}
        (BinOp::Add | BinOp::Sub, Sym::Rows(_), Sym::Rows(_)) => {}
        _ if matrices => {
            let what = format!(
                "`{}` with a matrix computed from the parameters",
                op.symbol()
            );
            return Err(unsupported(span, what));
        }
        _ => {}
    }
    zip_all(vec![a, b], span, |mut e| {
        let y = e.pop().unwrap_or(Ex::Const(f64::NAN));
        let x = e.pop().unwrap_or(Ex::Const(f64::NAN));
        Ex::bin(op, x, y)
    })
}

/// `M v` = (Σⱼ Mᵢⱼ vⱼ)ᵢ; zero constant entries are skipped, ±1 ones need no product. A
/// one-row M gives a number, as in the evaluator.
fn product(m: &[Vec<Ex>], v: &[Ex], span: Span) -> Result<Sym> {
    let cols = m.first().map_or(0, Vec::len);
    if cols != v.len() {
        let msg = format!(
            "inner dimensions differ: a {}×{cols} matrix times {} numbers",
            m.len(),
            v.len()
        );
        return Err(RunError::new(span, msg).code(ErrorCode::RunShape));
    }
    let rows: Vec<Ex> = m
        .iter()
        .map(|row| {
            let terms = row.iter().zip(v).filter_map(|(a, x)| match a {
                Ex::Const(c) if *c == 0.0 => None,
                Ex::Const(c) if *c == 1.0 => Some(x.clone()),
                Ex::Const(c) if *c == -1.0 => Some(Ex::negated(x.clone())),
                a => Some(Ex::bin(BinOp::Mul, a.clone(), x.clone())),
            });
            terms
                .reduce(|acc, t| Ex::bin(BinOp::Add, acc, t))
                .unwrap_or(Ex::Const(0.0))
        })
        .collect();
    Ok(match rows.len() {
        1 => Sym::Scalar(rows.into_iter().next().unwrap_or(Ex::Const(0.0))),
        _ => Sym::Vector(rows),
    })
}

/// A builtin called on symbols: elementwise functions entry by entry, reductions over the
/// entries; any other builtin cannot take the parameters.
fn builtin(b: &Builtin, args: Vec<Option<Sym>>, span: Span) -> Result<Sym> {
    let given: Vec<Sym> = args.into_iter().map_while(|a| a).collect();
    let Some(kind) = step_builtin(b, given.len()) else {
        return Err(
            unsupported(span, format!("`{}` of the parameters", b.name)).help(STEP_BUILTINS_HELP)
        );
    };
    let lifted = given
        .into_iter()
        .map(|s| lift(s, span))
        .collect::<Result<Vec<_>>>()?;
    match kind {
        StepBuiltin::Map(f) => zip_all(lifted, span, |mut e| Ex::map(f, e.remove(0))),
        StepBuiltin::Map2(f) => zip_all(lifted, span, |mut e| {
            let y = e.pop().unwrap_or(Ex::Const(f64::NAN));
            let x = e.pop().unwrap_or(Ex::Const(f64::NAN));
            Ex::Map2(f, Box::new([x, y]))
        }),
        StepBuiltin::Reduce(r) => reduce(r, lifted.into_iter().next(), span),
    }
}

/// sum, mean, max, min or len of all entries.
fn reduce(r: Reduce, x: Option<Sym>, span: Span) -> Result<Sym> {
    let (_, entries) = flat(x.ok_or_else(|| unsupported(span, "a reduction of nothing".into()))?);
    let n = entries.len() as f64;
    let fold = |f: fn(f64, f64) -> f64| {
        entries
            .iter()
            .cloned()
            .reduce(|a, b| Ex::Map2(f, Box::new([a, b])))
            .unwrap_or(Ex::Const(f64::NAN))
    };
    let sum = || {
        entries
            .iter()
            .cloned()
            .reduce(|a, b| Ex::bin(BinOp::Add, a, b))
            .unwrap_or(Ex::Const(0.0))
    };
    Ok(match r {
        Reduce::Sum => Sym::Scalar(sum()),
        Reduce::Mean => Sym::Scalar(Ex::bin(BinOp::Div, sum(), Ex::Const(n))),
        Reduce::Max => Sym::Scalar(fold(f64::max)),
        Reduce::Min => Sym::Scalar(fold(f64::min)),
        Reduce::Len => Sym::Known(Value::Num(n)),
    })
}

/// Where `x[...]` reads: constant positions resolved now, computed ones looked up per step.
struct Positions {
    items: Vec<Ex>,
    sliced: bool,
}

fn positions(sym: Option<Sym>, len: usize, span: Span) -> Result<Positions> {
    let Some(sym) = sym else {
        let items = (0..len).map(|k| Ex::Const(k as f64)).collect();
        return Ok(Positions {
            items,
            sliced: true,
        });
    };
    let sliced = !matches!(sym, Sym::Scalar(_) | Sym::Known(Value::Num(_)));
    let (layout, items) = flat(lift(sym, span)?);
    if matches!(layout, Layout::Rows(..)) {
        return Err(unsupported(span, "a matrix as an index".into()));
    }
    for e in &items {
        if let Ex::Const(x) = e {
            if *x < 0.0 || *x != x.trunc() || *x as usize >= len {
                return Err(
                    RunError::new(span, format!("index {x} is out of range 0..{len}"))
                        .code(ErrorCode::RunIndex)
                        .help("indices count from 0; `end` is the last"),
                );
            }
        }
    }
    Ok(Positions { items, sliced })
}

impl Evaluator<'_> {
    fn expand_index(
        &self,
        t: &Code,
        items: &[Option<Code>],
        cx: &mut Cx,
        span: Span,
    ) -> Result<Sym> {
        let target = self.expand(t, cx, span)?;
        let dims = target_dims(&target);
        let mut pos = Vec::with_capacity(items.len());
        for (k, item) in items.iter().enumerate() {
            let len = dims.get(k).copied().unwrap_or(0);
            cx.env.push(Sym::Known(Value::Num(len as f64 - 1.0)));
            let sym = item.as_ref().map(|c| self.expand(c, cx, span)).transpose();
            cx.env.pop();
            pos.push(positions(sym?, len, span)?);
        }
        pick(target, pos, span)
    }
}

fn target_dims(t: &Sym) -> Vec<usize> {
    match t {
        Sym::Known(v) => crate::eval::ops::dims(v),
        Sym::Scalar(_) => vec![1],
        Sym::Vector(v) => vec![v.len()],
        Sym::Rows(r) => vec![r.len(), r.first().map_or(0, Vec::len)],
    }
}

/// Entry `k` of `options`: resolved now for a constant k, else chosen per step.
fn choose(options: &Arc<Vec<Ex>>, k: &Ex) -> Ex {
    match k {
        Ex::Const(x) => options[*x as usize].clone(),
        k => Ex::Pick(options.clone(), Box::new(k.clone())),
    }
}

/// Index a target with one position set per axis (1 for a vector, 2 for a matrix).
fn pick(target: Sym, pos: Vec<Positions>, span: Span) -> Result<Sym> {
    let target = match target {
        Sym::Known(Value::Vector(v)) => {
            let options = Arc::new(v.iter().map(|&x| Ex::Const(x)).collect::<Vec<_>>());
            return pick_vector(&options, Some(v), pos, span);
        }
        Sym::Known(Value::Matrix(m)) if pos.len() == 2 => {
            let r: Vec<Vec<Ex>> = (0..m.nrows())
                .map(|i| (0..m.ncols()).map(|j| Ex::Const(m[(i, j)])).collect())
                .collect();
            return pick_rows(&r, Some(&m), pos, span);
        }
        Sym::Known(v) => {
            let what = format!("indexing {} by the parameters", v.describe());
            return Err(unsupported(span, what));
        }
        t => t,
    };
    match target {
        Sym::Scalar(e) => pick_vector(&Arc::new(vec![e]), None, pos, span),
        Sym::Vector(v) => pick_vector(&Arc::new(v), None, pos, span),
        Sym::Rows(r) => pick_rows(&r, None, pos, span),
        Sym::Known(_) => Err(unsupported(span, "this index".into())),
    }
}

fn pick_vector(
    options: &Arc<Vec<Ex>>,
    values: Option<Arc<Vec<f64>>>,
    pos: Vec<Positions>,
    span: Span,
) -> Result<Sym> {
    let [p] = <[Positions; 1]>::try_from(pos).map_err(|p| {
        RunError::new(
            span,
            format!("cannot index a vector with {} indices", p.len()),
        )
    })?;
    let one = |k: &Ex| match (&values, k) {
        (Some(v), k) if !matches!(k, Ex::Const(_)) => Ex::Lookup(v.clone(), Box::new(k.clone())),
        _ => choose(options, k),
    };
    let items: Vec<Ex> = p.items.iter().map(one).collect();
    Ok(if p.sliced {
        Sym::Vector(items)
    } else {
        Sym::Scalar(items.into_iter().next().unwrap_or(Ex::Const(f64::NAN)))
    })
}

fn pick_rows(
    rows: &[Vec<Ex>],
    matrix: Option<&Arc<faer::Mat<f64>>>,
    pos: Vec<Positions>,
    span: Span,
) -> Result<Sym> {
    let [pr, pc] = <[Positions; 2]>::try_from(pos).map_err(|p| {
        RunError::new(
            span,
            format!("cannot index a matrix with {} indices", p.len()),
        )
    })?;
    let entry = |i: &Ex, j: &Ex| -> Result<Ex> {
        match (i, j, matrix) {
            (Ex::Const(r), Ex::Const(c), _) => Ok(rows[*r as usize][*c as usize].clone()),
            (_, _, Some(m)) => Ok(Ex::Lookup2(m.clone(), Box::new([i.clone(), j.clone()]))),
            _ => Err(unsupported(
                span,
                "a matrix computed from the parameters indexed by the parameters".into(),
            )),
        }
    };
    let grid = pr
        .items
        .iter()
        .map(|i| {
            pc.items
                .iter()
                .map(|j| entry(i, j))
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(match (pr.sliced, pc.sliced) {
        (false, false) => Sym::Scalar(grid[0][0].clone()),
        (false, true) => Sym::Vector(grid.into_iter().next().unwrap_or_default()),
        (true, false) => Sym::Vector(grid.into_iter().map(|mut r| r.remove(0)).collect()),
        (true, true) => Sym::Rows(grid),
    })
}
