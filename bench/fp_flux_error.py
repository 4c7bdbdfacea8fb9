#!/usr/bin/env python3
"""Why wmd's 2D OU L1 sits ~20 % above fplanck's at 256² (bench/README.md, Fokker–Planck).

Both solvers are conservative finite volumes whose flux between cells i, i+1 is
J = (G/h)[f(−Pe) P_i − f(Pe) P_{i+1}], Pe = K h / G at the face, and both are exact for
the stationary density of a gradient drift. They differ in f:
  Scharfetter–Gummel (wmd):  f(z) = z / (e^z − 1)   = e^{−z/2} (1 − z²/24 + …)
  SQRA (fplanck):            f(z) = e^{−z/2}
i.e. SG adds a numerical diffusion K²h²/(12G), SQRA K²h²/(8G). This script evolves each 1D
factor of the benchmark's OU process (θ = 1 from mean 1, θ = 2 from mean −0.5; G = 0.5,
sd 0.3, 256 cells on [−5, 5], t = 2) with the exact exponential of each generator (no time
error) and prints the L1 distance to the exact Gaussian, plus the generator's slowest
relaxation rates against the exact θ, 2θ. Usage: bench/.venv/bin/python bench/fp_flux_error.py
"""

import numpy as np
from scipy.linalg import expm

FLUXES = {
    "SG (wmd)": lambda z: z / np.expm1(z) if z != 0 else 1.0,
    "SQRA (fplanck)": lambda z: np.exp(-z / 2),
}


def generator(n, theta, g, f, a=-5.0, b=5.0):
    h = (b - a) / n
    x = a + h * (np.arange(n) + 0.5)
    A = np.zeros((n, n))
    for k in range(n - 1):
        pe = -theta * (a + h * (k + 1)) * h / g
        left, right = g / h * f(-pe), g / h * f(pe)
        A[k, k] -= left / h
        A[k, k + 1] += right / h
        A[k + 1, k] += left / h
        A[k + 1, k + 1] -= right / h
    return x, h, A


def exact(x, t, theta, g, m0, s0):
    m = m0 * np.exp(-theta * t)
    v = g / theta + (s0 ** 2 - g / theta) * np.exp(-2 * theta * t)
    return np.exp(-(x - m) ** 2 / (2 * v)) / np.sqrt(2 * np.pi * v)


def main():
    g, s0, t = 0.5, 0.3, 2.0
    print(f"{'factor':14}{'cells':>6}  " + "".join(f"{k:>16}" for k in FLUXES)
          + "   (L1 at t = 2)")
    for theta, m0 in ((1.0, 1.0), (2.0, -0.5)):
        for n in (128, 256, 512):
            row = []
            for f in FLUXES.values():
                x, h, A = generator(n, theta, g, f)
                p0 = np.exp(-(x - m0) ** 2 / (2 * s0 ** 2))
                p0 /= p0.sum() * h
                p = expm(t * A) @ p0
                row.append(np.abs(p - exact(x, t, theta, g, m0, s0)).sum() * h)
            print(f"theta = {theta:g}{'':5}{n:>6}  " + "".join(f"{e:>16.3e}" for e in row))
    print("slowest rates at 256 cells, theta = 1 (exact 1, 2):")
    for name, f in FLUXES.items():
        _, _, A = generator(256, 1.0, g, f)
        ev = np.sort(-np.linalg.eigvals(A).real)[1:3]
        print(f"  {name:16} {ev[0]:.6f} {ev[1]:.6f}")


if __name__ == "__main__":
    main()
