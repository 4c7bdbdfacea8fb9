use super::*;
use crate::schema::Choice;
use rand_distr::{Distribution, StandardNormal};

/// Kernels (K_uu, K_vv, K_uv) from uncorrelated to almost aligned and anti-aligned.
const CASES: &[(f64, f64, f64)] = &[
    (1.0, 1.0, 0.0),
    (1.0, 1.0, 0.5),
    (0.7, 1.6, -0.6),
    (2.0, 0.5, 0.999),
    (1.0, 1.0, 1.0),
    (1.0, 1.0, -1.0),
    (0.3, 0.2, 0.1),
];

fn gauss(act: Activation, order: usize, quadrature: bool) -> Gauss {
    Gauss::new(act, order, quadrature).unwrap()
}

#[test]
fn the_rule_integrates_gaussian_moments() {
    for n in [1, 2, 5, 20, 64, 200] {
        let r = hermite_rule(n).unwrap();
        assert_eq!(r.nodes.len(), n);
        assert!((r.weights.iter().sum::<f64>() - 1.0).abs() < 1e-15);
        assert!(r.nodes.windows(2).all(|w| w[0] < w[1]), "n = {n}");
        // E g^{2m} = (2m − 1)!!, exact for 2m ≤ 2n − 1
        let mut double_factorial = 1.0;
        for m in 1..n.min(12) {
            double_factorial *= (2 * m - 1) as f64;
            let e: f64 = (r.nodes.iter().zip(&r.weights))
                .map(|(t, w)| w * t.powi(2 * m as i32))
                .sum();
            assert!(
                (e / double_factorial - 1.0).abs() < 1e-12,
                "n = {n}, m = {m}: {e} vs {double_factorial}"
            );
        }
    }
    assert_eq!(hermite_rule(1).unwrap().nodes, vec![0.0]);
    assert!(hermite_rule(0).is_err());
    assert!(hermite_rule(MAX_ORDER + 1).is_err());
}

#[test]
fn closed_forms_match_quadrature() {
    for act in [Activation::Erf, Activation::Linear] {
        let (closed, quad) = (gauss(act, 8, false), gauss(act, 200, true));
        for &(a, b, c) in CASES {
            let (x, y) = (closed.pair(a, b, c), quad.pair(a, b, c));
            assert!((x - y).abs() < 1e-10, "{act:?} {a} {b} {c}: {x} vs {y}");
        }
        for k in [0.0, 0.1, 1.0, 3.0] {
            assert!(
                (closed.square(k) - quad.square(k)).abs() < 1e-12,
                "{act:?} {k}"
            );
        }
    }
}

/// E[σ(u)σ(v)] by Monte Carlo over 400 000 pairs, within 4 standard errors.
#[test]
fn closed_forms_match_monte_carlo() {
    let mut rng = super::super::rng::stream(7, 0, "nngp", 0);
    let n = 400_000;
    for act in [Activation::Relu, Activation::Erf] {
        let g = gauss(act, 8, false);
        for &(a, b, c) in CASES {
            let s = (a * b).sqrt();
            let rho = (c / s).clamp(-1.0, 1.0);
            let products: Vec<f64> = (0..n)
                .map(|_| {
                    let g1: f64 = StandardNormal.sample(&mut rng);
                    let g2: f64 = StandardNormal.sample(&mut rng);
                    let u = a.sqrt() * g1;
                    let v = b.sqrt() * (rho * g1 + (1.0 - rho * rho).max(0.0).sqrt() * g2);
                    act.apply(u) * act.apply(v)
                })
                .collect();
            let mean = products.iter().sum::<f64>() / n as f64;
            let var = products.iter().map(|p| (p - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            let se = (var / n as f64).sqrt();
            let exact = g.pair(a, b, c);
            assert!(
                (mean - exact).abs() <= 4.0 * se + 1e-15,
                "{act:?} {a} {b} {c}: {mean} ± {se} vs {exact}"
            );
        }
    }
}

/// tanh's 2-D expectation converges like e^{−3.1√n} at K = 1 (measured: 3e-4, 6e-6, 2e-8,
/// 5e-12 at n = 10, 20, 40, 80 against n = 400; sigmoid and gelu faster): each doubling must
/// gain at least a factor 10 while above rounding.
#[test]
fn tanh_quadrature_converges_with_the_order() {
    let best = gauss(Activation::Tanh, 400, false);
    let errors: Vec<f64> = [10, 20, 40, 80]
        .iter()
        .map(|&n| {
            let q = gauss(Activation::Tanh, n, false);
            (CASES.iter())
                .map(|&(a, b, c)| (best.pair(a, b, c) - q.pair(a, b, c)).abs())
                .fold(0.0, f64::max)
        })
        .collect();
    for w in errors.windows(2) {
        assert!(w[1] < w[0] / 10.0, "{errors:?}");
    }
    assert!(errors[3] < 1e-7, "{errors:?}");
}

/// χ_∥/C_W = ∂⟨σ²⟩/∂K against a central difference of [`Gauss::square`] (h = 1e-4: error
/// ~ h² ≈ 1e-8), the closed forms of erf against quadrature, and the K → 0 limit σ′(0)².
#[test]
fn slopes_are_derivatives_of_the_variance_map() {
    let h = 1e-4;
    for act in Activation::ALL.iter().copied() {
        let g = gauss(act, 200, false);
        for k in [0.05, 0.5, 1.0, 2.0] {
            let fd = (g.square(k + h) - g.square(k - h)) / (2.0 * h);
            let (par, _) = g.slopes(k);
            assert!((par - fd).abs() < 1e-7, "{act:?} at {k}: {par} vs {fd}");
        }
    }
    let (closed, quad) = (
        gauss(Activation::Erf, 8, false),
        gauss(Activation::Erf, 200, true),
    );
    for k in [0.0, 0.1, 1.0, 2.5] {
        let (a, b) = (closed.slopes(k), quad.slopes(k));
        assert!(
            (a.0 - b.0).abs() < 1e-12 && (a.1 - b.1).abs() < 1e-12,
            "{k}: {a:?} {b:?}"
        );
    }
    let tanh = gauss(Activation::Tanh, DEFAULT_ORDER, false);
    assert_eq!(tanh.slopes(0.0), (1.0, 1.0));
    let (par, perp) = tanh.slopes(1e-6);
    assert!(
        (par - 1.0).abs() < 1e-5 && (perp - 1.0).abs() < 1e-5,
        "{par} {perp}"
    );
}

fn reached(act: Activation, c: (f64, f64), k0: f64) -> f64 {
    match fixed_point(&gauss(act, DEFAULT_ORDER, false), c, k0).unwrap() {
        FixedPoint::Reached(k) => k,
        other => panic!("{act:?} {c:?}: {other:?}"),
    }
}

#[test]
fn fixed_points_of_the_variance_map() {
    // affine maps: K* = C_b/(1 − C_W/2) (relu), C_b/(1 − C_W) (linear)
    assert!((reached(Activation::Relu, (1.0, 1.0), 3.0) - 2.0).abs() < 1e-14);
    assert!((reached(Activation::Linear, (0.5, 1.0), 0.1) - 2.0).abs() < 1e-14);
    // the critical relu preserves K⁽¹⁾ = C_W k0
    assert_eq!(reached(Activation::Relu, (2.0, 0.0), 0.7), 1.4);
    // tanh at (1, 0): the power-law approach to K* = 0 is resolved by bisection
    assert_eq!(reached(Activation::Tanh, (1.0, 0.0), 1.0), 0.0);
    for (act, c) in [
        (Activation::Tanh, (1.5, 0.0)),
        (Activation::Tanh, (1.2, 0.3)),
        (Activation::Erf, (1.0, 0.5)),
        (Activation::Sigmoid, (2.0, 0.1)),
        (Activation::Gelu, (1.5, 0.2)),
    ] {
        let g = gauss(act, DEFAULT_ORDER, false);
        let k = reached(act, c, 1.0);
        let f = c.1 + c.0 * g.square(k);
        assert!(
            k > 0.0 && (f - k).abs() <= 1e-14 * k,
            "{act:?} {c:?}: {k} ↦ {f}"
        );
    }
    for (act, c) in [
        (Activation::Relu, (3.0, 0.0)),
        (Activation::Relu, (2.0, 0.1)),
        (Activation::Linear, (1.0, 0.5)),
        (Activation::Gelu, (3.0, 0.0)),
    ] {
        let got = fixed_point(&gauss(act, 20, false), c, 1.0).unwrap();
        assert!(
            matches!(got, FixedPoint::Explodes { .. }),
            "{act:?} {c:?}: {got:?}"
        );
    }
}

#[test]
fn recursion_and_kernel_agree_and_bad_input_is_refused() {
    let g = gauss(Activation::Tanh, 40, false);
    let x = Mat::from_fn(3, 4, |i, j| (i as f64 + 1.0) * (j as f64 - 1.5));
    let stop = AtomicBool::new(false);
    let k = nngp(x.as_ref(), &g, 5, (1.5, 0.1), &stop).unwrap();
    for a in 0..3 {
        let k0 = (0..4).map(|j| x[(a, j)].powi(2)).sum::<f64>() / 4.0;
        let r = recursion(&g, k0, 5, (1.5, 0.1)).unwrap();
        assert_eq!(r.len(), 5);
        assert_eq!(r[4].to_bits(), k[(a, a)].to_bits());
        for b in 0..3 {
            assert_eq!(k[(a, b)].to_bits(), k[(b, a)].to_bits());
        }
    }
    assert!(nngp(x.as_ref(), &g, 0, (1.0, 0.0), &stop).is_err());
    assert!(nngp(x.as_ref(), &g, 2, (-1.0, 0.0), &stop).is_err());
    assert!(recursion(&g, -1.0, 2, (1.0, 0.0)).is_err());
    assert!(fixed_point(&g, (1.0, f64::NAN), 1.0).is_err());
    assert!(Gauss::new(Activation::Tanh, 0, false).is_err());
    let huge = recursion(&gauss(Activation::Linear, 4, false), 1.0, 300, (1e3, 0.0));
    assert!(matches!(huge, Err(BackendError::Numerical(_))), "{huge:?}");
}

/// The recursion entry by entry as the module defines it (the entry (α, β) from α = min, β = max).
fn entrywise(x: MatRef<f64>, g: &Gauss, depth: usize, (c_w, c_b): (f64, f64)) -> Mat<f64> {
    let (p, n0) = (x.nrows(), x.ncols());
    let dot = |a: usize, b: usize| (0..n0).map(|j| x[(a, j)] * x[(b, j)]).sum::<f64>();
    let mut k = Mat::from_fn(p, p, |a, b| c_b + c_w * dot(a, b) / n0 as f64);
    for _ in 1..depth {
        k = Mat::from_fn(p, p, |a, b| {
            let (lo, hi) = (a.min(b), a.max(b));
            c_b + c_w
                * if a == b {
                    g.square(k[(a, a)])
                } else {
                    g.pair(k[(lo, lo)], k[(hi, hi)], k[(lo, hi)])
                }
        });
    }
    k
}

#[test]
fn the_gram_matrix_is_the_entrywise_recursion_for_any_thread_count() {
    let x = Mat::from_fn(9, 3, |a, j| ((3 * a + j) as f64 * 0.37 + 0.5).sin());
    let stop = AtomicBool::new(false);
    for act in [Activation::Relu, Activation::Erf, Activation::Tanh] {
        let g = gauss(act, 12, false);
        let expected = entrywise(x.as_ref(), &g, 4, (1.5, 0.1));
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let k = pool.install(|| nngp(x.as_ref(), &g, 4, (1.5, 0.1), &stop).unwrap());
            let same =
                (0..9).all(|a| (0..9).all(|b| k[(a, b)].to_bits() == expected[(a, b)].to_bits()));
            assert!(same, "{act:?} with {threads} threads");
        }
    }
}
