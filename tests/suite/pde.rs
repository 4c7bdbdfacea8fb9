//! The `pde` kind against exact solutions. The potential form of 000 (eq. 14) for an
//! Ornstein–Uhlenbeck density, ∂ₜV = (s/2)V″ − (s/2)(V′)² + θwV′ − θ, has the exact quadratic
//! V = (w − m)²/(2v) + ½log(2πv), which centred stencils with extrapolated ghosts reproduce
//! exactly in space, so the error is the time integrator's: order 4 for rk4, 1 for
//! backward Euler (measured by halving the step).

use super::support::run_script;
use wmd::eval::Value;

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
