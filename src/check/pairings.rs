//! Fields of a block whose declarations must go together ([`crate::schema::Pairing`]): a
//! `train` block's `pcd` optimizer needs a Gaussian RBM, a perceptron needs data with targets.
//! The checker sees which constructor made each declaration a field names, so a pair that
//! cannot run is refused at the field, before anything runs.

use super::{Checker, GlobalDef};
use crate::diag::{Diagnostic, ErrorCode};
use crate::schema::KindSchema;
use crate::span::Span;
use crate::syntax::ast::*;

impl Checker {
    /// Refuse every pairing of `k` that the given fields break.
    pub(super) fn check_pairings(&mut self, k: &KindSchema, items: &[Item]) {
        for p in k.pairings {
            let Some((maker, _)) = self.maker_of(items, p.field) else {
                continue;
            };
            if !p.makers.contains(&maker.as_str()) {
                continue;
            }
            let Some((other, span)) = self.maker_of(items, p.other) else {
                continue;
            };
            if p.other_makers.contains(&other.as_str()) {
                continue;
            }
            let fits: Vec<String> = p.other_makers.iter().map(|m| format!("`{m}`")).collect();
            let d = Diagnostic::new(
                ErrorCode::CheckFieldValue,
                format!(
                    "`{} = {maker}(...)` cannot go with `{} = {other}(...)`",
                    p.field, p.other
                ),
            )
            .label(span, format!("made by `{other}`"))
            .help(format!(
                "{}; with `{maker}`, `{}` is made by {}",
                p.reason,
                p.other,
                fits.join(" or ")
            ));
            self.error(d);
        }
    }

    /// The constructor that made the declaration a field names, and the field's span:
    /// `model = student` with `network student = mlp(...)` gives `mlp`. None when the field
    /// is absent or not a plain name of a constructor-made declaration.
    fn maker_of(&self, items: &[Item], field: &str) -> Option<(String, Span)> {
        let e = items.iter().find_map(|i| match &i.kind {
            ItemKind::Field(n, e) if n.name == field => Some(e),
            _ => None,
        })?;
        let ExprKind::Name(name) = &e.kind else {
            return None;
        };
        let id = *self.out.by_name.get(name)?;
        let GlobalDef::Decl(d) = &self.out.globals[id].def else {
            return None;
        };
        let DeclBody::Expr(made) = &d.body else {
            return None;
        };
        let ExprKind::Call(callee, _) = &made.kind else {
            return None;
        };
        match &callee.kind {
            ExprKind::Name(m) => Some((m.clone(), e.span)),
            _ => None,
        }
    }
}
