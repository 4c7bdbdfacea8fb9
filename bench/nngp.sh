#!/usr/bin/env bash
# The NNGP benchmark of issue 13: wmd against neural-tangents' stax (JAX, CPU, float64) and
# scikit-learn's GaussianProcessRegressor (on a precomputed Gram matrix).
#   relu, erf, tanh: the depth-10 NNGP kernel of P = 2000 inputs of dimension 100
#                    (c_w = 2, c_b = 0.1; relu and erf closed forms, tanh Gauss–Hermite of
#                    `order`² nodes on both sides)
#   gp:              GP regression, 2000 training and 500 test points, the relu kernel, noise 0.1
# wmd is timed as the whole `wmd run bench/nngp.wmd` process (parse, inputs, kernel, write a
# scalar of the result), best of R runs; the peers inside a warm Python process (JAX compiled
# by one untimed call), best of R calls (bench/nngp_peers.py). The results compared are written
# by separate, untimed wmd runs (the 32 MB Gram matrices as .npy). Prints the times, the ratio
# peer/wmd (> 1: wmd faster) and the maximum |wmd − peer| of the results.
# Usage: bench/nngp.sh [--threads T] [--repeats R] [--order D] [--size P Q]
#        (default: all cores for both sides, R = 3, D = 10, P = 2000, Q = 500)
set -euo pipefail
cd "$(dirname "$0")/.."
threads=$(nproc) repeats=3 order=10 size_p=2000 size_q=500
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --order) order="$2"; shift 2 ;;
    --size) size_p="$2"; size_q="$3"; shift 3 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/python -c "import numpy, scipy, sklearn" 2>/dev/null \
  || bench/.venv/bin/pip install --quiet numpy scipy scikit-learn
# neural-tangents 0.6.5 (the newest) imports jax.core.Jaxpr, gone from JAX ≥ 0.4.36, and
# tf2jax, whose newest release needs JAX ≥ 0.7: pin a JAX both still import with.
bench/.venv/bin/python -c "import neural_tangents" 2>/dev/null \
  || bench/.venv/bin/pip install --quiet "jax[cpu]==0.4.30" "jaxlib==0.4.30" "neural-tangents==0.6.5" "tf2jax==0.3.6" \
  || echo "neural-tangents could not be installed: its rows will say why"
cargo build --release --quiet --bin wmd
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# a private copy: the target folder may be shared with other builds
cp "${CARGO_TARGET_DIR:-target}/release/wmd" "$out/wmd"
sets=(--set "P=$size_p" --set "Q=$size_q" --set "order=$order")

wmd_array() {  # NAME EXPR [SETS…]: write EXPR as $out/data/NAME.npy (untimed)
  local name="$1" expr="$2"; shift 2
  "$out/wmd" run bench/nngp.wmd -q --format csv --threads "$threads" "${sets[@]}" "$@" \
    --set "shown=$expr" --out "$out/run" > /dev/null
  for f in "$out"/run/arrays/*.npy; do
    local field; field=$(basename "$f" .npy); field=${field#reports.bench.value}
    cp "$f" "$out/data/$name${field/./_}.npy"
  done
  cp "$out/run/results.csv" "$out/data/$name.csv"
  rm -rf "$out/run"
}
wmd_time() {  # NAME EXPR [SETS…]: the best of R whole `wmd run` processes reporting EXPR
  local name="$1" expr="$2" best="" start end t; shift 2
  for _ in $(seq "$repeats"); do
    start=$(date +%s.%N)
    "$out/wmd" run bench/nngp.wmd -q --threads "$threads" "${sets[@]}" "$@" \
      --set "shown=$expr" --out "$out/run" > /dev/null
    end=$(date +%s.%N)
    t=$(python3 -c "print($end - $start)")
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $t < $best else 1)"; then best=$t; fi
  done
  echo "$name $best" >> "$out/wmd_seconds"
}
mkdir -p "$out/data"
echo "threads: wmd --threads $threads; JAX and BLAS pinned to $threads cores (taskset), OPENBLAS_NUM_THREADS=$threads"
wmd_array x x
wmd_array xt xt
wmd_array y y
for act in relu erf tanh; do
  wmd_array "$act" gram_k --set "activation=\"$act\""
  wmd_time "$act" "trace(gram_k)" --set "activation=\"$act\""
done
wmd_array joint joint
wmd_array gp gp
wmd_time joint "trace(joint)"
wmd_time gp "gp.log_marginal_likelihood"
cat > "$out/data/setup.json" <<JSON
{"activations": ["relu", "erf", "tanh"], "depth": 10, "c_w": 2, "c_b": 0.1, "order": $order, "noise": 0.1}
JSON
OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads" \
  taskset -c "0-$((threads - 1))" bench/.venv/bin/python bench/nngp_peers.py "$out/data" "$threads" "$repeats" \
  > "$out/peers.jsonl" 2> "$out/peers.err" || { echo "nngp_peers.py failed:"; tail -5 "$out/peers.err"; }

python3 - "$out" "$size_p" "$size_q" "$order" "$repeats" <<'PY'
import json, sys
out, p, q, order, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
wmd = dict((l.split()[0], float(l.split()[1])) for l in open(f"{out}/wmd_seconds"))
rows = [json.loads(l) for l in open(f"{out}/peers.jsonl")]
head, peer = rows[0], {r["workload"]: r for r in rows[1:]}
v = head["versions"]
print(f"peers: jax {v['jax']}, neural-tangents {v['neural_tangents']}, scikit-learn {v['sklearn']}, "
      f"scipy {v['scipy']}, numpy {v['numpy']}")
print(f"times: best of {repeats}; wmd the whole `wmd run` process, the peers warm calls\n")
print(f"NNGP kernel, P = {p} inputs of dimension 100, depth 10, c_w = 2, c_b = 0.1 (tanh: Gauss-Hermite, order {order} on both sides)")
print(f"  {'workload':10}{'wmd s':>9}{'NT s':>9}{'NT/wmd':>9}{'max |Δ|':>11}{'max |K|':>9}{'NT |K - Kᵀ|':>13}")
for w in ["relu", "erf", "tanh", "joint"]:
    r = peer.get(w, {"error": "not run"})
    label = w if w != "joint" else f"relu {p + q}"
    if "error" in r:
        print(f"  {label:10}{wmd[w]:9.3f}   neural-tangents did not run: {r['error']}")
        continue
    print(f"  {label:10}{wmd[w]:9.3f}{r['seconds']:9.3f}{r['seconds'] / wmd[w]:9.2f}"
          f"{r['max_abs_diff']:11.2e}{r['max_abs']:9.3f}{r['asymmetry']:13.1e}")
g = peer.get("gp")
print(f"\nGP regression, {p} training and {q} test points, the relu kernel above, noise 0.1")
if g is None or "error" in g:
    print(f"  scikit-learn did not run: {(g or {}).get('error', 'no result')}")
else:
    algebra = wmd["gp"] - wmd["joint"]
    print(f"  wmd gp_regression (kernel + posterior)   {wmd['gp']:8.3f} s")
    print(f"  wmd posterior alone (gp - gram of {p + q})  {algebra:8.3f} s  (difference of two best-of-{repeats} runs)")
    print(f"  sklearn GPR on wmd's Gram matrix         {g['seconds']:8.3f} s  (Precomputed kernel: GaussianProcessRegressor(optimizer=None, alpha=noise), fit + predict(return_std))")
    nt = peer.get("joint", {})
    if "seconds" in nt:
        both = nt["seconds"] + g["seconds"]
        print(f"  NT kernel + sklearn GPR                  {both:8.3f} s  ratio (NT + sklearn)/wmd = {both / wmd['gp']:.2f}")
    print(f"  ratio sklearn/wmd, posterior alone = {g['seconds'] / algebra:.2f}" if algebra > 0 else "  (wmd's posterior time is below the timing noise)")
    print(f"  max |Δ| mean {g['max_abs_diff_mean']:.2e} (max |mean| {g['max_abs_mean']:.3f}), "
          f"variance {g['max_abs_diff_variance']:.2e}")
    lml = float(next(l for l in open(f"{out}/data/gp.csv") if "log_marginal_likelihood" in l).split(",")[4])
    print(f"  log marginal likelihood: wmd {lml:.10f}, sklearn {g['lml']:.10f}, |Δ| {abs(lml - g['lml']):.2e}")
print("  max |Δ| over the entries α ≤ β: stax's tanh rule is not symmetric in (α, β) (the Cholesky root of"
      " the row's input), wmd's takes α = min(α, β); on α ≤ β both are the same formula (stax's tanh in 500 × 500 blocks, nt.batch)")
print("\n(> 1: wmd faster.) What differs: wmd computes each Gram matrix's upper triangle (P(P+1)/2 entries a layer,"
      " rows in parallel), stax the full P² on XLA; the posterior: both one Cholesky of K + T I (faer / LAPACK),"
      " sklearn's GPR factors twice (once for the log marginal likelihood in fit).")
PY
