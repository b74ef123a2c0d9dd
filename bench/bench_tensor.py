"""Tensor speed against the references, measured in one run on the same data.

    python bench/bench_tensor.py

Small tensors: a method call such as x.add(y) against PyTorch CPU's x.add_(y) (targets: ratio <= 1).
Large tensors (1e7 elements) and mm 2048x2048 float32: against numpy doing the same work
(target: ratio <= 1.1).  Prints one line per case: ours, reference, ratio.
"""
import os
import sys
import timeit

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import pytorch_lite as plt  # noqa: E402

try:
    import torch as pt
    pt.set_num_threads(int(os.environ.get("BENCH_THREADS", "2")))
except ImportError:  # the small-tensor reference needs PyTorch
    pt = None


def best(fn, number, repeat=5):
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def pair(ours, ref, number, repeat=7):
    """Best times of ours and ref, measured alternately so that load from elsewhere hits both."""
    a, b = [], []
    for _ in range(repeat):
        a.append(timeit.timeit(ours, number=number))
        b.append(timeit.timeit(ref, number=number))
    return min(a) / number, min(b) / number


def row(name, ours, ref, refname):
    print("%-34s %10.3f us %10.3f us (%s)  ratio %.2f" % (name, ours * 1e6, ref * 1e6, refname, ours / ref))
    return ours / ref


def small():
    x = plt.Tensor(10).fill(1)
    y = plt.Tensor(10).fill(2)
    ratios = []
    if pt is None:
        print("small tensors: PyTorch not installed, skipped")
        return ratios
    px = pt.ones(10, dtype=pt.float64)
    py = pt.ones(10, dtype=pt.float64)
    cases = [("x.add(y)", lambda: x.add(y), lambda: px.add_(py)),
             ("x.add(2)", lambda: x.add(2), lambda: px.add_(2)),
             ("x.mul(2)", lambda: x.mul(2), lambda: px.mul_(2)),
             ("x.cmul(y)", lambda: x.cmul(y), lambda: px.mul_(py)),
             ("x.fill(1)", lambda: x.fill(1), lambda: px.fill_(1)),
             ("x.sum()", lambda: x.sum(), lambda: px.sum().item()),
             ("x.narrow(0, 2, 3)", lambda: x.narrow(0, 2, 3), lambda: px.narrow(0, 2, 3)),
             # a fresh view read by a kernel (its array built first): the legacy small-op loop
             ("x.narrow(0, 2, 3).sum()", lambda: x.narrow(0, 2, 3).sum(), lambda: px.narrow(0, 2, 3).sum().item()),
             ("x.copy(y)", lambda: x.copy(y), lambda: px.copy_(py)),
             ("x.max()", lambda: x.max(), lambda: px.max().item()),
             ("x.view(2, 5)", lambda: x.view(2, 5), lambda: px.view(2, 5)),
             ("x.view(2, 5).select(0, 1)", lambda: x.view(2, 5).select(0, 1), lambda: px.view(2, 5).select(0, 1))]
    for name, ours, ref in cases:
        try:
            ours()
        except (AttributeError, TypeError) as e:
            print("%-34s not available (%s)" % (name, e))
            continue
        ratios.append(row("small " + name, *pair(ours, ref, 20000), "torch"))
    return ratios


def large():
    n = 10 ** 7
    rng = np.random.RandomState(0)
    a = rng.rand(n)
    b = rng.rand(n)
    x, y = plt.from_numpy(a.copy()), plt.from_numpy(b.copy())
    xa, ya = x.numpy(), y.numpy()
    out = np.empty_like(a)
    r = plt.Tensor(n)
    ratios = []
    cases = [("add 1e7 (in place)", lambda: x.add(y), lambda: np.add(xa, ya, out=xa)),
             ("torch.add(r, x, y) 1e7", lambda: plt.add(r, x, y), lambda: np.add(xa, ya, out=out)),
             ("mul 1e7 (in place)", lambda: x.mul(1.0000001), lambda: np.multiply(xa, 1.0000001, out=xa)),
             ("exp 1e7", lambda: plt.exp(r, y), lambda: np.exp(ya, out=out)),
             ("sum 1e7", lambda: x.sum(), lambda: xa.sum()),
             ("max 1e7", lambda: x.max(), lambda: xa.max())]
    for name, ours, ref in cases:
        try:
            ours()
        except (AttributeError, TypeError) as e:
            print("%-34s not available (%s)" % (name, e))
            continue
        ratios.append(row(name, *pair(ours, ref, 3), "numpy"))
    m = 2048
    fa = rng.rand(m, m).astype(np.float32)
    fb = rng.rand(m, m).astype(np.float32)
    A, B = plt.from_numpy(fa), plt.from_numpy(fb)
    C = plt.FloatTensor(m, m)
    fc = np.empty((m, m), np.float32)
    try:
        plt.mm(C, A, B)
        ratios.append(row("mm 2048x2048 float32", *pair(lambda: plt.mm(C, A, B),
                                                         lambda: np.matmul(fa, fb, out=fc), 2, 3), "numpy"))
    except (AttributeError, TypeError) as e:
        print("mm not available (%s)" % e)
    return ratios


def printing():
    x = plt.from_numpy(np.random.RandomState(0).rand(1000, 1000))
    t = best(lambda: str(x), 1, 3)
    print("%-34s %10.3f ms (no reference; Torch7 formats in Lua)" % ("str() of a 1000x1000 tensor", t * 1e3))


if __name__ == "__main__":
    s = small()
    lg = large()
    printing()
    if s:
        print("small-tensor worst ratio vs torch: %.2f (target <= 1.0)" % max(s))
    if lg:
        print("large-tensor worst ratio vs numpy: %.2f (target <= 1.1)" % max(lg))
