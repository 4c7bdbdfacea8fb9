//! Helpers shared by the tests.

use wmd::span::Sources;

/// Run a script through every stage; on error, the rendered diagnostics (no colour).
pub fn run_script(
    name: &str,
    text: &str,
    sets: &[(&str, &str)],
    threads: Option<usize>,
) -> Result<wmd::ir::outcome::Outcome, String> {
    let mut sources = Sources::new();
    let sets: Vec<(String, String)> = sets
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let opts = wmd::RunOptions {
        threads,
        ..Default::default()
    };
    wmd::run_source(&mut sources, name, text, &sets, &opts).map_err(|d| d.render(&sources, false))
}

/// Round every number of a results tree to 4 significant digits for snapshots.
pub fn rounded(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        J::Number(n) => match n.as_f64() {
            Some(x) if n.is_f64() => {
                serde_json::from_str(&wmd::number::sig(x, 4)).unwrap_or(J::Null)
            }
            _ => v.clone(),
        },
        J::Array(a) => J::Array(a.iter().map(rounded).collect()),
        J::Object(o) => J::Object(o.iter().map(|(k, x)| (k.clone(), rounded(x))).collect()),
        other => other.clone(),
    }
}

pub fn repo_path(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}
