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


# -- the fused pointwise kernels ------------------------------------------------------------------
def _operands(dtype, shape, strided):
    """Three arrays of one shape; strided: the inputs are views with gaps (SplitTable's slices)."""
    def one():
        if not strided:
            return rng.uniform(-1.5, 1.5, shape).astype(dtype)
        big = rng.uniform(-1.5, 1.5, shape[:-1] + (3, shape[-1])).astype(dtype)
        return big[..., 1, :]
    return one(), one()


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(16, 128), (3, 4, 5), (7,), ()])
@pytest.mark.parametrize("strided", [False, True])
def test_pointwise_kernels_equal_numpy_chains(dtype, shape, strided):
    from pytorch_lite import _pointwise as k
    if strided and not shape:
        return
    a, b = _operands(dtype, shape, strided)
    y = np.asarray(np.tanh(a))            # an output in (-1, 1), as Sigmoid's and Tanh's are
    chains = [(k.sigmoid_grad, (y, b), lambda: b * ((1 - y) * y)),
              (k.tanh_grad, (y, b), lambda: b * (1 - y * y)),
              (k.mul, (a, b), lambda: a * b),
              (k.add, (a, b), lambda: a + b),
              (k.recip_1p, (np.asarray(np.exp(-a)),), lambda: 1 / (1 + np.exp(-a)))]
    for fn, args, ref in chains:
        out = np.full(shape, np.nan, dtype)
        assert fn(*args, out)
        want = ref()
        assert want.dtype == dtype and np.array_equal(out, want)
        # into a strided output (a column of a wider buffer) as well
        wide = np.full(shape + (2,), np.nan, dtype)
        assert fn(*args, wide[..., 1])
        assert np.array_equal(wide[..., 1], want) and np.isnan(wide[..., 0]).all()


def test_pointwise_kernels_refuse_what_they_do_not_take():
    from pytorch_lite import _pointwise as k
    a = rng.standard_normal((4, 6))
    out = np.empty((4, 6))
    assert not k.mul(a, a.astype(np.float32), out)              # mixed types
    assert not k.mul(a, a[:, :5], out[:, :5].copy().T)          # shapes differ
    assert not k.mul(a.astype(np.int64), a.astype(np.int64), out.astype(np.int64))   # not float
    assert not k.mul(a, a, a[:, ::-1])                          # output overlaps an input, shifted
    ro = np.empty((4, 6))
    ro.flags.writeable = False
    assert not k.mul(a, a, ro)
    assert not k.mul(np.ones((2, 3, 4))[:, :2, :], np.ones((2, 2, 4)), np.empty((2, 2, 4)).transpose(1, 0, 2))
    # in place, element for element, is fine: out = out * b
    b = rng.standard_normal((4, 6))
    want = a * b
    assert k.mul(a, b, a) and np.array_equal(a, want)


def _module_runs(m, inputs, go):
    m.forward(inputs)
    out = m.output._a.copy()
    gi = m.backward(inputs, go)
    return [out] + [g._a.copy() for g in (gi if isinstance(gi, list) else [gi])]


@pytest.mark.parametrize("typename", ["torch.FloatTensor", "torch.DoubleTensor"])
def test_modules_same_bits_with_and_without_the_kernels(typename, monkeypatch):
    from pytorch_lite import _pointwise
    gates = T(rng.uniform(-3, 3, (16, 4, 128))).type(typename)
    x = gates.select(1, 2)                             # a strided slice, as SplitTable gives
    u, v = (T(rng.uniform(-2, 2, (16, 128))).type(typename) for _ in range(2))
    go = T(rng.uniform(-1, 1, (16, 128))).type(typename)
    cases = [(nn.Sigmoid, x), (nn.Tanh, x), (nn.CMulTable, [u, v]), (nn.CAddTable, [u, v]),
             (nn.CMulTable, [u, x]), (nn.CMulTable, [u, v, x])]
    for cls, inp in cases:
        fast = _module_runs(cls().type(typename), inp, go)
        with monkeypatch.context() as m:
            for name in ("sigmoid_grad", "tanh_grad", "mul", "add", "recip_1p"):
                m.setattr(_pointwise, name, lambda *a: False)
            slow = _module_runs(cls().type(typename), inp, go)
        assert len(fast) == len(slow)
        for p, q in zip(fast, slow):
            assert np.array_equal(p, q)


def test_modules_with_the_kernels_against_pytorch():
    import torch
    x = rng.uniform(-3, 3, (16, 128))
    u = rng.uniform(-2, 2, (16, 128))
    go = rng.uniform(-1, 1, (16, 128))
    for cls, fn in ((nn.Sigmoid, torch.sigmoid), (nn.Tanh, torch.tanh)):
        m = cls()
        got = _module_runs(m, T(x), T(go))
        X = torch.tensor(x, requires_grad=True)
        Y = fn(X)
        Y.backward(torch.tensor(go))
        assert np.allclose(got[0], Y.detach().numpy(), rtol=1e-12, atol=1e-14)
        assert np.allclose(got[1], X.grad.numpy(), rtol=1e-12, atol=1e-14)
    got = _module_runs(nn.CMulTable(), [T(x), T(u)], T(go))
    assert np.array_equal(got[0], x * u) and np.array_equal(got[1], go * u) and np.array_equal(got[2], go * x)
    got = _module_runs(nn.CAddTable(), [T(x), T(u)], T(go))
    assert np.array_equal(got[0], x + u) and np.array_equal(got[1], go) and np.array_equal(got[2], go)


# -- ClassNLLCriterion's plain batch ---------------------------------------------------------------
@pytest.mark.parametrize("typename", ["torch.FloatTensor", "torch.DoubleTensor"])
def test_class_nll_plain_batch_equals_general_path(typename, monkeypatch):
    import importlib
    mod = importlib.import_module("pytorch_lite.nn.ClassNLLCriterion")
    x = T(np.log(rng.dirichlet(np.ones(65), 16))).type(typename)
    labels = rng.randint(0, 65, 16)
    for target in (T(labels.astype(np.int64)), T(labels.astype(np.float64)).type(typename)):
        for size_average in (True, False):
            runs = []
            for fast in (True, False):
                with monkeypatch.context() as m:
                    if not fast:
                        m.setattr(mod.ClassNLLCriterion, "_plain", lambda self, i, t: None)
                    c = nn.ClassNLLCriterion(None, size_average).type(typename)
                    loss = c.forward(x, target)
                    runs.append((loss, c.backward(x, target)._a.copy(), c.output_tensor._a.copy(),
                                 c.total_weight_tensor._a.copy()))
            (l1, g1, o1, w1), (l2, g2, o2, w2) = runs
            assert l1 == l2 and np.array_equal(g1, g2) and np.array_equal(o1, o2) and np.array_equal(w1, w2)
            want = -x._a.astype(np.float64)[np.arange(16), labels].sum() / (16 if size_average else 1)
            assert abs(l1 - want) < 1e-5 * abs(want)


def test_class_nll_ignored_or_bad_targets_take_the_general_path():
    from pytorch_lite.errors import TorchIndexError
    x = T(np.log(rng.dirichlet(np.ones(5), 4)))
    c = nn.ClassNLLCriterion(None, True, 2)
    t = T(np.array([0, 2, 4, 1], np.int64))
    assert c._plain(x, t) is None
    want = -(x._a[0, 0] + x._a[2, 4] + x._a[3, 1]) / 3
    assert abs(c.forward(x, t) - want) < 1e-12
    assert c.backward(x, t)._a[1].tolist() == [0] * 5
    with pytest.raises(TorchIndexError):
        nn.ClassNLLCriterion().forward(x, T(np.array([0, 5, 1, 1], np.int64)))
    with pytest.raises(TorchIndexError):
        nn.ClassNLLCriterion().forward(x, T(np.array([0, -1, 1, 1], np.int64)))


@pytest.mark.parametrize("dtype", ["torch.DoubleTensor", "torch.FloatTensor"])
def test_gradoutput_sum_in_c_equals_copy_and_add(dtype, monkeypatch):
    # the LSTM's c and h each get two gradOutputs (the next layer or Tanh, and the graph output)
    import types
    from pytorch_lite.nngraph import gmodule
    from test_nngraph_speed import cases, run, same
    g, xs, gs = cases(dtype)[0]
    fast = run(g, xs, gs)
    summed = [n.data for n in g.backwardnodes if len(n.data.get("gradOutput", [])) == 2]
    assert len(summed) >= 4
    monkeypatch.setattr(gmodule, "kernels", types.SimpleNamespace(add=lambda *a: False))
    same(run(g, xs, gs), fast)
    for d in summed:    # and the buffer holds the sum, as nngraph leaves it
        a, b = d["gradOutput"]
        assert np.array_equal(d["gradOutputBuffer"]._a, a._a + b._a)


def test_nll_target_check_and_its_device_twin():
    from pytorch_lite import _nn
    from pytorch_lite.cuda import _nn as dev
    for t, want in [([0, 2, 4, 1], (0, -1)), ([0, -100, 4, -100], (2, -1)), ([0, 5, -1, 2], (0, 1)),
                    ([-100, -3, 7, 1], (1, 1)), ([], (0, -1))]:
        a = np.array(t, np.int64)
        assert _nn.nll_targets(a, 5, -100) == want
        assert dev.nll_targets(a, 5, -100) == want
    assert _nn.nll_targets(np.arange(10, dtype=np.int64)[::3], 7, -100) == (0, 3)   # strided: 0 3 6 9
    with pytest.raises(TypeError):
        _nn.nll_targets(np.zeros(3, np.int32), 5, -100)
