"""The Cuda tensor types (torch.CudaTensor ...) through the op and nn test tables.

Every table runs twice: under PYTORCH_LITE_CUDA=cpu on every machine (the Cuda classes over
numpy arrays: the type plumbing, checked against Torch7's recorded numbers as the CPU tests are),
and on a real GPU through CuPy, skipped with the reason where there is none.  Without either,
the requires and queries still work and making a Cuda tensor raises TorchCudaError.
"""
import re

import numpy as np
import pytest

import pytorch_lite as torch
import cuda_host
import fake_cupy
import nn_cases as C
import t7index
from pytorch_lite import cuda, nn
from pytorch_lite.cuda import device
from pytorch_lite.errors import TorchCudaError

from test_ops_compare import FIXTURES as COMPARE
from test_ops_construct import CAT_REPEAT
from test_ops_elementwise import FIXTURES as ELEMENTWISE
from test_ops_reduce import FIXTURES as REDUCE
try:
    from test_ops_linalg import LINALG
except BaseException:   # that module skips itself (pytest's Skipped) where PyTorch is absent
    LINALG = {}

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

GPU_WHY = device._probe()[1]
HAS_GPU = device._probe()[0] is not None


@pytest.fixture(params=["cpu", "fake", "gpu"])
def mode(request, monkeypatch):
    """'cpu': PYTORCH_LITE_CUDA=cpu; 'fake': the GPU code paths over a stand-in CuPy whose kernels
    run on the host (tests/fake_cupy.py); 'gpu': CuPy on a device (skipped without one)."""
    if request.param == "cpu":
        monkeypatch.setenv(device.ENV, "cpu")
        yield "cpu"
    elif request.param == "fake":
        if cuda_host.CXX is None:
            pytest.skip("no host C++ compiler to run the kernel sources")
        monkeypatch.delenv(device.ENV, raising=False)
        with fake_cupy.installed():
            yield "fake"
    else:
        monkeypatch.delenv(device.ENV, raising=False)
        if not HAS_GPU:
            pytest.skip("needs a CUDA device through CuPy: %s" % GPU_WHY)
        yield "gpu"


# -- without a device ---------------------------------------------------------------------------------

no_gpu = pytest.mark.skipif(HAS_GPU, reason="this machine has a CUDA device")


@no_gpu
def test_without_a_device_cuda_raises_one_clear_error(monkeypatch):
    monkeypatch.delenv(device.ENV, raising=False)
    assert cuda.getDeviceCount() == 0 and not cuda.is_available()
    x = torch.FloatTensor(2).fill(1)
    for make in (x.cuda, lambda: torch.CudaTensor(2), lambda: x.type("torch.CudaLongTensor"),
                 lambda: nn.Linear(2, 2).cuda(), lambda: torch.CudaStorage(3)):
        with pytest.raises(TorchCudaError, match="no CUDA device: .*PYTORCH_LITE_CUDA=cpu"):
            make()
    # a Cuda checkpoint still loads as CPU tensors, and only restore_cuda asks for the device
    data = _cuda_checkpoint_bytes(monkeypatch)
    assert torch.deserialize(data).typename == "torch.FloatTensor"
    with pytest.raises(TorchCudaError):
        torch.deserialize(data, restore_cuda=True)


def _cuda_checkpoint_bytes(monkeypatch):
    """A CudaTensor saved as cutorch would (made under PYTORCH_LITE_CUDA=cpu)."""
    monkeypatch.setenv(device.ENV, "cpu")
    data = torch.serialize(torch.CudaTensor([1.5, -2, 3]))
    monkeypatch.delenv(device.ENV)
    assert b"torch.CudaTensor" in data and b"torch.CudaStorage" in data
    return data


def test_cuda_checkpoints_save_as_cutorch_and_load_back(mode):
    x = torch.CudaTensor([[1.5, -2, 3]]).t()
    data = torch.serialize({"w": x, "v": x[1]})
    assert data.count(b"torch.CudaTensor") == 2 and data.count(b"torch.CudaStorage") == 1
    cpu = torch.deserialize(data)
    assert cpu["w"].typename == "torch.FloatTensor" and cpu["w"].numpy().ravel().tolist() == [1.5, -2, 3]
    back = torch.deserialize(data, restore_cuda=True)
    assert back["w"].typename == "torch.CudaTensor" and back["w"].storage() is back["v"].storage()
    assert back["w"].stride() == x.stride() and back["w"].float().numpy().ravel().tolist() == [1.5, -2, 3]
    assert torch.deserialize(data, cuda_as="cuda")["v"].typename == "torch.CudaTensor"


# -- the types and conversions ------------------------------------------------------------------------

ELEMS = [("torch.CudaTensor", "torch.FloatTensor", np.float32), ("torch.CudaDoubleTensor", "torch.DoubleTensor", np.float64),
         ("torch.CudaHalfTensor", "torch.HalfTensor", np.float16), ("torch.CudaByteTensor", "torch.ByteTensor", np.uint8),
         ("torch.CudaCharTensor", "torch.CharTensor", np.int8), ("torch.CudaShortTensor", "torch.ShortTensor", np.int16),
         ("torch.CudaIntTensor", "torch.IntTensor", np.int32), ("torch.CudaLongTensor", "torch.LongTensor", np.int64)]


@pytest.mark.parametrize("cuda_name,cpu_name,dtype", ELEMS)
def test_types_and_host_device_copies(mode, cuda_name, cpu_name, dtype):
    cls = torch.TENSOR_TYPES[cuda_name]
    assert getattr(torch, cuda_name[6:]) is cls and cls.dtype == np.dtype(dtype)
    assert cuda.cpu_typename(cuda_name) == cpu_name and cuda.cuda_typename(cpu_name) == cuda_name
    host = torch.TENSOR_TYPES[cpu_name]([[1, 2, 3], [4, 5, 6]])
    d = host.type(cuda_name)
    assert d.typename == cuda_name and d.storage().typename == cuda_name.replace("Tensor", "Storage")
    assert d.getDevice() == 0 and d.is_cuda and not host.is_cuda
    back = d.type(cpu_name)
    assert back.typename == cpu_name and back.numpy().tolist() == [[1, 2, 3], [4, 5, 6]]
    assert not np.shares_memory(back.numpy(), host.numpy())
    d2 = cls(2, 3).copy(torch.DoubleTensor(2, 3).fill(7.9))   # TH's conversion: 7.9 -> 7 for integers
    assert d2.tolist() == [[7.9 if dtype in (np.float32, np.float64, np.float16) else 7] * 3] * 2 or \
        np.allclose(d2.tolist(), 7.9, rtol=1e-3)
    host.copy(d2)  # device -> host
    assert np.allclose(host.numpy(), d2.numpy())


def test_shorthands(mode):
    x = torch.DoubleTensor([[1.5, -2.5], [3, 4]])
    assert x.cuda().typename == "torch.CudaTensor"
    assert x.cuda().cuda().typename == "torch.CudaTensor"
    for short, name in (("cudaDouble", "CudaDouble"), ("cudaHalf", "CudaHalf"), ("cudaByte", "CudaByte"),
                        ("cudaChar", "CudaChar"), ("cudaShort", "CudaShort"), ("cudaInt", "CudaInt"),
                        ("cudaLong", "CudaLong")):
        assert getattr(x, short)().typename == "torch.%sTensor" % name
    assert x.cuda().float().typename == "torch.FloatTensor"
    assert x.cuda().double().numpy().tolist() == [[1.5, -2.5], [3, 4]]
    assert str(x.cuda()).endswith("[torch.CudaTensor of size 2x2]\n")


def test_device_queries(mode):
    assert cuda.getDeviceCount() >= 1
    cuda.setDevice(0)
    assert cuda.getDevice() == 0
    assert cuda.withDevice(0, lambda: 41 + 1) == 42
    free, total = cuda.getMemoryUsage(0)
    assert 0 < free <= total
    props = cuda.getDeviceProperties(0)
    assert props["totalGlobalMem"] == total and isinstance(props["name"], str)
    cuda.synchronize()
    cuda.manualSeed(5)
    assert cuda.initialSeed() == 5
    with pytest.raises(IndexError):
        cuda.setDevice(cuda.getDeviceCount())


def test_clones_keep_cuda_types(mode):
    """Module.clone and gModule.clone (through the t7 serializer, as Torch7) keep Cuda tensors."""
    from pytorch_lite import nngraph  # noqa: F401  (nn.gModule)
    x = nn.Identity()()
    g = nn.gModule([x], [nn.Linear(3, 2)(x)]).cuda()
    lin = nn.Linear(3, 2).cuda()
    for m in (g, lin):
        c = m.clone("weight", "bias")
        ws = [p for p in c.parameters()[0]]
        assert ws and all(p.typename == "torch.CudaTensor" for p in ws)
        assert ws[0].storage() is m.parameters()[0][0].storage()


# -- the op tables: Torch7's recorded results, with the Cuda type names ---------------------------------

def _cuda_want(want):
    if isinstance(want, dict):
        return {k: _cuda_want(v) for k, v in want.items()}
    if isinstance(want, tuple) and len(want) == 3 and isinstance(want[0], str):
        return (cuda.cuda_typename(want[0]),) + tuple(want[1:])
    if isinstance(want, str):
        return cuda.cuda_typename(want)
    return want


class _Tracking(dict):
    used = False

    def __getitem__(self, k):
        self.used = True
        return dict.__getitem__(self, k)


OP_CASES = ([("elementwise", e, ELEMENTWISE[e]) for e in sorted(ELEMENTWISE)]
            + [("comparisons", e, COMPARE[e]) for e in sorted(COMPARE)]
            + [(topic, e, REDUCE[topic][e]) for topic in sorted(REDUCE) for e in sorted(REDUCE[topic])]
            + [("cat_repeat", e, CAT_REPEAT[e]) for e in sorted(CAT_REPEAT)]
            + [("linalg", e, LINALG[e]) for e in sorted(LINALG)])


@pytest.mark.parametrize("topic,expr,fn", OP_CASES, ids=["%s:%s" % c[:2] for c in OP_CASES])
def test_op_table_on_cuda_types(mode, topic, expr, fn):
    fix = t7index.load()[topic]
    inputs = _Tracking({k: t7index.tensor(v).type(cuda.cuda_typename(t7index.tensor(v).typename))
                        for k, v in fix["inputs"].items()})
    if "D({" in expr:
        pytest.skip("the expression mixes a CPU tensor it builds with Cuda ones (refused, as in cutorch)")
    got = fn(inputs)
    if not inputs.used:
        pytest.skip("the expression builds its own CPU tensors")
    want = fix["results"][expr]
    # x:float() and friends leave the device as in cutorch: what follows is a CPU result
    if not re.search(r":(float|double|byte|char|short|int|long)\(|:type\(['\"]|torch\.[A-Z]\w*Tensor", expr):
        want = _cuda_want(want)
    rel = 1e-12 if mode == "cpu" else 1e-5
    if isinstance(want, dict) and set(want) != {"values", "indices"}:   # Torch7's {1=..., 2=...} results
        assert isinstance(got, list) and len(got) == len(want), expr
        for i, part in enumerate(got):
            t7index.check(part, want[str(i + 1)], rel=rel)
        return
    t7index.check(got, want, rel=rel, index_shift=1 if topic in REDUCE else 0)


# -- the nn table: model:cuda() gives the float numbers (and cudaDouble the double ones) ---------------

def _cases():
    return [c for c in C.CASES]


def _flat(x):
    return C.flat_tensors(x)


def _types(x, name):
    """Floating tensors of x (nested) converted to `name`; index tensors to their Cuda type."""
    if isinstance(x, torch.Tensor):
        return x.type(name) if x.dtype.kind == "f" else x.type(cuda.cuda_typename(x.typename))
    if isinstance(x, (list, tuple)):
        return [_types(e, name) for e in x]
    return x


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c.name)
def test_nn_table_on_cuda_types(mode, case):
    x, target, m, ref = C._built_with_reference(case)
    for name, rtol in (("torch.CudaDoubleTensor", 1e-10 if mode == "cpu" else 1e-8), ("torch.CudaTensor", 1e-4)):
        m.type(name)
        xc = _types(x, name)
        tc = _types(target, name) if case.criterion else None
        out = m.forward(xc, tc) if case.criterion else m.forward(xc)
        if not case.criterion and not case.name.startswith("Copy"):
            for t in _flat(out):
                if t.dtype.kind == "f":
                    assert t.typename == name, (case.name, t.typename)
        copies = case.name.startswith("Copy")   # nn.Copy's output type is its own (a float one)
        C.assert_close(out, ref, 1e-4 if copies else rtol, "%s %s forward" % (case.name, name))
        if not case.criterion:
            for p in m.parameters()[0]:
                assert p.typename == name
    m.double()
    out = m.forward(x, target) if case.criterion else m.forward(x)
    C.assert_close(out, ref, 1e-4, case.name + " double again (weights rounded to float on the way)")


def _grad_output(out, seed):
    if isinstance(out, torch.Tensor):
        return C.rand(*out.size(), seed=seed)
    return [_grad_output(o, seed + 1 + i) for i, o in enumerate(out)]


def _params_and_grads(m):
    ps = m.parameters() if isinstance(m, nn.Module) else None
    return ps if ps else ([], [])


BACKWARD_CASES = [c for c in C.CASES if c.jacobian]


@pytest.mark.parametrize("case", BACKWARD_CASES, ids=lambda c: c.name)
def test_nn_table_backward_on_cuda_types(mode, case):
    """backward on the Cuda types: gradInput and the parameter gradients are the double module's."""
    x, target = C.case_io(case)
    ref = case.build()
    if case.stochastic:
        ref.evaluate()
    start = ref.clone()   # before any forward (LookupTable's maxNorm rescales rows in it)
    out = ref.forward(x, target) if case.criterion else ref.forward(x)
    if not case.criterion and not all(t.dtype.kind == "f" for t in _flat(out)):
        pytest.skip("an integer output has no gradient")
    g = None if case.criterion else _grad_output(out, 5)
    if isinstance(ref, nn.Module):
        ref.zeroGradParameters()
    gi = C.clone_input(ref.backward(x, target) if case.criterion else ref.backward(x, g))
    gparams = [p.clone() for p in _params_and_grads(ref)[1]]
    for name, rtol in (("torch.CudaDoubleTensor", 1e-10 if mode == "cpu" else 1e-8), ("torch.CudaTensor", 1e-3)):
        m = start.clone().type(name)
        xc = _types(x, name)
        tc = _types(target, name) if case.criterion else None
        if isinstance(m, nn.Module):
            m.zeroGradParameters()
        m.forward(xc, tc) if case.criterion else m.forward(xc)
        got = m.backward(xc, tc) if case.criterion else m.backward(xc, _types(g, name))
        for t in _flat(got):
            if t.dtype.kind == "f" and not case.name.startswith("Copy"):
                assert t.typename == name, (case.name, t.typename)
        C.assert_close(got, gi, rtol, "%s %s gradInput" % (case.name, name))
        got_p = _params_and_grads(m)[1]
        assert len(got_p) == len(gparams)
        for k, (gp, want) in enumerate(zip(got_p, gparams)):
            assert gp.typename == name, (case.name, gp.typename)
            C.assert_close(gp, want, rtol, "%s %s gradParameter[%d]" % (case.name, name, k))


# -- the modules whose device kernels run in 'fake' mode (pytorch_lite/cuda/_nn_conv, _nn_pool) --------
# forward, backward and the parameter gradients on the Cuda types against the same module in double

DEVICE_KERNEL_MODULES = [
    ("VolumetricConvolution", lambda: nn.VolumetricConvolution(2, 3, 2, 3, 2, 1, 2, 1, 1, 0, 1), (2, 2, 4, 5, 5)),
    ("VolumetricConvolution_single", lambda: nn.VolumetricConvolution(2, 2, 3, 3, 3), (2, 4, 4, 3)),
    ("SpatialFullConvolution", lambda: nn.SpatialFullConvolution(3, 2, 3, 4, 2, 2, 1, 1, 1, 0), (2, 3, 4, 5)),
    ("SpatialFullConvolution_nobias", lambda: nn.SpatialFullConvolution(2, 3, 2, 2).noBias(), (2, 3, 3)),
    ("SpatialAdaptiveMaxPooling", lambda: nn.SpatialAdaptiveMaxPooling(3, 4), (2, 3, 7, 5)),
    ("SpatialAdaptiveAveragePooling", lambda: nn.SpatialAdaptiveAveragePooling(4, 2), (3, 5, 7)),
    ("TemporalMaxPooling", lambda: nn.TemporalMaxPooling(3, 2), (2, 9, 4)),
    ("TemporalMaxPooling_single", lambda: nn.TemporalMaxPooling(2), (6, 3)),
    ("VolumetricMaxPooling", lambda: nn.VolumetricMaxPooling(2, 2, 2, 2, 2, 2), (2, 3, 4, 4, 4)),
    ("VolumetricMaxPooling_pad", lambda: nn.VolumetricMaxPooling(3, 3, 2, 1, 2, 2, 1, 1, 0), (2, 4, 5, 6)),
    ("SpatialUpSamplingBilinear", lambda: nn.SpatialUpSamplingBilinear(2), (2, 3, 3, 4)),
    ("SpatialUpSamplingBilinear_size", lambda: nn.SpatialUpSamplingBilinear({"oheight": 7, "owidth": 3}), (2, 4, 5)),
    # the other modules with a CPU kernel (or none of the nn table's cases)
    ("SpatialConvolution", lambda: nn.SpatialConvolution(3, 4, 3, 2, 2, 1, 1, 0), (2, 3, 6, 5)),
    ("SpatialConvolutionMM", lambda: nn.SpatialConvolutionMM(2, 3, 2, 3, 1, 2, 1, 1), (2, 5, 6)),
    ("SpatialDilatedConvolution", lambda: nn.SpatialDilatedConvolution(2, 3, 3, 2, 1, 1, 1, 0, 2, 2), (2, 2, 7, 6)),
    ("TemporalConvolution", lambda: nn.TemporalConvolution(4, 3, 3, 2), (2, 9, 4)),
    ("Linear", lambda: nn.Linear(5, 3), (4, 5)),
    ("ReLU", lambda: nn.ReLU(), (3, 4)),
    ("Threshold", lambda: nn.Threshold(0.2, -1), (3, 4)),
    ("SpatialMaxPooling", lambda: nn.SpatialMaxPooling(3, 2, 2, 1, 1, 0), (2, 3, 6, 7)),
    ("SpatialMaxPooling_ceil", lambda: nn.SpatialMaxPooling(2, 2, 2, 2).ceil(), (3, 5, 5)),
    ("SpatialAveragePooling", lambda: nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1), (2, 3, 6, 7)),
    ("SpatialAveragePooling_exclude", lambda: nn.SpatialAveragePooling(2, 3, 1, 2, 1, 1).setCountExcludePad(),
     (3, 5, 6)),
    ("SpatialLPPooling", lambda: nn.SpatialLPPooling(3, 2, 2, 2, 2, 2), (2, 3, 6, 6)),
    ("SpatialCrossMapLRN", lambda: nn.SpatialCrossMapLRN(3, 0.01, 0.75, 2), (2, 5, 4, 3)),
    ("SpatialCrossMapLRN_single", lambda: nn.SpatialCrossMapLRN(5), (4, 3, 3)),
    ("SpatialSubtractiveNormalization", lambda: nn.SpatialSubtractiveNormalization(2), (2, 2, 7, 7)),
    ("SpatialUpSamplingNearest", lambda: nn.SpatialUpSamplingNearest(2), (2, 3, 3, 4)),
    ("SpatialZeroPadding", lambda: nn.SpatialZeroPadding(1, 2, -1, 1), (2, 3, 4, 5)),
    ("SpatialDropout_p0", lambda: nn.SpatialDropout(0), (2, 3, 4, 4)),
    ("BatchNormalization", lambda: nn.BatchNormalization(4), (5, 4)),
    ("BatchNormalization_noaffine", lambda: nn.BatchNormalization(3, 1e-5, 0.1, False), (6, 3)),
    ("BatchNormalization_evaluate", lambda: nn.BatchNormalization(4).evaluate(), (5, 4)),
    ("SpatialBatchNormalization", lambda: nn.SpatialBatchNormalization(3), (2, 3, 4, 5)),
    ("VolumetricBatchNormalization", lambda: nn.VolumetricBatchNormalization(2), (2, 2, 3, 3, 4)),
]


@pytest.mark.parametrize("name,build,size", DEVICE_KERNEL_MODULES, ids=[c[0] for c in DEVICE_KERNEL_MODULES])
def test_device_kernel_modules_on_cuda_types(mode, name, build, size):
    x = C.rand(*size, seed=3)
    ref = build()
    y = ref.forward(x).clone()
    g = C.rand(*y.size(), seed=4)
    ref.zeroGradParameters()
    gi = ref.backward(x, g).clone()
    gparams = [p.clone() for p in ref.parameters()[1]] if ref.parameters() else []
    for tname, rtol in (("torch.CudaDoubleTensor", 1e-10), ("torch.CudaTensor", 1e-4)):
        m = ref.clone().type(tname)
        m.zeroGradParameters()
        out = m.forward(x.type(tname))
        assert out.typename == tname
        C.assert_close(out, y, rtol, "%s %s forward" % (name, tname))
        C.assert_close(m.backward(x.type(tname), g.type(tname)), gi, rtol, "%s %s backward" % (name, tname))
        for got, want in zip(m.parameters()[1] if gparams else [], gparams):
            assert got.typename == tname
            C.assert_close(got, want, rtol, "%s %s parameter gradient" % (name, tname))


def test_module_conversions_to_each_cuda_float_type(mode):
    # cunn adds module:cudaDouble() (and cudaHalf()) beside module:cuda()
    m = nn.Tanh()
    x = torch.DoubleTensor([[0.5, -1], [2, 0]])
    for conv, tn in (("cuda", "torch.CudaTensor"), ("cudaDouble", "torch.CudaDoubleTensor")):
        getattr(m, conv)()
        assert m.type() == tn
        y = m.forward(x.type(tn))
        assert y.typename == tn and np.allclose(y.double().numpy(), np.tanh(x.numpy()), atol=1e-7)
    m.cudaHalf()
    assert m.type() == "torch.CudaHalfTensor"


HALF_MODULES = {   # CudaHalfTensor modules compute in float (cunn's accreal) and round to half
    "SpatialConvolution": (lambda: nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1), (2, 3, 5, 5)),
    "SpatialMaxPooling": (lambda: nn.SpatialMaxPooling(2, 2, 2, 2), (2, 3, 4, 6)),
    "SpatialBatchNormalization": (lambda: nn.SpatialBatchNormalization(3), (4, 3, 3, 3)),
    "VolumetricConvolution": (lambda: nn.VolumetricConvolution(2, 3, 2, 2, 2), (2, 2, 3, 4, 4)),
    "TemporalConvolution": (lambda: nn.TemporalConvolution(4, 3, 2), (2, 5, 4)),
    "SpatialUpSamplingBilinear": (lambda: nn.SpatialUpSamplingBilinear(2), (1, 2, 3, 3)),
}


@pytest.mark.parametrize("name", sorted(HALF_MODULES))
def test_half_modules_compute_in_float(mode, name):
    build, size = HALF_MODULES[name]
    gen = torch.Generator()
    torch.manualSeed(gen, 2)
    x = torch.FloatTensor(*size).uniform(gen, -1, 1)
    ref = build().float()
    m = ref.clone().type("torch.CudaHalfTensor")
    ref.type("torch.FloatTensor")
    for p, q in zip(ref.parameters()[0] if ref.parameters() else [], m.parameters()[0] if m.parameters() else []):
        p.copy(q)   # the float module starts from the half-rounded weights
    xh = x.type("torch.CudaHalfTensor")
    y = m.forward(xh)
    want = ref.forward(xh.float())    # the same (half-rounded) numbers through the float module
    assert y.typename == "torch.CudaHalfTensor"
    np.testing.assert_allclose(y.float().numpy(), want.numpy(), rtol=2e-3, atol=2e-3)
    g = y.float().clone().uniform(gen, -1, 1)
    gi = m.backward(xh, g.type("torch.CudaHalfTensor"))
    gw = ref.backward(xh.float(), g.type("torch.CudaHalfTensor").float())
    np.testing.assert_allclose(gi.float().numpy(), gw.numpy(), rtol=5e-3, atol=5e-3)


def test_half_losses_sum_in_float(mode):
    # a half sum of 4096 terms would be off by about 0.05; cunn sums in float
    x = torch.FloatTensor(4096).uniform(-3, 3).type("torch.CudaHalfTensor")
    y = torch.FloatTensor(4096).bernoulli(0.5).mul(2).add(-1).type("torch.CudaHalfTensor")
    for crit in (nn.SoftMarginCriterion(), nn.DistKLDivCriterion()):
        want = crit.forward(x.float(), y.float() if not isinstance(crit, nn.DistKLDivCriterion) else y.float().abs())
        got = crit.forward(x, y if not isinstance(crit, nn.DistKLDivCriterion) else y.float().abs().type("torch.CudaHalfTensor"))
        assert abs(got - want) < 1e-4 * max(1, abs(want))


def test_half_sums_and_exponentials_stay_in_float(mode):
    # the N-d convolutions sum thousands of products (a half sum would be off by about 0.5 here)
    # and SoftPlus takes exp(beta x), which overflows half at x = 4 for beta = 3
    m = nn.VolumetricFullConvolution(20, 30, 5, 5, 5, 2, 2, 2, 2, 2, 2).float()
    m.weight.fill(1)
    m.bias.fill(0.1)
    x = torch.FloatTensor(2, 20, 8, 9, 10).fill(1)
    y = m.forward(x)
    gen = torch.Generator()
    torch.manualSeed(gen, 1)
    g = y.clone().normal(gen).type("torch.CudaHalfTensor").float()
    gi = m.backward(x, g).clone()
    h = m.clone().type("torch.CudaHalfTensor")
    hx = x.type("torch.CudaHalfTensor")
    yh, gih = h.forward(hx), h.backward(hx, g.type("torch.CudaHalfTensor"))
    # one rounding to half: at most half a unit in the last place (0.5 at |y| = 540, 0.125 at
    # |gi| < 256), and the float sums' own error
    assert np.abs(y.numpy()).max() < 1024 and np.abs(gi.numpy()).max() < 256
    assert np.abs(yh.float().numpy() - y.numpy()).max() <= 0.26
    assert np.abs(gih.float().numpy() - gi.numpy()).max() <= 0.07
    s = nn.SoftPlus(3).type("torch.CudaHalfTensor")
    out = s.forward(torch.CudaHalfTensor([4.5, -2, 0.5])).float().numpy()
    assert np.allclose(out, np.log1p(np.exp(3 * np.array([4.5, -2, 0.5]))) / 3, rtol=1e-3)
