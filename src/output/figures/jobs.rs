//! Figures of the jobs themselves: a 1D density (`fokker_planck`, `pde`) at each kept time, a
//! 2D one as a heat map of the final density, a `coulomb_gas` spectrum over time (each
//! eigenvalue's mean over the runs, when it keeps a history), and every scalar a `train`
//! block observes, over the steps (each run, and the mean over the runs).

use super::spec::{Figure, Plot, Role, Series};
use super::values::{numbers, thinned, MAX_CELLS};
use crate::ir::value::Value;

/// Most curves drawn for one family (kept times, runs); more are thinned evenly.
const MAX_CURVES: usize = 10;

pub fn figures(name: &str, kind: &str, v: &Value, out: &mut Vec<Figure>) {
    let mut push = |what: &str, title: String, plot: Option<Plot>| {
        if let Some(plot) = plot {
            let name = format!("{name}.{what}");
            out.push(Figure { name, title, plot });
        }
    };
    match kind {
        "fokker_planck" | "pde" => {
            let field = if kind == "pde" { "field" } else { "density" };
            let title = format!("{kind} {name}: {field} at the kept times");
            push(field, title, density_over_time(v, field));
            let title = format!("{kind} {name}: final {field}");
            push("final", title, final_map(v));
        }
        "coulomb_gas" => {
            let title = format!("coulomb_gas {name}: mean eigenvalues over time");
            push("history", title, spectrum_over_time(v));
        }
        "train" => train_figures(name, v, out),
        _ => {}
    }
}

/// A 1D density (rows: kept times, columns: cells) at each kept time.
fn density_over_time(v: &Value, field: &str) -> Option<Plot> {
    let (x, times) = (numbers(v.field("x"))?, numbers(v.field("times"))?);
    let Some(Value::Matrix(d)) = v.field(field) else {
        return None;
    };
    if d.ncols() != x.len() || d.nrows() != times.len() || v.field("y").is_some() {
        return None;
    }
    let series = (thinned(times.len(), MAX_CURVES).into_iter().enumerate())
        .map(|(k, r)| Series {
            label: format!("t = {}", crate::number::sig(times[r], 3)),
            y: (0..d.ncols()).map(|j| d[(r, j)]).collect(),
            role: Role::Member(k),
        })
        .collect();
    Some(Plot::Curves {
        x,
        labels: ("x".into(), field.into()),
        series,
    })
}

/// A 2D final density, `final[i, j]` at (x[i], y[j]), as a heat map over x and y.
fn final_map(v: &Value) -> Option<Plot> {
    let (x, y) = (numbers(v.field("x"))?, numbers(v.field("y"))?);
    let Some(Value::Matrix(f)) = v.field("final") else {
        return None;
    };
    if f.nrows() != x.len() || f.ncols() != y.len() {
        return None;
    }
    let (xs, ys) = (thinned(x.len(), MAX_CELLS), thinned(y.len(), MAX_CELLS));
    let z = (ys.iter())
        .map(|&j| xs.iter().map(|&i| f[(i, j)]).collect())
        .collect();
    Some(Plot::HeatMap {
        x: xs.iter().map(|&i| x[i]).collect(),
        y: ys.iter().map(|&j| y[j]).collect(),
        z,
        labels: ("x".into(), "y".into(), "density".into()),
    })
}

/// The mean over runs of each eigenvalue at each record time; `history` holds the runs one
/// after another, `times.len()` rows each.
fn spectrum_over_time(v: &Value) -> Option<Plot> {
    let times = numbers(v.field("times"))?;
    let (Some(Value::Matrix(h)), Some(Value::Num(runs))) = (v.field("history"), v.field("runs"))
    else {
        return None;
    };
    let (t, runs) = (times.len(), *runs as usize);
    if t < 2 || runs == 0 || h.nrows() != t * runs {
        return None;
    }
    let mean = |k: usize, i: usize| (0..runs).map(|r| h[(r * t + k, i)]).sum::<f64>() / runs as f64;
    let series = (0..h.ncols())
        .map(|i| Series {
            label: format!("λ[{i}]"),
            y: (0..t).map(|k| mean(k, i)).collect(),
            role: Role::Member(i),
        })
        .collect();
    Some(Plot::Curves {
        x: times,
        labels: ("t".into(), "mean eigenvalue".into()),
        series,
    })
}

/// Every observed scalar (a list over runs of one vector over the observations) against the
/// step: the first runs and the mean over all runs that reached each observation.
fn train_figures(name: &str, v: &Value, out: &mut Vec<Figure>) {
    let Some(Value::Record(observed)) = v.field("observed") else {
        return;
    };
    let Some(steps) = numbers(observed_step(v)) else {
        return;
    };
    for (q, runs) in observed.iter().filter(|(q, _)| q != "step") {
        let Value::List(runs) = runs else { continue };
        if let Some(plot) = components_over_steps(&steps, q, runs) {
            let title = format!("train {name}: {q} over the steps (mean over the runs)");
            out.push(Figure {
                name: format!("{name}.{q}"),
                title,
                plot,
            });
            continue;
        }
        let curves: Option<Vec<&[f64]>> = (runs.iter())
            .map(|r| match r {
                Value::Vector(y) if y.len() <= steps.len() => Some(y.as_slice()),
                _ => None,
            })
            .collect();
        let Some(curves) = curves.filter(|c| !c.is_empty()) else {
            continue;
        };
        out.push(Figure {
            name: format!("{name}.{q}"),
            title: format!("train {name}: {q} over the steps"),
            plot: over_steps(&steps, q, &curves),
        });
    }
}

fn over_steps(steps: &[f64], q: &str, curves: &[&[f64]]) -> Plot {
    let padded = |y: &[f64]| -> Vec<f64> {
        (0..steps.len())
            .map(|k| y.get(k).copied().unwrap_or(f64::NAN))
            .collect()
    };
    let mut series: Vec<Series> = (thinned(curves.len(), MAX_CURVES).into_iter())
        .map(|r| Series {
            label: format!("run {r}"),
            y: padded(curves[r]),
            role: Role::Member(r),
        })
        .collect();
    if curves.len() > 1 {
        let mean = (0..steps.len()).map(|k| {
            let reached: Vec<f64> = curves.iter().filter_map(|c| c.get(k).copied()).collect();
            reached.iter().sum::<f64>() / reached.len() as f64
        });
        series.push(Series {
            label: format!("mean over {} runs", curves.len()),
            y: mean.collect(),
            role: Role::Measured,
        });
    }
    Plot::Curves {
        x: steps.to_vec(),
        labels: ("step".into(), q.into()),
        series,
    }
}

fn observed_step(v: &Value) -> Option<&Value> {
    v.field("observed")?.field("step")
}

/// A vector observed per step (a matrix per run, one row per observation): each component's
/// mean over the runs against the step.
fn components_over_steps(steps: &[f64], q: &str, runs: &[Value]) -> Option<Plot> {
    let mats: Vec<&faer::Mat<f64>> = (runs.iter())
        .map(|r| match r {
            Value::Matrix(m) if m.nrows() == steps.len() => Some(&**m),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let width = mats.first()?.ncols();
    if mats.iter().any(|m| m.ncols() != width) {
        return None;
    }
    let mean = |k: usize, i: usize| mats.iter().map(|m| m[(k, i)]).sum::<f64>() / mats.len() as f64;
    let series = (0..width)
        .map(|i| Series {
            label: format!("[{i}]"),
            y: (0..steps.len()).map(|k| mean(k, i)).collect(),
            role: Role::Member(i),
        })
        .collect();
    Some(Plot::Curves {
        x: steps.to_vec(),
        labels: ("step".into(), q.into()),
        series,
    })
}
