//! The per-step compiler's decisions made at check time, without values: every function field
//! a kind calls each step ([`crate::schema::FieldSpec::per_step`]) is walked as
//! [`super::expand`] would expand it, and a construct that reads the parameters but has no
//! compiled form is reported where it is written, with the reason. What only the values can
//! decide (vector lengths, an index out of range) is left to the compiler.

use super::ex::is_scalar_op;
use super::rules::{refusal, step_builtin, STEP_BUILTINS_HELP};
use crate::diag::{Diagnostic, ErrorCode};
use crate::ir::code::{Code, Loop};
use crate::ir::plan::{FnImpl, GlobalBody, JobField, Plan};
use crate::span::Span;

/// Whether a slot is fixed when compiling (a constant) or a parameter of the step.
type Dyn = bool;

/// Every construct of a per-step function of `plan` that cannot compile.
pub fn verify(plan: &Plan) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for g in &plan.globals {
        let GlobalBody::Job { kind, fields } = &g.body else {
            continue;
        };
        for f in fields {
            let per_step = kind.field(&f.name).is_some_and(|s| s.per_step);
            if let (true, Some(n)) = (per_step, f.params) {
                let mut env = vec![false; kind.scope.len()];
                env.extend(std::iter::repeat_n(true, n));
                let mut v = Verifier {
                    plan,
                    calls: Vec::new(),
                };
                if let Err(d) = v.visit(&f.code, &mut env, f.span) {
                    out.push(in_field(d, f));
                }
            }
        }
    }
    out
}

fn in_field(d: Diagnostic, f: &JobField) -> Diagnostic {
    d.label(
        f.span,
        format!("in `{}`, compiled to run every step", f.name),
    )
}

struct Verifier<'p> {
    plan: &'p Plan,
    calls: Vec<usize>,
}

fn refuse(span: Span, what: &str, help: &str) -> Diagnostic {
    Diagnostic::new(
        ErrorCode::CheckPerStep,
        format!("{what} cannot be used in a per-step function"),
    )
    .label(span, "here")
    .help(help.to_string())
}

const HELP: &str = "per-step functions use numbers, their parameters, arithmetic, elementary functions, `if`, user functions, loops over constant ranges and constant vectors and matrices";

fn reads(code: &Code, env: &[Dyn]) -> bool {
    crate::ir::scan::walk(
        code,
        &|c| matches!(c, Code::Local(s) if env.get(*s) == Some(&true)),
    )
}

impl Verifier<'_> {
    fn visit(&mut self, code: &Code, env: &mut Vec<Dyn>, span: Span) -> Result<Dyn, Diagnostic> {
        crate::deep::deep(|| self.visit_one(code, env, span))
    }

    fn visit_one(
        &mut self,
        code: &Code,
        env: &mut Vec<Dyn>,
        span: Span,
    ) -> Result<Dyn, Diagnostic> {
        if !reads(code, env) {
            return Ok(false);
        }
        match code {
            Code::Local(_) => {}
            Code::Vector(items, s) => {
                for c in items {
                    self.visit(c, env, *s)?;
                }
            }
            Code::Comprehension(body, lp, s) | Code::Sum(body, lp, s) => {
                self.visit_loop(body, lp, env, *s)?
            }
            Code::If(parts, s) => {
                for c in parts.iter() {
                    self.visit(c, env, *s)?;
                }
            }
            Code::Unary(_, x, s) => {
                self.visit(x, env, *s)?;
            }
            Code::Binary(op, xy, s) => {
                if !is_scalar_op(*op) {
                    return Err(refuse(*s, &format!("`{}`", op.symbol()), HELP));
                }
                self.visit(&xy[0], env, *s)?;
                self.visit(&xy[1], env, *s)?;
            }
            Code::CallBuiltin(b, args, s) => {
                let given = args.iter().take_while(|a| a.is_some()).count();
                if step_builtin(b, given).is_none() {
                    return Err(refuse(
                        *s,
                        &format!("`{}` of the parameters", b.name),
                        STEP_BUILTINS_HELP,
                    ));
                }
                for a in args.iter().flatten() {
                    self.visit(a, env, *s)?;
                }
            }
            Code::CallGlobal(id, args, s) => self.visit_call(*id, args, env, *s)?,
            Code::Index(t, items, s) => {
                self.visit(t, env, *s)?;
                for item in items.iter().flatten() {
                    env.push(false);
                    let r = self.visit(item, env, *s);
                    env.pop();
                    r?;
                }
            }
            other => {
                let s = match other {
                    Code::Member(_, _, s) | Code::Transpose(_, s) | Code::CallValue(_, _, s) => *s,
                    _ => span,
                };
                return Err(refuse(s, &refusal(other), HELP));
            }
        }
        Ok(true)
    }

    fn visit_loop(
        &mut self,
        body: &Code,
        lp: &Loop,
        env: &mut Vec<Dyn>,
        span: Span,
    ) -> Result<(), Diagnostic> {
        if reads(&lp.iter, env) {
            return Err(refuse(span, "a loop over values computed from the parameters", "loops in per-step functions run over constant ranges, e.g. `sum(j in 0..n: A[i, j] * x[j])`"));
        }
        env.push(false);
        let r = match &lp.filter {
            Some(f) if reads(f, env) => Err(refuse(
                span,
                "a loop filter computed from the parameters",
                "write the condition as `if` inside the loop body",
            )),
            _ => self.visit(body, env, span).map(|_| ()),
        };
        env.pop();
        r
    }

    /// A call of a global `fn`: its body is inlined, so it is verified with the arguments'
    /// dependence on the parameters.
    fn visit_call(
        &mut self,
        id: usize,
        args: &[Option<Code>],
        env: &mut Vec<Dyn>,
        span: Span,
    ) -> Result<(), Diagnostic> {
        let g = &self.plan.globals[id];
        let GlobalBody::Fn { params, body } = &g.body else {
            return Ok(());
        };
        if self.calls.contains(&id) {
            return Err(refuse(span, &format!("the recursive function `{}`", g.name), "per-step functions inline the functions they call, so these cannot call themselves"));
        }
        let mut inner = Vec::with_capacity(params.len());
        for (k, (_, default)) in params.iter().enumerate() {
            let d = match (args.get(k).and_then(|a| a.as_ref()), default) {
                (Some(a), _) => self.visit(a, env, span)?,
                (None, Some(d)) => self.visit(d, &mut inner, span)?,
                (None, None) => false,
            };
            inner.push(d);
        }
        self.calls.push(id);
        let r = match body {
            FnImpl::Code(code) => self.visit(code, &mut inner, span).map(|_| ()),
            FnImpl::Builtin(b)
                if inner.contains(&true) && step_builtin(b, inner.len()).is_none() =>
            {
                Err(refuse(
                    span,
                    &format!("`{}` of the parameters", g.name),
                    STEP_BUILTINS_HELP,
                ))
            }
            FnImpl::Builtin(_) => Ok(()),
        };
        self.calls.pop();
        r
    }
}
