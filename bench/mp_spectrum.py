"""numpy reference for bench/mp_spectrum.rs: the same workload, vectorised the way a
researcher writes it today. For each draw: W = N(0, 1/M) samples, X = W.T @ W (numpy calls
syrk for this product), eigvalsh(X). Prints JSON: best-of-repeats wall time and mean
eigenvalue. numpy's OpenBLAS uses all cores (OPENBLAS_NUM_THREADS unset)."""
import json
import sys
import time

import numpy as np


def main():
    args = [int(a) for a in sys.argv[1:]]
    m, n, draws, repeats = (args + [2000, 1000, 20, 3][len(args):])[:4]
    rng = np.random.default_rng(0)
    best, mean = float("inf"), 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        eigs = []
        for _ in range(draws):
            w = rng.standard_normal((m, n)) / np.sqrt(m)
            eigs.append(np.linalg.eigvalsh(w.T @ w))
        elapsed = time.perf_counter() - start
        if elapsed < best:
            best, mean = elapsed, float(np.concatenate(eigs).mean())
    blas = "unknown"
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg["Build Dependencies"]["blas"]["name"]
    except Exception:
        pass
    print(json.dumps({"seconds": round(best, 4), "mean_eig": round(mean, 6), "blas": blas, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
