//! Complex Hermitian (β = 2) and quaternion self-dual (β = 4) Gaussian matrices and their
//! spectra: the GUE and GSE laws, the complex Wishart law, and the matrix noise of the Coulomb
//! gas's matrix method for β = 2 and 4 ([`super::coulomb_hermitian`]).
//!
//! **One Gaussian matrix G_β for every β.** Its diagonal entries are real N(0, 2) and every
//! real component of an off-diagonal entry is N(0, 1): one real component for β = 1, the real
//! and imaginary parts for β = 2, the four components of a quaternion for β = 4. So
//! E|G_ij|² = β for i ≠ j, and c·G_β has density ∝ exp(−β tr G²/(4c²))·… : its eigenvalues
//! follow the Gaussian β-ensemble Π|λ_i − λ_j|^β e^{−Σλ²/(4c²)}. For matrix Brownian motion
//! dH = g dG_β (per unit time), second-order perturbation theory gives Dyson's
//! dλ_i = √2 g dW_i + β g² Σ_{j≠i} dt/(λ_i − λ_j) exactly in law: the first-order term is the
//! diagonal (variance 2g²dt) and the second-order term Σ_j |dG_ij|²/(λ_i − λ_j) has mean
//! β g² dt/(λ_i − λ_j).
//!
//! **Quaternion self-dual as complex.** An n×n quaternion matrix with entries q = a + b·j (a, b
//! complex) is the 2n×2n complex matrix [[A, B], [−B̄, Ā]]; it is Hermitian when A is Hermitian
//! and B antisymmetric (Bᵀ = −B). Each eigenvalue then appears twice (Kramers pairs: the 2×2
//! block of q_ij q_ij† is |q_ij|² times the identity, so a degenerate pair stays degenerate);
//! the n eigenvalues of the quaternion matrix are the 2n complex ones taken once per pair.
//!
//! Every faer call runs with `Par::Seq`, as in [`super::linalg`].

use super::rng::Rng;
use super::BackendError;
use faer::c64;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::{Mat, MatMut, MatRef, Par};
use rand::RngExt;
use rand_distr::StandardNormal;

fn normal(rng: &mut Rng) -> f64 {
    rng.sample(StandardNormal)
}

/// Add c·G₂ to the complex Hermitian `h` (n×n): diagonal √2 c z, off-diagonal c(z₁ + i z₂),
/// mirrored conjugate; normals drawn column by column over the upper triangle.
pub fn add_gaussian_hermitian(mut h: MatMut<c64>, c: f64, rng: &mut Rng) {
    let n = h.nrows();
    for j in 0..n {
        for i in 0..j {
            let (re, im) = (normal(rng), normal(rng));
            let v = h[(i, j)] + c64::new(c * re, c * im);
            h[(i, j)] = v;
            h[(j, i)] = v.conj();
        }
        let z = normal(rng);
        h[(j, j)] = c64::new(h[(j, j)].re + std::f64::consts::SQRT_2 * c * z, 0.0);
    }
}

/// Add c·G₄ to the quaternion self-dual `h` (2n×2n, [[A, B], [−B̄, Ā]]): diagonal quaternions
/// real √2 c z (on A and Ā), off-diagonal q_ij = a + b·j with the four components c·z.
pub fn add_gaussian_self_dual(mut h: MatMut<c64>, c: f64, rng: &mut Rng) {
    let n = h.nrows() / 2;
    for j in 0..n {
        for i in 0..j {
            let a = c64::new(c * normal(rng), c * normal(rng));
            let b = c64::new(c * normal(rng), c * normal(rng));
            let ai = h[(i, j)] + a;
            let bi = h[(i, n + j)] + b;
            set_quaternion(h.as_mut(), i, j, ai, bi);
        }
        let z = std::f64::consts::SQRT_2 * c * normal(rng);
        let a = c64::new(h[(j, j)].re + z, 0.0);
        h[(j, j)] = a;
        h[(n + j, n + j)] = a;
    }
}

/// Write q_ij = a + b·j and q_ji = its quaternion conjugate into the 2n×2n form, keeping it
/// Hermitian and self-dual: A_ij = a, A_ji = ā, B_ij = b, B_ji = −b, and Ā, −B̄ below.
fn set_quaternion(mut h: MatMut<c64>, i: usize, j: usize, a: c64, b: c64) {
    let n = h.nrows() / 2;
    h[(i, j)] = a;
    h[(j, i)] = a.conj();
    h[(n + i, n + j)] = a.conj();
    h[(n + j, n + i)] = a;
    h[(i, n + j)] = b;
    h[(j, n + i)] = -b;
    h[(n + i, j)] = -b.conj();
    h[(n + j, i)] = b.conj();
}

/// Replace a nearly Hermitian `h` by its Hermitian part (H + H†)/2.
pub fn hermitise(mut h: MatMut<c64>) {
    let n = h.nrows();
    for j in 0..n {
        for i in 0..j {
            let v = (h[(i, j)] + h[(j, i)].conj()) * 0.5;
            h[(i, j)] = v;
            h[(j, i)] = v.conj();
        }
        h[(j, j)] = c64::new(h[(j, j)].re, 0.0);
    }
}

/// Replace a nearly quaternion self-dual Hermitian `h` (2n×2n) by the nearest such matrix:
/// A ← (A + D̄)/2 (Hermitian part) and B ← (B − C̄)/2 (antisymmetric part), with the blocks
/// of [[A, B], [C, D]]; then D = Ā and C = −B̄.
pub fn project_self_dual(mut h: MatMut<c64>) {
    let n = h.nrows() / 2;
    for j in 0..n {
        for i in 0..j {
            let a = (h[(i, j)] + h[(j, i)].conj() + h[(n + i, n + j)].conj() + h[(n + j, n + i)])
                * 0.25;
            let b = (h[(i, n + j)] - h[(j, n + i)] - h[(n + i, j)].conj() + h[(n + j, i)].conj())
                * 0.25;
            set_quaternion(h.as_mut(), i, j, a, b);
        }
        let d = 0.5 * (h[(j, j)].re + h[(n + j, n + j)].re);
        h[(j, j)] = c64::new(d, 0.0);
        h[(n + j, n + j)] = c64::new(d, 0.0);
        h[(j, n + j)] = c64::new(0.0, 0.0);
        h[(n + j, j)] = c64::new(0.0, 0.0);
    }
}

/// Ascending eigenvalues of a complex Hermitian matrix (only its lower triangle is read):
/// Householder reduction to a Hermitian tridiagonal T = QᴴHQ, whose off-diagonal phases a
/// diagonal unitary removes (the real symmetric tridiagonal with |T_{k+1,k}|), then the
/// tridiagonal QL of [`super::tridiag`].
pub fn hermitian_eigvals(a: MatRef<c64>) -> Result<Vec<f64>, BackendError> {
    let n = a.nrows();
    if n == 0 {
        return Ok(Vec::new());
    }
    use faer::linalg::evd::tridiag;
    let mut t = a.to_owned();
    let bs = faer::linalg::qr::no_pivoting::factor::recommended_block_size::<c64>(n, n);
    let mut householder = Mat::<c64>::zeros(bs, n - 1);
    let req = tridiag::tridiag_in_place_scratch::<c64>(n, Par::Seq, Default::default());
    let mut mem = MemBuffer::try_new(req)
        .map_err(|_| BackendError::Numerical("out of memory for the eigensolver".into()))?;
    tridiag::tridiag_in_place(
        t.as_mut(),
        householder.as_mut(),
        Par::Seq,
        MemStack::new(&mut mem),
        Default::default(),
    );
    let d: Vec<f64> = (0..n).map(|i| t[(i, i)].re).collect();
    let e: Vec<f64> = (0..n - 1).map(|i| t[(i + 1, i)].norm()).collect();
    super::tridiag::tridiagonal_eigvals(&d, &e)
}

/// The n eigenvalues of a 2n×2n self-dual matrix's ascending spectrum, one per Kramers pair
/// (the mean of the pair, which agree to rounding).
pub fn kramers_pairs(eig: &[f64]) -> Vec<f64> {
    eig.chunks_exact(2).map(|p| 0.5 * (p[0] + p[1])).collect()
}

/// Eigenvalues of one GUE sample: n×n Hermitian, diagonal N(0, var), off-diagonal real and
/// imaginary parts N(0, var/2) (E|H_ij|² = var), i.e. √(var/2)·G₂.
pub fn gue_eigvals(n: usize, var: f64, rng: &mut Rng) -> Result<Vec<f64>, BackendError> {
    let mut h = Mat::<c64>::zeros(n, n);
    add_gaussian_hermitian(h.as_mut(), (0.5 * var).sqrt(), rng);
    hermitian_eigvals(h.as_ref())
}

/// Eigenvalues of one GSE sample, once per Kramers pair: n×n quaternion self-dual, diagonal
/// N(0, var/2), each of the four components of an off-diagonal quaternion N(0, var/4)
/// (E|q_ij|² = var), i.e. √(var/4)·G₄.
pub fn gse_eigvals(n: usize, var: f64, rng: &mut Rng) -> Result<Vec<f64>, BackendError> {
    let mut h = Mat::<c64>::zeros(2 * n, 2 * n);
    add_gaussian_self_dual(h.as_mut(), (0.25 * var).sqrt(), rng);
    Ok(kramers_pairs(&hermitian_eigvals(h.as_ref())?))
}

/// Eigenvalues of one complex Wishart sample X = W†W (cols×cols) of a rows×cols complex
/// Gaussian W whose entries have real and imaginary parts N(0, var/2) (E|W_ij|² = var), drawn
/// column by column.
pub fn wishart_complex_eigvals(
    rows: usize,
    cols: usize,
    var: f64,
    rng: &mut Rng,
) -> Result<Vec<f64>, BackendError> {
    let sd = (0.5 * var).sqrt();
    let mut w = Mat::<c64>::zeros(rows, cols);
    for j in 0..cols {
        for i in 0..rows {
            w[(i, j)] = c64::new(sd * normal(rng), sd * normal(rng));
        }
    }
    let mut x = Mat::<c64>::zeros(cols, cols);
    faer::linalg::matmul::matmul(
        x.as_mut(),
        faer::Accum::Replace,
        w.adjoint(),
        w.as_ref(),
        c64::new(1.0, 0.0),
        Par::Seq,
    );
    hermitise(x.as_mut());
    hermitian_eigvals(x.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::rng::stream;

    #[test]
    fn a_self_dual_matrix_has_kramers_pairs_and_stays_self_dual() {
        let mut rng = stream(1, 0, "t", 0);
        let mut h = Mat::<c64>::zeros(6, 6);
        add_gaussian_self_dual(h.as_mut(), 1.0, &mut rng);
        let before = h.clone();
        project_self_dual(h.as_mut());
        assert!((&h - &before).norm_max() < 1e-15);
        let e = hermitian_eigvals(h.as_ref()).unwrap();
        for p in e.chunks_exact(2) {
            assert!((p[1] - p[0]).abs() < 1e-12, "{e:?}");
        }
    }

    #[test]
    fn the_hermitian_eigenvalues_match_the_trace_and_the_frobenius_norm() {
        let mut rng = stream(2, 0, "t", 0);
        let mut h = Mat::<c64>::zeros(5, 5);
        add_gaussian_hermitian(h.as_mut(), 1.0, &mut rng);
        let e = hermitian_eigvals(h.as_ref()).unwrap();
        let tr: f64 = (0..5).map(|i| h[(i, i)].re).sum();
        let fro2 = h.norm_l2().powi(2);
        assert!((e.iter().sum::<f64>() - tr).abs() < 1e-12);
        assert!((e.iter().map(|x| x * x).sum::<f64>() - fro2).abs() < 1e-10);
        assert!(e.windows(2).all(|w| w[0] <= w[1]));
    }
}
