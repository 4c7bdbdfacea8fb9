//! Tab completion for the REPL, from the session as it stands: names (definitions, builtins,
//! kinds, keywords), the fields of `NAME.` (a report's items; a block's or a record's result
//! fields once it has been computed) and the `:` commands.

use super::{defined_name, Session};
use crate::ir::plan::GlobalBody;
use crate::ir::value::Value;

/// The REPL's commands, for completion after `:`.
const COMMANDS: &[&str] = &[
    ":defs", ":exit", ":help", ":load", ":quit", ":reset", ":show",
];

impl Session {
    /// Names for completion: definitions, builtins, kinds and keywords.
    pub fn completions(&self) -> Vec<String> {
        let mut names: Vec<String> = crate::eval::table::all_rows()
            .map(|r| r.sig.name.to_string())
            .collect();
        names.extend(
            crate::kinds::REGISTRY
                .iter()
                .map(|k| k.schema.name.to_string()),
        );
        names.extend(["let", "fn", "use", "report", "expect", "sweep", "within"].map(String::from));
        for (p, _) in &self.parsed.units {
            names.extend(p.stmts.iter().filter_map(defined_name));
        }
        names.sort();
        names.dedup();
        names
    }

    /// Complete the word that ends at byte `pos` of `line`: the byte offset where the
    /// replaced part starts, and the candidates (sorted). After `NAME.` (or `NAME.a.b.`) the
    /// candidates are the fields of that value; at the start of a line after `:`, commands.
    pub fn complete(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let mut pos = pos.min(line.len());
        while !line.is_char_boundary(pos) {
            pos -= 1;
        }
        let before = &line[..pos];
        let start = before
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0);
        let word = &before[start..];
        if before.trim_start() == format!(":{word}") {
            let typed = format!(":{word}");
            let hits = COMMANDS.iter().filter(|c| c.starts_with(&typed));
            return (start - 1, hits.map(|c| c.to_string()).collect());
        }
        if let Some(dot) = word.rfind('.') {
            let (path, partial) = (&word[..dot], &word[dot + 1..]);
            let mut hits: Vec<String> = self.fields_of(path);
            hits.retain(|f| f.starts_with(partial));
            return (start + dot + 1, hits);
        }
        if word.is_empty() {
            return (start, Vec::new());
        }
        let mut hits = self.completions();
        hits.retain(|n| n.starts_with(word));
        (start, hits)
    }

    /// The field names of the value a dotted path names: a report's items, or the fields of
    /// a block's result kept in the job cache (a block not yet run has none to offer).
    pub fn fields_of(&self, path: &str) -> Vec<String> {
        let mut parts = path.split('.');
        let (Some(plan), Some(first)) = (&self.plan, parts.next()) else {
            return Vec::new();
        };
        let Some(id) = plan.global_id(first) else {
            return Vec::new();
        };
        let rest: Vec<&str> = parts.collect();
        let value = match &plan.globals[id].body {
            GlobalBody::Report(items) if rest.is_empty() => {
                return items.iter().map(|(n, _)| n.clone()).collect();
            }
            GlobalBody::Job { .. } => self.jobs.get(&plan.def_key(id, self.options.seed)),
            _ => None,
        };
        let mut v = value;
        for name in rest {
            v = v.and_then(|v| v.field(name).cloned());
        }
        match v {
            Some(Value::Record(fields)) => fields.iter().map(|(n, _)| n.clone()).collect(),
            _ => Vec::new(),
        }
    }
}
