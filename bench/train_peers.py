"""PyTorch peers of the training benchmarks of issue 12 (bench/train.sh): the same two
workloads as bench/rbm_pcd.wmd and bench/teacher_student.wmd, every run batched into one set
of float32 tensors on the CPU (torch.bmm over a leading run dimension), gradients in closed
form (no autograd). Each workload runs once untimed at a few steps (warm-up), then timed in
full three times (the best is kept), data generation included. Prints one JSON line per workload.

Usage: train_peers.py rbm|ts|all [threads]"""
import json
import math
import sys
import time

import torch


def rbm_pcd(runs=32, steps=5000, n=10, m2=4.0, mu2=9.0, sigma_h=1.0, samples=10_000,
            batch=64, lr=0.05):
    """PCD on the Gaussian RBM of 001 (src/backend/nn/rbm.rs): per update one Gibbs sweep
    h ~ N(σ²Wᵀφ, σ²), φ ~ N(Wh/μ², 1/μ²) of the persistent chains, then
    W += lr(⟨φ E[h|φ]ᵀ⟩_batch − ⟨φ E[h|φ]ᵀ⟩_chains), E[h|φ] = σ²Wᵀφ."""
    # the periodic lattice field: K = −Δ + m², samples x = z Lᵀ with L Lᵀ = K⁻¹
    k = torch.zeros(n, n, dtype=torch.float64)
    for i in range(n):
        k[i, i] = 2 + m2
        k[i, (i + 1) % n] -= 1
        k[i, (i - 1) % n] -= 1
    chol = torch.linalg.cholesky(torch.linalg.inv(k)).float()
    data = torch.randn(runs, samples, n) @ chol.T                 # (R, samples, n)
    w = 0.1 * torch.randn(runs, n, n)                             # W₀ ~ N(0, 0.1²), visible × hidden
    chains = torch.randn(runs, batch, n) / math.sqrt(mu2)         # φ ~ N(0, 1/μ²) at W = 0
    s2, per_epoch = sigma_h ** 2, samples // batch
    rows = torch.arange(runs)[:, None]
    step = 0
    while step < steps:
        # an epoch: each run's samples in a fresh random order, ⌊samples/batch⌋ minibatches
        order = torch.argsort(torch.rand(runs, samples), dim=1)[:, :per_epoch * batch]
        epoch = data[rows, order].view(runs, per_epoch, batch, n)
        todo = min(per_epoch, steps - step)
        xi_h = torch.randn(todo, runs, batch, n).mul_(sigma_h)
        xi_v = torch.randn(todo, runs, batch, n).mul_(1 / math.sqrt(mu2))
        for t in range(todo):
            h = torch.bmm(chains, w).mul_(s2).add_(xi_h[t])                 # (R, |B|, n_h)
            chains = torch.bmm(h, w.transpose(1, 2)).mul_(1 / mu2).add_(xi_v[t])
            xb = epoch[:, t]
            # ⟨φ E[h|φ]ᵀ⟩_batch − ⟨φ E[h|φ]ᵀ⟩_chains = σ²(xbᵀxb − φᵀφ)W/|B| (chains = |B|)
            moments = torch.bmm(xb.transpose(1, 2), xb).sub_(torch.bmm(chains.transpose(1, 2), chains))
            w.add_(torch.bmm(moments, w), alpha=lr * s2 / batch)
        step += todo
    x = torch.linalg.eigvalsh(w.transpose(1, 2).double() @ w.double())  # ascending per run
    return {"mean_spectrum": x.mean(0).tolist()}


def teacher_student(runs=16, steps=2000, lrs=(0.005, 0.01, 0.02, 0.04), sigmas=(0.5, 1.0, 2.0),
                    samples=256, test=256, batch=4, widths=(3, 32, 16, 1)):
    """192 students [3, 32, 16, 1] tanh (no biases), each with its own teacher (normal(sd = 1))
    and data; only the middle matrix W₁ trained by SGD on ½(y − ŷ)² (mean over the batch);
    minibatches without replacement, reshuffled per epoch."""
    points = [(lr, s) for lr in lrs for s in sigmas]              # the order of wmd's sweep
    p = len(points) * runs
    lr = torch.tensor([lr for lr, _ in points]).repeat_interleave(runs)[:, None, None]
    sw = torch.tensor([s for _, s in points]).repeat_interleave(runs)

    def layers(scale):                    # W_l: (P, fan_out, fan_in), entries scale·N(0, 1)/√…
        return [torch.randn(p, o, i) * scale(i) for i, o in zip(widths, widths[1:])]

    def forward(ws, x):
        a1 = torch.tanh(torch.bmm(x, ws[0].transpose(1, 2)))
        a2 = torch.tanh(torch.bmm(a1, ws[1].transpose(1, 2)))
        return a1, a2, torch.bmm(a2, ws[2].transpose(1, 2))

    teacher = layers(lambda fan_in: 1.0)
    x, tx = torch.randn(p, samples, 3), torch.randn(p, test, 3)
    y, ty = forward(teacher, x)[2], forward(teacher, tx)[2]
    w0, w1, w2 = layers(lambda fan_in: sw[:, None, None] / math.sqrt(fan_in))
    w2t, step_size = w2.transpose(1, 2), lr / batch
    per_epoch, rows, step = samples // batch, torch.arange(p)[:, None], 0
    while step < steps:
        order = torch.argsort(torch.rand(p, samples), dim=1)[:, :per_epoch * batch]
        ex = x[rows, order].view(p, per_epoch, batch, 3)
        ey = y[rows, order].view(p, per_epoch, batch, 1)
        todo = min(per_epoch, steps - step)
        for t in range(todo):
            a1 = torch.tanh(torch.bmm(ex[:, t], w0.transpose(1, 2)))     # (P, B, 32)
            a2 = torch.tanh(torch.bmm(a1, w1.transpose(1, 2)))           # (P, B, 16)
            d3 = torch.bmm(a2, w2t).sub_(ey[:, t])                       # (P, B, 1): ŷ − y
            d2 = torch.bmm(d3, w2).mul_(1 - a2 * a2).mul_(step_size)     # lr·δ₂/|B|, δ₂ = (W₂ᵀδ₃) ⊙ tanh′
            w1.baddbmm_(d2.transpose(1, 2), a1, alpha=-1.0)               # W₁ −= lr·∂L/∂W₁
        step += todo
    loss = 0.5 * ((forward([w0, w1, w2], tx)[2] - ty) ** 2).mean(dim=(1, 2))
    return {"test_loss": loss.view(len(points), runs).tolist(),
            "points": [list(q) for q in points]}


def main():
    which = sys.argv[1] if len(sys.argv) > 1 else "all"
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else torch.get_num_threads()
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    work = {"rbm": rbm_pcd, "ts": teacher_student}
    for name in (["rbm", "ts"] if which == "all" else [which]):
        with torch.inference_mode():
            work[name](steps=50)                                  # warm-up, untimed
            seconds = float("inf")
            for _ in range(3):                                    # best of 3, as for wmd
                start = time.perf_counter()
                out = work[name]()
                seconds = min(seconds, time.perf_counter() - start)
        print(json.dumps({"workload": name, "seconds": seconds, "torch": torch.__version__,
                          "threads": threads, **out}), flush=True)


if __name__ == "__main__":
    main()
