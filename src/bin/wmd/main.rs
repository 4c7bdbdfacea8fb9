//! The `wmd` command: `run`, `check` and `repl`. Exit codes: 0 ok, 1 script error (parse,
//! check or run), 2 usage error, 3 an `expect` failed.

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
}

#[derive(Subcommand)]
enum Cmd {
    /// Run a script: print a summary, write DIR/results.yaml and DIR/manifest.yaml
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
        /// Output folder
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Format of the results file
        #[arg(long, value_enum, default_value = "yaml")]
        format: Format,
        /// Print the wall time of every job (fokker_planck, coulomb_gas, ...) after the summary
        #[arg(long)]
        timings: bool,
    },
    /// Parse and check a script without running it
    Check { file: PathBuf },
    /// Explore interactively
    Repl,
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
        } => run(&file, &set, seed, threads, &out, (format, timings)),
        Cmd::Check { file } => check(&file),
        Cmd::Repl => repl::repl(),
    };
    ExitCode::from(code)
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

/// Print diagnostics; usage errors exit 2, script errors 1.
fn report(d: &Diagnostics, sources: &Sources) -> u8 {
    err!("{}", d.render(sources, color()));
    if d.0.iter().any(|x| x.code.starts_with("wmd::usage")) {
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

fn run(
    file: &Path,
    set: &[String],
    seed: u64,
    threads: Option<usize>,
    out: &Path,
    (format, timings): (Format, bool),
) -> u8 {
    let (text, sets) = match (read(file), parse_sets(set)) {
        (Ok(t), Ok(s)) => (t, s),
        (Err(c), _) | (_, Err(c)) => return c,
    };
    if threads == Some(0) {
        errln!("error: --threads must be at least 1");
        return 2;
    }
    let opts = wmd::RunOptions {
        seed,
        threads,
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
    let outcome = match wmd::run_source(&mut sources, &name, &text, &sets, &opts) {
        Ok(o) => o,
        Err(d) => {
            let code = report(&d, &sources);
            errln!("no output written");
            return code;
        }
    };
    out!("{}", wmd::output::summary(&outcome));
    if timings {
        for (job, kind, seconds) in &outcome.timings {
            outln!("time  {kind} {job}  {:.3} ms", seconds * 1e3);
        }
    }
    let info = wmd::output::ManifestInfo {
        script: &name,
        text: &text,
        seed,
        threads: nthreads,
        sets: &sets,
    };
    if let Err(e) = write_outputs(out, format, &info, &outcome) {
        errln!("error: cannot write results to {}: {e}", out.display());
        return 1;
    }
    if outcome.expects.iter().any(|e| !e.passed) {
        return 3;
    }
    0
}

fn write_outputs(
    out: &Path,
    format: Format,
    info: &wmd::output::ManifestInfo,
    outcome: &wmd::eval::run::Outcome,
) -> Result<(), String> {
    let json = matches!(format, Format::Json);
    let results = wmd::output::serialise(&wmd::output::results_json(outcome), json)?;
    let manifest = wmd::output::serialise(&wmd::output::manifest_json(info, outcome), false)?;
    let results_path = out.join(if json { "results.json" } else { "results.yaml" });
    let manifest_path = out.join("manifest.yaml");
    wmd::output::write_atomic(&results_path, &results).map_err(|e| e.to_string())?;
    wmd::output::write_atomic(&manifest_path, &manifest).map_err(|e| e.to_string())?;
    outln!(
        "wrote {} and {}",
        results_path.display(),
        manifest_path.display()
    );
    Ok(())
}
