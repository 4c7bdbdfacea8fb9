//! Expressions: `Pairs` → AST with pest's `PrattParser`. Precedence, lowest first:
//! `vs` < `or` < `and` < `not` < comparisons < `..` `..=` < `+ -` < `* /` < unary `-` <
//! `^` (right-associative) < postfix (call, index, `.field`, transpose `'`).

use super::ast::*;
use super::{is_kw, Cx, Rule};
use crate::span::Span;
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use std::sync::LazyLock;

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    use Assoc::*;
    use Rule::*;
    PrattParser::new()
        .op(Op::infix(vs, Left))
        .op(Op::infix(or, Left))
        .op(Op::infix(and, Left))
        .op(Op::prefix(not))
        .op(Op::infix(eq, Left)
            | Op::infix(ne, Left)
            | Op::infix(lt, Left)
            | Op::infix(le, Left)
            | Op::infix(gt, Left)
            | Op::infix(ge, Left))
        .op(Op::infix(range, Left) | Op::infix(range_incl, Left))
        .op(Op::infix(add, Left) | Op::infix(sub, Left))
        .op(Op::infix(mul, Left) | Op::infix(div, Left))
        .op(Op::prefix(neg))
        .op(Op::infix(pow, Right))
        .op(Op::postfix(call) | Op::postfix(index) | Op::postfix(member) | Op::postfix(transpose))
});

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
        r => unreachable!("grammar: not an infix operator {r:?}"),
    }
}

fn boxed(kind: ExprKind, span: Span) -> Expr {
    Expr { kind, span }
}

impl Cx {
    /// Convert an `expr` pair.
    pub fn expr(&self, p: Pair<Rule>) -> Expr {
        debug_assert_eq!(p.as_rule(), Rule::expr);
        self.pratt(p.into_inner())
    }

    fn pratt(&self, pairs: Pairs<Rule>) -> Expr {
        PRATT
            .map_primary(|p| self.primary(p))
            .map_prefix(|op, rhs| {
                let span = self.span(&op).to(rhs.span);
                let op = if op.as_rule() == Rule::neg {
                    UnOp::Neg
                } else {
                    UnOp::Not
                };
                boxed(ExprKind::Unary(op, Box::new(rhs)), span)
            })
            .map_infix(|lhs, op, rhs| {
                let span = lhs.span.to(rhs.span);
                let kind = ExprKind::Binary(bin_op(op.as_rule()), Box::new(lhs), Box::new(rhs));
                boxed(kind, span)
            })
            .map_postfix(|lhs, op| self.postfix(lhs, op))
            .parse(pairs)
    }

    fn postfix(&self, lhs: Expr, op: Pair<Rule>) -> Expr {
        let span = lhs.span.to(self.span(&op));
        let target = Box::new(lhs);
        let kind = match op.as_rule() {
            Rule::call => ExprKind::Call(target, op.into_inner().map(|a| self.arg(a)).collect()),
            Rule::index => {
                let items = op.into_inner().map(|i| self.index_item(i)).collect();
                ExprKind::Index(target, items)
            }
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
                value: self.expr(it.next().unwrap()),
            }
        } else {
            Arg {
                name: None,
                value: self.expr(p),
            }
        }
    }

    fn index_item(&self, p: Pair<Rule>) -> IndexItem {
        if p.as_rule() == Rule::full_slice {
            IndexItem::All(self.span(&p))
        } else {
            IndexItem::Expr(self.expr(p))
        }
    }

    fn primary(&self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let kind = match p.as_rule() {
            Rule::number => ExprKind::Num(parse_number(p.as_str())),
            Rule::string => ExprKind::Str(unescape(p.into_inner().next().unwrap().as_str())),
            Rule::boolean => ExprKind::Bool(p.as_str() == "true"),
            Rule::ident => ExprKind::Name(p.as_str().to_string()),
            Rule::paren => return self.expr(p.into_inner().next().unwrap()),
            Rule::vector | Rule::tuple => {
                ExprKind::Vector(p.into_inner().map(|e| self.expr(e)).collect())
            }
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
                (name, self.expr(it.next().unwrap()))
            })
            .collect()
    }

    /// Lambdas, `if`, `sum(...)` and comprehensions.
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
                ExprKind::Lambda(params, Box::new(self.expr(kids[1].clone())))
            }
            Rule::if_expr => {
                let [c, t, e] = [0, 1, 2].map(|i| Box::new(self.expr(kids[i].clone())));
                ExprKind::If(c, t, e)
            }
            Rule::sum_expr => {
                let body = Box::new(self.expr(kids[kids.len() - 1].clone()));
                ExprKind::Sum(self.generator(&kids[..kids.len() - 1]), body)
            }
            Rule::comprehension => {
                let body = Box::new(self.expr(kids[0].clone()));
                ExprKind::Comprehension(body, self.generator(&kids[1..]))
            }
            r => unreachable!("grammar: unexpected primary {r:?}"),
        };
        boxed(kind, span)
    }

    /// `var in iter (if filter)?` from its pairs.
    fn generator(&self, kids: &[Pair<Rule>]) -> Generator {
        Generator {
            var: self.ident(kids[0].clone()),
            iter: Box::new(self.expr(kids[1].clone())),
            filter: kids.get(2).map(|f| Box::new(self.expr(f.clone()))),
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
