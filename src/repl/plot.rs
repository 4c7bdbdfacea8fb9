//! `:plot EXPR`: the figure of a value, written as an SVG file (nothing is opened).

use crate::ir::value::Value;
use crate::output::figures::figure_of;
use std::path::{Path, PathBuf};

/// A file stem for `text`: itself when it is a name or a path of names (`g.mean` →
/// `g.mean`), else `plot_N`.
pub fn stem(text: &str, n: usize) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    if !text.is_empty() && text.chars().all(plain) {
        text.to_string()
    } else {
        format!("plot_{n}")
    }
}

/// Draw `value` into `dir/STEM.svg` and return the file's path.
pub fn write(dir: &Path, stem: &str, title: &str, value: &Value) -> Result<PathBuf, String> {
    let fig = figure_of(stem, title, value).ok_or_else(|| {
        format!(
            "nothing to draw in {}: :plot draws a histogram, a `vs` comparison, a vector, a \
             matrix, a list of vectors or plot(x, y, ...)",
            value.describe()
        )
    })?;
    let svg = fig.svg()?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join(format!("{stem}.svg"));
    std::fs::write(&path, svg).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}
