//! Emitting results: the readable summary, the results tree (YAML or JSON), the manifest, and
//! the output folder written as one set ([`folder`]: the old set or the new one, never a mix).

pub mod arrays;
mod csv;
pub mod figures;
pub mod folder;
mod html;
mod summary;
mod tree;

use crate::ir::outcome::Outcome;
use crate::ir::value::Value;
use arrays::{Arrays, Mode};
use serde_json::{json, Map, Value as Json};
use std::path::PathBuf;
pub use summary::summary;
use tree::tree;

/// A value as JSON (also serialised to YAML), large arrays described by their shape (the
/// REPL's view; a run's results tree writes them whole, [`results_and_arrays`]).
pub fn to_json(v: &Value) -> Json {
    tree(v, &mut Vec::new(), &mut Arrays::new(Mode::Describe))
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

/// The format of the results file and the manifest (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
    /// A tidy table of scalars, every array in a `.npy` file (`output/csv.rs`).
    Csv,
}

/// A run's output set: each file's path relative to the output folder, and its bytes:
/// `results.{yaml,json,csv}` and `manifest.{yaml,json,csv}` in `format`, the `.npy` files of
/// the arrays under `arrays/`, every figure as `figures/NAME.svg`, and `report.html`.
pub fn output_files(
    info: &ManifestInfo,
    outcome: &Outcome,
    format: Format,
) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    let manifest = manifest_json(info, outcome);
    let mut files = match format {
        Format::Csv => csv::results(outcome)?,
        Format::Yaml | Format::Json => {
            let json = format == Format::Json;
            let (tree, arrays) = results_and_arrays(outcome);
            let name = if json { "results.json" } else { "results.yaml" };
            let mut files = vec![(PathBuf::from(name), serialise(&tree, json)?.into_bytes())];
            files.extend(arrays);
            files
        }
    };
    let manifest_file = match format {
        Format::Yaml => ("manifest.yaml", serialise(&manifest, false)?.into_bytes()),
        Format::Json => ("manifest.json", serialise(&manifest, true)?.into_bytes()),
        Format::Csv => ("manifest.csv", csv::manifest(&manifest)?),
    };
    files.push((PathBuf::from(manifest_file.0), manifest_file.1));
    let drawn = drawn_figures(outcome)?;
    for (fig, svg) in &drawn {
        files.push((figure_path(&fig.name), svg.clone().into_bytes()));
    }
    let page = html::Page {
        script: info.script,
        summary: &summary(outcome),
        manifest: &serialise(&manifest, false)?,
    };
    let html = html::page(&page, outcome, &drawn);
    files.push((PathBuf::from("report.html"), html.into_bytes()));
    Ok(files)
}

/// The folder of the figures inside the output folder.
pub const FIGURES_DIR: &str = "figures";

fn figure_path(name: &str) -> PathBuf {
    PathBuf::from(format!("{FIGURES_DIR}/{name}.svg"))
}

/// Every figure of the outcome with its SVG, names made unique and file-safe.
pub fn drawn_figures(outcome: &Outcome) -> Result<Vec<(figures::Figure, String)>, String> {
    let mut taken = std::collections::HashSet::new();
    let mut out = Vec::new();
    for mut fig in figures::figures(outcome) {
        let parts: Vec<String> = fig.name.split('.').map(String::from).collect();
        fig.name = arrays::unique_name(&mut taken, &arrays::file_stem(&parts));
        let svg = fig.svg()?;
        out.push((fig, svg));
    }
    Ok(out)
}
