//! The results tree: a value as JSON at its path, large arrays handed to [`Arrays`].

use super::arrays::Arrays;
use crate::ir::value::{Dist, Value};
use serde_json::{json, Map, Value as Json};

/// A value as JSON at `path` of the results tree; vectors and matrices of more than
/// [`arrays::MAX_INLINE`] entries go to `arrays`.
pub(super) fn tree(v: &Value, path: &mut Vec<String>, arrays: &mut Arrays) -> Json {
    let mut at = |key: String, v: &Value, arrays: &mut Arrays| {
        path.push(key);
        let j = tree(v, path, arrays);
        path.pop();
        j
    };
    match v {
        Value::Num(x) => num(*x),
        Value::Bool(b) => json!(b),
        Value::Str(s) => json!(s.to_string()),
        Value::Vector(xs) if xs.len() > arrays.max_inline => {
            arrays.put(path, &[xs.len() as u64], xs.iter().copied())
        }
        Value::Vector(xs) => Json::Array(xs.iter().map(|x| num(*x)).collect()),
        Value::Mask(m) => json!(m.as_slice()),
        Value::List(l) => Json::Array(
            (l.iter().enumerate())
                .map(|(k, v)| at(k.to_string(), v, arrays))
                .collect(),
        ),
        Value::Record(fields) => Json::Object(
            (fields.iter())
                .map(|(k, v)| (k.clone(), at(k.clone(), v, arrays)))
                .collect::<Map<_, _>>(),
        ),
        Value::Matrix(m) if m.nrows() * m.ncols() > arrays.max_inline => {
            let shape = [m.nrows() as u64, m.ncols() as u64];
            let entries = (0..m.nrows()).flat_map(|i| (0..m.ncols()).map(move |j| m[(i, j)]));
            arrays.put(path, &shape, entries)
        }
        Value::Matrix(m) => Json::Array(
            (0..m.nrows())
                .map(|i| Json::Array((0..m.ncols()).map(|j| num(m[(i, j)])).collect()))
                .collect(),
        ),
        Value::Func(_) => json!("<function>"),
        Value::Law(_) => json!("<random-matrix law>"),
        Value::Dist(d) => dist_json(d),
    }
}

pub(super) fn num(x: f64) -> Json {
    if x.is_finite() && x == x.trunc() && x.abs() < 1e15 {
        json!(x as i64)
    } else if x.is_finite() {
        json!(x)
    } else {
        json!(format!("{x}"))
    }
}

fn dist_json(d: &Dist) -> Json {
    let (lo, hi) = d.support();
    json!({"distribution": {"support": [num(lo), num(hi)], "mean": num(d.moment(1))}})
}
