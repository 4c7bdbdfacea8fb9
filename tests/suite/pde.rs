//! The `pde` kind against exact solutions. The potential form of 000 (eq. 14) for an
//! Ornstein–Uhlenbeck density, ∂ₜV = (s/2)V″ − (s/2)(V′)² + θwV′ − θ, has the exact quadratic
//! V = (w − m)²/(2v) + ½log(2πv), which centred stencils with extrapolated ghosts reproduce
//! exactly in space, so the error is the time integrator's: order 4 for rk4, 1 for
//! backward Euler (measured by halving the step).

use super::support::run_script;
use wmd::ir::value::Value;

fn kpz_error(scheme: &str, step: f64) -> f64 {
    let text = format!(
        "let theta = 1
        let s = 0.5
        fn m(t) = exp(-theta * t)
        fn v(t) = s / (2 * theta) + (0.05 - s / (2 * theta)) * exp(-2 * theta * t)
        fn exact(w, t) = (w - m(t))^2 / (2 * v(t)) + log(2 * pi * v(t)) / 2
        pde p {{
            domain w in (-3, 3) cells 60
            dt(V, w) = s / 2 * dxx(V) - s / 2 * dx(V)^2 + theta * w * dx(V) - theta
            init(w) = exact(w, 0)
            until = 1
            step = {step}
            boundary = \"extrapolate\"
            scheme = \"{scheme}\"
        }}
        report r {{ e = max(abs(p.final - exact(p.x, 1))) }}"
    );
    let out = run_script("p.wmd", &text, &[], None).unwrap_or_else(|e| panic!("{e}"));
    match out.reports[0].1.field("e") {
        Some(Value::Num(e)) => *e,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_potential_form_converges_at_the_integrators_order() {
    let (a, b) = (kpz_error("rk4", 0.01), kpz_error("rk4", 0.005));
    let order = (a / b).log2();
    assert!((order - 4.0).abs() < 0.4, "rk4: order {order} ({a}, {b})");
    assert!(b < 1e-6, "{b}");
    let (a, b) = (
        kpz_error("backward_euler", 0.02),
        kpz_error("backward_euler", 0.01),
    );
    let order = (a / b).log2();
    assert!(
        (order - 1.0).abs() < 0.15,
        "backward Euler: order {order} ({a}, {b})"
    );
    let (a, b) = (kpz_error("tr_bdf2", 0.02), kpz_error("tr_bdf2", 0.01));
    let order = (a / b).log2();
    eprintln!("TR-BDF2 on the KPZ potential: {a:.3e}, {b:.3e}, order {order:.3}");
    assert!(
        (order - 2.0).abs() < 0.2,
        "TR-BDF2: order {order} ({a}, {b})"
    );
}

#[test]
fn a_right_hand_side_of_the_wrong_length_is_an_error_at_the_field() {
    let text = "pde p {
            domain x in (0, 1) cells 10
            dt(u) = [1, 2]
            init = 0
            until = 1
        }
        report r { f = p.final }";
    let err = run_script("p.wmd", text, &[], None).unwrap_err();
    assert!(
        err.contains("10 cell values") && err.contains("dt(u) = [1, 2]"),
        "{err}"
    );
}

#[test]
fn the_heat_equation_on_a_ring_decays_at_the_discrete_rate() {
    // u = sin x decays as e^{−λt} with λ = (2 − 2cos h)/h² for the 3-point stencil.
    let text = "let n = 40
        let h = 2 * pi / n
        pde heat {
            domain x in (0, 2 * pi) cells n
            dt(u) = dxx(u)
            init(x) = sin(x)
            until = 1
            step = 0.002
            boundary = \"periodic\"
        }
        report r { e = max(abs(heat.final - exp(-(2 - 2 * cos(h)) / h^2) * sin(heat.x))) }";
    let out = run_script("h.wmd", text, &[], None).unwrap();
    let Some(Value::Num(e)) = out.reports[0].1.field("e") else {
        panic!()
    };
    assert!(*e < 1e-10, "{e}");
}

#[test]
fn the_2d_heat_equation_on_a_torus_decays_at_the_discrete_rate() {
    // u = sin x sin y with 5-point stencils decays as e^{−(λx + λy)t}, λ = (2 − 2cos h)/h².
    let text = "let n = 24
        let m = 16
        let hx = 2 * pi / n
        let hy = 2 * pi / m
        let rate = (2 - 2 * cos(hx)) / hx^2 + (2 - 2 * cos(hy)) / hy^2
        pde heat {
            domain (x, y) in box(0, 2 * pi, 0, 2 * pi) cells n x m
            dt(u, x, y) = laplace(u) + 0 * dx(u) * dy(u)
            init(x, y) = sin(x) * sin(y)
            until = 0.5
            step = 0.002
            boundary = \"periodic\"
        }
        let exact = [exp(-rate * 0.5) * sin(heat.x[floor(k / m)]) * sin(heat.y[k - m * floor(k / m)]) for k in 0..n * m]
        report r { e = max(abs(flatten(heat.final) - exact)) }";
    let out = run_script("h2.wmd", text, &[], None).unwrap_or_else(|e| panic!("{e}"));
    let Some(Value::Num(e)) = out.reports[0].1.field("e") else {
        panic!()
    };
    assert!(*e < 1e-9, "{e}");
}

#[test]
fn a_2d_pde_refuses_a_vector_field_as_its_rate() {
    let text = "pde p {
            domain (x, y) in box(0, 1, 0, 1) cells 4 x 4
            init = 0
            until = 0.1
            dt(u) = grad(u)
        }
        report r { f = p.final }";
    let err = run_script("p.wmd", text, &[], None).unwrap_err();
    assert!(err.contains("cell values"), "{err}");
}

#[test]
fn div_of_grad_is_exact_on_a_quadratic_and_div_conserves_mass_on_a_torus() {
    // u = x² + 3y²: centred grad is exact (2x, 6y) and so is its divergence, 8, so one RK4 step
    // of length h adds exactly 8h. A divergence on a torus telescopes: Σp is conserved.
    let text = "pde p {
            domain (x, y) in box(-1, 1, -1, 1) cells 8 x 6
            dt(u) = div(grad(u))
            init(x, y) = x^2 + 3 * y^2
            until = 0.001
            step = 0.001
            boundary = \"extrapolate\"
        }
        pde flow {
            domain (x, y) in box(0, 2 * pi, 0, 2 * pi) cells 16 x 12
            dt(q, x, y) = -div([sin(y) * q, cos(x) * q]) + 0.1 * laplace(q)
            init(x, y) = 1 + 0.5 * sin(x) * cos(2 * y)
            until = 1
            step = 0.01
            boundary = \"periodic\"
        }
        report r {
            step_error = max(abs(flatten(p.final) - p.field[0, :] - 8 * 0.001))
            drift = abs(sum(flatten(flow.final)) - sum(flow.field[0, :]))
        }";
    let out = run_script("g.wmd", text, &[], None).unwrap_or_else(|e| panic!("{e}"));
    let r = &out.reports[0].1;
    for (k, tol) in [("step_error", 1e-12), ("drift", 1e-10)] {
        let Some(Value::Num(v)) = r.field(k) else {
            panic!("{k}")
        };
        assert!(*v < tol, "{k} = {v}");
    }
}

/// The numbers a script's first report holds, by name.
fn report(name: &str, text: &str, keys: &[&str]) -> Vec<f64> {
    let out = run_script(name, text, &[], None).unwrap_or_else(|e| panic!("{e}"));
    let r = &out.reports[0].1;
    keys.iter()
        .map(|k| match r.field(k) {
            Some(Value::Num(v)) => *v,
            other => panic!("{k}: {other:?}"),
        })
        .collect()
}

/// The heat equation on the torus (0, 2π)² of n × n cells from u = cos x cos y, by backward
/// Euler: the error against the discrete solution (1 + step·λ)⁻ᵏ cos x cos y, λ the 5-point
/// eigenvalue, and against the continuum e^{−2t} cos x cos y.
fn torus_heat(n: usize, step: f64, until: f64) -> (f64, f64) {
    let e = torus_heat_with("backward_euler", "(1 + step * lambda)^(-1)", n, step, until);
    (e[0], e[1])
}

/// As [`torus_heat`] for any implicit scheme whose one-step factor on the mode is `factor`
/// (in terms of `step` and `lambda`); also the error against the time-exact semi-discrete
/// solution e^{−λt} cos x cos y (the time integrator's error alone).
fn torus_heat_with(scheme: &str, factor: &str, n: usize, step: f64, until: f64) -> Vec<f64> {
    let text = format!(
        "let n = {n}
        let h = 2 * pi / n
        let step = {step}
        let lambda = 2 * (2 - 2 * cos(h)) / h^2
        pde heat {{
            domain (x, y) in box(0, 2 * pi, 0, 2 * pi) cells n x n
            dt(u) = laplace(u)
            init(x, y) = cos(x) * cos(y)
            until = {until}
            step = {step}
            boundary = \"periodic\"
            scheme = \"{scheme}\"
        }}
        let mode = flatten(cos(heat.x) * cos(heat.y)')
        let u = flatten(heat.final)
        report r {{
            discrete = max(abs(u - ({factor})^round({until} / step) * mode))
            continuum = max(abs(u - exp(-2 * {until}) * mode))
            semidiscrete = max(abs(u - exp(-lambda * {until}) * mode))
        }}"
    );
    report(
        "torus.wmd",
        &text,
        &["discrete", "continuum", "semidiscrete"],
    )
}

/// TR-BDF2's factor on u′ = −λu for one step: (1 + 2ωz/(1 − dz))/(1 − dz), z = −step·λ.
const TR_BDF2_FACTOR: &str = "(1 + 2 * sqrt(2) / 4 * (-step * lambda) / (1 - (1 - sqrt(2) / 2) * (-step * lambda))) / (1 - (1 - sqrt(2) / 2) * (-step * lambda))";

#[test]
fn tr_bdf2_in_2d_decays_the_discrete_heat_mode_exactly_and_is_second_order() {
    // The one-step factor reproduced to 1e-9 (10 steps of 0.05 on 16 × 16); against the
    // semi-discrete e^{−λt} (the time error alone) the order is 2 (measured ~2.0).
    let e = torus_heat_with("tr_bdf2", TR_BDF2_FACTOR, 16, 0.05, 0.5);
    assert!(e[0] < 1e-9, "{e:?}");
    let a = torus_heat_with("tr_bdf2", TR_BDF2_FACTOR, 32, 0.1, 1.0)[2];
    let b = torus_heat_with("tr_bdf2", TR_BDF2_FACTOR, 32, 0.05, 1.0)[2];
    let order = (a / b).log2();
    eprintln!("TR-BDF2 torus: time errors {a:.3e}, {b:.3e}, order {order:.3}");
    assert!((1.85..2.15).contains(&order), "order {order} ({a}, {b})");
}

#[test]
fn backward_euler_in_2d_decays_the_discrete_heat_mode_exactly() {
    // 10 steps of 0.05 on 16 × 16 cells: the amplitude is (1 + 0.05λ)^−10 ≈ 0.37 (measured
    // error 1e-16, well within the 1e-9 asserted).
    let (discrete, _) = torus_heat(16, 0.05, 0.5);
    assert!(discrete < 1e-9, "{discrete}");
}

#[test]
fn backward_euler_in_2d_is_first_order_against_the_continuum() {
    // 48 × 48 cells keep the 5-point error (≈ 1.4e-3 here) small beside the time error:
    // measured 2.64e-2 at step 0.1 and 1.36e-2 at 0.05, order 0.955 (the stencil's error
    // and backward Euler's own O(h²) term both pull it a little below 1).
    let (_, a) = torus_heat(48, 0.1, 1.0);
    let (_, b) = torus_heat(48, 0.05, 1.0);
    let order = (a / b).log2();
    assert!((0.9..1.1).contains(&order), "order {order} ({a}, {b})");
}

#[test]
fn stiff_diffusion_defeats_rk4_but_not_backward_euler() {
    // u_t = ν Δu + 2ν cos x cos y, ν = 100, on 16 × 16 cells with step 0.05: ν·step·λ_max ≈ 260,
    // far beyond RK4's stability (≈ 2.8), so a checkerboard seed grows ~10⁸ per step. Backward
    // Euler settles on the steady state cos x cos y (e^{−2νt} is gone by t = 2.5) up to the
    // 5-point error of the forcing, 2/λ − 1 ≈ h²/12 ≈ 1.3e-2, and exactly on the discrete one.
    let text = "let n = 16
        let h = 2 * pi / n
        let nu = 100
        let lambda = 2 * (2 - 2 * cos(h)) / h^2
        pde stiff {
            domain (x, y) in box(0, 2 * pi, 0, 2 * pi) cells n x n
            dt(u, x, y) = nu * laplace(u) + 2 * nu * cos(x) * cos(y)
            init = [0.1 * (-1)^(floor(k / n) + k) for k in 0..n * n]
            until = 2.5
            step = 0.05
            boundary = \"periodic\"
            scheme = SCHEME
        }
        let mode = [cos(stiff.x[floor(k / n)]) * cos(stiff.y[k - n * floor(k / n)]) for k in 0..n * n]
        report r {
            continuum = max(abs(flatten(stiff.final) - mode))
            discrete = max(abs(flatten(stiff.final) - 2 / lambda * mode))
        }";
    let rk4 = run_script("s.wmd", &text.replace("SCHEME", "\"rk4\""), &[], None).unwrap_err();
    assert!(
        rk4.contains("reduce `step`") && rk4.contains("backward_euler"),
        "{rk4}"
    );
    let e = report(
        "s.wmd",
        &text.replace("SCHEME", "\"backward_euler\""),
        &["continuum", "discrete"],
    );
    // Measured: 1.25e-2 from cos x cos y, 3.9e-12 from the discrete steady state.
    assert!(e[0] < 1.5e-2 && e[1] < 1e-9, "{e:?}");
}

#[test]
fn dx_of_dx_runs_implicitly_at_steps_the_tridiagonal_jacobian_could_not() {
    // dx(dx(u)) couples cells two apart (the wide stencil (uᵢ₊₂ − 2uᵢ + uᵢ₋₂)/(4h²)), on
    // which the old tridiagonal Jacobian's Newton failed from step 0.05 up. sin x is its exact
    // mode with rate λ = sin²h/h²; 10 steps of 0.1 give (1 + 0.1λ)^−10 sin x.
    let text = "let n = 40
        let h = 2 * pi / n
        let lambda = sin(h)^2 / h^2
        pde heat {
            domain x in (0, 2 * pi) cells n
            dt(u) = dx(dx(u))
            init(x) = sin(x)
            until = 1
            step = 0.1
            boundary = \"periodic\"
            scheme = \"backward_euler\"
        }
        report r {
            discrete = max(abs(heat.final - (1 + 0.1 * lambda)^(-10) * sin(heat.x)))
            continuum = max(abs(heat.final - exp(-1) * sin(heat.x)))
        }";
    let e = report("dxdx.wmd", text, &["discrete", "continuum"]);
    // Measured: 5e-16 from the discrete solution, 2.05e-2 from e^{−t} sin x (first order in
    // time at step 0.1, plus the wide stencil's O(h²)).
    assert!(e[0] < 1e-9 && e[1] < 3e-2, "{e:?}");
}

/// Porous-medium flow u_t = div(u grad u) + 0.1 Δu on a 12 × 12 torus.
fn porous(scheme: &str, step: f64) -> String {
    format!(
        "pde p {{
            domain (x, y) in box(0, 2 * pi, 0, 2 * pi) cells 12 x 12
            dt(u) = div([u * dx(u), u * dy(u)]) + 0.1 * laplace(u)
            init(x, y) = 1 + 0.5 * sin(x) * cos(y)
            until = 0.5
            step = {step}
            boundary = \"periodic\"
            scheme = \"{scheme}\"
        }}"
    )
}

#[test]
fn a_nonlinear_2d_flow_by_backward_euler_agrees_with_rk4() {
    // RK4 at step 0.005 (fourth order: its own error is negligible here) is the reference;
    // backward Euler's distance to it halves with the step, and the flux divergence keeps Σu
    // on the torus.
    let text = format!(
        "{}\n{}\n{}\n report r {{
            a = max(abs(flatten(be1.final) - flatten(ref.final)))
            b = max(abs(flatten(be2.final) - flatten(ref.final)))
            drift = abs(sum(flatten(be2.final)) - sum(flatten(be2.field[0, :])))
        }}",
        porous("rk4", 0.005).replace("pde p", "pde ref"),
        porous("backward_euler", 0.02).replace("pde p", "pde be1"),
        porous("backward_euler", 0.01).replace("pde p", "pde be2"),
    );
    let e = report("porous.wmd", &text, &["a", "b", "drift"]);
    // Measured: 3.65e-3 at step 0.02, 1.84e-3 at 0.01 (first order: the ratio is 1.99) and a
    // mass drift of 9e-14 on a mass of 144.
    let ratio = e[0] / e[1];
    assert!(e[1] < 2.5e-3 && (1.8..2.2).contains(&ratio), "{e:?}");
    assert!(e[2] < 1e-11, "{e:?}");
}

#[test]
fn backward_euler_conserves_mass_with_neumann_edges_in_2d() {
    // 20 steps of 0.01 from a Gaussian bump on 10 × 14 cells.
    let text = "pde p {
            domain (x, y) in box(0, 1, 0, 2) cells 10 x 14
            dt(u) = laplace(u)
            init(x, y) = exp(-20 * ((x - 0.3)^2 + (y - 1.2)^2))
            until = 0.2
            step = 0.01
            scheme = \"backward_euler\"
        }
        report r {
            mass = sum(p.field[0, :])
            drift = abs(sum(flatten(p.final)) - sum(p.field[0, :]))
        }";
    let e = report("mass.wmd", text, &["mass", "drift"]);
    // Neumann ghosts make Σ laplace(u) telescope to 0: measured drift 1.8e-15 on a mass of 10.7.
    assert!(e[1] < 1e-12 * e[0], "{e:?}");
}

#[test]
fn a_nonlinear_2d_flow_by_tr_bdf2_is_second_order() {
    // The same porous-medium flow as above, against RK4 at step 0.005: TR-BDF2's distance
    // to it falls by ≈ 4 when the step halves (measured 1.19e-4 → 2.95e-5, order 2.01) and
    // the mass stays put (drift 6e-14 on 144).
    let text = format!(
        "{}\n{}\n{}\n report r {{
            a = max(abs(flatten(tr1.final) - flatten(ref.final)))
            b = max(abs(flatten(tr2.final) - flatten(ref.final)))
            drift = abs(sum(flatten(tr2.final)) - sum(flatten(tr2.field[0, :])))
        }}",
        porous("rk4", 0.005).replace("pde p", "pde ref"),
        porous("tr_bdf2", 0.05).replace("pde p", "pde tr1"),
        porous("tr_bdf2", 0.025).replace("pde p", "pde tr2"),
    );
    let e = report("porous.wmd", &text, &["a", "b", "drift"]);
    let order = (e[0] / e[1]).log2();
    eprintln!(
        "porous TR-BDF2: {:.3e}, {:.3e}, order {order:.3}, drift {:.1e}",
        e[0], e[1], e[2]
    );
    assert!((1.8..2.2).contains(&order), "{e:?}");
    assert!(e[2] < 1e-11, "{e:?}");
}
