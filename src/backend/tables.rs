//! Numeric tables from files: CSV (comma-separated, an optional header row of names) and
//! NumPy `.npy` (float64 or float32, one or two dimensions, C or Fortran order), read into
//! rows × cols, row-major.

use super::BackendError;
use std::path::Path;

/// A table read from a file: its shape, its entries row by row, and its column names (from a
/// CSV header; empty otherwise).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub rows: usize,
    pub cols: usize,
    pub entries: Vec<f64>,
    pub names: Vec<String>,
}

/// Read `path` by its extension: `.csv` or `.npy`.
pub fn read_table(path: &Path) -> Result<Table, BackendError> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("csv") => read_csv(path),
        Some("npy") => read_npy(path),
        _ => Err(BackendError::Invalid(format!(
            "{}: a data file is read by its extension, `.csv` or `.npy`",
            path.display()
        ))),
    }
}

fn io_error(path: &Path, e: impl std::fmt::Display) -> BackendError {
    BackendError::Invalid(format!("{}: {e}", path.display()))
}

/// CSV: every row the same number of fields; the first row is a header when any of its
/// fields is not a number. Blank fields and fields that are not numbers elsewhere are errors
/// naming the line and the column.
fn read_csv(path: &Path) -> Result<Table, BackendError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| io_error(path, e))?;
    let mut t = Table {
        rows: 0,
        cols: 0,
        entries: Vec::new(),
        names: Vec::new(),
    };
    for (line, record) in reader.records().enumerate() {
        let record = record.map_err(|e| io_error(path, e))?;
        let numbers: Vec<Option<f64>> = record.iter().map(|f| f.parse().ok()).collect();
        if line == 0 && numbers.iter().any(Option::is_none) {
            t.names = record.iter().map(str::to_string).collect();
            t.cols = t.names.len();
            continue;
        }
        if t.rows == 0 && t.names.is_empty() {
            t.cols = numbers.len();
        }
        if numbers.len() != t.cols {
            return Err(io_error(
                path,
                format!(
                    "line {} has {} fields, but the table has {}",
                    line + 1,
                    numbers.len(),
                    t.cols
                ),
            ));
        }
        for (col, x) in numbers.iter().enumerate() {
            let x = x.ok_or_else(|| {
                io_error(
                    path,
                    format!(
                        "line {}, column {}: `{}` is not a number",
                        line + 1,
                        col + 1,
                        &record[col]
                    ),
                )
            })?;
            t.entries.push(x);
        }
        t.rows += 1;
    }
    if t.rows == 0 {
        return Err(io_error(path, "the file has no rows of numbers"));
    }
    Ok(t)
}

/// `.npy` of float64 or float32, shape (n,) (read as n × 1) or (rows, cols).
fn read_npy(path: &Path) -> Result<Table, BackendError> {
    let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
    let npy = npyz::NpyFile::new(&bytes[..]).map_err(|e| io_error(path, e))?;
    let shape: Vec<usize> = npy.shape().iter().map(|&n| n as usize).collect();
    let fortran = npy.order() == npyz::Order::Fortran;
    let (rows, cols) = match shape[..] {
        [n] => (n, 1),
        [r, c] => (r, c),
        _ => {
            return Err(io_error(
                path,
                format!(
                    "an array of {} dimensions; a table has one or two",
                    shape.len()
                ),
            ))
        }
    };
    let descr = npy.dtype().descr();
    let raw: Vec<f64> = match descr
        .trim_matches('\'')
        .trim_start_matches(['<', '>', '|', '='])
    {
        "f8" => npy.into_vec::<f64>().map_err(|e| io_error(path, e))?,
        "f4" => npy
            .into_vec::<f32>()
            .map_err(|e| io_error(path, e))?
            .into_iter()
            .map(f64::from)
            .collect(),
        other => {
            return Err(io_error(
                path,
                format!(
                    "entries of type `{other}`; wmd reads float64 (`f8`) and float32 (`f4`) arrays"
                ),
            ))
        }
    };
    let entries = if fortran {
        (0..rows * cols)
            .map(|k| raw[(k % cols) * rows + k / cols])
            .collect()
    } else {
        raw
    };
    Ok(Table {
        rows,
        cols,
        entries,
        names: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A version-1.0 `.npy` of little-endian float64, written by hand as numpy does.
    fn npy_bytes(shape: &str, fortran: bool, data: &[f64]) -> Vec<u8> {
        let order = if fortran { "True" } else { "False" };
        let mut header =
            format!("{{'descr': '<f8', 'fortran_order': {order}, 'shape': {shape}, }}");
        while (10 + header.len() + 1) % 64 != 0 {
            header.push(' ');
        }
        header.push('\n');
        let mut out = b"\x93NUMPY\x01\x00".to_vec();
        out.extend_from_slice(&(header.len() as u16).to_le_bytes());
        out.extend_from_slice(header.as_bytes());
        for x in data {
            out.extend_from_slice(&x.to_le_bytes());
        }
        out
    }

    #[test]
    fn npy_tables_read_in_c_and_fortran_order() {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path().join("c.npy");
        std::fs::write(
            &c,
            npy_bytes("(2, 3)", false, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
        )
        .unwrap();
        let f = dir.path().join("f.npy");
        std::fs::write(
            &f,
            npy_bytes("(2, 3)", true, &[1.0, 4.0, 2.0, 5.0, 3.0, 6.0]),
        )
        .unwrap();
        for p in [c, f] {
            let t = read_table(&p).unwrap();
            assert_eq!((t.rows, t.cols), (2, 3));
            assert_eq!(t.entries, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        }
    }

    #[test]
    fn csv_tables_with_and_without_a_header() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.csv");
        std::fs::write(&p, "x, y\n1, 2\n3.5, -4e-1\n").unwrap();
        let t = read_table(&p).unwrap();
        assert_eq!(
            (t.rows, t.cols, t.names.clone()),
            (2, 2, vec!["x".to_string(), "y".into()])
        );
        assert_eq!(t.entries, vec![1.0, 2.0, 3.5, -0.4]);
        std::fs::write(&p, "1,2\n3,x\n").unwrap();
        let e = read_table(&p).unwrap_err().to_string();
        assert!(e.contains("line 2, column 2"), "{e}");
    }
}
