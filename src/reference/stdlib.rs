//! The entries of the stdlib functions, read from `stdlib/*.wmd`: a function is a line
//! `fn NAME(params) = …` at the start of a line, and its documentation the `#` comment lines
//! right above it (a line `# Example: EXPR` there is its example). A module's first comment
//! block, ended by a blank line, is the module's own description.

use super::entry::{first_sentence, Entry, Group, Item};

/// One entry per function of every stdlib module.
pub fn entries() -> Vec<Entry> {
    crate::stdlib::MODULES
        .iter()
        .flat_map(|(module, text)| functions(module, text))
        .collect()
}

/// The functions of one module's source, each with the comment block above it.
fn functions(module: &str, text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut comment: Vec<&str> = Vec::new();
    for line in text.lines() {
        if let Some(c) = line.strip_prefix('#') {
            comment.push(c.strip_prefix(' ').unwrap_or(c));
            continue;
        }
        if let Some(sig) = line.strip_prefix("fn ").and_then(signature) {
            out.push(entry(module, sig, &comment));
        }
        comment.clear();
    }
    out
}

/// `NAME(params)` of a definition line `NAME(params) = body`: the text up to the `)` that
/// closes the first `(`.
fn signature(rest: &str) -> Option<(&str, &str)> {
    let open = rest.find('(')?;
    let mut depth = 0usize;
    for (i, c) in rest.char_indices().skip(open) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some((rest[..open].trim(), &rest[open + 1..i]));
                }
            }
            _ => {}
        }
    }
    None
}

fn entry(module: &str, (name, params): (&str, &str), comment: &[&str]) -> Entry {
    let (examples, doc): (Vec<&str>, Vec<&str>) =
        comment.iter().partition(|l| l.starts_with("Example:"));
    let example = examples
        .first()
        .map(|l| l.trim_start_matches("Example:").trim().to_string())
        .unwrap_or_else(|| generated(name, params));
    let joined = doc.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
    Entry {
        name: name.to_string(),
        aliases: vec![format!("{module}.{name}")],
        group: Group::Stdlib,
        summary: first_sentence(&joined),
        usage: format!("{name}({params})"),
        items: split_params(params).iter().map(|p| item(p)).collect(),
        notes: vec![
            doc.join("\n"),
            format!("From the `{module}` module (stdlib/{module}.wmd): `use {module}`."),
        ],
        example: super::examples::script(&example, &[module]),
    }
}

/// The parameters of a signature, split at the commas outside brackets.
fn split_params(params: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in params.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(params[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = params[start..].trim();
    if !last.is_empty() {
        out.push(last.to_string());
    }
    out
}

fn item(param: &str) -> Item {
    let (name, default) = match param.split_once('=') {
        Some((n, d)) => (n.trim(), d.trim()),
        None => (param.trim(), "required"),
    };
    Item {
        name: name.to_string(),
        meaning: String::new(),
        default: default.to_string(),
    }
}

/// A call with every required parameter a number, for functions without an example line.
fn generated(name: &str, params: &str) -> String {
    let args: Vec<String> = split_params(params)
        .iter()
        .filter(|p| !p.contains('='))
        .map(|p| format!("{p} = 1"))
        .collect();
    format!("{name}({})", args.join(", "))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_function_takes_the_comment_above_it() {
        let text = "# m — a module.\n\n# Doubles x. More.\n# Example: twice(3)\nfn twice(x, k = 2) = k * x\nfn bare(y) = y\n";
        let found = super::functions("m", text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].summary, "Doubles x.");
        assert_eq!(found[0].usage, "twice(x, k = 2)");
        assert_eq!(found[0].items[1].default, "2");
        assert!(found[0].example.ends_with("report example { twice(3) }\n"));
        assert_eq!(found[0].aliases, ["m.twice"]);
        assert_eq!(found[1].summary, "");
        assert!(found[1].example.contains("bare(y = 1)"));
    }
}
