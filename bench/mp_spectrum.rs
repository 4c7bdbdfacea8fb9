//! Benchmark: the spectrum work of examples/marchenko_pastur.wmd. For each of `draws`
//! independent draws, sample W (M×N, N(0, 1/M) entries), form X = WᵀW and compute all its
//! eigenvalues. Draws run in parallel with rayon (each faer call sequential), exactly as
//! `wmd run` does. Prints JSON: best-of-`repeats` wall time and the mean eigenvalue.
//!
//! Usage: wmd-bench-mp [M] [N] [draws] [repeats]

use rayon::prelude::*;
use std::time::Instant;
use wmd::backend::linalg::{self, MatrixLaw};
use wmd::backend::rng::stream;

fn arg(i: usize, default: usize) -> usize {
    std::env::args()
        .nth(i)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let (m, n, draws, repeats) = (arg(1, 2000), arg(2, 1000), arg(3, 20), arg(4, 3));
    let law = MatrixLaw::Gaussian {
        rows: m,
        cols: n,
        mean: 0.0,
        var: 1.0 / m as f64,
    };
    let mut best = f64::INFINITY;
    let mut mean = 0.0;
    let (mut t_sample, mut t_gram, mut t_eig) = (0.0, 0.0, 0.0);
    for _ in 0..repeats {
        let start = Instant::now();
        let parts: Vec<(Vec<f64>, [f64; 3])> = (0..draws as u64)
            .into_par_iter()
            .map(|d| {
                let t0 = Instant::now();
                let w = linalg::sample(&law, &mut stream(0, 0, "W", d));
                let t1 = Instant::now();
                let x = linalg::gram(w.as_ref());
                let t2 = Instant::now();
                let e = linalg::sym_eigvals(x.as_ref()).expect("eigenvalues");
                let t3 = Instant::now();
                (
                    e,
                    [
                        (t1 - t0).as_secs_f64(),
                        (t2 - t1).as_secs_f64(),
                        (t3 - t2).as_secs_f64(),
                    ],
                )
            })
            .collect();
        let elapsed = start.elapsed().as_secs_f64();
        if elapsed < best {
            best = elapsed;
            let all: Vec<f64> = parts.iter().flat_map(|(e, _)| e.iter().copied()).collect();
            mean = all.iter().sum::<f64>() / all.len() as f64;
            t_sample = parts.iter().map(|p| p.1[0]).sum();
            t_gram = parts.iter().map(|p| p.1[1]).sum();
            t_eig = parts.iter().map(|p| p.1[2]).sum();
        }
    }
    println!(
        "{{\"seconds\": {best:.4}, \"mean_eig\": {mean:.6}, \"threads\": {}, \"cpu_seconds\": {{\"sample\": {t_sample:.3}, \"gram\": {t_gram:.3}, \"eigvals\": {t_eig:.3}}}}}",
        rayon::current_num_threads()
    );
}
