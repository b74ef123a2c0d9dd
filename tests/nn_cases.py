"""The nn test table and its one harness (after PyTorch's old test_legacy_nn.py).

Each entry of CASES is one module or criterion: how to build it, an input (and target), and
options.  ``run_case`` does, for every entry: a finite-difference Jacobian check of gradInput and
of the parameter gradients (training and evaluate mode), Torch7's recorded numbers where
../shared/fixtures/torch7/modules/<fixture>.t7 exists (params restored, forward/backward
rerun), a type round trip, clearState, clone, and the print layout.
"""
import math
import os
import struct

import numpy as np

import pytorch_lite as torch
import fixture_paths
from pytorch_lite import nn
from pytorch_lite.tensor import Tensor, TENSOR_TYPES
from pytorch_lite.storage import STORAGE_TYPES

FIXTURES = os.path.join(fixture_paths.TORCH7, "modules")


# -- reading the fixtures ----------------------------------------------------------------------------
# The project's t7 reader (pytorch_lite.serialization) is used when present; until then this
# minimal binary reader gives the raw Lua values (tables as dicts, nn objects as (class, dict)).

class T7Object:
    def __init__(self, cls, fields):
        self.cls, self.fields = cls, fields

    def __repr__(self):
        return "T7Object(%s)" % self.cls


def _mini_load(path):
    data = open(path, "rb").read()
    pos = [0]
    memo = {}

    def rd(fmt):
        v = struct.unpack_from("<" + fmt, data, pos[0])
        pos[0] += struct.calcsize("<" + fmt)
        return v[0] if len(v) == 1 else v

    def rstr():
        n = rd("i")
        s = data[pos[0]:pos[0] + n]
        pos[0] += n
        return s.decode("latin-1")

    def obj():
        tag = rd("i")
        if tag == 0:
            return None
        if tag == 1:
            v = rd("d")
            return int(v) if v == v and abs(v) < 2 ** 53 and v == int(v) else v
        if tag == 2:
            return rstr()
        if tag == 5:
            return rd("i") == 1
        if tag in (3, 4):
            idx = rd("i")
            if idx in memo:
                return memo[idx]
            if tag == 3:
                t = {}
                memo[idx] = t
                n = rd("i")
                for _ in range(n):
                    k = obj()
                    t[k] = obj()
                return t
            ver = rstr()
            cls = rstr() if ver.startswith("V ") else ver
            if cls.endswith("Storage"):
                st = STORAGE_TYPES[cls]
                n = rd("q")
                arr = np.frombuffer(data, st.dtype, n, pos[0]).copy()
                pos[0] += n * st.dtype.itemsize
                s = st._wrap(arr)
                memo[idx] = s
                return s
            if cls.endswith("Tensor"):
                tc = TENSOR_TYPES[cls]
                nd = rd("i")
                size = [rd("q") for _ in range(nd)]
                stride = [rd("q") for _ in range(nd)]
                off = rd("q") - 1
                t = tc()
                memo[idx] = t
                st = obj()
                if st is not None and nd:
                    t.set(st, off, tuple(size), tuple(stride))
                return t
            o = T7Object(cls, None)
            memo[idx] = o
            o.fields = obj()
            return o
        raise ValueError("bad tag %d at %d" % (tag, pos[0]))

    return obj()


def load_fixture(case):
    path = os.path.join(FIXTURES, case + ".t7")
    if hasattr(torch, "load"):
        return torch.load(path)
    return _mini_load(path)


def lua_list(t):
    """A Lua array table (dict with keys 1..n) as a Python list; tensors pass through."""
    if isinstance(t, dict):
        return [lua_list(t[i]) for i in range(1, len(t) + 1)]
    if isinstance(t, list):
        return [lua_list(e) for e in t]
    return t


# -- numeric helpers ----------------------------------------------------------------------------------

def flat_tensors(x):
    if isinstance(x, Tensor):
        return [x]
    if isinstance(x, (list, tuple)):
        return [t for e in x for t in flat_tensors(e)]
    return []


def clone_input(x):
    if isinstance(x, Tensor):
        return x.clone()
    if isinstance(x, (list, tuple)):
        return [clone_input(e) for e in x]
    return x


def assert_close(a, b, rtol, what):
    if isinstance(b, (int, float)):
        a = float(a)
        assert abs(a - b) <= rtol * max(1.0, abs(b)), "%s: %r vs %r" % (what, a, b)
        return
    if isinstance(b, (list, tuple)):
        assert isinstance(a, (list, tuple)) and len(a) == len(b), "%s: table lengths differ" % what
        for i, (x, y) in enumerate(zip(a, b)):
            assert_close(x, y, rtol, "%s[%d]" % (what, i))
        return
    assert isinstance(a, Tensor), "%s: expected a tensor, got %r" % (what, type(a))
    assert a.nElement() == b.nElement(), "%s: %s vs %s" % (what, a._size, b._size)
    x = np.asarray(a.numpy(), np.float64).reshape(-1)    # numpy(): a host copy of a device tensor
    y = np.asarray(b.numpy(), np.float64).reshape(-1)
    scale = max(1.0, float(np.max(np.abs(y)))) if y.size else 1.0
    err = float(np.max(np.abs(x - y))) if y.size else 0.0
    assert err <= rtol * scale, "%s: max abs error %.3g (scale %.3g)\n%s\n%s" % (what, err, scale, x, y)


def _scalar_out(m, x, target):
    if target is not _NOTARGET:
        return float(m.forward(x, target))
    return m.forward(x)


_NOTARGET = object()


def jacobian_check(m, x, target=_NOTARGET, eps=1e-6, tol=1e-5):
    """Finite differences of <v, f(x)> against backward's gradInput and parameter gradients."""
    is_crit = target is not _NOTARGET
    rng = np.random.RandomState(0)
    out = m.forward(x, target) if is_crit else m.forward(x)
    if is_crit:
        v = None
        def proj(o):
            return float(o)
    else:
        outs = flat_tensors(out)
        v = [rng.standard_normal(o._size) for o in outs]
        def proj(o):
            return sum(float(np.sum(vv * np.asarray(t._a, np.float64))) for vv, t in zip(v, flat_tensors(o)))
        gout = [o.new(*o._size).copy(vv) for o, vv in zip(outs, v)]
        if isinstance(out, Tensor):
            gout = gout[0]
        else:
            gout = _restructure(out, iter(gout))
    m.forward(x, target) if is_crit else m.forward(x)
    if isinstance(m, nn.Module):
        m.zeroGradParameters()
    if is_crit:
        gin = m.backward(x, target)
    else:
        gin = m.backward(x, gout)
    gin = [np.array(t._a, np.float64) for t in flat_tensors(gin)]
    params, gparams = m.parameters() if isinstance(m, nn.Module) else ([], [])
    gp = [np.array(g._a, np.float64) for g in gparams]

    def fd(arr):
        num = np.zeros(arr.shape)
        it = np.nditer(arr, flags=["multi_index"])
        for _ in it:
            i = it.multi_index
            old = arr[i]
            arr[i] = old + eps
            fp = proj(m.forward(x, target) if is_crit else m.forward(x))
            arr[i] = old - eps
            fm = proj(m.forward(x, target) if is_crit else m.forward(x))
            arr[i] = old
            num[i] = (fp - fm) / (2 * eps)
        return num

    for k, t in enumerate(t for t in flat_tensors(x) if t.dtype.kind == "f"):
        num = fd(t._a)
        err = np.max(np.abs(num - gin[k])) if num.size else 0
        assert err < tol * max(1, np.max(np.abs(num))), "gradInput[%d] differs from finite differences by %g\n%s\n%s" % (k, err, num, gin[k])
    seen = set()
    for k, p in enumerate(params):
        if id(p._storage) in seen:  # shared parameters: checked through their first occurrence
            continue
        seen.add(id(p._storage))
        num = fd(p._a)
        err = np.max(np.abs(num - gp[k])) if num.size else 0
        assert err < tol * max(1, np.max(np.abs(num))), "gradParam[%d] differs from finite differences by %g" % (k, err)


def _restructure(like, it):
    if isinstance(like, Tensor):
        return next(it)
    return [_restructure(e, it) for e in like]


# -- the table ---------------------------------------------------------------------------------------

class Case:
    """One module or criterion under test.

    build     () -> module (built after torch.manualSeed(seed) when a fixture exists)
    fixture   name of modules/<fixture>.t7 (None: no Torch7 record)
    input_fn  () -> input, when there is no fixture to take it from
    target_fn () -> target (criterions without a fixture)
    index_in  the fixture's input holds 1-based indices (LookupTable): subtract 1
    index_target  the fixture's target holds 1-based class labels: subtract 1
    jacobian  False for non-differentiable or stochastic cases
    modes     which of 'train'/'evaluate' the Jacobian check runs in
    tostring  the expected str(module), when it is worth pinning
    stochastic  random in training mode (Dropout): generic checks use evaluate mode
    """

    def __init__(self, name, build, fixture=None, input_fn=None, target_fn=None, criterion=False,
                 index_in=False, index_target=False, jacobian=True, tostring=None, rtol=1e-10,
                 jac_tol=1e-5, modes=("train", "evaluate"), stochastic=False):
        self.name, self.build, self.fixture = name, build, fixture
        self.input_fn, self.target_fn, self.criterion = input_fn, target_fn, criterion
        self.index_in, self.index_target = index_in, index_target
        self.jacobian, self.tostring, self.rtol, self.jac_tol = jacobian, tostring, rtol, jac_tol
        self.modes = modes
        self.stochastic = stochastic  # random in training: the generic checks run it in evaluate mode

    def __repr__(self):
        return self.name


def _minus_one(x):
    if isinstance(x, Tensor):
        y = x.clone()
        y._a[...] -= 1
        return y
    if isinstance(x, (list, tuple)):
        return [_minus_one(e) for e in x]
    if isinstance(x, (int, float)):
        return x - 1
    return x


def _fixture_io(case, f):
    x = lua_list(f["input"])
    if case.index_in:
        x = _minus_one(x)
    target = lua_list(f.get("target")) if case.criterion else _NOTARGET
    if case.criterion and callable(case.index_target):
        target = case.index_target(target)
    elif case.criterion and case.index_target:
        target = _minus_one(target)
    return x, target


def _seed(n):
    if hasattr(torch, "manualSeed"):
        torch.manualSeed(n)


def check_fixture(case):
    f = load_fixture(case.fixture)
    _seed(f["seed"])
    m = case.build()
    if f["mode"] == "train":
        m.training() if not case.criterion else None
    else:
        m.evaluate()
    params = lua_list(f.get("params") or {})
    if not case.criterion:
        ours, _ = m.parameters()
        assert len(ours) >= len(params), "%s: %d parameters, Torch7 has %d" % (case.name, len(ours), len(params))
        for k, (p, q) in enumerate(zip(ours, params)):
            assert p.nElement() == q.nElement(), "%s: parameter sizes %s vs %s" % (case.name, p._size, q._size)
            # the default initialisation draws Torch7's numbers from the same seeded stream
            init_tol = 1e-6 if q.typename == "torch.FloatTensor" else 0.0
            assert_close(p, q, init_tol, "%s default init params[%d]" % (case.name, k))
            p.copy(q)
        m.zeroGradParameters()
    x, target = _fixture_io(case, f)
    is_float = any(t.typename == "torch.FloatTensor" for t in flat_tensors(x))
    if is_float:
        m.float()
    rtol = 1e-5 if is_float else case.rtol
    if "forwardSeed" in f:
        _seed(f["forwardSeed"])
    if case.criterion:
        out = m.forward(x, target)
        assert_close(out, f["output"], rtol, case.name + " output")
        gin = m.backward(x, target)
    else:
        out = m.forward(x)
        assert_close(out, lua_list(f["output"]), rtol, case.name + " output")
        if "gradOutput" not in f:
            return m
        gin = m.backward(x, lua_list(f["gradOutput"]))
    if not case.index_in:
        assert_close(gin, lua_list(f["gradInput"]), rtol, case.name + " gradInput")
    if not case.criterion:
        _, gparams = m.parameters()
        for k, (g, h) in enumerate(zip(gparams, lua_list(f.get("gradParams") or {}))):
            assert_close(g, h, rtol, "%s gradParams[%d]" % (case.name, k))
    return m


def case_io(case):
    if case.fixture:
        f = load_fixture(case.fixture)
        x, target = _fixture_io(case, f)
        x = clone_input(x)
        if any(t.typename == "torch.FloatTensor" for t in flat_tensors(x)):
            x = [t.double() for t in x] if isinstance(x, list) else x.double()
        return x, target
    return case.input_fn(), (case.target_fn() if case.criterion else _NOTARGET)


def check_jacobian(case):
    x, target = case_io(case)
    m = case.build()
    for mode in case.modes:
        if case.criterion:
            jacobian_check(m, x, target, tol=case.jac_tol)
            return
        getattr(m, "training" if mode == "train" else "evaluate")()
        jacobian_check(m, x, tol=case.jac_tol)


def _built_with_reference(case):
    """The case's input, target, a freshly built module (evaluate mode if stochastic) and a copy
    of its first forward result."""
    x, target = case_io(case)
    m = case.build()
    if case.stochastic:
        m.evaluate()
    ref = m.forward(x, target) if case.criterion else m.forward(x)
    return x, target, m, (float(ref) if case.criterion else clone_input(ref))


def check_type_roundtrip(case):
    x, target, m, ref = _built_with_reference(case)
    m.float()
    xf = _to_type(x, "torch.FloatTensor")
    tf = _to_type(target, "torch.FloatTensor") if case.criterion and not case.index_target else target
    out = m.forward(xf, tf) if case.criterion else m.forward(xf)
    if not case.criterion:
        for t in flat_tensors(out):
            assert t.typename in ("torch.FloatTensor",) or case.name.startswith("Copy"), t.typename
    assert_close(out, ref, 1e-4, case.name + " float forward")
    for p in m.parameters()[0] if not case.criterion else []:
        assert p.typename == "torch.FloatTensor"
    m.double()
    out = m.forward(x, target) if case.criterion else m.forward(x)
    assert_close(out, ref, 1e-4, case.name + " double again")


def _to_type(x, tn):
    if isinstance(x, Tensor):
        return x.type(tn) if x.dtype.kind == "f" else x
    if isinstance(x, (list, tuple)):
        return [_to_type(e, tn) for e in x]
    return x


def check_clear_state_and_clone(case):
    x, target, m, ref = _built_with_reference(case)
    c = m.clone()
    m.clearState()
    out = m.forward(x, target) if case.criterion else m.forward(x)
    assert_close(out, ref, 1e-12, case.name + " after clearState")
    out = c.forward(x, target) if case.criterion else c.forward(x)
    assert_close(out, ref, 1e-12, case.name + " clone")
    for p, q in zip(c.parameters()[0] if not case.criterion else [], m.parameters()[0] if not case.criterion else []):
        assert p._storage is not q._storage


def rand(*size, scale=1.0, positive=False, seed=0):
    a = np.random.RandomState(seed + sum(size)).standard_normal(size) * scale
    if positive:
        a = np.abs(a) + 0.1
    return torch.DoubleTensor(a)


def _c(name, build, **kw):
    return Case(name, build, fixture=kw.pop("fixture", name), criterion=True, **kw)


def _p(name, build, **kw):
    return Case(name, build, fixture=kw.pop("fixture", name), **kw)


CASES = [
    _p("Linear_1d", lambda: nn.Linear(5, 3), tostring="nn.Linear(5 -> 3)"),
    _p("Linear_batch", lambda: nn.Linear(5, 3)),
    _p("Linear_nobias", lambda: nn.Linear(5, 3, False), tostring="nn.Linear(5 -> 3) without bias"),
    _p("Linear_batch_float", lambda: nn.Linear(5, 3)),
    _p("ReLU", lambda: nn.ReLU(), tostring="nn.ReLU"),
    _p("ReLU6", lambda: nn.ReLU6()),
    _p("Threshold", lambda: nn.Threshold(0.1, -2)),
    _p("LeakyReLU", lambda: nn.LeakyReLU(0.1)),
    _p("ELU", lambda: nn.ELU(), tostring="nn.ELU (alpha:1.000000)"),
    _p("ELU_alpha", lambda: nn.ELU(0.5)),
    _p("Tanh", lambda: nn.Tanh(), tostring="nn.Tanh"),
    _p("Sigmoid", lambda: nn.Sigmoid()),
    _p("HardTanh", lambda: nn.HardTanh()),
    _p("HardTanh_range", lambda: nn.HardTanh(-0.5, 0.8)),
    _p("HardShrink", lambda: nn.HardShrink(0.5)),
    _p("SoftShrink", lambda: nn.SoftShrink(0.5)),
    _p("SoftPlus", lambda: nn.SoftPlus()),
    _p("SoftPlus_beta", lambda: nn.SoftPlus(2)),
    _p("SoftSign", lambda: nn.SoftSign()),
    _p("LogSigmoid", lambda: nn.LogSigmoid()),
    _p("Abs", lambda: nn.Abs()),
    _p("Square", lambda: nn.Square()),
    _p("Sqrt", lambda: nn.Sqrt()),
    _p("Power_3", lambda: nn.Power(3)),
    _p("Power_half", lambda: nn.Power(0.5)),
    _p("Exp", lambda: nn.Exp()),
    _p("Log", lambda: nn.Log()),
    _p("Clamp", lambda: nn.Clamp(-0.5, 0.5)),
    _p("SoftMax_1d", lambda: nn.SoftMax()),
    _p("SoftMax_batch", lambda: nn.SoftMax()),
    _p("LogSoftMax_1d", lambda: nn.LogSoftMax()),
    _p("LogSoftMax_batch", lambda: nn.LogSoftMax()),
    _p("SoftMin", lambda: nn.SoftMin()),
    _p("Dropout_evaluate", lambda: nn.Dropout(0.4), modes=("evaluate",), tostring="nn.Dropout(0.400000)",
       stochastic=True),
    _p("Dropout_train", lambda: nn.Dropout(0.4), jacobian=False, stochastic=True),
    _p("Dropout_v1_train", lambda: nn.Dropout(0.5, True), jacobian=False, stochastic=True),
    # simple maths and shapes
    # learnable simple layers
    _p("Bilinear", lambda: nn.Bilinear(3, 4, 2), tostring="nn.Bilinear(3x4 -> 2) "),
    _p("Add_vector", lambda: nn.Add(4), tostring="nn.Add"),
    _p("Add_scalar", lambda: nn.Add(4, True)),
    _p("Mul", lambda: nn.Mul()),
    _p("CMul", lambda: nn.CMul(3, 4)),
    _p("CMul_broadcast", lambda: nn.CMul(1, 4)),
    _p("CAdd", lambda: nn.CAdd(1, 4)),
    _p("Euclidean", lambda: nn.Euclidean(4, 3), jac_tol=1e-4),
    _p("WeightedEuclidean", lambda: nn.WeightedEuclidean(4, 3), jac_tol=1e-4),
    _p("Cosine", lambda: nn.Cosine(4, 3)),
    _p("LookupTable", lambda: nn.LookupTable(10, 4), index_in=True),
    _p("LookupTable_1d", lambda: nn.LookupTable(6, 3), index_in=True),
    # the padding row gets no gradient by design: finite differences would disagree there
    _p("LookupTable_padding", lambda: nn.LookupTable(8, 3, 1), index_in=True, jacobian=False),
    _p("LookupTable_maxNorm", lambda: nn.LookupTable(8, 3, None, 1.0), index_in=True, jacobian=False),
    _p("Normalize_L2", lambda: nn.Normalize(2), tostring="nn.Normalize(2)"),
    _p("Normalize_L1", lambda: nn.Normalize(1)),
    _p("Normalize_Linf", lambda: nn.Normalize(math.inf), tostring="nn.Normalize(inf)"),
    _p("PReLU_shared", lambda: nn.PReLU(), tostring="nn.PReLU"),
    _p("PReLU_channel", lambda: nn.PReLU(3)),
    _p("RReLU_evaluate", lambda: nn.RReLU(1 / 8, 1 / 3), modes=("evaluate",),
       tostring="nn.RReLU (l:0.125000, u:0.333333)", stochastic=True),
    _p("RReLU_train", lambda: nn.RReLU(1 / 8, 1 / 3), jacobian=False, stochastic=True),
    _p("Padding_batch", lambda: nn.Padding(0, 2, 1, -1)),
    _p("Padding_before", lambda: nn.Padding(0, -2)),
    _p("MulConstant", lambda: nn.MulConstant(2.5)),
    _p("AddConstant", lambda: nn.AddConstant(1.5)),
    _p("Identity", lambda: nn.Identity()),
    _p("Copy", lambda: nn.Copy("torch.DoubleTensor", "torch.FloatTensor"), jacobian=False, rtol=1e-6),
    _p("View_setNumInputDims", lambda: nn.View(-1).setNumInputDims(3), tostring="nn.View(-1)"),
    _p("View_sizes", lambda: nn.View(2, 6)),
    _p("View_minus1", lambda: nn.View(3, -1)),
    _p("Reshape", lambda: nn.Reshape(3, 4), tostring="nn.Reshape(3x4)"),
    _p("Reshape_batchMode", lambda: nn.Reshape(2, 2, True)),
    _p("Transpose", lambda: nn.Transpose((0, 1), (1, 2))),
    _p("Narrow", lambda: nn.Narrow(1, 1, 3)),
    _p("Narrow_negative", lambda: nn.Narrow(1, 1, -2)),
    _p("Select", lambda: nn.Select(1, 2)),
    _p("Select_negative", lambda: nn.Select(-1, -1)),
    _p("Replicate", lambda: nn.Replicate(3, 1)),
    _p("Squeeze", lambda: nn.Squeeze()),
    _p("Squeeze_dim", lambda: nn.Squeeze(1)),
    _p("Unsqueeze", lambda: nn.Unsqueeze(1)),
    _p("Mean", lambda: nn.Mean(1)),
    _p("Sum", lambda: nn.Sum(0)),
    _p("Sum_batch_average", lambda: nn.Sum(0, 1, True)),
    _p("Max", lambda: nn.Max(1)),
    _p("Min", lambda: nn.Min(0)),
    # tables
    _p("JoinTable", lambda: nn.JoinTable(1)),
    _p("JoinTable_nInputDims", lambda: nn.JoinTable(0, 1)),
    _p("SplitTable", lambda: nn.SplitTable(1)),
    _p("CAddTable", lambda: nn.CAddTable()),
    _p("CSubTable", lambda: nn.CSubTable()),
    _p("CMulTable", lambda: nn.CMulTable()),
    _p("CDivTable", lambda: nn.CDivTable()),
    _p("CMaxTable", lambda: nn.CMaxTable()),
    _p("CMinTable", lambda: nn.CMinTable()),
    _p("SelectTable", lambda: nn.SelectTable(1)),
    _p("SelectTable_negative", lambda: nn.SelectTable(-1)),
    _p("NarrowTable", lambda: nn.NarrowTable(1, 2)),
    _p("FlattenTable", lambda: nn.FlattenTable()),
    _p("MM", lambda: nn.MM()),
    _p("MM_batch_trans", lambda: nn.MM(True, True)),
    _p("MV", lambda: nn.MV()),
    _p("MV_batch_trans", lambda: nn.MV(True)),
    _p("DotProduct", lambda: nn.DotProduct()),
    _p("PairwiseDistance_L2", lambda: nn.PairwiseDistance(2)),
    _p("PairwiseDistance_L1", lambda: nn.PairwiseDistance(1)),
    _p("CosineDistance", lambda: nn.CosineDistance()),
    # containers
    _p("Sequential", lambda: nn.Sequential().add(nn.Linear(4, 5)).add(nn.Tanh()).add(nn.Linear(5, 2))
       .add(nn.LogSoftMax()),
       tostring="nn.Sequential {\n  [input -> (1) -> (2) -> (3) -> (4) -> output]\n  (1): nn.Linear(4 -> 5)\n"
                "  (2): nn.Tanh\n  (3): nn.Linear(5 -> 2)\n  (4): nn.LogSoftMax\n}"),
    _p("Sequential_conv", lambda: nn.Sequential().add(nn.SpatialConvolution(1, 2, 3, 3)).add(nn.ReLU())
       .add(nn.SpatialMaxPooling(2, 2, 2, 2)).add(nn.View(-1).setNumInputDims(3)).add(nn.Linear(8, 3))),
    _p("Concat", lambda: nn.Concat(1).add(nn.Linear(4, 3)).add(nn.Linear(4, 2)),
       tostring="nn.Concat {\n  input\n    |`-> (1): nn.Linear(4 -> 3)\n     `-> (2): nn.Linear(4 -> 2)\n"
                "     ... -> output\n}"),
    _p("DepthConcat", lambda: nn.DepthConcat(0).add(nn.SpatialConvolution(2, 2, 3, 3))
       .add(nn.SpatialConvolution(2, 3, 1, 1))),
    _p("ConcatTable", lambda: nn.ConcatTable().add(nn.Linear(4, 3)).add(nn.Tanh())),
    _p("ParallelTable", lambda: nn.ParallelTable().add(nn.Linear(3, 2)).add(nn.Linear(4, 2))),
    _p("Parallel", lambda: nn.Parallel(1, 0).add(nn.Linear(4, 3)).add(nn.Linear(4, 2))),
    _p("MapTable", lambda: nn.MapTable(nn.Linear(3, 2)),
       tostring="nn.MapTable {\n  nn.Linear(3 -> 2)\n}"),
    _p("Bottle", lambda: nn.Bottle(nn.Linear(3, 2))),
    Case("Sequential_nested", lambda: nn.Sequential().add(nn.Linear(10, 5))
         .add(nn.ConcatTable().add(nn.Sequential().add(nn.Tanh()).add(nn.Linear(5, 5))).add(nn.Identity()))
         .add(nn.CAddTable()),
         input_fn=lambda: rand(3, 10),
         tostring="nn.Sequential {\n  [input -> (1) -> (2) -> (3) -> output]\n  (1): nn.Linear(10 -> 5)\n"
                  "  (2): nn.ConcatTable {\n    input\n      |`-> (1): nn.Sequential {\n"
                  "      |      [input -> (1) -> (2) -> output]\n      |      (1): nn.Tanh\n"
                  "      |      (2): nn.Linear(5 -> 5)\n      |    }\n       `-> (2): nn.Identity\n"
                  "       ... -> output\n  }\n  (3): nn.CAddTable\n}"),
    # simple modules of nn's doc without a Torch7 fixture: Jacobians, round trips, printing
    Case("Contiguous", lambda: nn.Contiguous(), input_fn=lambda: rand(4, 3).t(), tostring="nn.Contiguous"),
    Case("Index", lambda: nn.Index(1), input_fn=lambda: [rand(3, 4), torch.LongTensor([2, 0, 2])]),
    Case("GradientReversal", lambda: nn.GradientReversal(0.5), input_fn=lambda: rand(3, 4), jacobian=False),
    Case("TanhShrink", lambda: nn.TanhShrink(), input_fn=lambda: rand(3, 4)),
    Case("L1Penalty", lambda: nn.L1Penalty(0.1, True), input_fn=lambda: rand(3, 4), jacobian=False),
    Case("ZeroGrad", lambda: nn.ZeroGrad(), input_fn=lambda: rand(3, 4), jacobian=False),
    Case("CriterionTable", lambda: nn.CriterionTable(nn.MSECriterion()), input_fn=lambda: [rand(3, 4), rand(3, 4, seed=1)],
         jacobian=False),
    # criterions
    _c("MSECriterion", lambda: nn.MSECriterion()),
    _c("MSECriterion_sum", lambda: nn.MSECriterion(False)),
    _c("AbsCriterion", lambda: nn.AbsCriterion()),
    _c("SmoothL1Criterion", lambda: nn.SmoothL1Criterion()),
    _c("BCECriterion", lambda: nn.BCECriterion()),
    _c("BCECriterion_weights", lambda: nn.BCECriterion(torch.DoubleTensor(np.linspace(0.5, 2, 4)))),
    _c("DistKLDivCriterion", lambda: nn.DistKLDivCriterion()),
    _c("MarginCriterion", lambda: nn.MarginCriterion(1)),
    _c("SoftMarginCriterion", lambda: nn.SoftMarginCriterion()),
    _c("L1Cost", lambda: nn.L1Cost()),
    _c("HingeEmbeddingCriterion", lambda: nn.HingeEmbeddingCriterion(1)),
    _c("L1HingeEmbeddingCriterion_pos", lambda: nn.L1HingeEmbeddingCriterion(2)),
    _c("L1HingeEmbeddingCriterion_neg", lambda: nn.L1HingeEmbeddingCriterion(5)),
    _c("MarginRankingCriterion", lambda: nn.MarginRankingCriterion(0.5)),
    _c("CosineEmbeddingCriterion", lambda: nn.CosineEmbeddingCriterion(0.1)),
    _c("ClassNLLCriterion_weights", lambda: nn.ClassNLLCriterion(torch.DoubleTensor(np.linspace(0.5, 2, 5))),
       index_target=True),
    _c("ClassNLLCriterion_sum", lambda: nn.ClassNLLCriterion(None, False), index_target=True),
    _c("ClassNLLCriterion_1d", lambda: nn.ClassNLLCriterion(), index_target=True),
    _c("ClassNLLCriterion_ignoreIndex", lambda: nn.ClassNLLCriterion(None, True, 1), index_target=True),
    _c("CrossEntropyCriterion", lambda: nn.CrossEntropyCriterion(), index_target=True),
    _c("CrossEntropyCriterion_weights", lambda: nn.CrossEntropyCriterion(torch.DoubleTensor(np.linspace(1, 2, 3))),
       index_target=True),
    _c("MultiMarginCriterion", lambda: nn.MultiMarginCriterion(), index_target=True),
    _c("MultiMarginCriterion_p2_weights",
       lambda: nn.MultiMarginCriterion(2, torch.DoubleTensor(np.linspace(0.5, 2, 4)), 0.5), index_target=True),
    _c("MultiLabelMarginCriterion", lambda: nn.MultiLabelMarginCriterion(), index_target=True),
    _c("MultiLabelSoftMarginCriterion", lambda: nn.MultiLabelSoftMarginCriterion()),
    _c("ParallelCriterion", lambda: nn.ParallelCriterion().add(nn.MSECriterion(), 0.5).add(nn.ClassNLLCriterion(), 1),
       index_target=lambda t: [t[0], _minus_one(t[1])]),
    _c("ClassSimplexCriterion", lambda: nn.ClassSimplexCriterion(4), index_target=True),
    Case("WeightedMSECriterion", lambda: nn.WeightedMSECriterion(rand(4, seed=3)), criterion=True,
         input_fn=lambda: rand(3, 4), target_fn=lambda: rand(3, 4, seed=1)),
    Case("DistanceRatioCriterion", lambda: nn.DistanceRatioCriterion(), criterion=True,
         input_fn=lambda: [rand(5, positive=True), rand(5, positive=True, seed=1)], target_fn=lambda: None),
    _c("MultiCriterion", lambda: nn.MultiCriterion().add(nn.MSECriterion(), 0.5).add(nn.AbsCriterion(), 2)),
]

# modules of nn's doc added with tests/test_nn_extra.py (PyTorch oracles there)
CASES += [
    _p("SpatialSoftMax", lambda: nn.SpatialSoftMax(), tostring="nn.SpatialSoftMax"),
    _p("SpatialLogSoftMax", lambda: nn.SpatialLogSoftMax()),
    _c("SpatialClassNLLCriterion", lambda: nn.SpatialClassNLLCriterion(), index_target=True),
    Case("SpatialClassNLLCriterion_weights_sum",
         lambda: nn.SpatialClassNLLCriterion(torch.DoubleTensor([0.5, 1, 2]), False), criterion=True,
         input_fn=lambda: rand(2, 3, 2, 3), target_fn=lambda: torch.LongTensor([[[0, 2, 1], [1, 1, 0]], [[2, 2, 0], [0, 1, 2]]])),
    Case("MaskedSelect", lambda: nn.MaskedSelect(),
         input_fn=lambda: [rand(3, 4), torch.ByteTensor((np.arange(12) % 3 != 1).reshape(3, 4).astype(np.uint8))],
         tostring="nn.MaskedSelect"),
    Case("Constant", lambda: nn.Constant(torch.DoubleTensor([1.5, -2]), 1), input_fn=lambda: rand(3, 4)),
    Case("OneHot", lambda: nn.OneHot(5), input_fn=lambda: torch.LongTensor([[0, 4], [3, 3]]), jacobian=False),
    Case("PixelShuffle", lambda: nn.PixelShuffle(2), input_fn=lambda: rand(2, 8, 2, 3)),
    Case("PixelShuffle_3d", lambda: nn.PixelShuffle(3), input_fn=lambda: rand(9, 2, 2)),
    Case("MixtureTable_tensor", lambda: nn.MixtureTable(), input_fn=lambda: [rand(3, 4), rand(3, 4, 5)]),
    Case("MixtureTable_dim", lambda: nn.MixtureTable(2), input_fn=lambda: [rand(3, 4), rand(3, 5, 4)]),
    Case("MixtureTable_table", lambda: nn.MixtureTable(),
         input_fn=lambda: [rand(3, 2), [rand(3, 5, seed=1), rand(3, 5, seed=2)]]),
    Case("MixtureTable_single", lambda: nn.MixtureTable(), input_fn=lambda: [rand(3), rand(3, 4)]),
    Case("VolumetricDropout_evaluate", lambda: nn.VolumetricDropout(0.3), input_fn=lambda: rand(2, 3, 2, 2, 2),
         jacobian=False, stochastic=True, tostring="nn.VolumetricDropout(0.300000)"),
    Case("VolumetricDropout_train", lambda: nn.VolumetricDropout(0.3), input_fn=lambda: rand(3, 2, 2, 2),
         jacobian=False, stochastic=True),
    Case("GatedLinearUnit", lambda: nn.GatedLinearUnit(), input_fn=lambda: rand(3, 4)),
    Case("GatedLinearUnit_dim", lambda: nn.GatedLinearUnit(0), input_fn=lambda: rand(4, 3)),
    Case("CReLU", lambda: nn.CReLU(3), input_fn=lambda: rand(2, 3, 2, 2), tostring="CReLU()"),
    Case("CReLU_single", lambda: nn.CReLU(1), input_fn=lambda: rand(5)),
    Case("Maxout", lambda: nn.Maxout(4, 3, 2), input_fn=lambda: rand(5, 4)),
    Case("SpatialAutoCropMSECriterion", lambda: nn.SpatialAutoCropMSECriterion(), criterion=True,
         input_fn=lambda: rand(2, 3, 3, 4), target_fn=lambda: rand(2, 3, 6, 5, seed=2)),
    Case("ModuleCriterion", lambda: nn.ModuleCriterion(nn.MSECriterion(), nn.Tanh(), nn.Sigmoid()), criterion=True,
         input_fn=lambda: rand(3, 4), target_fn=lambda: rand(3, 4, seed=1)),
    Case("Decorator", lambda: nn.Decorator(nn.Linear(4, 3)), input_fn=lambda: rand(2, 4),
         tostring="nn.Decorator @ nn.Linear(4 -> 3)"),
    Case("NaN", lambda: nn.NaN(nn.Linear(4, 3), 7), input_fn=lambda: rand(2, 4), tostring="nn.NaN(7) @ nn.Linear(4 -> 3)"),
    Case("WhiteNoise_evaluate", lambda: nn.WhiteNoise(0, 0.5), input_fn=lambda: rand(3, 4), modes=("evaluate",),
         stochastic=True, tostring="nn.WhiteNoise mean: 0.000000, std: 0.500000"),
    Case("Collapse", lambda: nn.Collapse(2), input_fn=lambda: rand(3, 2, 4)),
    Case("ZipTable", lambda: nn.ZipTable(), input_fn=lambda: [[rand(2), rand(3)], [rand(2, seed=1), rand(3, seed=1)]]),
    Case("ZipTableOneToMany", lambda: nn.ZipTableOneToMany(), input_fn=lambda: [rand(3), [rand(2), rand(4)]]),
    Case("CAddTensorTable", lambda: nn.CAddTensorTable(), input_fn=lambda: [rand(3), [rand(3, seed=1), rand(3, seed=2)]]),
    Case("WeightNorm_Linear", lambda: nn.WeightNorm(nn.Linear(4, 3)), input_fn=lambda: rand(2, 4),
         tostring="nn.WeightNorm [nn.Linear(4 -> 3)]"),
    Case("WeightNorm_conv_dim1", lambda: nn.WeightNorm(nn.SpatialConvolution(2, 3, 3, 3), 1), input_fn=lambda: rand(2, 4, 4)),
    Case("VolumetricDilatedConvolution", lambda: nn.VolumetricDilatedConvolution(2, 3, 2, 2, 3, 1, 2, 1, 1, 0, 1, 2, 1, 1),
         input_fn=lambda: rand(2, 2, 4, 5, 4), tostring="nn.VolumetricDilatedConvolution(2 -> 3, 2x2x3, 1,2,1, 1,0,1, 2,1,1)"),
    Case("VolumetricFullConvolution", lambda: nn.VolumetricFullConvolution(2, 3, 2, 3, 2, 2, 2, 1, 1, 1, 0, 1, 1, 0),
         input_fn=lambda: rand(2, 2, 3, 2, 3), tostring="nn.VolumetricFullConvolution(2 -> 3, 3x2x2, 2,1,2, 1,0,1, 1,0,1)"),
    Case("VolumetricFullConvolution_single", lambda: nn.VolumetricFullConvolution(2, 2, 2, 2, 2),
         input_fn=lambda: rand(2, 2, 3, 2)),
    Case("VolumetricAveragePooling", lambda: nn.VolumetricAveragePooling(2, 2, 2, 1, 2, 1),
         input_fn=lambda: rand(2, 3, 3, 4, 4), tostring="nn.VolumetricAveragePooling(2x2x2, 1,2,1)"),
    Case("VolumetricAveragePooling_pad_ceil_exclude",
         lambda: nn.VolumetricAveragePooling(3, 2, 2, 2, 2, 2, 1, 1, 1).ceil().setCountExcludePad(),
         input_fn=lambda: rand(2, 4, 5, 3)),
    Case("SpatialDilatedMaxPooling", lambda: nn.SpatialDilatedMaxPooling(2, 3, 1, 2, 1, 1, 2, 1),
         input_fn=lambda: rand(2, 2, 7, 6), tostring="nn.SpatialDilatedMaxPooling(2x3, 1,2, 1,1, 2,1)"),
    Case("SpatialMaxUnpooling", lambda: _unpool(nn.SpatialMaxPooling(2, 2), nn.SpatialMaxUnpooling, rand(2, 3, 4, 6, seed=5)),
         input_fn=lambda: rand(2, 3, 2, 3), tostring="nn.SpatialMaxUnpooling associated to nn.SpatialMaxPooling(2x2, 2,2)"),
    Case("VolumetricMaxUnpooling", lambda: _unpool(nn.VolumetricMaxPooling(2, 2, 2, 2, 2, 2, 1, 0, 1),
                                                   nn.VolumetricMaxUnpooling, rand(2, 4, 4, 4, seed=5)),
         input_fn=lambda: rand(2, 3, 3, 2)),
    Case("SpatialSubSampling", lambda: nn.SpatialSubSampling(3, 2, 3, 2, 1), input_fn=lambda: rand(2, 3, 5, 6),
         tostring="nn.SpatialSubSampling"),
    Case("TemporalSubSampling", lambda: nn.TemporalSubSampling(4, 3, 2), input_fn=lambda: rand(2, 7, 4)),
    Case("TemporalSubSampling_single", lambda: nn.TemporalSubSampling(3, 2), input_fn=lambda: rand(5, 3)),
    Case("VolumetricReplicationPadding", lambda: nn.VolumetricReplicationPadding(1, 2, 0, 1, 2, -1),
         input_fn=lambda: rand(2, 2, 3, 3, 4),
         tostring="nn.VolumetricReplicationPadding(left=1, right=2, top=0, bottom=1, front=2, back=-1)"),
]


def _unpool(pool, cls, x):
    """An unpooling module whose pooling module has seen x (its indices fix the positions)."""
    pool.forward(x)
    return cls(pool)


def check_loaded_module(case):
    """Torch7's own module object, loaded through the t7 registry (index fields made 0-based),
    reruns forward on the recorded input and gives the recorded output."""
    f = load_fixture(case.fixture)
    m = f["module"]
    assert isinstance(m, (nn.Module, nn.Criterion)), "%s loaded as %r" % (case.name, type(m))
    x, target = _fixture_io(case, f)
    rtol = 1e-5 if any(t.typename == "torch.FloatTensor" for t in flat_tensors(x)) else case.rtol
    if "forwardSeed" in f:
        _seed(f["forwardSeed"])
    if case.criterion:
        assert_close(m.forward(x, target), f["output"], rtol, case.name + " loaded output")
        assert_close(m.backward(x, target), lua_list(f["gradInput"]), rtol, case.name + " loaded gradInput")
    else:
        assert_close(m.forward(x), lua_list(f["output"]), rtol, case.name + " loaded output")


def check_t7_roundtrip(case):
    """save/load through the t7 writer and reader gives a module computing the same numbers."""
    x, target, m, ref = _built_with_reference(case)
    m2 = torch.deserialize(torch.serialize(m))
    assert type(m2) is type(m)
    assert str(m2) == str(m)
    out = m2.forward(x, target) if case.criterion else m2.forward(x)
    assert_close(out, ref, 1e-12, case.name + " after a t7 round trip")


# the remaining modules of nn (tests/test_nn_extra2.py has their PyTorch / numpy oracles)
def _fixed_pool(m):
    return m.fixPoolingRegions()


CASES += [
    Case("TemporalDynamicKMaxPooling", lambda: nn.TemporalDynamicKMaxPooling(2, 0.5), input_fn=lambda: rand(2, 5, 3)),
    Case("TemporalDynamicKMaxPooling_single", lambda: nn.TemporalDynamicKMaxPooling(3), input_fn=lambda: rand(6, 2)),
    # two windows per dim sit at 0 and size - pool whatever the samples, so clearState's redraw
    # changes nothing (the random placements are checked against PyTorch in test_nn_extra2.py)
    Case("SpatialFractionalMaxPooling", lambda: _fixed_pool(nn.SpatialFractionalMaxPooling(3, 2, 2, 2)),
         input_fn=lambda: rand(2, 2, 5, 6), tostring="nn.SpatialFractionalMaxPooling(2x2, 3,2)"),
    Case("VolumetricFractionalMaxPooling", lambda: _fixed_pool(nn.VolumetricFractionalMaxPooling(2, 2, 3, 2, 2, 2)),
         input_fn=lambda: rand(2, 5, 4, 4), tostring="nn.VolumetricFractionalMaxPooling(2x2, 2,2)"),
    Case("VolumetricDilatedMaxPooling", lambda: nn.VolumetricDilatedMaxPooling(2, 3, 2, 1, 2, 1, 1, 1, 1, 2, 1, 2),
         input_fn=lambda: rand(2, 2, 5, 6, 7), tostring="nn.VolumetricDilatedMaxPooling(2x3x2, 1,2,1, 1,1,1, 2,1,2)"),
    Case("VolumetricDilatedMaxPooling_ceil", lambda: nn.VolumetricDilatedMaxPooling(2, 2, 2, 2, 2, 2, 0, 0, 0, 2, 1, 1).ceil(),
         input_fn=lambda: rand(2, 5, 5, 5)),
    Case("SpatialDepthWiseConvolution", lambda: nn.SpatialDepthWiseConvolution(3, 2, 3, 2, 2, 1, 1, 0),
         input_fn=lambda: rand(2, 3, 5, 6), tostring="nn.SpatialDepthWiseConvolution(3 -> 2, 3x2, 2,1, 1,0)"),
    Case("SpatialDepthWiseConvolution_nobias", lambda: nn.SpatialDepthWiseConvolution(2, 1, 2, 2).noBias(),
         input_fn=lambda: rand(2, 4, 4), tostring="nn.SpatialDepthWiseConvolution(2 -> 1, 2x2) without bias"),
    Case("SpatialConvolutionLocal", lambda: nn.SpatialConvolutionLocal(2, 3, 6, 5, 3, 2, 2, 1, 1, 0),
         input_fn=lambda: rand(2, 2, 5, 6), tostring="nn.SpatialConvolutionLocal(2 -> 3, 6x5, 3x2, 2,1, 1,0)"),
    Case("SpatialConvolutionLocal_single", lambda: nn.SpatialConvolutionLocal(1, 2, 4, 4, 2, 2),
         input_fn=lambda: rand(1, 4, 4)),
    Case("SpatialConvolutionMap_random", lambda: nn.SpatialConvolutionMap(nn.tables.random(4, 3, 2), 3, 2, 2, 1),
         input_fn=lambda: rand(2, 4, 5, 7), tostring="nn.SpatialConvolutionMap"),
    Case("SpatialConvolutionMap_oneToOne", lambda: nn.SpatialConvolutionMap(nn.tables.oneToOne(3), 2, 2),
         input_fn=lambda: rand(3, 4, 4)),
    Case("SpatialFullConvolutionMap", lambda: nn.SpatialFullConvolutionMap(nn.tables.full(2, 3), 3, 2, 2, 1),
         input_fn=lambda: rand(2, 2, 3, 4), tostring="nn.SpatialFullConvolutionMap"),
    Case("TemporalRowConvolution", lambda: nn.TemporalRowConvolution(3, 2, 2), input_fn=lambda: rand(2, 7, 3),
         tostring="nn.TemporalRowConvolution(3, 2, 2)"),
    Case("TemporalRowConvolution_featFirst_nobias", lambda: nn.TemporalRowConvolution(3, 3, 1, True).noBias(),
         input_fn=lambda: rand(3, 6), tostring="nn.TemporalRowConvolution(3, 3) without bias"),
    Case("SpatialDivisiveNormalization", lambda: nn.SpatialDivisiveNormalization(2, torch.DoubleTensor(np.ones((3, 3)))),
         input_fn=lambda: rand(2, 2, 5, 5), jac_tol=1e-4, tostring="nn.SpatialDivisiveNormalization"),
    Case("SpatialDivisiveNormalization_1d", lambda: nn.SpatialDivisiveNormalization(3, torch.DoubleTensor([1, 2, 1])),
         input_fn=lambda: rand(3, 4, 5), jac_tol=1e-4),
    Case("SpatialContrastiveNormalization", lambda: nn.SpatialContrastiveNormalization(2, torch.DoubleTensor(np.ones((3, 3)))),
         input_fn=lambda: rand(2, 2, 5, 5), jac_tol=1e-4),
]

CASES += [
    Case("LinearWeightNorm", lambda: nn.LinearWeightNorm(4, 3), input_fn=lambda: rand(2, 4),
         tostring="nn.LinearWeightNorm(4 -> 3)"),
    Case("LinearWeightNorm_nobias_1d", lambda: nn.LinearWeightNorm(4, 2, False), input_fn=lambda: rand(4),
         tostring="nn.LinearWeightNorm(4 -> 2) without bias"),
    Case("PartialLinear", lambda: nn.PartialLinear(4, 5), input_fn=lambda: rand(3, 4), tostring="nn.PartialLinear(4 -> 5)"),
    Case("PartialLinear_partition", lambda: nn.PartialLinear(4, 5).setPartition(torch.LongTensor([3, 0, 2])),
         input_fn=lambda: rand(3, 4)),
    # indices ride in the input tensors: finite differences would move them (oracles in test_nn_extra2.py)
    Case("SparseLinear_batch", lambda: nn.SparseLinear(6, 3), jacobian=False,
         input_fn=lambda: [torch.DoubleTensor([[0, 1.5], [4, -2.0]]), torch.DoubleTensor([[2, 0.5], [5, 1.0]])]),
    Case("SparseLinear_single", lambda: nn.SparseLinear(6, 3, True), jacobian=False,
         input_fn=lambda: torch.DoubleTensor([[1, 0.5], [3, -1.0]])),
    Case("Kmeans", lambda: nn.Kmeans(3, 2), input_fn=lambda: rand(6, 2), jacobian=False),
    Case("Convert_bchw_bf", lambda: nn.Convert("bchw", "bf"), input_fn=lambda: rand(2, 3, 2, 2), tostring="nn.Convert"),
    Case("Convert_chw_hwc", lambda: nn.Convert("chw", "hwc"), input_fn=lambda: rand(3, 2, 4)),
    # a parameterless module: the harness expects float() to reach parameters, which DontCast prevents
    # (the Linear case is in test_nn_extra2.py)
    Case("DontCast", lambda: nn.DontCast(nn.Tanh(), True, True, "torch.DoubleTensor"), input_fn=lambda: rand(2, 3),
         tostring="nn.DontCast @ nn.Tanh"),
]

# modules Torch7's own test.lua needs (issue 10 D)
CASES += [
    Case("UpSampling_nearest_4d", lambda: nn.UpSampling(2), input_fn=lambda: rand(2, 2, 3, 2)),
    Case("UpSampling_nearest_5d", lambda: nn.UpSampling(3), input_fn=lambda: rand(1, 2, 2, 2, 3)),
    Case("UpSampling_linear_4d", lambda: nn.UpSampling(3, "bilinear"), input_fn=lambda: rand(2, 1, 3, 4)),
    Case("UpSampling_linear_5d_sizes", lambda: nn.UpSampling({"odepth": 4, "oheight": 5, "owidth": 3}, "linear"),
         input_fn=lambda: rand(1, 2, 2, 3, 2)),
    Case("FeatureLPPooling_p2", lambda: nn.FeatureLPPooling(3, 2, 2), input_fn=lambda: rand(9, 2, positive=True),
         tostring="nn.FeatureLPPooling(w3 s2 power 2 batch 0"),
    Case("FeatureLPPooling_batch_p1", lambda: nn.FeatureLPPooling(2, 1, 1, True), input_fn=lambda: rand(2, 5, 3)),
    Case("Profile", lambda: nn.Profile(nn.Linear(3, 2), 1000), input_fn=lambda: rand(4, 3)),
    Case("GPU", lambda: nn.GPU(nn.Linear(3, 2), 1), input_fn=lambda: rand(4, 3),
         tostring="nn.GPU(1) @ nn.Linear(3 -> 2)"),
    Case("VolumetricFullConvolution_nobias", lambda: nn.VolumetricFullConvolution(2, 3, 2, 2, 2).noBias(),
         input_fn=lambda: rand(2, 2, 3, 2, 2)),
    Case("Unsqueeze_numInputDims", lambda: nn.Unsqueeze(2, 2), input_fn=lambda: rand(2, 3, 1, 4)),
    Case("SpatialReflectionPadding_negative", lambda: nn.SpatialReflectionPadding(2, -1, -2, 1),
         input_fn=lambda: rand(2, 5, 6)),
    Case("SpatialReplicationPadding_negative", lambda: nn.SpatialReplicationPadding(-1, 3, 1, -2),
         input_fn=lambda: rand(1, 2, 5, 4)),
    Case("Narrow_negative_offset", lambda: nn.Narrow(1, -1, 3), input_fn=lambda: rand(2, 7, 3)),
]
