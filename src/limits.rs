//! The documented limits of wmd (README, "Limits"). A script beyond one of them is refused with
//! a spanned diagnostic naming the limit, never a crash.

/// How deep brackets `( [ {`, `if … then … else` and lambdas `->` may nest in one expression.
/// The parser recurses once per level; this bound keeps its stack use fixed
/// ([`PARSER_STACK`]). Deeper *evaluation* (long chains of `let`s, `fn`s or operators) has no
/// such limit: it grows the stack on the heap ([`crate::deep`]).
pub const MAX_NESTING: usize = 2000;

/// Stack given to the parser: enough for [`MAX_NESTING`] levels with a wide margin (measured
/// at under 2 KiB per level in a debug build).
pub const PARSER_STACK: usize = 64 * 1024 * 1024;

/// How deep one expression tree may be: a chain `a + b + c + …` of more than this many terms,
/// or as many unary minus signs in a row. Checking, lowering and evaluating have no depth
/// limit ([`crate::deep`]), but cloning and dropping a tree, and the closures a per-step
/// function compiles to, recurse on whichever thread holds them; this bound keeps that under
/// 1 MiB (measured ≈ 100 bytes per level).
pub const MAX_EXPR_DEPTH: usize = 5000;

/// The most numbers one value may hold, or one job may keep (a matrix, a range, a pooled
/// spectrum, `runs × dimension × records` of a history): 2²⁸ ≈ 2.7 · 10⁸ numbers, 2 GiB of
/// `f64`. Anything larger is refused, with its size, before it is allocated.
pub const MAX_ELEMENTS: usize = 1 << 28;

/// `Ok` when `what`, of `count` numbers, fits under [`MAX_ELEMENTS`]; otherwise a message
/// that names the size. `count` is a float so that products of large factors cannot overflow.
pub fn check_elements(what: &str, count: f64) -> Result<(), String> {
    if count.is_finite() && count <= MAX_ELEMENTS as f64 {
        return Ok(());
    }
    Err(format!(
        "{what} would hold {} numbers ({} of memory), more than the limit of {} (README, \"Limits\")",
        count_text(count),
        bytes_text(count * 8.0),
        count_text(MAX_ELEMENTS as f64),
    ))
}

/// A count as digits, or in scientific notation when huge (`2.4e12`).
pub fn count_text(x: f64) -> String {
    if x < 1e9 {
        format!("{}", x as u64)
    } else {
        format!("{x:.2e}")
    }
}

fn bytes_text(b: f64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let (mut v, mut u) = (b, 0);
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    format!("{v:.1} {}", UNITS[u])
}

/// The largest value of a count: every whole-number argument or field (`steps`, `runs`,
/// `draws`, `every`, `bins`, `cells`, `levels`, sizes such as `rows` and `n`, and the step
/// count `until / dt`) is at most 10⁹. A larger one is refused as too large
/// (`wmd::run::too_large`) before any work is done; memory is bounded by [`MAX_ELEMENTS`].
pub const MAX_COUNT: f64 = 1e9;

/// Stack of each worker thread a run uses (reserved, not committed: only the pages a deep
/// recursion touches take memory). The closures a per-step function compiles to call each
/// other once per level of its expression, up to [`MAX_EXPR_DEPTH`] deep, inside the inner
/// loop where no stack switch may happen; this leaves room for that with a wide margin.
pub const WORKER_STACK: usize = 256 * 1024 * 1024;
