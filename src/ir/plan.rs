//! The plan: a program as plain jobs, its names resolved to global indices and frame slots and
//! its named arguments to parameter positions. Lowering makes it; the evaluator runs it.

use crate::builtins::Builtin;
use crate::ir::code::Code;
use crate::schema::KindSchema;
use crate::span::Span;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub enum FnImpl {
    Code(Arc<Code>),
    Builtin(&'static Builtin),
}

#[derive(Debug, Clone)]
pub enum GlobalBody {
    Let(Code),
    Fn {
        params: Vec<(String, Option<Code>)>,
        body: FnImpl,
    },
    /// `KIND NAME = constructor(...)` of a per-draw kind (`ensemble`, `network`, `data`): the
    /// constructor's code, whose value the kind's realizer draws from afresh for every draw.
    Ensemble {
        kind: &'static KindSchema,
        code: Code,
    },
    /// A report's items, named.
    Report(Vec<(String, Code)>),
    /// A block declaration `KIND NAME { ... }`: its kind and its fields, for the kind's runner.
    Job {
        kind: &'static KindSchema,
        fields: Vec<JobField>,
    },
}

/// One field of a block: `name = expr`, or `name(params) = expr` with its parameter count.
#[derive(Debug, Clone)]
pub struct JobField {
    pub name: String,
    pub span: Span,
    pub params: Option<usize>,
    pub code: Code,
}

#[derive(Debug, Clone)]
pub struct GlobalPlan {
    pub name: String,
    pub span: Span,
    pub body: GlobalBody,
    /// Depends on an ensemble: evaluated once per draw instead of once per run.
    pub random: bool,
    /// The globals its definition refers to (indices into [`Plan::globals`]).
    pub deps: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct ExpectPlan {
    pub text: String,
    pub span: Span,
    pub cond: Code,
    pub tolerance: Option<(Code, bool)>,
}

#[derive(Debug, Clone)]
pub struct SweepPlan {
    pub name: String,
    pub span: Span,
    /// Varied globals (None for `seed`), their names and value lists.
    pub bindings: Vec<(Option<usize>, String, Code)>,
    /// Items computed at each point: (name, code or the job run).
    pub items: Vec<(String, Code)>,
    pub summary: Option<Code>,
}

/// The program as plain jobs for the evaluator.
#[derive(Debug, Clone)]
pub struct Plan {
    pub globals: Vec<GlobalPlan>,
    pub reports: Vec<usize>,
    pub expects: Vec<ExpectPlan>,
    pub sweeps: Vec<SweepPlan>,
    /// The source of every report item and sweep summary.
    pub provenance: Vec<crate::ir::outcome::Provenance>,
}

/// What a global's value is made of at one seed: the spans of its own definition and of
/// every definition it depends on, transitively. Within one [`crate::span::Sources`] a span
/// names one definition's text for good (sources are only ever added), so two plans lowered
/// from the same session give a global the same key exactly when neither it nor anything it
/// depends on was redefined: the key of a job result cached across runs (the REPL's).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DefKey {
    pub seed: u64,
    pub spans: Vec<Span>,
}

impl Plan {
    pub fn global_id(&self, name: &str) -> Option<usize> {
        self.globals.iter().position(|g| g.name == name)
    }

    /// The [`DefKey`] of global `id` at `seed`.
    pub fn def_key(&self, id: usize, seed: u64) -> DefKey {
        let mut seen = vec![false; self.globals.len()];
        let mut stack = vec![id];
        let mut spans = Vec::new();
        while let Some(g) = stack.pop() {
            if g >= seen.len() || std::mem::replace(&mut seen[g], true) {
                continue;
            }
            spans.push(self.globals[g].span);
            stack.extend(&self.globals[g].deps);
        }
        spans.sort_by_key(|s| (s.file, s.start, s.end));
        DefKey { seed, spans }
    }
}
