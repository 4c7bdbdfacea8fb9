//! The Callan–Symanzik form of the drift-only Fokker–Planck equation (source 000, eqs. 15–26).
//!
//! Without diffusion, with D = G/t, eq. 11 becomes β·∇P + t ∂ₜP + nP = 0 (eq. 17) with β = G
//! and n = ∇·G. At a terminal time T where t∂ₜP = 0 (eq. 21), ∇·(PG) = 0 (eq. 22), which is
//! solved along the flow lines dw/ds = G(w):
//!
//!   dP/ds = −P ∇·G   ⇒   P(w(s)) = P₀ exp(−∫₀ˢ (∇·G)(w(s′)) ds′)          (eq. 23)
//!
//! and in 1D (or for decoupled components) P(w) = const/G(w) (eq. 26), since then
//! dP/dw = −P G′/G. [`trace`] integrates (w, log P) along each flow line with the classical
//! fourth-order Runge–Kutta scheme (global error O(h⁴) in the step h = length/steps); ∇·G is a
//! central difference with step δ = 10⁻⁵·max(1, |wₖ|) per component (relative error ~10⁻¹⁰
//! for smooth G). [`inverse_g_density`] tabulates eq. 26 on a grid.

use super::BackendError;

/// A vector field G: writes G(w) into the second argument.
pub type Field<'a> = &'a (dyn Fn(&[f64], &mut [f64]) + Sync);

/// Flow lines from each start point: the parameter values s, the points w(s) and P(w(s)),
/// recorded every `every` steps (and at s = 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Curves {
    pub s: Vec<f64>,
    /// points\[start]\[record] = w(s_record), a vector of `dims` components.
    pub points: Vec<Vec<Vec<f64>>>,
    /// density\[start]\[record] = P(w(s_record)).
    pub density: Vec<Vec<f64>>,
}

/// Settings of a flow-line integration.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceConfig {
    pub p0: f64,
    pub length: f64,
    pub steps: usize,
    pub every: usize,
}

/// (∇·G)(w) by central differences, δₖ = 10⁻⁵·max(1, |wₖ|).
pub fn divergence(g: Field, w: &[f64]) -> f64 {
    let d = w.len();
    let (mut plus, mut minus) = (vec![0.0; d], vec![0.0; d]);
    let mut q = w.to_vec();
    (0..d)
        .map(|k| {
            let h = 1e-5 * w[k].abs().max(1.0);
            q[k] = w[k] + h;
            g(&q, &mut plus);
            q[k] = w[k] - h;
            g(&q, &mut minus);
            q[k] = w[k];
            (plus[k] - minus[k]) / (2.0 * h)
        })
        .sum()
}

/// The right-hand side of the flow: d(w, log P)/ds = (G(w), −∇·G(w)).
fn flow(g: Field, y: &[f64], out: &mut [f64]) {
    let d = y.len() - 1;
    g(&y[..d], &mut out[..d]);
    out[d] = -divergence(g, &y[..d]);
}

/// One classical Runge–Kutta step of length h for (w, log P).
fn rk4_step(g: Field, y: &mut [f64], h: f64) {
    let n = y.len();
    let mut k = [vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]];
    let mut tmp = vec![0.0; n];
    flow(g, y, &mut k[0]);
    for (stage, c) in [(1, 0.5), (2, 0.5), (3, 1.0)] {
        for i in 0..n {
            tmp[i] = y[i] + c * h * k[stage - 1][i];
        }
        flow(g, &tmp, &mut k[stage]);
    }
    for i in 0..n {
        y[i] += h / 6.0 * (k[0][i] + 2.0 * k[1][i] + 2.0 * k[2][i] + k[3][i]);
    }
}

/// Integrate eq. 23 along the flow line from each start point. Errors: a bad setting, or a
/// non-finite point or density (naming the start, the step and s).
pub fn trace(g: Field, starts: &[Vec<f64>], cfg: &TraceConfig) -> Result<Curves, BackendError> {
    if !(cfg.length.is_finite() && cfg.length != 0.0) || cfg.steps == 0 || cfg.every == 0 {
        return Err(BackendError::Invalid(format!(
            "need a finite, non-zero length and steps, every ≥ 1 (length = {}, steps = {}, every = {})",
            cfg.length, cfg.steps, cfg.every
        )));
    }
    if !(cfg.p0 > 0.0 && cfg.p0.is_finite()) {
        return Err(BackendError::Invalid(format!(
            "p0 = {} must be > 0",
            cfg.p0
        )));
    }
    let h = cfg.length / cfg.steps as f64;
    let s: Vec<f64> = (0..=cfg.steps)
        .filter(|k| k % cfg.every == 0)
        .map(|k| k as f64 * h)
        .collect();
    let mut curves = Curves {
        s,
        points: Vec::new(),
        density: Vec::new(),
    };
    for (index, w0) in starts.iter().enumerate() {
        let (points, density) =
            trace_one(g, w0, cfg, h).map_err(|(step, what, value)| BackendError::NotFinite {
                place: Box::new(super::Place {
                    run: Some(("flow line", index)),
                    step: Some(step),
                    time: Some(("s", step as f64 * h)),
                    cell: None,
                }),
                quantity: format!("{what} (from {w0:?})"),
                value,
                hint: "",
            })?;
        curves.points.push(points);
        curves.density.push(density);
    }
    Ok(curves)
}

type Traced = (Vec<Vec<f64>>, Vec<f64>);

/// The step, the quantity and its value when the state stops being finite.
type Blowup = (usize, String, f64);

fn trace_one(g: Field, w0: &[f64], cfg: &TraceConfig, h: f64) -> Result<Traced, Blowup> {
    let d = w0.len();
    let mut y: Vec<f64> = w0.iter().copied().chain([cfg.p0.ln()]).collect();
    let (mut points, mut density) = (vec![w0.to_vec()], vec![cfg.p0]);
    for step in 1..=cfg.steps {
        rk4_step(g, &mut y, h);
        if let Some(k) = y.iter().position(|v| !v.is_finite()) {
            let what = if k < d {
                format!("component {k} of w")
            } else {
                "log P".to_string()
            };
            return Err((step, what, y[k]));
        }
        if step % cfg.every == 0 {
            points.push(y[..d].to_vec());
            density.push(y[d].exp());
        }
    }
    Ok((points, density))
}

/// Eq. 26 on the cell centres xᵢ of a 1D grid: P(xᵢ) = c/|G(xᵢ)| with c fixed by Σ P(xᵢ)·Δx = 1
/// (the midpoint rule). An error if G vanishes, changes sign or is not finite on the grid: the
/// flux PG must have one direction for P = const/G to be a density.
pub fn inverse_g_density(
    g: &dyn Fn(f64) -> f64,
    centres: &[f64],
    dx: f64,
) -> Result<Vec<f64>, BackendError> {
    let values: Vec<f64> = centres.iter().map(|&x| g(x)).collect();
    if let Some(i) = values.iter().position(|v| !v.is_finite() || *v == 0.0) {
        return Err(BackendError::Invalid(format!(
            "G({}) = {}: P = const/G needs G finite and non-zero on the whole domain",
            tidy(centres[i]),
            values[i]
        )));
    }
    if let Some(i) = values
        .windows(2)
        .position(|w| w[0].signum() != w[1].signum())
    {
        return Err(BackendError::Invalid(format!(
            "G changes sign between x = {} and x = {}; P = const/G holds on a domain where the flow has one direction",
            tidy(centres[i]),
            tidy(centres[i + 1])
        )));
    }
    let raw: Vec<f64> = values.iter().map(|v| 1.0 / v.abs()).collect();
    let mass: f64 = raw.iter().sum::<f64>() * dx;
    Ok(raw.iter().map(|p| p / mass).collect())
}

/// x rounded to 12 decimals, so that grid points print as 0.01 rather than 0.010000000000000009.
fn tidy(x: f64) -> f64 {
    (x * 1e12).round() / 1e12
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(length: f64, steps: usize) -> TraceConfig {
        TraceConfig {
            p0: 1.0,
            length,
            steps,
            every: steps,
        }
    }

    #[test]
    fn a_linear_flow_has_the_exact_density_exp_minus_trace_s() {
        // G = diag(1, −2) w: w(s) = (e^s x₀, e^{−2s} y₀), ∇·G = −1, P = P₀ e^{s}.
        let g = |w: &[f64], out: &mut [f64]| {
            out[0] = w[0];
            out[1] = -2.0 * w[1];
        };
        let c = trace(&g, &[vec![0.5, 1.0]], &cfg(2.0, 200)).unwrap();
        let (end, p) = (&c.points[0][1], c.density[0][1]);
        assert!((end[0] - 0.5 * 2f64.exp()).abs() < 1e-8, "{end:?}");
        assert!((end[1] - (-4f64).exp()).abs() < 1e-8, "{end:?}");
        assert!((p - 2f64.exp()).abs() < 1e-8, "{p}");
        assert_eq!(c.s, vec![0.0, 2.0]);
    }

    /// G = (x(1 − x), −y): x(s) is logistic, ∇·G = −2x, P = P₀(1 − x₀ + x₀eˢ)².
    fn logistic_error(steps: usize) -> f64 {
        let g = |w: &[f64], out: &mut [f64]| {
            out[0] = w[0] * (1.0 - w[0]);
            out[1] = -w[1];
        };
        let (x0, s) = (0.1, 3.0);
        let c = trace(&g, &[vec![x0, 1.0]], &cfg(s, steps)).unwrap();
        let exact = (1.0 - x0 + x0 * s.exp()).powi(2);
        (c.density[0][1] - exact).abs() / exact
    }

    #[test]
    fn a_nonlinear_flow_converges_at_fourth_order() {
        let (e1, e2) = (logistic_error(20), logistic_error(40));
        let order = (e1 / e2).log2();
        assert!(e2 < 1e-6, "{e2}");
        assert!((order - 4.0).abs() < 0.3, "order {order} ({e1}, {e2})");
    }

    #[test]
    fn eq_26_is_eq_23_in_one_dimension() {
        // G = 1 + x² on (0, 2): P ∝ 1/(1 + x²); along a flow line P(s)/P₀ = G(x₀)/G(x(s)).
        let g1 = |x: f64| 1.0 + x * x;
        let n = 400;
        let dx = 2.0 / n as f64;
        let centres: Vec<f64> = (0..n).map(|i| (i as f64 + 0.5) * dx).collect();
        let p = inverse_g_density(&g1, &centres, dx).unwrap();
        let norm = 2f64.atan(); // ∫₀² dx/(1 + x²)
        assert!((p[0] - 1.0 / (g1(centres[0]) * norm)).abs() < 1e-5);
        let g = |w: &[f64], out: &mut [f64]| out[0] = g1(w[0]);
        let c = trace(&g, &[vec![0.2]], &cfg(0.5, 100)).unwrap();
        let x_end = c.points[0][1][0];
        let ratio = c.density[0][1];
        assert!((ratio - g1(0.2) / g1(x_end)).abs() < 1e-9, "{ratio}");
    }

    #[test]
    fn bad_fields_and_settings_are_errors() {
        let centres = [-0.5, 0.5];
        assert!(inverse_g_density(&|x| x, &centres, 1.0).is_err());
        assert!(inverse_g_density(&|_| 0.0, &centres, 1.0).is_err());
        let g = |w: &[f64], out: &mut [f64]| out[0] = w[0] * w[0];
        // dx/ds = x² blows up at s = 1 from x₀ = 1.
        let e = trace(&g, &[vec![1.0]], &cfg(2.0, 1000))
            .unwrap_err()
            .to_string();
        assert!(e.contains("flow line 0") && e.contains("step"), "{e}");
        assert!(trace(&g, &[vec![1.0]], &cfg(0.0, 10)).is_err());
    }
}
