//! How the REPL prints a value: [`short`] after an expression (a vector of more than
//! [`SHORT_MAX`] values shows its first ten), [`whole`] for `:show` (every value, a matrix
//! row by row).

use crate::ir::value::Value;
use crate::number::sig;

/// Vectors longer than this are shortened by [`short`].
pub const SHORT_MAX: usize = 20;

/// A value as an expression's reply: records and lists as YAML, long vectors shortened.
pub fn short(v: &Value) -> String {
    match v {
        Value::Record(_) | Value::List(_) => {
            crate::output::serialise(&crate::output::to_json(v), false).unwrap_or_default()
        }
        Value::Vector(xs) if xs.len() > SHORT_MAX => {
            format!("[{}, ...] ({} values)\n", numbers(&xs[..10]), xs.len())
        }
        Value::Vector(xs) => format!("[{}]\n", numbers(xs)),
        Value::Num(x) => format!("{}\n", sig(*x, 10)),
        other => format!("{}\n", other.describe()),
    }
}

/// A value whole: every number of a vector, a matrix one row a line; anything else as
/// [`short`] shows it.
pub fn whole(v: &Value) -> String {
    match v {
        Value::Vector(xs) => format!("[{}]\n", numbers(xs)),
        Value::Matrix(m) => {
            let mut out = format!("{}×{} matrix\n", m.nrows(), m.ncols());
            for r in 0..m.nrows() {
                let row: Vec<f64> = (0..m.ncols()).map(|c| m[(r, c)]).collect();
                out.push_str(&format!("[{}]\n", numbers(&row)));
            }
            out
        }
        other => short(other),
    }
}

fn numbers(xs: &[f64]) -> String {
    xs.iter().map(|x| sig(*x, 6)).collect::<Vec<_>>().join(", ")
}
