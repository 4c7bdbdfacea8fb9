//! Calls, loops, conditionals and indexing.

use super::args::collect_values;
use super::error::{Result, RunError};
use super::ops;
use super::state::{Draw, Evaluator, Frame};
use crate::builtins::{Builtin, DefaultValue, Mode};
use crate::diag::ErrorCode;
use crate::ir::code::{Code, Loop};
use crate::ir::plan::{FnImpl, GlobalBody};
use crate::ir::value::{Func, Value};
use crate::span::Span;
use rayon::prelude::*;

impl Evaluator<'_> {
    /// `[a, b, c]`: numbers and vectors are concatenated (so `[0..3, 9]` is `[0, 1, 2, 9]`);
    /// anything else makes a list.
    pub(super) fn vector(&self, items: &[Code], _span: Span, frame: &mut Frame) -> Result<Value> {
        let values = items
            .iter()
            .map(|c| self.eval(c, frame))
            .collect::<Result<Vec<_>>>()?;
        Ok(collect_values(values))
    }

    /// Run a loop: push the variable into the next slot, apply the filter, call `body`.
    fn each(
        &self,
        lp: &Loop,
        span: Span,
        frame: &mut Frame,
        mut body: impl FnMut(&mut Frame) -> Result<()>,
    ) -> Result<()> {
        let iter = self.eval(&lp.iter, frame)?;
        let items: Vec<Value> = match &iter {
            Value::Num(x) => vec![Value::Num(*x)],
            Value::Vector(v) => v.iter().map(|x| Value::Num(*x)).collect(),
            Value::List(l) => l.to_vec(),
            other => {
                return Err(RunError::new(
                    span,
                    format!(
                        "a loop runs over a vector, but this is {}",
                        other.describe()
                    ),
                ))
            }
        };
        for item in items {
            frame.locals.push(item);
            let keep = match &lp.filter {
                None => true,
                Some(f) => matches!(self.eval(f, frame), Ok(Value::Bool(true))),
            };
            let r = if keep { body(frame) } else { Ok(()) };
            frame.locals.pop();
            r?;
        }
        Ok(())
    }

    pub(super) fn comprehension(
        &self,
        body: &Code,
        lp: &Loop,
        span: Span,
        frame: &mut Frame,
    ) -> Result<Value> {
        let mut out = Vec::new();
        self.each(lp, span, frame, |f| {
            out.push(self.eval(body, f)?);
            Ok(())
        })?;
        Ok(collect_values(out))
    }

    /// `sum(j in xs if cond: body)`, elementwise when the body is a vector.
    pub(super) fn sum(
        &self,
        body: &Code,
        lp: &Loop,
        span: Span,
        frame: &mut Frame,
    ) -> Result<Value> {
        let mut acc = Value::Num(0.0);
        self.each(lp, span, frame, |f| {
            let term = self.eval(body, f)?;
            acc = ops::binary(crate::syntax::ast::BinOp::Add, acc.clone(), term, span)?;
            Ok(())
        })?;
        Ok(acc)
    }

    /// `if c then a else b`; with a vector condition, both branches are evaluated and
    /// selected elementwise.
    pub(super) fn if_else(
        &self,
        parts: &[Code; 3],
        span: Span,
        frame: &mut Frame,
    ) -> Result<Value> {
        match self.eval(&parts[0], frame)? {
            Value::Bool(true) => self.eval(&parts[1], frame),
            Value::Bool(false) => self.eval(&parts[2], frame),
            Value::Mask(mask) => {
                let a = self.eval(&parts[1], frame)?;
                let b = self.eval(&parts[2], frame)?;
                ops::select(&mask, a, b, span)
            }
            other => Err(RunError::new(
                span,
                format!("`if` needs a condition, but this is {}", other.describe()),
            )),
        }
    }

    pub(super) fn index(
        &self,
        target: &Code,
        items: &[Option<Code>],
        span: Span,
        frame: &mut Frame,
    ) -> Result<Value> {
        let t = self.eval(target, frame)?;
        let dims = ops::dims(&t);
        let mut idx = Vec::with_capacity(items.len());
        for (k, item) in items.iter().enumerate() {
            let end = dims.get(k).copied().unwrap_or(0) as f64 - 1.0;
            frame.locals.push(Value::Num(end));
            let v = item.as_ref().map(|c| self.eval(c, frame)).transpose();
            frame.locals.pop();
            idx.push(v?);
        }
        ops::index(t, &idx, span)
    }

    pub(super) fn call_builtin(
        &self,
        b: &'static Builtin,
        args: &[Option<Code>],
        span: Span,
        frame: &mut Frame,
    ) -> Result<Value> {
        if b.mode != Mode::Plain {
            return self.pooled(b, args, span, frame);
        }
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            values.push(a.as_ref().map(|c| self.eval(c, frame)).transpose()?);
        }
        self.apply_builtin(b, values, span, frame.draw)
    }

    /// Fill numeric defaults (recording them), then run the kernel.
    pub fn apply_builtin(
        &self,
        b: &'static Builtin,
        mut values: Vec<Option<Value>>,
        span: Span,
        draw: &Draw,
    ) -> Result<Value> {
        values.resize(b.params.len(), None);
        for (p, v) in b.params.iter().zip(values.iter_mut()) {
            match (p.default, v.is_none()) {
                (DefaultValue::Num(d), true) => {
                    *v = Some(Value::Num(d));
                    self.record_default(
                        &format!("{}.{}", b.name, p.name),
                        span,
                        crate::number::exact(d),
                    );
                }
                (DefaultValue::Required, true) => {
                    return Err(RunError::new(
                        span,
                        format!("`{}` needs `{}`", b.name, p.name),
                    ));
                }
                _ => {}
            }
        }
        super::table::apply(self, b, values, span, draw)
    }

    /// `eigvals(expr, draws = K)`, `sample(expr, draws = K)`, `outputs(net, …, draws = K)`:
    /// evaluate the arguments under K independent draws (in parallel, each draw with its own
    /// random stream), call the builtin in each with draws = 1, and pool the results in draw
    /// order: concatenated ([`Mode::Pooled`]) or stacked ([`Mode::Sampled`]).
    fn pooled(
        &self,
        b: &'static Builtin,
        args: &[Option<Code>],
        span: Span,
        frame: &mut Frame,
    ) -> Result<Value> {
        let at = (b.params.iter().position(|p| p.name == "draws"))
            .expect("a pooled builtin has `draws`");
        let draws = match args.get(at).and_then(|a| a.as_ref()) {
            Some(c) => super::args::count(&self.eval(c, frame)?, "draws", span)?,
            None => {
                self.record_default(&format!("{}.draws", b.name), span, "1".into());
                1
            }
        };
        let arg = args[0].as_ref().expect("checked: required argument");
        if draws > 1 && !self.plan.varies_per_draw(arg) {
            return Err(not_random(b.name, draws, span));
        }
        // One draw: every argument but `draws` evaluated in that draw, then the kernel.
        let one = |f: &mut Frame| -> Result<Value> {
            let mut values = Vec::with_capacity(args.len());
            for (i, a) in args.iter().enumerate() {
                values.push(match (i == at, a) {
                    (true, _) => Some(Value::Num(1.0)),
                    (false, Some(c)) => Some(self.eval(c, f)?),
                    (false, None) => None,
                });
            }
            self.apply_builtin(b, values, span, f.draw)
        };
        let parts: Vec<Value> = if draws == 1 {
            vec![one(frame)?]
        } else {
            let locals = frame.locals.clone();
            (0..draws as u64)
                .into_par_iter()
                .map(|d| {
                    self.check_interrupt(span)?;
                    let draw = Draw::new(d);
                    let mut f = Frame {
                        draw: &draw,
                        locals: locals.clone(),
                    };
                    one(&mut f)
                })
                .collect::<Result<Vec<_>>>()?
        };
        if b.mode == Mode::Sampled {
            return super::arrays::stack(parts, span);
        }
        let mut pooled = Vec::new();
        for p in parts {
            pooled.extend_from_slice(p.as_slice().unwrap_or(&[]));
        }
        Ok(Value::vector(pooled))
    }

    pub(super) fn call_global(
        &self,
        id: usize,
        args: &[Option<Code>],
        span: Span,
        frame: &mut Frame,
    ) -> Result<Value> {
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            values.push(a.as_ref().map(|c| self.eval(c, frame)).transpose()?);
        }
        self.call_global_values(id, values, span, frame.draw)
    }

    /// Bind arguments (defaults evaluated with the earlier parameters in scope) and run.
    fn call_global_values(
        &self,
        id: usize,
        mut values: Vec<Option<Value>>,
        span: Span,
        draw: &Draw,
    ) -> Result<Value> {
        let g = &self.plan.globals[id];
        let GlobalBody::Fn { params, body } = &g.body else {
            return Err(RunError::new(
                span,
                format!("`{}` is not a function", g.name),
            ));
        };
        if values.len() > params.len() {
            return Err(RunError::new(
                span,
                format!(
                    "`{}` takes {} arguments, given {}",
                    g.name,
                    params.len(),
                    values.len()
                ),
            ));
        }
        values.resize(params.len(), None);
        let mut frame = Frame {
            draw,
            locals: Vec::with_capacity(params.len()),
        };
        for ((pname, default), v) in params.iter().zip(values) {
            let v = match (v, default) {
                (Some(v), _) => v,
                (None, Some(d)) => {
                    let v = self.eval(d, &mut frame)?;
                    self.record_default(&format!("{}.{pname}", g.name), span, short(&v));
                    v
                }
                (None, None) => {
                    return Err(RunError::new(span, format!("`{}` needs `{pname}`", g.name)))
                }
            };
            frame.locals.push(v);
        }
        let result = match body {
            FnImpl::Code(code) => self.eval(code, &mut frame),
            FnImpl::Builtin(b) => {
                self.apply_builtin(b, frame.locals.into_iter().map(Some).collect(), span, draw)
            }
        };
        result.map_err(|e| self.at_call_site(e, span, &g.name))
    }

    /// An error raised inside a stdlib function is reported where the script called it.
    fn at_call_site(&self, mut e: RunError, call: Span, name: &str) -> RunError {
        let inside = self.sources.get(e.span.file).name.clone();
        if e.span.file == call.file || !inside.starts_with("stdlib/") {
            return e;
        }
        let note = format!(
            "raised inside `{name}` ({inside}:{})",
            self.sources.line_of(e.span)
        );
        e.help = Some(match e.help {
            Some(h) => format!("{h}\n{note}"),
            None => note,
        });
        e.span = call;
        e
    }

    pub(super) fn call_value(
        &self,
        callee: &Code,
        args: &[Code],
        span: Span,
        frame: &mut Frame,
    ) -> Result<Value> {
        let f = self.eval(callee, frame)?;
        let values = args
            .iter()
            .map(|c| self.eval(c, frame))
            .collect::<Result<Vec<_>>>()?;
        self.call_func(&f, values, span, frame.draw)
    }

    /// Call any function value with positional arguments.
    pub fn call_func(&self, f: &Value, args: Vec<Value>, span: Span, draw: &Draw) -> Result<Value> {
        let Value::Func(func) = f else {
            return Err(RunError::new(
                span,
                format!("only functions can be called, but this is {}", f.describe()),
            ));
        };
        match func.as_ref() {
            Func::Closure {
                params,
                body,
                captured,
            } => {
                if args.len() != *params {
                    return Err(RunError::new(
                        span,
                        format!(
                            "this function takes {params} argument(s), given {}",
                            args.len()
                        ),
                    ));
                }
                let mut locals = captured.clone();
                locals.extend(args);
                self.eval(body, &mut Frame { draw, locals })
            }
            Func::Global(id) => {
                self.call_global_values(*id, args.into_iter().map(Some).collect(), span, draw)
            }
            Func::Builtin(b) => {
                self.apply_builtin(b, args.into_iter().map(Some).collect(), span, draw)
            }
            Func::Native(f) => (f.body)(&args).map_err(|e| {
                RunError::new(span, format!("`{}`: {e}", f.name)).code(ErrorCode::RunValue)
            }),
        }
    }
}

/// A short text for a value in the manifest.
fn short(v: &Value) -> String {
    match v {
        Value::Num(x) => crate::number::exact(*x),
        Value::Bool(b) => b.to_string(),
        Value::Str(s) => format!("{s:?}"),
        other => other.describe(),
    }
}

/// A pooled call whose argument is the same in every draw would return `draws` copies of one
/// value: refused instead.
fn not_random(name: &str, draws: usize, span: Span) -> RunError {
    RunError::new(
        span,
        format!("`{name}(…, draws = {draws})` would pool {draws} copies of one value: its argument does not depend on any ensemble"),
    )
    .code(ErrorCode::RunNotRandom)
    .help("pooling draws needs an argument that reads an ensemble (or a `let` built from one) directly; a report item or a function parameter holds one fixed value — refer to the ensemble's own name instead")
}
