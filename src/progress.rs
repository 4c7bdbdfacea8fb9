//! Progress of long jobs, told to whoever listens, with no terminal code here.
//!
//! A front end that wants to show progress gives [`crate::RunOptions::progress`] a
//! [`Progress`]; without one (the default) a job's bookkeeping is one branch on `None`. A job
//! gets a [`Watch`] from the evaluator (the interrupt flag it polls, and the listener with the
//! job's name: `train ts`, `coulomb_gas g[point 2]`); the code that knows how many units the
//! job has (runs × steps, time steps, sweep points) starts a [`Meter`] of that total and
//! advances it as units finish; dropping the meter finishes the task, also when the job fails.
//! Hot loops count into a [`Tally`], which reports every few units, so a step costs an
//! increment and a comparison, never a lock or an allocation. Progress never touches random
//! streams or the order of anything: results are the same with or without a listener.

use std::fmt::Debug;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Whoever listens to the progress of jobs (the CLI's progress bars, a test's recorder).
pub trait Progress: Send + Sync + Debug {
    /// A job named `job` starts, `total` units long (≥ 0); its advances come to the task.
    fn start(&self, job: &str, total: u64) -> Box<dyn Task>;
}

/// One started job, as its listener sees it. Advances may come from several threads.
pub trait Task: Send + Sync {
    /// `n` more units are done.
    fn advance(&self, n: u64);
    /// The job is `n` units longer than its total said (a job whose length each of its runs
    /// finds out, e.g. `train` with `epochs`).
    fn grow(&self, n: u64);
    /// The job ended (done, failed or interrupted); no advance follows.
    fn finish(&self);
}

/// What a job watches and tells: the interrupt flag it polls and, when someone listens, the
/// listener with the job's name. [`Watch::default`] watches a flag never raised and tells no
/// one (a backend's unit tests).
#[derive(Debug, Clone, Default)]
pub struct Watch {
    stop: Arc<AtomicBool>,
    listener: Option<(Arc<dyn Progress>, String)>,
}

impl Watch {
    /// Watch `stop`, and tell `listener` (if any) of the job named `job`.
    pub fn new(stop: Arc<AtomicBool>, listener: Option<Arc<dyn Progress>>, job: &str) -> Self {
        Watch {
            stop,
            listener: listener.map(|l| (l, job.to_string())),
        }
    }

    /// The interrupt flag.
    pub fn stop(&self) -> &AtomicBool {
        &self.stop
    }

    /// Whether someone listens (a job may skip counting its units when no one does).
    pub fn is_told(&self) -> bool {
        self.listener.is_some()
    }

    /// Start the job's meter, `total` units long.
    pub fn meter(&self, total: u64) -> Meter<'_> {
        Meter {
            stop: &self.stop,
            task: self.listener.as_ref().map(|(l, job)| l.start(job, total)),
        }
    }
}

/// A started job's count of units done, shared by the threads that do them; dropping it
/// finishes the task.
pub struct Meter<'w> {
    stop: &'w AtomicBool,
    task: Option<Box<dyn Task>>,
}

impl<'w> Meter<'w> {
    /// The interrupt flag the job polls.
    pub fn stop(&self) -> &AtomicBool {
        self.stop
    }

    /// Whether the interrupt flag is raised.
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// `n` more units are done.
    pub fn advance(&self, n: u64) {
        if let (Some(task), true) = (&self.task, n > 0) {
            task.advance(n);
        }
    }

    /// The job is `n` units longer than its total said.
    pub fn grow(&self, n: u64) {
        if let (Some(task), true) = (&self.task, n > 0) {
            task.grow(n);
        }
    }

    /// A local count of units that reports to this meter in batches: every unit when a unit
    /// costs about [`BATCH_WORK`] or more (`work` is a unit's cost in rough arithmetic
    /// operations), every [`MAX_BATCH`] units at most when units are cheap.
    pub fn tally(&self, work: u64) -> Tally<'_, 'w> {
        let every = match self.task {
            Some(_) => (BATCH_WORK / work.max(1)).clamp(1, MAX_BATCH),
            None => u64::MAX,
        };
        Tally {
            meter: self,
            every,
            pending: 0,
        }
    }
}

impl Drop for Meter<'_> {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.finish();
        }
    }
}

/// About how much arithmetic a [`Tally`] lets pass between two reports.
pub const BATCH_WORK: u64 = 1 << 16;

/// The most units a [`Tally`] holds back.
pub const MAX_BATCH: u64 = 1024;

/// Units counted on one thread and reported to a [`Meter`] in batches; what is left is
/// reported when the tally is dropped.
pub struct Tally<'m, 'w> {
    meter: &'m Meter<'w>,
    every: u64,
    pending: u64,
}

impl Tally<'_, '_> {
    /// One more unit is done.
    #[inline]
    pub fn one(&mut self) {
        self.pending += 1;
        if self.pending >= self.every {
            self.meter.advance(self.pending);
            self.pending = 0;
        }
    }

    /// `n` more units are done (reported at once).
    pub fn add(&mut self, n: u64) {
        self.meter.advance(self.pending + n);
        self.pending = 0;
    }
}

impl Drop for Tally<'_, '_> {
    fn drop(&mut self) {
        self.meter.advance(self.pending);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU64;

    #[derive(Debug, Default)]
    struct Count(Arc<(AtomicU64, AtomicU64, AtomicU64)>);

    struct CountTask(Arc<(AtomicU64, AtomicU64, AtomicU64)>);

    impl Progress for Count {
        fn start(&self, _job: &str, total: u64) -> Box<dyn Task> {
            self.0 .0.fetch_add(total, Ordering::Relaxed);
            Box::new(CountTask(self.0.clone()))
        }
    }

    impl Task for CountTask {
        fn advance(&self, n: u64) {
            self.0 .1.fetch_add(n, Ordering::Relaxed);
        }
        fn grow(&self, n: u64) {
            self.0 .0.fetch_add(n, Ordering::Relaxed);
        }
        fn finish(&self) {
            self.0 .2.fetch_add(1, Ordering::Relaxed);
        }
    }

    #[test]
    fn a_tally_reports_every_unit_in_batches_and_the_meter_finishes() {
        let count = Count::default();
        let state = count.0.clone();
        let watch = Watch::new(Arc::default(), Some(Arc::new(count)), "job");
        {
            let meter = watch.meter(3000);
            let mut tally = meter.tally(1);
            (0..2999).for_each(|_| tally.one());
            tally.add(1);
            assert_eq!(state.1.load(Ordering::Relaxed), 3000);
        }
        assert_eq!(state.0.load(Ordering::Relaxed), 3000);
        assert_eq!(state.2.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn without_a_listener_nothing_is_told() {
        let watch = Watch::default();
        assert!(!watch.is_told());
        let meter = watch.meter(10);
        let mut tally = meter.tally(1);
        tally.one();
        assert!(!meter.stopped());
    }
}
