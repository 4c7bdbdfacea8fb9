//! Progress: a recording listener sees every long job (train, coulomb_gas, sde,
//! fokker_planck, pde, a sweep and the jobs of its points) start, advance by exactly its total
//! and finish once; and the results are the same, number for number, with or without a
//! listener and on any number of threads.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use wmd::progress::{Progress, Task};
use wmd::span::Sources;

/// What a listener was told about one job.
#[derive(Debug, Default, Clone, PartialEq)]
struct Told {
    total: u64,
    done: u64,
    finished: u32,
    /// Advances or growth after the job finished.
    late: u32,
}

/// Records every job by name (a name started twice would show as two starts).
#[derive(Debug, Default)]
struct Recorder {
    jobs: Arc<Mutex<BTreeMap<String, Told>>>,
    starts: AtomicU64,
}

struct Recorded {
    jobs: Arc<Mutex<BTreeMap<String, Told>>>,
    name: String,
}

impl Recorded {
    fn with(&self, f: impl FnOnce(&mut Told)) {
        let mut jobs = self.jobs.lock().unwrap();
        f(jobs.get_mut(&self.name).unwrap());
    }
}

impl Progress for Recorder {
    fn start(&self, job: &str, total: u64) -> Box<dyn Task> {
        self.starts.fetch_add(1, Ordering::Relaxed);
        let told = Told {
            total,
            ..Told::default()
        };
        let fresh = self.jobs.lock().unwrap().insert(job.into(), told).is_none();
        assert!(fresh, "{job} started twice");
        Box::new(Recorded {
            jobs: self.jobs.clone(),
            name: job.into(),
        })
    }
}

impl Task for Recorded {
    fn advance(&self, n: u64) {
        self.with(|t| {
            t.done += n;
            t.late += t.finished;
        });
    }
    fn grow(&self, n: u64) {
        self.with(|t| {
            t.total += n;
            t.late += t.finished;
        });
    }
    fn finish(&self) {
        self.with(|t| t.finished += 1);
    }
}

const SCRIPT: &str = r#"
let lr = 0.05
network teacher_net = mlp(widths = [3, 8, 1], activation = "tanh", init = normal(sd = 1))
network student = mlp(widths = [3, 8, 1], activation = "tanh", init = normal(var = 1 / fan_in))
data pairs = teacher_student(teacher = teacher_net, samples = 64, test = 32)
optimizer opt = sgd(lr = lr, batch = 16)
train ts {
    model = student
    data = pairs
    optimizer = opt
    steps = 300
    runs = 3
    observe every 50 { loss }
}
train early {
    model = student
    data = pairs
    optimizer = opt
    epochs = 20
    runs = 2
    observe every 10 { loss }
    stop when step >= 30
}
coulomb_gas gas {
    eigenvalues = 6
    drift(x, i) = -x
    init = uniform(-1, 1)
    dt = 0.001
    steps = 700
    runs = 5
}
sde ou {
    drift(x, t) = -x
    diffusion = 1
    init = 1
    dt = 0.01
    until = 1
    runs = 7
}
fokker_planck heat {
    domain x in (0, 1) cells 40
    drift(x) = 0
    diffusion = 0.1
    init(x) = 1 + x
    until = 0.1
}
pde p {
    domain x in (0, 1) cells 10
    dt(u) = 0.1 * dxx(u)
    init(x) = 1 + x
    until = 0.1
    step = 0.001
}
report r {
    l = ts.loss
    e = early.loss
    g = gas.final
    s = ou.mean
    m = heat.mass
    u = p.final
}
sweep rates over lr in [0.01, 0.02, 0.04] { l = ts.loss }
"#;

fn run(progress: Option<Arc<dyn Progress>>, threads: Option<usize>) -> serde_json::Value {
    let mut sources = Sources::new();
    let opts = wmd::RunOptions {
        threads,
        progress,
        ..Default::default()
    };
    let out = wmd::run_source(&mut sources, "progress.wmd", SCRIPT, &[], &opts)
        .unwrap_or_else(|d| panic!("{}", d.render(&sources, false)));
    wmd::output::results_json(&out)
}

#[test]
fn every_job_advances_by_its_total_and_finishes_once() {
    let recorder = Arc::new(Recorder::default());
    let with = run(Some(recorder.clone()), Some(3));
    let jobs = recorder.jobs.lock().unwrap().clone();
    let expected: &[(&str, u64)] = &[
        ("train ts", 3 * 300),
        // 20 epochs of ⌊64/16⌋ steps, each run counted whole though it stops at step 30
        ("train early", 2 * 20 * 4),
        ("coulomb_gas gas", 5 * 700),
        ("sde ou", 7 * 100),
        ("sweep rates", 3),
        ("train ts[point 0]", 3 * 300),
        ("train ts[point 2]", 3 * 300),
    ];
    for (name, total) in expected {
        let told = jobs
            .get(*name)
            .unwrap_or_else(|| panic!("{name} not told: {jobs:?}"));
        assert_eq!(told.total, *total, "{name}: {told:?}");
    }
    for (name, told) in &jobs {
        assert!(told.total > 0, "{name}: {told:?}");
        assert_eq!(told.done, told.total, "{name}: {told:?}");
        assert_eq!((told.finished, told.late), (1, 0), "{name}: {told:?}");
    }
    for name in ["fokker_planck heat", "pde p", "train ts[point 1]"] {
        assert!(jobs.contains_key(name), "{name} not told: {jobs:?}");
    }
    assert_eq!(recorder.starts.load(Ordering::Relaxed), jobs.len() as u64);
    assert_eq!(with, run(None, Some(3)), "progress changed the results");
    assert_eq!(with, run(None, Some(1)), "threads changed the results");
}

/// A job of a second or more (1.5 million steps of a gas of 40).
const LONG: &str = "coulomb_gas gas {
    eigenvalues = 40
    drift(x, i) = -x
    init = uniform(-1, 1)
    dt = 0.0001
    steps = 1500000
}
report r { g = gas.final }
";

/// `wmd run DIR/long.wmd --threads 1 --out DIR/o EXTRA…`, LONG written there.
fn long_run(dir: &tempfile::TempDir, extra: &[&str]) -> std::process::Command {
    let script = dir.path().join("long.wmd");
    std::fs::write(&script, LONG).unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_wmd"));
    cmd.arg("run")
        .arg(&script)
        .args(["--threads", "1", "--out"])
        .arg(dir.path().join("o"))
        .args(extra)
        .env("TERM", "xterm");
    cmd
}

#[test]
fn piped_output_has_no_progress_and_quiet_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let plain = long_run(&dir, &[]).output().unwrap();
    assert_eq!(plain.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&plain.stderr);
    assert!(
        !stderr.contains('\r') && !stderr.contains('\x1b') && stderr.is_empty(),
        "{stderr:?}"
    );
    let quiet = long_run(&dir, &["--quiet"]).output().unwrap();
    assert_eq!(quiet.status.code(), Some(0));
    assert!(quiet.stderr.is_empty());
    assert_eq!(quiet.stdout, plain.stdout, "--quiet changed stdout");
}

/// On a terminal a long job shows its bar (name, counts, rate, time left), and `--quiet`
/// shows none; the summary follows either way.
#[test]
fn a_long_job_shows_a_bar_on_a_terminal() {
    use rexpect::reader::Options;
    let options = || Options {
        timeout_ms: Some(60_000),
        strip_ansi_escape_codes: true,
    };
    let dir = tempfile::tempdir().unwrap();
    let cmd = long_run(&dir, &[]);
    let mut p = rexpect::session::spawn_with_options(cmd, options()).unwrap();
    let (_, bar) = p
        .exp_regex(r"coulomb_gas gas \[[=> ]+\] [0-9,]+/1,500,000  [^ ]+/s  ")
        .unwrap();
    assert!(bar.contains("/s"), "{bar}");
    p.exp_string("report r").unwrap();
    p.exp_eof().unwrap();
    let cmd = long_run(&dir, &["-q"]);
    let mut p = rexpect::session::spawn_with_options(cmd, options()).unwrap();
    let before = p.exp_string("report r").unwrap();
    assert!(!before.contains("coulomb_gas gas ["), "{before}");
    p.exp_eof().unwrap();
}
