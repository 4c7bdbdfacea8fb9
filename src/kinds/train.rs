//! The `train` kind: trains a network on a data set with an optimizer, `runs` times
//! independently and in parallel. Run r trains draw r of the model and of the data set (its
//! own initial weights, teacher and samples) with its own minibatch stream, addressed by
//! (seed, sweep point, block, r), so the numbers are the same on any thread count.
//!
//! Results: `loss` and `test_loss` (one per run, at the end), `stopped` (one per run:
//! "completed", "stop when", or the divergence with its step), `stopped_at`, `final` (each
//! run's trained network, a record like the network's), `model` (run 0's), and, with
//! `observe every k { … }`, `observed` (the observed steps, and per item one entry per run:
//! that run's values over its observations) and `last` (per item, each run's value at its last
//! observation, stacked over runs). Observations start at step 0 (the initial network).

use super::fields::{field_error, Fields};
use super::kind::Kind;
use super::network_draw::{model_of, Model};
use super::observe::{run_steps, Cadence, Observed};
use super::optimizer::{settings, Settings};
use super::train_run::{initial_chains, second_moment, DataSet, Frozen, Pcd, Trainer, SCOPE};
use crate::backend::nn::loss::Loss;
use crate::backend::nn::mlp::{Mlp, Workspace};
use crate::backend::nn::optim::{Optimizer, Schedule};
use crate::backend::nn::rbm::RbmWorkspace;
use crate::backend::rng;
use crate::eval::error::Result;
use crate::eval::state::{Draw, Evaluator, Frame};
use crate::ir::value::Value;
use crate::progress::Meter;
use crate::schema::{choice, f, special, Choice, FieldKind, Form, KindSchema, Pairing};
use crate::span::Span;
use rayon::prelude::*;
use std::sync::Arc;

/// The schema of `train` blocks.
pub static SCHEMA: KindSchema = KindSchema {
    name: "train",
    form: Form::Block,
    fields: &[
        f("model", true, "the network (a `network`); run r starts from its draw r; inside `observe` and `stop` its name is the network being trained"),
        f("data", true, "the data set (a `data`); run r trains on its draw r"),
        f("optimizer", true, "the update rule (an `optimizer`)"),
        choice("loss", Loss::NAMES, "\"mse\" (default: ½Σᵢ(yᵢ − ŷᵢ)² per sample, the mean over samples) or \"cross_entropy\" (targets are probabilities); the RBM's loss is its exact negative log-likelihood"),
        f("steps", false, "updates (or `epochs`)"),
        f("epochs", false, "passes over the training set, ⌊samples/batch⌋ updates each (or `steps`)"),
        f("runs", false, "independent trainings, in parallel (default 1)"),
        special("observe", FieldKind::Observe, false, "`observe every k { name = expr … }`: after every k-th update and at the start; sees step, epoch, loss, test_loss, batch_loss, grad_norm and model"),
        special("stop", FieldKind::Stop, false, "`stop when cond`: checked at each observation (every update without `observe`); the run ends there, recorded in `stopped`"),
    ],
    scope: SCOPE,
    per_draw: false,
    runs_are_draws: true,
    rebinds: &["model"],
    pairings: &[
        Pairing {
            field: "optimizer",
            makers: &["pcd"],
            other: "model",
            other_makers: &["gaussian_rbm"],
            reason: "persistent contrastive divergence follows the likelihood gradient of a Gaussian RBM; a perceptron trains with sgd, adam, adamw or langevin",
        },
        Pairing {
            field: "model",
            makers: &["gaussian_rbm"],
            other: "optimizer",
            other_makers: &["pcd"],
            reason: "a Gaussian RBM trains by its likelihood gradient, whose model average needs the persistent chains of `pcd(lr, batch, gibbs)`",
        },
        Pairing {
            field: "model",
            makers: &["mlp", "deep_linear"],
            other: "data",
            other_makers: &["teacher_student", "load_data"],
            reason: "a perceptron learns x → y and this data set has no targets y (an autoencoder learns x → x)",
        },
    ],
    doc: "trains a network on a data set, `runs` independent times: `train t { model = net  data = d  optimizer = opt  steps = 1000 }`",
    example: r#"network net = mlp(widths = [3, 16, 1])
network teacher = mlp(widths = [3, 8, 1])
data d = teacher_student(teacher = teacher, samples = 256)
optimizer opt = sgd(lr = 0.01, batch = 16)
train t {
    model = net
    data = d
    optimizer = opt
    steps = 200
    observe every 50 { loss = loss }
}
report r { final = t.loss }"#,
};

/// The kind in the registry.
pub static KIND: Kind = Kind {
    schema: &SCHEMA,
    run: Some(run),
    realize: None,
};

fn value_of(ev: &Evaluator, f: &Fields, name: &str, frame: &mut Frame) -> Result<(Value, Span)> {
    let field = f.get(name).ok_or_else(|| f.missing(&format!("`{name}`")))?;
    Ok((ev.eval(&field.code, frame)?, field.span))
}

/// The number of updates: `steps`, or `epochs` × ⌊samples/batch⌋.
fn updates(ev: &Evaluator, f: &Fields, per_epoch: usize, frame: &mut Frame) -> Result<usize> {
    match (
        ev.field_count(f, "steps", None, frame)?,
        ev.field_count(f, "epochs", None, frame)?,
    ) {
        (Some(s), None) => Ok(s),
        (None, Some(e)) => Ok(e * per_epoch),
        _ => Err(f.missing("exactly one of `steps` or `epochs`")),
    }
}

/// A run's data set for the model: x and y (for an autoencoder y = x; for the RBM no y).
fn data_set(v: &Value, model: &Model, span: Span) -> Result<DataSet> {
    let get = |name: &str| match v.field(name) {
        Some(Value::Matrix(m)) => Some(m.clone()),
        _ => None,
    };
    let x = get("x").ok_or_else(|| {
        field_error(span, format!("`data` must be a data set (teacher_student, lattice_scalar, gaussian_data, load_data), but is {}", v.describe()))
    })?;
    let entries = |m: &faer::Mat<f64>| crate::eval::args::matrix_entries(m);
    let (y, test_x, test_y) = match model {
        Model::Perceptron {
            autoencoder: true, ..
        } => (Some(x.clone()), get("test_x"), get("test_x")),
        Model::Perceptron { .. } => (get("y"), get("test_x"), get("test_y")),
        Model::Rbm(_) => (None, get("test_x"), None),
    };
    let y_needed = matches!(model, Model::Perceptron { .. });
    if y_needed && y.is_none() {
        return Err(field_error(span, "this data set has no targets `y`; a perceptron learns x → y (give `targets` to load_data, or train an autoencoder)".into()));
    }
    let d_out = y.as_ref().map_or(0, |y| y.ncols());
    let test = test_x.map(|tx| {
        let ty = test_y.map(|t| entries(&t)).unwrap_or_default();
        (entries(&tx), ty, tx.nrows())
    });
    Ok(DataSet {
        x: entries(&x),
        y: y.map(|y| entries(&y)).unwrap_or_default(),
        n: x.nrows(),
        d_in: x.ncols(),
        d_out,
        test,
    })
}

/// The shapes of the model and its data agree (checked before the first step).
fn check_shapes(model: &Model, d: &DataSet, span: Span) -> Result<()> {
    let (want_in, want_out) = match model {
        Model::Perceptron { net, .. } => (net.widths[0], net.widths[net.widths.len() - 1]),
        Model::Rbm(r) => (r.visible, 0),
    };
    if d.d_in != want_in || d.d_out != want_out {
        return Err(field_error(span, format!(
            "the data set has {} inputs and {} outputs per sample, but the network takes {want_in} and gives {want_out}",
            d.d_in, d.d_out
        )));
    }
    Ok(())
}

/// Everything a run is built from that is the same for every run.
struct Plan<'a> {
    f: &'a Fields<'a>,
    loss: Loss,
    steps: Option<usize>,
    name: String,
    /// Counts every run's steps.
    meter: &'a Meter<'a>,
}

fn trainer(ev: &Evaluator, plan: &Plan, r: usize, frame: &mut Frame) -> Result<(Trainer, usize)> {
    let f = plan.f;
    let (net, net_span) = value_of(ev, f, "model", frame)?;
    let model = model_of(&net, net_span)?;
    let (data_value, data_span) = value_of(ev, f, "data", frame)?;
    let data = data_set(&data_value, &model, data_span)?;
    check_shapes(&model, &data, data_span)?;
    let (opt_value, opt_span) = value_of(ev, f, "optimizer", frame)?;
    let s = settings(&opt_value, opt_span)?;
    let batch = s.batch.unwrap_or(data.n);
    if batch > data.n {
        return Err(field_error(
            opt_span,
            format!(
                "the batch ({batch}) is larger than the training set ({} samples)",
                data.n
            ),
        ));
    }
    let per_epoch = (data.n / batch).max(1);
    let steps = match plan.steps {
        Some(s) => s,
        None => updates(ev, f, per_epoch, frame)?,
    };
    let schedule = s.schedule(steps);
    schedule
        .validate()
        .map_err(|e| field_error(opt_span, e.to_string()))?;
    let rng = rng::stream(
        ev.seed,
        ev.point,
        &format!("{}/batches", plan.name),
        r as u64,
    );
    let t = build(
        model,
        net,
        data,
        (s, schedule),
        batch,
        plan.loss,
        rng,
        opt_span,
    )?;
    Ok((t, steps))
}

#[allow(clippy::too_many_arguments)]
fn build(
    model: Model,
    spec: Value,
    data: DataSet,
    (s, schedule): (Settings, Schedule),
    batch: usize,
    loss: Loss,
    mut rng: rng::Rng,
    span: Span,
) -> Result<Trainer> {
    let mut frozen = None;
    let (n_params, active, pcd, ws) = match &model {
        Model::Perceptron { net, trainable, .. } => {
            let mut ws = Workspace::new(net, batch);
            frozen = frozen_prefix(net, trainable, &data, &mut ws);
            (net.n_params(), net.trainable_ranges(trainable), None, ws)
        }
        Model::Rbm(rbm) => {
            let (gibbs, n_chains) = s
                .pcd
                .ok_or_else(|| field_error(span, "a Gaussian RBM trains with `pcd(...)`".into()))?;
            let chains = initial_chains(n_chains, rbm.visible, rbm.mu2, &mut rng);
            let test_moment = data
                .test
                .as_ref()
                .map(|(x, _, n)| second_moment(x, *n, data.d_in));
            let p = Pcd {
                chains,
                n_chains,
                gibbs,
                ws: RbmWorkspace::new(rbm),
                second_moment: second_moment(&data.x, data.n, data.d_in),
                test_moment,
            };
            (
                rbm.w.len(),
                std::iter::once(0..rbm.w.len()).collect(),
                Some(p),
                Workspace::default(),
            )
        }
    };
    if s.pcd.is_some() && pcd.is_none() {
        return Err(field_error(
            span,
            "`pcd` trains a Gaussian RBM; a perceptron trains with sgd, adam, adamw or langevin"
                .into(),
        ));
    }
    let opt = Optimizer::new(s.rule, s.lr, schedule, n_params);
    let opt = match (&s.layer_decay, &model) {
        (None, _) => opt,
        (Some(d), Model::Perceptron { net, .. }) if d.len() == net.layers.len() => {
            let mut decay = vec![0.0; n_params];
            for (layer, gamma) in net.layers.iter().zip(d) {
                decay[layer.range()].iter_mut().for_each(|g| *g = *gamma);
            }
            opt.with_decay(decay)
        }
        (Some(d), m) => {
            let layers = match m {
                Model::Perceptron { net, .. } => format!("the network has {}", net.layers.len()),
                Model::Rbm(_) => "a Gaussian RBM has none".into(),
            };
            let msg = format!(
                "`weight_decay` has {} entries, one per layer, but {layers}",
                d.len()
            );
            return Err(field_error(span, msg));
        }
    };
    let order: Vec<usize> = (0..data.n).collect();
    let batch_width = frozen.as_ref().map_or(data.d_in, |f: &Frozen| f.width);
    Ok(Trainer {
        xb: vec![0.0; batch * batch_width],
        frozen,
        yb: vec![0.0; batch * data.d_out],
        grad: vec![0.0; n_params],
        next: data.n,
        model,
        spec,
        data,
        opt,
        loss,
        batch,
        order,
        rng,
        ws,
        active,
        batch_loss: f64::NAN,
        grad_norm: 0.0,
        pcd,
        observed_losses: None,
    })
}

/// The frozen first layers of a perceptron, when there are any: its lowest trainable layer p
/// (> 0) and the activations a_p of the training and test inputs (None when layer 0 trains
/// or nothing does: then nothing is frozen below a trainable layer).
fn frozen_prefix(
    net: &Mlp,
    trainable: &[bool],
    data: &DataSet,
    ws: &mut Workspace,
) -> Option<Frozen> {
    let p = trainable.iter().position(|&t| t)?;
    (p > 0 && data.n > 0).then(|| Frozen {
        layer: p,
        width: net.widths[p],
        train: net.activations(p, &data.x, data.n, ws),
        test: (data.test.as_ref()).map(|(x, _, n)| net.activations(p, x, *n, ws)),
    })
}

/// One run to its end: its observations, its trained network and why it stopped.
struct RunOutcome {
    observed: Observed,
    model: Value,
    loss: f64,
    test_loss: Option<f64>,
    steps: usize,
}

fn one_run(ev: &Evaluator, plan: &Plan, r: usize, locals: &[Value]) -> Result<RunOutcome> {
    let meter = plan.meter;
    let draw = Draw::new(r as u64);
    let mut frame = Frame {
        draw: &draw,
        locals: locals.to_vec(),
    };
    let (mut t, steps) = trainer(ev, plan, r, &mut frame)?;
    if plan.steps.is_none() {
        meter.grow(steps as u64);
    }
    let mut done = meter.tally((t.grad.len() * t.batch) as u64 * 4);
    if plan.f.get("observe").is_none() {
        t.remember_start();
    }
    let cadence = Cadence {
        stop_every_step: false,
        observe_start: true,
    };
    let observed = run_steps(ev, plan.f, &mut frame, (steps, &mut done), cadence, &mut t)?;
    drop(done);
    let last = observed.stopped_at.unwrap_or(steps);
    let (loss, test_loss) = t.final_losses(last, observed.reason.is_some());
    Ok(RunOutcome {
        observed,
        model: super::network_draw::with_weights(&t.spec, &t.model),
        loss,
        test_loss,
        steps,
    })
}

fn run(ev: &Evaluator, f: &Fields, frame: &mut Frame) -> Result<Value> {
    let runs = ev.field_count(f, "runs", Some(1.0), frame)?.unwrap_or(1);
    let loss = ev.choice::<Loss>(f, "loss", frame)?;
    let steps = ev.field_count(f, "steps", None, frame)?;
    let name = ev.plan.globals[f.id].name.clone();
    let watch = ev.watch(f.id, f.kind);
    // with `epochs`, each run adds its steps once it knows them
    let total = steps.map_or(0, |s| (runs as u64).saturating_mul(s as u64));
    let plan = Plan {
        f,
        loss,
        steps,
        name,
        meter: &watch.meter(total),
    };
    let locals = frame.locals.clone();
    let outcomes = (0..runs)
        .into_par_iter()
        .map(|r| one_run(ev, &plan, r, &locals))
        .collect::<Result<Vec<_>>>()?;
    Ok(results(outcomes))
}

/// Per run, the observed values of each item; and each run's last value.
fn observed_fields(outcomes: &[RunOutcome]) -> Vec<(String, Value)> {
    let Some(longest) = outcomes.iter().max_by_key(|o| o.observed.steps.len()) else {
        return Vec::new();
    };
    let steps = Value::vector(longest.observed.steps.clone());
    let names: Vec<String> = outcomes[0]
        .observed
        .columns
        .iter()
        .map(|(n, _)| n.clone())
        .collect();
    let mut per_run = vec![("step".to_string(), steps)];
    let mut last = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let columns: Vec<&Vec<Value>> = outcomes.iter().map(|o| &o.observed.columns[i].1).collect();
        let lists = columns
            .iter()
            .map(|c| crate::eval::args::stack_values(c.to_vec()));
        per_run.push((name.clone(), Value::List(Arc::new(lists.collect()))));
        let ends: Vec<Value> = columns.iter().filter_map(|c| c.last().cloned()).collect();
        last.push((name.clone(), crate::eval::args::stack_values(ends)));
    }
    vec![
        ("observed".into(), Value::record(per_run)),
        ("last".into(), Value::record(last)),
    ]
}

fn results(outcomes: Vec<RunOutcome>) -> Value {
    let num = |xs: Vec<f64>| Value::vector(xs);
    let mut out = vec![
        ("runs".to_string(), Value::Num(outcomes.len() as f64)),
        (
            "loss".into(),
            num(outcomes.iter().map(|o| o.loss).collect()),
        ),
    ];
    if outcomes.iter().all(|o| o.test_loss.is_some()) {
        out.push((
            "test_loss".into(),
            num(outcomes
                .iter()
                .map(|o| o.test_loss.unwrap_or(f64::NAN))
                .collect()),
        ));
    }
    let stopped = outcomes.iter().map(|o| {
        Value::Str(
            o.observed
                .reason
                .clone()
                .unwrap_or_else(|| "completed".into())
                .into(),
        )
    });
    out.push(("stopped".into(), Value::List(Arc::new(stopped.collect()))));
    out.push((
        "stopped_at".into(),
        num(outcomes
            .iter()
            .map(|o| o.observed.stopped_at.unwrap_or(o.steps) as f64)
            .collect()),
    ));
    if outcomes
        .first()
        .is_some_and(|o| !o.observed.columns.is_empty())
    {
        out.extend(observed_fields(&outcomes));
    }
    out.push(("model".into(), outcomes[0].model.clone()));
    out.push((
        "final".into(),
        Value::List(Arc::new(outcomes.into_iter().map(|o| o.model).collect())),
    ));
    Value::record(out)
}
