//! Progress bars for `wmd run` on a terminal: one bar per job that has run for
//! [`REVEAL`] (its name, the bar, units done of all, the rate and the time left), drawn on
//! stderr and cleared when the job ends, so the summary on stdout reads as without them. A
//! job shorter than [`REVEAL`] never shows, so short scripts do not flicker.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wmd::progress::{Progress, Task};

/// How long a job runs before its bar shows.
pub const REVEAL: Duration = Duration::from_millis(500);

/// How often a shown bar is redrawn when its job does not advance (the time left moves on).
const TICK: Duration = Duration::from_millis(200);

const TEMPLATE: &str = "{prefix:.bold} [{wide_bar}] {human_pos}/{human_len}  {rate}  {eta} left";

/// The listener `wmd run` gives the library: `None` when bars would not be seen (stderr is
/// not a terminal) or are not wanted (`--quiet`).
pub fn bars(quiet: bool) -> Option<Arc<dyn Progress>> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let style = ProgressStyle::with_template(TEMPLATE)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{}/s", rate(s.per_sec()));
        })
        .progress_chars("=> ");
    Some(Arc::new(Bars {
        multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
        style,
    }))
}

/// A rate in three significant digits: `950`, `12.3k`, `1.04M`.
fn rate(r: f64) -> String {
    let (v, unit) = match r {
        r if r >= 1e9 => (r / 1e9, "G"),
        r if r >= 1e6 => (r / 1e6, "M"),
        r if r >= 1e3 => (r / 1e3, "k"),
        r => (r.max(0.0), ""),
    };
    let decimals = match v {
        v if v >= 100.0 => 0,
        v if v >= 10.0 => 1,
        _ => 2,
    };
    format!("{v:.decimals$}{unit}")
}

/// Every job's bar, drawn together on stderr.
struct Bars {
    multi: MultiProgress,
    style: ProgressStyle,
}

impl std::fmt::Debug for Bars {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bars").field("multi", &self.multi).finish()
    }
}

impl Progress for Bars {
    fn start(&self, job: &str, total: u64) -> Box<dyn Task> {
        // hidden until REVEAL: it counts (and estimates the rate) from now, but draws nothing
        let bar = ProgressBar::hidden()
            .with_style(self.style.clone())
            .with_prefix(job.to_string());
        bar.set_length(total);
        Box::new(Bar {
            bar,
            multi: self.multi.clone(),
            born: Instant::now(),
            shown: AtomicBool::new(false),
        })
    }
}

/// One job's bar.
struct Bar {
    bar: ProgressBar,
    multi: MultiProgress,
    born: Instant,
    shown: AtomicBool,
}

impl Bar {
    /// Show the bar once its job has run for [`REVEAL`].
    fn reveal_when_due(&self) {
        if self.shown.load(Ordering::Relaxed) || self.born.elapsed() < REVEAL {
            return;
        }
        if !self.shown.swap(true, Ordering::AcqRel) {
            self.multi.add(self.bar.clone()).enable_steady_tick(TICK);
        }
    }
}

impl Task for Bar {
    fn advance(&self, n: u64) {
        self.bar.inc(n);
        self.reveal_when_due();
    }

    fn grow(&self, n: u64) {
        self.bar.inc_length(n);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
        if self.shown.load(Ordering::Acquire) {
            self.multi.remove(&self.bar);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rates_have_three_digits() {
        let shown: Vec<String> = [0.5, 950.0, 12_345.0, 1_040_000.0, 2.5e9]
            .map(super::rate)
            .to_vec();
        assert_eq!(shown, ["0.50", "950", "12.3k", "1.04M", "2.50G"]);
    }
}
