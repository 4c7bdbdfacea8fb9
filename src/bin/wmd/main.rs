//! The `wmd` command: `run`, `check`, `repl`, and the reference (`kinds`, `doc`,
//! `completions`). Exit codes: 0 ok, 1 script error (parse, check or run), 2 usage error (a
//! bad option, `--set` or `--out`, an unknown `wmd doc` name), 3 an `expect` failed, 130
//! interrupted (Ctrl-C; nothing written).

mod progress;
mod repl;

/// Print to stdout, ignoring a closed pipe (`wmd run ... | head`).
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write;
        let _ = write!(std::io::stdout(), $($t)*);
    }};
}
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}
/// Print to stderr, ignoring a closed pipe (`wmd check bad.wmd 2>&1 | head`).
macro_rules! err {
    ($($t:tt)*) => {{
        use std::io::Write;
        let _ = write!(std::io::stderr(), $($t)*);
    }};
}
macro_rules! errln {
    ($($t:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}
pub(crate) use {err, errln, out, outln};

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wmd::diag::Diagnostics;
use wmd::diag::ErrorCode;
use wmd::output::folder::Staging;
use wmd::span::Sources;

#[derive(Parser)]
#[command(
    name = "wmd",
    version,
    about = "Stochastic weight-matrix experiments: run, check and explore .wmd scripts"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Yaml,
    Json,
    /// One tidy table of scalars (results.csv), every array as arrays/*.npy
    Csv,
}

impl From<Format> for wmd::output::Format {
    fn from(f: Format) -> Self {
        match f {
            Format::Yaml => Self::Yaml,
            Format::Json => Self::Json,
            Format::Csv => Self::Csv,
        }
    }
}

#[derive(Subcommand)]
enum Cmd {
    /// Run a script: print a summary; write its results, manifest, figures and report.html
    /// into out/SCRIPT/ (or --out DIR)
    Run {
        file: PathBuf,
        /// Replace a `let` of the script: --set lr=0.05 (the value is a wmd expression)
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
        /// Seed of every random stream
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Worker threads (default: all cores); results do not depend on it
        #[arg(long)]
        threads: Option<usize>,
        /// Output folder [default: out/SCRIPT, SCRIPT the file name without .wmd]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Format of the results file and the manifest
        #[arg(long, value_enum, default_value = "yaml")]
        format: Format,
        /// Print the wall time of every job (fokker_planck, coulomb_gas, ...) after the summary
        #[arg(long)]
        timings: bool,
        /// No progress bars (they are drawn on stderr only when it is a terminal, for jobs
        /// running over half a second); stdout is the same either way
        #[arg(long, short)]
        quiet: bool,
    },
    /// Parse and check a script without running it
    Check { file: PathBuf },
    /// Explore interactively
    Repl,
    /// Print the reference of every kind, its fields, defaults and choices (Markdown: docs/kinds.md)
    Kinds,
    /// Print the reference entry of NAME (a kind, builtin, stdlib function or statement such
    /// as `sweep`), or without NAME list every entry
    Doc {
        /// The name: `semicircle`, `rmt.semicircle`, `ensemble`, `stop when`, ...
        #[arg(num_args = 0..)]
        name: Vec<String>,
        /// Print the whole reference as Markdown (docs/reference.md)
        #[arg(long, conflicts_with = "name")]
        markdown: bool,
    },
    /// Print a shell completion script: `wmd completions bash > ~/.local/share/bash-completion/completions/wmd`
    Completions { shell: clap_complete::Shell },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.cmd {
        Cmd::Run {
            file,
            set,
            seed,
            threads,
            out,
            format,
            timings,
            quiet,
        } => {
            let out = out.unwrap_or_else(|| default_out(&file));
            run(&file, &set, seed, threads, &out, (format, timings, quiet))
        }
        Cmd::Check { file } => check(&file),
        Cmd::Repl => repl::repl(),
        Cmd::Kinds => {
            out!("{}", wmd::kinds::reference::markdown());
            0
        }
        Cmd::Doc { name, markdown } => doc(&name.join(" "), markdown),
        Cmd::Completions { shell } => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "wmd", &mut std::io::stdout());
            0
        }
    };
    ExitCode::from(code)
}

/// `out/<script name>/`, so that two scripts' results do not overwrite each other.
fn default_out(file: &Path) -> PathBuf {
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned());
    Path::new("out").join(stem.unwrap_or_else(|| "script".into()))
}

/// `wmd doc`: one entry (exit 2 with a suggestion for an unknown name), the index of every
/// entry, or with `--markdown` the whole manual.
fn doc(name: &str, markdown: bool) -> u8 {
    if markdown {
        out!("{}", wmd::reference::markdown());
        return 0;
    }
    if name.is_empty() {
        out!("{}", wmd::reference::index_text());
        return 0;
    }
    match wmd::reference::lookup(name) {
        Ok(e) => {
            out!("{}", wmd::reference::entry_text(&e));
            0
        }
        Err(e) => {
            errln!("error: {e}");
            2
        }
    }
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn read(file: &Path) -> Result<String, u8> {
    std::fs::read_to_string(file).map_err(|e| {
        errln!("error: cannot read {}: {e}", file.display());
        2
    })
}

/// Print diagnostics; an interruption exits 130, usage errors 2, script errors 1.
fn report(d: &Diagnostics, sources: &Sources) -> u8 {
    err!("{}", d.render(sources, color()));
    if d.0.iter().any(|x| x.code == ErrorCode::RunInterrupted) {
        INTERRUPTED
    } else if d
        .0
        .iter()
        .any(|x| x.code.as_str().starts_with("wmd::usage"))
    {
        2
    } else {
        1
    }
}

fn check(file: &Path) -> u8 {
    let text = match read(file) {
        Ok(t) => t,
        Err(c) => return c,
    };
    let mut sources = Sources::new();
    let result =
        wmd::parse(&mut sources, &file.display().to_string(), &text).and_then(|p| wmd::check(&p));
    match result {
        Ok(_) => {
            outln!("{}: ok", file.display());
            0
        }
        Err(d) => report(&d, &sources),
    }
}

fn parse_sets(set: &[String]) -> Result<Vec<(String, String)>, u8> {
    set.iter()
        .map(|s| match s.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                Ok((k.trim().to_string(), v.trim().to_string()))
            }
            _ => {
                errln!("error: --set takes NAME=VALUE, got `{s}`");
                Err(2)
            }
        })
        .collect()
}

/// `wmd run`: the output folder is checked (and staged) before anything runs; after a script
/// error or Ctrl-C nothing is written.
fn run(
    file: &Path,
    set: &[String],
    seed: u64,
    threads: Option<usize>,
    out: &Path,
    (format, timings, quiet): (Format, bool, bool),
) -> u8 {
    let Prepared {
        text,
        sets,
        staging,
    } = match prepare(file, set, threads, out) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let opts = wmd::RunOptions {
        seed,
        threads,
        progress: progress::bars(quiet),
        ..Default::default()
    };
    let flag = opts.interrupt.clone();
    let _ = ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::Relaxed));
    let nthreads = threads.unwrap_or_else(rayon::current_num_threads);
    let name = file.display().to_string();
    outln!(
        "wmd run {name}  (seed {seed}, {nthreads} thread{})",
        if nthreads == 1 { "" } else { "s" }
    );
    let mut sources = Sources::new();
    let result = wmd::run_source(&mut sources, &name, &text, &sets, &opts);
    if interrupted(&opts) {
        return INTERRUPTED;
    }
    let outcome = match result {
        Ok(o) => o,
        Err(d) => {
            let code = report(&d, &sources);
            errln!("no output written");
            return code;
        }
    };
    print_summary(&outcome, timings);
    let info = wmd::output::ManifestInfo {
        script: &name,
        text: &text,
        seed,
        threads: nthreads,
        sets: &sets,
    };
    if let Err(e) = write_outputs(staging, out, format.into(), &info, &outcome, &opts) {
        return e;
    }
    if outcome.expects.iter().any(|e| !e.passed) {
        return 3;
    }
    0
}

/// The summary, and with `--timings` the wall time of every job.
fn print_summary(outcome: &wmd::ir::outcome::Outcome, timings: bool) {
    out!("{}", wmd::output::summary(outcome));
    if timings {
        for (job, kind, seconds) in &outcome.timings {
            outln!("time  {kind} {job}  {:.3} ms", seconds * 1e3);
        }
    }
}

/// Exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it).
const INTERRUPTED: u8 = 130;

/// Whether Ctrl-C was pressed; if so, say so (the caller writes nothing and exits 130).
fn interrupted(opts: &wmd::RunOptions) -> bool {
    let stop = opts.interrupt.load(std::sync::atomic::Ordering::Relaxed);
    if stop {
        errln!("interrupted; no output written");
    }
    stop
}

/// What `wmd run` checked before running: the script text, the `--set`s, the staged folder.
struct Prepared {
    text: String,
    sets: Vec<(String, String)>,
    staging: Staging,
}

/// Everything checked before running: the script can be read, the `--set`s and `--threads`
/// are well formed, and the output folder can be written (staged beside `out`).
fn prepare(
    file: &Path,
    set: &[String],
    threads: Option<usize>,
    out: &Path,
) -> Result<Prepared, u8> {
    let (text, sets) = match (read(file), parse_sets(set)) {
        (Ok(t), Ok(s)) => (t, s),
        (Err(c), _) | (_, Err(c)) => return Err(c),
    };
    if threads == Some(0) {
        errln!("error: --threads must be at least 1");
        return Err(2);
    }
    match Staging::prepare(out) {
        Ok(staging) => Ok(Prepared {
            text,
            sets,
            staging,
        }),
        Err(e) => {
            errln!("error: {e}");
            Err(2)
        }
    }
}

/// Write the run's output set into the staged folder and move it into place as one step.
fn write_outputs(
    staging: Staging,
    out: &Path,
    format: wmd::output::Format,
    info: &wmd::output::ManifestInfo,
    outcome: &wmd::ir::outcome::Outcome,
    opts: &wmd::RunOptions,
) -> Result<(), u8> {
    let files = wmd::output::output_files(info, outcome, format).map_err(|e| {
        errln!("error: cannot write results to {}: {e}", out.display());
        1
    })?;
    if interrupted(opts) {
        return Err(INTERRUPTED);
    }
    staging.commit(&files).map_err(|e| {
        errln!("error: cannot write results to {}: {e}", out.display());
        1
    })?;
    outln!("{}", wrote(out, &files));
    Ok(())
}

/// `wrote out/x/results.yaml, out/x/manifest.yaml and out/x/report.html, 3 figures in
/// out/x/figures and 2 arrays in out/x/arrays`.
fn wrote(out: &Path, files: &[(PathBuf, Vec<u8>)]) -> String {
    let folders = [
        (wmd::output::FIGURES_DIR, "figure"),
        (wmd::output::arrays::ARRAYS_DIR, "array"),
    ];
    let in_folder = |p: &Path| folders.iter().any(|(d, _)| p.starts_with(d));
    let mut parts: Vec<String> = (files.iter())
        .filter(|(p, _)| !in_folder(p))
        .map(|(p, _)| out.join(p).display().to_string())
        .collect();
    for (dir, what) in folders {
        let n = files.iter().filter(|(p, _)| p.starts_with(dir)).count();
        if n > 0 {
            let s = if n == 1 { "" } else { "s" };
            parts.push(format!("{n} {what}{s} in {}", out.join(dir).display()));
        }
    }
    let last = parts.pop().unwrap_or_default();
    match parts.len() {
        0 => format!("wrote {last}"),
        _ => format!("wrote {} and {last}", parts.join(", ")),
    }
}
