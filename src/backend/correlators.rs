//! Correlators of samples over draws (document 003): the two-point function, the connected
//! four-point function of eq. 25 and the fourth-moment ratio E\[z⁴\]/E\[z²\]², each with its
//! statistical error over the draws.
//!
//! A sample is a K × m matrix `z`, one draw (an independent initialisation) per row. Errors
//! are delete-one jackknife errors over the draws: for a statistic f of means ȳ of per-draw
//! values y_d, f_(d) = f(ȳ_(−d)) with ȳ_(−d) = (K ȳ − y_d)/(K − 1) and
//! σ_f² = ((K − 1)/K) Σ_d (f_(d) − f̄)². For a plain mean this is the standard error s/√K.

use super::BackendError;
use faer::{Mat, MatRef};

/// An estimate and its jackknife error.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// f(ȳ), the statistic of the means over all draws.
    pub value: f64,
    /// The delete-one jackknife standard error of `value`.
    pub error: f64,
}

fn enough_draws(z: MatRef<f64>) -> Result<usize, BackendError> {
    if z.nrows() < 2 {
        return Err(BackendError::Shape(format!(
            "correlators need at least 2 draws (rows) to estimate an error, but the sample has {}",
            z.nrows()
        )));
    }
    Ok(z.nrows())
}

/// The delete-one jackknife of f over per-draw values `y` (K rows of q numbers).
pub fn jackknife(y: &[Vec<f64>], f: impl Fn(&[f64]) -> f64) -> Estimate {
    let k = y.len() as f64;
    let q = y.first().map_or(0, Vec::len);
    let mut total = vec![0.0; q];
    for row in y {
        total.iter_mut().zip(row).for_each(|(t, v)| *t += v);
    }
    let mean: Vec<f64> = total.iter().map(|t| t / k).collect();
    let mut left_out = vec![0.0; q];
    let parts: Vec<f64> = (y.iter())
        .map(|row| {
            for ((l, t), v) in left_out.iter_mut().zip(&total).zip(row) {
                *l = (t - v) / (k - 1.0);
            }
            f(&left_out)
        })
        .collect();
    let centre = parts.iter().sum::<f64>() / k;
    let spread: f64 = parts.iter().map(|p| (p - centre).powi(2)).sum();
    Estimate {
        value: f(&mean),
        error: ((k - 1.0) / k * spread).sqrt(),
    }
}

/// The two-point function G_ab = E[z_a z_b] (m × m) and its standard errors s_ab/√K, from the
/// per-draw products: E[(z_a z_b)²] = ((z∘z)ᵀ(z∘z))_ab / K.
pub fn two_point(z: MatRef<f64>) -> Result<(Mat<f64>, Mat<f64>), BackendError> {
    let k = enough_draws(z)? as f64;
    let mean = (z.transpose() * z) * faer::Scale(1.0 / k);
    let squares = Mat::from_fn(z.nrows(), z.ncols(), |d, a| z[(d, a)] * z[(d, a)]);
    let second = (squares.transpose() * &squares) * faer::Scale(1.0 / k);
    let error = Mat::from_fn(z.ncols(), z.ncols(), |a, b| {
        let variance = (second[(a, b)] - mean[(a, b)].powi(2)).max(0.0) * k / (k - 1.0);
        (variance / k).sqrt()
    });
    Ok((mean, error))
}

/// The neuron-averaged two-point function K_αβ = (1/n) Σ_i E[z_{i;α} z_{i;β}] (P × P) of a
/// sample whose columns are (input α, neuron i) with the neuron fastest (column α n + i), and
/// its standard errors over the draws.
pub fn two_point_averaged(
    z: MatRef<f64>,
    width: usize,
) -> Result<(Mat<f64>, Mat<f64>), BackendError> {
    let k = enough_draws(z)? as f64;
    if width == 0 || z.ncols() % width != 0 {
        return Err(BackendError::Shape(format!(
            "a sample of {} columns is not inputs × neurons with {width} neurons per input",
            z.ncols()
        )));
    }
    let inputs = z.ncols() / width;
    let mut sum = Mat::<f64>::zeros(inputs, inputs);
    let mut sum_sq = Mat::<f64>::zeros(inputs, inputs);
    for d in 0..z.nrows() {
        let per_input = Mat::from_fn(inputs, width, |a, i| z[(d, a * width + i)]);
        let gram = (&per_input * per_input.transpose()) * faer::Scale(1.0 / width as f64);
        sum += &gram;
        sum_sq += Mat::from_fn(inputs, inputs, |a, b| gram[(a, b)].powi(2));
    }
    let mean = sum * faer::Scale(1.0 / k);
    let error = Mat::from_fn(inputs, inputs, |a, b| {
        let variance = (sum_sq[(a, b)] / k - mean[(a, b)].powi(2)).max(0.0) * k / (k - 1.0);
        (variance / k).sqrt()
    });
    Ok((mean, error))
}

fn column(z: MatRef<f64>, at: usize) -> Result<usize, BackendError> {
    if at >= z.ncols() {
        return Err(BackendError::Shape(format!(
            "column {at} is outside the sample's {} columns",
            z.ncols()
        )));
    }
    Ok(at)
}

/// The connected four-point function of eq. 25 for columns (a, b, c, d) of a mean-zero sample:
/// E[z_a z_b z_c z_d] − E[z_a z_b]E[z_c z_d] − E[z_a z_d]E[z_b z_c] − E[z_b z_d]E[z_a z_c].
/// It vanishes for a Gaussian (Wick); the estimate is biased by O(1/K), below its error.
pub fn four_point_connected(
    z: MatRef<f64>,
    [a, b, c, d]: [usize; 4],
) -> Result<Estimate, BackendError> {
    enough_draws(z)?;
    for i in [a, b, c, d] {
        column(z, i)?;
    }
    let products: Vec<Vec<f64>> = (0..z.nrows())
        .map(|r| {
            let [za, zb, zc, zd] = [a, b, c, d].map(|i| z[(r, i)]);
            vec![
                za * zb * zc * zd,
                za * zb,
                zc * zd,
                za * zd,
                zb * zc,
                zb * zd,
                za * zc,
            ]
        })
        .collect();
    Ok(jackknife(&products, |m| {
        m[0] - m[1] * m[2] - m[3] * m[4] - m[5] * m[6]
    }))
}

/// R = E\[z⁴\]/E\[z²\]² pooled over every entry of the sample (columns identically distributed,
/// e.g. the neurons of one layer at one input), with its jackknife error over the draws: 3 for
/// a Gaussian, 3 Π_{l=1}^{ℓ−1}(1 + 2/n_l) for a deep linear network's z^(ℓ) (003).
pub fn fourth_moment_ratio(z: MatRef<f64>) -> Result<Estimate, BackendError> {
    enough_draws(z)?;
    let per_draw: Vec<Vec<f64>> = (0..z.nrows())
        .map(|r| {
            let (mut second, mut fourth) = (0.0, 0.0);
            for c in 0..z.ncols() {
                let v = z[(r, c)] * z[(r, c)];
                second += v;
                fourth += v * v;
            }
            vec![second, fourth]
        })
        .collect();
    let m = z.ncols() as f64;
    Ok(jackknife(&per_draw, |s| (s[1] / m) / (s[0] / m).powi(2)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_jackknife_of_a_mean_is_its_standard_error() {
        let y: Vec<Vec<f64>> = [1.0, 2.0, 4.0, 7.0].iter().map(|v| vec![*v]).collect();
        let e = jackknife(&y, |m| m[0]);
        let mean = 3.5;
        let s2 = [1.0, 2.0, 4.0, 7.0f64]
            .iter()
            .map(|v| (v - mean).powi(2))
            .sum::<f64>()
            / 3.0;
        assert!((e.value - mean).abs() < 1e-15);
        assert!((e.error - (s2 / 4.0).sqrt()).abs() < 1e-14, "{e:?}");
    }

    #[test]
    fn two_point_and_its_average_agree_on_one_neuron() {
        let z = Mat::from_fn(5, 3, |d, a| ((d * 3 + a) as f64).sin());
        let (full, full_err) = two_point(z.as_ref()).unwrap();
        let (avg, avg_err) = two_point_averaged(z.as_ref(), 1).unwrap();
        for a in 0..3 {
            for b in 0..3 {
                assert!((full[(a, b)] - avg[(a, b)]).abs() < 1e-14);
                assert!((full_err[(a, b)] - avg_err[(a, b)]).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn a_constant_sample_has_ratio_one_and_no_error() {
        let z = Mat::from_fn(6, 4, |_, _| 2.0);
        let r = fourth_moment_ratio(z.as_ref()).unwrap();
        assert!((r.value - 1.0).abs() < 1e-15 && r.error < 1e-14, "{r:?}");
        // E[z⁴] − 3E[z²]² = 16 − 3·16 for z ≡ 2.
        let c = four_point_connected(z.as_ref(), [0, 1, 2, 3]).unwrap();
        assert!((c.value + 32.0).abs() < 1e-12, "{c:?}");
    }

    #[test]
    fn bad_shapes_are_refused() {
        let one = Mat::from_fn(1, 2, |_, _| 1.0);
        assert!(two_point(one.as_ref()).is_err());
        let z = Mat::from_fn(4, 6, |d, a| (d + a) as f64);
        assert!(two_point_averaged(z.as_ref(), 4).is_err());
        assert!(four_point_connected(z.as_ref(), [0, 1, 2, 6]).is_err());
    }
}
