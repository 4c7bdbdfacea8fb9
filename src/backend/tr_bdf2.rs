//! TR-BDF2 (Bank et al. 1985, Hosea–Shampine 1996) for u′ = F(u, t), one definition for every
//! implicit stepper of wmd (Fokker–Planck lines, the whole 2D Fokker–Planck operator, the
//! `pde` kind's Newton solves).
//!
//! With γ = 2 − √2, d = γ/2 = 1 − √2/2 and w = √2/4: a trapezoidal stage to tⁿ + γh, then BDF2
//! on (tⁿ, tⁿ + γh, tⁿ⁺¹),
//!   `u* − d·h·F(u*, tⁿ + γh) = uⁿ + d·h·F(uⁿ, tⁿ)`,
//!   `uⁿ⁺¹ − d·h·F(uⁿ⁺¹, tⁿ⁺¹) = uⁿ + (w/d)(u* − uⁿ)`,
//! the second right-hand side being uⁿ + w(z₀ + z₁) with the stage slopes zₖ = h·F written
//! through the first stage's equation, so no second evaluation of F is needed (for a linear
//! F = A(t)u it is `[u* − (1−γ)² uⁿ] / (γ(2−γ))`). Both stages solve with the same I − d·h·J
//! since (1 − γ)/(2 − γ) = γ/2. Second order and L-stable, so it damps the stiff modes of
//! non-smooth initial data that Crank–Nicolson lets ring; positivity is not guaranteed for
//! large h (the trapezoidal right-hand side may go negative). Each stage keeps Σuᵢ when the
//! columns of J sum to zero.

/// γ, the fraction of the step taken by the trapezoidal stage.
pub const GAMMA: f64 = 2.0 - std::f64::consts::SQRT_2;
/// d = γ/2, the implicit weight of both stages.
pub const D: f64 = 1.0 - std::f64::consts::FRAC_1_SQRT_2;
/// w = √2/4.
pub const W: f64 = std::f64::consts::SQRT_2 / 4.0;

/// One step of length h from t, in place of `u`. `f0` is F(uⁿ, tⁿ) (its buffer becomes the
/// stage vector); `stage(b, guess, t, c)` replaces b by the w with w − c·F(w, t) = b, where an
/// iterative solver may start from `guess`.
pub fn step<E>(
    u: &mut [f64],
    t: f64,
    h: f64,
    mut f0: Vec<f64>,
    mut stage: impl FnMut(&mut [f64], &[f64], f64, f64) -> Result<(), E>,
) -> Result<(), E> {
    let star = &mut f0;
    star.iter_mut()
        .zip(u.iter())
        .for_each(|(s, u)| *s = u + D * h * *s);
    stage(star, u, t + GAMMA * h, D * h)?;
    u.iter_mut()
        .zip(star.iter())
        .for_each(|(u, s)| *u += W / D * (s - *u));
    stage(u, star, t + h, D * h)
}
