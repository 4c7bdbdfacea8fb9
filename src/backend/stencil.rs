//! Centred second-order stencils on cell-centred grids, with the ghost values of each boundary
//! (see [`super::mol`] for the formulas), and the right-hand side type the time steppers take.

crate::choices! {
    /// Ghost values at the two ends of the grid.
    pub enum Edge {
        Neumann = "neumann",
        Periodic = "periodic",
        Extrapolate = "extrapolate",
    }
}

impl Edge {
    /// (u₋₁, uₙ).
    fn ghosts(self, u: &[f64]) -> (f64, f64) {
        let n = u.len();
        match self {
            Edge::Neumann => (u[0], u[n - 1]),
            Edge::Periodic => (u[n - 1], u[0]),
            Edge::Extrapolate if n >= 3 => (
                3.0 * u[0] - 3.0 * u[1] + u[2],
                3.0 * u[n - 1] - 3.0 * u[n - 2] + u[n - 3],
            ),
            Edge::Extrapolate => (u[0], u[n - 1]),
        }
    }
}

/// The neighbours (uᵢ₋₁, uᵢ₊₁) of every cell.
fn neighbours(u: &[f64], edge: Edge) -> impl Iterator<Item = (f64, f64)> + '_ {
    let (left, right) = edge.ghosts(u);
    let n = u.len();
    (0..n).map(move |i| {
        let l = if i == 0 { left } else { u[i - 1] };
        let r = if i + 1 == n { right } else { u[i + 1] };
        (l, r)
    })
}

/// Centred first derivative.
pub fn dx(u: &[f64], h: f64, edge: Edge) -> Vec<f64> {
    neighbours(u, edge)
        .map(|(l, r)| (r - l) / (2.0 * h))
        .collect()
}

/// Centred second derivative.
pub fn dxx(u: &[f64], h: f64, edge: Edge) -> Vec<f64> {
    neighbours(u, edge)
        .zip(u)
        .map(|((l, r), c)| (r - 2.0 * c + l) / (h * h))
        .collect()
}

/// A 2D field of n × m cells stored row-major (index i·m + j, i along x, j along y).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid2 {
    pub n: usize,
    pub m: usize,
    pub hx: f64,
    pub hy: f64,
}

/// Apply a 1D stencil along x (axis 0: the lines j = const) or y (axis 1: i = const).
pub fn along(u: &[f64], g: Grid2, axis: usize, stencil: impl Fn(&[f64]) -> Vec<f64>) -> Vec<f64> {
    let mut out = vec![0.0; u.len()];
    if axis == 1 {
        for (row, o) in u.chunks(g.m).zip(out.chunks_mut(g.m)) {
            o.copy_from_slice(&stencil(row));
        }
    } else {
        for j in 0..g.m {
            let line: Vec<f64> = (0..g.n).map(|i| u[i * g.m + j]).collect();
            for (i, v) in stencil(&line).into_iter().enumerate() {
                out[i * g.m + j] = v;
            }
        }
    }
    out
}

/// The 5-point Laplacian ∂ₓₓu + ∂ᵧᵧu of a 2D field.
pub fn laplace2(u: &[f64], g: Grid2, edge: Edge) -> Vec<f64> {
    let xx = along(u, g, 0, |l| dxx(l, g.hx, edge));
    let yy = along(u, g, 1, |l| dxx(l, g.hy, edge));
    xx.iter().zip(&yy).map(|(a, b)| a + b).collect()
}

/// The right-hand side F(u, t); an error stops the run.
pub type Rhs<'a> = dyn FnMut(&[f64], f64) -> Result<Vec<f64>, StepError> + 'a;

/// Why one time step failed (the integrator adds the time, as a [`super::BackendError`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StepError {
    /// The right-hand side could not be evaluated: the caller's reason.
    #[error("{0}")]
    Rhs(String),
    /// The right-hand side returned the wrong number of values.
    #[error("the right-hand side has {got} values for {cells} cells")]
    RhsLength { got: usize, cells: usize },
    /// Newton's residual is not finite in a cell.
    #[error("in Newton's method the right-hand side is {value} in cell {cell}; reduce `step`")]
    NewtonNotFinite { cell: usize, value: f64 },
    /// Newton's method did not converge.
    #[error("Newton's method did not converge in {iterations} iterations: the step is too large, or the right-hand side couples cells more than {reach} apart (the Jacobian's pattern); reduce `step`")]
    NewtonDiverged { iterations: usize, reach: usize },
    /// A Jacobian entry is not finite.
    #[error("the Jacobian of the right-hand side is not finite; reduce `step`")]
    JacobianNotFinite,
    /// The Newton matrix cannot be factorised.
    #[error("the Newton matrix I − h·J is singular; reduce `step`")]
    Singular,
    /// The sparse LU's symbolic analysis failed (faer's reason).
    #[error("the sparse LU analysis failed ({0})")]
    Analysis(String),
    /// A factorisation was asked for before its analysis.
    #[error("the sparse LU analysis is missing")]
    MissingAnalysis,
}
