//! (Cyclic) tridiagonal matrices: the 1D finite-volume operator and its implicit solves.
//!
//! Row i of A holds `lo[i]` on column i−1, `di[i]` on column i and `up[i]` on column i+1.
//! When `cyclic`, `lo[0]` sits on column n−1 and `up[n−1]` on column 0 (periodic boundaries);
//! otherwise both are zero. Solves of (I − cA)x = r use the Thomas algorithm, O(n), with no
//! pivoting: for c ≥ 0 and A a finite-volume generator (off-diagonals ≥ 0, column sums ≤ 0)
//! I − cA is a column diagonally dominant M-matrix, for which Thomas is stable. The cyclic
//! case adds a rank-one Sherman–Morrison correction. [`Tridiag::factor_shifted`] keeps the
//! factors, so the steps of a time-independent operator need only multiplications.

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
        self.factor_shifted(c)?.solve(r);
        Ok(())
    }

    /// The LU factors of I − cA, for repeated solves with the same c.
    pub fn factor_shifted(&self, c: f64) -> Result<ShiftedFactors, BackendError> {
        let n = self.len();
        let a = |i: usize| -c * self.lo[i];
        let b = |i: usize| 1.0 - c * self.di[i];
        let u = |i: usize| -c * self.up[i];
        if !self.cyclic || n < 3 {
            let lu = ThomasFactors::new(n, a, b, u)?;
            return Ok(ShiftedFactors {
                c,
                lu,
                cyclic: None,
            });
        }
        // Sherman–Morrison: I − cA = T + w vᵀ with w = (γ, 0, …, 0, u[n−1]),
        // v = (1, 0, …, 0, a[0]/γ), γ = −b[0]; T is b with b[0] − γ and b[n−1] − a[0]u[n−1]/γ.
        let gamma = -b(0);
        let corner = a(0) / gamma;
        let bb = |i: usize| match i {
            0 => b(0) - gamma,
            i if i == n - 1 => b(i) - corner * u(n - 1),
            i => b(i),
        };
        let lu = ThomasFactors::new(n, a, bb, u)?;
        let mut z = vec![0.0; n];
        z[0] = gamma;
        z[n - 1] = u(n - 1);
        lu.solve(&mut z);
        let vz = 1.0 + z[0] + corner * z[n - 1];
        if vz == 0.0 || !vz.is_finite() {
            return Err(BackendError::Numerical(
                "cyclic tridiagonal solve: singular Sherman–Morrison correction".into(),
            ));
        }
        let cyclic = Some(Correction { z, corner, vz });
        Ok(ShiftedFactors { c, lu, cyclic })
    }
}

/// Twisted ("burn at both ends") factors of a non-cyclic tridiagonal matrix with
/// sub-diagonal aᵢ, diagonal bᵢ and super-diagonal cᵢ, meeting at the middle row k = n/2:
/// - rows i < k are eliminated downwards: mᵢ = bᵢ − aᵢc′ᵢ₋₁, c′ᵢ = cᵢ/mᵢ;
/// - rows i > k upwards: m̃ᵢ = bᵢ − cᵢa′ᵢ₊₁, a′ᵢ = aᵢ/m̃ᵢ;
/// - row k keeps μ = bₖ − aₖc′ₖ₋₁ − cₖa′ₖ₊₁.
///
/// A solve runs the two eliminations together, yᵢ = rᵢ/mᵢ − (aᵢ/mᵢ)yᵢ₋₁ from the top and
/// yᵢ = rᵢ/m̃ᵢ − (cᵢ/m̃ᵢ)yᵢ₊₁ from the bottom, then xₖ = (rₖ − aₖyₖ₋₁ − cₖyₖ₊₁)/μ and the two
/// back-substitutions outwards, xᵢ = yᵢ − c′ᵢxᵢ₊₁ and xᵢ = yᵢ − a′ᵢxᵢ₋₁. Only multiplications,
/// and two independent recurrences at a time: the solve is bound by the latency of one
/// multiply-subtract per row and direction, so running two halves at once halves it.
#[derive(Debug, Clone)]
struct ThomasFactors {
    /// 1/mᵢ (1/μ at k).
    inv_pivot: Vec<f64>,
    /// aᵢ/mᵢ above k, cᵢ/m̃ᵢ below.
    elim: Vec<f64>,
    /// c′ᵢ above k, a′ᵢ below.
    back: Vec<f64>,
    k: usize,
    /// aₖ and cₖ.
    middle: (f64, f64),
}

fn pivot(i: usize, m: f64) -> Result<f64, BackendError> {
    if m == 0.0 || !m.is_finite() {
        return Err(BackendError::Numerical(format!(
            "tridiagonal solve: pivot {i} is {m}"
        )));
    }
    Ok(1.0 / m)
}

impl ThomasFactors {
    fn new(
        n: usize,
        a: impl Fn(usize) -> f64,
        b: impl Fn(usize) -> f64,
        c: impl Fn(usize) -> f64,
    ) -> Result<Self, BackendError> {
        let k = n / 2;
        let (mut inv_pivot, mut elim, mut back) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        let (mut down, mut up) = (0.0, 0.0);
        for i in 0..k {
            let ai = if i > 0 { a(i) } else { 0.0 };
            let q = pivot(i, b(i) - ai * down)?;
            down = c(i) * q;
            (inv_pivot[i], elim[i], back[i]) = (q, ai * q, down);
        }
        for i in (k + 1..n).rev() {
            let ci = if i + 1 < n { c(i) } else { 0.0 };
            let q = pivot(i, b(i) - ci * up)?;
            up = a(i) * q;
            (inv_pivot[i], elim[i], back[i]) = (q, ci * q, up);
        }
        let ak = if k > 0 { a(k) } else { 0.0 };
        let ck = if k + 1 < n { c(k) } else { 0.0 };
        if n > 0 {
            inv_pivot[k] = pivot(k, b(k) - ak * down - ck * up)?;
        }
        Ok(ThomasFactors {
            inv_pivot,
            elim,
            back,
            k,
            middle: (ak, ck),
        })
    }

    fn solve(&self, r: &mut [f64]) {
        let (n, k) = (r.len(), self.k);
        if n == 0 {
            return;
        }
        let (q, e, u) = (&self.inv_pivot, &self.elim, &self.back);
        // Rows 0..k downwards and n−1..k+1 upwards, side by side (n − 1 − k ≤ k).
        let (mut top, mut bottom) = (0.0, 0.0);
        for j in 0..k {
            top = r[j] * q[j] - e[j] * top;
            r[j] = top;
            let i = n - 1 - j;
            if i > k {
                bottom = r[i] * q[i] - e[i] * bottom;
                r[i] = bottom;
            }
        }
        let (ak, ck) = self.middle;
        let below = if k + 1 < n { r[k + 1] } else { 0.0 };
        r[k] = (r[k] - ak * top - ck * below) * q[k];
        let (mut top, mut bottom) = (r[k], r[k]);
        for j in 1..=k {
            top = r[k - j] - u[k - j] * top;
            r[k - j] = top;
            if k + j < n {
                bottom = r[k + j] - u[k + j] * bottom;
                r[k + j] = bottom;
            }
        }
    }
}

/// The rank-one correction of a cyclic solve: z = T⁻¹w and 1 + vᵀz.
#[derive(Debug, Clone)]
struct Correction {
    z: Vec<f64>,
    corner: f64,
    vz: f64,
}

/// The factors of I − cA for one c (see [`Tridiag::factor_shifted`]).
#[derive(Debug, Clone)]
pub struct ShiftedFactors {
    /// The shift c.
    pub c: f64,
    lu: ThomasFactors,
    cyclic: Option<Correction>,
}

impl ShiftedFactors {
    /// x = (I − cA)⁻¹ r in place of `r`.
    pub fn solve(&self, r: &mut [f64]) {
        self.lu.solve(r);
        if let Some(k) = &self.cyclic {
            let n = r.len();
            let f = (r[0] + k.corner * r[n - 1]) / k.vz;
            r.iter_mut().zip(&k.z).for_each(|(x, zi)| *x -= f * zi);
        }
    }
}

/// Thomas algorithm for the non-cyclic system with sub-diagonal a (a\[0] unused), diagonal b
/// and super-diagonal c (c[n−1] unused); the solution overwrites `r`.
pub fn thomas(a: &[f64], b: &[f64], c: &[f64], r: &mut [f64]) -> Result<(), BackendError> {
    ThomasFactors::new(b.len(), |i| a[i], |i| b[i], |i| c[i])?.solve(r);
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
        if !cyclic || n < 3 {
            t.lo[0] = 0.0;
            t.up[n - 1] = 0.0;
        }
        t
    }

    /// Every size (odd and even, so the twisted factors meet at every kind of middle row),
    /// cyclic and not, and a kept factorisation reused for a second right-hand side.
    #[test]
    fn solves_are_inverses_of_the_shifted_operator() {
        for n in 1..=12 {
            for cyclic in [false, true] {
                let t = random_tri(n, cyclic);
                let f = t.factor_shifted(0.3).unwrap();
                for shift in [0.0, 1.7] {
                    let x: Vec<f64> = (0..n).map(|i| (i as f64 + shift).cos()).collect();
                    let mut ax = vec![0.0; n];
                    t.apply(&x, &mut ax);
                    // r = (I − 0.3 A) x
                    let mut r: Vec<f64> = x.iter().zip(&ax).map(|(x, a)| x - 0.3 * a).collect();
                    f.solve(&mut r);
                    for (a, b) in r.iter().zip(&x) {
                        assert!((a - b).abs() < 1e-13, "n {n} cyclic {cyclic}: {a} vs {b}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_zero_pivot_is_an_error() {
        let mut t = Tridiag::zeros(4, false);
        t.di[1] = 1.0; // I − 1·A has a zero on row 1 and nothing else there
        let err = t.factor_shifted(1.0).unwrap_err().to_string();
        assert!(err.contains("pivot"), "{err}");
    }
}
