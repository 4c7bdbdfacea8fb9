//! `optimizer NAME = sgd(...) | adam(...) | adamw(...) | pcd(...) | langevin(...)`: an update
//! rule with its learning rate, schedule and batch size, a value other blocks take (`train`'s
//! `optimizer` field). The rules are those of the published algorithms, in
//! [`crate::backend::nn::optim`].

use super::fields::value_error as bad;
use super::kind::Kind;
use crate::backend::nn::optim::{Rule, Schedule};
use crate::builtins::{auto, num as dflt, req, Builtin, Mode, Param, Ret};
use crate::eval::args::{count, num, Args};
use crate::eval::error::{Result, RunError};
use crate::eval::kernel::{Kernel, Row};
use crate::eval::state::{Draw, Evaluator};
use crate::ir::value::Value;
use crate::schema::{Form, KindSchema};
use crate::span::Span;
use crate::types::ParamTy;

/// The schema of `optimizer` declarations.
pub static SCHEMA: KindSchema = KindSchema {
    name: "optimizer",
    form: Form::Constructor(&["sgd", "adam", "adamw", "pcd", "langevin"]),
    fields: &[],
    scope: &[],
    per_draw: false,
    runs_are_draws: false,
    rebinds: &[],
    pairings: &[],
    doc: "an update rule with its learning rate and batch: `optimizer opt = sgd(lr = 0.01, batch = 4)`",
    example: r#"optimizer opt = adam(lr = 0.001, batch = 16)"#,
};

/// The kind in the registry.
pub static KIND: Kind = Kind {
    schema: &SCHEMA,
    run: None,
    realize: None,
};

const BATCH: Param = auto("batch", ParamTy::Num, "every sample (full batch)");
/// The learning-rate schedules.
const SCHEDULES: &[&str] = &["constant", "linear", "step"];
const SCHEDULE: Param = auto("schedule", ParamTy::Choice(SCHEDULES), "\"constant\"; or \"linear\" (to final_lr at the last step) or \"step\" (× step_factor every step_every steps)");
const FINAL_LR: Param = auto("final_lr", ParamTy::Num, "0 (schedule = \"linear\")");
const STEP_EVERY: Param = auto(
    "step_every",
    ParamTy::Num,
    "a tenth of the steps (schedule = \"step\")",
);
const STEP_FACTOR: Param = auto("step_factor", ParamTy::Num, "0.1 (schedule = \"step\")");

/// Langevin's weight decay: one γ, or a vector with one γ_l per layer.
const LANGEVIN_DECAY: Param = Param {
    name: "weight_decay",
    ty: ParamTy::Numeric,
    default: crate::builtins::DefaultValue::Num(0.0),
};

/// The constructors of optimizers.
pub static ROWS: &[Row] = &[
    Row {
        sig: Builtin {
            name: "sgd",
            params: &[req("lr", ParamTy::Num), BATCH, dflt("momentum", 0.0), SCHEDULE, FINAL_LR, STEP_EVERY, STEP_FACTOR],
            ret: Ret::Record,
            mode: Mode::Plain,
            doc: "stochastic gradient descent (as torch.optim.SGD): v ← μv + g, θ ← θ − lr·v; minibatches drawn without replacement, reshuffled every epoch (e.g. `optimizer opt = sgd(lr = 0.01, batch = 16, momentum = 0.9)`)",
        },
        run: Kernel::Eval(sgd),
    },
    Row {
        sig: Builtin {
            name: "adam",
            params: &[dflt("lr", 0.001), BATCH, auto("betas", ParamTy::Vector, "[0.9, 0.999]"), dflt("eps", 1e-8), dflt("weight_decay", 0.0), SCHEDULE, FINAL_LR, STEP_EVERY, STEP_FACTOR],
            ret: Ret::Record,
            mode: Mode::Plain,
            doc: "Adam (Kingma–Ba, as torch.optim.Adam): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − lr·m̂/(√v̂ + ε) with bias-corrected m̂, v̂; weight_decay adds λθ to g (e.g. `optimizer opt = adam(lr = 0.001, batch = 32)`)",
        },
        run: Kernel::Eval(adam),
    },
    Row {
        sig: Builtin {
            name: "adamw",
            params: &[dflt("lr", 0.001), BATCH, auto("betas", ParamTy::Vector, "[0.9, 0.999]"), dflt("eps", 1e-8), dflt("weight_decay", 0.01), SCHEDULE, FINAL_LR, STEP_EVERY, STEP_FACTOR],
            ret: Ret::Record,
            mode: Mode::Plain,
            doc: "AdamW (Loshchilov–Hutter, as torch.optim.AdamW): θ ← θ(1 − lr·λ), then the Adam step without λ in g (e.g. `optimizer opt = adamw(lr = 0.001, batch = 32, weight_decay = 0.01)`)",
        },
        run: Kernel::Eval(adamw),
    },
    Row {
        sig: Builtin {
            name: "pcd",
            params: &[req("lr", ParamTy::Num), req("batch", ParamTy::Num), dflt("gibbs", 1.0), auto("chains", ParamTy::Num, "batch"), dflt("momentum", 0.0), SCHEDULE, FINAL_LR, STEP_EVERY, STEP_FACTOR],
            ret: Ret::Record,
            mode: Mode::Plain,
            doc: "persistent contrastive divergence for the Gaussian RBM (001): W ← W + lr(⟨φ E[h|φ]ᵀ⟩_batch − ⟨φ E[h|φ]ᵀ⟩_chains), the persistent chains advanced by `gibbs` block-Gibbs sweeps per update (e.g. `optimizer opt = pcd(lr = 0.01, batch = 64, gibbs = 1)`)",
        },
        run: Kernel::Eval(pcd),
    },
    Row {
        sig: Builtin {
            name: "langevin",
            params: &[req("lr", ParamTy::Num), req("temperature", ParamTy::Num), LANGEVIN_DECAY, BATCH, SCHEDULE, FINAL_LR, STEP_EVERY, STEP_FACTOR],
            ret: Ret::Record,
            mode: Mode::Plain,
            doc: "Langevin dynamics θ ← θ − lr(∇L + γθ) + √(2·lr·T) ξ, whose stationary law is ∝ exp(−(L + γ|θ|²/2)/T) as lr → 0 (004); weight_decay a vector gives each layer l of a perceptron its own γ_l (W and b), and γ_l = T/σ_l² makes the law the Bayesian posterior ∝ exp(−L/T) with the prior N(0, σ_l²) per weight (e.g. `optimizer opt = langevin(lr = 0.001, temperature = 0.01)`)",
        },
        run: Kernel::Eval(langevin),
    },
];

/// The record every constructor makes: the rule's name and its numbers.
/// `at` is the position of the schedule's first parameter, `batch_at` of the batch.
fn record(
    ev: &Evaluator,
    rule: &str,
    numbers: Vec<(&str, f64)>,
    a: &Args,
    (at, batch_at): (usize, usize),
    span: Span,
) -> Result<Value> {
    let batch = &a[batch_at];
    let mut fields = vec![("optimizer".to_string(), Value::Str(rule.into()))];
    for (name, x) in numbers {
        fields.push((name.into(), Value::Num(x)));
    }
    match batch {
        Some(b) => fields.push(("batch".into(), Value::Num(count(b, "batch", span)? as f64))),
        None => ev.record_default(
            &format!("{rule}.batch"),
            span,
            "every sample (full batch)".into(),
        ),
    }
    let schedule = match &a[at] {
        None => {
            ev.record_default(&format!("{rule}.schedule"), span, "constant".into());
            "constant".to_string()
        }
        Some(Value::Str(s)) if SCHEDULES.contains(&&**s) => s.to_string(),
        Some(other) => {
            return Err(bad(
                span,
                format!(
                    "`schedule` must be \"constant\", \"linear\" or \"step\", but is {}",
                    other.describe()
                ),
            ))
        }
    };
    fields.push(("schedule".into(), Value::Str(schedule.as_str().into())));
    for (k, name) in [
        (at + 1, "final_lr"),
        (at + 2, "step_every"),
        (at + 3, "step_factor"),
    ] {
        if a[k].is_some() {
            fields.push((name.into(), Value::Num(num(&a[k], name, span)?)));
        }
    }
    Ok(Value::record(fields))
}

fn sgd(ev: &Evaluator, a: &Args, span: Span, _: &Draw) -> Result<Value> {
    let (lr, momentum) = (num(&a[0], "lr", span)?, num(&a[2], "momentum", span)?);
    record(
        ev,
        "sgd",
        vec![("lr", lr), ("momentum", momentum)],
        a,
        (3, 1),
        span,
    )
}

fn betas(a: &Option<Value>, span: Span) -> Result<(f64, f64)> {
    match a {
        None => Ok((0.9, 0.999)),
        Some(_) => match crate::eval::args::numbers(a, "betas", span)? {
            [b1, b2] => Ok((*b1, *b2)),
            other => Err(bad(
                span,
                format!(
                    "`betas` are two numbers [β₁, β₂], but {} are given",
                    other.len()
                ),
            )),
        },
    }
}

fn adam_like(ev: &Evaluator, rule: &str, a: &Args, span: Span) -> Result<Value> {
    let (b1, b2) = betas(&a[2], span)?;
    let numbers = vec![
        ("lr", num(&a[0], "lr", span)?),
        ("beta1", b1),
        ("beta2", b2),
        ("eps", num(&a[3], "eps", span)?),
        ("weight_decay", num(&a[4], "weight_decay", span)?),
    ];
    record(ev, rule, numbers, a, (5, 1), span)
}

fn adam(ev: &Evaluator, a: &Args, span: Span, _: &Draw) -> Result<Value> {
    adam_like(ev, "adam", a, span)
}

fn adamw(ev: &Evaluator, a: &Args, span: Span, _: &Draw) -> Result<Value> {
    adam_like(ev, "adamw", a, span)
}

fn pcd(ev: &Evaluator, a: &Args, span: Span, _: &Draw) -> Result<Value> {
    let batch = count(a[1].as_ref().expect("required"), "batch", span)?;
    let gibbs = count(a[2].as_ref().expect("default"), "gibbs", span)?;
    let chains = match &a[3] {
        Some(c) => count(c, "chains", span)?,
        None => {
            ev.record_default("pcd.chains", span, format!("{batch} (= batch)"));
            batch
        }
    };
    let numbers = vec![
        ("lr", num(&a[0], "lr", span)?),
        ("gibbs", gibbs as f64),
        ("chains", chains as f64),
        ("momentum", num(&a[4], "momentum", span)?),
    ];
    record(ev, "pcd", numbers, a, (5, 1), span)
}

fn langevin(ev: &Evaluator, a: &Args, span: Span, _: &Draw) -> Result<Value> {
    let per_layer = match &a[2] {
        Some(Value::Vector(v)) => Some(v.clone()),
        _ => None,
    };
    let decay = if per_layer.is_some() {
        0.0
    } else {
        num(&a[2], "weight_decay", span)?
    };
    let numbers = vec![
        ("lr", num(&a[0], "lr", span)?),
        ("temperature", num(&a[1], "temperature", span)?),
        ("weight_decay", decay),
    ];
    let mut v = record(ev, "langevin", numbers, a, (4, 3), span)?;
    if let (Some(layers), Value::Record(fields)) = (per_layer, &mut v) {
        if let Some(bad_decay) = layers.iter().find(|g| !(g.is_finite() && **g >= 0.0)) {
            return Err(bad(
                span,
                format!("every layer's weight_decay must be ≥ 0, but one is {bad_decay}"),
            ));
        }
        std::sync::Arc::make_mut(fields).push(("layer_weight_decay".into(), Value::Vector(layers)));
    }
    Ok(v)
}

/// What `train` needs of an optimizer's value.
pub struct Settings {
    pub rule: Rule,
    pub lr: f64,
    planned: Planned,
    /// None: the whole training set every step.
    pub batch: Option<usize>,
    /// PCD: Gibbs sweeps per update and persistent chains.
    pub pcd: Option<(usize, usize)>,
    /// Langevin: γ_l per layer of a perceptron (W and b), replacing the one γ.
    pub layer_decay: Option<Vec<f64>>,
}

/// A schedule before the number of steps is known.
enum Planned {
    Constant,
    Linear { final_factor: f64 },
    Step { every: Option<usize>, factor: f64 },
}

impl Settings {
    /// The learning-rate schedule of a run of `steps` steps (linear decay ends at the last
    /// step; a step schedule decays every tenth of the steps unless `step_every` is given).
    pub fn schedule(&self, steps: usize) -> Schedule {
        match self.planned {
            Planned::Constant => Schedule::Constant,
            Planned::Linear { final_factor } => Schedule::Linear {
                final_factor,
                steps,
            },
            Planned::Step { every, factor } => Schedule::Step {
                every: every.unwrap_or((steps / 10).max(1)),
                factor,
            },
        }
    }
}

fn field(v: &Value, name: &str) -> f64 {
    match v.field(name) {
        Some(Value::Num(x)) => *x,
        _ => f64::NAN,
    }
}

/// Read an optimizer's value.
pub fn settings(v: &Value, span: Span) -> Result<Settings> {
    let Some(Value::Str(rule_name)) = v.field("optimizer") else {
        return Err(RunError::new(
            span,
            format!(
                "`optimizer` must be an optimizer (sgd, adam, adamw, pcd, langevin), but is {}",
                v.describe()
            ),
        )
        .code(crate::diag::ErrorCode::RunType));
    };
    let f = |name: &str| field(v, name);
    let rule = match rule_name.as_ref() {
        "sgd" | "pcd" => Rule::Sgd {
            momentum: f("momentum"),
        },
        "adam" | "adamw" => Rule::Adam {
            beta1: f("beta1"),
            beta2: f("beta2"),
            eps: f("eps"),
            weight_decay: f("weight_decay"),
            decoupled: rule_name.as_ref() == "adamw",
        },
        _ => Rule::Langevin {
            temperature: f("temperature"),
            weight_decay: f("weight_decay"),
        },
    };
    rule.validate().map_err(|e| bad(span, e.to_string()))?;
    let lr = f("lr");
    if !(lr > 0.0 && lr.is_finite()) {
        return Err(bad(
            span,
            format!("the learning rate `lr` must be > 0, but is {lr}"),
        ));
    }
    let given = |name: &str, default: f64| if f(name).is_nan() { default } else { f(name) };
    let planned = match v.field("schedule") {
        Some(Value::Str(s)) if s.as_ref() == "linear" => Planned::Linear {
            final_factor: given("final_lr", 0.0) / lr,
        },
        Some(Value::Str(s)) if s.as_ref() == "step" => Planned::Step {
            every: (!f("step_every").is_nan()).then(|| f("step_every").max(1.0) as usize),
            factor: given("step_factor", 0.1),
        },
        _ => Planned::Constant,
    };
    let batch = v.field("batch").map(|_| f("batch") as usize);
    let pcd = (rule_name.as_ref() == "pcd").then(|| (f("gibbs") as usize, f("chains") as usize));
    let layer_decay = match v.field("layer_weight_decay") {
        Some(Value::Vector(d)) => Some(d.to_vec()),
        _ => None,
    };
    Ok(Settings {
        rule,
        lr,
        planned,
        batch,
        pcd,
        layer_decay,
    })
}
