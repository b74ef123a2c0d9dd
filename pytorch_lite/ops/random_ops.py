"""Random draws (torch7 doc/random.md, and the random part of doc/maths.md).

Every function takes an optional ``torch.Generator`` first (after the tensor, for the tensor
forms), as Torch7's do; without one the global generator draws.  Numbers come back from
``torch.random()``, ``torch.uniform()``, ...; with a tensor first (``x.uniform(a, b)`` or
``torch.uniform(x, a, b)``) the tensor is filled in place, element by element in row-major
order, and returned.  ``rand``, ``randn``, ``randperm`` build (or fill a given result) and
``multinomial`` returns a LongTensor of 0-based category indices.

Python is 0-based: ``randperm(n)`` holds 0..n-1 (Torch7: 1..n) and ``multinomial`` indices start
at 0.  Everything else, including the order of draws, is THRandom's, so a seeded script draws
exactly what it drew in Torch7.
"""
import numpy as np

from .. import tensor as _tensor_mod
from .._decl import over, wrap
from ..convert import cast_into
from ..errors import TorchTypeError, TorchValueError
from ..random import _default
from ..tensor import DoubleTensor, FloatTensor, LongTensor
from ..cuda.device import to_host
from ._util import index_class

_U64 = (1 << 64) - 1
_FLOATING = (FloatTensor, DoubleTensor)
_FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))   # the Cuda float types too
_HALF = np.dtype(np.float16)   # CudaHalfTensor: drawn in float, as cutorch does
_SUPPORTED = {np.dtype(t) for t in (np.uint8, np.int8, np.int16, np.int32, np.int64,
                                    np.float32, np.float64)}


# -- helpers -----------------------------------------------------------------------------------

def _fill(x, kernel, *args):
    """Run kernel(flat_buffer, *args) over x's elements in row-major order; returns x."""
    half = x.dtype == _HALF and type(x).is_cuda   # cutorch draws a CudaHalfTensor in float
    if x.dtype not in _SUPPORTED and not half:
        raise TorchTypeError("random draws are not supported for %s" % x.typename)
    n = x.nElement()
    if n == 0:
        return x
    a = x._a
    if type(a) is not np.ndarray or half:
        # a Cuda tensor on the device (or a half one): THRandom draws on the host, copied over
        buf = np.empty(n, np.float32 if half else a.dtype)
        kernel(buf, *args)
        host = buf.reshape(a.shape)
        if type(a) is np.ndarray:
            a[...] = host
        else:
            a[...] = _to_device_like(a, host)
    elif a.flags.c_contiguous:
        kernel(a.reshape(-1), *args)
    else:
        buf = np.array(a, copy=True).reshape(-1)  # a fill stopped by bad input keeps the rest
        try:
            kernel(buf, *args)
        finally:
            a[...] = buf.reshape(a.shape)
    return x


def _to_device_like(a, host):
    import cupy
    return cupy.asarray(host)


def _floating(x, name):
    if type(x) not in _FLOATING and type(x).dtype not in _FLOAT_DTYPES and not (
            type(x).is_cuda and type(x).dtype == _HALF):
        raise TorchTypeError("%s: only torch.FloatTensor and torch.DoubleTensor are supported, got %s"
                             % (name, x.typename))


def _real(x, v):
    """A number passed as TH's `real` argument: a FloatTensor sees it rounded to float."""
    v = float(v)
    return float(np.float32(v)) if x.dtype == np.float32 else v


def _as_long(v, what="argument"):
    """A Lua number as a C long (floats truncate toward zero)."""
    if isinstance(v, (float, np.floating)):
        if not np.isfinite(v):
            raise TorchValueError("%s must be finite, got %r" % (what, v))
    v = int(v)
    if not -(1 << 63) <= v < (1 << 63):
        raise TorchValueError("%s %d does not fit in a C long" % (what, v))
    return v


def _signed(v):
    return v - (1 << 64) if v >= (1 << 63) else v


def _generator_for(*ts):
    """The generator a call without one draws from: cutorch's (the current device's) when a Cuda
    tensor takes part, the global one otherwise."""
    for t in ts:
        if isinstance(t, _tensor_mod.Tensor) and type(t).is_cuda:
            from ..cuda.device import generator
            return generator()
    return _default


def _nogen(fn, k):
    """The same implementation with the default generator in the generator's place (after k
    leading arguments): cutorch's for a Cuda tensor (the tensor filled, the result given, or the
    probabilities of multinomial), the global one otherwise."""
    def impl(out, *args):
        gen = _generator_for(args[0]) if k else _generator_for(out, *args[:1])
        return fn(out, *args[:k], gen, *args[k:])
    impl.__name__ = fn.__name__ + "_default"
    return impl


def _overloads(head, rest, fn, returns):
    """Both signatures of an op: with a Generator after `head`, and without one."""
    with_gen = ", ".join(p for p in (head, "G gen", rest) if p)
    without = ", ".join(p for p in (head, rest) if p)
    return [over(with_gen, fn, returns), over(without, _nogen(fn, 1 if head else 0), returns)]


def _check_normal(stdv):
    if not stdv > 0:
        raise TorchValueError("standard deviation must be strictly positive")


def _check_geometric(p):
    if not (p > 0 and p < 1):
        raise TorchValueError("geometric: p must be > 0 and < 1, got %r" % (p,))


def _check_bernoulli(p):
    if not (p >= 0 and p <= 1):
        raise TorchValueError("bernoulli: p must be >= 0 and <= 1, got %r" % (p,))


def _random_range(a, b):
    """(modulus, offset) of TH's random2__: random % (b+1-a) + a in unsigned long arithmetic."""
    a, b = _as_long(a, "lower bound"), _as_long(b, "upper bound")
    if b < a:
        raise TorchValueError("random: upper bound must be larger than lower bound")
    m = b + 1 - a
    if m >= (1 << 63):
        raise TorchValueError("random: the range [%d, %d] is too wide for a C long" % (a, b))
    return m, a & _U64


def _random_upper(b):
    b = _as_long(b, "upper bound")
    if b <= 0:
        raise TorchValueError("random: upper bound must be strictly positive")
    return b


# -- numbers -----------------------------------------------------------------------------------

def _random_n0(out, gen):
    return gen._random()


def _random_n1(out, gen, b):
    return _signed((gen._random() % _random_upper(b) + 1) & _U64)


def _random_n2(out, gen, a, b):
    m, off = _random_range(a, b)
    return _signed((gen._random() % m + off) & _U64)


def _uniform_n(out, gen, a, b):
    return gen._uniform(float(a), float(b))


def _normal_n(out, gen, mean, stdv):
    _check_normal(stdv)
    return gen._normal(float(mean), float(stdv))


def _exponential_n(out, gen, lambd):
    return gen._exponential(float(lambd))


def _cauchy_n(out, gen, median, sigma):
    return gen._cauchy(float(median), float(sigma))


def _log_normal_n(out, gen, mean, stdv):
    _check_normal(stdv)
    return gen._log_normal(float(mean), float(stdv))


def _geometric_n(out, gen, p):
    _check_geometric(p)
    return gen._geometric(float(p))


def _bernoulli_n(out, gen, p):
    _check_bernoulli(p)
    return gen._bernoulli(float(p))


# -- tensors, filled in place ------------------------------------------------------------------

def _random_t0(out, x, gen):
    return _fill(x, gen._fill_random)


def _random_t1(out, x, gen, b):
    return _fill(x, gen._fill_random_mod, _random_upper(b), 1)


def _random_t2(out, x, gen, a, b):
    m, off = _random_range(a, b)
    return _fill(x, gen._fill_random_mod, m, off)


def _uniform_t(out, x, gen, a, b):
    _floating(x, "uniform")
    return _fill(x, gen._fill_uniform, _real(x, a), _real(x, b))


def _normal_t(out, x, gen, mean, stdv):
    _floating(x, "normal")
    mean, stdv = _real(x, mean), _real(x, stdv)
    if x.nElement():
        _check_normal(stdv)
    return _fill(x, gen._fill_normal, mean, stdv)


def _exponential_t(out, x, gen, lambd):
    _floating(x, "exponential")
    return _fill(x, gen._fill_exponential, _real(x, lambd))


def _cauchy_t(out, x, gen, median, sigma):
    _floating(x, "cauchy")
    return _fill(x, gen._fill_cauchy, _real(x, median), _real(x, sigma))


def _log_normal_t(out, x, gen, mean, stdv):
    _floating(x, "logNormal")
    mean, stdv = _real(x, mean), _real(x, stdv)
    if x.nElement():
        _check_normal(stdv)
    return _fill(x, gen._fill_log_normal, mean, stdv)


def _geometric_t(out, x, gen, p):
    if x.nElement():
        _check_geometric(p)
    if type(x).is_cuda:
        # cutorch counts the trials up to the first success of probability p (mean 1/p); TH counts
        # them up to the first failure (mean 1/(1-p)), hence TH's draw with 1-p
        return _fill(x, gen._fill_geometric, 1.0 - float(p))
    return _fill(x, gen._fill_geometric, float(p))


def _bernoulli_t(out, x, gen, p):
    if x.nElement():
        _check_bernoulli(p)
    return _fill(x, gen._fill_bernoulli, float(p))


def _bernoulli_probs(out, x, gen, p):
    if type(p) not in _FLOATING and type(p).dtype not in _FLOAT_DTYPES:
        raise TorchTypeError("bernoulli: the probabilities must be a FloatTensor or a DoubleTensor, got %s"
                             % p.typename)
    if p.nElement() != x.nElement():
        raise TorchValueError("bernoulli: inconsistent tensor size (%d elements vs %d probabilities)"
                              % (x.nElement(), p.nElement()))
    probs = np.ascontiguousarray(to_host(p._a), dtype=np.float64).reshape(-1)   # drawn on the host
    bad = []

    def kernel(buf, probs):
        bad.append(gen._fill_bernoulli_probs(buf, probs))

    _fill(x, kernel, probs)
    if bad and bad[0] >= 0:
        raise TorchValueError("bernoulli: p must be >= 0 and <= 1, got %r (element %d)"
                              % (probs[bad[0]], bad[0]))
    return x


# -- new tensors -------------------------------------------------------------------------------

def _result_float(out, name):
    r = _tensor_mod._default[0]() if out is None else out
    _floating(r, name)
    return r


def _rand(out, gen, size):
    r = _result_float(out, "rand")
    r.resize(*size)
    return _fill(r, gen._fill_uniform, 0.0, 1.0)


def _randn(out, gen, size):
    r = _result_float(out, "randn")
    r.resize(*size)
    return _fill(r, gen._fill_normal, 0.0, 1.0)


def _randperm(out, gen, n):
    n = _as_long(n, "randperm: n")
    if n <= 0:
        raise TorchValueError("randperm: n must be strictly positive, got %d" % n)
    r = _tensor_mod._default[0]() if out is None else out
    if r.dtype not in _SUPPORTED:
        raise TorchTypeError("randperm is not supported for %s" % r.typename)
    perm = np.empty(n, np.int64)
    gen._randperm(perm)
    r.resize(n)
    cast_into(r._a, perm)
    return r


def _multinomial(out, gen, probs, n, replacement):
    _floating(probs, "multinomial")
    if probs.dim() not in (1, 2):
        raise TorchValueError("multinomial: expected a 1D or 2D tensor of probabilities, got %dD" % probs.dim())
    n = _as_long(n, "multinomial: n_sample")
    if n <= 0:
        raise TorchValueError("multinomial: cannot sample n_sample <= 0 samples")
    # THRandom samples on the host (a Cuda distribution is copied back; the samples go over in r)
    p2 = np.ascontiguousarray(to_host(probs._a), dtype=np.float64)
    if p2.ndim == 1:
        p2 = p2.reshape(1, -1)
    n_dist, n_cat = p2.shape
    if not replacement and n > n_cat:
        raise TorchValueError("multinomial: cannot sample n_sample (%d) > prob_dist:size(1) (%d) samples "
                              "without replacement" % (n, n_cat))
    res = np.zeros((n_dist, n), np.int64)
    bad = gen._multinomial(p2, res, bool(replacement))
    if bad >= 0:
        raise TorchValueError("multinomial: invalid multinomial distribution (sum of probabilities <= 0) "
                              "in row %d" % bad)
    r = index_class(probs, LongTensor)() if out is None else out
    if probs.dim() == 1:
        r.resize(n)
        r._a[...] = res[0]
    else:
        r.resize(n_dist, n)
        r._a[...] = res
    return r


# -- the declarations --------------------------------------------------------------------------

wrap("random",
     *_overloads("", "", _random_n0, "N"),
     *_overloads("", "N b", _random_n1, "N"),
     *_overloads("", "N a, N b", _random_n2, "N"),
     *_overloads("T x", "", _random_t0, "V"),
     *_overloads("T x", "N b", _random_t1, "V"),
     *_overloads("T x", "N a, N b", _random_t2, "V"),
     doc="random([gen]) an unsigned 32-bit integer; random([gen,] b) in 1..b; random([gen,] a, b) "
         "in a..b.  x.random([gen] [, a] [, b]) fills x the same way (x.random() keeps each draw "
         "modulo the type's range, as TH does).")

for _name, _num, _ten, _args in (
        ("uniform", _uniform_n, _uniform_t, "N a=0, N b=1"),
        ("normal", _normal_n, _normal_t, "N mean=0, N stdv=1"),
        ("cauchy", _cauchy_n, _cauchy_t, "N median=0, N sigma=1"),
        ("logNormal", _log_normal_n, _log_normal_t, "N mean=1, N stdv=2"),
        ("exponential", _exponential_n, _exponential_t, "N lambd"),
        ("geometric", _geometric_n, _geometric_t, "N p"),
        ("bernoulli", _bernoulli_n, _bernoulli_t, "N p=0.5")):
    _extra = _overloads("T x", "A p", _bernoulli_probs, "V") if _name == "bernoulli" else []
    wrap(_name,
         *_overloads("", _args, _num, "N"),
         *_overloads("T x", _args, _ten, "V"),
         *_extra,
         doc="%s([gen,] %s): a number; x.%s([gen,] ...) fills x in place and returns it."
             % (_name, _args, _name))
del _name, _num, _ten, _args, _extra

wrap("rand", *_overloads("", "Z size", _rand, "T"),
     doc="rand([res,] [gen,] sizes...): uniform numbers on [0, 1) in a new (or the given) tensor.")
wrap("randn", *_overloads("", "Z size", _randn, "T"),
     doc="randn([res,] [gen,] sizes...): standard normal numbers in a new (or the given) tensor.")
wrap("randperm", *_overloads("", "N n", _randperm, "X"),
     doc="randperm([res,] [gen,] n): a random permutation of 0..n-1 (0-based; Torch7 gives 1..n).")
wrap("multinomial", *_overloads("", "T probs, N n, B replacement=False", _multinomial, "L"),
     form="new",
     doc="multinomial([res,] [gen,] probs, n [, replacement]): n category indices (0-based) drawn "
         "from each row of probs (1D or 2D), as a LongTensor.")


# -- the alias method (torch7 doc/maths.md, multinomialAliasSetup / multinomialAlias) -----------

def _alias_setup(out, probs):
    """Walker's alias tables of a 1D distribution: J (LongTensor, 0-based alias of each category)
    and q (the probability of keeping the category drawn), so that a draw is one uniform
    category i followed by 'i with probability q[i], else J[i]'."""
    _floating(probs, "multinomialAliasSetup")
    if probs.dim() != 1:
        raise TorchValueError("multinomialAliasSetup: expected a 1D tensor of probabilities, got %dD" % probs.dim())
    p = np.asarray(to_host(probs._a), dtype=np.float64)   # the tables are built on the host
    if (p < 0).any() or not p.sum() > 0:
        raise TorchValueError("multinomialAliasSetup: invalid distribution (negative entries or a sum <= 0)")
    k = p.shape[0]
    q = p / p.sum() * k
    J = np.arange(k, dtype=np.int64)   # a category left without an alias aliases itself
    small = [i for i in range(k) if q[i] < 1]
    large = [i for i in range(k) if q[i] >= 1]
    while small and large:
        s, g = small.pop(), large.pop()
        J[s] = g
        q[g] -= 1.0 - q[s]
        (small if q[g] < 1 else large).append(g)
    for i in small + large:   # what rounding leaves over is certain to keep its category
        q[i] = 1.0
    outs = out if isinstance(out, tuple) else (None, None)
    Jt = index_class(probs, LongTensor)() if outs[0] is None else outs[0]
    qt = type(probs)() if outs[1] is None else outs[1]
    Jt.resize(k)
    qt.resize(k)
    Jt._a[...] = J
    cast_into(qt._a, q)
    return Jt, qt


def _alias_draw(out, gen, J, q):
    """Fill out (1D) with categories drawn with the alias tables: per sample one uniform on [0, K)
    picks a category, one Bernoulli(q) keeps it or takes its alias (two draws, in that order)."""
    if out is None:
        raise TorchValueError("multinomialAlias: the output LongTensor must be given")
    if out.nElement() == 0:   # nothing to draw (TH and THC fill nElement entries, checking no shape)
        return out
    if out.dim() != 1:
        raise TorchValueError("multinomialAlias: the output must be a 1D tensor (view it with :view(-1))")
    k = J.nElement()
    if k == 0 or q.nElement() != k:
        raise TorchValueError("multinomialAlias: the alias tables must be non-empty and of the same size")
    n = out.nElement()
    u = np.empty(2 * n, np.float64)
    if n:
        gen._fill_uniform(u, 0.0, 1.0)
    cat = (u[0::2] * k).astype(np.int64)
    np.minimum(cat, k - 1, out=cat)
    keep = u[1::2] <= np.asarray(to_host(q._a), dtype=np.float64)[cat]   # drawn on the host, as THRandom
    cast_into(out._a, np.where(keep, cat, to_host(J._a)[cat]))
    return out


def _alias_draw_state(out, gen, state):
    if not isinstance(state, (list, tuple)) or len(state) != 2:
        raise TorchTypeError("multinomialAlias: the state must be the pair (J, q) of multinomialAliasSetup")
    return _alias_draw(out, gen, state[0], state[1])


wrap("multinomialAliasSetup", over("T probs", _alias_setup, "J,T"), method=False,
     doc="multinomialAliasSetup([J, q,] probs): the alias tables (J 0-based, q) of a 1D distribution.")
wrap("multinomialAlias",
     *_overloads("", "J J, T q", _alias_draw, "L"),
     *_overloads("", "* state", _alias_draw_state, "L"),
     method=False,
     doc="multinomialAlias(output, [gen,] J, q) or (output, [gen,] (J, q)): output (a 1D LongTensor) "
         "filled with 0-based categories drawn by the alias method.")
