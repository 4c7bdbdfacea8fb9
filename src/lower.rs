//! Lowering: a [`Checked`] program → a [`Plan`]. Names become global indices or frame slots,
//! named arguments become parameter positions, and each global is marked random when it
//! depends on an ensemble (so it is re-evaluated for every draw).

use crate::check::{Checked, GlobalDef, Res};
use crate::ir::code::*;
use crate::ir::plan::*;
use crate::ir::value::Value;
use crate::span::Span;
use crate::syntax::ast::*;
use std::sync::Arc;

mod provenance;

/// Lower a checked program. `text` gives the source of each span (for expect messages).
pub fn lower(checked: &Checked, text: impl Fn(Span) -> String) -> Plan {
    let lw = Lowerer { checked };
    let mut globals: Vec<GlobalPlan> = checked
        .globals
        .iter()
        .enumerate()
        .map(|(id, g)| GlobalPlan {
            name: g.name.clone(),
            span: g.span,
            body: lw.global(id, &g.def),
            random: false,
            deps: checked.deps.get(&id).cloned().unwrap_or_default(),
        })
        .collect();
    mark_random(&mut globals, checked);
    let expects = checked
        .expects
        .iter()
        .map(|e| lw.expect(e, &text))
        .collect();
    let sweeps = checked
        .sweeps
        .iter()
        .enumerate()
        .map(|(i, s)| lw.sweep(i, s))
        .collect();
    Plan {
        globals,
        reports: checked.reports.clone(),
        expects,
        sweeps,
        provenance: provenance::collect(checked, &text),
    }
}

/// A global is random when it is per-draw (an ensemble, a network, a data set) or depends on
/// a random global, except a block whose runs are the draws ([`crate::schema::KindSchema::runs_are_draws`]).
fn mark_random(globals: &mut [GlobalPlan], checked: &Checked) {
    for g in globals.iter_mut() {
        g.random = matches!(g.body, GlobalBody::Ensemble { .. });
    }
    loop {
        let mut changed = false;
        for id in 0..globals.len() {
            let deps = checked.deps.get(&id).map(|d| d.as_slice()).unwrap_or(&[]);
            let owns_draws =
                matches!(globals[id].body, GlobalBody::Job { kind, .. } if kind.runs_are_draws);
            if !globals[id].random && !owns_draws && deps.iter().any(|&d| globals[d].random) {
                globals[id].random = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

struct Lowerer<'a> {
    checked: &'a Checked,
}

impl Lowerer<'_> {
    fn global(&self, id: usize, def: &GlobalDef) -> GlobalBody {
        match def {
            GlobalDef::Let(e) => GlobalBody::Let(self.expr(e)),
            GlobalDef::Fn(f) => {
                let params = f
                    .params
                    .iter()
                    .map(|p| {
                        (
                            p.name.name.clone(),
                            p.default.as_ref().map(|d| self.expr(d)),
                        )
                    })
                    .collect();
                let body = match &f.body {
                    FnBody::Expr(e) => FnImpl::Code(Arc::new(self.expr(e))),
                    FnBody::Builtin(_, span) => match self.checked.resolutions.get(span) {
                        Some(Res::Builtin(b)) => FnImpl::Builtin(b),
                        _ => unreachable!("the checker resolves every `= builtin` body"),
                    },
                };
                GlobalBody::Fn { params, body }
            }
            GlobalDef::Decl(d) => {
                let kind = self.checked.decl_kinds[&id];
                match &d.body {
                    // A constructor-form kind is a value: drawn afresh per draw, or once.
                    DeclBody::Expr(e) if kind.per_draw => GlobalBody::Ensemble {
                        kind,
                        code: self.expr(e),
                    },
                    DeclBody::Expr(e) => GlobalBody::Let(self.expr(e)),
                    DeclBody::Block(items) => GlobalBody::Job {
                        kind,
                        fields: self.job_fields(items),
                    },
                }
            }
            GlobalDef::Report(r) => GlobalBody::Report(self.named_items(&r.items)),
        }
    }

    fn job_fields(&self, items: &[Item]) -> Vec<JobField> {
        items
            .iter()
            .filter_map(|i| match &i.kind {
                ItemKind::Field(n, e) => Some(vec![JobField {
                    name: n.name.clone(),
                    span: n.span,
                    params: None,
                    code: self.expr(e),
                }]),
                ItemKind::FnField(n, p, e) => Some(vec![JobField {
                    name: n.name.clone(),
                    span: n.span,
                    params: Some(p.len()),
                    code: self.expr(e),
                }]),
                // `domain x in (a, b) cells n`: field `domain` holds the region, its `params`
                // the number of variables; `domain.cells` (a name no script can write) holds
                // the cell counts as a vector.
                ItemKind::Domain {
                    vars,
                    region,
                    cells,
                } => {
                    let span = vars.first().map(|v| v.span).unwrap_or(i.span);
                    let counts = cells.iter().map(|c| self.expr(c)).collect();
                    Some(vec![
                        JobField {
                            name: "domain".into(),
                            span,
                            params: Some(vars.len()),
                            code: self.expr(region),
                        },
                        JobField {
                            name: "domain.cells".into(),
                            span: cells.first().map(|c| c.span).unwrap_or(i.span),
                            params: None,
                            code: Code::Vector(counts, i.span),
                        },
                    ])
                }
                // `observe every k { items }`: field `observe` holds the items as a record,
                // `observe.every` the period; `stop when c`: field `stop` holds c. The kind's
                // step executor (`kinds::observe`) evaluates them with its scope bound.
                ItemKind::Observe { every, items } => Some(vec![
                    JobField {
                        name: "observe".into(),
                        span: i.span,
                        params: None,
                        code: Code::Record(self.named_items(items)),
                    },
                    JobField {
                        name: "observe.every".into(),
                        span: every.span,
                        params: None,
                        code: self.expr(every),
                    },
                ]),
                ItemKind::Stop(c) => Some(vec![JobField {
                    name: "stop".into(),
                    span: c.span,
                    params: None,
                    code: self.expr(c),
                }]),
                _ => None,
            })
            .flatten()
            .collect()
    }

    fn named_items(&self, items: &[Item]) -> Vec<(String, Code)> {
        items
            .iter()
            .filter_map(|i| match &i.kind {
                ItemKind::Field(n, e) => Some((n.name.clone(), self.expr(e))),
                ItemKind::Bare(e) => Some((crate::naming::item_name(e), self.expr(e))),
                ItemKind::Run(n) => Some((n.name.clone(), self.name(&n.name, n.span))),
                _ => None,
            })
            .collect()
    }

    fn expect(&self, e: &Expect, text: &impl Fn(Span) -> String) -> ExpectPlan {
        let mut t = text(e.cond.span);
        if let Some(tol) = &e.tolerance {
            t = format!(
                "{t} within {}{}",
                text(tol.value.span),
                if tol.relative { "%" } else { "" }
            );
        }
        ExpectPlan {
            text: t,
            span: e.cond.span,
            cond: self.expr(&e.cond),
            tolerance: e
                .tolerance
                .as_ref()
                .map(|t| (self.expr(&t.value), t.relative)),
        }
    }

    fn sweep(&self, i: usize, s: &Sweep) -> SweepPlan {
        let name = s
            .name
            .as_ref()
            .map(|n| n.name.clone())
            .unwrap_or_else(|| format!("sweep_{}", i + 1));
        let bindings = s
            .bindings
            .iter()
            .map(|b| {
                (
                    self.checked.by_name.get(&b.var.name).copied(),
                    b.var.name.clone(),
                    self.expr(&b.values),
                )
            })
            .collect();
        SweepPlan {
            name,
            span: s
                .name
                .as_ref()
                .map(|n| n.span)
                .unwrap_or(s.bindings[0].var.span),
            bindings,
            items: self.named_items(&s.items),
            summary: s.summary.as_ref().map(|e| self.expr(e)),
        }
    }

    fn name(&self, n: &str, span: Span) -> Code {
        match self.checked.resolutions.get(&span) {
            Some(Res::Global(id)) => Code::Global(*id, span),
            Some(Res::Local(slot)) => Code::Local(*slot),
            Some(Res::Const(v)) => Code::Const(Value::Num(*v)),
            Some(Res::Builtin(b)) => Code::Const(Value::builtin(b)),
            None => match self.checked.by_name.get(n) {
                Some(&id) => Code::Global(id, span),
                None => Code::Const(Value::Num(f64::NAN)),
            },
        }
    }

    /// Lower an expression to code.
    pub fn expr(&self, e: &Expr) -> Code {
        crate::deep::deep(|| self.expr_node(e))
    }

    fn expr_node(&self, e: &Expr) -> Code {
        let b = |x: &Expr| Box::new(self.expr(x));
        match &e.kind {
            ExprKind::Num(v) => Code::Const(Value::Num(*v)),
            ExprKind::Str(s) => Code::Const(Value::Str(s.as_str().into())),
            ExprKind::Bool(v) => Code::Const(Value::Bool(*v)),
            ExprKind::Name(n) => self.name(n, e.span),
            ExprKind::Vector(items) => {
                Code::Vector(items.iter().map(|x| self.expr(x)).collect(), e.span)
            }
            ExprKind::Comprehension(body, g) => {
                Code::Comprehension(b(body), Box::new(self.generator(g)), e.span)
            }
            ExprKind::Sum(g, body) => Code::Sum(b(body), Box::new(self.generator(g)), e.span),
            ExprKind::Record(fields) => Code::Record(
                fields
                    .iter()
                    .map(|(n, x)| (n.name.clone(), self.expr(x)))
                    .collect(),
            ),
            ExprKind::Lambda(params, body) => Code::Lambda(params.len(), Arc::new(self.expr(body))),
            ExprKind::If(c, t, f) => {
                Code::If(Box::new([self.expr(c), self.expr(t), self.expr(f)]), e.span)
            }
            ExprKind::Unary(op, x) => Code::Unary(*op, b(x), e.span),
            ExprKind::Binary(op, x, y) => {
                Code::Binary(*op, Box::new([self.expr(x), self.expr(y)]), e.span)
            }
            ExprKind::Call(callee, args) => self.call(callee, args, e.span),
            ExprKind::Index(t, items) => self.index(t, items, e.span),
            ExprKind::Member(t, f) => Code::Member(b(t), f.name.clone(), f.span),
            ExprKind::Transpose(x) => Code::Transpose(b(x), e.span),
        }
    }

    fn generator(&self, g: &Generator) -> Loop {
        Loop {
            iter: self.expr(&g.iter),
            filter: g.filter.as_ref().map(|f| self.expr(f)),
        }
    }

    fn index(&self, t: &Expr, items: &[IndexItem], span: Span) -> Code {
        let items = items
            .iter()
            .map(|i| match i {
                IndexItem::All(_) => None,
                IndexItem::Expr(x) => Some(self.expr(x)),
            })
            .collect();
        Code::Index(Box::new(self.expr(t)), items, span)
    }

    fn call(&self, callee: &Expr, args: &[Arg], span: Span) -> Code {
        let res = self.checked.resolutions.get(&callee.span).copied();
        match res {
            Some(Res::Builtin(b)) => {
                let names: Vec<&str> = b.params.iter().map(|p| p.name).collect();
                let law = |k: usize| b.params[k].ty == crate::types::ParamTy::LayerLaw;
                Code::CallBuiltin(b, self.by_position(&names, args, law), span)
            }
            Some(Res::Global(id)) => match &self.checked.globals[id].def {
                GlobalDef::Fn(f) => {
                    let names: Vec<&str> = f.params.iter().map(|p| p.name.name.as_str()).collect();
                    Code::CallGlobal(id, self.by_position(&names, args, |_| false), span)
                }
                _ => self.call_value(callee, args, span),
            },
            _ => self.call_value(callee, args, span),
        }
    }

    fn call_value(&self, callee: &Expr, args: &[Arg], span: Span) -> Code {
        Code::CallValue(
            Box::new(self.expr(callee)),
            args.iter().map(|a| self.expr(&a.value)).collect(),
            span,
        )
    }

    /// Arguments in parameter order (the checker has verified the names).
    /// Arguments in parameter order; a parameter for which `layer_law` holds takes an
    /// expression that is not a lambda as the function `(fan_in, fan_out, layer) -> expr`
    /// ([`crate::types::ParamTy::LayerLaw`], as the checker read it).
    fn by_position(
        &self,
        names: &[&str],
        args: &[Arg],
        layer_law: impl Fn(usize) -> bool,
    ) -> Vec<Option<Code>> {
        let mut out: Vec<Option<Code>> = vec![None; names.len()];
        let mut positional = 0;
        for a in args {
            let k = match &a.name {
                None => {
                    positional += 1;
                    positional - 1
                }
                Some(n) => names
                    .iter()
                    .position(|p| *p == n.name)
                    .unwrap_or(usize::MAX),
            };
            let lambda = matches!(a.value.kind, ExprKind::Lambda(..));
            if let Some(slot) = out.get_mut(k) {
                let code = self.expr(&a.value);
                *slot = Some(if layer_law(k) && !lambda {
                    Code::Lambda(3, Arc::new(code))
                } else {
                    code
                });
            }
        }
        out
    }
}
