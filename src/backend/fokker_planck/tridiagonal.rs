//! (Cyclic) tridiagonal matrices: the 1D finite-volume operator and its implicit solves.
//!
//! Row i of A holds `lo[i]` on column i−1, `di[i]` on column i and `up[i]` on column i+1.
//! When `cyclic`, `lo[0]` sits on column n−1 and `up[n−1]` on column 0 (periodic boundaries);
//! otherwise both are zero. Solves of (I − cA)x = r use the Thomas algorithm, O(n), with no
//! pivoting: for c ≥ 0 and A a finite-volume generator (off-diagonals ≥ 0, column sums ≤ 0)
//! I − cA is a column diagonally dominant M-matrix, for which Thomas is stable. The cyclic
//! case adds a rank-one Sherman–Morrison correction (two Thomas solves).

use crate::backend::BackendError;

#[derive(Debug, Clone, PartialEq)]
pub struct Tridiag {
    pub lo: Vec<f64>,
    pub di: Vec<f64>,
    pub up: Vec<f64>,
    pub cyclic: bool,
}

impl Tridiag {
    pub fn zeros(n: usize, cyclic: bool) -> Self {
        Tridiag {
            lo: vec![0.0; n],
            di: vec![0.0; n],
            up: vec![0.0; n],
            cyclic,
        }
    }

    pub fn len(&self) -> usize {
        self.di.len()
    }

    pub fn is_empty(&self) -> bool {
        self.di.is_empty()
    }

    /// y = A x.
    pub fn apply(&self, x: &[f64], y: &mut [f64]) {
        let n = self.len();
        for i in 0..n {
            let mut s = self.di[i] * x[i];
            if i > 0 {
                s += self.lo[i] * x[i - 1];
            } else if self.cyclic {
                s += self.lo[0] * x[n - 1];
            }
            if i + 1 < n {
                s += self.up[i] * x[i + 1];
            } else if self.cyclic {
                s += self.up[n - 1] * x[0];
            }
            y[i] = s;
        }
    }

    /// Solve (I − cA) x = r in place of `r`.
    pub fn solve_shifted(&self, c: f64, r: &mut [f64]) -> Result<(), BackendError> {
        let n = self.len();
        let (a, b, u) = (
            |i: usize| -c * self.lo[i],
            |i: usize| 1.0 - c * self.di[i],
            |i: usize| -c * self.up[i],
        );
        if !self.cyclic || n < 3 {
            return thomas_with(n, a, b, u, r);
        }
        let a: Vec<f64> = (0..n).map(a).collect();
        let b: Vec<f64> = (0..n).map(b).collect();
        let u: Vec<f64> = (0..n).map(u).collect();
        cyclic_thomas(&a, &b, &u, r)
    }
}

/// Thomas algorithm for the non-cyclic system with sub-diagonal a (a[0] unused), diagonal b
/// and super-diagonal c (c[n−1] unused); the solution overwrites `r`.
pub fn thomas(a: &[f64], b: &[f64], c: &[f64], r: &mut [f64]) -> Result<(), BackendError> {
    thomas_with(b.len(), |i| a[i], |i| b[i], |i| c[i], r)
}

/// [`thomas`] with the coefficients given by index (no temporary arrays for them).
fn thomas_with(
    n: usize,
    a: impl Fn(usize) -> f64,
    b: impl Fn(usize) -> f64,
    c: impl Fn(usize) -> f64,
    r: &mut [f64],
) -> Result<(), BackendError> {
    let mut cp = vec![0.0; n];
    let mut prev_c = 0.0;
    let mut prev_r = 0.0;
    for i in 0..n {
        let ai = if i > 0 { a(i) } else { 0.0 };
        let m = b(i) - ai * prev_c;
        if m == 0.0 || !m.is_finite() {
            return Err(BackendError::Numerical(format!(
                "tridiagonal solve: pivot {i} is {m}"
            )));
        }
        cp[i] = if i + 1 < n { c(i) / m } else { 0.0 };
        r[i] = (r[i] - ai * prev_r) / m;
        prev_c = cp[i];
        prev_r = r[i];
    }
    for i in (0..n.saturating_sub(1)).rev() {
        r[i] -= cp[i] * r[i + 1];
    }
    Ok(())
}

/// Cyclic system (corners a[0] on column n−1 and c[n−1] on column 0) by Sherman–Morrison:
/// A = T + u vᵀ with u = (γ, 0, …, 0, c[n−1]) and v = (1, 0, …, 0, a[0]/γ), γ = −b[0].
fn cyclic_thomas(a: &[f64], b: &[f64], c: &[f64], r: &mut [f64]) -> Result<(), BackendError> {
    let n = b.len();
    let gamma = -b[0];
    let mut bb = b.to_vec();
    bb[0] -= gamma;
    bb[n - 1] -= a[0] * c[n - 1] / gamma;
    thomas(a, &bb, c, r)?;
    let mut z = vec![0.0; n];
    z[0] = gamma;
    z[n - 1] = c[n - 1];
    thomas(a, &bb, c, &mut z)?;
    let vx = r[0] + a[0] / gamma * r[n - 1];
    let vz = 1.0 + z[0] + a[0] / gamma * z[n - 1];
    if vz == 0.0 || !vz.is_finite() {
        return Err(BackendError::Numerical(
            "cyclic tridiagonal solve: singular Sherman–Morrison correction".into(),
        ));
    }
    let f = vx / vz;
    r.iter_mut().zip(&z).for_each(|(x, zi)| *x -= f * zi);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random_tri(n: usize, cyclic: bool) -> Tridiag {
        let mut t = Tridiag::zeros(n, cyclic);
        for i in 0..n {
            let s = (i as f64 * 0.7).sin();
            t.lo[i] = 1.0 + 0.5 * s;
            t.up[i] = 2.0 - 0.3 * s;
            t.di[i] = -(t.lo[i] + t.up[i]) - 0.1;
        }
        if !cyclic {
            t.lo[0] = 0.0;
            t.up[n - 1] = 0.0;
        }
        t
    }

    #[test]
    fn solves_are_inverses_of_the_shifted_operator() {
        for cyclic in [false, true] {
            let t = random_tri(9, cyclic);
            let x: Vec<f64> = (0..9).map(|i| (i as f64).cos()).collect();
            let mut ax = vec![0.0; 9];
            t.apply(&x, &mut ax);
            // r = (I − 0.3 A) x
            let mut r: Vec<f64> = x.iter().zip(&ax).map(|(x, a)| x - 0.3 * a).collect();
            t.solve_shifted(0.3, &mut r).unwrap();
            for (a, b) in r.iter().zip(&x) {
                assert!((a - b).abs() < 1e-13, "cyclic {cyclic}: {a} vs {b}");
            }
        }
    }
}
