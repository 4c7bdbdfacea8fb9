//! Moments of a density on a grid and distances between two densities sampled on the same
//! cells: L1 = Σ|p − q| h, MSE = mean (p − q)², and Pearson's correlation
//! r = Σ(p − p̄)(q − q̄) / √(Σ(p − p̄)² Σ(q − q̄)²) (000 eq. 28).

use crate::backend::BackendError;
use crate::observe::stats;

/// Mass Σ pᵢ h, mean and variance of the density p on cell centres x with cell volume h.
pub fn moments(x: &[f64], p: &[f64], h: f64) -> (f64, f64, f64) {
    let mass: f64 = p.iter().sum::<f64>() * h;
    if mass == 0.0 {
        return (0.0, f64::NAN, f64::NAN);
    }
    let mean = x.iter().zip(p).map(|(x, p)| x * p).sum::<f64>() * h / mass;
    let var = x
        .iter()
        .zip(p)
        .map(|(x, p)| (x - mean).powi(2) * p)
        .sum::<f64>()
        * h
        / mass;
    (mass, mean, var)
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distances {
    pub l1: f64,
    pub mse: f64,
    pub pearson: f64,
}

/// Distances between p and q (same cells, cell volume h).
pub fn distances(p: &[f64], q: &[f64], h: f64) -> Result<Distances, BackendError> {
    if p.len() != q.len() || p.is_empty() {
        return Err(BackendError::Shape(format!(
            "densities on {} and {} cells cannot be compared",
            p.len(),
            q.len()
        )));
    }
    if let Some(v) = p.iter().chain(q).find(|v| !v.is_finite()) {
        return Err(BackendError::Numerical(format!("a density value is {v}")));
    }
    let l1 = p.iter().zip(q).map(|(a, b)| (a - b).abs()).sum::<f64>() * h;
    let mse = p.iter().zip(q).map(|(a, b)| (a - b).powi(2)).sum::<f64>() / p.len() as f64;
    let (mp, mq) = (stats::mean(p), stats::mean(q));
    let cov: f64 = p.iter().zip(q).map(|(a, b)| (a - mp) * (b - mq)).sum();
    let sp: f64 = p.iter().map(|a| (a - mp).powi(2)).sum();
    let sq: f64 = q.iter().map(|b| (b - mq).powi(2)).sum();
    let pearson = if sp > 0.0 && sq > 0.0 {
        cov / (sp * sq).sqrt()
    } else {
        f64::NAN
    };
    Ok(Distances { l1, mse, pearson })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_of_a_density_to_itself_and_a_shifted_copy() {
        let p = [0.0, 1.0, 2.0, 1.0];
        let d = distances(&p, &p, 0.5).unwrap();
        assert_eq!((d.l1, d.mse), (0.0, 0.0));
        assert!((d.pearson - 1.0).abs() < 1e-15);
        let q = [1.0, 2.0, 3.0, 2.0];
        let d = distances(&p, &q, 0.5).unwrap();
        assert!((d.l1 - 2.0).abs() < 1e-15 && (d.mse - 1.0).abs() < 1e-15);
        assert!((d.pearson - 1.0).abs() < 1e-15);
        assert!(distances(&p, &q[..3], 0.5).is_err());
    }
}
