//! Fits of a sample's density with standard errors: the Gaussian and the semicircle by their
//! moments, the two-mode density of 001 by maximum likelihood. A fit that fails says so; it
//! never returns a silent number.

use super::stats::{mean, variance};
use crate::observe::special::erf;
use std::f64::consts::PI;

/// A fitted parameter and its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub error: f64,
}

/// Fitted parameters, by name, and the negative log-likelihood at the optimum where the fit
/// maximised one.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub params: Vec<(&'static str, Estimate)>,
    pub neg_log_likelihood: Option<f64>,
}

fn need(x: &[f64], n: usize) -> Result<(), String> {
    if x.len() < n {
        return Err(format!("{} values are too few; give at least {n}", x.len()));
    }
    Ok(())
}

/// N(μ, σ²) by maximum likelihood (= its moments): μ̂ = x̄ with error σ̂/√n, σ̂ the sample
/// standard deviation with error σ̂/√(2(n − 1)).
pub fn gaussian(x: &[f64]) -> Result<Fit, String> {
    need(x, 3)?;
    let n = x.len() as f64;
    let sd = variance(x).sqrt();
    Ok(Fit {
        params: vec![
            ("mean", est(mean(x), sd / n.sqrt())),
            ("sd", est(sd, sd / (2.0 * (n - 1.0)).sqrt())),
        ],
        neg_log_likelihood: None,
    })
}

/// The semicircle ρ(x) = 2√(R² − (x − c)²)/(πR²) by its moments: c = x̄ and, since its
/// variance is R²/4, R = 2σ̂. Errors: σ̂/√n for c, and by the delta method
/// Var(σ̂²) ≈ (m₄ − σ̂⁴)/n, so δR = √((m₄ − σ̂⁴)/n)/σ̂, m₄ the sample fourth central moment.
pub fn semicircle(x: &[f64]) -> Result<Fit, String> {
    need(x, 3)?;
    let n = x.len() as f64;
    let c = mean(x);
    let var = variance(x);
    let m4 = x.iter().map(|v| (v - c).powi(4)).sum::<f64>() / n;
    let sd = var.sqrt();
    Ok(Fit {
        params: vec![
            ("centre", est(c, sd / n.sqrt())),
            (
                "radius",
                est(2.0 * sd, ((m4 - var * var).max(0.0) / n).sqrt() / sd),
            ),
        ],
        neg_log_likelihood: None,
    })
}

/// The two-mode density of 001 ("Wigner semi-circle", two degenerate eigenvalues in a
/// harmonic well of width σ about c), with y = (x − c)/σ:
///   ρ(x) = e^{−y²/2}/(4√π σ) · [2e^{−y²/2} + √(2π) y erf(y/√2)].
/// It integrates to 1, has variance 3σ²/2 and Binder cumulant −4/27.
pub fn two_mode_density(x: f64, sigma: f64, centre: f64) -> f64 {
    let y = (x - centre) / sigma;
    let g = (-0.5 * y * y).exp();
    g / (4.0 * PI.sqrt() * sigma)
        * (2.0 * g + (2.0 * PI).sqrt() * y * erf(y / std::f64::consts::SQRT_2))
}

/// Maximum-likelihood fit of the two-mode density: (c, σ) minimising −Σ log ρ(xᵢ), started
/// from the moments (c = x̄, σ² = 2s²/3) and refined by Nelder–Mead; standard errors from
/// the inverse of the observed information (the Hessian of −log L, by central differences).
pub fn two_mode(x: &[f64]) -> Result<Fit, String> {
    need(x, 10)?;
    let (c0, s0) = (mean(x), (2.0 * variance(x) / 3.0).sqrt());
    if !(s0 > 0.0 && s0.is_finite()) {
        return Err("the sample has no spread".into());
    }
    let nll = |p: &[f64]| -> f64 {
        if p[1] <= 0.0 {
            return f64::INFINITY;
        }
        -x.iter()
            .map(|&v| two_mode_density(v, p[1], p[0]).max(1e-300).ln())
            .sum::<f64>()
    };
    let best = nelder_mead(&nll, &[c0, s0], &[0.1 * s0, 0.1 * s0], 1e-12, 2000)?;
    let errors = hessian_errors(&nll, &best, &[1e-3 * s0, 1e-3 * s0])?;
    Ok(Fit {
        params: vec![
            ("centre", est(best[0], errors[0])),
            ("sigma", est(best[1], errors[1])),
        ],
        neg_log_likelihood: Some(nll(&best)),
    })
}

fn est(value: f64, error: f64) -> Estimate {
    Estimate { value, error }
}

/// Nelder–Mead minimisation (reflection 1, expansion 2, contraction ½, shrink ½) from
/// `start` with initial simplex steps `step`; stops when the spread of f over the simplex is
/// below `tol`·(|f| + 1). An error if it has not converged after `max_iter` iterations.
pub fn nelder_mead(
    f: &dyn Fn(&[f64]) -> f64,
    start: &[f64],
    step: &[f64],
    tol: f64,
    max_iter: usize,
) -> Result<Vec<f64>, String> {
    let d = start.len();
    let mut simplex: Vec<(Vec<f64>, f64)> = (0..=d)
        .map(|k| {
            let mut p = start.to_vec();
            if k > 0 {
                p[k - 1] += step[k - 1];
            }
            let v = f(&p);
            (p, v)
        })
        .collect();
    for _ in 0..max_iter {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (lo, hi) = (simplex[0].1, simplex[d].1);
        if lo.is_finite() && (hi - lo).abs() <= tol * (lo.abs() + 1.0) {
            return Ok(simplex.swap_remove(0).0);
        }
        nelder_mead_step(f, &mut simplex);
    }
    Err(format!(
        "the likelihood maximisation did not converge in {max_iter} iterations"
    ))
}

/// One Nelder–Mead move on a simplex sorted best first.
fn nelder_mead_step(f: &dyn Fn(&[f64]) -> f64, simplex: &mut [(Vec<f64>, f64)]) {
    let d = simplex.len() - 1;
    let centroid: Vec<f64> = (0..d)
        .map(|j| simplex[..d].iter().map(|p| p.0[j]).sum::<f64>() / d as f64)
        .collect();
    let towards = |t: f64| -> Vec<f64> {
        (0..d)
            .map(|j| centroid[j] + t * (simplex[d].0[j] - centroid[j]))
            .collect()
    };
    let reflected = towards(-1.0);
    let fr = f(&reflected);
    if fr < simplex[0].1 {
        let expanded = towards(-2.0);
        let fe = f(&expanded);
        simplex[d] = if fe < fr {
            (expanded, fe)
        } else {
            (reflected, fr)
        };
    } else if fr < simplex[d - 1].1 {
        simplex[d] = (reflected, fr);
    } else {
        let contracted = towards(0.5);
        let fc = f(&contracted);
        if fc < simplex[d].1 {
            simplex[d] = (contracted, fc);
        } else {
            let best = simplex[0].0.clone();
            for p in simplex.iter_mut().skip(1) {
                p.0 =
                    p.0.iter()
                        .zip(&best)
                        .map(|(a, b)| b + 0.5 * (a - b))
                        .collect();
                p.1 = f(&p.0);
            }
        }
    }
}

/// √diag(H⁻¹), H the Hessian of f at p by central differences with steps h: the standard
/// errors of a maximum-likelihood estimate when f = −log L. An error unless H is positive
/// definite (the optimum is not a proper minimum).
pub fn hessian_errors(f: &dyn Fn(&[f64]) -> f64, p: &[f64], h: &[f64]) -> Result<Vec<f64>, String> {
    let d = p.len();
    let at = |di: &[(usize, f64)]| {
        let mut q = p.to_vec();
        for &(i, s) in di {
            q[i] += s;
        }
        f(&q)
    };
    let mut hess = faer::Mat::<f64>::zeros(d, d);
    for i in 0..d {
        for j in 0..=i {
            let v = if i == j {
                (at(&[(i, h[i])]) - 2.0 * f(p) + at(&[(i, -h[i])])) / (h[i] * h[i])
            } else {
                (at(&[(i, h[i]), (j, h[j])])
                    - at(&[(i, h[i]), (j, -h[j])])
                    - at(&[(i, -h[i]), (j, h[j])])
                    + at(&[(i, -h[i]), (j, -h[j])]))
                    / (4.0 * h[i] * h[j])
            };
            hess[(i, j)] = v;
            hess[(j, i)] = v;
        }
    }
    let llt = hess.llt(faer::Side::Lower).map_err(|_| {
        "the likelihood has no proper maximum there (its Hessian is not positive definite)"
            .to_string()
    })?;
    let inv = faer::linalg::solvers::DenseSolveCore::inverse(&llt);
    Ok((0..d).map(|i| inv[(i, i)].sqrt()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::rng::stream;
    use rand_distr::{Distribution, StandardNormal};

    /// ∫ xᵏ ρ dx by the midpoint rule on [−12σ, 12σ].
    fn two_mode_moment(k: i32, sigma: f64) -> f64 {
        let n = 24_000;
        let h = 24.0 * sigma / n as f64;
        (0..n)
            .map(|i| {
                let x = -12.0 * sigma + (i as f64 + 0.5) * h;
                x.powi(k) * two_mode_density(x, sigma, 0.0) * h
            })
            .sum()
    }

    #[test]
    fn two_mode_density_is_normalised_with_its_exact_moments() {
        let s = 0.7;
        assert!((two_mode_moment(0, s) - 1.0).abs() < 1e-10);
        let m2 = two_mode_moment(2, s);
        assert!((m2 - 1.5 * s * s).abs() < 1e-10, "{m2}");
        let u4 = two_mode_moment(4, s) / (3.0 * m2 * m2) - 1.0;
        assert!((u4 + 4.0 / 27.0).abs() < 1e-9, "{u4}");
    }

    /// Two eigenvalues of a harmonic Coulomb gas, sampled exactly: the centre of mass is
    /// N(c, σ²/2) and the gap d has density ∝ d e^{−d²/(4σ²)} (d² ~ 4σ²·Exp(1)).
    fn two_mode_sample(n: usize, sigma: f64, c: f64) -> Vec<f64> {
        use rand::RngExt;
        let mut rng = stream(3, 0, "two_mode", 0);
        let mut out = Vec::with_capacity(2 * n);
        for _ in 0..n {
            let z: f64 = StandardNormal.sample(&mut rng);
            let u: f64 = rng.random::<f64>();
            let centre = c + sigma / 2f64.sqrt() * z;
            let d = 2.0 * sigma * (-(1.0 - u).ln()).sqrt();
            out.extend([centre - d / 2.0, centre + d / 2.0]);
        }
        out
    }

    #[test]
    fn two_mode_fit_recovers_sigma_and_centre_within_its_errors() {
        let x = two_mode_sample(4000, 0.3, 2.0);
        let fit = two_mode(&x).unwrap();
        let (c, s) = (fit.params[0].1, fit.params[1].1);
        // 8000 values (correlated in pairs): errors of about 0.3/√4000 ≈ 0.005.
        assert!(c.error > 0.001 && c.error < 0.01, "{c:?}");
        assert!((c.value - 2.0).abs() < 4.0 * c.error, "{c:?}");
        assert!((s.value - 0.3).abs() < 4.0 * s.error, "{s:?}");
    }

    #[test]
    fn moment_fits_of_gaussian_and_semicircle() {
        let mut rng = stream(4, 0, "g", 0);
        let g: Vec<f64> = (0..20_000)
            .map(|_| {
                let z: f64 = StandardNormal.sample(&mut rng);
                1.0 + 2.0 * z
            })
            .collect();
        let fit = gaussian(&g).unwrap();
        let (m, sd) = (fit.params[0].1, fit.params[1].1);
        assert!((m.value - 1.0).abs() < 4.0 * m.error && (sd.value - 2.0).abs() < 4.0 * sd.error);
        // Semicircle of radius 2 by inverse CDF on a fine grid of quantiles.
        let sc: Vec<f64> = (0..20_000)
            .map(|k| semicircle_quantile((k as f64 + 0.5) / 20_000.0))
            .collect();
        let fit = semicircle(&sc).unwrap();
        assert!((fit.params[1].1.value - 2.0).abs() < 1e-3, "{fit:?}");
        assert!(gaussian(&[1.0]).is_err());
        assert!(two_mode(&[1.0; 20]).is_err());
    }

    /// Quantile of the semicircle of radius 2 by bisection on its CDF.
    fn semicircle_quantile(q: f64) -> f64 {
        let cdf = |x: f64| 0.5 + (x * (4.0 - x * x).sqrt() / 4.0 + (x / 2.0).asin()) / PI;
        let (mut a, mut b) = (-2.0, 2.0);
        for _ in 0..60 {
            let m = 0.5 * (a + b);
            if cdf(m) < q {
                a = m
            } else {
                b = m
            }
        }
        0.5 * (a + b)
    }

    #[test]
    fn nelder_mead_finds_a_quadratic_minimum_and_reports_failure() {
        let f = |p: &[f64]| (p[0] - 1.0).powi(2) + 10.0 * (p[1] + 2.0).powi(2);
        let m = nelder_mead(&f, &[0.0, 0.0], &[0.5, 0.5], 1e-14, 5000).unwrap();
        assert!(
            (m[0] - 1.0).abs() < 1e-5 && (m[1] + 2.0).abs() < 1e-5,
            "{m:?}"
        );
        let e = hessian_errors(&f, &m, &[1e-3, 1e-3]).unwrap();
        assert!((e[0] - 0.5f64.sqrt()).abs() < 1e-6, "{e:?}");
        assert!(nelder_mead(&f, &[0.0, 0.0], &[0.5, 0.5], 0.0, 10).is_err());
        assert!(hessian_errors(&|p: &[f64]| -p[0] * p[0], &[0.0], &[1e-3]).is_err());
    }
}
