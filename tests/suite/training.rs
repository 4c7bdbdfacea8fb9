//! Networks, data sets, optimizers and `train`, through scripts, against exact results:
//!
//! - **Deep linear networks at initialisation** (003): with W_l ~ N(0, C_W/n_l), the output
//!   z = W_{L−1}⋯W_0 x has E z² = C_W^L K⁰, K⁰ = |x|²/n₀, and E z⁴/(E z²)² = 3 Π_{l=1}^{L−1}
//!   (1 + 2/n_l) exactly, so the standard error of the sample mean of z² is σ²√((κ − 1)/N).
//! - **Full-batch gradient descent on least squares** converges to the normal-equation
//!   solution w* = (XᵀX)⁻¹Xᵀy (the loss ½·mean (y − w·x)² is a quadratic with that minimum).
//! - **Adam's first step** moves every weight by lr·|g|/(|g| + ε) against its gradient
//!   (m̂ = g, v̂ = g² after bias correction), AdamW's by the same after the decay θ(1 − lr·λ).
//! - **Langevin dynamics** on L = ½ k w² with weight decay γ is a discrete Ornstein–Uhlenbeck
//!   process w ← (1 − lr(k + γ)) w + √(2 lr T) ξ, stationary variance
//!   T/((k + γ)(1 − lr(k + γ)/2)) exactly (→ T/(k + γ), the Gibbs law, as lr → 0).

use super::support::{field, first_report, mean_se, numbers, run_script};
use wmd::ir::value::Value;

/// The teacher–student setup of 002 at small scale: `{extra}` goes into the train block.
fn teacher_student(optimizer: &str, extra: &str) -> String {
    format!(
        r#"
network teacher_net = mlp(widths = [3, 8, 1], activation = "tanh", init = normal(sd = 1))
network student = mlp(widths = [3, 8, 1], activation = "tanh", init = normal(var = 1 / fan_in))
data pairs = teacher_student(teacher = teacher_net, samples = 64, test = 32)
optimizer opt = {optimizer}
train ts {{
    model = student
    data = pairs
    optimizer = opt
    {extra}
}}
"#
    )
}

#[test]
fn deep_linear_output_variance_is_c_w_to_the_depth_times_k0() {
    for c_w in [0.5, 1.0, 2.0] {
        let text = format!(
            "let x = [1, -2, 0.5, 3]\n\
             network dln = deep_linear(widths = [4, 16, 16, 1], init = normal(var = {c_w} / fan_in))\n\
             report r {{ z = sample(forward(dln, x)[0, 0], draws = 20000) }}\n"
        );
        let z = numbers(field(&first_report(&text, None), "z"));
        let z2: Vec<f64> = z.iter().map(|v| v * v).collect();
        let (m2, _) = mean_se(&z2);
        let k0 = (1.0 + 4.0 + 0.25 + 9.0) / 4.0;
        let exact = c_w * c_w * c_w * k0;
        let kurtosis = 3.0 * (1.0 + 2.0 / 16.0) * (1.0 + 2.0 / 16.0);
        let se = exact * ((kurtosis - 1.0) / z.len() as f64).sqrt();
        assert!(
            (m2 - exact).abs() < 4.0 * se,
            "C_W = {c_w}: E z² = {m2}, exact {exact} ± {se}"
        );
        let m4 = z2.iter().map(|v| v * v).sum::<f64>() / z.len() as f64;
        let ratio = m4 / (m2 * m2);
        assert!(
            (ratio - kurtosis).abs() < 0.25,
            "C_W = {c_w}: E z⁴/(E z²)² = {ratio}, exact {kurtosis}"
        );
    }
}

/// 3 inputs, y = x·[0.5, −1, 2] + noise, written as CSV with a header.
fn least_squares_csv(dir: &std::path::Path) -> std::path::PathBuf {
    let mut text = String::from("x0,x1,x2,y\n");
    let mut s: u64 = 7;
    let mut u = || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    };
    for _ in 0..40 {
        let x = [u() * 4.0, u() * 4.0, u() * 4.0];
        let y = 0.5 * x[0] - x[1] + 2.0 * x[2] + 0.3 * u();
        text.push_str(&format!("{},{},{},{y}\n", x[0], x[1], x[2]));
    }
    let path = dir.join("ls.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// w* = (XᵀX)⁻¹Xᵀy, by faer's Cholesky factor of XᵀX.
fn normal_equations(x: &[f64], y: &[f64]) -> Vec<f64> {
    use faer::linalg::solvers::Solve;
    let n = y.len();
    let xm = faer::Mat::from_fn(n, 3, |r, c| x[r * 3 + c]);
    let ym = faer::Mat::from_fn(n, 1, |r, _| y[r]);
    let gram = xm.transpose() * &xm;
    let rhs = xm.transpose() * &ym;
    let w = gram.llt(faer::Side::Lower).unwrap().solve(&rhs);
    (0..3).map(|i| w[(i, 0)]).collect()
}

#[test]
fn full_batch_gradient_descent_reaches_the_normal_equation_solution() {
    let dir = tempfile::tempdir().unwrap();
    let path = least_squares_csv(dir.path());
    let text = format!(
        "data d = load_data(\"{}\", targets = [3])\n\
         network lin = deep_linear(widths = [3, 1])\n\
         optimizer opt = sgd(lr = 0.2)\n\
         train fit {{ model = lin\n data = d\n optimizer = opt\n steps = 4000 }}\n\
         report r {{ w = fit.model.layer[0].W\n x = d.x\n y = d.y\n columns = d.columns }}\n",
        path.display()
    );
    let r = first_report(&text, None);
    let w = numbers(field(&r, "w"));
    let exact = normal_equations(&numbers(field(&r, "x")), &numbers(field(&r, "y")));
    for (a, b) in w.iter().zip(&exact) {
        assert!(
            (a - b).abs() < 1e-8,
            "w = {w:?}, normal equations {exact:?}"
        );
    }
    assert!(matches!(field(&r, "columns"), Value::List(c) if c.len() == 4));
}

#[test]
fn adam_and_adamw_first_steps_move_each_weight_by_the_learning_rate() {
    for (rule, decay) in [
        ("adam(lr = 0.01, batch = 64)", 0.0),
        ("adamw(lr = 0.01, batch = 64, weight_decay = 0.5)", 0.5),
    ] {
        let text = teacher_student(rule, "steps = 1")
            + "report r { before = student.layer[0].W\n after = ts.model.layer[0].W }\n";
        let r = first_report(&text, None);
        let (before, after) = (numbers(field(&r, "before")), numbers(field(&r, "after")));
        for (b, a) in before.iter().zip(&after) {
            let moved = (a - b * (1.0 - 0.01 * decay)).abs();
            assert!(
                (moved - 0.01).abs() < 1e-6,
                "{rule}: a weight moved by {moved}, not lr = 0.01"
            );
        }
    }
}

#[test]
fn langevin_samples_the_gibbs_law_of_a_quadratic_loss() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.csv");
    std::fs::write(&path, "1,0\n-1,0\n2,0\n-2,0\n").unwrap();
    let (lr, t, gamma, k) = (0.01, 0.5, 0.5, 2.5);
    let text = format!(
        "data d = load_data(\"{}\", targets = [1])\n\
         network w = deep_linear(widths = [1, 1])\n\
         optimizer opt = langevin(lr = {lr}, temperature = {t}, weight_decay = {gamma})\n\
         train eq {{ model = w\n data = d\n optimizer = opt\n steps = 1000\n runs = 4000 }}\n\
         report r {{ w = [m.layer[0].W[0, 0] for m in eq.final] }}\n",
        path.display()
    );
    let w = numbers(field(&first_report(&text, None), "w"));
    let n = w.len() as f64;
    let var = w.iter().map(|x| x * x).sum::<f64>() / n;
    let exact = t / ((k + gamma) * (1.0 - lr * (k + gamma) / 2.0));
    let se = exact * (2.0 / n).sqrt();
    assert!(
        (var - exact).abs() < 4.0 * se,
        "Var w = {var}, exact {exact} ± {se}"
    );
}

/// With x = 0 the loss does not see the weights: each layer relaxes to its own prior
/// N(0, T/γ_l), exactly T/(γ_l(1 − lr·γ_l/2)) for the discrete chain.
#[test]
fn langevin_with_a_weight_decay_per_layer_samples_each_layers_prior() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zero.csv");
    std::fs::write(&path, "0,0\n0,0\n").unwrap();
    let (lr, t, gammas) = (0.01, 0.5, [0.5, 4.0]);
    let text = format!(
        "data d = load_data(\"{}\", targets = [1])\n\
         network w = deep_linear(widths = [1, 1, 1])\n\
         optimizer opt = langevin(lr = {lr}, temperature = {t}, weight_decay = [{}, {}])\n\
         train eq {{ model = w\n data = d\n optimizer = opt\n steps = 2000\n runs = 3000 }}\n\
         report r {{ w0 = [m.layer[0].W[0, 0] for m in eq.final]\n w1 = [m.layer[1].W[0, 0] for m in eq.final] }}\n",
        path.display(),
        gammas[0],
        gammas[1]
    );
    let r = first_report(&text, None);
    for (layer, gamma) in gammas.iter().enumerate() {
        let w = numbers(field(&r, &format!("w{layer}")));
        let n = w.len() as f64;
        let var = w.iter().map(|x| x * x).sum::<f64>() / n;
        let exact = t / (gamma * (1.0 - lr * gamma / 2.0));
        let se = exact * (2.0 / n).sqrt();
        assert!(
            (var - exact).abs() < 4.0 * se,
            "layer {layer}: Var w = {var}, exact {exact} ± {se}"
        );
    }
    let wrong = text.replace("weight_decay = [0.5, 4]", "weight_decay = [0.5, 4, 1]");
    let e = run_script("bad.wmd", &wrong, &[], None).expect_err("three decays, two layers");
    assert!(e.contains("one per layer"), "{e}");
}

#[test]
fn training_gives_the_same_numbers_on_one_and_two_threads() {
    let text = teacher_student(
        "sgd(lr = 0.05, batch = 4, momentum = 0.9)",
        "steps = 300\n runs = 5\n observe every 100 { loss\n sv = singular_values(student.layer[0].W) }",
    ) + "report r { l = ts.loss\n sv = ts.last.sv\n w = ts.model.layer[1].W }\n";
    let run = |threads| format!("{:?}", first_report(&text, Some(threads)));
    assert_eq!(run(1), run(2));
}

#[test]
fn inside_observe_the_model_name_is_the_network_being_trained() {
    let text = teacher_student("sgd(lr = 0.05, batch = 4)", "steps = 200\n observe every 100 { w = student.layer[0].W[0, 0] }")
        + "report r { start = student.layer[0].W[0, 0]\n seen = ts.observed.w[0]\n end = ts.model.layer[0].W[0, 0] }\n";
    let r = first_report(&text, None);
    let seen = numbers(field(&r, "seen"));
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(seen[0], numbers(field(&r, "start"))[0]);
    assert_eq!(seen[2], numbers(field(&r, "end"))[0]);
    assert_ne!(seen[0], seen[2]);
}

#[test]
fn a_diverging_run_is_recorded_not_an_error() {
    let text = teacher_student(
        "sgd(lr = 40, batch = 4)",
        "steps = 2000\n runs = 2\n observe every 50 { loss }\n stop when loss > 100",
    ) + "report r { stopped = ts.stopped\n at = ts.stopped_at\n loss = ts.loss }\n";
    let r = first_report(&text, None);
    let Value::List(stopped) = field(&r, "stopped") else {
        panic!("stopped")
    };
    for s in stopped.iter() {
        let Value::Str(s) = s else { panic!("{s:?}") };
        assert!(
            s.starts_with("diverged at step") || &**s == "stop when",
            "{s}"
        );
    }
    assert!(numbers(field(&r, "at")).iter().all(|&k| k < 2000.0));
    assert!(numbers(field(&r, "loss")).iter().all(|l| l.is_finite()));
}

#[test]
fn what_cannot_train_is_an_error_at_the_field_with_the_reason() {
    let ts = |opt: &str, extra: &str| teacher_student(opt, extra) + "report q { l = ts.loss }\n";
    let rbm = |opt: &str, n: usize| {
        format!(
            "network r = gaussian_rbm(visible = 3, hidden = 2, mu2 = 4)\n\
             data f = lattice_scalar(n = {n}, m2 = 1, samples = 10)\n\
             optimizer o = {opt}\n\
             train t {{ model = r\n data = f\n optimizer = o\n steps = 2 }}\n\
             report q {{ l = t.loss }}\n"
        )
    };
    let net = |ctor: &str| format!("network n = {ctor}\nreport q {{ w = n.layer[0].W }}\n");
    let cases = [
        (
            ts("pcd(lr = 0.1, batch = 4)", "steps = 2"),
            "`optimizer = pcd(...)` cannot go with `model = mlp(...)`",
        ),
        (
            "network n = mlp(widths = [3, 1])\ndata f = lattice_scalar(n = 3, m2 = 1, samples = 10)\n\
             optimizer o = sgd(lr = 0.1)\ntrain t { model = n\n data = f\n optimizer = o\n steps = 2 }\n"
                .to_string(),
            "this data set has no targets y",
        ),
        (
            ts("sgd(lr = 0.1, batch = 100)", "steps = 2"),
            "larger than the training set",
        ),
        (ts("sgd(lr = -1)", "steps = 2"), "must be > 0"),
        (
            ts("sgd(lr = 0.1, schedule = \"cosine\")", "steps = 2"),
            "`schedule` cannot be \"cosine\"",
        ),
        (
            ts("sgd(lr = 0.1)", ""),
            "exactly one of `steps` or `epochs`",
        ),
        (rbm("pcd(lr = 0.1, batch = 2)", 4), "takes 3 and gives 0"),
        (
            rbm("sgd(lr = 0.1)", 3),
            "`model = gaussian_rbm(...)` cannot go with `optimizer = sgd(...)`",
        ),
        (
            net("mlp(widths = [2, 3], activation = \"swish\")"),
            "`activation` cannot be \"swish\"",
        ),
        (
            net("mlp(widths = [2, 3, 1], trainable = [2])"),
            "the layers are 0 to 1",
        ),
        (
            net("autoencoder(encoder = [4, 3], bottleneck = [2], decoder = [3, 5])"),
            "must end at the input width 4",
        ),
    ];
    for (text, want) in cases {
        let err = run_script("t.wmd", &text, &[], None).expect_err(want);
        assert!(err.contains(want), "want {want:?} in\n{err}");
    }
}

#[test]
fn a_network_is_drawn_afresh_for_every_draw() {
    let text = "network n = mlp(widths = [2, 3, 1], bias = true, bias_init = normal(sd = 0.5))\n\
                report r { w = sample(n.layer[0].W[0, 0], draws = 4000)\n b = sample(n.layer[0].b[1], draws = 4000) }\n";
    let r = first_report(text, None);
    let (w, b) = (numbers(field(&r, "w")), numbers(field(&r, "b")));
    let var = |x: &[f64]| x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64;
    // W ~ N(0, 1/fan_in) by default (se of the variance ≈ var·√(2/N) ≈ 0.011), b ~ N(0, 0.25)
    assert!((var(&w) - 0.5).abs() < 0.05, "Var W = {}", var(&w));
    assert!((var(&b) - 0.25).abs() < 0.025, "Var b = {}", var(&b));
}

#[test]
fn a_step_schedule_decays_by_its_default_factor_and_bad_factors_are_refused() {
    let text = teacher_student(
        "sgd(lr = 0.05, batch = 4, schedule = \"step\", step_every = 10)",
        "steps = 100",
    ) + "report r { stopped = ts.stopped\n loss = ts.loss }\n";
    let r = first_report(&text, None);
    assert!(
        matches!(field(&r, "stopped"), Value::List(s) if matches!(&s[0], Value::Str(x) if &**x == "completed"))
    );
    assert!(numbers(field(&r, "loss"))[0].is_finite());
    let bad = teacher_student(
        "sgd(lr = 0.05, schedule = \"step\", step_factor = -1)",
        "steps = 10",
    ) + "report r { l = ts.loss }\n";
    let err = run_script("t.wmd", &bad, &[], None).expect_err("a negative factor");
    assert!(err.contains("factor"), "{err}");
}

/// `lattice_scalar(..., test = n)` holds out n fresh samples; an RBM trained by PCD on the
/// free field reaches, on them, the entropy of the exact field: the cross-entropy
/// ½tr(KC) − ½log det K + (n/2)log 2π at C = K⁻¹ is (n/2)(1 + log 2π) − ½Σ_k log κ_k ≈ 5.376
/// for n = 10, m² = 4. Each run's test NLL scatters by ≈ 2.2/√4000 ≈ 0.035 from its 4000
/// test samples plus its own fit of 3000 samples; the mean of 4 runs is held to 0.1.
#[test]
fn a_lattice_test_set_measures_the_exact_entropy() {
    let text = "network rbm = gaussian_rbm(visible = 10, hidden = 10, mu2 = 9, init = normal(sd = 0.1))\n\
                data field = lattice_scalar(n = 10, m2 = 4, samples = 3000, test = 4000)\n\
                optimizer opt = pcd(lr = 0.05, batch = 64, gibbs = 3)\n\
                train learn { model = rbm  data = field  optimizer = opt  steps = 3000  runs = 4 }\n\
                report r { test_nll = learn.test_loss\n n_test = rows(field.test_x) }\n";
    let r = first_report(text, None);
    assert_eq!(numbers(field(&r, "n_test")), [4000.0]);
    let kappa: Vec<f64> = (0..10)
        .map(|k| 4.0 + 2.0 - 2.0 * (2.0 * std::f64::consts::PI * k as f64 / 10.0).cos())
        .collect();
    let log_2pi = (2.0 * std::f64::consts::PI).ln();
    let entropy = 5.0 * (1.0 + log_2pi) - 0.5 * kappa.iter().map(|k| k.ln()).sum::<f64>();
    let nll = numbers(field(&r, "test_nll"));
    let mean = nll.iter().sum::<f64>() / nll.len() as f64;
    assert!(
        (mean - entropy).abs() < 0.1,
        "test NLL {mean} vs entropy {entropy}"
    );
}
