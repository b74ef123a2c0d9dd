"""t7 load/save speed and memory against the cost of moving the same bytes.

    .venv/bin/python bench/bench_serialization.py [--mb 200] [--small 5000]

Case 1, tensor-heavy: ~200 MB of FloatTensors.  Load time / the time to read the file's bytes
(open().read()), save time / the time to write those bytes, and peak traced memory / file size
(tracemalloc: numpy buffers included).  Targets: time <= 1.5x, memory <= 1.2x.
Case 2, thousands of small tensors and tables: the same ratios (small objects cost Python work
per object, so only the per-object cost is meaningful there) plus microseconds per object.
Exit status 1 when a case-1 target is missed.
"""
import argparse
import gc
import os
import sys
import tempfile
import time
import tracemalloc

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pytorch_lite as torch  # noqa: E402


def best_of(fn, repeat, fresh=None):
    """Best wall time of fn(); ``fresh``: a path removed before each run (untimed), so that every
    write creates a new file instead of truncating the last one (truncation costs the filesystem
    time that has nothing to do with the writer)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        if fresh is not None and os.path.exists(fresh):
            os.remove(fresh)
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def peak_of(fn):
    gc.collect()
    tracemalloc.start()
    try:
        out = fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    del out
    return peak


def raw_read(path):
    with open(path, "rb") as f:
        return f.read()


def raw_write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def measure(name, obj, path, repeat):
    torch.save(path, obj)
    size = os.path.getsize(path)
    data = raw_read(path)
    t_read = best_of(lambda: raw_read(path), repeat)
    t_load = best_of(lambda: torch.load(path), repeat)
    out = path + ".out"
    t_write = best_of(lambda: raw_write(out, data), repeat, fresh=out)
    t_save = best_of(lambda: torch.save(out, obj), repeat, fresh=out)
    assert raw_read(out) == data
    data = None  # free it before measuring memory
    m_load = peak_of(lambda: torch.load(path))
    m_save = peak_of(lambda: torch.save(out, obj))
    os.remove(out)
    r = dict(size=size, load=t_load / t_read, save=t_save / t_write, mem_load=m_load / size,
             mem_save=m_save / size, t_load=t_load, t_read=t_read, t_save=t_save, t_write=t_write)
    print("%-28s %8.1f MB | load %.3fs / read %.3fs = %5.2fx | save %.3fs / write %.3fs = %5.2fx | "
          "peak memory: load %.2fx, save %.2fx of the file"
          % (name, size / 1e6, t_load, t_read, r["load"], t_save, t_write, r["save"], r["mem_load"], r["mem_save"]))
    return r


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=200.0, help="size of the tensor-heavy file")
    ap.add_argument("--small", type=int, default=5000, help="number of small tensors")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(0)
    n_float = int(args.mb * 1e6 / 4)
    per = max(n_float // 20, 1)
    big = {"layer%d" % i: torch.FloatTensor(rng.standard_normal(per, dtype=np.float32).reshape(-1, 100))
           for i in range(20)}
    small = [{"w": torch.FloatTensor(rng.standard_normal((4, 4), dtype=np.float32)),
              "idx": torch.LongTensor(np.arange(3)), "name": "layer%d" % i, "lr": 0.01 * i,
              "cfg": {"k": 3, "stride": [1, 1]}} for i in range(args.small)]
    ok = True
    with tempfile.TemporaryDirectory() as d:
        r = measure("%.0f MB of FloatTensors" % args.mb, big, os.path.join(d, "big.t7"), args.repeat)
        ok = r["load"] <= 1.5 and r["save"] <= 1.5 and r["mem_load"] <= 1.2 and r["mem_save"] <= 1.2
        del big
        gc.collect()
        r2 = measure("%d small tensors+tables" % args.small, small, os.path.join(d, "small.t7"), args.repeat)
        n_obj = args.small * 7  # per entry: 1 table, 2 tensors, 2 storages, the cfg table, its list
        print("%-28s load %.1f us/object, save %.1f us/object"
              % ("", r2["t_load"] / n_obj * 1e6, r2["t_save"] / n_obj * 1e6))
    print("tensor-heavy targets (time <= 1.5x, memory <= 1.2x):", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
