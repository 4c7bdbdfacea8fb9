//! `plot(x, y, error, theory)`: a figure the script asks for. In a report, `plot NAME { x = …,
//! y = … }` is the same call; the figure shows y against x (points joined by a line, with
//! error bars when `error` is given) and `theory` as a red line, axes labelled with the
//! expressions written for x and y.

use super::fields::value_error as bad;
use crate::builtins::{auto, req, Builtin, Mode, Ret};
use crate::eval::args::{numbers, Args};
use crate::eval::error::Result;
use crate::eval::kernel::{Kernel, Row};
use crate::ir::value::Value;
use crate::span::Span;
use crate::types::ParamTy;

/// The `plot` builtin.
pub static ROWS: &[Row] = &[Row {
    sig: Builtin {
        name: "plot",
        params: &[
            req("x", ParamTy::Vector),
            req("y", ParamTy::Vector),
            auto("error", ParamTy::Vector, "no error bars"),
            auto("theory", ParamTy::Vector, "no theory curve"),
        ],
        ret: Ret::Record,
        mode: Mode::Plain,
        doc: "a figure of y against x, with error bars ± error and a theory curve (all one value per x), drawn into figures/ and report.html; in a report also written `plot NAME { x = …, y = … }` (e.g. `plot([1, 2, 3], [1, 4, 9], theory = [1, 4, 9])`)",
    },
    run: Kernel::Pure(plot),
}];

fn plot(a: &Args, span: Span) -> Result<Value> {
    let x = numbers(&a[0], "x", span)?;
    let mut fields = vec![
        ("kind".to_string(), Value::Str("plot".into())),
        ("x".into(), Value::vector(x.to_vec())),
    ];
    for (k, name) in [(1, "y"), (2, "error"), (3, "theory")] {
        if a[k].is_none() {
            continue;
        }
        let v = numbers(&a[k], name, span)?;
        if v.len() != x.len() {
            let n = (x.len(), v.len());
            let msg = format!(
                "`{name}` needs one value per x: x has {}, {name} {}",
                n.0, n.1
            );
            return Err(bad(span, msg));
        }
        fields.push((name.to_string(), Value::vector(v.to_vec())));
    }
    Ok(Value::record(fields))
}
