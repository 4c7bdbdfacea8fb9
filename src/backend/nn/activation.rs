//! The nonlinearities σ of hidden layers, with their derivatives σ′ for backpropagation.

use std::f64::consts::{FRAC_1_SQRT_2, FRAC_2_SQRT_PI};

crate::choices! {
    /// The activation σ applied elementwise to a hidden layer's pre-activations, a = σ(z).
    pub enum Activation {
        /// σ(x) = tanh x.
        Tanh = "tanh",
        /// σ(x) = max(0, x), with σ′(0) = 0.
        Relu = "relu",
        /// σ(x) = erf x = (2/√π) ∫₀ˣ e^{−t²} dt.
        Erf = "erf",
        /// σ(x) = x (a deep linear network).
        Linear = "linear",
        /// σ(x) = 1/(1 + e^{−x}).
        Sigmoid = "sigmoid",
        /// σ(x) = x·Φ(x), Φ(x) = ½(1 + erf(x/√2)) the standard normal distribution function
        /// (the exact GELU, not the tanh approximation).
        Gelu = "gelu",
    }
}

/// 1/√(2π), the peak of the standard normal density.
const INV_SQRT_2PI: f64 = 0.398_942_280_401_432_7;

/// Φ(x) = ½(1 + erf(x/√2)).
fn normal_cdf(x: f64) -> f64 {
    0.5 * (1.0 + libm::erf(x * FRAC_1_SQRT_2))
}

/// The logistic function 1/(1 + e^{−x}), computed without overflow for either sign of x.
fn logistic(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

impl Activation {
    /// σ(x).
    #[inline]
    pub fn apply(self, x: f64) -> f64 {
        match self {
            Activation::Tanh => super::tanh::tanh(x),
            Activation::Relu => x.max(0.0),
            Activation::Erf => libm::erf(x),
            Activation::Linear => x,
            Activation::Sigmoid => logistic(x),
            Activation::Gelu => x * normal_cdf(x),
        }
    }

    /// σ′(x): tanh′ = 1 − tanh², relu′ = 1 for x > 0, else 0 (0 at the kink), erf′ = (2/√π) e^{−x²},
    /// linear′ = 1, sigmoid′ = s(1 − s), gelu′ = Φ(x) + x·e^{−x²/2}/√(2π).
    #[inline]
    pub fn derivative(self, x: f64) -> f64 {
        match self {
            Activation::Tanh => {
                let t = super::tanh::tanh(x);
                1.0 - t * t
            }
            Activation::Relu => {
                if x > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Erf => FRAC_2_SQRT_PI * (-x * x).exp(),
            Activation::Linear => 1.0,
            Activation::Sigmoid => {
                let s = logistic(x);
                s * (1.0 - s)
            }
            Activation::Gelu => normal_cdf(x) + x * INV_SQRT_2PI * (-0.5 * x * x).exp(),
        }
    }

    /// σ′(x) given a = σ(x) as well: tanh′ = 1 − a² and sigmoid′ = a(1 − a) from the value
    /// the forward pass kept (the same numbers as [`Activation::derivative`], without
    /// evaluating σ again); the others from x.
    #[inline]
    pub fn derivative_given(self, x: f64, a: f64) -> f64 {
        match self {
            Activation::Tanh => 1.0 - a * a,
            Activation::Sigmoid => a * (1.0 - a),
            other => other.derivative(x),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Choice;

    /// σ′ against a central difference (σ(x+h) − σ(x−h))/2h, h = 1e-5: the truncation error
    /// h²σ‴/6 ≲ 1e-10 and the rounding error ε/h ≈ 1e-11, so 1e-8 absolute must hold.
    #[test]
    fn derivatives_match_central_differences() {
        let h = 1e-5;
        for &a in Activation::ALL {
            for &x in &[-2.3, -0.7, -0.1, 0.05, 0.4, 1.1, 3.0] {
                let fd = (a.apply(x + h) - a.apply(x - h)) / (2.0 * h);
                let d = a.derivative(x);
                assert!((d - fd).abs() < 1e-8, "{} at {x}: {d} vs {fd}", a.name());
                assert_eq!(a.derivative_given(x, a.apply(x)).to_bits(), d.to_bits());
            }
        }
    }

    /// Known values: gelu(1) = Φ(1) = 0.841344746068543 (to 1e-12), erf(1) = 0.842700792949715,
    /// sigmoid(0) = ½, relu′(0) = 0, and sigmoid stays finite and in [0, 1] at ±800.
    #[test]
    fn known_values() {
        assert!((Activation::Gelu.apply(1.0) - 0.841_344_746_068_543).abs() < 1e-12);
        assert!((Activation::Erf.apply(1.0) - 0.842_700_792_949_715).abs() < 1e-12);
        assert_eq!(Activation::Sigmoid.apply(0.0), 0.5);
        assert_eq!(Activation::Relu.derivative(0.0), 0.0);
        assert_eq!(Activation::Relu.apply(-2.0), 0.0);
        assert_eq!(Activation::Sigmoid.apply(-800.0), 0.0);
        assert_eq!(Activation::Sigmoid.apply(800.0), 1.0);
        assert_eq!(Activation::Sigmoid.derivative(-800.0), 0.0);
        assert_eq!(Activation::default(), Activation::Tanh);
        assert_eq!(Activation::parse("gelu"), Some(Activation::Gelu));
    }
}
