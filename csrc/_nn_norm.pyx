"""Normalisation kernels (THNN style): batch normalisation over (N, C, S) buffers.

The input of every BatchNormalization flavour is viewed as (N, C, S) (S = 1 for the 2-D
module, H*W or T*H*W for the spatial and volumetric ones).  Sums run in double (THNN's accreal)
whatever the element type; channels run in parallel.
"""
import numpy as np
cimport numpy as cnp
from cython.parallel cimport prange
from libc.math cimport sqrt

cnp.import_array()

ctypedef fused real:
    float
    double


def _check(cond, msg):
    if not cond:
        raise ValueError(msg)


# Row reductions in double with four partial sums (csrc/_rowsum.pxd): with one running sum every
# statistics pass was latency-bound (a 32x32x64x64 batch: 4.6 ms forward instead of ~1.5).

from _rowsum cimport row_sum as _row_sum   # four partial sums in double (csrc/_rowsum.pxd)


cdef inline double _row_sqdev(const real* p, Py_ssize_t n, double mean) noexcept nogil:
    """sum of (p[k] - mean)^2."""
    cdef double a0 = 0, a1 = 0, a2 = 0, a3 = 0, d0, d1, d2, d3
    cdef Py_ssize_t k = 0
    while k + 4 <= n:
        d0 = p[k] - mean
        d1 = p[k + 1] - mean
        d2 = p[k + 2] - mean
        d3 = p[k + 3] - mean
        a0 = a0 + d0 * d0
        a1 = a1 + d1 * d1
        a2 = a2 + d2 * d2
        a3 = a3 + d3 * d3
        k = k + 4
    while k < n:
        d0 = p[k] - mean
        a0 = a0 + d0 * d0
        k = k + 1
    return (a0 + a1) + (a2 + a3)


cdef inline void _row_sum_dot(const real* g, const real* x, Py_ssize_t n, double mean, double* ssum,
                              double* dotp) noexcept nogil:
    """ssum += sum of g[k];  dotp += sum of (x[k] - mean) * g[k]."""
    cdef double s0 = 0, s1 = 0, s2 = 0, s3 = 0, d0 = 0, d1 = 0, d2 = 0, d3 = 0
    cdef Py_ssize_t k = 0
    while k + 4 <= n:
        s0 = s0 + g[k]
        s1 = s1 + g[k + 1]
        s2 = s2 + g[k + 2]
        s3 = s3 + g[k + 3]
        d0 = d0 + (x[k] - mean) * g[k]
        d1 = d1 + (x[k + 1] - mean) * g[k + 1]
        d2 = d2 + (x[k + 2] - mean) * g[k + 2]
        d3 = d3 + (x[k + 3] - mean) * g[k + 3]
        k = k + 4
    while k < n:
        s0 = s0 + g[k]
        d0 = d0 + (x[k] - mean) * g[k]
        k = k + 1
    ssum[0] = ssum[0] + ((s0 + s1) + (s2 + s3))
    dotp[0] = dotp[0] + ((d0 + d1) + (d2 + d3))


def batchnorm_forward(real[:, :, ::1] input, real[:, :, ::1] output, weight, bias,
                      real[::1] running_mean, real[::1] running_var, real[::1] save_mean,
                      real[::1] save_std, bint train, double momentum, double eps):
    """THNN BatchNormalization_updateOutput; weight/bias may be None (affine=false)."""
    cdef Py_ssize_t N = input.shape[0], C = input.shape[1], S = input.shape[2]
    _check(output.shape[0] == N and output.shape[1] == C and output.shape[2] == S,
           "batchnorm_forward: output shape disagrees")
    _check(running_mean.shape[0] == C and running_var.shape[0] == C and save_mean.shape[0] == C
           and save_std.shape[0] == C, "batchnorm_forward: statistics have the wrong size")
    cdef bint has_w = weight is not None, has_b = bias is not None
    cdef real[::1] w = weight if has_w else save_mean
    cdef real[::1] b = bias if has_b else save_mean
    if has_w:
        _check(w.shape[0] == C, "batchnorm_forward: weight has the wrong size")
    if has_b:
        _check(b.shape[0] == C, "batchnorm_forward: bias has the wrong size")
    cdef Py_ssize_t n = N * S, c, i, s
    cdef double mean, invstd, acc, d, ww, bb
    with nogil:
        # dynamic: each channel is one thread's whole job (the same bits whichever thread takes
        # it), and on a busy machine a descheduled thread's channels go to the other
        for c in prange(C, schedule="dynamic"):
            if train:
                acc = 0
                for i in range(N):
                    acc = acc + _row_sum(&input[i, c, 0], S)
                mean = acc / n
                save_mean[c] = <real>mean
                acc = 0
                for i in range(N):
                    acc = acc + _row_sqdev(&input[i, c, 0], S, mean)
                if acc == 0 and eps == 0:
                    invstd = 0
                else:
                    invstd = 1 / sqrt(acc / n + eps)
                save_std[c] = <real>invstd
                running_mean[c] = <real>(momentum * mean + (1 - momentum) * running_mean[c])
                running_var[c] = <real>(momentum * (acc / (n - 1)) + (1 - momentum) * running_var[c])
            else:
                mean = running_mean[c]
                invstd = 1 / sqrt(running_var[c] + eps)
            ww = w[c] if has_w else 1
            bb = b[c] if has_b else 0
            for i in range(N):
                for s in range(S):
                    output[i, c, s] = <real>((input[i, c, s] - mean) * invstd * ww + bb)


def batchnorm_backward(real[:, :, ::1] input, real[:, :, ::1] gradOutput, gradInput, gradWeight,
                       gradBias, weight, real[::1] running_mean, real[::1] running_var,
                       real[::1] save_mean, real[::1] save_std, bint train, double scale, double eps):
    """THNN BatchNormalization_backward; gradInput/gradWeight/gradBias/weight may be None."""
    cdef Py_ssize_t N = input.shape[0], C = input.shape[1], S = input.shape[2]
    _check(gradOutput.shape[0] == N and gradOutput.shape[1] == C and gradOutput.shape[2] == S,
           "batchnorm_backward: gradOutput shape disagrees")
    _check(save_mean.shape[0] == C and save_std.shape[0] == C and running_mean.shape[0] == C
           and running_var.shape[0] == C, "batchnorm_backward: statistics have the wrong size")
    cdef bint has_gi = gradInput is not None, has_gw = gradWeight is not None
    cdef bint has_gb = gradBias is not None, has_w = weight is not None
    cdef real[:, :, ::1] gi = gradInput if has_gi else gradOutput
    cdef real[::1] gw = gradWeight if has_gw else save_mean
    cdef real[::1] gb = gradBias if has_gb else save_mean
    cdef real[::1] w = weight if has_w else save_mean
    if has_gi:
        _check(gi.shape[0] == N and gi.shape[1] == C and gi.shape[2] == S,
               "batchnorm_backward: gradInput shape disagrees")
    if has_gw:
        _check(gw.shape[0] == C, "batchnorm_backward: gradWeight has the wrong size")
    if has_gb:
        _check(gb.shape[0] == C, "batchnorm_backward: gradBias has the wrong size")
    if has_w:
        _check(w.shape[0] == C, "batchnorm_backward: weight has the wrong size")
    cdef Py_ssize_t n = N * S, c, i, s
    cdef double mean, invstd, ssum, dotp, ww, k, gmean, proj
    with nogil:
        for c in prange(C, schedule="dynamic"):
            ww = w[c] if has_w else 1
            if train:
                mean = save_mean[c]
                invstd = save_std[c]
            else:
                mean = running_mean[c]
                invstd = 1 / sqrt(running_var[c] + eps)
            ssum = 0
            dotp = 0
            for i in range(N):
                _row_sum_dot(&gradOutput[i, c, 0], &input[i, c, 0], S, mean, &ssum, &dotp)
            if has_gi:
                if train:
                    k = <real>(dotp * invstd * invstd / n)
                    gmean = ssum / n
                    for i in range(N):
                        for s in range(S):
                            proj = <real>((input[i, c, s] - mean) * k)
                            gi[i, c, s] = <real>((gradOutput[i, c, s] - gmean - proj) * invstd * ww)
                else:
                    for i in range(N):
                        for s in range(S):
                            gi[i, c, s] = <real>(gradOutput[i, c, s] * invstd * ww)
            if has_gw:
                gw[c] = <real>(gw[c] + scale * dotp * invstd)
            if has_gb:
                gb[c] = <real>(gb[c] + scale * ssum)
