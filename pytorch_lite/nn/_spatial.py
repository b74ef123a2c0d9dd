"""Helpers shared by the convolution, pooling and normalisation modules (not a module file).

The kernel table is picked by the tensor's type (THNN's rule): CPU tensors use the Cython
kernels in pytorch_lite._nn_conv / _nn_pool / _nn_norm; Cuda tensors on a GPU the CUDA table
beside it under the same function names (pytorch_lite/cuda/_nn_conv.py, ...).
"""
import math

import numpy as np

from ..errors import TorchRuntimeError, TorchValueError
from ..tensor import Tensor, LongTensor
from . import utils
from ..cuda.device import contiguous   # noqa: F401  (S.contiguous: an array's C-contiguous copy where it lives)

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def kernels(name, t):
    """The kernel table `name` ('conv', 'pool', 'norm') for tensor t's type."""
    half = _cuda_half(t)
    if t.dtype not in FLOAT_DTYPES and not half:
        raise TorchValueError("%s kernels are defined for torch.FloatTensor and torch.DoubleTensor, not %s"
                              % (name, t.typename))
    if name == "conv":
        from .. import _nn_conv as k
    elif name == "pool":
        from .. import _nn_pool as k
    else:
        from .. import _nn_norm as k
    if t.is_cuda:   # on a GPU: the same names in pytorch_lite/cuda (CPU arrays keep the Cython ones)
        from ..cuda._kernels import table_for
        return table_for(k, t._a)   # a CudaHalfTensor's computes in float (see table_for)
    return k


def _cuda_half(t):
    return t.dtype == _HALF and t.is_cuda


_HALF = np.dtype(np.float16)


def arr(t):
    """A C-contiguous array with t's elements (t's own buffer when already contiguous), on the
    host for a CPU tensor and on the device for a Cuda one."""
    a = t._a
    return np.ascontiguousarray(a) if type(a) is np.ndarray else contiguous(a)


def out(t, shape):
    """t resized to shape; its (contiguous) numpy view."""
    shape = tuple(int(s) for s in shape)
    if t._size != shape or not t.isContiguous():
        t.resize(*shape)
    a = t._a
    if not a.flags.c_contiguous:
        t.set()
        t.resize(*shape)
        a = t._a
    return a


def buffer(module, name, like, shape):
    """The module's reusable buffer `name` (same type as `like`), resized to shape; its array."""
    b = module.__dict__.get(name)
    if not isinstance(b, Tensor) or type(b) is not type(like):
        b = like.new()
        module.__dict__[name] = b
    return out(b, shape)


def column_buffer(module, name, like, shape):
    """The module's (K, N, L) column buffer `name` as buffer() makes it, except that where a row
    of N*L elements spans a multiple of 4 KiB the rows are laid one cache line apart more (row
    stride N*L + 64 bytes): with a power-of-two stride every row of an image's (K, L) block maps
    to the same few L2 sets, and the per-image GEMMs reading or writing that block ran 20% slower
    (32x288x32x32 float columns: 19.9 ms single-threaded instead of 16.1).  The kernels take
    the padded rows as they are (their memoryviews only need contiguous last axes); only the
    fused per-image path gets them."""
    K, N, L = (int(s) for s in shape)
    item = like.dtype.itemsize
    if like.is_cuda or K < 2 or (N * L * item) % 4096 != 0 or not kernels("conv", like).fused_ok(N):
        return buffer(module, name, like, shape)   # (the other paths reshape the whole buffer)
    R = N * L + 64 // item
    b = module.__dict__.get(name)
    if isinstance(b, Tensor) and type(b) is type(like) and b._size == (K, N, L) and b._stride == (R, L, 1):
        return b._a
    b = like.new(K * R)
    b.set(b.storage(), 0, (K, N, L), (R, L, 1))
    module.__dict__[name] = b
    return b._a


def index_buffer(module, name, shape):
    b = module.__dict__.get(name)
    if not isinstance(b, LongTensor):
        b = LongTensor()
        module.__dict__[name] = b
    return out(b, shape)


def need(module, cond, expected, x):
    if not cond:
        utils.bad_input(module, expected, x)


def check_tensor(module, x, dims, expected):
    if not isinstance(x, Tensor) or x.dim() not in dims:
        utils.bad_input(module, expected, x)
    if x.dtype not in FLOAT_DTYPES and not _cuda_half(x):
        raise TorchValueError("%s: expected a torch.FloatTensor or torch.DoubleTensor, got %s"
                              % (module.typename, x.typename))


def check_grad(module, gradOutput, shape):
    if not isinstance(gradOutput, Tensor) or tuple(gradOutput._size) != tuple(shape):
        raise TorchValueError("%s: gradOutput should be of size %s, got %s"
                              % (module.typename, "x".join(map(str, shape)), utils.shape_str(gradOutput)))


def pool_size(n, k, d, pad, ceil_mode, dil=1):
    """THNN's pooled output length (floor or ceil), with the last window starting inside the input."""
    span = n + 2 * pad - (dil * (k - 1) + 1)
    o = (int(math.ceil(span / d)) if ceil_mode else span // d) + 1
    if pad and (o - 1) * d >= n + pad:
        o -= 1
    return o


def get(module, name, default=None):
    v = module.__dict__.get(name)
    return default if v is None else v


def planes(module, input, expected, dims=(3, 4)):
    """input checked to be 3D/4D (or `dims`) and its contiguous array folded to (planes, H, W)."""
    check_tensor(module, input, dims, expected)
    x = arr(input)
    return x.reshape((-1,) + x.shape[-2:])


# -- pooling ---------------------------------------------------------------------------------------
# Mixins (plain classes, listed before Module in the bases): they carry no typename, so a
# module's class chain as Torch7 knows it (torch.type, isTypeOf) is unchanged.

class Rounding:
    """:ceil() / :floor(): how a pooling module rounds its output size (the `ceil_mode` field)."""

    def ceil(self):
        self.ceil_mode = True
        return self

    def floor(self):
        self.ceil_mode = False
        return self


class PadCounting:
    """:setCountIncludePad() / :setCountExcludePad(): whether zero padding counts in an average
    pooling's divisor (the `count_include_pad` field)."""

    def setCountIncludePad(self):
        self.count_include_pad = True
        return self

    def setCountExcludePad(self):
        self.count_include_pad = False
        return self


class MaxIndices:
    """A max pooling's `indices` (LongTensor) of its last forward: emptied by clearState and
    checked before a backward."""

    def clearState(self):
        utils.clear(self, "indices")
        return super().clearState()

    def _check_indices(self, shape):
        if not isinstance(self.indices, LongTensor) or self.indices._size != shape:
            raise TorchValueError("%s: updateGradInput needs the indices of a forward on this input" % self.typename)

    def _indices_size(self, osize):
        return osize


class OneBasedMaxIndices(MaxIndices):
    """MaxIndices that Torch7 stores 1-based (converted on t7 load and save); older files keep
    them in a real tensor."""
    t7_index_fields = ("indices",)

    @classmethod
    def _t7_fields_in(cls, fields):
        ind = fields.get("indices")
        if ind is not None and hasattr(ind, "nElement") and ind.nElement():
            fields["indices"] = ind.type("torch.LongTensor")   # older files keep them in a real tensor
        return super()._t7_fields_in(fields)


PLANES_2D = "a 3D (nPlane x H x W) or 4D (batch x nPlane x H x W) tensor"


def pool2d_sizes(module, input, dilH=1, dilW=1):
    """(planes array, output size) of a kW x kH window pooling (THNN's checks: padding at most
    half the kernel, a non-empty output in the module's rounding)."""
    x = planes(module, input, PLANES_2D)
    H, W = x.shape[1:]
    if module.kW // 2 < module.padW or module.kH // 2 < module.padH:
        utils.bad_input(module, "padding at most half the kernel size (pad %d,%d for kernel %dx%d)"
                        % (module.padW, module.padH, module.kW, module.kH), input)
    ceil = bool(get(module, "ceil_mode", False))
    oH = pool_size(H, module.kH, module.dH, module.padH, ceil, dilH)
    oW = pool_size(W, module.kW, module.dW, module.padW, ceil, dilW)
    if oH < 1 or oW < 1:
        utils.bad_input(module, PLANES_2D + " of at least the kernel size %dx%d" % (module.kH, module.kW), input)
    return x, input._size[:-2] + (oH, oW)


def pool_grad(module, input, gradOutput):
    """(g, gi) for a pooling backward: gradOutput checked against the forward's output size
    (module._sizes: (input array, output size)) and, for a max pooling, its indices; gradOutput
    and the resized gradInput as arrays in the input array's (planes, ...) layout."""
    x, osize = module._sizes(input)
    check_grad(module, gradOutput, osize)
    if isinstance(module, MaxIndices):
        module._check_indices(module._indices_size(osize))
    g = arr(gradOutput).reshape((x.shape[0],) + osize[1 - x.ndim:])
    gi = out(module.gradInput, input._size).reshape(x.shape)
    return g, gi


def pool2d_str(module):
    s = "%s(%dx%d, %d,%d" % (module.typename, module.kW, module.kH, module.dW, module.dH)
    if module.padW != 0 or module.padH != 0:
        s += ", %d,%d" % (module.padW, module.padH)
    return s


PLANES_3D = "a 4D (nPlane x T x H x W) or 5D (batch x nPlane x T x H x W) tensor"


def pool3d_out(module, input, dil=(1, 1, 1)):
    """(oT, oH, oW) of a kT x kH x kW window pooling after THNN's checks of the input and the
    padding (at most half the kernel); the caller says when the output is empty."""
    check_tensor(module, input, (4, 5), PLANES_3D)
    if module.kT // 2 < module.padT or module.kW // 2 < module.padW or module.kH // 2 < module.padH:
        utils.bad_input(module, "padding at most half the kernel size", input)
    ceil = bool(get(module, "ceil_mode", False))
    k, d, p = (module.kT, module.kH, module.kW), (module.dT, module.dH, module.dW), (module.padT, module.padH, module.padW)
    return tuple(pool_size(n, kk, dd, pp, ceil, di) for n, kk, dd, pp, di in zip(input._size[-3:], k, d, p, dil))


def pool3d_str(module):
    s = "%s(%dx%dx%d, %d,%d,%d" % (module.typename, module.kT, module.kW, module.kH, module.dT, module.dW, module.dH)
    if module.padT != 0 or module.padW != 0 or module.padH != 0:
        s += ", %d,%d,%d" % (module.padT, module.padW, module.padH)
    return s


# -- convolutions ----------------------------------------------------------------------------------

def reset_uniform(module, stdv, fan_in):
    """Torch7's convolution reset: weight, then bias when there is one, uniform in +-stdv*sqrt(3)
    (stdv given) or +-1/sqrt(fan_in)."""
    stdv = stdv * math.sqrt(3) if stdv is not None else 1.0 / math.sqrt(fan_in)
    utils.uniform_(module.weight, -stdv, stdv)
    if get(module, "bias") is not None:
        utils.uniform_(module.bias, -stdv, stdv)
    return module


class NoBias:
    """:noBias(): drops the bias and its gradient (the module then prints "without bias")."""

    def noBias(self):
        self.__dict__.pop("bias", None)
        self.__dict__.pop("gradBias", None)
        return self


class _Columns:
    def clearState(self):
        utils.clear(self, "finput", "fgradInput", "_input", "_gradOutput")
        return super().clearState()


class ColumnBuffers(_Columns):
    """The unfolded-input buffers finput / fgradInput of Torch7's GEMM convolutions: emptied
    by clearState, made anew (of the new type) by a type change."""

    def type(self, typename=None, tensorCache=None):
        if typename is not None:
            self.finput = Tensor()
            self.fgradInput = Tensor()
        return super().type(typename, tensorCache)


class SpareColumnBuffers(_Columns):
    """finput / fgradInput as fields Torch7's files may carry but this module does not use:
    emptied by clearState and by a type change."""

    def type(self, typename=None, tensorCache=None):
        if typename is not None:
            utils.clear(self, "finput", "fgradInput")
        return super().type(typename, tensorCache)


def step_str(module, dims):
    """Torch7's print tail of a convolution over `dims` (e.g. "WH"): the strides when a stride
    is not 1 or a pad is set, then the pads when one is set."""
    d = [getattr(module, "d" + c) for c in dims]
    pad = [getattr(module, "pad" + c) for c in dims]
    s = ""
    if any(v != 1 for v in d) or any(v != 0 for v in pad):
        s += ", " + ",".join("%d" % v for v in d)
    if any(v != 0 for v in pad):
        s += ", " + ",".join("%d" % v for v in pad)
    return s


def bias_str(module):
    return ")" if get(module, "bias") is not None else ") without bias"


# -- dropout of whole feature maps -----------------------------------------------------------------

class FeatureDropout:
    """Spatial/VolumetricDropout: in training (or with stochasticInference) one Bernoulli draw per
    feature map of the last `_ndim` dims, kept in `noise`, zeroes whole maps; in evaluate mode the
    input is scaled by 1-p (Torch7 does not rescale while training).  `_expected` describes the
    accepted input."""

    def __init__(self, p=0.5, stochasticInference=False):
        super().__init__()
        self.p = p
        self.train = True
        self.stochastic_inference = stochasticInference
        self.noise = Tensor()

    def _noise_size(self, input):
        return input._size[:-self._ndim] + (1,) * self._ndim

    def updateOutput(self, input):
        check_tensor(self, input, (self._ndim + 1, self._ndim + 2), self._expected)
        x = arr(input)
        y = out(self.output, input._size)
        y[...] = x
        if self.train or get(self, "stochastic_inference", False):
            nsize = self._noise_size(input)
            if not isinstance(self.noise, Tensor) or type(self.noise) is not type(input):
                self.noise = input.new()
            self.noise.resize(*nsize)
            if hasattr(self.noise, "bernoulli"):
                self.noise.bernoulli(1 - self.p)
            else:  # no THRandom stream available: numpy draws
                self.noise._a[...] = np.random.random_sample(nsize) < 1 - self.p
            y *= self.noise._a
        else:
            y *= 1 - self.p
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        if not self.train:
            raise TorchRuntimeError("%s: backprop only defined while training" % self.typename)
        check_grad(self, gradOutput, input._size)
        if self.noise._size != self._noise_size(input):
            raise TorchValueError("%s: updateGradInput needs a forward on this input first" % self.typename)
        gi = out(self.gradInput, input._size)
        np.multiply(arr(gradOutput), self.noise._a, out=gi)
        return self.gradInput

    def setp(self, p):
        self.p = p

    def clearState(self):
        utils.clear(self, "noise")
        return super().clearState()

    def __tostring__(self):
        return "%s(%f)" % (self.typename, self.p)


# -- local (kernel-weighted) normalisation ---------------------------------------------------------

def set_kernel(module, nInputPlane, kernel):
    """nInputPlane (default 1) and the averaging kernel (default ones(9, 9)) as Torch7 sets them."""
    module.nInputPlane = nInputPlane or 1
    module.kernel = kernel if kernel is not None else Tensor(9, 9).fill(1)


def check_kernel(module):
    """The averaging kernel's dim after Torch7's checks (1D or 2D, odd sizes)."""
    name = module.typename[len("nn."):]
    k = module.kernel
    kdim = k.dim() if isinstance(k, Tensor) else 0
    if kdim not in (1, 2):
        raise TorchValueError("<%s> averaging kernel must be 2D or 1D" % name)
    if k._size[0] % 2 == 0 or (kdim == 2 and k._size[1] % 2 == 0):
        raise TorchValueError("<%s> averaging kernel must have ODD dimensions" % name)
    return kdim


def local_estimator(k, n, square=False):
    """Torch7's kernel-weighted neighbourhood sum over all n planes, built from nn modules:
    [Square,] zero padding, the convolution (a 1D kernel: a row convolution per plane, then a
    column one), Replicate over the planes[, Sqrt].  Its reset draws as Torch7's."""
    from . import SpatialZeroPadding, SpatialConvolution, SpatialConvolutionMap, Replicate, Square, Sqrt, tables
    from .Sequential import Sequential
    padH = k._size[0] // 2
    padW = k._size[1] // 2 if k.dim() == 2 else padH
    seq = Sequential()
    if square:
        seq.add(Square())
    seq.add(SpatialZeroPadding(padW, padW, padH, padH))
    if k.dim() == 2:
        seq.add(SpatialConvolution(n, 1, k._size[1], k._size[0]))
    else:
        seq.add(SpatialConvolutionMap(tables.oneToOne(n), k._size[0], 1))
        seq.add(SpatialConvolution(n, 1, 1, k._size[0]))
    seq.add(Replicate(n, 0, 3))
    if square:
        seq.add(Sqrt())
    return seq


def set_estimator_kernel(seq, k, n):
    """The (normalised) kernel k copied into every plane of a local_estimator, biases zeroed."""
    mods = [m for m in seq.modules if "weight" in m.__dict__]
    if k.dim() == 2:
        for i in range(n):
            mods[0].weight.select(0, 0).select(0, i).copy(k)
    else:
        for i in range(n):
            mods[0].weight.select(0, i).copy(k.view(1, -1))
            mods[1].weight.select(0, 0).select(0, i).copy(k.view(-1, 1))
    for m in mods:
        m.bias.zero()


class LocalNormalization:
    """Spatial{Subtractive,Divisive}Normalization: the input check and clearState (the ones /
    _coef buffers and the `_estimators` Sequentials)."""

    def _check(self, input):
        n = self.nInputPlane
        if not isinstance(input, Tensor) or input.dim() not in (3, 4) or input._size[-3] != n:
            utils.bad_input(self, "a 3D (%d x H x W) or 4D (batch x %d x H x W) tensor" % (n, n), input)

    def clearState(self):
        for name in ("ones", "_coef"):
            t = self.__dict__.get(name)
            if isinstance(t, Tensor):
                t.set()
        for name in self._estimators:
            getattr(self, name).clearState()
        return super().clearState()
