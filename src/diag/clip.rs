//! Clipping long source lines before miette renders them. miette pads the snippet with the
//! column of each label, and panics ("Formatting argument out of range") past column 65 535;
//! a line of thousands of columns is unreadable anyway. Lines longer than [`MAX_LINE`] bytes
//! are cut to a window around the first label on them, with `…` where text was left out, and
//! every label offset is moved to match.

/// Lines longer than this (in bytes) are shown as a window of [`WINDOW`] bytes.
pub const MAX_LINE: usize = 400;
/// Bytes of a clipped line that are kept.
pub const WINDOW: usize = 240;
const ELLIPSIS: &str = "…";

/// One line of the original text and what is kept of it.
struct Line {
    start: usize,
    end: usize,
    /// Kept byte range of the original text (the whole line when not clipped).
    keep: (usize, usize),
    /// Where the kept text starts in the new text.
    new_keep_start: usize,
}

/// Clipped source text that reports the original columns (miette counts them in bytes from
/// the line start), so the `file:line:column` header stays true.
#[derive(Debug)]
pub struct Clipped {
    text: String,
    /// (line index, bytes cut from the line's start less the `…` put there: may be negative
    /// when fewer than three bytes were cut).
    shifts: Vec<(usize, isize)>,
}

impl miette::SourceCode for Clipped {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let c = self.text.read_span(span, before, after)?;
        let shift = match c.column() {
            0 => 0,
            _ => self
                .shifts
                .iter()
                .find(|s| s.0 == c.line())
                .map_or(0, |s| s.1),
        };
        Ok(Box::new(miette::MietteSpanContents::new(
            c.data(),
            *c.span(),
            c.line(),
            c.column().saturating_add_signed(shift),
            c.line_count(),
        )))
    }
}

/// The text with long lines clipped, and the spans `(offset, length)` moved onto it.
pub fn clip(text: &str, spans: &[(usize, usize)]) -> (Clipped, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(text.len().min(1 << 20));
    let mut lines = Vec::new();
    let mut shifts = Vec::new();
    let mut start = 0;
    for (index, piece) in text.split_inclusive('\n').enumerate() {
        let end = start + piece.len();
        let keep = window(text, start, end, spans);
        if keep.0 > start {
            out.push_str(ELLIPSIS);
            shifts.push((index, (keep.0 - start) as isize - ELLIPSIS.len() as isize));
        }
        let new_keep_start = out.len();
        out.push_str(&text[keep.0..keep.1]);
        if keep.1 < end {
            out.push_str(ELLIPSIS);
            out.push_str(if piece.ends_with('\n') { "\n" } else { "" });
        }
        lines.push(Line {
            start,
            end,
            keep,
            new_keep_start,
        });
        start = end;
    }
    let moved = spans
        .iter()
        .map(|&(s, n)| {
            let a = move_offset(&lines, s, out.len());
            let b = move_offset(&lines, s + n, out.len());
            (a, b.saturating_sub(a))
        })
        .collect();
    (Clipped { text: out, shifts }, moved)
}

/// The kept range of the line `start..end`: all of it, or a window around the first span that
/// starts on it (its start when none does), on character boundaries.
fn window(text: &str, start: usize, end: usize, spans: &[(usize, usize)]) -> (usize, usize) {
    if end - start <= MAX_LINE {
        return (start, end);
    }
    let anchor = spans
        .iter()
        .map(|s| s.0)
        .find(|&s| (start..end).contains(&s))
        .unwrap_or(start);
    let mut a = anchor.saturating_sub(WINDOW / 2).max(start);
    let mut b = (a + WINDOW).min(end);
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    while !text.is_char_boundary(b) {
        b += 1;
    }
    (a, b)
}

/// Where original offset `pos` lands in the clipped text (clamped into its line's window).
fn move_offset(lines: &[Line], pos: usize, new_len: usize) -> usize {
    let Some(line) = lines.iter().find(|l| pos >= l.start && pos < l.end) else {
        return new_len;
    };
    let inside = pos.clamp(line.keep.0, line.keep.1);
    line.new_keep_start + (inside - line.keep.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_unchanged() {
        let text = "let a = 1\nlet b = @\n";
        let (out, spans) = clip(text, &[(18, 1)]);
        assert_eq!(out.text, text);
        assert_eq!(spans, vec![(18, 1)]);
    }

    #[test]
    fn a_long_line_keeps_a_window_around_the_label() {
        let text = format!("let a = 1{}@\nnext\n", " ".repeat(70_000));
        let at = text.find('@').unwrap();
        let (out, spans) = clip(&text, &[(at, 1)]);
        let out = out.text;
        assert!(out.len() < 600, "clipped to {} bytes", out.len());
        assert_eq!(&out[spans[0].0..spans[0].0 + 1], "@");
        assert!(out.starts_with("…") && out.ends_with("\nnext\n"));
    }

    #[test]
    fn a_window_that_starts_one_byte_into_the_line_is_fine() {
        // Found by the fuzzer: the label sits WINDOW/2 + 1 bytes into a long line.
        let text = format!("{}@{}\n", " ".repeat(WINDOW / 2 + 1), " ".repeat(MAX_LINE));
        let at = text.find('@').unwrap();
        let (out, spans) = clip(&text, &[(at, 1)]);
        assert_eq!(&out.text[spans[0].0..spans[0].0 + 1], "@");
    }
}
