//! Run-time values. Arithmetic is vectorised: a function written for a number also runs on a
//! whole vector at once, which is how densities are evaluated on quadrature grids.

use crate::backend::linalg::MatrixLaw;
use crate::builtins::Builtin;
use crate::lower::Code;
use crate::observe::density::TabulatedDensity;
use faer::Mat;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub enum Value {
    Num(f64),
    Bool(bool),
    Str(Arc<str>),
    Vector(Arc<Vec<f64>>),
    /// A vector of booleans (an elementwise comparison).
    Mask(Arc<Vec<bool>>),
    Matrix(Arc<Mat<f64>>),
    List(Arc<Vec<Value>>),
    /// Named fields in order.
    Record(Arc<Vec<(String, Value)>>),
    Func(Arc<Func>),
    Dist(Arc<Dist>),
    Law(Arc<MatrixLaw>),
}

#[derive(Debug, Clone)]
pub enum Func {
    /// A lambda: its body and the frame it was created in.
    Closure {
        params: usize,
        body: Arc<Code>,
        captured: Vec<Value>,
    },
    /// A global `fn`.
    Global(usize),
    Builtin(&'static Builtin),
    /// A function a backend binds inside its block (e.g. the `pde` kind's `dx`).
    Native(NativeFn),
}

/// A backend-provided function of values: its name (for messages) and its body.
#[derive(Clone)]
pub struct NativeFn {
    pub name: &'static str,
    #[allow(clippy::type_complexity)]
    pub body: Arc<dyn Fn(&[Value]) -> Result<Value, String> + Send + Sync>,
}

impl std::fmt::Debug for NativeFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<native {}>", self.name)
    }
}

/// A probability distribution on the real line.
#[derive(Debug, Clone)]
pub enum Dist {
    Tabulated(TabulatedDensity),
    Normal { mean: f64, sd: f64 },
    Uniform { low: f64, high: f64 },
}

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
                0.5 * (1.0 + libm_erf((x - mean) / (sd * std::f64::consts::SQRT_2)))
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

/// erf(x) to ~1e-15 (a series near zero, a continued fraction in the tails).
pub fn libm_erf(x: f64) -> f64 {
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
