//! The entries of the builtins, from their signatures: parameters with types and defaults,
//! the return type, how the call is evaluated, and an example. The example is the first
//! backquoted call in the doc that starts with the builtin's name (or declares a kind with it,
//! `ensemble W = goe(n = 50)`), else a call of the required parameters made from their types.

use super::entry::{first_sentence, Entry, Group, Item};
use crate::builtins::{Builtin, DefaultValue, Mode, Param, Ret};
use crate::types::ParamTy;

/// One entry per builtin of [`crate::eval::table::all_rows`].
pub fn entries() -> Vec<Entry> {
    crate::eval::table::all_rows()
        .map(|r| entry(&r.sig))
        .collect()
}

fn entry(b: &Builtin) -> Entry {
    let params: Vec<String> = b
        .params
        .iter()
        .map(crate::kinds::reference::param)
        .collect();
    let mut notes = vec![format!("Returns {}.", returns(b.ret))];
    match b.mode {
        Mode::Plain => {}
        Mode::Pooled => notes.push(
            "With `draws = K` the first argument is evaluated in K independent draws of the \
             ensembles it reads (in parallel) and the results are pooled in draw order."
                .into(),
        ),
        Mode::Sampled => notes.push(
            "The first argument is evaluated in `draws` independent draws of the ensembles it \
             reads, and the values are stacked in draw order."
                .into(),
        ),
    }
    if let Some(kind) = kind_made_by(b.name) {
        notes.push(format!(
            "A constructor of `{kind}`: `{kind} NAME = {}(...)`.",
            b.name
        ));
    }
    let example = example(b);
    let doc = b.doc.replace(&format!(" (e.g. `{example}`)"), "");
    Entry {
        name: b.name.to_string(),
        aliases: Vec::new(),
        group: Group::Builtin,
        summary: first_sentence(&doc),
        usage: format!("{}({})", b.name, params.join(", ")),
        items: b.params.iter().map(item).collect(),
        notes: std::iter::once(doc).chain(notes).collect(),
        example: super::examples::script(&example, &[]),
    }
}

/// The kind whose constructor `name` is, if any.
fn kind_made_by(name: &str) -> Option<&'static str> {
    crate::kinds::REGISTRY
        .iter()
        .find_map(|k| match k.schema.form {
            crate::schema::Form::Constructor(makers) if makers.contains(&name) => {
                Some(k.schema.name)
            }
            _ => None,
        })
}

fn item(p: &Param) -> Item {
    let default = match p.default {
        DefaultValue::Required => "required".to_string(),
        DefaultValue::Num(v) => crate::number::sig4(v),
        DefaultValue::Auto(how) => how.to_string(),
    };
    Item {
        name: p.name.to_string(),
        meaning: type_name(p.ty),
        default,
    }
}

/// How a parameter type reads in the reference.
pub fn type_name(ty: ParamTy) -> String {
    match ty {
        ParamTy::Num => "number".into(),
        ParamTy::Numeric => "number, vector or matrix".into(),
        ParamTy::Vector => "vector".into(),
        ParamTy::Matrix => "matrix".into(),
        ParamTy::Dist => "distribution".into(),
        ParamTy::DistOrFunc => "distribution or function (a density)".into(),
        ParamTy::Func => "function".into(),
        ParamTy::LayerLaw => "law of a layer's weights (may read fan_in, fan_out, layer)".into(),
        ParamTy::Bool => "condition".into(),
        ParamTy::Str => "string".into(),
        ParamTy::Choice(names) => {
            let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
            quoted.join(" | ")
        }
        ParamTy::Any => "any value".into(),
    }
}

fn returns(ret: Ret) -> &'static str {
    match ret {
        Ret::Num => "a number",
        Ret::Bool => "a condition",
        Ret::Vector => "a vector",
        Ret::Matrix => "a matrix",
        Ret::Dist => "a distribution",
        Ret::Law => "a random-matrix law (for `ensemble NAME = …`)",
        Ret::Record => "a record",
        Ret::Any => "a value whose type depends on the arguments",
        Ret::SameAsFirst => "a value of the shape of its first argument",
        Ret::Broadcast => "the common shape of its arguments, broadcast",
    }
}

/// The example of a builtin: the first backquoted span of its doc that calls it (or declares
/// a kind with it) and elides nothing, else [`generated`].
fn example(b: &Builtin) -> String {
    let call = format!("{}(", b.name);
    let spans = b.doc.split('`').skip(1).step_by(2);
    let found = spans
        .filter(|s| !s.contains("...") && !s.contains('…'))
        .find(|s| s.starts_with(&call) || (s.contains(&format!("= {call}")) && declares(s)));
    found.map_or_else(|| generated(b), str::to_string)
}

/// Whether a span is a declaration `KIND NAME = …` of a registered kind.
fn declares(span: &str) -> bool {
    let first = span.split_whitespace().next().unwrap_or("");
    crate::kinds::REGISTRY
        .iter()
        .any(|k| k.schema.name == first)
}

/// A call of the required parameters, each an argument of its type from the example context.
fn generated(b: &Builtin) -> String {
    let args: Vec<String> = b
        .params
        .iter()
        .filter(|p| p.default == DefaultValue::Required)
        .map(|p| argument(p.ty))
        .collect();
    format!("{}({})", b.name, args.join(", "))
}

fn argument(ty: ParamTy) -> String {
    let text = match ty {
        ParamTy::Num => "2",
        ParamTy::Numeric | ParamTy::Vector | ParamTy::Any => "x",
        ParamTy::Matrix => "M",
        ParamTy::Dist | ParamTy::DistOrFunc => "normal(0, 1)",
        ParamTy::Func => "t -> exp(-t^2)",
        ParamTy::LayerLaw => "normal(sd = 0.1)",
        ParamTy::Bool => "x > 1",
        ParamTy::Str => "\"label\"",
        ParamTy::Choice(names) => return format!("\"{}\"", names.first().unwrap_or(&"")),
    };
    text.to_string()
}
