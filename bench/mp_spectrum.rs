//! Benchmark: the spectrum work of examples/marchenko_pastur.wmd. For each of `draws`
//! independent draws, sample W (M×N, N(0, 1/M) entries), form X = WᵀW and compute all its
//! eigenvalues. Draws run in parallel with rayon (each faer call sequential), exactly as
//! `wmd run` does. Prints JSON: best-of-`repeats` wall time, the mean eigenvalue (theory: 1)
//! and, for that best repeat, the CPU seconds summed over draws of each stage.
//!
//! Usage: wmd-bench-mp [M] [N] [draws] [repeats] [--threads T]   (T defaults to all cores)

use rayon::prelude::*;
use std::time::Instant;
use wmd::backend::linalg::{self, MatrixLaw};
use wmd::backend::rng::stream;

const USAGE: &str = "usage: wmd-bench-mp [M] [N] [draws] [repeats] [--threads T] (integers ≥ 1)";

/// The workload and the thread count, from the command line.
struct Args {
    m: usize,
    n: usize,
    draws: u64,
    repeats: usize,
    threads: Option<usize>,
}

fn parse_args() -> Result<Args, String> {
    let positive = |s: Option<String>| {
        s.and_then(|s| s.parse::<usize>().ok())
            .filter(|&v| v > 0)
            .ok_or_else(|| USAGE.to_string())
    };
    let (mut numbers, mut threads) = (Vec::new(), None);
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        if a == "--threads" {
            threads = Some(positive(it.next())?);
        } else {
            numbers.push(positive(Some(a))?);
        }
    }
    let get = |i: usize, d: usize| numbers.get(i).copied().unwrap_or(d);
    Ok(Args {
        m: get(0, 2000),
        n: get(1, 1000),
        draws: get(2, 20) as u64,
        repeats: get(3, 3),
        threads,
    })
}

/// One draw: its eigenvalues and the seconds spent sampling, forming WᵀW and diagonalising.
fn one_draw(law: &MatrixLaw, d: u64) -> Result<(Vec<f64>, [f64; 3]), String> {
    let t0 = Instant::now();
    let w = linalg::sample(law, &mut stream(0, 0, "W", d)).map_err(|e| e.to_string())?;
    let t1 = Instant::now();
    let x = linalg::gram(w.as_ref());
    let t2 = Instant::now();
    let e = linalg::sym_eigvals(x.as_ref()).map_err(|e| e.to_string())?;
    let secs = |a: Instant, b: Instant| (b - a).as_secs_f64();
    Ok((e, [secs(t0, t1), secs(t1, t2), secs(t2, Instant::now())]))
}

/// One repeat: wall seconds, mean eigenvalue, CPU seconds per stage summed over draws.
fn one_repeat(law: &MatrixLaw, draws: u64) -> Result<(f64, f64, [f64; 3]), String> {
    let start = Instant::now();
    let parts = (0..draws)
        .into_par_iter()
        .map(|d| one_draw(law, d))
        .collect::<Result<Vec<_>, _>>()?;
    let wall = start.elapsed().as_secs_f64();
    let count: usize = parts.iter().map(|(e, _)| e.len()).sum();
    let sum: f64 = parts.iter().flat_map(|(e, _)| e.iter()).sum();
    let mut stages = [0.0; 3];
    for (_, t) in &parts {
        for (s, x) in stages.iter_mut().zip(t) {
            *s += x;
        }
    }
    Ok((wall, sum / count as f64, stages))
}

fn run(args: &Args) -> Result<String, String> {
    let law = MatrixLaw::Gaussian {
        rows: args.m,
        cols: args.n,
        mean: 0.0,
        var: 1.0 / args.m as f64,
    };
    law.validate().map_err(|e| e.to_string())?;
    let mut best = (f64::INFINITY, 0.0, [0.0; 3]);
    for _ in 0..args.repeats {
        let r = one_repeat(&law, args.draws)?;
        if r.0 < best.0 {
            best = r;
        }
    }
    let (secs, mean, [s, g, e]) = best;
    Ok(format!(
        "{{\"seconds\": {secs:.4}, \"mean_eig\": {mean:.6}, \"threads\": {}, \"cpu_seconds\": {{\"sample\": {s:.3}, \"gram\": {g:.3}, \"eigvals\": {e:.3}}}}}",
        rayon::current_num_threads()
    ))
}

fn main() {
    let result = parse_args().and_then(|args| {
        let mut pool = rayon::ThreadPoolBuilder::new();
        if let Some(t) = args.threads {
            pool = pool.num_threads(t);
        }
        let pool = pool.build().map_err(|e| e.to_string())?;
        pool.install(|| run(&args))
    });
    match result {
        Ok(json) => println!("{json}"),
        Err(e) => {
            eprintln!("wmd-bench-mp: {e}");
            std::process::exit(2);
        }
    }
}
