//! Collecting top-level definitions, inferring their types lazily, and finding cycles.

use super::{suggest, Checker, Global, GlobalDef, Res, Unit};
use crate::diag::Diagnostic;
use crate::diag::ErrorCode;
use crate::span::Span;
use crate::syntax::ast::*;
use crate::types::Ty;
use std::collections::HashMap;

impl Checker {
    /// Add a file's definitions to the global table.
    pub fn collect(&mut self, unit: &Unit) {
        for stmt in &unit.program.stmts {
            let module = unit.module.clone();
            match &stmt.kind {
                StmtKind::Use(_) => {}
                StmtKind::Let(name, e) => self.define(name, GlobalDef::Let(e.clone()), module),
                StmtKind::Fn(f) => self.define(&f.name.clone(), GlobalDef::Fn(f.clone()), module),
                StmtKind::Decl(d) => {
                    self.define(&d.name.clone(), GlobalDef::Decl(d.clone()), module)
                }
                StmtKind::Report(r) => {
                    let name = r
                        .name
                        .clone()
                        .unwrap_or_else(|| self.report_name(stmt.span));
                    let id = self.out.globals.len();
                    self.define(&name, GlobalDef::Report(r.clone()), module);
                    if self.out.globals.len() > id {
                        self.out.reports.push(id);
                    }
                }
                StmtKind::Expect(e) => self.out.expects.push(e.clone()),
                StmtKind::Sweep(s) => self.out.sweeps.push(s.clone()),
            }
        }
    }

    /// `report`, `report_2`, ... for unnamed reports.
    fn report_name(&self, span: Span) -> Ident {
        let n = self.out.reports.len();
        let name = if n == 0 {
            "report".to_string()
        } else {
            format!("report_{}", n + 1)
        };
        Ident {
            name,
            span: Span {
                end: span.start + 6,
                ..span
            },
        }
    }

    fn define(&mut self, name: &Ident, def: GlobalDef, module: Option<String>) {
        if let Some(&prev) = self.out.by_name.get(&name.name) {
            let p = &self.out.globals[prev];
            let note = match &p.module {
                Some(m) => format!("first defined by `use {m}`"),
                None => "first defined here".to_string(),
            };
            let d = Diagnostic::new(
                ErrorCode::CheckDuplicateDefinition,
                format!("`{}` is defined twice", name.name),
            )
            .label(name.span, "defined again here")
            .label(p.span, note)
            .help("rename one of them");
            self.error(d);
            return;
        }
        if self.builtin(&name.name).is_some() && module.is_none() {
            let d = Diagnostic::new(
                ErrorCode::CheckShadowsBuiltin,
                format!("`{}` is a built-in function", name.name),
            )
            .label(name.span, "this name is taken by a builtin")
            .help("choose another name");
            self.error(d);
            return;
        }
        self.out
            .by_name
            .insert(name.name.clone(), self.out.globals.len());
        self.out.globals.push(Global {
            name: name.name.clone(),
            span: name.span,
            def,
            module,
        });
    }

    /// Every `use` must name a stdlib module.
    pub fn check_uses(&mut self, units: &[Unit]) {
        for unit in units {
            for stmt in &unit.program.stmts {
                if let StmtKind::Use(m) = &stmt.kind {
                    if crate::stdlib::source(&m.name).is_none() {
                        let mut d = Diagnostic::new(
                            ErrorCode::CheckUnknownModule,
                            format!("no stdlib module `{}`", m.name),
                        )
                        .label(m.span, "not a module");
                        let names = crate::stdlib::MODULES.iter().map(|(n, _)| *n);
                        let list = crate::stdlib::MODULES
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ");
                        d = d.help(match suggest::did_you_mean(&m.name, names) {
                            Some(s) => format!("{s} (modules: {list})"),
                            None => format!("modules: {list}"),
                        });
                        self.error(d);
                    }
                }
            }
        }
    }

    /// The type of a global, inferred on first use (its body is checked then, once).
    pub fn global_ty(&mut self, id: usize) -> Ty {
        if let Some(t) = self.out.types.get(&id) {
            return t.clone();
        }
        if self.inferring.contains(&id) {
            return Ty::Any;
        }
        self.inferring.push(id);
        let saved = std::mem::take(&mut self.locals);
        let ty = match self.out.globals[id].def.clone() {
            GlobalDef::Let(e) => self.expr(&e),
            GlobalDef::Fn(f) => fn_ty(&f.params),
            GlobalDef::Decl(d) => self.decl_ty(id, &d),
            GlobalDef::Report(_) => Ty::Record,
        };
        self.locals = saved;
        self.inferring.pop();
        self.out.types.insert(id, ty.clone());
        ty
    }

    /// Check the parts of a global that type inference did not (function bodies, blocks).
    pub fn check_global_body(&mut self, id: usize) {
        self.inferring.push(id);
        match self.out.globals[id].def.clone() {
            GlobalDef::Let(_) => {}
            GlobalDef::Fn(f) => self.check_fn(&f),
            GlobalDef::Decl(d) => self.check_decl(id, &d),
            GlobalDef::Report(r) => self.check_report(&r),
        }
        self.inferring.pop();
    }

    fn check_fn(&mut self, f: &FnDef) {
        match &f.body {
            FnBody::Expr(body) => {
                self.with_params(&f.params, |cx| {
                    cx.expr(body);
                });
            }
            FnBody::Builtin(path, span) => {
                let last = path.rsplit('.').next().unwrap_or(path);
                if let Some(b) = self.builtin(last) {
                    self.out.resolutions.insert(*span, Res::Builtin(b));
                } else {
                    let d = Diagnostic::new(
                        ErrorCode::CheckUnknownBuiltin,
                        format!("no builtin kernel `{path}`"),
                    )
                    .label(*span, "unknown kernel");
                    self.error(d);
                }
            }
        }
    }

    /// Check defaults and run `body` with the parameters bound as locals.
    pub fn with_params(&mut self, params: &[Param], body: impl FnOnce(&mut Self)) {
        let saved = std::mem::take(&mut self.locals);
        for p in params {
            if let Some(d) = &p.default {
                self.expr(d);
            }
            self.locals.push((p.name.name.clone(), Ty::Any));
        }
        body(self);
        self.locals = saved;
    }

    /// Definitions may come in any order, but none may depend on itself.
    pub fn check_cycles(&mut self) {
        let deps = &self.out.deps;
        let mut state = vec![0u8; self.out.globals.len()];
        let mut errors = Vec::new();
        for start in 0..self.out.globals.len() {
            let mut path = Vec::new();
            find_cycle(start, deps, &mut state, &mut path, &mut errors);
        }
        for cycle in errors {
            let names: Vec<&str> = cycle
                .iter()
                .map(|&i| self.out.globals[i].name.as_str())
                .collect();
            let first = &self.out.globals[cycle[0]];
            let d = Diagnostic::new(ErrorCode::CheckCycle, format!("`{}` is defined in terms of itself", first.name))
                .label(first.span, format!("cycle: {} → {}", names.join(" → "), names[0]))
                .help("definitions (and functions) may not refer to themselves, directly or through others");
            self.errors.push(d);
        }
    }
}

/// Depth-first search; `state` 0 = new, 1 = on the path, 2 = done.
fn find_cycle(
    node: usize,
    deps: &HashMap<usize, Vec<usize>>,
    state: &mut [u8],
    path: &mut Vec<usize>,
    out: &mut Vec<Vec<usize>>,
) {
    if state[node] == 2 {
        return;
    }
    if state[node] == 1 {
        let at = path.iter().position(|&n| n == node).unwrap_or(0);
        out.push(path[at..].to_vec());
        return;
    }
    state[node] = 1;
    path.push(node);
    for &next in deps.get(&node).map(|v| v.as_slice()).unwrap_or(&[]) {
        find_cycle(next, deps, state, path, out);
    }
    path.pop();
    state[node] = 2;
}

fn fn_ty(params: &[Param]) -> Ty {
    let optional = params.iter().filter(|p| p.default.is_some()).count();
    Ty::Func {
        required: params.len() - optional,
        optional,
    }
}
