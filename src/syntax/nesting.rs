//! The nesting guard: a linear scan of the text, before pest, that refuses expressions nested
//! deeper than [`MAX_NESTING`] (brackets `( [ {`, `if`, lambdas `->`), so the parser's
//! recursion has a fixed bound. It over-counts a little on purpose: an `if` or `->` counts
//! until the bracket around it closes (or, outside brackets, until the next statement
//! keyword), whether or not the next one is nested inside it.

use crate::diag::Diagnostic;
use crate::diag::ErrorCode;
use crate::limits::MAX_NESTING;
use crate::span::{FileId, Span};

/// Statement keywords: outside brackets, each starts a fresh count.
const STATEMENT_KEYWORDS: [&str; 6] = ["let", "fn", "use", "sweep", "report", "expect"];

/// `Err` at the first token that nests deeper than [`MAX_NESTING`].
pub fn check(file: FileId, text: &str) -> Result<(), Diagnostic> {
    let bytes = text.as_bytes();
    let mut opened: Vec<usize> = Vec::new(); // depth before each open bracket
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let (step, nest) = token(bytes, i);
        match nest {
            Nest::Open => {
                opened.push(depth);
                depth += 1;
            }
            Nest::Close => depth = opened.pop().unwrap_or(0),
            Nest::Chain => depth += 1,
            Nest::Statement if opened.is_empty() => depth = 0,
            Nest::Statement | Nest::None => {}
        }
        if depth > MAX_NESTING {
            return Err(too_deep(Span::new(file, i, i + step)));
        }
        i += step;
    }
    Ok(())
}

/// What a token does to the nesting depth.
enum Nest {
    Open,
    Close,
    Chain,
    Statement,
    None,
}

/// The length of the token at `i` (a string, comment, word or single byte) and its effect.
fn token(bytes: &[u8], i: usize) -> (usize, Nest) {
    let rest = &bytes[i..];
    match rest[0] {
        b'(' | b'[' | b'{' => (1, Nest::Open),
        b')' | b']' | b'}' => (1, Nest::Close),
        b'-' if rest.get(1) == Some(&b'>') => (2, Nest::Chain),
        b'"' => (string_len(rest), Nest::None),
        b'#' => (
            rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len()),
            Nest::None,
        ),
        b if b.is_ascii_alphabetic() || b == b'_' => {
            let n = rest
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
                .unwrap_or(rest.len());
            let word = &rest[..n];
            let nest = if word == b"if" {
                Nest::Chain
            } else if STATEMENT_KEYWORDS.iter().any(|k| k.as_bytes() == word) {
                Nest::Statement
            } else {
                Nest::None
            };
            (n, nest)
        }
        _ => (1, Nest::None),
    }
}

/// Length of a string literal starting at `rest[0] == '"'` (to the closing quote, the end of
/// the line, or the end of the text, as the grammar reads it).
fn string_len(rest: &[u8]) -> usize {
    let mut j = 1;
    while j < rest.len() {
        match rest[j] {
            b'\\' => j += 2,
            b'"' => return j + 1,
            b'\n' => return j,
            _ => j += 1,
        }
    }
    rest.len()
}

fn too_deep(span: Span) -> Diagnostic {
    Diagnostic::new(
        ErrorCode::ParseTooDeep,
        format!("this expression nests more than {MAX_NESTING} levels deep"),
    )
    .label(span, "one level too many")
    .help(format!(
        "brackets, `if … then … else` and lambdas `->` may nest at most {MAX_NESTING} levels \
         (README, \"Limits\"); name inner parts with `let`"
    ))
}
