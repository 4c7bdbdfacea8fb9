//! Block declarations against their kind schemas, reports, expects and sweeps.

use super::{suggest, Checker, GlobalDef, Res};
use crate::diag::Diagnostic;
use crate::diag::ErrorCode;
use crate::schema::{self, FieldKind, Form, KindSchema};
use crate::span::Span;
use crate::syntax::ast::*;
use crate::types::{Shape, Ty};

/// Names of a report's fields: `name = ...` items and the derived names of bare items.
pub fn report_field_names(r: &Report) -> Vec<String> {
    r.items
        .iter()
        .filter_map(|i| match &i.kind {
            ItemKind::Field(n, _) => Some(n.name.clone()),
            ItemKind::Bare(e) => Some(crate::naming::item_name(e)),
            _ => None,
        })
        .collect()
}

/// The name a rebinding field rebinds: the bare name it is given as (`model = student`), else
/// a name no script can write.
fn rebound_name(field: &str, items: &[Item]) -> String {
    items
        .iter()
        .find_map(|i| match &i.kind {
            ItemKind::Field(n, e) if n.name == field => match &e.kind {
                ExprKind::Name(g) => Some(g.clone()),
                _ => None,
            },
            _ => None,
        })
        .unwrap_or_else(|| format!("\0{field}"))
}

impl Checker {
    fn kind_schema(&mut self, kind: &Ident) -> Option<&'static KindSchema> {
        if let Some(k) = schema::lookup(&self.kinds, &kind.name) {
            return Some(k);
        }
        let names: Vec<&str> = self.kinds.iter().map(|k| k.name).collect();
        let list = names.join(", ");
        let help = match suggest::did_you_mean(&kind.name, names.iter().copied()) {
            Some(s) => format!("{s} (kinds: {list})"),
            None => format!("kinds: {list}"),
        };
        let d = Diagnostic::new(
            ErrorCode::CheckUnknownKind,
            format!("unknown kind `{}`", kind.name),
        )
        .label(kind.span, "not a kind")
        .help(help);
        self.error(d);
        None
    }

    /// The type of a declared name (its constructor is checked here, once): a per-draw kind's
    /// law samples to a matrix of the law's shape, another constructor's value is the call's,
    /// a block's result is a record. Records the declaration's kind for lowering.
    pub fn decl_ty(&mut self, id: usize, d: &Decl) -> Ty {
        let Some(k) = self.kind_schema(&d.kind) else {
            return Ty::Any;
        };
        self.out.decl_kinds.insert(id, k);
        match (&d.body, k.form) {
            (DeclBody::Expr(e), Form::Constructor(_)) => match (self.constructor(k, e), k.per_draw)
            {
                (Ty::Law(s), true) => Ty::Matrix(s),
                (Ty::Record, true) => Ty::Record,
                (_, true) => Ty::Matrix(Shape::default()),
                (t, false) => t,
            },
            _ => Ty::Record,
        }
    }

    /// Check `KIND NAME = ctor(...)`'s constructor; returns its type.
    fn constructor(&mut self, k: &KindSchema, e: &Expr) -> Ty {
        let Form::Constructor(allowed) = k.form else {
            return Ty::Any;
        };
        let callee = match &e.kind {
            ExprKind::Call(c, _) => match &c.kind {
                ExprKind::Name(n) => Some((n.clone(), c.span)),
                _ => None,
            },
            _ => None,
        };
        let list = allowed.join(", ");
        match callee {
            Some((n, _)) if allowed.contains(&n.as_str()) && self.builtin(&n).is_some() => {
                self.expr(e)
            }
            Some((n, _)) if allowed.contains(&n.as_str()) => {
                if let ExprKind::Call(_, args) = &e.kind {
                    for a in args {
                        self.expr(&a.value);
                    }
                }
                Ty::Any
            }
            Some((n, span)) => {
                let help = match suggest::did_you_mean(&n, allowed.iter().copied()) {
                    Some(s) => format!("{s} ({} is made by: {list})", article(k.name)),
                    None => format!("{} is made by: {list}", article(k.name)),
                };
                let d = Diagnostic::new(
                    ErrorCode::CheckConstructor,
                    format!("`{n}` does not make {}", article(k.name)),
                )
                .label(span, "not a constructor of this kind")
                .help(help);
                self.error(d);
                Ty::Any
            }
            None => {
                let d = Diagnostic::new(
                    ErrorCode::CheckConstructor,
                    format!("{} is declared with a constructor call", article(k.name)),
                )
                .label(e.span, "expected a call such as `gaussian(...)`")
                .help(format!("constructors: {list}"));
                self.error(d);
                Ty::Any
            }
        }
    }

    /// Check a declaration's block against its kind (its constructor, if any, was checked
    /// with its type).
    pub fn check_decl(&mut self, id: usize, d: &Decl) {
        let Some(&k) = self.out.decl_kinds.get(&id) else {
            return;
        };
        match (&d.body, k.form) {
            (DeclBody::Expr(_), Form::Constructor(_)) => {}
            (DeclBody::Block(items), Form::Block) => self.check_block(k, d, items),
            (DeclBody::Block(_), Form::Constructor(c)) => {
                let d = Diagnostic::new(
                    ErrorCode::CheckForm,
                    format!(
                        "{} is declared as `{} {} = {}(...)`",
                        article(k.name),
                        k.name,
                        d.name.name,
                        c[0]
                    ),
                )
                .label(d.name.span, "written as a block")
                .help(format!("constructors: {}", c.join(", ")));
                self.error(d);
            }
            (DeclBody::Expr(e), Form::Block) => {
                let d = Diagnostic::new(
                    ErrorCode::CheckForm,
                    format!(
                        "{} is declared as a block `{} {} {{ ... }}`",
                        article(k.name),
                        k.name,
                        d.name.name
                    ),
                )
                .label(e.span, "expected `{ field = value ... }`")
                .help(format!("{}: {}", k.name, k.doc));
                self.error(d);
            }
        }
    }

    /// Bind the names the block rebinds ([`KindSchema::rebinds`]) after its scope, for
    /// `observe` and `stop`.
    fn push_rebound(&mut self) {
        let rebound = self.rebound.iter().map(|n| (n.clone(), Ty::Any));
        self.locals.extend(rebound.collect::<Vec<_>>());
    }

    fn check_block(&mut self, k: &KindSchema, d: &Decl, items: &[Item]) {
        let base = self.locals.len();
        self.locals
            .extend(k.scope.iter().map(|n| (n.to_string(), Ty::Any)));
        self.rebound = k.rebinds.iter().map(|f| rebound_name(f, items)).collect();
        self.check_fields(k, d, items);
        self.check_pairings(k, items);
        self.rebound.clear();
        self.locals.truncate(base);
    }

    fn check_fields(&mut self, k: &KindSchema, d: &Decl, items: &[Item]) {
        let mut seen: Vec<(&str, Span)> = Vec::new();
        for item in items {
            let Some((name, span)) = self.block_item(k, item) else {
                continue;
            };
            if let Some((_, prev)) = seen.iter().find(|(n, _)| *n == name) {
                let e = Diagnostic::new(
                    ErrorCode::CheckDuplicateField,
                    format!("field `{name}` is given twice"),
                )
                .label(span, "again here")
                .label(*prev, "first here");
                self.error(e);
            }
            seen.push((name, span));
        }
        let missing: Vec<&str> = k
            .fields
            .iter()
            .filter(|f| f.required && !seen.iter().any(|(n, _)| *n == f.name))
            .map(|f| f.name)
            .collect();
        if !missing.is_empty() {
            let list = suggest::code_list(&missing);
            let help = missing
                .iter()
                .map(|m| format!("{m}: {}", k.field(m).map(|f| f.doc).unwrap_or("")))
                .collect::<Vec<_>>()
                .join("; ");
            let e = Diagnostic::new(
                ErrorCode::CheckMissingField,
                format!("{} `{}` is missing {list}", k.name, d.name.name),
            )
            .label(d.name.span, format!("needs {list}"))
            .help(help);
            self.error(e);
        }
    }

    /// Check one block item; returns the field it sets.
    fn block_item<'a>(&mut self, k: &KindSchema, item: &'a Item) -> Option<(&'a str, Span)> {
        let (name, span, given) = match &item.kind {
            ItemKind::Field(n, e) => {
                self.expr(e);
                (n.name.as_str(), n.span, FieldKind::Value)
            }
            ItemKind::FnField(n, params, body) => {
                // The kind's scope names (slots 0..k, e.g. the `pde` kind's `dx`) stay visible;
                // the parameters take the slots after them.
                let base = self.locals.len();
                self.locals
                    .extend(params.iter().map(|p| (p.name.name.clone(), Ty::Any)));
                self.expr(body);
                self.locals.truncate(base);
                (n.name.as_str(), n.span, FieldKind::Function(&[]))
            }
            ItemKind::Domain {
                vars,
                region,
                cells,
            } => {
                self.expr(region);
                cells.iter().for_each(|c| {
                    self.expr(c);
                });
                (
                    "domain",
                    vars.first().map(|v| v.span).unwrap_or(item.span),
                    FieldKind::Domain,
                )
            }
            ItemKind::Observe { every, items } => {
                // The period is read before the first step: the kind's scope is not bound yet.
                let scope = std::mem::take(&mut self.locals);
                self.expr(every);
                self.locals = scope;
                let base = self.locals.len();
                self.push_rebound();
                for i in items {
                    match &i.kind {
                        ItemKind::Field(_, e) | ItemKind::Bare(e) => {
                            self.expr(e);
                        }
                        _ => {}
                    }
                }
                self.locals.truncate(base);
                ("observe", item.span, FieldKind::Observe)
            }
            ItemKind::Stop(c) => {
                let base = self.locals.len();
                self.push_rebound();
                self.expr(c);
                self.locals.truncate(base);
                ("stop", item.span, FieldKind::Stop)
            }
            ItemKind::Bare(_) | ItemKind::Run(_) => {
                let e = Diagnostic::new(
                    ErrorCode::CheckBlockItem,
                    format!("{} block holds `field = value` lines", article(k.name)),
                )
                .label(item.span, "not a field")
                .help(format!("fields of {}: {}", k.name, field_list(k)));
                self.error(e);
                return None;
            }
        };
        self.field_matches(k, item, name, span, given)?;
        Some((name, span))
    }

    fn field_matches(
        &mut self,
        k: &KindSchema,
        item: &Item,
        name: &str,
        span: Span,
        given: FieldKind,
    ) -> Option<()> {
        let Some(spec) = k.field(name) else {
            let names = k.fields.iter().map(|f| f.name);
            let help = match suggest::did_you_mean(name, names) {
                Some(s) => format!("{s} (fields of {}: {})", k.name, field_list(k)),
                None => format!("fields of {}: {}", k.name, field_list(k)),
            };
            let e = Diagnostic::new(
                ErrorCode::CheckUnknownField,
                format!("{} has no field `{name}`", k.name),
            )
            .label(span, "unknown field")
            .help(help);
            self.error(e);
            return None;
        };
        match (spec.kind, given, &item.kind) {
            (
                FieldKind::Function(want),
                FieldKind::Function(_),
                ItemKind::FnField(_, params, _),
            ) if !arity_ok(want, params.len()) => {
                let min = want.iter().filter(|w| !w.ends_with('?')).count();
                let count = if min == want.len() {
                    format!("{min}")
                } else {
                    format!("{min} to {}", want.len())
                };
                let names: Vec<&str> = want.iter().map(|w| w.trim_end_matches('?')).collect();
                let shortest = names[..min].join(", ");
                let help = if min == want.len() {
                    format!("write it as `{name}({shortest}) = ...`")
                } else {
                    format!("write it as `{name}({shortest}) = ...`, or with up to {} parameters: `{name}({}) = ...`", want.len(), names.join(", "))
                };
                let e = Diagnostic::new(
                    ErrorCode::CheckFieldArity,
                    format!(
                        "`{name}` takes {count} parameter{}",
                        if want.len() == 1 { "" } else { "s" }
                    ),
                )
                .label(item.span, format!("written with {}", params.len()))
                .help(help);
                self.error(e);
            }
            (FieldKind::Choice(values), FieldKind::Value, ItemKind::Field(_, e)) => {
                self.choice_literal(name, values, e);
            }
            (FieldKind::Value | FieldKind::Choice(_), FieldKind::Function(_), _) => {
                let e = Diagnostic::new(
                    ErrorCode::CheckFieldForm,
                    format!("`{name}` is a value, not a function"),
                )
                .label(span, "written as a function")
                .help(format!("write `{name} = ...`: {}", spec.doc));
                self.error(e);
            }
            (FieldKind::Function(_), FieldKind::Value, _)
            | (FieldKind::Function(_), FieldKind::Function(_), _) => {}
            (a, b, _) if a != b => {
                let e = Diagnostic::new(
                    ErrorCode::CheckFieldForm,
                    format!("`{name}` is written differently"),
                )
                .label(span, "unexpected form")
                .help(spec.doc.to_string());
                self.error(e);
            }
            _ => {}
        }
        Some(())
    }

    /// A string literal given to a choice field must be one of its values.
    pub(super) fn choice_literal(&mut self, name: &str, values: &[&str], e: &Expr) {
        let ExprKind::Str(given) = &e.kind else {
            return;
        };
        if values.contains(&given.as_str()) {
            return;
        }
        let list: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
        let help = match suggest::closest(given, values.iter().copied()) {
            Some(c) => format!(
                "did you mean \"{c}\"? (`{name}` is one of {})",
                list.join(", ")
            ),
            None => format!("`{name}` is one of {}", list.join(", ")),
        };
        let d = Diagnostic::new(
            ErrorCode::CheckFieldValue,
            format!("`{name}` cannot be \"{given}\""),
        )
        .label(e.span, "not one of its values")
        .help(help);
        self.error(d);
    }

    /// Report items are checked in order; each sees the ones before it by name.
    pub fn check_report(&mut self, r: &Report) {
        let base = self.locals.len();
        let mut seen: Vec<(String, Span)> = Vec::new();
        for item in &r.items {
            let (name, span) = match &item.kind {
                ItemKind::Field(n, e) => {
                    let t = self.expr(e);
                    self.locals.push((n.name.clone(), t));
                    (n.name.clone(), n.span)
                }
                ItemKind::Bare(e) => {
                    let t = self.expr(e);
                    self.locals.push((crate::naming::item_name(e), t));
                    (crate::naming::item_name(e), e.span)
                }
                _ => {
                    let e = Diagnostic::new(
                        ErrorCode::CheckBlockItem,
                        "a report holds `name = value` lines and expressions",
                    )
                    .label(item.span, "not allowed in a report");
                    self.error(e);
                    continue;
                }
            };
            if let Some((_, prev)) = seen.iter().find(|(n, _)| *n == name) {
                let e = Diagnostic::new(
                    ErrorCode::CheckDuplicateField,
                    format!("report field `{name}` is given twice"),
                )
                .label(span, "again here")
                .label(*prev, "first here")
                .help("name the items: `name = expression`");
                self.error(e);
            }
            seen.push((name, span));
        }
        self.locals.truncate(base);
    }

    /// An `expect`'s condition: a boolean, which may read the results of the sweeps (bound
    /// as locals in the order of the sweeps, unnamed ones as `sweep_1`, `sweep_2`, …).
    pub fn check_expect(&mut self, e: &Expect) {
        let base = self.locals.len();
        let sweeps = self.out.sweeps.iter().enumerate().map(|(i, s)| {
            let name = s.name.as_ref().map(|n| n.name.clone());
            (name.unwrap_or_else(|| format!("sweep_{}", i + 1)), Ty::Any)
        });
        self.locals.extend(sweeps.collect::<Vec<_>>());
        self.check_expect_body(e);
        self.locals.truncate(base);
    }

    fn check_expect_body(&mut self, e: &Expect) {
        self.expect_bool(&e.cond);
        if let Some(t) = &e.tolerance {
            let tt = self.expr(&t.value);
            if !matches!(tt, Ty::Num | Ty::Any) {
                self.type_error(t.value.span, "a tolerance is a number", &tt);
            }
            if !matches!(e.cond.kind, ExprKind::Binary(BinOp::Eq, _, _)) {
                let d = Diagnostic::new(
                    ErrorCode::CheckTolerance,
                    "`within` applies to an equality `a == b`",
                )
                .label(e.cond.span, "not of the form `a == b`")
                .help(
                    "write `expect a == b within 0.01` (absolute) or `within 5%` (relative to b)",
                );
                self.error(d);
            }
        }
    }

    pub fn check_sweep(&mut self, s: &Sweep) {
        let base = self.locals.len();
        for b in &s.bindings {
            let t = self.expr(&b.values);
            if !matches!(t, Ty::Vector | Ty::Any) {
                self.type_error(
                    b.values.span,
                    "a sweep runs over a vector or a range of values",
                    &t,
                );
            }
            let is_let = matches!(
                self.out.global(&b.var.name).map(|g| &g.def),
                Some(GlobalDef::Let(_))
            );
            if !is_let && b.var.name != "seed" {
                let names = self
                    .out
                    .globals
                    .iter()
                    .filter(|g| matches!(g.def, GlobalDef::Let(_)))
                    .map(|g| g.name.as_str());
                let hint = suggest::did_you_mean(&b.var.name, names);
                let d = Diagnostic::new(
                    ErrorCode::CheckSweepVariable,
                    format!("`{}` is not a `let` that a sweep can vary", b.var.name),
                )
                .label(b.var.span, "not a `let`")
                .help(hint.unwrap_or_else(|| {
                    format!(
                        "declare it first: `let {} = ...`; a sweep varies `let`s and `seed`",
                        b.var.name
                    )
                }));
                self.error(d);
            }
        }
        // Items see the swept names as the (overridden) globals; only the summary sees the
        // columns of values as locals.
        let names = self.sweep_items(s);
        for b in &s.bindings {
            self.locals.push((b.var.name.clone(), Ty::Vector));
        }
        for n in names {
            self.locals.push((n, Ty::Any));
        }
        if let Some(summary) = &s.summary {
            self.expr(summary);
        }
        self.locals.truncate(base);
    }

    /// Items of a sweep block: `run NAME` of a report or block, or `name = value`.
    fn sweep_items(&mut self, s: &Sweep) -> Vec<String> {
        let base = self.locals.len();
        let mut names = Vec::new();
        for item in &s.items {
            match &item.kind {
                ItemKind::Run(n) => match self.resolve(&n.name) {
                    Some((Res::Global(id), _))
                        if matches!(
                            self.out.globals[id].def,
                            GlobalDef::Report(_) | GlobalDef::Decl(_)
                        ) =>
                    {
                        names.push(n.name.clone());
                    }
                    _ => {
                        let d = Diagnostic::new(
                            ErrorCode::CheckSweepRun,
                            format!("`run {}` needs a report or a declared job", n.name),
                        )
                        .label(n.span, "not a report or job");
                        self.error(d);
                    }
                },
                ItemKind::Field(n, e) => {
                    self.expr(e);
                    names.push(n.name.clone());
                }
                ItemKind::Bare(e) => {
                    self.expr(e);
                    names.push(crate::naming::item_name(e));
                }
                _ => {
                    let d = Diagnostic::new(
                        ErrorCode::CheckBlockItem,
                        "a sweep holds `run NAME` and `name = value` lines",
                    )
                    .label(item.span, "not allowed in a sweep");
                    self.error(d);
                }
            }
            // Later items see this one by name.
            if names.len() > self.locals.len() - base {
                self.locals.push((names[names.len() - 1].clone(), Ty::Any));
            }
        }
        self.locals.truncate(base);
        names
    }
}

/// "a coulomb_gas", "an ensemble".
fn article(word: &str) -> String {
    let an = word.starts_with(|c: char| "aeiou".contains(c));
    format!("{} {word}", if an { "an" } else { "a" })
}

fn field_list(k: &KindSchema) -> String {
    k.fields
        .iter()
        .map(|f| f.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a function field written with `n` parameters fits the schema's list, where names
/// ending in `?` may be left off the end (`["x", "y?", "t?"]` takes 1 to 3).
fn arity_ok(want: &[&str], n: usize) -> bool {
    let min = want.iter().filter(|w| !w.ends_with('?')).count();
    (min..=want.len()).contains(&n)
}
