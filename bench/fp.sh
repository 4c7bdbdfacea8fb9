#!/usr/bin/env bash
# Benchmark wmd's fokker_planck kind against py-pde and fplanck (issue 4, item 7) on the two
# workloads of bench/fp_reference.md: the RBM mode (1000 cells, t = 50) and the 2D OU density
# (256², t = 2). Times `wmd run --timings bench/fp_rbm_mode.wmd` (dt = 0.05 and 0.25) and
# `bench/fp_ou_2d.wmd`: the whole process and the job alone (median of R runs), takes wmd's L1 error against
# the same references as the peers (bench/fp_table.py), runs bench/fp_peers.py for the peers
# (one JSON line each) and prints one table with times, L1 errors and peer_time / wmd_time.
# Usage: bench/fp.sh [--scale S] [--repeats R] [--timeout T] [--no-peers]
#   --scale S     grid scale for both sides (0.25: 250 cells and 64², a quick check)
#   --repeats R   wmd runs per workload, median reported (default 3)
#   --timeout T   seconds per peer run (default 600)
#   --no-peers    wmd only
set -euo pipefail
cd "$(dirname "$0")/.."
scale=1 repeats=3 timeout=600 peers=1
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    --no-peers) peers=0; shift ;;
    *) echo "unknown option $1 (see the header of bench/fp.sh)" >&2; exit 2 ;;
  esac
done
if ! bench/.venv/bin/python -c "import numpy, scipy, pde, numba, fplanck" 2>/dev/null; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet numpy scipy py-pde numba fplanck
fi
py=bench/.venv/bin/python
cargo build --release --quiet --bin wmd
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cells() { $py -c "print(max(8, int(round($1 * $scale))))"; }
n_rbm=$(cells 1000) n_ou=$(cells 256)
echo "workloads: RBM mode, $n_rbm cells, t = 50; 2D OU, ${n_ou}², t = 2 (bench/fp_reference.md); $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
time_wmd() {  # workload script cells [more --set]
  local w="$1" script="$2" n="$3"
  shift 3
  mkdir -p "$out/$w"
  for _ in $(seq "$repeats"); do
    local start end
    start=$(date +%s.%N)
    if ! target/release/wmd run "$script" --set cells="$n" "$@" --timings --format json --out "$out/$w" > "$out/$w.log" 2>&1; then
      echo "wmd run $script failed:" >&2; tail -5 "$out/$w.log" >&2; rm -f "$out/$w/results.json"; return 0
    fi
    end=$(date +%s.%N)
    $py -c "print(f'{$end - $start:.4f}')" >> "$out/$w.seconds"
    # The solve alone (`--timings`: "time  fokker_planck NAME  12.3 ms").
    awk '$1 == "time" && $2 == "fokker_planck" { print $4 / 1000 }' "$out/$w.log" >> "$out/$w.solve"
  done
}
time_wmd rbm bench/fp_rbm_mode.wmd "$n_rbm"
time_wmd rbm_dt0.25 bench/fp_rbm_mode.wmd "$n_rbm" --set dt=0.25
time_wmd ou bench/fp_ou_2d.wmd "$n_ou"
if [ "$peers" = 1 ]; then
  $py bench/fp_peers.py --scale "$scale" --timeout "$timeout" | tee "$out/peers.jsonl" | cut -c1-160 >&2 \
    || echo "bench/fp_peers.py failed; the table shows what it printed" >&2
fi
$py bench/fp_table.py "$out" "$out/peers.jsonl"
