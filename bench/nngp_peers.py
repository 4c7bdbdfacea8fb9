"""Peers of the NNGP benchmark of issue 13 (bench/nngp.sh): the depth-10 NNGP kernels of
bench/nngp.wmd by neural-tangents' stax (JAX on the CPU, float64) and the GP posterior by
scikit-learn's GaussianProcessRegressor on a precomputed Gram matrix. Reads the inputs (x, t, y)
and wmd's results from the .npy files bench/nngp.sh wrote, times each peer warm (JAX compiled
by one untimed call; the best of `repeats` timed calls) and prints one JSON line per workload
with its time and the maximum |wmd − peer|.

Mapping to stax (checked against the closed forms on a small case by bench/nngp.sh's first
workload): wmd's weights N(0, c_w/fan_in) and biases N(0, c_b) are
Dense(W_std = √c_w, b_std = √c_b) in the default 'ntk' parameterization (whose NNGP kernel is
W_std² x·x′/n₀ + b_std², independent of the width); depth L is L − 1 (Dense, σ) pairs and a last
Dense; relu = stax.Relu(), erf = stax.Erf() (a·erf(b·x) + c with a = b = 1, c = 0),
tanh = stax.ElementwiseNumerical(jnp.tanh, deg = order) (a deg² Gauss–Hermite rule on the same
Cholesky parameterisation as wmd's: u = √K_aa g₁, v = (K_ab/√K_aa) g₁ + √(K_bb − K_ab²/K_aa) g₂).

scikit-learn has no precomputed kernel class for regression: `Precomputed` below is a Kernel
whose inputs are row indices into the joint Gram matrix (training rows then test rows), so
GaussianProcessRegressor(optimizer=None, alpha=noise) runs its own algorithm (Cholesky of
K + αI by scipy, cho_solve, solve_triangular for the variance) on exactly wmd's matrix.

Usage: nngp_peers.py DIR threads repeats"""
import json
import os
import sys
import time
import warnings

import numpy as np


def best_of(repeats, f):
    """f() once untimed (compilation), then the best of `repeats` timed calls; the last result."""
    out = f()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - start)
    return best, out


def stax_kernel(activation, depth, c_w, c_b, order):
    """The jitted NNGP kernel function of the stax network of wmd's nngp(...)."""
    import jax
    import jax.numpy as jnp
    from neural_tangents import stax

    act = {"relu": stax.Relu, "erf": stax.Erf,
           "tanh": lambda: stax.ElementwiseNumerical(jnp.tanh, deg=order)}[activation]()
    dense = lambda width: stax.Dense(width, W_std=np.sqrt(c_w), b_std=np.sqrt(c_b))
    layers = [layer for _ in range(depth - 1) for layer in (dense(512), act)]
    _, _, kernel_fn = stax.serial(*layers, dense(1))
    kernel_fn = jax.jit(kernel_fn, static_argnames="get")
    if activation == "tanh":
        # the quadrature holds (deg, deg, P, P) arrays (3.2 GB at deg = 10, P = 2000): 500 × 500 blocks
        import neural_tangents as nt
        kernel_fn = nt.batch(kernel_fn, batch_size=BLOCK, device_count=0, store_on_device=False)
    return lambda x: np.asarray(kernel_fn(x, None, get="nngp"))


BLOCK = 500


def nt_workload(d, name, activation, setup, repeats):
    """stax's kernel of `name`'s inputs against wmd's. For tanh stax's rule is not symmetric in
    (α, β) (its Cholesky root is always that of the row's input), so only the entries α ≤ β,
    wmd's orientation, are the same formula; the asymmetry of stax's matrix is reported."""
    x = np.load(f"{d}/{'xt' if name == 'joint' else 'x'}.npy")
    wmd = np.load(f"{d}/{name}.npy")
    try:
        kernel = stax_kernel(activation, setup["depth"], setup["c_w"], setup["c_b"], setup["order"])
        seconds, k = best_of(repeats, lambda: kernel(x))
    except Exception as e:  # a peer that cannot run is reported, not fatal
        return {"workload": name, "peer": "neural-tangents", "error": f"{type(e).__name__}: {e}"}
    upper = np.triu_indices(len(x))
    return {"workload": name, "peer": "neural-tangents", "seconds": seconds,
            "max_abs_diff": float(np.max(np.abs(k[upper] - wmd[upper]))),
            "asymmetry": float(np.max(np.abs(k - k.T))), "max_abs": float(np.max(np.abs(wmd)))}


def precomputed_kernel_class():
    from sklearn.gaussian_process.kernels import Kernel

    class Precomputed(Kernel):
        """K(i, j) = G[i, j] for row indices i, j of a precomputed Gram matrix G."""

        def __init__(self, gram):
            self.gram = gram

        def __call__(self, X, Y=None, eval_gradient=False):
            i = X[:, 0].astype(int)
            j = i if Y is None else Y[:, 0].astype(int)
            k = self.gram[np.ix_(i, j)]
            return (k, np.empty((len(i), len(i), 0))) if eval_gradient else k

        def diag(self, X):
            return self.gram[X[:, 0].astype(int), X[:, 0].astype(int)]

        def is_stationary(self):
            return False

    return Precomputed


def sklearn_workload(d, setup, repeats):
    """sklearn's GPR on wmd's joint Gram matrix (P + Q rows: training, then test)."""
    from sklearn.gaussian_process import GaussianProcessRegressor

    joint, y = np.load(f"{d}/joint.npy"), np.load(f"{d}/y.npy")
    p = len(y)
    train, test = np.arange(p)[:, None], np.arange(p, joint.shape[0])[:, None]
    kernel = precomputed_kernel_class()(joint)

    def fit_predict():
        gpr = GaussianProcessRegressor(kernel=kernel, alpha=setup["noise"], optimizer=None)
        gpr.fit(train, y)
        mean, std = gpr.predict(test, return_std=True)
        return mean, std ** 2, gpr.log_marginal_likelihood_value_

    seconds, (mean, var, lml) = best_of(repeats, fit_predict)
    wmd_mean, wmd_var = np.load(f"{d}/gp_mean.npy"), np.load(f"{d}/gp_variance.npy")
    return {"workload": "gp", "peer": "scikit-learn", "seconds": seconds,
            "max_abs_diff_mean": float(np.max(np.abs(mean - wmd_mean))),
            "max_abs_diff_variance": float(np.max(np.abs(var - wmd_var))),
            "lml": float(lml), "max_abs_mean": float(np.max(np.abs(wmd_mean)))}


def versions():
    out = {}
    for name in ("numpy", "scipy", "sklearn", "jax", "neural_tangents"):
        try:
            out[name] = __import__(name).__version__
        except Exception as e:
            out[name] = f"not importable: {type(e).__name__}: {e}"
    return out


def main():
    d, threads, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    setup = json.load(open(f"{d}/setup.json"))
    warnings.filterwarnings("ignore")
    print(json.dumps({"versions": versions(), "threads": threads, "cpus": os.cpu_count()}), flush=True)
    try:
        import jax
        jax.config.update("jax_enable_x64", True)
    except Exception:  # the stax rows then say why
        pass
    for activation in setup["activations"]:
        print(json.dumps(nt_workload(d, activation, activation, setup, repeats)), flush=True)
    print(json.dumps(nt_workload(d, "joint", "relu", setup, repeats)), flush=True)
    print(json.dumps(sklearn_workload(d, setup, repeats)), flush=True)


if __name__ == "__main__":
    main()
