#!/usr/bin/env python3
"""Peer side of wmd's Fokker-Planck benchmark (issue 4): py-pde and fplanck.

Two workloads, both in the form  dP/dt = div( D grad P - K P ),  i.e. dX = K dt + sqrt(2D) dW,
with zero-flux (reflecting) walls:

  rbm : 1D, K(x) = (1/kappa - 1/(mu2 - x)) * x, kappa = 4.38, mu2 = 9, x in (0, mu2),
        D = g2 = 0.01, 1000 cells, P0 = normal(0.5, 0.1) renormalised on the grid, t = 50.
  ou  : 2D Ornstein-Uhlenbeck, K = (-theta_x x, -theta_y y), theta = (1, 2), D = 0.5,
        box [-5, 5]^2, 256 x 256 cells, P0 = Gaussian centred (1, -0.5), sd 0.3, t = 2.

Each (peer, workload) runs in its own subprocess (timeout, default 600 s) and prints one JSON
line: seconds (warm run), seconds_first (first run, incl. numba JIT / matrix build), l1 (vs the
reference density, see bench/fp_reference.md), mass at the end, grid, method, notes.
A peer that fails or times out prints a JSON line with "error".

    bench/.venv/bin/python bench/fp_peers.py                       # everything, full size
    bench/.venv/bin/python bench/fp_peers.py --scale 0.25          # quick check: 250 cells, 64^2
    bench/.venv/bin/python bench/fp_peers.py --workload rbm --peer fplanck
    bench/.venv/bin/python bench/fp_peers.py --workload reference  # reference diagnostics only
        [--dump bench/fp_rbm_reference_1000.txt]                    # + the RBM reference density

L1 error (both workloads):  sum_cells |P_i - Pref_i| * cell_volume, with P a density (integral
1) on the cell centres. For fplanck (which evolves cell probabilities p_i, sum 1) P_i = p_i / vol.

Is t = 50 long enough for the RBM workload to be stationary?  Linear relaxation rate at the mode
x* = mu2 - kappa = 4.62 is Omega = -K'(x*) = mu2/(mu2-x*)^2 - 1/kappa = x*/kappa^2 = 0.241,
e^{-Omega*50} = 6e-6 -- but the packet first has to travel from x = 0.5 (near the unstable fixed
point x = 0, growth rate K'(0) = 1/kappa - 1/mu2 = 0.117) to x*; the deterministic trajectory
x' = K(x) from 0.5 gets within one stationary sd (0.2) of x* only at t ~ 31 (printed by
`--workload reference`), leaving ~19 time units, e^{-0.241*19} ~ 1e-2; measured L1 distance of
the converged solution at t = 50 to the stationary density: ~0.097.  So t = 50 is NOT
stationary to the accuracy the peers reach; the reference for the L1 error is a converged
time-dependent solution (fine-grid Scharfetter-Gummel finite volumes, scipy BDF, rtol 1e-10,
cell-averaged onto the benchmark grid).  The L1 distance to the exact stationary density
P_s ~ exp((x^2/(2 kappa) + x + mu2 log(mu2 - x)) / g2) is reported as well (l1_vs_stationary).
"""

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

# ----------------------------------------------------------------------------- parameters
KAPPA, MU2, G2, T_RBM = 4.38, 9.0, 0.01, 50.0
RBM_X0, RBM_SD = 0.5, 0.1
THETA, D_OU, T_OU, L_OU = (1.0, 2.0), 0.5, 2.0, 5.0
OU_M0, OU_SD0 = (1.0, -0.5), 0.3
N_RBM, N_OU = 1000, 256


def rbm_K(x):
    return (1.0 / KAPPA - 1.0 / (MU2 - x)) * x


def rbm_phi(x):
    """Phi = integral of K dx = -V;  stationary density ~ exp(Phi / g2)."""
    return x * x / (2 * KAPPA) + x + MU2 * np.log(MU2 - x)


def rbm_grid(n):
    h = MU2 / n
    return (np.arange(n) + 0.5) * h, h


def rbm_initial(n):
    x, h = rbm_grid(n)
    p = np.exp(-0.5 * ((x - RBM_X0) / RBM_SD) ** 2)
    return p / (p.sum() * h)


def rbm_stationary(n):
    x, h = rbm_grid(n)
    a = rbm_phi(x) / G2
    p = np.exp(a - a.max())
    return p / (p.sum() * h)


def bernoulli(z):
    """B(z) = z / (e^z - 1), B(0) = 1; stable for large |z|."""
    z = np.asarray(z, dtype=float)
    out = np.ones_like(z)
    nz = np.abs(z) > 1e-12
    with np.errstate(over="ignore"):
        out[nz] = z[nz] / np.expm1(z[nz])
    return out


def rbm_sg_matrix(n):
    """Scharfetter-Gummel finite volumes for dP/dt = d/dx(D P' - K P), zero flux at both walls.
    Flux J_{i+1/2} = (D/h) [B(z) P_i - B(-z) P_{i+1}], z = (V_{i+1} - V_i)/D, V = -Phi (exact
    potential at cell centres); the discrete stationary state is exactly exp(-V/D) at centres."""
    from scipy import sparse

    x, h = rbm_grid(n)
    V = -rbm_phi(x)
    z = (V[1:] - V[:-1]) / G2
    a = G2 / h**2 * bernoulli(z)    # rate i -> i+1
    b = G2 / h**2 * bernoulli(-z)   # rate i+1 -> i
    diag = np.zeros(n)
    diag[:-1] -= a
    diag[1:] -= b
    return sparse.diags([b, diag, a], [1, 0, -1], format="csc")


def rbm_reference(n, fine_factor=8, rtol=1e-10, centre=False):
    """Time-dependent reference at t = T_RBM, cell averages on the n-cell grid (centre=True
    with an odd fine_factor: the fine cells whose centres coincide with the coarse centres)."""
    from scipy.integrate import solve_ivp

    nf = n * fine_factor
    A = rbm_sg_matrix(nf)
    p0 = rbm_initial(nf)
    sol = solve_ivp(lambda t, p: A @ p, (0, T_RBM), p0, method="BDF", jac=A,
                    rtol=rtol, atol=1e-14, t_eval=[T_RBM])
    if not sol.success:
        raise RuntimeError(sol.message)
    pf = sol.y[:, -1].reshape(n, fine_factor)
    return pf[:, fine_factor // 2] if centre else pf.mean(axis=1)


def ou_grid(n):
    h = 2 * L_OU / n
    c = -L_OU + (np.arange(n) + 0.5) * h
    X, Y = np.meshgrid(c, c, indexing="ij")
    return X, Y, h


def ou_gauss(X, Y, mean, var):
    return (np.exp(-0.5 * (X - mean[0]) ** 2 / var[0] - 0.5 * (Y - mean[1]) ** 2 / var[1])
            / (2 * np.pi * np.sqrt(var[0] * var[1])))


def ou_initial(n):
    X, Y, h = ou_grid(n)
    p = ou_gauss(X, Y, OU_M0, (OU_SD0**2, OU_SD0**2))
    return p / (p.sum() * h * h)


def ou_exact(n, t=T_OU):
    """Exact OU density at time t on the cell centres (not renormalised; the mass outside the
    box is ~1e-11)."""
    X, Y, _ = ou_grid(n)
    mean = [m * np.exp(-th * t) for m, th in zip(OU_M0, THETA)]
    var = [D_OU / th + (OU_SD0**2 - D_OU / th) * np.exp(-2 * th * t) for th in THETA]
    return ou_gauss(X, Y, mean, var)


def l1(p, ref, vol):
    return float(np.abs(p - ref).sum() * vol)


# ----------------------------------------------------------------------------- py-pde
def pypde_run(workload, n, rtol, atol):
    import pde
    from scipy import sparse

    if workload == "rbm":
        grid = pde.CartesianGrid([[0, MU2]], [n])
        p0 = rbm_initial(n)
        expr = f"{G2}*laplace(P) - d_dx((1/{KAPPA} - 1/({MU2} - x))*x*P)"
        S = sparse.diags([1, 1, 1], [-1, 0, 1], shape=(n, n), dtype=float)
        t_end, vol = T_RBM, MU2 / n
    else:
        grid = pde.CartesianGrid([[-L_OU, L_OU]] * 2, [n, n])
        p0 = ou_initial(n)
        expr = (f"{D_OU}*laplace(P) + {THETA[0]}*d_dx(x*P) + {THETA[1]}*d_dy(y*P)")
        T1 = sparse.diags([1, 1, 1], [-1, 0, 1], shape=(n, n), dtype=float)
        I = sparse.identity(n)
        S = (sparse.kron(T1, I) + sparse.kron(I, T1)).tocsc()
        t_end, vol = T_OU, (2 * L_OU / n) ** 2
    eq = pde.PDE({"P": expr}, bc={"derivative": 0})
    times, res = [], None
    for _ in range(2):
        state = pde.ScalarField(grid, p0.copy())
        t0 = time.perf_counter()
        res = eq.solve(state, t_range=t_end, solver="scipy", method="BDF", jac_sparsity=S,
                       rtol=rtol, atol=atol, tracker=None)
        times.append(time.perf_counter() - t0)
    P = np.asarray(res.data)
    return dict(P=P, vol=vol, seconds_first=times[0], seconds=times[1],
                method=f"py-pde {pde.__version__} PDE('{expr}'), bc derivative=0 (Neumann on P),"
                       f" solver='scipy' -> solve_ivp BDF, jac_sparsity, rtol={rtol}, atol={atol}",
                notes="central differences (laplace, d_dx of the product K*P) on cell centres; "
                      "the wall is Neumann on P, not zero flux on J, so mass is not exactly "
                      "conserved; seconds_first includes numba compilation of the RHS; "
                      "py-pde's 'implicit' solver uses fixed-point iteration and its explicit "
                      "steppers need dt < ~h^2/(2D) -> impractical for these stiff problems")


# ----------------------------------------------------------------------------- fplanck
def fplanck_build(workload, n, use_potential):
    import fplanck
    from scipy import constants

    if not hasattr(np, "product"):          # fplanck 0.2.2 calls np.product (gone in NumPy 2)
        np.product = np.prod
    # fplanck: D = k_B T / drag, drift = F / drag.  drag = 1, T = D / k_B  ->  D, drift = F.
    if workload == "rbm":
        L, D = MU2, G2
        shift = MU2 / 2                      # fplanck's axes are centred on 0
        if use_potential:
            kw = dict(potential=lambda x: -rbm_phi(x + shift))
        else:
            kw = dict(force=lambda x: rbm_K(x + shift))
    else:
        L, D = 2 * L_OU, D_OU
        if use_potential:
            kw = dict(potential=lambda x, y: 0.5 * (THETA[0] * x**2 + THETA[1] * y**2))
        else:
            kw = dict(force=lambda x, y: np.array([-THETA[0] * x, -THETA[1] * y]))
    h = L / n * (1 + 1e-12)                  # Ngrid = ceil(extent/resolution) must give n
    with np.errstate(over="ignore", invalid="ignore"):
        ext = L if workload == "rbm" else [L, L]
        sim = fplanck.fokker_planck(temperature=D / constants.k, drag=1.0, extent=ext,
                                    resolution=h, boundary=fplanck.boundary.reflecting, **kw)
    assert tuple(sim.Ngrid) == ((n,) if workload == "rbm" else (n, n)), sim.Ngrid
    return sim


def fplanck_run(workload, n, rtol, atol):
    import fplanck  # noqa: F401
    from importlib.metadata import version
    from scipy.integrate import solve_ivp
    from scipy.sparse import linalg as spla

    notes = []
    if workload == "rbm":
        p0 = rbm_initial(n) * (MU2 / n)      # cell probabilities
        t_end, vol = T_RBM, MU2 / n
        sim = fplanck_build(workload, n, use_potential=False)
        M = sim.master_matrix
        if not np.all(np.isfinite(M.data)):
            notes.append("force=K overflows (rates D/h^2 exp(-beta*dU/2) -> inf at the log "
                         "wall); used potential=-Phi (exact V) instead")
            use_pot = True
        else:
            use_pot = False
            notes.append(f"force=K: largest rate {abs(M.data).max():.1e} (last cell, log wall)")
        try:
            with np.errstate(all="ignore"):
                pp = sim.propagate(lambda x: p0.copy(), t_end, normalize=False)
            notes.append("propagate() (expm_multiply) returned"
                         + ("" if np.all(np.isfinite(pp)) else " non-finite values"))
        except Exception as e:  # noqa: BLE001
            notes.append(f"propagate() fails: {type(e).__name__}: {e}")
    else:
        p0 = ou_initial(n) * (2 * L_OU / n) ** 2
        t_end, vol = T_OU, (2 * L_OU / n) ** 2
        use_pot = False
    times, P = [], None
    how = None
    for rep in range(2):
        t0 = time.perf_counter()
        sim = fplanck_build(workload, n, use_potential=use_pot)
        t_build = time.perf_counter() - t0
        M = sim.master_matrix
        pf = None
        if workload == "ou":
            how = "propagate(): scipy expm_multiply of the master matrix"
            pf = sim.propagate(lambda x, y: p0.copy(), t_end, normalize=False).ravel()
        else:
            # expm_multiply is hopeless with rates ~1e216; integrate the master equation
            how = ("master matrix integrated with scipy solve_ivp BDF (analytic sparse jac), "
                   f"rtol={rtol}, atol={atol}")
            sol = solve_ivp(lambda t, p: M @ p, (0, t_end), p0.copy(), method="BDF", jac=M,
                            rtol=rtol, atol=atol, t_eval=[t_end])
            if sol.success and np.all(np.isfinite(sol.y)):
                pf = sol.y[:, -1]
            else:
                how = "steady_state() (shift-invert eigs); BDF failed: " + str(sol.message)
                pf = sim.steady_state().ravel()
        times.append((time.perf_counter() - t0, t_build))
    P = pf.reshape(sim.Ngrid) / vol
    notes.append("exponential-fitting (SQRA-like) master equation: rates "
                 "D/h^2*exp(-beta*dU/2) between neighbour cells, reflecting = rates through "
                 "the wall set to 0 (exact zero flux, mass conserved to round-off); "
                 f"matrix build (pure-Python loop over cells) took {times[1][1]:.2f} s "
                 "of the warm run; no JIT (seconds_first ~ seconds)")
    return dict(P=P, vol=vol, seconds_first=times[0][0], seconds=times[1][0],
                method=f"fplanck {version('fplanck')} "
                       + ("potential=-Phi" if use_pot else "force=drift") + "; " + how,
                notes="; ".join(notes))


# ----------------------------------------------------------------------------- driver
def child(peer, workload, scale, rtol, atol):
    n = max(8, int(round((N_RBM if workload == "rbm" else N_OU) * scale)))
    out = dict(peer=peer, workload=workload)
    try:
        if workload == "rbm":
            t0 = time.perf_counter()
            ref = rbm_reference(n)
            t_ref = time.perf_counter() - t0
            stat = rbm_stationary(n)
            grid = f"{n} cells on (0, {MU2})"
        else:
            ref = ou_exact(n)
            grid = f"{n}x{n} cells on [-{L_OU},{L_OU}]^2"
        r = (pypde_run if peer == "py-pde" else fplanck_run)(workload, n, rtol, atol)
        P = r["P"]
        out.update(seconds=round(r["seconds"], 4), seconds_first=round(r["seconds_first"], 4),
                   l1=l1(P, ref, r["vol"]), mass=float(P.sum() * r["vol"]),
                   min=float(P.min()), grid=grid, method=r["method"], notes=r["notes"])
        if workload == "rbm":
            out["l1_vs_stationary"] = l1(P, stat, r["vol"])
            out["reference"] = (f"8x finer Scharfetter-Gummel FV + BDF rtol 1e-10, cell-averaged "
                                f"({t_ref:.1f} s)")
        else:
            out["reference"] = "exact OU Gaussian at cell centres"
    except Exception as e:  # noqa: BLE001
        out["error"] = f"{type(e).__name__}: {e}"
    print(json.dumps(out), flush=True)


def reference_report(scale, dump=None):
    """Diagnostics of the RBM reference: convergence, distance to stationarity, arrival time.
    dump: write the RBM reference density (cell centres x_i, Pref_i) to this text file."""
    from scipy.integrate import solve_ivp

    n = max(8, int(round(N_RBM * scale)))
    h = MU2 / n
    t0 = time.perf_counter()
    r8 = rbm_reference(n, 8)
    t8 = time.perf_counter() - t0
    if dump:
        x, _ = rbm_grid(n)
        np.savetxt(dump, np.column_stack([x, r8]), fmt="%.17g",
                   header=f"RBM reference density at t={T_RBM}, {n} cells: x_i  Pref_i "
                          "(8x Scharfetter-Gummel FV, BDF rtol 1e-10, cell averages)")
    r4 = rbm_reference(n, 4)
    r16 = rbm_reference(n, 16)
    r9a = rbm_reference(n, 9)
    r9c = rbm_reference(n, 9, centre=True)
    stat = rbm_stationary(n)
    xs = MU2 - KAPPA
    sd = np.sqrt(G2 / (MU2 / (MU2 - xs) ** 2 - 1 / KAPPA))
    ev = lambda t, x: abs(x[0] - xs) - sd  # noqa: E731
    ev.terminal = True
    ode = solve_ivp(lambda t, x: rbm_K(x), (0, 200), [RBM_X0], events=ev, rtol=1e-10)
    omega = xs / KAPPA**2
    x, _ = rbm_grid(n)
    print(json.dumps(dict(
        peer="reference", workload="rbm", grid=f"{n} cells",
        omega=omega, exp_minus_omega_t=float(np.exp(-omega * T_RBM)),
        t_within_one_sd_of_mode=float(ode.t_events[0][0]) if len(ode.t_events[0]) else None,
        stationary_sd=float(sd),
        l1_ref8_vs_ref4=l1(r8, r4, h), l1_ref8_vs_ref16=l1(r8, r16, h),
        l1_cellavg_vs_centre_value=l1(r9a, r9c, h),
        l1_ref8_vs_stationary=l1(r8, stat, h),
        l1_initial_vs_stationary=l1(rbm_initial(n), stat, h),
        mean_ref=float((x * r8).sum() * h), mean_stationary=float((x * stat).sum() * h),
        seconds_ref8=round(t8, 3))), flush=True)
    print(json.dumps(dict(peer="reference", workload="ou", grid=f"{N_OU}x{N_OU} cells",
                          l1_initial_vs_exact_t=l1(ou_initial(N_OU), ou_exact(N_OU), (2 * L_OU / N_OU) ** 2),
                          mass_exact_on_grid=float(ou_exact(N_OU).sum() * (2 * L_OU / N_OU) ** 2))),
          flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workload", choices=["rbm", "ou", "all", "reference"], default="all")
    ap.add_argument("--peer", choices=["py-pde", "fplanck", "all"], default="all")
    ap.add_argument("--scale", type=float, default=1.0, help="grid scale (0.25: quick check)")
    ap.add_argument("--rtol", type=float, default=1e-6)
    ap.add_argument("--atol", type=float, default=1e-9)
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per peer run")
    ap.add_argument("--dump", help="with --workload reference: write the RBM reference here")
    ap.add_argument("--_child", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a._child:
        child(a.peer, a.workload, a.scale, a.rtol, a.atol)
        return
    if a.workload == "reference":
        reference_report(a.scale, a.dump)
        return
    workloads = ["rbm", "ou"] if a.workload == "all" else [a.workload]
    peers = ["py-pde", "fplanck"] if a.peer == "all" else [a.peer]
    for w in workloads:
        for p in peers:      # one at a time: the machine is shared
            cmd = [sys.executable, os.path.abspath(__file__), "--_child", "--peer", p,
                   "--workload", w, "--scale", str(a.scale), "--rtol", str(a.rtol),
                   "--atol", str(a.atol)]
            try:
                cp = subprocess.run(cmd, capture_output=True, text=True, timeout=a.timeout)
                lines = [ln for ln in cp.stdout.splitlines() if ln.startswith("{")]
                if lines:
                    print(lines[-1], flush=True)
                else:
                    print(json.dumps(dict(peer=p, workload=w, error=f"exit {cp.returncode}: "
                                          + cp.stderr.strip()[-500:])), flush=True)
            except subprocess.TimeoutExpired:
                print(json.dumps(dict(peer=p, workload=w,
                                      error=f"did not finish within {a.timeout:.0f} s")),
                      flush=True)


if __name__ == "__main__":
    main()
