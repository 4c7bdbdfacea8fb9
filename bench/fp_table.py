#!/usr/bin/env python3
"""wmd side of the Fokker-Planck benchmark (issue 4): the L1 error of wmd's final densities,
and the table of wmd against the peers (bench/fp_peers.py's JSON lines).

    fp_table.py WMD_DIR PEERS_JSONL

WMD_DIR holds, per workload w in (rbm, rbm_dt0.25, ou): w/results.json (`wmd run
bench/fp_*.wmd --format json`), w.seconds (the wall times of the whole `wmd run`, one per
line) and w.solve (the solve alone, from `--timings`). rbm_dt0.25 is the RBM workload with
dt = 0.25 instead of the default 0.05; the peers of both RBM rows are the same runs. The L1 is the
peers' (bench/fp_reference.md): sum over cells of |P - Pref| * cell volume, P the density at
the cell centres, nothing renormalised. Pref: RBM, bench/fp_rbm_reference_1000.txt at 1000
cells (else fp_peers.rbm_reference on the scaled grid); OU, the exact Gaussian at the centres.
"""

import json
import os
import statistics
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fp_peers as fpp  # noqa: E402


def read_times(wdir, name):
    path = os.path.join(wdir, name)
    return [float(s) for s in open(path).read().split()] if os.path.exists(path) else []


def wmd_result(wdir, w):
    path = os.path.join(wdir, w, "results.json")
    if not os.path.exists(path):
        return dict(error="wmd run failed (no results.json)")
    r = json.load(open(path))["reports"]["bench"]
    p = np.asarray(r["final"], dtype=float)
    times = read_times(wdir, w + ".seconds")
    solve = read_times(wdir, w + ".solve")
    if w.startswith("rbm"):
        n = p.size
        _, h = fpp.rbm_grid(n)
        if n == fpp.N_RBM:
            ref = np.loadtxt(os.path.join(HERE, "fp_rbm_reference_1000.txt"))[:, 1]
        else:
            ref = fpp.rbm_reference(n, 8)
        vol = h
    else:
        n = int(round(np.sqrt(p.size)))
        ref = fpp.ou_exact(n).ravel()
        vol = (2 * fpp.L_OU / n) ** 2
    return dict(seconds=statistics.median(times), seconds_all=times, l1=fpp.l1(p, ref, vol),
                solve=statistics.median(solve) if solve else float("nan"), solve_all=solve,
                mass=float(p.sum() * vol), steps=int(r["steps"]), dt=float(r["dt"]),
                cells=p.size)


def wmd_rows(w, me):
    """wmd's two rows: the whole process, and the solve alone."""
    if "error" in me:
        print(f"{w:11}{'wmd':13}{'FAILED':>10}   {me['error']}")
        return
    runs = ", ".join(f"{s:.3f}" for s in me["seconds_all"])
    solves = ", ".join(f"{s * 1e3:.1f}" for s in me["solve_all"])
    print(f"{w:11}{'wmd':13}{me['seconds']:>10.4f}{me['l1']:>11.3e}{me['mass'] - 1:>11.1e}"
          f"{'':>10}{'':>10}   whole `wmd run` (start-up, check, solve, write), median of"
          f" {len(me['seconds_all'])} ({runs} s); dt = {me['dt']:g}, {me['steps']} steps")
    print(f"{w:11}{'wmd (solve)':13}{me['solve']:>10.4f}{'':>11}{'':>11}{'':>10}{'':>10}"
          f"   the job alone (`--timings`), median of {len(me['solve_all'])} ({solves} ms)")


def peer_row(w, peer, d, me):
    if d is None:
        print(f"{w:11}{peer:13}{'not run':>10}")
        return
    if "error" in d:
        print(f"{w:11}{peer:13}{'FAILED':>10}   {d['error'][:200]}")
        return
    whole = d["seconds"] / me.get("seconds", float("nan"))
    solve = d["seconds"] / me.get("solve", float("nan"))
    print(f"{w:11}{peer:13}{d['seconds']:>10.4f}{d['l1']:>11.3e}{d['mass'] - 1:>11.1e}"
          f"{whole:>10.1f}{solve:>10.1f}   warm run; first run {d['seconds_first']:.2f} s")


def main():
    wdir, peers_path = sys.argv[1], sys.argv[2]
    peers = {}
    if os.path.exists(peers_path):
        for line in open(peers_path):
            if line.startswith("{"):
                d = json.loads(line)
                peers[(d["peer"], d["workload"])] = d
    print(f"{'workload':11}{'solver':13}{'seconds':>10}{'L1':>11}{'mass - 1':>11}"
          f"{'/ whole':>10}{'/ solve':>10}   notes")
    for w in ("rbm", "rbm_dt0.25", "ou"):
        me = wmd_result(wdir, w)
        wmd_rows(w, me)
        for peer in ("py-pde", "fplanck"):
            peer_row(w, peer, peers.get((peer, w.split("_")[0])), me)
    print("/ whole, / solve: peer seconds over wmd's whole process, and over wmd's solve alone"
          " (the like-for-like one: the peers' seconds are a solve in a warm process).")
    print("> 1: wmd faster. Goal (issue 4): >= 10 for each peer, with a smaller L1.")


if __name__ == "__main__":
    main()
