//! Pictures of values: which report item (or summary) has a figure, and what it draws.

use super::spec::{Plot, Role, Series};
use crate::ir::outcome::Provenance;
use crate::ir::value::Value;

/// Most cells along each axis of a heat map; finer grids are thinned evenly.
pub const MAX_CELLS: usize = 200;

/// Indices `0..n` thinned to at most `max`, always keeping the last.
pub fn thinned(n: usize, max: usize) -> Vec<usize> {
    if n <= max {
        return (0..n).collect();
    }
    let mut picks: Vec<usize> = (0..max).map(|k| k * (n - 1) / (max - 1)).collect();
    picks.dedup();
    picks
}

pub fn provenance<'a>(all: &'a [Provenance], path: &[&str]) -> Option<&'a Provenance> {
    all.iter()
        .find(|p| p.path.iter().map(String::as_str).eq(path.iter().copied()))
}

/// A `number vs number` record's two sides (theory non-zero).
pub fn number_pair(v: &Value) -> Option<(f64, f64)> {
    v.field("abs_error").and(measured_theory(v))
}

/// A record's `measured` and `theory` numbers (theory non-zero).
pub fn measured_theory(v: &Value) -> Option<(f64, f64)> {
    match (v.field("measured"), v.field("theory")) {
        (Some(Value::Num(m)), Some(Value::Num(t))) if *t != 0.0 => Some((*m, *t)),
        _ => None,
    }
}

pub fn numbers(v: Option<&Value>) -> Option<Vec<f64>> {
    match v {
        Some(Value::Vector(xs)) => Some(xs.to_vec()),
        _ => None,
    }
}

/// The picture of one report item, if it has one.
pub fn classify(item: &str, v: &Value, prov: Option<&Provenance>) -> Option<Plot> {
    let kind = match v.field("kind") {
        Some(Value::Str(k)) => Some(&**k),
        _ => None,
    };
    let first_arg = || prov.and_then(|p| p.arg(0, "x")).unwrap_or("x").to_string();
    match (kind, v) {
        (Some("histogram vs theory"), _) => histogram_vs(v, first_arg()),
        (Some("plot"), _) => Some(asked_for(v, prov)),
        (Some("histogram"), _) => Some(Plot::Histogram {
            edges: numbers(v.field("edges"))?,
            density: numbers(v.field("density"))?,
            theory: None,
            xlabel: first_arg(),
        }),
        (_, Value::Record(_)) => record_plot(item, v, prov),
        (_, Value::Matrix(m)) if m.nrows() >= 2 && m.ncols() >= 2 => {
            let (rows, cols) = (thinned(m.nrows(), MAX_CELLS), thinned(m.ncols(), MAX_CELLS));
            let z = (rows.iter())
                .map(|&i| cols.iter().map(|&j| m[(i, j)]).collect())
                .collect();
            let index = |picks: &[usize]| picks.iter().map(|&i| i as f64).collect();
            Some(Plot::HeatMap {
                x: index(&cols),
                y: index(&rows),
                z,
                labels: ("column".into(), "row".into(), item.into()),
            })
        }
        (_, Value::List(rows)) => over_time(item, rows),
        _ => None,
    }
}

/// A `plot(x, y, error, theory)` the script asks for, axes labelled as written.
fn asked_for(v: &Value, prov: Option<&Provenance>) -> Plot {
    let label = |k: usize, n: &str| prov.and_then(|p| p.arg(k, n)).unwrap_or(n).to_string();
    Plot::Points {
        x: numbers(v.field("x")).unwrap_or_default(),
        y: numbers(v.field("y")).unwrap_or_default(),
        err: numbers(v.field("error")),
        line: None,
        theory: numbers(v.field("theory")),
        labels: (label(0, "x"), label(1, "y")),
    }
}

fn histogram_vs(v: &Value, xlabel: String) -> Option<Plot> {
    let centres = numbers(v.field("centres"))?;
    let range = numbers(v.field("range"))?;
    let mut edges = vec![range[0]];
    edges.extend(centres.windows(2).map(|w| 0.5 * (w[0] + w[1])));
    edges.push(range[1]);
    Some(Plot::Histogram {
        edges,
        density: numbers(v.field("measured"))?,
        theory: Some(numbers(v.field("theory"))?),
        xlabel,
    })
}

/// A record: a phase diagram (x, y, z), or measured against theory vectors.
pub fn record_plot(item: &str, v: &Value, prov: Option<&Provenance>) -> Option<Plot> {
    if let (Some(x), Some(y), Some(Value::Matrix(z))) =
        (numbers(v.field("x")), numbers(v.field("y")), v.field("z"))
    {
        let arg = |k: usize, n: &str| prov.and_then(|p| p.arg(k, n)).unwrap_or(n).to_string();
        let z = (0..z.nrows())
            .map(|i| (0..z.ncols()).map(|j| z[(i, j)]).collect())
            .collect();
        let labels = (arg(0, "x"), arg(1, "y"), arg(2, "z"));
        return Some(Plot::HeatMap { x, y, z, labels });
    }
    let (measured, theory) = (numbers(v.field("measured"))?, numbers(v.field("theory"))?);
    if measured.len() != theory.len() || measured.len() < 2 {
        return None;
    }
    let theory_label = prov
        .and_then(|p| p.theory.clone())
        .unwrap_or("theory".into());
    Some(Plot::Curves {
        x: (0..measured.len()).map(|i| i as f64).collect(),
        labels: ("index".into(), item.into()),
        series: vec![
            Series {
                label: "measured".into(),
                y: measured,
                role: Role::Measured,
            },
            Series {
                label: theory_label,
                y: theory,
                role: Role::Theory,
            },
        ],
    })
}

/// A list of equal-length vectors (one per observation): each component over time.
fn over_time(item: &str, rows: &[Value]) -> Option<Plot> {
    let rows: Vec<&[f64]> = (rows.iter())
        .map(|r| match r {
            Value::Vector(xs) => Some(xs.as_slice()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let width = rows.first()?.len();
    if rows.len() < 2 || width == 0 || rows.iter().any(|r| r.len() != width) {
        return None;
    }
    let series = (0..width)
        .map(|k| Series {
            label: format!("[{k}]"),
            y: rows.iter().map(|r| r[k]).collect(),
            role: Role::Member(k),
        })
        .collect();
    Some(Plot::Curves {
        x: (0..rows.len()).map(|i| i as f64).collect(),
        labels: ("observation".into(), item.into()),
        series,
    })
}
