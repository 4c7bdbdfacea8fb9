//! Run-time values (the types are in [`super::code`], beside the code they hold). Arithmetic is vectorised: a function written for a number also runs on a
//! whole vector at once, which is how densities are evaluated on quadrature grids.

use crate::builtins::Builtin;
pub use crate::ir::code::{Dist, Func, NativeFn, Value};
use std::sync::Arc;

impl Dist {
    pub fn pdf(&self, x: f64) -> f64 {
        match self {
            Dist::Tabulated(t) => t.pdf_at(x),
            Dist::Normal { mean, sd } => {
                let z = (x - mean) / sd;
                (-0.5 * z * z).exp() / (sd * (2.0 * std::f64::consts::PI).sqrt())
            }
            Dist::Uniform { low, high } => {
                if x >= *low && x <= *high {
                    1.0 / (high - low)
                } else {
                    0.0
                }
            }
        }
    }

    pub fn cdf(&self, x: f64) -> f64 {
        match self {
            Dist::Tabulated(t) => t.cdf(x),
            Dist::Normal { mean, sd } => {
                0.5 * (1.0
                    + crate::observe::special::erf((x - mean) / (sd * std::f64::consts::SQRT_2)))
            }
            Dist::Uniform { low, high } => ((x - low) / (high - low)).clamp(0.0, 1.0),
        }
    }

    /// Raw moment ⟨x^k⟩.
    pub fn moment(&self, k: u32) -> f64 {
        match self {
            Dist::Tabulated(t) => t.moment(k),
            Dist::Normal { mean, sd } => normal_moment(*mean, *sd, k),
            Dist::Uniform { low, high } => {
                let k1 = k as i32 + 1;
                (high.powi(k1) - low.powi(k1)) / (k1 as f64 * (high - low))
            }
        }
    }

    pub fn support(&self) -> (f64, f64) {
        match self {
            Dist::Tabulated(t) => t.support(),
            Dist::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Dist::Uniform { low, high } => (*low, *high),
        }
    }

    /// One sample: inverse-CDF for tabulated densities.
    pub fn sample(&self, rng: &mut crate::backend::rng::Rng) -> f64 {
        use rand::RngExt;
        use rand_distr::{Distribution, StandardNormal};
        match self {
            Dist::Normal { mean, sd } => {
                let z: f64 = StandardNormal.sample(rng);
                mean + sd * z
            }
            Dist::Uniform { low, high } => low + (high - low) * rng.random::<f64>(),
            Dist::Tabulated(t) => t.quantile(rng.random::<f64>()),
        }
    }
}

/// ⟨x^k⟩ of N(μ, σ²) by the recursion m_k = μ m_{k−1} + (k−1) σ² m_{k−2}.
fn normal_moment(mean: f64, sd: f64, k: u32) -> f64 {
    let (mut a, mut b) = (1.0, mean);
    if k == 0 {
        return 1.0;
    }
    for j in 2..=k {
        let c = mean * b + (j - 1) as f64 * sd * sd * a;
        a = b;
        b = c;
    }
    b
}

impl Value {
    pub fn builtin(b: &'static Builtin) -> Value {
        Value::Func(Arc::new(Func::Builtin(b)))
    }

    pub fn vector(v: Vec<f64>) -> Value {
        Value::Vector(Arc::new(v))
    }

    pub fn record(fields: Vec<(String, Value)>) -> Value {
        Value::Record(Arc::new(fields))
    }

    /// What kind of value this is, for error messages.
    pub fn describe(&self) -> String {
        match self {
            Value::Num(_) => "a number".into(),
            Value::Bool(_) => "a boolean".into(),
            Value::Str(_) => "a string".into(),
            Value::Vector(v) => format!("a vector of {} numbers", v.len()),
            Value::Mask(v) => format!("a vector of {} booleans", v.len()),
            Value::Matrix(m) => format!("a {}×{} matrix", m.nrows(), m.ncols()),
            Value::List(l) => format!("a list of {} values", l.len()),
            Value::Record(_) => "a record".into(),
            Value::Func(_) => "a function".into(),
            Value::Dist(_) => "a distribution".into(),
            Value::Law(_) => "a random-matrix law".into(),
        }
    }

    pub fn field(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Record(fields) => fields.iter().find(|(n, _)| n == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The numbers of a number or vector.
    pub fn as_slice(&self) -> Option<&[f64]> {
        match self {
            Value::Num(x) => Some(std::slice::from_ref(x)),
            Value::Vector(v) => Some(v),
            _ => None,
        }
    }
}
