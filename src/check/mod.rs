//! Checking: the parsed files → a [`Checked`] program, or every error found in one go.
//! Names are resolved (locals to frame slots, globals to indices), kinds and fields are held
//! against their schemas, calls against their signatures, and obvious type and shape errors
//! are reported before anything runs.

mod arith;
mod builtin_types;
mod decls;
mod expr;
mod globals;
mod pairings;
pub(crate) mod suggest;

use crate::builtins::Builtin;
use crate::diag::{Diagnostic, Diagnostics};
use crate::schema::KindSchema;
use crate::span::Span;
use crate::syntax::ast::*;
use crate::types::Ty;
use std::collections::HashMap;

pub use suggest::did_you_mean;

/// What a name refers to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Res {
    Global(usize),
    /// A slot of the current frame (function parameters, lambda parameters, loop variables).
    Local(usize),
    Builtin(&'static Builtin),
    Const(f64),
}

/// A top-level definition.
#[derive(Debug, Clone)]
pub enum GlobalDef {
    Let(Expr),
    Fn(FnDef),
    Decl(Decl),
    Report(Report),
}

#[derive(Debug, Clone)]
pub struct Global {
    pub name: String,
    pub span: Span,
    pub def: GlobalDef,
    /// `Some(module)` when it comes from `use module`.
    pub module: Option<String>,
}

/// A checked program: every name resolved, ready to lower.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    pub globals: Vec<Global>,
    pub by_name: HashMap<String, usize>,
    /// Reports in source order (indices into `globals`).
    pub reports: Vec<usize>,
    pub expects: Vec<Expect>,
    pub sweeps: Vec<Sweep>,
    /// Resolution of every `Name` expression, keyed by its span.
    pub resolutions: HashMap<Span, Res>,
    /// Types inferred for globals.
    pub types: HashMap<usize, Ty>,
    /// Which globals each global refers to.
    pub deps: HashMap<usize, Vec<usize>>,
    /// The kind of each declaration (`KIND NAME ...`), by global index.
    pub decl_kinds: HashMap<usize, &'static KindSchema>,
}

impl Checked {
    pub fn global(&self, name: &str) -> Option<&Global> {
        self.by_name.get(name).map(|&i| &self.globals[i])
    }
}

/// One parsed file and whether it is a stdlib module.
pub struct Unit<'a> {
    pub program: &'a Program,
    pub module: Option<String>,
}

/// The tables a program is checked against: the kinds' schemas (the registry's,
/// [`crate::kinds::schemas`]) and the builtins' signatures ([`crate::eval::table::signatures`]).
pub struct Tables {
    pub kinds: Vec<&'static KindSchema>,
    pub builtins: Vec<&'static Builtin>,
}

/// Check parsed files (stdlib modules first, then the script) as one program.
pub fn check(units: &[Unit], tables: Tables) -> Result<Checked, Diagnostics> {
    let mut cx = Checker {
        kinds: tables.kinds,
        builtins: tables.builtins,
        ..Checker::default()
    };
    for unit in units {
        cx.collect(unit);
    }
    cx.check_uses(units);
    cx.check_all();
    cx.check_cycles();
    if cx.errors.is_empty() {
        Ok(cx.out)
    } else {
        cx.errors
            .sort_by_key(|d| d.primary_span().map(|s| (s.file, s.start)));
        Err(Diagnostics(cx.errors))
    }
}

/// Checker state.
#[derive(Default)]
pub(crate) struct Checker {
    pub out: Checked,
    pub errors: Vec<Diagnostic>,
    /// Local scope: names by slot.
    pub locals: Vec<(String, Ty)>,
    /// Globals whose type is being inferred (to stop on cycles).
    pub inferring: Vec<usize>,
    /// The kinds declarations are held against.
    pub kinds: Vec<&'static KindSchema>,
    /// The builtins' signatures, which names and calls are resolved to.
    pub builtins: Vec<&'static Builtin>,
    /// The names the block being checked rebinds in its `observe` and `stop`
    /// ([`KindSchema::rebinds`]), one per rebinding field.
    pub rebound: Vec<String>,
}

impl Checker {
    /// The builtin called `name`.
    pub fn builtin(&self, name: &str) -> Option<&'static Builtin> {
        self.builtins.iter().copied().find(|b| b.name == name)
    }

    pub fn error(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    pub fn check_all(&mut self) {
        for id in 0..self.out.globals.len() {
            let ty = self.global_ty(id);
            self.out.types.insert(id, ty);
        }
        for id in 0..self.out.globals.len() {
            self.check_global_body(id);
        }
        let expects = self.out.expects.clone();
        for e in &expects {
            self.check_expect(e);
        }
        let sweeps = self.out.sweeps.clone();
        for s in &sweeps {
            self.check_sweep(s);
        }
    }
}
