//! Parsing: source text → [`ast::Program`]. pest does the recognition (grammar/wmd.pest);
//! this module turns `Pairs` into the spanned AST and pest errors into readable diagnostics.

pub mod ast;
mod depth;
mod errors;
mod expr;
mod grammar;
mod nesting;
mod stmt;

use crate::diag::Diagnostics;
use crate::limits::PARSER_STACK;
use crate::span::{FileId, Span};
use grammar::{Rule, WmdParser};
use pest::iterators::Pair;
use pest::Parser;
use std::cell::RefCell;

/// What one REPL entry parsed to.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplInput {
    Stmts(ast::Program),
    Expr(ast::Expr),
}

/// Parse a whole file.
pub fn parse_program(file: FileId, text: &str) -> Result<ast::Program, Diagnostics> {
    parse_with(file, text, Rule::program, |cx, program| {
        let stmts = program
            .into_inner()
            .filter(|p| p.as_rule() != Rule::EOI)
            .map(|p| cx.stmt(p))
            .collect();
        ast::Program { stmts }
    })
}

/// Parse a single expression (a `--set` value).
pub fn parse_expr(file: FileId, text: &str) -> Result<ast::Expr, Diagnostics> {
    parse_with(file, text, Rule::expr_input, |cx, input| {
        cx.expr(input.into_inner().next().expect("grammar: expr"))
    })
}

/// Parse one REPL entry: statements, or an expression to print.
pub fn parse_repl(file: FileId, text: &str) -> Result<ReplInput, Diagnostics> {
    parse_with(file, text, Rule::repl_input, |cx, input| {
        let inner: Vec<_> = input
            .into_inner()
            .filter(|p| p.as_rule() != Rule::EOI)
            .collect();
        if inner.len() == 1 && inner[0].as_rule() == Rule::expr {
            return ReplInput::Expr(cx.expr(inner[0].clone()));
        }
        let stmts = inner.into_iter().map(|p| cx.stmt(p)).collect();
        ReplInput::Stmts(ast::Program { stmts })
    })
}

/// Recognise `text` as `rule` with pest and convert it with `build`: after the nesting guard
/// (so pest's recursion is bounded), on a stack big enough for that bound and for dropping a
/// refused tree (≈ 100 bytes per level, at most one level per byte).
fn parse_with<T>(
    file: FileId,
    text: &str,
    rule: Rule,
    build: impl FnOnce(&Cx, Pair<Rule>) -> T,
) -> Result<T, Diagnostics> {
    nesting::check(file, text)?;
    let stack = PARSER_STACK + 128 * text.len();
    crate::deep::with_stack(stack, || {
        let mut pairs =
            WmdParser::parse(rule, text).map_err(|e| errors::to_diagnostic(e, file, text))?;
        let top = pairs.next().expect("grammar: one top rule");
        let cx = Cx {
            file,
            errors: RefCell::default(),
        };
        let out = build(&cx, top);
        let errors = cx.errors.into_inner();
        if errors.is_empty() {
            Ok(out)
        } else {
            drop(out);
            Err(Diagnostics(errors))
        }
    })
}

/// True when a parse failed only because the input ended early (an open block, bracket or
/// string): the REPL then asks for another line instead of reporting an error.
pub fn is_incomplete(text: &str) -> bool {
    if nesting::check(FileId::default(), text).is_err() {
        return false;
    }
    let parsed = crate::deep::with_stack(PARSER_STACK, || {
        WmdParser::parse(Rule::repl_input, text).map(|_| ())
    });
    match parsed {
        Ok(_) => false,
        Err(e) => {
            let pos = match e.location {
                pest::error::InputLocation::Pos(p) => p,
                pest::error::InputLocation::Span((s, _)) => s,
            };
            text[pos.min(text.len())..].trim().is_empty() && !text.trim().is_empty()
        }
    }
}

/// Text without trailing whitespace and trailing `# comments`.
fn trim_trailing(text: &str) -> &str {
    let mut t = text.trim_end();
    loop {
        let line_start = t.rfind('\n').map(|i| i + 1).unwrap_or(0);
        match comment_start(&t[line_start..]) {
            Some(c) => t = t[..line_start + c].trim_end(),
            None => return t,
        }
    }
}

/// Where a `#` comment starts on a line, ignoring `#` inside strings.
fn comment_start(line: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            '\\' if in_string => escaped = !escaped,
            '"' if !escaped => in_string = !in_string,
            '#' if !in_string => return Some(i),
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    None
}

/// Conversion context: the file every span belongs to.
pub(crate) struct Cx {
    pub file: FileId,
    /// Errors found while building the AST (an expression too deep).
    pub errors: RefCell<Vec<crate::diag::Diagnostic>>,
}

impl Cx {
    /// The pair's span without the whitespace pest's repetitions leave at its end.
    pub fn span(&self, p: &Pair<Rule>) -> Span {
        let s = p.as_span();
        let trimmed = trim_trailing(p.as_str());
        Span::new(self.file, s.start(), s.start() + trimmed.len())
    }

    pub fn ident(&self, p: Pair<Rule>) -> ast::Ident {
        ast::Ident {
            name: p.as_str().to_string(),
            span: self.span(&p),
        }
    }
}
