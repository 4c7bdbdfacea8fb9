//! The REPL session, kept in the library so that tests can drive it: each input is parsed as
//! statements or an expression, checked against everything defined so far, and run through
//! the same stages as `wmd run`. A definition may be given again: it replaces the old one
//! when the whole session still checks. Job results are kept across inputs until something
//! they depend on is redefined ([`crate::eval::JobCache`]).

mod complete;
mod display;
mod plot;

use crate::eval::JobCache;
use crate::ir::outcome::Outcome;
use crate::ir::plan::{GlobalBody, Plan};
use crate::ir::value::Value;
use crate::span::{FileId, Sources};
use crate::syntax::ast::*;
use crate::syntax::{self, ReplInput};
use crate::{Parsed, RunOptions};
use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// What the REPL prints after an input.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Text(String),
    Error(String),
    Quit,
}

/// Definitions accepted so far, the plan they lower to, and the job results they produced.
pub struct Session {
    sources: Sources,
    parsed: Parsed,
    /// The session's plan as of the last accepted input (completion reads it).
    plan: Option<Plan>,
    inputs: usize,
    jobs: Arc<JobCache>,
    jobs_run: usize,
    /// Where `:plot` writes its SVG files (default `out/repl`).
    pub plot_dir: std::path::PathBuf,
    /// How inputs run. Its `interrupt` flag is cleared before each input, so a front end may
    /// raise it (Ctrl-C) to stop a computation; `jobs` is the session's cache.
    pub options: RunOptions,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

const HELP: &str = "\
Enter statements (`let`, `fn`, `use`, `KIND NAME { ... }`, `report`, `expect`) or an
expression to evaluate. Definitions persist; an open block continues on the next line.
  :help          this text and the index of the reference
  :help NAME     the reference of a kind, builtin, stdlib function or statement (:help sweep)
  :load FILE     add a script's definitions     :defs        list what is defined
  :show EXPR     a vector or matrix whole        :reset       forget every definition
  :plot EXPR     write its figure to out/repl/NAME.svg (opens nothing)
  :quit          leave (also Ctrl-D)
";

impl Session {
    pub fn new() -> Self {
        let jobs = Arc::new(JobCache::default());
        Session {
            sources: Sources::new(),
            parsed: Parsed::default(),
            plan: None,
            inputs: 0,
            jobs: jobs.clone(),
            jobs_run: 0,
            plot_dir: std::path::PathBuf::from("out/repl"),
            options: RunOptions {
                threads: None,
                jobs: Some(jobs),
                ..Default::default()
            },
        }
    }

    /// How many block runs (jobs) this session has made; a job answered from the cache is
    /// not one.
    pub fn jobs_run(&self) -> usize {
        self.jobs_run
    }

    /// Handle one input.
    pub fn input(&mut self, line: &str) -> Reply {
        self.options.interrupt.store(false, Ordering::Relaxed);
        let t = line.trim();
        if let Some(cmd) = t.strip_prefix(':') {
            return self.command(cmd.trim());
        }
        let file = self.next_file(line);
        match syntax::parse_repl(file, line) {
            Err(d) => Reply::Error(d.render(&self.sources, false)),
            Ok(ReplInput::Stmts(p)) => self.statements(p),
            Ok(ReplInput::Expr(e)) => self.expression(e),
        }
    }

    /// Add an input's text to the sources as `<repl N>`.
    fn next_file(&mut self, text: &str) -> FileId {
        self.inputs += 1;
        self.sources.add(format!("<repl {}>", self.inputs), text)
    }

    fn command(&mut self, cmd: &str) -> Reply {
        let (head, arg) = cmd
            .split_once(' ')
            .map(|(a, b)| (a, b.trim()))
            .unwrap_or((cmd, ""));
        match head {
            "q" | "quit" | "exit" => Reply::Quit,
            "help" | "h" if arg.is_empty() => Reply::Text(kind_help("")),
            "help" | "h" => Reply::Text(kind_help(arg)),
            "defs" => Reply::Text(self.completions_defined()),
            "load" => self.load(arg),
            "reset" => self.reset(),
            "show" => self.show(arg),
            "plot" => self.plot(arg),
            _ => Reply::Error(format!("unknown command :{head} (try :help)\n")),
        }
    }

    /// `:load FILE`: add a script's definitions (replacing those it defines again).
    fn load(&mut self, path: &str) -> Reply {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let file = self.sources.add(path, text.as_str());
                match syntax::parse_program(file, &text) {
                    Ok(p) => self.statements(p),
                    Err(d) => Reply::Error(d.render(&self.sources, false)),
                }
            }
            Err(e) => Reply::Error(format!("cannot read {path}: {e}\n")),
        }
    }

    /// `:reset`: forget every definition and every kept job result.
    fn reset(&mut self) -> Reply {
        self.parsed = Parsed::default();
        self.plan = None;
        self.jobs.clear();
        Reply::Text("forgot every definition\n".into())
    }

    /// `:show EXPR`: the expression's value, vectors and matrices whole.
    /// `:plot EXPR`: its figure as `plot_dir/NAME.svg`.
    fn plot(&mut self, text: &str) -> Reply {
        if text.is_empty() {
            return Reply::Error("usage: :plot NAME (or any expression)\n".into());
        }
        let file = self.next_file(text);
        let value = match syntax::parse_expr(file, text) {
            Err(d) => return Reply::Error(d.render(&self.sources, false)),
            Ok(e) => match self.evaluate(e) {
                Ok(v) => v,
                Err(r) => return r,
            },
        };
        let stem = plot::stem(text, self.inputs);
        match plot::write(&self.plot_dir, &stem, text, &value) {
            Ok(path) => Reply::Text(format!("wrote {}\n", path.display())),
            Err(e) => Reply::Error(format!("{e}\n")),
        }
    }

    fn show(&mut self, text: &str) -> Reply {
        if text.is_empty() {
            return Reply::Error("usage: :show NAME (or any expression)\n".into());
        }
        let file = self.next_file(text);
        match syntax::parse_expr(file, text) {
            Err(d) => Reply::Error(d.render(&self.sources, false)),
            Ok(e) => match self.evaluate(e) {
                Ok(v) => Reply::Text(display::whole(&v)),
                Err(r) => r,
            },
        }
    }

    fn completions_defined(&self) -> String {
        let mut out = String::new();
        for (p, module) in &self.parsed.units {
            for n in p.stmts.iter().filter_map(defined_name) {
                if module.is_none() {
                    out.push_str(&format!("{n}\n"));
                }
            }
        }
        if out.is_empty() {
            out.push_str("nothing defined yet\n");
        }
        out
    }

    /// Accept statements if the whole session still checks with them (a name defined again
    /// replaces its old definition); then run the reports and expects they add.
    fn statements(&mut self, program: Program) -> Reply {
        let file = program.stmts.first().map(|s| s.span.file);
        let mut trial = self.parsed.clone();
        let redefined = forget(&mut trial, &program);
        if let Err(d) = trial.add(&mut self.sources, program.clone()) {
            return Reply::Error(d.render(&self.sources, false));
        }
        let checked = match crate::check(&trial) {
            Ok(c) => c,
            Err(d) => {
                let mut e = d.render(&self.sources, false);
                for n in &redefined {
                    e.push_str(&format!("not redefined: the old `{n}` is kept\n"));
                }
                return Reply::Error(e);
            }
        };
        self.parsed = trial;
        let mut plan = crate::lower(&checked, &self.sources);
        self.keep_plan(&plan);
        plan.reports
            .retain(|&id| Some(plan.globals[id].span.file) == file);
        plan.expects.retain(|e| Some(e.span.file) == file);
        plan.sweeps.clear();
        let redefined_note: String = redefined
            .iter()
            .map(|n| format!("redefined {n}\n"))
            .collect();
        if plan.reports.is_empty() && plan.expects.is_empty() {
            let new: Vec<String> = program
                .stmts
                .iter()
                .filter_map(defined_name)
                .filter(|n| !redefined.contains(n))
                .collect();
            let defined = match new.is_empty() {
                true => String::new(),
                false => format!("defined {}\n", new.join(", ")),
            };
            return Reply::Text(defined + &redefined_note);
        }
        match self.execute(&plan) {
            Ok(o) => Reply::Text(redefined_note + &crate::output::summary(&o)),
            Err(e) => e,
        }
    }

    /// Keep the session's plan for completion, and drop the job results that no job of it
    /// can use any more (something they depended on was redefined).
    fn keep_plan(&mut self, plan: &Plan) {
        let seed = self.options.seed;
        let live: HashSet<_> = (0..plan.globals.len())
            .filter(|&id| matches!(plan.globals[id].body, GlobalBody::Job { .. }))
            .map(|id| plan.def_key(id, seed))
            .collect();
        self.jobs.retain(&live);
        self.plan = Some(plan.clone());
    }

    /// Evaluate an expression and print its value (long vectors shortened).
    fn expression(&mut self, e: Expr) -> Reply {
        match self.evaluate(e) {
            Ok(v) => Reply::Text(display::short(&v)),
            Err(r) => r,
        }
    }

    /// The value of an expression, run as a one-field report of the session.
    fn evaluate(&mut self, e: Expr) -> Result<Value, Reply> {
        let span = e.span;
        let ident = |name: &str| Ident {
            name: name.into(),
            span,
        };
        let item = Item {
            kind: ItemKind::Field(ident("value"), e),
            span,
        };
        let report = Stmt {
            kind: StmtKind::Report(Report {
                name: Some(ident(REPL_REPORT)),
                items: vec![item],
            }),
            span,
        };
        let mut trial = self.parsed.clone();
        let stmts = vec![report];
        trial.units.push((Program { stmts }, None));
        let checked =
            crate::check(&trial).map_err(|d| Reply::Error(d.render(&self.sources, false)))?;
        let mut plan = crate::lower(&checked, &self.sources);
        plan.reports
            .retain(|&id| plan.globals[id].name == REPL_REPORT);
        plan.expects.clear();
        plan.sweeps.clear();
        let o = self.execute(&plan)?;
        let value = o.reports.first().and_then(|(_, r)| r.field("value"));
        Ok(value.cloned().unwrap_or(Value::Bool(false)))
    }

    /// Run a plan with the session's options; an interruption is reported as such.
    fn execute(&mut self, plan: &Plan) -> Result<Outcome, Reply> {
        let out = crate::run(plan, &self.sources, &self.options);
        if let Ok(o) = &out {
            self.jobs_run += o.timings.len();
        }
        out.map_err(|d| {
            if self.options.interrupt.load(Ordering::Relaxed) {
                Reply::Error("interrupted (definitions kept)\n".into())
            } else {
                Reply::Error(d.render(&self.sources, false))
            }
        })
    }
}

/// The name of the report an expression is evaluated as.
const REPL_REPORT: &str = "_repl";

/// Remove from the session's own units every statement that `program` defines again; the
/// names so replaced, in `program`'s order.
fn forget(parsed: &mut Parsed, program: &Program) -> Vec<String> {
    let names: Vec<String> = program.stmts.iter().filter_map(named).collect();
    let mut redefined = Vec::new();
    for (p, module) in parsed.units.iter_mut() {
        if module.is_some() {
            continue;
        }
        p.stmts.retain(|s| match named(s) {
            Some(n) if names.contains(&n) => {
                redefined.push(n);
                false
            }
            _ => true,
        });
    }
    parsed
        .units
        .retain(|(p, m)| m.is_some() || !p.stmts.is_empty());
    names
        .into_iter()
        .filter(|n| redefined.contains(n))
        .collect()
}

/// The name a statement defines, unnamed reports excepted (each is a new one).
fn named(s: &Stmt) -> Option<String> {
    match &s.kind {
        StmtKind::Report(r) => r.name.as_ref().map(|n| n.name.clone()),
        _ => defined_name(s),
    }
}

fn defined_name(s: &Stmt) -> Option<String> {
    match &s.kind {
        StmtKind::Let(n, _) => Some(n.name.clone()),
        StmtKind::Fn(f) => Some(f.name.name.clone()),
        StmtKind::Decl(d) => Some(d.name.name.clone()),
        StmtKind::Report(r) => r
            .name
            .as_ref()
            .map(|n| n.name.clone())
            .or(Some("report".into())),
        _ => None,
    }
}

/// `:help NAME`: the reference entry of a kind, builtin, stdlib function or statement form
/// ([`crate::reference`], the text of `wmd doc NAME`); `:help` alone: the REPL's commands, then
/// the index of every entry.
pub fn kind_help(name: &str) -> String {
    if name.trim().is_empty() {
        return format!("{HELP}\n{}", crate::reference::index_text());
    }
    match crate::reference::lookup(name) {
        Ok(e) => crate::reference::entry_text(&e),
        Err(e) => format!("{e}\n"),
    }
}
