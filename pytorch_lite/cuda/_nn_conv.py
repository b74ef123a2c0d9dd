"""Device versions of pytorch_lite._nn_conv (csrc/_nn_conv.pyx): im2col/col2im as CUDA kernels,
the products through CuPy's matmul (cuBLAS).  Same names, arguments and buffer layouts as the CPU
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
IM2COL(float, float)
IM2COL(double, double)
COL2IM(float, float)
COL2IM(double, double)
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


def gemm(a, b, c, transA=False, transB=False, alpha=1, beta=0):
    """Nothing done here (False): the caller's numpy call dispatches to CuPy (cuBLAS)."""
    return False


def mm(a, b, c):
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


def fused_ok(N):
    return False


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise TorchRuntimeError("%s has no device kernel yet for Cuda tensors on a GPU; "
                            "PYTORCH_LITE_CUDA=cpu runs it on the CPU" % name)
