//! `fokker_planck` scripts against exact results. Convention: ∂ₜP = −∂ₓ(DP) + ∂ₓₓ(GP) with
//! G = `diffusion` = g². Ornstein–Uhlenbeck D = −θ(x − c(t)), constant G, from N(m₀, v₀):
//! Gaussian with m′ = −θ(m − c(t)) and v(t) = v₀e^{−2θt} + (G/θ)(1 − e^{−2θt}).
//! Backend-level convergence orders (space 2, backward Euler 1, TR-BDF2 2) are asserted in
//! `src/backend/fokker_planck/tests.rs`.

use super::support::run_script;
use wmd::ir::value::Value;

fn vector(v: &Value, path: &[&str]) -> Vec<f64> {
    let mut cur = v;
    for p in path {
        cur = cur.field(p).unwrap_or_else(|| panic!("no field {p}"));
    }
    cur.as_slice()
        .unwrap_or_else(|| panic!("{path:?} is {cur:?}"))
        .to_vec()
}

fn run(block: &str, report: &str) -> Value {
    let text = format!("{block}\nreport r {{ {report} }}");
    let out = run_script("fp.wmd", &text, &[], None).unwrap_or_else(|e| panic!("{e}"));
    out.reports[0].1.clone()
}

fn ou_var(v0: f64, theta: f64, g: f64, t: f64) -> f64 {
    let e = (-2.0 * theta * t).exp();
    v0 * e + g / theta * (1.0 - e)
}

#[test]
fn ou_with_a_moving_centre_matches_the_exact_moments() {
    // c(t) = sin t: m(t) = m₀e^{−θt} + θ(θ sin t − cos t + e^{−θt})/(1 + θ²).
    let r = run(
        "fokker_planck ou {
            domain x in (-5, 5) cells 400
            drift(x, t) = -2 * (x - sin(t))
            diffusion = 0.3
            init = normal(mean = 1, sd = 0.3)
            until = 2
            dt = 0.005
            at = [0, 0.5, 1, 1.5]
        }",
        "times = ou.times\n mean = ou.mean\n variance = ou.variance\n mass = ou.mass",
    );
    let (times, mean, var, mass) = (
        vector(&r, &["times"]),
        vector(&r, &["mean"]),
        vector(&r, &["variance"]),
        vector(&r, &["mass"]),
    );
    let th = 2.0;
    for (k, &t) in times.iter().enumerate() {
        let e = (-th * t).exp();
        let m = e + th * (th * t.sin() - t.cos() + e) / (1.0 + th * th);
        assert!(
            (mean[k] - m).abs() < 1e-3,
            "t = {t}: mean {} vs {m}",
            mean[k]
        );
        let v = ou_var(0.09, th, 0.3, t);
        assert!(
            (var[k] / v - 1.0).abs() < 5e-3,
            "t = {t}: var {} vs {v}",
            var[k]
        );
        assert!((mass[k] - 1.0).abs() < 1e-12, "mass {}", mass[k]);
    }
}

#[test]
fn ou_levels_of_h_fp_are_n_theta_over_two_and_psi0_is_sqrt_ps() {
    // dx = −θx dt + √(2G) dW: P relaxes like e^{−nθt}; H_FP = ½L†L (001) has Eₙ = nθ/2.
    let r = run(
        "fokker_planck ou {
            domain x in (-6, 6) cells 300
            drift(x) = -1.5 * x
            diffusion = 0.4
            init = normal(0, 1)
            until = 0.1
        }
        let h = hamiltonian_spectrum(ou, levels = 4)",
        "levels = h.energies\n psi0 = h.states[0, :]\n ps = stationary_density(ou)",
    );
    let levels = vector(&r, &["levels"]);
    for (n, e) in levels.iter().enumerate() {
        let exact = 0.75 * n as f64;
        assert!(
            (e - exact).abs() < 2e-3 * exact + 1e-10,
            "E_{n} = {e} vs {exact}"
        );
    }
    let (psi0, ps) = (vector(&r, &["psi0"]), vector(&r, &["ps"]));
    let dev = psi0
        .iter()
        .zip(&ps)
        .map(|(a, b)| (a - b.sqrt()).abs())
        .fold(0.0, f64::max);
    assert!(dev < 1e-10, "ψ₀ vs √Pₛ: {dev}");
}

#[test]
fn stationary_density_of_a_double_well_is_exp_minus_v_over_g() {
    let r = run(
        "let g = 0.15
        fn V(x) = x^4 / 4 - x^2 / 2
        fokker_planck dw {
            domain x in (-2.5, 2.5) cells 250
            drift(x) = x - x^3
            diffusion = g
            init(x) = 1
            until = 150
            dt = 0.5
            scheme = \"backward_euler\"
        }
        let w = exp(-V(dw.x) / g)",
        "d = density_distances(stationary_density(dw), w / (sum(w) * dw.dx), dw.dx)
         relaxed = density_distances(dw.final, stationary_density(dw), dw.dx)
         current = max(abs(dw.current))",
    );
    let l1 = |k: &str| match r.field(k).and_then(|d| d.field("l1")) {
        Some(Value::Num(x)) => *x,
        other => panic!("{k}: {other:?}"),
    };
    assert!(l1("d") < 1e-3, "stationary vs e^(-V/g): {}", l1("d"));
    assert!(
        l1("relaxed") < 1e-8,
        "relaxed vs stationary: {}",
        l1("relaxed")
    );
    assert!(matches!(r.field("current"), Some(Value::Num(j)) if *j < 1e-9));
}

#[test]
fn periodic_and_absorbing_boundaries() {
    let r = run(
        "fokker_planck ring {
            domain x in (0, 1) cells 100
            drift(x) = 1 + 0.5 * sin(2 * pi * x)
            diffusion(x) = 0.05
            init(x) = if x < 0.5 then 1 else 0
            until = 3
            dt = 0.01
            boundary = \"periodic\"
        }
        fokker_planck sink {
            domain x in (0, 1) cells 100
            drift = 0
            diffusion = 0.1
            init = uniform(0, 1)
            until = 1
            dt = 0.01
            boundary = \"absorbing\"
        }",
        "ring_mass = ring.mass\n ring_min = min(ring.final)\n sink_mass = sink.mass",
    );
    for m in vector(&r, &["ring_mass"]) {
        assert!((m - 1.0).abs() < 1e-12, "periodic mass {m}");
    }
    // Pure diffusion with P = 0 at both ends: mass ≈ (8/π²) e^{−π²Gt} (higher modes decay
    // 9× faster; 0.3 % at t = 1).
    let sink = vector(&r, &["sink_mass"]);
    let pi2 = std::f64::consts::PI.powi(2);
    let exact = 8.0 / pi2 * (-pi2 * 0.1).exp();
    assert!(
        (sink[1] / exact - 1.0).abs() < 0.01,
        "{} vs {exact}",
        sink[1]
    );
}

fn rotating_ou_variances(cells: usize) -> (f64, f64, Vec<f64>) {
    let r = run(
        &format!(
            "fokker_planck rot {{
                domain (x, y) in box(-4, 4, -4, 4) cells {cells} x {cells}
                drift(x, y) = [-x - 2 * y, -y + 2 * x]
                diffusion = 0.5
                init(x, y) = exp(-((x - 1)^2 + y^2) / 0.2)
                until = 4
                dt = 0.02
            }}"
        ),
        "vx = rot.variance_x\n vy = rot.variance_y\n mass = rot.mass",
    );
    let (vx, vy) = (vector(&r, &["vx"]), vector(&r, &["vy"]));
    (vx[1], vy[1], vector(&r, &["mass"]))
}

#[test]
fn ou_in_two_dimensions_with_a_rotating_drift_converges_in_space() {
    // D = −x + ω J x (a rotation added to OU) keeps the isotropic stationary law N(0, G/θ) in
    // each direction: the rotation is divergence-free and tangent to its level sets. After
    // t = 4 (8 relaxation times of the variance) the variances are G/θ = 0.5 up to the
    // O(h²) error of the fitted flux (cross-wind diffusion of the rotation): measured
    // 2.7 % at h = 0.2 and 0.65 % at h = 0.1 (order 2.0–2.1).
    let (x40, y40, _) = rotating_ou_variances(40);
    let (x80, y80, mass) = rotating_ou_variances(80);
    for (coarse, fine) in [(x40, x80), (y40, y80)] {
        let (ec, ef) = ((coarse / 0.5 - 1.0).abs(), (fine / 0.5 - 1.0).abs());
        let order = (ec / ef).log2();
        eprintln!(
            "rotating OU: variance errors {ec:.2e} (h = 0.2), {ef:.2e} (h = 0.1), order {order:.2}"
        );
        assert!(ef < 0.01, "variance {fine} at h = 0.1");
        assert!(order > 1.8, "space order {order} ({ec}, {ef})");
    }
    for m in mass {
        assert!((m - 1.0).abs() < 1e-12, "mass {m}");
    }
}

#[test]
fn a_kernel_density_estimate_of_points_starts_a_fokker_planck_run() {
    // 000 starts its evolutions from densities estimated from latent points. A Gaussian KDE
    // with bandwidth h has mean x̄ and variance (1/n)Σ(x − x̄)² + h² exactly; here the points
    // are −1, 0, 0.5, 2 and h = 0.3: mean 0.375, variance 4.6875/4 + 0.09 = 1.261875.
    let text = "let pts = [-1, 0, 0.5, 2]
        let p0 = kde(pts, bandwidth = 0.3)
        fokker_planck fp {
            domain x in (-6, 6) cells 600
            drift(x) = -x
            diffusion = 0.5
            init = p0
            until = 0.5
        }
        report r { m = mean(p0)\n v = variance(p0)\n mass = fp.mass }";
    let out =
        super::support::run_script("k.wmd", text, &[], None).unwrap_or_else(|e| panic!("{e}"));
    let r = &out.reports[0].1;
    let num = |k: &str| match r.field(k) {
        Some(wmd::ir::value::Value::Num(x)) => *x,
        other => panic!("{k}: {other:?}"),
    };
    assert!((num("m") - 0.375).abs() < 1e-6, "{}", num("m"));
    assert!((num("v") - 1.261875).abs() < 1e-5, "{}", num("v"));
    let mass = match r.field("mass") {
        Some(wmd::ir::value::Value::Vector(v)) => v.to_vec(),
        other => panic!("{other:?}"),
    };
    assert!(mass.iter().all(|m| (m - 1.0).abs() < 1e-6), "{mass:?}");
}

#[test]
fn the_2d_stationary_density_is_solved_only_when_the_script_reads_it() {
    let block = "fokker_planck ou {
            domain (x, y) in box(-4, 4, -4, 4) cells 24 x 24
            drift(x, y) = [-x, -y]
            diffusion = 0.5
            init(x, y) = exp(-(x^2 + y^2))
            until = 0.2
        }";
    let fields = |report: &str| {
        let text = format!("{block}\nreport r {{ {report} }}");
        let out =
            super::support::run_script("s.wmd", &text, &[], None).unwrap_or_else(|e| panic!("{e}"));
        wmd::output::results_json(&out)["reports"]["r"]["run"]
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
    };
    assert!(!fields("run = ou").contains(&"stationary".to_string()));
    let with = fields("run = ou\n s = stationary_density(ou)");
    assert!(with.contains(&"stationary".to_string()), "{with:?}");
}

#[test]
fn a_2d_kernel_density_estimate_of_points_starts_a_2d_run() {
    // Points (−1, 0), (0, 1), (1, 0.5), (0.5, −1) with bandwidths [0.4, 0.3]: the KDE has the
    // sample mean (0.125, 0.125) and per-axis variance (1/n)Σ(p − p̄)² + h²:
    // x: 2.1875/4 + 0.16 = 0.706875; y: 2.1875/4 + 0.09 = 0.636875. On a 120² grid of
    // [−5, 5]² the cell-centre values reproduce them to ~1e-4.
    let text = "let px = [-1, 0, 1, 0.5]
        let py = [0, 1, 0.5, -1]
        fokker_planck fp {
            domain (x, y) in box(-5, 5, -5, 5) cells 120 x 120
            drift(x, y) = [-x, -y]
            diffusion = 0.5
            init(x, y) = kde2d(px, py, x, y, bandwidth = [0.4, 0.3])
            until = 0.1
        }
        report r { mx = fp.mean_x[0]\n my = fp.mean_y[0]\n vx = fp.variance_x[0]\n vy = fp.variance_y[0] }";
    let out =
        super::support::run_script("k2.wmd", text, &[], None).unwrap_or_else(|e| panic!("{e}"));
    let r = &out.reports[0].1;
    let num = |k: &str| match r.field(k) {
        Some(wmd::ir::value::Value::Num(x)) => *x,
        other => panic!("{k}: {other:?}"),
    };
    assert!((num("mx") - 0.125).abs() < 1e-4 && (num("my") - 0.125).abs() < 1e-4);
    assert!((num("vx") - 0.706875).abs() < 1e-3, "{}", num("vx"));
    assert!((num("vy") - 0.636875).abs() < 1e-3, "{}", num("vy"));
}

/// `splitting = "none"` (the whole 2D operator, sparse LU) against the exact OU moments:
/// means m₀e^{−θt}, variances v₀e^{−2θt} + (G/θ)(1 − e^{−2θt}), θ = (1, 2), G = 0.5. The
/// tolerance 10⁻³ is the O(h²) spatial error of the fitted flux at h = 1/16 (it slows the
/// relaxation of the means: measured 1.9·10⁻³ at h = 1/8, 4.8·10⁻⁴ at h = 1/16).
#[test]
fn unsplit_2d_steps_match_the_exact_ou_moments() {
    let r = run(
        "fokker_planck ou {
            domain (x, y) in box(-4, 4, -4, 4) cells 128 x 128
            drift(x, y) = [-x, -2 * y]
            diffusion = 0.5
            init(x, y) = exp(-((x - 1)^2 + (y + 0.5)^2) / (2 * 0.3^2))
            until = 1
            dt = 0.02
            splitting = \"none\"
        }",
        "mx = ou.mean_x\n my = ou.mean_y\n vx = ou.variance_x\n vy = ou.variance_y\n mass = ou.mass",
    );
    let last = |k: &str| *vector(&r, &[k]).last().unwrap();
    let exact = [
        ("mx", (-1.0f64).exp()),
        ("my", -0.5 * (-2.0f64).exp()),
        ("vx", ou_var(0.09, 1.0, 0.5, 1.0)),
        ("vy", ou_var(0.09, 2.0, 0.5, 1.0)),
    ];
    for (k, want) in exact {
        let got = last(k);
        eprintln!("unsplit OU {k}: {got:.6} (exact {want:.6})");
        assert!((got - want).abs() < 1e-3, "{k}: {got} vs {want}");
    }
    assert!((last("mass") - 1.0).abs() < 1e-12);
}

#[test]
fn splitting_is_a_2d_setting_and_its_value_is_checked() {
    let one_d = "fokker_planck p {
        domain x in (-1, 1) cells 20
        drift(x) = -x
        diffusion = 0.1
        init(x) = 1
        until = 0.1
        splitting = \"none\"
    }
    report r { m = p.mass }";
    let e = run_script("fp.wmd", one_d, &[], None).unwrap_err();
    assert!(e.contains("2D setting"), "{e}");
    let typo = "fokker_planck p {
        domain (x, y) in box(-1, 1, -1, 1) cells 8 x 8
        drift(x, y) = [-x, -y]
        diffusion = 0.1
        init(x, y) = 1
        until = 0.1
        splitting = \"nnone\"
    }
    report r { m = p.mass }";
    let e = run_script("fp.wmd", typo, &[], None).unwrap_err();
    assert!(e.contains("did you mean \"none\""), "{e}");
}

/// The sparse LU solves (2D `splitting = "none"`, the 2D stationary density, the implicit
/// 2D `pde`) and the parallel line sweeps give the same bits on 1 and 2 threads.
#[test]
fn sparse_and_split_2d_solves_do_not_depend_on_the_thread_count() {
    let rotating = |name: &str, extra: &str| {
        format!(
            "fokker_planck {name} {{
                domain (x, y) in box(-3, 3, -3, 3) cells 16 x 16
                drift(x, y) = [-x - 2 * y, -y + 2 * x]
                diffusion = 0.5
                init(x, y) = exp(-((x - 1)^2 + y^2) / 0.2)
                until = 0.5
                dt = 0.05
                {extra}
            }}"
        )
    };
    let text = format!(
        "pde p {{
            domain (x, y) in box(0, 1, 0, 1) cells 12 x 10
            dt(u) = 0.05 * laplace(u) + div([u * dx(u), u * dy(u)])
            init(x, y) = 1 + 0.5 * sin(6 * x) * cos(4 * y)
            until = 0.2
            step = 0.05
            scheme = \"backward_euler\"
        }}
        {}
        {}
        report r {{ u = flatten(p.final)\n q = flatten(f.final)\n s = flatten(f.stationary)\n w = flatten(g.final) }}",
        rotating("f", "splitting = \"none\""),
        rotating("g", ""),
    );
    let bits = |threads: usize| {
        let out = run_script("t.wmd", &text, &[], Some(threads)).unwrap_or_else(|e| panic!("{e}"));
        ["u", "q", "s", "w"]
            .map(|k| vector(&out.reports[0].1, &[k]))
            .concat()
            .iter()
            .map(|v| v.to_bits())
            .collect::<Vec<u64>>()
    };
    assert_eq!(bits(1), bits(2));
}

/// `hamiltonian_spectrum` of a 2D run: a rotated OU process (D = −Kx, K symmetric with
/// eigenvalues 1 and 2) has H_FP levels 0, ½, 1, 1 (O(h²) low: 3–4 % at h = 1/4), ψ₀ = √Pₛ;
/// adding a rotation to the drift is refused with the reason.
#[test]
fn hamiltonian_spectrum_of_a_2d_run() {
    let block = |extra: &str| {
        format!(
            "fokker_planck ou {{
                domain (x, y) in box(-4, 4, -4, 4) cells 32 x 32
                drift(x, y) = [-1.25 * x + 0.433 * y {extra}, 0.433 * x - 1.75 * y]
                diffusion = 0.5
                init(x, y) = exp(-(x^2 + y^2))
                until = 0.1
            }}"
        )
    };
    let r = run(
        &block(""),
        "e = hamiltonian_spectrum(ou, levels = 4).energies
         psi0 = hamiltonian_spectrum(ou, levels = 1).states[0, :]
         root = sqrt(flatten(stationary_density(ou)))",
    );
    let e = vector(&r, &["e"]);
    eprintln!("2D H_FP levels: {e:?}");
    assert!(e[0].abs() < 1e-10, "{e:?}");
    for (got, want) in e.iter().zip([0.0, 0.5, 1.0, 1.0]).skip(1) {
        assert!((got / want - 1.0).abs() < 0.05, "{got} vs {want}");
    }
    let (psi, root) = (vector(&r, &["psi0"]), vector(&r, &["root"]));
    let worst = psi
        .iter()
        .zip(&root)
        .fold(0.0f64, |w, (a, b)| w.max((a - b).abs()));
    assert!(worst < 1e-9, "ψ₀ vs √Pₛ {worst}");
    let text = format!(
        "{}\nreport r {{ e = hamiltonian_spectrum(ou).energies }}",
        block("- y")
    );
    let err = run_script("fp.wmd", &text, &[], None).unwrap_err();
    assert!(err.contains("detailed balance"), "{err}");
}
