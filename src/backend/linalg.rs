//! Dense linear algebra on faer: random-matrix laws, Gram matrices, symmetric spectra and
//! singular values. Every faer call runs with `Par::Seq`: parallelism is across independent
//! draws (by the caller, with rayon), so the numbers are identical for any thread count.

use super::rng::Rng;
use super::BackendError;
use faer::diag::Diag;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::matmul::triangular::BlockStructure;
use faer::{Accum, Mat, MatRef, Par};
use rand::RngExt;
use rand_distr::StandardNormal;

/// A law of random matrices.
#[derive(Debug, Clone, PartialEq)]
pub enum MatrixLaw {
    /// rows×cols matrix of i.i.d. N(mean, var) entries.
    Gaussian {
        rows: usize,
        cols: usize,
        mean: f64,
        var: f64,
    },
    /// n×n GOE: H = (A + Aᵀ)/√2 with A i.i.d. N(0, var), so off-diagonal variance var and
    /// diagonal variance 2·var.
    Goe { n: usize, var: f64 },
    /// cols×cols Wishart matrix WᵀW of a rows×cols Gaussian W with entry variance var.
    Wishart { rows: usize, cols: usize, var: f64 },
    /// n×n GUE (complex Hermitian, E|H_ij|² = var, diagonal variance var): eigenvalue law
    /// ∝ Π|λ_i − λ_j|² e^{−Σλ²/(2var)}. Sampled as described in [`sample`].
    Gue { n: usize, var: f64 },
    /// n×n GSE (quaternion self-dual, E|q_ij|² = var, diagonal variance var/2): eigenvalue law
    /// ∝ Π|λ_i − λ_j|⁴ e^{−Σλ²/var}, each Kramers pair counted once.
    Gse { n: usize, var: f64 },
    /// cols×cols complex Wishart W†W of a rows×cols complex Gaussian W with E|W_ij|² = var.
    WishartComplex { rows: usize, cols: usize, var: f64 },
}

impl MatrixLaw {
    /// Shape of a sample.
    pub fn shape(&self) -> (usize, usize) {
        match self {
            MatrixLaw::Gaussian { rows, cols, .. } => (*rows, *cols),
            MatrixLaw::Goe { n, .. } => (*n, *n),
            MatrixLaw::Wishart { cols, .. } | MatrixLaw::WishartComplex { cols, .. } => {
                (*cols, *cols)
            }
            MatrixLaw::Gue { n, .. } | MatrixLaw::Gse { n, .. } => (*n, *n),
        }
    }

    /// Check the parameters: every size ≥ 1, var > 0 and finite, mean finite, and no matrix
    /// the law builds (for Wishart both W, rows×cols, and WᵀW, cols×cols; for the GSE the
    /// 2n×2n complex form) above 2³¹ entries.
    /// [`sample`] assumes a validated law.
    pub fn validate(&self) -> Result<(), BackendError> {
        let (var, mean, dims) = match self {
            MatrixLaw::Gaussian {
                rows,
                cols,
                mean,
                var,
            } => (*var, *mean, (*rows, *cols)),
            MatrixLaw::Goe { n, var } => (*var, 0.0, (*n, *n)),
            MatrixLaw::Wishart { rows, cols, var }
            | MatrixLaw::WishartComplex { rows, cols, var } => (*var, 0.0, (*rows, *cols)),
            MatrixLaw::Gue { n, var } => (*var, 0.0, (*n, *n)),
            MatrixLaw::Gse { n, var } => (*var, 0.0, (*n, *n)),
        };
        check_size(dims.0, dims.1)?;
        match self {
            MatrixLaw::Wishart { cols, .. } | MatrixLaw::WishartComplex { cols, .. } => {
                check_size(*cols, *cols)?
            }
            MatrixLaw::Gse { n, .. } => check_size(2 * n, 2 * n)?,
            _ => {}
        }
        if !(var > 0.0 && var.is_finite()) {
            return Err(BackendError::Invalid(format!(
                "the variance must be positive and finite, but is {var}"
            )));
        }
        if !mean.is_finite() {
            return Err(BackendError::Invalid(format!(
                "the mean must be finite, but is {mean}"
            )));
        }
        Ok(())
    }
}

/// Error unless a rows×cols matrix has between 1 and 2³¹ entries.
fn check_size(rows: usize, cols: usize) -> Result<(), BackendError> {
    if rows == 0 || cols == 0 {
        return Err(BackendError::Invalid(format!(
            "a {rows}×{cols} matrix has no entries"
        )));
    }
    let what = format!("a {rows}×{cols} matrix");
    crate::limits::check_elements(&what, rows as f64 * cols as f64).map_err(BackendError::Invalid)
}

/// i.i.d. N(mean, var) entries, filled column by column.
fn gaussian(rows: usize, cols: usize, mean: f64, var: f64, rng: &mut Rng) -> Mat<f64> {
    let sd = var.sqrt();
    let mut m = Mat::<f64>::zeros(rows, cols);
    for j in 0..cols {
        for x in m.col_mut(j).iter_mut() {
            let z: f64 = rng.sample(StandardNormal);
            *x = mean + sd * z;
        }
    }
    m
}

/// Draw one sample of a (validated) law, consuming normals from `rng` in column-major order:
/// Gaussian Wᵢⱼ = mean + √var·zᵢⱼ; GOE H = (A + Aᵀ)/√2 with Aᵢⱼ = √var·zᵢⱼ; Wishart WᵀW.
///
/// A complex law (GUE, GSE, complex Wishart) is sampled as its complex Hermitian (for the GSE,
/// quaternion self-dual) matrix H ([`super::hermitian`]), which is diagonalised at once: the
/// sample is the real diagonal matrix diag(λ₁ ≤ … ≤ λₙ) = U†HU, unitarily similar to H and
/// each eigenvalue counted once (a Kramers pair of the GSE once). Every spectral quantity —
/// `eigvals`, traces of powers, spacings — is the ensemble's; the entries, and sums or
/// products with other matrices, are those of this real representative, not of H. Errors only
/// if the eigensolver fails.
pub fn sample(law: &MatrixLaw, rng: &mut Rng) -> Result<Mat<f64>, BackendError> {
    use super::hermitian as h;
    let spectrum = match law {
        MatrixLaw::Gaussian {
            rows,
            cols,
            mean,
            var,
        } => return Ok(gaussian(*rows, *cols, *mean, *var, rng)),
        MatrixLaw::Goe { n, var } => {
            let a = gaussian(*n, *n, 0.0, *var, rng);
            let s = std::f64::consts::FRAC_1_SQRT_2;
            return Ok(Mat::from_fn(*n, *n, |i, j| s * (a[(i, j)] + a[(j, i)])));
        }
        MatrixLaw::Wishart { rows, cols, var } => {
            return Ok(gram(gaussian(*rows, *cols, 0.0, *var, rng).as_ref()))
        }
        MatrixLaw::Gue { n, var } => h::gue_eigvals(*n, *var, rng)?,
        MatrixLaw::Gse { n, var } => h::gse_eigvals(*n, *var, rng)?,
        MatrixLaw::WishartComplex { rows, cols, var } => {
            h::wishart_complex_eigvals(*rows, *cols, *var, rng)?
        }
    };
    let n = spectrum.len();
    Ok(Mat::from_fn(
        n,
        n,
        |i, j| if i == j { spectrum[i] } else { 0.0 },
    ))
}

/// X = WᵀW, Xᵢⱼ = Σₖ WₖᵢWₖⱼ (rows×cols W gives cols×cols X), computing only the lower
/// triangle j ≤ i (half the work of a full product, like BLAS syrk) and mirroring it.
pub fn gram(w: MatRef<f64>) -> Mat<f64> {
    let n = w.ncols();
    let mut x = Mat::<f64>::zeros(n, n);
    faer::linalg::matmul::triangular::matmul(
        x.as_mut(),
        BlockStructure::TriangularLower,
        Accum::Replace,
        w.transpose(),
        BlockStructure::Rectangular,
        w,
        BlockStructure::Rectangular,
        1.0,
        Par::Seq,
    );
    for j in 0..n {
        for i in 0..j {
            x[(i, j)] = x[(j, i)];
        }
    }
    x
}

/// The matrix product (AB)ᵢⱼ = Σₖ AᵢₖBₖⱼ. When A equals Bᵀ entry for entry (`W' * W` in a
/// script) it is computed as the Gram matrix, at half the cost.
pub fn matmul(a: MatRef<f64>, b: MatRef<f64>) -> Result<Mat<f64>, BackendError> {
    if a.ncols() != b.nrows() {
        return Err(BackendError::Shape(format!(
            "{}×{} times {}×{}: inner dimensions {} ≠ {}",
            a.nrows(),
            a.ncols(),
            b.nrows(),
            b.ncols(),
            a.ncols(),
            b.nrows()
        )));
    }
    let what = format!("the {}×{} product", a.nrows(), b.ncols());
    crate::limits::check_elements(&what, a.nrows() as f64 * b.ncols() as f64)
        .map_err(BackendError::Invalid)?;
    if is_gram(a, b) {
        return Ok(gram(b));
    }
    let mut c = Mat::<f64>::zeros(a.nrows(), b.ncols());
    faer::linalg::matmul::matmul(c.as_mut(), Accum::Replace, a, b, 1.0, Par::Seq);
    Ok(c)
}

/// Whether `a` = `b`ᵀ entry for entry (so AB = BᵀB is a Gram matrix). The comparison costs
/// O(MN) against the product's O(MN²) and stops at the first difference.
fn is_gram(a: MatRef<f64>, b: MatRef<f64>) -> bool {
    if a.nrows() != b.ncols() || a.ncols() != b.nrows() {
        return false;
    }
    (0..b.ncols()).all(|j| (0..b.nrows()).all(|i| a[(j, i)] == b[(i, j)]))
}

/// Error naming the first non-finite entry, if any.
pub(super) fn check_finite(a: MatRef<f64>) -> Result<(), BackendError> {
    for j in 0..a.ncols() {
        for i in 0..a.nrows() {
            let v = a[(i, j)];
            if !v.is_finite() {
                return Err(BackendError::Numerical(format!(
                    "entry ({i}, {j}) of the matrix is {v}"
                )));
            }
        }
    }
    Ok(())
}

/// Error unless A is symmetric: |Aᵢⱼ − Aⱼᵢ| ≤ 10⁻¹⁰·max|Aₖₗ| for every pair; the message
/// names `what` needs it, then `hint`.
pub(super) fn check_symmetric(a: MatRef<f64>, what: &str, hint: &str) -> Result<(), BackendError> {
    let n = a.nrows();
    let scale = (0..n)
        .flat_map(|j| (0..n).map(move |i| (i, j)))
        .fold(0.0f64, |m, (i, j)| m.max(a[(i, j)].abs()));
    let tol = 1e-10 * scale.max(f64::MIN_POSITIVE);
    for j in 0..n {
        for i in 0..j {
            if (a[(i, j)] - a[(j, i)]).abs() > tol {
                return Err(BackendError::Invalid(format!(
                    "{what} needs a symmetric matrix, but entries ({i}, {j}) and ({j}, {i}) differ{hint}"
                )));
            }
        }
    }
    Ok(())
}

/// Scratch memory for a faer routine; an error rather than an abort if it cannot be had.
fn scratch(req: faer::dyn_stack::StackReq) -> Result<MemBuffer, BackendError> {
    MemBuffer::try_new(req)
        .map_err(|_| BackendError::Numerical("out of memory for the solver's workspace".into()))
}

/// Ascending eigenvalues λ₁ ≤ … ≤ λₙ of a symmetric matrix A = QΛQᵀ: Householder
/// tridiagonalisation A = PTPᵀ (faer, reading the lower triangle), then the eigenvalues of T
/// by rational QL ([`super::tridiag`]; no eigenvectors). Errors: A not square, a non-finite
/// entry, A not symmetric (see `check_symmetric`), no convergence.
pub fn sym_eigvals(a: MatRef<f64>) -> Result<Vec<f64>, BackendError> {
    let n = a.nrows();
    if n != a.ncols() {
        return Err(BackendError::Shape(format!(
            "eigenvalues need a square matrix, but this is {}×{}",
            n,
            a.ncols()
        )));
    }
    check_finite(a)?;
    check_symmetric(
        a,
        "`eigvals`",
        "; use `singular_values` for a general matrix",
    )?;
    if n == 0 {
        return Ok(vec![]);
    }
    use faer::linalg::evd::tridiag;
    let mut t = a.to_owned();
    let bs = faer::linalg::qr::no_pivoting::factor::recommended_block_size::<f64>(n, n);
    let mut householder = Mat::<f64>::zeros(bs, n - 1);
    let mut mem = scratch(tridiag::tridiag_in_place_scratch::<f64>(
        n,
        Par::Seq,
        Default::default(),
    ))?;
    tridiag::tridiag_in_place(
        t.as_mut(),
        householder.as_mut(),
        Par::Seq,
        MemStack::new(&mut mem),
        Default::default(),
    );
    let d: Vec<f64> = (0..n).map(|i| t[(i, i)]).collect();
    let e: Vec<f64> = (0..n - 1).map(|i| t[(i + 1, i)]).collect();
    super::tridiag::tridiagonal_eigvals(&d, &e)
}

/// Descending singular values σ₁ ≥ … ≥ σₖ ≥ 0, k = min(rows, cols), of A = UΣVᵀ
/// (bidiagonalisation and bidiagonal SVD, no vectors). Error on a non-finite entry.
pub fn singular_values(a: MatRef<f64>) -> Result<Vec<f64>, BackendError> {
    check_finite(a)?;
    use faer::linalg::svd;
    let k = a.nrows().min(a.ncols());
    let mut s = Diag::<f64>::zeros(k);
    let req = svd::svd_scratch::<f64>(
        a.nrows(),
        a.ncols(),
        svd::ComputeSvdVectors::No,
        svd::ComputeSvdVectors::No,
        Par::Seq,
        Default::default(),
    );
    let mut mem = scratch(req)?;
    svd::svd(
        a,
        s.as_mut(),
        None,
        None,
        Par::Seq,
        MemStack::new(&mut mem),
        Default::default(),
    )
    .map_err(|e| BackendError::Numerical(format!("the SVD did not converge ({e:?})")))?;
    let mut v: Vec<f64> = s.column_vector().iter().copied().collect();
    v.sort_by(|x, y| y.total_cmp(x));
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::rng::stream;

    #[test]
    fn eigenvalues_of_a_known_matrix() {
        // [[2, 1, 0], [1, 2, 0], [0, 0, 5]] has eigenvalues 1, 3, 5.
        let a = faer::mat![[2.0, 1.0, 0.0], [1.0, 2.0, 0.0], [0.0, 0.0, 5.0]];
        let e = sym_eigvals(a.as_ref()).unwrap();
        for (got, want) in e.iter().zip([1.0, 3.0, 5.0]) {
            assert!((got - want).abs() < 1e-12, "{e:?}");
        }
    }

    #[test]
    fn gram_equals_the_explicit_product() {
        let w = sample(
            &MatrixLaw::Gaussian {
                rows: 7,
                cols: 4,
                mean: 0.0,
                var: 1.0,
            },
            &mut stream(1, 0, "W", 0),
        )
        .unwrap();
        let g = gram(w.as_ref());
        let mut full = Mat::<f64>::zeros(4, 4);
        faer::linalg::matmul::matmul(
            full.as_mut(),
            Accum::Replace,
            w.transpose(),
            w.as_ref(),
            1.0,
            Par::Seq,
        );
        for i in 0..4 {
            for j in 0..4 {
                assert!((g[(i, j)] - full[(i, j)]).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn squared_singular_values_are_gram_eigenvalues() {
        let w = sample(
            &MatrixLaw::Gaussian {
                rows: 9,
                cols: 5,
                mean: 0.0,
                var: 1.0,
            },
            &mut stream(2, 0, "W", 0),
        )
        .unwrap();
        let mut s2: Vec<f64> = singular_values(w.as_ref())
            .unwrap()
            .iter()
            .map(|s| s * s)
            .collect();
        s2.reverse();
        let e = sym_eigvals(gram(w.as_ref()).as_ref()).unwrap();
        for (a, b) in s2.iter().zip(&e) {
            assert!((a - b).abs() < 1e-10 * b.abs().max(1.0));
        }
    }

    #[test]
    fn shape_errors_are_reported() {
        let a = Mat::<f64>::zeros(3, 2);
        assert!(matches!(
            matmul(a.as_ref(), a.as_ref()),
            Err(BackendError::Shape(_))
        ));
        assert!(matches!(
            sym_eigvals(a.as_ref()),
            Err(BackendError::Shape(_))
        ));
        let b = faer::mat![[1.0, 2.0], [0.0, 1.0]];
        assert!(matches!(
            sym_eigvals(b.as_ref()),
            Err(BackendError::Invalid(_))
        ));
    }

    #[test]
    fn error_messages_name_the_problem() {
        let a = Mat::<f64>::zeros(2000, 1000);
        let e = matmul(a.as_ref(), a.as_ref()).unwrap_err().to_string();
        assert!(
            e.contains("2000×1000 times 2000×1000: inner dimensions 1000 ≠ 2000"),
            "{e}"
        );
        let mut b = Mat::<f64>::identity(3, 3);
        b[(2, 1)] = f64::NAN;
        let e = sym_eigvals(b.as_ref()).unwrap_err().to_string();
        assert!(e.contains("(2, 1)") && e.contains("NaN"), "{e}");
        assert!(singular_values(b.as_ref()).is_err());
        let c = faer::mat![[1.0, 2.0], [0.0, 1.0]];
        let e = sym_eigvals(c.as_ref()).unwrap_err().to_string();
        assert!(e.contains("singular_values"), "{e}");
    }

    #[test]
    fn empty_matrices_do_not_panic() {
        let z = Mat::<f64>::zeros(0, 0);
        assert_eq!(sym_eigvals(z.as_ref()), Ok(vec![]));
        assert_eq!(singular_values(z.as_ref()), Ok(vec![]));
        assert_eq!(
            singular_values(Mat::<f64>::zeros(0, 3).as_ref()),
            Ok(vec![])
        );
        assert_eq!(
            gram(Mat::<f64>::zeros(0, 2).as_ref()),
            Mat::<f64>::zeros(2, 2)
        );
    }

    #[test]
    fn laws_are_validated() {
        let ok = MatrixLaw::Wishart {
            rows: 10,
            cols: 5,
            var: 1.0,
        };
        assert_eq!(ok.validate(), Ok(()));
        assert_eq!(ok.shape(), (5, 5));
        let bad = [
            MatrixLaw::Goe { n: 0, var: 1.0 },
            MatrixLaw::Goe { n: 3, var: 0.0 },
            MatrixLaw::Goe {
                n: 3,
                var: f64::INFINITY,
            },
            MatrixLaw::Gaussian {
                rows: 2,
                cols: 2,
                mean: f64::NAN,
                var: 1.0,
            },
            MatrixLaw::Gaussian {
                rows: 1 << 20,
                cols: 1 << 12,
                mean: 0.0,
                var: 1.0,
            },
            // W is small (2²⁰ entries) but WᵀW would have 2⁴⁰.
            MatrixLaw::Wishart {
                rows: 1,
                cols: 1 << 20,
                var: 1.0,
            },
        ];
        for law in bad {
            assert!(law.validate().is_err(), "{law:?}");
        }
    }

    /// Spectra of `draws` Wishart samples computed in parallel on a pool of `threads`.
    fn spectra_on(threads: usize, draws: u64) -> Vec<Vec<u64>> {
        use rayon::prelude::*;
        let law = MatrixLaw::Gaussian {
            rows: 300,
            cols: 150,
            mean: 0.0,
            var: 1.0 / 300.0,
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            (0..draws)
                .into_par_iter()
                .map(|d| {
                    let w = sample(&law, &mut stream(9, 1, "W", d)).unwrap();
                    let e = sym_eigvals(gram(w.as_ref()).as_ref()).unwrap();
                    e.iter().map(|x| x.to_bits()).collect()
                })
                .collect()
        })
    }

    #[test]
    fn results_are_bit_identical_for_any_thread_count() {
        let one = spectra_on(1, 6);
        assert_eq!(one, spectra_on(2, 6));
        assert_eq!(one, spectra_on(3, 6));
    }

    #[test]
    fn eigenvalues_agree_with_faers_own_solver() {
        // Both are backward stable: they agree to a small multiple of ε·max|λ| (faer's
        // tridiagonal QR is the less accurate of the two; see `tridiag`).
        use faer::linalg::evd;
        let h = sample(
            &MatrixLaw::Goe { n: 200, var: 1.0 },
            &mut stream(8, 0, "H", 0),
        )
        .unwrap();
        let ours = sym_eigvals(h.as_ref()).unwrap();
        let n = h.nrows();
        let mut s = Diag::<f64>::zeros(n);
        let mut mem = MemBuffer::new(evd::self_adjoint_evd_scratch::<f64>(
            n,
            evd::ComputeEigenvectors::No,
            Par::Seq,
            Default::default(),
        ));
        evd::self_adjoint_evd(
            h.as_ref(),
            s.as_mut(),
            None,
            Par::Seq,
            MemStack::new(&mut mem),
            Default::default(),
        )
        .unwrap();
        let mut theirs: Vec<f64> = s.column_vector().iter().copied().collect();
        theirs.sort_by(f64::total_cmp);
        let scale = ours[0].abs().max(ours[n - 1].abs());
        for (a, b) in ours.iter().zip(&theirs) {
            assert!((a - b).abs() < 1e-12 * scale, "{a} vs {b}");
        }
    }

    #[test]
    fn a_transpose_times_a_is_the_gram_matrix() {
        let w = sample(
            &MatrixLaw::Gaussian {
                rows: 6,
                cols: 3,
                mean: 1.0,
                var: 2.0,
            },
            &mut stream(4, 0, "W", 0),
        )
        .unwrap();
        let wt = w.transpose().to_owned();
        assert_eq!(matmul(wt.as_ref(), w.as_ref()).unwrap(), gram(w.as_ref()));
    }

    #[test]
    fn goe_is_symmetric_with_the_stated_variances() {
        let h = sample(
            &MatrixLaw::Goe { n: 300, var: 1.0 },
            &mut stream(3, 0, "H", 0),
        )
        .unwrap();
        let (mut off, mut diag) = (0.0, 0.0);
        for j in 0..300 {
            diag += h[(j, j)] * h[(j, j)] / 300.0;
            for i in 0..j {
                assert_eq!(h[(i, j)], h[(j, i)]);
                off += h[(i, j)] * h[(i, j)] / (300.0 * 299.0 / 2.0);
            }
        }
        // 44 850 off-diagonal samples: the variance is 1 ± 0.007 (1σ); 300 diagonal: 2 ± 0.16.
        assert!((off - 1.0).abs() < 0.03, "off-diagonal variance {off}");
        assert!((diag - 2.0).abs() < 0.5, "diagonal variance {diag}");
    }
}
