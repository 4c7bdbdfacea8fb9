//! Histograms normalised as densities.

/// Most bins a histogram may have (2²⁴), so that a mistyped count is an error, not an abort.
const MAX_BINS: usize = 1 << 24;

/// `bins` equal bins on [lo, hi].
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    pub edges: Vec<f64>,
    pub counts: Vec<u64>,
    /// counts / (total · width): integrates to the fraction of samples inside the range.
    pub density: Vec<f64>,
}

impl Histogram {
    /// Bin midpoints (edgeₖ + edgeₖ₊₁)/2.
    pub fn centres(&self) -> Vec<f64> {
        self.edges.windows(2).map(|w| 0.5 * (w[0] + w[1])).collect()
    }
}

/// Histogram of `x` in `bins` bins of width h = (hi − lo)/bins; the range defaults to
/// [min x, max x]. Bin k counts lo + kh ≤ x < lo + (k+1)h (the last bin includes hi); values
/// outside the range are not counted but do count in the normalisation, so that
/// density_k = count_k/(n·h) and Σ density_k·h is the fraction of the n samples in range.
/// Errors: empty sample, bins = 0 or > 2²⁴, a non-finite value, an empty or infinite range.
pub fn histogram(x: &[f64], bins: usize, range: Option<(f64, f64)>) -> Result<Histogram, String> {
    if x.is_empty() {
        return Err("histogram of an empty sample".into());
    }
    if bins == 0 || bins > MAX_BINS {
        return Err(format!(
            "a histogram needs between 1 and {MAX_BINS} bins, not {bins}"
        ));
    }
    if let Some(v) = x.iter().find(|v| !v.is_finite()) {
        return Err(format!("histogram of a sample containing {v}"));
    }
    let (lo, hi) = range.unwrap_or_else(|| {
        x.iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            })
    });
    if !(lo.is_finite() && hi.is_finite()) {
        return Err(format!("the histogram range [{lo}, {hi}] must be finite"));
    }
    if hi <= lo {
        return Err(format!("the histogram range [{lo}, {hi}] is empty"));
    }
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0u64; bins];
    for &v in x {
        if v < lo || v > hi {
            continue;
        }
        let k = (((v - lo) / width) as usize).min(bins - 1);
        counts[k] += 1;
    }
    let edges: Vec<f64> = (0..=bins).map(|k| lo + k as f64 * width).collect();
    let total = x.len() as f64;
    let density = counts.iter().map(|&c| c as f64 / (total * width)).collect();
    Ok(Histogram {
        edges,
        counts,
        density,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_density() {
        let h = histogram(&[0.0, 0.1, 0.6, 1.0], 2, None).unwrap();
        assert_eq!(h.counts, vec![2, 2]);
        assert_eq!(h.edges, vec![0.0, 0.5, 1.0]);
        let mass: f64 = h.density.iter().map(|d| d * 0.5).sum();
        assert!((mass - 1.0).abs() < 1e-12);
        assert_eq!(h.centres(), vec![0.25, 0.75]);
        // Half the sample outside the range: the density integrates to ½.
        let h = histogram(&[0.2, 0.7, 5.0, -3.0], 2, Some((0.0, 1.0))).unwrap();
        assert_eq!(h.counts, vec![1, 1]);
        let mass: f64 = h.density.iter().map(|d| d * 0.5).sum();
        assert!((mass - 0.5).abs() < 1e-12);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(histogram(&[], 3, None).is_err());
        assert!(histogram(&[1.0, 1.0], 3, None).is_err());
        assert!(histogram(&[1.0, f64::NAN], 3, None).is_err());
        assert!(histogram(&[1.0, 2.0], 0, None).is_err());
        assert!(histogram(&[1.0, 2.0], usize::MAX, None).is_err());
        assert!(histogram(&[1.0], 3, Some((f64::NEG_INFINITY, 0.0))).is_err());
        assert!(histogram(&[1.0], 3, Some((2.0, 1.0))).is_err());
    }
}
