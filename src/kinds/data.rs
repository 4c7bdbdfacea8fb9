//! `data NAME = teacher_student(...) | lattice_scalar(...) | gaussian_data(...) | load_data(...)`:
//! a data set, drawn afresh for every draw (so run r of a `train` block trains on draw r:
//! its own teacher and samples). The constructor is the recipe; the realizer draws the
//! samples from the declaration's own stream. A data set's value is a record with `x` (samples
//! × inputs), `y` (samples × outputs) where there are targets, `test_x` and `test_y` where
//! there is a test set, and what the recipe knows exactly (the teacher, the lattice spectrum).

use super::fields::value_error as bad;
use super::kind::Kind;
use super::network_draw;
use crate::backend::datasets;
use crate::backend::nn::mlp::Workspace;
use crate::backend::rng::Rng;
use crate::builtins::{auto, req, Builtin, Mode, Ret};
use crate::eval::args::{count, matrix_value as matrix, num, Args};
use crate::eval::error::{Result, RunError};
use crate::eval::kernel::{Kernel, Row};
use crate::eval::state::{Draw, Evaluator};
use crate::ir::value::{Dist, Value};
use crate::schema::{Form, KindSchema};
use crate::span::Span;
use crate::types::ParamTy;
use std::sync::Arc;

/// The schema of `data` declarations.
pub static SCHEMA: KindSchema = KindSchema {
    name: "data",
    form: Form::Constructor(&["teacher_student", "lattice_scalar", "gaussian_data", "load_data"]),
    fields: &[],
    scope: &[],
    per_draw: true,
    runs_are_draws: false,
    rebinds: &[],
    pairings: &[],
    doc: "a data set, drawn afresh for every draw (and every run of `train`): `data d = teacher_student(teacher = t, samples = 4000)`",
    example: r#"network teacher = mlp(widths = [3, 8, 1])
data d = teacher_student(teacher = teacher, samples = 256)
report r { n = rows(d.x) }"#,
};

/// The kind in the registry.
pub static KIND: Kind = Kind {
    schema: &SCHEMA,
    run: None,
    realize: Some(realize),
};

/// The constructors of data sets.
pub static ROWS: &[Row] = &[
    Row {
        sig: Builtin {
            name: "teacher_student",
            params: &[req("teacher", ParamTy::Any), req("samples", ParamTy::Num), auto("inputs", ParamTy::Dist, "normal(0, 1): each input entry i.i.d."), auto("test", ParamTy::Num, "1000"), auto("noise", ParamTy::Num, "0")],
            ret: Ret::Record,
            mode: Mode::Plain,
            doc: "inputs x with i.i.d. entries and targets y = teacher(x) + noise·ξ of a teacher with the architecture and initial law of `teacher` and its own weights, drawn per run (002); `samples` training and `test` test pairs (e.g. `data pairs = teacher_student(teacher = net, samples = 256, noise = 0.1)`)",
        },
        run: Kernel::Eval(teacher_student),
    },
    Row {
        sig: Builtin {
            name: "lattice_scalar",
            params: &[req("n", ParamTy::Num), req("m2", ParamTy::Num), auto("samples", ParamTy::Num, "10000"), auto("test", ParamTy::Num, "0: no test set")],
            ret: Ret::Record,
            mode: Mode::Plain,
            doc: "exact samples φ ~ N(0, K⁻¹) of the free scalar field on a periodic chain of n sites, K = −Δ + m², κ_k = m² + 2 − 2cos(2πk/n) (001); the record also has `K`, `cov` = K⁻¹ and `kappa` (ascending) (e.g. `data field = lattice_scalar(n = 10, m2 = 4, samples = 1000)`)",
        },
        run: Kernel::Eval(lattice_scalar),
    },
    Row {
        sig: Builtin {
            name: "gaussian_data",
            params: &[req("cov", ParamTy::Matrix), req("samples", ParamTy::Num), auto("mean", ParamTy::Vector, "0"), auto("test", ParamTy::Num, "0: no test set")],
            ret: Ret::Record,
            mode: Mode::Plain,
            doc: "samples x ~ N(mean, cov) (Cholesky factor of cov), one per row (e.g. `data g = gaussian_data(cov = M, samples = 500)`)",
        },
        run: Kernel::Eval(gaussian_data),
    },
    Row {
        sig: Builtin {
            name: "load_data",
            params: &[req("path", ParamTy::Str), auto("targets", ParamTy::Vector, "none: an unsupervised data set"), auto("test", ParamTy::Num, "0: the last `test` rows are held out as the test set")],
            ret: Ret::Record,
            mode: Mode::Plain,
            doc: "a table from a `.csv` (an optional header row) or `.npy` (float64/float32, 1 or 2 dimensions) file, relative to the script; `targets` lists the columns (from 0) that are y, the others are x (e.g. `data table = load_data(\"table.csv\", targets = [3], test = 100)`)",
        },
        run: Kernel::Eval(load_data),
    },
];

fn backend(span: Span, e: crate::backend::BackendError) -> RunError {
    RunError::new(span, e.to_string()).code(crate::diag::ErrorCode::RunBackend)
}

fn given_count(
    ev: &Evaluator,
    v: &Option<Value>,
    name: &str,
    default: usize,
    span: Span,
    zero_ok: bool,
) -> Result<usize> {
    match v {
        None => {
            ev.record_default(name, span, default.to_string());
            Ok(default)
        }
        Some(Value::Num(x)) if zero_ok && *x == 0.0 => Ok(0),
        Some(x) => count(x, name, span),
    }
}

fn teacher_student(ev: &Evaluator, a: &Args, span: Span, _: &Draw) -> Result<Value> {
    let teacher = a[0].clone().expect("required");
    if !matches!(teacher.field("network"), Some(Value::Str(s)) if &**s != "gaussian_rbm") {
        return Err(bad(
            span,
            "the teacher must be a perceptron network (`mlp`, `deep_linear`)".into(),
        ));
    }
    let samples = count(a[1].as_ref().expect("required"), "samples", span)?;
    let inputs = match &a[2] {
        Some(v) => v.clone(),
        None => {
            ev.record_default("teacher_student.inputs", span, "normal(0, 1)".into());
            Value::Dist(Arc::new(Dist::Normal { mean: 0.0, sd: 1.0 }))
        }
    };
    let test = given_count(ev, &a[3], "teacher_student.test", 1000, span, true)?;
    let noise = match &a[4] {
        Some(_) => num(&a[4], "noise", span)?,
        None => 0.0,
    };
    Ok(Value::record(vec![
        ("data".into(), Value::Str("teacher_student".into())),
        ("teacher".into(), teacher),
        ("samples".into(), Value::Num(samples as f64)),
        ("inputs".into(), inputs),
        ("test".into(), Value::Num(test as f64)),
        ("noise".into(), Value::Num(noise)),
    ]))
}

fn lattice_scalar(ev: &Evaluator, a: &Args, span: Span, _: &Draw) -> Result<Value> {
    let n = count(a[0].as_ref().expect("required"), "n", span)?;
    let m2 = num(&a[1], "m2", span)?;
    if m2 <= 0.0 {
        return Err(bad(
            span,
            format!("`m2` must be positive (K = −Δ + m² positive definite), but is {m2}"),
        ));
    }
    let samples = given_count(ev, &a[2], "lattice_scalar.samples", 10_000, span, false)?;
    let test = given_count(ev, &a[3], "lattice_scalar.test", 0, span, true)?;
    let k = datasets::lattice_operator(n, m2);
    let cov = datasets::spd_inverse(&k).map_err(|e| backend(span, e))?;
    Ok(Value::record(vec![
        ("data".into(), Value::Str("lattice_scalar".into())),
        ("samples".into(), Value::Num(samples as f64)),
        ("test".into(), Value::Num(test as f64)),
        ("K".into(), Value::Matrix(Arc::new(k))),
        ("cov".into(), Value::Matrix(Arc::new(cov))),
        (
            "kappa".into(),
            Value::vector(datasets::lattice_spectrum(n, m2)),
        ),
    ]))
}

fn gaussian_data(ev: &Evaluator, a: &Args, span: Span, _: &Draw) -> Result<Value> {
    let cov = crate::eval::args::matrix(&a[0], "cov", span)?.clone();
    let samples = count(a[1].as_ref().expect("required"), "samples", span)?;
    let mean = match &a[2] {
        Some(_) => crate::eval::args::numbers(&a[2], "mean", span)?.to_vec(),
        None => {
            ev.record_default("gaussian_data.mean", span, "0".into());
            vec![0.0; cov.nrows()]
        }
    };
    let test = given_count(ev, &a[3], "gaussian_data.test", 0, span, true)?;
    Ok(Value::record(vec![
        ("data".into(), Value::Str("gaussian_data".into())),
        ("samples".into(), Value::Num(samples as f64)),
        ("test".into(), Value::Num(test as f64)),
        ("cov".into(), Value::Matrix(Arc::new(cov))),
        ("mean".into(), Value::vector(mean)),
    ]))
}

/// The path of a data file: relative paths from the script's folder.
fn data_path(ev: &Evaluator, path: &str, span: Span) -> std::path::PathBuf {
    let p = std::path::Path::new(path);
    if p.is_absolute() {
        return p.to_path_buf();
    }
    let script = std::path::Path::new(&ev.sources.get(span.file).name);
    match script.parent() {
        Some(dir) if script.is_file() => dir.join(p),
        _ => p.to_path_buf(),
    }
}

fn load_data(ev: &Evaluator, a: &Args, span: Span, _: &Draw) -> Result<Value> {
    let Some(Value::Str(path)) = &a[0] else {
        return Err(bad(span, "`path` must be a string".into()));
    };
    let table = crate::backend::tables::read_table(&data_path(ev, path, span)).map_err(|e| {
        RunError::new(span, e.to_string())
            .code(crate::diag::ErrorCode::RunValue)
            .help("paths are relative to the script's folder")
    })?;
    let targets: Vec<usize> = match &a[1] {
        Some(_) => crate::eval::args::numbers(&a[1], "targets", span)?
            .iter()
            .map(|&c| c as usize)
            .collect(),
        None => Vec::new(),
    };
    if let Some(&c) = targets.iter().find(|&&c| c >= table.cols) {
        return Err(bad(
            span,
            format!(
                "`targets` names column {c}, but the table has {} columns (0 to {})",
                table.cols,
                table.cols - 1
            ),
        ));
    }
    let test = given_count(ev, &a[2], "load_data.test", 0, span, true)?;
    if test >= table.rows {
        return Err(bad(
            span,
            format!(
                "`test` holds out {test} rows, but the table has {}",
                table.rows
            ),
        ));
    }
    let columns = |want: bool| -> Vec<usize> {
        (0..table.cols)
            .filter(|c| targets.contains(c) == want)
            .collect()
    };
    let take = |rows: std::ops::Range<usize>, cols: &[usize]| -> Value {
        let e: Vec<f64> = rows
            .clone()
            .flat_map(|r| cols.iter().map(move |&c| (r, c)))
            .map(|(r, c)| table.entries[r * table.cols + c])
            .collect();
        matrix(rows.len(), cols.len(), &e)
    };
    let train = 0..table.rows - test;
    let (xc, yc) = (columns(false), columns(true));
    let mut fields = vec![
        ("data".to_string(), Value::Str("load_data".into())),
        ("x".into(), take(train.clone(), &xc)),
    ];
    if !yc.is_empty() {
        fields.push(("y".into(), take(train.clone(), &yc)));
    }
    if test > 0 {
        fields.push(("test_x".into(), take(train.end..table.rows, &xc)));
        if !yc.is_empty() {
            fields.push(("test_y".into(), take(train.end..table.rows, &yc)));
        }
    }
    if !table.names.is_empty() {
        let names = table.names.iter().map(|n| Value::Str(n.as_str().into()));
        fields.push(("columns".into(), Value::List(Arc::new(names.collect()))));
    }
    Ok(Value::record(fields))
}

/// The `data` kind's realizer: the recipe's samples, drawn.
fn realize(ev: &Evaluator, spec: Value, rng: &mut Rng, span: Span, draw: &Draw) -> Result<Value> {
    let kind =
        match spec.field("data") {
            Some(Value::Str(s)) => s.to_string(),
            _ => return Err(bad(
                span,
                "a data set is made by teacher_student, lattice_scalar, gaussian_data or load_data"
                    .into(),
            )),
        };
    let samples = match spec.field("samples") {
        Some(Value::Num(n)) => *n as usize,
        _ => 0,
    };
    let mut fields: Vec<(String, Value)> = match &spec {
        Value::Record(f) => f.iter().cloned().collect(),
        _ => Vec::new(),
    };
    match kind.as_str() {
        "teacher_student" => return teach(ev, fields, samples, rng, span, draw),
        "lattice_scalar" | "gaussian_data" => {
            let Some(Value::Matrix(cov)) = spec.field("cov") else {
                unreachable!("checked")
            };
            let mean = match spec.field("mean") {
                Some(Value::Vector(m)) => m.to_vec(),
                _ => vec![0.0; cov.nrows()],
            };
            let x = datasets::gaussian_samples(cov, &mean, samples, rng)
                .map_err(|e| backend(span, e))?;
            fields.push(("x".into(), matrix(samples, cov.nrows(), &x)));
            let test = match spec.field("test") {
                Some(Value::Num(t)) => *t as usize,
                _ => 0,
            };
            if test > 0 {
                let t = datasets::gaussian_samples(cov, &mean, test, rng)
                    .map_err(|e| backend(span, e))?;
                fields.push(("test_x".into(), matrix(test, cov.nrows(), &t)));
            }
        }
        _ => {}
    }
    Ok(Value::record(fields))
}

/// Draw the teacher's weights (from the data set's stream, so they differ from a student's
/// of the same architecture), the inputs, and the targets y = teacher(x) + noise·ξ.
fn teach(
    ev: &Evaluator,
    mut fields: Vec<(String, Value)>,
    samples: usize,
    rng: &mut Rng,
    span: Span,
    draw: &Draw,
) -> Result<Value> {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let teacher = network_draw::realize(ev, get("teacher").expect("recipe"), rng, span, draw)?;
    let Some(Value::Dist(inputs)) = get("inputs") else {
        unreachable!("checked")
    };
    let test = match get("test") {
        Some(Value::Num(t)) => t as usize,
        _ => 0,
    };
    let noise = match get("noise") {
        Some(Value::Num(s)) => s,
        _ => 0.0,
    };
    let network_draw::Model::Perceptron { net, .. } = network_draw::model_of(&teacher, span)?
    else {
        unreachable!("a perceptron teacher")
    };
    let (n_in, n_out) = (net.widths[0], net.widths[net.widths.len() - 1]);
    let mut ws = Workspace::new(&net, 256);
    let mut pair = |rows: usize, rng: &mut Rng| -> (Value, Value) {
        let x: Vec<f64> = (0..rows * n_in).map(|_| inputs.sample(rng)).collect();
        let mut y = Vec::with_capacity(rows * n_out);
        for chunk in x.chunks(256 * n_in) {
            y.extend_from_slice(net.forward(chunk, chunk.len() / n_in, &mut ws));
        }
        if noise != 0.0 {
            for v in &mut y {
                *v += noise * Dist::Normal { mean: 0.0, sd: 1.0 }.sample(rng);
            }
        }
        (matrix(rows, n_in, &x), matrix(rows, n_out, &y))
    };
    let (x, y) = pair(samples, rng);
    fields.retain(|(n, _)| n != "teacher");
    fields.push(("teacher".into(), teacher.clone()));
    fields.push(("x".into(), x));
    fields.push(("y".into(), y));
    if test > 0 {
        let (tx, ty) = pair(test, rng);
        fields.push(("test_x".into(), tx));
        fields.push(("test_y".into(), ty));
    }
    Ok(Value::record(fields))
}
