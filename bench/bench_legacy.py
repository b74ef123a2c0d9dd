"""Legacy-path speed against the real Torch7: `python bench/bench_legacy.py [--runs N] [--reps N] [--torch]`

Runs bench/bench_legacy.lua with `pytorch-lite run` (a fresh process each run, as a user would),
takes each workload's median over the runs, and prints it next to Torch7's time for the same
script (bench/README.md: `th`, OpenBLAS, 2 threads, float32) and the ratio (ours / Torch7; the
goal is <= 1.0).  --torch adds PyTorch eager's time for the rows with a direct equivalent here
(the small-op loop and save+load; the nn rows are in bench_nn.py).  The machine may be shared:
compare medians, and rerun before believing a single number.
"""
import argparse
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# Torch7's times for bench_legacy.lua (ms; a range's midpoint), from issue 13 and bench/README.md
TORCH7_MS = {
    "mlp": 30.0,
    "convnet": 347.0,
    "vgg_bn": 645.0,
    "lstm": 16.0,
    "small_ops": 21.0,
    "save_load": 51.5,
    "charrnn_adam_x5": None,   # not measured with th yet
}


def run_script(reps, only):
    env = dict(os.environ)
    env.setdefault("OMP_NUM_THREADS", "2")
    env.setdefault("OPENBLAS_NUM_THREADS", "2")
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [sys.executable, "-m", "pytorch_lite.cli", "run", os.path.join(HERE, "bench_legacy.lua"), str(reps)]
    if only:
        cmd.append(only)
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    times = {}
    for line in out.splitlines():
        name, _, ms = line.partition("\t")
        if ms:
            times[name] = float(ms)
    return times


def torch_small_ops():
    import torch
    a, b = torch.ones(16, dtype=torch.float64), torch.full((16,), 2.0, dtype=torch.float64)

    def f():
        s = 0.0
        for _ in range(10000):
            a.add_(b).mul_(0.5)
            s += a.narrow(0, 1, 4).sum().item()
        return s
    return f


def torch_save_load():
    import tempfile
    import torch
    tn = torch.nn
    m = tn.Sequential(tn.Linear(784, 1024), tn.ReLU(), tn.Linear(1024, 1024), tn.ReLU(), tn.Linear(1024, 1024),
                      tn.ReLU(), tn.Linear(1024, 256))
    for p in m.parameters():   # Torch7's file holds the gradients too: the same 25 MB
        p.grad = torch.zeros_like(p)
    path = os.path.join(tempfile.mkdtemp(), "m.pt")

    def f():
        torch.save(m, path)
        return torch.load(path, weights_only=False)
    return f


def median_ms(f, reps):
    f()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        ts.append((time.perf_counter() - t0) * 1e3)
    return float(np.median(ts))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=2, help="fresh processes (default 2)")
    ap.add_argument("--reps", type=int, default=5, help="timed runs of each workload in a process")
    ap.add_argument("--only", default=None, help="only the workloads whose name contains this")
    ap.add_argument("--torch", action="store_true", help="PyTorch eager's time for small_ops and save_load")
    args = ap.parse_args()
    runs = [run_script(args.reps, args.only) for _ in range(args.runs)]
    pt = {}
    if args.torch:
        import torch
        torch.set_num_threads(2)
        for name, make in (("small_ops", torch_small_ops), ("save_load", torch_save_load)):
            if args.only is None or args.only in name:
                pt[name] = median_ms(make(), args.reps)
    print("%-18s %10s %10s %10s %7s %10s  %s" % ("workload", "ours ms", "best run", "Torch7 ms", "ratio",
                                                 "PyTorch ms", "(%d processes x %d reps: median, and the "
                                                 "fastest process's median)" % (args.runs, args.reps)))
    for name in runs[0]:
        mine = [r[name] for r in runs if name in r]
        ours = float(np.median(mine))
        ref = TORCH7_MS.get(name)
        print("%-18s %10.2f %10.2f %10s %7s %10s" % (name, ours, min(mine), "-" if ref is None else "%.1f" % ref,
                                                     "-" if ref is None else "%.2f" % (ours / ref),
                                                     "%.2f" % pt[name] if name in pt else "-"))


if __name__ == "__main__":
    main()
