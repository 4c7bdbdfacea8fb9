//! Reading a block's fields (`KIND NAME { ... }`) for its kind's runner: numbers, counts,
//! choices, time grids, each default recorded in the manifest and each error at the field.

use crate::diag::ErrorCode;
use crate::eval::error::{Result, RunError};
use crate::eval::state::{Evaluator, Frame};
use crate::ir::plan::JobField;
use crate::ir::value::Value;
use crate::schema::Choice;
use crate::span::Span;

/// The fields of one block, with the span of the declaration for errors.
pub struct Fields<'a> {
    /// The global the block declares.
    pub id: usize,
    pub fields: &'a [JobField],
    pub span: Span,
    pub kind: &'a str,
}

/// A run error about a block's field (`wmd::run::field`).
pub fn field_error(span: Span, message: String) -> RunError {
    RunError::new(span, message).code(ErrorCode::RunField)
}

/// A run error about a value a constructor or builtin was given (`wmd::run::value`).
pub fn value_error(span: Span, message: String) -> RunError {
    RunError::new(span, message).code(ErrorCode::RunValue)
}

/// A field over the cells as n numbers: a vector of n, or a number broadcast to every cell.
pub fn cell_values(v: Value, n: usize, what: &str, span: Span) -> Result<Vec<f64>> {
    match v {
        Value::Num(c) => Ok(vec![c; n]),
        Value::Vector(u) if u.len() == n => Ok(u.to_vec()),
        other => Err(field_error(
            span,
            format!(
                "{what} must give {n} cell values, but gives {}",
                other.describe()
            ),
        )),
    }
}

impl<'a> Fields<'a> {
    pub fn get(&self, name: &str) -> Option<&'a JobField> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn missing(&self, what: &str) -> RunError {
        RunError::new(self.span, format!("{} needs {what}", self.kind)).code(ErrorCode::RunField)
    }
}

impl Evaluator<'_> {
    /// `at = t` or `at = [t₁, t₂, …]`: the times at which a field is kept (default [0, until],
    /// recorded in the manifest).
    pub fn field_times(&self, f: &Fields, until: f64, frame: &mut Frame) -> Result<Vec<f64>> {
        let Some(field) = f.get("at") else {
            let text = format!("[0, {}]", crate::number::exact(until));
            self.record_default(&format!("{}.at", f.kind), f.span, text);
            return Ok(vec![0.0, until]);
        };
        match self.eval(&field.code, frame)? {
            Value::Num(t) => Ok(vec![t]),
            v => v.as_slice().map(|s| s.to_vec()).ok_or_else(|| {
                RunError::new(
                    field.span,
                    format!("`at` must be times, but is {}", v.describe()),
                )
                .code(ErrorCode::RunField)
            }),
        }
    }

    /// A string field naming one of a [`Choice`]'s values; the first is the default (recorded
    /// in the manifest). A literal was already checked by the checker against the same names;
    /// this catches computed ones.
    pub fn choice<C: Choice>(&self, f: &Fields, name: &str, frame: &mut Frame) -> Result<C> {
        let names = C::NAMES;
        let Some(field) = f.get(name) else {
            self.record_default(&format!("{}.{name}", f.kind), f.span, names[0].into());
            return Ok(C::default_value());
        };
        let v = self.eval(&field.code, frame)?;
        let found = match &v {
            Value::Str(s) => C::parse(s),
            _ => None,
        };
        found.ok_or_else(|| {
            let list: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
            let given = match &v {
                Value::Str(s) => format!("\"{s}\""),
                other => other.describe(),
            };
            let close = match &v {
                Value::Str(s) => crate::check::suggest::closest(s, names.iter().copied())
                    .map(|n| format!("did you mean \"{n}\"? ")),
                _ => None,
            };
            RunError::new(field.span, format!("`{name}` cannot be {given}"))
                .code(ErrorCode::RunField)
                .help(format!(
                    "{}`{name}` is one of {}",
                    close.unwrap_or_default(),
                    list.join(", ")
                ))
        })
    }

    /// A numeric field, or its default (recorded in the manifest).
    pub fn field_num(
        &self,
        f: &Fields,
        name: &str,
        default: Option<f64>,
        frame: &mut Frame,
    ) -> Result<Option<f64>> {
        match f.get(name) {
            Some(field) => match self.eval(&field.code, frame)? {
                Value::Num(x) if x.is_finite() => Ok(Some(x)),
                other => Err(RunError::new(
                    field.span,
                    format!(
                        "`{name}` must be a finite number, but is {}",
                        other.describe()
                    ),
                )
                .code(ErrorCode::RunField)),
            },
            None => {
                if let Some(d) = default {
                    self.record_default(
                        &format!("{}.{name}", f.kind),
                        f.span,
                        crate::number::exact(d),
                    );
                }
                Ok(default)
            }
        }
    }

    pub fn field_count(
        &self,
        f: &Fields,
        name: &str,
        default: Option<f64>,
        frame: &mut Frame,
    ) -> Result<Option<usize>> {
        let span = f.get(name).map(|x| x.span).unwrap_or(f.span);
        match self.field_num(f, name, default, frame)? {
            Some(x) => Ok(Some(crate::eval::args::count(&Value::Num(x), name, span)?)),
            None => Ok(None),
        }
    }

    /// dt, steps and the factor on g: the continuous form (dt, steps or until) or the discrete
    /// SGD form (lr, batch, steps): dt = α and g_i = √(α/|B|)·g̃_i.
    pub fn time_grid(
        &self,
        f: &Fields,
        frame: &mut Frame,
    ) -> Result<(f64, usize, f64, &'static str)> {
        let (lr, batch, dt) = (
            self.field_num(f, "lr", None, frame)?,
            self.field_num(f, "batch", None, frame)?,
            self.field_num(f, "dt", None, frame)?,
        );
        let (dt, scale, form) = match (lr, batch, dt) {
            (Some(a), Some(b), None) if a > 0.0 && b >= 1.0 => (
                a,
                (a / b).sqrt(),
                "discrete SGD (dt = lr, g = sqrt(lr / batch) * noise)",
            ),
            (None, None, Some(h)) if h > 0.0 => (h, 1.0, "continuous"),
            (None, None, None) => {
                return Err(f.missing(
                    "either `dt` (continuous form) or `lr` and `batch` (discrete SGD form)",
                ))
            }
            _ => return Err(RunError::new(
                f.span,
                "give either `dt` > 0, or `lr` > 0 and `batch` ≥ 1 — not both, not one of lr/batch",
            )
            .code(ErrorCode::RunField)),
        };
        let steps = self.steps(f, dt, frame)?;
        Ok((dt, steps, scale, form))
    }

    /// The number of steps of length dt: `steps`, or `until` / dt rounded (at least 1).
    pub fn steps(&self, f: &Fields, dt: f64, frame: &mut Frame) -> Result<usize> {
        match (
            self.field_count(f, "steps", None, frame)?,
            self.field_num(f, "until", None, frame)?,
        ) {
            (Some(s), None) => Ok(s),
            (None, Some(t)) if t > 0.0 => {
                let n = (t / dt).round().max(1.0);
                if n > crate::limits::MAX_COUNT {
                    let span = f.get("until").map_or(f.span, |x| x.span);
                    return Err(crate::eval::args::too_many(
                        span,
                        "the step count `until` / `dt`",
                        n,
                    ));
                }
                Ok(n as usize)
            }
            _ => Err(f.missing("exactly one of `steps` or `until` > 0")),
        }
    }
}
