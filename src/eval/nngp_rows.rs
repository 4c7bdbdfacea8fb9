//! The infinite-width kernel builtins (`kernel_recursion`, `susceptibilities`,
//! `kernel_fixed_point`, `depth_scale`; the `nngp` kernel itself is a constructor of the
//! `kernel` kind, [`crate::kinds::kernels`]; 003/004 "Random infinite width DNNs", Roberts–Yaida):
//! values in and out, the numerics and their conventions in [`crate::backend::nngp`].

use super::args::{count, num, Args};
use super::error::{Result, RunError};
use super::kernel::{Kernel, Row};
use crate::backend::nn::activation::Activation;
use crate::backend::nngp::{self, FixedPoint, Gauss};
use crate::builtins::{num as default, req, Builtin, Mode, Param, Ret};
use crate::diag::ErrorCode;
use crate::ir::value::Value;
use crate::schema::Choice;
use crate::span::Span;
use crate::types::ParamTy;
use Kernel::Pure;

const ACTIVATION: Param = req("activation", ParamTy::Choice(Activation::NAMES));
const C_W: Param = default("c_w", 1.0);
const C_B: Param = default("c_b", 0.0);
const K0: Param = default("k0", 1.0);
const ORDER: Param = default("order", nngp::DEFAULT_ORDER as f64);

/// The kernel builtins.
pub static ROWS: &[Row] = &[
    Row { sig: Builtin { name: "kernel_recursion", params: &[ACTIVATION, req("k0", ParamTy::Num), req("depth", ParamTy::Num), C_W, C_B, ORDER], ret: Ret::Vector, mode: Mode::Plain, doc: "K⁽¹⁾, …, K⁽ᴸ⁾ (L = depth) of one input with k0 = x·x/n₀: K⁽¹⁾ = c_b + c_w k0, K⁽ℓ⁺¹⁾ = c_b + c_w⟨σ(z)²⟩, z ~ N(0, K⁽ℓ⁾) (the diagonal of nngp; closed forms for relu K/2, erf (2/π) arcsin(2K/(1 + 2K)) and linear K, else Gauss–Hermite of `order` nodes) (e.g. `kernel_recursion(\"tanh\", 1, 10, c_w = 1.5)`)" }, run: Pure(recursion) },
    Row { sig: Builtin { name: "susceptibilities", params: &[ACTIVATION, req("k", ParamTy::Num), C_W, ORDER], ret: Ret::Record, mode: Mode::Plain, doc: "`parallel` χ_∥(K) = c_w ∂⟨σ(z)²⟩/∂K = (c_w/2K²)⟨σ(z)²(z² − K)⟩ and `perpendicular` χ_⊥(K) = c_w⟨σ′(z)²⟩, z ~ N(0, K), at K = k ≥ 0 (Roberts–Yaida: how a perturbation of the diagonal, and of the off-diagonal at equal inputs, grows per layer; K = 0 is the limit K → 0⁺, c_w σ′(0)²). Closed for relu (c_w/2, c_w/2), linear (c_w, c_w) and erf (4c_w/(π(1 + 2K)√(1 + 4K)), 4c_w/(π√(1 + 4K))), else Gauss–Hermite. Criticality is χ_∥ = χ_⊥ = 1: tanh as K → 0 at c_w = 1, relu at c_w = 2 (e.g. `susceptibilities(\"tanh\", 0.5, c_w = 1.2).parallel`)" }, run: Pure(susceptibilities) },
    Row { sig: Builtin { name: "kernel_fixed_point", params: &[ACTIVATION, C_W, C_B, K0, ORDER], ret: Ret::Num, mode: Mode::Plain, doc: "the fixed point K* = c_b + c_w⟨σ(z)²⟩, z ~ N(0, K*), that the single-input recursion from K⁽¹⁾ = c_b + c_w k0 reaches: iterated, then bracketed and bisected to the last bit (so a power-law approach is resolved too: tanh at c_w = 1, c_b = 0 gives 0). Refused when the kernel grows without bound (relu with c_w > 2, or c_w = 2 and c_b > 0; linear with c_w ≥ 1 unless c_w = 1, c_b = 0); at relu c_w = 2, c_b = 0 every K is fixed and K⁽¹⁾ is returned (e.g. `kernel_fixed_point(\"tanh\", c_w = 1.5)`)" }, run: Pure(fixed_point) },
    Row { sig: Builtin { name: "depth_scale", params: &[ACTIVATION, C_W, C_B, K0, ORDER], ret: Ret::Num, mode: Mode::Plain, doc: "ξ = −1/ln χ_∥(K*) at the fixed point K* of kernel_fixed_point: the depth on which the single-input kernel settles, K⁽ℓ⁾ − K* ∝ χ_∥(K*)^ℓ = e^{−ℓ/ξ}. Refused at criticality, χ_∥(K*) = 1 (ξ = ∞: the approach is a power law, as for tanh at c_w = 1, c_b = 0, relu at c_w = 2, c_b = 0, linear at c_w = 1), and where no fixed point is reached (e.g. `depth_scale(\"tanh\", c_w = 1.5)`)" }, run: Pure(depth_scale) },
];

/// The activation named by a string, one of [`Activation::NAMES`].
fn activation(v: &Option<Value>, span: Span) -> Result<Activation> {
    let names = Activation::NAMES.join(", ");
    match v {
        Some(Value::Str(s)) => Activation::parse(s).ok_or_else(|| {
            RunError::new(
                span,
                format!("`activation` must be one of {names}, but is \"{s}\""),
            )
            .code(ErrorCode::RunValue)
        }),
        Some(other) => Err(RunError::new(
            span,
            format!(
                "`activation` must be a string ({names}), but is {}",
                other.describe()
            ),
        )
        .code(ErrorCode::RunType)),
        None => Err(RunError::new(span, "`activation` is missing").code(ErrorCode::RunType)),
    }
}

/// A whole number ≥ 1 (a depth or an order).
fn whole(v: &Option<Value>, name: &str, span: Span) -> Result<usize> {
    let x = num(v, name, span)?;
    count(&Value::Num(x), name, span)
}

/// The expectations of `act` with the number of nodes at `a[order]` (`force`: quadrature even
/// where a closed form is known).
fn expectations(act: Activation, a: &Args, order: usize, force: bool, span: Span) -> Result<Gauss> {
    let n = whole(&a[order], "order", span)?;
    Gauss::new(act, n, force).map_err(RunError::refused(span))
}

/// (c_w, c_b) at a[i], a[i + 1].
fn variances(a: &Args, i: usize, span: Span) -> Result<(f64, f64)> {
    Ok((num(&a[i], "c_w", span)?, num(&a[i + 1], "c_b", span)?))
}

fn recursion(a: &Args, span: Span) -> Result<Value> {
    let g = expectations(activation(&a[0], span)?, a, 5, false, span)?;
    let k0 = num(&a[1], "k0", span)?;
    let depth = whole(&a[2], "depth", span)?;
    let c = variances(a, 3, span)?;
    let ks = nngp::recursion(&g, k0, depth, c).map_err(RunError::refused(span))?;
    Ok(Value::vector(ks))
}

fn susceptibilities(a: &Args, span: Span) -> Result<Value> {
    let g = expectations(activation(&a[0], span)?, a, 3, false, span)?;
    let k = num(&a[1], "k", span)?;
    let c_w = num(&a[2], "c_w", span)?;
    nngp::check_kernel("k", k)
        .and_then(|()| nngp::check_variances(c_w, 0.0))
        .map_err(RunError::refused(span))?;
    let (par, perp) = g.slopes(k);
    Ok(Value::record(vec![
        ("parallel".into(), Value::Num(c_w * par)),
        ("perpendicular".into(), Value::Num(c_w * perp)),
    ]))
}

/// K* of the row's arguments (activation, c_w, c_b, k0, order), with the expectations.
fn reach(a: &Args, span: Span, who: &str) -> Result<(f64, Gauss, f64)> {
    let g = expectations(activation(&a[0], span)?, a, 4, false, span)?;
    let c = variances(a, 1, span)?;
    let k0 = num(&a[3], "k0", span)?;
    match nngp::fixed_point(&g, c, k0).map_err(RunError::refused(span))? {
        FixedPoint::Reached(k) => Ok((k, g, c.0)),
        FixedPoint::Explodes { k } => Err(RunError::new(
            span,
            format!(
                "`{who}`: no fixed point: K⁽ℓ⁺¹⁾ = c_b + c_w⟨σ²⟩ grows without bound from K⁽¹⁾ = {} (past {k:.3e})",
                c.1 + c.0 * k0
            ),
        )
        .code(ErrorCode::RunValue)
        .help("χ_∥ ≥ 1 for every large K: relu needs c_w < 2 (or c_w = 2 with c_b = 0, where every K is fixed), linear c_w < 1 (or c_w = 1 with c_b = 0), gelu c_w < 2; a bounded σ (tanh, erf, sigmoid) always has one")),
    }
}

fn fixed_point(a: &Args, span: Span) -> Result<Value> {
    Ok(Value::Num(reach(a, span, "kernel_fixed_point")?.0))
}

fn depth_scale(a: &Args, span: Span) -> Result<Value> {
    let (k, g, c_w) = reach(a, span, "depth_scale")?;
    let chi = c_w * g.slopes(k).0;
    if chi >= 1.0 {
        return Err(RunError::new(
            span,
            format!("`depth_scale`: critical: χ_∥(K*) = {chi} at K* = {k}, so ξ = −1/ln χ_∥ = ∞: no exponential approach to K* (a power law for tanh; none for relu and linear, whose K⁽ℓ⁾ stays K⁽¹⁾)"),
        )
        .code(ErrorCode::RunValue)
        .help("off criticality the depth scale is finite (e.g. tanh with c_w ≠ 1 at c_b = 0, relu with c_w < 2); `susceptibilities` gives χ_∥ itself"));
    }
    Ok(Value::Num(nngp::depth_scale(chi)))
}
