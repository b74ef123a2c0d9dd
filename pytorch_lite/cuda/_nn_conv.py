"""Device versions of pytorch_lite._nn_conv (csrc/_nn_conv.pyx): im2col/col2im and vol2col/col2vol
as CUDA kernels, the products through CuPy's matmul (cuBLAS), for the spatial, transposed ("full")
and volumetric convolutions.  Same names, arguments and buffer layouts as the CPU
table: col is (C*kH*kW, N, oH*oW), the columns of the whole batch side by side."""
from ..errors import TorchRuntimeError
from . import _kernels as K

SOURCE = K.register(__name__, r"""
#define GRID_LOOP(i, n) \
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < (n); i += (long long)blockDim.x * gridDim.x)

/* col[(c*kH+i)*kW+j, n, oh*oW+ow] = data[n, c, oh*dH-padH+i*dilH, ow*dW-padW+j*dilW], 0 outside */
#define IM2COL(T, S)                                                                             \
extern "C" __global__ void im2col_##S(const T* data, T* col, long long N, int C, int H, int W,   \
    int oH, int oW, int kH, int kW, int padH, int padW, int dH, int dW, int dilH, int dilW) {    \
  long long L = (long long)oH * oW;                                                              \
  long long total = (long long)C * kH * kW * N * L;                                              \
  GRID_LOOP(idx, total) {                                                                        \
    long long l = idx % L, rest = idx / L;                                                       \
    long long n = rest % N, r = rest / N;                                                        \
    int j = (int)(r % kW), i = (int)((r / kW) % kH), c = (int)(r / ((long long)kW * kH));        \
    int oh = (int)(l / oW), ow = (int)(l % oW);                                                  \
    int h = oh * dH - padH + i * dilH, w = ow * dW - padW + j * dilW;                            \
    col[idx] = (h >= 0 && h < H && w >= 0 && w < W) ? data[((n * C + c) * H + h) * W + w] : (T)0; \
  }                                                                                              \
}

/* the adjoint: every pixel gathers the column entries that read it (no atomics: deterministic) */
#define COL2IM(T, S)                                                                             \
extern "C" __global__ void col2im_##S(const T* col, T* data, long long N, int C, int H, int W,    \
    int oH, int oW, int kH, int kW, int padH, int padW, int dH, int dW, int dilH, int dilW) {    \
  long long L = (long long)oH * oW;                                                              \
  long long total = N * C * H * W;                                                               \
  GRID_LOOP(idx, total) {                                                                        \
    int w = (int)(idx % W), h = (int)((idx / W) % H), c = (int)((idx / ((long long)W * H)) % C); \
    long long n = idx / ((long long)W * H * C);                                                  \
    T acc = 0;                                                                                   \
    for (int i = 0; i < kH; ++i) {                                                               \
      int hh = h + padH - i * dilH;                                                              \
      if (hh < 0 || hh % dH) continue;                                                           \
      int oh = hh / dH;                                                                          \
      if (oh >= oH) continue;                                                                    \
      for (int j = 0; j < kW; ++j) {                                                             \
        int ww = w + padW - j * dilW;                                                            \
        if (ww < 0 || ww % dW) continue;                                                         \
        int ow = ww / dW;                                                                        \
        if (ow >= oW) continue;                                                                  \
        long long r = ((long long)c * kH + i) * kW + j;                                          \
        acc += col[(r * N + n) * L + (long long)oh * oW + ow];                                   \
      }                                                                                          \
    }                                                                                            \
    data[idx] = acc;                                                                             \
  }                                                                                              \
}

/* the volumetric pair (no dilation, as THNN's): col[((c*kT+a)*kH+i)*kW+j, n, (ot*oH+oh)*oW+ow]
   = data[n, c, ot*dT-padT+a, oh*dH-padH+i, ow*dW-padW+j], 0 outside */
#define VOL2COL(T, S)                                                                            \
extern "C" __global__ void vol2col_##S(const T* data, T* col, long long N, int C, int D, int H,  \
    int W, int oD, int oH, int oW, int kT, int kH, int kW, int padT, int padH, int padW, int dT,  \
    int dH, int dW) {                                                                            \
  long long L = (long long)oD * oH * oW;                                                         \
  long long total = (long long)C * kT * kH * kW * N * L;                                         \
  GRID_LOOP(idx, total) {                                                                        \
    long long l = idx % L, rest = idx / L;                                                       \
    long long n = rest % N, r = rest / N;                                                        \
    int j = (int)(r % kW), i = (int)((r / kW) % kH), a = (int)((r / ((long long)kW * kH)) % kT); \
    int c = (int)(r / ((long long)kW * kH * kT));                                                \
    int ow = (int)(l % oW), oh = (int)((l / oW) % oH), ot = (int)(l / ((long long)oW * oH));     \
    int t = ot * dT - padT + a, h = oh * dH - padH + i, w = ow * dW - padW + j;                  \
    col[idx] = (t >= 0 && t < D && h >= 0 && h < H && w >= 0 && w < W)                          \
        ? data[(((n * C + c) * D + t) * H + h) * W + w] : (T)0;                                  \
  }                                                                                              \
}

/* its adjoint, gathered per voxel like col2im */
#define COL2VOL(T, S)                                                                            \
extern "C" __global__ void col2vol_##S(const T* col, T* data, long long N, int C, int D, int H,  \
    int W, int oD, int oH, int oW, int kT, int kH, int kW, int padT, int padH, int padW, int dT,  \
    int dH, int dW) {                                                                            \
  long long L = (long long)oD * oH * oW;                                                         \
  long long total = N * C * D * H * W;                                                           \
  GRID_LOOP(idx, total) {                                                                        \
    int w = (int)(idx % W), h = (int)((idx / W) % H), t = (int)((idx / ((long long)W * H)) % D); \
    long long nc = idx / ((long long)W * H * D);                                                 \
    int c = (int)(nc % C);                                                                       \
    long long n = nc / C;                                                                        \
    T acc = 0;                                                                                   \
    for (int a = 0; a < kT; ++a) {                                                               \
      int tt = t + padT - a;                                                                     \
      if (tt < 0 || tt % dT) continue;                                                           \
      int ot = tt / dT;                                                                          \
      if (ot >= oD) continue;                                                                    \
      for (int i = 0; i < kH; ++i) {                                                             \
        int hh = h + padH - i;                                                                   \
        if (hh < 0 || hh % dH) continue;                                                         \
        int oh = hh / dH;                                                                        \
        if (oh >= oH) continue;                                                                  \
        for (int j = 0; j < kW; ++j) {                                                           \
          int ww = w + padW - j;                                                                 \
          if (ww < 0 || ww % dW) continue;                                                       \
          int ow = ww / dW;                                                                      \
          if (ow >= oW) continue;                                                                \
          long long r = (((long long)c * kT + a) * kH + i) * kW + j;                             \
          acc += col[(r * N + n) * L + ((long long)ot * oH + oh) * oW + ow];                     \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
    data[idx] = acc;                                                                             \
  }                                                                                              \
}
IM2COL(float, float)
IM2COL(double, double)
COL2IM(float, float)
COL2IM(double, double)
VOL2COL(float, float)
VOL2COL(double, double)
COL2VOL(float, float)
COL2VOL(double, double)
""")


def _geometry(H, W, kH, kW, padH, padW, dH, dW, dilH, dilW, name):
    oH = (H + 2 * padH - (dilH * (kH - 1) + 1)) // dH + 1
    oW = (W + 2 * padW - (dilW * (kW - 1) + 1)) // dW + 1
    if not (oH >= 1 and oW >= 1 and min(kH, kW, dH, dW, dilH, dilW) >= 1):
        raise ValueError(name + ": output would be empty")
    return oH, oW


def _args(data, kH, kW, padH, padW, dH, dW, dilH, dilW, name):
    N, C, H, W = data.shape
    oH, oW = _geometry(H, W, kH, kW, padH, padW, dH, dW, dilH, dilW, name)
    return (N, C, H, W, oH, oW), (K.i64(N), K.i32(C), K.i32(H), K.i32(W), K.i32(oH), K.i32(oW),
                                  *(K.i32(v) for v in (kH, kW, padH, padW, dH, dW, dilH, dilW)))


def im2col(data, col, kH, kW, padH, padW, dH, dW, dilH, dilW):
    (N, C, H, W, oH, oW), args = _args(data, kH, kW, padH, padW, dH, dW, dilH, dilW, "im2col")
    if col.shape != (C * kH * kW, N, oH * oW) or not col.flags.c_contiguous:
        raise ValueError("im2col: column buffer has the wrong shape")
    K.launch(__name__, "im2col", data.dtype, col.size, data, col, *args)


def col2im(col, data, kH, kW, padH, padW, dH, dW, dilH, dilW):
    (N, C, H, W, oH, oW), args = _args(data, kH, kW, padH, padW, dH, dW, dilH, dilW, "col2im")
    if col.shape != (C * kH * kW, N, oH * oW) or not col.flags.c_contiguous:
        raise ValueError("col2im: column buffer has the wrong shape")
    K.launch(__name__, "col2im", data.dtype, data.size, col, data, *args)


def _vol_args(data, col, kT, kH, kW, padT, padH, padW, dT, dH, dW, name):
    N, C, D, H, W = data.shape
    if min(kT, kH, kW, dT, dH, dW) < 1:
        raise ValueError(name + ": output would be empty")
    oD, oH, oW = ((n + 2 * p - k) // d + 1 for n, p, k, d in
                  ((D, padT, kT, dT), (H, padH, kH, dH), (W, padW, kW, dW)))
    if not (oD >= 1 and oH >= 1 and oW >= 1):
        raise ValueError(name + ": output would be empty")
    if col.shape != (C * kT * kH * kW, N, oD * oH * oW) or not col.flags.c_contiguous:
        raise ValueError(name + ": column buffer has the wrong shape")
    return (K.i64(N), *(K.i32(v) for v in (C, D, H, W, oD, oH, oW, kT, kH, kW, padT, padH, padW, dT, dH, dW)))


def vol2col(data, col, kT, kH, kW, padT, padH, padW, dT, dH, dW):
    args = _vol_args(data, col, kT, kH, kW, padT, padH, padW, dT, dH, dW, "vol2col")
    K.launch(__name__, "vol2col", data.dtype, col.size, data, col, *args)


def col2vol(col, data, kT, kH, kW, padT, padH, padW, dT, dH, dW):
    args = _vol_args(data, col, kT, kH, kW, padT, padH, padW, dT, dH, dW, "col2vol")
    K.launch(__name__, "col2vol", data.dtype, data.size, col, data, *args)


def add_bias(out3, bias):
    """out3[n, o, :] += bias[o]."""
    if bias.shape[0] != out3.shape[1]:
        raise ValueError("add_bias: bias has %d elements for %d planes" % (bias.shape[0], out3.shape[1]))
    out3 += bias.reshape(1, -1, 1)


def _gemm_out(weight2d, cols, out3, bias):
    """out3 (N, O, L) = weight2d (O, K) @ cols[:, n, :] for every n (+ bias): one batched cuBLAS call."""
    import cupy
    out3[...] = cupy.matmul(weight2d, cols.transpose(1, 0, 2))
    if bias is not None:
        add_bias(out3, bias)


def _gemm_cols(weight2d, g3, cols):
    """cols[:, n, :] (K, L) = weight2d.T (K, O) @ g3[n] (O, L) for every n."""
    import cupy
    cols[...] = cupy.matmul(weight2d.T, g3).transpose(1, 0, 2)


def gemm(a, b, c, transA=False, transB=False, alpha=1, beta=0):
    """Nothing done here (False): the caller's numpy call dispatches to CuPy (cuBLAS)."""
    return False


def mm(a, b, c):
    return False


def linear_forward(x, w, bias, out):
    """Nothing done here (False): Linear's own path runs (its GEMM through CuPy)."""
    return False


def linear_acc_grad_bias(g, gb, scale):
    """Nothing done here (False): Linear's own path runs."""
    return False


def conv_updateOutput(input, output, weight, bias, finput, kH, kW, padH, padW, dH, dW, dilH=1, dilW=1):
    """output (N, O, oH, oW) = weight (O, K) @ im2col(input) + bias; finput (K, N, L) is filled."""
    import cupy
    N, O = output.shape[0], output.shape[1]
    im2col(input, finput, kH, kW, padH, padW, dH, dW, dilH, dilW)
    out3 = output.reshape(N, O, -1)
    # (O, K) @ (N, K, L): one batched cuBLAS call
    out3[...] = cupy.matmul(weight.reshape(O, -1), finput.transpose(1, 0, 2))
    if bias is not None:
        out3 += bias.reshape(1, O, 1)


def conv_updateGradInput(gradOutput, gradInput, weight, fgradInput, kH, kW, padH, padW, dH, dW,
                         dilH=1, dilW=1):
    """gradInput = col2im(weight.T @ gradOutput); fgradInput (K, N, L) holds the columns."""
    import cupy
    N, O = gradOutput.shape[0], gradOutput.shape[1]
    cols = cupy.matmul(weight.reshape(O, -1).T, gradOutput.reshape(N, O, -1))   # (N, K, L)
    fgradInput[...] = cols.transpose(1, 0, 2)
    col2im(fgradInput, gradInput, kH, kW, padH, padW, dH, dW, dilH, dilW)


def conv_accGradParameters(gradOutput, gradWeight, gradBias, finput, scale):
    """gradWeight += scale * sum_n gradOutput[n] (O, L) @ finput[:, n, :].T; gradBias += scale * sum."""
    import cupy
    N, O = gradOutput.shape[0], gradOutput.shape[1]
    g3 = gradOutput.reshape(N, O, -1)
    acc = cupy.tensordot(g3, finput, axes=([0, 2], [1, 2]))   # (O, K)
    if scale != 1:
        acc *= scale
    gradWeight += acc.reshape(gradWeight.shape)
    if gradBias is not None:
        gb = g3.sum(axis=(0, 2))
        if scale != 1:
            gb *= scale
        gradBias += gb


def full_conv_updateOutput(input, output, weight, bias, columns, kH, kW, padH, padW, dH, dW):
    """The transposed convolution: output = col2im(weight(nIn, nOut*kH*kW).T @ input) + bias;
    columns is (nOut*kH*kW, N, H*W)."""
    N, nIn = input.shape[0], input.shape[1]
    _gemm_cols(weight.reshape(nIn, -1), input.reshape(N, nIn, -1), columns)
    col2im(columns, output, kH, kW, padH, padW, dH, dW, 1, 1)
    if bias is not None:
        output += bias.reshape(1, -1, 1, 1)


def full_conv_updateGradInput(gradOutput, gradInput, weight, columns, kH, kW, padH, padW, dH, dW):
    """gradInput = weight(nIn, nOut*kH*kW) @ im2col(gradOutput)."""
    N, nIn = gradInput.shape[0], gradInput.shape[1]
    im2col(gradOutput, columns, kH, kW, padH, padW, dH, dW, 1, 1)
    _gemm_out(weight.reshape(nIn, -1), columns, gradInput.reshape(N, nIn, -1), None)


def full_conv_accGradParameters(input, gradOutput, gradWeight, gradBias, columns, kH, kW, padH, padW,
                                dH, dW, scale):
    """gradWeight (nIn, nOut, kH, kW) += scale * sum_n input[n] (nIn, L) @ im2col(gradOutput)[:, n, :].T."""
    import cupy
    N, nIn = input.shape[0], input.shape[1]
    im2col(gradOutput, columns, kH, kW, padH, padW, dH, dW, 1, 1)
    acc = cupy.tensordot(input.reshape(N, nIn, -1), columns, axes=([0, 2], [1, 2]))   # (nIn, K)
    if scale != 1:
        acc *= scale
    gradWeight += acc.reshape(gradWeight.shape)
    if gradBias is not None:
        gb = gradOutput.sum(axis=(0, 2, 3))
        if scale != 1:
            gb *= scale
        gradBias += gb


def vol_conv_updateOutput(input, output, weight, bias, finput, kT, kH, kW, padT, padH, padW, dT, dH, dW):
    """output (N, O, oT, oH, oW) = weight (O, K) @ vol2col(input) + bias; finput (K, N, L) is filled."""
    vol2col(input, finput, kT, kH, kW, padT, padH, padW, dT, dH, dW)
    N, O = output.shape[0], output.shape[1]
    _gemm_out(weight.reshape(O, -1), finput, output.reshape(N, O, -1), bias)


def vol_conv_updateGradInput(gradOutput, gradInput, weight, fgradInput, kT, kH, kW, padT, padH, padW,
                             dT, dH, dW):
    """gradInput = col2vol(weight.T @ gradOutput); fgradInput (K, N, L) holds the columns."""
    N, O = gradOutput.shape[0], gradOutput.shape[1]
    _gemm_cols(weight.reshape(O, -1), gradOutput.reshape(N, O, -1), fgradInput)
    col2vol(fgradInput, gradInput, kT, kH, kW, padT, padH, padW, dT, dH, dW)


def fused_ok(N):
    return False


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise TorchRuntimeError("%s has no device kernel yet for Cuda tensors on a GPU; "
                            "PYTORCH_LITE_CUDA=cpu runs it on the CPU" % name)
