//! The `domain` item shared by the kinds on a grid (`fokker_planck`, `pde`, `characteristics`):
//! `domain x in (a, b) cells n` or `domain (x, y) in box(ax, bx, ay, by) cells n x m`, lowered
//! to the fields `domain` (the region; `params` = the number of variables) and `domain.cells`.

use super::fields::Fields;
use crate::backend::fokker_planck::operator::Grid1;
use crate::backend::fokker_planck::{solve1d, MAX_CELLS};
use crate::diag::ErrorCode;
use crate::eval::error::{Result, RunError};
use crate::eval::state::{Evaluator, Frame};
use crate::ir::value::Value;

impl Evaluator<'_> {
    /// `domain x in (a, b) cells n` or `domain (x, y) in box(ax, bx, ay, by) cells n x m`.
    pub fn domain(&self, f: &Fields, frame: &mut Frame) -> Result<(usize, Vec<Grid1>)> {
        let field = f.get("domain").ok_or_else(|| f.missing("a `domain`"))?;
        let dims = field.params.unwrap_or(1);
        let bad = |msg: String| RunError::new(field.span, msg).code(ErrorCode::RunField);
        if !(1..=2).contains(&dims) {
            return Err(bad(format!("a domain has 1 or 2 variables, not {dims}")));
        }
        let region = self.eval(&field.code, frame)?;
        let ends = region
            .as_slice()
            .filter(|s| s.len() == 2 * dims)
            .ok_or_else(|| {
                bad(format!(
                    "the region of a {dims}D domain must be {}, but is {}",
                    if dims == 1 {
                        "an interval (a, b)"
                    } else {
                        "box(ax, bx, ay, by)"
                    },
                    region.describe()
                ))
            })?;
        let ends = ends.to_vec();
        let cells = self.domain_cells(f, dims, frame)?;
        let grids: Vec<Grid1> = (0..dims)
            .map(|k| Grid1 {
                a: ends[2 * k],
                b: ends[2 * k + 1],
                n: cells[k],
            })
            .collect();
        for g in &grids {
            solve1d::check_grid(g).map_err(|e| bad(e.to_string()))?;
        }
        let total = grids
            .iter()
            .map(|g| g.n)
            .fold(1usize, usize::saturating_mul);
        if total > MAX_CELLS {
            return Err(bad(format!(
                "{total} cells is more than this solver takes ({MAX_CELLS})"
            )));
        }
        Ok((dims, grids))
    }

    fn domain_cells(&self, f: &Fields, dims: usize, frame: &mut Frame) -> Result<Vec<usize>> {
        let field = f
            .get("domain.cells")
            .filter(|c| !matches!(&c.code, crate::ir::code::Code::Vector(v, _) if v.is_empty()));
        let span = f.get("domain").map(|d| d.span).unwrap_or(f.span);
        let Some(field) = field else {
            return Err(RunError::new(span, "the domain needs a number of cells")
                .code(ErrorCode::RunField)
                .help("write `domain x in (0, 9) cells 400` (2D: `cells 100 x 100`)"));
        };
        let v = self.eval(&field.code, frame)?;
        let counts = v.as_slice().unwrap_or(&[]).to_vec();
        if counts.len() != dims {
            return Err(RunError::new(
                field.span,
                format!(
                    "a {dims}D domain needs {dims} cell count(s), but has {}",
                    counts.len()
                ),
            )
            .code(ErrorCode::RunField));
        }
        counts
            .iter()
            .map(|c| crate::eval::args::count(&Value::Num(*c), "cells", field.span))
            .collect()
    }
}
