//! The reference as plain text for a terminal: one entry (`wmd doc NAME`, `:help NAME`) or
//! the index of every entry with its one-line description (`wmd doc`, `:help`).

use super::catalog::entries;
use super::entry::{Entry, Group};
use std::fmt::Write;

/// The widest a line of the index gets before its description is cut (with `…`).
const WIDTH: usize = 100;

/// One entry: its usage and group, description, parameters with defaults, notes and example.
pub fn entry_text(e: &Entry) -> String {
    let mut out = format!("{}    ({})\n\n", e.usage, group_word(e.group));
    for note in paragraphs(e) {
        let _ = writeln!(out, "{}", note.trim_end());
    }
    if !e.items.is_empty() {
        let width = e.items.iter().map(|i| i.name.chars().count()).max();
        let width = width.unwrap_or(0).min(32);
        out.push('\n');
        for i in &e.items {
            let line = format!("  {:<width$}  {}", i.name, i.meaning);
            let default = match i.default.as_str() {
                "" => String::new(),
                "required" | "optional" => format!("  ({})", i.default),
                d => format!("  (default: {d})"),
            };
            let _ = writeln!(out, "{}{default}", line.trim_end());
        }
    }
    out.push_str("\nExample:\n");
    for line in e.example.lines() {
        let _ = writeln!(out, "    {line}");
    }
    out
}

/// The summary (unless a note starts with it: a builtin's doc is its first note) and the notes.
pub(super) fn paragraphs(e: &Entry) -> Vec<&str> {
    let head = e.summary.trim_end_matches('.');
    let repeated = e.notes.iter().any(|n| n.starts_with(head));
    let summary = (!repeated).then_some(e.summary.as_str());
    summary
        .into_iter()
        .chain(e.notes.iter().map(String::as_str))
        .filter(|n| !n.trim().is_empty())
        .collect()
}

fn group_word(g: Group) -> &'static str {
    match g {
        Group::Statement => "statement",
        Group::Kind => "kind",
        Group::Builtin => "builtin",
        Group::Stdlib => "stdlib function",
    }
}

/// Every entry by group, one line each: its name and the start of its description.
pub fn index_text() -> String {
    let all = entries();
    let mut out = String::new();
    for g in Group::ALL {
        let _ = writeln!(out, "{}:", g.title());
        let group: Vec<&Entry> = all.iter().filter(|e| e.group == g).collect();
        let width = group.iter().map(|e| e.name.chars().count()).max();
        let width = width.unwrap_or(0).min(24);
        for e in group {
            let line = format!("  {:<width$}  {}", e.name, e.summary);
            let _ = writeln!(out, "{}", cut(&line, WIDTH));
        }
        out.push('\n');
    }
    out.push_str("`wmd doc NAME` (or `:help NAME` in the REPL) prints one entry.\n");
    out
}

/// A line cut to `width` characters, ending in `…` when it was longer.
fn cut(line: &str, width: usize) -> String {
    if line.chars().count() <= width {
        return line.to_string();
    }
    let kept: String = line.chars().take(width.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_entry_shows_its_parameters_defaults_and_example() {
        let text = super::entry_text(&super::super::lookup("histogram").unwrap());
        assert!(
            text.starts_with("histogram(x, bins = 40, range = …)"),
            "{text}"
        );
        assert!(
            text.contains("(default: 40)") && text.contains("(default: [min(x), max(x)])"),
            "{text}"
        );
        assert!(text.contains("Example:\n    let x ="), "{text}");
        let index = super::index_text();
        assert!(
            index.starts_with("Statements and syntax:\n  use"),
            "{index}"
        );
        assert!(index.lines().all(|l| l.chars().count() <= super::WIDTH));
        assert_eq!(super::cut("abcdef", 4), "abc…");
    }
}
