"""numpy reference for bench/coulomb_gas.wmd: the same harmonic Coulomb gas, vectorised over
runs the way a researcher writes it today (plain Euler–Maruyama of
dx_i = [-x_i + g² Σ_{j≠i} 1/(x_i − x_j)] dt + √2 g dW_i, all runs as one (runs, N) array).
Prints JSON: wall time and the final ⟨x²⟩ per eigenvalue."""
import json
import sys
import time

import numpy as np


def main():
    args = [float(a) for a in sys.argv[1:]]
    n, runs, steps, dt = (args + [50, 200, 20000, 1e-4][len(args):])[:4]
    n, runs, steps = int(n), int(runs), int(steps)
    rng = np.random.default_rng(0)
    x = np.tile(np.linspace(-3.0, 3.0, n), (runs, 1))
    eye = np.eye(n, dtype=bool)
    noise = np.sqrt(2.0 * dt)
    start = time.perf_counter()
    for _ in range(steps):
        d = x[:, :, None] - x[:, None, :]
        d[:, eye] = np.inf
        force = -x + (1.0 / d).sum(axis=2)
        x = x + force * dt + noise * rng.standard_normal((runs, n))
    elapsed = time.perf_counter() - start
    print(json.dumps({"seconds": round(elapsed, 3), "m2": float((x ** 2).mean()), "numpy": np.__version__}))


if __name__ == "__main__":
    main()
