//! Figures of a run, as SVG: every comparison a report makes (`histogram(x) vs law`, a curve
//! against a curve, numbers against numbers), every matrix and time series it holds, and every
//! sweep (a fit with its error bars, a phase diagram, each quantity against the varied name).
//!
//! [`figures`] decides what to draw from the values and their [`Provenance`] (the script's
//! text gives titles and axis labels); `draw` renders them with plotters.

mod draw;
mod jobs;
mod spec;
mod sweeps;
mod values;

pub use spec::{Figure, Plot, Role, Series};

use crate::ir::outcome::{Outcome, Provenance};
use crate::ir::value::Value;
use values::{classify, number_pair, provenance};

impl Figure {
    /// The figure as an SVG document.
    pub fn svg(&self) -> Result<String, String> {
        draw::svg(self)
    }
}

/// Every figure of a run, reports first, then sweeps, in the order of the script.
pub fn figures(outcome: &Outcome) -> Vec<Figure> {
    let mut out = Vec::new();
    for (report, value) in &outcome.reports {
        report_figures(report, value, &outcome.provenance, &mut out);
    }
    for (sweep, value) in &outcome.sweeps {
        sweeps::figures(sweep, value, &outcome.provenance, &mut out);
    }
    for (name, kind, value) in &outcome.jobs {
        jobs::figures(name, kind, value, &mut out);
    }
    out
}

/// The figure of one value (the REPL's `:plot`): whatever a report item of it would draw,
/// and a plain vector against its index.
pub fn figure_of(name: &str, title: &str, v: &Value) -> Option<Figure> {
    let plot = classify(name, v, None).or_else(|| match v {
        Value::Vector(ys) if ys.len() >= 2 => Some(Plot::Curves {
            x: (0..ys.len()).map(|i| i as f64).collect(),
            labels: ("index".into(), name.into()),
            series: vec![Series {
                label: name.into(),
                y: ys.to_vec(),
                role: Role::Measured,
            }],
        }),
        _ => None,
    })?;
    Some(Figure {
        name: name.into(),
        title: title.into(),
        plot,
    })
}

/// The number-vs-number comparisons of an item: itself, or the mean and variance of a
/// `sample vs distribution` (`law.mean`, `law.variance`).
fn number_pairs(item: &str, v: &Value) -> Vec<(String, (f64, f64))> {
    if let Some(pair) = number_pair(v) {
        return vec![(item.to_string(), pair)];
    }
    if !matches!(v.field("kind"), Some(Value::Str(k)) if &**k == "sample vs distribution") {
        return Vec::new();
    }
    let side = |f: &str| v.field(f).and_then(values::measured_theory);
    (["mean", "variance"].iter())
        .filter_map(|f| Some((format!("{item}.{f}"), side(f)?)))
        .collect()
}

/// A report's figures: one per item that has a picture, and one of all its number-vs-number
/// comparisons.
fn report_figures(report: &str, value: &Value, all: &[Provenance], out: &mut Vec<Figure>) {
    let Value::Record(items) = value else { return };
    let (mut names, mut ratios) = (Vec::new(), Vec::new());
    for (item, v) in items.iter() {
        let prov = provenance(all, &[report, item]);
        let pairs = number_pairs(item, v);
        if !pairs.is_empty() {
            for (name, (m, t)) in pairs {
                names.push(name);
                ratios.push(m / t);
            }
            continue;
        }
        let title = prov.map(|p| p.text.clone()).unwrap_or_else(|| item.clone());
        if let Some(plot) = classify(item, v, prov) {
            let name = format!("{report}.{item}");
            out.push(Figure { name, title, plot });
        }
    }
    if !names.is_empty() {
        out.push(Figure {
            name: format!("{report}.measured_vs_theory"),
            title: format!("report {report}: measured / theory"),
            plot: Plot::Ratios { names, ratios },
        });
    }
}
