//! Expressions: resolve names, check calls against signatures, infer types and shapes.

use super::{suggest, Checker, GlobalDef, Res};
use crate::builtins::{self, Builtin, DefaultValue};
use crate::diag::Diagnostic;
use crate::diag::ErrorCode;
use crate::span::Span;
use crate::syntax::ast::*;
use crate::types::{ParamTy, Shape, Ty};

impl Checker {
    /// Check an expression and return its type (`Any` after an error).
    pub fn expr(&mut self, e: &Expr) -> Ty {
        crate::deep::deep(|| self.expr_node(e))
    }

    fn expr_node(&mut self, e: &Expr) -> Ty {
        match &e.kind {
            ExprKind::Num(_) => Ty::Num,
            ExprKind::Str(_) => Ty::Str,
            ExprKind::Bool(_) => Ty::Bool,
            ExprKind::Name(n) => self.name(n, e.span),
            ExprKind::Vector(items) => self.vector(items),
            ExprKind::Comprehension(body, g) => {
                // Numbers and vectors concatenate into a vector; booleans, matrices,
                // records and networks make a list.
                let mut item = Ty::Any;
                self.generator(g, |cx| {
                    item = cx.expr(body);
                });
                match item {
                    Ty::Num | Ty::Vector => Ty::Vector,
                    _ => Ty::Any,
                }
            }
            ExprKind::Sum(g, body) => {
                self.generator(g, |cx| {
                    cx.expr(body);
                });
                Ty::Num
            }
            ExprKind::Record(fields) => self.record(fields),
            ExprKind::Lambda(params, body) => self.lambda(params, body),
            ExprKind::If(c, t, f) => self.if_expr(c, t, f),
            ExprKind::Unary(op, x) => self.unary(*op, x),
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, e.span),
            ExprKind::Call(callee, args) => self.call(callee, args, e.span),
            ExprKind::Index(t, items) => self.index(t, items),
            ExprKind::Member(t, field) => self.member(t, field),
            ExprKind::Transpose(x) => match self.expr(x) {
                Ty::Matrix(s) => Ty::Matrix(Shape {
                    rows: s.cols,
                    cols: s.rows,
                }),
                Ty::Vector => Ty::Matrix(Shape {
                    rows: Some(1),
                    cols: None,
                }),
                Ty::Any => Ty::Any,
                other => self.type_error(x.span, "`'` transposes a matrix", &other),
            },
        }
    }

    pub fn type_error(&mut self, span: Span, what: &str, found: &Ty) -> Ty {
        let d = Diagnostic::new(
            ErrorCode::CheckType,
            format!("{what}, but this is {}", found.describe()),
        )
        .label(span, format!("this is {}", found.describe()));
        self.error(d);
        Ty::Any
    }

    fn name(&mut self, n: &str, span: Span) -> Ty {
        match self.resolve(n) {
            Some((res, ty)) => {
                self.out.resolutions.insert(span, res);
                ty
            }
            None => {
                self.unknown_name(n, span);
                Ty::Any
            }
        }
    }

    /// Locals (innermost first), then globals, builtins and constants.
    pub fn resolve(&mut self, n: &str) -> Option<(Res, Ty)> {
        if let Some(slot) = self.locals.iter().rposition(|(name, _)| name == n) {
            return Some((Res::Local(slot), self.locals[slot].1.clone()));
        }
        if let Some(&id) = self.out.by_name.get(n) {
            if let Some(&from) = self.inferring.last() {
                self.out.deps.entry(from).or_default().push(id);
            }
            return Some((Res::Global(id), self.global_ty(id)));
        }
        if let Some(b) = self.builtin(n) {
            let required = b
                .params
                .iter()
                .filter(|p| p.default == DefaultValue::Required)
                .count();
            return Some((
                Res::Builtin(b),
                Ty::Func {
                    required,
                    optional: b.params.len() - required,
                },
            ));
        }
        let c = builtins::CONSTANTS.iter().find(|(name, _)| *name == n)?;
        Some((Res::Const(c.1), Ty::Num))
    }

    fn unknown_name(&mut self, n: &str, span: Span) {
        let mut candidates: Vec<String> = self.locals.iter().map(|(l, _)| l.clone()).collect();
        candidates.extend(self.out.by_name.keys().cloned());
        candidates.extend(self.builtins.iter().map(|b| b.name.to_string()));
        candidates.extend(builtins::CONSTANTS.iter().map(|(c, _)| c.to_string()));
        let mut d = Diagnostic::new(ErrorCode::CheckUnknownName, format!("unknown name `{n}`"))
            .label(span, "not defined");
        let hint = suggest::did_you_mean(n, candidates.iter().map(|s| s.as_str()));
        let from_module = crate::stdlib::module_defining(n);
        d = match (hint, from_module) {
            (_, Some(m)) => d.help(format!("`{n}` is defined in the stdlib: add `use {m}`")),
            (Some(h), None) => d.help(h),
            (None, None) => d.help("define it with `let`, or check the spelling"),
        };
        self.error(d);
    }

    fn vector(&mut self, items: &[Expr]) -> Ty {
        for item in items {
            let t = self.expr(item);
            if !matches!(t, Ty::Num | Ty::Vector | Ty::Any) {
                return Ty::Any;
            }
        }
        Ty::Vector
    }

    /// Bind a loop variable for `[... for v in xs]` and `sum(v in xs: ...)`.
    pub fn generator(&mut self, g: &Generator, body: impl FnOnce(&mut Self)) {
        let it = self.expr(&g.iter);
        if !matches!(it, Ty::Vector | Ty::Any) {
            self.type_error(g.iter.span, "a loop runs over a vector or a range", &it);
        }
        // Over a vector or range the variable is a number; over a list (of records, of
        // networks) it is whatever the list holds.
        let var = if it == Ty::Vector { Ty::Num } else { Ty::Any };
        self.locals.push((g.var.name.clone(), var));
        if let Some(f) = &g.filter {
            self.expect_bool(f);
        }
        body(self);
        self.locals.pop();
    }

    pub fn expect_bool(&mut self, e: &Expr) {
        let t = self.expr(e);
        if !matches!(t, Ty::Bool | Ty::Any) {
            self.type_error(e.span, "a condition must be true or false", &t);
        }
    }

    fn record(&mut self, fields: &[(Ident, Expr)]) -> Ty {
        let mut seen: Vec<&Ident> = Vec::new();
        for (name, value) in fields {
            if let Some(prev) = seen.iter().find(|p| p.name == name.name) {
                let d = Diagnostic::new(
                    ErrorCode::CheckDuplicateField,
                    format!("field `{}` is given twice", name.name),
                )
                .label(name.span, "again here")
                .label(prev.span, "first here");
                self.error(d);
            }
            seen.push(name);
            self.expr(value);
        }
        Ty::Record
    }

    fn lambda(&mut self, params: &[Ident], body: &Expr) -> Ty {
        let base = self.locals.len();
        for p in params {
            self.locals.push((p.name.clone(), Ty::Any));
        }
        self.expr(body);
        self.locals.truncate(base);
        Ty::Func {
            required: params.len(),
            optional: 0,
        }
    }

    fn if_expr(&mut self, c: &Expr, t: &Expr, f: &Expr) -> Ty {
        self.expect_bool(c);
        let a = self.expr(t);
        let b = self.expr(f);
        if a == b {
            a
        } else {
            Ty::Any
        }
    }

    fn unary(&mut self, op: UnOp, x: &Expr) -> Ty {
        let t = self.expr(x);
        match op {
            UnOp::Neg if t == Ty::Bool => Ty::Any,
            UnOp::Neg if t.is_numeric() => t,
            UnOp::Neg => self.type_error(x.span, "`-` needs a number, vector or matrix", &t),
            UnOp::Not => {
                if !matches!(t, Ty::Bool | Ty::Any) {
                    self.type_error(x.span, "`not` needs a boolean", &t);
                }
                Ty::Bool
            }
        }
    }

    fn binary(&mut self, op: BinOp, a: &Expr, b: &Expr, span: Span) -> Ty {
        let ta = self.expr(a);
        let tb = self.expr(b);
        use BinOp::*;
        match op {
            Vs => Ty::Record,
            And | Or => {
                for (t, e) in [(&ta, a), (&tb, b)] {
                    if !matches!(t, Ty::Bool | Ty::Any) {
                        self.type_error(e.span, &format!("`{}` joins conditions", op.symbol()), t);
                    }
                }
                Ty::Bool
            }
            Eq | Ne | Lt | Le | Gt | Ge => self.comparison(op, (&ta, a), (&tb, b)),
            Range | RangeIncl => {
                for (t, e) in [(&ta, a), (&tb, b)] {
                    if !matches!(t, Ty::Num | Ty::Any) {
                        self.type_error(e.span, "a range runs between two numbers", t);
                    }
                }
                Ty::Vector
            }
            Add | Sub | Mul | Div | Pow | Mod | ElemMul | ElemDiv | ElemPow => {
                self.arithmetic(op, (&ta, a), (&tb, b), span)
            }
        }
    }

    fn comparison(&mut self, op: BinOp, (ta, a): (&Ty, &Expr), (tb, b): (&Ty, &Expr)) -> Ty {
        let ordered = !matches!(op, BinOp::Eq | BinOp::Ne);
        for (t, e) in [(ta, a), (tb, b)] {
            let ok = match t {
                Ty::Num | Ty::Vector | Ty::Bool | Ty::Any => true,
                Ty::Str => !ordered,
                _ => false,
            };
            if !ok {
                self.type_error(e.span, &format!("`{}` compares numbers", op.symbol()), t);
            }
        }
        let string = |t: &Ty| *t == Ty::Str;
        let known = |t: &Ty| !matches!(t, Ty::Any);
        if string(ta) != string(tb) && known(ta) && known(tb) {
            let (t, e) = if string(ta) { (tb, b) } else { (ta, a) };
            self.type_error(e.span, "a string is compared with a string", t);
        }
        Ty::Bool
    }

    fn index(&mut self, t: &Expr, items: &[IndexItem]) -> Ty {
        let target = self.expr(t);
        self.locals.push(("end".to_string(), Ty::Num));
        let mut sliced = false;
        for item in items {
            match item {
                IndexItem::All(_) => sliced = true,
                IndexItem::Expr(e) => {
                    let ti = self.expr(e);
                    sliced |= matches!(ti, Ty::Vector);
                    if !matches!(ti, Ty::Num | Ty::Vector | Ty::Any) {
                        self.type_error(e.span, "an index is a number or a range", &ti);
                    }
                }
            }
        }
        self.locals.pop();
        match (&target, items.len(), sliced) {
            (Ty::Vector, 1, false) => Ty::Num,
            (Ty::Vector, 1, true) => Ty::Vector,
            (Ty::Matrix(_), 2, false) => Ty::Num,
            (Ty::Matrix(_), 2, true) => Ty::Any,
            (Ty::Vector, n, _) | (Ty::Matrix(_), n, _) if n > 2 => {
                self.type_error(t.span, "at most two indices (row, column)", &target)
            }
            (Ty::Num | Ty::Bool | Ty::Str | Ty::Dist | Ty::Func { .. }, _, _) => self.type_error(
                t.span,
                "only vectors, matrices and lists can be indexed",
                &target,
            ),
            _ => Ty::Any,
        }
    }

    fn member(&mut self, t: &Expr, field: &Ident) -> Ty {
        let target = self.expr(t);
        if let ExprKind::Name(n) = &t.kind {
            if let Some(super::Res::Global(id)) = self.out.resolutions.get(&t.span).copied() {
                if let GlobalDef::Report(r) = &self.out.globals[id].def {
                    let fields = super::decls::report_field_names(r);
                    if !fields.iter().any(|f| f == &field.name) {
                        let mut d = Diagnostic::new(
                            ErrorCode::CheckUnknownField,
                            format!("report `{n}` has no field `{}`", field.name),
                        )
                        .label(field.span, "no such field");
                        let list = fields.join(", ");
                        d = d.help(
                            match suggest::did_you_mean(
                                &field.name,
                                fields.iter().map(|s| s.as_str()),
                            ) {
                                Some(s) => format!("{s} (fields: {list})"),
                                None => format!("its fields are: {list}"),
                            },
                        );
                        self.error(d);
                    }
                    return Ty::Any;
                }
            }
        }
        if !matches!(target, Ty::Record | Ty::Any) {
            return self.type_error(
                t.span,
                &format!("`.{}` reads a field of a record", field.name),
                &target,
            );
        }
        Ty::Any
    }

    /// Check a call: the callee, then each argument against its parameter.
    fn call(&mut self, callee: &Expr, args: &[Arg], span: Span) -> Ty {
        let ct = self.expr(callee);
        self.callable_builtin_behind(callee, &ct);
        let res = self.out.resolutions.get(&callee.span).copied();
        match res {
            Some(Res::Builtin(b)) => self.builtin_call(b, args, span),
            Some(Res::Global(id)) => self.global_call(id, args, span),
            _ => {
                if !matches!(ct, Ty::Func { .. } | Ty::Any) {
                    self.type_error(callee.span, "only functions can be called", &ct);
                }
                for a in args {
                    self.expr(&a.value);
                }
                Ty::Any
            }
        }
    }

    /// A local that is not a function does not hide a builtin of the same name in call
    /// position: in `report r { mean = mean(x)  m2 = mean(x^2) }` both calls are the
    /// builtin, while `mean` alone is the report item.
    fn callable_builtin_behind(&mut self, callee: &Expr, ty: &Ty) {
        let ExprKind::Name(n) = &callee.kind else {
            return;
        };
        let local = matches!(self.out.resolutions.get(&callee.span), Some(Res::Local(_)));
        if local && !matches!(ty, Ty::Func { .. } | Ty::Any) {
            if let Some(b) = self.builtin(n) {
                self.out.resolutions.insert(callee.span, Res::Builtin(b));
            }
        }
    }

    fn global_call(&mut self, id: usize, args: &[Arg], span: Span) -> Ty {
        let g = self.out.globals[id].clone();
        match &g.def {
            GlobalDef::Fn(f) => {
                let names: Vec<&str> = f.params.iter().map(|p| p.name.name.as_str()).collect();
                let required: Vec<bool> = f.params.iter().map(|p| p.default.is_none()).collect();
                let slots = self.bind_args(&g.name, &names, &required, args, span);
                for a in args {
                    self.expr(&a.value);
                }
                let _ = slots;
                Ty::Any
            }
            _ => {
                let ty = self.global_ty(id);
                if !matches!(ty, Ty::Func { .. } | Ty::Any) {
                    let d = Diagnostic::new(
                        ErrorCode::CheckNotCallable,
                        format!("`{}` is not a function", g.name),
                    )
                    .label(span, format!("`{}` is {}", g.name, ty.describe()))
                    .label(g.span, "defined here");
                    self.error(d);
                }
                for a in args {
                    self.expr(&a.value);
                }
                Ty::Any
            }
        }
    }

    fn builtin_call(&mut self, b: &'static Builtin, args: &[Arg], span: Span) -> Ty {
        let names: Vec<&str> = b.params.iter().map(|p| p.name).collect();
        let required: Vec<bool> = b
            .params
            .iter()
            .map(|p| p.default == DefaultValue::Required)
            .collect();
        let slots = self.bind_args(b.name, &names, &required, args, span);
        let mut given: Vec<Option<(Ty, &Expr)>> = vec![None; b.params.len()];
        for (i, a) in args.iter().enumerate() {
            let param = slots.get(i).copied().flatten().map(|k| &b.params[k]);
            let t = match (param, &a.value.kind) {
                (Some(p), kind)
                    if p.ty == ParamTy::LayerLaw && !matches!(kind, ExprKind::Lambda(..)) =>
                {
                    self.lambda(&layer_law_params(a.value.span), &a.value)
                }
                _ => self.expr(&a.value),
            };
            if let Some(p) = param {
                if let ParamTy::Choice(values) = p.ty {
                    self.choice_literal(p.name, values, &a.value);
                }
                if !p.ty.accepts(&t) {
                    let d = Diagnostic::new(
                        ErrorCode::CheckArgumentType,
                        format!("`{}` of `{}` must be {}", p.name, b.name, p.ty.describe()),
                    )
                    .label(a.value.span, format!("this is {}", t.describe()))
                    .help(format!("{}: {}", b.name, b.doc));
                    self.error(d);
                }
            }
            if let Some(Some(k)) = slots.get(i) {
                given[*k] = Some((t, &a.value));
            }
        }
        self.builtin_result(b, &given, span)
    }

    /// Match arguments to parameters: positional first, then by name. Returns, for each
    /// argument, the index of its parameter (None when it matched nothing).
    pub fn bind_args(
        &mut self,
        callee: &str,
        names: &[&str],
        required: &[bool],
        args: &[Arg],
        span: Span,
    ) -> Vec<Option<usize>> {
        let mut filled = vec![false; names.len()];
        let mut slots = Vec::new();
        let mut positional = 0;
        for a in args {
            let slot = match &a.name {
                None => {
                    positional += 1;
                    if positional > names.len() {
                        self.too_many(callee, names, a.value.span);
                        None
                    } else {
                        Some(positional - 1)
                    }
                }
                Some(n) => self.named_slot(callee, names, n),
            };
            if let Some(k) = slot {
                if filled[k] {
                    let d = Diagnostic::new(
                        ErrorCode::CheckDuplicateArgument,
                        format!("`{}` of `{callee}` is given twice", names[k]),
                    )
                    .label(
                        a.name.as_ref().map(|n| n.span).unwrap_or(a.value.span),
                        "given again here",
                    );
                    self.error(d);
                }
                filled[k] = true;
            }
            slots.push(slot);
        }
        let missing: Vec<&str> = (0..names.len())
            .filter(|&k| required[k] && !filled[k])
            .map(|k| names[k])
            .collect();
        if !missing.is_empty() {
            let list = suggest::code_list(&missing);
            let d = Diagnostic::new(
                ErrorCode::CheckMissingArgument,
                format!("`{callee}` is missing {list}"),
            )
            .label(span, format!("needs {list}"))
            .help(format!("{callee}({})", names.join(", ")));
            self.error(d);
        }
        slots
    }

    fn too_many(&mut self, callee: &str, names: &[&str], span: Span) {
        let d = Diagnostic::new(
            ErrorCode::CheckArity,
            format!(
                "`{callee}` takes at most {} argument{}",
                names.len(),
                if names.len() == 1 { "" } else { "s" }
            ),
        )
        .label(span, "one argument too many")
        .help(format!("{callee}({})", names.join(", ")));
        self.error(d);
    }

    fn named_slot(&mut self, callee: &str, names: &[&str], n: &Ident) -> Option<usize> {
        if let Some(k) = names.iter().position(|p| *p == n.name) {
            return Some(k);
        }
        let mut d = Diagnostic::new(
            ErrorCode::CheckUnknownArgument,
            format!("`{callee}` has no parameter `{}`", n.name),
        )
        .label(n.span, "unknown parameter");
        let sig = format!("{callee}({})", names.join(", "));
        d = d.help(
            match suggest::did_you_mean(&n.name, names.iter().copied()) {
                Some(s) => format!("{s} — {sig}"),
                None => sig,
            },
        );
        self.error(d);
        None
    }

    /// Fold an expression to a number when it only involves constants and `let`s of constants.
    pub fn const_num(&self, e: &Expr) -> Option<f64> {
        self.const_num_depth(e, 0)
    }

    fn const_num_depth(&self, e: &Expr, depth: usize) -> Option<f64> {
        if depth > 32 {
            return None;
        }
        let f = |x: &Expr| self.const_num_depth(x, depth + 1);
        match &e.kind {
            ExprKind::Num(v) => Some(*v),
            ExprKind::Name(n) => match self.out.global(n).map(|g| &g.def) {
                Some(GlobalDef::Let(x)) => f(x),
                _ => builtins::CONSTANTS
                    .iter()
                    .find(|(c, _)| c == n)
                    .map(|c| c.1),
            },
            ExprKind::Unary(UnOp::Neg, x) => f(x).map(|v| -v),
            ExprKind::Binary(op, a, b) => {
                let (a, b) = (f(a)?, f(b)?);
                match op {
                    BinOp::Add => Some(a + b),
                    BinOp::Sub => Some(a - b),
                    BinOp::Mul => Some(a * b),
                    BinOp::Div => Some(a / b),
                    BinOp::Pow => Some(a.powf(b)),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// The parameters a layer law may read ([`ParamTy::LayerLaw`]): `fan_in`, `fan_out` and
/// `layer` (the layer's index from 0).
pub fn layer_law_params(span: Span) -> [Ident; 3] {
    ["fan_in", "fan_out", "layer"].map(|name| Ident {
        name: name.into(),
        span,
    })
}
