//! Level statistics of spectra: spacings of chosen (degenerate) pairs, nearest-neighbour
//! spacings after unfolding, and spacing ratios. A spectrum set is a list of rows, one row per
//! run (or draw), each holding that run's eigenvalues.

/// Index pairs (i, i + 1) whose values are equal to within `rel_tol`·max(1, |vᵢ|): the
/// degenerate modes of a target spectrum, e.g. κₖ = m² + 2 − 2cos(2πk/N) of the 1D lattice
/// (001), where k and N − k share a value. Pairs do not overlap: a triple gives one pair.
pub fn degenerate_pairs(v: &[f64], rel_tol: f64) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut i = 0;
    while i + 1 < v.len() {
        if (v[i + 1] - v[i]).abs() <= rel_tol * v[i].abs().max(1.0) {
            pairs.push((i, i + 1));
            i += 2;
        } else {
            i += 1;
        }
    }
    pairs
}

/// Sᵣₖ = |x_{r, jₖ} − x_{r, iₖ}| for each row r and pair k = (iₖ, jₖ) of indices into the
/// row's sorted values: the level spacing of each degenerate pair in each run (001, "Wigner
/// surmise": S = x₁ − x₂). Errors name a pair index outside the rows.
pub fn pair_spacings(rows: &[Vec<f64>], pairs: &[(usize, usize)]) -> Result<Vec<Vec<f64>>, String> {
    let width = rows.first().map_or(0, Vec::len);
    if let Some((i, j)) = pairs.iter().find(|(i, j)| *i.max(j) >= width) {
        return Err(format!(
            "the pair ({i}, {j}) is outside spectra of {width} eigenvalues"
        ));
    }
    Ok(rows
        .iter()
        .map(|row| {
            let mut x = row.clone();
            x.sort_by(f64::total_cmp);
            pairs.iter().map(|&(i, j)| (x[j] - x[i]).abs()).collect()
        })
        .collect())
}

/// Column means: ⟨S⟩ₖ over runs, and their standard errors sₖ/√R.
pub fn column_means(m: &[Vec<f64>]) -> (Vec<f64>, Vec<f64>) {
    let k = m.first().map_or(0, Vec::len);
    (0..k)
        .map(|c| {
            let col: Vec<f64> = m.iter().map(|r| r[c]).collect();
            (super::stats::mean(&col), super::stats::std_error(&col))
        })
        .unzip()
}

/// Every entry divided by its column's mean, pooled row by row: s = S/⟨S⟩ per pair, the
/// variable whose law is the universal Wigner surmise P(s) = (π/2) s e^{−πs²/4} (β = 1).
pub fn unit_mean_pooled(m: &[Vec<f64>]) -> Result<Vec<f64>, String> {
    let (means, _) = column_means(m);
    if let Some(k) = means.iter().position(|v| v.is_nan() || *v <= 0.0) {
        return Err(format!(
            "column {k} has mean {}; spacings need a positive mean",
            means[k]
        ));
    }
    Ok(m.iter()
        .flat_map(|r| r.iter().zip(&means).map(|(s, mu)| s / mu))
        .collect())
}

/// Unfolded nearest-neighbour spacings. Each eigenvalue x is mapped to ξ = n·F(x), n the
/// number of eigenvalues in a row and F the mean cumulative spectral distribution, so that
/// the unfolded levels have unit mean density; the spacings ξ_{i+1} − ξᵢ within each row are
/// pooled. F is the given theory CDF, or else the empirical CDF of all rows pooled (the
/// ensemble average), linearly interpolated between its order statistics.
pub fn unfolded_spacings(rows: &[Vec<f64>], cdf: Option<&dyn Fn(f64) -> f64>) -> Vec<f64> {
    let mut pooled: Vec<f64> = rows.concat();
    pooled.sort_by(f64::total_cmp);
    let empirical = |x: f64| empirical_cdf(&pooled, x);
    let f: &dyn Fn(f64) -> f64 = cdf.unwrap_or(&empirical);
    let mut out = Vec::new();
    for row in rows {
        let n = row.len() as f64;
        let mut xi: Vec<f64> = row.iter().map(|&x| n * f(x)).collect();
        xi.sort_by(f64::total_cmp);
        out.extend(xi.windows(2).map(|w| w[1] - w[0]));
    }
    out
}

/// F̂(x) of sorted values x₍₀₎ ≤ … ≤ x₍ₘ₋₁₎: (k + ½)/m at x₍ₖ₎, linear in between, and
/// clamped to [½/m, 1 − ½/m] outside (ties share the mean of their ranks).
fn empirical_cdf(sorted: &[f64], x: f64) -> f64 {
    let m = sorted.len() as f64;
    let hi = sorted.partition_point(|v| *v <= x);
    let lo = sorted.partition_point(|v| *v < x);
    if hi > lo {
        return (0.5 * (lo + hi - 1) as f64 + 0.5) / m;
    }
    if lo == 0 {
        return 0.5 / m;
    }
    if lo == sorted.len() {
        return 1.0 - 0.5 / m;
    }
    let (a, b) = (sorted[lo - 1], sorted[lo]);
    ((lo - 1) as f64 + 0.5 + (x - a) / (b - a)) / m
}

/// Spacing ratios r̃ᵢ = min(sᵢ, sᵢ₊₁)/max(sᵢ, sᵢ₊₁) of consecutive nearest-neighbour spacings
/// within each sorted row, pooled. They need no unfolding; ⟨r̃⟩ = 2 ln 2 − 1 ≈ 0.386 for
/// Poisson levels and ≈ 0.531, 0.600, 0.674 for large GOE, GUE, GSE spectra (Atas et al. 2013).
pub fn spacing_ratios(rows: &[Vec<f64>]) -> Vec<f64> {
    let mut out = Vec::new();
    for row in rows {
        let mut x = row.clone();
        x.sort_by(f64::total_cmp);
        let s: Vec<f64> = x.windows(2).map(|w| w[1] - w[0]).collect();
        out.extend(s.windows(2).filter_map(|w| {
            let (a, b) = (w[0].min(w[1]), w[0].max(w[1]));
            (b > 0.0).then(|| a / b)
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lattice_dispersion_has_four_degenerate_pairs() {
        let n = 10;
        let mut kappa: Vec<f64> = (0..n)
            .map(|k| 4.0 + 2.0 - 2.0 * (2.0 * std::f64::consts::PI * k as f64 / n as f64).cos())
            .collect();
        kappa.sort_by(f64::total_cmp);
        assert_eq!(
            degenerate_pairs(&kappa, 1e-9),
            vec![(1, 2), (3, 4), (5, 6), (7, 8)]
        );
        assert_eq!(degenerate_pairs(&[1.0, 1.0, 1.0], 1e-9), vec![(0, 1)]);
    }

    #[test]
    fn pair_spacings_sort_each_row_and_check_indices() {
        let rows = vec![vec![3.0, 1.0, 1.5], vec![0.0, 2.0, 2.5]];
        let s = pair_spacings(&rows, &[(0, 1), (1, 2)]).unwrap();
        assert_eq!(s, vec![vec![0.5, 1.5], vec![2.0, 0.5]]);
        assert!(pair_spacings(&rows, &[(2, 3)]).is_err());
        let pooled = unit_mean_pooled(&s).unwrap();
        assert_eq!(pooled, vec![0.4, 1.5, 1.6, 0.5]);
        assert!(unit_mean_pooled(&[vec![0.0]]).is_err());
    }

    #[test]
    fn unfolding_with_the_exact_cdf_gives_unit_spacings_on_a_uniform_lattice() {
        // Levels at the quantiles of F(x) = x² on [0, 1]: ξ = n·F(x) are equally spaced.
        let n = 50;
        let row: Vec<f64> = (0..n)
            .map(|k| ((k as f64 + 0.5) / n as f64).sqrt())
            .collect();
        let s = unfolded_spacings(std::slice::from_ref(&row), Some(&|x: f64| x * x));
        assert!(s.iter().all(|v| (v - 1.0).abs() < 1e-12), "{s:?}");
        // The empirical CDF of the same rows unfolds them to unit mean spacing too.
        let s = unfolded_spacings(&[row.clone(), row], None);
        let mean = s.iter().sum::<f64>() / s.len() as f64;
        assert!((mean - 1.0).abs() < 0.05, "{mean}");
    }

    #[test]
    fn ratios_of_a_picket_fence_are_one_and_of_halving_gaps_one_half() {
        assert_eq!(spacing_ratios(&[vec![0.0, 1.0, 2.0, 3.0]]), vec![1.0, 1.0]);
        assert_eq!(spacing_ratios(&[vec![0.0, 4.0, 6.0, 7.0]]), vec![0.5, 0.5]);
    }

    #[test]
    fn empirical_cdf_is_monotone_and_handles_ties() {
        let v = [0.0, 1.0, 1.0, 2.0];
        assert_eq!(empirical_cdf(&v, 1.0), 0.5);
        assert_eq!(empirical_cdf(&v, -1.0), 0.125);
        assert_eq!(empirical_cdf(&v, 9.0), 0.875);
        let mut last = 0.0;
        for k in 0..=40 {
            let c = empirical_cdf(&v, -0.5 + k as f64 * 0.075);
            assert!(c >= last);
            last = c;
        }
    }
}
