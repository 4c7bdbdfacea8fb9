#![doc = include_str!("../ARCHITECTURE.md")]

pub mod backend;
pub mod builtins;
pub mod check;
pub mod deep;
pub mod diag;
pub mod eval;
#[doc(hidden)]
pub mod fuzz_harness;
pub mod ir;
pub mod kinds;
pub mod limits;
pub mod lower;
pub mod naming;
pub mod number;
pub mod observe;
pub mod output;
pub mod progress;
pub mod reference;
pub mod repl;
pub mod schema;
pub mod span;
pub mod stdlib;
pub mod syntax;
pub mod types;

use crate::diag::ErrorCode;
use diag::{Diagnostic, Diagnostics};
use span::Sources;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use syntax::ast::{Program, StmtKind};

/// A parsed script together with the stdlib modules it uses (modules first).
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub units: Vec<(Program, Option<String>)>,
}

impl Parsed {
    /// Add a parsed file and load every stdlib module it uses that is not loaded yet.
    pub fn add(&mut self, sources: &mut Sources, program: Program) -> Result<(), Diagnostics> {
        let uses: Vec<String> = program
            .stmts
            .iter()
            .filter_map(|s| match &s.kind {
                StmtKind::Use(m) => Some(m.name.clone()),
                _ => None,
            })
            .collect();
        for m in uses {
            let loaded = self
                .units
                .iter()
                .any(|(_, name)| name.as_deref() == Some(&m));
            if let (false, Some(text)) = (loaded, stdlib::source(&m)) {
                let file = sources.add(format!("stdlib/{m}.wmd"), text);
                let module = syntax::parse_program(file, text)?;
                self.units.insert(0, (module, Some(m)));
            }
        }
        self.units.push((program, None));
        Ok(())
    }
}

/// Parse a script (and the stdlib modules it uses).
pub fn parse(sources: &mut Sources, name: &str, text: &str) -> Result<Parsed, Diagnostics> {
    let file = sources.add(name, text);
    let program = syntax::parse_program(file, text)?;
    let mut parsed = Parsed::default();
    parsed.add(sources, program)?;
    Ok(parsed)
}

/// Replace `let NAME = ...` of the script with the expression given on the command line.
pub fn apply_sets(
    parsed: &mut Parsed,
    sources: &mut Sources,
    sets: &[(String, String)],
) -> Result<(), Diagnostics> {
    for (name, text) in sets {
        let file = sources.add(format!("--set {name}"), text.as_str());
        let value = syntax::parse_expr(file, text).map_err(|d| set_value_error(name, d))?;
        let slot = parsed
            .units
            .iter_mut()
            .filter(|(_, m)| m.is_none())
            .flat_map(|(p, _)| p.stmts.iter_mut())
            .find_map(|s| match &mut s.kind {
                StmtKind::Let(n, e) if n.name == *name => Some(e),
                _ => None,
            });
        match slot {
            Some(e) => *e = value,
            None => {
                let d = Diagnostic::new(
                    ErrorCode::UsageSet,
                    format!("--set {name}: the script has no `let {name}`"),
                )
                .help("--set replaces the value of a `let` at the top of the script");
                return Err(d.into());
            }
        }
    }
    Ok(())
}

/// A `--set` value that does not parse is a usage error (the CLI exits 2, as for any bad
/// option): the parse diagnostics keep their message, span and help under
/// `wmd::usage::set_value`.
fn set_value_error(name: &str, d: Diagnostics) -> Diagnostics {
    let d = d.0.into_iter().map(|mut x| {
        x.message = format!("--set {name}: the value does not parse: {}", x.message);
        x.code = ErrorCode::UsageSetValue;
        x.help = Some(match x.help {
            Some(h) => format!("{h}\nthe value of --set is a wmd expression, e.g. --set n=2^10"),
            None => "the value of --set is a wmd expression, e.g. --set n=2^10".into(),
        });
        x
    });
    Diagnostics(d.collect())
}

/// Check a parsed program.
pub fn check(parsed: &Parsed) -> Result<check::Checked, Diagnostics> {
    let units: Vec<check::Unit> = parsed
        .units
        .iter()
        .map(|(p, m)| check::Unit {
            program: p,
            module: m.clone(),
        })
        .collect();
    let tables = check::Tables {
        kinds: kinds::schemas(),
        builtins: eval::table::signatures(),
    };
    let checked = check::check(&units, tables)?;
    // What the per-step compiler cannot take is refused here, at the construct.
    let plan = lower::lower(&checked, |_| String::new());
    let refused = eval::compile::verify::verify(&plan);
    if refused.is_empty() {
        Ok(checked)
    } else {
        Err(Diagnostics(refused))
    }
}

/// Lower a checked program to a plan.
pub fn lower(checked: &check::Checked, sources: &Sources) -> ir::plan::Plan {
    lower::lower(checked, |s| sources.slice(s).to_string())
}

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub seed: u64,
    /// Worker threads (None: all cores). Results do not depend on it.
    pub threads: Option<usize>,
    /// Set to stop a run early (Ctrl-C).
    pub interrupt: Arc<AtomicBool>,
    /// Job results kept across runs of plans lowered from one [`Sources`] (the REPL's
    /// session): a block whose definition and dependencies are unchanged is not run again.
    /// `None` (the default) runs every job.
    pub jobs: Option<Arc<eval::JobCache>>,
    /// Told of every long job's progress (runs × steps, time steps, sweep points): what the
    /// CLI draws as progress bars. `None` (the default) tells no one. Results do not depend
    /// on it.
    pub progress: Option<Arc<dyn progress::Progress>>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            seed: 0,
            threads: None,
            interrupt: Arc::new(AtomicBool::new(false)),
            jobs: None,
            progress: None,
        }
    }
}

/// Run a plan.
pub fn run(
    plan: &ir::plan::Plan,
    sources: &Sources,
    opts: &RunOptions,
) -> Result<ir::outcome::Outcome, Diagnostics> {
    let mut builder = rayon::ThreadPoolBuilder::new().stack_size(limits::WORKER_STACK);
    if let Some(n) = opts.threads {
        builder = builder.num_threads(n.max(1));
    }
    let pool = builder.build().map_err(|e| {
        Diagnostics::one(Diagnostic::new(
            ErrorCode::RunThreads,
            format!("cannot start threads: {e}"),
        ))
    })?;
    let ctl = eval::run::Control {
        interrupt: opts.interrupt.clone(),
        jobs: opts.jobs.clone(),
        progress: opts.progress.clone(),
    };
    pool.install(|| eval::run::run_plan(plan, sources, opts.seed, ctl))
        .map_err(|e| Diagnostics::one(e.to_diagnostic()))
}

/// Parse, check, lower and run a script given as text.
pub fn run_source(
    sources: &mut Sources,
    name: &str,
    text: &str,
    sets: &[(String, String)],
    opts: &RunOptions,
) -> Result<ir::outcome::Outcome, Diagnostics> {
    let mut parsed = parse(sources, name, text)?;
    apply_sets(&mut parsed, sources, sets)?;
    let checked = check(&parsed)?;
    let plan = lower(&checked, sources);
    run(&plan, sources, opts)
}
