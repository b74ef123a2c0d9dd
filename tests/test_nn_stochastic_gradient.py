"""nn.StochasticGradient: Torch7's trainer loop, progress lines and random stream.

Oracles: the Torch7 run recorded in scripts/12_modes_sharing_types.expected.txt (same seed, same
dataset), and a numpy re-implementation of per-example SGD for Linear + MSE."""
import os

import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import nn
from fixture_paths import TORCH7

EXPECTED = os.path.join(TORCH7, "scripts", "12_modes_sharing_types.expected.txt")


def _dataset(seed, n=20):
    torch.manualSeed(seed)
    ds = []
    for _ in range(n):
        inp = torch.randn(2)
        ds.append((inp, torch.Tensor([inp[0] - inp[1]])))
    return ds


def _numpy_sgd(ds, w, b, order, lr, decay, iters):
    """Per-example SGD with MSE = mean((y - t)^2), so dL/dy = 2 (y - t) / n."""
    errs = []
    cur = lr
    for it in range(1, iters + 1):
        err = 0.0
        for i in order:
            x, t = ds[i][0].numpy().astype(float), ds[i][1].numpy().astype(float)
            y = w @ x + b
            err += np.mean((y - t) ** 2)
            g = 2 * (y - t) / y.size
            w = w - cur * np.outer(g, x)
            b = b - cur * g
        errs.append(err / len(order))
        cur = lr / (1 + (it + 1) * decay)
    return w, b, errs


@pytest.mark.skipif(not os.path.isfile(EXPECTED), reason="Torch7 script fixtures not present")
def test_matches_torch7_run():
    with open(EXPECTED) as f:
        lines = f.read().split("\n")
    start = lines.index("# StochasticGradient: training\t")
    want = [l.rstrip("\t") for l in lines[start:start + 8]]
    wline = lines[start + 8]
    ds = _dataset(4)
    lin = nn.Linear(2, 1)
    out = []
    tr = nn.StochasticGradient(lin, nn.MSECriterion())
    tr.printer = out.append
    tr.learningRate = 0.05
    tr.maxIteration = 5
    tr.shuffleIndices = False
    tr.train(ds)
    assert out[0] == want[0] and out[-2] == want[-2]
    for got, exp in zip(out[1:], want[1:]):
        if "=" in exp:
            assert got.split("=")[0] == exp.split("=")[0]
            assert float(got.split("=")[1]) == pytest.approx(float(exp.split("=")[1]), rel=1e-12)
        else:
            assert got == exp
    w = [float(v) for v in wline.split("=")[1].split()]
    assert lin.weight[0][0] == pytest.approx(w[0], rel=1e-9)
    assert lin.weight[0][1] == pytest.approx(w[1], rel=1e-9)


def test_shuffled_order_is_randperm_and_weights_match_numpy():
    ds = _dataset(7, 12)
    lin = nn.Linear(2, 1)
    w0, b0 = lin.weight.numpy().copy(), lin.bias.numpy().copy()
    state = torch.getRNGState()
    perm = [int(i) for i in torch.randperm(12).tolist()]
    torch.setRNGState(state)
    seen, errs = [], []
    tr = nn.StochasticGradient(lin, nn.MSECriterion())
    tr.printer = lambda s: None
    tr.learningRate, tr.learningRateDecay, tr.maxIteration = 0.03, 0.1, 3
    tr.hookExample = lambda t, ex: seen.append(next(i for i, e in enumerate(ds) if e is ex))
    tr.hookIteration = lambda t, it, err: errs.append((it, err))
    tr.train(ds)
    assert seen == perm * 3
    w, b, nerrs = _numpy_sgd(ds, w0, b0, perm, 0.03, 0.1, 3)
    np.testing.assert_allclose(lin.weight.numpy(), w, rtol=1e-12)
    np.testing.assert_allclose(lin.bias.numpy(), b, rtol=1e-12)
    assert [i for i, _ in errs] == [1, 2, 3]
    np.testing.assert_allclose([e for _, e in errs], nerrs, rtol=1e-12)


def test_quiet_and_dataset_with_size():
    class DS:
        def __init__(self, items):
            self.items = items

        def size(self):
            return len(self.items)

        def __getitem__(self, i):
            return self.items[i]
    ds = DS(_dataset(3, 5))
    out = []
    tr = nn.StochasticGradient(nn.Linear(2, 1), nn.MSECriterion())
    tr.printer, tr.verbose, tr.maxIteration = out.append, False, 2
    err = tr.train(ds)
    assert out == ["# StochasticGradient: training",
                   "# StochasticGradient: you have reached the maximum number of iterations",
                   "# training error = %.14g" % err]
