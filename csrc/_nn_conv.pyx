"""Convolution kernels (THNN style): stateless, over numpy buffers, GEMM through numpy's BLAS.

The heavy data movement (im2col / col2im and their 3-D forms) runs in C with the GIL released;
the matrix products go through ``np.matmul(..., out=)`` into buffers the caller owns
(``finput`` / ``fgradInput``, as TH keeps them on the module).  Every function checks its
arguments before releasing the GIL, so bad shapes raise instead of writing out of bounds.

Layouts (C-contiguous): images are (N, C, H, W); columns are (C*kH*kW, N, oH*oW), the whole
batch side by side so one GEMM covers it; volumes are (N, C, T, H, W) with columns
(C*kT*kH*kW, N, oT*oH*oW).
"""
import numpy as np
cimport numpy as cnp
from cython.parallel cimport prange

cnp.import_array()

ctypedef fused real:
    float
    double


def _check(cond, msg):
    if not cond:
        raise ValueError(msg)


# ---------------------------------------------------------------- 2-D im2col / col2im

def im2col(real[:, :, :, ::1] data, real[:, :, ::1] col, int kH, int kW, int padH, int padW,
           int dH, int dW, int dilH, int dilW):
    """col[(c*kH+i)*kW+j, n, oh*oW+ow] = data[n, c, oh*dH-padH+i*dilH, ow*dW-padW+j*dilW] (0 outside).

    The columns of the whole batch sit side by side (K x N*L), so one GEMM serves the batch."""
    cdef Py_ssize_t N = data.shape[0], C = data.shape[1], H = data.shape[2], W = data.shape[3]
    cdef Py_ssize_t oH = (H + 2 * padH - (dilH * (kH - 1) + 1)) // dH + 1
    cdef Py_ssize_t oW = (W + 2 * padW - (dilW * (kW - 1) + 1)) // dW + 1
    _check(oH >= 1 and oW >= 1 and kH >= 1 and kW >= 1 and dH >= 1 and dW >= 1 and dilH >= 1 and dilW >= 1,
           "im2col: output would be empty")
    _check(col.shape[0] == C * kH * kW and col.shape[1] == N and col.shape[2] == oH * oW,
           "im2col: column buffer has the wrong shape")
    cdef Py_ssize_t K = C * kH * kW, rows = N * K, r, n, c, i, j, oh, ow, ih, iw, rem, ow0, ow1, base
    with nogil:
        for r in prange(rows, schedule="static"):
            rem = r // N
            n = r % N
            c = rem // (kH * kW)
            i = (rem // kW) % kH
            j = rem % kW
            # the output columns whose input pixel lies inside the row: ow0 <= ow < ow1
            ow0 = 0
            while ow0 < oW and ow0 * dW - padW + j * dilW < 0:
                ow0 = ow0 + 1
            ow1 = oW
            while ow1 > ow0 and (ow1 - 1) * dW - padW + j * dilW >= W:
                ow1 = ow1 - 1
            for oh in range(oH):
                ih = oh * dH - padH + i * dilH
                base = oh * oW
                if ih < 0 or ih >= H:
                    for ow in range(oW):
                        col[rem, n, base + ow] = 0
                else:
                    for ow in range(ow0):
                        col[rem, n, base + ow] = 0
                    iw = ow0 * dW - padW + j * dilW
                    for ow in range(ow0, ow1):
                        col[rem, n, base + ow] = data[n, c, ih, iw]
                        iw = iw + dW
                    for ow in range(ow1, oW):
                        col[rem, n, base + ow] = 0


def col2im(real[:, :, ::1] col, real[:, :, :, ::1] data, int kH, int kW, int padH, int padW,
           int dH, int dW, int dilH, int dilW):
    """The adjoint of im2col: data is zeroed, then every column entry is added back to its pixel."""
    cdef Py_ssize_t N = data.shape[0], C = data.shape[1], H = data.shape[2], W = data.shape[3]
    cdef Py_ssize_t oH = (H + 2 * padH - (dilH * (kH - 1) + 1)) // dH + 1
    cdef Py_ssize_t oW = (W + 2 * padW - (dilW * (kW - 1) + 1)) // dW + 1
    _check(oH >= 1 and oW >= 1 and kH >= 1 and kW >= 1 and dH >= 1 and dW >= 1 and dilH >= 1 and dilW >= 1,
           "col2im: output would be empty")
    _check(col.shape[0] == C * kH * kW and col.shape[1] == N and col.shape[2] == oH * oW,
           "col2im: column buffer has the wrong shape")
    cdef Py_ssize_t planes = N * C, p, n, c, i, j, oh, ow, ih, iw, row, ow0, ow1, base
    with nogil:
        for p in prange(planes, schedule="static"):
            n = p // C
            c = p % C
            for ih in range(H):
                for iw in range(W):
                    data[n, c, ih, iw] = 0
            for i in range(kH):
                for j in range(kW):
                    row = (c * kH + i) * kW + j
                    ow0 = 0
                    while ow0 < oW and ow0 * dW - padW + j * dilW < 0:
                        ow0 = ow0 + 1
                    ow1 = oW
                    while ow1 > ow0 and (ow1 - 1) * dW - padW + j * dilW >= W:
                        ow1 = ow1 - 1
                    for oh in range(oH):
                        ih = oh * dH - padH + i * dilH
                        if ih < 0 or ih >= H:
                            continue
                        base = oh * oW
                        iw = ow0 * dW - padW + j * dilW
                        for ow in range(ow0, ow1):
                            data[n, c, ih, iw] += col[row, n, base + ow]
                            iw = iw + dW


# ---------------------------------------------------------------- 3-D vol2col / col2vol

def vol2col(real[:, :, :, :, ::1] data, real[:, :, ::1] col, int kT, int kH, int kW,
            int padT, int padH, int padW, int dT, int dH, int dW):
    cdef Py_ssize_t N = data.shape[0], C = data.shape[1], T = data.shape[2]
    cdef Py_ssize_t H = data.shape[3], W = data.shape[4]
    cdef Py_ssize_t oT = (T + 2 * padT - kT) // dT + 1
    cdef Py_ssize_t oH = (H + 2 * padH - kH) // dH + 1
    cdef Py_ssize_t oW = (W + 2 * padW - kW) // dW + 1
    _check(oT >= 1 and oH >= 1 and oW >= 1, "vol2col: output would be empty")
    _check(col.shape[1] == N and col.shape[0] == C * kT * kH * kW and col.shape[2] == oT * oH * oW,
           "vol2col: column buffer has the wrong shape")
    cdef Py_ssize_t K = C * kT * kH * kW, rows = N * K, r, n, c, a, i, j, ot, oh, ow, it, ih, iw, rem, q
    with nogil:
        for r in prange(rows, schedule="static"):
            n = r // K
            rem = r % K
            c = rem // (kT * kH * kW)
            a = (rem // (kH * kW)) % kT
            i = (rem // kW) % kH
            j = rem % kW
            q = 0
            for ot in range(oT):
                it = ot * dT - padT + a
                for oh in range(oH):
                    ih = oh * dH - padH + i
                    for ow in range(oW):
                        iw = ow * dW - padW + j
                        if it >= 0 and it < T and ih >= 0 and ih < H and iw >= 0 and iw < W:
                            col[rem, n, q] = data[n, c, it, ih, iw]
                        else:
                            col[rem, n, q] = 0
                        q = q + 1


def col2vol(real[:, :, ::1] col, real[:, :, :, :, ::1] data, int kT, int kH, int kW,
            int padT, int padH, int padW, int dT, int dH, int dW):
    cdef Py_ssize_t N = data.shape[0], C = data.shape[1], T = data.shape[2]
    cdef Py_ssize_t H = data.shape[3], W = data.shape[4]
    cdef Py_ssize_t oT = (T + 2 * padT - kT) // dT + 1
    cdef Py_ssize_t oH = (H + 2 * padH - kH) // dH + 1
    cdef Py_ssize_t oW = (W + 2 * padW - kW) // dW + 1
    _check(oT >= 1 and oH >= 1 and oW >= 1, "col2vol: output would be empty")
    _check(col.shape[1] == N and col.shape[0] == C * kT * kH * kW and col.shape[2] == oT * oH * oW,
           "col2vol: column buffer has the wrong shape")
    cdef Py_ssize_t planes = N * C, p, n, c, a, i, j, ot, oh, ow, it, ih, iw, row, q
    with nogil:
        for p in prange(planes, schedule="static"):
            n = p // C
            c = p % C
            for it in range(T):
                for ih in range(H):
                    for iw in range(W):
                        data[n, c, it, ih, iw] = 0
            for a in range(kT):
                for i in range(kH):
                    for j in range(kW):
                        row = ((c * kT + a) * kH + i) * kW + j
                        q = 0
                        for ot in range(oT):
                            it = ot * dT - padT + a
                            for oh in range(oH):
                                ih = oh * dH - padH + i
                                for ow in range(oW):
                                    iw = ow * dW - padW + j
                                    if it >= 0 and it < T and ih >= 0 and ih < H and iw >= 0 and iw < W:
                                        data[n, c, it, ih, iw] += col[row, n, q]
                                    q = q + 1


# ---------------------------------------------------------------- convolution via GEMM
# Columns are (K, N, L): one GEMM covers the batch; outputs and gradOutputs move between
# (N, O, L) and (O, N*L) with one transposed copy.

def _to_batch_major(y2, out3):
    """(O, N*L) GEMM result -> out3 (N, O, L)."""
    O = out3.shape[1]
    N = out3.shape[0]
    if N == 1:
        out3[0] = y2
    else:
        out3[...] = y2.reshape(O, N, -1).transpose(1, 0, 2)


def _to_channel_major(g3):
    """(N, O, L) -> (O, N*L)."""
    N, O = g3.shape[0], g3.shape[1]
    if N == 1:
        return g3[0]
    return np.ascontiguousarray(g3.transpose(1, 0, 2)).reshape(O, -1)


def _gemm_out(weight2d, cols, out3, bias):
    K = cols.shape[0]
    N, O = out3.shape[0], out3.shape[1]
    if N == 1:
        np.matmul(weight2d, cols.reshape(K, -1), out=out3[0])
    else:
        _to_batch_major(weight2d @ cols.reshape(K, -1), out3)
    if bias is not None:
        out3 += bias[None, :, None]


def conv_updateOutput(input, output, weight, bias, finput, int kH, int kW, int padH, int padW,
                      int dH, int dW, int dilH=1, int dilW=1):
    """output (N, O, oH, oW) = weight (O, K) @ im2col(input) + bias; finput (K, N, L) is filled."""
    im2col(input, finput, kH, kW, padH, padW, dH, dW, dilH, dilW)
    N, O = output.shape[0], output.shape[1]
    _gemm_out(weight.reshape(O, -1), finput, output.reshape(N, O, -1), bias)


def conv_updateGradInput(gradOutput, gradInput, weight, fgradInput, int kH, int kW, int padH,
                         int padW, int dH, int dW, int dilH=1, int dilW=1):
    """gradInput = col2im(weight.T @ gradOutput); fgradInput (K, N, L) holds the columns."""
    N, O = gradOutput.shape[0], gradOutput.shape[1]
    K = fgradInput.shape[0]
    g2 = _to_channel_major(gradOutput.reshape(N, O, -1))
    np.matmul(weight.reshape(O, -1).T, g2, out=fgradInput.reshape(K, -1))
    col2im(fgradInput, gradInput, kH, kW, padH, padW, dH, dW, dilH, dilW)


def conv_accGradParameters(gradOutput, gradWeight, gradBias, finput, double scale):
    """gradWeight += scale * gradOutput (O, N*L) @ finput (K, N*L).T;  gradBias += scale * sum gradOutput.

    Works for any kernel rank: gradWeight is (O, ...) with K = prod(...) = finput.shape[0]."""
    N, O = gradOutput.shape[0], gradOutput.shape[1]
    K = finput.shape[0]
    g2 = _to_channel_major(gradOutput.reshape(N, O, -1))
    # (finput @ g2.T).T: OpenBLAS is several times faster with the long N*L axis in this order
    acc = (finput.reshape(K, -1) @ g2.T).T
    if scale != 1:
        acc *= scale
    gradWeight += acc.reshape(gradWeight.shape)
    if gradBias is not None:
        gb = g2.sum(axis=1)
        if scale != 1:
            gb *= scale
        gradBias += gb


# ---------------------------------------------------------------- transposed ("full") convolution

def full_conv_updateOutput(input, output, weight, bias, columns, int kH, int kW, int padH, int padW,
                           int dH, int dW):
    """output = col2im(weight(nIn, nOut*kH*kW).T @ input) + bias; columns is (nOut*kH*kW, N, H*W)."""
    N, nIn = input.shape[0], input.shape[1]
    K = columns.shape[0]
    x2 = _to_channel_major(input.reshape(N, nIn, -1))
    np.matmul(weight.reshape(nIn, -1).T, x2, out=columns.reshape(K, -1))
    col2im(columns, output, kH, kW, padH, padW, dH, dW, 1, 1)
    if bias is not None:
        output += bias[None, :, None, None]


def full_conv_updateGradInput(gradOutput, gradInput, weight, columns, int kH, int kW, int padH,
                              int padW, int dH, int dW):
    """gradInput = weight(nIn, nOut*kH*kW) @ im2col(gradOutput)."""
    N, nIn = gradInput.shape[0], gradInput.shape[1]
    im2col(gradOutput, columns, kH, kW, padH, padW, dH, dW, 1, 1)
    _gemm_out(weight.reshape(nIn, -1), columns, gradInput.reshape(N, nIn, -1), None)


def full_conv_accGradParameters(input, gradOutput, gradWeight, gradBias, columns, int kH, int kW,
                                int padH, int padW, int dH, int dW, double scale):
    N, nIn = input.shape[0], input.shape[1]
    K = columns.shape[0]
    im2col(gradOutput, columns, kH, kW, padH, padW, dH, dW, 1, 1)
    x2 = _to_channel_major(input.reshape(N, nIn, -1))
    acc = (columns.reshape(K, -1) @ x2.T).T
    if scale != 1:
        acc *= scale
    gradWeight += acc.reshape(gradWeight.shape)
    if gradBias is not None:
        gb = gradOutput.sum(axis=(0, 2, 3))
        if scale != 1:
            gb *= scale
        gradBias += gb


# ---------------------------------------------------------------- volumetric convolution

def vol_conv_updateOutput(input, output, weight, bias, finput, int kT, int kH, int kW,
                          int padT, int padH, int padW, int dT, int dH, int dW):
    vol2col(input, finput, kT, kH, kW, padT, padH, padW, dT, dH, dW)
    N, O = output.shape[0], output.shape[1]
    _gemm_out(weight.reshape(O, -1), finput, output.reshape(N, O, -1), bias)


def vol_conv_updateGradInput(gradOutput, gradInput, weight, fgradInput, int kT, int kH, int kW,
                             int padT, int padH, int padW, int dT, int dH, int dW):
    N, O = gradOutput.shape[0], gradOutput.shape[1]
    K = fgradInput.shape[0]
    g2 = _to_channel_major(gradOutput.reshape(N, O, -1))
    np.matmul(weight.reshape(O, -1).T, g2, out=fgradInput.reshape(K, -1))
    col2vol(fgradInput, gradInput, kT, kH, kW, padT, padH, padW, dT, dH, dW)
