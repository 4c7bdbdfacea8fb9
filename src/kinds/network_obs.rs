//! Observables of networks (document 002): a network's outputs and last-hidden-layer
//! features on inputs, the alignment of the features with the "external field" of the
//! disordered-system form of the loss, the time correlation G(t, t′) of the features, and the
//! phase diagram of a sweep.

use super::fields::value_error as bad;
use super::network_draw::{model_of, Model};
use crate::backend::nn::mlp::{Mlp, Workspace};
use crate::builtins::{num, req, Builtin, Mode, Ret};
use crate::eval::args::{matrix, matrix_entries, matrix_value, Args};
use crate::eval::error::Result;
use crate::eval::kernel::{Kernel, Row};
use crate::ir::value::Value;
use crate::span::Span;
use crate::types::ParamTy;
use faer::Mat;
use std::sync::Arc;

/// The observables' builtins.
pub static ROWS: &[Row] = &[
    Row {
        sig: Builtin {
            name: "forward",
            params: &[req("net", ParamTy::Any), req("x", ParamTy::Numeric)],
            ret: Ret::Matrix,
            mode: Mode::Plain,
            doc: "the outputs ŷ of a perceptron network for the inputs x (one per row; a vector is one input): samples × n_L (e.g. `forward(net, M)`)",
        },
        run: Kernel::Pure(forward),
    },
    Row {
        sig: Builtin {
            name: "outputs",
            params: &[req("net", ParamTy::Any), req("inputs", ParamTy::Numeric), num("draws", 1.0), num("layer", 0.0)],
            ret: Ret::Matrix,
            mode: Mode::Sampled,
            doc: "the pre-activations z^(ℓ) of a perceptron network on P inputs (one per row) for `draws` = K independent initialisations, in parallel (draw d is the network's draw d): a K × (P n_ℓ) matrix, one draw per row, the columns input-major (column α n_ℓ + i is neuron i at input α); layer ℓ = 1, …, L counts the weight layers (z^(ℓ) has width widths[ℓ]), 0 or L the outputs (003) (e.g. `outputs(net, [1, 0, 0], draws = 100, layer = 1)`)",
        },
        run: Kernel::Pure(outputs),
    },
    Row {
        sig: Builtin {
            name: "features",
            params: &[req("net", ParamTy::Any), req("x", ParamTy::Numeric)],
            ret: Ret::Matrix,
            mode: Mode::Plain,
            doc: "the features φ_jα = σ(z_j^(L−1)(x_α)) of the last hidden layer for the inputs x: samples × n_{L−1} (002) (e.g. `features(net, d.test_x)`)",
        },
        run: Kernel::Pure(features),
    },
    Row {
        sig: Builtin {
            name: "feature_alignment",
            params: &[req("net", ParamTy::Any), req("x", ParamTy::Matrix), req("y", ParamTy::Matrix)],
            ret: Ret::Num,
            mode: Mode::Plain,
            doc: "(1/|D|) Σ_α h_α·φ_α / (|h_α||φ_α|): the cosine between the features φ_α and the field h_jα = Σ_i y_iα W^(L)_ij of L = (1/2|D|)Σ φᵀJφ − (1/|D|)Σ h·φ (002), in [−1, 1] (e.g. `feature_alignment(net, d.test_x, d.test_y)`)",
        },
        run: Kernel::Pure(feature_alignment),
    },
    Row {
        sig: Builtin {
            name: "time_correlation",
            params: &[req("phi", ParamTy::Any)],
            ret: Ret::Matrix,
            mode: Mode::Plain,
            doc: "G(t, t′) = E_runs[(1/m) Σ_k φ_k(t) φ_k(t′)] of observations φ(t) (one row per time, m numbers each, e.g. flatten(features(model, x))), averaged over a list of runs (002) (e.g. `time_correlation(training.observed.phi)`)",
        },
        run: Kernel::Pure(time_correlation),
    },
    Row {
        sig: Builtin {
            name: "phase_diagram",
            params: &[req("x", ParamTy::Vector), req("y", ParamTy::Vector), req("z", ParamTy::Vector)],
            ret: Ret::Record,
            mode: Mode::Plain,
            doc: "z over the grid of the distinct x and y of a sweep's points: {x, y, z (len(y) × len(x), the mean of z over points that share (x, y)), count} (e.g. `phase_diagram([1, 1, 2, 2], [1, 2, 1, 2], [0.1, 0.2, 0.3, 0.4])`)",
        },
        run: Kernel::Pure(phase_diagram),
    },
];

/// The perceptron of a network value, and its inputs with their count.
fn perceptron(a: &Args, span: Span) -> Result<(Mlp, Vec<f64>, usize)> {
    let net = a[0].as_ref().expect("required");
    let Model::Perceptron { net, .. } = model_of(net, span)? else {
        return Err(bad(
            span,
            "this needs a perceptron network (mlp, deep_linear, autoencoder)".into(),
        ));
    };
    let (x, rows, cols) = match &a[1] {
        Some(Value::Vector(v)) => (v.to_vec(), 1, v.len()),
        _ => {
            let m = matrix(&a[1], "x", span)?;
            (matrix_entries(m), m.nrows(), m.ncols())
        }
    };
    if cols != net.widths[0] {
        return Err(bad(
            span,
            format!(
                "the inputs have {cols} entries each, but the network takes {}",
                net.widths[0]
            ),
        ));
    }
    Ok((net, x, rows))
}

fn forward(a: &Args, span: Span) -> Result<Value> {
    let (net, x, n) = perceptron(a, span)?;
    let mut ws = Workspace::new(&net, n.max(1));
    let out = net.forward(&x, n, &mut ws).to_vec();
    Ok(matrix_value(n, net.widths[net.widths.len() - 1], &out))
}

/// One draw of `outputs`: z^(ℓ) of the rows of the inputs, flattened input-major.
fn outputs(a: &Args, span: Span) -> Result<Value> {
    let (net, x, n) = perceptron(a, span)?;
    let depth = net.depth();
    let layer = crate::eval::args::whole(a[3].as_ref().expect("defaulted"), "layer", span)?;
    if layer > depth {
        let msg = format!("`layer` must be 1 … {depth} (the network's weight layers), or 0 for the outputs, but is {layer}");
        return Err(bad(span, msg));
    }
    let mut ws = Workspace::new(&net, n.max(1));
    let out = net.forward(&x, n, &mut ws).to_vec();
    if layer == 0 || layer == depth {
        return Ok(Value::vector(out));
    }
    Ok(Value::vector(net.pre_activations(layer, &ws).to_vec()))
}

/// φ = a_{L−1} for the rows of x; a network without hidden layers has its inputs as features.
fn feature_rows(net: &Mlp, x: &[f64], n: usize) -> (Vec<f64>, usize) {
    let mut ws = Workspace::new(net, n.max(1));
    net.forward(x, n, &mut ws);
    let width = net.widths[net.widths.len() - 2];
    (net.features(&ws).to_vec(), width)
}

fn features(a: &Args, span: Span) -> Result<Value> {
    let (net, x, n) = perceptron(a, span)?;
    let (phi, m) = feature_rows(&net, &x, n);
    Ok(matrix_value(n, m, &phi))
}

fn feature_alignment(a: &Args, span: Span) -> Result<Value> {
    let (net, x, n) = perceptron(a, span)?;
    let y = matrix(&a[2], "y", span)?;
    let last = &net.layers[net.layers.len() - 1];
    if y.nrows() != n || y.ncols() != last.fan_out {
        return Err(bad(
            span,
            format!(
                "the targets must be {n} × {}, but are {}×{}",
                last.fan_out,
                y.nrows(),
                y.ncols()
            ),
        ));
    }
    let (phi, m) = feature_rows(&net, &x, n);
    let w = &net.params[last.w.clone()];
    let mut total = 0.0;
    for alpha in 0..n {
        let f = &phi[alpha * m..(alpha + 1) * m];
        let h: Vec<f64> = (0..m)
            .map(|j| {
                (0..last.fan_out)
                    .map(|i| y[(alpha, i)] * w[i * m + j])
                    .sum()
            })
            .collect();
        let norm =
            (h.iter().map(|v| v * v).sum::<f64>() * f.iter().map(|v| v * v).sum::<f64>()).sqrt();
        if norm > 0.0 {
            total += h.iter().zip(f).map(|(p, q)| p * q).sum::<f64>() / norm;
        }
    }
    Ok(Value::Num(total / n as f64))
}

/// (1/m) Φ Φᵀ of one run's observations (rows φ(t)).
fn correlation(m: &Mat<f64>) -> Mat<f64> {
    let (t, k) = (m.nrows(), m.ncols());
    Mat::from_fn(t, t, |a, b| {
        (0..k).map(|j| m[(a, j)] * m[(b, j)]).sum::<f64>() / k as f64
    })
}

fn time_correlation(a: &Args, span: Span) -> Result<Value> {
    let runs: Vec<Arc<Mat<f64>>> = match a[0].as_ref().expect("required") {
        Value::Matrix(m) => vec![m.clone()],
        Value::List(l) => l
            .iter()
            .map(|v| match v {
                Value::Matrix(m) => Ok(m.clone()),
                other => Err(bad(span, format!("each run's observations must be a matrix (one row per time), but one is {}", other.describe()))),
            })
            .collect::<Result<_>>()?,
        other => return Err(bad(span, format!("`phi` must be a matrix of observations or a list of them, one per run, but is {}", other.describe()))),
    };
    let t = runs[0].nrows();
    let t_min = runs.iter().map(|m| m.nrows()).min().unwrap_or(0);
    if t_min == 0 {
        return Err(bad(span, "a run has no observations".into()));
    }
    let t = t.min(t_min);
    let mut g = Mat::<f64>::zeros(t, t);
    for m in &runs {
        let c = correlation(&m.as_ref().subrows(0, t).to_owned());
        g += &c;
    }
    g *= faer::Scale(1.0 / runs.len() as f64);
    Ok(Value::Matrix(Arc::new(g)))
}

fn distinct(xs: &[f64]) -> Vec<f64> {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

fn phase_diagram(a: &Args, span: Span) -> Result<Value> {
    let x = crate::eval::args::numbers(&a[0], "x", span)?;
    let y = crate::eval::args::numbers(&a[1], "y", span)?;
    let z = crate::eval::args::numbers(&a[2], "z", span)?;
    if x.len() != y.len() || x.len() != z.len() {
        return Err(bad(
            span,
            format!(
                "x, y and z need one value per sweep point, but have {}, {} and {}",
                x.len(),
                y.len(),
                z.len()
            ),
        ));
    }
    let (xs, ys) = (distinct(x), distinct(y));
    let mut sum = Mat::<f64>::zeros(ys.len(), xs.len());
    let mut count = Mat::<f64>::zeros(ys.len(), xs.len());
    for ((&xi, &yi), &zi) in x.iter().zip(y).zip(z) {
        let i = ys.iter().position(|&v| v == yi).expect("distinct");
        let j = xs.iter().position(|&v| v == xi).expect("distinct");
        sum[(i, j)] += zi;
        count[(i, j)] += 1.0;
    }
    if let Some((i, j)) = (0..ys.len())
        .flat_map(|i| (0..xs.len()).map(move |j| (i, j)))
        .find(|&(i, j)| count[(i, j)] == 0.0)
    {
        return Err(bad(
            span,
            format!(
                "the sweep has no point at x = {}, y = {}: a phase diagram needs the whole grid",
                xs[j], ys[i]
            ),
        ));
    }
    let mean = Mat::from_fn(ys.len(), xs.len(), |i, j| sum[(i, j)] / count[(i, j)]);
    Ok(Value::record(vec![
        ("x".into(), Value::vector(xs)),
        ("y".into(), Value::vector(ys)),
        ("z".into(), Value::Matrix(Arc::new(mean))),
        ("count".into(), Value::Matrix(Arc::new(count))),
    ]))
}
