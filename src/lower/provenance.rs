//! Where each report item and sweep summary came from in the script: its text and, for a
//! call, the text of its arguments; for a sweep (path `[sweep]`), its varied names as `args`. Figures take their titles and axis labels from it
//! (`fit_line(T, sigma2, sigma = e)` plots `sigma2` against `T` with error bars `e`).

use crate::check::{Checked, GlobalDef};
use crate::ir::outcome::Provenance;
use crate::span::Span;
use crate::syntax::ast::*;

/// The provenance of every report item and every sweep summary (or field of one).
pub fn collect(checked: &Checked, text: &impl Fn(Span) -> String) -> Vec<Provenance> {
    let mut out = Vec::new();
    for &id in &checked.reports {
        let g = &checked.globals[id];
        if let GlobalDef::Report(r) = &g.def {
            for item in &r.items {
                if let Some((name, e)) = named_expr(item) {
                    out.push(of_expr(vec![g.name.clone(), name], e, text));
                }
            }
        }
    }
    for (i, s) in checked.sweeps.iter().enumerate() {
        let name = (s.name.as_ref())
            .map(|n| n.name.clone())
            .unwrap_or_else(|| format!("sweep_{}", i + 1));
        let bindings = (s.bindings.iter())
            .map(|b| (None, b.var.name.clone()))
            .collect();
        out.push(Provenance {
            path: vec![name.clone()],
            text: format!("sweep {name}"),
            args: bindings,
            theory: None,
        });
        let Some(summary) = &s.summary else { continue };
        let path = vec![name, "summary".to_string()];
        if let ExprKind::Record(fields) = &summary.kind {
            for (field, e) in fields {
                let path = [path.clone(), vec![field.name.clone()]].concat();
                out.push(of_expr(path, e, text));
            }
        }
        out.push(of_expr(path, summary, text));
    }
    out
}

/// A report item's name (as the results tree has it) and expression.
fn named_expr(item: &Item) -> Option<(String, &Expr)> {
    match &item.kind {
        ItemKind::Field(n, e) => Some((n.name.clone(), e)),
        ItemKind::Bare(e) => Some((crate::naming::item_name(e), e)),
        _ => None,
    }
}

fn of_expr(path: Vec<String>, e: &Expr, text: &impl Fn(Span) -> String) -> Provenance {
    let (call, theory) = match &e.kind {
        ExprKind::Binary(BinOp::Vs, a, b) => (a.as_ref(), Some(text(b.span))),
        _ => (e, None),
    };
    let args = match &call.kind {
        ExprKind::Call(_, args) => (args.iter())
            .map(|a| (a.name.as_ref().map(|n| n.name.clone()), text(a.value.span)))
            .collect(),
        _ => Vec::new(),
    };
    Provenance {
        path,
        text: text(e.span),
        args,
        theory,
    }
}
