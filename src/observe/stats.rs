//! Sample statistics.

pub fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Unbiased sample variance Σ(x − x̄)²/(n − 1).
pub fn variance(x: &[f64]) -> f64 {
    let m = mean(x);
    x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (x.len() as f64 - 1.0)
}

/// Standard error of the mean √(var/n).
pub fn std_error(x: &[f64]) -> f64 {
    (variance(x) / x.len() as f64).sqrt()
}

/// The q-quantile with linear interpolation between order statistics (q clamped to [0, 1]).
pub fn quantile(x: &[f64], q: f64) -> f64 {
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
