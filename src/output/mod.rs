//! Emitting results: the readable summary, the results tree (YAML or JSON), the manifest, and
//! the output folder written as one set ([`folder`]: the old set or the new one, never a mix).

pub mod folder;
mod summary;

use crate::ir::outcome::Outcome;
use crate::ir::value::{Dist, Value};
use serde_json::{json, Map, Value as Json};
use std::path::PathBuf;
pub use summary::summary;

/// Largest matrix written out in full; bigger ones are summarised by their shape.
const MAX_MATRIX_ENTRIES: usize = 10_000;

/// A value as JSON (also serialised to YAML).
pub fn to_json(v: &Value) -> Json {
    match v {
        Value::Num(x) => num(*x),
        Value::Bool(b) => json!(b),
        Value::Str(s) => json!(s.to_string()),
        Value::Vector(xs) => Json::Array(xs.iter().map(|x| num(*x)).collect()),
        Value::Mask(m) => json!(m.as_slice()),
        Value::List(l) => Json::Array(l.iter().map(to_json).collect()),
        Value::Record(fields) => Json::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect::<Map<_, _>>(),
        ),
        Value::Matrix(m) if m.nrows() * m.ncols() <= MAX_MATRIX_ENTRIES => Json::Array(
            (0..m.nrows())
                .map(|i| Json::Array((0..m.ncols()).map(|j| num(m[(i, j)])).collect()))
                .collect(),
        ),
        Value::Matrix(m) => json!({"matrix": {"rows": m.nrows(), "cols": m.ncols()}}),
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

/// The results tree of a run.
pub fn results_json(outcome: &Outcome) -> Json {
    let reports: Map<String, Json> = outcome
        .reports
        .iter()
        .map(|(n, v)| (n.clone(), to_json(v)))
        .collect();
    let sweeps: Map<String, Json> = outcome
        .sweeps
        .iter()
        .map(|(n, v)| (n.clone(), to_json(v)))
        .collect();
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
    Json::Object(root)
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
/// results file is `results.json` with `json`, else `results.yaml`; then `manifest.yaml`.
pub fn output_files(
    info: &ManifestInfo,
    outcome: &Outcome,
    json: bool,
) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    let results = serialise(&results_json(outcome), json)?;
    let manifest = serialise(&manifest_json(info, outcome), false)?;
    let results_name = if json { "results.json" } else { "results.yaml" };
    Ok(vec![
        (PathBuf::from(results_name), results.into_bytes()),
        (PathBuf::from("manifest.yaml"), manifest.into_bytes()),
    ])
}
