"""Device versions of pytorch_lite._nn_pool (csrc/_nn_pool.pyx): spatial max and average pooling.
Same names and arguments; arrays are (planes, H, W); max-pool indices are flat h*W+w (0-based),
-1 for a window with no element, as the CPU kernels write them."""
from ..errors import TorchRuntimeError
from . import _kernels as K

SOURCE = K.register(__name__, r"""
#define GRID_LOOP(i, n) \
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < (n); i += (long long)blockDim.x * gridDim.x)
/* no headers under NVRTC: -inf and min/max spelled out */
#define NEG_INF_float __int_as_float(0xff800000)
#define NEG_INF_double __longlong_as_double(0xfff0000000000000ULL)
#define IMIN(a, b) ((a) < (b) ? (a) : (b))
#define IMAX(a, b) ((a) > (b) ? (a) : (b))

/* TH's rule: scanned in order from -inf, a strictly larger value or a NaN takes over */
#define MAXPOOL(T, S)                                                                            \
extern "C" __global__ void spatial_max_pool_forward_##S(const T* input, T* output,              \
    long long* indices, long long P, int H, int W, int oH, int oW, int kH, int kW, int dH,        \
    int dW, int padH, int padW, int dilH, int dilW) {                                            \
  GRID_LOOP(idx, P * oH * oW) {                                                                  \
    int ow = (int)(idx % oW), oh = (int)((idx / oW) % oH);                                       \
    long long p = idx / ((long long)oW * oH);                                                    \
    int hs = oh * dH - padH, ws = ow * dW - padW;                                                \
    int he = IMIN(hs + (kH - 1) * dilH + 1, H), we = IMIN(ws + (kW - 1) * dilW + 1, W);            \
    while (hs < 0) hs += dilH;                                                                   \
    while (ws < 0) ws += dilW;                                                                   \
    const T* plane = input + p * H * W;                                                          \
    T m = NEG_INF_##S;                                                                             \
    long long best = -1;                                                                         \
    for (int h = hs; h < he; h += dilH)                                                          \
      for (int w = ws; w < we; w += dilW) {                                                      \
        T v = plane[h * W + w];                                                                  \
        if (v > m || v != v) { m = v; best = (long long)h * W + w; }                             \
      }                                                                                          \
    output[idx] = m;                                                                             \
    indices[idx] = best;                                                                         \
  }                                                                                              \
}                                                                                                \
extern "C" __global__ void spatial_max_pool_backward_##S(const T* gradOutput, T* gradInput,     \
    const long long* indices, long long P, int H, int W, int oH, int oW) {                       \
  GRID_LOOP(idx, P * oH * oW) {                                                                  \
    long long p = idx / ((long long)oW * oH), k = indices[idx];                                  \
    if (k >= 0 && k < (long long)H * W) atomicAdd(gradInput + p * H * W + k, gradOutput[idx]);   \
  }                                                                                              \
}

#define AVG_WINDOW                                                                               \
    int hs = oh * dH - padH, ws = ow * dW - padW;                                                \
    int he = IMIN(hs + kH, H + padH), we = IMIN(ws + kW, W + padW);                                \
    int pool = (he - hs) * (we - ws);                                                            \
    hs = IMAX(hs, 0); ws = IMAX(ws, 0); he = IMIN(he, H); we = IMIN(we, W);                          \
    int div = count_include_pad ? pool : (he - hs) * (we - ws);

#define AVGPOOL(T, S)                                                                            \
extern "C" __global__ void spatial_avg_pool_forward_##S(const T* input, T* output, long long P,  \
    int H, int W, int oH, int oW, int kH, int kW, int dH, int dW, int padH, int padW,            \
    int count_include_pad) {                                                                     \
  GRID_LOOP(idx, P * oH * oW) {                                                                  \
    int ow = (int)(idx % oW), oh = (int)((idx / oW) % oH);                                       \
    long long p = idx / ((long long)oW * oH);                                                    \
    AVG_WINDOW                                                                                   \
    const T* plane = input + p * H * W;                                                          \
    double s = 0;                                                                                \
    for (int h = hs; h < he; ++h)                                                                \
      for (int w = ws; w < we; ++w) s += plane[h * W + w];                                       \
    output[idx] = (T)(s / div);                                                                  \
  }                                                                                              \
}                                                                                                \
extern "C" __global__ void spatial_avg_pool_backward_##S(const T* gradOutput, T* gradInput,     \
    long long P, int H, int W, int oH, int oW, int kH, int kW, int dH, int dW, int padH,         \
    int padW, int count_include_pad) {                                                           \
  GRID_LOOP(idx, P * oH * oW) {                                                                  \
    int ow = (int)(idx % oW), oh = (int)((idx / oW) % oH);                                       \
    long long p = idx / ((long long)oW * oH);                                                    \
    AVG_WINDOW                                                                                   \
    T g = gradOutput[idx] / div;                                                                 \
    for (int h = hs; h < he; ++h)                                                                \
      for (int w = ws; w < we; ++w) atomicAdd(gradInput + p * H * W + h * W + w, g);             \
  }                                                                                              \
}
/* reflection or replication padding of (planes, H, W): output (i, j) reads input row i - padT,
   column j - padL, mirrored about the edge (reflect) or clamped to it; the backward adds each
   output gradient into the input element it read */
#define PAD_SRC(o, pad, n, reflect)                                                              \
  ((reflect) ? ((o) - (pad) < 0 ? (pad) - (o) : ((o) - (pad) >= (n) ? 2 * ((n) - 1) - ((o) - (pad)) : (o) - (pad))) \
             : IMIN(IMAX((o) - (pad), 0), (n) - 1))
#define PAD2D(T, S)                                                                              \
extern "C" __global__ void pad2d_forward_##S(const T* input, T* output, long long P, int H,      \
    int W, int oH, int oW, int padL, int padT, int reflect) {                                    \
  GRID_LOOP(idx, P * oH * oW) {                                                                  \
    int j = (int)(idx % oW), i = (int)((idx / oW) % oH);                                         \
    long long p = idx / ((long long)oW * oH);                                                    \
    output[idx] = input[p * H * W + (long long)PAD_SRC(i, padT, H, reflect) * W + PAD_SRC(j, padL, W, reflect)]; \
  }                                                                                              \
}                                                                                                \
extern "C" __global__ void pad2d_backward_##S(const T* gradOutput, T* gradInput, long long P,    \
    int H, int W, int oH, int oW, int padL, int padT, int reflect) {                             \
  GRID_LOOP(idx, P * oH * oW) {                                                                  \
    int j = (int)(idx % oW), i = (int)((idx / oW) % oH);                                         \
    long long p = idx / ((long long)oW * oH);                                                    \
    atomicAdd(gradInput + p * H * W + (long long)PAD_SRC(i, padT, H, reflect) * W + PAD_SRC(j, padL, W, reflect), \
              gradOutput[idx]);                                                                  \
  }                                                                                              \
}
MAXPOOL(float, float)
MAXPOOL(double, double)
AVGPOOL(float, float)
AVGPOOL(double, double)
PAD2D(float, float)
PAD2D(double, double)
""")


def _on_device(a):
    import cupy
    return a if isinstance(a, cupy.ndarray) else cupy.asarray(a)


def spatial_max_pool_forward(input, output, indices, kH, kW, dH, dW, padH, padW, dilH, dilW):
    import cupy
    P, H, W = input.shape
    oH, oW = output.shape[1], output.shape[2]
    if output.shape[0] != P or indices.shape != (P, oH, oW):
        raise ValueError("spatial_max_pool_forward: buffer shapes disagree")
    # the module's index buffer may be a CPU LongTensor: computed on the device, then copied
    ind = indices if isinstance(indices, cupy.ndarray) else cupy.empty((P, oH, oW), cupy.int64)
    K.launch(__name__, "spatial_max_pool_forward", input.dtype, P * oH * oW, input, output, ind,
             K.i64(P), *(K.i32(v) for v in (H, W, oH, oW, kH, kW, dH, dW, padH, padW, dilH, dilW)))
    if ind is not indices:
        indices[...] = ind.get()


def spatial_max_pool_backward(gradOutput, gradInput, indices):
    P, H, W = gradInput.shape
    oH, oW = gradOutput.shape[1], gradOutput.shape[2]
    if gradOutput.shape[0] != P or indices.shape != (P, oH, oW):
        raise ValueError("spatial_max_pool_backward: buffer shapes disagree")
    gradInput.fill(0)
    K.launch(__name__, "spatial_max_pool_backward", gradInput.dtype, P * oH * oW, gradOutput, gradInput,
             _on_device(indices), K.i64(P), K.i32(H), K.i32(W), K.i32(oH), K.i32(oW))


def _avg_args(P, H, W, oH, oW, kH, kW, dH, dW, padH, padW, count_include_pad):
    return (K.i64(P), *(K.i32(v) for v in (H, W, oH, oW, kH, kW, dH, dW, padH, padW)),
            K.i32(1 if count_include_pad else 0))


def spatial_avg_pool_forward(input, output, kH, kW, dH, dW, padH, padW, count_include_pad):
    P, H, W = input.shape
    oH, oW = output.shape[1], output.shape[2]
    if output.shape[0] != P:
        raise ValueError("spatial_avg_pool_forward: buffer shapes disagree")
    K.launch(__name__, "spatial_avg_pool_forward", input.dtype, P * oH * oW, input, output,
             *_avg_args(P, H, W, oH, oW, kH, kW, dH, dW, padH, padW, count_include_pad))


def spatial_avg_pool_backward(gradOutput, gradInput, kH, kW, dH, dW, padH, padW, count_include_pad):
    P, H, W = gradInput.shape
    oH, oW = gradOutput.shape[1], gradOutput.shape[2]
    if gradOutput.shape[0] != P:
        raise ValueError("spatial_avg_pool_backward: buffer shapes disagree")
    gradInput.fill(0)
    K.launch(__name__, "spatial_avg_pool_backward", gradInput.dtype, P * oH * oW, gradOutput, gradInput,
             *_avg_args(P, H, W, oH, oW, kH, kW, dH, dW, padH, padW, count_include_pad))


def _pad_args(P, H, W, oH, oW, padL, padT, reflect, name):
    if reflect and not (padL < W and padT < H and oW - W - padL < W and oH - H - padT < H):
        raise ValueError(name + ": reflection padding must be smaller than the input")
    return (K.i64(P), *(K.i32(v) for v in (H, W, oH, oW, padL, padT)), K.i32(1 if reflect else 0))


def pad2d_forward(input, output, padL, padT, reflect):
    P, H, W = input.shape
    oH, oW = output.shape[1], output.shape[2]
    if output.shape[0] != P:
        raise ValueError("pad2d_forward: buffer shapes disagree")
    K.launch(__name__, "pad2d_forward", input.dtype, P * oH * oW, input, output,
             *_pad_args(P, H, W, oH, oW, padL, padT, reflect, "pad2d_forward"))


def pad2d_backward(gradOutput, gradInput, padL, padT, reflect):
    P, H, W = gradInput.shape
    oH, oW = gradOutput.shape[1], gradOutput.shape[2]
    if gradOutput.shape[0] != P:
        raise ValueError("pad2d_backward: buffer shapes disagree")
    args = _pad_args(P, H, W, oH, oW, padL, padT, reflect, "pad2d_backward")
    gradInput.fill(0)
    K.launch(__name__, "pad2d_backward", gradInput.dtype, P * oH * oW, gradOutput, gradInput, *args)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise TorchRuntimeError("%s has no device kernel yet for Cuda tensors on a GPU; "
                            "PYTORCH_LITE_CUDA=cpu runs it on the CPU" % name)
