//! Random-network correlators (issue 13, items 1–3): `outputs` of K initialisations, the
//! two-point function, the connected four-point function (003 eq. 25) and the fourth-moment
//! ratio against the exact deep-linear results of 003 §4 (`stdlib/fieldtheory.wmd`), each
//! within 3 of its own jackknife / standard errors; a Gaussian sample's connected four-point
//! function within 3 errors of 0; clear errors on bad layers and shapes.

use super::support::{field, first_report, numbers, run_script};

fn value_and_error(r: &wmd::ir::value::Value, name: &str) -> (f64, f64) {
    let v = field(r, name);
    (numbers(field(v, "value"))[0], numbers(field(v, "error"))[0])
}

fn within_3_errors(what: &str, (measured, error): (f64, f64), exact: f64) {
    assert!(error > 0.0, "{what}: no error estimate");
    assert!(
        (measured - exact).abs() < 3.0 * error,
        "{what}: measured {measured} ± {error}, exact {exact}"
    );
}

#[test]
fn deep_linear_fourth_moment_is_3_prod_1_plus_2_over_n() {
    for (widths, x, k) in [
        ("[2, 4, 6, 3]", "[1, -1]", 1.0),
        ("[3, 8, 5, 2]", "[1, -1, 2]", 2.0),
    ] {
        let text = format!(
            "use fieldtheory\nlet widths = {widths}\nlet x = {x}\n\
             network dln = deep_linear(widths = widths)\n\
             report r {{\n\
                 one = fourth_moment_ratio(outputs(dln, x, draws = 20000, layer = 1))\n\
                 two = fourth_moment_ratio(outputs(dln, x, draws = 20000, layer = 2))\n\
                 three = fourth_moment_ratio(outputs(dln, x, draws = 20000, layer = 3))\n\
                 exact = [deep_linear_fourth_ratio(widths, layer = l) for l in 1..4]\n\
                 four_point = four_point_connected(outputs(dln, x, draws = 20000))\n\
                 connected = deep_linear_four_point({k}, widths, layer = 3)\n\
             }}\n"
        );
        let r = first_report(&text, None);
        let exact = numbers(field(&r, "exact"));
        for (layer, name) in ["one", "two", "three"].iter().enumerate() {
            let what = format!("{widths} layer {}", layer + 1);
            within_3_errors(&what, value_and_error(&r, name), exact[layer]);
        }
        // K^(3) = C_W³ K⁰ = |x|²/n₀ at C_W = 1: E[z⁴]_c = (R − 3) k².
        let connected = numbers(field(&r, "connected"))[0];
        assert!((connected - (exact[2] - 3.0) * k * k).abs() < 1e-12);
        within_3_errors(
            &format!("{widths} E[z⁴]_c"),
            value_and_error(&r, "four_point"),
            connected,
        );
    }
}

#[test]
fn deep_linear_two_point_is_c_w_to_the_layer_times_k0() {
    for c_w in [0.5, 1.0, 2.0] {
        let text = format!(
            "use fieldtheory\nlet x = reshape([1, -2, 0.5, 3, 0, 1, 1, -1], 2)\n\
             network dln = deep_linear(widths = [4, 6, 6, 5], init = normal(var = {c_w} / fan_in))\n\
             let z = outputs(dln, x, draws = 8000, layer = 2)\n\
             report r {{\n\
                 k = two_point(z, width = 6)\n\
                 exact = deep_linear_kernel(input_kernel(x), c_w = {c_w}, layer = 2)\n\
                 full = two_point(outputs(dln, x, draws = 8000)).value\n\
             }}\n"
        );
        let r = first_report(&text, None);
        let k = field(&r, "k");
        let (value, error) = (numbers(field(k, "value")), numbers(field(k, "error")));
        let exact = numbers(field(&r, "exact"));
        assert_eq!(value.len(), 4, "a 2 × 2 kernel over the inputs");
        for i in 0..4 {
            within_3_errors(
                &format!("C_W = {c_w}, entry {i}"),
                (value[i], error[i]),
                exact[i],
            );
        }
        // Outputs of distinct neurons are uncorrelated: δ_ij K.
        let full = numbers(field(&r, "full"));
        assert_eq!(full.len(), 100, "10 columns: 2 inputs × 5 neurons");
        let k_out = f64::powi(c_w, 3) * 3.5625;
        assert!(full[1].abs() < 0.1 * k_out, "E[z_0 z_1] = {} ≉ 0", full[1]);
    }
}

/// A C_W and a C_b per layer through `layer` in the laws: K^(1) = C_b,0 + C_W,0 K⁰,
/// K^(ℓ+1) = C_b,ℓ + C_W,ℓ K^(ℓ) for a deep linear network with biases.
#[test]
fn layer_wise_weight_and_bias_variances_set_each_layers_kernel() {
    let text = "let x = [1, -2, 0.5]\n\
                let cw = [2, 0.5, 1.5]\n\
                let cb = [0.1, 0.3, 0.2]\n\
                network dln = mlp(widths = [3, 6, 6, 4], activation = \"linear\", bias = true, \
                init = normal(var = cw[layer] / fan_in), bias_init = normal(var = cb[layer]))\n\
                report r { k = two_point(outputs(dln, x, draws = 20000), width = 4) }\n";
    let r = first_report(text, None);
    let k = field(&r, "k");
    let (value, error) = (numbers(field(k, "value"))[0], numbers(field(k, "error"))[0]);
    let k0 = (1.0 + 4.0 + 0.25) / 3.0;
    let exact = 0.2 + 1.5 * (0.3 + 0.5 * (0.1 + 2.0 * k0));
    within_3_errors("K^(3)", (value, error), exact);
}

#[test]
fn a_gaussian_sample_has_no_connected_four_point_function() {
    let text = "ensemble g = gaussian(rows = 1, cols = 3, var = 2)\n\
                let z = sample(flatten(g), draws = 20000)\n\
                report r {\n\
                    c = four_point_connected(z, i = 0, j = 1, k = 0, l = 1)\n\
                    d = four_point_connected(z, i = 2, j = 2, k = 2, l = 2)\n\
                    ratio = fourth_moment_ratio(z)\n\
                    g2 = two_point(z)\n\
                }\n";
    let r = first_report(text, None);
    within_3_errors("κ(0,1,0,1)", value_and_error(&r, "c"), 0.0);
    within_3_errors("κ(2,2,2,2)", value_and_error(&r, "d"), 0.0);
    within_3_errors("E z⁴/(E z²)²", value_and_error(&r, "ratio"), 3.0);
    let g2 = field(&r, "g2");
    let (value, error) = (numbers(field(g2, "value")), numbers(field(g2, "error")));
    for i in 0..9 {
        let exact = if i % 4 == 0 { 2.0 } else { 0.0 };
        within_3_errors(&format!("G entry {i}"), (value[i], error[i]), exact);
    }
}

#[test]
fn outputs_are_the_same_on_one_and_two_threads() {
    let text = "network net = mlp(widths = [2, 5, 3], activation = \"tanh\", bias = true, \
                bias_init = normal(var = 0.1))\n\
                report r { z = outputs(net, reshape([1, 0, 0.5, -1], 2), draws = 64, layer = 1) }\n";
    let one = numbers(field(&first_report(text, Some(1)), "z"));
    let two = numbers(field(&first_report(text, Some(2)), "z"));
    assert_eq!(one.len(), 64 * 2 * 5);
    assert_eq!(one, two);
}

#[test]
fn bad_layers_and_shapes_are_refused_at_the_call() {
    let cases = [
        (
            "network n = mlp(widths = [2, 3, 1])\nreport r { z = outputs(n, [1, 2], draws = 2, layer = 3) }",
            "`layer` must be 1 … 2",
        ),
        (
            "network n = mlp(widths = [2, 3, 1])\nreport r { z = outputs(n, [1, 2, 3], draws = 2) }",
            "the inputs have 3 entries each",
        ),
        (
            "report r { k = two_point(reshape([1, 2, 3, 4, 5, 6], 2), width = 2) }",
            "not inputs × neurons",
        ),
        (
            "report r { k = four_point_connected(reshape([1, 2, 3, 4], 2), l = 5) }",
            "column 5 is outside",
        ),
        (
            "report r { k = fourth_moment_ratio(reshape([1, 2], 1)) }",
            "at least 2 draws",
        ),
    ];
    for (text, expected) in cases {
        let e = run_script("bad.wmd", text, &[], None).expect_err(text);
        assert!(e.contains(expected), "{text}:\n{e}");
    }
}
