//! Kolmogorov–Smirnov distances D = sup_x |F_n(x) − F(x)|.

/// Against a continuous CDF F: at each order statistic x₍ᵢ₎ (i = 0 … n−1) the empirical CDF
/// jumps from i/n to (i+1)/n, so D = maxᵢ max(F(x₍ᵢ₎) − i/n, (i+1)/n − F(x₍ᵢ₎)).
/// The caller rejects NaNs; an empty sample gives 0.
pub fn ks_distance(sample: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let mut xs = sample.to_vec();
    xs.sort_by(f64::total_cmp);
    let n = xs.len() as f64;
    xs.iter().enumerate().fold(0.0, |d, (i, &x)| {
        let f = cdf(x);
        d.max(f - i as f64 / n).max((i + 1) as f64 / n - f)
    })
}

/// Two-sample distance D = sup_x |F_a(x) − F_b(x)| of the two empirical CDFs, evaluated just
/// after each distinct value by merging the sorted samples (ties step both CDFs together).
/// The caller rejects NaNs; an empty sample gives 0.
pub fn ks_two_sample(a: &[f64], b: &[f64]) -> f64 {
    let (mut x, mut y) = (a.to_vec(), b.to_vec());
    x.sort_by(f64::total_cmp);
    y.sort_by(f64::total_cmp);
    let (n, m) = (x.len() as f64, y.len() as f64);
    let (mut i, mut j, mut d) = (0, 0, 0.0f64);
    while i < x.len() && j < y.len() {
        let t = x[i].min(y[j]);
        while i < x.len() && x[i] <= t {
            i += 1;
        }
        while j < y.len() && y[j] <= t {
            j += 1;
        }
        d = d.max((i as f64 / n - j as f64 / m).abs());
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_grid_against_uniform_cdf() {
        // Points (i + ½)/n: every step of F_n straddles F by exactly 1/(2n).
        let n = 100;
        let xs: Vec<f64> = (0..n).map(|i| (i as f64 + 0.5) / n as f64).collect();
        let d = ks_distance(&xs, |x| x.clamp(0.0, 1.0));
        assert!((d - 0.5 / n as f64).abs() < 1e-12, "{d}");
    }

    #[test]
    fn two_sample_extremes() {
        assert_eq!(ks_two_sample(&[1.0, 2.0], &[1.0, 2.0]), 0.0);
        assert_eq!(ks_two_sample(&[1.0, 2.0], &[3.0, 4.0]), 1.0);
        // F_a − F_b after 1: ½ − 0; after 2: 1 − ½; after 3: 1 − 1.
        assert_eq!(ks_two_sample(&[1.0, 2.0], &[2.0, 3.0]), 0.5);
        assert_eq!(ks_two_sample(&[], &[1.0]), 0.0);
    }

    #[test]
    fn a_point_mass_is_at_distance_one_half_from_uniform() {
        // F_n jumps 0 → 1 at ½ where F = ½.
        assert_eq!(ks_distance(&[0.5], |x| x), 0.5);
        assert_eq!(ks_distance(&[], |x| x), 0.0);
    }
}
