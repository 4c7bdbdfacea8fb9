//! Names given to unnamed report items, shared by the checker and the evaluator.

use crate::syntax::ast::{BinOp, Expr, ExprKind};

/// A readable name for a bare report item: `histogram(x) vs marchenko_pastur(r)` becomes
/// `histogram_vs_marchenko_pastur`, `mean(x)` becomes `mean`, `a.b` becomes `a_b`.
pub fn item_name(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Binary(BinOp::Vs, a, b) => format!("{}_vs_{}", item_name(a), item_name(b)),
        ExprKind::Call(callee, _) => item_name(callee),
        ExprKind::Name(n) => n.clone(),
        ExprKind::Member(t, f) => format!("{}_{}", item_name(t), f.name),
        ExprKind::Index(t, _) | ExprKind::Transpose(t) => item_name(t),
        ExprKind::Binary(_, a, _) => item_name(a),
        _ => "value".to_string(),
    }
}
