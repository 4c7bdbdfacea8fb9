//! Statements and block items: `Pairs` → AST.

use super::ast::*;
use super::grammar::{is_kw, Rule};
use super::Cx;
use crate::span::Span;
use pest::iterators::Pair;

/// The children of a pair, keywords dropped.
fn parts(p: Pair<Rule>) -> Vec<Pair<Rule>> {
    p.into_inner().filter(|c| !is_kw(c)).collect()
}

impl Cx {
    pub fn stmt(&self, p: Pair<Rule>) -> Stmt {
        let span = self.span(&p);
        let rule = p.as_rule();
        let mut it = parts(p).into_iter();
        let kind = match rule {
            Rule::use_stmt => StmtKind::Use(self.ident(it.next().unwrap())),
            Rule::let_stmt => {
                let name = self.ident(it.next().unwrap());
                StmtKind::Let(name, self.expr(it.next().unwrap()))
            }
            Rule::fn_stmt => StmtKind::Fn(self.fn_def(it)),
            Rule::decl_stmt => StmtKind::Decl(self.decl(it)),
            Rule::sweep_stmt => StmtKind::Sweep(self.sweep(it.collect())),
            Rule::report_stmt => StmtKind::Report(self.report(it.collect())),
            Rule::expect_stmt => StmtKind::Expect(self.expect(it)),
            r => unreachable!("grammar: unexpected statement {r:?}"),
        };
        Stmt { kind, span }
    }

    fn fn_def(&self, mut it: std::vec::IntoIter<Pair<'_, Rule>>) -> FnDef {
        let name = self.ident(it.next().unwrap());
        let params = self.params(it.next().unwrap());
        let body = it.next().unwrap();
        let body = if body.as_rule() == Rule::builtin_ref {
            let path = parts(body).into_iter().next().unwrap();
            FnBody::Builtin(path.as_str().to_string(), self.span(&path))
        } else {
            FnBody::Expr(self.expr(body))
        };
        FnDef { name, params, body }
    }

    pub fn params(&self, p: Pair<Rule>) -> Vec<Param> {
        p.into_inner()
            .map(|param| {
                let mut it = param.into_inner();
                let name = self.ident(it.next().unwrap());
                let default = it.next().map(|e| self.expr(e));
                Param { name, default }
            })
            .collect()
    }

    fn decl(&self, mut it: std::vec::IntoIter<Pair<'_, Rule>>) -> Decl {
        let kind = self.ident(it.next().unwrap());
        let name = self.ident(it.next().unwrap());
        let body = it.next().unwrap();
        let body = if body.as_rule() == Rule::block {
            DeclBody::Block(self.items(body))
        } else {
            DeclBody::Expr(self.expr(body))
        };
        Decl { kind, name, body }
    }

    fn sweep(&self, kids: Vec<Pair<Rule>>) -> Sweep {
        let mut sweep = Sweep {
            name: None,
            bindings: Vec::new(),
            items: Vec::new(),
            summary: None,
        };
        for p in kids {
            match p.as_rule() {
                Rule::ident => sweep.name = Some(self.ident(p)),
                Rule::binding => {
                    let mut b = parts(p);
                    let var = self.ident(b.remove(0));
                    let values = self.expr(b.remove(0));
                    sweep.bindings.push(Binding { var, values });
                }
                Rule::block => sweep.items = self.items(p),
                _ => sweep.summary = Some(self.expr(p)),
            }
        }
        sweep
    }

    fn report(&self, kids: Vec<Pair<Rule>>) -> Report {
        let mut name = None;
        let mut items = Vec::new();
        for p in kids {
            match p.as_rule() {
                Rule::ident => name = Some(self.ident(p)),
                _ => items = self.items(p),
            }
        }
        Report { name, items }
    }

    fn expect(&self, mut it: std::vec::IntoIter<Pair<'_, Rule>>) -> Expect {
        let cond = self.expr(it.next().unwrap());
        let tolerance = it.next().map(|tol| {
            let mut t = tol.into_inner();
            let value = self.expr(t.next().unwrap());
            Tolerance {
                value,
                relative: t.next().is_some(),
            }
        });
        Expect { cond, tolerance }
    }

    pub fn items(&self, block: Pair<Rule>) -> Vec<Item> {
        block.into_inner().map(|p| self.item(p)).collect()
    }

    /// `plot NAME { x = a, y = b }` as the call `plot(x = a, y = b)`, spanning the item.
    fn plot_call(&self, span: Span, fields: Vec<Pair<Rule>>) -> Expr {
        let args = (fields.into_iter())
            .map(|f| {
                let mut parts = f.into_inner();
                let name = self.ident(parts.next().unwrap());
                let value = self.expr(parts.next().unwrap());
                Arg {
                    name: Some(name),
                    value,
                }
            })
            .collect();
        let callee = Expr {
            kind: ExprKind::Name("plot".into()),
            span: Span {
                end: span.start + 4,
                ..span
            },
        };
        Expr {
            kind: ExprKind::Call(Box::new(callee), args),
            span,
        }
    }

    fn item(&self, p: Pair<Rule>) -> Item {
        let span = self.span(&p);
        let rule = p.as_rule();
        let mut it = parts(p).into_iter();
        let kind = match rule {
            Rule::field => {
                let name = self.ident(it.next().unwrap());
                ItemKind::Field(name, self.expr(it.next().unwrap()))
            }
            Rule::fn_field => {
                let name = self.ident(it.next().unwrap());
                let params = self.params(it.next().unwrap());
                ItemKind::FnField(name, params, self.expr(it.next().unwrap()))
            }
            Rule::bare_item => ItemKind::Bare(self.expr(it.next().unwrap())),
            Rule::domain_item => {
                let vars = it.next().unwrap().into_inner().map(|v| self.ident(v));
                let vars = vars.collect();
                let region = self.expr(it.next().unwrap());
                let cells = it.map(|c| self.expr(c)).collect();
                ItemKind::Domain {
                    vars,
                    region,
                    cells,
                }
            }
            Rule::observe_item => {
                let every = self.expr(it.next().unwrap());
                let items = self.items(it.next().unwrap());
                ItemKind::Observe { every, items }
            }
            Rule::stop_item => ItemKind::Stop(self.expr(it.next().unwrap())),
            Rule::run_item => ItemKind::Run(self.ident(it.next().unwrap())),
            Rule::plot_item => {
                let name = self.ident(it.next().unwrap());
                ItemKind::Field(name, self.plot_call(span, it.collect()))
            }
            r => unreachable!("grammar: unexpected item {r:?}"),
        };
        Item { kind, span }
    }
}
