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

/// The first report of a script that must run.
pub fn first_report(text: &str, threads: Option<usize>) -> wmd::ir::value::Value {
    let out = run_script("t.wmd", text, &[], threads).unwrap_or_else(|e| panic!("{e}"));
    out.reports[0].1.clone()
}

/// A report's field.
pub fn field<'a>(v: &'a wmd::ir::value::Value, name: &str) -> &'a wmd::ir::value::Value {
    v.field(name).unwrap_or_else(|| panic!("no field {name}"))
}

/// A number, a vector, or a matrix's entries row by row.
pub fn numbers(v: &wmd::ir::value::Value) -> Vec<f64> {
    use wmd::ir::value::Value;
    match v {
        Value::Num(x) => vec![*x],
        Value::Matrix(m) => (0..m.nrows())
            .flat_map(|i| (0..m.ncols()).map(move |j| m[(i, j)]))
            .collect(),
        other => other
            .as_slice()
            .unwrap_or_else(|| panic!("{other:?}"))
            .to_vec(),
    }
}

/// Sample mean and its standard error.
pub fn mean_se(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, (var / n).sqrt())
}
