#!/usr/bin/env python3
"""wmd side of the Fokker-Planck benchmark (issue 4): the L1 error of wmd's final densities,
and the table of wmd against the peers (bench/fp_peers.py's JSON lines).

    fp_table.py WMD_DIR PEERS_JSONL

WMD_DIR holds, per workload w in (rbm, ou): w/results.json (`wmd run bench/fp_*.wmd --format
json`) and w.seconds (the wall times of the whole `wmd run`, one per line). The L1 is the
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


def wmd_result(wdir, w):
    path = os.path.join(wdir, w, "results.json")
    if not os.path.exists(path):
        return dict(error="wmd run failed (no results.json)")
    r = json.load(open(path))["reports"]["bench"]
    p = np.asarray(r["final"], dtype=float)
    times = [float(s) for s in open(os.path.join(wdir, w + ".seconds")).read().split()]
    if w == "rbm":
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
                mass=float(p.sum() * vol), steps=int(r["steps"]), cells=p.size)


def main():
    wdir, peers_path = sys.argv[1], sys.argv[2]
    peers = {}
    if os.path.exists(peers_path):
        for line in open(peers_path):
            if line.startswith("{"):
                d = json.loads(line)
                peers[(d["peer"], d["workload"])] = d
    print(f"{'workload':9}{'solver':9}{'seconds':>10}{'L1':>11}{'mass - 1':>11}"
          f"{'peer s / wmd s':>16}   notes")
    for w in ("rbm", "ou"):
        me = wmd_result(wdir, w)
        if "error" in me:
            print(f"{w:9}{'wmd':9}{'FAILED':>10}   {me['error']}")
        else:
            runs = ", ".join(f"{s:.3f}" for s in me["seconds_all"])
            print(f"{w:9}{'wmd':9}{me['seconds']:>10.3f}{me['l1']:>11.3e}{me['mass'] - 1:>11.1e}"
                  f"{'':>16}   median of {len(me['seconds_all'])} whole `wmd run`s ({runs} s);"
                  f" {me['steps']} steps")
        for peer in ("py-pde", "fplanck"):
            d = peers.get((peer, w))
            if d is None:
                print(f"{w:9}{peer:9}{'not run':>10}")
            elif "error" in d:
                print(f"{w:9}{peer:9}{'FAILED':>10}   {d['error'][:200]}")
            else:
                ratio = d["seconds"] / me["seconds"] if "seconds" in me else float("nan")
                print(f"{w:9}{peer:9}{d['seconds']:>10.3f}{d['l1']:>11.3e}{d['mass'] - 1:>11.1e}"
                      f"{ratio:>16.2f}   warm run; first run {d['seconds_first']:.2f} s"
                      f" (ratio {d['seconds_first'] / me.get('seconds', float('nan')):.1f})")
    print("ratio > 1: wmd faster. Goal (issue 4): ratio >= 10 for each peer, with a smaller L1.")


if __name__ == "__main__":
    main()
