use super::*;
use crate::backend::datasets::{gaussian_samples, lattice_operator, lattice_spectrum, spd_inverse};
use crate::backend::linalg::singular_values;
use crate::backend::rng::stream;
use faer::linalg::solvers::DenseSolveCore;

/// The free-field kernel K = −Δ + m² of n sites, row-major.
fn free_field_kernel(n: usize, m2: f64) -> Vec<f64> {
    let k = lattice_operator(n, m2);
    (0..n * n).map(|e| k[(e / n, e % n)]).collect()
}

fn normals(n: usize, sd: f64, rng: &mut Rng) -> Vec<f64> {
    (0..n)
        .map(|_| sd * <StandardNormal as Distribution<f64>>::sample(&StandardNormal, rng))
        .collect()
}

/// K⁻¹ of a positive-definite n × n row-major matrix.
fn inverse(k: &[f64], n: usize) -> Vec<f64> {
    let m = Mat::from_fn(n, n, |i, j| k[i * n + j]);
    let inv = m.llt(Side::Lower).unwrap().inverse();
    (0..n * n).map(|x| inv[(x / n, x % n)]).collect()
}

/// A 4 × 3 RBM (μ² = 4, σ_h = 0.8) with W ~ N(0, 0.5²) and η = (0.3, −0.5, 0.2).
fn small_rbm(rng: &mut Rng) -> GaussianRbm {
    let mut rbm = GaussianRbm::new(4, 3, 4.0, 0.8).unwrap();
    rbm.w = normals(12, 0.5, rng);
    rbm.eta = vec![0.3, -0.5, 0.2];
    rbm
}

/// Sample mean and uncentred second moment of the rows of `xs` (n columns).
fn moments(xs: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    let rows = xs.len() / n;
    let (mut mean, mut second) = (vec![0.0; n], vec![0.0; n * n]);
    for x in xs.chunks_exact(n) {
        for i in 0..n {
            mean[i] += x[i] / rows as f64;
            for j in 0..n {
                second[i * n + j] += x[i] * x[j] / rows as f64;
            }
        }
    }
    (mean, second)
}

/// Block Gibbs samples the exact marginal N(K⁻¹J, K⁻¹), J = Wη: 20000 chains from φ = 0
/// after 40 sweeps (the slowest mode decorrelates by σ_h²ξ²/μ² < 0.6 per sweep, 0.6⁴⁰ ≈ 1e-9).
/// Each covariance entry is within 5 standard errors √((C_ii C_jj + C_ij²)/N) of K⁻¹ (about
/// 1 % of the diagonal), each mean entry within 5·√(C_ii/N).
#[test]
fn gibbs_samples_the_exact_marginal() {
    let mut rng = stream(1, 0, "gibbs", 0);
    let rbm = small_rbm(&mut rng);
    let k = rbm.kernel();
    let c = inverse(&k, 4);
    let j: Vec<f64> = (0..4)
        .map(|i| dot(&rbm.w[i * 3..i * 3 + 3], &rbm.eta))
        .collect();
    let mean: Vec<f64> = (0..4).map(|i| dot(&c[i * 4..i * 4 + 4], &j)).collect();
    let n = 20000;
    let mut chains = vec![0.0; n * 4];
    rbm.gibbs(&mut chains, n, 40, &mut rng, &mut RbmWorkspace::new(&rbm));
    let (m, second) = moments(&chains, 4);
    for i in 0..4 {
        let se = (c[i * 4 + i] / n as f64).sqrt();
        assert!(
            (m[i] - mean[i]).abs() < 5.0 * se,
            "mean {i}: {} vs {}",
            m[i],
            mean[i]
        );
        for jj in 0..4 {
            let cov = second[i * 4 + jj] - m[i] * m[jj];
            let exact = c[i * 4 + jj];
            let se = ((c[i * 4 + i] * c[jj * 4 + jj] + exact * exact) / n as f64).sqrt();
            assert!(
                (cov - exact).abs() < 5.0 * se,
                "cov {i}{jj}: {cov} vs {exact}"
            );
        }
    }
}

/// The estimate is the moment formula σ_h²(C_data − C_model)W + (φ̄_data − φ̄_model)ηᵀ for any
/// two sets of rows (5 data rows, 7 chains), to 1e-13.
#[test]
fn pcd_gradient_is_the_moment_formula() {
    let mut rng = stream(2, 0, "pcd", 0);
    let rbm = small_rbm(&mut rng);
    let (data, chains) = (normals(20, 1.0, &mut rng), normals(28, 1.0, &mut rng));
    let mut g = vec![f64::NAN; 12];
    rbm.pcd_gradient(&data, 5, &chains, 7, &mut g, &mut RbmWorkspace::default());
    let ((md, cd), (mm, cm)) = (moments(&data, 4), moments(&chains, 4));
    let s2 = 0.64;
    for i in 0..4 {
        for a in 0..3 {
            let cw: f64 = (0..4)
                .map(|j| (cd[i * 4 + j] - cm[i * 4 + j]) * rbm.w[j * 3 + a])
                .sum();
            let expect = s2 * cw + (md[i] - mm[i]) * rbm.eta[a];
            assert!(
                (g[i * 3 + a] - expect).abs() < 1e-13,
                "{i}{a}: {} vs {expect}",
                g[i * 3 + a]
            );
        }
    }
}

/// With data drawn exactly from the model's marginal (N(K⁻¹J, K⁻¹) by Cholesky) and chains
/// equilibrated by Gibbs, 20000 rows each, every gradient entry is within 5 standard errors of
/// 0 (the standard error from the per-row spread of φ_i E[h_a|φ], √2 for the two sets); data
/// with a covariance 1.2² times larger give an entry beyond 10 standard errors.
#[test]
fn pcd_gradient_vanishes_when_the_data_are_the_model() {
    let mut rng = stream(3, 0, "pcd0", 0);
    let rbm = small_rbm(&mut rng);
    let k = rbm.kernel();
    let c = inverse(&k, 4);
    let j: Vec<f64> = (0..4)
        .map(|i| dot(&rbm.w[i * 3..i * 3 + 3], &rbm.eta))
        .collect();
    let n = 20000;
    let mean: Vec<f64> = (0..4).map(|i| dot(&c[i * 4..i * 4 + 4], &j)).collect();
    let cov = Mat::from_fn(4, 4, |i, j| c[i * 4 + j]);
    let data = gaussian_samples(&cov, &mean, n, &mut rng).unwrap();
    let mut chains = vec![0.0; n * 4];
    let mut ws = RbmWorkspace::new(&rbm);
    rbm.gibbs(&mut chains, n, 40, &mut rng, &mut ws);
    let se = gradient_standard_errors(&rbm, &data);
    let mut g = vec![0.0; 12];
    rbm.pcd_gradient(&data, n, &chains, n, &mut g, &mut ws);
    for e in 0..12 {
        assert!(
            g[e].abs() < 5.0 * se[e],
            "entry {e}: {} (se {})",
            g[e],
            se[e]
        );
    }
    let wide: Vec<f64> = data
        .iter()
        .zip(mean.iter().cycle())
        .map(|(x, m)| m + 1.2 * (x - m))
        .collect();
    rbm.pcd_gradient(&wide, n, &chains, n, &mut g, &mut ws);
    assert!(
        (0..12).any(|e| g[e].abs() > 10.0 * se[e]),
        "the test cannot tell 1.2× wider data"
    );
}

/// √2·sd(φ_i E[h_a|φ])/√N over the rows of `data`.
fn gradient_standard_errors(rbm: &GaussianRbm, data: &[f64]) -> Vec<f64> {
    let n = data.len() / 4;
    let (mut s1, mut s2) = (vec![0.0; 12], vec![0.0; 12]);
    let s2h = rbm.sigma_h * rbm.sigma_h;
    for phi in data.chunks_exact(4) {
        // E[h_a | φ] = η_a + σ_h² Σ_i W_ia φ_i
        let h: Vec<f64> = (0..3)
            .map(|a| rbm.eta[a] + s2h * (0..4).map(|i| rbm.w[i * 3 + a] * phi[i]).sum::<f64>())
            .collect();
        for i in 0..4 {
            for a in 0..3 {
                let t = phi[i] * h[a];
                s1[i * 3 + a] += t / n as f64;
                s2[i * 3 + a] += t * t / n as f64;
            }
        }
    }
    (0..12)
        .map(|e| (2.0 * (s2[e] - s1[e] * s1[e]) / n as f64).sqrt())
        .collect()
}

/// A 2 × 1 RBM, μ² = 3, σ_h = 0.5, W = (1, 2)ᵀ: K = [[3 − 0.25, −0.5], [−0.5, 3 − 1]], and
/// with C = [[1, 0.2], [0.2, 0.5]] the nll is ½ tr(KC) − ½ log det K + log 2π to 1e-14;
/// W = (4, 0)ᵀ (σ_h²ξ² = 4 > 3) is not normalisable (Numerical), η ≠ 0 is refused.
#[test]
fn nll_of_a_two_by_two_case() {
    let mut rbm = GaussianRbm::new(2, 1, 3.0, 0.5).unwrap();
    rbm.w = vec![1.0, 2.0];
    let (k00, k01, k11) = (2.75, -0.5, 2.0);
    assert_eq!(rbm.kernel(), vec![k00, k01, k01, k11]);
    let c = [1.0, 0.2, 0.2, 0.5];
    let trace = k00 * 1.0 + 2.0 * k01 * 0.2 + k11 * 0.5;
    let det = k00 * k11 - k01 * k01;
    let expect = 0.5 * trace - 0.5 * det.ln() + (2.0 * std::f64::consts::PI).ln();
    assert!((rbm.nll(&c).unwrap() - expect).abs() < 1e-14);
    rbm.w = vec![4.0, 0.0];
    assert!(matches!(rbm.nll(&c), Err(BackendError::Numerical(_))));
    rbm.w = vec![1.0, 2.0];
    rbm.eta = vec![0.1];
    assert!(rbm.nll(&c).is_err());
    assert!(rbm.nll(&[1.0]).is_err());
    assert_eq!(
        GaussianRbm::new(2, 1, 0.0, 1.0).unwrap_err().field(),
        Some("mu2")
    );
    assert_eq!(
        GaussianRbm::new(2, 1, 1.0, -1.0).unwrap_err().field(),
        Some("sigma_h")
    );
}

/// The RBM of the PCD experiment after `steps` updates W ← W + α·dlogL/dW: n = 10 visible and
/// hidden, μ² = 9, σ_h = 1, W₀ ~ N(0, 0.1²), 64 persistent chains (from N(0, 1/μ²)), 3 Gibbs
/// sweeps per update, a fresh batch of 64 exact samples of the free field K = −Δ + 4 per update.
/// `observe(step, rbm)` is called every `every` steps (never when 0).
fn pcd_train(
    alpha: f64,
    steps: usize,
    seed: u64,
    every: usize,
    mut observe: impl FnMut(usize, &GaussianRbm),
) -> GaussianRbm {
    let (n, batch) = (10, 64);
    let mut rng = stream(seed, 0, "pcd-train", 0);
    let mut rbm = GaussianRbm::new(n, n, 9.0, 1.0).unwrap();
    rbm.w = normals(n * n, 0.1, &mut rng);
    let (cov, zero) = (
        spd_inverse(&lattice_operator(n, 4.0)).unwrap(),
        vec![0.0; n],
    );
    let mut chains = normals(batch * n, 1.0 / 3.0, &mut rng);
    let mut g = vec![0.0; n * n];
    let mut ws = RbmWorkspace::new(&rbm);
    for step in 0..steps {
        let data = gaussian_samples(&cov, &zero, batch, &mut rng).unwrap();
        rbm.gibbs(&mut chains, batch, 3, &mut rng, &mut ws);
        rbm.pcd_gradient(&data, batch, &chains, batch, &mut g, &mut ws);
        axpy(alpha, &g, &mut rbm.w);
        if every > 0 && (step + 1) % every == 0 {
            observe(step + 1, &rbm);
        }
    }
    rbm
}

/// Ascending eigenvalues of WᵀW (squared singular values of W).
fn wtw_spectrum(rbm: &GaussianRbm) -> Vec<f64> {
    let mut x: Vec<f64> = singular_values(rbm.weights())
        .unwrap()
        .iter()
        .map(|s| s * s)
        .collect();
    x.sort_by(f64::total_cmp);
    x
}

/// The fixed points x_s = μ² − κ_k (σ_h = 1), ascending.
fn target_spectrum() -> Vec<f64> {
    let mut x: Vec<f64> = lattice_spectrum(10, 4.0).iter().map(|k| 9.0 - k).collect();
    x.sort_by(f64::total_cmp);
    x
}

/// KL(target ‖ model) = nll_model(C_t) − nll_target(C_t) for data of covariance
/// C_t = K_t⁻¹ (the free field): ½ tr(K C_t) − ½ log det K − n/2 + ½ log det K_t ≥ 0.
fn kl_from_target(rbm: &GaussianRbm) -> f64 {
    let kt = free_field_kernel(10, 4.0);
    let ct = inverse(&kt, 10);
    let log_det_t: f64 = lattice_spectrum(10, 4.0).iter().map(|k| k.ln()).sum();
    let nll_t = 5.0 - 0.5 * log_det_t + 5.0 * (2.0 * std::f64::consts::PI).ln();
    rbm.nll(&ct).unwrap() - nll_t
}

/// PCD on the 1D free field (n = 10, m² = 4, μ² = 9, σ_h = 1, batch = chains = 64, 3 sweeps),
/// short: α = 0.1 for 3000 updates, the sorted spectrum of WᵀW averaged over updates
/// 2050, 2100, …, 3000. The drift of document 001, dx/dt = 2α(1/κ − 1/(μ² − x))x, relaxes
/// mode k at rate 2αx_s/κ², i.e. within ≤ 92 updates for the nine modes with x_s ≥ 1.38 but
/// only ~320 for x_s = 1 (κ = 8), whose growth from a tiny start at rate 2α(1/κ − 1/μ²) = α/36
/// can take ~3000 updates: so the nine largest are required within 0.35 of x_s = μ² − κ_k, the
/// smallest only not to overshoot (< 1.35). 0.35: at α/|B| = 0.1/64 the measured stationary
/// spread of each eigenvalue is 0.07–0.17 and level repulsion pushes the lower member of each
/// degenerate pair down by up to ≈ 0.2 (the worst of six seeds was 0.29). KL(target ‖ model)
/// falls from 0.78 (W = 0) below 0.03 (0.008 with this seed).
#[test]
fn pcd_training_moves_the_spectrum_to_the_free_field() {
    let target = target_spectrum();
    let (mut sum, mut count) = (vec![0.0; 10], 0.0);
    let rbm = pcd_train(0.1, 3000, 20, 50, |step, rbm| {
        if step > 2000 {
            sum.iter_mut()
                .zip(wtw_spectrum(rbm))
                .for_each(|(s, x)| *s += x);
            count += 1.0;
        }
    });
    let x: Vec<f64> = sum.iter().map(|s| s / count).collect();
    for i in 1..10 {
        assert!(
            (x[i] - target[i]).abs() < 0.35,
            "eigenvalue {i}: {x:?} vs {target:?}"
        );
    }
    assert!(x[0] < target[0] + 0.35, "smallest overshoots: {x:?}");
    let kl0 = kl_from_target(&GaussianRbm::new(10, 10, 9.0, 1.0).unwrap());
    assert!((kl0 - 0.78).abs() < 0.01, "KL at W = 0: {kl0}");
    let kl = kl_from_target(&rbm);
    assert!(kl < 0.03, "KL after training: {kl}");
}

/// The long run: α = 0.05 for 12000 updates (≈ 1.7 s in the dev profile), the sorted spectrum
/// averaged over updates 8100, 8200, …, 12000: every eigenvalue, the slowest mode's too,
/// within 0.25 of x_s = μ² − κ_k (over six seeds the worst was 0.16: a repulsion bias up to
/// ≈ 0.13 plus the average's noise ≈ 0.1/√6).
#[test]
#[ignore = "long (≈ 1.7 s): PCD converges on every mode; the short test checks the fast ones"]
fn pcd_training_learns_the_free_field_spectrum() {
    let target = target_spectrum();
    let (mut sum, mut count) = (vec![0.0; 10], 0.0);
    pcd_train(0.05, 12000, 21, 100, |step, rbm| {
        if step > 8000 {
            sum.iter_mut()
                .zip(wtw_spectrum(rbm))
                .for_each(|(s, x)| *s += x);
            count += 1.0;
        }
    });
    let x: Vec<f64> = sum.iter().map(|s| s / count).collect();
    for i in 0..10 {
        assert!(
            (x[i] - target[i]).abs() < 0.25,
            "eigenvalue {i}: {x:?} vs {target:?}"
        );
    }
}
