//! The entries of the kinds, from the registry: a block kind's fields with their defaults and
//! choices, a constructor kind's constructors, and the names a block binds.

use super::entry::{first_sentence, Entry, Group, Item};
use crate::kinds::reference::signature;
use crate::schema::{FieldKind, FieldSpec, Form, KindSchema};

/// One entry per kind of [`crate::kinds::REGISTRY`].
pub fn entries() -> Vec<Entry> {
    crate::kinds::REGISTRY
        .iter()
        .map(|k| entry(k.schema))
        .collect()
}

fn entry(k: &KindSchema) -> Entry {
    let mut notes = Vec::new();
    let usage = match k.form {
        Form::Constructor(makers) => {
            let list: Vec<String> = makers.iter().map(|m| format!("{m}(...)")).collect();
            notes.push(format!(
                "Made by one of the constructors {} (`wmd doc {}` for each one's parameters).",
                list.join(", "),
                makers.first().copied().unwrap_or("NAME")
            ));
            format!("{} NAME = {}", k.name, list.join(" | "))
        }
        Form::Block => format!("{} NAME {{ field = value ... }}", k.name),
    };
    if k.per_draw {
        notes.push("Its value is drawn afresh for every draw.".into());
    }
    if k.runs_are_draws {
        notes.push("Run r of the block sees draw r of every per-draw value it reads.".into());
    }
    if !k.scope.is_empty() {
        let names: Vec<String> = k.scope.iter().map(|n| format!("`{n}`")).collect();
        notes.push(format!("Inside the block: {}.", names.join(", ")));
    }
    let items = match k.form {
        Form::Constructor(makers) => makers.iter().filter_map(|m| constructor(m)).collect(),
        Form::Block => k.fields.iter().map(field).collect(),
    };
    Entry {
        name: k.name.to_string(),
        aliases: Vec::new(),
        group: Group::Kind,
        summary: first_sentence(k.doc),
        usage,
        items,
        notes,
        example: super::examples::script(k.example, &[]),
    }
}

/// A constructor as an item of its kind: its call with parameters and what it makes.
fn constructor(name: &str) -> Option<Item> {
    let row = crate::eval::table::all_rows().find(|r| r.sig.name == name)?;
    let params: Vec<String> = (row.sig.params.iter())
        .map(crate::kinds::reference::param)
        .collect();
    Some(Item {
        name: format!("{name}({})", params.join(", ")),
        meaning: first_sentence(row.sig.doc),
        default: String::new(),
    })
}

fn field(f: &FieldSpec) -> Item {
    let default = match (f.required, f.kind) {
        (true, _) => "required".to_string(),
        (false, FieldKind::Choice(names)) => format!("\"{}\"", names.first().unwrap_or(&"")),
        (false, _) => "optional".to_string(),
    };
    Item {
        name: signature(f).replace('`', "").replace("\\|", "|"),
        meaning: f.doc.to_string(),
        default,
    }
}
