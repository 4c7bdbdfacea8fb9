//! Exact-solution tests of the backend. Ornstein–Uhlenbeck, D = −θx with constant G, from a
//! Gaussian N(m₀, v₀) stays Gaussian with mean m₀e^{−θt} and variance
//! v₀e^{−2θt} + (G/θ)(1 − e^{−2θt}).

use super::operator::Grid1;
use super::solve1d::{solve, Fp1Config, Fp1Result};
use super::solve2d::{self, Fp2Config};
use super::spectrum::{hamiltonian, stationary};
use super::{Boundary, Scheme};

const THETA: f64 = 1.0;
const G: f64 = 0.5;

fn gauss(x: f64, m: f64, v: f64) -> f64 {
    (-(x - m).powi(2) / (2.0 * v)).exp() / (2.0 * std::f64::consts::PI * v).sqrt()
}

fn ou_exact(t: f64) -> (f64, f64) {
    let e = (-THETA * t).exp();
    (1.0 * e, 0.04 * e * e + G / THETA * (1.0 - e * e))
}

fn ou(n: usize, dt: f64, scheme: Scheme, until: f64) -> Fp1Result {
    let grid = Grid1 { a: -5.0, b: 6.0, n };
    let cfg = Fp1Config {
        grid,
        boundary: Boundary::Reflecting,
        scheme,
        dt,
        until,
        at: vec![],
        drift: &|x, _| -THETA * x,
        diffusion: &|_, _| G,
        time_dependent: false,
        init: grid
            .centres()
            .iter()
            .map(|&x| gauss(x, 1.0, 0.04))
            .collect(),
    };
    solve(&cfg, &crate::progress::Watch::default()).unwrap()
}

/// Σ|p − q| h of the final densities.
fn l1(p: &[f64], q: &[f64], h: f64) -> f64 {
    p.iter().zip(q).map(|(a, b)| (a - b).abs()).sum::<f64>() * h
}

fn final_error_vs_exact(r: &Fp1Result, t: f64) -> f64 {
    let (m, v) = ou_exact(t);
    let exact: Vec<f64> = r.x.iter().map(|&x| gauss(x, m, v)).collect();
    l1(r.density.last().unwrap(), &exact, r.h)
}

#[test]
fn ou_transient_matches_the_exact_gaussian() {
    let r = ou(400, 0.002, Scheme::TrBdf2, 0.5);
    let (m, v) = ou_exact(0.5);
    assert!((r.mean.last().unwrap() - m).abs() < 1e-4, "{:?}", r.mean);
    assert!(
        (r.variance.last().unwrap() - v).abs() < 1e-3 * v,
        "{:?}",
        r.variance
    );
    assert!(final_error_vs_exact(&r, 0.5) < 2e-3);
    assert!((r.mass.last().unwrap() - 1.0).abs() < 1e-12);
}

fn order(e_coarse: f64, e_fine: f64) -> f64 {
    (e_coarse / e_fine).log2()
}

#[test]
fn time_orders_backward_euler_one_tr_bdf2_two() {
    let reference = ou(200, 0.2 / 64.0, Scheme::TrBdf2, 0.4);
    let reference = reference.density.last().unwrap().clone();
    let err = |dt: f64, s: Scheme| {
        let r = ou(200, dt, s, 0.4);
        l1(r.density.last().unwrap(), &reference, r.h)
    };
    let be = order(
        err(0.02, Scheme::BackwardEuler),
        err(0.01, Scheme::BackwardEuler),
    );
    let tr = order(err(0.04, Scheme::TrBdf2), err(0.02, Scheme::TrBdf2));
    eprintln!("time orders: backward Euler {be:.3}, TR-BDF2 {tr:.3}");
    assert!((be - 1.0).abs() < 0.15, "backward Euler order {be}");
    assert!((tr - 2.0).abs() < 0.2, "TR-BDF2 order {tr}");
}

#[test]
fn space_order_is_two() {
    let e = |n: usize| final_error_vs_exact(&ou(n, 0.001, Scheme::TrBdf2, 0.2), 0.2);
    let (e1, e2) = (e(55), e(110));
    let p = order(e1, e2);
    eprintln!("space order {p:.3} ({e1:.3e} → {e2:.3e})");
    assert!((p - 2.0).abs() < 0.25, "space order {p} ({e1}, {e2})");
}

fn double_well_drift(x: f64, _t: f64) -> f64 {
    -(x.powi(3) - x) // D = −V′, V = x⁴/4 − x²/2
}

#[test]
fn stationary_density_is_exp_minus_v_over_g() {
    let grid = Grid1 {
        a: -2.5,
        b: 2.5,
        n: 200,
    };
    let g = 0.2;
    let ps = stationary(&grid, Boundary::Reflecting, &double_well_drift, &|_, _| g).unwrap();
    let w: Vec<f64> = grid
        .centres()
        .iter()
        .map(|x| (-(x.powi(4) / 4.0 - x * x / 2.0) / g).exp())
        .collect();
    let z: f64 = w.iter().sum::<f64>() * grid.h();
    let exact: Vec<f64> = w.iter().map(|v| v / z).collect();
    let err = l1(&ps, &exact, grid.h());
    assert!(err < 1e-3, "L1 {err}");
    // The time-dependent solution relaxes to the same density.
    let cfg = Fp1Config {
        grid,
        boundary: Boundary::Reflecting,
        scheme: Scheme::BackwardEuler,
        dt: 0.5,
        until: 200.0,
        at: vec![],
        drift: &double_well_drift,
        diffusion: &|_, _| g,
        time_dependent: false,
        init: vec![1.0; grid.n],
    };
    let r = solve(&cfg, &crate::progress::Watch::default()).unwrap();
    assert!(l1(r.density.last().unwrap(), &ps, grid.h()) < 1e-8);
    assert!(r.current.iter().all(|j| j.abs() < 1e-8));
}

#[test]
fn mass_is_conserved_and_backward_euler_keeps_the_density_positive() {
    let grid = Grid1 {
        a: 0.0,
        b: 1.0,
        n: 64,
    };
    let init: Vec<f64> = (0..64)
        .map(|i| if (20..30).contains(&i) { 1.0 } else { 0.0 })
        .collect();
    for (bc, scheme) in [
        (Boundary::Reflecting, Scheme::BackwardEuler),
        (Boundary::Periodic, Scheme::BackwardEuler),
        (Boundary::Periodic, Scheme::TrBdf2),
    ] {
        let cfg = Fp1Config {
            grid,
            boundary: bc,
            scheme,
            dt: 0.05,
            until: 2.0,
            at: vec![0.0, 0.1, 1.0],
            drift: &|x, t| 2.0 * (6.0 * x).sin() + t,
            diffusion: &|x, _| 0.01 + 0.005 * (4.0 * x).cos(),
            time_dependent: true,
            init: init.clone(),
        };
        let r = solve(&cfg, &crate::progress::Watch::default()).unwrap();
        for m in &r.mass {
            assert!((m - 1.0).abs() < 1e-12, "{bc:?} {scheme:?}: mass {m}");
        }
        if scheme == Scheme::BackwardEuler {
            assert!(r.density.iter().flatten().all(|p| *p >= 0.0), "{bc:?}");
        }
    }
}

#[test]
fn absorbing_boundaries_lose_mass() {
    let grid = Grid1 {
        a: 0.0,
        b: 1.0,
        n: 50,
    };
    let cfg = Fp1Config {
        grid,
        boundary: Boundary::Absorbing,
        scheme: Scheme::TrBdf2,
        dt: 0.01,
        until: 0.5,
        at: vec![0.1],
        drift: &|_, _| 0.0,
        diffusion: &|_, _| 0.1,
        time_dependent: false,
        init: vec![1.0; 50],
    };
    let r = solve(&cfg, &crate::progress::Watch::default()).unwrap();
    // Pure diffusion on (0, 1) with P = 0 at both ends: the slowest mode decays like
    // e^{−π² G t}; after t = 0.5 the mass is (8/π²) e^{−π² G t} to within the higher modes.
    let exact =
        8.0 / std::f64::consts::PI.powi(2) * (-std::f64::consts::PI.powi(2) * 0.1 * 0.5).exp();
    let m = r.mass[1];
    assert!(r.mass[0] > m && (m - exact).abs() < 0.01, "{m} vs {exact}");
}

#[test]
fn ou_hamiltonian_levels_are_n_theta_over_two() {
    let grid = Grid1 {
        a: -6.0,
        b: 6.0,
        n: 300,
    };
    let s = hamiltonian(&grid, &|x, _| -THETA * x, &|_, _| G, 5).unwrap();
    for (n, e) in s.energies.iter().enumerate() {
        let exact = n as f64 * THETA / 2.0;
        // O(h²) discretisation error, growing with the level: 0.2 % relative, E₀ = 0 to 1e-10.
        assert!(
            (e - exact).abs() < 2e-3 * exact + 1e-10,
            "E_{n} = {e}, exact {exact}"
        );
    }
    let ps = stationary(&grid, Boundary::Reflecting, &|x, _| -THETA * x, &|_, _| G).unwrap();
    let dev = s.states[0]
        .iter()
        .zip(&ps)
        .map(|(psi, p)| (psi - p.sqrt()).abs())
        .fold(0.0, f64::max);
    assert!(dev < 1e-10, "ψ₀ vs √Pₛ: {dev}");
}

#[test]
fn ou_in_two_dimensions_matches_the_exact_gaussian() {
    let (tx, ty) = (1.0, 2.0);
    let x = Grid1 {
        a: -4.0,
        b: 4.0,
        n: 80,
    };
    let y = Grid1 {
        a: -3.0,
        b: 3.0,
        n: 60,
    };
    let init: Vec<f64> = x
        .centres()
        .iter()
        .flat_map(|&a| {
            y.centres()
                .into_iter()
                .map(move |b| gauss(a, 1.0, 0.04) * gauss(b, -0.5, 0.04))
        })
        .collect();
    let cfg = Fp2Config {
        x,
        y,
        boundary: Boundary::Reflecting,
        scheme: Scheme::TrBdf2,
        dt: 0.01,
        until: 0.5,
        at: vec![],
        drift_x: &|x, _, _| -tx * x,
        drift_y: &|_, y, _| -ty * y,
        diffusion: &|_, _, _| G,
        time_dependent: false,
        unsplit: false,
        init,
    };
    let r = solve2d::solve(&cfg, &crate::progress::Watch::default()).unwrap();
    let t = 0.5;
    let (ex, ey) = ((-tx * t).exp(), (-ty * t).exp());
    let mean = [ex, -0.5 * ey];
    let var = [
        0.04 * ex * ex + G / tx * (1.0 - ex * ex),
        0.04 * ey * ey + G / ty * (1.0 - ey * ey),
    ];
    let (got_m, got_v) = (r.mean.last().unwrap(), r.variance.last().unwrap());
    for k in 0..2 {
        assert!(
            (got_m[k] - mean[k]).abs() < 2e-3,
            "mean {k}: {} vs {}",
            got_m[k],
            mean[k]
        );
        assert!(
            (got_v[k] / var[k] - 1.0).abs() < 5e-3,
            "var {k}: {} vs {}",
            got_v[k],
            var[k]
        );
    }
    assert!((r.mass.last().unwrap() - 1.0).abs() < 1e-12);
}

/// OU plus a rotation on a square box, D = (−x − 2y, −y + 2x), G = 0.5, reflecting walls,
/// uniform initial density, TR-BDF2 with dt = 0.1 to t = 1.
fn rotating_ou(grid: Grid1, unsplit: bool) -> Fp2Config<'static> {
    Fp2Config {
        unsplit,
        ..ou_2d(grid, [1.0, 0.0, 1.0], 2.0)
    }
}

#[test]
fn stationary_density_in_two_dimensions_without_detailed_balance() {
    // OU plus a rotation, D = (−x − 2y, −y + 2x), G = 0.5: the current circulates, yet the
    // stationary law is the isotropic N(0, G/θ = 0.5) (the rotation is tangent to its level
    // sets). Error O(h²): L1 1.0 % at h = 0.16, below 1 % at h = 0.125.
    let grid = Grid1 {
        a: -4.0,
        b: 4.0,
        n: 64,
    };
    let cfg = rotating_ou(grid, false);
    let p = solve2d::stationary(&cfg).unwrap();
    let c = grid.centres();
    let exact: Vec<f64> = c
        .iter()
        .flat_map(|&x| {
            c.iter()
                .map(move |&y| gauss(x, 0.0, 0.5) * gauss(y, 0.0, 0.5))
        })
        .collect();
    let h2 = grid.h() * grid.h();
    let mass: f64 = p.iter().sum::<f64>() * h2;
    assert!((mass - 1.0).abs() < 1e-12, "mass {mass}");
    let err = l1(&p, &exact, h2);
    eprintln!("2D stationary L1 error {err:.3e}");
    assert!(err < 0.01, "L1 {err}");
}

fn rotating_2d(scheme: Scheme, dt: f64, moving: bool) -> solve2d::Fp2Result {
    rotating_2d_with(scheme, dt, moving, false)
}

fn rotating_2d_with(scheme: Scheme, dt: f64, moving: bool, unsplit: bool) -> solve2d::Fp2Result {
    let grid = Grid1 {
        a: -3.0,
        b: 3.0,
        n: 30,
    };
    let c = grid.centres();
    let init: Vec<f64> = c
        .iter()
        .flat_map(|&x| {
            c.iter()
                .map(move |&y| gauss(x, 1.0, 0.1) * gauss(y, 0.0, 0.1))
        })
        .collect();
    let dx = move |x: f64, y: f64, t: f64| -x - 2.0 * y + if moving { t.sin() } else { 0.0 };
    let cfg = Fp2Config {
        x: grid,
        y: grid,
        boundary: Boundary::Reflecting,
        scheme,
        dt,
        until: 0.5,
        at: vec![],
        drift_x: &dx,
        drift_y: &|x, y, _| -y + 2.0 * x,
        diffusion: &|_, _, _| G,
        time_dependent: moving,
        unsplit,
        init,
    };
    solve2d::solve(&cfg, &crate::progress::Watch::default()).unwrap()
}

#[test]
fn splitting_orders_in_two_dimensions_lie_one_strang_two() {
    // Non-commuting directions (rotation) and a time-dependent drift: the splitting error
    // is visible. Self-convergence against TR-BDF2/Strang at dt/32.
    let reference = rotating_2d(Scheme::TrBdf2, 0.1 / 32.0, true);
    let reference = reference.density.last().unwrap().clone();
    let h2 = (6.0f64 / 30.0).powi(2);
    let err = |s: Scheme, dt: f64| {
        l1(
            rotating_2d(s, dt, true).density.last().unwrap(),
            &reference,
            h2,
        )
    };
    let lie = order(
        err(Scheme::BackwardEuler, 0.05),
        err(Scheme::BackwardEuler, 0.025),
    );
    let strang = order(err(Scheme::TrBdf2, 0.1), err(Scheme::TrBdf2, 0.05));
    eprintln!("2D time orders: Lie/backward Euler {lie:.3}, Strang/TR-BDF2 {strang:.3}");
    assert!((lie - 1.0).abs() < 0.2, "Lie order {lie}");
    assert!((strang - 2.0).abs() < 0.25, "Strang order {strang}");
}

/// The whole operator (`splitting = "none"`) on the same non-commuting, time-dependent
/// problem: orders 1 and 2 in dt, mass kept to round-off. (Here Strang's splitting error is
/// small beside TR-BDF2's own: both give L1 ≈ 1.6·10⁻³ at dt = 0.05.)
#[test]
fn unsplit_steps_have_the_schemes_orders() {
    let reference = rotating_2d_with(Scheme::TrBdf2, 0.1 / 32.0, true, true);
    let reference = reference.density.last().unwrap().clone();
    let h2 = (6.0f64 / 30.0).powi(2);
    let err = |s: Scheme, dt: f64| {
        let r = rotating_2d_with(s, dt, true, true);
        assert!((r.mass.last().unwrap() - 1.0).abs() < 1e-12);
        l1(r.density.last().unwrap(), &reference, h2)
    };
    let be = order(
        err(Scheme::BackwardEuler, 0.05),
        err(Scheme::BackwardEuler, 0.025),
    );
    let tr = order(err(Scheme::TrBdf2, 0.1), err(Scheme::TrBdf2, 0.05));
    eprintln!("unsplit time orders: backward Euler {be:.3}, TR-BDF2 {tr:.3}");
    assert!((be - 1.0).abs() < 0.2, "backward Euler order {be}");
    assert!((tr - 2.0).abs() < 0.25, "TR-BDF2 order {tr}");
}

/// Started at the discrete stationary density (the null vector of the whole operator A), an
/// unsplit step leaves it unchanged to round-off, as the exact flow does; Strang steps do not
/// when Aₓ and A_y do not commute (the rotating drift): their fixed point is off by O(Δt²).
#[test]
fn unsplit_steps_keep_the_stationary_density() {
    let grid = Grid1 {
        a: -3.0,
        b: 3.0,
        n: 30,
    };
    let cfg = rotating_ou(grid, true);
    let ps = solve2d::stationary(&cfg).unwrap();
    let drift = |unsplit: bool| {
        let cfg = Fp2Config {
            unsplit,
            init: ps.clone(),
            at: vec![],
            ..cfg
        };
        let r = solve2d::solve(&cfg, &crate::progress::Watch::default()).unwrap();
        l1(r.density.last().unwrap(), &ps, grid.h() * grid.h())
    };
    let (whole, split) = (drift(true), drift(false));
    eprintln!("L1 change of the stationary density over 10 steps: unsplit {whole:.2e}, Strang {split:.2e}");
    assert!(whole < 1e-12, "unsplit {whole}");
    assert!(split > 1e-6, "Strang {split}");
}

#[test]
fn periodic_stationary_state_carries_a_uniform_current() {
    // On a ring a non-gradient drift drives a constant current J through every face; the
    // null vector from inverse iteration must have mass 1 and J constant to round-off.
    let grid = Grid1 {
        a: 0.0,
        b: 1.0,
        n: 200,
    };
    let drift = |x: f64, _t: f64| 1.0 + 0.5 * (2.0 * std::f64::consts::PI * x).sin();
    let diff = |_x: f64, _t: f64| 0.05;
    let p = stationary(&grid, Boundary::Periodic, &drift, &diff).unwrap();
    let mass: f64 = p.iter().sum::<f64>() * grid.h();
    assert!((mass - 1.0).abs() < 1e-12, "mass {mass}");
    let j =
        super::operator::face_currents(&grid, Boundary::Periodic, 0.0, &p, &drift, &diff).unwrap();
    let (lo, hi) = j
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    assert!(
        lo > 0.5 && (hi - lo) < 1e-10 * hi,
        "current between {lo} and {hi}"
    );
}

/// A divergence-free drift on a torus, D = (1 + ½ sin(2πy/L), 0.3): the uniform density is
/// stationary, for the continuum and exactly for the discrete generator (each line carries a
/// constant current), so the unsplit solve must return 1/L² to round-off, corners included.
#[test]
fn periodic_2d_stationary_density_of_a_divergence_free_drift_is_uniform() {
    let l = 2.0;
    let grid = Grid1 {
        a: 0.0,
        b: l,
        n: 24,
    };
    let ygrid = Grid1 {
        a: 0.0,
        b: l,
        n: 17,
    };
    let cfg = Fp2Config {
        x: grid,
        y: ygrid,
        boundary: Boundary::Periodic,
        scheme: Scheme::TrBdf2,
        dt: 0.1,
        until: 1.0,
        at: vec![],
        drift_x: &|_, y, _| 1.0 + 0.5 * (2.0 * std::f64::consts::PI * y / l).sin(),
        drift_y: &|_, _, _| 0.3,
        diffusion: &|_, _, _| 0.2,
        time_dependent: false,
        unsplit: false,
        init: vec![1.0; 24 * 17],
    };
    let p = solve2d::stationary(&cfg).unwrap();
    let worst = p.iter().fold(0.0f64, |w, v| w.max((v * l * l - 1.0).abs()));
    assert!(
        worst < 1e-10,
        "largest relative deviation from uniform {worst:e}"
    );
}

/// D = −Kx + ω(−y, x) with K = [[k0, k1], [k1, k2]], G = 0.5, reflecting walls, uniform
/// initial density, TR-BDF2 with dt = 0.1 to t = 1 (the drift closures are leaked: tests only).
fn ou_2d(grid: Grid1, k: [f64; 3], rotation: f64) -> Fp2Config<'static> {
    let dx: Box<dyn Fn(f64, f64, f64) -> f64 + Sync> =
        Box::new(move |x, y, _| -k[0] * x - k[1] * y - rotation * y);
    let dy: Box<dyn Fn(f64, f64, f64) -> f64 + Sync> =
        Box::new(move |x, y, _| -k[1] * x - k[2] * y + rotation * x);
    Fp2Config {
        x: grid,
        y: grid,
        boundary: Boundary::Reflecting,
        scheme: Scheme::TrBdf2,
        dt: 0.1,
        until: 1.0,
        at: vec![],
        drift_x: Box::leak(dx),
        drift_y: Box::leak(dy),
        diffusion: &|_, _, _| G,
        time_dependent: false,
        unsplit: false,
        init: vec![1.0; grid.n * grid.n],
    }
}

/// H_FP of a 2D OU process, D = −Kx with K symmetric (eigenvalues 1 and 2), whether K is
/// diagonal or rotated by 30°: levels (n·1 + m·2)/2 = 0, ½, 1, 1, 3/2, 3/2 up to the O(h²)
/// error of the fitted flux (at h = 1/4: E₁ 2.1 % and E₂ 4.1 % low; order 1.9–1.95 from
/// h = 1/2), E₀ = 0 and ψ₀ = √Pₛ to round-off. A rotation added to the drift breaks detailed
/// balance and is refused.
#[test]
fn hamiltonian_levels_of_a_2d_ou_process() {
    use super::hamiltonian2d::hamiltonian_levels;
    let (c, s) = (30f64.to_radians().cos(), 30f64.to_radians().sin());
    let rotated = [
        c * c + 2.0 * s * s,
        (1.0 - 2.0) * c * s,
        s * s + 2.0 * c * c,
    ];
    let exact = [0.0, 0.5, 1.0, 1.0, 1.5, 1.5];
    let levels = |n: usize, k: [f64; 3]| {
        let grid = Grid1 { a: -5.0, b: 5.0, n };
        let cfg = ou_2d(grid, k, 0.0);
        let ps = solve2d::stationary(&cfg).unwrap();
        let h = solve2d::hamiltonian(&cfg, &ps).unwrap();
        let spec = hamiltonian_levels(&h, n * n, grid.h() * grid.h(), 6).unwrap();
        let worst = spec.states[0]
            .iter()
            .zip(&ps)
            .fold(0.0f64, |w, (psi, p)| w.max((psi - p.sqrt()).abs()));
        assert!(worst < 1e-9, "ψ₀ vs √Pₛ: {worst}");
        assert!(spec.energies[0].abs() < 1e-10, "{:?}", spec.energies);
        spec.energies
    };
    for k in [[1.0, 0.0, 2.0], rotated] {
        let (coarse, fine) = (levels(20, k), levels(40, k));
        eprintln!("2D H_FP levels (K = {k:?}): {fine:?}");
        for (e, want) in fine.iter().zip(exact).skip(1) {
            assert!((e / want - 1.0).abs() < 0.05, "{e} vs {want}");
        }
        for level in [1, 2] {
            let want = exact[level];
            let order = ((coarse[level] - want) / (fine[level] - want)).log2();
            eprintln!("level {level}: order {order:.3}");
            assert!(
                (order - 2.0).abs() < 0.3,
                "order {order} ({coarse:?}, {fine:?})"
            );
        }
    }
    let grid = Grid1 {
        a: -5.0,
        b: 5.0,
        n: 20,
    };
    let rotating = ou_2d(grid, [1.0, 0.0, 2.0], 1.0);
    let ps = solve2d::stationary(&rotating).unwrap();
    let err = solve2d::hamiltonian(&rotating, &ps).unwrap_err();
    assert!(err.to_string().contains("detailed balance"), "{err}");
}
