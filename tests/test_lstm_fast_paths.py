"""The speed paths of the char-rnn LSTM step (bench/bench_nn.py and bench/bench_legacy.lua's lstm
rows): Linear's forward and bias gradient in C, the fused pointwise kernels of csrc/_pointwise.pyx
and the nngraph walk over precomputed slots, each against the path it replaces bit for bit (float
and double), with PyTorch CPU and finite differences as oracles where a kernel is the only path."""
import numpy as np
import pytest

import pytorch_lite as lt
from pytorch_lite import nn
from pytorch_lite import _nn_conv

rng = np.random.RandomState(2468)
DTYPES = [np.float32, np.float64]


def T(a):
    return lt.from_numpy(np.ascontiguousarray(a))


# -- Linear ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_linear_forward_equals_gemm_path(dtype, monkeypatch):
    if not _nn_conv.HAVE_CBLAS:
        pytest.skip("numpy's OpenBLAS is not reachable from C here")
    for M, N, K, with_bias in [(16, 512, 128, True), (16, 512, 65, True), (16, 512, 128, False),
                               (3, 700, 33, True), (50, 512, 128, True), (17, 129, 40, True)]:
        x = rng.standard_normal((M, K)).astype(dtype)
        w = rng.standard_normal((N, K)).astype(dtype)
        b = rng.standard_normal(N).astype(dtype) if with_bias else None
        fast, slow = np.full((M, N), np.nan, dtype), np.full((M, N), np.nan, dtype)
        assert _nn_conv.linear_forward(x, w, b, fast)
        # the path it replaces: the bias rows, then the (swapped) GEMM adding onto them
        if with_bias:
            slow[...] = b
        assert _nn_conv.gemm(x, w, slow, False, True, 1, 1 if with_bias else 0)
        assert np.array_equal(fast, slow)
        # and the unswapped product, as the swapped one equals it
        monkeypatch.setattr(_nn_conv, "SWAP_MIN_WORK", 1 << 62)
        direct = np.zeros((M, N), dtype) if b is None else np.broadcast_to(b, (M, N)).copy()
        assert _nn_conv.gemm(x, w, direct, False, True, 1, 1)
        assert not _nn_conv.linear_forward(x, w, b, fast)   # outside the swapped range: not done
        monkeypatch.undo()
        assert np.array_equal(fast, direct)
        ref = x.astype(np.float64) @ w.T.astype(np.float64) + (0 if b is None else b)
        assert np.allclose(fast, ref, rtol=1e-4, atol=1e-3)


def test_linear_forward_declines_what_it_does_not_take():
    x, w = np.ones((4, 300), np.float32), np.ones((512, 300), np.float32)
    out = np.empty((4, 512), np.float32)
    assert not _nn_conv.linear_forward(x.astype(np.float64), w, None, out)   # mixed types
    assert not _nn_conv.linear_forward(x, w, np.ones(512, np.float64), out)  # bias of another type
    assert not _nn_conv.linear_forward(x, w, np.ones(511, np.float32), out)  # bias of the wrong size
    assert not _nn_conv.linear_forward(np.ones((300, 4), np.float32).T, w, None, out)  # not contiguous
    assert not _nn_conv.linear_forward(x, w, None, np.empty((4, 511), np.float32))     # wrong shape
    assert not _nn_conv.linear_forward(np.ones((600, 300), np.float32), w, None,
                                       np.empty((600, 512), np.float32))              # many rows


@pytest.mark.parametrize("dtype", DTYPES)
def test_linear_bias_gradient_equals_numpy(dtype):
    for R, N, scale in [(16, 512, 1), (16, 65, 0.37), (1, 7, -2.5), (33, 130, 1e-3)]:
        g = rng.standard_normal((R, N)).astype(dtype)
        gb0 = rng.standard_normal(N).astype(dtype)
        fast, slow = gb0.copy(), gb0.copy()
        assert _nn_conv.linear_acc_grad_bias(g, fast, scale)
        slow += scale * g.sum(0)
        assert np.array_equal(fast, slow)
    assert not _nn_conv.linear_acc_grad_bias(g.astype(np.float32 if dtype == np.float64 else np.float64),
                                             fast, 1)
    assert not _nn_conv.linear_acc_grad_bias(g.T, fast, 1)


@pytest.mark.parametrize("typename", ["torch.FloatTensor", "torch.DoubleTensor"])
def test_linear_module_same_bits_with_and_without_the_c_paths(typename, monkeypatch):
    import importlib
    linear_mod = importlib.import_module("pytorch_lite.nn.Linear")
    m = nn.Linear(128, 512).type(typename)
    x = T(rng.standard_normal((16, 128))).type(typename)
    go = T(rng.standard_normal((16, 512))).type(typename)

    def run():
        m.zeroGradParameters()
        y = m.forward(x)._a.copy()
        m.backward(x, go, 0.5)
        return y, m.gradInput._a.copy(), m.gradWeight._a.copy(), m.gradBias._a.copy()

    fast = run()
    monkeypatch.setattr(linear_mod, "linear_forward", lambda *a: False)
    monkeypatch.setattr(linear_mod, "linear_acc_grad_bias", lambda *a: False)
    slow = run()
    for a, b in zip(fast, slow):
        assert np.array_equal(a, b)


# -- nngraph: the pulled walk ---------------------------------------------------------------------
def odd_graphs():
    """Shapes the LSTM does not have: a split whose source also feeds a module, a one-in one-out
    graph, a ConcatTable's table split, a node feeding two outputs, an input used by two nodes."""
    x, y = nn.Identity()(), nn.Identity()()
    h = nn.Linear(4, 6)(x)
    parts = nn.SplitTable(0)(nn.Reshape(2, 3)(h))
    a, b = parts.split(2)
    t = nn.Tanh()(h)
    c = nn.ConcatTable().add(nn.Identity()).add(nn.Sigmoid())(nn.Linear(2, 3)(y))
    c1, c2 = c.split(2)
    s = nn.CAddTable()([a, c1, nn.CMulTable()([b, c2])])
    g1 = nn.gModule([x, y], [s, t, nn.Identity()(t), nn.Sigmoid()(x)])
    z = nn.Identity()()
    g2 = nn.gModule([z], [nn.Tanh()(nn.Linear(5, 5)(z))])
    return g1, g2


@pytest.mark.parametrize("dtype", ["torch.DoubleTensor", "torch.FloatTensor"])
def test_pulled_walk_equals_node_walk_on_odd_graphs(dtype, monkeypatch):
    from pytorch_lite.nngraph import gmodule
    from test_nngraph_speed import run, same
    lt.manualSeed(7)
    Ty = lt.TENSOR_TYPES[dtype]
    g1, g2 = (g.type(dtype) for g in odd_graphs())
    cases = [(g1, [Ty(4).uniform(-1, 1), Ty(2).uniform(-1, 1)],
              [Ty(3).uniform(-1, 1), Ty(6).uniform(-1, 1), Ty(6).uniform(-1, 1), Ty(4).uniform(-1, 1)]),
             (g2, Ty(3, 5).uniform(-1, 1), Ty(3, 5).uniform(-1, 1))]
    for g, xs, gs in cases:
        planned = run(g, xs, gs)
        assert gmodule._plan(g) is not None
        with monkeypatch.context() as m:
            m.setattr(gmodule, "_plan", lambda g: None)
            by_nodes = run(g, xs, gs)
        same(planned, by_nodes)
        same(run(g, xs, gs), planned)
    # the outputs are live: the same objects the modules hold
    out = g1.forward(cases[0][1])
    assert out is g1.outnode.data["input"] and out[1] is out[2]
    assert out[0] is [m for m in g1.modules if m.typename == "nn.CAddTable"][0].output
