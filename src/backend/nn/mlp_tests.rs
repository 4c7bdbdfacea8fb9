use super::*;
use crate::backend::rng::stream;
use crate::schema::Choice;

/// Standard normals, `n` of them.
fn normals(n: usize, rng: &mut Rng) -> Vec<f64> {
    (0..n)
        .map(|_| <StandardNormal as Distribution<f64>>::sample(&StandardNormal, rng))
        .collect()
}

/// Targets for `batch` rows of width `n`: normals for mse, one-hot rows (class b mod n) for
/// cross entropy.
fn targets(loss: Loss, batch: usize, n: usize, rng: &mut Rng) -> Vec<f64> {
    match loss {
        Loss::Mse => normals(batch * n, rng),
        Loss::CrossEntropy => (0..batch * n)
            .map(|k| if k % n == (k / n) % n { 1.0 } else { 0.0 })
            .collect(),
    }
}

/// The smallest |z| over all hidden pre-activations of the last forward pass (a ReLU kink is
/// within a finite-difference step only if this is tiny).
fn min_abs_pre(mlp: &Mlp, ws: &Workspace) -> f64 {
    (1..mlp.depth())
        .flat_map(|l| mlp.pre_activations(l, ws).iter().map(|z| z.abs()))
        .fold(f64::INFINITY, f64::min)
}

/// A random network [3, 4, 3, 2] (c_w = 1.5, c_b = 0.3) with inputs and targets for a batch
/// of 3, from the first seed whose hidden pre-activations all stay ≥ 1e-2 away from 0.
fn tiny_problem(act: Activation, bias: bool, loss: Loss) -> (Mlp, Vec<f64>, Vec<f64>) {
    for seed in 0.. {
        let mut rng = stream(seed, 0, "fd", 0);
        let mut mlp = Mlp::new(&[3, 4, 3, 2], act, bias).unwrap();
        mlp.init_gaussian(1.5, 0.3, &mut rng);
        let x = normals(9, &mut rng);
        let y = targets(loss, 3, 2, &mut rng);
        let mut ws = Workspace::new(&mlp, 3);
        mlp.forward(&x, 3, &mut ws);
        if min_abs_pre(&mlp, &ws) > 1e-2 {
            return (mlp, x, y);
        }
    }
    unreachable!()
}

/// Central differences (L(θ + h e_k) − L(θ − h e_k))/2h of the mean loss, h = 1e-5.
fn finite_differences(mlp: &Mlp, x: &[f64], y: &[f64], loss: Loss) -> Vec<f64> {
    let h = 1e-5;
    let mut ws = Workspace::new(mlp, 3);
    let mut m = mlp.clone();
    (0..mlp.n_params())
        .map(|k| {
            let p = mlp.params[k];
            m.params[k] = p + h;
            let up = m.loss(x, y, 3, loss, &mut ws);
            m.params[k] = p - h;
            let down = m.loss(x, y, 3, loss, &mut ws);
            m.params[k] = p;
            (up - down) / (2.0 * h)
        })
        .collect()
}

/// Backpropagation against central differences for every activation × loss × bias and four
/// trainable masks (all, only the middle layer — backprop through a frozen layer above —, only
/// the first, only the last): ‖g − g_fd‖_∞ ≤ 1e-6·‖g_fd‖_∞ over the trainable entries (the
/// difference error is ~h²·L‴ ≈ 1e-10), frozen entries exactly 0, and the returned value the
/// mean loss (to 1e-14 relative).
#[test]
fn gradients_match_central_differences() {
    let masks = [
        [true, true, true],
        [false, true, false],
        [true, false, false],
        [false, false, true],
    ];
    for &act in Activation::ALL {
        for &loss in Loss::ALL {
            for bias in [false, true] {
                let (mlp, x, y) = tiny_problem(act, bias, loss);
                let fd = finite_differences(&mlp, &x, &y, loss);
                let mut ws = Workspace::new(&mlp, 3);
                let mut g = vec![f64::NAN; mlp.n_params()];
                for mask in &masks {
                    let value = mlp.loss_grad((0, &x), &y, 3, loss, mask, &mut g, &mut ws);
                    let direct = mlp.loss(&x, &y, 3, loss, &mut ws);
                    assert!((value - direct).abs() <= 1e-14 * direct.abs());
                    let case = format!("{} {} bias={bias} {mask:?}", act.name(), loss.name());
                    check_masked(&mlp, mask, &g, &fd, &case);
                }
            }
        }
    }
}

/// The comparison of [`gradients_match_central_differences`].
fn check_masked(mlp: &Mlp, mask: &[bool], g: &[f64], fd: &[f64], case: &str) {
    let active = mlp.trainable_ranges(mask);
    let is_active = |k: usize| active.iter().any(|r| r.contains(&k));
    let scale = (0..g.len())
        .filter(|&k| is_active(k))
        .map(|k| fd[k].abs())
        .fold(0.0, f64::max);
    assert!(scale > 1e-3, "{case}: degenerate gradient");
    for k in 0..g.len() {
        if is_active(k) {
            let err = (g[k] - fd[k]).abs();
            assert!(
                err <= 1e-6 * scale,
                "{case}: entry {k}: {} vs {}",
                g[k],
                fd[k]
            );
        } else {
            assert_eq!(g[k], 0.0, "{case}: frozen entry {k}");
        }
    }
}

/// [2, 2, 1] tanh with bias, parameters written out: ŷ = v·tanh(Wx + b) + c, to 1e-15; the
/// features are tanh(Wx + b) and the parameter layout is W₀, b₀, W₁, b₁.
#[test]
fn forward_matches_a_hand_computation() {
    let mut mlp = Mlp::new(&[2, 2, 1], Activation::Tanh, true).unwrap();
    // W₀ = [[0.5, -1], [2, 0.25]], b₀ = (0.1, -0.2), W₁ = [[1.5, -0.5]], b₁ = 0.3.
    mlp.params = vec![0.5, -1.0, 2.0, 0.25, 0.1, -0.2, 1.5, -0.5, 0.3];
    assert_eq!(mlp.n_params(), 9);
    let x = [1.0, 2.0, -1.0, 0.5];
    let mut ws = Workspace::new(&mlp, 2);
    let yhat = mlp.forward(&x, 2, &mut ws).to_vec();
    for (r, xr) in x.chunks(2).enumerate() {
        let h0 = (0.5 * xr[0] - 1.0 * xr[1] + 0.1).tanh();
        let h1 = (2.0 * xr[0] + 0.25 * xr[1] - 0.2).tanh();
        assert!((yhat[r] - (1.5 * h0 - 0.5 * h1 + 0.3)).abs() < 1e-15);
        assert!((mlp.features(&ws)[2 * r] - h0).abs() < 1e-15);
        assert!((mlp.features(&ws)[2 * r + 1] - h1).abs() < 1e-15);
    }
}

/// The chunked loss over 600 rows (three chunks of ≤ 256) equals the one-batch mean, to 1e-12
/// relative; a workspace warmed at batch 600 keeps its buffers (same addresses) through later
/// steps of batch 4: no allocation per step.
#[test]
fn chunked_loss_and_no_allocation_once_warm() {
    let mut rng = stream(3, 0, "chunk", 0);
    let mut mlp = Mlp::new(&[3, 32, 16, 1], Activation::Tanh, true).unwrap();
    mlp.init_gaussian(1.0, 0.1, &mut rng);
    let (x, y) = (normals(1800, &mut rng), normals(600, &mut rng));
    let mut ws = Workspace::new(&mlp, 4);
    let chunked = mlp.loss(&x, &y, 600, Loss::Mse, &mut ws);
    let mut g = vec![0.0; mlp.n_params()];
    let all = [true; 3];
    let whole = mlp.loss_grad((0, &x), &y, 600, Loss::Mse, &all, &mut g, &mut ws);
    assert!((chunked - whole).abs() <= 1e-12 * whole);
    let ptrs = |ws: &Workspace| [ws.acts.as_ptr(), ws.pre.as_ptr(), ws.delta.as_ptr()];
    let before = ptrs(&ws);
    for s in 0..10 {
        let b = &x[12 * s..12 * s + 12];
        mlp.loss_grad(
            (0, b),
            &y[4 * s..4 * s + 4],
            4,
            Loss::Mse,
            &all,
            &mut g,
            &mut ws,
        );
    }
    let after = ptrs(&ws);
    assert_eq!(before, after);
}

/// Widths are checked (at least two, none 0; errors name `widths`), layers lie back to back
/// (W then b), adjacent trainable layers merge into one range, and data shapes are checked.
#[test]
fn construction_layout_and_shape_checks() {
    assert_eq!(
        Mlp::new(&[3], Activation::Tanh, true).unwrap_err().field(),
        Some("widths")
    );
    assert!(Mlp::new(&[3, 0, 1], Activation::Tanh, true).is_err());
    let mlp = Mlp::new(&[3, 32, 16, 1], Activation::Relu, true).unwrap();
    assert_eq!(mlp.n_params(), 3 * 32 + 32 + 32 * 16 + 16 + 16 + 1);
    assert_eq!(mlp.layers[1].w, 128..640);
    assert_eq!(mlp.layers[1].b, Some(640..656));
    assert_eq!(mlp.trainable_ranges(&[true, true, false]), vec![0..656]);
    assert_eq!(
        mlp.trainable_ranges(&[true, false, true]),
        vec![0..128, 656..673]
    );
    let lin = Mlp::new(&[4, 3, 2], Activation::Linear, false).unwrap();
    assert_eq!(lin.layers[1].w, 12..18);
    assert_eq!(lin.layers[1].b, None);
    assert!(mlp.check_data(12, 4, 4, Some(&[true; 3])).is_ok());
    assert!(mlp.check_data(12, 4, 4, Some(&[true; 2])).is_err());
    assert!(mlp.check_data(11, 4, 4, None).is_err());
    assert!(mlp.check_data(12, 5, 4, None).is_err());
    assert!(mlp.check_data(0, 0, 0, None).is_err());
}

/// With layer 0 frozen (002 trains only layer 1), starting the passes from the cached
/// activations a_1 gives bit for bit the loss and the gradient of the full passes, for a batch
/// of rows taken from the cache, and the whole-set loss too.
#[test]
fn frozen_prefix_from_cached_activations_is_bitwise_the_full_pass() {
    let mut rng = stream(4, 0, "frozen", 0);
    let mut mlp = Mlp::new(&[3, 32, 16, 1], Activation::Tanh, true).unwrap();
    mlp.init_gaussian(1.0, 0.1, &mut rng);
    let (x, y) = (normals(300 * 3, &mut rng), normals(300, &mut rng));
    let mut ws = Workspace::new(&mlp, 4);
    let a1 = mlp.activations(1, &x, 300, &mut ws);
    assert_eq!(a1.len(), 300 * 32);
    let trainable = [false, true, false];
    let (mut full, mut cached) = (vec![0.0; mlp.n_params()], vec![0.0; mlp.n_params()]);
    let rows = 7..11;
    let xb = &x[rows.start * 3..rows.end * 3];
    let ab = &a1[rows.start * 32..rows.end * 32];
    let yb = &y[rows.clone()];
    let l_full = mlp.loss_grad((0, xb), yb, 4, Loss::Mse, &trainable, &mut full, &mut ws);
    let l_cached = mlp.loss_grad((1, ab), yb, 4, Loss::Mse, &trainable, &mut cached, &mut ws);
    assert_eq!(l_full.to_bits(), l_cached.to_bits());
    assert_eq!(full, cached);
    assert!(full.iter().any(|&g| g != 0.0));
    let whole = mlp.loss(&x, &y, 300, Loss::Mse, &mut ws);
    let from_cache = mlp.loss_from((1, &a1), &y, 300, Loss::Mse, &mut ws);
    assert_eq!(whole.to_bits(), from_cache.to_bits());
}
