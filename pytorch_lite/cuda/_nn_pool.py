"""Device versions of pytorch_lite._nn_pool (csrc/_nn_pool.pyx): spatial, adaptive, temporal and
volumetric pooling, bilinear upsampling, reflection/replication padding.
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
/* adaptive pooling: output cell o of n covers [floor(o*N/n), ceil((o+1)*N/n)) of the input, the
   quotients taken in single precision as THNN does */
#define ASTART(o, n, N) ((int)floorf((float)((long long)(o) * (N)) / (float)(n)))
#define AEND(o, n, N) ((int)ceilf((float)((long long)((o) + 1) * (N)) / (float)(n)))
#define ADAPTIVE(T, S)                                                                           \
extern "C" __global__ void adaptive_max_pool_forward_##S(const T* input, T* output,             \
    long long* indices, long long P, int H, int W, int oH, int oW) {                             \
  long long n = P * oH * oW;                                                                     \
  GRID_LOOP(idx, n) {                                                                            \
    int ow = (int)(idx % oW), oh = (int)((idx / oW) % oH);                                       \
    long long p = idx / ((long long)oW * oH);                                                    \
    int hs = ASTART(oh, oH, H), he = AEND(oh, oH, H), ws = ASTART(ow, oW, W), we = AEND(ow, oW, W); \
    const T* plane = input + p * H * W;                                                          \
    T m = NEG_INF_##S;                                                                             \
    long long by = -1, bx = -1;                                                                  \
    for (int h = hs; h < he; ++h)                                                                \
      for (int w = ws; w < we; ++w) {                                                            \
        T v = plane[h * W + w];                                                                  \
        if (v > m || v != v) { m = v; by = h - hs; bx = w - ws; }                                \
      }                                                                                          \
    output[idx] = m;                                                                             \
    indices[idx] = by;       /* indices is (2, P, oH, oW): rows, then columns */                 \
    indices[n + idx] = bx;                                                                       \
  }                                                                                              \
}                                                                                                \
extern "C" __global__ void adaptive_max_pool_backward_##S(const T* gradOutput, T* gradInput,    \
    const long long* indices, long long P, int H, int W, int oH, int oW) {                       \
  long long n = P * oH * oW;                                                                     \
  GRID_LOOP(idx, n) {                                                                            \
    int ow = (int)(idx % oW), oh = (int)((idx / oW) % oH);                                       \
    long long p = idx / ((long long)oW * oH);                                                    \
    long long h = ASTART(oh, oH, H) + indices[idx], w = ASTART(ow, oW, W) + indices[n + idx];    \
    if (h >= 0 && h < H && w >= 0 && w < W) atomicAdd(gradInput + p * H * W + h * W + w, gradOutput[idx]); \
  }                                                                                              \
}                                                                                                \
extern "C" __global__ void adaptive_avg_pool_forward_##S(const T* input, T* output, long long P, \
    int H, int W, int oH, int oW) {                                                              \
  GRID_LOOP(idx, P * oH * oW) {                                                                  \
    int ow = (int)(idx % oW), oh = (int)((idx / oW) % oH);                                       \
    long long p = idx / ((long long)oW * oH);                                                    \
    int hs = ASTART(oh, oH, H), he = AEND(oh, oH, H), ws = ASTART(ow, oW, W), we = AEND(ow, oW, W); \
    const T* plane = input + p * H * W;                                                          \
    T s = 0;                                                                                     \
    for (int h = hs; h < he; ++h)                                                                \
      for (int w = ws; w < we; ++w) s += plane[h * W + w];                                       \
    output[idx] = s / (T)((he - hs) * (we - ws));                                                \
  }                                                                                              \
}                                                                                                \
extern "C" __global__ void adaptive_avg_pool_backward_##S(const T* gradOutput, T* gradInput,    \
    long long P, int H, int W, int oH, int oW) {                                                 \
  GRID_LOOP(idx, P * oH * oW) {                                                                  \
    int ow = (int)(idx % oW), oh = (int)((idx / oW) % oH);                                       \
    long long p = idx / ((long long)oW * oH);                                                    \
    int hs = ASTART(oh, oH, H), he = AEND(oh, oH, H), ws = ASTART(ow, oW, W), we = AEND(ow, oW, W); \
    T g = gradOutput[idx] / (T)((he - hs) * (we - ws));                                          \
    for (int h = hs; h < he; ++h)                                                                \
      for (int w = ws; w < we; ++w) atomicAdd(gradInput + p * H * W + h * W + w, g);             \
  }                                                                                              \
}

/* temporal max pooling over (N, T, F) frames: indices hold the offset of the max inside the window */
#define TEMPORAL(T, S)                                                                           \
extern "C" __global__ void temporal_max_pool_forward_##S(const T* input, T* output,             \
    long long* indices, long long N, int Tn, int F, int oT, int kW, int dW) {                    \
  GRID_LOOP(idx, N * oT * F) {                                                                   \
    int f = (int)(idx % F), t = (int)((idx / F) % oT);                                          \
    long long n = idx / ((long long)F * oT);                                                     \
    const T* x = input + (n * Tn + (long long)t * dW) * F + f;                                   \
    T m = NEG_INF_##S;                                                                             \
    long long best = -1;                                                                         \
    for (int k = 0; k < kW; ++k) {                                                               \
      T v = x[(long long)k * F];                                                                 \
      if (v > m || v != v) { m = v; best = k; }                                                  \
    }                                                                                            \
    output[idx] = m;                                                                             \
    indices[idx] = best;                                                                         \
  }                                                                                              \
}                                                                                                \
extern "C" __global__ void temporal_max_pool_backward_##S(const T* gradOutput, T* gradInput,    \
    const long long* indices, long long N, int Tn, int F, int oT, int dW) {                      \
  GRID_LOOP(idx, N * oT * F) {                                                                   \
    int f = (int)(idx % F), t = (int)((idx / F) % oT);                                           \
    long long n = idx / ((long long)F * oT), k = (long long)t * dW + indices[idx];               \
    if (k >= 0 && k < Tn) atomicAdd(gradInput + (n * Tn + k) * F + f, gradOutput[idx]);          \
  }                                                                                              \
}

/* volumetric max pooling of (planes, T, H, W); the index packs the window offsets as THNN's
   a + 256*i + 65536*j (all -1 for a window with no element) */
#define VOLMAX(T, S)                                                                             \
extern "C" __global__ void volumetric_max_pool_forward_##S(const T* input, T* output,           \
    long long* indices, long long P, int D, int H, int W, int oD, int oH, int oW, int kT, int kH, \
    int kW, int dT, int dH, int dW, int padT, int padH, int padW) {                              \
  GRID_LOOP(idx, P * oD * oH * oW) {                                                             \
    int ow = (int)(idx % oW), oh = (int)((idx / oW) % oH), ot = (int)((idx / ((long long)oW * oH)) % oD); \
    long long p = idx / ((long long)oW * oH * oD);                                               \
    const T* vol = input + p * D * H * W;                                                        \
    T m = NEG_INF_##S;                                                                             \
    long long ba = -1, bi = -1, bj = -1;                                                         \
    for (int a = 0; a < kT; ++a) {                                                               \
      int t = ot * dT - padT + a;                                                                \
      if (t < 0 || t >= D) continue;                                                             \
      for (int i = 0; i < kH; ++i) {                                                             \
        int h = oh * dH - padH + i;                                                              \
        if (h < 0 || h >= H) continue;                                                           \
        for (int j = 0; j < kW; ++j) {                                                           \
          int w = ow * dW - padW + j;                                                            \
          if (w < 0 || w >= W) continue;                                                         \
          T v = vol[((long long)t * H + h) * W + w];                                             \
          if (v > m || v != v) { m = v; ba = a; bi = i; bj = j; }                                \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
    output[idx] = m;                                                                             \
    indices[idx] = ba + 256 * bi + 65536 * bj;                                                   \
  }                                                                                              \
}                                                                                                \
extern "C" __global__ void volumetric_max_pool_backward_##S(const T* gradOutput, T* gradInput,  \
    const long long* indices, long long P, int D, int H, int W, int oD, int oH, int oW, int dT,  \
    int dH, int dW, int padT, int padH, int padW) {                                              \
  GRID_LOOP(idx, P * oD * oH * oW) {                                                             \
    int ow = (int)(idx % oW), oh = (int)((idx / oW) % oH), ot = (int)((idx / ((long long)oW * oH)) % oD); \
    long long p = idx / ((long long)oW * oH * oD), code = indices[idx];                          \
    long long t = (long long)ot * dT - padT + (code & 255);                                      \
    long long h = (long long)oh * dH - padH + ((code >> 8) & 255);                               \
    long long w = (long long)ow * dW - padW + ((code >> 16) & 255);                              \
    if (t >= 0 && t < D && h >= 0 && h < H && w >= 0 && w < W)                                   \
      atomicAdd(gradInput + ((p * D + t) * H + h) * W + w, gradOutput[idx]);                     \
  }                                                                                              \
}

/* bilinear upsampling with aligned corners; the source coordinates in single precision as THNN */
#define BILINEAR_SRC(T)                                                                           \
    float rh = oH > 1 ? (float)(H - 1) / (float)(oH - 1) : 0.0f;                                 \
    float rw = oW > 1 ? (float)(W - 1) / (float)(oW - 1) : 0.0f;                                 \
    int w2 = (int)(idx % oW), h2 = (int)((idx / oW) % oH);                                       \
    long long p = idx / ((long long)oW * oH);                                                    \
    float h1r = rh * (float)h2, w1r = rw * (float)w2;                                            \
    int h1 = (int)h1r, w1 = (int)w1r;                                                            \
    int h1p = h1 < H - 1 ? 1 : 0, w1p = w1 < W - 1 ? 1 : 0;                                      \
    T h1l = (T)(h1r - (float)h1), w1l = (T)(w1r - (float)w1);                                    \
    T h0l = 1 - h1l, w0l = 1 - w1l;                                                              \
    long long base = p * H * W + (long long)h1 * W + w1;
#define BILINEAR(T, S)                                                                           \
extern "C" __global__ void upsample_bilinear_forward_##S(const T* input, T* output, long long P, \
    int H, int W, int oH, int oW) {                                                              \
  GRID_LOOP(idx, P * oH * oW) {                                                                  \
    BILINEAR_SRC(T)                                                                              \
    const T* x = input + base;                                                                   \
    output[idx] = h0l * (w0l * x[0] + w1l * x[w1p]) + h1l * (w0l * x[h1p * W] + w1l * x[h1p * W + w1p]); \
  }                                                                                              \
}                                                                                                \
extern "C" __global__ void upsample_bilinear_backward_##S(const T* gradOutput, T* gradInput,    \
    long long P, int H, int W, int oH, int oW) {                                                 \
  GRID_LOOP(idx, P * oH * oW) {                                                                  \
    BILINEAR_SRC(T)                                                                              \
    T g = gradOutput[idx];                                                                       \
    T* gi = gradInput + base;                                                                    \
    atomicAdd(gi, h0l * w0l * g);                                                                \
    atomicAdd(gi + w1p, h0l * w1l * g);                                                          \
    atomicAdd(gi + h1p * W, h1l * w0l * g);                                                      \
    atomicAdd(gi + h1p * W + w1p, h1l * w1l * g);                                                \
  }                                                                                              \
}
MAXPOOL(float, float)
MAXPOOL(double, double)
AVGPOOL(float, float)
AVGPOOL(double, double)
PAD2D(float, float)
PAD2D(double, double)
ADAPTIVE(float, float)
ADAPTIVE(double, double)
TEMPORAL(float, float)
TEMPORAL(double, double)
VOLMAX(float, float)
VOLMAX(double, double)
BILINEAR(float, float)
BILINEAR(double, double)
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


def _index_buffer(indices, shape):
    """The device buffer the kernel writes indices into: the module's own when it is on the device,
    else (a CPU LongTensor's array) a device one copied back by _copy_back."""
    import cupy
    return indices if isinstance(indices, cupy.ndarray) else cupy.empty(shape, cupy.int64)


def _copy_back(ind, indices):
    if ind is not indices:
        indices[...] = ind.get()


def _i32(*vs):
    return tuple(K.i32(v) for v in vs)


def adaptive_max_pool_forward(input, output, indices):
    """indices (2, P, oH, oW): row and column of the max relative to the window start."""
    P, H, W = input.shape
    oH, oW = output.shape[1], output.shape[2]
    if output.shape[0] != P or indices.shape != (2, P, oH, oW):
        raise ValueError("adaptive_max_pool_forward: buffer shapes disagree")
    ind = _index_buffer(indices, (2, P, oH, oW))
    K.launch(__name__, "adaptive_max_pool_forward", input.dtype, P * oH * oW, input, output, ind,
             K.i64(P), *_i32(H, W, oH, oW))
    _copy_back(ind, indices)


def adaptive_max_pool_backward(gradOutput, gradInput, indices):
    P, H, W = gradInput.shape
    oH, oW = gradOutput.shape[1], gradOutput.shape[2]
    if gradOutput.shape[0] != P or tuple(indices.shape[1:]) != (P, oH, oW) or indices.shape[0] != 2:
        raise ValueError("adaptive_max_pool_backward: buffer shapes disagree")
    gradInput.fill(0)
    K.launch(__name__, "adaptive_max_pool_backward", gradInput.dtype, P * oH * oW, gradOutput, gradInput,
             _on_device(indices), K.i64(P), *_i32(H, W, oH, oW))


def adaptive_avg_pool_forward(input, output):
    P, H, W = input.shape
    oH, oW = output.shape[1], output.shape[2]
    if output.shape[0] != P:
        raise ValueError("adaptive_avg_pool_forward: buffer shapes disagree")
    K.launch(__name__, "adaptive_avg_pool_forward", input.dtype, P * oH * oW, input, output,
             K.i64(P), *_i32(H, W, oH, oW))


def adaptive_avg_pool_backward(gradOutput, gradInput):
    P, H, W = gradInput.shape
    oH, oW = gradOutput.shape[1], gradOutput.shape[2]
    if gradOutput.shape[0] != P:
        raise ValueError("adaptive_avg_pool_backward: buffer shapes disagree")
    gradInput.fill(0)
    K.launch(__name__, "adaptive_avg_pool_backward", gradInput.dtype, P * oH * oW, gradOutput, gradInput,
             K.i64(P), *_i32(H, W, oH, oW))


def temporal_max_pool_forward(input, output, indices, kW, dW):
    """input (N, T, F) -> output (N, oT, F); indices hold the 0-based frame offset inside the window."""
    N, T, F = input.shape
    oT = output.shape[1]
    if (output.shape[0] != N or output.shape[2] != F or indices.shape != (N, oT, F)
            or (oT - 1) * dW + kW > T):
        raise ValueError("temporal_max_pool_forward: buffer shapes disagree")
    ind = _index_buffer(indices, (N, oT, F))
    K.launch(__name__, "temporal_max_pool_forward", input.dtype, N * oT * F, input, output, ind,
             K.i64(N), *_i32(T, F, oT, kW, dW))
    _copy_back(ind, indices)


def temporal_max_pool_backward(gradOutput, gradInput, indices, dW):
    N, T, F = gradInput.shape
    oT = gradOutput.shape[1]
    if gradOutput.shape[0] != N or gradOutput.shape[2] != F or indices.shape != (N, oT, F):
        raise ValueError("temporal_max_pool_backward: buffer shapes disagree")
    gradInput.fill(0)
    K.launch(__name__, "temporal_max_pool_backward", gradInput.dtype, N * oT * F, gradOutput, gradInput,
             _on_device(indices), K.i64(N), *_i32(T, F, oT, dW))


def volumetric_max_pool_forward(input, output, indices, kT, kH, kW, dT, dH, dW, padT, padH, padW):
    P, D, H, W = input.shape
    oD, oH, oW = output.shape[1:]
    if output.shape[0] != P or indices.shape != (P, oD, oH, oW):
        raise ValueError("volumetric_max_pool_forward: buffer shapes disagree")
    ind = _index_buffer(indices, (P, oD, oH, oW))
    K.launch(__name__, "volumetric_max_pool_forward", input.dtype, P * oD * oH * oW, input, output, ind,
             K.i64(P), *_i32(D, H, W, oD, oH, oW, kT, kH, kW, dT, dH, dW, padT, padH, padW))
    _copy_back(ind, indices)


def volumetric_max_pool_backward(gradOutput, gradInput, indices, dT, dH, dW, padT, padH, padW):
    P, D, H, W = gradInput.shape
    oD, oH, oW = gradOutput.shape[1:]
    if gradOutput.shape[0] != P or indices.shape != (P, oD, oH, oW):
        raise ValueError("volumetric_max_pool_backward: buffer shapes disagree")
    gradInput.fill(0)
    K.launch(__name__, "volumetric_max_pool_backward", gradInput.dtype, P * oD * oH * oW, gradOutput,
             gradInput, _on_device(indices), K.i64(P), *_i32(D, H, W, oD, oH, oW, dT, dH, dW, padT, padH, padW))


def upsample_bilinear_forward(input, output):
    P, H, W = input.shape
    oH, oW = output.shape[1], output.shape[2]
    if output.shape[0] != P:
        raise ValueError("upsample_bilinear_forward: buffer shapes disagree")
    K.launch(__name__, "upsample_bilinear_forward", input.dtype, P * oH * oW, input, output,
             K.i64(P), *_i32(H, W, oH, oW))


def upsample_bilinear_backward(gradOutput, gradInput):
    P, H, W = gradInput.shape
    oH, oW = gradOutput.shape[1], gradOutput.shape[2]
    if gradOutput.shape[0] != P:
        raise ValueError("upsample_bilinear_backward: buffer shapes disagree")
    gradInput.fill(0)
    K.launch(__name__, "upsample_bilinear_backward", gradInput.dtype, P * oH * oW, gradOutput, gradInput,
             K.i64(P), *_i32(H, W, oH, oW))


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise TorchRuntimeError("%s has no device kernel yet for Cuda tensors on a GPU; "
                            "PYTORCH_LITE_CUDA=cpu runs it on the CPU" % name)
