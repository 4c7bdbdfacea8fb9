#!/usr/bin/env bash
# The training benchmarks of issue 12: wmd against PyTorch (CPU, float32, all runs batched).
#   rbm: PCD on the Gaussian RBM of 001, 32 runs × 5000 updates (bench/rbm_pcd.wmd)
#   ts:  teacher–student [3, 32, 16, 1] tanh, 192 networks × 2000 SGD steps (bench/teacher_student.wmd)
# wmd is timed as the whole `wmd run` process (parse, check, train, write results.json), and
# its own --timings of the train job where it prints one, best of 3 runs; PyTorch inside a warm process
# (bench/train_peers.py: after imports and one short untimed warm-up, data generation
# included). Prints both times, the ratio torch/wmd (> 1: wmd faster) and the quantities that
# show both sides computed the same thing.
# Usage: bench/train.sh [--threads T]      (default: all cores, for both sides)
set -euo pipefail
cd "$(dirname "$0")/.."
threads=$(nproc)
if [ "${1:-}" = "--threads" ]; then threads="$2"; fi
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/python -c "import numpy" 2>/dev/null || bench/.venv/bin/pip install --quiet numpy
bench/.venv/bin/python -c "import torch" 2>/dev/null || bench/.venv/bin/pip install --quiet torch
cargo build --release --quiet --bin wmd
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# a private copy: the target folder may be shared with other builds
cp "${CARGO_TARGET_DIR:-target}/release/wmd" "$out/wmd"

run_wmd() {  # NAME: time `wmd run bench/NAME.wmd` 3 times, keep the best, its --timings line and results
  local start end best=""
  for _ in 1 2 3; do
    start=$(date +%s.%N)
    "$out/wmd" run "bench/$1.wmd" --threads "$threads" --timings --format json --out "$out/$1.try" > "$out/$1.try.txt"
    end=$(date +%s.%N)
    t=$(python3 -c "print($end - $start)")
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $t < $best else 1)"; then
      best=$t
      rm -rf "$out/$1"; mv "$out/$1.try" "$out/$1"; mv "$out/$1.try.txt" "$out/$1.txt"
    fi
  done
  echo "$best" > "$out/$1.seconds"
}
echo "wmd: $threads threads; PyTorch: torch.set_num_threads($threads)"
run_wmd rbm_pcd
run_wmd teacher_student
bench/.venv/bin/python bench/train_peers.py all "$threads" > "$out/peers.jsonl"

python3 - "$out" <<'PY'
import json, math, re, statistics, sys
out = sys.argv[1]
peer = {}
for line in open(f"{out}/peers.jsonl"):
    p = json.loads(line)
    peer[p["workload"]] = p
def wmd(name):
    seconds = float(open(f"{out}/{name}.seconds").read())
    job = re.search(r"time\s+train \w+\s+([\d.]+) ms", open(f"{out}/{name}.txt").read())
    return seconds, (float(job.group(1)) / 1000 if job else None), json.load(open(f"{out}/{name}/results.json"))
def times(label, w_s, job_s, t_s):
    job = f", the train job {job_s:.2f} s (--timings)" if job_s else ", the sweep's points train in parallel: whole process only"
    print(f"  wmd    {w_s:7.2f} s  (whole `wmd run`{job})")
    print(f"  torch  {t_s:7.2f} s  (warm, data generation included; torch {peer['rbm']['torch']})")
    ratio = f"ratio torch/wmd = {t_s / w_s:.2f} whole"
    if job_s:
        ratio += f", {t_s / job_s:.2f} against the train job"
    print(f"  {ratio}  (> 1: wmd faster; goal {label})")

w_s, job_s, res = wmd("rbm_pcd")
m = res["reports"]["bench"]["mean"]
print("RBM PCD: N_v = N_h = 10, mu2 = 9, m2 = 4, 32 runs x 5000 updates, |B| = 64 chains, gibbs = 1, lr = 0.05")
times(">= 10x", w_s, job_s, peer["rbm"]["seconds"])
print("  final mean spectrum of W'W over the 32 runs (ascending) beside mu2 - kappa_k:")
print("    " + f"{'wmd':>8}{'torch':>8}{'target':>8}")
for a, b, c in zip(m["measured"], peer["rbm"]["mean_spectrum"], m["theory"]):
    print("    " + f"{a:8.3f}{b:8.3f}{c:8.3f}")
print(f"  max |wmd - target| = {m['max_abs_error']:.3f}, max |torch - target| = "
      f"{max(abs(b - c) for b, c in zip(peer['rbm']['mean_spectrum'], m['theory'])):.3f}; wmd's mean exact nll {res['reports']['bench']['nll']:.4f}")

w_s, job_s, res = wmd("teacher_student")
s = res["sweeps"]["bench"]
print("\nteacher-student: [3, 32, 16, 1] tanh, layer 1 trained, |B| = 4, 2000 SGD steps, 4 lr x 3 sigma_W x 16 runs")
times(">= 5x", w_s, job_s, peer["ts"]["seconds"])
def mse(xs):
    return statistics.mean(xs), statistics.stdev(xs) / math.sqrt(len(xs))
print("  mean final test loss (± s.e. over 16 runs):")
print(f"    {'lr':>6}{'sigma_W':>8}{'wmd':>18}{'torch':>18}{'z':>7}")
for i, (lr, sw) in enumerate(zip(s["lr"], s["sigma_w"])):
    (a, ea), (b, eb) = mse(s["test_loss"][i]), mse(peer["ts"]["test_loss"][i])
    assert peer["ts"]["points"][i] == [lr, sw]
    print(f"    {lr:>6}{sw:>8}{a:>11.3f} ± {ea:.3f}{b:>11.3f} ± {eb:.3f}{(a - b) / math.hypot(ea, eb):>7.2f}")
print(f"  diverged runs (wmd): {sum(s['diverged']) * 16:.0f}")
print("\nwhat differs: wmd float64, torch float32; different random streams (each side's own"
      " samples, initial weights, teachers and minibatch orders), so the results agree only"
      " statistically; wmd runs in parallel over runs (rayon), torch inside each batched op.")
PY
