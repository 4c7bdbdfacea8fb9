//! Deep recursion without stack overflow.
//!
//! The passes over a script (building the AST, checking, lowering, evaluating, scanning a plan)
//! recurse on the shape of the script. A script may be deep — a sum of 3 000 terms, a chain of
//! 1 000 `let`s or `fn`s each using the next — and a thread's stack (2 MiB for a rayon worker
//! or a test thread) would overflow and abort the process. Each recursive pass therefore enters
//! its recursive step through [`deep`], which continues on a fresh heap-allocated stack segment
//! when less than [`RED_ZONE`] is left (the technique rustc uses, through the `stacker` crate).
//! Depth is then limited by memory only; the parser's own limit is in [`crate::limits`].

/// Stack that must remain before a recursive step may run on the current segment.
pub const RED_ZONE: usize = 256 * 1024;

/// Size of each new stack segment.
pub const SEGMENT: usize = 8 * 1024 * 1024;

/// Run `f`, first moving to a new stack segment if the current one is nearly used up.
#[inline]
pub fn deep<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}

/// Run `f` with at least `bytes` of stack available (for a recursive library, such as the pest
/// parser, whose recursion cannot go through [`deep`] at each level).
pub fn with_stack<R>(bytes: usize, f: impl FnOnce() -> R) -> R {
    match stacker::remaining_stack() {
        Some(left) if left >= bytes => f(),
        _ => stacker::grow(bytes, f),
    }
}
