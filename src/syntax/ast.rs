//! The abstract syntax tree. Every node carries a [`Span`]; snapshots are taken of this tree,
//! never of pest's `Pairs`.

use crate::span::Span;

/// A parsed file: its statements in source order.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    pub stmts: Vec<Stmt>,
}

/// A name together with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    /// `use rmt`
    Use(Ident),
    /// `let name = expr`
    Let(Ident, Expr),
    /// `fn name(params) = expr` or `fn name(params) = builtin path`
    Fn(FnDef),
    /// `KIND NAME { items }` or `KIND NAME = expr`
    Decl(Decl),
    /// `sweep NAME over a in xs, b in ys { items } -> expr`
    Sweep(Sweep),
    /// `report NAME { items }`
    Report(Report),
    /// `expect expr within tol`
    Expect(Expect),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: Ident,
    pub default: Option<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FnDef {
    pub name: Ident,
    pub params: Vec<Param>,
    pub body: FnBody,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FnBody {
    Expr(Expr),
    /// `builtin linalg.eigvals`: the dotted path and its span.
    Builtin(String, Span),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decl {
    pub kind: Ident,
    pub name: Ident,
    pub body: DeclBody,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DeclBody {
    Block(Vec<Item>),
    Expr(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub kind: ItemKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// `name = expr`
    Field(Ident, Expr),
    /// `drift(x, i) = expr`
    FnField(Ident, Vec<Param>, Expr),
    /// a bare expression (report items such as `a vs b`)
    Bare(Expr),
    /// `domain x in (a, b) cells n` / `domain (x, y) in box(...) cells n x m`
    Domain {
        vars: Vec<Ident>,
        region: Expr,
        cells: Vec<Expr>,
    },
    /// `observe every k { items }`
    Observe { every: Expr, items: Vec<Item> },
    /// `stop when expr`
    Stop(Expr),
    /// `run job`
    Run(Ident),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub var: Ident,
    pub values: Expr,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    pub name: Option<Ident>,
    pub bindings: Vec<Binding>,
    pub items: Vec<Item>,
    pub summary: Option<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub name: Option<Ident>,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expect {
    pub cond: Expr,
    pub tolerance: Option<Tolerance>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tolerance {
    pub value: Expr,
    /// `within 5%`: relative to the right-hand side.
    pub relative: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

pub use crate::ir::ops::{BinOp, UnOp};

/// One argument of a call: positional or `name = value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub name: Option<Ident>,
    pub value: Expr,
}

/// One position of an index: an expression, or `:` for everything.
#[derive(Debug, Clone, PartialEq)]
pub enum IndexItem {
    All(Span),
    Expr(Expr),
}

/// `var in iter if filter`, shared by comprehensions and `sum(...)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Generator {
    pub var: Ident,
    pub iter: Box<Expr>,
    pub filter: Option<Box<Expr>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Num(f64),
    Str(String),
    Bool(bool),
    Name(String),
    Vector(Vec<Expr>),
    /// `[body for var in iter if filter]`
    Comprehension(Box<Expr>, Generator),
    /// `sum(var in iter if filter: body)`
    Sum(Generator, Box<Expr>),
    Record(Vec<(Ident, Expr)>),
    Lambda(Vec<Ident>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Call(Box<Expr>, Vec<Arg>),
    Index(Box<Expr>, Vec<IndexItem>),
    Member(Box<Expr>, Ident),
    Transpose(Box<Expr>),
}
