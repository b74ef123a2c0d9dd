"""Device versions of pytorch_lite._nn (csrc/_nn.pyx): same names, same arguments, CuPy arrays."""
from . import _kernels as K

SOURCE = K.register(__name__, r"""
#define THRESHOLD(T, S)                                                                          \
extern "C" __global__ void threshold_forward_##S(const T* input, T* output, long long n,      \
                                                  T threshold, T value) {                    \
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;                 \
       i += (long long)blockDim.x * gridDim.x) {                                              \
    T x = input[i];                                                                           \
    output[i] = x > threshold ? x : value;                                                    \
  }                                                                                           \
}                                                                                             \
extern "C" __global__ void threshold_backward_##S(const T* input, const T* gradOutput,       \
                                                   T* gradInput, long long n, T threshold) { \
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;                 \
       i += (long long)blockDim.x * gridDim.x) {                                              \
    T g = gradOutput[i];                                                                      \
    gradInput[i] = input[i] > threshold ? g : (T)0;                                           \
  }                                                                                           \
}
THRESHOLD(float, float)
THRESHOLD(double, double)
""")


def threshold_forward(input, output, threshold, value):
    """output[i] = input[i] if input[i] > threshold else value (1-D contiguous; may be in place)."""
    n = input.shape[0]
    if output.shape[0] != n:
        raise ValueError("threshold_forward: output has %d elements, input %d" % (output.shape[0], n))
    K.launch(__name__, "threshold_forward", input.dtype, n, input, output, K.i64(n),
             K.real(input.dtype, threshold), K.real(input.dtype, value))


def threshold_backward(input, gradOutput, gradInput, threshold):
    n = input.shape[0]
    if gradOutput.shape[0] != n or gradInput.shape[0] != n:
        raise ValueError("threshold_backward: sizes disagree (%d, %d, %d)"
                         % (n, gradOutput.shape[0], gradInput.shape[0]))
    K.launch(__name__, "threshold_backward", input.dtype, n, input, gradOutput, gradInput, K.i64(n),
             K.real(input.dtype, threshold))


# -- LookupTable: array code (CuPy's scatter-add), so it also runs on numpy for the tests ----------

def _xp(a):
    import numpy as np
    if type(a) is np.ndarray:
        return np, np.add.at
    import cupy
    import cupyx
    return cupy, cupyx.scatter_add


def lookup_acc_grad(input, gradOutput, gradWeight, count, scaleGradByFreq, paddingValue, scale):
    """gradWeight[input[i]] += scale (/ count) * gradOutput[i]; rows equal to paddingValue skipped.
    `count` is the CPU kernel's frequency buffer: here the frequencies come from a bincount."""
    xp, scatter_add = _xp(gradWeight)
    numw, stride = gradWeight.shape
    idx = xp.asarray(input).astype(xp.int64).reshape(-1)
    n = idx.shape[0]
    if gradOutput.shape != (n, stride):
        raise ValueError("LookupTable: gradOutput should be %d x %d, got %d x %d"
                         % (n, stride, gradOutput.shape[0], gradOutput.shape[1]))
    if n and (int(idx.min()) < 0 or int(idx.max()) >= numw):
        raise IndexError("LookupTable: input needs to be in the range 0 <= input < %d" % numw)
    dt = gradWeight.dtype
    s = xp.full(n, scale, dtype=dt)
    if scaleGradByFreq:
        s = s / xp.bincount(idx, minlength=numw)[idx].astype(dt)
    keep = idx != paddingValue
    scatter_add(gradWeight, idx[keep], (s[:, None] * xp.asarray(gradOutput, dtype=dt))[keep])


def lookup_renorm(rows, weight, maxNorm, normType):
    """Scale each listed row (unique, 0-based) whose normType-norm exceeds maxNorm down to maxNorm."""
    xp, _ = _xp(weight)
    if normType <= 0:
        raise ValueError("LookupTable: non-positive-norm not supported")
    rows = xp.asarray(rows).astype(xp.int64).reshape(-1)
    if rows.shape[0] == 0:
        return
    dt = weight.dtype
    w = weight[rows]
    p = dt.type(normType)
    if normType == 1:
        norm = xp.abs(w).sum(axis=1)
    elif normType == 2:
        norm = (w * w).sum(axis=1)
    else:
        norm = (xp.abs(w) ** p).sum(axis=1)
    norm = (norm.astype(xp.float64) ** (1.0 / float(p))).astype(dt)
    big = norm > dt.type(maxNorm)
    factor = dt.type(maxNorm) / (norm + dt.type(1e-7))
    weight[rows[big]] = w[big] * factor[big][:, None]


def nll_targets(t, n_classes, ignore):
    """ClassNLLCriterion's target check on a device array: (how many equal ignore, position of
    the first other target outside 0 <= t < n_classes or -1)."""
    ign = t == ignore
    bad = ~ign & ((t < 0) | (t >= n_classes))
    return int(ign.sum()), (int(bad.argmax()) if bool(bad.any()) else -1)
