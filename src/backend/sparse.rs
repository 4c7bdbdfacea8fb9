//! Sparse LU solves with faer, always sequential (`Par::Seq`) so that the factors, and every
//! number computed from them, are the same on any thread count. Parallelism in wmd is across
//! independent jobs, lines and draws, never inside one factorisation.
//!
//! A = P_rᵀ L U P_cᵀ with a fill-reducing column ordering (COLAMD) and partial pivoting by
//! rows (faer's simplicial or supernodal LU, chosen by faer from the pattern). The symbolic
//! part depends only on the pattern and can be kept for matrices with the same pattern.

use super::BackendError;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::sparse::linalg::lu::{factorize_symbolic_lu, LuRef, NumericLu, SymbolicLu};
use faer::sparse::{SparseColMat, SparseColMatRef, SymbolicSparseColMatRef, Triplet};
use faer::{Conj, MatMut, Par};
use std::sync::Arc;

/// One entry (row, column, value) of a sparse matrix; repeated positions add up.
pub type Entry = (usize, usize, f64);

/// The symbolic analysis of a pattern (fill-reducing ordering, elimination structure), shared
/// by the factorisations of every matrix with that pattern.
#[derive(Clone)]
pub struct Analysis(Arc<SymbolicLu<usize>>);

impl Analysis {
    pub fn new(pattern: SymbolicSparseColMatRef<'_, usize>) -> Result<Self, BackendError> {
        factorize_symbolic_lu(pattern, Default::default())
            .map(|s| Analysis(Arc::new(s)))
            .map_err(|e| BackendError::Numerical(format!("sparse LU (symbolic): {e:?}")))
    }
}

/// The LU factors of one square sparse matrix.
pub struct SparseLu {
    symbolic: Analysis,
    numeric: NumericLu<usize, f64>,
    n: usize,
}

/// The n × n matrix with the given (row, column, value) entries; repeated positions add up.
pub fn matrix(n: usize, entries: &[Entry]) -> Result<SparseColMat<usize, f64>, BackendError> {
    let triplets: Vec<Triplet<usize, usize, f64>> = entries
        .iter()
        .map(|&(i, j, v)| Triplet::new(i, j, v))
        .collect();
    SparseColMat::try_new_from_triplets(n, n, &triplets)
        .map_err(|e| BackendError::Numerical(format!("sparse matrix: {e:?}")))
}

impl SparseLu {
    /// Factor `a` (square).
    pub fn new(a: &SparseColMat<usize, f64>) -> Result<Self, BackendError> {
        Self::with_analysis(&Analysis::new(a.symbolic())?, a.as_ref())
    }

    /// Factor `a`, whose pattern is the one `analysis` was made from.
    pub fn with_analysis(
        analysis: &Analysis,
        a: SparseColMatRef<'_, usize, f64>,
    ) -> Result<Self, BackendError> {
        let symbolic = &analysis.0;
        let mut numeric = NumericLu::new();
        let scratch = symbolic.factorize_numeric_lu_scratch::<f64>(Par::Seq, Default::default());
        symbolic
            .factorize_numeric_lu(
                &mut numeric,
                a,
                Par::Seq,
                MemStack::new(&mut MemBuffer::new(scratch)),
                Default::default(),
            )
            .map_err(|e| {
                BackendError::Numerical(format!("sparse LU: the matrix is singular ({e:?})"))
            })?;
        Ok(SparseLu {
            symbolic: analysis.clone(),
            numeric,
            n: a.nrows(),
        })
    }

    /// x = A⁻¹ r in place of `r`; non-finite results (a numerically singular A) are an error.
    pub fn solve(&self, r: &mut [f64]) -> Result<(), BackendError> {
        assert_eq!(r.len(), self.n, "sparse solve: right-hand side length");
        let symbolic = &self.symbolic.0;
        let scratch = symbolic.solve_in_place_scratch::<f64>(1, Par::Seq);
        let rhs = MatMut::from_column_major_slice_mut(r, self.n, 1);
        LuRef::new_unchecked(symbolic, &self.numeric).solve_in_place_with_conj(
            Conj::No,
            rhs,
            Par::Seq,
            MemStack::new(&mut MemBuffer::new(scratch)),
        );
        if let Some(i) = r.iter().position(|v| !v.is_finite()) {
            return Err(BackendError::Numerical(format!(
                "sparse solve: component {i} is {} (a singular matrix)",
                r[i]
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 2D 5-point Laplacian with Dirichlet edges plus a shift, against its product.
    #[test]
    fn solves_a_2d_laplacian() {
        let (n, m) = (7, 5);
        let id = |i: usize, j: usize| i * m + j;
        let mut e = Vec::new();
        for i in 0..n {
            for j in 0..m {
                e.push((id(i, j), id(i, j), 4.5));
                if i > 0 {
                    e.push((id(i, j), id(i - 1, j), -1.0));
                }
                if i + 1 < n {
                    e.push((id(i, j), id(i + 1, j), -1.0));
                }
                if j > 0 {
                    e.push((id(i, j), id(i, j - 1), -1.0));
                }
                if j + 1 < m {
                    e.push((id(i, j), id(i, j + 1), -1.2));
                }
            }
        }
        let a = matrix(n * m, &e).unwrap();
        let x: Vec<f64> = (0..n * m).map(|k| (k as f64 * 0.37).sin()).collect();
        let mut b = vec![0.0; n * m];
        for &(i, j, v) in &e {
            b[i] += v * x[j];
        }
        SparseLu::new(&a).unwrap().solve(&mut b).unwrap();
        for (u, v) in b.iter().zip(&x) {
            assert!((u - v).abs() < 1e-13, "{u} vs {v}");
        }
    }

    #[test]
    fn a_singular_matrix_is_an_error() {
        let a = matrix(2, &[(0, 0, 1.0), (1, 0, 1.0)]).unwrap();
        let r = SparseLu::new(&a).and_then(|lu| lu.solve(&mut [1.0, 2.0]));
        assert!(r.is_err());
    }
}
