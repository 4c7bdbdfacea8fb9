//! The reference of every kind, written from the registry: `wmd kinds` prints it and
//! `docs/kinds.md` is it (a test keeps the two equal), so the documentation of fields, their
//! defaults and their choices cannot drift from what the checker accepts.

use crate::builtins::{DefaultValue, Param};
use crate::schema::{FieldKind, FieldSpec, Form, KindSchema};
use std::fmt::Write;

/// The reference of every kind in the registry, as Markdown.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Kinds\n\n<!-- Written by `wmd kinds` from the kind registry (src/kinds/); do not edit. -->\n\n\
         A declaration `KIND NAME { field = value ... }` (or `KIND NAME = constructor(...)`) \
         makes one of these. `docs/language.md` explains each kind's mathematics.\n",
    );
    for k in super::REGISTRY {
        kind(&mut out, k.schema);
    }
    out
}

fn kind(out: &mut String, k: &KindSchema) {
    let _ = write!(out, "\n## `{}`\n\n{}\n\n", k.name, k.doc);
    if let Form::Constructor(makers) = k.form {
        let list: Vec<String> = makers.iter().map(|m| format!("`{m}(...)`")).collect();
        let _ = writeln!(
            out,
            "`{} NAME = …` with one of {}.",
            k.name,
            list.join(", ")
        );
        if k.per_draw {
            out.push_str("Its value is drawn afresh for every draw.\n");
        }
        constructors(out, makers);
        return;
    }
    out.push_str("| field | meaning | default |\n|---|---|---|\n");
    for f in k.fields {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            signature(f),
            f.doc.replace('|', "\\|"),
            default(f)
        );
    }
    if !k.scope.is_empty() {
        let names: Vec<String> = k.scope.iter().map(|n| format!("`{n}`")).collect();
        let _ = writeln!(out, "\nInside the block: {}.", names.join(", "));
    }
}

/// A table of the constructors' parameters (from their builtin signatures) and what each
/// makes.
fn constructors(out: &mut String, makers: &[&str]) {
    out.push_str("\n| constructor | makes |\n|---|---|\n");
    let cell = |text: String| text.replace('|', "\\|");
    for m in makers {
        let Some(row) = crate::eval::table::all_rows().find(|r| r.sig.name == *m) else {
            continue;
        };
        let params: Vec<String> = row.sig.params.iter().map(param).collect();
        let autos: Vec<String> = (row.sig.params.iter())
            .filter_map(|p| match p.default {
                DefaultValue::Auto(how) => Some(format!("`{}`: {how}", p.name)),
                _ => None,
            })
            .collect();
        let defaults = if autos.is_empty() {
            String::new()
        } else {
            format!(". Defaults (…): {}", autos.join("; "))
        };
        let _ = writeln!(
            out,
            "| `{m}({})` | {} |",
            params.join(", "),
            cell(format!("{}{defaults}", row.sig.doc))
        );
    }
}

/// A parameter as it is written: `name`, `name = 0.9`, or `name = …` (set at run time).
pub fn param(p: &Param) -> String {
    match p.default {
        DefaultValue::Required => p.name.to_string(),
        DefaultValue::Num(v) => format!("{} = {}", p.name, crate::number::sig4(v)),
        DefaultValue::Auto(_) => format!("{} = …", p.name),
    }
}

/// How a field is written: `name`, `name(x, t?)`, `name = "a" | "b"`, or its own syntax.
pub fn signature(f: &FieldSpec) -> String {
    match f.kind {
        FieldKind::Function(p) => format!("`{}({})`", f.name, p.join(", ")),
        FieldKind::Choice(names) => {
            let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
            format!("`{} = {}`", f.name, quoted.join(" \\| "))
        }
        _ => format!("`{}`", f.name),
    }
}

fn default(f: &FieldSpec) -> String {
    match (f.required, f.kind) {
        (true, _) => "required".into(),
        (false, FieldKind::Choice(names)) => format!("`\"{}\"`", names[0]),
        (false, _) => "optional".into(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_reference_lists_every_field_of_every_kind() {
        let text = super::markdown();
        for k in super::super::REGISTRY {
            assert!(text.contains(&format!("## `{}`", k.schema.name)));
            for f in k.schema.fields {
                assert!(text.contains(&format!("`{}", f.name)), "{}", f.name);
            }
        }
        assert!(text.contains("`scheme = \"tr_bdf2\" \\| \"backward_euler\"`"));
    }
}
