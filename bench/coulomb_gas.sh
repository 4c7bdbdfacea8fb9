#!/usr/bin/env bash
# Benchmark wmd's Coulomb gas against a vectorised numpy loop (issue 3): a harmonic gas of
# N = 50 eigenvalues, 200 runs, 20 000 steps of dt = 1e-4. Times `wmd run bench/coulomb_gas.wmd`
# (the whole program: parse, check, compile the drift, run on all cores) and
# bench/coulomb_gas.py (plain Euler–Maruyama on a (runs, N) array), and prints the ratio and
# both final ⟨x²⟩ beside the exact value (see bench/coulomb_gas.wmd for the formula).
# Usage: bench/coulomb_gas.sh [N runs steps dt]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-50}" runs="${2:-200}" steps="${3:-20000}" dt="${4:-0.0001}"
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet numpy
fi
cargo build --release --quiet --bin wmd
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "workload: harmonic Coulomb gas, N = $n, $runs runs, $steps steps of dt = $dt; wmd on $(nproc) cores, numpy as it runs"
start=$(date +%s.%N)
target/release/wmd run bench/coulomb_gas.wmd --set N="$n" --set runs="$runs" --set steps="$steps" \
  --set dt="$dt" --format json --out "$out" > /dev/null
end=$(date +%s.%N)
np_json=$(bench/.venv/bin/python bench/coulomb_gas.py "$n" "$runs" "$steps" "$dt")
python3 - "$start" "$end" "$out/results.json" "$np_json" <<'PY'
import json, sys
wmd_s = float(sys.argv[2]) - float(sys.argv[1])
r = json.load(open(sys.argv[3]))["reports"]["bench"]
n = json.loads(sys.argv[4])
m2 = r["m2"]
print(f"{'':8}{'seconds':>10}{'<x^2>':>10}")
print(f"{'wmd':8}{wmd_s:>10.2f}{m2['measured']:>10.3f}   (adaptive scheme; {int(r['refined_steps'])} refined steps)")
print(f"{'numpy':8}{n['seconds']:>10.2f}{n['m2']:>10.3f}   (plain Euler–Maruyama, numpy {n['numpy']})")
print(f"exact <x^2>(t) = {m2['theory']:.3f}")
print(f"ratio numpy/wmd = {n['seconds'] / wmd_s:.2f}  (> 1: wmd faster)")
PY
