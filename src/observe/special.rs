//! Special functions the statistics need.

/// erf(x) to ~1e-15 (a series near zero, a continued fraction in the tails).
pub fn erf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x.abs() < 2.5 {
        // Maclaurin series: erf x = 2/√π Σ (−1)^n x^{2n+1} / (n! (2n+1))
        let (mut term, mut sum, x2) = (x, x, x * x);
        for n in 1..200 {
            term *= -x2 / n as f64;
            let add = term / (2 * n + 1) as f64;
            sum += add;
            if add.abs() < 1e-17 * sum.abs() {
                break;
            }
        }
        return sum * 2.0 / std::f64::consts::PI.sqrt();
    }
    x.signum() * (1.0 - erfc_tail(x.abs()))
}

/// erfc(x) for x ≥ 2.5 by Lentz's continued fraction.
fn erfc_tail(x: f64) -> f64 {
    // erfc x = e^{−x²}/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...))))
    let mut f = x;
    let (mut c, mut d) = (x, 0.0);
    for n in 1..300 {
        let a = n as f64 / 2.0;
        d = x + a * d;
        d = if d == 0.0 { 1e-300 } else { 1.0 / d };
        c = x + a / c;
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    (-x * x).exp() / (f * std::f64::consts::PI.sqrt())
}
