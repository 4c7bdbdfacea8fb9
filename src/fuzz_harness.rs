//! Entry points for the fuzzer (`fuzz/`) and for the test that replays its crashers
//! (`tests/suite/fuzz_replay.rs`).
//!
//! Each function takes raw bytes, ignores input that is not UTF-8 or is larger than its cap,
//! runs one or more stages of the public pipeline and renders every diagnostic. An `Err` from
//! a stage is an expected outcome; only a panic, an abort, a hang or an out-of-memory is a
//! finding. Nothing here writes a file: [`crate::run_source`] returns results in memory and the
//! output stage is used only to build strings.

use crate::span::Sources;
use crate::{Diagnostics, RunOptions};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

/// Largest input given to [`parse`] and [`check`], in bytes.
pub const MAX_PARSE_LEN: usize = 64 * 1024;
/// Largest input given to [`run`], in bytes (small scripts keep each execution fast).
pub const MAX_RUN_LEN: usize = 4 * 1024;
/// How long [`run`] lets a script compute before it raises the interrupt flag.
pub const RUN_DEADLINE: Duration = Duration::from_secs(1);

/// The script name used in diagnostics.
const NAME: &str = "fuzz.wmd";

/// The input as text, or `None` when it is not UTF-8 or longer than `max` bytes.
fn text(data: &[u8], max: usize) -> Option<&str> {
    if data.len() > max {
        return None;
    }
    std::str::from_utf8(data).ok()
}

/// Render diagnostics the way the CLI does (rendering has panicked before) and drop the text.
fn render(diags: &Diagnostics, sources: &Sources) {
    std::hint::black_box(diags.render(sources, false));
}

/// Parse the input as a script (with the stdlib modules it uses) and as a `--set`
/// expression, rendering any parse error.
pub fn parse(data: &[u8]) {
    let Some(text) = text(data, MAX_PARSE_LEN) else {
        return;
    };
    let mut sources = Sources::new();
    if let Err(d) = crate::parse(&mut sources, NAME, text) {
        render(&d, &sources);
    }
    let file = sources.add("--set x", text);
    if let Err(d) = crate::syntax::parse_expr(file, text) {
        render(&d, &sources);
    }
}

/// Parse and check the input, then lower it to a plan; render any diagnostic.
pub fn check(data: &[u8]) {
    let Some(text) = text(data, MAX_PARSE_LEN) else {
        return;
    };
    let mut sources = Sources::new();
    let parsed = match crate::parse(&mut sources, NAME, text) {
        Ok(p) => p,
        Err(d) => return render(&d, &sources),
    };
    match crate::check(&parsed) {
        Ok(checked) => {
            std::hint::black_box(crate::lower(&checked, &sources));
        }
        Err(d) => render(&d, &sources),
    }
}

/// Run the input end to end on one thread, with the interrupt raised after
/// [`RUN_DEADLINE`]; render the diagnostics, or the summary and the YAML and JSON results.
pub fn run(data: &[u8]) {
    let Some(text) = text(data, MAX_RUN_LEN) else {
        return;
    };
    let opts = RunOptions {
        threads: Some(1),
        ..Default::default()
    };
    let mut sources = Sources::new();
    let outcome = with_watchdog(RUN_DEADLINE, opts.interrupt.clone(), || {
        crate::run_source(&mut sources, NAME, text, &[], &opts)
    });
    match outcome {
        Ok(outcome) => {
            std::hint::black_box(crate::output::summary(&outcome));
            let results = crate::output::results_json(&outcome);
            for json in [false, true] {
                let _ = std::hint::black_box(crate::output::serialise(&results, json));
            }
        }
        Err(d) => render(&d, &sources),
    }
}

/// Call `f`, and set `flag` if it has not returned after `limit`. The watchdog thread ends
/// as soon as `f` returns (or unwinds), so no thread outlives the call.
fn with_watchdog<T>(limit: Duration, flag: Arc<AtomicBool>, f: impl FnOnce() -> T) -> T {
    let (done, wait) = mpsc::channel::<()>();
    let dog = std::thread::spawn(move || {
        if let Err(RecvTimeoutError::Timeout) = wait.recv_timeout(limit) {
            flag.store(true, Ordering::Relaxed);
        }
    });
    let out = f();
    drop(done);
    let _ = dog.join();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_accepts_garbage_and_a_small_script() {
        for input in [
            &b"\xff\xfe"[..],
            b"",
            b"let a = (1",
            b"let a = 1\nreport r { a = a }\n",
        ] {
            parse(input);
            check(input);
            run(input);
        }
    }

    #[test]
    fn a_long_run_is_interrupted() {
        // 10⁹ SDE steps: minutes without the watchdog.
        let script = "sde s {\n drift(x, t) = -x\n diffusion(x, t) = 1\n init = 0\n dt = 1e-6\n \
                      until = 1000\n}\nreport r { m = s.mean }\n";
        let start = std::time::Instant::now();
        run(script.as_bytes());
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn the_watchdog_raises_the_flag_only_after_the_limit() {
        let flag = Arc::new(AtomicBool::new(false));
        with_watchdog(Duration::from_secs(5), flag.clone(), || ());
        assert!(!flag.load(Ordering::Relaxed));
        with_watchdog(Duration::from_millis(10), flag.clone(), || {
            std::thread::sleep(Duration::from_millis(200));
        });
        assert!(flag.load(Ordering::Relaxed));
    }
}
