//! `--format csv`: the results as one tidy table, `results.csv`, one row per scalar with the
//! columns `section,name,point,quantity,value,file`:
//!
//! - `report`, the report's name, no point, the item's path (`mean.measured`), its value;
//! - `sweep`, the sweep's name, the point's index, the quantity (the varied names and every
//!   per-point item), its value at that point; the sweep's summary with no point;
//! - `expect`, its text, no point, `passed`, `true`/`false`.
//!
//! Every vector and matrix (any size) is written to `arrays/*.npy` and named in `file`, so
//! nothing is dropped; strings stay in `value`. The manifest is `manifest.csv` (`key,value`).

use super::arrays::{Arrays, Mode};
use super::tree::tree;
use crate::ir::outcome::Outcome;
use crate::ir::value::Value;
use serde_json::Value as Json;
use std::path::PathBuf;

/// One row of `results.csv`.
struct Row {
    section: &'static str,
    name: String,
    point: Option<usize>,
    quantity: String,
    value: String,
    file: String,
}

/// `results.csv` and the `.npy` files of every array it names.
pub fn results(outcome: &Outcome) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    let mut arrays = Arrays::new(Mode::Write);
    arrays.max_inline = 0;
    let mut rows = Vec::new();
    for (name, v) in &outcome.reports {
        let j = tree(v, &mut vec!["reports".into(), name.clone()], &mut arrays);
        flatten(&j, "", &mut |quantity, value, file| {
            rows.push(row("report", name, None, quantity, value, file))
        });
    }
    for (name, v) in &outcome.sweeps {
        sweep_rows(name, v, &mut arrays, &mut rows);
    }
    for e in &outcome.expects {
        rows.push(row(
            "expect",
            &e.text,
            None,
            "passed".into(),
            e.passed.to_string(),
            "",
        ));
    }
    let mut files = vec![(PathBuf::from("results.csv"), table(&rows)?)];
    files.extend(arrays.files);
    Ok(files)
}

fn row(
    section: &'static str,
    name: &str,
    point: Option<usize>,
    quantity: String,
    value: String,
    file: &str,
) -> Row {
    Row {
        section,
        name: name.to_string(),
        point,
        quantity,
        value,
        file: file.to_string(),
    }
}

/// A sweep's rows: each per-point quantity (a vector with one value per point) at each point,
/// then everything else (the summary, `points`) without a point.
fn sweep_rows(name: &str, v: &Value, arrays: &mut Arrays, rows: &mut Vec<Row>) {
    let Value::Record(fields) = v else { return };
    let points = match v.field("points") {
        Some(Value::Num(n)) => *n as usize,
        _ => 0,
    };
    let per_point = |v: &Value| matches!(v, Value::Vector(xs) if xs.len() == points);
    for p in 0..points {
        for (q, v) in fields.iter() {
            if let Value::Vector(xs) = v {
                if xs.len() == points {
                    rows.push(row("sweep", name, Some(p), q.clone(), number(xs[p]), ""));
                }
            }
        }
    }
    for (q, v) in fields.iter().filter(|(_, v)| !per_point(v)) {
        let j = tree(
            v,
            &mut vec!["sweeps".into(), name.into(), q.clone()],
            arrays,
        );
        flatten(&j, q, &mut |quantity, value, file| {
            rows.push(row("sweep", name, None, quantity, value, file))
        });
    }
}

fn number(x: f64) -> String {
    match super::tree::num(x) {
        Json::String(s) => s,
        other => other.to_string(),
    }
}

/// Call `emit(path, value, file)` for every leaf of a results tree: a scalar's text, or an
/// array file's path (`{npy, shape}`).
fn flatten(j: &Json, path: &str, emit: &mut dyn FnMut(String, String, &str)) {
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match j {
        Json::Object(m) if m.contains_key("npy") && m.contains_key("shape") => {
            let file = m["npy"].as_str().unwrap_or_default();
            emit(path.to_string(), String::new(), file)
        }
        Json::Object(m) => (m.iter()).for_each(|(k, v)| flatten(v, &join(k), emit)),
        Json::Array(items) => {
            (items.iter().enumerate()).for_each(|(k, v)| flatten(v, &join(&k.to_string()), emit))
        }
        Json::String(s) => emit(path.to_string(), s.clone(), ""),
        Json::Null => emit(path.to_string(), String::new(), ""),
        other => emit(path.to_string(), other.to_string(), ""),
    }
}

fn table(rows: &[Row]) -> Result<Vec<u8>, String> {
    let header = ["section", "name", "point", "quantity", "value", "file"].map(String::from);
    let records = rows.iter().map(|r| {
        let point = r.point.map(|p| p.to_string()).unwrap_or_default();
        [
            r.section.into(),
            r.name.clone(),
            point,
            r.quantity.clone(),
            r.value.clone(),
            r.file.clone(),
        ]
    });
    write_csv(header, records)
}

/// `manifest.csv`: `key,value` with nested keys joined by `.`.
pub fn manifest(m: &Json) -> Result<Vec<u8>, String> {
    let mut rows = Vec::new();
    flatten(m, "", &mut |k, v, _| rows.push([k, v]));
    write_csv(["key", "value"].map(String::from), rows.into_iter())
}

/// A CSV file of `header` and `records`.
fn write_csv<const N: usize>(
    header: [String; N],
    records: impl Iterator<Item = [String; N]>,
) -> Result<Vec<u8>, String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let fail = |e: ::csv::Error| e.to_string();
    w.write_record(&header).map_err(fail)?;
    for r in records {
        w.write_record(&r).map_err(fail)?;
    }
    w.into_inner().map_err(|e| e.to_string())
}
