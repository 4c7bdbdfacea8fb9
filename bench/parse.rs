//! Parse time per KB for scripts of growing size and nesting (issue 9: parsing must be linear).
//! For each shape, scripts of 64 KiB, 256 KiB and 1 MiB are parsed (best of 3) and the time per
//! KiB is printed with its ratio to the 64 KiB figure (≈ 1 when linear; the old grammar doubled
//! per nesting level). The reference in the same process is one linear pass over the bytes
//! (counting brackets), which says how far the parser is from the cost of reading the text.
//! Usage: `bench/run parse` (or `cargo run --release --bin wmd-bench-parse`).

use std::time::Instant;

/// A script of about `bytes` bytes made of repeated `unit`s.
fn script(unit: &dyn Fn(usize) -> String, bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 256);
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(&unit(i));
        i += 1;
    }
    s
}

fn best_of_3(f: &dyn Fn()) -> f64 {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// Makes the i-th piece of a script.
type Unit = Box<dyn Fn(usize) -> String>;

fn main() {
    let nested = |d: usize| format!("let a = {}1{}\n", "(".repeat(d), ")".repeat(d));
    let shapes: [(&str, Unit); 4] = [
        (
            "statements",
            Box::new(|i| format!("let a{i} = [({i} + 1) * 2, sin({i}) ^ 2, [k for k in 0..3]]\n")),
        ),
        ("(((…))) depth 1000", Box::new(move |_| nested(1000))),
        (
            "[[…]] depth 1000",
            Box::new(|_| format!("let b = {}1{}\n", "[".repeat(1000), "]".repeat(1000))),
        ),
        (
            "a + b + … 4000 terms",
            Box::new(|_| format!("let c = {}\n", vec!["x"; 4000].join(" + "))),
        ),
    ];
    println!(
        "{:<24}{:>10}{:>12}{:>14}{:>12}",
        "shape", "KiB", "µs/KiB", "vs 64 KiB", "vs scan"
    );
    for (name, unit) in &shapes {
        let mut first = None;
        for kib in [64usize, 256, 1024] {
            let text = script(unit.as_ref(), kib * 1024);
            let parse = best_of_3(&|| {
                let mut sources = wmd::span::Sources::new();
                wmd::parse(&mut sources, "bench.wmd", &text).expect("the bench script parses");
            });
            let scan = best_of_3(&|| {
                let n = text.bytes().filter(|b| b"([{".contains(b)).count();
                std::hint::black_box(n);
            });
            let per_kib = parse * 1e6 / (text.len() as f64 / 1024.0);
            let base = *first.get_or_insert(per_kib);
            println!(
                "{name:<24}{:>10}{per_kib:>12.1}{:>14.2}{:>12.0}",
                text.len() / 1024,
                per_kib / base,
                parse / scan
            );
        }
    }
}
