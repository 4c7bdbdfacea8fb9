//! pest errors → diagnostics. Rule names never reach the user: each rule is given a readable
//! name, and the message says what was found and what could come there instead.

use super::grammar::Rule;
use crate::diag::ErrorCode;
use crate::diag::{Diagnostic, Diagnostics};
use crate::span::{FileId, Span};
use pest::error::{ErrorVariant, InputLocation};

/// The words a user sees for a rule.
fn readable(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        EOI => "end of input",
        program | stmt | decl_stmt => {
            "a statement (`let`, `fn`, `use`, `report`, `expect`, `sweep` or `KIND NAME { ... }`)"
        }
        expr | tol_expr | expr_input | primary | prefix | neg | not | group | lambda
        | lambda_params | if_expr | sum_expr | comprehension => "an expression",
        infix | vs | or | and | eq | ne | le | ge | lt | gt | range | range_incl | add | sub
        | mul | div | pow | modulo | elem_mul | elem_div | elem_pow | tol_infix => "an operator",
        postfix | call | index | member | transpose => "an operator",
        number => "a number",
        string | string_inner => "a string",
        boolean => "`true` or `false`",
        bracket | vector_tail => "a vector `[...]`",
        record | record_field => "a record `{ name: value }`",
        ident | ident_raw | path | binders => "a name",
        keyword => "a keyword",
        block => "a block `{ ... }`",
        item | field | fn_field | bare_item => "a field `name = value`",
        params | param => "a parameter list `(x, y)`",
        named_arg | arg => "an argument",
        full_slice | slice_tail | index_item => "an index",
        binding => "a binding `name in values`",
        tolerance | percent => "a tolerance",
        kw_let => "`let`",
        kw_fn => "`fn`",
        kw_in => "`in`",
        kw_then => "`then`",
        kw_else => "`else`",
        kw_over => "`over`",
        kw_within => "`within`",
        kw_for => "`for`",
        kw_every => "`every`",
        kw_when => "`when`",
        kw_builtin => "`builtin`",
        builtin_ref => "`builtin path`",
        _ => return None,
    })
}

/// Turn a pest error into a spanned diagnostic with a readable message.
pub fn to_diagnostic(e: pest::error::Error<Rule>, file: FileId, text: &str) -> Diagnostics {
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let expected = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => expected_words(positives),
        ErrorVariant::CustomError { message } => vec![message.clone()],
    };
    let found = found_token(text, pos);
    let end = (pos + found.len().max(1)).min(text.len().max(pos));
    let span = Span::new(file, pos, end);
    let what = if found.is_empty() {
        "end of input".to_string()
    } else {
        format!("`{found}`")
    };
    let message = format!("unexpected {what}");
    let label = match expected.as_slice() {
        [] => "not expected here".to_string(),
        list => format!("expected {}", join_or(list)),
    };
    let mut d = Diagnostic::new(ErrorCode::ParseSyntax, message).label(span, label);
    if let Some(h) = hint(text, pos, &found) {
        d = d.help(h);
    }
    Diagnostics::one(d)
}

fn expected_words(positives: &[Rule]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for r in positives {
        if let Some(w) = readable(*r) {
            if !words.iter().any(|x| x == w) {
                words.push(w.to_string());
            }
        }
    }
    words
}

fn join_or(list: &[String]) -> String {
    match list {
        [one] => one.clone(),
        _ => {
            let (last, rest) = list.split_last().unwrap();
            format!("{} or {last}", rest.join(", "))
        }
    }
}

/// The token at `pos`: a word, a number, or a single character.
fn found_token(text: &str, pos: usize) -> String {
    let rest = &text[pos.min(text.len())..];
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
        .collect();
    if !word.is_empty() {
        return word;
    }
    rest.chars()
        .next()
        .map(|c| c.to_string())
        .unwrap_or_default()
}

const RESERVED: &[&str] = &[
    "let", "fn", "use", "sweep", "over", "report", "expect", "within", "in", "for", "if", "then",
    "else", "and", "or", "not", "vs", "true", "false",
];

/// Hints for the mistakes people actually make.
fn hint(text: &str, pos: usize, found: &str) -> Option<String> {
    let before = text[..pos.min(text.len())].trim_end();
    if found.is_empty()
        && before.ends_with('.')
        && before[..before.len() - 1].ends_with(|c: char| c.is_ascii_digit())
    {
        return Some("a number needs digits after its point: write `1.0` or `1`".into());
    }
    if found.is_empty() {
        let opens =
            text.matches('{').count() + text.matches('(').count() + text.matches('[').count();
        let closes =
            text.matches('}').count() + text.matches(')').count() + text.matches(']').count();
        if opens > closes {
            return Some("a bracket or block is still open: close it with `)`, `]` or `}`".into());
        }
        return Some("the script ends in the middle of a statement".into());
    }
    if found == "=" && before.ends_with(['=', '<', '>']) {
        return None;
    }
    if found == "=" {
        return Some("to compare, write `==`; to define, start the line with `let`".into());
    }
    if found == "**" || found == "*" && before.ends_with('*') {
        return Some("powers are written `x^2`".into());
    }
    if before.ends_with('.') && before[..before.len() - 1].ends_with(|c: char| c.is_ascii_digit()) {
        return Some("a number needs digits after its point: write `1.0` or `1`".into());
    }
    if matches!(found, "let" | "fn" | "use" | "report" | "expect" | "sweep")
        && !before.ends_with("let")
    {
        return Some("the statement before this one is not finished".into());
    }
    if RESERVED.contains(&found) {
        return Some(format!("`{found}` is a reserved word; choose another name"));
    }
    if found == "'" || found == "\"" {
        return Some("strings use double quotes \"...\"; a single quote after a matrix is its transpose `W'`".into());
    }
    None
}
