//! Emitting results: the readable summary, the results tree (YAML or JSON), the manifest, and
//! the output folder written as one set ([`folder`]: the old set or the new one, never a mix).

pub mod arrays;
pub mod folder;
mod summary;

use crate::ir::outcome::Outcome;
use crate::ir::value::{Dist, Value};
use arrays::{Arrays, Mode};
use serde_json::{json, Map, Value as Json};
use std::path::PathBuf;
pub use summary::summary;

/// A value as JSON (also serialised to YAML), large arrays described by their shape (the
/// REPL's view; a run's results tree writes them whole, [`results_and_arrays`]).
pub fn to_json(v: &Value) -> Json {
    tree(v, &mut Vec::new(), &mut Arrays::new(Mode::Describe))
}

/// A value as JSON at `path` of the results tree; vectors and matrices of more than
/// [`arrays::MAX_INLINE`] entries go to `arrays`.
fn tree(v: &Value, path: &mut Vec<String>, arrays: &mut Arrays) -> Json {
    let mut at = |key: String, v: &Value, arrays: &mut Arrays| {
        path.push(key);
        let j = tree(v, path, arrays);
        path.pop();
        j
    };
    match v {
        Value::Num(x) => num(*x),
        Value::Bool(b) => json!(b),
        Value::Str(s) => json!(s.to_string()),
        Value::Vector(xs) if xs.len() > arrays::MAX_INLINE => {
            arrays.put(path, &[xs.len() as u64], xs.iter().copied())
        }
        Value::Vector(xs) => Json::Array(xs.iter().map(|x| num(*x)).collect()),
        Value::Mask(m) => json!(m.as_slice()),
        Value::List(l) => Json::Array(
            (l.iter().enumerate())
                .map(|(k, v)| at(k.to_string(), v, arrays))
                .collect(),
        ),
        Value::Record(fields) => Json::Object(
            (fields.iter())
                .map(|(k, v)| (k.clone(), at(k.clone(), v, arrays)))
                .collect::<Map<_, _>>(),
        ),
        Value::Matrix(m) if m.nrows() * m.ncols() > arrays::MAX_INLINE => {
            let shape = [m.nrows() as u64, m.ncols() as u64];
            let entries = (0..m.nrows()).flat_map(|i| (0..m.ncols()).map(move |j| m[(i, j)]));
            arrays.put(path, &shape, entries)
        }
        Value::Matrix(m) => Json::Array(
            (0..m.nrows())
                .map(|i| Json::Array((0..m.ncols()).map(|j| num(m[(i, j)])).collect()))
                .collect(),
        ),
        Value::Func(_) => json!("<function>"),
        Value::Law(_) => json!("<random-matrix law>"),
        Value::Dist(d) => dist_json(d),
    }
}

fn num(x: f64) -> Json {
    if x.is_finite() && x == x.trunc() && x.abs() < 1e15 {
        json!(x as i64)
    } else if x.is_finite() {
        json!(x)
    } else {
        json!(format!("{x}"))
    }
}

fn dist_json(d: &Dist) -> Json {
    let (lo, hi) = d.support();
    json!({"distribution": {"support": [num(lo), num(hi)], "mean": num(d.moment(1))}})
}

/// The results tree of a run, as results.yaml/json has it (large arrays referenced by their
/// `.npy` files, which [`results_and_arrays`] returns).
pub fn results_json(outcome: &Outcome) -> Json {
    results_tree(outcome, Mode::Reference).0
}

/// The results tree of a run and the `.npy` files of its large arrays.
pub fn results_and_arrays(outcome: &Outcome) -> (Json, Vec<(PathBuf, Vec<u8>)>) {
    results_tree(outcome, Mode::Write)
}

fn results_tree(outcome: &Outcome, mode: Mode) -> (Json, Vec<(PathBuf, Vec<u8>)>) {
    let mut arrays = Arrays::new(mode);
    let section = |name: &str, items: &[(String, Value)], arrays: &mut Arrays| {
        let entries = items.iter().map(|(n, v)| {
            let mut path = vec![name.to_string(), n.clone()];
            (n.clone(), tree(v, &mut path, arrays))
        });
        entries.collect::<Map<String, Json>>()
    };
    let reports = section("reports", &outcome.reports, &mut arrays);
    let sweeps = section("sweeps", &outcome.sweeps, &mut arrays);
    let expects: Vec<Json> = outcome
        .expects
        .iter()
        .map(|e| json!({"expect": e.text, "passed": e.passed, "detail": e.detail}))
        .collect();
    let mut root = Map::new();
    root.insert("reports".into(), Json::Object(reports));
    if !sweeps.is_empty() {
        root.insert("sweeps".into(), Json::Object(sweeps));
    }
    if !expects.is_empty() {
        root.insert("expects".into(), Json::Array(expects));
    }
    (Json::Object(root), arrays.files)
}

/// What is needed to reproduce a run: the script's hash, the seed, the version and every
/// default used.
pub struct ManifestInfo<'a> {
    pub script: &'a str,
    pub text: &'a str,
    pub seed: u64,
    pub threads: usize,
    pub sets: &'a [(String, String)],
}

pub fn manifest_json(info: &ManifestInfo, outcome: &Outcome) -> Json {
    use sha2::Digest;
    let hash = sha2::Sha256::digest(info.text.as_bytes());
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    let sets: Map<String, Json> = info
        .sets
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let defaults: Map<String, Json> = outcome
        .defaults
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    json!({
        "wmd_version": env!("CARGO_PKG_VERSION"),
        "script": info.script,
        "script_sha256": hex,
        "seed": info.seed,
        "threads": info.threads,
        "note": "results do not depend on the thread count",
        "sets": sets,
        "defaults_used": defaults,
    })
}

/// Serialise as YAML or JSON.
pub fn serialise(v: &Json, json: bool) -> Result<String, String> {
    if json {
        serde_json::to_string_pretty(v)
            .map(|s| s + "\n")
            .map_err(|e| e.to_string())
    } else {
        serde_yaml::to_string(v).map_err(|e| e.to_string())
    }
}

/// A run's output set: each file's path relative to the output folder, and its bytes. The
/// results file is `results.json` with `json`, else `results.yaml`; then `manifest.yaml` and
/// the `.npy` files of the large arrays under `arrays/`.
pub fn output_files(
    info: &ManifestInfo,
    outcome: &Outcome,
    json: bool,
) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    let (tree, arrays) = results_and_arrays(outcome);
    let results = serialise(&tree, json)?;
    let manifest = serialise(&manifest_json(info, outcome), false)?;
    let results_name = if json { "results.json" } else { "results.yaml" };
    let mut files = vec![
        (PathBuf::from(results_name), results.into_bytes()),
        (PathBuf::from("manifest.yaml"), manifest.into_bytes()),
    ];
    files.extend(arrays);
    Ok(files)
}
