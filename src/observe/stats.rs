//! Sample statistics. Callers check sizes; too few values give NaN, never a panic.

/// Sample mean x̄ = Σx/n (NaN for an empty sample).
pub fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Unbiased sample variance Σ(x − x̄)²/(n − 1) (NaN for n < 2).
pub fn variance(x: &[f64]) -> f64 {
    let m = mean(x);
    x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (x.len() as f64 - 1.0)
}

/// Standard error of the mean √(var/n).
pub fn std_error(x: &[f64]) -> f64 {
    (variance(x) / x.len() as f64).sqrt()
}

/// The q-quantile with linear interpolation between order statistics: with x₍₀₎ ≤ … ≤ x₍ₙ₋₁₎
/// and p = q(n − 1), x₍⌊p⌋₎ + (p − ⌊p⌋)(x₍⌊p⌋+1₎ − x₍⌊p⌋₎) (numpy's default; q clamped to
/// [0, 1]; NaN for an empty sample or q = NaN).
pub fn quantile(x: &[f64], q: f64) -> f64 {
    if x.is_empty() || q.is_nan() {
        return f64::NAN;
    }
    let mut v = x.to_vec();
    v.sort_by(f64::total_cmp);
    let pos = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let (i, frac) = (pos.floor() as usize, pos.fract());
    if i + 1 < v.len() {
        v[i] * (1.0 - frac) + v[i + 1] * frac
    } else {
        v[i]
    }
}

/// A straight-line fit and the standard errors of its parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineFit {
    pub slope: f64,
    pub slope_error: f64,
    pub intercept: f64,
    pub intercept_error: f64,
}

/// Ordinary least squares y = a x + b. Errors from the residual variance s² = RSS/(n − 2):
/// σ_a = √(s²/Sxx), σ_b = √(s² (1/n + x̄²/Sxx)).
pub fn fit_line(x: &[f64], y: &[f64]) -> Result<LineFit, String> {
    let n = x.len();
    if n != y.len() {
        return Err(format!("x has {n} values but y has {}", y.len()));
    }
    if n < 3 {
        return Err(format!(
            "{n} points leave no degrees of freedom for the errors; give at least 3"
        ));
    }
    let (mx, my) = (mean(x), mean(y));
    let sxx: f64 = x.iter().map(|v| (v - mx).powi(2)).sum();
    if sxx <= 0.0 {
        return Err("all x values are equal".into());
    }
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let rss: f64 = x
        .iter()
        .zip(y)
        .map(|(a, b)| (b - slope * a - intercept).powi(2))
        .sum();
    let s2 = rss / (n as f64 - 2.0);
    Ok(LineFit {
        slope,
        slope_error: (s2 / sxx).sqrt(),
        intercept,
        intercept_error: (s2 * (1.0 / n as f64 + mx * mx / sxx)).sqrt(),
    })
}

/// Weighted least squares y = a x + b with known standard errors σᵢ of the yᵢ (weights
/// wᵢ = 1/σᵢ²): with S = Σw, Sₓ = Σwx, S_y = Σwy, Sₓₓ = Σwx², Sₓᵧ = Σwxy, Δ = S·Sₓₓ − Sₓ²,
/// a = (S·Sₓᵧ − Sₓ·S_y)/Δ, b = (Sₓₓ·S_y − Sₓ·Sₓᵧ)/Δ, σ_a = √(S/Δ), σ_b = √(Sₓₓ/Δ), and
/// χ² = Σw(y − ax − b)² (≈ n − 2 if the line and the errors are right).
pub fn fit_line_weighted(x: &[f64], y: &[f64], sigma: &[f64]) -> Result<(LineFit, f64), String> {
    let n = x.len();
    if n != y.len() || n != sigma.len() {
        return Err(format!(
            "x, y and sigma have {n}, {} and {} values",
            y.len(),
            sigma.len()
        ));
    }
    if n < 3 {
        return Err(format!(
            "{n} points leave no degrees of freedom; give at least 3"
        ));
    }
    if let Some(i) = sigma.iter().position(|s| s.is_nan() || *s <= 0.0) {
        return Err(format!("sigma[{i}] = {} must be positive", sigma[i]));
    }
    let w: Vec<f64> = sigma.iter().map(|s| 1.0 / (s * s)).collect();
    let dot = |f: &dyn Fn(usize) -> f64| (0..n).map(|i| w[i] * f(i)).sum::<f64>();
    let (s0, sx, sy) = (dot(&|_| 1.0), dot(&|i| x[i]), dot(&|i| y[i]));
    let (sxx, sxy) = (dot(&|i| x[i] * x[i]), dot(&|i| x[i] * y[i]));
    let delta = s0 * sxx - sx * sx;
    if delta <= 0.0 {
        return Err("all x values are equal".into());
    }
    let slope = (s0 * sxy - sx * sy) / delta;
    let intercept = (sxx * sy - sx * sxy) / delta;
    let chi2 = dot(&|i| (y[i] - slope * x[i] - intercept).powi(2));
    let fit = LineFit {
        slope,
        slope_error: (s0 / delta).sqrt(),
        intercept,
        intercept_error: (sxx / delta).sqrt(),
    };
    Ok((fit, chi2))
}

/// The Binder cumulant U₄ = ⟨x⁴⟩/(3⟨x²⟩²) − 1 (0 for a Gaussian centred at 0) and its
/// delete-one-block jackknife error over `blocks` contiguous blocks.
pub fn binder_cumulant(x: &[f64], blocks: usize) -> Result<(f64, f64), String> {
    if blocks < 2 || x.len() < 2 * blocks {
        return Err(format!("the Binder cumulant needs at least 2 blocks of 2 samples ({} samples, {blocks} blocks)", x.len()));
    }
    let u4 = |m2: f64, m4: f64| m4 / (3.0 * m2 * m2) - 1.0;
    let size = x.len() / blocks;
    let sums: Vec<(f64, f64)> = (0..blocks)
        .map(|b| {
            x[b * size..(b + 1) * size]
                .iter()
                .fold((0.0, 0.0), |(s2, s4), v| (s2 + v * v, s4 + v.powi(4)))
        })
        .collect();
    let (t2, t4) = sums
        .iter()
        .fold((0.0, 0.0), |(a, b), (s2, s4)| (a + s2, b + s4));
    let used = (size * blocks) as f64;
    if t2 == 0.0 {
        return Err("the Binder cumulant is undefined when ⟨x²⟩ = 0".into());
    }
    let full = u4(t2 / used, t4 / used);
    let rest = used - size as f64;
    let leave_out: Vec<f64> = sums
        .iter()
        .map(|(s2, s4)| u4((t2 - s2) / rest, (t4 - s4) / rest))
        .collect();
    let mean = leave_out.iter().sum::<f64>() / blocks as f64;
    let var = leave_out.iter().map(|u| (u - mean).powi(2)).sum::<f64>() * (blocks as f64 - 1.0)
        / blocks as f64;
    Ok((full, var.sqrt()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(mean(&x), 2.5);
        assert!((variance(&x) - 5.0 / 3.0).abs() < 1e-15);
        assert_eq!(quantile(&x, 0.5), 2.5);
        assert_eq!(quantile(&x, 1.0), 4.0);
        assert_eq!(quantile(&x, 0.25), 1.75);
        assert!((std_error(&x) - (5.0f64 / 12.0).sqrt()).abs() < 1e-15);
    }

    #[test]
    fn too_few_values_give_nan_not_a_panic() {
        assert!(mean(&[]).is_nan());
        assert!(variance(&[1.0]).is_nan());
        assert!(quantile(&[], 0.5).is_nan());
        assert!(quantile(&[1.0], f64::NAN).is_nan());
    }

    #[test]
    fn weighted_line_fit_matches_the_unweighted_one_for_equal_errors() {
        let (x, y) = ([0.0, 1.0, 2.0, 3.0], [0.1, 0.9, 2.1, 2.9]);
        let plain = fit_line(&x, &y).unwrap();
        let (w, chi2) = fit_line_weighted(&x, &y, &[0.1; 4]).unwrap();
        assert!((w.slope - plain.slope).abs() < 1e-12);
        assert!((w.intercept - plain.intercept).abs() < 1e-12);
        // σ_a = σ/√Sxx with Sxx = Σ(x − x̄)² = 5; χ² = Σ(residual/σ)² = 4·(0.08² … ) exactly:
        assert!((w.slope_error - 0.1 / 5f64.sqrt()).abs() < 1e-12, "{w:?}");
        let rss: f64 = x
            .iter()
            .zip(&y)
            .map(|(a, b)| (b - w.slope * a - w.intercept).powi(2))
            .sum();
        assert!((chi2 - rss / 0.01).abs() < 1e-9);
        assert!(fit_line_weighted(&x, &y, &[0.1, 0.0, 0.1, 0.1]).is_err());
        assert!(fit_line_weighted(&x, &y, &[0.1; 3]).is_err());
    }

    #[test]
    fn line_fit_is_exact_on_a_line_and_refuses_two_points() {
        let f = fit_line(&[0.0, 1.0, 2.0, 3.0], &[1.0, 3.0, 5.0, 7.0]).unwrap();
        assert!(
            (f.slope - 2.0).abs() < 1e-12
                && (f.intercept - 1.0).abs() < 1e-12
                && f.slope_error < 1e-12
        );
        // Residuals ±0.1 alternating around y = x: known closed-form errors.
        let g = fit_line(&[0.0, 1.0, 2.0, 3.0], &[0.1, 0.9, 2.1, 2.9]).unwrap();
        assert!((g.slope - 0.96).abs() < 1e-12, "{g:?}");
        assert!(g.slope_error > 0.0);
        assert!(fit_line(&[0.0, 1.0], &[0.0, 1.0]).is_err());
        assert!(fit_line(&[1.0, 1.0, 1.0], &[0.0, 1.0, 2.0]).is_err());
    }

    #[test]
    fn binder_of_two_point_values_is_minus_two_thirds() {
        // x = ±1: ⟨x⁴⟩ = ⟨x²⟩ = 1, so U₄ = 1/3 − 1 exactly, with no spread between blocks.
        let x: Vec<f64> = (0..100)
            .map(|i| if i % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        let (u, err) = binder_cumulant(&x, 10).unwrap();
        assert!((u + 2.0 / 3.0).abs() < 1e-12 && err < 1e-12);
        assert!(binder_cumulant(&x[..3], 10).is_err());
    }
}
