//! The whole reference as Markdown: docs/reference.md is `wmd doc --markdown`, and a test
//! keeps the file equal to it.

use super::catalog::entries;
use super::entry::{Entry, Group};
use std::fmt::Write;

/// The reference manual: an index by group, then every entry.
pub fn markdown() -> String {
    let all = entries();
    let mut out = String::from(
        "# Reference\n\n<!-- Written by `wmd doc --markdown` from the kind registry, the builtin \
         table, stdlib/*.wmd and src/reference/statements.rs; do not edit. -->\n\n\
         Every statement form, kind, builtin and stdlib function of wmd, with its parameters, \
         their defaults and an example that `wmd check` accepts. `wmd doc NAME` prints one \
         entry; docs/language.md explains the language and the mathematics of each kind.\n",
    );
    for g in Group::ALL {
        let names: Vec<String> = (all.iter().filter(|e| e.group == g))
            .map(|e| format!("[`{}`](#{})", e.name, anchor(e)))
            .collect();
        let _ = write!(out, "\n**{}:** {}\n", g.title(), names.join(", "));
    }
    for g in Group::ALL {
        let _ = write!(out, "\n## {}\n", g.title());
        for e in all.iter().filter(|e| e.group == g) {
            entry(&mut out, e);
        }
    }
    out
}

/// The anchor of an entry's heading (`### `name``), as GitHub makes it: lower case, spaces to
/// `-`, other punctuation dropped.
fn anchor(e: &Entry) -> String {
    (e.name.to_lowercase().chars())
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
            _ => None,
        })
        .collect()
}

fn entry(out: &mut String, e: &Entry) {
    let _ = write!(out, "\n### `{}`\n\n`{}`\n\n", e.name, e.usage);
    for p in super::text::paragraphs(e) {
        let _ = write!(out, "{}\n\n", p.trim_end());
    }
    if !e.aliases.is_empty() {
        let names: Vec<String> = e.aliases.iter().map(|a| format!("`{a}`")).collect();
        let _ = write!(out, "Also found as {}.\n\n", names.join(", "));
    }
    if !e.items.is_empty() {
        out.push_str("| name | meaning | default |\n|---|---|---|\n");
        let cell = |t: &str| t.replace('|', "\\|");
        for i in &e.items {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                cell(&i.name),
                cell(&i.meaning),
                cell(&i.default)
            );
        }
        out.push('\n');
    }
    let _ = write!(out, "```wmd\n{}```\n", e.example);
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_manual_has_every_entry_under_its_heading() {
        let text = super::markdown();
        for e in super::entries() {
            assert!(
                text.contains(&format!("\n### `{}`\n", e.name)),
                "{}",
                e.name
            );
        }
        assert!(text.contains("[`stop`](#stop)"));
    }
}
