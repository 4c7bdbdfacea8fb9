//! Implicit steps for the method of lines ([`super::mol`]), one path for 1D and 2D grids.
//!
//! **Stages.** Every implicit stage solves G(w) = w − b − c·F(w, t) = 0:
//! - backward Euler (order 1): b = uⁿ, c = h, t = tⁿ⁺¹;
//! - TR-BDF2 (order 2, L-stable, [`super::tr_bdf2`]): a trapezoidal stage
//!   b = uⁿ + d·h·F(uⁿ, tⁿ), c = d·h, t = tⁿ + γh, giving u* (Newton from uⁿ); then BDF2 with
//!   b = uⁿ + (w/d)(u* − uⁿ), c = d·h, t = tⁿ⁺¹ (from u*; the same I − d·h·J in both stages).
//!
//! **Newton.** w ← w + δ with (I − c·J)δ = b + c·F(w) − w and J = ∂F/∂u at the current w
//! (recomputed every iteration), from w = uⁿ (then u*), until max|G| ≤ 10⁻¹⁰·max(1, max|w|),
//! at most 20 iterations; the last
//! factorisation then gives one more correction (a solve only), which leaves G far below the
//! tolerance, so that linear invariants of F (the mass of a flux divergence) hold to rounding.
//!
//! **Pattern.** The grid is n × m cells stored row-major (cell (i, j) at i·m + j; m = 1 in 1D).
//! Row (i, j) of J may be non-zero only in the columns (i′, j′) with i′ ∈ W(i) along x and
//! j′ ∈ W(j) along y, where an axis window is W(i) = {i − 2, …, i + 2}: cyclic on a periodic
//! axis, cut at the ends otherwise. Every centred operator (dx, dxx, dy, dyy, laplace, grad,
//! div) reaches one cell along its axis, so this covers any composition of two of them
//! (dx(dx(u)), div(grad(u)), dx(u²·dx(u)), dx(dy(u)), …), their products and sums. An
//! extrapolated ghost u₋₁ = 3u₀ − 3u₁ + u₂ reaches one cell further from the edge row, whose
//! window is therefore {0, …, 3} (and {n − 4, …, n − 1} at the far end).
//!
//! **Colouring.** Every window spans at most five consecutive cells, so columns whose axis
//! index agrees mod p = 5 never share a row. On a periodic axis of n ≥ 5 cells the period p is
//! the one in 5…9 needing the fewest colours: j mod p is valid when the wrap-around gap n mod p
//! is 0 or at least 5, and otherwise the n mod p leftover columns get colours of their own; an
//! axis of fewer than 5 periodic cells gives each cell its own colour. A 2D column's colour is
//! the pair of its axis colours. One evaluation of F with every column j of a colour moved by
//! εⱼ = 10⁻⁷·max(1, |wⱼ|) then gives Jᵢⱼ = (Fᵢ(w + Σₖ εₖeₖ) − Fᵢ(w))/εⱼ for every row i of the
//! pattern of each of those columns: a Jacobian costs one evaluation of F per colour (25 in 2D
//! with non-periodic edges, 5 in 1D).
//!
//! **Solve.** I − h·J is assembled in compressed columns and factorised by faer's sparse LU (sequential, [`crate::backend::sparse`])
//! with partial pivoting. The factorised pattern is the diagonal and every entry of the pattern
//! where J has been non-zero so far in the run (a difference that is exactly zero is mostly a
//! cell F does not read), so the 5-point Laplacian is factorised with its own fill, not that of
//! the 25-point pattern. The symbolic analysis (fill-reducing ordering, elimination structure)
//! depends on that pattern only: it is made at the first factorisation and redone only when J
//! has a non-zero outside it (the pattern grows, never shrinks; for a linear F it is made
//! once), so the Newton iterations of all steps share it.

use super::stencil::{Edge, Rhs, StepError};
use super::tr_bdf2;
use crate::backend::sparse::{Analysis, SparseLu};
use faer::sparse::{SparseColMatRef, SymbolicSparseColMat};

/// Most Newton iterations of one backward-Euler step.
const NEWTON_ITERATIONS: usize = 20;

/// How far (in cells, along each axis) a row of J may reach.
const REACH: usize = 2;

/// Relative size of the finite-difference perturbation.
const EPS: f64 = 1e-7;

/// The cells of one axis of J's pattern: W(i) (sorted, distinct) for every cell i.
fn window(i: usize, n: usize, edge: Edge) -> Vec<usize> {
    if edge == Edge::Periodic {
        let mut w: Vec<usize> = (0..=2 * REACH)
            .map(|d| (i + n * REACH + d - REACH) % n)
            .collect();
        w.sort_unstable();
        w.dedup();
        return w;
    }
    let mut lo = i.saturating_sub(REACH);
    let mut hi = (i + REACH).min(n - 1);
    if edge == Edge::Extrapolate && i == 0 {
        hi = (REACH + 1).min(n - 1);
    }
    if edge == Edge::Extrapolate && i + 1 == n {
        lo = (n - 1).saturating_sub(REACH + 1);
    }
    (lo..=hi).collect()
}

/// The colour of every cell of one axis, and the number of colours: cells of one colour are
/// never in one window.
fn axis_colours(n: usize, edge: Edge) -> (Vec<usize>, usize) {
    let span = 2 * REACH + 1;
    if edge != Edge::Periodic {
        return ((0..n).map(|j| j % span).collect(), span.min(n));
    }
    if n < span {
        return ((0..n).collect(), n);
    }
    // (colours, period, leftover columns) for each period.
    let (count, p, left) = (span..=(2 * span - 1).min(n))
        .map(|p| match n % p {
            s if s == 0 || s >= span => (p, p, 0),
            s => (p + s, p, s),
        })
        .min()
        .unwrap_or((n, n, 0));
    let body = n - left;
    let colour = (0..n)
        .map(|j| if j < body { j % p } else { p + j - body })
        .collect();
    (colour, count)
}

/// The cells whose window holds each cell (the transpose of the windows), sorted.
fn reached_by(n: usize, edge: Edge) -> Vec<Vec<usize>> {
    let mut rows = vec![Vec::new(); n];
    for i in 0..n {
        for j in window(i, n, edge) {
            rows[j].push(i);
        }
    }
    rows
}

/// Backward Euler on an n × m grid: J's pattern in compressed columns, its colouring, and the
/// factorised pattern.
pub struct Implicit {
    col_ptr: Vec<usize>,
    row_idx: Vec<usize>,
    /// Whether each entry of the pattern is on the diagonal.
    diagonal: Vec<bool>,
    /// The columns of each colour.
    groups: Vec<Vec<usize>>,
    /// The entries factorised so far, with their symbolic LU (made at the first factorisation).
    active: Option<Active>,
}

/// The entries of the pattern that have been non-zero (or are on the diagonal), as a matrix
/// pattern of their own, and its symbolic LU.
struct Active {
    kept: Vec<bool>,
    /// Their positions in the full pattern, in compressed-column order.
    at: Vec<usize>,
    symbolic: SymbolicSparseColMat<usize>,
    lu: Analysis,
}

impl Implicit {
    pub fn new(cells: (usize, usize), edge: Edge) -> Implicit {
        let (n, m) = cells;
        let (rx, ry) = (reached_by(n, edge), reached_by(m, edge));
        let ((cx, _), (cy, ky)) = (axis_colours(n, edge), axis_colours(m, edge));
        let (mut col_ptr, mut row_idx, mut diagonal) = (vec![0], Vec::new(), Vec::new());
        let mut groups = Vec::new();
        for (a, b) in (0..n).flat_map(|a| (0..m).map(move |b| (a, b))) {
            let col = a * m + b;
            for row in rx[a]
                .iter()
                .flat_map(|&i| ry[b].iter().map(move |&j| i * m + j))
            {
                row_idx.push(row);
                diagonal.push(row == col);
            }
            col_ptr.push(row_idx.len());
            let colour = cx[a] * ky + cy[b];
            if groups.len() <= colour {
                groups.resize(colour + 1, Vec::new());
            }
            groups[colour].push(col);
        }
        Implicit {
            col_ptr,
            row_idx,
            diagonal,
            groups,
            active: None,
        }
    }

    /// The entries to factorise: those kept before, the diagonal, and the non-zeros of J.
    fn activate(&self, jacobian: &[f64], kept: Option<&[bool]>) -> Result<Active, StepError> {
        let kept: Vec<bool> = (0..jacobian.len())
            .map(|k| kept.is_some_and(|e| e[k]) || self.diagonal[k] || jacobian[k] != 0.0)
            .collect();
        let (mut col_ptr, mut row_idx, mut at) = (vec![0], Vec::new(), Vec::new());
        for c in 0..self.col_ptr.len() - 1 {
            for k in (self.col_ptr[c]..self.col_ptr[c + 1]).filter(|&k| kept[k]) {
                row_idx.push(self.row_idx[k]);
                at.push(k);
            }
            col_ptr.push(row_idx.len());
        }
        let n = col_ptr.len() - 1;
        let symbolic = SymbolicSparseColMat::new_checked(n, n, col_ptr, None, row_idx);
        let lu =
            Analysis::new(symbolic.as_ref()).map_err(|e| StepError::Analysis(format!("{e}")))?;
        Ok(Active {
            kept,
            at,
            symbolic,
            lu,
        })
    }

    /// The sparse LU of I − h·J. The symbolic analysis is redone only when J has a non-zero
    /// outside the entries factorised so far (for a linear F: once per run).
    fn factor(&mut self, jacobian: &[f64], h: f64) -> Result<SparseLu, StepError> {
        if jacobian.iter().any(|v| !v.is_finite()) {
            return Err(StepError::JacobianNotFinite);
        }
        let kept = self.active.as_ref().map(|a| a.kept.as_slice());
        if kept.is_none_or(|e| jacobian.iter().zip(e).any(|(v, &k)| *v != 0.0 && !k)) {
            self.active = Some(self.activate(jacobian, kept)?);
        }
        let Some(active) = &self.active else {
            return Err(StepError::MissingAnalysis);
        };
        let values: Vec<f64> = active
            .at
            .iter()
            .map(|&k| if self.diagonal[k] { 1.0 } else { 0.0 } - h * jacobian[k])
            .collect();
        let a = SparseColMatRef::new(active.symbolic.as_ref(), &values);
        SparseLu::with_analysis(&active.lu, a).map_err(|_| StepError::Singular)
    }

    /// ∂F/∂u at (w, t), its values in the order of the pattern's `row_idx`, by one evaluation
    /// of F per colour (`f0` = F(w, t)).
    fn jacobian(
        &self,
        rhs: &mut Rhs,
        w: &[f64],
        f0: &[f64],
        t: f64,
    ) -> Result<Vec<f64>, StepError> {
        let mut values = vec![0.0; self.row_idx.len()];
        for group in &self.groups {
            let mut v = w.to_vec();
            for &j in group {
                v[j] += EPS * w[j].abs().max(1.0);
            }
            let f1 = rhs(&v, t)?;
            if f1.len() != w.len() {
                return Err(StepError::RhsLength {
                    got: f1.len(),
                    cells: w.len(),
                });
            }
            for &j in group {
                let (eps, range) = (v[j] - w[j], self.col_ptr[j]..self.col_ptr[j + 1]);
                for (value, &i) in values[range.clone()].iter_mut().zip(&self.row_idx[range]) {
                    *value = (f1[i] - f0[i]) / eps;
                }
            }
        }
        Ok(values)
    }

    /// One step of length h from u at time t: backward Euler, or TR-BDF2 (two stages of the
    /// same form, see the module documentation).
    pub fn step(
        &mut self,
        rhs: &mut Rhs,
        u: &[f64],
        t: f64,
        h: f64,
        tr_bdf2: bool,
    ) -> Result<Vec<f64>, StepError> {
        if !tr_bdf2 {
            return self.stage(rhs, u, u, t + h, h);
        }
        let f0 = rhs(u, t)?;
        let mut w = u.to_vec();
        tr_bdf2::step(&mut w, t, h, f0, |b, guess, t, c| {
            let solved = self.stage(rhs, b, guess, t, c)?;
            b.copy_from_slice(&solved);
            Ok::<(), StepError>(())
        })?;
        Ok(w)
    }

    /// Solve w − b − c·F(w, t) = 0 by Newton's method from `guess` (with the final correction
    /// by the last factorisation once the residual is small).
    fn stage(
        &mut self,
        rhs: &mut Rhs,
        b: &[f64],
        guess: &[f64],
        t: f64,
        c: f64,
    ) -> Result<Vec<f64>, StepError> {
        let mut w = guess.to_vec();
        let mut lu = None;
        for _ in 0..NEWTON_ITERATIONS {
            let f = rhs(&w, t)?;
            let mut r: Vec<f64> = (0..w.len()).map(|i| b[i] + c * f[i] - w[i]).collect();
            if let Some(i) = r.iter().position(|v| !v.is_finite()) {
                return Err(StepError::NewtonNotFinite {
                    cell: i,
                    value: f[i],
                });
            }
            let size = r.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let scale = w.iter().fold(1.0f64, |m, v| m.max(v.abs()));
            let converged = size <= 1e-10 * scale;
            if !converged {
                lu = Some(self.factor(&self.jacobian(rhs, &w, &f, t)?, c)?);
            }
            if let Some(lu) = &lu {
                solve(lu, &mut r)?;
                w.iter_mut().zip(&r).for_each(|(wi, d)| *wi += d);
            }
            if converged {
                return Ok(w);
            }
        }
        Err(StepError::NewtonDiverged {
            iterations: NEWTON_ITERATIONS,
            reach: REACH,
        })
    }
}

/// Solve (I − h·J)δ = r in place from the factorisation (sequential: the same numbers on
/// any thread count).
fn solve(lu: &SparseLu, r: &mut [f64]) -> Result<(), StepError> {
    lu.solve(r).map_err(|_| StepError::Singular)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::mol::{along, dx, dxx, integrate, laplace2, Grid2, MolConfig, Stepper};

    const EDGES: [Edge; 3] = [Edge::Neumann, Edge::Periodic, Edge::Extrapolate];

    #[test]
    fn no_window_holds_two_columns_of_one_colour() {
        for edge in EDGES {
            for n in 1..=40 {
                let (colour, count) = axis_colours(n, edge);
                assert!(colour.iter().all(|&c| c < count), "{edge:?} {n}");
                for i in 0..n {
                    let mut seen: Vec<usize> =
                        window(i, n, edge).iter().map(|&j| colour[j]).collect();
                    seen.sort_unstable();
                    let len = seen.len();
                    seen.dedup();
                    assert_eq!(seen.len(), len, "{edge:?} n = {n}, row {i}");
                }
            }
        }
        let count = |n| axis_colours(n, Edge::Periodic).1;
        assert_eq!(
            [count(7), count(12), count(20), count(24), count(31)],
            [7, 6, 5, 6, 6]
        );
        assert_eq!(axis_colours(12, Edge::Extrapolate).1, 5);
        assert_eq!(window(0, 9, Edge::Extrapolate), vec![0, 1, 2, 3]);
        assert_eq!(window(8, 9, Edge::Extrapolate), vec![5, 6, 7, 8]);
        assert_eq!(window(1, 6, Edge::Periodic), vec![0, 1, 2, 3, 5]);
    }

    /// A field with no symmetry, so that no Jacobian entry vanishes by accident.
    fn sample(len: usize) -> Vec<f64> {
        (0..len)
            .map(|k| 1.0 + 0.3 * (1.7 * k as f64).sin() + 0.2 * (0.37 * (k * k) as f64).cos())
            .collect()
    }

    /// The coloured Jacobian equals the dense one by single-column differences, entry for entry
    /// (bitwise: a row's value reads only the cells of its stencil), and the dense one has
    /// nothing outside the pattern.
    fn check_jacobian(cells: (usize, usize), edge: Edge, f: &mut Rhs, what: &str) {
        let newton = Implicit::new(cells, edge);
        let len = cells.0 * cells.1;
        let w = sample(len);
        let f0 = f(&w, 0.0).unwrap();
        let sparse = newton.jacobian(f, &w, &f0, 0.0).unwrap();
        for j in 0..len {
            let mut v = w.clone();
            v[j] += EPS * w[j].abs().max(1.0);
            let f1 = f(&v, 0.0).unwrap();
            let mut dense: Vec<f64> = (0..len).map(|i| (f1[i] - f0[i]) / (v[j] - w[j])).collect();
            let range = newton.col_ptr[j]..newton.col_ptr[j + 1];
            for (&value, &i) in sparse[range.clone()].iter().zip(&newton.row_idx[range]) {
                assert_eq!(value, dense[i], "{what} {edge:?} {cells:?}: J[{i}, {j}]");
                dense[i] = 0.0;
            }
            assert!(
                dense.iter().all(|&d| d == 0.0),
                "{what} {edge:?} {cells:?}: column {j} leaves the pattern"
            );
        }
    }

    #[test]
    fn the_coloured_jacobian_is_the_dense_one_in_1d() {
        for edge in EDGES {
            for n in [2, 3, 4, 7, 12, 13] {
                let h = 0.1;
                let mut dxdx = |u: &[f64], _t: f64| Ok(dx(&dx(u, h, edge), h, edge));
                check_jacobian((n, 1), edge, &mut dxdx, "dx(dx(u))");
                let mut lap = |u: &[f64], _t: f64| Ok(dxx(u, h, edge));
                check_jacobian((n, 1), edge, &mut lap, "laplace(u)");
                let mut porous = |u: &[f64], _t: f64| {
                    let flux: Vec<f64> = dx(u, h, edge)
                        .iter()
                        .zip(u)
                        .map(|(g, v)| v * v * g)
                        .collect();
                    Ok(dx(&flux, h, edge))
                };
                check_jacobian((n, 1), edge, &mut porous, "dx(u^2 * dx(u))");
            }
        }
    }

    #[test]
    fn the_coloured_jacobian_is_the_dense_one_in_2d() {
        for edge in EDGES {
            for (n, m) in [(7, 6), (5, 11), (3, 4), (12, 2)] {
                let g = Grid2 {
                    n,
                    m,
                    hx: 0.1,
                    hy: 0.2,
                };
                let ddx = move |u: &[f64]| along(u, g, 0, |l| dx(l, g.hx, edge));
                let ddy = move |u: &[f64]| along(u, g, 1, |l| dx(l, g.hy, edge));
                let mut mixed = |u: &[f64], _t: f64| {
                    let cross = ddx(&ddy(u));
                    Ok(cross
                        .iter()
                        .zip(ddx(u))
                        .zip(ddy(u))
                        .map(|((c, a), b)| c + a * b)
                        .collect())
                };
                check_jacobian((n, m), edge, &mut mixed, "dx(dy(u)) + dx(u) * dy(u)");
                let mut lap = |u: &[f64], _t: f64| Ok(laplace2(u, g, edge));
                check_jacobian((n, m), edge, &mut lap, "laplace(u)");
                let mut porous = |u: &[f64], _t: f64| {
                    let fx: Vec<f64> = ddx(u).iter().zip(u).map(|(a, v)| v * a).collect();
                    let fy: Vec<f64> = ddy(u).iter().zip(u).map(|(a, v)| v * a).collect();
                    Ok(ddx(&fx).iter().zip(ddy(&fy)).map(|(a, b)| a + b).collect())
                };
                check_jacobian((n, m), edge, &mut porous, "div(u * grad(u))");
                let mut dxdx = |u: &[f64], _t: f64| Ok(ddx(&ddx(u)));
                check_jacobian((n, m), edge, &mut dxdx, "dx(dx(u))");
            }
        }
    }

    #[test]
    fn the_factorised_pattern_grows_when_j_gains_a_non_zero() {
        // First a tridiagonal J, then one filling the whole pattern: the second LU must solve
        // with the new entries (checked against the dense product), not with the old pattern.
        let mut newton = Implicit::new((7, 1), Edge::Extrapolate);
        let (h, ptr) = (0.3, newton.col_ptr.clone());
        let entry = |k: usize, j: usize, all: bool| {
            let i = newton.row_idx[k];
            let v = 1.0 + 0.1 * (i * 7 + j) as f64;
            if all || i.abs_diff(j) <= 1 {
                v
            } else {
                0.0
            }
        };
        let column = |j: usize, all: bool| (ptr[j]..ptr[j + 1]).map(move |k| entry(k, j, all));
        let tri: Vec<f64> = (0..7).flat_map(|j| column(j, false)).collect();
        let full: Vec<f64> = (0..7).flat_map(|j| column(j, true)).collect();
        newton.factor(&tri, h).unwrap();
        let narrow = newton.active.as_ref().map(|a| a.at.len());
        let lu = newton.factor(&full, h).unwrap();
        assert_eq!(
            (narrow, newton.active.as_ref().map(|a| a.at.len())),
            (Some(19), Some(full.len()))
        );
        let b = sample(7);
        let mut x = b.clone();
        solve(&lu, &mut x).unwrap();
        // (I − hJ)x = b, J dense from the pattern.
        let mut ax = x.clone();
        for j in 0..7 {
            for k in ptr[j]..ptr[j + 1] {
                ax[newton.row_idx[k]] -= h * full[k] * x[j];
            }
        }
        assert!(
            ax.iter().zip(&b).all(|(p, q)| (p - q).abs() < 1e-12),
            "{ax:?} {b:?}"
        );
    }

    fn config(cells: (usize, usize), step: f64, edge: Edge) -> MolConfig {
        MolConfig {
            until: 1.0,
            step,
            at: vec![1.0],
            stepper: Stepper::BackwardEuler,
            edge,
            cells,
        }
    }

    #[test]
    fn a_singular_newton_matrix_is_an_error() {
        // F = 4u and h = 1/4: I − hJ = 0 exactly (the differences of a linear F are exact here).
        let mut f = |u: &[f64], _t: f64| Ok(u.iter().map(|v| 4.0 * v).collect());
        let e = integrate(
            &mut f,
            vec![1.0; 6],
            &config((3, 2), 0.25, Edge::Neumann),
            &crate::progress::Watch::default(),
        );
        let e = e.unwrap_err().to_string();
        assert!(e.contains("singular") && e.contains("at t = 0"), "{e}");
    }

    #[test]
    fn a_right_hand_side_reaching_beyond_the_pattern_fails_with_a_clear_message() {
        // Fᵢ = −10 uᵢ₊₃ on a ring of 10: the coloured differences read it as a shift by −2,
        // and at step 1 the Newton iteration with that Jacobian diverges.
        let mut f = |u: &[f64], _t: f64| Ok((0..10).map(|i| -10.0 * u[(i + 3) % 10]).collect());
        let e = integrate(
            &mut f,
            sample(10),
            &config((10, 1), 1.0, Edge::Periodic),
            &crate::progress::Watch::default(),
        );
        let e = e.unwrap_err().to_string();
        assert!(
            e.contains("more than 2 apart") && e.contains("step is too large"),
            "{e}"
        );
    }

    #[test]
    fn the_initial_field_must_fit_the_grid() {
        let mut f = |u: &[f64], _t: f64| Ok(u.to_vec());
        let e = integrate(
            &mut f,
            vec![1.0; 5],
            &config((3, 2), 0.1, Edge::Neumann),
            &crate::progress::Watch::default(),
        );
        assert!(e.unwrap_err().to_string().contains("3 × 2"));
    }
}
