"""nn speed against PyTorch CPU in the same run (float32, 2 threads): forward+backward of

  convnet  conv 3->32 3x3 pad 1, ReLU, maxpool 2; conv 32->64 3x3 pad 1, ReLU, maxpool 2;
           View; Linear 4096->10, on 64x3x32x32 (target: at most 1.25x PyTorch's time)
  mlp      784-1024-1024-10 with ReLUs, batch 128, CrossEntropyCriterion (target: at most 1.0x)

Run:  python bench/bench_nn.py [--reps N] [--profile]
Prints the median time of each side and the ratio (ours / PyTorch).
"""
import argparse
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import pytorch_lite as lt  # noqa: E402
from pytorch_lite import nn  # noqa: E402


def median_time(fn, reps):
    fn()  # warm up (buffers allocated, BLAS threads started)
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return float(np.median(ts))


def convnet_ours():
    m = nn.Sequential()
    m.add(nn.SpatialConvolution(3, 32, 3, 3, 1, 1, 1, 1)).add(nn.ReLU()).add(nn.SpatialMaxPooling(2, 2, 2, 2))
    m.add(nn.SpatialConvolution(32, 64, 3, 3, 1, 1, 1, 1)).add(nn.ReLU()).add(nn.SpatialMaxPooling(2, 2, 2, 2))
    m.add(nn.View(64 * 8 * 8).setNumInputDims(3) if hasattr(nn.View(1), "setNumInputDims") else nn.View(-1, 4096))
    m.add(nn.Linear(4096, 10))
    return m.float()


def convnet_torch(T, ours):
    tn = T.nn
    m = tn.Sequential(tn.Conv2d(3, 32, 3, padding=1), tn.ReLU(), tn.MaxPool2d(2),
                      tn.Conv2d(32, 64, 3, padding=1), tn.ReLU(), tn.MaxPool2d(2),
                      tn.Flatten(), tn.Linear(4096, 10))
    with T.no_grad():  # same weights
        for tm, om in zip([m[0], m[3], m[7]], [ours.modules[0], ours.modules[3], ours.modules[7]]):
            tm.weight.copy_(T.from_numpy(om.weight._a.reshape(tm.weight.shape)))
            tm.bias.copy_(T.from_numpy(om.bias._a))
    return m


def mlp_ours():
    m = nn.Sequential().add(nn.Linear(784, 1024)).add(nn.ReLU()).add(nn.Linear(1024, 1024)).add(nn.ReLU())
    m.add(nn.Linear(1024, 10))
    return m.float()


def mlp_torch(T, ours):
    tn = T.nn
    m = tn.Sequential(tn.Linear(784, 1024), tn.ReLU(), tn.Linear(1024, 1024), tn.ReLU(), tn.Linear(1024, 10))
    with T.no_grad():
        for tm, om in zip([m[0], m[2], m[4]], [ours.modules[0], ours.modules[2], ours.modules[4]]):
            tm.weight.copy_(T.from_numpy(om.weight._a))
            tm.bias.copy_(T.from_numpy(om.bias._a))
    return m


def step_ours(model, crit, x, y):
    def run():
        model.zeroGradParameters()
        out = model.forward(x)
        if crit is None:
            model.backward(x, g_ones(out))
        else:
            crit.forward(out, y)
            model.backward(x, crit.backward(out, y))
    return run


_G = {}


def g_ones(out):
    g = _G.get(out._size)
    if g is None:
        g = _G[out._size] = lt.FloatTensor(*out._size).fill(1)
    return g


def step_torch(T, model, crit, x, y):
    def run():
        model.zero_grad(set_to_none=False)
        out = model(x)
        if crit is None:
            out.backward(T.ones_like(out))
        else:
            crit(out, y).backward()
    return run


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--profile", action="store_true", help="cProfile our convnet step")
    args = ap.parse_args()
    import torch as T
    T.set_num_threads(2)
    rng = np.random.RandomState(0)
    lt.manualSeed(1)
    results = []

    # convnet (a plain sum-of-outputs gradient: the criterion is not what is measured)
    xc = rng.standard_normal((64, 3, 32, 32)).astype(np.float32)
    ours = convnet_ours()
    theirs = convnet_torch(T, ours)
    fo = step_ours(ours, None, lt.from_numpy(xc), None)
    ft = step_torch(T, theirs, None, T.from_numpy(xc), None)
    fo()
    ft()
    err = np.abs(ours.output._a - theirs(T.from_numpy(xc)).detach().numpy()).max()
    results.append(("convnet 64x3x32x32 fwd+bwd", median_time(fo, args.reps), median_time(ft, args.reps), 1.25, err))
    if args.profile:
        import cProfile
        import pstats
        pr = cProfile.Profile()
        pr.enable()
        for _ in range(10):
            fo()
        pr.disable()
        pstats.Stats(pr).sort_stats("tottime").print_stats(15)

    # MLP with CrossEntropyCriterion
    xm = rng.standard_normal((128, 784)).astype(np.float32)
    labels = rng.randint(0, 10, 128)
    ours = mlp_ours()
    theirs = mlp_torch(T, ours)
    crit_o = nn.CrossEntropyCriterion().float()
    crit_t = T.nn.CrossEntropyLoss()
    fo = step_ours(ours, crit_o, lt.from_numpy(xm), lt.from_numpy(labels.astype(np.int64)))
    ft = step_torch(T, theirs, crit_t, T.from_numpy(xm), T.from_numpy(labels))
    fo()
    err = np.abs(ours.output._a - theirs(T.from_numpy(xm)).detach().numpy()).max()
    results.append(("mlp 784-1024-1024-10 b128 fwd+bwd+CE", median_time(fo, args.reps), median_time(ft, args.reps),
                    1.0, err))

    print("%-40s %10s %10s %7s %7s  %s" % ("benchmark", "ours ms", "torch ms", "ratio", "target", "max|out diff|"))
    for name, to, tt, target, err in results:
        print("%-40s %10.2f %10.2f %7.2f %7.2f  %.2e" % (name, to * 1e3, tt * 1e3, to / tt, target, err))


if __name__ == "__main__":
    main()
