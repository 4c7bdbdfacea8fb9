//! Expressions: `Pairs` → AST by precedence climbing. Precedence, lowest first:
//! `vs` < `or` < `and` < `not` < comparisons < `..` `..=` < `+ -` < `* / % .* ./` < unary `-`
//! < `^ .^` (right-associative) < postfix (call, index, `.field`, transpose `'`).
//!
//! The climb is written here rather than taken from pest's `PrattParser` so that each level of
//! recursion (a run of prefix operators, a chain of `^`) goes through [`deep`], which moves to a
//! fresh stack segment when the current one runs low: a long chain is an AST, never an abort.

use super::ast::*;
use super::grammar::{is_kw, Rule};
use super::Cx;
use crate::deep::deep;
use crate::limits::MAX_EXPR_DEPTH;
use crate::span::Span;
use pest::iterators::{Pair, Pairs};
use std::iter::Peekable;

/// Binding power of an infix operator and whether it groups to the right.
fn infix_power(rule: Rule) -> Option<(u8, bool)> {
    use Rule::*;
    Some(match rule {
        vs => (1, false),
        or => (2, false),
        and => (3, false),
        eq | ne | lt | le | gt | ge => (5, false),
        range | range_incl => (6, false),
        add | sub => (7, false),
        mul | div | modulo | elem_mul | elem_div => (8, false),
        pow | elem_pow => (10, true),
        _ => return None,
    })
}

/// Binding power of the operand of a prefix operator: `not` takes a comparison, unary `-`
/// a power (`-x^2` is −(x²), `-a * b` is (−a)·b).
fn prefix_power(rule: Rule) -> Option<u8> {
    match rule {
        Rule::not => Some(4),
        Rule::neg => Some(9),
        _ => None,
    }
}

fn is_postfix(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::call | Rule::index | Rule::member | Rule::transpose
    )
}

fn bin_op(rule: Rule) -> BinOp {
    match rule {
        Rule::vs => BinOp::Vs,
        Rule::or => BinOp::Or,
        Rule::and => BinOp::And,
        Rule::eq => BinOp::Eq,
        Rule::ne => BinOp::Ne,
        Rule::lt => BinOp::Lt,
        Rule::le => BinOp::Le,
        Rule::gt => BinOp::Gt,
        Rule::ge => BinOp::Ge,
        Rule::range => BinOp::Range,
        Rule::range_incl => BinOp::RangeIncl,
        Rule::add => BinOp::Add,
        Rule::sub => BinOp::Sub,
        Rule::mul => BinOp::Mul,
        Rule::div => BinOp::Div,
        Rule::pow => BinOp::Pow,
        Rule::modulo => BinOp::Mod,
        Rule::elem_mul => BinOp::ElemMul,
        Rule::elem_div => BinOp::ElemDiv,
        Rule::elem_pow => BinOp::ElemPow,
        r => unreachable!("grammar: not an infix operator {r:?}"),
    }
}

fn boxed(kind: ExprKind, span: Span) -> Expr {
    Expr { kind, span }
}

impl Cx {
    /// Convert a statement's `expr` pair, refusing a tree deeper than [`MAX_EXPR_DEPTH`] (its
    /// clone, drop and per-step closures recurse once per level on any thread's stack).
    pub fn expr(&self, p: Pair<Rule>) -> Expr {
        let e = self.sub_expr(p);
        if super::depth::exceeds(&e, MAX_EXPR_DEPTH) {
            self.errors
                .borrow_mut()
                .push(super::depth::too_deep(e.span));
        }
        e
    }

    /// Convert an `expr` pair inside another expression.
    fn sub_expr(&self, p: Pair<Rule>) -> Expr {
        debug_assert!(matches!(p.as_rule(), Rule::expr | Rule::tol_expr));
        self.climb(&mut p.into_inner().peekable(), 0)
    }

    /// The longest expression whose infix operators all bind at least as tightly as `min`.
    fn climb(&self, pairs: &mut Peekable<Pairs<Rule>>, min: u8) -> Expr {
        deep(|| {
            let mut lhs = self.operand(pairs);
            while let Some((power, right)) = pairs.peek().and_then(|p| infix_power(p.as_rule())) {
                if power < min {
                    break;
                }
                let op = pairs.next().expect("peeked");
                let rhs = self.climb(pairs, if right { power } else { power + 1 });
                let span = lhs.span.to(rhs.span);
                let kind = ExprKind::Binary(bin_op(op.as_rule()), Box::new(lhs), Box::new(rhs));
                lhs = boxed(kind, span);
            }
            lhs
        })
    }

    /// A prefix operator and its operand, or a primary with its postfix operators.
    fn operand(&self, pairs: &mut Peekable<Pairs<Rule>>) -> Expr {
        let first = pairs.next().expect("grammar: an operand");
        if let Some(power) = prefix_power(first.as_rule()) {
            let rhs = self.climb(pairs, power);
            let span = self.span(&first).to(rhs.span);
            let op = if first.as_rule() == Rule::neg {
                UnOp::Neg
            } else {
                UnOp::Not
            };
            return boxed(ExprKind::Unary(op, Box::new(rhs)), span);
        }
        let mut e = self.primary(first);
        while let Some(op) = pairs.next_if(|p| is_postfix(p.as_rule())) {
            e = self.postfix(e, op);
        }
        e
    }

    fn postfix(&self, lhs: Expr, op: Pair<Rule>) -> Expr {
        let span = lhs.span.to(self.span(&op));
        let target = Box::new(lhs);
        let kind = match op.as_rule() {
            Rule::call => ExprKind::Call(target, op.into_inner().map(|a| self.arg(a)).collect()),
            Rule::index => ExprKind::Index(target, self.index_items(op)),
            Rule::member => ExprKind::Member(target, self.ident(op.into_inner().next().unwrap())),
            Rule::transpose => ExprKind::Transpose(target),
            r => unreachable!("grammar: not a postfix operator {r:?}"),
        };
        boxed(kind, span)
    }

    fn arg(&self, p: Pair<Rule>) -> Arg {
        if p.as_rule() == Rule::named_arg {
            let mut it = p.into_inner();
            let name = Some(self.ident(it.next().unwrap()));
            Arg {
                name,
                value: self.sub_expr(it.next().unwrap()),
            }
        } else {
            Arg {
                name: None,
                value: self.sub_expr(p),
            }
        }
    }

    /// The items of `[...]`: expressions and `:`. A Python slice (`0:2`, `:2`, `1:`) is an
    /// error saying how a range is written; it stands as `:` in the tree.
    fn index_items(&self, index: Pair<Rule>) -> Vec<IndexItem> {
        let mut items = Vec::new();
        let mut pairs = index.into_inner().peekable();
        while let Some(p) = pairs.next() {
            let span = self.span(&p);
            match p.as_rule() {
                Rule::full_slice if p.as_str().trim() == ":" => items.push(IndexItem::All(span)),
                Rule::full_slice => {
                    self.bad_slice(None, p);
                    items.push(IndexItem::All(span));
                }
                _ => match pairs.next_if(|t| t.as_rule() == Rule::slice_tail) {
                    Some(tail) => {
                        self.bad_slice(Some((span, p.as_str())), tail);
                        items.push(IndexItem::All(span));
                    }
                    None => items.push(IndexItem::Expr(self.sub_expr(p))),
                },
            }
        }
        items
    }

    /// `lo:hi` in an index (`lo` before the colon, if any; `rest` from the colon on).
    fn bad_slice(&self, lo: Option<(Span, &str)>, rest: Pair<Rule>) {
        let colon = self.span(&rest);
        let hi = rest
            .into_inner()
            .next()
            .map(|e| e.as_str().trim().to_string());
        let span = lo.map_or(colon, |(s, _)| s.to(colon));
        let lo = lo.map(|(_, text)| text.trim());
        let range = match (lo, hi.as_deref()) {
            (l, Some(h)) => format!("{}..{h}", l.unwrap_or("0")),
            (Some(l), None) => format!("{l}..=end"),
            (None, None) => ":".to_string(),
        };
        let d = crate::diag::Diagnostic::new(
            crate::diag::ErrorCode::ParseSyntax,
            "a slice is not written with `:` in wmd: ranges are written `0..2`",
        )
        .label(span, format!("write `{range}`"))
        .help("`a..b` counts from a up to b − 1 and `a..=b` up to b (`v[0..2]` is v[0], v[1]); `end` is the last index (`v[1..=end]`); a lone `:` takes a whole row or column (`M[:, 0]`)");
        self.errors.borrow_mut().push(d);
    }

    fn primary(&self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let kind = match p.as_rule() {
            Rule::number => ExprKind::Num(parse_number(p.as_str())),
            Rule::string => ExprKind::Str(unescape(p.into_inner().next().unwrap().as_str())),
            Rule::boolean => ExprKind::Bool(p.as_str() == "true"),
            Rule::ident => ExprKind::Name(p.as_str().to_string()),
            Rule::group => {
                let mut items: Vec<Expr> = p.into_inner().map(|e| self.sub_expr(e)).collect();
                if items.len() == 1 {
                    return items.pop().expect("one item");
                }
                ExprKind::Vector(items)
            }
            Rule::bracket => return self.bracket(p),
            Rule::record => ExprKind::Record(self.record_fields(p)),
            _ => return self.compound(p),
        };
        boxed(kind, span)
    }

    fn record_fields(&self, p: Pair<Rule>) -> Vec<(Ident, Expr)> {
        p.into_inner()
            .map(|f| {
                let mut it = f.into_inner();
                let name = self.ident(it.next().unwrap());
                (name, self.sub_expr(it.next().unwrap()))
            })
            .collect()
    }

    /// Lambdas, `if` and `sum(...)`.
    fn compound(&self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let rule = p.as_rule();
        let kids: Vec<Pair<Rule>> = p.into_inner().filter(|c| !is_kw(c)).collect();
        let kind = match rule {
            Rule::lambda => {
                let params = kids[0]
                    .clone()
                    .into_inner()
                    .map(|i| self.ident(i))
                    .collect();
                ExprKind::Lambda(params, Box::new(self.sub_expr(kids[1].clone())))
            }
            Rule::if_expr => {
                let [c, t, e] = [0, 1, 2].map(|i| Box::new(self.sub_expr(kids[i].clone())));
                ExprKind::If(c, t, e)
            }
            Rule::sum_expr => {
                let body = Box::new(self.sub_expr(kids[kids.len() - 1].clone()));
                ExprKind::Sum(self.generator(&kids[..kids.len() - 1]), body)
            }
            r => unreachable!("grammar: unexpected primary {r:?}"),
        };
        boxed(kind, span)
    }

    /// `[a, b, ...]` or `[body for var in iter if filter]`: the first expression is read once
    /// and the tail says which.
    fn bracket(&self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let kind = match (it.next(), it.next()) {
            (None, _) => ExprKind::Vector(Vec::new()),
            (Some(first), Some(tail)) if tail.as_rule() == Rule::comprehension => {
                let kids: Vec<Pair<Rule>> = tail.into_inner().filter(|c| !is_kw(c)).collect();
                ExprKind::Comprehension(Box::new(self.sub_expr(first)), self.generator(&kids))
            }
            (Some(first), tail) => {
                let rest = tail.into_iter().flat_map(|t| t.into_inner());
                let items = std::iter::once(first).chain(rest);
                ExprKind::Vector(items.map(|e| self.sub_expr(e)).collect())
            }
        };
        boxed(kind, span)
    }

    /// `var in iter (if filter)?` from its pairs.
    fn generator(&self, kids: &[Pair<Rule>]) -> Generator {
        Generator {
            var: self.ident(kids[0].clone()),
            iter: Box::new(self.sub_expr(kids[1].clone())),
            filter: kids.get(2).map(|f| Box::new(self.sub_expr(f.clone()))),
        }
    }
}

/// `1_000` → 1000.0; the grammar guarantees the text is a valid float once `_` is removed.
fn parse_number(text: &str) -> f64 {
    text.replace('_', "").parse().unwrap_or(f64::NAN)
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(o) => out.push(o),
            None => {}
        }
    }
    out
}
