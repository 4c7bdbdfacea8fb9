//! The evaluator's state: the plan it runs, the point of the run (seed, sweep point,
//! overrides), the globals computed once or once per draw, and what it records (defaults,
//! timings).

use super::error::{Result, RunError};
use crate::diag::ErrorCode;
use crate::ir::code::Code;
use crate::ir::plan::{GlobalBody, Plan};
use crate::ir::value::{self as value, Value};
use crate::progress::{Progress, Watch};
use crate::span::{Sources, Span};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// One draw of every ensemble: its index and the random globals computed for it.
pub struct Draw {
    pub index: u64,
    cache: Mutex<HashMap<usize, Value>>,
}

impl Draw {
    pub fn new(index: u64) -> Self {
        Draw {
            index,
            cache: Mutex::new(HashMap::new()),
        }
    }
}

/// Evaluates one point of a run (one seed, one sweep point, one set of overrides).
pub struct Evaluator<'p> {
    pub plan: &'p Plan,
    pub sources: &'p Sources,
    pub seed: u64,
    pub point: u64,
    overrides: HashMap<usize, Value>,
    shared: Vec<OnceLock<Result<Value>>>,
    pub(crate) top: Draw,
    /// Every default used: "histogram.bins (line 9)" → "80".
    pub defaults: Mutex<BTreeMap<String, String>>,
    /// Wall time of every job run: (name, kind, seconds), in the order they finished.
    pub timings: Mutex<Vec<(String, String, f64)>>,
    pub interrupt: Arc<AtomicBool>,
    /// Job results kept across runs ([`crate::RunOptions::jobs`]); consulted only for the
    /// run's own point (no sweep point, no overrides) and for jobs computed once per run.
    pub jobs: Option<Arc<super::cache::JobCache>>,
    /// Told of every job's progress ([`crate::RunOptions::progress`]).
    pub progress: Option<Arc<dyn Progress>>,
}

/// What a run is given besides the plan and the seed.
#[derive(Debug, Clone, Default)]
pub struct Control {
    /// Raised to stop the run early (Ctrl-C).
    pub interrupt: Arc<AtomicBool>,
    /// Job results kept across runs ([`crate::RunOptions::jobs`]).
    pub jobs: Option<Arc<super::cache::JobCache>>,
    /// Told of the progress of jobs and sweeps ([`crate::RunOptions::progress`]).
    pub progress: Option<Arc<dyn Progress>>,
}

/// The locals of one function or lambda invocation, in the draw it belongs to.
pub struct Frame<'a> {
    pub draw: &'a Draw,
    pub locals: Vec<Value>,
}

impl<'p> Evaluator<'p> {
    pub fn new(
        plan: &'p Plan,
        sources: &'p Sources,
        seed: u64,
        point: u64,
        overrides: HashMap<usize, Value>,
    ) -> Self {
        Evaluator {
            plan,
            sources,
            seed,
            point,
            overrides,
            shared: (0..plan.globals.len()).map(|_| OnceLock::new()).collect(),
            top: Draw::new(0),
            defaults: Mutex::new(BTreeMap::new()),
            timings: Mutex::new(Vec::new()),
            interrupt: Arc::new(AtomicBool::new(false)),
            jobs: None,
            progress: None,
        }
    }

    /// Evaluate code at top level (draw 0, empty frame).
    pub fn eval_top(&self, code: &Code) -> Result<Value> {
        let mut frame = Frame {
            draw: &self.top,
            locals: Vec::new(),
        };
        self.eval(code, &mut frame)
    }

    /// Evaluate code with locals bound (sweep summaries).
    pub fn eval_with(&self, code: &Code, locals: Vec<Value>) -> Result<Value> {
        let mut frame = Frame {
            draw: &self.top,
            locals,
        };
        self.eval(code, &mut frame)
    }

    /// The jobs this evaluator has run (not per draw), with their kinds and results, in the
    /// order of the script: what the figures of `fokker_planck`, `coulomb_gas`, ... show.
    pub fn computed_jobs(&self) -> Vec<(String, String, Value)> {
        let done = |id: usize| match self.shared[id].get() {
            Some(Ok(v)) => Some(v.clone()),
            _ => None,
        };
        (self.plan.globals.iter().enumerate())
            .filter_map(|(id, g)| match &g.body {
                GlobalBody::Job { kind, .. } if !g.random => {
                    Some((g.name.clone(), kind.name.to_string(), done(id)?))
                }
                _ => None,
            })
            .collect()
    }

    /// Take the interrupt flag, the job cache and the progress listener of a run (the cache
    /// serves only the run's own point, for jobs computed once per run).
    pub fn control(&mut self, ctl: &Control) {
        self.interrupt = ctl.interrupt.clone();
        self.jobs = ctl.jobs.clone();
        self.progress = ctl.progress.clone();
    }

    /// The value of a global, computed once (or once per draw when it is random).
    pub fn global(&self, id: usize, draw: &Draw) -> Result<Value> {
        if let Some(v) = self.overrides.get(&id) {
            return Ok(v.clone());
        }
        if !self.plan.globals[id].random {
            return self.shared[id]
                .get_or_init(|| self.compute_global(id, &self.top))
                .clone();
        }
        if let Some(v) = draw.cache.lock().expect("draw cache").get(&id) {
            return Ok(v.clone());
        }
        let v = self.compute_global(id, draw)?;
        draw.cache.lock().expect("draw cache").insert(id, v.clone());
        Ok(v)
    }

    fn compute_global(&self, id: usize, draw: &Draw) -> Result<Value> {
        let g = &self.plan.globals[id];
        let mut frame = Frame {
            draw,
            locals: Vec::new(),
        };
        match &g.body {
            GlobalBody::Let(code) => self.eval(code, &mut frame),
            GlobalBody::Fn { .. } => Ok(Value::Func(Arc::new(value::Func::Global(id)))),
            GlobalBody::Ensemble { kind, code } => self.sample(id, kind, code, &mut frame),
            GlobalBody::Report(items) => {
                let values = self.eval_items(items, &mut frame)?;
                let names = items.iter().map(|(n, _)| n.clone());
                Ok(Value::record(names.zip(values).collect()))
            }
            GlobalBody::Job { kind, fields } => {
                let cache = self.jobs.as_ref().filter(|_| self.cacheable(id));
                let key = cache.map(|_| self.plan.def_key(id, self.seed));
                if let Some(v) = cache.zip(key.as_ref()).and_then(|(c, k)| c.get(k)) {
                    return Ok(v);
                }
                let v = self.run_job(id, kind, fields, &mut frame)?;
                if let (Some(c), Some(k)) = (cache, key) {
                    c.insert(k, &v);
                }
                Ok(v)
            }
        }
    }

    /// Whether global `id`'s value may come from, and go to, the job cache: it is computed
    /// once per run, at the run's own point.
    fn cacheable(&self, id: usize) -> bool {
        !self.plan.globals[id].random && self.point == 0 && self.overrides.is_empty()
    }

    /// Evaluate named items in order; each value is pushed into the frame, so later items
    /// see earlier ones by name (as the checker numbered them).
    pub fn eval_items(&self, items: &[(String, Code)], frame: &mut Frame) -> Result<Vec<Value>> {
        let base = frame.locals.len();
        for (_, code) in items {
            let v = self.eval(code, frame)?;
            frame.locals.push(v);
        }
        Ok(frame.locals.split_off(base))
    }

    /// Evaluate named items at top level (a sweep point).
    pub fn eval_items_top(&self, items: &[(String, Code)]) -> Result<Vec<Value>> {
        let mut frame = Frame {
            draw: &self.top,
            locals: Vec::new(),
        };
        self.eval_items(items, &mut frame)
    }

    /// Record a default that a call used, for the manifest.
    pub fn record_default(&self, what: &str, span: Span, value: String) {
        let line = self.sources.line_of(span);
        let file = &self.sources.get(span.file).name;
        let key = format!("{what} ({file}:{line})");
        self.defaults.lock().expect("defaults").insert(key, value);
    }

    /// The watch of job `id` of `kind`: the interrupt flag and the progress listener, with
    /// the job's name as the listener shows it (`train ts`, `sde s[point 2]`).
    pub fn watch(&self, id: usize, kind: &str) -> Watch {
        if self.progress.is_none() {
            return Watch::new(self.interrupt.clone(), None, "");
        }
        let name = &self.plan.globals[id].name;
        let job = match self.point {
            0 => format!("{kind} {name}"),
            p => format!("{kind} {name}[point {}]", p - 1),
        };
        Watch::new(self.interrupt.clone(), self.progress.clone(), &job)
    }

    pub fn check_interrupt(&self, span: Span) -> Result<()> {
        if self.interrupt.load(Ordering::Relaxed) {
            return Err(RunError::new(span, "interrupted").code(ErrorCode::RunInterrupted));
        }
        Ok(())
    }
}
