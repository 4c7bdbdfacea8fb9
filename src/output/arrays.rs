//! Large vectors and matrices of a results tree, written whole as NumPy `.npy` files (float64,
//! C order) under `arrays/` of the output folder, and referenced from results.yaml/json by
//! `{npy: "arrays/NAME.npy", shape: [...]}` with NAME the value's path in the tree
//! (`reports.learn.final`); `numpy.load` reads them back exactly. Arrays up to
//! [`MAX_INLINE`] entries stay inline in the tree.

use npyz::WriterBuilder;
use serde_json::{json, Value as Json};
use std::collections::HashSet;
use std::path::PathBuf;

/// The folder of the array files inside the output folder.
pub const ARRAYS_DIR: &str = "arrays";

/// Largest array written inline in the results tree.
pub const MAX_INLINE: usize = 10_000;

/// What a results tree does with a large array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Describe it by its shape (a value shown in the REPL, where no folder is written).
    Describe,
    /// Reference its file, without making the file (the tree alone, for comparisons).
    Reference,
    /// Reference its file and make it.
    Write,
}

/// The array files of one results tree.
pub struct Arrays {
    mode: Mode,
    /// Arrays of more entries than this go to files.
    pub max_inline: usize,
    pub files: Vec<(PathBuf, Vec<u8>)>,
    names: HashSet<String>,
}

impl Arrays {
    pub fn new(mode: Mode) -> Arrays {
        Arrays {
            mode,
            max_inline: MAX_INLINE,
            files: Vec::new(),
            names: HashSet::new(),
        }
    }

    /// The tree's entry for an array of `shape` (row-major `data`) at `path`: its file's
    /// reference (the file kept), or its shape.
    pub fn put(&mut self, path: &[String], shape: &[u64], data: impl Iterator<Item = f64>) -> Json {
        if self.mode == Mode::Describe {
            return match shape {
                [r, c] => json!({"matrix": {"rows": r, "cols": c}}),
                _ => json!({"vector": {"len": shape[0]}}),
            };
        }
        let name = self.unique(&file_stem(path));
        let rel = format!("{ARRAYS_DIR}/{name}.npy");
        if self.mode == Mode::Write {
            let mut bytes = Vec::new();
            write_npy(&mut bytes, shape, data).expect("writing into memory");
            self.files.push((PathBuf::from(&rel), bytes));
        }
        json!({"npy": rel, "shape": shape})
    }

    fn unique(&mut self, stem: &str) -> String {
        unique_name(&mut self.names, stem)
    }
}

/// `stem`, or `stem_2`, `stem_3`, … when taken; the name returned is taken from then on.
pub(crate) fn unique_name(taken: &mut HashSet<String>, stem: &str) -> String {
    let mut name = stem.to_string();
    let mut k = 1;
    while !taken.insert(name.clone()) {
        k += 1;
        name = format!("{stem}_{k}");
    }
    name
}

/// A file name from a tree path: its parts joined by `.`, anything but ASCII letters, digits,
/// `_` and `-` replaced by `_`.
pub(crate) fn file_stem(path: &[String]) -> String {
    let clean = |p: &String| -> String {
        p.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let parts: Vec<String> = path.iter().map(clean).collect();
    parts.join(".")
}

/// A float64 `.npy` of `shape` from row-major `data`.
fn write_npy(
    out: &mut Vec<u8>,
    shape: &[u64],
    data: impl Iterator<Item = f64>,
) -> std::io::Result<()> {
    let mut w = npyz::WriteOptions::<f64>::new()
        .default_dtype()
        .shape(shape)
        .writer(out)
        .begin_nd()?;
    w.extend(data)?;
    w.finish()
}
