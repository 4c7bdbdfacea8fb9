//! Questions about a whole [`Plan`] answered by walking its compiled code: e.g. whether any
//! expression reads a run's stationary density, so that a backend may skip computing it.

use crate::ir::code::{Code, Loop};
use crate::ir::plan::{FnImpl, GlobalBody, Plan};
use crate::ir::value::{Func, Value};

impl Plan {
    /// Whether any code of the plan (definitions, reports, expectations, sweeps, block fields)
    /// satisfies `pred` somewhere in its tree.
    pub fn any_code(&self, pred: &dyn Fn(&Code) -> bool) -> bool {
        let globals = self.globals.iter().any(|g| match &g.body {
            GlobalBody::Let(c) | GlobalBody::Ensemble { code: c, .. } => walk(c, pred),
            GlobalBody::Fn { params, body } => {
                params
                    .iter()
                    .filter_map(|p| p.1.as_ref())
                    .any(|c| walk(c, pred))
                    || matches!(body, FnImpl::Code(c) if walk(c, pred))
            }
            GlobalBody::Report(items) => items.iter().any(|i| walk(&i.1, pred)),
            GlobalBody::Job { fields, .. } => fields.iter().any(|f| walk(&f.code, pred)),
        });
        let expects = self
            .expects
            .iter()
            .any(|e| walk(&e.cond, pred) || e.tolerance.as_ref().is_some_and(|t| walk(&t.0, pred)));
        let sweeps = self.sweeps.iter().any(|s| {
            s.bindings.iter().any(|b| walk(&b.2, pred))
                || s.items.iter().any(|i| walk(&i.1, pred))
                || s.summary.as_ref().is_some_and(|c| walk(c, pred))
        });
        globals || expects || sweeps
    }

    /// Whether `code` can give a different value in each draw: it reads a random global (an
    /// ensemble, or a definition that depends on one) or calls a function that does. Locals
    /// (report items, parameters) are fixed within a pooled call, so they never count.
    pub fn varies_per_draw(&self, code: &Code) -> bool {
        walk(code, &|c| match c {
            Code::Global(id, _) | Code::CallGlobal(id, ..) => self.globals[*id].random,
            _ => false,
        })
    }

    /// Whether the plan may read a stationary density: calls (or passes around)
    /// `stationary_density`, or reads a field named `stationary`.
    pub fn reads_stationary(&self) -> bool {
        self.reads("stationary_density", "stationary")
    }

    /// Whether the plan may read a Fokker–Planck Hamiltonian (`hamiltonian_spectrum`, or a
    /// field named `hamiltonian`).
    pub fn reads_hamiltonian(&self) -> bool {
        self.reads("hamiltonian_spectrum", "hamiltonian")
    }

    /// Whether any code calls or passes around the builtin `builtin`, or reads a field `field`.
    fn reads(&self, builtin: &str, field: &str) -> bool {
        self.any_code(&|c| match c {
            Code::CallBuiltin(b, ..) => b.name == builtin,
            Code::Const(Value::Func(f)) => {
                matches!(f.as_ref(), Func::Builtin(b) if b.name == builtin)
            }
            Code::Member(_, name, _) => name == field,
            _ => false,
        })
    }
}

/// `pred` on `code` or on any code below it (not into the bodies of the global functions it
/// calls).
pub fn walk(code: &Code, pred: &dyn Fn(&Code) -> bool) -> bool {
    crate::deep::deep(|| walk_node(code, pred))
}

fn walk_node(code: &Code, pred: &dyn Fn(&Code) -> bool) -> bool {
    if pred(code) {
        return true;
    }
    let w = |c: &Code| walk(c, pred);
    let opt = |c: &Option<Code>| c.as_ref().is_some_and(|c| walk(c, pred));
    let lp = |l: &Loop| w(&l.iter) || opt(&l.filter);
    match code {
        Code::Const(_) | Code::Global(..) | Code::Local(_) => false,
        Code::Vector(items, _) => items.iter().any(w),
        Code::Comprehension(body, l, _) | Code::Sum(body, l, _) => w(body) || lp(l),
        Code::Record(fields) => fields.iter().any(|f| w(&f.1)),
        Code::Lambda(_, body) => w(body),
        Code::If(parts, _) => parts.iter().any(w),
        Code::Binary(_, xy, _) => xy.iter().any(w),
        Code::Unary(_, x, _) | Code::Transpose(x, _) | Code::Member(x, _, _) => w(x),
        Code::CallBuiltin(_, args, _) | Code::CallGlobal(_, args, _) => args.iter().any(opt),
        Code::CallValue(f, args, _) => w(f) || args.iter().any(w),
        Code::Index(t, items, _) => w(t) || items.iter().any(opt),
    }
}
