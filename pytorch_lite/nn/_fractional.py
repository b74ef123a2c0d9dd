"""Fractional max pooling on numpy arrays (not a module file): THNN's pseudo-random overlapping
windows (Graham, 2014), shared by Spatial- and VolumetricFractionalMaxPooling.

x has layout (planes, D1, ..., Dn); samples (planes, n) holds THNN's per-plane draws, where
samples[:, n-1-j] places the windows along Dj (THNN lists them fastest dim first).  Indices are
0-based flat offsets into one plane, row-major over (D1, ..., Dn), as THNN (minus its 1)."""
import numpy as np

from ..cuda.device import array_module as _xp, to_host


def intervals(sample, in_size, out_size, pool):
    """Window starts (planes, out_size) for one dim; arithmetic in the samples' precision as
    THNN does it in `real`."""
    dt = sample.dtype.type
    starts = np.empty((sample.shape[0], out_size), np.int64)
    if out_size > 1:
        alpha = dt(in_size - pool) / dt(out_size - 1)
        i = np.arange(out_size - 1, dtype=sample.dtype)
        with np.errstate(all="ignore"):
            starts[:, :-1] = (((i[None, :] + sample[:, None]) * alpha).astype(np.int64)
                              - (sample * alpha).astype(np.int64)[:, None])
    starts[:, -1] = in_size - pool
    return starts


def forward(x, samples, out, pool):
    """(output (planes, *out), indices (planes, *out)) of the max over each window."""
    P, ins = x.shape[0], x.shape[1:]
    n = len(ins)
    strides = [int(np.prod(ins[j + 1:])) for j in range(n)]
    flat = np.zeros((P,) + (1,) * (2 * n), np.int64)
    for j in range(n):
        st = intervals(np.ascontiguousarray(samples[:, n - 1 - j]), ins[j], out[j], pool[j])
        pos = (st[:, :, None] + np.arange(pool[j])[None, None, :]) * strides[j]  # (P, out_j, pool_j)
        shape = [P] + [1] * (2 * n)
        shape[1 + j] = out[j]
        shape[1 + n + j] = pool[j]
        flat = flat + pos.reshape(shape)
    flat = _xp(x).asarray(flat.reshape((P,) + tuple(out) + (-1,)))   # windows made on the host
    xv = x.reshape(P, -1)
    vals = np.take_along_axis(xv, flat.reshape(P, -1), axis=1).reshape(flat.shape)
    best = np.argmax(vals, axis=-1)[..., None]  # first max in window order (THNN's strict >)
    idx = np.take_along_axis(flat, best, axis=-1)[..., 0]
    y = np.take_along_axis(vals, best, axis=-1)[..., 0]
    return y, idx


def backward(g, idx, in_shape):
    """gradInput (planes, *in_shape): every gradOutput value added at its max's position."""
    P = g.shape[0]
    m = int(np.prod(in_shape))
    flat = (idx.reshape(P, -1) + (np.arange(P) * m)[:, None]).reshape(-1)
    xp = _xp(g)   # idx is a LongTensor's (host) array: copied over for a Cuda gradOutput
    gi = xp.bincount(xp.asarray(flat), weights=g.reshape(-1).astype(np.float64), minlength=P * m)
    return gi.reshape((P,) + tuple(in_shape)).astype(g.dtype)


# -- the module side, shared by the two modules ------------------------------------------------------

def check_input(module, input, nd):
    from . import _spatial as S
    what = "a %dD (nPlane x %s) or %dD (batch x nPlane x %s) tensor" % (
        nd + 1, " x ".join(module._DIMS), nd + 2, " x ".join(module._DIMS))
    S.check_tensor(module, input, (nd + 1, nd + 2), what)
    return what


def sample_buffer(module, input, nd):
    """THNN's randomSamples (batch x nPlane x nd), redrawn with uniform() as Torch7's
    initSampleBuffer_ does: new on a first call or a batch/plane change, else unless fixed."""
    from ..tensor import Tensor
    batch = input._size[0] if input.dim() == nd + 2 else 1
    planes = input._size[-nd - 1]
    rs = module.__dict__.get("randomSamples")
    if not isinstance(rs, Tensor) or rs.dim() != 3 or type(rs) is not type(input):
        module.randomSamples = input.new(batch, planes, nd).uniform()
    elif rs._size[0] != batch or rs._size[1] != planes:
        rs.resize(batch, planes, nd).uniform()
    elif not module.newRandomPool:
        rs.uniform()
    return module.randomSamples


class SampleBuffer:
    """nn's getBufferSize_ and initSampleBuffer_ of both fractional poolings (a mixin listed before
    Module: no typename of its own); the pooled dimensions are the class's _DIMS."""

    def getBufferSize_(self, input):
        """The size of randomSamples for this input: batch x nPlane x (number of pooled dims)."""
        nd = len(self._DIMS)
        check_input(self, input, nd)
        from ..storage import LongStorage
        batch = input._size[0] if input.dim() == nd + 2 else 1
        return LongStorage([batch, input._size[-nd - 1], nd])

    def initSampleBuffer_(self, input):
        """Draw (or keep, when fixed) randomSamples for this input, as updateOutput does first."""
        nd = len(self._DIMS)
        check_input(self, input, nd)
        sample_buffer(self, input, nd)


def run_forward(module, input, nd, out, pool):
    from ..tensor import LongTensor
    from ..errors import TorchValueError
    from . import _spatial as S
    ins = input._size[-nd:]
    for name, o, p, n in zip(module._DIMS, out, pool, ins):
        if not o + p - 1 < n:
            raise TorchValueError("%s: poolSize%s (%d) too large relative to input %s (%d) for an output of %d"
                                  % (module.typename, name[0].upper(), p, name, n, o))
    samples = sample_buffer(module, input, nd)
    x = S.arr(input).reshape((-1,) + ins)
    y, idx = forward(x, np.ascontiguousarray(to_host(samples._a)).reshape(-1, nd), out, pool)
    osize = input._size[:-nd] + tuple(out)
    S.out(module.output, osize)[...] = y.reshape(osize)
    ind = module.__dict__.get("indices")
    if not isinstance(ind, LongTensor):
        ind = module.indices = LongTensor()
    S.out(ind, osize)[...] = to_host(idx).reshape(osize)   # a LongTensor, on the host
    return module.output


def run_backward(module, input, gradOutput, nd, out):
    from ..errors import TorchValueError
    from . import _spatial as S
    if module.__dict__.get("randomSamples") is None:
        raise TorchValueError("%s: must call updateOutput/forward first" % module.typename)
    osize = input._size[:-nd] + tuple(out)
    S.check_grad(module, gradOutput, osize)
    if module.indices._size != osize:
        raise TorchValueError("%s: updateGradInput needs the indices of a forward on this input" % module.typename)
    ins = input._size[-nd:]
    g = S.arr(gradOutput).reshape((-1,) + tuple(out))
    gi = backward(g, module.indices._a.reshape(g.shape), ins)
    S.out(module.gradInput, input._size)[...] = gi.reshape(input._size)
    return module.gradInput
