//! The `sde` kind through scripts, against exact results. The convergence orders of the schemes
//! are measured in the backend's unit tests (`src/backend/sde_tests.rs`), where the Brownian
//! path can be shared between step sizes.
//!
//! Exact: Ornstein–Uhlenbeck dX = −θX dt + σ dW has X_t ~ N(X₀e^{−θt}, σ²(1 − e^{−2θt})/(2θ));
//! geometric Brownian motion dX = μX dt + σX dW has E X_T = X₀e^{μT} (Itô) and
//! X₀e^{(μ + σ²/2)T} when read as a Stratonovich equation.

use super::support::run_script;
use wmd::ir::value::Value;

fn report(text: &str, threads: Option<usize>) -> Value {
    let out = run_script("sde.wmd", text, &[], threads).unwrap_or_else(|e| panic!("{e}"));
    out.reports[0].1.clone()
}

fn get<'a>(v: &'a Value, name: &str) -> &'a Value {
    v.field(name).unwrap_or_else(|| panic!("no field {name}"))
}

fn num(v: &Value, name: &str) -> f64 {
    match get(v, name) {
        Value::Num(x) => *x,
        other => panic!("{name} is {other:?}"),
    }
}

fn matrix(v: &Value, name: &str) -> std::sync::Arc<faer::Mat<f64>> {
    match get(v, name) {
        Value::Matrix(m) => m.clone(),
        other => panic!("{name} is {other:?}"),
    }
}

#[test]
fn ornstein_uhlenbeck_components_match_the_exact_transition() {
    // Two independent OU components, θ = (1, 2), σ = (1, 0.5), X₀ = (1, −1), T = 1.
    let r = report(
        "sde ou {
            drift(x, t) = [-x[0], -2 * x[1]]
            diffusion(x, t) = [1, 0.5]
            init = [1, -1]
            dt = 0.01
            until = 1
            runs = 4000
            scheme = \"srk\"
        }
        report r { mean = ou.mean; var = ou.variance; times = ou.times }",
        None,
    );
    let (mean, var) = (matrix(&r, "mean"), matrix(&r, "var"));
    let last = mean.nrows() - 1;
    for (i, (theta, sigma, x0)) in [(1.0f64, 1.0f64, 1.0f64), (2.0, 0.5, -1.0)]
        .into_iter()
        .enumerate()
    {
        let m = x0 * (-theta).exp();
        let v = sigma * sigma * (1.0 - (-2.0 * theta).exp()) / (2.0 * theta);
        // 4000 runs: standard errors √(v/4000) for the mean, √(2/4000) = 2.2 % for the
        // variance; the scheme's bias O(dt²) is far below. Tolerance 4σ.
        let se = (v / 4000.0).sqrt();
        assert!(
            (mean[(last, i)] - m).abs() < 4.0 * se,
            "mean {i}: {} vs {m}",
            mean[(last, i)]
        );
        assert!(
            (var[(last, i)] / v - 1.0).abs() < 0.09,
            "var {i}: {} vs {v}",
            var[(last, i)]
        );
        assert_eq!((mean[(0, i)], var[(0, i)]), (x0, 0.0));
    }
}

#[test]
fn ito_and_stratonovich_give_the_two_exact_gbm_means() {
    // μ = 0, σ = 1, X₀ = 1, T = 1: E X_T = 1 (Itô), e^{1/2} (Stratonovich).
    for (calculus, exact) in [("ito", 1.0f64), ("stratonovich", 0.5f64.exp())] {
        let r = report(
            &format!(
                "sde gbm {{
                    drift(x, t) = 0
                    diffusion(x, t) = x
                    init = 1
                    dt = 0.01
                    until = 1
                    runs = 4000
                    scheme = \"milstein\"
                    calculus = \"{calculus}\"
                }}
                report r {{ m = mean(gbm.final[:, 0]); sd = std(gbm.final[:, 0]) }}"
            ),
            None,
        );
        let (m, sd) = (num(&r, "m"), num(&r, "sd"));
        // Standard error sd/√4000 (about 0.02 and 0.035); the weak error of Milstein at
        // dt = 0.01 is about 0.5 %. The two exact means differ by 0.65.
        let tol = 4.0 * sd / 4000f64.sqrt() + 0.01 * exact;
        assert!(
            (m - exact).abs() < tol,
            "{calculus}: mean {m} vs {exact} (± {tol})"
        );
    }
}

#[test]
fn a_distribution_init_is_sampled_per_run_and_component() {
    let r = report(
        "sde still {
            dim = 2
            drift(x, t) = [0, 0]
            diffusion(x, t) = 0
            init = normal(0, 1)
            dt = 0.1
            steps = 1
            runs = 2000
        }
        report r { f = still.final }",
        None,
    );
    let f = matrix(&r, "f");
    assert_eq!((f.nrows(), f.ncols()), (2000, 2));
    let col = |j: usize| (0..2000).map(|i| f[(i, j)]).collect::<Vec<_>>();
    let (a, b) = (col(0), col(1));
    let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
    let cov = |x: &[f64], y: &[f64]| {
        let (mx, my) = (mean(x), mean(y));
        x.iter()
            .zip(y)
            .map(|(p, q)| (p - mx) * (q - my))
            .sum::<f64>()
            / (x.len() - 1) as f64
    };
    // N(0, 1) samples: mean ± 0.022, variance ± 3.2 %, correlation ± 0.022 (1σ).
    for x in [&a, &b] {
        assert!(mean(x).abs() < 0.09 && (cov(x, x) - 1.0).abs() < 0.13);
    }
    assert!(
        cov(&a, &b).abs() < 0.09,
        "components correlated: {}",
        cov(&a, &b)
    );
}

#[test]
fn paths_times_and_defaults_of_a_scalar_equation() {
    let text = "sde ou {
        drift(x, t) = -x
        diffusion(x, t) = 1
        init = 0.5
        dt = 0.01
        steps = 250
        runs = 7
    }
    report r { paths = ou.paths; final = ou.final; times = ou.times; every = ou.every }";
    let out = run_script("sde.wmd", text, &[], None).unwrap_or_else(|e| panic!("{e}"));
    let r = &out.reports[0].1;
    // Default every = ⌈250/100⌉ = 3: records at steps 0, 3, …, 249.
    assert_eq!(num(r, "every"), 3.0);
    let Value::Vector(times) = get(r, "times") else {
        panic!("times")
    };
    assert_eq!(times.len(), 84);
    assert!((times[1] - 0.03).abs() < 1e-12);
    let (paths, fin) = (matrix(r, "paths"), matrix(r, "final"));
    assert_eq!((paths.nrows(), paths.ncols()), (7, 84));
    assert!((0..7).all(|i| paths[(i, 0)] == 0.5));
    for key in ["sde.scheme", "sde.calculus", "sde.every", "sde.dim"] {
        assert!(
            out.defaults.keys().any(|k| k.starts_with(key)),
            "{key} not recorded: {:?}",
            out.defaults
        );
    }
    assert!((0..7).all(|i| fin[(i, 0)].is_finite()));
}

#[test]
fn runs_do_not_depend_on_the_thread_count() {
    // 300 runs: more than one chunk of 256.
    let text = "sde osc {
        drift(x, t) = [x[1], -x[0] - 0.1 * x[1]]
        diffusion(x, t) = [0.1, 0.2 * (1 + x[1]^2)]
        init = normal(0, 1)
        dim = 2
        dt = 0.01
        steps = 50
        runs = 300
        every = 10
        scheme = \"srk\"
        calculus = \"stratonovich\"
    }
    sde one {
        drift(x, t) = sin(t) - x
        diffusion(x, t) = 0.3 * x
        init = uniform(1, 2)
        dt = 0.01
        steps = 20
        runs = 300
        scheme = \"milstein\"
    }
    report r { f = osc.final; m = osc.mean; v = osc.variance; p = one.paths }";
    let a = run_script("t", text, &[], Some(1)).unwrap();
    let b = run_script("t", text, &[], Some(2)).unwrap();
    assert_eq!(wmd::output::results_json(&a), wmd::output::results_json(&b));
}

#[test]
fn the_drift_gives_one_entry_per_component() {
    let script = |drift: &str| {
        format!(
            "sde s {{
                drift(x, t) = {drift}
                diffusion(x, t) = [1, 1]
                init = [0, 0]
                dt = 0.1
                steps = 3
            }}
            report r {{ f = s.final }}"
        )
    };
    let err = run_script("s.wmd", &script("[x[2], 0]"), &[], None).unwrap_err();
    assert!(err.contains("index 2 is out of range 0..2"), "{err}");
    let err = run_script("s.wmd", &script("[0, 0, 0]"), &[], None).unwrap_err();
    assert!(
        err.contains("gives 3 components but the state has 2"),
        "{err}"
    );
    // One expression is broadcast for the diffusion, never for the drift.
    let err = run_script("s.wmd", &script("0"), &[], None).unwrap_err();
    assert!(
        err.contains("gives 1 component but the state has 2"),
        "{err}"
    );
    assert!(run_script("s.wmd", &script("[x[1], -x[0]]"), &[], None).is_ok());
}
