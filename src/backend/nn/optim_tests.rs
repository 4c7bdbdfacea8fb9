#![allow(clippy::single_range_in_vec_init)] // one active range of all parameters

use super::*;
use crate::backend::nn::activation::Activation;
use crate::backend::nn::loss::Loss;
use crate::backend::nn::mlp::{Mlp, Workspace};
use crate::backend::rng::stream;
use faer::linalg::solvers::Solve;
use faer::{Mat, Side};

fn normals(n: usize, rng: &mut Rng) -> Vec<f64> {
    (0..n)
        .map(|_| <StandardNormal as Distribution<f64>>::sample(&StandardNormal, rng))
        .collect()
}

/// The least-squares solution w* = (XᵀX)⁻¹Xᵀy (normal equations, Cholesky) of N rows.
fn normal_equations(x: &[f64], y: &[f64], n: usize) -> Vec<f64> {
    let rows = y.len();
    let xm = Mat::from_fn(rows, n, |r, j| x[r * n + j]);
    let ym = Mat::from_fn(rows, 1, |r, _| y[r]);
    let gram = xm.transpose() * &xm;
    let rhs = xm.transpose() * &ym;
    let w = gram.llt(Side::Lower).unwrap().solve(&rhs);
    (0..n).map(|j| w[(j, 0)]).collect()
}

/// A deep linear [5, 1] network without bias is linear regression: full-batch SGD on the mse
/// of 64 noisy rows (momentum 0, lr 0.5, and heavy-ball momentum 0.9, lr 0.05; 3000 steps,
/// contraction ≤ 0.8 resp. ≈ √0.9 per step) reaches the normal-equation solution to 1e-8.
#[test]
fn sgd_reaches_the_least_squares_solution() {
    let (n, rows) = (5, 64);
    let mut rng = stream(1, 0, "lsq", 0);
    let x = normals(rows * n, &mut rng);
    let truth = [1.0, -2.0, 0.5, 0.0, 3.0];
    let y: Vec<f64> = (0..rows)
        .map(|r| {
            (0..n).map(|j| x[r * n + j] * truth[j]).sum::<f64>() + 0.3 * normals(1, &mut rng)[0]
        })
        .collect();
    let exact = normal_equations(&x, &y, n);
    for (momentum, lr) in [(0.0, 0.5), (0.9, 0.05)] {
        let mut mlp = Mlp::new(&[n, 1], Activation::Linear, false).unwrap();
        let mut opt = Optimizer::new(Rule::Sgd { momentum }, lr, Schedule::Constant, n);
        let mut ws = Workspace::new(&mlp, rows);
        let mut g = vec![0.0; n];
        let active = mlp.trainable_ranges(&[true]);
        for _ in 0..3000 {
            mlp.loss_grad((0, &x), &y, rows, Loss::Mse, &[true], &mut g, &mut ws);
            opt.step(&mut mlp.params, &g, &active, &mut rng);
        }
        for (w, e) in mlp.params.iter().zip(&exact) {
            assert!((w - e).abs() < 1e-8, "momentum {momentum}: {w} vs {e}");
        }
    }
}

/// The gradient of L = ½Σ a_k θ_k², a = (3, 0.5).
fn quadratic_grad(theta: &[f64]) -> Vec<f64> {
    vec![3.0 * theta[0], 0.5 * theta[1]]
}

/// Adam by hand, in the textbook form: g ← ∇L + λθ (L2) or θ ← θ(1 − ηλ) (decoupled);
/// m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ),
/// θ ← θ − η m̂/(√v̂ + ε).
fn adam_by_hand(theta: &mut [f64], steps: i32, lr: f64, wd: f64, decoupled: bool) {
    let (b1, b2, eps) = (0.9, 0.999, 1e-8);
    let (mut m, mut v) = ([0.0; 2], [0.0; 2]);
    for t in 1..=steps {
        let g0 = quadratic_grad(theta);
        for k in 0..2 {
            let g = if decoupled {
                g0[k]
            } else {
                g0[k] + wd * theta[k]
            };
            if decoupled {
                theta[k] *= 1.0 - lr * wd;
            }
            m[k] = b1 * m[k] + (1.0 - b1) * g;
            v[k] = b2 * v[k] + (1.0 - b2) * g * g;
            let mhat = m[k] / (1.0 - b1.powi(t));
            let vhat = v[k] / (1.0 - b2.powi(t));
            theta[k] -= lr * mhat / (vhat.sqrt() + eps);
        }
    }
}

/// Three Adam and AdamW steps (λ = 0.1, η = 0.01) from θ = (1, −2) on the quadratic match the
/// hand computation to 1e-14; the first step is θ − η·g/(|g| + ε) written out (m̂ = g,
/// v̂ = g²), and plain Adam (λ = 0) differs from both.
#[test]
fn adam_and_adamw_match_the_hand_computation() {
    let mut rng = stream(0, 0, "adam", 0);
    let (lr, wd) = (0.01, 0.1);
    let mut runs = Vec::new();
    for (decoupled, wd) in [(false, wd), (true, wd), (false, 0.0)] {
        let rule = Rule::Adam {
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: wd,
            decoupled,
        };
        let mut opt = Optimizer::new(rule, lr, Schedule::Constant, 2);
        let mut theta = vec![1.0, -2.0];
        for step in 1..=3 {
            let g = quadratic_grad(&theta);
            opt.step(&mut theta, &g, &[0..2], &mut rng);
            if step == 1 && !decoupled {
                // g = ∇L(θ₀) + λθ₀ = (3 + 0.1, −1 − 0.2): θ₁ = θ₀ − η·g/(|g| + ε).
                let g0 = [3.0 + wd * 1.0, -1.0 + wd * -2.0];
                let first = [
                    1.0 - lr * g0[0] / (g0[0].abs() + 1e-8),
                    -2.0 - lr * g0[1] / (g0[1].abs() + 1e-8),
                ];
                assert!((theta[0] - first[0]).abs() < 1e-14 && (theta[1] - first[1]).abs() < 1e-14);
            }
        }
        let mut hand = vec![1.0, -2.0];
        adam_by_hand(&mut hand, 3, lr, wd, decoupled);
        for k in 0..2 {
            assert!(
                (theta[k] - hand[k]).abs() < 1e-14,
                "decoupled {decoupled}: {theta:?} vs {hand:?}"
            );
        }
        runs.push(theta);
    }
    assert!(runs[0] != runs[1] && runs[0] != runs[2] && runs[1] != runs[2]);
}

/// Only active coordinates move; a coordinate first active at step 3 takes Adam's first step
/// (size η·|g|/(|g| + ε), its own count 1), not a step bias-corrected for t = 3.
#[test]
fn inactive_coordinates_keep_their_values_and_state() {
    let mut rng = stream(0, 0, "mask", 0);
    let rule = Rule::Adam {
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        weight_decay: 0.0,
        decoupled: false,
    };
    let mut opt = Optimizer::new(rule, 0.1, Schedule::Constant, 3);
    let mut theta = vec![1.0, 1.0, 1.0];
    let g = [1.0, 2.0, 4.0];
    opt.step(&mut theta, &g, &[0..1], &mut rng);
    opt.step(&mut theta, &g, &[0..1], &mut rng);
    assert_eq!(&theta[1..], &[1.0, 1.0]);
    opt.step(&mut theta, &g, &[2..3], &mut rng);
    assert_eq!(theta[1], 1.0);
    assert!((theta[2] - (1.0 - 0.1 * 4.0 / (4.0 + 1e-8))).abs() < 1e-15);
}

/// Schedules: linear from 1 to 0.1 over 10 steps (factor 1 at t = 1, 0.55 at t = 6, 0.1 from
/// t = 11 on), step ×0.5 every 3 (1, 1, 1, 0.5, …, 0.25 at t = 7), to 1e-15.
#[test]
fn schedules_give_the_stated_factors() {
    let lin = Optimizer::new(
        Rule::Sgd { momentum: 0.0 },
        2.0,
        Schedule::Linear {
            final_factor: 0.1,
            steps: 10,
        },
        1,
    );
    for (t, f) in [(1, 1.0), (6, 0.55), (11, 0.1), (500, 0.1)] {
        assert!((lin.lr_at(t) - 2.0 * f).abs() < 1e-15, "t = {t}");
    }
    let st = Schedule::Step {
        every: 3,
        factor: 0.5,
    };
    let factors: Vec<f64> = (1..=7).map(|t| st.factor(t)).collect();
    assert_eq!(factors, [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]);
}

/// Hyper-parameters are checked and the error names the parameter.
#[test]
fn invalid_hyper_parameters_are_named() {
    let adam = |beta1, beta2, eps| Rule::Adam {
        beta1,
        beta2,
        eps,
        weight_decay: 0.0,
        decoupled: true,
    };
    assert_eq!(
        adam(1.0, 0.9, 1e-8).validate().unwrap_err().field(),
        Some("beta1")
    );
    assert_eq!(
        adam(0.9, -0.1, 1e-8).validate().unwrap_err().field(),
        Some("beta2")
    );
    assert_eq!(
        adam(0.9, 0.9, 0.0).validate().unwrap_err().field(),
        Some("eps")
    );
    assert!(adam(0.0, 0.0, 1e-8).validate().is_ok());
    let sgd = Rule::Sgd { momentum: 1.0 };
    assert_eq!(sgd.validate().unwrap_err().field(), Some("momentum"));
    let lang = Rule::Langevin {
        temperature: -1.0,
        weight_decay: 0.0,
    };
    assert_eq!(lang.validate().unwrap_err().field(), Some("temperature"));
    let opt = Optimizer::new(Rule::Sgd { momentum: 0.0 }, 0.0, Schedule::Constant, 1);
    assert_eq!(opt.validate().unwrap_err().field(), Some("lr"));
    let bad = Schedule::Step {
        every: 0,
        factor: 0.5,
    };
    assert_eq!(bad.validate().unwrap_err().field(), Some("every"));
}

/// Langevin on L = kθ²/2 with weight decay γ is the AR(1) chain θ' = aθ + √(2ηT)ξ,
/// a = 1 − η(k + γ), whose stationary variance is 2ηT/(1 − a²) = T/((k + γ)(1 − η(k + γ)/2))
/// (→ T/(k + γ) as η → 0). With k = 3, γ = 1, η = 0.025 (η(k + γ) = 0.1, a = 0.9), T = 0.5:
/// 0.125/0.95 = 0.13158, 5.3 % above the continuum value. 2000 coordinates from 0, 200 steps
/// of burn-in (a⁴⁰⁰ ≈ 5e-19), then 40 samples 50 steps apart (lag correlation a⁵⁰ ≈ 5e-3):
/// N = 80000 nearly independent draws, standard error of the variance σ²√(2/N) = 0.5 %. The
/// estimate is within 4 standard errors of the discrete value and more than 4 from T/(k + γ).
#[test]
fn langevin_has_the_discrete_stationary_variance() {
    let (k, gamma, lr, temp, n) = (3.0, 1.0, 0.025, 0.5, 2000);
    let rule = Rule::Langevin {
        temperature: temp,
        weight_decay: gamma,
    };
    let mut opt = Optimizer::new(rule, lr, Schedule::Constant, n);
    let mut rng = stream(7, 0, "langevin", 0);
    let mut theta = vec![0.0; n];
    let mut g = vec![0.0; n];
    let (mut sum2, mut count) = (0.0, 0usize);
    for step in 1..=2200 {
        g.iter_mut().zip(&theta).for_each(|(gi, t)| *gi = k * t);
        opt.step(&mut theta, &g, &[0..n], &mut rng);
        if step > 200 && step % 50 == 0 {
            sum2 += theta.iter().map(|t| t * t).sum::<f64>();
            count += n;
        }
    }
    let var = sum2 / count as f64;
    let exact = temp / ((k + gamma) * (1.0 - lr * (k + gamma) / 2.0));
    let se = exact * (2.0 / count as f64).sqrt();
    assert!(
        (var - exact).abs() < 4.0 * se,
        "variance {var}, exact {exact} ± {se}"
    );
    assert!(
        (var - temp / (k + gamma)).abs() > 4.0 * se,
        "continuum value not excluded"
    );
}

/// Training is a function of the seed: two runs of 20 Langevin steps of a [3, 8, 1] tanh net
/// from the same stream give bit-identical parameters; another seed gives different ones.
#[test]
fn same_seed_same_parameters() {
    let run = |seed: u64| {
        let mut rng = stream(seed, 0, "train", 0);
        let mut mlp = Mlp::new(&[3, 8, 1], Activation::Tanh, true).unwrap();
        mlp.init_gaussian(1.0, 0.1, &mut rng);
        let rule = Rule::Langevin {
            temperature: 0.01,
            weight_decay: 0.001,
        };
        let mut opt = Optimizer::new(rule, 0.05, Schedule::Constant, mlp.n_params());
        let mut ws = Workspace::new(&mlp, 4);
        let mut g = vec![0.0; mlp.n_params()];
        let active = mlp.trainable_ranges(&[true, true]);
        for _ in 0..20 {
            let x = normals(12, &mut rng);
            let y = normals(4, &mut rng);
            mlp.loss_grad((0, &x), &y, 4, Loss::Mse, &[true, true], &mut g, &mut ws);
            opt.step(&mut mlp.params, &g, &active, &mut rng);
        }
        mlp.params
    };
    let a = run(11);
    assert_eq!(
        a.iter().map(|p| p.to_bits()).collect::<Vec<_>>(),
        run(11).iter().map(|p| p.to_bits()).collect::<Vec<_>>()
    );
    assert_ne!(a, run(12));
}
