//! Numbers as text, in one place: the summary and the expectations print four significant
//! digits ([`sig4`]), snapshots and tables any count ([`sig`]), and the manifest and messages
//! the exact value ([`exact`]).

/// `x` with `digits` significant digits, trailing zeros dropped (`0.004123`, `1.5e-07`, `2000`);
/// scientific notation outside 10⁻⁴ ≤ |x| < 10⁹.
pub fn sig(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    if x == 0.0 {
        return "0".into();
    }
    let mag = x.abs().log10().floor() as i32;
    if !(-4..9).contains(&mag) {
        let s = format!("{:.*e}", digits.saturating_sub(1), x);
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        return format!("{}e{e}", trim_zeros(m));
    }
    let decimals = (digits as i32 - 1 - mag).max(0) as usize;
    trim_zeros(&format!("{x:.decimals$}"))
}

/// Four significant digits: how the summary and `expect` lines print a number.
pub fn sig4(x: f64) -> String {
    sig(x, 4)
}

/// The exact value, as short as round-trips: an integer without a decimal point (below 10¹⁵),
/// anything else as Rust prints an f64.
pub fn exact(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_digits_and_exact_values() {
        assert_eq!(sig(0.0041234, 4), "0.004123");
        assert_eq!(sig(1.5e-7, 4), "1.5e-7");
        assert_eq!(sig(2000.0, 4), "2000");
        assert_eq!(sig(f64::INFINITY, 4), "inf");
        assert_eq!(exact(3.0), "3");
        assert_eq!(exact(0.1), "0.1");
    }
}
