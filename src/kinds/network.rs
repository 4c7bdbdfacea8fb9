//! `network NAME = mlp(...) | deep_linear(...) | autoencoder(...) | gaussian_rbm(...)`: a
//! network, drawn afresh for every draw. The constructor is the architecture (widths,
//! activation, biases, the law of each layer's weights, which layers train); the kind's
//! realizer draws the weights from the declaration's own stream, so `net.layer[k].W` reads
//! one draw's matrices, `eigvals(net.layer[0].W' * net.layer[0].W, draws = 1000)` pools a
//! thousand initialisations, and run r of a `train` block starts from draw r.
//!
//! Layers are numbered from 0 like every index: layer k maps `widths[k]` → `widths[k+1]`,
//! its matrix `W` is `widths[k+1]` × `widths[k]` (z = W a + b), and the last layer is linear.

use super::fields::value_error as bad;
use super::kind::Kind;
use super::network_draw::realize;
use crate::backend::nn::activation::Activation;
use crate::builtins::{auto, req, Builtin, Mode, Param, Ret};
use crate::eval::args::{count, num, Args};
use crate::eval::error::Result;
use crate::eval::kernel::{Kernel, Row};
use crate::eval::state::{Draw, Evaluator};
use crate::ir::value::Value;
use crate::schema::{Choice, Form, KindSchema};
use crate::span::Span;
use crate::types::ParamTy;

/// The schema of `network` declarations.
pub static SCHEMA: KindSchema = KindSchema {
    name: "network",
    form: Form::Constructor(&["mlp", "deep_linear", "autoencoder", "gaussian_rbm"]),
    fields: &[],
    scope: &[],
    per_draw: true,
    runs_are_draws: false,
    rebinds: &[],
    pairings: &[],
    doc: "a network with random initial weights, drawn afresh for every draw (and every run of `train`): `network net = mlp(widths = [3, 32, 16, 1], activation = tanh, init = normal(var = sigma_w^2 / fan_in))`",
    example: r#"network net = mlp(widths = [3, 16, 1], activation = "tanh", init = normal(var = 1 / fan_in))
report r { w = net.layer[0].W }"#,
};

/// The kind in the registry.
pub static KIND: Kind = Kind {
    schema: &SCHEMA,
    run: None,
    realize: Some(realize),
};

const INIT: Param = auto(
    "init",
    ParamTy::LayerLaw,
    "normal(var = 1 / fan_in); a law, or a law of the layer's fan_in, fan_out and layer (its index from 0)",
);
const BIAS_INIT: Param = auto("bias_init", ParamTy::LayerLaw, "0: biases start at zero");
const TRAINABLE: Param = auto(
    "trainable",
    ParamTy::Vector,
    "every layer; indices from 0 (layer k maps widths[k] → widths[k+1])",
);
const ACTIVATION: Param = auto("activation", ParamTy::Choice(Activation::NAMES), "\"tanh\"");
const BIAS: Param = auto("bias", ParamTy::Bool, "false");

/// The constructors of networks.
pub static ROWS: &[Row] = &[
    Row {
        sig: Builtin {
            name: "mlp",
            params: &[req("widths", ParamTy::Vector), ACTIVATION, BIAS, INIT, BIAS_INIT, TRAINABLE],
            ret: Ret::Record,
            mode: Mode::Plain,
            doc: "a multi-layer perceptron z_{k+1} = W_k σ(z_k) + b_k with widths n₀, …, n_L (the output layer linear); activation tanh | relu | erf | linear | sigmoid | gelu; init the law of each layer's weights, which may read `fan_in`, `fan_out` and `layer` (the index from 0, for a C_W per layer) (e.g. `network net = mlp(widths = [3, 32, 1], activation = \"relu\", init = normal(var = 2 / fan_in))`)",
        },
        run: Kernel::Eval(mlp),
    },
    Row {
        sig: Builtin {
            name: "deep_linear",
            params: &[req("widths", ParamTy::Vector), INIT, TRAINABLE],
            ret: Ret::Record,
            mode: Mode::Plain,
            doc: "a deep linear network z_L = W_{L−1} ⋯ W_0 x: an mlp with linear activation and no biases (003) (e.g. `network lin = deep_linear(widths = [4, 4, 4, 1])`)",
        },
        run: Kernel::Eval(deep_linear),
    },
    Row {
        sig: Builtin {
            name: "autoencoder",
            params: &[req("encoder", ParamTy::Vector), req("bottleneck", ParamTy::Vector), req("decoder", ParamTy::Vector), ACTIVATION, BIAS, INIT, BIAS_INIT, TRAINABLE],
            ret: Ret::Record,
            mode: Mode::Plain,
            doc: "an mlp of widths encoder ++ bottleneck ++ decoder (the decoder ending at the input width), trained to reproduce its input (000) (e.g. `network ae = autoencoder(encoder = [8, 4], bottleneck = [2], decoder = [4, 8])`)",
        },
        run: Kernel::Eval(autoencoder),
    },
    Row {
        sig: Builtin {
            name: "gaussian_rbm",
            params: &[req("visible", ParamTy::Num), req("hidden", ParamTy::Num), req("mu2", ParamTy::Num), auto("sigma_h", ParamTy::Num, "1"), auto("init", ParamTy::LayerLaw, "normal(sd = 0.1), as in 001")],
            ret: Ret::Record,
            mode: Mode::Plain,
            doc: "the Gaussian RBM of 001: S(φ, h) = ½μ²φᵀφ + (1/2σ_h²)hᵀh − φᵀWh, W visible × hidden; φ | h ~ N(Wh/μ², 1/μ²), h | φ ~ N(σ_h²Wᵀφ, σ_h²); its visible law has K = μ² − σ_h²WWᵀ (e.g. `network rbm = gaussian_rbm(visible = 10, hidden = 10, mu2 = 9)`)",
        },
        run: Kernel::Eval(gaussian_rbm),
    },
];

/// Whole numbers ≥ 1, at least `min` of them.
fn widths(v: &Option<Value>, name: &str, min: usize, span: Span) -> Result<Vec<usize>> {
    let xs = crate::eval::args::numbers(v, name, span)?;
    if xs.len() < min {
        return Err(bad(
            span,
            format!("`{name}` needs at least {min} widths, but has {}", xs.len()),
        ));
    }
    xs.iter()
        .map(|&x| count(&Value::Num(x), name, span))
        .collect()
}

/// The activation's name, checked against the choices (default tanh, recorded).
fn activation(ev: &Evaluator, v: &Option<Value>, who: &str, span: Span) -> Result<Value> {
    let Some(v) = v else {
        ev.record_default(&format!("{who}.activation"), span, "tanh".into());
        return Ok(Value::Str("tanh".into()));
    };
    match v {
        Value::Str(s) if Activation::parse(s).is_some() => Ok(v.clone()),
        other => Err(bad(
            span,
            format!(
                "`activation` must be one of {}, but is {}",
                Activation::NAMES.join(", "),
                match other {
                    Value::Str(s) => format!("\"{s}\""),
                    o => o.describe(),
                }
            ),
        )),
    }
}

/// Layer indices 0..layers, each once (default: every layer, recorded).
fn trainable(
    ev: &Evaluator,
    v: &Option<Value>,
    layers: usize,
    who: &str,
    span: Span,
) -> Result<Value> {
    let Some(_) = v else {
        ev.record_default(&format!("{who}.trainable"), span, "every layer".into());
        return Ok(Value::vector((0..layers).map(|k| k as f64).collect()));
    };
    let xs = crate::eval::args::numbers(v, "trainable", span)?;
    let mut seen = vec![false; layers];
    for &k in xs {
        let i = k as usize;
        if k < 0.0 || k != k.trunc() || i >= layers {
            return Err(bad(span, format!("`trainable` lists layer {k}, but the layers are 0 to {} (layer k maps widths[k] → widths[k+1])", layers - 1)));
        }
        if std::mem::replace(&mut seen[i], true) {
            return Err(bad(span, format!("`trainable` lists layer {i} twice")));
        }
    }
    Ok(Value::vector(xs.to_vec()))
}

fn flag(ev: &Evaluator, v: &Option<Value>, name: &str, who: &str, span: Span) -> Result<bool> {
    match v {
        None => {
            ev.record_default(&format!("{who}.{name}"), span, "false".into());
            Ok(false)
        }
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(bad(
            span,
            format!(
                "`{name}` must be true or false, but is {}",
                other.describe()
            ),
        )),
    }
}

/// The architecture record of a perceptron; the realizer adds the weights.
#[allow(clippy::too_many_arguments)]
fn perceptron(
    ev: &Evaluator,
    which: &str,
    widths: Vec<usize>,
    act: Value,
    bias: bool,
    a: (&Option<Value>, &Option<Value>, &Option<Value>),
    span: Span,
) -> Result<Value> {
    let (init, bias_init, train) = a;
    let layers = widths.len() - 1;
    let mut fields = vec![
        ("network".to_string(), Value::Str(which.into())),
        (
            "widths".into(),
            Value::vector(widths.iter().map(|&n| n as f64).collect()),
        ),
        ("activation".into(), act),
        ("bias".into(), Value::Bool(bias)),
        (
            "trainable".into(),
            trainable(ev, train, layers, which, span)?,
        ),
    ];
    match init {
        Some(v) => fields.push(("init".into(), v.clone())),
        None => ev.record_default(
            &format!("{which}.init"),
            span,
            "normal(var = 1 / fan_in)".into(),
        ),
    }
    if let Some(v) = bias_init {
        fields.push(("bias_init".into(), v.clone()));
    }
    Ok(Value::record(fields))
}

fn mlp(ev: &Evaluator, a: &Args, span: Span, _: &Draw) -> Result<Value> {
    let w = widths(&a[0], "widths", 2, span)?;
    let act = activation(ev, &a[1], "mlp", span)?;
    let bias = flag(ev, &a[2], "bias", "mlp", span)?;
    perceptron(ev, "mlp", w, act, bias, (&a[3], &a[4], &a[5]), span)
}

fn deep_linear(ev: &Evaluator, a: &Args, span: Span, _: &Draw) -> Result<Value> {
    let w = widths(&a[0], "widths", 2, span)?;
    let act = Value::Str("linear".into());
    perceptron(
        ev,
        "deep_linear",
        w,
        act,
        false,
        (&a[1], &None, &a[2]),
        span,
    )
}

fn autoencoder(ev: &Evaluator, a: &Args, span: Span, _: &Draw) -> Result<Value> {
    let mut w = widths(&a[0], "encoder", 1, span)?;
    w.extend(widths(&a[1], "bottleneck", 1, span)?);
    w.extend(widths(&a[2], "decoder", 1, span)?);
    if w.first() != w.last() {
        return Err(bad(span, format!(
            "an autoencoder reproduces its input, so the decoder must end at the input width {}, but ends at {}",
            w[0], w[w.len() - 1]
        )));
    }
    let act = activation(ev, &a[3], "autoencoder", span)?;
    let bias = flag(ev, &a[4], "bias", "autoencoder", span)?;
    let mut spec = perceptron(ev, "autoencoder", w, act, bias, (&a[5], &a[6], &a[7]), span)?;
    if let Value::Record(fields) = &mut spec {
        let f = std::sync::Arc::make_mut(fields);
        for (name, v) in [
            ("encoder", &a[0]),
            ("bottleneck", &a[1]),
            ("decoder", &a[2]),
        ] {
            f.push((name.into(), v.clone().expect("required")));
        }
    }
    Ok(spec)
}

fn gaussian_rbm(ev: &Evaluator, a: &Args, span: Span, _: &Draw) -> Result<Value> {
    let visible = count(a[0].as_ref().expect("required"), "visible", span)?;
    let hidden = count(a[1].as_ref().expect("required"), "hidden", span)?;
    let mu2 = num(&a[2], "mu2", span)?;
    let sigma_h = match &a[3] {
        Some(_) => num(&a[3], "sigma_h", span)?,
        None => {
            ev.record_default("gaussian_rbm.sigma_h", span, "1".into());
            1.0
        }
    };
    if mu2 <= 0.0 || sigma_h <= 0.0 {
        return Err(bad(
            span,
            format!("`mu2` and `sigma_h` must be positive, but are {mu2} and {sigma_h}"),
        ));
    }
    let mut fields = vec![
        ("network".to_string(), Value::Str("gaussian_rbm".into())),
        ("visible".into(), Value::Num(visible as f64)),
        ("hidden".into(), Value::Num(hidden as f64)),
        ("mu2".into(), Value::Num(mu2)),
        ("sigma_h".into(), Value::Num(sigma_h)),
    ];
    match &a[4] {
        Some(v) => fields.push(("init".into(), v.clone())),
        None => ev.record_default("gaussian_rbm.init", span, "normal(sd = 0.1)".into()),
    }
    Ok(Value::record(fields))
}
