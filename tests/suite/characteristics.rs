//! The `characteristics` kind against exact solutions of 000's Callan–Symanzik form.
//! Linear flow G = −Hw (H = [[2, 1], [1, 2]]): w(s) = ½(e^{−s} + e^{−3s}, e^{−3s} − e^{−s})
//! from (1, 0) and P = e^{4s} (∇·G = −tr H). Fourth-order Runge–Kutta: halving the step
//! divides the error of w by 16.

use super::support::run_script;
use wmd::ir::value::Value;

fn num(v: &Value, field: &str) -> f64 {
    match v.field(field) {
        Some(Value::Num(x)) => *x,
        other => panic!("{field} is {other:?}"),
    }
}

/// (|x(1) − exact|, |P(1) − e⁴|/e⁴) with `steps` Runge–Kutta steps.
fn linear_flow_errors(steps: usize) -> (f64, f64) {
    let text = format!(
        "characteristics c {{
            beta(x, y) = [-(2 * x + y), -(x + 2 * y)]
            start = [1, 0]
            length = 1
            steps = {steps}
        }}
        report r {{ x = c.curve_x[0, end]\n p = c.p[0, end] }}"
    );
    let out = run_script("c.wmd", &text, &[], None).unwrap_or_else(|e| panic!("{e}"));
    let r = &out.reports[0].1;
    let exact_x = ((-1f64).exp() + (-3f64).exp()) / 2.0;
    let e4 = 4f64.exp();
    ((num(r, "x") - exact_x).abs(), (num(r, "p") - e4).abs() / e4)
}

#[test]
fn flow_lines_follow_the_exact_solution_at_fourth_order() {
    let (coarse, p_coarse) = linear_flow_errors(10);
    let (fine, p_fine) = linear_flow_errors(20);
    let order = (coarse / fine).log2();
    assert!(
        (order - 4.0).abs() < 0.3,
        "order {order} ({coarse}, {fine})"
    );
    assert!(fine < 1e-5, "{fine}");
    // ∇·G is constant here, so log P is integrated exactly up to the central difference.
    assert!(p_coarse < 1e-8 && p_fine < 1e-8, "{p_coarse}, {p_fine}");
}

#[test]
fn inverse_g_density_is_exactly_normalised_on_a_ring() {
    let text = "characteristics c {
            domain w in (0, 2 * pi) cells 64
            beta(w) = 1 + 0.5 * sin(w)
        }
        report r { d = c.density vs sqrt(0.75) / (2 * pi * (1 + 0.5 * sin(c.x))) }";
    let out = run_script("c.wmd", text, &[], None).unwrap();
    let d = out.reports[0].1.field("d").unwrap();
    // The midpoint rule is spectrally accurate for a smooth periodic 1/G: 64 cells suffice.
    assert!(num(d, "max_abs_error") < 1e-13);
}

#[test]
fn eq_26_is_refused_in_two_dimensions() {
    let text = "characteristics c {
            domain (x, y) in box(-1, 1, -1, 1) cells 10 x 10
            beta(x, y) = [-x, -y]
        }
        report r { d = c.density }";
    let err = run_script("c.wmd", text, &[], None).unwrap_err();
    assert!(err.contains("1D solution"), "{err}");
}
