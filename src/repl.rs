//! The REPL session, kept in the library so that tests can drive it: each input is parsed as
//! statements or an expression, checked against everything defined so far, and run through
//! the same stages as `wmd run`.

use crate::ir::outcome::Outcome;
use crate::span::Sources;
use crate::syntax::ast::*;
use crate::syntax::{self, ReplInput};
use crate::{Parsed, RunOptions};

/// What the REPL prints after an input.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Text(String),
    Error(String),
    Quit,
}

/// Definitions accepted so far.
pub struct Session {
    sources: Sources,
    parsed: Parsed,
    inputs: usize,
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
  :reset         forget every definition     :show NAME   print a vector/matrix whole
  :quit          leave (also Ctrl-D)
";

impl Session {
    pub fn new() -> Self {
        Session {
            sources: Sources::new(),
            parsed: Parsed::default(),
            inputs: 0,
            options: RunOptions {
                threads: None,
                ..Default::default()
            },
        }
    }

    /// Names for completion: definitions, builtins, kinds and keywords.
    pub fn completions(&self) -> Vec<String> {
        let mut names: Vec<String> = crate::eval::table::all_rows()
            .map(|r| r.sig.name.to_string())
            .collect();
        names.extend(
            crate::kinds::REGISTRY
                .iter()
                .map(|k| k.schema.name.to_string()),
        );
        names.extend(["let", "fn", "use", "report", "expect", "sweep", "within"].map(String::from));
        for (p, _) in &self.parsed.units {
            names.extend(p.stmts.iter().filter_map(defined_name));
        }
        names.sort();
        names.dedup();
        names
    }

    /// Handle one input.
    pub fn input(&mut self, line: &str) -> Reply {
        let t = line.trim();
        if let Some(cmd) = t.strip_prefix(':') {
            return self.command(cmd.trim());
        }
        self.inputs += 1;
        let name = format!("<repl {}>", self.inputs);
        let file = self.sources.add(name, line);
        match syntax::parse_repl(file, line) {
            Err(d) => Reply::Error(d.render(&self.sources, false)),
            Ok(ReplInput::Stmts(p)) => self.statements(p),
            Ok(ReplInput::Expr(e)) => self.expression(e),
        }
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
            "load" => match std::fs::read_to_string(arg) {
                Ok(text) => {
                    let file = self.sources.add(arg, text.as_str());
                    match syntax::parse_program(file, &text) {
                        Ok(p) => self.statements(p),
                        Err(d) => Reply::Error(d.render(&self.sources, false)),
                    }
                }
                Err(e) => Reply::Error(format!("cannot read {arg}: {e}\n")),
            },
            _ => Reply::Error(format!("unknown command :{head} (try :help)\n")),
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

    /// Accept statements if the whole session still checks; run new reports and expects.
    fn statements(&mut self, program: Program) -> Reply {
        let mut trial = self.parsed.clone();
        if let Err(d) = trial.add(&mut self.sources, program.clone()) {
            return Reply::Error(d.render(&self.sources, false));
        }
        let checked = match crate::check(&trial) {
            Ok(c) => c,
            Err(d) => return Reply::Error(d.render(&self.sources, false)),
        };
        self.parsed = trial;
        let new_reports: Vec<String> = program
            .stmts
            .iter()
            .filter(|s| matches!(s.kind, StmtKind::Report(_)))
            .filter_map(defined_name)
            .collect();
        let new_expects = program
            .stmts
            .iter()
            .filter(|s| matches!(s.kind, StmtKind::Expect(_)))
            .count();
        if new_reports.is_empty() && new_expects == 0 {
            let names: Vec<String> = program.stmts.iter().filter_map(defined_name).collect();
            return Reply::Text(if names.is_empty() {
                String::new()
            } else {
                format!("defined {}\n", names.join(", "))
            });
        }
        let mut plan = crate::lower(&checked, &self.sources);
        plan.reports
            .retain(|&id| new_reports.contains(&plan.globals[id].name));
        let keep = plan.expects.len() - new_expects;
        plan.expects.drain(..keep);
        plan.sweeps.clear();
        self.execute(&plan)
            .map(|o| Reply::Text(crate::output::summary(&o)))
            .unwrap_or_else(|e| e)
    }

    /// Evaluate an expression as a one-field report and print its value.
    fn expression(&mut self, e: Expr) -> Reply {
        let span = e.span;
        let item = Item {
            kind: ItemKind::Field(
                Ident {
                    name: "value".into(),
                    span,
                },
                e,
            ),
            span,
        };
        let report = Stmt {
            kind: StmtKind::Report(Report {
                name: Some(Ident {
                    name: "_repl".into(),
                    span,
                }),
                items: vec![item],
            }),
            span,
        };
        let mut trial = self.parsed.clone();
        trial.units.push((
            Program {
                stmts: vec![report],
            },
            None,
        ));
        let checked = match crate::check(&trial) {
            Ok(c) => c,
            Err(d) => return Reply::Error(d.render(&self.sources, false)),
        };
        let mut plan = crate::lower(&checked, &self.sources);
        plan.reports.retain(|&id| plan.globals[id].name == "_repl");
        plan.expects.clear();
        plan.sweeps.clear();
        match self.execute(&plan) {
            Ok(o) => Reply::Text(show_value(&o)),
            Err(e) => e,
        }
    }

    fn execute(&self, plan: &crate::ir::plan::Plan) -> Result<Outcome, Reply> {
        crate::run(plan, &self.sources, &self.options)
            .map_err(|d| Reply::Error(d.render(&self.sources, false)))
    }
}

fn show_value(o: &Outcome) -> String {
    let Some(v) = o.reports.first().and_then(|(_, r)| r.field("value")) else {
        return String::new();
    };
    let json = crate::output::to_json(v);
    match v {
        crate::ir::value::Value::Record(_) | crate::ir::value::Value::List(_) => {
            crate::output::serialise(&json, false).unwrap_or_default()
        }
        crate::ir::value::Value::Vector(xs) if xs.len() > 20 => {
            let head: Vec<String> = xs[..10].iter().map(|x| crate::number::sig(*x, 6)).collect();
            format!("[{}, ...] ({} values)\n", head.join(", "), xs.len())
        }
        crate::ir::value::Value::Vector(xs) => format!(
            "[{}]\n",
            xs.iter()
                .map(|x| crate::number::sig(*x, 6))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        crate::ir::value::Value::Num(x) => format!("{}\n", crate::number::sig(*x, 10)),
        other => format!("{}\n", other.describe()),
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
