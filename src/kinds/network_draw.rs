//! A network's weights: drawn from its architecture (the `network` kind's realizer), read
//! into the backend's model for training, and written back into the same record, so what a
//! script reads of a network (`net.layer[k].W`, `rbm.W`) is the same before, during and after
//! training.

use crate::backend::nn::activation::Activation;
use crate::backend::nn::mlp::Mlp;
use crate::backend::nn::rbm::GaussianRbm;
use crate::backend::rng::Rng;
use crate::eval::args::matrix_value as matrix;
use crate::eval::error::{Result, RunError};
use crate::eval::state::{Draw, Evaluator};
use crate::ir::value::{Dist, Func, Value};
use crate::schema::Choice;
use crate::span::Span;
use std::sync::Arc;

/// A network as the backend trains it.
pub enum Model {
    /// An `mlp`, `deep_linear` or `autoencoder`, with the layers that train.
    Perceptron {
        net: Mlp,
        trainable: Vec<bool>,
        autoencoder: bool,
    },
    Rbm(GaussianRbm),
}

fn internal(span: Span, what: &str) -> RunError {
    RunError::new(span, format!("not a network: {what}"))
        .code(crate::diag::ErrorCode::RunType)
        .help("a network is declared with `network NAME = mlp(...)` (or deep_linear, autoencoder, gaussian_rbm)")
}

fn text<'a>(v: &'a Value, name: &str, span: Span) -> Result<&'a str> {
    match v.field(name) {
        Some(Value::Str(s)) => Ok(s),
        _ => Err(internal(span, &format!("it has no `{name}`"))),
    }
}

fn number(v: &Value, name: &str, span: Span) -> Result<f64> {
    match v.field(name) {
        Some(Value::Num(x)) => Ok(*x),
        _ => Err(internal(span, &format!("it has no number `{name}`"))),
    }
}

fn sizes(v: &Value, name: &str, span: Span) -> Result<Vec<usize>> {
    match v.field(name) {
        Some(Value::Vector(xs)) => Ok(xs.iter().map(|&x| x as usize).collect()),
        _ => Err(internal(span, &format!("it has no vector `{name}`"))),
    }
}

/// The law of a layer's entries: the architecture's `key` (a law, a number, or a function of
/// (fan_in, fan_out, layer), of (fan_in, fan_out) or of fan_in giving one), else `default`.
fn layer_law(
    ev: &Evaluator,
    spec: &Value,
    key: &str,
    default: Dist,
    shape: (usize, usize, usize),
    span: Span,
    draw: &Draw,
) -> Result<Dist> {
    let law = match spec.field(key) {
        None => return Ok(default),
        Some(Value::Func(f)) => {
            let arity = match f.as_ref() {
                Func::Closure { params, .. } => *params,
                _ => 1,
            };
            let args = [shape.0, shape.1, shape.2].map(|n| Value::Num(n as f64));
            ev.call_func(
                &Value::Func(f.clone()),
                args[..arity.min(3)].to_vec(),
                span,
                draw,
            )?
        }
        Some(v) => v.clone(),
    };
    match law {
        Value::Dist(d) => Ok(d.as_ref().clone()),
        Value::Num(c) if c.is_finite() => Ok(Dist::Uniform { low: c, high: c }),
        other => Err(RunError::new(
            span,
            format!(
                "`{key}` must give a law of the weights (such as normal(var = 1 / fan_in)) or a number, but gives {}",
                other.describe()
            ),
        )
        .code(crate::diag::ErrorCode::RunType)),
    }
}

/// Entries drawn i.i.d. from `law` (a point mass `Uniform{c, c}` gives c exactly).
fn draw_entries(law: &Dist, out: &mut [f64], rng: &mut Rng) {
    for x in out {
        *x = match law {
            Dist::Uniform { low, high } if low == high => *low,
            d => d.sample(rng),
        };
    }
}

/// The `network` kind's realizer: the architecture with its weights drawn, layer by layer
/// (W before b, row by row).
pub fn realize(
    ev: &Evaluator,
    spec: Value,
    rng: &mut Rng,
    span: Span,
    draw: &Draw,
) -> Result<Value> {
    if text(&spec, "network", span)? == "gaussian_rbm" {
        let visible = number(&spec, "visible", span)? as usize;
        let hidden = number(&spec, "hidden", span)? as usize;
        let default = Dist::Normal { mean: 0.0, sd: 0.1 };
        let law = layer_law(ev, &spec, "init", default, (visible, hidden, 0), span, draw)?;
        let mut w = vec![0.0; visible * hidden];
        draw_entries(&law, &mut w, rng);
        let rbm = rbm_shell(&spec, span)?;
        return Ok(with_weights(&spec, &Model::Rbm(GaussianRbm { w, ..rbm })));
    }
    let Model::Perceptron {
        mut net,
        trainable,
        autoencoder,
    } = perceptron_shell(&spec, span)?
    else {
        unreachable!("a perceptron's shell")
    };
    for k in 0..net.layers.len() {
        let (fan_in, fan_out) = (net.layers[k].fan_in, net.layers[k].fan_out);
        let default = Dist::Normal {
            mean: 0.0,
            sd: (1.0 / fan_in as f64).sqrt(),
        };
        let law = layer_law(ev, &spec, "init", default, (fan_in, fan_out, k), span, draw)?;
        let w = net.layers[k].w.clone();
        draw_entries(&law, &mut net.params[w], rng);
        if let Some(b) = net.layers[k].b.clone() {
            let zero = Dist::Uniform {
                low: 0.0,
                high: 0.0,
            };
            let law = layer_law(
                ev,
                &spec,
                "bias_init",
                zero,
                (fan_in, fan_out, k),
                span,
                draw,
            )?;
            draw_entries(&law, &mut net.params[b], rng);
        }
    }
    Ok(with_weights(
        &spec,
        &Model::Perceptron {
            net,
            trainable,
            autoencoder,
        },
    ))
}

/// The backend's perceptron of an architecture, all weights 0.
fn perceptron_shell(spec: &Value, span: Span) -> Result<Model> {
    let widths = sizes(spec, "widths", span)?;
    let activation = Activation::parse(text(spec, "activation", span)?)
        .ok_or_else(|| internal(span, "its activation is unknown"))?;
    let bias = matches!(spec.field("bias"), Some(Value::Bool(true)));
    let net = Mlp::new(&widths, activation, bias)
        .map_err(|e| RunError::new(span, e.to_string()).code(crate::diag::ErrorCode::RunValue))?;
    let mut trainable = vec![false; net.layers.len()];
    for k in sizes(spec, "trainable", span)? {
        if let Some(t) = trainable.get_mut(k) {
            *t = true;
        }
    }
    let autoencoder = text(spec, "network", span)? == "autoencoder";
    Ok(Model::Perceptron {
        net,
        trainable,
        autoencoder,
    })
}

fn rbm_shell(spec: &Value, span: Span) -> Result<GaussianRbm> {
    let (v, h) = (
        number(spec, "visible", span)?,
        number(spec, "hidden", span)?,
    );
    let (mu2, sigma_h) = (number(spec, "mu2", span)?, number(spec, "sigma_h", span)?);
    GaussianRbm::new(v as usize, h as usize, mu2, sigma_h)
        .map_err(|e| RunError::new(span, e.to_string()).code(crate::diag::ErrorCode::RunValue))
}

/// The backend's model of a network's value (its current weights).
pub fn model_of(v: &Value, span: Span) -> Result<Model> {
    if text(v, "network", span)? == "gaussian_rbm" {
        let mut rbm = rbm_shell(v, span)?;
        let Some(Value::Matrix(w)) = v.field("W") else {
            return Err(internal(span, "the RBM has no weights `W`"));
        };
        rbm.w = crate::eval::args::matrix_entries(w);
        return Ok(Model::Rbm(rbm));
    }
    let mut model = perceptron_shell(v, span)?;
    let Model::Perceptron { net, .. } = &mut model else {
        unreachable!("a perceptron's shell")
    };
    let Some(Value::List(layers)) = v.field("layer") else {
        return Err(internal(span, "it has no `layer` list"));
    };
    for (layer, value) in net.layers.iter().zip(layers.iter()) {
        if let Some(Value::Matrix(w)) = value.field("W") {
            net.params[layer.w.clone()].copy_from_slice(&crate::eval::args::matrix_entries(w));
        }
        if let (Some(b), Some(Value::Vector(bv))) = (&layer.b, value.field("b")) {
            net.params[b.clone()].copy_from_slice(bv);
        }
    }
    Ok(model)
}

/// The network's record with the model's weights: `layer` (a list of {W, b}) for a
/// perceptron, `W` for the RBM; every other field of `spec` kept.
pub fn with_weights(spec: &Value, m: &Model) -> Value {
    let weights: Vec<(String, Value)> = match m {
        Model::Rbm(r) => vec![("W".into(), matrix(r.visible, r.hidden, &r.w))],
        Model::Perceptron { net, .. } => {
            let layers = net.layers.iter().map(|l| {
                let mut f = vec![(
                    "W".to_string(),
                    matrix(l.fan_out, l.fan_in, &net.params[l.w.clone()]),
                )];
                if let Some(b) = &l.b {
                    f.push(("b".into(), Value::vector(net.params[b.clone()].to_vec())));
                }
                Value::record(f)
            });
            vec![("layer".into(), Value::List(Arc::new(layers.collect())))]
        }
    };
    let mut fields: Vec<(String, Value)> = match spec {
        Value::Record(f) => f
            .iter()
            .filter(|(n, _)| n != "layer" && n != "W")
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    fields.extend(weights);
    Value::record(fields)
}
