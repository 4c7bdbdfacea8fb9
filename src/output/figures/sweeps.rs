//! A sweep's figures: its summary when it is a fit (`fit_line(x, y, sigma = e)`: the points
//! with their error bars and the fitted line) or a phase diagram (a heat map), and otherwise,
//! over one varied name, every quantity against it (with `NAME_error` as its error bars).

use super::spec::{Figure, Plot};
use super::values::{numbers, provenance, record_plot};
use crate::ir::outcome::Provenance;
use crate::ir::value::Value;

pub fn figures(sweep: &str, value: &Value, all: &[Provenance], out: &mut Vec<Figure>) {
    let before = out.len();
    if let Some(summary) = value.field("summary") {
        summary_figures(sweep, value, summary, all, out);
    }
    if out.len() > before {
        return;
    }
    let varied: Vec<&str> = provenance(all, &[sweep])
        .map(|p| p.args.iter().map(|(_, n)| n.as_str()).collect())
        .unwrap_or_default();
    if let [x] = varied[..] {
        against_varied(sweep, value, x, out);
    }
}

/// The summary's figures: itself, or each field of a record summary.
fn summary_figures(
    sweep: &str,
    value: &Value,
    summary: &Value,
    all: &[Provenance],
    out: &mut Vec<Figure>,
) {
    let mut one = |path: Vec<&str>, v: &Value| {
        let prov = provenance(all, &path);
        let item = path.last().copied().unwrap_or("summary");
        let plot = fit_points(value, v, prov).or_else(|| record_plot(item, v, prov))?;
        let title = prov.map(|p| p.text.clone()).unwrap_or(path.join("."));
        out.push(Figure {
            name: format!("sweep.{}", path.join(".")),
            title: format!("sweep {sweep}: {title}"),
            plot,
        });
        Some(())
    };
    if one(vec![sweep, "summary"], summary).is_some() {
        return;
    }
    if let Value::Record(fields) = summary {
        for (name, v) in fields.iter() {
            one(vec![sweep, "summary", name], v);
        }
    }
}

/// `fit_line(x, y, sigma = e)` over the sweep's quantities: the points, their error bars and
/// the line.
fn fit_points(sweep: &Value, fit: &Value, prov: Option<&Provenance>) -> Option<Plot> {
    let (Some(Value::Num(slope)), Some(Value::Num(intercept))) =
        (fit.field("slope"), fit.field("intercept"))
    else {
        return None;
    };
    let prov = prov?;
    let column = |k: usize, name: &str| -> Option<(String, Vec<f64>)> {
        let written = prov.arg(k, name)?;
        Some((written.to_string(), numbers(sweep.field(written))?))
    };
    let ((xl, x), (yl, y)) = (column(0, "x")?, column(1, "y")?);
    let err = column(2, "sigma").map(|(_, e)| e);
    Some(Plot::Points {
        x,
        y,
        err,
        line: Some((*intercept, *slope)),
        theory: None,
        labels: (xl, yl),
    })
}

/// Every quantity of a sweep over one name, against it.
fn against_varied(sweep: &str, value: &Value, x_name: &str, out: &mut Vec<Figure>) {
    let (Value::Record(fields), Some(x)) = (value, numbers(value.field(x_name))) else {
        return;
    };
    for (name, v) in fields.iter() {
        let Value::Vector(y) = v else { continue };
        if name == x_name || name.ends_with("_error") || y.len() != x.len() {
            continue;
        }
        let err = numbers(value.field(&format!("{name}_error")));
        out.push(Figure {
            name: format!("sweep.{sweep}.{name}"),
            title: format!("sweep {sweep}: {name} against {x_name}"),
            plot: Plot::Points {
                x: x.clone(),
                y: y.to_vec(),
                err,
                line: None,
                theory: None,
                labels: (x_name.to_string(), name.clone()),
            },
        });
    }
}
